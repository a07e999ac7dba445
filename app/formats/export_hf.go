package formats

import (
	"fmt"
	"io"
	"strconv"
)

// hfExporter writes Hugging Face token-classification JSONL, one line per
// document,
//
//	{"id","tokens":["We","’ll",...],"ner_tags":[1,2,...]}
//
// with IOB2 tags as integers, and at Close the label list file
// ("labels.json", placed beside the output as out.labels.json):
//
//	["O","B-Claim","I-Claim","B-Figure","I-Figure",...]
//
// so that ner_tags[i] names labels[ner_tags[i]]. For the label at position
// k of the list (from 0), B is 2k+1 and I is 2k+2; the list is the label
// set (Options.Labels), then any label met in the data that is not in it.
// Tokens, misaligned spans and overlaps are handled as for conll.
type hfExporter struct {
	base
	w     io.Writer
	files Files
}

func (e *hfExporter) Write(d Doc) error {
	toks, res, err := e.iob(d)
	if err != nil {
		return err
	}
	b := append(e.buf[:0], '{')
	b = appendStringField(b, "id", d.ID, true)
	b = append(appendKey(b, "tokens", false), '[')
	for i, tk := range toks {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, tk.Text)
	}
	b = append(b, ']')
	b = append(appendKey(b, "ner_tags", false), '[')
	for i, tag := range res.tags {
		if i > 0 {
			b = append(b, ',')
		}
		id := 0
		if tag.Label != "" {
			id = 2*e.labels.add(tag.Label) + 2
			if tag.Begin {
				id--
			}
		}
		b = strconv.AppendInt(b, int64(id), 10)
	}
	b = append(b, ']', '}', '\n')
	if err := e.emit(e.w, b); err != nil {
		return err
	}
	e.mixed(d)
	e.wrote(d.ID, 1, res.written, res.misaligned, res.dropped)
	return nil
}

// HFLabelNames is the id-to-name list of hf for the label set labels.
func HFLabelNames(labels []string) []string {
	out := []string{"O"}
	for _, l := range labels {
		out = append(out, "B-"+l, "I-"+l)
	}
	return out
}

func (e *hfExporter) Close() (Summary, error) {
	f, err := e.files.Create("labels.json")
	if err != nil {
		return Summary{}, fmt.Errorf("hf labels file: %w", err)
	}
	b := []byte{'['}
	for i, n := range HFLabelNames(e.labels.names) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, n)
	}
	b = append(b, ']', '\n')
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Summary{}, fmt.Errorf("hf labels file: %w", err)
	}
	return e.summary(), nil
}
