package library

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gloss/storage"
	"gloss/storage/storagetest"
)

// The loop headless: spans train the tagger and the dictionary, suggestions
// are stored for other documents, and a text rejected twice with a label
// is not proposed with it again (rejections are negative evidence).
func TestLearnSuggestAndRejections(t *testing.T) {
	store, who := storagetest.WithAnalysts(t, "ana")
	ctx := context.Background()
	ana := who[0]
	var docs []storage.Document
	for i, text := range []string{
		"Rents rose 12% in the city.", "Prices fell 3% last year.", "The levy is 5% now.",
		"Wages grew 7% again.", "Fares rose 4% in May.", "A new 9% rate.",
	} {
		res, err := ImportData(ctx, store, filepath.Join("d", string(rune('a'+i))+".txt"), []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, res.Document)
	}
	labels := storagetest.LabelIDs(t, store)
	for _, d := range docs[:5] {
		i := strings.Index(d.Text, "%") // the figure is "N%"
		start := len([]rune(d.Text[:i])) - 1
		if d.Text[i-2] >= '0' && d.Text[i-2] <= '9' {
			start--
		}
		if _, err := store.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: d.ID, AnnotatorID: ana.ID,
			LabelID: labels["Figure"], Start: start, End: len([]rune(d.Text[:i])) + 1}); err != nil {
			t.Fatal(err)
		}
	}
	l, err := Learn(ctx, store, ana.ID, true, 1)
	if err != nil || l.Tagger == nil || l.Training.Spans != 5 || l.Evaluation == nil {
		t.Fatalf("learn: %+v %v", l, err)
	}
	if _, err := l.SuggestFor(ctx, store, docs[5:]); err != nil {
		t.Fatal(err)
	}
	open, _ := store.Suggestions(ctx, docs[5].ID, ana.ID)
	found := false
	for _, g := range open {
		if g.Text == "9%" && g.Label == "Figure" && g.Source == "tagger" {
			found = true
		}
	}
	if !found {
		t.Fatalf("no tagger suggestion for 9%%: %+v", open)
	}
	// Reject "9%" as a Figure here and (as if) elsewhere: twice.
	for _, g := range open {
		if g.Text == "9%" {
			if _, err := store.Apply(ctx, storage.Edit{Kind: storage.EditRejectSuggestion, DocumentID: docs[5].ID, AnnotatorID: ana.ID, SuggestionID: g.ID}); err != nil {
				t.Fatal(err)
			}
		}
	}
	rej, _ := rejectedTexts(ctx, store, ana.ID)
	if rej[rejectKey("Figure", "9%")] == 0 {
		t.Fatalf("rejections %v", rej)
	}
	// A file that is not patterns is refused with its name and line, and
	// nothing is kept.
	bad := filepath.Join(t.TempDir(), "p.jsonl")
	os.WriteFile(bad, []byte("{\"label\":\"X\"}\n"), 0o644)
	if err := CheckRules(ModelPatterns, bad); err == nil || !strings.Contains(err.Error(), "p.jsonl:1") {
		t.Errorf("bad patterns: %v", err)
	}
	kinds, _ := store.ModelKinds(ctx, ana.ID)
	if len(kinds) != 1 {
		t.Errorf("models kept: %v", kinds)
	}
}

// BenchmarkSuggestFor5000 is what opening a 5,000-character document costs
// the learner: tagger, dictionary and a pattern file run, and their
// suggestions stored (one transaction per source). The tagger is trained
// on the evaluation corpus.
func BenchmarkSuggestFor5000(b *testing.B) {
	store, who := storagetest.WithAnalysts(b, "gold")
	ctx := context.Background()
	if _, err := ImportPaths(ctx, store, []string{"../suggest/testdata/corpus/corpus.jsonl"}, ImportFileOptions{Annotator: "gold"}); err != nil {
		b.Fatal(err)
	}
	if _, err := AddRules(ctx, store, who[0].ID, ModelPatterns, "../suggest/testdata/figures.patterns.jsonl"); err != nil {
		b.Fatal(err)
	}
	l, err := Learn(ctx, store, who[0].ID, true, 1)
	if err != nil {
		b.Fatal(err)
	}
	var text strings.Builder
	for text.Len() < 5000 {
		text.WriteString("The council said rents would rise by 4.5% next year, and the minister proposed a €3bn fund to build 12,000 homes. ")
	}
	res, err := ImportData(ctx, store, "open.txt", []byte(text.String()[:5000]))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := l.SuggestFor(ctx, store, []storage.Document{res.Document}); err != nil {
			b.Fatal(err)
		}
	}
}
