package formats

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
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
//   - "#1\tAnnotatorNotes T1\ttext" becomes the note of T1's span(s);
//     notes on other annotations are counted.
//   - R (relations), E (events), A and M (attributes), N (normalisations)
//     and * (equivalences) are counted, not kept. The T lines of event
//     triggers are kept as spans.
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

	type tspan struct {
		first int // index into rec.Spans
		n     int
	}
	byID := map[string]tspan{}
	var notes []struct {
		ref, text string
		line      int
	}
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
			byID[id] = tspan{len(rec.Spans), len(spans)}
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
		case 'R':
			rep.skip("brat relation", 1)
		case 'E':
			rep.skip("brat event", 1)
		case 'A', 'M':
			rep.skip("brat attribute", 1)
		case 'N':
			rep.skip("brat normalization", 1)
		case '*':
			rep.skip("brat equivalence", 1)
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
	// Keep the file's order of spans stable by offset for a tidy import.
	sort.SliceStable(rec.Spans, func(i, j int) bool { return rec.Spans[i].Start < rec.Spans[j].Start })
	return fn(rec)
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
