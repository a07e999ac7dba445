// Package agreement measures how far annotators agree on the spans of a
// set of documents: pairwise span F1 (exact and overlap), Cohen's kappa for
// each pair, Fleiss' kappa for three or more annotators and Krippendorff's
// nominal alpha, the last three on token-level labels. Given relations
// between spans and attribute values on them (Measure), it adds relation F1
// (exact and overlap) and, per attribute, Cohen's kappa and Krippendorff's
// alpha on the spans both annotators of a pair have. It also pairs up the
// spans, and the relations, of two annotators on one document for the
// compare view (Compare, CompareRelations).
//
// The package takes plain values (documents, spans) and imports neither
// storage nor anything graphical. docs/agreement.md gives the formulas and
// the conventions; the short version:
//
//   - Offsets are Unicode code points, end exclusive.
//   - The units of the kappas and alpha are the tokens of app/tokens. A
//     token takes the label of a span of the annotator that overlaps it by
//     at least one code point; when several do, the shortest span wins,
//     ties going to the label name that sorts first. Untagged tokens are "O".
//   - Only annotators listed on a document (or having spans on it) have
//     labels there; everyone else is missing, not "O".
//   - A statistic that divides 0 by 0 is undefined: Value.Defined is false,
//     JSON holds null, text output says "n/a".
package agreement

import (
	"slices"
	"sort"

	"gloss/app/tokens"
)

// Outside is the token label of a token no span covers.
const Outside = "O"

// Span is one labelled extent of a document by one annotator. Start and End
// are code point offsets, end exclusive.
type Span struct {
	ID        string `json:"id,omitempty"`
	Doc       string `json:"doc"`
	Annotator string `json:"annotator"`
	Label     string `json:"label"`
	Start     int    `json:"start"`
	End       int    `json:"end"`
}

// Doc is a document and who annotated it: who has spans on it, set its
// status, or holds it through an imported record (even with no spans).
// Their untagged tokens count as "O"; annotators not listed (and without
// spans on it) have no labels on it at all.
type Doc struct {
	ID         string   `json:"id"`
	Text       string   `json:"text"`
	Annotators []string `json:"annotators"`
}

// Options select what Compute measures.
type Options struct {
	// Annotators to compare, in the order pairs are reported; nil means
	// everyone seen (in Doc.Annotators or on a span), sorted by name.
	Annotators []string
	// Labels to keep; nil means all seen. Spans with other labels are
	// dropped before anything is measured, so their tokens become "O"
	// (agreement on "Claim" alone is agreement on Claim versus the rest),
	// and so are relations with an end of another label.
	Labels []string
}

// Report is the result of Compute. It marshals to JSON as is.
type Report struct {
	Annotators []string `json:"annotators"`
	Labels     []string `json:"labels"`
	// Documents and Tokens count the documents given and their tokens.
	Documents int `json:"documents"`
	Tokens    int `json:"tokens"`
	// IgnoredSpans counts spans on documents not given, or with offsets
	// that are empty, reversed or outside the text.
	IgnoredSpans int `json:"ignored_spans"`

	PerAnnotator []AnnotatorStats `json:"per_annotator"`
	Pairs        []PairReport     `json:"pairs"`
	// Fleiss is nil with fewer than three annotators.
	Fleiss *FleissKappa `json:"fleiss,omitempty"`
	Alpha  Alpha        `json:"krippendorff_alpha"`

	// IgnoredRelations counts relations on documents not given, or with
	// an end whose offsets are empty, reversed or outside the text.
	IgnoredRelations int `json:"ignored_relations,omitempty"`
	// Relations compares each pair's relations; nil (absent) when no
	// selected annotator has a relation.
	Relations []RelationPair `json:"relations,omitempty"`
	// Attributes has one report per attribute of Input.Attributes that is
	// on a label kept (nil when there are none).
	Attributes []AttributeReport `json:"attributes,omitempty"`
}

// AnnotatorStats describes one annotator's work (after the label filter).
type AnnotatorStats struct {
	Annotator string         `json:"annotator"`
	Documents int            `json:"documents"`
	Spans     int            `json:"spans"`
	Labels    map[string]int `json:"labels"`
}

