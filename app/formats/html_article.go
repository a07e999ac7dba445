package formats

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// How an HTML file is imported (ArticleOptions.HTML).
const (
	// HTMLArticle imports the article as a reader view shows it: the main
	// text, its headline first, without the site's menus, banners, share
	// buttons, asides and footer. A page in which no article is found is
	// imported whole (Article.Whole, Article.Note say so). The default.
	HTMLArticle = "article"
	// HTMLPage imports the whole page's visible text, as Gloss did before
	// it had a reader view.
	HTMLPage = "page"
)

// HTMLModes are the values ArticleOptions.HTML takes, the default first:
// for the command line's --html and the import dialog's choice.
var HTMLModes = []string{HTMLArticle, HTMLPage}

// NoteNoArticle is Article.Note when an HTML file was read for its article
// but none was found in it, so the whole page was imported.
const NoteNoArticle = "no article found in the page (no main text): the whole page was imported"

// NoteTooComplex is Article.Note when an HTML file was read for its
// article but the page is too large or too deeply nested for the reader
// view (readerWork), so the whole page was imported.
const NoteTooComplex = "the page is too large or too deeply nested for the reader view: the whole page was imported"

// maxReaderWork bounds the reader view's work on one page. Readability
// measures the text under each element several times over, so its time
// grows with each character of text times the number of elements around
// it (readerWork): about 20 ns per unit, so this is a few seconds — a
// 20 MiB news page is well under it, 5 MiB of text nested 500 deep is not.
const maxReaderWork = 250_000_000

// minArticleLetters is how much text outside links an extracted article
// must have, when Readability's own test (isProbablyReaderable, the one
// Firefox uses to offer Reader View) says the page has no article, for it
// to count as one all the same: a short story in short paragraphs.
const minArticleLetters = 400

// htmlDoc is what an HTML file gives an Article.
type htmlDoc struct {
	text, title                 string
	byline, published, siteName string
	whole                       bool
	note                        string
}

// readHTML reads an HTML document in the given mode (HTMLArticle or
// HTMLPage). The text of either mode is made by the same walker (htmlText's
// rules), so paragraphs, lists, tables and <pre> come out alike; the reader
// view only chooses which part of the page it walks.
func readHTML(src, mode string) (htmlDoc, error) {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return htmlDoc{}, fmt.Errorf("cannot parse HTML: %w", err)
	}
	var rv reader
	tooComplex := readerWork(doc, 0) > maxReaderWork
	if !tooComplex {
		rv = readerView(doc)
	}
	out := htmlDoc{byline: rv.byline, siteName: rv.siteName}
	headline := findHeadline(doc, rv.title)
	out.published = publishedDate(doc, headline)
	if mode != HTMLPage {
		if text, title, ok := rv.article(headline); ok {
			out.text, out.title = text, title
			return out, nil
		}
		out.note = NoteNoArticle
		if tooComplex {
			out.note = NoteTooComplex
		}
	}
	body, title, h1 := pageText(doc)
	out.text, out.whole = body, true
	switch {
	case title != "":
		out.title = title
	case h1 != "":
		out.title = h1
	default:
		out.title = firstLine(body)
	}
	return out, nil
}

// readerWork is the sum, over the text of the page, of each character's
// depth in the tree: what Readability's time grows with.
func readerWork(n *html.Node, depth int) int {
	if n.Type == html.TextNode {
		return len(n.Data) * depth
	}
	w := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w += readerWork(c, depth+1)
		if w > maxReaderWork {
			break
		}
	}
	return w
}

// reader is what Readability made of a page.
type reader struct {
	node       *html.Node // the article's content, cleaned; nil: none
	readerable bool       // Readability's isProbablyReaderable
	title      string     // JSON-LD headline, og:title, or <title> without the site's name
	byline     string
	siteName   string
}

