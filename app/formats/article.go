// Package formats reads article files into plain text for annotation,
// reads annotation files of other tools (ReadRecords) and writes annotated
// documents out (NewExporter): spans, and where a format has a place for
// them (Table: Format.Suggestions, Relations, Attributes) suggestions,
// relations between spans and attribute values, every one it cannot hold
// counted.
//
// Every offset in Gloss is a Unicode code point offset, end exclusive, into
// the document text exactly as stored (Python str indexing). The readers
// here decide what that stored text is: they normalise line endings once, at
// import, so offsets never have to account for CRLF later.
package formats

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxArticleBytes is the largest article file Gloss imports: 50 MiB on disk.
// The text of one article is held in memory several times over (the store,
// the editor's rune slice, the offset tables), and no real article comes
// close; anything bigger is almost certainly the wrong file.
const MaxArticleBytes = 50 << 20

// maxTitleRunes is the longest title derived from a document, ellipsis
// included.
const maxTitleRunes = 200

// Article formats, as stored in Article.Format.
const (
	FormatText     = "text"
	FormatMarkdown = "markdown"
	FormatHTML     = "html"
)

// Article is one imported article: its title, the text spans will point
// into, the file's base name and its format (FormatText, FormatMarkdown or
// FormatHTML).
//
// An HTML file also gives what the page says about the article, each ""
// when it says nothing: Byline (the author line: "Helen Achterberg", "By
// Priya Menon — Sunday 12 October"), Published (when it was published, as
// the page writes it, usually ISO 8601: "2025-03-14T09:30:00Z",
// "2025-05-21") and SiteName ("The Wendmouth Courier"). Whole is true when
// Text is the whole page's visible text rather than its article: HTMLPage
// was asked for, or the reader view found no article or could not read
// the page, in which case Note says so for the analyst (NoteNoArticle,
// NoteTooComplex). Text and Markdown files leave all five empty.
type Article struct {
	Title    string
	Text     string
	FileName string
	Format   string

	Byline    string
	Published string
	SiteName  string
	Whole     bool
	Note      string
}

// ArticleOptions are the choices an import of an article file makes.
type ArticleOptions struct {
	// HTML is how an HTML file is read: HTMLArticle (also "", the
	// default), the article as a reader view shows it, or HTMLPage, the
	// whole page.
	HTML string
}

// ReadArticle reads and parses the file at path. See ParseArticle for the
// rules; errors start with path.
func ReadArticle(path string) (Article, error) {
	return ReadArticleWith(path, ArticleOptions{})
}

