package formats

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"gloss/app/offsets"
)

// Where says where in the file s is: "FILE:LINE" and, for JSON, the path.
func (r *Doc) Where(s *Span) string {
	w := fmt.Sprintf("%s:%d", r.Name, r.Line)
	path := r.Path
	if s != nil {
		if s.Line > 0 {
			w = fmt.Sprintf("%s:%d", r.Name, s.Line)
		}
		if s.Path != "" {
			path = s.Path
		} else if r.SpansPath != "" {
			for i := range r.Spans {
				if &r.Spans[i] == s {
					path = fmt.Sprintf("%s[%d]", r.SpansPath, i)
				}
			}
		}
	}
	if path != "" {
		w += ": " + path
	}
	return w
}

// Report is what ReadRecords read: the format (after "auto"), the records
// handed over and what the file held that Gloss cannot keep, counted by
// kind ("brat event": 3, "prodigy reject answer": 2).
type Report struct {
	Format  string
	Records int
	Skipped map[string]int
	// Corrected counts spans whose offsets the file evidently got wrong in
	// a known way and that were imported corrected, by kind ("labelstudio
	// inclusive end": 2).
	Corrected map[string]int
}

func (r *Report) correct(kind string, n int) {
	if r.Corrected == nil {
		r.Corrected = map[string]int{}
	}
	r.Corrected[kind] += n
}

func (r *Report) skip(kind string, n int) {
	if n == 0 {
		return
	}
	if r.Skipped == nil {
		r.Skipped = map[string]int{}
	}
	r.Skipped[kind] += n
}

// CountsText lists counts as "3 brat event, 1 brat normalization", by kind.
func CountsText(counts map[string]int) string {
	kinds := make([]string, 0, len(counts))
	for k := range counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%d %s", counts[k], k)
	}
	return strings.Join(parts, ", ")
}

// ErrUnknownFormat is the guess of "auto" failing: the caller can ask which
// format the file is and try again.
var ErrUnknownFormat = errors.New("not one of the known annotation formats")

// unknownFormat is an error that reads as its message and is
// ErrUnknownFormat.
type unknownFormat string

func (e unknownFormat) Error() string        { return string(e) }
func (e unknownFormat) Is(target error) bool { return target == ErrUnknownFormat }

// ReadOptions tune ReadRecordsWith.
type ReadOptions struct {
	// Offsets overrides the format's offset unit (spacy, doccano,
	// labelstudio, csv).
	Offsets OffsetUnit
	// Texts finds the stored text of the document with ID id (ok false
	// when there is none), for a format whose files have spans but not the
	// texts of their documents: csv. Without it such a file is refused.
	Texts func(id string) (text string, ok bool, err error)
}