// readerView runs Readability on a copy of doc. A panic inside it (it is a
// heuristic library fed whatever a browser saved) counts as no article.
func readerView(doc *html.Node) (r reader) {
	defer func() {
		if recover() != nil {
			r = reader{}
		}
	}()
	p := readability.NewParser()
	r.readerable = p.CheckDocument(doc)
	p.KeepClasses = true // articleBoilerplate reads them
	a, err := p.ParseDocument(doc, nil)
	if err != nil {
		return reader{}
	}
	r.node = a.Node
	r.title = collapse(a.Title())
	r.byline = collapse(a.Byline())
	r.siteName = collapse(a.SiteName())
	return r
}

// article is the reader view's text and title, ok false when the page has
// no article: Readability found no content, or its content is empty once
// the boilerplate is left out, or the page has no paragraphs of body text
// (Readability's isProbablyReaderable) and what was found has fewer than
// minArticleLetters letters outside links.
//
// The text starts with the headline (Readability drops the heading that
// repeats the title from its content; Gloss keeps it, as a reader view
// shows it above the article and analysts annotate it), then the content.
// The title is that headline as the page shows it, else Readability's
// title, else the first line.
func (r reader) article(headline string) (text, title string, ok bool) {
	if r.node == nil {
		return "", "", false
	}
	skip := boilerplateSkipper(r.node)
	body, _ := nodeText(r.node, skip)
	if body == "" || !r.readerable && lettersOutsideLinks(r.node, skip) < minArticleLetters {
		return "", "", false
	}
	if headline != "" && firstParagraph(body) != headline {
		body = headline + "\n\n" + body
	}
	switch {
	case headline != "":
		title = headline
	case r.title != "":
		title = r.title
	default:
		title = firstLine(body)
	}
	return body, title, true
}

func firstParagraph(text string) string {
	p, _, _ := strings.Cut(text, "\n\n")
	return p
}

// boilerplateSkipper returns the elements of the extracted content that
// are left out of its text: what Readability keeps but a reader does not
// read as the article (articleBoilerplate), unless that element holds half
// the content's text or more — then the match was a wrong guess (an
// article with class "category-social").
func boilerplateSkipper(root *html.Node) func(*html.Node) bool {
	total := -1
	return func(n *html.Node) bool {
		if n == root || !articleBoilerplate(n) {
			return false
		}
		if total < 0 {
			total = visibleLetters(root)
		}
		return visibleLetters(n)*2 < total
	}
}

// boilerplateWords are the words of class and id names (split at '-' and
// '_') that mark an element as no part of the article: cookie and consent
// banners, share buttons, newsletter boxes, related and most-read stories,
// advertisements, comments, tag lists, an article's footer.
var boilerplateWords = map[string]bool{
	"cookie": true, "cookies": true, "consent": true, "gdpr": true,
	"share": true, "sharing": true, "sharebar": true, "social": true,
	"newsletter": true, "newsletters": true, "signup": true, "subscribe": true, "paywall": true,
	"related": true, "promo": true, "promotion": true, "outbrain": true, "taboola": true,
	"ad": true, "ads": true, "advert": true, "adverts": true, "advertisement": true, "adslot": true,
	"sponsor": true, "sponsored": true, "comments": true, "comment": true,
	"tags": true, "breadcrumb": true, "breadcrumbs": true, "toc": true, "readmore": true,
	"footer": true,
}

