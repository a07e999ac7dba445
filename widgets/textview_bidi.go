package widgets

import (
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"

	"gloss/widgets/internal/bidi"
)

// Mixed-direction lines. Fyne's painter shapes each run of a canvas.Text in
// its own direction but places the runs left to right in logical order, so
// a paragraph holding right-to-left text is laid out here: levels by UAX #9
// (once per paragraph, after wrapping in logical order), then per line the
// pieces in visual order (rule L2) with their x. The line is still drawn as
// one canvas.Text (one baseline): its string is the pieces in visual order,
// each right-to-left letter piece between two LRMs so Fyne neither merges
// nor reorders them, and it reverses only their glyphs. Offsets stay
// logical; every offset ↔ x mapping of such a line goes through bidiLine.
// Paragraphs without right-to-left text never come here.

const lrm = "\u200e"

type pieceKind uint8

const (
	pieceLTR    pieceKind = iota // even level: drawn as is
	pieceRTL                     // R/AL letters and their marks at an odd level: the shaper reverses them
	pieceMirror                  // one other grapheme at an odd level, drawn mirrored
	pieceSpace                   // one break space, spaceW wide
	pieceHidden                  // a bidi control: not drawn (it would steer Fyne's own pass)
)

// bidiPiece is a run of one line drawn in one direction.
type bidiPiece struct {
	off, n int32   // logical range, paragraph-relative
	x, w   float32 // column-relative
	level  int8
	kind   pieceKind
	s      string // the logical text (a substring of the paragraph)
}

func (p *bidiPiece) rtl() bool { return p.level&1 == 1 }

// bidiLine is the visual layout of one line of a paragraph with
// right-to-left text.
type bidiLine struct {
	rs      []rune      // the paragraph, for grapheme boundaries
	pieces  []bidiPiece // left to right
	logical []int32     // indexes into pieces, by logical offset
	x0      float32     // left of the visible text (lineLayout.width wide)
	rtl     bool        // the paragraph runs right to left (its lines are right-aligned)
}

// frag is one visual rectangle of a logical range on a line: widget x, and
// the (absolute) boundary offsets at its left and right sides.
type frag struct {
	x0, x1      float32
	left, right int
}

