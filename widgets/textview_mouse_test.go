package widgets

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// fakeClock drives the view's double-click timing.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time           { return c.t }
func (c *fakeClock) advance(ms time.Duration) { c.t = c.t.Add(ms * time.Millisecond) }

func withClock(v *TextView) *fakeClock {
	c := &fakeClock{t: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
	v.now = c.now
	return c
}

// click sends what the desktop driver sends for one click on a view that
// is not DoubleTappable: MouseDown, MouseUp, then Tapped.
func click(v *TextView, pos fyne.Position, mods fyne.KeyModifier) {
	ev := &desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pos}, Button: desktop.MouseButtonPrimary, Modifier: mods}
	v.MouseDown(ev)
	v.MouseUp(ev)
	v.Tapped(&ev.PointEvent)
}

func TestDoubleAndTripleClick(t *testing.T) {
	text := "First sentence here. The council approved it! Third one.\n\nNext paragraph."
	v, _ := newTestView(t, text, fyne.NewSize(800, 600))
	clock := withClock(v)
	v.SetSpans([]Span{{ID: "a", Start: 21, End: 32, Label: "Claim", Color: claimCol}}) // The council
	var sel [][2]int
	var spans []string
	v.OnSelectionChanged = func(s, e int) { sel = append(sel, [2]int{s, e}) }
	v.OnSpanSelected = func(id string) { spans = append(spans, id) }
	at := inside(v, 27) // "co|uncil"

	click(v, at, 0)
	if v.SelectedSpan() != "a" || selOf(v) != [2]int{-1, -1} {
		t.Fatalf("one click: span %q, selection %v", v.SelectedSpan(), selOf(v))
	}
	clock.advance(150)
	click(v, at.AddXY(2, 1), 0)
	if got := selOf(v); got != [2]int{25, 32} {
		t.Errorf("double click selected %v (%q), want council", got, v.SelectedText())
	}
	if v.SelectedSpan() != "" || len(spans) != 2 || spans[1] != "" {
		t.Errorf("double click left span %q, OnSpanSelected %q", v.SelectedSpan(), spans)
	}
	clock.advance(150)
	click(v, at, 0)
	if got := selOf(v); got != [2]int{21, 45} {
		t.Errorf("triple click selected %v (%q), want the sentence", got, v.SelectedText())
	}
	if want := [][2]int{{25, 32}, {21, 45}}; len(sel) != 2 || sel[0] != want[0] || sel[1] != want[1] {
		t.Errorf("OnSelectionChanged %v, want %v", sel, want)
	}
	// Later: a single click again, which clears the selection.
	clock.advance(400)
	click(v, at, 0)
	if _, _, ok := v.Selection(); ok {
		t.Errorf("a click after the delay kept %v", selOf(v))
	}
	// Too slow, or elsewhere: no double click.
	clock.advance(400)
	click(v, inside(v, 8), 0)
	clock.advance(350)
	click(v, inside(v, 8), 0)
	if _, _, ok := v.Selection(); ok {
		t.Error("two clicks 350 ms apart selected a word")
	}
	clock.advance(100)
	click(v, inside(v, 60), 0)
	if _, _, ok := v.Selection(); ok {
		t.Error("two quick clicks far apart selected a word")
	}
	// A drag between presses breaks the count.
	clock.advance(1000)
	drag(v, inside(v, 8), inside(v, 2), 0)
	clock.advance(50)
	click(v, inside(v, 8), 0)
	if _, _, ok := v.Selection(); ok {
		t.Error("a click right after a drag counted as a double click")
	}
	// Double-click and drag: extends by words from the clicked word.
	clock.advance(1000)
	click(v, inside(v, 27), 0)
	clock.advance(100)
	v.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: inside(v, 27)}, Button: desktop.MouseButtonPrimary})
	v.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: inside(v, 35)}})
	v.DragEnd()
	if got := selOf(v); got != [2]int{25, 41} {
		t.Errorf("double click and drag: %v (%q), want council approved", got, v.SelectedText())
	}
	// Triple click on the second paragraph: its one sentence.
	clock.advance(1000)
	p := inside(v, 64)
	click(v, p, 0)
	clock.advance(100)
	click(v, p, 0)
	clock.advance(100)
	click(v, p, 0)
	if got := v.SelectedText(); got != "Next paragraph." {
		t.Errorf("triple click on the second paragraph: %q", got)
	}
}

