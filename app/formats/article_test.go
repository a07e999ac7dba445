package formats

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestReadArticle(t *testing.T) {
	cases := []struct {
		file, title, format, text string
	}{
		{"bom.txt", "Harbour plan “approved”", FormatText, "Harbour plan “approved”\nThe council voted 9–2.\n"},
		{"crlf.txt", "Council meets — again", FormatText, "Council meets — again\n\nMayor said: “We’ll build 280,000 homes.”\nEnd.\n"},
		{"lone-cr.txt", "First line", FormatText, "First line\nSecond line\n\nThird line\n"},
		{"utf16le.txt", "UTF-16 headline “quoted” 👍🏽", FormatText, "UTF-16 headline “quoted” 👍🏽\nBody text — here.\n"},
		{"utf16be.txt", "Big endian 🌍", FormatText, "Big endian 🌍\nsecond\n"},
		{"no-title.md", "Just a paragraph", FormatMarkdown, "Just a paragraph\nwith two lines.\n"},
		{"h1-only.htm", "Only heading", FormatHTML, "Only heading\n\nPara."},
		{"sniff.data", "Sniffed html", FormatHTML, "Sniffed html"},
		{"article.html", "City Festival & Parade", FormatHTML, "Lights on the river\n\n" +
			"The festival drew 12,000 visitors — a record, said “organisers”.\n\n" +
			"• Food stalls\n• Music\n  ◦ Jazz\n  ◦ Folk & roots\n\n" +
			"3. Third\n4. Fourth\n\n" +
			"Line one\nLine two\nLine three\n\n" +
			"  keep   this\n    spacing\n\n" +
			"Day\tVisitors\nSat\t7,000\n\n" +
			"Quoted block.\n\n" +
			"Café <open> 👍🏽 \u00a0end"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			a, err := ReadArticle(filepath.Join("testdata", c.file))
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != c.title || a.Format != c.format || a.FileName != c.file {
				t.Errorf("got title %q format %q file %q; want %q %q %q", a.Title, a.Format, a.FileName, c.title, c.format, c.file)
			}
			if a.Text != c.text {
				t.Errorf("text:\n got %q\nwant %q", a.Text, c.text)
			}
			if strings.ContainsRune(a.Text, '\r') || strings.HasPrefix(a.Text, "\uFEFF") || !utf8.ValidString(a.Text) {
				t.Errorf("text not normalised: %q", a.Text)
			}
		})
	}
}

