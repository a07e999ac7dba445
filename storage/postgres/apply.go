package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"gloss/storage"
)

// LabelMatches labels every match of q with the label called labelName
// in the layer of the annotator called annotatorName (made when new), on
// the server at url (as a role that may write that layer: its owner, or
// the analyst themselves), in one transaction, one undo step per document
// (a batch history entry, as storage.Store.ApplyBatches writes). A match
// the annotator has labelled so already is skipped; so are the documents
// they marked done or reviewed, unless includeDone. It returns the
// matches found and what it did.
func LabelMatches(ctx context.Context, url string, q storage.SearchQuery, annotatorName, labelName string, includeDone bool) (int, storage.BatchesSummary, error) {
	var sum storage.BatchesSummary
	src, err := OpenSource(ctx, url)
	if err != nil {
		return 0, sum, err
	}
	defer src.Close()
	conn, err := connect(ctx, url)
	if err != nil {
		return 0, sum, err
	}
	defer conn.Close(context.Background())
	tx, err := conn.Begin(ctx)
	if err != nil {
		return 0, sum, err
	}
	defer tx.Rollback(context.Background())
	var labelID string
	if err := tx.QueryRow(ctx, `SELECT id FROM labels WHERE lower(name) = lower($1) ORDER BY position LIMIT 1`, strings.TrimSpace(labelName)).Scan(&labelID); err != nil {
		return 0, sum, fmt.Errorf("%w: label %q", storage.ErrNotFound, labelName)
	}
	var annID string
	err = tx.QueryRow(ctx, `SELECT id FROM annotators WHERE name = $1`, annotatorName).Scan(&annID)
	if errors.Is(err, pgx.ErrNoRows) {
		annID = newID()
		_, err = tx.Exec(ctx, `INSERT INTO annotators (id, name, created) VALUES ($1, $2, gloss_now())`, annID, annotatorName)
	}
	if err != nil {
		return 0, sum, refusal(err)
	}
	q.AnnotatorID = annID
	// The matches, by document, from a snapshot taken before the writes.
	var order []string
	byDoc := map[string][]storage.SearchMatch{}
	n := 0
	if err := src.Search(ctx, q, func(m storage.SearchMatch) error {
		if _, ok := byDoc[m.DocumentID]; !ok {
			order = append(order, m.DocumentID)
		}
		byDoc[m.DocumentID] = append(byDoc[m.DocumentID], m)
		n++
		return nil
	}); err != nil {
		return 0, sum, err
	}
	var now int64
	if err := tx.QueryRow(ctx, `SELECT gloss_now()`).Scan(&now); err != nil {
		return n, sum, err
	}
	for _, docID := range order {
		ms := byDoc[docID]
		var status string
		err := tx.QueryRow(ctx, `SELECT status FROM document_status WHERE document_id = $1 AND annotator_id = $2`, docID, annID).Scan(&status)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return n, sum, err
		}
		if (status == "done" || status == "reviewed") && !includeDone {
			sum.DoneDocuments++
			sum.DoneEdits += len(ms)
			continue
		}
		var changes []map[string]any
		for _, m := range ms {
			id := newID()
			tag, err := tx.Exec(ctx, `INSERT INTO spans (id, document_id, annotator_id, label_id, start, "end", text, created, updated)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT DO NOTHING`, id, docID, annID, labelID, m.Start, m.End, m.Text, now)
			if err != nil {
				return n, sum, refusal(err)
			}
			if tag.RowsAffected() == 0 {
				sum.Existing++
				continue
			}
			changes = append(changes, map[string]any{"after": spanState{ID: id, DocumentID: docID, AnnotatorID: annID,
				LabelID: labelID, Start: m.Start, End: m.End, Text: m.Text, Created: now, Updated: now}})
			sum.Spans++
		}
		if len(changes) == 0 {
			continue
		}
		if status == "" || status == "todo" {
			// Work starts on the document, in the same undo step.
			if _, err := tx.Exec(ctx, `INSERT INTO document_status (document_id, annotator_id, status, updated) VALUES ($1, $2, 'in_progress', $3)
				ON CONFLICT (document_id, annotator_id) DO UPDATE SET status = 'in_progress', updated = $3`, docID, annID, now); err != nil {
				return n, sum, refusal(err)
			}
			changes[0]["status_before"], changes[0]["status_after"] = "todo", "in_progress"
		}
		payload, err := json.Marshal(map[string]any{"changes": changes})
		if err != nil {
			return n, sum, err
		}
		// A new edit ends what could be redone, as in the SQLite store.
		if _, err := tx.Exec(ctx, `DELETE FROM edits WHERE annotator_id = $1 AND document_id = $2 AND undone`, annID, docID); err != nil {
			return n, sum, refusal(err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO edits (annotator_id, document_id, kind, span_id, payload, created) VALUES ($1, $2, 'batch', '', $3, $4)`,
			annID, docID, payload, now); err != nil {
			return n, sum, refusal(err)
		}
		sum.Documents++
	}
	return n, sum, tx.Commit(ctx)
}
