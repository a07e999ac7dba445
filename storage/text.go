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
