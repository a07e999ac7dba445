package storage

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestSameSpanFaultSameError: the same bad span is refused with the same
// sentinel and reason whether it comes through Apply, the importer or a
// merged file.
func TestSameSpanFaultSameError(t *testing.T) {
	n := runeLen(sampleText)
	cases := []struct {
		name       string
		start, end int
		note, id   string
		msg        string
	}{
		{"note not UTF-8", 0, 5, "bad \xff note", "", "note is not valid UTF-8"},
		{"past end", 3, n + 1, "", "", "past document length"},
		{"reversed", 5, 3, "", "", "start 5 > end 3"},
		{"negative", -1, 3, "", "", "negative"},
		{"empty", 3, 3, "", "", "empty"},
		{"id not a UUID", 0, 5, "", "span-1", "not a UUID"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			check := func(path string, err error) {
				t.Helper()
				if !errors.Is(err, ErrInvalidSpan) || !strings.Contains(err.Error(), c.msg) {
					t.Errorf("%s: %v, want %v with %q", path, err, ErrInvalidSpan, c.msg)
				}
			}

			f := newFixture(t)
			_, err := f.s.Apply(f.ctx, Edit{Kind: EditCreateSpan, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID,
				LabelID: f.labels[0].ID, SpanID: c.id, Start: c.start, End: c.end, Note: c.note})
			check("Apply", err)

			_, err = runImport(t, openTest(t), ImportOptions{}, ImportRecord{Doc: NewDocument{Text: sampleText},
				Spans: []ImportSpan{{ID: c.id, Annotator: "ana", Label: "Claim", Start: c.start, End: c.end, Note: c.note}}})
			check("import", err)

			// A file with the span: made good, then damaged past the
			// schema's checks, as a broken or foreign program might.
			b := newMDB(t, "b")
			b.create(b.doc("Sample", sampleText), b.ann("ana"), b.label("Claim"), 0, 5)
			conn, err := b.s.db.Conn(b.ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := conn.ExecContext(b.ctx, `PRAGMA ignore_check_constraints = ON`); err != nil {
				t.Fatal(err)
			}
			id := c.id
			if id == "" {
				id = newID()
			}
			if _, err := conn.ExecContext(b.ctx, `UPDATE spans SET id = ?, start = ?, "end" = ?, note = ?`, id, c.start, c.end, c.note); err != nil {
				t.Fatal(err)
			}
			conn.Close()
			a := newMDB(t, "a")
			_, err = a.s.Merge(a.ctx, b.s.Path())
			check("merge", err)
		})
	}

	// A text that is not the covered text (Apply takes none).
	_, err := runImport(t, openTest(t), ImportOptions{}, ImportRecord{Doc: NewDocument{Text: sampleText},
		Spans: []ImportSpan{{Annotator: "ana", Label: "Claim", Start: 0, End: 5, Text: "nope"}}})
	b := newMDB(t, "b")
	b.create(b.doc("Sample", sampleText), b.ann("ana"), b.label("Claim"), 0, 5)
	if _, err := b.s.db.Exec(`UPDATE spans SET text = 'nope'`); err != nil {
		t.Fatal(err)
	}
	_, merr := newMDB(t, "a").s.Merge(context.Background(), b.s.Path())
	for _, err := range []error{err, merr} {
		if !errors.Is(err, ErrInvalidSpan) || !strings.Contains(err.Error(), `text "nope" does not match`) {
			t.Errorf("text mismatch: %v", err)
		}
	}

	// set_note checks a note as create_span does.
	f := newFixture(t)
	sp := f.create(t, 0, 0, 5)
	_, err = f.s.Apply(f.ctx, Edit{Kind: EditSetNote, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID, SpanID: sp.ID, Note: "\xff"})
	if !errors.Is(err, ErrInvalidSpan) {
		t.Errorf("set_note: %v", err)
	}
}