func TestMarkdownTitleAndText(t *testing.T) {
	data, err := os.ReadFile("testdata/title.md")
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseArticle("notes/title.md", data)
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Desk notes: “voices” 🌍" {
		t.Errorf("title %q", a.Title)
	}
	if a.Text != string(data) {
		t.Errorf("Markdown not kept as written")
	}
	if a.FileName != "title.md" || a.Format != FormatMarkdown {
		t.Errorf("file %q format %q", a.FileName, a.Format)
	}
	for in, want := range map[string]string{
		"# Plain":                    "Plain",
		"#   Spaced   out   #":       "Spaced   out",
		"## Second\n# First":         "First",
		"#hashtag\n# Real":           "Real",
		"    # indented code\n# Yes": "Yes",
		"# C# and F#":                "C# and F#",
		"~~~\n# fenced\n~~~\n# Out":  "Out",
		"#\n# After empty":           "After empty",
	} {
		if got := markdownTitle(in); got != want {
			t.Errorf("markdownTitle(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLongTitle(t *testing.T) {
	a, err := ReadArticle("testdata/long-line.txt")
	if err != nil {
		t.Fatal(err)
	}
	n := utf8.RuneCountInString(a.Title)
	if n > maxTitleRunes || n < maxTitleRunes*3/4 || !strings.HasSuffix(a.Title, "…") {
		t.Errorf("title (%d runes) %q", n, a.Title)
	}
	if !strings.HasPrefix(a.Title, "The committee heard evidence from witness after witness,") ||
		strings.HasSuffix(a.Title, ",…") || strings.HasSuffix(a.Title, " …") {
		t.Errorf("title not cut at a word: %q", a.Title)
	}
	long := strings.Repeat("ж", 500)
	if got := truncateTitle(long); utf8.RuneCountInString(got) != maxTitleRunes {
		t.Errorf("unbroken title cut to %d runes", utf8.RuneCountInString(got))
	}
	if got := truncateTitle("  short \t title  "); got != "short title" {
		t.Errorf("got %q", got)
	}
}

func TestReadArticleErrors(t *testing.T) {
	cases := []struct {
		file string
		want []string
	}{
		{"invalid-utf8.txt", []string{"testdata/invalid-utf8.txt: ", "UTF-8", "line 3", "column 19", "0xE9"}},
		{"binary.dat", []string{"testdata/binary.dat: looks like a binary file"}},
		{"binary.txt", []string{"testdata/binary.txt: looks like a binary file"}},
		{"pdf.txt", []string{"testdata/pdf.txt: looks like a binary file"}},
		{"empty.txt", []string{"testdata/empty.txt: empty file"}},
		{"whitespace.md", []string{"testdata/whitespace.md: empty file"}},
		{"no-text.html", []string{"testdata/no-text.html: empty file"}},
		{"missing.txt", []string{"testdata/missing.txt: ", "no such file"}},
		{".", []string{"testdata: is a folder"}},
	}
	for _, c := range cases {
		_, err := ReadArticle(filepath.Join("testdata", c.file))
		if err == nil {
			t.Errorf("%s: no error", c.file)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", c.file, err, w)
			}
		}
		if !strings.HasPrefix(err.Error(), filepath.Clean(filepath.Join("testdata", c.file))+":") {
			t.Errorf("%s: error does not start with the file name: %q", c.file, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name string
		data string
		want string
	}{
		{"a.txt", "ok\n\xff", "a.txt: not valid UTF-8 at line 2, column 1 (byte 0xFF)"},
		{"a.txt", "\xef\xbb\xbfab\xc3", "a.txt: not valid UTF-8 at line 1, column 3 (byte 0xC3)"},
		{"a.txt", "x\r\ny\rz \xe2\x80", "a.txt: not valid UTF-8 at line 3, column 3 (byte 0xE2)"},
		{"a.txt", "\xef\xbb\xbf", "a.txt: empty file"},
		{"a.txt", "\xff\xfe", "a.txt: empty file"},
		{"a.txt", "\xff\xfeA", "a.txt: broken UTF-16"},
		{"a.txt", "\xff\xfeA\x00\x00\xd8B\x00", "a.txt: broken UTF-16 at line 1 (unpaired surrogate 0xD800)"},
		{"a.txt", "\xff\xfeA\x00\x00\x00", "a.txt: looks like a binary file"},
		{"a.bin", "\x01\x02\x03\x04text", "a.bin: looks like a binary file"},
		{"pic.png", "\x89PNG\r\n\x1a\n", "pic.png: looks like a binary file"},
	}
	for _, c := range cases {
		_, err := ParseArticle(c.name, []byte(c.data))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("ParseArticle(%q) err = %v, want prefix %q", c.data, err, c.want)
		}
	}
	// A few control characters in ordinary text are not binary.
	if _, err := ParseArticle("a.txt", []byte("Page 1\fPage 2 \x1b[1mbold\x1b[0m and a lot more ordinary text after it so the ratio stays low.........................................................................................................................................................................................")); err != nil {
		t.Errorf("form feed / escape rejected: %v", err)
	}
}

func TestSizeLimit(t *testing.T) {
	big := make([]byte, MaxArticleBytes+1)
	for i := range big {
		big[i] = 'a'
	}
	_, err := ParseArticle("big.txt", big)
	if err == nil || !strings.HasPrefix(err.Error(), "big.txt: file is too large") {
		t.Errorf("ParseArticle: %v", err)
	}
	path := filepath.Join(t.TempDir(), "huge.txt")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxArticleBytes + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = ReadArticle(path)
	if err == nil || !strings.HasPrefix(err.Error(), path+": file is too large") || !strings.Contains(err.Error(), "50 MiB") {
		t.Errorf("ReadArticle: %v", err)
	}
	// Exactly at the limit is fine.
	big = big[:MaxArticleBytes]
	if _, err := ParseArticle("ok.txt", big); err != nil {
		t.Errorf("at the limit: %v", err)
	}
}

func TestFormatOf(t *testing.T) {
	for name, want := range map[string]string{
		"a.TXT": FormatText, "a.md": FormatMarkdown, "a.Markdown": FormatMarkdown,
		"a.htm": FormatHTML, "a.HTML": FormatHTML, "noext": FormatText,
	} {
		if got := formatOf(name, "plain words"); got != want {
			t.Errorf("formatOf(%q) = %q, want %q", name, got, want)
		}
	}
	for text, want := range map[string]string{
		"  <!DOCTYPE html><p>x</p>": FormatHTML,
		"<html><body>x</body>":      FormatHTML,
		"<div>x</div>":              FormatHTML,
		"# Heading\n\ntext":         FormatMarkdown,
		"a < b and <p> later":       FormatText,
		"plain":                     FormatText,
	} {
		if got := formatOf("file.dat", text); got != want {
			t.Errorf("sniff(%q) = %q, want %q", text, got, want)
		}
	}
	// .md file that happens to contain HTML stays Markdown.
	a, err := ParseArticle("x.md", []byte("<p>para</p>\n"))
	if err != nil || a.Format != FormatMarkdown || a.Text != "<p>para</p>\n" {
		t.Errorf("got %+v, %v", a, err)
	}
}

func TestHTMLText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"<p>a</p><p>b</p>", "a\n\nb"},
		{"<p>  lots   of\n\tspace  </p>", "lots of space"},
		{"a<b>b</b> <i>c</i>d", "ab cd"},
		{"<div><div><p>deep</p></div></div>text", "deep\n\ntext"},
		{"<p>x<br><br><br><br>y</p>", "x\n\ny"},
		{"<br><br>start", "start"},
		{"<ol><li>one<li>two</ol>", "1. one\n2. two"},
		{"<ol><li value=7>seven<li>eight</ol>", "7. seven\n8. eight"},
		{"<ul><li><p>loose</p></li><li><p>items</p></li></ul>", "• loose\n\n• items"},
		{"<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li></ul>", "• a\n  ◦ b\n    ▪ c"},
		{"<li>orphan</li>", "• orphan"},
		{"<p>&amp;&lt;&gt;&quot;&#39;&hellip;&euro;</p>", "&<>\"'…€"},
		{"<pre>\nline 1\n\n\n\nline 2</pre>", "line 1\n\nline 2"},
		{"<p>a</p>   \n  <p>   </p>\n<p>b</p>", "a\n\nb"},
		{"<style>p{}</style><p>vis<span hidden>ible</span></p><svg><text>no</text></svg>", "vis"},
		{"<h2>Head</h2>body", "Head\n\nbody"},
		{"<dl><dt>Term<dd>Definition</dl>", "Term\nDefinition"},
		{"<p>emoji 👩‍👩‍👧 ok</p>", "emoji 👩‍👩‍👧 ok"},
	}
	for _, c := range cases {
		got, _, _, err := htmlText(c.in)
		if err != nil || got != c.want {
			t.Errorf("htmlText(%q) =\n %q, want\n %q (%v)", c.in, got, c.want, err)
		}
	}
	_, title, h1, _ := htmlText("<title>\n A \n B </title><h1>One</h1><h1>Two</h1>")
	if title != "A B" || h1 != "One" {
		t.Errorf("title %q h1 %q", title, h1)
	}
}