// ReadRecords reads the annotation file name from r in format (one of
// ImportFormats, or "auto" to guess from the content) and calls fn for each
// document, one at a time: memory holds one record, whatever the size of
// the file. An error from fn stops the reading and is returned as it is;
// errors of the file itself read "NAME:LINE: reason" (with the JSON path
// of what is wrong, for JSON formats).
//
// Offsets, as the formats count them:
//
//   - jsonl (Gloss): code points; text and IDs kept exactly.
//   - spacy (spaCy, Prodigy): code points (Python).
//   - doccano: UTF-16 code units, as doccano's browser front end counts
//     (doccano issue 2290); the same as code points for text without emoji
//     or other characters outside the Basic Multilingual Plane.
//   - labelstudio: code points (Label Studio since 1.0); a span whose
//     value.text matches only when its offsets are read as UTF-16 units (as
//     the 0.x front end wrote them) is read so.
//   - brat: code points into the .txt file as it is on disk.
//   - conll: no offsets; the text is the tokens joined by single spaces,
//     sentences by a blank line ("\n\n").
//   - hf: no offsets; the text is the tokens joined by single spaces.
//   - csv: code points (UTF-16 units with Offsets) into the stored text
//     of the document, which the file does not have: opts.Texts finds it
//     by the row's document_id.
//
// Line ends: for every format but jsonl, CRLF and lone CR in the text
// become LF, as for article files, and offsets are moved to match; a span
// that covered nothing but a CR is refused. Gloss JSONL text is kept as it
// is: it was stored text already.
//
// Suggestions (Doc.Suggestions) come only from jsonl "suggestions" and
// labelstudio "predictions", never from another format; unlike spans,
// which the store checks, they are checked here: not empty, in range,
// their text the covered code points, a label, a score in [0, 1].
//
// Relations (Doc.Relations, ends by index into Doc.Spans) and attributes
// (Span.Attrs, Relation.Attrs) come from the formats with a place for them:
//
//   - jsonl: "relations" (ends by span "id" or index in "spans") and the
//     "attrs" of spans and relations.
//   - spacy: Prodigy's "relations" (head_span/child_span, else the span
//     whose token_end is head/child); no attributes.
//   - doccano: "relations" of from_id/to_id naming "entities" ids; no
//     attributes.
//   - brat: R lines, * equivalences (a Symmetric relation from the first
//     member to each other one), A and M attributes of T and R annotations.
//   - labelstudio: "relation" results between regions (direction "left"
//     reversed, "bi" Symmetric) and choices, textarea and number results
//     of a region as its spans' attributes.
//   - conll, hf, csv: none.
//
// A relation whose end the reader cannot find, whose ends are the same
// span, or that has no type is an error naming its line (and JSON path);
// what a peer's file legitimately holds that Gloss cannot keep (brat
// events and their attributes, an unlabelled Label Studio relation, a
// Prodigy relation between tokens that are no spans) is counted in
// Report.Skipped.
//
// brat needs the .txt beside the .ann: name must be the path of the .ann
// (ReadFile also reads a folder of them).
func ReadRecords(name string, r io.Reader, format string, fn func(Doc) error) (Report, error) {
	return ReadRecordsWith(name, r, format, ReadOptions{}, fn)
}

// ReadRecordsWith is ReadRecords with options.
func ReadRecordsWith(name string, r io.Reader, format string, opts ReadOptions, fn func(Doc) error) (Report, error) {
	switch opts.Offsets {
	case UnitDefault, UnitCodePoints, UnitUTF16:
	default:
		return Report{}, fmt.Errorf("unknown offset unit %q (known: codepoints, utf16)", opts.Offsets)
	}
	// rewind, for a source that can seek, reads it again from where it
	// starts: a fast reader that meets what only the slow one reads exactly
	// can start that one over (fastLS.array).
	var rewind func() (*bufio.Reader, error)
	if s, ok := r.(io.Seeker); ok {
		if start, err := s.Seek(0, io.SeekCurrent); err == nil {
			rewind = func() (*bufio.Reader, error) {
				if _, err := s.Seek(start, io.SeekStart); err != nil {
					return nil, err
				}
				return bufio.NewReaderSize(r, 1<<20), nil
			}
		}
	}
	br := bufio.NewReaderSize(r, 1<<20) // sniffing looks at up to 1 MiB
	if format == "" || format == "auto" {
		var err error
		if format, err = sniffRecords(name, br); err != nil {
			return Report{Format: "auto"}, err
		}
	}
	rep := Report{Format: format}
	count := func(rec Doc) error {
		rep.Records++
		return fn(rec)
	}
	var err error
	switch format {
	case "jsonl":
		err = readGlossJSONL(name, br, opts.Offsets, &rep, count)
	case "spacy", "doccano":
		err = readSpanJSON(name, br, format, opts, &rep, count)
	case "labelstudio":
		err = readLabelStudio(name, br, rewind, opts, &rep, count)
	case "brat":
		err = readBrat(name, br, &rep, count)
	case "conll":
		err = readCoNLL(name, br, &rep, count)
	case "hf":
		err = readHF(name, br, "hf", &rep, count)
	case "csv":
		err = readCSV(name, br, opts, &rep, count)
	default:
		return rep, fmt.Errorf("%s: unknown format %q (known: auto, %s)", name, format, strings.Join(ImportFormats(), ", "))
	}
	return rep, err
}

