package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// RelationType is a kind of link between two spans of a label set:
// "supports" from a Figure to a Claim.
type RelationType struct {
	ID       string
	SetID    string
	Name     string // unique within the set (ignoring case), also among its labels' keys' owners
	Color    string // "#rrggbb"
	Key      string // a key that picks it in the type popup, "" for none; unique among the set's relation types
	Directed bool   // false: symmetric, From and To may be swapped
	// Args are the allowed (From, To) label pairs; none allows any pair.
	Args     []LabelPair
	Position int
}

// LabelPair is a pair of label IDs allowed at the ends of a relation type.
type LabelPair struct{ From, To string }

// Allows says whether a relation of type t may go from a span labelled
// from to one labelled to.
func (t RelationType) Allows(from, to string) bool {
	if len(t.Args) == 0 {
		return true
	}
	for _, p := range t.Args {
		if p.From == from && p.To == to || !t.Directed && p.From == to && p.To == from {
			return true
		}
	}
	return false
}

// Arrow is how a pair of the type is written: " → " between the labels
// of a directed type, " – " of a symmetric one.
func (t RelationType) Arrow() string {
	if t.Directed {
		return " → "
	}
	return " – "
}

// Pairs writes the allowed pairs ("Figure → Claim"), naming labels by
// names (label ID -> name).
func (t RelationType) Pairs(names map[string]string) []string {
	out := make([]string, len(t.Args))
	for i, p := range t.Args {
		out[i] = names[p.From] + t.Arrow() + names[p.To]
	}
	return out
}

// Relation is a typed link from one span to another of the same document
// and annotator.
type Relation struct {
	ID          string
	DocumentID  string
	AnnotatorID string
	TypeID      string
	From, To    string // span IDs
	Created     time.Time
	Updated     time.Time

	// Filled on read; ignored on write.
	Type      string // the type's name
	Annotator string // the annotator's name
}

// Attribute kinds.
const (
	AttrChoice = "choice" // one of Choices
	AttrFlag   = "flag"   // yes/no: a set flag has the value "true"
	AttrNumber = "number" // a number, within Min and Max when they are set
	AttrText   = "text"   // free text, one line
)

// Attribute is a typed value that spans of some labels (or relations of
// some types) can carry: a claim's certainty, whether a figure is
// disputed.
type Attribute struct {
	ID       string
	SetID    string
	Name     string // unique within the set, ignoring case
	Kind     string // AttrChoice, AttrFlag, AttrNumber or AttrText
	Choices  []string
	Min, Max *float64 // bounds of a number, nil when unbounded
	// Targets are the label IDs and relation type IDs it is on; none means
	// every span (and no relation).
	Targets []string
	// Remember: a new span of a target label gets the value last set.
	Remember bool
	Position int
}

// On says whether the attribute applies to a span labelled (or a
// relation typed) id; relation says which it is.
func (a Attribute) On(id string, relation bool) bool {
	if len(a.Targets) == 0 {
		return !relation
	}
	return slices.Contains(a.Targets, id)
}

// Check returns the value v normalised (a number as strconv writes it, a
// choice as the list spells it) or an error saying what the attribute
// takes. The empty value means "not set" and is always allowed.
func (a Attribute) Check(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	switch a.Kind {
	case AttrFlag:
		switch strings.ToLower(v) {
		case "true", "yes", "1":
			return "true", nil
		case "false", "no", "0":
			return "", nil
		}
		return "", fmt.Errorf("%w: %s is a yes/no flag, not %q", ErrInvalidEdit, a.Name, v)
	case AttrChoice:
		for _, c := range a.Choices {
			if strings.EqualFold(c, v) {
				return c, nil
			}
		}
		return "", fmt.Errorf("%w: %s is one of %s, not %q", ErrInvalidEdit, a.Name, strings.Join(a.Choices, ", "), v)
	case AttrNumber:
		f, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", "."), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return "", fmt.Errorf("%w: %s is a number, not %q", ErrInvalidEdit, a.Name, v)
		}
		if a.Min != nil && f < *a.Min || a.Max != nil && f > *a.Max {
			return "", fmt.Errorf("%w: %s is a number %s, not %s", ErrInvalidEdit, a.Name, a.Bounds(), v)
		}
		return strconv.FormatFloat(f, 'g', -1, 64), nil
	case AttrText:
		if !utf8.ValidString(v) || strings.ContainsAny(v, "\n\r") {
			return "", fmt.Errorf("%w: %s is one line of text", ErrInvalidEdit, a.Name)
		}
		if utf8.RuneCountInString(v) > 1000 {
			return "", fmt.Errorf("%w: %s is at most 1000 characters", ErrInvalidEdit, a.Name)
		}
		return v, nil
	}
	return "", fmt.Errorf("%w: attribute %s has unknown kind %q", ErrInvalidEdit, a.Name, a.Kind)
}