// articleBoilerplate is an element of Readability's content that is not
// article text: navigation, asides, footers, forms and buttons, elements
// whose ARIA role is navigation, a banner, a dialog or the like, bylines
// (they are metadata: Article.Byline), elements whose class or id says
// they are boilerplate (boilerplateWords; "read more", "most read"),
// lists of links to places in the page (a table of contents), and
// paragraphs that are a label and a link ("Read more: …", "À lire aussi :
// …": labelledLink).
func articleBoilerplate(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Nav, atom.Aside, atom.Footer, atom.Form, atom.Button, atom.Dialog:
		return true
	case atom.Ul, atom.Ol:
		if inPageLinks(n, 2) {
			return true
		}
	case atom.P, atom.Div:
		if labelledLink(n) {
			return true
		}
	}
	switch strings.ToLower(attr(n, "role")) {
	case "navigation", "menu", "menubar", "complementary", "contentinfo", "banner",
		"search", "dialog", "alertdialog", "alert":
		return true
	}
	byline := attr(n, "rel") == "author" || strings.Contains(strings.ToLower(attr(n, "itemprop")), "author")
	var words []string
	for _, name := range strings.Fields(strings.ToLower(attr(n, "class") + " " + attr(n, "id"))) {
		words = append(words, strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' })...)
	}
	for i, w := range words {
		next := ""
		if i+1 < len(words) {
			next = words[i+1]
		}
		switch {
		case boilerplateWords[w],
			w == "read" && next == "more", w == "most" && (next == "read" || next == "popular"):
			return true
		case w == "byline" || w == "dateline" || w == "author" || w == "writtenby":
			byline = true
		}
	}
	// A byline is short: a longer "author" element is an author's note or
	// a biography, which Readability judged part of the article.
	return byline && visibleLetters(n) < 100
}

// labelRE is the text of a promotional paragraph outside its links: a
// short label ending in a colon, an arrow or a dash ("Read more:",
// "RELATED »", "À lire aussi :"), with no sentence in it.
var labelRE = regexp.MustCompile(`^[^.!?]{1,40}[:：»›|–—-]$`)

// labelledLink is a short paragraph (at most 250 characters) made of a label
// (labelRE) and links: a link to another story set in the article. "See
// <a>the report</a>." is not one: its text outside the link is not a
// label.
func labelledLink(n *html.Node) bool {
	var outside strings.Builder
	links, size := 0, 0
	var rec func(*html.Node) bool
	rec = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				outside.WriteString(c.Data)
				size += utf8.RuneCountInString(c.Data)
			case html.ElementNode:
				switch {
				case hiddenElems[c.DataAtom] || hasAttr(c, "hidden"):
				case blockElems[c.DataAtom] > 0, c.DataAtom == atom.Ul, c.DataAtom == atom.Ol, c.DataAtom == atom.Li:
					return false // a container, not a paragraph
				case c.DataAtom == atom.A:
					links++
					size += visibleLetters(c)
				case !rec(c):
					return false
				}
			}
			if size > 250 {
				return false
			}
		}
		return true
	}
	if !rec(n) || links == 0 {
		return false
	}
	return labelRE.MatchString(collapse(outside.String()))
}

// inPageLinks is a list (of at least min items) each of whose items is
// only links to places in the same page (href="#..."), possibly with a
// nested list of the same kind: a table of contents.
func inPageLinks(list *html.Node, min int) bool {
	items := 0
	for c := list.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.ElementNode && c.DataAtom == atom.Li:
			if links, ok := onlyInPageLinks(c); !ok || links == 0 {
				return false
			}
			items++
		case c.Type == html.ElementNode, c.Type == html.TextNode && strings.Trim(c.Data, htmlSpace) != "":
			return false
		}
	}
	return items >= min
}

func onlyInPageLinks(n *html.Node) (links int, ok bool) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			if strings.Trim(c.Data, htmlSpace) != "" {
				return 0, false
			}
		case html.ElementNode:
			switch c.DataAtom {
			case atom.A:
				if !strings.HasPrefix(attr(c, "href"), "#") {
					return 0, false
				}
				links++
			case atom.Ul, atom.Ol:
				if !inPageLinks(c, 1) {
					return 0, false
				}
			case atom.Span, atom.Strong, atom.B, atom.Em, atom.I, atom.Small, atom.Br:
				l, ok := onlyInPageLinks(c)
				if !ok {
					return 0, false
				}
				links += l
			default:
				return 0, false
			}
		}
	}
	return links, true
}