// PairReport compares two annotators over the documents both annotated.
// Precision and recall take A as the reference: precision = tp/(tp+only_b),
// recall = tp/(tp+only_a).
type PairReport struct {
	A         string     `json:"a"`
	B         string     `json:"b"`
	Documents int        `json:"documents"`
	Exact     Match      `json:"exact"`
	Overlap   Match      `json:"overlap"`
	Cohen     CohenKappa `json:"cohen"`
}

// Match is span agreement under one matching rule, micro-averaged over all
// labels, and per label (labels either annotator of the pair used).
type Match struct {
	Counts
	PerLabel []LabelCounts `json:"per_label"`
}

// Counts are matched and unmatched spans and the scores they give.
type Counts struct {
	TP        int   `json:"tp"`
	OnlyA     int   `json:"only_a"`
	OnlyB     int   `json:"only_b"`
	Precision Value `json:"precision"`
	Recall    Value `json:"recall"`
	F1        Value `json:"f1"`
}

// LabelCounts are Counts for one label. When only one of the pair used the
// label at all (in the documents both annotated), its scores are undefined
// ("n/a", not 0: nothing was there to agree with) and UsedBy says who did.
type LabelCounts struct {
	Label  string `json:"label"`
	UsedBy string `json:"used_by_only,omitempty"` // "a" or "b"
	Counts
}

func newCounts(tp, onlyA, onlyB int) Counts {
	return Counts{TP: tp, OnlyA: onlyA, OnlyB: onlyB,
		Precision: ratio(float64(tp), float64(tp+onlyB)),
		Recall:    ratio(float64(tp), float64(tp+onlyA)),
		F1:        ratio(float64(2*tp), float64(2*tp+onlyA+onlyB)),
	}
}

// Compute measures agreement between the annotators of docs on spans. It is
// Measure without relations or attributes.
func Compute(docs []Doc, spans []Span, opt Options) Report {
	return Measure(Input{Docs: docs, Spans: spans}, opt)
}

// Input is what Measure measures: documents and spans, and optionally the
// relations between the spans and the attributes they carry.
type Input struct {
	Docs  []Doc
	Spans []Span
	// Relations, when there are any of a selected annotator, give
	// Report.Relations (relations.go).
	Relations []Relation
	// Attributes are the attributes to measure (Report.Attributes), Values
	// their values on the spans (attributes.go).
	Attributes []Attribute
	Values     []AttrValue
}

// Measure measures agreement between the annotators of in.Docs on spans,
// and on relations and attribute values when in has them.
func Measure(in Input, opt Options) Report {
	rep := Report{PerAnnotator: []AnnotatorStats{}, Pairs: []PairReport{}}
	ds, docIdx := readDocs(in.Docs, &rep)
	seenAnn, seenLab := attachSpans(ds, docIdx, in.Spans, opt.Labels, &rep)
	hasRel := attachRelations(ds, docIdx, in.Relations, opt.Labels, seenAnn, &rep)
	attachValues(ds, docIdx, in.Values)

	// The annotators and labels measured.
	if opt.Annotators != nil {
		rep.Annotators = dedup(opt.Annotators)
	} else {
		rep.Annotators = sortedKeys(seenAnn)
	}
	if opt.Labels != nil {
		rep.Labels = dedup(opt.Labels)
	} else {
		rep.Labels = sortedKeys(seenLab)
	}
	// Category 0 is "O"; labels follow in sorted order (a label literally
	// named "O" is the same category as untagged).
	cats := []string{Outside}
	catIdx := map[string]uint16{Outside: 0}
	for _, l := range sortedKeys(seenLab) {
		if _, ok := catIdx[l]; !ok {
			catIdx[l] = uint16(len(cats))
			cats = append(cats, l)
		}
	}
	k := len(cats)

	// Token labels per document and selected annotator; nil = missing.
	nA := len(rep.Annotators)
	for _, d := range ds {
		d.labels = make([][]uint16, nA)
		for ai, a := range rep.Annotators {
			if d.annotated[a] {
				d.labels[ai] = tokenLabels(d.toks, d.spans[a], catIdx)
			}
		}
	}

	rep.PerAnnotator = perAnnotator(ds, rep.Annotators)
	table := make([]int, k*k)
	for i := 0; i < nA; i++ {
		for j := i + 1; j < nA; j++ {
			rep.Pairs = append(rep.Pairs, comparePair(ds, rep.Annotators, i, j, k, table))
		}
	}
	if nA >= 3 {
		fk := fleissOf(ds, nA, k)
		rep.Fleiss = &fk
	}
	rep.Alpha = alphaOf(ds, nA, cats)
	if hasRel(rep.Annotators) {
		rep.Relations = relationPairs(ds, rep.Annotators)
	}
	rep.Attributes = attributeReports(ds, rep.Annotators, rep.Labels, in.Attributes)
	return rep
}

