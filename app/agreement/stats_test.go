package agreement

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
)

func near(got Value, want float64) bool {
	return got.Defined && math.Abs(got.V-want) < 5e-4
}

func TestCohenFromTable(t *testing.T) {
	cases := []struct {
		name        string
		table       [][]int
		po, pe, k   float64
		undefinedK  bool
		wantDefined bool
	}{
		// Wikipedia, "Cohen's kappa", simple example: 50 proposals,
		// a=20 yes/yes, b=5 A yes B no, c=10 A no B yes, d=15 no/no.
		// po = (20+15)/50 = 0.7; A says yes 25/50 = 0.5, B 30/50 = 0.6;
		// pe = 0.5·0.6 + 0.5·0.4 = 0.5; kappa = (0.7-0.5)/(1-0.5) = 0.4.
		{name: "wikipedia", table: [][]int{{20, 5}, {10, 15}}, po: 0.7, pe: 0.5, k: 0.4},
		// Wikipedia's second pair of examples: 45/15/25/15 gives
		// po = 0.60, pe = 0.6·0.7 + 0.4·0.3 = 0.54, kappa = 0.06/0.46 = 0.1304.
		{name: "wikipedia-2", table: [][]int{{45, 15}, {25, 15}}, po: 0.6, pe: 0.54, k: 0.1304},
		// and 25/35/5/35: po = 0.60, pe = 0.6·0.3 + 0.4·0.7 = 0.46,
		// kappa = 0.14/0.54 = 0.2593.
		{name: "wikipedia-3", table: [][]int{{25, 35}, {5, 35}}, po: 0.6, pe: 0.46, k: 0.2593},
		// Perfect agreement over three categories: po = 1, pe = (1+4+9)/36.
		{name: "perfect", table: [][]int{{1, 0, 0}, {0, 2, 0}, {0, 0, 3}}, po: 1, pe: 14.0 / 36, k: 1},
		// Everything in one category: pe = 1, kappa is 0/0.
		{name: "one category", table: [][]int{{7, 0}, {0, 0}}, po: 1, pe: 1, undefinedK: true},
		// Systematic disagreement: po = 0, pe = 0.5, kappa = -1.
		{name: "opposite", table: [][]int{{0, 5}, {5, 0}}, po: 0, pe: 0.5, k: -1},
	}
	for _, c := range cases {
		got := cohenFromTable(c.table)
		if !near(got.Observed, c.po) || !near(got.Expected, c.pe) {
			t.Errorf("%s: po %v pe %v, want %v %v", c.name, got.Observed, got.Expected, c.po, c.pe)
		}
		if c.undefinedK {
			if got.Kappa.Defined {
				t.Errorf("%s: kappa %v, want undefined", c.name, got.Kappa)
			}
		} else if !near(got.Kappa, c.k) {
			t.Errorf("%s: kappa %v, want %v", c.name, got.Kappa, c.k)
		}
	}
	if got := cohenFromTable([][]int{{0, 0}, {0, 0}}); got.Items != 0 || got.Observed.Defined || got.Kappa.Defined {
		t.Errorf("empty table: %+v", got)
	}
}

func TestFleissWikipedia(t *testing.T) {
	// Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters,
	// 5 categories. p_j = 0.143 0.200 0.279 0.150 0.229; P̄ = 0.378;
	// P̄e = Σ p_j² = 0.213; kappa = (0.378-0.213)/(1-0.213) = 0.210.
	counts := [][]int{
		{0, 0, 0, 0, 14},
		{0, 2, 6, 4, 2},
		{0, 0, 3, 5, 6},
		{0, 3, 9, 2, 0},
		{2, 2, 8, 1, 1},
		{7, 7, 0, 0, 0},
		{3, 2, 6, 3, 0},
		{2, 5, 3, 2, 2},
		{6, 5, 2, 1, 0},
		{0, 2, 2, 3, 7},
	}
	got := fleissFromCounts(counts)
	if got.Items != 10 || got.Raters != 14 {
		t.Fatalf("items %d raters %d", got.Items, got.Raters)
	}
	if !near(got.MeanAgreement, 0.378) || !near(got.Expected, 0.213) || !near(got.Kappa, 0.210) {
		t.Errorf("P̄ %v P̄e %v kappa %v, want 0.378 0.213 0.210", got.MeanAgreement, got.Expected, got.Kappa)
	}
	// All raters in one category everywhere: P̄e = 1, kappa undefined.
	if got := fleissFromCounts([][]int{{3, 0}, {3, 0}}); got.Kappa.Defined || !near(got.MeanAgreement, 1) {
		t.Errorf("one category: %+v", got)
	}
	// Perfect agreement, two categories used: kappa = 1.
	if got := fleissFromCounts([][]int{{3, 0}, {0, 3}}); !near(got.Kappa, 1) {
		t.Errorf("perfect: %+v", got)
	}
}

