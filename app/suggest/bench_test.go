package suggest

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"

	"gloss/app/tokens"
)

// benchDocs returns n documents: the corpus articles repeated, or
// synthetic ones without the corpus.
func benchDocs(b *testing.B, n int) []Doc {
	var base []Doc
	if _, err := os.Stat(corpusPath); err == nil {
		base = loadCorpus(b)
	} else {
		base = synthetic(40, 0)
	}
	out := make([]Doc, n)
	for i := range out {
		out[i] = base[i%len(base)]
		out[i].ID = fmt.Sprint(i)
	}
	return out
}

func benchText(b *testing.B, size int) string {
	var sb strings.Builder
	for i := 0; sb.Len() < size; i++ {
		for _, d := range benchDocs(b, 40) {
			sb.WriteString(d.Text)
			sb.WriteString("\n\n")
		}
	}
	return sb.String()[:size]
}

// Training on 200 articles (goal: < 2 s), with the calibration.
func BenchmarkTrain200(b *testing.B) {
	docs := benchDocs(b, 200)
	b.ReportAllocs()
	var m *Model
	for b.Loop() {
		var err error
		if m, err = Train(docs, TrainOptions{Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	bs, _ := m.MarshalBinary()
	b.ReportMetric(float64(len(bs)), "model-bytes")
	b.ReportMetric(float64(m.Summary.Features), "features")
}

func BenchmarkTrain200NoCalibration(b *testing.B) {
	docs := benchDocs(b, 200)
	for b.Loop() {
		if _, err := Train(docs, TrainOptions{Seed: 1, NoCalibration: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// Predicting a 5,000-character article with all labels (goal: < 30 ms),
// tokenizing included.
func BenchmarkPredict5000(b *testing.B) {
	m, err := Train(benchDocs(b, 200), TrainOptions{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	text := benchText(b, 5000)
	b.ReportAllocs()
	for b.Loop() {
		m.Match(text, tokens.Tokenize(text))
	}
}

// The Figure patterns plus 1,000 phrase patterns over a 1 MB article
// (goal: < 100 ms), tokenizing excluded.
func BenchmarkPatterns1MB(b *testing.B) {
	var sb strings.Builder
	raw, err := os.ReadFile("testdata/figures.patterns.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	sb.Write(raw)
	for i := range 1000 {
		fmt.Fprintf(&sb, `{"label":"ORG","pattern":"the %d council of europe"}`+"\n", i)
	}
	sb.WriteString(`{"label":"Claim","pattern":[{"LOWER":{"IN":["said","says"]}},{"LOWER":"that"},{"IS_PUNCT":false,"OP":"+"}]}` + "\n")
	p, err := ParsePatterns("bench.jsonl", strings.NewReader(sb.String()))
	if err != nil {
		b.Fatal(err)
	}
	text := benchText(b, 1<<20)
	toks := tokens.Tokenize(text)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(p.Match(text, toks))
	}
	b.ReportMetric(float64(n), "matches")
}

// The dictionary of 200 articles over a 1 MB article.
func BenchmarkDictionary1MB(b *testing.B) {
	d := BuildDictionary(benchDocs(b, 200))
	text := benchText(b, 1<<20)
	toks := tokens.Tokenize(text)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		d.Match(text, toks)
	}
}

// The model's heap once loaded.
func BenchmarkModelMemory(b *testing.B) {
	m, err := Train(benchDocs(b, 200), TrainOptions{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	bs, _ := m.MarshalBinary()
	var before, after runtime.MemStats
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&before)
		m2, err := LoadModel(bs)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(m2)
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc), "heap-bytes")
	b.ReportMetric(float64(len(bs)), "model-bytes")
}

// The tagger over a 1 MB article.
func BenchmarkPredict1MB(b *testing.B) {
	m, err := Train(benchDocs(b, 200), TrainOptions{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	text := benchText(b, 1<<20)
	toks := tokens.Tokenize(text)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		m.Match(text, toks)
	}
}
