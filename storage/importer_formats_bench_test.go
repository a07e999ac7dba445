//go:build unix

package storage_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"testing"
	"time"

	"gloss/app/formats"
	"gloss/app/library"
	"gloss/storage"
)

// The formats of BenchmarkImportFormats, each the same corpus as
// BenchmarkImportJSONL's (benchDocument, benchSpan) written by Gloss's own
// exporter of the format, and what importing it writes besides documents,
// texts and spans: one status row per document, "done" where the file
// says the annotator finished (a Prodigy accept, a Label Studio
// annotation), else the "in_progress" a new span starts.
var benchFormats = []struct {
	name, ext string
	docFormat string // documents.format as the import stores it
	status    string // of the one document_status row per document
	annotator string // --annotator, for a format that names none
}{
	{"jsonl", ".jsonl", "text", "in_progress", ""},
	{"spacy", ".jsonl", "spacy", "done", ""},
	{"doccano", ".jsonl", "doccano", "in_progress", "ana"},
	{"labelstudio", ".json", "labelstudio", "done", ""},
}

// benchCorpusDir keeps the corpus files between runs (the 100,000-document
// spaCy file takes a while to write); delete it to rebuild them.
const benchCorpusDir = "/tmp/gloss-bench/import-v1"

// benchGlossDoc is document i of the corpus as the formats write it.
func benchGlossDoc(i int) formats.Doc {
	d := benchDocument(i)
	out := formats.Doc{ID: d.id, Title: fmt.Sprintf("Document %d", i), Text: d.text, Format: "text", SHA256: d.sha, ImportedAt: benchTime}
	for k := range benchSpanPn {
		s, e := benchSpan(i, k)
		out.Spans = append(out.Spans, formats.Span{ID: benchID(2, i*benchSpanPn+k), Start: s, End: e, Label: benchLabelNames[k%3],
			LabelID: benchLabelIDs[k%3], Text: string(d.runes[s:e]), Annotator: "ana", AnnotatorID: benchAnnID, Created: benchTime, Updated: benchTime})
	}
	return out
}

