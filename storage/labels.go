package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultLabelSetName is the name of the label set Gloss starts with.
const DefaultLabelSetName = "Default"

// defaultLabels are the labels of a new default set (Okabe-Ito colours).
var defaultLabels = []Label{
	{Name: "Claim", Color: "#E69F00", Key: "1"},
	{Name: "Figure", Color: "#56B4E9", Key: "2"},
	{Name: "Proposal", Color: "#009E73", Key: "3"},
}

// DefaultLabels returns the labels a new default set starts with, in order
// (names, colours and keys only): a new server database gets them too.
func DefaultLabels() []Label { return slices.Clone(defaultLabels) }

// palette is the colour-blind-safe palette (Okabe-Ito, with grey in place of
// black, which hides text) that EnsureLabel draws new colours from.
var palette = []string{
	"#E69F00", "#56B4E9", "#009E73", "#F0E442",
	"#0072B2", "#D55E00", "#CC79A7", "#999999",
}

// DefaultLabelSet returns the "Default" label set, creating it with the labels
// Claim (key 1), Figure (key 2) and Proposal (key 3) when it is missing.
func (s *Store) DefaultLabelSet(ctx context.Context) (LabelSet, error) {
	set := LabelSet{Name: DefaultLabelSetName}
	// Look first without the write lock: the set exists nearly always.
	err := s.db.QueryRowContext(ctx, `SELECT id FROM label_sets WHERE name = ?`, set.Name).Scan(&set.ID)
	if err == nil {
		return set, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return LabelSet{}, fmt.Errorf("default label set: %w", err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var created bool
		var err error
		set.ID, created, err = ensureDefaultSet(ctx, tx)
		if err != nil || !created { // made meanwhile, or failed
			return err
		}
		for i, l := range defaultLabels {
			l.ID, l.SetID, l.Position = newID(), set.ID, i+1
			if err := insertLabel(ctx, tx, l); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return LabelSet{}, fmt.Errorf("default label set: %w", err)
	}
	return set, nil
}

// ensureDefaultSet returns the ID of the default label set, making it
// (empty) when there is none; created says it did. DefaultLabelSet, the
// importer and Merge all find or make it here.
func ensureDefaultSet(ctx context.Context, q queryer) (id string, created bool, err error) {
	err = q.QueryRowContext(ctx, `SELECT id FROM label_sets WHERE name = ?`, DefaultLabelSetName).Scan(&id)
	if !errors.Is(err, sql.ErrNoRows) {
		return id, false, err
	}
	id = newID()
	if _, err := q.ExecContext(ctx, `INSERT INTO label_sets (id, name) VALUES (?, ?)`, id, DefaultLabelSetName); err != nil {
		return "", false, err
	}
	return id, true, nil
}

// Labels returns the labels of set setID by position.
func (s *Store) Labels(ctx context.Context, setID string) ([]Label, error) {
	ls, err := labels(ctx, s.db, setID)
	if err != nil {
		return nil, fmt.Errorf("labels: %w", err)
	}
	return ls, nil
}

const labelColumns = `id, set_id, name, color, key, position`

func labels(ctx context.Context, q queryer, setID string) ([]Label, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+labelColumns+` FROM labels WHERE set_id = ? ORDER BY position, name`, setID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Label
	for rows.Next() {
		var l Label
		if err := rows.Scan(&l.ID, &l.SetID, &l.Name, &l.Color, &l.Key, &l.Position); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

func label(ctx context.Context, q queryer, id string) (Label, error) {
	var l Label
	err := q.QueryRowContext(ctx, `SELECT `+labelColumns+` FROM labels WHERE id = ?`, id).
		Scan(&l.ID, &l.SetID, &l.Name, &l.Color, &l.Key, &l.Position)
	if errors.Is(err, sql.ErrNoRows) {
		return Label{}, fmt.Errorf("%w: label %q", ErrNotFound, id)
	}
	return l, err
}

func insertLabel(ctx context.Context, q queryer, l Label) error {
	_, err := q.ExecContext(ctx,
		`INSERT INTO labels (id, set_id, name, color, key, position) VALUES (?, ?, ?, ?, ?, ?)`,
		l.ID, l.SetID, l.Name, l.Color, l.Key, l.Position)
	return err
}

// CreateLabel adds l to its set (l.SetID). An empty ID is made; Position 0
// puts the label last. The name (trimmed of spaces) must be non-empty,
// without control characters, at most 100 code points and unique in the set
// ignoring case; Color "#rrggbb"; Key "" or one printable, non-space character
// unique in the set ignoring case. Violations are ErrInvalidLabel.
func (s *Store) CreateLabel(ctx context.Context, l Label) (Label, error) {
	l.Name = strings.TrimSpace(l.Name)
	if l.ID == "" {
		l.ID = newID()
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := labelSetExists(ctx, tx, l.SetID); err != nil {
			return err
		}
		others, err := labels(ctx, tx, l.SetID)
		if err != nil {
			return err
		}
		if err := checkLabel(l, others); err != nil {
			return err
		}
		if l.Position == 0 {
			for _, o := range others {
				l.Position = max(l.Position, o.Position)
			}
			l.Position++
		}
		return insertLabel(ctx, tx, l)
	})
	if err != nil {
		return Label{}, fmt.Errorf("create label %q: %w", l.Name, err)
	}
	return l, nil
}

// UpdateLabel renames, recolours, re-keys or repositions label l.ID, with
// CreateLabel's validation. The set cannot change; Position 0 keeps the
// current position.
func (s *Store) UpdateLabel(ctx context.Context, l Label) error {
	l.Name = strings.TrimSpace(l.Name)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		old, err := label(ctx, tx, l.ID)
		if err != nil {
			return err
		}
		if l.SetID != "" && l.SetID != old.SetID {
			return fmt.Errorf("%w: a label cannot move to another set", ErrInvalidLabel)
		}
		l.SetID = old.SetID
		if l.Position == 0 {
			l.Position = old.Position
		}
		others, err := labels(ctx, tx, l.SetID)
		if err != nil {
			return err
		}
		if err := checkLabel(l, others); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx,
			`UPDATE labels SET name = ?, color = ?, key = ?, position = ? WHERE id = ?`,
			l.Name, l.Color, l.Key, l.Position, l.ID)
		return err
	})
	if err != nil {
		return fmt.Errorf("update label %q: %w", l.Name, err)
	}
	return nil
}

