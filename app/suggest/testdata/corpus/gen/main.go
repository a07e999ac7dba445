//go:build ignore

// Command gen turns the annotated source articles.txt into corpus.jsonl,
// Gloss's JSONL import format, one document per line:
//
//	{"id","title","text","file_name","format","sha256","spans":[{"start","end","label","text","annotator"}]}
//
// with offsets in code points, end exclusive, spans sorted by start and then
// by end descending. The sha256 of the text is what makes "gloss import"
// recognise the file as Gloss JSONL (without it the format sniffer takes
// it for spaCy).
//
// Run it from the module root:
//
//	go run app/suggest/testdata/corpus/gen/main.go
//
// articles.txt holds articles separated by lines "=== <id>". The first
// non-blank line after the separator is the headline (the document's title,
// not part of its text, never marked up); the lines after it are the text,
// paragraphs separated by one blank line. Inline markup [Label|covered text]
// marks a span; spans nest. \[ \] and \\ stand for literal brackets and a
// backslash. Lines starting with "#" before the first article are comments.
//
// The program strips the markup, computes code point offsets (end
// exclusive) into the stripped text and refuses the file when brackets do
// not balance, two spans of one label overlap, or a span breaks one of the
// mechanical rules of GUIDELINES.md (whitespace at its edges, a Claim ending
// in punctuation or starting with "that", a Figure without a number, ...).
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"unicode"
)

var labels = map[string]bool{"Figure": true, "Claim": true, "Proposal": true}

// Articles must be news-length.
const minWords, maxWords = 250, 450

type span struct {
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Label     string `json:"label"`
	Text      string `json:"text"`
	Annotator string `json:"annotator"`

	line, col int // where it opens in articles.txt
}

type doc struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Text     string `json:"text"`
	FileName string `json:"file_name"`
	Format   string `json:"format"`
	SHA256   string `json:"sha256"` // lets "gloss import" recognise Gloss JSONL, and guards the text
	Spans    []span `json:"spans"`
}

type article struct {
	name     string
	line     int // of the "===" line
	headline string
	body     []string // lines of the text, markup included
	bodyLine int      // line number of body[0]
}

func main() {
	_, self, _, _ := runtime.Caller(0)
	def := filepath.Dir(filepath.Dir(self))
	dir := flag.String("dir", def, "corpus directory holding articles.txt")
	flag.Parse()
	in := filepath.Join(*dir, "articles.txt")
	out := filepath.Join(*dir, "corpus.jsonl")

	arts, err := readArticles(in)
	if err != nil {
		fail(err)
	}
	var docs []doc
	var errs []string
	seen := map[string]bool{}
	for i, a := range arts {
		if seen[a.name] {
			errs = append(errs, fmt.Sprintf("%s:%d: article id %q used twice", in, a.line, a.name))
		}
		seen[a.name] = true
		d, es := build(in, i+1, a)
		errs = append(errs, es...)
		docs = append(docs, d)
	}
	if len(errs) > 0 {
		for _, e := range errs {
			fmt.Fprintln(os.Stderr, e)
		}
		fail(fmt.Errorf("%d problems, %s not written", len(errs), out))
	}

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	counts := map[string]int{}
	words := 0
	for _, d := range docs {
		if err := enc.Encode(d); err != nil {
			fail(err)
		}
		for _, s := range d.Spans {
			counts[s.Label]++
		}
		words += len(strings.Fields(d.Text))
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		fail(err)
	}
	fmt.Printf("%s: %d documents, %d words, spans: Figure %d, Claim %d, Proposal %d\n",
		out, len(docs), words, counts["Figure"], counts["Claim"], counts["Proposal"])
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gen:", err)
	os.Exit(1)
}

