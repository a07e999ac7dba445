// Package offsets converts between the three ways text positions are counted
// in Gloss: Unicode code points (the project's convention, like Python str
// indexing), UTF-8 byte offsets (Go strings) and UTF-16 code units
// (JavaScript, Java, many annotation tools).
//
// A Text is built once in O(n) and then answers every conversion in O(1).
// Invalid UTF-8 in the input is treated the way Go's range loop treats it:
// each bad byte counts as one code point (U+FFFD) of one byte and one UTF-16
// unit.
package offsets

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// ErrOutOfRange is wrapped by conversion errors for positions outside the text.
var ErrOutOfRange = errors.New("offset out of range")

// ErrInsideCharacter is wrapped by conversion errors for positions that fall
// inside one code point (a UTF-8 continuation byte or between the two halves
// of a UTF-16 surrogate pair).
var ErrInsideCharacter = errors.New("offset falls inside a character")

// Text is an immutable string with precomputed offset tables.
type Text struct {
	s string
	// bytes[i] is the byte offset of code point i; bytes[n] == len(s).
	bytes []int32
	// utf16[i] is the UTF-16 offset of code point i; utf16[n] is the total.
	utf16 []int32
	// byteToCP[b] is the code point starting at byte b, or -1.
	byteToCP []int32
	// u16ToCP[u] is the code point starting at UTF-16 unit u, or -1.
	u16ToCP []int32
	ascii   bool
}

// New builds the tables for s. Strings longer than 2 GiB are not supported.
func New(s string) *Text {
	t := &Text{s: s}
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		// Every kind of offset is the same: no tables needed.
		t.ascii = true
		return t
	}
	n := utf8.RuneCountInString(s)
	t.bytes = make([]int32, 0, n+1)
	t.utf16 = make([]int32, 0, n+1)
	t.byteToCP = make([]int32, len(s)+1)
	for i := range t.byteToCP {
		t.byteToCP[i] = -1
	}
	u := int32(0)
	for b, r := range s {
		cp := int32(len(t.bytes))
		t.byteToCP[b] = cp
		t.bytes = append(t.bytes, int32(b))
		t.utf16 = append(t.utf16, u)
		if r >= 0x10000 {
			u += 2
		} else {
			u++
		}
	}
	t.byteToCP[len(s)] = int32(len(t.bytes))
	t.bytes = append(t.bytes, int32(len(s)))
	t.utf16 = append(t.utf16, u)
	t.u16ToCP = make([]int32, u+1)
	for i := range t.u16ToCP {
		t.u16ToCP[i] = -1
	}
	for cp, uo := range t.utf16 {
		t.u16ToCP[uo] = int32(cp)
	}
	return t
}

// String returns the text.
func (t *Text) String() string { return t.s }

// Len returns the number of code points.
func (t *Text) Len() int {
	if t.ascii {
		return len(t.s)
	}
	return len(t.bytes) - 1
}

// UTF16Len returns the length of the text in UTF-16 code units.
func (t *Text) UTF16Len() int {
	if t.ascii {
		return len(t.s)
	}
	return int(t.utf16[len(t.utf16)-1])
}

func (t *Text) clamp(cp int) int {
	if cp < 0 {
		return 0
	}
	if n := t.Len(); cp > n {
		return n
	}
	return cp
}

// ByteOffset returns the byte offset of code point cp. cp is clamped to
// [0, Len()], so ByteOffset(Len()) is len(text).
func (t *Text) ByteOffset(cp int) int {
	cp = t.clamp(cp)
	if t.ascii {
		return cp
	}
	return int(t.bytes[cp])
}

// UTF16Offset returns the UTF-16 offset of code point cp (clamped like
// ByteOffset).
func (t *Text) UTF16Offset(cp int) int {
	cp = t.clamp(cp)
	if t.ascii {
		return cp
	}
	return int(t.utf16[cp])
}

// Slice returns the code points [start, end) as a string. Out-of-range
// bounds are clamped; start > end gives "".
func (t *Text) Slice(start, end int) string {
	start, end = t.clamp(start), t.clamp(end)
	if start >= end {
		return ""
	}
	return t.s[t.ByteOffset(start):t.ByteOffset(end)]
}

// CodePointFromByte converts a byte offset (0..len(text) inclusive) into a
// code point offset. It fails when b is out of range or falls inside a
// multi-byte character.
func (t *Text) CodePointFromByte(b int) (int, error) {
	if b < 0 || b > len(t.s) {
		return 0, fmt.Errorf("byte offset %d (text has %d bytes): %w", b, len(t.s), ErrOutOfRange)
	}
	if t.ascii {
		return b, nil
	}
	cp := t.byteToCP[b]
	if cp < 0 {
		return 0, fmt.Errorf("byte offset %d: %w", b, ErrInsideCharacter)
	}
	return int(cp), nil
}

// CodePointFromUTF16 converts a UTF-16 offset (0..UTF16Len() inclusive) into
// a code point offset. It fails when u is out of range or falls between the
// two halves of a surrogate pair.
func (t *Text) CodePointFromUTF16(u int) (int, error) {
	if u < 0 || u > t.UTF16Len() {
		return 0, fmt.Errorf("UTF-16 offset %d (text has %d units): %w", u, t.UTF16Len(), ErrOutOfRange)
	}
	if t.ascii {
		return u, nil
	}
	cp := t.u16ToCP[u]
	if cp < 0 {
		return 0, fmt.Errorf("UTF-16 offset %d is inside a surrogate pair: %w", u, ErrInsideCharacter)
	}
	return int(cp), nil
}
