package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"gloss/app/agreement"
	"gloss/app/library"
)

// cliAgree prints inter-annotator agreement: span F1, Cohen's and Fleiss'
// kappa and Krippendorff's alpha (docs/agreement.md).
func cliAgree(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("gloss agree", stderr)
	db := dbFlag(fs)
	annotators := fs.String("annotators", "", "comma-separated annotator names (default: everyone)")
	labels := fs.String("labels", "", "comma-separated labels (default: all)")
	docs := fs.String("docs", "", "comma-separated document ids (default: all)")
	format := fs.String("format", "text", "text, json or csv")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *format != "text" && *format != "json" && *format != "csv" {
		fmt.Fprintf(stderr, "gloss agree: unknown format %q (text, json, csv)\n", *format)
		return 2
	}
	store, err := openExisting(*db)
	if err != nil {
		fmt.Fprintln(stderr, "gloss agree:", err)
		return 1
	}
	defer store.Close()
	ds, spans, err := library.AgreementData(context.Background(), store, splitList(*docs))
	if err != nil {
		fmt.Fprintln(stderr, "gloss agree:", err)
		return 1
	}
	rep := agreement.Compute(ds, spans, agreement.Options{Annotators: splitList(*annotators), Labels: splitList(*labels)})
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(rep)
	case "csv":
		err = rep.WriteCSV(stdout)
	default:
		err = rep.WriteText(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "gloss agree:", err)
		return 1
	}
	return 0
}

// cliDiff lines up two annotators' spans on one document.
func cliDiff(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("gloss diff", stderr)
	db := dbFlag(fs)
	doc := fs.String("doc", "", "document id")
	pair := fs.String("annotators", "", "two annotator names: a,b")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	names := splitList(*pair)
	if *doc == "" || len(names) != 2 {
		fmt.Fprintln(stderr, "gloss diff: give --doc ID and --annotators a,b")
		return 2
	}
	store, err := openExisting(*db)
	if err != nil {
		fmt.Fprintln(stderr, "gloss diff:", err)
		return 1
	}
	defer store.Close()
	d, pairs, err := library.Diff(context.Background(), store, *doc, names[0], names[1])
	if err != nil {
		fmt.Fprintln(stderr, "gloss diff:", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(pairs); err != nil {
			fmt.Fprintln(stderr, "gloss diff:", err)
			return 1
		}
		return 0
	}
	rs := []rune(d.Text)
	show := func(s *agreement.Span) string {
		if s == nil {
			return "-"
		}
		return fmt.Sprintf("%s %d-%d %q", s.Label, s.Start, s.End, string(rs[s.Start:s.End]))
	}
	counts := map[agreement.Kind]int{}
	fmt.Fprintf(stdout, "%s\n%-8s  %-40s  %s\n", d.Title, "kind", names[0], names[1])
	for _, p := range pairs {
		counts[p.Kind]++
		fmt.Fprintf(stdout, "%-8s  %-40s  %s\n", p.Kind, show(p.A), show(p.B))
	}
	fmt.Fprintf(stdout, "\n%d agree, %d other label, %d overlap, %d only %s, %d only %s\n",
		counts[agreement.Agree], counts[agreement.Relabel], counts[agreement.Overlap],
		counts[agreement.OnlyA], names[0], counts[agreement.OnlyB], names[1])
	return 0
}
