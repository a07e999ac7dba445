package workbench

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// Preference keys of the View menu and the window.
const (
	prefTheme   = "theme"     // "system", "light" or "dark"
	prefScale   = "textScale" // text size, 1 = the theme's
	prefDensity = "density"   // "dense", "normal" or "roomy"
	prefWidth   = "windowWidth"
	prefHeight  = "windowHeight"
	prefSplit   = "splitLeft"
	prefSplitR  = "splitRight"
)

// Text size steps of Ctrl+= and Ctrl+-.
var textScales = []float32{0.8, 0.9, 1, 1.1, 1.25, 1.4, 1.6, 1.8}

// glossTheme is Fyne's theme with the View menu's choices applied: the
// variant (or the system's), the text size, the line spacing and padding,
// and muted text colours that keep WCAG AA contrast (4.5:1) for the small
// grey text (the metadata line, the position) in both variants — Fyne's
// own disabled and placeholder greys do not.
type glossTheme struct {
	variant string // "system", "light", "dark"
	scale   float32
	density string
}

func (t *glossTheme) base() fyne.Theme { return theme.DefaultTheme() }

func (t *glossTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch t.variant {
	case "light":
		v = theme.VariantLight
	case "dark":
		v = theme.VariantDark
	}
	switch n {
	case theme.ColorNameDisabled, theme.ColorNamePlaceHolder:
		if v == theme.VariantLight {
			return color.NRGBA{0x70, 0x70, 0x70, 0xff} // 4.95:1 on white
		}
		return color.NRGBA{0x9a, 0x9a, 0x9a, 0xff} // 6.6:1 on #171718
	}
	return t.base().Color(n, v)
}

func (t *glossTheme) Font(s fyne.TextStyle) fyne.Resource { return t.base().Font(s) }

func (t *glossTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base().Icon(n) }

func (t *glossTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText, theme.SizeNameCaptionText, theme.SizeNameHeadingText, theme.SizeNameSubHeadingText,
		theme.SizeNameInlineIcon:
		return t.base().Size(n) * t.scale
	case theme.SizeNamePadding, theme.SizeNameInnerPadding, theme.SizeNameLineSpacing:
		switch t.density {
		case "dense":
			return t.base().Size(n) * 0.7
		case "roomy":
			return t.base().Size(n) * 1.3
		}
	}
	return t.base().Size(n)
}

// lineSpacing is what the article adds between its lines.
func (t *glossTheme) lineSpacing() float32 {
	switch t.density {
	case "dense":
		return -2 * t.scale
	case "roomy":
		return 6 * t.scale
	}
	return 0
}

// viewTheme is the theme the preferences ask for.
func (w *Workbench) viewTheme() *glossTheme {
	p := w.app.Preferences()
	return &glossTheme{variant: p.StringWithFallback(prefTheme, "system"),
		scale: float32(p.FloatWithFallback(prefScale, 1)), density: p.StringWithFallback(prefDensity, "normal")}
}

// applyView installs the theme the preferences ask for.
func (w *Workbench) applyView() {
	t := w.viewTheme()
	w.app.Settings().SetTheme(t)
	if w.text != nil {
		w.text.SetLineSpacing(t.lineSpacing())
	}
	w.refreshViewMenu()
}

// setTheme is View ▸ Light / Dark / Follow the system.
func (w *Workbench) setTheme(variant string) {
	w.app.Preferences().SetString(prefTheme, variant)
	w.applyView()
	w.say("Theme: " + map[string]string{"system": "following the system", "light": "light", "dark": "dark"}[variant])
}

// zoom is Ctrl+= (1), Ctrl+- (-1) and Ctrl+0 (0).
func (w *Workbench) zoom(step int) {
	cur := float32(w.app.Preferences().FloatWithFallback(prefScale, 1))
	i := 2
	for k, s := range textScales {
		if s <= cur+0.001 {
			i = k
		}
	}
	switch {
	case step == 0:
		i = 2
	case step > 0 && i < len(textScales)-1:
		i++
	case step < 0 && i > 0:
		i--
	}
	w.app.Preferences().SetFloat(prefScale, float64(textScales[i]))
	w.applyView()
	w.say(fmt.Sprintf("Text size %d %%", int(textScales[i]*100+0.5)))
}

// setDensity is View ▸ Denser / Normal / Roomier lines.
func (w *Workbench) setDensity(d string) {
	w.app.Preferences().SetString(prefDensity, d)
	w.applyView()
	w.say("Lines: " + d)
}

// refreshViewMenu ticks the View menu's current choices.
func (w *Workbench) refreshViewMenu() {
	if w.menuItems == nil {
		return
	}
	t := w.viewTheme()
	for label, on := range map[string]bool{
		"Follow the system": t.variant == "system", "Light": t.variant == "light", "Dark": t.variant == "dark",
		"Denser lines": t.density == "dense", "Normal lines": t.density == "normal", "Roomier lines": t.density == "roomy",
	} {
		if it := w.menuItems[label]; it != nil {
			it.Checked = on
		}
	}
	if it := w.menuItems["Import whole web pages"]; it != nil {
		it.Checked = w.app.Preferences().Bool(prefWholePages)
	}
	if w.menu != nil {
		w.menu.Refresh()
	}
}

// restoreWindow gives the window the size and panel split it had.
func (w *Workbench) restoreWindow() {
	p := w.app.Preferences()
	w.win.Resize(fyne.NewSize(float32(p.FloatWithFallback(prefWidth, 1280)), float32(p.FloatWithFallback(prefHeight, 800))))
	if w.split != nil {
		w.split.Offset = p.FloatWithFallback(prefSplit, 0.2)
		if r, ok := w.split.Trailing.(*container.Split); ok {
			r.Offset = p.FloatWithFallback(prefSplitR, 0.74)
		}
		w.split.Refresh()
	}
}

// rememberWindow keeps the window's size and split for the next start.
func (w *Workbench) rememberWindow() {
	p := w.app.Preferences()
	sz := w.win.Canvas().Size()
	if sz.Width > 200 && sz.Height > 200 {
		p.SetFloat(prefWidth, float64(sz.Width))
		p.SetFloat(prefHeight, float64(sz.Height))
	}
	if w.split != nil {
		p.SetFloat(prefSplit, w.split.Offset)
		if r, ok := w.split.Trailing.(*container.Split); ok {
			p.SetFloat(prefSplitR, r.Offset)
		}
	}
}

// lastDocKey is where the document open last is kept: per database (by
// its path) and analyst.
func (w *Workbench) lastDocKey() string {
	h := sha256.Sum256([]byte(w.store.Path()))
	return prefLastDoc + "." + hex.EncodeToString(h[:8]) + "." + w.me.ID
}
