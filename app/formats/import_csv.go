package formats

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// csvRequired are the columns a CSV must have; the others of csvHeader
// (title, text, annotator, note) may be missing.
var csvRequired = []string{"document_id", "start", "end", "label"}

// readCSV reads the CSV the csv export writes: a header (the columns in
// any order, named as csvHeader names them, any case), then one row per
// span. The file has no document texts, so a row's document is found by
// its document_id through opts.Texts, and the row's span is added to it:
// without Texts, or for an ID it does not know, the file is refused. Rows
// of one document one after another make one record; the same document
// again later is another record of the same text, which the store finds.
//
// start and end count code points, or UTF-16 units with opts.Offsets
// (the export's --offsets). text, when given, must be the covered text;
// annotator "" is the import's annotator. Unknown columns are counted as
// "csv column NAME" (a cell that is not empty). Quoting is RFC 4180
// (encoding/csv); a BOM is dropped, rows may end in CRLF, and a header
// separated by ";" or tabs (as spreadsheets save CSV in some locales) is
// read with that separator. Line breaks inside a quoted field come back as
// LF: a note written with CRLF comes back with LF.
func readCSV(name string, br *bufio.Reader, opts ReadOptions, rep *Report, fn func(Doc) error) error {
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	head, _ := br.Peek(4 << 10)
	if len(bytes.TrimSpace(head)) == 0 {
		return fmt.Errorf("%s: empty file (want a header: %s)", name, strings.Join(csvHeader, ","))
	}
	cr := csv.NewReader(br)
	cr.Comma = csvSeparator(head)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return csvError(name, err)
	}
	cols := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !utf8.ValidString(h) {
			return fmt.Errorf("%s:1: column %d: not valid UTF-8", name, i+1)
		}
		if _, dup := cols[h]; dup && h != "" {
			return fmt.Errorf("%s:1: column %q twice in the header", name, h)
		}
		cols[h] = i
		header[i] = h
	}
	for _, c := range csvRequired {
		if _, ok := cols[c]; !ok {
			return fmt.Errorf("%s:1: no column %q in the header %q (a span needs %s; Gloss writes %s)",
				name, c, strings.Join(header, string(cr.Comma)), strings.Join(csvRequired, ", "), strings.Join(csvHeader, ","))
		}
	}
	unit := opts.Offsets
	if unit == UnitDefault {
		unit = UnitCodePoints
	}
	r := &csvRows{name: name, cols: cols, header: header, opts: opts, unit: unit, rep: rep, fn: fn}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		if err := r.row(rec, line); err != nil {
			return err
		}
	}
	return r.flush()
}

// csvSeparator is the separator of the header, the first line of head:
// a comma, unless the line names document_id with a semicolon or a tab
// after it and no comma.
func csvSeparator(head []byte) rune {
	first, _, _ := bytes.Cut(head, []byte("\n"))
	for _, sep := range []byte{';', '\t'} {
		if bytes.IndexByte(first, ',') < 0 && bytes.IndexByte(first, sep) >= 0 {
			return rune(sep)
		}
	}
	return ','
}

// looksCSV reports whether head starts with a header the csv import reads.
func looksCSV(head []byte) bool {
	first, _, _ := bytes.Cut(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), []byte("\n"))
	sep := csvSeparator(first)
	names := map[string]bool{}
	for f := range strings.SplitSeq(strings.ToLower(string(first)), string(sep)) {
		names[strings.Trim(strings.TrimSpace(f), `"`)] = true
	}
	for _, c := range csvRequired {
		if !names[c] {
			return false
		}
	}
	return true
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if pe.StartLine != pe.Line {
			return fmt.Errorf("%s:%d: invalid CSV: %v (in the row that starts here, at line %d, column %d)", name, pe.StartLine, pe.Err, pe.Line, pe.Column)
		}
		return fmt.Errorf("%s:%d: invalid CSV: %v (column %d)", name, pe.Line, pe.Err, pe.Column)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// csvRows turns rows into records, one document's rows at a time.
