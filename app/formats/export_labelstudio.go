package formats

import (
	"io"
	"slices"
	"strconv"
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
// A span's result id (its region's) is the span's ID, or "gloss-N" (N its
// index in the document) for a span without one, or with one an earlier
// span has, when the document has relations or the span attributes
// (lsRegionIDs). Each attribute of a span follows the
// span's result as a result of the same region, named by from_name the
// attribute's name,
//
//	{"id","from_name":"certainty","to_name":"text","type":"choices",
//	 "value":{"start","end","text","choices":["High"]}}
//
// of type "number" ("number": 3.5) for a number attribute of the schema
// whose value reads back the same, "textarea" ("text": ["..."], in place
// of the region's text) for a text one, "choices" (the value as the one
// choice) for any other. Then
// come the annotation's relations, those whose two ends are the
// annotator's,
//
//	{"from_id","to_id","type":"relation","direction":"right","labels":["supports"]}
//
// "direction" "bi" for a type the schema declares symmetric. A relation
// whose ends are two annotators' is left out (Summary.RelationsLeftOut),
// as are the attributes of relations, which Label Studio does not have
// (Summary.AttributesLeftOut).
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
	regions := lsRegionIDs(d)
	rels := 0
	for i, a := range annotatorsOf(d) {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		b = appendStringField(b, "completed_by", a.name, true)
		b = append(appendKey(b, "result", false), '[')
		n := 0
		comma := func() {
			if n > 0 {
				b = append(b, ',')
			}
			n++
		}
		mine := func(s Span) bool { return s.Annotator == a.name && s.AnnotatorID == a.id }
		for k, s := range d.Spans {
			if !mine(s) {
				continue
			}
			comma()
			b = append(b, '{')
			b = appendStringField(b, "id", regions[k], true)
			b = appendStringField(b, "from_name", "label", false)
			b = appendStringField(b, "to_name", "text", false)
			b = appendStringField(b, "type", "labels", false)
			b = append(appendKey(b, "value", false), '{')
			b = e.appendRegion(b, t, s)
			b = append(appendKey(b, "labels", false), '[')
			b = appendJSONString(b, s.Label)
			b = append(b, ']', '}', '}')
			for _, at := range s.Attrs {
				comma()
				b = e.appendAttr(b, t, regions[k], s, at)
			}
		}
		for _, r := range d.Relations {
			if !mine(d.Spans[r.From]) || !mine(d.Spans[r.To]) {
				continue
			}
			rels++
			comma()
			dir := "right"
			if e.schema.symmetric(r.Type) {
				dir = "bi"
			}
			b = append(b, '{')
			b = appendStringField(b, "from_id", regions[r.From], true)
			b = appendStringField(b, "to_id", regions[r.To], false)
			b = appendStringField(b, "type", "relation", false)
			b = appendStringField(b, "direction", dir, false)
			b = append(appendKey(b, "labels", false), '[')
			b = appendJSONString(b, r.Type)
			b = append(b, ']', '}')
		}
		b = append(b, ']', '}')
	}
	b = append(b, ']')
	_, relAttrs := attrCounts(d) // Label Studio's relations have none
	e.sum.AttributesLeftOut += relAttrs
	e.sum.Relations += rels
	e.sum.RelationsLeftOut += len(d.Relations) - rels
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

// lsRegionIDs are the result ids of d's spans: a span's ID, else (for a
// span that a relation or an attribute names) one made up, "gloss-N" with
// N its index. A region id is one region of the task for Label Studio and
// for Gloss's reader, so an ID that an earlier span has, or that is the
// made-up id of another span, is not used twice: the span gets
// "gloss-N" (then "gloss-N-2", ...) when anything names it.
func lsRegionIDs(d Doc) []string {
	regions := make([]string, len(d.Spans))
	named := len(d.Relations) > 0
	taken := make(map[string]bool, len(d.Spans))
	for _, s := range d.Spans {
		if s.ID != "" {
			taken[s.ID] = true
		}
	}
	used := make(map[string]bool, len(d.Spans))
	for i, s := range d.Spans {
		if s.ID != "" && !used[s.ID] {
			regions[i] = s.ID
			used[s.ID] = true
			continue
		}
		if s.ID == "" && !named && len(s.Attrs) == 0 {
			continue // nothing names it: no id, as before
		}
		id := "gloss-" + strconv.Itoa(i)
		for n := 2; taken[id] || used[id]; n++ {
			id = "gloss-" + strconv.Itoa(i) + "-" + strconv.Itoa(n)
		}
		regions[i] = id
		used[id] = true
	}
	return regions
}

// appendRegion appends the offsets and text of a region's value.
func (e *labelStudioExporter) appendRegion(b []byte, t *offsets.Text, s Span) []byte {
	b = appendIntField(b, "start", e.off(t, s.Start), true)
	b = appendIntField(b, "end", e.off(t, s.End), false)
	return appendStringField(b, "text", s.Text, false)
}

// appendAttr appends an attribute of the span s (region id) as a result of
// the region: a number attribute of the schema as "number" when its value
// reads back the same, a text one as "textarea", any other as "choices"
// (one choice, the value).
func (e *labelStudioExporter) appendAttr(b []byte, t *offsets.Text, id string, s Span, at Attr) []byte {
	kind := "choices"
	var num float64
	if def, ok := e.schema.attributeOf(at.Name); ok {
		switch def.Kind {
		case AttrText:
			kind = "textarea"
		case AttrNumber:
			if v, ok := canonicalNumber(at.Value); ok {
				kind, num = "number", v
			} else {
				kind = "textarea"
			}
		}
	}
	b = append(b, '{')
	b = appendStringField(b, "id", id, true)
	b = appendStringField(b, "from_name", at.Name, false)
	b = appendStringField(b, "to_name", "text", false)
	b = appendStringField(b, "type", kind, false)
	b = append(appendKey(b, "value", false), '{')
	if kind == "textarea" {
		// Its "text" is the attribute's, not the region's.
		b = appendIntField(b, "start", e.off(t, s.Start), true)
		b = appendIntField(b, "end", e.off(t, s.End), false)
	} else {
		b = e.appendRegion(b, t, s)
	}
	switch kind {
	case "number":
		b = appendFloatField(b, "number", num, false)
	case "textarea":
		b = append(appendKey(b, "text", false), '[')
		b = appendJSONString(b, at.Value)
		b = append(b, ']')
	default:
		b = append(appendKey(b, "choices", false), '[')
		b = appendJSONString(b, at.Value)
		b = append(b, ']')
	}
	return append(b, '}', '}')
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
