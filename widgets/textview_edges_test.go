package widgets

import (
	"image"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

type edgeCall struct {
	id         string
	start, end int
}

// handleAt returns the middle of the selected span's start (k = 0) or end
// handle, as drawn.
func handleAt(t *testing.T, v *TextView, k int) fyne.Position {
	t.Helper()
	h := v.handles[k]
	if h.id == "" {
		t.Fatalf("no handle %d drawn", k)
	}
	return h.pos.AddXY(h.size.Width/2, h.size.Height/2)
}

// dragHandle drags from a handle to a point, with the desktop driver's
// order of events at the end (MouseUp, then DragEnd); check runs mid-drag.
func dragHandle(v *TextView, from, to fyne.Position, mods fyne.KeyModifier, check func()) {
	ev := &desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: from}, Button: desktop.MouseButtonPrimary, Modifier: mods}
	v.MouseDown(ev)
	v.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: to}, Dragged: fyne.NewDelta(to.X-from.X, to.Y-from.Y)})
	if check != nil {
		check()
	}
	ev.Position = to
	v.MouseUp(ev)
	v.DragEnd()
}

func TestEdgeHandlesDrawn(t *testing.T) {
	v, _ := newTestView(t, sample, fyne.NewSize(800, 600))
	v.SetSpans([]Span{{ID: "c", Start: 14, End: 21, Label: "Claim", Color: figureCol}})
	if n := len(rectsFilled(v, figureCol)); n != 1 {
		t.Fatalf("%d rectangles in the span colour before selecting, want its underline", n)
	}
	v.SelectSpan("c")
	rs := rectsFilled(v, figureCol)
	if len(rs) != 5 {
		t.Fatalf("selected: %d rectangles in the span colour, want the underline and two bars and two knobs", len(rs))
	}
	ps, h := v.positionOf(14)
	pe, _ := v.positionOf(21)
	var left, right int
	for _, r := range rs[1:] {
		x := r.Position().X + r.Size().Width/2
		switch {
		case x < ps.X && x > ps.X-8:
			left++
		case x > pe.X && x < pe.X+8:
			right++
		}
		if r.Position().Y+r.Size().Height < ps.Y-10 || r.Position().Y > ps.Y+h+10 {
			t.Errorf("handle part at y=%v, far from the line at %v", r.Position().Y, ps.Y)
		}
	}
	if left != 2 || right != 2 {
		t.Errorf("%d handle parts at the start, %d at the end; want 2 and 2", left, right)
	}
	// None in a read-only view.
	v.SetReadOnly(true)
	if n := len(rectsFilled(v, figureCol)); n != 1 || v.handles[0].id != "" {
		t.Errorf("read-only: %d rectangles in the span colour", n)
	}
}

