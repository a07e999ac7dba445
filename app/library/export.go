package library

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gloss/app/formats"
	"gloss/storage"
)

// ExportOptions say what to export where.
type ExportOptions struct {
	// Format is one of formats.Formats: jsonl, spacy, doccano, brat, conll,
	// labelstudio, hf, csv.
	Format string
	// Path is the output file, or the output folder for brat. The export is
	// written beside it under a temporary name and renamed over it only
	// when complete, so a failed or cancelled export leaves nothing. hf
	// also writes its label list to Path with ".labels.json" in place of
	// the extension (out.jsonl → out.labels.json). A brat folder that
	// exists must be empty or hold an earlier brat export (only .txt, .ann
	// and .conf files, annotation.conf among them); it is replaced whole.
	Path string
	// W, when set, receives a single-file format instead of Path (the
	// command line's standard output). Nothing is atomic then.
	W io.Writer

	// Annotator (a name) keeps that annotator's spans and status only;
	// Gold is the same for the annotator named GoldAnnotator. "" and false:
	// every annotator.
	Annotator string
	Gold      bool
	// Status keeps the documents where a kept annotator has this status
	// (todo, in_progress, done, reviewed), with only those annotators'
	// spans; "" keeps all.
	Status string
	// Labels keeps only the spans with these label names; nil keeps all.
	Labels []string
	// DocumentIDs keeps only these documents; nil keeps all.
	DocumentIDs []string
	// Offsets is the unit of the offsets written (formats.UnitDefault: the
	// format's own); formats.Table says which units a format can write, which
	// only jsonl, spacy, doccano, labelstudio and csv accept.
	Offsets formats.OffsetUnit
}

// Filter is the storage filter of o.
func (o ExportOptions) Filter() (storage.RecordFilter, error) {
	f := storage.RecordFilter{Annotator: o.Annotator, Status: storage.Status(o.Status), Labels: o.Labels, DocumentIDs: o.DocumentIDs}
	if fm, ok := formats.Lookup(o.Format); ok && fm.Suggestions {
		f.Suggestions = true // the formats with a place for them
	}
	if o.Gold {
		if o.Annotator != "" && o.Annotator != GoldAnnotator {
			return f, fmt.Errorf("give either an annotator or gold, not both")
		}
		f.Annotator = GoldAnnotator
	}
	return f, nil
}

// Export writes the documents o selects in o.Format to o.Path (or o.W),
// one document at a time, and returns what it wrote. progress, when not
// nil, is called from Export's goroutine with the documents done and the
// total: first with (0, total), then at most about 200 times, and last
// with (total, total) on success. A cancelled ctx stops the export, leaving
// no output.
func Export(ctx context.Context, store RecordSource, o ExportOptions, progress func(done, total int)) (formats.Summary, error) {
	filter, err := o.Filter()
	if err != nil {
		return formats.Summary{}, err
	}
	if err := store.ValidateRecordFilter(ctx, filter); err != nil {
		if o.Gold && errors.Is(err, storage.ErrNotFound) && strings.Contains(err.Error(), `"`+GoldAnnotator+`"`) {
			return formats.Summary{}, fmt.Errorf("%w (--gold exports the spans of the annotator named %q; the gold layer is not built yet)", err, GoldAnnotator)
		}
		return formats.Summary{}, err
	}
	labels, err := store.ExportLabels(ctx, filter)
	if err != nil {
		return formats.Summary{}, err
	}
	schema, err := SchemaOf(ctx, store)
	if err != nil {
		return formats.Summary{}, err
	}
	opts := formats.Options{Offsets: o.Offsets, Labels: labels, Schema: schema}
	// Refuse a bad format or offsets before touching the disk.
	if _, err := formats.NewExporter(o.Format, io.Discard, discardFiles{}, opts); err != nil {
		return formats.Summary{}, err
	}

	total := -1
	if progress != nil {
		if total, err = store.CountRecords(ctx, filter); err != nil {
			return formats.Summary{}, err
		}
		progress(0, total)
	}
	run := func(w io.Writer, files formats.Files) (formats.Summary, error) {
		ex, err := formats.NewExporter(o.Format, w, files, opts)
		if err != nil {
			return formats.Summary{}, err
		}
		done, step := 0, max(1, total/200)
		var d formats.Doc
		filtered := 0
		err = store.EachRecord(ctx, filter, func(r storage.Record) error {
			filtered += r.RelationsDropped
			d = docOf(r, d.Statuses[:0], d.Spans[:0])
			if err := ex.Write(d); err != nil {
				return err
			}
			done++
			if progress != nil && done%step == 0 && done < total {
				progress(done, total)
			}
			return nil
		})
		if err != nil {
			return formats.Summary{}, err
		}
		sum, err := ex.Close()
		sum.RelationsFiltered = filtered
		if err == nil && progress != nil {
			progress(max(done, total), max(done, total))
		}
		return sum, err
	}

	if o.Format == "brat" {
		if o.W != nil || o.Path == "" || o.Path == "-" {
			return formats.Summary{}, fmt.Errorf("brat writes a folder of files: give an output folder, not standard output")
		}
		return exportToDir(o.Path, run)
	}
	if o.W != nil {
		if o.Format == "hf" {
			return formats.Summary{}, fmt.Errorf("hf writes a labels file beside its output: give an output file, not standard output")
		}
		bw := bufio.NewWriterSize(o.W, 256<<10)
		sum, err := run(bw, nil)
		if err == nil {
			err = bw.Flush()
		}
		return sum, err
	}
	if o.Path == "" || o.Path == "-" {
		return formats.Summary{}, fmt.Errorf("no output file given")
	}
	return exportToFile(o.Path, run)
}

