package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// spanState is a span as the undo history records it: every stored column,
// so that undo and redo restore it exactly (ID and timestamps included).
type spanState struct {
	ID          string `json:"id"`
	DocumentID  string `json:"document_id"`
	AnnotatorID string `json:"annotator_id"`
	LabelID     string `json:"label_id"`
	Start       int    `json:"start"`
	End         int    `json:"end"`
	Text        string `json:"text"`
	Note        string `json:"note"`
	Created     int64  `json:"created"` // Unix nanoseconds
	Updated     int64  `json:"updated"`
	Suggestion  string `json:"suggestion,omitempty"`
}

func stateOf(sp Span) *spanState {
	return &spanState{
		ID: sp.ID, DocumentID: sp.DocumentID, AnnotatorID: sp.AnnotatorID, LabelID: sp.LabelID,
		Start: sp.Start, End: sp.End, Text: sp.Text, Note: sp.Note,
		Created: sp.Created.UnixNano(), Updated: sp.Updated.UnixNano(), Suggestion: sp.Suggestion,
	}
}

// change is the payload of an edits row: the state before and after the
// edit. A nil span state means "no such span" (before a create, after a
// delete). set_status edits use the status fields only.
type change struct {
	Before       *spanState `json:"before,omitempty"`
	After        *spanState `json:"after,omitempty"`
	StatusBefore Status     `json:"status_before,omitempty"`
	StatusAfter  Status     `json:"status_after,omitempty"`
	TitleBefore  string     `json:"title_before,omitempty"`
	TitleAfter   string     `json:"title_after,omitempty"`
	// A rejected suggestion: nil before, the rejection after.
	RejectBefore *rejectState `json:"reject_before,omitempty"`
	RejectAfter  *rejectState `json:"reject_after,omitempty"`
	// A relation edit: nil before a create, after a delete.
	RelBefore *relationState `json:"rel_before,omitempty"`
	RelAfter  *relationState `json:"rel_after,omitempty"`
	// An attribute edit: nil when the attribute is not set.
	AttrBefore *attrState `json:"attr_before,omitempty"`
	AttrAfter  *attrState `json:"attr_after,omitempty"`
	// What went with a deleted span (or relation): its relations and the
	// attribute values of both, so that undo brings them back.
	Cascade      []relationState `json:"cascade,omitempty"`
	CascadeAttrs []attrState     `json:"cascade_attrs,omitempty"`
}

// batchChange is the payload of a batch edit: its changes in the order
// they were made (undo takes them back in reverse).
type batchChange struct {
	Changes []change `json:"changes"`
}

func (c *change) spanID() string {
	switch {
	case c.After != nil:
		return c.After.ID
	case c.Before != nil:
		return c.Before.ID
	case c.RelAfter != nil:
		return c.RelAfter.ID
	case c.RelBefore != nil:
		return c.RelBefore.ID
	case c.AttrAfter != nil:
		return c.AttrAfter.Owner
	case c.AttrBefore != nil:
		return c.AttrBefore.Owner
	}
	return ""
}

// Apply makes edit e and records it in e.AnnotatorID's undo history of
// e.DocumentID, in one transaction; it also clears that history's redo
// entries. It returns the span after the edit (for delete_span the span as it
// was; for set_status a zero Span).
//
// create_span refuses an empty, reversed, negative or out-of-range extent,
// a span ID that is not a UUID or a note that is not UTF-8 (set_note too)
// with ErrInvalidSpan, through checkSpan as the importer and Merge do, and
// the same label on the same extent by the same annotator with ErrConflict.
// It sets the annotator's status on the document to in_progress when it was
// todo, in the same undo step: undoing the span puts it back to todo.
//
// resize_span moves a span's edges to [Start, End), checked as create_span
// checks them; the span keeps its ID, label and note.
//
// delete_span leaves a tombstone in the same transaction (see Merge).
//
// delete_span, relabel_span, resize_span and set_note apply only to the annotator's own
// spans of that document (ErrConflict otherwise), so that each history stays
// invertible. An edit that changes nothing (same label, note or status) is
// not recorded and leaves the redo entries alone.
//
// Unknown documents, annotators, labels and spans are ErrNotFound; an unknown
// kind or status ErrInvalidEdit.
func (s *Store) Apply(ctx context.Context, e Edit) (Span, error) {
	a, err := s.apply(ctx, e, false)
	return a.Span, err
}

