package agreement

import (
	"cmp"
	"slices"
)

// Relation is a typed link from one span to another, made by one annotator
// on one document. From and To are the end spans by value: their Label,
// Start and End are what is compared (their ID, Doc and Annotator are not
// read). Symmetric says the type has no direction, so From and To may be
// swapped.
type Relation struct {
	ID        string `json:"id,omitempty"`
	Doc       string `json:"doc"`
	Annotator string `json:"annotator"`
	Type      string `json:"type"`
	From      Span   `json:"from"`
	To        Span   `json:"to"`
	Symmetric bool   `json:"symmetric,omitempty"`
}

// RelationPair compares two annotators' relations over the documents both
// annotated (Documents, the same as the span pair's). A is the reference,
// as for spans.
type RelationPair struct {
	A         string `json:"a"`
	B         string `json:"b"`
	Documents int    `json:"documents"`
	// Exact: same type and both ends the same extent and label (either
	// way round for a symmetric type). Overlap: the exact matches, then
	// relations of the same type whose ends overlap the other's ends.
	Exact   RelationMatch `json:"exact"`
	Overlap RelationMatch `json:"overlap"`
}

// RelationMatch is relation agreement under one rule, micro-averaged over
// the types, and per type (types either annotator of the pair used).
type RelationMatch struct {
	Counts
	PerType []TypeCounts `json:"per_type"`
}

// TypeCounts are Counts for one relation type; UsedBy as for LabelCounts.
type TypeCounts struct {
	Type   string `json:"type"`
	UsedBy string `json:"used_by_only,omitempty"` // "a" or "b"
	Counts
}

// The kinds of RelPair that spans do not have.
const (
	Retype   Kind = "type"     // same ends, another type
	Reversed Kind = "reversed" // same ends swapped, same directed type
)

// RelPair is one relation of annotator A and/or one of annotator B. A is
// nil for OnlyB, B for OnlyA.
type RelPair struct {
	Kind Kind      `json:"kind"`
	A    *Relation `json:"a,omitempty"`
	B    *Relation `json:"b,omitempty"`
}

// CompareRelations pairs the relations two annotators made on one
// document. Every relation appears in exactly one pair; A and B point into
// a and b. Two ends are the same when they have the same start, end and
// label; the order of the ends does not count when either relation is
// symmetric. Pairs are made in passes over the relations still unpaired:
//
//  1. agree: same type, same ends;
//  2. type: same ends, another type;
//  3. reversed: same directed type, the ends swapped;
//  4. overlap: same type, each end overlapping the other's (in order, or
//     either way round when symmetric; labels are not compared), greedily
//     by the largest sum of the two overlaps, ties going to the pair whose
//     ends differ least, then to position;
//  5. what is left is only_a or only_b.
//
// The result is sorted by position: the smallest start of an end in the
// pair, then the largest end, then kind, then the types.
func CompareRelations(a, b []Relation) []RelPair {
	ms := matchRelations(a, b, true, true)
	out := make([]RelPair, len(ms))
	for i, m := range ms {
		p := RelPair{Kind: m.kind}
		if m.a >= 0 {
			p.A = &a[m.a]
		}
		if m.b >= 0 {
			p.B = &b[m.b]
		}
		out[i] = p
	}
	slices.SortStableFunc(out, func(x, y RelPair) int {
		xs, xe := relPairExtent(x)
		ys, ye := relPairExtent(y)
		return cmp.Or(cmp.Compare(xs, ys), cmp.Compare(ye, xe),
			cmp.Compare(kindOrder(x.Kind), kindOrder(y.Kind)),
			cmp.Compare(relType(x.A), relType(y.A)), cmp.Compare(relType(x.B), relType(y.B)))
	})
	return out
}

func relPairExtent(p RelPair) (start, end int) {
	start, end = -1, -1
	for _, r := range []*Relation{p.A, p.B} {
		if r == nil {
			continue
		}
		for _, s := range []Span{r.From, r.To} {
			if start < 0 || s.Start < start {
				start = s.Start
			}
			end = max(end, s.End)
		}
	}
	return start, end
}

func relType(r *Relation) string {
	if r == nil {
		return ""
	}
	return r.Type
}

// end is a relation end as compared: extent and label.
type end struct {
	start, end int
	label      string
}

func endOf(s Span) end { return end{s.Start, s.End, s.Label} }

func compareEnds(x, y end) int {
	return cmp.Or(cmp.Compare(x.start, y.start), cmp.Compare(x.end, y.end), cmp.Compare(x.label, y.label))
}