func readArticles(path string) ([]article, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var arts []article
	var cur *article
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), " \t\r")
		if rest, ok := strings.CutPrefix(line, "=== "); ok {
			arts = append(arts, article{name: strings.TrimSpace(rest), line: n})
			cur = &arts[len(arts)-1]
			if cur.name == "" || strings.ContainsAny(cur.name, " /\\") {
				return nil, fmt.Errorf("%s:%d: bad article id %q", path, n, cur.name)
			}
			continue
		}
		if cur == nil {
			if line != "" && !strings.HasPrefix(line, "#") {
				return nil, fmt.Errorf("%s:%d: text before the first \"=== <id>\" line", path, n)
			}
			continue
		}
		switch {
		case cur.headline == "" && line == "":
		case cur.headline == "":
			cur.headline = line
			if strings.ContainsAny(line, "[]\\") {
				return nil, fmt.Errorf("%s:%d: the headline is not marked up", path, n)
			}
		default:
			if len(cur.body) == 0 {
				if line == "" {
					continue
				}
				cur.bodyLine = n
			}
			cur.body = append(cur.body, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for i := range arts {
		a := &arts[i]
		for len(a.body) > 0 && a.body[len(a.body)-1] == "" {
			a.body = a.body[:len(a.body)-1]
		}
		if a.headline == "" || len(a.body) == 0 {
			return nil, fmt.Errorf("%s:%d: article %s has no headline or no text", path, a.line, a.name)
		}
		for j := 1; j < len(a.body); j++ {
			if a.body[j] == "" && a.body[j-1] == "" {
				return nil, fmt.Errorf("%s:%d: two blank lines in a row", path, a.bodyLine+j)
			}
		}
	}
	return arts, nil
}

// build strips the markup of one article and checks its spans.
func build(path string, index int, a article) (doc, []string) {
	var errs []string
	errf := func(line, col int, format string, args ...any) {
		errs = append(errs, fmt.Sprintf("%s:%d:%d: [%s] %s", path, line, col, a.name, fmt.Sprintf(format, args...)))
	}
	var text []rune
	var stack []span
	var spans []span
	for li, l := range a.body {
		line := a.bodyLine + li
		if li > 0 {
			if len(stack) > 0 {
				errf(stack[len(stack)-1].line, stack[len(stack)-1].col, "%s span runs past the end of its line", stack[len(stack)-1].Label)
				stack = stack[:0]
			}
			text = append(text, '\n')
		}
		rs := []rune(l)
		for i := 0; i < len(rs); i++ {
			r := rs[i]
			col := i + 1
			switch r {
			case '\\':
				if i+1 < len(rs) && strings.ContainsRune(`[]\`, rs[i+1]) {
					text = append(text, rs[i+1])
					i++
				} else {
					errf(line, col, `a backslash must be followed by [, ] or \`)
				}
			case '[':
				bar := -1
				for j := i + 1; j < len(rs) && j < i+12; j++ {
					if rs[j] == '|' {
						bar = j
						break
					}
				}
				if bar < 0 || !labels[string(rs[i+1:bar])] {
					errf(line, col, `"[" opens no [Figure|, [Claim| or [Proposal| (write \[ for a bracket)`)
					continue
				}
				stack = append(stack, span{Label: string(rs[i+1 : bar]), Start: len(text), line: line, col: col})
				i = bar
			case ']':
				if len(stack) == 0 {
					errf(line, col, `"]" closes no span (write \] for a bracket)`)
					continue
				}
				s := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				s.End = len(text)
				s.Text = string(text[s.Start:s.End])
				s.Annotator = "gold"
				spans = append(spans, s)
			default:
				text = append(text, r)
			}
		}
	}
	for _, s := range stack {
		errf(s.line, s.col, "%s span is never closed", s.Label)
	}

	str := string(text)
	if n := len(strings.Fields(str)); n < minWords || n > maxWords {
		errf(a.bodyLine, 1, "the text has %d words, not %d–%d", n, minWords, maxWords)
	}
	for li, l := range a.body {
		if k := strings.IndexAny(l, "\"'"); k >= 0 {
			errf(a.bodyLine+li, len([]rune(l[:k]))+1, "straight quote: use “ ” and ’")
		}
		if k := strings.Index(l, "  "); k >= 0 {
			errf(a.bodyLine+li, len([]rune(l[:k]))+1, "two spaces in a row")
		}
	}
	for _, s := range spans {
		errs = append(errs, lint(path, a.name, s)...)
	}
	// Same-label spans never overlap (nesting counts as overlapping).
	sort.SliceStable(spans, func(i, j int) bool {
		if spans[i].Start != spans[j].Start {
			return spans[i].Start < spans[j].Start
		}
		return spans[i].End > spans[j].End
	})
	last := map[string]span{}
	for _, s := range spans {
		if p, ok := last[s.Label]; ok && s.Start < p.End {
			errf(s.line, s.col, "%s %q overlaps %s %q (line %d)", s.Label, s.Text, p.Label, p.Text, p.line)
		}
		if p, ok := last[s.Label]; !ok || s.End > p.End {
			last[s.Label] = s
		}
	}
	if spans == nil {
		spans = []span{}
	}
	sum := sha256.Sum256([]byte(str))
	return doc{
		ID:       fmt.Sprintf("0190c000-0000-7000-8000-%012x", index),
		Title:    a.headline,
		Text:     str,
		FileName: a.name + ".txt",
		Format:   "txt",
		SHA256:   hex.EncodeToString(sum[:]),
		Spans:    spans,
	}, errs
}

var numberWords = []string{
	"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
	"eleven", "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "hundred",
	"half", "third", "quarter", "fifth", "tenth",
}

// lint checks the mechanical parts of GUIDELINES.md.
func lint(path, name string, s span) []string {
	var errs []string
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Sprintf("%s:%d:%d: [%s] %s %q: %s", path, s.line, s.col, name, s.Label, s.Text, fmt.Sprintf(format, args...)))
	}
	rs := []rune(s.Text)
	if len(rs) == 0 {
		bad("empty span")
		return errs
	}
	if unicode.IsSpace(rs[0]) || unicode.IsSpace(rs[len(rs)-1]) {
		bad("whitespace at an edge")
	}
	first, lastR := rs[0], rs[len(rs)-1]
	if strings.ContainsRune("“”\"‘", first) || strings.ContainsRune("“”\"", lastR) {
		bad("quotation marks are outside the span")
	}
	lower := strings.ToLower(s.Text)
	switch s.Label {
	case "Figure":
		ok := strings.IndexFunc(s.Text, unicode.IsDigit) >= 0
		for _, w := range numberWords {
			if strings.Contains(lower, w) {
				ok = true
			}
		}
		if !ok {
			bad("no numeral or number word")
		}
		for _, p := range []string{"about ", "nearly ", "more than ", "almost ", "up to ", "at least ", "around ", "some ", "over ",
			"roughly ", "less than ", "fewer than ", "as much as ", "an estimated ", "only ", "just ", "between ", "from "} {
			if strings.HasPrefix(lower, p) {
				bad("approximators and range words stay outside a Figure")
			}
		}
		if strings.ContainsRune(".,;:", lastR) {
			bad("ends in punctuation")
		}
	case "Claim":
		if strings.ContainsRune(".,;:", lastR) {
			bad("a Claim ends before its final punctuation")
		}
		if strings.HasPrefix(s.Text, "that ") { // "That ..." starts a quoted sentence
			bad(`"that" stays outside a Claim`)
		}
	case "Proposal":
		if strings.ContainsRune(".,;:", lastR) {
			bad("a Proposal ends before punctuation")
		}
	}
	return errs
}
