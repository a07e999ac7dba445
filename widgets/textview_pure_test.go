package widgets

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// mono measures every rune as 10 px wide, so layouts are easy to predict.
func mono(s string) float32 { return float32(utf8.RuneCountInString(s)) * 10 }

func lineTexts(r []rune, lines []lineLayout) []string {
	var out []string
	for _, ln := range lines {
		out = append(out, string(r[ln.start:ln.textEnd])+"|"+string(r[ln.textEnd:ln.end]))
	}
	return out
}

func TestWrapRunes(t *testing.T) {
	for _, tc := range []struct {
		text string
		maxW float32
		want []string // visible|hanging spaces
	}{
		{"", 100, []string{"|"}},
		{"short", 100, []string{"short|"}},
		{"aaa bbb ccc", 70, []string{"aaa bbb| ", "ccc|"}},
		{"aaa bbb ccc", 69, []string{"aaa| ", "bbb| ", "ccc|"}},
		{"aaa   bbb", 60, []string{"aaa|   ", "bbb|"}},
		{"  indented text", 110, []string{"  indented| ", "text|"}},
		{"abcdefghij", 35, []string{"abc|", "def|", "ghi|", "j|"}},
		{"ab abcdefghij", 50, []string{"ab| ", "abcde|", "fghij|"}},
		{"x\ty", 100, []string{"x\ty|"}},
		{"trailing  ", 100, []string{"trailing|  "}},
		{"“Hi” — 👍🏽 five-year-old", 80, []string{"“Hi” —| ", "👍🏽| ", "five-yea|", "r-old|"}},
	} {
		r := []rune(tc.text)
		lines := wrapRunes(r, tc.maxW, 10, mono)
		if got := lineTexts(r, lines); !slices.Equal(got, tc.want) {
			t.Errorf("wrap(%q, %v) = %q, want %q", tc.text, tc.maxW, got, tc.want)
		}
		// Lines tile the paragraph and never overflow (unless one rune).
		prev := 0
		for _, ln := range lines {
			if int(ln.start) != prev {
				t.Errorf("%q: line starts at %d, want %d", tc.text, ln.start, prev)
			}
			prev = int(ln.end)
			if ln.width > tc.maxW && ln.textEnd-ln.start > 1 {
				t.Errorf("%q: line %q is %v wide > %v", tc.text, ln.disp, ln.width, tc.maxW)
			}
			if want := strings.ReplaceAll(string(r[ln.start:ln.textEnd]), "\t", " "); ln.disp != want {
				t.Errorf("disp %q, want %q", ln.disp, want)
			}
		}
		if prev != len(r) {
			t.Errorf("%q: lines end at %d, want %d", tc.text, prev, len(r))
		}
	}
}

func monoPrefix(tk *lineTok, k int) float32 { return float32(k) * 10 }

func TestOffsetPositionMapping(t *testing.T) {
	r := []rune("aaa bbb  ccc dd")
	lines := wrapRunes(r, 90, 10, mono) // "aaa bbb  " | "ccc dd"
	if len(lines) != 2 {
		t.Fatalf("got %d lines", len(lines))
	}
	for _, tc := range []struct {
		off  int
		line int
		x    float32
	}{
		{0, 0, 0}, {2, 0, 20}, {3, 0, 30}, {4, 0, 40}, {7, 0, 70}, {8, 0, 80},
		{9, 1, 0}, {11, 1, 20}, {13, 1, 40}, {15, 1, 60},
	} {
		li := lineIndexAt(lines, tc.off)
		if li != tc.line {
			t.Errorf("lineIndexAt(%d) = %d, want %d", tc.off, li, tc.line)
			continue
		}
		if x := lines[li].xAt(tc.off, 10, monoPrefix); x != tc.x {
			t.Errorf("xAt(%d) = %v, want %v", tc.off, x, tc.x)
		}
		// And back: the boundary at x maps to the offset.
		if got := lines[li].offsetAtX(tc.x+1, true, 10, monoPrefix); got != tc.off && !(tc.off == 15 && got == 15) {
			t.Errorf("offsetAtX(%v) = %d, want %d", tc.x+1, got, tc.off)
		}
	}
	for _, tc := range []struct {
		x       float32
		nearest bool
		want    int
	}{
		{14, true, 1}, {16, true, 2}, {14, false, 1}, {19, false, 1},
		{-5, true, 0}, {-5, false, -1}, {500, false, -1}, {500, true, 9},
		{65, false, 6}, {72, false, -1}, {35, false, 3},
	} {
		if got := lines[0].offsetAtX(tc.x, tc.nearest, 10, monoPrefix); got != tc.want {
			t.Errorf("line0 offsetAtX(%v, %v) = %d, want %d", tc.x, tc.nearest, got, tc.want)
		}
	}
}

