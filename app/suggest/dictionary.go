package suggest

// The analyst's own labels as a dictionary, like INCEpTION's string
// matching recommender trained on annotations: every labelled span's text,
// as its token sequence in lower case, with how often it got each label.
// Elsewhere, where that token sequence occurs, the dictionary proposes
// each label it was given, scored
//
//	count(text labelled L) / count(text labelled at all)
//
// counting labelled places (one extent with two labels counts once below
// the line), so a text labelled Figure twice and Claim once proposes
// Figure at 2/3 ≈ 0.67 and Claim at 0.33. Per label the longest match
// wins. A span that does not start and end on token boundaries cannot be
// matched on tokens and is left out (Dictionary.Skipped).

import (
	"slices"
	"strings"

	"gloss/app/tokens"
)

// Dictionary maps labelled texts to label counts.
type Dictionary struct {
	entries map[string]*DictEntry
	trie    *trie
	// Skipped counts spans that were not on token boundaries or outside
	// their text.
	Skipped int
}

// DictEntry is one labelled text.
type DictEntry struct {
	Text     string         // the tokens in lower case, joined by spaces
	Labels   map[string]int // how many places got each label
	Labelled int            // how many places got any label
}

// BuildDictionary collects the labelled texts of docs.
func BuildDictionary(docs []Doc) *Dictionary {
	d := &Dictionary{entries: map[string]*DictEntry{}}
	var order []string // first-seen order, so the trie is built deterministically
	words := map[string][]string{}
	for _, doc := range docs {
		toks := tokens.Tokenize(doc.Text)
		keys := tokenKeys(toks)
		type place struct{ from, to int }
		seen := map[place]map[string]bool{}
		var places []place
		for _, sp := range doc.Spans {
			from, to, ok := spanTokens(toks, sp)
			if !ok || sp.Label == "" {
				d.Skipped++
				continue
			}
			p := place{from, to}
			if seen[p] == nil {
				seen[p] = map[string]bool{}
				places = append(places, p)
			}
			seen[p][sp.Label] = true
		}
		for _, p := range places {
			k := strings.Join(keys[p.from:p.to], " ")
			e := d.entries[k]
			if e == nil {
				e = &DictEntry{Text: k, Labels: map[string]int{}}
				d.entries[k] = e
				order = append(order, k)
				words[k] = keys[p.from:p.to]
			}
			e.Labelled++
			for l := range seen[p] {
				e.Labels[l]++
			}
		}
	}
	d.trie = newTrie()
	for _, k := range order {
		e := d.entries[k]
		for _, l := range sortedKeys(e.Labels) {
			d.trie.add(words[k], hit{label: l, score: float64(e.Labels[l]) / float64(e.Labelled)})
		}
	}
	return d
}

// Entries returns the labelled texts, sorted by text.
func (d *Dictionary) Entries() []DictEntry {
	out := make([]DictEntry, 0, len(d.entries))
	for _, k := range sortedKeys(d.entries) {
		out = append(out, *d.entries[k])
	}
	return out
}

// Len returns the number of distinct labelled texts.
func (d *Dictionary) Len() int { return len(d.entries) }

// Match implements Suggester.
func (d *Dictionary) Match(text string, toks []tokens.Token) []Suggestion {
	return longest(d.trie.match(toks, tokenKeys(toks), SourceDictionary, nil))
}

// Occurrence is a place where a text labelled elsewhere is not labelled
// ("text marked partially").
type Occurrence struct {
	DocID      string
	Start, End int
	Label      string // the label the text has elsewhere
	Text       string // the dictionary text (lower case)
	// Labelled is how many places in the document set gave the text
	// Label; Score is the dictionary's share for it.
	Labelled int
	Score    float64
}

// Unlabelled returns, for the documents given, every occurrence of a
// labelled text (as the dictionary of those documents finds it) that no
// span of that label overlaps, in document order. A text inside a longer
// span of its label does not count as unlabelled.
func Unlabelled(docs []Doc) []Occurrence {
	d := BuildDictionary(docs)
	var out []Occurrence
	for _, doc := range docs {
		toks := tokens.Tokenize(doc.Text)
		for _, s := range d.Match(doc.Text, toks) {
			if slices.ContainsFunc(doc.Spans, func(sp Span) bool {
				return sp.Label == s.Label && sp.Start < s.End && s.Start < sp.End
			}) {
				continue
			}
			from, to, _ := spanTokens(toks, Span{Start: s.Start, End: s.End})
			k := strings.Join(tokenKeys(toks[from:to]), " ")
			e := d.entries[k]
			out = append(out, Occurrence{DocID: doc.ID, Start: s.Start, End: s.End, Label: s.Label,
				Text: k, Labelled: e.Labels[s.Label], Score: s.Score})
		}
	}
	return out
}
