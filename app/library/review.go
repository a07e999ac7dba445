package library

import (
	"context"
	"fmt"
	"strings"

	"gloss/app/agreement"
	"gloss/storage"
)

// AgreementData reads what agreement.Compute measures: every document (or
// those in docIDs) with the annotators who annotated it — who has spans on it
// or a status there (an imported record that names an annotator gives a
// status too) — and their spans. The gold layer is left out: it is the
// result of adjudication, not an annotator.
func AgreementData(ctx context.Context, store RecordSource, docIDs []string) ([]agreement.Doc, []agreement.Span, error) {
	want := map[string]bool{}
	for _, id := range docIDs {
		want[id] = true
	}
	var docs []agreement.Doc
	var spans []agreement.Span
	err := store.EachRecord(ctx, storage.RecordFilter{}, func(r storage.Record) error {
		if len(want) > 0 && !want[r.Document.ID] {
			return nil
		}
		seen := map[string]bool{}
		d := agreement.Doc{ID: r.Document.ID, Text: r.Document.Text}
		add := func(name string) {
			if !seen[name] && !isGold(name) {
				seen[name] = true
				d.Annotators = append(d.Annotators, name)
			}
		}
		for _, st := range r.Statuses {
			add(st.Annotator)
		}
		for _, s := range r.Spans {
			if isGold(s.Annotator) {
				continue
			}
			add(s.Annotator)
			spans = append(spans, toAgreementSpan(r.Document.ID, s))
		}
		docs = append(docs, d)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	for id := range want {
		found := false
		for _, d := range docs {
			found = found || d.ID == id
		}
		if !found {
			return nil, nil, fmt.Errorf("no document %s", id)
		}
	}
	return docs, spans, nil
}

func isGold(name string) bool { return strings.EqualFold(name, GoldAnnotator) }

// GoldAnnotator is the name of the annotator who holds the adjudicated gold
// layer.
const GoldAnnotator = "gold"

func toAgreementSpan(docID string, s storage.Span) agreement.Span {
	return agreement.Span{ID: s.ID, Doc: docID, Annotator: s.Annotator, Label: s.Label, Start: s.Start, End: s.End}
}

// LayerSource is what Diff reads: the SQLite store, or the team server's
// (postgres.Source).
type LayerSource interface {
	Document(ctx context.Context, id string) (storage.Document, error)
	Annotators(ctx context.Context) ([]storage.Annotator, error)
	Spans(ctx context.Context, docID, annotatorID string) ([]storage.Span, error)
}

// Diff pairs two annotators' spans on one document (see agreement.Compare).
// Annotators are given by name.
func Diff(ctx context.Context, store LayerSource, docID, a, b string) (storage.Document, []agreement.Pair, error) {
	doc, err := store.Document(ctx, docID)
	if err != nil {
		return doc, nil, fmt.Errorf("document %s: %w", docID, err)
	}
	layer := func(name string) ([]agreement.Span, error) {
		id, err := annotatorID(ctx, store, name)
		if err != nil {
			return nil, err
		}
		ss, err := store.Spans(ctx, docID, id)
		if err != nil {
			return nil, err
		}
		out := make([]agreement.Span, len(ss))
		for i, s := range ss {
			out[i] = toAgreementSpan(docID, s)
		}
		return out, nil
	}
	sa, err := layer(a)
	if err != nil {
		return doc, nil, err
	}
	sb, err := layer(b)
	if err != nil {
		return doc, nil, err
	}
	return doc, agreement.Compare(sa, sb), nil
}

// annotatorID finds an annotator by name, ignoring case.
func annotatorID(ctx context.Context, store LayerSource, name string) (string, error) {
	as, err := store.Annotators(ctx)
	if err != nil {
		return "", err
	}
	var names []string
	for _, a := range as {
		if strings.EqualFold(a.Name, strings.TrimSpace(name)) {
			return a.ID, nil
		}
		names = append(names, a.Name)
	}
	return "", fmt.Errorf("no annotator %q (known: %s)", name, strings.Join(names, ", "))
}

// AnnotatorProgress is one annotator's progress over the corpus.
type AnnotatorProgress struct {
	Annotator string
	Status    map[storage.Status]int // documents per status; todo counts documents with no status
	Labels    map[string]int         // spans per label
	Spans     int
}

// Progress says, for every annotator (the gold layer last, if it exists), how
// many documents are in each status and how their spans spread over the
// labels. Documents is the size of the corpus.
func Progress(ctx context.Context, store *storage.Store) (documents int, out []AnnotatorProgress, err error) {
	as, err := store.Annotators(ctx)
	if err != nil {
		return 0, nil, err
	}
	byName := map[string]*AnnotatorProgress{}
	var gold *AnnotatorProgress
	for _, a := range as {
		p := &AnnotatorProgress{Annotator: a.Name, Status: map[storage.Status]int{}, Labels: map[string]int{}}
		byName[a.Name] = p
		if isGold(a.Name) {
			gold = p
		} else {
			out = append(out, *p)
		}
	}
	err = store.EachRecord(ctx, storage.RecordFilter{}, func(r storage.Record) error {
		documents++
		for _, st := range r.Statuses {
			if p := byName[st.Annotator]; p != nil && st.Status != storage.StatusTodo {
				p.Status[st.Status]++
			}
		}
		for _, s := range r.Spans {
			if p := byName[s.Annotator]; p != nil {
				p.Labels[s.Label]++
				p.Spans++
			}
		}
		return nil
	})
	if err != nil {
		return 0, nil, err
	}
	for i := range out {
		out[i] = *byName[out[i].Annotator]
	}
	if gold != nil {
		out = append(out, *gold)
	}
	for i := range out {
		p := &out[i]
		p.Status[storage.StatusTodo] = documents - p.Status[storage.StatusInProgress] - p.Status[storage.StatusDone] - p.Status[storage.StatusReviewed]
	}
	return documents, out, nil
}