// readDocs indexes the documents (the first of an ID wins) and tokenizes
// each once.
func readDocs(docs []Doc, rep *Report) ([]*docState, map[string]int) {
	docIdx := make(map[string]int, len(docs))
	var ds []*docState
	for i := range docs {
		if _, dup := docIdx[docs[i].ID]; dup {
			continue
		}
		docIdx[docs[i].ID] = len(ds)
		ds = append(ds, &docState{doc: &docs[i], spans: map[string][]Span{}, annotated: map[string]bool{},
			rels: map[string][]Relation{}})
	}
	rep.Documents = len(ds)
	for _, d := range ds {
		d.toks = tokens.Tokenize(d.doc.Text)
		d.runes = runeCount(d.doc.Text)
		rep.Tokens += len(d.toks)
		for _, a := range d.doc.Annotators {
			d.annotated[a] = true
		}
	}
	return ds, docIdx
}

// attachSpans hands each span to its document; an annotator with spans on
// a document annotated it, whatever the label filter. It returns the
// annotators and labels seen.
func attachSpans(ds []*docState, docIdx map[string]int, spans []Span, labels []string, rep *Report) (seenAnn, seenLab map[string]bool) {
	seenAnn, seenLab = map[string]bool{}, map[string]bool{}
	for _, d := range ds {
		for a := range d.annotated {
			seenAnn[a] = true
		}
	}
	var keepLabel map[string]bool
	if labels != nil {
		keepLabel = make(map[string]bool, len(labels))
		for _, l := range labels {
			keepLabel[l] = true
		}
	}
	for _, s := range spans {
		di, ok := docIdx[s.Doc]
		if !ok || s.Start < 0 || s.End <= s.Start || s.End > ds[di].runes {
			rep.IgnoredSpans++
			continue
		}
		d := ds[di]
		d.annotated[s.Annotator] = true
		seenAnn[s.Annotator] = true
		if keepLabel != nil && !keepLabel[s.Label] {
			continue
		}
		seenLab[s.Label] = true
		d.spans[s.Annotator] = append(d.spans[s.Annotator], s)
	}
	return seenAnn, seenLab
}

// perAnnotator counts each annotator's documents, spans and labels.
func perAnnotator(ds []*docState, annotators []string) []AnnotatorStats {
	out := []AnnotatorStats{}
	for ai, a := range annotators {
		st := AnnotatorStats{Annotator: a, Labels: map[string]int{}}
		for _, d := range ds {
			if d.labels[ai] == nil {
				continue
			}
			st.Documents++
			for _, s := range d.spans[a] {
				st.Spans++
				st.Labels[s.Label]++
			}
		}
		out = append(out, st)
	}
	return out
}

// fleissOf is Fleiss' kappa over the documents every selected annotator
// annotated.
func fleissOf(ds []*docState, nA, k int) FleissKappa {
	f := newFleiss(k, nA)
	counts := make([]int, k)
	for _, d := range ds {
		if slices.ContainsFunc(d.labels, func(l []uint16) bool { return l == nil }) {
			continue
		}
		f.Documents++
		for t := range d.toks {
			clear(counts)
			for ai := range nA {
				counts[d.labels[ai][t]]++
			}
			f.add(counts)
		}
	}
	return f.result()
}

// alphaOf is Krippendorff's alpha over every token with at least two
// values, and the documents those tokens are in.
func alphaOf(ds []*docState, nA int, cats []string) Alpha {
	al := newCoincidence(len(cats))
	counts := make([]int, len(cats))
	docs := 0
	for _, d := range ds {
		m := 0
		for ai := range nA {
			if d.labels[ai] != nil {
				m++
			}
		}
		if m < 2 {
			continue
		}
		docs++
		for t := range d.toks {
			clear(counts)
			for ai := range nA {
				if l := d.labels[ai]; l != nil {
					counts[l[t]]++
				}
			}
			al.add(counts)
		}
	}
	a := al.result(cats)
	a.Documents = docs
	return a
}

