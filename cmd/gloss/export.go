package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"gloss/app/formats"
	"gloss/app/library"
)

func cliExport(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("gloss export", stderr)
	db := dbFlag(fs)
	format := fs.String("format", "jsonl", "output format: "+strings.Join(formats.ExportFormats(), ", "))
	out := fs.String("o", "-", "output file (- for standard output); for brat an output folder")
	annotator := fs.String("annotator", "", "export only this annotator's spans and status")
	gold := fs.Bool("gold", false, `export only the spans of the annotator named "gold"`)
	status := fs.String("status", "", "only documents with this status: todo, in_progress, done, reviewed")
	labels := fs.String("labels", "", "only spans with these labels, comma-separated (A,B)")
	docs := fs.String("docs", "", "only these documents, by id, comma-separated")
	offsets := fs.String("offsets", "", "offset unit: codepoints or utf16 ("+strings.Join(formats.UnitFormats(formats.UnitUTF16), ", ")+"); default: the format's own")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gloss export: unexpected argument %q (flags only)\n", fs.Arg(0))
		return 2
	}
	if f, ok := formats.Lookup(*format); !ok || !f.Export {
		fmt.Fprintf(stderr, "gloss export: unknown format %q (known: %s)\n", *format, strings.Join(formats.ExportFormats(), ", "))
		return 2
	}
	unit, err := formats.ParseOffsetUnit(*offsets)
	if err != nil {
		fmt.Fprintln(stderr, "gloss export:", err)
		return 2
	}
	o := library.ExportOptions{Format: *format, Path: *out, Annotator: *annotator, Gold: *gold,
		Status: *status, Offsets: unit}
	o.Labels = splitList(*labels)
	o.DocumentIDs = splitList(*docs)
	if *out == "-" || *out == "" {
		o.Path, o.W = "", stdout
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	store, closeDB, err := openReader(ctx, *db, false)
	if err != nil {
		fmt.Fprintln(stderr, "gloss export:", err)
		return 1
	}
	defer closeDB()
	sum, err := library.Export(ctx, store, o, nil)
	if err != nil {
		fmt.Fprintln(stderr, "gloss export:", err)
		return 1
	}
	printSummary(stderr, sum)
	return 0
}

// printSummary says what was written and, never silently, what was bent.
func printSummary(w io.Writer, s formats.Summary) {
	where := ""
	if len(s.Files) > 0 {
		where = " to " + strings.Join(s.Files, ", ")
	}
	rels := ""
	if s.Relations > 0 {
		rels = ", " + library.Count(s.Relations, "relation")
	}
	fmt.Fprintf(w, "exported %s, %s%s as %s%s\n", library.Count(s.Documents, "document"), library.Count(s.Spans, "span"), rels, s.Format, where)
	for _, n := range library.RelationNotes(s) {
		fmt.Fprintln(w, "note:", n)
	}
	if s.Misaligned > 0 {
		what := "widened to the tokens that cover them"
		if s.Format == "spacy" {
			what = "written with their character offsets; token_start/token_end are the covering tokens"
		}
		fmt.Fprintf(w, "warning: %d spans do not fall on token boundaries (%s), in %d documents: %s\n",
			s.Misaligned, what, len(s.MisalignedDocs), idList(s.MisalignedDocs))
	}
	if s.Dropped > 0 {
		why := "they overlap a longer span or cover no token"
		if s.Format == "brat" {
			why = "they hold nothing but line breaks"
		}
		fmt.Fprintf(w, "warning: %d spans were left out because %s, in %d documents: %s\n",
			s.Dropped, why, len(s.DroppedDocs), idList(s.DroppedDocs))
	}
	if s.MixedDocs > 0 {
		fmt.Fprintf(w, "note: %d documents have spans of several annotators, merged because %s has no annotators; use --annotator or --gold for one layer\n",
			s.MixedDocs, s.Format)
	}
}

func idList(ids []string) string {
	const show = 10
	if len(ids) <= show {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ids[:show], ", "), len(ids)-show)
}
