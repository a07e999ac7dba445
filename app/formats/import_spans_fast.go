package formats

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// fastSpans reads the spaCy/Prodigy and doccano records of the usual
// shapes (an object per line: "text", spans as [start, end, "LABEL"]
// triples or objects with whole-number offsets and string labels, Prodigy's
// answer, annotator and timestamp, "meta", "tokens" and whatever else,
// skipped; no relations, or an empty list) without encoding/json:
// spanRecord's result for the same line,
// several times faster. Anything else it declines (ok false), before any
// side effect, and the line goes to spanRecord, which also explains every
// error.
type fastSpans struct {
	name, format string
	unit         OffsetUnit
	p            fastJSON
	paths        map[string][]string // "$.label[3]" by key and index
	items        []fastSpanItem      // reused from record to record
	u16          u16Cursor
}

// A span item as read: offsets as the file gives them.
type fastSpanItem struct {
	start, end int
	label      string
	labels     []string // the "labels" of an object without "label"
	text       string
	hasText    bool
	id         string
}

// value is where a key's value is in the record: absent, null, or the
// bytes [from, to) of something else.
type rawValue struct {
	from, to int
	present  bool
}

func (v *rawValue) set(from, to int) bool {
	if v.present {
		return false // a repeated key: encoding/json takes the last; leave it to it
	}
	*v = rawValue{from: from, to: to, present: true}
	return true
}

func (f *fastSpans) path(key string, i int) string {
	if f.paths == nil {
		f.paths = map[string][]string{}
	}
	ps := f.paths[key]
	for len(ps) <= i {
		ps = append(ps, fmt.Sprintf("$.%s[%d]", key, len(ps)))
	}
	f.paths[key] = ps
	return ps[i]
}

// sub points the parser at v's bytes.
func (f *fastSpans) sub(raw []byte, v rawValue) *fastJSON {
	f.p.b, f.p.i = raw[v.from:v.to], 0
	return &f.p
}

