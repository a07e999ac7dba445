package widgets

import (
	"image/color"
	"math"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Matrix is a heat-map table of pairwise values (e.g. agreement between
// annotators): row and column headers with the names (cut with an ellipsis
// when long), one cell per pair coloured on a single-hue blue scale (from
// the background's tint to Okabe–Ito blue #0072B2 in a light theme, to sky
// blue #56B4E9 in a dark one, so more agreement always means more blue and
// the scale reads for colour-blind users), the value written in the cell
// ("0.82"), "n/a" for a NaN or missing value and "—" on the diagonal. A
// colour key under the table shows the scale's ends.
//
// The scale covers [0, 1] unless SetRange says otherwise; values outside it
// take the end colours. Create it with NewMatrix; call its methods from the
// UI goroutine.
type Matrix struct {
	widget.BaseWidget

	// Format writes a value; nil writes two decimals. Call Refresh after
	// changing it.
	Format func(float64) string
	// OnTapped, when set, receives the row and column of a tapped cell that
	// holds a value (not the diagonal, not n/a).
	OnTapped func(row, col int)

	title  string
	names  []string
	values [][]float64
	lo, hi float64
	rend   *matrixRenderer
}

var (
	_ fyne.Widget   = (*Matrix)(nil)
	_ fyne.Tappable = (*Matrix)(nil)
)

// NewMatrix returns an empty matrix with the scale [0, 1].
func NewMatrix() *Matrix {
	m := &Matrix{hi: 1}
	m.ExtendBaseWidget(m)
	return m
}

// SetTitle sets a bold title above the table ("" for none).
func (m *Matrix) SetTitle(title string) {
	m.title = title
	m.Refresh()
}

// SetData replaces the names and the values: values[i][j] is the value of
// names[i] (row) against names[j] (column); NaN or a missing entry shows
// "n/a". The slices are copied.
func (m *Matrix) SetData(names []string, values [][]float64) {
	m.names = append(m.names[:0:0], names...)
	m.values = make([][]float64, len(names))
	for i := range names {
		row := make([]float64, len(names))
		for j := range row {
			row[j] = math.NaN()
			if i < len(values) && j < len(values[i]) {
				row[j] = values[i][j]
			}
		}
		m.values[i] = row
	}
	m.Refresh()
}

// SetRange sets the values at the light and the dark end of the colour
// scale (default 0 and 1).
func (m *Matrix) SetRange(lo, hi float64) {
	if hi == lo {
		hi = lo + 1
	}
	m.lo, m.hi = min(lo, hi), max(lo, hi)
	m.Refresh()
}

// Value returns the value at row i, column j (NaN when out of range).
func (m *Matrix) Value(i, j int) float64 {
	if i < 0 || j < 0 || i >= len(m.values) || j >= len(m.values) {
		return math.NaN()
	}
	return m.values[i][j]
}

func (m *Matrix) format() func(float64) string {
	if m.Format != nil {
		return m.Format
	}
	return func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
}

func hasValue(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Tapped reports a tap on a cell with a value to OnTapped.
func (m *Matrix) Tapped(ev *fyne.PointEvent) {
	if m.OnTapped == nil || m.rend == nil {
		return
	}
	i, j, ok := m.rend.cellAt(ev.Position)
	if ok && i != j && hasValue(m.values[i][j]) {
		m.OnTapped(i, j)
	}
}

// CreateRenderer implements fyne.Widget.
func (m *Matrix) CreateRenderer() fyne.WidgetRenderer {
	m.ExtendBaseWidget(m)
	r := &matrixRenderer{m: m, chartFrame: newChartFrame(),
		ramp:   canvas.NewHorizontalGradient(color.Black, color.White),
		rampLo: canvas.NewText("", color.Black), rampHi: canvas.NewText("", color.Black),
	}
	m.rend = r
	r.Refresh()
	return r
}

type matrixRenderer struct {
	m *Matrix
	chartFrame
	ramp           *canvas.LinearGradient
	rampLo, rampHi *canvas.Text
	rowHead        []*canvas.Text
	colHead        []*canvas.Text
	cells          []*canvas.Rectangle // n*n, row-major
	texts          []*canvas.Text
	objects        []fyne.CanvasObject

	low, high, blank color.NRGBA
	headW, cellMinW  float32

	// geometry of the last layout
	x0, y0, cw, ch float32
}

const (
	matrixCellH   = 28
	matrixGap     = 2
	matrixMaxCell = 96
	matrixHeadMax = 160
	matrixRampW   = 120
	matrixRampH   = 8
)

func (r *matrixRenderer) Destroy() {}

func (r *matrixRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *matrixRenderer) n() int { return len(r.m.names) }

// scaleColor is the cell colour for value v.
func (r *matrixRenderer) scaleColor(v float64) color.NRGBA {
	t := (v - r.m.lo) / (r.m.hi - r.m.lo)
	t = min(max(t, 0), 1)
	return mixNRGBA(r.low, r.high, t)
}

func mixNRGBA(a, b color.NRGBA, t float64) color.NRGBA {
	f := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*(1-t) + float64(y)*t)) }
	return color.NRGBA{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B), f(a.A, b.A)}
}

