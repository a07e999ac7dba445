package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// migrateTo makes a database at path at schema version k by the migration
// code itself (migrations 1..k, one transaction each, as Open applies them).
func migrateTo(t *testing.T, path string, k int) {
	t.Helper()
	db, err := sql.Open("sqlite3", fileURI(path, dsnParams))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := &Store{db: db, path: path, stmts: map[string]*sql.Stmt{}}
	defer func() {
		for _, st := range s.stmts {
			st.Close()
		}
	}()
	for range k {
		if done, err := s.migrateOne(context.Background()); err != nil || done {
			t.Fatalf("migrate to %d: done %v, %v", k, done, err)
		}
	}
	if v := userVersion(t, path); v != k {
		t.Fatalf("user_version = %d, want %d", v, k)
	}
}

// The data every version's filler writes, and what the newest Gloss must
// read back from it.
const (
	upAnn     = "0190a000-0000-7000-8000-000000000001"
	upSet     = "0190a000-0000-7000-8000-000000000002"
	upLabel1  = "0190a000-0000-7000-8000-000000000003"
	upLabel2  = "0190a000-0000-7000-8000-000000000004"
	upDoc     = "0190a000-0000-7000-8000-000000000005"
	upSpan1   = "0190a000-0000-7000-8000-000000000006"
	upSpan2   = "0190a000-0000-7000-8000-000000000007"
	upSugg    = "0190a000-0000-7000-8000-000000000008"
	upRej     = "0190a000-0000-7000-8000-000000000009"
	upModel   = "0190a000-0000-7000-8000-00000000000a"
	upSpan3   = "0190a000-0000-7000-8000-00000000000b" // deleted: a tombstone (version 3)
	upDoc2    = "0190a000-0000-7000-8000-00000000000c" // span 3's
	upText2   = "Deleted here."
	upText    = "“Growth,” she said — “is 3%.” 👍🏽 東京 ok"
	upCreated = int64(1_700_000_000_000_000_000)
)

// fillers write data into a database at schema version k, with SQL valid at
// that version. A new migration needs a filler for its version (the test
// below insists), written against the schema as it is then.
var fillers = map[int]func(ctx context.Context, db *sql.DB) error{
	1: fillV1,
	// Version 2 adds suggestions, rejections and models: version 1's data
	// and one of each.
	2: func(ctx context.Context, db *sql.DB) error {
		if err := fillV1(ctx, db); err != nil {
			return err
		}
		return fillV2Extras(ctx, db)
	},
	// Version 3 adds tombstones and spans.revived: version 2's data, a
	// span deleted in a second document (its create and delete in the
	// history, its tombstone) and span 1 revived.
	3: func(ctx context.Context, db *sql.DB) error {
		if err := fillV1(ctx, db); err != nil {
			return err
		}
		if err := fillV2Extras(ctx, db); err != nil {
			return err
		}
		return fillV3Extras(ctx, db)
	},
	// Version 4 adds the search indexes (kept by triggers): version 3's
	// data and a third document, which the triggers index.
	4: func(ctx context.Context, db *sql.DB) error {
		if err := fillV1(ctx, db); err != nil {
			return err
		}
		if err := fillV2Extras(ctx, db); err != nil {
			return err
		}
		if err := fillV3Extras(ctx, db); err != nil {
			return err
		}
		return fillV4Extras(ctx, db)
	},
	// Version 5 adds a web page's byline, date and site to documents:
	// version 4's data, the old document given a byline.
	5: func(ctx context.Context, db *sql.DB) error {
		for _, fill := range []func(context.Context, *sql.DB) error{fillV1, fillV2Extras, fillV3Extras, fillV4Extras} {
			if err := fill(ctx, db); err != nil {
				return err
			}
		}
		_, err := db.ExecContext(ctx, `UPDATE documents SET byline = 'By Ana Silva', published = '2026-11-30', site = 'The Courier' WHERE id = ?`, upDoc)
		return err
	},
	// Version 6 adds relations and attributes: version 5's data with a
	// relation from span 2 to span 1 and a certainty on span 1.
	6: fillV6,
	// Version 7 adds the document list's folded keys, kept by triggers
	// and the store: version 6's data, written with the triggers in place.
	7: fillV6,
}

