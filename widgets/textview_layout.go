package widgets

import (
	"math"
	"sort"
	"strings"
	"unicode/utf8"
)

// lineLayout is one wrapped line of a paragraph. Offsets are code points
// relative to the paragraph start: the line covers [start, end) (trailing
// spaces included, so lines tile the paragraph) and its visible text is
// [start, textEnd). Its vertical geometry (y, h, textTop) depends on the
// spans on it and is set by TextView.measureLines.
type lineLayout struct {
	start, end, textEnd int32
	width               float32 // of the visible text
	toks                []lineTok
	disp                string  // what the line's canvas.Text shows
	y, h                float32 // top within the paragraph, height
	textTop             float32 // y of the text box within the line
	lanes               int8    // underline lanes shown on the line
	tag                 bool    // a tagged span starts on the line
	// arcs are the relation arcs drawn above the line, in arcH of room
	// at its top (above the tag strip).
	arcs []arcSeg
	arcH float32
	// bidi is the visual layout of a line with right-to-left text (nil
	// on plain lines); disp and width are then its drawn string and
	// visible width.
	bidi *bidiLine
}

// lineTok is a space-free run on a line, with its x position and width.
type lineTok struct {
	off, n int32
	x, w   float32
	s      string
}

type paraLayout struct {
	width  float32
	lines  []lineLayout
	height float32
	gen    uint64 // the TextView.spanGen the line heights were measured for
}

// isBreakSpace reports whether text may wrap at r. Tabs and other control
// characters are drawn as spaces.
func isBreakSpace(r rune) bool { return r == ' ' || r < 0x20 }

// displayText replaces control characters, which fonts do not draw, by spaces
// so that one code point stays one glyph position.
func displayText(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return r < 0x20 }) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 {
			return ' '
		}
		return r
	}, s)
}

// wrapRunes breaks a paragraph into lines no wider than maxW, breaking at
// spaces (which hang at the end of a line) and, for a word wider than a whole
// line, between characters. measure gives the width of a space-free string.
func wrapRunes(r []rune, maxW, spaceW float32, measure func(string) float32) []lineLayout {
	s := string(r)
	var lines []lineLayout
	var cur lineLayout
	var x float32
	hasWord := false
	lineByte, textEndByte := 0, 0
	flush := func(end int) {
		cur.end = int32(end)
		if !hasWord {
			cur.textEnd = cur.start
			textEndByte = lineByte
			cur.width = 0
		}
		cur.disp = displayText(s[lineByte:textEndByte])
		lines = append(lines, cur)
	}
	newLine := func(i, b int) {
		cur = lineLayout{start: int32(i)}
		lineByte, textEndByte = b, b
		x = 0
		hasWord = false
	}
	i, b := 0, 0
	for i < len(r) {
		if isBreakSpace(r[i]) {
			x += spaceW
			b += utf8.RuneLen(r[i])
			i++
			continue
		}
		j, bj := i, b
		for j < len(r) && !isBreakSpace(r[j]) {
			bj += utf8.RuneLen(r[j])
			j++
		}
		word := s[b:bj]
		w := measure(word)
		for {
			if x+w <= maxW || j-i <= 1 && !hasWord {
				cur.toks = append(cur.toks, lineTok{off: int32(i), n: int32(j - i), x: x, w: w, s: word})
				x += w
				cur.textEnd, cur.width, textEndByte = int32(j), x, bj
				hasWord = true
				break
			}
			if hasWord {
				flush(i)
				newLine(i, b)
				continue
			}
			// A word longer than the line: put as much as fits here.
			k, pb := fitPrefix(word, maxW-x, measure)
			pw := measure(word[:pb])
			cur.toks = append(cur.toks, lineTok{off: int32(i), n: int32(k), x: x, w: pw, s: word[:pb]})
			cur.textEnd, cur.width, textEndByte = int32(i+k), x+pw, b+pb
			hasWord = true
			flush(i + k)
			i, b = i+k, b+pb
			newLine(i, b)
			word = s[b:bj]
			w = measure(word)
		}
		i, b = j, bj
	}
	flush(len(r))
	return lines
}

// fitPrefix returns the largest number of runes k >= 1 (and its byte length)
// such that word's k-rune prefix fits in avail.
func fitPrefix(word string, avail float32, measure func(string) float32) (int, int) {
	bounds := make([]int, 0, len(word)+1) // byte offset after each rune
	for i := range word {
		if i > 0 {
			bounds = append(bounds, i)
		}
	}
	bounds = append(bounds, len(word))
	// bounds[k-1] is the byte length of the k-rune prefix.
	k := sort.Search(len(bounds), func(k int) bool { return measure(word[:bounds[k]]) > avail })
	k = max(k, 1)
	k = min(k, len(bounds)-1) // leave at least one rune for the next line
	k = max(k, 1)
	return k, bounds[k-1]
}

