package agreement

import (
	"math"
	"slices"
	"strconv"
)

// Attribute kinds, spelt as storage spells them.
const (
	AttrChoice = "choice" // one of a list
	AttrFlag   = "flag"   // yes/no: set is "true", not set is "false"
	AttrNumber = "number"
	AttrText   = "text"
)

// Attribute is an attribute to measure: a typed value that spans carry.
type Attribute struct {
	Name string `json:"name"`
	// Kind is AttrChoice, AttrFlag, AttrNumber or AttrText; any other kind
	// is measured as text.
	Kind string `json:"kind"`
	// Labels are the labels whose spans carry it; none means every span.
	Labels []string `json:"labels,omitempty"`
}

// AttrValue is the value of attribute Attribute (by name) on Span, which is
// found by its Doc, Annotator, Label, Start and End. An empty Value is no
// value.
type AttrValue struct {
	Span      Span   `json:"span"`
	Attribute string `json:"attribute"`
	Value     string `json:"value"`
}

// AttributeReport is the agreement on one attribute. The units are the
// spans two annotators have alike: the pairs the exact span F1 matches
// (same start, end and label), on a label the attribute is on.
type AttributeReport struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	// Level is the level of measurement of alpha: "interval" for numbers,
	// "nominal" for the rest.
	Level string          `json:"level"`
	Pairs []AttributePair `json:"pairs"`
	// All is alpha over every selected annotator, reported with three or
	// more: a unit is a span (document, start, end, label) and has a value
	// from each annotator who has that span and a value on it.
	All *ValueAlpha `json:"all,omitempty"`
}

// AttributePair compares two annotators' values of one attribute.
type AttributePair struct {
	A string `json:"a"`
	B string `json:"b"`
	// Spans counts the spans both have (exact match) that the attribute is
	// on; Cohen.Items those of them where both gave a value. Cohen's kappa
	// takes the values as nominal categories (numbers too).
	Spans int        `json:"spans"`
	Cohen CohenKappa `json:"cohen"`
	Alpha ValueAlpha `json:"alpha"`
}

// ValueAlpha is Krippendorff's alpha on attribute values, nominal or
// interval (AttributeReport.Level): Units pairable units, Values pairable
// values, the disagreements D_o and D_e, alpha = 1 - D_o/D_e (undefined
// when every pairable value is the same, or there are none).
type ValueAlpha struct {
	Units    int   `json:"units"`
	Values   int   `json:"values"`
	Observed Value `json:"observed_disagreement"`
	Expected Value `json:"expected_disagreement"`
	Alpha    Value `json:"alpha"`
}

type valKey struct {
	ann, attr, label string
	start, end       int
}

// attachValues hands each attribute value to the document of its span;
// values on documents not given are skipped.
func attachValues(ds []*docState, docIdx map[string]int, vals []AttrValue) {
	for _, v := range vals {
		di, ok := docIdx[v.Span.Doc]
		if !ok {
			continue
		}
		d := ds[di]
		if d.vals == nil {
			d.vals = map[valKey]string{}
		}
		s := v.Span
		d.vals[valKey{s.Annotator, v.Attribute, s.Label, s.Start, s.End}] = v.Value
	}
}

// value is annotator ann's value of at on span s, ok false when it is
// missing. A flag not set is "false"; a number is written as strconv writes
// it, and one that does not parse is missing.
func (d *docState) value(at Attribute, ann string, s Span) (v string, ok bool) {
	v = d.vals[valKey{ann, at.Name, s.Label, s.Start, s.End}]
	switch at.Kind {
	case AttrFlag:
		if v == "" {
			return "false", true
		}
	case AttrNumber:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return "", false
		}
		return strconv.FormatFloat(f, 'g', -1, 64), true
	}
	return v, v != ""
}

func (at Attribute) on(label string) bool {
	return len(at.Labels) == 0 || slices.Contains(at.Labels, label)
}

func (at Attribute) level() string {
	if at.Kind == AttrNumber {
		return "interval"
	}
	return "nominal"
}

