package widgets

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
)

// Drawing the relations (textview_relations.go): the arcs of the lines on
// screen, from the segments measureArcs left on each line, with pooled
// rectangles (bars and legs), lines (arrow heads, the dashed line to the
// pointer), patterned edges (the pending arc) and texts (labels).

// arcs draws the arcs of visible line v and records their clickable bars
// and labels; the selected relation is drawn last, over the others.
func (r *textViewRenderer) arcs(v *visLine) {
	selAt := -1
	for i := range v.ln.arcs {
		a := &v.ln.arcs[i]
		if a.rel >= 0 && !r.t.relDrawn(int(a.rel)) {
			continue // hidden: only the selected span's are shown
		}
		if a.rel >= 0 && r.t.selRel != "" && r.t.rel.list[a.rel].ID == r.t.selRel {
			selAt = i
			continue
		}
		r.arc(v, a)
	}
	if selAt >= 0 {
		r.arc(v, &v.ln.arcs[selAt])
	}
}

// arc draws one arc segment of line v: its bar on its level, a leg down to
// each span end on the line with an arrow head at the To end, and the
// relation's label on the bar.
func (r *textViewRenderer) arc(v *visLine, a *arcSeg) {
	t := r.t
	m := &t.m
	col, tc, th, sel := t.arcLook(a.rel)
	style := OutlineDashed // the pending relation
	if a.rel >= 0 {
		style = t.rel.list[a.rel].Style
	}
	dashed := style == OutlineDashed || style == OutlineDotted
	foot := roundPx(v.y + v.ln.arcH) // the top of the tag strip, or of the text
	barY := roundPx(foot - m.arcLevelH*(float32(a.level)+0.5))
	half := float32(int(th) / 2)
	top := barY - half
	x0, x1 := roundPx(m.colX+a.x0), roundPx(m.colX+a.x1)
	bar := func(x, y, w, h float32) {
		if dashed {
			r.edge(&r.arcLines, x, y, w, h, style, col)
			return
		}
		r.place(&r.arcLines, x, y, w, h, col, nil, 0, 0)
	}
	bar(x0-half, top, x1-x0+th, th)
	for k, x := range [2]float32{x0, x1} {
		if a.parts&(arcLeg0<<k) == 0 {
			continue
		}
		bar(x-half, top, th, foot-top)
		if a.parts&(arcHead0<<k) != 0 {
			hw := max(th, 1.5)
			r.line(&r.arcLines, x-4, foot-5, x, foot, col, hw)
			r.line(&r.arcLines, x+4, foot-5, x, foot, col, hw)
		}
	}
	if a.rel < 0 {
		return
	}
	id := t.rel.list[a.rel].ID
	t.relHits = append(t.relHits, relHit{x0 - arcSlop, barY - arcSlop, x1 + arcSlop, barY + arcSlop + 1, id})
	if a.lw <= 0 {
		return
	}
	lx, ly := roundPx(m.colX+a.lx), roundPx(barY-m.tagH/2)
	// The label interrupts the bar, on a patch of background (tinted for
	// the selected relation).
	r.place(&r.arcText, lx-2, ly, a.lw+4, m.tagH, m.bg, nil, 0, 3)
	if sel {
		r.place(&r.arcText, lx-2, ly, a.lw+4, m.tagH, t.relLook(a.rel).sel, col, 1, 3)
	}
	txt := r.text(t.rel.list[a.rel].Label, m.tagSize, fyne.TextStyle{Bold: true}, tc)
	txt.Move(fyne.NewPos(lx, ly))
	txt.Resize(fyne.NewSize(a.lw, m.tagH))
	r.arcText = append(r.arcText, txt)
	t.relHits = append(t.relHits, relHit{lx - 2, ly, lx + a.lw + 2, ly + m.tagH, id})
}

// band draws the dashed line from a span to the pointer while a relation
// is dragged or a pending one waits for a span to be picked.
func (r *textViewRenderer) band() {
	t := r.t
	m := &t.m
	si := t.idx.find(t.bandFrom())
	if si < 0 {
		return
	}
	sp := &t.idx.spans[si]
	p := t.doc.paraOf(sp.Start)
	lay := t.ensureLayout(p)
	li, x := t.arcAnchor(p, lay.lines, si)
	from := fyne.NewPos(m.colX+x, t.lineScreenY(p, li)+lay.lines[li].textTop)
	to := t.bandTo()
	dx, dy := to.X-from.X, to.Y-from.Y
	l := float32(math.Hypot(float64(dx), float64(dy)))
	if l < 1 {
		return
	}
	ux, uy := dx/l, dy/l
	w, h := t.size.Width, t.size.Height
	const maxDashes = 400
	for d, n := float32(0), 0; d < l && n < maxDashes; d += dashPeriod {
		e := min(d+dashOn, l)
		ax, ay, bx, by := from.X+ux*d, from.Y+uy*d, from.X+ux*e, from.Y+uy*e
		if max(ax, bx) < 0 || min(ax, bx) > w || max(ay, by) < 0 || min(ay, by) > h {
			continue
		}
		r.line(&r.arcText, ax, ay, bx, by, m.primary, 2)
		n++
	}
	// The arrow head at the pointer.
	const hl, hs = 8, 4
	bx, by := to.X-ux*hl, to.Y-uy*hl
	r.line(&r.arcText, bx-uy*hs, by+ux*hs, to.X, to.Y, m.primary, 2)
	r.line(&r.arcText, bx+uy*hs, by-ux*hs, to.X, to.Y, m.primary, 2)
}

// line sets a pooled canvas.Line, refreshing it only when it changed.
func (r *textViewRenderer) line(layer *[]fyne.CanvasObject, x0, y0, x1, y1 float32, col color.Color, w float32) {
	if r.nSegs == len(r.segs) {
		r.segs = append(r.segs, &canvas.Line{})
	}
	ln := r.segs[r.nSegs]
	r.nSegs++
	p0, p1 := fyne.NewPos(x0, y0), fyne.NewPos(x1, y1)
	if ln.Position1 != p0 || ln.Position2 != p1 || ln.StrokeColor != col || ln.StrokeWidth != w {
		ln.Position1, ln.Position2, ln.StrokeColor, ln.StrokeWidth = p0, p1, col, w
		canvas.Refresh(ln)
	}
	*layer = append(*layer, ln)
}
