package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

const spanSelect = `
	SELECT s.id, s.document_id, s.annotator_id, s.label_id, s.start, s."end",
		s.text, s.note, s.created, s.updated, l.name, a.name
	FROM spans s
	JOIN labels l ON l.id = s.label_id
	JOIN annotators a ON a.id = s.annotator_id`

const spanOrder = ` ORDER BY s.start, s."end" DESC, s.created, s.id`

func scanSpan(sc interface{ Scan(...any) error }) (Span, error) {
	var sp Span
	var created, updated int64
	err := sc.Scan(&sp.ID, &sp.DocumentID, &sp.AnnotatorID, &sp.LabelID, &sp.Start, &sp.End,
		&sp.Text, &sp.Note, &created, &updated, &sp.Label, &sp.Annotator)
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
