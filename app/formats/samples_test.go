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
	for _, good := range []string{"Lantern Festival draws record crowds to the river\n\nBy Priya Menon — Sunday 12 October",
		"• A silent parade", "  ◦ reusable cups, with a £1 deposit;", "1. The events committee", "“Ten years ago"} {
		if !strings.Contains(a.Text, good) {
			t.Errorf("visible text lacks %q", good)
		}
	}
	if strings.Contains(a.Text, "\n\n\n") {
		t.Error("more than one blank line in a row")
	}
}
