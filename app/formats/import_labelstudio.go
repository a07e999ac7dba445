package formats

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gloss/app/offsets"
)

// readLabelStudio reads a Label Studio JSON export: an array of tasks (or a
// single task object, as Label Studio 0.x saved one completion file per
// task), streamed one task at a time.
//
//   - text: data.text, else the only string in data, else a flat "text".
//   - annotations: "annotations" (Label Studio 1.x) or "completions" (0.x);
//     each result item of type "labels" with value.start/end becomes one
//     span per label in value.labels (a region, named by the result's id
//     within the annotation; the "labels" results of two <Labels> on one
//     region, one id and one extent, are that one region).
//   - a result of type "choices", "textarea" or "number" with the id of a
//     region is an attribute of its spans (lsAttr): named by from_name,
//     valued by the choices joined by ",", the textarea's lines joined by
//     "\n", or the number. One with no region's id (a choice about the
//     whole text) is counted.
//   - a result of type "relation" (from_id, to_id: region ids; "labels";
//     "direction" right, left or bi) is a relation per label (lsRelation):
//     "left" runs from to_id to from_id. An unlabelled one is counted; one
//     naming no region of its annotation, or the same region twice, is an
//     error.
//   - Other result types (rating, hypertextlabels, ...) are counted.
//   - completed_by is the annotator: an email, or "Label Studio user N" for
//     a bare user number; none: the importing analyst. created_at and
//     updated_at date the spans; a submitted annotation marks the document
//     done for its annotator. Cancelled (skipped) annotations are counted,
//     not kept.
//   - predictions (a model's pre-annotations) become suggestions, never
//     spans (lsPredictions): each "labels" result one per label, placed and
//     checked like an annotation's, scored by the result's "score", else
//     its value's, else the prediction's, else 1; model_version is the
//     suggestion's ModelVersion. A prediction without any is counted.
//   - meta.id (the document) and a result's id (the span; its first
//     label's span when it has several) are kept when they are UUIDs, as
//     Gloss writes them; Label Studio's own are not, and are ignored, as
//     is a result id met before in the task.
//   - value.text is checked against the offsets, allowing for Label
//     Studio's habit of collapsing white space in it; when it matches only
//     with the offsets read as UTF-16 units, they are read so; when it is
//     found one code point longer, the end was written inclusive (Label
//     Studio 0.x files have this) and is corrected, counted in the report's
//     Corrected. Any other mismatch is an error.
func readLabelStudio(name string, br *bufio.Reader, rewind func() (*bufio.Reader, error), opts ReadOptions, rep *Report, fn func(Doc) error) error {
	// Peek the first byte to tell an array from one task.
	head, err := br.Peek(1 << 10)
	trim := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(trim) == 0 {
		if err != nil && err != io.EOF {
			return fmt.Errorf("%s: %w", name, err)
		}
		return fmt.Errorf("%s: empty file", name)
	}
	// Each task is read by fastLS when it can, else by lsTask.
	fast := &fastLS{name: name, opts: opts}
	fast.p.valid = true // try checks the UTF-8
	try := func(raw []byte, line int, path string) (bool, error) {
		if !fastReaders || !utf8.Valid(raw) {
			return false, nil
		}
		rec, ok := fast.task(raw, line, path, rep)
		if !ok {
			return false, nil
		}
		return true, fn(rec)
	}
	slow := func(raw []byte, line int, path string) error {
		return lsTask(name, raw, line, path, opts, rep, fn)
	}
	if trim[0] != '[' {
		valuePath := func(index int) string {
			if index > 0 {
				return fmt.Sprintf("$<value %d>", index+1)
			}
			return "$"
		}
		return fastValues(name, br, func(raw []byte, line, index int) (bool, error) {
			return try(raw, line, valuePath(index))
		}, func(raw json.RawMessage, line, index int) error {
			if done, err := try(raw, line, valuePath(index)); done || err != nil {
				return err
			}
			return slow(raw, line, valuePath(index))
		})
	}
	task := func(raw []byte, line int, path string) error {
		if done, err := try(raw, line, path); done || err != nil {
			return err
		}
		return slow(raw, line, path)
	}
	if fastReaders && rewind != nil {
		return fast.array(br, rewind, try, slow)
	}
	return lsArray(name, br, task)
}

