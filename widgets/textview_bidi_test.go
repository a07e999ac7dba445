package widgets

import (
	"image"
	"image/color"
	"strings"
	"testing"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
)

// Right-to-left and mixed lines. The expected positions are computed here,
// independently of the view: the words of each line are hard-coded in the
// order a reader sees them, left to right, and placed with fyne.MeasureText
// widths from the column's left edge (a left-to-right paragraph) or so that
// they end at its right edge (a right-to-left one, right-aligned).

// letterWords is a Segmenter whose tokens are runs of letters, marks and
// digits, so that punctuation stays out of a snapped selection.
type letterWords struct{}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) }

func (letterWords) Snap(text []rune, start, end int) (int, int) {
	for start < end && !isWordRune(text[start]) {
		start++
	}
	for end > start && !isWordRune(text[end-1]) {
		end--
	}
	if start == end {
		return start, start
	}
	for start > 0 && isWordRune(text[start-1]) {
		start--
	}
	for end < len(text) && isWordRune(text[end]) {
		end++
	}
	return start, end
}

func (letterWords) WordAt(text []rune, i int) (int, int) {
	if i < 0 || i >= len(text) || !isWordRune(text[i]) {
		return i, i
	}
	return letterWords{}.Snap(text, i, i+1)
}

func (letterWords) SentenceAt(text []rune, i int) (int, int) { return spaceWords{}.SentenceAt(text, i) }

func newBidiView(t *testing.T, text string) *TextView {
	t.Helper()
	v, _ := newTestView(t, text, fyne.NewSize(800, 300))
	v.Segmenter = letterWords{}
	return v
}

// drawnPiece is where a piece of a line should be drawn (widget x).
type drawnPiece struct {
	s      string
	x0, x1 float32
}

// layOut places the pieces of line 0, given left to right as drawn, with
// MeasureText widths: from the column's left edge, or right-aligned.
func layOut(v *TextView, rightAligned bool, pieces ...string) []drawnPiece {
	out := make([]drawnPiece, len(pieces))
	var total float32
	for i, s := range pieces {
		w := fyne.MeasureText(s, v.m.textSize, fyne.TextStyle{}).Width
		out[i] = drawnPiece{s, total, total + w}
		total += w
	}
	x := v.m.colX
	if rightAligned {
		x = v.m.colX + v.m.colW - total
	}
	for i := range out {
		out[i].x0 += x
		out[i].x1 += x
	}
	return out
}

func pieceOf(t *testing.T, ds []drawnPiece, s string) drawnPiece {
	t.Helper()
	for _, d := range ds {
		if d.s == s {
			return d
		}
	}
	t.Fatalf("no piece %q", s)
	return drawnPiece{}
}

// words splits a line into words and single spaces: the pieces of layOut.
func words(s string) []string {
	var out []string
	for i, w := range strings.Split(s, " ") {
		if i > 0 {
			out = append(out, " ")
		}
		out = append(out, w)
	}
	return out
}

// midY is the widget y of the middle of line li of paragraph p's text.
func midY(v *TextView, p, li int) float32 {
	return v.lineScreenY(p, li) + v.doc.lay[p].lines[li].textTop + v.m.textH/2
}

func near(a, b float32) bool { return a-b < 1 && b-a < 1 }