// Applied is what ApplyEdit reports of an edit.
type Applied struct {
	Span   Span   // what Apply returns
	Status Status // the annotator's status on the document after the edit
	// Relation is the relation after a relation edit (as it was, for
	// delete_relation).
	Relation Relation
}

// ApplyEdit is Apply that also reports the annotator's status on the
// document after the edit (in_progress after a create_span where it was
// todo), so that a caller need not repeat the store's rule.
func (s *Store) ApplyEdit(ctx context.Context, e Edit) (Applied, error) {
	return s.apply(ctx, e, true)
}

// apply is Apply and ApplyEdit; Apply does not want the status, which costs
// a query after delete_span, relabel_span and set_note.
func (s *Store) apply(ctx context.Context, e Edit, wantStatus bool) (Applied, error) {
	var out Applied
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if e.DocumentID == "" || e.AnnotatorID == "" {
			return fmt.Errorf("%w: document and annotator are required", ErrInvalidEdit)
		}
		if err := annotatorExists(ctx, tx, e.AnnotatorID); err != nil {
			return err
		}
		var c *change
		var err error
		switch e.Kind {
		case EditCreateSpan:
			c, out.Status, err = s.createSpan(ctx, tx, e)
		case EditDeleteSpan, EditRelabelSpan, EditResizeSpan, EditSetNote:
			c, out.Span, err = s.changeSpan(ctx, tx, e)
		case EditSetStatus:
			c, err = s.changeStatus(ctx, tx, e)
			out.Status = e.Status
		case EditRenameDocument:
			c, err = s.renameDocument(ctx, tx, e)
		case EditRejectSuggestion:
			c, err = s.rejectSuggestion(ctx, tx, e)
		case EditCreateRelation, EditDeleteRelation, EditRetypeRelation:
			c, out.Relation, err = s.relationEdit(ctx, tx, e)
		case EditSetAttribute:
			c, err = s.setAttribute(ctx, tx, e)
		default:
			return fmt.Errorf("%w: unknown kind %q", ErrInvalidEdit, e.Kind)
		}
		if err != nil {
			return err
		}
		if wantStatus && out.Status == "" {
			if out.Status, err = status(ctx, tx, e.DocumentID, e.AnnotatorID); err != nil {
				return err
			}
		}
		if c == nil {
			return nil
		}
		if err := s.record(ctx, tx, e, c); err != nil {
			return err
		}
		if c.After != nil {
			out.Span, err = s.spanTx(ctx, tx, c.After.ID)
		}
		if c.RelAfter != nil {
			out.Relation, err = relationTx(ctx, tx, c.RelAfter.ID)
		}
		return err
	})
	if err != nil {
		return Applied{}, fmt.Errorf("%s: %w", e.Kind, err)
	}
	return out, nil
}

// ApplyBatch makes edits — create_span (accepting suggestions or not) and
// reject_suggestion — on document docID by annotatorID as one undo step, in
// one transaction: one refused edit refuses them all, naming which. It
// returns the spans made and the annotator's status on the document after.
// A create_span that repeats a span the annotator has (same label and
// extent) is skipped, not refused: a batch labels what is not labelled yet.
func (s *Store) ApplyBatch(ctx context.Context, docID, annotatorID string, edits []Edit) ([]Span, Status, error) {
	var made []Span
	var st Status
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := annotatorExists(ctx, tx, annotatorID); err != nil {
			return err
		}
		var b batchChange
		for i, e := range edits {
			e.DocumentID, e.AnnotatorID = docID, annotatorID
			var c *change
			var err error
			switch e.Kind {
			case EditCreateSpan:
				c, st, err = s.createSpan(ctx, tx, e)
				if errors.Is(err, ErrConflict) && e.SpanID == "" && e.SuggestionID == "" {
					continue // labelled already
				}
			case EditRejectSuggestion:
				c, err = s.rejectSuggestion(ctx, tx, e)
			default:
				err = fmt.Errorf("%w: %s cannot be part of a batch", ErrInvalidEdit, e.Kind)
			}
			if err != nil {
				return fmt.Errorf("edit %d of %d: %w", i+1, len(edits), err)
			}
			if c != nil {
				b.Changes = append(b.Changes, *c)
			}
		}
		if len(b.Changes) == 0 {
			return nil
		}
		if err := s.appendHistory(ctx, tx, annotatorID, docID, EditBatch, "", b); err != nil {
			return err
		}
		for _, c := range b.Changes {
			if c.After != nil {
				sp, err := s.spanTx(ctx, tx, c.After.ID)
				if err != nil {
					return err
				}
				made = append(made, sp)
			}
		}
		var err error
		st, err = status(ctx, tx, docID, annotatorID)
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("batch: %w", err)
	}
	return made, st, nil
}

