package tokens

import (
	"testing"
	"unicode/utf8"
)

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"“We’ll build 280,000 homes,” she said 👍🏽.", "Mr. A. Smith\n\n- item", "👩‍👩‍👧🇪🇺1️⃣", "中文。English. «Ελλάδα»", "\xff\u200d\ufe0f"} {
		f.Add(s, 3, 9)
	}
	f.Fuzz(func(t *testing.T, s string, a, b int) {
		if !utf8.ValidString(s) {
			return
		}
		rs := []rune(s)
		toks := Tokenize(s)
		prev := 0
		for _, tk := range toks {
			if tk.Start < prev || tk.End <= tk.Start || tk.End > len(rs) || string(rs[tk.Start:tk.End]) != tk.Text {
				t.Fatalf("bad token %+v in %q", tk, s)
			}
			prev = tk.End
		}
		next := 0
		for _, r := range Sentences(s, toks) {
			if r[0] != next || r[1] <= r[0] {
				t.Fatalf("bad sentence range %v in %q", r, s)
			}
			next = r[1]
		}
		if next != len(toks) {
			t.Fatalf("sentences stop at %d of %d tokens", next, len(toks))
		}
		ns, ne := SnapToWords(rs, a, b)
		if ns < 0 || ne > len(rs) || ns > ne {
			t.Fatalf("SnapToWords(%d,%d) = %d,%d on %q", a, b, ns, ne, s)
		}
	})
}
