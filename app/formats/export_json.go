package formats

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// The exporters build their JSON by appending to a byte slice: several
// times faster than encoding/json over structs, and byte for byte what
// encoding/json writes with SetEscapeHTML(false) (TestAppendJSONString
// holds them together).

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string literal.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		i = plainWords(s, i)
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// plainWords is where the run of 8-byte words of s from i that a JSON
// string keeps as they are (ASCII, no control character, quote or
// backslash) ends: each word tested at once, a byte each in its high bit.
func plainWords(s string, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(s); i += 8 {
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		control := (w - 0x20*ones) & ^w & highs // a byte below 0x20
		q := w ^ '"'*ones                       // a byte 0 where w has a quote
		bs := w ^ '\\'*ones                     // and where it has a backslash
		if (w|control|(q-ones)&^q|(bs-ones)&^bs)&highs != 0 {
			return i
		}
	}
	return i
}

// appendKey appends "key": (with a leading comma unless first).
func appendKey(b []byte, key string, first bool) []byte {
	if !first {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, key...)
	return append(b, '"', ':')
}

func appendStringField(b []byte, key, v string, first bool) []byte {
	return appendJSONString(appendKey(b, key, first), v)
}

func appendIntField(b []byte, key string, v int, first bool) []byte {
	return strconv.AppendInt(appendKey(b, key, first), int64(v), 10)
}

// appendTimeField writes t in RFC 3339 with nanoseconds, UTC.
func appendTimeField(b []byte, key string, t time.Time, first bool) []byte {
	return appendTime(appendKey(b, key, first), t)
}

// appendTime appends t in RFC 3339 with nanoseconds, UTC, as a JSON string.
func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}
