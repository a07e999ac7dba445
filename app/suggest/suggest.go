// Package suggest is Gloss's assisted annotation engine (issue 10): it
// proposes spans for a document from four sources, all pure Go, with no
// storage and nothing graphical:
//
//	p, err := ParsePatterns("patterns.jsonl", r)   // Prodigy patterns JSONL
//	w, err := ParseWordList("terms.tsv", r)        // text<TAB>label lines
//	d := BuildDictionary(labelledDocs)             // the analyst's own labels
//	m, err := Train(labelledDocs, TrainOptions{})  // one tagger per label
//	sugs := Suggesters{p, w, d, m}.Match(text, tokens.Tokenize(text))
//	sugs = Unseen(sugs, spansAlreadyThere)
//
// Every source is a Suggester: Match(text, toks) returns Suggestions
// (start, end, label, score in (0, 1], source, rule), sorted by start.
// Offsets are Unicode code points into the document text, end exclusive,
// and everything matches on the tokens of app/tokens, so a suggestion
// always starts and ends on token boundaries. Unlabelled finds the places
// where a text labelled elsewhere is left unlabelled. A Model is stored
// with MarshalBinary and LoadModel. Evaluate, CrossValidate, Split, KFold
// and LearningCurve measure any source by exact-span precision, recall
// and F1.
//
// The comment at the top of each file says which rules its source follows.
// Matching and prediction are safe for concurrent use; SetPhraseAttr and
// SetCaseSensitive are not (call them before sharing).
package suggest

import (
	"cmp"
	"slices"
	"strings"

	"gloss/app/tokens"
)

// Sources of a Suggestion.
const (
	SourcePattern    = "pattern"
	SourceWordList   = "wordlist"
	SourceDictionary = "dictionary"
	SourceTagger     = "tagger"
)

// Span is one labelled extent of a document.
type Span struct {
	Start, End int
	Label      string
}

// Doc is a document with the spans an analyst gave it (for training,
// the dictionary and evaluation).
type Doc struct {
	ID, Text string
	Spans    []Span
}

// Suggestion is one proposed span. Score is in (0, 1]: 1 for a pattern,
// the label's share of the text's labels for a word list or the
// dictionary, for the tagger the estimated probability that the span is
// exactly right. Rule is the pattern's id, or for a word list its
// file:line, else "".
type Suggestion struct {
	Start, End int
	Label      string
	Score      float64
	Source     string
	Rule       string
}

// Suggester is what every source implements. toks must be
// tokens.Tokenize(text).
type Suggester interface {
	Match(text string, toks []tokens.Token) []Suggestion
}

// Suggesters runs several sources and merges what they propose (Merge).
type Suggesters []Suggester

// Match implements Suggester.
func (ss Suggesters) Match(text string, toks []tokens.Token) []Suggestion {
	var all []Suggestion
	for _, s := range ss {
		all = append(all, s.Match(text, toks)...)
	}
	return Merge(all)
}

// Merge sorts suggestions by start, end and label and keeps one per extent
// and label: the highest score, ties going to the earlier one in the input
// (so list the sources in order of preference).
func Merge(sugs []Suggestion) []Suggestion {
	out := slices.Clone(sugs)
	slices.SortStableFunc(out, func(a, b Suggestion) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End),
			strings.Compare(a.Label, b.Label), cmp.Compare(b.Score, a.Score))
	})
	return slices.CompactFunc(out, func(a, b Suggestion) bool {
		return a.Start == b.Start && a.End == b.End && a.Label == b.Label
	})
}

// Unseen drops the suggestions an analyst has already dealt with: those
// overlapping a span of the same label in spans.
func Unseen(sugs []Suggestion, spans []Span) []Suggestion {
	var out []Suggestion
next:
	for _, s := range sugs {
		for _, sp := range spans {
			if sp.Label == s.Label && sp.Start < s.End && s.Start < sp.End {
				continue next
			}
		}
		out = append(out, s)
	}
	return out
}

// MaxMatchTokens bounds the length of a pattern or phrase match. spaCy has
// no bound; this one keeps a pattern like [{"LOWER":"a"},{"OP":"*"}] from
// costing tokens² on a 1 MB article, and no annotation is this long.
const MaxMatchTokens = 200

// longest applies spaCy's greedy="LONGEST" filter per label: longer
// matches first (ties: the earlier start, then the earlier in ms), each
// kept only if it overlaps no match of its label already kept. The
// result is sorted by start, end, label.
func longest(ms []Suggestion) []Suggestion {
	slices.SortStableFunc(ms, func(a, b Suggestion) int {
		return cmp.Or(strings.Compare(a.Label, b.Label), cmp.Compare(b.End-b.Start, a.End-a.Start),
			cmp.Compare(a.Start, b.Start))
	})
	maxEnd := 0
	for _, m := range ms {
		maxEnd = max(maxEnd, m.End)
	}
	var taken bitset // code points covered by kept matches of the label
	out := ms[:0]
	for i, m := range ms {
		if i == 0 || m.Label != ms[i-1].Label {
			taken = taken.reset(maxEnd)
		}
		if taken.any(m.Start, m.End) {
			continue
		}
		taken.set(m.Start, m.End)
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b Suggestion) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), strings.Compare(a.Label, b.Label))
	})
	return out
}

type bitset []uint64

func (b bitset) reset(n int) bitset {
	w := n/64 + 1
	if cap(b) < w {
		return make(bitset, w)
	}
	b = b[:w]
	clear(b)
	return b
}

// mask returns the bits of word w inside [from, to).
func mask(w, from, to int) uint64 {
	lo, hi := max(from-w*64, 0), min(to-w*64, 64)
	if lo >= hi {
		return 0
	}
	m := ^uint64(0) << lo
	if hi < 64 {
		m &= (1 << hi) - 1
	}
	return m
}

func (b bitset) any(from, to int) bool {
	for w := from / 64; w*64 < to; w++ {
		if b[w]&mask(w, from, to) != 0 {
			return true
		}
	}
	return false
}

func (b bitset) set(from, to int) {
	for w := from / 64; w*64 < to; w++ {
		b[w] |= mask(w, from, to)
	}
}

// lower is the LOWER attribute: Unicode lower case, as Python's
// str.lower() for everything but a few special cases (final sigma).
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || 'A' <= c && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

// tokenKeys returns the lower-cased texts of toks.
func tokenKeys(toks []tokens.Token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = lower(t.Text)
	}
	return out
}

// spanTokens returns the token range [from, to) that sp covers exactly, or
// ok false when sp does not start and end on token boundaries.
func spanTokens(toks []tokens.Token, sp Span) (from, to int, ok bool) {
	from, found := slices.BinarySearchFunc(toks, sp.Start, func(t tokens.Token, s int) int { return cmp.Compare(t.Start, s) })
	if !found {
		return 0, 0, false
	}
	to, found = slices.BinarySearchFunc(toks, sp.End, func(t tokens.Token, e int) int { return cmp.Compare(t.End, e) })
	if !found || to < from {
		return 0, 0, false
	}
	return from, to + 1, true
}

// coverTokens returns the tokens that sp overlaps by at least one code
// point: how the tagger reads a span that starts or ends inside a word.
func coverTokens(toks []tokens.Token, sp Span) (from, to int) {
	from, _ = slices.BinarySearchFunc(toks, sp.Start, func(t tokens.Token, s int) int { return cmp.Compare(t.End, s+1) })
	to = from
	for to < len(toks) && toks[to].Start < sp.End {
		to++
	}
	return from, to
}