func fillV6(ctx context.Context, db *sql.DB) error {
	{
		for _, fill := range []func(context.Context, *sql.DB) error{fillV1, fillV2Extras, fillV3Extras, fillV4Extras} {
			if err := fill(ctx, db); err != nil {
				return err
			}
		}
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO relation_types (id, set_id, name, color, key, directed, args, position) VALUES (?, ?, 'supports', '#0072B2', 's', 1, ?, 1)`,
				[]any{upRelType, upSet, fmt.Sprintf(`[[%q, %q]]`, upLabel2, upLabel1)}},
			{`INSERT INTO relations (id, document_id, annotator_id, type_id, from_span, to_span, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				[]any{upRelation, upDoc, upAnn, upRelType, upSpan2, upSpan1, upCreated + 2, upCreated + 2}},
			{`INSERT INTO attributes (id, set_id, name, kind, choices, position) VALUES (?, ?, 'Certainty', 'choice', '["Low","High"]', 1)`,
				[]any{upAttr, upSet}},
			{`INSERT INTO attribute_values (owner_id, attribute_id, document_id, value, updated) VALUES (?, ?, ?, 'High', ?)`,
				[]any{upSpan1, upAttr, upDoc, upCreated + 3}},
		} {
			if _, err := db.ExecContext(ctx, q.sql, q.args...); err != nil {
				return fmt.Errorf("%s: %w", q.sql, err)
			}
		}
		return nil
	}
}

const (
	upRelType  = "0190a000-0000-7000-8000-000000000020"
	upRelation = "0190a000-0000-7000-8000-000000000021"
	upAttr     = "0190a000-0000-7000-8000-000000000022"
)

// checkFilledV6 reads back what version 6's filler wrote.
func checkFilledV6(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	rs, err := s.Relations(ctx, upDoc, upAnn)
	if err != nil || len(rs) != 1 || rs[0].ID != upRelation || rs[0].Type != "supports" || rs[0].From != upSpan2 || rs[0].To != upSpan1 {
		t.Errorf("relations: %+v, %v", rs, err)
	}
	vs, err := s.AttributeValues(ctx, upDoc, upAnn)
	if err != nil || len(vs[upSpan1]) != 1 || vs[upSpan1][0].Value != "High" || vs[upSpan1][0].Name != "Certainty" {
		t.Errorf("attribute values: %+v, %v", vs, err)
	}
}

func fillV1(ctx context.Context, db *sql.DB) error {
	sha := "c0a9e1e1" // any unique value; the store does not re-hash on read
	payload1 := fmt.Sprintf(`{"after":{"id":%q,"document_id":%q,"annotator_id":%q,"label_id":%q,"start":0,"end":8,"text":"“Growth,”","note":"","created":%d,"updated":%d}}`,
		upSpan1, upDoc, upAnn, upLabel1, upCreated, upCreated)
	payload2 := fmt.Sprintf(`{"after":{"id":%q,"document_id":%q,"annotator_id":%q,"label_id":%q,"start":30,"end":32,"text":"👍🏽","note":"skin tone","created":%d,"updated":%d}}`,
		upSpan2, upDoc, upAnn, upLabel2, upCreated+1, upCreated+1)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO annotators (id, name, created) VALUES (?, 'ana', ?)`, []any{upAnn, upCreated}},
		{`INSERT INTO label_sets (id, name) VALUES (?, 'Default')`, []any{upSet}},
		{`INSERT INTO labels (id, set_id, name, color, key, position) VALUES (?, ?, 'Claim', '#E69F00', '1', 1)`, []any{upLabel1, upSet}},
		{`INSERT INTO labels (id, set_id, name, color, key, position) VALUES (?, ?, 'Figure', '#56B4E9', '2', 2)`, []any{upLabel2, upSet}},
		{`INSERT INTO documents (id, title, file_name, format, sha256, length, imported_at) VALUES (?, 'Old', 'old.txt', 'txt', ?, ?, ?)`,
			[]any{upDoc, sha, runeLen(upText), upCreated}},
		{`INSERT INTO document_texts (document_id, text) VALUES (?, ?)`, []any{upDoc, upText}},
		{`INSERT INTO spans (id, document_id, annotator_id, label_id, start, "end", text, note, created, updated) VALUES (?, ?, ?, ?, 0, 8, '“Growth,”', '', ?, ?)`,
			[]any{upSpan1, upDoc, upAnn, upLabel1, upCreated, upCreated}},
		{`INSERT INTO spans (id, document_id, annotator_id, label_id, start, "end", text, note, created, updated) VALUES (?, ?, ?, ?, 30, 32, '👍🏽', 'skin tone', ?, ?)`,
			[]any{upSpan2, upDoc, upAnn, upLabel2, upCreated + 1, upCreated + 1}},
		{`INSERT INTO document_status (document_id, annotator_id, status, updated) VALUES (?, ?, 'done', ?)`, []any{upDoc, upAnn, upCreated}},
		{`INSERT INTO edits (annotator_id, document_id, kind, span_id, payload, undone, created) VALUES (?, ?, 'create_span', ?, ?, 0, ?)`,
			[]any{upAnn, upDoc, upSpan1, payload1, upCreated}},
		{`INSERT INTO edits (annotator_id, document_id, kind, span_id, payload, undone, created) VALUES (?, ?, 'create_span', ?, ?, 0, ?)`,
			[]any{upAnn, upDoc, upSpan2, payload2, upCreated + 1}},
	} {
		if _, err := db.ExecContext(ctx, q.sql, q.args...); err != nil {
			return fmt.Errorf("%s: %w", q.sql, err)
		}
	}
	return nil
}

func fillV2Extras(ctx context.Context, db *sql.DB) error {
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO suggestions (id, document_id, annotator_id, label_id, start, "end", text, score, source, rule, model_version, created)
			VALUES (?, ?, ?, ?, 24, 26, '3%', 0.75, 'tagger', '', '1', ?)`, []any{upSugg, upDoc, upAnn, upLabel2, upCreated}},
		{`INSERT INTO rejections (id, document_id, annotator_id, label_id, start, "end", created) VALUES (?, ?, ?, ?, 33, 35, ?)`,
			[]any{upRej, upDoc, upAnn, upLabel2, upCreated}},
		{`INSERT INTO models (id, annotator_id, kind, version, data, summary, created) VALUES (?, ?, 'tagger', 1, x'00', '{}', ?)`,
			[]any{upModel, upAnn, upCreated}},
	} {
		if _, err := db.ExecContext(ctx, q.sql, q.args...); err != nil {
			return fmt.Errorf("%s: %w", q.sql, err)
		}
	}
	return nil
}

