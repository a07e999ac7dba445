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

// BarSeries is one series of a BarChart: a name for the legend, a colour
// and one value per category (Values[i] belongs to categories[i]; a missing
// or NaN value draws no bar and the text "n/a").
type BarSeries struct {
	Name   string
	Color  color.Color
	Values []float64
}

// BarChart is a horizontal bar chart drawn with canvas rectangles and texts:
// a bold title, a legend of the series (when there is more than one, or the
// only one has a name), then one row per category with its name on the left.
//
// Grouped (the default): each category has one bar per series, the value
// written after the bar's end; negative values grow to the left of a zero
// line. Stacked (SetStacked(true), e.g. done / in progress / to do per
// annotator): each category has one bar made of the series' segments in
// order, each segment's value written inside it when it fits, and the total
// after the bar; negative and NaN values count as 0 there.
//
// The value axis spans the data and zero, and at least the range given to
// SetRange (e.g. 0..1 for agreement scores, so that 0.5 looks like half).
// MinSize grows with the number of categories. Create it with NewBarChart;
// call its methods from the UI goroutine.
type BarChart struct {
	widget.BaseWidget

	// Format writes a value (and, when stacked, a total). nil writes whole
	// numbers when every value is whole ("12"), else two decimals ("0.82").
	// Call Refresh after changing it.
	Format func(float64) string

	title      string
	categories []string
	series     []BarSeries
	stacked    bool
	rangeLo    float64
	rangeHi    float64
	legend     *Legend
}

var _ fyne.Widget = (*BarChart)(nil)

// NewBarChart returns an empty chart with this title ("" for none).
func NewBarChart(title string) *BarChart {
	c := &BarChart{title: title, legend: NewLegend(nil)}
	c.ExtendBaseWidget(c)
	return c
}

// SetTitle changes the title.
func (c *BarChart) SetTitle(title string) {
	c.title = title
	c.Refresh()
}

// Title returns the title.
func (c *BarChart) Title() string { return c.title }

// SetData replaces the categories and series (the slices are copied).
func (c *BarChart) SetData(categories []string, series []BarSeries) {
	c.categories = append(c.categories[:0:0], categories...)
	c.series = make([]BarSeries, len(series))
	items := make([]LegendItem, 0, len(series))
	for i, s := range series {
		s.Values = append([]float64(nil), s.Values...)
		c.series[i] = s
		items = append(items, LegendItem{Text: s.Name, Color: s.Color})
	}
	if len(series) == 1 && series[0].Name == "" {
		items = nil
	}
	c.legend.SetItems(items)
	c.Refresh()
}

// SetStacked switches between grouped bars (false, the default) and one
// stacked bar per category (true).
func (c *BarChart) SetStacked(on bool) {
	c.stacked = on
	c.Refresh()
}

// Stacked reports whether the bars are stacked.
func (c *BarChart) Stacked() bool { return c.stacked }

// SetRange makes the value axis cover at least [lo, hi] (it always covers
// zero and every value). SetRange(0, 0) goes back to the data's range.
func (c *BarChart) SetRange(lo, hi float64) {
	c.rangeLo, c.rangeHi = min(lo, hi), max(lo, hi)
	c.Refresh()
}

// value returns series s's value for category i, NaN if it has none.
func (c *BarChart) value(s, i int) float64 {
	if i < len(c.series[s].Values) {
		return c.series[s].Values[i]
	}
	return math.NaN()
}

// format returns the Format function in effect.
func (c *BarChart) format() func(float64) string {
	if c.Format != nil {
		return c.Format
	}
	whole := true
	for _, s := range c.series {
		for _, v := range s.Values {
			if !math.IsNaN(v) && !math.IsInf(v, 0) && v != math.Trunc(v) {
				whole = false
			}
		}
	}
	if whole {
		return func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) }
	}
	return func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
}

