package agreement

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"gloss/app/tokens"
)

// letters is a text of n one-letter tokens "a a a ...": token i covers
// code points [2i, 2i+1).
func letters(n int) string {
	return strings.TrimSpace(strings.Repeat("a ", n))
}

// tok returns the extent of tokens i..j (inclusive) of letters().
func tok(i, j int) (int, int) { return 2 * i, 2*j + 1 }

func sp(doc, ann, label string, start, end int) Span {
	return Span{Doc: doc, Annotator: ann, Label: label, Start: start, End: end}
}

func spTok(doc, ann, label string, i, j int) Span {
	s, e := tok(i, j)
	return sp(doc, ann, label, s, e)
}

func pair(t *testing.T, r Report, a, b string) PairReport {
	t.Helper()
	for _, p := range r.Pairs {
		if p.A == a && p.B == b {
			return p
		}
	}
	t.Fatalf("no pair %s/%s in %+v", a, b, r.Pairs)
	return PairReport{}
}

func checkCounts(t *testing.T, what string, got Counts, tp, onlyA, onlyB int, p, r, f float64) {
	t.Helper()
	if got.TP != tp || got.OnlyA != onlyA || got.OnlyB != onlyB {
		t.Errorf("%s: tp/onlyA/onlyB = %d/%d/%d, want %d/%d/%d", what, got.TP, got.OnlyA, got.OnlyB, tp, onlyA, onlyB)
	}
	for _, c := range []struct {
		name string
		v    Value
		want float64
	}{{"precision", got.Precision, p}, {"recall", got.Recall, r}, {"F1", got.F1, f}} {
		if c.want < 0 { // -1: undefined
			if c.v.Defined {
				t.Errorf("%s: %s = %v, want n/a", what, c.name, c.v)
			}
		} else if !near(c.v, c.want) {
			t.Errorf("%s: %s = %v, want %.4f", what, c.name, c.v, c.want)
		}
	}
}

func TestSpanF1(t *testing.T) {
	doc := Doc{ID: "d", Text: strings.Repeat("word ", 20), Annotators: []string{"A", "B"}}
	spans := []Span{
		sp("d", "A", "Claim", 0, 10), sp("d", "B", "Claim", 0, 10), // exact
		sp("d", "A", "Claim", 20, 30), sp("d", "B", "Claim", 22, 30), // overlap only
		sp("d", "A", "Figure", 40, 45), sp("d", "B", "Figure", 40, 45), // exact
		sp("d", "A", "Figure", 50, 60), sp("d", "B", "Proposal", 50, 60), // other label: no match
		sp("d", "B", "Claim", 70, 80), // B only
	}
	r := Compute([]Doc{doc}, spans, Options{})
	p := pair(t, r, "A", "B")
	if p.Documents != 1 {
		t.Errorf("documents %d", p.Documents)
	}
	// Exact: tp 2 (Claim 0-10, Figure 40-45); only A 2; only B 3.
	// P = 2/5, R = 2/4, F1 = 4/9.
	checkCounts(t, "exact", p.Exact.Counts, 2, 2, 3, 0.4, 0.5, 4.0/9)
	// Overlap adds Claim 20-30 ~ 22-30: tp 3, only A 1, only B 2.
	// P = 3/5, R = 3/4, F1 = 6/9.
	checkCounts(t, "overlap", p.Overlap.Counts, 3, 1, 2, 0.6, 0.75, 6.0/9)

	per := func(m Match) map[string]Counts {
		out := map[string]Counts{}
		for _, lc := range m.PerLabel {
			out[lc.Label] = lc.Counts
		}
		return out
	}
	ex, ov := per(p.Exact), per(p.Overlap)
	if len(ex) != 3 || len(ov) != 3 {
		t.Fatalf("per label: %+v / %+v", ex, ov)
	}
	// Exact Claim: tp 1, A 20-30, B 22-30 and 70-80: P 1/3 R 1/2 F1 2/5.
	checkCounts(t, "exact Claim", ex["Claim"], 1, 1, 2, 1.0/3, 0.5, 0.4)
	// Figure: tp 1, A 50-60 alone: P 1, R 1/2, F1 2/3 (both rules).
	checkCounts(t, "exact Figure", ex["Figure"], 1, 1, 0, 1, 0.5, 2.0/3)
	checkCounts(t, "overlap Figure", ov["Figure"], 1, 1, 0, 1, 0.5, 2.0/3)
	// Proposal: only B ever used it: nothing to agree with, so P, R and
	// F1 are n/a (not 0), and the report says who used it.
	checkCounts(t, "exact Proposal", ex["Proposal"], 0, 0, 1, -1, -1, -1)
	for _, lc := range p.Exact.PerLabel {
		if lc.Label == "Proposal" && lc.UsedBy != "b" {
			t.Errorf("Proposal used by %q, want b", lc.UsedBy)
		}
	}
	var out strings.Builder
	r.WriteText(&out)
	if !strings.Contains(out.String(), "n/a (only B used it)") || !strings.Contains(out.String(), "at least two annotators annotated 1 document") {
		t.Errorf("report text:\n%s", out.String())
	}
	// Overlap Claim: tp 2, B 70-80 alone: P 2/3, R 1, F1 4/5.
	checkCounts(t, "overlap Claim", ov["Claim"], 2, 0, 1, 2.0/3, 1, 0.8)

	// Swapping the annotators swaps precision and recall, F1 stays.
	r2 := Compute([]Doc{doc}, spans, Options{Annotators: []string{"B", "A"}})
	q := pair(t, r2, "B", "A")
	checkCounts(t, "swapped exact", q.Exact.Counts, 2, 3, 2, 0.5, 0.4, 4.0/9)
}

