package formats

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"gloss/app/offsets"
)

// Doc is one document as exported: its text and its spans.
type Doc struct {
	ID    string
	Title string
	Text  string
	Spans []SpanOut
}

// SpanOut is one annotated span. Start and End are code point offsets into
// Doc.Text, end exclusive; Text must equal that slice.
type SpanOut struct {
	ID        string
	Start     int
	End       int
	Label     string
	Text      string
	Annotator string
	Created   time.Time
}

// JSONLWriter writes Gloss JSONL: one JSON object per document per line,
//
//	{"id":…,"title":…,"text":…,"spans":[{"id":…,"start":…,"end":…,"label":…,"text":…,"annotator":…,"created":…}]}
//
// with keys in that order, offsets in code points (Python str indexing),
// "created" in RFC 3339 with nanoseconds, UTC, and "spans" always an array.
// HTML characters are not escaped; non-ASCII text is written as UTF-8.
type JSONLWriter struct {
	w io.Writer
	n int
}

// NewJSONLWriter returns a writer that streams to w: every Write writes
// exactly one line. Wrap w in a bufio.Writer (and flush it) for speed.
func NewJSONLWriter(w io.Writer) *JSONLWriter {
	return &JSONLWriter{w: w}
}

// Count returns how many documents have been written.
func (j *JSONLWriter) Count() int { return j.n }

type jsonlDoc struct {
	ID    string      `json:"id"`
	Title string      `json:"title"`
	Text  string      `json:"text"`
	Spans []jsonlSpan `json:"spans"`
}

type jsonlSpan struct {
	ID        string `json:"id"`
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Label     string `json:"label"`
	Text      string `json:"text"`
	Annotator string `json:"annotator"`
	Created   string `json:"created"`
}

// Write checks every span against the text (in range, start <= end, text
// equal to the code point slice) and writes the document as one line. A
// document that fails the check is not written at all.
func (j *JSONLWriter) Write(d Doc) error {
	out := jsonlDoc{ID: d.ID, Title: d.Title, Text: d.Text, Spans: make([]jsonlSpan, len(d.Spans))}
	var t *offsets.Text
	for i, s := range d.Spans {
		if t == nil {
			t = offsets.New(d.Text)
		}
		if s.Start < 0 || s.End < s.Start || s.End > t.Len() {
			return fmt.Errorf("document %s, span %s: offsets [%d, %d) out of range (text has %d code points)",
				d.ID, s.ID, s.Start, s.End, t.Len())
		}
		if got := t.Slice(s.Start, s.End); got != s.Text {
			return fmt.Errorf("document %s, span %s: text %q does not match the document's code points [%d, %d), which are %q",
				d.ID, s.ID, s.Text, s.Start, s.End, got)
		}
		out.Spans[i] = jsonlSpan{ID: s.ID, Start: s.Start, End: s.End, Label: s.Label, Text: s.Text,
			Annotator: s.Annotator, Created: s.Created.UTC().Format(time.RFC3339Nano)}
	}
	line, err := marshalLine(out)
	if err != nil {
		return fmt.Errorf("document %s: %w", d.ID, err)
	}
	if _, err := j.w.Write(line); err != nil {
		return err
	}
	j.n++
	return nil
}

func marshalLine(v any) ([]byte, error) {
	var buf lineBuffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil { // Encode ends the line with '\n'
		return nil, err
	}
	return buf.b, nil
}

type lineBuffer struct{ b []byte }

func (l *lineBuffer) Write(p []byte) (int, error) {
	l.b = append(l.b, p...)
	return len(p), nil
}
