package formats

import (
	"io"
	"strconv"
)

// doccanoExporter writes doccano's sequence-labelling JSONL: one line per
// document,
//
//	{"id","text","label":[[start,end,"LABEL"],...]}
//
// with every kept span (doccano's triples carry no annotator: pick one with
// --annotator or --gold, or the layers are merged and the summary counts
// the documents concerned).
type doccanoExporter struct {
	base
	w io.Writer
}

func (e *doccanoExporter) Write(d Doc) error {
	t, err := e.checked(d)
	if err != nil {
		return err
	}
	b := append(e.buf[:0], '{')
	b = appendStringField(b, "id", d.ID, true)
	b = appendStringField(b, "text", d.Text, false)
	b = append(appendKey(b, "label", false), '[')
	for i, s := range d.Spans {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(e.off(t, s.Start)), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(e.off(t, s.End)), 10)
		b = append(b, ',')
		b = appendJSONString(b, s.Label)
		b = append(b, ']')
	}
	b = append(b, ']', '}', '\n')
	if err := e.emit(e.w, b); err != nil {
		return err
	}
	e.mixed(d)
	e.wrote(d.ID, 1, len(d.Spans), 0, 0)
	return nil
}

func (e *doccanoExporter) Close() (Summary, error) { return e.summary(), nil }
