package widgets

import (
	"cmp"
	"image/color"
	"math"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
)

// textViewRenderer draws only the visible lines. Canvas objects are pooled:
// a canvas.Text or a patterned edge keeps its content across frames when the
// same one is still on screen (so the GL driver keeps its texture),
// rectangles are reused in order.
type textViewRenderer struct {
	t *TextView

	bg, track, thumb *canvas.Rectangle
	rects            []*canvas.Rectangle
	nRects           int
	texts            framePool[textKey, *canvas.Text]
	pats             framePool[patKey, *patEdge]

	segs  []*canvas.Line
	nSegs int

	// layers, concatenated into objects; chrome is the caret, the edge
	// handles and the focus ring; arcLines and arcText the relations' arcs
	// and their labels
	tints, sel, boxes, lines, bars, tags, outlines, chrome []fyne.CanvasObject
	arcLines, arcText                                      []fyne.CanvasObject
	objects                                                []fyne.CanvasObject
	hits                                                   []int // span indexes scratch
	vis                                                    []visLine
	fr                                                     []frag // frags scratch
}

func newTextViewRenderer(t *TextView) *textViewRenderer {
	r := &textViewRenderer{
		t:     t,
		bg:    canvas.NewRectangle(color.Transparent),
		track: canvas.NewRectangle(color.Transparent),
		thumb: canvas.NewRectangle(color.Transparent),
	}
	r.thumb.CornerRadius = 3
	r.texts.init(func() *canvas.Text { return &canvas.Text{} })
	r.pats.init(newPatEdge)
	t.updateMetrics()
	return r
}

func (r *textViewRenderer) Destroy() {}

func (r *textViewRenderer) MinSize() fyne.Size {
	m := &r.t.m
	return fyne.NewSize(2*m.padX+m.sbW+10*m.textSize, 2*m.padY+2*m.lineH)
}

func (r *textViewRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *textViewRenderer) Layout(size fyne.Size) {
	r.t.setSize(size)
	r.rebuild()
}

func (r *textViewRenderer) Refresh() {
	t := r.t
	if t.updateMetrics() {
		t.doc.width = 0 // text size changed: wrap again
		for i := range t.doc.lay {
			t.doc.lay[i] = nil
		}
	}
	t.relayout()
	r.rebuild()
}

func (r *textViewRenderer) rect() *canvas.Rectangle {
	if r.nRects == len(r.rects) {
		r.rects = append(r.rects, &canvas.Rectangle{})
	}
	rc := r.rects[r.nRects]
	r.nRects++
	return rc
}

// place sets a pooled rectangle, refreshing it only when it changed.
func (r *textViewRenderer) place(layer *[]fyne.CanvasObject, x, y, w, h float32, fill, stroke color.Color, sw, radius float32) {
	rc := r.rect()
	pos, size := fyne.NewPos(x, y), fyne.NewSize(w, h)
	changed := rc.FillColor != fill || rc.StrokeColor != stroke || rc.StrokeWidth != sw || rc.CornerRadius != radius || rc.Size() != size
	rc.FillColor, rc.StrokeColor, rc.StrokeWidth, rc.CornerRadius = fill, stroke, sw, radius
	rc.Move(pos)
	rc.Resize(size)
	if changed {
		canvas.Refresh(rc)
	}
	*layer = append(*layer, rc)
}

type visLine struct {
	p, li int
	y     float32
	ln    *lineLayout
}

