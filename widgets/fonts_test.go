package widgets

import (
	"fmt"
	"html"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gloss/assets"
)

// Fyne draws Latin, Greek and Cyrillic with its bundled Noto Sans and emoji
// with its bundled EmojiOne; for every other rune its painter asks
// go-text/typesetting's fontscan for a system font (the directories of
// /usr/share/fonts, ~/.local/share/fonts and fontconfig's). When no font has
// the rune, the shaper gives glyph 0 (.notdef) and the painter draws U+FFFD,
// the diamond with a question mark, in its place: that is the tofu the
// analyst sees. `make deps` installs the Debian font packages that cover
// the samples' scripts (PKGS in the Makefile).
//
// TestSampleScriptsHaveGlyphs draws, with Fyne's software painter and the
// default theme (as the window does), one string per script used in the
// samples, in the TextView (the article) and in a bold label (titles), and
// fails when a replacement diamond appears in the picture. Two controls prove
// the detector: a code point no font has must show tofu, ASCII must not.
func TestSampleScriptsHaveGlyphs(t *testing.T) {
	test.NewTempApp(t)
	fyne.CurrentApp().Settings().SetTheme(theme.DefaultTheme())

	groups := sampleScripts()
	var names []string
	for _, g := range groups {
		names = append(names, g.name)
	}
	t.Logf("scripts in the samples: %s", strings.Join(names, ", "))
	if len(groups) < 5 {
		t.Fatalf("found only %d scripts in the samples (%v); the scan is broken", len(groups), names)
	}

	drawers := []struct {
		name string
		draw func(t *testing.T, s string) image.Image
	}{
		{"TextView", drawTextView},
		{"bold label", drawBoldLabel},
	}
	for _, d := range drawers {
		tofu := newTofuFinder(t, d.draw)
		// The controls: U+10FFFD (private use, plane 16) is in no font; ASCII
		// is in Fyne's own.
		if !tofu.in(d.draw(t, "ab \U0010FFFD cd")) {
			t.Fatalf("%s: a code point no font has did not draw as U+FFFD; the tofu detector is broken", d.name)
		}
		if tofu.in(d.draw(t, asciiPrintable())) {
			t.Fatalf("%s: ASCII seems to draw as U+FFFD; the tofu detector is broken", d.name)
		}
		for _, g := range groups {
			t.Run(d.name+"/"+g.name, func(t *testing.T) {
				img := d.draw(t, g.text)
				if !tofu.in(img) {
					return
				}
				var missing []string
				for _, r := range g.runes {
					if tofu.in(d.draw(t, string(r))) {
						missing = append(missing, fmt.Sprintf("U+%04X %c", r, r))
					}
				}
				p := saveTofu(t, img, "gloss-tofu-"+strings.ReplaceAll(d.name+"-"+g.name, " ", "-")+".png")
				t.Errorf("%s draws %s text with empty boxes (no installed font has the glyphs): %q\n"+
					"  runes without a font: %s\n  picture: %s\n"+
					"  fix: `make deps` installs the font packages listed in the Makefile's PKGS (fonts-noto-core, fonts-noto-cjk); "+
					"on another distribution install Noto Sans for this script (e.g. Fedora google-noto-sans-*-fonts, Arch noto-fonts noto-fonts-cjk)",
					d.name, g.name, g.text, strings.Join(missing, ", "), p)
			})
		}
	}
}

// saveTofu writes the failing picture where it outlives the test: in
// $TEXTVIEW_SHOTS, else in the system's temporary directory.
func saveTofu(t *testing.T, img image.Image, name string) string {
	dir := os.Getenv("TEXTVIEW_SHOTS")
	if dir == "" {
		dir = os.TempDir()
	}
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err == nil {
		err = png.Encode(f, img)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		t.Logf("cannot save the picture: %v", err)
	}
	return p
}

