package postgres

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"gloss/storage"
)

// TestSourceEachRecordStops: the records come in document order over
// several batches (the next read while the last is used); an error of the
// callback stops the reading and is returned, as is a cancelled context,
// and the source reads again afterwards.
func TestSourceEachRecordStops(t *testing.T) {
	ctx := context.Background()
	db := newServer(t)
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

// TestSourceRecordsAreTheFiles: the server's records are the SQLite file's
// they were loaded from, field for field, under each filter: two analysts'
// spans (emoji and Arabic), a relation between kept spans and one across a
// dropped label, attribute values on a span and a relation, statuses.
func TestSourceRecordsAreTheFiles(t *testing.T) {
	ctx := context.Background()
	db := newServer(t)
	path := filepath.Join(t.TempDir(), "desk.db")
	file, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	set, _ := file.DefaultLabelSet(ctx)
	labels, _ := file.Labels(ctx, set.ID) // Claim, Figure, Proposal
	sup, err := file.CreateRelationType(ctx, storage.RelationType{SetID: set.ID, Name: "supports", Color: "#0072B2", Directed: true})
	if err != nil {
		t.Fatal(err)
	}
	cert, err := file.CreateAttribute(ctx, storage.Attribute{SetID: set.ID, Name: "Certainty", Kind: storage.AttrChoice, Choices: []string{"Low", "High"},
		Targets: []string{labels[0].ID, sup.ID}})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string // eight labelled, one not
	for i := range 4 {
		texts = append(texts, fmt.Sprintf("👍🏽 The council approved 280,000 homes. The mayor said so (%d).", i),
			fmt.Sprintf("قال رئيس البلدية إن المجلس وافق على 280 ألف منزل (%d).", i))
	}
	texts = append(texts, "Nobody labelled this one.")
	for _, name := range []string{"ann", "bob"} {
		a, _ := file.EnsureAnnotator(ctx, name)
		for i, text := range texts[:8] {
			doc, _, err := file.ImportDocument(ctx, storage.NewDocument{Title: fmt.Sprint("Doc ", i), Text: text, Format: "txt"})
			if err != nil {
				t.Fatal(err)
			}
			apply := func(e storage.Edit) storage.Applied {
				t.Helper()
				e.DocumentID, e.AnnotatorID = doc.ID, a.ID
				ap, err := file.ApplyEdit(ctx, e)
				if err != nil {
					t.Fatal(err)
				}
				return ap
			}
			fig := apply(storage.Edit{Kind: storage.EditCreateSpan, LabelID: labels[1].ID, Start: 0, End: 2}).Span
			claim := apply(storage.Edit{Kind: storage.EditCreateSpan, LabelID: labels[0].ID, Start: 3, End: 20}).Span
			prop := apply(storage.Edit{Kind: storage.EditCreateSpan, LabelID: labels[2].ID, Start: 21, End: 30}).Span
			apply(storage.Edit{Kind: storage.EditSetNote, SpanID: claim.ID, Note: "check the source ✓ " + name})
			rel := apply(storage.Edit{Kind: storage.EditCreateRelation, TypeID: sup.ID, From: fig.ID, To: claim.ID}).Relation
			apply(storage.Edit{Kind: storage.EditCreateRelation, TypeID: sup.ID, From: prop.ID, To: claim.ID})
			apply(storage.Edit{Kind: storage.EditSetAttribute, OwnerID: claim.ID, AttributeID: cert.ID, Value: "High"})
			apply(storage.Edit{Kind: storage.EditSetAttribute, OwnerID: rel.ID, AttributeID: cert.ID, Value: "Low"})
			// Suggestions: two sources on one extent, one that is a span
			// already (not open), one rejected on every third document.
			for _, g := range []struct {
				source        string
				label, st, en int
				score         float64
			}{{"tagger", 1, 40, 45, 0.9}, {"dictionary", 1, 40, 45, 0.7}, {"tagger", 0, 3, 20, 0.8}, {"pattern", 2, 31, 36, 0.6}} {
				if _, err := file.ReplaceSuggestions(ctx, a.ID, g.source, []string{doc.ID}, append(mustSuggestions(file, ctx, doc.ID, a.ID, g.source),
					storage.Suggestion{DocumentID: doc.ID, LabelID: labels[g.label].ID, Start: g.st, End: g.en, Score: g.score, Source: g.source, Rule: "r-" + g.source})); err != nil {
					t.Fatal(err)
				}
			}
			if i%3 == 0 {
				open, err := file.Suggestions(ctx, doc.ID, a.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, g := range open {
					if g.Source == "pattern" {
						apply(storage.Edit{Kind: storage.EditRejectSuggestion, SuggestionID: g.ID})
					}
				}
			}
			if name == "ann" || i%3 == 0 {
				apply(storage.Edit{Kind: storage.EditSetStatus, Status: storage.StatusDone})
			}
		}
	}
	if _, _, err := file.ImportDocument(ctx, storage.NewDocument{Title: "Doc 8", Text: texts[8], Format: "txt"}); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadSQLite(ctx, db.URL, path); err != nil {
		t.Fatal(err)
	}
	src, err := OpenSource(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	defer file.Close()
	records := func(s interface {
		EachRecord(context.Context, storage.RecordFilter, func(storage.Record) error) error
	}, f storage.RecordFilter) []storage.Record {
		t.Helper()
		var out []storage.Record
		if err := s.EachRecord(ctx, f, func(r storage.Record) error {
			out = append(out, r)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	filters := []storage.RecordFilter{
		{},
		{Annotator: "bob"},
		{Status: storage.StatusDone},
		{Status: storage.StatusTodo, Annotator: "bob"},
		{Labels: []string{"claim", "Figure"}},
		{Suggestions: true},
		{Suggestions: true, Annotator: "ann", Labels: []string{"Figure", "Proposal"}},
		{Suggestions: true, Status: storage.StatusDone},
	}
	if all := records(file, storage.RecordFilter{}); len(all) > 6 {
		filters = append(filters, storage.RecordFilter{DocumentIDs: []string{all[5].Document.ID, all[1].Document.ID}})
	}
	for _, f := range filters {
		want, got := records(file, f), records(src, f)
		if len(want) == 0 {
			t.Fatalf("%+v: the file has no records", f)
		}
		if f.Suggestions && !slices.ContainsFunc(want, func(r storage.Record) bool { return len(r.Suggestions) > 1 }) {
			t.Fatalf("%+v: the file's records have no suggestions to compare", f)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%+v: the server's records differ from the file's:\n got %+v\nwant %+v", f, got, want)
		}
	}

	// Batches of four, in an import order that is not the IDs' (as after
	// merging desks): the first batch's ID range holds one document of the
	// second's (read and dropped), the second's range is too wide and is
	// read by its IDs, the third's is one document.
	defer func(n int) { recordBatch = n }(recordBatch)
	recordBatch = 4
	order := []int{0, 1, 2, 4, 3, 5, 6, 8, 7} // by place in ID order
	ids, err := pgx.CollectRows(must(src.pool.Query(ctx, `SELECT id FROM documents ORDER BY id`)), pgx.RowTo[string])
	if err != nil || len(ids) != len(order) {
		t.Fatalf("%d documents: %v", len(ids), err)
	}
	if _, err := src.pool.Exec(ctx, `UPDATE documents SET seq = -seq`); err != nil {
		t.Fatal(err)
	}
	for seq, at := range order {
		if _, err := src.pool.Exec(ctx, `UPDATE documents SET seq = $1 WHERE id = $2`, seq+1, ids[at]); err != nil {
			t.Fatal(err)
		}
	}
	tx, err := src.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := planBatches(ctx, tx, filter{})
	tx.Rollback(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) != 3 || plan[0].lo != ids[0] || plan[0].hi != ids[4] || plan[1].lo != "" || plan[2].lo != ids[7] || plan[2].hi != ids[7] {
		t.Fatalf("plan %+v, IDs %v", plan, ids)
	}
	place := map[string]int{}
	for seq, at := range order {
		place[ids[at]] = seq
	}
	for _, f := range filters {
		want, got := records(file, f), records(src, f)
		slices.SortFunc(want, func(a, b storage.Record) int { return place[a.Document.ID] - place[b.Document.ID] })
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%+v, batches of 4 out of ID order: the server's records differ from the file's:\n got %+v\nwant %+v", f, got, want)
		}
	}
}

// mustSuggestions are annotatorID's stored suggestions of source on docID
// (ReplaceSuggestions replaces them all).
func mustSuggestions(file *storage.Store, ctx context.Context, docID, annotatorID, source string) []storage.Suggestion {
	all, err := file.Suggestions(ctx, docID, annotatorID)
	if err != nil {
		panic(err)
	}
	return slices.DeleteFunc(all, func(g storage.Suggestion) bool { return g.Source != source })
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