// rebuild recreates the object list for the current viewport.
func (r *textViewRenderer) rebuild() {
	t := r.t
	m := &t.m
	size := t.size
	r.nRects, r.nSegs = 0, 0
	r.arcLines, r.arcText = r.arcLines[:0], r.arcText[:0]
	t.relHits = t.relHits[:0]
	r.tints, r.sel, r.boxes, r.lines, r.bars, r.tags, r.outlines, r.chrome = r.tints[:0], r.sel[:0], r.boxes[:0], r.lines[:0], r.bars[:0], r.tags[:0], r.outlines[:0], r.chrome[:0]
	t.tags = t.tags[:0]
	t.handles = [2]tagHit{}
	r.bg.Resize(size)
	r.objects = append(r.objects[:0], r.bg)
	if m.colW <= 0 || size.Height <= 0 || t.doc.paras() == 0 {
		r.texts.end()
		r.pats.end()
		canvas.Refresh(r.bg)
		return
	}

	t.syncArcs() // normally done by the layout already

	// Visible lines, with a line of margin above and below.
	vis := r.vis[:0]
	margin := m.maxLineH()
	y := m.padY - t.topDy
	for p := t.topPara; p < t.doc.paras() && y < size.Height+margin; p++ {
		lay := t.ensureLayout(p)
		for li := range lay.lines {
			ln := &lay.lines[li]
			ly := y + ln.y
			if ly+ln.h < -margin || ly > size.Height+margin {
				continue
			}
			vis = append(vis, visLine{p, li, ly, ln})
		}
		y += t.doc.height(p)
	}
	r.vis = vis
	if len(vis) == 0 {
		r.finish()
		return
	}
	first := vis[0]
	last := vis[len(vis)-1]
	visStart := t.doc.paraStart[first.p] + int(first.ln.start)
	visEnd := t.doc.paraStart[last.p] + int(last.ln.end) + 1
	r.hits = t.idx.overlapping(visStart, visEnd, r.hits[:0])
	selIdx := t.idx.find(t.selSpan)
	// While an edge is dragged the proposed extent shows as the selection.
	selOn, selA, selB := t.hasSel, t.selStart, t.selEnd
	if t.edge.which != 0 {
		selOn, selA, selB = true, t.edge.start, t.edge.end
	}

	topLine := 0 // first line whose tag strip is on screen
	for topLine < len(vis)-1 && vis[topLine].y < 0 {
		topLine++
	}
	for i := range vis {
		v := &vis[i]
		ps := t.doc.paraStart[v.p]
		ls, le, lte := ps+int(v.ln.start), ps+int(v.ln.end), ps+int(v.ln.textEnd)
		lastLine := v.li == len(t.doc.lay[v.p].lines)-1
		textY := v.y + v.ln.textTop

		if v.ln.disp != "" {
			txt := r.text(v.ln.disp, m.textSize, fyne.TextStyle{}, m.fg)
			x := m.colX
			if v.ln.bidi != nil {
				x += v.ln.bidi.x0
			}
			txt.Move(fyne.NewPos(x, textY))
			txt.Resize(fyne.NewSize(v.ln.width+2, m.textH))
			r.lines = append(r.lines, txt)
		}

		// Selection.
		if selOn && selA < le+1 && selB > ls && v.ln.bidi != nil {
			r.bidiSelection(v, max(selA, ls), min(selB, lte), lastLine && selB > le, textY)
		} else if selOn && selA < le+1 && selB > ls {
			x0 := r.xAt(v, max(selA, ls))
			x1 := r.xAt(v, min(selB, lte))
			if lastLine && selB > le { // the paragraph break is selected
				x1 = max(x1, x0) + m.spaceW
			}
			if x1 > x0 {
				selCol := m.sel
				if t.readOnly {
					selCol = m.selRO
				}
				r.place(&r.sel, x0, textY, x1-x0, m.textH, selCol, nil, 0, 0)
			}
		}
		r.highlights(v, ls, lte, textY)
		r.spans(v, ls, lte, textY, i == topLine, selIdx)
		r.arcs(v)
	}
	r.band()
	r.handles()
	r.caret()
	r.finish()
}

// highlights draws the find matches on line v: a warm wash (no label
// colour is this), the current match outlined as well.
func (r *textViewRenderer) highlights(v *visLine, ls, lte int, textY float32) {
	t := r.t
	hs := t.hl
	i, _ := slices.BinarySearchFunc(hs, ls, func(h [2]int, off int) int { return cmp.Compare(h[1], off+1) })
	for ; i < len(hs) && hs[i][0] < lte; i++ {
		a, b := max(hs[i][0], ls), min(hs[i][1], lte)
		if a >= b {
			continue
		}
		var stroke color.Color
		if i == t.hlCur {
			stroke = findCurrent
		}
		for _, f := range r.frags(v, a, b) {
			if f.x1 > f.x0 {
				r.place(&r.sel, f.x0, textY, f.x1-f.x0, t.m.textH, findWash, stroke, 2, 2)
			}
		}
	}
}

