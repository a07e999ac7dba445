package library

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gloss/storage"
)

// Merge brings a colleague's work into store: a Gloss database (.db,
// .sqlite, .sqlite3, or any file that starts as an SQLite database does)
// through storage.Store.Merge, or a Gloss JSONL export (.jsonl) through
// ImportFile with the "jsonl" format, whose summary is given in Merge's
// terms. Either way it is one transaction: all of the file or nothing.
func Merge(ctx context.Context, store *storage.Store, path string) (storage.MergeSummary, error) {
	switch kind, err := mergeKind(path); {
	case err != nil:
		return storage.MergeSummary{}, err
	case kind == "jsonl":
		res, err := ImportFile(ctx, store, path, ImportFileOptions{Format: "jsonl"})
		if err != nil {
			return storage.MergeSummary{}, fmt.Errorf("merge %s: %w", path, err)
		}
		return fromImport(res.Summary), nil
	default:
		return store.Merge(ctx, path)
	}
}

// mergeKind is "db" or "jsonl" for path.
func mergeKind(path string) (string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl":
		return "jsonl", nil
	case ".db", ".sqlite", ".sqlite3":
		return "db", nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("merge %s: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, 16)
	if _, err := io.ReadFull(f, head); err == nil && bytes.Equal(head, []byte("SQLite format 3\x00")) {
		return "db", nil
	}
	return "", fmt.Errorf("merge %s: not a Gloss database (.db) or Gloss JSONL export (.jsonl)", path)
}

// fromImport is an import's summary in Merge's terms.
func fromImport(s storage.ImportSummary) storage.MergeSummary {
	out := storage.MergeSummary{
		DocumentsAdded:   s.Documents,
		DocumentsMatched: s.DocumentsExisting,
		SpansAdded:       s.Spans,
		SpansUpdated:     s.SpansUpdated,
		SpansSkipped:     s.SpansSkipped,
		StatusesUpdated:  s.Statuses,
		AnnotatorsAdded:  len(s.AnnotatorsCreated),
		LabelsAdded:      len(s.LabelsCreated),
		RelationsAdded:   s.Relations,
		RelationsSkipped: s.RelationsSkipped,
		AttributesMerged: s.Attributes,
	}
	kinds := make([]string, 0, len(s.Skipped))
	for k := range s.Skipped {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		out.Conflicts = append(out.Conflicts, fmt.Sprintf("%d × %s not kept", s.Skipped[k], k))
	}
	return out
}
