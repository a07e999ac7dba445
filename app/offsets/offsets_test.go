package offsets

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

var samples = []string{
	"",
	"plain ascii",
	"“Quoted” — and ‘single’",
	"Thumbs 👍🏽 up",
	"family 👩‍👩‍👧 here",
	"中文 text 日本語",
	"line one\r\nline two\r\n",
	"🌍",
	"Ελληνικά and العربية and हिन्दी",
}

func TestTable(t *testing.T) {
	s := "a“👍🏽”b"
	// code points: a “ 👍 🏽 ” b
	tx := New(s)
	if tx.Len() != 6 {
		t.Fatalf("Len = %d, want 6", tx.Len())
	}
	wantBytes := []int{0, 1, 4, 8, 12, 15, 16}
	wantU16 := []int{0, 1, 2, 4, 6, 7, 8}
	for cp := 0; cp <= 6; cp++ {
		if got := tx.ByteOffset(cp); got != wantBytes[cp] {
			t.Errorf("ByteOffset(%d) = %d, want %d", cp, got, wantBytes[cp])
		}
		if got := tx.UTF16Offset(cp); got != wantU16[cp] {
			t.Errorf("UTF16Offset(%d) = %d, want %d", cp, got, wantU16[cp])
		}
	}
	if got := tx.Slice(2, 4); got != "👍🏽" {
		t.Errorf("Slice(2,4) = %q", got)
	}
	if got := tx.Slice(1, 5); got != "“👍🏽”" {
		t.Errorf("Slice(1,5) = %q", got)
	}
	if got := tx.Slice(-3, 99); got != s {
		t.Errorf("clamped slice = %q", got)
	}
	if got := tx.Slice(4, 2); got != "" {
		t.Errorf("reversed slice = %q", got)
	}

	errCases := []struct {
		name string
		fn   func() (int, error)
		want error
	}{
		{"byte inside “", func() (int, error) { return tx.CodePointFromByte(2) }, ErrInsideCharacter},
		{"byte inside 👍", func() (int, error) { return tx.CodePointFromByte(5) }, ErrInsideCharacter},
		{"byte negative", func() (int, error) { return tx.CodePointFromByte(-1) }, ErrOutOfRange},
		{"byte past end", func() (int, error) { return tx.CodePointFromByte(17) }, ErrOutOfRange},
		{"utf16 inside 👍", func() (int, error) { return tx.CodePointFromUTF16(3) }, ErrInsideCharacter},
		{"utf16 inside 🏽", func() (int, error) { return tx.CodePointFromUTF16(5) }, ErrInsideCharacter},
		{"utf16 past end", func() (int, error) { return tx.CodePointFromUTF16(9) }, ErrOutOfRange},
		{"utf16 negative", func() (int, error) { return tx.CodePointFromUTF16(-1) }, ErrOutOfRange},
	}
	for _, c := range errCases {
		if _, err := c.fn(); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
	okCases := []struct {
		name string
		fn   func() (int, error)
		want int
	}{
		{"byte 0", func() (int, error) { return tx.CodePointFromByte(0) }, 0},
		{"byte 4", func() (int, error) { return tx.CodePointFromByte(4) }, 2},
		{"byte 8", func() (int, error) { return tx.CodePointFromByte(8) }, 3},
		{"byte end", func() (int, error) { return tx.CodePointFromByte(16) }, 6},
		{"utf16 4", func() (int, error) { return tx.CodePointFromUTF16(4) }, 3},
		{"utf16 6", func() (int, error) { return tx.CodePointFromUTF16(6) }, 4},
		{"utf16 end", func() (int, error) { return tx.CodePointFromUTF16(8) }, 6},
	}
	for _, c := range okCases {
		got, err := c.fn()
		if err != nil || got != c.want {
			t.Errorf("%s = %d, %v; want %d", c.name, got, err, c.want)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, s := range samples {
		tx := New(s)
		runes := []rune(s)
		if tx.Len() != len(runes) {
			t.Fatalf("%q: Len = %d, want %d", s, tx.Len(), len(runes))
		}
		if tx.UTF16Len() != len(utf16.Encode(runes)) {
			t.Fatalf("%q: UTF16Len = %d", s, tx.UTF16Len())
		}
		for cp := 0; cp <= len(runes); cp++ {
			b := tx.ByteOffset(cp)
			if b != len(string(runes[:cp])) {
				t.Errorf("%q: ByteOffset(%d) = %d", s, cp, b)
			}
			if back, err := tx.CodePointFromByte(b); err != nil || back != cp {
				t.Errorf("%q: CodePointFromByte(%d) = %d, %v; want %d", s, b, back, err, cp)
			}
			u := tx.UTF16Offset(cp)
			if u != len(utf16.Encode(runes[:cp])) {
				t.Errorf("%q: UTF16Offset(%d) = %d", s, cp, u)
			}
			if back, err := tx.CodePointFromUTF16(u); err != nil || back != cp {
				t.Errorf("%q: CodePointFromUTF16(%d) = %d, %v; want %d", s, u, back, err, cp)
			}
			for end := cp; end <= len(runes); end++ {
				if got := tx.Slice(cp, end); got != string(runes[cp:end]) {
					t.Errorf("%q: Slice(%d,%d) = %q", s, cp, end, got)
				}
			}
		}
		// Every byte that is not a character start must be refused.
		for b := 0; b < len(s); b++ {
			_, err := tx.CodePointFromByte(b)
			if utf8.RuneStart(s[b]) != (err == nil) {
				t.Errorf("%q: CodePointFromByte(%d) err = %v", s, b, err)
			}
		}
	}
}

func TestInvalidUTF8(t *testing.T) {
	s := "a\xffb"
	tx := New(s)
	if tx.Len() != 3 || tx.Slice(2, 3) != "b" || tx.ByteOffset(2) != 2 {
		t.Fatalf("invalid UTF-8 not counted byte-wise: len %d", tx.Len())
	}
}

func BenchmarkNew(b *testing.B) {
	s := strings.Repeat("“Quoted” — 👍🏽 text 中文. ", 40000)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		New(s)
	}
}
