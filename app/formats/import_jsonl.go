package formats

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// glossInDoc is a line of Gloss JSONL as read back (see JSONLWriter).
type glossInDoc struct {
	ID         string          `json:"id"`
	Title      string          `json:"title"`
	Text       *string         `json:"text"`
	FileName   string          `json:"file_name"`
	Format     string          `json:"format"`
	SHA256     string          `json:"sha256"`
	ImportedAt string          `json:"imported_at"`
	Statuses   []glossInStatus `json:"statuses"`
	Spans      []glossInSpan   `json:"spans"`
}

type glossInStatus struct {
	Annotator   string `json:"annotator"`
	AnnotatorID string `json:"annotator_id"`
	Status      string `json:"status"`
	Updated     string `json:"updated"`
}

type glossInSpan struct {
	ID          string `json:"id"`
	Start       *int   `json:"start"`
	End         *int   `json:"end"`
	Label       string `json:"label"`
	LabelID     string `json:"label_id"`
	Text        string `json:"text"`
	Annotator   string `json:"annotator"`
	AnnotatorID string `json:"annotator_id"`
	Note        string `json:"note"`
	Created     string `json:"created"`
	Updated     string `json:"updated"`
}

// readGlossJSONL reads Gloss's own JSONL, one document per line, keeping
// IDs, times and the text exactly. IDs that are not UUIDs are dropped (the
// store makes new ones); a "sha256" that does not match the text is an
// error.
func readGlossJSONL(name string, r io.Reader, rep *Report, fn func(Record) error) error {
	return jsonValues(name, r, func(raw json.RawMessage, line, index int) error {
		var d glossInDoc
		if err := json.Unmarshal(raw, &d); err != nil {
			return jsonTypeError(name, raw, line, "$", err)
		}
		if d.Text == nil {
			return fmt.Errorf("%s:%d: $.text: missing", name, line)
		}
		rec := Record{
			Name: name, Line: line, ID: uuidOrEmpty(d.ID), Title: d.Title, Text: *d.Text,
			FileName: d.FileName, Format: d.Format,
		}
		if rec.Format == "" {
			rec.Format = "jsonl"
		}
		if d.SHA256 != "" {
			sum := sha256.Sum256([]byte(rec.Text))
			if got := hex.EncodeToString(sum[:]); !strings.EqualFold(got, d.SHA256) {
				return fmt.Errorf("%s:%d: $.sha256: %s is not the SHA-256 of the text (%s): the text was changed", name, line, d.SHA256, got)
			}
		}
		var err error
		if rec.ImportedAt, err = parseTime(d.ImportedAt); err != nil {
			return fmt.Errorf("%s:%d: $.imported_at: %v", name, line, err)
		}
		for i, st := range d.Statuses {
			u, err := parseTime(st.Updated)
			if err != nil {
				return fmt.Errorf("%s:%d: $.statuses[%d].updated: %v", name, line, i, err)
			}
			rec.Statuses = append(rec.Statuses, RecordStatus{Annotator: st.Annotator, AnnotatorID: uuidOrEmpty(st.AnnotatorID), Status: st.Status, Updated: u})
		}
		rec.Spans = make([]RecordSpan, 0, len(d.Spans))
		for i, s := range d.Spans {
			path := fmt.Sprintf("$.spans[%d]", i)
			if s.Start == nil || s.End == nil {
				return fmt.Errorf("%s:%d: %s: start and end are required", name, line, path)
			}
			sp := RecordSpan{
				ID: uuidOrEmpty(s.ID), Start: *s.Start, End: *s.End, Label: s.Label, LabelID: uuidOrEmpty(s.LabelID),
				Text: s.Text, Annotator: s.Annotator, AnnotatorID: uuidOrEmpty(s.AnnotatorID), Note: s.Note,
				Line: line, Path: path,
			}
			if sp.Created, err = parseTime(s.Created); err != nil {
				return fmt.Errorf("%s:%d: %s.created: %v", name, line, path, err)
			}
			if sp.Updated, err = parseTime(s.Updated); err != nil {
				return fmt.Errorf("%s:%d: %s.updated: %v", name, line, path, err)
			}
			rec.Spans = append(rec.Spans, sp)
		}
		return fn(rec)
	})
}

// parseTime reads an RFC 3339 time; "" is the zero time.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time", s)
	}
	return t.UTC(), nil
}
