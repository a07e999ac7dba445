package workbench

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"gloss/storage"
	"gloss/widgets"
)

// reloadDocuments reads the document list again: every document's place
// and the filter's, at once (an import or a merge expects the list right
// after); the rows are read as they are shown.
func (w *Workbench) reloadDocuments() {
	all, err := w.store.DocumentSeqs(w.ctx, storage.DocFilter{})
	if err != nil {
		w.report("Could not list documents", err)
		return
	}
	w.markSeen()
	v := &w.list
	v.all = all
	clear(v.rows)
	clear(v.idSeq)
	v.gen++
	if w.filterText == "" && w.filterStatus == "" {
		w.showListed(all)
		return
	}
	seqs, err := w.store.DocumentSeqs(w.ctx, w.docFilter())
	if err != nil {
		w.report("Could not list documents", err)
		return
	}
	w.showListed(seqs)
}

// docFilter is what the document list shows: the filter's text and status,
// for the layer's annotator.
func (w *Workbench) docFilter() storage.DocFilter {
	return storage.DocFilter{AnnotatorID: w.listAnnotator(), Text: w.filterText, Status: w.filterStatus}
}

// applyFilter lists the documents whose title or file name contains the
// filter text and whose status is the chosen one. The store does the
// matching off the UI goroutine: a keystroke costs the UI nothing whatever
// the number of documents, and a result that a later keystroke overtook is
// dropped.
func (w *Workbench) applyFilter() {
	v := &w.list
	v.gen++
	gen := v.gen
	if v.cancel != nil {
		v.cancel() // the query a keystroke overtook stops
	}
	f := w.docFilter()
	if f.Text == "" && f.Status == "" {
		w.showListed(v.all)
		return
	}
	ctx, cancel := context.WithCancel(w.ctx)
	v.cancel = cancel
	w.listRun(func() ([]int64, error) { return w.store.DocumentSeqs(ctx, f) }, func(seqs []int64, err error) {
		cancel()
		if gen != v.gen {
			return
		}
		if err != nil {
			w.report("Could not filter the documents", err)
			return
		}
		w.showListed(seqs)
	})
}

// showListed shows the listed documents seqs.
func (w *Workbench) showListed(seqs []int64) {
	v := &w.list
	v.seqs = seqs
	w.docList.SetSource(v)
	if w.doc != nil {
		w.docList.Select(w.doc.ID)
	}
	title := fmt.Sprintf("Documents (%d)", len(v.all))
	if len(seqs) != len(v.all) {
		title = fmt.Sprintf("Documents (%d of %d)", len(seqs), len(v.all))
	}
	if whose := w.listWhose(); whose != "" {
		title += " · " + whose
	}
	w.docsTitle.SetText(title)
	if w.doc != nil {
		w.refreshHeader()
	}
}

func docItem(d storage.DocumentSummary) widgets.DocItem {
	return widgets.DocItem{ID: d.ID, Title: d.Title, Status: string(d.Status), Spans: d.SpanCount}
}

// openDocument shows a document with the analyst's spans.
func (w *Workbench) openDocument(id string) {
	if w.doc != nil && w.doc.ID == id {
		w.win.Canvas().Focus(w.text)
		return
	}
	doc, err := w.store.Document(w.ctx, id)
	if err != nil {
		w.report("Could not open the document", err)
		return
	}
	spans, err := w.layerSpans(id)
	if err != nil {
		w.report("Could not read the spans", err)
		return
	}
	w.saveNote()
	w.doc = &doc
	w.spans = spans
	w.cancelRelation("")
	w.loadRelations()
	w.loadSuggestions()
	w.suggestForOpen()
	w.text.SetText(doc.Text)
	w.showSpans()
	w.docList.Select(id)
	w.app.Preferences().SetString(w.lastDocKey(), id)
	w.refreshHeader()
	w.updateTitle()
	w.selectionChanged()
	w.say(fmt.Sprintf("Opened “%s”", doc.Title))
	w.win.Canvas().Focus(w.text)
	w.runFind() // an open find bar finds in this document now
}

// refreshHeader shows the document's title, facts and status.
func (w *Workbench) refreshHeader() {
	if w.doc == nil {
		w.docTitle.SetText("No document")
		w.docInfo.SetText("Import articles with File ▸ Import (Ctrl+O) or drop files on the window.")
		w.doneButton.Disable()
		w.prevButton.Disable()
		w.nextButton.Disable()
		return
	}
	row, _ := w.list.summary(w.doc.ID)
	status := row.Status
	facts := []string{fmt.Sprintf("%d of %d", w.list.position(w.doc.ID)+1, len(w.list.all)), fmt.Sprintf("%d characters", w.doc.Length)}
	if w.doc.FileName != "" {
		facts = append([]string{w.doc.FileName}, facts...)
	}
	for _, m := range []string{w.doc.Site, w.doc.Byline, w.doc.Published} {
		if m != "" {
			facts = append(facts, m)
		}
	}
	if w.layer.kind == layerEveryone {
		facts = append(facts, w.everyonesStatus()...)
	} else {
		facts = append(facts, statusName(status))
	}
	setLabel(w.docTitle, w.doc.Title)
	setLabel(w.docInfo, strings.Join(facts, "  ·  "))
	setEnabled(w.doneButton, !w.readOnly())
	if status == storage.StatusDone || status == storage.StatusReviewed {
		w.doneButton.SetText("Done")
	} else {
		w.doneButton.SetText("Mark done")
	}
	setEnabled(w.prevButton, w.neighbour(-1) >= 0)
	setEnabled(w.nextButton, w.neighbour(1) >= 0)
}

