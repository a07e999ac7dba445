package library

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"gloss/storage"
	"gloss/storage/storagetest"
)

// The export benchmark's database: 100,000 documents (~600 characters, with
// curly quotes, an em dash and an emoji) and 1,000,000 spans from two
// annotators, built once and kept in benchDir (delete it to rebuild).
const (
	benchDir   = "/tmp/gloss-bench"
	benchDocs  = 100_000
	benchSpans = 10 // per document
)

func benchDB(b *testing.B) string {
	b.Helper()
	path := filepath.Join(benchDir, "export.db")
	if _, err := os.Stat(path + ".ok"); err == nil {
		return path
	}
	os.Remove(path)
	os.Remove(path + "-wal")
	os.Remove(path + "-shm")
	start := time.Now()
	st := storagetest.OpenAt(b, path) // the schema
	as := storagetest.Analysts(b, st, "ana", "ben")
	ana, ben := as[0], as[1]
	labels := storagetest.Labels(b, st)
	st.Close()

	// Test set-up may use SQL directly: a million spans through Apply (one
	// transaction and one history row each) would take an hour.
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_foreign_keys=on&_synchronous=off")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	insDoc, _ := tx.Prepare(`INSERT INTO documents (id, title, file_name, format, sha256, length, imported_at) VALUES (?, ?, ?, 'txt', ?, ?, ?)`)
	insText, _ := tx.Prepare(`INSERT INTO document_texts (document_id, text) VALUES (?, ?)`)
	insSpan, _ := tx.Prepare(`INSERT INTO spans (id, document_id, annotator_id, label_id, start, "end", text, note, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	insStatus, _ := tx.Prepare(`INSERT INTO document_status (document_id, annotator_id, status, updated) VALUES (?, ?, ?, ?)`)
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	paragraph := "The council’s “Harbour Plan” promises %d new homes by 2030 — a 12%% rise 👍🏽 on the last plan. " +
		"Residents say the figures are optimistic, and the opposition wants a five-year review. "
	for i := range benchDocs {
		text := fmt.Sprintf(paragraph+paragraph+paragraph, i, i+1, i+2)
		rs := []rune(text)
		id := fmt.Sprintf("0190c000-0000-7000-8000-%012d", i)
		if _, err := insDoc.Exec(id, fmt.Sprint("Harbour report ", i), fmt.Sprint("report-", i, ".txt"),
			fmt.Sprintf("%064x", i), len(rs), base+int64(i)); err != nil {
			b.Fatal(err)
		}
		if _, err := insText.Exec(id, text); err != nil {
			b.Fatal(err)
		}
		for k := range benchSpans {
			start := (k * 53) % (len(rs) - 40)
			end := start + 5 + k*3
			who := ana.ID
			if k%2 == 1 {
				who = ben.ID
			}
			note := ""
			if k == 0 {
				note = "check the figure"
			}
			if _, err := insSpan.Exec(fmt.Sprintf("0190d000-0000-7000-%04x-%012d", k, i), id, who, labels[k%3].ID,
				start, end, string(rs[start:end]), note, base+int64(k), base+int64(k)); err != nil {
				b.Fatal(err)
			}
		}
		insStatus.Exec(id, ana.ID, "done", base)
		insStatus.Exec(id, ben.ID, "in_progress", base)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	os.WriteFile(path+".ok", nil, 0o644)
	b.Logf("built %s in %v", path, time.Since(start))
	return path
}

// sqlite3Query is the same export in one SQL statement for the sqlite3
// command-line tool: one JSON object per document with its statuses and
// spans, by json_object and json_group_array.
const sqlite3Query = `
SELECT json_object('id', d.id, 'title', d.title, 'text', t.text, 'file_name', d.file_name, 'format', d.format,
  'sha256', d.sha256, 'imported_at', d.imported_at,
  'statuses', (SELECT json_group_array(json_object('annotator', a.name, 'annotator_id', ds.annotator_id,
      'status', ds.status, 'updated', ds.updated))
    FROM document_status ds JOIN annotators a ON a.id = ds.annotator_id WHERE ds.document_id = d.id),
  'spans', (SELECT json_group_array(json_object('id', s.id, 'start', s.start, 'end', s."end", 'label', l.name,
      'label_id', s.label_id, 'text', s.text, 'annotator', a.name, 'annotator_id', s.annotator_id, 'note', s.note,
      'created', s.created, 'updated', s.updated))
    FROM (SELECT * FROM spans WHERE document_id = d.id ORDER BY start, "end" DESC, created, id) s
    JOIN labels l ON l.id = s.label_id JOIN annotators a ON a.id = s.annotator_id))
FROM documents d JOIN document_texts t ON t.document_id = d.id ORDER BY d.seq;`

// BenchmarkExportJSONL100k exports the benchmark database to JSONL through
// library.Export (storage.EachRecord, formats, temporary file, rename) and
// compares with the sqlite3 tool writing the same objects.
//
//	go test -run '^$' -bench ExportJSONL100k -benchtime 3x ./app/library
func BenchmarkExportJSONL100k(b *testing.B) {
	path := benchDB(b)
	st, err := storage.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	out := filepath.Join(b.TempDir(), "out.jsonl")
	var size int64
	cpu0 := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		sum, err := Export(context.Background(), st, ExportOptions{Format: "jsonl", Path: out}, nil)
		if err != nil {
			b.Fatal(err)
		}
		if sum.Documents != benchDocs || sum.Spans != benchDocs*benchSpans {
			b.Fatalf("summary %+v", sum)
		}
		fi, _ := os.Stat(out)
		size = fi.Size()
	}
	b.StopTimer()
	cpuPerOp := (cpuTime() - cpu0).Seconds() / float64(b.N)
	perOp := b.Elapsed().Seconds() / float64(b.N)
	b.SetBytes(size)
	b.ReportMetric(float64(benchDocs)/perOp, "docs/s")

	sqlite3, err := exec.LookPath("sqlite3")
	if err != nil {
		b.Log("sqlite3 not installed: no comparison (apt-get install sqlite3)")
		return
	}
	// Best of three runs of the sqlite3 tool, output to a file like ours.
	best, bestCPU := time.Duration(1<<62), time.Duration(1<<62)
	var sqSize int64
	for range 3 {
		f, err := os.Create(filepath.Join(b.TempDir(), "sqlite3.jsonl"))
		if err != nil {
			b.Fatal(err)
		}
		cmd := exec.Command(sqlite3, "-readonly", "-noheader", "-list", path, sqlite3Query)
		cmd.Stdout = f
		var stderr strings.Builder
		cmd.Stderr = &stderr
		t0 := time.Now()
		err = cmd.Run()
		d := time.Since(t0)
		fi, _ := f.Stat()
		f.Close()
		if err != nil {
			b.Fatalf("sqlite3: %v %s", err, stderr.String())
		}
		sqSize = fi.Size()
		best = min(best, d)
		bestCPU = min(bestCPU, cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
	}
	b.ReportMetric(float64(sqSize)/best.Seconds()/1e6, "sqlite3-MB/s")
	b.ReportMetric(best.Seconds()/perOp, "x-sqlite3-speed")
	b.ReportMetric(bestCPU.Seconds()/cpuPerOp, "x-sqlite3-cpu")
	b.Logf("gloss: %.2f s (CPU %.2f s) for %.1f MB (%.1f MB/s); sqlite3 -list json_object: %.2f s (CPU %.2f s) for %.1f MB (%.1f MB/s); "+
		"gloss/sqlite3 speed = %.2f by wall time, %.2f by CPU time",
		perOp, cpuPerOp, float64(size)/1e6, float64(size)/perOp/1e6, best.Seconds(), bestCPU.Seconds(), float64(sqSize)/1e6,
		float64(sqSize)/best.Seconds()/1e6, best.Seconds()/perOp, bestCPU.Seconds()/cpuPerOp)
}

// cpuTime is the user and system time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