// RecordSource is what Export reads: the SQLite store, or the team
// server's (postgres.Source).
type RecordSource interface {
	ValidateRecordFilter(ctx context.Context, f storage.RecordFilter) error
	ExportLabels(ctx context.Context, f storage.RecordFilter) ([]string, error)
	CountRecords(ctx context.Context, f storage.RecordFilter) (int, error)
	EachRecord(ctx context.Context, f storage.RecordFilter, fn func(storage.Record) error) error
	DefaultLabelSet(ctx context.Context) (storage.LabelSet, error)
	Labels(ctx context.Context, setID string) ([]storage.Label, error)
	RelationTypes(ctx context.Context, setID string) ([]storage.RelationType, error)
	Attributes(ctx context.Context, setID string) ([]storage.Attribute, error)
}

// SchemaOf is the default label set's relation types and attributes in
// the formats' vocabulary (names, not IDs), for annotation.conf.
func SchemaOf(ctx context.Context, store RecordSource) (formats.Schema, error) {
	var sc formats.Schema
	set, err := store.DefaultLabelSet(ctx)
	if err != nil {
		return sc, err
	}
	ls, err := store.Labels(ctx, set.ID)
	if err != nil {
		return sc, err
	}
	names := map[string]string{}
	for _, l := range ls {
		names[l.ID] = l.Name
	}
	ts, err := store.RelationTypes(ctx, set.ID)
	if err != nil {
		return sc, err
	}
	for _, t := range ts {
		rt := formats.RelationType{Name: t.Name, Directed: t.Directed}
		for _, p := range t.Args {
			rt.Args = append(rt.Args, formats.LabelPair{From: names[p.From], To: names[p.To]})
		}
		names[t.ID] = t.Name
		sc.Relations = append(sc.Relations, rt)
	}
	as, err := store.Attributes(ctx, set.ID)
	if err != nil {
		return sc, err
	}
	for _, a := range as {
		ad := formats.AttributeDef{Name: a.Name, Kind: a.Kind, Choices: a.Choices, Min: a.Min, Max: a.Max}
		for _, t := range a.Targets {
			if n := names[t]; n != "" {
				ad.On = append(ad.On, n)
			}
		}
		sc.Attributes = append(sc.Attributes, ad)
	}
	return sc, nil
}

