package agreement

import (
	"fmt"
	"reflect"
	"testing"
)

// fuzzSpans turns bytes into spans, three bytes a span: start, length
// (0..15) and label (one of four).
func fuzzSpans(b []byte, who string) []Span {
	var out []Span
	for i := 0; i+2 < len(b); i += 3 {
		s := int(b[i] % 64)
		out = append(out, Span{ID: fmt.Sprintf("%s%d", who, i/3), Doc: "d", Annotator: who,
			Label: string(rune('A' + b[i+2]%4)), Start: s, End: s + int(b[i+1]%16)})
	}
	return out
}

// FuzzCompare checks Compare's promises: every span of A and of B is in
// exactly one pair; each pair's kind fits its spans (agree: same extent
// and label; label: same extent, another label; overlap: overlapping
// extents; only_a/only_b: one side); every exact match is paired as agree
// (as many as the two multisets share); the pairs are sorted by position;
// and the answer does not change from one call to the next.
func FuzzCompare(f *testing.F) {
	f.Add([]byte{0, 5, 0, 10, 3, 1}, []byte{0, 5, 0, 10, 3, 2})
	f.Add([]byte{0, 5, 0, 2, 5, 0, 0, 5, 0}, []byte{1, 5, 0, 0, 5, 0})
	f.Add([]byte{3, 0, 1, 3, 0, 1}, []byte{3, 0, 1})
	f.Add([]byte{}, []byte{7, 7, 7})
	f.Fuzz(func(t *testing.T, ab, bb []byte) {
		a, b := fuzzSpans(ab, "a"), fuzzSpans(bb, "b")
		pairs := Compare(a, b)
		seenA := make([]int, len(a))
		seenB := make([]int, len(b))
		agree := 0
		for k, p := range pairs {
			if p.A == nil && p.B == nil {
				t.Fatalf("pair %d is empty", k)
			}
			if p.A != nil {
				seenA[index(t, a, p.A)]++
			}
			if p.B != nil {
				seenB[index(t, b, p.B)]++
			}
			switch p.Kind {
			case Agree:
				agree++
				if p.A == nil || p.B == nil || p.A.Start != p.B.Start || p.A.End != p.B.End || p.A.Label != p.B.Label {
					t.Fatalf("agree pair %+v %+v", p.A, p.B)
				}
			case Relabel:
				if p.A == nil || p.B == nil || p.A.Start != p.B.Start || p.A.End != p.B.End || p.A.Label == p.B.Label {
					t.Fatalf("label pair %+v %+v", p.A, p.B)
				}
			case Overlap:
				if p.A == nil || p.B == nil || !(p.A.Start < p.B.End && p.B.Start < p.A.End) {
					t.Fatalf("overlap pair %+v %+v", p.A, p.B)
				}
			case OnlyA:
				if p.A == nil || p.B != nil {
					t.Fatalf("only_a pair %+v %+v", p.A, p.B)
				}
			case OnlyB:
				if p.B == nil || p.A != nil {
					t.Fatalf("only_b pair %+v %+v", p.A, p.B)
				}
			default:
				t.Fatalf("unknown kind %q", p.Kind)
			}
			if k > 0 {
				ps, pe := extent(pairs[k-1])
				s, e := extent(p)
				if s < ps || s == ps && e > pe {
					t.Fatalf("pairs %d and %d out of order: [%d,%d) then [%d,%d)", k-1, k, ps, pe, s, e)
				}
			}
		}
		for i, n := range seenA {
			if n != 1 {
				t.Fatalf("span %+v of A is in %d pairs", a[i], n)
			}
		}
		for i, n := range seenB {
			if n != 1 {
				t.Fatalf("span %+v of B is in %d pairs", b[i], n)
			}
		}
		type key struct {
			s, e int
			l    string
		}
		count := map[key]int{}
		for _, s := range a {
			count[key{s.Start, s.End, s.Label}]++
		}
		shared := 0
		for _, s := range b {
			if k := (key{s.Start, s.End, s.Label}); count[k] > 0 {
				count[k]--
				shared++
			}
		}
		if agree != shared {
			t.Fatalf("%d agree pairs, but A and B share %d spans", agree, shared)
		}
		if again := Compare(a, b); !reflect.DeepEqual(again, pairs) {
			t.Fatalf("Compare is not deterministic")
		}
	})
}

// index is the position of p in s (p must point into s).
func index(t *testing.T, s []Span, p *Span) int {
	t.Helper()
	for i := range s {
		if &s[i] == p {
			return i
		}
	}
	t.Fatalf("span %+v does not point into the input", *p)
	return -1
}
