package workbench

import (
	"fmt"

	"image/color"
	"sort"
	"strings"

	"fyne.io/fyne/v2"

	"gloss/app/tokens"
	"gloss/storage"
	"gloss/widgets"
)

// snapToTokens widens a selection to the tokens of the tokenizer that the
// export formats use, so a span made in the window lies on token boundaries.
func snapToTokens(text []rune, start, end int) (int, int) {
	return tokens.SnapToWords(text, start, end)
}

// reloadDocuments reads the document list again.
func (w *Workbench) reloadDocuments() {
	docs, err := w.store.DocumentSummaries(w.ctx, w.listAnnotator())
	if err != nil {
		w.fail("Could not list documents", err)
		return
	}
	w.markSeen()
	w.docs = docs
	w.docIndex = make(map[string]int, len(docs))
	for i, d := range docs {
		w.docIndex[d.ID] = i
	}
	w.applyFilter()
}

// applyFilter lists the documents whose title contains the filter text and
// whose status is the chosen one.
func (w *Workbench) applyFilter() {
	needle := strings.ToLower(strings.TrimSpace(w.filterText))
	w.shown = w.shown[:0]
	items := make([]widgets.DocItem, 0, len(w.docs))
	for i, d := range w.docs {
		if w.filterStatus != "" && d.Status != w.filterStatus {
			continue
		}
		if needle != "" && !strings.Contains(strings.ToLower(d.Title), needle) {
			continue
		}
		w.shown = append(w.shown, i)
		items = append(items, docItem(d))
	}
	w.docList.SetItems(items)
	if w.doc != nil {
		w.docList.Select(w.doc.ID)
	}
	title := fmt.Sprintf("Documents (%d)", len(w.docs))
	if len(w.shown) != len(w.docs) {
		title = fmt.Sprintf("Documents (%d of %d)", len(w.shown), len(w.docs))
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
		w.fail("Could not open the document", err)
		return
	}
	spans, err := w.layerSpans(id)
	if err != nil {
		w.fail("Could not read the spans", err)
		return
	}
	w.saveNote()
	w.doc = &doc
	w.spans = spans
	w.text.SetText(doc.Text)
	w.showSpans()
	w.docList.Select(id)
	w.app.Preferences().SetString(prefLastDoc+"."+w.me.ID, id)
	w.refreshHeader()
	w.updateTitle()
	w.selectionChanged()
	w.say(fmt.Sprintf("Opened “%s”", doc.Title))
	w.win.Canvas().Focus(w.text)
}

// showSpans hands the current spans to the text view and the span list.
func (w *Workbench) showSpans() {
	w.markSeen()
	colors := w.labelColors()
	vs := make([]widgets.Span, len(w.spans))
	items := make([]widgets.SpanItem, len(w.spans))
	styles := w.annotatorStyles()
	for i, s := range w.spans {
		c := colors[s.LabelID]
		vs[i] = widgets.Span{ID: s.ID, Start: s.Start, End: s.End, Label: s.Label, Color: c}
		if w.layer.kind == layerEveryone {
			vs[i].Style = styles[s.AnnotatorID]
			vs[i].Tag = s.Label + " · " + s.Annotator
		}
		items[i] = widgets.SpanItem{ID: s.ID, Label: s.Label, Text: s.Text, Start: s.Start, End: s.End, Color: c, Note: s.Note}
	}
	w.text.SetSpans(vs)
	w.showLegend(styles)
	w.spanList.SetItems(items)
	w.spansTitle.SetText(fmt.Sprintf("Spans (%d)", len(w.spans)))
	w.refreshUndo()
	w.showPosition()
}

func (w *Workbench) labelColors() map[string]color.Color {
	m := make(map[string]color.Color, len(w.labels))
	for _, l := range w.labels {
		c, err := widgets.ParseHex(l.Color)
		if err != nil {
			m[l.ID] = color.NRGBA{R: 0x99, G: 0x99, B: 0x99, A: 0xff}
			continue
		}
		m[l.ID] = c
	}
	return m
}