func TestDragSpanEdges(t *testing.T) {
	v, _ := newTestView(t, sample, fyne.NewSize(800, 600))
	withClock(v)
	v.SetSpans([]Span{{ID: "c", Start: 14, End: 21, Label: "Claim", Color: claimCol}})
	var calls []edgeCall
	v.OnSpanEdges = func(id string, s, e int) { calls = append(calls, edgeCall{id, s, e}) }
	var sel [][2]int
	v.OnSelectionChanged = func(s, e int) { sel = append(sel, [2]int{s, e}) }
	v.SelectSpan("c")

	// The end handle onto "280,000": snapped to its end; the proposal shows
	// as the selection wash while dragging.
	dragHandle(v, handleAt(t, v, 1), inside(v, 33), 0, func() {
		wash := rectsFilled(v, v.m.sel)
		p0, _ := v.positionOf(14)
		p1, _ := v.positionOf(38)
		if len(wash) != 1 || wash[0].Position().X != p0.X || wash[0].Position().X+wash[0].Size().Width != p1.X {
			t.Errorf("mid-drag wash %v, want one from x=%v to %v", wash, p0.X, p1.X)
		}
		if len(calls) != 0 {
			t.Error("OnSpanEdges called before the release")
		}
	})
	if len(calls) != 1 || calls[0] != (edgeCall{"c", 14, 38}) {
		t.Fatalf("end handle: OnSpanEdges %v, want c 14..38", calls)
	}
	if v.SelectedSpan() != "c" || len(sel) != 0 || len(rectsFilled(v, v.m.sel)) != 0 {
		t.Errorf("after the drag: span %q, selection reports %v, wash left %d", v.SelectedSpan(), sel, len(rectsFilled(v, v.m.sel)))
	}
	// The app applies it.
	v.SetSpans([]Span{{ID: "c", Start: 14, End: 38, Label: "Claim", Color: claimCol}})

	// The start handle back onto "the"; the test helper's order of events
	// (DragEnd, then MouseUp) works too.
	drag(v, handleAt(t, v, 0), inside(v, 11), 0)
	if len(calls) != 2 || calls[1] != (edgeCall{"c", 10, 38}) {
		t.Errorf("start handle: OnSpanEdges %v, want c 10..38", calls[1:])
	}
	// Alt: exact characters.
	dragHandle(v, handleAt(t, v, 1), inside(v, 26), fyne.KeyModifierAlt, nil)
	if len(calls) != 3 || calls[2] != (edgeCall{"c", 14, 26}) {
		t.Errorf("alt drag: %v, want c 14..26", calls[2:])
	}
	// The start handle past the end stops short of it.
	dragHandle(v, handleAt(t, v, 0), inside(v, 50), fyne.KeyModifierAlt, nil)
	if len(calls) != 4 || calls[3] != (edgeCall{"c", 37, 38}) {
		t.Errorf("start past the end: %v, want c 37..38", calls[3:])
	}
	// Back where it was, or a click on a handle: no call, span kept.
	dragHandle(v, handleAt(t, v, 1), inside(v, 36), 0, nil)
	click(v, handleAt(t, v, 0), 0)
	if len(calls) != 4 || v.SelectedSpan() != "c" {
		t.Errorf("no-op drag and click: calls %v, span %q", calls[4:], v.SelectedSpan())
	}
	// Escape cancels a drag.
	v.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: handleAt(t, v, 1)}, Button: desktop.MouseButtonPrimary})
	v.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: inside(v, 50)}})
	press(v, fyne.KeyEscape)
	v.DragEnd()
	if len(calls) != 4 || v.SelectedSpan() != "c" {
		t.Errorf("cancelled drag: calls %v, span %q", calls[4:], v.SelectedSpan())
	}
	// Read-only: the handles are gone and a press there selects text.
	v.SetReadOnly(true)
	drag(v, inside(v, 38), inside(v, 45), 0)
	if len(calls) != 4 || selOf(v) == [2]int{-1, -1} {
		t.Errorf("read-only: calls %v, selection %v", calls[4:], selOf(v))
	}
}

func TestEdgeKeys(t *testing.T) {
	v, _ := newTestView(t, sample, fyne.NewSize(800, 600))
	v.SetSpans([]Span{{ID: "c", Start: 10, End: 30, Label: "Claim"}, {ID: "one", Start: 14, End: 21, Label: "Claim"}}) // the council approved
	var calls []edgeCall
	v.OnSpanEdges = func(id string, s, e int) { calls = append(calls, edgeCall{id, s, e}) }
	forwarded := 0
	v.OnShortcut = func(fyne.Shortcut) { forwarded++ }
	ca := fyne.KeyModifierControl | fyne.KeyModifierAlt
	cas := ca | fyne.KeyModifierShift
	v.SelectSpan("c")
	for _, k := range []fyne.Shortcut{
		modKey(fyne.KeyLeft, ca),   // start: one token left, onto the emoji
		modKey(fyne.KeyRight, ca),  // start: one token right, to "council"
		modKey(fyne.KeyRight, cas), // end: onto "280,000"
		modKey(fyne.KeyLeft, cas),  // end: back to "the council"
	} {
		v.TypedShortcut(k)
	}
	want := []edgeCall{{"c", 7, 30}, {"c", 14, 30}, {"c", 10, 38}, {"c", 10, 21}}
	if len(calls) != len(want) {
		t.Fatalf("OnSpanEdges %v, want %v", calls, want)
	}
	for i := range want {
		if calls[i] != want[i] {
			t.Errorf("key %d: %v, want %v", i, calls[i], want[i])
		}
	}
	// A one-token span cannot lose its token; the keys are still the view's.
	v.SelectSpan("one")
	v.TypedShortcut(modKey(fyne.KeyRight, ca))
	v.TypedShortcut(modKey(fyne.KeyLeft, cas))
	if len(calls) != 4 || forwarded != 0 {
		t.Errorf("emptying a span: calls %v, forwarded %d", calls[4:], forwarded)
	}
	// Read-only, or no span: forwarded.
	v.SetReadOnly(true)
	v.TypedShortcut(modKey(fyne.KeyLeft, ca))
	v.SetReadOnly(false)
	v.SelectSpan("")
	v.TypedShortcut(modKey(fyne.KeyLeft, ca))
	if len(calls) != 4 || forwarded != 2 {
		t.Errorf("no editable span: calls %v, forwarded %d", calls[4:], forwarded)
	}
}

