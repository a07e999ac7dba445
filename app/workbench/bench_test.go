package workbench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"gloss/app/library"
	"gloss/app/tokens"
	"gloss/assets"
	"gloss/storage"
)

// bigStore makes a database with a ~1 MB article and 10,000 spans of one
// analyst on it, on word boundaries. GLOSS_BENCH_DB=PATH keeps it at PATH, for
// measuring the real program on it (docs/benchmarks.md).
func bigStore(b *testing.B) (*storage.Store, string) {
	b.Helper()
	path := os.Getenv("GLOSS_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "big.db")
	}
	os.Remove(path)
	store, err := storage.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	ctx := context.Background()
	set, _ := store.DefaultLabelSet(ctx)
	labels, _ := store.Labels(ctx, set.ID)
	var long []byte
	for _, s := range assets.Samples() {
		if strings.HasPrefix(s.Name, "parliament") {
			long = s.Data
		}
	}
	var sb strings.Builder
	for sb.Len() < 1<<20 {
		sb.Write(long)
		sb.WriteString("\n\n")
	}
	res, err := library.ImportData(ctx, store, "big.txt", []byte(sb.String()))
	if err != nil {
		b.Fatal(err)
	}
	doc, _ := store.Document(ctx, res.Document.ID)
	me, _ := store.EnsureAnnotator(ctx, "Bench")
	toks := tokens.Tokenize(doc.Text)
	step := len(toks) / 10000
	for i := 0; i < 10000; i++ {
		t0 := toks[i*step]
		t1 := toks[min(i*step+1+i%3, len(toks)-1)]
		if _, err := store.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: doc.ID, AnnotatorID: me.ID,
			LabelID: labels[i%len(labels)].ID, Start: t0.Start, End: t1.End}); err != nil {
			b.Fatal(err)
		}
	}
	return store, doc.ID
}

// BenchmarkLabelAction is one label key press in a 1 MB document with 10,000
// spans: the selection becomes a span, saved in its own transaction, and the
// article, span list and document list are updated.
func BenchmarkLabelAction(b *testing.B) {
	store, docID := bigStore(b)
	a := test.NewTempApp(b)
	w := benchWindow(b, a, store)
	w.openDocument(docID)
	if len(w.spans) != 10000 {
		b.Fatalf("%d spans", len(w.spans))
	}
	pressLabelKeys(b, w)
}

// pressLabelKeys is the label action b.N times, timed: a word of the open
// document selected, a label's key pressed (1, 2, 3 in turn). A word
// labelled already is refused as a duplicate: still one action. The window
// is closed after.
func pressLabelKeys(b *testing.B, w *Workbench) {
	b.Helper()
	toks := tokens.Tokenize(w.doc.Text)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t := toks[(i*7919+13)%len(toks)]
		w.text.SelectSpan("")
		w.text.SetSelection(t.Start, t.End)
		if !w.typedRune('1' + rune(i%3)) {
			b.Fatal("key not handled")
		}
	}
	b.StopTimer()
	w.win.Close()
}

// BenchmarkOpenLargeDocument opens the 1 MB document with its 10,000 spans and
// reports the process's resident memory afterwards.
func BenchmarkOpenLargeDocument(b *testing.B) {
	store, docID := bigStore(b)
	a := test.NewTempApp(b)
	w := benchWindow(b, a, store)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.doc = nil
		w.openDocument(docID)
		w.win.Canvas().Capture()
	}
	b.StopTimer()
	runtime.GC()
	if rss := residentMB(); rss > 0 {
		b.ReportMetric(rss, "RSS-MB")
	}
	w.win.Close()
}

// residentMB reads VmRSS from /proc (Linux); 0 elsewhere.
func residentMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.Atoi(f[1])
			return float64(kb) / 1024
		}
	}
	return 0
}

