package storage

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// dbCounts is a rough fingerprint of the database's contents.
func dbCounts(t testing.TB, s *Store) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"annotators", "label_sets", "labels", "documents", "document_texts", "spans", "document_status", "edits", "tombstones"} {
		var n int
		// table names are our constants.
		if err := s.db.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

func sameCounts(a, b map[string]int) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return len(a) == len(b)
}

func TestCreateSpanCodePoints(t *testing.T) {
	f := newFixture(t)
	// sampleText = "“Growth,” she said — “is 3%.” 👍🏽 東京 ok"
	runes := []rune(sampleText)
	if f.doc.Length != len(runes) {
		t.Fatalf("Length = %d, want %d", f.doc.Length, len(runes))
	}
	cases := []struct {
		start, end int
		want       string
	}{
		{0, 9, "“Growth,”"},
		{19, 20, "—"},
		{21, 29, "“is 3%.”"},
		{30, 32, "👍🏽"},
		{33, 35, "東京"},
		{36, 38, "ok"},
	}
	for _, c := range cases {
		sp := f.create(t, 0, c.start, c.end)
		if sp.Text != c.want {
			t.Errorf("[%d,%d) text = %q, want %q", c.start, c.end, sp.Text, c.want)
		}
		if sp.Text != string(runes[c.start:c.end]) {
			t.Errorf("[%d,%d) text differs from the runes", c.start, c.end)
		}
		if sp.Label != "Claim" || sp.Annotator != "ana" || sp.ID == "" || sp.Created.IsZero() || !sp.Created.Equal(sp.Updated) {
			t.Errorf("span = %+v", sp)
		}
		got, err := f.s.Span(f.ctx, sp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got != sp {
			t.Errorf("Span() = %+v\nApply returned %+v", got, sp)
		}
	}
	// The status went from todo to in_progress.
	if st, err := f.s.Status(f.ctx, f.doc.ID, f.ann.ID); err != nil || st != StatusInProgress {
		t.Errorf("status = %q, %v", st, err)
	}
}

func TestCreateSpanRefusals(t *testing.T) {
	f := newFixture(t)
	f.create(t, 0, 0, 5)
	before := dbCounts(t, f.s)
	n := f.doc.Length
	cases := []struct {
		name    string
		e       Edit
		want    error
		message string
	}{
		{"empty", Edit{Start: 3, End: 3}, ErrInvalidSpan, "empty"},
		{"reversed", Edit{Start: 5, End: 3}, ErrInvalidSpan, "start 5 > end 3"},
		{"negative", Edit{Start: -1, End: 3}, ErrInvalidSpan, "negative"},
		{"past end", Edit{Start: 3, End: n + 1}, ErrInvalidSpan, "past document length"},
		{"unknown label", Edit{Start: 0, End: 3, LabelID: "nope"}, ErrNotFound, "label"},
		{"unknown doc", Edit{DocumentID: "nope", Start: 0, End: 3}, ErrNotFound, "document"},
		{"unknown annotator", Edit{AnnotatorID: "nope", Start: 0, End: 3}, ErrNotFound, "annotator"},
		{"duplicate", Edit{Start: 0, End: 5}, ErrConflict, "already"},
		{"bad span id", Edit{Start: 0, End: 2, SpanID: "x"}, ErrInvalidSpan, "UUID"},
	}
	for _, c := range cases {
		e := c.e
		e.Kind = EditCreateSpan
		if e.DocumentID == "" {
			e.DocumentID = f.doc.ID
		}
		if e.AnnotatorID == "" {
			e.AnnotatorID = f.ann.ID
		}
		if e.LabelID == "" {
			e.LabelID = f.labels[0].ID
		}
		_, err := f.s.Apply(f.ctx, e)
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.message) {
			t.Errorf("%s: err = %v, want %v containing %q", c.name, err, c.want, c.message)
		}
	}
	if after := dbCounts(t, f.s); !sameCounts(before, after) {
		t.Errorf("refused edits changed the database: %v -> %v", before, after)
	}
	// The very end is fine.
	f.create(t, 0, n-1, n)
	// So is the same extent with another label.
	f.create(t, 1, 0, 5)
}

