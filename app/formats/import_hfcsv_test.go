package formats

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Issue 13: hf and csv come back in.

// The Hugging Face transformers test sample (testdata/peer, a copy of
// ../shared/peer-fixtures/huggingface): JSON Lines under a .json name,
// "words" and string "ner" tags.
func TestReadHFPeerFixture(t *testing.T) {
	const path = "testdata/peer/huggingface/transformers_conll_sample.json"
	if shared, err := os.ReadFile("../../../shared/peer-fixtures/huggingface/transformers_conll_sample.json"); err == nil {
		if mine, _ := os.ReadFile(path); !bytes.Equal(shared, mine) {
			t.Errorf("%s is not the shared peer fixture any more", path)
		}
	}
	recs, rep := readAll(t, path, "auto")
	if rep.Format != "hf" || len(recs) != 10 || len(rep.Skipped) != 0 {
		t.Fatalf("format %s, %d records, skipped %v", rep.Format, len(recs), rep.Skipped)
	}
	tokens, spans := 0, 0
	for _, r := range recs {
		tokens += len(strings.Split(r.Text, " "))
		spans += len(r.Spans)
		if r.Format != "hf" || r.Name != path || r.ID != "" || r.FileName != "transformers_conll_sample.json" {
			t.Errorf("record %+v", r)
		}
	}
	if tokens != 195 || spans != 25 {
		t.Errorf("%d tokens, %d spans; PROVENANCE.md counts 195 and 25", tokens, spans)
	}
	if recs[1].Text != "CHICAGO AT ATLANTA" || recs[1].Line != 2 || recs[1].Title != "CHICAGO AT ATLANTA" {
		t.Errorf("record 2: %q line %d", recs[1].Text, recs[1].Line)
	}
	if got := spansOfRecord(t, recs[2]); !reflect.DeepEqual(got, []string{"PER=Bill Clinton", "PER=Fowler", "ORG=Senate"}) {
		t.Errorf("record 3 spans %q", got)
	}
	if got := spansOfRecord(t, recs[8]); !reflect.DeepEqual(got, []string{"LOC=Scotland", "PER=Craig Brown", "PER=Duncan Ferguson"}) ||
		!strings.Contains(recs[8].Text, `: " I 've watched`) {
		t.Errorf("record 9: %q %q", recs[8].Text, got)
	}
}

