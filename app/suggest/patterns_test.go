package suggest

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"gloss/app/tokens"
)

// texts returns the covered text of each suggestion, as "Label:text".
func texts(text string, sugs []Suggestion) []string {
	rs := []rune(text)
	var out []string
	for _, s := range sugs {
		out = append(out, s.Label+":"+string(rs[s.Start:s.End]))
	}
	return out
}

func matchPatterns(t *testing.T, jsonl, text string) []string {
	t.Helper()
	p, err := ParsePatterns("p.jsonl", strings.NewReader(jsonl))
	if err != nil {
		t.Fatalf("ParsePatterns(%s): %v", jsonl, err)
	}
	return texts(text, p.Match(text, tokens.Tokenize(text)))
}

func TestPatternAttributes(t *testing.T) {
	const text = "The European Union's Minister 42 said: “Rents rose 5.5% (or three) in 2024,” " +
		"Mr. Smith told U.S. and NATO officials — twenty-one of them, 3/4 of all, the 5th time $3bn. Then 7 left."
	cases := []struct {
		name, pattern string
		want          []string
	}{
		{"ORTH exact", `[{"ORTH":"Minister"}]`, []string{"X:Minister"}},
		{"ORTH is case-sensitive", `[{"ORTH":"minister"}]`, nil},
		{"TEXT is ORTH", `[{"TEXT":"Smith"}]`, []string{"X:Smith"}},
		{"LOWER", `[{"LOWER":"minister"},{"LIKE_NUM":true}]`, []string{"X:Minister 42"}},
		{"lower-case key", `[{"lower":"smith"}]`, []string{"X:Smith"}},
		{"NORM folds ’", `[{"NORM":"union's"}]`, []string{"X:Union's"}},
		{"SHAPE", `[{"SHAPE":"dddd"}]`, []string{"X:2024"}},
		{"SHAPE cuts runs at four", `[{"SHAPE":"Xxxxx"}]`, []string{"X:European", "X:Minister", "X:Rents", "X:Smith"}},
		{"LENGTH", `[{"LENGTH":2},{"LOWER":"said"}]`, []string{"X:42 said"}},
		{"LENGTH >=", `[{"LENGTH":{">=":9}}]`, []string{"X:officials", "X:twenty-one"}},
		{"IS_DIGIT", `[{"IS_DIGIT":true}]`, []string{"X:42", "X:2024", "X:7"}},
		{"LIKE_NUM", `[{"LIKE_NUM":true}]`, []string{"X:42", "X:three", "X:2024", "X:3/4", "X:5th", "X:7"}},
		{"IS_PUNCT", `[{"IS_PUNCT":true},{"LOWER":"or"}]`, []string{"X:(or"}},
		{"IS_ALPHA", `[{"IS_ALPHA":true},{"IS_DIGIT":true}]`, []string{"X:Minister 42", "X:in 2024", "X:Then 7"}},
		{"IS_ASCII false", `[{"IS_ASCII":false}]`, []string{"X:“", "X:”", "X:—"}},
		{"IS_UPPER", `[{"IS_UPPER":true}]`, []string{"X:U.S.", "X:NATO"}},
		{"IS_LOWER", `[{"IS_LOWER":true},{"LOWER":"rose"}]`, nil},
		{"IS_TITLE (Python: \"Union's\" is not)", `[{"IS_TITLE":true},{"IS_TITLE":true}]`, []string{"X:The European", "X:Mr. Smith"}},
		{"IS_QUOTE", `[{"IS_QUOTE":true}]`, []string{"X:“", "X:”"}},
		{"IS_LEFT_PUNCT / IS_RIGHT_PUNCT", `[{"IS_LEFT_PUNCT":true},{},{"IS_RIGHT_PUNCT":true}]`, nil},
		{"IS_BRACKET", `[{"IS_BRACKET":true}]`, []string{"X:(", "X:)"}},
		{"IS_CURRENCY", `[{"IS_CURRENCY":true}]`, nil}, // "$3bn" is one token
		{"IS_SPACE", `[{"IS_SPACE":true}]`, nil},
		{"SPACY", `[{"LOWER":"said"},{"SPACY":true}]`, []string{"X:said:"}},
		{"SPACY false", `[{"LOWER":"said","SPACY":false},{"ORTH":":"}]`, []string{"X:said:"}},
		{"IS_SENT_START", `[{"IS_SENT_START":true}]`, []string{"X:The", "X:Then"}},
		{"empty object is any token", `[{"LOWER":"told"},{},{}]`, []string{"X:told U.S. and"}},
		{"IN", `[{"LOWER":{"IN":["rents","smith"]}}]`, []string{"X:Rents", "X:Smith"}},
		{"NOT_IN", `[{"LOWER":"mr."},{"LOWER":{"NOT_IN":["jones"]}}]`, []string{"X:Mr. Smith"}},
		{"LENGTH IN", `[{"LENGTH":{"IN":[1,2]}, "IS_DIGIT":true}]`, []string{"X:42", "X:7"}},
		{"REGEX searches", `[{"TEXT":{"REGEX":"^\\d"}}]`, []string{"X:42", "X:5.5%", "X:2024", "X:3/4", "X:5th", "X:7"}},
		{"REGEX anywhere", `[{"LOWER":{"REGEX":"bn$"}}]`, []string{"X:$3bn"}},
		{"two predicates AND", `[{"TEXT":{"REGEX":"^\\d","IN":["42","2024"]}}]`, []string{"X:42", "X:2024"}},
		{"FUZZY", `[{"LOWER":{"FUZZY":"ministre"}}]`, []string{"X:Minister"}},
		{"FUZZY1 too far", `[{"LOWER":{"FUZZY1":"ministre"}}]`, nil},
		{"FUZZY IN", `[{"LOWER":{"FUZZY":{"IN":["smyth","offishals"]}}}]`, []string{"X:Smith", "X:officials"}},
	}
	for _, c := range cases {
		got := matchPatterns(t, `{"label":"X","pattern":`+c.pattern+`}`, text)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %s\n got %q\nwant %q", c.name, c.pattern, got, c.want)
		}
	}
}