func (r *matrixRenderer) headerH() float32 {
	return r.titleH() + fyne.MeasureText("Mg", r.small, fyne.TextStyle{}).Height + r.pad
}

func (r *matrixRenderer) MinSize() fyne.Size {
	n := float32(r.n())
	if n == 0 {
		es := r.empty.MinSize()
		return fyne.NewSize(max(es.Width, r.title.MinSize().Width)+2*r.pad, r.headerH()+es.Height+2*r.pad)
	}
	w := r.pad + r.headW + r.pad + n*(r.cellMinW+matrixGap) + r.pad
	h := r.headerH() + n*(matrixCellH+matrixGap) + 2*r.pad + matrixRampH + r.rampLo.MinSize().Height + r.pad
	return fyne.NewSize(max(w, r.title.MinSize().Width+2*r.pad), h)
}

func (r *matrixRenderer) Refresh() {
	m := r.m
	th := m.Theme()
	r.load(th, m.title)
	bg := tvNRGBA(panelColor(th, theme.ColorNameBackground))
	bg.A = 0xff
	if luminance(bg) < 0.5 {
		r.high = color.NRGBA{0x56, 0xb4, 0xe9, 0xff} // sky blue
	} else {
		r.high = color.NRGBA{0x00, 0x72, 0xb2, 0xff} // blue
	}
	r.low = mixNRGBA(bg, r.high, 0.1)
	r.blank = mixNRGBA(bg, tvNRGBA(r.fg), 0.07) // a quiet grey either way
	format := m.format()

	r.ramp.StartColor, r.ramp.EndColor = r.low, r.high
	r.rampLo.Text, r.rampHi.Text = format(m.lo), format(m.hi)
	for _, t := range []*canvas.Text{r.rampLo, r.rampHi} {
		t.Color, t.TextSize = r.muted, r.small
	}

	n := r.n()
	for len(r.rowHead) < n {
		r.rowHead = append(r.rowHead, canvas.NewText("", color.Black))
		r.colHead = append(r.colHead, canvas.NewText("", color.Black))
	}
	r.rowHead, r.colHead = r.rowHead[:n], r.colHead[:n]
	for len(r.cells) < n*n {
		r.cells = append(r.cells, canvas.NewRectangle(color.Transparent))
		r.texts = append(r.texts, canvas.NewText("", color.Black))
	}
	r.cells, r.texts = r.cells[:n*n], r.texts[:n*n]

	r.headW = 0
	r.cellMinW = 56
	for i, name := range m.names {
		name = panelOneLine(name)
		for _, t := range []*canvas.Text{r.rowHead[i], r.colHead[i]} {
			t.Text, t.Color, t.TextSize = name, r.fg, r.small
		}
		r.headW = max(r.headW, fyne.MeasureText(name, r.small, fyne.TextStyle{}).Width)
		for j := range m.names {
			k := i*n + j
			v := m.values[i][j]
			cell, tx := r.cells[k], r.texts[k]
			cell.CornerRadius = 2
			tx.TextSize = r.small
			tx.Alignment = fyne.TextAlignCenter
			switch {
			case i == j:
				cell.FillColor, tx.Text, tx.Color = r.blank, "—", r.muted
			case !hasValue(v):
				cell.FillColor, tx.Text, tx.Color = r.blank, "n/a", r.muted
			default:
				c := r.scaleColor(v)
				cell.FillColor, tx.Text, tx.Color = c, format(v), Contrast(c)
			}
			r.cellMinW = max(r.cellMinW, tx.MinSize().Width+12)
		}
	}
	r.headW = min(r.headW, matrixHeadMax)

	r.objects = r.objects[:0]
	if m.title != "" {
		r.objects = append(r.objects, r.title)
	}
	if n == 0 {
		r.objects = append(r.objects, r.empty)
	} else {
		for i := range n {
			r.objects = append(r.objects, r.rowHead[i], r.colHead[i])
		}
		for k := range r.cells {
			r.objects = append(r.objects, r.cells[k], r.texts[k])
		}
		r.objects = append(r.objects, r.ramp, r.rampLo, r.rampHi)
	}
	r.Layout(m.Size())
	for _, o := range r.objects {
		canvas.Refresh(o)
	}
}

