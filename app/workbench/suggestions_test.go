package workbench

import (
	"context"
	"strings"
	"testing"

	"gloss/storage"
)

// suggest stores suggestions for the open document as the tagger would.
func suggest(t *testing.T, w *Workbench, ss ...storage.Suggestion) {
	t.Helper()
	for i := range ss {
		ss[i].DocumentID = w.doc.ID
	}
	if _, err := w.store.ReplaceSuggestions(context.Background(), w.me.ID, "tagger", []string{w.doc.ID}, ss); err != nil {
		t.Fatal(err)
	}
	w.reloadSpans()
}

func TestSuggestionsAreAcceptedAndRejectedByKeys(t *testing.T) {
	w, store, _ := open(t)
	fig, claim := w.labels[1].ID, w.labels[0].ID
	suggest(t, w,
		storage.Suggestion{LabelID: fig, Start: 31, End: 38, Score: 0.9, ModelVersion: "2"}, // 280,000
		storage.Suggestion{LabelID: claim, Start: 14, End: 21, Score: 0.7},                  // council
		storage.Suggestion{LabelID: fig, Start: 39, End: 44, Score: 0.2},                    // below the threshold
	)
	if len(w.suggs) != 2 {
		t.Fatalf("shown suggestions %d, want 2 (one is below the threshold)", len(w.suggs))
	}
	// Drawn in the article, unlike spans: dotted, tagged with "?" and a score.
	g := w.suggs[1]
	if !w.text.SelectNextSpan(1) {
		t.Fatal("Tab does not reach suggestions")
	}
	w.text.SelectSpan(g.ID)
	w.selectionChanged()
	if !strings.Contains(w.position.Text, "Enter accepts") {
		t.Errorf("status %q", w.position.Text)
	}
	w.text.OnActivate(g.ID) // Enter
	ss := spansOf(t, store, w)
	if len(ss) != 1 || ss[0].Text != "280,000" || ss[0].Suggestion != "tagger v2" {
		t.Fatalf("after Enter on a suggestion: %+v", ss)
	}
	// x rejects the other; Ctrl+Z brings it back.
	w.text.SelectSpan(w.suggs[0].ID)
	w.typedRune('x')
	if len(w.suggs) != 0 || len(spansOf(t, store, w)) != 1 {
		t.Fatalf("after x: %d suggestions", len(w.suggs))
	}
	w.undo()
	if len(w.suggs) != 1 {
		t.Fatalf("after undoing the rejection: %d suggestions", len(w.suggs))
	}
	// A label key on a suggestion accepts it with that label.
	w.text.SelectSpan(w.suggs[0].ID)
	w.typedRune('3')
	if ss = spansOf(t, store, w); len(ss) != 2 || ss[0].Label != "Proposal" {
		t.Errorf("label key on a suggestion: %+v", ss)
	}
}

func TestAcceptEverySuggestionIsOneUndo(t *testing.T) {
	w, store, _ := open(t)
	fig := w.labels[1].ID
	suggest(t, w,
		storage.Suggestion{LabelID: fig, Start: 31, End: 38, Score: 0.9},
		storage.Suggestion{LabelID: fig, Start: 14, End: 21, Score: 0.8},
	)
	w.acceptAllSuggestions()
	if n := len(spansOf(t, store, w)); n != 2 || len(w.suggs) != 0 {
		t.Fatalf("after accept all: %d spans, %d suggestions", n, len(w.suggs))
	}
	w.undo()
	if n := len(spansOf(t, store, w)); n != 0 || len(w.suggs) != 2 {
		t.Errorf("one undo: %d spans left, %d suggestions back", n, len(w.suggs))
	}
	w.toggleSuggestions()
	if len(w.suggs) != 0 {
		t.Error("suggestions still shown when switched off")
	}
	w.toggleSuggestions()
}
