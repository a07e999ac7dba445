package widgets

import (
	"image"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// LegendItem is one key of a Legend: a swatch in Color and the Text.
//
// With Style OutlineNone the swatch is a filled square (a colour key, e.g. a
// label or a chart series); with another style it is a box drawn like a
// TextView span with that Span.Style (a light tint inside an outline of that
// stroke), so it matches an annotator's layer. Mark draws a round badge
// instead, like a Span.Mark, for compare kinds.
type LegendItem struct {
	Text  string
	Color color.Color
	Style OutlineStyle
	Mark  bool
}

// Legend shows its items in a row that wraps onto more lines when the
// widget is narrow. Create it with NewLegend; call its methods from the UI
// goroutine.
type Legend struct {
	widget.BaseWidget

	items []LegendItem
	box   *fyne.Container
	cells []*legendCell
}

var _ fyne.Widget = (*Legend)(nil)

// NewLegend returns a legend showing items (the slice is copied).
func NewLegend(items []LegendItem) *Legend {
	l := &Legend{box: &fyne.Container{Layout: layout.NewRowWrapLayoutWithCustomPadding(14, 4)}}
	l.ExtendBaseWidget(l)
	l.SetItems(items)
	return l
}

// SetItems replaces the items (the slice is copied).
func (l *Legend) SetItems(items []LegendItem) {
	l.items = append(l.items[:0:0], items...)
	for len(l.cells) < len(l.items) {
		c := &legendCell{}
		c.ExtendBaseWidget(c)
		l.cells = append(l.cells, c)
	}
	l.cells = l.cells[:len(l.items)]
	objs := make([]fyne.CanvasObject, len(l.cells))
	for i, c := range l.cells {
		c.item = l.items[i]
		objs[i] = c
		c.Refresh()
	}
	l.box.Objects = objs
	// The wrap layout remembers the size of its last layout as its MinSize:
	// a new set of items must be measured afresh.
	l.box.Layout = layout.NewRowWrapLayoutWithCustomPadding(14, 4)
	l.box.Refresh()
	l.Refresh()
}

// Items returns a copy of the items shown.
func (l *Legend) Items() []LegendItem { return append([]LegendItem(nil), l.items...) }

// CreateRenderer implements fyne.Widget.
func (l *Legend) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(l.box)
}

// legendCell is one swatch and its text.
type legendCell struct {
	widget.BaseWidget
	item LegendItem
}

func (c *legendCell) CreateRenderer() fyne.WidgetRenderer {
	r := &legendCellRenderer{c: c, text: canvas.NewText("", color.Black)}
	r.swatch = canvas.NewRaster(r.paint)
	r.swatch.ScaleMode = canvas.ImageScalePixels
	r.Refresh()
	return r
}

type legendCellRenderer struct {
	c      *legendCell
	swatch *canvas.Raster
	text   *canvas.Text
	item   LegendItem // what swatch shows
	fg     color.Color
}

const (
	legendSwatchW = 22
	legendSwatchH = 14
	legendGap     = 6
)

func (r *legendCellRenderer) Destroy() {}

func (r *legendCellRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.swatch, r.text}
}

// swatchW is the width of the swatch: a box is wider than it is high, like
// a word; a colour key or badge is square.
func (r *legendCellRenderer) swatchW() float32 {
	if r.c.item.Mark || r.c.item.Style == OutlineNone {
		return legendSwatchH
	}
	return legendSwatchW
}

func (r *legendCellRenderer) MinSize() fyne.Size {
	ts := r.text.MinSize()
	return fyne.NewSize(r.swatchW()+legendGap+ts.Width, max(ts.Height, legendSwatchH+2))
}

func (r *legendCellRenderer) Layout(size fyne.Size) {
	ts := r.text.MinSize()
	sw := r.swatchW()
	r.swatch.Move(fyne.NewPos(0, float32(math.Round(float64(size.Height-legendSwatchH)/2))))
	r.swatch.Resize(fyne.NewSize(sw, legendSwatchH))
	r.text.Move(fyne.NewPos(sw+legendGap, (size.Height-ts.Height)/2))
	r.text.Resize(ts)
}

