package formats

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// fastLS reads the Label Studio tasks of the usual shape (data.text, meta,
// annotations or completions whose results have whole-number offsets,
// string labels and a value.text that matches them, and no relations or
// attributes) without encoding/json:
// lsTask's record for the same task, several times faster. Anything else
// it declines (ok false), before any side effect, and the task goes to
// lsTask, which also explains every error. Predictions, when a task has
// some, are decoded by encoding/json and read by lsPredictions as lsTask
// reads them.
type fastLS struct {
	name  string
	opts  ReadOptions
	p     fastJSON
	anns  []fastLSAnn
	res   []fastLSResult
	ids   []string // result IDs taken in the task
	times [4]struct {
		s string
		t time.Time
	}
	nextTime int
	cur      cpCursor
	path     []byte
}

type fastLSAnn struct {
	annotator        string
	created, updated string
	cancelled        bool
	resFrom, resTo   int    // its results in fastLS.res
	key              string // "annotations" or "completions"
	index            int    // in that list
}

type fastLSResult struct {
	id         string // a UUID, or ""
	typ        string
	start, end int
	labels     []string
	text       string
	hasText    bool
}

// lsFields are the keys of each object lsTask decodes into a struct:
// encoding/json matches keys to them ignoring case, so a key that is none
// of them exactly but one of them ignoring case is left to it.
var (
	lsTaskFields  = []string{"data", "meta", "text", "annotations", "completions", "predictions"}
	lsAnnFields   = []string{"completed_by", "created_at", "updated_at", "was_cancelled", "result"}
	lsResFields   = []string{"id", "type", "value", "score"}
	lsValueFields = []string{"start", "end", "text", "labels", "score"}
)