func fillV3Extras(ctx context.Context, db *sql.DB) error {
	state := fmt.Sprintf(`{"id":%q,"document_id":%q,"annotator_id":%q,"label_id":%q,"start":0,"end":7,"text":"Deleted","note":"","created":%d,"updated":%d}`,
		upSpan3, upDoc2, upAnn, upLabel1, upCreated+2, upCreated+2)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO documents (id, title, file_name, format, sha256, length, imported_at) VALUES (?, 'Second', 'second.txt', 'txt', 'c0a9e1e2', ?, ?)`,
			[]any{upDoc2, runeLen(upText2), upCreated}},
		{`INSERT INTO document_texts (document_id, text) VALUES (?, ?)`, []any{upDoc2, upText2}},
		{`INSERT INTO edits (annotator_id, document_id, kind, span_id, payload, undone, created) VALUES (?, ?, 'create_span', ?, ?, 0, ?)`,
			[]any{upAnn, upDoc2, upSpan3, `{"after":` + state + `}`, upCreated + 2}},
		{`INSERT INTO edits (annotator_id, document_id, kind, span_id, payload, undone, created) VALUES (?, ?, 'delete_span', ?, ?, 0, ?)`,
			[]any{upAnn, upDoc2, upSpan3, `{"before":` + state + `}`, upCreated + 3}},
		{`INSERT INTO tombstones (span_id, document_id, annotator_id, deleted) VALUES (?, ?, ?, ?)`,
			[]any{upSpan3, upDoc2, upAnn, upCreated + 3}},
		{`UPDATE spans SET revived = ? WHERE id = ?`, []any{upCreated + 4, upSpan1}},
	} {
		if _, err := db.ExecContext(ctx, q.sql, q.args...); err != nil {
			return fmt.Errorf("%s: %w", q.sql, err)
		}
	}
	return nil
}

// checkFilledV3 reads back what version 3's filler adds: the tombstone and
// the revived time, and the deleted span's return by Undo (its tombstone
// goes) and its deletion again by Redo (it is back).
func checkFilledV3(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	if d := tombstoneOf(t, s, upSpan3); d != upCreated+3 {
		t.Errorf("span 3's tombstone: deleted %d", d)
	}
	var revived int64
	if err := s.db.QueryRow(`SELECT revived FROM spans WHERE id = ?`, upSpan1).Scan(&revived); err != nil || revived != upCreated+4 {
		t.Errorf("span 1 revived %d, %v", revived, err)
	}
	if e, ok, err := s.Undo(ctx, upAnn, upDoc2); err != nil || !ok || e.Kind != EditCreateSpan || e.SpanID != upSpan3 {
		t.Fatalf("undo of span 3's deletion: %+v %v %v", e, ok, err)
	}
	if sp, err := s.Span(ctx, upSpan3); err != nil || sp.Text != "Deleted" || sp.Updated.UnixNano() != upCreated+2 {
		t.Errorf("span 3 after undoing its deletion: %+v, %v", sp, err)
	}
	if d := tombstoneOf(t, s, upSpan3); d != 0 {
		t.Errorf("span 3 is back but its tombstone (%d) stays", d)
	}
	if err := s.db.QueryRow(`SELECT revived FROM spans WHERE id = ?`, upSpan3).Scan(&revived); err != nil || revived <= upCreated+3 {
		t.Errorf("span 3 back, revived %d (deleted at %d), %v", revived, upCreated+3, err)
	}
	if _, ok, err := s.Redo(ctx, upAnn, upDoc2); err != nil || !ok {
		t.Fatalf("redo: %v %v", ok, err)
	}
	if d := tombstoneOf(t, s, upSpan3); d <= upCreated+3 {
		t.Errorf("span 3 deleted again: tombstone %d", d)
	}
}

// tombstoneOf is when span id was deleted, by its tombstone; 0 for none.
func tombstoneOf(t testing.TB, s *Store, id string) int64 {
	t.Helper()
	var d int64
	err := s.db.QueryRow(`SELECT deleted FROM tombstones WHERE span_id = ?`, id).Scan(&d)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		t.Fatal(err)
	}
	return d
}

// Version 4's filler adds a document written with the search triggers in
// place.
const (
	upDoc3  = "0190a000-0000-7000-8000-00000000000d"
	upText3 = "Indexed by the triggers: naïve Growth."
)

func fillV4Extras(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `INSERT INTO documents (id, title, file_name, format, sha256, length, imported_at) VALUES (?, 'Third', '', 'txt', 'c0a9e1e3', ?, ?)`,
		upDoc3, runeLen(upText3), upCreated); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, `INSERT INTO document_texts (document_id, text) VALUES (?, ?)`, upDoc3, upText3)
	return err
}

// checkFilledSearch searches what the fillers of version k wrote: the
// migration to version 4 indexes what was there, the triggers what came
// after.
func checkFilledSearch(t *testing.T, s *Store, k int) {
	t.Helper()
	ctx := context.Background()
	var got []string
	err := s.Search(ctx, SearchQuery{Text: "growth"}, func(m SearchMatch) error {
		got = append(got, fmt.Sprintf("%s %d-%d %s", m.DocumentID, m.Start, m.End, m.Text))
		return nil
	})
	want := []string{upDoc + " 1-7 Growth"}
	if k >= 4 {
		want = append(want, upDoc3+" 31-37 Growth")
	}
	if err != nil || strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("search growth: %q, %v; want %q", got, err, want)
	}
	if docs, n, err := s.SearchCount(ctx, SearchQuery{Text: "東京", Mode: SearchSubstring}); err != nil || docs != 1 || n != 1 {
		t.Errorf("search 東京: %d documents, %d matches, %v", docs, n, err)
	}
	if k >= 3 {
		if docs, n, err := s.SearchCount(ctx, SearchQuery{Text: "eleted", Mode: SearchSubstring}); err != nil || docs != 1 || n != 1 {
			t.Errorf("search eleted: %d documents, %d matches, %v", docs, n, err)
		}
	}
}

// checkFilled reads, through the newest API, what the fillers wrote.
func checkFilled(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
	as, err := s.Annotators(ctx)
	if err != nil || len(as) != 1 || as[0].ID != upAnn || as[0].Name != "ana" {
		t.Errorf("annotators: %v, %v", as, err)
	}
	set, err := s.DefaultLabelSet(ctx)
	if err != nil || set.ID != upSet {
		t.Errorf("label set: %v, %v", set, err)
	}
	ls, err := s.Labels(ctx, upSet)
	if err != nil || len(ls) != 2 || ls[0].Name != "Claim" || ls[1].Key != "2" {
		t.Errorf("labels: %v, %v", ls, err)
	}
	d, err := s.Document(ctx, upDoc)
	if err != nil || d.Text != upText || d.Title != "Old" || d.FileName != "old.txt" || d.Length != runeLen(upText) {
		t.Errorf("document: %+v, %v", d, err)
	}
	sps, err := s.Spans(ctx, upDoc, upAnn)
	if err != nil || len(sps) != 2 {
		t.Fatalf("spans: %v, %v", sps, err)
	}
	if sps[0].ID != upSpan1 || sps[0].Text != "“Growth,”" || sps[0].Label != "Claim" || sps[0].Created.UnixNano() != upCreated {
		t.Errorf("span 1: %+v", sps[0])
	}
	if sps[1].ID != upSpan2 || sps[1].Text != "👍🏽" || sps[1].Note != "skin tone" || sps[1].Label != "Figure" {
		t.Errorf("span 2: %+v", sps[1])
	}
	if st, err := s.Status(ctx, upDoc, upAnn); err != nil || st != StatusDone {
		t.Errorf("status: %v, %v", st, err)
	}
	// The old history still undoes and redoes, and what undo deletes
	// leaves a tombstone (whatever the version the file started at).
	e, ok, err := s.Undo(ctx, upAnn, upDoc)
	if err != nil || !ok || e.Kind != EditDeleteSpan || e.SpanID != upSpan2 {
		t.Errorf("undo of the old history: %+v %v %v", e, ok, err)
	}
	if d := tombstoneOf(t, s, upSpan2); d == 0 {
		t.Error("undoing span 2's creation left no tombstone")
	}
	if _, ok, err := s.Redo(ctx, upAnn, upDoc); err != nil || !ok {
		t.Errorf("redo: %v %v", ok, err)
	}
	if sp, err := s.Span(ctx, upSpan2); err != nil || sp.Created.UnixNano() != upCreated+1 || sp.Updated.UnixNano() != upCreated+1 {
		t.Errorf("span 2 after undo and redo: %+v, %v", sp, err)
	}
	if d := tombstoneOf(t, s, upSpan2); d != 0 {
		t.Errorf("span 2 is back but its tombstone (%d) stays", d)
	}
	// And new work goes on top.
	if _, err := s.Apply(ctx, Edit{Kind: EditCreateSpan, DocumentID: upDoc, AnnotatorID: upAnn, LabelID: upLabel2, Start: 9, End: 12}); err != nil {
		t.Error(err)
	}
}

func TestEveryVersionHasAFiller(t *testing.T) {
	for k := 1; k <= len(migrations); k++ {
		if fillers[k] == nil {
			t.Errorf("schema version %d has no filler in upgrade_test.go: write one with SQL valid at version %d", k, k)
		}
	}
}

// TestUpgradeFromEveryVersion builds a database at every schema version k
// with the migration code, fills it with SQL of that version, opens it with
// this Gloss (which migrates it to the newest) and reads everything back.
func TestUpgradeFromEveryVersion(t *testing.T) {
	for k := 1; k <= len(migrations); k++ {
		t.Run(fmt.Sprintf("v%d", k), func(t *testing.T) {
			fill := fillers[k]
			if fill == nil {
				t.Skip("no filler")
			}
			path := filepath.Join(t.TempDir(), "old.db")
			migrateTo(t, path, k)
			db, err := sql.Open("sqlite3", fileURI(path, dsnParams))
			if err != nil {
				t.Fatal(err)
			}
			if err := fill(context.Background(), db); err != nil {
				t.Fatal(err)
			}
			db.Close()
			s, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if v := userVersion(t, path); v != len(migrations) {
				t.Errorf("user_version after Open = %d, want %d", v, len(migrations))
			}
			if k >= 6 {
				checkFilledV6(t, s)
			}
			checkFilled(t, s)
			checkFilledSearch(t, s, k)
			if seqs, err := s.DocumentSeqs(context.Background(), DocFilter{Text: "OLD"}); err != nil || len(seqs) != 1 {
				t.Errorf("document list filtered by OLD: %v, %v", seqs, err)
			}
			if k >= 3 {
				checkFilledV3(t, s)
			}
			if k < len(migrations) {
				if _, err := os.Stat(preMigrationName(path, len(migrations))); err != nil {
					t.Errorf("no backup before the migration: %v", err)
				}
			}
		})
	}
}

// withExtraMigration adds a migration after the real ones for the length of
// a test, so that the newest real version has something to upgrade to.
func withExtraMigration(t *testing.T, sqlText string) {
	t.Helper()
	saved := migrations
	migrations = append(migrations[:len(migrations):len(migrations)], sqlText)
	t.Cleanup(func() { migrations = saved })
}

// newestFilled is a database at the newest real version, filled.
func newestFilled(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "gloss.db")
	k := len(migrations)
	migrateTo(t, path, k)
	db, err := sql.Open("sqlite3", fileURI(path, dsnParams))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := fillers[k](context.Background(), db); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestBackupBeforeMigration: opening a database that a migration is about to
// change leaves a copy of it, as it was, at NAME.before-vN.bak.
func TestBackupBeforeMigration(t *testing.T) {
	path := newestFilled(t)
	old := len(migrations)
	withExtraMigration(t, `CREATE TABLE reliability_probe (x INTEGER); INSERT INTO reliability_probe VALUES (1);`)
	bak := preMigrationName(path, old+1)
	if filepath.Base(bak) != "gloss.db.before-v"+fmt.Sprint(old+1)+".bak" {
		t.Errorf("backup name %s", bak)
	}

	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if v := userVersion(t, path); v != old+1 {
		t.Errorf("migrated database at version %d", v)
	}
	fi, err := os.Stat(bak)
	if err != nil {
		t.Fatalf("no backup: %v", err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v", fi.Mode().Perm())
	}
	if v := userVersion(t, bak); v != old {
		t.Errorf("backup at version %d, want %d", v, old)
	}
	// The copy is the database as it was: the new table is not there and
	// the data is.
	db, err := sql.Open("sqlite3", fileURI(bak, "mode=ro"))
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name = 'reliability_probe'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("backup has the migrated table: %d %v", n, err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM spans`).Scan(&n); err != nil || n != 2 {
		t.Errorf("backup has %d spans, %v", n, err)
	}
	db.Close()

	// Opened again, nothing is migrated and no second copy is made.
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(preMigrationName(path, old+1)[:len(bak)-4] + ".2.bak"); err == nil {
		t.Error("a second backup without a migration")
	}
}