func (r *legendCellRenderer) Refresh() {
	th := r.c.Theme()
	r.fg = panelColor(th, theme.ColorNameForeground)
	r.text.Text = r.c.item.Text
	r.text.Color = r.fg
	r.text.TextSize = legendTextSize(th)
	r.item = r.c.item
	r.Layout(r.c.Size())
	r.text.Refresh()
	r.swatch.Refresh()
}

func legendTextSize(th fyne.Theme) float32 {
	return th.Size(theme.SizeNameCaptionText) + 1
}

// paint draws the swatch at the driver's pixel size.
func (r *legendCellRenderer) paint(pw, ph int) image.Image {
	col := r.item.Color
	if col == nil {
		col = r.fg
	}
	return swatchImage(pw, ph, float32(ph)/legendSwatchH, r.item, tvNRGBA(col))
}

// swatchImage paints a legend swatch of pw × ph pixels; scale is pixels per
// logical pixel, so strokes and patterns keep their TextView sizes.
func swatchImage(pw, ph int, scale float32, it LegendItem, col color.NRGBA) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, pw, ph))
	if scale <= 0 {
		scale = 1
	}
	fw, fh := float32(pw)/scale, float32(ph)/scale // logical size
	set := func(x, y int, c color.NRGBA) { img.SetNRGBA(x, y, c) }
	switch {
	case it.Mark:
		// A disc as big as the swatch is high, at its left, antialiased.
		d := fh * 0.75
		cx, cy := fw/2, fh/2
		for y := 0; y < ph; y++ {
			for x := 0; x < pw; x++ {
				lx, ly := (float32(x)+0.5)/scale, (float32(y)+0.5)/scale
				dist := float32(math.Hypot(float64(lx-cx), float64(ly-cy)))
				a := min(max(d/2-dist+0.5, 0), 1)
				if a > 0 {
					set(x, y, tvAlpha(col, a))
				}
			}
		}
	case it.Style == OutlineNone:
		// A filled square with rounded corners.
		s := fh - 2
		x0, y0 := float32(1), float32(1)
		rad := float32(2)
		for y := 0; y < ph; y++ {
			for x := 0; x < pw; x++ {
				lx, ly := (float32(x)+0.5)/scale, (float32(y)+0.5)/scale
				if lx < x0 || lx >= x0+s || ly < y0 || ly >= y0+s {
					continue
				}
				// corner rounding
				cx := min(max(lx, x0+rad), x0+s-rad)
				cy := min(max(ly, y0+rad), y0+s-rad)
				if float32(math.Hypot(float64(lx-cx), float64(ly-cy))) > rad {
					continue
				}
				set(x, y, col)
			}
		}
	default:
		tint := tvAlpha(col, 0.25)
		th := float32(outlineThick)
		if it.Style == OutlineDouble {
			th = 1
		}
		for y := 0; y < ph; y++ {
			for x := 0; x < pw; x++ {
				lx, ly := (float32(x)+0.5)/scale, (float32(y)+0.5)/scale
				c, ok := swatchEdge(it.Style, lx, ly, fw, fh, th)
				switch {
				case ok && c:
					set(x, y, col)
				case !ok:
					set(x, y, tint)
				}
			}
		}
	}
	return img
}

// swatchEdge reports whether (x, y) lies on the outline band of a box fw ×
// fh (ok) and, if so, whether the pattern inks it.
func swatchEdge(style OutlineStyle, x, y, fw, fh, th float32) (ink, ok bool) {
	onBand := func(x0, y0, x1, y1, t float32) (bool, float32) {
		if x < x0 || y < y0 || x >= x1 || y >= y1 {
			return false, 0
		}
		switch {
		case y < y0+t:
			return true, x - x0
		case y >= y1-t:
			return true, x - x0
		case x < x0+t:
			return true, y - y0
		case x >= x1-t:
			return true, y - y0
		}
		return false, 0
	}
	if style == OutlineDouble {
		if b, _ := onBand(0, 0, fw, fh, 1); b {
			return true, true
		}
		if b, _ := onBand(2, 2, fw-2, fh-2, 1); b {
			return true, true
		}
		if x >= 1 && y >= 1 && x < fw-1 && y < fh-1 && !(x >= 3 && y >= 3 && x < fw-3 && y < fh-3) {
			return false, true // the gap between the lines
		}
		return false, false
	}
	b, d := onBand(0, 0, fw, fh, th)
	if !b {
		return false, false
	}
	return patternOn(style, d), true
}