// The cases of issue 9: drag from the middle of one drawn word to the middle
// of another and check the text of the selection the app would save.
func TestBidiDragSelectsWhatIsDrawn(t *testing.T) {
	cases := []struct {
		name, text string
		rtl        bool
		drawn      []string // left to right as drawn
		from, to   string
		want       string
	}{
		{"Arabic", "لن نقبل بأي اتفاق لا يضمن حصة عادلة", true,
			words("عادلة حصة يضمن لا اتفاق بأي نقبل لن"), "عادلة", "يضمن", "يضمن حصة عادلة"},
		{"Arabic backwards", "لن نقبل بأي اتفاق لا يضمن حصة عادلة", true,
			words("عادلة حصة يضمن لا اتفاق بأي نقبل لن"), "يضمن", "عادلة", "يضمن حصة عادلة"},
		{"Hebrew", "שלום עולם, מה שלומך?", true,
			[]string{"?", "שלומך", " ", "מה", " ", ",", "עולם", " ", "שלום"}, "שלומך", "מה", "מה שלומך"},
		{"quote in English", "He said «لن نقبل بأي اتفاق» today.", false,
			[]string{"He", " ", "said", " ", "«", "اتفاق", " ", "بأي", " ", "نقبل", " ", "لن", "»", " ", "today."}, "اتفاق", "بأي", "بأي اتفاق"},
		{"English around the quote", "He said «لن نقبل بأي اتفاق» today.", false,
			[]string{"He", " ", "said", " ", "«", "اتفاق", " ", "بأي", " ", "نقبل", " ", "لن", "»", " ", "today."}, "said", "He", "He said"},
		{"digits in Arabic", "عام 2024 كان.", true,
			[]string{".", "كان", " ", "2024", " ", "عام"}, "كان", "2024", "2024 كان"},
		{"digits in a quote", "The minister said «عام 2024 كان» today.", false,
			[]string{"The", " ", "minister", " ", "said", " ", "«", "كان", " ", "2024", " ", "عام", "»", " ", "today."}, "2024", "عام", "عام 2024"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := newBidiView(t, c.text)
			var saved string
			v.OnSelectionChanged = func(s, e int) { saved = string(v.doc.runes[s:e]) }
			ds := layOut(v, c.rtl, c.drawn...)
			y := midY(v, 0, 0)
			a, b := pieceOf(t, ds, c.from), pieceOf(t, ds, c.to)
			drag(v, fyne.NewPos((a.x0+a.x1)/2, y), fyne.NewPos((b.x0+b.x1)/2, y), 0)
			if saved != c.want || v.SelectedText() != c.want {
				t.Errorf("dragged from %s to %s: saved %q (selection %q), want %q", c.from, c.to, saved, v.SelectedText(), c.want)
			}
		})
	}
}

// The selection is highlighted over the words drawn: one rectangle for a
// run of one direction, two when it crosses into a quote.
func TestBidiSelectionHighlight(t *testing.T) {
	check := func(t *testing.T, v *TextView, want [][2]float32) {
		t.Helper()
		got := rectsFilled(v, v.m.sel)
		if len(got) != len(want) {
			t.Fatalf("%d selection rectangles, want %d", len(got), len(want))
		}
		for i, r := range got {
			x0, x1 := r.Position().X, r.Position().X+r.Size().Width
			if !near(x0, want[i][0]) || !near(x1, want[i][1]) {
				t.Errorf("rectangle %d spans %.1f..%.1f, want %.1f..%.1f", i, x0, x1, want[i][0], want[i][1])
			}
		}
	}
	t.Run("Arabic", func(t *testing.T) {
		text := "لن نقبل بأي اتفاق لا يضمن حصة عادلة"
		v := newBidiView(t, text)
		ds := layOut(v, true, words("عادلة حصة يضمن لا اتفاق بأي نقبل لن")...)
		s, e := spanOf(t, text, "يضمن حصة عادلة")
		v.SetSelection(s, e)
		check(t, v, [][2]float32{{pieceOf(t, ds, "عادلة").x0, pieceOf(t, ds, "يضمن").x1}})
	})
	t.Run("across the quote", func(t *testing.T) {
		text := "He said «لن نقبل بأي اتفاق» today."
		v := newBidiView(t, text)
		ds := layOut(v, false, "He", " ", "said", " ", "«", "اتفاق", " ", "بأي", " ", "نقبل", " ", "لن", "»", " ", "today.")
		s, e := spanOf(t, text, "said «لن")
		v.SetSelection(s, e)
		lan := pieceOf(t, ds, "لن")
		check(t, v, [][2]float32{{pieceOf(t, ds, "said").x0, pieceOf(t, ds, "«").x1}, {lan.x0, lan.x1}})
	})
}