// visibleLetters counts the non-space characters of n's visible text.
func visibleLetters(n *html.Node) int {
	return countLetters(n, false, nil)
}

// lettersOutsideLinks counts the non-space characters of n's visible text
// that are not in a link, leaving out what skip leaves out.
func lettersOutsideLinks(n *html.Node, skip func(*html.Node) bool) int {
	return countLetters(n, true, skip)
}

func countLetters(n *html.Node, noLinks bool, skip func(*html.Node) bool) int {
	switch n.Type {
	case html.TextNode:
		c := 0
		for _, r := range n.Data {
			if !unicode.IsSpace(r) {
				c++
			}
		}
		return c
	case html.ElementNode:
		if hiddenElems[n.DataAtom] || hasAttr(n, "hidden") || noLinks && n.DataAtom == atom.A ||
			skip != nil && skip(n) {
			return 0
		}
	}
	c := 0
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		c += countLetters(k, noLinks, skip)
	}
	return c
}

// findHeadline is the article's headline as the page shows it: the text of
// a visible <h1> or <h2> that says what the title says — Readability's
// test for the heading that duplicates the title: more than 75% of the
// heading's words are in the title. Of those, the one that covers most of
// the title wins (the headline, not a site-name <h1> when the title still
// ends in the site's name), then an <h1> before an <h2>, then the first.
// "" when title is "" or no heading matches.
func findHeadline(doc *html.Node, title string) string {
	if title == "" {
		return ""
	}
	best, bestCover, bestH1 := "", 0.0, false
	eachElem(doc, func(n *html.Node) bool {
		if n.DataAtom != atom.H1 && n.DataAtom != atom.H2 {
			return true
		}
		h, _ := nodeText(n, nil)
		if h == "" || strings.Contains(h, "\n") || textSimilarity(title, h) <= 0.75 {
			return false
		}
		cover, h1 := textSimilarity(h, title), n.DataAtom == atom.H1
		if best == "" || cover > bestCover || cover == bestCover && h1 && !bestH1 {
			best, bestCover, bestH1 = h, cover, h1
		}
		return false
	})
	return best
}

// eachElem calls f on the visible elements under n in document order; f
// returns whether to descend into the element.
func eachElem(n *html.Node, f func(*html.Node) bool) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if hiddenElems[c.DataAtom] || hasAttr(c, "hidden") {
			continue
		}
		if f(c) {
			eachElem(c, f)
		}
	}
}

// textSimilarity is Readability's: the share of b's text (by characters
// of its words) made of words that are also in a, ignoring case.
func textSimilarity(a, b string) float64 {
	words := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_'
		})
	}
	inA := map[string]bool{}
	for _, w := range words(a) {
		inA[w] = true
	}
	wb := words(b)
	if len(inA) == 0 || len(wb) == 0 {
		return 0
	}
	var unique []string
	for _, w := range wb {
		if !inA[w] {
			unique = append(unique, w)
		}
	}
	return 1 - float64(utf8.RuneCountInString(strings.Join(unique, " ")))/float64(utf8.RuneCountInString(strings.Join(wb, " ")))
}

// publishedMeta are the <meta> names and properties that give an
// article's publication time, most trusted first.
var publishedMeta = []string{
	"article:published_time", "og:article:published_time", "og:published_time", "datepublished",
	"parsely-pub-date", "sailthru.date", "pubdate", "publishdate", "publish-date", "publish_date",
	"dcterms.issued", "dc.date.issued", "dcterms.created", "dc.date.created", "dcterms.date", "dc.date",
}

