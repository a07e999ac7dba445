package formats

import (
	"io"
	"strconv"
	"time"

	"gloss/app/offsets"
)

// JSONLWriter writes Gloss JSONL, the native format: one JSON object per
// document per line, with every field Gloss keeps,
//
//	{"id","title","text","file_name","format","sha256","imported_at",
//	 "statuses":[{"annotator","annotator_id","status","updated"}],
//	 "spans":[{"id","start","end","label","label_id","text","annotator","annotator_id","note",
//	   "attrs","created","updated"}],
//	 "relations":[{"id","type","type_id","from","to","annotator","annotator_id","attrs","created","updated"}],
//	 "suggestions":[{"id","start","end","label","label_id","text","annotator","annotator_id",
//	   "score","source","rule","model_version","created"}]}
//
// with keys in that order, offsets in code points (Python str indexing)
// unless UTF16 is set, times in RFC 3339 with nanoseconds, UTC, and
// "statuses" and "spans" always arrays. "suggestions" (proposed spans,
// never annotations: Doc.Suggestions) is there only when the document has
// some, so a file without suggestions is what it was before they existed;
// a score is a JSON number in [0, 1], written as encoding/json writes a
// float64 (the shortest form that reads back exactly). Likewise
// "relations" is there only when the document has some, and a span's or a
// relation's "attrs" only when it has attribute values: an object of
// attribute names and values, {"certainty":"High","negated":"true"}, every
// value a string (Attr.Value), in the order of Span.Attrs. A relation's
// "from" and "to" are its ends: the "id" of the span (a string) when the
// span has an id no other span of the document has, else the span's index
// in "spans" (a number). HTML characters are not escaped;
// non-ASCII text is written as UTF-8. The bytes are those encoding/json
// writes with SetEscapeHTML(false).
type JSONLWriter struct {
	w     io.Writer
	n     int
	buf   []byte
	table []int32
	// UTF16 writes start and end in UTF-16 code units instead of code
	// points (for tools that count like JavaScript). Such a file is not
	// for importing back into Gloss.
	UTF16 bool
}

// NewJSONLWriter returns a writer that streams to w: every Write writes
// exactly one line. Wrap w in a bufio.Writer (and flush it) for speed.
func NewJSONLWriter(w io.Writer) *JSONLWriter {
	return &JSONLWriter{w: w}
}

// Count returns how many documents have been written.
func (j *JSONLWriter) Count() int { return j.n }

// Write checks every span against the text (in range, start <= end, text
// equal to the code point slice), every suggestion likewise (not empty,
// with a label and a score in [0, 1]) and every relation (both ends spans
// of the document, not the same, and a type; attributes named, each once),
// and writes the document as one line. A document that fails the check is
// not written at all.
func (j *JSONLWriter) Write(d Doc) error {
	if err := checkRelations(d, true); err != nil {
		return err
	}
	var t *offsets.Text
	var err error
	if j.UTF16 {
		t, err = checked(d, true)
	} else {
		j.table, err = checkSpans(d, j.table, true)
	}
	if err != nil {
		return err
	}
	j.buf = appendJSONLDoc(j.buf[:0], d, t, j.UTF16)
	if _, err := j.w.Write(j.buf); err != nil {
		return err
	}
	j.buf = reuse(j.buf)
	j.n++
	return nil
}