// A span's tint and underline cover its drawn words, its tag ends at the
// right edge of its first (right-to-left) word, and a boxed span split by
// direction closes only the sides where it ends.
func TestBidiSpansDrawn(t *testing.T) {
	t.Run("Arabic", func(t *testing.T) {
		text := "لن نقبل بأي اتفاق لا يضمن حصة عادلة"
		v := newBidiView(t, text)
		s, e := spanOf(t, text, "نقبل بأي")
		v.SetSpans([]Span{{ID: "a", Start: s, End: e, Label: "Claim", Color: claimCol}})
		ds := layOut(v, true, words("عادلة حصة يضمن لا اتفاق بأي نقبل لن")...)
		x0, x1 := pieceOf(t, ds, "بأي").x0, pieceOf(t, ds, "نقبل").x1
		for name, rs := range map[string][]*canvas.Rectangle{"tint": rectsFilled(v, tvAlpha(claimCol, 0.25)), "underline": rectsFilled(v, claimCol)} {
			if len(rs) != 1 || !near(rs[0].Position().X, x0) || !near(rs[0].Position().X+rs[0].Size().Width, x1) {
				t.Errorf("%s: %v, want one from %.1f to %.1f", name, rectSpans(rs), x0, x1)
			}
		}
		if len(v.tags) != 1 {
			t.Fatalf("%d tags", len(v.tags))
		}
		if tg := v.tags[0]; !near(tg.pos.X+tg.size.Width, x1) {
			t.Errorf("tag ends at %.1f, want at the right edge of نقبل, %.1f", tg.pos.X+tg.size.Width, x1)
		}
	})
	t.Run("box across the quote", func(t *testing.T) {
		text := "He said «لن نقبل بأي اتفاق» today."
		v := newBidiView(t, text)
		s, e := spanOf(t, text, "said «لن")
		v.SetSpans([]Span{{ID: "a", Start: s, End: e, Label: "Claim", Color: claimCol, Style: OutlineSolid}})
		ds := layOut(v, false, "He", " ", "said", " ", "«", "اتفاق", " ", "بأي", " ", "نقبل", " ", "لن", "»", " ", "today.")
		said, quote, lan := pieceOf(t, ds, "said"), pieceOf(t, ds, "«"), pieceOf(t, ds, "لن")
		tints := rectsFilled(v, tvAlpha(claimCol, 0.25))
		if len(tints) != 2 || !near(tints[0].Position().X, said.x0) || !near(tints[0].Position().X+tints[0].Size().Width, quote.x1) ||
			!near(tints[1].Position().X, lan.x0) || !near(tints[1].Position().X+tints[1].Size().Width, lan.x1) {
			t.Errorf("tints %v, want %.1f..%.1f and %.1f..%.1f", rectSpans(tints), said.x0, quote.x1, lan.x0, lan.x1)
		}
		// Closed sides: the left of "said" (the start) and the left of لن
		// (the end: its last letter is drawn there).
		var sides []float32
		for _, r := range rectsFilled(v, claimCol) {
			if r.Size().Width == outlineThick && r.Size().Height > 4 {
				sides = append(sides, r.Position().X)
			}
		}
		round := func(x float32) float32 { return float32(int(x + 0.5)) }
		if len(sides) != 2 || !near(sides[0], round(said.x0-2)) || !near(sides[1], round(lan.x0-2)) {
			t.Errorf("box sides at %v, want at %.0f and %.0f", sides, round(said.x0-2), round(lan.x0-2))
		}
		if len(v.tags) != 1 || !near(v.tags[0].pos.X, said.x0) {
			t.Errorf("tags %v, want one at %.1f", v.tags, said.x0)
		}
	})
}

func rectSpans(rs []*canvas.Rectangle) [][2]float32 {
	var out [][2]float32
	for _, r := range rs {
		out = append(out, [2]float32{r.Position().X, r.Position().X + r.Size().Width})
	}
	return out
}

