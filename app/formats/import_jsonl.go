package formats

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gloss/app/offsets"
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
	Offsets    string          `json:"offsets"` // "utf16" when the span offsets are UTF-16 units
	Statuses   []glossInStatus `json:"statuses"`
	Spans      []glossInSpan   `json:"spans"`
	// Relations and suggestions, when the line has some (JSONLWriter
	// writes the keys only then).
	Relations   []glossInRelation   `json:"relations"`
	Suggestions []glossInSuggestion `json:"suggestions"`
}

type glossInRelation struct {
	ID          string          `json:"id"`
	Type        string          `json:"type"`
	TypeID      string          `json:"type_id"`
	From        json.RawMessage `json:"from"`
	To          json.RawMessage `json:"to"`
	Annotator   string          `json:"annotator"`
	AnnotatorID string          `json:"annotator_id"`
	Attrs       json.RawMessage `json:"attrs"`
	Created     string          `json:"created"`
	Updated     string          `json:"updated"`
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
	// Attrs, when the span has some (read by jsonAttrs; the fast reader
	// leaves a line with attributes to encoding/json).
	Attrs   json.RawMessage `json:"attrs"`
	Created string          `json:"created"`
	Updated string          `json:"updated"`
}

type glossInSuggestion struct {
	ID           string   `json:"id"`
	Start        *int     `json:"start"`
	End          *int     `json:"end"`
	Label        string   `json:"label"`
	LabelID      string   `json:"label_id"`
	Text         *string  `json:"text"`
	Annotator    string   `json:"annotator"`
	AnnotatorID  string   `json:"annotator_id"`
	Score        *float64 `json:"score"`
	Source       string   `json:"source"`
	Rule         string   `json:"rule"`
	ModelVersion string   `json:"model_version"`
	Created      string   `json:"created"`
}

// readGlossJSONL reads Gloss's own JSONL, one document per line, keeping
// IDs, times and the text exactly. IDs that are not UUIDs are dropped (the
// store makes new ones); a "sha256" that does not match the text is an
// error.
//
// Offsets are code points unless the line says "offsets": "utf16" (what
// Gloss writes with --offsets utf16) or unit overrides it; they count the
// same way for "suggestions", which are checked here (glossSuggestions).
//
// A span's "attrs" (an object of names and values: strings, numbers, true;
// false and null are attributes not set) become its Attrs. "relations"
// name their ends by span "id" (a string, as the file writes it, UUID or
// not, that one span of the line has) or by index in "spans" (a number);
// a relation with an end that is neither, with both ends the same span, or
// without a "type" is refused, with its path.
//
// The file is read line by line (Gloss writes one document per line), which
// spares the stream decoder's extra pass over every document.
func readGlossJSONL(name string, r io.Reader, unit OffsetUnit, rep *Report, fn func(Doc) error) error {
	var fast fastJSON // its interned strings live across lines
	fast.valid = true // jsonLines checked the UTF-8
	var times timeCache
	return jsonLines(name, r, func(raw []byte, line int) error {
		var d glossInDoc
		if !fastGlossDoc(raw, &d, &fast) {
			d = glossInDoc{}
			if err := json.Unmarshal(raw, &d); err != nil {
				return jsonTypeError(name, raw, line, "$", err)
			}
		}
		if d.Text == nil {
			return fmt.Errorf("%s:%d: $.text: missing", name, line)
		}
		rec := Doc{
			Name: name, Line: line, ID: uuidOrEmpty(d.ID), Title: d.Title, Text: *d.Text,
			FileName: d.FileName, Format: d.Format, SpansPath: "$.spans",
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
			rec.Statuses = append(rec.Statuses, Status{Annotator: st.Annotator, AnnotatorID: uuidOrEmpty(st.AnnotatorID), Status: st.Status, Updated: u})
		}
		var u16 bool
		u16, err = jsonlUnit(unit, d.Offsets)
		if err != nil {
			return fmt.Errorf("%s:%d: $.offsets: %v", name, line, err)
		}
		var t *offsets.Text
		if u16 {
			t = offsets.New(rec.Text)
		}
		rec.Spans = make([]Span, 0, len(d.Spans))
		for i, s := range d.Spans {
			if s.Start == nil || s.End == nil {
				return fmt.Errorf("%s:%d: $.spans[%d]: start and end are required", name, line, i)
			}
			start, end := *s.Start, *s.End
			if u16 {
				if start, err = t.CodePointFromUTF16(start); err == nil {
					end, err = t.CodePointFromUTF16(end)
				}
				if err != nil {
					return fmt.Errorf("%s:%d: $.spans[%d]: %v", name, line, i, err)
				}
			}
			sp := Span{
				ID: uuidOrEmpty(s.ID), Start: start, End: end, Label: s.Label, LabelID: uuidOrEmpty(s.LabelID),
				Text: s.Text, Annotator: s.Annotator, AnnotatorID: uuidOrEmpty(s.AnnotatorID), Note: s.Note,
				Line: line, // Path: Where makes "$.spans[i]" from SpansPath
			}
			if sp.Created, err = times.parse(s.Created); err != nil {
				return fmt.Errorf("%s:%d: $.spans[%d].created: %v", name, line, i, err)
			}
			if sp.Updated, err = times.parse(s.Updated); err != nil {
				return fmt.Errorf("%s:%d: $.spans[%d].updated: %v", name, line, i, err)
			}
			if len(s.Attrs) > 0 {
				if sp.Attrs, err = jsonAttrs(s.Attrs, fmt.Sprintf("$.spans[%d].attrs", i)); err != nil {
					return fmt.Errorf("%s:%d: %v", name, line, err)
				}
			}
			rec.Spans = append(rec.Spans, sp)
		}
		if len(d.Relations) > 0 {
			if rec.Relations, err = glossRelations(name, line, d.Spans, d.Relations, &times); err != nil {
				return err
			}
		}
		if len(d.Suggestions) > 0 {
			if t == nil {
				t = offsets.New(rec.Text)
			}
			if rec.Suggestions, err = glossSuggestions(name, line, d.Suggestions, t, u16, &times); err != nil {
				return err
			}
		}
		return fn(rec)
	})
}

