package workbench

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"

	"gloss/storage"
	"gloss/widgets"
)

// showSpans hands the current spans to the text view and the span list.
func (w *Workbench) showSpans() {
	w.markSeen()
	colors := w.labelColors()
	vs := make([]widgets.Span, len(w.spans))
	items := make([]widgets.SpanItem, len(w.spans))
	styles := w.annotatorStyles()
	for i, s := range w.spans {
		c := colors[s.LabelID]
		vs[i] = w.viewSpan(s, c, styles)
		items[i] = w.spanItem(s, c)
	}
	vs = append(vs, w.suggestionSpans(colors)...)
	w.text.SetSpans(vs)
	w.showLegend(styles)
	w.spanList.SetItems(items)
	w.shownSpans = len(w.spans)
	w.spansShown()
}

// showAddedSpan shows the span just put at w.spans[i] by adding it to the
// article and the span list, when they show every other span: at a label
// key, instead of the views of all the document's spans being built again
// (2 ms for 10,000 spans). In everyone's layer, where a new span can bring
// an outline style to the legend, and when the views may not match, it is
// showSpans.
func (w *Workbench) showAddedSpan(i int) {
	if w.layer.kind == layerEveryone || i < 0 || i >= len(w.spans) ||
		w.shownSpans != len(w.spans)-1 || w.spanList.Len() != len(w.spans)-1 {
		w.showSpans()
		return
	}
	w.markSeen()
	s := w.spans[i]
	c := w.labelColors()[s.LabelID]
	w.text.AddSpan(w.viewSpan(s, c, nil))
	w.spanList.InsertItem(i, w.spanItem(s, c))
	w.shownSpans = len(w.spans)
	w.spansShown()
}

// viewSpan is how the article draws s (styles: everyone's layer's outline
// styles by annotator, nil in the others).
func (w *Workbench) viewSpan(s storage.Span, c color.Color, styles map[string]widgets.OutlineStyle) widgets.Span {
	v := widgets.Span{ID: s.ID, Start: s.Start, End: s.End, Label: s.Label, Color: c, Tag: w.spanTag(s)}
	if w.layer.kind == layerEveryone {
		v.Style = styles[s.AnnotatorID]
		v.Tag = s.Label + " · " + s.Annotator
	}
	return v
}

// spanItem is how the span list shows s.
func (w *Workbench) spanItem(s storage.Span, c color.Color) widgets.SpanItem {
	it := widgets.SpanItem{ID: s.ID, Label: s.Label, Text: s.Text, Start: s.Start, End: s.End, Color: c, Note: s.Note}
	if w.layer.kind == layerEveryone {
		it.Who = s.Annotator
	}
	return it
}

// spansShown updates what depends on the spans shown: the span count, the
// relations drawn, Undo and the position line.
func (w *Workbench) spansShown() {
	setLabel(w.spansTitle, fmt.Sprintf("Spans (%d)", len(w.spans)))
	w.showRelations()
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

func (w *Workbench) spanTapped(id string) {
	if w.pick != nil && id == "" {
		w.cancelRelation("No relation made.")
	}
	w.spanList.Select(id) // "" (the caret moved off): no row stays highlighted
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
	w.showRelationPanel()
}

// showPosition tells where the selection or selected span is. While an
// edit is being shown (holdPosition) it waits for the edit's end, so that a
// label key, which moves the view, the span list and the selection, lays the
// line out once instead of four times.
func (w *Workbench) showPosition() {
	if w.holdPosition {
		return
	}
	if text, ok := w.positionText(); ok {
		w.setStatusText(w.position, text, w.position.Importance)
	}
}

// holdPositionUntil keeps showPosition quiet until the function it returns
// is called, which shows the position once.
func (w *Workbench) holdPositionUntil() (done func()) {
	if w.holdPosition {
		return func() {}
	}
	w.holdPosition = true
	return func() {
		w.holdPosition = false
		w.showPosition()
	}
}

// positionText is what the position line says now; false keeps what it says.
func (w *Workbench) positionText() (string, bool) {
	if w.pick != nil {
		if s, ok := w.spanByID(w.text.SelectedSpan()); ok && s.ID != w.pick.from {
			return fmt.Sprintf("Link to %s “%s”? Enter links, Tab goes on, Escape cancels", s.Label, clip(s.Text)), true
		}
		return "", false
	}
	if r, ok := w.relationByID(w.text.SelectedRelation()); ok {
		hint := "Delete removes it"
		if k := w.typeKeys(); k != "" {
			hint += ", " + k + " changes its type"
		}
		return w.relationText(r) + "  ·  " + hint, true
	}
	if id := w.text.SelectedSpan(); id != "" {
		if g, ok := w.suggestionByID(id); ok {
			return fmt.Sprintf("Suggested %s %s (%s)  ·  Enter accepts, %s accepts as another label, x rejects",
				g.Label, percent(g.Score), g.Origin(), w.keyRange()), true
		}
		if s, ok := w.spanByID(id); ok {
			rel := ""
			if len(w.relTypes) > 0 && !w.readOnly() {
				rel = ", R links"
			}
			return fmt.Sprintf("%s %d–%d  ·  Delete removes, %s relabels%s", s.Label, s.Start, s.End, w.keyRange(), rel), true
		}
	}
	if start, end, ok := w.text.Selection(); ok && end > start {
		return fmt.Sprintf("Selection %d–%d  ·  press %s to label", start, end, w.keyRange()), true
	}
	return count(len(w.spans), "span") + w.scrollPosition(), true
}

// scrollPosition says how far down a long article the view is ("  ·  38 %").
func (w *Workbench) scrollPosition() string {
	if w.doc == nil || w.doc.Length < 3000 {
		return ""
	}
	return fmt.Sprintf("  ·  %d %%", int(w.text.ScrollFraction()*100+0.5))
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