// TestBackupBeforeMigrationNameTaken: an existing backup is never replaced;
// the next one gets a number.
func TestBackupBeforeMigrationNameTaken(t *testing.T) {
	path := newestFilled(t)
	old := len(migrations)
	withExtraMigration(t, `CREATE TABLE reliability_probe (x INTEGER);`)
	bak := preMigrationName(path, old+1)
	if err := os.WriteFile(bak, []byte("an older backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if b, _ := os.ReadFile(bak); string(b) != "an older backup" {
		t.Error("the older backup was replaced")
	}
	second := strings.TrimSuffix(bak, ".bak") + ".2.bak"
	if v := userVersion(t, second); v != old {
		t.Errorf("%s at version %d", second, v)
	}
}

// TestNoMigrationWithoutBackup: when the copy can't be made, Open fails and
// the database stays at its version, unchanged.
func TestNoMigrationWithoutBackup(t *testing.T) {
	path := newestFilled(t)
	old := len(migrations)
	withExtraMigration(t, `CREATE TABLE reliability_probe (x INTEGER);`)
	// A directory where the backup would go: Backup refuses it.
	if err := os.Mkdir(preMigrationName(path, old+1), 0o700); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err == nil {
		s.Close()
		t.Fatal("Open migrated without a backup")
	}
	t.Log(err)
	if v := userVersion(t, path); v != old {
		t.Errorf("database at version %d after the refused migration", v)
	}
}

// TestNoBackupWhenNothingToMigrate: a new database and a current one get no
// copy.
func TestNoBackupWhenNothingToMigrate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "new.db")
	for range 2 {
		s, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".bak") {
			t.Errorf("backup %s of a database that needed no migration", e.Name())
		}
	}
}

