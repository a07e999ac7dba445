package storage

import (
	"errors"
	"strings"
	"testing"
)

func TestSuggestionsAcceptRejectBatch(t *testing.T) {
	f := newFixture(t)
	ctx, doc, ann := f.ctx, f.doc.ID, f.ann.ID
	fig, claim := f.labels[1].ID, f.labels[0].ID
	sugg := []Suggestion{
		{DocumentID: doc, LabelID: fig, Start: 30, End: 32, Score: 0.9, ModelVersion: "3"},
		{DocumentID: doc, LabelID: claim, Start: 0, End: 5, Score: 0.4, ModelVersion: "3"},
		{DocumentID: doc, LabelID: fig, Start: 20, End: 25, Score: 0.8, ModelVersion: "3"},
	}
	if n, err := f.s.ReplaceSuggestions(ctx, ann, "tagger", []string{doc}, sugg); err != nil || n != 3 {
		t.Fatalf("stored %d, %v", n, err)
	}
	// A bad one refuses the whole set, and what was there stays.
	bad := append(sugg[:1:1], Suggestion{DocumentID: doc, LabelID: fig, Start: 5, End: 999, Score: 0.5})
	if _, err := f.s.ReplaceSuggestions(ctx, ann, "tagger", []string{doc}, bad); !errors.Is(err, ErrInvalidSpan) {
		t.Errorf("out of range: %v", err)
	}
	open, err := f.s.Suggestions(ctx, doc, ann)
	if err != nil || len(open) != 3 || open[0].Start != 0 || open[0].Label != "Claim" {
		t.Fatalf("open suggestions %+v %v", open, err)
	}

	// Accepting one is an ordinary create_span that says where it came from.
	sp, err := f.s.Apply(ctx, Edit{Kind: EditCreateSpan, DocumentID: doc, AnnotatorID: ann, LabelID: fig, Start: 30, End: 32, SuggestionID: open[2].ID})
	if err != nil || !strings.HasPrefix(sp.Suggestion, "tagger v3 #") {
		t.Fatalf("accepted %+v %v", sp, err)
	}
	// Rejecting one hides it for good; undo brings it back.
	if _, err := f.s.Apply(ctx, Edit{Kind: EditRejectSuggestion, DocumentID: doc, AnnotatorID: ann, SuggestionID: open[0].ID}); err != nil {
		t.Fatal(err)
	}
	if open, _ = f.s.Suggestions(ctx, doc, ann); len(open) != 1 || open[0].Start != 20 {
		t.Fatalf("after accept and reject: %+v", open)
	}
	f.s.ReplaceSuggestions(ctx, ann, "tagger", nil, sugg) // a retrain proposes them again
	if open, _ = f.s.Suggestions(ctx, doc, ann); len(open) != 1 {
		t.Errorf("a rejected or accepted suggestion came back: %+v", open)
	}
	if rs, _ := f.s.Rejections(ctx, ann); len(rs) != 1 || rs[0].Label != "Claim" {
		t.Errorf("rejections %+v", rs)
	}
	if e, ok, err := f.s.Undo(ctx, ann, doc); !ok || err != nil || e.Kind != EditRejectSuggestion {
		t.Fatalf("undo reject: %+v %v %v", e, ok, err)
	}
	if open, _ = f.s.Suggestions(ctx, doc, ann); len(open) != 2 {
		t.Errorf("after undoing the rejection: %+v", open)
	}

	// Accept every open suggestion as one step; one undo takes them all.
	var batch []Edit
	for _, g := range open {
		batch = append(batch, Edit{Kind: EditCreateSpan, LabelID: g.LabelID, Start: g.Start, End: g.End, SuggestionID: g.ID})
	}
	made, st, err := f.s.ApplyBatch(ctx, doc, ann, batch)
	if err != nil || len(made) != 2 || st != StatusInProgress {
		t.Fatalf("batch: %d made, %s, %v", len(made), st, err)
	}
	if len(f.spans(t)) != 3 {
		t.Errorf("spans after the batch: %d", len(f.spans(t)))
	}
	if e, ok, err := f.s.Undo(ctx, ann, doc); !ok || err != nil || e.Kind != EditBatch {
		t.Fatalf("undo batch: %+v %v %v", e, ok, err)
	}
	if len(f.spans(t)) != 1 {
		t.Errorf("spans after undoing the batch: %d, want 1", len(f.spans(t)))
	}
	if _, ok, err := f.s.Redo(ctx, ann, doc); !ok || err != nil || len(f.spans(t)) != 3 {
		t.Errorf("redo batch: %v %v, %d spans", ok, err, len(f.spans(t)))
	}
	// A batch with a bad edit changes nothing.
	before := len(f.spans(t))
	if _, _, err := f.s.ApplyBatch(ctx, doc, ann, []Edit{{Kind: EditCreateSpan, LabelID: fig, Start: 1, End: 3}, {Kind: EditCreateSpan, LabelID: fig, Start: 3, End: 1}}); !errors.Is(err, ErrInvalidSpan) {
		t.Errorf("bad batch: %v", err)
	}
	if len(f.spans(t)) != before {
		t.Error("a refused batch left spans behind")
	}
}