func labelSetExists(ctx context.Context, q queryer, setID string) error {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM label_sets WHERE id = ?`, setID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: label set %q", ErrNotFound, setID)
	}
	return err
}

// checkLabel validates l against the other labels of its set (others may
// include l itself, which is skipped).
func checkLabel(l Label, others []Label) error {
	if reason := checkName(l.Name); reason != "" {
		return fmt.Errorf("%w: %s", ErrInvalidLabel, reason)
	}
	if !validColor(l.Color) {
		return fmt.Errorf("%w: colour %q is not of the form #rrggbb", ErrInvalidLabel, l.Color)
	}
	if l.Key != "" {
		r, size := utf8.DecodeRuneInString(l.Key)
		if size != len(l.Key) || r == utf8.RuneError || !unicode.IsPrint(r) || unicode.IsSpace(r) {
			return fmt.Errorf("%w: key %q is not a single printable character", ErrInvalidLabel, l.Key)
		}
	}
	if l.Position < 0 {
		return fmt.Errorf("%w: position %d is negative", ErrInvalidLabel, l.Position)
	}
	for _, o := range others {
		if o.ID == l.ID {
			continue
		}
		if strings.EqualFold(o.Name, l.Name) {
			return fmt.Errorf("%w: the set already has a label %q", ErrInvalidLabel, o.Name)
		}
		if l.Key != "" && strings.EqualFold(o.Key, l.Key) {
			return fmt.Errorf("%w: key %q is already used by label %q", ErrInvalidLabel, l.Key, o.Name)
		}
	}
	return nil
}

func validColor(c string) bool {
	if len(c) != 7 || c[0] != '#' {
		return false
	}
	for _, r := range c[1:] {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}

// LabelUsage is the number of spans (of every annotator) labelled labelID.
func (s *Store) LabelUsage(ctx context.Context, labelID string) (int, error) {
	if _, err := label(ctx, s.db, labelID); err != nil {
		return 0, fmt.Errorf("label usage: %w", err)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM spans WHERE label_id = ?`, labelID).Scan(&n); err != nil {
		return 0, fmt.Errorf("label usage: %w", err)
	}
	return n, nil
}

