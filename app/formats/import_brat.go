package formats

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// readBrat reads one brat standoff file: name is the path of the .ann,
// whose text is the .txt beside it.
//
//   - T lines (text-bound annotations) become spans. Offsets are code
//     points into the .txt as it is on disk (brat is Python); when the .txt
//     has CRLF line ends and the offsets fit the text only without the CRs,
//     they are read so. The surface text after the second tab must match.
//   - A discontinuous T line ("T2\tToken 5 7;9 10\tis n") becomes one span
//     per fragment, each with the same label and the note "brat T2: part 1
//     of 2", so that nothing is labelled that the annotator did not mark.
//     A relation to or from T2 is to or from its first fragment; an
//     attribute of T2 is on every fragment.
//   - "#1\tAnnotatorNotes T1\ttext" becomes the note of T1's span(s);
//     notes on other annotations are counted.
//   - R lines ("R1\tLocated Arg1:T1 Arg2:T2", anything after a second tab
//     ignored) become relations from Arg1 to Arg2, in either order (the
//     first argument to the second when neither role is named so; two
//     arguments of one role are refused, as brat refuses them).
//   - "*\tAlias T3 T4 T5" (an equivalence, symmetric and transitive)
//     becomes a Symmetric relation of its type from the first member to
//     each other one: T3–T4, T3–T5. One with a single member links
//     nothing and is counted.
//   - A and M lines ("A1\tNegated T1", binary, Value "true"; "A2\tConfidence
//     T1 High", multi-valued) become attributes of the span(s) of a T, or
//     of the relation of an R.
//   - What Gloss cannot hold is counted, not kept: E (events; the T lines
//     of their triggers are kept as spans), N (normalisations), relations
//     and equivalences with an event argument, attributes of events or of
//     relations not kept.
//
// A relation or an attribute that names an annotation the file does not
// define, a relation from a span to itself and a relation or attribute
// without a type is refused: "NAME:LINE: R1: ...".
func readBrat(name string, r io.Reader, rep *Report, fn func(Doc) error) error {
	txtPath := strings.TrimSuffix(name, filepath.Ext(name)) + ".txt"
	data, err := os.ReadFile(txtPath)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: no text file %s beside it (brat keeps the text in a .txt of the same name)", name, filepath.Base(txtPath))
		}
		return fmt.Errorf("%s: %w", txtPath, unwrapPathError(err))
	}
	if len(data) > MaxArticleBytes {
		return tooLarge(txtPath, int64(len(data)))
	}
	raw, err := decode(txtPath, data)
	if err != nil {
		return err
	}
	pl := newSpanPlacer(raw)
	norm := newSpanPlacer(pl.text()) // for offsets counted without CRs
	rec := Doc{Name: name, Line: 1, Text: pl.text(), Title: recordTitle(pl.text()),
		FileName: filepath.Base(txtPath), Format: "brat"}

	byID := map[string]bratSpans{}
	events := map[string]bool{}
	var notes []struct {
		ref, text string
		line      int
	}
	var links []bratLine // R, * and A/M lines, resolved once every T is read
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), MaxArticleBytes)
	for line := 1; sc.Scan(); line++ {
		l := strings.TrimRight(sc.Text(), "\r")
		if line == 1 {
			l = strings.TrimPrefix(l, "\ufeff")
		}
		if strings.TrimSpace(l) == "" {
			continue
		}
		if err := validUTF8(name, line, l, "the line"); err != nil {
			return err
		}
		id, rest, _ := strings.Cut(l, "\t")
		if id == "" {
			return fmt.Errorf("%s:%d: the line starts with a tab, not an annotation ID", name, line)
		}
		switch id[0] {
		case 'T':
			spans, err := bratT(name, line, id, rest, pl, norm)
			if err != nil {
				return err
			}
			if _, dup := byID[id]; dup {
				return fmt.Errorf("%s:%d: %s is defined twice", name, line, id)
			}
			byID[id] = bratSpans{len(rec.Spans), len(spans)}
			rec.Spans = append(rec.Spans, spans...)
		case '#':
			fields := strings.SplitN(rest, "\t", 2)
			kind, ref, _ := strings.Cut(fields[0], " ")
			if kind != "AnnotatorNotes" || len(fields) < 2 {
				rep.skip("brat comment", 1)
				continue
			}
			notes = append(notes, struct {
				ref, text string
				line      int
			}{strings.TrimSpace(ref), fields[1], line})
		case 'R', 'A', 'M', '*':
			links = append(links, bratLine{id: id, rest: rest, line: line})
		case 'E':
			events[id] = true
			rep.skip("brat event", 1)
		case 'N':
			rep.skip("brat normalization", 1)
		default:
			return fmt.Errorf("%s:%d: not a brat annotation line (it should start with T, R, E, A, M, N, # or *)", name, line)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	for _, n := range notes {
		ts, ok := byID[n.ref]
		if !ok {
			if strings.HasPrefix(n.ref, "T") {
				return fmt.Errorf("%s:%d: AnnotatorNotes for %s, which the file does not define", name, n.line, n.ref)
			}
			rep.skip("brat note on a relation, event or attribute", 1)
			continue
		}
		for i := ts.first; i < ts.first+ts.n; i++ {
			sp := &rec.Spans[i]
			if sp.Note == "" {
				sp.Note = n.text
			} else {
				sp.Note += "\n" + n.text
			}
		}
	}
	if err := bratLinks(name, links, byID, events, &rec, rep); err != nil {
		return err
	}
	// Keep the file's order of spans stable by offset for a tidy import.
	if len(rec.Relations) == 0 {
		sort.SliceStable(rec.Spans, func(i, j int) bool { return rec.Spans[i].Start < rec.Spans[j].Start })
	} else {
		order := make([]int, len(rec.Spans))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(i, j int) bool { return rec.Spans[order[i]].Start < rec.Spans[order[j]].Start })
		to := make([]int, len(order))
		spans := make([]Span, len(order))
		for k, i := range order {
			to[i] = k
			spans[k] = rec.Spans[i]
		}
		rec.Spans = spans
		remapRelations(rec.Relations, to)
	}
	return fn(rec)
}