// TestQueriesAreConstant checks that every query the storage package hands
// to database/sql is built from constants only: values travel as ?
// parameters, never inside the SQL text. A query may be a constant, a sum of
// such, a local variable only ever assigned such (q += " AND ..."), or a
// parameter that every caller passes such. The one exception is listed with
// the reason it is safe; a new one fails the test.
func TestQueriesAreConstant(t *testing.T) {
	allowed := map[string]string{
		"migrateOne": "PRAGMA user_version = %d with the store's own integer (PRAGMA takes no parameters)",
		// txStmt's query is what prepared was given, and prepared's query
		// argument is checked at every caller (it is also prepared on SQLite).
		"ExecContext": "txStmt: a query given to prepared", "QueryContext": "txStmt: a query given to prepared",
		"QueryRowContext": "txStmt: a query given to prepared",
	}
	std := importer.Default()
	if _, err := std.Import("database/sql"); err != nil {
		t.Skipf("no export data for the standard library here: %v", err)
	}
	fset, files, info := typeCheckStorage(t, std)
	qc := newQueryConsts(info)
	qc.collect(files)

	// The method and the index of its query argument.
	queryArg := map[string]int{
		"Exec": 0, "Query": 0, "QueryRow": 0, "Prepare": 0,
		"ExecContext": 1, "QueryContext": 1, "QueryRowContext": 1, "PrepareContext": 1,
	}
	var checked int
	var bad []string
	for _, f := range files {
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				i, ok := queryArg[sel.Sel.Name]
				if !ok || i >= len(call.Args) {
					return true
				}
				recv := info.Types[sel.X].Type
				if recv == nil {
					bad = append(bad, fmt.Sprintf("%s (in %s): receiver of unknown type", fset.Position(sel.Pos()), fn.Name.Name))
					return true
				}
				switch recv.String() {
				case "*database/sql.DB", "*database/sql.Tx", "*database/sql.Conn", "storage.queryer":
				default:
					return true // a *sql.Stmt's arguments are values, not SQL
				}
				checked++
				if qc.constOK(call.Args[i], map[types.Object]bool{}) {
					return true
				}
				if _, ok := allowed[fn.Name.Name]; ok {
					return true
				}
				bad = append(bad, fmt.Sprintf("%s (in %s)", fset.Position(call.Args[i].Pos()), fn.Name.Name))
				return true
			})
		}
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Errorf("query not built from constants only: %s", b)
	}
	if checked < 50 {
		t.Errorf("only %d queries found: is the check still looking at the right calls?", checked)
	}
	t.Logf("%d queries checked in %d files", checked, len(files))
}

