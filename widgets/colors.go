package widgets

import (
	"errors"
	"fmt"
	"image/color"
	"math"
)

// OkabeIto is the Okabe–Ito colour-blind-safe palette, in its canonical
// order: black, orange, sky blue, bluish green, yellow, blue, vermillion,
// reddish purple.
//
// Black is a poor label colour (it reads as plain text), so new labels should
// take their colour from LabelColors or LabelColor, which skip it.
var OkabeIto = []color.NRGBA{
	{0x00, 0x00, 0x00, 0xff}, // black
	{0xe6, 0x9f, 0x00, 0xff}, // orange
	{0x56, 0xb4, 0xe9, 0xff}, // sky blue
	{0x00, 0x9e, 0x73, 0xff}, // bluish green
	{0xf0, 0xe4, 0x42, 0xff}, // yellow
	{0x00, 0x72, 0xb2, 0xff}, // blue
	{0xd5, 0x5e, 0x00, 0xff}, // vermillion
	{0xcc, 0x79, 0xa7, 0xff}, // reddish purple
}

// LabelColors returns the seven Okabe–Ito colours suitable for labels (every
// one but black), as a fresh slice the caller may modify.
func LabelColors() []color.NRGBA {
	out := make([]color.NRGBA, len(OkabeIto)-1)
	copy(out, OkabeIto[1:])
	return out
}

// LabelColor returns the colour for the i-th label (0-based), cycling through
// LabelColors. Negative i is treated as 0.
func LabelColor(i int) color.NRGBA {
	n := len(OkabeIto) - 1
	if i < 0 {
		i = 0
	}
	return OkabeIto[1+i%n]
}

// ErrBadHex is wrapped by every ParseHex error.
var ErrBadHex = errors.New("bad hex colour")

// ParseHex parses "#rrggbb" (or the short form "#rgb"), case-insensitively,
// into an opaque colour. Anything else, including a missing '#', surrounding
// spaces or an alpha component, is an error wrapping ErrBadHex.
func ParseHex(s string) (color.NRGBA, error) {
	if len(s) != 7 && len(s) != 4 || s[0] != '#' {
		return color.NRGBA{}, fmt.Errorf("%w: %q (want #rrggbb)", ErrBadHex, s)
	}
	var v [6]uint8
	digits := s[1:]
	for i := 0; i < len(digits); i++ {
		d, ok := hexDigit(digits[i])
		if !ok {
			return color.NRGBA{}, fmt.Errorf("%w: %q (want #rrggbb)", ErrBadHex, s)
		}
		v[i] = d
	}
	if len(digits) == 3 {
		return color.NRGBA{v[0] * 0x11, v[1] * 0x11, v[2] * 0x11, 0xff}, nil
	}
	return color.NRGBA{v[0]<<4 | v[1], v[2]<<4 | v[3], v[4]<<4 | v[5], 0xff}, nil
}

func hexDigit(c byte) (uint8, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// Hex formats c as lower-case "#rrggbb" (alpha is dropped; a translucent colour
// is un-premultiplied first). A nil colour formats as "#000000".
func Hex(c color.Color) string {
	n := toNRGBA(c)
	return fmt.Sprintf("#%02x%02x%02x", n.R, n.G, n.B)
}

// Tint returns c's hue with the given alpha: Tint(c, 0x40) is a light wash of
// c, suitable as a highlight behind text.
func Tint(c color.Color, alpha uint8) color.NRGBA {
	n := toNRGBA(c)
	n.A = alpha
	return n
}

// Contrast returns black or white, whichever reads better as text on an
// opaque background of colour c (by WCAG contrast ratio).
func Contrast(c color.Color) color.Color {
	if luminance(c) > 0.179 { // the crossover where both ratios are equal
		return color.Black
	}
	return color.White
}

// luminance is the WCAG relative luminance of c, in [0, 1].
func luminance(c color.Color) float64 {
	n := toNRGBA(c)
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(n.R) + 0.7152*lin(n.G) + 0.0722*lin(n.B)
}

func toNRGBA(c color.Color) color.NRGBA {
	if c == nil {
		return color.NRGBA{A: 0xff}
	}
	if n, ok := c.(color.NRGBA); ok {
		return n
	}
	return color.NRGBAModel.Convert(c).(color.NRGBA)
}

// ContrastRatio is the WCAG contrast ratio of two opaque colours, from 1
// (the same) to 21 (black on white).
func ContrastRatio(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// Readable is c, darkened or lightened towards the text colour of bg just
// enough that small text in it reads on bg at WCAG AA (4.5:1). Label
// colours stay recognisable: only their lightness moves.
func Readable(c, bg color.Color) color.Color {
	if c == nil || ContrastRatio(c, bg) >= 4.5 {
		return c
	}
	n := toNRGBA(c)
	target := color.NRGBA{A: 0xff} // towards black on a light background
	if luminance(bg) < 0.179 {
		target = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	}
	for k := 1; k <= 20; k++ {
		f := float64(k) / 20
		mix := func(a, b uint8) uint8 { return uint8(math.Round(float64(a)*(1-f) + float64(b)*f)) }
		m := color.NRGBA{mix(n.R, target.R), mix(n.G, target.G), mix(n.B, target.B), n.A}
		if ContrastRatio(m, bg) >= 4.5 {
			return m
		}
	}
	return target
}
