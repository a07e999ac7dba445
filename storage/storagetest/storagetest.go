// Package storagetest makes the stores tests start from: a new database in
// a temporary directory, closed when the test ends, with the default labels
// and a few annotators when asked. It is for tests only.
package storagetest

import (
	"context"
	"path/filepath"
	"testing"

	"gloss/storage"
)

// Open opens a new, empty store (the schema only) in a temporary directory
// and closes it when the test ends. It returns the store and its file.
func Open(t testing.TB) (*storage.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "gloss.db")
	return OpenAt(t, path), path
}

// OpenAt is Open at a chosen path, for a file that a command or another
// store opens by its path too. Closing the store earlier is fine.
func OpenAt(t testing.TB, path string) *storage.Store {
	t.Helper()
	s, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// WithAnalysts is Open with the default labels (Claim, Figure, Proposal)
// and an annotator of each name, in order.
func WithAnalysts(t testing.TB, names ...string) (*storage.Store, []storage.Annotator) {
	t.Helper()
	s, _ := Open(t)
	return s, Analysts(t, s, names...)
}

// Analysts makes sure s has the default label set and an annotator of each
// name, and returns the annotators in order.
func Analysts(t testing.TB, s *storage.Store, names ...string) []storage.Annotator {
	t.Helper()
	ctx := context.Background()
	if _, err := s.DefaultLabelSet(ctx); err != nil {
		t.Fatal(err)
	}
	out := make([]storage.Annotator, len(names))
	for i, name := range names {
		a, err := s.EnsureAnnotator(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = a
	}
	return out
}

// Labels returns the labels of the default set (made when missing) by
// position: Claim, Figure, Proposal in a new store.
func Labels(t testing.TB, s *storage.Store) []storage.Label {
	t.Helper()
	ctx := context.Background()
	set, err := s.DefaultLabelSet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ls, err := s.Labels(ctx, set.ID)
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

// LabelIDs is Labels by name: name → ID.
func LabelIDs(t testing.TB, s *storage.Store) map[string]string {
	t.Helper()
	ids := map[string]string{}
	for _, l := range Labels(t, s) {
		ids[l.Name] = l.ID
	}
	return ids
}
