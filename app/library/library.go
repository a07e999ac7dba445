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
	set, err := store.DefaultLabelSet(ctx)
	if err != nil {
		return 0, err
	}
	if err := seedSchema(ctx, store, set); err != nil {
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

// seedSchema gives a set without relation types or attributes those of
// the samples (assets.SampleSchema), with the labels they name that the
// set has.
func seedSchema(ctx context.Context, store *storage.Store, set storage.LabelSet) error {
	ts, err := store.RelationTypes(ctx, set.ID)
	if err != nil {
		return err
	}
	as, err := store.Attributes(ctx, set.ID)
	if err != nil || len(ts) > 0 || len(as) > 0 {
		return err
	}
	ls, err := store.Labels(ctx, set.ID)
	if err != nil {
		return err
	}
	ids := map[string]string{}
	for _, l := range ls {
		ids[l.Name] = l.ID
	}
	rels, attrs := assets.SampleSchema()
	for _, r := range rels {
		t := storage.RelationType{SetID: set.ID, Name: r.Name, Key: r.Key, Color: r.Color, Directed: r.Directed}
		for _, p := range r.Args {
			if ids[p[0]] != "" && ids[p[1]] != "" {
				t.Args = append(t.Args, storage.LabelPair{From: ids[p[0]], To: ids[p[1]]})
			}
		}
		if len(r.Args) > 0 && len(t.Args) == 0 {
			continue // its labels are not in this set
		}
		if _, err := store.CreateRelationType(ctx, t); err != nil {
			return fmt.Errorf("sample relation type %s: %w", r.Name, err)
		}
	}
	for _, a := range attrs {
		at := storage.Attribute{SetID: set.ID, Name: a.Name, Kind: a.Kind, Choices: a.Choices}
		for _, n := range a.On {
			if ids[n] != "" {
				at.Targets = append(at.Targets, ids[n])
			}
		}
		if len(a.On) > 0 && len(at.Targets) == 0 {
			continue
		}
		if _, err := store.CreateAttribute(ctx, at); err != nil {
			return fmt.Errorf("sample attribute %s: %w", a.Name, err)
		}
	}
	return nil
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
