package workbench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"gloss/app/library"
	"gloss/storage"
)

const article = "“Hi” — 👍🏽 the council approved 280,000 homes.\n\nThe mayor proposed a five-year-old plan."

// open makes a store in a temp dir with one article and a workbench on it.
func open(t *testing.T) (*Workbench, *storage.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "gloss.db")
	store, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ctx := context.Background()
	if _, err := store.DefaultLabelSet(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := library.ImportData(ctx, store, "council.txt", []byte(article)); err != nil {
		t.Fatal(err)
	}
	if _, err := library.ImportData(ctx, store, "second.txt", []byte("Second article.\n")); err != nil {
		t.Fatal(err)
	}
	a := test.NewTempApp(t)
	w, err := New(a, store, Options{Annotator: "Tess"})
	if err != nil {
		t.Fatal(err)
	}
	synchronous(w)
	w.Start(nil)
	t.Cleanup(func() { w.win.Close() })
	return w, store, path
}

func spansOf(t *testing.T, store *storage.Store, w *Workbench) []storage.Span {
	t.Helper()
	ss, err := store.Spans(context.Background(), w.doc.ID, w.me.ID)
	if err != nil {
		t.Fatal(err)
	}
	return ss
}

func shortcut(w *Workbench, s fyne.Shortcut) {
	w.win.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(s)
}

func TestLabelRelabelDeleteUndoRedo(t *testing.T) {
	w, store, _ := open(t)
	if w.doc == nil || w.doc.Title != "“Hi” — 👍🏽 the council approved 280,000 homes." {
		t.Fatalf("opened %+v", w.doc)
	}
	if !strings.Contains(w.win.Title(), "Tess") || !strings.Contains(w.win.Title(), "council approved") {
		t.Errorf("window title %q names neither the document nor the analyst", w.win.Title())
	}
	// "280,000" is code points 31..38 (the emoji is two code points).
	w.text.SetSelection(31, 38)
	test.Type(w.text, "2")
	ss := spansOf(t, store, w)
	if len(ss) != 1 || ss[0].Start != 31 || ss[0].End != 38 || ss[0].Text != "280,000" || ss[0].Label != "Figure" {
		t.Fatalf("after pressing 2: %+v", ss)
	}
	if w.spanList.Len() != 1 || listed(w)[0].SpanCount != 1 || listed(w)[0].Status != storage.StatusInProgress {
		t.Errorf("panels not updated: list %d, summary %+v", w.spanList.Len(), listed(w)[0])
	}
	// The new span is selected: another key relabels it.
	test.Type(w.text, "1")
	if ss = spansOf(t, store, w); len(ss) != 1 || ss[0].Label != "Claim" {
		t.Fatalf("after pressing 1: %+v", ss)
	}
	// An overlapping span around it.
	w.text.SelectSpan("")
	w.text.SetSelection(14, 44)
	test.Type(w.text, "3")
	if ss = spansOf(t, store, w); len(ss) != 2 {
		t.Fatalf("nested span not saved: %+v", ss)
	}
	// Delete removes the selected (new) span.
	w.text.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	if ss = spansOf(t, store, w); len(ss) != 1 || ss[0].Label != "Claim" {
		t.Fatalf("after Delete: %+v", ss)
	}
	// Ctrl+Z brings it back, Ctrl+Z again undoes the creation... and redo.
	shortcut(w, &fyne.ShortcutUndo{})
	if ss = spansOf(t, store, w); len(ss) != 2 || len(w.spans) != 2 {
		t.Fatalf("undo of delete: store %d, shown %d", len(ss), len(w.spans))
	}
	shortcut(w, &fyne.ShortcutUndo{})
	if ss = spansOf(t, store, w); len(ss) != 1 || len(w.spans) != 1 {
		t.Fatalf("undo of create: store %d, shown %d", len(ss), len(w.spans))
	}
	shortcut(w, &fyne.ShortcutUndo{})
	if ss = spansOf(t, store, w); len(ss) != 1 || ss[0].Label != "Figure" || w.spans[0].Label != "Figure" {
		t.Fatalf("undo of relabel: %+v", ss)
	}
	shortcut(w, &desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift})
	if ss = spansOf(t, store, w); ss[0].Label != "Claim" {
		t.Fatalf("redo of relabel: %+v", ss)
	}
	shortcut(w, &fyne.ShortcutRedo{})
	if ss = spansOf(t, store, w); len(ss) != 2 {
		t.Fatalf("Ctrl+Y redo: %+v", ss)
	}
	if !strings.Contains(w.message.Text, "Redid") {
		t.Errorf("status line %q", w.message.Text)
	}
}

