package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"gloss/app/library"
)

func cliExport(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("gloss export", stderr)
	db := dbFlag(fs)
	format := fs.String("format", "jsonl", "output format: jsonl")
	out := fs.String("o", "-", "output file (- for standard output)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *format != "jsonl" {
		fmt.Fprintf(stderr, "gloss export: unknown format %q (known: jsonl)\n", *format)
		return 2
	}
	store, err := openStore(*db)
	if err != nil {
		fmt.Fprintln(stderr, "gloss export:", err)
		return 1
	}
	defer store.Close()
	docs, spans, err := writeOutput(*out, stdout, func(w io.Writer) (int, int, error) {
		return library.ExportJSONL(context.Background(), store, w)
	})
	if err != nil {
		fmt.Fprintln(stderr, "gloss export:", err)
		return 1
	}
	fmt.Fprintf(stderr, "exported %d documents, %d spans\n", docs, spans)
	return 0
}

// writeOutput writes to standard output, or to a temporary file beside path
// that is renamed over it only when everything was written: a failed export
// never leaves half a file.
func writeOutput(path string, stdout io.Writer, write func(io.Writer) (int, int, error)) (int, int, error) {
	if path == "-" || path == "" {
		return write(stdout)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, 0, err
	}
	defer os.Remove(tmp.Name())
	a, b, err := write(tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	return a, b, err
}
