// Package storage is Gloss's SQLite store: the schema, its migrations and a
// typed API over them. It knows nothing of the GUI. No SQL lives outside it.
//
// Offsets are Unicode code points into Document.Text, end exclusive.
package storage

import "time"

// Status is an annotator's progress on one document.
type Status string

const (
	StatusTodo       Status = "todo"
	StatusInProgress Status = "in_progress"
	StatusDone       Status = "done"
	StatusReviewed   Status = "reviewed"
)

// Annotator is a person who makes spans.
type Annotator struct {
	ID      string // UUIDv7
	Name    string // unique
	Created time.Time
}

// LabelSet groups labels; Gloss has one default set, more may come.
type LabelSet struct {
	ID   string
	Name string
}

// Label is one entry of a label set.
type Label struct {
	ID       string
	SetID    string
	Name     string // unique within the set
	Color    string // "#rrggbb"
	Key      string // keyboard key that applies it, "1".."9" or "" for none; unique within the set
	Position int    // order in the palette
}

// NewDocument is what an importer hands to the store.
type NewDocument struct {
	ID       string // optional; a UUIDv7 is made when empty
	Title    string
	Text     string // stored exactly as given; offsets refer to it
	FileName string // base name of the source file, "" when none
	Format   string // "txt", "md", "html", ...
	// Byline, Published (as the page writes the date) and Site, when a
	// web page said them; kept for a new document only.
	Byline, Published, Site string
}

// Document is a stored article.
type Document struct {
	ID         string
	Title      string
	Text       string
	FileName   string
	Format     string
	SHA256     string // hex SHA-256 of Text
	Length     int    // length of Text in code points
	ImportedAt time.Time
	// What an imported web page said of itself ("" when nothing).
	Byline, Published, Site string
}

// DocumentSummary is a row of the document list.
type DocumentSummary struct {
	ID        string
	Title     string
	FileName  string // the file it was imported from, or ""
	Status    Status // the asking annotator's status, StatusTodo when unset
	SpanCount int    // the asking annotator's spans
}

// Span is one labelled stretch of a document.
type Span struct {
	ID          string
	DocumentID  string
	AnnotatorID string
	LabelID     string
	Start, End  int    // code points, end exclusive
	Text        string // the covered text, always equal to the document's runes [Start:End)
	Note        string
	Created     time.Time
	Updated     time.Time
	// Suggestion says where an accepted suggestion came from: its source,
	// model version and ID ("tagger v3 #01a2…"); "" for a span made by hand.
	Suggestion string

	// Filled on read for convenience; ignored on write.
	Label     string // the label's name
	Annotator string // the annotator's name
}

// EditKind names the kinds of edit that undo knows.
type EditKind string

const (
	EditCreateSpan  EditKind = "create_span"
	EditDeleteSpan  EditKind = "delete_span"
	EditRelabelSpan EditKind = "relabel_span"
	// EditRejectSuggestion turns suggestion Edit.SuggestionID down: its
	// label on its extent is not suggested to the annotator on that
	// document again.
	EditRejectSuggestion EditKind = "reject_suggestion"
	// EditBatch is several edits of one document made as one undo step
	// (ApplyBatch): every suggestion above a threshold accepted, every
	// occurrence of a text labelled.
	EditBatch      EditKind = "batch"
	EditResizeSpan EditKind = "resize_span" // new Start and End, same span (its edges moved)
	EditSetNote    EditKind = "set_note"
	EditSetStatus  EditKind = "set_status"
	// EditRenameDocument gives the document the title Edit.Title. Titles
	// are shared; the undo step is in the renaming analyst's history.
	EditRenameDocument EditKind = "rename_document"
	// EditCreateRelation links span Edit.From to span Edit.To with relation
	// type Edit.TypeID (Edit.RelationID optional, a UUIDv7 when empty).
	EditCreateRelation EditKind = "create_relation"
	// EditDeleteRelation deletes relation Edit.RelationID.
	EditDeleteRelation EditKind = "delete_relation"
	// EditRetypeRelation gives relation Edit.RelationID type Edit.TypeID.
	EditRetypeRelation EditKind = "retype_relation"
	// EditSetAttribute sets attribute Edit.AttributeID of the span or
	// relation Edit.OwnerID to Edit.Value ("" unsets it).
	EditSetAttribute EditKind = "set_attribute"
)

// Edit is one change an analyst makes. Store.Apply persists it and records it
// for undo in the same transaction.
type Edit struct {
	Kind        EditKind
	DocumentID  string
	AnnotatorID string
	SpanID      string // delete, relabel, note; optional for create (a UUIDv7 is made when empty)
	LabelID     string // create, relabel
	Start, End  int    // create, resize
	Note        string // create, set_note
	Status      Status // set_status
	Title       string // rename_document
	// SuggestionID, on create_span, accepts that suggestion (the span
	// records its source); on reject_suggestion, the one turned down.
	SuggestionID string
	// Relations and attributes.
	RelationID  string // delete_relation, retype_relation; optional for create_relation
	TypeID      string // create_relation, retype_relation
	From, To    string // create_relation: the span IDs it links
	OwnerID     string // set_attribute: a span or relation ID
	AttributeID string // set_attribute
	Value       string // set_attribute
}

// NameCount is one row of a statistic.
type NameCount struct {
	Name  string
	Count int
}

// Stats summarises a database.
type Stats struct {
	Documents    int
	Spans        int
	Annotators   int
	PerLabel     []NameCount // by count, descending
	PerAnnotator []NameCount
	Relations    int
	// PerRelationType has every relation type with its number of
	// relations, by count descending, then name.
	PerRelationType []NameCount
	// PerStatus counts (document, annotator) pairs by status: with two
	// annotators every document counts twice. StatusByAnnotator says it
	// per annotator, which is what a person reads.
	PerStatus         []NameCount
	StatusByAnnotator []AnnotatorStatuses
}

// AnnotatorStatuses counts one annotator's documents by status, in
// Statuses order (a document without a status of theirs is todo).
type AnnotatorStatuses struct {
	Annotator string
	Counts    []NameCount
}