// createSpan makes a create_span edit and returns the annotator's status on
// the document after it.
func (s *Store) createSpan(ctx context.Context, tx *sql.Tx, e Edit) (*change, Status, error) {
	// The status comes with the extent's text: afterSpan needs it, at no
	// extra query. Only the covered text leaves the database, cut out in
	// code points there (substr counts characters on both engines), not the
	// whole article at every label key.
	var length int
	var text string
	var cur Status
	cached := s.serverText(e.DocumentID)
	query := createSpanSQL
	if cached != nil {
		// On a server, the text of a document the window has open is
		// here already: the server's substr reads the whole text (out of
		// TOAST) for every span, 3.4 ms at a 1 MB article.
		query = createSpanCachedSQL
	}
	st, err := s.prepared(ctx, tx, query)
	if err != nil {
		return nil, "", err
	}
	if cached != nil {
		err = st.QueryRowContext(ctx, e.AnnotatorID, e.DocumentID).Scan(&length, &cur)
		if err == nil && e.Start >= 0 && e.End > e.Start && e.End <= min(length, cached.len()) {
			text = cached.slice(e.Start, e.End)
		}
	} else {
		err = st.QueryRowContext(ctx, e.AnnotatorID, e.DocumentID, e.Start, e.End).Scan(&length, &text, &cur)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", fmt.Errorf("%w: document %q", ErrNotFound, e.DocumentID)
	}
	if err != nil {
		return nil, "", err
	}
	covered, err := checkSpan(spanFields{id: e.SpanID, start: e.Start, end: e.End, note: e.Note}, sqlExtent{length, text})
	if err != nil {
		return nil, "", err
	}
	if utf8.RuneCountInString(covered) != e.End-e.Start { // the stored length is longer than the text
		return nil, "", fmt.Errorf("%w: [%d, %d) is past the end of the document's text", ErrInvalidSpan, e.Start, e.End)
	}
	if err := s.labelExists(ctx, tx, e.LabelID); err != nil {
		return nil, "", err
	}
	id := e.SpanID
	if id == "" {
		id = newID()
	} else if taken, err := s.spanState(ctx, tx, id); err != nil {
		return nil, "", err
	} else if taken != nil {
		return nil, "", fmt.Errorf("%w: span id %s is taken", ErrConflict, id)
	}
	if err := s.checkDuplicate(ctx, tx, e.DocumentID, e.AnnotatorID, e.LabelID, e.Start, e.End); err != nil {
		return nil, "", err
	}
	origin := ""
	if e.SuggestionID != "" {
		if origin, err = suggestionOrigin(ctx, tx, e); err != nil {
			return nil, "", err
		}
	}
	t := now().UnixNano()
	after := &spanState{
		ID: id, DocumentID: e.DocumentID, AnnotatorID: e.AnnotatorID, LabelID: e.LabelID,
		Start: e.Start, End: e.End, Text: covered, Note: e.Note, Created: t, Updated: t, Suggestion: origin,
	}
	if err := s.insertSpan(ctx, tx, after); err != nil {
		return nil, "", err
	}
	next := afterSpan(cur)
	c := &change{After: after}
	if next != cur {
		st, err := s.prepared(ctx, tx, startWorkSQL)
		if err != nil {
			return nil, "", err
		}
		if _, err := st.ExecContext(ctx, e.DocumentID, e.AnnotatorID, t); err != nil {
			return nil, "", err
		}
		// The status the span started goes into the same history entry,
		// so undoing the span puts the document back to to do.
		c.StatusBefore, c.StatusAfter = StatusTodo, next
	}
	return c, next, nil
}

// createSpanSQL is createSpan's first query: the document's length, the
// text of [?3, ?4) when that is inside it, and the annotator's status.
const createSpanSQL = `
	SELECT d.length, CASE WHEN ?3 >= 0 AND ?4 > ?3 AND ?4 <= d.length THEN substr(t.text, ?3 + 1, ?4 - ?3) ELSE '' END,
		coalesce((SELECT status FROM document_status WHERE document_id = d.id AND annotator_id = ?1), '')
	FROM documents d JOIN document_texts t ON t.document_id = d.id
	WHERE d.id = ?2`

