package formats

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The fast readers (fastValues, fastSpans, fastLS) must read every file as
// the encoding/json readers do: the same records, the same report, the
// same error. These tests read each input both ways and compare.

type readResult struct {
	docs []Doc
	rep  Report
	err  string
}

func readWith(fast bool, format string, opts ReadOptions, data []byte) readResult {
	defer func(was bool) { fastReaders = was }(fastReaders)
	fastReaders = fast
	var out readResult
	rep, err := ReadRecordsWith("in", bytes.NewReader(data), format, opts, func(d Doc) error {
		out.docs = append(out.docs, d)
		if len(out.docs) == 50 {
			return errStopTest // a callback error ends both the same way
		}
		return nil
	})
	out.rep = rep
	if err != nil {
		out.err = err.Error()
	}
	return out
}

var errStopTest = fmt.Errorf("stop")

// sameBothWays fails unless data reads the same with and without the fast
// paths.
func sameBothWays(t *testing.T, format string, opts ReadOptions, data []byte) {
	t.Helper()
	slow := readWith(false, format, opts, data)
	fast := readWith(true, format, opts, data)
	if fast.err != slow.err {
		t.Fatalf("%s %q:\nfast error %q\nslow error %q", format, data, fast.err, slow.err)
	}
	if !reflect.DeepEqual(fast.rep, slow.rep) {
		t.Fatalf("%s %q:\nfast report %+v\nslow report %+v", format, data, fast.rep, slow.rep)
	}
	if len(fast.docs) != len(slow.docs) {
		t.Fatalf("%s %q: fast %d records, slow %d", format, data, len(fast.docs), len(slow.docs))
	}
	for i := range fast.docs {
		if !reflect.DeepEqual(fast.docs[i], slow.docs[i]) {
			t.Fatalf("%s %q: record %d:\nfast %#v\nslow %#v", format, data, i, fast.docs[i], slow.docs[i])
		}
	}
}

