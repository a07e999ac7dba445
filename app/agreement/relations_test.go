package agreement

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func rel(ann, typ string, from, to Span, symmetric bool) Relation {
	return Relation{Doc: "d", Annotator: ann, Type: typ, From: from, To: to, Symmetric: symmetric}
}

// relationFixture: one document (letters(20)) both A and B annotated.
// Ends: X Claim[0,5), Y Figure[10,15), Z Claim[20,25), W Figure[30,35),
// and B's W2 Figure[31,36) that overlaps W.
//
//	A                    B
//	supports Y→X         supports Y→X          exact
//	same X–Z (symm.)     same Z–X (swapped)    exact: symmetric
//	supports Y→Z         supports Z→Y          no match: directed, reversed
//	supports W→Z         supports W2→Z         overlap only
//	                     attacks X→Y           only B
func relationFixture() ([]Doc, []Span, []Relation) {
	doc := Doc{ID: "d", Text: letters(20), Annotators: []string{"A", "B"}}
	x, y, z := sp("d", "", "Claim", 0, 5), sp("d", "", "Figure", 10, 15), sp("d", "", "Claim", 20, 25)
	w, w2 := sp("d", "", "Figure", 30, 35), sp("d", "", "Figure", 31, 36)
	var spans []Span
	for _, s := range []Span{x, y, z, w} {
		s.Annotator = "A"
		spans = append(spans, s)
	}
	for _, s := range []Span{x, y, z, w2} {
		s.Annotator = "B"
		spans = append(spans, s)
	}
	rels := []Relation{
		rel("A", "supports", y, x, false), rel("A", "same", x, z, true),
		rel("A", "supports", y, z, false), rel("A", "supports", w, z, false),
		rel("B", "supports", y, x, false), rel("B", "same", z, x, true),
		rel("B", "supports", z, y, false), rel("B", "supports", w2, z, false),
		rel("B", "attacks", x, y, false),
	}
	return []Doc{doc}, spans, rels
}

func relPair(t *testing.T, r Report, a, b string) RelationPair {
	t.Helper()
	for _, p := range r.Relations {
		if p.A == a && p.B == b {
			return p
		}
	}
	t.Fatalf("no relation pair %s/%s in %+v", a, b, r.Relations)
	return RelationPair{}
}

func perType(t *testing.T, m RelationMatch, typ string) TypeCounts {
	t.Helper()
	for _, tc := range m.PerType {
		if tc.Type == typ {
			return tc
		}
	}
	t.Fatalf("no type %s in %+v", typ, m.PerType)
	return TypeCounts{}
}

func TestRelationF1(t *testing.T) {
	docs, spans, rels := relationFixture()
	r := Measure(Input{Docs: docs, Spans: spans, Relations: rels}, Options{})
	p := relPair(t, r, "A", "B")
	if p.Documents != 1 {
		t.Errorf("documents %d", p.Documents)
	}
	// Exact: tp 2 (supports Y→X; same X–Z against Z–X), only A 2 (Y→Z,
	// W→Z), only B 3 (Z→Y, W2→Z, attacks): P = 2/5, R = 2/4, F1 = 4/9.
	checkCounts(t, "exact", p.Exact.Counts, 2, 2, 3, 0.4, 0.5, 4.0/9)
	// supports: tp 1, 2, 2: F1 2/6. same: 1, 0, 0. attacks: only B used it.
	checkCounts(t, "exact supports", perType(t, p.Exact, "supports").Counts, 1, 2, 2, 1.0/3, 1.0/3, 1.0/3)
	checkCounts(t, "exact same", perType(t, p.Exact, "same").Counts, 1, 0, 0, 1, 1, 1)
	if at := perType(t, p.Exact, "attacks"); at.UsedBy != "b" || at.F1.Defined || at.OnlyB != 1 {
		t.Errorf("attacks: %+v", at)
	}
	// Overlap adds W→Z / W2→Z (not the reversed Y→Z / Z→Y): tp 3, 1, 2:
	// P = 3/5, R = 3/4, F1 = 6/9.
	checkCounts(t, "overlap", p.Overlap.Counts, 3, 1, 2, 0.6, 0.75, 2.0/3)
	checkCounts(t, "overlap supports", perType(t, p.Overlap, "supports").Counts, 2, 1, 1, 2.0/3, 2.0/3, 2.0/3)

	// A label filter drops relations with a filtered end: Claim keeps only
	// the "same" relations, which agree.
	r = Measure(Input{Docs: docs, Spans: spans, Relations: rels}, Options{Labels: []string{"Claim"}})
	p = relPair(t, r, "A", "B")
	checkCounts(t, "Claim only", p.Exact.Counts, 1, 0, 0, 1, 1, 1)
	if len(p.Exact.PerType) != 1 {
		t.Errorf("per type %+v", p.Exact.PerType)
	}

	// Relations on an unknown document or with bad offsets are ignored.
	bad := append([]Relation{}, rels...)
	bad = append(bad, Relation{Doc: "nope", Annotator: "A", Type: "supports", From: spans[0], To: spans[1]},
		rel("A", "supports", sp("d", "A", "Claim", 30, 99), spans[0], false))
	if r := Measure(Input{Docs: docs, Spans: spans, Relations: bad}, Options{}); r.IgnoredRelations != 2 ||
		relPair(t, r, "A", "B").Exact.TP != 2 {
		t.Errorf("ignored %d", r.IgnoredRelations)
	}
}