func asciiPrintable() string {
	var b strings.Builder
	for r := rune(0x21); r < 0x7f; r++ {
		b.WriteRune(r)
		if r%16 == 0 {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// scriptGroup is the runes of one script the samples use and a short string
// of their words that contains each of those runes.
type scriptGroup struct {
	name  string
	runes []rune
	text  string
}

// markup is an HTML tag, dropped before the samples' words are collected.
var markup = regexp.MustCompile(`<[^>]*>`)

// sampleScripts scans every embedded sample (tags dropped and entities
// decoded, as the HTML importer does) and groups its non-ASCII runes by Unicode script; symbols
// outside the scripts (pictographs, skin tones) form the group "Emoji",
// punctuation the group "Common". Format characters (ZWJ, variation
// selectors) are kept in the words but are no group of their own.
func sampleScripts() []scriptGroup {
	type acc struct {
		runes map[rune]bool
		words []string
	}
	byName := map[string]*acc{}
	for _, s := range assets.Samples() {
		text := html.UnescapeString(markup.ReplaceAllString(string(s.Data), " "))
		for _, w := range strings.FieldsFunc(text, func(r rune) bool { return unicode.IsSpace(r) || r < 0x20 }) {
			for _, r := range w {
				name := scriptName(r)
				if name == "" {
					continue
				}
				a := byName[name]
				if a == nil {
					a = &acc{runes: map[rune]bool{}}
					byName[name] = a
				}
				a.runes[r] = true
				if !slices.Contains(a.words, w) {
					a.words = append(a.words, w)
				}
			}
		}
	}
	var out []scriptGroup
	for name, a := range byName {
		g := scriptGroup{name: name}
		for r := range a.runes {
			g.runes = append(g.runes, r)
		}
		slices.Sort(g.runes)
		g.text = coverWords(a.words, a.runes)
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// coverWords picks, greedily, words until every rune of want appears in one,
// and joins them with spaces: a short string with all the script's runes.
func coverWords(words []string, want map[rune]bool) string {
	left := map[rune]bool{}
	for r := range want {
		left[r] = true
	}
	var picked []string
	for len(left) > 0 {
		best, bestN := "", 0
		for _, w := range words {
			n := 0
			seen := map[rune]bool{}
			for _, r := range w {
				if left[r] && !seen[r] {
					seen[r] = true
					n++
				}
			}
			if n > bestN {
				best, bestN = w, n
			}
		}
		if bestN == 0 {
			break
		}
		picked = append(picked, best)
		for _, r := range best {
			delete(left, r)
		}
	}
	return strings.Join(picked, " ")
}

// scriptName is the group a rune is checked in; "" for ASCII (Fyne's own
// Noto Sans has it) and for invisible format characters.
func scriptName(r rune) string {
	if r < 0x80 || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Inherited, r) {
		return ""
	}
	for name, tab := range unicode.Scripts {
		if name == "Common" || !unicode.Is(tab, r) {
			continue
		}
		return name
	}
	if r >= 0x2190 && (unicode.Is(unicode.So, r) || unicode.Is(unicode.Sk, r)) {
		return "Emoji"
	}
	return "Common"
}

// drawTextView draws s in the article view, as the window shows a document.
func drawTextView(t *testing.T, s string) image.Image {
	v := NewTextView()
	v.SetText(s)
	w := test.NewTempWindow(t, v)
	w.Resize(fyne.NewSize(1000, 300))
	return w.Canvas().Capture()
}

// drawBoldLabel draws s as a bold label, as the window shows titles.
func drawBoldLabel(t *testing.T, s string) image.Image {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Wrapping = fyne.TextWrapWord
	w := test.NewTempWindow(t, l)
	w.Resize(fyne.NewSize(1000, 300))
	return w.Canvas().Capture()
}

// tofuFinder knows the replacement diamond as one drawer draws it: the
// pixels of its inside, two pixels or more away from the background around
// it (full ink and the question mark cut out of it). Each missing glyph is
// drawn on its own at a whole-pixel position, so those pixels come out (all
// but the same) in any picture by that drawer, even where diamonds touch and
// their anti-aliased edges overlap (which is why the rim is not compared).
type tofuFinder struct {
	px   []tofuPixel
	w, h int
}

type tofuPixel struct {
	at image.Point // offset in the diamond's box
	c  color.RGBA
}

func newTofuFinder(t *testing.T, draw func(*testing.T, string) image.Image) *tofuFinder {
	t.Helper()
	blank := draw(t, "")
	mark := draw(t, "\uFFFD")
	b := mark.Bounds()
	isBg := func(x, y int) bool { return rgba(mark.At(x, y)) == rgba(blank.At(x, y)) }
	box := image.Rectangle{Min: b.Max, Max: b.Min}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if !isBg(x, y) {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	if box.Empty() {
		t.Fatal("U+FFFD draws nothing; cannot recognise tofu")
	}
	// outside: the background reachable from the box's border.
	outer := box.Inset(-1).Intersect(b)
	outside := map[image.Point]bool{}
	var queue []image.Point
	for y := outer.Min.Y; y < outer.Max.Y; y++ {
		for x := outer.Min.X; x < outer.Max.X; x++ {
			if !image.Pt(x, y).In(box) {
				outside[image.Pt(x, y)] = true
				queue = append(queue, image.Pt(x, y))
			}
		}
	}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, d := range []image.Point{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
			q := p.Add(d)
			if q.In(box) && !outside[q] && isBg(q.X, q.Y) {
				outside[q] = true
				queue = append(queue, q)
			}
		}
	}
	f := &tofuFinder{w: box.Dx(), h: box.Dy()}
	for y := box.Min.Y; y < box.Max.Y; y++ {
	pixel:
		for x := box.Min.X; x < box.Max.X; x++ {
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					q := image.Pt(x+dx, y+dy)
					if !q.In(box) || outside[q] {
						continue pixel
					}
				}
			}
			f.px = append(f.px, tofuPixel{image.Pt(x, y).Sub(box.Min), rgba(mark.At(x, y))})
		}
	}
	if len(f.px) < 12 {
		t.Fatalf("the inside of U+FFFD is only %d pixels; too few to recognise tofu", len(f.px))
	}
	return f
}

// in reports whether the diamond appears in img. Colours may differ by a
// few levels (the rasteriser's rounding depends on where the glyph lands).
func (f *tofuFinder) in(img image.Image) bool {
	b := img.Bounds()
	for y := b.Min.Y; y+f.h <= b.Max.Y; y++ {
	next:
		for x := b.Min.X; x+f.w <= b.Max.X; x++ {
			for _, p := range f.px {
				if colorDist(rgba(img.At(x+p.at.X, y+p.at.Y)), p.c) > tofuTolerance {
					continue next
				}
			}
			return true
		}
	}
	return false
}

// tofuTolerance is how far (summed over R, G, B and A) a pixel may be from
// the diamond's and still count as the diamond's.
const tofuTolerance = 24

func colorDist(a, b color.RGBA) int {
	d := func(p, q uint8) int { return max(int(p), int(q)) - min(int(p), int(q)) }
	return d(a.R, b.R) + d(a.G, b.G) + d(a.B, b.B) + d(a.A, b.A)
}

func rgba(c color.Color) color.RGBA {
	r, g, b, a := c.RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
}