// ReadFile is ReadRecords for a path: a file, or for brat a folder (every
// .ann in it and its subfolders, by name, each with its .txt).
func ReadFile(path, format string, opts ReadOptions, fn func(Doc) error) (Report, error) {
	st, err := os.Stat(path)
	if err != nil {
		return Report{}, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	if st.IsDir() {
		if format != "" && format != "auto" && format != "brat" {
			return Report{}, fmt.Errorf("%s: is a folder; only brat is read from folders", path)
		}
		return readBratDir(path, fn)
	}
	f, err := os.Open(path)
	if err != nil {
		return Report{}, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	defer f.Close()
	ext := strings.ToLower(filepath.Ext(path))
	if format == "" || format == "auto" {
		switch ext {
		case ".ann":
			format = "brat"
		case ".csv":
			format = "csv"
		}
	}
	if format == "brat" && ext == ".txt" {
		// The text named: read its .ann, or none.
		ann := strings.TrimSuffix(path, filepath.Ext(path)) + ".ann"
		var r io.Reader = strings.NewReader("")
		name := path
		if af, err := os.Open(ann); err == nil {
			defer af.Close()
			r, name = af, ann
		}
		return ReadRecordsWith(name, r, format, opts, fn)
	}
	return ReadRecordsWith(path, f, format, opts, fn)
}

// IsArticleFile reports whether path is read as an article (txt, md, html)
// under format "auto": by its extension, unless a .txt starts like CoNLL
// (-DOCSTART-).
func IsArticleFile(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".md", ".markdown", ".html", ".htm", ".xhtml":
		return true
	case ".txt", ".text":
		f, err := os.Open(path)
		if err != nil {
			return true // the article reader reports it
		}
		defer f.Close()
		head := make([]byte, 64)
		n, _ := io.ReadFull(f, head)
		return !bytes.HasPrefix(bytes.TrimLeft(head[:n], "\ufeff \t\r\n"), []byte("-DOCSTART-"))
	}
	return false
}

// sniffRecords guesses the format from the first bytes.
func sniffRecords(name string, br *bufio.Reader) (string, error) {
	head, _ := br.Peek(1 << 20)
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	trim := bytes.TrimLeft(head, " \t\r\n")
	if len(trim) == 0 {
		return "", fmt.Errorf("%s: empty file", name)
	}
	switch trim[0] {
	case '[':
		first := bytes.TrimLeft(trim[1:], " \t\r\n")
		if len(first) > 0 && first[0] == '{' && hfKeys(topKeys(first)) {
			return "hf", nil
		}
		if len(first) > 0 && first[0] == '"' {
			return "", unknownFormat(fmt.Sprintf("%s: a JSON list of strings, not annotations: if it is an hf labels file (NAME.labels.json), import the data file beside it", name))
		}
		return "labelstudio", nil
	case '{':
		keys := topKeys(trim)
		switch {
		case hfKeys(keys), keys["data"] && !keys["text"] && hfKeys(dataRowKeys(trim)):
			return "hf", nil
		case keys["completions"] || keys["annotations"] && !keys["text"] || keys["predictions"] || keys["data"] && !keys["label"] && !keys["labels"]:
			return "labelstudio", nil
		case keys["sha256"] || keys["statuses"] || keys["imported_at"]:
			return "jsonl", nil
		case keys["spans"] || keys["answer"] || keys["_input_hash"] || keys["_task_hash"] || keys["tokens"]:
			return "spacy", nil
		case keys["label"] || keys["labels"] || keys["annotations"] || keys["relations"]:
			return "doccano", nil
		case keys["entities"]:
			if bytes.Contains(head, []byte(`"start_offset"`)) || bytes.Contains(head, []byte(`"entities": [[`)) || bytes.Contains(head, []byte(`"entities":[[`)) {
				return "doccano", nil
			}
			return "spacy", nil
		case keys["words"] || keys["ner_tags"]:
			return "hf", nil // which says what the row lacks
		}
		return "", unknownFormat(fmt.Sprintf("%s: a JSON file, but not one of the known annotation formats (name one with --format: %s)", name, strings.Join(ImportFormats(), ", ")))
	}
	if bytes.HasPrefix(trim, []byte("-DOCSTART-")) {
		return "conll", nil
	}
	if looksCSV(head) {
		return "csv", nil
	}
	// Token-per-line with tags?
	lines, tagged := 0, 0
	for line := range bytes.SplitSeq(head, []byte("\n")) {
		f := strings.Fields(string(line))
		if len(f) == 0 {
			continue
		}
		lines++
		if len(f) >= 2 && tagColumn(f) > 0 {
			tagged++
		}
		if lines == 50 {
			break
		}
	}
	if lines > 0 && tagged == lines {
		return "conll", nil
	}
	return "", unknownFormat(fmt.Sprintf("%s: cannot tell the annotation format (name one with --format: %s)", name, strings.Join(ImportFormats(), ", ")))
}

// hfKeys reports whether the keys of a JSON object are those of a Hugging
// Face token classification row: tokens and their tags, and no text
// (which a spaCy or Prodigy record with "tokens" has).
func hfKeys(keys map[string]bool) bool {
	return (keys["tokens"] || keys["words"]) && (keys["ner_tags"] || keys["ner"] || keys["tags"]) &&
		!keys["text"] && !keys["spans"]
}

// dataRowKeys lists the keys of the first row of {"data": [{...}, ...]}
// in b, as far as b goes; none when "data" is not an array of objects.
func dataRowKeys(b []byte) map[string]bool {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil
		}
		if t != "data" {
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return nil
			}
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return nil
		}
		rest := bytes.TrimLeft(b[dec.InputOffset():], " \t\r\n")
		if len(rest) == 0 || rest[0] != '{' {
			return nil
		}
		return topKeys(rest)
	}
	return nil
}