// hfPair writes data and its labels file into a new folder and returns the
// data's path.
func hfPair(t *testing.T, data, labels string) string {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "out.jsonl")
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	if labels != "" {
		if err := os.WriteFile(filepath.Join(dir, "out.labels.json"), []byte(labels), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func hfDocs() []Doc {
	return []Doc{
		{ID: "0190a000-0000-7000-8000-0000000000d1", Text: "Housing plan 👍🏽\n\nThe minister said “we’ll build 280,000 homes” — a 12% rise.", Spans: []Span{
			{Start: 13, End: 15, Label: "Figure", Text: "👍🏽"},
			{Start: 36, End: 61, Label: "Claim", Text: "we’ll build 280,000 homes"},
			{Start: 67, End: 70, Label: "Figure", Text: "12%"},
		}},
		{ID: "0190a000-0000-7000-8000-0000000000d2", Text: "Nobody 👩‍👩‍👧 labelled this."},
		{ID: "not-a-uuid", Text: "Rents 👍🏽 rose.", Spans: []Span{{Start: 9, End: 13, Label: "Trend", Text: "rose"}}},
	}
}

// Gloss's own hf files come back: numbered tags named by out.labels.json,
// the document ID when a UUID, the text the tokens joined by one space;
// exported again, the same tokens, tags and labels file.
func TestHFRoundTrip(t *testing.T) {
	opts := Options{Labels: []string{"Claim", "Figure", "Proposal"}}
	first, files, _ := exportAll(t, "hf", hfDocs(), opts)
	labels := files.files["labels.json"].String()
	path := hfPair(t, string(first), labels)
	recs, rep := readAll(t, path, "auto")
	if rep.Format != "hf" || len(recs) != 3 || len(rep.Skipped) != 0 {
		t.Fatalf("format %s, %d records, skipped %v", rep.Format, len(recs), rep.Skipped)
	}
	r := recs[0]
	if r.ID != hfDocs()[0].ID || r.Format != "hf" || r.Line != 1 || recs[2].ID != "" || recs[2].Line != 3 {
		t.Errorf("records %+v", recs)
	}
	if r.Text != "Housing plan 👍🏽 The minister said “ we’ll build 280,000 homes ” — a 12% rise ." {
		t.Errorf("text %q", r.Text)
	}
	if got := spansOfRecord(t, r); !reflect.DeepEqual(got, []string{"Figure=👍🏽", "Claim=we’ll build 280,000 homes", "Figure=12%"}) {
		t.Errorf("spans %q", got)
	}
	if got := spansOfRecord(t, recs[2]); !reflect.DeepEqual(got, []string{"Trend=rose"}) {
		t.Errorf("spans %q", got)
	}
	recs[2].ID = "not-a-uuid" // as the export had it, to compare the bytes
	for i := range recs {
		withTexts(&recs[i]) // as the store gives them
	}
	second, files2, _ := exportAll(t, "hf", recs, opts)
	if !bytes.Equal(first, second) {
		t.Errorf("second export differs:\n%s\n%s", first, second)
	}
	if got := files2.files["labels.json"].String(); got != labels || labels != `["O","B-Claim","I-Claim","B-Figure","I-Figure","B-Proposal","I-Proposal","B-Trend","I-Trend"]`+"\n" {
		t.Errorf("labels file %s, then %s", labels, got)
	}
}

// withTexts fills in the covered text of d's spans.
func withTexts(d *Doc) {
	rs := []rune(d.Text)
	for i := range d.Spans {
		d.Spans[i].Text = string(rs[d.Spans[i].Start:d.Spans[i].End])
	}
}

// datasets' conll2003-style rows: numbered tags named by dataset_info.json
// (written for Gloss, in the shape save_to_disk gives it), the other
// columns counted.
func TestReadHFDatasetInfo(t *testing.T) {
	recs, rep := readAll(t, "testdata/hf_datasets/train.jsonl", "auto")
	if rep.Format != "hf" || len(recs) != 3 {
		t.Fatalf("format %s, %d records", rep.Format, len(recs))
	}
	if want := map[string]int{"hf column pos_tags": 3, "hf column chunk_tags": 3}; !reflect.DeepEqual(rep.Skipped, want) {
		t.Errorf("skipped %v", rep.Skipped)
	}
	var got []string
	for _, r := range recs {
		got = append(got, spansOfRecord(t, r)...)
	}
	if !reflect.DeepEqual(got, []string{"ORG=EU", "MISC=German", "MISC=British", "PER=Peter Blackburn", "LOC=BRUSSELS"}) || recs[0].Text != "👍🏽 EU rejects German call to boycott British lamb ." {
		t.Errorf("spans %q, text %q", got, recs[0].Text)
	}
	// labels.json beside the file is read when there is no NAME.labels.json,
	// as a list, a ClassLabel's {"names"} or a model's {"id2label"}.
	for _, labels := range []string{
		`["O","B-X","I-X"]`,
		`{"names":["O","B-X","I-X"],"_type":"ClassLabel"}`,
		`{"id2label":{"2":"I-X","0":"O","1":"B-X"}}`,
		"\ufeff[\"O\",\"X\",\"X\"]", // plain (IO) tags: a run is one span
	} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "labels.json"), []byte(labels), 0o644)
		p := filepath.Join(dir, "d.jsonl")
		os.WriteFile(p, []byte(`{"tokens":["a","b","c","d"],"ner_tags":[1,2,0,1]}`+"\n"), 0o644)
		recs, _ := readAll(t, p, "hf")
		if got := spansOfRecord(t, recs[0]); len(recs) != 1 || !reflect.DeepEqual(got, []string{"X=a b", "X=d"}) {
			t.Errorf("%s: spans %q", labels, got)
		}
	}
}

