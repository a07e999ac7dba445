package workbench

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"gloss/widgets"
)

// View ▸ theme, text size and density are applied at once, kept in the
// preferences, and a new window starts with them and with the size and
// split the last one had.
func TestViewMenu(t *testing.T) {
	w, store, _ := open(t)
	w.setTheme("light")
	th, ok := w.app.Settings().Theme().(*glossTheme)
	if !ok || th.variant != "light" {
		t.Fatalf("theme %T %+v", w.app.Settings().Theme(), th)
	}
	if th.Color(theme.ColorNameBackground, theme.VariantDark) != theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantLight) {
		t.Error("light does not override the system's dark")
	}
	base := theme.DefaultTheme().Size(theme.SizeNameText)
	shortcut(w, &desktopShortcut{fyne.KeyEqual})
	shortcut(w, &desktopShortcut{fyne.KeyEqual})
	if got := w.app.Settings().Theme().Size(theme.SizeNameText); got <= base {
		t.Errorf("Ctrl+= twice: text size %v, base %v", got, base)
	}
	w.setDensity("roomy")
	if w.viewTheme().lineSpacing() <= 0 || w.text.LineSpacing() <= 0 {
		t.Error("roomier lines add no spacing")
	}
	if !w.menuItems["Roomier lines"].Checked || !w.menuItems["Light"].Checked || w.menuItems["Dark"].Checked {
		t.Error("the View menu does not tick the current choices")
	}
	w.win.Resize(fyne.NewSize(1100, 700))
	w.split.Offset = 0.3
	w.rememberWindow()

	w2, err := New(w.app, store, Options{Annotator: "Tess"})
	if err != nil {
		t.Fatal(err)
	}
	synchronous(w2)
	w2.Start(nil)
	t.Cleanup(func() { w2.win.Close() })
	if sz := w2.win.Canvas().Size(); sz.Width != 1100 || sz.Height != 700 {
		t.Errorf("the new window is %v", sz)
	}
	if w2.split.Offset != 0.3 {
		t.Errorf("split %v", w2.split.Offset)
	}
	if th := w2.app.Settings().Theme().(*glossTheme); th.variant != "light" || th.density != "roomy" || th.scale <= 1 {
		t.Errorf("the new window's theme %+v", th)
	}
	shortcut(w2, &desktopShortcut{fyne.Key0})
	if got := w2.app.Settings().Theme().Size(theme.SizeNameText); got != base {
		t.Errorf("Ctrl+0: %v, want %v", got, base)
	}
}

// The small grey text (the metadata line, the position, muted labels) keeps
// WCAG AA contrast, 4.5:1, on the background in both variants; Fyne's own
// greys do not.
func TestMutedTextContrast(t *testing.T) {
	th := &glossTheme{variant: "system", scale: 1, density: "normal"}
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		bg := th.Color(theme.ColorNameBackground, v)
		for _, n := range []fyne.ThemeColorName{theme.ColorNameDisabled, theme.ColorNamePlaceHolder, theme.ColorNameForeground} {
			if r := widgets.ContrastRatio(th.Color(n, v), bg); r < 4.5 {
				t.Errorf("variant %v: %s on the background is %.2f:1", v, n, r)
			}
		}
	}
}

// desktopShortcut is Ctrl+key as the window registers it.
type desktopShortcut struct{ k fyne.KeyName }

func (s *desktopShortcut) ShortcutName() string { return key(ctrl, s.k).ShortcutName() }
