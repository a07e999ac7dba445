package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"gloss/storage"
	"gloss/storage/postgres/pgtest"
)

// benchRecords are n documents of about 500 code points with ten spans
// each, as an import hands them over.
func benchRecords(n int) []storage.ImportRecord {
	out := make([]storage.ImportRecord, n)
	for i := range out {
		text := fmt.Sprintf("Report %d 👍🏽: the council approved %d homes near the harbour, the mayor said on Tuesday. ", i, 1000+i%9000)
		for len(text) < 480 {
			text += "Critics doubt the figure of 280,000 homes by 2030. "
		}
		rec := storage.ImportRecord{Doc: storage.NewDocument{Title: fmt.Sprintf("Report %d", i), Text: text, Format: "jsonl"}}
		for k := 0; k < 10; k++ {
			rec.Spans = append(rec.Spans, storage.ImportSpan{Annotator: "Ana", Label: []string{"Claim", "Figure", "Proposal"}[k%3], Start: k * 40, End: k*40 + 12})
		}
		out[i] = rec
	}
	return out
}

// baselineCopy puts the same rows into an empty database with three
// COPYs in one transaction: the engine's own speed for them.
func baselineCopy(b *testing.B, url string, recs []storage.ImportRecord) time.Duration {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	var ann, setID string
	ann = newID()
	labels := map[string]string{}
	if err := conn.QueryRow(ctx, `SELECT id FROM label_sets WHERE name = 'Default'`).Scan(&setID); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	tx, err := conn.Begin(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO annotators (id, name, created) VALUES ($1, 'Ana', 1)`, ann); err != nil {
		b.Fatal(err)
	}
	for i, l := range []string{"Claim", "Figure", "Proposal"} {
		labels[l] = newID()
		if _, err := tx.Exec(ctx, `INSERT INTO labels (id, set_id, name, color, position) VALUES ($1, $2, $3, '#E69F00', $4)`, labels[l], setID, l, i+1); err != nil {
			b.Fatal(err)
		}
	}
	var docs, texts, spans [][]any
	now := time.Now().UnixNano()
	for _, r := range recs {
		id := newID()
		sum := sha256.Sum256([]byte(r.Doc.Text))
		docs = append(docs, []any{id, r.Doc.Title, "", r.Doc.Format, hex.EncodeToString(sum[:]), int64(utf8.RuneCountInString(r.Doc.Text)), now, "", "", ""})
		texts = append(texts, []any{id, r.Doc.Text})
		runes := []rune(r.Doc.Text)
		for _, sp := range r.Spans {
			spans = append(spans, []any{newID(), id, ann, labels[sp.Label], int64(sp.Start), int64(sp.End), string(runes[sp.Start:sp.End]), "", now, now})
		}
	}
	for _, c := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"documents", []string{"id", "title", "file_name", "format", "sha256", "length", "imported_at", "byline", "published", "site"}, docs},
		{"document_texts", []string{"document_id", "text"}, texts},
		{"spans", []string{"id", "document_id", "annotator_id", "label_id", "start", "end", "text", "note", "created", "updated"}, spans},
	} {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{c.table}, c.cols, pgx.CopyFromRows(c.rows)); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// BenchmarkPostgresImport imports 100,000 documents with 1,000,000 spans
// (5,000 and 50,000 with -short) into an empty server database through
// the Importer, and in the same iteration puts the same rows into another
// empty database with plain COPYs (baselineCopy, which prepares its rows
// outside the timer's share of nothing: both count from their first
// write); it reports the import's share of the baseline.
func BenchmarkPostgresImport(b *testing.B) {
	n := 100_000
	if testing.Short() {
		n = 5_000
	}
	recs := benchRecords(n)
	ctx := context.Background()
	var base, imp time.Duration
	for i := 0; i < b.N; i++ {
		d1, d2 := pgtest.New(b), pgtest.New(b)
		for _, d := range []*pgtest.Database{d1, d2} {
			if err := Init(ctx, d.URL); err != nil {
				b.Fatal(err)
			}
		}
		bd := baselineCopy(b, d1.URL, recs)
		start := time.Now()
		im, err := BeginImport(ctx, d2.URL, storage.ImportOptions{})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range recs {
			if err := im.Add(r); err != nil {
				b.Fatal(err)
			}
		}
		sum, err := im.Commit()
		if err != nil {
			b.Fatal(err)
		}
		id := time.Since(start)
		if sum.Documents != n || sum.Spans != 10*n {
			b.Fatalf("imported %+v", sum)
		}
		b.Logf("iteration %d: baseline %v (%.0f docs/s), import %v (%.0f docs/s): %.2f x baseline", i+1,
			bd.Round(time.Millisecond), float64(n)/bd.Seconds(), id.Round(time.Millisecond), float64(n)/id.Seconds(), bd.Seconds()/id.Seconds())
		base += bd
		imp += id
	}
	b.ReportMetric(float64(n*b.N)/base.Seconds(), "baseline-docs/s")
	b.ReportMetric(float64(n*b.N)/imp.Seconds(), "import-docs/s")
	b.ReportMetric(base.Seconds()/imp.Seconds(), "x-baseline")
}
