// Package tokens is the one tokenizer Gloss uses everywhere: for exports,
// sentence splitting and the editor's word snapping. Offsets are Unicode
// code points, end exclusive, like every offset in Gloss.
//
// The rules, in the order they are tried at each position:
//   - whitespace separates tokens and is never a token;
//   - an emoji is one token: a whole cluster with its variation selectors,
//     skin-tone modifiers, ZWJ-joined parts, keycap and tag sequences, and
//     flag pairs ("👍🏽", "👩‍👩‍👧", "🇪🇺", "1️⃣");
//   - a number, optionally led by a currency symbol, with internal
//     separators , . : / between digits, attached letters and a trailing %
//     or ‰ is one token ("280,000", "5.5%", "$3.5bn", "10:30", "1990s");
//   - a word is a run of letters, marks and digits with internal
//     apostrophes (' and ’ between letters: "don’t", "O'Brien") and internal
//     hyphens ("five-year-old", "22-nation", "COVID-19");
//   - letter-dot abbreviations keep their dots ("U.S.", "e.g.", "a.m."), and
//     common abbreviations keep their final period ("Mr.", "Dr.", "etc.",
//     "Jan.", "Inc."; "No." only before a number);
//   - Han ideographs and kana are one token per character (no dictionary
//     segmentation);
//   - anything else (punctuation, curly quotes, symbols) is a token of one
//     character, except that runs of . ! ? (such as "..." or "?!") and runs
//     of hyphens ("--") stay together.
package tokens

import (
	"slices"
	"unicode"
	"unicode/utf8"
)

// Token is one token of a text. Start and End are code point offsets, end
// exclusive; WS says whether whitespace follows it.
type Token struct {
	Text       string
	Start, End int
	WS         bool
}

// Tokenize splits text into tokens.
func Tokenize(text string) []Token {
	var t Tokenizer
	return t.Tokenize(text)
}

// Tokenizer tokenizes text after text with the same memory: for a loop
// over many documents, where Tokenize's would be new for each.
type Tokenizer struct {
	rs     []rune
	byteAt []int32
	out    []Token
}

// Tokenize is the package's Tokenize; the tokens are t's until its next
// call (their texts are text's).
func (t *Tokenizer) Tokenize(text string) []Token {
	rs := slices.Grow(t.rs[:0], len(text))
	// byteAt[i] is the byte offset of rune i, so token texts can share
	// text's memory instead of being allocated one by one.
	byteAt := slices.Grow(t.byteAt[:0], len(text)+1)
	for b, r := range text {
		rs = append(rs, r)
		byteAt = append(byteAt, int32(b))
	}
	byteAt = append(byteAt, int32(len(text)))
	t.rs, t.byteAt = rs, byteAt
	out := slices.Grow(t.out[:0], len(rs)/5+1)
	if !utf8.ValidString(text) {
		// Invalid bytes count as one U+FFFD each; give tokens that text.
		t.out = tokenizeInto(out, rs, 0, "", nil)
	} else {
		t.out = tokenizeInto(out, rs, 0, text, byteAt)
	}
	return t.out
}

// tokenizeRunes tokenizes rs, adding base to every offset.
func tokenizeRunes(rs []rune, base int) []Token {
	return tokenize(rs, base, "", nil)
}

func tokenize(rs []rune, base int, src string, byteAt []int32) []Token {
	return tokenizeInto(make([]Token, 0, len(rs)/5+1), rs, base, src, byteAt)
}

// tokenizeInto is tokenize, appending to out.
func tokenizeInto(out []Token, rs []rune, base int, src string, byteAt []int32) []Token {
	n := len(rs)
	for i := 0; i < n; {
		r := rs[i]
		if isSpace(r) {
			i++
			continue
		}
		end := scan(rs, i)
		if end <= i {
			end = i + 1
		}
		var txt string
		if byteAt != nil {
			txt = src[byteAt[i]:byteAt[end]]
		} else {
			txt = string(rs[i:end])
		}
		out = append(out, Token{Text: txt, Start: base + i, End: base + end,
			WS: end < n && unicode.IsSpace(rs[end])})
		i = end
	}
	return out
}

