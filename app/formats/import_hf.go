package formats

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// readHF reads Hugging Face token classification data: one row per
// document, each an object with the tokens ("tokens", or "words") and
// their tags ("ner_tags", or "ner" or "tags"), as
//
//   - JSON Lines, one row per line (what Gloss's hf export and the
//     datasets library's Dataset.to_json write by default), or rows
//     pretty-printed one after the other;
//   - a JSON array of rows (Dataset.to_json(lines=False));
//   - an object whose "data" is an array of rows
//     (load_dataset("json", field="data")).
//
// A tag is a string ("B-Figure") or a number naming one of the label
// names: those come from a file beside the data, the first there is of
// NAME.labels.json (which Gloss's hf export writes beside NAME.jsonl),
// labels.json and dataset_info.json (datasets' save_to_disk); without one
// numbered tags are refused. Tags decode as CoNLL's do (IOB2, IOB1,
// BIOES/BILOU); a tag without a prefix ("PER", as IO-tagged sets have) is
// inside a span of that type. The text is rebuilt as for CoNLL: the tokens
// joined by one space. "id", when a UUID, is the document ID (Gloss's
// export writes it); other columns (pos_tags, chunk_tags, ...) are counted
// as "hf column NAME". Tokens of white space only are left out and counted.
//
// format is what the records say they were imported as ("hf", or "conll"
// for the JSON form the CoNLL reader also reads).
func readHF(name string, br *bufio.Reader, format string, rep *Report, fn func(Doc) error) error {
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	head, err := br.Peek(1 << 10)
	trim := bytes.TrimLeft(head, " \t\r\n")
	if len(trim) == 0 {
		if err != nil && err != io.EOF {
			return fmt.Errorf("%s: %w", name, err)
		}
		return fmt.Errorf("%s: empty file", name)
	}
	h := &hfReader{name: name, format: format, rep: rep, fn: fn}
	if trim[0] == '[' {
		return h.array(br)
	}
	return jsonValues(name, br, func(raw json.RawMessage, line, index int) error {
		var o map[string]json.RawMessage
		if json.Unmarshal(raw, &o) == nil && o["data"] != nil && hfTokensKey(o) == "" {
			return h.dataRows(raw, line)
		}
		return h.row(raw, line, "$") // each row of JSON Lines is its own "$"
	})
}

// hfReader reads the rows of one file.
type hfReader struct {
	name, format string
	rep          *Report
	fn           func(Doc) error
	names        *hfNames // loaded at the first numbered tag
}

// array reads a JSON array of rows, streamed.
func (h *hfReader) array(br *bufio.Reader) error {
	lc := newLineCounter(br)
	dec := json.NewDecoder(lc)
	if _, err := dec.Token(); err != nil { // [
		return jsonSyntaxError(h.name, lc, dec, err)
	}
	for i := 0; dec.More(); i++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return jsonSyntaxError(h.name, lc, dec, err)
		}
		line := lc.lineAt(dec.InputOffset() - int64(len(raw)))
		if err := h.row(raw, line, fmt.Sprintf("$[%d]", i)); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // ]
		return jsonSyntaxError(h.name, lc, dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%s:%d: invalid JSON: more after the array of rows", h.name, lc.lineAt(dec.InputOffset()))
	}
	return nil
}

// dataRows reads the rows of {"data": [...]}, a value starting at line.
func (h *hfReader) dataRows(raw json.RawMessage, line int) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.Token() // {
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return jsonTypeError(h.name, raw, line, "$", err)
		}
		if key, _ := tok.(string); key != "data" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return jsonTypeError(h.name, raw, line, "$", err)
			}
			continue
		}
		start := dec.InputOffset()
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return jerr(h.name, lineIn(raw, line, start), "$.data", "want an array of rows (objects with \"tokens\" and \"ner_tags\")")
		}
		for i := 0; dec.More(); i++ {
			var row json.RawMessage
			if err := dec.Decode(&row); err != nil {
				return jsonTypeError(h.name, raw, line, "$.data", err)
			}
			at := lineIn(raw, line, dec.InputOffset()-int64(len(row)))
			if err := h.row(row, at, fmt.Sprintf("$.data[%d]", i)); err != nil {
				return err
			}
		}
		dec.Token() // ]
	}
	return nil
}

// hfTokensKey is the key of the tokens of a row, "" when it has none.
func hfTokensKey(o map[string]json.RawMessage) string {
	for _, k := range []string{"tokens", "words"} {
		if _, ok := o[k]; ok {
			return k
		}
	}
	return ""
}