// Bounds says "from 0 to 10", "of at least 0", "of at most 10" or "".
func (a Attribute) Bounds() string {
	f := func(p *float64) string { return strconv.FormatFloat(*p, 'g', -1, 64) }
	switch {
	case a.Min != nil && a.Max != nil:
		return "from " + f(a.Min) + " to " + f(a.Max)
	case a.Min != nil:
		return "of at least " + f(a.Min)
	case a.Max != nil:
		return "of at most " + f(a.Max)
	}
	return ""
}

// AttributeValue is the value of one attribute on a span or relation.
type AttributeValue struct {
	OwnerID     string // the span's or relation's ID
	AttributeID string
	Value       string
	Updated     time.Time
	Name        string // the attribute's name, filled on read
}

// RelationTypes returns the relation types of set setID by position.
func (s *Store) RelationTypes(ctx context.Context, setID string) ([]RelationType, error) {
	ts, err := relationTypes(ctx, s.db, setID)
	if err != nil {
		return nil, fmt.Errorf("relation types: %w", err)
	}
	return ts, nil
}

const relationTypeColumns = `id, set_id, name, color, key, directed, args, position`

func scanRelationType(sc interface{ Scan(...any) error }) (RelationType, error) {
	var t RelationType
	var args string
	if err := sc.Scan(&t.ID, &t.SetID, &t.Name, &t.Color, &t.Key, &t.Directed, &args, &t.Position); err != nil {
		return t, err
	}
	var pairs [][2]string
	if err := json.Unmarshal([]byte(args), &pairs); err != nil {
		return t, fmt.Errorf("relation type %s: args: %w", t.Name, err)
	}
	for _, p := range pairs {
		t.Args = append(t.Args, LabelPair{p[0], p[1]})
	}
	return t, nil
}

