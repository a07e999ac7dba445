package widgets

import (
	"fyne.io/fyne/v2"
)

// Span edges: the selected span of an editable view shows a handle at each
// end; dragging one, or the edge keys, proposes a new extent that the app
// applies (OnSpanEdges), so a missing word is added to the span instead of
// becoming a second span beside it.

// edgeDrag is a handle drag in progress.
type edgeDrag struct {
	which      int // 0 none, 1 the start handle, 2 the end handle
	id         string
	start, end int // the proposed extent
	alt        bool
	moved      bool
}

const handleSlop = 6 // px either side of a handle that still grabs it

// editableSpan returns the selected span when its edges may be moved.
func (t *TextView) editableSpan() *Span {
	if t.readOnly || t.selSpan == "" {
		return nil
	}
	if i := t.idx.find(t.selSpan); i >= 0 {
		return &t.idx.spans[i]
	}
	return nil
}

// startEdgeDrag starts dragging the handle under pos, if any.
func (t *TextView) startEdgeDrag(pos fyne.Position, alt bool) bool {
	sp := t.editableSpan()
	if sp == nil {
		return false
	}
	for k := range t.handles {
		if h := &t.handles[k]; h.id == sp.ID && h.contains(pos) {
			t.edge = edgeDrag{which: k + 1, id: sp.ID, start: sp.Start, end: sp.End, alt: alt}
			t.pressed = false
			return true
		}
	}
	return false
}

// dragEdge moves the dragged edge to the pointer: snapped to tokens unless
// Alt was held, and never past the other edge.
func (t *TextView) dragEdge(pos fyne.Position) {
	i := t.idx.find(t.edge.id)
	if i < 0 {
		t.edge = edgeDrag{}
		return
	}
	sp := &t.idx.spans[i]
	t.autoScroll(pos.Y)
	cur := t.offsetAt(pos)
	if t.edge.which == 1 {
		a := min(cur, sp.End-1)
		if !t.edge.alt {
			if s, _ := t.snap(a, sp.End); s < sp.End {
				a = s
			}
		}
		t.edge.start, t.edge.end = max(a, 0), sp.End
	} else {
		b := max(cur, sp.Start+1)
		if !t.edge.alt {
			if _, e := t.snap(sp.Start, b); e > sp.Start {
				b = e
			}
		}
		t.edge.start, t.edge.end = sp.Start, min(b, len(t.doc.runes))
	}
	t.edge.moved = true
	t.Refresh()
	t.notifyScroll()
}

// endEdgeDrag reports the new extent, if it changed.
func (t *TextView) endEdgeDrag() {
	e := t.edge
	t.edge = edgeDrag{}
	t.Refresh()
	i := t.idx.find(e.id)
	if i < 0 || !e.moved || e.start >= e.end {
		return
	}
	if sp := &t.idx.spans[i]; sp.Start == e.start && sp.End == e.end {
		return
	}
	if t.OnSpanEdges != nil {
		t.OnSpanEdges(e.id, e.start, e.end)
	}
}

// edgeKey handles Ctrl+Alt+←/→ (the start edge) and Ctrl+Alt+Shift+←/→
// (the end edge) of the selected span, one token per press.
func (t *TextView) edgeKey(key fyne.KeyName, endEdge bool) bool {
	if key != fyne.KeyLeft && key != fyne.KeyRight {
		return false
	}
	sp := t.editableSpan()
	if sp == nil {
		return false
	}
	s, e := sp.Start, sp.End
	switch {
	case !endEdge && key == fyne.KeyLeft:
		s = t.prevTokenStart(s)
	case !endEdge:
		s = t.skipSpace(t.nextTokenEnd(s), 1)
	case key == fyne.KeyRight:
		e = t.nextTokenEnd(e)
	default:
		e = t.skipSpace(t.prevTokenStart(e), -1)
	}
	if s < e && (s != sp.Start || e != sp.End) && t.OnSpanEdges != nil {
		t.OnSpanEdges(sp.ID, s, e)
	}
	return true
}