// BenchmarkFilterKeystroke100k is one keystroke in the document filter
// with 100,000 documents listed: every title and file name is matched and
// the list gets the documents that pass.
func BenchmarkFilterKeystroke100k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "f.db")
	store, err := storage.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	docs := make([]storage.NewDocument, 0, 1000)
	for i := range 100_000 {
		docs = append(docs, storage.NewDocument{Title: fmt.Sprintf("Council report %d on housing and water", i),
			Text: fmt.Sprintf("Text %d.", i), FileName: fmt.Sprintf("report-%d.txt", i)})
		if len(docs) == cap(docs) {
			if _, _, err := store.ImportDocuments(ctx, docs); err != nil {
				b.Fatal(err)
			}
			docs = docs[:0]
		}
	}
	w := benchWindow(b, test.NewTempApp(b), store)
	// The query and the list shown with its result, at once (the window runs
	// the query off the UI goroutine; BenchmarkDocumentList1M measures that
	// the keystroke itself costs the UI nothing).
	w.listRun = func(work func() ([]int64, error), done func([]int64, error)) { done(work()) }
	queries := []string{"w", "wa", "wat", "wate", "water", "7", "77", "777", ""}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		w.filterText = queries[i%len(queries)]
		w.applyFilter()
	}
	b.StopTimer()
	w.win.Close()
}

// benchWindow is a started window on store whose learner never runs: it
// retrains off the UI thread after edits, and what the analyst waits for
// (a label key, opening a document, a keystroke) is measured without it.
func benchWindow(b *testing.B, a fyne.App, store *storage.Store) *Workbench {
	return benchWindowAs(b, a, store, "Bench")
}

// benchWindowAs is benchWindow labelling as annotator ("" on a team
// server: the role connected).
func benchWindowAs(b *testing.B, a fyne.App, store *storage.Store, annotator string) *Workbench {
	b.Helper()
	w, err := New(a, store, Options{Annotator: annotator})
	if err != nil {
		b.Fatal(err)
	}
	w.learn.run = func(func()) {}
	w.learn.after = func(time.Duration, func()) *time.Timer { return time.NewTimer(time.Hour) }
	w.noWatch = true
	w.Start(nil)
	return w
}

// withRelations adds 1,000 relations between neighbouring spans of the
// big document (a type that allows any pair) and returns the type.
func withRelations(b *testing.B, store *storage.Store, docID string) storage.RelationType {
	b.Helper()
	ctx := context.Background()
	set, _ := store.DefaultLabelSet(ctx)
	t, err := store.CreateRelationType(ctx, storage.RelationType{SetID: set.ID, Name: "supports", Color: "#0072B2", Key: "s", Directed: true})
	if err != nil {
		b.Fatal(err)
	}
	me, _ := store.EnsureAnnotator(ctx, "Bench")
	spans, _ := store.Spans(ctx, docID, me.ID)
	for i := 0; i < 1000; i++ {
		from, to := spans[i*9], spans[i*9+1+i%5]
		if _, err := store.Apply(ctx, storage.Edit{Kind: storage.EditCreateRelation, DocumentID: docID, AnnotatorID: me.ID,
			TypeID: t.ID, From: from.ID, To: to.ID}); err != nil {
			b.Fatal(err)
		}
	}
	return t
}

// BenchmarkRelationAction is one relation made in the window (the type
// known: its key was pressed) in the 1 MB document with 10,000 spans and
// 1,000 relations: saved in its own transaction, relations reloaded, the
// article and panels updated.
func BenchmarkRelationAction(b *testing.B) {
	store, docID := bigStore(b)
	t := withRelations(b, store, docID)
	w := benchWindow(b, test.NewTempApp(b), store)
	w.openDocument(docID)
	w.text.SetShowAllRelations(true)
	if len(w.rels) != 1000 {
		b.Fatalf("%d relations", len(w.rels))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		from, to := w.spans[(i*7919+3)%len(w.spans)], w.spans[(i*104729+11)%len(w.spans)]
		if from.ID == to.ID {
			continue
		}
		w.createRelation(t, from, to)
	}
	b.StopTimer()
	w.win.Close()
}

