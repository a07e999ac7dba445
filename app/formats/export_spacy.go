package formats

import (
	"io"
	"strconv"

	"gloss/app/tokens"
)

// spacyExporter writes spaCy / Prodigy JSONL (the ner_manual and spans
// shape): one line per document and annotator,
//
//	{"text","tokens":[{"text","start","end","id","ws"}],
//	 "spans":[{"start","end","token_start","token_end","label"}],
//	 "answer":"accept","_annotator_id","meta":{"id","title"}}
//
// token_end is inclusive, as in Prodigy. A document nobody has a status or
// a span on is written once with "_annotator_id":"" and no spans. Spans
// keep their character offsets even when they do not fall on token
// boundaries (token_start and token_end are then the covering tokens, and
// the span is reported as misaligned); a span of white space only, which
// no token covers, is dropped and reported.
type spacyExporter struct {
	base
	w io.Writer
}

func (e *spacyExporter) Write(d Doc) error {
	t, err := e.checked(d)
	if err != nil {
		return err
	}
	toks := tokens.Tokenize(d.Text)
	// The tokens are the same on every line of the document.
	tb := []byte(`"tokens":[`)
	for i, tk := range toks {
		if i > 0 {
			tb = append(tb, ',')
		}
		tb = append(tb, '{')
		tb = appendStringField(tb, "text", tk.Text, true)
		tb = appendIntField(tb, "start", e.off(t, tk.Start), false)
		tb = appendIntField(tb, "end", e.off(t, tk.End), false)
		tb = appendIntField(tb, "id", i, false)
		tb = append(appendKey(tb, "ws", false), strconv.FormatBool(tk.WS)...)
		tb = append(tb, '}')
	}
	tb = append(tb, ']')

	annotators := annotatorsOf(d)
	if len(annotators) == 0 {
		annotators = []annotatorRef{{}}
	}
	b := e.buf[:0]
	misaligned, dropped, written := 0, 0, 0
	for _, a := range annotators {
		b = append(b, '{')
		b = appendStringField(b, "text", d.Text, true)
		b = append(b, ',')
		b = append(b, tb...)
		b = append(appendKey(b, "spans", false), '[')
		n := 0
		for _, s := range spansOf(d, a) {
			r := placeSpan(toks, s.Start, s.End)
			if !r.aligned {
				misaligned++
			}
			if !r.covered {
				dropped++
				continue
			}
			if n > 0 {
				b = append(b, ',')
			}
			n++
			b = append(b, '{')
			b = appendIntField(b, "start", e.off(t, s.Start), true)
			b = appendIntField(b, "end", e.off(t, s.End), false)
			b = appendIntField(b, "token_start", r.first, false)
			b = appendIntField(b, "token_end", r.last, false)
			b = appendStringField(b, "label", s.Label, false)
			b = append(b, '}')
		}
		written += n
		b = append(b, ']')
		b = appendStringField(b, "answer", "accept", false)
		b = appendStringField(b, "_annotator_id", a.name, false)
		b = append(appendKey(b, "meta", false), '{')
		b = appendStringField(b, "id", d.ID, true)
		b = appendStringField(b, "title", d.Title, false)
		b = append(b, '}', '}', '\n')
	}
	if err := e.emit(e.w, b); err != nil {
		return err
	}
	e.wrote(d.ID, len(annotators), written, misaligned, dropped)
	return nil
}

func (e *spacyExporter) Close() (Summary, error) { return e.summary(), nil }
