package formats

import "time"

// Doc is one document going in or out: read from an annotation file
// (ReadRecords) or written to one (Exporter). It is the one vocabulary of
// the formats; app/library converts it to and from the store's
// (storage.ImportRecord in, storage.Record out) at the boundary.
//
// Offsets are code points into Text, end exclusive, already converted from
// whatever the file counts in; Text is the stored text.
type Doc struct {
	ID         string // a UUID (given by the file, else "" when read)
	Title      string
	Text       string
	FileName   string
	Format     string // the format it was imported as ("spacy", "brat", "txt", ...)
	SHA256     string // of Text; written, not read
	ImportedAt time.Time
	Spans      []Span
	// Relations link two of Spans each (by index); only the formats with
	// a place for them (Format.Relations) write and read them, every other
	// exporter counts them (Summary.RelationsLeftOut).
	Relations []Relation
	Statuses  []Status
	// Suggestions are proposed spans (a model's, a pattern's, another
	// tool's predictions), never annotations. Only the formats with a place
	// for them (Format.Suggestions: jsonl, labelstudio) write and read
	// them; every other exporter leaves them out and counts them
	// (Summary.SuggestionsLeftOut), every other importer gives none.
	Suggestions []Suggestion
	// Annotators who worked on the document even if they made no span here
	// (a Prodigy "accept" without spans); read, not written.
	Annotators []string

	// Where a read document starts in its file, for error messages: Name,
	// a 1-based Line and, for JSON, the Path of the record ("$[3]").
	// SpansPath, when set, names spans without a Path: SpansPath[i].
	// Suggestions read always have their own Line and Path.
	Name      string
	Line      int
	Path      string
	SpansPath string
}

// Span is one span of a Doc.
type Span struct {
	ID          string // a UUID (given by the file, else "" when read)
	Start, End  int    // code points into Doc.Text, end exclusive
	Label       string
	LabelID     string // a UUID, or ""
	Text        string // the covered text; when read, as the file gives it ("" when it does not)
	Annotator   string // "" when the file names none
	AnnotatorID string
	Note        string
	// Attrs are the span's attribute values, by attribute name; only the
	// formats with a place for them write them (Summary.AttributesLeftOut).
	Attrs   []Attr
	Created time.Time
	Updated time.Time

	// Where a read span is: a line of the file and, for JSON, its path
	// ("$.spans[2]" or "$[0].annotations[0].result[1]").
	Line int
	Path string
}

// Suggestion is one proposed span of a Doc: what a model, a rule or
// another tool proposes, for an analyst to accept (it becomes a Span) or
// reject. It is never an annotation, and no format writes it as one.
//
// A suggestion read from a file has been checked against the text: not
// empty, in range, and its Text is the covered text (the file's own text,
// when it gives one, must match as a span's must). Its Score is in [0, 1].
// Its label may be one the label set does not have yet.
type Suggestion struct {
	ID          string // a UUID (given by the file, else "" when read)
	Start, End  int    // code points into Doc.Text, end exclusive, Start < End
	Label       string
	LabelID     string // a UUID, or ""
	Text        string // the covered text (always filled when read)
	Annotator   string // whose layer it is proposed for; "" when the file names none
	AnnotatorID string
	// Score is the confidence, in [0, 1]: 1 for a rule's match, and for a
	// file's suggestion that gives no score.
	Score float64
	// Source is what made it ("tagger", "dictionary", "pattern",
	// "wordlist", ...), Rule the pattern or list entry, ModelVersion the
	// model's version; each "" when unknown (a Label Studio file gives
	// only a model_version).
	Source       string
	Rule         string
	ModelVersion string
	Created      time.Time

	// Where a read suggestion is: a line of the file and its JSON path
	// ("$.suggestions[2]" or "$[0].predictions[0].result[1]").
	Line int
	Path string
}

// Status is an annotator's status on a Doc: "todo", "in_progress", "done"
// or "reviewed".
type Status struct {
	Annotator   string
	AnnotatorID string
	Status      string
	Updated     time.Time
}

// Relation is a typed link between two spans of a Doc: "this Figure
// supports that Claim". From and To are indexes into Doc.Spans; a reader
// resolves the file's own span references (a Gloss span id, brat T1,
// doccano's entity ids, Label Studio region ids, Prodigy's head_span and
// child_span or token indices) to them, and refuses a
// relation whose end it cannot find, naming its line and path. For a
// symmetric type the order of From and To carries no meaning.
type Relation struct {
	ID       string // a UUID (given by the file, else "" when read)
	Type     string // the relation type's name ("supports")
	TypeID   string // a UUID, or ""
	From, To int    // indexes into Doc.Spans, From != To
	// Symmetric says the file gives the relation no direction (brat's *
	// equivalences, Label Studio's direction "bi"): a type made for it on
	// import is symmetric (storage.ImportRelation.Symmetric). Read, not
	// written: exporters take the direction of a type from Options.Schema.
	Symmetric   bool
	Annotator   string // "" when the file names none
	AnnotatorID string
	Attrs       []Attr
	Created     time.Time
	Updated     time.Time

	// Where a read relation is: a line of the file and, for JSON, its path.
	Line int
	Path string
}

// Attr is one attribute value of a span or a relation. Value is the value
// as text: a choice's name, "true" for a set flag (brat's binary
// attributes; a flag that is not set is not listed), a number as Go's
// strconv.FormatFloat(v, 'g', -1, 64) writes it, or free text.
type Attr struct {
	Name  string
	Value string
}

// Schema is what the label set says beyond the label names: the relation
// types and the attributes, for the formats that declare them (brat's
// annotation.conf). Exporters take it in Options.Schema.
type Schema struct {
	Relations  []RelationType
	Attributes []AttributeDef
}

// RelationType is a declared relation type. Args lists the allowed
// (From label, To label) pairs; none means any pair.
type RelationType struct {
	Name     string
	Directed bool
	Args     []LabelPair
}

// LabelPair is an allowed pair of end labels of a relation type.
type LabelPair struct{ From, To string }

// Attribute kinds.
const (
	AttrChoice = "choice" // one of Choices
	AttrFlag   = "flag"   // yes/no: "true" when set
	AttrNumber = "number" // a number, within Min and Max when set
	AttrText   = "text"   // free text
)

// AttributeDef is a declared attribute: its kind, its choices (AttrChoice)
// and what it is on: label names and relation type names (none: every
// span).
type AttributeDef struct {
	Name     string
	Kind     string
	Choices  []string
	Min, Max *float64
	On       []string
}
