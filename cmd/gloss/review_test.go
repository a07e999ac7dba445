package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"gloss/storage"
	"gloss/storage/storagetest"
)

// twoAnnotators makes a database with one document labelled by Ann and Bob:
// one agreed span, one relabelled, one only Ann has.
func twoAnnotators(t *testing.T) (db, docID string) {
	t.Helper()
	dir := t.TempDir()
	db = filepath.Join(dir, "g.db")
	p := write(t, dir, "a.txt", "The council approved 280,000 homes — “a record”.\n")
	if code, _, errs := gloss(t, "import", "--db", db, p); code != 0 {
		t.Fatal(errs)
	}
	s := storagetest.OpenAt(t, db)
	defer s.Close()
	ctx := context.Background()
	docs, _ := s.DocumentSummaries(ctx, "")
	ls := storagetest.Labels(t, s)
	as := storagetest.Analysts(t, s, "Ann", "Bob")
	who := map[string]storage.Annotator{"Ann": as[0], "Bob": as[1]}
	claim, figure := ls[0].ID, ls[1].ID
	for _, sp := range []struct {
		who        string
		label      string
		start, end int
	}{
		{"Ann", figure, 21, 28}, {"Bob", figure, 21, 28}, // 280,000: agree
		{"Ann", claim, 0, 20}, {"Bob", figure, 0, 20}, // The council approved: other label
		{"Ann", claim, 38, 46}, // a record: only Ann
	} {
		if _, err := s.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: docs[0].ID,
			AnnotatorID: who[sp.who].ID, LabelID: sp.label, Start: sp.start, End: sp.end}); err != nil {
			t.Fatal(err)
		}
	}
	return db, docs[0].ID
}

func TestDiff(t *testing.T) {
	db, doc := twoAnnotators(t)
	code, out, errs := gloss(t, "diff", "--db", db, "--doc", doc, "--annotators", "Ann,Bob")
	if code != 0 {
		t.Fatalf("diff: %s", errs)
	}
	for _, want := range []string{`Figure 21-28 "280,000"`, "1 agree, 1 other label, 0 overlap, 1 only Ann, 0 only Bob", `Claim 38-46 "a record"`} {
		if !strings.Contains(out, want) {
			t.Errorf("diff output lacks %q:\n%s", want, out)
		}
	}
	if code, _, errs := gloss(t, "diff", "--db", db, "--doc", doc, "--annotators", "Ann,Zed"); code == 0 || !strings.Contains(errs, "Zed") {
		t.Errorf("unknown annotator: %d %q", code, errs)
	}
}

