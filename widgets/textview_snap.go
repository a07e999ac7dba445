package widgets

import "unicode"

// SnapToWords is the default TextView.Snap: it widens the raw selection
// [start, end) so that it does not cut through a word and trims whitespace
// from both ends. A word is a run of letters, digits and marks, joined
// through an internal apostrophe or hyphen ("five-year-old", "don’t"); a
// number keeps its internal separators and adjacent currency and percent
// signs ("$3.5bn", "280,000", "12%"); an emoji (with its modifiers and
// joiners) is one word; any other punctuation or symbol character is a word
// of its own. Offsets are code points into text. An empty result has
// start == end.
func SnapToWords(text []rune, start, end int) (int, int) {
	n := len(text)
	start = min(max(start, 0), n)
	end = min(max(end, 0), n)
	if start > end {
		start, end = end, start
	}
	if start == end {
		return start, start
	}
	if start < n {
		if s, e := TokenAt(text, start); s < start && start < e {
			start = s
		}
	}
	if end > 0 {
		if s, e := TokenAt(text, end-1); s < end && end < e {
			end = e
		}
	}
	for start < end && isSnapSpace(text[start]) {
		start++
	}
	for end > start && isSnapSpace(text[end-1]) {
		end--
	}
	if start == end {
		return start, start
	}
	return start, end
}

// TokenAt returns the bounds [s, e) of the token (word, number, emoji,
// single punctuation character or whitespace run) containing text[i].
func TokenAt(text []rune, i int) (int, int) {
	n := len(text)
	if i < 0 || i >= n {
		return i, i
	}
	// Whitespace always separates tokens, so tokenising from the nearest
	// whitespace before i gives the same tokens as from the text start.
	// Bound the walk so a pathological space-free text stays cheap.
	from := i
	for from > 0 && !isSnapSpace(text[from-1]) && i-from < 256 {
		from--
	}
	for p := from; p < n; {
		e := nextToken(text, p)
		if i < e {
			return p, e
		}
		p = e
	}
	return i, i + 1
}

// nextToken returns the end of the token starting at text[i].
func nextToken(text []rune, i int) int {
	n := len(text)
	c := text[i]
	switch {
	case isSnapSpace(c):
		j := i + 1
		for j < n && isSnapSpace(text[j]) {
			j++
		}
		return j
	case isEmojiBase(c):
		return emojiEnd(text, i)
	case isWordRune(c) || (isCurrency(c) && i+1 < n && unicode.IsDigit(text[i+1])):
		j := i + 1
		for j < n {
			r := text[j]
			prev := text[j-1]
			switch {
			case isWordRune(r):
				j++
			case isJoiner(r) && j+1 < n && isWordRune(text[j+1]) && isWordRune(prev):
				j++
			case (r == ',' || r == '.') && unicode.IsDigit(prev) && j+1 < n && unicode.IsDigit(text[j+1]):
				j++
			case (r == '%' || r == '‰') && unicode.IsDigit(prev):
				return j + 1
			default:
				return j
			}
		}
		return j
	default:
		return i + 1
	}
}

// emojiEnd consumes one emoji cluster: base, variation selectors, skin
// tones, keycaps, tag sequences and ZWJ-joined followers; flags are pairs of
// regional indicators.
func emojiEnd(text []rune, i int) int {
	n := len(text)
	if isRegional(text[i]) {
		if i+1 < n && isRegional(text[i+1]) {
			return i + 2
		}
		return i + 1
	}
	j := i + 1
	for j < n {
		r := text[j]
		switch {
		case r == 0xFE0F || r == 0xFE0E || r == 0x20E3 || (r >= 0x1F3FB && r <= 0x1F3FF) || (r >= 0xE0020 && r <= 0xE007F):
			j++
		case r == 0x200D && j+1 < n && isEmojiBase(text[j+1]):
			j += 2
		default:
			return j
		}
	}
	return j
}

func isSnapSpace(r rune) bool { return unicode.IsSpace(r) || r < 0x20 }

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

func isJoiner(r rune) bool {
	switch r {
	case '\'', '’', '-', '‐', '‑':
		return true
	}
	return false
}

func isCurrency(r rune) bool { return unicode.Is(unicode.Sc, r) }

func isRegional(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }

func isEmojiBase(r rune) bool {
	switch {
	case r >= 0x1F000 && r <= 0x1FAFF,
		r >= 0x2600 && r <= 0x27BF,
		r >= 0x2B00 && r <= 0x2BFF,
		r >= 0x2300 && r <= 0x23FF,
		r == 0x00A9 || r == 0x00AE || r == 0x203C || r == 0x2049 || r == 0x2122:
		return true
	}
	return false
}
