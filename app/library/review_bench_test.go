package library

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"gloss/app/agreement"
	"gloss/app/tokens"
	"gloss/storage"
	"gloss/storage/storagetest"
)

// BenchmarkAgreement1000 is the whole of `gloss agree` but printing: read
// 1,000 documents (~2,000 characters) with 3 annotators and 30 spans each
// per document from the store, then compute every measure. Goal: < 2 s.
func BenchmarkAgreement1000(b *testing.B) {
	ctx := context.Background()
	store, _ := storagetest.Open(b)
	imp, err := store.BeginImport(ctx, storage.ImportOptions{})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	words := strings.Fields("the council approved 280,000 homes and a $3.5bn fund while residents asked for guarantees about rents schools and flood defences in the harbour district")
	labels := []string{"Claim", "Figure", "Proposal"}
	for d := 0; d < 1000; d++ {
		var sb strings.Builder
		for sb.Len() < 2000 {
			sb.WriteString(words[rng.Intn(len(words))])
			sb.WriteString(" ")
		}
		text := fmt.Sprintf("Document %d. %s", d, sb.String())
		toks := tokens.Tokenize(text)
		rec := storage.ImportRecord{Doc: storage.NewDocument{Title: fmt.Sprint("Doc ", d), Text: text}}
		for _, who := range []string{"Ann", "Bob", "Cem"} {
			for k := 0; k < 30; k++ {
				i := (k*len(toks)/30 + rng.Intn(3)) % len(toks)
				j := min(i+rng.Intn(3), len(toks)-1)
				rec.Spans = append(rec.Spans, storage.ImportSpan{Annotator: who, Label: labels[(k+rng.Intn(2))%3],
					Start: toks[i].Start, End: toks[j].End})
			}
		}
		if err := imp.Add(rec); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := imp.Commit(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		docs, spans, err := AgreementData(ctx, store, nil)
		if err != nil {
			b.Fatal(err)
		}
		rep := agreement.Compute(docs, spans, agreement.Options{})
		if len(rep.Pairs) != 3 || rep.Documents != 1000 {
			b.Fatalf("%d pairs, %d documents", len(rep.Pairs), rep.Documents)
		}
	}
}