// bratSpans are the spans of a T line: rec.Spans[first:first+n].
type bratSpans struct {
	first int
	n     int
}

// bratLine is an R, *, A or M line, kept until every T is read.
type bratLine struct {
	id, rest string
	line     int
}

// bratLinks reads the R, *, A and M lines into rec's relations and
// attributes: the relations in the order of the file, then the
// attributes (which may name a relation defined after them).
func bratLinks(name string, links []bratLine, byID map[string]bratSpans, events map[string]bool, rec *Doc, rep *Report) error {
	rels := map[string]int{}     // R id: index in rec.Relations
	skipped := map[string]bool{} // R ids not kept (an event argument)
	// end resolves an argument: the first span of a T; event is true for
	// an E the file defines.
	end := func(l bratLine, what, ref string) (i int, event bool, err error) {
		if ts, ok := byID[ref]; ok {
			return ts.first, false, nil
		}
		if events[ref] {
			return 0, true, nil
		}
		if ref == "" {
			return 0, false, fmt.Errorf("%s:%d: %s: %s names no annotation", name, l.line, l.id, what)
		}
		return 0, false, fmt.Errorf("%s:%d: %s: %s %s, which the file does not define", name, l.line, l.id, what, ref)
	}
	attrsLast := make([]bratLine, 0, len(links))
	for _, l := range links {
		if l.id[0] != 'A' && l.id[0] != 'M' {
			attrsLast = append(attrsLast, l)
		}
	}
	for _, l := range links {
		if l.id[0] == 'A' || l.id[0] == 'M' {
			attrsLast = append(attrsLast, l)
		}
	}
	for _, l := range attrsLast {
		switch l.id[0] {
		case 'R':
			if _, dup := rels[l.id]; dup || skipped[l.id] {
				return fmt.Errorf("%s:%d: %s is defined twice", name, l.line, l.id)
			}
			ann, _, _ := strings.Cut(l.rest, "\t")
			f := strings.Fields(ann)
			if len(f) != 3 || !strings.Contains(f[1], ":") || !strings.Contains(f[2], ":") {
				return fmt.Errorf("%s:%d: %s: want \"%s<TAB>TYPE Arg1:T1 Arg2:T2\"", name, l.line, l.id, l.id)
			}
			role1, ref1, _ := strings.Cut(f[1], ":")
			role2, ref2, _ := strings.Cut(f[2], ":")
			if role1 == role2 {
				return fmt.Errorf("%s:%d: %s: both arguments are %s (brat's are two roles, Arg1 and Arg2)", name, l.line, l.id, role1)
			}
			if role2 == "Arg1" || role1 == "Arg2" {
				role1, ref1, role2, ref2 = role2, ref2, role1, ref1
			}
			from, ev1, err := end(l, role1, ref1)
			if err != nil {
				return err
			}
			to, ev2, err := end(l, role2, ref2)
			if err != nil {
				return err
			}
			if ev1 || ev2 {
				rep.skip("brat relation with an event argument", 1)
				skipped[l.id] = true
				continue
			}
			if ref1 == ref2 {
				return fmt.Errorf("%s:%d: %s: %s and %s are both %s: a relation links two annotations", name, l.line, l.id, role1, role2, ref1)
			}
			rels[l.id] = len(rec.Relations)
			rec.Relations = append(rec.Relations, Relation{Type: f[0], From: from, To: to, Line: l.line})
		case '*':
			ann, _, _ := strings.Cut(l.rest, "\t")
			f := strings.Fields(ann)
			if len(f) < 2 {
				return fmt.Errorf("%s:%d: *: want \"*<TAB>TYPE T1 T2 ...\" (a type and its members)", name, l.line)
			}
			if _, ok := byID[f[0]]; ok || events[f[0]] {
				return fmt.Errorf("%s:%d: *: no type before the members (%s is an annotation)", name, l.line, f[0])
			}
			if len(f) == 2 {
				// One member: brat reads it, and it links nothing.
				if _, _, err := end(bratLine{id: "*", line: l.line}, "member", f[1]); err != nil {
					return err
				}
				rep.skip("brat equivalence with one member", 1)
				continue
			}
			members := make([]int, 0, len(f)-1)
			event := false
			for k, ref := range f[1:] {
				if slices.Contains(f[1:k+1], ref) {
					return fmt.Errorf("%s:%d: *: %s is a member twice", name, l.line, ref)
				}
				i, ev, err := end(bratLine{id: "*", line: l.line}, "member", ref)
				if err != nil {
					return err
				}
				event = event || ev
				members = append(members, i)
			}
			if event {
				rep.skip("brat equivalence with an event member", 1)
				continue
			}
			for _, m := range members[1:] {
				rec.Relations = append(rec.Relations, Relation{Type: f[0], From: members[0], To: m, Symmetric: true, Line: l.line})
			}
		case 'A', 'M':
			ann, _, _ := strings.Cut(l.rest, "\t")
			f := strings.Fields(ann)
			if len(f) < 2 || len(f) > 3 {
				return fmt.Errorf("%s:%d: %s: want \"%s<TAB>NAME ID\" or \"%s<TAB>NAME ID VALUE\"", name, l.line, l.id, l.id, l.id)
			}
			a := Attr{Name: f[0], Value: "true"}
			if len(f) == 3 {
				a.Value = f[2]
			}
			target := f[1]
			var err error
			switch ts, ok := byID[target]; {
			case ok:
				for i := ts.first; i < ts.first+ts.n && err == nil; i++ {
					err = addAttr(&rec.Spans[i].Attrs, a)
				}
			case events[target]:
				rep.skip("brat attribute on an event", 1)
				continue
			case skipped[target]:
				rep.skip("brat attribute on a relation with an event argument", 1)
				continue
			default:
				ri, ok := rels[target]
				if !ok {
					return fmt.Errorf("%s:%d: %s: an attribute of %s, which the file does not define", name, l.line, l.id, target)
				}
				err = addAttr(&rec.Relations[ri].Attrs, a)
			}
			if err != nil {
				return fmt.Errorf("%s:%d: %s: %s: %v", name, l.line, l.id, target, err)
			}
		}
	}
	return nil
}

