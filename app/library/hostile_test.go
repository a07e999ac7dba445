package library

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"gloss/storage"
)

// The hostile-input corpus: files that are broken, huge or malicious, each
// imported through ImportPaths (what `gloss import`, Ctrl+O and dropping
// files all call) into a database that already holds work. A refused file
// must give an error naming the file and the place in it, and leave the
// database exactly as it was, row for row. Small files are fixtures in
// testdata/hostile; large ones are made in t.TempDir(). docs/reliability.md
// ("Hostile input") lists every case with Gloss's answer.

const hostileDir = "testdata/hostile/"

// baseJSONL is the work the database holds before every case: a document
// with spans of two annotators and statuses (besides the sample articles).
const baseJSONL = `{"id":"0190a1b2-0000-7000-8000-00000000b001","title":"Base","text":"👍🏽 “We’ll build 280,000 homes,” she said.","imported_at":"2025-03-04T14:04:05Z","statuses":[{"annotator":"ana","status":"done","updated":"2025-03-05T10:00:00Z"}],"spans":[{"id":"0190a1b2-0000-7000-8000-0000000005a1","start":0,"end":2,"label":"Figure","text":"👍🏽","annotator":"ana","created":"2025-03-04T15:00:00Z","updated":"2025-03-04T15:00:00Z"},{"id":"0190a1b2-0000-7000-8000-0000000005a2","start":16,"end":23,"label":"Figure","text":"280,000","annotator":"ben","note":"a “note”","created":"2025-03-04T15:01:00Z","updated":"2025-03-04T16:00:00Z"}]}
`

type hostileCase struct {
	name string
	// files are fixtures under testdata/hostile; gen makes the paths in
	// dir instead. The last path is the one the error must name.
	files  []string
	gen    func(t *testing.T, dir string) []string
	format string
	// where is what the error must say right after the failing path: the
	// place (":3: $.spans[0].start") and the start of the reason.
	where string
	// want are further parts of the message.
	want []string
	// accept, when set, means the file must import; it checks the result.
	accept func(t *testing.T, s *storage.Store, res Result)
	// either, when set, lets the file be imported (checked by either) or
	// refused (checked like any refusal).
	either func(t *testing.T, s *storage.Store, res Result)
	// maxTime bounds the import (huge files must be refused quickly).
	maxTime time.Duration
	// maxAlloc bounds the bytes allocated by the import.
	maxAlloc uint64
}

