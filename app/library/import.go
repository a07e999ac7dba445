package library

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gloss/app/formats"
	"gloss/storage"
)

// ImportFileOptions tune ImportFile.
type ImportFileOptions struct {
	// Format is "auto" (or ""), an annotation format of
	// formats.ImportFormats, or an article format ("txt", "md", "html",
	// or "article" for any of them by extension). "auto" reads .txt, .md and
	// .html files as articles (a .txt starting with -DOCSTART- as CoNLL), a
	// folder or .ann as brat, and anything else by its content.
	Format string
	// Strict refuses spans whose label the default label set does not have.
	Strict bool
	// Annotator is the importing analyst's name, given to spans the file
	// names no annotator for (brat, CoNLL, doccano, ...).
	Annotator string
	// Offsets overrides the offset unit of spacy, doccano, labelstudio and
	// csv files ("codepoints" or "utf16"); "" keeps the format's own.
	Offsets formats.OffsetUnit
	// HTML is how a web page is read: formats.HTMLArticle (also "": the
	// article, as a reader view shows it) or formats.HTMLPage (all of it).
	HTML string
}

// Result says what an import did.
type Result struct {
	Paths   []string
	Formats []string // the format each path was read as
	Records int      // documents read from the files
	// Summary is the store's account; its Skipped holds what the files had
	// that Gloss cannot keep (brat relations, rejected Prodigy answers...).
	Summary storage.ImportSummary
	// Corrected counts spans imported with offsets corrected in a known
	// way (see formats.Report.Corrected).
	Corrected map[string]int
	// FirstDocument is the ID of the first file's first document ("" when
	// none), for opening it.
	FirstDocument string
	// Notes say what the analyst should know of how a file was read ("the
	// page has no article: imported whole"), one per file that has one.
	Notes []string
}

// ImportFile imports one file (or, for brat, a folder) in one transaction:
// every document and span in it, or, when anything is wrong, nothing at
// all and an error naming the file and line.
func ImportFile(ctx context.Context, store *storage.Store, path string, opts ImportFileOptions) (Result, error) {
	return ImportPaths(ctx, store, []string{path}, opts)
}

// ImportPaths imports several files in one transaction: all or nothing.
func ImportPaths(ctx context.Context, store *storage.Store, paths []string, opts ImportFileOptions) (Result, error) {
	imp, err := store.BeginImport(ctx, storage.ImportOptions{Strict: opts.Strict, DefaultAnnotator: opts.Annotator})
	if err != nil {
		return Result{Paths: paths}, err
	}
	return ImportPathsInto(imp, paths, opts)
}

// Importer is what ImportPathsInto writes records to, in one transaction:
// the SQLite store's storage.Importer, or the team server's.
type Importer interface {
	Add(storage.ImportRecord) error
	Commit() (storage.ImportSummary, error)
	Rollback()
	LastDocumentID() string
	// DocumentText finds a stored document's text by ID (csv needs it).
	DocumentText(id string) (text string, ok bool, err error)
}

// ImportPathsInto reads paths, as ImportPaths does, into imp, which it
// commits (or rolls back on an error).
func ImportPathsInto(imp Importer, paths []string, opts ImportFileOptions) (Result, error) {
	res := Result{Paths: paths}
	defer imp.Rollback()
	skipped := map[string]int{}
	res.Corrected = map[string]int{}
	for _, p := range paths {
		format, rep, first, note, err := importPath(imp, p, opts)
		if err != nil {
			return Result{Paths: paths}, err
		}
		if note != "" {
			res.Notes = append(res.Notes, p+": "+note)
		}
		res.Formats = append(res.Formats, format)
		res.Records += rep.Records
		for k, v := range rep.Skipped {
			skipped[k] += v
		}
		for k, v := range rep.Corrected {
			res.Corrected[k] += v
		}
		if res.FirstDocument == "" {
			res.FirstDocument = first
		}
	}
	sum, err := imp.Commit()
	if err != nil {
		return Result{Paths: paths}, err
	}
	sum.Skipped = skipped
	res.Summary = sum
	return res, nil
}

