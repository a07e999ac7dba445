package storage

import (
	"slices"
	"testing"
)

func TestStatuses(t *testing.T) {
	if !slices.Equal(Statuses, []Status{StatusTodo, StatusInProgress, StatusDone, StatusReviewed}) {
		t.Errorf("Statuses = %v", Statuses)
	}
	for i, st := range Statuses {
		if !st.Valid() || statusRank(st) != i {
			t.Errorf("%s: valid %v, rank %d", st, st.Valid(), statusRank(st))
		}
	}
	for _, st := range []Status{"", "finished", "Done"} {
		if st.Valid() {
			t.Errorf("%q is valid", st)
		}
	}
	if got := statusNames(); got != "todo, in_progress, done, reviewed" {
		t.Errorf("statusNames() = %q", got)
	}
}

// TestApplyEditStatus: ApplyEdit reports the status after each kind of
// edit, the store's rule included, and agrees with Status.
func TestApplyEditStatus(t *testing.T) {
	f := newFixture(t)
	e := func(e Edit) Applied {
		t.Helper()
		e.DocumentID, e.AnnotatorID = f.doc.ID, f.ann.ID
		a, err := f.s.ApplyEdit(f.ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		if st, err := f.s.Status(f.ctx, f.doc.ID, f.ann.ID); err != nil || st != a.Status {
			t.Errorf("%s: ApplyEdit says %q, Status %q %v", e.Kind, a.Status, st, err)
		}
		return a
	}
	a := e(Edit{Kind: EditCreateSpan, LabelID: f.labels[0].ID, Start: 0, End: 5})
	if a.Status != StatusInProgress || a.Span.ID == "" {
		t.Errorf("create on todo: %+v", a)
	}
	e(Edit{Kind: EditSetStatus, Status: StatusDone})
	if b := e(Edit{Kind: EditCreateSpan, LabelID: f.labels[1].ID, Start: 0, End: 5}); b.Status != StatusDone {
		t.Errorf("create on done: %q", b.Status)
	}
	if b := e(Edit{Kind: EditRelabelSpan, SpanID: a.Span.ID, LabelID: f.labels[2].ID}); b.Status != StatusDone || b.Span.LabelID != f.labels[2].ID {
		t.Errorf("relabel: %+v", b)
	}
	e(Edit{Kind: EditSetStatus, Status: StatusTodo})
	if b := e(Edit{Kind: EditSetNote, SpanID: a.Span.ID, Note: "n"}); b.Status != StatusTodo {
		t.Errorf("note: %q", b.Status)
	}
	if b := e(Edit{Kind: EditDeleteSpan, SpanID: a.Span.ID}); b.Status != StatusTodo || b.Span.ID != a.Span.ID {
		t.Errorf("delete: %+v", b)
	}
	if b := e(Edit{Kind: EditCreateSpan, LabelID: f.labels[0].ID, Start: 6, End: 9}); b.Status != StatusInProgress {
		t.Errorf("create on an explicit todo: %q", b.Status)
	}
}

// TestImportStartsWork: a span the import adds starts work as Apply's
// does, on a missing or todo status; a status given or further along stays.
func TestImportStartsWork(t *testing.T) {
	f := newFixture(t)
	ben, err := f.s.EnsureAnnotator(f.ctx, "ben")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []Edit{
		{Kind: EditSetStatus, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID, Status: StatusInProgress},
		{Kind: EditSetStatus, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID, Status: StatusTodo},
		{Kind: EditSetStatus, DocumentID: f.doc.ID, AnnotatorID: ben.ID, Status: StatusDone},
	} {
		if _, err := f.s.Apply(f.ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	_, err = runImport(t, f.s, ImportOptions{}, ImportRecord{Doc: NewDocument{Text: sampleText}, Spans: []ImportSpan{
		{Annotator: "ana", Label: "Claim", Start: 0, End: 5},
		{Annotator: "ben", Label: "Claim", Start: 0, End: 5},
		{Annotator: "cem", Label: "Claim", Start: 0, End: 5},
		{Annotator: "dan", Label: "Claim", Start: 0, End: 5},
	}, Statuses: []ImportStatus{{Annotator: "dan", Status: StatusTodo}}})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]Status{"ana": StatusInProgress, "ben": StatusDone, "cem": StatusInProgress, "dan": StatusTodo} {
		a, _ := f.s.EnsureAnnotator(f.ctx, name)
		if st, _ := f.s.Status(f.ctx, f.doc.ID, a.ID); st != want {
			t.Errorf("%s: %s, want %s", name, st, want)
		}
	}
}

func TestGold(t *testing.T) {
	f := newFixture(t)
	g, err := f.s.EnsureGold(f.ctx)
	if err != nil || g.Name != GoldAnnotator {
		t.Fatalf("%+v %v", g, err)
	}
	again, err := f.s.EnsureGold(f.ctx)
	if err != nil || again.ID != g.ID {
		t.Errorf("a second gold annotator: %+v %v", again, err)
	}
	for name, want := range map[string]bool{"gold": true, "Gold": true, "GOLD": true, "golden": false, "ana": false, "": false} {
		if IsGold(name) != want {
			t.Errorf("IsGold(%q) = %v", name, !want)
		}
	}
}
