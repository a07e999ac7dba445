package postgres

import (
	"context"
	"testing"

	"gloss/storage"
	"gloss/storage/postgres/pgtest"
	"gloss/storage/storagetest"
)

// TestContractPostgres runs the stores' contract (storagetest.Contract, which
// storagetest runs on SQLite) on the server, through OpenStorage as the
// database's owner.
func TestContractPostgres(t *testing.T) {
	storagetest.Contract(t, func(t testing.TB) *storage.Store {
		db := pgtest.New(t)
		if err := Init(context.Background(), db.URL); err != nil {
			t.Fatal(err)
		}
		s, err := OpenStorage(context.Background(), db.URL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
