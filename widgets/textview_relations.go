package widgets

import (
	"cmp"
	"image/color"
	"math"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// Relations: links between two spans, drawn as arcs above the lines, in
// the room a line gets above its text for them (like the tag strip), so an
// arc never covers text. What is drawn is decided per line when the line
// is measured (measureArcs): each arc end on the line gives one horizontal
// extent (from one span to the other when both are on the line, else from
// the span to the column's edge towards the other end), and the extents are
// stacked in levels, shorter ones lower, so no two on a level overlap; the
// line's room is as many levels as it needs. The renderer then only reads
// those segments for the lines on screen.

// Relation is a link drawn between two spans of the view.
type Relation struct {
	ID       string
	From, To string // span IDs (Span.ID) of the view's spans
	// Label is the type name drawn on the arc.
	Label string
	Color color.Color
	// Directed draws an arrow head at To; a symmetric relation has none.
	Directed bool
	// Style, when dashed or dotted, draws the arc's lines in that pattern
	// (the annotator's, as Span.Style tells layers apart); the zero value
	// and the others draw them solid.
	Style OutlineStyle
}

const (
	arcLeg0  = 1 << iota // a leg down to the span at x0
	arcLeg1              // a leg down to the span at x1
	arcHead0             // an arrow head at the foot of the leg at x0
	arcHead1             // … at x1
)

const (
	maxArcLevels = 12 // a line stacks no more; the rest share the top level
	arcGap       = 4  // px kept between extents on one level
	arcPad       = 3  // px above the top level
	arcSlop      = 4  // px either side of a bar that still picks it
)

// arcSeg is one relation's arc on one line: a bracket between two spans
// of the line, or a run from one span to the column's edge.
type arcSeg struct {
	rel    int32   // index in TextView.rel.list; -1: the pending relation
	x0, x1 float32 // the horizontal bar, column x
	lx, lw float32 // the label's column x and width (lw 0: no label)
	parts  uint8   // arcLeg0 | arcLeg1 | arcHead0 | arcHead1
	level  int8    // 0 just above the line's tags, then upwards
}

// extent is the horizontal room the arc takes on its level.
func (a *arcSeg) extent() (float32, float32) {
	lo, hi := a.x0, a.x1
	if a.lw > 0 {
		lo, hi = min(lo, a.lx), max(hi, a.lx+a.lw)
	}
	return lo, hi
}

// stackArcs gives each arc of a line a level, shorter extents first, each
// the lowest level where it overlaps no arc already placed (an interval
// graph colouring in which an arc nested in another always sits below
// it); it returns how many levels the line needs.
func stackArcs(arcs []arcSeg) int {
	slices.SortFunc(arcs, func(a, b arcSeg) int {
		alo, ahi := a.extent()
		blo, bhi := b.extent()
		if c := cmp.Compare(ahi-alo, bhi-blo); c != 0 {
			return c
		}
		if c := cmp.Compare(alo, blo); c != 0 {
			return c
		}
		return cmp.Compare(a.rel, b.rel)
	})
	levels := 0
	for i := range arcs {
		lo, hi := arcs[i].extent()
		lv := int8(0)
		for j := 0; j < i && lv < maxArcLevels-1; j++ {
			b := &arcs[j]
			if blo, bhi := b.extent(); b.level == lv && lo < bhi+arcGap && blo < hi+arcGap {
				lv++
				j = -1 // look again at every arc placed, on the next level
			}
		}
		arcs[i].level = lv
		levels = max(levels, int(lv)+1)
	}
	return levels
}

// relIndex holds the relations with their lookups: built once by
// SetRelations, resolved against the spans when either changes.
type relIndex struct {
	list   []Relation
	byID   map[string]int
	bySpan map[string][]int32 // span ID → the relations with an end there
	ver    uint64             // bumped by SetRelations

	// Resolved against TextView.idx (spanIndex order).
	resolvedFor [2]uint64 // (ver, TextView.spansVer)
	from, to    []int32   // the span index of each end, -1 if unknown
	ofSpan      [][]int32 // by span index: bySpan of its ID

	labelSize float32
	labelW    map[string]float32
	looksFor  [2]color.NRGBA // the background and fallback looks were made for
	looksOK   bool
	looks     []relLook // by relation, made when first drawn
}

// relLook is how a relation is drawn, its colours made (and boxed) once.
type relLook struct {
	ok                     bool
	col, faint             color.Color // strong and faint bars
	label, faintLabel, sel color.Color // label text, and the selected label's patch
}

func (rx *relIndex) set(rs []Relation) {
	rx.list = slices.Clone(rs)
	rx.byID = make(map[string]int, len(rs))
	rx.bySpan = make(map[string][]int32, 2*len(rs))
	for i := range rx.list {
		r := &rx.list[i]
		rx.byID[r.ID] = i
		rx.bySpan[r.From] = append(rx.bySpan[r.From], int32(i))
		if r.To != r.From {
			rx.bySpan[r.To] = append(rx.bySpan[r.To], int32(i))
		}
	}
	rx.ver++
	rx.looksOK = false
}

// resolve finds each relation's end spans in ix: one pass over the spans.
func (rx *relIndex) resolve(ix *spanIndex, spansVer uint64) {
	key := [2]uint64{rx.ver, spansVer}
	if rx.resolvedFor == key {
		return
	}
	rx.resolvedFor = key
	n := len(rx.list)
	rx.from = slices.Grow(rx.from[:0], n)[:n]
	rx.to = slices.Grow(rx.to[:0], n)[:n]
	for i := range rx.from {
		rx.from[i], rx.to[i] = -1, -1
	}
	rx.ofSpan = slices.Grow(rx.ofSpan[:0], len(ix.spans))[:len(ix.spans)]
	for si := range ix.spans {
		id := ix.spans[si].ID
		rs := rx.bySpan[id]
		rx.ofSpan[si] = rs
		for _, ri := range rs {
			if rx.list[ri].From == id {
				rx.from[ri] = int32(si)
			}
			if rx.list[ri].To == id {
				rx.to[ri] = int32(si)
			}
		}
	}
}

// touches reports whether relation ri has an end at span ID id.
func (rx *relIndex) touches(ri int, id string) bool {
	return id != "" && (rx.list[ri].From == id || rx.list[ri].To == id)
}

// arcInputs is what decides which arcs are drawn.
type arcInputs struct {
	sel, rel, pend   string
	all              bool
	relVer, spansVer uint64
}

// arcKey is which arcs are drawn, normalised so that a change that draws
// the same arcs (a click on a span without relations) keeps the line
// heights.
type arcKey struct {
	on       bool   // any arc at all
	all      bool   // every relation
	sel, rel string // the relations touching span sel, and relation rel
	pend     [2]int // the pending relation's span indexes + 1; 0: none
}

// syncArcs re-resolves the relations and, when the set of drawn arcs
// changed, makes the lines be measured again (their room above depends on
// it). It costs a comparison when nothing changed.
func (t *TextView) syncArcs() {
	in := arcInputs{t.selSpan, t.selRel, t.pendRel, t.showAllRel, t.rel.ver, t.spansVer}
	if in == t.arcIn {
		return
	}
	t.arcIn = in
	rx := &t.rel
	var k arcKey
	if len(rx.list) > 0 {
		rx.resolve(&t.idx, t.spansVer)
		k.all = t.showAllRel
		if !k.all {
			if len(rx.bySpan[t.selSpan]) > 0 {
				k.sel = t.selSpan
			}
			if ri, ok := rx.byID[t.selRel]; ok && !rx.touches(ri, k.sel) {
				k.rel = t.selRel
			}
		}
		// Every relation has its room, drawn or not: selecting a span
		// shows its arcs without moving a line of text.
		k.on = true
	}
	if t.pendRel != "" && t.selSpan != "" && t.selSpan != t.pendRel {
		a, b := t.idx.find(t.pendRel), t.idx.find(t.selSpan)
		if a >= 0 && b >= 0 {
			k.pend = [2]int{a + 1, b + 1}
			k.on = true
		}
	}
	// Which arcs are drawn does not change the lines' rooms (every
	// relation has its room); new relations, spans or a pending arc do.
	changed := k.on != t.arcKey.on || k.pend != t.arcKey.pend || k.on && (in.relVer != t.arcVer[0] || in.spansVer != t.arcVer[1])
	t.arcVer = [2]uint64{in.relVer, in.spansVer}
	if !changed {
		t.arcKey = k
		return
	}
	// The caret's line (the span just clicked or tabbed to) keeps its
	// place on screen while the rooms above lines change around it.
	p, li, before, keep := t.caretLineY()
	t.spanGen++
	t.arcKey = k
	if !keep {
		return
	}
	for q := t.topPara; q <= p; q++ {
		t.ensureLayout(q)
	}
	after := t.lineScreenY(p, li)
	lay := t.doc.lay[p]
	d := after + lay.lines[li].textTop - before
	// but its arcs stay on screen
	d = min(d, after)
	if d != 0 {
		t.topDy += d
		t.clampView()
	}
}

// caretLineY returns the caret's line and the widget y of its text, if it
// is on screen.
func (t *TextView) caretLineY() (p, li int, y float32, ok bool) {
	if t.size.Height <= 0 || t.m.colW <= 0 || t.doc.paras() == 0 || t.doc.lay[t.topPara] == nil {
		return 0, 0, 0, false
	}
	off := min(max(t.caret, 0), len(t.doc.runes))
	p = t.doc.paraOf(off)
	if p < t.topPara || t.doc.lay[p] == nil || t.doc.lay[p].width != t.doc.width {
		return 0, 0, 0, false
	}
	lay := t.doc.lay[p]
	li = lineIndexAt(lay.lines, off-t.doc.paraStart[p])
	y = float32(t.doc.fw.prefix(p)) - t.viewTop() + t.m.padY + lay.lines[li].y + lay.lines[li].textTop
	if y < 0 || y > t.size.Height {
		return 0, 0, 0, false
	}
	return p, li, y, true
}

// relDrawn reports whether relation ri is drawn.
func (t *TextView) relDrawn(ri int) bool {
	k := &t.arcKey
	return k.all || t.rel.touches(ri, k.sel) || k.rel != "" && t.rel.list[ri].ID == k.rel
}

// relStrong reports whether relation ri is drawn strongly: all drawn ones
// unless every relation is shown; then those touching the selected span and
// the selected relation.
func (t *TextView) relStrong(ri int) bool {
	return !t.showAllRel || t.rel.touches(ri, t.selSpan) || t.selRel != "" && t.rel.list[ri].ID == t.selRel
}

// relLabelW is the width of a relation label, cached.
func (t *TextView) relLabelW(s string) float32 {
	if s == "" {
		return 0
	}
	rx := &t.rel
	if rx.labelW == nil || rx.labelSize != t.m.tagSize {
		rx.labelW, rx.labelSize = map[string]float32{}, t.m.tagSize
	}
	w, ok := rx.labelW[s]
	if !ok {
		w = fyne.MeasureText(s, t.m.tagSize, fyne.TextStyle{Bold: true}).Width
		rx.labelW[s] = w
	}
	return w
}

// measureArcs lays out the arcs of paragraph p ([ps, ps+n)) on its lines
// and gives each line its arcH; t.hits holds the spans overlapping the
// paragraph.
func (t *TextView) measureArcs(p int, lines []lineLayout, ps, n int) {
	for i := range lines {
		lines[i].arcs, lines[i].arcH = lines[i].arcs[:0], 0
	}
	k := &t.arcKey
	if !k.on {
		return
	}
	rx := &t.rel
	for _, si := range t.hits {
		sp := &t.idx.spans[si]
		if sp.Start < ps || sp.Start >= ps+n {
			continue
		}
		var rs []int32
		if len(rx.list) > 0 {
			rs = rx.ofSpan[si]
		}
		pend := si+1 == k.pend[0] || si+1 == k.pend[1]
		if len(rs) == 0 && !pend {
			continue
		}
		li, x := t.arcAnchor(p, lines, si)
		for _, ri := range rs {
			from, to := int(rx.from[ri]), int(rx.to[ri])
			if from < 0 || to < 0 || from == to {
				continue // an end is not among the spans, or a loop
			}
			r := &rx.list[ri]
			t.addArc(p, lines, ps, n, li, x, si, from, to, ri, r.Directed, r.Label)
		}
		if pend {
			t.addArc(p, lines, ps, n, li, x, si, k.pend[0]-1, k.pend[1]-1, -1, true, "")
		}
	}
	for i := range lines {
		ln := &lines[i]
		if len(ln.arcs) > 0 {
			ln.arcH = float32(stackArcs(ln.arcs))*t.m.arcLevelH + arcPad
		}
	}
}

// addArc adds relation ri's arc at its end si (anchored on line li at
// column x) between spans from and to.
func (t *TextView) addArc(p int, lines []lineLayout, ps, n, li int, x float32, si, from, to int, ri int32, directed bool, label string) {
	colW := t.m.colW
	other := from
	if si == from {
		other = to
	}
	a := arcSeg{rel: ri, lw: t.relLabelW(label)}
	op := &t.idx.spans[other]
	sp := &t.idx.spans[si]
	sameLine := false
	var ox float32
	if op.Start >= ps && op.Start < ps+n {
		var oli int
		oli, ox = t.arcAnchor(p, lines, other)
		sameLine = oli == li
	}
	switch {
	case sameLine:
		if si != from {
			return // the From end draws it
		}
		a.x0, a.x1 = min(x, ox), max(x, ox)
		a.parts = arcLeg0 | arcLeg1
		if directed {
			if ox >= x {
				a.parts |= arcHead1
			} else {
				a.parts |= arcHead0
			}
		}
	default:
		// Towards the other end: the line's end in reading order if it
		// comes later (rightwards, or leftwards in a right-to-left
		// paragraph), its beginning if earlier.
		right := op.Start > sp.Start || op.Start == sp.Start && other > si
		if bl := lines[li].bidi; bl != nil && bl.rtl {
			right = !right
		}
		a.x0, a.x1, a.parts = x, colW, arcLeg0
		if !right {
			a.x0, a.x1, a.parts = 0, x, arcLeg1
		}
		if directed && si == to {
			a.parts |= a.parts << 2 // the head at the leg
		}
	}
	if a.lw > 0 {
		a.lx = (a.x0+a.x1)/2 - a.lw/2
		a.lx = max(min(a.lx, colW-a.lw), 0)
	}
	lines[li].arcs = append(lines[li].arcs, a)
}

// arcAnchor returns the line of paragraph p (laid out in lines) where span
// si's arcs end, the first showing some of it, and the column x there: the
// centre of the span's first fragment on that line.
func (t *TextView) arcAnchor(p int, lines []lineLayout, si int) (int, float32) {
	ps := t.doc.paraStart[p]
	sp := &t.idx.spans[si]
	s0, e0 := sp.Start-ps, sp.End-ps
	li := lineIndexAt(lines, s0)
	for li+1 < len(lines) && max(s0, int(lines[li].start)) >= min(e0, int(lines[li].textEnd)) && e0 > int(lines[li+1].start) {
		li++ // nothing of it visible on this line: the next one
	}
	ln := &lines[li]
	a, b := max(s0, int(ln.start)), min(e0, int(ln.textEnd))
	b = max(a, b)
	if ln.bidi != nil {
		t.fr = ln.bidi.rangeRects(a, b, &t.meas, t.fr[:0])
		if len(t.fr) > 0 {
			return li, (t.fr[0].x0 + t.fr[0].x1) / 2
		}
		x, _ := ln.bidi.xAt(a, &t.meas)
		return li, x
	}
	xa := ln.xAt(a, t.m.spaceW, t.meas.prefix)
	xb := ln.xAt(b, t.m.spaceW, t.meas.prefix)
	return li, (xa + xb) / 2
}

// SetRelations replaces the relations drawn between the view's spans
// (which the relations name by Span.ID; one whose end is not a span is not
// drawn). It indexes them by span once, so that drawing a screen costs only
// the arcs on it. The selected relation stays selected if it is still
// there.
func (t *TextView) SetRelations(rs []Relation) {
	t.rel.set(rs)
	if _, ok := t.rel.byID[t.selRel]; !ok {
		t.selRel = ""
	}
	t.Refresh()
}

// SelectRelation highlights the relation with this ID and scrolls its From
// span into view when it is off screen; "" or an unknown ID clears the
// selection. It does not call OnRelationSelected.
func (t *TextView) SelectRelation(id string) {
	ri, ok := t.rel.byID[id]
	if !ok {
		t.selRel = ""
		t.Refresh()
		return
	}
	t.selRel = id
	if i := t.idx.find(t.rel.list[ri].From); i >= 0 {
		t.ScrollToOffset(t.idx.spans[i].Start)
	}
	t.Refresh()
}

// SelectedRelation returns the ID of the relation selected by clicking its
// arc (or by SelectRelation), "" if none.
func (t *TextView) SelectedRelation() string { return t.selRel }

// SetShowAllRelations draws every relation when all is set, those touching
// the selected span (and the selected relation) strongly and the rest
// faintly; by default (false) only the relations touching the selected span,
// and the selected relation, are drawn.
func (t *TextView) SetShowAllRelations(all bool) {
	if t.showAllRel == all {
		return
	}
	t.showAllRel = all
	t.Refresh()
}

// ShowAllRelations is what SetShowAllRelations set.
func (t *TextView) ShowAllRelations() bool { return t.showAllRel }

// SetPendingRelation shows that the app waits for the analyst to pick the
// other end of a relation from span fromSpan: a dashed arc runs from that
// span to the selected span or, while no other span is selected, a dashed
// line to the pointer. "" clears it.
func (t *TextView) SetPendingRelation(fromSpan string) {
	if t.pendRel == fromSpan {
		return
	}
	t.pendRel = fromSpan
	t.Refresh()
}

// PendingRelation is what SetPendingRelation set.
func (t *TextView) PendingRelation() string { return t.pendRel }

// relHit is a clickable part of an arc in the last frame.
type relHit struct {
	x0, y0, x1, y1 float32
	id             string
}

// relationAt returns the relation whose bar or label is under pos in the
// last frame, "" if none; the one drawn last wins.
func (t *TextView) relationAt(pos fyne.Position) string {
	for i := len(t.relHits) - 1; i >= 0; i-- {
		h := &t.relHits[i]
		if pos.X >= h.x0 && pos.X < h.x1 && pos.Y >= h.y0 && pos.Y < h.y1 {
			return h.id
		}
	}
	return ""
}

// pickRelation selects relation id for a click and reports it.
func (t *TextView) pickRelation(id string) {
	t.selRel = id
	t.Refresh()
	if t.OnRelationSelected != nil {
		t.OnRelationSelected(id)
	}
}

// clearRelationByUser clears the selected relation, reporting it.
func (t *TextView) clearRelationByUser() {
	if t.selRel == "" {
		return
	}
	t.selRel = ""
	t.Refresh()
	if t.OnRelationSelected != nil {
		t.OnRelationSelected("")
	}
}

// relDrag is a Ctrl+drag from a span, proposing a relation.
type relDrag struct {
	from  string
	pos   fyne.Position
	moved bool
}

// startRelDrag starts a relation drag when a Ctrl+press is on a span of an
// editable view.
func (t *TextView) startRelDrag(ev *desktop.MouseEvent) bool {
	if t.readOnly || ev.Modifier&fyne.KeyModifierControl == 0 || t.OnRelationDrag == nil {
		return false
	}
	id := t.spanAtPos(ev.Position)
	if id == "" {
		return false
	}
	t.relDrag = relDrag{from: id, pos: ev.Position}
	return true
}

// endRelDrag reports the relation dragged, if it ended on another span.
func (t *TextView) endRelDrag() {
	d := t.relDrag
	t.relDrag = relDrag{}
	t.Refresh()
	if !d.moved {
		return
	}
	if to := t.spanAtPos(d.pos); to != "" && to != d.from && t.OnRelationDrag != nil {
		t.OnRelationDrag(d.from, to)
	}
}

// MouseIn implements desktop.Hoverable: the pointer is followed while a
// pending relation waits for its other end.
func (t *TextView) MouseIn(ev *desktop.MouseEvent) { t.MouseMoved(ev) }

// MouseMoved implements desktop.Hoverable.
func (t *TextView) MouseMoved(ev *desktop.MouseEvent) {
	t.hover, t.hoverOn = ev.Position, true
	if t.bandFrom() != "" {
		t.Refresh()
	}
}

// MouseOut implements desktop.Hoverable.
func (t *TextView) MouseOut() {
	t.hoverOn = false
	if t.pendRel != "" {
		t.Refresh()
	}
}

// bandFrom is the span a dashed line to the pointer starts from: a
// relation being dragged, or a pending one with no other span selected.
func (t *TextView) bandFrom() string {
	switch {
	case t.relDrag.from != "":
		if t.relDrag.moved {
			return t.relDrag.from
		}
	case t.pendRel != "" && t.hoverOn && (t.selSpan == "" || t.selSpan == t.pendRel):
		return t.pendRel
	}
	return ""
}

// bandTo is where that dashed line ends.
func (t *TextView) bandTo() fyne.Position {
	if t.relDrag.from != "" {
		return t.relDrag.pos
	}
	return t.hover
}

// arcLook is how relation ri is drawn: bar colour and thickness, label
// colour, and whether it is the selected one.
func (t *TextView) arcLook(ri int32) (col, label color.Color, th float32, sel bool) {
	m := &t.m
	if ri < 0 {
		return m.primary, m.primary, 2, false
	}
	lk := t.relLook(ri)
	switch {
	case t.selRel != "" && t.rel.list[ri].ID == t.selRel:
		return lk.col, lk.label, 3, true
	case t.relStrong(int(ri)):
		return lk.col, lk.label, 2, false
	}
	return lk.faint, lk.faintLabel, 1, false
}

// relLook returns relation ri's colours: its Color (the theme's focus
// colour if nil), at ~35% for a faint arc, and its label's, readable on the
// background.
func (t *TextView) relLook(ri int32) *relLook {
	rx := &t.rel
	key := [2]color.NRGBA{tvNRGBA(t.m.bg), tvNRGBA(t.m.focus)}
	if !rx.looksOK || rx.looksFor != key || len(rx.looks) != len(rx.list) {
		rx.looks = slices.Grow(rx.looks[:0], len(rx.list))[:len(rx.list)]
		clear(rx.looks)
		rx.looksFor, rx.looksOK = key, true
	}
	lk := &rx.looks[ri]
	if !lk.ok {
		col := tvColor(rx.list[ri].Color, t.m.focus)
		label := Readable(col, t.m.bg)
		*lk = relLook{ok: true, col: col, faint: tvAlpha(col, 0.35),
			label: label, faintLabel: tvAlpha(label, 0.55), sel: tvAlpha(col, 0.22)}
	}
	return lk
}

func roundPx(v float32) float32 { return float32(math.Round(float64(v))) }