func TestOverlapGreedy(t *testing.T) {
	text := strings.Repeat("word ", 10)
	cases := []struct {
		name      string
		a, b      []Span
		tp, onlyB int
		matchedB  [2]int // B span (start, end) matched to A's first span
	}{
		// A 0-10 overlaps B 0-4 by 4 and B 2-10 by 8: largest overlap wins.
		{"largest", []Span{sp("d", "A", "X", 0, 10)}, []Span{sp("d", "B", "X", 0, 4), sp("d", "B", "X", 2, 10)}, 1, 1, [2]int{2, 10}},
		// Equal overlaps of 5 and equal |Δstart|+|Δend| = 5: the earlier B.
		{"tie", []Span{sp("d", "A", "X", 0, 10)}, []Span{sp("d", "B", "X", 5, 10), sp("d", "B", "X", 0, 5)}, 1, 1, [2]int{0, 5}},
		// A 2-10: B 0-4 and B 8-10 both overlap by 2; |Δstart|+|Δend| is
		// 2+6 = 8 for 0-4 and 6+0 = 6 for 8-10: the closer one wins.
		{"closer", []Span{sp("d", "A", "X", 2, 10)}, []Span{sp("d", "B", "X", 0, 4), sp("d", "B", "X", 8, 10)}, 1, 1, [2]int{8, 10}},
		// Another label never matches for F1.
		{"label", []Span{sp("d", "A", "X", 0, 10)}, []Span{sp("d", "B", "Y", 0, 10)}, 0, 1, [2]int{-1, -1}},
	}
	for _, c := range cases {
		r := Compute([]Doc{{ID: "d", Text: text, Annotators: []string{"A", "B"}}}, append(c.a, c.b...), Options{})
		p := pair(t, r, "A", "B")
		if p.Overlap.TP != c.tp || p.Overlap.OnlyB != c.onlyB {
			t.Errorf("%s: tp %d only B %d", c.name, p.Overlap.TP, p.Overlap.OnlyB)
		}
		ms := matchSpans(c.a, c.b, true)
		got := [2]int{-1, -1}
		for _, m := range ms {
			if m.a == 0 && m.b >= 0 {
				got = [2]int{c.b[m.b].Start, c.b[m.b].End}
			}
		}
		if got != c.matchedB {
			t.Errorf("%s: A matched B %v, want %v", c.name, got, c.matchedB)
		}
	}
}

