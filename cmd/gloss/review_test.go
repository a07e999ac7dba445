package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"gloss/storage"
	"gloss/storage/storagetest"
)

// twoAnnotators makes a database with one document labelled by Ann and Bob:
// one agreed span, one relabelled, one only Ann has.
func twoAnnotators(t *testing.T) (db, docID string) {
	t.Helper()
	dir := t.TempDir()
	db = filepath.Join(dir, "g.db")
	p := write(t, dir, "a.txt", "The council approved 280,000 homes — “a record”.\n")
	if code, _, errs := gloss(t, "import", "--db", db, p); code != 0 {
		t.Fatal(errs)
	}
	s := storagetest.OpenAt(t, db)
	defer s.Close()
	ctx := context.Background()
	docs, _ := s.DocumentSummaries(ctx, "")
	ls := storagetest.Labels(t, s)
	as := storagetest.Analysts(t, s, "Ann", "Bob")
	who := map[string]storage.Annotator{"Ann": as[0], "Bob": as[1]}
	claim, figure := ls[0].ID, ls[1].ID
	for _, sp := range []struct {
		who        string
		label      string
		start, end int
	}{
		{"Ann", figure, 21, 28}, {"Bob", figure, 21, 28}, // 280,000: agree
		{"Ann", claim, 0, 20}, {"Bob", figure, 0, 20}, // The council approved: other label
		{"Ann", claim, 38, 46}, // a record: only Ann
	} {
		if _, err := s.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: docs[0].ID,
			AnnotatorID: who[sp.who].ID, LabelID: sp.label, Start: sp.start, End: sp.end}); err != nil {
			t.Fatal(err)
		}
	}
	return db, docs[0].ID
}

func TestDiff(t *testing.T) {
	db, doc := twoAnnotators(t)
	code, out, errs := gloss(t, "diff", "--db", db, "--doc", doc, "--annotators", "Ann,Bob")
	if code != 0 {
		t.Fatalf("diff: %s", errs)
	}
	for _, want := range []string{`Figure 21-28 "280,000"`, "1 agree, 1 other label, 0 overlap, 1 only Ann, 0 only Bob", `Claim 38-46 "a record"`} {
		if !strings.Contains(out, want) {
			t.Errorf("diff output lacks %q:\n%s", want, out)
		}
	}
	if code, _, errs := gloss(t, "diff", "--db", db, "--doc", doc, "--annotators", "Ann,Zed"); code == 0 || !strings.Contains(errs, "Zed") {
		t.Errorf("unknown annotator: %d %q", code, errs)
	}
}

func TestAgree(t *testing.T) {
	db, _ := twoAnnotators(t)
	code, out, errs := gloss(t, "agree", "--db", db, "--format", "json")
	if code != 0 {
		t.Fatalf("agree: %s", errs)
	}
	var rep struct {
		Annotators []string `json:"annotators"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if strings.Join(rep.Annotators, ",") != "Ann,Bob" {
		t.Errorf("annotators %v", rep.Annotators)
	}
	code, out, _ = gloss(t, "agree", "--db", db)
	if code != 0 || !strings.Contains(out, "Ann") || !strings.Contains(strings.ToLower(out), "kappa") {
		t.Errorf("text report:\n%s", out)
	}
	if code, _, _ := gloss(t, "agree", "--db", db, "--format", "xml"); code == 0 {
		t.Error("unknown format accepted")
	}
}
