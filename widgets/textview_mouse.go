package widgets

import (
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// wheelNotch is the DY Fyne's desktop driver reports for one wheel notch.
var wheelNotch = func() float32 {
	if runtime.GOOS == "darwin" {
		return 10
	}
	return 25
}()

// wheelLines is how many plain lines one wheel notch scrolls.
const wheelLines = 3

// Cursor shows the text cursor.
func (t *TextView) Cursor() desktop.Cursor { return desktop.TextCursor }

// wheelStep is the scroll per unit of ScrollEvent DY.
func (t *TextView) wheelStep() float32 { return wheelLines * t.m.lineH / wheelNotch }

// Scrolled scrolls the view by the wheel delta, wheelLines lines a notch.
func (t *TextView) Scrolled(ev *fyne.ScrollEvent) {
	t.scrollBy(-ev.Scrolled.DY * t.wheelStep())
	t.Refresh()
	t.notifyScroll()
}

// MouseDown takes the focus and starts a selection, a scroll bar drag or an
// edge drag; a second and third press in the same place within the
// double-tap delay select the word and the sentence there, and Shift+press
// extends the selection. A press on an arc selects its relation instead, and
// a Ctrl+press on a span may start a relation drag.
func (t *TextView) MouseDown(ev *desktop.MouseEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(t); c != nil && !t.focused {
		c.Focus(t)
	}
	t.skipTap = false
	t.inertPress = 0
	if ev.Button != desktop.MouseButtonPrimary {
		return
	}
	if t.inScrollBar(ev.Position) {
		_, thumbY, thumbH, _ := t.scrollGeometry()
		t.sbDrag = true
		if ev.Position.Y >= thumbY && ev.Position.Y <= thumbY+thumbH {
			t.sbGrab = ev.Position.Y - thumbY
		} else { // click in the track: centre the thumb there
			t.sbGrab = thumbH / 2
			t.dragThumb(ev.Position.Y)
		}
		return
	}
	if id := t.relationAt(ev.Position); id != "" {
		t.skipTap = true
		t.inertPress = 1 // a drag from here selects nothing
		t.pickRelation(id)
		return
	}
	alt := ev.Modifier&fyne.KeyModifierAlt != 0
	t.shift = ev.Modifier&fyne.KeyModifierShift != 0
	if t.startEdgeDrag(ev.Position, alt) {
		t.skipTap = true
		return
	}
	// A Ctrl+press on a span is a click as before unless the pointer then
	// moves: the drag proposes a relation instead of selecting text.
	t.relDrag = relDrag{}
	t.startRelDrag(ev)
	now := t.now()
	d := ev.Position.Subtract(t.clickPos)
	if now.Sub(t.lastClick) <= fyne.CurrentApp().Driver().DoubleTapDelay() && max(d.X, -d.X)+max(d.Y, -d.Y) <= 6 {
		t.clicks = t.clicks%3 + 1
	} else {
		t.clicks = 1
	}
	t.lastClick, t.clickPos = now, ev.Position
	t.pressed = true
	t.dragging = false
	t.pressAlt = alt
	t.hasGoal = false
	cur := t.offsetAt(ev.Position)
	switch {
	case t.clicks > 1:
		i := t.charAt(ev.Position)
		if i < 0 {
			i = min(cur, len(t.doc.runes)-1)
		}
		a, b := t.wordAt(i)
		if t.clicks == 3 {
			a, b = t.sentenceAt(i)
		}
		if a == b {
			a, b = cur, cur
		}
		t.anchorLo, t.anchorHi = a, b
		t.kbAnchor, t.caret = a, b
		t.setSelectionByUser(a, b)
		t.skipTap = true
	case t.shift:
		a, b := min(t.kbAnchor, cur), max(t.kbAnchor, cur)
		if !alt {
			a, b = t.snap(a, b)
		}
		t.anchorLo, t.anchorHi = t.kbAnchor, t.kbAnchor
		switch { // the caret goes to the edge that moved
		case a == b:
			t.caret = cur
		case cur >= t.kbAnchor:
			t.caret = b
		default:
			t.caret = a
		}
		t.setSelectionByUser(a, b)
		t.skipTap = true
	default:
		t.anchorLo, t.anchorHi = cur, cur
		t.caret = cur
		t.kbAnchor = cur
	}
	t.Refresh()
}

// MouseUp ends a press.
func (t *TextView) MouseUp(*desktop.MouseEvent) {
	t.pressed = false
	t.sbDrag = false
	if !t.relDrag.moved {
		t.relDrag = relDrag{}
	}
	if t.inertPress == 1 {
		t.inertPress = 0
	}
	if t.edge.which != 0 && !t.edge.moved {
		t.edge = edgeDrag{} // a click on a handle
		t.Refresh()
	}
}

func (t *TextView) dragThumb(y float32) {
	total, _, thumbH, ok := t.scrollGeometry()
	if !ok {
		return
	}
	frac := (y - t.sbGrab) / (t.size.Height - thumbH)
	frac = min(max(frac, 0), 1)
	t.jumpTo(frac * (total - t.size.Height))
	t.Refresh()
	t.notifyScroll()
}

// autoScroll scrolls when a drag leaves the view at the top or bottom.
func (t *TextView) autoScroll(y float32) {
	if y < 0 {
		t.scrollBy(min(y, -t.m.lineH/2))
	} else if y > t.size.Height {
		t.scrollBy(max(y-t.size.Height, t.m.lineH/2))
	}
}

// Dragged extends the selection (snapped live), moves a span's edge or
// draws the relation being dragged, and scrolls when the pointer leaves the
// view.
func (t *TextView) Dragged(ev *fyne.DragEvent) {
	if t.sbDrag {
		t.dragThumb(ev.Position.Y)
		return
	}
	if t.edge.which != 0 {
		t.dragEdge(ev.Position)
		return
	}
	if t.inertPress != 0 {
		t.inertPress = 2
		return
	}
	if t.relDrag.from != "" {
		t.relDrag.pos, t.relDrag.moved = ev.Position, true
		t.autoScroll(ev.Position.Y)
		t.Refresh()
		t.notifyScroll()
		return
	}
	if !t.pressed { // no MouseDown seen (e.g. a touch drag)
		t.pressed = true
		t.pressAlt = false
		start := t.offsetAt(ev.Position.Subtract(ev.Dragged))
		t.anchorLo, t.anchorHi = start, start
	}
	if !t.dragging {
		t.dragging = true
		t.clicks = 0 // a drag is no click: the next press starts a new count
		if t.selSpan != "" {
			t.selSpan = ""
			if t.OnSpanSelected != nil {
				t.OnSpanSelected("")
			}
		}
	}
	t.autoScroll(ev.Position.Y)
	cur := t.offsetAt(ev.Position)
	a, b := min(t.anchorLo, cur), max(t.anchorHi, cur)
	if !t.pressAlt {
		a, b = t.snap(a, b)
	}
	t.selStart, t.selEnd, t.hasSel = a, b, a < b
	if cur < t.anchorLo {
		t.caret, t.kbAnchor = a, b
	} else {
		t.caret, t.kbAnchor = b, a
	}
	t.Refresh()
	t.notifyScroll()
}

// DragEnd finishes the selection (or the edge drag, or the relation drag)
// and reports it.
func (t *TextView) DragEnd() {
	t.skipTap = false
	if t.sbDrag {
		t.sbDrag = false
		return
	}
	if t.edge.which != 0 {
		t.endEdgeDrag()
		return
	}
	if t.inertPress != 0 {
		t.inertPress = 0
		return
	}
	if t.relDrag.from != "" {
		t.pressed, t.dragging = false, false
		t.endRelDrag()
		return
	}
	wasDragging := t.dragging
	t.dragging, t.pressed = false, false
	if !wasDragging {
		return
	}
	if !t.hasSel {
		t.selStart, t.selEnd = 0, 0
	}
	if t.OnSelectionChanged != nil {
		t.OnSelectionChanged(t.selStart, t.selEnd)
	}
}

// Tapped selects the relation whose arc was clicked, else the innermost
// span under the pointer (or the span whose label tag was clicked); a click
// on plain text clears both selections, and a click off the arcs the
// selected relation. The tap that ends a double or triple click, a
// Shift+click or a click on an edge handle changes nothing more.
func (t *TextView) Tapped(ev *fyne.PointEvent) {
	if t.skipTap {
		t.skipTap = false
		return
	}
	if t.inScrollBar(ev.Position) {
		return
	}
	if id := t.relationAt(ev.Position); id != "" {
		t.pickRelation(id)
		return
	}
	t.clearRelationByUser()
	if t.hasSel {
		s := t.selStart
		t.hasSel, t.selStart, t.selEnd = false, 0, 0
		if t.OnSelectionChanged != nil {
			t.OnSelectionChanged(s, s)
		}
	}
	id := t.spanAtPos(ev.Position)
	changed := id != t.selSpan
	t.selSpan = id
	t.Refresh()
	if changed || id != "" {
		if t.OnSpanSelected != nil {
			t.OnSpanSelected(id)
		}
	}
	if id != "" && t.OnSpanClicked != nil {
		t.OnSpanClicked(id)
	}
}

func (t *TextView) spanAtPos(pos fyne.Position) string {
	for i := len(t.tags) - 1; i >= 0; i-- {
		if t.tags[i].contains(pos) {
			return t.tags[i].id
		}
	}
	off := t.charAt(pos)
	if off < 0 {
		return ""
	}
	if i := t.idx.innermostAt(off); i >= 0 {
		return t.idx.spans[i].ID
	}
	return ""
}
