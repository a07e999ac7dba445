package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// PaletteLabel is one entry of the label palette: its name, the key that
// applies it ("1"; may be empty) and its colour.
type PaletteLabel struct {
	Name, Key string
	Color     color.Color
}

// Palette is the compact, vertical list of labels: each row shows a rounded
// colour swatch, the label name and its shortcut as a small key-cap. Tapping a
// row calls onPick with the row index, unless the palette is disabled.
//
// Create it with NewPalette; call its methods from the UI goroutine.
type Palette struct {
	widget.BaseWidget

	onPick  func(index int)
	labels  []PaletteLabel
	enabled bool

	rows  []*paletteRow
	box   *fyne.Container
	empty *canvas.Text
}

var _ fyne.Widget = (*Palette)(nil)

// NewPalette returns an enabled palette showing labels; onPick (may be nil)
// receives the index of a tapped label.
func NewPalette(labels []PaletteLabel, onPick func(index int)) *Palette {
	p := &Palette{onPick: onPick, enabled: true}
	p.ExtendBaseWidget(p)
	p.box = panelBox(layout.NewCustomPaddedVBoxLayout(2))
	p.empty = canvas.NewText("No labels", color.Gray{0x80})
	p.empty.TextStyle.Italic = true
	p.SetLabels(labels)
	return p
}

// SetLabels replaces the labels shown (the slice is copied).
func (p *Palette) SetLabels(labels []PaletteLabel) {
	p.labels = append(p.labels[:0:0], labels...)
	for len(p.rows) < len(p.labels) {
		r := &paletteRow{palette: p, index: len(p.rows)}
		r.ExtendBaseWidget(r)
		p.rows = append(p.rows, r)
	}
	p.rows = p.rows[:len(p.labels)]
	objs := make([]fyne.CanvasObject, 0, len(p.rows)+1)
	for i, r := range p.rows {
		r.label = p.labels[i]
		objs = append(objs, r)
	}
	if len(objs) == 0 {
		objs = append(objs, p.empty)
	}
	p.box.Objects = objs
	p.Refresh()
}

// Labels returns a copy of the labels shown.
func (p *Palette) Labels() []PaletteLabel {
	return append([]PaletteLabel(nil), p.labels...)
}

// SetEnabled switches between the normal look and a dimmed, untappable one
// (used while no text is selected); the labels stay visible either way.
func (p *Palette) SetEnabled(on bool) {
	if p.enabled == on {
		return
	}
	p.enabled = on
	for _, r := range p.rows {
		r.hovered = r.hovered && on
	}
	p.Refresh()
}

// Enabled reports whether taps pick labels.
func (p *Palette) Enabled() bool { return p.enabled }

// Refresh redraws every row.
func (p *Palette) Refresh() {
	for _, r := range p.rows {
		r.Refresh()
	}
	if p.empty != nil {
		p.empty.Color = panelMuted(p.Theme())
		p.empty.TextSize = p.Theme().Size(theme.SizeNameCaptionText)
	}
	p.BaseWidget.Refresh()
}

// CreateRenderer is part of fyne.Widget.
func (p *Palette) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(p.box)
}

func panelBox(l fyne.Layout) *fyne.Container {
	return &fyne.Container{Layout: l}
}

// paletteRow is one tappable, hoverable label row.
type paletteRow struct {
	widget.BaseWidget

	palette *Palette
	index   int
	label   PaletteLabel
	hovered bool
}

var (
	_ fyne.Tappable      = (*paletteRow)(nil)
	_ desktop.Hoverable  = (*paletteRow)(nil)
	_ desktop.Cursorable = (*paletteRow)(nil)
)

func (r *paletteRow) Tapped(*fyne.PointEvent) {
	if p := r.palette; p.enabled && p.onPick != nil {
		p.onPick(r.index)
	}
}

func (r *paletteRow) MouseIn(*desktop.MouseEvent) {
	if r.palette.enabled {
		r.hovered = true
		r.Refresh()
	}
}

func (r *paletteRow) MouseMoved(*desktop.MouseEvent) {}

func (r *paletteRow) MouseOut() {
	if r.hovered {
		r.hovered = false
		r.Refresh()
	}
}

func (r *paletteRow) Cursor() desktop.Cursor {
	if r.palette.enabled {
		return desktop.PointerCursor
	}
	return desktop.DefaultCursor
}

func (r *paletteRow) CreateRenderer() fyne.WidgetRenderer {
	rr := &paletteRowRenderer{
		row:     r,
		bg:      &canvas.Rectangle{},
		swatch:  &canvas.Rectangle{},
		name:    &canvas.Text{},
		cap:     &canvas.Rectangle{},
		capText: &canvas.Text{Alignment: fyne.TextAlignCenter},
	}
	rr.Refresh()
	return rr
}