func TestUndoSurvivesRestart(t *testing.T) {
	w, store, _ := open(t)
	w.text.SetSelection(31, 38)
	w.typedRune('2')

	w2, err := New(test.NewTempApp(t), store, Options{Annotator: "Tess"})
	if err != nil {
		t.Fatal(err)
	}
	synchronous(w2)
	w2.Start(nil)
	defer w2.win.Close()
	if len(w2.spans) != 1 {
		t.Fatalf("reopened with %d spans", len(w2.spans))
	}
	shortcut(w2, &fyne.ShortcutUndo{})
	if ss := spansOf(t, store, w2); len(ss) != 0 || len(w2.spans) != 0 {
		t.Fatalf("undo after restart left %d spans", len(ss))
	}
}

func TestNoSelectionSaysWhatToDo(t *testing.T) {
	w, store, _ := open(t)
	w.typedRune('1')
	if ss := spansOf(t, store, w); len(ss) != 0 {
		t.Fatalf("a span without a selection: %+v", ss)
	}
	if !strings.Contains(w.message.Text, "Select some words") {
		t.Errorf("status line %q", w.message.Text)
	}
}

func TestDocumentNavigationAndDone(t *testing.T) {
	w, store, _ := open(t)
	first := w.doc.ID
	shortcut(w, &desktop.CustomShortcut{KeyName: fyne.KeyRight, Modifier: fyne.KeyModifierAlt})
	if w.doc.ID == first || w.doc.Title != "Second article." {
		t.Fatalf("Alt+Right opened %q", w.doc.Title)
	}
	shortcut(w, &desktop.CustomShortcut{KeyName: fyne.KeyD, Modifier: fyne.KeyModifierShortcutDefault})
	st, _ := store.Status(context.Background(), w.doc.ID, w.me.ID)
	if st != storage.StatusDone || w.doneButton.Text != "Done" {
		t.Errorf("after Ctrl+D: status %q, button %q", st, w.doneButton.Text)
	}
	shortcut(w, &desktop.CustomShortcut{KeyName: fyne.KeyLeft, Modifier: fyne.KeyModifierAlt})
	if w.doc.ID != first {
		t.Fatalf("Alt+Left opened %q", w.doc.Title)
	}
	shortcut(w, &desktop.CustomShortcut{KeyName: fyne.KeyLeft, Modifier: fyne.KeyModifierAlt})
	if w.doc.ID != first {
		t.Fatalf("Alt+Left before the first document moved to %q", w.doc.Title)
	}
}

func TestImportFromWindow(t *testing.T) {
	w, _, _ := open(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "report.md")
	writeFile(t, good, "# Quarterly report\n\nFigures rose 12%.\n")
	w.importPaths([]string{good})
	if w.doc.Title != "Quarterly report" || w.docList.Len() != 3 {
		t.Fatalf("after import: %q, %d docs", w.doc.Title, w.docList.Len())
	}
	bad := filepath.Join(dir, "broken.txt")
	writeFile(t, bad, "ok\n\xfe\xfe")
	w.importPaths([]string{bad})
	if w.docList.Len() != 3 || !strings.Contains(w.message.Text, "broken.txt") {
		t.Errorf("bad import: %d docs, message %q", w.docList.Len(), w.message.Text)
	}
}

