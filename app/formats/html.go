package formats

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlText returns the visible text of an HTML document, the text of its
// <title> and the text of its first <h1>.
//
// The rules mirror what a reader sees in a browser:
//   - head, script, style, noscript, template, svg, math, iframe, object,
//     canvas and elements with the hidden attribute are dropped;
//   - block elements (p, div, h1–h6, blockquote, section, article, pre,
//     table, ul, ol, ...) are separated by one blank line ("\n\n"), <br> is
//     a line break ("\n"), table rows are lines and cells are separated by a
//     tab;
//   - inline whitespace is collapsed to one space as a browser does, except
//     inside <pre>, whose text is kept verbatim; entities are decoded;
//     non-breaking spaces stay U+00A0;
//   - list items are lines of their own: "• item" in unordered lists
//     ("◦" at the second level, "▪" deeper) and "1. item" in ordered ones
//     (honouring start= and value=), nested lists indented by two spaces per
//     level; a list is one block, separated from its neighbours by a blank
//     line, its items by single line breaks;
//   - the result is trimmed, whitespace-only lines are emptied and there is
//     never more than one blank line in a row.
func htmlText(src string) (body, title, h1 string, err error) {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return "", "", "", fmt.Errorf("cannot parse HTML: %w", err)
	}
	body, title, h1 = pageText(doc)
	return body, title, h1, nil
}

// pageText is htmlText on a parsed document.
func pageText(doc *html.Node) (body, title, h1 string) {
	if t := findElem(doc, atom.Title); t != nil {
		title = textContent(t)
	}
	body, h1 = nodeText(doc, nil)
	return body, collapse(title), h1
}

// nodeText is the visible text of n and its descendants, by htmlText's
// rules, and the text of the first <h1> in it. Elements for which skip
// returns true are left out with everything in them.
func nodeText(n *html.Node, skip func(*html.Node) bool) (body, h1 string) {
	w := &htmlWalker{skip: skip}
	w.walk(n)
	return cleanBlankLines(w.sb.String()), collapse(w.h1)
}

type listCtx struct {
	ordered bool
	next    int
}

type htmlWalker struct {
	sb       strings.Builder
	newlines int  // line breaks owed before the next text (0..2)
	space    bool // a collapsed space owed before the next text
	tab      bool // a cell separator owed before the next text
	prefix   string
	pre      int
	lists    []listCtx

	h1           string
	h1Done, inH1 bool
	cellsInRow   int
	skip         func(*html.Node) bool // elements left out (nil: none)
}

var blockElems = map[atom.Atom]int{
	atom.Address: 2, atom.Article: 2, atom.Aside: 2, atom.Blockquote: 2,
	atom.Center: 2, atom.Details: 2, atom.Dialog: 2, atom.Div: 2, atom.Dl: 2,
	atom.Fieldset: 2, atom.Figcaption: 2, atom.Figure: 2, atom.Footer: 2,
	atom.Form: 2, atom.H1: 2, atom.H2: 2, atom.H3: 2, atom.H4: 2, atom.H5: 2,
	atom.H6: 2, atom.Header: 2, atom.Hgroup: 2, atom.Hr: 2, atom.Main: 2,
	atom.Nav: 2, atom.P: 2, atom.Pre: 2, atom.Section: 2, atom.Table: 2,
	atom.Caption: 1, atom.Summary: 1, atom.Legend: 1, atom.Dt: 1, atom.Dd: 1,
	atom.Tr: 1, atom.Body: 2, atom.Html: 2,
}

var hiddenElems = map[atom.Atom]bool{
	atom.Head: true, atom.Script: true, atom.Style: true, atom.Noscript: true,
	atom.Template: true, atom.Svg: true, atom.Math: true, atom.Iframe: true,
	atom.Object: true, atom.Embed: true, atom.Canvas: true, atom.Audio: true,
	atom.Video: true, atom.Datalist: true, atom.Select: true, atom.Textarea: true,
}

const htmlSpace = " \t\n\f\r"

func (w *htmlWalker) breakLines(n int) {
	if n > w.newlines {
		w.newlines = n
	}
	w.space, w.tab = false, false
}

func (w *htmlWalker) flush() {
	if w.sb.Len() > 0 {
		switch {
		case w.newlines > 0:
			w.sb.WriteString("\n\n"[:w.newlines])
		case w.tab:
			w.sb.WriteByte('\t')
		case w.space:
			w.sb.WriteByte(' ')
		}
	}
	w.newlines, w.space, w.tab = 0, false, false
	if w.prefix != "" {
		w.sb.WriteString(w.prefix)
		w.prefix = ""
	}
}