// createSpanCachedSQL is createSpanSQL without the text, which the store
// on a server has (serverText).
const createSpanCachedSQL = `
	SELECT d.length, coalesce((SELECT status FROM document_status WHERE document_id = d.id AND annotator_id = ?1), '')
	FROM documents d WHERE d.id = ?2`

// documentText is a document's stored text and its length in code points.
func (s *Store) documentText(ctx context.Context, tx *sql.Tx, docID string) (string, int, error) {
	st, err := s.prepared(ctx, tx, `
		SELECT d.length, t.text FROM documents d JOIN document_texts t ON t.document_id = d.id WHERE d.id = ?`)
	if err != nil {
		return "", 0, err
	}
	var length int
	var text string
	err = st.QueryRowContext(ctx, docID).Scan(&length, &text)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, fmt.Errorf("%w: document %q", ErrNotFound, docID)
	}
	return text, length, err
}

func (s *Store) labelExists(ctx context.Context, tx *sql.Tx, id string) error {
	st, err := s.prepared(ctx, tx, `SELECT 1 FROM labels WHERE id = ?`)
	if err != nil {
		return err
	}
	var one int
	err = st.QueryRowContext(ctx, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: label %q", ErrNotFound, id)
	}
	return err
}

// checkDuplicate refuses a second span with the same label, extent and
// annotator.
func (s *Store) checkDuplicate(ctx context.Context, tx *sql.Tx, docID, annotatorID, labelID string, start, end int) error {
	st, err := s.prepared(ctx, tx, `
		SELECT 1 FROM spans
		WHERE document_id = ? AND annotator_id = ? AND start = ? AND "end" = ? AND label_id = ?`)
	if err != nil {
		return err
	}
	var one int
	err = st.QueryRowContext(ctx, docID, annotatorID, start, end, labelID).Scan(&one)
	if err == nil {
		return fmt.Errorf("%w: the annotator already has a span with this label at [%d, %d)", ErrConflict, start, end)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return err
}

// changeSpan makes a delete_span, relabel_span or set_note edit. It returns
// a nil change for an edit that changes nothing, with the span as it is.
func (s *Store) changeSpan(ctx context.Context, tx *sql.Tx, e Edit) (*change, Span, error) {
	if e.SpanID == "" {
		return nil, Span{}, fmt.Errorf("%w: no span given", ErrInvalidEdit)
	}
	cur, err := s.spanTx(ctx, tx, e.SpanID)
	if err != nil {
		return nil, Span{}, err
	}
	if cur.DocumentID != e.DocumentID {
		return nil, Span{}, fmt.Errorf("%w: span %s is not in document %s", ErrInvalidEdit, e.SpanID, e.DocumentID)
	}
	if cur.AnnotatorID != e.AnnotatorID {
		return nil, Span{}, fmt.Errorf("%w: span %s belongs to %s", ErrConflict, e.SpanID, cur.Annotator)
	}
	before := stateOf(cur)
	after := *before
	switch e.Kind {
	case EditDeleteSpan:
		c := &change{Before: before}
		if err := s.takeDependents(ctx, tx, c, before.ID); err != nil {
			return nil, Span{}, err
		}
		if err := s.deleteSpan(ctx, tx, before, now().UnixNano()); err != nil {
			return nil, Span{}, err
		}
		return c, cur, nil
	case EditRelabelSpan:
		if e.LabelID == cur.LabelID {
			return nil, cur, nil
		}
		if err := s.labelExists(ctx, tx, e.LabelID); err != nil {
			return nil, Span{}, err
		}
		if err := s.checkDuplicate(ctx, tx, cur.DocumentID, cur.AnnotatorID, e.LabelID, cur.Start, cur.End); err != nil {
			return nil, Span{}, err
		}
		after.LabelID = e.LabelID
	case EditResizeSpan:
		if e.Start == cur.Start && e.End == cur.End {
			return nil, cur, nil
		}
		text, length, err := s.documentText(ctx, tx, cur.DocumentID)
		if err != nil {
			return nil, Span{}, err
		}
		covered, err := checkSpan(spanFields{id: cur.ID, start: e.Start, end: e.End, note: cur.Note}, storedText{text, length})
		if err != nil {
			return nil, Span{}, err
		}
		if err := s.checkDuplicate(ctx, tx, cur.DocumentID, cur.AnnotatorID, cur.LabelID, e.Start, e.End); err != nil {
			return nil, Span{}, err
		}
		after.Start, after.End, after.Text = e.Start, e.End, covered
	case EditSetNote:
		if e.Note == cur.Note {
			return nil, cur, nil
		}
		if err := checkNote(e.Note); err != nil {
			return nil, Span{}, err
		}
		after.Note = e.Note
	}
	after.Updated = now().UnixNano()
	if err := s.updateSpan(ctx, tx, &after); err != nil {
		return nil, Span{}, err
	}
	return &change{Before: before, After: &after}, Span{}, nil
}

// renameDocument makes a rename_document edit; the title is checked as an
// imported one would be: one line, not empty, at most 200 characters.
func (s *Store) renameDocument(ctx context.Context, tx *sql.Tx, e Edit) (*change, error) {
	title := strings.TrimSpace(e.Title)
	switch {
	case !utf8.ValidString(title):
		return nil, fmt.Errorf("%w: the title is not valid UTF-8", ErrInvalidDocument)
	case title == "":
		return nil, fmt.Errorf("%w: the title is empty", ErrInvalidDocument)
	case strings.ContainsAny(title, "\n\r\t"):
		return nil, fmt.Errorf("%w: a title is one line", ErrInvalidDocument)
	case utf8.RuneCountInString(title) > 200:
		return nil, fmt.Errorf("%w: the title is %d characters long, at most 200 are allowed", ErrInvalidDocument, utf8.RuneCountInString(title))
	}
	cur, err := documentTitle(ctx, tx, e.DocumentID)
	if err != nil || cur == title {
		return nil, err
	}
	if err := setDocumentTitle(ctx, tx, e.DocumentID, title); err != nil {
		return nil, err
	}
	return &change{TitleBefore: cur, TitleAfter: title}, nil
}

func documentTitle(ctx context.Context, tx *sql.Tx, docID string) (string, error) {
	var t string
	err := tx.QueryRowContext(ctx, `SELECT title FROM documents WHERE id = ?`, docID).Scan(&t)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("%w: document %q", ErrNotFound, docID)
	}
	return t, err
}

