package suggest

// Token attributes as spaCy defines them (spacy/lang/lex_attrs.py and
// spacy/lang/en/lex_attrs.py), computed on Gloss's tokens. Python's str
// predicates (isalpha, isdigit, islower, isupper, istitle) are followed
// with Go's unicode tables.

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// shape is spaCy's word_shape: letters become X or x, digits d, other
// characters stay; a run of one shape character is cut after four
// ("Apple" → "Xxxxx", "280,000" → "ddd,ddd", "COVID-19" → "XXXX-dd").
func shape(s string) string {
	if utf8.RuneCountInString(s) >= 100 {
		return "LONG"
	}
	var b strings.Builder
	b.Grow(len(s))
	var last rune = -1
	seq := 0
	for _, r := range s {
		c := r
		switch {
		case unicode.IsLetter(r):
			if unicode.IsUpper(r) {
				c = 'X'
			} else {
				c = 'x'
			}
		case unicode.IsDigit(r):
			c = 'd'
		}
		if c == last {
			seq++
		} else {
			seq, last = 0, c
		}
		if seq < 4 {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func isAlpha(s string) bool { return s != "" && all(s, unicode.IsLetter) }

func isDigitStr(s string) bool { return s != "" && all(s, unicode.IsDigit) }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// isPunct is spaCy's is_punct: every character is Unicode punctuation (P*),
// so "%" and "…" are punctuation but "$" (a symbol) is not.
func isPunct(s string) bool { return s != "" && all(s, unicode.IsPunct) }

func isCurrency(s string) bool {
	return s != "" && all(s, func(r rune) bool { return unicode.Is(unicode.Sc, r) })
}

func cased(r rune) bool { return unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r) }

// isLower is Python's islower: some cased character, none upper or title.
func isLower(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsUpper(r) || unicode.IsTitle(r) {
			return false
		}
		if unicode.IsLower(r) {
			n++
		}
	}
	return n > 0
}

// isUpper is Python's isupper: some cased character, none lower or title.
func isUpper(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLower(r) || unicode.IsTitle(r) {
			return false
		}
		if unicode.IsUpper(r) {
			n++
		}
	}
	return n > 0
}

// isTitle is Python's istitle: upper and title case only after uncased
// characters, lower case only after cased ones, and some cased character.
func isTitle(s string) bool {
	prevCased, any := false, false
	for _, r := range s {
		switch {
		case unicode.IsUpper(r) || unicode.IsTitle(r):
			if prevCased {
				return false
			}
			prevCased, any = true, true
		case unicode.IsLower(r):
			if !prevCased {
				return false
			}
			prevCased, any = true, true
		default:
			prevCased = cased(r)
		}
	}
	return any
}

func all(s string, f func(rune) bool) bool {
	for _, r := range s {
		if !f(r) {
			return false
		}
	}
	return true
}

var (
	brackets    = set("( ) [ ] { } < >")
	quotes      = set("\" ' ` « » ‘ ’ ‚ ‛ “ ” „ ‟ ‹ › ❮ ❯ '' ``")
	leftPunct   = set("( [ { < \" ' « ‘ ‚ ‛ “ „ ‟ ‹ ❮ ``")
	rightPunct  = set(") ] } > \" ' » ’ ” › ❯ ''")
	numWords    = set("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion trillion quadrillion gajillion bazillion")
	ordinalWord = set("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth hundredth thousandth millionth billionth trillionth quadrillionth gajillionth bazillionth")
)

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// likeNum is spaCy's English like_num: digits once , and . are dropped
// ("280,000", "5.5"), a fraction ("3/4"), a number or ordinal word
// ("million", "third"), or digits with st/nd/rd/th ("5th"). Gloss keeps
// "5%" and "$3bn" as one token, and like spaCy those are not like_num.
func likeNum(s string) bool {
	if s == "" {
		return false
	}
	if r, n := utf8.DecodeRuneInString(s); r == '+' || r == '-' || r == '±' || r == '~' {
		s = s[n:]
	}
	if strings.ContainsAny(s, ",.") {
		s = strings.NewReplacer(",", "", ".", "").Replace(s)
	}
	if isDigitStr(s) {
		return true
	}
	if a, b, ok := strings.Cut(s, "/"); ok && isDigitStr(a) && isDigitStr(b) {
		return true
	}
	l := lower(s)
	if numWords[l] || ordinalWord[l] {
		return true
	}
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if strings.HasSuffix(l, suf) && isDigitStr(l[:len(l)-2]) {
			return true
		}
	}
	return false
}

// norm approximates spaCy's NORM: the lower case with ’ as '. (spaCy also
// applies a table of norm exceptions, such as "cuz" → "because".)
func norm(s string) string {
	l := lower(s)
	if strings.ContainsRune(l, '’') {
		return strings.ReplaceAll(l, "’", "'")
	}
	return l
}
