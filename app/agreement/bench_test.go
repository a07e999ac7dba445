package agreement

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"gloss/app/tokens"
)

var benchWords = strings.Fields(`the council said on Tuesday that its plan would cut emissions
by 40% before 2030 while critics argued the cost of $3.5bn was too high and
that five-year-old schools needed repair first according to Dr. Smith who
told reporters the figures were misleading because they ignored inflation
rising prices and a shortage of builders in the region`)

// benchCorpus generates docs of about chars characters of prose each and,
// for every annotator, spansPer spans of 1 to 6 tokens per document, with
// four labels; annotators copy a shared base choice 70% of the time so the
// statistics have something to agree on.
func benchCorpus(docs, chars, annotators, spansPer int) ([]Doc, []Span) {
	r := rand.New(rand.NewPCG(1, 2))
	labels := []string{"Claim", "Figure", "Proposal", "Source"}
	anns := make([]string, annotators)
	for i := range anns {
		anns[i] = fmt.Sprintf("ann%d", i)
	}
	var ds []Doc
	var ss []Span
	for d := range docs {
		var b strings.Builder
		for b.Len() < chars {
			b.WriteString(benchWords[r.IntN(len(benchWords))])
			if r.IntN(12) == 0 {
				b.WriteString(". ")
			} else {
				b.WriteByte(' ')
			}
		}
		text := b.String()
		id := fmt.Sprintf("doc%d", d)
		ds = append(ds, Doc{ID: id, Text: text, Annotators: anns})
		toks := tokens.Tokenize(text)
		type choice struct {
			t, n int
			l    string
		}
		base := make([]choice, spansPer)
		for i := range base {
			base[i] = choice{r.IntN(len(toks) - 6), 1 + r.IntN(6), labels[r.IntN(len(labels))]}
		}
		for _, a := range anns {
			for i := range spansPer {
				c := base[i]
				if r.IntN(10) >= 7 {
					c = choice{r.IntN(len(toks) - 6), 1 + r.IntN(6), labels[r.IntN(len(labels))]}
				}
				ss = append(ss, Span{ID: fmt.Sprintf("%s-%s-%d", id, a, i), Doc: id, Annotator: a, Label: c.l,
					Start: toks[c.t].Start, End: toks[c.t+c.n-1].End})
			}
		}
	}
	return ds, ss
}

// BenchmarkCompute: 1,000 documents of ~2,000 characters, 3 annotators,
// 30 spans each per document.
func BenchmarkCompute(b *testing.B) {
	docs, spans := benchCorpus(1000, 2000, 3, 30)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r := Compute(docs, spans, Options{})
		if r.Fleiss == nil || !r.Alpha.Alpha.Defined {
			b.Fatal("no result")
		}
	}
}

func BenchmarkCompare(b *testing.B) {
	docs, spans := benchCorpus(1, 2000, 2, 30)
	_ = docs
	x, y := spans[:30], spans[30:]
	b.ReportAllocs()
	for b.Loop() {
		Compare(x, y)
	}
}

func TestBenchCorpusSane(t *testing.T) {
	docs, spans := benchCorpus(20, 2000, 3, 30)
	r := Compute(docs, spans, Options{})
	if len(r.Pairs) != 3 || r.Fleiss == nil || r.PerAnnotator[0].Spans != 600 || r.IgnoredSpans != 0 {
		t.Fatalf("%+v", r)
	}
	// Agreement is partial: 0 < kappa < 1, alpha likewise, and overlap F1
	// is at least exact F1.
	for _, p := range r.Pairs {
		if k := p.Cohen.Kappa.V; !(k > 0 && k < 1) {
			t.Errorf("kappa %v", p.Cohen.Kappa)
		}
		if p.Overlap.TP < p.Exact.TP {
			t.Errorf("overlap tp %d < exact tp %d", p.Overlap.TP, p.Exact.TP)
		}
	}
	if a := r.Alpha.Alpha.V; !(a > 0 && a < 1) {
		t.Errorf("alpha %v", r.Alpha.Alpha)
	}
}