func TestLabelsChangeAndDelete(t *testing.T) {
	w, store, _ := open(t)
	w.text.SetSelection(31, 38)
	w.typedRune('2')
	l := w.labels[1]
	l.Name = "Number"
	if err := store.UpdateLabel(context.Background(), l); err != nil {
		t.Fatal(err)
	}
	w.loadLabels()
	w.refreshPalette()
	w.relabelLocally()
	if w.spans[0].Label != "Number" {
		t.Errorf("span label not renamed: %q", w.spans[0].Label)
	}
	done := false
	w.confirmDeleteLabel(w.labels[1], func() { done = true })
	// One span uses it: a confirmation is showing, nothing is deleted yet.
	if done || len(spansOf(t, store, w)) != 1 {
		t.Fatal("deleted a used label without asking")
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFilterByTitleAndStatus(t *testing.T) {
	w, _, _ := open(t)
	w.filterText = "second"
	w.applyFilter()
	if w.docList.Len() != 1 || w.docsTitle.Text != "Documents (1 of 2)" {
		t.Fatalf("title filter: %d rows, %q", w.docList.Len(), w.docsTitle.Text)
	}
	// The open (first) document is filtered out: next goes to the listed one,
	// and there is nothing before it.
	if w.neighbour(-1) != -1 || w.list.At(w.neighbour(1)).Title != "Second article." {
		t.Errorf("neighbours with a filter: %d %d", w.neighbour(-1), w.neighbour(1))
	}
	w.filterText = ""
	w.filterStatus = storage.StatusDone
	w.applyFilter()
	if w.docList.Len() != 0 {
		t.Fatalf("status filter listed %d", w.docList.Len())
	}
	w.toggleDone()
	w.applyFilter()
	if w.docList.Len() != 1 {
		t.Fatalf("after marking done: %d listed", w.docList.Len())
	}
}

func TestNotesAreSavedAndUndoable(t *testing.T) {
	w, store, _ := open(t)
	w.text.SetSelection(31, 38)
	w.typedRune('2')
	if !w.note.box.Visible() {
		t.Fatal("the note panel is hidden with a span selected")
	}
	w.note.entry.SetText("rounded in the source")
	w.saveNote()
	ss := spansOf(t, store, w)
	if len(ss) != 1 || ss[0].Note != "rounded in the source" {
		t.Fatalf("note not saved: %+v", ss)
	}
	w.saveNote() // unchanged: no second history entry
	w.undo()
	if ss = spansOf(t, store, w); ss[0].Note != "" {
		t.Errorf("undo left the note %q", ss[0].Note)
	}
	w.undo()
	if ss = spansOf(t, store, w); len(ss) != 0 {
		t.Errorf("second undo should remove the span, %d left", len(ss))
	}
}

func TestLayers(t *testing.T) {
	w, store, _ := open(t)
	ctx := context.Background()
	ann, _ := store.EnsureAnnotator(ctx, "Ann")
	if _, err := store.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: w.doc.ID,
		AnnotatorID: ann.ID, LabelID: w.labels[0].ID, Start: 14, End: 21}); err != nil {
		t.Fatal(err)
	}
	w.text.SetSelection(31, 38)
	w.typedRune('2')
	w.refreshLayerChoices()
	names, layers := w.layerChoices()
	var annLayer layer
	for i, n := range names {
		if strings.HasPrefix(n, "Ann") {
			annLayer = layers[i]
		}
	}
	if annLayer.who.ID != ann.ID {
		t.Fatalf("no layer for Ann among %v", names)
	}
	w.setLayer(annLayer)
	if len(w.spans) != 1 || w.spans[0].Annotator != "Ann" {
		t.Fatalf("Ann's layer shows %+v", w.spans)
	}
	// The document list now counts Ann's spans and shows Ann's status, and
	// Mark done is not offered on her layer.
	d, _ := w.list.summary(w.doc.ID)
	if d.SpanCount != 1 || d.Status != storage.StatusInProgress || !strings.Contains(w.docsTitle.Text, "Ann's") {
		t.Errorf("list on Ann's layer: %+v, title %q", d, w.docsTitle.Text)
	}
	if !w.doneButton.Disabled() {
		t.Error("Mark done is enabled on a colleague's layer")
	}
	w.toggleDone()
	if st, _ := store.Status(ctx, w.doc.ID, ann.ID); st != storage.StatusInProgress {
		t.Errorf("Ann's status changed to %q from my window", st)
	}
	// Read-only: a label key changes nothing and says why.
	w.text.SetSelection(0, 4)
	w.typedRune('1')
	if ss, _ := store.Spans(ctx, w.doc.ID, ""); len(ss) != 2 || !strings.Contains(w.message.Text, "read-only") {
		t.Errorf("read-only layer accepted an edit: %d spans, %q", len(ss), w.message.Text)
	}
	w.setLayer(layer{kind: layerEveryone})
	if len(w.spans) != 2 {
		t.Errorf("everyone's layer shows %d spans", len(w.spans))
	}
	// The gold layer is editable and separate.
	w.setLayer(layer{kind: layerGold})
	w.text.SetSelection(0, 4)
	w.typedRune('1')
	gold, _ := store.Spans(ctx, w.doc.ID, w.gold.ID)
	if len(gold) != 1 || gold[0].Annotator != storage.GoldAnnotator {
		t.Errorf("gold layer: %+v", gold)
	}
	w.toggleDone() // on the gold layer: the gold layer's status
	if st, _ := store.Status(ctx, w.doc.ID, w.gold.ID); st != storage.StatusDone {
		t.Errorf("gold status %q after Mark done on the gold layer", st)
	}
	w.setLayer(layer{kind: layerMine})
	if len(w.spans) != 1 || w.spans[0].Annotator != "Tess" {
		t.Errorf("my layer: %+v", w.spans)
	}
}