// countLines counts the article lines wholly on screen.
func countLines(v *TextView) int {
	n := 0
	for _, o := range test.WidgetRenderer(v).Objects() {
		if tx, ok := o.(*canvas.Text); ok && tx.TextSize == v.m.textSize && tx.Position().Y >= 0 && tx.Position().Y+v.m.textH <= v.Size().Height {
			n++
		}
	}
	return n
}

func TestLineSpacing(t *testing.T) {
	text := bigText(50_000)
	for _, h := range []float32{800, 640} { // a full screen; the article in the window
		v, _ := newTestView(t, text, fyne.NewSize(1280, h))
		if n := countLines(v); n < 25 {
			t.Errorf("1280×%v: %d lines on screen, want at least 25", h, n)
		}
	}
	v, _ := newTestView(t, strings.Repeat("The council approved the plan. ", 40)+"\n"+text, fyne.NewSize(1280, 800))
	if v.m.lineH > v.m.textSize*1.5 {
		t.Errorf("plain lines are %v px apart for %v px text", v.m.lineH, v.m.textSize)
	}
	lay := v.ensureLayout(0)
	for i, ln := range lay.lines {
		if ln.h != v.m.lineH || ln.textTop != 0 {
			t.Errorf("plain line %d: %v high, text at %v", i, ln.h, ln.textTop)
		}
	}
	// A span from the middle of line 1 to line 2: line 1 gets a tag strip
	// and an underline, line 2 an underline, line 0 nothing.
	p := 0
	if len(lay.lines) < 3 {
		t.Fatalf("%d lines in the first paragraph", len(lay.lines))
	}
	lines := v.ensureLayout(p).lines
	ps := v.doc.paraStart[p]
	s := ps + int(lines[1].start) + 3
	e := ps + int(lines[2].start) + 3
	y0 := [3]float32{}
	for i := range y0 {
		y0[i] = v.lineScreenY(p, i)
	}
	v.SetSpans([]Span{{ID: "x", Start: s, End: e, Label: "Claim", Color: claimCol}})
	lines = v.doc.lay[p].lines
	if lines[0].h != v.m.lineH {
		t.Errorf("line without the span: %v high, want %v", lines[0].h, v.m.lineH)
	}
	if lines[1].h <= lines[2].h || lines[2].h <= v.m.lineH {
		t.Errorf("heights: tagged %v, underlined %v, plain %v; want decreasing", lines[1].h, lines[2].h, v.m.lineH)
	}
	if lines[1].textTop != v.m.tagRoom || lines[2].textTop != 0 {
		t.Errorf("text tops %v, %v", lines[1].textTop, lines[2].textTop)
	}
	// On screen: line 1's text moved down by the tag strip, line 2's by
	// that and line 1's underline room.
	pos1, _ := v.positionOf(s)
	if want := y0[1] + v.m.tagRoom; pos1.Y != want {
		t.Errorf("tagged line's text at y=%v, want %v", pos1.Y, want)
	}
	if got, want := v.lineScreenY(p, 2)-y0[2], lines[1].h-v.m.lineH; got != want {
		t.Errorf("line 2 moved %v, want %v", got, want)
	}
	// The tag and the underline are inside the line's room.
	var tag *canvas.Text
	for _, o := range test.WidgetRenderer(v).Objects() {
		if tx, ok := o.(*canvas.Text); ok && tx.Text == "Claim" {
			tag = tx
		}
	}
	if tag == nil || tag.Position().Y < y0[1]-1 || tag.Position().Y+tag.Size().Height > pos1.Y+2 {
		t.Errorf("tag %v not in the strip above y=%v", tag, pos1.Y)
	}
	if ly := laneY(v, p, 2); ly+laneThick > v.lineScreenY(p, 2)+lines[2].h {
		t.Errorf("underline at %v runs out of its line", ly)
	}
	// Removing the span gives the room back.
	v.SetSpans(nil)
	if lines = v.doc.lay[p].lines; lines[1].h != v.m.lineH || v.lineScreenY(p, 2) != y0[2] {
		t.Errorf("after removing the span: line 1 %v high, line 2 at %v (was %v)", lines[1].h, v.lineScreenY(p, 2), y0[2])
	}
}