// isSpace reports runes that separate tokens: Unicode white space and the
// invisible zero-width space, word joiner and BOM.
func isSpace(r rune) bool {
	if r < 0x80 {
		return r == ' ' || r >= '\t' && r <= '\r'
	}
	return unicode.IsSpace(r) || r == 0x200B || r == 0x2060 || r == 0xFEFF
}

func isWordRune(r rune) bool {
	if r < 0x80 {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)) && !isCJK(r)
}

func isCJK(r rune) bool {
	return r >= 0x2E80 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r))
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' || r > 0x7f && unicode.IsDigit(r) }

func isApostrophe(r rune) bool { return r == '\'' || r == '’' }

func isHyphen(r rune) bool { return r == '-' || r == '‐' || r == '‑' }

func at(rs []rune, i int) rune {
	if i >= 0 && i < len(rs) {
		return rs[i]
	}
	return -1
}

// scan returns the end of the token starting at i.
func scan(rs []rune, i int) int {
	r := rs[i]
	switch {
	case isKeycapBase(r) && (at(rs, i+1) == 0xFE0F && at(rs, i+2) == 0x20E3 || at(rs, i+1) == 0x20E3):
		return emojiTail(rs, i+1)
	case isDigit(r):
		return scanNumber(rs, i)
	case r > ' ' && (r == '$' || r > 0x7f && unicode.Is(unicode.Sc, r)) && isDigit(at(rs, i+1)):
		return scanNumber(rs, i+1)
	case isCJK(r):
		return marks(rs, i+1)
	case isWordRune(r) && !unicode.IsMark(r):
		return scanWord(rs, i)
	case isRegionalIndicator(r):
		if isRegionalIndicator(at(rs, i+1)) {
			return emojiTail(rs, i+2)
		}
		return emojiTail(rs, i+1)
	case r == '.' || r == '!' || r == '?':
		j := i + 1
		for j < len(rs) && (rs[j] == '.' || rs[j] == '!' || rs[j] == '?') {
			j++
		}
		return j
	case r == '-':
		j := i + 1
		for j < len(rs) && rs[j] == '-' {
			j++
		}
		return j
	}
	return emojiTail(rs, i+1)
}

func isKeycapBase(r rune) bool { return r >= '0' && r <= '9' || r == '#' || r == '*' }

func isRegionalIndicator(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }

// isPictographic approximates Extended_Pictographic: the runes an emoji
// ZWJ sequence joins.
func isPictographic(r rune) bool {
	switch {
	case r >= 0x1F000 && r <= 0x1FAFF, r >= 0x2600 && r <= 0x27BF,
		r >= 0x2300 && r <= 0x23FF, r >= 0x2B00 && r <= 0x2BFF,
		r >= 0x2190 && r <= 0x21FF, r == 0x00A9, r == 0x00AE, r == 0x203C,
		r == 0x2049, r == 0x2122, r == 0x2139, r == 0x3030, r == 0x303D,
		r == 0x3297, r == 0x3299, r >= 0x1FC00 && r <= 0x1FFFD:
		return true
	}
	return false
}

// emojiTail extends a one-character token from j on with what a grapheme
// cluster would attach: combining marks, variation selectors, skin tones,
// keycaps, tags and ZWJ + pictograph.
func emojiTail(rs []rune, j int) int {
	for j < len(rs) {
		r := rs[j]
		if r < 0x300 {
			return j // nothing below U+0300 extends a cluster
		}
		switch {
		case r >= 0xFE00 && r <= 0xFE0F, r >= 0x1F3FB && r <= 0x1F3FF, r == 0x20E3,
			r >= 0xE0020 && r <= 0xE007F, unicode.IsMark(r):
			j++
		case r == 0x200D && j+1 < len(rs) && (isPictographic(rs[j+1]) || isRegionalIndicator(rs[j+1])):
			j += 2
		default:
			return j
		}
	}
	return j
}