// The other shapes of rows: a JSON array (to_json(lines=False)), {"data":
// [...]}, rows pretty-printed one after the other; string tags in IOB1,
// BIOES and plain; white-space tokens and rows without tokens are counted.
func TestReadHFShapes(t *testing.T) {
	read := func(in string) ([]Doc, Report) {
		t.Helper()
		var recs []Doc
		rep, err := ReadRecords("f.json", strings.NewReader(in), "auto", func(d Doc) error { recs = append(recs, d); return nil })
		if err != nil {
			t.Fatalf("%.40q: %v", in, err)
		}
		if rep.Format != "hf" {
			t.Fatalf("%.40q: format %s", in, rep.Format)
		}
		return recs, rep
	}
	rows := `{"tokens":["Ana","Ruiz","👍🏽","Oslo"],"ner_tags":["I-PER","I-PER","O","S-LOC"]},` + "\n" +
		`{"words":["São","Paulo"," "],"ner":["PER","LOC","O"]}`
	for _, in := range []string{"[\n" + rows + "\n]", "\ufeff{\"data\": [\n" + rows + "\n], \"version\": 1}", strings.Replace(rows, "},\n", "}\n", 1)} {
		recs, rep := read(in)
		if len(recs) != 2 || rep.Skipped["hf white-space token"] != 1 {
			t.Fatalf("%.40q: %d records, skipped %v", in, len(recs), rep.Skipped)
		}
		if got := spansOfRecord(t, recs[0]); !reflect.DeepEqual(got, []string{"PER=Ana Ruiz", "LOC=Oslo"}) || recs[0].Text != "Ana Ruiz 👍🏽 Oslo" {
			t.Errorf("%.40q: %q %q", in, recs[0].Text, got)
		}
		if got := spansOfRecord(t, recs[1]); !reflect.DeepEqual(got, []string{"PER=São", "LOC=Paulo"}) || recs[1].Text != "São Paulo" {
			t.Errorf("%.40q: %q %q", in, recs[1].Text, got)
		}
		if recs[1].Line != 3 && recs[1].Line != 2 {
			t.Errorf("%.40q: line %d", in, recs[1].Line)
		}
	}
	recs, _ := read("[\n" + rows + "\n]")
	if recs[1].Where(nil) != "f.json:3: $[1]" {
		t.Errorf("where %q", recs[1].Where(nil))
	}
	recs, rep := read(`{"tokens":[],"ner_tags":[]}` + "\n" + `{"tokens":["x"],"ner_tags":["O"]}`)
	if len(recs) != 1 || rep.Skipped["hf row without tokens"] != 1 || recs[0].Line != 2 {
		t.Errorf("%d records, skipped %v", len(recs), rep.Skipped)
	}
}

// Bad hf input is refused with the file, the line and the JSON path, and
// nothing after the bad row is read.
func TestReadHFErrors(t *testing.T) {
	good := `{"tokens":["a"],"ner_tags":[0]}` + "\n"
	cases := []struct {
		data, labels, want string
	}{
		{good + `{"tokens":["a","b"],"ner_tags":[0]}` + "\n" + good, `["O"]`, "out.jsonl:2: $.ner_tags: 1 tags for 2 tokens"},
		{good + `{"tokens":["a"],"ner_tags":[3]}` + "\n" + good, `["O","B-X","I-X"]`, "out.jsonl:2: $.ner_tags[0]: tag number 3 has no name: "},
		{good + `{"tokens":["a"],"ner_tags":[-1]}` + "\n", `["O"]`, "out.jsonl:2: $.ner_tags[0]: want a tag (a string) or a tag number (0, 1, ...), got a number -1"},
		{good + `{"tokens":["a"],"ner_tags":[1.5]}` + "\n", `["O"]`, "out.jsonl:2: $.ner_tags[0]: want a tag (a string) or a tag number"},
		{good + `{"tokens":["a"]}` + "\n", `["O"]`, `out.jsonl:2: $: no "ner_tags" (or "ner" or "tags")`},
		{good + `{"ner_tags":[0]}` + "\n", `["O"]`, `out.jsonl:2: $: no "tokens" (or "words")`},
		{good + `{"tokens":"a b","ner_tags":[0]}` + "\n", `["O"]`, `out.jsonl:2: $.tokens: want an array of strings, got a string`},
		{good + `{"tokens":["a"],"ner_tags":["B-"]}` + "\n", `["O"]`, `out.jsonl:2: $.ner_tags[0]: "B-" is not a tag`},
		{good + "[1]\n", `["O"]`, "out.jsonl:2: $: want an object"},
		{good + `{"tokens":["a"],"ner_tags":[0]` + "\n", `["O"]`, "out.jsonl:2: invalid JSON"},
		{`[{"tokens":["a"],"ner_tags":[0]},` + "\n" + `{"tokens":["a"],"ner_tags":[0,0]}]`, `["O"]`, "out.jsonl:2: $[1].ner_tags: 2 tags for 1 tokens"},
		// The labels file: missing, broken, or with a name that is no tag.
		{good, "", "out.jsonl:1: $.ner_tags[0]: numbered tags need their names, and there is no file of them beside the data: looked for out.labels.json, labels.json, dataset_info.json in "},
		{good, `["O",`, "out.jsonl:1: $.ner_tags[0]: numbered tags: their names in "},
		{good, `["O","B X"]`, `is not a tag`},
		{good, `{"features":{"tags":{}}}`, `its features have no "ner_tags"`},
		{good, `[]`, `the list of names is empty`},
	}
	for _, c := range cases {
		path := hfPair(t, c.data, c.labels)
		n := 0
		_, err := ReadFile(path, "hf", ReadOptions{}, func(Doc) error { n++; return nil })
		if err == nil || !strings.HasPrefix(err.Error(), path[:len(path)-len("out.jsonl")]) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%.50q with %q:\n got %v\nwant …%s…", c.data, c.labels, err, c.want)
			continue
		}
		if line := strings.SplitN(strings.TrimPrefix(err.Error(), path+":"), ":", 2)[0]; line == "2" && n != 1 || line == "1" && n != 0 {
			t.Errorf("%.50q: %d records read before the error at line %s", c.data, n, line)
		}
	}
}

