package storage

import "testing"

func TestSliceRunes(t *testing.T) {
	// 👍🏽 is two code points (thumbs up + skin tone modifier).
	s := "a👍🏽“b”—東京"
	tests := []struct {
		start, end int
		want       string
	}{
		{0, 1, "a"},
		{1, 3, "👍🏽"},
		{1, 2, "👍"},
		{2, 3, "🏽"},
		{3, 6, "“b”"},
		{6, 7, "—"},
		{7, 9, "東京"},
		{0, 9, s},
		{9, 9, ""},
		{0, 0, ""},
		{4, 4, ""},
	}
	for _, tt := range tests {
		got, err := sliceRunes(s, tt.start, tt.end)
		if err != nil || got != tt.want {
			t.Errorf("sliceRunes(%d, %d) = %q, %v; want %q", tt.start, tt.end, got, err, tt.want)
		}
	}
	for _, bad := range [][2]int{{-1, 2}, {3, 2}, {0, 10}, {10, 10}} {
		if got, err := sliceRunes(s, bad[0], bad[1]); err == nil {
			t.Errorf("sliceRunes(%d, %d) = %q, want an error", bad[0], bad[1], got)
		}
	}
	if n := runeLen(s); n != 9 {
		t.Errorf("runeLen = %d, want 9", n)
	}
}

func TestCheckName(t *testing.T) {
	good := []string{"Claim", "Évidence", "東京", "a b", string(make([]rune, 0)) + "x"}
	for _, n := range good {
		if r := checkName(n); r != "" {
			t.Errorf("checkName(%q) = %q", n, r)
		}
	}
	long := ""
	for range 101 {
		long += "é"
	}
	bad := []string{"", " x", "x ", "a\tb", "a\nb", "a\x00b", "a\u0085b", long, "\xff"}
	for _, n := range bad {
		if r := checkName(n); r == "" {
			t.Errorf("checkName(%q) accepted it", n)
		}
	}
	if r := checkName(long[:len(long)-2]); r != "" {
		t.Errorf("100 characters refused: %s", r)
	}
}
