package workbench

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"gloss/app/agreement"
	"gloss/app/offsets"
	"gloss/storage"
	"gloss/widgets"
)

// Colours of the compare kinds (Okabe-Ito): agreement in bluish green,
// disagreements in orange, vermillion and purple.
// kindMarks tag each span with the kind of its pair: symbols, not colours,
// so they cannot be taken for labels (which own the colours).
var kindMarks = map[agreement.Kind]string{
	agreement.Agree:   "✓",
	agreement.Relabel: "≠",
	agreement.Overlap: "≈",
	agreement.OnlyA:   "A",
	agreement.OnlyB:   "B",
}

// review is the compare-and-adjudicate window for one document: two
// annotators' layers lined up, their disagreements walked one by one, and a
// gold layer built from the choices.
type review struct {
	w     *Workbench
	win   fyne.Window
	doc   storage.Document
	quote *offsets.Text // doc.Text, for the list rows' quotes
	a, b  storage.Annotator
	gold  storage.Annotator
	pairs []agreement.Pair
	goldS []storage.Span
	// Relation pairs follow the span pairs in the list (index
	// len(pairs)+k); drawn are the three layers' relations.
	relPairs []agreement.RelPair
	goldR    []storage.Relation
	drawn    []storage.Relation
	cur      int // selected pair, -1 for none

	text    *widgets.TextView
	legend  *widgets.Legend // whose outline is whose
	list    *widget.List
	summary *widget.Label
	status  *widget.Label
	pickA   *widget.Select
	pickB   *widget.Select
	people  []storage.Annotator
}

// showReview opens the review window on the open document.
func (w *Workbench) showReview() {
	if w.doc == nil || w.me.ID == "" {
		return
	}
	people, err := w.analysts()
	if err != nil {
		w.report("Could not list the annotators", err)
		return
	}
	if len(people) < 2 {
		w.show(dialog.NewInformation("Compare and adjudicate",
			"Comparing needs two annotators' labels on this database.\nBring a colleague's work in with File ▸ Merge colleague's work.", w.win))
		return
	}
	gold, err := w.goldLayer()
	if err != nil {
		w.report("Could not open the gold layer", err)
		return
	}
	r := &review{w: w, doc: *w.doc, quote: offsets.New(w.doc.Text), gold: gold, people: people, cur: -1}
	r.a, r.b = people[0], people[1]
	for i, p := range people { // the analyst first, if they annotated
		if p.ID == w.me.ID && i != 0 {
			r.a, r.b = p, people[0]
		}
	}
	r.build()
	r.reload()
	r.win.Show()
	w.review = r
}