// csvDocs are documents the way the store would give them to the csv
// exporter, and the lookup of their texts by ID.
func csvDocs() ([]Doc, func(string) (string, bool, error)) {
	at := time.Date(2025, 3, 4, 15, 4, 5, 0, time.UTC)
	docs := []Doc{
		{ID: "0190a000-0000-7000-8000-0000000000c1", Title: "Housing, “plan” 👍🏽", Text: "Housing plan 👍🏽\n\nThe minister said “we’ll build 280,000 homes” — a 12% rise.\nCritics doubt it 👍🏽", Spans: []Span{
			{Start: 13, End: 15, Label: "Figure", Text: "👍🏽", Annotator: "ben", Created: at},
			{Start: 36, End: 61, Label: "Claim", Text: "we’ll build 280,000 homes", Annotator: "ana", Note: "a “note”, with \"quotes\"\nand a line break", Created: at},
			{Start: 67, End: 84, Label: "Claim", Text: "12% rise.\nCritics", Annotator: "ana", Created: at},
			{Start: 94, End: 96, Label: "Figure", Text: "👍🏽", Annotator: "", Created: at},
		}},
		{ID: "0190a000-0000-7000-8000-0000000000c2", Title: "Nobody", Text: "Nobody 👩‍👩‍👧 labelled this."},
		{ID: "0190a000-0000-7000-8000-0000000000c3", Title: "Rents", Text: "Rents 👍🏽 rose.", Spans: []Span{{Start: 9, End: 13, Label: "Trend", Text: "rose", Annotator: "ana"}}},
	}
	texts := map[string]string{}
	for _, d := range docs {
		texts[d.ID] = d.Text
	}
	return docs, func(id string) (string, bool, error) { t, ok := texts[id]; return t, ok, nil }
}

