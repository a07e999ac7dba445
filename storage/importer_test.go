package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// impSnapshot is everything a user can see of a store: the statistics and
// every document with its spans.
type impSnapshot struct {
	Stats Stats
	Docs  []Document
	Spans [][]Span
}

func takeImpSnapshot(t testing.TB, s *Store) impSnapshot {
	t.Helper()
	ctx := context.Background()
	var sn impSnapshot
	var err error
	if sn.Stats, err = s.Stats(ctx); err != nil {
		t.Fatal(err)
	}
	err = s.EachDocument(ctx, func(d Document, ss []Span) error {
		sn.Docs = append(sn.Docs, d)
		sn.Spans = append(sn.Spans, ss)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return sn
}

func runImport(t testing.TB, s *Store, opts ImportOptions, recs ...ImportRecord) (ImportSummary, error) {
	t.Helper()
	imp, err := s.BeginImport(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Rollback()
	for _, r := range recs {
		if err := imp.Add(r); err != nil {
			return ImportSummary{}, err
		}
	}
	return imp.Commit()
}

const impText = "👍🏽 “Growth,” she said — “is 3%.”\nNext line ok"

func TestImporterBasicAndIdempotent(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	created := time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC)
	rec := ImportRecord{
		Doc: NewDocument{Title: "T", Text: impText, FileName: "a.jsonl", Format: "spacy"},
		Spans: []ImportSpan{
			// 👍🏽 is 2 code points, then a space; “ is 3, G is 4.
			{Annotator: "ana", Label: "Claim", Start: 4, End: 10, Text: "Growth", Created: created},
			{Annotator: "ana", Label: "PERSON", Start: 13, End: 16, Text: "she"},
			{Annotator: "ben", Label: "claim", Start: 4, End: 10, Note: "n"},
			{Annotator: "ana", Label: "Claim", Start: 4, End: 10}, // repeat: skipped
			{Label: "Figure", Start: 0, End: 2, Text: "👍🏽"},       // default annotator
		},
		Statuses: []ImportStatus{{Annotator: "ben", Status: StatusDone, Updated: created}},
	}
	sum, err := runImport(t, s, ImportOptions{DefaultAnnotator: "importer"}, rec)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Documents != 1 || sum.Spans != 4 || sum.SpansSkipped != 1 || sum.Statuses != 1 {
		t.Errorf("summary %+v", sum)
	}
	if !reflect.DeepEqual(sum.LabelsCreated, []string{"Claim", "PERSON", "Figure"}) {
		t.Errorf("labels created %v", sum.LabelsCreated)
	}
	if !reflect.DeepEqual(sum.Annotators, []string{"ana", "ben", "importer"}) {
		t.Errorf("annotators %v", sum.Annotators)
	}
	// The new default set got Proposal at commit, and the defaults kept
	// their colours and keys.
	set, err := s.DefaultLabelSet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ls, _ := s.Labels(ctx, set.ID)
	var got []string
	for _, l := range ls {
		got = append(got, l.Name+l.Key+l.Color)
	}
	// Figure's default colour and key were taken by PERSON, and Figure then
	// took Proposal's: each gets the next free ones.
	want := []string{"Claim1#E69F00", "PERSON2#56B4E9", "Figure3#009E73", "Proposal4#F0E442"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("labels %v, want %v", got, want)
	}

	before := takeImpSnapshot(t, s)
	sp := before.Spans[0]
	if len(sp) != 4 || sp[0].Text != "👍🏽" || sp[1].Text != "Growth" {
		t.Fatalf("spans %+v", sp)
	}
	for _, x := range sp {
		if x.Text == "Growth" && x.Annotator == "ana" && !x.Created.Equal(created) {
			t.Errorf("created %v", x.Created)
		}
	}
	anaID := ""
	for _, a := range mustAnnotators(t, s) {
		if a.Name == "ana" {
			anaID = a.ID
		}
	}
	if st, _ := s.Status(ctx, before.Docs[0].ID, anaID); st != StatusInProgress {
		t.Errorf("ana's status %s", st)
	}

	// The same file again changes nothing.
	sum, err = runImport(t, s, ImportOptions{DefaultAnnotator: "importer"}, rec)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Documents != 0 || sum.DocumentsExisting != 1 || sum.Spans != 0 || sum.SpansSkipped != 5 || len(sum.LabelsCreated) != 0 {
		t.Errorf("re-import summary %+v", sum)
	}
	if after := takeImpSnapshot(t, s); !reflect.DeepEqual(before, after) {
		t.Errorf("re-import changed the store:\n%+v\n%+v", before, after)
	}
}

func mustAnnotators(t testing.TB, s *Store) []Annotator {
	t.Helper()
	as, err := s.Annotators(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return as
}

func TestImporterKeepsIDsAndUpdatesNewer(t *testing.T) {
	s := openTest(t)
	docID, spanID, labelID, annID := newID(), newID(), newID(), newID()
	t0 := time.Date(2025, 5, 6, 7, 8, 9, 123456789, time.UTC)
	rec := ImportRecord{
		Doc:        NewDocument{ID: docID, Title: "Kept", Text: impText, Format: "jsonl"},
		ImportedAt: t0,
		Spans: []ImportSpan{{ID: spanID, Annotator: "ana", AnnotatorID: annID, Label: "Claim", LabelID: labelID,
			Start: 4, End: 10, Note: "old", Created: t0, Updated: t0}},
		Statuses: []ImportStatus{{Annotator: "ana", AnnotatorID: annID, Status: StatusDone, Updated: t0}},
	}
	if _, err := runImport(t, s, ImportOptions{}, rec); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	d, err := s.Document(ctx, docID)
	if err != nil || !d.ImportedAt.Equal(t0) {
		t.Fatalf("document %+v, %v", d, err)
	}
	sp, err := s.Span(ctx, spanID)
	if err != nil || sp.LabelID != labelID || sp.AnnotatorID != annID || !sp.Updated.Equal(t0) {
		t.Fatalf("span %+v, %v", sp, err)
	}
	if st, _ := s.Status(ctx, docID, annID); st != StatusDone {
		t.Errorf("status %s", st)
	}

	// An older or equal version is skipped; a newer one updates.
	older := rec
	older.Spans = []ImportSpan{rec.Spans[0]}
	older.Spans[0].Note = "older"
	older.Spans[0].Updated = t0.Add(-time.Hour)
	sum, err := runImport(t, s, ImportOptions{}, older)
	if err != nil || sum.SpansSkipped != 1 || sum.SpansUpdated != 0 {
		t.Fatalf("older: %+v %v", sum, err)
	}
	// A version without times (the file gives none) is not newer.
	untimed := rec
	untimed.Spans = []ImportSpan{rec.Spans[0]}
	untimed.Spans[0].Note = "untimed"
	untimed.Spans[0].Created, untimed.Spans[0].Updated = time.Time{}, time.Time{}
	sum, err = runImport(t, s, ImportOptions{}, untimed)
	if err != nil || sum.SpansSkipped != 1 || sum.SpansUpdated != 0 {
		t.Fatalf("untimed: %+v %v", sum, err)
	}
	newer := rec
	newer.Spans = []ImportSpan{rec.Spans[0]}
	newer.Spans[0].Note = "newer"
	newer.Spans[0].Label = "Figure"
	newer.Spans[0].LabelID = ""
	newer.Spans[0].Updated = t0.Add(time.Hour)
	sum, err = runImport(t, s, ImportOptions{}, newer)
	if err != nil || sum.SpansUpdated != 1 {
		t.Fatalf("newer: %+v %v", sum, err)
	}
	sp, _ = s.Span(ctx, spanID)
	if sp.Note != "newer" || sp.Label != "Figure" {
		t.Errorf("updated span %+v", sp)
	}

	// A span ID used in another document is a conflict.
	other := ImportRecord{Doc: NewDocument{Text: "other text"}, Spans: []ImportSpan{{ID: spanID, Annotator: "ana", Label: "Claim", Start: 0, End: 5}}}
	if _, err := runImport(t, s, ImportOptions{}, other); !errors.Is(err, ErrConflict) {
		t.Errorf("reused span id: %v", err)
	}
	// A document ID taken by another text is a conflict.
	taken := ImportRecord{Doc: NewDocument{ID: docID, Text: "another text"}}
	if _, err := runImport(t, s, ImportOptions{}, taken); !errors.Is(err, ErrConflict) {
		t.Errorf("taken document id: %v", err)
	}
}

func TestImporterRefusesAndRollsBack(t *testing.T) {
	s := openTest(t)
	good := ImportRecord{Doc: NewDocument{Text: "first document"}, Spans: []ImportSpan{{Annotator: "ana", Label: "Claim", Start: 0, End: 5}}}
	if _, err := runImport(t, s, ImportOptions{}, good); err != nil {
		t.Fatal(err)
	}
	before := takeImpSnapshot(t, s)
	span := func(sp ImportSpan) ImportRecord {
		if sp.Annotator == "" {
			sp.Annotator = "ben"
		}
		if sp.Label == "" {
			sp.Label = "NewLabel"
		}
		return ImportRecord{Doc: NewDocument{Text: impText}, Spans: []ImportSpan{{Annotator: "ben", Label: "X", Start: 0, End: 1}, sp}}
	}
	cases := []struct {
		name string
		rec  ImportRecord
		opts ImportOptions
		want error
		msg  string
	}{
		{"negative", span(ImportSpan{Start: -1, End: 2}), ImportOptions{}, ErrInvalidSpan, "negative"},
		{"reversed", span(ImportSpan{Start: 5, End: 2}), ImportOptions{}, ErrInvalidSpan, "start 5 > end 2"},
		{"empty", span(ImportSpan{Start: 2, End: 2}), ImportOptions{}, ErrInvalidSpan, "empty"},
		{"past end", span(ImportSpan{Start: 2, End: 99}), ImportOptions{}, ErrInvalidSpan, "past document length 45"},
		{"text mismatch (UTF-16 offsets)", span(ImportSpan{Start: 5, End: 11, Text: "Growth"}), ImportOptions{}, ErrInvalidSpan, `which are "rowth,"`},
		{"strict", span(ImportSpan{Start: 4, End: 10}), ImportOptions{Strict: true}, ErrInvalidLabel, "unknown label"},
		{"no annotator", ImportRecord{Doc: NewDocument{Text: impText}, Spans: []ImportSpan{{Label: "X", Start: 0, End: 1}}}, ImportOptions{}, ErrInvalidAnnotator, "no default annotator"},
		{"bad span id", span(ImportSpan{ID: "nope", Start: 4, End: 10}), ImportOptions{}, ErrInvalidSpan, "not a UUID"},
		{"bad status", ImportRecord{Doc: NewDocument{Text: impText}, Statuses: []ImportStatus{{Annotator: "x", Status: "fine"}}}, ImportOptions{}, ErrInvalidEdit, "status 1"},
		{"empty text", ImportRecord{Doc: NewDocument{Text: "  "}}, ImportOptions{}, ErrInvalidDocument, "empty"},
		{"bad label name", span(ImportSpan{Label: "a\tb", Start: 4, End: 10}), ImportOptions{}, ErrInvalidLabel, "control"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// A good record first, so that there is something to roll back.
			_, err := runImport(t, s, c.opts, ImportRecord{Doc: NewDocument{Text: "would be new"}}, c.rec)
			var ie *ImportError
			if !errors.Is(err, c.want) || !errors.As(err, &ie) || ie.Record != 2 || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("err = %v", err)
			}
			if after := takeImpSnapshot(t, s); !reflect.DeepEqual(before, after) {
				t.Errorf("store changed")
			}
		})
	}
}

func TestImporterAddAfterFailure(t *testing.T) {
	s := openTest(t)
	imp, err := s.BeginImport(context.Background(), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := imp.Add(ImportRecord{Doc: NewDocument{Text: ""}}); err == nil {
		t.Fatal("empty text accepted")
	}
	if err := imp.Add(ImportRecord{Doc: NewDocument{Text: "fine"}}); err == nil {
		t.Error("Add after a failure succeeded")
	}
	if _, err := imp.Commit(); err == nil {
		t.Error("Commit after a failure succeeded")
	}
	imp.Rollback() // no-op
	if n, _ := s.DocumentCount(context.Background()); n != 0 {
		t.Errorf("%d documents", n)
	}
	// The write lock is free again.
	if _, err := s.EnsureAnnotator(context.Background(), "ana"); err != nil {
		t.Fatal(err)
	}
}

func TestImporterExistingSetAndStrict(t *testing.T) {
	f := newFixture(t)
	set, _ := f.s.DefaultLabelSet(f.ctx)
	rec := ImportRecord{Doc: NewDocument{Text: sampleText}, Spans: []ImportSpan{
		{Annotator: "ana", Label: "figure", Start: 0, End: 1},
	}}
	sum, err := runImport(t, f.s, ImportOptions{SetID: set.ID, Strict: true}, rec)
	if err != nil || sum.Spans != 1 || sum.DocumentsExisting != 1 || len(sum.LabelsCreated) != 0 {
		t.Fatalf("%+v %v", sum, err)
	}
	sp := f.spans(t)
	if len(sp) != 1 || sp[0].LabelID != f.labels[1].ID || sp[0].AnnotatorID != f.ann.ID {
		t.Errorf("spans %+v", sp)
	}
	// A span made in the window and the same span imported: skipped.
	f.create(t, 0, 2, 8)
	rec.Spans = []ImportSpan{{Annotator: "ana", Label: "Claim", Start: 2, End: 8}}
	if sum, err := runImport(t, f.s, ImportOptions{}, rec); err != nil || sum.SpansSkipped != 1 {
		t.Errorf("%+v %v", sum, err)
	}
	// A new label in an existing set: next free colour and key.
	rec.Spans = []ImportSpan{{Annotator: "ana", Label: "ORG", Start: 2, End: 8}}
	if sum, err := runImport(t, f.s, ImportOptions{}, rec); err != nil || !reflect.DeepEqual(sum.LabelsCreated, []string{"ORG"}) {
		t.Fatalf("%+v %v", sum, err)
	}
	ls, _ := f.s.Labels(f.ctx, set.ID)
	if l := ls[3]; l.Name != "ORG" || l.Key != "4" || l.Color != "#F0E442" || l.Position != 4 {
		t.Errorf("new label %+v", l)
	}
}

// BenchmarkImport streams documents of about 700 code points with 10 spans
// each through the importer, against a baseline that writes the same rows
// through prepared statements in one transaction and checks nothing. Each
// iteration imports the whole corpus into a fresh database: 100,000
// documents and 1,000,000 spans, or 5,000 and 50,000 with -short.
func BenchmarkImport(b *testing.B) {
	n := 100_000
	if testing.Short() {
		n = 5_000
	}
	recs := func(yield func(ImportRecord)) {
		for i := range n {
			text := fmt.Sprintf("Document %07d. ", i) + benchParagraph
			r := ImportRecord{Doc: NewDocument{Title: fmt.Sprintf("Document %d", i), Text: text, Format: "jsonl"}}
			for k := range 10 {
				start := 18 + k*60
				r.Spans = append(r.Spans, ImportSpan{Annotator: "ana", Label: benchLabels[k%3], Start: start, End: start + 20})
			}
			yield(r)
		}
	}
	b.Run("baseline", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			s := openTest(b)
			ctx := context.Background()
			ann, _ := s.EnsureAnnotator(ctx, "ana")
			set, _ := s.DefaultLabelSet(ctx)
			ls, _ := s.Labels(ctx, set.ID)
			b.StartTimer()
			err := s.inTx(ctx, func(tx *sql.Tx) error {
				insDoc, _ := tx.PrepareContext(ctx, `INSERT INTO documents (id, title, file_name, format, sha256, length, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
				insText, _ := tx.PrepareContext(ctx, `INSERT INTO document_texts (document_id, text) VALUES (?, ?)`)
				insSpan, err := tx.PrepareContext(ctx, `INSERT INTO spans (id, document_id, annotator_id, label_id, start, "end", text, note, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
				if err != nil {
					return err
				}
				t := now().UnixNano()
				var ferr error
				recs(func(r ImportRecord) {
					if ferr != nil {
						return
					}
					id := newID()
					sha := fmt.Sprintf("%064d", len(r.Doc.Title)) + r.Doc.Title // unique, no hashing: the baseline
					if _, ferr = insDoc.ExecContext(ctx, id, r.Doc.Title, "", r.Doc.Format, sha, len(r.Doc.Text), t); ferr != nil {
						return
					}
					if _, ferr = insText.ExecContext(ctx, id, r.Doc.Text); ferr != nil {
						return
					}
					for k, sp := range r.Spans {
						if _, ferr = insSpan.ExecContext(ctx, newID(), id, ann.ID, ls[k%3].ID, sp.Start, sp.End, r.Doc.Text[sp.Start:sp.End], "", t, t); ferr != nil {
							return
						}
					}
				})
				return ferr
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "docs/s")
	})
	b.Run("importer", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			s := openTest(b)
			ctx := context.Background()
			b.StartTimer()
			imp, err := s.BeginImport(ctx, ImportOptions{})
			if err != nil {
				b.Fatal(err)
			}
			var ferr error
			recs(func(r ImportRecord) {
				if ferr == nil {
					ferr = imp.Add(r)
				}
			})
			if ferr != nil {
				b.Fatal(ferr)
			}
			sum, err := imp.Commit()
			if err != nil || sum.Documents != n || sum.Spans != 10*n {
				b.Fatalf("%+v %v", sum, err)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "docs/s")
	})
}

var benchLabels = []string{"Claim", "Figure", "Proposal"}

// benchParagraph is ASCII so that the baseline may slice it by bytes.
var benchParagraph = strings.Repeat("The minister said that inflation will fall to three percent by spring. ", 10)

func TestDocTextSlices(t *testing.T) {
	for _, s := range []string{impText, "ascii only", "", "👍🏽👩‍👩‍👧—“”é"} {
		rs := []rune(s)
		dt := newDocText(s)
		if dt.len() != len(rs) {
			t.Fatalf("%q: len %d", s, dt.len())
		}
		// Every range, in an order that moves the cursor both ways.
		for start := len(rs); start >= 0; start-- {
			for end := start; end <= len(rs); end++ {
				if got := dt.slice(start, end); got != string(rs[start:end]) {
					t.Fatalf("%q [%d:%d] = %q", s, start, end, got)
				}
			}
		}
	}
}

func TestImporterStrictIntoEmptyDatabase(t *testing.T) {
	s := openTest(t)
	rec := ImportRecord{Doc: NewDocument{Text: impText}, Spans: []ImportSpan{{Annotator: "ana", Label: "claim", Start: 4, End: 10}}}
	sum, err := runImport(t, s, ImportOptions{Strict: true}, rec)
	if err != nil || sum.Spans != 1 || len(sum.LabelsCreated) != 0 {
		t.Fatalf("%+v %v", sum, err)
	}
	rec.Spans[0].Label = "ORG"
	if _, err := runImport(t, s, ImportOptions{Strict: true}, rec); !errors.Is(err, ErrInvalidLabel) {
		t.Errorf("unknown label: %v", err)
	}
	set, _ := s.DefaultLabelSet(context.Background())
	if ls, _ := s.Labels(context.Background(), set.ID); len(ls) != 3 || ls[0].Name != "Claim" || ls[0].Key != "1" {
		t.Errorf("labels %+v", ls)
	}
}