// The find colours: amber, which no label takes (the Okabe–Ito orange is
// a darker, redder one), pale enough that the text stays readable.
var (
	findWash    = color.NRGBA{0xff, 0xc8, 0x3c, 0x66}
	findCurrent = color.NRGBA{0xff, 0x9f, 0x1c, 0xff}
)

// xAt is the widget x of offset off on visible plain line v.
func (r *textViewRenderer) xAt(v *visLine, off int) float32 {
	t := r.t
	return t.m.colX + v.ln.xAt(off-t.doc.paraStart[v.p], t.m.spaceW, t.meas.prefix)
}

// frags returns the visual rectangles of [a, b) on visible line v (widget
// x): one on a plain line, one per direction run on a mixed one. The
// slice is reused by the next call.
func (r *textViewRenderer) frags(v *visLine, a, b int) []frag {
	t := r.t
	r.fr = r.fr[:0]
	bl := v.ln.bidi
	if bl == nil {
		r.fr = append(r.fr, frag{r.xAt(v, a), r.xAt(v, b), a, b})
		return r.fr
	}
	ps := t.doc.paraStart[v.p]
	r.fr = bl.rangeRects(a-ps, b-ps, &t.meas, r.fr)
	for i := range r.fr {
		f := &r.fr[i]
		f.x0, f.x1 = f.x0+t.m.colX, f.x1+t.m.colX
		f.left, f.right = f.left+ps, f.right+ps
	}
	return r.fr
}

// bidiSelection draws the selection [a, b) on mixed-direction line v; brk
// adds the selected paragraph break at the line's end in the paragraph's
// direction.
func (r *textViewRenderer) bidiSelection(v *visLine, a, b int, brk bool, textY float32) {
	t := r.t
	m := &t.m
	col := m.sel
	if t.readOnly {
		col = m.selRO
	}
	fr := r.frags(v, a, b)
	if brk {
		x := m.colX + v.ln.bidi.x0 + v.ln.width
		if v.ln.bidi.rtl {
			x = m.colX + v.ln.bidi.x0 - m.spaceW
		}
		fr = append(fr, frag{x0: x, x1: x + m.spaceW})
	}
	for _, f := range fr {
		if f.x1 > f.x0 {
			r.place(&r.sel, f.x0, textY, f.x1-f.x0, m.textH, col, nil, 0, 0)
		}
	}
}