type lsValue struct {
	Start  json.RawMessage `json:"start"`
	End    json.RawMessage `json:"end"`
	Text   *string         `json:"text"`
	Labels []string        `json:"labels"`
	Score  json.RawMessage `json:"score"` // of a prediction's region, as Label Studio's examples have it
}

type lsResult struct {
	ID    json.RawMessage `json:"id"`
	Type  string          `json:"type"`
	Value json.RawMessage `json:"value"`
	Score json.RawMessage `json:"score"` // of a prediction's region
	// Of an attribute (choices, textarea, number: from_name) and a
	// relation (the rest), read only for those types: raw, so that a
	// "labels" result reads the same whatever they hold.
	FromName  json.RawMessage `json:"from_name"`
	FromID    json.RawMessage `json:"from_id"`
	ToID      json.RawMessage `json:"to_id"`
	Direction json.RawMessage `json:"direction"`
	Labels    json.RawMessage `json:"labels"`
}

// lsAttrTypes are the result types read as attributes of a region.
var lsAttrTypes = map[string]bool{"choices": true, "textarea": true, "number": true}

// lsPrediction is a prediction, its fields read when used (lsPredictions),
// so that a field of another shape is explained with its path. A
// prediction that is not an object (a prediction's number, as some
// exports list them) is not one to read: object is false.
type lsPrediction struct {
	ModelVersion json.RawMessage `json:"model_version"`
	Score        json.RawMessage `json:"score"`
	CreatedAt    json.RawMessage `json:"created_at"`
	Result       json.RawMessage `json:"result"`
	object       bool
}

func (p *lsPrediction) UnmarshalJSON(b []byte) error {
	if b = bytes.TrimSpace(b); len(b) == 0 || b[0] != '{' {
		return nil
	}
	type fields lsPrediction // without this method
	if err := json.Unmarshal(b, (*fields)(p)); err != nil {
		return err
	}
	p.object = true
	return nil
}

type lsAnnotation struct {
	CompletedBy  json.RawMessage `json:"completed_by"`
	CreatedAt    string          `json:"created_at"`
	UpdatedAt    string          `json:"updated_at"`
	WasCancelled bool            `json:"was_cancelled"`
	Result       []lsResult      `json:"result"`
}

type lsTaskJSON struct {
	Data        json.RawMessage `json:"data"`
	Meta        json.RawMessage `json:"meta"`
	Text        *string         `json:"text"`
	Annotations []lsAnnotation  `json:"annotations"`
	Completions []lsAnnotation  `json:"completions"`
	Predictions []lsPrediction  `json:"predictions"`
}