// marks extends a token over following combining marks and variation
// selectors.
func marks(rs []rune, j int) int {
	for j < len(rs) && (unicode.IsMark(rs[j]) || rs[j] >= 0xFE00 && rs[j] <= 0xFE0F) {
		j++
	}
	return j
}

func scanNumber(rs []rune, i int) int {
	j := i
	for j < len(rs) {
		r := rs[j]
		switch {
		case isDigit(r):
			j++
		case (r == ',' || r == '.' || r == ':' || r == '/') && isDigit(at(rs, j+1)) && isDigit(at(rs, j-1)):
			j++
		default:
			goto digitsDone
		}
	}
digitsDone:
	// Attached letters: "3.5bn", "1990s", "5th", "10am".
	j = scanWordRest(rs, j)
	if r := at(rs, j); r == '%' || r == '‰' {
		j++
	}
	return j
}

func scanWord(rs []rune, i int) int {
	j := scanWordRest(rs, i)
	if at(rs, j) != '.' {
		return j
	}
	// Letter-dot abbreviations: "U.S.", "e.g.", "a.m.".
	if j == i+1 && unicode.IsLetter(rs[i]) {
		k := j
		for at(rs, k) == '.' && unicode.IsLetter(at(rs, k+1)) && !isWordRune(at(rs, k+2)) {
			k += 2
		}
		if k > j {
			if at(rs, k) == '.' {
				k++
			}
			return k
		}
	}
	w := string(rs[i:j])
	if abbreviations[w] {
		return j + 1
	}
	if w == "No" || w == "no" || w == "Nos" {
		k := j + 1
		for k < len(rs) && isSpace(rs[k]) && rs[k] != '\n' {
			k++
		}
		if isDigit(at(rs, k)) {
			return j + 1
		}
	}
	return j
}

// scanWordRest consumes word runes, internal apostrophes and internal
// hyphens from j on.
func scanWordRest(rs []rune, j int) int {
	for j < len(rs) {
		r := rs[j]
		switch {
		case isWordRune(r):
			j++
		case isApostrophe(r) && j > 0 && unicode.IsLetter(rs[j-1]) && unicode.IsLetter(at(rs, j+1)) && !isCJK(rs[j+1]):
			j++
		case isHyphen(r) && j > 0 && isWordRune(rs[j-1]) && isWordRune(at(rs, j+1)):
			j++
		default:
			return j
		}
	}
	return j
}

// abbreviations keep their final period as part of the token, and no
// sentence ends after them.
var abbreviations = map[string]bool{}

func init() {
	for _, a := range []string{
		"Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "St", "Jr", "Sr", "Mt", "Messrs",
		"Gen", "Col", "Lt", "Sgt", "Capt", "Cmdr", "Adm", "Maj", "Gov", "Sen", "Rep",
		"Rev", "Hon", "Pres", "Supt", "Insp", "Det", "Cllr", "Fr",
		"etc", "vs", "approx", "cf", "al", "ca", "esp", "incl", "viz",
		"Inc", "Ltd", "Co", "Corp", "Bros", "Plc", "LLC", "Dept", "dept", "Univ", "Assn",
		"Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
		"Mon", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri",
		"Fig", "fig", "Vol", "vol", "pp", "Ch", "ch", "Sec", "para", "Para",
		"Ave", "Rd", "Blvd", "Sq", "est", "Est", "min", "max",
	} {
		abbreviations[a] = true
	}
}

// IsAbbreviation reports whether tok is an abbreviation that keeps its
// period ("Mr.", "U.S.", "e.g.").
func IsAbbreviation(tok string) bool {
	rs := []rune(tok)
	if len(rs) < 2 || rs[len(rs)-1] != '.' {
		return false
	}
	if abbreviations[string(rs[:len(rs)-1])] || tok == "No." || tok == "no." || tok == "Nos." {
		return true
	}
	// Letter-dot sequences.
	for i, r := range rs {
		if i%2 == 0 && !unicode.IsLetter(r) || i%2 == 1 && r != '.' {
			return false
		}
	}
	return len(rs) >= 3
}
