package find

import (
	"strings"
	"testing"
)

func TestAll(t *testing.T) {
	text := New("👍🏽 Kerry met KERRY’s aide; kerryville — “Kerry”.\r\nKerry said 12% rose to 15%.")
	cases := []struct {
		q    Query
		want []string
	}{
		{Query{Text: "kerry"}, []string{"Kerry", "KERRY", "kerry", "Kerry", "Kerry"}},
		{Query{Text: "Kerry", CaseSensitive: true}, []string{"Kerry", "Kerry", "Kerry"}},
		{Query{Text: "kerry", WholeWord: true}, []string{"Kerry", "KERRY", "Kerry", "Kerry"}},
		{Query{Text: `\d+%`, Regex: true}, []string{"12%", "15%"}},
		{Query{Text: `kerry\w*`, Regex: true, WholeWord: true}, []string{"Kerry", "KERRY", "kerryville", "Kerry", "Kerry"}},
		{Query{Text: ""}, nil},
		{Query{Text: "nobody"}, nil},
	}
	for _, c := range cases {
		got, err := text.All(c.q)
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, m := range got {
			texts = append(texts, text.Slice(m[0], m[1]))
		}
		if strings.Join(texts, "|") != strings.Join(c.want, "|") {
			t.Errorf("%+v: %q, want %q", c.q, texts, c.want)
		}
	}
	// Offsets are code points: after the two-code-point emoji, "Kerry" is 3–8.
	if got, _ := text.All(Query{Text: "kerry"}); got[0] != [2]int{3, 8} {
		t.Errorf("first match at %v, want [3 8]", got[0])
	}
	if _, err := text.All(Query{Text: "(", Regex: true}); err == nil || Valid(Query{Text: "(", Regex: true}) == "" {
		t.Error("a bad regular expression is accepted")
	}
}

func BenchmarkFind1MB(b *testing.B) {
	var sb strings.Builder
	for sb.Len() < 1<<20 {
		sb.WriteString("The council approved 280,000 homes — “a floor, not a ceiling,” said Kerry. 👍🏽\n")
	}
	text := New(sb.String())
	b.ResetTimer()
	for b.Loop() {
		if ms, _ := text.All(Query{Text: "kerry"}); len(ms) == 0 {
			b.Fatal("no match")
		}
	}
}

func BenchmarkPrepare1MB(b *testing.B) {
	var sb strings.Builder
	for sb.Len() < 1<<20 {
		sb.WriteString("The council approved 280,000 homes — “a floor, not a ceiling,” said Kerry. 👍🏽\n")
	}
	s := sb.String()
	for b.Loop() {
		New(s)
	}
}
