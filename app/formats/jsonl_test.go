package formats

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

func goldenDocs() []Doc {
	text := "👩‍👩‍👧 “We’ll build 280,000 homes,” she said — in 5 years.\r\nNext."
	created := time.Date(2025, 3, 4, 15, 4, 5, 123456789, time.FixedZone("CET", 3600))
	imported := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	return []Doc{
		{ID: "doc-1", Title: "Family <emoji> & homes", Text: text, FileName: "family.txt", Format: "txt",
			SHA256: "abc123", ImportedAt: imported,
			Statuses: []Status{
				{Annotator: "ana", AnnotatorID: "a-1", Status: "done", Updated: created.Add(time.Hour)},
				{Annotator: "ben", AnnotatorID: "b-2", Status: "in_progress", Updated: created},
			},
			Spans: []Span{
				// 👩‍👩‍👧 is 5 code points (0-4), then a space; “ is 6, W is 7.
				{ID: "s1", Start: 7, End: 38, Label: "Claim", LabelID: "l-claim", Text: "We’ll build 280,000 homes,” she",
					Annotator: "ana", AnnotatorID: "a-1", Note: "check \"280,000\"\n<source>", Created: created, Updated: created.Add(time.Minute)},
				{ID: "s2", Start: 19, End: 26, Label: "Figure", LabelID: "l-fig", Text: "280,000",
					Annotator: "ben", AnnotatorID: "b-2", Created: created.Add(time.Second), Updated: created.Add(time.Second)},
				{ID: "s3", Start: 0, End: 5, Label: "Figure", LabelID: "l-fig", Text: "👩‍👩‍👧",
					Annotator: "ana", AnnotatorID: "a-1", Created: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Updated: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)},
			}},
		{ID: "doc-2", Title: "No spans", Text: "👍🏽 ok", FileName: "", Format: "md", SHA256: "def456", ImportedAt: imported},
	}
}

func TestJSONLGolden(t *testing.T) {
	var buf bytes.Buffer
	w := NewJSONLWriter(&buf)
	for _, d := range goldenDocs() {
		if err := w.Write(d); err != nil {
			t.Fatal(err)
		}
	}
	if w.Count() != 2 {
		t.Errorf("Count = %d", w.Count())
	}
	const golden = "testdata/export.golden.jsonl"
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("output differs from %s:\n got %s\nwant %s", golden, buf.Bytes(), want)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines", len(lines))
	}
	if !strings.HasPrefix(lines[0], `{"id":"doc-1","title":"Family <emoji> & homes","text":"👩‍👩‍👧 “We’ll`) ||
		!strings.Contains(lines[0], `"file_name":"family.txt","format":"txt","sha256":"abc123","imported_at":"2025-03-01T09:00:00Z",`+
			`"statuses":[{"annotator":"ana","annotator_id":"a-1","status":"done","updated":"2025-03-04T15:04:05.123456789Z"},`) ||
		!strings.Contains(lines[0], `"spans":[{"id":"s1","start":7,"end":38,"label":"Claim","label_id":"l-claim","text":"We’ll build 280,000 homes,” she",`+
			`"annotator":"ana","annotator_id":"a-1","note":"check \"280,000\"\n<source>","created":"2025-03-04T14:04:05.123456789Z","updated":"2025-03-04T14:05:05.123456789Z"}`) {
		t.Errorf("line 1: %s", lines[0])
	}
	if lines[1] != `{"id":"doc-2","title":"No spans","text":"👍🏽 ok","file_name":"","format":"md","sha256":"def456","imported_at":"2025-03-01T09:00:00Z","statuses":[],"spans":[]}` {
		t.Errorf("line 2: %s", lines[1])
	}
}

type countingWriter struct{ writes int }

func (c *countingWriter) Write(p []byte) (int, error) { c.writes++; return len(p), nil }

func TestJSONLStreamsAndChecks(t *testing.T) {
	cw := &countingWriter{}
	w := NewJSONLWriter(cw)
	d := goldenDocs()[0]
	if err := w.Write(d); err != nil || cw.writes != 1 {
		t.Fatalf("err %v, %d writes", err, cw.writes)
	}
	bad := []Span{
		{ID: "x", Start: 6, End: 37, Text: "We’ll build 280,000 homes,” she"}, // off by one (UTF-16 style)
		{ID: "x", Start: 7, End: 45, Text: "We’ll build 280,000 homes,” she"}, // byte offsets
		{ID: "x", Start: -1, End: 2, Text: ""},                                // negative
		{ID: "x", Start: 3, End: 2, Text: ""},                                 // reversed
		{ID: "x", Start: 60, End: 999, Text: ""},                              // past the end
		{ID: "x", Start: 0, End: 2, Text: "👩‍👩"},                              // wrong text
	}
	for _, s := range bad {
		d := goldenDocs()[0]
		d.Spans = append(d.Spans, s)
		if err := w.Write(d); err == nil || !strings.Contains(err.Error(), "doc-1") {
			t.Errorf("span %+v: err = %v", s, err)
		}
	}
	if cw.writes != 1 || w.Count() != 1 {
		t.Errorf("a rejected document was written: %d writes", cw.writes)
	}
	fail := NewJSONLWriter(failWriter{})
	if err := fail.Write(goldenDocs()[1]); err == nil {
		t.Error("write error not returned")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }
