package formats

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"gloss/app/offsets"
)

// Relations and attributes: the peers' files read exactly, every format
// with a place for them giving them back after an export, the others
// counting them, and every reader refusing a relation it cannot place.

// described lists a record's spans ("Label=text", then its attributes)
// and relations ("FROM -TYPE-> TO", then its attributes), sorted, CRs
// dropped from the texts: what must survive a round trip, whatever the
// order and the offsets.
func described(d Doc) (spans, rels []string) {
	t := offsets.New(d.Text)
	span := func(i int) string {
		if i < 0 || i >= len(d.Spans) {
			return fmt.Sprintf("<bad end %d>", i)
		}
		s := d.Spans[i]
		if s.Start < 0 || s.End > t.Len() || s.Start > s.End {
			return fmt.Sprintf("<bad span [%d, %d)>", s.Start, s.End)
		}
		return s.Label + "=" + strings.ReplaceAll(t.Slice(s.Start, s.End), "\r", "")
	}
	attrs := func(as []Attr) string {
		if len(as) == 0 {
			return ""
		}
		parts := make([]string, len(as))
		for i, a := range as {
			parts[i] = a.Name + ":" + a.Value
		}
		return " {" + strings.Join(parts, "; ") + "}"
	}
	for i, s := range d.Spans {
		spans = append(spans, span(i)+attrs(s.Attrs))
	}
	for _, r := range d.Relations {
		rels = append(rels, span(r.From)+" -"+r.Type+"-> "+span(r.To)+attrs(r.Attrs))
	}
	slices.Sort(spans)
	slices.Sort(rels)
	return spans, rels
}

// cpSpan is the span of the first sub in text (code points), labelled.
func cpSpan(t testing.TB, text, sub, label string, attrs ...Attr) Span {
	t.Helper()
	i := strings.Index(text, sub)
	if i < 0 {
		t.Fatalf("%q not in %q", sub, text)
	}
	start := len([]rune(text[:i]))
	return Span{Start: start, End: start + len([]rune(sub)), Label: label, Text: sub, Annotator: "ana", Attrs: attrs}
}

// relDoc is a document with emoji, curly quotes, Arabic (with its digits
// and thousands separator) and CRLF line ends, its spans with attributes
// of every kind and its relations, one symmetric, one with attributes.
func relDoc(t testing.TB) Doc {
	text := "👍🏽 “We’ll build 280,000 homes,” she said.\r\nقال وزير المالية: سنبني ٢٨٠٬٠٠٠ منزل.\r\nAna Ruiz agreed 👩‍👩‍👧."
	at := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	d := Doc{ID: "01900000-0000-7000-8000-00000000r001", Title: "Homes", Text: text, Format: "text", ImportedAt: at}
	d.Spans = []Span{
		cpSpan(t, text, "280,000", "Figure", Attr{"score", "3.5"}),
		cpSpan(t, text, "We’ll build 280,000 homes", "Claim", Attr{"certainty", "High"}, Attr{"negated", "true"}),
		cpSpan(t, text, "وزير المالية", "Person", Attr{"note", "needs a look"}),
		cpSpan(t, text, "٢٨٠٬٠٠٠", "Figure"),
		cpSpan(t, text, "Ana Ruiz", "Person"),
		cpSpan(t, text, "agreed 👩‍👩‍👧", "Agree"),
	}
	for i := range d.Spans {
		d.Spans[i].ID = fmt.Sprintf("01900000-0000-7000-8000-0000000001%02d", i)
		d.Spans[i].Created, d.Spans[i].Updated = at, at
	}
	d.Relations = []Relation{
		{ID: "01900000-0000-7000-8000-000000000201", Type: "supports", From: 0, To: 1, Annotator: "ana", Created: at, Updated: at},
		{Type: "said", From: 2, To: 3, Annotator: "ana", Attrs: []Attr{{"confidence", "Low"}}},
		{Type: "agrees", From: 4, To: 1, Annotator: "ana"},
		{Type: "same_as", From: 3, To: 0, Annotator: "ana"},
	}
	return d
}

func relSchema() Schema {
	return Schema{
		Relations: []RelationType{
			{Name: "supports", Directed: true, Args: []LabelPair{{"Figure", "Claim"}, {"Proposal", "Claim"}}},
			{Name: "said", Directed: true},
			{Name: "same_as"},
		},
		Attributes: []AttributeDef{
			{Name: "certainty", Kind: AttrChoice, Choices: []string{"High", "Low"}, On: []string{"Claim"}},
			{Name: "negated", Kind: AttrFlag},
			{Name: "note", Kind: AttrText},
			{Name: "score", Kind: AttrNumber},
			{Name: "confidence", Kind: AttrChoice, Choices: []string{"High", "Low"}, On: []string{"said"}},
		},
	}
}

