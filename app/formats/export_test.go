package formats

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math/rand"
	"strings"
	"testing"

	"gloss/app/tokens"
)

func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	cases := []string{"", "plain", `quote " backslash \ slash /`, "<b>&amp;</b>", "tab\tnl\ncr\r bs\b ff\f",
		"\x00\x01\x1f\x7f", "line\u2028para\u2029", "👩‍👩‍👧 “We’ll” — 280,000", "bad \xff\xfe utf8 \xc3", "é\u0301", "\ufeffbom"}
	for c := range 256 {
		cases = append(cases, string([]byte{byte(c)}), "a"+string(rune(c))+"b")
	}
	rng := rand.New(rand.NewSource(1))
	for range 2000 {
		b := make([]byte, rng.Intn(12))
		for i := range b {
			b[i] = byte(rng.Intn(256))
		}
		cases = append(cases, string(b))
	}
	// Longer ones, mostly plain ASCII, for the words plainWords tests.
	const some = "abc xyz 0123 \"\\\n\x00\x1f\x20\x7f\x80é€👍\u2028\xff"
	for range 4000 {
		var b []byte
		for range rng.Intn(40) {
			if rng.Intn(6) > 0 {
				b = append(b, byte(0x20+rng.Intn(0x5f)))
			} else {
				b = append(b, some[rng.Intn(len(some))])
			}
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		want := strings.TrimSuffix(buf.String(), "\n")
		if got := string(appendJSONString(nil, s)); got != want {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	}
}

// memFiles collects the files an exporter creates.
type memFiles struct {
	files map[string]*bytes.Buffer
	order []string
	fail  bool
}

func (m *memFiles) Create(name string) (io.WriteCloser, error) {
	if m.fail {
		return nil, errors.New("disk full")
	}
	if m.files == nil {
		m.files = map[string]*bytes.Buffer{}
	}
	b := &bytes.Buffer{}
	m.files[name] = b
	m.order = append(m.order, name)
	return nopWriteCloser{b}, nil
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

func exportAll(t *testing.T, format string, docs []Doc, opts Options) ([]byte, *memFiles, Summary) {
	t.Helper()
	var buf bytes.Buffer
	files := &memFiles{}
	ex, err := NewExporter(format, &buf, files, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if err := ex.Write(d); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := ex.Close()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), files, sum
}

func TestExportersDeterministic(t *testing.T) {
	for _, f := range ExportFormats() {
		a, fa, _ := exportAll(t, f, goldenDocs(), Options{Labels: []string{"Claim", "Figure"}})
		b, fb, _ := exportAll(t, f, goldenDocs(), Options{Labels: []string{"Claim", "Figure"}})
		if !bytes.Equal(a, b) || len(fa.order) != len(fb.order) {
			t.Errorf("%s: two runs differ", f)
		}
		for n, buf := range fa.files {
			if !bytes.Equal(buf.Bytes(), fb.files[n].Bytes()) {
				t.Errorf("%s: %s differs between runs", f, n)
			}
		}
	}
}

// Every key of the native format is there, in the documented order.
func TestJSONLFieldsComplete(t *testing.T) {
	out, _, sum := exportAll(t, "jsonl", goldenDocs(), Options{})
	if sum.Documents != 2 || sum.Spans != 3 {
		t.Errorf("summary %+v", sum)
	}
	line := strings.SplitN(string(out), "\n", 2)[0]
	keys := func(obj string) []string {
		dec := json.NewDecoder(strings.NewReader(obj))
		dec.Token() // {
		var ks []string
		for dec.More() {
			k, _ := dec.Token()
			ks = append(ks, k.(string))
			var skip json.RawMessage
			dec.Decode(&skip)
		}
		return ks
	}
	if got := strings.Join(keys(line), ","); got != "id,title,text,file_name,format,sha256,imported_at,statuses,spans" {
		t.Errorf("document keys %s", got)
	}
	var doc struct {
		Statuses []json.RawMessage
		Spans    []json.RawMessage
	}
	if err := json.Unmarshal([]byte(line), &doc); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(keys(string(doc.Statuses[0])), ","); got != "annotator,annotator_id,status,updated" {
		t.Errorf("status keys %s", got)
	}
	if got := strings.Join(keys(string(doc.Spans[0])), ","); got != "id,start,end,label,label_id,text,annotator,annotator_id,note,created,updated" {
		t.Errorf("span keys %s", got)
	}
}

func TestExportersRejectBadSpans(t *testing.T) {
	for _, f := range ExportFormats() {
		d := goldenDocs()[0]
		d.Spans = append(d.Spans, Span{ID: "x", Start: 6, End: 37, Text: "We’ll build 280,000 homes,” she"}) // UTF-16 style
		var buf bytes.Buffer
		files := &memFiles{}
		ex, err := NewExporter(f, &buf, files, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := ex.Write(d); err == nil || !strings.Contains(err.Error(), "doc-1") {
			t.Errorf("%s: err = %v", f, err)
		}
		if buf.Len() != 0 || len(files.order) != 0 {
			t.Errorf("%s: wrote for a rejected document", f)
		}
	}
}

func TestExportersReportWriteErrors(t *testing.T) {
	for _, f := range ExportFormats() {
		ex, err := NewExporter(f, failWriter{}, &memFiles{fail: true}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		err = ex.Write(goldenDocs()[0])
		if err == nil {
			_, err = ex.Close()
		}
		if err == nil {
			t.Errorf("%s: no error from a failing writer", f)
		}
	}
}

func TestExportOffsetsOption(t *testing.T) {
	for _, f := range ExportFormats() {
		_, err := NewExporter(f, io.Discard, &memFiles{}, Options{Offsets: UnitUTF16})
		want := f != "brat" && f != "conll" && f != "hf"
		if (err == nil) != want {
			t.Errorf("%s utf16: err = %v", f, err)
		}
	}
	if _, err := NewExporter("jsonl", io.Discard, nil, Options{Offsets: "bytes"}); err == nil {
		t.Error("bytes accepted")
	}
	if _, err := NewExporter("brat", io.Discard, nil, Options{}); err == nil {
		t.Error("brat without a folder accepted")
	}
}

// spaCy: token_end is inclusive and the offsets count UTF-16 units when
// asked: in the golden text 👩‍👩‍👧 is 5 code points but 8 units, so “We’ll”
// starts at code point 7, unit 10 (JavaScript: text.indexOf("We") == 10).
func TestSpacyTokensAndUTF16(t *testing.T) {
	for _, off := range []OffsetUnit{UnitCodePoints, UnitUTF16} {
		out, _, sum := exportAll(t, "spacy", goldenDocs()[:1], Options{Offsets: off})
		if sum.Records != 2 { // ana and ben
			t.Fatalf("%d lines", sum.Records)
		}
		var line struct {
			Tokens []struct {
				Text       string
				Start, End int
				ID         int
				WS         bool
			}
			Spans []struct {
				Start, End int
				TokenStart int `json:"token_start"`
				TokenEnd   int `json:"token_end"`
				Label      string
			}
			Annotator string `json:"_annotator_id"`
		}
		if err := json.Unmarshal([]byte(strings.SplitN(string(out), "\n", 2)[0]), &line); err != nil {
			t.Fatal(err)
		}
		if line.Annotator != "ana" || len(line.Spans) != 2 {
			t.Fatalf("%+v", line)
		}
		s := line.Spans[0] // "We’ll build 280,000 homes,” she" [7, 38)
		want := [2]int{7, 38}
		if off == UnitUTF16 {
			want = [2]int{10, 41}
		}
		if s.Start != want[0] || s.End != want[1] || line.Tokens[s.TokenStart].Text != "We’ll" {
			t.Errorf("%s: span %+v, want %v", off, s, want)
		}
		last := line.Tokens[s.TokenEnd]
		if last.Text != "she" || last.End != s.End {
			t.Errorf("%s: token_end names %+v, want the token ending the span (inclusive)", off, last)
		}
	}
}

func TestResolveIOBPolicy(t *testing.T) {
	text := "alpha beta gamma delta epsilon"
	toks := tokens.Tokenize(text)
	sp := func(id, label string, start, end int) Span {
		return Span{ID: id, Label: label, Start: start, End: end, Text: text[start:end]}
	}
	spans := []Span{
		sp("a", "Figure", 6, 16),  // beta gamma (10)
		sp("b", "Claim", 0, 10),   // alpha beta (10): same length, earlier start: wins
		sp("c", "Zeta", 11, 22),   // gamma delta (11): longest: wins
		sp("d", "Beta", 23, 30),   // epsilon
		sp("e", "Alpha", 23, 30),  // epsilon again: same extent, label Alpha sorts first: wins
		sp("f", "Claim", 12, 15),  // "amm": inside gamma, misaligned, overlaps c
		sp("g", "Claim", 5, 6),    // a space: no token
		sp("h", "Proposal", 1, 4), // "lph": misaligned, overlaps b
	}
	for range 20 {
		rand.Shuffle(len(spans), func(i, j int) { spans[i], spans[j] = spans[j], spans[i] })
		res := resolveIOB(toks, spans)
		var tags []string
		for _, tg := range res.tags {
			tags = append(tags, tg.String())
		}
		if got := strings.Join(tags, " "); got != "B-Claim I-Claim B-Zeta I-Zeta B-Alpha" {
			t.Fatalf("tags %s", got)
		}
		if res.written != 3 || res.dropped != 5 || res.misaligned != 3 {
			t.Fatalf("written %d dropped %d misaligned %d", res.written, res.dropped, res.misaligned)
		}
	}
}

func TestCoNLLSentencesAndDrops(t *testing.T) {
	text := "Prices rose. Wages did not. Rents fell."
	d := Doc{ID: "d", Text: text, Spans: []Span{
		{ID: "1", Start: 7, End: 18, Label: "Claim", Text: "rose. Wages"}, // crosses a sentence end
		{ID: "2", Start: 13, End: 18, Label: "Figure", Text: "Wages"},     // nested, shorter: dropped
		{ID: "3", Start: 28, End: 33, Label: "Figure", Text: "Rents"},
	}}
	out, _, sum := exportAll(t, "conll", []Doc{d}, Options{})
	want := "-DOCSTART- -X- -X- O\n\n" +
		"Prices -X- _ O\nrose -X- _ B-Claim\n. -X- _ I-Claim\nWages -X- _ I-Claim\ndid -X- _ O\nnot -X- _ O\n. -X- _ O\n\n" +
		"Rents -X- _ B-Figure\nfell -X- _ O\n. -X- _ O\n\n"
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	if sum.Dropped != 1 || sum.Spans != 2 || len(sum.DroppedDocs) != 1 {
		t.Errorf("summary %+v", sum)
	}
}

func TestHFLabelsFile(t *testing.T) {
	d := Doc{ID: "d", Text: "Rents fell 5%.", Spans: []Span{
		{ID: "1", Start: 11, End: 13, Label: "Figure", Text: "5%"},
		{ID: "2", Start: 0, End: 10, Label: "Trend", Text: "Rents fell"}, // not in the label set
	}}
	out, files, sum := exportAll(t, "hf", []Doc{d}, Options{Labels: []string{"Claim", "Figure"}})
	if string(out) != `{"id":"d","tokens":["Rents","fell","5%","."],"ner_tags":[5,6,3,0]}`+"\n" {
		t.Errorf("got %s", out)
	}
	if got := files.files["labels.json"].String(); got != `["O","B-Claim","I-Claim","B-Figure","I-Figure","B-Trend","I-Trend"]`+"\n" {
		t.Errorf("labels %s", got)
	}
	if strings.Join(sum.Labels, ",") != "Claim,Figure,Trend" {
		t.Errorf("summary labels %v", sum.Labels)
	}
}

func TestLabelStudioStreamsAnArray(t *testing.T) {
	out, _, _ := exportAll(t, "labelstudio", nil, Options{})
	if string(out) != "[]\n" {
		t.Errorf("empty: %q", out)
	}
	out, _, sum := exportAll(t, "labelstudio", goldenDocs(), Options{})
	var tasks []struct {
		ID          int
		Data        struct{ Text string }
		Annotations []struct {
			CompletedBy string `json:"completed_by"`
			Result      []struct {
				Value struct {
					Start, End int
					Text       string
					Labels     []string
				}
			}
		}
	}
	if err := json.Unmarshal(out, &tasks); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(tasks) != 2 || tasks[1].ID != 2 || len(tasks[0].Annotations) != 2 || tasks[0].Annotations[1].CompletedBy != "ben" ||
		len(tasks[1].Annotations) != 0 || sum.Documents != 2 {
		t.Errorf("tasks %+v", tasks)
	}
	v := tasks[0].Annotations[0].Result[0].Value
	if v.Start != 7 || v.End != 38 || v.Labels[0] != "Claim" {
		t.Errorf("value %+v", v)
	}
}

func TestSafeFileName(t *testing.T) {
	cases := map[string]string{
		"../../etc/passwd":       "etc-passwd",
		"..":                     "document",
		"":                       "document",
		"日本語のニュース":               "document",
		"CON":                    "CON-doc",
		"lpt1.txt":               "lpt1.txt-doc",
		".hidden file":           "hidden-file",
		`a/b\c:d*e?f"g<h>i|j`:    "a-b-c-d-e-f-g-h-i-j",
		"Ærøskøbing — Straße":    "AEroskobing-Strasse",
		"v1..2...3":              "v1.2.3",
		strings.Repeat("x", 100): strings.Repeat("x", 60),
	}
	for in, want := range cases {
		if got := SafeFileName(in); got != want {
			t.Errorf("SafeFileName(%q) = %q, want %q", in, got, want)
		}
	}
	e := newBratExporter(base{labels: newLabelList(nil)}, &memFiles{})
	var got []string
	for _, title := range []string{"Report", "report", "Report", "annotation", "Report-2"} {
		got = append(got, e.name(title))
	}
	if strings.Join(got, " ") != "Report report-2 Report-3 annotation-2 Report-2-2" {
		t.Errorf("names %v", got)
	}
	seen := map[string]bool{}
	for _, n := range got {
		if seen[strings.ToLower(n)] {
			t.Errorf("clash: %v", got)
		}
		seen[strings.ToLower(n)] = true
	}
}

func TestBratDiscontinuous(t *testing.T) {
	text := "First line\n\nsecond line\n\nthird"
	d := Doc{ID: "d", Title: "T", Text: text, Spans: []Span{
		{ID: "1", Start: 6, End: 18, Label: "Key claim", Text: "line\n\nsecond", Note: "a\tnote\non lines"},
		{ID: "2", Start: 23, End: 25, Label: "Claim", Text: "\n\n"}, // nothing but line breaks
	}}
	_, files, sum := exportAll(t, "brat", []Doc{d}, Options{Labels: []string{"Key claim"}})
	ann := files.files["T.ann"].String()
	if ann != "T1\tKey_claim 6 10;12 18\tline second\n#1\tAnnotatorNotes T1\ta note on lines\n" {
		t.Errorf("ann %q", ann)
	}
	if sum.Dropped != 1 || sum.Spans != 1 {
		t.Errorf("summary %+v", sum)
	}
	if !strings.Contains(files.files["annotation.conf"].String(), "[entities]\nKey_claim\n\n") {
		t.Errorf("conf %s", files.files["annotation.conf"])
	}
	if files.files["T.txt"].String() != text {
		t.Error("text changed")
	}
}
