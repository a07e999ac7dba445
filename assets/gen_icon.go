//go:build ignore

// gen_icon draws icon.png, Gloss's 256×256 application icon: a rounded
// square in #0072B2 with an amber highlighter band and a white
// "G" over it. Run it with `go run gen_icon.go` in this folder.
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
)

const (
	size = 256
	ss   = 4 // supersamples per axis
)

type rgba struct{ r, g, b, a float64 }

func over(dst, src rgba) rgba {
	a := src.a + dst.a*(1-src.a)
	if a == 0 {
		return rgba{}
	}
	mix := func(s, d float64) float64 { return (s*src.a + d*dst.a*(1-src.a)) / a }
	return rgba{mix(src.r, dst.r), mix(src.g, dst.g), mix(src.b, dst.b), a}
}

var (
	blue  = rgba{0x00, 0x72, 0xB2, 1}
	amber = rgba{0xF0, 0xB4, 0x1E, 1}
	white = rgba{0xFF, 0xFF, 0xFF, 1}
)

// roundedSquare reports whether (x, y) lies in the icon's background.
func roundedSquare(x, y float64) bool {
	const m, r = 8.0, 52.0
	cx := math.Max(m+r, math.Min(x, size-m-r))
	cy := math.Max(m+r, math.Min(y, size-m-r))
	return x >= m && x <= size-m && y >= m && y <= size-m && math.Hypot(x-cx, y-cy) <= r
}

// band is a highlighter stroke: a slightly tilted bar with rounded ends.
func band(x, y float64) bool {
	const x0, x1 = 46.0, 210.0
	mid := 166 - (x-x0)*0.06
	half := 22.0
	if x < x0-half || x > x1+half {
		return false
	}
	cx := math.Max(x0, math.Min(x, x1))
	cy := 166 - (cx-x0)*0.06
	if x >= x0 && x <= x1 {
		return math.Abs(y-mid) <= half
	}
	return math.Hypot(x-cx, y-cy) <= half
}

// letterG is a ring open on the right with a bar pointing inwards.
func letterG(x, y float64) bool {
	const cx, cy, ro, ri = 128.0, 124.0, 78.0, 50.0
	dx, dy := x-cx, y-cy
	d := math.Hypot(dx, dy)
	ang := math.Atan2(dy, dx) * 180 / math.Pi // 0 = right, 90 = down
	if d >= ri && d <= ro && !(ang > -50 && ang < 8) {
		return true
	}
	// The bar: from the centre to the ring, just below the middle.
	if y >= cy-2 && y <= cy+22 && x >= cx+4 && x <= cx+ro && d <= ro {
		return true
	}
	return false
}

func main() {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var acc rgba
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := float64(px) + (float64(sx)+0.5)/ss
					y := float64(py) + (float64(sy)+0.5)/ss
					c := rgba{}
					if roundedSquare(x, y) {
						c = blue
						if band(x, y) {
							c = over(c, amber)
						}
						if letterG(x, y) {
							c = over(c, white)
						}
					}
					// Accumulate premultiplied.
					acc.r += c.r * c.a
					acc.g += c.g * c.a
					acc.b += c.b * c.a
					acc.a += c.a
				}
			}
			n := float64(ss * ss)
			out := color.NRGBA{}
			if acc.a > 0 {
				out = color.NRGBA{
					R: uint8(math.Round(acc.r / acc.a)),
					G: uint8(math.Round(acc.g / acc.a)),
					B: uint8(math.Round(acc.b / acc.a)),
					A: uint8(math.Round(acc.a / n * 255)),
				}
			}
			img.SetNRGBA(px, py, out)
		}
	}
	f, err := os.Create("icon.png")
	if err != nil {
		log.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