// TestMergeAcceptsNotesAndUUIDForms: the suspects checkSpans hands to
// checkSpan (notes, IDs not in the lower-case form) pass when they are good.
func TestMergeAcceptsNotesAndUUIDForms(t *testing.T) {
	b := newMDB(t, "b")
	d, ana, claim := b.doc("Sample", sampleText), b.ann("ana"), b.label("Claim")
	b.apply(Edit{Kind: EditCreateSpan, DocumentID: d, AnnotatorID: ana, LabelID: claim, Start: 0, End: 5, Note: "a “note” 👍🏽"})
	b.create(d, ana, claim, 6, 9)
	if _, err := b.s.db.Exec(`UPDATE spans SET id = '{' || upper(id) || '}' WHERE start = 6`); err != nil {
		t.Fatal(err)
	}
	a := newMDB(t, "a")
	if sum := a.merge(b); sum.SpansAdded != 2 {
		t.Errorf("merged %+v", sum)
	}
}

// TestCompareSpansIsSpansOrder: CompareSpans orders spans as Spans (SQL)
// returns them.
func TestCompareSpansIsSpansOrder(t *testing.T) {
	f := newFixture(t)
	for _, e := range [][3]int{{0, 0, 20}, {1, 2, 8}, {2, 5, 25}, {1, 0, 9}, {2, 0, 20}, {0, 30, 32}, {1, 2, 8}} {
		if _, err := f.s.Apply(f.ctx, Edit{Kind: EditCreateSpan, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID,
			LabelID: f.labels[e[0]].ID, Start: e[1], End: e[2]}); err != nil && !errors.Is(err, ErrConflict) {
			t.Fatal(err)
		}
	}
	got := f.spans(t)
	if !slices.IsSortedFunc(got, CompareSpans) {
		t.Errorf("Spans is not in CompareSpans order: %v", got)
	}
	shuffled := slices.Clone(got)
	slices.Reverse(shuffled)
	slices.SortFunc(shuffled, CompareSpans)
	if !slices.EqualFunc(got, shuffled, func(a, b Span) bool { return a.ID == b.ID }) {
		t.Errorf("sorted by CompareSpans %v, Spans %v", shuffled, got)
	}
	t0 := time.Unix(0, 0)
	a, b := Span{ID: "a", Start: 1, End: 5, Created: t0}, Span{ID: "b", Start: 1, End: 5, Created: t0}
	if CompareSpans(a, b) >= 0 || CompareSpans(b, a) <= 0 || CompareSpans(a, a) != 0 {
		t.Error("ties are not broken by ID")
	}
	if CompareSpans(Span{Start: 1, End: 9}, Span{Start: 1, End: 5}) >= 0 {
		t.Error("the outer span does not come first")
	}
}

func TestIsRefusal(t *testing.T) {
	for _, err := range []error{ErrInvalidSpan, ErrInvalidLabel, ErrConflict, ErrNotFound,
		ErrInvalidDocument, ErrInvalidAnnotator, ErrInvalidEdit} {
		if !IsRefusal(err) {
			t.Errorf("%v is not a refusal", err)
		}
	}
	for _, err := range []error{nil, ErrFileGone, errors.New("disk I/O error"), context.Canceled} {
		if IsRefusal(err) {
			t.Errorf("%v is a refusal", err)
		}
	}
	// As the store returns them: wrapped.
	f := newFixture(t)
	_, err := f.s.Apply(f.ctx, Edit{Kind: EditCreateSpan, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID,
		LabelID: f.labels[0].ID, Start: 5, End: 3})
	if !IsRefusal(err) {
		t.Errorf("a reversed span: %v", err)
	}
	_, err = runImport(t, f.s, ImportOptions{}, ImportRecord{Doc: NewDocument{Text: "x"}, Spans: []ImportSpan{{Label: "Claim", Start: 0, End: 1}}})
	var ie *ImportError
	if !errors.As(err, &ie) || !IsRefusal(err) {
		t.Errorf("an import error: %v", err)
	}
}