// typeCheckStorage parses the package's non-test files and type-checks
// them. The standard library is resolved, go-sqlite3 and uuid are not
// (their errors are ignored): what counts is the type of database/sql's
// values.
func typeCheckStorage(t *testing.T, std types.Importer) (*token.FileSet, []*ast.File, *types.Info) {
	t.Helper()
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	info := &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{},
		Defs:  map[*ast.Ident]types.Object{},
		Uses:  map[*ast.Ident]types.Object{},
	}
	conf := types.Config{Importer: stdImporter{std}, Error: func(error) {}}
	conf.Check("storage", fset, files, info)
	return fset, files, info
}

// queryConsts knows, of every variable and parameter of the package, what
// is assigned to it, so that constOK can follow a query back to constants.
type queryConsts struct {
	info     *types.Info
	assigned map[types.Object][]ast.Expr        // nil entry: assigned something unknowable
	ranged   map[types.Object]*ast.CompositeLit // range values over a literal
	// range values over a package variable (of a literal, when it is
	// assigned nothing else)
	rangedVar map[types.Object]*types.Var
	params    map[types.Object]queryParam
	calls     map[types.Object][]*ast.CallExpr
	funcs     map[types.Object]*ast.FuncDecl // the package's functions and methods
}

type queryParam struct {
	callee types.Object
	index  int
}

