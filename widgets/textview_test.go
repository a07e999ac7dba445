package widgets

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
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
	v.Segmenter = spaceWords{}
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
	savePNG(t, zoom(img, image.Rect(0, 0, 400, 140), 2), "textview-zoom.png")

	fyne.CurrentApp().Settings().SetTheme(lightTheme{})
	v.Refresh()
	savePNG(t, w.Canvas().Capture(), "textview-light.png")
}

type lightTheme struct{}

func (lightTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return theme.DefaultTheme().Color(n, theme.VariantLight)
}
func (lightTheme) Font(s fyne.TextStyle) fyne.Resource     { return theme.DefaultTheme().Font(s) }
func (lightTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }
func (lightTheme) Size(n fyne.ThemeSizeName) float32       { return theme.DefaultTheme().Size(n) }

// zoom returns the part r of img scaled up f times (nearest neighbour), to
// judge small details.
func zoom(img image.Image, r image.Rectangle, f int) image.Image {
	out := image.NewNRGBA(image.Rect(0, 0, r.Dx()*f, r.Dy()*f))
	for y := 0; y < r.Dy()*f; y++ {
		for x := 0; x < r.Dx()*f; x++ {
			out.Set(x, y, img.At(r.Min.X+x/f, r.Min.Y+y/f))
		}
	}
	return out
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

	// An emoji with its skin tone is one token here.
	drag(v, inside(v, 7), inside(v, 11), 0)
	if s, e, _ := v.Selection(); s != 7 || e != 13 {
		t.Errorf("emoji drag: %d..%d (%q), want 7..13", s, e, v.SelectedText())
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
	abs := v.Position() // the view is the window content
	// test.Drag sends one Dragged event at the given point, having moved by
	// the delta, and DragEnd: the drag started at to - delta = from.
	test.Drag(w.Canvas(), abs.Add(to), to.X-from.X, 0)
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

// laneY is the widget y of lane 0's underline on line li of paragraph p.
func laneY(v *TextView, p, li int) float32 {
	return v.lineScreenY(p, li) + v.doc.lay[p].lines[li].textTop + v.m.laneOff
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

// bigText returns about size bytes of varied prose in paragraphs of one to
// four sentences, deterministically.
func bigText(size int) string {
	subjects := []string{"The council", "A spokesperson for the ministry", "Critics", "The five-year-old scheme", "Residents of the northern district", "“The board”", "Analysts at the bank", "Nobody"}
	verbs := []string{"approved", "rejected", "questioned", "said it would fund", "warned against", "welcomed", "could not explain", "has doubled"}
	objects := []string{"280,000 new homes", "a $3.5bn plan", "the 12% rise in rents", "a tax on second homes", "the proposal — again", "its own forecast 👍🏽", "the figures published on Tuesday", "a review of the long-term budget"}
	tails := []string{".", ", according to officials.", " despite strong opposition.", "; the vote was close.", " in a statement.", "!", " before the election.", ", which surprised few."}
	var b strings.Builder
	b.Grow(size + 200)
	x := uint32(12345)
	next := func(n int) int {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		return int(x % uint32(n))
	}
	for b.Len() < size {
		k := 1 + next(2)
		for i := 0; i < k; i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(subjects[next(len(subjects))])
			b.WriteByte(' ')
			b.WriteString(verbs[next(len(verbs))])
			b.WriteByte(' ')
			b.WriteString(objects[next(len(objects))])
			b.WriteString(tails[next(len(tails))])
		}
		b.WriteByte('\n')
		if next(10) == 0 {
			b.WriteByte('\n') // a blank line now and then
		}
	}
	return b.String()
}

func TestRenderColours(t *testing.T) {
	v, w := newTestView(t, sample, fyne.NewSize(800, 300))
	v.SetSpans([]Span{
		{ID: "claim", Start: 10, End: 44, Label: "Claim", Color: claimCol},
		{ID: "fig", Start: 31, End: 38, Label: "Figure", Color: figureCol},
	})
	img := w.Canvas().Capture()
	savePNG(t, img, "textview-spans.png")
	abs := v.Position() // the view is the window content
	bg := tvNRGBA(panelColor(v.Theme(), theme.ColorNameBackground))
	want := blend(bg, tvAlpha(claimCol, 0.25))
	at := func(p fyne.Position) color.NRGBA {
		p = abs.Add(p)
		return tvNRGBA(img.At(int(p.X), int(p.Y)))
	}
	near := func(a, b color.NRGBA) bool {
		d := func(x, y uint8) int { return max(int(x)-int(y), int(y)-int(x)) }
		return d(a.R, b.R) <= 8 && d(a.G, b.G) <= 8 && d(a.B, b.B) <= 8
	}
	// The top rows of the text box are above the glyphs: pure tint there.
	start, _ := v.positionOf(10)
	end, _ := v.positionOf(44)
	for _, x := range []float32{start.X + 2, (start.X + end.X) / 2, end.X - 3} {
		if got := at(fyne.NewPos(x, start.Y+1)); !near(got, want) {
			t.Errorf("pixel at x=%v in the span is %v, want tint %v", x, got, want)
		}
	}
	// Outside the span (before it, after it, and on the next paragraph) the
	// background is untouched.
	q, _ := v.positionOf(3)
	after, _ := v.positionOf(45)
	second, _ := v.positionOf(50)
	for _, p := range []fyne.Position{q.AddXY(0, 1), after.AddXY(20, 1), second.AddXY(0, 1)} {
		if got := at(p); !near(got, bg) {
			t.Errorf("pixel at %v outside the span is %v, want background %v", p, got, bg)
		}
	}
	// The nested figure has its own underline in its colour below the claim's.
	fx, _ := v.positionOf(33)
	claimLine := laneY(v, 0, 0)
	if got := at(fyne.NewPos(fx.X, claimLine+laneThick/2)); !near(got, claimCol) {
		t.Errorf("claim underline pixel %v, want %v", got, claimCol)
	}
	if got := at(fyne.NewPos(fx.X, claimLine+laneThick+laneGap+laneThick/2)); !near(got, figureCol) {
		t.Errorf("figure underline pixel %v, want %v", got, figureCol)
	}
	// The selected span gets an outline in its colour.
	v.SelectSpan("fig")
	img = w.Canvas().Capture()
	fs, _ := v.positionOf(31)
	if got := tvNRGBA(img.At(int(abs.X+fs.X-2), int(abs.Y+fs.Y+6))); !near(got, figureCol) {
		t.Errorf("outline pixel %v, want %v", got, figureCol)
	}
}

// blend composes the non-premultiplied c over opaque bg.
func blend(bg, c color.NRGBA) color.NRGBA {
	a := float64(c.A) / 255
	mix := func(b, f uint8) uint8 { return uint8(float64(b)*(1-a) + float64(f)*a + 0.5) }
	return color.NRGBA{mix(bg.R, c.R), mix(bg.G, c.G), mix(bg.B, c.B), 0xff}
}

func TestVirtualisation(t *testing.T) {
	test.NewTempApp(t)
	counts := map[int]int{}
	for _, size := range []int{100_000, 1_000_000} {
		text := bigText(size)
		marker := "ZEBRA-MARKER"
		cut := len(text) - 500
		for text[cut] != ' ' {
			cut++
		}
		text = text[:cut] + " " + marker + text[cut:]

		v := NewTextView()
		w := test.NewTempWindow(t, v)
		w.Resize(fyne.NewSize(900, 700))
		start := time.Now()
		v.SetText(text) // lays out the first screen and builds its objects
		elapsed := time.Since(start)
		w.Canvas().Capture() // and paints it (software painter)
		painted := time.Since(start)
		paras := strings.Count(text, "\n") + 1
		t.Logf("%d bytes, %d paragraphs: first screen laid out in %v, painted in %v", len(text), paras, elapsed, painted)
		if size == 1_000_000 && paras < 9000 {
			t.Errorf("only %d paragraphs", paras)
		}
		if elapsed > 300*time.Millisecond && !raceEnabled {
			t.Errorf("first screen of %d bytes took %v", len(text), elapsed)
		}
		objs := test.WidgetRenderer(v).Objects()
		counts[size] = len(objs)
		if len(objs) > 500 {
			t.Errorf("%d bytes: %d canvas objects", len(text), len(objs))
		}
		laidOut := 0
		for _, l := range v.doc.lay {
			if l != nil {
				laidOut++
			}
		}
		if laidOut > 100 {
			t.Errorf("%d paragraphs laid out for the first screen", laidOut)
		}

		off := len([]rune(text[:strings.Index(text, marker)]))
		v.ScrollToOffset(off)
		found := false
		for _, o := range test.WidgetRenderer(v).Objects() {
			if tx, ok := o.(*canvas.Text); ok && strings.Contains(tx.Text, marker) {
				found = tx.Position().Y >= 0 && tx.Position().Y < v.Size().Height
			}
		}
		if !found {
			t.Errorf("%d bytes: after ScrollToOffset(%d) the marker is not on screen", len(text), off)
		}
		if p, _ := v.positionOf(off); p.Y < 0 || p.Y > v.Size().Height {
			t.Errorf("marker at y=%v", p.Y)
		}
		if n := len(test.WidgetRenderer(v).Objects()); n > 500 {
			t.Errorf("after scrolling: %d objects", n)
		}
		// Ctrl+End and Ctrl+Home reach both ends of the document.
		v.TypedShortcut(ctrlKey(fyne.KeyEnd))
		if got := v.offsetAt(fyne.NewPos(v.m.colX, v.Size().Height-v.m.padY-1)); got < len(v.doc.runes)-200 {
			t.Errorf("End shows offset %d of %d at the bottom", got, len(v.doc.runes))
		}
		v.TypedShortcut(ctrlKey(fyne.KeyHome))
		if v.topPara != 0 || v.topDy != 0 {
			t.Errorf("Ctrl+Home: top %d+%v", v.topPara, v.topDy)
		}
	}
	if d := counts[1_000_000] - counts[100_000]; d > 20 || d < -20 {
		t.Errorf("object count depends on length: %v", counts)
	}
}

func TestScrollingKeepsContentStable(t *testing.T) {
	v, _ := newTestView(t, bigText(200_000), fyne.NewSize(800, 600))
	// Scroll down and back up by the same amount: the top offset returns.
	top := v.offsetAt(fyne.NewPos(v.m.colX, v.m.padY+5))
	for range 40 {
		v.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, -137)})
	}
	mid := v.offsetAt(fyne.NewPos(v.m.colX, v.m.padY+5))
	if mid <= top {
		t.Fatalf("scrolling down did not move: %d -> %d", top, mid)
	}
	for range 40 {
		v.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, 137)})
	}
	if back := v.offsetAt(fyne.NewPos(v.m.colX, v.m.padY+5)); back != top {
		t.Errorf("scrolled back to offset %d, want %d", back, top)
	}
	// The scroll bar thumb follows; dragging it to the bottom reaches the end.
	_, _, thumbH, ok := v.scrollGeometry()
	if !ok {
		t.Fatal("no scroll bar")
	}
	x := v.Size().Width - 5
	v.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(x, thumbH/2)}, Button: desktop.MouseButtonPrimary})
	v.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(x, v.Size().Height+50)}})
	v.DragEnd()
	if _, _, ok := v.Selection(); ok {
		t.Error("dragging the scroll bar selected text")
	}
	if got := v.offsetAt(fyne.NewPos(v.m.colX, v.Size().Height-v.m.padY-1)); got < len(v.doc.runes)-200 {
		t.Errorf("thumb at the bottom shows offset %d of %d", got, len(v.doc.runes))
	}
}