// topKeys lists the keys of the first JSON object in b at depth one, as far
// as b goes.
func topKeys(b []byte) map[string]bool {
	keys := map[string]bool{}
	dec := json.NewDecoder(bytes.NewReader(b))
	depth := 0
	expectKey := false
	for {
		tok, err := dec.Token()
		if err != nil {
			return keys
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				depth++
				expectKey = t == '{' && depth == 1
				continue
			case '}', ']':
				depth--
				if depth == 0 {
					return keys
				}
			}
		case string:
			if depth == 1 && expectKey {
				keys[t] = true
				expectKey = false
				continue
			}
		}
		if depth == 1 {
			expectKey = true
		}
	}
}

// lineCounter passes reads through and tells the line of a byte offset of
// the stream, for offsets that never go back. It keeps only the bytes read
// ahead of the last offset asked about.
type lineCounter struct {
	r    io.Reader
	buf  []byte
	base int64 // stream offset of buf[0]
	line int   // line at base, 1-based
}

func newLineCounter(r io.Reader) *lineCounter { return &lineCounter{r: r, line: 1} }

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.buf = append(c.buf, p[:n]...)
	return n, err
}

// lineAt is the line of stream offset off (off >= every earlier off).
func (c *lineCounter) lineAt(off int64) int {
	k := int(off - c.base)
	if k <= 0 {
		return c.line
	}
	k = min(k, len(c.buf))
	c.line += bytes.Count(c.buf[:k], []byte{'\n'})
	c.base += int64(k)
	rest := len(c.buf) - k
	copy(c.buf, c.buf[k:])
	c.buf = c.buf[:rest]
	return c.line
}

// lineOfNext is the line of the first byte after off that is not JSON
// white space.
func (c *lineCounter) lineOfNext(off int64) int {
	line := c.lineAt(off)
	for _, b := range c.buf {
		switch b {
		case '\n':
			line++
		case ' ', '\t', '\r':
		default:
			return line
		}
	}
	return line
}

// jsonValues decodes the JSON values of a stream one after another (JSON
// Lines, or pretty-printed objects one after the other) and calls fn with
// each, its 1-based line and its index. A syntax error names the line.
func jsonValues(name string, r io.Reader, fn func(raw json.RawMessage, line, index int) error) error {
	return jsonStream(name, r, 1, 0, fn)
}

// jsonStream is jsonValues for a stream that starts at line and whose
// first value has index first.
func jsonStream(name string, r io.Reader, line, first int, fn func(raw json.RawMessage, line, index int) error) error {
	lc := newLineCounter(r)
	lc.line = line
	dec := json.NewDecoder(lc)
	for i := first; ; i++ {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return jsonSyntaxError(name, lc, dec, err)
		}
		end := dec.InputOffset()
		line := lc.lineAt(end - int64(len(raw)))
		if !utf8.Valid(raw) {
			return invalidUTF8(name, raw, line)
		}
		if err := fn(raw, line, i); err != nil {
			return err
		}
	}
}

// fastReaders turns on the readers' fast paths (fastValues and the
// decoders they call); the tests turn them off to compare.
var fastReaders = true

