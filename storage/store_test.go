package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// openTest opens a fresh store in a temporary directory.
func openTest(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "gloss.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// fixture is a store with an annotator, the default labels and a document.
type fixture struct {
	s      *Store
	ctx    context.Context
	ann    Annotator
	labels []Label // Claim, Figure, Proposal
	doc    Document
}

const sampleText = "“Growth,” she said — “is 3%.” 👍🏽 東京 ok"

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{s: openTest(t), ctx: context.Background()}
	var err error
	if f.ann, err = f.s.EnsureAnnotator(f.ctx, "ana"); err != nil {
		t.Fatal(err)
	}
	set, err := f.s.DefaultLabelSet(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if f.labels, err = f.s.Labels(f.ctx, set.ID); err != nil {
		t.Fatal(err)
	}
	if f.doc, _, err = f.s.ImportDocument(f.ctx, NewDocument{Title: "Sample", Text: sampleText, Format: "txt"}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) create(t testing.TB, label, start, end int) Span {
	t.Helper()
	sp, err := f.s.Apply(f.ctx, Edit{Kind: EditCreateSpan, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID,
		LabelID: f.labels[label].ID, Start: start, End: end})
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

func (f *fixture) spans(t testing.TB) []Span {
	t.Helper()
	sps, err := f.s.Spans(f.ctx, f.doc.ID, f.ann.ID)
	if err != nil {
		t.Fatal(err)
	}
	return sps
}

// fileHash is the SHA-256 of a file's bytes.
func fileHash(t testing.TB, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func userVersion(t testing.TB, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite3", fileURI(path, "mode=ro"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestOpenMigrateReopen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "dir", "gloss.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Path() != path {
		t.Errorf("Path = %q, want %q", s.Path(), path)
	}
	ctx := context.Background()
	if _, err := s.EnsureAnnotator(ctx, "ana"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if v := userVersion(t, path); v != len(migrations) {
		t.Errorf("user_version = %d, want %d", v, len(migrations))
	}

	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	as, err := s.Annotators(ctx)
	if err != nil || len(as) != 1 || as[0].Name != "ana" {
		t.Errorf("after reopen: %v, %v", as, err)
	}
	if v := userVersion(t, path); v != len(migrations) {
		t.Errorf("user_version after reopen = %d", v)
	}
}

func TestOpenFileMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes")
	}
	path := filepath.Join(t.TempDir(), "gloss.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if m := fi.Mode().Perm(); m != 0o600 {
		t.Errorf("mode = %v, want 0600", m)
	}
}

func TestOpenRefusesNewerVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "future.db")
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE future (x); PRAGMA user_version = 999`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := fileHash(t, path)
	fi, _ := os.Stat(path)

	s, err := Open(path)
	if !errors.Is(err, ErrNewerSchema) {
		if err == nil {
			s.Close()
		}
		t.Fatalf("Open of a database from the future: %v", err)
	}
	t.Log(err)
	if after := fileHash(t, path); after != before {
		t.Error("Open changed the refused file")
	}
	fi2, _ := os.Stat(path)
	if !fi2.ModTime().Equal(fi.ModTime()) {
		t.Error("Open touched the refused file")
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if _, err := os.Stat(path + suffix); err == nil {
			t.Errorf("Open left %s behind", suffix)
		}
	}
}

func TestOpenRefusesNonDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(path, []byte("this is not a database, just some text that is long enough to have a header............................................................"), 0o600); err != nil {
		t.Fatal(err)
	}
	before := fileHash(t, path)
	if s, err := Open(path); err == nil {
		s.Close()
		t.Fatal("Open accepted a text file")
	}
	if fileHash(t, path) != before {
		t.Error("Open changed the text file")
	}
}

func TestInTxRollsBackOnPanic(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	func() {
		defer func() {
			if recover() == nil {
				t.Error("panic was swallowed")
			}
		}()
		s.inTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.Exec(`INSERT INTO annotators (id, name, created) VALUES ('x', 'x', 0)`); err != nil {
				t.Fatal(err)
			}
			panic("boom")
		})
	}()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`INSERT INTO annotators (id, name, created) VALUES ('y', 'y', 0)`); err != nil {
			t.Fatal(err)
		}
		return errors.New("no")
	})
	if err == nil {
		t.Error("inTx lost the error")
	}
	if as, _ := s.Annotators(ctx); len(as) != 0 {
		t.Errorf("rolled back rows are there: %v", as)
	}
}

func TestFailedMigrationRollsBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clash.db")
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	// A table in the way makes migration 1 fail half-way through.
	if _, err := db.Exec(`CREATE TABLE spans (x)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if s, err := Open(path); err == nil {
		s.Close()
		t.Fatal("Open migrated over a clashing table")
	}
	if v := userVersion(t, path); v != 0 {
		t.Errorf("user_version = %d after a failed migration", v)
	}
	db, err = sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name IN ('annotators', 'labels', 'documents')`).Scan(&n); err != nil || n != 0 {
		t.Errorf("half a migration was kept: %d tables, %v", n, err)
	}
}
