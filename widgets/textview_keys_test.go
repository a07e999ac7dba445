package widgets

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
)

func ctrlKey(k fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierControl}
}

func modKey(k fyne.KeyName, m fyne.KeyModifier) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: m}
}

func press(v *TextView, keys ...fyne.KeyName) {
	for _, k := range keys {
		v.TypedKey(&fyne.KeyEvent{Name: k})
	}
}

// shiftPress types keys with Shift held, as the desktop driver does: Shift
// alone is no shortcut, so the view learns of it from KeyDown.
func shiftPress(v *TextView, keys ...fyne.KeyName) {
	v.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	press(v, keys...)
	v.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
}

// selOf returns the selection as a pair, {-1, -1} if none.
func selOf(v *TextView) [2]int {
	s, e, ok := v.Selection()
	if !ok {
		return [2]int{-1, -1}
	}
	return [2]int{s, e}
}

// sample: “=0 H=1 i=2 ”=3 _ —=5 _ 👍=7 🏽=8 _ the=10..13 _ council=14..21 _
// approved=22..30 _ 280,000=31..38 _ homes.=39..45 \n \n Second=47..53

func TestArrowsMoveByCharacter(t *testing.T) {
	// a, thumbs up with skin tone, e with a combining acute, a flag pair,
	// a ZWJ family, a heart with its variation selector, z.
	parts := []string{"a", "👍🏽", "e\u0301", "🇫🇷", "🇩🇪", "👨\u200d👩\u200d👧", "❤\ufe0f", "z"}
	text := ""
	var stops []int
	n := 0
	for _, p := range parts {
		text += p
		n += len([]rune(p))
		stops = append(stops, n)
	}
	v, _ := newTestView(t, text, fyne.NewSize(600, 200))
	var got []int
	for range parts {
		press(v, fyne.KeyRight)
		got = append(got, v.Caret())
	}
	if !slices.Equal(got, stops) {
		t.Errorf("→ stops at %v, want %v", got, stops)
	}
	press(v, fyne.KeyRight) // at the end: stays
	if v.Caret() != n {
		t.Errorf("→ at the end moved to %d", v.Caret())
	}
	got = got[:0]
	for range parts {
		press(v, fyne.KeyLeft)
		got = append(got, v.Caret())
	}
	want := append([]int{0}, stops[:len(stops)-1]...)
	slices.Reverse(want)
	if !slices.Equal(got, want) {
		t.Errorf("← stops at %v, want %v", got, want)
	}
	if _, _, ok := v.Selection(); ok {
		t.Error("plain arrows selected text")
	}
}

func TestGraphemeBoundaries(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want []int // boundaries inside s
	}{
		{"ab", []int{1}},
		{"e\u0301\u0302x", []int{3}},
		{"🇫🇷🇩🇪🇮", []int{2, 4}},
		{"x🇫🇷", []int{1}},
		{"👩\u200d💻!", []int{3}},
		{"✋🏿✋", []int{2}},
		{"r\r\nq", []int{1, 3}},
	} {
		rs := []rune(tc.s)
		var got []int
		for i := 1; i < len(rs); i++ {
			if isBoundary(rs, i) {
				got = append(got, i)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: boundaries %v, want %v", tc.s, got, tc.want)
		}
	}
}

func TestCtrlArrowsMoveByToken(t *testing.T) {
	v, _ := newTestView(t, sample, fyne.NewSize(800, 600))
	var got []int
	for range 6 {
		v.TypedShortcut(ctrlKey(fyne.KeyRight))
		got = append(got, v.Caret())
	}
	if want := []int{4, 6, 9, 13, 21, 30}; !slices.Equal(got, want) {
		t.Errorf("Ctrl+→ stops %v, want %v", got, want)
	}
	got = got[:0]
	for range 3 {
		v.TypedShortcut(ctrlKey(fyne.KeyLeft))
		got = append(got, v.Caret())
	}
	if want := []int{22, 14, 10}; !slices.Equal(got, want) {
		t.Errorf("Ctrl+← stops %v, want %v", got, want)
	}
	// Across the paragraph break.
	v.SetSelection(45, 45)
	v.TypedShortcut(ctrlKey(fyne.KeyRight))
	if v.Caret() != 53 {
		t.Errorf("Ctrl+→ from the paragraph's end: %d, want 53", v.Caret())
	}
	// Without a Segmenter a word is a run of non-space.
	v.Segmenter = nil
	v.SetSelection(0, 0)
	v.TypedShortcut(ctrlKey(fyne.KeyRight))
	if v.Caret() != 4 {
		t.Errorf("no Segmenter: Ctrl+→ to %d, want 4", v.Caret())
	}
}

