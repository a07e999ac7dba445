package formats

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"gloss/app/offsets"
)

const (
	sugID1 = "0190a1b2-0000-7000-8000-00000000e101"
	sugID2 = "0190a1b2-0000-7000-8000-00000000e102"
	sugID3 = "0190a1b2-0000-7000-8000-00000000e103"
)

// sugDocs are goldenDocs with suggestions on the first: two from the
// tagger (one with a label the set lacks) and a pattern's.
func sugDocs() []Doc {
	docs := goldenDocs()
	at := time.Date(2025, 3, 6, 8, 0, 0, 250, time.UTC)
	docs[0].Suggestions = []Suggestion{
		{ID: sugID1, Start: 19, End: 26, Label: "Figure", LabelID: "l-fig", Text: "280,000", Annotator: "ana", AnnotatorID: "a-1",
			Score: 0.9, Source: "tagger", ModelVersion: "3", Created: at},
		{ID: sugID2, Start: 0, End: 5, Label: "Family", Text: "👩‍👩‍👧", Annotator: "ana", AnnotatorID: "a-1",
			Score: 0.6, Source: "tagger", ModelVersion: "3", Created: at},
		{ID: sugID3, Start: 39, End: 43, Label: "Proposal", Text: "said", Annotator: "ana", AnnotatorID: "a-1",
			Score: 1, Source: "pattern", Rule: "said-verb", Created: at.Add(time.Second)},
	}
	return docs
}