// spans draws the fragments on line v ([ls, lte) its visible text, its text
// box at textY) of the spans that overlap the viewport, and their tags.
// The top line (top) also repeats the tags of spans that began above the
// viewport, so a long span scrolled into view stays named.
func (r *textViewRenderer) spans(v *visLine, ls, lte int, textY float32, top bool, selIdx int) {
	t := r.t
	m := &t.m
	tagX := float32(-1e9) // where the next tag may start
	tagXR := float32(1e9) // where it may end, on a right-to-left paragraph's line
	for _, si := range r.hits {
		sp := &t.idx.spans[si]
		if sp.Start >= lte || sp.End <= ls {
			continue
		}
		col := tvColor(sp.Color, m.focus)
		lane := t.idx.lanes[si]
		shown := min(lane, shownLanes-1)
		barY := textY + m.laneOff + float32(shown*(laneThick+laneGap))
		drawn := false
		for _, f := range r.frags(v, max(sp.Start, ls), min(sp.End, lte)) {
			x0, x1 := f.x0, f.x1
			if x1 <= x0 {
				continue
			}
			drawn = true
			if lane == 0 {
				r.place(&r.tints, x0, textY, x1-x0, m.textH, tvAlpha(col, 0.25), nil, 0, 0)
			}
			if sp.Style == OutlineNone {
				r.place(&r.bars, x0, barY, x1-x0, laneThick, col, nil, 0, 0)
			} else {
				// The box runs from the top of the text box down to
				// the span's underline lane, its sides 3 px further
				// out for each deeper lane: the same words boxed by
				// two annotators show two boxes, one around the
				// other. A side is closed where the span ends.
				d := float32(shown * outlineInset)
				r.box(&r.boxes, x0-2-d, textY, x1+2+d, barY+laneThick,
					f.left == sp.Start || f.left == sp.End, f.right == sp.End || f.right == sp.Start, sp.Style, col)
			}
			switch {
			case si != selIdx:
			case sp.Style == OutlineNone:
				r.place(&r.outlines, x0-3, textY, x1-x0+6, barY+laneThick+2-textY, color.Transparent, col, 2, 3)
			default:
				// A boxed span already has an outline: selecting
				// it deepens its tint instead.
				r.place(&r.tints, x0, textY, x1-x0, m.textH, tvAlpha(col, 0.4), nil, 0, 0)
			}
		}
		if !drawn {
			continue
		}
		if tag := sp.tagText(); (sp.Start >= ls || top) && (tag != "" || sp.Mark != nil) {
			y, patch := v.y+v.ln.arcH-1, false
			if !v.ln.tag {
				// A span continued from above, on a line without a
				// tag strip: its tag sits on the text's top, on a
				// patch of background.
				y, patch = max(textY-m.tagH+4, 0), true
			}
			// The tag stands at the leading edge of the span's first
			// character on the line (right-aligned to it when that
			// runs right to left).
			bl := v.ln.bidi
			if bl == nil {
				tagX = r.tag(sp, tag, col, max(r.fr[0].x0, tagX), y, patch)
				continue
			}
			x, rtl := t.lineX(v.ln, max(sp.Start, ls)-t.doc.paraStart[v.p])
			x += m.colX
			switch {
			case bl.rtl:
				// Tags are packed right to left, like the text.
				w := r.tagWidth(sp, tag)
				if !rtl {
					x += w
				}
				x = max(min(x, tagXR)-w, 0)
				r.tag(sp, tag, col, x, y, patch)
				tagXR = x - 6
			default:
				if rtl {
					x -= r.tagWidth(sp, tag)
				}
				tagX = r.tag(sp, tag, col, max(x, tagX), y, patch)
			}
		}
	}
}

// tagWidth is how wide tag draws the span's tag and badge.
func (r *textViewRenderer) tagWidth(sp *Span, tag string) float32 {
	m := &r.t.m
	var w float32
	if sp.Mark != nil {
		w = float32(math.Round(float64(m.tagH*0.55))) + 3
	}
	if tag != "" {
		w += fyne.MeasureText(tag, m.tagSize, fyne.TextStyle{Bold: true}).Width
	}
	return w
}

// tag draws the span's tag (and badge) at (x, y) in the tag strip above the
// span's start, on a patch of background if patch, and returns where the
// next tag on the line may start, so tags never overlap.
func (r *textViewRenderer) tag(sp *Span, tag string, col color.Color, x, y float32, patch bool) float32 {
	t := r.t
	m := &t.m
	hx := x
	var bg *canvas.Rectangle
	if patch {
		bg = r.rect() // sized below, drawn under the tag
		r.tags = append(r.tags, bg)
	}
	if sp.Mark != nil {
		// A round badge, centred on the tag's capitals.
		dm := float32(math.Round(float64(m.tagH * 0.55)))
		my := float32(math.Round(float64(y + (m.tagH-dm)/2)))
		r.place(&r.tags, x, my, dm, dm, sp.Mark, nil, 0, dm/2)
		x += dm + 3
	}
	var tsz fyne.Size
	style := fyne.TextStyle{Bold: true}
	// Tags pushed right must not run off the view: shorten the last ones
	// with an ellipsis.
	tag = fitTag(tag, t.size.Width-m.sbW-2-x, m.tagSize, style)
	if tag != "" {
		// Small text: the label colour, made readable on the view's
		// background (yellow on white is not).
		txt := r.text(tag, m.tagSize, style, Readable(col, m.bg))
		tsz = fyne.MeasureText(tag, m.tagSize, style)
		txt.Move(fyne.NewPos(x, y))
		txt.Resize(tsz)
		r.tags = append(r.tags, txt)
	} else {
		tsz = fyne.NewSize(0, m.tagH)
	}
	end := x + tsz.Width
	if bg != nil {
		size := fyne.NewSize(end-hx+4, tsz.Height)
		changed := bg.FillColor != m.bg || bg.StrokeWidth != 0 || bg.CornerRadius != 3 || bg.Size() != size
		bg.FillColor, bg.StrokeColor, bg.StrokeWidth, bg.CornerRadius = m.bg, nil, 0, 3
		bg.Move(fyne.NewPos(hx-2, y))
		bg.Resize(size)
		if changed {
			canvas.Refresh(bg)
		}
	}
	t.tags = append(t.tags, tagHit{fyne.NewPos(hx, y), fyne.NewSize(end-hx, tsz.Height), sp.ID})
	return end + 6
}