func hostileCases() []hostileCase {
	return []hostileCase{
		// ---- articles: encoding and binary content
		{name: "invalid UTF-8 in a .txt", files: []string{"invalid-utf8.txt"},
			where: ": not valid UTF-8 at line 3, column 5 (byte 0xFF)", want: []string{"save the file as UTF-8"}},
		{name: "UTF-16 LE with BOM is decoded", files: []string{"utf16le-bom.txt"},
			accept: acceptDoc("Hi there", "Hi there\n")},
		{name: "UTF-16 with an unpaired surrogate", files: []string{"utf16-broken.txt"},
			where: ": broken UTF-16 at line 2 (unpaired surrogate 0xD83D)"},
		{name: "UTF-16 with an odd number of bytes", files: []string{"utf16-odd.txt"},
			where: ": broken UTF-16 file (odd number of bytes)"},
		{name: "NUL bytes in a .txt", files: []string{"nul.txt"}, where: ": looks like a binary file"},
		{name: "empty .txt", files: []string{"empty.txt"}, where: ": empty file"},
		{name: "whitespace-only .txt", files: []string{"whitespace.txt"}, where: ": empty file"},
		{name: "gzip renamed .txt", files: []string{"gzip.txt"}, where: ": looks like a binary file"},
		{name: "100 MB .txt (sparse) refused by size without reading it",
			gen: func(t *testing.T, dir string) []string {
				return []string{sparseFile(t, filepath.Join(dir, "huge.txt"), 100<<20)}
			},
			where: ": file is too large (100.0 MiB; the limit is 50 MiB)", maxTime: time.Second, maxAlloc: 8 << 20},
		{name: "10 MB single-line .txt is accepted (limit 50 MB)",
			gen: func(t *testing.T, dir string) []string {
				p := filepath.Join(dir, "long-line.txt")
				writeFile(t, p, []byte(strings.Repeat("word ", 2<<20)+"end\n"))
				return []string{p}
			},
			accept: func(t *testing.T, s *storage.Store, res Result) {
				d := docByID(t, s, res.FirstDocument)
				if len(d.Text) != 10<<20+4 || !strings.HasSuffix(d.Text, "word end\n") {
					t.Errorf("stored %d bytes, want %d", len(d.Text), 10<<20+4)
				}
				if !strings.HasSuffix(d.Title, "…") || len([]rune(d.Title)) > 200 {
					t.Errorf("title %q", d.Title)
				}
			}},
		{name: "title and file name full of SQL and shell metacharacters round-trip",
			gen: func(t *testing.T, dir string) []string {
				p := filepath.Join(dir, "$(touch pwned); `id` 'x' \"y\".txt")
				writeFile(t, p, []byte(metaTitle+"\n\nBody text of the article.\n"))
				return []string{p}
			},
			accept: func(t *testing.T, s *storage.Store, res Result) {
				d := docByID(t, s, res.FirstDocument)
				if d.Title != metaTitle {
					t.Errorf("title %q, want %q", d.Title, metaTitle)
				}
				if d.FileName != "$(touch pwned); `id` 'x' \"y\".txt" {
					t.Errorf("file name %q", d.FileName)
				}
			}},
		// ---- paths
		{name: "a folder named like a .txt", gen: func(t *testing.T, dir string) []string {
			p := filepath.Join(dir, "notes.txt")
			if err := os.Mkdir(p, 0o755); err != nil {
				t.Fatal(err)
			}
			return []string{p}
		}, where: ": is a folder, not an article file"},
		{name: "a folder without brat files", gen: func(t *testing.T, dir string) []string {
			p := filepath.Join(dir, "folder")
			if err := os.Mkdir(p, 0o755); err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(p, "readme.md"), []byte("# not brat\n"))
			return []string{p}
		}, where: ": no brat files (.ann with .txt) in the folder"},
		{name: "a missing file", gen: func(t *testing.T, dir string) []string {
			return []string{filepath.Join(dir, "missing.jsonl")}
		}, where: ": no such file or directory"},
		{name: "a missing .txt", gen: func(t *testing.T, dir string) []string {
			return []string{filepath.Join(dir, "missing.txt")}
		}, where: ": no such file or directory"},
		{name: "a file without read permission", gen: func(t *testing.T, dir string) []string {
			if os.Geteuid() == 0 {
				t.Skip("root reads any file")
			}
			p := filepath.Join(dir, "secret.jsonl")
			writeFile(t, p, []byte(`{"text":"x","spans":[]}`+"\n"))
			if err := os.Chmod(p, 0); err != nil {
				t.Fatal(err)
			}
			return []string{p}
		}, where: ": permission denied"},
		{name: "a good file then a bad one: neither is kept",
			files: []string{"sql-shell-title.jsonl", "offset-past-end.jsonl"},
			where: ":1: $.spans[0]: invalid span"},
		// ---- Gloss JSONL
		{name: "malformed JSONL at line 3", files: []string{"malformed-line3.jsonl"},
			where: ":3: invalid JSON"},
		// encoding/json would turn each invalid byte into U+FFFD: the readers
		// check the bytes first and refuse, as for articles.
		{name: "invalid UTF-8 in JSONL", files: []string{"invalid-utf8.jsonl"},
			where: ":1: not valid UTF-8 at column"},
		{name: "invalid UTF-8 in Gloss JSONL", files: []string{"invalid-utf8.jsonl"}, format: "jsonl",
			where: ":1: not valid UTF-8 at column"},
		{name: "100 MB .jsonl (sparse, NUL bytes)",
			gen: func(t *testing.T, dir string) []string {
				return []string{sparseFile(t, filepath.Join(dir, "huge.jsonl"), 100<<20)}
			},
			where: ": cannot tell the annotation format", maxTime: time.Second, maxAlloc: 16 << 20},
		{name: "100 MB .jsonl (sparse) read as jsonl",
			gen: func(t *testing.T, dir string) []string {
				return []string{sparseFile(t, filepath.Join(dir, "huge.jsonl"), 100<<20)}
			},
			// A line is bounded (formats.MaxJSONLine): refused once it is
			// longer, not read to the end.
			format: "jsonl", where: ":1: the line is longer than 66 MB", maxTime: 5 * time.Second},
		{name: "10 MB JSONL line: format not recognised from the first MiB",
			gen: func(t *testing.T, dir string) []string {
				p := filepath.Join(dir, "long.jsonl")
				writeFile(t, p, longJSONL())
				return []string{p}
			},
			where: ": a JSON file, but not one of the known annotation formats (name one with --format"},
		{name: "10 MB JSONL line with --format spacy is accepted", format: "spacy",
			gen: func(t *testing.T, dir string) []string {
				p := filepath.Join(dir, "long.jsonl")
				writeFile(t, p, longJSONL())
				return []string{p}
			},
			accept: func(t *testing.T, s *storage.Store, res Result) {
				d := docByID(t, s, res.FirstDocument)
				if len(d.Text) != 10<<20+3 {
					t.Errorf("stored %d bytes", len(d.Text))
				}
				if res.Summary.Spans != 1 {
					t.Errorf("summary %+v", res.Summary)
				}
			}},
		{name: "start as a string", files: []string{"start-string.jsonl"}, where: ":2: $.spans[0].start: want int, got JSON string"},
		{name: "label as a number", files: []string{"label-number.jsonl"}, where: ":1: $.spans[0].label: want string, got JSON number"},
		{name: "text as an array", files: []string{"text-array.jsonl"}, where: ":3: $.text"},
		{name: "negative offset", files: []string{"offset-negative.jsonl"}, where: ":1: $.spans[1]: invalid span"},
		{name: "reversed offsets", files: []string{"offset-reversed.jsonl"}, where: ":2: $.spans[0]: invalid span"},
		{name: "offset past the end", files: []string{"offset-past-end.jsonl"}, where: ":1: $.spans[0]: invalid span",
			want: []string{"past"}},
		{name: "span text not matching", files: []string{"text-mismatch.jsonl"}, where: ":1: $.spans[0]: invalid span",
			want: []string{`"IOTA"`, `"iota"`}},
		{name: "label with a tab", files: []string{"label-tab.jsonl"}, where: `:1: $.spans[0]: label "Cl\taim": invalid label: name contains a tab, newline or other control character`},
		{name: "label with a newline", files: []string{"label-newline.jsonl"}, where: `:1: $.spans[0]: label "Cl\naim": invalid label: name contains a tab, newline or other control character`},
		{name: "label of 500 characters", files: []string{"label-500.jsonl"}, where: `:1: $.spans[0]: label "LLLL`, want: []string{"invalid label: name is 500 characters long, at most 100 are allowed"}},
		{name: "the same span ID twice in one record", files: []string{"duplicate-span-id.jsonl"},
			where: ":1: $.spans[1]: conflict"},
		{name: "the same span ID in two records", files: []string{"duplicate-span-id-2docs.jsonl"},
			where: ":2: $.spans[0]: conflict"},
		{name: "document ID of another document's text", files: []string{"doc-id-taken.jsonl"},
			where: ":1: conflict: document id 0190a1b2-0000-7000-8000-00000000b001 is taken"},
		{name: "sha256 not matching the text", files: []string{"sha256-mismatch.jsonl"},
			where: ":1: $.sha256: "},
		{name: "PNG renamed .jsonl", files: []string{"png.jsonl"}, where: ": cannot tell the annotation format"},
		{name: "PNG renamed .jsonl, read as jsonl", files: []string{"png.jsonl"}, format: "jsonl",
			where: ":1: not valid UTF-8 at column 1 (byte 0x89)"},
		{name: "SQL and shell metacharacters in title, label, file name", files: []string{"sql-shell-title.jsonl"},
			accept: func(t *testing.T, s *storage.Store, res Result) {
				d := docByID(t, s, res.FirstDocument)
				if d.Title != metaTitle || d.FileName != "$(touch pwned); rm -rf ~.txt" {
					t.Errorf("title %q, file name %q", d.Title, d.FileName)
				}
				var labels []string
				if err := s.EachDocument(context.Background(), func(doc storage.Document, ss []storage.Span) error {
					if doc.ID == d.ID {
						for _, sp := range ss {
							labels = append(labels, sp.Label)
						}
					}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(labels, []string{"'); DROP TABLE labels;--"}) {
					t.Errorf("labels %q", labels)
				}
			}},
		// ---- spaCy, doccano, Label Studio, CoNLL
		{name: "spaCy end as a boolean", files: []string{"spacy-end-bool.jsonl"}, where: ":2: $.spans[0].end"},
		{name: "doccano label pair without a label", files: []string{"doccano-pair.jsonl"}, where: ":2: $.label[0]"},
		{name: "Label Studio from/to reversed", files: []string{"labelstudio-reversed.json"},
			where: ":2: $[0].annotations[0].result[1].value: invalid span: start 10 > end 6"},
		{name: "Label Studio array cut short", files: []string{"labelstudio-truncated.json"},
			where: ":2: invalid JSON: the file ends inside the value that starts here"},
		{name: "CoNLL I- without a type", files: []string{"conll-i-no-type.conll"}, format: "conll",
			where: ":2: "},
		{name: "CoNLL B- without a type", files: []string{"conll-b-broken.conll"}, format: "conll",
			where: ":4: "},
		// ---- brat
		{name: "brat T line whose text is a path", files: []string{"brat-traversal"},
			where: "/doc.ann:2: T2: text \"../../../etc/passwd\" does not match the .txt"},
		{name: "brat .ann reached through ../", files: []string{"brat-traversal/../brat-reversed/doc.ann"},
			where: ":1: T1: offsets 10 6: want 0 <= start < end"},
		{name: "brat files named ..ann and ..txt", files: []string{"brat-dots"},
			where: "/..ann:2: T2: offsets 11 400 are past the end of the text"},
		{name: "brat .ann without its .txt", files: []string{"brat-orphan/orphan.ann"},
			where: ": no text file orphan.txt beside it"},
	}
}

const metaTitle = "'); DROP TABLE spans;-- $(rm -rf /) `reboot` \"quoted\" & | ; > /dev/null"

func TestHostileInput(t *testing.T) {
	ctx := context.Background()
	template := filepath.Join(t.TempDir(), "base.db")
	{
		s, err := storage.Open(template)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := SeedSamples(ctx, s); err != nil {
			t.Fatal(err)
		}
		base := filepath.Join(t.TempDir(), "base.jsonl")
		writeFile(t, base, []byte(baseJSONL))
		if _, err := ImportFile(ctx, s, base, ImportFileOptions{Annotator: "base"}); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	tmpl, err := os.ReadFile(template)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range hostileCases() {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			dbPath := filepath.Join(dir, "gloss.db")
			writeFile(t, dbPath, tmpl)
			s, err := storage.Open(dbPath)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			before := dumpStore(t, s, dbPath)
			if before.Stats.Documents < 2 || before.Stats.Spans < 2 {
				t.Fatalf("base data missing: %+v", before.Stats)
			}
			var paths []string
			for _, f := range c.files {
				paths = append(paths, hostileDir+f)
			}
			if c.gen != nil {
				paths = c.gen(t, dir)
			}
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			start := time.Now()
			res, err := ImportPaths(ctx, s, paths, ImportFileOptions{Format: c.format, Annotator: "Hostile Tester"})
			took := time.Since(start)
			runtime.ReadMemStats(&ms1)
			if c.maxTime > 0 && took > c.maxTime {
				t.Errorf("took %v, want under %v", took, c.maxTime)
			}
			alloc := ms1.TotalAlloc - ms0.TotalAlloc
			t.Logf("took %v, allocated %.1f MiB", took, float64(alloc)/(1<<20))
			if c.maxAlloc > 0 && alloc > c.maxAlloc {
				t.Errorf("allocated %d bytes, want under %d", alloc, c.maxAlloc)
			}
			if c.either != nil && err == nil {
				t.Logf("accepted")
				c.accept = c.either
			}
			if c.accept != nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				c.accept(t, s, res)
				if err := s.IntegrityCheck(ctx); err != nil {
					t.Error(err)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted (%+v), want an error", res.Summary)
			}
			msg := err.Error()
			t.Logf("error: %.300s", msg)
			failing := paths[len(paths)-1]
			if !strings.Contains(msg, failing+c.where) {
				t.Errorf("error\n  %.400s\ndoes not name the place\n  %s%s", msg, failing, c.where)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %.400q does not say %q", msg, w)
				}
			}
			after := dumpStore(t, s, dbPath)
			if !reflect.DeepEqual(before, after) {
				t.Errorf("the database changed:\nbefore %+v\nafter  %+v", before.Stats, after.Stats)
				for table, rows := range after.Tables {
					if !slices.Equal(rows, before.Tables[table]) {
						t.Errorf("table %s: %d rows before, %d after", table, len(before.Tables[table]), len(rows))
					}
				}
			}
		})
	}
}

