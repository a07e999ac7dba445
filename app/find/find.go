// Package find finds every occurrence of a query in one text, in code
// points: what the find bar (Ctrl+F) highlights and "label every
// occurrence" labels. It is pure and knows nothing of the store.
package find

import (
	"fmt"
	"regexp"
	"unicode"
)

// Query is what to look for.
type Query struct {
	Text          string
	CaseSensitive bool // default: case is ignored (simple Unicode folding)
	WholeWord     bool // a match must not continue a word on either side
	Regex         bool // Text is a Go regular expression (RE2 syntax)
}

// Text is a text prepared for many queries: its code points, folded once.
type Text struct {
	s      string
	runes  []rune
	folded []rune
	// byteAt[i] is the byte offset of code point i (for regular
	// expressions, which match bytes), len(runes)+1 entries.
	byteAt []int
}

// New prepares s.
func New(s string) *Text {
	t := &Text{s: s, runes: []rune(s)}
	t.folded = make([]rune, len(t.runes))
	for i, r := range t.runes {
		t.folded[i] = fold(r)
	}
	return t
}

// fold maps r to the lower case of its simple case folding orbit, one code
// point for one, so folded offsets are the text's offsets.
func fold(r rune) rune { return unicode.ToLower(r) }

// Len is the text's length in code points.
func (t *Text) Len() int { return len(t.runes) }

// Slice is the text's code points [a, b).
func (t *Text) Slice(a, b int) string { return string(t.runes[a:b]) }

// All returns every match of q in the text as code point ranges [start,
// end), by start, not overlapping (after a match the search goes on at its
// end, as editors' find does). An empty query matches nothing; a bad
// regular expression is an error naming what is wrong.
func (t *Text) All(q Query) ([][2]int, error) {
	if q.Text == "" {
		return nil, nil
	}
	if q.Regex {
		return t.regex(q)
	}
	needle := []rune(q.Text)
	hay := t.folded
	if q.CaseSensitive {
		hay = t.runes
	} else {
		for i, r := range needle {
			needle[i] = fold(r)
		}
	}
	var out [][2]int
	n := len(needle)
	for i := 0; i+n <= len(hay); {
		if hay[i] == needle[0] && equal(hay[i:i+n], needle) && (!q.WholeWord || t.wordEdges(i, i+n)) {
			out = append(out, [2]int{i, i + n})
			i += n
			continue
		}
		i++
	}
	return out, nil
}

func equal(a, b []rune) bool {
	for i := range b {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// wordEdges says whether [a, b) does not continue a word on either side.
func (t *Text) wordEdges(a, b int) bool {
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }
	return (a == 0 || !word(t.runes[a-1]) || !word(t.runes[a])) && (b == len(t.runes) || !word(t.runes[b]) || !word(t.runes[b-1]))
}

func (t *Text) regex(q Query) ([][2]int, error) {
	expr := q.Text
	if !q.CaseSensitive {
		expr = "(?i)" + expr
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("not a regular expression: %v", err)
	}
	if t.byteAt == nil {
		t.byteAt = make([]int, 0, len(t.runes)+1)
		for b := range t.s {
			t.byteAt = append(t.byteAt, b)
		}
		t.byteAt = append(t.byteAt, len(t.s))
	}
	var out [][2]int
	for _, m := range re.FindAllStringIndex(t.s, -1) {
		if m[0] == m[1] {
			continue // an empty match labels nothing
		}
		a, b := t.codePoint(m[0]), t.codePoint(m[1])
		if q.WholeWord && !t.wordEdges(a, b) {
			continue
		}
		out = append(out, [2]int{a, b})
	}
	return out, nil
}

// codePoint is the code point at byte offset b (a rune start).
func (t *Text) codePoint(b int) int {
	lo, hi := 0, len(t.byteAt)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if t.byteAt[mid] < b {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// Valid reports whether a regular expression compiles; "" when it does.
func Valid(q Query) string {
	if !q.Regex {
		return ""
	}
	if _, err := regexp.Compile(q.Text); err != nil {
		return err.Error()
	}
	return ""
}