func (w *Workbench) refreshPalette() {
	pl := make([]widgets.PaletteLabel, len(w.labels))
	colors := w.labelColors()
	for i, l := range w.labels {
		pl[i] = widgets.PaletteLabel{Name: l.Name, Key: l.Key, Color: colors[l.ID]}
	}
	w.palette.SetLabels(pl)
	w.paletteScroll.SetMinSize(fyne.NewSize(0, min(w.palette.MinSize().Height, maxPaletteHeight)))
}

// maxPaletteHeight is about seven labels; more scroll.
const maxPaletteHeight = 210

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
	i := w.docIndex[w.doc.ID]
	status := w.docs[i].Status
	facts := []string{fmt.Sprintf("%d of %d", i+1, len(w.docs)), fmt.Sprintf("%d characters", w.doc.Length)}
	if w.doc.FileName != "" {
		facts = append([]string{w.doc.FileName}, facts...)
	}
	facts = append(facts, statusName(status))
	w.docTitle.SetText(w.doc.Title)
	w.docInfo.SetText(strings.Join(facts, "  ·  "))
	setEnabled(w.doneButton, !w.readOnly())
	if status == storage.StatusDone || status == storage.StatusReviewed {
		w.doneButton.SetText("Done")
	} else {
		w.doneButton.SetText("Mark done")
	}
	setEnabled(w.prevButton, w.neighbour(-1) >= 0)
	setEnabled(w.nextButton, w.neighbour(1) >= 0)
}

func statusName(s storage.Status) string {
	switch s {
	case storage.StatusInProgress:
		return "In progress"
	case storage.StatusDone:
		return "Done"
	case storage.StatusReviewed:
		return "Reviewed"
	}
	return "To do"
}

type enabler interface {
	Enable()
	Disable()
}

func setEnabled(e enabler, on bool) {
	if on {
		e.Enable()
	} else {
		e.Disable()
	}
}

// typedRune applies the label whose key was pressed.
func (w *Workbench) typedRune(r rune) bool {
	for i, l := range w.labels {
		if l.Key != "" && l.Key == string(r) {
			w.applyLabel(i)
			return true
		}
	}
	return false
}

// applyLabel relabels the selected span, or makes a span of the selected text.
func (w *Workbench) applyLabel(i int) {
	if w.doc == nil || i < 0 || i >= len(w.labels) || w.me.ID == "" || w.refuseReadOnly() {
		return
	}
	l := w.labels[i]
	if s, ok := w.spanByID(w.text.SelectedSpan()); ok {
		id := s.ID
		if s.LabelID == l.ID {
			return
		}
		s, err := w.store.Apply(w.ctx, storage.Edit{Kind: storage.EditRelabelSpan, DocumentID: w.doc.ID,
			AnnotatorID: w.editor().ID, SpanID: id, LabelID: l.ID})
		if err != nil {
			w.fail("Could not relabel the span", err)
			return
		}
		w.putSpan(s)
		w.afterEdit(fmt.Sprintf("Relabelled “%s” as %s", clip(s.Text), l.Name))
		w.text.SelectSpan(s.ID)
		w.selectionChanged()
		return
	}
	start, end, ok := w.text.Selection()
	if !ok || start >= end {
		w.say("Select some words first (drag across them), then press " + keyHint(l) + ".")
		return
	}
	s, err := w.store.Apply(w.ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: w.doc.ID,
		AnnotatorID: w.editor().ID, LabelID: l.ID, Start: start, End: end})
	if err != nil {
		w.fail("Could not save the span", err)
		return
	}
	w.putSpan(s)
	w.text.ClearSelection()
	w.afterEdit(fmt.Sprintf("Saved %s “%s” (%d–%d)", l.Name, clip(s.Text), s.Start, s.End))
	w.text.SelectSpan(s.ID)
	w.spanList.Select(s.ID)
	w.selectionChanged()
}

