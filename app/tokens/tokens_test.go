package tokens

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func texts(toks []Token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Text
	}
	return out
}

func TestTokenize(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  \n\t ", nil},
		{"Hello, world!", []string{"Hello", ",", "world", "!"}},
		{"280,000 homes", []string{"280,000", "homes"}},
		{"rose 12% and 5.5% then", []string{"rose", "12%", "and", "5.5%", "then"}},
		{"a $3.5bn plan", []string{"a", "$3.5bn", "plan"}},
		{"€20 and £1,200.50 and ¥300", []string{"€20", "and", "£1,200.50", "and", "¥300"}},
		{"a five-year-old in a 22-nation bloc", []string{"a", "five-year-old", "in", "a", "22-nation", "bloc"}},
		{"COVID-19 B2B 1990s 5th 10:30 12/03/2025", []string{"COVID-19", "B2B", "1990s", "5th", "10:30", "12/03/2025"}},
		{"“We’ll do it,” she said — don't.", []string{"“", "We’ll", "do", "it", ",", "”", "she", "said", "—", "don't", "."}},
		{"‘Single’ quotes", []string{"‘", "Single", "’", "quotes"}},
		{"the students’ union", []string{"the", "students", "’", "union"}},
		{"O’Brien and l'état", []string{"O’Brien", "and", "l'état"}},
		{"Great 👍🏽!", []string{"Great", "👍🏽", "!"}},
		{"family👩‍👩‍👧here", []string{"family", "👩‍👩‍👧", "here"}},
		{"🌍🌍", []string{"🌍", "🌍"}},
		{"flags 🇪🇺🇬🇧 ok", []string{"flags", "🇪🇺", "🇬🇧", "ok"}},
		{"keycap 1️⃣ #️⃣", []string{"keycap", "1️⃣", "#️⃣"}},
		{"heart ❤️ and ☀︎", []string{"heart", "❤️", "and", "☀︎"}},
		{"rainbow 🏳️‍🌈 flag", []string{"rainbow", "🏳️‍🌈", "flag"}},
		{"Wait... what?! Yes!!", []string{"Wait", "...", "what", "?!", "Yes", "!!"}},
		{"one -- two", []string{"one", "--", "two"}},
		{"score 9–2 (final)", []string{"score", "9", "–", "2", "(", "final", ")"}},
		{"Mr. Smith met Dr. Jones", []string{"Mr.", "Smith", "met", "Dr.", "Jones"}},
		{"the U.S. and U.K. e.g. this, i.e. that", []string{"the", "U.S.", "and", "U.K.", "e.g.", "this", ",", "i.e.", "that"}},
		{"at 9 a.m. sharp", []string{"at", "9", "a.m.", "sharp"}},
		{"No. 10 and no. 3 but say no. Then", []string{"No.", "10", "and", "no.", "3", "but", "say", "no", ".", "Then"}},
		{"apples, pears etc. and more", []string{"apples", ",", "pears", "etc.", "and", "more"}},
		{"J. Smith", []string{"J", ".", "Smith"}},
		{"in 2024. Next", []string{"in", "2024", ".", "Next"}},
		{"中文测试。", []string{"中", "文", "测", "试", "。"}},
		{"カタカナ", []string{"カ", "タ", "カ", "ナ"}},
		{"हिन्दी भाषा", []string{"हिन्दी", "भाषा"}},
		{"«مرحبا بالعالم»", []string{"«", "مرحبا", "بالعالم", "»"}},
		{"Ελληνικά κείμενα;", []string{"Ελληνικά", "κείμενα", ";"}},
		{"café naïve", []string{"café", "naïve"}},
		{"cafe\u0301 ok", []string{"cafe\u0301", "ok"}},
		{"a\u00a0b\u200bc", []string{"a", "b", "c"}},
		{"email: x@y.org #tag", []string{"email", ":", "x", "@", "y", ".", "org", "#", "tag"}},
		{"line\r\nnext", []string{"line", "next"}},
	}
	for _, c := range cases {
		got := texts(Tokenize(c.in))
		if len(got) == 0 && len(c.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Tokenize(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestTokenOffsets(t *testing.T) {
	text := "👩‍👩‍👧 “We’ll build 280,000 homes,” she said — in 5 years.\r\nNext 👍🏽."
	rs := []rune(text)
	toks := Tokenize(text)
	prevEnd := 0
	for i, tk := range toks {
		if tk.Start < prevEnd || tk.End <= tk.Start || tk.End > len(rs) {
			t.Fatalf("token %d %+v overlaps or is out of range", i, tk)
		}
		if got := string(rs[tk.Start:tk.End]); got != tk.Text {
			t.Errorf("token %d: text %q, slice %q", i, tk.Text, got)
		}
		for _, r := range rs[prevEnd:tk.Start] {
			if !isSpace(r) {
				t.Errorf("non-space %q skipped before token %d", r, i)
			}
		}
		ws := tk.End < len(rs) && unicode.IsSpace(rs[tk.End])
		if tk.WS != ws {
			t.Errorf("token %d %q: WS %v", i, tk.Text, tk.WS)
		}
		prevEnd = tk.End
	}
	want := []Token{
		{"👩‍👩‍👧", 0, 5, true}, {"“", 6, 7, false}, {"We’ll", 7, 12, true}, {"build", 13, 18, true},
		{"280,000", 19, 26, true},
	}
	if !reflect.DeepEqual(toks[:5], want) {
		t.Errorf("got %+v", toks[:5])
	}
	last := toks[len(toks)-2:]
	if last[0].Text != "👍🏽" || last[0].Start != len(rs)-3 || last[1].Text != "." || last[1].WS {
		t.Errorf("tail %+v", last)
	}
}

// Tokenizing never loses or invents text, whatever the input.
func TestTokenizeCovers(t *testing.T) {
	inputs := []string{
		"\u200d\u200d lone ZWJ \ufe0f lone VS \U0001F3FD lone tone \u0301 lone mark",
		"a'b' 'c -d- e- -- - x-", "....!!!???", "$ $$ $5 5$ %5 5%%", "\xff\xfe invalid",
		strings.Repeat("👩‍", 5),
	}
	for _, in := range inputs {
		rs := []rune(in)
		var sb strings.Builder
		for _, tk := range Tokenize(in) {
			sb.WriteString(tk.Text)
		}
		var want strings.Builder
		for _, r := range rs {
			if !isSpace(r) {
				want.WriteRune(r)
			}
		}
		if sb.String() != want.String() {
			t.Errorf("%q: tokens join to %q", in, sb.String())
		}
	}
}

func TestIsAbbreviation(t *testing.T) {
	for tok, want := range map[string]bool{
		"Mr.": true, "U.S.": true, "e.g.": true, "etc.": true, "Jan.": true, "No.": true,
		"Mr": false, "house.": false, ".": false, "a.": false, "Inc.": true,
	} {
		if got := IsAbbreviation(tok); got != want {
			t.Errorf("IsAbbreviation(%q) = %v", tok, got)
		}
	}
}

func sentences(text string) []string {
	toks := Tokenize(text)
	rs := []rune(text)
	var out []string
	for _, s := range Sentences(text, toks) {
		out = append(out, string(rs[toks[s[0]].Start:toks[s[1]-1].End]))
	}
	return out
}

func TestSentences(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"One sentence", []string{"One sentence"}},
		{"First one. Second one! Third? Fourth.", []string{"First one.", "Second one!", "Third?", "Fourth."}},
		{"He said “Go home.” Then he left.", []string{"He said “Go home.”", "Then he left."}},
		{"“Really?” she asked. ‘Yes.’ He nodded.", []string{"“Really?” she asked.", "‘Yes.’", "He nodded."}},
		{"It ended. “New quote” began.", []string{"It ended.", "“New quote” began."}},
		{"Mr. Smith and Mrs. Jones met Dr. Who. They talked.", []string{"Mr. Smith and Mrs. Jones met Dr. Who.", "They talked."}},
		{"The U.S. Senate and the U.K. Parliament agreed.", []string{"The U.S. Senate and the U.K. Parliament agreed."}},
		{"Bring fruit, e.g. Apples. Then go.", []string{"Bring fruit, e.g. Apples.", "Then go."}},
		{"Prices rose 5.5% in Jan. Analysts were surprised.", []string{"Prices rose 5.5% in Jan. Analysts were surprised."}},
		{"J. Smith and A. B. Jones spoke. Then P. Dupont.", []string{"J. Smith and A. B. Jones spoke.", "Then P. Dupont."}},
		{"No split here. lowercase continues.", []string{"No split here. lowercase continues."}},
		{"Numbers start. 2024 was a year. $3bn was spent.", []string{"Numbers start.", "2024 was a year.", "$3bn was spent."}},
		{"No space.Next", []string{"No space.Next"}},
		{"Wait... Then what?! Nothing.", []string{"Wait...", "Then what?!", "Nothing."}},
		{"Item No. 5 is here. Done.", []string{"Item No. 5 is here.", "Done."}},
		{"Heading without stop\n\nParagraph one. Two.", []string{"Heading without stop", "Paragraph one.", "Two."}},
		{"Para one\n  \t\nPara two", []string{"Para one", "Para two"}},
		{"Line one\nline two", []string{"Line one\nline two"}},
		{"Ends.\nNext line", []string{"Ends.", "Next line"}},
		{"# Title\nBody text here. More.", []string{"# Title", "Body text here.", "More."}},
		{"Items:\n- one\n- two\n• three\n1. four\n2) five", []string{"Items:", "- one", "- two", "• three", "1. four", "2) five"}},
		{"我们来了。他们走了。", []string{"我们来了。", "他们走了。"}},
		{"He said: 「好。」Then left.", []string{"He said: 「好。」", "Then left."}},
		{"قال الوزير. وأضاف أن الخطة جاهزة.", []string{"قال الوزير.", "وأضاف أن الخطة جاهزة."}},
		{"यह सही है। अगला वाक्य।", []string{"यह सही है।", "अगला वाक्य।"}},
		{"Great news 👍🏽. Next one 🌍!", []string{"Great news 👍🏽.", "Next one 🌍!"}},
		{"CRLF ends.\r\nNew line.", []string{"CRLF ends.", "New line."}},
		{"Next steps\n1. The review. Then more.\n2. A survey.", []string{"Next steps", "1. The review.", "Then more.", "2. A survey."}},
		{"R1. Approve the tender. R2. Agree the contract.", []string{"R1. Approve the tender.", "R2. Agree the contract."}},
		{"IV. Costs and timing", []string{"IV. Costs and timing"}},
		{"It opens at 9 a.m. Visitors queue. It shuts at 5 p.m. on Sundays.", []string{"It opens at 9 a.m.", "Visitors queue.", "It shuts at 5 p.m. on Sundays."}},
		{"They won 3. Then they lost.", []string{"They won 3.", "Then they lost."}},
	}
	for _, c := range cases {
		got := sentences(c.in)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Sentences(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestSentencesCoverAllTokens(t *testing.T) {
	text := strings.Repeat("Mr. A. Smith said “yes.” Then 5% fell!\n\n- item\n", 50)
	toks := Tokenize(text)
	ss := Sentences(text, toks)
	next := 0
	for _, s := range ss {
		if s[0] != next || s[1] <= s[0] {
			t.Fatalf("bad range %v after %d", s, next)
		}
		next = s[1]
	}
	if next != len(toks) {
		t.Fatalf("ranges end at %d of %d", next, len(toks))
	}
}

func TestSnapToWords(t *testing.T) {
	text := "  The “five-year-old” plan costs $3.5bn — 👩‍👩‍👧 say 12%.  "
	rs := []rune(text)
	idx := func(sub string) int {
		b := strings.Index(text, sub)
		if b < 0 {
			t.Fatalf("%q not in text", sub)
		}
		return utf8.RuneCountInString(text[:b])
	}
	span := func(sub string) [2]int { s := idx(sub); return [2]int{s, s + utf8.RuneCountInString(sub)} }
	cases := []struct {
		name       string
		start, end int
		want       string
	}{
		{"whole word", span("plan")[0], span("plan")[1], "plan"},
		{"inside word", span("lan")[0], span("lan")[1], "plan"},
		{"part of hyphenated", span("year")[0], span("year")[1], "five-year-old"},
		{"across two words", span("an co")[0], span("an co")[1], "plan costs"},
		{"with surrounding spaces", span(" plan ")[0], span(" plan ")[1], "plan"},
		{"leading whitespace of text", 0, span("The")[0] + 1, "The"},
		{"part of money", span("3.5")[0], span("3.5")[1], "$3.5bn"},
		{"into quote", span("“fi")[0], span("“fi")[1], "“five-year-old"},
		{"part of emoji", span("👩‍👩‍👧")[0] + 1, span("👩‍👩‍👧")[0] + 2, "👩‍👩‍👧"},
		{"caret in word", span("costs")[0] + 2, span("costs")[0] + 2, "costs"},
		{"caret in space", span(" costs")[0], span(" costs")[0], ""},
		{"only spaces", 0, 2, ""},
		{"reversed", span("plan")[1], span("plan")[0] + 1, "plan"},
		{"clamped", -5, 1000, strings.TrimSpace(text)},
		{"percent", span("2%")[0], span("2%")[1], "12%"},
		{"period kept apart", span("%.")[0] + 1, span("%.")[1], "."},
	}
	for _, c := range cases {
		s, e := SnapToWords(rs, c.start, c.end)
		if got := string(rs[s:e]); got != c.want {
			t.Errorf("%s: SnapToWords(%d,%d) = (%d,%d) %q, want %q", c.name, c.start, c.end, s, e, got, c.want)
		}
	}
	if s, e := SnapToWords(nil, 0, 3); s != 0 || e != 0 {
		t.Errorf("empty text: %d %d", s, e)
	}
}

// SnapToWords must agree with snapping against the full tokenization.
func TestSnapMatchesFullTokenize(t *testing.T) {
	text := "No. 10 said: “We’ll cut 12% by 2030,” said Dr. Ng.\nU.S. aid 👍🏽 $3.5bn — 五年。 e.g. 22-nation"
	rs := []rune(text)
	toks := Tokenize(text)
	for s := 0; s <= len(rs); s++ {
		for e := s + 1; e <= len(rs); e++ {
			gs, ge := SnapToWords(rs, s, e)
			ws, we := s, e
			for ws < we && isSpace(rs[ws]) {
				ws++
			}
			for we > ws && isSpace(rs[we-1]) {
				we--
			}
			if ws == we {
				ws, we = gs, gs
			}
			if ws != we {
				ns, ne := ws, we
				for _, tk := range toks {
					if tk.Start < we && tk.End > ws {
						ns, ne = min(ns, tk.Start), max(ne, tk.End)
					}
				}
				ws, we = ns, ne
			}
			if gs != ws || ge != we {
				t.Fatalf("SnapToWords(%d,%d) = %d,%d; full tokenization says %d,%d", s, e, gs, ge, ws, we)
			}
		}
	}
}

func benchText(size int) string {
	para := "The council’s “five-year-old” plan — approved by a 22-nation panel on Jan. 5 — " +
		"would cost $3.5bn and house 280,000 people, a 12% rise. Mr. O’Brien said: “We’ll see 👍🏽.” " +
		"Critics in the U.S. disagreed! 中文引用。 Ελληνικά 👩‍👩‍👧 हिन्दी.\n\n"
	var sb strings.Builder
	for sb.Len() < size {
		sb.WriteString(para)
	}
	return sb.String()
}

func BenchmarkTokenize1MB(b *testing.B) {
	text := benchText(1 << 20)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Tokenize(text)
	}
}

func BenchmarkSentences1MB(b *testing.B) {
	text := benchText(1 << 20)
	toks := Tokenize(text)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Sentences(text, toks)
	}
}

func BenchmarkSnapToWords(b *testing.B) {
	rs := []rune(benchText(1 << 20))
	mid := len(rs) / 2
	for b.Loop() {
		SnapToWords(rs, mid, mid+40)
	}
}

func ExampleTokenize() {
	for _, t := range Tokenize("“We’ll add 280,000 homes,” she said 👍🏽") {
		fmt.Printf("%q %d-%d\n", t.Text, t.Start, t.End)
	}
	// Output:
	// "“" 0-1
	// "We’ll" 1-6
	// "add" 7-10
	// "280,000" 11-18
	// "homes" 19-24
	// "," 24-25
	// "”" 25-26
	// "she" 27-30
	// "said" 31-35
	// "👍🏽" 36-38
}

func TestWordAndSentenceAt(t *testing.T) {
	text := []rune("Rents rose 5% in 2024. “We’ll build 280,000 homes,” Mr. Smith said.\n\nA new paragraph 👍🏽 here.")
	at := func(sub string) int { return strings.Index(string(text), sub) }
	runeAt := func(sub string) int { return len([]rune(string(text)[:at(sub)])) }
	for _, c := range []struct {
		at, want string
	}{{"280,000", "280,000"}, {"ll build", "We’ll"}, {"5%", "5%"}, {"👍🏽", "👍🏽"}} {
		i := runeAt(c.at)
		s, e := WordAt(text, i)
		if got := string(text[s:e]); got != c.want {
			t.Errorf("WordAt(%q) = %q, want %q", c.at, got, c.want)
		}
	}
	if s, e := WordAt(text, runeAt(" rose")); s != e {
		t.Errorf("WordAt(space) = %d,%d", s, e)
	}
	for _, c := range []struct{ at, want string }{
		{"rose", "Rents rose 5% in 2024."},
		{"Smith", "“We’ll build 280,000 homes,” Mr. Smith said."},
		{"paragraph", "A new paragraph 👍🏽 here."},
	} {
		s, e := SentenceAt(text, runeAt(c.at))
		if got := string(text[s:e]); got != c.want {
			t.Errorf("SentenceAt(%q) = %q, want %q", c.at, got, c.want)
		}
	}
}

// One Tokenizer over many texts, long and short, gives each text the
// tokens Tokenize gives it: nothing of the text before leaks into the next.
func TestTokenizerReuses(t *testing.T) {
	texts := []string{
		strings.Repeat("The council approved 280,000 homes — “we’ll see,” said Dr. Ng 👩‍👩‍👧. ", 40),
		"Short.",
		"",
		"قال رئيس البلدية إن المجلس وافق على 280 ألف منزل.",
		"bad \xff\xfe utf8 \xc3 and 東京タワー",
		"Short again, after the invalid one.",
	}
	var tz Tokenizer
	for round := range 2 {
		for _, text := range texts {
			got := tz.Tokenize(text)
			if want := Tokenize(text); !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("round %d, %.30q: reused tokenizer gives %v, want %v", round, text, got, want)
			}
		}
	}
}
