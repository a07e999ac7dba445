package storage

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
)

const spanSelect = `
	SELECT s.id, s.document_id, s.annotator_id, s.label_id, s.start, s."end",
		s.text, s.note, s.created, s.updated, s.suggestion, l.name, a.name
	FROM spans s
	JOIN labels l ON l.id = s.label_id
	JOIN annotators a ON a.id = s.annotator_id`

// spanOrder is CompareSpans in SQL.
const spanOrder = ` ORDER BY s.start, s."end" DESC, s.created, s.id`

func scanSpan(sc interface{ Scan(...any) error }) (Span, error) {
	var sp Span
	var created, updated int64
	err := sc.Scan(&sp.ID, &sp.DocumentID, &sp.AnnotatorID, &sp.LabelID, &sp.Start, &sp.End,
		&sp.Text, &sp.Note, &created, &updated, &sp.Suggestion, &sp.Label, &sp.Annotator)
	sp.Created, sp.Updated = fromNanos(created), fromNanos(updated)
	return sp, err
}

// Spans returns the spans of document docID made by annotatorID, or by every
// annotator when annotatorID is "", ordered by Start, then End descending
// (outer spans before the ones nested in them). Label and Annotator are
// filled.
func (s *Store) Spans(ctx context.Context, docID, annotatorID string) ([]Span, error) {
	var rows *sql.Rows
	var err error
	if annotatorID == "" {
		rows, err = s.db.QueryContext(ctx, spanSelect+` WHERE s.document_id = ?`+spanOrder, docID)
	} else {
		rows, err = s.db.QueryContext(ctx, spanSelect+` WHERE s.document_id = ? AND s.annotator_id = ?`+spanOrder, docID, annotatorID)
	}
	if err != nil {
		return nil, fmt.Errorf("spans: %w", err)
	}
	out, err := collectSpans(rows)
	if err != nil {
		return nil, fmt.Errorf("spans: %w", err)
	}
	return out, nil
}

func collectSpans(rows *sql.Rows) ([]Span, error) {
	defer rows.Close()
	var out []Span
	for rows.Next() {
		sp, err := scanSpan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sp)
	}
	return out, rows.Err()
}

// Span returns span id with Label and Annotator filled.
func (s *Store) Span(ctx context.Context, id string) (Span, error) {
	sp, err := scanSpan(s.db.QueryRowContext(ctx, spanSelect+` WHERE s.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Span{}, fmt.Errorf("%w: span %q", ErrNotFound, id)
	}
	if err != nil {
		return Span{}, fmt.Errorf("span %q: %w", id, err)
	}
	return sp, nil
}

// CompareSpans is the order of spans everywhere in Gloss: by Start, then End
// descending (outer spans before the ones nested in them), then Created,
// then ID. It is what Spans returns (spanOrder in SQL), for slices.SortFunc
// and slices.BinarySearchFunc.
func CompareSpans(a, b Span) int {
	if c := cmp.Compare(a.Start, b.Start); c != 0 {
		return c
	}
	if c := cmp.Compare(b.End, a.End); c != 0 {
		return c
	}
	if c := a.Created.Compare(b.Created); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// spanFields is what checkSpan looks at: a span's own content, whichever
// path (Apply, the importer, Merge) brings it.
type spanFields struct {
	id         string // "" when the store makes one
	start, end int
	text       string // the covered text as given, when checkText
	checkText  bool
	note       string
}

// codePoints is a document's text as checkSpan needs it: its length in code
// points and the text of an extent within it (0 <= start < end <= len).
type codePoints interface {
	len() int
	slice(start, end int) string
}

// checkSpan is the one check of a span's content: every path that writes
// spans calls it, so that a fault gets the same error (ErrInvalidSpan)
// whichever way the span came. It returns the covered text. References
// (document, annotator, label) are each path's to resolve.
func checkSpan(sp spanFields, doc codePoints) (string, error) {
	if err := checkExtent(sp.start, sp.end, doc.len()); err != nil {
		return "", err
	}
	covered := doc.slice(sp.start, sp.end)
	if sp.checkText && sp.text != covered {
		return "", fmt.Errorf("%w: text %q does not match the document's code points [%d, %d), which are %q",
			ErrInvalidSpan, sp.text, sp.start, sp.end, covered)
	}
	if err := checkNote(sp.note); err != nil {
		return "", err
	}
	if sp.id != "" {
		if _, err := uuid.Parse(sp.id); err != nil {
			return "", fmt.Errorf("%w: span id %q is not a UUID", ErrInvalidSpan, sp.id)
		}
	}
	return covered, nil
}

// checkExtent explains what is wrong with [start, end) in a text of length
// code points, or returns nil.
func checkExtent(start, end, length int) error {
	switch {
	case start < 0:
		return fmt.Errorf("%w: start %d is negative", ErrInvalidSpan, start)
	case start > end:
		return fmt.Errorf("%w: start %d > end %d", ErrInvalidSpan, start, end)
	case start == end:
		return fmt.Errorf("%w: empty (start = end = %d)", ErrInvalidSpan, start)
	case end > length:
		return fmt.Errorf("%w: end %d past document length %d", ErrInvalidSpan, end, length)
	}
	return nil
}

// checkNote is checkSpan's check of a note, also for set_note.
func checkNote(note string) error {
	if !utf8.ValidString(note) {
		return fmt.Errorf("%w: note is not valid UTF-8", ErrInvalidSpan)
	}
	return nil
}

// storedText is a stored document's text for checkSpan: its length comes
// from the documents table, so only the extent asked about is walked.
type storedText struct {
	text   string
	length int
}

func (t storedText) len() int { return t.length }

func (t storedText) slice(start, end int) string {
	s, _ := sliceRunes(t.text, start, end) // checkExtent has checked the range
	return s
}
