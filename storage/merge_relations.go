package storage

import (
	"fmt"
	"strings"
)

// relationTables are the tables and columns that Merge also reads from a
// file of schema version 6 or later.
var relationTables = map[string][]string{
	"relation_types":      {"id", "set_id", "name", "color", "key", "directed", "args", "position"},
	"relations":           {"id", "document_id", "annotator_id", "type_id", "from_span", "to_span", "created", "updated", "revived"},
	"relation_tombstones": {"relation_id", "document_id", "annotator_id", "deleted"},
	"attributes":          {"id", "set_id", "name", "kind", "choices", "min", "max", "targets", "remember", "position"},
	"attribute_values":    {"owner_id", "attribute_id", "document_id", "value", "updated"},
}

// mergeRelations merges the other file's relation types, attributes,
// relations and attribute values, after its spans (see Merge).
func (m *merger) mergeRelations() error {
	if !m.relations {
		return nil
	}
	steps := []func() error{m.mergeRelationTypes, m.mergeAttributes, m.mergeRelationTombstones, m.mergeRelationRows, m.mergeAttributeValues}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	if m.server {
		return nil // dropMaps empties them
	}
	for _, t := range []string{"merge_reltypes", "merge_attrs"} {
		if _, err := m.tx.ExecContext(m.ctx, `DROP TABLE temp.`+t); err != nil {
			return err
		}
	}
	return nil
}

// idMap writes ids (other's ID -> ours) to the temporary table name (on a
// server, to its merge table of that name).
func (m *merger) idMap(name string, ids map[string]string) error {
	if m.server {
		return m.copyMap(name, ids)
	}
	for _, q := range []string{`DROP TABLE IF EXISTS temp.` + name,
		`CREATE TEMP TABLE ` + name + ` (other_id TEXT PRIMARY KEY, our_id TEXT NOT NULL) WITHOUT ROWID`} {
		if _, err := m.tx.ExecContext(m.ctx, q); err != nil {
			return err
		}
	}
	for k, v := range ids {
		if _, err := m.tx.ExecContext(m.ctx, `INSERT INTO temp.`+name+` (other_id, our_id) VALUES (?, ?)`, k, v); err != nil {
			return err
		}
	}
	return nil
}

