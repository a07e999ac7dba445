package postgres

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gloss/storage"
)

// TestServerMerge: a desk's offline work comes back into a server that went
// on meanwhile, through gloss merge's store. An analyst merges a copy of
// the server with their own layer's work (the lead sees it come as news,
// by them) while a colleague changed and deleted spans of theirs on the
// server: the copy's stale (or changed) layers of others are left out and
// said so, never written; a file that brings a document is refused by the
// server and changes nothing, with words that say why; the owner merges
// anything, analysts the server does not know included; two merges at once
// take turns.
func TestServerMerge(t *testing.T) {
	ctx := context.Background()
	db := newServer(t)
	lea, _ := openAnalyst(t, db, "lea", true)
	ann, annMe := openAnalyst(t, db, "ann", false)
	bob, bobMe := openAnalyst(t, db, "bob", false)
	owner := openOwner(t, db)

	text := "Rents rose 5% 👍🏽 in Lyon — “a record”.\r\nقال الوزير إن الإيجارات ارتفعت.\r\n"
	docs, _, err := lea.ImportDocuments(ctx, []storage.NewDocument{{Title: "Rents", Text: text}})
	if err != nil {
		t.Fatal(err)
	}
	doc := docs[0].ID
	set, _ := lea.DefaultLabelSet(ctx)
	labels, _ := lea.Labels(ctx, set.ID)
	create := func(s *storage.Store, a storage.Annotator, label, from, to int) storage.Span {
		t.Helper()
		sp, err := s.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: doc, AnnotatorID: a.ID, LabelID: labels[label].ID, Start: from, End: to})
		if err != nil {
			t.Fatal(err)
		}
		return sp
	}
	old := create(ann, annMe, 0, 0, 10)
	bobs := create(bob, bobMe, 1, 11, 13)
	bobsLater := create(bob, bobMe, 2, 20, 25)
	gone := create(bob, bobMe, 0, 30, 35)
	if _, err := bob.Apply(ctx, storage.Edit{Kind: storage.EditDeleteSpan, DocumentID: doc, AnnotatorID: bobMe.ID, SpanID: gone.ID}); err != nil {
		t.Fatal(err)
	}

	// Offline copies: ann works on hers.
	copyOf := func(name string) (*storage.Store, string) {
		t.Helper()
		path := filepath.Join(t.TempDir(), name)
		if err := ann.Backup(ctx, path); err != nil {
			t.Fatal(err)
		}
		s, err := storage.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s, path
	}
	mine, minePath := copyOf("ann.db")
	create(mine, annMe, 1, 11, 16)
	create(mine, annMe, 2, 40, 45)
	if _, err := mine.Apply(ctx, storage.Edit{Kind: storage.EditDeleteSpan, DocumentID: doc, AnnotatorID: annMe.ID, SpanID: old.ID}); err != nil {
		t.Fatal(err)
	}
	mine.Close()

	// A copy that also changed bob's layer, one with a new document, one
	// with a new analyst.
	theirs, theirsPath := copyOf("theirs.db")
	create(theirs, annMe, 2, 17, 21)
	newDoc, newDocPath := copyOf("newdoc.db")
	if _, _, err := newDoc.ImportDocuments(ctx, []storage.NewDocument{{Title: "Lyon", Text: "Loyers à Lyon."}}); err != nil {
		t.Fatal(err)
	}
	newDoc.Close()
	newAnn, newAnnPath := copyOf("newann.db")
	cy, err := newAnn.EnsureAnnotator(ctx, "cy")
	if err != nil {
		t.Fatal(err)
	}
	create(newAnn, cy, 0, 0, 5)
	newAnn.Close()
	// Meanwhile on the server bob relabels one span and deletes another.
	if _, err := bob.Apply(ctx, storage.Edit{Kind: storage.EditRelabelSpan, DocumentID: doc, AnnotatorID: bobMe.ID, SpanID: bobs.ID, LabelID: labels[2].ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.Apply(ctx, storage.Edit{Kind: storage.EditDeleteSpan, DocumentID: doc, AnnotatorID: bobMe.ID, SpanID: bobsLater.ID}); err != nil {
		t.Fatal(err)
	}
	// And after that, in one copy, ann relabels bob's span too.
	if _, err := theirs.Apply(ctx, storage.Edit{Kind: storage.EditRelabelSpan, DocumentID: doc, AnnotatorID: bobMe.ID, SpanID: bobs.ID, LabelID: labels[0].ID}); err != nil {
		t.Fatal(err)
	}
	theirs.Close()

	state := func() string {
		var b strings.Builder
		for _, a := range []storage.Annotator{annMe, bobMe} {
			ss, err := owner.Spans(ctx, doc, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range ss {
				fmt.Fprintf(&b, "%s %v [%d,%d) %s;", a.Name, labels[0].ID == s.LabelID, s.Start, s.End, s.ID)
			}
		}
		as, _ := owner.Annotators(ctx)
		docs := 0
		owner.EachDocument(ctx, func(storage.Document, []storage.Span) error { docs++; return nil })
		fmt.Fprintf(&b, "%d annotators, %d documents", len(as), docs)
		return b.String()
	}
	before := state()
	if _, err := ann.Merge(ctx, newDocPath); !errors.Is(err, storage.ErrForbidden) || !strings.Contains(err.Error(), "lead role") || !strings.Contains(err.Error(), "newdoc.db") {
		t.Errorf("an analyst merging a new document: %v, want the server's refusal", err)
	}
	if now := state(); now != before {
		t.Fatalf("a refused merge changed the server:\n%s\nwas\n%s", now, before)
	}
	bobsLayer := func() string {
		ss, err := owner.Spans(ctx, doc, bobMe.ID)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(ss)
	}
	bobWas := bobsLayer()
	leftOut := func(sum storage.MergeSummary, name string) bool {
		return sum.LeftOut > 0 && slices.Equal(sum.LeftOutOf, []string{name})
	}

	lea.ServerNews() // what was told so far
	sum, err := ann.Merge(ctx, minePath)
	if err != nil {
		t.Fatal(err)
	}
	// Bob's layer in her copy is older than the server's: nothing to tell.
	if sum.SpansAdded != 2 || sum.SpansDeleted != 1 || sum.DocumentsMatched != 1 || sum.DocumentsAdded != 0 || sum.LeftOut != 0 {
		t.Errorf("ann's merge: %+v", sum)
	}
	if now := bobsLayer(); now != bobWas {
		t.Errorf("ann's merge changed bob's layer:\n%s\nwas\n%s", now, bobWas)
	}
	got, err := lea.Spans(ctx, doc, annMe.ID)
	if err != nil || len(got) != 2 || got[0].Text != "5% 👍🏽" || got[1].Text != []string{string([]rune(text)[40:45])}[0] {
		t.Errorf("ann's layer after her merge: %+v %v", got, err)
	}
	waitFor(t, "the lead to hear of ann's merge", func() bool {
		for _, n := range lea.ServerNews() {
			if n.Table == "spans" && n.Op == "insert" && n.Count == 2 && n.ByID == annMe.ID && n.AnnotatorID == annMe.ID {
				return true
			}
		}
		return false
	})
	// Undo takes the merge's deletion back (its record is the last).
	if e, ok, err := ann.Undo(ctx, annMe.ID, doc); err != nil || !ok || e.Kind != storage.EditCreateSpan || e.SpanID != old.ID {
		t.Errorf("ann's undo after her merge: %+v %v %v", e, ok, err)
	}
	if _, err := ann.Span(ctx, old.ID); err != nil {
		t.Errorf("the span the merge deleted, after the undo: %v", err)
	}
	// Brought back after the file's deletion: merging it again keeps it.
	if again, err := ann.Merge(ctx, minePath); err != nil || again.SpansAdded+again.SpansDeleted != 0 {
		t.Errorf("the same file again: %+v %v", again, err)
	}

	// A copy where ann also relabelled bob's span: her span comes, his
	// layer is left out. Work of an analyst the server does not know is
	// left out for an analyst and for the lead.
	sum, err = ann.Merge(ctx, theirsPath)
	if err != nil || sum.SpansAdded != 1 || !leftOut(sum, bobMe.Name) {
		t.Errorf("ann's copy that relabelled bob's span: %+v %v", sum, err)
	}
	if now := bobsLayer(); now != bobWas {
		t.Errorf("ann's merge changed bob's layer:\n%s\nwas\n%s", now, bobWas)
	}
	for _, who := range []*storage.Store{ann, lea} {
		sum, err := who.Merge(ctx, newAnnPath)
		if err != nil || sum.SpansAdded != 0 || sum.AnnotatorsAdded != 0 || !leftOut(sum, "cy") {
			t.Errorf("merging cy's work as an analyst or lead: %+v %v", sum, err)
		}
	}

	// The owner merges anything; two at once take turns.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	sums := make([]storage.MergeSummary, 2)
	for i, p := range []string{newDocPath, newAnnPath} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sums[i], errs[i] = owner.Merge(ctx, p)
		}()
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil || sums[0].DocumentsAdded != 1 || sums[1].AnnotatorsAdded != 1 || sums[1].SpansAdded != 1 {
		t.Errorf("two merges at once: %v %v; %+v %+v", errs[0], errs[1], sums[0], sums[1])
	}
	conn, err := connect(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var left int
	if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM gloss_merge.spans) + (SELECT count(*) FROM gloss_merge.merge_docs)`).Scan(&left); err != nil || left != 0 {
		t.Errorf("the merge tables hold %d rows after the merges (%v)", left, err)
	}
}

// BenchmarkServerMerge: gloss merge of a desk's SQLite file of 10,000
// documents (~500 code points) with 100,000 spans into a team server that
// has none of them (s/op), and the same file again (s/remerge, nothing to
// do); the SQLite merge of the same file into a new file, in the same run,
// is the baseline (sqlite-s).
func BenchmarkServerMerge(b *testing.B) {
	n := 10_000
	if testing.Short() {
		n = 1_000
	}
	ctx := context.Background()
	dir := b.TempDir()
	file := deskFile(b, n)
	var server, again, sqlite time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := newServer(b)
		s, err := OpenStorage(ctx, db.URL)
		if err != nil {
			b.Fatal(err)
		}
		local, err := storage.Open(filepath.Join(dir, fmt.Sprintf("local%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		if sum, err := local.Merge(ctx, file); err != nil || sum.SpansAdded != 10*n {
			b.Fatalf("SQLite merge: %+v %v", sum, err)
		}
		sqlite += time.Since(t0)
		local.Close()
		b.StartTimer()
		t0 = time.Now()
		sum, err := s.Merge(ctx, file)
		server += time.Since(t0)
		b.StopTimer()
		if err != nil || sum.DocumentsAdded != n || sum.SpansAdded != 10*n {
			b.Fatalf("server merge: %+v %v", sum, err)
		}
		t0 = time.Now()
		if sum, err := s.Merge(ctx, file); err != nil || sum.SpansSkipped != 10*n || sum.DocumentsMatched != n {
			b.Fatalf("again: %+v %v", sum, err)
		}
		again += time.Since(t0)
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(again.Seconds()/float64(b.N), "s/remerge")
	b.ReportMetric(sqlite.Seconds()/float64(b.N), "sqlite-s")
	b.ReportMetric(server.Seconds()/sqlite.Seconds(), "x-sqlite")
}
