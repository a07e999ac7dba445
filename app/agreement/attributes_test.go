package agreement

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
)

func attrPair(t *testing.T, r Report, name, a, b string) AttributePair {
	t.Helper()
	for _, at := range r.Attributes {
		if at.Name != name {
			continue
		}
		for _, p := range at.Pairs {
			if p.A == a && p.B == b {
				return p
			}
		}
	}
	t.Fatalf("no attribute %s pair %s/%s in %+v", name, a, b, r.Attributes)
	return AttributePair{}
}

func val(s Span, attr, v string) AttrValue { return AttrValue{Span: s, Attribute: attr, Value: v} }

func TestAttributeFlagWikipedia(t *testing.T) {
	// 50 spans both have alike (token i, label X) carry Wikipedia's 2×2
	// table as a flag: A sets it on 0-24, B on 0-19 and 25-34, so 20 yes/yes,
	// 5 yes/no, 10 no/yes, 15 no/no (a flag not set is "false"):
	// po = 0.7, pe = 0.5·0.6 + 0.5·0.4 = 0.5, kappa = 0.4. Nominal alpha on
	// the same units: o_tt = 40, o_ff = 30, o_tf = o_ft = 15, n_t = 55,
	// n_f = 45: alpha = 1 - 99·30/(2·55·45) = 0.4.
	doc := Doc{ID: "d", Text: letters(50), Annotators: []string{"A", "B"}}
	var spans []Span
	var vals []AttrValue
	for i := range 50 {
		a, b := spTok("d", "A", "X", i, i), spTok("d", "B", "X", i, i)
		spans = append(spans, a, b)
		if i < 25 {
			vals = append(vals, val(a, "Disputed", "true"))
		}
		if i < 20 || i >= 25 && i < 35 {
			vals = append(vals, val(b, "Disputed", "true"))
		}
	}
	// B has one more span, alone: not a unit.
	spans = append(spans, sp("d", "B", "Y", 0, 3))
	attrs := []Attribute{{Name: "Disputed", Kind: AttrFlag}, {Name: "OnY", Kind: AttrFlag, Labels: []string{"Y"}}}
	r := Measure(Input{Docs: []Doc{doc}, Spans: spans, Attributes: attrs, Values: vals}, Options{})
	p := attrPair(t, r, "Disputed", "A", "B")
	if p.Spans != 50 || p.Cohen.Items != 50 || !near(p.Cohen.Observed, 0.7) || !near(p.Cohen.Expected, 0.5) || !near(p.Cohen.Kappa, 0.4) {
		t.Errorf("flag kappa %+v", p)
	}
	if p.Alpha.Units != 50 || p.Alpha.Values != 100 || !near(p.Alpha.Alpha, 0.4) {
		t.Errorf("flag alpha %+v", p.Alpha)
	}
	if r.Attributes[0].Level != "nominal" || r.Attributes[0].All != nil {
		t.Errorf("attribute %+v", r.Attributes[0])
	}
	// An attribute on label Y only: no span both have is a Y.
	if q := attrPair(t, r, "OnY", "A", "B"); q.Spans != 0 || q.Cohen.Kappa.Defined || q.Alpha.Alpha.Defined {
		t.Errorf("OnY %+v", q)
	}
	var text bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "Attributes on the spans both annotators have") ||
		!strings.Contains(text.String(), "0.700     0.500     0.400  0.400") {
		t.Errorf("text:\n%s", text.String())
	}
	var csvOut bytes.Buffer
	if err := r.WriteCSV(&csvOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(csvOut.String(), "attribute.kappa,A,B,Disputed,0.4\n") {
		t.Errorf("csv:\n%s", csvOut.String())
	}
}