func TestResizeRewraps(t *testing.T) {
	v, w := newTestView(t, sample, fyne.NewSize(800, 600))
	p, _ := v.positionOf(47) // "Second" after the blank line
	w.Resize(fyne.NewSize(200, 600))
	q, _ := v.positionOf(47)
	if q.Y <= p.Y {
		t.Errorf("narrow view: second paragraph at y=%v, was %v", q.Y, p.Y)
	}
	for _, l := range v.doc.lay[0].lines {
		if l.width > v.m.colW {
			t.Errorf("line %q is %v wide in a %v column", l.disp, l.width, v.m.colW)
		}
	}
	// Very wide: the column stops at 80 ems.
	w.Resize(fyne.NewSize(3000, 600))
	if v.m.colW > maxEms*v.m.textSize {
		t.Errorf("column %v wider than 80 ems", v.m.colW)
	}
}

func TestCopyShortcut(t *testing.T) {
	v, _ := newTestView(t, sample, fyne.NewSize(800, 600))
	v.SetSelection(14, 21)
	v.TypedShortcut(&fyne.ShortcutCopy{})
	if got := fyne.CurrentApp().Clipboard().Content(); got != "council" {
		t.Errorf("clipboard %q", got)
	}
}

func TestContinuedSpanKeepsItsTag(t *testing.T) {
	v, _ := newTestView(t, bigText(20_000), fyne.NewSize(600, 300))
	v.SetSpans([]Span{{ID: "long", Start: 0, End: 5000, Label: "Claim", Color: claimCol}})
	countTags := func() int {
		n := 0
		for _, tg := range v.tags {
			if tg.id == "long" {
				n++
			}
		}
		return n
	}
	if n := countTags(); n != 1 {
		t.Fatalf("%d tags at the top", n)
	}
	v.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, -1000/v.wheelStep())}) // 1000 px
	if n := countTags(); n != 1 {
		t.Errorf("%d tags after scrolling into the span, want 1 on the top line", n)
	}
	if v.tags[0].pos.Y < 0 || v.tags[0].pos.Y > 2*v.m.maxLineH() {
		t.Errorf("continued tag at y=%v", v.tags[0].pos.Y)
	}
}

