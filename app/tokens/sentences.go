package tokens

import (
	"strings"
	"unicode"
)

// Sentences groups toks (as returned by Tokenize(text)) into sentences and
// returns each as a token index range [from, to), end exclusive, in order
// and covering every token.
//
// A sentence ends:
//   - after a run of . ! ? … (with any closing quotes or brackets stuck to
//     it) that is followed by whitespace and then a token starting with an
//     uppercase letter, a digit, an opening quote or bracket, a currency
//     symbol or a letter of a script without case — but not after a single
//     capital initial ("J. Smith"); abbreviations ("Mr.", "U.S.", "etc.")
//     never end a sentence because their period is part of their token;
//   - after "a.m." and "p.m." followed the same way;
//   - but not after a list number or label alone at the start of a
//     sentence ("1. First item", "R2. Agree the budget", "IV. Costs");
//   - after 。！？ and similar full-width stops, whatever follows;
//   - at a blank line (paragraph break);
//   - at a line break before a list item ("• ", "- ", "* ", "1. ") or a
//     Markdown heading ("#"), and at the line break after a heading line.
func Sentences(text string, toks []Token) [][2]int {
	var out [][2]int
	if len(toks) == 0 {
		return out
	}
	rs := []rune(text)
	start := 0
	lineStart := 0 // first token of the current line
	emit := func(to int) {
		if to > start {
			out = append(out, [2]int{start, to})
			start = to
		}
	}
	for i := 0; i < len(toks); i++ {
		if i > 0 {
			nl := newlines(rs, toks[i-1].End, toks[i].Start)
			if nl >= 2 {
				emit(i)
			} else if nl == 1 {
				if strings.HasPrefix(toks[lineStart].Text, "#") || startsListItem(toks, i) {
					emit(i)
				}
			}
			if nl > 0 {
				lineStart = i
			}
		}
		t := toks[i].Text
		if isFullWidthStop(t) {
			j := i + 1
			for j < len(toks) && isCloser(toks[j].Text) && toks[j].Start == toks[j-1].End {
				j++
			}
			if j < len(toks) && newlines(rs, toks[j-1].End, toks[j].Start) == 0 {
				emit(j)
				i = j - 1
			}
			continue
		}
		if !isTerminal(t) && t != "a.m." && t != "p.m." {
			continue
		}
		// "1. First item", "R2. Recommendation": a list number or label
		// alone at the start of a sentence.
		if t == "." && i == start+1 && !toks[start].WS && isListLabel(toks[start].Text) {
			continue
		}
		// "J. Smith": a single capital initial.
		if t == "." && i > 0 && !toks[i-1].WS && toks[i-1].End == toks[i].Start {
			if p := []rune(toks[i-1].Text); len(p) == 1 && unicode.IsUpper(p[0]) {
				continue
			}
		}
		j := i + 1
		for j < len(toks) && isCloser(toks[j].Text) && toks[j].Start == toks[j-1].End {
			j++
		}
		if j >= len(toks) || !toks[j-1].WS || !startsSentence(toks[j].Text) {
			continue
		}
		emit(j)
		i = j - 1
	}
	emit(len(toks))
	return out
}

// newlines counts the line feeds between two offsets (which lie in the
// whitespace between two tokens).
func newlines(rs []rune, from, to int) int {
	n := 0
	for k := from; k < to && k < len(rs); k++ {
		if rs[k] == '\n' || rs[k] == '\u2029' {
			n++
			if rs[k] == '\u2029' {
				n++
			}
		}
	}
	return n
}

func isTerminal(t string) bool {
	for _, r := range t {
		if r != '.' && r != '!' && r != '?' && r != '…' && r != '؟' && r != '।' && r != '॥' {
			return false
		}
	}
	return t != ""
}

// isListLabel reports "1", "12", "R2", "4b", "IV": numbers, short codes
// with a digit, and Roman numerals.
func isListLabel(t string) bool {
	rs := []rune(t)
	digits, roman := 0, 0
	for _, r := range rs {
		if isDigit(r) {
			digits++
		}
		if strings.ContainsRune("IVXLC", r) {
			roman++
		}
	}
	return digits == len(rs) || digits > 0 && len(rs) <= 4 || roman == len(rs) && len(rs) <= 5
}

func isFullWidthStop(t string) bool {
	return t == "。" || t == "！" || t == "？" || t == "｡"
}

func isCloser(t string) bool {
	switch t {
	case "”", "’", "\"", "'", ")", "]", "»", "›", "」", "』", "）":
		return true
	}
	return false
}

func startsSentence(t string) bool {
	for _, r := range t {
		switch {
		case unicode.IsUpper(r), unicode.IsTitle(r), unicode.IsDigit(r), unicode.Is(unicode.Sc, r):
			return true
		case strings.ContainsRune("“‘\"'«‹([¿¡「『（", r):
			return true
		case unicode.IsLetter(r) && !unicode.IsLower(r):
			return true // scripts without case: Arabic, Devanagari, CJK...
		}
		return false
	}
	return false
}

// startsListItem reports whether toks[i] begins a list item: a bullet, or a
// number followed by "." or ")" and whitespace.
func startsListItem(toks []Token, i int) bool {
	switch toks[i].Text {
	case "•", "◦", "▪", "‣", "⁃", "-", "*", "+", "–":
		return toks[i].WS
	}
	if i+1 < len(toks) && toks[i].End == toks[i+1].Start && toks[i+1].WS &&
		(toks[i+1].Text == "." || toks[i+1].Text == ")") {
		for _, r := range toks[i].Text {
			if !isDigit(r) {
				return false
			}
		}
		return true
	}
	return false
}
