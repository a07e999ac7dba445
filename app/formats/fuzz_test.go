package formats

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParseArticle(f *testing.F) {
	f.Add("a.html", []byte("<title>T</title><ul><li>x<ol><li>y</ol></ul><pre>\n z</pre>"))
	f.Add("a.txt", []byte("\xef\xbb\xbfline\r\nline\r"))
	f.Add("a.md", []byte("# T #\n\n👍🏽"))
	f.Add("a.txt", []byte("\xff\xfeA\x00\r\x00\n\x00"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		if name == "" {
			name = "x"
		}
		a, err := ParseArticle(name, data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), name+": ") {
				t.Fatalf("error does not start with the name: %v", err)
			}
			return
		}
		if !utf8.ValidString(a.Text) || strings.ContainsRune(a.Text, '\r') || strings.TrimSpace(a.Text) == "" {
			t.Fatalf("bad text %q", a.Text)
		}
		if utf8.RuneCountInString(a.Title) > maxTitleRunes {
			t.Fatalf("title too long")
		}
	})
}
