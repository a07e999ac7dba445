package storage

import (
	"context"
	"fmt"
	"testing"
)

func TestDocumentListPages(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	ann, _ := s.EnsureAnnotator(ctx, "ana")
	var ids []string
	for i, title := range []string{"Été à Paris", "HARBOUR plan 👍🏽", "Council minutes", "İstanbul notes", "harbour again"} {
		d, _, err := s.ImportDocument(ctx, NewDocument{Title: title, Text: fmt.Sprintf("Text %d of %s.", i, title), FileName: fmt.Sprintf("f%d.txt", i)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	seqsOf := func(f DocFilter) []int64 {
		t.Helper()
		seqs, err := s.DocumentSeqs(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return seqs
	}
	if all := seqsOf(DocFilter{}); len(all) != 5 {
		t.Fatalf("all: %v", all)
	}
	for needle, want := range map[string]int{"été": 1, "ÉTÉ": 1, "harbour": 2, "👍🏽": 1, "f3.txt": 1, "nothing": 0, "  Council ": 1} {
		if got := seqsOf(DocFilter{Text: needle}); len(got) != want {
			t.Errorf("filter %q: %d documents, want %d", needle, len(got), want)
		}
	}
	// Statuses are the annotator's.
	if _, err := s.Apply(ctx, Edit{Kind: EditSetStatus, DocumentID: ids[1], AnnotatorID: ann.ID, Status: StatusDone}); err != nil {
		t.Fatal(err)
	}
	if got := seqsOf(DocFilter{AnnotatorID: ann.ID, Status: StatusDone}); len(got) != 1 {
		t.Errorf("done: %v", got)
	}
	if got := seqsOf(DocFilter{AnnotatorID: ann.ID, Status: StatusTodo, Text: "harbour"}); len(got) != 1 {
		t.Errorf("to do, harbour: %v", got)
	}
	// A page in the order asked for, with the annotator's status.
	all := seqsOf(DocFilter{})
	rows, err := s.DocumentsBySeq(ctx, ann.ID, []int64{all[2], all[1], 999999})
	if err != nil || len(rows) != 2 || rows[0].Title != "Council minutes" || rows[1].Status != StatusDone || rows[1].ID != ids[1] {
		t.Errorf("page: %+v %v", rows, err)
	}
	// A rename is found by its new title; a document added by plain SQL too.
	if _, err := s.Apply(ctx, Edit{Kind: EditRenameDocument, DocumentID: ids[2], AnnotatorID: ann.ID, Title: "Städtischer Rat"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`INSERT INTO documents (id, title, sha256, length, imported_at) VALUES ('0190a000-0000-7000-8000-0000000000ff', 'ÄRGER im Rat', 'x', 0, 0)`); err != nil {
		t.Fatal(err)
	}
	if got := seqsOf(DocFilter{Text: "RAT"}); len(got) != 2 {
		t.Errorf("after rename and a plain insert, RAT: %v", got)
	}
	if got := seqsOf(DocFilter{Text: "council"}); len(got) != 0 {
		t.Errorf("the old title still matches: %v", got)
	}
	// The next unfinished after the done one, wrapping round.
	id, ok, err := s.NextUnfinished(ctx, DocFilter{AnnotatorID: ann.ID, Text: "harbour"}, all[1])
	if err != nil || !ok || id != ids[4] {
		t.Errorf("next unfinished: %s %v %v", id, ok, err)
	}
	// From the last one, the only other is done: nothing (itself is not
	// "next").
	if _, ok, err := s.NextUnfinished(ctx, DocFilter{AnnotatorID: ann.ID, Text: "harbour"}, all[4]); err != nil || ok {
		t.Errorf("from the last harbour document: %v %v", ok, err)
	}
	if _, err := s.Apply(ctx, Edit{Kind: EditSetStatus, DocumentID: ids[4], AnnotatorID: ann.ID, Status: StatusDone}); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.NextUnfinished(ctx, DocFilter{AnnotatorID: ann.ID, Text: "harbour"}, all[1]); err != nil || ok {
		t.Errorf("every harbour document is done, yet: %v %v", ok, err)
	}
}

// BenchmarkDocumentKeys100k is the first filter after 100,000 documents
// came in: folding their titles and file names into document_keys (the
// queue the triggers filled), then the query.
func BenchmarkDocumentKeys100k(b *testing.B) {
	s := openTest(b)
	ctx := context.Background()
	docs := make([]NewDocument, 0, 1000)
	for i := range 100_000 {
		docs = append(docs, NewDocument{Title: fmt.Sprintf("Council report %d on housing and water", i),
			Text: fmt.Sprintf("Text %d.", i), FileName: fmt.Sprintf("report-%d.txt", i)})
		if len(docs) == cap(docs) {
			if _, _, err := s.ImportDocuments(ctx, docs); err != nil {
				b.Fatal(err)
			}
			docs = docs[:0]
		}
	}
	for b.Loop() {
		b.StopTimer()
		if _, err := s.db.Exec(`INSERT OR IGNORE INTO document_keys_pending (seq) SELECT seq FROM documents`); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		seqs, err := s.DocumentSeqs(ctx, DocFilter{Text: "water"})
		if err != nil || len(seqs) != 100_000 {
			b.Fatal(len(seqs), err)
		}
	}
}
