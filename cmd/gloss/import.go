package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"gloss/app/formats"
	"gloss/app/library"
	"gloss/storage"
	"gloss/storage/postgres"
)

func cliImport(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("gloss import", stderr)
	db := dbFlag(fs)
	format := fs.String("format", "auto", "auto, an annotation format ("+strings.Join(formats.ImportFormats(), ", ")+") or an article format ("+strings.Join(formats.ArticleFormats(), ", ")+")")
	strict := fs.Bool("strict", false, "refuse spans whose label the label set does not have, instead of creating the label")
	annotator := fs.String("annotator", os.Getenv("GLOSS_ANNOTATOR"), "the importing analyst: the annotator of spans the file names none for")
	html := fs.String("html", formats.HTMLArticle, "how web pages are read: article (the main text, as a reader view shows it) or page (everything)")
	offsets := fs.String("offsets", "", "override the offset unit of the file: codepoints or utf16 (default: the format's own, see docs/formats.md)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "gloss import: name at least one file")
		return 2
	}
	if !flagsFirst(fs, stderr) {
		return 2
	}
	unit, err := formats.ParseOffsetUnit(*offsets)
	if err != nil {
		fmt.Fprintln(stderr, "gloss import:", err)
		return 2
	}
	opts := library.ImportFileOptions{Format: *format, Strict: *strict, Annotator: *annotator, Offsets: unit, HTML: *html}
	ctx := context.Background()
	var res library.Result
	if isPostgresURL(*db) {
		// Into the team server, through COPY, as its owner.
		imp, perr := postgres.BeginImport(ctx, *db, storage.ImportOptions{Strict: *strict, DefaultAnnotator: strings.TrimSpace(*annotator)})
		if perr != nil {
			fmt.Fprintln(stderr, "gloss import:", perr)
			return 1
		}
		res, err = library.ImportPathsInto(imp, fs.Args(), opts)
	} else {
		var store *storage.Store
		store, err = openStore(*db)
		if err != nil {
			fmt.Fprintln(stderr, "gloss import:", err)
			return 1
		}
		defer store.Close()
		res, err = library.ImportPaths(ctx, store, fs.Args(), opts)
	}
	if err != nil {
		fmt.Fprintln(stderr, "gloss import:", err)
		if strings.Contains(err.Error(), "no default annotator") {
			fmt.Fprintln(stderr, "gloss import: this file names no annotator for its spans: give one with --annotator NAME")
		}
		return 1
	}
	for i, p := range res.Paths {
		fmt.Fprintf(stdout, "%s: %s\n", p, res.Formats[i])
	}
	printImportSummary(stdout, res)
	for _, n := range res.Notes {
		fmt.Fprintln(stderr, "note:", n)
	}
	return 0
}

func printImportSummary(w io.Writer, res library.Result) {
	s := res.Summary
	fmt.Fprintf(w, "%d imported, %d already present\n", s.Documents, s.DocumentsExisting)
	fmt.Fprintf(w, "spans: %d added, %d already present", s.Spans, s.SpansSkipped)
	if s.SpansUpdated > 0 {
		fmt.Fprintf(w, ", %d updated", s.SpansUpdated)
	}
	fmt.Fprintln(w)
	if s.Relations+s.RelationsSkipped+s.Attributes > 0 {
		fmt.Fprintf(w, "relations: %d added, %d already present; attribute values: %d set\n", s.Relations, s.RelationsSkipped, s.Attributes)
	}
	if len(s.LabelsCreated) > 0 {
		fmt.Fprintf(w, "labels created: %s\n", strings.Join(s.LabelsCreated, ", "))
	}
	if len(s.AnnotatorsCreated) > 0 {
		fmt.Fprintf(w, "annotators created: %s\n", strings.Join(s.AnnotatorsCreated, ", "))
	}
	if len(res.Corrected) > 0 {
		fmt.Fprintf(w, "offsets corrected: %s\n", formats.CountsText(res.Corrected))
	}
	if len(s.Skipped) > 0 {
		fmt.Fprintf(w, "not imported (Gloss cannot keep them): %s\n", formats.CountsText(s.Skipped))
	}
}
