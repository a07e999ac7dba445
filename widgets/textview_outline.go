package widgets

import (
	"image"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
)

// Outlines of styled spans (Span.Style). Solid and double edges are pooled
// rectangles. A dashed or dotted edge is one canvas.Raster whose generator
// paints the pattern, so an edge costs one object whatever its length (a
// line-long dotted edge would otherwise take ~190 rectangles); the rasters
// are pooled by size, style and colour like the texts (framePool), so
// scrolling only moves them and the GL driver keeps their textures.

const (
	outlineThick = 2 // px, solid, dashed and dotted
	outlineInset = 3 // px per lane between nested boxes
	dashOn       = 6
	dashPeriod   = 10
	dotOn        = 2
	dotPeriod    = 4
)

// patternOn reports whether the pattern of style is inked at distance d (px,
// logical) from the start of an edge.
func patternOn(style OutlineStyle, d float32) bool {
	switch style {
	case OutlineDashed:
		return math.Mod(float64(d), dashPeriod) < dashOn
	case OutlineDotted:
		return math.Mod(float64(d), dotPeriod) < dotOn
	}
	return true
}

type patKey struct {
	w, h     float32 // logical size
	style    OutlineStyle
	vertical bool
	col      color.NRGBA
}

// patEdge is a pooled raster drawing one dashed or dotted edge.
type patEdge struct {
	r   *canvas.Raster
	k   patKey
	img *image.NRGBA
	gk  patKey // the key img was generated for
}

func newPatEdge() *patEdge {
	e := &patEdge{}
	e.r = canvas.NewRaster(e.generate)
	e.r.ScaleMode = canvas.ImageScalePixels
	return e
}

// generate paints the pattern at the driver's pixel size; the pattern is
// measured in logical pixels so it looks the same on a HiDPI screen.
func (e *patEdge) generate(pw, ph int) image.Image {
	if e.img != nil && e.gk == e.k && e.img.Rect.Dx() == pw && e.img.Rect.Dy() == ph {
		return e.img
	}
	img := image.NewNRGBA(image.Rect(0, 0, pw, ph))
	k := e.k
	n, logical := pw, k.w
	if k.vertical {
		n, logical = ph, k.h
	}
	scale := float32(1)
	if logical > 0 && n > 0 {
		scale = float32(n) / logical
	}
	for i := 0; i < n; i++ {
		if !patternOn(k.style, (float32(i)+0.5)/scale) {
			continue
		}
		if k.vertical {
			for x := 0; x < pw; x++ {
				img.SetNRGBA(x, i, k.col)
			}
		} else {
			for y := 0; y < ph; y++ {
				img.SetNRGBA(i, y, k.col)
			}
		}
	}
	e.img, e.gk = img, k
	return img
}

// edge draws one straight edge of an outline: x, y, w, h in widget
// coordinates, the pattern running along the longer side.
func (r *textViewRenderer) edge(layer *[]fyne.CanvasObject, x, y, w, h float32, style OutlineStyle, col color.Color) {
	if w <= 0 || h <= 0 {
		return
	}
	if style != OutlineDashed && style != OutlineDotted {
		r.place(layer, x, y, w, h, col, nil, 0, 0)
		return
	}
	k := patKey{w: w, h: h, style: style, vertical: h > w, col: tvNRGBA(col)}
	e, fresh := r.pats.get(k)
	if fresh {
		e.k = k
		e.r.Resize(fyne.NewSize(k.w, k.h))
		canvas.Refresh(e.r)
	}
	e.r.Move(fyne.NewPos(x, y))
	*layer = append(*layer, e.r)
}

// box draws the outline of one span fragment, [x0, x1) × [y0, y1), with
// its left and/or right side left open where the span continues on another
// line. Coordinates are rounded to whole pixels so the patterns stay crisp.
func (r *textViewRenderer) box(layer *[]fyne.CanvasObject, x0, y0, x1, y1 float32, left, right bool, style OutlineStyle, col color.Color) {
	round := func(v float32) float32 { return float32(math.Round(float64(v))) }
	x0, y0, x1, y1 = round(x0), round(y0), round(x1), round(y1)
	if style == OutlineDouble {
		r.sides(layer, x0, y0, x1, y1, 1, left, right, OutlineSolid, col)
		ix0, ix1 := x0, x1
		if left {
			ix0 += 2
		}
		if right {
			ix1 -= 2
		}
		if ix1-ix0 >= 2 && y1-y0 >= 6 {
			r.sides(layer, ix0, y0+2, ix1, y1-2, 1, left, right, OutlineSolid, col)
		}
		return
	}
	r.sides(layer, x0, y0, x1, y1, outlineThick, left, right, style, col)
}

func (r *textViewRenderer) sides(layer *[]fyne.CanvasObject, x0, y0, x1, y1, th float32, left, right bool, style OutlineStyle, col color.Color) {
	w, h := x1-x0, y1-y0
	r.edge(layer, x0, y0, w, th, style, col)
	r.edge(layer, x0, y1-th, w, th, style, col)
	if left {
		r.edge(layer, x0, y0, th, h, style, col)
	}
	if right {
		r.edge(layer, x1-th, y0, th, h, style, col)
	}
}
