package formats

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"gloss/app/offsets"
	"gloss/app/tokens"
)

// Options set up an exporter.
type Options struct {
	// Offsets is the unit offsets are written in: the format's own when
	// UnitDefault (Format.Units says which a format can write).
	Offsets OffsetUnit
	// Labels is the label set, in palette order: brat's annotation.conf and
	// the Hugging Face id list are made from it. Labels met in the data but
	// missing here are appended in the order they are met.
	Labels []string
	// Schema declares the relation types and attributes (brat's
	// annotation.conf is made from it; types and attributes met in the
	// data but missing here are added as they are met).
	Schema Schema
}

// Files creates the extra files of a format: brat's per-document files and
// annotation.conf (names relative to the output folder), and the labels
// file of hf (name "labels.json", placed by the caller beside the output).
type Files interface {
	Create(name string) (io.WriteCloser, error)
}

// Summary says what an export wrote and what it had to bend.
type Summary struct {
	Format    string
	Documents int // documents exported (lines, tasks, file pairs or blocks may be more, see Records)
	Records   int // units written: lines (jsonl, spacy, doccano, hf), tasks, .ann files, CoNLL blocks, CSV rows
	Spans     int // spans written (for conll and hf: spans that made it into the tags)

	// Suggestions counts the suggestions written, apart from the spans, by
	// the formats with a place for them (Format.Suggestions: jsonl as
	// "suggestions", labelstudio as "predictions").
	Suggestions int
	// SuggestionsLeftOut counts the suggestions given to a format without
	// a place for them: none is written (least of all as an annotation),
	// and the caller can say so.
	SuggestionsLeftOut int

	// Relations counts the relations written by the formats with a place
	// for them (Format.Relations); RelationsLeftOut those given to a format
	// without one (conll, hf, csv), or whose ends were not both written.
	Relations        int
	RelationsLeftOut int
	// RelationsFiltered counts the relations an export filter (by label,
	// annotator or status) dropped because it did not keep both ends;
	// the caller that filtered fills it.
	RelationsFiltered int
	// AttributesLeftOut counts the attribute values (of spans and
	// relations) given to a format without a place for them.
	AttributesLeftOut int

	// Misaligned counts spans whose ends do not fall on token boundaries
	// (spacy, conll, hf). spacy writes their character offsets as they are;
	// conll and hf widen them to the tokens that cover them.
	Misaligned     int
	MisalignedDocs []string // ids of the documents concerned, in export order

	// Dropped counts spans left out of conll and hf because they overlap a
	// span that won (longer first, then earlier start, then label name) or
	// cover no token at all.
	Dropped     int
	DroppedDocs []string

	// MixedDocs counts documents whose spans come from more than one
	// annotator in a format that has no notion of annotators (doccano,
	// brat, conll, hf): their layers were merged.
	MixedDocs int

	// Labels is the label list of hf and brat as written (after Options.Labels
	// and any labels met on the way).
	Labels []string
	// Files are the paths written, filled by the caller that placed them.
	Files []string
}

// Exporter writes one format, a document at a time.
type Exporter interface {
	// Write checks every span against the text and writes the document. A
	// document that fails the check is not written and the error names it.
	// Nothing of d is kept after Write returns: the caller may reuse its
	// slices for the next document.
	Write(d Doc) error
	// Close finishes the output (closing brackets, side files) and returns
	// the summary. It does not close the writer it was given.
	Close() (Summary, error)
}