// Every character boundary on screen maps to a position that maps back to
// it, at several widths.
func TestOffsetPositionRoundTrip(t *testing.T) {
	text := "Über  die Brücke — “quoted” naïve café, five-year-old $3.5bn 12%.\n\n\tTabbed line with a verylongwordthatmustbesplitacrosslinesbecauseitistoolong end.\nLast"
	for _, width := range []float32{220, 400, 900} {
		v, _ := newTestView(t, text, fyne.NewSize(width, 600))
		n := len(v.doc.runes)
		for off := 0; off <= n; off++ {
			p, h := v.positionOf(off)
			if p.Y < 0 || p.Y > v.Size().Height {
				continue
			}
			got := v.offsetAt(p.AddXY(0.01, h/2))
			want := off
			// A wrapped line's end maps to the start of the next line, and
			// the boundary after a hanging space is the same x as the
			// line end: both are fine as long as they are the same point.
			if got != want {
				q, _ := v.positionOf(got)
				if q != p {
					t.Errorf("width %v: offset %d at %v maps back to %d (at %v)", width, off, p, got, q)
				}
			}
			if off < n && v.doc.runes[off] != '\n' {
				if c := v.charAt(p.AddXY(0.5, h/2)); c != off && !isBreakSpace(v.doc.runes[off]) {
					q, _ := v.positionOf(off + 1)
					if q.X > p.X+0.5 { // zero-width characters cannot be hit
						t.Errorf("width %v: charAt over %d (%q) = %d", width, off, v.doc.runes[off], c)
					}
				}
			}
		}
	}
}

