package workbench

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"gloss/app/library"
	"gloss/storage"
)

// newStore is a store in a temp dir with one article.
func newStore(t *testing.T, name string) *storage.Store {
	t.Helper()
	store, err := storage.Open(filepath.Join(t.TempDir(), name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := library.ImportData(context.Background(), store, "a.txt", []byte(article)); err != nil {
		t.Fatal(err)
	}
	return store
}

// Finding 1: a name given for one run (--annotator) never becomes "mine"
// on another database, and the window says who is labelling.
func TestIdentityDoesNotLeakBetweenDatabases(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefAnnotator, "Alice") // she answered the prompt once
	bobs := newStore(t, "bob.db")
	wb, err := New(a, bobs, Options{Annotator: "Bob"})
	if err != nil {
		t.Fatal(err)
	}
	synchronous(wb)
	wb.Start(nil)
	if wb.me.Name != "Bob" || wb.who.Text != "Labelling as Bob (this run only)" {
		t.Errorf("with --annotator Bob: me %q, status %q", wb.me.Name, wb.who.Text)
	}
	wb.win.Close()

	mine := newStore(t, "alice.db")
	wa, err := New(a, mine, Options{})
	if err != nil {
		t.Fatal(err)
	}
	synchronous(wa)
	wa.Start(nil)
	t.Cleanup(func() { wa.win.Close() })
	if wa.me.Name != "Alice" || wa.who.Text != "Labelling as Alice" {
		t.Errorf("plain start after a Bob run: me %q, status %q", wa.me.Name, wa.who.Text)
	}
	if !strings.Contains(wa.layerSelect.Selected, "Alice") {
		t.Errorf("layer %q", wa.layerSelect.Selected)
	}
	as, _ := mine.Annotators(context.Background())
	for _, x := range as {
		if x.Name == "Bob" {
			t.Error("a Bob annotator was created in Alice's database")
		}
	}
	wa.text.SetSelection(31, 38)
	wa.typedRune('2')
	if len(wa.spans) != 1 || wa.spans[0].Annotator != "Alice" {
		t.Errorf("the new span is credited to %+v", wa.spans)
	}

	// File ▸ Switch analyst: Carol takes over; Alice's span is hers, read-only.
	wa.switchAnalyst()
	entry, ok := firstOf[*widget.Entry](t, wa.win.Canvas().Overlays().Top())
	if !ok || entry.Text != "Alice" {
		t.Fatalf("switch dialog entry %v %q", ok, entry.Text)
	}
	entry.SetText("Carol")
	entry.OnSubmitted(entry.Text)
	if wa.me.Name != "Carol" || a.Preferences().String(prefAnnotator) != "Carol" || len(wa.spans) != 0 {
		t.Errorf("after switching: me %q, kept %q, %d spans on screen", wa.me.Name, a.Preferences().String(prefAnnotator), len(wa.spans))
	}
	if wa.who.Text != "Labelling as Carol" || !strings.Contains(wa.layerSelect.Selected, "Carol") {
		t.Errorf("after switching: %q, layer %q", wa.who.Text, wa.layerSelect.Selected)
	}
}

// Finding 7: one key marks the document done and opens the next to do.
func TestDoneAndNext(t *testing.T) {
	w, _, _ := open(t) // two documents
	first := w.doc.ID
	w.doneAndNext()
	if w.doc.ID == first || summaryOf(w, first).Status != storage.StatusDone {
		t.Fatalf("open %s, status of the first %s", w.doc.Title, summaryOf(w, first).Status)
	}
	w.doneAndNext()
	if !strings.Contains(w.message.Text, "nothing is left to do") {
		t.Errorf("status line %q", w.message.Text)
	}
	for _, d := range listed(w) {
		if d.Status != storage.StatusDone {
			t.Errorf("%s is %s", d.Title, d.Status)
		}
	}
}

// Finding 8: undoing a span closes its note panel; nothing is saved to a
// span that is gone.
func TestNotePanelClosesWhenItsSpanGoes(t *testing.T) {
	w, _, _ := open(t)
	w.text.SetSelection(31, 38)
	w.typedRune('2')
	if !w.note.box.Visible() {
		t.Fatal("no note panel")
	}
	w.undo()
	if w.note.box.Visible() || w.note.spanID != "" {
		t.Error("the note panel still shows the removed span")
	}
	w.note.entry.SetText("typed after the undo")
	w.saveNote()
	if strings.Contains(w.message.Text, "not found") {
		t.Errorf("status line %q", w.message.Text)
	}
}

// Finding 9: the window's own writes (labels, the compare window) are not
// "another program".
func TestOwnWritesAreNotExternal(t *testing.T) {
	w, store := reviewFixture(t)
	w.showLabelsDialog()
	name, ok := firstOf[*widget.Entry](t, w.win.Canvas().Overlays().Top())
	if !ok {
		t.Fatal("no label name entry")
	}
	name.SetText(name.Text + "s")
	v, _ := store.DataVersion(context.Background())
	w.noticeVersion(v)
	if strings.Contains(w.message.Text, "another program") {
		t.Errorf("renaming a label: %q", w.message.Text)
	}
	w.closeTopDialog()
	w.showReview()
	w.review.markReviewed()
	v, _ = store.DataVersion(context.Background())
	w.noticeVersion(v)
	if strings.Contains(w.message.Text, "another program") {
		t.Errorf("marking reviewed: %q", w.message.Text)
	}
}

// Finding 13: a key another label has is swapped, said plainly; the
// delete question keeps the destructive button out of the highlight.
func TestLabelKeysSwapAndDeleteIsNotPrimary(t *testing.T) {
	w, _, _ := open(t)
	claim, figure := w.labels[0], w.labels[1] // keys 1 and 2
	msg, err := w.setLabelKey(claim, figure.Key)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.loadLabels(); err != nil {
		t.Fatal(err)
	}
	if w.labels[0].Key != "2" || w.labels[1].Key != "1" || !strings.Contains(msg, "Figure now has key 1") {
		t.Errorf("keys %q %q, message %q", w.labels[0].Key, w.labels[1].Key, msg)
	}
	w.text.SetSelection(31, 38)
	w.typedRune('1')
	w.confirmDeleteLabel(w.labels[1], func() {})
	top := w.win.Canvas().Overlays().Top()
	var buttons []*widget.Button
	collect(t, top, &buttons)
	for _, b := range buttons {
		if strings.HasPrefix(b.Text, "Delete") && b.Importance == widget.HighImportance {
			t.Errorf("the destructive button %q is the primary one", b.Text)
		}
		if b.Text == "Keep" && b.Importance != widget.HighImportance {
			t.Error("Keep is not the primary button")
		}
	}
	if len(buttons) < 2 {
		t.Fatalf("buttons %d", len(buttons))
	}
}

// Finding 14: Escape closes the dialog on top.
func TestEscapeClosesDialogs(t *testing.T) {
	w, _, _ := open(t)
	w.showShortcuts()
	if w.win.Canvas().Overlays().Top() == nil {
		t.Fatal("no dialog")
	}
	w.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if w.win.Canvas().Overlays().Top() != nil {
		t.Error("Escape left the dialog open")
	}
}

// Finding 12: undoing the only span of a document puts it back to to do.
func TestUndoingTheOnlySpanIsToDoAgain(t *testing.T) {
	w, _, _ := open(t)
	w.text.SetSelection(31, 38)
	w.typedRune('2')
	if st := summaryOf(w, w.doc.ID).Status; st != storage.StatusInProgress {
		t.Fatalf("after a span: %s", st)
	}
	w.undo()
	if st := summaryOf(w, w.doc.ID).Status; st != storage.StatusTodo {
		t.Errorf("after undoing the only span: %s, want todo", st)
	}
	w.redo()
	if st := summaryOf(w, w.doc.ID).Status; st != storage.StatusInProgress {
		t.Errorf("after redo: %s", st)
	}
}

// Finding 5: a span's edges move in one undoable edit with the same UUID,
// and a new selection over a span of the same label offers to widen it.
func TestSpanEdgesMove(t *testing.T) {
	w, store, _ := open(t)
	w.text.SetSelection(31, 38) // "280,000"
	w.typedRune('2')
	id := w.spans[0].ID
	w.moveEdges(id, 31, 44) // "280,000 homes"
	if ss := spansOf(t, store, w); len(ss) != 1 || ss[0].ID != id || ss[0].Text != "280,000 homes" {
		t.Fatalf("after moving the end: %+v", ss)
	}
	w.undo()
	if ss := spansOf(t, store, w); len(ss) != 1 || ss[0].Text != "280,000" {
		t.Fatalf("after undo: %+v", ss)
	}
	// Selecting "approved 280,000" and pressing 2 asks to widen the Figure.
	w.text.SelectSpan("")
	w.text.SetSelection(22, 38)
	w.typedRune('2')
	top := w.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no question about widening")
	}
	var buttons []*widget.Button
	collect(t, top, &buttons)
	for _, b := range buttons {
		if b.Text == "Widen it" {
			b.OnTapped()
		}
	}
	if ss := spansOf(t, store, w); len(ss) != 1 || ss[0].ID != id || ss[0].Text != "approved 280,000" {
		t.Errorf("after widening: %+v", ss)
	}
}