func TestNoticesOtherProcessesChanges(t *testing.T) {
	w, _, path := open(t)
	// Another program (here: another store on the same file) adds a document
	// and a span of this analyst to the open document.
	other, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ctx := context.Background()
	if _, err := library.ImportData(ctx, other, "third.txt", []byte("Third article.\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: w.doc.ID,
		AnnotatorID: w.me.ID, LabelID: w.labels[0].ID, Start: 14, End: 21}); err != nil {
		t.Fatal(err)
	}
	v, _ := w.store.DataVersion(ctx)
	if v == w.seenVersion {
		t.Fatal("the data version did not change after another connection wrote")
	}
	w.externalChange()
	if w.docList.Len() != 3 || len(w.spans) != 1 || !strings.Contains(w.message.Text, "another program") {
		t.Errorf("after the external change: %d docs, %d spans, %q", w.docList.Len(), len(w.spans), w.message.Text)
	}
	// Our own edits do not count as external.
	w.text.SetSelection(31, 38)
	w.typedRune('2')
	if v, _ := w.store.DataVersion(ctx); v != w.seenVersion {
		t.Error("our own edit looks like an external change")
	}
}

func TestEveryonesLayerHasALegend(t *testing.T) {
	w, store, _ := open(t)
	ctx := context.Background()
	ann, _ := store.EnsureAnnotator(ctx, "Ann")
	store.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: w.doc.ID, AnnotatorID: ann.ID, LabelID: w.labels[0].ID, Start: 14, End: 21})
	w.text.SetSelection(14, 21)
	w.typedRune('1')
	w.setLayer(layer{kind: layerEveryone})
	items := w.legend.Items()
	if !w.legend.Visible() || len(items) != 2 || items[0].Text != "Ann" || items[0].Style == items[1].Style {
		t.Fatalf("legend %+v visible %v", items, w.legend.Visible())
	}
	w.setLayer(layer{kind: layerMine})
	if w.legend.Visible() {
		t.Error("legend shown on my own layer")
	}
}