// otherField reports whether an unknown key k is safe to skip: ASCII and no
// field's name ignoring case.
func otherField(k []byte, fields []string) bool {
	for _, c := range k {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	for _, f := range fields {
		if len(f) == len(k) && strings.EqualFold(f, string(k)) {
			return false
		}
	}
	return true
}

// sub points the parser at raw[v.from:v.to].
func (f *fastLS) sub(raw []byte, v rawValue) *fastJSON {
	f.p.b, f.p.i = raw[v.from:v.to], 0
	return &f.p
}

// object reads an object, calling field with each key (valid during the
// call) and the offset of its value in raw; field reads the value.
func (f *fastLS) object(p *fastJSON, field func(k []byte) bool) bool {
	if !p.objectStart() {
		return false
	}
	for first := true; ; first = false {
		k, more, ok := p.key(first)
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

// task is lsTask for raw (one task, valid UTF-8) at path: the record, and
// ok false when it declines. Side effects (counts in rep) happen only when
// ok.
func (f *fastLS) task(raw []byte, line int, path string, rep *Report) (rec Doc, ok bool) {
	p := &f.p
	p.b, p.i = raw, 0
	f.anns, f.res = f.anns[:0], f.res[:0]
	// One pass: each value read where it is (none depends on another
	// until the end), but predictions, kept for encoding/json.
	var seen [6]bool // lsTaskFields: a repeated one is encoding/json's business
	var preds rawValue
	var dataText, flatText, metaID string
	dataNull, dataHasText, hasFlat := false, false, false
	field := func(k []byte) bool {
		fi := -1
		for i, name := range lsTaskFields {
			if string(k) == name {
				fi = i
			}
		}
		if fi < 0 {
			return otherField(k, lsTaskFields) && p.skip()
		}
		if seen[fi] {
			return false
		}
		seen[fi] = true
		switch fi {
		case 0: // data: an object with a string "text", or null
			if p.isNull() {
				dataNull = true
				return true
			}
			if p.peek() != '{' {
				return false
			}
			return f.object(p, func(k []byte) bool {
				if string(k) != "text" {
					return p.skip()
				}
				if dataHasText || p.peek() != '"' {
					return false
				}
				dataHasText = true
				return p.str(&dataText)
			})
		case 1: // meta: its "id"
			if p.peek() != '{' {
				return p.skip() // not an object: no ID
			}
			idSeen := false
			return f.object(p, func(k []byte) bool {
				if string(k) != "id" {
					return p.skip()
				}
				if idSeen {
					return false
				}
				idSeen = true
				if p.peek() != '"' {
					return p.skip() // not a string: no ID
				}
				var s string
				if !p.str(&s) {
					return false
				}
				metaID = uuidOrEmpty(s)
				return true
			})
		case 2: // a flat "text"
			hasFlat = true
			return p.peek() == '"' && p.str(&flatText)
		case 3, 4: // annotations, completions
			return f.annotations(p, lsTaskFields[fi])
		case 5: // predictions
			p.ws()
			from := p.i
			if !p.skip() {
				return false
			}
			preds = rawValue{from: from, to: p.i, present: true}
		}
		return true
	}
	if !f.object(p, field) {
		return rec, false
	}
	if p.ws(); p.i != len(p.b) {
		return rec, false
	}

	// The text: data.text, else a flat "text".
	var s string
	switch {
	case seen[0] && !dataNull:
		if !dataHasText {
			return rec, false
		}
		s = dataText
	case hasFlat:
		s = flatText
	default:
		return rec, false
	}
	pl := newSpanPlacer(s)
	rec = Doc{Name: f.name, Line: line, Path: path, Text: pl.text(), Title: recordTitle(pl.text()), Format: "labelstudio"}
	rec.ID = metaID
	// lsTask's choice: annotations, else completions.
	use := "annotations"
	nAnns, nComps := 0, 0
	for i := range f.anns {
		if f.anns[i].key == "annotations" {
			nAnns++
		} else {
			nComps++
		}
	}
	if nAnns == 0 && nComps > 0 {
		use = "completions"
	}

	// Results, placed; the counts they make wait for the end.
	var cancelled int
	var skipped []string
	corrected := 0
	f.ids = f.ids[:0]
	for ai := range f.anns {
		a := &f.anns[ai]
		if a.key != use {
			continue
		}
		if a.cancelled {
			cancelled++
			continue
		}
		created := f.time(a.created)
		updated := f.time(a.updated)
		if updated.IsZero() {
			updated = created
		}
		if a.annotator != "" {
			rec.Annotators = append(rec.Annotators, a.annotator)
		}
		rec.Statuses = append(rec.Statuses, Status{Annotator: a.annotator, Status: "done", Updated: updated})
		for ri := a.resFrom; ri < a.resTo; ri++ {
			res := &f.res[ri]
			if res.typ == "relation" || lsAttrTypes[res.typ] {
				return rec, false // relations and attributes are lsTask's
			}
			if res.typ != "labels" {
				kind := res.typ
				if kind == "" {
					kind = "untyped"
				}
				skipped = append(skipped, "labelstudio "+kind+" result")
				continue
			}
			s, e, fixed, ok := f.place(pl, res)
			if !ok {
				return rec, false
			}
			if fixed {
				corrected++
			}
			id := f.once(res.id)
			vpath := f.valuePath(path, a.key, a.index, ri-a.resFrom)
			if rec.Spans == nil {
				rec.Spans = make([]Span, 0, 2*(a.resTo-ri))
			}
			for _, l := range res.labels {
				rec.Spans = append(rec.Spans, Span{ID: id, Start: s, End: e, Label: l, Annotator: a.annotator,
					Created: created, Updated: updated, Line: line, Path: vpath})
				id = ""
			}
		}
	}
	var sugRep Report
	if preds.present {
		pp := f.sub(raw, preds)
		if !pp.isNull() {
			if pp.peek() != '[' {
				return rec, false
			}
			var list []lsPrediction
			if err := json.Unmarshal(raw[preds.from:preds.to], &list); err != nil {
				return rec, false
			}
			if len(list) > 0 {
				sugs, err := lsPredictions(f.name, line, path, list, pl, f.opts, &sugRep)
				if err != nil {
					return rec, false
				}
				rec.Suggestions = sugs
			}
		}
	}
	rep.skip("labelstudio cancelled annotation", cancelled)
	for _, k := range skipped {
		rep.skip(k, 1)
	}
	if corrected > 0 {
		rep.correct("labelstudio inclusive end", corrected)
	}
	for k, n := range sugRep.Skipped {
		rep.skip(k, n)
	}
	for k, n := range sugRep.Corrected {
		rep.correct(k, n)
	}
	return rec, true
}

// annotations reads an array of annotation objects into f.anns (their
// results into f.res).
func (f *fastLS) annotations(p *fastJSON, key string) bool {
	if p.isNull() {
		return true
	}
	index := 0
	return p.array(func() bool {
		if p.peek() != '{' {
			return false // null (a zero annotation) or worse: encoding/json's business
		}
		a := fastLSAnn{key: key, index: index, resFrom: len(f.res)}
		index++
		var seen [5]bool
		ok := f.object(p, func(k []byte) bool {
			fi := -1
			for i, name := range lsAnnFields {
				if string(k) == name {
					fi = i
				}
			}
			if fi < 0 {
				return otherField(k, lsAnnFields) && p.skip()
			}
			if seen[fi] {
				return false
			}
			seen[fi] = true
			switch fi {
			case 0: // completed_by
				switch c := p.peek(); {
				case c == '"':
					var s string
					if !p.str(&s) {
						return false
					}
					a.annotator = strings.TrimSpace(s)
				case c == 'n':
					return p.isNull()
				case c == '-' || '0' <= c && c <= '9':
					n, ok := p.wholeNumber()
					if !ok {
						return false
					}
					a.annotator = "Label Studio user " + strconv.Itoa(n)
				default:
					return false // a user object: lsAnnotator's business
				}
			case 1, 2: // created_at, updated_at
				dst := &a.created
				if fi == 2 {
					dst = &a.updated
				}
				if p.isNull() {
					return true
				}
				return p.peek() == '"' && p.str(dst)
			case 3: // was_cancelled
				switch p.peek() {
				case 't':
					a.cancelled = true
					return p.literal("true")
				case 'f':
					return p.literal("false")
				}
				return p.isNull()
			case 4: // result
				if p.isNull() {
					return true
				}
				return p.array(func() bool { return f.result(p) })
			}
			return true
		})
		if !ok {
			return false
		}
		a.resTo = len(f.res)
		f.anns = append(f.anns, a)
		return true
	})
}

// result reads a result object into f.res; its value is read only when
// its type is "labels", as lsTask does.
func (f *fastLS) result(p *fastJSON) bool {
	if p.peek() != '{' {
		return false
	}
	var r fastLSResult
	var seen [4]bool
	var value rawValue
	base := p.b // the value is read after the type is known
	ok := f.object(p, func(k []byte) bool {
		fi := -1
		for i, name := range lsResFields {
			if string(k) == name {
				fi = i
			}
		}
		if fi < 0 {
			return otherField(k, lsResFields) && p.skip()
		}
		if seen[fi] {
			return false
		}
		seen[fi] = true
		switch fi {
		case 0: // id
			if p.peek() == '"' {
				var s string
				if !p.str(&s) {
					return false
				}
				r.id = uuidOrEmpty(s)
				return true
			}
			return p.skip()
		case 1: // type
			if p.isNull() {
				return true
			}
			return p.peek() == '"' && p.str(&r.typ)
		case 2: // value
			p.ws()
			from := p.i
			if !p.skip() {
				return false
			}
			value = rawValue{from: from, to: p.i, present: true}
			return true
		}
		return p.skip() // score: a prediction's
	})
	if !ok {
		return false
	}
	if r.typ == "labels" {
		if !value.present {
			return false
		}
		at := p.i
		p.b, p.i = base[value.from:value.to], 0
		ok = f.value(p, &r)
		p.b, p.i = base, at
		if !ok {
			return false
		}
	}
	f.res = append(f.res, r)
	return true
}

// value reads a "labels" result's value: whole-number start and end,
// string labels, a string or null text.
func (f *fastLS) value(p *fastJSON, r *fastLSResult) bool {
	if p.peek() != '{' {
		return false
	}
	var seen [5]bool
	ok := f.object(p, func(k []byte) bool {
		fi := -1
		for i, name := range lsValueFields {
			if string(k) == name {
				fi = i
			}
		}
		if fi < 0 {
			return otherField(k, lsValueFields) && p.skip()
		}
		if seen[fi] {
			return false
		}
		seen[fi] = true
		var ok bool
		switch fi {
		case 0:
			r.start, ok = p.wholeNumber()
			return ok
		case 1:
			r.end, ok = p.wholeNumber()
			return ok
		case 2:
			if p.isNull() {
				return true
			}
			r.hasText = true
			return p.peek() == '"' && p.str(&r.text)
		case 3:
			if p.peek() != '[' {
				return false
			}
			return p.array(func() bool {
				var l string
				if p.peek() != '"' || !p.str(&l) {
					return false
				}
				r.labels = append(r.labels, l)
				return true
			})
		}
		return p.skip()
	})
	return ok && seen[0] && seen[1] && len(r.labels) > 0
}

// place is lsPlace for a result: when value.text is what the offsets
// cover, as code points (what Gloss and Label Studio 1.x write), without
// offset tables; else lsPlace itself. ok is false where lsPlace fails.
func (f *fastLS) place(pl *spanPlacer, r *fastLSResult) (s, e int, fixed, ok bool) {
	unit := f.opts.Offsets
	cp := unit == UnitDefault || unit == UnitCodePoints
	if cp && pl.le.text == pl.le.raw {
		if !r.hasText {
			return r.start, r.end, false, true
		}
		f.cur.reset(pl.le.raw)
		if got, in := f.cur.slice(r.start, r.end); in && got == r.text {
			return r.start, r.end, false, true
		}
	}
	var text *string
	if r.hasText {
		text = &r.text
	}
	s, e, fixed, err := lsPlace(pl, r.start, r.end, text, unit)
	return s, e, fixed, err == nil
}

// once is onceID: id unless it is "" or taken in the task already.
func (f *fastLS) once(id string) string {
	if id == "" {
		return ""
	}
	for _, t := range f.ids {
		if t == id {
			return ""
		}
	}
	f.ids = append(f.ids, id)
	return id
}

// valuePath is "PATH.KEY[A].result[R].value".
func (f *fastLS) valuePath(path, key string, a, r int) string {
	b := append(f.path[:0], path...)
	b = append(b, '.')
	b = append(b, key...)
	b = append(b, '[')
	b = strconv.AppendInt(b, int64(a), 10)
	b = append(b, "].result["...)
	b = strconv.AppendInt(b, int64(r), 10)
	b = append(b, "].value"...)
	f.path = b
	return string(b)
}

// time is parseLSTime's time of s ("" and what it cannot read: zero),
// remembering the last few.
func (f *fastLS) time(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	for _, e := range f.times {
		if e.s == s {
			return e.t
		}
	}
	t, _ := parseLSTime(s)
	f.times[f.nextTime].s, f.times[f.nextTime].t = s, t
	f.nextTime = (f.nextTime + 1) % len(f.times)
	return t
}

// cpCursor slices a text by code points, walking forward from the last
// offset asked about instead of building offset tables.
type cpCursor struct {
	s     string
	n     int // code points; -1 until counted
	i, cp int // byte and code point offsets of the cursor
}

func (c *cpCursor) reset(s string) {
	if c.s == s && len(s) > 0 {
		return
	}
	*c = cpCursor{s: s, n: -1}
}

// slice is the code points [start, end), in false when they are not in
// the text (spanPlacer.rawSlice's condition).
func (c *cpCursor) slice(start, end int) (string, bool) {
	if c.n < 0 {
		c.n = utf8.RuneCountInString(c.s)
	}
	if start < 0 || end < start || end > c.n {
		return "", false
	}
	if start < c.cp {
		c.i, c.cp = 0, 0
	}
	c.advance(start)
	from := c.i
	c.advance(end)
	return c.s[from:c.i], true
}

func (c *cpCursor) advance(to int) {
	for c.cp < to {
		if c.s[c.i] < utf8.RuneSelf {
			c.i++
		} else {
			_, w := utf8.DecodeRuneInString(c.s[c.i:])
			c.i += w
		}
		c.cp++
	}
}

// array reads a task list written one task per line, as Gloss writes it:
// "[", then each task on a line of its own followed by a comma but the
// last, then "]" (and blank lines anywhere). At anything else (a
// pretty-printed task, two on a line, a syntax error) it reads the file
// again from the start with lsArray (rewind), which hands over the tasks
// after those already handed over and reads the rest, and explains its
// errors, exactly as it would have alone: the decoder's state, which its
// error messages depend on, is not one a reader taking over mid-stream
// could set up.
//
// Each task goes to try, and when it declines, to slow.
func (f *fastLS) array(br *bufio.Reader, rewind func() (*bufio.Reader, error), try func(raw []byte, line int, path string) (bool, error), slow func(raw []byte, line int, path string) error) error {
	const (
		before     = iota // "[" next
		first             // a task or "]"
		afterComma        // a task
		afterTask         // "]"
		after             // nothing but white space
	)
	state := before
	index := 0
	again := func() error {
		r, err := rewind()
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		done := index
		return lsArray(f.name, r, func(raw []byte, line int, path string) error {
			if done > 0 {
				done--
				return nil
			}
			if done, err := try(raw, line, path); done || err != nil {
				return err
			}
			return slow(raw, line, path)
		})
	}
	var long []byte
	for line := 1; ; line++ {
		b, err := br.ReadSlice('\n')
		for err == bufio.ErrBufferFull {
			if len(long) == 0 {
				long = append(long[:0], b...)
			}
			b, err = br.ReadSlice('\n')
			long = append(long, b...)
			b = long
		}
		if err != nil && err != io.EOF {
			return again()
		}
		if v := trimJSONSpace(b); len(v) > 0 {
			switch {
			case state == before && len(v) == 1 && v[0] == '[':
				state = first
			case (state == first || state == afterTask) && len(v) == 1 && v[0] == ']':
				state = after
			case (state == first || state == afterComma) && v[0] == '{':
				t, comma := v, v[len(v)-1] == ','
				if comma {
					t = trimJSONSpace(v[:len(v)-1])
				}
				path := "$[" + strconv.Itoa(index) + "]"
				done, err := try(t, line, path)
				if err != nil {
					return err
				}
				if !done {
					if !json.Valid(t) {
						return again()
					}
					if err := slow(t, line, path); err != nil {
						return err
					}
				}
				index++
				state = afterTask
				if comma {
					state = afterComma
				}
			default:
				return again()
			}
		}
		if err == io.EOF {
			if state == after {
				return nil
			}
			return again()
		}
		long = long[:0]
		if cap(long) > 16<<20 {
			long = nil
		}
	}
}

// lsArray reads a list of tasks from a stream, handing each to task.
func lsArray(name string, r io.Reader, task func(raw []byte, line int, path string) error) error {
	lc := newLineCounter(r)
	dec := json.NewDecoder(lc)
	if _, err := dec.Token(); err != nil { // [
		return jsonSyntaxError(name, lc, dec, err)
	}
	for i := 0; dec.More(); i++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return jsonSyntaxError(name, lc, dec, err)
		}
		line := lc.lineAt(dec.InputOffset() - int64(len(raw)))
		if err := task(raw, line, fmt.Sprintf("$[%d]", i)); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // ]
		return jsonSyntaxError(name, lc, dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%s:%d: invalid JSON: more after the array of tasks", name, lc.lineAt(dec.InputOffset()))
	}
	return nil
}
