package formats

import (
	"io"
	"strconv"

	"gloss/app/offsets"
)

// spacyExporter writes spaCy / Prodigy JSONL (the ner_manual and spans
// shape, with rel.manual's relations): one line per document and
// annotator,
//
//	{"text","tokens":[{"text","start","end","id","ws"}],
//	 "spans":[{"start","end","token_start","token_end","label"}],
//	 "relations":[{"head","child","head_span":{"start","end","token_start","token_end","label"},
//	   "child_span":{...},"label"}],
//	 "answer":"accept","_annotator_id","meta":{"id","title"}}
//
// token_end is inclusive, as in Prodigy. A document nobody has a status or
// a span on is written once with "_annotator_id":"" and no spans. Spans
// keep their character offsets even when they do not fall on token
// boundaries (token_start and token_end are then the covering tokens, and
// the span is reported as misaligned); a span of white space only, which
// no token covers, is dropped and reported.
//
// "relations" is there when the line has some: a relation is written on
// the line of its ends' annotator, head and child the last tokens of its
// From and To spans (as Prodigy has them), head_span and child_span those
// spans; one whose ends are on different lines, or dropped, is left out
// (Summary.RelationsLeftOut). Prodigy has no attributes: they are left
// out and counted.
type spacyExporter struct {
	base
	w  io.Writer
	tb []byte // the last document's "tokens", kept for the next
}

func (e *spacyExporter) Write(d Doc) error {
	t, err := e.checked(d)
	if err != nil {
		return err
	}
	toks := e.tokenizer.Tokenize(d.Text)
	// The tokens are the same on every line of the document.
	tb := append(e.tb[:0], `"tokens":[`...)
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
	e.tb = reuse(tb)

	annotators := annotatorsOf(d)
	if len(annotators) == 0 {
		annotators = []annotatorRef{{}}
	}
	b := e.buf[:0]
	misaligned, dropped, written := 0, 0, 0
	// Where each span was written: its line (annotator) and tokens.
	lineOf := make([]int, len(d.Spans))
	ranges := make([]tokenRange, len(d.Spans))
	for i := range lineOf {
		lineOf[i] = -1
	}
	rels := 0
	for li, a := range annotators {
		b = append(b, '{')
		b = appendStringField(b, "text", d.Text, true)
		b = append(b, ',')
		b = append(b, tb...)
		b = append(appendKey(b, "spans", false), '[')
		n := 0
		for i, s := range d.Spans {
			if s.Annotator != a.name || s.AnnotatorID != a.id {
				continue
			}
			r := placeSpan(toks, s.Start, s.End)
			if !r.aligned {
				misaligned++
			}
			if !r.covered {
				dropped++
				continue
			}
			lineOf[i], ranges[i] = li, r
			if n > 0 {
				b = append(b, ',')
			}
			n++
			b = append(e.appendSpan(append(b, '{'), t, s, r), '}')
		}
		written += n
		b = append(b, ']')
		first := true
		for _, rel := range d.Relations {
			if lineOf[rel.From] != li || lineOf[rel.To] != li {
				continue
			}
			if first {
				b = append(appendKey(b, "relations", false), '[')
			} else {
				b = append(b, ',')
			}
			first = false
			rels++
			b = append(b, '{')
			b = appendIntField(b, "head", ranges[rel.From].last, true)
			b = appendIntField(b, "child", ranges[rel.To].last, false)
			b = append(appendKey(b, "head_span", false), '{')
			b = append(e.appendSpan(b, t, d.Spans[rel.From], ranges[rel.From]), '}')
			b = append(appendKey(b, "child_span", false), '{')
			b = append(e.appendSpan(b, t, d.Spans[rel.To], ranges[rel.To]), '}')
			b = appendStringField(b, "label", rel.Type, false)
			b = append(b, '}')
		}
		if !first {
			b = append(b, ']')
		}
		b = appendStringField(b, "answer", "accept", false)
		b = appendStringField(b, "_annotator_id", a.name, false)
		b = append(appendKey(b, "meta", false), '{')
		b = appendStringField(b, "id", d.ID, true)
		b = appendStringField(b, "title", d.Title, false)
		b = append(b, '}', '}', '\n')
	}
	e.sum.Relations += rels
	e.sum.RelationsLeftOut += len(d.Relations) - rels
	if err := e.emit(e.w, b); err != nil {
		return err
	}
	e.wrote(d.ID, len(annotators), written, misaligned, dropped)
	return nil
}

// appendSpan appends the fields of a span object: its offsets, its tokens
// (token_end inclusive) and its label.
func (e *spacyExporter) appendSpan(b []byte, t *offsets.Text, s Span, r tokenRange) []byte {
	b = appendIntField(b, "start", e.off(t, s.Start), true)
	b = appendIntField(b, "end", e.off(t, s.End), false)
	b = appendIntField(b, "token_start", r.first, false)
	b = appendIntField(b, "token_end", r.last, false)
	return appendStringField(b, "label", s.Label, false)
}

func (e *spacyExporter) Close() (Summary, error) { return e.summary(), nil }
