package widgets

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

const sample = "“Hi” — 👍🏽 the council approved 280,000 homes.\n\nSecond paragraph."

var (
	claimCol  = color.NRGBA{0xe6, 0x9f, 0x00, 0xff}
	figureCol = color.NRGBA{0x00, 0x72, 0xb2, 0xff}
	propCol   = color.NRGBA{0xcc, 0x79, 0xa7, 0xff}
)

func newTestView(t *testing.T, text string, size fyne.Size) (*TextView, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	v := NewTextView()
	v.SetText(text)
	w := test.NewTempWindow(t, v)
	w.Resize(size)
	return v, w
}

func savePNG(t *testing.T, img image.Image, name string) string {
	t.Helper()
	dir := os.Getenv("TEXTVIEW_SHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
	return p
}

func TestRenderLook(t *testing.T) {
	text := "“Hi” — 👍🏽 the council approved 280,000 homes, a five-year-old plan costing $3.5bn that critics called “reckless”, while 12% of residents said they would move.\n\n" +
		"Second paragraph. The minister proposed a new tax on second homes to fund the scheme, and the opposition said the figures did not add up.\n" +
		"Third paragraph with a span that crosses\nthe paragraph break."
	v, w := newTestView(t, text, fyne.NewSize(800, 400))
	rs := []rune(text)
	find := func(s string) (int, int) {
		sr := []rune(s)
		for i := 0; i+len(sr) <= len(rs); i++ {
			if string(rs[i:i+len(sr)]) == s {
				return i, i + len(sr)
			}
		}
		t.Fatalf("%q not found", s)
		return 0, 0
	}
	c0, _ := find("the council")
	_, c1 := find("$3.5bn")
	f0, f1 := find("280,000 homes")
	n0, n1 := find("280,000")
	p0, p1 := find("proposed a new tax on second homes")
	x0, _ := find("crosses")
	_, x1 := find("the paragraph break")
	v.SetSpans([]Span{
		{ID: "c", Start: c0, End: c1, Label: "Claim", Color: claimCol},
		{ID: "f", Start: f0, End: f1, Label: "Figure", Color: figureCol},
		{ID: "n", Start: n0, End: n1, Label: "Number", Color: propCol},
		{ID: "p", Start: p0, End: p1, Label: "Proposal", Color: propCol},
		{ID: "x", Start: x0, End: x1, Label: "Claim", Color: claimCol},
	})
	v.SelectSpan("p")
	s0, s1 := find("opposition said")
	v.SetSelection(s0, s1)
	img := w.Canvas().Capture()
	savePNG(t, img, "textview.png")
}

// inside returns a widget position just right of the boundary before code
// point off, vertically in the middle of its line's text.
func inside(v *TextView, off int) fyne.Position {
	p, h := v.positionOf(off)
	return p.AddXY(1, h/2)
}

func drag(v *TextView, from, to fyne.Position, mods fyne.KeyModifier) {
	v.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: from}, Button: desktop.MouseButtonPrimary, Modifier: mods})
	mid := fyne.NewPos((from.X+to.X)/2, (from.Y+to.Y)/2)
	v.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: mid}, Dragged: fyne.NewDelta(mid.X-from.X, mid.Y-from.Y)})
	v.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: to}, Dragged: fyne.NewDelta(to.X-mid.X, to.Y-mid.Y)})
	v.DragEnd()
	v.MouseUp(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: to}, Button: desktop.MouseButtonPrimary, Modifier: mods})
}

func TestDragSelectSnapsToWords(t *testing.T) {
	v, w := newTestView(t, sample, fyne.NewSize(800, 600))
	// “=0 H=1 i=2 ”=3 _ —=5 _ 👍=7 🏽=8 _ the=10..13 _ council=14..21 _
	// approved=22..30 _ 280,000=31..38 _ homes=39..44 .=44 \n \n Second=47..53
	var changed [][2]int
	v.OnSelectionChanged = func(s, e int) { changed = append(changed, [2]int{s, e}) }
	var keys []rune
	v.OnKey = func(r rune) bool { keys = append(keys, r); return true }

	drag(v, inside(v, 16), inside(v, 35), 0) // "co|uncil" .. "280,|000"
	s, e, ok := v.Selection()
	if !ok || s != 14 || e != 38 {
		t.Fatalf("Selection() = %d, %d, %v; want 14, 38 (council approved 280,000)", s, e, ok)
	}
	if got := v.SelectedText(); got != "council approved 280,000" {
		t.Errorf("selected %q", got)
	}
	if len(changed) != 1 || changed[0] != [2]int{14, 38} {
		t.Errorf("OnSelectionChanged calls %v", changed)
	}
	// The mouse down took the focus, so typing reaches OnKey.
	focused := w.Canvas().Focused()
	if focused != v {
		t.Fatalf("focused object %v, want the view", focused)
	}
	test.Type(focused, "2")
	if len(keys) != 1 || keys[0] != '2' {
		t.Errorf("OnKey got %q", keys)
	}
	if s, e, _ := v.Selection(); s != 14 || e != 38 {
		t.Errorf("typing changed the selection to %d..%d", s, e)
	}

	// Dragging backwards, across the paragraph break, from "Sec|ond" up to "ho|mes".
	drag(v, inside(v, 50), inside(v, 41), 0)
	if s, e, _ := v.Selection(); s != 39 || e != 53 {
		t.Errorf("backward drag: %d..%d, want 39..53", s, e)
	}

	// Alt keeps character precision.
	drag(v, inside(v, 16), inside(v, 35), fyne.KeyModifierAlt)
	if s, e, _ := v.Selection(); s != 16 || e != 35 {
		t.Errorf("alt drag: %d..%d, want 16..35", s, e)
	}

	// Emoji and curly quotes are words of their own.
	drag(v, inside(v, 7), inside(v, 11), 0)
	if s, e, _ := v.Selection(); s != 7 || e != 13 {
		t.Errorf("emoji drag: %d..%d (%q), want 7..13", s, e, v.SelectedText())
	}
	drag(v, inside(v, 0), inside(v, 2), 0)
	if s, e, _ := v.Selection(); s != 0 || e != 3 {
		t.Errorf("quote drag: %d..%d (%q), want 0..3", s, e, v.SelectedText())
	}

	// Escape clears the selection.
	v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if _, _, ok := v.Selection(); ok {
		t.Error("Escape kept the selection")
	}
	if last := changed[len(changed)-1]; last[0] != last[1] {
		t.Errorf("clearing reported %v, want an empty range", last)
	}
}