// readBack reads an export of format (brat: the files, from a folder).
func readBack(t *testing.T, format string, out []byte, files *memFiles) ([]Doc, Report) {
	t.Helper()
	var docs []Doc
	keep := func(d Doc) error { docs = append(docs, d); return nil }
	var rep Report
	var err error
	if format == "brat" {
		dir := t.TempDir()
		for name, b := range files.files {
			if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		rep, err = ReadFile(dir, "brat", ReadOptions{}, keep)
	} else {
		rep, err = ReadRecords("out", bytes.NewReader(out), format, keep)
	}
	if err != nil {
		t.Fatalf("%s: %v\n%s", format, err, out)
	}
	return docs, rep
}

func TestRelationsRoundTrip(t *testing.T) {
	d := relDoc(t)
	wantSpans, wantRels := described(d)
	noAttrs := func(d Doc) Doc {
		d.Spans = slices.Clone(d.Spans)
		for i := range d.Spans {
			d.Spans[i].Attrs = nil
		}
		d.Relations = slices.Clone(d.Relations)
		for i := range d.Relations {
			d.Relations[i].Attrs = nil
		}
		return d
	}
	for _, c := range []struct {
		format       string
		want         Doc // what comes back, described
		attrsLeftOut int
	}{
		{"jsonl", d, 0},
		{"brat", func() Doc {
			w := relDoc(t)
			w.Spans[2].Attrs = []Attr{{"note", "needs_a_look"}} // brat values are one word
			return w
		}(), 0},
		{"labelstudio", func() Doc {
			w := relDoc(t)
			w.Relations[1].Attrs = nil // Label Studio relations have none
			return w
		}(), 1},
		{"doccano", noAttrs(d), 5},
		{"spacy", noAttrs(d), 5},
	} {
		t.Run(c.format, func(t *testing.T) {
			for _, unit := range []OffsetUnit{UnitDefault, UnitCodePoints, UnitUTF16} {
				f, _ := Lookup(c.format)
				if f.CanWrite(unit) != nil {
					continue
				}
				out, files, sum := exportAll(t, c.format, []Doc{d}, Options{Schema: relSchema(), Offsets: unit})
				if sum.Relations != 4 || sum.RelationsLeftOut != 0 || sum.AttributesLeftOut != c.attrsLeftOut {
					t.Errorf("%s: summary relations %d, left out %d, attributes left out %d (want 4, 0, %d)",
						unit, sum.Relations, sum.RelationsLeftOut, sum.AttributesLeftOut, c.attrsLeftOut)
				}
				opts := ReadOptions{Offsets: unit}
				var docs []Doc
				if c.format == "brat" {
					docs, _ = readBack(t, c.format, out, files)
				} else {
					_, err := ReadRecordsWith("out", bytes.NewReader(out), c.format, opts, func(d Doc) error { docs = append(docs, d); return nil })
					if err != nil {
						t.Fatalf("%s: %v\n%s", unit, err, out)
					}
				}
				if len(docs) != 1 {
					t.Fatalf("%s: %d documents back", unit, len(docs))
				}
				gotSpans, gotRels := described(docs[0])
				ws, wr := described(c.want)
				if !reflect.DeepEqual(gotSpans, ws) {
					t.Errorf("%s: spans\n%q\nwant\n%q", unit, gotSpans, ws)
				}
				if !reflect.DeepEqual(gotRels, wr) {
					t.Errorf("%s: relations\n%q\nwant\n%q", unit, gotRels, wr)
				}
			}
		})
	}
	// Gloss JSONL gives back everything, in order, indexes and IDs too.
	out, _, _ := exportAll(t, "jsonl", []Doc{d}, Options{})
	docs, _ := readBack(t, "jsonl", out, nil)
	got := docs[0]
	for i := range got.Relations {
		got.Relations[i].Line, got.Relations[i].Path = 0, ""
	}
	if !reflect.DeepEqual(got.Relations, d.Relations) {
		t.Errorf("jsonl relations\n%+v\nwant\n%+v", got.Relations, d.Relations)
	}
	for i := range got.Spans {
		if !reflect.DeepEqual(got.Spans[i].Attrs, d.Spans[i].Attrs) {
			t.Errorf("jsonl span %d attrs %v, want %v", i, got.Spans[i].Attrs, d.Spans[i].Attrs)
		}
	}
	if s, r := described(got); !reflect.DeepEqual(s, wantSpans) || !reflect.DeepEqual(r, wantRels) {
		t.Errorf("jsonl: %q %q", s, r)
	}
}

// The JSONL shape: "attrs" objects, "relations" naming spans by id, or by
// index when a span has no id of its own.
func TestJSONLRelationShape(t *testing.T) {
	d := relDoc(t)
	d.Spans[4].ID = ""            // Ana Ruiz: named by index
	d.Spans[5].ID = d.Spans[0].ID // two spans with one id: both by index
	d.Relations = append(d.Relations, Relation{Type: "x", From: 5, To: 2})
	out, _, _ := exportAll(t, "jsonl", []Doc{d}, Options{})
	line := string(out)
	for _, want := range []string{
		`"note":"","attrs":{"certainty":"High","negated":"true"},"created"`,
		`"relations":[{"id":"01900000-0000-7000-8000-000000000201","type":"supports","type_id":"","from":0,"to":"01900000-0000-7000-8000-000000000101",`,
		`{"id":"","type":"said","type_id":"","from":"01900000-0000-7000-8000-000000000102","to":"01900000-0000-7000-8000-000000000103","annotator":"ana","annotator_id":"","attrs":{"confidence":"Low"},"created":"0001-01-01T00:00:00Z"`,
		`"type":"agrees","type_id":"","from":4,"to":"01900000-0000-7000-8000-000000000101"`,
		`"type":"x","type_id":"","from":5,"to":"01900000-0000-7000-8000-000000000102"`,
	} {
		if !strings.Contains(line, want) {
			t.Errorf("no %s in\n%s", want, line)
		}
	}
	docs, _ := readBack(t, "jsonl", out, nil)
	if _, r := described(docs[0]); !slices.Contains(r, "Agree=agreed 👩‍👩‍👧 -x-> Person=وزير المالية") || len(r) != 5 {
		t.Errorf("relations back %q", r)
	}
	// Hand-written: ids that are not UUIDs, numbers and true as values.
	in := `{"text":"Ana met Ben.","spans":[{"id":"a","start":0,"end":3,"label":"P","attrs":{"age":30,"vip":true,"gone":false,"n":null}},{"id":"b","start":8,"end":11,"label":"P"}],` +
		`"relations":[{"type":"met","from":"a","to":1,"attrs":{"w":"1e3"}}]}` + "\n"
	docs, _ = readBack(t, "jsonl", []byte(in), nil)
	s, r := described(docs[0])
	if !reflect.DeepEqual(s, []string{"P=Ana {age:30; vip:true}", "P=Ben"}) || !reflect.DeepEqual(r, []string{"P=Ana -met-> P=Ben {w:1e3}"}) {
		t.Errorf("hand-written: %q %q", s, r)
	}
}

// brat's news tutorial, 060: R1 Located, and * Alias of three mentions.
func TestReadBratPeerRelations(t *testing.T) {
	recs, rep := readAll(t, "testdata/peer/brat/news-tutorial/060-relation_annotation.ann", "brat")
	if len(recs) != 1 || len(rep.Skipped) != 0 {
		t.Fatalf("%d records, skipped %v", len(recs), rep.Skipped)
	}
	r := recs[0]
	if len(r.Spans) != 10 {
		t.Errorf("%d spans", len(r.Spans))
	}
	// In the order of the file: the * line (6), then R1 (12).
	want := []string{
		"Person=Joanne Rowling -Alias-> Person=Jo Rowling",
		"Person=Joanne Rowling -Alias-> Person=J. K. Rowling",
		"Person=Terry Pratchett -Located-> GPE=England",
	}
	if got := relationsOf(r); !reflect.DeepEqual(got, want) {
		t.Errorf("relations\n%q\nwant\n%q", got, want)
	}
	// The first Terry Pratchett (139), not the second (1225).
	if s := r.Spans[r.Relations[2].From]; s.Start != 139 || r.Relations[2].Line != 12 || r.Relations[0].Line != 6 || r.Relations[1].Line != 6 {
		t.Errorf("R1 from %+v, lines %d %d", s, r.Relations[2].Line, r.Relations[0].Line)
	}
	bratRoundTrip(t, r)
}

// brat's news tutorial, 100: one binary attribute on a span, five on
// events (counted with the events).
func TestReadBratPeerAttributes(t *testing.T) {
	recs, rep := readAll(t, "testdata/peer/brat/news-tutorial/100-attribute_annotation.ann", "brat")
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	if want := map[string]int{"brat event": 10, "brat attribute on an event": 5}; !reflect.DeepEqual(rep.Skipped, want) {
		t.Errorf("skipped %v, want %v", rep.Skipped, want)
	}
	r := recs[0]
	var with []string
	for _, s := range r.Spans {
		if len(s.Attrs) > 0 {
			with = append(with, fmt.Sprintf("%s=%s [%d, %d) %v", s.Label, r.Text[s.Start:s.End], s.Start, s.End, s.Attrs))
		}
	}
	if want := []string{"Person=Somebody [497, 505) [{Individual true}]"}; !reflect.DeepEqual(with, want) {
		t.Errorf("spans with attributes %q, want %q", with, want)
	}
	if len(r.Spans) != 26 || len(r.Relations) != 0 {
		t.Errorf("%d spans, %d relations", len(r.Spans), len(r.Relations))
	}
	// The T lines are out of order in the file: the spans are in order.
	if !slices.IsSortedFunc(r.Spans, func(a, b Span) int { return a.Start - b.Start }) {
		t.Errorf("spans not in offset order")
	}
	bratRoundTrip(t, r)
}

// bratRoundTrip exports r as brat and reads it back: the same spans,
// relations and attributes.
func bratRoundTrip(t *testing.T, r Doc) {
	t.Helper()
	for i := range r.Spans {
		r.Spans[i].Text = offsets.New(r.Text).Slice(r.Spans[i].Start, r.Spans[i].End)
	}
	out, files, sum := exportAll(t, "brat", []Doc{r}, Options{})
	if sum.Relations != len(r.Relations) || sum.RelationsLeftOut != 0 || sum.AttributesLeftOut != 0 {
		t.Errorf("summary %+v", sum)
	}
	back, _ := readBack(t, "brat", out, files)
	ws, wr := described(r)
	gs, gr := described(back[0])
	if !reflect.DeepEqual(gs, ws) || !reflect.DeepEqual(gr, wr) {
		t.Errorf("round trip:\n%q\n%q\nwant\n%q\n%q", gs, gr, ws, wr)
	}
}

func TestReadDoccanoPeerRelations(t *testing.T) {
	want := []string{
		"ORG=Google -foundedAt-> DATE=September 4, 1998",
		"ORG=Google -foundedBy-> PERSON=Larry Page",
		"ORG=Google -foundedBy-> PERSON=Sergey Brin",
	}
	for _, name := range []string{"import_relation_extraction_example_pretty.jsonl", "import_tests_relation_extraction_example.jsonl"} {
		recs, rep := readAll(t, "testdata/peer/doccano/"+name, "auto")
		if rep.Format != "doccano" || len(recs) != 1 || len(rep.Skipped) != 0 {
			t.Fatalf("%s: %s, %d records, skipped %v", name, rep.Format, len(recs), rep.Skipped)
		}
		if got := relationsOf(recs[0]); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: relations\n%q\nwant\n%q", name, got, want)
		}
		if got := spansOfRecord(t, recs[0]); !reflect.DeepEqual(got, []string{"ORG=Google", "DATE=September 4, 1998", "PERSON=Larry Page", "PERSON=Sergey Brin"}) {
			t.Errorf("%s: spans %q", name, got)
		}
		// And back: doccano's relation form, the same relations.
		for i := range recs[0].Spans {
			s := &recs[0].Spans[i]
			s.Text = offsets.New(recs[0].Text).Slice(s.Start, s.End)
		}
		out, _, sum := exportAll(t, "doccano", recs, Options{})
		if sum.Relations != 3 || !bytes.Contains(out, []byte(`"relations":[{"id":0,"from_id":0,"to_id":1,"type":"foundedAt"}`)) {
			t.Errorf("%s: export %s (%+v)", name, out, sum)
		}
		back, _ := readBack(t, "doccano", out, nil)
		if got := relationsOf(back[0]); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: back %q", name, got)
		}
	}
	// Without relations doccano's sequence-labelling form, as before.
	d := relDoc(t)
	d.Relations = nil
	out, _, _ := exportAll(t, "doccano", []Doc{d}, Options{})
	if !bytes.Contains(out, []byte(`"label":[[`)) || bytes.Contains(out, []byte(`"entities"`)) {
		t.Errorf("no relations: %s", out)
	}
}