// domain returns the value axis [lo, hi], never empty.
func (c *BarChart) domain() (lo, hi float64) {
	lo, hi = min(0, c.rangeLo), max(0, c.rangeHi)
	for i := range c.categories {
		total := 0.0
		for s := range c.series {
			v := c.value(s, i)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			if c.stacked {
				total += max(v, 0)
				continue
			}
			lo, hi = min(lo, v), max(hi, v)
		}
		hi = max(hi, total)
	}
	if hi-lo <= 0 {
		hi = lo + 1
	}
	return lo, hi
}

// CreateRenderer implements fyne.Widget.
func (c *BarChart) CreateRenderer() fyne.WidgetRenderer {
	c.ExtendBaseWidget(c)
	r := &barChartRenderer{c: c, chartFrame: newChartFrame(), axis: canvas.NewRectangle(color.Transparent)}
	r.Refresh()
	return r
}

// barRow is the objects of one category.
type barRow struct {
	label *canvas.Text
	bars  []*canvas.Rectangle
	texts []*canvas.Text // value per series (grouped) or segment labels (stacked)
	total *canvas.Text   // stacked only
	full  string         // the untruncated category name
}

type barChartRenderer struct {
	c *BarChart
	chartFrame
	axis    *canvas.Rectangle
	rows    []*barRow
	objects []fyne.CanvasObject

	labelW, valW  float32 // widest category name and value text
	fmt           func(float64) string
	lo, hi        float64
	stacked       bool
	shownSeries   int
	legendVisible bool
}

const (
	chartBarH     = 14 // grouped bar thickness
	chartStackH   = 20 // stacked bar thickness
	chartBarGap   = 2  // between the bars of one category
	chartGroupGap = 10 // between categories
	chartMinPlot  = 120
)

func (r *barChartRenderer) Destroy() {}

func (r *barChartRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *barChartRenderer) groupH() float32 {
	if r.stacked {
		return chartStackH
	}
	n := float32(max(r.shownSeries, 1))
	return n*chartBarH + (n-1)*chartBarGap
}

// headerH is the height of the title and the legend above the rows.
func (r *barChartRenderer) headerH() float32 {
	h := r.titleH()
	if r.legendVisible {
		h += r.c.legend.MinSize().Height + r.pad*3
	}
	return h
}

func (r *barChartRenderer) MinSize() fyne.Size {
	n := float32(len(r.rows))
	h := r.headerH() + n*r.groupH() + max(n-1, 0)*chartGroupGap + 2*r.pad
	if len(r.rows) == 0 {
		h += r.empty.MinSize().Height
	}
	w := min(r.labelW, 120) + chartMinPlot + r.valW + 4*r.pad
	if r.lo < 0 {
		w += r.valW
	}
	w = max(w, r.title.MinSize().Width+2*r.pad) // the legend wraps
	return fyne.NewSize(w, h)
}

