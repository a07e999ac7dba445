package assets

import (
	"bytes"
	"image/png"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSamples(t *testing.T) {
	ss := Samples()
	want := []string{"harbour-housing.txt", "festival-report.html", "multilingual-desk.md", "energy-briefing.txt", "parliament-record.txt"}
	if len(ss) != len(want) {
		t.Fatalf("%d samples", len(ss))
	}
	for i, s := range ss {
		if s.Name != want[i] {
			t.Errorf("sample %d is %q, want %q", i, s.Name, want[i])
		}
		if !utf8.Valid(s.Data) || bytes.Contains(s.Data, []byte("\r")) || len(s.Data) < 2000 {
			t.Errorf("%s: not clean UTF-8 text with LF line ends (%d bytes)", s.Name, len(s.Data))
		}
	}
	// Every embedded sample is listed.
	files, _ := fs.Glob(samples, "samples/*")
	if len(files) != len(want) {
		t.Errorf("embedded %v", files)
	}
	// Callers may modify what they get.
	ss[0].Data[0] = 'X'
	if Samples()[0].Data[0] == 'X' {
		t.Error("Samples shares memory between calls")
	}
}

func TestLongSample(t *testing.T) {
	data := Samples()[4].Data
	if len(data) < 300<<10 {
		t.Errorf("parliament-record.txt is %d bytes, want at least 300 KiB", len(data))
	}
}

func TestSampleContent(t *testing.T) {
	get := func(name string) string {
		for _, s := range Samples() {
			if s.Name == name {
				return string(s.Data)
			}
		}
		t.Fatalf("no %s", name)
		return ""
	}
	h := get("harbour-housing.txt")
	for _, w := range []string{"280,000", "22-nation", "five-year-old", "$3.5bn", "12%", "“", "”", "—"} {
		if !strings.Contains(h, w) {
			t.Errorf("harbour-housing.txt lacks %q", w)
		}
	}
	if n := len(strings.Fields(h)); n < 700 || n > 900 {
		t.Errorf("harbour-housing.txt has %d words", n)
	}
	m := get("multilingual-desk.md")
	for _, w := range []string{"👍🏽", "🌍", "👩‍👩‍👧"} {
		if !strings.Contains(m, w) {
			t.Errorf("multilingual-desk.md lacks %q", w)
		}
	}
	for script, re := range map[string]string{"Arabic": `\p{Arabic}`, "Devanagari": `\p{Devanagari}`, "Han": `\p{Han}`, "Greek": `\p{Greek}`} {
		if !regexp.MustCompile(re).MatchString(m) {
			t.Errorf("multilingual-desk.md has no %s", script)
		}
	}
	f := get("festival-report.html")
	for _, w := range []string{"<title>", "<h1>", "<p>", "<li>", "<script"} {
		if !strings.Contains(f, w) {
			t.Errorf("festival-report.html lacks %s", w)
		}
	}
}

func TestDefaultLabels(t *testing.T) {
	got := DefaultLabels()
	want := []LabelDef{{"Claim", "1", "#E69F00"}, {"Figure", "2", "#56B4E9"}, {"Proposal", "3", "#009E73"}}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("label %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestIcon(t *testing.T) {
	img, err := png.Decode(bytes.NewReader(IconPNG))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 256 || b.Dy() != 256 {
		t.Errorf("icon is %v", b)
	}
	// Corners are transparent, the middle of the top edge is the brand blue.
	if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
		t.Error("corner not transparent")
	}
	r, g, b, _ := img.At(128, 20).RGBA()
	if r>>8 != 0x00 || g>>8 != 0x72 || b>>8 != 0xB2 {
		t.Errorf("top edge colour %02x%02x%02x", r>>8, g>>8, b>>8)
	}
}

// TestSampleSchema: the sample relation types link labels of the default
// schema, their keys are letters the window leaves free (r, a, j, k and x
// are its own; digits are labels'), and the attributes are well formed.
func TestSampleSchema(t *testing.T) {
	labels := map[string]bool{}
	for _, l := range DefaultLabels() {
		labels[l.Name] = true
	}
	rels, attrs := SampleSchema()
	if len(rels) == 0 || len(attrs) == 0 {
		t.Fatalf("schema: %v %v", rels, attrs)
	}
	keys := map[string]bool{}
	for _, r := range rels {
		if len(r.Key) != 1 || r.Key < "a" || r.Key > "z" || strings.Contains("rajkx", r.Key) || keys[r.Key] {
			t.Errorf("relation type %s: key %q", r.Name, r.Key)
		}
		keys[r.Key] = true
		for _, p := range r.Args {
			if !labels[p[0]] || !labels[p[1]] {
				t.Errorf("relation type %s links %v, not default labels", r.Name, p)
			}
		}
	}
	for _, a := range attrs {
		if (a.Kind == "choice") != (len(a.Choices) > 0) {
			t.Errorf("attribute %s: kind %s with choices %v", a.Name, a.Kind, a.Choices)
		}
		for _, n := range a.On {
			if !labels[n] {
				t.Errorf("attribute %s is on %s, not a default label", a.Name, n)
			}
		}
	}
}
