package widgets

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
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
