package formats

import (
	"io"

	"gloss/app/tokens"
)

// conllExporter writes CoNLL-2003 columns with IOB2 tags:
//
//	-DOCSTART- -X- -X- O
//	<blank>
//	We -X- _ B-Claim
//	’ll -X- _ I-Claim
//	...
//	<blank line after every sentence>
//
// Tokens and sentences come from app/tokens. The policies of resolveIOB
// apply (misaligned spans widened, overlaps: longer wins, then earlier
// start, then label name; the losers are counted as dropped). No sentence
// ends inside a tagged span: such sentences are written as one.
type conllExporter struct {
	base
	w io.Writer
}

func (e *conllExporter) Write(d Doc) error {
	toks, res, err := e.iob(d)
	if err != nil {
		return err
	}
	b := append(e.buf[:0], "-DOCSTART- -X- -X- O\n\n"...)
	for _, sent := range tokens.Sentences(d.Text, toks) {
		for i := sent[0]; i < sent[1]; i++ {
			b = append(b, toks[i].Text...)
			b = append(b, " -X- _ "...)
			b = append(b, res.tags[i].String()...)
			b = append(b, '\n')
		}
		if last := sent[1] - 1; last >= 0 && res.within[last] {
			continue // the sentence goes on inside a span
		}
		b = append(b, '\n')
	}
	if err := e.emit(e.w, b); err != nil {
		return err
	}
	e.mixed(d)
	e.wrote(d.ID, 1, res.written, res.misaligned, res.dropped)
	return nil
}

func (e *conllExporter) Close() (Summary, error) { return e.summary(), nil }
