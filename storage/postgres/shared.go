package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
)

// The shared rows (a document's title, a label) are changed with an
// optimistic check: the caller says what it last saw, and the change is
// made only if the row still says so. Two leads renaming one label at
// once: the second is refused with ErrConflict, saying what the row says
// now, and never overwrites the first. Spans need no such check: each
// belongs to its annotator, whom the server alone lets write it.

// RenameDocument gives document id the title to, if its title is still
// from (what the caller showed); a lead's.
func (s *Store) RenameDocument(ctx context.Context, id, from, to string) error {
	to = strings.TrimSpace(to)
	if to == "" || !utf8.ValidString(to) || strings.ContainsAny(to, "\n\r\t") {
		return fmt.Errorf("rename document: %w: %q is not a title", ErrInvalidName, to)
	}
	return s.checked(ctx, "rename document", `UPDATE documents SET title = $3 WHERE id = $1 AND title = $2`,
		`SELECT title FROM documents WHERE id = $1`, id, from, to)
}

// RenameLabel renames label id, if it is still called from; a lead's.
func (s *Store) RenameLabel(ctx context.Context, id, from, to string) error {
	to = strings.TrimSpace(to)
	if to == "" || !utf8.ValidString(to) {
		return fmt.Errorf("rename label: %w: %q", ErrInvalidName, to)
	}
	return s.checked(ctx, "rename label", `UPDATE labels SET name = $3 WHERE id = $1 AND name = $2`,
		`SELECT name FROM labels WHERE id = $1`, id, from, to)
}

// RecolourLabel gives label id the colour to, if it still has from.
func (s *Store) RecolourLabel(ctx context.Context, id, from, to string) error {
	return s.checked(ctx, "recolour label", `UPDATE labels SET color = $3 WHERE id = $1 AND color = $2`,
		`SELECT color FROM labels WHERE id = $1`, id, from, to)
}

// checked runs update (id, from, to) and, when it changed nothing, tells
// why from now (id): the row is gone, or someone changed it since.
func (s *Store) checked(ctx context.Context, what, update, now, id, from, to string) error {
	err := pgx.BeginFunc(ctx, retrying{s.pool}, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, update, id, from, to)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 1 {
			return nil
		}
		var cur string
		err = tx.QueryRow(ctx, now, id).Scan(&cur)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return fmt.Errorf("%w: %s is gone", ErrNotFound, id)
		case err != nil:
			return err
		case cur == to:
			return nil // the same change, made by someone else too
		}
		return fmt.Errorf("%w: someone changed it since you saw %q: it is now %q; reload and try again", ErrConflict, from, cur)
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, refusal(err))
	}
	return nil
}