// record is spanRecord for raw (one JSON value, valid UTF-8): the record,
// whether to keep it, and ok false when it declines. Side effects (counts
// in rep) happen only when ok.
func (f *fastSpans) record(raw []byte, line int, rep *Report) (rec Doc, keep, ok bool) {
	p := &f.p
	p.b, p.i = raw, 0
	if !p.objectStart() {
		return rec, false, false
	}
	var annID, sessID, timestamp, answer, text, data, meta, id, relations rawValue
	var spanKeys [4]rawValue
	keys := []string{"spans", "entities"}
	if f.format == "doccano" {
		keys = []string{"label", "labels", "entities", "annotations"}
	}
	for first := true; ; first = false {
		k, more, ok := p.key(first)
		if !ok {
			return rec, false, false
		}
		if !more {
			break
		}
		var dst *rawValue
		switch string(k) {
		case "_annotator_id":
			dst = &annID
		case "_session_id":
			dst = &sessID
		case "_timestamp":
			dst = &timestamp
		case "answer":
			dst = &answer
		case "text":
			dst = &text
		case "data":
			dst = &data
		case "meta":
			dst = &meta
		case "id":
			dst = &id
		case "relations":
			dst = &relations
		default:
			for i, key := range keys {
				if string(k) == key {
					dst = &spanKeys[i]
				}
			}
		}
		p.ws()
		from := p.i
		if !p.skip() {
			return rec, false, false
		}
		if dst != nil && !dst.set(from, p.i) {
			return rec, false, false
		}
	}
	if p.ws(); p.i != len(p.b) {
		return rec, false, false
	}

	rec = Doc{Name: f.name, Line: line, Format: f.format}
	// Prodigy's answer and annotator.
	annotator := ""
	nobody := false
	for _, v := range []rawValue{annID, sessID} {
		if v.present {
			if !f.sub(raw, v).str(&annotator) {
				return rec, false, false // a number, or a string that needs encoding/json
			}
			nobody = strings.TrimSpace(annotator) == ""
			break
		}
	}
	var created time.Time
	if timestamp.present {
		ts, ok := f.sub(raw, timestamp).wholeNumber()
		if !ok {
			return rec, false, false
		}
		created = time.Unix(int64(ts), 0).UTC()
	}
	if answer.present {
		var ans string
		if !f.sub(raw, answer).str(&ans) {
			return rec, false, false
		}
		switch ans {
		case "accept":
			if !nobody {
				rec.Statuses = []Status{{Annotator: annotator, Status: "done", Updated: created}}
			}
			if annotator != "" {
				rec.Annotators = []string{annotator}
			}
		case "reject", "ignore":
			rep.skip("prodigy "+ans+" answer", 1)
			return rec, false, true
		default:
			return rec, false, false
		}
	}

	tv := text
	if !tv.present && f.format == "doccano" {
		tv = data
	}
	var s string
	if !tv.present || !f.sub(raw, tv).str(&s) {
		return rec, false, false
	}
	pl := newSpanPlacer(s)
	rec.Text = pl.text()
	titled := false
	if meta.present {
		mp := f.sub(raw, meta)
		if mp.peek() == '{' {
			var title, mid rawValue
			mp.objectStart()
			for first := true; ; first = false {
				k, more, ok := mp.key(first)
				if !ok {
					return rec, false, false
				}
				if !more {
					break
				}
				var dst *rawValue
				switch string(k) {
				case "title":
					dst = &title
				case "id":
					dst = &mid
				}
				mp.ws()
				from := mp.i
				if !mp.skip() {
					return rec, false, false
				}
				if dst != nil && !dst.set(meta.from+from, meta.from+mp.i) {
					return rec, false, false
				}
			}
			if title.present {
				var t string
				if tp := f.sub(raw, title); tp.peek() == '"' {
					if !tp.str(&t) {
						return rec, false, false
					}
					if strings.TrimSpace(t) != "" {
						rec.Title, titled = truncateTitle(t), true
					}
				}
			}
			if f.format == "spacy" && mid.present {
				if rec.ID, ok = f.uuidValue(raw, mid); !ok {
					return rec, false, false
				}
			}
		}
	}
	if !titled {
		rec.Title = recordTitle(rec.Text)
	}
	if f.format == "doccano" && id.present {
		if rec.ID, ok = f.uuidValue(raw, id); !ok {
			return rec, false, false
		}
	}
	if relations.present {
		// Relations are spanRecord's: only none is read here.
		rp := f.sub(raw, relations)
		if !rp.isNull() && !(rp.eat('[') && rp.eat(']')) {
			return rec, false, false
		}
	}

	for ki, key := range keys {
		v := spanKeys[ki]
		if !v.present {
			continue
		}
		sp := f.sub(raw, v)
		if sp.isNull() {
			break // encoding/json reads null as no spans
		}
		items, ok := f.readItems(sp)
		if !ok {
			return rec, false, false
		}
		n := 0
		for i := range items {
			n += max(1, len(items[i].labels))
		}
		if n > 0 {
			rec.Spans = make([]Span, 0, n)
		}
		for i := range items {
			it := &items[i]
			s, e, ok := f.place(pl, it.start, it.end)
			if !ok {
				return rec, false, false
			}
			path := f.path(key, i)
			id := it.id
			if it.labels == nil {
				rec.Spans = append(rec.Spans, Span{ID: id, Start: s, End: e, Label: it.label, Text: it.text, Line: line, Path: path,
					Annotator: annotator, Created: created})
				continue
			}
			for _, l := range it.labels {
				rec.Spans = append(rec.Spans, Span{ID: id, Start: s, End: e, Label: l, Text: it.text, Line: line, Path: path,
					Annotator: annotator, Created: created})
				id = ""
			}
		}
		break // one key holds the spans
	}
	return rec, true, true
}

// uuidValue is jsonUUID of the value v: a string's UUID, else "".
func (f *fastSpans) uuidValue(raw []byte, v rawValue) (string, bool) {
	p := f.sub(raw, v)
	if p.peek() != '"' {
		return "", true // a number, null, ...: no ID
	}
	var s string
	if !p.str(&s) {
		return "", false
	}
	return uuidOrEmpty(s), true
}

// readItems reads an array of span items.
func (f *fastSpans) readItems(p *fastJSON) ([]fastSpanItem, bool) {
	items := f.items[:0]
	defer func() { f.items = items[:0] }()
	if !p.eat('[') {
		return nil, false
	}
	if p.eat(']') {
		return items, true
	}
	for {
		var it fastSpanItem
		switch p.peek() {
		case '[':
			p.i++
			var ok bool
			if it.start, ok = p.wholeNumber(); !ok || !p.eat(',') {
				return nil, false
			}
			if it.end, ok = p.wholeNumber(); !ok || !p.eat(',') {
				return nil, false
			}
			if p.peek() != '"' || !p.str(&it.label) || !p.eat(']') {
				return nil, false
			}
		case '{':
			if !f.readSpanObject(p, &it) {
				return nil, false
			}
		default:
			return nil, false
		}
		items = append(items, it)
		if p.eat(']') {
			return items, true
		}
		if !p.eat(',') {
			return nil, false
		}
	}
}