type csvRows struct {
	name   string
	cols   map[string]int
	header []string
	opts   ReadOptions
	unit   OffsetUnit
	rep    *Report
	fn     func(Doc) error

	id     string // of the document being read, "" before the first row
	doc    Doc
	placer *spanPlacer
}

func (r *csvRows) flush() error {
	if r.id == "" {
		return nil
	}
	r.id = ""
	return r.fn(r.doc)
}

// cell is row's value of column c, "" when the file has no such column.
func (r *csvRows) cell(rec []string, c string) string {
	if i, ok := r.cols[c]; ok {
		return rec[i]
	}
	return ""
}

func (r *csvRows) row(rec []string, line int) error {
	name := r.name
	if len(rec) != len(r.header) {
		return fmt.Errorf("%s:%d: %d fields, but the header has %d", name, line, len(rec), len(r.header))
	}
	for i, v := range rec {
		if !utf8.ValidString(v) {
			return fmt.Errorf("%s:%d: column %s: not valid UTF-8", name, line, r.header[i])
		}
	}
	id := strings.TrimSpace(r.cell(rec, "document_id"))
	if id == "" {
		return fmt.Errorf("%s:%d: column document_id: empty (every row is a span of a document)", name, line)
	}
	if id != r.id {
		if err := r.flush(); err != nil {
			return err
		}
		if err := r.start(id, rec, line); err != nil {
			return err
		}
	}
	var pos [2]int
	for i, c := range []string{"start", "end"} {
		v := strings.TrimSpace(r.cell(rec, c))
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("%s:%d: column %s: %q is not a whole number", name, line, c, v)
		}
		pos[i] = n
	}
	start, end, err := r.placer.place(pos[0], pos[1], r.unit)
	if err != nil {
		return fmt.Errorf("%s:%d: columns start, end: %v", name, line, err)
	}
	for i, v := range rec {
		if _, known := csvColumn[r.header[i]]; !known && v != "" {
			r.rep.skip("csv column "+r.header[i], 1)
		}
	}
	text := r.cell(rec, "text")
	if covered, ok := r.placer.rawSlice(start, end); ok && covered != text && strings.Contains(covered, "\r") && normalizeNewlines(covered) == text {
		// A stored text with CRLF (Gloss JSONL keeps it): encoding/csv
		// reads the CRLF of a quoted field as LF.
		text = covered
	}
	r.doc.Spans = append(r.doc.Spans, Span{
		Start: start, End: end, Label: strings.TrimSpace(r.cell(rec, "label")),
		Text:      text,
		Annotator: strings.TrimSpace(r.cell(rec, "annotator")),
		Note:      r.cell(rec, "note"),
		Line:      line,
	})
	return nil
}

// csvColumn are the columns the csv import reads.
var csvColumn = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range csvHeader {
		m[c] = true
	}
	return m
}()

// start begins the record of document id, found through opts.Texts.
func (r *csvRows) start(id string, rec []string, line int) error {
	name := r.name
	if r.opts.Texts == nil {
		return fmt.Errorf("%s:%d: column document_id: a CSV has no document texts, so its spans can only go onto documents already in the database, found by document_id; this import has no database to look in", name, line)
	}
	text, ok, err := r.opts.Texts(id)
	if err != nil {
		return fmt.Errorf("%s:%d: column document_id: document %s: %w", name, line, id, err)
	}
	if !ok {
		return fmt.Errorf("%s:%d: column document_id: no document %s in the database (a CSV has no document texts: import the documents first, for example as Gloss JSONL, then their spans as CSV)", name, line, id)
	}
	title := strings.TrimSpace(r.cell(rec, "title"))
	if title == "" {
		title = recordTitle(text)
	}
	r.id = id
	r.doc = Doc{ID: uuidOrEmpty(id), Title: title, Text: text, Format: "csv", Name: name, Line: line}
	// The stored text, as it is: its offsets count every CR it has.
	r.placer = &spanPlacer{le: &lineEnds{raw: text, text: text}}
	return nil
}