func (w *htmlWalker) text(s string) {
	if w.inH1 {
		w.h1 += s
	}
	if w.pre > 0 {
		if s != "" {
			w.flush()
			w.sb.WriteString(s)
		}
		return
	}
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && strings.IndexByte(htmlSpace, s[j]) >= 0 {
			j++
		}
		if j > i {
			w.space = true
		}
		k := j
		for k < len(s) && strings.IndexByte(htmlSpace, s[k]) < 0 {
			k++
		}
		if k > j {
			w.flush()
			w.sb.WriteString(s[j:k])
		}
		i = k
	}
}

func (w *htmlWalker) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.ElementNode:
	case html.DocumentNode:
		w.children(n)
		return
	default:
		return
	}
	if hiddenElems[n.DataAtom] || hasAttr(n, "hidden") || w.skip != nil && w.skip(n) {
		return
	}
	switch n.DataAtom {
	case atom.Br:
		if w.newlines < 2 && w.sb.Len() > 0 {
			w.newlines++
		}
		w.space, w.tab = false, false
		return
	case atom.Ul, atom.Ol, atom.Menu:
		lvl := 2
		if len(w.lists) > 0 {
			lvl = 1
		}
		w.breakLines(lvl)
		lc := listCtx{ordered: n.DataAtom == atom.Ol, next: 1}
		if v, err := strconv.Atoi(attr(n, "start")); err == nil {
			lc.next = v
		}
		w.lists = append(w.lists, lc)
		w.children(n)
		w.lists = w.lists[:len(w.lists)-1]
		w.breakLines(lvl)
		return
	case atom.Li:
		w.breakLines(1)
		w.prefix = w.listMarker(n)
		w.children(n)
		w.prefix = "" // an empty item leaves no marker behind
		w.breakLines(1)
		return
	case atom.Td, atom.Th:
		if w.cellsInRow > 0 {
			w.tab = true
			w.space = false
		}
		w.cellsInRow++
		w.children(n)
		return
	case atom.Tr:
		w.cellsInRow = 0
	}
	lvl := blockElems[n.DataAtom]
	if lvl > 0 {
		w.breakLines(lvl)
	}
	if n.DataAtom == atom.Pre {
		w.pre++
		defer func() { w.pre-- }()
	}
	if n.DataAtom == atom.H1 && !w.h1Done {
		w.h1Done = true
		w.inH1 = true
		w.children(n)
		w.inH1 = false
	} else {
		w.children(n)
	}
	if lvl > 0 {
		w.breakLines(lvl)
	}
}

func (w *htmlWalker) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
}

func (w *htmlWalker) listMarker(n *html.Node) string {
	if len(w.lists) == 0 {
		return "• "
	}
	depth := len(w.lists)
	lc := &w.lists[depth-1]
	indent := strings.Repeat("  ", depth-1)
	if !lc.ordered {
		switch depth {
		case 1:
			return indent + "• "
		case 2:
			return indent + "◦ "
		default:
			return indent + "▪ "
		}
	}
	if v, err := strconv.Atoi(attr(n, "value")); err == nil {
		lc.next = v
	}
	m := indent + strconv.Itoa(lc.next) + ". "
	lc.next++
	return m
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return strings.TrimSpace(a.Val)
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return true
		}
	}
	return false
}

// findElem returns the first element a in document order, outside svg and
// math (whose <title> is a tooltip).
func findElem(n *html.Node, a atom.Atom) *html.Node {
	if n.Type == html.ElementNode {
		if n.DataAtom == a {
			return n
		}
		if n.DataAtom == atom.Svg || n.DataAtom == atom.Math {
			return nil
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findElem(c, a); f != nil {
			return f
		}
	}
	return nil
}

// textContent is the text of n's visible descendants.
func textContent(n *html.Node) string {
	var sb strings.Builder
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			sb.WriteString(n.Data)
			return
		case html.ElementNode:
			if n.DataAtom != atom.Title && (hiddenElems[n.DataAtom] || hasAttr(n, "hidden")) {
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(n)
	return sb.String()
}

func collapse(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return strings.ContainsRune(htmlSpace, r)
	}), " ")
}

var (
	blankLineRE = regexp.MustCompile(`(?m)^[ \t\f]+$`)
	manyNLRE    = regexp.MustCompile(`\n{3,}`)
)

func cleanBlankLines(s string) string {
	s = blankLineRE.ReplaceAllString(s, "")
	s = manyNLRE.ReplaceAllString(s, "\n\n")
	return strings.TrimSpace(s)
}
