package storage

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// importedSpan is a span of the record being imported as it is stored.
type importedSpan struct{ id, ann, label string }

// addRelations stores the attribute values of the record's spans and its
// relations (with theirs). A relation stored already (same ID, or the same
// ends and type) is skipped; an attribute value is written when the stored
// one differs.
func (imp *Importer) addRelations(rec *ImportRecord, docID string) error {
	for i := range rec.Spans {
		if len(rec.Spans[i].Attrs) == 0 {
			continue
		}
		sp := imp.ids[i]
		for _, a := range rec.Spans[i].Attrs {
			if err := imp.addAttr(sp.id, sp.label, false, docID, a); err != nil {
				return imp.recErr(i, -1, err)
			}
		}
	}
	for k := range rec.Relations {
		r := &rec.Relations[k]
		fail := func(err error) error {
			return &ImportError{Record: imp.n, Span: -1, Status: -1, Suggestion: -1, Relation: k + 1, Err: err}
		}
		if r.From < 0 || r.From >= len(imp.ids) || r.To < 0 || r.To >= len(imp.ids) {
			return fail(fmt.Errorf("%w: its ends (spans %d and %d) are not among the record's %d spans", ErrInvalidEdit, r.From+1, r.To+1, len(imp.ids)))
		}
		from, to := imp.ids[r.From], imp.ids[r.To]
		if from.id == to.id {
			return fail(fmt.Errorf("%w: a relation from a span to itself is not allowed", ErrInvalidEdit))
		}
		if from.ann != to.ann {
			return fail(fmt.Errorf("%w: its ends are spans of two annotators", ErrInvalidEdit))
		}
		t, err := imp.relationType(r.Type, r.TypeID, !r.Symmetric)
		if err != nil {
			return fail(err)
		}
		if !t.Allows(from.label, to.label) {
			return fail(fmt.Errorf("%w: %s", ErrInvalidEdit, imp.s.disallowed(imp.ctx, imp.tx, t, imp.labelByID[from.label].Name, imp.labelByID[to.label].Name)))
		}
		id := r.ID
		var stored string
		err = imp.tx.QueryRowContext(imp.ctx, `
			SELECT id FROM relations WHERE id = ?1 OR type_id = ?2 AND (from_span = ?3 AND to_span = ?4
				OR ?5 = FALSE AND from_span = ?4 AND to_span = ?3) LIMIT 1`, id, t.ID, from.id, to.id, t.Directed).Scan(&stored)
		switch {
		case err == nil:
			imp.sum.RelationsSkipped++
		case !errors.Is(err, sql.ErrNoRows):
			return fail(err)
		default:
			if id == "" {
				id = newID()
			} else if !validUUID(id) {
				return fail(fmt.Errorf("%w: relation id %q is not a UUID", ErrInvalidEdit, id))
			}
			created, updated := r.Created, r.Updated
			if created.IsZero() {
				created = imp.started
			}
			if updated.IsZero() {
				updated = created
			}
			if _, err := imp.tx.ExecContext(imp.ctx, `
				INSERT INTO relations (id, document_id, annotator_id, type_id, from_span, to_span, created, updated)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, docID, from.ann, t.ID, from.id, to.id, created.UnixNano(), updated.UnixNano()); err != nil {
				if isConstraint(err) {
					return fail(fmt.Errorf("%w: relation id %s is taken", ErrConflict, id))
				}
				return fail(err)
			}
			imp.sum.Relations++
			stored = id
		}
		for _, a := range r.Attrs {
			if err := imp.addAttr(stored, t.ID, true, docID, a); err != nil {
				return fail(err)
			}
		}
	}
	return nil
}

// relationType finds (or makes) the set's relation type of id or name.
func (imp *Importer) relationType(name, id string, directed bool) (RelationType, error) {
	if imp.relTypes == nil {
		ts, err := relationTypes(imp.ctx, imp.tx, imp.setID)
		if err != nil {
			return RelationType{}, err
		}
		imp.relTypes = map[string]RelationType{}
		for _, t := range ts {
			imp.relTypes[t.ID] = t
			imp.relTypes[strings.ToLower(t.Name)] = t
		}
	}
	if t, ok := imp.relTypes[id]; ok && id != "" {
		return t, nil
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return RelationType{}, fmt.Errorf("%w: a relation without a type", ErrInvalidEdit)
	}
	if t, ok := imp.relTypes[strings.ToLower(name)]; ok {
		return t, nil
	}
	t, _, err := ensureRelationType(imp.ctx, imp.tx, imp.setID, id, name, directed)
	if err != nil {
		return RelationType{}, err
	}
	imp.relTypes[t.ID], imp.relTypes[strings.ToLower(t.Name)] = t, t
	return t, nil
}

// addAttr writes attribute value a on owner (a span labelled, or a
// relation typed, target), making the attribute when the set lacks it:
// "true" makes a flag, a word a choice, a number a number, anything else
// text. A choice met that the attribute lacks is added to it.
func (imp *Importer) addAttr(owner, target string, relation bool, docID string, a ImportAttr) error {
	name := strings.TrimSpace(a.Name)
	if imp.attrs == nil {
		as, err := attributes(imp.ctx, imp.tx, imp.setID)
		if err != nil {
			return err
		}
		imp.attrs = map[string]Attribute{}
		for _, at := range as {
			imp.attrs[strings.ToLower(at.Name)] = at
		}
	}
	at, ok := imp.attrs[strings.ToLower(name)]
	if !ok || at.Kind == AttrChoice && !hasChoice(at.Choices, a.Value) {
		kind := kindOfValue(a.Value)
		var choices []string
		if kind == AttrChoice {
			choices = []string{strings.TrimSpace(a.Value)}
		}
		var err error
		if at, err = ensureAttribute(imp.ctx, imp.tx, imp.setID, name, kind, choices); err != nil {
			return err
		}
		imp.attrs[strings.ToLower(at.Name)] = at
	}
	if !at.On(target, relation) {
		// The attribute now also applies to what the file put it on.
		at.Targets = append(at.Targets, target)
		if len(at.Targets) == 1 && !relation {
			at.Targets = nil // it was on every span: it stays so
		} else if _, err := imp.tx.ExecContext(imp.ctx, `UPDATE attributes SET targets = ? WHERE id = ?`, jsonList(at.Targets), at.ID); err != nil {
			return err
		}
		imp.attrs[strings.ToLower(at.Name)] = at
	}
	v, err := at.Check(a.Value)
	if err != nil || v == "" {
		return err
	}
	res, err := imp.tx.ExecContext(imp.ctx, `
		INSERT INTO attribute_values (owner_id, attribute_id, document_id, value, updated) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (owner_id, attribute_id) DO UPDATE SET value = excluded.value, updated = excluded.updated
		WHERE value <> excluded.value`, owner, at.ID, docID, v, imp.started.UnixNano())
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		imp.sum.Attributes++
	}
	return nil
}

func hasChoice(choices []string, v string) bool {
	v = strings.TrimSpace(v)
	for _, c := range choices {
		if strings.EqualFold(c, v) {
			return true
		}
	}
	return false
}

// kindOfValue is the kind of attribute an imported value suggests.
func kindOfValue(v string) string {
	v = strings.TrimSpace(v)
	switch {
	case strings.EqualFold(v, "true"):
		return AttrFlag
	case (Attribute{Kind: AttrNumber}).checks(v):
		return AttrNumber
	case v != "" && !strings.ContainsFunc(v, unicode.IsSpace) && len([]rune(v)) <= 40:
		return AttrChoice
	}
	return AttrText
}

// checks says whether v is a valid value of a.
func (a Attribute) checks(v string) bool {
	_, err := a.Check(v)
	return err == nil
}