// glossRelations reads the "relations" of a Gloss JSONL line whose spans
// are spans.
func glossRelations(name string, line int, spans []glossInSpan, in []glossInRelation, times *timeCache) ([]Relation, error) {
	byID := make(map[string]int, len(spans)) // index, or -1 when two spans have the id
	for i, s := range spans {
		if s.ID == "" {
			continue
		}
		if _, dup := byID[s.ID]; dup {
			byID[s.ID] = -1
		} else {
			byID[s.ID] = i
		}
	}
	end := func(path string, raw json.RawMessage) (int, error) {
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 || string(raw) == "null" {
			return 0, fmt.Errorf("%s:%d: %s: missing", name, line, path)
		}
		if raw[0] == '"' {
			id, _ := jsonString(raw)
			i, ok := byID[id]
			switch {
			case !ok:
				return 0, fmt.Errorf("%s:%d: %s: no span has the id %q", name, line, path, id)
			case i < 0:
				return 0, fmt.Errorf("%s:%d: %s: two spans have the id %q", name, line, path, id)
			}
			return i, nil
		}
		i, ok := jsonInt(raw)
		if !ok {
			return 0, fmt.Errorf("%s:%d: %s: want a span's id or its index in spans, got %s", name, line, path, jsonKind(raw))
		}
		if i < 0 || i >= len(spans) {
			return 0, fmt.Errorf("%s:%d: %s: span index %d, but the line has %d spans", name, line, path, i, len(spans))
		}
		return i, nil
	}
	out := make([]Relation, 0, len(in))
	for i, r := range in {
		path := fmt.Sprintf("$.relations[%d]", i)
		if r.Type == "" {
			return nil, fmt.Errorf("%s:%d: %s.type: missing", name, line, path)
		}
		from, err := end(path+".from", r.From)
		if err != nil {
			return nil, err
		}
		to, err := end(path+".to", r.To)
		if err != nil {
			return nil, err
		}
		if from == to {
			return nil, fmt.Errorf("%s:%d: %s: from and to are the same span (%d)", name, line, path, from)
		}
		rel := Relation{ID: uuidOrEmpty(r.ID), Type: r.Type, TypeID: uuidOrEmpty(r.TypeID), From: from, To: to,
			Annotator: r.Annotator, AnnotatorID: uuidOrEmpty(r.AnnotatorID), Line: line, Path: path}
		if rel.Attrs, err = jsonAttrs(r.Attrs, path+".attrs"); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, line, err)
		}
		if rel.Created, err = times.parse(r.Created); err != nil {
			return nil, fmt.Errorf("%s:%d: %s.created: %v", name, line, path, err)
		}
		if rel.Updated, err = times.parse(r.Updated); err != nil {
			return nil, fmt.Errorf("%s:%d: %s.updated: %v", name, line, path, err)
		}
		out = append(out, rel)
	}
	return out, nil
}