// benchFormatCorpus writes the n-document corpus in format (once: the file
// is kept in benchCorpusDir) and returns its path.
func benchFormatCorpus(b *testing.B, format, ext string, n int) string {
	b.Helper()
	path := filepath.Join(benchCorpusDir, fmt.Sprintf("%s-%d%s", format, n, ext))
	if _, err := os.Stat(path + ".ok"); err == nil {
		return path
	}
	if err := os.MkdirAll(benchCorpusDir, 0o755); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	ex, err := formats.NewExporter(format, w, nil, formats.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		if err := ex.Write(benchGlossDoc(i)); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := ex.Close(); err != nil {
		b.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path+".ok", nil, 0o644); err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(path)
	b.Logf("wrote %s (%d MB) in %v", path, st.Size()>>20, time.Since(start).Round(time.Millisecond))
	return path
}

// benchTitles are the titles an import of corpus stores, in order (a
// doccano or Label Studio file has none: the import makes one of the
// text), read once per corpus, for the baseline to store the same.
var benchTitles = map[string][]string{}

func corpusTitles(b *testing.B, corpus, format string) []string {
	b.Helper()
	if t, ok := benchTitles[corpus]; ok {
		return t
	}
	var titles []string
	if _, err := formats.ReadFile(corpus, format, formats.ReadOptions{}, func(d formats.Doc) error {
		titles = append(titles, strings.Join(strings.Fields(d.Title), " ")) // as the store keeps it
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	benchTitles[corpus] = titles
	return titles
}

// benchRow is a document's rows as the baseline inserts them.
type benchRow struct {
	id, title, sha, text string
	length               int
	spanIDs, spanTexts   [benchSpanPn]string
}

// formatBaseline puts the rows an import of the corpus makes (documents,
// texts, spans, one status per document) into a fresh database through
// prepared statements in one transaction, and nothing else: no parsing,
// hashing or checks. Its connection is the store's (the same DSN
// parameters, synchronous=FULL among them) with the importer's 64 MiB page
// cache, unless GLOSS_BENCH_BASELINE_CACHE=0 leaves it SQLite's 2 MB.
func formatBaseline(b *testing.B, path, format string, titles []string, docFormat, status string) (wall, cpu time.Duration) {
	b.Helper()
	s, err := storage.Open(path) // the schema
	if err != nil {
		b.Fatal(err)
	}
	s.Close()
	u := url.URL{Scheme: "file", Path: path, RawQuery: "_journal_mode=WAL&_synchronous=FULL&_busy_timeout=5000&_foreign_keys=on&_txlock=immediate"}
	db, err := sql.Open("sqlite3", u.String())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	if os.Getenv("GLOSS_BENCH_BASELINE_CACHE") != "0" {
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
	rows := make([]benchRow, len(titles))
	for i := range rows {
		d := benchDocument(i)
		r := &rows[i]
		r.id, r.title, r.sha, r.text, r.length = d.id, titles[i], d.sha, d.text, d.length
		for k := range benchSpanPn {
			s, e := benchSpan(i, k)
			r.spanIDs[k], r.spanTexts[k] = benchID(2, i*benchSpanPn+k), string(d.runes[s:e])
		}
	}
	runtime.GC()
	defer profilePhase(b, format+"-baseline")()
	start, startCPU := time.Now(), cpuTime()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	prep := func(q string) *sql.Stmt {
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		return st
	}
	insDoc := prep(`INSERT INTO documents (id, title, file_name, format, sha256, length, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	insText := prep(`INSERT INTO document_texts (document_id, text) VALUES (?, ?)`)
	insSpan := prep(`INSERT INTO spans (id, document_id, annotator_id, label_id, start, "end", text, note, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	insStatus := prep(`INSERT INTO document_status (document_id, annotator_id, status, updated) VALUES (?, ?, ?, ?)`)
	t := benchTime.UnixNano()
	for i := range rows {
		r := &rows[i]
		if _, err := insDoc.ExecContext(ctx, r.id, r.title, "", docFormat, r.sha, r.length, t); err != nil {
			b.Fatal(err)
		}
		if _, err := insText.ExecContext(ctx, r.id, r.text); err != nil {
			b.Fatal(err)
		}
		for k := range benchSpanPn {
			s, e := benchSpan(i, k)
			if _, err := insSpan.ExecContext(ctx, r.spanIDs[k], r.id, benchAnnID, benchLabelIDs[k%3], s, e, r.spanTexts[k], "", t, t); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := insStatus.ExecContext(ctx, r.id, benchAnnID, status, t); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start), cpuTime() - startCPU
}

// formatImport imports the corpus file into a fresh database through
// library.ImportPaths, what "gloss import" and File ▸ Import call: the file
// read on one goroutine, the store's Importer writing on the other.
func formatImport(b *testing.B, dbPath, corpus, format, annotator string, n int) (wall, cpu time.Duration) {
	b.Helper()
	s, err := storage.Open(dbPath)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	defer profilePhase(b, format)()
	start, startCPU := time.Now(), cpuTime()
	res, err := library.ImportPaths(context.Background(), s, []string{corpus}, library.ImportFileOptions{Format: format, Annotator: annotator})
	if err != nil {
		b.Fatal(err)
	}
	wall, cpu = time.Since(start), cpuTime()-startCPU
	if res.Summary.Documents != n || res.Summary.Spans != n*benchSpanPn {
		b.Fatalf("imported %+v", res.Summary)
	}
	return wall, cpu
}

// profilePhase starts a CPU profile of a phase when GLOSS_BENCH_PROFILE_DIR
// names a folder (NAME.pprof there, the last iteration's, for go tool
// pprof) and returns what stops it.
func profilePhase(b *testing.B, name string) func() {
	dir := os.Getenv("GLOSS_BENCH_PROFILE_DIR")
	if dir == "" {
		return func() {}
	}
	pf, err := os.Create(filepath.Join(dir, name+".pprof"))
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(pf); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		pf.Close()
	}
}

// sameRows fails unless the two databases have as many rows in each table
// the import writes, of the same size.
func sameRows(b *testing.B, base, imp string) {
	b.Helper()
	measure := func(path, q string) string {
		db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		var n, size int64
		if err := db.QueryRow(q).Scan(&n, &size); err != nil {
			b.Fatal(err)
		}
		return fmt.Sprintf("%d rows, %d bytes", n, size)
	}
	for _, q := range []string{
		`SELECT count(*), coalesce(sum(length(id) + length(title) + length(file_name) + length(format) + length(sha256) + length), 0) FROM documents`,
		`SELECT count(*), coalesce(sum(length(text)), 0) FROM document_texts`,
		`SELECT count(*), coalesce(sum(length(id) + length(text) + start + "end"), 0) FROM spans`,
		`SELECT count(*), 0 FROM document_status`,
		`SELECT count(*), coalesce(sum(length(name)), 0) FROM annotators`,
		`SELECT count(*), coalesce(sum(length(name)), 0) FROM labels`,
	} {
		if mb, mi := measure(base, q), measure(imp, q); mb != mi {
			b.Fatalf("%s: the baseline has %s, the import %s", q, mb, mi)
		}
	}
}

// cpuTime is the CPU time the process has used (user and system), for
// what each phase costs whatever the machine's load.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchFormatTurn alternates which of the two goes first, across
// iterations and across runs of a benchmark (-count).
var benchFormatTurn = map[string]int{}

// BenchmarkImportFormats imports 100,000 documents with 1,000,000 spans
// (5,000 and 50,000 with -short) from each of Gloss JSONL, spaCy/Prodigy
// JSONL, doccano JSONL and a Label Studio JSON export, as Gloss writes them,
// into an empty database through library.ImportPaths; in the same
// iteration it puts the same rows into an empty database through prepared
// statements in one transaction, with the same page cache and durability
// (formatBaseline). It reports both in documents per second and the
// import's share of the baseline (x-baseline). Each iteration does both, in
// alternating order, with a sync and a GC between them, and logs both
// phases' wall and CPU time; run it with -benchtime 1x or 2x (2x runs
// three iterations: testing's first run of one, then two).
// GLOSS_BENCH_BASELINE_CACHE=0 leaves the baseline SQLite's 2 MB page
// cache; GLOSS_BENCH_PROFILE_DIR=DIR writes a CPU profile of each phase
// (FORMAT.pprof, FORMAT-baseline.pprof) there.
func BenchmarkImportFormats(b *testing.B) {
	n := 100_000
	if testing.Short() {
		n = 5_000
	}
	for _, f := range benchFormats {
		b.Run(f.name, func(b *testing.B) {
			corpus := benchFormatCorpus(b, f.name, f.ext, n)
			titles := corpusTitles(b, corpus, f.name)
			dir := b.TempDir()
			var base, imp time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				bp, ip := filepath.Join(dir, fmt.Sprintf("base%d.db", i)), filepath.Join(dir, fmt.Sprintf("imp%d.db", i))
				settle := func() {
					syscall.Sync()
					runtime.GC()
				}
				settle()
				var bd, id, bc, ic time.Duration
				baseline := func() { bd, bc = formatBaseline(b, bp, f.name, titles, f.docFormat, f.status) }
				import_ := func() { id, ic = formatImport(b, ip, corpus, f.name, f.annotator, n) }
				turn := benchFormatTurn[f.name]
				benchFormatTurn[f.name]++
				if turn%2 == 0 {
					baseline()
					settle()
					import_()
				} else {
					import_()
					settle()
					baseline()
				}
				b.StopTimer()
				sameRows(b, bp, ip)
				b.StartTimer()
				first := "baseline"
				if turn%2 == 1 {
					first = "import"
				}
				b.Logf("%s iteration %d (%s first): baseline %v (%.0f docs/s, CPU %.1f s), import %v (%.0f docs/s, CPU %.1f s): %.2f x baseline", f.name, i+1, first,
					bd.Round(time.Millisecond), float64(n)/bd.Seconds(), bc.Seconds(), id.Round(time.Millisecond), float64(n)/id.Seconds(), ic.Seconds(), bd.Seconds()/id.Seconds())
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
			b.ReportMetric(base.Seconds()/imp.Seconds(), "x-baseline")
		})
	}
}

// BenchmarkReadFormats reads BenchmarkImportFormats's corpus files with
// their readers alone (formats.ReadFile, nothing stored): the reader
// goroutine's share of an import, in documents and megabytes per second.
func BenchmarkReadFormats(b *testing.B) {
	n := 100_000
	if testing.Short() {
		n = 5_000
	}
	for _, f := range benchFormats {
		b.Run(f.name, func(b *testing.B) {
			corpus := benchFormatCorpus(b, f.name, f.ext, n)
			st, err := os.Stat(corpus)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(st.Size())
			b.ResetTimer()
			for range b.N {
				docs, spans := 0, 0
				if _, err := formats.ReadFile(corpus, f.name, formats.ReadOptions{}, func(d formats.Doc) error {
					docs++
					spans += len(d.Spans)
					return nil
				}); err != nil {
					b.Fatal(err)
				}
				if docs != n || spans != n*benchSpanPn {
					b.Fatalf("read %d documents, %d spans", docs, spans)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}