func (r *matrixRenderer) Layout(size fyne.Size) {
	m := r.m
	pad := r.pad
	y := r.layoutTitle()
	n := r.n()
	if n == 0 {
		r.layoutEmpty(y)
		return
	}
	headW := min(r.headW, max(size.Width*0.35, 48))
	x0 := pad + headW + pad
	cw := (size.Width - x0 - pad) / float32(n)
	cw = min(max(cw, r.cellMinW+matrixGap), matrixMaxCell+matrixGap)
	ch := float32(matrixCellH + matrixGap)
	headH := fyne.MeasureText("Mg", r.small, fyne.TextStyle{}).Height
	y0 := y + headH + pad
	r.x0, r.y0, r.cw, r.ch = x0, y0, cw, ch

	fit := func(t *canvas.Text, full string, w float32) {
		s := panelEllipsize(full, w, r.small, fyne.TextStyle{})
		if t.Text != s {
			t.Text = s
			t.Refresh()
		}
	}
	for i, name := range m.names {
		name = panelOneLine(name)
		// column header, centred over its column
		ct := r.colHead[i]
		fit(ct, name, cw-matrixGap-4)
		cs := ct.MinSize()
		ct.Move(fyne.NewPos(x0+float32(i)*cw+(cw-matrixGap-cs.Width)/2, y))
		ct.Resize(cs)
		// row header, right-aligned against the table
		rt := r.rowHead[i]
		fit(rt, name, headW)
		rs := rt.MinSize()
		rt.Move(fyne.NewPos(x0-pad-rs.Width, y0+float32(i)*ch+(matrixCellH-rs.Height)/2))
		rt.Resize(rs)
		for j := range n {
			k := i*n + j
			pos := fyne.NewPos(x0+float32(j)*cw, y0+float32(i)*ch)
			r.cells[k].Move(pos)
			r.cells[k].Resize(fyne.NewSize(cw-matrixGap, matrixCellH))
			ts := r.texts[k].MinSize()
			r.texts[k].Move(pos.AddXY(0, (matrixCellH-ts.Height)/2))
			r.texts[k].Resize(fyne.NewSize(cw-matrixGap, ts.Height))
		}
	}
	// the colour key: "lo ▭▭▭ hi" under the table, at its right edge
	ky := y0 + float32(n)*ch + pad
	ls, hs := r.rampLo.MinSize(), r.rampHi.MinSize()
	right := x0 + float32(n)*cw - matrixGap
	rx := right - hs.Width - 4 - matrixRampW
	r.rampHi.Move(fyne.NewPos(right-hs.Width, ky+(matrixRampH-hs.Height)/2))
	r.rampHi.Resize(hs)
	r.ramp.Move(fyne.NewPos(rx, ky))
	r.ramp.Resize(fyne.NewSize(matrixRampW, matrixRampH))
	r.rampLo.Move(fyne.NewPos(rx-4-ls.Width, ky+(matrixRampH-ls.Height)/2))
	r.rampLo.Resize(ls)
}

// cellAt maps a position to the cell under it.
func (r *matrixRenderer) cellAt(p fyne.Position) (i, j int, ok bool) {
	n := r.n()
	if n == 0 || r.cw <= 0 || p.X < r.x0 || p.Y < r.y0 {
		return 0, 0, false
	}
	j = int((p.X - r.x0) / r.cw)
	i = int((p.Y - r.y0) / r.ch)
	if i >= n || j >= n {
		return 0, 0, false
	}
	return i, j, true
}