// NewExporter returns the exporter of format writing to w; files is needed
// for brat (every file goes there, w is unused) and hf (its labels file).
func NewExporter(format string, w io.Writer, files Files, opts Options) (Exporter, error) {
	f, ok := Lookup(format)
	if !ok || !f.Export {
		return nil, fmt.Errorf("unknown format %q (known: %s)", format, strings.Join(ExportFormats(), ", "))
	}
	switch opts.Offsets {
	case UnitDefault:
		// The format's own unit, the one its importer reads by default,
		// so what Gloss writes comes back.
		opts.Offsets = f.Own()
	case UnitCodePoints, UnitUTF16:
		if err := f.CanWrite(opts.Offsets); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unknown offsets %q (known: %s, %s)", opts.Offsets, UnitCodePoints, UnitUTF16)
	}
	b := base{sum: Summary{Format: format}, utf16: opts.Offsets == UnitUTF16, sugs: f.Suggestions,
		rels: f.Relations, attrs: f.Attributes, schema: opts.Schema}
	if format == "brat" || format == "hf" {
		b.labels = newLabelList(opts.Labels)
	}
	ex, err := newExporter(format, w, files, b)
	if err != nil {
		return nil, err
	}
	if !f.Suggestions || !f.Relations || !f.Attributes {
		ex = &leftOut{Exporter: ex, sugs: f.Suggestions, rels: f.Relations, attrs: f.Attributes}
	}
	return ex, nil
}

// newExporter is the exporter of format.
func newExporter(format string, w io.Writer, files Files, b base) (Exporter, error) {
	switch format {
	case "jsonl":
		return &jsonlExporter{base: b, w: NewJSONLWriter(w)}, nil
	case "spacy":
		return &spacyExporter{base: b, w: w}, nil
	case "doccano":
		return &doccanoExporter{base: b, w: w}, nil
	case "brat":
		if files == nil {
			return nil, fmt.Errorf("brat writes a folder: give an output folder")
		}
		return newBratExporter(b, files), nil
	case "conll":
		return &conllExporter{base: b, w: w}, nil
	case "labelstudio":
		return &labelStudioExporter{base: b, w: w}, nil
	case "hf":
		if files == nil {
			return nil, fmt.Errorf("hf writes a labels file beside its output: give an output file")
		}
		return &hfExporter{base: b, w: w, files: files}, nil
	case "csv":
		return newCSVExporter(b, w), nil
	}
	panic("formats: " + format + " is in the table but has no exporter")
}

// leftOut is the Exporter of a format without a place for suggestions,
// relations or attributes: the format's exporter never looks at what it
// has no place for, and leftOut counts it for every document written
// (Summary.SuggestionsLeftOut, RelationsLeftOut, AttributesLeftOut). The
// attributes of relations left out are left out with them.
type leftOut struct {
	Exporter
	sugs, rels, attrs    bool // the format has a place for them
	nSugs, nRels, nAttrs int
}

func (e *leftOut) Write(d Doc) error {
	if err := e.Exporter.Write(d); err != nil {
		return err
	}
	if !e.sugs {
		e.nSugs += len(d.Suggestions)
	}
	spanAttrs, relAttrs := attrCounts(d)
	if !e.rels {
		e.nRels += len(d.Relations)
		e.nAttrs += relAttrs
	}
	if !e.attrs {
		e.nAttrs += spanAttrs
		if e.rels {
			e.nAttrs += relAttrs
		}
	}
	return nil
}

func (e *leftOut) Close() (Summary, error) {
	s, err := e.Exporter.Close()
	s.SuggestionsLeftOut += e.nSugs
	s.RelationsLeftOut += e.nRels
	s.AttributesLeftOut += e.nAttrs
	return s, err
}

// base is what every exporter shares: the summary, the offset unit, the
// label list and the buffers reused from one document to the next.
type base struct {
	sum    Summary
	utf16  bool
	sugs   bool // the format writes suggestions: checked() checks them too
	rels   bool // the format writes relations: checked() checks them too
	attrs  bool // the format writes attributes: checked() checks their names
	schema Schema
	labels *labelList
	table  []int32 // reused by checked
	buf    []byte  // a document's output is built on buf[:0] (see emit)
	// tokenizer's memory is reused from document to document: its tokens
	// are the current document's only.
	tokenizer tokens.Tokenizer
}

// maxKeep is the capacity past which a buffer is not kept for the next
// document: one huge document's buffer is let go, not held for the rest.
const maxKeep = 1 << 22