// exported writes docs with format's exporter.
func exported(t testing.TB, format string, opts Options, docs ...Doc) []byte {
	t.Helper()
	var b bytes.Buffer
	ex, err := NewExporter(format, &b, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if err := ex.Write(d); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ex.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// fastDocs are documents like the benchmark's (emoji, curly quotes, an em
// dash, a CRLF in one), with spans of two annotators, one with two labels
// on the same extent.
func fastDocs() []Doc {
	at := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	texts := []string{
		"Document 1. “Inflation,” the minister said — “will fall to 3% by spring.” 👍🏽 The budget adds 280,000 homes.",
		"Line one\r\nLine 👍🏽 two — “quoted”.",
		"plain ascii text with no spans",
	}
	var docs []Doc
	for i, text := range texts {
		rs := []rune(strings.ReplaceAll(text, "\r\n", "\n"))
		d := Doc{ID: fmt.Sprintf("01900000-0000-7000-8000-0000000000%02d", i), Title: fmt.Sprintf("Doc %d", i), Text: string(rs), Format: "text", ImportedAt: at}
		if i < 2 {
			for k, ext := range [][2]int{{0, 8}, {13, 22}, {len(rs) - 6, len(rs) - 1}} {
				who := "ana"
				if k == 2 {
					who = "ben"
				}
				d.Spans = append(d.Spans, Span{ID: fmt.Sprintf("01900000-0000-7000-8000-0000000001%d%d", i, k), Start: ext[0], End: ext[1],
					Label: []string{"Claim", "Figure", "Proposal"}[k], Text: string(rs[ext[0]:ext[1]]), Annotator: who, Created: at, Updated: at})
			}
			d.Spans = append(d.Spans, Span{Start: 0, End: 8, Label: "Figure", Text: string(rs[0:8]), Annotator: "ana", Created: at, Updated: at})
		}
		docs = append(docs, d)
	}
	return docs
}

// fastSeeds are inputs of the three formats: Gloss's exports, the test
// files, and shapes the fast readers must decline or read exactly.
func fastSeeds(t testing.TB) map[string][]string {
	docs := fastDocs()
	seeds := map[string][]string{
		"spacy": {
			string(exported(t, "spacy", Options{}, docs...)),
			`{"text": "👍🏽 “We’ll build 280,000 homes,” she said.", "spans": [{"start": 16, "end": 23, "label": "MONEY", "text": "280,000"}], "answer": "accept", "_annotator_id": "ana", "_timestamp": 1700000000}` + "\n",
			"{\"text\": \"Line\\r\\nTwo 👍🏽\", \"entities\": [[6, 9, \"N\"], [10, 12, \"E\"]]}\r\n",
			`["Ana Ruiz agreed.", {"entities": [[0, 8, "PERSON"]]}]`,
			`{"text": "x", "spans": [{"start": 1, "end": 0, "label": "X"}], "answer": "reject"}`,
			"{\n  \"text\": \"pretty\",\n  \"spans\": [\n    {\"start\": 0, \"end\": 6, \"label\": \"P\"}\n  ]\n}\n{\"text\": \"two\", \"spans\": []}",
			"\n\n{\"text\":\"ab\",\"spans\":[{\"start\":0,\"end\":1}]}\n",
			`{"text":"ab","spans":[{"start":0.5,"end":1,"label":"X"}]}`,
			`{"text":5}`,
			`{"text":"a","answer":"maybe"}`,
			`{"text":"a","text":"b","spans":[]}`,
			`{"text":"a","spans":null,"entities":[[0,1,"X"]]}`,
			`{"text":"a","spans":"no","entities":[[0,1,"X"]]}`,
			`{"text":"abc","spans":[{"start":0,"start_offset":1,"end":2,"end_offset":3,"labels":["A","B"],"id":"01900000-0000-7000-8000-000000000001"}]}`,
			`{"text":"abc","spans":[{"start_offset":1,"end_offset":3,"labels":["A",null]}]}`,
			`{"text":"abc","spans":[{"start":1,"end":2,"label":3}]}`,
			`{"text":"abc","spans":[{"start":1,"end":2,"label":"X","text":"b\r"}]}`,
			`{"text":"abc","_session_id":"s-1","_annotator_id":7,"answer":"accept","spans":[]}`,
			`{"text":"abc","_annotator_id":" ","answer":"accept","spans":[[0,1,"X"]]}`,
			`{"text":"abc","meta":{"title":"  ","id":"01900000-0000-7000-8000-000000000002"},"spans":[]}`,
			`{"text":"abc","meta":{"title":"A title","id":5},"spans":[]}`,
			`{"text":"abc","meta":"x","relations":[{"a":1},{"b":2}],"spans":[]}`,
			`{"text":"abc","relations":{},"spans":[]}`,
			`{"te\u0078t":"escaped key","spans":[[0,2,"X"]]}`,
			`{"text":"a\ud83d\udc4db","spans":[[0,1,"X"]]}`,
			`{"text":"lone \ud83d","spans":[]}`,
			`{"text":"a"} {"text":"b"}`,
			"\ufeff{\"text\":\"bom\"}\n",
			"{\"text\":\"a\",\"spans\":[]}\n{\"text\": \"b\",\n",
			"{\"text\":\"bad \xff\"}\n",
			`{"text":"a","_timestamp":1e3}`,
			`{"text":"a","_timestamp":99999999999999}`,
			`{"text":"a","tokens":[{"text":"a","start":0,"end":1,"id":0,"ws":false}],"spans":[[0,1,"X"]],"deep":[[[[[[1]]]]]]}`,
			`{"text":"a","spans":[[0,1,"X"]],"x":tru}`,
			`{"text":"a","spans":[[0,1,"X"]],"x":"\q"}`,
			`{"text":"a","spans":[[0,1,"X"]],"x":01}`,
			`{"text":"a","spans":[[0,1,"X"],]}`,
			`{"text":"a\tb"}`,
			"{\"text\":\"a\u2028b\"}\n\u00a0\n",
			`{"text":"Title line\n\n  second","spans":[]}`,
		},
		"doccano": {
			string(exported(t, "doccano", Options{}, docs...)),
			string(exported(t, "doccano", Options{Offsets: UnitCodePoints}, docs...)),
			`{"id": 1, "text": "👍🏽 Ana Ruiz agreed.", "label": [[5, 13, "PERSON"]], "relations": [{"from_id": 1, "to_id": 2}]}`,
			`{"text":"ab","label":[[0,1]]}`,
			`{"text":"👍🏽 ab","label":[[1,3,"X"]]}`,
			`{"text":"👍🏽 ab","label":[[0,99,"X"],[-1,2,"Y"]]}`,
			`[1,2]`,
			`{"data":"flair text","label":[[0,5,"X"]]}`,
			`{"data":7,"label":[]}`,
			`{"id":"01900000-0000-7000-8000-000000000003","text":"abc","entities":[{"start_offset":0,"end_offset":1,"label":"X"}]}`,
			`{"id":null,"text":"abc","annotations":[{"start_offset":0,"end_offset":1,"label":"X"}]}`,
			`{"text":"abc","labels":[[2,1,"X"]],"label":null}`,
			"{\"text\":\"a\\r\\nb👍🏽c\",\"label\":[[3,5,\"X\"],[0,4,\"Y\"]]}\n",
		},
		"labelstudio": {
			string(exported(t, "labelstudio", Options{}, docs...)),
			string(exported(t, "labelstudio", Options{Offsets: UnitUTF16}, docs...)),
			`{"data": {"text": "one task"}, "annotations": [{"completed_by": 3, "result": [{"id": "x", "type": "labels", "value": {"start": 0, "end": 3, "text": "one", "labels": ["A"]}}]}]}`,
			"[{\"data\":{\"text\":\"abc\"},\"annotations\":[{\"result\":[{\"type\":\"labels\",\"value\":{\"start\":\"0\",\"end\":1,\"labels\":[\"X\"]}}]}]}]",
			"[\n{\"data\":{\"text\":\"abc\"}},\n{\"data\":{\"text\":\"abc\"},\"annotations\":[{\"result\":[{\"type\":\"labels\",\"value\":{\"start\":0,\"end\":2,\"text\":\"xyz\",\"labels\":[\"X\"]}}]}]}]",
			"[{\"data\":{\"a\":\"x\",\"b\":\"y\"}}]",
			"[{\"data\":{\"text\":\"a\"}}, oops]",
			"[\n{\"data\":{\"text\":\"a\"}},\n]\n",
			"[\n{\"data\":{\"text\":\"a\"}}\n,{\"data\":{\"text\":\"b\"}}\n]\n",
			"[\n{\"data\":{\"text\":\"a\"}}\n]\nmore\n",
			"[\n{\"data\":{\"text\":\"a\"}}\n]\n[]",
			"[\n{\"data\":{\"text\":\"a\"}},\n",
			"[\n{\"data\":{\"text\":\"a\"}}",
			"[\n{\"data\":{\"text\":\"a\"}}\n",
			"[\n]\n",
			"[]",
			"\ufeff[\n{\"data\":{\"text\":\"a\"}}\n]\n",
			"[\n{\"Data\":{\"text\":\"a\"}}\n]\n",
			"[\n{\"data\":{\"text\":\"a\"},\"Annotations\":[]}\n]\n",
			"[\n{\"data\":{\"text\":\"bad \xff\"}}\n]\n",
			"[\n{\"data\":null,\"text\":\"flat\"}\n]\n",
			"[\n{\"text\":null}\n]\n",
			`[{"data":{"text":"Line one\r\nLine two"},"meta":{"id":"01900000-0000-7000-8000-000000000004"},"annotations":[{"completed_by":"  ana ","created_at":"2025-03-04T15:00:00.000000Z","updated_at":"2025-03-04 16:00:00Z","result":[{"id":"01900000-0000-7000-8000-000000000005","type":"labels","value":{"start":10,"end":14,"text":"Line","labels":["A","B"]}},{"id":"01900000-0000-7000-8000-000000000005","type":"labels","value":{"start":0,"end":3,"labels":["C"]}},{"type":"choices","value":{"choices":["x"]}},{"value":{}}]},{"was_cancelled":true,"result":[]}],"completions":[{"result":[]}]}]`,
			`[{"data":{"text":"abcdef"},"completions":[{"completed_by":{"email":"a@b"},"result":[]}]}]`,
			`[{"data":{"text":"abcdef"},"annotations":[],"completions":[{"completed_by":null,"result":[{"type":"labels","value":{"start":0,"end":2,"text":"abc","labels":["X"]}}]}]}]`,
			`[{"data":{"text":"a  b c"},"annotations":[{"result":[{"type":"labels","value":{"start":0,"end":6,"text":"a b c","labels":["X"]}}]}]}]`,
			`[{"data":{"text":"👍🏽 abc"},"annotations":[{"result":[{"type":"labels","value":{"start":3,"end":6,"text":"abc","labels":["X"]}}]}]}]`,
			`[{"data":{"text":"abc"},"annotations":[{"result":[{"type":"labels","value":{"start":0,"end":2,"text":"abc","labels":["X"]}}]}]}]`,
			`[{"data":{"text":"abc"},"annotations":[null]}]`,
			`[{"data":{"text":"abc"},"annotations":[{"result":[null]}]}]`,
			`[{"data":{"text":"abc"},"annotations":[{"was_cancelled":"no"}]}]`,
			`[{"data":{"text":"abc"},"predictions":[{"model_version":"m1","score":0.5,"result":[{"id":"01900000-0000-7000-8000-000000000006","type":"labels","value":{"start":0,"end":2,"text":"ab","labels":["X"]},"score":0.9},{"type":"labels","value":{"start":0,"end":2,"text":"zz","labels":["Y"]}}]},7]}]`,
			`[{"data":{"text":"abc"},"predictions":[{"result":[{"type":"labels","value":{"start":0,"end":2,"labels":["X"]},"score":2}]}]}]`,
			`[{"data":{"text":"abc"},"predictions":"x"}]`,
		},
	}
	// Relations and attributes, which the fast readers leave to the slow.
	rel := relDoc(t)
	seeds["spacy"] = append(seeds["spacy"], string(exported(t, "spacy", Options{}, rel)),
		`{"text":"ab cd","spans":[{"start":0,"end":2,"label":"X","token_end":0},{"start":3,"end":5,"label":"Y","token_end":1}],"relations":[{"head":0,"child":1,"label":"r"}]}`,
		`{"text":"ab cd","spans":[[0,2,"X"]],"relations":[]}`,
		`{"text":"ab cd","spans":[[0,2,"X"]],"relations":null}`)
	seeds["doccano"] = append(seeds["doccano"], string(exported(t, "doccano", Options{}, rel)),
		`{"text":"ab cd","entities":[{"id":"a","start_offset":0,"end_offset":2,"label":"X"},{"id":"a","start_offset":3,"end_offset":5,"label":"X"}],"relations":[{"from_id":"a","to_id":"a","type":"r"}]}`)
	seeds["labelstudio"] = append(seeds["labelstudio"], string(exported(t, "labelstudio", Options{Schema: relSchema()}, rel)),
		string(exported(t, "labelstudio", Options{Schema: relSchema(), Offsets: UnitUTF16}, rel)))
	for _, f := range []struct{ format, file string }{{"spacy", "import_spacy.jsonl"}, {"doccano", "import_doccano.jsonl"},
		{"labelstudio", "import_labelstudio.json"}, {"labelstudio", "import_labelstudio_0x.json"}, {"labelstudio", "import_labelstudio_predictions.json"},
		{"spacy", "import_prodigy_relations.jsonl"}, {"labelstudio", "import_labelstudio_relations.json"},
		{"doccano", "peer/doccano/import_relation_extraction_example_pretty.jsonl"}, {"doccano", "peer/doccano/import_tests_relation_extraction_example.jsonl"}} {
		b, err := os.ReadFile("testdata/" + f.file)
		if err != nil {
			t.Fatal(err)
		}
		seeds[f.format] = append(seeds[f.format], string(b))
		if f.format == "labelstudio" {
			// The same tasks one per line, as Gloss writes them.
			seeds[f.format] = append(seeds[f.format], oneTaskPerLine(t, b))
		}
	}
	return seeds
}

// oneTaskPerLine rewrites a Label Studio task list one compact task per
// line.
func oneTaskPerLine(t testing.TB, b []byte) string {
	var tasks []any
	if err := jsonUnmarshalUseNumber(b, &tasks); err != nil {
		return string(b) // one task, not a list
	}
	var out strings.Builder
	out.WriteString("[\n")
	for i, task := range tasks {
		if i > 0 {
			out.WriteString(",\n")
		}
		out.WriteString(jsonCompact(t, task))
	}
	out.WriteString("\n]\n")
	return out.String()
}

func TestFastReadersAgree(t *testing.T) {
	for format, seeds := range fastSeeds(t) {
		for _, s := range seeds {
			for _, opts := range []ReadOptions{{}, {Offsets: UnitUTF16}, {Offsets: UnitCodePoints}} {
				sameBothWays(t, format, opts, []byte(s))
			}
		}
	}
}

// The fast readers take what Gloss writes (else the benchmark measures
// encoding/json).
func TestFastReadersTakeGlossExports(t *testing.T) {
	docs := fastDocs()
	for _, format := range []string{"spacy", "doccano"} {
		data := exported(t, format, Options{}, docs...)
		f, _ := Lookup(format)
		fs := &fastSpans{name: "in", format: format, unit: f.Own()}
		for i, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
			if _, _, ok := fs.record(line, i+1, &Report{}); !ok {
				t.Errorf("%s: fastSpans declines line %d: %s", format, i+1, line)
			}
		}
	}
	data := exported(t, "labelstudio", Options{}, docs...)
	lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
	fl := &fastLS{name: "in"}
	for i, line := range lines[1 : len(lines)-1] {
		line = bytes.TrimSuffix(line, []byte(","))
		if _, ok := fl.task(line, i+2, fmt.Sprintf("$[%d]", i), &Report{}); !ok {
			t.Errorf("labelstudio: fastLS declines task %d: %s", i, line)
		}
	}
}

func FuzzFastReadersAgree(f *testing.F) {
	formats := []string{"spacy", "doccano", "labelstudio"}
	seeds := fastSeeds(f)
	for i, format := range formats {
		for _, s := range seeds[format] {
			f.Add([]byte(s), uint8(i), uint8(0))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, format, unit uint8) {
		opts := ReadOptions{Offsets: []OffsetUnit{UnitDefault, UnitUTF16, UnitCodePoints}[int(unit)%3]}
		sameBothWays(t, formats[int(format)%len(formats)], opts, data)
	})
}

func FuzzRecordTitle(f *testing.F) {
	for _, s := range []string{"", "\n\n  Title  line \t two\nrest", strings.Repeat("word ", 100), strings.Repeat("“Inflation,” — 👍🏽 ", 30),
		"\u00a0\u2028 x\u3000y", "bad \xff\xfe bytes " + strings.Repeat("é", 250), strings.Repeat("a", 199) + " b", strings.Repeat("a ", 100) + ".."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := recordTitle(s), truncateTitle(firstLine(s)); got != want {
			t.Fatalf("recordTitle(%q) = %q, want %q", s, got, want)
		}
	})
}

func jsonUnmarshalUseNumber(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return dec.Decode(v)
}

func jsonCompact(t testing.TB, v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}
