package formats

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"gloss/app/offsets"
)

// Suggestions in files. Two formats have a place for them apart from the
// annotations (Format.Suggestions): Gloss JSONL ("suggestions" beside
// "spans") and Label Studio ("predictions" beside "annotations"). Every
// other exporter leaves them out (leftOut counts them) and every other
// importer gives none.

// WhereSuggestion says where in the file s is: "FILE:LINE: PATH".
func (r *Doc) WhereSuggestion(s *Suggestion) string {
	line, path := r.Line, r.Path
	if s != nil {
		if s.Line > 0 {
			line = s.Line
		}
		if s.Path != "" {
			path = s.Path
		}
	}
	w := fmt.Sprintf("%s:%d", r.Name, line)
	if path != "" {
		w += ": " + path
	}
	return w
}

// validScore reports whether f is a score: a number in [0, 1].
func validScore(f float64) bool { return f >= 0 && f <= 1 } // false for NaN

// scoreError explains a score out of [0, 1], written as the file wrote it.
func scoreError(written string) error {
	return fmt.Errorf("%s is not between 0 and 1", written)
}

// jsonScore reads a score: a JSON number in [0, 1]. ok is false when raw is
// missing or null.
func jsonScore(raw json.RawMessage) (score float64, ok bool, err error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return 0, false, nil
	}
	if c := raw[0]; c != '-' && (c < '0' || c > '9') {
		return 0, false, fmt.Errorf("want a number between 0 and 1, got %s", jsonKind(raw))
	}
	f, perr := strconv.ParseFloat(string(raw), 64)
	if perr != nil || !validScore(f) {
		return 0, false, scoreError(string(raw))
	}
	return f, true, nil
}

// suggestionExtent checks [start, end), code points of the stored text t,
// for a suggestion read from a file, as the store checks a span: not
// empty, in range and, when the file gives the covered text, equal to it.
// It returns the covered text.
func suggestionExtent(t *offsets.Text, start, end int, text *string) (string, error) {
	switch n := t.Len(); {
	case start < 0:
		return "", fmt.Errorf("invalid suggestion: start %d is negative", start)
	case start > end:
		return "", fmt.Errorf("invalid suggestion: start %d > end %d", start, end)
	case start == end:
		return "", fmt.Errorf("invalid suggestion: empty (start = end = %d)", start)
	case end > n:
		return "", fmt.Errorf("invalid suggestion: end %d past document length %d", end, n)
	}
	covered := t.Slice(start, end)
	if text != nil && *text != covered {
		return "", fmt.Errorf("invalid suggestion: text %q does not match the document's code points [%d, %d), which are %q",
			*text, start, end, covered)
	}
	return covered, nil
}

// appendFloatField appends "key":f as encoding/json writes a float64.
func appendFloatField(b []byte, key string, f float64, first bool) []byte {
	return appendJSONFloat(appendKey(b, key, first), f)
}

// appendJSONFloat appends f as encoding/json does (ES6 number formatting:
// the shortest representation that reads back exactly, with an exponent
// only below 1e-6 or from 1e21 on). f must be finite.
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// 1e-07 → 1e-7, as encoding/json cleans it.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}
