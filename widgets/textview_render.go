package widgets

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
)

// textViewRenderer draws only the visible lines. Canvas objects are pooled:
// a canvas.Text keeps its content across frames when the same string is
// still on screen (so the GL driver keeps its texture), rectangles are reused
// in order.
type textViewRenderer struct {
	t *TextView

	bg, track, thumb *canvas.Rectangle
	rects            []*canvas.Rectangle
	nRects           int
	texts            textPool
	pats             patPool

	// layers, concatenated into objects
	tints, sel, boxes, lines, bars, tags, outlines []fyne.CanvasObject
	objects                                        []fyne.CanvasObject
	hits                                           []int // span indexes scratch
}

func newTextViewRenderer(t *TextView) *textViewRenderer {
	r := &textViewRenderer{
		t:     t,
		bg:    canvas.NewRectangle(color.Transparent),
		track: canvas.NewRectangle(color.Transparent),
		thumb: canvas.NewRectangle(color.Transparent),
	}
	r.thumb.CornerRadius = 3
	r.texts.init()
	r.pats.init()
	t.updateMetrics()
	return r
}

func (r *textViewRenderer) Destroy() {}

func (r *textViewRenderer) MinSize() fyne.Size {
	m := &r.t.m
	return fyne.NewSize(2*m.padX+m.sbW+10*m.textSize, 2*m.padY+2*m.pitch)
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
	r.nRects = 0
	r.texts.begin()
	r.tints, r.sel, r.boxes, r.lines, r.bars, r.tags, r.outlines = r.tints[:0], r.sel[:0], r.boxes[:0], r.lines[:0], r.bars[:0], r.tags[:0], r.outlines[:0]
	t.tags = t.tags[:0]
	r.bg.Resize(size)
	r.objects = append(r.objects[:0], r.bg)
	if m.colW <= 0 || size.Height <= 0 || t.doc.paras() == 0 {
		r.texts.end()
		r.pats.end()
		canvas.Refresh(r.bg)
		return
	}

	// Visible lines, with a line of margin above and below.
	var vis []visLine
	y := m.padY - t.topDy
	for p := t.topPara; p < t.doc.paras() && y < size.Height+m.pitch; p++ {
		lay := t.ensureLayout(p)
		for li := range lay.lines {
			ly := y + float32(li)*m.pitch
			if ly+m.pitch < -m.pitch || ly > size.Height+m.pitch {
				continue
			}
			vis = append(vis, visLine{p, li, ly, &lay.lines[li]})
		}
		y += t.doc.height(p)
	}
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

	topLine := 0 // first line whose tag strip is on screen
	for topLine < len(vis)-1 && vis[topLine].y < 0 {
		topLine++
	}
	xAt := func(v *visLine, off int) float32 {
		return m.colX + v.ln.xAt(off-t.doc.paraStart[v.p], m.spaceW, t.meas.prefix)
	}
	for i := range vis {
		v := &vis[i]
		ps := t.doc.paraStart[v.p]
		ls, le, lte := ps+int(v.ln.start), ps+int(v.ln.end), ps+int(v.ln.textEnd)
		lastLine := v.li == len(t.doc.lay[v.p].lines)-1
		textY := v.y + t.textTop(v.p)

		if v.ln.disp != "" {
			txt := r.texts.get(v.ln.disp, m.textSize, fyne.TextStyle{}, m.fg)
			txt.Move(fyne.NewPos(m.colX, textY))
			txt.Resize(fyne.NewSize(v.ln.width+2, m.textH))
			r.lines = append(r.lines, txt)
		}

		// Selection.
		if t.hasSel && t.selStart < le+1 && t.selEnd > ls {
			x0 := xAt(v, max(t.selStart, ls))
			x1 := xAt(v, min(t.selEnd, lte))
			if lastLine && t.selEnd > le { // the paragraph break is selected
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

		// Spans.
		tagX := float32(-1e9)
		for _, si := range r.hits {
			sp := &t.idx.spans[si]
			if sp.Start >= lte || sp.End <= ls {
				continue
			}
			x0 := xAt(v, max(sp.Start, ls))
			x1 := xAt(v, min(sp.End, lte))
			if x1 <= x0 {
				continue
			}
			col := tvColor(sp.Color, m.focus)
			lane := t.idx.lanes[si]
			if lane == 0 {
				r.place(&r.tints, x0, textY, x1-x0, m.textH, tvAlpha(col, 0.25), nil, 0, 0)
			}
			shown := min(lane, shownLanes-1)
			barY := v.y + m.laneTop + float32(shown*(laneThick+laneGap))
			if sp.Style == OutlineNone {
				r.place(&r.bars, x0, barY, x1-x0, laneThick, col, nil, 0, 0)
			} else {
				// The box runs from the top of the text box down to the
				// span's underline lane, its sides 3 px further out for
				// each deeper lane: the same words boxed by two
				// annotators show two boxes, one around the other.
				d := float32(shown * outlineInset)
				r.box(&r.boxes, x0-2-d, textY, x1+2+d, barY+laneThick,
					sp.Start >= ls, sp.End <= lte, sp.Style, col)
			}
			switch {
			case si != selIdx:
			case sp.Style == OutlineNone:
				r.place(&r.outlines, x0-3, textY, x1-x0+6, barY+laneThick+2-textY, color.Transparent, col, 2, 3)
			default:
				// A boxed span already has an outline: selecting it
				// deepens its tint instead.
				r.place(&r.tints, x0, textY, x1-x0, m.textH, tvAlpha(col, 0.4), nil, 0, 0)
			}
			// The top line also repeats the tags of spans that began above
			// the viewport, so a long span scrolled into view stays named.
			continued := sp.Start < ls && i == topLine
			tag := sp.Tag
			if tag == "" {
				tag = sp.Label
			}
			if (sp.Start >= ls || continued) && (tag != "" || sp.Mark != nil) {
				// Label tag above the span's start, pushed right past the
				// previous tag on this line so tags never overlap.
				tx := max(x0, tagX)
				ty := v.y - 1
				hx := tx
				if sp.Mark != nil {
					// A round badge, centred on the tag's capitals.
					dm := float32(math.Round(float64(m.tagH * 0.55)))
					my := float32(math.Round(float64(ty + (m.tagH-dm)/2)))
					r.place(&r.tags, tx, my, dm, dm, sp.Mark, nil, 0, dm/2)
					tx += dm + 3
				}
				var tsz fyne.Size
				style := fyne.TextStyle{Bold: true}
				// Tags pushed right must not run off the view: shorten
				// the last ones with an ellipsis.
				tag = fitTag(tag, t.size.Width-m.sbW-2-tx, m.tagSize, style)
				if tag != "" {
					txt := r.texts.get(tag, m.tagSize, style, col)
					tsz = fyne.MeasureText(tag, m.tagSize, style)
					txt.Move(fyne.NewPos(tx, ty))
					txt.Resize(tsz)
					r.tags = append(r.tags, txt)
				} else {
					tsz = fyne.NewSize(0, m.tagH)
				}
				end := tx + tsz.Width
				t.tags = append(t.tags, tagHit{fyne.NewPos(hx, ty), fyne.NewSize(end-hx, tsz.Height), sp.ID})
				tagX = end + 6
			}
		}
	}
	r.finish()
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
	r.objects = append(r.objects, r.outlines...)
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

// textPool hands out canvas.Text objects, preferring one that showed the
// same string in the previous frame.
type textPool struct {
	prev, cur map[textKey][]*canvas.Text
	free      []*canvas.Text
}

type textKey struct {
	s     string
	size  float32
	style fyne.TextStyle
	col   color.NRGBA
}

func (tp *textPool) init() {
	tp.prev = map[textKey][]*canvas.Text{}
	tp.cur = map[textKey][]*canvas.Text{}
}

func (tp *textPool) begin() {}

func (tp *textPool) get(s string, size float32, style fyne.TextStyle, col color.Color) *canvas.Text {
	k := textKey{s, size, style, tvNRGBA(col)}
	if l := tp.prev[k]; len(l) > 0 {
		txt := l[len(l)-1]
		tp.prev[k] = l[:len(l)-1]
		tp.cur[k] = append(tp.cur[k], txt)
		return txt
	}
	var txt *canvas.Text
	if n := len(tp.free); n > 0 {
		txt = tp.free[n-1]
		tp.free = tp.free[:n-1]
	} else {
		txt = &canvas.Text{}
	}
	txt.Text, txt.TextSize, txt.TextStyle, txt.Color = s, size, style, col
	canvas.Refresh(txt)
	tp.cur[k] = append(tp.cur[k], txt)
	return txt
}

// end recycles the texts not used this frame.
func (tp *textPool) end() {
	for k, l := range tp.prev {
		tp.free = append(tp.free, l...)
		delete(tp.prev, k)
	}
	tp.prev, tp.cur = tp.cur, tp.prev
}

func tvNRGBA(c color.Color) color.NRGBA {
	if c == nil {
		return color.NRGBA{}
	}
	if n, ok := c.(color.NRGBA); ok {
		return n
	}
	return color.NRGBAModel.Convert(c).(color.NRGBA)
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