func TestImportAnnotationsAndMergeFromWindow(t *testing.T) {
	w, _, _ := open(t)
	dir := t.TempDir()
	// A doccano file by another tool, with a label Gloss does not know yet.
	p := filepath.Join(dir, "from-doccano.jsonl")
	writeFile(t, p, `{"text": "Rents rose 12% — “sharply”.", "label": [[11, 14, "Figure"], [0, 5, "Topic"]]}`+"\n")
	w.importPaths([]string{p})
	if w.doc == nil || w.doc.Text != "Rents rose 12% — “sharply”." {
		t.Fatalf("opened %+v", w.doc)
	}
	if len(w.spans) != 2 || len(w.labels) != 4 || !strings.Contains(w.message.Text, "2 spans") {
		t.Errorf("spans %d, labels %d, message %q", len(w.spans), len(w.labels), w.message.Text)
	}
	// A colleague's database: same articles, their own span.
	other := filepath.Join(dir, "colleague.db")
	cs, err := storage.Open(other)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cs.DefaultLabelSet(ctx)
	res, _ := library.ImportData(ctx, cs, "council.txt", []byte(article))
	set, _ := cs.DefaultLabelSet(ctx)
	ls, _ := cs.Labels(ctx, set.ID)
	bob, _ := cs.EnsureAnnotator(ctx, "Bob")
	if _, err := cs.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: res.Document.ID, AnnotatorID: bob.ID,
		LabelID: ls[1].ID, Start: 31, End: 38}); err != nil {
		t.Fatal(err)
	}
	cs.Close()
	w.mergePath(other)
	if !strings.Contains(w.message.Text, "1 spans added") && !strings.Contains(w.message.Text, "1 span") {
		t.Errorf("merge message %q", w.message.Text)
	}
	names, _ := w.layerChoices()
	if !strings.Contains(strings.Join(names, "|"), "Bob") {
		t.Errorf("Bob's layer is not offered: %v", names)
	}
}

func TestAFailingDatabaseIsReportedLoudly(t *testing.T) {
	w, store, _ := open(t)
	w.text.SetSelection(31, 38)
	store.Close() // the database goes away under the window
	w.typedRune('2')
	if !strings.Contains(w.message.Text, "Could not save the span") {
		t.Errorf("status line %q", w.message.Text)
	}
	if len(w.spans) != 0 {
		t.Error("the span is shown although it was not saved")
	}
	if w.win.Canvas().Overlays().Top() == nil {
		t.Error("no dialog tells the analyst the edit was not saved")
	}
}

func TestDeletedDatabaseOffersARescueCopy(t *testing.T) {
	w, _, path := open(t)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	w.text.SetSelection(31, 38)
	w.typedRune('2')
	if !strings.Contains(w.message.Text, "NOT") && !strings.Contains(w.message.Text, "Could not save") {
		t.Errorf("status line %q", w.message.Text)
	}
	if w.win.Canvas().Overlays().Top() == nil {
		t.Fatal("no dialog offers to save a copy")
	}
	rescue := filepath.Join(t.TempDir(), "rescued.db")
	if err := w.store.Backup(context.Background(), rescue); err != nil {
		t.Fatalf("the offered copy fails: %v", err)
	}
	r, err := storage.Open(rescue)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if n, _ := r.DocumentCount(context.Background()); n != 2 {
		t.Errorf("the rescued copy holds %d documents, want 2", n)
	}
}