// The caret stands at the leading edge of its character (the right edge in
// right-to-left text); at the end of a right-to-left paragraph, at its left
// end.
func TestBidiCaret(t *testing.T) {
	text := "لن نقبل بأي اتفاق لا يضمن حصة عادلة"
	v := newBidiView(t, text)
	ds := layOut(v, true, words("عادلة حصة يضمن لا اتفاق بأي نقبل لن")...)
	s, _ := spanOf(t, text, "يضمن")
	for _, c := range []struct {
		off int
		x   float32
	}{{0, v.m.colX + v.m.colW}, {s, pieceOf(t, ds, "يضمن").x1}, {len(v.doc.runes), pieceOf(t, ds, "عادلة").x0}} {
		if p, _ := v.PositionOf(c.off); !near(p.X, c.x) {
			t.Errorf("PositionOf(%d).X = %.1f, want %.1f", c.off, p.X, c.x)
		}
	}
}

// ↓ from the start of "2024" in a right-to-left line goes to the column
// where 2024 begins as drawn (its left edge, near the right of the column),
// and ↑ comes back to it.
func TestBidiUpDownKeepTheDrawnColumn(t *testing.T) {
	arabic := "كان عام 2024 جيدا جدا"
	text := arabic + "\n" + strings.Repeat("x ", 100)
	v := newBidiView(t, text)
	ds := layOut(v, true, "جدا", " ", "جيدا", " ", "2024", " ", "عام", " ", "كان")
	goal := pieceOf(t, ds, "2024").x0
	start, _ := spanOf(t, text, "2024")
	// The caret stops of the English line below, as drawn: after "x" and
	// " " in turn.
	ps := len([]rune(arabic)) + 1
	xw := fyne.MeasureText("x", v.m.textSize, fyne.TextStyle{}).Width
	sw := fyne.MeasureText(" ", v.m.textSize, fyne.TextStyle{}).Width
	want, best := ps, float32(1e9)
	for k, x := 0, v.m.colX; x < v.m.colX+v.m.colW-xw; k++ {
		if d := max(x-goal, goal-x); d < best {
			want, best = ps+k, d
		}
		if k%2 == 0 {
			x += xw
		} else {
			x += sw
		}
	}
	v.SetSelection(start, start)
	press(v, fyne.KeyDown)
	if v.Caret() != want {
		t.Errorf("↓ from 2024 (drawn at x %.1f) went to %d, want %d", goal, v.Caret(), want)
	}
	press(v, fyne.KeyUp)
	if v.Caret() != start {
		t.Errorf("↑ came back to %d, want %d", v.Caret(), start)
	}
}

// The selected span's handles stand at its drawn ends (the start at the
// right of its first word, the end at the left of its last, knobs leaning
// out), and dragging the end handle over the next word drawn to the left
// extends the span by that word.
func TestBidiSpanHandles(t *testing.T) {
	text := "لن نقبل بأي اتفاق لا يضمن حصة عادلة"
	v := newBidiView(t, text)
	s, e := spanOf(t, text, "بأي اتفاق")
	v.SetSpans([]Span{{ID: "a", Start: s, End: e, Label: "Claim", Color: claimCol}})
	v.SelectSpan("a")
	var edges []int
	v.OnSpanEdges = func(_ string, s, e int) { edges = []int{s, e} }
	ds := layOut(v, true, words("عادلة حصة يضمن لا اتفاق بأي نقبل لن")...)
	h0, h1 := handleAt(t, v, 0), handleAt(t, v, 1)
	if want := pieceOf(t, ds, "بأي").x1 + 3; !near(h0.X, want) {
		t.Errorf("start handle at x %.1f, want %.1f", h0.X, want)
	}
	if want := pieceOf(t, ds, "اتفاق").x0 - 3; !near(h1.X, want) {
		t.Errorf("end handle at x %.1f, want %.1f", h1.X, want)
	}
	la := pieceOf(t, ds, "لا")
	dragHandle(v, h1, fyne.NewPos((la.x0+la.x1)/2, h1.Y), 0, nil)
	if len(edges) != 2 || string(v.doc.runes[edges[0]:edges[1]]) != "بأي اتفاق لا" {
		t.Errorf("OnSpanEdges %v, want the extent of بأي اتفاق لا", edges)
	}
}

