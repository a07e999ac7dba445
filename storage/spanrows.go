package storage

import (
	"context"
	"fmt"
)

// SpanFilter picks the spans of the span browser.
type SpanFilter struct {
	AnnotatorID string // "" for everyone
	LabelID     string // "" for every label
	// Status keeps the spans of documents whose status, for the span's
	// annotator, is this ("" for all).
	Status Status
	// Text keeps the spans whose text contains it, ignoring ASCII case.
	Text string
	// Sort is "label", "text", "annotator", "document" or "" (document
	// order, then start); Desc reverses it.
	Sort string
	Desc bool
	// Offset and Limit page through the result (Limit 0: 200).
	Offset, Limit int
}

// SpanRow is a span with its document's title.
type SpanRow struct {
	Span
	Title string
}

// spanRowSorts are the browser's sort keys; the order is one constant
// query whatever the key (spanRowOrder), with a tie-break so pages are
// stable.
var spanRowSorts = map[string]bool{"": true, "label": true, "text": true, "annotator": true, "document": true}

const spanRowOrder = `
	ORDER BY
		CASE WHEN ?8 = 0 THEN CASE ?7 WHEN 'label' THEN l.name WHEN 'text' THEN lower(s.text)
			WHEN 'annotator' THEN a.name WHEN 'document' THEN lower(d.title) END END ASC,
		CASE WHEN ?8 = 1 THEN CASE ?7 WHEN 'label' THEN l.name WHEN 'text' THEN lower(s.text)
			WHEN 'annotator' THEN a.name WHEN 'document' THEN lower(d.title) END END DESC,
		CASE WHEN ?7 = '' AND ?8 = 1 THEN -d.seq ELSE d.seq END, s.start, s."end" DESC, s.id`

func (s *Store) spanRowFrom() string {
	return `
	FROM spans s
	JOIN labels l ON l.id = s.label_id
	JOIN annotators a ON a.id = s.annotator_id
	JOIN documents d ON d.id = s.document_id
	WHERE (?1 = '' OR s.annotator_id = ?1)
	  AND (?2 = '' OR s.label_id = ?2)
	  AND (?3 = '' OR coalesce((SELECT status FROM document_status ds WHERE ds.document_id = s.document_id AND ds.annotator_id = s.annotator_id), 'todo') = ?3)
	  AND (?4 = '' OR ` + s.contains("lower(s.text)", "lower(?4)") + `)`
}

// SpanRows is one page of the spans f picks.
func (s *Store) SpanRows(ctx context.Context, f SpanFilter) ([]SpanRow, error) {
	if !spanRowSorts[f.Sort] {
		return nil, fmt.Errorf("span rows: %w: unknown sort %q", ErrInvalidEdit, f.Sort)
	}
	desc := 0
	if f.Desc {
		desc = 1
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 200
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT s.id, s.document_id, s.annotator_id, s.label_id, s.start, s."end",
			s.text, s.note, s.created, s.updated, s.suggestion, l.name, a.name, d.title`+s.spanRowFrom()+spanRowOrder+` LIMIT ?5 OFFSET ?6`,
		f.AnnotatorID, f.LabelID, string(f.Status), f.Text, limit, max(f.Offset, 0), f.Sort, desc)
	if err != nil {
		return nil, fmt.Errorf("span rows: %w", err)
	}
	defer rows.Close()
	var out []SpanRow
	for rows.Next() {
		var r SpanRow
		var created, updated int64
		if err := rows.Scan(&r.ID, &r.DocumentID, &r.AnnotatorID, &r.LabelID, &r.Start, &r.End, &r.Span.Text, &r.Note,
			&created, &updated, &r.Suggestion, &r.Label, &r.Annotator, &r.Title); err != nil {
			return nil, fmt.Errorf("span rows: %w", err)
		}
		r.Created, r.Updated = fromNanos(created), fromNanos(updated)
		out = append(out, r)
	}
	return out, rows.Err()
}

// CountSpanRows is how many spans f picks (its Offset and Limit aside).
func (s *Store) CountSpanRows(ctx context.Context, f SpanFilter) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*)`+s.spanRowFrom(), f.AnnotatorID, f.LabelID, string(f.Status), f.Text).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count span rows: %w", err)
	}
	return n, nil
}

// Inconsistency is a text labelled in more than one way: with several
// labels, or labelled in some places and not in others.
type Inconsistency struct {
	Text   string         // as first labelled
	Labels map[string]int // label name → places labelled so
}

// MixedLabels are the texts (ignoring ASCII case) that annotatorID (""
// for everyone) labelled with more than one label, most places first.
func (s *Store) MixedLabels(ctx context.Context, annotatorID string) ([]Inconsistency, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT min(s.text), l.name, count(*) FROM spans s JOIN labels l ON l.id = s.label_id
		WHERE (?1 = '' OR s.annotator_id = ?1) AND lower(s.text) IN (
			SELECT lower(text) FROM spans WHERE (?1 = '' OR annotator_id = ?1)
			GROUP BY lower(text) HAVING count(DISTINCT label_id) > 1)
		GROUP BY lower(s.text), l.name
		ORDER BY lower(s.text), l.name`, annotatorID)
	if err != nil {
		return nil, fmt.Errorf("mixed labels: %w", err)
	}
	defer rows.Close()
	var out []Inconsistency
	for rows.Next() {
		var text, label string
		var n int
		if err := rows.Scan(&text, &label, &n); err != nil {
			return nil, err
		}
		if k := len(out); k == 0 || !equalFoldASCII(out[k-1].Text, text) {
			out = append(out, Inconsistency{Text: text, Labels: map[string]int{}})
		}
		out[len(out)-1].Labels[label] += n
	}
	return out, rows.Err()
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
