package agreement

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// describe renders pairs as "kind A-span B-span" lines, spans as
// "Label[start,end)" and "-" for a missing side.
func describe(ps []Pair) string {
	var b strings.Builder
	f := func(s *Span) string {
		if s == nil {
			return "-"
		}
		return fmt.Sprintf("%s[%d,%d)", s.Label, s.Start, s.End)
	}
	for _, p := range ps {
		fmt.Fprintf(&b, "%s %s %s\n", p.Kind, f(p.A), f(p.B))
	}
	return b.String()
}

func TestCompare(t *testing.T) {
	s := func(label string, start, end int) Span { return Span{Label: label, Start: start, End: end} }
	cases := []struct {
		name string
		a, b []Span
		want string
	}{
		{"empty", nil, nil, ""},
		{
			"every kind",
			[]Span{s("X", 60, 65), s("X", 40, 50), s("X", 20, 30), s("X", 10, 15), s("X", 0, 5)},
			[]Span{s("Y", 70, 75), s("Y", 45, 55), s("X", 25, 35), s("Y", 10, 15), s("X", 0, 5)},
			"agree X[0,5) X[0,5)\n" +
				"label X[10,15) Y[10,15)\n" +
				"overlap X[20,30) X[25,35)\n" + // same label
				"overlap X[40,50) Y[45,55)\n" + // another label
				"only_a X[60,65) -\n" +
				"only_b - Y[70,75)\n",
		},
		{
			// Exact beats same extent: A's X pairs with B's X, B's Y is left.
			// Duplicates pair one to one.
			"duplicates",
			[]Span{s("X", 0, 10)},
			[]Span{s("Y", 0, 10), s("X", 0, 10), s("X", 0, 10)},
			"agree X[0,10) X[0,10)\n" +
				"only_b - X[0,10)\n" +
				"only_b - Y[0,10)\n",
		},
		{
			// Same label is paired before a larger overlap with another
			// label: X[0,10) takes X[8,20) (overlap 2), not Y[0,9) (9).
			"same label first",
			[]Span{s("X", 0, 10)},
			[]Span{s("Y", 0, 9), s("X", 8, 20)},
			"overlap X[0,10) X[8,20)\n" +
				"only_b - Y[0,9)\n",
		},
		{
			// Nested spans: the inner B span pairs with the inner A span
			// exactly; the outer ones overlap.
			"nested",
			[]Span{s("X", 0, 20), s("Y", 5, 8)},
			[]Span{s("Y", 5, 8), s("X", 0, 18)},
			"overlap X[0,20) X[0,18)\n" +
				"agree Y[5,8) Y[5,8)\n",
		},
		{
			// Touching is not overlapping (end exclusive).
			"touching",
			[]Span{s("X", 0, 5)},
			[]Span{s("X", 5, 9)},
			"only_a X[0,5) -\n" +
				"only_b - X[5,9)\n",
		},
	}
	for _, c := range cases {
		got := Compare(c.a, c.b)
		if d := describe(got); d != c.want {
			t.Errorf("%s:\n%s\nwant:\n%s", c.name, d, c.want)
		}
		// Every span exactly once, pointing into the inputs.
		seen := map[*Span]int{}
		for _, p := range got {
			if p.A != nil {
				seen[p.A]++
			}
			if p.B != nil {
				seen[p.B]++
			}
		}
		for i := range c.a {
			if seen[&c.a[i]] != 1 {
				t.Errorf("%s: a[%d] appears %d times", c.name, i, seen[&c.a[i]])
			}
		}
		for i := range c.b {
			if seen[&c.b[i]] != 1 {
				t.Errorf("%s: b[%d] appears %d times", c.name, i, seen[&c.b[i]])
			}
		}
	}
}

// TestCompareRandom checks invariants on random span sets: every span in
// exactly one pair, kinds consistent with the spans, pairs sorted, the
// agree count equal to exact F1's tp, and overlap tp ≥ exact tp.
func TestCompareRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	labels := []string{"X", "Y", "Z"}
	gen := func(n int) []Span {
		out := make([]Span, n)
		for i := range out {
			s := r.IntN(40)
			out[i] = Span{Label: labels[r.IntN(len(labels))], Start: s, End: s + 1 + r.IntN(8)}
		}
		return out
	}
	for iter := range 2000 {
		a, b := gen(r.IntN(8)), gen(r.IntN(8))
		ps := Compare(a, b)
		seen := map[*Span]int{}
		agree := 0
		for k, p := range ps {
			if p.A != nil {
				seen[p.A]++
			}
			if p.B != nil {
				seen[p.B]++
			}
			var ok bool
			switch p.Kind {
			case Agree:
				agree++
				ok = p.A != nil && p.B != nil && *p.A == *p.B
			case Relabel:
				ok = p.A != nil && p.B != nil && p.A.Start == p.B.Start && p.A.End == p.B.End && p.A.Label != p.B.Label
			case Overlap:
				ok = p.A != nil && p.B != nil && p.A.Start < p.B.End && p.B.Start < p.A.End &&
					(p.A.Start != p.B.Start || p.A.End != p.B.End)
			case OnlyA:
				ok = p.A != nil && p.B == nil
			case OnlyB:
				ok = p.A == nil && p.B != nil
			}
			if !ok {
				t.Fatalf("iter %d: bad pair %s %+v %+v", iter, p.Kind, p.A, p.B)
			}
			if k > 0 {
				s0, _ := extent(ps[k-1])
				s1, _ := extent(p)
				if s1 < s0 {
					t.Fatalf("iter %d: not sorted:\n%s", iter, describe(ps))
				}
			}
		}
		if len(seen) != len(a)+len(b) {
			t.Fatalf("iter %d: %d spans paired of %d", iter, len(seen), len(a)+len(b))
		}
		for _, n := range seen {
			if n != 1 {
				t.Fatalf("iter %d: a span appears %d times", iter, n)
			}
		}
		exact, over := 0, 0
		for _, m := range matchSpans(a, b, false) {
			if m.a >= 0 && m.b >= 0 {
				exact++
			}
		}
		for _, m := range matchSpans(a, b, true) {
			if m.a >= 0 && m.b >= 0 {
				over++
			}
		}
		if agree != exact || over < exact {
			t.Fatalf("iter %d: agree %d exact %d overlap %d", iter, agree, exact, over)
		}
	}
}