func relationTypes(ctx context.Context, q queryer, setID string) ([]RelationType, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+relationTypeColumns+` FROM relation_types WHERE set_id = ? ORDER BY position, name`, setID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RelationType
	for rows.Next() {
		t, err := scanRelationType(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func relationType(ctx context.Context, q queryer, id string) (RelationType, error) {
	t, err := scanRelationType(q.QueryRowContext(ctx, `SELECT `+relationTypeColumns+` FROM relation_types WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return RelationType{}, fmt.Errorf("%w: relation type %q", ErrNotFound, id)
	}
	return t, err
}

func argsJSON(args []LabelPair) string {
	pairs := make([][2]string, 0, len(args))
	for _, p := range args {
		pairs = append(pairs, [2]string{p.From, p.To})
	}
	b, _ := json.Marshal(pairs)
	return string(b)
}

// checkRelationType validates t against the set's other types and labels.
func checkRelationType(ctx context.Context, q queryer, t RelationType, others []RelationType) error {
	if reason := checkName(t.Name); reason != "" {
		return fmt.Errorf("%w: %s", ErrInvalidLabel, reason)
	}
	if !validColor(t.Color) {
		return fmt.Errorf("%w: colour %q is not of the form #rrggbb", ErrInvalidLabel, t.Color)
	}
	if t.Key != "" {
		r, size := utf8.DecodeRuneInString(t.Key)
		if size != len(t.Key) || !unicode.IsLetter(r) {
			return fmt.Errorf("%w: a relation type's key is one letter, not %q", ErrInvalidLabel, t.Key)
		}
		ls, err := labels(ctx, q, t.SetID)
		if err != nil {
			return err
		}
		for _, l := range ls {
			if strings.EqualFold(l.Key, t.Key) {
				return fmt.Errorf("%w: key %q is already used by label %q", ErrInvalidLabel, t.Key, l.Name)
			}
		}
	}
	for _, o := range others {
		if o.ID == t.ID {
			continue
		}
		if strings.EqualFold(o.Name, t.Name) {
			return fmt.Errorf("%w: the set already has a relation type %q", ErrInvalidLabel, o.Name)
		}
		if t.Key != "" && strings.EqualFold(o.Key, t.Key) {
			return fmt.Errorf("%w: key %q is already used by relation type %q", ErrInvalidLabel, t.Key, o.Name)
		}
	}
	for _, p := range t.Args {
		for _, id := range []string{p.From, p.To} {
			l, err := label(ctx, q, id)
			if err != nil {
				return err
			}
			if l.SetID != t.SetID {
				return fmt.Errorf("%w: label %s is in another set", ErrInvalidLabel, l.Name)
			}
		}
	}
	return nil
}

// CreateRelationType adds t to its set (t.SetID), validated as a label is
// (name, colour, key unique among the set's relation types); its Args must
// name labels of the set. An empty ID is made; Position 0 puts it last.
func (s *Store) CreateRelationType(ctx context.Context, t RelationType) (RelationType, error) {
	t.Name = strings.TrimSpace(t.Name)
	if t.ID == "" {
		t.ID = newID()
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := labelSetExists(ctx, tx, t.SetID); err != nil {
			return err
		}
		others, err := relationTypes(ctx, tx, t.SetID)
		if err != nil {
			return err
		}
		if err := checkRelationType(ctx, tx, t, others); err != nil {
			return err
		}
		if t.Position == 0 {
			for _, o := range others {
				t.Position = max(t.Position, o.Position)
			}
			t.Position++
		}
		return insertRelationType(ctx, tx, t)
	})
	if err != nil {
		return RelationType{}, fmt.Errorf("create relation type %q: %w", t.Name, err)
	}
	return t, nil
}

func insertRelationType(ctx context.Context, q queryer, t RelationType) error {
	_, err := q.ExecContext(ctx, `
		INSERT INTO relation_types (id, set_id, name, color, key, directed, args, position)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.SetID, t.Name, t.Color, t.Key, t.Directed, argsJSON(t.Args), t.Position)
	return err
}

// UpdateRelationType renames, recolours, re-keys, redirects or changes the
// allowed pairs of relation type t.ID. Relations already made stay, even
// where the new pairs would not allow them.
func (s *Store) UpdateRelationType(ctx context.Context, t RelationType) error {
	t.Name = strings.TrimSpace(t.Name)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		old, err := relationType(ctx, tx, t.ID)
		if err != nil {
			return err
		}
		t.SetID = old.SetID
		if t.Position == 0 {
			t.Position = old.Position
		}
		others, err := relationTypes(ctx, tx, t.SetID)
		if err != nil {
			return err
		}
		if err := checkRelationType(ctx, tx, t, others); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `
			UPDATE relation_types SET name = ?, color = ?, key = ?, directed = ?, args = ?, position = ? WHERE id = ?`,
			t.Name, t.Color, t.Key, t.Directed, argsJSON(t.Args), t.Position, t.ID)
		return err
	})
	if err != nil {
		return fmt.Errorf("update relation type %q: %w", t.Name, err)
	}
	return nil
}

// RelationTypeUsage is the number of relations (of every annotator) of
// type id.
func (s *Store) RelationTypeUsage(ctx context.Context, id string) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM relations WHERE type_id = ?`, id).Scan(&n); err != nil {
		return 0, fmt.Errorf("relation type usage: %w", err)
	}
	return n, nil
}

// DeleteRelationType deletes relation type id and every relation of it
// (leaving their tombstones) and returns how many relations went.
func (s *Store) DeleteRelationType(ctx context.Context, id string) (int, error) {
	var n int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := relationType(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			DELETE FROM edits WHERE `+s.jsonField("payload", "rel_before", "type_id")+` = ?1
				OR `+s.jsonField("payload", "rel_after", "type_id")+` = ?1
				OR `+s.jsonAnyField("payload", "cascade", "type_id", "?1"), id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO relation_tombstones (relation_id, document_id, annotator_id, deleted)
			SELECT id, document_id, annotator_id, ?2 FROM relations WHERE type_id = ?1
			ON CONFLICT (relation_id) DO UPDATE SET deleted = CASE WHEN excluded.deleted > relation_tombstones.deleted THEN excluded.deleted ELSE relation_tombstones.deleted END`, id, now().UnixNano()); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM relations WHERE type_id = ?`, id)
		if err != nil {
			return err
		}
		k, err := res.RowsAffected()
		n = int(k)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM relation_types WHERE id = ?`, id)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("delete relation type: %w", err)
	}
	return n, nil
}

// EnsureRelationType is for importers: the relation type of set setID
// called name (ignoring case), made when missing (directed, any pair, a
// palette colour, no key).
func (s *Store) EnsureRelationType(ctx context.Context, setID, name string, directed bool) (t RelationType, created bool, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		t, created, err = ensureRelationType(ctx, tx, setID, "", name, directed)
		return err
	})
	if err != nil {
		return RelationType{}, false, fmt.Errorf("relation type %q: %w", name, err)
	}
	return t, created, nil
}

// ensureRelationType finds the type called name or makes it, with ID id
// when that is a UUID not in use.
func ensureRelationType(ctx context.Context, tx queryer, setID, id, name string, directed bool) (RelationType, bool, error) {
	name = strings.TrimSpace(name)
	others, err := relationTypes(ctx, tx, setID)
	if err != nil {
		return RelationType{}, false, err
	}
	for _, o := range others {
		if strings.EqualFold(o.Name, name) {
			return o, false, nil
		}
	}
	if !validUUID(id) {
		id = newID()
	} else if _, err := relationType(ctx, tx, id); err == nil {
		id = newID()
	}
	t := RelationType{ID: id, SetID: setID, Name: name, Directed: directed,
		Color: palette[(len(others)+4)%len(palette)], Position: len(others) + 1}
	for _, o := range others {
		t.Position = max(t.Position, o.Position+1)
	}
	if err := checkRelationType(ctx, tx, t, others); err != nil {
		return RelationType{}, false, err
	}
	return t, true, insertRelationType(ctx, tx, t)
}

// Attributes returns the attributes of set setID by position.
func (s *Store) Attributes(ctx context.Context, setID string) ([]Attribute, error) {
	as, err := attributes(ctx, s.db, setID)
	if err != nil {
		return nil, fmt.Errorf("attributes: %w", err)
	}
	return as, nil
}

const attributeColumns = `id, set_id, name, kind, choices, min, max, targets, remember, position`

func scanAttribute(sc interface{ Scan(...any) error }) (Attribute, error) {
	var a Attribute
	var choices, targets string
	var lo, hi sql.NullFloat64
	if err := sc.Scan(&a.ID, &a.SetID, &a.Name, &a.Kind, &choices, &lo, &hi, &targets, &a.Remember, &a.Position); err != nil {
		return a, err
	}
	if lo.Valid {
		a.Min = &lo.Float64
	}
	if hi.Valid {
		a.Max = &hi.Float64
	}
	if err := json.Unmarshal([]byte(choices), &a.Choices); err != nil {
		return a, fmt.Errorf("attribute %s: choices: %w", a.Name, err)
	}
	if err := json.Unmarshal([]byte(targets), &a.Targets); err != nil {
		return a, fmt.Errorf("attribute %s: targets: %w", a.Name, err)
	}
	return a, nil
}

func attributes(ctx context.Context, q queryer, setID string) ([]Attribute, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+attributeColumns+` FROM attributes WHERE set_id = ? ORDER BY position, name`, setID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Attribute
	for rows.Next() {
		a, err := scanAttribute(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func attribute(ctx context.Context, q queryer, id string) (Attribute, error) {
	a, err := scanAttribute(q.QueryRowContext(ctx, `SELECT `+attributeColumns+` FROM attributes WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Attribute{}, fmt.Errorf("%w: attribute %q", ErrNotFound, id)
	}
	return a, err
}