func TestUnknownFormatAsksWhichItIs(t *testing.T) {
	w, _, _ := open(t)
	dir := t.TempDir()
	odd := filepath.Join(dir, "odd.tsv")
	writeFile(t, odd, "just words\tand tabs\n")
	w.importPaths([]string{odd})
	if w.win.Canvas().Overlays().Top() == nil || w.docList.Len() != 2 {
		t.Fatalf("no format question (overlay %v), %d docs", w.win.Canvas().Overlays().Top(), w.docList.Len())
	}
	// Answering "conll" for a CoNLL file with an unusual name imports it.
	conll := filepath.Join(dir, "tags.tsv")
	writeFile(t, conll, "Rents O\nrose O\n12% B-Figure\n")
	w.importAs([]string{conll}, "conll")
	if w.docList.Len() != 3 || len(w.spans) != 1 || w.spans[0].Label != "Figure" {
		t.Errorf("after choosing conll: %d docs, spans %+v", w.docList.Len(), w.spans)
	}
}

// TestHandsOnTheWindow drives the article view the way the mouse and keys do
// (mouse down, drags, mouse up on the real widget; typed keys to the focused
// object; shortcuts through the canvas) and checks what reaches the database.
func TestHandsOnTheWindow(t *testing.T) {
	w, store, _ := open(t)
	w.win.Resize(fyne.NewSize(1280, 800))
	at := func(off int) fyne.Position {
		p, h := w.text.PositionOf(off)
		return p.AddXY(1, h/2)
	}
	from, to := at(16), at(35) // "co|uncil" .. "280,|000"
	w.text.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: from}, Button: desktop.MouseButtonPrimary})
	w.text.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: to}, Dragged: fyne.NewDelta(to.X-from.X, to.Y-from.Y)})
	w.text.DragEnd()
	w.text.MouseUp(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: to}, Button: desktop.MouseButtonPrimary})
	focused := w.win.Canvas().Focused()
	if focused != w.text {
		t.Fatalf("focus is on %T, want the article", focused)
	}
	test.Type(focused, "2")
	ss := spansOf(t, store, w)
	// “Hi” — 👍🏽 before it: "council approved 280,000" is code points 14..38.
	if len(ss) != 1 || ss[0].Start != 14 || ss[0].End != 38 || ss[0].Text != "council approved 280,000" || ss[0].Label != "Figure" {
		t.Fatalf("drag + 2 saved %+v", ss)
	}
	test.Type(focused, "3") // relabel the span just made
	if ss = spansOf(t, store, w); ss[0].Label != "Proposal" {
		t.Fatalf("3 relabelled to %q", ss[0].Label)
	}
	focused.(fyne.Focusable).TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	if ss = spansOf(t, store, w); len(ss) != 0 {
		t.Fatalf("Delete left %+v", ss)
	}
	shortcut(w, &fyne.ShortcutUndo{})
	if ss = spansOf(t, store, w); len(ss) != 1 || ss[0].Label != "Proposal" {
		t.Fatalf("Ctrl+Z brought back %+v", ss)
	}
	// Ctrl+Y typed while the article has focus goes through the view's
	// shortcut forwarding to the window: redo deletes it again.
	focused.(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutRedo{})
	if ss = spansOf(t, store, w); len(ss) != 0 {
		t.Fatalf("Ctrl+Y in the article left %+v", ss)
	}
}

// synchronous makes the window's background work run at once, on the
// test's goroutine: Fyne's test driver runs fyne.Do where it is called.
func synchronous(w *Workbench) {
	w.noWatch = true // the test driver would run its ticks' UI work on the ticker's goroutine
	w.listRun = func(work func() ([]int64, error), done func([]int64, error)) { done(work()) }
	w.learn.run = func(f func()) { f() }
	w.learn.after = func(_ time.Duration, f func()) *time.Timer { f(); return time.NewTimer(time.Hour) }
}

// listed is every row of the document list, read as the list reads them.
func listed(w *Workbench) []storage.DocumentRow {
	var out []storage.DocumentRow
	for i := range w.list.Len() {
		r, _ := w.list.rowAt(i)
		out = append(out, r)
	}
	return out
}