func setDocumentTitle(ctx context.Context, tx *sql.Tx, docID, title string) error {
	_, err := tx.ExecContext(ctx, `UPDATE documents SET title = ? WHERE id = ?`, title, docID)
	return err
}

func (s *Store) changeStatus(ctx context.Context, tx *sql.Tx, e Edit) (*change, error) {
	if !e.Status.Valid() {
		return nil, fmt.Errorf("%w: unknown status %q", ErrInvalidEdit, e.Status)
	}
	cur, err := status(ctx, tx, e.DocumentID, e.AnnotatorID)
	if err != nil {
		return nil, err
	}
	if cur == e.Status {
		return nil, nil
	}
	if err := s.writeStatus(ctx, tx, e.DocumentID, e.AnnotatorID, e.Status); err != nil {
		return nil, err
	}
	return &change{StatusBefore: cur, StatusAfter: e.Status}, nil
}

// record appends c to the undo history of e's annotator and document.
func (s *Store) record(ctx context.Context, tx *sql.Tx, e Edit, c *change) error {
	return s.appendHistory(ctx, tx, e.AnnotatorID, e.DocumentID, e.Kind, c.spanID(), c)
}

// appendHistory appends an edit of kind with payload (a change, or Merge's
// mergeChange) to annotatorID's undo history of docID and drops that
// history's redo entries: after a new edit there is nothing to redo.
func (s *Store) appendHistory(ctx context.Context, tx *sql.Tx, annotatorID, docID string, kind EditKind, spanID string, payload any) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	st, err := s.prepared(ctx, tx, `DELETE FROM edits WHERE annotator_id = ? AND document_id = ? AND undone = TRUE`)
	if err != nil {
		return err
	}
	if _, err := st.ExecContext(ctx, annotatorID, docID); err != nil {
		return err
	}
	st, err = s.prepared(ctx, tx, `
		INSERT INTO edits (annotator_id, document_id, kind, span_id, payload, undone, created)
		VALUES (?, ?, ?, ?, ?, FALSE, ?)`)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, annotatorID, docID, kind, spanID, string(b), now().UnixNano())
	return err
}