// docOf converts r, appending to statuses and spans (the previous
// document's, reused: exporters keep nothing of a Doc after Write).
func docOf(r storage.Record, statuses []formats.Status, spans []formats.Span) formats.Doc {
	d := r.Document
	for _, st := range r.Statuses {
		statuses = append(statuses, formats.Status{Annotator: st.Annotator, AnnotatorID: st.AnnotatorID,
			Status: string(st.Status), Updated: st.Updated})
	}
	for _, s := range r.Spans {
		spans = append(spans, formats.Span{ID: s.ID, Start: s.Start, End: s.End, Label: s.Label, LabelID: s.LabelID,
			Text: s.Text, Annotator: s.Annotator, AnnotatorID: s.AnnotatorID, Note: s.Note,
			Created: s.Created, Updated: s.Updated, Attrs: attrsOf(r.Attrs[s.ID])})
	}
	var rels []formats.Relation
	if len(r.Relations) > 0 {
		at := make(map[string]int, len(r.Spans))
		for i, s := range r.Spans {
			at[s.ID] = i
		}
		for _, rel := range r.Relations {
			from, ok1 := at[rel.From]
			to, ok2 := at[rel.To]
			if !ok1 || !ok2 { // EachRecord keeps only relations between kept spans
				continue
			}
			rels = append(rels, formats.Relation{ID: rel.ID, Type: rel.Type, TypeID: rel.TypeID, From: from, To: to,
				Annotator: rel.Annotator, AnnotatorID: rel.AnnotatorID, Attrs: attrsOf(r.Attrs[rel.ID]),
				Created: rel.Created, Updated: rel.Updated})
		}
	}
	var suggs []formats.Suggestion
	for _, g := range r.Suggestions {
		suggs = append(suggs, formats.Suggestion{ID: g.ID, Start: g.Start, End: g.End, Label: g.Label, LabelID: g.LabelID,
			Text: g.Text, Annotator: g.Annotator, AnnotatorID: g.AnnotatorID, Score: g.Score, Source: g.Source,
			Rule: g.Rule, ModelVersion: g.ModelVersion, Created: g.Created})
	}
	return formats.Doc{ID: d.ID, Title: d.Title, Text: d.Text, FileName: d.FileName, Format: d.Format,
		SHA256: d.SHA256, ImportedAt: d.ImportedAt, Statuses: statuses, Spans: spans, Suggestions: suggs, Relations: rels}
}

// attrsOf is the formats' form of a span's or relation's values.
func attrsOf(vs []storage.AttributeValue) []formats.Attr {
	if len(vs) == 0 {
		return nil
	}
	out := make([]formats.Attr, len(vs))
	for i, v := range vs {
		out[i] = formats.Attr{Name: v.Name, Value: v.Value}
	}
	return out
}

type discardFiles struct{}

func (discardFiles) Create(string) (io.WriteCloser, error) { return nopCloser{io.Discard}, nil }

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// sideFiles places a single-file format's side files beside the output,
// under temporary names until commit.
type sideFiles struct {
	path  string // the output path
	temps map[string]string
}

// sidePath is where the side file name goes: out.jsonl + labels.json →
// out.labels.json.
func sidePath(path, name string) string {
	return strings.TrimSuffix(path, filepath.Ext(path)) + "." + name
}

func (s *sideFiles) Create(name string) (io.WriteCloser, error) {
	final := sidePath(s.path, name)
	f, err := createBeside(final)
	if err != nil {
		return nil, err
	}
	s.temps[final] = f.Name()
	return f, nil
}

// createBeside creates the temporary file that is renamed over path: in
// path's folder, with path's permissions when it exists, else readable by
// everyone as a file the user makes (0644), not CreateTemp's 0600.
func createBeside(path string) (*os.File, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, err
	}
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		mode = fi.Mode().Perm()
	}
	if err := f.Chmod(mode); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return f, nil
}

// exportToFile writes to a temporary file beside path, renamed over path
// only when everything was written (side files first).
func exportToFile(path string, run func(io.Writer, formats.Files) (formats.Summary, error)) (formats.Summary, error) {
	tmp, err := createBeside(path)
	if err != nil {
		return formats.Summary{}, err
	}
	side := &sideFiles{path: path, temps: map[string]string{}}
	defer func() {
		os.Remove(tmp.Name())
		for _, t := range side.temps {
			os.Remove(t)
		}
	}()
	df := openDirect(tmp)
	aw := newAsyncWriter(df)
	sum, err := run(aw, side)
	if cerr := aw.Close(); err == nil {
		err = cerr
	}
	df.Close()
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return formats.Summary{}, err
	}
	for final, t := range side.temps {
		if err := os.Rename(t, final); err != nil {
			return formats.Summary{}, err
		}
		sum.Files = append(sum.Files, final)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return formats.Summary{}, err
	}
	sum.Files = append([]string{path}, sum.Files...)
	return sum, nil
}