// DeleteLabel deletes label labelID and every span (of every annotator) that
// uses it, in one transaction, and returns how many spans went.
//
// It also drops, from every annotator's undo history, the entries that
// mention the label (before or after the edit) or concern one of the deleted
// spans: they could no longer be undone or redone. The deletion itself is
// not undoable. Each deleted span leaves a tombstone, so that the next merge
// does not bring it back from a colleague's file (unless they changed it
// after the deletion) and the deletion travels to those who merge this file.
// The label itself leaves none: a merged file that still has it brings it
// back.
func (s *Store) DeleteLabel(ctx context.Context, labelID string) (int, error) {
	var n int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := label(ctx, tx, labelID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `
			DELETE FROM edits
			WHERE span_id IN (SELECT id FROM spans WHERE label_id = ?1)
				OR `+s.jsonField("payload", "before", "label_id")+` = ?1
				OR `+s.jsonField("payload", "after", "label_id")+` = ?1`, labelID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO tombstones (span_id, document_id, annotator_id, deleted)
			SELECT id, document_id, annotator_id, ?2 FROM spans WHERE label_id = ?1
			ON CONFLICT (span_id) DO UPDATE SET deleted = CASE WHEN excluded.deleted > tombstones.deleted THEN excluded.deleted ELSE tombstones.deleted END`,
			labelID, now().UnixNano()); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM spans WHERE label_id = ?`, labelID)
		if err != nil {
			return err
		}
		deleted, err := res.RowsAffected()
		if err != nil {
			return err
		}
		n = int(deleted)
		_, err = tx.ExecContext(ctx, `DELETE FROM labels WHERE id = ?`, labelID)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("delete label: %w", err)
	}
	return n, nil
}

// EnsureLabel is for importers: it returns the label of set setID called name
// (ignoring case), creating it when missing with the first palette colour
// and the first key "1".."9" that the set doesn't use yet (or no key when
// all are taken). created reports whether it made the label.
func (s *Store) EnsureLabel(ctx context.Context, setID, name string) (l Label, created bool, err error) {
	name = strings.TrimSpace(name)
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := labelSetExists(ctx, tx, setID); err != nil {
			return err
		}
		others, err := labels(ctx, tx, setID)
		if err != nil {
			return err
		}
		for _, o := range others {
			if strings.EqualFold(o.Name, name) {
				l = o
				return nil
			}
		}
		l = lookOfNew(Label{ID: newID(), SetID: setID, Name: name}, others, false)
		if err := checkLabel(l, others); err != nil {
			return err
		}
		created = true
		return insertLabel(ctx, tx, l)
	})
	if err != nil {
		return Label{}, false, fmt.Errorf("ensure label %q: %w", name, err)
	}
	return l, created, nil
}

// lookOfNew places a new label l last among others (the rest of its set)
// and gives it the first palette colour and the first key "1".."9" that
// they don't use (colours cycle when all are taken; no key when all are).
// With defaults, a label named like a default label takes that label's own
// colour and key first, where they are free (the importer's rule).
func lookOfNew(l Label, others []Label, defaults bool) Label {
	usedColor := map[string]bool{}
	usedKey := map[string]bool{}
	for _, o := range others {
		usedColor[strings.ToUpper(o.Color)] = true
		usedKey[strings.ToLower(o.Key)] = true
		l.Position = max(l.Position, o.Position)
	}
	l.Position++
	for _, d := range defaultLabels {
		if defaults && strings.EqualFold(d.Name, l.Name) {
			if !usedColor[d.Color] {
				l.Color = d.Color
			}
			if !usedKey[d.Key] {
				l.Key = d.Key
			}
		}
	}
	if l.Color == "" {
		l.Color = palette[len(others)%len(palette)] // all used: cycle
		for _, c := range palette {
			if !usedColor[c] {
				l.Color = c
				break
			}
		}
	}
	if l.Key == "" {
		for k := '1'; k <= '9'; k++ {
			if !usedKey[string(k)] {
				l.Key = string(k)
				break
			}
		}
	}
	return l
}