func checkAttribute(a Attribute, others []Attribute) error {
	if reason := checkName(a.Name); reason != "" {
		return fmt.Errorf("%w: %s", ErrInvalidLabel, reason)
	}
	switch a.Kind {
	case AttrChoice:
		if len(a.Choices) == 0 {
			return fmt.Errorf("%w: attribute %s is a choice with no choices", ErrInvalidLabel, a.Name)
		}
		for i, c := range a.Choices {
			if reason := checkName(c); reason != "" {
				return fmt.Errorf("%w: choice %d of %s: %s", ErrInvalidLabel, i+1, a.Name, reason)
			}
			for _, d := range a.Choices[:i] {
				if strings.EqualFold(c, d) {
					return fmt.Errorf("%w: %s has the choice %q twice", ErrInvalidLabel, a.Name, c)
				}
			}
		}
	case AttrFlag, AttrNumber, AttrText:
		if len(a.Choices) > 0 {
			return fmt.Errorf("%w: only a choice attribute has choices", ErrInvalidLabel)
		}
	default:
		return fmt.Errorf("%w: attribute kind %q is not one of choice, flag, number, text", ErrInvalidLabel, a.Kind)
	}
	if a.Kind != AttrNumber && (a.Min != nil || a.Max != nil) {
		return fmt.Errorf("%w: only a number attribute has bounds", ErrInvalidLabel)
	}
	if a.Min != nil && a.Max != nil && *a.Min > *a.Max {
		return fmt.Errorf("%w: %s: the lower bound is above the upper one", ErrInvalidLabel, a.Name)
	}
	for _, o := range others {
		if o.ID != a.ID && strings.EqualFold(o.Name, a.Name) {
			return fmt.Errorf("%w: the set already has an attribute %q", ErrInvalidLabel, o.Name)
		}
	}
	return nil
}

