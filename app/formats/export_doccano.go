package formats

import (
	"io"
	"strconv"
)

// doccanoExporter writes doccano's JSONL: one line per document. A
// document without relations is written in the sequence-labelling form,
//
//	{"id","text","label":[[start,end,"LABEL"],...]}
//
// and one with relations in the relation-extraction form, which doccano
// imports and exports for its relation projects,
//
//	{"id","text","entities":[{"id","label","start_offset","end_offset"}],
//	 "relations":[{"id","from_id","to_id","type"}]}
//
// where an entity's id is its index in "entities" and a relation's its
// index in "relations" (doccano's ids are numbers), from_id and to_id
// entity ids. Every kept span is written (doccano's spans carry no
// annotator: pick one with --annotator or --gold, or the layers are merged
// and the summary counts the documents concerned). doccano has no
// attributes: they are left out and counted.
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
	if len(d.Relations) == 0 {
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
	} else {
		b = append(appendKey(b, "entities", false), '[')
		for i, s := range d.Spans {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			b = appendIntField(b, "id", i, true)
			b = appendStringField(b, "label", s.Label, false)
			b = appendIntField(b, "start_offset", e.off(t, s.Start), false)
			b = appendIntField(b, "end_offset", e.off(t, s.End), false)
			b = append(b, '}')
		}
		b = append(b, ']')
		b = append(appendKey(b, "relations", false), '[')
		for i, r := range d.Relations {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			b = appendIntField(b, "id", i, true)
			b = appendIntField(b, "from_id", r.From, false)
			b = appendIntField(b, "to_id", r.To, false)
			b = appendStringField(b, "type", r.Type, false)
			b = append(b, '}')
		}
		b = append(b, ']', '}', '\n')
	}
	if err := e.emit(e.w, b); err != nil {
		return err
	}
	e.mixed(d)
	e.wrote(d.ID, 1, len(d.Spans), 0, 0)
	e.sum.Relations += len(d.Relations)
	return nil
}

func (e *doccanoExporter) Close() (Summary, error) { return e.summary(), nil }
