package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Statuses are the statuses in workflow order.
var Statuses = []Status{StatusTodo, StatusInProgress, StatusDone, StatusReviewed}

// Valid reports whether st is one of Statuses.
func (st Status) Valid() bool { return slices.Contains(Statuses, st) }

// statusRank is st's place in Statuses (-1 for none): on a tie, the further
// status wins a merge.
func statusRank(st Status) int { return slices.Index(Statuses, st) }

// statusNames lists Statuses for messages: "todo, in_progress, ...".
func statusNames() string {
	names := make([]string, len(Statuses))
	for i, st := range Statuses {
		names[i] = string(st)
	}
	return strings.Join(names, ", ")
}

// afterSpan is the rule that making a span starts work on a document: an
// annotator whose status there is todo (or none, "") is then in progress.
// It returns the status after a span is made where the status was cur.
func afterSpan(cur Status) Status {
	if cur == "" || cur == StatusTodo {
		return StatusInProgress
	}
	return cur
}

// startWorkSQL writes afterSpan's change for (document, annotator, updated);
// it leaves any status but todo alone. Apply and the importer both run it.
const startWorkSQL = `
	INSERT INTO document_status (document_id, annotator_id, status, updated)
	VALUES (?, ?, 'in_progress', ?)
	ON CONFLICT (document_id, annotator_id) DO UPDATE
	SET status = 'in_progress', updated = excluded.updated
	WHERE document_status.status = 'todo'`

// Status is annotatorID's status on document docID, StatusTodo when unset.
func (s *Store) Status(ctx context.Context, docID, annotatorID string) (Status, error) {
	st, err := status(ctx, s.db, docID, annotatorID)
	if err != nil {
		return "", fmt.Errorf("status: %w", err)
	}
	return st, nil
}

func status(ctx context.Context, q queryer, docID, annotatorID string) (Status, error) {
	var st Status
	err := q.QueryRowContext(ctx, `
		SELECT coalesce(
			(SELECT status FROM document_status WHERE document_id = d.id AND annotator_id = ?),
			'todo')
		FROM documents d WHERE d.id = ?`, annotatorID, docID).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("%w: document %q", ErrNotFound, docID)
	}
	return st, err
}

func (s *Store) writeStatus(ctx context.Context, tx *sql.Tx, docID, annotatorID string, st Status) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO document_status (document_id, annotator_id, status, updated) VALUES (?, ?, ?, ?)
		ON CONFLICT (document_id, annotator_id) DO UPDATE
		SET status = excluded.status, updated = excluded.updated`,
		docID, annotatorID, st, now().UnixNano())
	return err
}
