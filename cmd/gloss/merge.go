package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"gloss/app/library"
	"gloss/storage"
)

// cliMerge merges each file in turn into the database, each in its own
// transaction: a file that fails leaves the database as it was before that
// file, is reported on standard error, and the others are still merged; the
// exit status is 1 when any failed.
func cliMerge(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("gloss merge", stderr)
	db := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "gloss merge: name the files to merge: OTHER.db or OTHER.jsonl ...")
		return 2
	}
	if !flagsFirst(fs, stderr) {
		return 2
	}
	store, err := openStore(*db)
	if err != nil {
		fmt.Fprintln(stderr, "gloss merge:", err)
		return 1
	}
	defer store.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	code := 0
	for _, path := range fs.Args() {
		sum, err := library.Merge(ctx, store, path)
		if err != nil {
			fmt.Fprintln(stderr, "gloss merge:", err)
			code = 1
			if ctx.Err() != nil {
				break
			}
			continue
		}
		printMerge(stdout, path, sum)
	}
	return code
}

func printMerge(w io.Writer, path string, s storage.MergeSummary) {
	fmt.Fprintf(w, "%s: documents %d added, %d matched; spans %d added, %d updated, %d deleted, %d skipped; "+
		"statuses %d updated; annotators %d added; labels %d added\n",
		path, s.DocumentsAdded, s.DocumentsMatched, s.SpansAdded, s.SpansUpdated, s.SpansDeleted, s.SpansSkipped,
		s.StatusesUpdated, s.AnnotatorsAdded, s.LabelsAdded)
	if n := s.RelationsAdded + s.RelationsUpdated + s.RelationsDeleted + s.RelationsSkipped + s.AttributesMerged; n > 0 {
		fmt.Fprintf(w, "%s: relations %d added, %d updated, %d deleted, %d skipped; attribute values %d merged\n",
			path, s.RelationsAdded, s.RelationsUpdated, s.RelationsDeleted, s.RelationsSkipped, s.AttributesMerged)
	}
	if s.LeftOut > 0 {
		fmt.Fprintf(w, "%s: left out %d spans of the layers of %s: the server lets you write only your own layer\n",
			path, s.LeftOut, strings.Join(s.LeftOutOf, ", "))
	}
	for _, c := range s.Conflicts {
		fmt.Fprintf(w, "  conflict: %s\n", c)
	}
}