func keyHint(l storage.Label) string {
	if l.Key == "" {
		return "a label"
	}
	return l.Key + " for " + l.Name
}

// deleteSelected removes the selected span.
func (w *Workbench) deleteSelected() {
	id := w.text.SelectedSpan()
	if w.doc == nil || id == "" || w.refuseReadOnly() {
		return
	}
	s, err := w.store.Apply(w.ctx, storage.Edit{Kind: storage.EditDeleteSpan, DocumentID: w.doc.ID,
		AnnotatorID: w.editor().ID, SpanID: id})
	if err != nil {
		w.fail("Could not delete the span", err)
		return
	}
	w.dropSpan(id)
	w.afterEdit(fmt.Sprintf("Deleted %s “%s” — Ctrl+Z brings it back", s.Label, clip(s.Text)))
	w.selectionChanged()
}

func (w *Workbench) undo() { w.history(true) }
func (w *Workbench) redo() { w.history(false) }

// history undoes or redoes the analyst's last edit in this document; the
// history is in the database, so it reaches back past a restart.
func (w *Workbench) history(undo bool) {
	if w.doc == nil || w.refuseReadOnly() {
		return
	}
	verb, fn := "Undid", w.store.Undo
	if !undo {
		verb, fn = "Redid", w.store.Redo
	}
	e, ok, err := fn(w.ctx, w.editor().ID, w.doc.ID)
	if err != nil {
		w.fail(verb[:4]+" failed", err)
		return
	}
	if !ok {
		if undo {
			w.say("Nothing to undo in this document.")
		} else {
			w.say("Nothing to redo.")
		}
		return
	}
	switch e.Kind {
	case storage.EditSetStatus:
		w.setStatusLocally(e.Status)
		w.say(fmt.Sprintf("%s: status is %s", verb, statusName(e.Status)))
		w.refreshUndo()
		return
	case storage.EditDeleteSpan:
		w.dropSpan(e.SpanID)
		w.text.ClearSelection()
		w.afterEdit(fmt.Sprintf("%s: span removed", verb))
		return
	}
	s, err := w.store.Span(w.ctx, e.SpanID)
	if err != nil {
		w.fail(verb[:4]+" failed", err)
		return
	}
	w.putSpan(s)
	w.afterEdit(fmt.Sprintf("%s: %s “%s”", verb, s.Label, clip(s.Text)))
	w.text.SelectSpan(s.ID)
	w.spanList.Select(s.ID)
	w.selectionChanged()
}

// putSpan inserts or replaces a span in the sorted slice.
func (w *Workbench) putSpan(s storage.Span) {
	w.dropSpan(s.ID)
	i := sort.Search(len(w.spans), func(i int) bool {
		o := w.spans[i]
		return o.Start > s.Start || (o.Start == s.Start && o.End < s.End)
	})
	w.spans = append(w.spans, storage.Span{})
	copy(w.spans[i+1:], w.spans[i:])
	w.spans[i] = s
}

func (w *Workbench) dropSpan(id string) {
	for i, s := range w.spans {
		if s.ID == id {
			w.spans = append(w.spans[:i], w.spans[i+1:]...)
			return
		}
	}
}

func (w *Workbench) spanByID(id string) (storage.Span, bool) {
	for _, s := range w.spans {
		if s.ID == id {
			return s, true
		}
	}
	return storage.Span{}, false
}

// afterEdit redraws what an edit changed and says it was saved.
func (w *Workbench) afterEdit(msg string) {
	w.showSpans()
	if i, ok := w.docIndex[w.doc.ID]; ok {
		d := &w.docs[i]
		d.SpanCount = len(w.spans)
		if d.Status == storage.StatusTodo && len(w.spans) > 0 {
			d.Status = storage.StatusInProgress
		}
		w.docList.Update(docItem(*d))
	}
	w.refreshHeader()
	w.say("✓ " + msg)
}

func (w *Workbench) spanTapped(id string) {
	if id != "" {
		w.spanList.Select(id)
	}
	w.selectionChanged()
}