// glossSuggestions reads the "suggestions" of a Gloss JSONL line: start,
// end and label required, the offsets (UTF-16 units when u16) checked
// against the text t as the store checks a span's, the text, when given,
// equal to the covered text, and the score, when given, in [0, 1] (1 when
// it is missing).
func glossSuggestions(name string, line int, in []glossInSuggestion, t *offsets.Text, u16 bool, times *timeCache) ([]Suggestion, error) {
	out := make([]Suggestion, 0, len(in))
	for i, s := range in {
		path := fmt.Sprintf("$.suggestions[%d]", i)
		if s.Start == nil || s.End == nil {
			return nil, fmt.Errorf("%s:%d: %s: start and end are required", name, line, path)
		}
		if s.Label == "" {
			return nil, fmt.Errorf("%s:%d: %s.label: missing", name, line, path)
		}
		start, end := *s.Start, *s.End
		if u16 {
			var err error
			if start, err = t.CodePointFromUTF16(start); err == nil {
				end, err = t.CodePointFromUTF16(end)
			}
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %s: %v", name, line, path, err)
			}
		}
		covered, err := suggestionExtent(t, start, end, s.Text)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %s: %v", name, line, path, err)
		}
		score := 1.0
		if s.Score != nil {
			if score = *s.Score; !validScore(score) {
				return nil, fmt.Errorf("%s:%d: %s.score: %v", name, line, path, scoreError(strconv.FormatFloat(score, 'g', -1, 64)))
			}
		}
		sg := Suggestion{
			ID: uuidOrEmpty(s.ID), Start: start, End: end, Label: s.Label, LabelID: uuidOrEmpty(s.LabelID),
			Text: covered, Annotator: s.Annotator, AnnotatorID: uuidOrEmpty(s.AnnotatorID), Score: score,
			Source: s.Source, Rule: s.Rule, ModelVersion: s.ModelVersion, Line: line, Path: path,
		}
		if sg.Created, err = times.parse(s.Created); err != nil {
			return nil, fmt.Errorf("%s:%d: %s.created: %v", name, line, path, err)
		}
		out = append(out, sg)
	}
	return out, nil
}

// MaxJSONLine bounds one line of a JSON Lines file: the article size limit
// with 16 MB of room for its spans. A longer line is refused before it
// fills memory.
const MaxJSONLine = MaxArticleBytes + 16<<20

// invalidUTF8 names the line and byte column of the first invalid UTF-8 in
// raw, which starts at line. encoding/json would quietly turn it into U+FFFD;
// Gloss refuses it, as it does in articles.
func invalidUTF8(name string, raw []byte, line int) error {
	off := 0
	for off < len(raw) {
		r, n := utf8.DecodeRune(raw[off:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		off += n
	}
	l := lineIn(raw, line, int64(off))
	col := off - (bytes.LastIndexByte(raw[:off], '\n') + 1) + 1
	return fmt.Errorf("%s:%d: not valid UTF-8 at column %d (byte 0x%02X); Gloss reads UTF-8 only", name, l, col, raw[min(off, len(raw)-1)])
}

// jsonLines calls fn with every non-blank line of r and its 1-based number.
// The line's bytes are valid only during the call.
func jsonLines(name string, r io.Reader, fn func(raw []byte, line int) error) error {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 1<<20)
	}
	var long []byte
	for line := 1; ; line++ {
		b, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			long = append(long[:0], b...)
			for err == bufio.ErrBufferFull {
				b, err = br.ReadSlice('\n')
				long = append(long, b...)
				if len(long) > MaxJSONLine {
					return fmt.Errorf("%s:%d: the line is longer than %d MB: not a JSON Lines file, or a document over the size limit", name, line, MaxJSONLine>>20)
				}
			}
			b = long
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
		b = bytes.TrimRight(b, "\r\n")
		if len(bytes.TrimSpace(b)) > 0 {
			if line == 1 {
				b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
			}
			if !utf8.Valid(b) {
				return invalidUTF8(name, b, line)
			}
			if ferr := fn(b, line); ferr != nil {
				return ferr
			}
		}
		if err == io.EOF {
			return nil
		}
		if cap(long) > 16<<20 {
			long = nil
		}
	}
}

// timeCache parses times, remembering the last few: an export repeats
// them (a span's created and updated, spans made in one session).
type timeCache struct {
	last [4]struct {
		s string
		t time.Time
	}
	next int
}

func (c *timeCache) parse(s string) (time.Time, error) {
	for _, e := range c.last {
		if e.s == s && s != "" {
			return e.t, nil
		}
	}
	t, err := parseTime(s)
	if err == nil && s != "" {
		c.last[c.next].s, c.last[c.next].t = s, t
		c.next = (c.next + 1) % len(c.last)
	}
	return t, err
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

// jsonlUnit says whether a Gloss JSONL line's offsets are UTF-16 units: its
// marker, unless the caller named a unit.
func jsonlUnit(unit OffsetUnit, marker string) (bool, error) {
	switch {
	case unit != UnitDefault:
		return unit == UnitUTF16, nil
	case marker == "", marker == string(UnitCodePoints):
		return false, nil
	case marker == string(UnitUTF16):
		return true, nil
	}
	return false, fmt.Errorf("unknown offset unit %q (known: %s, %s)", marker, UnitCodePoints, UnitUTF16)
}