func TestAttributeChoiceMissing(t *testing.T) {
	// Five spans both have; certainty H/H, L/L, H/-, -/L, H/L. Kappa takes
	// the three with both values: po = 2/3; A says H 2, L 1; B H 1, L 2;
	// pe = 2/3·1/3 + 1/3·2/3 = 4/9; kappa = (2/3 - 4/9)/(5/9) = 0.4. Alpha
	// (the one-value units are not pairable): o_HH = 2, o_LL = 2,
	// o_HL = o_LH = 1, n_H = n_L = 3, n = 6: alpha = 1 - 5·2/(2·3·3) = 4/9.
	doc := Doc{ID: "d", Text: letters(5), Annotators: []string{"A", "B"}}
	pairs := [][2]string{{"H", "H"}, {"L", "L"}, {"H", ""}, {"", "L"}, {"H", "L"}}
	var spans []Span
	var vals []AttrValue
	for i, p := range pairs {
		a, b := spTok("d", "A", "Claim", i, i), spTok("d", "B", "Claim", i, i)
		spans = append(spans, a, b)
		vals = append(vals, val(a, "Certainty", p[0]), val(b, "Certainty", p[1]))
	}
	r := Measure(Input{Docs: []Doc{doc}, Spans: spans, Values: vals,
		Attributes: []Attribute{{Name: "Certainty", Kind: AttrChoice, Labels: []string{"Claim"}}}}, Options{})
	p := attrPair(t, r, "Certainty", "A", "B")
	if p.Spans != 5 || p.Cohen.Items != 3 || !near(p.Cohen.Observed, 2.0/3) || !near(p.Cohen.Expected, 4.0/9) || !near(p.Cohen.Kappa, 0.4) {
		t.Errorf("choice kappa %+v", p.Cohen)
	}
	if p.Alpha.Units != 3 || p.Alpha.Values != 6 || !near(p.Alpha.Alpha, 4.0/9) {
		t.Errorf("choice alpha %+v", p.Alpha)
	}
}

func TestIntervalAlpha2011(t *testing.T) {
	// Krippendorff (2011), the same reliability data read as numbers 1..5:
	// the paper gives alpha_interval = 0.849.
	var units [][]float64
	for _, u := range krippendorff2011 {
		var vs []float64
		for _, v := range u {
			if v >= 0 {
				vs = append(vs, float64(v+1))
			}
		}
		units = append(units, vs)
	}
	got := intervalAlpha(units)
	if got.Units != 11 || got.Values != 40 || !near(got.Alpha, 0.849) {
		t.Errorf("interval alpha %+v, want 11 units, 40 values, 0.849", got)
	}
	if got := intervalAlpha([][]float64{{2, 2}, {2, 2}}); got.Alpha.Defined || !near(got.Observed, 0) {
		t.Errorf("constant: %+v", got)
	}
	if got := intervalAlpha([][]float64{{1, 1}, {3, 3}}); !near(got.Alpha, 1) {
		t.Errorf("perfect: %+v", got)
	}
}

// TestAttributeAllAnnotators puts Krippendorff's 2011 data on 12 spans that
// four observers all have (a "." is a span without a value): over all
// annotators, a choice attribute gives the nominal 0.743 and a number
// attribute the interval 0.849.
func TestAttributeAllAnnotators(t *testing.T) {
	obs := []string{"A", "B", "C", "D"}
	doc := Doc{ID: "d", Text: letters(12), Annotators: obs}
	var spans []Span
	var vals []AttrValue
	for u, unit := range krippendorff2011 {
		for o, v := range unit {
			s := spTok("d", obs[o], "X", u, u)
			spans = append(spans, s)
			if v >= 0 {
				vals = append(vals, val(s, "Grade", strconv.Itoa(v+1)), val(s, "Score", strconv.Itoa(v+1)))
			}
		}
	}
	r := Measure(Input{Docs: []Doc{doc}, Spans: spans, Values: vals,
		Attributes: []Attribute{{Name: "Grade", Kind: AttrChoice}, {Name: "Score", Kind: AttrNumber}}}, Options{})
	if len(r.Attributes) != 2 {
		t.Fatalf("attributes %+v", r.Attributes)
	}
	grade, score := r.Attributes[0], r.Attributes[1]
	if grade.All == nil || grade.All.Units != 11 || grade.All.Values != 40 || !near(grade.All.Alpha, 0.743) {
		t.Errorf("nominal over all: %+v", grade.All)
	}
	if score.Level != "interval" || score.All == nil || !near(score.All.Alpha, 0.849) {
		t.Errorf("interval over all: %s %+v", score.Level, score.All)
	}
	if len(grade.Pairs) != 6 {
		t.Errorf("pairs %d", len(grade.Pairs))
	}
	// A and B share values on units 1-9 (unit 10: A has none, 12: A none):
	// they differ on unit 6 only (1 vs 2).
	if p := attrPair(t, r, "Grade", "A", "B"); p.Spans != 12 || p.Cohen.Items != 9 || !near(p.Cohen.Observed, 8.0/9) {
		t.Errorf("A/B %+v", p.Cohen)
	}
	var text bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "(all)") || !strings.Contains(text.String(), "0.849") {
		t.Errorf("text:\n%s", text.String())
	}
}