func TestReadLabelStudioRelations(t *testing.T) {
	recs, rep := readAll(t, "testdata/import_labelstudio_relations.json", "auto")
	if rep.Format != "labelstudio" || len(recs) != 1 {
		t.Fatalf("%s, %d records", rep.Format, len(recs))
	}
	if want := map[string]int{"labelstudio choices result": 1, "labelstudio relation without a label": 1}; !reflect.DeepEqual(rep.Skipped, want) {
		t.Errorf("skipped %v, want %v", rep.Skipped, want)
	}
	r := recs[0]
	spans, rels := described(r)
	wantSpans := []string{
		"Claim=we’ll build 280,000 homes {certainty:High}",
		"Figure=280,000 {kind:count,estimate; score:0.75}",
		"Person=Ana Ruiz {note:check the\nspelling}",
		"Person=وزير المالية",
	}
	wantRels := []string{
		"Figure=280,000 -supports-> Claim=we’ll build 280,000 homes", // direction left
		"Person=Ana Ruiz -says-> Claim=we’ll build 280,000 homes",
		"Person=وزير المالية -agrees-> Claim=we’ll build 280,000 homes",
		"Person=وزير المالية -quotes-> Claim=we’ll build 280,000 homes",
	}
	if !reflect.DeepEqual(spans, wantSpans) || !reflect.DeepEqual(rels, wantRels) {
		t.Errorf("spans\n%q\nrelations\n%q", spans, rels)
	}
	if rel := r.Relations[0]; rel.Annotator != "ana@example.org" || rel.Path != "$[0].annotations[0].result[9]" || rel.Line != 2 {
		t.Errorf("relation %+v", rel)
	}
	// And back, through Gloss's export: the same (one schema-less choices
	// result per attribute).
	for i := range r.Spans {
		r.Spans[i].Text = offsets.New(r.Text).Slice(r.Spans[i].Start, r.Spans[i].End)
	}
	out, _, sum := exportAll(t, "labelstudio", []Doc{r}, Options{})
	if sum.Relations != 4 {
		t.Errorf("summary %+v", sum)
	}
	back, _ := readBack(t, "labelstudio", out, nil)
	if s, rl := described(back[0]); !reflect.DeepEqual(s, wantSpans) || !reflect.DeepEqual(rl, wantRels) {
		t.Errorf("back:\n%q\n%q\n%s", s, rl, out)
	}
}

