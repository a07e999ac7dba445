package formats

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// readSpanJSON reads spaCy/Prodigy and doccano JSONL (also pretty-printed
// objects one after the other), one document per object:
//
//   - text: "text" (doccano also "data", as flair writes it); a spaCy
//     training tuple ["text", {"entities": [...]}] is read too.
//   - spans: spacy "spans", else "entities"; doccano "label", "labels",
//     "entities" or "annotations". An item is [start, end, "LABEL"] or an
//     object with start/end or start_offset/end_offset and "label" (a name
//     or a number, kept as its digits) or "labels" (one span per name), and
//     optionally "text", which must match.
//   - Prodigy: "answer" "reject" and "ignore" records are skipped and
//     counted; "accept" marks the document done for the annotator,
//     "_annotator_id" (else "_session_id") names the annotator and
//     "_timestamp" (Unix seconds) dates the spans.
//   - IDs: a document's spacy "meta.id" or doccano "id", and a span
//     object's "id", are kept when they are UUIDs (what Gloss writes);
//     others (doccano's numbers) are ignored as IDs.
//   - relations: doccano's relation extraction form, "entities" objects
//     with an "id" and "relations":[{"id","from_id","to_id","type"}],
//     from_id and to_id naming entity ids; Prodigy's (rel.manual)
//     "relations":[{"head","child","head_span","child_span","label"}], each
//     end the span at head_span's (child_span's) offsets, placed as spans
//     are (the one of its label when several share them), else the span
//     whose token_end is head (child), refused when spans of two extents
//     end on that token. A Prodigy relation between tokens
//     that are not spans (a head_span without a label) is counted, not
//     kept; any other end not found, both ends the same span, or no type is
//     an error. An entity with several labels is one end: its first span.
//   - "tokens" and the rest of "meta" (but its "title") are ignored.
func readSpanJSON(name string, r io.Reader, format string, opts ReadOptions, rep *Report, fn func(Doc) error) error {
	unit := opts.Offsets
	if unit == UnitDefault {
		f, _ := Lookup(format)
		unit = f.Own()
	}
	// Each record is read by fastSpans when it can, else by spanRecord.
	fast := &fastSpans{name: name, format: format, unit: unit}
	fast.p.valid = true // fastValues and jsonValues check the UTF-8
	try := func(raw []byte, line int) (bool, error) {
		if !fastReaders {
			return false, nil
		}
		rec, keep, ok := fast.record(raw, line, rep)
		if !ok || !keep {
			return ok, nil
		}
		return true, fn(rec)
	}
	return fastValues(name, r, func(raw []byte, line, index int) (bool, error) {
		return try(raw, line)
	}, func(raw json.RawMessage, line, index int) error {
		if done, err := try(raw, line); done || err != nil {
			return err
		}
		rec, ok, err := spanRecord(name, raw, line, format, unit, rep)
		if err != nil || !ok {
			return err
		}
		return fn(rec)
	})
}

type jsonObj map[string]json.RawMessage

// jerr is an error about the JSON value at path in a record at line.
func jerr(name string, line int, path, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s: %s", name, line, path, fmt.Sprintf(format, args...))
}

func jsonKind(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number " + string(raw)
}

// jsonInt reads a whole number.
func jsonInt(raw json.RawMessage) (int, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || !(raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9') {
		return 0, false
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(string(raw), 64)
		if ferr != nil || f != float64(int64(f)) || f > 1<<53 || f < -(1<<53) {
			return 0, false
		}
		n = int64(f)
	}
	if n > 1<<40 || n < -(1<<40) {
		return 0, false
	}
	return int(n), true
}

func jsonString(raw json.RawMessage) (string, bool) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}

// jsonName reads a label or ID that may be a string or a number.
func jsonName(raw json.RawMessage) (string, bool) {
	if s, ok := jsonString(raw); ok {
		return s, true
	}
	raw = bytes.TrimSpace(raw)
	if _, ok := jsonInt(raw); ok {
		return string(raw), true
	}
	return "", false
}