func TestUpDownKeepTheColumn(t *testing.T) {
	text := "aaaa bbbb cccc dddd eeee ffff gggg hhhh\nxy\niiii jjjj kkkk llll mmmm nnnn oooo pppp"
	v, _ := newTestView(t, text, fyne.NewSize(800, 400))
	start := 12 // in "cccc"
	v.SetSelection(start, start)
	x0, _ := v.positionOf(start)
	press(v, fyne.KeyDown)
	if v.Caret() != 42 { // the end of "xy": the short line clamps
		t.Errorf("↓ onto the short line: %d, want 42", v.Caret())
	}
	press(v, fyne.KeyDown)
	x2, _ := v.positionOf(v.Caret())
	if d := x2.X - x0.X; v.Caret() < 43 || d > 6 || d < -6 {
		t.Errorf("↓↓ to %d at x=%v, want the third paragraph near x=%v", v.Caret(), x2.X, x0.X)
	}
	press(v, fyne.KeyUp, fyne.KeyUp)
	if v.Caret() != start {
		t.Errorf("↑↑ back to %d, want %d", v.Caret(), start)
	}
	press(v, fyne.KeyUp)
	if v.Caret() != 0 {
		t.Errorf("↑ on the first line: %d, want 0", v.Caret())
	}
	v.TypedShortcut(ctrlKey(fyne.KeyEnd))
	press(v, fyne.KeyDown)
	if v.Caret() != len([]rune(text)) {
		t.Errorf("↓ on the last line: %d", v.Caret())
	}

	// Visual lines of a wrapped paragraph.
	w, _ := newTestView(t, strings.Repeat("wrap these words ", 20), fyne.NewSize(300, 400))
	lines := w.doc.lay[0].lines
	if len(lines) < 3 {
		t.Fatalf("only %d lines at 200 px", len(lines))
	}
	w.SetSelection(int(lines[1].start)+1, int(lines[1].start)+1)
	press(w, fyne.KeyDown)
	if _, li := w.lineOf(w.Caret()); li != 2 {
		t.Errorf("↓ in a wrapped paragraph went to line %d, want 2", li)
	}
	press(w, fyne.KeyHome)
	if w.Caret() != int(lines[2].start) {
		t.Errorf("Home: %d, want %d", w.Caret(), lines[2].start)
	}
	press(w, fyne.KeyEnd)
	if w.Caret() != int(lines[2].textEnd) {
		t.Errorf("End: %d, want %d (before the hanging space)", w.Caret(), lines[2].textEnd)
	}
	if _, li := w.lineOf(w.Caret()); li != 2 {
		t.Errorf("End left the line: now on line %d", li)
	}
}

func TestCaretKeysScrollIntoView(t *testing.T) {
	v, _ := newTestView(t, bigText(200_000), fyne.NewSize(800, 600))
	visible := func() bool {
		p, h := v.positionOf(v.Caret())
		return p.Y >= 0 && p.Y+h <= v.Size().Height
	}
	v.TypedShortcut(ctrlKey(fyne.KeyEnd))
	if v.Caret() != len(v.doc.runes) || !visible() {
		t.Fatalf("Ctrl+End: caret %d of %d, visible %v", v.Caret(), len(v.doc.runes), visible())
	}
	if f := v.ScrollFraction(); f != 1 {
		t.Errorf("Ctrl+End: ScrollFraction %v, want 1", f)
	}
	v.TypedShortcut(ctrlKey(fyne.KeyHome))
	if v.Caret() != 0 || v.viewTop() != 0 {
		t.Fatalf("Ctrl+Home: caret %d, view top %v", v.Caret(), v.viewTop())
	}
	// ↓ past the bottom line scrolls by about a line.
	for range 60 {
		press(v, fyne.KeyDown)
		if !visible() {
			t.Fatalf("caret %d went off screen", v.Caret())
		}
	}
	if v.viewTop() == 0 {
		t.Error("60 × ↓ did not scroll")
	}
	top := v.viewTop()
	press(v, fyne.KeyDown)
	if d := v.viewTop() - top; d <= 0 || d > v.m.maxLineH() {
		t.Errorf("↓ at the bottom scrolled by %v", d)
	}
}

