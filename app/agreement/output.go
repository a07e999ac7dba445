package agreement

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// WriteText writes the report as aligned plain-text tables; undefined
// values read "n/a".
func (r Report) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	p := func(format string, args ...any) { fmt.Fprintf(ew, format, args...) }

	labels := "all"
	if len(r.Labels) > 0 {
		labels = strings.Join(r.Labels, ", ")
	}
	p("Agreement: %s (%s), labels: %s\n", plural(len(r.Annotators), "annotator"), strings.Join(r.Annotators, ", "), labels)
	p("Read %s (%s); at least two annotators annotated %s (%s), which is what the measures below use.\n",
		plural(r.Documents, "document"), plural(r.Tokens, "token"), plural(r.Alpha.Documents, "document"), plural(r.Alpha.Units, "token"))
	if r.IgnoredSpans > 0 {
		p("Ignored %d spans (unknown document or offsets outside the text).\n", r.IgnoredSpans)
	}

	p("\nAnnotators\n")
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  annotator\tdocuments\tspans\tlabels")
	for _, a := range r.PerAnnotator {
		var parts []string
		for _, l := range sortedKeys(a.Labels) {
			parts = append(parts, fmt.Sprintf("%s %d", l, a.Labels[l]))
		}
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%s\n", a.Annotator, a.Documents, a.Spans, strings.Join(parts, ", "))
	}
	tw.Flush()

	if len(r.Pairs) == 0 {
		p("\nNo pairs: pairwise measures need two annotators.\n")
	} else {
		p("\nSpan F1 over the documents both annotated (precision and recall take A as the reference)\n")
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  A\tB\tdocs\tmatch\tlabel\ttp\tonly A\tonly B\tprecision\trecall\tF1")
		for _, pr := range r.Pairs {
			for _, m := range []struct {
				name string
				m    Match
			}{{"exact", pr.Exact}, {"overlap", pr.Overlap}} {
				c := m.m.Counts
				fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\t%s\t%d\t%d\t%d\t%s\t%s\t%s\n", pr.A, pr.B, pr.Documents, m.name,
					"(all)", c.TP, c.OnlyA, c.OnlyB, c.Precision, c.Recall, c.F1)
				for _, lc := range m.m.PerLabel {
					c := lc.Counts
					fmt.Fprintf(tw, "  \t\t\t\t%s\t%d\t%d\t%d\t%s\t%s\t%s\n", lc.Label,
						c.TP, c.OnlyA, c.OnlyB, c.Precision, c.Recall, usedBy(c.F1, lc.UsedBy, pr.A, pr.B))
				}
			}
		}
		tw.Flush()

		p("\nCohen's kappa on token labels (untagged tokens are O)\n")
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  A\tB\ttokens\tobserved\texpected\tkappa")
		for _, pr := range r.Pairs {
			c := pr.Cohen
			fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\t%s\t%s\n", pr.A, pr.B, c.Items, c.Observed, c.Expected, c.Kappa)
		}
		tw.Flush()
	}

	if f := r.Fleiss; f != nil {
		p("\nFleiss' kappa over the %d documents all %d annotators annotated: %d tokens, mean agreement %s, expected %s, kappa %s\n",
			f.Documents, f.Raters, f.Items, f.MeanAgreement, f.Expected, f.Kappa)
	}
	a := r.Alpha
	p("\nKrippendorff's alpha (nominal) on the tokens of the %s at least two annotators annotated: %d units, %d pairable values, observed disagreement %s, expected %s, alpha %s\n",
		plural(a.Documents, "document"), a.Units, a.Values, a.Observed, a.Expected, a.Alpha)

	if r.Relations != nil {
		p("\nRelation F1 over the documents both annotated (exact: same type and end spans, either way round if symmetric; overlap: same type, ends overlap)\n")
		if r.IgnoredRelations > 0 {
			p("Ignored %d relations (unknown document or offsets outside the text).\n", r.IgnoredRelations)
		}
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  A\tB\tdocs\tmatch\ttype\ttp\tonly A\tonly B\tprecision\trecall\tF1")
		for _, pr := range r.Relations {
			for _, m := range []struct {
				name string
				m    RelationMatch
			}{{"exact", pr.Exact}, {"overlap", pr.Overlap}} {
				c := m.m.Counts
				fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\t%s\t%d\t%d\t%d\t%s\t%s\t%s\n", pr.A, pr.B, pr.Documents, m.name,
					"(all)", c.TP, c.OnlyA, c.OnlyB, c.Precision, c.Recall, c.F1)
				for _, tc := range m.m.PerType {
					c := tc.Counts
					fmt.Fprintf(tw, "  \t\t\t\t%s\t%d\t%d\t%d\t%s\t%s\t%s\n", tc.Type,
						c.TP, c.OnlyA, c.OnlyB, c.Precision, c.Recall, usedBy(c.F1, tc.UsedBy, pr.A, pr.B))
				}
			}
		}
		tw.Flush()
	}

	if r.Attributes != nil {
		p("\nAttributes on the spans both annotators have (same extent and label): kappa where both gave a value, alpha interval for numbers and nominal otherwise; an unset flag is \"false\"\n")
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  attribute\tkind\tA\tB\tspans\tvalues\tobserved\texpected\tkappa\talpha")
		for _, at := range r.Attributes {
			for _, pr := range at.Pairs {
				c := pr.Cohen
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\n", at.Name, at.Kind, pr.A, pr.B,
					pr.Spans, c.Items, c.Observed, c.Expected, c.Kappa, pr.Alpha.Alpha)
			}
			if al := at.All; al != nil {
				fmt.Fprintf(tw, "  %s\t%s\t(all)\t\t%d\t%d\t\t\t\t%s\n", at.Name, at.Kind, al.Units, al.Values, al.Alpha)
			}
		}
		tw.Flush()
		if slices.ContainsFunc(r.Attributes, func(a AttributeReport) bool { return a.All != nil }) {
			p("  (all): alpha over every annotator; spans = spans at least two have with values, values = their values\n")
		}
	}
	return ew.err
}

