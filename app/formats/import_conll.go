package formats

import (
	"bufio"
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// readCoNLL reads token-per-line files with a tag column: CoNLL-2003
// ("token POS chunk TAG"), two columns ("token TAG"), or more (the tag is
// the last column that looks like one: O, or B-, I-, E-, S-, L- or U-
// before a type, so flair's trailing "+"/"-" column is passed over).
// Columns are split on tabs or spaces.
//
// The text is rebuilt: tokens joined by single spaces, sentences (blank
// lines) by a blank line, "\n\n". Each -DOCSTART- line begins a document; a file without
// one is one document. Tags may be IOB1, IOB2 or BIOES (BILOU): B- always
// begins a span, I-/E-/L- continue one of the same type (or begin it), E-/L-
// end it, S-/U- are one-token spans, and O and sentence ends close spans.
//
// A file of JSON objects with "words" (or "tokens") and "ner" (or "tags" or
// "ner_tags"), Hugging Face token classification data, is read as hf reads
// it (readHF): each row is one document.
func readCoNLL(name string, br *bufio.Reader, rep *Report, fn func(Doc) error) error {
	head, _ := br.Peek(64)
	if t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n"); len(t) > 0 && t[0] == '{' {
		return readHF(name, br, "conll", rep, fn)
	}
	b := newConllDoc(name)
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for line := 1; sc.Scan(); line++ {
		l := sc.Text()
		if line == 1 {
			l = strings.TrimPrefix(l, "\ufeff")
		}
		if !utf8.ValidString(l) {
			return fmt.Errorf("%s:%d: not valid UTF-8", name, line)
		}
		f := strings.Fields(l)
		if len(f) == 0 {
			b.endSentence()
			continue
		}
		if f[0] == "-DOCSTART-" {
			if err := b.flush(fn); err != nil {
				return err
			}
			b = newConllDoc(name)
			continue
		}
		col := tagColumn(f)
		if col < 0 {
			if strings.HasPrefix(l, "#") {
				rep.skip("conll comment line", 1)
				continue
			}
			if len(f) == 1 {
				return fmt.Errorf("%s:%d: token %q has no tag column", name, line, f[0])
			}
			return fmt.Errorf("%s:%d: no tag in %q (want O, or B-/I-/E-/S- and a type)", name, line, l)
		}
		if b.line == 0 {
			b.line = line
		}
		b.curLine = line
		b.token(f[0], f[col])
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return b.flush(fn)
}

// isTag reports whether s looks like a NER tag: O, or a prefix B, I, E, S, L
// or U, then - or _, then a type.
func isTag(s string) bool {
	if s == "O" {
		return true
	}
	if len(s) < 3 || (s[1] != '-' && s[1] != '_') {
		return false
	}
	return strings.IndexByte("BIESLU", s[0]) >= 0
}

// tagColumn is the index of the last field after the first that looks like
// a tag, or -1.
func tagColumn(f []string) int {
	for i := len(f) - 1; i >= 1; i-- {
		if isTag(f[i]) {
			return i
		}
	}
	return -1
}

// conllDoc builds one document from tagged tokens.
type conllDoc struct {
	name   string
	line   int // where the document starts
	text   strings.Builder
	n      int  // code points so far
	inSent bool // a token was added to the current sentence
	rec    Doc

	open      bool
	openType  string
	openStart int
	openLine  int
	curLine   int // the line of the token being added
	tokEnd    int // where the last token ended
}

func newConllDoc(name string) *conllDoc { return &conllDoc{name: name} }

func (b *conllDoc) closeSpan() {
	if b.open {
		b.rec.Spans = append(b.rec.Spans, Span{Start: b.openStart, End: b.tokEnd, Label: b.openType, Line: b.openLine})
		b.open = false
	}
}

// endSentence ends a sentence with a blank line: a paragraph break, which
// app/tokens always takes for a sentence end (a single line break is not
// one), so that the sentences of the file are the sentences of the text
// and a CoNLL export of it writes them again.
func (b *conllDoc) endSentence() {
	b.closeSpan()
	if b.inSent {
		b.text.WriteString("\n\n")
		b.n += 2
		b.inSent = false
	}
}

func (b *conllDoc) token(tok, tag string) {
	if b.inSent {
		b.text.WriteByte(' ')
		b.n++
	}
	b.inSent = true
	prefix, typ := byte('O'), ""
	if tag != "O" {
		prefix, typ = tag[0], tag[2:]
	}
	start := b.n
	switch prefix {
	case 'O':
		b.closeSpan()
	case 'B', 'S', 'U':
		b.closeSpan()
		b.open, b.openType, b.openStart, b.openLine = true, typ, start, b.curLine
	case 'I', 'E', 'L':
		if !b.open || b.openType != typ {
			b.closeSpan()
			b.open, b.openType, b.openStart, b.openLine = true, typ, start, b.curLine
		}
	}
	b.text.WriteString(tok)
	b.n += utf8.RuneCountInString(tok)
	b.tokEnd = b.n
	if prefix == 'E' || prefix == 'L' || prefix == 'S' || prefix == 'U' {
		b.closeSpan()
	}
}

func (b *conllDoc) flush(fn func(Doc) error) error {
	b.endSentence()
	text := strings.TrimSuffix(b.text.String(), "\n\n")
	if text == "" {
		return nil
	}
	b.rec.Name, b.rec.Line = b.name, max(b.line, 1)
	b.rec.Text, b.rec.Title = text, recordTitle(text)
	b.rec.FileName, b.rec.Format = filepath.Base(b.name), "conll"
	return fn(b.rec)
}