// bratT reads the part after the ID of a T line: "LABEL s e[;s e...]\tsurface".
func bratT(name string, line int, id, rest string, pl, norm *spanPlacer) ([]Span, error) {
	where := fmt.Sprintf("%s:%d: %s", name, line, id)
	ann, surface, ok := strings.Cut(rest, "\t")
	if !ok {
		return nil, fmt.Errorf("%s: want \"%s<TAB>LABEL START END<TAB>TEXT\"", where, id)
	}
	label, offs, ok := strings.Cut(ann, " ")
	if !ok || label == "" {
		return nil, fmt.Errorf("%s: no label and offsets", where)
	}
	type frag struct{ s, e int }
	var frags []frag
	for part := range strings.SplitSeq(offs, ";") {
		f := strings.Fields(part)
		if len(f) != 2 {
			return nil, fmt.Errorf("%s: offsets %q: want START END (fragments separated by ;)", where, offs)
		}
		s, err1 := strconv.Atoi(f[0])
		e, err2 := strconv.Atoi(f[1])
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%s: offsets %q are not whole numbers", where, offs)
		}
		if s < 0 || e <= s {
			return nil, fmt.Errorf("%s: offsets %d %d: want 0 <= start < end", where, s, e)
		}
		frags = append(frags, frag{s, e})
	}
	flat := func(s string) string {
		return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ").Replace(s)
	}
	// The surface of the fragments, read in raw or in normalised text.
	surf := func(p *spanPlacer) (string, bool) {
		parts := make([]string, len(frags))
		for i, f := range frags {
			s, ok := p.rawSlice(f.s, f.e)
			if !ok {
				return "", false
			}
			parts[i] = s
		}
		return strings.Join(parts, " "), true
	}
	use := pl
	got, ok := surf(pl)
	if !ok || flat(got) != flat(surface) {
		if g2, ok2 := surf(norm); ok2 && flat(g2) == flat(surface) && pl.text() != pl.le.raw {
			use = norm
		} else if !ok {
			return nil, fmt.Errorf("%s: offsets %s are past the end of the text (%d characters)", where, offs, pl.offs().Len())
		} else {
			return nil, fmt.Errorf("%s: text %q does not match the .txt at %s, which is %q", where, surface, offs, got)
		}
	}
	out := make([]Span, 0, len(frags))
	for i, f := range frags {
		s, e, err := use.place(f.s, f.e, UnitCodePoints)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", where, err)
		}
		if s >= e {
			// CRLF became LF: a fragment of nothing but the CR is empty.
			return nil, fmt.Errorf("%s: the fragment %d %d covers nothing but the CR of a line break", where, f.s, f.e)
		}
		sp := Span{Start: s, End: e, Label: label, Line: line}
		if len(frags) > 1 {
			sp.Note = fmt.Sprintf("brat %s: part %d of %d", id, i+1, len(frags))
		}
		out = append(out, sp)
	}
	return out, nil
}

