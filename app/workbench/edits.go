package workbench

import (
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"gloss/app/tokens"
	"gloss/storage"
)

// tokenSegmenter snaps selections to the tokens of the tokenizer that the
// export formats use, so a span made in the window lies on token boundaries.
type tokenSegmenter struct{}

func (tokenSegmenter) Snap(text []rune, start, end int) (int, int) {
	return tokens.SnapToWords(text, start, end)
}

func (tokenSegmenter) WordAt(text []rune, i int) (int, int) { return tokens.WordAt(text, i) }

func (tokenSegmenter) SentenceAt(text []rune, i int) (int, int) { return tokens.SentenceAt(text, i) }

// typedRune applies the label whose key was pressed.
func (w *Workbench) typedRune(r rune) bool {
	if w.relationTyped(r) {
		return true
	}
	if g, ok := w.suggestionByID(w.text.SelectedSpan()); ok && r == 'x' && !w.labelKey('x') {
		w.rejectSuggestion(g)
		return true
	}
	for i, l := range w.labels {
		if l.Key != "" && l.Key == string(r) {
			w.applyLabel(i)
			return true
		}
	}
	// j and k walk the spans, as Tab and Shift+Tab do (unless a label
	// took those keys).
	switch r {
	case 'j':
		w.stepSpan(1)
		return true
	case 'k':
		w.stepSpan(-1)
		return true
	}
	return false
}

// labelKey says whether a label uses key r.
func (w *Workbench) labelKey(r rune) bool {
	for _, l := range w.labels {
		if l.Key == string(r) {
			return true
		}
	}
	return false
}

// stepSpan selects the next (dir 1) or previous span, or says there is none.
func (w *Workbench) stepSpan(dir int) {
	if !w.text.SelectNextSpan(dir) {
		if len(w.spans) == 0 {
			w.say("No spans in this document yet.")
		} else if dir > 0 {
			w.say("That was the last span.")
		} else {
			w.say("That was the first span.")
		}
	}
}

// applyLabel relabels the selected span, or makes a span of the selected text.
func (w *Workbench) applyLabel(i int) {
	if w.doc == nil || i < 0 || i >= len(w.labels) || w.me.ID == "" || w.refuseReadOnly() {
		return
	}
	l := w.labels[i]
	if g, ok := w.suggestionByID(w.text.SelectedSpan()); ok {
		w.acceptSuggestion(g, &l)
		return
	}
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
		if misfits := w.misfits(s.ID); misfits != "" {
			w.say(fmt.Sprintf("✓ Relabelled “%s” as %s — but %s", clip(s.Text), l.Name, misfits))
		}
		w.text.SelectSpan(s.ID)
		w.selectionChanged()
		return
	}
	start, end, ok := w.text.Selection()
	if !ok || start >= end {
		w.say("Select some words first (drag across them), then press " + keyHint(l) + ".")
		return
	}
	for _, o := range w.spans {
		if o.LabelID == l.ID && o.Start < end && start < o.End && (start < o.Start || end > o.End) {
			w.askWiden(o, l, start, end)
			return
		}
	}
	w.createSpan(l, start, end)
}

// askWiden is for a selection that overlaps a span of the same label: most
// often the analyst means to add a missing word to it, not to make a
// second one beside it.
func (w *Workbench) askWiden(o storage.Span, l storage.Label, start, end int) {
	from, to := min(o.Start, start), max(o.End, end)
	var d dialog.Dialog
	widen := widget.NewButton("Widen it", func() { d.Hide(); w.moveEdges(o.ID, from, to) })
	widen.Importance = widget.HighImportance
	second := widget.NewButton("Make a second "+l.Name, func() { d.Hide(); w.createSpan(l, start, end) })
	cancel := widget.NewButton("Cancel", func() { d.Hide() })
	msg := widget.NewLabel(fmt.Sprintf("The selection overlaps the %s “%s” (%d–%d).\nWiden that span to %d–%d, or make a second %s?",
		l.Name, clip(o.Text), o.Start, o.End, from, to, l.Name))
	cd := dialog.NewCustomWithoutButtons("Widen the "+l.Name+"?", msg, w.win)
	cd.SetButtons([]fyne.CanvasObject{cancel, second, widen})
	d = cd
	w.show(d)
}