func TestShiftKeysExtendTheSelection(t *testing.T) {
	v, _ := newTestView(t, sample, fyne.NewSize(800, 600))
	var changed [][2]int
	v.OnSelectionChanged = func(s, e int) { changed = append(changed, [2]int{s, e}) }
	v.SetSelection(14, 14) // before "council"
	// Snapped: each Shift+→ takes a token.
	shiftPress(v, fyne.KeyRight)
	if got := selOf(v); got != [2]int{14, 21} {
		t.Errorf("Shift+→: %v, want council", got)
	}
	shiftPress(v, fyne.KeyRight)
	if got := selOf(v); got != [2]int{14, 30} {
		t.Errorf("Shift+→ ×2: %v, want council approved", got)
	}
	shiftPress(v, fyne.KeyLeft)
	if got := selOf(v); got != [2]int{14, 21} {
		t.Errorf("Shift+←: %v, want council", got)
	}
	// Alt: exact characters.
	v.TypedShortcut(modKey(fyne.KeyRight, fyne.KeyModifierShift|fyne.KeyModifierAlt))
	if got := selOf(v); got != [2]int{14, 22} {
		t.Errorf("Shift+Alt+→: %v, want 14..22", got)
	}
	v.TypedShortcut(modKey(fyne.KeyLeft, fyne.KeyModifierShift|fyne.KeyModifierAlt))
	v.TypedShortcut(modKey(fyne.KeyLeft, fyne.KeyModifierShift|fyne.KeyModifierAlt))
	if got := selOf(v); got != [2]int{14, 20} {
		t.Errorf("Shift+Alt+← ×2: %v, want 14..20", got)
	}
	// Ctrl+Shift by token, the other side of the anchor too.
	v.TypedShortcut(modKey(fyne.KeyLeft, fyne.KeyModifierShift|fyne.KeyModifierControl))
	v.TypedShortcut(modKey(fyne.KeyLeft, fyne.KeyModifierShift|fyne.KeyModifierControl))
	if got := selOf(v); got != [2]int{10, 13} {
		t.Errorf("Ctrl+Shift+← ×2: %v, want the (left of the anchor)", got)
	}
	want := [][2]int{{14, 21}, {14, 30}, {14, 21}, {14, 22}, {14, 21}, {14, 20}, {14, 14}, {10, 13}}
	if !slices.Equal(changed, want) {
		t.Errorf("OnSelectionChanged %v, want %v", changed, want)
	}
	// Shift+↓ extends by lines (over the blank one), snapped, from the
	// anchor; a plain ← collapses to the start.
	shiftPress(v, fyne.KeyDown, fyne.KeyDown)
	if got := selOf(v); got[0] != 14 || got[1] < 53 {
		t.Errorf("Shift+↓ ×2: %v, want 14..(into the second paragraph)", got)
	}
	changed = nil
	press(v, fyne.KeyLeft)
	if _, _, ok := v.Selection(); ok || v.Caret() != 14 {
		t.Errorf("← after a selection: caret %d, selection %v", v.Caret(), selOf(v))
	}
	if len(changed) != 1 || changed[0] != [2]int{14, 14} {
		t.Errorf("collapsing reported %v", changed)
	}
	// Ctrl+Shift+End: to the end of the text.
	v.TypedShortcut(modKey(fyne.KeyEnd, fyne.KeyModifierShift|fyne.KeyModifierControl))
	if got := selOf(v); got != [2]int{14, len(v.doc.runes)} {
		t.Errorf("Ctrl+Shift+End: %v", got)
	}
	// A plain move after Shift was released does not extend.
	press(v, fyne.KeyHome)
	if _, _, ok := v.Selection(); ok {
		t.Error("Home after releasing Shift kept the selection")
	}
}

func TestAltArrowsAreTheWindows(t *testing.T) {
	v, _ := newTestView(t, sample, fyne.NewSize(800, 600))
	var got []string
	v.OnShortcut = func(s fyne.Shortcut) { got = append(got, s.ShortcutName()) }
	v.SetSelection(14, 14)
	v.TypedShortcut(modKey(fyne.KeyRight, fyne.KeyModifierAlt))
	v.TypedShortcut(modKey(fyne.KeyLeft, fyne.KeyModifierAlt))
	v.TypedShortcut(modKey(fyne.KeyUp, fyne.KeyModifierControl))
	v.TypedShortcut(modKey(fyne.KeyRight, fyne.KeyModifierControl|fyne.KeyModifierAlt)) // no span selected
	if len(got) != 4 || v.Caret() != 14 {
		t.Errorf("forwarded %v, caret %d; want 4 forwarded and the caret at 14", got, v.Caret())
	}
	v.TypedShortcut(ctrlKey(fyne.KeyRight))
	if len(got) != 4 {
		t.Error("Ctrl+→ was forwarded")
	}
}