// Label Studio: suggestions are predictions beside the annotations, one per
// source, each result shaped like an annotation's with its own score.
func TestLabelStudioExportsPredictions(t *testing.T) {
	for _, unit := range []OffsetUnit{UnitCodePoints, UnitUTF16} {
		out, _, sum := exportAll(t, "labelstudio", sugDocs(), Options{Offsets: unit})
		if sum.Suggestions != 3 || sum.SuggestionsLeftOut != 0 || sum.Spans != 3 || sum.Documents != 2 {
			t.Errorf("%s: summary %+v", unit, sum)
		}
		type result struct {
			ID       string `json:"id"`
			FromName string `json:"from_name"`
			ToName   string `json:"to_name"`
			Type     string `json:"type"`
			Value    struct {
				Start, End int
				Text       string
				Labels     []string
			}
			Score *float64
		}
		var tasks []struct {
			Annotations []struct {
				Result []result
			}
			Predictions []struct {
				ModelVersion string `json:"model_version"`
				Score        *float64
				Result       []result
			}
		}
		if err := json.Unmarshal(out, &tasks); err != nil {
			t.Fatal(err)
		}
		annResults := 0
		for _, a := range tasks[0].Annotations {
			annResults += len(a.Result)
			for _, r := range a.Result {
				if r.Score != nil || strings.HasPrefix(r.ID, "0190") {
					t.Errorf("%s: a suggestion among the annotations: %+v", unit, r)
				}
			}
		}
		if annResults != 3 {
			t.Errorf("%s: %d annotation results, want the 3 spans", unit, annResults)
		}
		preds := tasks[0].Predictions
		if len(preds) != 2 || tasks[1].Predictions != nil {
			t.Fatalf("%s: predictions %+v / %+v", unit, preds, tasks[1].Predictions)
		}
		if preds[0].ModelVersion != "tagger 3" || preds[0].Score == nil || math.Abs(*preds[0].Score-0.75) > 1e-12 ||
			preds[1].ModelVersion != "pattern" || *preds[1].Score != 1 {
			t.Errorf("%s: predictions %q %v, %q %v", unit, preds[0].ModelVersion, *preds[0].Score, preds[1].ModelVersion, *preds[1].Score)
		}
		want := []struct {
			id         string
			start, end int
			text       string
			label      string
			score      float64
		}{
			{sugID1, 19, 26, "280,000", "Figure", 0.9},
			{sugID2, 0, 5, "👩‍👩‍👧", "Family", 0.6},
			{sugID3, 39, 43, "said", "Proposal", 1},
		}
		if unit == UnitUTF16 { // 👩‍👩‍👧 is 5 code points, 8 units
			want[0].start, want[0].end, want[1].end, want[2].start, want[2].end = 22, 29, 8, 42, 46
		}
		got := append(slices.Clone(preds[0].Result), preds[1].Result...)
		if len(got) != len(want) {
			t.Fatalf("%s: %d results", unit, len(got))
		}
		for i, w := range want {
			r := got[i]
			if r.ID != w.id || r.FromName != "label" || r.ToName != "text" || r.Type != "labels" ||
				r.Value.Start != w.start || r.Value.End != w.end || r.Value.Text != w.text ||
				!reflect.DeepEqual(r.Value.Labels, []string{w.label}) || r.Score == nil || *r.Score != w.score {
				t.Errorf("%s: result %d: %+v, want %+v", unit, i, r, w)
			}
		}
	}

	// The exact bytes of a small task.
	d := Doc{ID: "d", Title: "T", Text: "Rents 👍🏽 rose", Suggestions: []Suggestion{
		{ID: "s", Start: 0, End: 5, Label: "Claim", Text: "Rents", Score: 0.25, Source: "dictionary"},
		{ID: "t", Start: 9, End: 13, Label: "Trend", Text: "rose", Score: 1e-7, Source: "dictionary"},
	}}
	out, _, _ := exportAll(t, "labelstudio", []Doc{d}, Options{})
	want := `[
{"id":1,"data":{"text":"Rents 👍🏽 rose"},"meta":{"id":"d","title":"T"},"annotations":[],"predictions":[{"model_version":"dictionary","score":0.12500005,"result":[` +
		`{"id":"s","from_name":"label","to_name":"text","type":"labels","value":{"start":0,"end":5,"text":"Rents","labels":["Claim"]},"score":0.25},` +
		`{"id":"t","from_name":"label","to_name":"text","type":"labels","value":{"start":9,"end":13,"text":"rose","labels":["Trend"]},"score":1e-7}]}]}
]
`
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// A Label Studio file's predictions come back as suggestions, at exact code
// points after the emoji, never as spans.
func TestReadLabelStudioPredictions(t *testing.T) {
	recs, rep := readAll(t, "testdata/import_labelstudio_predictions.json", "auto")
	if rep.Format != "labelstudio" || len(recs) != 2 {
		t.Fatalf("format %s, %d records", rep.Format, len(recs))
	}
	if want := map[string]int{"labelstudio prediction choices result": 1, "labelstudio prediction": 1}; !reflect.DeepEqual(rep.Skipped, want) {
		t.Errorf("skipped %v, want %v", rep.Skipped, want)
	}
	if want := map[string]int{"labelstudio inclusive end": 1}; !reflect.DeepEqual(rep.Corrected, want) {
		t.Errorf("corrected %v, want %v", rep.Corrected, want)
	}
	if got := spansOfRecord(t, recs[0]); !reflect.DeepEqual(got, []string{"Claim=Rents rose 5%"}) {
		t.Errorf("spans %q: predictions became spans", got)
	}
	if len(recs[1].Spans) != 0 {
		t.Errorf("task 2 spans %+v", recs[1].Spans)
	}
	created := time.Date(2025, 3, 4, 15, 0, 0, 0, time.UTC)
	type sug struct {
		id         string
		start, end int
		label      string
		text       string
		score      float64
		version    string
		path       string
	}
	want := [][]sug{{
		{"", 17, 19, "Figure", "5%", 0.9, "ner-2", "$[0].predictions[0].result[0]"},
		{"", 23, 27, "Place", "Oslo", 0.65, "ner-2", "$[0].predictions[0].result[1]"}, // value.score
		{"", 23, 27, "City", "Oslo", 0.65, "ner-2", "$[0].predictions[0].result[1]"},
		{"0190a1b2-0000-7000-8000-00000000e001", 40, 48, "Person", "Ana Ruiz", 0.5, "ner-2", "$[0].predictions[0].result[3]"}, // the prediction's score
		{"", 33, 39, "Quote", "“said”", 0.3, "ner-2", "$[0].predictions[0].result[4]"},                                        // UTF-16 offsets 38, 44
		{"", 40, 43, "Person", "Ana", 1, "7", "$[0].predictions[1].result[0]"},                                                // no score anywhere
		{"", 23, 27, "Place", "Oslo", 0, "7", "$[0].predictions[1].result[1]"},                                                // inclusive end 26
	}, {
		{"", 27, 33, "Place", "Bergen", 0.25, "ner-2", "$[1].predictions[0].result[0]"}, // after a CRLF
		{"", 35, 38, "Thing", "End", 1, "ner-2", "$[1].predictions[0].result[1]"},       // and a lone CR
	}}
	for i, r := range recs {
		ot := offsets.New(r.Text)
		var got []sug
		for _, s := range r.Suggestions {
			got = append(got, sug{s.ID, s.Start, s.End, s.Label, s.Text, s.Score, s.ModelVersion, s.Path})
			if ot.Slice(s.Start, s.End) != s.Text || s.Annotator != "" || s.Source != "" || s.Line != r.Line {
				t.Errorf("%s: %+v", r.WhereSuggestion(&s), s)
			}
			if wantCreated := s.ModelVersion == "7"; s.Created.Equal(created) != wantCreated {
				t.Errorf("%s: created %v", r.WhereSuggestion(&s), s.Created)
			}
		}
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("task %d suggestions\n got %v\nwant %v", i+1, got, want[i])
		}
	}
	if recs[0].Line != 2 || recs[1].Line != 157 {
		t.Errorf("tasks at lines %d, %d", recs[0].Line, recs[1].Line)
	}
	// Predictions listed by number (as some exports do) have nothing to read.
	rep2, err := ReadRecords("f", strings.NewReader(`[{"data":{"text":"ab"},"predictions":[3,null,{"model_version":null,"created_at":5,"result":null}]}]`), "labelstudio",
		func(d Doc) error {
			if len(d.Suggestions) != 0 {
				t.Errorf("suggestions %+v", d.Suggestions)
			}
			return nil
		})
	if err != nil || !reflect.DeepEqual(rep2.Skipped, map[string]int{"labelstudio prediction": 3}) {
		t.Errorf("skipped %v, err %v", rep2.Skipped, err)
	}
	if w := recs[1].WhereSuggestion(&recs[1].Suggestions[0]); w != "testdata/import_labelstudio_predictions.json:157: $[1].predictions[0].result[0]" {
		t.Errorf("where %s", w)
	}
}