func jsonList(l []string) string {
	if l == nil {
		l = []string{}
	}
	b, _ := json.Marshal(l)
	return string(b)
}

func nullFloat(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// CreateAttribute adds attribute a to its set.
func (s *Store) CreateAttribute(ctx context.Context, a Attribute) (Attribute, error) {
	a.Name = strings.TrimSpace(a.Name)
	if a.ID == "" {
		a.ID = newID()
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := labelSetExists(ctx, tx, a.SetID); err != nil {
			return err
		}
		others, err := attributes(ctx, tx, a.SetID)
		if err != nil {
			return err
		}
		if err := checkAttribute(a, others); err != nil {
			return err
		}
		if a.Position == 0 {
			for _, o := range others {
				a.Position = max(a.Position, o.Position)
			}
			a.Position++
		}
		return insertAttribute(ctx, tx, a)
	})
	if err != nil {
		return Attribute{}, fmt.Errorf("create attribute %q: %w", a.Name, err)
	}
	return a, nil
}

func insertAttribute(ctx context.Context, q queryer, a Attribute) error {
	_, err := q.ExecContext(ctx, `
		INSERT INTO attributes (id, set_id, name, kind, choices, min, max, targets, remember, position)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.SetID, a.Name, a.Kind, jsonList(a.Choices), nullFloat(a.Min), nullFloat(a.Max), jsonList(a.Targets), a.Remember, a.Position)
	return err
}

// UpdateAttribute changes attribute a.ID (not its kind: values set stay
// valid). A choice that goes takes its values with it.
func (s *Store) UpdateAttribute(ctx context.Context, a Attribute) error {
	a.Name = strings.TrimSpace(a.Name)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		old, err := attribute(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		if a.Kind != old.Kind {
			return fmt.Errorf("%w: an attribute's kind cannot change (%s is a %s)", ErrInvalidLabel, old.Name, old.Kind)
		}
		a.SetID = old.SetID
		if a.Position == 0 {
			a.Position = old.Position
		}
		others, err := attributes(ctx, tx, a.SetID)
		if err != nil {
			return err
		}
		if err := checkAttribute(a, others); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE attributes SET name = ?, choices = ?, min = ?, max = ?, targets = ?, remember = ?, position = ? WHERE id = ?`,
			a.Name, jsonList(a.Choices), nullFloat(a.Min), nullFloat(a.Max), jsonList(a.Targets), a.Remember, a.Position, a.ID); err != nil {
			return err
		}
		if a.Kind == AttrChoice {
			_, err = tx.ExecContext(ctx, `
				DELETE FROM attribute_values WHERE attribute_id = ? AND value NOT IN (`+s.jsonEach("?")+`)`,
				a.ID, jsonList(a.Choices))
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("update attribute %q: %w", a.Name, err)
	}
	return nil
}