func TestSelectAll(t *testing.T) {
	v, _ := newTestView(t, "  Some text.\n\nMore.\n", fyne.NewSize(800, 600))
	var changed [][2]int
	v.OnSelectionChanged = func(s, e int) { changed = append(changed, [2]int{s, e}) }
	forwarded := 0
	v.OnShortcut = func(fyne.Shortcut) { forwarded++ }
	v.TypedShortcut(&fyne.ShortcutSelectAll{})
	if got := selOf(v); got != [2]int{2, 19} {
		t.Errorf("Ctrl+A selected %v (%q)", got, v.SelectedText())
	}
	if len(changed) != 1 || forwarded != 0 {
		t.Errorf("Ctrl+A reported %v, forwarded %d", changed, forwarded)
	}
}

func testSpans() []Span {
	return []Span{
		{ID: "claim", Start: 10, End: 45, Label: "Claim", Color: claimCol},
		{ID: "fig", Start: 31, End: 44, Label: "Figure", Color: figureCol},
		{ID: "num", Start: 31, End: 38, Label: "Number", Color: propCol},
		{ID: "sec", Start: 47, End: 53, Label: "Claim", Color: claimCol},
	}
}

func TestTabWalksTheSpans(t *testing.T) {
	v, _ := newTestView(t, sample, fyne.NewSize(800, 600))
	if !v.AcceptsTab() {
		t.Fatal("the view lets Tab move the focus away")
	}
	if v.SelectNextSpan(1) {
		t.Error("SelectNextSpan with no spans")
	}
	v.SetSpans(testSpans())
	var got []string
	v.OnSpanSelected = func(id string) { got = append(got, id) }
	v.SetSelection(20, 25) // a text selection is replaced
	press(v, fyne.KeyTab, fyne.KeyTab, fyne.KeyTab, fyne.KeyTab)
	if want := []string{"fig", "num", "sec"}; !slices.Equal(got, want) {
		t.Errorf("Tab from the caret at 25 selected %v, want %v", got, want)
	}
	if _, _, ok := v.Selection(); ok {
		t.Error("Tab kept the text selection")
	}
	if v.SelectedSpan() != "sec" || v.Caret() != 47 {
		t.Errorf("after the last Tab: span %q, caret %d", v.SelectedSpan(), v.Caret())
	}
	got = nil
	shiftPress(v, fyne.KeyTab, fyne.KeyTab, fyne.KeyTab, fyne.KeyTab)
	if want := []string{"num", "fig", "claim"}; !slices.Equal(got, want) {
		t.Errorf("Shift+Tab selected %v, want %v", got, want)
	}
	// From a caret with nothing selected, backwards: the last span starting
	// before it.
	v.SelectSpan("")
	v.SetSelection(40, 40)
	if !v.SelectNextSpan(-1) || v.SelectedSpan() != "num" {
		t.Errorf("SelectNextSpan(-1) from 40 selected %q", v.SelectedSpan())
	}
}

func TestTabScrollsTheSpanIntoView(t *testing.T) {
	text := bigText(100_000)
	v, _ := newTestView(t, text, fyne.NewSize(800, 600))
	n := len([]rune(text))
	v.SetSpans([]Span{{ID: "a", Start: 5, End: 20, Label: "Claim"}, {ID: "z", Start: n - 300, End: n - 290, Label: "Claim"}})
	scrolled := 0
	v.OnScrolled = func() { scrolled++ }
	press(v, fyne.KeyTab, fyne.KeyTab)
	if v.SelectedSpan() != "z" {
		t.Fatalf("selected %q", v.SelectedSpan())
	}
	if p, _ := v.positionOf(n - 300); p.Y < 0 || p.Y > v.Size().Height {
		t.Errorf("the span is at y=%v, off screen", p.Y)
	}
	if scrolled == 0 {
		t.Error("OnScrolled not called")
	}
}