// ReadArticleWith is ReadArticle with options (see ParseArticleWith).
func ReadArticleWith(path string, opts ArticleOptions) (Article, error) {
	if err := opts.check(path); err != nil {
		return Article{}, err
	}
	f, err := os.Open(path)
	if err != nil {
		return Article{}, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Article{}, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	if st.IsDir() {
		return Article{}, fmt.Errorf("%s: is a folder, not an article file", path)
	}
	if st.Size() > MaxArticleBytes {
		return Article{}, tooLarge(path, st.Size())
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxArticleBytes+1))
	if err != nil {
		return Article{}, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	return parse(path, data, opts)
}

func (o ArticleOptions) check(name string) error {
	switch o.HTML {
	case "", HTMLArticle, HTMLPage:
		return nil
	}
	return fmt.Errorf("%s: unknown way to read HTML %q (want %s)", name, o.HTML, strings.Join(HTMLModes, " or "))
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func tooLarge(name string, size int64) error {
	return fmt.Errorf("%s: file is too large (%.1f MiB; the limit is %d MiB)",
		name, float64(size)/(1<<20), MaxArticleBytes>>20)
}

// ParseArticle turns the bytes of a file called name into an Article.
//
//   - The format comes from the extension: .txt is text, .md and .markdown
//     are Markdown, .html, .htm and .xhtml are HTML; any other extension is
//     sniffed (HTML markup, a leading "# " heading for Markdown, else text).
//   - Text must be UTF-8. A UTF-8 byte order mark is removed. A file with a
//     UTF-16 (LE or BE) byte order mark is decoded to UTF-8. Invalid UTF-8 is
//     an error naming the line and byte column (both 1-based) of the first
//     bad byte.
//   - Files with NUL bytes, well-known binary signatures or many control
//     characters are refused as binary; empty or whitespace-only files (or
//     HTML without visible text) are refused as empty; files over
//     MaxArticleBytes are refused.
//   - CRLF and lone CR become LF. Markdown and text are otherwise kept as
//     written; HTML is reduced to its article, as a reader view shows it:
//     the headline, then the main text, with the site's menus, banners,
//     share buttons, asides, related stories, newsletter boxes and footer
//     left out; the byline, publication date and site name go to the
//     Article's fields of those names. A page with no article (a list of
//     links) is imported whole, saying so in Article.Whole and Note. The
//     text is made by htmlText's rules (paragraphs separated by a blank
//     line, lists, tables, <pre>) from the whole page or the article.
//   - The title is an HTML article's headline (the <h1> the page shows, or
//     else its og:title or JSON-LD headline or <title> without the site's
//     name), a whole HTML page's <title> or first <h1>, the Markdown first
//     "# " heading, or else the first non-empty line, trimmed and cut to
//     200 runes with an ellipsis.
//
// Every error starts with name. ParseArticle is ParseArticleWith with the
// default options.
func ParseArticle(name string, data []byte) (Article, error) {
	return parse(name, data, ArticleOptions{})
}

// ParseArticleWith is ParseArticle with options: ArticleOptions.HTML
// HTMLPage imports an HTML file as its whole page (title: its <title>,
// else its first <h1>) instead of its article. An unknown HTML value is an
// error starting with name.
func ParseArticleWith(name string, data []byte, opts ArticleOptions) (Article, error) {
	if err := opts.check(name); err != nil {
		return Article{}, err
	}
	return parse(name, data, opts)
}

func parse(name string, data []byte, opts ArticleOptions) (Article, error) {
	if len(data) > MaxArticleBytes {
		return Article{}, tooLarge(name, int64(len(data)))
	}
	base := filepath.Base(name)
	text, err := decode(name, data)
	if err != nil {
		return Article{}, err
	}
	text = normalizeNewlines(text)
	if strings.TrimSpace(text) == "" {
		return Article{}, fmt.Errorf("%s: empty file", name)
	}
	a := Article{FileName: base, Format: formatOf(base, text)}
	switch a.Format {
	case FormatHTML:
		h, err := readHTML(text, opts.HTML)
		if err != nil {
			return Article{}, fmt.Errorf("%s: %w", name, err)
		}
		if strings.TrimSpace(h.text) == "" {
			return Article{}, fmt.Errorf("%s: empty file (the HTML has no visible text)", name)
		}
		a.Text, a.Title = h.text, h.title
		a.Byline, a.Published, a.SiteName = h.byline, h.published, h.siteName
		a.Whole, a.Note = h.whole, h.note
	case FormatMarkdown:
		a.Text = text
		if h := markdownTitle(text); h != "" {
			a.Title = h
		} else {
			a.Title = headline(text)
		}
	default:
		a.Text = text
		a.Title = headline(text)
	}
	a.Title = truncateTitle(a.Title)
	return a, nil
}

// decode checks for binary content and returns the file as valid UTF-8
// without a byte order mark.
func decode(name string, data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeUTF16(name, data[2:], false)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeUTF16(name, data[2:], true)
	}
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	if looksBinary(data) {
		return "", fmt.Errorf("%s: looks like a binary file", name)
	}
	if !utf8.Valid(data) {
		line, col, b := firstInvalid(data)
		return "", fmt.Errorf("%s: not valid UTF-8 at line %d, column %d (byte 0x%02X); Gloss reads UTF-8 text only: save the file as UTF-8 and import it again",
			name, line, col, b)
	}
	return string(data), nil
}

func decodeUTF16(name string, data []byte, bigEndian bool) (string, error) {
	if len(data)%2 != 0 {
		return "", fmt.Errorf("%s: broken UTF-16 file (odd number of bytes)", name)
	}
	units := make([]uint16, len(data)/2)
	for i := range units {
		if bigEndian {
			units[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
		} else {
			units[i] = uint16(data[2*i+1])<<8 | uint16(data[2*i])
		}
	}
	var sb strings.Builder
	sb.Grow(len(units))
	line := 1
	for i := 0; i < len(units); i++ {
		u := units[i]
		switch {
		case u == 0:
			return "", fmt.Errorf("%s: looks like a binary file", name)
		case utf16.IsSurrogate(rune(u)):
			if u < 0xDC00 && i+1 < len(units) && units[i+1] >= 0xDC00 && units[i+1] <= 0xDFFF {
				sb.WriteRune(utf16.DecodeRune(rune(u), rune(units[i+1])))
				i++
				continue
			}
			return "", fmt.Errorf("%s: broken UTF-16 at line %d (unpaired surrogate 0x%04X)", name, line, u)
		}
		if u == '\n' {
			line++
		}
		sb.WriteRune(rune(u))
	}
	s := sb.String()
	if looksBinary([]byte(s)) {
		return "", fmt.Errorf("%s: looks like a binary file", name)
	}
	return s, nil
}

var binarySignatures = [][]byte{
	[]byte("%PDF-"),
	[]byte("PK\x03\x04"),
	[]byte("\x89PNG"),
	[]byte("\x1f\x8b"),
	[]byte("GIF87a"),
	[]byte("GIF89a"),
	[]byte("\xff\xd8\xff"),
	[]byte("\x7fELF"),
	[]byte("MZ\x90\x00"),
	[]byte("SQLite format 3\x00"),
	[]byte("\xd0\xcf\x11\xe0"), // old MS Office
}

// looksBinary reports NUL bytes anywhere, a known binary signature, or more
// than 1% control characters (other than tab, LF, CR, FF, VT) in the first
// 8 KiB.
func looksBinary(data []byte) bool {
	if bytes.IndexByte(data, 0) >= 0 {
		return true
	}
	for _, sig := range binarySignatures {
		if bytes.HasPrefix(data, sig) {
			return true
		}
	}
	head := data[:min(len(data), 8<<10)]
	ctrl := 0
	for _, b := range head {
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != '\v' || b == 0x7f {
			ctrl++
		}
	}
	return ctrl > 0 && ctrl*100 > len(head)
}

// firstInvalid returns the 1-based line and byte column of the first byte
// that is not valid UTF-8, and that byte.
func firstInvalid(data []byte) (line, col int, b byte) {
	line, lineStart := 1, 0
	for i := 0; i < len(data); {
		c := data[i]
		if c == '\n' || c == '\r' && (i+1 == len(data) || data[i+1] != '\n') {
			line++
			lineStart = i + 1
		}
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return line, i - lineStart + 1, c
		}
		i += size
	}
	return line, len(data) - lineStart + 1, 0
}

// normalizeNewlines turns CRLF and lone CR into LF.
func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

func formatOf(base, text string) string {
	switch strings.ToLower(filepath.Ext(base)) {
	case ".txt", ".text":
		return FormatText
	case ".md", ".markdown":
		return FormatMarkdown
	case ".html", ".htm", ".xhtml":
		return FormatHTML
	}
	return sniff(text)
}

func sniff(text string) string {
	head := strings.ToLower(strings.TrimLeftFunc(text[:min(len(text), 4096)], unicode.IsSpace))
	if strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") {
		return FormatHTML
	}
	if strings.HasPrefix(head, "<") {
		for _, tag := range []string{"<body", "<p>", "<p ", "<div", "<h1", "<br", "<article"} {
			if strings.Contains(head, tag) {
				return FormatHTML
			}
		}
	}
	if strings.HasPrefix(head, "# ") {
		return FormatMarkdown
	}
	return FormatText
}

