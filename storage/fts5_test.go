package storage

// No build constraint here on purpose: built without -tags sqlite_fts5,
// this test fails and says how to build.

import (
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestFTS5IsBuiltIn fails when the program was built without SQLite's FTS5
// module (go-sqlite3 compiles it in only with the sqlite_fts5 build tag),
// which the search indexes of migration 4 need.
func TestFTS5IsBuiltIn(t *testing.T) {
	db, err := sql.Open("sqlite3", filepath.Join(t.TempDir(), "probe.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var version string
	if err := db.QueryRow(`SELECT sqlite_version()`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	t.Logf("SQLite %s", version)
	if _, err := db.Exec(`CREATE VIRTUAL TABLE t USING fts5(x)`); err != nil {
		t.Fatalf("SQLite %s has no FTS5 (%v): build with -tags sqlite_fts5 (the Makefile does)", version, err)
	}
	// What the schema uses: the trigram tokenizer with remove_diacritics
	// (3.45) and contentless_delete (3.43).
	if _, err := db.Exec(`CREATE VIRTUAL TABLE tri USING fts5(x, content = '', contentless_delete = 1, detail = none, tokenize = 'trigram remove_diacritics 1')`); err != nil {
		t.Fatalf("SQLite %s cannot make the trigram index (%v): go-sqlite3's bundled SQLite must be 3.45 or later", version, err)
	}
	if _, err := db.Exec(`INSERT INTO tri (rowid, x) VALUES (1, 'Café crème')`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM tri WHERE tri MATCH '"cre" AND "eme"'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("trigram search: %d rows, %v", n, err)
	}
	if err := checkFTS5(); err != nil {
		t.Fatalf("Open's own check refuses: %v", err)
	}
}

// TestNoFTS5IsExplained: Open's refusal says what to do.
func TestNoFTS5IsExplained(t *testing.T) {
	err := fts5Error("3.54.1", errors.New("no such module: fts5"))
	if !errors.Is(err, ErrNoFTS5) || !strings.Contains(err.Error(), "build it with -tags sqlite_fts5 (the Makefile does)") {
		t.Errorf("without FTS5: %v", err)
	}
	err = fts5Error("3.40.1", errors.New("unrecognized option: contentless_delete"))
	if !errors.Is(err, ErrNoFTS5) || !strings.Contains(err.Error(), "SQLite 3.40.1") || !strings.Contains(err.Error(), "3.45") {
		t.Errorf("too old: %v", err)
	}
	if IsRefusal(ErrNoFTS5) {
		t.Error("a program built without FTS5 is not a refusal of the user's input")
	}
}
