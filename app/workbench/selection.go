package workbench

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"

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
		vs[i] = widgets.Span{ID: s.ID, Start: s.Start, End: s.End, Label: s.Label, Color: c, Tag: w.spanTag(s)}
		if w.layer.kind == layerEveryone {
			vs[i].Style = styles[s.AnnotatorID]
			vs[i].Tag = s.Label + " · " + s.Annotator
		}
		items[i] = widgets.SpanItem{ID: s.ID, Label: s.Label, Text: s.Text, Start: s.Start, End: s.End, Color: c, Note: s.Note}
		if w.layer.kind == layerEveryone {
			items[i].Who = s.Annotator
		}
	}
	vs = append(vs, w.suggestionSpans(colors)...)
	w.text.SetSpans(vs)
	w.showLegend(styles)
	w.spanList.SetItems(items)
	w.spansTitle.SetText(fmt.Sprintf("Spans (%d)", len(w.spans)))
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
	w.showRelationPanel()
}

// showPosition tells where the selection or selected span is.
func (w *Workbench) showPosition() {
	if w.pick != nil {
		if s, ok := w.spanByID(w.text.SelectedSpan()); ok && s.ID != w.pick.from {
			w.position.SetText(fmt.Sprintf("Link to %s “%s”? Enter links, Tab goes on, Escape cancels", s.Label, clip(s.Text)))
		}
		return
	}
	if r, ok := w.relationByID(w.text.SelectedRelation()); ok {
		hint := "Delete removes it"
		if k := w.typeKeys(); k != "" {
			hint += ", " + k + " changes its type"
		}
		w.position.SetText(w.relationText(r) + "  ·  " + hint)
		return
	}
	if id := w.text.SelectedSpan(); id != "" {
		if g, ok := w.suggestionByID(id); ok {
			w.position.SetText(fmt.Sprintf("Suggested %s %s (%s)  ·  Enter accepts, %s accepts as another label, x rejects",
				g.Label, percent(g.Score), g.Origin(), w.keyRange()))
			return
		}
		if s, ok := w.spanByID(id); ok {
			rel := ""
			if len(w.relTypes) > 0 && !w.readOnly() {
				rel = ", R links"
			}
			w.position.SetText(fmt.Sprintf("%s %d–%d  ·  Delete removes, %s relabels%s", s.Label, s.Start, s.End, w.keyRange(), rel))
			return
		}
	}
	if start, end, ok := w.text.Selection(); ok && end > start {
		w.position.SetText(fmt.Sprintf("Selection %d–%d  ·  press %s to label", start, end, w.keyRange()))
		return
	}
	w.position.SetText(count(len(w.spans), "span") + w.scrollPosition())
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