// isBidiControl reports the explicit formatting characters and marks, which
// are zero width and must not reach Fyne's own bidi pass.
func isBidiControl(r rune) bool {
	switch {
	case r == 0x061C, r == 0x200E, r == 0x200F: // ALM, LRM, RLM
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// isStrongRTL reports an R or AL letter, for a character at an odd level
// (where AN, which HasRTL also counts, cannot be: rule I2 raises it).
func isStrongRTL(r rune) bool {
	return r >= 0x0590 && !isBidiControl(r) && bidi.HasRTL([]rune{r})
}

// layoutBidi gives each line of a paragraph holding right-to-left text its
// visual layout in a column width wide. Other paragraphs, and lines of a
// left-to-right paragraph that are all at level 0, keep the plain path.
func layoutBidi(r []rune, lines []lineLayout, width, spaceW float32, ms *measurer) {
	if !bidi.HasRTL(r) {
		return
	}
	ends := make([]int, len(lines))
	for i := range lines {
		ends[i] = int(lines[i].end)
	}
	lv := bidi.Levels(r, bidi.Auto, ends)
	// The paragraph level is the lowest level on it (its first strong
	// character is at that level, outside embeddings).
	low := int8(bidi.MaxLevel)
	for _, l := range lv {
		low = min(low, l)
	}
	rtl := low&1 == 1
	s := string(r)
	bo := make([]int, len(r)+1) // byte offset of each rune
	for i, c := range r {
		n := utf8.RuneLen(c)
		if n < 0 {
			n = 3 // string() writes U+FFFD
		}
		bo[i+1] = bo[i] + n
	}
	for li := range lines {
		ln := &lines[li]
		if !rtl && !hasOdd(lv[ln.start:ln.end]) {
			continue
		}
		bl := &bidiLine{rs: r, rtl: rtl}
		bl.build(ln, s, bo, lv, spaceW, ms)
		bl.place(ln, width, rtl)
		ln.bidi = bl
	}
}

func hasOdd(lv []int8) bool {
	for _, l := range lv {
		if l&1 == 1 {
			return true
		}
	}
	return false
}

// build splits the line into pieces (at spaces, level changes and, at odd
// levels, between letters and other graphemes) and puts them in visual
// order.
func (bl *bidiLine) build(ln *lineLayout, s string, bo []int, lv []int8, spaceW float32, ms *measurer) {
	r := bl.rs
	end := int(ln.end)
	plain := func(j int) bool { return !isBreakSpace(r[j]) && !isBidiControl(r[j]) }
	var ps []bidiPiece
	for i := int(ln.start); i < end; {
		l := lv[i]
		j := i + 1
		var kind pieceKind
		switch c := r[i]; {
		case isBreakSpace(c):
			kind = pieceSpace
		case isBidiControl(c):
			kind = pieceHidden
		case l&1 == 0:
			kind = pieceLTR
			for j < end && lv[j] == l && plain(j) {
				j++
			}
		case isStrongRTL(c):
			kind = pieceRTL
			for j < end && lv[j] == l && plain(j) && (isStrongRTL(r[j]) || extendsCluster(r[j])) {
				j++
			}
		default:
			kind = pieceMirror
			for j < end && lv[j] == l && plain(j) && !isBoundary(r, j) {
				j++
			}
		}
		p := bidiPiece{off: int32(i), n: int32(j - i), level: l, kind: kind, s: s[bo[i]:bo[j]]}
		switch kind {
		case pieceSpace:
			p.w = spaceW
		case pieceMirror:
			p.w = ms.width(mirrored(p.s))
		case pieceLTR, pieceRTL:
			p.w = ms.width(p.s)
		}
		ps = append(ps, p)
		i = j
	}
	levels := make([]int8, len(ps))
	for i := range ps {
		levels[i] = ps[i].level
	}
	order := bidi.Reorder(levels)
	bl.pieces = make([]bidiPiece, len(ps))
	bl.logical = make([]int32, len(ps))
	var x float32
	for v, li := range order {
		p := ps[li]
		p.x = x
		x += p.w
		bl.pieces[v] = p
		bl.logical[li] = int32(v)
	}
}

// place aligns the line (right in a right-to-left paragraph; hanging spaces
// fall outside the text either way) and builds the string to draw.
func (bl *bidiLine) place(ln *lineLayout, width float32, rtl bool) {
	first, last := -1, -1 // visual range of the visible text
	var lo, hi float32
	for v := range bl.pieces {
		p := &bl.pieces[v]
		if p.off >= ln.textEnd {
			continue
		}
		if first < 0 {
			first, lo = v, p.x
		}
		last, hi = v, p.x+p.w
	}
	var shift float32
	switch {
	case first < 0 && rtl:
		shift, lo, hi = width, 0, 0
	case first < 0:
		lo, hi = 0, 0
	case rtl:
		shift = width - hi
	default:
		shift = -lo
	}
	for v := range bl.pieces {
		bl.pieces[v].x += shift
	}
	bl.x0 = lo + shift
	ln.width = hi - lo
	ln.disp = ""
	if first < 0 {
		return
	}
	var b strings.Builder
	for v := first; v <= last; v++ {
		p := &bl.pieces[v]
		switch p.kind {
		case pieceSpace:
			b.WriteByte(' ')
		case pieceLTR:
			b.WriteString(p.s)
		case pieceRTL:
			b.WriteString(lrm)
			b.WriteString(p.s)
			b.WriteString(lrm)
		case pieceMirror:
			b.WriteString(mirrored(p.s))
		}
	}
	ln.disp = b.String()
}

// mirrored is s with each character replaced by its mirrored glyph (rule L4).
func mirrored(s string) string {
	return strings.Map(bidi.Mirror, s)
}

// pieceAt returns the piece holding paragraph offset rel, or nil.
func (bl *bidiLine) pieceAt(rel int) *bidiPiece {
	lo, hi := 0, len(bl.logical)
	for lo < hi {
		m := (lo + hi) / 2
		p := &bl.pieces[bl.logical[m]]
		switch {
		case rel < int(p.off):
			hi = m
		case rel >= int(p.off+p.n):
			lo = m + 1
		default:
			return p
		}
	}
	return nil
}

// edgeX is the x of the boundary before the piece's k-th character: its
// left edge in a left-to-right piece, its right edge in a right-to-left one.
func (bl *bidiLine) edgeX(p *bidiPiece, k int, ms *measurer) float32 {
	var d float32 // distance from the piece's leading side
	switch {
	case k <= 0:
	case k >= int(p.n):
		d = p.w
	case p.kind == pieceLTR:
		d = ms.width(p.s[:runeByteOffset(p.s, k)])
	case p.kind == pieceRTL:
		// A prefix measured alone ends in a final form, so its width
		// is not monotonic; with a ZWJ after it it keeps the joining
		// form it has inside the word.
		d = min(ms.joined(p.s[:runeByteOffset(p.s, k)]), p.w)
	default: // inside a grapheme: no caret stops here
		d = p.w * float32(k) / float32(p.n)
	}
	if p.rtl() {
		return p.x + p.w - d
	}
	return p.x + d
}

// xAt is the column x of the boundary before paragraph offset rel: the
// leading edge of the character there; past the line's last character,
// the trailing edge of that character.
func (bl *bidiLine) xAt(rel int, ms *measurer) (float32, bool) {
	if len(bl.pieces) == 0 {
		return bl.x0, bl.rtl
	}
	if p := bl.pieceAt(rel); p != nil {
		return bl.edgeX(p, rel-int(p.off), ms), p.rtl()
	}
	if first := &bl.pieces[bl.logical[0]]; rel <= int(first.off) {
		return bl.edgeX(first, 0, ms), first.rtl()
	}
	last := &bl.pieces[bl.logical[len(bl.logical)-1]]
	return bl.edgeX(last, int(last.n), ms), last.rtl()
}

// endX is where an edge ending at rel is drawn: the trailing edge of the
// character before rel.
func (bl *bidiLine) endX(rel int, ms *measurer) (float32, bool) {
	p := bl.pieceAt(rel - 1)
	if p == nil {
		return bl.xAt(rel, ms)
	}
	return bl.edgeX(p, rel-int(p.off), ms), p.rtl()
}

// offsetAtX maps column x to a paragraph offset: the nearest caret stop
// in the piece under x (the nearest piece) when nearest is set, else the
// character under x (-1 if x is not over the line's text).
func (bl *bidiLine) offsetAtX(x, width float32, nearest bool, ms *measurer) int {
	if !nearest {
		if x < bl.x0 || x >= bl.x0+width {
			return -1
		}
		for i := range bl.pieces {
			p := &bl.pieces[i]
			if p.w <= 0 || x < p.x || x >= p.x+p.w {
				continue
			}
			if p.kind == pieceLTR || p.kind == pieceRTL {
				for k := 1; k < int(p.n); k++ {
					if e := bl.edgeX(p, k, ms); p.rtl() && x >= e || !p.rtl() && x < e {
						return int(p.off) + k - 1
					}
				}
				return int(p.off + p.n - 1)
			}
			return int(p.off)
		}
		return -1
	}
	var p *bidiPiece
	for i := range bl.pieces {
		if q := &bl.pieces[i]; q.w > 0 {
			p = q
			if x < q.x+q.w {
				break
			}
		}
	}
	if p == nil {
		if len(bl.logical) == 0 {
			return 0
		}
		return int(bl.pieces[bl.logical[0]].off)
	}
	best, bestD := int(p.off), float32(-1)
	for k := 0; k <= int(p.n); k++ {
		if k > 0 && k < int(p.n) && !isBoundary(bl.rs, int(p.off)+k) {
			continue
		}
		d := bl.edgeX(p, k, ms) - x
		d = max(d, -d)
		if bestD < 0 || d < bestD {
			best, bestD = int(p.off)+k, d
		}
	}
	return best
}

// rangeRects appends the visual rectangles covering paragraph range [a, b)
// (column x, paragraph-relative sides), left to right, touching ones merged.
func (bl *bidiLine) rangeRects(a, b int, ms *measurer, out []frag) []frag {
	n0 := len(out)
	for i := range bl.pieces {
		p := &bl.pieces[i]
		lo, hi := max(a, int(p.off)), min(b, int(p.off+p.n))
		if lo >= hi || p.w <= 0 {
			continue
		}
		f := frag{bl.edgeX(p, lo-int(p.off), ms), bl.edgeX(p, hi-int(p.off), ms), lo, hi}
		if p.rtl() {
			f = frag{f.x1, f.x0, hi, lo}
		}
		if k := len(out); k > n0 && out[k-1].x1 >= f.x0-0.01 {
			out[k-1].x1, out[k-1].right = max(out[k-1].x1, f.x1), f.right
			continue
		}
		out = append(out, f)
	}
	return out
}

// --- the view's side: one entry per mapping, plain lines unchanged ---

// lineX is the column x of the boundary before paragraph offset rel on ln,
// and whether the character there runs right to left.
func (t *TextView) lineX(ln *lineLayout, rel int) (float32, bool) {
	if ln.bidi != nil {
		return ln.bidi.xAt(rel, &t.meas)
	}
	return ln.xAt(rel, t.m.spaceW, t.meas.prefix), false
}

// lineOffsetAtX is offsetAtX for any line (x column-relative).
func (t *TextView) lineOffsetAtX(ln *lineLayout, x float32, nearest bool) int {
	if ln.bidi != nil {
		return ln.bidi.offsetAtX(x, ln.width, nearest, &t.meas)
	}
	return ln.offsetAtX(x, nearest, t.m.spaceW, t.meas.prefix)
}

// joined is the width of s followed by a ZWJ (keeping its last letter's
// joining form), cached like width.
func (ms *measurer) joined(s string) float32 {
	ms.buf = append(append(ms.buf[:0], s...), "\u200d"...)
	if w, ok := ms.widths[string(ms.buf)]; ok {
		return w
	}
	k := string(ms.buf)
	w := fyne.MeasureText(k, ms.size, fyne.TextStyle{}).Width
	ms.widths[k] = w
	return w
}