// Finding 15: the export dialog keeps its choices for the next export, and
// can export the open document only.
func TestExportDialogRemembers(t *testing.T) {
	w, _, _ := open(t)
	w.showExportDialog()
	top := w.win.Canvas().Overlays().Top()
	var selects []*widget.Select
	var checks []*widget.Check
	collect(t, top, &selects)
	collect(t, top, &checks)
	if len(selects) < 3 || len(checks) == 0 {
		t.Fatalf("%d selects, %d checks", len(selects), len(checks))
	}
	selects[2].SetSelected(statusChoice(storage.StatusDone)) // Documents: done
	var only *widget.Check
	for _, c := range checks {
		if strings.HasPrefix(c.Text, "Only “") {
			only = c
		}
	}
	if only == nil {
		t.Fatal("no “this document only” choice")
	}
	only.SetChecked(true)
	var buttons []*widget.Button
	collect(t, top, &buttons)
	for _, b := range buttons {
		if b.Text == "Choose where…" {
			b.OnTapped()
		}
	}
	if w.lastExport.status != storage.StatusDone || !w.lastExport.thisDoc {
		t.Fatalf("kept %+v", w.lastExport)
	}
	for len(w.dialogs) > 0 {
		w.closeTopDialog()
	}
	w.showExportDialog()
	selects = nil
	collect(t, w.win.Canvas().Overlays().Top(), &selects)
	if selects[2].Selected != "Done" {
		t.Errorf("the second export starts from %q, not the last choice", selects[2].Selected)
	}
}

