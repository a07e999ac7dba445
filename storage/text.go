package storage

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// sliceRunes returns s's code points [start:end), like Python's s[start:end]
// with 0 <= start <= end <= len(s) in code points. It walks s once without
// converting it to []rune.
func sliceRunes(s string, start, end int) (string, error) {
	if start < 0 || end < start {
		return "", fmt.Errorf("bad range [%d:%d)", start, end)
	}
	from, to := -1, -1
	n := 0
	for i := range s { // i steps over code points
		if n == start {
			from = i
		}
		if n == end {
			to = i
			break
		}
		n++
	}
	if to < 0 { // end not reached inside s: it may be the very end
		if n == end {
			to = len(s)
		} else {
			return "", fmt.Errorf("end %d past length %d", end, n)
		}
	}
	if from < 0 {
		from = len(s) // start == end == length
	}
	return s[from:to], nil
}

// runeLen is the length of s in code points.
func runeLen(s string) int { return utf8.RuneCountInString(s) }

// checkName validates a name of an annotator or label: trimmed, non-empty,
// no control characters (tabs and newlines included), at most 100 code points.
// It returns a readable reason, or "" when the name is fine.
func checkName(name string) string {
	switch {
	case !utf8.ValidString(name):
		return "name is not valid UTF-8"
	case name == "":
		return "name is empty"
	case strings.TrimSpace(name) != name:
		return "name has leading or trailing spaces"
	case runeLen(name) > 100:
		return fmt.Sprintf("name is %d characters long, at most 100 are allowed", runeLen(name))
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "name contains a tab, newline or other control character"
	}
	return ""
}

// docText answers code point questions about one record's text: its length
// and the text of [start, end). It walks the text with a cursor that moves
// forward or back from the last position asked about, so spans in order
// (the usual case) cost one pass over the text, without a table.
type docText struct {
	s      string
	ascii  bool
	n      int // length in code points
	cp, by int // the cursor: code point cp starts at byte by
}

func newDocText(s string) *docText {
	return (&docText{}).reset(s)
}

// reset makes t describe s.
func (t *docText) reset(s string) *docText {
	t.s, t.ascii, t.cp, t.by = s, true, 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			t.ascii = false
			break
		}
	}
	if t.ascii {
		t.n = len(s)
	} else {
		t.n = utf8.RuneCountInString(s)
	}
	return t
}

func (t *docText) len() int { return t.n }

// byteAt is the byte offset of code point cp (0 <= cp <= len).
func (t *docText) byteAt(cp int) int {
	if t.ascii {
		return cp
	}
	if cp < t.cp-cp { // nearer the start than the cursor
		t.cp, t.by = 0, 0
	}
	for t.cp < cp {
		_, size := utf8.DecodeRuneInString(t.s[t.by:])
		t.by += size
		t.cp++
	}
	for t.cp > cp {
		_, size := utf8.DecodeLastRuneInString(t.s[:t.by])
		t.by -= size
		t.cp--
	}
	return t.by
}

// slice is the code points [start, end), 0 <= start <= end <= len.
func (t *docText) slice(start, end int) string {
	if t.ascii {
		return t.s[start:end]
	}
	from := t.byteAt(start)
	return t.s[from:t.byteAt(end)]
}
