package formats

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// bratExporter writes a brat standoff folder: NAME.txt (the text, exactly)
// and NAME.ann per document, and annotation.conf with the label set.
//
//	T1	Claim 7 38	We’ll build 280,000 homes,” she
//	T2	Claim 50 55;56 61	first second
//	#1	AnnotatorNotes T1	check the figure
//
// Offsets are code points: brat's server is Python and indexes str. brat
// forbids a line break inside a fragment, so a span that crosses line
// breaks is written as discontinuous fragments, one per line piece
// ("50 55;56 61"), and its text field joins the pieces with a space, as
// brat itself does. A span of line breaks only cannot be written and is
// dropped (and counted). Label names become brat types with white space
// replaced by "_"; notes are put on one line (tabs and line breaks become
// spaces). brat has no annotators: every kept span is written.
//
// NAME comes from the title: accented Latin letters folded to ASCII,
// ASCII letters, digits, "_" and "." kept, runs of anything else one "-", at most 60 characters, never starting with a dot,
// never a reserved device name (CON, NUL, ...); a name already used in the
// folder, ignoring case, gets -2, -3, ...
type bratExporter struct {
	base
	files Files
	used  map[string]bool
}

func newBratExporter(b base, files Files) *bratExporter {
	return &bratExporter{base: b, files: files, used: map[string]bool{"annotation": true}}
}

// BratType is the brat type name of a label.
func BratType(label string) string {
	return strings.Join(strings.Fields(label), "_")
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
	for _, s := range d.Spans {
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
	var b strings.Builder
	b.WriteString("# Made by Gloss from its label set.\n[entities]\n")
	seen := map[string]bool{}
	for _, l := range labels {
		if t := BratType(l); t != "" && !seen[t] {
			seen[t] = true
			b.WriteString(t + "\n")
		}
	}
	b.WriteString("\n[relations]\n\n[events]\n\n[attributes]\n")
	return b.String()
}

func (e *bratExporter) Close() (Summary, error) {
	if err := e.writeFile("annotation.conf", []byte(BratConf(e.labels.names))); err != nil {
		return Summary{}, err
	}
	return e.summary(), nil
}
