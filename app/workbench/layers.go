package workbench

import (
	"fmt"
	"slices"
	"sort"

	"fyne.io/fyne/v2/widget"

	"gloss/storage"
	"gloss/widgets"
)

type layerKind int

const (
	layerMine      layerKind = iota // the analyst's own spans, editable
	layerGold                       // the adjudicated gold layer, editable
	layerColleague                  // one colleague's spans, read-only
	layerEveryone                   // every annotator's spans at once, read-only
)

// layer is whose spans the article shows.
type layer struct {
	kind layerKind
	who  storage.Annotator // layerColleague: whose
}

// editor is the annotator whose spans edits change: the analyst, or the gold
// layer while adjudicating.
func (w *Workbench) editor() storage.Annotator {
	if w.layer.kind == layerGold {
		return w.gold
	}
	return w.me
}

func (w *Workbench) readOnly() bool {
	return w.layer.kind == layerColleague || w.layer.kind == layerEveryone
}

// refuseReadOnly says why nothing happens when the layer on screen is not
// editable, and reports whether it is so.
func (w *Workbench) refuseReadOnly() bool {
	if !w.readOnly() {
		return false
	}
	whose := "everyone's labels"
	if w.layer.kind == layerColleague {
		whose = w.layer.who.Name + "'s labels"
	}
	w.say("You are looking at " + whose + " (read-only). Choose “My labels” in Layer to edit.")
	return true
}

// layerSpans reads the spans of the layer on screen.
func (w *Workbench) layerSpans(docID string) ([]storage.Span, error) {
	switch w.layer.kind {
	case layerGold:
		if w.gold.ID == "" {
			return nil, nil
		}
		return w.store.Spans(w.ctx, docID, w.gold.ID)
	case layerColleague:
		return w.store.Spans(w.ctx, docID, w.layer.who.ID)
	case layerEveryone:
		return w.store.Spans(w.ctx, docID, "")
	}
	return w.store.Spans(w.ctx, docID, w.me.ID)
}

