package widgets

// Drawing helpers shared by the widgets: theme colour look-ups and
// single-line text fitting for the panels, the charts and the text view.
// Names carry a "panel" prefix to stay clear of the rest of the package.

import (
	"image/color"
	"strings"
	"sync"
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
// when drawn at size/style, or s itself if it fits. Most calls shape no text:
// a string whose runes, measured one by one, take well under the width is
// kept as it is; a cut is first placed by the runes' widths and then checked
// with two measurements (the cut fits, one more rune does not), and only
// when that guess is wrong does it fall back to a binary search of about
// log2(len) measurements.
func panelEllipsize(s string, width, size float32, style fyne.TextStyle) string {
	if s == "" || width <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) > panelMaxRunes {
		r := []rune(s)
		s = string(r[:panelMaxRunes]) + "…"
	}
	rw := panelRuneWidths(size, style)
	if rw.sum(s) <= width*panelSureFit || fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	r := []rune(strings.TrimSuffix(s, "…"))
	cut := func(k int) string { return strings.TrimRight(string(r[:k]), " ") + "…" }
	fits := func(k int) bool { return k == 0 || fyne.MeasureText(cut(k), size, style).Width <= width }
	// invariant: r[:lo]+"…" fits (or lo == 0), r[:hi+1]+"…" does not (or hi == len(r))
	lo, hi := 0, len(r)
	guess, w := 0, rw.sum("…")
	for guess < len(r) && w+rw.of(r[guess]) <= width {
		w += rw.of(r[guess])
		guess++
	}
	if fits(guess) {
		lo = guess
		if guess == len(r) || !fits(guess+1) {
			hi = guess
		} else {
			lo = guess + 1
		}
	} else {
		hi = guess - 1
	}
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fits(mid) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 {
		return "…"
	}
	return cut(lo)
}

// panelSureFit: text whose runes, measured one by one, take less than this
// share of the room is taken to fit without shaping it. Shaping joins runes
// (kerning, ligatures, Arabic forms, combining marks, emoji sequences) and
// almost always makes a string narrower than its runes apart; the margin
// covers the rare pair kerned apart.
const panelSureFit = 0.8

// panelTextWidth is about s's width at size/style, summed from its runes'
// widths without shaping it. Use it where a pixel cannot show, such as the
// room kept for a short right-aligned position of digits.
func panelTextWidth(s string, size float32, style fyne.TextStyle) float32 {
	return panelRuneWidths(size, style).sum(s)
}

// runeWidths caches the width of each rune drawn alone at one font, size and
// style. Measuring a string in Fyne 2.7 shapes it with a font built anew
// (about 0.1 ms), and the span list binds its rows again at every label
// key, each with texts and positions not seen before.
type runeWidths struct {
	size  float32
	style fyne.TextStyle
	w     map[rune]float32
}

type runeWidthsKey struct {
	font  string
	size  float32
	style fyne.TextStyle
}

var (
	runeWidthsMu  sync.Mutex
	runeWidthsFor = map[runeWidthsKey]*runeWidths{}
)

// panelRuneWidths returns the cache for the current theme's font at
// size/style. Widgets draw on the UI goroutine, but charts may be measured by
// tests in parallel, hence the lock.
func panelRuneWidths(size float32, style fyne.TextStyle) *runeWidths {
	font := ""
	if a := fyne.CurrentApp(); a != nil {
		if f := a.Settings().Theme().Font(style); f != nil {
			font = f.Name()
		}
	}
	k := runeWidthsKey{font, size, style}
	runeWidthsMu.Lock()
	defer runeWidthsMu.Unlock()
	rw := runeWidthsFor[k]
	if rw == nil {
		rw = &runeWidths{size: size, style: style, w: map[rune]float32{}}
		runeWidthsFor[k] = rw
	}
	return rw
}

func (rw *runeWidths) of(r rune) float32 {
	runeWidthsMu.Lock()
	w, ok := rw.w[r]
	runeWidthsMu.Unlock()
	if !ok {
		w = fyne.MeasureText(string(r), rw.size, rw.style).Width
		runeWidthsMu.Lock()
		rw.w[r] = w
		runeWidthsMu.Unlock()
	}
	return w
}

func (rw *runeWidths) sum(s string) float32 {
	var w float32
	for _, r := range s {
		w += rw.of(r)
	}
	return w
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