// resize_span moves a span's edges in one undoable edit that keeps its ID,
// label and note, and is checked like a new span.
func TestResizeSpan(t *testing.T) {
	f := newFixture(t)
	sp := f.create(t, 0, 30, 32)
	got, err := f.s.Apply(f.ctx, Edit{Kind: EditResizeSpan, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID, SpanID: sp.ID, Start: 28, End: 32})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := sliceRunes(f.doc.Text, 28, 32)
	if got.ID != sp.ID || got.LabelID != sp.LabelID || got.Start != 28 || got.End != 32 || got.Text != want || !got.Created.Equal(sp.Created) {
		t.Errorf("resized %+v, want %s 28-32 %q", got, sp.ID, want)
	}
	for _, bad := range [][2]int{{32, 28}, {30, 30}, {-1, 3}, {0, f.doc.Length + 1}} {
		if _, err := f.s.Apply(f.ctx, Edit{Kind: EditResizeSpan, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID, SpanID: sp.ID, Start: bad[0], End: bad[1]}); !errors.Is(err, ErrInvalidSpan) {
			t.Errorf("resize to %v: %v, want ErrInvalidSpan", bad, err)
		}
	}
	other := f.create(t, 0, 33, 37)
	if _, err := f.s.Apply(f.ctx, Edit{Kind: EditResizeSpan, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID, SpanID: other.ID, Start: 28, End: 32}); !errors.Is(err, ErrConflict) {
		t.Errorf("resize onto a twin: %v, want ErrConflict", err)
	}
	if _, ok, err := f.s.Undo(f.ctx, f.ann.ID, f.doc.ID); !ok || err != nil { // the second create
		t.Fatal(ok, err)
	}
	e, ok, err := f.s.Undo(f.ctx, f.ann.ID, f.doc.ID)
	if !ok || err != nil || e.Kind != EditResizeSpan || e.Start != 30 || e.End != 32 {
		t.Fatalf("undo of the resize: %+v %v %v", e, ok, err)
	}
	if back, _ := f.s.Span(f.ctx, sp.ID); back.Start != 30 || back.End != 32 || back.Text != sp.Text {
		t.Errorf("after undo %+v", back)
	}
}

// rename_document changes the shared title in one undoable step of the
// renaming analyst's history; a bad title is refused and changes nothing.
func TestRenameDocument(t *testing.T) {
	f := newFixture(t)
	old := f.doc.Title
	for _, bad := range []string{"", "  ", "two\nlines", strings.Repeat("x", 201), "\xff"} {
		if _, err := f.s.Apply(f.ctx, Edit{Kind: EditRenameDocument, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID, Title: bad}); !errors.Is(err, ErrInvalidDocument) {
			t.Errorf("title %q: %v, want ErrInvalidDocument", bad, err)
		}
	}
	if _, err := f.s.Apply(f.ctx, Edit{Kind: EditRenameDocument, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID, Title: "  Dutch cabinet agrees on housing 👍🏽 "}); err != nil {
		t.Fatal(err)
	}
	if d, _ := f.s.Document(f.ctx, f.doc.ID); d.Title != "Dutch cabinet agrees on housing 👍🏽" {
		t.Errorf("title %q", d.Title)
	}
	e, ok, err := f.s.Undo(f.ctx, f.ann.ID, f.doc.ID)
	if !ok || err != nil || e.Kind != EditRenameDocument || e.Title != old {
		t.Fatalf("undo: %+v %v %v", e, ok, err)
	}
	if d, _ := f.s.Document(f.ctx, f.doc.ID); d.Title != old {
		t.Errorf("after undo %q, want %q", d.Title, old)
	}
	if e, ok, _ := f.s.Redo(f.ctx, f.ann.ID, f.doc.ID); !ok || e.Title != "Dutch cabinet agrees on housing 👍🏽" {
		t.Errorf("redo %+v", e)
	}
}