func newQueryConsts(info *types.Info) *queryConsts {
	return &queryConsts{info: info, assigned: map[types.Object][]ast.Expr{}, ranged: map[types.Object]*ast.CompositeLit{},
		rangedVar: map[types.Object]*types.Var{}, params: map[types.Object]queryParam{}, calls: map[types.Object][]*ast.CallExpr{},
		funcs: map[types.Object]*ast.FuncDecl{}}
}

func (q *queryConsts) obj(id *ast.Ident) types.Object {
	if o := q.info.Defs[id]; o != nil {
		return o
	}
	return q.info.Uses[id]
}

func (q *queryConsts) addParams(callee types.Object, ft *ast.FuncType) {
	i := 0
	for _, field := range ft.Params.List {
		for _, name := range field.Names {
			if o := q.info.Defs[name]; o != nil {
				q.params[o] = queryParam{callee, i}
			}
			i++
		}
		if len(field.Names) == 0 {
			i++
		}
	}
}

// collect records the assignments, range loops, parameters and calls of
// files.
func (q *queryConsts) collect(files []*ast.File) {
	info, obj := q.info, q.obj
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				q.addParams(info.Defs[n.Name], n.Type)
				q.funcs[info.Defs[n.Name]] = n
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					id, ok := lhs.(*ast.Ident)
					if !ok || obj(id) == nil {
						continue
					}
					o := obj(id)
					if len(n.Lhs) != len(n.Rhs) {
						q.assigned[o] = append(q.assigned[o], nil)
						continue
					}
					q.assigned[o] = append(q.assigned[o], n.Rhs[i])
					if fl, ok := n.Rhs[i].(*ast.FuncLit); ok {
						q.addParams(o, fl.Type)
					}
				}
			case *ast.ValueSpec:
				for i, id := range n.Names {
					if i < len(n.Values) && len(n.Values) == len(n.Names) {
						q.assigned[obj(id)] = append(q.assigned[obj(id)], n.Values[i])
					}
				}
			case *ast.RangeStmt:
				if id, ok := n.Value.(*ast.Ident); ok && obj(id) != nil {
					if lit, ok := n.X.(*ast.CompositeLit); ok {
						q.ranged[obj(id)] = lit
						break
					}
					if x, ok := n.X.(*ast.Ident); ok {
						if v, ok := info.Uses[x].(*types.Var); ok && v.Parent() == v.Pkg().Scope() {
							q.rangedVar[obj(id)] = v
							break
						}
					}
				}
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if id, ok := e.(*ast.Ident); ok && obj(id) != nil {
						q.assigned[obj(id)] = append(q.assigned[obj(id)], nil)
					}
				}
			case *ast.CallExpr:
				switch fun := n.Fun.(type) {
				case *ast.Ident:
					if o := info.Uses[fun]; o != nil {
						q.calls[o] = append(q.calls[o], n)
					}
				case *ast.SelectorExpr:
					if o := info.Uses[fun.Sel]; o != nil {
						q.calls[o] = append(q.calls[o], n)
					}
				}
			}
			return true
		})
	}
}

// constOK reports whether e is built from constants only.
func (q *queryConsts) constOK(e ast.Expr, seen map[types.Object]bool) bool {
	if e == nil {
		return false
	}
	if tv, ok := q.info.Types[e]; ok && tv.Value != nil {
		return true
	}
	switch e := e.(type) {
	case *ast.ParenExpr:
		return q.constOK(e.X, seen)
	case *ast.BinaryExpr:
		return e.Op == token.ADD && q.constOK(e.X, seen) && q.constOK(e.Y, seen)
	case *ast.CallExpr:
		if q.builderOK(e, seen) {
			return true
		}
		// fmt.Sprintf of constants only.
		sel, ok := e.Fun.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Sprintf" {
			return false
		}
		if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "fmt" {
			return false
		}
		for _, a := range e.Args {
			if !q.constOK(a, seen) {
				return false
			}
		}
		return true
	case *ast.SelectorExpr:
		return q.fieldOK(e, seen)
	case *ast.Ident:
		return q.identOK(e, seen)
	}
	return false
}

