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

// BenchmarkServerStoreApply: the window's label action on a team server of
// localhost: storage.Store.Apply (create_span with its undo record and the
// status, one transaction) through OpenStorage as an analyst, with the
// store's own listener running, on an article with 2,000 spans of the
// analyst's already; BenchmarkPostgresCreateSpan is the bare pgx insert.
func BenchmarkServerStoreApply(b *testing.B) {
	ctx := context.Background()
	db := newServer(b)
	role := db.Role("ann")
	if err := AddAnalyst(ctx, db.URL, role, "pw-ann", false); err != nil {
		b.Fatal(err)
	}
	owner := openOwner(b, db)
	text, words := wordsDoc(6000)
	docs, _, err := owner.ImportDocuments(ctx, []storage.NewDocument{{Title: "Words", Text: text}})
	if err != nil {
		b.Fatal(err)
	}
	s, err := OpenStorage(ctx, db.As(role, "pw-ann"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	me, _, _ := s.ServerRole()
	set, err := s.DefaultLabelSet(ctx)
	if err != nil {
		b.Fatal(err)
	}
	labels, err := s.Labels(ctx, set.ID)
	if err != nil {
		b.Fatal(err)
	}
	doc := docs[0].ID
	apply := func(first, n int) {
		if _, err := s.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: doc, AnnotatorID: me.ID,
			LabelID: labels[0].ID, Start: words[first][0], End: words[first+n-1][1]}); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < 2000; i++ {
		apply(i, 1)
	}
	first, n := 0, 2
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		apply(first, n)
		if first++; first+n > len(words) {
			first, n = 0, n+1
		}
	}
}