func TestPatternPunctAttributes(t *testing.T) {
	const text = "Costs (in € 5) were “high” [sic]."
	cases := []struct {
		pattern string
		want    []string
	}{
		{`[{"IS_CURRENCY":true},{"LIKE_NUM":true}]`, []string{"X:€ 5"}},
		{`[{"IS_LEFT_PUNCT":true},{"IS_ALPHA":true},{"IS_RIGHT_PUNCT":true}]`, []string{"X:“high”", "X:[sic]"}},
		{`[{"IS_QUOTE":true},{"IS_ALPHA":true},{"IS_QUOTE":true}]`, []string{"X:“high”"}},
		{`[{"IS_LEFT_PUNCT":true,"IS_BRACKET":true},{"LOWER":"in"}]`, []string{"X:(in"}},
	}
	for _, c := range cases {
		got := matchPatterns(t, `{"label":"X","pattern":`+c.pattern+`}`, text)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.pattern, got, c.want)
		}
	}
}

func TestPatternOps(t *testing.T) {
	const text = "minister 1 2 3 said. minister said. minister of state said"
	cases := []struct {
		name, pattern string
		want          []string
	}{
		{"1 default", `[{"LOWER":"minister"},{"LOWER":"said"}]`, []string{"X:minister said"}},
		{"1 explicit", `[{"LOWER":"minister","OP":"1"},{"LOWER":"said"}]`, []string{"X:minister said"}},
		{"+ greedy longest", `[{"LOWER":"minister"},{"IS_DIGIT":true,"OP":"+"}]`, []string{"X:minister 1 2 3"}},
		{"* zero or more", `[{"LOWER":"minister"},{"IS_DIGIT":true,"OP":"*"},{"LOWER":"said"}]`,
			[]string{"X:minister 1 2 3 said", "X:minister said"}},
		{"? optional", `[{"LOWER":"minister"},{"LOWER":"of","OP":"?"},{"LOWER":"state","OP":"?"},{"LOWER":"said"}]`,
			[]string{"X:minister said", "X:minister of state said"}},
		{"! one token that is not", `[{"LOWER":"minister"},{"LOWER":"said","OP":"!"}]`,
			[]string{"X:minister 1", "X:minister of"}},
		{"{n}", `[{"IS_DIGIT":true,"OP":"{2}"}]`, []string{"X:1 2"}},
		{"{n,m}", `[{"IS_DIGIT":true,"OP":"{1,2}"},{"LOWER":"said"}]`, []string{"X:2 3 said"}},
		{"{n,}", `[{"IS_DIGIT":true,"OP":"{2,}"}]`, []string{"X:1 2 3"}},
		{"{,m}", `[{"LOWER":"minister"},{"IS_DIGIT":true,"OP":"{,2}"}]`,
			[]string{"X:minister 1 2", "X:minister", "X:minister"}},
		{"all optional still needs a token", `[{"IS_DIGIT":true,"OP":"*"}]`, []string{"X:1 2 3"}},
	}
	for _, c := range cases {
		got := matchPatterns(t, `{"label":"X","pattern":`+c.pattern+`}`, text)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %s\n got %q\nwant %q", c.name, c.pattern, got, c.want)
		}
	}
}