func TestTokenLabels(t *testing.T) {
	// "aa bb cc dd": aa [0,2) bb [3,5) cc [6,8) dd [9,11).
	toks := tokens.Tokenize("aa bb cc dd")
	cat := map[string]uint16{"X": 1, "Y": 2, "Z": 3}
	cases := []struct {
		name  string
		spans []Span
		want  []uint16
	}{
		{"none", nil, []uint16{0, 0, 0, 0}},
		// The inner span (length 5) wins over the outer (11) on bb and cc.
		{"nested", []Span{sp("", "", "X", 0, 11), sp("", "", "Y", 3, 8)}, []uint16{1, 2, 2, 1}},
		// Equal lengths (5) on bb: the label sorting first (Y < Z) wins.
		{"tie", []Span{sp("", "", "Z", 0, 5), sp("", "", "Y", 3, 8)}, []uint16{3, 2, 2, 0}},
		// A span touching one code point of a token labels the token:
		// [1,4) covers the end of aa and the start of bb.
		{"partial", []Span{sp("", "", "X", 1, 4)}, []uint16{1, 1, 0, 0}},
		// The whitespace between tokens labels nothing: [2,3) is the space.
		{"space", []Span{sp("", "", "X", 2, 3)}, []uint16{0, 0, 0, 0}},
	}
	for _, c := range cases {
		got := tokenLabels(toks, c.spans, cat)
		if string(u16(got)) != string(u16(c.want)) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func u16(x []uint16) []rune {
	out := make([]rune, len(x))
	for i, v := range x {
		out[i] = rune(v) + '0'
	}
	return out
}

func TestCohenThroughTokens(t *testing.T) {
	// 50 tokens reproduce Wikipedia's table: tokens 0-19 Y/Y (a = 20),
	// 20-24 Y/O (b = 5), 25-34 O/Y (c = 10), 35-49 O/O (d = 15):
	// po = 0.7, pe = 0.5, kappa = 0.4.
	doc := Doc{ID: "d", Text: letters(50), Annotators: []string{"A", "B"}}
	spans := []Span{
		spTok("d", "A", "Y", 0, 24),
		spTok("d", "B", "Y", 0, 19), spTok("d", "B", "Y", 25, 34),
	}
	r := Compute([]Doc{doc}, spans, Options{})
	c := pair(t, r, "A", "B").Cohen
	if c.Items != 50 || !near(c.Observed, 0.7) || !near(c.Expected, 0.5) || !near(c.Kappa, 0.4) {
		t.Errorf("cohen %+v, want 50 items, 0.7 0.5 0.4", c)
	}
	// Two annotators: no Fleiss; alpha over the same 50 units. Coincidences:
	// o_YY = 2·20 = 40, o_OO = 2·15 = 30, o_YO = o_OY = 5+10 = 15;
	// n_Y = 55, n_O = 45, n = 100: alpha = 1 - 99·30/(2·55·45) = 0.4
	// (to three decimals: 1 - 2970/4950 = 0.4).
	if r.Fleiss != nil {
		t.Errorf("Fleiss with two annotators: %+v", r.Fleiss)
	}
	if r.Alpha.Units != 50 || r.Alpha.Values != 100 || !near(r.Alpha.Alpha, 0.4) {
		t.Errorf("alpha %+v", r.Alpha)
	}
	// Span F1 on the same input: A 0-24 overlaps B 0-19 (tp), B 25-34 alone.
	p := pair(t, r, "A", "B")
	checkCounts(t, "exact", p.Exact.Counts, 0, 1, 2, 0, 0, 0)
	checkCounts(t, "overlap", p.Overlap.Counts, 1, 0, 1, 0.5, 1, 2.0/3)
}

// missingDocs: doc1 "a b" by A, B and C; doc2 "a b" by A and B (B has no
// spans); doc3 "a b" by A alone.
//
//	token   A  B  C
//	1.a     X  X  X
//	1.b     O  O  X
//	2.a     X  O  -
//	2.b     O  O  -
//	3.a     O  -  -
//	3.b     O  -  -
func missingDocs() ([]Doc, []Span) {
	docs := []Doc{
		{ID: "1", Text: "a b", Annotators: []string{"A", "B", "C"}},
		{ID: "2", Text: "a b", Annotators: []string{"A", "B"}},
		{ID: "3", Text: "a b", Annotators: []string{"A"}},
	}
	spans := []Span{
		sp("1", "A", "X", 0, 1), sp("1", "B", "X", 0, 1), sp("1", "C", "X", 0, 1), sp("1", "C", "X", 2, 3),
		sp("2", "A", "X", 0, 1),
	}
	return docs, spans
}

func TestMissingAnnotator(t *testing.T) {
	docs, spans := missingDocs()
	r := Compute(docs, spans, Options{})
	if strings.Join(r.Annotators, ",") != "A,B,C" || r.Tokens != 6 {
		t.Fatalf("annotators %v tokens %d", r.Annotators, r.Tokens)
	}
	wantDocs := map[string]int{"A": 3, "B": 2, "C": 1}
	wantSpans := map[string]int{"A": 2, "B": 1, "C": 2}
	for _, a := range r.PerAnnotator {
		if a.Documents != wantDocs[a.Annotator] || a.Spans != wantSpans[a.Annotator] || a.Labels["X"] != a.Spans {
			t.Errorf("%s: %+v", a.Annotator, a)
		}
	}
	cases := []struct {
		a, b       string
		docs, toks int
		po, pe, k  float64
	}{
		// A/B over docs 1, 2: agree on 1.a, 1.b, 2.b; A says X on 2.a.
		// po = 3/4; A: X 2 O 2, B: X 1 O 3; pe = (2·1+2·3)/16 = 0.5;
		// kappa = 0.25/0.5 = 0.5.
		{"A", "B", 2, 4, 0.75, 0.5, 0.5},
		// A/C over doc 1: 1.a X/X, 1.b O/X. po = 0.5; A: X 1 O 1; C: X 2;
		// pe = (1·2 + 1·0)/4 = 0.5; kappa = 0.
		{"A", "C", 1, 2, 0.5, 0.5, 0},
		{"B", "C", 1, 2, 0.5, 0.5, 0},
	}
	for _, c := range cases {
		p := pair(t, r, c.a, c.b)
		if p.Documents != c.docs || p.Cohen.Items != c.toks || !near(p.Cohen.Observed, c.po) ||
			!near(p.Cohen.Expected, c.pe) || !near(p.Cohen.Kappa, c.k) {
			t.Errorf("%s/%s: docs %d %+v", c.a, c.b, p.Documents, p.Cohen)
		}
	}
	// Fleiss over doc 1 only (2 tokens, 3 raters): 1.a X X X -> P = 1;
	// 1.b O O X -> P = (4+1-3)/6 = 1/3. P̄ = 2/3; p_O = 2/6, p_X = 4/6;
	// P̄e = 1/9 + 4/9 = 5/9; kappa = (2/3-5/9)/(4/9) = 0.25.
	f := r.Fleiss
	if f == nil || f.Documents != 1 || f.Items != 2 || f.Raters != 3 || !near(f.MeanAgreement, 2.0/3) ||
		!near(f.Expected, 5.0/9) || !near(f.Kappa, 0.25) {
		t.Errorf("fleiss %+v", f)
	}
	// Alpha: doc 3 has one value per token and is dropped; 4 units.
	// 1.a {X,X,X}: o_XX += 3·2/2 = 3. 1.b {O,O,X}: o_OO += 2·1/2 = 1,
	// o_OX = o_XO += 2·1/2 = 1. 2.a {X,O}: o_OX = o_XO += 1. 2.b {O,O}:
	// o_OO += 2. So o_OO = 3, o_OX = o_XO = 2, o_XX = 3; n_O = n_X = 5,
	// n = 10: alpha = 1 - 9·4/(2·5·5) = 0.28; D_o = 4/10, D_e = 50/90.
	a := r.Alpha
	if a.Units != 4 || a.Values != 10 || !near(a.Alpha, 0.28) || !near(a.Observed, 0.4) || !near(a.Expected, 50.0/90) {
		t.Errorf("alpha %+v", a)
	}
	// The same units through the matrix function (O = 0, X = 1).
	m := alphaFromMatrix([][]int{{1, 1, 1}, {0, 0, 1}, {1, 0, -1}, {0, 0, -1}, {0, -1, -1}, {0, -1, -1}}, 2)
	if m.Alpha != a.Alpha {
		t.Errorf("matrix alpha %v, pipeline %v", m.Alpha, a.Alpha)
	}
	// Coincidence matrix as reported, categories O, X.
	if got := a.Coincidence; strings.Join(a.Categories, ",") != "O,X" || got[0][0] != 3 || got[0][1] != 2 || got[1][1] != 3 {
		t.Errorf("coincidence %v %v", a.Categories, got)
	}
}

func TestSpansImplyAnnotated(t *testing.T) {
	// B is not listed on the document but has a span there: B annotated it.
	docs := []Doc{{ID: "d", Text: "a b", Annotators: []string{"A"}}}
	spans := []Span{sp("d", "B", "X", 0, 1), sp("nowhere", "A", "X", 0, 1), sp("d", "A", "X", 2, 9)}
	r := Compute(docs, spans, Options{})
	if p := pair(t, r, "A", "B"); p.Documents != 1 || p.Cohen.Items != 2 {
		t.Errorf("pair %+v", p)
	}
	if r.IgnoredSpans != 2 {
		t.Errorf("ignored %d, want 2 (unknown doc, end past the text)", r.IgnoredSpans)
	}
}

func TestPerfectAgreement(t *testing.T) {
	doc := Doc{ID: "d", Text: letters(10), Annotators: []string{"A", "B", "C"}}
	var spans []Span
	for _, a := range []string{"A", "B", "C"} {
		spans = append(spans, spTok("d", a, "Claim", 1, 3), spTok("d", a, "Figure", 6, 6))
	}
	r := Compute([]Doc{doc}, spans, Options{})
	if len(r.Pairs) != 3 {
		t.Fatalf("pairs %d", len(r.Pairs))
	}
	for _, p := range r.Pairs {
		checkCounts(t, "exact "+p.A+p.B, p.Exact.Counts, 2, 0, 0, 1, 1, 1)
		if !near(p.Cohen.Kappa, 1) || !near(p.Cohen.Observed, 1) {
			t.Errorf("%s/%s cohen %+v", p.A, p.B, p.Cohen)
		}
	}
	if r.Fleiss == nil || !near(r.Fleiss.Kappa, 1) || r.Fleiss.Items != 10 {
		t.Errorf("fleiss %+v", r.Fleiss)
	}
	if !near(r.Alpha.Alpha, 1) || !near(r.Alpha.Observed, 0) {
		t.Errorf("alpha %+v", r.Alpha)
	}
}

func TestNoSpans(t *testing.T) {
	// Two annotators opened the document and tagged nothing: every token
	// is O for both. Observed agreement is 1, but so is chance agreement:
	// kappa and alpha are 0/0 and reported undefined; F1 has no spans.
	doc := Doc{ID: "d", Text: letters(5), Annotators: []string{"A", "B", "C"}}
	r := Compute([]Doc{doc}, nil, Options{})
	for _, p := range r.Pairs {
		if p.Cohen.Items != 5 || !near(p.Cohen.Observed, 1) || !near(p.Cohen.Expected, 1) || p.Cohen.Kappa.Defined {
			t.Errorf("cohen %+v", p.Cohen)
		}
		checkCounts(t, "exact", p.Exact.Counts, 0, 0, 0, -1, -1, -1)
		if len(p.Exact.PerLabel) != 0 {
			t.Errorf("per label %+v", p.Exact.PerLabel)
		}
	}
	if r.Fleiss == nil || r.Fleiss.Kappa.Defined || r.Alpha.Alpha.Defined || r.Alpha.Units != 5 {
		t.Errorf("fleiss %+v alpha %+v", r.Fleiss, r.Alpha)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"kappa":null`)) || !bytes.Contains(b, []byte(`"alpha":null`)) {
		t.Errorf("json: %s", b)
	}
	var text bytes.Buffer
	if err := r.WriteText(&text); err != nil || !strings.Contains(text.String(), "n/a") {
		t.Errorf("text: %v\n%s", err, text.String())
	}

	// No documents at all.
	r = Compute(nil, nil, Options{})
	if len(r.Pairs) != 0 || r.Fleiss != nil || r.Alpha.Alpha.Defined || r.Alpha.Units != 0 {
		t.Errorf("empty: %+v", r)
	}
	if _, err := json.Marshal(r); err != nil {
		t.Error(err)
	}
}

func TestSingleAnnotator(t *testing.T) {
	doc := Doc{ID: "d", Text: letters(4), Annotators: []string{"A"}}
	r := Compute([]Doc{doc}, []Span{spTok("d", "A", "X", 0, 1)}, Options{})
	if len(r.Pairs) != 0 || r.Fleiss != nil {
		t.Errorf("pairs %+v fleiss %+v", r.Pairs, r.Fleiss)
	}
	// One value per token: no pairable unit, alpha undefined.
	if r.Alpha.Units != 0 || r.Alpha.Values != 0 || r.Alpha.Alpha.Defined {
		t.Errorf("alpha %+v", r.Alpha)
	}
	if len(r.PerAnnotator) != 1 || r.PerAnnotator[0].Spans != 1 || r.PerAnnotator[0].Documents != 1 {
		t.Errorf("per annotator %+v", r.PerAnnotator)
	}
	b, _ := json.Marshal(r)
	if !bytes.Contains(b, []byte(`"pairs":[]`)) {
		t.Errorf("json: %s", b)
	}
	var text bytes.Buffer
	if err := r.WriteText(&text); err != nil || !strings.Contains(text.String(), "No pairs") {
		t.Errorf("text: %v\n%s", err, text.String())
	}
}

func TestLabelFilter(t *testing.T) {
	// "a b c": A tags Claim, Figure, O; B tags Claim, Proposal, O.
	doc := Doc{ID: "d", Text: "a b c", Annotators: []string{"A", "B"}}
	spans := []Span{
		sp("d", "A", "Claim", 0, 1), sp("d", "A", "Figure", 2, 3),
		sp("d", "B", "Claim", 0, 1), sp("d", "B", "Proposal", 2, 3),
	}
	// All labels: po = 2/3; A: Claim 1 Figure 1 O 1, B: Claim 1 Proposal 1
	// O 1; pe = (1·1 + 1·1)/9 = 2/9 (Claim and O); kappa = (6/9-2/9)/(7/9) = 4/7.
	r := Compute([]Doc{doc}, spans, Options{})
	if p := pair(t, r, "A", "B"); !near(p.Cohen.Kappa, 4.0/7) || p.Exact.TP != 1 {
		t.Errorf("all labels: %+v", p)
	}
	if strings.Join(r.Labels, ",") != "Claim,Figure,Proposal" {
		t.Errorf("labels %v", r.Labels)
	}
	// Claim only: the other spans are dropped and their tokens become O:
	// both say Claim, O, O -> kappa 1, exact F1 1.
	r = Compute([]Doc{doc}, spans, Options{Labels: []string{"Claim"}})
	p := pair(t, r, "A", "B")
	if !near(p.Cohen.Kappa, 1) || p.Exact.TP != 1 || p.Exact.OnlyA+p.Exact.OnlyB != 0 || len(p.Exact.PerLabel) != 1 {
		t.Errorf("Claim only: %+v", p)
	}
	if strings.Join(r.Labels, ",") != "Claim" || r.PerAnnotator[0].Spans != 1 {
		t.Errorf("labels %v per annotator %+v", r.Labels, r.PerAnnotator)
	}
	// A label nobody used: no spans, every token O, kappa undefined.
	r = Compute([]Doc{doc}, spans, Options{Labels: []string{"Nothing"}})
	if p := pair(t, r, "A", "B"); p.Cohen.Kappa.Defined || p.Documents != 1 {
		t.Errorf("unused label: %+v", p)
	}
}

func TestAnnotatorFilter(t *testing.T) {
	docs, spans := missingDocs()
	r := Compute(docs, spans, Options{Annotators: []string{"C", "A"}})
	if len(r.Pairs) != 1 || r.Pairs[0].A != "C" || r.Pairs[0].B != "A" || r.Fleiss != nil {
		t.Fatalf("pairs %+v", r.Pairs)
	}
	// Alpha over A and C only: doc 1 (1.a X X, 1.b O X) is pairable.
	// o_XX = 2, o_OX = o_XO = 1; n_X = 3, n_O = 1, n = 4:
	// alpha = 1 - 3·2/(2·3·1) = 0.
	if r.Alpha.Units != 2 || !near(r.Alpha.Alpha, 0) {
		t.Errorf("alpha %+v", r.Alpha)
	}
	// An annotator nobody has seen: zero documents, pairs with no documents.
	r = Compute(docs, spans, Options{Annotators: []string{"A", "Z"}})
	if p := pair(t, r, "A", "Z"); p.Documents != 0 || p.Cohen.Items != 0 || p.Cohen.Kappa.Defined {
		t.Errorf("unknown annotator: %+v", p)
	}
}

func TestOutputs(t *testing.T) {
	docs, spans := missingDocs()
	r := Compute(docs, spans, Options{})
	var text bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Cohen's kappa", "Fleiss' kappa", "Krippendorff's alpha", "alpha 0.280", "kappa 0.250"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	var out bytes.Buffer
	if err := r.WriteCSV(&out); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]string{}
	for _, row := range rows {
		if len(row) != 5 {
			t.Fatalf("row %v", row)
		}
		found[row[0]+"|"+row[1]+"|"+row[2]+"|"+row[3]] = row[4]
	}
	for key, want := range map[string]string{
		"measure|a|b|label":       "value",
		"cohen.kappa|A|B|":        "0.5",
		"fleiss.kappa|||":         "0.25",
		"exact.tp|A|B|X":          "1",
		"annotator.spans|C||":     "2",
		"exact.precision|B|C|":    "0.5",
		"alpha.units|||":          "4",
		"annotator.documents|A||": "3",
	} {
		if found[key] != want {
			t.Errorf("csv %s = %q, want %q", key, found[key], want)
		}
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(b, &back); err != nil || back.Alpha.Alpha != r.Alpha.Alpha || back.Pairs[0].Cohen != r.Pairs[0].Cohen {
		t.Errorf("round trip: %v", err)
	}
}