func (r *barChartRenderer) Refresh() {
	c := r.c
	th := c.Theme()
	r.load(th, c.title)
	r.fmt = c.format()
	r.lo, r.hi = c.domain()
	r.stacked = c.stacked
	r.shownSeries = len(c.series)
	r.legendVisible = len(c.legend.Items()) > 0

	r.axis.FillColor = panelColor(th, theme.ColorNameSeparator)

	for len(r.rows) < len(c.categories) {
		r.rows = append(r.rows, &barRow{label: canvas.NewText("", color.Black), total: canvas.NewText("", color.Black)})
	}
	r.rows = r.rows[:len(c.categories)]
	r.labelW, r.valW = 0, 0
	for i, row := range r.rows {
		row.full = panelOneLine(c.categories[i])
		row.label.Text, row.label.Color, row.label.TextSize = row.full, r.fg, r.textSize
		r.labelW = max(r.labelW, fyne.MeasureText(row.full, r.textSize, fyne.TextStyle{}).Width)
		for len(row.bars) < len(c.series) {
			b := canvas.NewRectangle(color.Transparent)
			b.CornerRadius = 2
			row.bars = append(row.bars, b)
			row.texts = append(row.texts, canvas.NewText("", color.Black))
		}
		row.bars, row.texts = row.bars[:len(c.series)], row.texts[:len(c.series)]
		total := 0.0
		for s := range c.series {
			v := c.value(s, i)
			col := c.series[s].Color
			if col == nil {
				col = LabelColor(s)
			}
			row.bars[s].FillColor = col
			tx := row.texts[s]
			tx.TextSize = r.small
			switch {
			case math.IsNaN(v) || math.IsInf(v, 0):
				tx.Text, tx.Color = "n/a", r.muted
			case r.stacked:
				tx.Text, tx.Color = r.fmt(max(v, 0)), Contrast(col)
			default:
				tx.Text, tx.Color = r.fmt(v), r.fg
			}
			if r.stacked && !math.IsNaN(v) && !math.IsInf(v, 0) {
				total += max(v, 0)
			}
			if !r.stacked {
				r.valW = max(r.valW, tx.MinSize().Width)
			}
		}
		row.total.Text, row.total.Color, row.total.TextSize = r.fmt(total), r.fg, r.small
		if r.stacked {
			r.valW = max(r.valW, row.total.MinSize().Width)
		}
	}
	r.Layout(c.Size())
	r.collect()
	for _, o := range r.objects {
		if o != fyne.CanvasObject(c.legend) {
			canvas.Refresh(o)
		}
	}
}

// collect lists the objects in drawing order.
func (r *barChartRenderer) collect() {
	r.objects = r.objects[:0]
	if r.c.title != "" {
		r.objects = append(r.objects, r.title)
	}
	if r.legendVisible {
		r.objects = append(r.objects, r.c.legend)
	}
	if len(r.rows) == 0 {
		r.objects = append(r.objects, r.empty)
		return
	}
	r.objects = append(r.objects, r.axis)
	for _, row := range r.rows {
		r.objects = append(r.objects, row.label)
		for s, b := range row.bars {
			r.objects = append(r.objects, b, row.texts[s])
		}
		if r.stacked {
			r.objects = append(r.objects, row.total)
		}
	}
}

