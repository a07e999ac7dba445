package postgres

import (
	"context"
	"path/filepath"
	"testing"

	"gloss/storage"
	"gloss/storage/postgres/pgtest"
)

// newServer is a throwaway database of the tests' server with Gloss's
// schema and roles (gloss server init).
func newServer(t testing.TB) *pgtest.Database {
	t.Helper()
	db := pgtest.New(t)
	if err := Init(context.Background(), db.URL); err != nil {
		t.Fatal(err)
	}
	return db
}

// openOwner opens the window's store on db as its owner, closed when the
// test ends.
func openOwner(t testing.TB, db *pgtest.Database) *storage.Store {
	t.Helper()
	s, err := OpenStorage(context.Background(), db.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// openAnalyst adds an analyst role named for base (a lead when lead) to
// db and opens the window's store as that role, closed when the test ends;
// the store must know itself as that role.
func openAnalyst(t testing.TB, db *pgtest.Database, base string, lead bool) (*storage.Store, storage.Annotator) {
	t.Helper()
	ctx := context.Background()
	role, pw := db.Role(base), "pw-"+base
	if err := AddAnalyst(ctx, db.URL, role, pw, lead); err != nil {
		t.Fatal(err)
	}
	s, err := OpenStorage(ctx, db.As(role, pw))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	me, isLead, ok := s.ServerRole()
	if !ok || me.Name != role || isLead != lead {
		t.Fatalf("ServerRole of %s: %v %v %v", role, me, isLead, ok)
	}
	return s, me
}

// deskFile is a desk's SQLite file of n of benchRecords' documents.
func deskFile(t testing.TB, n int) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "desk.db")
	desk, err := storage.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer desk.Close()
	im, err := desk.BeginImport(context.Background(), storage.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range benchRecords(n) {
		if err := im.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	return file
}