func spanRecord(name string, raw json.RawMessage, line int, format string, unit OffsetUnit, rep *Report) (Doc, bool, error) {
	rec := Doc{Name: name, Line: line, Format: format}
	var obj jsonObj
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '[' {
		// A spaCy training tuple: ["text", {"entities": [...]}].
		var tuple []json.RawMessage
		if err := json.Unmarshal(raw, &tuple); err != nil || len(tuple) != 2 {
			return rec, false, jerr(name, line, "$", "want an object, or a [text, {\"entities\": [...]}] pair")
		}
		if err := json.Unmarshal(tuple[1], &obj); err != nil || obj == nil { // null: no object either
			return rec, false, jerr(name, line, "$[1]", "want an object, got %s", jsonKind(tuple[1]))
		}
		obj["text"] = tuple[0]
	} else if err := json.Unmarshal(raw, &obj); err != nil {
		return rec, false, jerr(name, line, "$", "want an object, got %s", jsonKind(raw))
	}

	// Prodigy's answer and annotator.
	annotator := ""
	nobody := false // "_annotator_id": "", as Gloss writes a document nobody touched
	for _, k := range []string{"_annotator_id", "_session_id"} {
		if v, ok := obj[k]; ok {
			s, ok := jsonName(v)
			if !ok {
				return rec, false, jerr(name, line, "$."+k, "want a string, got %s", jsonKind(v))
			}
			annotator = s
			nobody = strings.TrimSpace(s) == ""
			break
		}
	}
	var created time.Time
	if v, ok := obj["_timestamp"]; ok {
		ts, ok := jsonInt(v)
		if !ok {
			return rec, false, jerr(name, line, "$._timestamp", "want Unix seconds, got %s", jsonKind(v))
		}
		created = time.Unix(int64(ts), 0).UTC()
	}
	if v, ok := obj["answer"]; ok {
		ans, ok := jsonString(v)
		if !ok {
			return rec, false, jerr(name, line, "$.answer", "want a string, got %s", jsonKind(v))
		}
		switch ans {
		case "accept":
			// An accept names who is done, unless it says nobody: then it
			// is a document without annotations, not the importing
			// analyst's work (spans on it still go to --annotator).
			if !nobody {
				rec.Statuses = []Status{{Annotator: annotator, Status: "done", Updated: created}}
			}
			if annotator != "" {
				rec.Annotators = []string{annotator}
			}
		case "reject", "ignore":
			rep.skip("prodigy "+ans+" answer", 1)
			return rec, false, nil
		default:
			return rec, false, jerr(name, line, "$.answer", "unknown answer %q (accept, reject or ignore)", ans)
		}
	}

	textKey := "text"
	rawText, ok := obj["text"]
	if !ok && format == "doccano" {
		textKey = "data"
		rawText, ok = obj["data"]
	}
	if !ok {
		return rec, false, jerr(name, line, "$", "no \"text\"")
	}
	text, ok := jsonString(rawText)
	if !ok {
		return rec, false, jerr(name, line, "$."+textKey, "want a string, got %s", jsonKind(rawText))
	}
	pl := newSpanPlacer(text)
	rec.Text = pl.text()
	rec.Title = recordTitle(rec.Text)
	if meta, ok := obj["meta"]; ok {
		var m map[string]json.RawMessage
		if json.Unmarshal(meta, &m) == nil {
			if t, ok := jsonString(m["title"]); ok && strings.TrimSpace(t) != "" {
				rec.Title = truncateTitle(t)
			}
			if format == "spacy" {
				rec.ID = jsonUUID(m["id"]) // Gloss writes its document id here
			}
		}
	}
	if format == "doccano" {
		rec.ID = jsonUUID(obj["id"]) // Gloss's document id; doccano's own are numbers
	}
	var rels []json.RawMessage
	if v, ok := obj["relations"]; ok && !bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
		if err := json.Unmarshal(v, &rels); err != nil {
			return rec, false, jerr(name, line, "$.relations", "want an array of relations, got %s", jsonKind(v))
		}
	}
	var items []json.RawMessage // of the key that holds the spans
	var first []int             // the first span of each item

	keys := []string{"spans", "entities"}
	if format == "doccano" {
		keys = []string{"label", "labels", "entities", "annotations"}
	}
	for _, key := range keys {
		v, ok := obj[key]
		if !ok {
			continue
		}
		if err := json.Unmarshal(v, &items); err != nil {
			if bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
				continue
			}
			return rec, false, jerr(name, line, "$."+key, "want an array of spans, got %s", jsonKind(v))
		}
		for i, item := range items {
			path := fmt.Sprintf("$.%s[%d]", key, i)
			spans, err := spanItem(name, line, path, item, pl, unit)
			if err != nil {
				return rec, false, err
			}
			first = append(first, len(rec.Spans))
			for _, sp := range spans {
				sp.Annotator, sp.Created = annotator, created
				rec.Spans = append(rec.Spans, sp)
			}
		}
		break // one key holds the spans
	}
	if len(rels) > 0 {
		var err error
		if format == "doccano" {
			err = doccanoRelations(name, line, rels, items, first, &rec)
		} else {
			err = prodigyRelations(name, line, rels, items, first, &rec, pl, unit, rep)
		}
		if err != nil {
			return rec, false, err
		}
		for i := range rec.Relations {
			rec.Relations[i].Annotator, rec.Relations[i].Created = annotator, created
		}
	}
	return rec, true, nil
}

