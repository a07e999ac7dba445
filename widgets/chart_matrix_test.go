package widgets

import (
	"math"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
)

func TestMatrix(t *testing.T) {
	test.NewTempApp(t)
	nan := math.NaN()
	names := []string{"Ann", "Ben", "Chloé Dupont-Aignan", "Dmitri"}
	vals := [][]float64{
		{1, 0.82, 0.41, nan},
		{0.82, 1, 0.12, 0.95},
		{0.41, 0.12, 1, 0.6},
		{nan, 0.95, 0.6}, // ragged: the missing one is on the diagonal
	}
	m := NewMatrix()
	m.SetTitle("Pairwise agreement (κ)")
	m.SetData(names, vals)
	var tapped [][2]int
	m.OnTapped = func(i, j int) { tapped = append(tapped, [2]int{i, j}) }
	w := test.NewTempWindow(t, container.NewVBox(m))
	w.Resize(fyne.NewSize(460, 260))
	dark, light := captureBoth(t, w, m, "matrix")

	r := test.WidgetRenderer(m).(*matrixRenderer)
	texts := chartTexts(m)
	for _, want := range []string{"Pairwise agreement (κ)", "Ann", "Ben", "Dmitri", "0.82", "0.95", "0.12", "0.00", "1.00"} {
		if !slices.Contains(texts, want) {
			t.Errorf("text %q not shown; texts %q", want, texts)
		}
	}
	count := func(s string) int {
		n := 0
		for _, x := range texts {
			if x == s {
				n++
			}
		}
		return n
	}
	if count("—") != 4 || count("n/a") != 2 {
		t.Errorf("%d diagonal dashes and %d n/a, want 4 and 2: %q", count("—"), count("n/a"), texts)
	}
	if !math.IsNaN(m.Value(3, 3)) || !math.IsNaN(m.Value(9, 0)) || m.Value(2, 3) != 0.6 {
		t.Errorf("Value: %v %v %v", m.Value(3, 3), m.Value(9, 0), m.Value(2, 3))
	}
	// Higher agreement is darker in the light theme (and bluer in both):
	// the 0.95 cell against the 0.12 one.
	cell := func(i, j int) *canvas.Rectangle { return r.cells[i*len(names)+j] }
	for _, img := range []struct {
		name   string
		darkOK bool
	}{{"light", false}, {"dark", true}} {
		src := light
		if img.darkOK {
			src = dark
		}
		hi := pixelAt(src, w, m, cell(1, 3))
		lo := pixelAt(src, w, m, cell(1, 2))
		if !(hi.B > hi.R && int(hi.B)-int(hi.R) > int(lo.B)-int(lo.R)) {
			t.Errorf("%s: 0.95 cell %v not bluer than 0.12 cell %v", img.name, hi, lo)
		}
	}
	if l := luminance(pixelAt(light, w, m, cell(1, 3))); l >= luminance(pixelAt(light, w, m, cell(1, 2))) {
		t.Error("light theme: high value not darker")
	}
	// The value text contrasts with its cell: white on dark blue.
	if c := r.texts[1*len(names)+3].Color; luminance(c) < 0.5 {
		t.Errorf("text on the 0.95 cell is %v", c)
	}
	// The long name is cut in the column header.
	if s := r.colHead[2].Text; s == names[2] {
		t.Errorf("column header %q not cut", s)
	}
	// Taps on value cells are reported, on the diagonal and n/a not.
	centre := func(i, j int) fyne.Position {
		c := cell(i, j)
		return c.Position().AddXY(c.Size().Width/2, c.Size().Height/2)
	}
	for _, ij := range [][2]int{{0, 1}, {1, 1}, {0, 3}, {2, 3}} {
		test.TapAt(m, centre(ij[0], ij[1]))
	}
	if !slices.Equal(tapped, [][2]int{{0, 1}, {2, 3}}) {
		t.Errorf("taps reported %v", tapped)
	}
	// MinSize grows with the names; an empty matrix says so.
	h := m.MinSize().Height
	m.SetData(append(names, "Eve", "Finn"), nil)
	if m.MinSize().Height <= h {
		t.Error("MinSize does not grow")
	}
	m.SetData(nil, nil)
	if !slices.Contains(chartTexts(m), "No data") {
		t.Errorf("empty matrix shows %q", chartTexts(m))
	}
}
