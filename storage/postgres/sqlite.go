package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/jackc/pgx/v5"

	"gloss/storage"
)

// Moving work between a SQLite file and the server, with the same UUIDs:
// LoadSQLite brings a file into a server that has no documents yet (a desk
// moving to the server, or an analyst's offline start), BackupToSQLite
// writes the whole server to a new SQLite file. The two schemas have the
// same tables and columns; only some types differ (SQLite's integers are
// the server's booleans, its JSON text the server's jsonb).

// copyTable is a table both schemas have, in an order that inserts every
// row after the rows it refers to.
type copyTable struct {
	name string
	cols []string
	// kinds of the columns that differ between the engines: 'b' a
	// boolean on the server (an integer in SQLite), 'j' jsonb (text), 'x'
	// bytea (blob); others are the same.
	kinds map[string]byte
}

var copyTables = []copyTable{
	{name: "annotators", cols: []string{"id", "name", "created"}},
	{name: "label_sets", cols: []string{"id", "name"}},
	{name: "labels", cols: []string{"id", "set_id", "name", "color", "key", "position"}},
	{name: "documents", cols: []string{"seq", "id", "title", "file_name", "format", "sha256", "length", "imported_at", "byline", "published", "site"}},
	{name: "document_texts", cols: []string{"document_id", "text"}},
	{name: "spans", cols: []string{"id", "document_id", "annotator_id", "label_id", "start", "end", "text", "note", "created", "updated", "suggestion", "revived"}},
	{name: "document_status", cols: []string{"document_id", "annotator_id", "status", "updated"}},
	{name: "edits", cols: []string{"seq", "annotator_id", "document_id", "kind", "span_id", "payload", "undone", "created"},
		kinds: map[string]byte{"payload": 'j', "undone": 'b'}},
	{name: "suggestions", cols: []string{"id", "document_id", "annotator_id", "label_id", "start", "end", "text", "score", "source", "rule", "model_version", "created"}},
	{name: "rejections", cols: []string{"id", "document_id", "annotator_id", "label_id", "start", "end", "created"}},
	{name: "models", cols: []string{"id", "annotator_id", "kind", "version", "data", "summary", "created"},
		kinds: map[string]byte{"data": 'x', "summary": 'j'}},
	{name: "tombstones", cols: []string{"span_id", "document_id", "annotator_id", "deleted"}},
	{name: "relation_types", cols: []string{"id", "set_id", "name", "color", "key", "directed", "args", "position"},
		kinds: map[string]byte{"directed": 'b', "args": 'j'}},
	{name: "relations", cols: []string{"id", "document_id", "annotator_id", "type_id", "from_span", "to_span", "created", "updated", "revived"}},
	{name: "relation_tombstones", cols: []string{"relation_id", "document_id", "annotator_id", "deleted"}},
	{name: "attributes", cols: []string{"id", "set_id", "name", "kind", "choices", "min", "max", "targets", "remember", "position"},
		kinds: map[string]byte{"choices": 'j', "targets": 'j', "remember": 'b'}},
	{name: "attribute_values", cols: []string{"owner_id", "attribute_id", "document_id", "value", "updated"}},
}

// quoted is a column list for SQL ("end" is a keyword in both).
func quoted(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = `"` + c + `"`
	}
	return strings.Join(q, ", ")
}

// LoadSummary counts the rows LoadSQLite copied, by table.
type LoadSummary struct {
	Rows map[string]int
}

// LoadSQLite copies the Gloss SQLite database at path into the server at
// url (connected as the database's owner, as `gloss server init` is), in
// one transaction, through COPY. The server must hold no documents yet:
// merging into a server with work on it is not written yet, and is
// refused. Annotators and label sets the server has by name (the analysts
// add-analyst made, the Default set and gold that Init made) take the
// file's IDs, so that each analyst's role writes the layer the file
// holds for them.
func LoadSQLite(ctx context.Context, url, path string) (LoadSummary, error) {
	sum := LoadSummary{Rows: map[string]int{}}
	src, err := openSQLite(path, true)
	if err != nil {
		return sum, err
	}
	defer src.Close()
	conn, err := connect(ctx, url)
	if err != nil {
		return sum, err
	}
	defer conn.Close(context.Background())
	if _, err := schemaVersion(ctx, conn); err != nil {
		return sum, err
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		return sum, err
	}
	defer tx.Rollback(context.Background())
	var docs int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM documents`).Scan(&docs); err != nil {
		return sum, err
	}
	if docs > 0 {
		return sum, fmt.Errorf("the server already holds %d documents: loading a file is for a server without work yet (merging into one with work on it is not written yet)", docs)
	}
	if err := takeNames(ctx, tx, src); err != nil {
		return sum, err
	}
	for _, t := range copyTables {
		n, err := copyIn(ctx, tx, src, t)
		if err != nil {
			return sum, fmt.Errorf("%s: %w", t.name, err)
		}
		sum.Rows[t.name] = n
	}
	// The identities go on after the copied rows.
	for _, t := range []string{"documents", "edits"} {
		if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'seq'), coalesce((SELECT max(seq) FROM `+t+`), 0) + 1, false)`); err != nil {
			return sum, err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return sum, err
	}
	return sum, nil
}