// mergeRelationTypes matches the other file's relation types by ID, else
// by name, and adds the new ones to the default set (their key only when
// it is free, their allowed pairs with the labels mapped).
func (m *merger) mergeRelationTypes() error {
	setID, _, err := ensureDefaultSet(m.ctx, m.tx)
	if err != nil {
		return err
	}
	ours, err := relationTypes(m.ctx, m.tx, setID)
	if err != nil {
		return err
	}
	rows, err := m.otx.QueryContext(m.ctx, `SELECT `+relationTypeColumns+` FROM other.relation_types ORDER BY position, name`)
	if err != nil {
		return err
	}
	var theirs []RelationType
	for rows.Next() {
		t, err := scanRelationType(rows)
		if err != nil {
			rows.Close()
			return err
		}
		theirs = append(theirs, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	ids := map[string]string{}
next:
	for _, t := range theirs {
		for _, o := range ours {
			if o.ID == t.ID || strings.EqualFold(o.Name, strings.TrimSpace(t.Name)) {
				ids[t.ID] = o.ID
				continue next
			}
		}
		nt := RelationType{ID: t.ID, SetID: setID, Name: strings.TrimSpace(t.Name), Color: t.Color, Key: t.Key, Directed: t.Directed}
		if !validColor(nt.Color) {
			nt.Color = palette[len(ours)%len(palette)]
		}
		for _, p := range t.Args {
			from, to := m.labels[p.From], m.labels[p.To]
			if from != "" && to != "" {
				nt.Args = append(nt.Args, LabelPair{from, to})
			}
		}
		for _, o := range ours {
			if nt.Key != "" && strings.EqualFold(o.Key, nt.Key) {
				nt.Key = ""
			}
			nt.Position = max(nt.Position, o.Position)
		}
		nt.Position++
		if err := checkRelationType(m.ctx, m.tx, nt, ours); err != nil {
			return fmt.Errorf("relation type %q: %w", t.Name, err)
		}
		if err := insertRelationType(m.ctx, m.tx, nt); err != nil {
			return fmt.Errorf("relation type %q: %w", t.Name, err)
		}
		ours = append(ours, nt)
		ids[t.ID] = nt.ID
		m.sum.RelationTypesAdded++
	}
	m.relTypes = ids
	return m.idMap("merge_reltypes", ids)
}

// mergeAttributes matches the other file's attributes by ID, else by name,
// adds the new ones, and adds to ours the choices and targets of theirs.
func (m *merger) mergeAttributes() error {
	setID, _, err := ensureDefaultSet(m.ctx, m.tx)
	if err != nil {
		return err
	}
	ours, err := attributes(m.ctx, m.tx, setID)
	if err != nil {
		return err
	}
	rows, err := m.otx.QueryContext(m.ctx, `SELECT `+attributeColumns+` FROM other.attributes ORDER BY position, name`)
	if err != nil {
		return err
	}
	var theirs []Attribute
	for rows.Next() {
		a, err := scanAttribute(rows)
		if err != nil {
			rows.Close()
			return err
		}
		theirs = append(theirs, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	ids := map[string]string{}
	mapTargets := func(ts []string) []string {
		var out []string
		for _, t := range ts {
			if id := m.labels[t]; id != "" {
				out = append(out, id)
			} else if id := m.relTypes[t]; id != "" {
				out = append(out, id)
			}
		}
		return out
	}
next:
	for _, a := range theirs {
		targets := mapTargets(a.Targets)
		for i, o := range ours {
			if o.ID != a.ID && !strings.EqualFold(o.Name, strings.TrimSpace(a.Name)) {
				continue
			}
			if o.Kind != a.Kind {
				return fmt.Errorf("attribute %q is a %s here and a %s in the other file", o.Name, o.Kind, a.Kind)
			}
			ids[a.ID] = o.ID
			grew := false
			for _, c := range a.Choices {
				if !hasChoice(o.Choices, c) {
					o.Choices, grew = append(o.Choices, c), true
				}
			}
			if len(o.Targets) > 0 {
				for _, t := range targets {
					if !o.On(t, true) {
						o.Targets, grew = append(o.Targets, t), true
					}
				}
			}
			if grew {
				if _, err := m.tx.ExecContext(m.ctx, `UPDATE attributes SET choices = ?, targets = ? WHERE id = ?`,
					jsonList(o.Choices), jsonList(o.Targets), o.ID); err != nil {
					return err
				}
				ours[i] = o
			}
			continue next
		}
		na := a
		na.SetID, na.Name, na.Targets, na.Position = setID, strings.TrimSpace(a.Name), targets, len(ours)+1
		for _, o := range ours {
			na.Position = max(na.Position, o.Position+1)
		}
		if err := checkAttribute(na, ours); err != nil {
			return fmt.Errorf("attribute %q: %w", a.Name, err)
		}
		if err := insertAttribute(m.ctx, m.tx, na); err != nil {
			return fmt.Errorf("attribute %q: %w", a.Name, err)
		}
		ours = append(ours, na)
		ids[a.ID] = na.ID
	}
	return m.idMap("merge_attrs", ids)
}

// otherRelations selects the other file's relations mapped to our IDs,
// with the time of their latest change; spans keep their IDs.
func otherRelations(server bool) string {
	return `
	SELECT o.id, d.our_id AS document_id, a.our_id AS annotator_id, t.our_id AS type_id,
		o.from_span, o.to_span, o.created, o.updated, ` + greatest(server, `o.updated`, `o.revived`) + ` AS changed
	FROM other.relations o
	JOIN temp.merge_docs d ON d.other_id = o.document_id
	JOIN temp.merge_annotators a ON a.other_id = o.annotator_id
	JOIN temp.merge_reltypes t ON t.other_id = o.type_id`
}

// mergeRelationTombstones weighs the other file's deletions of relations
// against ours: ours goes when it was not changed or brought back after
// their deletion. Their tombstones that we lack are kept.
func (m *merger) mergeRelationTombstones() error {
	res, err := m.tx.ExecContext(m.ctx, m.q(`
		DELETE FROM main.relations WHERE id IN (
			SELECT r.id FROM other.relation_tombstones t JOIN main.relations r ON r.id = t.relation_id
			WHERE `+greatest(m.server, `r.updated`, `r.revived`)+` <= t.deleted
				AND NOT EXISTS (SELECT 1 FROM other.relations o WHERE o.id = t.relation_id))`))
	if err != nil {
		return err
	}
	n, _ := res.RowsAffected()
	m.sum.RelationsDeleted += int(n)
	_, err = m.tx.ExecContext(m.ctx, m.q(`
		INSERT INTO main.relation_tombstones (relation_id, document_id, annotator_id, deleted)
		SELECT t.relation_id, d.our_id, a.our_id, t.deleted FROM other.relation_tombstones t
		JOIN temp.merge_docs d ON d.other_id = t.document_id
		JOIN temp.merge_annotators a ON a.other_id = t.annotator_id
		WHERE NOT EXISTS (SELECT 1 FROM main.relations r WHERE r.id = t.relation_id)
			AND NOT EXISTS (SELECT 1 FROM other.relations o WHERE o.id = t.relation_id)
		ON CONFLICT (relation_id) DO UPDATE SET deleted = excluded.deleted WHERE excluded.deleted > relation_tombstones.deleted`))
	return err
}

// mergeRelationRows adds the other file's relations that are new here
// (both ends present here, in its document and layer, not deleted here
// after their last change, not repeating one of ours) and takes their
// type where theirs changed later than ours.
func (m *merger) mergeRelationRows() error {
	res, err := m.tx.ExecContext(m.ctx, m.q(`
		UPDATE main.relations SET type_id = o.type_id, updated = o.updated
		FROM (`+otherRelations(m.server)+`) o
		WHERE o.id = main.relations.id AND o.type_id <> main.relations.type_id
			AND o.changed > `+greatest(m.server, `main.relations.updated`, `main.relations.revived`)+`
			AND NOT EXISTS (SELECT 1 FROM main.relations x WHERE x.type_id = o.type_id
				AND x.from_span = main.relations.from_span AND x.to_span = main.relations.to_span)`))
	if err != nil {
		return err
	}
	n, _ := res.RowsAffected()
	m.sum.RelationsUpdated += int(n)
	var skipped int
	if err := m.tx.QueryRowContext(m.ctx, m.q(`
		SELECT count(*) FROM (`+otherRelations(m.server)+`) o
		WHERE NOT EXISTS (SELECT 1 FROM main.relations r WHERE r.id = o.id)
			AND (EXISTS (SELECT 1 FROM main.relation_tombstones t WHERE t.relation_id = o.id AND t.deleted >= o.changed)
				OR NOT EXISTS (SELECT 1 FROM main.spans s WHERE s.id = o.from_span AND s.document_id = o.document_id AND s.annotator_id = o.annotator_id)
				OR NOT EXISTS (SELECT 1 FROM main.spans s WHERE s.id = o.to_span AND s.document_id = o.document_id AND s.annotator_id = o.annotator_id)
				OR EXISTS (SELECT 1 FROM main.relations x WHERE x.type_id = o.type_id AND x.from_span = o.from_span AND x.to_span = o.to_span))`)).Scan(&skipped); err != nil {
		return err
	}
	m.sum.RelationsSkipped += skipped
	res, err = m.tx.ExecContext(m.ctx, m.q(`
		INSERT INTO main.relations (id, document_id, annotator_id, type_id, from_span, to_span, created, updated)
		SELECT o.id, o.document_id, o.annotator_id, o.type_id, o.from_span, o.to_span, o.created, o.updated
		FROM (`+otherRelations(m.server)+`) o
		WHERE NOT EXISTS (SELECT 1 FROM main.relations r WHERE r.id = o.id)
			AND NOT EXISTS (SELECT 1 FROM main.relation_tombstones t WHERE t.relation_id = o.id AND t.deleted >= o.changed)
			AND EXISTS (SELECT 1 FROM main.spans s WHERE s.id = o.from_span AND s.document_id = o.document_id AND s.annotator_id = o.annotator_id)
			AND EXISTS (SELECT 1 FROM main.spans s WHERE s.id = o.to_span AND s.document_id = o.document_id AND s.annotator_id = o.annotator_id)
			AND NOT EXISTS (SELECT 1 FROM main.relations x WHERE x.type_id = o.type_id AND x.from_span = o.from_span AND x.to_span = o.to_span)`))
	if err != nil {
		return err
	}
	n, _ = res.RowsAffected()
	m.sum.RelationsAdded += int(n)
	return nil
}

// mergeAttributeValues takes the other file's values on the spans and
// relations we have, where ours is missing or older.
func (m *merger) mergeAttributeValues() error {
	// A value belongs to its span's or relation's layer: of the layers left
	// out (mergeAnnotators), none is taken.
	ownLayers := `TRUE`
	if len(m.leftOut) > 0 {
		ownLayers = `(EXISTS (SELECT 1 FROM other.spans s JOIN temp.merge_annotators n ON n.other_id = s.annotator_id WHERE s.id = v.owner_id)
			OR EXISTS (SELECT 1 FROM other.relations r JOIN temp.merge_annotators n ON n.other_id = r.annotator_id WHERE r.id = v.owner_id))`
	}
	res, err := m.tx.ExecContext(m.ctx, m.q(`
		INSERT INTO main.attribute_values (owner_id, attribute_id, document_id, value, updated)
		SELECT v.owner_id, a.our_id, d.our_id, v.value, v.updated
		FROM other.attribute_values v
		JOIN temp.merge_attrs a ON a.other_id = v.attribute_id
		JOIN temp.merge_docs d ON d.other_id = v.document_id
		WHERE (EXISTS (SELECT 1 FROM main.spans s WHERE s.id = v.owner_id)
			OR EXISTS (SELECT 1 FROM main.relations r WHERE r.id = v.owner_id)) AND `+ownLayers+`
		ON CONFLICT (owner_id, attribute_id) DO UPDATE SET value = excluded.value, updated = excluded.updated
		WHERE excluded.updated > attribute_values.updated AND excluded.value <> attribute_values.value`))
	if err != nil {
		return err
	}
	n, _ := res.RowsAffected()
	m.sum.AttributesMerged += int(n)
	return nil
}
