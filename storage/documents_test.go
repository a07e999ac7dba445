package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"testing"
)

func TestImportDocumentDedupe(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	d, created, err := s.ImportDocument(ctx, NewDocument{Title: "  A\n title ", Text: sampleText, FileName: "a.txt", Format: "txt"})
	if err != nil || !created {
		t.Fatal(d, created, err)
	}
	sum := sha256.Sum256([]byte(sampleText))
	if d.SHA256 != hex.EncodeToString(sum[:]) || d.Length != len([]rune(sampleText)) || d.Title != "A title" || d.ID == "" {
		t.Errorf("doc = %+v", d)
	}
	again, created, err := s.ImportDocument(ctx, NewDocument{Title: "Other", Text: sampleText})
	if err != nil || created || again != d {
		t.Errorf("reimport = %+v %v %v; want %+v", again, created, err, d)
	}
	if n, _ := s.DocumentCount(ctx); n != 1 {
		t.Errorf("DocumentCount = %d", n)
	}
	got, err := s.Document(ctx, d.ID)
	if err != nil || got != d {
		t.Errorf("Document = %+v, %v", got, err)
	}
	got, err = s.DocumentBySHA(ctx, d.SHA256)
	if err != nil || got != d {
		t.Errorf("DocumentBySHA = %+v, %v", got, err)
	}
	if _, err := s.Document(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Document(nope) = %v", err)
	}

	// Refusals.
	for _, bad := range []NewDocument{{Text: ""}, {Text: " \n\t"}, {Text: "ok\xff"}, {Text: "fine", ID: "not-a-uuid"}} {
		if _, _, err := s.ImportDocument(ctx, bad); !errors.Is(err, ErrInvalidDocument) {
			t.Errorf("ImportDocument(%q) = %v", bad.Text, err)
		}
	}
	// A given ID is kept; taken by another text it is a conflict.
	id := newID()
	d2, _, err := s.ImportDocument(ctx, NewDocument{ID: id, Text: "second", FileName: "two.md"})
	if err != nil || d2.ID != id || d2.Title != "two.md" {
		t.Errorf("with ID: %+v %v", d2, err)
	}
	if _, _, err := s.ImportDocument(ctx, NewDocument{ID: id, Text: "third"}); !errors.Is(err, ErrConflict) {
		t.Errorf("taken ID: %v", err)
	}
	d3, _, _ := s.ImportDocument(ctx, NewDocument{Text: "\n\n  First line here  \nsecond"})
	if d3.Title != "First line here" {
		t.Errorf("title from text = %q", d3.Title)
	}
}

func TestImportDocumentsAllOrNothing(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	if _, _, err := s.ImportDocument(ctx, NewDocument{Text: "old"}); err != nil {
		t.Fatal(err)
	}
	before := dbCounts(t, s)
	batch := []NewDocument{{Text: "one"}, {Text: "two"}, {Text: "bad\xfe", FileName: "bad.txt"}, {Text: "four"}}
	_, _, err := s.ImportDocuments(ctx, batch)
	if !errors.Is(err, ErrInvalidDocument) {
		t.Fatalf("bad batch: %v", err)
	}
	t.Log(err)
	// A failure found only inside the transaction rolls back too.
	id := newID()
	batch = []NewDocument{{Text: "one"}, {ID: id, Text: "two"}, {ID: id, Text: "three"}}
	if _, _, err := s.ImportDocuments(ctx, batch); !errors.Is(err, ErrConflict) {
		t.Fatalf("conflicting batch: %v", err)
	}
	if after := dbCounts(t, s); !sameCounts(before, after) {
		t.Errorf("refused batches changed the database: %v -> %v", before, after)
	}

	docs, created, err := s.ImportDocuments(ctx, []NewDocument{{Text: "a"}, {Text: "old"}, {Text: "b"}, {Text: "a"}})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(created) != "[true false true false]" || docs[3].ID != docs[0].ID {
		t.Errorf("created = %v, docs = %+v", created, docs)
	}
	sums, _ := s.DocumentSummaries(ctx, "")
	var titles []string
	for _, ds := range sums {
		titles = append(titles, ds.Title)
	}
	if fmt.Sprint(titles) != "[old a b]" {
		t.Errorf("import order = %v", titles)
	}
}