func lsTask(name string, raw json.RawMessage, line int, path string, opts ReadOptions, rep *Report, fn func(Doc) error) error {
	var task lsTaskJSON
	if err := json.Unmarshal(raw, &task); err != nil {
		return jsonTypeError(name, raw, line, path, err)
	}
	text, err := lsText(task)
	if err != nil {
		return jerr(name, line, path, "%v", err)
	}
	pl := newSpanPlacer(text)
	rec := Doc{Name: name, Line: line, Path: path, Text: pl.text(), Title: recordTitle(pl.text()), Format: "labelstudio"}
	if len(task.Meta) > 0 {
		var meta map[string]json.RawMessage
		if json.Unmarshal(task.Meta, &meta) == nil {
			rec.ID = jsonUUID(meta["id"]) // Gloss writes its document id here
		}
	}
	var ids map[string]bool // span IDs taken in this task: a repeat gets a new one
	anns, key := task.Annotations, "annotations"
	if len(anns) == 0 && len(task.Completions) > 0 {
		anns, key = task.Completions, "completions"
	}
	for ai, a := range anns {
		apath := fmt.Sprintf("%s.%s[%d]", path, key, ai)
		if a.WasCancelled {
			rep.skip("labelstudio cancelled annotation", 1)
			continue
		}
		annotator := lsAnnotator(a.CompletedBy)
		created, _ := parseLSTime(a.CreatedAt)
		updated, _ := parseLSTime(a.UpdatedAt)
		if updated.IsZero() {
			updated = created
		}
		if annotator != "" {
			rec.Annotators = append(rec.Annotators, annotator)
		}
		rec.Statuses = append(rec.Statuses, Status{Annotator: annotator, Status: "done", Updated: updated})
		regions := map[string][]int{} // a region id: its spans (indexes into rec.Spans)
		for ri, res := range a.Result {
			rpath := fmt.Sprintf("%s.result[%d]", apath, ri)
			if res.Type != "labels" {
				if res.Type == "relation" || lsAttrTypes[res.Type] {
					continue // once the regions are known
				}
				kind := res.Type
				if kind == "" {
					kind = "untyped"
				}
				rep.skip("labelstudio "+kind+" result", 1)
				continue
			}
			var v lsValue
			if err := json.Unmarshal(res.Value, &v); err != nil {
				return jerr(name, line, rpath+".value", "want an object with start, end and labels")
			}
			start, ok := jsonInt(v.Start)
			if !ok {
				return jerr(name, line, rpath+".value.start", "want a whole number, got %s", jsonKind(v.Start))
			}
			end, ok := jsonInt(v.End)
			if !ok {
				return jerr(name, line, rpath+".value.end", "want a whole number, got %s", jsonKind(v.End))
			}
			if len(v.Labels) == 0 {
				return jerr(name, line, rpath+".value.labels", "no label")
			}
			s, e, fixed, err := lsPlace(pl, start, end, v.Text, opts.Offsets)
			if err != nil {
				return jerr(name, line, rpath+".value", "%v", err)
			}
			if fixed {
				rep.correct("labelstudio inclusive end", 1)
			}
			if rid, ok := jsonName(res.ID); ok {
				// A region labelled by two <Labels> is a "labels" result of
				// each, with one id and one extent: its spans are all of
				// theirs. Another extent under an id taken is not the
				// region's, and nothing can name it.
				if reg, dup := regions[rid]; !dup || rec.Spans[reg[0]].Start == s && rec.Spans[reg[0]].End == e {
					for k := range v.Labels {
						regions[rid] = append(regions[rid], len(rec.Spans)+k)
					}
				}
			}
			id := onceID(&ids, res.ID)
			for _, l := range v.Labels {
				rec.Spans = append(rec.Spans, Span{ID: id, Start: s, End: e, Label: l, Annotator: annotator,
					Created: created, Updated: updated, Line: line, Path: rpath + ".value"})
				id = "" // one ID, one span
			}
		}
		for ri, res := range a.Result {
			rpath := fmt.Sprintf("%s.result[%d]", apath, ri)
			var err error
			switch {
			case lsAttrTypes[res.Type]:
				err = lsAttr(name, line, rpath, res, regions, rec.Spans, rep)
			case res.Type == "relation":
				var rels []Relation
				if rels, err = lsRelation(name, line, rpath, res, regions, rep); err == nil {
					for _, r := range rels {
						r.Annotator, r.Created, r.Updated = annotator, created, updated
						rec.Relations = append(rec.Relations, r)
					}
				}
			}
			if err != nil {
				return err
			}
		}
	}
	if len(task.Predictions) > 0 {
		if rec.Suggestions, err = lsPredictions(name, line, path, task.Predictions, pl, opts, rep); err != nil {
			return err
		}
	}
	return fn(rec)
}

