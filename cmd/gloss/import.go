package main

import (
	"context"
	"fmt"
	"io"

	"gloss/app/library"
)

func cliImport(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("gloss import", stderr)
	db := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "gloss import: name at least one file")
		return 2
	}
	store, err := openStore(*db)
	if err != nil {
		fmt.Fprintln(stderr, "gloss import:", err)
		return 1
	}
	defer store.Close()
	ctx := context.Background()
	if _, err := store.DefaultLabelSet(ctx); err != nil {
		fmt.Fprintln(stderr, "gloss import:", err)
		return 1
	}
	res, err := library.ImportFiles(ctx, store, fs.Args())
	if err != nil {
		fmt.Fprintln(stderr, "gloss import:", err)
		return 1
	}
	added := 0
	for _, r := range res {
		state := "already present"
		if r.Created {
			state = "imported"
			added++
		}
		fmt.Fprintf(stdout, "%s: %s as %q (%s, %d characters)\n", r.Path, state, r.Document.Title, r.Document.ID, r.Document.Length)
	}
	fmt.Fprintf(stdout, "%d imported, %d already present\n", added, len(res)-added)
	return 0
}
