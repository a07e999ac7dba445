package storage

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"unicode/utf8"
)

// Merging into a team server. The merge is the same code as on SQLite (one
// transaction, the same set-based statements), but PostgreSQL cannot attach
// the other file. So the file is attached to an SQLite database in memory,
// which the steps that read the file alone read (its labels, annotators,
// texts, checks), and the file's rows that the merge joins with the server's
// are first copied (COPY) into the server's merge tables (schema
// gloss_merge, PostgreSQL migration 6), inside the merge's transaction. m.q
// points the statements at them.

// mergeLock is the advisory lock that makes merges into one server take
// turns: they share its merge tables.
const mergeLock = 0x676c6f73736d // "glossm"

// serverMergeTables are the server's merge tables: the other file's rows
// and the ID maps.
const serverMergeTables = `gloss_merge.documents, gloss_merge.spans, gloss_merge.tombstones, gloss_merge.document_status,
	gloss_merge.relations, gloss_merge.relation_tombstones, gloss_merge.attribute_values,
	gloss_merge.merge_docs, gloss_merge.merge_annotators, gloss_merge.merge_labels, gloss_merge.merge_reltypes,
	gloss_merge.merge_attrs, gloss_merge.merge_tombstones, gloss_merge.merge_revived`

// mergeSchemas finds the schema names of the merge's SQL: other (the file),
// temp (the ID maps) and main (this database).
var mergeSchemas = regexp.MustCompile(`\b(other|temp|main)\.`)

// q is a statement of the merge as this database's engine takes it: on a
// server, other's and temp's tables are its merge tables, main's its own.
func (m *merger) q(query string) string { return mergeSQL(m.server, query) }

func mergeSQL(server bool, query string) string {
	if !server {
		return query
	}
	return mergeSchemas.ReplaceAllStringFunc(query, func(s string) string {
		if s == "main." {
			return ""
		}
		return "gloss_merge."
	})
}

// greatest is the greater of two SQL values: SQLite's max() of two
// arguments is PostgreSQL's greatest().
func greatest(server bool, a, b string) string {
	if server {
		return `greatest(` + a + `, ` + b + `)`
	}
	return `max(` + a + `, ` + b + `)`
}

// staged is one of the other file's tables that a merge into a server
// copies there: the server's merge table, its columns and what the file
// gives for them (old: in a file of schema version 2 or older, without
// deletions); since is the schema version the table came with (3:
// deletions, 6: relations).
type staged struct {
	table, from, old string
	columns          []string
	ints             map[string]bool
	since            int
}

var stagedTables = []staged{
	{table: "documents", columns: []string{"seq", "id", "sha256", "length"},
		from: `SELECT seq, id, sha256, length FROM other.documents`, ints: map[string]bool{"seq": true, "length": true}},
	{table: "spans", columns: []string{"id", "document_id", "annotator_id", "label_id", "start", "end", "text", "note", "created", "updated", "revived"},
		from: `SELECT id, document_id, annotator_id, label_id, start, "end", text, note, created, updated, revived FROM other.spans`,
		old:  `SELECT id, document_id, annotator_id, label_id, start, "end", text, note, created, updated, 0 FROM other.spans`,
		ints: map[string]bool{"start": true, "end": true, "created": true, "updated": true, "revived": true}},
	{table: "document_status", columns: []string{"document_id", "annotator_id", "status", "updated"},
		from: `SELECT document_id, annotator_id, status, updated FROM other.document_status`, ints: map[string]bool{"updated": true}},
	{table: "tombstones", since: 3, columns: []string{"span_id", "document_id", "annotator_id", "deleted"},
		from: `SELECT span_id, document_id, annotator_id, deleted FROM other.tombstones`, ints: map[string]bool{"deleted": true}},
	{table: "relations", since: 6, columns: []string{"id", "document_id", "annotator_id", "type_id", "from_span", "to_span", "created", "updated", "revived"},
		from: `SELECT id, document_id, annotator_id, type_id, from_span, to_span, created, updated, revived FROM other.relations`,
		ints: map[string]bool{"created": true, "updated": true, "revived": true}},
	{table: "relation_tombstones", since: 6, columns: []string{"relation_id", "document_id", "annotator_id", "deleted"},
		from: `SELECT relation_id, document_id, annotator_id, deleted FROM other.relation_tombstones`, ints: map[string]bool{"deleted": true}},
	{table: "attribute_values", since: 6, columns: []string{"owner_id", "attribute_id", "document_id", "value", "updated"},
		from: `SELECT owner_id, attribute_id, document_id, value, updated FROM other.attribute_values`, ints: map[string]bool{"updated": true}},
}