// krippendorff2011 is the nominal example of Krippendorff, "Computing
// Krippendorff's Alpha-Reliability" (2011), section C: 4 observers, 12
// units, values 1..5 (here 0..4), -1 = missing.
//
//	unit:     1  2  3  4  5  6  7  8  9 10 11 12
//	obs. A:   1  2  3  3  2  1  4  1  2  .  .  .
//	obs. B:   1  2  3  3  2  2  4  1  2  5  .  3
//	obs. C:   .  3  3  3  2  3  4  2  2  5  1  .
//	obs. D:   1  2  3  3  2  4  4  1  2  5  1  .
//
// Unit 12 has one value and is not pairable, leaving n = 40 values:
// n_1 = 9, n_2 = 13, n_3 = 10, n_4 = 5, n_5 = 3. The coincidence matrix
// (below) has off-diagonal total Σ_{c≠k} o_ck = 2·(4/3+1/3+1/3+4/3+1/3+1/3)
// = 8, and Σ_{c≠k} n_c·n_k = 40² - (81+169+100+25+9) = 1216, so
// alpha = 1 - (n-1)·8/1216 = 1 - 39·8/1216 = 0.7434 (the paper: 0.743).
var krippendorff2011 = [][]int{
	{0, 0, -1, 0},
	{1, 1, 2, 1},
	{2, 2, 2, 2},
	{2, 2, 2, 2},
	{1, 1, 1, 1},
	{0, 1, 2, 3},
	{3, 3, 3, 3},
	{0, 0, 1, 0},
	{1, 1, 1, 1},
	{-1, 4, 4, 4},
	{-1, -1, 0, 0},
	{-1, 2, -1, -1},
}

func TestKrippendorff2011(t *testing.T) {
	got := alphaFromMatrix(krippendorff2011, 5)
	if got.Units != 11 || got.Values != 40 {
		t.Errorf("units %d values %d, want 11 40", got.Units, got.Values)
	}
	if !near(got.Alpha, 0.743) {
		t.Errorf("alpha %v, want 0.743", got.Alpha)
	}
	// The paper's coincidence matrix (values 1..5):
	//	o_11 = 7,   o_12 = 4/3, o_13 = 1/3, o_14 = 1/3, o_15 = 0   -> n_1 = 9
	//	o_22 = 10,  o_23 = 4/3, o_24 = 1/3                          -> n_2 = 13
	//	o_33 = 8,   o_34 = 1/3                                      -> n_3 = 10
	//	o_44 = 4,   o_55 = 3                                        -> n_4 = 5, n_5 = 3
	want := [][]float64{
		{7, 4.0 / 3, 1.0 / 3, 1.0 / 3, 0},
		{4.0 / 3, 10, 4.0 / 3, 1.0 / 3, 0},
		{1.0 / 3, 4.0 / 3, 8, 1.0 / 3, 0},
		{1.0 / 3, 1.0 / 3, 1.0 / 3, 4, 0},
		{0, 0, 0, 0, 3},
	}
	for c := range want {
		for k := range want[c] {
			if math.Abs(got.Coincidence[c][k]-want[c][k]) > 1e-9 {
				t.Errorf("o[%d][%d] = %v, want %v", c+1, k+1, got.Coincidence[c][k], want[c][k])
			}
		}
	}
}

