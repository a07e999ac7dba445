package widgets

import (
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func samplePaletteLabels() []PaletteLabel {
	return []PaletteLabel{
		{Name: "Claim", Key: "1", Color: LabelColor(0)},
		{Name: "Figure", Key: "2", Color: LabelColor(1)},
		{Name: "Proposal", Key: "3", Color: LabelColor(2)},
		{Name: "Evidence", Key: "4", Color: LabelColor(3)},
		{Name: "A label with a rather long name indeed", Key: "5", Color: LabelColor(4)},
		{Name: "No key", Color: LabelColor(5)},
	}
}

func TestPaletteTapPicks(t *testing.T) {
	test.NewTempApp(t)
	var picked []int
	p := NewPalette(samplePaletteLabels(), func(i int) { picked = append(picked, i) })
	w := panelWindow(t, p, fyne.NewSize(240, 260))
	panelShot(t, w, "palette", false)

	// Hover highlights a row (and only while the pointer is on it).
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(p.rows[1])
	sz := p.rows[1].Size()
	test.MoveMouse(w.Canvas(), pos.Add(fyne.NewPos(sz.Width/2, sz.Height/2)))
	if !p.rows[1].hovered || p.rows[0].hovered {
		t.Fatalf("hover: rows %v %v", p.rows[0].hovered, p.rows[1].hovered)
	}
	panelShot(t, w, "palette-hover", false)
	test.MoveMouse(w.Canvas(), fyne.NewPos(1, 255))
	if p.rows[1].hovered {
		t.Fatal("hover stays after the pointer left")
	}

	test.Tap(p.rows[2])
	test.Tap(p.rows[0])
	if len(picked) != 2 || picked[0] != 2 || picked[1] != 0 {
		t.Fatalf("picked %v, want [2 0]", picked)
	}

	// A tap on the canvas, at the middle of row 1, reaches the right row.
	if sz.Height < 20 || sz.Width < 100 {
		t.Fatalf("row size %v", sz)
	}
	test.TapCanvas(w.Canvas(), pos.Add(fyne.NewPos(sz.Width/2, sz.Height/2)))
	if len(picked) != 3 || picked[2] != 1 {
		t.Fatalf("canvas tap picked %v, want 1 last", picked)
	}
}

func TestPaletteSetEnabled(t *testing.T) {
	test.NewTempApp(t)
	picked := -1
	p := NewPalette(samplePaletteLabels(), func(i int) { picked = i })
	w := panelWindow(t, p, fyne.NewSize(240, 260))
	panelShot(t, w, "palette-enabled-dark", true)
	on := test.WidgetRenderer(p.rows[0]).(*paletteRowRenderer).name.Color

	p.SetEnabled(false)
	if p.Enabled() {
		t.Fatal("Enabled() after SetEnabled(false)")
	}
	panelShot(t, w, "palette-disabled-dark", true)
	panelShot(t, w, "palette-disabled", false)
	test.Tap(p.rows[1])
	if picked != -1 {
		t.Fatalf("disabled palette picked %d", picked)
	}
	rr := test.WidgetRenderer(p.rows[0]).(*paletteRowRenderer)
	if rr.name.Text != "Claim" || !rr.name.Visible() {
		t.Fatalf("disabled palette hides its labels: %q", rr.name.Text)
	}
	if rr.name.Color == on {
		t.Error("disabled label text has the enabled colour")
	}
	if rr.swatch.FillColor.(color.NRGBA).A == 0xff {
		t.Error("disabled swatch is not dimmed")
	}

	p.SetEnabled(true)
	test.Tap(p.rows[1])
	if picked != 1 {
		t.Fatalf("re-enabled palette picked %d, want 1", picked)
	}
}

func TestPaletteSetLabels(t *testing.T) {
	test.NewTempApp(t)
	picked := -1
	p := NewPalette(nil, func(i int) { picked = i })
	w := panelWindow(t, p, fyne.NewSize(240, 80))
	panelShot(t, w, "palette-empty", false)
	if len(p.rows) != 0 || !p.empty.Visible() {
		t.Fatal("empty palette shows rows")
	}
	labels := samplePaletteLabels()[:2]
	p.SetLabels(labels)
	labels[0].Name = "changed by caller"
	if len(p.rows) != 2 || p.Labels()[0].Name != "Claim" {
		t.Fatalf("SetLabels: %d rows, %+v", len(p.rows), p.Labels())
	}
	test.Tap(p.rows[1])
	if picked != 1 {
		t.Fatalf("picked %d", picked)
	}
	// The long name is cut to the row, the key-cap stays.
	p.SetLabels(samplePaletteLabels())
	w.Resize(fyne.NewSize(160, 260))
	panelShot(t, w, "palette-narrow", false)
	rr := test.WidgetRenderer(p.rows[4]).(*paletteRowRenderer)
	if rr.name.Text == samplePaletteLabels()[4].Name || rr.name.Text == "" {
		t.Errorf("long name not cut: %q", rr.name.Text)
	}
	if !rr.cap.Visible() || rr.cap.Position().X+rr.cap.Size().Width > p.rows[4].Size().Width {
		t.Errorf("key-cap hidden or outside its row")
	}
	if test.WidgetRenderer(p.rows[5]).(*paletteRowRenderer).cap.Visible() {
		t.Error("key-cap shown for a label without a key")
	}
}
