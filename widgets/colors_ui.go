package widgets

// Drawing helpers shared by the widgets: theme colour look-ups and
// single-line text fitting for the panels, the charts and the text view.
// Names carry a "panel" prefix to stay clear of the rest of the package.

import (
	"image/color"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// panelColor looks a colour up in th for the current variant.
func panelColor(th fyne.Theme, name fyne.ThemeColorName) color.Color {
	return th.Color(name, fyne.CurrentApp().Settings().ThemeVariant())
}

// panelMuted is the colour of secondary text (positions, counts, key-caps).
func panelMuted(th fyne.Theme) color.Color {
	return panelColor(th, theme.ColorNamePlaceHolder)
}

// panelMaxRunes bounds the text handed to the measurer: no panel is wide
// enough to show more, and a span may cover a whole chapter.
const panelMaxRunes = 400

// panelEllipsize returns the longest prefix of s (plus "…") that fits in width
// when drawn at size/style, or s itself if it fits. Cost: one measurement, or
// about log2(len) of them when the text must be cut.
func panelEllipsize(s string, width, size float32, style fyne.TextStyle) string {
	if s == "" || width <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) > panelMaxRunes {
		r := []rune(s)
		s = string(r[:panelMaxRunes]) + "…"
	}
	if fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	r := []rune(strings.TrimSuffix(s, "…"))
	lo, hi := 0, len(r) // invariant: r[:lo]+"…" fits (or lo == 0)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText(strings.TrimRight(string(r[:mid]), " ")+"…", size, style).Width <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 {
		return "…"
	}
	return strings.TrimRight(string(r[:lo]), " ") + "…"
}

// panelOneLine flattens s onto one line: each run of line breaks becomes " ⏎ ", tabs
// and other runs of white space collapse to one space, and the ends are
// trimmed. Only the first panelMaxRunes runes are looked at.
func panelOneLine(s string) string {
	var b strings.Builder
	b.Grow(min(len(s), panelMaxRunes*2))
	space, n := false, 0
	for i := 0; i < len(s) && n < panelMaxRunes; {
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		switch r {
		case '\r':
			if i < len(s) && s[i] == '\n' {
				i++
			}
			fallthrough
		case '\n', '\u2028', '\u2029':
			if b.Len() > 0 && !strings.HasSuffix(b.String(), " ⏎ ") {
				b.WriteString(" ⏎ ")
				n += 3
			}
			space = false
			continue
		case ' ', '\t', '\v', '\f', '\u00a0':
			space = true
			continue
		}
		if space && b.Len() > 0 && !strings.HasSuffix(b.String(), " ") {
			b.WriteByte(' ')
			n++
		}
		space = false
		b.WriteRune(r)
		n++
	}
	out := strings.TrimSuffix(b.String(), " ⏎ ")
	if n >= panelMaxRunes {
		out += "…"
	}
	return out
}

// panelMetrics are the theme sizes the list rows lay out with.
type panelMetrics struct {
	pad, inner, textSize, capSize float32
}

func (m *panelMetrics) load(th fyne.Theme) {
	m.pad = th.Size(theme.SizeNamePadding)
	m.inner = th.Size(theme.SizeNameInnerPadding)
	m.textSize = th.Size(theme.SizeNameText)
	m.capSize = th.Size(theme.SizeNameCaptionText)
}

// vpad is the space above and below a row's content.
func (m panelMetrics) vpad() float32 { return m.pad * 1.5 }