func TestShortcutsOtherThanCopyAreForwarded(t *testing.T) {
	v := NewTextView()
	var got []string
	v.OnShortcut = func(s fyne.Shortcut) { got = append(got, s.ShortcutName()) }
	v.TypedShortcut(&fyne.ShortcutRedo{})
	v.TypedShortcut(&fyne.ShortcutCopy{})
	if len(got) != 1 || got[0] != (&fyne.ShortcutRedo{}).ShortcutName() {
		t.Errorf("forwarded %v, want only Redo", got)
	}
}

// An unchanged view lists the same objects in the same order at every
// layout: Fyne relayouts a widget whose objects changed places, so texts
// alike swapping places (the pool took them last first) made the idle
// window lay itself out and redraw at every frame.
func TestLayoutKeepsObjectsInPlace(t *testing.T) {
	v, w := newTestView(t, "> one\n>\n> two\n>\n> three the the the", fyne.NewSize(500, 300))
	v.SetSpans([]Span{{ID: "a", Start: 2, End: 5, Label: "Claim", Color: claimCol}, {ID: "b", Start: 10, End: 13, Label: "Claim", Color: claimCol}})
	r := test.WidgetRenderer(v)
	r.Layout(w.Canvas().Size())
	first := slices.Clone(r.Objects())
	for i := range 3 {
		r.Layout(w.Canvas().Size())
		if got := r.Objects(); !slices.Equal(got, first) {
			t.Fatalf("layout %d: %d objects, not the %d of the layout before in the same places", i+2, len(got), len(first))
		}
	}
}