// DeleteAttribute deletes attribute id and its values; it returns how
// many values went.
func (s *Store) DeleteAttribute(ctx context.Context, id string) (int, error) {
	var n int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := attribute(ctx, tx, id); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM attribute_values WHERE attribute_id = ?`, id).Scan(&n); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			DELETE FROM edits WHERE `+s.jsonField("payload", "attr_before", "attribute_id")+` = ?1
				OR `+s.jsonField("payload", "attr_after", "attribute_id")+` = ?1`, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM attributes WHERE id = ?`, id)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("delete attribute: %w", err)
	}
	return n, nil
}

// EnsureAttribute is for importers: the attribute of set setID called
// name, made when missing (kind, choices as given, on every span); a
// choice met that the attribute lacks is added to its list.
func (s *Store) EnsureAttribute(ctx context.Context, setID, name, kind string, choices []string) (a Attribute, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		a, err = ensureAttribute(ctx, tx, setID, name, kind, choices)
		return err
	})
	if err != nil {
		return Attribute{}, fmt.Errorf("attribute %q: %w", name, err)
	}
	return a, nil
}

func ensureAttribute(ctx context.Context, tx queryer, setID, name, kind string, choices []string) (Attribute, error) {
	name = strings.TrimSpace(name)
	others, err := attributes(ctx, tx, setID)
	if err != nil {
		return Attribute{}, err
	}
	for _, o := range others {
		if !strings.EqualFold(o.Name, name) {
			continue
		}
		if o.Kind != AttrChoice {
			return o, nil
		}
		grew := false
		for _, c := range choices {
			if !slices.ContainsFunc(o.Choices, func(d string) bool { return strings.EqualFold(c, d) }) {
				o.Choices = append(o.Choices, c)
				grew = true
			}
		}
		if grew {
			_, err = tx.ExecContext(ctx, `UPDATE attributes SET choices = ? WHERE id = ?`, jsonList(o.Choices), o.ID)
		}
		return o, err
	}
	a := Attribute{ID: newID(), SetID: setID, Name: name, Kind: kind, Choices: choices, Position: len(others) + 1}
	for _, o := range others {
		a.Position = max(a.Position, o.Position+1)
	}
	if err := checkAttribute(a, others); err != nil {
		return Attribute{}, err
	}
	return a, insertAttribute(ctx, tx, a)
}

const relationSelect = `
	SELECT r.id, r.document_id, r.annotator_id, r.type_id, r.from_span, r.to_span, r.created, r.updated, t.name, a.name
	FROM relations r JOIN relation_types t ON t.id = r.type_id JOIN annotators a ON a.id = r.annotator_id`

func scanRelation(sc interface{ Scan(...any) error }) (Relation, error) {
	var r Relation
	var created, updated int64
	err := sc.Scan(&r.ID, &r.DocumentID, &r.AnnotatorID, &r.TypeID, &r.From, &r.To, &created, &updated, &r.Type, &r.Annotator)
	r.Created, r.Updated = time.Unix(0, created).UTC(), time.Unix(0, updated).UTC()
	return r, err
}

// Relations returns the relations of document docID made by annotatorID
// ("" for every annotator), in the order they were made.
func (s *Store) Relations(ctx context.Context, docID, annotatorID string) ([]Relation, error) {
	q := relationSelect + ` WHERE r.document_id = ?1 AND (?2 = '' OR r.annotator_id = ?2) ORDER BY r.created, r.id`
	rows, err := s.db.QueryContext(ctx, q, docID, annotatorID)
	if err != nil {
		return nil, fmt.Errorf("relations: %w", err)
	}
	defer rows.Close()
	var out []Relation
	for rows.Next() {
		r, err := scanRelation(rows)
		if err != nil {
			return nil, fmt.Errorf("relations: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("relations: %w", err)
	}
	return out, nil
}

// Relation returns relation id.
func (s *Store) Relation(ctx context.Context, id string) (Relation, error) {
	r, err := scanRelation(s.db.QueryRowContext(ctx, relationSelect+` WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Relation{}, fmt.Errorf("relation: %w: %q", ErrNotFound, id)
	}
	return r, err
}

// AttributeValues returns the attribute values on the spans and relations
// of document docID made by annotatorID ("" for every annotator), by
// owner and then attribute position.
func (s *Store) AttributeValues(ctx context.Context, docID, annotatorID string) (map[string][]AttributeValue, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT v.owner_id, v.attribute_id, v.value, v.updated, a.name
		FROM attribute_values v JOIN attributes a ON a.id = v.attribute_id
		WHERE v.document_id = ?1 AND (?2 = ''
			OR EXISTS (SELECT 1 FROM spans s WHERE s.id = v.owner_id AND s.annotator_id = ?2)
			OR EXISTS (SELECT 1 FROM relations r WHERE r.id = v.owner_id AND r.annotator_id = ?2))
		ORDER BY v.owner_id, a.position, a.name`, docID, annotatorID)
	if err != nil {
		return nil, fmt.Errorf("attribute values: %w", err)
	}
	defer rows.Close()
	out := map[string][]AttributeValue{}
	for rows.Next() {
		var v AttributeValue
		var updated int64
		if err := rows.Scan(&v.OwnerID, &v.AttributeID, &v.Value, &updated, &v.Name); err != nil {
			return nil, fmt.Errorf("attribute values: %w", err)
		}
		v.Updated = time.Unix(0, updated).UTC()
		out[v.OwnerID] = append(out[v.OwnerID], v)
	}
	return out, rows.Err()
}