// A CSV Gloss wrote comes back onto the documents it was written from
// (found by document_id), in either unit: export → import → export gives
// the same bytes.
func TestCSVRoundTrip(t *testing.T) {
	for _, unit := range []OffsetUnit{UnitDefault, UnitUTF16} {
		docs, texts := csvDocs()
		first, _, _ := exportAll(t, "csv", docs, Options{Offsets: unit})
		if unit == UnitUTF16 && !bytes.Contains(first, []byte(",38,63,Claim,")) || unit == UnitDefault && !bytes.Contains(first, []byte(",36,61,Claim,")) {
			t.Fatalf("%s: the export has other offsets than expected:\n%s", unit, first)
		}
		p := filepath.Join(t.TempDir(), "spans.csv")
		os.WriteFile(p, first, 0o644)
		var recs []Doc
		rep, err := ReadFile(p, "auto", ReadOptions{Offsets: unit, Texts: texts}, func(d Doc) error { recs = append(recs, d); return nil })
		if err != nil {
			t.Fatalf("%s: %v", unit, err)
		}
		if rep.Format != "csv" || len(recs) != 2 || len(rep.Skipped) != 0 {
			t.Fatalf("%s: format %s, %d records, skipped %v", unit, rep.Format, len(recs), rep.Skipped)
		}
		for i, want := range []Doc{docs[0], docs[2]} {
			got := recs[i]
			if got.ID != want.ID || got.Text != want.Text || got.Title != want.Title || got.Format != "csv" || len(got.Spans) != len(want.Spans) {
				t.Fatalf("%s: record %+v", unit, got)
			}
			for j, s := range got.Spans {
				w := want.Spans[j]
				if s.Start != w.Start || s.End != w.End || s.Label != w.Label || s.Text != w.Text || s.Annotator != w.Annotator || s.Note != w.Note {
					t.Errorf("%s: span %s %+v, want %+v", unit, got.Where(&got.Spans[j]), s, w)
				}
			}
		}
		if recs[0].Line != 2 || recs[0].Spans[3].Line != 7 || recs[1].Line != 8 || recs[0].Where(&recs[0].Spans[3]) != p+":7" {
			t.Errorf("%s: lines %d %d %d", unit, recs[0].Line, recs[0].Spans[3].Line, recs[1].Line)
		}
		for _, d := range docs {
			if d.ID == docs[1].ID {
				recs = append(recs[:1], append([]Doc{d}, recs[1:]...)...) // no rows, no record: the store still has it
			}
		}
		second, _, _ := exportAll(t, "csv", recs, Options{Offsets: unit})
		if !bytes.Equal(first, second) {
			t.Errorf("%s: second export differs:\n%s\n%s", unit, first, second)
		}
	}
}

