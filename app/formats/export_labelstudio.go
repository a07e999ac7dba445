package formats

import (
	"io"
	"slices"
	"strings"

	"gloss/app/offsets"
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
//
// Suggestions go into "predictions", beside "annotations", never into
// them: one prediction per annotator and source (in the order they come),
//
//	"predictions":[{"model_version":"tagger v3","score":0.8,"result":[{"id","from_name":"label",
//	  "to_name":"text","type":"labels","value":{"start","end","text","labels":["Claim"]},"score":0.9}]}]
//
// model_version is the suggestions' Source and ModelVersion ("tagger 3",
// "pattern"; read back, all of it is the ModelVersion, so a second export
// writes it again); the prediction's score is the mean of its results' (Label
// Studio sorts tasks by it); each result has the shape of an annotation's,
// its id the suggestion's, plus its own score. The key is there only when
// the document has suggestions.
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
	b = append(b, ']')
	if len(d.Suggestions) > 0 {
		b = e.appendPredictions(appendKey(b, "predictions", false), d, t)
	}
	b = append(b, '}')
	if err := e.emit(e.w, b); err != nil {
		return err
	}
	e.wrote(d.ID, 1, len(d.Spans), 0, 0)
	e.sum.Suggestions += len(d.Suggestions)
	return nil
}

// appendPredictions appends d's suggestions as a Label Studio predictions
// array.
func (e *labelStudioExporter) appendPredictions(b []byte, d Doc, t *offsets.Text) []byte {
	type group struct {
		annotator, annotatorID, source, version string
	}
	var groups []group
	for _, s := range d.Suggestions {
		g := group{s.Annotator, s.AnnotatorID, s.Source, s.ModelVersion}
		if !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	b = append(b, '[')
	for i, g := range groups {
		if i > 0 {
			b = append(b, ',')
		}
		version := strings.TrimSpace(g.source + " " + g.version)
		sum, n := 0.0, 0
		for _, s := range d.Suggestions {
			if (group{s.Annotator, s.AnnotatorID, s.Source, s.ModelVersion}) == g {
				sum += s.Score
				n++
			}
		}
		b = append(b, '{')
		b = appendStringField(b, "model_version", version, true)
		b = appendFloatField(b, "score", sum/float64(n), false)
		b = append(appendKey(b, "result", false), '[')
		first := true
		for _, s := range d.Suggestions {
			if (group{s.Annotator, s.AnnotatorID, s.Source, s.ModelVersion}) != g {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
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
			b = append(b, ']', '}')
			b = appendFloatField(b, "score", s.Score, false)
			b = append(b, '}')
		}
		b = append(b, ']', '}')
	}
	return append(b, ']')
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