func TestAgree(t *testing.T) {
	db, _ := twoAnnotators(t)
	code, out, errs := gloss(t, "agree", "--db", db, "--format", "json")
	if code != 0 {
		t.Fatalf("agree: %s", errs)
	}
	var rep struct {
		Annotators []string `json:"annotators"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if strings.Join(rep.Annotators, ",") != "Ann,Bob" {
		t.Errorf("annotators %v", rep.Annotators)
	}
	code, out, _ = gloss(t, "agree", "--db", db)
	if code != 0 || !strings.Contains(out, "Ann") || !strings.Contains(strings.ToLower(out), "kappa") {
		t.Errorf("text report:\n%s", out)
	}
	if code, _, _ := gloss(t, "agree", "--db", db, "--format", "xml"); code == 0 {
		t.Error("unknown format accepted")
	}
}

// withRelations makes a database with one document that Ann and Bob both
// labelled, linked and gave attributes:
//
//	span                    Ann              Bob
//	The council approved    Claim 0-20       Claim 0-20        Disputed: Ann yes, Bob yes; Certainty High/High
//	280,000                 Figure 21-28     Figure 21-28      Disputed: Ann yes, Bob no
//	homes                   Figure 29-34     Figure 29-34      Disputed: neither
//	a record                Claim 38-46      Claim 37-47 (“a record”)
//
//	relation                                 Ann   Bob
//	supports 280,000 → The council approved  yes   yes         exact
//	same as The council approved ↔ a record  yes   swapped, Bob's wider end: overlap
//	supports 280,000 → “a record”            -     yes         only Bob
func withRelations(t *testing.T) (db, docID string) {
	t.Helper()
	dir := t.TempDir()
	db = filepath.Join(dir, "g.db")
	p := write(t, dir, "a.txt", "The council approved 280,000 homes — “a record”.\n")
	if code, _, errs := gloss(t, "import", "--db", db, p); code != 0 {
		t.Fatal(errs)
	}
	s := storagetest.OpenAt(t, db)
	defer s.Close()
	ctx := context.Background()
	docs, _ := s.DocumentSummaries(ctx, "")
	doc := docs[0].ID
	ls := storagetest.Labels(t, s)
	claim, figure := ls[0], ls[1]
	as := storagetest.Analysts(t, s, "Ann", "Bob")
	supports, err := s.CreateRelationType(ctx, storage.RelationType{SetID: claim.SetID, Name: "supports", Color: "#0072B2", Directed: true})
	if err != nil {
		t.Fatal(err)
	}
	same, err := s.CreateRelationType(ctx, storage.RelationType{SetID: claim.SetID, Name: "same as", Color: "#999999"})
	if err != nil {
		t.Fatal(err)
	}
	disputed, err := s.CreateAttribute(ctx, storage.Attribute{SetID: claim.SetID, Name: "Disputed", Kind: storage.AttrFlag})
	if err != nil {
		t.Fatal(err)
	}
	certainty, err := s.CreateAttribute(ctx, storage.Attribute{SetID: claim.SetID, Name: "Certainty", Kind: storage.AttrChoice,
		Choices: []string{"Low", "High"}, Targets: []string{claim.ID}})
	if err != nil {
		t.Fatal(err)
	}
	span := func(who storage.Annotator, l storage.Label, start, end int) storage.Span {
		sp, err := s.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: doc, AnnotatorID: who.ID,
			LabelID: l.ID, Start: start, End: end})
		if err != nil {
			t.Fatal(err)
		}
		return sp
	}
	link := func(who storage.Annotator, typ storage.RelationType, from, to storage.Span) {
		if _, err := s.ApplyEdit(ctx, storage.Edit{Kind: storage.EditCreateRelation, DocumentID: doc, AnnotatorID: who.ID,
			TypeID: typ.ID, From: from.ID, To: to.ID}); err != nil {
			t.Fatal(err)
		}
	}
	set := func(who storage.Annotator, owner storage.Span, attr storage.Attribute, v string) {
		if _, err := s.ApplyEdit(ctx, storage.Edit{Kind: storage.EditSetAttribute, DocumentID: doc, AnnotatorID: who.ID,
			OwnerID: owner.ID, AttributeID: attr.ID, Value: v}); err != nil {
			t.Fatal(err)
		}
	}
	ann, bob := as[0], as[1]
	aCouncil, aFig, _, aRecord := span(ann, claim, 0, 20), span(ann, figure, 21, 28), span(ann, figure, 29, 34), span(ann, claim, 38, 46)
	bCouncil, bFig, _, bRecord := span(bob, claim, 0, 20), span(bob, figure, 21, 28), span(bob, figure, 29, 34), span(bob, claim, 37, 47)
	link(ann, supports, aFig, aCouncil)
	link(bob, supports, bFig, bCouncil)
	link(ann, same, aCouncil, aRecord)
	link(bob, same, bRecord, bCouncil)
	link(bob, supports, bFig, bRecord)
	set(ann, aCouncil, disputed, "yes")
	set(bob, bCouncil, disputed, "yes")
	set(ann, aFig, disputed, "yes")
	set(ann, aCouncil, certainty, "High")
	set(bob, bCouncil, certainty, "High")
	return db, doc
}

// squeeze collapses runs of spaces, so table rows compare without their
// alignment.
func squeeze(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		b.WriteString(strings.Join(strings.Fields(line), " "))
		b.WriteByte('\n')
	}
	return b.String()
}

func TestAgreeRelationsAttributes(t *testing.T) {
	db, _ := withRelations(t)
	code, out, errs := gloss(t, "agree", "--db", db)
	if code != 0 {
		t.Fatalf("agree: %s", errs)
	}
	for _, want := range []string{
		// Relations, exact: tp 1, only Ann 1 (same as), only Bob 2 (same as,
		// supports → “a record”): P 1/3, R 1/2, F1 2/5.
		"Ann Bob 1 exact (all) 1 1 2 0.333 0.500 0.400",
		"supports 1 0 1 0.500 1.000 0.667",
		// Overlap adds the swapped "same as" with Bob's wider end: 2, 0, 1.
		"Ann Bob 1 overlap (all) 2 0 1 0.667 1.000 0.800",
		// Disputed on the 3 spans both have: yes/yes, yes/no, no/no:
		// po = 2/3, pe = 2/3·1/3 + 1/3·2/3 = 4/9, kappa = (2/3-4/9)/(5/9) =
		// 0.4; alpha = 1 - 5·2/(2·3·3) = 4/9.
		"Disputed flag Ann Bob 3 3 0.667 0.444 0.400 0.444",
		// Certainty (Claims only): one span both have, High/High: p_e = 1.
		"Certainty choice Ann Bob 1 1 1.000 1.000 n/a n/a",
	} {
		if !strings.Contains(squeeze(out), want+"\n") {
			t.Errorf("agree lacks %q:\n%s", want, out)
		}
	}
	code, out, errs = gloss(t, "agree", "--db", db, "--format", "json")
	if code != 0 {
		t.Fatalf("agree json: %s", errs)
	}
	var rep struct {
		Relations []struct {
			Exact struct {
				F1 float64 `json:"f1"`
			} `json:"exact"`
		} `json:"relations"`
		Attributes []struct {
			Name  string `json:"name"`
			Pairs []struct {
				Cohen struct {
					Kappa *float64 `json:"kappa"`
				} `json:"cohen"`
			} `json:"pairs"`
		} `json:"attributes"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(rep.Relations) != 1 || rep.Relations[0].Exact.F1 != 0.4 || len(rep.Attributes) != 2 ||
		rep.Attributes[0].Name != "Disputed" || rep.Attributes[1].Pairs[0].Cohen.Kappa != nil {
		t.Errorf("json: %+v", rep)
	}
	// A Figure filter drops every relation (each has a Claim end), so
	// there is no relation table, and Certainty (on Claims); Disputed is
	// on the 2 Figures.
	code, out, _ = gloss(t, "agree", "--db", db, "--labels", "Figure")
	if code != 0 || strings.Contains(out, "Relation F1") ||
		!strings.Contains(squeeze(out), "Disputed flag Ann Bob 2 2 ") || strings.Contains(out, "Certainty") {
		t.Errorf("Figure only:\n%s", out)
	}
}

func TestCompareRelationsDiff(t *testing.T) {
	db, doc := withRelations(t)
	code, out, errs := gloss(t, "diff", "--db", db, "--doc", doc, "--annotators", "Ann,Bob")
	if code != 0 {
		t.Fatalf("diff: %s", errs)
	}
	for _, want := range []string{
		"Relations\n",
		"agree supports: Figure 21-28 → Claim 0-20 supports: Figure 21-28 → Claim 0-20\n",
		"overlap same as: Claim 0-20 ↔ Claim 38-46 same as: Claim 37-47 ↔ Claim 0-20\n",
		"only_b - supports: Figure 21-28 → Claim 37-47\n",
		"1 agree, 0 other type, 0 reversed, 1 overlap, 0 only Ann, 1 only Bob\n",
	} {
		if !strings.Contains(squeeze(out), want) {
			t.Errorf("diff lacks %q:\n%s", want, out)
		}
	}
	// The spans come first, as before.
	if i, j := strings.Index(out, "other label"), strings.Index(out, "Relations"); i < 0 || j < i {
		t.Errorf("order:\n%s", out)
	}
	code, out, _ = gloss(t, "diff", "--db", db, "--doc", doc, "--annotators", "Ann,Bob", "--json")
	var v struct {
		Spans     []json.RawMessage `json:"spans"`
		Relations []struct {
			Kind string `json:"kind"`
		} `json:"relations"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || len(v.Spans) != 4 || len(v.Relations) != 3 {
		t.Errorf("diff json: %d\n%s", code, out)
	}
}
