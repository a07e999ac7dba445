package agreement

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strconv"
)

// Value is a statistic that may be undefined (a division of zero by zero,
// such as kappa when chance agreement is already 1). It marshals to a JSON
// number, or null when undefined.
type Value struct {
	V       float64
	Defined bool
}

func defined(v float64) Value { return Value{V: v, Defined: true} }

// ratio is num/den, undefined when den is 0.
func ratio(num, den float64) Value {
	if den == 0 {
		return Value{}
	}
	return defined(num / den)
}

// Float returns the value, NaN when undefined.
func (v Value) Float() float64 {
	if !v.Defined {
		return math.NaN()
	}
	return v.V
}

// String formats the value with three decimals, "n/a" when undefined.
func (v Value) String() string {
	if !v.Defined {
		return "n/a"
	}
	return strconv.FormatFloat(v.V, 'f', 3, 64)
}

// MarshalJSON writes the number, or null when undefined.
func (v Value) MarshalJSON() ([]byte, error) {
	if !v.Defined || math.IsNaN(v.V) || math.IsInf(v.V, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, v.V, 'g', -1, 64), nil
}

// UnmarshalJSON reads a number, or null as undefined.
func (v *Value) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*v = Value{}
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*v = defined(f)
	return nil
}

// CohenKappa is Cohen's kappa for two annotators on token labels.
// Observed is p_o, Expected p_e; Kappa = (p_o - p_e) / (1 - p_e),
// undefined when there are no items or p_e = 1.
type CohenKappa struct {
	Items    int   `json:"items"`
	Observed Value `json:"observed"`
	Expected Value `json:"expected"`
	Kappa    Value `json:"kappa"`
}

// cohenFromTable computes Cohen's kappa from a k×k contingency table:
// table[x][y] counts items rater A put in category x and rater B in y.
func cohenFromTable(table [][]int) CohenKappa {
	k := len(table)
	flat := make([]int, k*k)
	for x := range table {
		copy(flat[x*k:], table[x])
	}
	return cohenFlat(flat, k)
}

// cohenFlat is cohenFromTable on a row-major k×k table.
func cohenFlat(table []int, k int) CohenKappa {
	var n, diag int64
	rows := make([]int64, k)
	cols := make([]int64, k)
	for x := range k {
		for y := range k {
			c := int64(table[x*k+y])
			n += c
			rows[x] += c
			cols[y] += c
			if x == y {
				diag += c
			}
		}
	}
	ck := CohenKappa{Items: int(n)}
	if n == 0 {
		return ck
	}
	var agree int64 // sum of row×col products: p_e × n²
	for c := range k {
		agree += rows[c] * cols[c]
	}
	nn := float64(n) * float64(n)
	po := float64(diag) / float64(n)
	pe := float64(agree) / nn
	ck.Observed = defined(po)
	ck.Expected = defined(pe)
	if agree != n*n { // p_e < 1, decided in integers
		ck.Kappa = defined((po - pe) / (1 - pe))
	}
	return ck
}

// FleissKappa is Fleiss' kappa over the tokens of the documents every
// selected annotator annotated (Documents of them, Items tokens, Raters
// raters each). MeanAgreement is P̄, Expected P̄e;
// Kappa = (P̄ - P̄e) / (1 - P̄e), undefined with no items or P̄e = 1.
type FleissKappa struct {
	Documents     int   `json:"documents"`
	Items         int   `json:"items"`
	Raters        int   `json:"raters"`
	MeanAgreement Value `json:"mean_agreement"`
	Expected      Value `json:"expected"`
	Kappa         Value `json:"kappa"`
}

type fleiss struct {
	FleissKappa
	cols []int64
	sumP float64
}

func newFleiss(k, raters int) *fleiss {
	return &fleiss{FleissKappa: FleissKappa{Raters: raters}, cols: make([]int64, k)}
}

// add adds one item: counts[c] raters put it in category c; the counts sum
// to Raters.
func (f *fleiss) add(counts []int) {
	n := f.Raters
	var sq int
	for c, x := range counts {
		sq += x * x
		f.cols[c] += int64(x)
	}
	f.sumP += float64(sq-n) / float64(n*(n-1))
	f.Items++
}

func (f *fleiss) result() FleissKappa {
	out := f.FleissKappa
	if f.Items == 0 || f.Raters < 2 {
		return out
	}
	total := int64(f.Items) * int64(f.Raters)
	var sq int64
	pe := 0.0
	for _, c := range f.cols {
		sq += c * c
		p := float64(c) / float64(total)
		pe += p * p
	}
	pbar := f.sumP / float64(f.Items)
	out.MeanAgreement = defined(pbar)
	out.Expected = defined(pe)
	if sq != total*total {
		out.Kappa = defined((pbar - pe) / (1 - pe))
	}
	return out
}

// fleissFromCounts computes Fleiss' kappa from an items×categories matrix
// of rating counts, each row summing to the same number of raters.
func fleissFromCounts(counts [][]int) FleissKappa {
	if len(counts) == 0 {
		return FleissKappa{}
	}
	n := 0
	for _, x := range counts[0] {
		n += x
	}
	f := newFleiss(len(counts[0]), n)
	for _, row := range counts {
		f.add(row)
	}
	return f.result()
}