// fastValues is jsonValues for a file of one value per line (JSON Lines, as
// every tool writes it), reading each line with fast, which returns false
// for a value it does not read exactly as the encoding/json path would;
// such a value, when it is one whole JSON value, goes to fn as raw (it is
// what jsonValues would hand over); anything else (a value over several
// lines, two on one line, a syntax error, invalid UTF-8) hands the rest of
// the file from that line on to jsonValues, which reads it, and explains
// its errors, as it would have from the start. raw is valid only during
// the calls.
func fastValues(name string, r io.Reader, fast func(raw []byte, line, index int) (bool, error), fn func(raw json.RawMessage, line, index int) error) error {
	br, ok := r.(*bufio.Reader)
	if !fastReaders || !ok {
		return jsonValues(name, r, fn)
	}
	var long []byte
	index := 0
	for line := 1; ; line++ {
		b, err := br.ReadSlice('\n')
		for err == bufio.ErrBufferFull {
			if len(long) == 0 {
				long = append(long[:0], b...)
			}
			b, err = br.ReadSlice('\n')
			long = append(long, b...)
			b = long
		}
		if err != nil && err != io.EOF {
			return jsonStream(name, io.MultiReader(bytes.NewReader(bytes.Clone(b)), br), line, index, fn)
		}
		v := trimJSONSpace(b)
		if len(v) > 0 {
			if !utf8.Valid(v) {
				return jsonStream(name, io.MultiReader(bytes.NewReader(bytes.Clone(b)), br), line, index, fn)
			}
			done, ferr := fast(v, line, index)
			if ferr != nil {
				return ferr
			}
			if !done {
				if !json.Valid(v) {
					return jsonStream(name, io.MultiReader(bytes.NewReader(bytes.Clone(b)), br), line, index, fn)
				}
				if ferr := fn(v, line, index); ferr != nil {
					return ferr
				}
			}
			index++
		}
		if err == io.EOF {
			return nil
		}
		long = long[:0]
		if cap(long) > 16<<20 {
			long = nil
		}
	}
}

// trimJSONSpace trims JSON's white space (space, tab, CR, LF) from both
// ends of b.
func trimJSONSpace(b []byte) []byte {
	i, j := 0, len(b)
	for i < j && isJSONSpace(b[i]) {
		i++
	}
	for j > i && isJSONSpace(b[j-1]) {
		j--
	}
	return b[i:j]
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func jsonSyntaxError(name string, lc *lineCounter, dec *json.Decoder, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%s:%d: invalid JSON: %v", name, lc.lineAt(se.Offset), se)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s:%d: invalid JSON: the file ends inside the value that starts here", name, lc.lineOfNext(dec.InputOffset()))
	}
	return fmt.Errorf("%s:%d: %w", name, lc.lineAt(dec.InputOffset()), err)
}

// lineIn is the line, counted from line, of byte off inside raw.
func lineIn(raw []byte, line int, off int64) int {
	off = max(0, min(off, int64(len(raw))))
	return line + bytes.Count(raw[:off], []byte{'\n'})
}

// jsonPathAt is the JSON path ("$.spans[2].start") of the value of raw that
// ends at or spans byte offset off, found by walking raw's tokens.
func jsonPathAt(raw []byte, off int64) (string, bool) {
	type frame struct {
		array bool
		key   string
		index int
		inKey bool // an object waiting for its next key
	}
	var stack []frame
	render := func() string {
		var b strings.Builder
		b.WriteString("$")
		for _, f := range stack {
			if f.array {
				fmt.Fprintf(&b, "[%d]", f.index)
			} else if f.key != "" {
				b.WriteString("." + f.key)
			}
		}
		return b.String()
	}
	// valueDone moves the innermost container past the value just read.
	valueDone := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].index++
			} else {
				stack[n-1].inKey = true
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	for {
		here := render()
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{inKey: true})
			case '[':
				stack = append(stack, frame{array: true})
			default:
				stack = stack[:len(stack)-1]
				if dec.InputOffset() >= off {
					return render(), true
				}
				valueDone()
			}
			continue
		case string:
			if n := len(stack); n > 0 && !stack[n-1].array && stack[n-1].inKey {
				stack[n-1].key, stack[n-1].inKey = t, false
				continue
			}
		}
		if dec.InputOffset() >= off {
			return here, true
		}
		valueDone()
	}
}