// reuse is s to keep for the next document, or nil when it grew past
// maxKeep.
func reuse[T any](s []T) []T {
	if cap(s) > maxKeep {
		return nil
	}
	return s
}

// emit writes out, a document's output built on b.buf[:0], to w and keeps
// it as the buffer for the next document.
func (b *base) emit(w io.Writer, out []byte) error {
	if _, err := w.Write(out); err != nil {
		return err
	}
	b.buf = reuse(out)
	return nil
}

// wrote counts a document written: records units of output (see
// Summary.Records) holding spans spans, of which misaligned were not on
// token boundaries, and dropped spans left out.
func (b *base) wrote(docID string, records, spans, misaligned, dropped int) {
	b.sum.Documents++
	b.sum.Records += records
	b.sum.Spans += spans
	countIn(&b.sum.Misaligned, &b.sum.MisalignedDocs, docID, misaligned)
	countIn(&b.sum.Dropped, &b.sum.DroppedDocs, docID, dropped)
}

// iob checks d's spans and tags its tokens, one IOB2 tag each (conll, hf).
func (b *base) iob(d Doc) ([]tokens.Token, iobResult, error) {
	if _, err := b.checked(d); err != nil {
		return nil, iobResult{}, err
	}
	toks := b.tokenizer.Tokenize(d.Text)
	return toks, resolveIOB(toks, d.Spans), nil
}

func (b *base) summary() Summary {
	s := b.sum
	if b.labels != nil {
		s.Labels = slices.Clone(b.labels.names)
	}
	return s
}

// countIn adds n spans of document docID to a count of the summary and,
// when there are any, the document to its list.
func countIn(count *int, docs *[]string, docID string, n int) {
	if n == 0 {
		return
	}
	*count += n
	*docs = append(*docs, docID)
}

func (b *base) mixed(d Doc) {
	for _, s := range d.Spans[min(1, len(d.Spans)):] {
		if s.AnnotatorID != d.Spans[0].AnnotatorID || s.Annotator != d.Spans[0].Annotator {
			b.sum.MixedDocs++
			return
		}
	}
}

// checked verifies every span of d against its text: in range, start <=
// end, and its text equal to the code point slice; and, for a format that
// writes them, every suggestion (see checkSuggestion) and every relation
// and attribute (checkRelations). It returns the
// offset tables of the text when UTF-16 offsets are wanted, else nil (code
// point offsets need no conversion, and building the tables is a good part
// of an export's time).
func (b *base) checked(d Doc) (*offsets.Text, error) {
	if b.rels {
		if err := checkRelations(d, b.attrs); err != nil {
			return nil, err
		}
	}
	if b.utf16 {
		return checked(d, b.sugs)
	}
	var err error
	b.table, err = checkSpans(d, b.table, b.sugs)
	return nil, err
}

// checked is base.checked with the full offset tables.
func checked(d Doc, sugs bool) (*offsets.Text, error) {
	t := offsets.New(d.Text)
	n := t.Len()
	for _, s := range d.Spans {
		if s.Start < 0 || s.End < s.Start || s.End > n {
			return nil, rangeError(d, s, n)
		}
		if got := t.Slice(s.Start, s.End); got != s.Text {
			return nil, textError(d, s, got)
		}
	}
	if sugs {
		for i := range d.Suggestions {
			if err := checkSuggestion(d, &d.Suggestions[i], n, t.Slice); err != nil {
				return nil, err
			}
		}
	}
	return t, nil
}

