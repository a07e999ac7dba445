package formats

import (
	"hash/maphash"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// fastGlossDoc decodes one line of Gloss JSONL as JSONLWriter writes it,
// about five times faster than encoding/json. It accepts only the shape the
// writer makes (the known keys, strings, whole numbers, arrays of objects);
// on anything else it returns false and the caller decodes the line with
// encoding/json, which also explains errors. For every line it accepts, the
// result equals encoding/json's.
//
// p keeps interned strings from line to line; its position is reset.
func fastGlossDoc(b []byte, d *glossInDoc, p *fastJSON) bool {
	p.b, p.i = b, 0
	if !p.objectStart() {
		return false
	}
	for first := true; ; first = false {
		key, more, ok := p.nextKey(first)
		if !ok {
			return false
		}
		if !more {
			break
		}
		switch key {
		case "id":
			ok = p.str(&d.ID)
		case "title":
			ok = p.str(&d.Title)
		case "text":
			var s string
			ok = p.str(&s)
			d.Text = &s
		case "file_name":
			ok = p.str(&d.FileName)
		case "format":
			ok = p.str(&d.Format)
		case "sha256":
			ok = p.str(&d.SHA256)
		case "imported_at":
			ok = p.str(&d.ImportedAt)
		case "offsets":
			ok = p.str(&d.Offsets)
		case "statuses":
			d.Statuses = make([]glossInStatus, 0, 2)
			ok = p.array(func() bool {
				var st glossInStatus
				if !p.object(func(k string) bool {
					switch k {
					case "annotator":
						return p.str(&st.Annotator)
					case "annotator_id":
						return p.str(&st.AnnotatorID)
					case "status":
						return p.str(&st.Status)
					case "updated":
						return p.str(&st.Updated)
					}
					return false
				}) {
					return false
				}
				d.Statuses = append(d.Statuses, st)
				return true
			})
		case "spans":
			d.Spans = make([]glossInSpan, 0, 16)
			ok = p.array(func() bool {
				var sp glossInSpan
				if !p.object(func(k string) bool {
					switch k {
					case "id":
						return p.str(&sp.ID)
					case "start":
						n, ok := p.int()
						sp.Start = p.intPtr(n)
						return ok
					case "end":
						n, ok := p.int()
						sp.End = p.intPtr(n)
						return ok
					case "label":
						return p.str(&sp.Label)
					case "label_id":
						return p.str(&sp.LabelID)
					case "text":
						return p.str(&sp.Text)
					case "annotator":
						return p.str(&sp.Annotator)
					case "annotator_id":
						return p.str(&sp.AnnotatorID)
					case "note":
						return p.str(&sp.Note)
					case "created":
						return p.str(&sp.Created)
					case "updated":
						return p.str(&sp.Updated)
					}
					return false
				}) {
					return false
				}
				d.Spans = append(d.Spans, sp)
				return true
			})
		case "suggestions":
			d.Suggestions = make([]glossInSuggestion, 0, 16)
			ok = p.array(func() bool {
				var sg glossInSuggestion
				if !p.object(func(k string) bool {
					switch k {
					case "id":
						return p.str(&sg.ID)
					case "start":
						n, ok := p.int()
						sg.Start = p.intPtr(n)
						return ok
					case "end":
						n, ok := p.int()
						sg.End = p.intPtr(n)
						return ok
					case "label":
						return p.str(&sg.Label)
					case "label_id":
						return p.str(&sg.LabelID)
					case "text":
						var s string
						ok := p.str(&s)
						sg.Text = &s
						return ok
					case "annotator":
						return p.str(&sg.Annotator)
					case "annotator_id":
						return p.str(&sg.AnnotatorID)
					case "score":
						f, ok := p.float()
						sg.Score = &f
						return ok
					case "source":
						return p.str(&sg.Source)
					case "rule":
						return p.str(&sg.Rule)
					case "model_version":
						return p.str(&sg.ModelVersion)
					case "created":
						return p.str(&sg.Created)
					}
					return false
				}) {
					return false
				}
				d.Suggestions = append(d.Suggestions, sg)
				return true
			})
		default:
			return false
		}
		if !ok {
			return false
		}
	}
	p.ws()
	return p.i == len(p.b)
}

type fastJSON struct {
	b []byte
	i int
	// valid says b is valid UTF-8 (the caller checked): strings need not
	// be checked again.
	valid bool
	// strs interns short repeated strings (labels, names, times).
	strs [512]string
	ints []int // a slab for intPtr
}

// intPtr is a pointer to a copy of n, from a slab rather than one
// allocation each.
func (p *fastJSON) intPtr(n int) *int {
	if len(p.ints) == cap(p.ints) {
		p.ints = make([]int, 0, 512)
	}
	p.ints = append(p.ints, n)
	return &p.ints[len(p.ints)-1]
}

func (p *fastJSON) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *fastJSON) eat(c byte) bool {
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *fastJSON) objectStart() bool { return p.eat('{') }