// collect gathers every T in o's tree.
func collect[T fyne.CanvasObject](t *testing.T, o fyne.CanvasObject, out *[]T) {
	if v, ok := o.(T); ok {
		*out = append(*out, v)
	}
	switch o := o.(type) {
	case *fyne.Container:
		for _, k := range o.Objects {
			collect(t, k, out)
		}
	case fyne.Widget:
		for _, k := range test.TempWidgetRenderer(t, o).Objects() {
			collect(t, k, out)
		}
	}
}

// Finding 16: the filter matches file names, and a document can be renamed
// (undoably) from the window.
func TestRenameAndFilterByFileName(t *testing.T) {
	w, store, _ := open(t)
	w.filterText = "second.txt"
	w.applyFilter()
	if l := listed(w); len(l) != 1 || l[0].FileName != "second.txt" {
		t.Fatalf("filtering by file name shows %v", l)
	}
	w.filterText = ""
	w.applyFilter()
	w.setTitle("Council approves the harbour plan")
	if d, _ := store.Document(context.Background(), w.doc.ID); d.Title != "Council approves the harbour plan" || summaryOf(w, w.doc.ID).Title != d.Title {
		t.Fatalf("renamed: store %q, list %q", d.Title, summaryOf(w, w.doc.ID).Title)
	}
	w.undo()
	if d, _ := store.Document(context.Background(), w.doc.ID); d.Title == "Council approves the harbour plan" || w.doc.Title != d.Title {
		t.Errorf("after undo: store %q, window %q", d.Title, w.doc.Title)
	}
}