func TestReadProdigyRelations(t *testing.T) {
	recs, rep := readAll(t, "testdata/import_prodigy_relations.jsonl", "auto")
	if rep.Format != "spacy" || len(recs) != 2 {
		t.Fatalf("%s, %d records", rep.Format, len(recs))
	}
	if want := map[string]int{"prodigy relation between tokens that are not spans": 1}; !reflect.DeepEqual(rep.Skipped, want) {
		t.Errorf("skipped %v", rep.Skipped)
	}
	if got := relationsOf(recs[0]); !reflect.DeepEqual(got, []string{"PERSON=Ana Ruiz -founded-> ORG=Acme", "ORG=Acme -located_in-> GPE=Oslo"}) {
		t.Errorf("relations %q", got)
	}
	// CRLF before the figure: both moved, the relation between them.
	if got := relationsOf(recs[1]); !reflect.DeepEqual(got, []string{"PERSON=وزير المالية -says-> FIGURE=٢٨٠٬٠٠٠"}) || strings.Contains(recs[1].Text, "\r") {
		t.Errorf("relations %q", got)
	}
	if rel := recs[0].Relations[0]; rel.Annotator != "rel-ana" || !rel.Created.Equal(time.Unix(1700000000, 0)) || rel.Path != "$.relations[0]" {
		t.Errorf("relation %+v", rel)
	}
	// Gloss writes head and child as the last tokens of the spans.
	d := relDoc(t)
	out, _, _ := exportAll(t, "spacy", []Doc{d}, Options{})
	if !bytes.Contains(out, []byte(`"relations":[{"head":`)) || !bytes.Contains(out, []byte(`,"head_span":{"start":`)) {
		t.Errorf("export %s", out)
	}
}