// headline is a plain article's title: its first non-empty line, unless
// that line is plainly a site or section name over the headline (text
// copied from a news page: "Expatica news", then the headline). That is
// the case when the first line is short (at most four words, no sentence
// punctuation), names a site or section (a word such as "news", "times",
// "politics", or a domain like "example.com"), and the next line is a
// longer title-like line (no full stop at its end). Otherwise, as for
// most articles, the first line is the headline.
func headline(text string) string {
	var lines []string
	for line := range strings.SplitSeq(text, "\n") {
		if l := strings.TrimSpace(line); l != "" {
			lines = append(lines, l)
			if len(lines) == 3 {
				break
			}
		}
	}
	switch {
	case len(lines) == 0:
		return ""
	case len(lines) < 3:
		return lines[0]
	}
	first, second := strings.Fields(lines[0]), strings.Fields(lines[1])
	siteLike := len(first) <= 4 && !strings.ContainsAny(lines[0], ".!?:;,") || domainLike(lines[0])
	if siteLike && namesSite(first) && len(second) > len(first) && titleLike(lines[1]) {
		return lines[1]
	}
	return lines[0]
}

// siteWords are words that name a news site or a section of one.
var siteWords = map[string]bool{
	"news": true, "times": true, "post": true, "daily": true, "herald": true, "tribune": true,
	"journal": true, "today": true, "online": true, "magazine": true, "weekly": true, "gazette": true,
	"observer": true, "guardian": true, "telegraph": true, "express": true, "chronicle": true,
	"politics": true, "business": true, "world": true, "sport": true, "sports": true, "opinion": true,
	"culture": true, "science": true, "technology": true, "tech": true, "economy": true, "europe": true,
	"africa": true, "asia": true, "americas": true, "uk": true, "us": true, "home": true, "breaking": true,
	"latest": true, "live": true, "local": true, "national": true, "international": true,
}