// handles draws the selected span's edge handles (at the proposed extent
// while one is dragged): a bar at each end with a knob above the start and
// below the end, in the span's colour.
func (r *textViewRenderer) handles() {
	t := r.t
	m := &t.m
	sp := t.editableSpan()
	if sp == nil {
		return
	}
	s, e := sp.Start, sp.End
	if t.edge.which != 0 && t.edge.id == sp.ID {
		s, e = t.edge.start, t.edge.end
	}
	col := tvColor(sp.Color, m.focus)
	const knob = 8
	for k, off := range [2]int{s, e} {
		pos, rtl, ok := t.edgePos(off, k == 1)
		if !ok {
			continue
		}
		// The knobs lean outwards, clear of the span's tag: the start's
		// to the left (right if its character runs right to left), the
		// end's the other way.
		cx, kx := pos.X-3, pos.X-3-knob
		if (k == 1) != rtl {
			cx, kx = pos.X+3, pos.X+3
		}
		ky := pos.Y - knob + 1
		if k == 1 {
			ky = pos.Y + m.textH - 1
		}
		r.place(&r.chrome, cx-1, pos.Y, 2, m.textH, col, nil, 0, 0)
		r.place(&r.chrome, kx, ky, knob, knob, col, nil, 0, knob/2)
		t.handles[k] = tagHit{fyne.NewPos(cx-handleSlop, min(ky, pos.Y)), fyne.NewSize(2*handleSlop, m.textH+knob), sp.ID}
	}
}

// caret draws the caret, and the focus ring, while the view has focus.
func (r *textViewRenderer) caret() {
	t := r.t
	m := &t.m
	if !t.focused {
		return
	}
	if pos, h := t.positionOf(t.caret); pos.Y+h >= 0 && pos.Y <= t.size.Height {
		r.place(&r.chrome, float32(math.Round(float64(pos.X)))-1, pos.Y, 2, h, m.primary, nil, 0, 0)
	}
	w, h := t.size.Width, t.size.Height
	const ring = 2
	r.place(&r.chrome, 0, 0, w, ring, m.primary, nil, 0, 0)
	r.place(&r.chrome, 0, h-ring, w, ring, m.primary, nil, 0, 0)
	r.place(&r.chrome, 0, ring, ring, h-2*ring, m.primary, nil, 0, 0)
	r.place(&r.chrome, w-ring, ring, ring, h-2*ring, m.primary, nil, 0, 0)
}

// fitTag shortens tag with an ellipsis until it is at most width wide; ""
// when not even one letter fits.
func fitTag(tag string, width, size float32, style fyne.TextStyle) string {
	if tag == "" || fyne.MeasureText(tag, size, style).Width <= width {
		return tag
	}
	rs := []rune(tag)
	for n := len(rs) - 1; n > 0; n-- {
		if s := string(rs[:n]) + "…"; fyne.MeasureText(s, size, style).Width <= width {
			return s
		}
	}
	return ""
}

