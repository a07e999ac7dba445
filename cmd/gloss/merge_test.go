package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gloss/storage"
	"gloss/storage/storagetest"
)

// colleague makes a database at path with one document and one span of
// annotator name.
func colleague(t *testing.T, path, name, text string) {
	t.Helper()
	ctx := context.Background()
	s := storagetest.OpenAt(t, path)
	defer s.Close()
	a := storagetest.Analysts(t, s, name)[0]
	ls := storagetest.Labels(t, s)
	d, _, err := s.ImportDocument(ctx, storage.NewDocument{Title: name + "'s", Text: text})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: d.ID, AnnotatorID: a.ID,
		LabelID: ls[0].ID, Start: 0, End: 3}); err != nil {
		t.Fatal(err)
	}
}

func TestMergeCLI(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "lead.db")
	ana := filepath.Join(dir, "ana.db")
	bob := filepath.Join(dir, "bob.sqlite")
	colleague(t, ana, "ana", "Ana's article about the harbour.")
	colleague(t, bob, "bob", "Bob's article about the bridge.")
	junk := write(t, dir, "junk.db", strings.Repeat("junk ", 1000))

	code, out, errs := gloss(t, "merge", "--db", db, ana, junk, bob)
	if code != 1 {
		t.Errorf("a bad file among good ones should exit 1, got %d", code)
	}
	if !strings.Contains(errs, "junk.db") || !strings.Contains(errs, "not a Gloss database") {
		t.Errorf("stderr should name the bad file: %q", errs)
	}
	for _, want := range []string{ana + ": documents 1 added, 0 matched; spans 1 added", bob + ": documents 1 added"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}

	// Again: nothing new.
	code, out, errs = gloss(t, "merge", "--db", db, ana, bob)
	if code != 0 || !strings.Contains(out, "documents 0 added, 1 matched; spans 0 added, 0 updated, 0 deleted, 1 skipped") {
		t.Errorf("second merge: %d %q %q", code, out, errs)
	}
	code, out, _ = gloss(t, "stats", "--db", db)
	if code != 0 || !strings.Contains(out, "documents   2") || !strings.Contains(out, "spans       2") {
		t.Errorf("stats after merge: %s", out)
	}

	if code, _, errs := gloss(t, "merge", "--db", db); code != 2 || !strings.Contains(errs, "name the files") {
		t.Errorf("no files: %d %q", code, errs)
	}
	if code, _, errs := gloss(t, "merge", "--db", db, filepath.Join(dir, "missing.db")); code != 1 || !strings.Contains(errs, "missing.db") {
		t.Errorf("missing file: %d %q", code, errs)
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatal(err)
	}
}

func TestMergeCLIJSONL(t *testing.T) {
	dir := t.TempDir()
	ana := filepath.Join(dir, "ana.db")
	colleague(t, ana, "ana", "Ana's article about the harbour.")
	export := filepath.Join(dir, "ana.jsonl")
	if code, _, errs := gloss(t, "export", "--db", ana, "--format", "jsonl", "-o", export); code != 0 {
		t.Fatalf("export: %s", errs)
	}
	db := filepath.Join(dir, "lead.db")
	code, out, errs := gloss(t, "merge", "--db", db, export)
	if code != 0 || !strings.Contains(out, "documents 1 added, 0 matched; spans 1 added") {
		t.Errorf("merge jsonl: %d %q %q", code, out, errs)
	}
	code, out, errs = gloss(t, "merge", "--db", db, export, ana)
	if code != 0 || strings.Count(out, "documents 0 added, 1 matched") != 2 {
		t.Errorf("merge again: %d %q %q", code, out, errs)
	}
}
