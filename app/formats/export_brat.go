package formats

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// bratExporter writes a brat standoff folder: NAME.txt (the text, exactly)
// and NAME.ann per document, and annotation.conf with the label set, the
// relation types and the attributes.
//
//	T1	Claim 7 38	We’ll build 280,000 homes,” she
//	T2	Claim 50 55;56 61	first second
//	#1	AnnotatorNotes T1	check the figure
//	T3	Figure 20 27	280,000
//	R1	Supports Arg1:T3 Arg2:T1
//	A1	Negated T1
//	A2	Certainty T3 High
//	A3	Confidence R1 Low
//
// Offsets are code points: brat's server is Python and indexes str. brat
// forbids a line break inside a fragment, so a span that crosses line
// breaks is written as discontinuous fragments, one per line piece
// ("50 55;56 61"), and its text field joins the pieces with a space, as
// brat itself does. A span of line breaks only cannot be written and is
// dropped (and counted). Label names become brat types as BratType makes
// them (white space and the ASCII characters brat does not allow in a type
// replaced by "_"); notes are put on one line (tabs and line breaks become
// spaces). brat has no annotators: every kept span is written.
//
// Relations follow the T lines, one R line each from Arg1 (From) to Arg2
// (To), a relation type's name written as a label's is; a relation with a
// dropped end is left out (Summary.RelationsLeftOut). Then come the
// attributes, of spans (A n  NAME Tk) and of relations (A n  NAME Rk): a
// flag set ("true") is brat's binary attribute, written without a value;
// any other value is written after the target with its runs of white space
// replaced by "_" (brat's values are one word: "needs a look" is written
// needs_a_look and read back so); a value of white space only cannot be
// written and is left out (Summary.AttributesLeftOut); "," and "|", which
// separate values in annotation.conf, are written "_" too. Attribute
// names are written as types are (BratType).
//
// NAME comes from the title: accented Latin letters folded to ASCII,
// ASCII letters, digits, "_" and "." kept, runs of anything else one "-", at most 60 characters, never starting with a dot,
// never a reserved device name (CON, NUL, ...); a name already used in the
// folder, ignoring case, gets -2, -3, ...
type bratExporter struct {
	base
	files Files
	used  map[string]bool
	met   bratMet
	tnum  []int // the T number of each span of the document, 0 when dropped
}

func newBratExporter(b base, files Files) *bratExporter {
	return &bratExporter{base: b, files: files, used: map[string]bool{"annotation": true}}
}

// BratValue is the brat attribute value of v: its runs of white space,
// and the "," and "|" that separate values in annotation.conf, replaced by
// "_" ("" for white space only, which brat cannot hold).
func BratValue(v string) string {
	return strings.Map(func(r rune) rune {
		if r == ',' || r == '|' {
			return '_'
		}
		return r
	}, strings.Join(strings.Fields(v), "_"))
}

// BratType is the brat type name of a label, a relation type or an
// attribute: a name brat's annotation.conf can declare. brat stores a type
// under a name of ASCII letters, digits, "_" and "-" (its configuration
// renames any other to that form, and then no longer matches the .ann),
// and gives characters such as "," "|" "#" "!" "[" "<" "=" a meaning there
// (a list, alternatives, a comment, ...). So runs of white space become
// one "_", every other ASCII character but letters, digits, "_" and "-"
// becomes "_" too, and a name of hyphens only (a separator line in
// annotation.conf) is made of "_". Letters of other scripts are kept, as
// brat's .ann files hold them (its configuration warns about them). The
// name is replaced, never refused: it comes back so on import ("same as",
// "C++" and "A|B" as same_as, C__ and A_B).
func BratType(label string) string {
	s := strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf && !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return '_'
		}
		return r
	}, strings.Join(strings.Fields(label), "_"))
	if strings.Trim(s, "-") == "" {
		s = strings.Repeat("_", len(s))
	}
	return s
}