// summaryOf is document id's row of the list.
func summaryOf(w *Workbench, id string) storage.DocumentRow {
	r, _ := w.list.summary(id)
	return r
}

// TestLabelKeyAddsToTheViews: a label key adds its span to the article and
// the span list (showAddedSpan) instead of rebuilding them; what they show
// is what showSpans builds from all the spans, and the selection is the
// new span.
func TestLabelKeyAddsToTheViews(t *testing.T) {
	w, store, _ := open(t)
	w.onTrained = nil // the suggestions' retraining would show every span again
	check := func(when string) {
		t.Helper()
		gotText, gotItems := w.text.Spans(), slices.Clone(w.spanList.Items())
		w.showSpans()
		if !reflect.DeepEqual(gotText, w.text.Spans()) {
			t.Errorf("%s: the article shows %d spans, not what showSpans draws (%d)", when, len(gotText), len(w.text.Spans()))
		}
		if !reflect.DeepEqual(gotItems, w.spanList.Items()) {
			t.Errorf("%s: the span list differs from what showSpans lists", when)
		}
		if !strings.HasPrefix(w.spansTitle.Text, fmt.Sprintf("Spans (%d)", len(w.spans))) {
			t.Errorf("%s: title %q for %d spans", when, w.spansTitle.Text, len(w.spans))
		}
	}
	for i, sel := range [][2]int{{31, 38}, {0, 4}, {60, 66}, {45, 50}} {
		w.text.SelectSpan("")
		w.text.SetSelection(sel[0], sel[1])
		w.typedRune('1' + rune(i%2))
		id := w.text.SelectedSpan()
		if id == "" || w.spanList.Selected() != id {
			t.Fatalf("span %d: text view selects %q, list %q", i, id, w.spanList.Selected())
		}
		check(fmt.Sprintf("span %d", i))
	}
	if n := len(spansOf(t, store, w)); n != 4 || len(w.spans) != 4 {
		t.Fatalf("%d spans saved, %d shown", n, len(w.spans))
	}
	// Moving the caret off the span leaves no row of the list highlighted.
	w.text.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	if w.text.SelectedSpan() != "" || w.spanList.Selected() != "" {
		t.Errorf("after the caret moved: the article selects %q, the list %q", w.text.SelectedSpan(), w.spanList.Selected())
	}
}

// The status line gives its width by the texts: a message longer than half
// the line is shown whole when the position is short, and when both are
// long the message keeps two thirds.
func TestStatusLineSharesByText(t *testing.T) {
	w, _, _ := open(t)
	w.win.Resize(fyne.NewSize(1400, 800))
	long := "Exported 5 documents and 1 span as jsonl to /home/analyst/projects/energy/exports/gloss-jsonl-2026-12-02.jsonl"
	w.say(long)
	w.setStatusText(w.position, "Claim 415–422", w.position.Importance)
	row := w.statusRow.Size().Width
	if got := w.message.Size().Width; got < w.statusLay.natural(w.message) || got <= row/2 {
		t.Errorf("message %v wide of %v, needs %v", got, row, w.statusLay.natural(w.message))
	}
	if got := w.position.Size().Width; got < w.statusLay.natural(w.position) {
		t.Errorf("position %v wide, needs %v", got, w.statusLay.natural(w.position))
	}
	w.setStatusText(w.position, strings.Repeat("a long position hint · ", 20), w.position.Importance)
	if got := w.message.Size().Width; got < row*2/3-1 || got > row*2/3+1 {
		t.Errorf("both long: message %v wide of %v, want two thirds", got, row)
	}
	if w.message.Size().Width+w.position.Size().Width > row+0.5 {
		t.Errorf("the two are wider than the line: %v + %v > %v", w.message.Size().Width, w.position.Size().Width, row)
	}
}
