package bidi

import (
	"math/rand"
	"slices"
	"testing"

	"github.com/go-text/typesetting/unicodedata"
	xbidi "golang.org/x/text/unicode/bidi"
)

// rep returns n copies of l, to write long expected level lists by hand.
func rep(l int8, n int) []int8 {
	return slices.Repeat([]int8{l}, n)
}

func cat(parts ...[]int8) []int8 { return slices.Concat(parts...) }

// The expected levels below are worked out by hand from UAX #9; the comment
// of each case gives the reasoning.
var levelCases = []struct {
	name     string
	text     string
	dir      Direction
	lineEnds []int
	want     []int8
}{
	{
		// P2: 'H' is L, paragraph level 0. The Arabic letters are AL → R
		// (W3), level 1 (I1); the spaces between them lie between R and R,
		// R by N1. « and » are not paired brackets (Bidi_Paired_Bracket_Type
		// None), so N0 does not touch them: " «" lies between L and R and
		// "» " between R and L, both e = L by N2, level 0.
		// "He said " (8) « (1) Arabic (17) » (1) " today." (7)
		name: "arabic quote in English",
		text: "He said «لن نقبل بأي اتفاق» today.",
		want: cat(rep(0, 9), rep(1, 17), rep(0, 8)),
	},
	{
		// P2: 'ع' is AL, paragraph level 1. W2: the digits follow AL, EN →
		// AN; I2: AN at an odd level → 2. The spaces lie between R and AN
		// (AN counts as R for N1), R, level 1.
		name: "RTL paragraph with digits",
		text: "عام 2024 كان",
		want: cat(rep(1, 4), rep(2, 4), rep(1, 4)),
	},
	{
		// Paragraph level 0; inside the Arabic the digits are AN (W2), level 0
		// + 2 = 2 (I1); the Arabic letters and the spaces between R and AN are
		// R, level 1; the guillemets are neutrals between L and R, level 0.
		// "The minister said " (18) « (1) "عام " (4) "2024" (4) " كان" (4)
		// » (1) " today." (7)
		name: "digits in Arabic in English",
		text: "The minister said «عام 2024 كان» today.",
		want: cat(rep(0, 19), rep(1, 4), rep(2, 4), rep(1, 4), rep(0, 8)),
	},
	{
		// Paragraph level 1 (ب is AL). ( and ) are a pair (BD16); N0: inside
		// is c = L, opposite to the embedding direction R; the strong type
		// before the opener is a = L, also opposite, so both brackets become
		// L (N0 c.1), level 2. The space lies between R and L → e = R (N2).
		// Without N0, ')' would lie between L and eos R and get level 1.
		name: "bracket pair N0",
		text: "ب a(c)",
		want: []int8{1, 1, 2, 2, 2, 2},
	},
	{
		name: "bracket pair N0 square",
		text: "ب a[c]",
		want: []int8{1, 1, 2, 2, 2, 2},
	},
	{
		// U+2329 and U+3009 are a pair after canonical decomposition
		// (U+2329 ≡ U+3008), BD16.
		name: "bracket pair N0 canonical equivalents",
		text: "ب a\u2329c\u3009",
		want: []int8{1, 1, 2, 2, 2, 2},
	},
	{
		// Mismatched brackets are not a pair: N0 does nothing and they
		// resolve by N1/N2: '[' between L a and L c → L, level 2; ')' between
		// L c and eos R → e = R (N2), level 1.
		name: "mismatched brackets",
		text: "ب a[c)",
		want: []int8{1, 1, 2, 2, 2, 1},
	},
	{
		// N0 b: a strong type matching the embedding direction (c, L in a
		// level-0 paragraph) inside the pair sets both brackets to L, level
		// 0, although R surrounds each of them; by N1 alone ')' (between R
		// and R) would be level 1. The spaces lie between L and R: e = L, 0.
		name: "bracket pair N0 b",
		text: "x אב(c א)גד",
		// x sp א ב ( c sp א ) ג ד
		want: []int8{0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 1},
	},
	{
		// Hebrew letters are R, paragraph level 1. ',' is CS → ON (W6), and
		// with the spaces lies between R and R: R (N1). '?' lies between R
		// and eos R (the paragraph level is 1): R. Everything is level 1.
		// שלום(4) sp ע ו ל ם(4) , sp מה(2) sp שלומך(5) ? = 20
		name: "Hebrew line",
		text: "שלום עולם, מה שלומך?",
		want: rep(1, 20),
	},
	{
		// The same in a forced LTR paragraph: the inner neutrals still lie
		// between R and R (level 1), but the final '?' lies between R and eos
		// L, e = L by N2, level 0.
		name: "Hebrew line in LTR paragraph",
		text: "שלום עולם, מה שלומך?",
		dir:  LTR,
		want: cat(rep(1, 19), []int8{0}),
	},
	{
		name: "pure ASCII",
		text: "Hello, world 123 (x) [y]!",
		want: rep(0, 25),
	},
	{
		// Forced RTL: the letters are L at level 1 → 2 (I2); W7 turns the
		// digits after L into L, level 2; the space between L and L is L.
		name: "ASCII in RTL paragraph",
		text: "abc 12",
		dir:  RTL,
		want: rep(2, 6),
	},
	{
		// No strong character at all: P3 gives level 0; the digits are EN
		// with sos L before them, L by W7.
		name: "no strong character",
		text: "123 ...",
		want: rep(0, 7),
	},
	{
		// P2 skips the isolate: the first strong character outside it is
		// 'a', level 0. Inside the RLI..PDI the embedding level is 1 and
		// the Hebrew R stays 1 (I2). The RLI and PDI take the outer level 0
		// (X5a, X6a) and form one isolating run sequence with " a" (BD13):
		// neutrals between sos L and a, L by N1, level 0.
		name: "isolate skipped by P2",
		text: "\u2067אב\u2069 a",
		want: []int8{0, 1, 1, 0, 0, 0},
	},
	{
		name: "empty",
		text: "",
		want: []int8{},
	},
	{
		// L1: with a line end after the two spaces, they end the first line
		// and take the paragraph level 0; without it (next case) they lie
		// between R and R, level 1.
		// a b sp א ב sp sp ג ד
		name:     "L1 trailing spaces at a line end",
		text:     "ab אב  גד",
		lineEnds: []int{7, 9},
		want:     []int8{0, 0, 0, 1, 1, 0, 0, 1, 1},
	},
	{
		name: "L1 no line end",
		text: "ab אב  גד",
		want: []int8{0, 0, 0, 1, 1, 1, 1, 1, 1},
	},
	{
		// RTL paragraph: the space between d and e lies between L and L, level
		// 2; as the last character of the first line (end 6) it takes the
		// paragraph level 1.
		// א ב sp c d sp e f
		name:     "L1 RTL paragraph",
		text:     "אב cd ef",
		lineEnds: []int{6, 8},
		want:     []int8{1, 1, 1, 2, 2, 1, 2, 2},
	},
	{
		name: "L1 RTL paragraph one line",
		text: "אב cd ef",
		want: []int8{1, 1, 1, 2, 2, 2, 2, 2},
	},
	{
		// L1: a tab (S) and the whitespace before it take the paragraph level
		// wherever they are; the trailing spaces of the whole text too.
		name: "L1 segment separator",
		text: "אב \tגד  ",
		dir:  LTR,
		want: []int8{1, 1, 0, 0, 1, 1, 0, 0},
	},
	{
		// Invalid line ends are ignored; 7 is kept.
		name:     "L1 sloppy line ends",
		text:     "ab אב  גד",
		lineEnds: []int{-1, 0, 7, 7, 3, 42},
		want:     []int8{0, 0, 0, 1, 1, 0, 0, 1, 1},
	},
	{
		// P1: the newline ends an RTL paragraph (auto, first strong א), and
		// takes its level 1 (L1); "ab" is a new LTR paragraph.
		name: "paragraph separator inside",
		text: "אב\nab",
		want: []int8{1, 1, 1, 0, 0},
	},
	{
		// Explicit embedding: RLE raises "ab" to level 1 → L at odd level,
		// I2 → 2. The RLE and PDF (removed by X9) take the level of the
		// character before them (or the paragraph level at the start).
		name: "explicit embedding",
		text: "x\u202Bab\u202C y",
		want: []int8{0, 0, 2, 2, 2, 0, 0},
	},
	{
		// RLO overrides "ab" to R, level 1.
		name: "override",
		text: "x \u202Eab\u202C y",
		want: []int8{0, 0, 0, 1, 1, 1, 0, 0},
	},
	{
		// Arabic-Indic digits are AN: level 2 in an LTR paragraph.
		name: "Arabic-Indic digits",
		text: "a ١٢٣",
		want: []int8{0, 0, 2, 2, 2},
	},
	{
		// W2: European digits after AL become AN; W4: the comma between two
		// AN stays AN (CS between AN and AN); all three are level 2 inside
		// the RTL paragraph.
		name: "AN separator W4",
		text: "ع 1,5",
		want: []int8{1, 1, 2, 2, 2},
	},
	{
		// NSM takes the class of the base before it (W1): the Hebrew point
		// after ש is R, level 1.
		name: "nonspacing mark",
		text: "a שָ",
		want: []int8{0, 0, 1, 1},
	},
}

