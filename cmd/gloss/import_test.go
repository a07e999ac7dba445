package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestImportAnnotated(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "g.db")
	fixtures := filepath.Join("..", "..", "app", "formats", "testdata")

	// brat names no annotator: without one the import is refused, with a hint.
	code, _, errs := gloss(t, "import", "--db", db, filepath.Join(fixtures, "import_brat"))
	if code != 1 || !strings.Contains(errs, "--annotator NAME") {
		t.Fatalf("no annotator: %d %q", code, errs)
	}
	code, out, errs := gloss(t, "import", "--db", db, "--annotator", "Ana", filepath.Join(fixtures, "import_brat"), filepath.Join(fixtures, "import_spacy.jsonl"))
	if code != 0 {
		t.Fatalf("import: %d %s", code, errs)
	}
	for _, want := range []string{"import_brat: brat", "import_spacy.jsonl: spacy", "6 imported, 0 already present", "spans: 11 added, 0 already present",
		"labels created: Claim, Figure, Person, Agree, MONEY, GPE, QUOTE, NOUN", "annotators created: Ana, news-ana, news-ben",
		"relations: 2 added, 0 already present",
		"not imported (Gloss cannot keep them): 2 brat attribute on an event, 1 brat event, 1 brat normalization, 1 brat note on a relation, event or attribute, 1 prodigy ignore answer, 1 prodigy reject answer"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// Again: nothing new.
	code, out, _ = gloss(t, "import", "--db", db, "--annotator", "Ana", filepath.Join(fixtures, "import_brat"))
	if code != 0 || !strings.Contains(out, "0 imported, 2 already present") || !strings.Contains(out, "spans: 0 added, 5 already present") ||
		!strings.Contains(out, "relations: 0 added, 2 already present") {
		t.Errorf("re-import: %d %s", code, out)
	}
	// --strict refuses a label the set lacks; the error names file and line.
	bad := write(t, dir, "new.jsonl", `{"text":"x y z","spans":[{"start":0,"end":1,"label":"Claim"}]}`+"\n"+`{"text":"a b c","spans":[{"start":0,"end":1,"label":"Brand new"}]}`+"\n")
	code, _, errs = gloss(t, "import", "--db", db, "--annotator", "Ana", "--strict", "--format", "spacy", bad)
	if code != 1 || !strings.Contains(errs, "new.jsonl:2: $.spans[0]: invalid label: unknown label \"Brand new\"") {
		t.Errorf("strict: %d %q", code, errs)
	}
	code, _, errs = gloss(t, "import", "--db", db, "--format", "nope", bad)
	if code != 1 || !strings.Contains(errs, `unknown format "nope"`) {
		t.Errorf("unknown format: %d %q", code, errs)
	}
	code, _, errs = gloss(t, "import", "--db", db, "--offsets", "bytes", bad)
	if code != 2 || !strings.Contains(errs, "unknown offset unit") {
		t.Errorf("bad offsets: %d %q", code, errs)
	}
}

// TestRelationsHeadless: the brat peer file with relations and attributes
// goes in, gloss stats counts them per type, a label-filtered export keeps
// only relations between kept spans and says how many it dropped, and
// conll says what it left out.
func TestRelationsHeadless(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "g.db")
	peer := filepath.Join("..", "..", "app", "formats", "testdata", "peer", "brat", "news-tutorial")
	code, out, errs := gloss(t, "import", "--db", db, "--annotator", "Ana", peer)
	if code != 0 || !strings.Contains(out, "relations: ") {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	code, out, errs = gloss(t, "stats", "--db", db)
	if code != 0 || !strings.Contains(out, "relations per type:") {
		t.Fatalf("stats: %d %s %s", code, out, errs)
	}
	for _, want := range []string{"Alias", "Located"} {
		if !strings.Contains(out, want) {
			t.Errorf("stats lacks the relation type %s:\n%s", want, out)
		}
	}
	code, _, errs = gloss(t, "export", "--db", db, "--format", "conll", "-o", filepath.Join(dir, "out.conll"))
	if code != 0 || !strings.Contains(errs, "relations left out: conll cannot hold them") {
		t.Errorf("conll export: %d %s", code, errs)
	}
	code, _, errs = gloss(t, "export", "--db", db, "--format", "jsonl", "--labels", "Person", "-o", filepath.Join(dir, "p.jsonl"))
	if code != 0 || !strings.Contains(errs, "dropped by the filter") {
		t.Errorf("filtered export: %d %s", code, errs)
	}
}