func TestPhrasePatterns(t *testing.T) {
	const text = "The European Union and the european union agree; EUROPEAN UNION, not the Union."
	const pats = `{"label":"ORG","pattern":"european union","id":"eu"}
{"label":"ORG","pattern":"Union"}
{"label":"GPE","pattern":"the european union", "id": 7, "extra": "ignored"}
`
	p, err := ParsePatterns("p.jsonl", strings.NewReader(pats))
	if err != nil {
		t.Fatal(err)
	}
	sugs := p.Match(text, tokens.Tokenize(text))
	got := texts(text, sugs)
	want := []string{"GPE:The European Union", "ORG:European Union", "GPE:the european union", "ORG:european union",
		"ORG:EUROPEAN UNION", "ORG:Union"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("LOWER:\n got %q\nwant %q", got, want)
	}
	if sugs[0].Rule != "7" || sugs[1].Rule != "eu" || sugs[0].Source != SourcePattern || sugs[0].Score != 1 {
		t.Errorf("rule/source/score: %+v %+v", sugs[0], sugs[1])
	}
	if err := p.SetPhraseAttr("ORTH"); err != nil {
		t.Fatal(err)
	}
	got = texts(text, p.Match(text, tokens.Tokenize(text)))
	if want := []string{"ORG:Union", "GPE:the european union", "ORG:european union", "ORG:Union"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ORTH:\n got %q\nwant %q", got, want)
	}
	if p.SetPhraseAttr("LEMMA") == nil {
		t.Error("SetPhraseAttr(LEMMA) accepted")
	}
	if p.Len() != 3 || !reflect.DeepEqual(p.Labels(), []string{"GPE", "ORG"}) {
		t.Errorf("Len %d Labels %v", p.Len(), p.Labels())
	}
}

