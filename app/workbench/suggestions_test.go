package workbench

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"gloss/app/library"
	"gloss/storage"
)

// suggestFor stores suggestions for the open document as an import of
// another tool's predictions would (the learner replaces only its own).
func suggestFor(t *testing.T, w *Workbench, ss ...storage.Suggestion) {
	t.Helper()
	for i := range ss {
		ss[i].DocumentID = w.doc.ID
	}
	if _, err := w.store.ReplaceSuggestions(context.Background(), w.me.ID, "import", []string{w.doc.ID}, ss); err != nil {
		t.Fatal(err)
	}
	w.reloadSpans()
}

func TestSuggestionsAreAcceptedAndRejectedByKeys(t *testing.T) {
	w, store, _ := open(t)
	fig, claim := w.labels[1].ID, w.labels[0].ID
	suggestFor(t, w,
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
	if len(ss) != 1 || ss[0].Text != "280,000" || !strings.HasPrefix(ss[0].Suggestion, "import v2 #") {
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
	suggestFor(t, w,
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

// The loop an analyst sees: label in one document, and the next document
// proposes the same text with the same label (the dictionary) — learned
// after the edit, in the background, and still there after a restart.
func TestSuggestionsLearnWhileLabelling(t *testing.T) {
	w, store, _ := open(t)
	ctx := context.Background()
	// A third article repeats "280,000 homes".
	if _, err := library.ImportData(ctx, store, "third.txt", []byte("Builders doubt the 280,000 homes will come.\n")); err != nil {
		t.Fatal(err)
	}
	w.reloadDocuments()
	w.text.SetSelection(31, 38) // "280,000"
	w.typedRune('2')
	if w.learn.learner == nil || w.learn.learner.Dictionary.Len() != 1 {
		t.Fatal("the learner did not learn from the new span")
	}
	var third string
	for _, d := range listed(w) {
		if d.Title == "Builders doubt the 280,000 homes will come." {
			third = d.ID
		}
	}
	w.openDocument(third)
	if len(w.suggs) != 1 || w.suggs[0].Label != "Figure" || w.suggs[0].Text != "280,000" || w.suggs[0].Source != "dictionary" {
		t.Fatalf("suggestions on the next document: %+v", w.suggs)
	}
	if !strings.Contains(w.learnInfo.Text, "tagger v") {
		t.Errorf("status bar %q", w.learnInfo.Text)
	}
	// After a restart (a second window on the same file, as a new run
	// would be) the stored model and the suggestions are there.
	w2, err := New(test.NewTempApp(t), store, Options{Annotator: "Tess"})
	if err != nil {
		t.Fatal(err)
	}
	synchronous(w2)
	w2.Start(nil)
	t.Cleanup(func() { w2.win.Close() })
	w2.openDocument(third)
	if len(w2.suggs) != 1 || w2.learn.learner == nil || w2.learn.learner.Tagger == nil {
		t.Errorf("after a restart: %d suggestions, learner %v", len(w2.suggs), w2.learn.learner)
	}
}

// The Suggestions panel says what each source learned from and how it
// scores, and a pattern file added there runs on the open document.
func TestSuggestionsPanelAndRules(t *testing.T) {
	w, store, _ := open(t)
	w.text.SetSelection(31, 38)
	w.typedRune('2')
	w.showSuggestionsPanel()
	var labels []*widget.Label
	collect(t, w.win.Canvas().Overlays().Top(), &labels)
	var all []string
	for _, l := range labels {
		all = append(all, l.Text)
	}
	text := strings.Join(all, "\n")
	if !strings.Contains(text, "Version 1, trained") || !strings.Contains(text, "1 span in 1 document") || !strings.Contains(text, "dictionary") {
		t.Errorf("panel says:\n%s", text)
	}
	w.closeTopDialog()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte(`{"label":"Figure","pattern":[{"LEMMA":"x"}]}`+"\n"), 0o644)
	if _, err := library.AddRules(context.Background(), store, w.me.ID, library.ModelPatterns, bad); err == nil || !strings.Contains(err.Error(), "bad.jsonl:1") {
		t.Errorf("a bad pattern file: %v", err)
	}
	good := filepath.Join(dir, "mayor.jsonl")
	os.WriteFile(good, []byte(`{"label":"Claim","pattern":"the mayor"}`+"\n"), 0o644)
	if _, err := library.AddRules(context.Background(), store, w.me.ID, library.ModelPatterns, good); err != nil {
		t.Fatal(err)
	}
	w.runLearner(false)
	found := false
	for _, g := range w.suggs {
		if g.Source == "patterns:mayor.jsonl" && g.Text == "The mayor" {
			found = true
		}
	}
	if !found {
		t.Errorf("the pattern did not suggest: %+v", w.suggs)
	}
}

// A click on a suggestion accepts it (Tab only selects it).
func TestClickAcceptsASuggestion(t *testing.T) {
	w, store, _ := open(t)
	w.win.Resize(fyne.NewSize(1280, 800))
	suggestFor(t, w, storage.Suggestion{LabelID: w.labels[1].ID, Start: 31, End: 38, Score: 0.9})
	p, h := w.text.PositionOf(33)
	w.text.Tapped(&fyne.PointEvent{Position: fyne.NewPos(p.X+2, p.Y+h/2)})
	if ss := spansOf(t, store, w); len(ss) != 1 || ss[0].Text != "280,000" {
		t.Fatalf("after a click on the suggestion: %+v", ss)
	}
	if !strings.Contains(w.message.Text, "Accepted") {
		t.Errorf("status %q", w.message.Text)
	}
}

// One source can be switched off in the panel; its suggestions go.
func TestOneSourceOff(t *testing.T) {
	w, _, _ := open(t)
	suggestFor(t, w, storage.Suggestion{LabelID: w.labels[1].ID, Start: 31, End: 38, Score: 0.9})
	if len(w.suggs) != 1 {
		t.Fatal("no suggestion")
	}
	w.app.Preferences().SetBool(prefSuggestSourceOff+"import", true)
	w.loadSuggestions()
	if len(w.suggs) != 0 {
		t.Error("a switched-off source still suggests")
	}
}
