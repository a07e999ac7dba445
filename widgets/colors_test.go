package widgets

import (
	"errors"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

func TestParseHexRoundTrip(t *testing.T) {
	for _, s := range []string{"#000000", "#ffffff", "#e69f00", "#56b4e9", "#0072b2", "#123456"} {
		c, err := ParseHex(s)
		if err != nil {
			t.Fatalf("ParseHex(%q): %v", s, err)
		}
		if c.A != 0xff {
			t.Errorf("ParseHex(%q) alpha = %#x, want opaque", s, c.A)
		}
		if got := Hex(c); got != s {
			t.Errorf("Hex(ParseHex(%q)) = %q", s, got)
		}
	}
	c, err := ParseHex("#E69F00")
	if err != nil || c != (color.NRGBA{0xe6, 0x9f, 0x00, 0xff}) {
		t.Errorf("ParseHex upper case = %v, %v", c, err)
	}
	c, err = ParseHex("#f80")
	if err != nil || c != (color.NRGBA{0xff, 0x88, 0x00, 0xff}) {
		t.Errorf("ParseHex short form = %v, %v", c, err)
	}
	for _, col := range OkabeIto {
		back, err := ParseHex(Hex(col))
		if err != nil || back != col {
			t.Errorf("round trip of %v gave %v, %v", col, back, err)
		}
	}
}

func TestParseHexRejects(t *testing.T) {
	for _, s := range []string{"", "#", "e69f00", "#e69f0", "#e69f000", "#e69f00ff", "#gg0000",
		" #e69f00", "#e69f00 ", "#-12345", "#12 456", "##12345", "#ｅ69f0"} {
		if c, err := ParseHex(s); err == nil {
			t.Errorf("ParseHex(%q) = %v, want error", s, c)
		} else if !errors.Is(err, ErrBadHex) {
			t.Errorf("ParseHex(%q) error %v does not wrap ErrBadHex", s, err)
		}
	}
}

func TestHexOtherModels(t *testing.T) {
	if got := Hex(color.White); got != "#ffffff" {
		t.Errorf("Hex(White) = %q", got)
	}
	if got := Hex(color.RGBA{0x80, 0x40, 0x00, 0xff}); got != "#804000" {
		t.Errorf("Hex(RGBA) = %q", got)
	}
	// premultiplied half-transparent orange un-premultiplies back to the hue
	back, err := ParseHex(Hex(color.RGBA{0x73, 0x4f, 0x00, 0x80}))
	if d := int(back.R) - 0xe6 + int(back.G) - 0x9e; err != nil || d < -3 || d > 3 || back.B != 0 {
		t.Errorf("Hex(premultiplied) = %s", Hex(back))
	}
	if got := Hex(nil); got != "#000000" {
		t.Errorf("Hex(nil) = %q", got)
	}
}

func TestTint(t *testing.T) {
	got := Tint(OkabeIto[1], 0x40)
	if got != (color.NRGBA{0xe6, 0x9f, 0x00, 0x40}) {
		t.Errorf("Tint = %v", got)
	}
	if got := Tint(color.Black, 0); got.A != 0 || got.R != 0 {
		t.Errorf("Tint(black, 0) = %v", got)
	}
}

func TestContrast(t *testing.T) {
	black, white := color.Black, color.White
	cases := []struct {
		c    color.Color
		want color.Color
	}{
		{color.White, black},
		{color.Black, white},
		{OkabeIto[0], white}, // black
		{OkabeIto[1], black}, // orange
		{OkabeIto[2], black}, // sky blue
		{OkabeIto[4], black}, // yellow
		{OkabeIto[5], white}, // blue
		{color.NRGBA{0x20, 0x20, 0x60, 0xff}, white},
	}
	for _, c := range cases {
		if got := Contrast(c.c); got != c.want {
			t.Errorf("Contrast(%s) = %v, want %v", Hex(c.c), got, c.want)
		}
	}
}

func TestLabelColors(t *testing.T) {
	if len(OkabeIto) != 8 {
		t.Fatalf("OkabeIto has %d colours", len(OkabeIto))
	}
	lc := LabelColors()
	if len(lc) != 7 {
		t.Fatalf("LabelColors has %d colours", len(lc))
	}
	for i, c := range lc {
		if c == (color.NRGBA{0, 0, 0, 0xff}) {
			t.Errorf("LabelColors[%d] is black", i)
		}
		if LabelColor(i) != c || LabelColor(i+7) != c {
			t.Errorf("LabelColor(%d) does not cycle through LabelColors", i)
		}
	}
	lc[0] = color.NRGBA{}
	if OkabeIto[1] == lc[0] {
		t.Error("LabelColors shares storage with OkabeIto")
	}
}

func TestPanelOneLine(t *testing.T) {
	cases := map[string]string{
		"":                      "",
		"plain":                 "plain",
		"a\nb":                  "a ⏎ b",
		"a\r\nb":                "a ⏎ b",
		"a\n\n\nb":              "a ⏎ b",
		"  lead\ttab  trail \n": "lead tab trail",
		"\nfirst":               "first",
	}
	for in, want := range cases {
		if got := panelOneLine(in); got != want {
			t.Errorf("panelOneLine(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPanelEllipsize(t *testing.T) {
	test.NewTempApp(t)
	size := theme.TextSize()
	long := "The quick brown fox jumps over the lazy dog and keeps running far away"
	if got := panelEllipsize(long, 1000, size, fyne.TextStyle{}); got != long {
		t.Errorf("fits: got %q", got)
	}
	got := panelEllipsize(long, 100, size, fyne.TextStyle{})
	if w := fyne.MeasureText(got, size, fyne.TextStyle{}).Width; w > 100 || got == long || len([]rune(got)) < 3 {
		t.Errorf("cut: got %q (width %v)", got, w)
	}
	if got := panelEllipsize(long, 1, size, fyne.TextStyle{}); got != "…" {
		t.Errorf("tiny: got %q", got)
	}
}

// TestPanelEllipsizeIsTheLongestCut: the cut placed from the runes' widths
// is the one a binary search of measurements finds, in every script, and
// what is kept always fits.
func TestPanelEllipsizeIsTheLongestCut(t *testing.T) {
	test.NewTempApp(t)
	size := theme.TextSize()
	texts := []string{
		"The quick brown fox jumps over the lazy dog and keeps running far away",
		"AVAVAV To Ty Wa LT kerning pairs “quoted” — em dash… and more",
		"الحكومة تعلن خطة جديدة للإسكان في المدينة القديمة",
		"Ann 👩🏽‍💻 labels 🇫🇷 flags and café naïve e\u0301 combining",
		"住宅計画は来年から始まる予定です",
		"   spaces   inside    ",
	}
	measure := func(s string) float32 { return fyne.MeasureText(s, size, fyne.TextStyle{}).Width }
	reference := func(s string, width float32) string {
		if measure(s) <= width {
			return s
		}
		r := []rune(s)
		lo, hi := 0, len(r)
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if measure(strings.TrimRight(string(r[:mid]), " ")+"…") <= width {
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
	for _, s := range texts {
		full := measure(s)
		for _, share := range []float32{0.05, 0.2, 0.37, 0.5, 0.66, 0.81, 0.9, 0.99, 1, 1.2} {
			width := full * share
			got := panelEllipsize(s, width, size, fyne.TextStyle{})
			if want := reference(s, width); got != want {
				t.Errorf("%q in %.1f: got %q, want %q", s, width, got, want)
			}
			if got != "…" && measure(got) > width {
				t.Errorf("%q in %.1f: %q is %.1f wide", s, width, got, measure(got))
			}
		}
	}
}

// panelVariant forces one theme variant, for light and dark captures.
type panelVariant struct {
	fyne.Theme
	v fyne.ThemeVariant
}

func (p panelVariant) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return p.Theme.Color(n, p.v)
}

// panelWindow shows obj alone in a test window of the given size, in the
// light theme.
func panelWindow(t *testing.T, obj fyne.CanvasObject, size fyne.Size) fyne.Window {
	t.Helper()
	fyne.CurrentApp().Settings().SetTheme(panelVariant{theme.DefaultTheme(), theme.VariantLight})
	w := test.NewTempWindow(t, obj)
	w.Resize(size)
	obj.Refresh()
	return w
}

// panelShot switches w to the light or dark theme and, if GLOSS_SHOTS names a
// directory, saves a PNG of w there as name.png.
func panelShot(t *testing.T, w fyne.Window, name string, dark bool) {
	t.Helper()
	v := theme.VariantLight
	if dark {
		v = theme.VariantDark
	}
	fyne.CurrentApp().Settings().SetTheme(panelVariant{theme.DefaultTheme(), v})
	w.Content().Refresh() // the test app does not refresh widgets on a theme change
	dir := os.Getenv("GLOSS_SHOTS")
	if dir == "" {
		return
	}
	f, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}

// Tags are small text in a label's colour: on either theme's background
// each Okabe–Ito colour is made readable at WCAG AA.
func TestReadableLabelColours(t *testing.T) {
	for _, bg := range []color.Color{color.White, color.NRGBA{0x17, 0x17, 0x18, 0xff}} {
		for _, c := range LabelColors() {
			r := Readable(c, bg)
			if got := ContrastRatio(r, bg); got < 4.5 {
				t.Errorf("%v on %v: %.2f:1", c, bg, got)
			}
		}
	}
	if ContrastRatio(color.Black, color.White) < 20.9 || ContrastRatio(color.White, color.White) != 1 {
		t.Error("ContrastRatio is off")
	}
	// A colour that already reads is left as it is.
	sky := color.NRGBA{0x56, 0xb4, 0xe9, 0xff}
	if Readable(sky, color.NRGBA{0x17, 0x17, 0x18, 0xff}) != color.Color(sky) {
		t.Error("a readable colour was changed")
	}
}