// LONGEST per label: overlapping matches of one label keep the longest;
// different labels may overlap.
func TestPatternLongestFilter(t *testing.T) {
	const pats = `{"label":"A","pattern":"a b"}
{"label":"A","pattern":"b c d"}
{"label":"A","pattern":"a"}
{"label":"B","pattern":"a b"}
{"label":"A","pattern":[{"LOWER":"e"},{"LOWER":"f","OP":"?"}]}
`
	got := matchPatterns(t, pats, "a b c d e f")
	want := []string{"A:a", "B:a b", "A:b c d", "A:e f"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestBadPatternFiles(t *testing.T) {
	cases := []struct{ file, want string }{
		{`{"label":"X","pattern":[{"LEMMA":"go"}]}`, `p.jsonl:1: $.pattern[0]: attribute "LEMMA" is not supported: it needs a spaCy pipeline (lemmatizer)`},
		{`{"label":"X","pattern":[{"LOWER":"a"},{"FOO":1}]}`, `p.jsonl:1: $.pattern[1]: unknown attribute "FOO"`},
		{"\n\n" + `{"label":"X","pattern":"a"}` + "\n{oops}", `p.jsonl:4: not valid JSON`},
		{`{"pattern":"a"}`, `p.jsonl:1: $: no "label"`},
		{`{"label":"","pattern":"a"}`, `p.jsonl:1: $.label: empty label`},
		{`{"label":3,"pattern":"a"}`, `p.jsonl:1: $.label: want a string, found number 3`},
		{`{"label":"X"}`, `p.jsonl:1: $: no "pattern"`},
		{`{"label":"X","pattern":7}`, `p.jsonl:1: $.pattern: want a string (phrase) or an array (tokens), found number 7`},
		{`{"label":"X","pattern":"  "}`, `p.jsonl:1: $.pattern: empty phrase`},
		{`{"label":"X","pattern":[]}`, `p.jsonl:1: $.pattern: empty token pattern`},
		{`{"label":"X","pattern":["a"]}`, `p.jsonl:1: $.pattern[0]: want an object, found "a"`},
		{`{"label":"X","pattern":[{"LOWER":"a","OP":"++"}]}`, `p.jsonl:1: $.pattern[0].OP: unknown operator "++"`},
		{`{"label":"X","pattern":[{"LOWER":"a","OP":"{3,1}"}]}`, `p.jsonl:1: $.pattern[0].OP: operator "{3,1}": the maximum is below the minimum`},
		{`{"label":"X","pattern":[{"IS_DIGIT":"yes"}]}`, `p.jsonl:1: $.pattern[0].IS_DIGIT: want true or false, found "yes"`},
		{`{"label":"X","pattern":[{"LOWER":5}]}`, `p.jsonl:1: $.pattern[0].LOWER: want a string or an object of operators, found number 5`},
		{`{"label":"X","pattern":[{"LENGTH":"5"}]}`, `p.jsonl:1: $.pattern[0].LENGTH: want a number or an object of operators, found "5"`},
		{`{"label":"X","pattern":[{"LENGTH":2.5}]}`, `p.jsonl:1: $.pattern[0].LENGTH: want a whole number, found 2.5`},
		{`{"label":"X","pattern":[{"LOWER":{"IN":"a"}}]}`, `p.jsonl:1: $.pattern[0].LOWER.IN: want an array, found "a"`},
		{`{"label":"X","pattern":[{"LOWER":{"IN":["a",2]}}]}`, `p.jsonl:1: $.pattern[0].LOWER.IN[1]: want a string, found number 2`},
		{`{"label":"X","pattern":[{"TEXT":{"REGEX":"(?=x)"}}]}`, `p.jsonl:1: $.pattern[0].TEXT.REGEX: error parsing regexp: invalid or unsupported Perl syntax`},
		{`{"label":"X","pattern":[{"TEXT":{"LIKE":"x"}}]}`, `p.jsonl:1: $.pattern[0].TEXT: unknown operator "LIKE"`},
		{`{"label":"X","pattern":[{"TEXT":{">=":3}}]}`, `p.jsonl:1: $.pattern[0].TEXT: unknown operator ">="`},
		{`{"label":"X","pattern":[{"MORPH":{"IS_SUBSET":["a"]}}]}`, `p.jsonl:1: $.pattern[0]: attribute "MORPH" is not supported`},
		{`{"label":"X","pattern":[{"LIKE_URL":true}]}`, `p.jsonl:1: $.pattern[0]: attribute "LIKE_URL" is not supported: Gloss's tokenizer splits URLs`},
		{`{"label":"X","pattern":[{"OP":3}]}`, `p.jsonl:1: $.pattern[0].OP: want a string, found number 3`},
		{`{"label":"X","pattern":"a"} {"label":"Y","pattern":"b"}`, `p.jsonl:1: more than one JSON value on the line`},
		{`["label","X"]`, `p.jsonl:1: $: want an object with "label" and "pattern", found an array`},
		{`{"label":"X","pattern":"a","id":[1]}`, `p.jsonl:1: $.id: want a string or a number, found an array`},
	}
	for _, c := range cases {
		_, err := ParsePatterns("p.jsonl", strings.NewReader(c.file))
		if err == nil {
			t.Errorf("%s: accepted", c.file)
			continue
		}
		if !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s:\n got %v\nwant %s…", c.file, err, c.want)
		}
		var le *LineError
		if !errors.As(err, &le) || le.File != "p.jsonl" {
			t.Errorf("%s: not a *LineError: %T", c.file, err)
		}
	}
}

func TestPatternsBOMAndBlankLines(t *testing.T) {
	got := matchPatterns(t, "\ufeff{\"label\":\"X\",\"pattern\":\"rose\"}\r\n\r\n   \n", "Rents rose.")
	if !reflect.DeepEqual(got, []string{"X:rose"}) {
		t.Errorf("got %q", got)
	}
}

func TestAttributeHelpers(t *testing.T) {
	for in, want := range map[string]string{"Apple": "Xxxxx", "280,000": "ddd,ddd", "COVID-19": "XXXX-dd",
		"don’t": "xxx’x", "Ελλάδα": "Xxxxx", "5.5%": "d.d%", "a": "x", strings.Repeat("a", 100): "LONG"} {
		if got := shape(in); got != want {
			t.Errorf("shape(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]bool{"42": true, "280,000": true, "3.5": true, "-4": true, "3/4": true,
		"million": true, "Twenty": true, "third": true, "21st": true, "5%": false, "$3bn": false, "abc": false, "": false} {
		if got := likeNum(in); got != want {
			t.Errorf("likeNum(%q) = %v", in, got)
		}
	}
	for in, want := range map[string][3]bool{"Hello": {false, false, true}, "HELLO": {false, true, false},
		"hello": {true, false, false}, "U.S.": {false, true, true}, "McDonald": {false, false, false},
		"42": {false, false, false}, "Hello World": {false, false, true}} {
		if got := [3]bool{isLower(in), isUpper(in), isTitle(in)}; got != want {
			t.Errorf("lower/upper/title(%q) = %v, want %v", in, got, want)
		}
	}
	for in, want := range map[string]bool{".": true, "%": true, "…": true, "$": false, "“": true, "a": false} {
		if isPunct(in) != want {
			t.Errorf("isPunct(%q) != %v", in, want)
		}
	}
	if !fuzzyMatch("kitten", "sitting", 3) || fuzzyMatch("kitten", "sitting", 2) || !fuzzyMatch("ab", "ba", -1) {
		t.Error("fuzzyMatch")
	}
}

func ExampleParsePatterns() {
	const file = `{"label":"Figure","pattern":[{"LIKE_NUM":true},{"LOWER":{"IN":["per","percent"]}},{"LOWER":"cent","OP":"?"}],"id":"pc"}
{"label":"Org","pattern":"european union"}`
	p, err := ParsePatterns("patterns.jsonl", strings.NewReader(file))
	if err != nil {
		fmt.Println(err)
		return
	}
	text := "The European Union expects 12 per cent growth."
	for _, s := range p.Match(text, tokens.Tokenize(text)) {
		fmt.Println(s.Label, s.Start, s.End, s.Rule, string([]rune(text)[s.Start:s.End]))
	}
	_, err = ParsePatterns("patterns.jsonl", strings.NewReader(`{"label":"X","pattern":[{"LOWER":"a"},{"LEMMA":"be"}]}`))
	fmt.Println(err)
	// Output:
	// Org 4 18  European Union
	// Figure 27 38 pc 12 per cent
	// patterns.jsonl:1: $.pattern[1]: attribute "LEMMA" is not supported: it needs a spaCy pipeline (lemmatizer)
}