// Row geometry, in Fyne units.
const (
	paletteSwatch   = 14 // swatch side
	paletteCapH     = 20 // key-cap height
	paletteCapMinW  = 20 // key-cap minimum width
	paletteMaxNameW = 180
)

type paletteRowRenderer struct {
	row                      *paletteRow
	bg, swatch, cap          *canvas.Rectangle
	name, capText            *canvas.Text
	nameSize, capSize, inner float32
}

func (rr *paletteRowRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{rr.bg, rr.swatch, rr.name, rr.cap, rr.capText}
}

func (rr *paletteRowRenderer) Destroy() {}

func (rr *paletteRowRenderer) capWidth() float32 {
	if rr.row.label.Key == "" {
		return 0
	}
	w := fyne.MeasureText(rr.row.label.Key, rr.capSize, rr.capText.TextStyle).Width + 10
	return max(w, paletteCapMinW)
}

func (rr *paletteRowRenderer) MinSize() fyne.Size {
	gap := rr.inner
	nameW := min(fyne.MeasureText(rr.row.label.Name, rr.nameSize, rr.name.TextStyle).Width, paletteMaxNameW)
	w := rr.inner + paletteSwatch + gap + nameW + rr.inner
	if cw := rr.capWidth(); cw > 0 {
		w += gap + cw
	}
	textH := fyne.MeasureText("Mg", rr.nameSize, rr.name.TextStyle).Height
	h := max(textH, paletteCapH) + rr.inner/2*2
	return fyne.NewSize(w, h)
}

func (rr *paletteRowRenderer) Layout(size fyne.Size) {
	rr.bg.Resize(size)
	midY := size.Height / 2
	x := rr.inner
	rr.swatch.Move(fyne.NewPos(x, midY-paletteSwatch/2))
	rr.swatch.Resize(fyne.NewSize(paletteSwatch, paletteSwatch))
	x += paletteSwatch + rr.inner

	right := size.Width - rr.inner
	if cw := rr.capWidth(); cw > 0 {
		rr.cap.Move(fyne.NewPos(right-cw, midY-paletteCapH/2))
		rr.cap.Resize(fyne.NewSize(cw, paletteCapH))
		rr.capText.Move(rr.cap.Position())
		rr.capText.Resize(rr.cap.Size())
		right -= cw + rr.inner
	}

	nameW := max(right-x, 0)
	rr.name.Text = panelEllipsize(rr.row.label.Name, nameW, rr.nameSize, rr.name.TextStyle)
	nameH := rr.name.MinSize().Height
	rr.name.Move(fyne.NewPos(x, midY-nameH/2))
	rr.name.Resize(fyne.NewSize(nameW, nameH))
	rr.name.Refresh()
}

func (rr *paletteRowRenderer) Refresh() {
	r := rr.row
	th := r.Theme()
	on := r.palette.enabled
	rr.inner = th.Size(theme.SizeNamePadding) * 2
	rr.nameSize = th.Size(theme.SizeNameText)
	rr.capSize = th.Size(theme.SizeNameCaptionText)
	radius := th.Size(theme.SizeNameSelectionRadius)

	rr.bg.CornerRadius = radius
	if r.hovered && on {
		rr.bg.FillColor = panelColor(th, theme.ColorNameHover)
	} else {
		rr.bg.FillColor = color.Transparent
	}

	swatch := r.label.Color
	if swatch == nil {
		swatch = panelMuted(th)
	}
	rr.swatch.CornerRadius = 4
	rr.swatch.StrokeWidth = 1
	if on {
		rr.swatch.FillColor = swatch
		rr.swatch.StrokeColor = Tint(panelColor(th, theme.ColorNameForeground), 0x30)
	} else {
		rr.swatch.FillColor = Tint(swatch, 0x60)
		rr.swatch.StrokeColor = Tint(swatch, 0xa0)
	}

	fg := panelColor(th, theme.ColorNameForeground)
	if !on {
		fg = panelMuted(th) // dimmed, yet still readable
	}
	rr.name.Color = fg
	rr.name.TextSize = rr.nameSize

	rr.cap.CornerRadius = 4
	rr.cap.StrokeWidth = 1
	rr.cap.FillColor = panelColor(th, theme.ColorNameInputBackground)
	rr.cap.StrokeColor = panelColor(th, theme.ColorNameInputBorder)
	rr.capText.Text = r.label.Key
	rr.capText.TextSize = rr.capSize
	rr.capText.TextStyle = fyne.TextStyle{Bold: true}
	rr.capText.Color = panelMuted(th)
	if !on {
		rr.capText.Color = panelColor(th, theme.ColorNameDisabled)
	}
	if r.label.Key == "" {
		rr.cap.Hide()
		rr.capText.Hide()
	} else {
		rr.cap.Show()
		rr.capText.Show()
	}

	rr.Layout(r.Size())
	for _, o := range rr.Objects() {
		o.Refresh()
	}
}
