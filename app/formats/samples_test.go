package formats_test

import (
	"strings"
	"testing"

	"gloss/app/formats"
	"gloss/app/offsets"
	"gloss/app/tokens"
	"gloss/assets"
)

// Every embedded sample must import cleanly, with a sensible title, and the
// shared tokenizer must cover its text.
func TestSamplesParse(t *testing.T) {
	wantTitles := map[string]string{
		"harbour-housing.txt":   "Harbour district plan promises 280,000 homes — but residents want guarantees",
		"festival-report.html":  "Lantern Festival draws record crowds to the river",
		"multilingual-desk.md":  "Voices from the multilingual desk 🌍",
		"energy-briefing.txt":   "POLICY BRIEF: Keeping the lights on through the winter of 2026–27",
		"parliament-record.txt": "OFFICIAL REPORT",
	}
	wantFormats := map[string]string{
		"harbour-housing.txt": formats.FormatText, "festival-report.html": formats.FormatHTML,
		"multilingual-desk.md": formats.FormatMarkdown, "energy-briefing.txt": formats.FormatText,
		"parliament-record.txt": formats.FormatText,
	}
	for _, s := range assets.Samples() {
		a, err := formats.ParseArticle(s.Name, s.Data)
		if err != nil {
			t.Errorf("%s: %v", s.Name, err)
			continue
		}
		if a.Title != wantTitles[s.Name] || a.Format != wantFormats[s.Name] || a.FileName != s.Name {
			t.Errorf("%s: title %q format %q file %q", s.Name, a.Title, a.Format, a.FileName)
		}
		toks := tokens.Tokenize(a.Text)
		tx := offsets.New(a.Text)
		for _, tk := range toks {
			if tx.Slice(tk.Start, tk.End) != tk.Text {
				t.Fatalf("%s: token %+v does not match its offsets", s.Name, tk)
			}
		}
		if len(tokens.Sentences(a.Text, toks)) < 10 {
			t.Errorf("%s: too few sentences", s.Name)
		}
	}
}

func TestFestivalSampleHTML(t *testing.T) {
	var data []byte
	for _, s := range assets.Samples() {
		if s.Name == "festival-report.html" {
			data = s.Data
		}
	}
	a, err := formats.ParseArticle("festival-report.html", data)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"dataLayer", "Analytics", "font-family", "enable JavaScript", "<", "&mdash;"} {
		if strings.Contains(a.Text, bad) {
			t.Errorf("visible text contains %q", bad)
		}
	}
	// The reader view: the headline, then the article; the byline is
	// metadata, the site's footer is left out.
	for _, good := range []string{"Lantern Festival draws record crowds to the river\n\nMore than 62,000 people",
		"• A silent parade", "  ◦ reusable cups, with a £1 deposit;", "1. The events committee", "“Ten years ago"} {
		if !strings.Contains(a.Text, good) {
			t.Errorf("visible text lacks %q", good)
		}
	}
	for _, bad := range []string{"By Priya Menon", "© 2025 The Wendmouth Courier"} {
		if strings.Contains(a.Text, bad) {
			t.Errorf("article text contains %q", bad)
		}
	}
	if a.Byline != "By Priya Menon — Sunday 12 October" || a.Whole || a.Note != "" {
		t.Errorf("byline %q whole %v note %q", a.Byline, a.Whole, a.Note)
	}
	if !strings.HasSuffix(a.Text, "with hotel occupancy at 96%\u00a0on Saturday night.") {
		t.Errorf("text ends %q", a.Text[len(a.Text)-60:])
	}
	if strings.Contains(a.Text, "\n\n\n") {
		t.Error("more than one blank line in a row")
	}
	// The whole page, as before, keeps both.
	p, err := formats.ParseArticleWith("festival-report.html", data, formats.ArticleOptions{HTML: formats.HTMLPage})
	if err != nil {
		t.Fatal(err)
	}
	for _, good := range []string{"Lantern Festival draws record crowds to the river\n\nBy Priya Menon — Sunday 12 October", "© 2025 The Wendmouth Courier"} {
		if !strings.Contains(p.Text, good) {
			t.Errorf("page text lacks %q", good)
		}
	}
}