// sqlRewriters are the package's functions that rewrite a statement rather
// than build one: a call is built from constants when its string arguments
// are.
var sqlRewriters = map[string]string{
	"mergeSQL": "points a merge's schema names (other., temp., main.) at a server's tables",
}

// builderOK: a call of one of the package's own functions (the SQL the
// two engines write differently: jsonEach, contains, ...) each of whose
// returns is built from constants (its parameters are followed to every
// caller's arguments, as any parameter is).
func (q *queryConsts) builderOK(e *ast.CallExpr, seen map[types.Object]bool) bool {
	var id *ast.Ident
	switch fun := e.Fun.(type) {
	case *ast.Ident:
		id = fun
	case *ast.SelectorExpr:
		id = fun.Sel
	}
	if id == nil {
		return false
	}
	o := q.info.Uses[id]
	fd := q.funcs[o]
	if fd == nil || fd.Body == nil || fd.Type.Results == nil || fd.Type.Results.NumFields() != 1 {
		return false
	}
	if _, ok := sqlRewriters[fd.Name.Name]; ok {
		for _, a := range e.Args {
			if t := q.info.Types[a].Type; t != nil && types.Identical(t, types.Typ[types.String]) && !q.constOK(a, seen) {
				return false
			}
		}
		return true
	}
	if seen[o] {
		return true // recursion: judged by its other returns
	}
	seen[o] = true
	defer delete(seen, o)
	ok, returns := true, 0
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			returns++
			if len(n.Results) != 1 || !q.constOK(n.Results[0], seen) {
				ok = false
			}
		}
		return ok
	})
	return ok && returns > 0
}

// fieldOK: a field of a range value over a literal of struct literals is
// that field of every element.
func (q *queryConsts) fieldOK(e *ast.SelectorExpr, seen map[types.Object]bool) bool {
	id, ok := e.X.(*ast.Ident)
	if !ok {
		return false
	}
	lit := q.ranged[q.info.Uses[id]]
	if lit == nil {
		// A range over a package variable of a literal.
		if v := q.rangedVar[q.info.Uses[id]]; v != nil {
			if as := q.assigned[v]; len(as) == 1 {
				lit, _ = as[0].(*ast.CompositeLit)
			}
		}
	}
	if lit == nil {
		return false
	}
	for _, el := range lit.Elts {
		cl, ok := el.(*ast.CompositeLit)
		if !ok {
			return false
		}
		st, ok := q.info.Types[cl].Type.Underlying().(*types.Struct)
		if !ok {
			return false
		}
		var val ast.Expr
		for i, fe := range cl.Elts {
			if kv, ok := fe.(*ast.KeyValueExpr); ok {
				if k, ok := kv.Key.(*ast.Ident); ok && k.Name == e.Sel.Name {
					val = kv.Value
				}
			} else if i < st.NumFields() && st.Field(i).Name() == e.Sel.Name {
				val = fe
			}
		}
		if val != nil && !q.constOK(val, seen) { // left out: the zero value
			return false
		}
	}
	return true
}

// identOK: a variable is constant when everything assigned to it (or, for
// a parameter, passed to it by every caller) is.
func (q *queryConsts) identOK(e *ast.Ident, seen map[types.Object]bool) bool {
	o := q.info.Uses[e]
	if lit := q.ranged[o]; lit != nil {
		for _, el := range lit.Elts {
			if !q.constOK(el, seen) {
				return false
			}
		}
		return true
	}
	if _, ok := o.(*types.Var); !ok {
		return false
	}
	if seen[o] {
		return true // q = q + "...": the rest of q's assignments decide
	}
	seen[o] = true
	if p, ok := q.params[o]; ok {
		cs := q.calls[p.callee]
		if len(cs) == 0 {
			return false
		}
		for _, c := range cs {
			if p.index >= len(c.Args) || !q.constOK(c.Args[p.index], seen) {
				return false
			}
		}
		return true
	}
	as := q.assigned[o]
	if len(as) == 0 {
		return false
	}
	for _, a := range as {
		if !q.constOK(a, seen) {
			return false
		}
	}
	return true
}

// stdImporter imports the standard library only.
type stdImporter struct{ std types.Importer }

func (i stdImporter) Import(path string) (*types.Package, error) {
	if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
		return nil, errors.New("not resolved")
	}
	return i.std.Import(path)
}
