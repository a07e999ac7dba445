package library

import (
	"context"
	"io"

	"gloss/app/formats"
	"gloss/storage"
)

// ExportJSONL streams every document with its spans to w as Gloss JSONL and
// returns how many documents and spans it wrote.
func ExportJSONL(ctx context.Context, store *storage.Store, w io.Writer) (docs, spans int, err error) {
	jw := formats.NewJSONLWriter(w)
	err = store.EachDocument(ctx, func(d storage.Document, ss []storage.Span) error {
		out := formats.Doc{ID: d.ID, Title: d.Title, Text: d.Text, Spans: make([]formats.SpanOut, len(ss))}
		for i, s := range ss {
			out.Spans[i] = formats.SpanOut{ID: s.ID, Start: s.Start, End: s.End, Label: s.Label,
				Text: s.Text, Annotator: s.Annotator, Created: s.Created}
		}
		docs++
		spans += len(ss)
		return jw.Write(out)
	})
	return docs, spans, err
}
