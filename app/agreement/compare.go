package agreement

import (
	"cmp"
	"slices"
)

// Kind says how the spans of a Pair relate.
type Kind string

// The kinds of Pair, in the order Compare looks for them.
const (
	Agree   Kind = "agree"   // same start, end and label
	Relabel Kind = "label"   // same extent, another label
	Overlap Kind = "overlap" // overlapping extents (same label or not)
	OnlyA   Kind = "only_a"  // a span of A left unpaired
	OnlyB   Kind = "only_b"  // a span of B left unpaired
)

// Pair is one span of annotator A and/or one of annotator B. A is nil for
// OnlyB, B for OnlyA.
type Pair struct {
	Kind Kind  `json:"kind"`
	A    *Span `json:"a,omitempty"`
	B    *Span `json:"b,omitempty"`
}

// Compare pairs the spans two annotators made on one document. Every span
// appears in exactly one pair; A and B point into a and b. Pairs are made in
// passes, each over the spans still unpaired:
//
//  1. agree: same start, end and label;
//  2. label: same start and end, another label;
//  3. overlap with the same label, greedily by largest overlap (in code
//     points), ties going to the pair whose ends differ least, then to
//     position;
//  4. overlap with another label, the same way;
//  5. what is left is only_a or only_b.
//
// The result is sorted by position: the smallest start in the pair, then
// the largest end, then kind, then the labels.
func Compare(a, b []Span) []Pair {
	ms := match(a, b, true, true)
	out := make([]Pair, len(ms))
	for i, m := range ms {
		p := Pair{Kind: m.kind}
		if m.a >= 0 {
			p.A = &a[m.a]
		}
		if m.b >= 0 {
			p.B = &b[m.b]
		}
		out[i] = p
	}
	slices.SortStableFunc(out, func(x, y Pair) int {
		xs, xe := extent(x)
		ys, ye := extent(y)
		return cmp.Or(cmp.Compare(xs, ys), cmp.Compare(ye, xe),
			cmp.Compare(kindOrder(x.Kind), kindOrder(y.Kind)),
			cmp.Compare(label(x.A), label(y.A)), cmp.Compare(label(x.B), label(y.B)))
	})
	return out
}

func extent(p Pair) (start, end int) {
	switch {
	case p.A == nil:
		return p.B.Start, p.B.End
	case p.B == nil:
		return p.A.Start, p.A.End
	}
	return min(p.A.Start, p.B.Start), max(p.A.End, p.B.End)
}

func label(s *Span) string {
	if s == nil {
		return ""
	}
	return s.Label
}

func kindOrder(k Kind) int {
	switch k {
	case Agree:
		return 0
	case Relabel:
		return 1
	case Retype:
		return 2
	case Reversed:
		return 3
	case Overlap:
		return 4
	case OnlyA:
		return 5
	}
	return 6
}

// matched is a pairing by index; -1 for a missing side.
type matched struct {
	a, b int
	kind Kind
}

// matchSpans pairs spans for F1: exact (same start, end, label) or, with
// overlap, same label and overlapping extents, greedily by largest overlap.
// Unmatched spans come back with the other side -1.
func matchSpans(a, b []Span, overlap bool) []matched {
	return match(a, b, overlap, false)
}

// match runs the passes Compare documents. Without all (F1) it runs pass 1,
// and pass 3 too when overlap is set; with all (Compare) every pass.
func match(a, b []Span, overlap, all bool) []matched {
	out := make([]matched, 0, max(len(a), len(b)))
	usedA := make([]bool, len(a))
	usedB := make([]bool, len(b))
	pair := func(i, j int, k Kind) {
		usedA[i], usedB[j] = true, true
		out = append(out, matched{i, j, k})
	}
	// Indices sorted by position, so ties are decided by position.
	ia := sortedIdx(a)
	ib := sortedIdx(b)

	// Pass 1: exact. Pass 2 (all): same extent, another label.
	type ext struct{ s, e int }
	byExt := make(map[ext][]int, len(b))
	for _, j := range ib {
		k := ext{b[j].Start, b[j].End}
		byExt[k] = append(byExt[k], j)
	}
	for _, i := range ia {
		for _, j := range byExt[ext{a[i].Start, a[i].End}] {
			if !usedB[j] && b[j].Label == a[i].Label {
				pair(i, j, Agree)
				break
			}
		}
	}
	if all {
		for _, i := range ia {
			if usedA[i] {
				continue
			}
			for _, j := range byExt[ext{a[i].Start, a[i].End}] {
				if !usedB[j] {
					pair(i, j, Relabel)
					break
				}
			}
		}
	}

	// Pass 3: overlap, same label. Pass 4 (all): overlap, any label.
	if overlap {
		greedy(a, b, ia, ib, usedA, usedB, true, func(i, j int) { pair(i, j, Overlap) })
		if all {
			greedy(a, b, ia, ib, usedA, usedB, false, func(i, j int) { pair(i, j, Overlap) })
		}
	}

	for _, i := range ia {
		if !usedA[i] {
			out = append(out, matched{i, -1, OnlyA})
		}
	}
	for _, j := range ib {
		if !usedB[j] {
			out = append(out, matched{-1, j, OnlyB})
		}
	}
	return out
}

func sortedIdx(s []Span) []int {
	idx := make([]int, len(s))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(x, y int) int {
		return cmp.Or(cmp.Compare(s[x].Start, s[y].Start), cmp.Compare(s[x].End, s[y].End),
			cmp.Compare(s[x].Label, s[y].Label))
	})
	return idx
}

// greedy pairs unused overlapping spans, largest overlap first; ties go to
// the smaller |Δstart|+|Δend|, then to the earlier A span, then B span (in
// position order).
func greedy(a, b []Span, ia, ib []int, usedA, usedB []bool, sameLabel bool, pair func(i, j int)) {
	type cand struct{ ov, dist, pa, pb int }
	var cs []cand
	// ib is sorted by start: stop scanning once a B span starts at or after
	// A's end.
	for pa, i := range ia {
		if usedA[i] {
			continue
		}
		for pb, j := range ib {
			if b[j].Start >= a[i].End {
				break
			}
			if usedB[j] || sameLabel && a[i].Label != b[j].Label {
				continue
			}
			ov := min(a[i].End, b[j].End) - max(a[i].Start, b[j].Start)
			if ov <= 0 {
				continue
			}
			cs = append(cs, cand{ov, abs(a[i].Start-b[j].Start) + abs(a[i].End-b[j].End), pa, pb})
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

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