// Undo reverts the latest edit of annotatorID in docID that is not undone
// yet and marks it undone. It returns the edit that it applied to do so
// (undoing a create_span returns a delete_span), or false when there is
// nothing to undo. Spans come back exactly as they were, ID and timestamps
// included. Undo and redo are not themselves recorded. A span that undo or
// redo deletes leaves a tombstone, as a delete_span does; one that it brings
// back loses its tombstone and is marked revived, so that the next merge
// takes the return over the deletion (see Merge).
func (s *Store) Undo(ctx context.Context, annotatorID, docID string) (Edit, bool, error) {
	return s.step(ctx, annotatorID, docID, true)
}

// Redo makes again the earliest undone edit of annotatorID in docID and
// returns it, or false when there is nothing to redo.
func (s *Store) Redo(ctx context.Context, annotatorID, docID string) (Edit, bool, error) {
	return s.step(ctx, annotatorID, docID, false)
}

func (s *Store) step(ctx context.Context, annotatorID, docID string, undo bool) (applied Edit, ok bool, err error) {
	query := `SELECT seq, kind, payload FROM edits
		WHERE annotator_id = ? AND document_id = ? AND undone = FALSE ORDER BY seq DESC LIMIT 1`
	if !undo {
		query = `SELECT seq, kind, payload FROM edits
		WHERE annotator_id = ? AND document_id = ? AND undone = TRUE ORDER BY seq LIMIT 1`
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		st, err := s.prepared(ctx, tx, query)
		if err != nil {
			return err
		}
		var seq int64
		var kind EditKind
		var payload string
		err = st.QueryRowContext(ctx, annotatorID, docID).Scan(&seq, &kind, &payload)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if kind == EditBatch {
			var b batchChange
			if err := json.Unmarshal([]byte(payload), &b); err != nil {
				return fmt.Errorf("history entry %d: %w", seq, err)
			}
			applied = Edit{Kind: EditBatch, DocumentID: docID, AnnotatorID: annotatorID}
			for k := range b.Changes {
				if undo {
					k = len(b.Changes) - 1 - k
				}
				one, err := s.replay(ctx, tx, docID, annotatorID, "", b.Changes[k], undo)
				if err != nil {
					return err
				}
				if one.Status != "" {
					applied.Status = one.Status
				}
			}
		} else {
			var c change
			if err := json.Unmarshal([]byte(payload), &c); err != nil {
				return fmt.Errorf("history entry %d: %w", seq, err)
			}
			if applied, err = s.replay(ctx, tx, docID, annotatorID, kind, c, undo); err != nil {
				return err
			}
		}
		st, err = s.prepared(ctx, tx, `UPDATE edits SET undone = ? WHERE seq = ?`)
		if err != nil {
			return err
		}
		if _, err := st.ExecContext(ctx, undo, seq); err != nil {
			return err
		}
		ok = true
		return nil
	})
	if err != nil {
		what := "redo"
		if undo {
			what = "undo"
		}
		return Edit{}, false, fmt.Errorf("%s: %w", what, err)
	}
	return applied, ok, nil
}