// A span continued from above the viewport keeps its tag on a patch of
// background over the top line, which has no tag strip of its own.
func TestContinuedTagOnPatch(t *testing.T) {
	v, _ := newTestView(t, bigText(20_000), fyne.NewSize(600, 300))
	v.SetSpans([]Span{{ID: "long", Start: 0, End: 5000, Label: "Claim", Color: claimCol}})
	v.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, -1000/v.wheelStep())})
	patches := rectsFilled(v, v.m.bg)
	if len(patches) != 1 || len(v.tags) != 1 {
		t.Fatalf("%d patches, %d tags", len(patches), len(v.tags))
	}
	if pp, tg := patches[0].Position(), v.tags[0].pos; pp.X > tg.X || pp.Y != tg.Y || pp.Y < 0 {
		t.Errorf("patch at %v, tag at %v", pp, tg)
	}
	v.TypedShortcut(ctrlKey(fyne.KeyHome))
	if n := len(rectsFilled(v, v.m.bg)); n != 0 {
		t.Errorf("%d patches at the top, where the tag has its strip", n)
	}
}

// The look of a focused view with a selected span and its handles, a
// caret, and lines with and without tags (screenshots for review).
func TestEditLook(t *testing.T) {
	text := "The council approved 280,000 homes, a five-year-old plan costing $3.5bn that critics called reckless, while 12% of residents said they would move.\n\n" +
		"Second paragraph. The minister proposed a new tax on second homes to fund the scheme, and the opposition said the figures did not add up. " +
		"Plain lines follow, at the text's own spacing, so that a screen holds more of the article than before.\nThird paragraph, plain."
	v, w := newTestView(t, text, fyne.NewSize(700, 330))
	c0, c1 := spanOf(t, text, "The council approved 280,000 homes")
	f0, f1 := spanOf(t, text, "280,000")
	p0, p1 := spanOf(t, text, "a new tax on second homes")
	v.SetSpans([]Span{
		{ID: "c", Start: c0, End: c1, Label: "Claim", Color: claimCol},
		{ID: "f", Start: f0, End: f1, Label: "Figure", Color: figureCol},
		{ID: "p", Start: p0, End: p1, Label: "Proposal", Color: propCol},
	})
	w.Canvas().Focus(v)
	v.SelectSpan("p")
	v.caret = p0 + 6
	v.Refresh()
	img := w.Canvas().Capture()
	savePNG(t, img, "textview-edit.png")
	hp := v.handles[0].pos
	savePNG(t, zoom(img, image.Rect(int(hp.X)-20, int(hp.Y)-10, int(hp.X)+240, int(hp.Y)+50), 3), "textview-edit-zoom.png")
	dragHandle(v, handleAt(t, v, 1), inside(v, p1+8), 0, func() {
		savePNG(t, w.Canvas().Capture(), "textview-edit-drag.png")
	})
}

// SetLineSpacing (View ▸ Denser / Roomier lines) moves every line.
func TestSetLineSpacing(t *testing.T) {
	v, _ := newTestView(t, bigText(20_000), fyne.NewSize(1280, 800))
	normal := countLines(v)
	h := v.m.lineH
	v.SetLineSpacing(8)
	v.Refresh()
	if v.m.lineH != h+8 || countLines(v) >= normal {
		t.Errorf("roomier: line %v (was %v), %d lines on screen (was %d)", v.m.lineH, h, countLines(v), normal)
	}
}