// checkSpans checks like checked with only a code point → byte table,
// built in table (returned for reuse) and only when the text is not ASCII.
func checkSpans(d Doc, table []int32, sugs bool) ([]int32, error) {
	if len(d.Spans) == 0 && (!sugs || len(d.Suggestions) == 0) {
		return table, nil
	}
	text := d.Text
	ascii := true
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	n := len(text)
	if !ascii {
		table = table[:0]
		for i := range text {
			table = append(table, int32(i))
		}
		n = len(table)
		table = append(table, int32(len(text)))
	}
	for _, s := range d.Spans {
		if s.Start < 0 || s.End < s.Start || s.End > n {
			return table, rangeError(d, s, n)
		}
		var got string
		if ascii {
			got = text[s.Start:s.End]
		} else {
			got = text[table[s.Start]:table[s.End]]
		}
		if got != s.Text {
			return table, textError(d, s, got)
		}
	}
	if sugs {
		slice := func(start, end int) string {
			if ascii {
				return text[start:end]
			}
			return text[table[start]:table[end]]
		}
		for i := range d.Suggestions {
			if err := checkSuggestion(d, &d.Suggestions[i], n, slice); err != nil {
				return table, err
			}
		}
	}
	return reuse(table), nil
}

// checkSuggestion is the export's check of a suggestion of d, whose text
// has n code points sliced by slice: what the import requires, so that what
// is written reads back — not empty, in range, its text the covered text,
// a label, and a score in [0, 1].
func checkSuggestion(d Doc, s *Suggestion, n int, slice func(start, end int) string) error {
	if s.Start < 0 || s.End <= s.Start || s.End > n {
		return fmt.Errorf("document %s, suggestion %s: offsets [%d, %d) out of range or empty (text has %d code points)",
			d.ID, s.ID, s.Start, s.End, n)
	}
	if got := slice(s.Start, s.End); got != s.Text {
		return fmt.Errorf("document %s, suggestion %s: text %q does not match the document's code points [%d, %d), which are %q",
			d.ID, s.ID, s.Text, s.Start, s.End, got)
	}
	if s.Label == "" {
		return fmt.Errorf("document %s, suggestion %s: no label", d.ID, s.ID)
	}
	if !validScore(s.Score) {
		return fmt.Errorf("document %s, suggestion %s: score %v is not between 0 and 1", d.ID, s.ID, s.Score)
	}
	return nil
}

func rangeError(d Doc, s Span, n int) error {
	return fmt.Errorf("document %s, span %s: offsets [%d, %d) out of range (text has %d code points)",
		d.ID, s.ID, s.Start, s.End, n)
}

func textError(d Doc, s Span, got string) error {
	return fmt.Errorf("document %s, span %s: text %q does not match the document's code points [%d, %d), which are %q",
		d.ID, s.ID, s.Text, s.Start, s.End, got)
}

// off converts a code point offset to the output unit.
func (b *base) off(t *offsets.Text, cp int) int {
	if b.utf16 {
		return t.UTF16Offset(cp)
	}
	return cp
}

// annotatorsOf lists the annotators of d: those with a status and those
// with spans, by name then id, each once. An annotator is named by name
// and id together.
func annotatorsOf(d Doc) []annotatorRef {
	seen := map[annotatorRef]bool{}
	var out []annotatorRef
	add := func(a annotatorRef) {
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	for _, st := range d.Statuses {
		add(annotatorRef{st.Annotator, st.AnnotatorID})
	}
	for _, s := range d.Spans {
		add(annotatorRef{s.Annotator, s.AnnotatorID})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].name != out[j].name {
			return out[i].name < out[j].name
		}
		return out[i].id < out[j].id
	})
	return out
}

type annotatorRef struct{ name, id string }

// spansOf returns the spans of d made by a.
func spansOf(d Doc, a annotatorRef) []Span {
	var out []Span
	for _, s := range d.Spans {
		if s.Annotator == a.name && s.AnnotatorID == a.id {
			out = append(out, s)
		}
	}
	return out
}

// labelList is the ordered label set of brat and hf.
type labelList struct {
	names []string
	index map[string]int
}

func newLabelList(names []string) *labelList {
	l := &labelList{index: map[string]int{}}
	for _, n := range names {
		l.add(n)
	}
	return l
}

func (l *labelList) add(name string) int {
	if i, ok := l.index[name]; ok {
		return i
	}
	l.index[name] = len(l.names)
	l.names = append(l.names, name)
	return len(l.names) - 1
}
