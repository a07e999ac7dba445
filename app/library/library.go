// Package library is the non-GUI work that the window and the command line
// share: bringing article files into a store, seeding the samples, exporting
// and summarising. It knows no Fyne.
package library

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"gloss/app/formats"
	"gloss/assets"
	"gloss/storage"
)

// Imported is the outcome of importing one file.
type Imported struct {
	Path     string
	Document storage.Document
	Created  bool // false: the same text was already in the store
}

// ImportData imports one article held in memory (the samples, tests and
// benchmarks); files go through ImportPaths, which also reads annotations.
func ImportData(ctx context.Context, store *storage.Store, name string, data []byte) (Imported, error) {
	a, err := formats.ParseArticle(name, data)
	if err != nil {
		return Imported{}, err
	}
	out, err := save(ctx, store, []string{name}, []storage.NewDocument{newDocument(a)})
	if err != nil {
		return Imported{}, err
	}
	return out[0], nil
}

func newDocument(a formats.Article) storage.NewDocument {
	return storage.NewDocument{Title: a.Title, Text: a.Text, FileName: a.FileName, Format: a.Format,
		Byline: a.Byline, Published: a.Published, Site: a.SiteName}
}

func save(ctx context.Context, store *storage.Store, paths []string, docs []storage.NewDocument) ([]Imported, error) {
	if len(docs) == 0 {
		return nil, nil
	}
	stored, created, err := store.ImportDocuments(ctx, docs)
	if err != nil {
		if len(paths) == 1 {
			return nil, fmt.Errorf("%s: %w", paths[0], err)
		}
		return nil, err
	}
	out := make([]Imported, len(stored))
	for i := range stored {
		out[i] = Imported{Path: paths[i], Document: stored[i], Created: created[i]}
	}
	return out, nil
}

// SeedSamples imports the embedded sample articles and makes sure the default
// label set exists. It is idempotent.
func SeedSamples(ctx context.Context, store *storage.Store) (int, error) {
	if _, err := store.DefaultLabelSet(ctx); err != nil {
		return 0, err
	}
	var docs []storage.NewDocument
	var names []string
	for _, s := range assets.Samples() {
		a, err := formats.ParseArticle(s.Name, s.Data)
		if err != nil {
			return 0, fmt.Errorf("sample %w", err)
		}
		docs = append(docs, newDocument(a))
		names = append(names, filepath.Base(s.Name))
	}
	out, err := save(ctx, store, names, docs)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, o := range out {
		if o.Created {
			n++
		}
	}
	return n, nil
}

// Count says "1 span", "3 spans", "2 statuses": the one way the window and
// the command line count things (regular plurals only).
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	for _, end := range []string{"s", "x", "ch", "sh"} {
		if strings.HasSuffix(noun, end) {
			return fmt.Sprintf("%d %ses", n, noun)
		}
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