// publishedDate is when the article says it was published, as the page
// writes it (usually ISO 8601: "2025-03-14T09:30:00Z", "2025-05-21"): the
// datePublished of a JSON-LD article, else a <meta> of publishedMeta, else
// an element with itemprop="datePublished", else the first <time> of the
// headline's <article> (or, without one, after the headline). "" when the
// page says nothing.
func publishedDate(doc *html.Node, headline string) string {
	if d := jsonLDPublished(doc); d != "" {
		return d
	}
	best, bestRank := "", len(publishedMeta)
	var itemprop string
	eachNode(doc, func(n *html.Node) {
		if n.DataAtom == atom.Meta {
			v := collapse(attr(n, "content"))
			if v == "" {
				return
			}
			for _, key := range []string{"property", "name", "itemprop"} {
				k := strings.ToLower(attr(n, key))
				for i, m := range publishedMeta {
					if k == m && i < bestRank {
						best, bestRank = v, i
					}
				}
			}
			return
		}
		if itemprop == "" && strings.EqualFold(attr(n, "itemprop"), "datePublished") {
			itemprop = firstNonEmpty(attr(n, "datetime"), attr(n, "content"), collapse(textContent(n)))
		}
	})
	switch {
	case best != "":
		return best
	case itemprop != "":
		return itemprop
	case headline == "":
		return ""
	}
	// The first <time> with the headline: in the <article> that holds the
	// headline, else anywhere after it, outside navigation, asides and
	// footers.
	var scope *html.Node
	var seenHeadline bool
	eachElem(doc, func(n *html.Node) bool {
		if seenHeadline {
			return false
		}
		if (n.DataAtom == atom.H1 || n.DataAtom == atom.H2) && !seenHeadline {
			if h, _ := nodeText(n, nil); h == headline {
				seenHeadline = true
				for p := n.Parent; p != nil; p = p.Parent {
					if p.Type == html.ElementNode && p.DataAtom == atom.Article {
						scope = p
						break
					}
				}
			}
			return false
		}
		return true
	})
	if !seenHeadline {
		return ""
	}
	var found string
	after := scope == nil
	if scope == nil {
		scope = doc
	}
	seenHeadline = false
	eachElem(scope, func(n *html.Node) bool {
		if found != "" {
			return false
		}
		switch n.DataAtom {
		case atom.Nav, atom.Aside, atom.Footer:
			return false
		case atom.H1, atom.H2:
			if h, _ := nodeText(n, nil); h == headline {
				seenHeadline = true
			}
			return false
		case atom.Time:
			if !after || seenHeadline {
				found = firstNonEmpty(attr(n, "datetime"), collapse(textContent(n)))
			}
			return false
		}
		return true
	})
	return found
}

// eachNode calls f on every element under n, hidden ones too (<meta> is).
func eachNode(n *html.Node, f func(*html.Node)) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			f(c)
		}
		eachNode(c, f)
	}
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// jsonLDPublished is the datePublished of the first article (a schema.org
// type ending in Article or Posting, or Report) in the page's JSON-LD.
func jsonLDPublished(doc *html.Node) string {
	var found string
	eachNode(doc, func(n *html.Node) {
		if found != "" || n.DataAtom != atom.Script || !strings.EqualFold(attr(n, "type"), "application/ld+json") {
			return
		}
		var v any
		var src strings.Builder
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				src.WriteString(c.Data)
			}
		}
		if json.Unmarshal([]byte(src.String()), &v) != nil {
			return
		}
		found = ldPublished(v, 0)
	})
	return found
}

func ldPublished(v any, depth int) string {
	if depth > 8 {
		return ""
	}
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			if d := ldPublished(e, depth+1); d != "" {
				return d
			}
		}
	case map[string]any:
		if d, ok := v["datePublished"].(string); ok && strings.TrimSpace(d) != "" && ldIsArticle(v["@type"]) {
			return strings.TrimSpace(d)
		}
		if g, ok := v["@graph"]; ok {
			return ldPublished(g, depth+1)
		}
	}
	return ""
}

func ldIsArticle(t any) bool {
	switch t := t.(type) {
	case string:
		return strings.HasSuffix(t, "Article") || strings.HasSuffix(t, "Posting") || t == "Report"
	case []any:
		for _, e := range t {
			if ldIsArticle(e) {
				return true
			}
		}
	}
	return false
}
