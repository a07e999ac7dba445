package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// EnsureAnnotator returns the annotator called name (after trimming spaces),
// creating it when there is none. Names are non-empty, without control
// characters and at most 100 code points; others are refused with
// ErrInvalidAnnotator. Names are matched exactly (case-sensitively).
func (s *Store) EnsureAnnotator(ctx context.Context, name string) (Annotator, error) {
	name = strings.TrimSpace(name)
	if reason := checkName(name); reason != "" {
		return Annotator{}, fmt.Errorf("%w: %s", ErrInvalidAnnotator, reason)
	}
	var a Annotator
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var created int64
		err := tx.QueryRowContext(ctx,
			`SELECT id, name, created FROM annotators WHERE name = ?`, name,
		).Scan(&a.ID, &a.Name, &created)
		if err == nil {
			a.Created = fromNanos(created)
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		a = Annotator{ID: newID(), Name: name, Created: now()}
		_, err = tx.ExecContext(ctx,
			`INSERT INTO annotators (id, name, created) VALUES (?, ?, ?)`,
			a.ID, a.Name, a.Created.UnixNano())
		return err
	})
	if err != nil {
		return Annotator{}, fmt.Errorf("ensure annotator %q: %w", name, err)
	}
	return a, nil
}

// Annotators returns every annotator, by name.
func (s *Store) Annotators(ctx context.Context) ([]Annotator, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, created FROM annotators ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("annotators: %w", err)
	}
	defer rows.Close()
	var out []Annotator
	for rows.Next() {
		var a Annotator
		var created int64
		if err := rows.Scan(&a.ID, &a.Name, &created); err != nil {
			return nil, fmt.Errorf("annotators: %w", err)
		}
		a.Created = fromNanos(created)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("annotators: %w", err)
	}
	return out, nil
}

// annotatorExists fails with ErrNotFound when there is no annotator id.
func annotatorExists(ctx context.Context, q queryer, id string) error {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM annotators WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: annotator %q", ErrNotFound, id)
	}
	return err
}

// GoldAnnotator is the name of the annotator whose spans are the gold layer:
// the adjudicated spans, which need no schema of their own.
const GoldAnnotator = "gold"

// IsGold reports whether an annotator's name is the gold layer's, ignoring
// case, so that agreement and lists leave out a "Gold" too.
func IsGold(name string) bool { return strings.EqualFold(name, GoldAnnotator) }

// EnsureGold returns the gold annotator, creating it when there is none: the
// one way to make it.
func (s *Store) EnsureGold(ctx context.Context) (Annotator, error) {
	return s.EnsureAnnotator(ctx, GoldAnnotator)
}