func TestModelsKeepThreeVersions(t *testing.T) {
	f := newFixture(t)
	for i := range 5 {
		m, err := f.s.SaveModel(f.ctx, f.ann.ID, "tagger", []byte{byte(i)}, `{"spans": 3}`)
		if err != nil || m.Version != i+1 {
			t.Fatalf("save %d: %+v %v", i, m, err)
		}
	}
	m, ok, err := f.s.LatestModel(f.ctx, f.ann.ID, "tagger")
	if !ok || err != nil || m.Version != 5 || m.Data[0] != 4 {
		t.Fatalf("latest %+v %v %v", m, ok, err)
	}
	var n int
	f.s.db.QueryRow(`SELECT count(*) FROM models`).Scan(&n)
	if n != 3 {
		t.Errorf("%d versions kept, want 3", n)
	}
	if _, ok, _ := f.s.LatestModel(f.ctx, f.ann.ID, "other"); ok {
		t.Error("a model of another kind")
	}
}

// Predictions made elsewhere import as suggestions (never spans), checked
// like spans, and come out of EachRecord only when asked.
func TestImportAndExportSuggestions(t *testing.T) {
	f := newFixture(t)
	imp, err := f.s.BeginImport(f.ctx, ImportOptions{DefaultAnnotator: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	rec := ImportRecord{Doc: NewDocument{Text: sampleText, Title: "Sample"}, Suggestions: []ImportSuggestion{
		{Label: "Figure", Start: 25, End: 27, Score: 0.8, ModelVersion: "ls-1"},
		{Label: "Claim", Start: 0, End: 8, Score: 0.3, Source: "model-x"},
	}}
	if err := imp.Add(rec); err != nil {
		t.Fatal(err)
	}
	sum, err := imp.Commit()
	if err != nil || sum.Suggestions != 2 || sum.Spans != 0 {
		t.Fatalf("summary %+v %v", sum, err)
	}
	open, _ := f.s.Suggestions(f.ctx, f.doc.ID, f.ann.ID)
	if len(open) != 2 || open[1].Source != "import" || open[1].Text != "3%" {
		t.Fatalf("imported suggestions %+v", open)
	}
	// The same file again changes nothing; a bad score refuses the record.
	imp, _ = f.s.BeginImport(f.ctx, ImportOptions{DefaultAnnotator: "ana"})
	imp.Add(rec)
	if sum, _ := imp.Commit(); sum.Suggestions != 0 {
		t.Errorf("re-import stored %d suggestions", sum.Suggestions)
	}
	imp, _ = f.s.BeginImport(f.ctx, ImportOptions{DefaultAnnotator: "ana"})
	bad := rec
	bad.Suggestions = []ImportSuggestion{{Label: "Figure", Start: 25, End: 27, Score: 1.5}}
	var ie *ImportError
	if err := imp.Add(bad); !errors.As(err, &ie) || ie.Suggestion != 0 || !errors.Is(err, ErrInvalidSpan) {
		t.Errorf("bad score: %v", err)
	}
	imp.Rollback()

	count := func(want bool) int {
		n := 0
		f.s.EachRecord(f.ctx, RecordFilter{Suggestions: want}, func(r Record) error { n += len(r.Suggestions); return nil })
		return n
	}
	if count(false) != 0 || count(true) != 2 {
		t.Errorf("EachRecord suggestions: without %d, with %d", count(false), count(true))
	}
}
