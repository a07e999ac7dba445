package suggest

// Word lists in INCEpTION's gazetteer format: one entry a line,
//
//	european commission<TAB>ORG
//
// blank lines and lines starting with # skipped, a trailing CR and a BOM
// dropped. A line without exactly one tab, or with an empty text or label,
// refuses the file naming file:line. An entry is tokenized with app/tokens
// and matched as a token sequence, so "EU" never matches inside "EUR".
//
// Matching ignores case by default (SetCaseSensitive(true) to match
// exactly): INCEpTION's string matcher is case-sensitive unless its
// "ignore case" box is ticked, but in news text a listed term starts a
// sentence often enough that the default here is the other way. Per label
// the longest match wins, as for patterns. A text listed with several labels
// is proposed with each, scored by its share of them (two labels: 0.5
// each), as INCEpTION scores by relative frequency; once, it scores 1.

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

	"gloss/app/tokens"
)

// WordList is a parsed word list.
type WordList struct {
	entries       []wordEntry
	caseSensitive bool
	trie          *trie
}

type wordEntry struct {
	words []string
	label string
	rule  string // file:line
}

// ParseWordList reads a word list; name is used in errors and as each
// entry's Rule ("terms.tsv:12").
func ParseWordList(name string, r io.Reader) (*WordList, error) {
	w := &WordList{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	seen := map[string]int{} // text\x00label → line
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		bad := func(format string, a ...any) error {
			return &LineError{File: name, Line: n, Msg: fmt.Sprintf(format, a...)}
		}
		fields := strings.Split(line, "\t")
		if len(fields) != 2 {
			if len(fields) == 1 {
				return nil, bad("no tab: want text<TAB>label")
			}
			return nil, bad("%d tabs: want text<TAB>label", len(fields)-1)
		}
		text, label := strings.TrimSpace(fields[0]), strings.TrimSpace(fields[1])
		if text == "" {
			return nil, bad("empty text before the tab")
		}
		if label == "" {
			return nil, bad("empty label after the tab")
		}
		var words []string
		for _, t := range tokens.Tokenize(text) {
			words = append(words, t.Text)
		}
		if len(words) > MaxMatchTokens {
			return nil, bad("entry of %d tokens is longer than %d", len(words), MaxMatchTokens)
		}
		key := strings.Join(words, " ") + "\x00" + label
		if _, dup := seen[key]; dup {
			continue // a repeated entry is harmless
		}
		seen[key] = n
		w.entries = append(w.entries, wordEntry{words: words, label: label, rule: fmt.Sprintf("%s:%d", name, n)})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	w.index()
	return w, nil
}

// SetCaseSensitive makes the list match exactly (true) or ignoring case
// (false, the default).
func (w *WordList) SetCaseSensitive(on bool) {
	w.caseSensitive = on
	w.index()
}

// Len returns the number of entries (text and label pairs).
func (w *WordList) Len() int { return len(w.entries) }

func (w *WordList) key(s string) string {
	if w.caseSensitive {
		return s
	}
	return lower(s)
}

func (w *WordList) index() {
	labelsOf := map[string]map[string]bool{} // distinct labels per key
	keysOf := make([][]string, len(w.entries))
	for i, e := range w.entries {
		ks := make([]string, len(e.words))
		for j, s := range e.words {
			ks[j] = w.key(s)
		}
		keysOf[i] = ks
		k := strings.Join(ks, "\x00")
		if labelsOf[k] == nil {
			labelsOf[k] = map[string]bool{}
		}
		labelsOf[k][e.label] = true
	}
	w.trie = newTrie()
	for i, e := range w.entries {
		n := len(labelsOf[strings.Join(keysOf[i], "\x00")])
		w.trie.add(keysOf[i], hit{label: e.label, rule: e.rule, score: 1 / float64(n)})
	}
}

// Labels returns the labels the list proposes, sorted.
func (w *WordList) Labels() []string {
	var out []string
	for _, e := range w.entries {
		out = append(out, e.label)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Match implements Suggester.
func (w *WordList) Match(text string, toks []tokens.Token) []Suggestion {
	keys := make([]string, len(toks))
	for i, t := range toks {
		keys[i] = w.key(t.Text)
	}
	return longest(w.trie.match(toks, keys, SourceWordList, nil))
}
