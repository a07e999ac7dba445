// Package bidi resolves the embedding levels of mixed left-to-right and
// right-to-left text by the Unicode Bidirectional Algorithm (UAX #9), for
// the text view's layout. All offsets are logical code-point indexes.
//
// core.go and bracket.go are the UAX #9 core of golang.org/x/text v0.43.0
// (unicode/bidi), copied unchanged (BSD licence, see LICENSE); check with
//
//	diff $(go env GOMODCACHE)/golang.org/x/text@v0.43.0/unicode/bidi/core.go core.go
//
// x/text's exported API on top of that core is not used: it loses the levels
// and never pairs brackets. class.go feeds the core the character data from
// x/text's exported LookupRune and go-text/typesetting's unicodedata.
package bidi

import "github.com/go-text/typesetting/unicodedata"

// Direction is a paragraph direction for Levels.
type Direction int8

const (
	// Auto takes the direction of the first strong character outside
	// isolates (rules P2, P3), left-to-right when there is none.
	Auto Direction = iota
	// LTR is a left-to-right paragraph: paragraph embedding level 0.
	LTR
	// RTL is a right-to-left paragraph: paragraph embedding level 1.
	RTL
)

// MaxLevel is the highest level Levels returns (max_depth 125 of UAX #9,
// plus one for a number or L character raised by rule I2).
const MaxLevel = maxDepth + 1

// Levels returns the resolved embedding level of every code point of the
// paragraph text, by UAX #9 (rules P2–P3, X1–X10, W1–W7, N0–N2, I1–I2),
// with rule L1 applied at each line end in lineEnds: segment separators,
// paragraph separators and the whitespace and isolate/embedding controls
// before them or before a line end take the paragraph level.
//
// lineEnds are exclusive offsets, ascending, the last = len(text); entries
// that are not ascending or lie outside 1..len(text) are ignored and
// len(text) is always a line end, so nil means a single line. dir is the
// paragraph direction; any value other than LTR or RTL is taken as Auto.
//
// text should hold one paragraph. A paragraph separator inside it (class B:
// U+2029, LF, CR, U+0085, U+001C..U+001E) ends a paragraph by rule P1: the
// text after it is resolved as a paragraph of its own (with its own Auto
// direction), and the separator takes its paragraph's level.
//
// Explicit formatting characters and BN, which rule X9 removes, get the level
// of the character before them, so they never split a level run. The result
// has len(text) entries, each 0..MaxLevel.
func Levels(text []rune, dir Direction, lineEnds []int) []int8 {
	out := make([]int8, len(text))
	if len(text) == 0 {
		return out
	}
	embedding := implicitLevel
	switch dir {
	case LTR:
		embedding = 0
	case RTL:
		embedding = 1
	}
	types, pairTypes, pairValues := classes(text)
	ends := cleanLineEnds(lineEnds, len(text))

	start := 0
	for start < len(text) {
		end := start
		for end < len(text) && types[end] != B {
			end++
		}
		if end < len(text) {
			end++ // the separator belongs to the paragraph it ends
		}
		// newParagraph copies types (it rewrites them while resolving); the
		// pair slices are only read.
		p, err := newParagraph(types[start:end], pairTypes[start:end], pairValues[start:end], embedding)
		if err != nil {
			panic("bidi: " + err.Error()) // unreachable: the inputs are valid by construction
		}
		var breaks []int
		for _, e := range ends {
			if e > start && e < end {
				breaks = append(breaks, e-start)
			}
		}
		breaks = append(breaks, end-start)
		for i, l := range p.getLevels(breaks) {
			out[start+i] = int8(l)
		}
		start = end
	}
	return out
}

// cleanLineEnds keeps the strictly ascending entries of ends within 1..n and
// makes n the last.
func cleanLineEnds(ends []int, n int) []int {
	clean := make([]int, 0, len(ends)+1)
	prev := 0
	for _, e := range ends {
		if e > prev && e < n {
			clean = append(clean, e)
			prev = e
		}
	}
	return append(clean, n)
}

// HasRTL reports whether text holds any character of class R, AL or AN, or a
// bidi control (LRE, RLE, LRO, RLO, PDF, LRI, RLI, FSI, PDI). Without one,
// Levels in an Auto or LTR paragraph is all zeros (L and European numbers
// resolve to level 0 there), so the view needs the bidi path only when HasRTL
// is true.
func HasRTL(text []rune) bool {
	for _, r := range text {
		if r < 0x0590 {
			continue // fast path: nothing below Hebrew is R, AL, AN or a control
		}
		switch classOf(r) {
		case R, AL, AN, LRE, RLE, LRO, RLO, PDF, LRI, RLI, FSI, PDI:
			return true
		}
	}
	return false
}

// Reorder returns the visual order of one line from its levels (as returned
// by Levels for that line's range): element v is the logical index, within
// the line, of the code point shown at visual position v from the left. It
// applies rule L2: from the highest level down to the lowest odd level on
// the line, every maximal run of code points at that level or higher is
// reversed. Levels should be 0..MaxLevel.
func Reorder(levels []int8) []int {
	ls := make([]level, len(levels))
	for i, l := range levels {
		ls[i] = level(l)
	}
	return computeReordering(ls)
}

// Mirror returns the mirrored glyph of r by Bidi_Mirroring_Glyph (rule L4),
// for a character resolved to an odd (right-to-left) level: '(' ↔ ')',
// '«' ↔ '»', '≤' ↔ '≥', and so on. Characters without a mirrored glyph,
// including Bidi_Mirrored ones such as '∑' that need a mirrored font glyph
// instead, are returned unchanged.
func Mirror(r rune) rune {
	m, _ := unicodedata.LookupMirrorChar(r)
	return m
}
