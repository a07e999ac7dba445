package widgets

import (
	"image"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// captureBoth saves the window in the dark and the light theme (to
// $TEXTVIEW_SHOTS when set, as savePNG does).
func captureBoth(t *testing.T, w fyne.Window, o fyne.CanvasObject, name string) (dark, light image.Image) {
	t.Helper()
	fyne.CurrentApp().Settings().SetTheme(darkTheme{})
	o.Refresh()
	dark = w.Canvas().Capture()
	savePNG(t, dark, name+"-dark.png")
	fyne.CurrentApp().Settings().SetTheme(lightTheme{})
	o.Refresh()
	light = w.Canvas().Capture()
	savePNG(t, light, name+"-light.png")
	return dark, light
}

type darkTheme struct{ lightTheme }

func (darkTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return themeDefault().Color(n, 0) // theme.VariantDark
}

func legendCells(l *Legend) []*legendCell { return l.cells }

func TestLegend(t *testing.T) {
	test.NewTempApp(t)
	items := []LegendItem{
		{Text: "Ann (you)", Color: claimCol, Style: OutlineSolid},
		{Text: "Ben", Color: claimCol, Style: OutlineDashed},
		{Text: "Chloé", Color: claimCol, Style: OutlineDotted},
		{Text: "Dmitri", Color: claimCol, Style: OutlineDouble},
		{Text: "Claim", Color: claimCol},
		{Text: "Figure", Color: figureCol},
		{Text: "agreed", Color: color.NRGBA{0x00, 0x9e, 0x73, 0xff}, Mark: true},
		{Text: "other label", Color: color.NRGBA{0xe6, 0x9f, 0x00, 0xff}, Mark: true},
		{Text: "overlap", Color: color.NRGBA{0x56, 0xb4, 0xe9, 0xff}, Mark: true},
		{Text: "only one side", Color: color.NRGBA{0xd5, 0x5e, 0x00, 0xff}, Mark: true},
	}
	l := NewLegend(items)
	w := test.NewTempWindow(t, container.NewVBox(l))
	w.Resize(fyne.NewSize(420, 120))
	dark, _ := captureBoth(t, w, l, "legend")
	savePNG(t, zoom(dark, image.Rect(0, 0, 420, 60), 3), "legend-zoom.png")

	if got := len(l.Items()); got != len(items) {
		t.Fatalf("%d items", got)
	}
	// Every text is shown, and a narrow legend wraps onto several rows.
	rows := map[float32]bool{}
	for i, c := range legendCells(l) {
		r := test.WidgetRenderer(c).(*legendCellRenderer)
		if r.text.Text != items[i].Text {
			t.Errorf("cell %d text %q", i, r.text.Text)
		}
		rows[c.Position().Y] = true
	}
	if len(rows) < 2 {
		t.Errorf("items on %d rows in a 420 px legend, want wrapping", len(rows))
	}
	if l.MinSize().Height < 2*legendSwatchH {
		t.Errorf("MinSize %v does not grow with the rows", l.MinSize())
	}
	// The dashed swatch alternates along its top edge; the solid one does
	// not; the filled one is filled.
	sw := func(i int) (on, switches int) {
		c := legendCells(l)[i]
		r := test.WidgetRenderer(c).(*legendCellRenderer)
		p := w.Content().Position().Add(l.Position()).Add(c.Position()).Add(r.swatch.Position())
		return runsAlong(dark, int(p.Y), int(p.X), int(p.X)+legendSwatchW, claimCol)
	}
	if on, s := sw(0); on != legendSwatchW || s != 0 {
		t.Errorf("solid swatch top: %d inked, %d switches", on, s)
	}
	if on, s := sw(1); on == legendSwatchW || s < 3 {
		t.Errorf("dashed swatch top: %d inked, %d switches", on, s)
	}
	l.SetItems(items[:2])
	if len(l.box.Objects) != 2 {
		t.Errorf("SetItems: %d objects", len(l.box.Objects))
	}
}

func themeDefault() fyne.Theme { return theme.DefaultTheme() }
