package workbench

import (
	"errors"
	"fmt"

	"gloss/app/agreement"
	"gloss/storage"
	"gloss/widgets"
)

// relKindMarks tag the relation rows, as kindMarks tag the spans.
var relKindMarks = map[agreement.Kind]string{
	agreement.Agree:    "✓",
	agreement.Retype:   "≠",
	agreement.Reversed: "⇄",
	agreement.Overlap:  "≈",
	agreement.OnlyA:    "A",
	agreement.OnlyB:    "B",
}

// relationInputs are a layer's relations as agreement sees them: ends by
// extent and label.
func (r *review) relationInputs(rels []storage.Relation, spans []storage.Span) []agreement.Relation {
	by := make(map[string]storage.Span, len(spans))
	for _, s := range spans {
		by[s.ID] = s
	}
	out := make([]agreement.Relation, 0, len(rels))
	for _, rel := range rels {
		from, ok1 := by[rel.From]
		to, ok2 := by[rel.To]
		if !ok1 || !ok2 {
			continue
		}
		t, _ := r.w.relTypeByID(rel.TypeID)
		span := func(s storage.Span) agreement.Span {
			return agreement.Span{ID: s.ID, Doc: r.doc.ID, Annotator: s.Annotator, Label: s.Label, Start: s.Start, End: s.End}
		}
		out = append(out, agreement.Relation{ID: rel.ID, Doc: r.doc.ID, Annotator: rel.Annotator, Type: rel.Type,
			From: span(from), To: span(to), Symmetric: t.ID != "" && !t.Directed})
	}
	return out
}

// loadRelations pairs A's relations with B's and reads gold's.
func (r *review) loadRelations(sa, sb []storage.Span) error {
	ra, err := r.w.store.Relations(r.w.ctx, r.doc.ID, r.a.ID)
	if err != nil {
		return err
	}
	rb, err := r.w.store.Relations(r.w.ctx, r.doc.ID, r.b.ID)
	if err != nil {
		return err
	}
	if r.goldR, err = r.w.store.Relations(r.w.ctx, r.doc.ID, r.gold.ID); err != nil {
		return err
	}
	r.relPairs = agreement.CompareRelations(r.relationInputs(ra, sa), r.relationInputs(rb, sb))
	r.drawn = append(append(append(r.drawn[:0], ra...), rb...), r.goldR...)
	return nil
}

// showRelations draws every relation of the three layers, named by who
// made them.
func (r *review) showRelations() {
	var vs []widgets.Relation
	styles := map[string]widgets.OutlineStyle{}
	for _, a := range []storage.Annotator{r.a, r.b, r.gold} {
		styles[a.ID] = r.w.styleOf(a)
	}
	for _, rel := range r.drawn {
		t, _ := r.w.relTypeByID(rel.TypeID)
		c, err := widgets.ParseHex(t.Color)
		if err != nil {
			c, _ = widgets.ParseHex("#555555")
		}
		vs = append(vs, widgets.Relation{ID: rel.ID, From: rel.From, To: rel.To, Label: rel.Type + " · " + rel.Annotator,
			Color: c, Directed: t.Directed, Style: styles[rel.AnnotatorID]})
	}
	r.text.SetRelations(vs)
	r.text.SetShowAllRelations(true)
}

func (r *review) relKindName(k agreement.Kind) string {
	switch k {
	case agreement.Agree:
		return "Relation: agree"
	case agreement.Retype:
		return "Relation: other type"
	case agreement.Reversed:
		return "Relation: reversed"
	case agreement.Overlap:
		return "Relation: ends overlap"
	case agreement.OnlyA:
		return "Relation only " + r.a.Name
	case agreement.OnlyB:
		return "Relation only " + r.b.Name
	}
	return "Relation: " + string(k)
}