func TestRelationsAbsent(t *testing.T) {
	docs, spans, rels := relationFixture()
	// Relations of an annotator not selected give no relation report.
	var onlyC []Relation
	for _, r := range rels {
		r.Annotator = "C"
		onlyC = append(onlyC, r)
	}
	for name, in := range map[string]Input{
		"none":             {Docs: docs, Spans: spans},
		"not selected":     {Docs: docs, Spans: spans, Relations: onlyC},
		"attribute unused": {Docs: docs, Spans: spans, Attributes: []Attribute{{Name: "Q", Kind: AttrFlag, Labels: []string{"Proposal"}}}},
	} {
		r := Measure(in, Options{Annotators: []string{"A", "B"}})
		if r.Relations != nil || r.Attributes != nil {
			t.Errorf("%s: relations %+v attributes %+v", name, r.Relations, r.Attributes)
		}
		var got, want bytes.Buffer
		if err := r.WriteText(&got); err != nil {
			t.Fatal(err)
		}
		if err := Compute(docs, spans, Options{Annotators: []string{"A", "B"}}).WriteText(&want); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%s: text differs:\n%s\nwant:\n%s", name, got.String(), want.String())
		}
		b, _ := json.Marshal(r)
		if bytes.Contains(b, []byte(`"relations"`)) || bytes.Contains(b, []byte(`"attributes"`)) {
			t.Errorf("%s: JSON has relations or attributes: %s", name, b)
		}
	}
}

func TestRelationOutputs(t *testing.T) {
	docs, spans, rels := relationFixture()
	r := Measure(Input{Docs: docs, Spans: spans, Relations: rels}, Options{})
	var text bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Relation F1", "n/a (only B used it)"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	var csvOut bytes.Buffer
	if err := r.WriteCSV(&csvOut); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"relation_exact.tp,A,B,,2\n", "relation_overlap.f1,A,B,supports,0.666666666667\n", "relation.documents,A,B,,1\n"} {
		if !strings.Contains(csvOut.String(), want) {
			t.Errorf("csv lacks %q:\n%s", want, csvOut.String())
		}
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(b, &back); err != nil || back.Relations[0].Exact.F1 != r.Relations[0].Exact.F1 ||
		back.Relations[0].Overlap.PerType[0].Type != "attacks" {
		t.Errorf("round trip: %v %+v", err, back.Relations)
	}
}

// describeRels renders relation pairs as "kind A B" lines, a relation as
// "type(from>to)" with ends "Label[start,end)" ("~" between symmetric ends).
func describeRels(ps []RelPair) string {
	var b strings.Builder
	f := func(r *Relation) string {
		if r == nil {
			return "-"
		}
		arrow := ">"
		if r.Symmetric {
			arrow = "~"
		}
		return fmt.Sprintf("%s(%s[%d,%d)%s%s[%d,%d))", r.Type, r.From.Label, r.From.Start, r.From.End, arrow,
			r.To.Label, r.To.Start, r.To.End)
	}
	for _, p := range ps {
		fmt.Fprintf(&b, "%s %s %s\n", p.Kind, f(p.A), f(p.B))
	}
	return b.String()
}