func (r *review) build() {
	r.win = r.w.app.NewWindow("Compare and adjudicate — " + r.doc.Title)
	r.text = widgets.NewTextView()
	r.text.Segmenter = tokenSegmenter{}
	r.text.OnSpanSelected = r.spanTapped
	r.text.OnRelationSelected = r.relationTapped
	r.text.OnKey = r.key
	r.summary = widget.NewLabel("")
	r.summary.Wrapping = fyne.TextWrapWord
	r.status = widget.NewLabel("")
	r.status.Truncation = fyne.TextTruncateEllipsis
	names := make([]string, len(r.people))
	for i, p := range r.people {
		names[i] = p.Name
	}
	r.pickA = widget.NewSelect(names, nil)
	r.pickB = widget.NewSelect(names, nil)
	r.pickA.SetSelected(r.a.Name)
	r.pickB.SetSelected(r.b.Name)
	r.pickA.OnChanged = func(string) { r.a = r.people[r.pickA.SelectedIndex()]; r.reload() }
	r.pickB.OnChanged = func(string) { r.b = r.people[r.pickB.SelectedIndex()]; r.reload() }

	r.list = widget.NewList(func() int { return len(r.pairs) + len(r.relPairs) },
		func() fyne.CanvasObject {
			kind := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			a := widget.NewLabel("")
			a.Truncation = fyne.TextTruncateEllipsis
			b := widget.NewLabel("")
			b.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(kind, a, b)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			if i >= len(r.pairs) {
				p := r.relPairs[i-len(r.pairs)]
				done := ""
				if r.relResolved(p) {
					done = "  ✓ in gold"
				}
				box.Objects[0].(*widget.Label).SetText(relKindMarks[p.Kind] + " " + r.relKindName(p.Kind) + done)
				box.Objects[1].(*widget.Label).SetText(r.a.Name + ": " + r.describeRel(p.A))
				box.Objects[2].(*widget.Label).SetText(r.b.Name + ": " + r.describeRel(p.B))
				return
			}
			p := r.pairs[i]
			done := ""
			if r.resolved(p) {
				done = "  ✓ in gold"
			}
			box.Objects[0].(*widget.Label).SetText(r.kindName(p.Kind) + done)
			box.Objects[1].(*widget.Label).SetText(r.a.Name + ": " + r.describe(p.A))
			box.Objects[2].(*widget.Label).SetText(r.b.Name + ": " + r.describe(p.B))
		})
	r.list.OnSelected = func(i widget.ListItemID) { r.selectPair(i, false) }

	button := func(label string, f func()) *widget.Button { return widget.NewButton(label, f) }
	actions := container.NewGridWithColumns(2,
		button("Accept A  (a)", func() { r.accept(true, false) }),
		button("Accept B  (b)", func() { r.accept(false, true) }),
		button("Accept both  (o)", func() { r.accept(true, true) }),
		button("Reject  (x)", r.reject),
		button("◀ Previous  (p)", func() { r.step(-1) }),
		button("Next  (n) ▶", func() { r.step(1) }),
	)
	agreeAll := widget.NewButton("Accept every agreed span", r.acceptAgreed)
	agreeAll.Importance = widget.HighImportance
	edit := widget.NewButton("Edit the gold layer in the main window", func() {
		r.w.openDocument(r.doc.ID)
		r.w.layerSelect.SetSelectedIndex(1)
		r.w.win.RequestFocus()
	})
	reviewed := widget.NewButton("Mark reviewed", r.markReviewed)

	r.legend = widgets.NewLegend(nil)
	var kinds []string
	for _, k := range []agreement.Kind{agreement.Agree, agreement.Relabel, agreement.Overlap, agreement.OnlyA, agreement.OnlyB} {
		kinds = append(kinds, kindMarks[k]+" "+r.kindName(k))
	}
	marks := widget.NewLabel("Tags: " + strings.Join(kinds, "   "))
	marks.Importance = widget.LowImportance
	top := container.NewVBox(
		container.NewHBox(widget.NewLabel("Compare A"), r.pickA, widget.NewLabel("with B"), r.pickB),
		r.legend, marks)
	side := container.NewBorder(container.NewVBox(r.summary, agreeAll, actions),
		container.NewVBox(edit, reviewed), nil, nil, r.list)
	split := container.NewHSplit(container.NewBorder(top, nil, nil, nil, r.text), side)
	split.Offset = 0.68
	r.win.SetContent(container.NewBorder(nil, r.status, nil, nil, split))
	r.win.Canvas().SetOnTypedRune(func(c rune) { r.key(c) })
	escapeCloses(r.win)
	r.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { r.acceptAgreed() })
	r.win.SetOnClosed(func() {
		if r.w.review == r {
			r.w.review = nil
		}
	})
	r.win.Resize(fyne.NewSize(1200, 760))
}

func (r *review) kindName(k agreement.Kind) string {
	switch k {
	case agreement.Agree:
		return "Agree"
	case agreement.Relabel:
		return "Other label"
	case agreement.Overlap:
		return "Overlap"
	case agreement.OnlyA:
		return "Only " + r.a.Name
	case agreement.OnlyB:
		return "Only " + r.b.Name
	}
	return string(k)
}

func (r *review) describe(s *agreement.Span) string {
	if s == nil {
		return "—"
	}
	// The offsets first: a narrow row cuts the quote, never the numbers.
	return fmt.Sprintf("%d–%d %s “%s”", s.Start, s.End, s.Label, clip(r.quote.Slice(s.Start, s.End)))
}

// reload reads both layers and the gold layer and pairs them up.
func (r *review) reload() {
	layer := func(a storage.Annotator) ([]storage.Span, []agreement.Span, error) {
		ss, err := r.w.store.Spans(r.w.ctx, r.doc.ID, a.ID)
		out := make([]agreement.Span, len(ss))
		for i, s := range ss {
			out[i] = agreement.Span{ID: s.ID, Doc: r.doc.ID, Annotator: s.Annotator, Label: s.Label, Start: s.Start, End: s.End}
		}
		return ss, out, err
	}
	sa, aa, err := layer(r.a)
	if err == nil {
		var sb []storage.Span
		var ab []agreement.Span
		sb, ab, err = layer(r.b)
		if err == nil {
			r.goldS, err = r.w.store.Spans(r.w.ctx, r.doc.ID, r.gold.ID)
			r.pairs = agreement.Compare(aa, ab)
			if err == nil {
				err = r.loadRelations(sa, sb)
			}
			r.show(sa, sb)
			r.showRelations()
		}
	}
	if err != nil {
		r.status.SetText("✗ " + err.Error())
		return
	}
	counts := map[agreement.Kind]int{}
	resolved := 0
	for _, p := range r.pairs {
		counts[p.Kind]++
		if r.resolved(p) {
			resolved++
		}
	}
	r.w.reviewChanged(r.doc.ID)
	summary := fmt.Sprintf("%d agree · %d other label · %d overlap · %d only %s · %d only %s\n%d of %d decided in gold (%d gold spans)",
		counts[agreement.Agree], counts[agreement.Relabel], counts[agreement.Overlap],
		counts[agreement.OnlyA], r.a.Name, counts[agreement.OnlyB], r.b.Name, resolved, len(r.pairs), len(r.goldS))
	if len(r.relPairs) > 0 {
		agreed, decided := 0, 0
		for _, p := range r.relPairs {
			if p.Kind == agreement.Agree {
				agreed++
			}
			if r.relResolved(p) {
				decided++
			}
		}
		summary += fmt.Sprintf("\nRelations: %d agree, %d differ; %d of %d decided in gold", agreed, len(r.relPairs)-agreed, decided, len(r.relPairs))
	}
	r.summary.SetText(summary)
	r.list.Refresh()
	if r.cur >= len(r.pairs)+len(r.relPairs) {
		r.cur = -1
	}
}

