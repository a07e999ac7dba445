package library

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"gloss/storage"
	"gloss/storage/postgres"
	"gloss/storage/postgres/pgtest"
)

// BenchmarkServerExport exports 100,000 documents with 1,000,000 spans
// (5,000 with -short) from the team server as Gloss JSONL and spaCy, and
// in the same iteration writes the same rows (documents with their texts,
// spans) with psql's \copy to CSV files: the engine's own speed of
// reading them out.
func BenchmarkServerExport(b *testing.B) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		b.Skip("no psql")
	}
	n := 100_000
	if testing.Short() {
		n = 5_000
	}
	ctx := context.Background()
	db := pgtest.New(b)
	if err := postgres.Init(ctx, db.URL); err != nil {
		b.Fatal(err)
	}
	imp, err := postgres.BeginImport(ctx, db.URL, storage.ImportOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		text := fmt.Sprintf("Report %d 👍🏽: the council approved %d homes near the harbour, the mayor said on Tuesday. ", i, 1000+i%9000)
		for len(text) < 480 {
			text += "Critics doubt the figure of 280,000 homes by 2030. "
		}
		rec := storage.ImportRecord{Doc: storage.NewDocument{Title: fmt.Sprintf("Report %d", i), Text: text}}
		for k := 0; k < 10; k++ {
			rec.Spans = append(rec.Spans, storage.ImportSpan{Annotator: "Ana", Label: []string{"Claim", "Figure", "Proposal"}[k%3], Start: k * 40, End: k*40 + 12})
		}
		if err := imp.Add(rec); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := imp.Commit(); err != nil {
		b.Fatal(err)
	}
	src, err := postgres.OpenSource(ctx, db.URL)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dir := b.TempDir()
	for _, format := range []string{"jsonl", "spacy"} {
		b.Run(format, func(b *testing.B) {
			var base, exp time.Duration
			for i := 0; i < b.N; i++ {
				start := time.Now()
				for _, q := range []string{
					`\copy (SELECT d.id, d.title, d.sha256, d.imported_at, t.text FROM documents d JOIN document_texts t ON t.document_id = d.id ORDER BY d.seq) TO '` + filepath.Join(dir, "docs.csv") + `' CSV`,
					`\copy (SELECT s.id, s.document_id, s.annotator_id, s.label_id, s.start, s."end", s.text, s.created FROM spans s) TO '` + filepath.Join(dir, "spans.csv") + `' CSV`,
				} {
					cmd := exec.Command(psql, "-X", "-q", "-d", db.URL, "-c", q)
					if out, err := cmd.CombinedOutput(); err != nil {
						b.Fatalf("psql: %v: %s", err, out)
					}
				}
				bd := time.Since(start)
				start = time.Now()
				sum, err := Export(ctx, src, ExportOptions{Format: format, Path: filepath.Join(dir, "out."+format)}, nil)
				if err != nil {
					b.Fatal(err)
				}
				ed := time.Since(start)
				if sum.Documents != n || sum.Spans != 10*n {
					b.Fatalf("exported %+v", sum)
				}
				fi, _ := os.Stat(filepath.Join(dir, "out."+format))
				var csv int64
				for _, f := range []string{"docs.csv", "spans.csv"} {
					if st, err := os.Stat(filepath.Join(dir, f)); err == nil {
						csv += st.Size()
					}
				}
				b.Logf("%s iteration %d: psql \\copy %v (%d MB of CSV), export %v (%d MB): %.2f x baseline", format, i+1, bd.Round(time.Millisecond),
					csv>>20, ed.Round(time.Millisecond), fi.Size()>>20, bd.Seconds()/ed.Seconds())
				base += bd
				exp += ed
			}
			b.ReportMetric(float64(n*b.N)/base.Seconds(), "copy-docs/s")
			b.ReportMetric(float64(n*b.N)/exp.Seconds(), "export-docs/s")
			b.ReportMetric(base.Seconds()/exp.Seconds(), "x-baseline")
		})
	}
}
