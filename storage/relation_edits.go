package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// relationState is a relation as the undo history records it: every
// stored column but revived.
type relationState struct {
	ID          string `json:"id"`
	DocumentID  string `json:"document_id"`
	AnnotatorID string `json:"annotator_id"`
	TypeID      string `json:"type_id"`
	From        string `json:"from"`
	To          string `json:"to"`
	Created     int64  `json:"created"`
	Updated     int64  `json:"updated"`
}

// attrState is an attribute value as the undo history records it.
type attrState struct {
	Owner     string `json:"owner"`
	Attribute string `json:"attribute_id"`
	Document  string `json:"document_id"`
	Value     string `json:"value"`
	Updated   int64  `json:"updated"`
}

func validUUID(id string) bool {
	_, err := uuid.Parse(id)
	return err == nil
}

func relationTx(ctx context.Context, q queryer, id string) (Relation, error) {
	r, err := scanRelation(q.QueryRowContext(ctx, relationSelect+` WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Relation{}, fmt.Errorf("%w: relation %q", ErrNotFound, id)
	}
	return r, err
}

func (s *Store) relationState(ctx context.Context, tx *sql.Tx, id string) (*relationState, error) {
	st, err := s.prepared(ctx, tx, `
		SELECT id, document_id, annotator_id, type_id, from_span, to_span, created, updated FROM relations WHERE id = ?`)
	if err != nil {
		return nil, err
	}
	var r relationState
	err = st.QueryRowContext(ctx, id).Scan(&r.ID, &r.DocumentID, &r.AnnotatorID, &r.TypeID, &r.From, &r.To, &r.Created, &r.Updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &r, err
}

func (s *Store) insertRelation(ctx context.Context, tx *sql.Tx, r *relationState) error {
	st, err := s.prepared(ctx, tx, `
		INSERT INTO relations (id, document_id, annotator_id, type_id, from_span, to_span, created, updated)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, r.ID, r.DocumentID, r.AnnotatorID, r.TypeID, r.From, r.To, r.Created, r.Updated)
	return err
}

// deleteRelation deletes relation r (and its attribute values, by trigger)
// and leaves its tombstone.
func (s *Store) deleteRelation(ctx context.Context, tx *sql.Tx, r *relationState, deleted int64) error {
	st, err := s.prepared(ctx, tx, `DELETE FROM relations WHERE id = ?`)
	if err != nil {
		return err
	}
	if _, err := st.ExecContext(ctx, r.ID); err != nil {
		return err
	}
	st, err = s.prepared(ctx, tx, `
		INSERT INTO relation_tombstones (relation_id, document_id, annotator_id, deleted) VALUES (?, ?, ?, ?)
		ON CONFLICT (relation_id) DO UPDATE SET deleted = CASE WHEN excluded.deleted > relation_tombstones.deleted THEN excluded.deleted ELSE relation_tombstones.deleted END`)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, r.ID, r.DocumentID, r.AnnotatorID, deleted)
	return err
}

// reviveRelation puts back relation r, which undo or redo brings back,
// marked revived later than its tombstone (see reviveSpan).
func (s *Store) reviveRelation(ctx context.Context, tx *sql.Tx, r *relationState) error {
	var deleted int64
	err := tx.QueryRowContext(ctx, `SELECT deleted FROM relation_tombstones WHERE relation_id = ?`, r.ID).Scan(&deleted)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if err := s.insertRelation(ctx, tx, r); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE relations SET revived = ? WHERE id = ?`, max(now().UnixNano(), deleted+1), r.ID)
	return err
}

// attrsOf reads the attribute values of owner.
func attrsOf(ctx context.Context, tx *sql.Tx, owner string) ([]attrState, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT owner_id, attribute_id, document_id, value, updated FROM attribute_values WHERE owner_id = ? ORDER BY attribute_id`, owner)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []attrState
	for rows.Next() {
		var a attrState
		if err := rows.Scan(&a.Owner, &a.Attribute, &a.Document, &a.Value, &a.Updated); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func attrValue(ctx context.Context, tx *sql.Tx, owner, attr string) (*attrState, error) {
	a := attrState{Owner: owner, Attribute: attr}
	err := tx.QueryRowContext(ctx, `
		SELECT document_id, value, updated FROM attribute_values WHERE owner_id = ? AND attribute_id = ?`, owner, attr).
		Scan(&a.Document, &a.Value, &a.Updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &a, err
}

func writeAttr(ctx context.Context, tx *sql.Tx, a *attrState) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO attribute_values (owner_id, attribute_id, document_id, value, updated) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (owner_id, attribute_id) DO UPDATE SET value = excluded.value, updated = excluded.updated`,
		a.Owner, a.Attribute, a.Document, a.Value, a.Updated)
	return err
}

func clearAttr(ctx context.Context, tx *sql.Tx, owner, attr string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM attribute_values WHERE owner_id = ? AND attribute_id = ?`, owner, attr)
	return err
}