func TestDocumentSummaries(t *testing.T) {
	f := newFixture(t)
	bo, _ := f.s.EnsureAnnotator(f.ctx, "bo")
	docs, _, err := f.s.ImportDocuments(f.ctx, []NewDocument{{Title: "two", Text: "second text"}, {Title: "three", Text: "third text"}})
	if err != nil {
		t.Fatal(err)
	}
	f.create(t, 0, 0, 3)
	f.create(t, 1, 0, 3)
	if _, err := f.s.Apply(f.ctx, Edit{Kind: EditCreateSpan, DocumentID: docs[1].ID, AnnotatorID: bo.ID, LabelID: f.labels[0].ID, Start: 0, End: 5}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Apply(f.ctx, Edit{Kind: EditSetStatus, DocumentID: docs[0].ID, AnnotatorID: f.ann.ID, Status: StatusReviewed}); err != nil {
		t.Fatal(err)
	}
	check := func(annotator string, want string) {
		t.Helper()
		sums, err := f.s.DocumentSummaries(f.ctx, annotator)
		if err != nil {
			t.Fatal(err)
		}
		var got string
		for _, s := range sums {
			got += fmt.Sprintf("%s:%s:%d ", s.Title, s.Status, s.SpanCount)
		}
		if got != want {
			t.Errorf("summaries(%s) = %q, want %q", annotator, got, want)
		}
		if sums[0].ID != f.doc.ID {
			t.Error("first summary isn't the first document")
		}
	}
	check(f.ann.ID, "Sample:in_progress:2 two:reviewed:0 three:todo:0 ")
	check(bo.ID, "Sample:todo:0 two:todo:0 three:in_progress:1 ")
	check("", "Sample:todo:2 two:todo:0 three:todo:1 ")

	if st, err := f.s.Status(f.ctx, "nope", f.ann.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Status of unknown doc = %q, %v", st, err)
	}
}

func TestEachDocumentAndStats(t *testing.T) {
	f := newFixture(t)
	bo, _ := f.s.EnsureAnnotator(f.ctx, "bo")
	docs, _, err := f.s.ImportDocuments(f.ctx, []NewDocument{{Text: "second text"}, {Text: "third text"}})
	if err != nil {
		t.Fatal(err)
	}
	f.create(t, 0, 0, 3)
	f.create(t, 0, 30, 32)
	f.create(t, 2, 1, 3)
	if _, err := f.s.Apply(f.ctx, Edit{Kind: EditCreateSpan, DocumentID: docs[1].ID, AnnotatorID: bo.ID, LabelID: f.labels[0].ID, Start: 0, End: 5}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Apply(f.ctx, Edit{Kind: EditSetStatus, DocumentID: docs[0].ID, AnnotatorID: bo.ID, Status: StatusDone}); err != nil {
		t.Fatal(err)
	}

	var got []string
	err = f.s.EachDocument(f.ctx, func(d Document, spans []Span) error {
		s := fmt.Sprintf("%s/%d:", d.Text, d.Length)
		for _, sp := range spans {
			s += fmt.Sprintf(" %s[%d,%d)%q", sp.Annotator, sp.Start, sp.End, sp.Text)
		}
		got = append(got, s)
		// Writing while walking must not deadlock.
		_, err := f.s.Apply(f.ctx, Edit{Kind: EditSetStatus, DocumentID: d.ID, AnnotatorID: f.ann.ID, Status: StatusReviewed})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		sampleText + `/38: ana[0,3)"“Gr" ana[1,3)"Gr" ana[30,32)"👍🏽"`,
		`second text/11:`,
		`third text/10: bo[0,5)"third"`,
	}
	if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
		t.Errorf("EachDocument:\n got %q\nwant %q", got, want)
	}
	stop := errors.New("stop")
	n := 0
	if err := f.s.EachDocument(f.ctx, func(Document, []Span) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("stopping: %v after %d", err, n)
	}

	st, err := f.s.Stats(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantStats := Stats{
		Documents: 3, Spans: 4, Annotators: 2,
		PerLabel:     []NameCount{{"Claim", 3}, {"Proposal", 1}, {"Figure", 0}},
		PerAnnotator: []NameCount{{"ana", 3}, {"bo", 1}},
		PerStatus:    []NameCount{{"todo", 1}, {"in_progress", 1}, {"done", 1}, {"reviewed", 3}},
		StatusByAnnotator: []AnnotatorStatuses{
			{"ana", []NameCount{{"todo", 0}, {"in_progress", 0}, {"done", 0}, {"reviewed", 3}}},
			{"bo", []NameCount{{"todo", 1}, {"in_progress", 1}, {"done", 1}, {"reviewed", 0}}},
		},
	}
	if fmt.Sprint(st) != fmt.Sprint(wantStats) {
		t.Errorf("Stats = %+v\nwant %+v", st, wantStats)
	}
}

// What a web page said of itself is kept with its document.
func TestDocumentMetadata(t *testing.T) {
	f := newFixture(t)
	d, _, err := f.s.ImportDocument(f.ctx, NewDocument{Title: "Harbour plan", Text: "The council approved it.", Format: "html",
		Byline: "By Ana Silva", Published: "2026-11-30T08:00:00Z", Site: "The Courier"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.s.Document(f.ctx, d.ID)
	if err != nil || got.Byline != "By Ana Silva" || got.Published != "2026-11-30T08:00:00Z" || got.Site != "The Courier" {
		t.Errorf("document %+v %v", got, err)
	}
}