// show draws A, B and gold each in its annotator's outline style (the same
// as in everyone's layer), tagged with who made it and the kind of its pair.
func (r *review) show(sa, sb []storage.Span) {
	colors := r.w.labelColors()
	kindOf := map[string]agreement.Kind{}
	for _, p := range r.pairs {
		if p.A != nil {
			kindOf[p.A.ID] = p.Kind
		}
		if p.B != nil {
			kindOf[p.B.ID] = p.Kind
		}
	}
	var vs []widgets.Span
	add := func(ss []storage.Span, who storage.Annotator) {
		for _, s := range ss {
			v := widgets.Span{ID: s.ID, Start: s.Start, End: s.End, Label: s.Label, Color: colors[s.LabelID],
				Style: r.w.styleOf(who), Tag: s.Label + " · " + who.Name}
			if k, ok := kindOf[s.ID]; ok {
				v.Tag = kindMarks[k] + " " + v.Tag
			}
			vs = append(vs, v)
		}
	}
	add(sa, r.a)
	add(sb, r.b)
	add(r.goldS, r.gold)
	var items []widgets.LegendItem
	for _, a := range []storage.Annotator{r.a, r.b, r.gold} {
		items = append(items, widgets.LegendItem{Text: a.Name, Style: r.w.styleOf(a)})
	}
	r.legend.SetItems(items)
	if r.text.Text() != r.doc.Text {
		r.text.SetText(r.doc.Text)
	}
	r.text.SetSpans(vs)
}

// resolved says whether the gold layer holds a decision for the pair: one
// of its spans, or (after a reject) nothing overlapping it... a reject
// leaves no trace, so only accepted pairs count as decided.
func (r *review) resolved(p agreement.Pair) bool {
	for _, g := range r.goldS {
		for _, s := range []*agreement.Span{p.A, p.B} {
			if sameSpan(g, s) {
				return true
			}
		}
	}
	return false
}

// sameSpan says whether a gold span is s copied: same extent and label.
func sameSpan(g storage.Span, s *agreement.Span) bool {
	return s != nil && g.Start == s.Start && g.End == s.End && g.Label == s.Label
}

func (r *review) spanTapped(id string) {
	for i, p := range r.pairs {
		if (p.A != nil && p.A.ID == id) || (p.B != nil && p.B.ID == id) {
			r.selectPair(i, true)
			return
		}
	}
}

func (r *review) selectPair(i int, fromText bool) {
	if i >= len(r.pairs) && i < len(r.pairs)+len(r.relPairs) {
		r.cur = i
		p := r.relPairs[i-len(r.pairs)]
		rel := p.A
		if rel == nil {
			rel = p.B
		}
		r.text.SelectSpan(rel.From.ID)
		r.text.SelectRelation(rel.ID)
		r.list.Select(i)
		r.status.SetText(r.relKindName(p.Kind) + ": a accepts " + r.a.Name + "'s (with its spans), b " + r.b.Name + "'s, o both, x rejects, n / p move")
		return
	}
	if i < 0 || i >= len(r.pairs) {
		return
	}
	r.cur = i
	p := r.pairs[i]
	if !fromText {
		if p.A != nil {
			r.text.SelectSpan(p.A.ID)
		} else {
			r.text.SelectSpan(p.B.ID)
		}
	}
	r.list.Select(i)
	r.status.SetText(r.kindName(p.Kind) + ": a accepts " + r.a.Name + "'s, b " + r.b.Name + "'s, o both, x rejects, n / p move")
}

