package formats

import (
	"encoding/csv"
	"io"
	"strconv"
)

// csvHeader is the first row of the CSV export.
var csvHeader = []string{"document_id", "title", "start", "end", "label", "text", "annotator", "note"}

// csvExporter writes a header and one row per span through encoding/csv
// (RFC 4180 quoting: fields with commas, quotes or line breaks are quoted,
// quotes doubled). Rows end in LF, not CRLF: with CRLF encoding/csv would
// also turn the line feeds inside span texts and notes into CRLF, and the
// text column must stay exactly the document's text. A document without
// spans has no row.
type csvExporter struct {
	base
	w   *csv.Writer
	row []string
}

func newCSVExporter(b base, w io.Writer) *csvExporter {
	return &csvExporter{base: b, w: csv.NewWriter(w), row: make([]string, len(csvHeader))}
}

func (e *csvExporter) Write(d Doc) error {
	t, err := e.checked(d)
	if err != nil {
		return err
	}
	if e.sum.Documents == 0 && e.sum.Records == 0 {
		if err := e.w.Write(csvHeader); err != nil {
			return err
		}
	}
	for _, s := range d.Spans {
		e.row[0], e.row[1] = d.ID, d.Title
		e.row[2] = strconv.Itoa(e.off(t, s.Start))
		e.row[3] = strconv.Itoa(e.off(t, s.End))
		e.row[4], e.row[5], e.row[6], e.row[7] = s.Label, s.Text, s.Annotator, s.Note
		if err := e.w.Write(e.row); err != nil {
			return err
		}
		e.sum.Records++
	}
	e.w.Flush()
	if err := e.w.Error(); err != nil {
		return err
	}
	e.sum.Documents++
	e.sum.Spans += len(d.Spans)
	return nil
}

func (e *csvExporter) Close() (Summary, error) {
	if e.sum.Documents == 0 && e.sum.Records == 0 {
		if err := e.w.Write(csvHeader); err != nil {
			return Summary{}, err
		}
	}
	e.w.Flush()
	return e.summary(), e.w.Error()
}
