package storage

import (
	"strings"
	"testing"
)

func TestMergeRelations(t *testing.T) {
	a := newMDB(t, "a")
	ana := a.ann("ana")
	d1 := a.doc("One", text1)
	claim, figure := a.label("Claim"), a.label("Figure")
	s1 := a.create(d1, ana, claim, 0, 3)
	s2 := a.create(d1, ana, figure, 42, 44)
	s3 := a.create(d1, ana, claim, 4, 12)
	sup, err := a.s.CreateRelationType(a.ctx, RelationType{SetID: a.set.ID, Name: "supports", Color: "#0072B2", Key: "s", Directed: true,
		Args: []LabelPair{{figure, claim}}})
	if err != nil {
		t.Fatal(err)
	}
	cert, err := a.s.CreateAttribute(a.ctx, Attribute{SetID: a.set.ID, Name: "Certainty", Kind: AttrChoice, Choices: []string{"Low", "High"}})
	if err != nil {
		t.Fatal(err)
	}
	rel := func(m *mdb, doc, from, to, typ string) string {
		t.Helper()
		ap, err := m.s.ApplyEdit(m.ctx, Edit{Kind: EditCreateRelation, DocumentID: doc, AnnotatorID: ana, TypeID: typ, From: from, To: to})
		if err != nil {
			t.Fatal(err)
		}
		return ap.Relation.ID
	}
	r1 := rel(a, d1, s2, s1, sup.ID)
	rel(a, d1, s2, s3, sup.ID)
	a.apply(Edit{Kind: EditSetAttribute, DocumentID: d1, AnnotatorID: ana, OwnerID: s1, AttributeID: cert.ID, Value: "High"})

	// B has nothing, takes everything with the same IDs.
	b := newMDB(t, "b")
	sum := b.merge(a)
	if sum.RelationsAdded != 2 || sum.RelationTypesAdded != 1 || sum.AttributesMerged != 1 {
		t.Errorf("first merge: %+v", sum)
	}
	if a.dump() != b.dump() {
		t.Errorf("after the merge:\nA %s\nB %s", a.dump(), b.dump())
	}
	bTypes, _ := b.s.RelationTypes(b.ctx, b.set.ID)
	if len(bTypes) != 1 || len(bTypes[0].Args) != 1 || bTypes[0].Key != "s" {
		t.Errorf("B's relation types: %+v", bTypes)
	}
	// B deletes r1 and sets the certainty to Low; A deletes the span s3
	// (taking r2 with it).
	bd1 := b.sha(d1)
	bdoc, err := b.s.DocumentBySHA(b.ctx, bd1)
	if err != nil {
		t.Fatal(err)
	}
	b.apply(Edit{Kind: EditDeleteRelation, DocumentID: bdoc.ID, AnnotatorID: ana, RelationID: r1})
	battrs, _ := b.s.Attributes(b.ctx, b.set.ID)
	b.apply(Edit{Kind: EditSetAttribute, DocumentID: bdoc.ID, AnnotatorID: ana, OwnerID: s1, AttributeID: battrs[0].ID, Value: "Low"})
	a.apply(Edit{Kind: EditDeleteSpan, DocumentID: d1, AnnotatorID: ana, SpanID: s3})

	sum = a.merge(b)
	if sum.RelationsDeleted != 1 || sum.RelationsAdded != 0 || sum.AttributesMerged != 1 {
		t.Errorf("A takes B's deletion: %+v", sum)
	}
	sum = b.merge(a)
	if sum.RelationsAdded != 0 || b.count("relations") != 0 {
		t.Errorf("B takes A's: %+v, %d relations", sum, b.count("relations"))
	}
	if a.dump() != b.dump() {
		t.Errorf("after merging both ways:\nA %s\nB %s", a.dump(), b.dump())
	}
	if !strings.Contains(a.dump(), "value"+s1+"certaintyLow") {
		t.Errorf("the later certainty did not win:\n%s", a.dump())
	}
	// Again: nothing changes.
	before := a.dump()
	if sum := a.merge(b); sum.RelationsAdded+sum.RelationsDeleted+sum.RelationsUpdated+sum.AttributesMerged != 0 {
		t.Errorf("merging again: %+v", sum)
	}
	if a.dump() != before {
		t.Error("merging again changed A")
	}
	// Undo of the relation's deletion on B brings it back; the next merge
	// takes the return over the deletion A holds.
	// First the merge's deletion of s3, which brings r2 back with it.
	if e, ok, err := b.s.Undo(b.ctx, ana, bdoc.ID); !ok || err != nil || e.SpanID != s3 {
		t.Fatal(e, ok, err)
	}
	if rs, _ := b.s.Relations(b.ctx, bdoc.ID, ana); len(rs) != 1 || rs[0].To != s3 {
		t.Errorf("undoing the merge's deletion of s3: relations %+v", rs)
	}
	if _, ok, err := b.s.Undo(b.ctx, ana, bdoc.ID); !ok || err != nil { // the certainty
		t.Fatal(ok, err)
	}
	if e, ok, err := b.s.Undo(b.ctx, ana, bdoc.ID); !ok || err != nil || e.Kind != EditCreateRelation {
		t.Fatal(e, ok, err)
	}
	if sum := a.merge(b); sum.RelationsAdded != 2 {
		t.Errorf("the revived relation: %+v", sum)
	}
}