func TestOverlappingAndNestedSpans(t *testing.T) {
	f := newFixture(t)
	f.create(t, 0, 0, 20)  // outer
	f.create(t, 1, 2, 8)   // nested
	f.create(t, 2, 5, 25)  // overlapping
	f.create(t, 1, 0, 9)   // same start, shorter
	f.create(t, 0, 30, 32) // emoji
	sps := f.spans(t)
	var got [][2]int
	for _, sp := range sps {
		got = append(got, [2]int{sp.Start, sp.End})
	}
	want := [][2]int{{0, 20}, {0, 9}, {2, 8}, {5, 25}, {30, 32}}
	if len(got) != len(want) {
		t.Fatalf("spans = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("spans = %v, want %v", got, want)
		}
	}
}

func TestRelabelNoteStatus(t *testing.T) {
	f := newFixture(t)
	sp := f.create(t, 0, 0, 9)

	re, err := f.s.Apply(f.ctx, Edit{Kind: EditRelabelSpan, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID, SpanID: sp.ID, LabelID: f.labels[2].ID})
	if err != nil {
		t.Fatal(err)
	}
	if re.LabelID != f.labels[2].ID || re.Label != "Proposal" || !re.Updated.After(sp.Updated) || !re.Created.Equal(sp.Created) {
		t.Errorf("relabelled = %+v", re)
	}
	if _, err := f.s.Apply(f.ctx, Edit{Kind: EditRelabelSpan, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID, SpanID: sp.ID, LabelID: "nope"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("relabel to unknown label: %v", err)
	}

	noted, err := f.s.Apply(f.ctx, Edit{Kind: EditSetNote, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID, SpanID: sp.ID, Note: "check the source ✓"})
	if err != nil {
		t.Fatal(err)
	}
	if noted.Note != "check the source ✓" || noted.LabelID != f.labels[2].ID {
		t.Errorf("noted = %+v", noted)
	}

	if _, err := f.s.Apply(f.ctx, Edit{Kind: EditSetStatus, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID, Status: StatusDone}); err != nil {
		t.Fatal(err)
	}
	if st, _ := f.s.Status(f.ctx, f.doc.ID, f.ann.ID); st != StatusDone {
		t.Errorf("status = %s", st)
	}
	if _, err := f.s.Apply(f.ctx, Edit{Kind: EditSetStatus, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID, Status: "finished"}); !errors.Is(err, ErrInvalidEdit) {
		t.Errorf("unknown status: %v", err)
	}
	// Creating a span doesn't take a done document back to in_progress.
	f.create(t, 1, 0, 9)
	if st, _ := f.s.Status(f.ctx, f.doc.ID, f.ann.ID); st != StatusDone {
		t.Errorf("status after create = %s", st)
	}

	// Another annotator can neither change nor delete ana's span.
	bo, _ := f.s.EnsureAnnotator(f.ctx, "bo")
	if _, err := f.s.Apply(f.ctx, Edit{Kind: EditDeleteSpan, DocumentID: f.doc.ID, AnnotatorID: bo.ID, SpanID: sp.ID}); !errors.Is(err, ErrConflict) {
		t.Errorf("deleting another's span: %v", err)
	}
	if _, err := f.s.Apply(f.ctx, Edit{Kind: "shout", DocumentID: f.doc.ID, AnnotatorID: bo.ID}); !errors.Is(err, ErrInvalidEdit) {
		t.Errorf("unknown kind: %v", err)
	}
	if st, _ := f.s.Status(f.ctx, f.doc.ID, bo.ID); st != StatusTodo {
		t.Errorf("bo's status = %s", st)
	}

	del, err := f.s.Apply(f.ctx, Edit{Kind: EditDeleteSpan, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID, SpanID: sp.ID})
	if err != nil {
		t.Fatal(err)
	}
	if del.ID != sp.ID || del.Note != "check the source ✓" {
		t.Errorf("deleted = %+v", del)
	}
	if _, err := f.s.Span(f.ctx, sp.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted span: %v", err)
	}
	if _, err := f.s.Apply(f.ctx, Edit{Kind: EditDeleteSpan, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID, SpanID: sp.ID}); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
}

// snapshot is the annotator's spans and status, for comparing states.
type snapshot struct {
	spans  []Span
	status Status
}

func (f *fixture) snap(t testing.TB) snapshot {
	t.Helper()
	st, err := f.s.Status(f.ctx, f.doc.ID, f.ann.ID)
	if err != nil {
		t.Fatal(err)
	}
	return snapshot{f.spans(t), st}
}

func (a snapshot) equal(b snapshot) bool {
	if a.status != b.status || len(a.spans) != len(b.spans) {
		return false
	}
	for i := range a.spans {
		if a.spans[i] != b.spans[i] {
			return false
		}
	}
	return true
}

func TestUndoRedoEveryKind(t *testing.T) {
	f := newFixture(t)
	ctx := f.ctx
	doc, ann := f.doc.ID, f.ann.ID
	if u, r, _ := f.s.UndoState(ctx, ann, doc); u || r {
		t.Fatal("fresh history can undo or redo")
	}
	if _, ok, err := f.s.Undo(ctx, ann, doc); ok || err != nil {
		t.Fatalf("Undo on empty history: %v %v", ok, err)
	}

	states := []snapshot{f.snap(t)}
	sp := f.create(t, 0, 30, 32)
	states = append(states, f.snap(t))
	edits := []Edit{
		{Kind: EditRelabelSpan, SpanID: sp.ID, LabelID: f.labels[1].ID},
		{Kind: EditResizeSpan, SpanID: sp.ID, Start: 29, End: 32},
		{Kind: EditSetNote, SpanID: sp.ID, Note: "emoji"},
		{Kind: EditSetStatus, Status: StatusDone},
		{Kind: EditSetNote, SpanID: sp.ID, Note: ""},
		{Kind: EditDeleteSpan, SpanID: sp.ID},
	}
	for _, e := range edits {
		e.DocumentID, e.AnnotatorID = doc, ann
		if _, err := f.s.Apply(ctx, e); err != nil {
			t.Fatal(err)
		}
		states = append(states, f.snap(t))
	}

	// Undo everything, checking each state on the way back.
	wantKinds := []EditKind{EditCreateSpan, EditSetNote, EditSetStatus, EditSetNote, EditResizeSpan, EditRelabelSpan, EditDeleteSpan}
	for i := len(states) - 2; i >= 0; i-- {
		e, ok, err := f.s.Undo(ctx, ann, doc)
		if err != nil || !ok {
			t.Fatalf("undo %d: %v %v", i, ok, err)
		}
		if k := wantKinds[len(states)-2-i]; e.Kind != k {
			t.Errorf("undo %d applied %s, want %s", i, e.Kind, k)
		}
		// Undoing the span that started the work (todo → in progress)
		// puts the document back to to do: no "In progress" with 0 spans.
		want := states[i]
		if got := f.snap(t); !got.equal(want) {
			t.Errorf("after undo to state %d:\n got %+v\nwant %+v", i, got, want)
		}
	}
	if _, ok, _ := f.s.Undo(ctx, ann, doc); ok {
		t.Error("undid past the start")
	}
	if u, r, _ := f.s.UndoState(ctx, ann, doc); u || !r {
		t.Errorf("UndoState = %v %v, want false true", u, r)
	}

	// Redo everything.
	for i := 1; i < len(states); i++ {
		e, ok, err := f.s.Redo(ctx, ann, doc)
		if err != nil || !ok {
			t.Fatalf("redo %d: %v %v", i, ok, err)
		}
		if i == 1 && (e.Kind != EditCreateSpan || e.SpanID != sp.ID || e.Start != 30 || e.End != 32) {
			t.Errorf("redo of the create = %+v", e)
		}
		got := f.snap(t)
		want := states[i]
		if i == 1 {
			want.status = StatusInProgress
		}
		if !got.equal(want) {
			t.Errorf("after redo to state %d:\n got %+v\nwant %+v", i, got, want)
		}
	}
	if _, ok, _ := f.s.Redo(ctx, ann, doc); ok {
		t.Error("redid past the end")
	}

	// Undo the delete: the span comes back with its ID and timestamps.
	e, ok, err := f.s.Undo(ctx, ann, doc)
	if err != nil || !ok || e.Kind != EditCreateSpan || e.SpanID != sp.ID {
		t.Fatalf("undo delete: %+v %v %v", e, ok, err)
	}
	back, err := f.s.Span(ctx, sp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Created.Equal(sp.Created) || back != states[len(states)-2].spans[0] {
		t.Errorf("recreated span = %+v", back)
	}
}

func TestNewEditClearsRedo(t *testing.T) {
	f := newFixture(t)
	a := f.create(t, 0, 0, 5)
	f.create(t, 1, 0, 5)
	if _, _, err := f.s.Undo(f.ctx, f.ann.ID, f.doc.ID); err != nil {
		t.Fatal(err)
	}
	if _, r, _ := f.s.UndoState(f.ctx, f.ann.ID, f.doc.ID); !r {
		t.Fatal("nothing to redo after undo")
	}
	// A no-op edit leaves the redo entries alone.
	if _, err := f.s.Apply(f.ctx, Edit{Kind: EditSetNote, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID, SpanID: a.ID, Note: ""}); err != nil {
		t.Fatal(err)
	}
	if _, r, _ := f.s.UndoState(f.ctx, f.ann.ID, f.doc.ID); !r {
		t.Fatal("a no-op edit cleared redo")
	}
	f.create(t, 2, 0, 5)
	if u, r, _ := f.s.UndoState(f.ctx, f.ann.ID, f.doc.ID); !u || r {
		t.Errorf("after a new edit UndoState = %v %v, want true false", u, r)
	}
	if _, ok, _ := f.s.Redo(f.ctx, f.ann.ID, f.doc.ID); ok {
		t.Error("redo after a new edit")
	}
	// Histories are per annotator: bo's edit doesn't clear ana's redo.
	if _, _, err := f.s.Undo(f.ctx, f.ann.ID, f.doc.ID); err != nil {
		t.Fatal(err)
	}
	bo, _ := f.s.EnsureAnnotator(f.ctx, "bo")
	if _, err := f.s.Apply(f.ctx, Edit{Kind: EditCreateSpan, DocumentID: f.doc.ID, AnnotatorID: bo.ID, LabelID: f.labels[0].ID, Start: 0, End: 5}); err != nil {
		t.Fatal(err)
	}
	if _, r, _ := f.s.UndoState(f.ctx, f.ann.ID, f.doc.ID); !r {
		t.Error("bo's edit cleared ana's redo")
	}
}

func TestUndoSurvivesRestart(t *testing.T) {
	f := newFixture(t)
	sp := f.create(t, 0, 0, 9)
	if _, err := f.s.Apply(f.ctx, Edit{Kind: EditSetNote, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID, SpanID: sp.ID, Note: "n"}); err != nil {
		t.Fatal(err)
	}
	path := f.s.Path()
	if err := f.s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	e, ok, err := s.Undo(ctx, f.ann.ID, f.doc.ID)
	if err != nil || !ok || e.Kind != EditSetNote || e.Note != "" {
		t.Fatalf("undo after reopen: %+v %v %v", e, ok, err)
	}
	e, ok, err = s.Undo(ctx, f.ann.ID, f.doc.ID)
	if err != nil || !ok || e.Kind != EditDeleteSpan || e.SpanID != sp.ID {
		t.Fatalf("second undo after reopen: %+v %v %v", e, ok, err)
	}
	if sps, _ := s.Spans(ctx, f.doc.ID, ""); len(sps) != 0 {
		t.Errorf("spans left: %v", sps)
	}
}

func TestUndoConflictLeavesHistory(t *testing.T) {
	f := newFixture(t)
	sp := f.create(t, 0, 0, 9)
	// Simulate a change behind the history's back.
	if _, err := f.s.db.Exec(`UPDATE spans SET note = 'sneaky' WHERE id = ?`, sp.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.s.Undo(f.ctx, f.ann.ID, f.doc.ID); !errors.Is(err, ErrConflict) {
		t.Errorf("undo of a changed span: %v", err)
	}
	if u, _, _ := f.s.UndoState(f.ctx, f.ann.ID, f.doc.ID); !u {
		t.Error("the failed undo consumed the entry")
	}
}
