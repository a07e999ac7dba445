package storagetest_test

import (
	"context"
	"os"
	"testing"

	"gloss/storage"
	"gloss/storage/storagetest"
)

func TestWithAnalysts(t *testing.T) {
	s, as := storagetest.WithAnalysts(t, "ana", "ben")
	if len(as) != 2 || as[0].Name != "ana" || as[1].Name != "ben" || as[0].ID == as[1].ID {
		t.Fatalf("annotators %+v", as)
	}
	if _, err := os.Stat(s.Path()); err != nil {
		t.Fatal(err)
	}
	ids := storagetest.LabelIDs(t, s)
	ls := storagetest.Labels(t, s)
	if len(ls) != 3 || ls[0].Name != "Claim" || ls[1].Name != "Figure" || ls[2].Name != "Proposal" || ids["Figure"] != ls[1].ID {
		t.Errorf("labels %+v %v", ls, ids)
	}
	again := storagetest.Analysts(t, s, "ben")
	if again[0].ID != as[1].ID {
		t.Errorf("Analysts made a second ben")
	}
	// Closing early is fine; the clean-up closes again.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestOpen(t *testing.T) {
	s, path := storagetest.Open(t)
	if s.Path() != path {
		t.Errorf("path %s, store at %s", path, s.Path())
	}
	if n, err := s.DocumentCount(context.Background()); err != nil || n != 0 {
		t.Errorf("%d documents, %v", n, err)
	}
	if as, err := s.Annotators(context.Background()); err != nil || len(as) != 0 {
		t.Errorf("annotators %v %v", as, err)
	}
}

// TestContractSQLite runs the stores' contract on SQLite files
// (storage/postgres runs it on the server).
func TestContractSQLite(t *testing.T) {
	storagetest.Contract(t, func(t testing.TB) *storage.Store {
		s, _ := storagetest.Open(t)
		return s
	})
}