// hfTagsKey is the key of the tags of a row, "" when it has none.
func hfTagsKey(o map[string]json.RawMessage) string {
	for _, k := range []string{"ner_tags", "ner", "tags"} {
		if _, ok := o[k]; ok {
			return k
		}
	}
	return ""
}

// row reads one row, the value at path starting at line.
func (h *hfReader) row(raw json.RawMessage, line int, path string) error {
	name := h.name
	var o map[string]json.RawMessage
	if err := json.Unmarshal(raw, &o); err != nil || o == nil {
		return jerr(name, line, path, "want an object with \"tokens\" and \"ner_tags\", got %s", jsonKind(raw))
	}
	wkey, tkey := hfTokensKey(o), hfTagsKey(o)
	if wkey == "" || tkey == "" {
		missing := "\"tokens\" (or \"words\")"
		if wkey != "" {
			missing = "\"ner_tags\" (or \"ner\" or \"tags\")"
		}
		return jerr(name, line, path, "no %s: a Hugging Face token classification row has \"tokens\" and \"ner_tags\" arrays", missing)
	}
	var words []string
	if err := json.Unmarshal(o[wkey], &words); err != nil {
		return jerr(name, line, path+"."+wkey, "want an array of strings, got %s", hfKindOf(o[wkey]))
	}
	var tags []json.RawMessage
	if err := json.Unmarshal(o[tkey], &tags); err != nil {
		return jerr(name, line, path+"."+tkey, "want an array of tags (strings, or numbers naming the label names), got %s", jsonKind(o[tkey]))
	}
	if len(words) != len(tags) {
		return jerr(name, line, path+"."+tkey, "%d tags for %d %s", len(tags), len(words), wkey)
	}
	for k := range o {
		switch k {
		case wkey, tkey, "id":
		default:
			h.rep.skip("hf column "+k, 1)
		}
	}
	b := newConllDoc(name)
	b.line, b.curLine = line, line
	for i, w := range words {
		at := fmt.Sprintf("%s.%s[%d]", path, tkey, i)
		tag, err := h.tag(tags[i], line, at, tkey)
		if err != nil {
			return err
		}
		if strings.TrimSpace(w) == "" {
			h.rep.skip("hf white-space token", 1)
			continue
		}
		if strings.Contains(w, "\r") {
			w = normalizeNewlines(w)
		}
		b.token(w, tag)
	}
	if b.text.Len() == 0 {
		// No tokens: no text, which a document needs.
		h.rep.skip("hf row without tokens", 1)
		return nil
	}
	b.rec.ID = jsonUUID(o["id"])
	if path != "$" {
		b.rec.Path = path
	}
	return b.flush(func(d Doc) error {
		d.Format = h.format
		return h.fn(d)
	})
}

func hfKindOf(raw json.RawMessage) string {
	if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("[")) {
		return "an array with something else than strings in it"
	}
	return jsonKind(raw)
}

// tag is the CoNLL tag of a row's tag value at path: a tag string, or a
// number naming a label name.
func (h *hfReader) tag(raw json.RawMessage, line int, path, tkey string) (string, error) {
	if s, ok := jsonString(raw); ok {
		tag, ok := hfTag(s)
		if !ok {
			return "", jerr(h.name, line, path, "%q is not a tag (want O, or B-/I-/E-/S- and a type, or a type alone)", s)
		}
		return tag, nil
	}
	n, ok := jsonInt(raw)
	if !ok || n < 0 {
		return "", jerr(h.name, line, path, "want a tag (a string) or a tag number (0, 1, ...), got %s", jsonKind(raw))
	}
	if h.names == nil {
		h.names = loadHFNames(h.name, tkey)
	}
	if h.names.err != nil {
		return "", jerr(h.name, line, path, "%v", h.names.err)
	}
	if n >= len(h.names.tags) {
		return "", jerr(h.name, line, path, "tag number %d has no name: %s has %d names (0 to %d)", n, h.names.file, len(h.names.tags), len(h.names.tags)-1)
	}
	return h.names.tags[n], nil
}

// hfTag is s as a tag conllDoc takes: a tag as CoNLL has them, or a type
// alone (IO tagging), which is inside a span of that type.
func hfTag(s string) (string, bool) {
	if isTag(s) {
		return s, true
	}
	if s == "" || strings.ContainsAny(s, " \t\r\n") || strings.IndexByte("BIESLU", s[0]) >= 0 && len(s) == 2 && (s[1] == '-' || s[1] == '_') {
		return "", false
	}
	return "I-" + s, true
}