func TestAlphaEdges(t *testing.T) {
	// Perfect agreement with two values in use: D_o = 0, alpha = 1.
	if got := alphaFromMatrix([][]int{{0, 0}, {1, 1}}, 2); !near(got.Alpha, 1) {
		t.Errorf("perfect: %+v", got.Alpha)
	}
	// One value everywhere: D_e = 0, alpha undefined.
	if got := alphaFromMatrix([][]int{{0, 0}, {0, 0}}, 2); got.Alpha.Defined {
		t.Errorf("constant: %+v", got.Alpha)
	}
	// No pairable unit.
	if got := alphaFromMatrix([][]int{{0, -1}, {-1, 1}}, 2); got.Units != 0 || got.Alpha.Defined || got.Observed.Defined {
		t.Errorf("unpairable: %+v", got)
	}
	// Two units, two coders, complete disagreement on one:
	// u1 = (0,0), u2 = (0,1). o_00 = 2, o_01 = o_10 = 1, n_0 = 3, n_1 = 1,
	// n = 4: alpha = 1 - 3·2/(2·3·1) = 0.
	if got := alphaFromMatrix([][]int{{0, 0}, {0, 1}}, 2); !near(got.Alpha, 0) {
		t.Errorf("half: %+v", got.Alpha)
	}
}

func TestValueJSON(t *testing.T) {
	b, err := json.Marshal(struct{ A, B Value }{defined(0.25), Value{}})
	if err != nil || string(b) != `{"A":0.25,"B":null}` {
		t.Fatalf("marshal: %s %v", b, err)
	}
	var back struct{ A, B Value }
	if err := json.Unmarshal(b, &back); err != nil || back.A != defined(0.25) || back.B.Defined {
		t.Fatalf("unmarshal: %+v %v", back, err)
	}
	if s := (Value{}).String(); s != "n/a" {
		t.Errorf("String = %q", s)
	}
	if !math.IsNaN((Value{}).Float()) {
		t.Error("Float of undefined is not NaN")
	}
}

// TestAlphaPairwise checks the count-based coincidence matrix against its
// definition, one ordered pair of coders at a time:
// o_ck = Σ_u Σ_{i≠j} [v_ui = c][v_uj = k] / (m_u − 1).
func TestAlphaPairwise(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for iter := range 300 {
		k := 2 + r.IntN(4)
		coders := 2 + r.IntN(4)
		data := make([][]int, 1+r.IntN(20))
		for u := range data {
			data[u] = make([]int, coders)
			for c := range data[u] {
				data[u][c] = r.IntN(k+1) - 1 // -1 = missing
			}
		}
		o := make([][]float64, k)
		for c := range o {
			o[c] = make([]float64, k)
		}
		for _, unit := range data {
			m := 0
			for _, v := range unit {
				if v >= 0 {
					m++
				}
			}
			if m < 2 {
				continue
			}
			for i, vi := range unit {
				for j, vj := range unit {
					if i != j && vi >= 0 && vj >= 0 {
						o[vi][vj] += 1 / float64(m-1)
					}
				}
			}
		}
		var n, off float64
		nc := make([]float64, k)
		for c := range o {
			for d := range o[c] {
				nc[c] += o[c][d]
				n += o[c][d]
				if c != d {
					off += o[c][d]
				}
			}
		}
		var de float64
		for c := range nc {
			for d := range nc {
				if c != d {
					de += nc[c] * nc[d]
				}
			}
		}
		got := alphaFromMatrix(data, k)
		for c := range o {
			for d := range o[c] {
				if math.Abs(got.Coincidence[c][d]-o[c][d]) > 1e-9 {
					t.Fatalf("iter %d: o[%d][%d] = %v, want %v", iter, c, d, got.Coincidence[c][d], o[c][d])
				}
			}
		}
		if de < 1e-9 {
			if got.Alpha.Defined {
				t.Fatalf("iter %d: alpha %v, want n/a", iter, got.Alpha)
			}
			continue
		}
		if want := 1 - (n-1)*off/de; math.Abs(got.Alpha.V-want) > 1e-9 {
			t.Fatalf("iter %d: alpha %v, want %v", iter, got.Alpha, want)
		}
	}
}