// hostileDump is everything in a database: what the program shows (stats,
// documents with spans and statuses, labels, annotators) and, to be sure,
// every row of every table read directly.
type hostileDump struct {
	Stats      storage.Stats
	Records    []storage.Record
	Labels     []storage.Label
	Annotators []storage.Annotator
	Tables     map[string][]string
}

func dumpStore(t *testing.T, s *storage.Store, path string) hostileDump {
	t.Helper()
	ctx := context.Background()
	var d hostileDump
	var err error
	if d.Stats, err = s.Stats(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.EachRecord(ctx, storage.RecordFilter{}, func(r storage.Record) error {
		d.Records = append(d.Records, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	set, err := s.DefaultLabelSet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d.Labels, err = s.Labels(ctx, set.ID); err != nil {
		t.Fatal(err)
	}
	if d.Annotators, err = s.Annotators(ctx); err != nil {
		t.Fatal(err)
	}
	d.Tables = dumpTables(t, path)
	return d
}

// dumpTables reads every row of every table through a read-only connection
// of its own, each row as text (blobs hashed), rows sorted.
func dumpTables(t *testing.T, path string) map[string][]string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tables []string
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	out := map[string][]string{}
	for _, table := range tables {
		rows, err := db.Query(`SELECT * FROM "` + strings.ReplaceAll(table, `"`, `""`) + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		list := []string{}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var sb strings.Builder
			for _, v := range vals {
				if b, ok := v.([]byte); ok {
					h := sha256.Sum256(b)
					v = hex.EncodeToString(h[:8])
				}
				fmt.Fprintf(&sb, "%v\x1f", v)
			}
			list = append(list, sb.String())
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		slices.Sort(list)
		out[table] = list
	}
	return out
}

// longJSONL is one spaCy line of 10 MiB whose "text" comes first.
func longJSONL() []byte {
	text := strings.Repeat("word ", 2<<20) + "end"
	return []byte(`{"text": "` + text + `", "spans": [{"start": 0, "end": 4, "label": "Claim", "text": "word"}]}` + "\n")
}

func acceptDoc(title, text string) func(*testing.T, *storage.Store, Result) {
	return func(t *testing.T, s *storage.Store, res Result) {
		d := docByID(t, s, res.FirstDocument)
		if d.Title != title || d.Text != text {
			t.Errorf("stored title %q text %q, want %q %q", d.Title, d.Text, title, text)
		}
	}
}

func docByID(t *testing.T, s *storage.Store, id string) storage.Document {
	t.Helper()
	var out *storage.Document
	if err := s.EachDocument(context.Background(), func(d storage.Document, _ []storage.Span) error {
		if d.ID == id {
			out = &d
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if out == nil {
		t.Fatalf("document %q not stored", id)
	}
	return *out
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// sparseFile makes a file of size bytes (zeros) without writing them.
func sparseFile(t *testing.T, path string, size int64) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}
