package widgets

import (
	"image"
	"image/color"
	"slices"

	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

const styleText = "The council approved 280,000 homes, a five-year-old plan costing $3.5bn that critics called reckless, while 12% of residents said they would move.\n\nSecond paragraph. The minister proposed a new tax on second homes to fund the scheme."

func spanOf(t *testing.T, text, s string) (int, int) {
	t.Helper()
	rs, sr := []rune(text), []rune(s)
	for i := 0; i+len(sr) <= len(rs); i++ {
		if string(rs[i:i+len(sr)]) == s {
			return i, i + len(sr)
		}
	}
	t.Fatalf("%q not found", s)
	return 0, 0
}

func TestOutlineStylesLook(t *testing.T) {
	v, w := newTestView(t, styleText, fyne.NewSize(760, 260))
	c0, c1 := spanOf(t, styleText, "The council approved 280,000 homes")
	f0, f1 := spanOf(t, styleText, "280,000")
	p0, p1 := spanOf(t, styleText, "$3.5bn")
	q0, q1 := spanOf(t, styleText, "12% of residents")
	r0, r1 := spanOf(t, styleText, "The minister proposed a new tax on second homes")
	v.SetSpans([]Span{
		{ID: "a1", Start: c0, End: c1, Label: "Claim", Color: claimCol, Style: OutlineSolid, Tag: "Claim · Ann"},
		{ID: "b1", Start: c0, End: c1, Label: "Claim", Color: claimCol, Style: OutlineDashed, Tag: "Claim · Ben"},
		{ID: "a2", Start: f0, End: f1, Label: "Figure", Color: figureCol, Style: OutlineSolid, Mark: color.NRGBA{0x00, 0x9e, 0x73, 0xff}},
		{ID: "b2", Start: p0, End: p1, Label: "Figure", Color: figureCol, Style: OutlineDotted, Mark: color.NRGBA{0xd5, 0x5e, 0x00, 0xff}},
		{ID: "c3", Start: q0, End: q1, Label: "Figure", Color: propCol, Style: OutlineDouble},
		{ID: "a4", Start: r0, End: r1, Label: "Proposal", Color: propCol, Style: OutlineDashed},
	})
	img := w.Canvas().Capture()
	savePNG(t, img, "textview-styles.png")
	savePNG(t, zoom(img, image.Rect(0, 0, 380, 100), 3), "textview-styles-zoom.png")
	// Narrow: the boxes of wrapped spans stay open where they continue; a
	// selected boxed span gets the selection outline around its box.
	w.Resize(fyne.NewSize(380, 300))
	v.SelectSpan("a4")
	savePNG(t, w.Canvas().Capture(), "textview-styles-narrow.png")
	w.Resize(fyne.NewSize(760, 260))
	v.SelectSpan("")
	fyne.CurrentApp().Settings().SetTheme(lightTheme{})
	v.Refresh()
	img = w.Canvas().Capture()
	savePNG(t, img, "textview-styles-light.png")
	savePNG(t, zoom(img, image.Rect(0, 0, 380, 100), 3), "textview-styles-light-zoom.png")
}

// textsOf returns the Text of the renderer's canvas.Text objects.
func textsOf(v *TextView) []string {
	var out []string
	for _, o := range test.WidgetRenderer(v).Objects() {
		if tx, ok := o.(*canvas.Text); ok {
			out = append(out, tx.Text)
		}
	}
	return out
}

func TestTagOverride(t *testing.T) {
	v, _ := newTestView(t, sample, fyne.NewSize(800, 300))
	v.SetSpans([]Span{{ID: "a", Start: 10, End: 21, Label: "Claim", Color: claimCol, Tag: "Claim · Ann"}})
	got := strings.Join(textsOf(v), "|")
	if !strings.Contains(got, "Claim · Ann") || strings.Contains(got, "|Claim|") {
		t.Errorf("texts %q: want the tag override and not the label", got)
	}
	v.SetSpans([]Span{{ID: "a", Start: 10, End: 21, Label: "Claim", Color: claimCol}})
	if got := textsOf(v); !containsStr(got, "Claim") {
		t.Errorf("texts %q: want the label as tag", got)
	}
}

func containsStr(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func nearCol(a, b color.NRGBA) bool {
	d := func(x, y uint8) int { return max(int(x)-int(y), int(y)-int(x)) }
	return d(a.R, b.R) <= 24 && d(a.G, b.G) <= 24 && d(a.B, b.B) <= 24
}

// runsAlong samples the pixels of img on row y from x0 to x1 and returns how
// many are near c and how many times the row switches between c and not c.
func runsAlong(img image.Image, y, x0, x1 int, c color.NRGBA) (on, switches int) {
	prev := false
	for x := x0; x < x1; x++ {
		is := nearCol(tvNRGBA(img.At(x, y)), c)
		if is {
			on++
		}
		if x > x0 && is != prev {
			switches++
		}
		prev = is
	}
	return on, switches
}

func TestOutlineStylesRender(t *testing.T) {
	v, w := newTestView(t, sample, fyne.NewSize(800, 300))
	// "the council" solid, "280,000" dashed, "homes" dotted: all in lane 0.
	v.SetSpans([]Span{
		{ID: "s", Start: 10, End: 21, Label: "Claim", Color: claimCol, Style: OutlineSolid},
		{ID: "d", Start: 31, End: 38, Label: "Claim", Color: claimCol, Style: OutlineDashed},
		{ID: "o", Start: 39, End: 44, Label: "Claim", Color: claimCol, Style: OutlineDotted},
		{ID: "w", Start: 47, End: 53, Label: "Claim", Color: claimCol, Style: OutlineDouble},
	})
	img := w.Canvas().Capture()
	savePNG(t, img, "textview-outline-test.png")
	abs := v.Position()
	// The bottom edge of a lane-0 box is the underline's place: its middle
	// row is one below lane 0's top.
	row := func(off int) int {
		p, li := v.lineOf(off)
		return int(abs.Y + laneY(v, p, li) + 1)
	}
	span := func(a, b int) (int, int) {
		pa, _ := v.positionOf(a)
		pb, _ := v.positionOf(b)
		return int(abs.X+pa.X) + 1, int(abs.X+pb.X) - 1
	}
	x0, x1 := span(10, 21)
	if on, sw := runsAlong(img, row(10), x0, x1, claimCol); on != x1-x0 || sw != 0 {
		t.Errorf("solid bottom edge: %d of %d pixels inked, %d switches; want continuous", on, x1-x0, sw)
	}
	x0, x1 = span(31, 38)
	on, sw := runsAlong(img, row(31), x0, x1, claimCol)
	if wantSw := (x1 - x0) / dashPeriod; sw < wantSw || on < (x1-x0)/2 || on == x1-x0 {
		t.Errorf("dashed bottom edge: %d of %d pixels inked, %d switches; want dashes (>= %d switches)", on, x1-x0, sw, wantSw)
	}
	x0, x1 = span(39, 44)
	on, sw = runsAlong(img, row(39), x0, x1, claimCol)
	if wantSw := (x1 - x0) / dotPeriod; sw < wantSw || on > (x1-x0)*3/4 {
		t.Errorf("dotted bottom edge: %d of %d pixels inked, %d switches; want dots (>= %d switches)", on, x1-x0, sw, wantSw)
	}
	// The left side of the dashed box also alternates, going down.
	pa, h := v.positionOf(31)
	sx := int(abs.X+pa.X) - 2
	inked := 0
	for y := int(abs.Y + pa.Y); y < int(abs.Y+pa.Y+h); y++ {
		if nearCol(tvNRGBA(img.At(sx, y)), claimCol) || nearCol(tvNRGBA(img.At(sx+1, y)), claimCol) {
			inked++
		}
	}
	if inked == 0 || inked >= int(h)-1 {
		t.Errorf("dashed left side: %d of %v pixels inked", inked, h)
	}
	// Double: two lines with a gap, going down through the bottom edge.
	p, li := v.lineOf(47)
	dx0, _ := span(47, 53)
	ybot := int(abs.Y + laneY(v, p, li) + laneThick)
	var col []bool
	for y := ybot - 5; y < ybot+1; y++ {
		col = append(col, nearCol(tvNRGBA(img.At(dx0+4, y)), claimCol))
	}
	if !slices.Equal(col, []bool{false, false, true, false, true, false}) {
		t.Errorf("double bottom edge column %v, want two 1 px lines with a gap", col)
	}
	// No underline for boxed spans: their lane's row is the box edge only.
	if n := len(rectsFilled(v, claimCol)); n == 0 {
		t.Error("no solid edges drawn")
	}
}

func TestMarkBadge(t *testing.T) {
	v, w := newTestView(t, sample, fyne.NewSize(800, 300))
	mark := color.NRGBA{0x00, 0x9e, 0x73, 0xff}
	v.SetSpans([]Span{{ID: "a", Start: 10, End: 21, Label: "Claim", Color: claimCol, Mark: mark}})
	img := w.Canvas().Capture()
	var badge *canvas.Rectangle
	for _, r := range rectsFilled(v, mark) {
		badge = r
	}
	if badge == nil {
		t.Fatal("no badge rectangle in the mark colour")
	}
	c := v.Position().Add(badge.Position()).AddXY(badge.Size().Width/2, badge.Size().Height/2)
	if got := tvNRGBA(img.At(int(c.X), int(c.Y))); !nearCol(got, mark) {
		t.Errorf("badge centre pixel %v, want %v", got, mark)
	}
	// The badge sits before the tag text, and is part of the tag's hit area.
	var tagX float32
	for _, o := range test.WidgetRenderer(v).Objects() {
		if tx, ok := o.(*canvas.Text); ok && tx.Text == "Claim" {
			tagX = tx.Position().X
		}
	}
	if tagX < badge.Position().X+badge.Size().Width {
		t.Errorf("tag text at x=%v overlaps the badge ending at %v", tagX, badge.Position().X+badge.Size().Width)
	}
	test.TapAt(v, c)
	if v.SelectedSpan() != "a" {
		t.Errorf("tapping the badge selected %q", v.SelectedSpan())
	}
	// A mark without label or tag still draws its badge.
	v.SetSpans([]Span{{ID: "b", Start: 10, End: 21, Color: claimCol, Mark: mark}})
	if len(rectsFilled(v, mark)) != 1 {
		t.Error("no badge for a span without a label")
	}
}

func TestReadOnly(t *testing.T) {
	v, _ := newTestView(t, sample, fyne.NewSize(800, 300))
	if v.ReadOnly() {
		t.Fatal("new view is read-only")
	}
	v.SetSpans([]Span{{ID: "a", Start: 10, End: 21, Label: "Claim", Color: claimCol}})
	v.SetReadOnly(true)
	if !v.ReadOnly() {
		t.Fatal("ReadOnly() false after SetReadOnly(true)")
	}
	var keys []rune
	v.OnKey = func(r rune) bool { keys = append(keys, r); return true }
	deleted := 0
	v.OnDelete = func() { deleted++ }
	var selected, spans, shortcuts int
	v.OnSelectionChanged = func(int, int) { selected++ }
	v.OnSpanSelected = func(string) { spans++ }
	v.OnShortcut = func(fyne.Shortcut) { shortcuts++ }

	// Selecting still works, is reported and is drawn in the neutral colour.
	drag(v, inside(v, 16), inside(v, 35), 0)
	if s, e, ok := v.Selection(); !ok || s != 14 || e != 38 || selected != 1 {
		t.Errorf("read-only selection %d..%d %v, reported %d times", s, e, ok, selected)
	}
	if len(rectsFilled(v, v.m.selRO)) == 0 || len(rectsFilled(v, v.m.sel)) != 0 {
		t.Error("read-only selection not drawn in the neutral colour")
	}
	v.TypedShortcut(&fyne.ShortcutCopy{})
	if got := fyne.CurrentApp().Clipboard().Content(); got != "council approved 280,000" {
		t.Errorf("read-only copy put %q on the clipboard", got)
	}
	test.TapAt(v, inside(v, 16))
	if v.SelectedSpan() != "a" || spans != 1 {
		t.Errorf("read-only click selected %q, reported %d times", v.SelectedSpan(), spans)
	}
	v.TypedShortcut(&fyne.ShortcutUndo{})
	if shortcuts != 1 {
		t.Errorf("read-only view forwarded %d shortcuts, want 1", shortcuts)
	}

	// Keys that could edit reach nobody.
	v.TypedRune('1')
	v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	if len(keys) != 0 || deleted != 0 {
		t.Errorf("read-only view delivered %d keys and %d deletes, want none", len(keys), deleted)
	}

	v.SetReadOnly(false)
	v.TypedRune('1')
	v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	if len(keys) != 1 || deleted != 1 {
		t.Errorf("editable view delivered %d keys and %d deletes, want 1 and 1", len(keys), deleted)
	}
	v.SetSelection(14, 21)
	if len(rectsFilled(v, v.m.sel)) == 0 {
		t.Error("editable selection not in the theme colour")
	}
}

// Boxes on every line of a long text keep the object count bounded.
func TestOutlineVirtualisation(t *testing.T) {
	text := bigText(300_000)
	v, _ := newTestView(t, text, fyne.NewSize(900, 700))
	var spans []Span
	rs := []rune(text)
	for i, n := 0, 0; i+40 < len(rs); i += 37 {
		st := OutlineStyles[n%len(OutlineStyles)]
		spans = append(spans, Span{ID: strings.Repeat("x", 1) + string(rune('a'+n%26)) + itoa(n), Start: i, End: i + 30, Label: "Claim", Color: claimCol, Style: st})
		spans = append(spans, Span{ID: "y" + itoa(n), Start: i, End: i + 30, Label: "Claim", Color: figureCol, Style: OutlineStyles[(n+1)%len(OutlineStyles)]})
		n++
	}
	v.SetSpans(spans)
	n0 := len(test.WidgetRenderer(v).Objects())
	v.ScrollToOffset(len(rs) / 2)
	n1 := len(test.WidgetRenderer(v).Objects())
	t.Logf("%d spans: %d objects at the top, %d in the middle", len(spans), n0, n1)
	for _, n := range []int{n0, n1} {
		if n > 4000 {
			t.Errorf("%d objects on screen", n)
		}
	}
	// Scrolling by a line reuses the pattern rasters.
	before := map[*canvas.Raster]bool{}
	for _, o := range test.WidgetRenderer(v).Objects() {
		if r, ok := o.(*canvas.Raster); ok {
			before[r] = true
		}
	}
	v.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, -5)})
	reused, total := 0, 0
	for _, o := range test.WidgetRenderer(v).Objects() {
		if r, ok := o.(*canvas.Raster); ok {
			total++
			if before[r] {
				reused++
			}
		}
	}
	if total == 0 || reused < total*3/4 {
		t.Errorf("after a small scroll %d of %d edge rasters were reused", reused, total)
	}
}