// unordered is a relation's two ends, the smaller first: an index key that
// holds whichever way round the ends are.
func unordered(r Relation) [2]end {
	f, t := endOf(r.From), endOf(r.To)
	if compareEnds(t, f) < 0 {
		f, t = t, f
	}
	return [2]end{f, t}
}

// sameEnds says whether x and y link the same ends in the same order, or
// swapped when either is symmetric.
func sameEnds(x, y Relation) bool {
	if endOf(x.From) == endOf(y.From) && endOf(x.To) == endOf(y.To) {
		return true
	}
	return (x.Symmetric || y.Symmetric) && swapped(x, y)
}

func swapped(x, y Relation) bool {
	return endOf(x.From) == endOf(y.To) && endOf(x.To) == endOf(y.From)
}

// relMatched is a pairing of relations by index; -1 for a missing side.
type relMatched struct {
	a, b int
	kind Kind
}

// matchRelations runs the passes CompareRelations documents. Without all
// (F1) it runs pass 1, and pass 4 too when overlap is set; with all
// (CompareRelations) every pass.
func matchRelations(a, b []Relation, overlap, all bool) []relMatched {
	out := make([]relMatched, 0, max(len(a), len(b)))
	usedA := make([]bool, len(a))
	usedB := make([]bool, len(b))
	pair := func(i, j int, k Kind) {
		usedA[i], usedB[j] = true, true
		out = append(out, relMatched{i, j, k})
	}
	ia, ib := sortedRelIdx(a), sortedRelIdx(b)
	byEnds := make(map[[2]end][]int, len(b))
	for _, j := range ib {
		k := unordered(b[j])
		byEnds[k] = append(byEnds[k], j)
	}
	pass := func(kind Kind, fits func(x, y Relation) bool) {
		for _, i := range ia {
			if usedA[i] {
				continue
			}
			for _, j := range byEnds[unordered(a[i])] {
				if !usedB[j] && fits(a[i], b[j]) {
					pair(i, j, kind)
					break
				}
			}
		}
	}
	pass(Agree, func(x, y Relation) bool { return x.Type == y.Type && sameEnds(x, y) })
	if all {
		pass(Retype, func(x, y Relation) bool { return x.Type != y.Type && sameEnds(x, y) })
		pass(Reversed, func(x, y Relation) bool {
			return x.Type == y.Type && !x.Symmetric && !y.Symmetric && swapped(x, y)
		})
	}
	if overlap {
		greedyRelations(a, b, ia, ib, usedA, usedB, func(i, j int) { pair(i, j, Overlap) })
	}
	for _, i := range ia {
		if !usedA[i] {
			out = append(out, relMatched{i, -1, OnlyA})
		}
	}
	for _, j := range ib {
		if !usedB[j] {
			out = append(out, relMatched{-1, j, OnlyB})
		}
	}
	return out
}

// sortedRelIdx orders relations by position: the earlier end, the From
// end, the To end, the type.
func sortedRelIdx(r []Relation) []int {
	idx := make([]int, len(r))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(x, y int) int {
		kx, ky := unordered(r[x]), unordered(r[y])
		return cmp.Or(compareEnds(kx[0], ky[0]), compareEnds(endOf(r[x].From), endOf(r[y].From)),
			compareEnds(endOf(r[x].To), endOf(r[y].To)), cmp.Compare(r[x].Type, r[y].Type))
	})
	return idx
}

// relOverlap is how far x and y of the same type overlap: the sum of the
// overlaps of their ends (both must overlap, in order or, when either is
// symmetric, swapped; the better way round counts) and how far the ends
// differ (Σ |Δstart| + |Δend|). ok is false when they do not overlap.
func relOverlap(x, y Relation) (ov, dist int, ok bool) {
	try := func(yf, yt Span) {
		o1, o2 := spanOverlap(x.From, yf), spanOverlap(x.To, yt)
		if o1 <= 0 || o2 <= 0 {
			return
		}
		d := abs(x.From.Start-yf.Start) + abs(x.From.End-yf.End) + abs(x.To.Start-yt.Start) + abs(x.To.End-yt.End)
		if !ok || o1+o2 > ov || o1+o2 == ov && d < dist {
			ov, dist, ok = o1+o2, d, true
		}
	}
	try(y.From, y.To)
	if x.Symmetric || y.Symmetric {
		try(y.To, y.From)
	}
	return ov, dist, ok
}