// doccanoRelations reads doccano's relations, whose from_id and to_id are
// the "id" of an entity of items (whose first spans are first). An id is a
// number or a string, alike when they read the same ("1", 1 and 1.0); two
// entities with one id are one end only when the second repeats the first
// (its offsets and label), else a relation naming the id is refused.
func doccanoRelations(name string, line int, rels, items []json.RawMessage, first []int, rec *Doc) error {
	byID := map[string]int{} // the first span of the entity, or -1 when two have the id
	for i, item := range items {
		var o jsonObj
		if json.Unmarshal(item, &o) != nil {
			continue // a triple: no id
		}
		id, ok := doccanoID(o["id"])
		if !ok {
			continue
		}
		if k, dup := byID[id]; !dup {
			byID[id] = first[i]
		} else if k >= 0 && !sameSpan(rec.Spans[k], rec.Spans[first[i]]) {
			byID[id] = -1
		}
	}
	for i, raw := range rels {
		path := fmt.Sprintf("$.relations[%d]", i)
		var o jsonObj
		if err := json.Unmarshal(raw, &o); err != nil || o == nil {
			return jerr(name, line, path, "want a relation object, got %s", jsonKind(raw))
		}
		end := func(key string) (int, error) {
			v, ok := o[key]
			if !ok {
				return 0, jerr(name, line, path, "no %q", key)
			}
			id, ok := doccanoID(v)
			if !ok {
				return 0, jerr(name, line, path+"."+key, "want an entity id, got %s", jsonKind(v))
			}
			s, ok := byID[id]
			switch {
			case !ok:
				return 0, jerr(name, line, path+"."+key, "no entity has the id %s", id)
			case s < 0:
				return 0, jerr(name, line, path+"."+key, "two entities have the id %s", id)
			}
			return s, nil
		}
		typ, ok := jsonString(o["type"])
		if !ok || typ == "" {
			return jerr(name, line, path+".type", "want the relation's type, got %s", jsonKind(o["type"]))
		}
		from, err := end("from_id")
		if err != nil {
			return err
		}
		to, err := end("to_id")
		if err != nil {
			return err
		}
		if from == to {
			return jerr(name, line, path, "from_id and to_id are the same entity")
		}
		rec.Relations = append(rec.Relations, Relation{ID: jsonUUID(o["id"]), Type: typ, From: from, To: to, Line: line, Path: path})
	}
	return nil
}