// A saved web page comes in as its article; File ▸ Import whole web pages
// keeps all of it.
func TestWebPageImport(t *testing.T) {
	w, _, _ := open(t)
	page := `<html><head><title>Harbour plan | The Courier</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<div class="cookie-banner">We use cookies. <button>Accept</button></div>
<article><h1>Harbour plan</h1><p class="byline">By Ana Silva</p>
<p>The council approved the harbour plan on Tuesday, promising 280,000 new homes over two decades and a fund for roads, schools and flood defences before the first tenants move in.</p>
<p>Critics said the plan relied on private investors who had not yet committed, and that the affordable quota of twelve per cent was far too timid for a city with rising rents.</p>
<p>The mayor said the first keys would be handed over within three years, and that every phase would open its school before its towers were finished.</p></article>
<aside class="related"><h2>Related stories</h2><a href="/x">Tram line delayed</a></aside>
<footer>© The Courier 2026 · Contact · Privacy</footer></body></html>`
	dir := t.TempDir()
	p := filepath.Join(dir, "courier.html")
	writeFile(t, p, page)
	w.importPaths([]string{p})
	if w.doc == nil || strings.Contains(w.doc.Text, "cookies") || strings.Contains(w.doc.Text, "Related stories") || !strings.Contains(w.doc.Text, "affordable quota") {
		t.Fatalf("the article: %q", w.doc.Text)
	}
	w.toggleWholePages()
	p2 := filepath.Join(dir, "courier-copy.html")
	writeFile(t, p2, strings.Replace(page, "Tuesday", "Wednesday", 1))
	w.importPaths([]string{p2})
	if !strings.Contains(w.doc.Text, "Related stories") {
		t.Errorf("the whole page: %q", w.doc.Text)
	}
}

// Behind a dialog the article does not take the window's keys: a label
// key, Delete and Ctrl+Z leave the span as it is, and Return presses the
// dialog's confirm button (Export's "Choose where…" opens the file
// chooser).
func TestKeysBehindADialog(t *testing.T) {
	w, store, _ := open(t)
	w.text.SetSelection(31, 38)
	w.typedRune('2')
	before := spansOf(t, store, w)
	if len(before) != 1 {
		t.Fatalf("spans %+v", before)
	}
	w.showExportDialog()
	export := w.win.Canvas().Overlays().Top()
	if export == nil || len(w.dialogs) != 1 {
		t.Fatal("no export dialog")
	}
	c := w.win.Canvas()
	c.OnTypedRune()('1')
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyDelete})
	c.(fyne.Shortcutable).TypedShortcut(key(ctrl, fyne.KeyZ))
	if after := spansOf(t, store, w); !reflect.DeepEqual(after, before) {
		t.Errorf("keys behind the dialog changed the spans: %+v, was %+v", after, before)
	}
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(w.dialogs) != 1 || w.win.Canvas().Overlays().Top() == export {
		t.Errorf("Return did not go on from the export dialog: %d dialogs", len(w.dialogs))
	}
	for len(w.dialogs) > 0 {
		w.closeTopDialog()
	}
	// With the dialogs gone, the keys are the article's again.
	w.text.SelectSpan(before[0].ID)
	c.OnTypedRune()('1')
	if after := spansOf(t, store, w); len(after) != 1 || after[0].LabelID == before[0].LabelID {
		t.Errorf("a label key after the dialog: %+v", after)
	}
}