// A relation between two annotators' spans: one line or annotation each
// in spacy and Label Studio, so it is left out there and written
// everywhere else.
func TestRelationsAcrossAnnotators(t *testing.T) {
	d := relDoc(t)
	d.Spans[4].Annotator = "ben" // Ana Ruiz: agrees with Claim
	for format, left := range map[string]int{"spacy": 1, "labelstudio": 1, "jsonl": 0, "brat": 0, "doccano": 0} {
		_, _, sum := exportAll(t, format, []Doc{d}, Options{})
		if sum.RelationsLeftOut != left || sum.Relations != 4-left {
			t.Errorf("%s: %d relations, %d left out (want %d)", format, sum.Relations, sum.RelationsLeftOut, left)
		}
	}
}

// The formats without relations count them, and the attributes, left out.
func TestRelationsLeftOut(t *testing.T) {
	d := relDoc(t)
	for _, format := range []string{"conll", "hf", "csv"} {
		out, _, sum := exportAll(t, format, []Doc{d}, Options{})
		if sum.Relations != 0 || sum.RelationsLeftOut != 4 || sum.AttributesLeftOut != 5 {
			t.Errorf("%s: relations %d, left out %d, attributes left out %d (want 0, 4, 5)", format, sum.Relations, sum.RelationsLeftOut, sum.AttributesLeftOut)
		}
		if bytes.Contains(out, []byte("supports")) || bytes.Contains(out, []byte("certainty")) {
			t.Errorf("%s: wrote a relation or attribute:\n%s", format, out)
		}
	}
	for _, f := range Table {
		if f.Attributes && !f.Relations || (f.Relations || f.Attributes) && !f.Export {
			t.Errorf("%s: attributes %v, relations %v", f.Name, f.Attributes, f.Relations)
		}
	}
	if got := RelationFormats(); !reflect.DeepEqual(got, []string{"jsonl", "spacy", "doccano", "brat", "labelstudio"}) {
		t.Errorf("relation formats %q", got)
	}
	if got := AttributeFormats(); !reflect.DeepEqual(got, []string{"jsonl", "brat", "labelstudio"}) {
		t.Errorf("attribute formats %q", got)
	}
}

