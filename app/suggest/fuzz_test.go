package suggest

import (
	"strings"
	"testing"
	"unicode/utf8"

	"gloss/app/tokens"
)

// Any patterns file either parses or is refused with file:line; what
// parses matches only on token boundaries.
func FuzzParsePatterns(f *testing.F) {
	for _, s := range []string{
		`{"label":"X","pattern":[{"LOWER":"a","OP":"+"},{"IS_DIGIT":true,"OP":"{1,3}"}]}`,
		`{"label":"X","pattern":"the european union"}`,
		`{"label":"X","pattern":[{"TEXT":{"REGEX":"^\\d"}},{"OP":"*"},{"LENGTH":{">=":2}}]}`,
		`{"label":"X","pattern":[{"LOWER":{"FUZZY":{"IN":["rents"]}}},{"SHAPE":"dd%","OP":"!"}]}`,
	} {
		f.Add(s, "A rents 12 rose 12% in 2024, a 5 6 7 said the European Union.")
	}
	f.Fuzz(func(t *testing.T, file, text string) {
		p, err := ParsePatterns("f.jsonl", strings.NewReader(file))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.jsonl:") {
				t.Fatalf("error without file:line: %v", err)
			}
			return
		}
		if !utf8.ValidString(text) {
			return
		}
		checkOnTokens(t, text, p.Match(text, tokens.Tokenize(text)))
	})
}

func FuzzWordList(f *testing.F) {
	f.Add("european union\tORG\n# c\nEU\tORG\n", "The European Union and the EU.")
	f.Fuzz(func(t *testing.T, file, text string) {
		w, err := ParseWordList("w.tsv", strings.NewReader(file))
		if err != nil || !utf8.ValidString(text) {
			return
		}
		checkOnTokens(t, text, w.Match(text, tokens.Tokenize(text)))
	})
}

func checkOnTokens(t *testing.T, text string, sugs []Suggestion) {
	t.Helper()
	toks := tokens.Tokenize(text)
	starts, ends := map[int]bool{}, map[int]bool{}
	for _, tk := range toks {
		starts[tk.Start], ends[tk.End] = true, true
	}
	for _, s := range sugs {
		if !starts[s.Start] || !ends[s.End] || s.End <= s.Start || s.Score <= 0 || s.Score > 1 {
			t.Fatalf("suggestion %+v is not on token boundaries of %q", s, text)
		}
	}
}