// onServer runs the merge in one transaction on the server, reading the
// other file, attached to file, in one read transaction there.
func (m *merger) onServer(file *sql.Conn) error {
	if m.s.server.CopyIn == nil {
		return fmt.Errorf("this server cannot take a merge")
	}
	otx, err := file.BeginTx(m.ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer otx.Rollback()
	conn, err := m.s.db.Conn(m.ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(m.ctx, nil)
	if err != nil {
		return err
	}
	m.tx, m.otx, m.server, m.conn = tx, otx, true, conn
	err = m.stage()
	if err == nil {
		err = m.run()
	}
	if err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// stage waits for the server's merge tables and copies the other file's
// rows into them.
func (m *merger) stage() error {
	if _, err := m.tx.ExecContext(m.ctx, `SELECT pg_advisory_xact_lock(?)`, int64(mergeLock)); err != nil {
		return err
	}
	if _, err := m.tx.ExecContext(m.ctx, `TRUNCATE `+serverMergeTables); err != nil {
		return err
	}
	version := 1
	if m.tombstones {
		version = 3
	}
	if m.relations {
		version = 6
	}
	for _, t := range stagedTables {
		if t.since > version {
			continue // not in the file
		}
		from := t.from
		if !m.tombstones && t.old != "" {
			from = t.old
		}
		if err := m.copyTable(t, from); err != nil {
			return fmt.Errorf("reading its table %s: %w", t.table, err)
		}
	}
	return nil
}

// copyTable copies the file's rows of t into the server's merge table.
func (m *merger) copyTable(t staged, from string) error {
	rows, err := m.otx.QueryContext(m.ctx, from)
	if err != nil {
		return err
	}
	defer rows.Close()
	row := make([]any, len(t.columns))
	dest := make([]any, len(t.columns))
	for i, c := range t.columns {
		if t.ints[c] {
			dest[i] = new(int64)
		} else {
			dest[i] = new(string)
		}
	}
	_, err = m.s.server.CopyIn(m.ctx, m.conn, "gloss_merge."+t.table, t.columns, func() ([]any, error) {
		if !rows.Next() {
			return nil, rows.Err()
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		for i, d := range dest {
			switch d := d.(type) {
			case *int64:
				row[i] = *d
			case *string:
				row[i] = *d
			}
		}
		return row, nil
	})
	return err
}

// copyMap copies ids (other's ID -> ours) into the server's merge table name.
func (m *merger) copyMap(name string, ids map[string]string) error {
	pairs := make([][2]string, 0, len(ids))
	for k, v := range ids {
		pairs = append(pairs, [2]string{k, v})
	}
	_, err := m.s.server.CopyIn(m.ctx, m.conn, "gloss_merge."+name, []string{"other_id", "our_id"}, func() ([]any, error) {
		if len(pairs) == 0 {
			return nil, nil
		}
		p := pairs[0]
		pairs = pairs[1:]
		return []any{p[0], p[1]}, nil
	})
	return err
}

// copyDocuments adds the other file's new documents to the server: their
// rows, then their texts, each one COPY streamed from the file. A text that
// does not match its checksum or length stops the COPY, and the merge.
func (m *merger) copyDocuments(added []otherDoc) error {
	byID := make(map[string]*otherDoc, len(added))
	for i := range added {
		byID[added[i].id] = &added[i]
	}
	// An ID taken here by another document: the new one gets a new ID.
	rows, err := m.tx.QueryContext(m.ctx, `SELECT o.id FROM gloss_merge.documents o JOIN documents d ON d.id = o.id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		if d := byID[id]; d != nil {
			d.ourID = newID()
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range added {
		if added[i].ourID == "" {
			added[i].ourID = added[i].id
		}
		m.docs[added[i].id] = added[i].ourID
	}

	titles := map[string]string{}
	meta, err := m.otx.QueryContext(m.ctx, `SELECT id, title, file_name, format, imported_at FROM other.documents ORDER BY seq`)
	if err != nil {
		return err
	}
	defer meta.Close()
	_, err = m.s.server.CopyIn(m.ctx, m.conn, "documents", []string{"id", "title", "file_name", "format", "sha256", "length", "imported_at"}, func() ([]any, error) {
		for meta.Next() {
			var id, title, fileName, format string
			var importedAt int64
			if err := meta.Scan(&id, &title, &fileName, &format, &importedAt); err != nil {
				return nil, err
			}
			d := byID[id]
			if d == nil {
				continue // matched
			}
			titles[id] = title
			return []any{d.ourID, title, fileName, format, d.sha, int64(d.length), importedAt}, nil
		}
		return nil, meta.Err()
	})
	if err != nil {
		return err
	}
	meta.Close()

	texts, err := m.otx.QueryContext(m.ctx, `SELECT document_id, text FROM other.document_texts`)
	if err != nil {
		return err
	}
	defer texts.Close()
	copied := 0
	_, err = m.s.server.CopyIn(m.ctx, m.conn, "document_texts", []string{"document_id", "text"}, func() ([]any, error) {
		for texts.Next() {
			var id, text string
			if err := texts.Scan(&id, &text); err != nil {
				return nil, err
			}
			d := byID[id]
			if d == nil {
				continue
			}
			h := sha256.Sum256([]byte(text))
			if hex.EncodeToString(h[:]) != d.sha || !utf8.ValidString(text) || runeLen(text) != d.length {
				return nil, fmt.Errorf("%w: document %s (%q): its text does not match its checksum or length (damaged file?)", ErrInvalidDocument, d.id, titles[id])
			}
			copied++
			return []any{d.ourID, text}, nil
		}
		return nil, texts.Err()
	})
	if err != nil {
		return err
	}
	if copied != len(added) {
		return fmt.Errorf("%w: %d of its documents have no text (damaged file?)", ErrInvalidDocument, len(added)-copied)
	}
	m.sum.DocumentsAdded += len(added)
	return nil
}

// statusRow is a status the merge writes.
type statusRow struct {
	Doc     string `json:"d"`
	Ann     string `json:"a"`
	Status  Status `json:"s"`
	Updated int64  `json:"u"`
}

// statusBatch is how many statuses one statement writes on a server.
const statusBatch = 5000

// upsertStatuses writes rows to the server's statuses in one statement.
func (m *merger) upsertStatuses(rows []statusRow) error {
	js, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	_, err = m.tx.ExecContext(m.ctx, `
		INSERT INTO document_status (document_id, annotator_id, status, updated)
		SELECT x.d, x.a, x.s, x.u FROM jsonb_to_recordset(CAST(? AS jsonb)) AS x(d TEXT, a TEXT, s TEXT, u BIGINT)
		ON CONFLICT (document_id, annotator_id) DO UPDATE SET status = excluded.status, updated = excluded.updated`, string(js))
	return err
}
