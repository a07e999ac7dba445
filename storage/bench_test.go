package storage

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if bigDir != "" {
		os.RemoveAll(bigDir)
	}
	os.Exit(code)
}

// benchText is an article of about n code points with curly quotes, dashes,
// emoji and CJK, made unique by seed.
func benchText(seed, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Article %d. ", seed)
	para := "“Inflation,” the minister said — “will fall to 3% by spring.” 👍🏽 東京の経済は回復している. "
	for runeLen(b.String()) < n {
		b.WriteString(para)
	}
	return b.String()
}

// spanFixture is a fixture whose document already holds n spans of its
// annotator, made through Apply.
func spanFixture(b *testing.B, n int) *fixture {
	b.Helper()
	f := newFixture(b)
	d, _, err := f.s.ImportDocument(f.ctx, NewDocument{Title: "Long", Text: benchText(1, 60_000)})
	if err != nil {
		b.Fatal(err)
	}
	f.doc = d
	for i := range n {
		start := (i * 5) % (d.Length - 10)
		f.create(b, i%3, start, start+1+i%5)
	}
	return f
}

// BenchmarkApplyCreateSpan creates spans in a document with 10,000 spans.
func BenchmarkApplyCreateSpan(b *testing.B) {
	f := spanFixture(b, 10_000)
	limit := f.doc.Length - 100
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := i % limit
		end := start + 10 + i/limit // longer than the fixture's: never a duplicate
		_, err := f.s.Apply(f.ctx, Edit{Kind: EditCreateSpan, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID,
			LabelID: f.labels[i%3].ID, Start: start, End: end})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUndo undoes span creations in a document with 10,000 spans.
func BenchmarkUndo(b *testing.B) {
	f := spanFixture(b, 10_000)
	limit := f.doc.Length - 100
	for i := 0; i < b.N; i++ {
		start := i % limit
		f.create(b, i%3, start, start+10+i/limit)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, ok, err := f.s.Undo(f.ctx, f.ann.ID, f.doc.ID); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkImportDocuments imports batches of 100 documents of about 2,000
// code points each.
func BenchmarkImportDocuments(b *testing.B) {
	s := openTest(b)
	ctx := context.Background()
	const batch = 100
	docs := make([]NewDocument, batch)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		for j := range docs {
			docs[j] = NewDocument{Title: fmt.Sprintf("Doc %d", i*batch+j), Text: benchText(i*batch+j, 2000), Format: "txt"}
		}
		b.StartTimer()
		if _, _, err := s.ImportDocuments(ctx, docs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "docs/s")
}

var (
	bigOnce  sync.Once
	bigDir   string
	bigStore *Store
	bigAnn   Annotator
	bigErr   error
)

// bigDatabase is a store with 100,000 documents, some spans and statuses,
// built once per test binary (it takes a few seconds).
func bigDatabase(b *testing.B) (*Store, Annotator) {
	bigOnce.Do(func() {
		bigDir, bigErr = os.MkdirTemp("", "gloss-bench-")
		if bigErr != nil {
			return
		}
		bigStore, bigErr = Open(filepath.Join(bigDir, "big.db"))
		if bigErr != nil {
			return
		}
		ctx := context.Background()
		if bigAnn, bigErr = bigStore.EnsureAnnotator(ctx, "ana"); bigErr != nil {
			return
		}
		set, err := bigStore.DefaultLabelSet(ctx)
		if bigErr = err; err != nil {
			return
		}
		labels, err := bigStore.Labels(ctx, set.ID)
		if bigErr = err; err != nil {
			return
		}
		const total, batch = 100_000, 1000
		docs := make([]NewDocument, batch)
		for i := 0; i < total; i += batch {
			for j := range docs {
				docs[j] = NewDocument{Title: fmt.Sprintf("Document %d", i+j), Text: benchText(i+j, 1500), Format: "txt"}
			}
			stored, _, err := bigStore.ImportDocuments(ctx, docs)
			if bigErr = err; err != nil {
				return
			}
			// Annotate one document in a hundred.
			for j := 0; j < batch; j += 100 {
				for k := range 5 {
					_, err := bigStore.Apply(ctx, Edit{Kind: EditCreateSpan, DocumentID: stored[j].ID, AnnotatorID: bigAnn.ID,
						LabelID: labels[k%3].ID, Start: k * 10, End: k*10 + 8})
					if bigErr = err; err != nil {
						return
					}
				}
			}
		}
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	return bigStore, bigAnn
}

// BenchmarkDocumentSummaries100k lists 100,000 documents.
func BenchmarkDocumentSummaries100k(b *testing.B) {
	s, ann := bigDatabase(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sums, err := s.DocumentSummaries(ctx, ann.ID)
		if err != nil {
			b.Fatal(err)
		}
		if len(sums) != 100_000 || sums[0].SpanCount != 5 || sums[0].Status != StatusInProgress {
			b.Fatalf("%d summaries, first %+v", len(sums), sums[0])
		}
	}
}