// analysts are the annotators who are people: all but the gold layer's.
func (w *Workbench) analysts() ([]storage.Annotator, error) {
	as, err := w.store.Annotators(w.ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(as, func(a storage.Annotator) bool { return storage.IsGold(a.Name) }), nil
}

// goldLayer is the gold layer's annotator, made the first time it is
// shown or adjudicated into.
func (w *Workbench) goldLayer() (storage.Annotator, error) {
	if w.gold.ID == "" {
		g, err := w.store.EnsureGold(w.ctx)
		if err != nil {
			return g, err
		}
		w.gold = g
		w.markSeen()
	}
	return w.gold, nil
}

// layerChoices lists the layers the analyst can switch to, with the
// annotators behind the colleague entries.
func (w *Workbench) layerChoices() ([]string, []layer) {
	names := []string{"My labels (" + w.me.Name + ")", "Gold (adjudicated)", "Everyone (read-only)"}
	layers := []layer{{kind: layerMine}, {kind: layerGold}, {kind: layerEveryone}}
	as, err := w.analysts()
	if err != nil {
		w.report("Could not list the annotators", err)
		return names, layers
	}
	for _, a := range as {
		if a.ID == w.me.ID {
			continue
		}
		names = append(names, a.Name+" (read-only)")
		layers = append(layers, layer{kind: layerColleague, who: a})
	}
	return names, layers
}

// buildLayerSelect makes the Layer chooser; it is refilled when annotators
// arrive (imports, merges).
func (w *Workbench) buildLayerSelect() *widget.Select {
	sel := widget.NewSelect(nil, nil)
	w.layerSelect = sel
	w.refreshLayerChoices()
	sel.SetSelectedIndex(0)
	sel.OnChanged = func(string) {
		_, layers := w.layerChoices()
		if i := sel.SelectedIndex(); i >= 0 && i < len(layers) {
			w.setLayer(layers[i])
		}
	}
	return sel
}

func (w *Workbench) refreshLayerChoices() {
	if w.layerSelect == nil || w.me.ID == "" {
		return
	}
	names, _ := w.layerChoices()
	w.layerSelect.SetOptions(names)
	if w.layerSelect.SelectedIndex() < 0 {
		// The analyst was not known when the chooser was made (first
		// start): show their own layer, which is the one on screen.
		changed := w.layerSelect.OnChanged
		w.layerSelect.OnChanged = nil
		w.layerSelect.SetSelectedIndex(0)
		w.layerSelect.OnChanged = changed
	}
}

// setLayer shows another layer of the open document.
func (w *Workbench) setLayer(l layer) {
	if l.kind == layerGold {
		if _, err := w.goldLayer(); err != nil {
			w.report("Could not open the gold layer", err)
			return
		}
	}
	w.saveNote()
	w.layer = l
	w.text.SelectSpan("")
	w.palette.SetEnabled(!w.readOnly())
	w.reloadDocuments() // the list counts and shows status for the layer's annotator
	w.reloadSpans()
	if !w.readOnly() {
		w.runLearner(false) // the gold layer learns from the gold spans
	}
	switch l.kind {
	case layerMine:
		w.say("Showing your labels")
	case layerGold:
		w.say("Showing the gold layer: labels you make now go to the adjudicated set")
	case layerColleague:
		w.say(fmt.Sprintf("Showing %s's labels (read-only)", l.who.Name))
	case layerEveryone:
		w.say("Showing every annotator's labels (read-only)")
	}
}

// styleOf is the outline style that tells an annotator apart wherever
// several layers are drawn (everyone's layer, the compare window): the
// gold layer is double, the analysts take solid, dashed and dotted in the
// order of their names, so a person keeps one style everywhere.
func (w *Workbench) styleOf(a storage.Annotator) widgets.OutlineStyle {
	if storage.IsGold(a.Name) {
		return widgets.OutlineDouble
	}
	people, err := w.analysts()
	if err != nil {
		return widgets.OutlineSolid
	}
	sort.Slice(people, func(i, j int) bool { return people[i].Name < people[j].Name })
	plain := widgets.OutlineStyles[:3] // solid, dashed, dotted; double is gold's
	for i, p := range people {
		if p.ID == a.ID {
			return plain[i%len(plain)]
		}
	}
	return widgets.OutlineSolid
}

// annotatorStyles is styleOf for every annotator with spans on screen in
// everyone's layer, and nil in the others.
func (w *Workbench) annotatorStyles() map[string]widgets.OutlineStyle {
	if w.layer.kind != layerEveryone {
		return nil
	}
	out := map[string]widgets.OutlineStyle{}
	for _, s := range w.spans {
		if _, ok := out[s.AnnotatorID]; !ok {
			out[s.AnnotatorID] = w.styleOf(storage.Annotator{ID: s.AnnotatorID, Name: s.Annotator})
		}
	}
	return out
}

// showLegend names the annotator behind each outline style in everyone's
// layer, and hides itself in the others.
func (w *Workbench) showLegend(styles map[string]widgets.OutlineStyle) {
	if w.legend == nil {
		return
	}
	if len(styles) == 0 {
		w.legend.Hide()
		return
	}
	names := map[string]string{}
	for _, s := range w.spans {
		names[s.AnnotatorID] = s.Annotator
	}
	items := make([]widgets.LegendItem, 0, len(styles))
	for id, st := range styles {
		items = append(items, widgets.LegendItem{Text: names[id], Style: st})
	}
	sort.Slice(items, func(i, j int) bool { return items[i].Text < items[j].Text })
	w.legend.SetItems(items)
	w.legend.Show()
}

// listAnnotator is whose status and span count the document list shows: the
// layer's annotator ("" — every annotator's spans, no status — for
// everyone's layer).
func (w *Workbench) listAnnotator() string {
	switch w.layer.kind {
	case layerColleague:
		return w.layer.who.ID
	case layerGold:
		return w.gold.ID
	case layerEveryone:
		return ""
	}
	return w.me.ID
}

// listWhose names the annotator the document list counts for, when it is
// not the analyst.
func (w *Workbench) listWhose() string {
	switch w.layer.kind {
	case layerColleague:
		return w.layer.who.Name + "'s"
	case layerGold:
		return "gold"
	case layerEveryone:
		return "everyone's spans"
	}
	return ""
}