// takeNames makes room for the file's annotators and label sets: the
// server's rows of the same names (which hold no work: the server has no
// documents) go, their roles mapped to the file's annotators.
func takeNames(ctx context.Context, tx pgx.Tx, src *sql.DB) error {
	rows, err := src.QueryContext(ctx, `SELECT id, name FROM annotators`)
	if err != nil {
		return err
	}
	type named struct{ id, name string }
	var anns []named
	for rows.Next() {
		var a named
		if err := rows.Scan(&a.id, &a.name); err != nil {
			rows.Close()
			return err
		}
		anns = append(anns, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, a := range anns {
		var ours string
		err := tx.QueryRow(ctx, `SELECT id FROM annotators WHERE name = $1`, a.name).Scan(&ours)
		if errors.Is(err, pgx.ErrNoRows) || err == nil && ours == a.id {
			continue
		}
		if err != nil {
			return err
		}
		// The role keeps its name; its annotator becomes the file's: a row
		// of the file's ID takes the role over, the server's goes, and the
		// copy below fills the row in (annotators are upserted).
		if _, err := tx.Exec(ctx, `INSERT INTO annotators (id, name, created) SELECT $1, name || ' (moving)', created FROM annotators WHERE id = $2`, a.id, ours); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE gloss_roles SET annotator_id = $1 WHERE annotator_id = $2`, a.id, ours); err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM edits WHERE annotator_id = $1`, `DELETE FROM annotators WHERE id = $1`} {
			if _, err := tx.Exec(ctx, q, ours); err != nil {
				return err
			}
		}
	}
	// Label sets of the same name: the server's (empty of work) goes.
	srows, err := src.QueryContext(ctx, `SELECT name FROM label_sets`)
	if err != nil {
		return err
	}
	var sets []string
	for srows.Next() {
		var n string
		if err := srows.Scan(&n); err != nil {
			srows.Close()
			return err
		}
		sets = append(sets, n)
	}
	srows.Close()
	if err := srows.Err(); err != nil {
		return err
	}
	for _, n := range sets {
		if _, err := tx.Exec(ctx, `DELETE FROM label_sets WHERE name = $1`, n); err != nil {
			return err
		}
	}
	return nil
}

// copyIn copies table t from the SQLite file into the server with COPY.
func copyIn(ctx context.Context, tx pgx.Tx, src *sql.DB, t copyTable) (int, error) {
	rows, err := src.QueryContext(ctx, `SELECT `+quoted(t.cols)+` FROM `+t.name)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(t.cols))
		ptrs := make([]any, len(t.cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return 0, err
		}
		for i, c := range t.cols {
			switch t.kinds[c] {
			case 'b':
				vals[i] = truthy(vals[i])
			case 'j':
				vals[i] = jsonText(vals[i])
			case 'x':
			default:
				if b, ok := vals[i].([]byte); ok {
					vals[i] = string(b)
				}
			}
		}
		out = append(out, vals)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if t.name == "annotators" {
		// Some may be there already (takeNames): upserted, not copied.
		for _, v := range out {
			if _, err := tx.Exec(ctx, `INSERT INTO annotators (id, name, created) VALUES ($1, $2, $3)
				ON CONFLICT (id) DO UPDATE SET name = excluded.name, created = excluded.created`, v...); err != nil {
				return 0, err
			}
		}
		return len(out), nil
	}
	n, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromRows(out))
	return int(n), err
}

func truthy(v any) bool {
	switch x := v.(type) {
	case int64:
		return x != 0
	case bool:
		return x
	}
	return false
}

// jsonText is a JSON column's value as the server's jsonb takes it.
func jsonText(v any) any {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return v
}

// openSQLite opens a Gloss SQLite file with database/sql (the driver
// package storage registers), read-only when asked.
func openSQLite(path string, readOnly bool) (*sql.DB, error) {
	mode := "rw"
	if readOnly {
		mode = "ro"
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?mode="+mode+"&_foreign_keys=on")
	if err != nil {
		return nil, err
	}
	var v int
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: not a Gloss database: %w", path, err)
	}
	if v < storage.SchemaVersion() {
		db.Close()
		return nil, fmt.Errorf("%s is a Gloss database of schema %d: open it with this Gloss once (it migrates it to %d), then load it", path, v, storage.SchemaVersion())
	}
	if v > storage.SchemaVersion() {
		db.Close()
		return nil, fmt.Errorf("%s was made by a newer Gloss (schema %d)", path, v)
	}
	return db, nil
}

