package library

import (
	"context"
	"fmt"
	"strings"

	"gloss/storage"
)

// FindLabel is the label of the default set called name, ignoring case; an
// unknown name is refused with the labels there are.
func FindLabel(ctx context.Context, store *storage.Store, name string) (storage.Label, error) {
	set, err := store.DefaultLabelSet(ctx)
	if err != nil {
		return storage.Label{}, err
	}
	ls, err := store.Labels(ctx, set.ID)
	if err != nil {
		return storage.Label{}, err
	}
	var names []string
	for _, l := range ls {
		if strings.EqualFold(l.Name, strings.TrimSpace(name)) {
			return l, nil
		}
		names = append(names, l.Name)
	}
	return storage.Label{}, fmt.Errorf("%w: no label %q (the labels are %s)", storage.ErrNotFound, name, strings.Join(names, ", "))
}

// Labelled says what LabelMatches did.
type Labelled struct {
	Matches int // the matches the search found
	storage.BatchesSummary
}

// LabelMatches labels every match of q (up to q.Limit) with labelID in
// annotatorID's layer, all in one transaction (storage.Store.ApplyBatches),
// one undo step per document. A match the annotator has labelled so already
// is skipped; so are the documents they marked done or reviewed, unless
// includeDone.
func LabelMatches(ctx context.Context, store *storage.Store, q storage.SearchQuery, annotatorID, labelID string, includeDone bool) (Labelled, error) {
	var out Labelled
	var docs []storage.DocumentEdits
	err := store.Search(ctx, q, func(m storage.SearchMatch) error {
		out.Matches++
		if len(docs) == 0 || docs[len(docs)-1].DocumentID != m.DocumentID {
			docs = append(docs, storage.DocumentEdits{DocumentID: m.DocumentID})
		}
		d := &docs[len(docs)-1]
		d.Edits = append(d.Edits, storage.Edit{Kind: storage.EditCreateSpan, LabelID: labelID, Start: m.Start, End: m.End})
		return nil
	})
	if err != nil {
		return Labelled{}, err
	}
	if len(docs) == 0 {
		return out, nil
	}
	sum, err := store.ApplyBatches(ctx, annotatorID, docs, storage.BatchesOptions{IncludeDone: includeDone})
	if err != nil {
		return Labelled{}, err
	}
	out.BatchesSummary = sum
	return out, nil
}
