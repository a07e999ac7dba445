package formats

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Relations and attributes in files. The formats with a place for
// relations (Format.Relations: jsonl, spacy, doccano, brat, labelstudio)
// write them and read them back; those with a place for attributes too
// (Format.Attributes: jsonl, brat, labelstudio) do the same with span
// (and, for jsonl and brat, relation) attributes. Every other exporter
// leaves them out and counts them (leftOut: Summary.RelationsLeftOut,
// Summary.AttributesLeftOut); every other importer gives none.
//
// A reader resolves the file's own references to spans (a Gloss span id,
// brat's T1, doccano's entity ids, Label Studio's region ids, spaCy's
// head_span and child_span) to indexes into Doc.Spans, and refuses a
// relation whose end it cannot find, whose two ends are the same span, or
// that has no type, naming the file, the line and, for JSON, the path.

// WhereRelation says where in the file rel is: "FILE:LINE: PATH".
func (r *Doc) WhereRelation(rel *Relation) string {
	line, path := r.Line, r.Path
	if rel != nil {
		if rel.Line > 0 {
			line = rel.Line
		}
		if rel.Path != "" {
			path = rel.Path
		}
	}
	w := fmt.Sprintf("%s:%d", r.Name, line)
	if path != "" {
		w += ": " + path
	}
	return w
}

// checkRelations is the export's check of d's relations, for a format
// that writes them: both ends spans of d, not the same one, and a type
// (not white space only);
// and, when attrs (the format writes attributes), every attribute of a
// span or a relation named, and named once on it.
func checkRelations(d Doc, attrs bool) error {
	for i, r := range d.Relations {
		switch {
		case r.From < 0 || r.From >= len(d.Spans) || r.To < 0 || r.To >= len(d.Spans):
			return fmt.Errorf("document %s, relation %s: ends %d and %d are not both spans of the document (it has %d)",
				d.ID, relName(r, i), r.From, r.To, len(d.Spans))
		case r.From == r.To:
			return fmt.Errorf("document %s, relation %s: both ends are span %d", d.ID, relName(r, i), r.From)
		case strings.TrimSpace(r.Type) == "":
			// White space only is no type either: brat could not write it.
			return fmt.Errorf("document %s, relation %s: no type", d.ID, relName(r, i))
		}
		if attrs {
			if err := checkAttrs(r.Attrs); err != nil {
				return fmt.Errorf("document %s, relation %s: %v", d.ID, relName(r, i), err)
			}
		}
	}
	if attrs {
		for _, s := range d.Spans {
			if err := checkAttrs(s.Attrs); err != nil {
				return fmt.Errorf("document %s, span %s: %v", d.ID, s.ID, err)
			}
		}
	}
	return nil
}

// relName names a relation in an error: its ID, else its index.
func relName(r Relation, i int) string {
	if r.ID != "" {
		return r.ID
	}
	return "#" + strconv.Itoa(i)
}

// checkAttrs refuses an attribute without a name or named twice.
func checkAttrs(as []Attr) error {
	for i, a := range as {
		if a.Name == "" {
			return fmt.Errorf("an attribute without a name (value %q)", a.Value)
		}
		for _, b := range as[:i] {
			if b.Name == a.Name {
				return fmt.Errorf("attribute %q given twice", a.Name)
			}
		}
	}
	return nil
}

// attrCounts are the attribute values of d's spans and of its relations.
func attrCounts(d Doc) (spans, relations int) {
	for _, s := range d.Spans {
		spans += len(s.Attrs)
	}
	for _, r := range d.Relations {
		relations += len(r.Attrs)
	}
	return spans, relations
}

// addAttr adds a to *as, refusing a second value for the same name.
func addAttr(as *[]Attr, a Attr) error {
	for _, b := range *as {
		if b.Name == a.Name {
			return fmt.Errorf("attribute %q given twice", a.Name)
		}
	}
	*as = append(*as, a)
	return nil
}

// numberText is a number as an attribute value: what
// strconv.FormatFloat(v, 'g', -1, 64) writes.
func numberText(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// canonicalNumber reports whether s is a number as numberText writes it
// (and a finite one), so that writing it as a JSON number and reading it
// back gives s again.
func canonicalNumber(s string) (float64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, numberText(v) == s
}

// jsonAttrs reads an attribute object, {"NAME": VALUE, ...}, keeping the
// order of the file: a string value as it is, true as "true", a number as
// numberText writes it; false and null are an attribute not set, left
// out. path names raw in errors (returned without the file and line).
func jsonAttrs(raw json.RawMessage, path string) ([]Attr, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] != '{' {
		return nil, fmt.Errorf("%s: want an object of attribute names and values, got %s", path, jsonKind(raw))
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	var out []Attr
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		name, _ := t.(string)
		at := path + "." + name
		if !validName(name) {
			at = fmt.Sprintf("%s[%q]", path, name)
		}
		if strings.TrimSpace(name) == "" {
			return nil, fmt.Errorf("%s: an attribute without a name", at)
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("%s: %v", at, err)
		}
		var value string
		switch v := v.(type) {
		case string:
			value = v
		case bool:
			if !v {
				continue // a flag that is not set is not listed
			}
			value = "true"
		case json.Number:
			f, err := strconv.ParseFloat(string(v), 64)
			if err != nil {
				return nil, fmt.Errorf("%s: %s is not a number Gloss can keep", at, v)
			}
			value = numberText(f)
		case nil:
			continue
		default:
			return nil, fmt.Errorf("%s: want a string, a number or true, got %s", at, jsonKind(mustJSON(v)))
		}
		if err := addAttr(&out, Attr{Name: name, Value: value}); err != nil {
			return nil, fmt.Errorf("%s: %v", at, err)
		}
	}
	if _, err := dec.Token(); err != nil && err != io.EOF {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return out, nil
}

// validName reports whether a key can follow a dot in a JSON path.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// appendAttrs appends attrs as a JSON object of names and string values.
func appendAttrs(b []byte, attrs []Attr) []byte {
	b = append(b, '{')
	for i, a := range attrs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, a.Name)
		b = append(b, ':')
		b = appendJSONString(b, a.Value)
	}
	return append(b, '}')
}

// relationTypeOf is the declared relation type called name, if any.
func (s Schema) relationTypeOf(name string) (RelationType, bool) {
	for _, t := range s.Relations {
		if t.Name == name {
			return t, true
		}
	}
	return RelationType{}, false
}

// attributeOf is the declared attribute called name, if any.
func (s Schema) attributeOf(name string) (AttributeDef, bool) {
	for _, a := range s.Attributes {
		if a.Name == name {
			return a, true
		}
	}
	return AttributeDef{}, false
}

// symmetric reports whether relations of type name are symmetric: the
// schema declares the type and not Directed.
func (s Schema) symmetric(name string) bool {
	t, ok := s.relationTypeOf(name)
	return ok && !t.Directed
}

// remapRelations moves the ends of rels after the spans were reordered:
// to[i] is the new index of the span that was at i.
func remapRelations(rels []Relation, to []int) {
	for i := range rels {
		rels[i].From, rels[i].To = to[rels[i].From], to[rels[i].To]
	}
}