func TestShiftClickExtends(t *testing.T) {
	v, _ := newTestView(t, sample, fyne.NewSize(800, 600))
	withClock(v)
	var sel [][2]int
	v.OnSelectionChanged = func(s, e int) { sel = append(sel, [2]int{s, e}) }
	click(v, inside(v, 16), 0)
	click(v, inside(v, 33), fyne.KeyModifierShift)
	if got := selOf(v); got != [2]int{14, 38} {
		t.Errorf("Shift+click: %v, want 14..38", got)
	}
	if len(sel) != 1 || sel[0] != [2]int{14, 38} {
		t.Errorf("OnSelectionChanged %v", sel)
	}
	// And the keyboard carries on from the click.
	v.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	shiftPress(v, fyne.KeyRight)
	if got := selOf(v); got != [2]int{14, 45} {
		t.Errorf("Shift+→ after Shift+click: %v, want 14..45", got)
	}
}

func TestWheelAndPageKeys(t *testing.T) {
	v, _ := newTestView(t, bigText(100_000), fyne.NewSize(800, 600))
	scrolled := 0
	v.OnScrolled = func() { scrolled++ }
	v.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, wheelNotch)}) // up, at the top
	if scrolled != 0 {
		t.Errorf("OnScrolled called %d times for a scroll that did not move", scrolled)
	}
	v.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, -wheelNotch)})
	if got, want := v.viewTop(), wheelLines*v.m.lineH; got < want-0.01 || got > want+0.01 {
		t.Errorf("one notch scrolled %v px, want %v (%d lines)", got, want, wheelLines)
	}
	if scrolled != 1 {
		t.Errorf("OnScrolled called %d times, want 1", scrolled)
	}
	v.TypedShortcut(ctrlKey(fyne.KeyHome))
	v.SetSelection(0, 0)
	page := v.Size().Height - 2*v.m.padY - v.m.lineH
	p0, _ := v.positionOf(v.Caret())
	press(v, fyne.KeyPageDown)
	if got := v.viewTop(); got != page {
		t.Errorf("Page Down scrolled %v px, want %v", got, page)
	}
	if v.Caret() == 0 {
		t.Error("Page Down left the caret behind")
	}
	p1, _ := v.positionOf(v.Caret())
	if d := p1.Y - p0.Y; d < -v.m.maxLineH() || d > v.m.maxLineH() {
		t.Errorf("the caret moved on screen from y=%v to %v", p0.Y, p1.Y)
	}
	press(v, fyne.KeyPageUp)
	if v.viewTop() != 0 || v.Caret() != 0 {
		t.Errorf("Page Up: top %v, caret %d", v.viewTop(), v.Caret())
	}
	// Shift+Page Down selects a screen.
	shiftPress(v, fyne.KeyPageDown)
	if s, e, ok := v.Selection(); !ok || s != 0 || e < 1000 {
		t.Errorf("Shift+Page Down: %d..%d %v", s, e, ok)
	}
}

func TestScrollFraction(t *testing.T) {
	v, _ := newTestView(t, bigText(100_000), fyne.NewSize(800, 600))
	if f := v.ScrollFraction(); f != 0 {
		t.Errorf("at the top: %v", f)
	}
	var fracs []float64
	v.OnScrolled = func() { fracs = append(fracs, v.ScrollFraction()) }
	for range 5 {
		press(v, fyne.KeyPageDown)
	}
	if len(fracs) != 5 {
		t.Fatalf("OnScrolled called %d times for 5 pages", len(fracs))
	}
	for i := 1; i < len(fracs); i++ {
		if fracs[i] <= fracs[i-1] || fracs[i] >= 1 {
			t.Errorf("fractions %v do not grow within (0, 1)", fracs)
			break
		}
	}
	// Dragging the scroll bar thumb to the middle: about half way.
	_, thumbY, thumbH, _ := v.scrollGeometry()
	x := v.Size().Width - 5
	v.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(x, thumbY+thumbH/2)}, Button: desktop.MouseButtonPrimary})
	v.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(x, v.Size().Height/2)}})
	v.DragEnd()
	if f := v.ScrollFraction(); f < 0.45 || f > 0.55 {
		t.Errorf("thumb in the middle: %v", f)
	}
	v.TypedShortcut(ctrlKey(fyne.KeyEnd))
	if f := fracs[len(fracs)-1]; f != 1 {
		t.Errorf("at the end OnScrolled saw %v", f)
	}
	// A short text fits: 0.
	v.SetText("Short.")
	if f := v.ScrollFraction(); f != 0 {
		t.Errorf("short text: %v", f)
	}
}