// hfNames are the names of numbered tags, from the file beside the data.
type hfNames struct {
	file string   // where they were read from
	tags []string // as conllDoc takes them
	err  error    // why there are none
}

// hfNameFiles are the files beside data that hold the names of numbered
// tags, in the order they are looked for.
func hfNameFiles(data string) []string {
	dir := filepath.Dir(data)
	base := strings.TrimSuffix(filepath.Base(data), filepath.Ext(data))
	return []string{
		filepath.Join(dir, base+".labels.json"),
		filepath.Join(dir, "labels.json"),
		filepath.Join(dir, "dataset_info.json"),
	}
}

// loadHFNames reads the names of the numbered tags of data (tkey: the key
// of its tags, as dataset_info.json names the feature).
func loadHFNames(data, tkey string) *hfNames {
	files := hfNameFiles(data)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return &hfNames{file: f, err: fmt.Errorf("numbered tags: their names: %w", unwrapPathError(err))}
		}
		names, err := parseHFNames(b, tkey)
		if err != nil {
			return &hfNames{file: f, err: fmt.Errorf("numbered tags: their names in %s: %v", f, err)}
		}
		tags := make([]string, len(names))
		for i, n := range names {
			t, ok := hfTag(n)
			if !ok {
				return &hfNames{file: f, err: fmt.Errorf("numbered tags: their names in %s: name %d, %q, is not a tag (want O, or B-/I-/E-/S- and a type, or a type alone)", f, i, n)}
			}
			tags[i] = t
		}
		return &hfNames{file: f, tags: tags}
	}
	short := make([]string, len(files))
	for i, f := range files {
		short[i] = filepath.Base(f)
	}
	return &hfNames{err: fmt.Errorf("numbered tags need their names, and there is no file of them beside the data: looked for %s in %s "+
		"(the hf export writes %s beside its output; a JSON list of the names, in the order of their numbers, will do: [\"O\", \"B-PER\", \"I-PER\", ...])",
		strings.Join(short, ", "), filepath.Dir(data), short[0])}
}

// parseHFNames reads a list of tag names: a JSON array of strings
// (Gloss's NAME.labels.json), a ClassLabel's {"names": [...]}, a model
// configuration's {"id2label": {"0": "O", ...}} or datasets'
// dataset_info.json, whose features name the tags of tkey
// ({"features": {"ner_tags": {"feature": {"names": [...]}}}}).
func parseHFNames(b []byte, tkey string) ([]string, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	var list []string
	if err := json.Unmarshal(b, &list); err == nil {
		if len(list) == 0 {
			return nil, fmt.Errorf("the list of names is empty")
		}
		return list, nil
	}
	var o struct {
		Names    []string                   `json:"names"`
		ID2Label map[string]string          `json:"id2label"`
		Features map[string]json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return nil, fmt.Errorf("want a JSON list of names, {\"names\": [...]}, {\"id2label\": {...}} or datasets' dataset_info.json: %v", err)
	}
	switch {
	case len(o.Names) > 0:
		return o.Names, nil
	case len(o.ID2Label) > 0:
		out := make([]string, len(o.ID2Label))
		for k, v := range o.ID2Label {
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(out) || out[i] != "" {
				return nil, fmt.Errorf("id2label: %q is not one of the numbers 0 to %d", k, len(out)-1)
			}
			out[i] = v
		}
		return out, nil
	case o.Features != nil:
		f, ok := o.Features[tkey]
		if !ok {
			return nil, fmt.Errorf("its features have no %q", tkey)
		}
		var feat struct {
			Names   []string `json:"names"`
			Feature struct {
				Names []string `json:"names"`
			} `json:"feature"`
		}
		if err := json.Unmarshal(f, &feat); err != nil {
			return nil, fmt.Errorf("features.%s: %v", tkey, err)
		}
		if len(feat.Feature.Names) > 0 {
			return feat.Feature.Names, nil
		}
		if len(feat.Names) > 0 {
			return feat.Names, nil
		}
		return nil, fmt.Errorf("features.%s has no names (is it a Sequence of ClassLabel?)", tkey)
	}
	return nil, fmt.Errorf("want a JSON list of names, {\"names\": [...]}, {\"id2label\": {...}} or datasets' dataset_info.json")
}