// lsAttr reads a result of type choices, textarea or number that shares
// the id of a region (regions: their spans in spans) as an attribute of
// the region's spans, named by its from_name: the choices joined by ","
// (one choice, as Gloss writes them, is itself), the lines of a textarea
// joined by "\n", a number as numberText writes it. A result of no region
// is about the whole text, and counted.
func lsAttr(name string, line int, rpath string, res lsResult, regions map[string][]int, spans []Span, rep *Report) error {
	rid, _ := jsonName(res.ID)
	reg, ok := regions[rid]
	if !ok {
		rep.skip("labelstudio "+res.Type+" result", 1)
		return nil
	}
	attr, ok := jsonString(res.FromName)
	if !ok || attr == "" {
		return jerr(name, line, rpath+".from_name", "want the name of the attribute, got %s", jsonKind(res.FromName))
	}
	var v struct {
		Choices json.RawMessage `json:"choices"`
		Text    json.RawMessage `json:"text"`
		Number  json.RawMessage `json:"number"`
	}
	if err := json.Unmarshal(res.Value, &v); err != nil {
		return jerr(name, line, rpath+".value", "want an object, got %s", jsonKind(res.Value))
	}
	var value string
	switch res.Type {
	case "choices", "textarea":
		key, raw := "choices", v.Choices
		if res.Type == "textarea" {
			key, raw = "text", v.Text
		}
		var list []string
		if err := json.Unmarshal(raw, &list); err != nil {
			if s, ok := jsonString(raw); ok {
				list = []string{s} // a textarea's one text, as some exports have it
			} else {
				return jerr(name, line, rpath+".value."+key, "want an array of strings, got %s", jsonKind(raw))
			}
		}
		if len(list) == 0 {
			return nil // nothing chosen, nothing written
		}
		sep := ","
		if res.Type == "textarea" {
			sep = "\n"
		}
		value = strings.Join(list, sep)
	case "number":
		raw := bytes.TrimSpace(v.Number)
		f, err := strconv.ParseFloat(string(raw), 64)
		if err != nil || len(raw) == 0 || raw[0] == '"' {
			return jerr(name, line, rpath+".value.number", "want a number, got %s", jsonKind(v.Number))
		}
		value = numberText(f)
	}
	for _, i := range reg {
		if err := addAttr(&spans[i].Attrs, Attr{Name: attr, Value: value}); err != nil {
			return jerr(name, line, rpath, "region %s: %v", rid, err)
		}
	}
	return nil
}

// lsRelation reads a result of type relation: one relation per label in
// "labels" from the region of from_id to the region of to_id (the first
// span of each, for a region of several labels), the other way for
// direction "left"; "right", "bi" (Symmetric) and none keep the order. A
// relation without a label is counted, not kept: Gloss relations have a
// type.
func lsRelation(name string, line int, rpath string, res lsResult, regions map[string][]int, rep *Report) ([]Relation, error) {
	end := func(key string, raw json.RawMessage) (int, error) {
		id, ok := jsonName(raw)
		if !ok {
			return 0, jerr(name, line, rpath+"."+key, "want a region id, got %s", jsonKind(raw))
		}
		reg, ok := regions[id]
		if !ok {
			return 0, jerr(name, line, rpath+"."+key, "no region %q in this annotation", id)
		}
		return reg[0], nil
	}
	from, err := end("from_id", res.FromID)
	if err != nil {
		return nil, err
	}
	to, err := end("to_id", res.ToID)
	if err != nil {
		return nil, err
	}
	if from == to {
		return nil, jerr(name, line, rpath, "from_id and to_id are the same region")
	}
	symmetric := false
	if d := bytes.TrimSpace(res.Direction); len(d) > 0 && string(d) != "null" {
		dir, ok := jsonString(d)
		switch {
		case !ok:
			return nil, jerr(name, line, rpath+".direction", "want right, left or bi, got %s", jsonKind(d))
		case dir == "left":
			from, to = to, from
		case dir == "bi":
			symmetric = true
		case dir == "right", dir == "":
		default:
			return nil, jerr(name, line, rpath+".direction", "unknown direction %q (right, left or bi)", dir)
		}
	}
	var labels []string
	if l := bytes.TrimSpace(res.Labels); len(l) > 0 && string(l) != "null" {
		if err := json.Unmarshal(l, &labels); err != nil {
			return nil, jerr(name, line, rpath+".labels", "want an array of relation labels, got %s", jsonKind(l))
		}
	}
	var out []Relation
	for _, l := range labels {
		if l == "" {
			return nil, jerr(name, line, rpath+".labels", "an empty label")
		}
		out = append(out, Relation{Type: l, From: from, To: to, Symmetric: symmetric, Line: line, Path: rpath})
	}
	if len(out) == 0 {
		rep.skip("labelstudio relation without a label", 1)
	}
	return out, nil
}

