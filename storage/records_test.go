package storage

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// EachRecord crosses batch boundaries (by count and by text size) without
// losing, repeating or misplacing a document or a span, and agrees with
// EachDocument and CountRecords.
func TestEachRecordBatches(t *testing.T) {
	f := newFixture(t)
	ben, err := f.s.EnsureAnnotator(f.ctx, "ben")
	if err != nil {
		t.Fatal(err)
	}
	var docs []NewDocument
	for i := range recordBatchDocs + 300 {
		text := fmt.Sprintf("Document %d says 👍🏽 “%d”.", i, i*7)
		if i == 700 {
			text += strings.Repeat(" long", recordBatchText/5+10) // a batch of its own
		}
		docs = append(docs, NewDocument{Title: fmt.Sprint("d", i), Text: text})
	}
	stored, _, err := f.s.ImportDocuments(f.ctx, docs)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range stored {
		if i%3 == 0 {
			if _, err := f.s.Apply(f.ctx, Edit{Kind: EditCreateSpan, DocumentID: d.ID, AnnotatorID: f.ann.ID, LabelID: f.labels[0].ID, Start: 0, End: 8}); err != nil {
				t.Fatal(err)
			}
		}
		if i%5 == 0 {
			if _, err := f.s.Apply(f.ctx, Edit{Kind: EditCreateSpan, DocumentID: d.ID, AnnotatorID: ben.ID, LabelID: f.labels[1].ID, Start: 0, End: 8}); err != nil {
				t.Fatal(err)
			}
		}
		if i%10 == 0 {
			if _, err := f.s.Apply(f.ctx, Edit{Kind: EditSetStatus, DocumentID: d.ID, AnnotatorID: f.ann.ID, Status: StatusDone}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Everything: the same as EachDocument.
	var want []string
	f.s.EachDocument(f.ctx, func(d Document, ss []Span) error {
		want = append(want, fmt.Sprint(d.ID, len(d.Text), len(ss)))
		return nil
	})
	var got []string
	err = f.s.EachRecord(f.ctx, RecordFilter{}, func(r Record) error {
		got = append(got, fmt.Sprint(r.Document.ID, len(r.Document.Text), len(r.Spans)))
		for _, sp := range r.Spans {
			if sp.DocumentID != r.Document.ID || sp.Label == "" || sp.Annotator == "" || sp.Created.IsZero() {
				t.Fatalf("span %+v in %s", sp, r.Document.ID)
			}
		}
		return nil
	})
	if err != nil || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("EachRecord and EachDocument differ (%v): %d vs %d", err, len(got), len(want))
	}
	count := func(flt RecordFilter) (n, spans int) {
		t.Helper()
		err := f.s.EachRecord(f.ctx, flt, func(r Record) error {
			n++
			spans += len(r.Spans)
			for _, st := range r.Statuses {
				if flt.Status != "" && st.Status != flt.Status || st.Annotator == "" {
					t.Fatalf("status %+v kept by %+v", st, flt)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		c, err := f.s.CountRecords(f.ctx, flt)
		if err != nil || c != n {
			t.Errorf("CountRecords(%+v) = %d, %v; EachRecord saw %d", flt, c, err, n)
		}
		return n, spans
	}
	// 812 documents plus the fixture's: ana has spans on every 3rd (271),
	// ben on every 5th (163); ana is done on every 10th (82, on 28 of which
	// she has spans).
	total := len(stored) + 1
	cases := []struct {
		flt         RecordFilter
		docs, spans int
	}{
		{RecordFilter{}, total, 271 + 163},
		{RecordFilter{Annotator: "ana"}, total, 271},
		{RecordFilter{AnnotatorID: ben.ID}, total, 163},
		{RecordFilter{Status: StatusDone}, 82, 28}, // ana's done documents, her spans only
		{RecordFilter{Annotator: "ben", Status: StatusInProgress}, 163, 163},
		{RecordFilter{Annotator: "ben", Status: StatusTodo}, total - 163, 0},
		// Without an annotator, todo keeps the documents where someone has
		// no status: all but those where both have one (i%15 or i%10 == 0:
		// 55 + 82 - 28 = 109); nobody has spans where they are todo.
		{RecordFilter{Status: StatusTodo}, total - 109, 0},
		{RecordFilter{Labels: []string{"figure"}}, total, 163},
	}
	for _, c := range cases {
		n, spans := count(c.flt)
		if n != c.docs || spans != c.spans {
			t.Errorf("%+v: %d documents, %d spans; want %d, %d", c.flt, n, spans, c.docs, c.spans)
		}
	}
	for _, bad := range []RecordFilter{{Annotator: "zed"}, {Labels: []string{"Nope"}}, {Status: "finished"}, {AnnotatorID: ben.ID, Annotator: "ana"}} {
		if err := f.s.EachRecord(f.ctx, bad, func(Record) error { return nil }); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	// fn's error and a cancelled context stop the walk.
	stop := errors.New("stop")
	seen := 0
	if err := f.s.EachRecord(f.ctx, RecordFilter{}, func(Record) error { seen++; return stop }); err != stop || seen != 1 {
		t.Errorf("err %v after %d", err, seen)
	}
	ctx, cancel := context.WithCancel(f.ctx)
	seen = 0
	err = f.s.EachRecord(ctx, RecordFilter{}, func(Record) error { seen++; cancel(); return nil })
	if !errors.Is(err, context.Canceled) || seen != 1 {
		t.Errorf("cancel: %v after %d", err, seen)
	}
	labels, err := f.s.ExportLabels(f.ctx, RecordFilter{})
	if err != nil || strings.Join(labels, ",") != "Claim,Figure,Proposal" {
		t.Errorf("labels %v %v", labels, err)
	}
	if labels, _ := f.s.ExportLabels(f.ctx, RecordFilter{Labels: []string{"proposal"}}); strings.Join(labels, ",") != "Proposal" {
		t.Errorf("labels %v", labels)
	}
}

// DocumentIDs keeps only the named documents ("this document only").
func TestEachRecordOfSomeDocuments(t *testing.T) {
	f := newFixture(t)
	f.create(t, 0, 0, 5)
	other, _, err := f.s.ImportDocument(f.ctx, NewDocument{Title: "Other", Text: "Another text.", Format: "txt"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	filter := RecordFilter{DocumentIDs: []string{other.ID}}
	if err := f.s.EachRecord(f.ctx, filter, func(r Record) error {
		got = append(got, r.Document.Title)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != "Other" {
		t.Errorf("records %v, want only Other", got)
	}
	if n, err := f.s.CountRecords(f.ctx, filter); err != nil || n != 1 {
		t.Errorf("count %d %v", n, err)
	}
	all := 0
	f.s.EachRecord(f.ctx, RecordFilter{}, func(Record) error { all++; return nil })
	if all != 2 {
		t.Errorf("no filter: %d records", all)
	}
	if err := f.s.EachRecord(f.ctx, RecordFilter{DocumentIDs: []string{"nope"}}, func(Record) error { return nil }); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown document: %v", err)
	}
}