// runeByteOffset returns the byte offset of the k-th rune of s.
func runeByteOffset(s string, k int) int {
	n := 0
	for i := range s {
		if n == k {
			return i
		}
		n++
	}
	return len(s)
}

// lineIndexAt returns the index of the line containing paragraph offset rel.
func lineIndexAt(lines []lineLayout, rel int) int {
	i := sort.Search(len(lines), func(i int) bool { return int(lines[i].start) > rel }) - 1
	return max(i, 0)
}

// xAt returns the x position of paragraph offset rel within line ln;
// prefix(tok, k) is the width of the token's first k runes.
func (ln *lineLayout) xAt(rel int, spaceW float32, prefix func(t *lineTok, k int) float32) float32 {
	rel = min(max(rel, int(ln.start)), int(ln.end))
	i := sort.Search(len(ln.toks), func(i int) bool { return int(ln.toks[i].off) > rel }) - 1
	if i < 0 {
		return float32(rel-int(ln.start)) * spaceW
	}
	t := &ln.toks[i]
	if k := rel - int(t.off); k < int(t.n) {
		return t.x + prefix(t, k)
	}
	return t.x + t.w + float32(rel-int(t.off+t.n))*spaceW
}

// offsetAtX maps an x position on line ln to a paragraph offset: the nearest
// character boundary when nearest is set, else the character under x (-1 if
// x is not over the line's text).
func (ln *lineLayout) offsetAtX(x float32, nearest bool, spaceW float32, prefix func(t *lineTok, k int) float32) int {
	if !nearest && (x < 0 || x >= ln.width) {
		return -1
	}
	if x <= 0 {
		return int(ln.start)
	}
	i := sort.Search(len(ln.toks), func(i int) bool { return ln.toks[i].x > x }) - 1
	var base int
	var bx float32
	if i < 0 {
		base, bx = int(ln.start), 0
	} else {
		t := &ln.toks[i]
		if x < t.x+t.w {
			x -= t.x
			prev := float32(0)
			for k := 1; k <= int(t.n); k++ {
				cx := t.w
				if k < int(t.n) {
					cx = prefix(t, k)
				}
				if x < cx {
					if nearest && x-prev > cx-x {
						return int(t.off) + k
					}
					return int(t.off) + k - 1
				}
				prev = cx
			}
			return int(t.off + t.n)
		}
		base, bx = int(t.off+t.n), t.x+t.w
	}
	// In a run of spaces.
	f := (x - bx) / spaceW
	if nearest {
		f += 0.5
	}
	off := base + int(math.Floor(float64(f)))
	limit := int(ln.end)
	if i+1 < len(ln.toks) {
		limit = int(ln.toks[i+1].off)
	}
	return min(off, limit)
}

// fenwick is a binary indexed tree of paragraph heights (pixels) giving the
// y of any paragraph, and the paragraph at any y, in O(log n).
type fenwick struct{ t []int64 }

func (f *fenwick) build(vals []int32) {
	n := len(vals)
	if cap(f.t) >= n+1 {
		f.t = f.t[:n+1]
		clear(f.t)
	} else {
		f.t = make([]int64, n+1)
	}
	for i, v := range vals {
		j := i + 1
		f.t[j] += int64(v)
		if p := j + (j & -j); p <= n {
			f.t[p] += f.t[j]
		}
	}
}

func (f *fenwick) add(i int, d int64) {
	for j := i + 1; j < len(f.t); j += j & -j {
		f.t[j] += d
	}
}

// prefix is the sum of the first i values.
func (f *fenwick) prefix(i int) int64 {
	var s int64
	for j := min(i, len(f.t)-1); j > 0; j -= j & -j {
		s += f.t[j]
	}
	return s
}

func (f *fenwick) total() int64 { return f.prefix(len(f.t) - 1) }

// find returns the index i of the value containing y: prefix(i) <= y <
// prefix(i+1), clamped to [0, n-1].
func (f *fenwick) find(y int64) int {
	n := len(f.t) - 1
	if n <= 0 {
		return 0
	}
	pos := 0
	step := 1
	for step*2 <= n {
		step *= 2
	}
	for ; step > 0; step /= 2 {
		if next := pos + step; next <= n && f.t[next] <= y {
			pos = next
			y -= f.t[next]
		}
	}
	return min(pos, n-1)
}
