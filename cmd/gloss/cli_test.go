package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gloss/app/workbench"
	"gloss/storage"
	"gloss/storage/storagetest"
)

func gloss(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportExportStats(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "g.db")
	a := write(t, dir, "a.txt", "“Quoted” — 👍🏽 first\r\nsecond line\r\n")
	b := write(t, dir, "b.html", "<html><head><title>Bee</title><script>x()</script></head><body><p>One &amp; two</p></body></html>")

	code, out, errs := gloss(t, "import", "--db", db, a, b)
	if code != 0 {
		t.Fatalf("import: %d %s", code, errs)
	}
	if !strings.Contains(out, "2 imported, 0 already present") {
		t.Errorf("import said %q", out)
	}
	// Importing again finds the same texts: no copies.
	code, out, _ = gloss(t, "import", "--db", db, a)
	if code != 0 || !strings.Contains(out, "0 imported, 1 already present") {
		t.Errorf("re-import: %d %q", code, out)
	}

	// A span through the store, as the window would make it.
	s := storagetest.OpenAt(t, db)
	ctx := context.Background()
	docs, _ := s.DocumentSummaries(ctx, "")
	me := storagetest.Analysts(t, s, "Ann")[0]
	labels := storagetest.Labels(t, s)
	if _, err := s.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: docs[0].ID,
		AnnotatorID: me.ID, LabelID: labels[1].ID, Start: 14, End: 19}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	outFile := filepath.Join(dir, "out.jsonl")
	code, _, errs = gloss(t, "export", "--db", db, "--format", "jsonl", "-o", outFile)
	if code != 0 {
		t.Fatalf("export: %d %s", code, errs)
	}
	f, err := os.Open(outFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []map[string]any
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2", len(lines))
	}
	if lines[0]["text"] != "“Quoted” — 👍🏽 first\nsecond line\n" {
		t.Errorf("text %q", lines[0]["text"])
	}
	spans := lines[0]["spans"].([]any)
	sp := spans[0].(map[string]any)
	if sp["start"] != 14.0 || sp["end"] != 19.0 || sp["text"] != "first" || sp["label"] != "Figure" || sp["annotator"] != "Ann" {
		t.Errorf("span %v", sp)
	}

	code, out, _ = gloss(t, "stats", "--db", db)
	if code != 0 || !strings.Contains(out, "documents   2") || !strings.Contains(out, "Figure") || !strings.Contains(out, "Ann") {
		t.Errorf("stats: %d\n%s", code, out)
	}
}

func TestImportRefusesBadFilesAndChangesNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "g.db")
	good := write(t, dir, "good.txt", "A good article.\n")
	cases := map[string]string{
		"bad-utf8.txt": "fine line\nbad \xff byte\n",
		"empty.txt":    "",
		"binary.txt":   "\x00\x01\x02ELF\x00",
	}
	for name, content := range cases {
		bad := write(t, dir, name, content)
		code, _, errs := gloss(t, "import", "--db", db, good, bad)
		if code == 0 {
			t.Errorf("%s: import succeeded", name)
		}
		if !strings.Contains(errs, name) {
			t.Errorf("%s: error does not name the file: %q", name, errs)
		}
		s, err := storage.Open(db)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := s.DocumentCount(context.Background())
		s.Close()
		if n != 0 {
			t.Errorf("%s: %d documents stored after a failed import, want 0", name, n)
		}
	}
	_, _, errs := gloss(t, "import", "--db", db, filepath.Join(dir, "bad-utf8.txt"))
	if !strings.Contains(errs, "line 2") {
		t.Errorf("invalid UTF-8 error does not give the line: %q", errs)
	}
}

func TestCommandLineErrors(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := gloss(t, "import", "--db", filepath.Join(dir, "g.db")); code == 0 || errs == "" {
		t.Errorf("import without files: %d %q", code, errs)
	}
	if code, _, errs := gloss(t, "export", "--db", filepath.Join(dir, "g.db"), "--format", "nope"); code == 0 || !strings.Contains(errs, "nope") {
		t.Errorf("unknown format: %d %q", code, errs)
	}
	if code, _, errs := gloss(t, "stats", "--db", filepath.Join(dir, "missing.db")); code == 0 || !strings.Contains(errs, "missing.db") {
		t.Errorf("stats on a missing db: %d %q", code, errs)
	}
	if code, out, _ := gloss(t, "help"); code != 0 || !strings.Contains(out, "gloss import") {
		t.Errorf("help: %d %q", code, out)
	}
	t.Setenv("GLOSS_DB", filepath.Join(dir, "env.db"))
	write(t, dir, "x.txt", "x\n")
	if code, _, errs := gloss(t, "import", filepath.Join(dir, "x.txt")); code != 0 {
		t.Fatalf("import with GLOSS_DB: %s", errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "env.db")); err != nil {
		t.Errorf("GLOSS_DB was not used: %v", err)
	}
}

func TestUnknownCommandsAndNoDisplay(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "g.db")
	if code, _, errs := gloss(t, "--db", db, "frobnicate"); code != 2 || !strings.Contains(errs, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %d %q", code, errs)
	}
	if code, _, errs := gloss(t, "--db", db, filepath.Join(dir, "missing.txt")); code != 1 || !strings.Contains(errs, "missing.txt") {
		t.Errorf("missing file: %d %q", code, errs)
	}
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	if code, _, errs := gloss(t, "--db", db); code != 1 || !strings.Contains(errs, "no display") {
		t.Errorf("no display: %d %q", code, errs)
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("a database was made although no window could open")
	}
}

// FyneApp.toml is what packages and "About" are made from: no placeholder
// site, and the same application ID the window keeps preferences under.
func TestFyneAppMetadataIsReal(t *testing.T) {
	data, err := os.ReadFile("../../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for _, bad := range []string{"example.org", "example.com", "TODO"} {
		if strings.Contains(s, bad) {
			t.Errorf("FyneApp.toml holds the placeholder %q", bad)
		}
	}
	if !strings.Contains(s, `ID = "`+workbench.ID+`"`) {
		t.Errorf("FyneApp.toml's ID is not %s", workbench.ID)
	}
}