// Label Studio export → read → export gives the same bytes, predictions
// included (with one annotator's suggestions and UUID ids).
func TestLabelStudioPredictionsRoundTrip(t *testing.T) {
	docs := sugDocs()
	docs[0].Text = strings.ReplaceAll(docs[0].Text, "\r\n", "\n") // read, CRLF becomes LF; all offsets are before it
	first, _, _ := exportAll(t, "labelstudio", docs, Options{})
	var back []Doc
	if _, err := ReadRecords("x.json", bytes.NewReader(first), "labelstudio", func(d Doc) error {
		back = append(back, d)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i := range back {
		back[i].ID, back[i].Title = docs[i].ID, docs[i].Title // not UUIDs; the title is in meta
		for j := range back[i].Spans {
			back[i].Spans[j] = docs[i].Spans[j] // as the store gives them back
		}
		back[i].Statuses = docs[i].Statuses
	}
	if len(back[0].Suggestions) != 3 || back[0].Suggestions[0].ModelVersion != "tagger 3" {
		t.Fatalf("read back %+v", back[0].Suggestions)
	}
	again, _, _ := exportAll(t, "labelstudio", back, Options{})
	if !bytes.Equal(first, again) {
		t.Errorf("export → import → export differs:\n%s\n%s", first, again)
	}
}

// Gloss JSONL: export → import → export gives the same bytes, suggestions
// included, in code points and in UTF-16 units.
func TestJSONLSuggestionsRoundTrip(t *testing.T) {
	docs := sugDocs()
	docs[0].ID = "0190a1b2-0000-7000-8000-0000000000d1"
	docs[0].Suggestions[1].Score = 1.0 / 3
	docs[0].Suggestions[2].Score = 1e-7
	docs = append(docs, Doc{ID: "0190a1b2-0000-7000-8000-0000000000d3", Title: "Only suggestions", Text: "Rents\r\nrose",
		Format: "txt", Suggestions: []Suggestion{
			{ID: sugID1, Start: 0, End: 5, Label: "Claim", Text: "Rents", Score: 0, Source: "wordlist", Rule: "words.txt:3"},
			{Start: 5, End: 7, Label: "Break", Text: "\r\n", Score: 0.5}, // no id, no annotator, no time
		}})
	for i := range docs {
		sum := sha256.Sum256([]byte(docs[i].Text))
		docs[i].SHA256 = hex.EncodeToString(sum[:])
	}
	for _, unit := range []OffsetUnit{UnitCodePoints, UnitUTF16} {
		first, _, sum := exportAll(t, "jsonl", docs, Options{Offsets: unit})
		if sum.Suggestions != 5 || sum.SuggestionsLeftOut != 0 {
			t.Errorf("%s: summary %+v", unit, sum)
		}
		lines := strings.Split(strings.TrimSuffix(string(first), "\n"), "\n")
		if strings.Contains(lines[1], "suggestions") {
			t.Errorf("%s: a document without suggestions has the key: %s", unit, lines[1])
		}
		// Lines with suggestions stay on the fast path, which agrees with
		// encoding/json.
		for _, l := range lines {
			var fast, slow glossInDoc
			if !fastGlossDoc([]byte(l), &fast, &fastJSON{}) {
				t.Errorf("%s: the fast reader declined %s", unit, l)
			}
			if err := json.Unmarshal([]byte(l), &slow); err != nil || !reflect.DeepEqual(fast, slow) {
				t.Errorf("%s: fast %+v\nslow %+v (%v)", unit, fast, slow, err)
			}
		}
		var back []Doc
		if _, err := ReadRecords("x.jsonl", bytes.NewReader(first), "jsonl", func(d Doc) error {
			back = append(back, d)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for i := range back {
			back[i].SHA256 = docs[i].SHA256 // checked on read, not kept
			if len(back[i].Suggestions) != len(docs[i].Suggestions) {
				t.Fatalf("%s: document %d: %d suggestions read", unit, i, len(back[i].Suggestions))
			}
		}
		if s := back[2].Suggestions[0]; s.ID != sugID1 || s.Score != 0 || s.Rule != "words.txt:3" || s.Path != "$.suggestions[0]" || s.Line != 3 {
			t.Errorf("%s: read %+v", unit, s)
		}
		// Non-UUID ids are dropped on read, as the store would not keep them.
		for i := range back {
			for j := range back[i].Spans {
				back[i].Spans[j].ID = docs[i].Spans[j].ID
			}
			for j := range back[i].Statuses {
				back[i].Statuses[j].AnnotatorID = docs[i].Statuses[j].AnnotatorID
			}
			for j := range back[i].Spans {
				sp := &back[i].Spans[j]
				sp.LabelID, sp.AnnotatorID = docs[i].Spans[j].LabelID, docs[i].Spans[j].AnnotatorID
			}
			for j := range back[i].Suggestions {
				sg := &back[i].Suggestions[j]
				sg.LabelID, sg.AnnotatorID = docs[i].Suggestions[j].LabelID, docs[i].Suggestions[j].AnnotatorID
			}
		}
		back[0].ID, back[1].ID = docs[0].ID, docs[1].ID
		again, _, _ := exportAll(t, "jsonl", back, Options{Offsets: unit})
		if !bytes.Equal(first, again) {
			t.Errorf("%s: export → import → export differs:\n%s\n%s", unit, first, again)
		}
	}
	out, _, _ := exportAll(t, "jsonl", docs[:1], Options{})
	if !strings.Contains(string(out), `"suggestions":[{"id":"`+sugID1+`","start":19,"end":26,"label":"Figure","label_id":"l-fig","text":"280,000",`+
		`"annotator":"ana","annotator_id":"a-1","score":0.9,"source":"tagger","rule":"","model_version":"3","created":"2025-03-06T08:00:00.00000025Z"},`) ||
		!strings.HasSuffix(string(out), `"score":1e-7,"source":"pattern","rule":"said-verb","model_version":"","created":"2025-03-06T08:00:01.00000025Z"}]}`+"\n") {
		t.Errorf("line %s", out)
	}
}

// A score out of [0, 1] (or not a number), and a suggestion off the text,
// are refused naming the file, the line and the JSON path.
func TestSuggestionsRefused(t *testing.T) {
	ls := func(pred string) string {
		return "[\n{\"data\":{\"text\":\"abc\"}},\n{\"data\":{\"text\":\"abc\"},\"predictions\":[" + pred + "]}\n]"
	}
	lsRes := func(extra, value string) string {
		return `{"type":"labels"` + extra + `,"value":{` + value + `,"labels":["X"]}}`
	}
	ok := lsRes("", `"start":0,"end":1`)
	cases := []struct{ format, content, want string }{
		{"labelstudio", ls(`{"result":[` + ok + `,` + ok + `,` + lsRes(`,"score":1.7`, `"start":0,"end":2`) + `]}`),
			"f:3: $[1].predictions[0].result[2].score: 1.7 is not between 0 and 1"},
		{"labelstudio", ls(`{"result":[` + lsRes("", `"start":0,"end":1,"score":-0.1`) + `]}`),
			"f:3: $[1].predictions[0].result[0].value.score: -0.1 is not between 0 and 1"},
		{"labelstudio", ls(`{"score":"high","result":[` + ok + `]}`),
			"f:3: $[1].predictions[0].score: want a number between 0 and 1, got a string"},
		{"labelstudio", ls(`{"score":0.5},{"result":[` + lsRes(`,"score":true`, `"start":0,"end":1`) + `]}`),
			"f:3: $[1].predictions[1].result[0].score: want a number between 0 and 1, got a boolean"},
		{"labelstudio", ls(`{"result":[` + lsRes("", `"start":1,"end":9`) + `]}`),
			"f:3: $[1].predictions[0].result[0].value: invalid suggestion: end 9 past document length 3"},
		{"labelstudio", ls(`{"result":[` + lsRes("", `"start":1,"end":1`) + `]}`),
			"f:3: $[1].predictions[0].result[0].value: invalid suggestion: empty (start = end = 1)"},
		{"labelstudio", ls(`{"result":[{"type":"labels","value":{"start":0,"end":1,"labels":[]}}]}`),
			"f:3: $[1].predictions[0].result[0].value.labels: no label"},
		{"labelstudio", ls(`{"result":{"type":"labels"}}`),
			"f:3: $[1].predictions[0].result: want an array of result objects, got an object"},
		{"jsonl", "{\"text\":\"abc\"}\n{\"text\":\"abc\",\"suggestions\":[{\"start\":0,\"end\":1,\"label\":\"X\",\"score\":1.7}]}\n",
			"f:2: $.suggestions[0].score: 1.7 is not between 0 and 1"},
		{"jsonl", "{\"text\":\"abc\",\"suggestions\":[{\"start\":0,\"end\":1,\"label\":\"X\",\"score\":\"0.5\"}]}\n",
			"f:1: $.suggestions[0].score: want float64, got JSON string"},
		{"jsonl", "{\"text\":\"abc\",\"suggestions\":[{\"end\":1,\"label\":\"X\"}]}\n",
			"f:1: $.suggestions[0]: start and end are required"},
		{"jsonl", "{\"text\":\"abc\",\"suggestions\":[{\"start\":0,\"end\":1}]}\n",
			"f:1: $.suggestions[0].label: missing"},
		{"jsonl", "{\"text\":\"abc\",\"suggestions\":[{\"start\":0,\"end\":1,\"label\":\"X\"},{\"start\":2,\"end\":5,\"label\":\"X\"}]}\n",
			"f:1: $.suggestions[1]: invalid suggestion: end 5 past document length 3"},
		{"jsonl", "{\"text\":\"abc\",\"suggestions\":[{\"start\":2,\"end\":1,\"label\":\"X\"}]}\n",
			"f:1: $.suggestions[0]: invalid suggestion: start 2 > end 1"},
		{"jsonl", "{\"text\":\"abc\",\"suggestions\":[{\"start\":0,\"end\":2,\"label\":\"X\",\"text\":\"bc\"}]}\n",
			"f:1: $.suggestions[0]: invalid suggestion: text \"bc\" does not match the document's code points [0, 2), which are \"ab\""},
		{"jsonl", "{\"text\":\"👍🏽 ab\",\"offsets\":\"utf16\",\"suggestions\":[{\"start\":1,\"end\":3,\"label\":\"X\"}]}\n",
			"f:1: $.suggestions[0]: UTF-16 offset 1 is inside a surrogate pair"},
		{"jsonl", "{\"text\":\"abc\",\"suggestions\":[{\"start\":0,\"end\":1,\"label\":\"X\",\"created\":\"now\"}]}\n",
			"f:1: $.suggestions[0].created: \"now\" is not an RFC 3339 time"},
	}
	for _, c := range cases {
		_, err := ReadRecords("f", strings.NewReader(c.content), c.format, func(Doc) error { return nil })
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %.80q:\n got %v\nwant …%s…", c.format, c.content, err, c.want)
		}
	}

	// The exporters that write suggestions refuse what could not be read
	// back; the others never look at them.
	bad := []Suggestion{
		{ID: "x", Start: 19, End: 26, Label: "Figure", Text: "280,000", Score: 1.5},
		{ID: "x", Start: 19, End: 26, Label: "Figure", Text: "280,000", Score: math.NaN()},
		{ID: "x", Start: 19, End: 19, Label: "Figure", Text: "", Score: 1},
		{ID: "x", Start: 18, End: 25, Label: "Figure", Text: "280,000", Score: 1},
		{ID: "x", Start: 60, End: 99, Label: "Figure", Text: "", Score: 1},
		{ID: "x", Start: 19, End: 26, Label: "", Text: "280,000", Score: 1},
	}
	for _, f := range ExportFormats() {
		for _, unit := range []OffsetUnit{UnitDefault, UnitUTF16} {
			if unit == UnitUTF16 && !slices.Contains(UnitFormats(UnitUTF16), f) {
				continue
			}
			for _, s := range bad {
				d := goldenDocs()[0]
				d.Suggestions = []Suggestion{s}
				var buf bytes.Buffer
				ex, err := NewExporter(f, &buf, &memFiles{}, Options{Offsets: unit})
				if err != nil {
					t.Fatal(err)
				}
				err = ex.Write(d)
				if place, _ := Lookup(f); place.Suggestions {
					if err == nil || !strings.Contains(err.Error(), "document doc-1, suggestion x") || buf.Len() != 0 {
						t.Errorf("%s %s: %+v: err = %v", f, unit, s, err)
					}
				} else if err != nil {
					t.Errorf("%s: a suggestion it does not write refused the document: %v", f, err)
				}
			}
		}
	}
}

// Formats without a place for suggestions write exactly what they write
// without them, and count them as left out.
func TestSuggestionsLeftOutElsewhere(t *testing.T) {
	if got := SuggestionFormats(); !reflect.DeepEqual(got, []string{"jsonl", "labelstudio"}) {
		t.Errorf("SuggestionFormats() = %v", got)
	}
	opts := Options{Labels: []string{"Claim", "Figure"}}
	for _, f := range ExportFormats() {
		plain, plainFiles, plainSum := exportAll(t, f, goldenDocs(), opts)
		out, files, sum := exportAll(t, f, sugDocs(), opts)
		if f == "jsonl" || f == "labelstudio" {
			if sum.Suggestions != 3 || sum.SuggestionsLeftOut != 0 || bytes.Equal(plain, out) {
				t.Errorf("%s: summary %+v", f, sum)
			}
			continue
		}
		if sum.Suggestions != 0 || sum.SuggestionsLeftOut != 3 {
			t.Errorf("%s: summary %+v, want 3 suggestions left out", f, sum)
		}
		sum.SuggestionsLeftOut = 0
		if !reflect.DeepEqual(sum, plainSum) {
			t.Errorf("%s: summary %+v, without suggestions %+v", f, sum, plainSum)
		}
		if !bytes.Equal(plain, out) || !reflect.DeepEqual(plainFiles.order, files.order) {
			t.Errorf("%s: the suggestions changed the output:\n%s\n%s", f, plain, out)
		}
		for n, b := range files.files {
			if !bytes.Equal(b.Bytes(), plainFiles.files[n].Bytes()) {
				t.Errorf("%s: %s changed by the suggestions:\n%s", f, n, b)
			}
		}
		for _, w := range []string{"Proposal", "said-verb", "tagger", "0190a1b2-0000-7000-8000-00000000e1"} {
			if bytes.Contains(out, []byte(w)) {
				t.Errorf("%s: %q written", f, w)
			}
		}
	}
}

// Importers of formats without a place for suggestions give none.
func TestOtherImportersGiveNoSuggestions(t *testing.T) {
	for _, c := range []struct{ path, format string }{
		{"testdata/import_spacy.jsonl", "spacy"}, {"testdata/import_doccano.jsonl", "doccano"},
		{"testdata/import_brat", "brat"}, {"testdata/import_conll.txt", "conll"}, {"testdata/import_hf.jsonl", "conll"},
		{"testdata/import_labelstudio_0x.json", "labelstudio"},
	} {
		recs, _ := readAll(t, c.path, c.format)
		for _, r := range recs {
			if len(r.Suggestions) != 0 {
				t.Errorf("%s: suggestions %+v", r.Where(nil), r.Suggestions)
			}
		}
	}
	// A "suggestions" or "predictions" key in a spaCy or doccano record is
	// not read as anything.
	for _, format := range []string{"spacy", "doccano"} {
		in := `{"text":"ab","suggestions":[{"start":0,"end":1,"label":"X","score":0.5}],"predictions":[{"result":[]}]}`
		if _, err := ReadRecords("f", strings.NewReader(in), format, func(d Doc) error {
			if len(d.Suggestions) != 0 || len(d.Spans) != 0 {
				t.Errorf("%s: %+v", format, d)
			}
			return nil
		}); err != nil {
			t.Error(err)
		}
	}
}

// The fast reader reads a score as encoding/json does, or declines.
func TestFastGlossSuggestionScores(t *testing.T) {
	accept := []string{"0", "1", "0.5", "-0", "1e-7", "1.0E+0", "0.333333333333333314829616256247390992939472198486328125", "2", "1e400"}
	decline := []string{"01", ".5", "1.", "+1", "1e", "null", `"0.5"`, "0x1", "- 1"}
	line := func(score string) string {
		return `{"text":"ab","spans":[],"suggestions":[{"start":0,"end":1,"label":"X","score":` + score + `}]}`
	}
	for _, s := range accept[:len(accept)-1] {
		var fast, slow glossInDoc
		if !fastGlossDoc([]byte(line(s)), &fast, &fastJSON{}) {
			t.Errorf("%s declined", s)
			continue
		}
		if err := json.Unmarshal([]byte(line(s)), &slow); err != nil || !reflect.DeepEqual(fast, slow) {
			t.Errorf("%s: fast %v, slow %v (%v)", s, *fast.Suggestions[0].Score, slow.Suggestions, err)
		}
	}
	for _, s := range append(decline, accept[len(accept)-1]) { // 1e400: out of range, for encoding/json to explain
		var fast glossInDoc
		if fastGlossDoc([]byte(line(s)), &fast, &fastJSON{}) {
			t.Errorf("%s accepted", s)
		}
	}
}

func TestAppendJSONFloatMatchesEncodingJSON(t *testing.T) {
	cases := []float64{0, math.Copysign(0, -1), 1, 0.5, 0.1, 1.0 / 3, 2.0 / 3, 0.9999999999999999, 1e-6, 9.99e-7, 1e-7, 1.5e-10,
		5e-324, 1e20, 1e21, 123456789.125, -0.25, 0.30000000000000004}
	for i := range 1000 {
		cases = append(cases, float64(i)/1000, math.Pow(10, float64(i%40-30))*float64(i))
	}
	for _, f := range cases {
		want, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONFloat(nil, f); string(got) != string(want) {
			t.Errorf("%v: got %s, want %s", f, got, want)
		}
	}
}

// A prediction whose text does not fit its offsets (Label Studio's own
// examples carry placeholder texts) is left out and counted, not fatal:
// it is a proposal, not data.
func TestLabelStudioPredictionWithOtherTextIsSkipped(t *testing.T) {
	content := `[{"data":{"text":"abc"},"predictions":[{"result":[{"type":"labels","value":{"start":0,"end":2,"text":"xyz","labels":["X"]}}]}]}]`
	var got []Doc
	rep, err := ReadRecords("f", strings.NewReader(content), "labelstudio", func(d Doc) error { got = append(got, d); return nil })
	if err != nil || len(got) != 1 || len(got[0].Suggestions) != 0 {
		t.Fatalf("%v, %d docs", err, len(got))
	}
	if rep.Skipped["labelstudio prediction whose text does not match its offsets"] != 1 {
		t.Errorf("skipped %v", rep.Skipped)
	}
}