func appendJSONLDoc(b []byte, d Doc, t *offsets.Text, utf16 bool) []byte {
	b = append(b, '{')
	b = appendStringField(b, "id", d.ID, true)
	b = appendStringField(b, "title", d.Title, false)
	b = appendStringField(b, "text", d.Text, false)
	b = appendStringField(b, "file_name", d.FileName, false)
	b = appendStringField(b, "format", d.Format, false)
	b = appendStringField(b, "sha256", d.SHA256, false)
	b = appendTimeField(b, "imported_at", d.ImportedAt, false)
	if utf16 {
		// The marker the importer reads, so a UTF-16 file comes back right.
		b = appendStringField(b, "offsets", string(UnitUTF16), false)
	}
	b = append(appendKey(b, "statuses", false), '[')
	for i, st := range d.Statuses {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		b = appendStringField(b, "annotator", st.Annotator, true)
		b = appendStringField(b, "annotator_id", st.AnnotatorID, false)
		b = appendStringField(b, "status", st.Status, false)
		b = appendTimeField(b, "updated", st.Updated, false)
		b = append(b, '}')
	}
	b = append(b, ']')
	b = append(appendKey(b, "spans", false), '[')
	for i, s := range d.Spans {
		if i > 0 {
			b = append(b, ',')
		}
		start, end := s.Start, s.End
		if utf16 {
			start, end = t.UTF16Offset(start), t.UTF16Offset(end)
		}
		b = append(b, '{')
		b = appendStringField(b, "id", s.ID, true)
		b = appendIntField(b, "start", start, false)
		b = appendIntField(b, "end", end, false)
		b = appendStringField(b, "label", s.Label, false)
		b = appendStringField(b, "label_id", s.LabelID, false)
		b = appendStringField(b, "text", s.Text, false)
		b = appendStringField(b, "annotator", s.Annotator, false)
		b = appendStringField(b, "annotator_id", s.AnnotatorID, false)
		b = appendStringField(b, "note", s.Note, false)
		if len(s.Attrs) > 0 {
			b = appendAttrs(appendKey(b, "attrs", false), s.Attrs)
		}
		b = appendTimes(b, s.Created, s.Updated)
		b = append(b, '}')
	}
	b = append(b, ']')
	if len(d.Relations) > 0 {
		b = appendJSONLRelations(appendKey(b, "relations", false), d)
	}
	if len(d.Suggestions) > 0 {
		b = append(appendKey(b, "suggestions", false), '[')
		for i, s := range d.Suggestions {
			if i > 0 {
				b = append(b, ',')
			}
			start, end := s.Start, s.End
			if utf16 {
				start, end = t.UTF16Offset(start), t.UTF16Offset(end)
			}
			b = append(b, '{')
			b = appendStringField(b, "id", s.ID, true)
			b = appendIntField(b, "start", start, false)
			b = appendIntField(b, "end", end, false)
			b = appendStringField(b, "label", s.Label, false)
			b = appendStringField(b, "label_id", s.LabelID, false)
			b = appendStringField(b, "text", s.Text, false)
			b = appendStringField(b, "annotator", s.Annotator, false)
			b = appendStringField(b, "annotator_id", s.AnnotatorID, false)
			b = appendFloatField(b, "score", s.Score, false)
			b = appendStringField(b, "source", s.Source, false)
			b = appendStringField(b, "rule", s.Rule, false)
			b = appendStringField(b, "model_version", s.ModelVersion, false)
			b = appendTimeField(b, "created", s.Created, false)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}', '\n')
}

// appendJSONLRelations appends d's relations as the "relations" array.
func appendJSONLRelations(b []byte, d Doc) []byte {
	// A span's id names it when no other span has it.
	ids := make(map[string]int, len(d.Spans))
	for _, s := range d.Spans {
		if s.ID != "" {
			ids[s.ID]++
		}
	}
	end := func(b []byte, key string, i int) []byte {
		b = appendKey(b, key, false)
		if id := d.Spans[i].ID; id != "" && ids[id] == 1 {
			return appendJSONString(b, id)
		}
		return strconv.AppendInt(b, int64(i), 10)
	}
	b = append(b, '[')
	for i, r := range d.Relations {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		b = appendStringField(b, "id", r.ID, true)
		b = appendStringField(b, "type", r.Type, false)
		b = appendStringField(b, "type_id", r.TypeID, false)
		b = end(b, "from", r.From)
		b = end(b, "to", r.To)
		b = appendStringField(b, "annotator", r.Annotator, false)
		b = appendStringField(b, "annotator_id", r.AnnotatorID, false)
		if len(r.Attrs) > 0 {
			b = appendAttrs(appendKey(b, "attrs", false), r.Attrs)
		}
		b = appendTimes(b, r.Created, r.Updated)
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendTimes appends the "created" and "updated" fields; when they are
// the same time (never edited), the second is a copy of the first's text.
func appendTimes(b []byte, created, updated time.Time) []byte {
	b = appendKey(b, "created", false)
	at := len(b)
	b = appendTime(b, created)
	value := b[at:]
	b = appendKey(b, "updated", false)
	if updated.Equal(created) {
		return append(b, value...)
	}
	return appendTime(b, updated)
}

// jsonlExporter is the Exporter of "jsonl".
type jsonlExporter struct {
	base
	w *JSONLWriter
}

func (e *jsonlExporter) Write(d Doc) error {
	e.w.UTF16 = e.utf16
	if err := e.w.Write(d); err != nil {
		return err
	}
	e.sum.Documents++
	e.sum.Records++
	e.sum.Spans += len(d.Spans)
	e.sum.Suggestions += len(d.Suggestions)
	e.sum.Relations += len(d.Relations)
	return nil
}

func (e *jsonlExporter) Close() (Summary, error) { return e.summary(), nil }