// jsonTypeError explains a json.Unmarshal error of a record at line.
func jsonTypeError(name string, raw []byte, line int, path string, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := path
		if at, ok := jsonPathAt(raw, te.Offset); ok && at != "$" {
			field += strings.TrimPrefix(at, "$") // with array indexes, which te.Field lacks
		} else if te.Field != "" {
			field += "." + te.Field
		}
		return fmt.Errorf("%s:%d: %s: want %s, got JSON %s", name, lineIn(raw, line, te.Offset), field, te.Type, te.Value)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		if path == "$" {
			return fmt.Errorf("%s:%d: invalid JSON: %v", name, lineIn(raw, line, se.Offset), se)
		}
		return fmt.Errorf("%s:%d: %s: invalid JSON: %v", name, lineIn(raw, line, se.Offset), path, se)
	}
	return fmt.Errorf("%s:%d: %s: %v", name, line, path, err)
}

// isUUID reports whether s is a UUID in its canonical text form.
func isUUID(s string) bool {
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return false
	}
	for i := 0; i < 36; i++ {
		if !hexDigit[s[i]] && i != 8 && i != 13 && i != 18 && i != 23 {
			return false
		}
	}
	return true
}

// hexDigit marks the hex digits, either case.
var hexDigit = func() (t [256]bool) {
	for _, c := range "0123456789abcdefABCDEF" {
		t[c] = true
	}
	return t
}()

func uuidOrEmpty(s string) string {
	if isUUID(s) {
		return s
	}
	return ""
}

// jsonUUID is raw when it is a JSON string holding a UUID, else "" (also
// for a missing value or a number).
func jsonUUID(raw json.RawMessage) string {
	if s, ok := jsonString(raw); ok {
		return uuidOrEmpty(s)
	}
	return ""
}

// recordTitle is a title for a text without one: its first non-empty line,
// truncateTitle(firstLine(text)), made from no more of the line than the
// title takes.
func recordTitle(text string) string {
	line := ""
	for rest := text; ; {
		l, after, found := strings.Cut(rest, "\n")
		if l = strings.TrimSpace(l); l != "" {
			line = l
			break
		}
		if !found {
			break
		}
		rest = after
	}
	// The line with its runs of white space made one space (what
	// truncateTitle does first), as far as one rune more than a title
	// holds: truncateTitle of that prefix is truncateTitle of the line.
	var b []byte
	runes, space := 0, false
	for i := 0; i < len(line) && runes <= maxTitleRunes; {
		c := line[i]
		w := 1
		isSpace := asciiSpace[c]
		if c >= utf8.RuneSelf {
			var r rune
			r, w = utf8.DecodeRuneInString(line[i:])
			isSpace = unicode.IsSpace(r)
		}
		if isSpace {
			space = len(b) > 0
		} else {
			if space {
				b = append(b, ' ')
				runes++
				space = false
			}
			if b == nil {
				b = make([]byte, 0, min(len(line), 4*maxTitleRunes))
			}
			b = append(b, line[i:i+w]...)
			runes++
		}
		i += w
	}
	if runes <= maxTitleRunes {
		return string(b)
	}
	return truncatePrefix(string(b))
}

// truncatePrefix is truncateTitle(p) for a p whose white space is single
// spaces between words and that is longer than a title, without making
// runes of it.
func truncatePrefix(p string) string {
	if !utf8.ValidString(p) {
		return truncateTitle(p) // whose runes say U+FFFD for the bad bytes
	}
	// The first maxTitleRunes-1 code points, and where each starts.
	var at [maxTitleRunes]int
	n, i := 0, 0
	for n < maxTitleRunes-1 && i < len(p) {
		at[n] = i
		_, w := utf8.DecodeRuneInString(p[i:])
		i += w
		n++
	}
	at[n] = i
	cut := n
	for k := n - 1; k > maxTitleRunes*3/4; k-- {
		if r, _ := utf8.DecodeRuneInString(p[at[k]:]); unicode.IsSpace(r) {
			cut = k
			break
		}
	}
	return strings.TrimRightFunc(p[:at[cut]], func(c rune) bool {
		return unicode.IsSpace(c) || unicode.IsPunct(c) && c != '?' && c != '!' && c != ')' && c != '”' && c != '"'
	}) + "…"
}

