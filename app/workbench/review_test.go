package workbench

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"gloss/app/agreement"
	"gloss/app/library"
	"gloss/storage"
)

// reviewFixture: Tess and Ann label the open document; one agreed span, one
// relabelled, one only Ann has.
func reviewFixture(t *testing.T) (*Workbench, *storage.Store) {
	t.Helper()
	w, store, _ := open(t)
	ctx := context.Background()
	ann, _ := store.EnsureAnnotator(ctx, "Ann")
	claim, figure := w.labels[0].ID, w.labels[1].ID
	for _, e := range []struct {
		who        string
		label      string
		start, end int
	}{
		{w.me.ID, figure, 31, 38}, {ann.ID, figure, 31, 38},
		{w.me.ID, claim, 14, 29}, {ann.ID, figure, 14, 29},
		{ann.ID, claim, 39, 44},
	} {
		if _, err := store.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: w.doc.ID,
			AnnotatorID: e.who, LabelID: e.label, Start: e.start, End: e.end}); err != nil {
			t.Fatal(err)
		}
	}
	return w, store
}

func TestReviewAdjudicatesIntoGold(t *testing.T) {
	w, store := reviewFixture(t)
	w.showReview()
	r := w.review
	if r == nil {
		t.Fatal("no review window")
	}
	defer r.win.Close()
	if r.a.ID != w.me.ID || r.b.Name != "Ann" {
		t.Fatalf("comparing %s with %s", r.a.Name, r.b.Name)
	}
	kinds := map[agreement.Kind]int{}
	for _, p := range r.pairs {
		kinds[p.Kind]++
	}
	if kinds[agreement.Agree] != 1 || kinds[agreement.Relabel] != 1 || kinds[agreement.OnlyB] != 1 {
		t.Fatalf("pairs %v", kinds)
	}
	// Accept every agreed span, then walk the disagreements with the keys.
	r.acceptAgreed()
	r.key('n') // first disagreement: the relabel, 14-29
	if r.cur < 0 || r.pairs[r.cur].Kind != agreement.Relabel {
		t.Fatalf("n went to %d", r.cur)
	}
	r.key('b') // take Ann's Figure; moves on to "only Ann"
	if r.pairs[r.cur].Kind != agreement.OnlyB {
		t.Fatalf("after b: at %v", r.pairs[r.cur].Kind)
	}
	r.key('x') // reject it
	gold, _ := store.Spans(context.Background(), w.doc.ID, w.gold.ID)
	if len(gold) != 2 || gold[0].Start != 14 || gold[0].Label != "Figure" || gold[1].Start != 31 {
		t.Fatalf("gold layer: %+v", gold)
	}
	// Changing one's mind: reject the relabel pair removes its gold span.
	r.selectPair(indexOfKind(r.pairs, agreement.Relabel), false)
	r.reject()
	gold, _ = store.Spans(context.Background(), w.doc.ID, w.gold.ID)
	if len(gold) != 1 {
		t.Fatalf("after reject: %+v", gold)
	}
	r.markReviewed()
	if st, _ := store.Status(context.Background(), w.doc.ID, w.gold.ID); st != storage.StatusReviewed {
		t.Errorf("gold status %q", st)
	}
}

func indexOfKind(ps []agreement.Pair, k agreement.Kind) int {
	for i, p := range ps {
		if p.Kind == k {
			return i
		}
	}
	return -1
}