// BackupToSQLite writes everything the server holds to a new Gloss SQLite
// file at dest (which must not exist), with the same UUIDs: the server's
// work taken home, or a backup in the program's own format.
func BackupToSQLite(ctx context.Context, url, dest string) (LoadSummary, error) {
	return BackupAnalystToSQLite(ctx, url, dest, "")
}

// layerWhere keeps, in a table of one layer's rows, those of annotator $1
// (the names are our constants).
var layerWhere = map[string]string{
	"spans": "annotator_id = $1", "document_status": "annotator_id = $1", "edits": "annotator_id = $1",
	"suggestions": "annotator_id = $1", "rejections": "annotator_id = $1", "models": "annotator_id = $1",
	"tombstones": "annotator_id = $1", "relations": "annotator_id = $1", "relation_tombstones": "annotator_id = $1",
	"attribute_values": "(EXISTS (SELECT 1 FROM spans s WHERE s.id = owner_id AND s.annotator_id = $1)" +
		" OR EXISTS (SELECT 1 FROM relations r WHERE r.id = owner_id AND r.annotator_id = $1))",
}

// BackupAnalystToSQLite is BackupToSQLite of one analyst's work: every
// document, label, relation type, attribute and annotator, and the layer
// of the annotator called name only ("" for everyone's): an analyst takes
// their own work home.
func BackupAnalystToSQLite(ctx context.Context, url, dest, name string) (LoadSummary, error) {
	sum := LoadSummary{Rows: map[string]int{}}
	if _, err := os.Stat(dest); err == nil {
		return sum, fmt.Errorf("%s exists already: give a new file (%w)", dest, fs.ErrExist)
	}
	st, err := storage.Open(dest) // the schema, migrated
	if err != nil {
		return sum, err
	}
	st.Close()
	ok := false
	defer func() {
		if !ok {
			for _, p := range []string{dest, dest + "-wal", dest + "-shm"} {
				os.Remove(p)
			}
		}
	}()
	dst, err := openSQLite(dest, false)
	if err != nil {
		return sum, err
	}
	defer dst.Close()
	conn, err := connect(ctx, url)
	if err != nil {
		return sum, err
	}
	defer conn.Close(context.Background())
	if _, err := schemaVersion(ctx, conn); err != nil {
		return sum, err
	}
	// One snapshot of the server.
	src, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return sum, err
	}
	defer src.Rollback(context.Background())
	who := ""
	if name != "" {
		if err := src.QueryRow(ctx, `SELECT id FROM annotators WHERE name = $1`, name).Scan(&who); err != nil {
			return sum, fmt.Errorf("no annotator %q on the server", name)
		}
	}
	tx, err := dst.BeginTx(ctx, nil)
	if err != nil {
		return sum, err
	}
	defer tx.Rollback()
	for _, t := range copyTables {
		n, err := copyOut(ctx, src, tx, t, who)
		if err != nil {
			return sum, fmt.Errorf("%s: %w", t.name, err)
		}
		sum.Rows[t.name] = n
	}
	if err := tx.Commit(); err != nil {
		return sum, err
	}
	ok = true
	return sum, nil
}

// copyOut copies table t from the server into the SQLite file.
func copyOut(ctx context.Context, src pgx.Tx, dst *sql.Tx, t copyTable, who string) (int, error) {
	cols := make([]string, len(t.cols))
	for i, c := range t.cols {
		cols[i] = `"` + c + `"`
		if t.kinds[c] == 'j' {
			cols[i] += `::text`
		}
	}
	q := `SELECT ` + strings.Join(cols, ", ") + ` FROM ` + t.name
	var args []any
	if w, ok := layerWhere[t.name]; ok && who != "" {
		q += ` WHERE ` + w
		args = append(args, who)
	}
	rows, err := src.Query(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(t.cols)), ", ")
	ins, err := dst.PrepareContext(ctx, `INSERT INTO `+t.name+` (`+quoted(t.cols)+`) VALUES (`+marks+`)`)
	if err != nil {
		return 0, err
	}
	defer ins.Close()
	n := 0
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return n, err
		}
		for i, c := range t.cols {
			if t.kinds[c] == 'b' {
				if b, ok := vals[i].(bool); ok {
					vals[i] = map[bool]int{false: 0, true: 1}[b]
				}
			}
		}
		if _, err := ins.ExecContext(ctx, vals...); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}
