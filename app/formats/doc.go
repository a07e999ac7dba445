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
	Statuses   []Status
	// Annotators who worked on the document even if they made no span here
	// (a Prodigy "accept" without spans); read, not written.
	Annotators []string

	// Where a read document starts in its file, for error messages: Name,
	// a 1-based Line and, for JSON, the Path of the record ("$[3]").
	// SpansPath, when set, names spans without a Path: SpansPath[i].
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
	Created     time.Time
	Updated     time.Time

	// Where a read span is: a line of the file and, for JSON, its path
	// ("$.spans[2]" or "$[0].annotations[0].result[1]").
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