func TestCompareRelations(t *testing.T) {
	s := func(label string, start, end int) Span { return Span{Label: label, Start: start, End: end} }
	x, y := s("X", 0, 5), s("Y", 10, 15)
	r := func(typ string, from, to Span) Relation { return Relation{Type: typ, From: from, To: to} }
	sym := func(typ string, from, to Span) Relation {
		return Relation{Type: typ, From: from, To: to, Symmetric: true}
	}
	cases := []struct {
		name string
		a, b []Relation
		want string
	}{
		{"empty", nil, nil, ""},
		{"agree", []Relation{r("s", x, y)}, []Relation{r("s", x, y)}, "agree s(X[0,5)>Y[10,15)) s(X[0,5)>Y[10,15))\n"},
		{"symmetric swapped agrees", []Relation{sym("eq", x, y)}, []Relation{sym("eq", y, x)},
			"agree eq(X[0,5)~Y[10,15)) eq(Y[10,15)~X[0,5))\n"},
		{"other type", []Relation{r("s", x, y)}, []Relation{r("t", x, y)}, "type s(X[0,5)>Y[10,15)) t(X[0,5)>Y[10,15))\n"},
		{"directed reversed", []Relation{r("s", x, y)}, []Relation{r("s", y, x)},
			"reversed s(X[0,5)>Y[10,15)) s(Y[10,15)>X[0,5))\n"},
		{
			// Ends that overlap, same type; labels are not compared.
			"overlap", []Relation{r("s", x, y)}, []Relation{r("s", s("X", 1, 6), s("Z", 10, 15))},
			"overlap s(X[0,5)>Y[10,15)) s(X[1,6)>Z[10,15))\n",
		},
		{
			// Overlapping ends of another type are no pair.
			"overlap needs the type", []Relation{r("s", x, y)}, []Relation{r("t", s("X", 1, 6), y)},
			"only_a s(X[0,5)>Y[10,15)) -\n" +
				"only_b - t(X[1,6)>Y[10,15))\n",
		},
		{
			// Exact before another type: B's s pairs with A's s, B's t is left.
			"agree first", []Relation{r("s", x, y)}, []Relation{r("t", x, y), r("s", x, y)},
			"agree s(X[0,5)>Y[10,15)) s(X[0,5)>Y[10,15))\n" +
				"only_b - t(X[0,5)>Y[10,15))\n",
		},
		{
			// The larger overlap wins: A's relation takes B's [0,4)→[10,15)
			// (overlap 4+5), not [3,8)→[10,15) (2+5).
			"largest overlap", []Relation{r("s", x, y)}, []Relation{r("s", s("X", 3, 8), y), r("s", s("X", 0, 4), y)},
			"overlap s(X[0,5)>Y[10,15)) s(X[0,4)>Y[10,15))\n" +
				"only_b - s(X[3,8)>Y[10,15))\n",
		},
	}
	for _, c := range cases {
		got := CompareRelations(c.a, c.b)
		if d := describeRels(got); d != c.want {
			t.Errorf("%s:\n%s\nwant:\n%s", c.name, d, c.want)
		}
		seen := map[*Relation]int{}
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
	// The fixture by position (smallest start, then largest end first); the agree count is exact F1's tp.
	_, _, rels := relationFixture()
	var a, b []Relation
	for _, r := range rels {
		if r.Annotator == "A" {
			a = append(a, r)
		} else {
			b = append(b, r)
		}
	}
	want := "agree same(Claim[0,5)~Claim[20,25)) same(Claim[20,25)~Claim[0,5))\n" +
		"agree supports(Figure[10,15)>Claim[0,5)) supports(Figure[10,15)>Claim[0,5))\n" +
		"only_b - attacks(Claim[0,5)>Figure[10,15))\n" +
		"reversed supports(Figure[10,15)>Claim[20,25)) supports(Claim[20,25)>Figure[10,15))\n" +
		"overlap supports(Figure[30,35)>Claim[20,25)) supports(Figure[31,36)>Claim[20,25))\n"
	if d := describeRels(CompareRelations(a, b)); d != want {
		t.Errorf("fixture:\n%s\nwant:\n%s", d, want)
	}
}

// TestCompareRelationsRandom checks invariants on random relation sets:
// every relation in exactly one pair, kinds consistent with the relations,
// the agree count equal to exact relation F1's tp, and overlap tp ≥ exact
// tp.
func TestCompareRelationsRandom(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 9))
	types := []string{"s", "t"}
	labels := []string{"X", "Y"}
	end := func() Span {
		s := rnd.IntN(30)
		return Span{Label: labels[rnd.IntN(2)], Start: s, End: s + 1 + rnd.IntN(6)}
	}
	gen := func(n int) []Relation {
		out := make([]Relation, n)
		for i := range out {
			typ := rnd.IntN(2)
			out[i] = Relation{Type: types[typ], From: end(), To: end(), Symmetric: typ == 1}
		}
		return out
	}
	for iter := range 500 {
		a, b := gen(rnd.IntN(6)), gen(rnd.IntN(6))
		pairs := CompareRelations(a, b)
		seen := map[*Relation]int{}
		agree := 0
		for _, p := range pairs {
			if p.A != nil {
				seen[p.A]++
			}
			if p.B != nil {
				seen[p.B]++
			}
			ok := true
			switch p.Kind {
			case Agree:
				agree++
				ok = p.A.Type == p.B.Type && sameEnds(*p.A, *p.B)
			case Retype:
				ok = p.A.Type != p.B.Type && sameEnds(*p.A, *p.B)
			case Reversed:
				ok = p.A.Type == p.B.Type && !p.A.Symmetric && swapped(*p.A, *p.B)
			case Overlap:
				_, _, over := relOverlap(*p.A, *p.B)
				ok = p.A.Type == p.B.Type && over
			case OnlyA:
				ok = p.B == nil
			case OnlyB:
				ok = p.A == nil
			}
			if !ok {
				t.Fatalf("iter %d: %s", iter, describeRels([]RelPair{p}))
			}
		}
		if len(seen) != len(a)+len(b) {
			t.Fatalf("iter %d: %d relations paired, want %d", iter, len(seen), len(a)+len(b))
		}
		for r, n := range seen {
			if n != 1 {
				t.Fatalf("iter %d: %+v in %d pairs", iter, *r, n)
			}
		}
		tp := func(overlap bool) int {
			n := 0
			for _, m := range matchRelations(a, b, overlap, false) {
				if m.a >= 0 && m.b >= 0 {
					n++
				}
			}
			return n
		}
		if exact := tp(false); exact != agree || tp(true) < exact {
			t.Fatalf("iter %d: exact tp %d, agree %d, overlap tp %d", iter, exact, agree, tp(true))
		}
	}
}