// step moves to the next (d = 1) or previous disagreement.
func (r *review) step(d int) {
	for i := r.cur + d; i >= 0 && i < len(r.pairs)+len(r.relPairs); i += d {
		if i >= len(r.pairs) {
			if r.relPairs[i-len(r.pairs)].Kind != agreement.Agree {
				r.selectPair(i, false)
				return
			}
			continue
		}
		if r.pairs[i].Kind != agreement.Agree {
			r.selectPair(i, false)
			return
		}
	}
	r.status.SetText("No more disagreements that way")
}

func (r *review) key(c rune) bool {
	switch c {
	case 'a', 'A':
		r.accept(true, false)
	case 'b', 'B':
		r.accept(false, true)
	case 'o', 'O':
		r.accept(true, true)
	case 'x', 'X':
		r.reject()
	case 'n', 'N', 'j':
		r.step(1)
	case 'p', 'P', 'k':
		r.step(-1)
	default:
		return false
	}
	return true
}

// addGold copies a span into the gold layer; a copy already there is fine.
func (r *review) addGold(s *agreement.Span) error {
	if s == nil {
		return nil
	}
	lid := ""
	for _, l := range r.w.labels {
		if l.Name == s.Label {
			lid = l.ID
		}
	}
	_, err := r.w.store.Apply(r.w.ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: r.doc.ID,
		AnnotatorID: r.gold.ID, LabelID: lid, Start: s.Start, End: s.End})
	if errors.Is(err, storage.ErrConflict) {
		return nil
	}
	return err
}

func (r *review) accept(a, b bool) {
	if r.cur < 0 {
		r.step(1)
		return
	}
	if r.cur >= len(r.pairs) {
		r.acceptRel(r.relPairs[r.cur-len(r.pairs)], a, b)
		return
	}
	p := r.pairs[r.cur]
	var err error
	if a {
		err = r.addGold(p.A)
	}
	if b && err == nil {
		err = r.addGold(p.B)
	}
	r.decided(err)
}

// decided shows the gold layer after a decision on the selected pair and
// moves on to the next disagreement, or says what was not saved.
func (r *review) decided(err error) {
	r.w.markSeen()
	if err != nil {
		r.status.SetText("✗ Not saved: " + err.Error())
		return
	}
	cur := r.cur
	r.reload()
	r.cur = cur
	r.step(1)
}

// reject removes from gold whatever the pair had put there.
func (r *review) reject() {
	if r.cur < 0 {
		return
	}
	if r.cur >= len(r.pairs) {
		r.rejectRel(r.relPairs[r.cur-len(r.pairs)])
		return
	}
	p := r.pairs[r.cur]
	for _, g := range r.goldS {
		for _, s := range []*agreement.Span{p.A, p.B} {
			if sameSpan(g, s) {
				if _, err := r.w.store.Apply(r.w.ctx, storage.Edit{Kind: storage.EditDeleteSpan, DocumentID: r.doc.ID,
					AnnotatorID: r.gold.ID, SpanID: g.ID}); err != nil {
					r.decided(err)
					return
				}
			}
		}
	}
	r.decided(nil)
}

// acceptAgreed puts every span both annotators agree on into gold at once.
func (r *review) acceptAgreed() {
	n := 0
	for _, p := range r.pairs {
		if p.Kind != agreement.Agree {
			continue
		}
		if err := r.addGold(p.A); err != nil {
			r.status.SetText("✗ Not saved: " + err.Error())
			break
		}
		n++
	}
	nr := 0
	for _, p := range r.relPairs {
		if p.Kind != agreement.Agree {
			continue
		}
		if err := r.addGoldRelation(p.A); err != nil {
			r.status.SetText("✗ Not saved: " + err.Error())
			break
		}
		nr++
	}
	r.reload()
	msg := fmt.Sprintf("✓ %d agreed spans are in gold", n)
	if nr > 0 {
		msg += fmt.Sprintf(", and %s", count(nr, "agreed relation"))
	}
	r.status.SetText(msg)
}

func (r *review) markReviewed() {
	if _, err := r.w.store.Apply(r.w.ctx, storage.Edit{Kind: storage.EditSetStatus, DocumentID: r.doc.ID,
		AnnotatorID: r.gold.ID, Status: storage.StatusReviewed}); err != nil {
		r.status.SetText("✗ Not saved: " + err.Error())
		return
	}
	r.w.reviewChanged(r.doc.ID)
	r.status.SetText("✓ Marked reviewed")
}

// reviewChanged brings the main window up to date after the review window
// wrote to the gold layer: those are this program's writes, not another's.
func (w *Workbench) reviewChanged(docID string) {
	if w.doc != nil && w.doc.ID == docID && w.layer.kind == layerGold {
		w.reloadSpans()
	}
	w.markSeen()
}