func TestEnterSpaceActivate(t *testing.T) {
	v, _ := newTestView(t, sample, fyne.NewSize(800, 600))
	v.SetSpans(testSpans())
	var act []string
	v.OnActivate = func(id string) { act = append(act, id) }
	var keys []rune
	v.OnKey = func(r rune) bool { keys = append(keys, r); return true }
	press(v, fyne.KeyReturn) // nothing selected
	v.TypedRune(' ')
	v.SelectSpan("fig")
	press(v, fyne.KeyReturn, fyne.KeyEnter)
	press(v, fyne.KeySpace)
	v.TypedRune(' ') // the rune that follows Space
	v.TypedRune('2')
	if want := []string{"fig", "fig", "fig"}; !slices.Equal(act, want) {
		t.Errorf("OnActivate %v, want %v", act, want)
	}
	if string(keys) != " 2" {
		t.Errorf("OnKey got %q, want the space typed with no span selected, then 2", string(keys))
	}
	v.SetReadOnly(true)
	press(v, fyne.KeyReturn)
	if len(act) != 4 {
		t.Error("a read-only view did not activate")
	}
}

func TestEscapeClearsBoth(t *testing.T) {
	v, _ := newTestView(t, sample, fyne.NewSize(800, 600))
	v.SetSpans(testSpans())
	var sel [][2]int
	var spans []string
	v.OnSelectionChanged = func(s, e int) { sel = append(sel, [2]int{s, e}) }
	v.OnSpanSelected = func(id string) { spans = append(spans, id) }
	v.SelectSpan("fig")
	press(v, fyne.KeyEscape)
	if v.SelectedSpan() != "" || len(spans) != 1 || spans[0] != "" || len(sel) != 1 || sel[0][0] != sel[0][1] {
		t.Errorf("Escape: span %q, OnSpanSelected %q, OnSelectionChanged %v", v.SelectedSpan(), spans, sel)
	}
	v.SetSelection(14, 21)
	press(v, fyne.KeyEscape)
	if _, _, ok := v.Selection(); ok || len(sel) != 2 || sel[1] != [2]int{14, 14} {
		t.Errorf("Escape: selection %v, reported %v", selOf(v), sel)
	}
	press(v, fyne.KeyEscape) // nothing left to clear
	if len(sel) != 2 || len(spans) != 1 {
		t.Errorf("an idle Escape reported %v %v", sel, spans)
	}
}

// primaryRects returns the view's rectangles in the theme's primary colour:
// the caret and the focus ring.
func primaryRects(v *TextView) []*canvas.Rectangle {
	return rectsFilled(v, v.m.primary)
}

func TestCaretAndFocusRing(t *testing.T) {
	v, w := newTestView(t, sample, fyne.NewSize(800, 600))
	if n := len(primaryRects(v)); n != 0 {
		t.Fatalf("%d caret or ring rectangles without focus", n)
	}
	w.Canvas().Focus(v)
	rs := primaryRects(v)
	if len(rs) != 5 {
		t.Fatalf("focused: %d primary rectangles, want the caret and 4 ring sides", len(rs))
	}
	caret := func() *canvas.Rectangle {
		for _, r := range primaryRects(v) {
			if r.Size().Width == 2 && r.Size().Height < v.Size().Height/2 {
				return r
			}
		}
		return nil
	}
	c := caret()
	if c == nil {
		t.Fatal("no caret bar")
	}
	p, h := v.positionOf(0)
	if c.Position().Y != p.Y || c.Size().Height != h || c.Position().X > p.X || c.Position().X+2 < p.X {
		t.Errorf("caret at %v %v, want at %v, %v high", c.Position(), c.Size(), p, h)
	}
	// The ring is on the view's edges.
	var ringArea float32
	for _, r := range primaryRects(v) {
		if r != c {
			ringArea += r.Size().Width * r.Size().Height
		}
	}
	sz := v.Size()
	if want := 2*2*sz.Width + 2*2*(sz.Height-4); ringArea != want {
		t.Errorf("ring covers %v px², want %v", ringArea, want)
	}
	v.TypedShortcut(ctrlKey(fyne.KeyRight))
	v.TypedShortcut(ctrlKey(fyne.KeyRight))
	p, _ = v.positionOf(6)
	if c = caret(); c == nil || c.Position().X+1 < p.X-1 || c.Position().X > p.X+1 {
		t.Errorf("after Ctrl+→ ×2 the caret is at %v, want x≈%v", c, p.X)
	}
	w.Canvas().Unfocus()
	if n := len(primaryRects(v)); n != 0 {
		t.Errorf("%d primary rectangles after losing focus", n)
	}
}