// nextKey reads `"key":` (after a comma unless first), or the closing
// brace (more = false).
func (p *fastJSON) nextKey(first bool) (key string, more, ok bool) {
	if p.eat('}') {
		return "", false, true
	}
	if !first && !p.eat(',') {
		return "", false, false
	}
	var k string
	if !p.str(&k) || !p.eat(':') {
		return "", false, false
	}
	return k, true, true
}

// object reads an object, handing each key to field, which reads the value.
func (p *fastJSON) object(field func(string) bool) bool {
	if !p.objectStart() {
		return false
	}
	for first := true; ; first = false {
		k, more, ok := p.nextKey(first)
		if !ok {
			return false
		}
		if !more {
			return true
		}
		if !field(k) {
			return false
		}
	}
}

// array reads an array, calling elem for each element.
func (p *fastJSON) array(elem func() bool) bool {
	if !p.eat('[') {
		return false
	}
	if p.eat(']') {
		return true
	}
	for {
		if !elem() {
			return false
		}
		if p.eat(']') {
			return true
		}
		if !p.eat(',') {
			return false
		}
	}
}

func (p *fastJSON) int() (int, bool) {
	p.ws()
	start := p.i
	if p.i < len(p.b) && p.b[p.i] == '-' {
		p.i++
	}
	digits := p.i
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		p.i++
	}
	if p.i == digits || p.i-digits > 15 || (p.b[digits] == '0' && p.i-digits > 1) {
		return 0, false
	}
	if p.i < len(p.b) {
		switch p.b[p.i] {
		case '.', 'e', 'E':
			return 0, false // not a whole number as written: leave it to encoding/json
		}
	}
	n, err := strconv.Atoi(string(p.b[start:p.i]))
	return n, err == nil
}

// float reads a JSON number (the grammar of RFC 8259: -?(0|[1-9][0-9]*)
// (.[0-9]+)?([eE][+-]?[0-9]+)?) as encoding/json reads it into a float64;
// one strconv.ParseFloat refuses (out of range) is left to encoding/json.
func (p *fastJSON) float() (float64, bool) {
	p.ws()
	start := p.i
	digits := func() int {
		from := p.i
		for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
			p.i++
		}
		return p.i - from
	}
	if p.i < len(p.b) && p.b[p.i] == '-' {
		p.i++
	}
	intStart := p.i
	if n := digits(); n == 0 || (n > 1 && p.b[intStart] == '0') {
		return 0, false
	}
	if p.i < len(p.b) && p.b[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return 0, false
		}
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		p.i++
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(string(p.b[start:p.i]), 64)
	return f, err == nil
}

// str reads a JSON string into *dst. Invalid UTF-8 and malformed escapes
// are refused (encoding/json then decides).
func (p *fastJSON) str(dst *string) bool {
	if !p.eat('"') {
		return false
	}
	b, start := p.b, p.i
	i := start
	for i < len(b) && !strByte[b[i]] {
		i++
	}
	if i >= len(b) {
		return false
	}
	switch b[i] {
	case '"':
		raw := b[start:i]
		p.i = i + 1
		if !p.valid && !utf8.Valid(raw) {
			return false
		}
		*dst = p.intern(raw)
		return true
	case '\\':
		p.i = i
		return p.escaped(start, dst)
	}
	return false // a control character
}

// intern is raw as a string, the same string for the same short bytes
// while they come again (labels, names, times), from a small table
// indexed by their hash: a repeat costs a hash and a comparison, a miss one
// allocation.
func (p *fastJSON) intern(raw []byte) string {
	if len(raw) > 32 || len(raw) == 0 { // IDs do not repeat
		return string(raw)
	}
	h := maphash.Bytes(internSeed, raw) % uint64(len(p.strs))
	if s := p.strs[h]; s == string(raw) {
		return s
	}
	s := string(raw)
	p.strs[h] = s
	return s
}

var internSeed = maphash.MakeSeed()