// brat: R and A lines, values made one word, a blank value left out, and
// annotation.conf declaring the schema and what the data has besides.
func TestBratRelationsAndConf(t *testing.T) {
	d := relDoc(t)
	d.Spans[3].Attrs = []Attr{{"blank", " \t"}, {"extra", "Some value"}}
	d.Relations[3].Type = "same as" // a name with a space, made a brat type
	d.Relations = append(d.Relations, Relation{Type: "mentions", From: 5, To: 4, Attrs: []Attr{{"negated", "true"}}})
	_, files, sum := exportAll(t, "brat", []Doc{d}, Options{Schema: relSchema(), Labels: []string{"Claim", "Figure", "Person"}})
	if sum.Relations != 5 || sum.AttributesLeftOut != 1 {
		t.Errorf("summary %+v", sum)
	}
	ann := files.files["Homes.ann"].String()
	for _, want := range []string{
		"R1\tsupports Arg1:T1 Arg2:T2\n",
		"R2\tsaid Arg1:T3 Arg2:T4\n",
		"R4\tsame_as Arg1:T4 Arg2:T1\n",
		"A1\tscore T1 3.5\nA2\tcertainty T2 High\nA3\tnegated T2\nA4\tnote T3 needs_a_look\nA5\textra T4 Some_value\n",
		"A6\tconfidence R2 Low\nA7\tnegated R5\n",
	} {
		if !strings.Contains(ann, want) {
			t.Errorf("no %q in\n%s", want, ann)
		}
	}
	conf := files.files["annotation.conf"].String()
	wantConf := "# Made by Gloss from its label set.\n[entities]\nClaim\nFigure\nPerson\nAgree\n\n" +
		"[relations]\n" +
		"supports\tArg1:Figure, Arg2:Claim\n" +
		"supports\tArg1:Proposal, Arg2:Claim\n" +
		"said\tArg1:<ENTITY>, Arg2:<ENTITY>\n" +
		"same_as\tArg1:<ENTITY>, Arg2:<ENTITY>, <REL-TYPE>:symmetric\n" +
		"agrees\tArg1:<ENTITY>, Arg2:<ENTITY>\n" +
		"mentions\tArg1:<ENTITY>, Arg2:<ENTITY>\n" +
		"\n[events]\n\n[attributes]\n" +
		"certainty\tArg:Claim, Value:High|Low\n" +
		"negated\tArg:<ENTITY>|<RELATION>\n" +
		"note\tArg:<ENTITY>, Value:needs_a_look\n" +
		"score\tArg:<ENTITY>, Value:3.5\n" +
		"confidence\tArg:said, Value:High|Low\n" +
		"extra\tArg:<ENTITY>, Value:Some_value\n"
	if conf != wantConf {
		t.Errorf("annotation.conf\n%s\nwant\n%s", conf, wantConf)
	}
	// Without relations or attributes, what it always was.
	if got := BratConf([]string{"Claim"}); got != "# Made by Gloss from its label set.\n[entities]\nClaim\n\n[relations]\n\n[events]\n\n[attributes]\n" {
		t.Errorf("plain conf %q", got)
	}
	// A number or text attribute with no value met is a comment.
	if got := bratConf(nil, relSchema(), bratMet{}); !strings.Contains(got, "# note: a text attribute;") || !strings.Contains(got, "\nnegated\tArg:<ENTITY>\n") {
		t.Errorf("conf without data:\n%s", got)
	}
}

