package postgres

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

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
	texts := []string{
		"👍🏽 The council approved 280,000 homes. The mayor said so.",
		"قال رئيس البلدية إن المجلس وافق على 280 ألف منزل.",
		"Nobody labelled this one.",
	}
	for _, name := range []string{"ann", "bob"} {
		a, _ := file.EnsureAnnotator(ctx, name)
		for i, text := range texts[:2] {
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
			rel := apply(storage.Edit{Kind: storage.EditCreateRelation, TypeID: sup.ID, From: fig.ID, To: claim.ID}).Relation
			apply(storage.Edit{Kind: storage.EditCreateRelation, TypeID: sup.ID, From: prop.ID, To: claim.ID})
			apply(storage.Edit{Kind: storage.EditSetAttribute, OwnerID: claim.ID, AttributeID: cert.ID, Value: "High"})
			apply(storage.Edit{Kind: storage.EditSetAttribute, OwnerID: rel.ID, AttributeID: cert.ID, Value: "Low"})
			if name == "ann" || i == 0 {
				apply(storage.Edit{Kind: storage.EditSetStatus, Status: storage.StatusDone})
			}
		}
	}
	if _, _, err := file.ImportDocument(ctx, storage.NewDocument{Title: "Doc 2", Text: texts[2], Format: "txt"}); err != nil {
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
	for _, f := range []storage.RecordFilter{
		{},
		{Annotator: "bob"},
		{Status: storage.StatusDone},
		{Status: storage.StatusTodo, Annotator: "bob"},
		{Labels: []string{"claim", "Figure"}},
	} {
		want, got := records(file, f), records(src, f)
		if len(want) == 0 {
			t.Fatalf("%+v: the file has no records", f)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%+v: the server's records differ from the file's:\n got %+v\nwant %+v", f, got, want)
		}
	}
}
