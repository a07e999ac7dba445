package storage

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestAnnotators(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	a, err := s.EnsureAnnotator(ctx, "  Ana Lyst ")
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != "Ana Lyst" || a.ID == "" || a.Created.IsZero() {
		t.Errorf("annotator = %+v", a)
	}
	again, err := s.EnsureAnnotator(ctx, "Ana Lyst")
	if err != nil || again != a {
		t.Errorf("second EnsureAnnotator = %+v, %v; want %+v", again, err, a)
	}
	for _, bad := range []string{"", "   ", "a\tb", "a\nb", strings.Repeat("x", 101)} {
		if _, err := s.EnsureAnnotator(ctx, bad); !errors.Is(err, ErrInvalidAnnotator) {
			t.Errorf("EnsureAnnotator(%q): %v", bad, err)
		}
	}
	if _, err := s.EnsureAnnotator(ctx, "Bo"); err != nil {
		t.Fatal(err)
	}
	as, err := s.Annotators(ctx)
	if err != nil || len(as) != 2 || as[0] != a || as[1].Name != "Bo" {
		t.Errorf("Annotators = %+v, %v", as, err)
	}
}

func TestDefaultLabels(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	set, err := s.DefaultLabelSet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.DefaultLabelSet(ctx)
	if err != nil || again != set || set.Name != "Default" {
		t.Errorf("DefaultLabelSet = %+v then %+v, %v", set, again, err)
	}
	ls, err := s.Labels(ctx, set.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []Label{
		{Name: "Claim", Color: "#E69F00", Key: "1", Position: 1},
		{Name: "Figure", Color: "#56B4E9", Key: "2", Position: 2},
		{Name: "Proposal", Color: "#009E73", Key: "3", Position: 3},
	}
	if len(ls) != len(want) {
		t.Fatalf("labels = %+v", ls)
	}
	for i, l := range ls {
		w := want[i]
		w.ID, w.SetID = l.ID, set.ID
		if l != w || l.ID == "" {
			t.Errorf("label %d = %+v, want %+v", i, l, w)
		}
	}
}

func TestLabelCRUD(t *testing.T) {
	f := newFixture(t)
	ctx := f.ctx
	setID := f.labels[0].SetID

	l, err := f.s.CreateLabel(ctx, Label{SetID: setID, Name: " Évidence ", Color: "#cc79a7", Key: "e"})
	if err != nil {
		t.Fatal(err)
	}
	if l.ID == "" || l.Position != 4 || l.Name != "Évidence" {
		t.Errorf("created = %+v", l)
	}

	bad := []struct {
		l      Label
		reason string
	}{
		{Label{Name: "", Color: "#000000"}, "empty"},
		{Label{Name: "a\tb", Color: "#000000"}, "control"},
		{Label{Name: "line\nbreak", Color: "#000000"}, "control"},
		{Label{Name: strings.Repeat("ü", 101), Color: "#000000"}, "at most 100"},
		{Label{Name: "claim", Color: "#000000"}, "already has a label"},
		{Label{Name: "ÉVIDENCE", Color: "#000000"}, "already has a label"},
		{Label{Name: "X", Color: "red"}, "#rrggbb"},
		{Label{Name: "X", Color: "#12345g"}, "#rrggbb"},
		{Label{Name: "X", Color: "#1234567"}, "#rrggbb"},
		{Label{Name: "X", Color: "#123456", Key: "12"}, "single printable"},
		{Label{Name: "X", Color: "#123456", Key: " "}, "single printable"},
		{Label{Name: "X", Color: "#123456", Key: "\n"}, "single printable"},
		{Label{Name: "X", Color: "#123456", Key: "1"}, "already used by label \"Claim\""},
		{Label{Name: "X", Color: "#123456", Key: "E"}, "already used"},
	}
	for _, b := range bad {
		b.l.SetID = setID
		_, err := f.s.CreateLabel(ctx, b.l)
		if !errors.Is(err, ErrInvalidLabel) || !strings.Contains(err.Error(), b.reason) {
			t.Errorf("CreateLabel(%+v) = %v, want ErrInvalidLabel with %q", b.l, err, b.reason)
		}
	}
	if _, err := f.s.CreateLabel(ctx, Label{SetID: "nope", Name: "X", Color: "#123456"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("CreateLabel in unknown set: %v", err)
	}

	// Rename, recolour, re-key, reposition.
	l.Name, l.Color, l.Key, l.Position = "Evidence", "#0072B2", "9", 0
	if err := f.s.UpdateLabel(ctx, l); err != nil {
		t.Fatal(err)
	}
	l.Position = 4 // 0 kept it
	ls, _ := f.s.Labels(ctx, setID)
	if ls[3] != l {
		t.Errorf("updated = %+v, want %+v", ls[3], l)
	}
	l.Position = -1
	if err := f.s.UpdateLabel(ctx, l); !errors.Is(err, ErrInvalidLabel) {
		t.Errorf("negative position: %v", err)
	}
	l.Position = 0
	l.Key = "2"
	if err := f.s.UpdateLabel(ctx, l); !errors.Is(err, ErrInvalidLabel) {
		t.Errorf("UpdateLabel to a taken key: %v", err)
	}
	claim := f.labels[0]
	claim.Name = "CLAIM" // a change of case of its own name is fine
	if err := f.s.UpdateLabel(ctx, claim); err != nil {
		t.Errorf("renaming Claim to CLAIM: %v", err)
	}
	claim.Position = 10
	if err := f.s.UpdateLabel(ctx, claim); err != nil {
		t.Fatal(err)
	}
	ls, _ = f.s.Labels(ctx, setID)
	if ls[len(ls)-1].ID != claim.ID {
		t.Errorf("repositioned Claim isn't last: %+v", ls)
	}
	if err := f.s.UpdateLabel(ctx, Label{ID: "nope", Name: "X", Color: "#123456"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("UpdateLabel of unknown label: %v", err)
	}
}

func TestDeleteLabel(t *testing.T) {
	f := newFixture(t)
	bo, _ := f.s.EnsureAnnotator(f.ctx, "bo")
	claim, figure := f.labels[0], f.labels[1]
	keep := f.create(t, 1, 0, 3)
	f.create(t, 0, 0, 5)
	moved := f.create(t, 0, 6, 9)
	if _, err := f.s.Apply(f.ctx, Edit{Kind: EditCreateSpan, DocumentID: f.doc.ID, AnnotatorID: bo.ID, LabelID: claim.ID, Start: 1, End: 2}); err != nil {
		t.Fatal(err)
	}
	// A span that had Claim and now has Figure: its history mentions Claim.
	if _, err := f.s.Apply(f.ctx, Edit{Kind: EditRelabelSpan, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID, SpanID: moved.ID, LabelID: figure.ID}); err != nil {
		t.Fatal(err)
	}

	if n, err := f.s.LabelUsage(f.ctx, claim.ID); err != nil || n != 2 {
		t.Errorf("LabelUsage(Claim) = %d, %v; want 2", n, err)
	}
	n, err := f.s.DeleteLabel(f.ctx, claim.ID)
	if err != nil || n != 2 {
		t.Fatalf("DeleteLabel = %d, %v; want 2", n, err)
	}
	if _, err := f.s.LabelUsage(f.ctx, claim.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("LabelUsage of deleted label: %v", err)
	}
	if _, err := f.s.DeleteLabel(f.ctx, claim.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
	sps, _ := f.s.Spans(f.ctx, f.doc.ID, "")
	if len(sps) != 2 || sps[0].ID != keep.ID || sps[1].ID != moved.ID {
		t.Errorf("spans left = %+v", sps)
	}
	// ana's history keeps only the create of the Figure span.
	e, ok, err := f.s.Undo(f.ctx, f.ann.ID, f.doc.ID)
	if err != nil || !ok || e.Kind != EditDeleteSpan || e.SpanID != keep.ID {
		t.Errorf("undo after DeleteLabel = %+v %v %v", e, ok, err)
	}
	if _, ok, err := f.s.Undo(f.ctx, f.ann.ID, f.doc.ID); ok || err != nil {
		t.Errorf("more to undo: %v %v", ok, err)
	}
	if u, _, _ := f.s.UndoState(f.ctx, bo.ID, f.doc.ID); u {
		t.Error("bo's history still has the deleted span")
	}
}

func TestEnsureLabel(t *testing.T) {
	f := newFixture(t)
	setID := f.labels[0].SetID
	l, created, err := f.s.EnsureLabel(f.ctx, setID, "claim")
	if err != nil || created || l != f.labels[0] {
		t.Errorf("EnsureLabel(claim) = %+v %v %v", l, created, err)
	}
	l, created, err = f.s.EnsureLabel(f.ctx, setID, "Method")
	if err != nil || !created {
		t.Fatalf("EnsureLabel(Method) = %+v %v %v", l, created, err)
	}
	if l.Color != "#F0E442" || l.Key != "4" || l.Position != 4 {
		t.Errorf("Method = %+v", l)
	}
	if _, _, err := f.s.EnsureLabel(f.ctx, setID, "bad\tname"); !errors.Is(err, ErrInvalidLabel) {
		t.Errorf("EnsureLabel(bad name) = %v", err)
	}
	// Run out of keys and colours.
	for i := range 8 {
		l, _, err = f.s.EnsureLabel(f.ctx, setID, "L"+string(rune('a'+i)))
		if err != nil {
			t.Fatal(err)
		}
	}
	ls, _ := f.s.Labels(f.ctx, setID)
	if len(ls) != 12 || l.Key != "" || l.Color == "" {
		t.Errorf("after 12 labels: last = %+v", l)
	}
	keys := map[string]bool{}
	for _, l := range ls {
		if l.Key != "" && keys[l.Key] {
			t.Errorf("key %q twice", l.Key)
		}
		keys[l.Key] = true
	}
}