func (r *review) describeRel(rel *agreement.Relation) string {
	if rel == nil {
		return "—"
	}
	return fmt.Sprintf("%s “%s” %s %s “%s”", rel.From.Label, clip(r.quote.Slice(rel.From.Start, rel.From.End)), rel.Type,
		rel.To.Label, clip(r.quote.Slice(rel.To.Start, rel.To.End)))
}

// goldSpanFor is the gold span that copies s (same extent and label),
// made when missing.
func (r *review) goldSpanFor(s agreement.Span) (string, error) {
	if err := r.addGold(&s); err != nil {
		return "", err
	}
	gs, err := r.w.store.Spans(r.w.ctx, r.doc.ID, r.gold.ID)
	if err != nil {
		return "", err
	}
	for _, g := range gs {
		if sameSpan(g, &s) {
			return g.ID, nil
		}
	}
	return "", fmt.Errorf("the gold copy of %s “%s” is missing", s.Label, clip(r.quote.Slice(s.Start, s.End)))
}

// addGoldRelation copies a relation into gold: its two ends first (as
// spans are accepted), then the relation between them; one there already
// is fine.
func (r *review) addGoldRelation(rel *agreement.Relation) error {
	if rel == nil {
		return nil
	}
	from, err := r.goldSpanFor(rel.From)
	if err != nil {
		return err
	}
	to, err := r.goldSpanFor(rel.To)
	if err != nil {
		return err
	}
	typeID := ""
	for _, t := range r.w.relTypes {
		if t.Name == rel.Type {
			typeID = t.ID
		}
	}
	_, err = r.w.store.Apply(r.w.ctx, storage.Edit{Kind: storage.EditCreateRelation, DocumentID: r.doc.ID,
		AnnotatorID: r.gold.ID, TypeID: typeID, From: from, To: to})
	if errors.Is(err, storage.ErrConflict) {
		return nil
	}
	return err
}

// goldRelationOf is gold's copy of rel, if any: same type, ends of the
// same extents and labels.
func (r *review) goldRelationOf(rel *agreement.Relation) (storage.Relation, bool) {
	if rel == nil {
		return storage.Relation{}, false
	}
	by := make(map[string]storage.Span, len(r.goldS))
	for _, g := range r.goldS {
		by[g.ID] = g
	}
	for _, g := range r.goldR {
		f, t := by[g.From], by[g.To]
		if g.Type != rel.Type {
			continue
		}
		if sameSpan(f, &rel.From) && sameSpan(t, &rel.To) || rel.Symmetric && sameSpan(f, &rel.To) && sameSpan(t, &rel.From) {
			return g, true
		}
	}
	return storage.Relation{}, false
}

func (r *review) relResolved(p agreement.RelPair) bool {
	_, a := r.goldRelationOf(p.A)
	_, b := r.goldRelationOf(p.B)
	return a || b
}

// acceptRel puts A's, B's or both relations of pair i into gold.
func (r *review) acceptRel(p agreement.RelPair, a, b bool) {
	var err error
	if a {
		err = r.addGoldRelation(p.A)
	}
	if b && err == nil {
		err = r.addGoldRelation(p.B)
	}
	r.decided(err)
}

// rejectRel removes from gold the relations the pair had put there (the
// spans stay: they are decided as spans).
func (r *review) rejectRel(p agreement.RelPair) {
	for _, rel := range []*agreement.Relation{p.A, p.B} {
		if g, ok := r.goldRelationOf(rel); ok {
			if _, err := r.w.store.Apply(r.w.ctx, storage.Edit{Kind: storage.EditDeleteRelation, DocumentID: r.doc.ID,
				AnnotatorID: r.gold.ID, RelationID: g.ID}); err != nil {
				r.decided(err)
				return
			}
		}
	}
	r.decided(nil)
}

// relationTapped selects the pair of a clicked arc.
func (r *review) relationTapped(id string) {
	for k, p := range r.relPairs {
		if p.A != nil && p.A.ID == id || p.B != nil && p.B.ID == id {
			r.selectPair(len(r.pairs)+k, true)
			return
		}
	}
}