func TestTestDragWithoutMouseDown(t *testing.T) {
	v, w := newTestView(t, sample, fyne.NewSize(800, 600))
	from := inside(v, 23)
	to := inside(v, 27)
	abs := fyne.CurrentApp().Driver().AbsolutePositionForObject(v)
	test.Drag(w.Canvas(), abs.Add(to), from.X-to.X, 0) // test.Drag reports the end point
	_ = from
	if s, e, ok := v.Selection(); !ok || s != 22 || e != 30 {
		t.Errorf("Selection() = %d, %d, %v; want 22..30 (approved)", s, e, ok)
	}
}

func TestTapSelectsInnermostSpan(t *testing.T) {
	v, _ := newTestView(t, sample, fyne.NewSize(800, 600))
	v.SetSpans([]Span{
		{ID: "claim", Start: 10, End: 45, Label: "Claim", Color: claimCol},
		{ID: "fig", Start: 31, End: 44, Label: "Figure", Color: figureCol},
		{ID: "num", Start: 31, End: 38, Label: "Number", Color: propCol},
	})
	var got []string
	v.OnSpanSelected = func(id string) { got = append(got, id) }
	tap := func(off int) {
		test.TapAt(v, inside(v, off))
	}
	tap(16) // council
	tap(33) // 280,000: inside claim, figure and number
	tap(40) // homes: figure
	tap(48) // Second: plain text
	want := []string{"claim", "num", "fig", ""}
	if !slices.Equal(got, want) {
		t.Errorf("OnSpanSelected calls %q, want %q", got, want)
	}
	if v.SelectedSpan() != "" {
		t.Errorf("SelectedSpan() = %q after tapping plain text", v.SelectedSpan())
	}

	// A tap clears the text selection too.
	v.SetSelection(47, 53)
	tap(16)
	if _, _, ok := v.Selection(); ok || v.SelectedSpan() != "claim" {
		t.Errorf("after tap: selection kept or span %q", v.SelectedSpan())
	}
	// Tapping the label tag selects its span.
	var tagPos fyne.Position
	for _, tg := range v.tags {
		if tg.id == "fig" {
			tagPos = tg.pos.AddXY(2, tg.size.Height/2)
		}
	}
	test.TapAt(v, tagPos)
	if v.SelectedSpan() != "fig" {
		t.Errorf("tag tap selected %q", v.SelectedSpan())
	}

	// SelectSpan from the app; Delete reaches OnDelete.
	v.SelectSpan("num")
	if v.SelectedSpan() != "num" {
		t.Errorf("SelectSpan: %q", v.SelectedSpan())
	}
	deleted := 0
	v.OnDelete = func() { deleted++ }
	v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	if deleted != 2 {
		t.Errorf("OnDelete called %d times", deleted)
	}
}

// tintRects returns the renderer's rectangles filled with c.
func rectsFilled(v *TextView, c color.Color) []*canvas.Rectangle {
	var out []*canvas.Rectangle
	for _, o := range test.WidgetRenderer(v).Objects() {
		if r, ok := o.(*canvas.Rectangle); ok && r.Visible() && tvNRGBA(r.FillColor) == tvNRGBA(c) {
			out = append(out, r)
		}
	}
	return out
}

func TestSpanAcrossParagraphBreak(t *testing.T) {
	v, _ := newTestView(t, sample, fyne.NewSize(800, 600))
	v.SetSpans([]Span{{ID: "x", Start: 39, End: 53, Label: "Claim", Color: claimCol}}) // homes.\n\nSecond
	tints := rectsFilled(v, tvAlpha(claimCol, 0.25))
	bars := rectsFilled(v, claimCol)
	if len(tints) != 2 || len(bars) != 2 {
		t.Fatalf("got %d tints and %d underlines, want 2 of each", len(tints), len(bars))
	}
	if tints[0].Position().Y == tints[1].Position().Y {
		t.Error("both fragments on the same line")
	}
	p0, _ := v.positionOf(39)
	p1, _ := v.positionOf(47)
	for i, p := range []fyne.Position{p0, p1} {
		if tints[i].Position() != p {
			t.Errorf("fragment %d at %v, want %v", i, tints[i].Position(), p)
		}
	}
}
