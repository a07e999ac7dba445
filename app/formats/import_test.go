package formats

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gloss/app/offsets"
)

// readAll reads path (a file or a brat folder) and returns its records.
func readAll(t *testing.T, path, format string) ([]Doc, Report) {
	t.Helper()
	var recs []Doc
	rep, err := ReadFile(path, format, ReadOptions{}, func(r Doc) error {
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Records != len(recs) {
		t.Errorf("report says %d records, got %d", rep.Records, len(recs))
	}
	return recs, rep
}

// spansOfRecord lists "LABEL=text" for each span, the text sliced by code
// points from the record's text (and checked against the span's own text
// when it has one).
func spansOfRecord(t *testing.T, r Doc) []string {
	t.Helper()
	ot := offsets.New(r.Text)
	var out []string
	for _, s := range r.Spans {
		if s.Start < 0 || s.End > ot.Len() || s.Start >= s.End {
			t.Errorf("%s: span [%d, %d) out of range %d", r.Where(&s), s.Start, s.End, ot.Len())
			continue
		}
		got := ot.Slice(s.Start, s.End)
		if s.Text != "" && s.Text != got {
			t.Errorf("%s: span text %q, slice %q", r.Where(&s), s.Text, got)
		}
		out = append(out, s.Label+"="+got)
	}
	return out
}

// relationsOf lists "FROM -TYPE-> TO" for each relation of r, each end as
// spansOfRecord writes it, with the relation's attributes in brackets.
func relationsOf(r Doc) []string {
	end := func(i int) string {
		if i < 0 || i >= len(r.Spans) {
			return fmt.Sprintf("<bad end %d>", i)
		}
		s := r.Spans[i]
		return s.Label + "=" + offsets.New(r.Text).Slice(s.Start, s.End)
	}
	var out []string
	for _, rel := range r.Relations {
		s := end(rel.From) + " -" + rel.Type + "-> " + end(rel.To)
		if len(rel.Attrs) > 0 {
			s += fmt.Sprint(rel.Attrs)
		}
		out = append(out, s)
	}
	return out
}

func TestReadGlossJSONL(t *testing.T) {
	recs, rep := readAll(t, "testdata/import_gloss.jsonl", "auto")
	if rep.Format != "jsonl" || len(recs) != 3 {
		t.Fatalf("format %s, %d records", rep.Format, len(recs))
	}
	r := recs[0]
	if r.ID != "0190a1b2-0000-7000-8000-0000000000d1" || r.Title != "Homes" || r.FileName != "homes.txt" || r.Format != "text" ||
		!r.ImportedAt.Equal(time.Date(2025, 3, 4, 14, 4, 5, 123456789, time.UTC)) || r.Line != 1 {
		t.Errorf("record %+v", r)
	}
	if got := spansOfRecord(t, r); !reflect.DeepEqual(got, []string{"Figure=👍🏽", "Claim=We’ll build 280,000 homes,” she", "Figure=280,000"}) {
		t.Errorf("spans %q", got)
	}
	s := r.Spans[1]
	if s.ID != "0190a1b2-0000-7000-8000-0000000005a2" || s.LabelID != "0190a1b2-0000-7000-8000-0000000001c1" || s.Annotator != "ana" ||
		s.AnnotatorID != "0190a1b2-0000-7000-8000-000000000a01" || s.Note != "a “note” — 👍🏽" ||
		!s.Updated.Equal(time.Date(2025, 3, 4, 16, 0, 0, 0, time.UTC)) || r.Where(&r.Spans[1]) != "testdata/import_gloss.jsonl:1: $.spans[1]" {
		t.Errorf("span %+v", s)
	}
	if len(r.Statuses) != 2 || r.Statuses[1].Status != "in_progress" || !r.Statuses[1].Updated.Equal(time.Date(2025, 3, 5, 11, 0, 0, 5e8, time.UTC)) {
		t.Errorf("statuses %+v", r.Statuses)
	}
	// Gloss text is kept exactly, CRLF included.
	if recs[2].Text != "Windows text\r\nwith CRLF kept — as stored." || spansOfRecord(t, recs[2])[0] != "Claim=with CRLF" {
		t.Errorf("CRLF record %q", recs[2].Text)
	}
	if recs[1].Line != 2 || recs[2].Line != 3 {
		t.Errorf("lines %d %d", recs[1].Line, recs[2].Line)
	}
}

func TestReadSpacy(t *testing.T) {
	recs, rep := readAll(t, "testdata/import_spacy.jsonl", "auto")
	if rep.Format != "spacy" || len(recs) != 4 {
		t.Fatalf("format %s, %d records", rep.Format, len(recs))
	}
	if !reflect.DeepEqual(rep.Skipped, map[string]int{"prodigy reject answer": 1, "prodigy ignore answer": 1}) {
		t.Errorf("skipped %v", rep.Skipped)
	}
	want := [][]string{
		{"MONEY=280,000", "PERSON=Ana Ruiz"},
		{"GPE=Oslo", "GPE=Bergen"},
		{"QUOTE=“quoted”"},
		{"NOUN=text"},
	}
	for i, r := range recs {
		if got := spansOfRecord(t, r); !reflect.DeepEqual(got, want[i]) {
			t.Errorf("record %d: spans %q, want %q", i+1, got, want[i])
		}
	}
	a := recs[0]
	if a.Spans[0].Annotator != "news-ana" || !a.Spans[0].Created.Equal(time.Unix(1700000000, 0)) ||
		len(a.Statuses) != 1 || a.Statuses[0].Status != "done" || a.Statuses[0].Annotator != "news-ana" {
		t.Errorf("prodigy record %+v", a)
	}
	// The CRLF became LF and the offsets, which counted the CR, moved.
	if strings.Contains(recs[1].Text, "\r") || recs[1].Spans[1].Start != strings.Index(recs[1].Text, "Bergen")-len("— “”👍🏽")+len([]rune("— “”👍🏽")) {
		t.Errorf("CRLF record %q %+v", recs[1].Text, recs[1].Spans)
	}
	if recs[2].Title != "Spacy entities" || recs[1].Line != 4 || recs[3].Line != 6 {
		t.Errorf("title %q, lines %d %d", recs[2].Title, recs[1].Line, recs[3].Line)
	}
}

func TestReadDoccano(t *testing.T) {
	recs, rep := readAll(t, "testdata/import_doccano.jsonl", "doccano")
	if len(recs) != 3 || len(rep.Skipped) != 0 {
		t.Fatalf("%d records, report %+v", len(recs), rep)
	}
	if got := relationsOf(recs[1]); !reflect.DeepEqual(got, []string{"NOUN=text -of-> ORD=Second"}) {
		t.Errorf("relations %q", got)
	}
	// The offsets are UTF-16 units (👍🏽 counts 4, 👩‍👩‍👧 8): read as code points.
	want := [][]string{
		{"MONEY=280,000", "PER=she", "PER=Ana Ruiz"},
		{"NOUN=text", "ORD=Second"},
		{"GPE=Bergen"},
	}
	for i, r := range recs {
		if got := spansOfRecord(t, r); !reflect.DeepEqual(got, want[i]) {
			t.Errorf("record %d: spans %q, want %q", i+1, got, want[i])
		}
	}
	if recs[2].Line != 3 {
		t.Errorf("pretty-printed record at line %d", recs[2].Line)
	}
	// Read as code points, the same file is off after the emoji.
	var first Doc
	_, err := ReadFile("testdata/import_doccano.jsonl", "doccano", ReadOptions{Offsets: UnitCodePoints}, func(r Doc) error {
		if first.Text == "" {
			first = r
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := spansOfRecord(t, first); got[0] != "MONEY=0,000 h" {
		t.Errorf("as code points: %q", got)
	}
}

func TestReadLabelStudio(t *testing.T) {
	recs, rep := readAll(t, "testdata/import_labelstudio.json", "auto")
	if rep.Format != "labelstudio" || len(recs) != 2 {
		t.Fatalf("format %s, %d records", rep.Format, len(recs))
	}
	wantSkipped := map[string]int{"labelstudio cancelled annotation": 1, "labelstudio choices result": 1,
		"labelstudio relation without a label": 1, "labelstudio prediction": 1}
	if !reflect.DeepEqual(rep.Skipped, wantSkipped) {
		t.Errorf("skipped %v", rep.Skipped)
	}
	want := [][]string{
		{"Figure=280,000", "Claim=We’ll build 280,000 homes,” she", "Quote=We’ll build 280,000 homes,” she"},
		{"Thing=annotation", "Thing=This is  an"},
	}
	for i, r := range recs {
		if got := spansOfRecord(t, r); !reflect.DeepEqual(got, want[i]) {
			t.Errorf("record %d: spans %q, want %q", i+1, got, want[i])
		}
	}
	s := recs[0].Spans[0]
	if s.Annotator != "ana@example.org" || !s.Updated.Equal(time.Date(2025, 3, 4, 16, 0, 0, 0, time.UTC)) ||
		s.Path != "$[0].annotations[0].result[0].value" {
		t.Errorf("span %+v", s)
	}
	if recs[1].Spans[0].Annotator != "Label Studio user 7" || recs[1].Spans[0].Start != 13 {
		t.Errorf("UTF-16 span %+v", recs[1].Spans[0])
	}
	if len(rep.Corrected) != 0 {
		t.Errorf("corrected %v", rep.Corrected)
	}

	// A 0.x task with an inclusive end: corrected and counted.
	recs, rep = readAll(t, "testdata/import_labelstudio_0x.json", "labelstudio")
	if got := spansOfRecord(t, recs[0]); len(recs) != 1 || !reflect.DeepEqual(got, []string{"Quote=quoted"}) || rep.Corrected["labelstudio inclusive end"] != 1 {
		t.Errorf("0.x: %q %+v", got, rep)
	}
}

func TestReadBrat(t *testing.T) {
	recs, rep := readAll(t, "testdata/import_brat", "auto")
	if rep.Format != "brat" || len(recs) != 2 {
		t.Fatalf("format %s, %d records", rep.Format, len(recs))
	}
	wantSkipped := map[string]int{"brat event": 1, "brat attribute on an event": 2, "brat normalization": 1,
		"brat note on a relation, event or attribute": 1}
	if !reflect.DeepEqual(rep.Skipped, wantSkipped) {
		t.Errorf("skipped %v", rep.Skipped)
	}
	r := recs[0]
	// R1 Says T3 T1, and * Alias T1 T3, after the spans were put in order.
	if got := relationsOf(r); !reflect.DeepEqual(got, []string{"Person=Ana Ruiz -Says-> Figure=280,000", "Figure=280,000 -Alias-> Person=Ana Ruiz"}) {
		t.Errorf("relations %q", got)
	}
	// The .txt has CRLF: stored with LF, offsets (which counted the CR) moved.
	if strings.Contains(r.Text, "\r") || r.FileName != "homes.txt" || r.Title != "👍🏽 “We’ll build 280,000 homes,” she said —" {
		t.Errorf("record %q %q %q", r.Text, r.FileName, r.Title)
	}
	want := []string{"Claim=We’ll", "Figure=280,000", "Claim=homes", "Person=Ana Ruiz", "Agree=agreed"}
	if got := spansOfRecord(t, r); !reflect.DeepEqual(got, want) {
		t.Errorf("spans %q, want %q", got, want)
	}
	if r.Spans[0].Note != "brat T2: part 1 of 2" || r.Spans[2].Note != "brat T2: part 2 of 2" || r.Spans[3].Note != "the “minister” — 👍🏽" || r.Spans[3].Line != 3 {
		t.Errorf("notes %+v", r.Spans)
	}
	if recs[1].FileName != "plain.txt" || len(recs[1].Spans) != 0 {
		t.Errorf("plain %+v", recs[1])
	}
	// One .ann names its .txt.
	one, _ := readAll(t, "testdata/import_brat/homes.ann", "auto")
	if len(one) != 1 || !reflect.DeepEqual(spansOfRecord(t, one[0]), want) {
		t.Errorf("single .ann: %+v", one)
	}
}

func TestReadCoNLL(t *testing.T) {
	recs, rep := readAll(t, "testdata/import_conll.txt", "conll")
	if rep.Format != "conll" || len(recs) != 2 {
		t.Fatalf("format %s, %d records", rep.Format, len(recs))
	}
	if recs[0].Text != "U.N. official Ekeus Rolf heads for New York Berlin ." {
		t.Errorf("text %q", recs[0].Text)
	}
	// IOB1: I- begins a span, B- splits two of the same type.
	if got := spansOfRecord(t, recs[0]); !reflect.DeepEqual(got, []string{"ORG=U.N.", "PER=Ekeus Rolf", "LOC=New York", "LOC=Berlin"}) {
		t.Errorf("IOB1 spans %q", got)
	}
	if recs[1].Text != "“Quoted” Ana Ruiz — 👍🏽 New South Wales\n\nSão Paulo n’t" {
		t.Errorf("text %q", recs[1].Text)
	}
	if got := spansOfRecord(t, recs[1]); !reflect.DeepEqual(got, []string{"PER=Ana Ruiz", "EMOJI=👍🏽", "LOC=New South Wales", "LOC=São Paulo"}) {
		t.Errorf("BIOES spans %q", got)
	}
	if recs[1].Line != 16 || recs[1].Spans[0].Line != 17 {
		t.Errorf("lines %d %d", recs[1].Line, recs[1].Spans[0].Line)
	}
	// Hugging Face token JSON is hf under auto (TestReadHF); the conll
	// reader reads it too, as it did before hf imported.
	hf, rep := readAll(t, "testdata/import_hf.jsonl", "conll")
	if rep.Format != "conll" || len(hf) != 2 || hf[0].Format != "conll" {
		t.Fatalf("hf: format %s, %d records", rep.Format, len(hf))
	}
	if got := spansOfRecord(t, hf[0]); hf[0].Text != "Ana Ruiz visited São Paulo — 👍🏽" || !reflect.DeepEqual(got, []string{"PER=Ana Ruiz", "LOC=São Paulo"}) {
		t.Errorf("hf %q %q", hf[0].Text, got)
	}
	if got := spansOfRecord(t, hf[1]); !reflect.DeepEqual(got, []string{"LOC=Oslo"}) {
		t.Errorf("hf %q", got)
	}
}

func TestSniffFormats(t *testing.T) {
	cases := map[string]string{
		`{"text":"a","spans":[]}`:                                  "spacy",
		`{"text":"a","entities":[{"start":0,"end":1}]}`:            "spacy",
		`{"text":"a","label":[[0,1,"X"]]}`:                         "doccano",
		`{"text":"a","entities":[{"start_offset":0}]}`:             "doccano",
		`{"data":"a","label":[[0,1,"X"]]}`:                         "doccano",
		`[{"data":{"text":"a"},"annotations":[]}]`:                 "labelstudio",
		`{"completions":[],"data":{"text":"a"}}`:                   "labelstudio",
		`{"id":"x","text":"a","sha256":"","spans":[]}`:             "jsonl",
		`{"words":["a"],"ner":["O"]}`:                              "hf",
		`{"id":"x","tokens":["a"],"ner_tags":[0]}`:                 "hf",
		`[{"tokens":["a"],"ner_tags":["O"]}]`:                      "hf",
		`{"data":[{"tokens":["a"],"ner_tags":["O"]}]}`:             "hf",
		`{"text":"a b","tokens":[{"text":"a"}],"spans":[]}`:        "spacy",
		"document_id,title,start,end,label,text,annotator,note\n":  "csv",
		"\ufeffDocument_ID;Start;End;Label\r\n":                    "csv",
		"-DOCSTART- -X- -X- O\n\nA\tB-X\n":                         "conll",
		"A\tO\nB\tB-PER\n":                                         "conll",
		"\ufeff{\"text\":\"a\",\"answer\":\"accept\"}\n":           "spacy",
		`{"text":"` + strings.Repeat("x", 70000) + `","spans":[]}`: "spacy",
	}
	for in, want := range cases {
		var got string
		rep, _ := ReadRecords("x", strings.NewReader(in), "auto", func(Doc) error { return nil })
		got = rep.Format
		if got != want {
			t.Errorf("%.60q: %s, want %s", in, got, want)
		}
	}
	for _, in := range []string{"", "plain words here\n", `{"foo":1}`} {
		if _, err := ReadRecords("x.dat", strings.NewReader(in), "auto", func(Doc) error { return nil }); err == nil || !strings.HasPrefix(err.Error(), "x.dat:") {
			t.Errorf("%q: err = %v", in, err)
		}
	}
}

// TestReadErrors: each malformed file gives an error naming the file and
// the line (and the JSON path where there is one).
func TestReadErrors(t *testing.T) {
	cases := []struct {
		format, content, want string
	}{
		{"jsonl", "{\"text\":\"a\"}\n{\"text\": \"b\",\n", "f:2: invalid JSON"},
		{"jsonl", "{\"text\":\"a\"}\n{\"text\":\"b\",\"spans\":[{\"start\":\"1\",\"end\":2}]}\n", "f:2: $.spans[0].start: want int, got JSON string"},
		{"jsonl", "{\"text\":\"a\",\"spans\":[{\"end\":1}]}\n", "f:1: $.spans[0]: start and end are required"},
		{"jsonl", "{\"text\":\"abc\",\"sha256\":\"00\"}\n", "f:1: $.sha256: 00 is not the SHA-256 of the text"},
		{"jsonl", "{\"title\":\"no text\"}\n", "f:1: $.text: missing"},
		{"jsonl", "{\"text\":\"a\",\"imported_at\":\"yesterday\"}\n", "f:1: $.imported_at: \"yesterday\" is not an RFC 3339 time"},
		{"spacy", "\n\n{\"text\":\"ab\",\"spans\":[{\"start\":0,\"end\":1}]}\n", "f:3: $.spans[0]: no \"label\""},
		{"spacy", "{\"text\":\"ab\",\"spans\":[{\"start\":0.5,\"end\":1,\"label\":\"X\"}]}\n", "f:1: $.spans[0].start: want a whole number, got a number 0.5"},
		{"spacy", "{\"text\":5}\n", "f:1: $.text: want a string, got a number 5"},
		{"spacy", "{\"text\":\"a\",\"answer\":\"maybe\"}\n", "f:1: $.answer: unknown answer \"maybe\""},
		{"doccano", "{\"text\":\"ab\",\"label\":[[0,1]]}\n", "f:1: $.label[0]: want [start, end, \"LABEL\"]"},
		{"doccano", "{\"text\":\"👍🏽 ab\",\"label\":[[1,3,\"X\"]]}\n", "f:1: $.label[0]: start 1 (UTF-16): UTF-16 offset 1 is inside a surrogate pair"},
		{"doccano", "[1,2]\n", "f:1: $[1]: want an object"},
		{"labelstudio", "[{\"data\":{\"text\":\"abc\"},\"annotations\":[{\"result\":[{\"type\":\"labels\",\"value\":{\"start\":\"0\",\"end\":1,\"labels\":[\"X\"]}}]}]}]", "f:1: $[0].annotations[0].result[0].value.start: want a whole number"},
		{"labelstudio", "[\n{\"data\":{\"text\":\"abc\"}},\n{\"data\":{\"text\":\"abc\"},\"annotations\":[{\"result\":[{\"type\":\"labels\",\"value\":{\"start\":0,\"end\":2,\"text\":\"xyz\",\"labels\":[\"X\"]}}]}]}]", "f:3: $[1].annotations[0].result[0].value: text \"xyz\" does not match the document's code points [0, 2), which are \"ab\""},
		{"labelstudio", "[{\"data\":{\"a\":\"x\",\"b\":\"y\"}}]", "f:1: $[0]: data: no \"text\""},
		{"labelstudio", "[{\"data\":{\"text\":\"a\"}}, oops]", "f:1: invalid JSON"},
		{"conll", "A\tO\nB\tNNP\n", "f:2: no tag in"},
		{"conll", "A\tO\nB\n", "f:2: token \"B\" has no tag column"},
		{"conll", "{\"words\":[\"a\",\"b\"],\"ner\":[\"O\"]}\n", "f:1: $.ner: 1 tags for 2 words"},
		{"conll", "{\"words\":[\"a\"],\"ner\":[3]}\n", "f:1: $.ner[0]: numbered tags need their names, and there is no file of them beside the data"},
	}
	for _, c := range cases {
		_, err := ReadRecords("f", strings.NewReader(c.content), c.format, func(Doc) error { return nil })
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %.50q:\n got %v\nwant …%s…", c.format, c.content, err, c.want)
		}
	}
}

func TestReadBratErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("a.txt", "Hello “world” 👍🏽.\n")
	cases := map[string]string{
		"T1\tX 0 5\tHello\nT2\tX 7 2\tworld\n":         "a.ann:2: T2: offsets 7 2: want 0 <= start < end",
		"T1\tX 0 5\tHello\nT2\tX 7 x\tworld\n":         "a.ann:2: T2: offsets \"7 x\" are not whole numbers",
		"T1\tX 0 99\tHello\n":                          "a.ann:1: T1: offsets 0 99 are past the end of the text (18 characters)",
		"T1\tX 0 5\tHellx\n":                           "a.ann:1: T1: text \"Hellx\" does not match the .txt at 0 5, which is \"Hello\"",
		"T1\tX 0 5 Hello\n":                            "a.ann:1: T1: want \"T1<TAB>LABEL START END<TAB>TEXT\"",
		"T1\tX 0 5\tHello\nT1\tX 0 5\tHello\n":         "a.ann:2: T1 is defined twice",
		"T1\tX 0 5\tHello\n#1\tAnnotatorNotes T9\tn\n": "a.ann:2: AnnotatorNotes for T9",
		"Q1\tsomething\n":                              "a.ann:1: not a brat annotation line",
	}
	for content, want := range cases {
		p := write("a.ann", content)
		_, err := ReadFile(p, "auto", ReadOptions{}, func(Doc) error { return nil })
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q:\n got %v\nwant …%s…", content, err, want)
		}
	}
	lone := write("lone.ann", "T1\tX 0 1\tH\n")
	if _, err := ReadFile(lone, "auto", ReadOptions{}, func(Doc) error { return nil }); err == nil || !strings.Contains(err.Error(), "lone.ann: no text file lone.txt beside it") {
		t.Errorf("ann without txt: %v", err)
	}
}

func TestLineEnds(t *testing.T) {
	raw := "a\r\nb\rc\r\n\r\nd"
	le := newLineEnds(raw)
	if le.text != "a\nb\nc\n\nd" {
		t.Fatalf("%q", le.text)
	}
	// raw code points: a0 \r1 \n2 b3 \r4 c5 \r6 \n7 \r8 \n9 d10
	for raw, want := range map[int]int{0: 0, 1: 1, 2: 1, 3: 2, 5: 4, 6: 5, 7: 5, 8: 6, 9: 6, 10: 7, 11: 8} {
		if got := le.pos(raw); got != want {
			t.Errorf("pos(%d) = %d, want %d", raw, got, want)
		}
	}
}

func TestIsArticleFile(t *testing.T) {
	dir := t.TempDir()
	c := filepath.Join(dir, "c.txt")
	os.WriteFile(c, []byte("-DOCSTART- -X- -X- O\n"), 0o644)
	a := filepath.Join(dir, "a.txt")
	os.WriteFile(a, []byte("Just an article.\n"), 0o644)
	if IsArticleFile(c) || !IsArticleFile(a) || !IsArticleFile("x.md") || IsArticleFile("x.jsonl") {
		t.Error("IsArticleFile")
	}
}

// TestFastGlossDoc: the fast JSONL decoder gives what encoding/json gives,
// or declines.
func TestFastGlossDoc(t *testing.T) {
	data, err := os.ReadFile("testdata/import_gloss.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	lines = append(lines,
		`{"text":"a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\udc4d \u2014","spans":[],"statuses":[]}`,
		` { "id" : "x" , "text" : "y" , "spans" : [ { "start" : 0 , "end" : -0 } ] } `,
		`{"text":"a","spans":[{"start":1}],"spans":[{"start":2}]}`,
		`{"text":"a","spans":[{"start":1.0}]}`,
		`{"text":"a","spans":[{"start":01}]}`,
		`{"text":null}`,
		`{"TEXT":"upper"}`,
		`{"text":"lone \ud83d surrogate"}`,
		"{\"text\":\"bad \xff byte\"}",
		`{"text":"a","extra":1}`,
		`{"text":"a"} trailing`,
	)
	declined := 0
	for _, l := range lines {
		var fast, slow glossInDoc
		ok := fastGlossDoc([]byte(l), &fast, &fastJSON{})
		err := json.Unmarshal([]byte(l), &slow)
		if !ok {
			declined++
			continue
		}
		if err != nil {
			t.Errorf("%s: fast accepted what encoding/json refuses: %v", l, err)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Errorf("%s:\nfast %+v\nslow %+v", l, fast, slow)
		}
	}
	if declined != 8 {
		t.Errorf("declined %d lines, want 8", declined)
	}
}

// The IDs Gloss writes into spacy, doccano and Label Studio files come back
// when they are UUIDs; anything else (doccano's numbers, Label Studio's
// short strings) is ignored, as is a result id repeated in a task.
func TestReadKeepsUUIDs(t *testing.T) {
	const doc, doc2, span = "0190a1b2-0000-7000-8000-00000000d001", "0190a1b2-0000-7000-8000-00000000d002", "0190a1b2-0000-7000-8000-00000000a001"
	read := func(format, in string) []Doc {
		t.Helper()
		var recs []Doc
		if _, err := ReadRecords("in", strings.NewReader(in), format, func(r Doc) error {
			recs = append(recs, r)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return recs
	}
	ids := func(recs []Doc) string {
		var out []string
		for _, r := range recs {
			s := "doc " + r.ID
			for _, sp := range r.Spans {
				s += " span " + sp.ID
			}
			out = append(out, s)
		}
		return strings.Join(out, "; ")
	}
	cases := []struct{ format, in, want string }{
		{"spacy", `{"text":"a b","spans":[{"start":0,"end":1,"label":"X"}],"meta":{"id":"` + doc + `","title":"T"}}
{"text":"c d","spans":[],"meta":{"id":7}}
{"text":"e f","spans":[],"meta":{"id":"d1"}}
{"id":"` + doc2 + `","text":"g h","spans":[]}`,
			"doc " + doc + " span ; doc ; doc ; doc "},
		{"doccano", `{"id":"` + doc + `","text":"a b","label":[[0,1,"X"]]}
{"id":7,"text":"c d","label":[]}
{"id":"` + doc2 + `","text":"e f","entities":[{"id":"` + span + `","start_offset":0,"end_offset":1,"label":"X"},{"id":3,"start_offset":2,"end_offset":3,"label":"X"}]}`,
			"doc " + doc + " span ; doc ; doc " + doc2 + " span " + span + " span "},
		{"labelstudio", `[{"id":1,"data":{"text":"a b"},"meta":{"id":"` + doc + `"},"annotations":[
 {"completed_by":"ana","result":[{"id":"` + span + `","type":"labels","value":{"start":0,"end":1,"labels":["X","Y"]}},{"id":"jmsfDPthEY","type":"labels","value":{"start":2,"end":3,"labels":["X"]}}]},
 {"completed_by":"ben","result":[{"id":"` + span + `","type":"labels","value":{"start":0,"end":1,"labels":["X"]}}]}]},
{"id":2,"data":{"text":"c d"},"meta":{"id":"2"},"annotations":[]}]`,
			"doc " + doc + " span " + span + " span  span  span ; doc "},
	}
	for _, c := range cases {
		if got := ids(read(c.format, c.in)); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.format, got, c.want)
		}
	}
}

func TestJSONPathAt(t *testing.T) {
	raw := []byte(`{"text": "a", "spans": [{"start": 0, "end": 1}, {"start": 2, "end": "x"}], "meta": {"ids": [1, [2, 3]]}}`)
	for _, c := range []struct {
		after string // the value whose end is asked about
		want  string
	}{
		{`"a"`, "$.text"},
		{`"x"`, "$.spans[1].end"},
		{`[2, 3]`, "$.meta.ids[1]"},
		{`3`, "$.meta.ids[1][1]"},
	} {
		off := int64(bytes.Index(raw, []byte(c.after)) + len(c.after))
		if got, ok := jsonPathAt(raw, off); !ok || got != c.want {
			t.Errorf("after %s: %q %v, want %q", c.after, got, ok, c.want)
		}
	}
}