// escaped finishes a string that has a backslash at p.i.
func (p *fastJSON) escaped(start int, dst *string) bool {
	out := make([]byte, 0, p.i-start+16)
	out = append(out, p.b[start:p.i]...)
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			if !utf8.Valid(out) {
				return false
			}
			*dst = string(out)
			return true
		case c < 0x20:
			return false
		case c != '\\':
			out = append(out, c)
			p.i++
			continue
		}
		if p.i+1 >= len(p.b) {
			return false
		}
		e := p.b[p.i+1]
		p.i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return false
			}
			if utf16.IsSurrogate(r) {
				if p.i+1 < len(p.b) && p.b[p.i] == '\\' && p.b[p.i+1] == 'u' {
					p.i += 2
					r2, ok := p.hex4()
					if !ok {
						return false
					}
					r = utf16.DecodeRune(r, r2)
				} else {
					r = utf8.RuneError
				}
				if r == utf8.RuneError {
					return false // lone surrogates: encoding/json's rules
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			return false
		}
	}
	return false
}

func (p *fastJSON) hex4() (rune, bool) {
	if p.i+4 > len(p.b) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(p.b[p.i:p.i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	p.i += 4
	return rune(n), true
}

// The pieces of the other fast readers (import_spans_fast.go,
// import_labelstudio_fast.go): like the above, each either reads what
// encoding/json would read the same way or returns false, and the caller
// then leaves the whole value to encoding/json.

// peek is the next byte after white space, 0 at the end.
func (p *fastJSON) peek() byte {
	if p.i < len(p.b) && p.b[p.i] > ' ' {
		return p.b[p.i]
	}
	p.ws()
	if p.i < len(p.b) {
		return p.b[p.i]
	}
	return 0
}

// skip reads one JSON value of any kind and keeps nothing, checking its
// syntax as encoding/json does (but not its UTF-8, which the callers check
// first). Values nested deeper than maxSkipDepth are left to encoding/json.
func (p *fastJSON) skip() bool {
	i, ok := skipValue(p.b, p.i)
	if ok {
		p.i = i
	}
	return ok
}

const maxSkipDepth = 64

// skipValue is the end of the JSON value that starts at b[i] (after white
// space), a loop over the bytes with the open objects and arrays as bits
// of a word (1 for an object): the validating skip of large values that
// no one reads ("tokens").
func skipValue(b []byte, i int) (int, bool) {
	var stack uint64 // bit k: the container at depth k+1 is an object
	depth := 0
	n := len(b)
value: // a value is next
	for i < n && isJSONSpace(b[i]) {
		i++
	}
	if i >= n {
		return i, false
	}
	switch c := b[i]; c {
	case '"':
		// The plain run here, the rest (escapes) in skipStringAt.
		j := i + 1
		for j < n && !strByte[b[j]] {
			j++
		}
		if j < n && b[j] == '"' {
			i = j + 1
			break
		}
		var ok bool
		if i, ok = skipStringAt(b, i); !ok {
			return i, false
		}
	case '{':
		if depth == maxSkipDepth {
			return i, false
		}
		stack |= 1 << depth
		depth++
		i++
		for i < n && isJSONSpace(b[i]) {
			i++
		}
		if i < n && b[i] == '}' {
			i++
			depth--
			stack &^= 1 << depth
			break
		}
		goto key
	case '[':
		if depth == maxSkipDepth {
			return i, false
		}
		stack &^= 1 << depth
		depth++
		i++
		for i < n && isJSONSpace(b[i]) {
			i++
		}
		if i < n && b[i] == ']' {
			i++
			depth--
			break
		}
		goto value
	case 't':
		if n-i < 4 || string(b[i:i+4]) != "true" {
			return i, false
		}
		i += 4
	case 'f':
		if n-i < 5 || string(b[i:i+5]) != "false" {
			return i, false
		}
		i += 5
	case 'n':
		if n-i < 4 || string(b[i:i+4]) != "null" {
			return i, false
		}
		i += 4
	default:
		if c != '-' && (c < '0' || c > '9') {
			return i, false
		}
		// A small whole number here (a digit, or a non-zero one and
		// digits, and then neither fraction nor exponent), the rest in
		// skipNumberAt.
		if j := i + 1; c != '-' {
			if c != '0' {
				for j < n && b[j] >= '0' && b[j] <= '9' {
					j++
				}
			}
			if j >= n || b[j] != '.' && b[j] != 'e' && b[j] != 'E' && (b[j] < '0' || b[j] > '9') {
				i = j
				break
			}
		}
		var ok bool
		if i, ok = skipNumberAt(b, i); !ok {
			return i, false
		}
	}
	// After a value: the end, or what its container has next.
	for depth > 0 {
		for i < n && isJSONSpace(b[i]) {
			i++
		}
		if i >= n {
			return i, false
		}
		object := stack&(1<<(depth-1)) != 0
		switch c := b[i]; {
		case c == ',':
			i++
			if object {
				goto key
			}
			goto value
		case c == '}' && object, c == ']' && !object:
			i++
			depth--
			stack &^= 1 << depth
		default:
			return i, false
		}
	}
	return i, true
key: // `"key":` is next, then a value
	for i < n && isJSONSpace(b[i]) {
		i++
	}
	if i >= n || b[i] != '"' {
		return i, false
	}
	{
		j := i + 1
		for j < n && !strByte[b[j]] {
			j++
		}
		if j < n && b[j] == '"' {
			i = j + 1
		} else {
			var ok bool
			if i, ok = skipStringAt(b, i); !ok {
				return i, false
			}
		}
	}
	for i < n && isJSONSpace(b[i]) {
		i++
	}
	if i >= n || b[i] != ':' {
		return i, false
	}
	i++
	goto value
}

func (p *fastJSON) literal(lit string) bool {
	if len(p.b)-p.i >= len(lit) && string(p.b[p.i:p.i+len(lit)]) == lit {
		p.i += len(lit)
		return true
	}
	return false
}

// isNull reads a null if one is next.
func (p *fastJSON) isNull() bool { return p.peek() == 'n' && p.literal("null") }

// strByte marks the bytes that end the plain run of a JSON string: the
// quote, the backslash and the control characters.
var strByte = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// skipString reads a string (p.b[p.i] is its quote) without decoding it.
func (p *fastJSON) skipString() bool {
	i, ok := skipStringAt(p.b, p.i)
	if ok {
		p.i = i
	}
	return ok
}

// skipStringAt is the end of the string whose quote is b[i].
func skipStringAt(b []byte, i int) (int, bool) {
	i++
	for i < len(b) {
		c := b[i]
		if !strByte[c] {
			i++
			continue
		}
		switch c {
		case '"':
			return i + 1, true
		case '\\':
			if i+1 >= len(b) {
				return i, false
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(b) || !isHex(b[i+2]) || !isHex(b[i+3]) || !isHex(b[i+4]) || !isHex(b[i+5]) {
					return i, false
				}
				i += 6
			default:
				return i, false
			}
		default: // a control character
			return i, false
		}
	}
	return i, false
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// skipNumberAt is the end of the number that starts at b[i], by the
// grammar of RFC 8259 (as float reads it, without converting it).
func skipNumberAt(b []byte, i int) (int, bool) {
	if i < len(b) && b[i] == '-' {
		i++
	}
	from := i
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	if n := i - from; n == 0 || (n > 1 && b[from] == '0') {
		return i, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		from = i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == from {
			return i, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		from = i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == from {
			return i, false
		}
	}
	return i, true
}

// wholeNumber reads a number that jsonInt reads the same way: written
// without fraction or exponent, within jsonInt's range. Any other number
// is left to encoding/json.
func (p *fastJSON) wholeNumber() (int, bool) {
	n, ok := p.int()
	if !ok || n > 1<<40 || n < -(1<<40) {
		return 0, false
	}
	return n, true
}

// key reads `"key":` (after a comma unless first), or the closing brace
// (more = false), like nextKey but without making a string of the key: it
// is valid until the next call. Keys with escapes are decoded.
func (p *fastJSON) key(first bool) (key []byte, more, ok bool) {
	if p.eat('}') {
		return nil, false, true
	}
	if !first && !p.eat(',') {
		return nil, false, false
	}
	if p.peek() != '"' {
		return nil, false, false
	}
	start := p.i + 1
	if !p.skipString() {
		return nil, false, false
	}
	raw := p.b[start : p.i-1]
	if bytesHasBackslash(raw) {
		var s string
		p.i = start - 1
		if !p.str(&s) {
			return nil, false, false
		}
		raw = []byte(s)
	}
	if !p.eat(':') {
		return nil, false, false
	}
	return raw, true, true
}

func bytesHasBackslash(b []byte) bool {
	for _, c := range b {
		if c == '\\' {
			return true
		}
	}
	return false
}