func namesSite(words []string) bool {
	for _, w := range words {
		w = strings.ToLower(strings.Trim(w, "|·•–—-"))
		if siteWords[w] || domainLike(w) {
			return true
		}
	}
	return false
}

// domainLike is "example.com", "www.example.org", "news.example.co.uk".
func domainLike(s string) bool {
	s = strings.ToLower(s)
	for _, tld := range []string{".com", ".org", ".net", ".co.uk", ".de", ".fr", ".eu", ".info", ".news"} {
		if strings.HasSuffix(s, tld) && !strings.Contains(s, " ") && len(s) > len(tld) {
			return true
		}
	}
	return false
}

// titleLike is a line that reads as a headline: not a sentence of body
// text (no full stop at its end) and not too long.
func titleLike(l string) bool {
	return utf8.RuneCountInString(l) <= 160 && !strings.HasSuffix(l, ".")
}

// firstLine returns the first non-empty line, trimmed.
func firstLine(text string) string {
	for line := range strings.SplitSeq(text, "\n") {
		if l := strings.TrimSpace(line); l != "" {
			return l
		}
	}
	return ""
}

// markdownTitle returns the text of the first level-one ATX heading
// ("# Title", optional closing #s removed), ignoring fenced code blocks.
func markdownTitle(text string) string {
	fence := ""
	for line := range strings.SplitSeq(text, "\n") {
		t := strings.TrimLeft(line, " ")
		if len(line)-len(t) > 3 {
			continue // indented code
		}
		if fence != "" {
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			continue
		}
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = t[:3]
			continue
		}
		if t == "#" || strings.HasPrefix(t, "# ") || strings.HasPrefix(t, "#\t") {
			h := strings.TrimSpace(t[1:])
			// A closing sequence of #s preceded by a space is not content.
			if trimmed := strings.TrimRight(h, "#"); trimmed != h && (trimmed == "" || strings.HasSuffix(trimmed, " ")) {
				h = strings.TrimSpace(trimmed)
			}
			if h != "" {
				return h
			}
		}
	}
	return ""
}

// truncateTitle collapses whitespace and cuts the title to maxTitleRunes
// runes, ellipsis included, preferring a word boundary.
func truncateTitle(t string) string {
	t = strings.Join(strings.Fields(t), " ")
	if utf8.RuneCountInString(t) <= maxTitleRunes {
		return t
	}
	r := []rune(t)[:maxTitleRunes-1]
	cut := len(r)
	for i := len(r) - 1; i > maxTitleRunes*3/4; i-- {
		if unicode.IsSpace(r[i]) {
			cut = i
			break
		}
	}
	return strings.TrimRightFunc(string(r[:cut]), func(c rune) bool {
		return unicode.IsSpace(c) || unicode.IsPunct(c) && c != '?' && c != '!' && c != ')' && c != '”' && c != '"'
	}) + "…"
}