// asciiSpace is unicode.IsSpace for ASCII.
var asciiSpace = [256]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// lineEnds normalises the line ends of a text whose offsets the file gives
// (CRLF and lone CR become LF) and moves code point offsets to match.
type lineEnds struct {
	raw     string
	text    string  // normalised
	dropped []int32 // code point offsets (into raw) of every CR dropped, ascending
}

func newLineEnds(raw string) *lineEnds {
	le := &lineEnds{raw: raw, text: raw}
	if !strings.Contains(raw, "\r") {
		return le
	}
	cp := int32(0)
	prevCR := false
	for _, r := range raw {
		if r == '\n' && prevCR {
			le.dropped = append(le.dropped, cp-1)
		}
		prevCR = r == '\r'
		cp++
	}
	le.text = normalizeNewlines(raw)
	return le
}

// pos moves a code point offset of raw to the normalised text.
func (le *lineEnds) pos(cp int) int {
	if len(le.dropped) == 0 {
		return cp
	}
	// The number of dropped CRs strictly before cp.
	n := sort.Search(len(le.dropped), func(i int) bool { return int(le.dropped[i]) >= cp })
	return cp - n
}

// spanPlacer turns a file's offsets of one text into code points of the
// stored (line-end normalised) text.
type spanPlacer struct {
	le *lineEnds
	t  *offsets.Text // of raw, built when needed
}

func newSpanPlacer(raw string) *spanPlacer { return &spanPlacer{le: newLineEnds(raw)} }

func (p *spanPlacer) text() string { return p.le.text }

func (p *spanPlacer) offs() *offsets.Text {
	if p.t == nil {
		p.t = offsets.New(p.le.raw)
	}
	return p.t
}

// stored is the offset tables of the stored (line-end normalised) text.
func (p *spanPlacer) stored() *offsets.Text {
	if p.le.text == p.le.raw {
		return p.offs()
	}
	return offsets.New(p.le.text)
}

// rawSlice is raw's code points [start, end), or ok = false when they are
// out of range.
func (p *spanPlacer) rawSlice(start, end int) (string, bool) {
	t := p.offs()
	if start < 0 || end < start || end > t.Len() {
		return "", false
	}
	return t.Slice(start, end), true
}

// place converts [start, end) counted in unit in the raw text to code
// points of the stored text. Range problems are left to the store, which
// explains them; only offsets inside a surrogate pair fail here.
func (p *spanPlacer) place(start, end int, unit OffsetUnit) (int, int, error) {
	if unit == UnitUTF16 {
		var err error
		if start, end, err = utf16ToCP(p.offs(), start, end); err != nil {
			return 0, 0, err
		}
	}
	if len(p.le.dropped) > 0 {
		n := p.offs().Len()
		if start >= 0 && start <= n && end >= 0 && end <= n {
			start, end = p.le.pos(start), p.le.pos(end)
		}
	}
	return start, end, nil
}

// utf16ToCP converts UTF-16 offsets of t to code points. Offsets out of
// range stay out of range (shifted by the difference of the lengths), for
// the store to refuse; offsets inside a surrogate pair are an error.
func utf16ToCP(t *offsets.Text, start, end int) (int, int, error) {
	if t.Len() == t.UTF16Len() {
		return start, end, nil
	}
	conv := func(u int, what string) (int, error) {
		cp, err := t.CodePointFromUTF16(u)
		if err == nil {
			return cp, nil
		}
		if errors.Is(err, offsets.ErrOutOfRange) {
			if u < 0 {
				return u, nil
			}
			return u - t.UTF16Len() + t.Len(), nil
		}
		return 0, fmt.Errorf("%s %d (UTF-16): %w", what, u, err)
	}
	s, err := conv(start, "start")
	if err != nil {
		return 0, 0, err
	}
	e, err := conv(end, "end")
	if err != nil {
		return 0, 0, err
	}
	return s, e, nil
}

// normText normalises the line ends of a span's text given by a file.
func normText(s string) string {
	if strings.Contains(s, "\r") {
		return normalizeNewlines(s)
	}
	return s
}

func validUTF8(name string, line int, s, what string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s:%d: %s is not valid UTF-8", name, line, what)
	}
	return nil
}
