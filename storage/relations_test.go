package storage

import (
	"errors"
	"strings"
	"testing"
)

// relFixture is a fixture with a "supports" type (Figure → Claim) and a
// symmetric "same" type (any pair), a Claim and a Figure span.
type relFixture struct {
	*fixture
	supports, same RelationType
	claim, figure  Span
}

func newRelFixture(t *testing.T) *relFixture {
	t.Helper()
	f := &relFixture{fixture: newFixture(t)}
	claim, figure := f.labels[0], f.labels[1]
	var err error
	f.supports, err = f.s.CreateRelationType(f.ctx, RelationType{SetID: claim.SetID, Name: "supports", Color: "#0072B2", Key: "s",
		Directed: true, Args: []LabelPair{{figure.ID, claim.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	f.same, err = f.s.CreateRelationType(f.ctx, RelationType{SetID: claim.SetID, Name: "same as", Color: "#999999"})
	if err != nil {
		t.Fatal(err)
	}
	f.claim = f.create(t, 0, 0, 9)    // “Growth,”
	f.figure = f.create(t, 1, 21, 29) // “is 3%.”
	return f
}

func (f *relFixture) link(t *testing.T, typ RelationType, from, to Span) (Relation, error) {
	t.Helper()
	a, err := f.s.ApplyEdit(f.ctx, Edit{Kind: EditCreateRelation, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID,
		TypeID: typ.ID, From: from.ID, To: to.ID})
	return a.Relation, err
}

func TestCreateRelationChecks(t *testing.T) {
	f := newRelFixture(t)
	r, err := f.link(t, f.supports, f.figure, f.claim)
	if err != nil {
		t.Fatal(err)
	}
	if r.ID == "" || r.Type != "supports" || r.From != f.figure.ID || r.To != f.claim.ID || r.Annotator != "ana" {
		t.Errorf("relation: %+v", r)
	}
	// The wrong way round: the message says what is allowed.
	if _, err := f.link(t, f.supports, f.claim, f.figure); !errors.Is(err, ErrInvalidEdit) ||
		!strings.Contains(err.Error(), "supports goes Figure → Claim, not Claim → Figure") {
		t.Errorf("reversed supports: %v", err)
	}
	if _, err := f.link(t, f.same, f.claim, f.claim); !errors.Is(err, ErrInvalidEdit) || !strings.Contains(err.Error(), "itself") {
		t.Errorf("self relation: %v", err)
	}
	if _, err := f.link(t, f.supports, f.figure, f.claim); !errors.Is(err, ErrConflict) {
		t.Errorf("the same relation twice: %v", err)
	}
	// A symmetric type counts both orders as one.
	if _, err := f.link(t, f.same, f.claim, f.figure); err != nil {
		t.Fatal(err)
	}
	if _, err := f.link(t, f.same, f.figure, f.claim); !errors.Is(err, ErrConflict) {
		t.Errorf("a symmetric relation reversed: %v", err)
	}
	// Another layer's span cannot be an end.
	bo, err := f.s.EnsureAnnotator(f.ctx, "bo")
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := f.s.Apply(f.ctx, Edit{Kind: EditCreateSpan, DocumentID: f.doc.ID, AnnotatorID: bo.ID, LabelID: f.labels[0].ID, Start: 33, End: 35})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.link(t, f.same, f.claim, theirs); !errors.Is(err, ErrInvalidEdit) || !strings.Contains(err.Error(), "bo's") {
		t.Errorf("an end in another layer: %v", err)
	}
	// Or another document's.
	other, _, err := f.s.ImportDocument(f.ctx, NewDocument{Title: "Other", Text: "Another text entirely.", Format: "txt"})
	if err != nil {
		t.Fatal(err)
	}
	far, err := f.s.Apply(f.ctx, Edit{Kind: EditCreateSpan, DocumentID: other.ID, AnnotatorID: f.ann.ID, LabelID: f.labels[0].ID, Start: 0, End: 7})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.link(t, f.same, f.claim, far); !errors.Is(err, ErrInvalidEdit) || !strings.Contains(err.Error(), "another document") {
		t.Errorf("an end in another document: %v", err)
	}
	if rs, err := f.s.Relations(f.ctx, f.doc.ID, f.ann.ID); err != nil || len(rs) != 2 {
		t.Errorf("relations: %v, %v", rs, err)
	}
}

func TestDeleteSpanTakesRelationsAndUndoBringsThemBack(t *testing.T) {
	f := newRelFixture(t)
	r, err := f.link(t, f.supports, f.figure, f.claim)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := f.s.CreateAttribute(f.ctx, Attribute{SetID: f.labels[0].SetID, Name: "Certainty", Kind: AttrChoice,
		Choices: []string{"Low", "High"}, Targets: []string{f.labels[0].ID}})
	if err != nil {
		t.Fatal(err)
	}
	strength, err := f.s.CreateAttribute(f.ctx, Attribute{SetID: f.labels[0].SetID, Name: "Strength", Kind: AttrNumber,
		Targets: []string{f.supports.ID}})
	if err != nil {
		t.Fatal(err)
	}
	set := func(owner, attr, v string) error {
		_, err := f.s.Apply(f.ctx, Edit{Kind: EditSetAttribute, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID, OwnerID: owner, AttributeID: attr, Value: v})
		return err
	}
	if err := set(f.claim.ID, cert.ID, "high"); err != nil {
		t.Fatal(err)
	}
	if err := set(r.ID, strength.ID, "0,75"); err != nil {
		t.Fatal(err)
	}
	if err := set(f.figure.ID, cert.ID, "High"); !errors.Is(err, ErrInvalidEdit) {
		t.Errorf("certainty on a Figure: %v", err)
	}
	if err := set(f.claim.ID, cert.ID, "Maybe"); err == nil || !strings.Contains(err.Error(), "one of Low, High") {
		t.Errorf("a choice not in the list: %v", err)
	}
	before := dbCounts(t, f.s)
	if _, err := f.s.Apply(f.ctx, Edit{Kind: EditDeleteSpan, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID, SpanID: f.claim.ID}); err != nil {
		t.Fatal(err)
	}
	if rs, _ := f.s.Relations(f.ctx, f.doc.ID, ""); len(rs) != 0 {
		t.Errorf("relations after deleting an end: %v", rs)
	}
	var tomb int
	if err := f.s.db.QueryRow(`SELECT count(*) FROM relation_tombstones WHERE relation_id = ?`, r.ID).Scan(&tomb); err != nil || tomb != 1 {
		t.Errorf("relation tombstone: %d, %v", tomb, err)
	}
	if vs, _ := f.s.AttributeValues(f.ctx, f.doc.ID, ""); len(vs) != 0 {
		t.Errorf("attribute values after the delete: %v", vs)
	}
	check := func(when string) {
		t.Helper()
		rs, err := f.s.Relations(f.ctx, f.doc.ID, f.ann.ID)
		if err != nil || len(rs) != 1 || rs[0].ID != r.ID || !rs[0].Created.Equal(r.Created) || rs[0].From != f.figure.ID {
			t.Errorf("%s: relations %+v, %v", when, rs, err)
		}
		vs, err := f.s.AttributeValues(f.ctx, f.doc.ID, f.ann.ID)
		if err != nil || len(vs[f.claim.ID]) != 1 || vs[f.claim.ID][0].Value != "High" || len(vs[r.ID]) != 1 || vs[r.ID][0].Value != "0.75" {
			t.Errorf("%s: attribute values %+v, %v", when, vs, err)
		}
	}
	if _, ok, err := f.s.Undo(f.ctx, f.ann.ID, f.doc.ID); !ok || err != nil {
		t.Fatal(ok, err)
	}
	check("after undo")
	if c := dbCounts(t, f.s); c["spans"] != before["spans"] {
		t.Errorf("counts after undo: %v, before %v", c, before)
	}
	if _, ok, err := f.s.Redo(f.ctx, f.ann.ID, f.doc.ID); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if rs, _ := f.s.Relations(f.ctx, f.doc.ID, ""); len(rs) != 0 {
		t.Errorf("relations after redo: %v", rs)
	}
	if _, ok, err := f.s.Undo(f.ctx, f.ann.ID, f.doc.ID); !ok || err != nil {
		t.Fatal(ok, err)
	}
	check("after undo, redo, undo")
	// Undo the attribute of the relation, then the relation itself.
	e, _, err := f.s.Undo(f.ctx, f.ann.ID, f.doc.ID)
	if err != nil || e.Kind != EditSetAttribute || e.OwnerID != r.ID || e.Value != "" {
		t.Errorf("undo of set attribute: %+v %v", e, err)
	}
	f.s.Undo(f.ctx, f.ann.ID, f.doc.ID) // the claim's certainty
	e, _, err = f.s.Undo(f.ctx, f.ann.ID, f.doc.ID)
	if err != nil || e.Kind != EditDeleteRelation || e.RelationID != r.ID {
		t.Errorf("undo of create relation: %+v %v", e, err)
	}
	e, _, err = f.s.Redo(f.ctx, f.ann.ID, f.doc.ID)
	if err != nil || e.Kind != EditCreateRelation || e.RelationID != r.ID {
		t.Errorf("redo of create relation: %+v %v", e, err)
	}
	if rs, _ := f.s.Relations(f.ctx, f.doc.ID, ""); len(rs) != 1 || rs[0].ID != r.ID {
		t.Errorf("relations after redo of create: %v", rs)
	}
}

func TestRetypeAndDeleteRelation(t *testing.T) {
	f := newRelFixture(t)
	r, err := f.link(t, f.same, f.claim, f.figure)
	if err != nil {
		t.Fatal(err)
	}
	edit := func(e Edit) (Applied, error) {
		e.DocumentID, e.AnnotatorID, e.RelationID = f.doc.ID, f.ann.ID, r.ID
		return f.s.ApplyEdit(f.ctx, e)
	}
	// Claim → Figure is not a supports.
	if _, err := edit(Edit{Kind: EditRetypeRelation, TypeID: f.supports.ID}); !errors.Is(err, ErrInvalidEdit) {
		t.Errorf("retype to a type that does not allow the pair: %v", err)
	}
	// Edit the type to allow either way (symmetric), then retype.
	f.supports.Directed = false
	if err := f.s.UpdateRelationType(f.ctx, f.supports); err != nil {
		t.Fatal(err)
	}
	a, err := edit(Edit{Kind: EditRetypeRelation, TypeID: f.supports.ID})
	if err != nil || a.Relation.Type != "supports" {
		t.Fatalf("retype: %+v %v", a, err)
	}
	if e, _, err := f.s.Undo(f.ctx, f.ann.ID, f.doc.ID); err != nil || e.Kind != EditRetypeRelation || e.TypeID != f.same.ID {
		t.Errorf("undo retype: %+v %v", e, err)
	}
	if _, err := edit(Edit{Kind: EditDeleteRelation}); err != nil {
		t.Fatal(err)
	}
	if e, _, err := f.s.Undo(f.ctx, f.ann.ID, f.doc.ID); err != nil || e.Kind != EditCreateRelation {
		t.Errorf("undo delete: %+v %v", e, err)
	}
	// Deleting the type deletes its relations.
	if n, err := f.s.DeleteRelationType(f.ctx, f.same.ID); err != nil || n != 1 {
		t.Errorf("delete type: %d %v", n, err)
	}
	if rs, _ := f.s.Relations(f.ctx, f.doc.ID, ""); len(rs) != 0 {
		t.Errorf("relations left: %v", rs)
	}
	// A label's deletion takes the relations of its spans (a trigger).
	if _, err := f.link(t, f.supports, f.figure, f.claim); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.DeleteLabel(f.ctx, f.labels[1].ID); err != nil {
		t.Fatal(err)
	}
	if rs, _ := f.s.Relations(f.ctx, f.doc.ID, ""); len(rs) != 0 {
		t.Errorf("relations after the label went: %v", rs)
	}
}

func TestAttributeChecks(t *testing.T) {
	lo, hi := 0.0, 10.0
	a := Attribute{Name: "Score", Kind: AttrNumber, Min: &lo, Max: &hi}
	for v, want := range map[string]string{"3": "3", " 2.50 ": "2.5", "1,5": "1.5", "": ""} {
		if got, err := a.Check(v); err != nil || got != want {
			t.Errorf("Check(%q) = %q, %v; want %q", v, got, err, want)
		}
	}
	if _, err := a.Check("11"); err == nil || !strings.Contains(err.Error(), "from 0 to 10") {
		t.Errorf("out of bounds: %v", err)
	}
	if _, err := a.Check("NaN"); err == nil {
		t.Error("NaN accepted")
	}
	flag := Attribute{Name: "Disputed", Kind: AttrFlag}
	if v, _ := flag.Check("yes"); v != "true" {
		t.Errorf("flag yes = %q", v)
	}
	if v, _ := flag.Check("false"); v != "" {
		t.Errorf("flag false = %q, want unset", v)
	}
	f := newFixture(t)
	set := f.labels[0].SetID
	for _, bad := range []Attribute{
		{SetID: set, Name: "C", Kind: AttrChoice},
		{SetID: set, Name: "C", Kind: AttrChoice, Choices: []string{"a", "A"}},
		{SetID: set, Name: "C", Kind: "colour"},
		{SetID: set, Name: "C", Kind: AttrText, Min: &lo},
		{SetID: set, Name: "C", Kind: AttrNumber, Min: &hi, Max: &lo},
	} {
		if _, err := f.s.CreateAttribute(f.ctx, bad); !errors.Is(err, ErrInvalidLabel) {
			t.Errorf("CreateAttribute(%+v): %v", bad, err)
		}
	}
}

func TestImportRelationsAndExportFilters(t *testing.T) {
	f := newFixture(t)
	rec := ImportRecord{
		Doc: NewDocument{Title: "Rel", Text: "Growth is 3% 👍🏽 says the مصرف", Format: "jsonl"},
		Spans: []ImportSpan{
			{Annotator: "ana", Label: "Claim", Start: 0, End: 12, Attrs: []ImportAttr{{"Certainty", "High"}, {"Hedged", "true"}}},
			{Annotator: "ana", Label: "Figure", Start: 10, End: 12},
			{Annotator: "ana", Label: "Source", Start: 25, End: 29},
		},
		Relations: []ImportRelation{
			{Type: "supports", From: 1, To: 0, Attrs: []ImportAttr{{"Strength", "0.5"}}},
			{Type: "attributed to", From: 0, To: 2},
		},
	}
	run := func() ImportSummary {
		t.Helper()
		imp, err := f.s.BeginImport(f.ctx, ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer imp.Rollback()
		if err := imp.Add(rec); err != nil {
			t.Fatal(err)
		}
		sum, err := imp.Commit()
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	sum := run()
	if sum.Relations != 2 || sum.Attributes != 3 {
		t.Errorf("first import: %+v", sum)
	}
	again := run()
	if again.Relations != 0 || again.RelationsSkipped != 2 || again.Attributes != 0 {
		t.Errorf("the same file again: %+v", again)
	}
	st, err := f.s.Stats(f.ctx)
	if err != nil || st.Relations != 2 || len(st.PerRelationType) != 2 || st.PerRelationType[0].Count != 1 {
		t.Errorf("stats: %+v %v", st, err)
	}
	var got []Record
	each := func(flt RecordFilter) {
		got = nil
		if err := f.s.EachRecord(f.ctx, flt, func(r Record) error {
			if len(r.Spans) > 0 {
				got = append(got, r)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	each(RecordFilter{})
	if len(got) != 1 || len(got[0].Relations) != 2 || got[0].RelationsDropped != 0 || len(got[0].Attrs) != 2 {
		t.Fatalf("all: %+v", got)
	}
	each(RecordFilter{Labels: []string{"Claim", "Figure"}})
	if len(got) != 1 || len(got[0].Relations) != 1 || got[0].Relations[0].Type != "supports" || got[0].RelationsDropped != 1 {
		t.Errorf("Claim and Figure only: %+v", got)
	}
	// A bad relation: refused, naming it, and the import stores nothing.
	before := dbCounts(t, f.s)
	rec.Doc.Text = "Another text: a claim."
	rec.Spans = []ImportSpan{{Annotator: "ana", Label: "Claim", Start: 0, End: 7}}
	rec.Relations = []ImportRelation{{Type: "supports", From: 0, To: 0}}
	imp, err := f.s.BeginImport(f.ctx, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	err = imp.Add(rec)
	imp.Rollback()
	var ie *ImportError
	if !errors.As(err, &ie) || ie.Relation != 1 || !strings.Contains(err.Error(), "relation 1: ") {
		t.Errorf("self relation: %v", err)
	}
	if after := dbCounts(t, f.s); !sameCounts(before, after) {
		t.Errorf("the refused import changed the database: %v → %v", before, after)
	}
}
