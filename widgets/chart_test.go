package widgets

import (
	"image"
	"image/color"
	"math"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
)

var (
	blueCol   = color.NRGBA{0x00, 0x72, 0xb2, 0xff}
	orangeCol = color.NRGBA{0xe6, 0x9f, 0x00, 0xff}
	greenCol  = color.NRGBA{0x00, 0x9e, 0x73, 0xff}
	greyCol   = color.NRGBA{0x99, 0x99, 0x99, 0xff}
)

// chartTexts returns the Text of every visible canvas.Text of the chart.
func chartTexts(c fyne.Widget) []string {
	var out []string
	for _, o := range test.WidgetRenderer(c).Objects() {
		if tx, ok := o.(*canvas.Text); ok && tx.Visible() {
			out = append(out, tx.Text)
		}
	}
	return out
}

// visibleBars returns the chart's visible rectangles filled with col.
func visibleBars(c fyne.Widget, col color.Color) []*canvas.Rectangle {
	var out []*canvas.Rectangle
	for _, o := range test.WidgetRenderer(c).Objects() {
		if r, ok := o.(*canvas.Rectangle); ok && r.Visible() && tvNRGBA(r.FillColor) == tvNRGBA(col) {
			out = append(out, r)
		}
	}
	return out
}

// pixelAt samples the capture at the centre of o, a child of the chart.
func pixelAt(img image.Image, w fyne.Window, chart, o fyne.CanvasObject) color.NRGBA {
	p := w.Content().Position().Add(chart.Position()).Add(o.Position()).AddXY(o.Size().Width/2, o.Size().Height/2)
	return tvNRGBA(img.At(int(p.X), int(p.Y)))
}

func TestBarChartGrouped(t *testing.T) {
	test.NewTempApp(t)
	c := NewBarChart("Agreement per label")
	c.SetRange(0, 1)
	c.SetData([]string{"Claim", "Figure", "Proposal", "Source attribution of a very long kind that must be cut"}, []BarSeries{
		{Name: "Cohen's κ", Color: blueCol, Values: []float64{0.82, 0.64, math.NaN(), -0.12}},
		{Name: "F1 (exact)", Color: orangeCol, Values: []float64{0.9, 0.71, 0.5}},
	})
	w := test.NewTempWindow(t, container.NewVBox(c))
	w.Resize(fyne.NewSize(520, 300))
	dark, _ := captureBoth(t, w, c, "barchart")

	blue, orange := visibleBars(c, blueCol), visibleBars(c, orangeCol)
	if len(blue) != 3 || len(orange) != 3 {
		t.Fatalf("%d blue and %d orange bars, want 3 and 3 (NaN and missing draw none)", len(blue), len(orange))
	}
	texts := chartTexts(c)
	for _, want := range []string{"Agreement per label", "Claim", "Figure", "Proposal", "0.82", "0.64", "n/a", "-0.12", "0.90", "0.71", "0.50"} {
		if !slices.Contains(texts, want) {
			t.Errorf("text %q not shown; texts %q", want, texts)
		}
	}
	// The long name is cut with an ellipsis.
	cut := false
	for _, s := range texts {
		if len(s) > 6 && s[:6] == "Source" {
			cut = s[len(s)-len("…"):] == "…"
		}
	}
	if !cut {
		t.Errorf("long category name not ellipsized: %q", texts)
	}
	// Lengths are proportional: 0.82 vs 0.64 on a 0..1 axis.
	if r := blue[0].Size().Width / blue[1].Size().Width; math.Abs(float64(r)-0.82/0.64) > 0.03 {
		t.Errorf("bar ratio %v, want %v", r, 0.82/0.64)
	}
	// The negative bar ends left of the zero line where the others start.
	if blue[2].Position().X+blue[2].Size().Width > blue[0].Position().X+0.5 {
		t.Errorf("negative bar at %v..%v, positive bars start at %v", blue[2].Position().X, blue[2].Position().X+blue[2].Size().Width, blue[0].Position().X)
	}
	// The bars are drawn in their colours.
	for _, b := range []*canvas.Rectangle{blue[0], orange[0]} {
		if got := pixelAt(dark, w, c, b); !nearCol(got, tvNRGBA(b.FillColor)) {
			t.Errorf("bar pixel %v, want %v", got, b.FillColor)
		}
	}
	// MinSize grows with the categories.
	h4 := c.MinSize().Height
	c.SetData([]string{"a", "b", "c", "d", "e", "f", "g", "h"}, []BarSeries{{Name: "x", Color: blueCol, Values: []float64{1, 2, 3, 4, 5, 6, 7, 8}}})
	if h8 := c.MinSize().Height; h8 <= h4 {
		t.Errorf("MinSize height %v with 8 categories, %v with 4", h8, h4)
	}
	if texts := chartTexts(c); !slices.Contains(texts, "8") || slices.Contains(texts, "8.00") {
		t.Errorf("whole values not written as integers: %q", texts)
	}
	c.Format = func(v float64) string { return "<" + strconvF(v) + ">" }
	c.Refresh()
	if texts := chartTexts(c); !slices.Contains(texts, "<8>") {
		t.Errorf("Format not used: %q", texts)
	}
	c.SetData(nil, nil)
	if texts := chartTexts(c); !slices.Contains(texts, "No data") {
		t.Errorf("empty chart shows %q", texts)
	}
}

func strconvF(v float64) string { return itoa(int(v)) }

func TestBarChartStacked(t *testing.T) {
	test.NewTempApp(t)
	c := NewBarChart("Progress")
	c.SetStacked(true)
	if !c.Stacked() {
		t.Fatal("Stacked() false")
	}
	c.SetData([]string{"Ann", "Ben", "Chloé"}, []BarSeries{
		{Name: "done", Color: greenCol, Values: []float64{30, 12, 0}},
		{Name: "in progress", Color: orangeCol, Values: []float64{4, 3, 1}},
		{Name: "to do", Color: greyCol, Values: []float64{6, 25, 39}},
	})
	w := test.NewTempWindow(t, container.NewVBox(c))
	w.Resize(fyne.NewSize(520, 220))
	dark, _ := captureBoth(t, w, c, "barchart-stacked")
	green := visibleBars(c, greenCol)
	if len(green) != 2 {
		t.Fatalf("%d done segments, want 2 (Chloé has none)", len(green))
	}
	// Ann: 30 + 4 + 6 = 40 wide as Chloé's 0 + 1 + 39; segments touch.
	grey := visibleBars(c, greyCol)
	or := visibleBars(c, orangeCol)
	annEnd := grey[0].Position().X + grey[0].Size().Width
	chloeEnd := grey[2].Position().X + grey[2].Size().Width
	if math.Abs(float64(annEnd-chloeEnd)) > 0.5 {
		t.Errorf("equal totals end at %v and %v", annEnd, chloeEnd)
	}
	if math.Abs(float64(green[0].Position().X+green[0].Size().Width-or[0].Position().X)) > 0.01 {
		t.Error("segments do not touch")
	}
	texts := chartTexts(c)
	for _, want := range []string{"Progress", "Ann", "Ben", "Chloé", "30", "25", "40"} {
		if !slices.Contains(texts, want) {
			t.Errorf("text %q not shown; texts %q", want, texts)
		}
	}
	if got := pixelAt(dark, w, c, green[0]); !nearCol(got, greenCol) {
		t.Errorf("done segment pixel %v", got)
	}
}