// What spreadsheets make of a CSV still reads: a BOM, CRLF rows, columns in
// another order and case, ";" as the separator, a column of their own.
func TestReadCSVFromSpreadsheets(t *testing.T) {
	_, texts := csvDocs()
	in := "\ufeffLabel;Start;End;Document_ID;Text;Comment\r\n" +
		"Claim;36;61;0190a000-0000-7000-8000-0000000000c1;we’ll build 280,000 homes;checked\r\n" +
		"Claim;67;84;0190a000-0000-7000-8000-0000000000c1;\"12% rise.\r\nCritics\";\r\n" +
		"Trend;9;13;0190a000-0000-7000-8000-0000000000c3;rose;\r\n"
	var recs []Doc
	rep, err := ReadRecordsWith("s.csv", strings.NewReader(in), "auto", ReadOptions{Texts: texts}, func(d Doc) error { recs = append(recs, d); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if rep.Format != "csv" || len(recs) != 2 || rep.Skipped["csv column comment"] != 1 {
		t.Fatalf("format %s, %d records, skipped %v", rep.Format, len(recs), rep.Skipped)
	}
	if got := spansOfRecord(t, recs[0]); !reflect.DeepEqual(got, []string{"Claim=we’ll build 280,000 homes", "Claim=12% rise.\nCritics"}) ||
		recs[0].Title != "Housing plan 👍🏽" || recs[1].Line != 5 || recs[0].Spans[0].Annotator != "" {
		t.Errorf("spans %q, title %q, line %d", got, recs[0].Title, recs[1].Line)
	}
	// The same document again later is another record of it.
	in = "document_id,start,end,label\n" +
		"0190a000-0000-7000-8000-0000000000c1,13,15,Figure\n0190a000-0000-7000-8000-0000000000c3,9,13,Trend\n0190a000-0000-7000-8000-0000000000c1,94,96,Figure\n"
	recs = nil
	if _, err := ReadRecordsWith("s.csv", strings.NewReader(in), "csv", ReadOptions{Texts: texts}, func(d Doc) error { recs = append(recs, d); return nil }); err != nil || len(recs) != 3 || recs[2].ID != recs[0].ID {
		t.Errorf("%d records, %v", len(recs), err)
	}
	// A stored text with CRLF (Gloss JSONL keeps it): the CRLF of a quoted
	// field, which encoding/csv reads as LF, is the stored text's.
	crlf := func(string) (string, bool, error) { return "one\r\ntwo", true, nil }
	recs = nil
	in = "document_id,start,end,label,text\nd,0,8,X,\"one\r\ntwo\"\n"
	if _, err := ReadRecordsWith("s.csv", strings.NewReader(in), "csv", ReadOptions{Texts: crlf}, func(d Doc) error { recs = append(recs, d); return nil }); err != nil || recs[0].Spans[0].Text != "one\r\ntwo" || recs[0].Text != "one\r\ntwo" {
		t.Errorf("CRLF text: %+v, %v", recs, err)
	}
}

// Bad CSV is refused with the file, the line and the column, and nothing
// after the bad row is read.
func TestReadCSVErrors(t *testing.T) {
	_, texts := csvDocs()
	const d1 = "0190a000-0000-7000-8000-0000000000c1"
	head := "document_id,title,start,end,label,text,annotator,note\n"
	ok := d1 + ",T,13,15,Figure,👍🏽,ben,\n"
	cases := []struct {
		in   string
		opts ReadOptions
		want string
	}{
		{"", ReadOptions{Texts: texts}, "s.csv: empty file (want a header: document_id,title,start,end,label,text,annotator,note)"},
		{"document_id,title,start,label\n" + ok, ReadOptions{Texts: texts}, `s.csv:1: no column "end" in the header "document_id,title,start,label"`},
		{"document_id,start,end,label,Start\n", ReadOptions{Texts: texts}, `s.csv:1: column "start" twice in the header`},
		{head + ok, ReadOptions{}, "s.csv:2: column document_id: a CSV has no document texts, so its spans can only go onto documents already in the database"},
		{head + ok + "0190a000-0000-7000-8000-0000000000ff,T,1,2,X,,ana,\n", ReadOptions{Texts: texts}, "s.csv:3: column document_id: no document 0190a000-0000-7000-8000-0000000000ff in the database"},
		{head + ok + ",T,1,2,X,,ana,\n", ReadOptions{Texts: texts}, "s.csv:3: column document_id: empty"},
		{head + ok + d1 + ",T,one,2,X,,ana,\n", ReadOptions{Texts: texts}, `s.csv:3: column start: "one" is not a whole number`},
		{head + ok + d1 + ",T,1,2.5,X,,ana,\n", ReadOptions{Texts: texts}, `s.csv:3: column end: "2.5" is not a whole number`},
		{head + ok + d1 + ",T,1,2,X\n", ReadOptions{Texts: texts}, "s.csv:3: 5 fields, but the header has 8"},
		{head + ok + d1 + ",T,1,2,X,\"a\"b,ana,\n", ReadOptions{Texts: texts}, `s.csv:3: invalid CSV: extraneous or missing " in quoted-field`},
		{head + ok + d1 + ",T,1,2,X,\"open,ana,\n" + ok, ReadOptions{Texts: texts}, `s.csv:3: invalid CSV: extraneous or missing " in quoted-field`},
		{head + ok + d1 + ",T,14,17,X,,ana,\n", ReadOptions{Texts: texts, Offsets: UnitUTF16}, "s.csv:3: columns start, end: start 14 (UTF-16): UTF-16 offset 14 is inside a surrogate pair"},
		{head + ok + d1 + ",T,1,2,X,\xff,ana,\n", ReadOptions{Texts: texts}, "s.csv:3: column text: not valid UTF-8"},
		{head + ok + "x,T,1,2,X,,ana,\n", ReadOptions{Texts: func(string) (string, bool, error) { return "", false, os.ErrPermission }}, "s.csv:2: column document_id: document 0190a000-0000-7000-8000-0000000000c1: permission denied"},
	}
	const after = "0190a000-0000-7000-8000-0000000000c3,T,9,13,Trend,rose,ana,\n"
	for _, c := range cases {
		var ids []string
		in := c.in
		if in != "" {
			in += after
		}
		_, err := ReadRecordsWith("s.csv", strings.NewReader(in), "csv", c.opts, func(d Doc) error { ids = append(ids, d.ID); return nil })
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%.60q:\n got %v\nwant …%s…", c.in, err, c.want)
			continue
		}
		// Only the document before the bad row may have been handed over
		// (the import's one transaction drops it); nothing after it.
		if len(ids) > 1 || len(ids) == 1 && ids[0] != d1 {
			t.Errorf("%.60q: records %v handed over", c.in, ids)
		}
	}
	// A header alone (a database without spans) is no record and no error.
	if rep, err := ReadRecordsWith("s.csv", strings.NewReader(head), "csv", ReadOptions{}, func(Doc) error { return nil }); err != nil || rep.Records != 0 {
		t.Errorf("header only: %+v %v", rep, err)
	}
}
