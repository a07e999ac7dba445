package widgets

import (
	"strings"
	"testing"
	"unicode"

	"fyne.io/fyne/v2"
)

// spaceWords is the tests' Segmenter: a token is a run of non-space
// characters. The real one (the app's tokenizer) is tested where it lives.
type spaceWords struct{}

func (spaceWords) Snap(text []rune, start, end int) (int, int) {
	for start < end && unicode.IsSpace(text[start]) {
		start++
	}
	for end > start && unicode.IsSpace(text[end-1]) {
		end--
	}
	if start == end {
		return start, start
	}
	for start > 0 && !unicode.IsSpace(text[start-1]) {
		start--
	}
	for end < len(text) && !unicode.IsSpace(text[end]) {
		end++
	}
	return start, end
}

// WordAt is the run of non-space characters around i.
func (spaceWords) WordAt(text []rune, i int) (int, int) {
	if i < 0 || i >= len(text) || unicode.IsSpace(text[i]) {
		return i, i
	}
	return spaceWords{}.Snap(text, i, i+1)
}

// SentenceAt ends sentences after . ! ? followed by white space, and at
// line breaks.
func (spaceWords) SentenceAt(text []rune, i int) (int, int) {
	if i < 0 || i >= len(text) {
		return i, i
	}
	ends := func(j int) bool { // a sentence ends before text[j]
		if j <= 0 || j >= len(text) {
			return true
		}
		if text[j] == '\n' || text[j-1] == '\n' {
			return true
		}
		return unicode.IsSpace(text[j]) && strings.ContainsRune(".!?", text[j-1])
	}
	s, e := i, i+1
	for !ends(s) {
		s--
	}
	for !ends(e) {
		e++
	}
	return spaceWords{}.Snap(text, s, e)
}

// fixedSnap answers every Snap with its range, and records what it was asked.
type fixedSnap struct {
	start, end int
	asked      [][2]int
}

func (f *fixedSnap) Snap(_ []rune, start, end int) (int, int) {
	f.asked = append(f.asked, [2]int{start, end})
	return f.start, f.end
}

func (f *fixedSnap) WordAt(_ []rune, i int) (int, int)     { return i, i }
func (f *fixedSnap) SentenceAt(_ []rune, i int) (int, int) { return i, i }

func TestSegmenterHook(t *testing.T) {
	v, _ := newTestView(t, sample, fyne.NewSize(800, 600))

	// The view asks with the raw range, in order, whichever way the drag
	// went, and clamps the answer to the text.
	f := &fixedSnap{start: -5, end: 1000}
	v.Segmenter = f
	drag(v, inside(v, 35), inside(v, 16), 0)
	if len(f.asked) == 0 || f.asked[len(f.asked)-1] != [2]int{16, 35} {
		t.Errorf("Snap asked %v, want last [16 35]", f.asked)
	}
	if s, e, _ := v.Selection(); s != 0 || e != len(v.doc.runes) {
		t.Errorf("selection %d..%d, want the answer clamped to 0..%d", s, e, len(v.doc.runes))
	}
	// An empty answer leaves no selection.
	f.start, f.end = 20, 20
	drag(v, inside(v, 16), inside(v, 35), 0)
	if _, _, ok := v.Selection(); ok {
		t.Error("an empty snap left a selection")
	}
	// Alt skips the Segmenter; so does having none.
	f.asked = nil
	drag(v, inside(v, 16), inside(v, 35), fyne.KeyModifierAlt)
	if s, e, _ := v.Selection(); s != 16 || e != 35 || len(f.asked) != 0 {
		t.Errorf("alt drag: %d..%d, Snap asked %v", s, e, f.asked)
	}
	v.Segmenter = nil
	drag(v, inside(v, 16), inside(v, 35), 0)
	if s, e, _ := v.Selection(); s != 16 || e != 35 {
		t.Errorf("no Segmenter: %d..%d, want 16..35", s, e)
	}
}