func (r *barChartRenderer) Layout(size fyne.Size) {
	c := r.c
	pad := r.pad
	y := r.layoutTitle()
	if r.legendVisible {
		c.legend.Move(fyne.NewPos(pad, y+pad))
		c.legend.Resize(fyne.NewSize(max(size.Width-2*pad, 0), c.legend.MinSize().Height))
		// the wrap layout knows its height only after laying out
		c.legend.Resize(fyne.NewSize(max(size.Width-2*pad, 0), c.legend.MinSize().Height))
		y += c.legend.MinSize().Height + 3*pad
	}
	if len(r.rows) == 0 {
		r.layoutEmpty(y)
		return
	}

	// Columns: names | gap | [negative values] plot [values].
	labelW := min(r.labelW, max(size.Width*0.4, 60))
	plotX0 := pad + labelW + 2*pad
	left := float32(0)
	if r.lo < 0 {
		left = r.valW + pad
	}
	plotX1 := size.Width - pad - r.valW - pad
	plotW := max(plotX1-plotX0-left, 1)
	xOf := func(v float64) float32 {
		return plotX0 + left + float32((v-r.lo)/(r.hi-r.lo))*plotW
	}
	zeroX := float32(math.Round(float64(xOf(0))))
	gh := r.groupH()
	r.axis.Move(fyne.NewPos(zeroX, y-2))
	r.axis.Resize(fyne.NewSize(1, float32(len(r.rows))*(gh+chartGroupGap)-chartGroupGap+4))

	for i, row := range r.rows {
		gy := y + float32(i)*(gh+chartGroupGap)
		// the name, cut to the column and centred on the group
		txt := panelEllipsize(row.full, labelW, r.textSize, fyne.TextStyle{})
		if row.label.Text != txt {
			row.label.Text = txt
			row.label.Refresh()
		}
		ls := row.label.MinSize()
		row.label.Move(fyne.NewPos(pad, gy+(gh-ls.Height)/2))
		row.label.Resize(ls)

		if r.stacked {
			x := zeroX
			for s, b := range row.bars {
				v := c.value(s, i)
				if math.IsNaN(v) || math.IsInf(v, 0) {
					v = 0
				}
				v = max(v, 0)
				w := xOf(v) - xOf(0)
				tx := row.texts[s]
				b.Move(fyne.NewPos(x, gy))
				b.Resize(fyne.NewSize(w, chartStackH))
				b.CornerRadius = 0
				b.Show()
				if w < 0.5 {
					b.Hide()
				}
				ts := tx.MinSize()
				tx.Hidden = ts.Width+6 > w
				tx.Move(fyne.NewPos(x+(w-ts.Width)/2, gy+(chartStackH-ts.Height)/2))
				tx.Resize(ts)
				x += w
			}
			ts := row.total.MinSize()
			row.total.Move(fyne.NewPos(x+pad, gy+(chartStackH-ts.Height)/2))
			row.total.Resize(ts)
			continue
		}
		for s, b := range row.bars {
			v := c.value(s, i)
			by := gy + float32(s)*(chartBarH+chartBarGap)
			tx := row.texts[s]
			ts := tx.MinSize()
			tx.Show()
			tx.Resize(ts)
			ty := by + (chartBarH-ts.Height)/2
			if math.IsNaN(v) || math.IsInf(v, 0) {
				b.Hide()
				tx.Move(fyne.NewPos(zeroX+pad, ty))
				continue
			}
			b.Show()
			x0, x1 := zeroX, xOf(v)
			if v < 0 {
				x0, x1 = x1, zeroX
			}
			w := max(x1-x0, 1) // a zero still shows a hairline
			b.Move(fyne.NewPos(x0, by))
			b.Resize(fyne.NewSize(w, chartBarH))
			if v < 0 {
				tx.Move(fyne.NewPos(x0-pad-ts.Width, ty))
			} else {
				tx.Move(fyne.NewPos(x0+w+pad, ty))
			}
		}
	}
}

// chartFrame is what BarChart and Matrix draw alike: a bold title (when
// there is one), an italic "No data" when there is nothing to show, and the
// theme colours and sizes both lay out with.
type chartFrame struct {
	title, empty         *canvas.Text
	fg, muted            color.Color
	textSize, small, pad float32 // small: values and headers
}

func newChartFrame() chartFrame {
	f := chartFrame{title: canvas.NewText("", color.Black), empty: canvas.NewText("No data", color.Black)}
	f.title.TextStyle.Bold = true
	f.empty.TextStyle.Italic = true
	return f
}

// load reads the theme and sets the title.
func (f *chartFrame) load(th fyne.Theme, title string) {
	f.fg = panelColor(th, theme.ColorNameForeground)
	f.muted = panelMuted(th)
	f.textSize = th.Size(theme.SizeNameText)
	f.small = max(th.Size(theme.SizeNameCaptionText)+1, 9)
	f.pad = th.Size(theme.SizeNamePadding)
	f.title.Text, f.title.Color, f.title.TextSize = title, f.fg, f.textSize
	f.empty.Color, f.empty.TextSize = f.muted, f.small
}

// titleH is the height of the title and the padding below it; 0 without a
// title.
func (f *chartFrame) titleH() float32 {
	if f.title.Text == "" {
		return 0
	}
	return f.title.MinSize().Height + f.pad
}

// layoutTitle places the title and returns the y below it.
func (f *chartFrame) layoutTitle() float32 {
	y := f.pad
	if f.title.Text != "" {
		ts := f.title.MinSize()
		f.title.Move(fyne.NewPos(f.pad, y))
		f.title.Resize(ts)
		y += ts.Height + f.pad
	}
	return y
}

// layoutEmpty places "No data" at y.
func (f *chartFrame) layoutEmpty(y float32) {
	f.empty.Move(fyne.NewPos(f.pad, y))
	f.empty.Resize(f.empty.MinSize())
}
