package workbench

import (
	"fmt"
	"image/color"
	"strconv"

	"gloss/storage"
	"gloss/widgets"
)

// Preference keys of the suggestions.
const (
	prefSuggestOff       = "suggestionsOff"
	prefSuggestThreshold = "suggestionThreshold"
	prefSuggestSourceOff = "suggestionSourceOff." // + the source
)

// defaultThreshold is the lowest score shown until the analyst picks one.
const defaultThreshold = 0.5

// suggestionsShown says whether suggestions are drawn: the analyst has not
// switched them off, and the layer on screen is one they can accept into.
func (w *Workbench) suggestionsShown() bool {
	return !w.app.Preferences().Bool(prefSuggestOff) && !w.readOnly()
}

// threshold is the lowest score drawn.
func (w *Workbench) threshold() float64 {
	return w.app.Preferences().FloatWithFallback(prefSuggestThreshold, defaultThreshold)
}

// loadSuggestions reads the open document's open suggestions for the layer
// on screen; showSpans draws those above the threshold.
func (w *Workbench) loadSuggestions() {
	w.suggs = nil
	if w.doc == nil || !w.suggestionsShown() {
		return
	}
	ss, err := w.store.Suggestions(w.ctx, w.doc.ID, w.editor().ID)
	if err != nil {
		w.report("Could not read the suggestions", err)
		return
	}
	min := w.threshold()
	for _, s := range ss {
		if s.Score >= min && !w.sourceOff(s.Source) {
			w.suggs = append(w.suggs, s)
		}
	}
}

// sourceOff says whether the analyst switched one source off.
func (w *Workbench) sourceOff(source string) bool {
	return w.app.Preferences().Bool(prefSuggestSourceOff + source)
}

// suggestionSpans are the suggestions as the text view draws them: a
// dotted outline, a pale tint and a tag with a question mark and the
// score, so they are never mistaken for accepted work.
func (w *Workbench) suggestionSpans(colors map[string]color.Color) []widgets.Span {
	out := make([]widgets.Span, 0, len(w.suggs))
	for _, s := range w.suggs {
		c := faint(colors[s.LabelID])
		out = append(out, widgets.Span{ID: s.ID, Start: s.Start, End: s.End, Label: s.Label, Color: c,
			Style: widgets.OutlineDotted, Tag: s.Label + "? " + percent(s.Score)})
	}
	return out
}

// faint is c at a third of its opacity.
func faint(c color.Color) color.Color {
	if c == nil {
		return color.NRGBA{0x88, 0x88, 0x88, 0x55}
	}
	r, g, b, _ := c.RGBA()
	return color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0x55}
}

func percent(f float64) string { return strconv.Itoa(int(f*100+0.5)) + "%" }

// suggestionByID is the shown suggestion with that ID.
func (w *Workbench) suggestionByID(id string) (storage.Suggestion, bool) {
	for _, s := range w.suggs {
		if s.ID == id {
			return s, true
		}
	}
	return storage.Suggestion{}, false
}

// dropSuggestion stops showing suggestion id (accepted or rejected).
func (w *Workbench) dropSuggestion(id string) {
	for i, s := range w.suggs {
		if s.ID == id {
			w.suggs = append(w.suggs[:i], w.suggs[i+1:]...)
			return
		}
	}
}

// acceptSuggestion makes suggestion s a span of the layer's annotator,
// with its own label or with l (a label key pressed on it): an ordinary
// create_span that records where it came from.
func (w *Workbench) acceptSuggestion(s storage.Suggestion, l *storage.Label) {
	if w.refuseReadOnly() {
		return
	}
	labelID, name := s.LabelID, s.Label
	if l != nil {
		labelID, name = l.ID, l.Name
	}
	a, err := w.store.ApplyEdit(w.ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: w.doc.ID,
		AnnotatorID: w.editor().ID, LabelID: labelID, Start: s.Start, End: s.End, SuggestionID: s.ID})
	if err != nil {
		w.fail("Could not accept the suggestion", err)
		return
	}
	w.dropSuggestion(s.ID)
	w.putSpan(a.Span)
	w.afterEdit(fmt.Sprintf("Accepted %s “%s” (%s)", name, clip(a.Span.Text), s.Origin()), a.Status)
	w.text.SelectSpan(a.Span.ID)
	w.spanList.Select(a.Span.ID)
	w.selectionChanged()
}

// rejectSuggestion turns s down for good on this document (undoable).
func (w *Workbench) rejectSuggestion(s storage.Suggestion) {
	if w.refuseReadOnly() {
		return
	}
	if _, err := w.store.Apply(w.ctx, storage.Edit{Kind: storage.EditRejectSuggestion, DocumentID: w.doc.ID,
		AnnotatorID: w.editor().ID, SuggestionID: s.ID}); err != nil {
		w.fail("Could not reject the suggestion", err)
		return
	}
	w.dropSuggestion(s.ID)
	w.text.SelectSpan("")
	w.afterEdit(fmt.Sprintf("Rejected the suggestion %s “%s”; it will not come back here", s.Label, clip(s.Text)))
	w.selectionChanged()
}

// acceptAllSuggestions accepts every shown suggestion (those above the
// threshold) in the open document as one undoable step.
func (w *Workbench) acceptAllSuggestions() {
	if w.doc == nil || w.refuseReadOnly() {
		return
	}
	if len(w.suggs) == 0 {
		w.say(fmt.Sprintf("No suggestions at or above %s in this document.", percent(w.threshold())))
		return
	}
	edits := make([]storage.Edit, 0, len(w.suggs))
	for _, s := range w.suggs {
		edits = append(edits, storage.Edit{Kind: storage.EditCreateSpan, LabelID: s.LabelID, Start: s.Start, End: s.End, SuggestionID: s.ID})
	}
	made, st, err := w.store.ApplyBatch(w.ctx, w.doc.ID, w.editor().ID, edits)
	if err != nil {
		w.fail("Could not accept the suggestions", err)
		return
	}
	for _, s := range made {
		w.putSpan(s)
	}
	w.suggs = nil
	w.text.SelectSpan("")
	w.afterEdit(fmt.Sprintf("Accepted %s — one Ctrl+Z takes them all back", count(len(made), "suggestion")), st)
	w.selectionChanged()
}

// toggleSuggestions switches suggestions off or on.
func (w *Workbench) toggleSuggestions() {
	off := !w.app.Preferences().Bool(prefSuggestOff)
	w.app.Preferences().SetBool(prefSuggestOff, off)
	w.loadSuggestions()
	w.showSpans()
	if off {
		w.say("Suggestions are off")
	} else {
		w.say(fmt.Sprintf("Suggestions are on (%s shown here)", count(len(w.suggs), "suggestion")))
	}
}

// trained is called after an edit that the learned sources learn from; it
// is replaced when a source retrains in the background.
func (w *Workbench) trained() {
	if w.onTrained != nil {
		w.onTrained()
	}
}