// inkBlobs returns the bounding boxes of the runs of columns with ink
// (pixels far from the background colour bg) within rows [y0, y1), left to
// right.
func inkBlobs(img image.Image, y0, y1 int, bg color.Color) []image.Rectangle {
	far := func(c color.Color) bool {
		r1, g1, b1, _ := c.RGBA()
		r2, g2, b2, _ := bg.RGBA()
		d := func(a, b uint32) int { return max(int(a)-int(b), int(b)-int(a)) >> 8 }
		return d(r1, r2)+d(g1, g2)+d(b1, b2) > 120
	}
	var blobs []image.Rectangle
	in := false
	for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
		top, bottom := -1, -1
		for y := y0; y < y1; y++ {
			if far(img.At(x, y)) {
				if top < 0 {
					top = y
				}
				bottom = y + 1
			}
		}
		switch {
		case top >= 0 && !in:
			blobs = append(blobs, image.Rect(x, top, x+1, bottom))
			in = true
		case top >= 0:
			b := &blobs[len(blobs)-1]
			b.Max.X = x + 1
			b.Min.Y, b.Max.Y = min(b.Min.Y, top), max(b.Max.Y, bottom)
		default:
			in = false
		}
	}
	return blobs
}

// opensRight reports whether the glyph in blob is shaped like "(": its ink
// at the top and bottom lies right of its ink in the middle.
func opensRight(img image.Image, b image.Rectangle, bg color.Color) bool {
	meanX := func(y0, y1 int) float32 {
		var sum, n float32
		for y := y0; y < y1; y++ {
			for _, bl := range inkBlobs(img, y, y+1, bg) {
				if bl.Min.X >= b.Min.X && bl.Max.X <= b.Max.X {
					sum += float32(bl.Min.X+bl.Max.X) / 2
					n++
				}
			}
		}
		return sum / max(n, 1)
	}
	h := b.Dy()
	ends := (meanX(b.Min.Y, b.Min.Y+h/4) + meanX(b.Max.Y-h/4, b.Max.Y)) / 2
	return ends > meanX(b.Min.Y+h*3/8, b.Max.Y-h*3/8)+0.5
}

// The glyphs land in visual order: the full stop ending an Arabic sentence
// is drawn at its left end, and "(مرحبا)" starts with "(" on the left and
// ends with ")" on the right, whatever Fyne's painter would do with the
// logical string.
func TestBidiDrawnOrder(t *testing.T) {
	// shot draws text and returns the ink of its first line; o is the
	// view's place in the window's image (its padding).
	shot := func(t *testing.T, text string) (v *TextView, img image.Image, blobs []image.Rectangle, bg color.Color, o fyne.Position) {
		v, w := newTestView(t, text, fyne.NewSize(800, 120))
		img = w.Canvas().Capture()
		savePNG(t, img, "bidi-order.png")
		o = v.Position() // the window's padding: the view is its content
		y := o.Y + v.lineScreenY(0, 0)
		bg = img.At(int(o.X)+2, int(y+v.m.textH/2))
		return v, img, inkBlobs(img, int(y), int(y+v.m.textH), bg), bg, o
	}
	t.Run("full stop", func(t *testing.T) {
		v, _, blobs, _, o := shot(t, "عام 2024 كان.")
		if len(blobs) < 3 {
			t.Fatalf("%d glyph blobs", len(blobs))
		}
		dot := blobs[0]
		base := int(o.Y + v.lineScreenY(0, 0) + v.m.baseline)
		if dot.Dx() > 3 || dot.Dy() > 3 || dot.Max.Y < base-1 || dot.Max.Y > base+2 {
			t.Errorf("leftmost glyph %v is no full stop on the baseline (y %d)", dot, base)
		}
		if x := o.X + layOut(v, true, ".", "كان", " ", "2024", " ", "عام")[0].x0; float32(dot.Min.X) < x-1 || float32(dot.Min.X) > x+3 {
			t.Errorf("full stop at x %d, want at the line's left end, %.1f", dot.Min.X, x)
		}
		for _, b := range blobs[1:] {
			if b.Dx() <= 3 && b.Dy() <= 3 && b.Max.Y >= base-1 {
				t.Errorf("another full stop at %v", b)
			}
		}
	})
	t.Run("brackets", func(t *testing.T) {
		v, img, blobs, bg, o := shot(t, "(مرحبا)")
		if len(blobs) < 3 {
			t.Fatalf("%d glyph blobs", len(blobs))
		}
		first, last := blobs[0], blobs[len(blobs)-1]
		if !opensRight(img, first, bg) {
			t.Errorf("leftmost glyph %v is not (", first)
		}
		if opensRight(img, last, bg) {
			t.Errorf("rightmost glyph %v is not )", last)
		}
		if x := o.X + layOut(v, true, "(", "مرحبا", ")")[0].x0; float32(first.Min.X) < x-1 || float32(first.Min.X) > x+3 {
			t.Errorf("( at x %d, want at the line's left end, %.1f", first.Min.X, x)
		}
	})
}