// Alpha is Krippendorff's alpha for nominal data. Units counts the
// pairable units (tokens with values from at least two annotators), Values
// the pairable values n. Observed and Expected are the disagreements D_o
// and D_e; Alpha = 1 - D_o/D_e, undefined when D_e = 0 (no pairable values,
// or all of them the same). Categories name the rows and columns of the
// coincidence matrix.
type Alpha struct {
	// Documents counts the documents alpha was computed on: those that at
	// least two annotators annotated.
	Documents   int         `json:"documents"`
	Units       int         `json:"units"`
	Values      int         `json:"values"`
	Observed    Value       `json:"observed_disagreement"`
	Expected    Value       `json:"expected_disagreement"`
	Alpha       Value       `json:"alpha"`
	Categories  []string    `json:"categories"`
	Coincidence [][]float64 `json:"coincidence"`
}

type coincidence struct {
	k     int
	o     []float64 // k×k, row-major
	nc    []int64   // pairable values per category
	units int
	cs    []int // scratch: categories present in the current unit
}

func newCoincidence(k int) *coincidence {
	return &coincidence{k: k, o: make([]float64, k*k), nc: make([]int64, k)}
}

// add adds one unit: counts[c] coders gave it value c. Units with fewer
// than two values are not pairable and are skipped.
func (a *coincidence) add(counts []int) {
	a.cs = a.cs[:0]
	m := 0
	for c, x := range counts {
		if x > 0 {
			a.cs = append(a.cs, c)
			m += x
		}
	}
	if m < 2 {
		return
	}
	a.units++
	w := 1 / float64(m-1)
	for _, c := range a.cs {
		nc := counts[c]
		a.nc[c] += int64(nc)
		for _, d := range a.cs {
			nd := counts[d]
			if c == d {
				a.o[c*a.k+d] += float64(nc*(nc-1)) * w
			} else {
				a.o[c*a.k+d] += float64(nc*nd) * w
			}
		}
	}
}

func (a *coincidence) result(cats []string) Alpha {
	out := Alpha{Units: a.units, Categories: cats, Coincidence: make([][]float64, a.k)}
	var n, sq int64
	for c := range a.k {
		out.Coincidence[c] = append([]float64(nil), a.o[c*a.k:(c+1)*a.k]...)
		n += a.nc[c]
		sq += a.nc[c] * a.nc[c]
	}
	out.Values = int(n)
	if n < 2 {
		return out
	}
	off := 0.0 // sum of o_ck over c ≠ k
	for c := range a.k {
		for d := range a.k {
			if c != d {
				off += a.o[c*a.k+d]
			}
		}
	}
	do := off / float64(n)
	deNum := float64(n*n - sq) // sum over c ≠ k of n_c·n_k
	de := deNum / (float64(n) * float64(n-1))
	out.Observed = defined(do)
	out.Expected = defined(de)
	if n*n != sq {
		out.Alpha = defined(1 - float64(n-1)*off/deNum)
	}
	return out
}

// alphaFromMatrix computes nominal alpha from a units×coders matrix of
// category numbers in [0, k), -1 marking a missing value.
func alphaFromMatrix(data [][]int, k int) Alpha {
	a := newCoincidence(k)
	counts := make([]int, k)
	for _, unit := range data {
		clear(counts)
		for _, v := range unit {
			if v >= 0 {
				counts[v]++
			}
		}
		a.add(counts)
	}
	cats := make([]string, k)
	for c := range cats {
		cats[c] = strconv.Itoa(c)
	}
	return a.result(cats)
}

// intervalAlpha is Krippendorff's alpha with the interval metric
// δ²(c, k) = (c − k)², on units given as the values they have. Units with
// fewer than two values are not pairable. With n pairable values,
//
//	D_o = Σ_u Σ_{i≠j in u} (v_i − v_j)² / (m_u − 1) / n
//	D_e = Σ_{i≠j} (v_i − v_j)² / (n·(n − 1))   over all pairable values
//
// and alpha = 1 − D_o/D_e, undefined when every pairable value is the same.
// A sum over ordered pairs Σ_{i≠j} (v_i − v_j)² of m values is
// 2·m·Σ (v_i − mean)².
func intervalAlpha(units [][]float64) ValueAlpha {
	var out ValueAlpha
	var all []float64
	off := 0.0
	for _, u := range units {
		m := len(u)
		if m < 2 {
			continue
		}
		out.Units++
		all = append(all, u...)
		off += pairSquares(u) / float64(m-1)
	}
	n := len(all)
	out.Values = n
	if n < 2 {
		return out
	}
	de := pairSquares(all)
	out.Observed = defined(off / float64(n))
	out.Expected = defined(de / (float64(n) * float64(n-1)))
	if slices.Min(all) < slices.Max(all) {
		out.Alpha = defined(1 - float64(n-1)*off/de)
	}
	return out
}

// pairSquares is Σ_{i≠j} (v_i − v_j)² over the ordered pairs of vs.
func pairSquares(vs []float64) float64 {
	mean := 0.0
	for _, v := range vs {
		mean += v
	}
	mean /= float64(len(vs))
	ss := 0.0
	for _, v := range vs {
		ss += (v - mean) * (v - mean)
	}
	return 2 * float64(len(vs)) * ss
}