// importPath adds the records of one path to imp and returns the format it
// read, the reader's report, the ID of the first document and a note on
// how an article was read.
func importPath(imp Importer, path string, opts ImportFileOptions) (string, formats.Report, string, string, error) {
	format := strings.ToLower(opts.Format)
	switch format {
	case "", "auto":
		if formats.IsArticleFile(path) {
			format = "article"
		}
	case "txt", "text", "md", "markdown", "html", "article":
		format = "article"
	}
	if format == "article" {
		a, err := formats.ReadArticleWith(path, formats.ArticleOptions{HTML: opts.HTML})
		if err != nil {
			return format, formats.Report{}, "", "", err
		}
		rec := storage.ImportRecord{Doc: newDocument(a)}
		if err := imp.Add(rec); err != nil {
			return format, formats.Report{}, "", "", fmt.Errorf("%s: %w", path, unwrapImportError(err))
		}
		return a.Format, formats.Report{Format: a.Format, Records: 1}, imp.LastDocumentID(), a.Note, nil
	}
	// The file is parsed on its own goroutine while this one writes, a
	// bounded queue of small batches between them: memory stays flat, two
	// cores work, and the goroutines wake each other once per batch.
	const batchSize = 32
	batches := make(chan []formats.Doc, 8)
	stop := make(chan struct{})
	type readDone struct {
		rep formats.Report
		err error
	}
	done := make(chan readDone, 1)
	go func() {
		batch := make([]formats.Doc, 0, batchSize)
		send := func() bool {
			select {
			case batches <- batch:
				batch = make([]formats.Doc, 0, batchSize)
				return true
			case <-stop:
				return false
			}
		}
		rep, err := formats.ReadFile(path, format, formats.ReadOptions{Offsets: opts.Offsets, Texts: imp.DocumentText}, func(r formats.Doc) error {
			batch = append(batch, r)
			if len(batch) == batchSize && !send() {
				return errStopped
			}
			return nil
		})
		if len(batch) > 0 && err != errStopped {
			send() // also before a read error: an earlier line's error comes first
		}
		close(batches)
		done <- readDone{rep, err}
	}()
	first := ""
	var addErr error
write:
	for batch := range batches {
		for i := range batch {
			if err := imp.Add(ImportRecordOf(batch[i])); err != nil {
				addErr = recordError(&batch[i], err)
				close(stop)
				for range batches { // let the reader finish
				}
				break write
			}
			if first == "" {
				first = imp.LastDocumentID()
			}
		}
	}
	rd := <-done
	if addErr != nil {
		return rd.rep.Format, rd.rep, "", "", addErr
	}
	return rd.rep.Format, rd.rep, first, "", rd.err
}

var errStopped = errors.New("import stopped")

// ImportRecordOf is a document read from a file as the store takes it: the
// one conversion from the formats' vocabulary to the store's on the way in.
func ImportRecordOf(r formats.Doc) storage.ImportRecord {
	out := storage.ImportRecord{
		Doc:        storage.NewDocument{ID: r.ID, Title: r.Title, Text: r.Text, FileName: r.FileName, Format: r.Format},
		ImportedAt: r.ImportedAt,
		Spans:      make([]storage.ImportSpan, len(r.Spans)),
		Annotators: r.Annotators,
	}
	for i, s := range r.Spans {
		out.Spans[i] = storage.ImportSpan{
			ID: s.ID, Annotator: s.Annotator, AnnotatorID: s.AnnotatorID, Label: s.Label, LabelID: s.LabelID,
			Start: s.Start, End: s.End, Text: s.Text, Note: s.Note, Created: s.Created, Updated: s.Updated,
			Attrs: importAttrs(s.Attrs),
		}
	}
	for _, rel := range r.Relations {
		out.Relations = append(out.Relations, storage.ImportRelation{
			ID: rel.ID, Type: rel.Type, TypeID: rel.TypeID, From: rel.From, To: rel.To, Symmetric: rel.Symmetric,
			Created: rel.Created, Updated: rel.Updated, Attrs: importAttrs(rel.Attrs),
		})
	}
	for _, s := range r.Suggestions {
		out.Suggestions = append(out.Suggestions, storage.ImportSuggestion{
			ID: s.ID, Created: s.Created, Annotator: s.Annotator, AnnotatorID: s.AnnotatorID, Label: s.Label, LabelID: s.LabelID,
			Start: s.Start, End: s.End, Text: s.Text, Score: s.Score, Source: s.Source, Rule: s.Rule, ModelVersion: s.ModelVersion,
		})
	}
	for _, s := range r.Statuses {
		out.Statuses = append(out.Statuses, storage.ImportStatus{
			Annotator: s.Annotator, AnnotatorID: s.AnnotatorID, Status: storage.Status(s.Status), Updated: s.Updated,
		})
	}
	return out
}

func importAttrs(as []formats.Attr) []storage.ImportAttr {
	if len(as) == 0 {
		return nil
	}
	out := make([]storage.ImportAttr, len(as))
	for i, a := range as {
		out[i] = storage.ImportAttr{Name: a.Name, Value: a.Value}
	}
	return out
}

// recordError puts the file, line and JSON path of what the store refused
// in front of its reason.
func recordError(r *formats.Doc, err error) error {
	var ie *storage.ImportError
	if !errors.As(err, &ie) {
		return fmt.Errorf("%s: %w", r.Where(nil), err)
	}
	switch {
	case ie.Relation > 0 && ie.Relation <= len(r.Relations):
		rel := &r.Relations[ie.Relation-1]
		return fmt.Errorf("%s: %w", r.WhereSuggestion(&formats.Suggestion{Line: rel.Line, Path: rel.Path}), ie.Err)
	case ie.Suggestion >= 0 && ie.Suggestion < len(r.Suggestions):
		return fmt.Errorf("%s: %w", r.WhereSuggestion(&r.Suggestions[ie.Suggestion]), ie.Err)
	case ie.Span >= 0 && ie.Span < len(r.Spans):
		return fmt.Errorf("%s: %w", r.Where(&r.Spans[ie.Span]), ie.Err)
	case ie.Status >= 0:
		return fmt.Errorf("%s:%d: $.statuses[%d]: %w", r.Name, r.Line, ie.Status, ie.Err)
	}
	return fmt.Errorf("%s: %w", r.Where(nil), ie.Err)
}

func unwrapImportError(err error) error {
	var ie *storage.ImportError
	if errors.As(err, &ie) {
		return ie.Err
	}
	return err
}
