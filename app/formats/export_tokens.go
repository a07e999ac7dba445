package formats

import (
	"sort"
	"strings"

	"gloss/app/tokens"
)

// The token formats (spacy, conll, hf) share this: every document is split
// by the one tokenizer (app/tokens), spans are placed on the tokens that
// cover them, and conll and hf resolve overlaps into one IOB2 tag per token.

// tokenRange is where a span falls on the tokens: tokens first..last
// (inclusive) cover it. aligned says both of its ends are token boundaries;
// covered is false when no token lies inside it (the span is only white
// space).
type tokenRange struct {
	first, last int
	aligned     bool
	covered     bool
}

// placeSpan finds the tokens covering [start, end). toks are ordered and
// do not overlap, so both searches are binary.
func placeSpan(toks []tokens.Token, start, end int) tokenRange {
	first := sort.Search(len(toks), func(i int) bool { return toks[i].End > start })
	last := sort.Search(len(toks), func(i int) bool { return toks[i].Start >= end }) - 1
	if first > last || first >= len(toks) || last < 0 {
		return tokenRange{first: first, last: last}
	}
	return tokenRange{first: first, last: last, covered: true,
		aligned: toks[first].Start == start && toks[last].End == end}
}

// iobTag is the tag of one token: Label "" is O.
type iobTag struct {
	Label string
	Begin bool
}

func (t iobTag) String() string {
	switch {
	case t.Label == "":
		return "O"
	case t.Begin:
		return "B-" + t.Label
	}
	return "I-" + t.Label
}

// iobResult is one document resolved to IOB2 tags.
type iobResult struct {
	tags       []iobTag
	written    int
	dropped    int
	misaligned int
	// within[i] is true when token i and token i+1 are inside the same
	// written span: no sentence may end between them.
	within []bool
}

// resolveIOB gives every token of toks one IOB2 tag from spans.
//
// Policy, in this order: a span that does not fall on token boundaries is
// widened to the tokens that cover it (and counted as misaligned); a span
// that covers no token (only white space) is dropped. Overlapping spans
// cannot all be tagged: the longer span (in code points) wins, on a tie the
// one that starts earlier, then the label name that sorts first (then the
// annotator and span id, so the result never depends on input order); a
// span that overlaps a winner anywhere is dropped whole, never cut.
func resolveIOB(toks []tokens.Token, spans []Span) iobResult {
	res := iobResult{tags: make([]iobTag, len(toks)), within: make([]bool, len(toks))}
	order := make([]int, len(spans))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := spans[order[a]], spans[order[b]]
		if lx, ly := x.End-x.Start, y.End-y.Start; lx != ly {
			return lx > ly
		}
		if x.Start != y.Start {
			return x.Start < y.Start
		}
		if c := strings.Compare(x.Label, y.Label); c != 0 {
			return c < 0
		}
		if c := strings.Compare(x.Annotator, y.Annotator); c != 0 {
			return c < 0
		}
		return x.ID < y.ID
	})
	taken := make([]bool, len(toks))
	for _, i := range order {
		s := spans[i]
		r := placeSpan(toks, s.Start, s.End)
		if !r.aligned {
			res.misaligned++
		}
		if !r.covered {
			res.dropped++
			continue
		}
		free := true
		for k := r.first; k <= r.last; k++ {
			if taken[k] {
				free = false
				break
			}
		}
		if !free {
			res.dropped++
			continue
		}
		for k := r.first; k <= r.last; k++ {
			taken[k] = true
			res.tags[k] = iobTag{Label: s.Label, Begin: k == r.first}
			if k < r.last {
				res.within[k] = true
			}
		}
		res.written++
	}
	return res
}
