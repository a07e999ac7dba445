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

// gloss export with every format: the summary on standard error names what
// was bent (overlaps dropped, spans off token boundaries, merged layers).
func TestExportFormatsCLI(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "g.db")
	s := storagetest.OpenAt(t, db)
	ctx := context.Background()
	doc, _, err := s.ImportDocument(ctx, storage.NewDocument{Title: "../Rents", Text: "Rents rose 5% in 2024 👍🏽 — says “the report”."})
	if err != nil {
		t.Fatal(err)
	}
	as := storagetest.Analysts(t, s, "ana", "ben")
	ana, ben := as[0], as[1]
	labels := storagetest.Labels(t, s) // Claim, Figure, Proposal
	for _, e := range []storage.Edit{
		{AnnotatorID: ana.ID, LabelID: labels[0].ID, Start: 0, End: 13},  // Rents rose 5%
		{AnnotatorID: ana.ID, LabelID: labels[1].ID, Start: 11, End: 13}, // 5%: nested, dropped in conll/hf
		{AnnotatorID: ben.ID, LabelID: labels[1].ID, Start: 17, End: 20}, // "024": off token boundaries
	} {
		e.Kind, e.DocumentID = storage.EditCreateSpan, doc.ID
		if _, err := s.Apply(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	for _, f := range []string{"jsonl", "spacy", "doccano", "brat", "conll", "labelstudio", "hf", "csv"} {
		out := filepath.Join(dir, "out-"+f)
		code, stdout, errs := gloss(t, "export", "--db", db, "--format", f, "-o", out)
		if code != 0 || stdout != "" || !strings.Contains(errs, "exported 1 document,") {
			t.Errorf("%s: %d %q %q", f, code, stdout, errs)
		}
		if _, err := os.Stat(out); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		switch f {
		case "conll", "hf":
			if !strings.Contains(errs, "warning: 1 spans were left out") || !strings.Contains(errs, "warning: 1 spans do not fall on token boundaries") ||
				!strings.Contains(errs, doc.ID) || !strings.Contains(errs, "several annotators") {
				t.Errorf("%s: summary %q", f, errs)
			}
		case "spacy":
			if !strings.Contains(errs, "warning: 1 spans do not fall on token boundaries") || strings.Contains(errs, "left out") {
				t.Errorf("%s: summary %q", f, errs)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out-hf.labels.json")); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "out-brat", "Rents.ann")); err != nil {
		t.Error(err)
	}
	// Standard output, filters, UTF-16.
	code, stdout, errs := gloss(t, "export", "--db", db, "--format", "doccano", "--annotator", "ben", "--offsets", "utf16")
	if code != 0 || stdout != `{"id":"`+doc.ID+`","text":"Rents rose 5% in 2024 👍🏽 — says “the report”.","label":[[17,20,"Figure"]]}`+"\n" {
		t.Errorf("doccano ben: %d %q %q", code, stdout, errs)
	}
	code, stdout, _ = gloss(t, "export", "--db", db, "--format", "csv", "--labels", "figure", "--status", "in_progress")
	if code != 0 || strings.Count(stdout, "\n") != 3 {
		t.Errorf("csv figures: %d %q", code, stdout)
	}
	for _, bad := range [][]string{
		{"--format", "brat", "--offsets", "utf16", "-o", filepath.Join(dir, "x")},
		{"--format", "hf"}, // standard output has no room for the labels file
		{"--format", "brat"},
		{"--format", "jsonl", "--gold"},
		{"--format", "jsonl", "--annotator", "zed"},
		{"--format", "jsonl", "--labels", "Nope"},
		{"--format", "jsonl", "--status", "finished"},
		{"--format", "yaml"},
	} {
		code, stdout, errs := gloss(t, append([]string{"export", "--db", db}, bad...)...)
		if code == 0 || stdout != "" || errs == "" {
			t.Errorf("%v: %d %q %q", bad, code, stdout, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); !os.IsNotExist(err) {
		t.Error("refused export left a file")
	}
}