// readBratDir reads every .ann under dir (sorted by path) with its .txt,
// and every .txt without an .ann as a document without spans.
func readBratDir(dir string, fn func(Doc) error) (Report, error) {
	rep := Report{Format: "brat"}
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			switch strings.ToLower(filepath.Ext(p)) {
			case ".ann", ".txt":
				paths = append(paths, p)
			}
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("%s: %w", dir, unwrapPathError(err))
	}
	sort.Strings(paths)
	have := map[string]bool{}
	for _, p := range paths {
		have[p] = true
	}
	count := func(r Doc) error {
		rep.Records++
		return fn(r)
	}
	found := false
	for _, p := range paths {
		base := strings.TrimSuffix(p, filepath.Ext(p))
		switch strings.ToLower(filepath.Ext(p)) {
		case ".ann":
			found = true
			f, err := os.Open(p)
			if err != nil {
				return rep, fmt.Errorf("%s: %w", p, unwrapPathError(err))
			}
			err = readBrat(p, f, &rep, count)
			f.Close()
			if err != nil {
				return rep, err
			}
		case ".txt":
			if have[base+".ann"] || have[base+".ANN"] {
				continue
			}
			found = true
			if err := readBrat(p, strings.NewReader(""), &rep, count); err != nil {
				return rep, err
			}
		}
	}
	if !found {
		return rep, fmt.Errorf("%s: no brat files (.ann with .txt) in the folder", dir)
	}
	return rep, nil
}