// createSpan saves a new span of label l over [start, end).
func (w *Workbench) createSpan(l storage.Label, start, end int) {
	defer w.holdPositionUntil()()
	a, err := w.store.ApplyEdit(w.ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: w.doc.ID,
		AnnotatorID: w.editor().ID, LabelID: l.ID, Start: start, End: end})
	if err != nil {
		w.fail("Could not save the span", err)
		return
	}
	s := a.Span
	i := w.putSpan(s)
	w.text.ClearSelection()
	w.showAddedSpan(i)
	w.spansEdited(fmt.Sprintf("Saved %s “%s” (%d–%d)", l.Name, clip(s.Text), s.Start, s.End), a.Status)
	w.text.SelectSpan(s.ID)
	w.spanList.Select(s.ID)
	w.rememberedValues(s)
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
	if rel := w.text.SelectedRelation(); rel != "" && w.doc != nil {
		w.deleteRelation(rel)
		return
	}
	id := w.text.SelectedSpan()
	if w.doc == nil || id == "" || w.refuseReadOnly() {
		return
	}
	if g, ok := w.suggestionByID(id); ok {
		w.rejectSuggestion(g)
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
	case storage.EditRejectSuggestion, storage.EditBatch:
		w.reloadSpans()
		w.afterEdit(verb+": suggestions as they were", e.Status)
		return
	case storage.EditRenameDocument:
		w.titleChanged(e.Title)
		w.say(fmt.Sprintf("%s: the title is “%s”", verb, clip(e.Title)))
		return
	case storage.EditSetStatus:
		w.setStatusLocally(e.Status)
		w.say(fmt.Sprintf("%s: status is %s", verb, statusName(e.Status)))
		w.refreshUndo()
		return
	case storage.EditDeleteSpan:
		w.dropSpan(e.SpanID)
		w.text.ClearSelection()
		w.afterEdit(fmt.Sprintf("%s: span removed", verb), e.Status)
		return
	case storage.EditCreateRelation, storage.EditDeleteRelation, storage.EditRetypeRelation:
		w.afterEdit(fmt.Sprintf("%s: %s", verb, relationEditText(e)))
		if r, ok := w.relationByID(e.RelationID); ok {
			w.text.SelectSpan(r.From)
			w.text.SelectRelation(r.ID)
		}
		w.selectionChanged()
		return
	case storage.EditSetAttribute:
		w.afterEdit(fmt.Sprintf("%s: attribute as it was", verb))
		w.selectionChanged()
		return
	}
	s, err := w.store.Span(w.ctx, e.SpanID)
	if err != nil {
		w.fail(verb[:4]+" failed", err)
		return
	}
	w.putSpan(s)
	w.afterEdit(fmt.Sprintf("%s: %s “%s”", verb, s.Label, clip(s.Text)), e.Status)
	w.text.SelectSpan(s.ID)
	w.spanList.Select(s.ID)
	w.selectionChanged()
}

// putSpan inserts or replaces a span in the sorted slice and returns its
// position.
func (w *Workbench) putSpan(s storage.Span) int {
	w.dropSpan(s.ID)
	i, _ := slices.BinarySearchFunc(w.spans, s, storage.CompareSpans)
	w.spans = slices.Insert(w.spans, i, s)
	return i
}

func (w *Workbench) dropSpan(id string) {
	if w.note != nil && w.note.spanID == id {
		w.note.close()
	}
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
// afterEdit shows an edit: the spans, the document's row (its span count
// and, when the store reports one, its status) and msg in the status line.
func (w *Workbench) afterEdit(msg string, status ...storage.Status) {
	w.loadRelations()
	w.afterSpanEdit(msg, status...)
}

// afterSpanEdit is afterEdit for an edit that changes no relation or
// attribute value (a new span): the document's relations and values are
// not read again at every label key.
func (w *Workbench) afterSpanEdit(msg string, status ...storage.Status) {
	w.showSpans()
	w.spansEdited(msg, status...)
}

// spansEdited shows an edit of the spans once they are shown: the document's
// row and header, msg in the status line; and lets the suggestions learn.
func (w *Workbench) spansEdited(msg string, status ...storage.Status) {
	n := len(w.spans)
	w.list.update(w.doc.ID, func(d *storage.DocumentRow) {
		d.SpanCount = n
		if len(status) > 0 && status[0] != "" {
			d.Status = status[0]
		}
	})
	w.refreshHeader()
	w.say("✓ " + msg)
	w.trained()
}

func (w *Workbench) refreshUndo() {
	if w.doc == nil || w.menuItems == nil {
		return
	}
	canUndo, canRedo, err := w.store.UndoState(w.ctx, w.editor().ID, w.doc.ID)
	if err != nil {
		return
	}
	undoItem, redoItem := w.menuItems["Undo"], w.menuItems["Redo"]
	if undoItem.Disabled == !canUndo && redoItem.Disabled == !canRedo {
		return
	}
	undoItem.Disabled = !canUndo
	redoItem.Disabled = !canRedo
	w.menu.Refresh()
}

// relabelLocally refreshes label names and colours of the shown spans after
// the label set changed.
func (w *Workbench) relabelLocally() {
	names := make(map[string]string, len(w.labels))
	for _, l := range w.labels {
		names[l.ID] = l.Name
	}
	for i := range w.spans {
		if n, ok := names[w.spans[i].LabelID]; ok {
			w.spans[i].Label = n
		}
	}
	if w.doc != nil {
		w.showSpans()
	}
}

func (w *Workbench) reloadSpans() {
	if w.doc == nil {
		return
	}
	spans, err := w.layerSpans(w.doc.ID)
	if err != nil {
		w.report("Could not read the spans", err)
		return
	}
	w.spans = spans
	w.loadRelations()
	w.loadSuggestions()
	if w.note != nil && w.note.spanID != "" {
		if _, ok := w.spanByID(w.note.spanID); !ok {
			w.note.close()
		}
	}
	w.showSpans()
}

// moveEdges gives a span a new extent (its handles dragged, or the edge
// keys): one undoable edit that keeps the span's UUID, label and note.
func (w *Workbench) moveEdges(id string, start, end int) {
	if w.doc == nil || w.refuseReadOnly() {
		return
	}
	s, err := w.store.Apply(w.ctx, storage.Edit{Kind: storage.EditResizeSpan, DocumentID: w.doc.ID,
		AnnotatorID: w.editor().ID, SpanID: id, Start: start, End: end})
	if err != nil {
		w.fail("Could not move the span's edges", err)
		return
	}
	w.putSpan(s)
	w.afterEdit(fmt.Sprintf("%s is now “%s” (%d–%d)", s.Label, clip(s.Text), s.Start, s.End))
	w.text.SelectSpan(s.ID)
	w.selectionChanged()
}
