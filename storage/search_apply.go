package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// DocumentEdits are edits of one document, for ApplyBatches.
type DocumentEdits struct {
	DocumentID string
	Edits      []Edit
}

// BatchesOptions tune ApplyBatches.
type BatchesOptions struct {
	// IncludeDone edits documents that the annotator marked done or
	// reviewed too; without it they are left alone (and counted).
	IncludeDone bool
}

// BatchesSummary says what ApplyBatches did.
type BatchesSummary struct {
	Documents int // documents changed, each one undo step
	Spans     int // spans made
	Rejected  int // suggestions rejected
	// Existing counts the create_span edits skipped because the annotator
	// had that label on that extent already.
	Existing int
	// DoneDocuments are the documents left alone because the annotator
	// marked them done or reviewed (without IncludeDone); DoneEdits their
	// edits.
	DoneDocuments, DoneEdits int
}

// ApplyBatches is ApplyBatch for many documents in one transaction: each
// document's edits — create_span and reject_suggestion — are one undo step
// in annotatorID's history of that document, and one refused edit (an
// unknown document or label, a span out of range) refuses them all, naming
// which. A create_span that repeats a span the annotator has (same label
// and extent) is skipped and counted, as by ApplyBatch. It is how every
// match of a search is labelled at once.
func (s *Store) ApplyBatches(ctx context.Context, annotatorID string, docs []DocumentEdits, opts BatchesOptions) (BatchesSummary, error) {
	var sum BatchesSummary
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		sum = BatchesSummary{}
		if err := annotatorExists(ctx, tx, annotatorID); err != nil {
			return err
		}
		for _, d := range docs {
			if err := ctx.Err(); err != nil {
				return err
			}
			if !opts.IncludeDone {
				st, err := status(ctx, tx, d.DocumentID, annotatorID)
				if err != nil {
					return err
				}
				if st == StatusDone || st == StatusReviewed {
					sum.DoneDocuments++
					sum.DoneEdits += len(d.Edits)
					continue
				}
			}
			var b batchChange
			spans, rejected := 0, 0
			for i, e := range d.Edits {
				e.DocumentID, e.AnnotatorID = d.DocumentID, annotatorID
				var c *change
				var err error
				switch e.Kind {
				case EditCreateSpan:
					c, _, err = s.createSpan(ctx, tx, e)
					if errors.Is(err, ErrConflict) && e.SpanID == "" && e.SuggestionID == "" {
						sum.Existing++
						continue
					}
				case EditRejectSuggestion:
					c, err = s.rejectSuggestion(ctx, tx, e)
				default:
					err = fmt.Errorf("%w: %s cannot be part of a batch", ErrInvalidEdit, e.Kind)
				}
				if err != nil {
					return fmt.Errorf("document %s, edit %d of %d: %w", d.DocumentID, i+1, len(d.Edits), err)
				}
				if c == nil {
					continue
				}
				b.Changes = append(b.Changes, *c)
				if e.Kind == EditCreateSpan {
					spans++
				} else {
					rejected++
				}
			}
			if len(b.Changes) == 0 {
				continue
			}
			if err := s.appendHistory(ctx, tx, annotatorID, d.DocumentID, EditBatch, "", b); err != nil {
				return err
			}
			sum.Documents++
			sum.Spans += spans
			sum.Rejected += rejected
		}
		return nil
	})
	if err != nil {
		return BatchesSummary{}, fmt.Errorf("batches: %w", err)
	}
	return sum, nil
}