func spanOverlap(x, y Span) int { return min(x.End, y.End) - max(x.Start, y.Start) }

// greedyRelations pairs unused relations of the same type whose ends
// overlap, largest overlap first (see relOverlap); ties go to the smaller
// distance, then the earlier A relation, then B relation (in position
// order).
func greedyRelations(a, b []Relation, ia, ib []int, usedA, usedB []bool, pair func(i, j int)) {
	type cand struct{ ov, dist, pa, pb int }
	var cs []cand
	for pa, i := range ia {
		if usedA[i] {
			continue
		}
		for pb, j := range ib {
			if usedB[j] || a[i].Type != b[j].Type {
				continue
			}
			if ov, dist, ok := relOverlap(a[i], b[j]); ok {
				cs = append(cs, cand{ov, dist, pa, pb})
			}
		}
	}
	slices.SortFunc(cs, func(x, y cand) int {
		return cmp.Or(cmp.Compare(y.ov, x.ov), cmp.Compare(x.dist, y.dist),
			cmp.Compare(x.pa, y.pa), cmp.Compare(x.pb, y.pb))
	})
	for _, c := range cs {
		i, j := ia[c.pa], ib[c.pb]
		if !usedA[i] && !usedB[j] {
			pair(i, j)
		}
	}
}

// attachRelations hands each relation to its document: the document must
// be given and both ends valid offsets into its text (else it is counted
// in IgnoredRelations), and both end labels kept by the label filter (else
// it is dropped, as its spans are). A relation marks its annotator as
// having annotated the document, as a span does. has says whether one of
// the given annotators has a relation left.
func attachRelations(ds []*docState, docIdx map[string]int, rels []Relation, labels []string, seenAnn map[string]bool, rep *Report) (has func(annotators []string) bool) {
	var keep map[string]bool
	if labels != nil {
		keep = make(map[string]bool, len(labels))
		for _, l := range labels {
			keep[l] = true
		}
	}
	who := map[string]bool{}
	for _, r := range rels {
		di, ok := docIdx[r.Doc]
		if !ok || !validSpan(r.From, ds[di].runes) || !validSpan(r.To, ds[di].runes) {
			rep.IgnoredRelations++
			continue
		}
		d := ds[di]
		d.annotated[r.Annotator] = true
		seenAnn[r.Annotator] = true
		if keep != nil && (!keep[r.From.Label] || !keep[r.To.Label]) {
			continue
		}
		d.rels[r.Annotator] = append(d.rels[r.Annotator], r)
		who[r.Annotator] = true
	}
	return func(annotators []string) bool {
		return slices.ContainsFunc(annotators, func(a string) bool { return who[a] })
	}
}

func validSpan(s Span, runes int) bool { return s.Start >= 0 && s.End > s.Start && s.End <= runes }

// relationPairs compares the relations of every pair of annotators.
func relationPairs(ds []*docState, anns []string) []RelationPair {
	out := []RelationPair{}
	for i := range anns {
		for j := i + 1; j < len(anns); j++ {
			out = append(out, relationPair(ds, anns, i, j))
		}
	}
	return out
}

func relationPair(ds []*docState, anns []string, i, j int) RelationPair {
	a, b := anns[i], anns[j]
	rp := RelationPair{A: a, B: b}
	exact, over := tallies{}, tallies{}
	for _, d := range ds {
		if d.labels[i] == nil || d.labels[j] == nil {
			continue
		}
		rp.Documents++
		ra, rb := d.rels[a], d.rels[b]
		for _, m := range []struct {
			pairs []relMatched
			tally tallies
		}{{matchRelations(ra, rb, false, false), exact}, {matchRelations(ra, rb, true, false), over}} {
			for _, p := range m.pairs {
				switch {
				case p.a >= 0 && p.b >= 0:
					m.tally.get(ra[p.a].Type).tp++
				case p.a >= 0:
					m.tally.get(ra[p.a].Type).onlyA++
				default:
					m.tally.get(rb[p.b].Type).onlyB++
				}
			}
		}
	}
	build := func(m tallies) RelationMatch {
		c, per := m.build()
		out := RelationMatch{Counts: c, PerType: make([]TypeCounts, len(per))}
		for k, lc := range per {
			out.PerType[k] = TypeCounts{Type: lc.Label, UsedBy: lc.UsedBy, Counts: lc.Counts}
		}
		return out
	}
	rp.Exact = build(exact)
	rp.Overlap = build(over)
	return rp
}
