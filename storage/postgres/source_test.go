package postgres

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"gloss/storage"
	"gloss/storage/postgres/pgtest"
)

// TestSourceEachRecordStops: the records come in document order over
// several batches (the next read while the last is used); an error of the
// callback stops the reading and is returned, as is a cancelled context,
// and the source reads again afterwards.
func TestSourceEachRecordStops(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	if err := Init(ctx, db.URL); err != nil {
		t.Fatal(err)
	}
	im, err := BeginImport(ctx, db.URL, storage.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n := 2*recordBatch + 7
	for _, r := range benchRecords(n) {
		if err := im.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	src, err := OpenSource(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	all := func() int {
		t.Helper()
		got, last := 0, ""
		if err := src.EachRecord(ctx, storage.RecordFilter{}, func(r storage.Record) error {
			if want := fmt.Sprintf("Report %d", got); r.Document.Title != want || len(r.Spans) != 10 {
				return fmt.Errorf("record %d is %q with %d spans, after %q", got, r.Document.Title, len(r.Spans), last)
			}
			got, last = got+1, r.Document.Title
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := all(); got != n {
		t.Fatalf("%d records, want %d", got, n)
	}
	stop := errors.New("enough")
	seen := 0
	if err := src.EachRecord(ctx, storage.RecordFilter{}, func(storage.Record) error {
		if seen++; seen == recordBatch+1 {
			return stop
		}
		return nil
	}); !errors.Is(err, stop) || seen != recordBatch+1 {
		t.Errorf("a callback's error: %v after %d records", err, seen)
	}
	cctx, cancel := context.WithCancel(ctx)
	seen = 0
	err = src.EachRecord(cctx, storage.RecordFilter{}, func(storage.Record) error {
		if seen++; seen == 3 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || seen != 3 {
		t.Errorf("cancelled: %v after %d records", err, seen)
	}
	if got := all(); got != n {
		t.Errorf("after the stops: %d records", got)
	}
}
