package widgets

import "unicode"

// Segmenter tells a TextView where the words and sentences of its text are.
// The view has no tokenizer of its own: the app hands it the one its exports
// use, so a span made by dragging, double-clicking or from the keyboard lies
// on the same token boundaries. Offsets are code points into text, ends
// exclusive.
type Segmenter interface {
	// Snap widens the raw selection [start, end) (start <= end) to whole
	// tokens and trims white space from both ends; an empty result has
	// start == end. The view clamps what it returns to the text. For a
	// long range the view may ask about its two ends separately (a short
	// range around each), so the start of the answer must depend only on
	// the text near start and its end on the text near end — true of any
	// tokenizer whose tokens hold no white space.
	Snap(text []rune, start, end int) (int, int)
	// WordAt returns the token containing code point i (start <= i < end).
	// When text[i] is white space, or i is outside the text, it returns
	// i, i. Ctrl+←/→ move the caret from token to token with it, Shift+←/→
	// extend a snapped selection a token at a time, the edge keys move a
	// span's edges by it, and a double click selects it.
	WordAt(text []rune, i int) (start, end int)
	// SentenceAt returns the sentence containing code point i, from the
	// start of its first token to the end of its last (no white space at
	// either end). For white space between sentences it may return i, i.
	// A triple click selects it.
	SentenceAt(text []rune, i int) (start, end int)
}

// snap widens [a, b) with the Segmenter, if any, clamped to the text. A long
// range is snapped at each end separately, so that extending a selection
// over a whole book costs the same as over a line.
func (t *TextView) snap(a, b int) (int, int) {
	if t.Segmenter == nil {
		return a, b
	}
	const long, window = 4096, 256
	rs := t.doc.runes
	n := len(rs)
	clamp := func(x int) int { return min(max(x, 0), n) }
	if b-a > long {
		s, _ := t.Segmenter.Snap(rs, a, a+window)
		_, e := t.Segmenter.Snap(rs, b-window, b)
		s, e = clamp(s), clamp(e)
		// Each window must have held a token; else ask about it all.
		if s < a+window && e > b-window {
			return s, e
		}
	}
	a, b = t.Segmenter.Snap(rs, a, b)
	return clamp(a), clamp(b)
}

func isSpaceRune(r rune) bool { return unicode.IsSpace(r) }

// wordAt is WordAt, checked: a non-empty range containing i, or i, i. With
// no Segmenter a word is a run of non-space characters.
func (t *TextView) wordAt(i int) (int, int) {
	rs := t.doc.runes
	n := len(rs)
	if i < 0 || i >= n || isSpaceRune(rs[i]) {
		return i, i
	}
	if t.Segmenter != nil {
		s, e := t.Segmenter.WordAt(rs, i)
		if s <= i && i < e && s >= 0 && e <= n {
			return s, e
		}
		return i, i
	}
	s, e := i, i
	for s > 0 && !isSpaceRune(rs[s-1]) {
		s--
	}
	for e < n && !isSpaceRune(rs[e]) {
		e++
	}
	return s, e
}

// sentenceAt is SentenceAt, checked: a non-empty range within the text, or
// i, i. With no Segmenter a sentence is a line, trimmed.
func (t *TextView) sentenceAt(i int) (int, int) {
	rs := t.doc.runes
	n := len(rs)
	if i < 0 || i >= n {
		return i, i
	}
	if t.Segmenter != nil {
		s, e := t.Segmenter.SentenceAt(rs, i)
		if s >= 0 && e <= n && s < e {
			return s, e
		}
		return i, i
	}
	s, e := i, i
	for s > 0 && rs[s-1] != '\n' {
		s--
	}
	for e < n && rs[e] != '\n' {
		e++
	}
	for s < e && isSpaceRune(rs[s]) {
		s++
	}
	for e > s && isSpaceRune(rs[e-1]) {
		e--
	}
	if s == e {
		return i, i
	}
	return s, e
}

// nextTokenEnd is where Ctrl+→ takes the caret from c: past any white
// space, to the end of the token there.
func (t *TextView) nextTokenEnd(c int) int {
	rs := t.doc.runes
	for c < len(rs) && isSpaceRune(rs[c]) {
		c++
	}
	if c >= len(rs) {
		return len(rs)
	}
	if _, e := t.wordAt(c); e > c {
		return e
	}
	return nextBoundary(rs, c)
}

// prevTokenStart is where Ctrl+← takes the caret from c: back over any
// white space, to the start of the token there.
func (t *TextView) prevTokenStart(c int) int {
	rs := t.doc.runes
	for c > 0 && isSpaceRune(rs[c-1]) {
		c--
	}
	if c <= 0 {
		return 0
	}
	if s, _ := t.wordAt(c - 1); s < c {
		return s
	}
	return prevBoundary(rs, c)
}

// skipSpace moves c forward (dir > 0) or back over white space.
func (t *TextView) skipSpace(c, dir int) int {
	rs := t.doc.runes
	if dir > 0 {
		for c < len(rs) && isSpaceRune(rs[c]) {
			c++
		}
		return c
	}
	for c > 0 && isSpaceRune(rs[c-1]) {
		c--
	}
	return c
}