// English paragraphs next to Arabic ones keep the plain layout: no visual
// pieces, drawn from the column's left edge as one logical string.
func TestBidiLeavesEnglishAlone(t *testing.T) {
	text := "The council approved 280,000 homes.\nلن نقبل بأي اتفاق"
	v := newBidiView(t, text)
	ln := &v.doc.lay[0].lines[0]
	if ln.bidi != nil || ln.disp != "The council approved 280,000 homes." {
		t.Errorf("English line: bidi %v, disp %q", ln.bidi != nil, ln.disp)
	}
	if v.doc.lay[1] == nil || v.doc.lay[1].lines[0].bidi == nil {
		t.Error("Arabic paragraph has no visual layout")
	}
	ds := layOut(v, false, words("The council approved 280,000 homes.")...)
	s, _ := spanOf(t, text, "approved")
	if p, _ := v.PositionOf(s); !near(p.X, pieceOf(t, ds, "approved").x0) {
		t.Errorf("approved at x %.1f, want %.1f", p.X, pieceOf(t, ds, "approved").x0)
	}
	a, b := pieceOf(t, ds, "council"), pieceOf(t, ds, "homes.")
	y := midY(v, 0, 0)
	drag(v, fyne.NewPos((a.x0+a.x1)/2, y), fyne.NewPos((b.x0+b.x1)/2, y), 0)
	if got := v.SelectedText(); got != "council approved 280,000 homes" {
		t.Errorf("drag selected %q", got)
	}
}

// Every caret stop of mixed text, wrapped at several widths, maps to a
// position that maps back to it (or to another stop drawn at the same x),
// and the character just inside a stop's leading edge is the one there.
func TestBidiOffsetPositionRoundTrip(t *testing.T) {
	text := "He said «لن نقبل بأي اتفاق لا يضمن حصة عادلة» today, (قال) 2024.\n" +
		"«لن نقبل بأي اتفاق لا يضمن حصة عادلة من المياه لكل الأجيال القادمة.» عام 2024 كان، שלום עולם (v2)."
	for _, width := range []float32{260, 420, 900} {
		v, _ := newTestView(t, text, fyne.NewSize(width, 600))
		rs := v.doc.runes
		for off := 0; off <= len(rs); off++ {
			if !isBoundary(rs, off) {
				continue
			}
			p, h := v.positionOf(off)
			got := v.offsetAt(p.AddXY(0, h/2))
			if q, _ := v.positionOf(got); got != off && !near(q.X, p.X) {
				t.Errorf("width %v: offset %d at %v maps back to %d (at %v)", width, off, p, got, q)
			}
			if off == len(rs) || isBreakSpace(rs[off]) {
				continue
			}
			pi, li := v.lineOf(off)
			_, rtl := v.lineX(&v.doc.lay[pi].lines[li], off-v.doc.paraStart[pi])
			dx := float32(0.5)
			if rtl {
				dx = -0.5
			}
			if c := v.charAt(p.AddXY(dx, h/2)); c != off {
				t.Errorf("width %v: charAt just inside %d (%q) = %d", width, off, rs[off], c)
			}
		}
	}
}