func TestLevels(t *testing.T) {
	for _, c := range levelCases {
		t.Run(c.name, func(t *testing.T) {
			text := []rune(c.text)
			if len(text) != len(c.want) {
				t.Fatalf("bad case: %d code points, %d levels", len(text), len(c.want))
			}
			got := Levels(text, c.dir, c.lineEnds)
			if !slices.Equal(got, c.want) {
				t.Errorf("Levels(%q, %d, %v)\n got %v\nwant %v", c.text, c.dir, c.lineEnds, got, c.want)
			}
		})
	}
}

func TestHasRTL(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"", false},
		{"Hello, world 123 (x)!", false},
		{"Ελληνικά кириллица 中文 日本語", false},
		{"\u200E left mark", false}, // LRM is L
		{"He said «لن نقبل بأي اتفاق» today.", true},
		{"שלום", true},
		{"a ١٢٣", true},          // AN only
		{"\u200F", true},         // RLM is R
		{"\u061C", true},         // ALM is AL
		{"x\u202Ay\u202C", true}, // LRE..PDF
		{"\u2066x\u2069", true},  // LRI..PDI
		{"\u202Dx", true},        // LRO
	} {
		if got := HasRTL([]rune(c.text)); got != c.want {
			t.Errorf("HasRTL(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

func TestReorder(t *testing.T) {
	for _, c := range []struct {
		levels []int8
		want   []int
	}{
		{nil, []int{}},
		{[]int8{0, 0, 0}, []int{0, 1, 2}},
		{[]int8{1, 1, 1}, []int{2, 1, 0}},
		{[]int8{0, 0, 1, 1, 1, 0}, []int{0, 1, 4, 3, 2, 5}},
		// a R R 1 2 R e: "12" at level 2 is reversed twice, keeping its order.
		{[]int8{0, 1, 1, 2, 2, 1, 0}, []int{0, 5, 3, 4, 2, 1, 6}},
		// "ab" then א in an RTL paragraph: א shows leftmost, then ab.
		{[]int8{2, 2, 1}, []int{2, 0, 1}},
		// Three levels: 3 inside 2 inside 1.
		{[]int8{1, 2, 3, 3, 2, 1}, []int{5, 1, 3, 2, 4, 0}},
		// Two separate odd runs stay in place relative to each other.
		{[]int8{1, 1, 0, 1, 1}, []int{1, 0, 2, 4, 3}},
	} {
		if got := Reorder(c.levels); !slices.Equal(got, c.want) {
			t.Errorf("Reorder(%v) = %v, want %v", c.levels, got, c.want)
		}
	}
}

// TestReorderLine reorders a resolved line: the Arabic words show right to
// left with the number inside them kept left to right.
func TestReorderLine(t *testing.T) {
	text := []rune("ab «عام 2024 كان» cd")
	order := Reorder(Levels(text, Auto, nil))
	var vis []rune
	for _, i := range order {
		vis = append(vis, text[i])
	}
	if got, want := string(vis), "ab «ناك 2024 ماع» cd"; got != want {
		t.Errorf("visual %q, want %q", got, want)
	}
}

func TestMirror(t *testing.T) {
	for _, c := range []struct{ r, want rune }{
		{'(', ')'}, {')', '('}, {'[', ']'}, {'{', '}'}, {'<', '>'},
		{'«', '»'}, {'»', '«'}, {'‹', '›'}, {'〈', '〉'}, {'≤', '≥'},
		{'a', 'a'}, {'ب', 'ب'}, {'∑', '∑'}, {-1, -1},
	} {
		if got := Mirror(c.r); got != c.want {
			t.Errorf("Mirror(%q) = %q, want %q", c.r, got, c.want)
		}
	}
}

// TestBracketData checks, over every code point, that the two data sources
// agree: each paired bracket (x/text) has a mirror (go-text) that is a
// bracket of the other kind mirroring back to it, i.e. Bidi_Mirroring_Glyph
// gives the Bidi_Paired_Bracket; and that every class maps.
func TestBracketData(t *testing.T) {
	brackets := 0
	for r := rune(0); r <= 0x10FFFF; r++ {
		p, _ := xbidi.LookupRune(r)
		if c := p.Class(); c == xbidi.Control || int(c) >= len(fromX) {
			t.Errorf("U+%04X: unmapped class %d", r, c)
		}
		if !p.IsBracket() {
			continue
		}
		brackets++
		m, ok := unicodedata.LookupMirrorChar(r)
		if !ok {
			t.Errorf("U+%04X: bracket without a mirror", r)
			continue
		}
		q, _ := xbidi.LookupRune(m)
		if !q.IsBracket() || q.IsOpeningBracket() == p.IsOpeningBracket() {
			t.Errorf("U+%04X: mirror U+%04X is not its partner bracket", r, m)
		}
		if back, _ := unicodedata.LookupMirrorChar(m); back != r {
			t.Errorf("U+%04X: mirror U+%04X mirrors to U+%04X", r, m, back)
		}
		typ, val := bracketOf(r)
		opener := r
		if !p.IsOpeningBracket() {
			opener = m
		}
		if typ == bpNone || val != canonicalBracket(opener) {
			t.Errorf("U+%04X: bracketOf = %d, U+%04X", r, typ, val)
		}
	}
	if brackets < 120 { // BidiBrackets.txt has 128 entries in Unicode 15
		t.Errorf("only %d brackets", brackets)
	}
	if _, v := bracketOf('\u232A'); v != '\u3008' {
		t.Errorf("U+232A pairs as U+%04X, want U+3008", v)
	}
}

// TestLevelsRandom runs Levels on random strings of interesting characters
// (every bidi class, brackets, controls, separators, invalid code points) and
// checks it does not panic, returns one level per code point within range,
// that Reorder gives a permutation, that line ends only change whitespace
// before them, and that text without HasRTL is all level 0 unless forced RTL.
func TestLevelsRandom(t *testing.T) {
	pool := []rune("aZ1٣ بשء\u0300\u05B8\t\n\r\u2029\u001F,.+-$%#()[]{}«»<>\u2329\u3009\u200B\u200E\u200F\u061C" +
		"\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u00AD")
	pool = append(pool, 0xD800, -5, 0x110000, 0x10FFFF, 0xFFFD, 0x1F600)
	rng := rand.New(rand.NewSource(1))
	for iter := 0; iter < 3000; iter++ {
		n := rng.Intn(40)
		if iter%100 == 0 {
			n = 300 + rng.Intn(200) // deep nesting of controls
		}
		text := make([]rune, n)
		for i := range text {
			if rng.Intn(8) == 0 {
				text[i] = rune(rng.Intn(0x110000))
			} else {
				text[i] = pool[rng.Intn(len(pool))]
			}
		}
		dir := Direction(rng.Intn(4))
		var ends []int
		for k := rng.Intn(4); k > 0; k-- {
			ends = append(ends, rng.Intn(n+3)-1)
		}
		if rng.Intn(2) == 0 {
			slices.Sort(ends)
		}
		got := Levels(text, dir, ends)
		if len(got) != n {
			t.Fatalf("%q: %d levels for %d code points", string(text), len(got), n)
		}
		one := Levels(text, dir, nil)
		for i, l := range got {
			if l < 0 || l > MaxLevel {
				t.Fatalf("%q: level %d at %d", string(text), l, i)
			}
			if l != one[i] && !isWhitespace(classOf(text[i])) {
				t.Fatalf("%q ends %v: line ends changed the level of non-whitespace %d", string(text), ends, i)
			}
		}
		perm := Reorder(got)
		seen := make([]bool, n)
		for _, i := range perm {
			if i < 0 || i >= n || seen[i] {
				t.Fatalf("Reorder(%v) = %v: not a permutation", got, perm)
			}
			seen[i] = true
		}
		if dir != RTL && !HasRTL(text) {
			for i, l := range got {
				if l != 0 {
					t.Fatalf("%q: no RTL but level %d at %d", string(text), l, i)
				}
			}
		}
	}
}