// Every reader refuses a relation it cannot place, naming the file and
// the line (and the JSON path).
func TestBadRelationsRefused(t *testing.T) {
	for _, c := range []struct {
		format, data, want string
	}{
		{"jsonl", `{"text":"ab cd","spans":[{"id":"a","start":0,"end":2,"label":"X"}],"relations":[{"type":"r","from":"a","to":"zz"}]}`,
			`in:1: $.relations[0].to: no span has the id "zz"`},
		{"jsonl", "\n" + `{"text":"ab cd","spans":[{"id":"a","start":0,"end":2,"label":"X"}],"relations":[{"type":"r","from":"a","to":0}]}`,
			`in:2: $.relations[0]: from and to are the same span (0)`},
		{"jsonl", `{"text":"ab cd","spans":[{"start":0,"end":2,"label":"X"},{"start":3,"end":5,"label":"X"}],"relations":[{"from":0,"to":1}]}`,
			`in:1: $.relations[0].type: missing`},
		{"jsonl", `{"text":"ab cd","spans":[{"start":0,"end":2,"label":"X"}],"relations":[{"type":"r","from":0,"to":7}]}`,
			`in:1: $.relations[0].to: span index 7, but the line has 1 spans`},
		{"jsonl", `{"text":"ab","spans":[{"start":0,"end":2,"label":"X","attrs":["a"]}]}`,
			`in:1: $.spans[0].attrs: want an object of attribute names and values, got an array`},
		{"jsonl", `{"text":"ab","spans":[{"start":0,"end":2,"label":"X","attrs":{"a":"1","a":"2"}}]}`,
			`in:1: $.spans[0].attrs.a: attribute "a" given twice`},
		{"doccano", `{"text":"ab cd","entities":[{"id":1,"start_offset":0,"end_offset":2,"label":"X"}],"relations":[{"from_id":1,"to_id":9,"type":"r"}]}`,
			`in:1: $.relations[0].to_id: no entity has the id 9`},
		{"doccano", `{"text":"ab cd","entities":[{"id":1,"start_offset":0,"end_offset":2,"label":"X"},{"id":2,"start_offset":3,"end_offset":5,"label":"X"}],"relations":[{"from_id":1,"to_id":2}]}`,
			`in:1: $.relations[0].type: want the relation's type, got nothing`},
		{"doccano", `{"text":"ab","entities":[{"id":1,"start_offset":0,"end_offset":2,"label":"X"}],"relations":[{"from_id":1,"to_id":1,"type":"r"}]}`,
			`in:1: $.relations[0]: from_id and to_id are the same entity`},
		{"spacy", `{"text":"ab cd","spans":[{"start":0,"end":2,"label":"X","token_start":0,"token_end":0}],"relations":[{"head":0,"child":1,"head_span":{"start":0,"end":2,"label":"X"},"child_span":{"start":3,"end":5,"label":"Y"},"label":"r"}]}`,
			`in:1: $.relations[0]: no span at child_span [3, 5), and no span whose token_end is child 1`},
		{"spacy", `{"text":"ab cd","spans":[{"start":0,"end":2,"label":"X"},{"start":3,"end":5,"label":"Y"}],"relations":[{"head_span":{"start":0,"end":2,"label":"X"},"child_span":{"start":3,"end":5,"label":"Y"}}]}`,
			`in:1: $.relations[0].label: want the relation's label, got nothing`},
		{"spacy", `{"text":"ab","relations":{}}`, `in:1: $.relations: want an array of relations, got an object`},
		{"labelstudio", `[{"data":{"text":"ab cd"},"annotations":[{"result":[{"id":"r1","type":"labels","value":{"start":0,"end":2,"labels":["X"]}},{"from_id":"r1","to_id":"r9","type":"relation","labels":["x"]}]}]}]`,
			`in:1: $[0].annotations[0].result[1].to_id: no region "r9" in this annotation`},
		{"labelstudio", `[{"data":{"text":"ab cd"},"annotations":[{"result":[{"id":"r1","type":"labels","value":{"start":0,"end":2,"labels":["X"]}},{"from_id":"r1","to_id":"r1","type":"relation","labels":["x"]}]}]}]`,
			`in:1: $[0].annotations[0].result[1]: from_id and to_id are the same region`},
		{"labelstudio", `[{"data":{"text":"ab cd"},"annotations":[{"result":[{"id":"r1","type":"labels","value":{"start":0,"end":2,"labels":["X"]}},{"id":"r1","type":"number","from_name":"n","value":{"number":"x"}}]}]}]`,
			`in:1: $[0].annotations[0].result[1].value.number: want a number, got a string`},
	} {
		_, err := ReadRecords("in", strings.NewReader(c.data), c.format, func(Doc) error { return nil })
		if err == nil || err.Error() != c.want {
			t.Errorf("%s %s:\ngot  %v\nwant %s", c.format, c.data, err, c.want)
		}
		sameBothWaysIfFast(t, c.format, c.data)
	}

	// brat: undefined ends and targets, a span related to itself.
	for _, c := range []struct{ ann, want string }{
		{"T1\tX 0 2\tab\nR1\tr Arg1:T1 Arg2:T9\n", "doc.ann:2: R1: Arg2 T9, which the file does not define"},
		{"T1\tX 0 2\tab\n\nR1\tr Arg1:T1 Arg2:T1\n", "doc.ann:3: R1: Arg1 and Arg2 are both T1: a relation links two annotations"},
		{"T1\tX 0 2\tab\nR1\tr Arg1:T1\n", "doc.ann:2: R1: want \"R1<TAB>TYPE Arg1:T1 Arg2:T2\""},
		{"T1\tX 0 2\tab\n*\tAlias T1 T7\n", "doc.ann:2: *: member T7, which the file does not define"},
		{"T1\tX 0 2\tab\nT2\tX 3 5\tcd\n*\tT1 T2\n", "doc.ann:3: *: no type before the members (T1 is an annotation)"},
		{"T1\tX 0 2\tab\nT2\tX 3 5\tcd\nT3\tX 0 1\ta\n*\tT1 T2 T3\n", "doc.ann:4: *: no type before the members (T1 is an annotation)"},
		{"T1\tX 0 2\tab\nA1\tNegated R4\n", "doc.ann:2: A1: an attribute of R4, which the file does not define"},
		{"T1\tX 0 2\tab\nA1\tNegated T1\nA2\tNegated T1\n", `doc.ann:3: A2: T1: attribute "Negated" given twice`},
		{"T1\tX 0 2\tab\nA1\tConfidence T1 very high\n", `doc.ann:2: A1: want "A1<TAB>NAME ID" or "A1<TAB>NAME ID VALUE"`},
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "doc.txt"), []byte("ab cd\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadRecords(filepath.Join(dir, "doc.ann"), strings.NewReader(c.ann), "brat", func(Doc) error { return nil })
		if err == nil || !strings.HasSuffix(err.Error(), c.want) || !strings.HasPrefix(err.Error(), dir) {
			t.Errorf("%q:\ngot  %v\nwant …%s", c.ann, err, c.want)
		}
	}
}

