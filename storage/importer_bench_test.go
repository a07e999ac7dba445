//go:build unix

package storage_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"gloss/app/library"
	"gloss/storage"
)

// The corpus of BenchmarkImportJSONL: documents of about 700 code points
// (curly quotes, an em dash and an emoji in each) with 10 spans of the
// annotator "ana", in Gloss JSONL with every ID and time given.
const (
	benchAnnID  = "01900000-0000-7000-8000-00000000a0a0"
	benchSetID  = "01900000-0000-7000-8000-00000000c0c0"
	benchSpanPn = 10
)

var benchLabelIDs = [3]string{"01900000-0000-7000-8000-0000000000c1", "01900000-0000-7000-8000-0000000000c2", "01900000-0000-7000-8000-0000000000c3"}
var benchLabelNames = [3]string{"Claim", "Figure", "Proposal"}

// benchID is a time-ordered UUID (version 7 layout) for counter n of kind k,
// the same in the file and in the baseline.
func benchID(k, n int) string {
	return fmt.Sprintf("%08x-%04x-7%03x-8000-%012x", 0x01900000+n>>16, n&0xffff, k, n)
}

var benchPara = []rune("“Inflation,” the minister said — “will fall to 3% by spring.” 👍🏽 The budget adds 280,000 homes. ")

type benchDoc struct {
	id, text, sha string
	runes         []rune
	length        int
}

func benchDocument(i int) benchDoc {
	rs := []rune(fmt.Sprintf("Document %07d. ", i))
	for len(rs) < 700 {
		rs = append(rs, benchPara...)
	}
	text := string(rs)
	sum := sha256.Sum256([]byte(text))
	return benchDoc{id: benchID(1, i), text: text, sha: hex.EncodeToString(sum[:]), runes: rs, length: len(rs)}
}

func benchSpan(i, k int) (start, end int) {
	start = 17 + k*65
	return start, start + 20
}