// dirFiles creates files in a folder.
type dirFiles struct{ dir string }

func (d dirFiles) Create(name string) (io.WriteCloser, error) {
	if name != filepath.Base(name) || name == "." || name == ".." {
		return nil, fmt.Errorf("refusing file name %q outside the export folder", name)
	}
	f, err := os.OpenFile(filepath.Join(d.dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	return &bufferedFile{f: f, w: bufio.NewWriterSize(f, 64<<10)}, nil
}

type bufferedFile struct {
	f *os.File
	w *bufio.Writer
}

func (b *bufferedFile) Write(p []byte) (int, error) { return b.w.Write(p) }

func (b *bufferedFile) Close() error {
	err := b.w.Flush()
	if cerr := b.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// checkExportDir refuses a folder that is neither missing, empty nor an
// earlier brat export, so an export never replaces unrelated files.
func checkExportDir(path string) (exists bool, err error) {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if !fi.IsDir() {
		return true, fmt.Errorf("%s exists and is not a folder", path)
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return true, err
	}
	if len(entries) == 0 {
		return true, nil
	}
	conf := false
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if !e.Type().IsRegular() || ext != ".txt" && ext != ".ann" && ext != ".conf" {
			return true, fmt.Errorf("%s holds %s, which a brat export does not write; choose an empty or new folder", path, e.Name())
		}
		conf = conf || e.Name() == "annotation.conf"
	}
	if !conf {
		return true, fmt.Errorf("%s is not empty and holds no annotation.conf; choose an empty or new folder", path)
	}
	return true, nil
}

// exportToDir writes into a temporary folder beside path and puts it in
// place of path when complete.
func exportToDir(path string, run func(io.Writer, formats.Files) (formats.Summary, error)) (formats.Summary, error) {
	path = filepath.Clean(path)
	if _, err := checkExportDir(path); err != nil {
		return formats.Summary{}, err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return formats.Summary{}, err
	}
	defer os.RemoveAll(tmp)
	sum, err := run(io.Discard, dirFiles{tmp})
	if err != nil {
		return formats.Summary{}, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return formats.Summary{}, err
	}
	exists, err := checkExportDir(path) // again: it may have changed meanwhile
	if err != nil {
		return formats.Summary{}, err
	}
	if exists {
		old, err := os.MkdirTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.old")
		if err != nil {
			return formats.Summary{}, err
		}
		if err := os.Remove(old); err != nil {
			return formats.Summary{}, err
		}
		if err := os.Rename(path, old); err != nil {
			return formats.Summary{}, err
		}
		if err := os.Rename(tmp, path); err != nil {
			os.Rename(old, path) // put the earlier export back
			return formats.Summary{}, err
		}
		os.RemoveAll(old)
	} else if err := os.Rename(tmp, path); err != nil {
		return formats.Summary{}, err
	}
	sum.Files = []string{path}
	return sum, nil
}

// ExportJSONL streams every document with its spans to w as Gloss JSONL and
// returns how many documents and spans it wrote. (Export does the same with
// options, a progress callback and an atomic file.)
func ExportJSONL(ctx context.Context, store *storage.Store, w io.Writer) (docs, spans int, err error) {
	sum, err := Export(ctx, store, ExportOptions{Format: "jsonl", W: w}, nil)
	return sum.Documents, sum.Spans, err
}

// RelationNotes says, in sentences for the command line and the window,
// what an export did with relations and attributes that it could not
// write: left out by the format, or dropped by the filter with an end.
func RelationNotes(s formats.Summary) []string {
	var out []string
	if s.RelationsLeftOut > 0 {
		out = append(out, fmt.Sprintf("%s left out: %s cannot hold them (or not between these spans).", Count(s.RelationsLeftOut, "relation"), s.Format))
	}
	if s.AttributesLeftOut > 0 {
		out = append(out, fmt.Sprintf("%s left out: %s cannot hold them.", Count(s.AttributesLeftOut, "attribute value"), s.Format))
	}
	if s.RelationsFiltered > 0 {
		out = append(out, fmt.Sprintf("%s dropped by the filter, which did not keep both their spans.", Count(s.RelationsFiltered, "relation")))
	}
	return out
}