// sameBothWaysIfFast checks the formats with fast readers read data alike
// both ways.
func sameBothWaysIfFast(t *testing.T, format, data string) {
	t.Helper()
	if format == "spacy" || format == "doccano" || format == "labelstudio" {
		sameBothWays(t, format, ReadOptions{}, []byte(data))
	}
}

// An exporter refuses a relation it cannot write.
func TestExportRefusesBadRelations(t *testing.T) {
	for _, c := range []struct {
		rel  Relation
		want string
	}{
		{Relation{Type: "r", From: 0, To: 9}, "ends 0 and 9 are not both spans of the document (it has 6)"},
		{Relation{Type: "r", From: 2, To: 2}, "both ends are span 2"},
		{Relation{From: 0, To: 1}, "no type"},
		{Relation{Type: " \t", From: 0, To: 1}, "no type"}, // brat could not write it
		{Relation{Type: "r", From: 0, To: 1, Attrs: []Attr{{"a", "1"}, {"a", "2"}}}, `attribute "a" given twice`},
	} {
		for _, format := range RelationFormats() {
			if f, _ := Lookup(format); !f.Attributes && len(c.rel.Attrs) > 0 {
				continue // attributes left out, not checked
			}
			d := relDoc(t)
			d.Relations = []Relation{c.rel}
			var buf bytes.Buffer
			ex, err := NewExporter(format, &buf, &memFiles{}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := ex.Write(d); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s %+v: %v, want %q", format, c.rel, err, c.want)
			}
		}
	}
}
