package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// readSnapshot runs fn on one connection inside a deferred (read)
// transaction, so that everything fn reads comes from one snapshot of the
// database. Unlike inTx it takes no write lock; under WAL, writers carry on.
func (s *Store) readSnapshot(ctx context.Context, fn func(*sql.Conn) error) (err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN DEFERRED`); err != nil {
		return err
	}
	defer func() {
		// A read transaction has nothing to commit; end it either way,
		// and on panic too, before the connection goes back to the pool.
		if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`); rerr != nil && err == nil {
			err = rerr
		}
	}()
	return fn(conn)
}

// EachDocument calls fn for every document in import order with all its
// spans (of every annotator, in Spans order). It reads one document at a
// time, each with its spans from one snapshot, and holds no transaction
// while fn runs, so fn may write to the store. Documents imported meanwhile
// are visited too when they come after the current one. An error from fn
// stops the walk and is returned as it is.
func (s *Store) EachDocument(ctx context.Context, fn func(Document, []Span) error) error {
	var last int64
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var d Document
		var spans []Span
		done := false
		err := s.readSnapshot(ctx, func(c *sql.Conn) error {
			var seq int64
			err := scanDocument(c.QueryRowContext(ctx, `
				SELECT `+documentColumns+`, t.text, d.seq
				FROM documents d JOIN document_texts t ON t.document_id = d.id
				WHERE d.seq > ? ORDER BY d.seq LIMIT 1`, last), &d, &d.Text, &seq)
			if errors.Is(err, sql.ErrNoRows) {
				done = true
				return nil
			}
			if err != nil {
				return err
			}
			last = seq
			rows, err := c.QueryContext(ctx, spanSelect+` WHERE s.document_id = ?`+spanOrder, d.ID)
			if err != nil {
				return err
			}
			spans, err = collectSpans(rows)
			return err
		})
		if err != nil {
			return fmt.Errorf("each document: %w", err)
		}
		if done {
			return nil
		}
		if err := fn(d, spans); err != nil {
			return err
		}
	}
}
