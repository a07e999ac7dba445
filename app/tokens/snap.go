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