func (w *Workbench) spanListSelected(id string) {
	w.text.SelectSpan(id)
	w.selectionChanged()
	w.win.Canvas().Focus(w.text)
}

// selectionChanged updates what depends on the selected span: the status
// line and the note panel.
func (w *Workbench) selectionChanged() {
	w.showPosition()
	w.showNote()
}

// showPosition tells where the selection or selected span is.
func (w *Workbench) showPosition() {
	if id := w.text.SelectedSpan(); id != "" {
		if s, ok := w.spanByID(id); ok {
			w.position.SetText(fmt.Sprintf("%s %d–%d  ·  Delete removes, %s relabels", s.Label, s.Start, s.End, w.keyRange()))
			return
		}
	}
	if start, end, ok := w.text.Selection(); ok && end > start {
		w.position.SetText(fmt.Sprintf("Selection %d–%d  ·  press %s to label", start, end, w.keyRange()))
		return
	}
	w.position.SetText(count(len(w.spans), "span"))
}

func (w *Workbench) keyRange() string {
	var keys []string
	for _, l := range w.labels {
		if l.Key != "" {
			keys = append(keys, l.Key)
		}
	}
	if len(keys) == 0 {
		return "a label"
	}
	if len(keys) == 1 {
		return keys[0]
	}
	return keys[0] + "–" + keys[len(keys)-1]
}

// toggleDone marks the document done, or back in progress.
func (w *Workbench) toggleDone() {
	if w.doc == nil || w.refuseReadOnly() {
		return
	}
	next := storage.StatusDone
	if st := w.docs[w.docIndex[w.doc.ID]].Status; st == storage.StatusDone || st == storage.StatusReviewed {
		next = storage.StatusInProgress
	}
	if _, err := w.store.Apply(w.ctx, storage.Edit{Kind: storage.EditSetStatus, DocumentID: w.doc.ID,
		AnnotatorID: w.editor().ID, Status: next}); err != nil {
		w.fail("Could not set the status", err)
		return
	}
	w.setStatusLocally(next)
	w.refreshUndo()
	w.say("✓ Status: " + statusName(next))
}

func (w *Workbench) setStatusLocally(s storage.Status) {
	w.markSeen()
	i := w.docIndex[w.doc.ID]
	w.docs[i].Status = s
	w.docList.Update(docItem(w.docs[i]))
	w.refreshHeader()
}

func (w *Workbench) nextDocument()     { w.step(1) }
func (w *Workbench) previousDocument() { w.step(-1) }

func (w *Workbench) step(d int) {
	if i := w.neighbour(d); i >= 0 {
		w.openDocument(w.docs[i].ID)
	}
}

// neighbour is the index in docs of the listed document after (d = 1) or
// before (d = -1) the open one, or -1. When the open document is filtered
// out of the list, its neighbours are the nearest listed ones.
func (w *Workbench) neighbour(d int) int {
	if w.doc == nil || len(w.shown) == 0 {
		return -1
	}
	cur := w.docIndex[w.doc.ID]
	// shown is ascending: find the first listed index >= cur.
	p := sort.SearchInts(w.shown, cur)
	switch {
	case d > 0 && p < len(w.shown) && w.shown[p] == cur:
		p++
	case d < 0:
		p--
	}
	if p < 0 || p >= len(w.shown) {
		return -1
	}
	return w.shown[p]
}

func (w *Workbench) refreshUndo() {
	if w.doc == nil || w.undoItem == nil {
		return
	}
	canUndo, canRedo, err := w.store.UndoState(w.ctx, w.editor().ID, w.doc.ID)
	if err != nil {
		return
	}
	if w.undoItem.Disabled == !canUndo && w.redoItem.Disabled == !canRedo {
		return
	}
	w.undoItem.Disabled = !canUndo
	w.redoItem.Disabled = !canRedo
	w.menu.Refresh()
}

// count says "1 span", "3 spans".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// clip shortens span text for a status message.
func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return s
}