// renameDocument asks for the open document's new title (one undoable
// edit; titles are shared by everyone who works on the database).
func (w *Workbench) renameDocument() {
	if w.doc == nil {
		return
	}
	name := widget.NewEntry()
	name.SetText(w.doc.Title)
	var d *dialog.FormDialog
	d = dialog.NewForm("Rename the document", "Rename", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Title", name)}, func(ok bool) {
			if ok {
				w.setTitle(name.Text)
			}
		}, w.win)
	name.OnSubmitted = func(string) { d.Submit() }
	d.Resize(fyne.NewSize(560, 0))
	w.show(d)
	w.win.Canvas().Focus(name)
}

// setTitle saves the open document's title.
func (w *Workbench) setTitle(title string) {
	if _, err := w.store.Apply(w.ctx, storage.Edit{Kind: storage.EditRenameDocument, DocumentID: w.doc.ID,
		AnnotatorID: w.me.ID, Title: title}); err != nil {
		w.fail("Could not rename the document", err)
		return
	}
	d, err := w.store.Document(w.ctx, w.doc.ID)
	if err != nil {
		w.report("Could not read the document", err)
		return
	}
	w.titleChanged(d.Title)
	w.say("✓ Renamed to “" + clip(d.Title) + "”")
}

// titleChanged shows the open document's new title everywhere.
func (w *Workbench) titleChanged(title string) {
	w.markSeen()
	w.doc.Title = title
	w.list.update(w.doc.ID, func(r *storage.DocumentRow) { r.Title = title })
	w.refreshHeader()
	w.updateTitle()
	w.refreshUndo()
}

// everyonesStatus is, in everyone's layer, the status of each annotator
// with spans on screen ("Ann: Done"): there is no one status to show.
func (w *Workbench) everyonesStatus() []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range w.spans {
		if seen[s.AnnotatorID] {
			continue
		}
		seen[s.AnnotatorID] = true
		st, err := w.store.Status(w.ctx, w.doc.ID, s.AnnotatorID)
		if err == nil {
			out = append(out, s.Annotator+": "+statusName(st))
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		return []string{"nobody's spans yet"}
	}
	return out
}

// statusName is a status in the words the document list uses.
func statusName(s storage.Status) string { return widgets.StatusText(string(s)) }

// statusChoice is statusName for a chooser, where "" is every status.
func statusChoice(s storage.Status) string {
	if s == "" {
		return "Every status"
	}
	return statusName(s)
}

// toggleDone marks the document done, or back in progress.
func (w *Workbench) toggleDone() {
	if w.doc == nil || w.refuseReadOnly() {
		return
	}
	next := storage.StatusDone
	if finished(w.docStatus()) {
		next = storage.StatusInProgress
	}
	if w.setStatus(next) {
		w.say("✓ Status: " + statusName(next))
	}
}

// finished is a status that needs no more labelling.
func finished(s storage.Status) bool { return s == storage.StatusDone || s == storage.StatusReviewed }

// setStatus saves the open document's status (one undoable edit).
func (w *Workbench) setStatus(s storage.Status) bool {
	if _, err := w.store.Apply(w.ctx, storage.Edit{Kind: storage.EditSetStatus, DocumentID: w.doc.ID,
		AnnotatorID: w.editor().ID, Status: s}); err != nil {
		w.fail("Could not set the status", err)
		return false
	}
	w.setStatusLocally(s)
	w.refreshUndo()
	return true
}

// doneAndNext marks the open document done and opens the next listed one
// still to do (after it, then from the top), or says that none is left.
func (w *Workbench) doneAndNext() {
	if w.doc == nil || w.refuseReadOnly() {
		return
	}
	title := w.doc.Title
	if !finished(w.docStatus()) && !w.setStatus(storage.StatusDone) {
		return
	}
	cur, _ := w.list.seqOf(w.doc.ID)
	next, ok, err := w.store.NextUnfinished(w.ctx, w.docFilter(), cur)
	if err != nil {
		w.report("Could not find the next document", err)
		return
	}
	if ok {
		w.openDocument(next)
		w.say("✓ “" + clip(title) + "” is done; next to do: “" + clip(w.doc.Title) + "”")
		return
	}
	w.say("✓ “" + clip(title) + "” is done, and nothing is left to do: every listed document is done.")
}

func (w *Workbench) setStatusLocally(s storage.Status) {
	w.markSeen()
	w.list.update(w.doc.ID, func(r *storage.DocumentRow) { r.Status = s })
	w.refreshHeader()
}

// docStatus is the list's status of the open document (the layer's
// annotator's).
func (w *Workbench) docStatus() storage.Status {
	r, _ := w.list.summary(w.doc.ID)
	return r.Status
}

func (w *Workbench) nextDocument() { w.step(1) }

func (w *Workbench) previousDocument() { w.step(-1) }

func (w *Workbench) step(d int) {
	if i := w.neighbour(d); i >= 0 {
		w.openDocument(w.list.idAt(i))
	}
}

// neighbour is the row in the list of the listed document after (d = 1)
// or before (d = -1) the open one, or -1. When the open document is filtered
// out of the list, its neighbours are the nearest listed ones.
func (w *Workbench) neighbour(d int) int {
	seqs := w.list.seqs
	if w.doc == nil || len(seqs) == 0 {
		return -1
	}
	cur, ok := w.list.seqOf(w.doc.ID)
	if !ok {
		return -1
	}
	// seqs is ascending: find the first listed seq >= cur.
	p, found := slices.BinarySearch(seqs, cur)
	switch {
	case d > 0 && found:
		p++
	case d < 0:
		p--
	}
	if p < 0 || p >= len(seqs) {
		return -1
	}
	return p
}