func TestProgressAndAgreementViews(t *testing.T) {
	w, store := reviewFixture(t)
	w.toggleDone()
	docs, ps, err := library.Progress(context.Background(), store)
	if err != nil {
		t.Fatal(err)
	}
	if docs != 2 || len(ps) != 2 {
		t.Fatalf("%d docs, %+v", docs, ps)
	}
	for _, p := range ps {
		switch p.Annotator {
		case "Tess":
			if p.Status[storage.StatusDone] != 1 || p.Status[storage.StatusTodo] != 1 || p.Labels["Figure"] != 1 || p.Spans != 2 {
				t.Errorf("Tess: %+v", p)
			}
		case "Ann":
			if p.Status[storage.StatusInProgress] != 1 || p.Status[storage.StatusTodo] != 1 || p.Labels["Figure"] != 2 || p.Spans != 3 {
				t.Errorf("Ann: %+v", p)
			}
		default:
			t.Errorf("unexpected annotator %q", p.Annotator)
		}
	}
	ds, spans, err := library.AgreementData(context.Background(), store, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep := agreement.Compute(ds, spans, agreement.Options{})
	if len(rep.Pairs) != 1 || rep.Pairs[0].Exact.TP != 1 {
		t.Fatalf("report pairs %+v", rep.Pairs)
	}
	view := w.agreementView(rep)
	win := test.NewTempWindow(t, view)
	win.Resize(fyne.NewSize(900, 700))
	w.showProgress()
}

// TestReviewRelationsIntoGold: Tess and Ann both link the agreed Figure to
// a span; Tess's relation only she has is accepted into gold with its two
// spans, and the agreed one goes in with "accept every agreed".
func TestReviewRelationsIntoGold(t *testing.T) {
	w, store := reviewFixture(t)
	ctx := context.Background()
	sup, err := store.CreateRelationType(ctx, storage.RelationType{SetID: w.set.ID, Name: "supports", Color: "#0072B2", Directed: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.loadRelationSchema(); err != nil {
		t.Fatal(err)
	}
	ann, _ := store.EnsureAnnotator(ctx, "Ann")
	link := func(who string, fromStart, toStart int) {
		t.Helper()
		ss, _ := store.Spans(ctx, w.doc.ID, who)
		var from, to string
		for _, s := range ss {
			if s.Start == fromStart {
				from = s.ID
			}
			if s.Start == toStart {
				to = s.ID
			}
		}
		if _, err := store.Apply(ctx, storage.Edit{Kind: storage.EditCreateRelation, DocumentID: w.doc.ID, AnnotatorID: who,
			TypeID: sup.ID, From: from, To: to}); err != nil {
			t.Fatal(err)
		}
	}
	link(w.me.ID, 31, 14) // Tess: Figure 280,000 supports her Claim 14-29
	link(ann.ID, 31, 39)  // Ann: the Figure supports her Claim 39-44
	link(w.me.ID, 14, 31) // Tess only: the reverse too
	w.showReview()
	r := w.review
	defer r.win.Close()
	kinds := map[agreement.Kind]int{}
	for _, p := range r.relPairs {
		kinds[p.Kind]++
	}
	if len(r.relPairs) == 0 || r.list.Length() != len(r.pairs)+len(r.relPairs) {
		t.Fatalf("relation pairs %v, list %d", r.relPairs, r.list.Length())
	}
	// Pick a relation only Tess has and accept it: gold gets both ends
	// and the relation between them.
	k := -1
	for i, p := range r.relPairs {
		if p.Kind == agreement.OnlyA {
			k = i
		}
	}
	if k < 0 {
		t.Fatalf("no relation only Tess has: %v", kinds)
	}
	r.selectPair(len(r.pairs)+k, false)
	r.key('a')
	rels, _ := store.Relations(ctx, w.doc.ID, w.gold.ID)
	gold, _ := store.Spans(ctx, w.doc.ID, w.gold.ID)
	if len(rels) != 1 || len(gold) != 2 || rels[0].Type != "supports" {
		t.Fatalf("gold after accepting a relation: %d relations %+v, spans %+v", len(rels), rels, gold)
	}
	if !r.relResolved(r.relPairs[k]) {
		t.Error("the accepted relation pair is not shown as decided")
	}
	// x on it takes the relation out of gold again; the spans stay.
	r.selectPair(len(r.pairs)+k, false)
	r.key('x')
	if rels, _ := store.Relations(ctx, w.doc.ID, w.gold.ID); len(rels) != 0 {
		t.Errorf("after x: %+v", rels)
	}
}
