package library

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gloss/app/formats"
	"gloss/storage"
)

// withRelations gives corpus c relations and attributes: ana's Figure
// “12%” supports her Claim “we’ll build…” (with a strength), her two
// Claims are the same claim (symmetric), and the first Claim is certain
// (a choice) and disputed (a flag).
func withRelations(t *testing.T, c *rtCorpus) {
	t.Helper()
	ctx := context.Background()
	st := c.store
	set, err := st.DefaultLabelSet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sup, err := st.CreateRelationType(ctx, storage.RelationType{SetID: set.ID, Name: "supports", Color: "#0072B2", Directed: true})
	if err != nil {
		t.Fatal(err)
	}
	same, err := st.CreateRelationType(ctx, storage.RelationType{SetID: set.ID, Name: "same_claim", Color: "#999999"})
	if err != nil {
		t.Fatal(err)
	}
	cert, err := st.CreateAttribute(ctx, storage.Attribute{SetID: set.ID, Name: "Certainty", Kind: storage.AttrChoice, Choices: []string{"Low", "High"}})
	if err != nil {
		t.Fatal(err)
	}
	disp, err := st.CreateAttribute(ctx, storage.Attribute{SetID: set.ID, Name: "Disputed", Kind: storage.AttrFlag})
	if err != nil {
		t.Fatal(err)
	}
	h := c.docs[0]
	spans, err := st.Spans(ctx, h.ID, c.ana.ID)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]storage.Span{}
	for _, s := range spans {
		by[s.Text] = s
	}
	claim, claim2, fig := by["we’ll build 280,000 homes"], by["Critics doubt it"], by["12%"]
	apply := func(e storage.Edit) {
		t.Helper()
		e.DocumentID, e.AnnotatorID = h.ID, c.ana.ID
		if _, err := st.Apply(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	apply(storage.Edit{Kind: storage.EditCreateRelation, TypeID: sup.ID, From: fig.ID, To: claim.ID})
	apply(storage.Edit{Kind: storage.EditCreateRelation, TypeID: same.ID, From: claim.ID, To: claim2.ID})
	apply(storage.Edit{Kind: storage.EditSetAttribute, OwnerID: claim.ID, AttributeID: cert.ID, Value: "High"})
	apply(storage.Edit{Kind: storage.EditSetAttribute, OwnerID: claim.ID, AttributeID: disp.ID, Value: "true"})
}

// rtRelations lists a store's relations as every format sees them: the
// type and the texts and labels of both ends (symmetric ones in text
// order), and the attribute values by span text.
func rtRelations(t *testing.T, s *storage.Store, attrs bool) []string {
	t.Helper()
	var out []string
	err := s.EachRecord(context.Background(), storage.RecordFilter{}, func(r storage.Record) error {
		by := map[string]storage.Span{}
		for _, sp := range r.Spans {
			by[sp.ID] = sp
		}
		for _, rel := range r.Relations {
			a, b := by[rel.From], by[rel.To]
			ends := []string{a.Label + " “" + a.Text + "”", b.Label + " “" + b.Text + "”"}
			if strings.HasPrefix(rel.Type, "same") {
				sort.Strings(ends)
			}
			out = append(out, fmt.Sprintf("%s %s → %s", rel.Type, ends[0], ends[1]))
		}
		if attrs {
			for id, vs := range r.Attrs {
				for _, v := range vs {
					out = append(out, fmt.Sprintf("“%s” %s=%s", by[id].Text, v.Name, v.Value))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// TestRoundTripRelations exports a corpus with relations and attributes
// in every format that holds relations, imports the file into an empty
// database, and finds the same relations (and attributes, where the format
// has them); the formats without relations say how many they left out.
func TestRoundTripRelations(t *testing.T) {
	c := newRTCorpus(t, false)
	withRelations(t, c)
	want := rtRelations(t, c.store, true)
	if len(want) != 4 {
		t.Fatalf("corpus: %v", want)
	}
	wantRels := rtRelations(t, c.store, false)
	for _, f := range formats.Table {
		if !f.Export {
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out"+firstExt(f))
			sum, err := Export(context.Background(), c.store, ExportOptions{Format: f.Name, Path: path}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !f.Relations {
				if sum.RelationsLeftOut != 2 || sum.AttributesLeftOut != 2 {
					t.Errorf("left out: %d relations, %d attributes; want 2 and 2", sum.RelationsLeftOut, sum.AttributesLeftOut)
				}
				return
			}
			if sum.Relations != 2 {
				t.Errorf("summary: %d relations written", sum.Relations)
			}
			if !f.Import {
				return
			}
			dst := rtImport(t, path, ImportFileOptions{Format: f.Name, Annotator: "ana"})
			got, expect := rtRelations(t, dst, f.Attributes), wantRels
			if f.Attributes {
				expect = want
			} else if sum.AttributesLeftOut != 2 {
				t.Errorf("%d attributes left out, want 2", sum.AttributesLeftOut)
			}
			if strings.Join(got, "\n") != strings.Join(expect, "\n") {
				t.Errorf("after the round trip\n got %q\nwant %q", got, expect)
			}
		})
	}
}

func firstExt(f formats.Format) string {
	if len(f.Exts) == 0 {
		return ""
	}
	return f.Exts[0]
}

// TestExportFilterKeepsRelationsBetweenKeptSpans: a label filter keeps a
// relation only when both its ends are kept, and says how many it
// dropped.
func TestExportFilterKeepsRelationsBetweenKeptSpans(t *testing.T) {
	c := newRTCorpus(t, false)
	withRelations(t, c)
	path := filepath.Join(t.TempDir(), "claims.jsonl")
	sum, err := Export(context.Background(), c.store, ExportOptions{Format: "jsonl", Path: path, Labels: []string{"Claim"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Relations != 1 || sum.RelationsFiltered != 1 {
		t.Errorf("Claim only: %d relations written, %d dropped; want 1 and 1", sum.Relations, sum.RelationsFiltered)
	}
}

// TestSeedSamplesSchema: a new database with the samples has the sample
// relation types and attributes, once, with their allowed label pairs.
func TestSeedSamplesSchema(t *testing.T) {
	ctx := context.Background()
	s := rtImportEmpty(t)
	for range 2 {
		if _, err := SeedSamples(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	set, _ := s.DefaultLabelSet(ctx)
	ts, err := s.RelationTypes(ctx, set.ID)
	if err != nil || len(ts) != 3 || ts[0].Name != "supports" || len(ts[0].Args) != 2 || ts[0].Key != "s" || ts[2].Directed {
		t.Errorf("relation types: %+v %v", ts, err)
	}
	as, err := s.Attributes(ctx, set.ID)
	if err != nil || len(as) != 2 || as[0].Name != "Certainty" || len(as[0].Targets) != 1 {
		t.Errorf("attributes: %+v %v", as, err)
	}
}

func rtImportEmpty(t *testing.T) *storage.Store {
	t.Helper()
	s, err := storage.Open(filepath.Join(t.TempDir(), "new.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
