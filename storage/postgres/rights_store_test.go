package postgres

import (
	"context"
	"errors"
	"strings"
	"testing"

	"gloss/storage"
)

// TestServerStoreRights: through the store the window uses, every write of
// another analyst's layer (a span, a status, a relation, an attribute
// value, undoing their history) and every write of the shared rows by an
// analyst is refused by the server with ErrForbidden, and leaves the
// database as it was; a lead writes labels and the gold layer.
func TestServerStoreRights(t *testing.T) {
	ctx := context.Background()
	db := newServer(t)
	lea, _ := openAnalyst(t, db, "lea", true)
	ann, _ := openAnalyst(t, db, "ann", false)
	bob, bobMe := openAnalyst(t, db, "bob", false)

	docs, _, err := lea.ImportDocuments(ctx, []storage.NewDocument{{Title: "Rents", Text: "Rents rose 5% 👍🏽 in Lyon.\n"}})
	if err != nil {
		t.Fatal(err)
	}
	doc := docs[0].ID
	set, _ := lea.DefaultLabelSet(ctx)
	labels, _ := lea.Labels(ctx, set.ID)
	rt, err := lea.CreateRelationType(ctx, storage.RelationType{SetID: set.ID, Name: "supports", Color: "#0072b2", Directed: true})
	if err != nil {
		t.Fatal(err)
	}
	flag, err := lea.CreateAttribute(ctx, storage.Attribute{SetID: set.ID, Name: "Disputed", Kind: storage.AttrFlag})
	if err != nil {
		t.Fatal(err)
	}
	s1, err := bob.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: doc, AnnotatorID: bobMe.ID, LabelID: labels[1].ID, Start: 11, End: 16})
	if err != nil {
		t.Fatal(err)
	}
	s2, err := bob.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: doc, AnnotatorID: bobMe.ID, LabelID: labels[0].ID, Start: 0, End: 10})
	if err != nil {
		t.Fatal(err)
	}
	state := func() string {
		var b strings.Builder
		ss, _ := lea.Spans(ctx, doc, bobMe.ID)
		for _, s := range ss {
			b.WriteString(s.ID + s.LabelID + s.Note + ";")
		}
		rs, _ := lea.Relations(ctx, doc, bobMe.ID)
		b.WriteString(strings.Repeat("r", len(rs)))
		st, _ := lea.Status(ctx, doc, bobMe.ID)
		b.WriteString(string(st))
		vals, _ := lea.AttributeValues(ctx, doc, bobMe.ID)
		b.WriteString(strings.Repeat("v", len(vals)))
		u, r, _ := lea.UndoState(ctx, bobMe.ID, doc)
		if u {
			b.WriteString("u")
		}
		if r {
			b.WriteString("R")
		}
		return b.String()
	}
	before := state()
	for _, e := range []storage.Edit{
		{Kind: storage.EditCreateSpan, LabelID: labels[0].ID, Start: 17, End: 21},
		{Kind: storage.EditDeleteSpan, SpanID: s1.ID},
		{Kind: storage.EditRelabelSpan, SpanID: s1.ID, LabelID: labels[2].ID},
		{Kind: storage.EditSetNote, SpanID: s1.ID, Note: "mine now"},
		{Kind: storage.EditSetStatus, Status: storage.StatusDone},
		{Kind: storage.EditCreateRelation, TypeID: rt.ID, From: s1.ID, To: s2.ID},
		{Kind: storage.EditSetAttribute, OwnerID: s1.ID, AttributeID: flag.ID, Value: "true"},
	} {
		e.DocumentID, e.AnnotatorID = doc, bobMe.ID
		_, err := ann.Apply(ctx, e)
		if !errors.Is(err, storage.ErrForbidden) || !strings.Contains(err.Error(), "only your own layer") {
			t.Errorf("ann's %s in bob's layer: %v, want the server's refusal", e.Kind, err)
		}
		if now := state(); now != before {
			t.Fatalf("ann's %s changed bob's layer: %q, was %q", e.Kind, now, before)
		}
	}
	if _, ok, err := ann.Undo(ctx, bobMe.ID, doc); !errors.Is(err, storage.ErrForbidden) || ok {
		t.Errorf("ann undoing bob's history: %v %v", ok, err)
	}
	if now := state(); now != before {
		t.Fatalf("ann's undo changed bob's layer: %q, was %q", now, before)
	}
	// The shared rows are the lead's.
	if _, err := ann.CreateLabel(ctx, storage.Label{SetID: set.ID, Name: "Actor", Color: "#cc79a7"}); !errors.Is(err, storage.ErrForbidden) || !strings.Contains(err.Error(), "lead role") {
		t.Errorf("an analyst making a label: %v", err)
	}
	if _, err := ann.DeleteLabel(ctx, labels[0].ID); !errors.Is(err, storage.ErrForbidden) {
		t.Errorf("an analyst deleting a label: %v", err)
	}
	if now := state(); now != before {
		t.Fatalf("ann's label deletion changed bob's layer: %q, was %q", now, before)
	}
	if _, err := lea.CreateLabel(ctx, storage.Label{SetID: set.ID, Name: "Actor", Color: "#cc79a7"}); err != nil {
		t.Errorf("the lead making a label: %v", err)
	}
	gold, err := lea.EnsureGold(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lea.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: doc, AnnotatorID: gold.ID, LabelID: labels[1].ID, Start: 11, End: 16}); err != nil {
		t.Errorf("the lead writing gold: %v", err)
	}
	if _, err := ann.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: doc, AnnotatorID: gold.ID, LabelID: labels[0].ID, Start: 0, End: 5}); !errors.Is(err, storage.ErrForbidden) {
		t.Errorf("an analyst writing gold: %v", err)
	}
}