// finish appends the layers and the scroll bar, then marks the canvas dirty.
func (r *textViewRenderer) finish() {
	t := r.t
	r.texts.end()
	r.pats.end()
	r.objects = append(r.objects, r.tints...)
	r.objects = append(r.objects, r.sel...)
	r.objects = append(r.objects, r.boxes...)
	r.objects = append(r.objects, r.lines...)
	r.objects = append(r.objects, r.bars...)
	r.objects = append(r.objects, r.tags...)
	r.objects = append(r.objects, r.arcLines...)
	r.objects = append(r.objects, r.arcText...)
	r.objects = append(r.objects, r.outlines...)
	r.objects = append(r.objects, r.chrome...)
	if _, thumbY, thumbH, ok := t.scrollGeometry(); ok {
		w := float32(6)
		if t.sbDrag {
			w = 8
		}
		x := t.size.Width - w - 3
		r.track.Move(fyne.NewPos(t.size.Width-t.m.sbW, 0))
		r.track.Resize(fyne.NewSize(t.m.sbW, t.size.Height))
		r.thumb.FillColor = t.m.sbColor
		r.thumb.Move(fyne.NewPos(x, thumbY))
		r.thumb.Resize(fyne.NewSize(w, thumbH))
		r.objects = append(r.objects, r.track, r.thumb)
		canvas.Refresh(r.thumb)
	}
	canvas.Refresh(r.bg)
}

type textKey struct {
	s     string
	size  float32
	style fyne.TextStyle
	col   color.NRGBA
}

// text returns a pooled canvas.Text showing s.
func (r *textViewRenderer) text(s string, size float32, style fyne.TextStyle, col color.Color) *canvas.Text {
	txt, fresh := r.texts.get(textKey{s, size, style, tvNRGBA(col)})
	if fresh {
		txt.Text, txt.TextSize, txt.TextStyle, txt.Color = s, size, style, col
		canvas.Refresh(txt)
	}
	return txt
}

// framePool hands out the renderer's objects for one frame, preferring one
// that had the same key in the previous frame: it then needs no change and
// the GL driver keeps its texture.
type framePool[K comparable, V any] struct {
	prev, cur map[K][]V
	free      []V
	lists     [][]V // emptied lists, so a frame allocates none
	alloc     func() V
}

func (fp *framePool[K, V]) init(alloc func() V) {
	fp.prev = map[K][]V{}
	fp.cur = map[K][]V{}
	fp.alloc = alloc
}

// get returns an object for k; fresh means it was recycled or made and the
// caller must set it up for k. Objects of one key come in the order the last
// frame took them, so that an unchanged frame lists the same objects in the
// same places: Fyne relayouts a widget whose objects moved, and taking them
// last first swapped two texts alike (two "> " lines) at every frame, which
// redrew the idle window sixty times a second.
func (fp *framePool[K, V]) get(k K) (v V, fresh bool) {
	if l := fp.prev[k]; len(l) > 0 {
		v = l[0]
		fp.prev[k] = l[1:]
		fp.add(k, v)
		return v, false
	}
	if n := len(fp.free); n > 0 {
		v = fp.free[n-1]
		fp.free = fp.free[:n-1]
	} else {
		v = fp.alloc()
	}
	fp.add(k, v)
	return v, true
}

func (fp *framePool[K, V]) add(k K, v V) {
	l, ok := fp.cur[k]
	if !ok && len(fp.lists) > 0 {
		l = fp.lists[len(fp.lists)-1]
		fp.lists = fp.lists[:len(fp.lists)-1]
	}
	fp.cur[k] = append(l, v)
}

// end recycles the objects not used this frame.
func (fp *framePool[K, V]) end() {
	for k, l := range fp.prev {
		fp.free = append(fp.free, l...)
		fp.lists = append(fp.lists, l[:0])
		delete(fp.prev, k)
	}
	fp.prev, fp.cur = fp.cur, fp.prev
}

// tvNRGBA is c as NRGBA; nil is transparent.
func tvNRGBA(c color.Color) color.NRGBA {
	if c == nil {
		return color.NRGBA{}
	}
	return toNRGBA(c)
}

// tagText is what the span's tag shows: Tag, else Label.
func (sp *Span) tagText() string {
	if sp.Tag != "" {
		return sp.Tag
	}
	return sp.Label
}

func tvColor(c, fallback color.Color) color.Color {
	if c == nil {
		return fallback
	}
	return c
}

// tvAlpha returns c with its alpha scaled by a.
func tvAlpha(c color.Color, a float32) color.NRGBA {
	n := tvNRGBA(c)
	n.A = uint8(float32(n.A)*a + 0.5)
	return n
}

// IsClip asks the driver to clip the view's objects to its bounds (lines
// half scrolled out must not draw over neighbouring widgets).
func (r *textViewRenderer) IsClip() {}