func TestFenwick(t *testing.T) {
	vals := []int32{10, 0, 5, 20, 7}
	var f fenwick
	f.build(vals)
	if f.total() != 42 {
		t.Fatalf("total %d", f.total())
	}
	for y, want := range map[int64]int{0: 0, 9: 0, 10: 2, 14: 2, 15: 3, 34: 3, 35: 4, 41: 4, 100: 4} {
		if got := f.find(y); got != want {
			t.Errorf("find(%d) = %d, want %d", y, got, want)
		}
	}
	f.add(1, 3) // 10 3 5 20 7
	if f.prefix(2) != 13 || f.find(11) != 1 || f.find(13) != 2 {
		t.Errorf("after add: prefix(2)=%d find(11)=%d find(13)=%d", f.prefix(2), f.find(11), f.find(13))
	}
}

func TestAssignLanes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spans [][2]int
		want  []int
	}{
		{"disjoint", [][2]int{{0, 5}, {5, 10}, {12, 20}}, []int{0, 0, 0}},
		{"nested", [][2]int{{0, 40}, {10, 20}, {12, 15}}, []int{0, 1, 2}},
		{"figure in claim", [][2]int{{0, 40}, {10, 20}, {25, 30}}, []int{0, 1, 1}},
		{"overlap chain", [][2]int{{0, 10}, {5, 15}, {12, 20}}, []int{0, 1, 0}},
		{"lowest free", [][2]int{{0, 100}, {1, 3}, {2, 50}, {4, 6}}, []int{0, 1, 2, 1}},
		{"same start: longer outside", [][2]int{{5, 30}, {5, 10}}, []int{0, 1}},
	} {
		var spans []Span
		for i, s := range tc.spans {
			spans = append(spans, Span{ID: string(rune('a' + i)), Start: s[0], End: s[1]})
		}
		var ix spanIndex
		ix.set(spans)
		got := make([]int, len(spans))
		for i, sp := range ix.spans {
			got[sp.ID[0]-'a'] = ix.lanes[i]
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: lanes %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestSpanIndexOverlapping(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 3, 7, 8, 9, 16, 17, 100, 1000} {
		spans := make([]Span, n)
		for i := range spans {
			s := rng.IntN(5000)
			l := 1 + rng.IntN(40)
			if rng.IntN(50) == 0 {
				l = 1 + rng.IntN(3000) // a few long spans
			}
			spans[i] = Span{ID: strings.Repeat("x", i%3) + string(rune('A'+i%26)), Start: s, End: s + l}
		}
		var ix spanIndex
		ix.set(spans)
		for q := 0; q < 200; q++ {
			a := rng.IntN(5200) - 100
			b := a + 1 + rng.IntN(300)
			var want []int
			for i, sp := range ix.spans {
				if sp.Start < b && a < sp.End {
					want = append(want, i)
				}
			}
			got := ix.overlapping(a, b, nil)
			if !slices.Equal(got, want) {
				t.Fatalf("n=%d [%d,%d): got %v want %v", n, a, b, got, want)
			}
		}
	}
}

// TestSpanIndexAdd: adding spans one at a time gives the index that set
// builds from all of them: the same order, lanes and interval tree.
func TestSpanIndexAdd(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 2, 9, 17, 300} {
		spans := make([]Span, n)
		for i := range spans {
			s := rng.IntN(2000)
			spans[i] = Span{ID: fmt.Sprintf("s%03d", i), Start: s, End: s + rng.IntN(30)} // some empty: dropped
		}
		var all, added spanIndex
		all.set(spans)
		added.set(spans[:1])
		for _, sp := range spans[1:] {
			added.add(sp)
		}
		if !slices.Equal(added.spans, all.spans) || !slices.Equal(added.lanes, all.lanes) ||
			!slices.Equal(added.maxEnd, all.maxEnd) || added.maxLevel != all.maxLevel {
			t.Fatalf("n=%d: adding one by one differs from set", n)
		}
	}
}

func TestInnermostAt(t *testing.T) {
	var ix spanIndex
	ix.set([]Span{{ID: "claim", Start: 0, End: 40}, {ID: "fig", Start: 10, End: 20}, {ID: "num", Start: 12, End: 15}})
	for off, want := range map[int]string{0: "claim", 10: "fig", 12: "num", 14: "num", 15: "fig", 20: "claim", 39: "claim", 40: ""} {
		got := ""
		if i := ix.innermostAt(off); i >= 0 {
			got = ix.spans[i].ID
		}
		if got != want {
			t.Errorf("innermostAt(%d) = %q, want %q", off, got, want)
		}
	}
}
