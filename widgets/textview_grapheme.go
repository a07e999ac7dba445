package widgets

import "unicode"

// A cheap approximation of extended grapheme clusters (UAX #29), enough for
// the caret never to stop inside what reads as one character: before a
// combining mark, a variation selector, an emoji skin-tone modifier, a
// zero-width joiner or a tag character; right after a zero-width joiner
// (emoji ZWJ sequences); and between the two regional indicators of a flag.

// extendsCluster reports whether r attaches to the character before it.
func extendsCluster(r rune) bool {
	switch {
	case r == 0x200C || r == 0x200D: // ZWNJ, ZWJ
		return true
	case r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0100 && r <= 0xE01EF: // variation selectors
		return true
	case r >= 0x1F3FB && r <= 0x1F3FF: // skin tones
		return true
	case r >= 0xE0020 && r <= 0xE007F: // tags (subdivision flags)
		return true
	case r < 0x300:
		return false
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc)
}

func isRegionalIndicator(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }

// isBoundary reports whether the caret may stop before text[i].
func isBoundary(text []rune, i int) bool {
	if i <= 0 || i >= len(text) {
		return true
	}
	a, b := text[i-1], text[i]
	switch {
	case a == '\r' && b == '\n':
		return false
	case extendsCluster(b):
		return false
	case a == 0x200D:
		return false
	case isRegionalIndicator(a) && isRegionalIndicator(b):
		// Flags pair indicators from the left.
		k := 0
		for j := i - 1; j >= 0 && isRegionalIndicator(text[j]); j-- {
			k++
		}
		return k%2 == 0
	}
	return true
}

// nextBoundary returns the first caret stop after i.
func nextBoundary(text []rune, i int) int {
	if i >= len(text) {
		return len(text)
	}
	i = max(i+1, 1)
	for i < len(text) && !isBoundary(text, i) {
		i++
	}
	return i
}

// prevBoundary returns the last caret stop before i.
func prevBoundary(text []rune, i int) int {
	if i <= 0 {
		return 0
	}
	i = min(i-1, len(text))
	for i > 0 && !isBoundary(text, i) {
		i--
	}
	return i
}