var benchTime = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// writeBenchCorpus writes n documents as Gloss JSONL and returns the path.
func writeBenchCorpus(b *testing.B, dir string, n int) string {
	path := filepath.Join(dir, "corpus.jsonl")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	type span struct {
		ID          string `json:"id"`
		Start       int    `json:"start"`
		End         int    `json:"end"`
		Label       string `json:"label"`
		LabelID     string `json:"label_id"`
		Text        string `json:"text"`
		Annotator   string `json:"annotator"`
		AnnotatorID string `json:"annotator_id"`
		Note        string `json:"note"`
		Created     string `json:"created"`
		Updated     string `json:"updated"`
	}
	type doc struct {
		ID         string `json:"id"`
		Title      string `json:"title"`
		Text       string `json:"text"`
		FileName   string `json:"file_name"`
		Format     string `json:"format"`
		SHA256     string `json:"sha256"`
		ImportedAt string `json:"imported_at"`
		Statuses   []any  `json:"statuses"`
		Spans      []span `json:"spans"`
	}
	ts := benchTime.Format(time.RFC3339Nano)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range n {
		d := benchDocument(i)
		out := doc{ID: d.id, Title: fmt.Sprintf("Document %d", i), Text: d.text, Format: "text", SHA256: d.sha, ImportedAt: ts, Statuses: []any{}}
		for k := range benchSpanPn {
			s, e := benchSpan(i, k)
			out.Spans = append(out.Spans, span{ID: benchID(2, i*benchSpanPn+k), Start: s, End: e, Label: benchLabelNames[k%3],
				LabelID: benchLabelIDs[k%3], Text: string(d.runes[s:e]), Annotator: "ana", AnnotatorID: benchAnnID, Created: ts, Updated: ts})
		}
		if err := enc.Encode(out); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// baselineImport puts the corpus's rows into a fresh database through
// prepared statements in one transaction, and does nothing else: no
// parsing, no hashing, no checks.
func baselineImport(b *testing.B, path string, n int, shas []string) time.Duration {
	b.Helper()
	s, err := storage.Open(path) // the schema
	if err != nil {
		b.Fatal(err)
	}
	s.Close()
	u := url.URL{Scheme: "file", Path: path, RawQuery: "_journal_mode=WAL&_busy_timeout=5000&_foreign_keys=on&_txlock=immediate"}
	db, err := sql.Open("sqlite3", u.String())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	if os.Getenv("GLOSS_BENCH_BASELINE_CACHE") != "" {
		// The importer's 64 MiB page cache for the baseline too.
		if _, err := db.ExecContext(ctx, `PRAGMA cache_size = -65536`); err != nil {
			b.Fatal(err)
		}
	}
	setup := []string{
		`INSERT INTO annotators (id, name, created) VALUES ('` + benchAnnID + `', 'ana', 0)`,
		`INSERT INTO label_sets (id, name) VALUES ('` + benchSetID + `', 'Default')`,
	}
	for i, id := range benchLabelIDs {
		setup = append(setup, fmt.Sprintf(`INSERT INTO labels (id, set_id, name, color, key, position) VALUES ('%s', '%s', '%s', '#000000', '%d', %d)`, id, benchSetID, benchLabelNames[i], i+1, i+1))
	}
	for _, q := range setup {
		if _, err := db.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	// The rows, made before the clock starts.
	docs := make([]benchDoc, n)
	for i := range docs {
		docs[i] = benchDocument(i)
		docs[i].sha = shas[i]
	}
	start := time.Now()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	insDoc, _ := tx.PrepareContext(ctx, `INSERT INTO documents (id, title, file_name, format, sha256, length, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	insText, _ := tx.PrepareContext(ctx, `INSERT INTO document_texts (document_id, text) VALUES (?, ?)`)
	insSpan, err := tx.PrepareContext(ctx, `INSERT INTO spans (id, document_id, annotator_id, label_id, start, "end", text, note, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	t := benchTime.UnixNano()
	for i, d := range docs {
		if _, err := insDoc.ExecContext(ctx, d.id, fmt.Sprintf("Document %d", i), "", "text", d.sha, d.length, t); err != nil {
			b.Fatal(err)
		}
		if _, err := insText.ExecContext(ctx, d.id, d.text); err != nil {
			b.Fatal(err)
		}
		for k := range benchSpanPn {
			s, e := benchSpan(i, k)
			if _, err := insSpan.ExecContext(ctx, benchID(2, i*benchSpanPn+k), d.id, benchAnnID, benchLabelIDs[k%3], s, e, string(d.runes[s:e]), "", t, t); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// glossImport imports the corpus file into a fresh database the way
// "gloss import --format jsonl" does.
func glossImport(b *testing.B, dbPath, corpus string, n int) time.Duration {
	b.Helper()
	s, err := storage.Open(dbPath)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	res, err := library.ImportFile(context.Background(), s, corpus, library.ImportFileOptions{Format: "jsonl"})
	if err != nil {
		b.Fatal(err)
	}
	d := time.Since(start)
	if res.Summary.Documents != n || res.Summary.Spans != n*benchSpanPn {
		b.Fatalf("imported %+v", res.Summary)
	}
	return d
}

// BenchmarkImportJSONL imports 100,000 documents with 1,000,000 spans (5,000
// and 50,000 with -short) from Gloss JSONL into an empty database, and in
// the same run puts the same rows into an empty database through prepared
// statements in one transaction (the baseline). It reports both in
// documents per second and the import's share of the baseline. Run it with
// -benchtime 1x (or 4x): each iteration does both, in alternating order.
// The baseline has the store's default 2 MB page cache, the import its 64
// MiB; GLOSS_BENCH_BASELINE_CACHE=1 gives the baseline 64 MiB too.
func BenchmarkImportJSONL(b *testing.B) {
	n := 100_000
	if testing.Short() {
		n = 5_000
	}
	dir := b.TempDir()
	corpus := writeBenchCorpus(b, dir, n)
	shas := make([]string, n)
	for i := range shas {
		shas[i] = benchDocument(i).sha
	}
	var base, imp time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bp, ip := filepath.Join(dir, fmt.Sprintf("base%d.db", i)), filepath.Join(dir, fmt.Sprintf("imp%d.db", i))
		// Each phase starts with the other's writes flushed to disk and its
		// garbage collected, so that neither pays for the other.
		settle := func() {
			syscall.Sync()
			runtime.GC()
		}
		settle()
		var bd, id time.Duration
		if i%2 == 0 {
			bd = baselineImport(b, bp, n, shas)
			settle()
			id = glossImport(b, ip, corpus, n)
		} else {
			id = glossImport(b, ip, corpus, n)
			settle()
			bd = baselineImport(b, bp, n, shas)
		}
		b.Logf("iteration %d: baseline %v, import %v (%.0f %%)", i+1, bd.Round(time.Millisecond), id.Round(time.Millisecond), 100*bd.Seconds()/id.Seconds())
		base += bd
		imp += id
		for _, p := range []string{bp, ip} {
			os.Remove(p)
			os.Remove(p + "-wal")
			os.Remove(p + "-shm")
		}
	}
	docs := float64(n * b.N)
	b.ReportMetric(docs/base.Seconds(), "baseline-docs/s")
	b.ReportMetric(docs/imp.Seconds(), "import-docs/s")
	b.ReportMetric(100*base.Seconds()/imp.Seconds(), "%-of-baseline")
}
