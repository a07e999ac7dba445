package tokens

// SnapToWords widens the code point range [start, end) of text so that it
// covers whole tokens: every token the range overlaps is included, and
// whitespace at either end is trimmed. Out-of-range bounds are clamped and a
// reversed range is swapped. An empty range inside a token becomes that
// token; an empty or whitespace-only range elsewhere comes back empty
// (start == end).
//
// Only the whitespace-delimited stretch around the range is tokenized, so
// snapping costs time proportional to the selection, not the document.
func SnapToWords(text []rune, start, end int) (int, int) {
	n := len(text)
	start, end = max(0, min(start, n)), max(0, min(end, n))
	if start > end {
		start, end = end, start
	}
	if start == end {
		if start < n && !isSpace(text[start]) {
			end = start + 1 // a caret inside a token selects that token
		} else {
			return start, start
		}
	}
	for start < end && isSpace(text[start]) {
		start++
	}
	for end > start && isSpace(text[end-1]) {
		end--
	}
	if start == end {
		return start, start
	}
	// Tokens never contain whitespace, so the tokens overlapping the range
	// lie between the whitespace before start and the whitespace after end.
	// One more word of context on the right lets "No." see its number.
	lo := start
	for lo > 0 && !isSpace(text[lo-1]) {
		lo--
	}
	hi := end
	for hi < n && !isSpace(text[hi]) {
		hi++
	}
	for hi < n && isSpace(text[hi]) && text[hi] != '\n' {
		hi++
	}
	for hi < n && !isSpace(text[hi]) {
		hi++
	}
	ns, ne := start, end
	for _, t := range tokenizeRunes(text[lo:hi], lo) {
		if t.Start < end && t.End > start {
			ns, ne = min(ns, t.Start), max(ne, t.End)
		}
	}
	return ns, ne
}

// WordAt returns the token containing code point i of text, or i, i when
// text[i] is white space or i is outside the text.
func WordAt(text []rune, i int) (int, int) {
	if i < 0 || i >= len(text) {
		return i, i
	}
	s, e := SnapToWords(text, i, i+1)
	if s > i || e <= i {
		return i, i
	}
	return s, e
}

// sentenceWindow bounds the text SentenceAt tokenizes around i: sentences
// never cross a blank line, and a paragraph longer than this is cut.
const sentenceWindow = 8192

// SentenceAt returns the sentence (by Sentences) containing code point i
// of text, from its first token's start to its last token's end; i, i when
// i is in the white space between sentences or outside the text. Only the
// paragraph around i is tokenized.
func SentenceAt(text []rune, i int) (int, int) {
	if i < 0 || i >= len(text) {
		return i, i
	}
	from, to := i, i
	for from > 0 && i-from < sentenceWindow && !(text[from-1] == '\n' && from >= 2 && text[from-2] == '\n') {
		from--
	}
	for to < len(text) && to-i < sentenceWindow && !(text[to] == '\n' && to+1 < len(text) && text[to+1] == '\n') {
		to++
	}
	para := string(text[from:to])
	toks := Tokenize(para)
	for _, sn := range Sentences(para, toks) {
		s, e := toks[sn[0]].Start+from, toks[sn[1]-1].End+from
		if s <= i && i < e {
			return s, e
		}
	}
	return i, i
}