// doccanoID reads an entity id: a string as it is, a whole number as its
// digits.
func doccanoID(raw json.RawMessage) (string, bool) {
	if s, ok := jsonString(raw); ok {
		return s, true
	}
	if n, ok := jsonInt(raw); ok {
		return strconv.Itoa(n), true
	}
	return "", false
}

// sameSpan reports whether b repeats a: the same offsets and label.
func sameSpan(a, b Span) bool { return a.Start == b.Start && a.End == b.End && a.Label == b.Label }

// prodigyRelations reads Prodigy's relations: each end is the span at the
// offsets of head_span (child_span), else the span of items whose
// token_end is head (child); when spans of two extents end on that token
// the relation is refused (which one is meant only head_span can say).
func prodigyRelations(name string, line int, rels, items []json.RawMessage, first []int, rec *Doc, pl *spanPlacer, unit OffsetUnit, rep *Report) error {
	var tokenEnd []int // of each item, -1 when it has none
	for _, item := range items {
		n := -1
		var o jsonObj
		if json.Unmarshal(item, &o) == nil {
			if v, ok := jsonInt(o["token_end"]); ok {
				n = v
			}
		}
		tokenEnd = append(tokenEnd, n)
	}
	// find is the span at [s, e) (of label when one has it), else -1.
	find := func(s, e int, label string) int {
		found := -1
		for i, sp := range rec.Spans {
			if sp.Start == s && sp.End == e {
				if sp.Label == label {
					return i
				}
				if found < 0 {
					found = i
				}
			}
		}
		return found
	}
	for i, raw := range rels {
		path := fmt.Sprintf("$.relations[%d]", i)
		var o jsonObj
		if err := json.Unmarshal(raw, &o); err != nil || o == nil {
			return jerr(name, line, path, "want a relation object, got %s", jsonKind(raw))
		}
		typ, ok := jsonString(o["label"])
		if !ok || typ == "" {
			return jerr(name, line, path+".label", "want the relation's label, got %s", jsonKind(o["label"]))
		}
		tokens := false // an end is a token, not a span
		end := func(tokenKey, spanKey string) (int, error) {
			miss := ""
			if v, ok := o[spanKey]; ok && !bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
				at := path + "." + spanKey
				var so jsonObj
				if err := json.Unmarshal(v, &so); err != nil || so == nil {
					return 0, jerr(name, line, at, "want a span object, got %s", jsonKind(v))
				}
				start, err := intField(name, line, at, so, "start")
				if err != nil {
					return 0, err
				}
				stop, err := intField(name, line, at, so, "end")
				if err != nil {
					return 0, err
				}
				s, e, err := pl.place(start, stop, unit)
				if err != nil {
					return 0, jerr(name, line, at, "%v", err)
				}
				label, _ := jsonString(so["label"])
				if k := find(s, e, label); k >= 0 {
					return k, nil
				}
				if label == "" {
					tokens = true
					return -1, nil
				}
				miss = fmt.Sprintf("no span at %s [%d, %d)", spanKey, start, stop)
			}
			v, ok := o[tokenKey]
			if !ok {
				if miss == "" {
					miss = fmt.Sprintf("no %q and no %q", spanKey, tokenKey)
				}
				return 0, jerr(name, line, path, "%s", miss)
			}
			tok, ok := jsonInt(v)
			if !ok {
				return 0, jerr(name, line, path+"."+tokenKey, "want a token index, got %s", jsonKind(v))
			}
			found := -1
			for k, n := range tokenEnd {
				if n != tok {
					continue
				}
				if found < 0 {
					found = first[k]
					continue
				}
				// Two spans end on the token: an end only when they are one
				// extent (labels aside, as find takes the first).
				if a, b := rec.Spans[found], rec.Spans[first[k]]; a.Start != b.Start || a.End != b.End {
					return 0, jerr(name, line, path+"."+tokenKey, "%s %d is the last token of two spans, %s and %s: which one is meant needs %s",
						tokenKey, tok, a.Path, b.Path, spanKey)
				}
			}
			if found >= 0 {
				return found, nil
			}
			if miss != "" {
				miss += ", and "
			}
			return 0, jerr(name, line, path, "%sno span whose token_end is %s %d", miss, tokenKey, tok)
		}
		from, err := end("head", "head_span")
		if err != nil {
			return err
		}
		to, err := end("child", "child_span")
		if err != nil {
			return err
		}
		if tokens {
			rep.skip("prodigy relation between tokens that are not spans", 1)
			continue
		}
		if from == to {
			return jerr(name, line, path, "head and child are the same span")
		}
		rec.Relations = append(rec.Relations, Relation{Type: typ, From: from, To: to, Line: line, Path: path})
	}
	return nil
}