type docState struct {
	doc       *Doc
	toks      []tokens.Token
	runes     int
	annotated map[string]bool
	spans     map[string][]Span     // by annotator, after the label filter
	labels    [][]uint16            // by selected annotator; nil = missing
	rels      map[string][]Relation // by annotator, after the label filter
	vals      map[valKey]string     // attribute values on spans
}

// tokenLabels gives each token the category of the shortest span
// overlapping it (ties: label name), 0 ("O") when none does.
func tokenLabels(toks []tokens.Token, spans []Span, catIdx map[string]uint16) []uint16 {
	out := make([]uint16, len(toks))
	if len(spans) == 0 || len(toks) == 0 {
		return out
	}
	order := make([]int, len(spans))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(x, y int) bool {
		a, b := spans[order[x]], spans[order[y]]
		if la, lb := a.End-a.Start, b.End-b.Start; la != lb {
			return la < lb
		}
		return a.Label < b.Label
	})
	set := make([]bool, len(toks))
	for _, i := range order {
		s := spans[i]
		c := catIdx[s.Label]
		// First token ending after the span starts.
		t := sort.Search(len(toks), func(t int) bool { return toks[t].End > s.Start })
		for ; t < len(toks) && toks[t].Start < s.End; t++ {
			if !set[t] {
				set[t] = true
				out[t] = c
			}
		}
	}
	return out
}

func comparePair(ds []*docState, anns []string, i, j, k int, table []int) PairReport {
	a, b := anns[i], anns[j]
	pr := PairReport{A: a, B: b}
	clear(table)
	exact, over := tallies{}, tallies{}
	for _, d := range ds {
		la, lb := d.labels[i], d.labels[j]
		if la == nil || lb == nil {
			continue
		}
		pr.Documents++
		for t := range la {
			table[int(la[t])*k+int(lb[t])]++
		}
		sa, sb := d.spans[a], d.spans[b]
		for _, m := range []struct {
			pairs []matched
			tally tallies
		}{{matchSpans(sa, sb, false), exact}, {matchSpans(sa, sb, true), over}} {
			for _, p := range m.pairs {
				switch {
				case p.a >= 0 && p.b >= 0:
					m.tally.get(sa[p.a].Label).tp++
				case p.a >= 0:
					m.tally.get(sa[p.a].Label).onlyA++
				default:
					m.tally.get(sb[p.b].Label).onlyB++
				}
			}
		}
	}
	build := func(m tallies) Match {
		c, per := m.build()
		return Match{Counts: c, PerLabel: per}
	}
	pr.Exact = build(exact)
	pr.Overlap = build(over)
	pr.Cohen = cohenFlat(table, k)
	return pr
}

// tally counts matched and unmatched items of one label (or type).
type tally struct{ tp, onlyA, onlyB int }

// tallies are tallies by label (or relation type).
type tallies map[string]*tally

func (m tallies) get(l string) *tally {
	t := m[l]
	if t == nil {
		t = &tally{}
		m[l] = t
	}
	return t
}

// build gives the micro-averaged counts and the counts per name, by name; a
// name only one side used has undefined scores and UsedBy set.
func (m tallies) build() (Counts, []LabelCounts) {
	var tot tally
	per := []LabelCounts{}
	for _, l := range sortedKeys(m) {
		t := m[l]
		tot.tp += t.tp
		tot.onlyA += t.onlyA
		tot.onlyB += t.onlyB
		lc := LabelCounts{Label: l, Counts: newCounts(t.tp, t.onlyA, t.onlyB)}
		if t.tp == 0 && (t.onlyA == 0) != (t.onlyB == 0) {
			lc.UsedBy = "a"
			if t.onlyA == 0 {
				lc.UsedBy = "b"
			}
			lc.Precision, lc.Recall, lc.F1 = Value{}, Value{}, Value{}
		}
		per = append(per, lc)
	}
	return newCounts(tot.tp, tot.onlyA, tot.onlyB), per
}

func runeCount(s string) int {
	n := 0
	for range s {
		n++
	}
	return n
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for key := range m {
		out = append(out, key)
	}
	sort.Strings(out)
	return out
}

func dedup(in []string) []string {
	seen := make(map[string]bool, len(in))
	out := make([]string, 0, len(in))
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
