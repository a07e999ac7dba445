package offsets

import (
	"errors"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// FuzzOffsets checks every conversion of a Text against a model built with
// Go's range loop over the string: code point i starts at the i-th byte
// index the loop gives and takes one UTF-16 unit, two above U+FFFF. For
// valid UTF-8 that is the Unicode definition (and utf16.Encode agrees); for
// invalid UTF-8 it is the documented behaviour: each bad byte is one code
// point (U+FFFD) of one byte and one UTF-16 unit, and Slice returns the
// original bytes.
func FuzzOffsets(f *testing.F) {
	for _, s := range samples {
		f.Add(s, 1, 3)
	}
	f.Add("a“👍🏽”b\r\n", -2, 99)
	f.Add("curly ‘quotes’ — “dashes”\r\nCRLF", 7, 5)
	f.Add("bad \xff byte \xe2\x80 cut \xf0\x9f\x91", 2, 12)
	f.Add("\xed\xa0\x80 surrogate in UTF-8", 0, 1)
	f.Fuzz(func(t *testing.T, s string, a, b int) {
		tx := New(s)
		if tx.String() != s {
			t.Fatalf("String() = %q", tx.String())
		}
		var byteAt, u16At []int // model: offsets of every code point, then the ends
		u := 0
		for i, r := range s {
			byteAt = append(byteAt, i)
			u16At = append(u16At, u)
			if r >= 0x10000 {
				u += 2
			} else {
				u++
			}
		}
		byteAt = append(byteAt, len(s))
		u16At = append(u16At, u)
		n := len(byteAt) - 1
		if tx.Len() != n || n != utf8.RuneCountInString(s) {
			t.Fatalf("Len() = %d, want %d", tx.Len(), n)
		}
		if tx.UTF16Len() != u {
			t.Fatalf("UTF16Len() = %d, want %d", tx.UTF16Len(), u)
		}
		if utf8.ValidString(s) && u != len(utf16.Encode([]rune(s))) {
			t.Fatalf("UTF-16 length %d, utf16.Encode gives %d", u, len(utf16.Encode([]rune(s))))
		}
		for cp := 0; cp <= n; cp++ {
			if got := tx.ByteOffset(cp); got != byteAt[cp] {
				t.Fatalf("ByteOffset(%d) = %d, want %d", cp, got, byteAt[cp])
			}
			if got := tx.UTF16Offset(cp); got != u16At[cp] {
				t.Fatalf("UTF16Offset(%d) = %d, want %d", cp, got, u16At[cp])
			}
			if got, err := tx.CodePointFromByte(byteAt[cp]); err != nil || got != cp {
				t.Fatalf("CodePointFromByte(%d) = %d, %v, want %d", byteAt[cp], got, err, cp)
			}
			if got, err := tx.CodePointFromUTF16(u16At[cp]); err != nil || got != cp {
				t.Fatalf("CodePointFromUTF16(%d) = %d, %v, want %d", u16At[cp], got, err, cp)
			}
		}
		// Offsets between two code points' starts fall inside a character.
		for cp := 0; cp < n; cp++ {
			for bo := byteAt[cp] + 1; bo < byteAt[cp+1]; bo++ {
				if _, err := tx.CodePointFromByte(bo); !errors.Is(err, ErrInsideCharacter) {
					t.Fatalf("CodePointFromByte(%d) inside code point %d: err %v", bo, cp, err)
				}
			}
			for uo := u16At[cp] + 1; uo < u16At[cp+1]; uo++ {
				if _, err := tx.CodePointFromUTF16(uo); !errors.Is(err, ErrInsideCharacter) {
					t.Fatalf("CodePointFromUTF16(%d) inside code point %d: err %v", uo, cp, err)
				}
			}
		}
		for _, bad := range []int{-1, len(s) + 1, a} {
			if bad >= 0 && bad <= len(s) {
				continue
			}
			if _, err := tx.CodePointFromByte(bad); !errors.Is(err, ErrOutOfRange) {
				t.Fatalf("CodePointFromByte(%d): err %v, want out of range", bad, err)
			}
		}
		for _, bad := range []int{-1, u + 1, b} {
			if bad >= 0 && bad <= u {
				continue
			}
			if _, err := tx.CodePointFromUTF16(bad); !errors.Is(err, ErrOutOfRange) {
				t.Fatalf("CodePointFromUTF16(%d): err %v, want out of range", bad, err)
			}
		}
		// Clamping and slicing.
		clamp := func(x int) int { return max(0, min(x, n)) }
		if got := tx.ByteOffset(a); got != byteAt[clamp(a)] {
			t.Fatalf("ByteOffset(%d) = %d, want %d (clamped)", a, got, byteAt[clamp(a)])
		}
		if got := tx.UTF16Offset(b); got != u16At[clamp(b)] {
			t.Fatalf("UTF16Offset(%d) = %d, want %d (clamped)", b, got, u16At[clamp(b)])
		}
		want := ""
		if ca, cb := clamp(a), clamp(b); ca < cb {
			want = s[byteAt[ca]:byteAt[cb]]
		}
		if got := tx.Slice(a, b); got != want {
			t.Fatalf("Slice(%d, %d) = %q, want %q", a, b, got, want)
		}
		if got := tx.Slice(0, n); got != s {
			t.Fatalf("Slice(0, Len()) = %q, want the text", got)
		}
		if utf8.ValidString(s) {
			rs := []rune(s)
			if ca, cb := clamp(a), clamp(b); ca < cb && string(rs[ca:cb]) != want {
				t.Fatalf("Slice(%d, %d) = %q, runes give %q", a, b, want, string(rs[ca:cb]))
			}
		}
	})
}