// usedBy is an F1 to print: "n/a (only X used it)" when only one side of
// the pair used the label or type.
func usedBy(f1 Value, by, a, b string) string {
	switch by {
	case "a":
		return "n/a (only " + a + " used it)"
	case "b":
		return "n/a (only " + b + " used it)"
	}
	return f1.String()
}

// WriteCSV writes the report in long form, one number a row, with the
// header measure,a,b,label,value. Scores have 12 significant digits;
// undefined values are empty cells.
// Measures: annotator.documents, annotator.spans, annotator.label_spans
// (a = the annotator); pair.documents, exact.* and overlap.* (tp, only_a,
// only_b, precision, recall, f1; label empty for the micro average),
// cohen.* (items, observed, expected, kappa); fleiss.* (documents, items,
// raters, mean_agreement, expected, kappa); alpha.* (units, values,
// observed_disagreement, expected_disagreement, alpha). With relations:
// relation.documents, relation_exact.* and relation_overlap.* (as exact.*,
// label = the relation type, empty for the micro average). With
// attributes (label = the attribute): attribute.spans, attribute.items,
// attribute.observed, attribute.expected, attribute.kappa,
// attribute.alpha_values and attribute.alpha per pair, and the last two
// with a and b empty for all annotators (three or more).
func (r Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	row := func(measure, a, b, label, value string) {
		cw.Write([]string{measure, a, b, label, value})
	}
	num := func(n int) string { return strconv.Itoa(n) }
	val := func(v Value) string {
		if !v.Defined {
			return ""
		}
		return strconv.FormatFloat(v.V, 'g', 12, 64)
	}
	row("measure", "a", "b", "label", "value")
	for _, s := range r.PerAnnotator {
		row("annotator.documents", s.Annotator, "", "", num(s.Documents))
		row("annotator.spans", s.Annotator, "", "", num(s.Spans))
		for _, l := range sortedKeys(s.Labels) {
			row("annotator.label_spans", s.Annotator, "", l, num(s.Labels[l]))
		}
	}
	counts := func(prefix, a, b, label string, c Counts) {
		row(prefix+".tp", a, b, label, num(c.TP))
		row(prefix+".only_a", a, b, label, num(c.OnlyA))
		row(prefix+".only_b", a, b, label, num(c.OnlyB))
		row(prefix+".precision", a, b, label, val(c.Precision))
		row(prefix+".recall", a, b, label, val(c.Recall))
		row(prefix+".f1", a, b, label, val(c.F1))
	}
	for _, p := range r.Pairs {
		row("pair.documents", p.A, p.B, "", num(p.Documents))
		for _, m := range []struct {
			name string
			m    Match
		}{{"exact", p.Exact}, {"overlap", p.Overlap}} {
			counts(m.name, p.A, p.B, "", m.m.Counts)
			for _, lc := range m.m.PerLabel {
				counts(m.name, p.A, p.B, lc.Label, lc.Counts)
			}
		}
		row("cohen.items", p.A, p.B, "", num(p.Cohen.Items))
		row("cohen.observed", p.A, p.B, "", val(p.Cohen.Observed))
		row("cohen.expected", p.A, p.B, "", val(p.Cohen.Expected))
		row("cohen.kappa", p.A, p.B, "", val(p.Cohen.Kappa))
	}
	if f := r.Fleiss; f != nil {
		row("fleiss.documents", "", "", "", num(f.Documents))
		row("fleiss.items", "", "", "", num(f.Items))
		row("fleiss.raters", "", "", "", num(f.Raters))
		row("fleiss.mean_agreement", "", "", "", val(f.MeanAgreement))
		row("fleiss.expected", "", "", "", val(f.Expected))
		row("fleiss.kappa", "", "", "", val(f.Kappa))
	}
	a := r.Alpha
	row("alpha.documents", "", "", "", num(a.Documents))
	row("alpha.units", "", "", "", num(a.Units))
	row("alpha.values", "", "", "", num(a.Values))
	row("alpha.observed_disagreement", "", "", "", val(a.Observed))
	row("alpha.expected_disagreement", "", "", "", val(a.Expected))
	row("alpha.alpha", "", "", "", val(a.Alpha))
	for _, p := range r.Relations {
		row("relation.documents", p.A, p.B, "", num(p.Documents))
		for _, m := range []struct {
			name string
			m    RelationMatch
		}{{"relation_exact", p.Exact}, {"relation_overlap", p.Overlap}} {
			counts(m.name, p.A, p.B, "", m.m.Counts)
			for _, tc := range m.m.PerType {
				counts(m.name, p.A, p.B, tc.Type, tc.Counts)
			}
		}
	}
	for _, at := range r.Attributes {
		for _, p := range at.Pairs {
			row("attribute.spans", p.A, p.B, at.Name, num(p.Spans))
			row("attribute.items", p.A, p.B, at.Name, num(p.Cohen.Items))
			row("attribute.observed", p.A, p.B, at.Name, val(p.Cohen.Observed))
			row("attribute.expected", p.A, p.B, at.Name, val(p.Cohen.Expected))
			row("attribute.kappa", p.A, p.B, at.Name, val(p.Cohen.Kappa))
			row("attribute.alpha_values", p.A, p.B, at.Name, num(p.Alpha.Values))
			row("attribute.alpha", p.A, p.B, at.Name, val(p.Alpha.Alpha))
		}
		if al := at.All; al != nil {
			row("attribute.alpha_values", "", "", at.Name, num(al.Values))
			row("attribute.alpha", "", "", at.Name, val(al.Alpha))
		}
	}
	cw.Flush()
	return cw.Error()
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(b []byte) (int, error) {
	if e.err != nil {
		return len(b), nil
	}
	n, err := e.w.Write(b)
	e.err = err
	return n, err
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