// spanItem reads one span of a spaCy or doccano record (several when an
// item has several labels).
func spanItem(name string, line int, path string, item json.RawMessage, pl *spanPlacer, unit OffsetUnit) ([]Span, error) {
	var start, end int
	var labels []string
	var text string
	var id string
	item = bytes.TrimSpace(item)
	switch {
	case len(item) > 0 && item[0] == '[':
		var triple []json.RawMessage
		if err := json.Unmarshal(item, &triple); err != nil || len(triple) != 3 {
			return nil, jerr(name, line, path, "want [start, end, \"LABEL\"]")
		}
		var ok bool
		if start, ok = jsonInt(triple[0]); !ok {
			return nil, jerr(name, line, path+"[0]", "want a whole number (start), got %s", jsonKind(triple[0]))
		}
		if end, ok = jsonInt(triple[1]); !ok {
			return nil, jerr(name, line, path+"[1]", "want a whole number (end), got %s", jsonKind(triple[1]))
		}
		l, ok := jsonName(triple[2])
		if !ok {
			return nil, jerr(name, line, path+"[2]", "want a label name, got %s", jsonKind(triple[2]))
		}
		labels = []string{l}
	case len(item) > 0 && item[0] == '{':
		var o jsonObj
		if err := json.Unmarshal(item, &o); err != nil {
			return nil, jerr(name, line, path, "invalid span object")
		}
		var err error
		if start, err = intField(name, line, path, o, "start", "start_offset"); err != nil {
			return nil, err
		}
		if end, err = intField(name, line, path, o, "end", "end_offset"); err != nil {
			return nil, err
		}
		if v, ok := o["label"]; ok {
			l, ok := jsonName(v)
			if !ok {
				return nil, jerr(name, line, path+".label", "want a label name, got %s", jsonKind(v))
			}
			labels = []string{l}
		} else if v, ok := o["labels"]; ok {
			if err := json.Unmarshal(v, &labels); err != nil {
				return nil, jerr(name, line, path+".labels", "want an array of label names, got %s", jsonKind(v))
			}
		}
		if len(labels) == 0 {
			return nil, jerr(name, line, path, "no \"label\"")
		}
		if v, ok := o["text"]; ok {
			s, ok := jsonString(v)
			if !ok {
				return nil, jerr(name, line, path+".text", "want a string, got %s", jsonKind(v))
			}
			text = normText(s)
		}
		id = jsonUUID(o["id"])
	default:
		return nil, jerr(name, line, path, "want a span ([start, end, \"LABEL\"] or an object), got %s", jsonKind(item))
	}
	s, e, err := pl.place(start, end, unit)
	if err != nil {
		return nil, jerr(name, line, path, "%v", err)
	}
	out := make([]Span, 0, len(labels))
	for _, l := range labels {
		out = append(out, Span{ID: id, Start: s, End: e, Label: l, Text: text, Line: line, Path: path})
		id = "" // one ID, one span
	}
	return out, nil
}

// intField reads the first of keys that o has, as a whole number.
func intField(name string, line int, path string, o jsonObj, keys ...string) (int, error) {
	for _, k := range keys {
		v, ok := o[k]
		if !ok {
			continue
		}
		n, ok := jsonInt(v)
		if !ok {
			return 0, jerr(name, line, path+"."+k, "want a whole number, got %s", jsonKind(v))
		}
		return n, nil
	}
	return 0, jerr(name, line, path, "no %q", keys[0])
}