func TestErrorsUnwrap(t *testing.T) {
	_, err := ReadArticle("testdata/does-not-exist.txt")
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file error does not wrap ErrNotExist: %v", err)
	}
}

// A site or section name over the headline (text copied from a news page)
// is not the title; an ordinary article's first line is.
func TestHeadlineSkipsASiteName(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"Expatica news\nDutch cabinet agrees on housing plan\n\nThe cabinet agreed on Friday.", "Dutch cabinet agrees on housing plan"},
		{"BBC News | Politics\nMinister resigns over leaked memo\nThe minister resigned today.", "Minister resigns over leaked memo"},
		{"example.com\nRents rose 5% in 2024\n\nLandlords disagree.", "Rents rose 5% in 2024"},
		// Ordinary articles: the headline is the first line.
		{"Council approves harbour plan\n\nThe council approved the plan on Tuesday.", "Council approves harbour plan"},
		{"Council approves plan\nHousing minister welcomes the decision\n\nThe council voted.", "Council approves plan"},
		{"Kerry meets Lavrov in Geneva\nTalks on Syria resume\n\nKerry said.", "Kerry meets Lavrov in Geneva"},
		{"World news\nSee you.", "World news"},                                 // no body after it: nothing to skip to
		{"Politics\nThe minister said it was over.\n\nMore text.", "Politics"}, // the next line is a sentence
	} {
		a, err := ParseArticle("a.txt", []byte(c.text))
		if err != nil {
			t.Fatal(err)
		}
		if a.Title != c.want {
			t.Errorf("%q: title %q, want %q", c.text, a.Title, c.want)
		}
	}
}
