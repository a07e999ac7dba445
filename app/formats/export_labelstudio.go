package formats

import (
	"io"
)

// labelStudioExporter writes a Label Studio JSON task list, streamed: "["
// first, one task per line separated by commas, "]" at the end:
//
//	{"id":1,"data":{"text"},"meta":{"id","title"},
//	 "annotations":[{"completed_by":"ana","result":[{"id","from_name":"label","to_name":"text",
//	   "type":"labels","value":{"start","end","text","labels":["Claim"]}}]}]}
//
// "id" counts the tasks from 1 (Label Studio's ids are numbers); the Gloss
// id and title are in "meta". There is one annotation per annotator (with
// a status or a span on the document; an empty result says "nothing to
// label here"). completed_by is the annotator's name: Label Studio gives
// imported annotations to the importing user. The labelling config must
// name its <Labels> "label" and its <Text> "text".
type labelStudioExporter struct {
	base
	w io.Writer
}

func (e *labelStudioExporter) Write(d Doc) error {
	t, err := e.checked(d)
	if err != nil {
		return err
	}
	b := e.buf[:0]
	if e.sum.Records == 0 {
		b = append(b, '[', '\n')
	} else {
		b = append(b, ',', '\n')
	}
	b = append(b, '{')
	b = appendIntField(b, "id", e.sum.Records+1, true)
	b = append(appendKey(b, "data", false), '{')
	b = appendStringField(b, "text", d.Text, true)
	b = append(b, '}')
	b = append(appendKey(b, "meta", false), '{')
	b = appendStringField(b, "id", d.ID, true)
	b = appendStringField(b, "title", d.Title, false)
	b = append(b, '}')
	b = append(appendKey(b, "annotations", false), '[')
	for i, a := range annotatorsOf(d) {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		b = appendStringField(b, "completed_by", a.name, true)
		b = append(appendKey(b, "result", false), '[')
		for j, s := range spansOf(d, a) {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			b = appendStringField(b, "id", s.ID, true)
			b = appendStringField(b, "from_name", "label", false)
			b = appendStringField(b, "to_name", "text", false)
			b = appendStringField(b, "type", "labels", false)
			b = append(appendKey(b, "value", false), '{')
			b = appendIntField(b, "start", e.off(t, s.Start), true)
			b = appendIntField(b, "end", e.off(t, s.End), false)
			b = appendStringField(b, "text", s.Text, false)
			b = append(appendKey(b, "labels", false), '[')
			b = appendJSONString(b, s.Label)
			b = append(b, ']', '}', '}')
		}
		b = append(b, ']', '}')
	}
	b = append(b, ']', '}')
	if err := e.emit(e.w, b); err != nil {
		return err
	}
	e.wrote(d.ID, 1, len(d.Spans), 0, 0)
	return nil
}

func (e *labelStudioExporter) Close() (Summary, error) {
	end := "\n]\n"
	if e.sum.Records == 0 {
		end = "[]\n"
	}
	if _, err := io.WriteString(e.w, end); err != nil {
		return Summary{}, err
	}
	return e.summary(), nil
}