// SafeFileName makes a portable file name stem from a title.
func SafeFileName(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range foldLatin(title) {
		ok := r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.')
		if ok {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.Trim(b.String(), "-.")
	for strings.Contains(s, "..") {
		s = strings.ReplaceAll(s, "..", ".")
	}
	if len(s) > 60 {
		s = strings.TrimRight(s[:60], "-.")
	}
	if s == "" {
		s = "document"
	}
	if reservedName(s) {
		s += "-doc"
	}
	return s
}

// latinFold maps accented Latin letters to ASCII.
var latinFold = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'æ': "ae", 'Æ': "AE", 'œ': "oe", 'Œ': "OE", 'ø': "o", 'Ø': "O",
		'đ': "d", 'Đ': "D", 'ł': "l", 'Ł': "L", 'þ': "th", 'Þ': "Th", 'ð': "d", 'Ð': "D"}
	for base, letters := range map[string]string{
		"a": "àáâãäåāăą", "A": "ÀÁÂÃÄÅĀĂĄ", "c": "çćĉċč", "C": "ÇĆĈĊČ", "e": "èéêëēĕėęě", "E": "ÈÉÊËĒĔĖĘĚ",
		"g": "ĝğġģ", "G": "ĜĞĠĢ", "i": "ìíîïĩīĭįı", "I": "ÌÍÎÏĨĪĬĮİ", "n": "ñńņňŉ", "N": "ÑŃŅŇ",
		"o": "òóôõöōŏő", "O": "ÒÓÔÕÖŌŎŐ", "r": "ŕŗř", "R": "ŔŖŘ", "s": "śŝşš", "S": "ŚŜŞŠ",
		"t": "ţťŧ", "T": "ŢŤŦ", "u": "ùúûüũūŭůűų", "U": "ÙÚÛÜŨŪŬŮŰŲ", "y": "ýÿŷ", "Y": "ÝŸŶ",
		"z": "źżž", "Z": "ŹŻŽ",
	} {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

func foldLatin(s string) string {
	var b strings.Builder
	for _, r := range s {
		if f, ok := latinFold[r]; ok {
			b.WriteString(f)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// reservedName reports the device names Windows will not use as files.
func reservedName(s string) bool {
	stem, _, _ := strings.Cut(strings.ToUpper(s), ".")
	switch stem {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	return len(stem) == 4 && (strings.HasPrefix(stem, "COM") || strings.HasPrefix(stem, "LPT")) && stem[3] >= '1' && stem[3] <= '9'
}

func (e *bratExporter) name(title string) string {
	stem := SafeFileName(title)
	name := stem
	for n := 2; e.used[strings.ToLower(name)]; n++ {
		name = stem + "-" + strconv.Itoa(n)
	}
	e.used[strings.ToLower(name)] = true
	return name
}

// bratFragments splits [start, end) into the pieces between line breaks.
func bratFragments(rs []rune, start, end int) [][2]int {
	var out [][2]int
	from := start
	for i := start; i <= end; i++ {
		if i == end || rs[i] == '\n' || rs[i] == '\r' || rs[i] == '\u2028' || rs[i] == '\u2029' || rs[i] == '\u0085' {
			if i > from {
				out = append(out, [2]int{from, i})
			}
			from = i + 1
		}
	}
	return out
}

func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == '\t' || r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' || r == '\u0085'
	}), " ")
}

func (e *bratExporter) Write(d Doc) error {
	if _, err := e.checked(d); err != nil {
		return err
	}
	var rs []rune
	b := e.buf[:0]
	t, notes, dropped := 0, 0, 0
	e.tnum = e.tnum[:0]
	for _, s := range d.Spans {
		e.tnum = append(e.tnum, 0)
		if strings.ContainsAny(s.Text, "\n\r\u2028\u2029\u0085") && rs == nil {
			rs = []rune(d.Text)
		}
		var frags [][2]int
		var text string
		if rs != nil && strings.ContainsAny(s.Text, "\n\r\u2028\u2029\u0085") {
			frags = bratFragments(rs, s.Start, s.End)
			parts := make([]string, len(frags))
			for i, f := range frags {
				parts[i] = string(rs[f[0]:f[1]])
			}
			text = strings.Join(parts, " ")
		} else {
			frags = [][2]int{{s.Start, s.End}}
			text = s.Text
		}
		if len(frags) == 0 {
			dropped++
			continue
		}
		e.labels.add(s.Label)
		t++
		e.tnum[len(e.tnum)-1] = t
		b = append(b, 'T')
		b = strconv.AppendInt(b, int64(t), 10)
		b = append(b, '\t')
		b = append(b, BratType(s.Label)...)
		for i, f := range frags {
			if i == 0 {
				b = append(b, ' ')
			} else {
				b = append(b, ';')
			}
			b = strconv.AppendInt(b, int64(f[0]), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(f[1]), 10)
		}
		b = append(b, '\t')
		b = append(b, text...)
		b = append(b, '\n')
		if note := oneLine(s.Note); note != "" {
			notes++
			b = append(b, '#')
			b = strconv.AppendInt(b, int64(notes), 10)
			b = append(b, "\tAnnotatorNotes T"...)
			b = strconv.AppendInt(b, int64(t), 10)
			b = append(b, '\t')
			b = append(b, note...)
			b = append(b, '\n')
		}
	}
	b = e.appendLinks(b, d)
	name := e.name(d.Title)
	if err := e.writeFile(name+".txt", []byte(d.Text)); err != nil {
		return err
	}
	if err := e.writeFile(name+".ann", b); err != nil {
		return err
	}
	e.buf = reuse(b)
	e.mixed(d)
	e.wrote(d.ID, 1, t, 0, dropped)
	return nil
}

// appendLinks appends the R lines of d's relations and the A lines of its
// attributes, after its T lines (numbered in e.tnum).
func (e *bratExporter) appendLinks(b []byte, d Doc) []byte {
	rnum := make([]int, len(d.Relations)) // 0: left out
	r := 0
	for i, rel := range d.Relations {
		from, to := e.tnum[rel.From], e.tnum[rel.To]
		if from == 0 || to == 0 {
			e.sum.RelationsLeftOut++
			e.sum.AttributesLeftOut += len(rel.Attrs)
			continue
		}
		r++
		rnum[i] = r
		e.met.relation(rel.Type)
		b = append(b, 'R')
		b = strconv.AppendInt(b, int64(r), 10)
		b = append(b, '\t')
		b = append(b, BratType(rel.Type)...)
		b = append(b, " Arg1:T"...)
		b = strconv.AppendInt(b, int64(from), 10)
		b = append(b, " Arg2:T"...)
		b = strconv.AppendInt(b, int64(to), 10)
		b = append(b, '\n')
	}
	e.sum.Relations += r
	a := 0
	attr := func(attrs []Attr, target byte, n int, onRel bool) {
		for _, at := range attrs {
			v := at.Value
			if v != "true" {
				if v = BratValue(v); v == "" {
					e.sum.AttributesLeftOut++
					continue
				}
			}
			e.met.attribute(at.Name, v, onRel)
			a++
			b = append(b, 'A')
			b = strconv.AppendInt(b, int64(a), 10)
			b = append(b, '\t')
			b = append(b, BratType(at.Name)...)
			b = append(b, ' ', target)
			b = strconv.AppendInt(b, int64(n), 10)
			if v != "true" {
				b = append(b, ' ')
				b = append(b, v...)
			}
			b = append(b, '\n')
		}
	}
	for i, s := range d.Spans {
		if e.tnum[i] == 0 {
			e.sum.AttributesLeftOut += len(s.Attrs)
			continue
		}
		attr(s.Attrs, 'T', e.tnum[i], false)
	}
	for i, rel := range d.Relations {
		if rnum[i] != 0 {
			attr(rel.Attrs, 'R', rnum[i], true)
		}
	}
	return b
}

func (e *bratExporter) writeFile(name string, data []byte) error {
	f, err := e.files.Create(name)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// BratConf is annotation.conf for the label set: the labels as entity
// types and the other sections empty.
func BratConf(labels []string) string {
	return bratConf(labels, Schema{}, bratMet{})
}

// bratMet is what an export met in the data besides labels: relation types
// and attributes, in the order met, for annotation.conf.
type bratMet struct {
	relations []string
	attrs     []bratAttrMet
}

type bratAttrMet struct {
	name          string
	values        []string // other than "true", in the order met
	onSpan, onRel bool
}

func (m *bratMet) relation(name string) {
	if !slices.Contains(m.relations, name) {
		m.relations = append(m.relations, name)
	}
}

func (m *bratMet) attribute(name, value string, onRel bool) {
	i := slices.IndexFunc(m.attrs, func(a bratAttrMet) bool { return a.name == name })
	if i < 0 {
		i = len(m.attrs)
		m.attrs = append(m.attrs, bratAttrMet{name: name})
	}
	a := &m.attrs[i]
	if value != "true" && !slices.Contains(a.values, value) {
		a.values = append(a.values, value)
	}
	if onRel {
		a.onRel = true
	} else {
		a.onSpan = true
	}
}

// bratConf is annotation.conf (brat's configuration syntax, as its
// configuration.html documents it):
//
//	[entities]
//	Claim
//	Figure
//
//	[relations]
//	Supports	Arg1:Figure, Arg2:Claim
//	Supports	Arg1:Proposal, Arg2:Claim
//	Related	Arg1:<ENTITY>, Arg2:<ENTITY>, <REL-TYPE>:symmetric
//
//	[events]
//
//	[attributes]
//	Negated	Arg:<ENTITY>
//	Certainty	Arg:Claim|Figure, Value:High|Low
//	Confidence	Arg:<RELATION>, Value:Low|High
//
// The entity types are the labels. A relation type of the schema gets one
// line per allowed (From, To) label pair, or one with <ENTITY> for both
// arguments when it allows any pair; a symmetric type (not Directed)
// says <REL-TYPE>:symmetric, brat's mark for a relation drawn without an
// arrow (an equivalence, symmetric-transitive, is what brat writes as *
// lines; Gloss writes every relation as an R line). Relation types met in
// the data but not in the schema follow, between any entities.
//
// An attribute of the schema is on the labels and relation types of its
// On (<ENTITY>, every span, when none), and on <RELATION> too when the
// data has it on relations and On names no relation type; a flag is binary, a choice has its choices as
// Value, a number or text attribute the values met in the data (brat has
// no free values: one met with none is a comment). Attributes met in the
// data but not in the schema follow, binary when every value met is
// "true", else with the values met. Names and values are written as the
// .ann files have them (BratType, BratValue).
func bratConf(labels []string, schema Schema, met bratMet) string {
	var b strings.Builder
	b.WriteString("# Made by Gloss from its label set.\n[entities]\n")
	seen := map[string]bool{}
	for _, l := range labels {
		if t := BratType(l); t != "" && !seen[t] {
			seen[t] = true
			b.WriteString(t + "\n")
		}
	}
	b.WriteString("\n[relations]\n")
	done := map[string]bool{}
	for _, rt := range schema.Relations {
		name := BratType(rt.Name)
		if name == "" || done[name] {
			continue
		}
		done[name] = true
		sym := ""
		if !rt.Directed {
			sym = ", <REL-TYPE>:symmetric"
		}
		if len(rt.Args) == 0 {
			b.WriteString(name + "\tArg1:<ENTITY>, Arg2:<ENTITY>" + sym + "\n")
		}
		for _, p := range rt.Args {
			b.WriteString(name + "\tArg1:" + BratType(p.From) + ", Arg2:" + BratType(p.To) + sym + "\n")
		}
	}
	for _, r := range met.relations {
		if name := BratType(r); name != "" && !done[name] {
			done[name] = true
			b.WriteString(name + "\tArg1:<ENTITY>, Arg2:<ENTITY>\n")
		}
	}
	b.WriteString("\n[events]\n\n[attributes]\n")
	metOf := func(name string) bratAttrMet {
		for _, a := range met.attrs {
			if BratType(a.name) == name {
				return a
			}
		}
		return bratAttrMet{}
	}
	done = map[string]bool{}
	for _, ad := range schema.Attributes {
		name := BratType(ad.Name)
		if name == "" || done[name] {
			continue
		}
		done[name] = true
		m := metOf(name)
		var on []string
		onRelType := false // On names a relation type
		for _, o := range ad.On {
			on = append(on, BratType(o))
			_, isRel := schema.relationTypeOf(o)
			onRelType = onRelType || isRel
		}
		if len(on) == 0 {
			on = append(on, "<ENTITY>")
		}
		if m.onRel && !onRelType {
			on = append(on, "<RELATION>")
		}
		line := name + "\tArg:" + strings.Join(on, "|")
		switch ad.Kind {
		case AttrFlag:
		case AttrChoice:
			var vs []string
			for _, c := range ad.Choices {
				if v := BratValue(c); v != "" && !slices.Contains(vs, v) {
					vs = append(vs, v)
				}
			}
			for _, v := range m.values {
				if !slices.Contains(vs, v) {
					vs = append(vs, v)
				}
			}
			line += ", Value:" + strings.Join(vs, "|")
		default:
			if len(m.values) == 0 {
				line = "# " + name + ": a " + ad.Kind + " attribute; brat declares values, and none was met"
			} else {
				line += ", Value:" + strings.Join(m.values, "|")
			}
		}
		b.WriteString(line + "\n")
	}
	for _, m := range met.attrs {
		name := BratType(m.name)
		if name == "" || done[name] {
			continue
		}
		done[name] = true
		var on []string
		if m.onSpan {
			on = append(on, "<ENTITY>")
		}
		if m.onRel {
			on = append(on, "<RELATION>")
		}
		line := name + "\tArg:" + strings.Join(on, "|")
		if len(m.values) > 0 {
			line += ", Value:" + strings.Join(m.values, "|")
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

func (e *bratExporter) Close() (Summary, error) {
	if err := e.writeFile("annotation.conf", []byte(bratConf(e.labels.names, e.schema, e.met))); err != nil {
		return Summary{}, err
	}
	return e.summary(), nil
}