// replay undoes (or redoes) one change of kind in the history of docID
// and annotatorID and returns the edit that this amounted to.
func (s *Store) replay(ctx context.Context, tx *sql.Tx, docID, annotatorID string, kind EditKind, c change, undo bool) (Edit, error) {
	from, to := c.Before, c.After
	fromStatus, toStatus := c.StatusBefore, c.StatusAfter
	fromTitle, toTitle := c.TitleBefore, c.TitleAfter
	fromReject, toReject := c.RejectBefore, c.RejectAfter
	if undo {
		from, to = to, from
		fromStatus, toStatus = toStatus, fromStatus
		fromTitle, toTitle = toTitle, fromTitle
		fromReject, toReject = toReject, fromReject
	}
	applied := Edit{Kind: kind, DocumentID: docID, AnnotatorID: annotatorID}
	switch {
	case fromTitle != "" || toTitle != "":
		cur, err := documentTitle(ctx, tx, docID)
		if err != nil {
			return applied, err
		}
		if cur != fromTitle {
			return applied, fmt.Errorf("%w: the title is %q, not %q as the history expects", ErrConflict, cur, fromTitle)
		}
		if err := setDocumentTitle(ctx, tx, docID, toTitle); err != nil {
			return applied, err
		}
		applied.Kind, applied.Title = EditRenameDocument, toTitle
		return applied, nil
	case fromReject != nil || toReject != nil:
		applied.Kind = EditRejectSuggestion
		return applied, rejectTransition(ctx, tx, fromReject, toReject)
	case c.RelBefore != nil || c.RelAfter != nil:
		return s.replayRelation(ctx, tx, applied, c, undo)
	case c.AttrBefore != nil || c.AttrAfter != nil:
		return s.replayAttribute(ctx, tx, applied, c, undo)
	case from == nil && to == nil:
		cur, err := status(ctx, tx, docID, annotatorID)
		if err != nil {
			return applied, err
		}
		if cur != fromStatus {
			return applied, fmt.Errorf("%w: the status is %s, not %s as the history expects", ErrConflict, cur, fromStatus)
		}
		if err := s.writeStatus(ctx, tx, docID, annotatorID, toStatus); err != nil {
			return applied, err
		}
		applied.Kind, applied.Status = EditSetStatus, toStatus
		return applied, nil
	}
	if to == nil {
		// What went with the span goes again first (a redo of a delete).
		if err := s.dropDependents(ctx, tx, c); err != nil {
			return applied, err
		}
	}
	if err := s.transition(ctx, tx, from, to); err != nil {
		return applied, err
	}
	if from == nil {
		if err := s.restoreDependents(ctx, tx, c); err != nil {
			return applied, err
		}
	}
	// A span that started work on the document (todo → in progress) takes
	// that back with it, unless the status was changed since.
	if fromStatus != "" && toStatus != "" {
		cur, err := status(ctx, tx, docID, annotatorID)
		if err != nil {
			return applied, err
		}
		if cur == fromStatus {
			if err := s.writeStatus(ctx, tx, docID, annotatorID, toStatus); err != nil {
				return applied, err
			}
		}
		if applied.Status, err = status(ctx, tx, docID, annotatorID); err != nil {
			return applied, err
		}
	}
	switch {
	case from == nil:
		applied.Kind = EditCreateSpan
		applied.SpanID, applied.LabelID, applied.Start, applied.End, applied.Note = to.ID, to.LabelID, to.Start, to.End, to.Note
	case to == nil:
		applied.Kind = EditDeleteSpan
		applied.SpanID = from.ID
	case kind == EditRelabelSpan:
		applied.SpanID, applied.LabelID = to.ID, to.LabelID
	case kind == EditSetNote:
		applied.SpanID, applied.Note = to.ID, to.Note
	case kind == EditResizeSpan:
		applied.SpanID, applied.Start, applied.End = to.ID, to.Start, to.End
	case kind == EditMergeSpan:
		applied.SpanID, applied.LabelID, applied.Note = to.ID, to.LabelID, to.Note
	}
	return applied, nil
}

// transition moves a span from state from to state to (nil: absent), after
// checking that the database holds from exactly.
func (s *Store) transition(ctx context.Context, tx *sql.Tx, from, to *spanState) error {
	id := ""
	if from != nil {
		id = from.ID
	} else if to != nil {
		id = to.ID
	}
	cur, err := s.spanState(ctx, tx, id)
	if err != nil {
		return err
	}
	switch {
	case from == nil && cur != nil:
		return fmt.Errorf("%w: span %s exists already", ErrConflict, id)
	case from != nil && (cur == nil || *cur != *from):
		return fmt.Errorf("%w: span %s has changed since", ErrConflict, id)
	}
	switch {
	case to == nil:
		err = s.deleteSpan(ctx, tx, from, now().UnixNano())
	case from == nil:
		err = s.reviveSpan(ctx, tx, to)
	default:
		err = s.updateSpan(ctx, tx, to)
	}
	if isConstraint(err) {
		return fmt.Errorf("%w: %v", ErrConflict, err)
	}
	return err
}