// onceID is raw's UUID, or "" when it has none or it is in *taken, which
// gets it.
func onceID(taken *map[string]bool, raw json.RawMessage) string {
	id := jsonUUID(raw)
	if id == "" {
		return ""
	}
	if (*taken)[id] {
		return ""
	}
	if *taken == nil {
		*taken = map[string]bool{}
	}
	(*taken)[id] = true
	return id
}

// lsPredictions reads a task's predictions as suggestions: results of type
// "labels" (others are counted), placed like an annotation's (lsPlace:
// code points, UTF-16 units or an inclusive end when value.text says so),
// then refused when empty or out of range. The score is the result's
// "score", else its value's, else the prediction's, else 1; a score given
// must be a number in [0, 1]. Suggestion IDs are the results' UUIDs, each
// once in the task. Suggestions carry no annotator and no source: the file
// names neither.
func lsPredictions(name string, line int, path string, preds []lsPrediction, pl *spanPlacer, opts ReadOptions, rep *Report) ([]Suggestion, error) {
	var out []Suggestion
	var ids map[string]bool
	var stored *offsets.Text
	for pi, p := range preds {
		ppath := fmt.Sprintf("%s.predictions[%d]", path, pi)
		if !p.object {
			rep.skip("labelstudio prediction", 1)
			continue
		}
		var results []lsResult
		if r := bytes.TrimSpace(p.Result); len(r) > 0 && string(r) != "null" {
			if err := json.Unmarshal(r, &results); err != nil {
				return nil, jerr(name, line, ppath+".result", "want an array of result objects, got %s", jsonKind(r))
			}
		}
		version, _ := jsonName(p.ModelVersion)
		var created time.Time
		if at, ok := jsonString(p.CreatedAt); ok {
			created, _ = parseLSTime(at)
		}
		before := len(out)
		for ri, res := range results {
			rpath := fmt.Sprintf("%s.result[%d]", ppath, ri)
			if res.Type != "labels" {
				kind := res.Type
				if kind == "" {
					kind = "untyped"
				}
				rep.skip("labelstudio prediction "+kind+" result", 1)
				continue
			}
			var v lsValue
			if err := json.Unmarshal(res.Value, &v); err != nil {
				return nil, jerr(name, line, rpath+".value", "want an object with start, end and labels")
			}
			start, ok := jsonInt(v.Start)
			if !ok {
				return nil, jerr(name, line, rpath+".value.start", "want a whole number, got %s", jsonKind(v.Start))
			}
			end, ok := jsonInt(v.End)
			if !ok {
				return nil, jerr(name, line, rpath+".value.end", "want a whole number, got %s", jsonKind(v.End))
			}
			if len(v.Labels) == 0 {
				return nil, jerr(name, line, rpath+".value.labels", "no label")
			}
			s, e, fixed, err := lsPlace(pl, start, end, v.Text, opts.Offsets)
			if err != nil {
				// A prediction is a proposal, not data: one whose text does
				// not fit its offsets (Label Studio's own examples carry
				// placeholder texts) is left out and counted, not fatal.
				rep.skip("labelstudio prediction whose text does not match its offsets", 1)
				continue
			}
			if stored == nil {
				stored = pl.stored()
			}
			covered, err := suggestionExtent(stored, s, e, nil)
			if err != nil {
				return nil, jerr(name, line, rpath+".value", "%v", err)
			}
			if fixed {
				rep.correct("labelstudio inclusive end", 1)
			}
			score, err := lsScore(name, line, rpath, res, v, ppath, p)
			if err != nil {
				return nil, err
			}
			id := onceID(&ids, res.ID)
			for _, l := range v.Labels {
				if l == "" {
					return nil, jerr(name, line, rpath+".value.labels", "an empty label")
				}
				out = append(out, Suggestion{ID: id, Start: s, End: e, Label: l, Text: covered, Score: score,
					ModelVersion: version, Created: created, Line: line, Path: rpath})
				id = "" // one ID, one suggestion
			}
		}
		if len(out) == before {
			rep.skip("labelstudio prediction", 1) // nothing in it to suggest
		}
	}
	return out, nil
}