// attributeReports measures each attribute (the first of a name) that is on
// a label kept, for every pair of annotators and, with three or more, for
// all of them.
func attributeReports(ds []*docState, anns, labels []string, attrs []Attribute) []AttributeReport {
	var keep []Attribute
	seen := map[string]bool{}
	for _, at := range attrs {
		if seen[at.Name] || len(at.Labels) > 0 && !slices.ContainsFunc(at.Labels, func(l string) bool { return slices.Contains(labels, l) }) {
			continue
		}
		seen[at.Name] = true
		keep = append(keep, at)
	}
	if len(keep) == 0 {
		return nil
	}
	out := make([]AttributeReport, len(keep))
	for k, at := range keep {
		out[k] = AttributeReport{Name: at.Name, Kind: at.Kind, Level: at.level(), Pairs: []AttributePair{}}
	}
	for i := range anns {
		for j := i + 1; j < len(anns); j++ {
			for k, p := range attributePairs(ds, anns, i, j, keep) {
				out[k].Pairs = append(out[k].Pairs, p)
			}
		}
	}
	if len(anns) >= 3 {
		for k, at := range keep {
			al := attributeAll(ds, anns, at)
			out[k].All = &al
		}
	}
	return out
}

// attributePairs compares annotators i and j on each attribute.
func attributePairs(ds []*docState, anns []string, i, j int, attrs []Attribute) []AttributePair {
	a, b := anns[i], anns[j]
	spans := make([]int, len(attrs))
	both := make([][][]string, len(attrs)) // units with both values
	for _, d := range ds {
		if d.labels[i] == nil || d.labels[j] == nil {
			continue
		}
		sa, sb := d.spans[a], d.spans[b]
		for _, p := range matchSpans(sa, sb, false) {
			if p.a < 0 || p.b < 0 {
				continue
			}
			for k, at := range attrs {
				if !at.on(sa[p.a].Label) {
					continue
				}
				spans[k]++
				va, oka := d.value(at, a, sa[p.a])
				vb, okb := d.value(at, b, sb[p.b])
				if oka && okb {
					both[k] = append(both[k], []string{va, vb})
				}
			}
		}
	}
	out := make([]AttributePair, len(attrs))
	for k, at := range attrs {
		out[k] = AttributePair{A: a, B: b, Spans: spans[k], Cohen: nominalKappa(both[k]), Alpha: valueAlpha(at.level(), both[k])}
	}
	return out
}

// attributeAll is alpha for attribute at over every selected annotator: a
// unit is a span (start, end, label) of a document, with the values of the
// annotators who annotated the document, have that span (once each) and a
// value on it.
func attributeAll(ds []*docState, anns []string, at Attribute) ValueAlpha {
	var units [][]string
	for _, d := range ds {
		idx := map[end]int{}
		var du [][]string
		for ai, ann := range anns {
			if d.labels[ai] == nil {
				continue
			}
			had := map[end]bool{}
			for _, s := range d.spans[ann] {
				e := endOf(s)
				if had[e] || !at.on(s.Label) {
					continue
				}
				had[e] = true
				v, ok := d.value(at, ann, s)
				if !ok {
					continue
				}
				u, found := idx[e]
				if !found {
					u = len(du)
					idx[e] = u
					du = append(du, nil)
				}
				du[u] = append(du[u], v)
			}
		}
		units = append(units, du...)
	}
	return valueAlpha(at.level(), units)
}

// nominalKappa is Cohen's kappa on pairs of values, each value a category.
func nominalKappa(pairs [][]string) CohenKappa {
	cats := categories(pairs)
	k := len(cats)
	table := make([]int, k*k)
	for _, p := range pairs {
		table[cats[p[0]]*k+cats[p[1]]]++
	}
	return cohenFlat(table, k)
}

// valueAlpha is Krippendorff's alpha on units given as their values, at
// level "nominal" or "interval" (values that are numbers).
func valueAlpha(level string, units [][]string) ValueAlpha {
	if level == "interval" {
		nums := make([][]float64, len(units))
		for u, vs := range units {
			for _, v := range vs {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					nums[u] = append(nums[u], f)
				}
			}
		}
		return intervalAlpha(nums)
	}
	cats := categories(units)
	co := newCoincidence(len(cats))
	counts := make([]int, len(cats))
	for _, vs := range units {
		clear(counts)
		for _, v := range vs {
			counts[cats[v]]++
		}
		co.add(counts)
	}
	a := co.result(nil)
	return ValueAlpha{Units: a.Units, Values: a.Values, Observed: a.Observed, Expected: a.Expected, Alpha: a.Alpha}
}

// categories numbers the values seen, in sorted order.
func categories(units [][]string) map[string]int {
	set := map[string]bool{}
	for _, vs := range units {
		for _, v := range vs {
			set[v] = true
		}
	}
	out := make(map[string]int, len(set))
	for c, v := range sortedKeys(set) {
		out[v] = c
	}
	return out
}