// readSpanObject reads a span object as spanItem does: start (else
// start_offset) and end (else end_offset) whole numbers, "label" a string
// or else "labels" strings, "text" a string, "id" a UUID or anything else.
func (f *fastSpans) readSpanObject(p *fastJSON, it *fastSpanItem) bool {
	p.objectStart()
	var start, startOff, end, endOff, label, labels, text, id bool
	var vStart, vStartOff, vEnd, vEndOff int
	var badLabels bool
	var ls []string
	seen := func(b *bool) bool {
		if *b {
			return false
		}
		*b = true
		return true
	}
	for first := true; ; first = false {
		k, more, ok := p.key(first)
		if !ok {
			return false
		}
		if !more {
			break
		}
		switch string(k) {
		case "start":
			if !seen(&start) {
				return false
			}
			if vStart, ok = p.wholeNumber(); !ok {
				return false
			}
		case "start_offset":
			if !seen(&startOff) {
				return false
			}
			if vStartOff, ok = p.wholeNumber(); !ok {
				return false
			}
		case "end":
			if !seen(&end) {
				return false
			}
			if vEnd, ok = p.wholeNumber(); !ok {
				return false
			}
		case "end_offset":
			if !seen(&endOff) {
				return false
			}
			if vEndOff, ok = p.wholeNumber(); !ok {
				return false
			}
		case "label":
			if !seen(&label) || p.peek() != '"' || !p.str(&it.label) {
				return false
			}
		case "labels":
			if !seen(&labels) {
				return false
			}
			if p.peek() != '[' {
				badLabels = true
				if !p.skip() {
					return false
				}
				break
			}
			ok := p.array(func() bool {
				var l string
				if p.peek() != '"' || !p.str(&l) {
					return false
				}
				ls = append(ls, l)
				return true
			})
			if !ok {
				return false
			}
		case "text":
			if !seen(&text) || p.peek() != '"' || !p.str(&it.text) {
				return false
			}
			it.text, it.hasText = normText(it.text), true
		case "id":
			if !seen(&id) {
				return false
			}
			if p.peek() == '"' {
				var s string
				if !p.str(&s) {
					return false
				}
				it.id = uuidOrEmpty(s)
			} else if !p.skip() {
				return false
			}
		default:
			if !p.skip() {
				return false
			}
		}
	}
	switch {
	case start:
		it.start = vStart
	case startOff:
		it.start = vStartOff
	default:
		return false
	}
	switch {
	case end:
		it.end = vEnd
	case endOff:
		it.end = vEndOff
	default:
		return false
	}
	if !label {
		if !labels || badLabels || len(ls) == 0 {
			return false
		}
		it.labels = ls
	}
	return true
}

// place is spanPlacer.place for the fast path: the same offsets, without
// the offset tables when the text has no CR. ok is false where place would
// fail (an offset inside a surrogate pair).
func (f *fastSpans) place(pl *spanPlacer, start, end int) (int, int, bool) {
	if pl.le.text != pl.le.raw || f.unit != UnitUTF16 {
		if pl.le.text == pl.le.raw {
			return start, end, true
		}
		s, e, err := pl.place(start, end, f.unit)
		return s, e, err == nil
	}
	c := &f.u16
	c.reset(pl.le.raw)
	s, ok := c.codePoint(start)
	if !ok {
		return 0, 0, false
	}
	e, ok := c.codePoint(end)
	return s, e, ok
}

// u16Cursor converts UTF-16 offsets of a text to code points, as
// utf16ToCP does, walking forward from the last offset asked about
// (offsets mostly come in order) instead of building offset tables.
type u16Cursor struct {
	s        string
	n, n16   int // code points and UTF-16 units of s; n < 0 until counted
	i, cp, u int // the cursor: byte, code point and UTF-16 offsets
}

func (c *u16Cursor) reset(s string) {
	if c.s == s && len(s) > 0 && c.n >= 0 {
		return
	}
	*c = u16Cursor{s: s, n: -1}
}

// codePoint is the code point at UTF-16 offset u; an offset out of range
// is moved by the difference of the lengths (as utf16ToCP leaves it, for
// the store to refuse); ok is false inside a surrogate pair.
func (c *u16Cursor) codePoint(u int) (int, bool) {
	if c.n < 0 {
		c.n, c.n16 = 0, 0
		for _, r := range c.s {
			c.n++
			c.n16++
			if r >= 0x10000 {
				c.n16++
			}
		}
	}
	if c.n == c.n16 {
		return u, true
	}
	if u < 0 {
		return u, true
	}
	if u > c.n16 {
		return u - c.n16 + c.n, true
	}
	if u < c.u {
		c.i, c.cp, c.u = 0, 0, 0
	}
	for c.u < u {
		r, w := utf8.DecodeRuneInString(c.s[c.i:])
		step := 1
		if r >= 0x10000 {
			step = 2
		}
		if c.u+step > u {
			return 0, false // inside a surrogate pair
		}
		c.i += w
		c.cp++
		c.u += step
	}
	return c.cp, true
}