// lsScore is the score of a prediction's result: its own, else its
// value's, else the prediction's, else 1.
func lsScore(name string, line int, rpath string, res lsResult, v lsValue, ppath string, p lsPrediction) (float64, error) {
	for _, c := range []struct {
		raw  json.RawMessage
		path string
	}{{res.Score, rpath + ".score"}, {v.Score, rpath + ".value.score"}, {p.Score, ppath + ".score"}} {
		f, ok, err := jsonScore(c.raw)
		if err != nil {
			return 0, jerr(name, line, c.path, "%v", err)
		}
		if ok {
			return f, nil
		}
	}
	return 1, nil
}

// lsText finds the task's text.
func lsText(task lsTaskJSON) (string, error) {
	if len(task.Data) > 0 && !bytes.Equal(bytes.TrimSpace(task.Data), []byte("null")) {
		var data map[string]json.RawMessage
		if err := json.Unmarshal(task.Data, &data); err != nil {
			return "", fmt.Errorf("data: want an object, got %s", jsonKind(task.Data))
		}
		if t, ok := data["text"]; ok {
			s, ok := jsonString(t)
			if !ok {
				return "", fmt.Errorf("data.text: want a string, got %s", jsonKind(t))
			}
			return s, nil
		}
		var keys []string
		for k, v := range data {
			if _, ok := jsonString(v); ok {
				keys = append(keys, k)
			}
		}
		if len(keys) == 1 {
			s, _ := jsonString(data[keys[0]])
			return s, nil
		}
		sort.Strings(keys)
		return "", fmt.Errorf("data: no \"text\", and not one string field to take for it (%s)", strings.Join(keys, ", "))
	}
	if task.Text != nil {
		return *task.Text, nil
	}
	return "", fmt.Errorf("no data.text")
}

func lsAnnotator(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if n, ok := jsonInt(raw); ok {
		return fmt.Sprintf("Label Studio user %d", n)
	}
	if s, ok := jsonString(raw); ok {
		return strings.TrimSpace(s)
	}
	var u struct {
		ID        int    `json:"id"`
		Email     string `json:"email"`
		FirstName string `json:"first_name"`
		LastName  string `json:"last_name"`
	}
	if json.Unmarshal(raw, &u) == nil {
		switch {
		case u.Email != "":
			return u.Email
		case strings.TrimSpace(u.FirstName+" "+u.LastName) != "":
			return strings.TrimSpace(u.FirstName + " " + u.LastName)
		case u.ID != 0:
			return fmt.Sprintf("Label Studio user %d", u.ID)
		}
	}
	return ""
}

func parseLSTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time", s)
}

// collapseSpace turns every run of white space into one space and trims.
func collapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// lsPlace converts a result's offsets to stored code points, checking them
// against value.text when it is given. fixed reports an end moved by one:
// when value.text is found at [start, end+1) and not at [start, end), the
// end was written inclusive (Label Studio 0.x did) and is corrected.
func lsPlace(pl *spanPlacer, start, end int, text *string, unit OffsetUnit) (s, e int, fixed bool, err error) {
	units := []OffsetUnit{UnitCodePoints, UnitUTF16}
	if unit != UnitDefault {
		units = []OffsetUnit{unit}
	}
	if text == nil {
		s, e, err = pl.place(start, end, units[0])
		return s, e, false, err
	}
	want := collapseSpace(*text)
	var firstGot string
	for i, u := range units {
		s, e := start, end
		if u == UnitUTF16 {
			var err error
			if s, e, err = utf16ToCP(pl.offs(), start, end); err != nil {
				continue
			}
		}
		got, ok := pl.rawSlice(s, e)
		if !ok {
			break
		}
		if i == 0 {
			firstGot = got
		}
		if collapseSpace(got) == want {
			s, e, err = pl.place(start, end, u)
			return s, e, false, err
		}
		if next, ok := pl.rawSlice(s, e+1); ok && want != "" && collapseSpace(next) == want {
			s, e, err = pl.place(start, end+1, u)
			return s, e, true, err
		}
	}
	if _, ok := pl.rawSlice(start, end); !ok {
		// Out of range: the store says so in its words.
		s, e, err = pl.place(start, end, units[0])
		return s, e, false, err
	}
	return 0, 0, false, fmt.Errorf("text %q does not match the document's code points [%d, %d), which are %q", *text, start, end, firstGot)
}