// takeDependents records in c what goes with span spanID: its relations
// and the attribute values of the span and of those relations, and deletes
// the relations (leaving their tombstones).
func (s *Store) takeDependents(ctx context.Context, tx *sql.Tx, c *change, spanID string) error {
	rows, err := tx.QueryContext(ctx, `
		SELECT id, document_id, annotator_id, type_id, from_span, to_span, created, updated
		FROM relations WHERE from_span = ?1 OR to_span = ?1 ORDER BY created, id`, spanID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var r relationState
		if err := rows.Scan(&r.ID, &r.DocumentID, &r.AnnotatorID, &r.TypeID, &r.From, &r.To, &r.Created, &r.Updated); err != nil {
			rows.Close()
			return err
		}
		c.Cascade = append(c.Cascade, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	owners := []string{spanID}
	for _, r := range c.Cascade {
		owners = append(owners, r.ID)
	}
	for _, o := range owners {
		as, err := attrsOf(ctx, tx, o)
		if err != nil {
			return err
		}
		c.CascadeAttrs = append(c.CascadeAttrs, as...)
	}
	t := now().UnixNano()
	for i := range c.Cascade {
		if err := s.deleteRelation(ctx, tx, &c.Cascade[i], t); err != nil {
			return err
		}
	}
	return nil
}

// dropDependents deletes again what went with a span (a redo of its
// deletion), after checking that the relations are as recorded.
func (s *Store) dropDependents(ctx context.Context, tx *sql.Tx, c change) error {
	t := now().UnixNano()
	for i := range c.Cascade {
		r := &c.Cascade[i]
		cur, err := s.relationState(ctx, tx, r.ID)
		if err != nil {
			return err
		}
		if cur == nil || *cur != *r {
			return fmt.Errorf("%w: relation %s has changed since", ErrConflict, r.ID)
		}
		if err := s.deleteRelation(ctx, tx, r, t); err != nil {
			return err
		}
	}
	return nil
}

// restoreDependents brings back what went with a span (an undo of its
// deletion): its relations and the attribute values, exactly.
func (s *Store) restoreDependents(ctx context.Context, tx *sql.Tx, c change) error {
	for i := range c.Cascade {
		if err := s.reviveRelation(ctx, tx, &c.Cascade[i]); err != nil {
			if isConstraint(err) {
				return fmt.Errorf("%w: relation %s: %v", ErrConflict, c.Cascade[i].ID, err)
			}
			return err
		}
	}
	for i := range c.CascadeAttrs {
		if err := writeAttr(ctx, tx, &c.CascadeAttrs[i]); err != nil {
			return err
		}
	}
	return nil
}

// relationEdit makes a create_relation, delete_relation or
// retype_relation edit.
func (s *Store) relationEdit(ctx context.Context, tx *sql.Tx, e Edit) (*change, Relation, error) {
	if e.Kind == EditCreateRelation {
		c, err := s.createRelation(ctx, tx, e)
		return c, Relation{}, err
	}
	if e.RelationID == "" {
		return nil, Relation{}, fmt.Errorf("%w: no relation given", ErrInvalidEdit)
	}
	cur, err := relationTx(ctx, tx, e.RelationID)
	if err != nil {
		return nil, Relation{}, err
	}
	if cur.DocumentID != e.DocumentID {
		return nil, Relation{}, fmt.Errorf("%w: relation %s is not in document %s", ErrInvalidEdit, e.RelationID, e.DocumentID)
	}
	if cur.AnnotatorID != e.AnnotatorID {
		return nil, Relation{}, fmt.Errorf("%w: relation %s belongs to %s", ErrConflict, e.RelationID, cur.Annotator)
	}
	before, err := s.relationState(ctx, tx, cur.ID)
	if err != nil {
		return nil, Relation{}, err
	}
	if e.Kind == EditDeleteRelation {
		c := &change{RelBefore: before}
		if c.CascadeAttrs, err = attrsOf(ctx, tx, cur.ID); err != nil {
			return nil, Relation{}, err
		}
		return c, cur, s.deleteRelation(ctx, tx, before, now().UnixNano())
	}
	if e.TypeID == cur.TypeID {
		return nil, cur, nil
	}
	after := *before
	after.TypeID = e.TypeID
	if err := s.checkRelation(ctx, tx, &after); err != nil {
		return nil, Relation{}, err
	}
	after.Updated = now().UnixNano()
	if _, err := tx.ExecContext(ctx, `UPDATE relations SET type_id = ?, updated = ? WHERE id = ?`, after.TypeID, after.Updated, after.ID); err != nil {
		if isConstraint(err) {
			return nil, Relation{}, fmt.Errorf("%w: %v", ErrConflict, err)
		}
		return nil, Relation{}, err
	}
	return &change{RelBefore: before, RelAfter: &after}, Relation{}, nil
}

// checkRelation refuses a relation whose ends are missing, the same span,
// in another document or layer, or labelled other than its type allows,
// and one that repeats a relation of the layer.
func (s *Store) checkRelation(ctx context.Context, tx *sql.Tx, r *relationState) error {
	if r.From == "" || r.To == "" {
		return fmt.Errorf("%w: a relation needs two spans", ErrInvalidEdit)
	}
	if r.From == r.To {
		return fmt.Errorf("%w: a relation from a span to itself is not allowed", ErrInvalidEdit)
	}
	t, err := relationType(ctx, tx, r.TypeID)
	if err != nil {
		return err
	}
	var ends [2]Span
	for i, id := range []string{r.From, r.To} {
		sp, err := s.spanTx(ctx, tx, id)
		if err != nil {
			return err
		}
		switch {
		case sp.DocumentID != r.DocumentID:
			return fmt.Errorf("%w: span %s is in another document", ErrInvalidEdit, id)
		case sp.AnnotatorID != r.AnnotatorID:
			return fmt.Errorf("%w: span %s is %s's, not in this layer", ErrInvalidEdit, id, sp.Annotator)
		}
		ends[i] = sp
	}
	if !t.Allows(ends[0].LabelID, ends[1].LabelID) {
		return fmt.Errorf("%w: %s", ErrInvalidEdit, s.disallowed(ctx, tx, t, ends[0].Label, ends[1].Label))
	}
	var other string
	err = tx.QueryRowContext(ctx, `
		SELECT id FROM relations WHERE type_id = ?1 AND id <> ?4 AND (from_span = ?2 AND to_span = ?3
			OR ?5 = FALSE AND from_span = ?3 AND to_span = ?2)`, r.TypeID, r.From, r.To, r.ID, t.Directed).Scan(&other)
	if err == nil {
		return fmt.Errorf("%w: these spans are already linked by %s", ErrConflict, t.Name)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return nil
}

// disallowed says why a relation of type t may not go from a span
// labelled from to one labelled to, and what it allows.
func (s *Store) disallowed(ctx context.Context, tx *sql.Tx, t RelationType, from, to string) string {
	names := map[string]string{}
	if ls, err := labels(ctx, tx, t.SetID); err == nil {
		for _, l := range ls {
			names[l.ID] = l.Name
		}
	}
	return fmt.Sprintf("%s goes %s, not %s%s%s", t.Name, strings.Join(t.Pairs(names), " or "), from, t.Arrow(), to)
}

func (s *Store) createRelation(ctx context.Context, tx *sql.Tx, e Edit) (*change, error) {
	id := e.RelationID
	if id == "" {
		id = newID()
	} else if !validUUID(id) {
		return nil, fmt.Errorf("%w: relation id %q is not a UUID", ErrInvalidEdit, id)
	} else if taken, err := s.relationState(ctx, tx, id); err != nil {
		return nil, err
	} else if taken != nil {
		return nil, fmt.Errorf("%w: relation id %s is taken", ErrConflict, id)
	}
	t := now().UnixNano()
	r := &relationState{ID: id, DocumentID: e.DocumentID, AnnotatorID: e.AnnotatorID, TypeID: e.TypeID,
		From: e.From, To: e.To, Created: t, Updated: t}
	if err := s.checkRelation(ctx, tx, r); err != nil {
		return nil, err
	}
	if err := s.insertRelation(ctx, tx, r); err != nil {
		if isConstraint(err) {
			return nil, fmt.Errorf("%w: %v", ErrConflict, err)
		}
		return nil, err
	}
	return &change{RelAfter: r}, nil
}

// setAttribute makes a set_attribute edit.
func (s *Store) setAttribute(ctx context.Context, tx *sql.Tx, e Edit) (*change, error) {
	a, err := attribute(ctx, tx, e.AttributeID)
	if err != nil {
		return nil, err
	}
	// The owner is the annotator's span or relation in the document.
	var target string
	relation := false
	if sp, err := s.spanTx(ctx, tx, e.OwnerID); err == nil {
		if sp.DocumentID != e.DocumentID || sp.AnnotatorID != e.AnnotatorID {
			return nil, fmt.Errorf("%w: span %s is not the annotator's in this document", ErrConflict, e.OwnerID)
		}
		target = sp.LabelID
	} else if !errors.Is(err, ErrNotFound) {
		return nil, err
	} else {
		r, err := relationTx(ctx, tx, e.OwnerID)
		if err != nil {
			return nil, fmt.Errorf("%w: no span or relation %q", ErrNotFound, e.OwnerID)
		}
		if r.DocumentID != e.DocumentID || r.AnnotatorID != e.AnnotatorID {
			return nil, fmt.Errorf("%w: relation %s is not the annotator's in this document", ErrConflict, e.OwnerID)
		}
		target, relation = r.TypeID, true
	}
	if !a.On(target, relation) {
		what := "spans of this label"
		if relation {
			what = "relations of this type"
		}
		return nil, fmt.Errorf("%w: %s is not an attribute of %s", ErrInvalidEdit, a.Name, what)
	}
	v, err := a.Check(e.Value)
	if err != nil {
		return nil, err
	}
	before, err := attrValue(ctx, tx, e.OwnerID, a.ID)
	if err != nil {
		return nil, err
	}
	if before == nil && v == "" || before != nil && before.Value == v {
		return nil, nil
	}
	c := &change{AttrBefore: before}
	if v == "" {
		return c, clearAttr(ctx, tx, e.OwnerID, a.ID)
	}
	c.AttrAfter = &attrState{Owner: e.OwnerID, Attribute: a.ID, Document: e.DocumentID, Value: v, Updated: now().UnixNano()}
	return c, writeAttr(ctx, tx, c.AttrAfter)
}

// replayRelation undoes or redoes a relation edit.
func (s *Store) replayRelation(ctx context.Context, tx *sql.Tx, applied Edit, c change, undo bool) (Edit, error) {
	from, to := c.RelBefore, c.RelAfter
	if undo {
		from, to = to, from
	}
	id := ""
	if from != nil {
		id = from.ID
	} else {
		id = to.ID
	}
	cur, err := s.relationState(ctx, tx, id)
	if err != nil {
		return applied, err
	}
	switch {
	case from == nil && cur != nil:
		return applied, fmt.Errorf("%w: relation %s exists already", ErrConflict, id)
	case from != nil && (cur == nil || *cur != *from):
		return applied, fmt.Errorf("%w: relation %s has changed since", ErrConflict, id)
	}
	applied.RelationID = id
	switch {
	case to == nil:
		applied.Kind = EditDeleteRelation
		err = s.deleteRelation(ctx, tx, from, now().UnixNano())
	case from == nil:
		applied.Kind, applied.TypeID, applied.From, applied.To = EditCreateRelation, to.TypeID, to.From, to.To
		if err = s.reviveRelation(ctx, tx, to); err == nil {
			err = s.restoreDependents(ctx, tx, change{CascadeAttrs: c.CascadeAttrs})
		}
	default:
		applied.Kind, applied.TypeID = EditRetypeRelation, to.TypeID
		_, err = tx.ExecContext(ctx, `UPDATE relations SET type_id = ?, updated = ? WHERE id = ?`, to.TypeID, to.Updated, to.ID)
	}
	if isConstraint(err) {
		return applied, fmt.Errorf("%w: %v", ErrConflict, err)
	}
	return applied, err
}

// replayAttribute undoes or redoes a set_attribute edit.
func (s *Store) replayAttribute(ctx context.Context, tx *sql.Tx, applied Edit, c change, undo bool) (Edit, error) {
	from, to := c.AttrBefore, c.AttrAfter
	if undo {
		from, to = to, from
	}
	ref := from
	if ref == nil {
		ref = to
	}
	cur, err := attrValue(ctx, tx, ref.Owner, ref.Attribute)
	if err != nil {
		return applied, err
	}
	if (cur == nil) != (from == nil) || cur != nil && cur.Value != from.Value {
		return applied, fmt.Errorf("%w: attribute on %s has changed since", ErrConflict, ref.Owner)
	}
	applied.Kind, applied.OwnerID, applied.AttributeID = EditSetAttribute, ref.Owner, ref.Attribute
	if to == nil {
		return applied, clearAttr(ctx, tx, ref.Owner, ref.Attribute)
	}
	applied.Value = to.Value
	if err := writeAttr(ctx, tx, to); err != nil {
		if isConstraint(err) {
			return applied, fmt.Errorf("%w: %v", ErrConflict, err)
		}
		return applied, err
	}
	return applied, nil
}