// BenchmarkOpenWithRelations opens the 1 MB document with 10,000 spans and
// 1,000 relations, every relation shown, and paints it.
func BenchmarkOpenWithRelations(b *testing.B) {
	store, docID := bigStore(b)
	withRelations(b, store, docID)
	w := benchWindow(b, test.NewTempApp(b), store)
	w.text.SetShowAllRelations(true)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.doc = nil
		w.openDocument(docID)
		w.win.Canvas().Capture()
	}
	b.StopTimer()
	runtime.GC()
	if rss := residentMB(); rss > 0 {
		b.ReportMetric(rss, "RSS-MB")
	}
	w.win.Close()
}

// millionStore makes (or, with GLOSS_BENCH_DB set and the file there,
// reuses) a database of n short documents with one span each, imported in
// one transaction.
func millionStore(b *testing.B, n int) *storage.Store {
	b.Helper()
	path := os.Getenv("GLOSS_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "million.db")
	}
	_, statErr := os.Stat(path)
	store, err := storage.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	if statErr == nil {
		return store
	}
	ctx := context.Background()
	imp, err := store.BeginImport(ctx, storage.ImportOptions{DefaultAnnotator: "Bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer imp.Rollback()
	for i := range n {
		text := fmt.Sprintf("Report %d: the council approved %d homes near the harbour.", i, 1000+i%9000)
		if err := imp.Add(storage.ImportRecord{
			Doc:   storage.NewDocument{Title: fmt.Sprintf("Council report %d on housing and water", i), Text: text, FileName: fmt.Sprintf("report-%d.txt", i)},
			Spans: []storage.ImportSpan{{Label: "Figure", Start: strings.Index(text, "approved") + 9, End: strings.Index(text, " homes")}},
		}); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := imp.Commit(); err != nil {
		b.Fatal(err)
	}
	return store
}

// benchDocs is the size of the document list benchmarks: a million, or
// GLOSS_BENCH_DOCS.
func benchDocs() int {
	if n, err := strconv.Atoi(os.Getenv("GLOSS_BENCH_DOCS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// BenchmarkDocumentList1M opens the window on a million documents (the
// list read page by page: every document's place, the rows on screen) and
// reports the resident memory after it, then the filter: one keystroke's
// cost on the UI goroutine (it only starts the query) and the query's time
// to the list shown.
func BenchmarkDocumentList1M(b *testing.B) {
	n := benchDocs()
	store := millionStore(b, n)
	a := test.NewTempApp(b)
	b.Run("open", func(b *testing.B) {
		for b.Loop() {
			w := benchWindow(b, a, store)
			w.win.Canvas().Capture()
			if w.docList.Len() != n {
				b.Fatalf("%d documents listed", w.docList.Len())
			}
			w.win.Close()
		}
		runtime.GC()
		if rss := residentMB(); rss > 0 {
			b.ReportMetric(rss, "RSS-MB")
		}
	})
	w := benchWindow(b, a, store)
	defer w.win.Close()
	w.win.Canvas().Capture()
	queries := []string{"w", "wa", "wat", "wate", "water", "7", "77", "777", "report-99999", ""}
	b.Run("keystroke-ui", func(b *testing.B) {
		// What the UI goroutine does per keystroke: start the query.
		w.listRun = func(func() ([]int64, error), func([]int64, error)) {}
		for i := 0; b.Loop(); i++ {
			w.filterText = queries[i%len(queries)]
			w.applyFilter()
		}
	})
	b.Run("keystroke-shown", func(b *testing.B) {
		// The query and the list shown with its result.
		w.listRun = func(work func() ([]int64, error), done func([]int64, error)) { done(work()) }
		for i := 0; b.Loop(); i++ {
			w.filterText = queries[i%len(queries)]
			w.applyFilter()
			w.win.Canvas().Capture()
		}
		runtime.GC()
		if rss := residentMB(); rss > 0 {
			b.ReportMetric(rss, "RSS-MB")
		}
	})
}