func TestSelectedBoxedSpanDeepensTint(t *testing.T) {
	v, _ := newTestView(t, sample, fyne.NewSize(800, 300))
	v.SetSpans([]Span{{ID: "a", Start: 10, End: 21, Label: "Claim", Color: claimCol, Style: OutlineDashed}})
	if n := len(rectsFilled(v, tvAlpha(claimCol, 0.4))); n != 0 {
		t.Fatalf("%d deep tints before selecting", n)
	}
	v.SelectSpan("a")
	if n := len(rectsFilled(v, tvAlpha(claimCol, 0.4))); n != 1 {
		t.Errorf("%d deep tints for the selected boxed span, want 1", n)
	}
	for _, o := range test.WidgetRenderer(v).Objects() {
		if r, ok := o.(*canvas.Rectangle); ok && r.StrokeWidth > 0 {
			t.Errorf("selection ring drawn around a boxed span: %v", r)
		}
	}
}

func TestTagsPushedRightAreShortened(t *testing.T) {
	test.NewTempApp(t)
	style := fyne.TextStyle{Bold: true}
	full := fyne.MeasureText("Proposal · Maya Okafor", 10, style).Width
	if got := fitTag("Proposal · Maya Okafor", full+1, 10, style); got != "Proposal · Maya Okafor" {
		t.Errorf("a tag that fits was changed to %q", got)
	}
	got := fitTag("Proposal · Maya Okafor", full/2, 10, style)
	if !strings.HasSuffix(got, "…") || fyne.MeasureText(got, 10, style).Width > full/2 {
		t.Errorf("shortened to %q", got)
	}
	if got := fitTag("Proposal", 1, 10, style); got != "" {
		t.Errorf("nothing fits, got %q", got)
	}
}