// spanTx reads span id in tx, with its label's and annotator's names.
func (s *Store) spanTx(ctx context.Context, tx *sql.Tx, id string) (Span, error) {
	st, err := s.prepared(ctx, tx, spanSelect+` WHERE s.id = ?`)
	if err != nil {
		return Span{}, err
	}
	sp, err := scanSpan(st.QueryRowContext(ctx, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Span{}, fmt.Errorf("%w: span %q", ErrNotFound, id)
	}
	return sp, err
}

// spanState reads span id as stored, or nil when there is none.
func (s *Store) spanState(ctx context.Context, tx *sql.Tx, id string) (*spanState, error) {
	st, err := s.prepared(ctx, tx, `
		SELECT id, document_id, annotator_id, label_id, start, "end", text, note, created, updated, suggestion
		FROM spans WHERE id = ?`)
	if err != nil {
		return nil, err
	}
	var ss spanState
	err = st.QueryRowContext(ctx, id).Scan(&ss.ID, &ss.DocumentID, &ss.AnnotatorID, &ss.LabelID,
		&ss.Start, &ss.End, &ss.Text, &ss.Note, &ss.Created, &ss.Updated, &ss.Suggestion)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &ss, nil
}

func (s *Store) insertSpan(ctx context.Context, tx *sql.Tx, ss *spanState) error {
	st, err := s.prepared(ctx, tx, `
		INSERT INTO spans (id, document_id, annotator_id, label_id, start, "end", text, note, created, updated, suggestion)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, ss.ID, ss.DocumentID, ss.AnnotatorID, ss.LabelID,
		ss.Start, ss.End, ss.Text, ss.Note, ss.Created, ss.Updated, ss.Suggestion)
	return err
}

func (s *Store) updateSpan(ctx context.Context, tx *sql.Tx, ss *spanState) error {
	st, err := s.prepared(ctx, tx, `UPDATE spans SET label_id = ?, start = ?, "end" = ?, text = ?, note = ?, updated = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, ss.LabelID, ss.Start, ss.End, ss.Text, ss.Note, ss.Updated, ss.ID)
	return err
}

// deleteSpan deletes span ss and leaves its tombstone, deleted at the
// given time (Unix ns), so that the deletion travels with the next merge.
// A tombstone of that ID that is there already keeps the later time.
func (s *Store) deleteSpan(ctx context.Context, tx *sql.Tx, ss *spanState, deleted int64) error {
	st, err := s.prepared(ctx, tx, `DELETE FROM spans WHERE id = ?`)
	if err != nil {
		return err
	}
	if _, err := st.ExecContext(ctx, ss.ID); err != nil {
		return err
	}
	st, err = s.prepared(ctx, tx, `
		INSERT INTO tombstones (span_id, document_id, annotator_id, deleted) VALUES (?, ?, ?, ?)
		ON CONFLICT (span_id) DO UPDATE SET deleted = CASE WHEN excluded.deleted > tombstones.deleted THEN excluded.deleted ELSE tombstones.deleted END`)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, ss.ID, ss.DocumentID, ss.AnnotatorID, deleted)
	return err
}

// reviveSpan puts back span ss, which undo or redo brings back after a
// deletion, exactly as it was, and marks it revived now: later than its
// tombstone (which goes, see the spans_alive trigger), even when that
// tombstone came from a machine whose clock is ahead, so that the return
// wins over the deletion wherever the deletion has travelled.
func (s *Store) reviveSpan(ctx context.Context, tx *sql.Tx, ss *spanState) error {
	at := now().UnixNano()
	st, err := s.prepared(ctx, tx, `SELECT deleted FROM tombstones WHERE span_id = ?`)
	if err != nil {
		return err
	}
	var deleted int64
	if err := st.QueryRowContext(ctx, ss.ID).Scan(&deleted); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	at = max(at, deleted+1)
	if err := s.insertSpan(ctx, tx, ss); err != nil {
		return err
	}
	st, err = s.prepared(ctx, tx, `UPDATE spans SET revived = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, at, ss.ID)
	return err
}

// UndoState reports whether Undo and Redo have something to do for
// annotatorID in docID.
func (s *Store) UndoState(ctx context.Context, annotatorID, docID string) (canUndo, canRedo bool, err error) {
	err = s.db.QueryRowContext(ctx, `
		SELECT
			EXISTS (SELECT 1 FROM edits WHERE annotator_id = ?1 AND document_id = ?2 AND undone = FALSE),
			EXISTS (SELECT 1 FROM edits WHERE annotator_id = ?1 AND document_id = ?2 AND undone = TRUE)`,
		annotatorID, docID).Scan(&canUndo, &canRedo)
	if err != nil {
		return false, false, fmt.Errorf("undo state: %w", err)
	}
	return canUndo, canRedo, nil
}
