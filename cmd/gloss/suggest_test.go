package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// gloss suggest on the evaluation corpus: trains on the gold spans, prints
// the held-out scores per label and stores suggestions; bad rule files are
// refused with their line before anything is written.
func TestSuggestCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "g.db")
	if code, _, errs := gloss(t, "import", "--db", db, "--annotator", "gold", "../../app/suggest/testdata/corpus/corpus.jsonl"); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	bad := write(t, dir, "bad.jsonl", "{\"label\":\"Figure\",\"pattern\":[{\"LOWER\":\"x\",\"OP\":\"%\"}]}\n")
	code, out, errs := gloss(t, "suggest", "--db", db, "--gold", "--patterns", bad)
	if code != 1 || !strings.Contains(errs, "bad.jsonl:1") {
		t.Fatalf("bad patterns: %d %q %q", code, out, errs)
	}
	if code, _, errs := gloss(t, "suggest", "--db", db, "--annotator", "nobody"); code != 1 || !strings.Contains(errs, `no annotator "nobody"`) {
		t.Errorf("unknown annotator: %d %q", code, errs)
	}
	if code, _, _ := gloss(t, "suggest", "--db", db); code != 2 {
		t.Errorf("no --annotator nor --gold: exit %d", code)
	}
	// The refused runs wrote nothing: the first good run makes tagger v1.
	pats := write(t, dir, "figures.jsonl", "{\"label\":\"Figure\",\"pattern\":[{\"LIKE_NUM\":true},{\"LOWER\":{\"IN\":[\"per\",\"%\"]},\"OP\":\"?\"}]}\n")
	code, out, errs = gloss(t, "suggest", "--db", db, "--gold", "--patterns", pats)
	if code != 0 {
		t.Fatalf("suggest: %d %s", code, errs)
	}
	for _, want := range []string{"trained on gold's", "held-out exact-span scores", "Figure", "Claim", "Proposal", "tagger v1", "patterns figures.jsonl"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The stored tagger and the rules are kept for the next run.
	if _, err := os.Stat(db); err != nil {
		t.Fatal(err)
	}
	code, out, _ = gloss(t, "suggest", "--db", db, "--gold")
	if code != 0 || !strings.Contains(out, "tagger v2") || !strings.Contains(out, "patterns figures.jsonl") {
		t.Errorf("second run: %s", out)
	}
}
