package formats

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// The edges of relations and attributes: names brat cannot hold, brat
// lines in any order, regions and entities named twice, tokens that end
// two spans, and the direction a file gives.

func TestBratType(t *testing.T) {
	for in, want := range map[string]string{
		"Claim":           "Claim",
		"Key claim":       "Key_claim",
		"same as":         "same_as",
		" a\t b ":         "a_b",
		"A|B":             "A_B",
		"a,b":             "a_b",
		"#hash":           "_hash",
		"[section]":       "_section_",
		"!abstract":       "_abstract",
		"<ENTITY>":        "_ENTITY_",
		"x=y":             "x_y",
		"C++":             "C__",
		"e.g.":            "e_g_",
		"Org/Company":     "Org_Company",
		"---":             "___",
		"-":               "_",
		"well-known":      "well-known",
		"Personne âgée":   "Personne_âgée", // other scripts kept
		"وزير":            "وزير",
		"人名":              "人名",
		"a\u00a0b\u2028c": "a_b_c", // Unicode white space
	} {
		if got := BratType(in); got != want {
			t.Errorf("BratType(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"High":         "High",
		"needs a look": "needs_a_look",
		"1,5":          "1_5",
		"p|q":          "p_q",
		"3.5":          "3.5",
		"a:b":          "a:b",
		" \t":          "",
	} {
		if got := BratValue(in); got != want {
			t.Errorf("BratValue(%q) = %q, want %q", in, got, want)
		}
	}
}

// confTerm is what brat reads as a type in annotation.conf: a name of its
// storage form (ASCII letters, digits, _ and -; other scripts are Gloss's
// choice, see BratType), not a comment, a section or a separator.
var confTerm = regexp.MustCompile(`^[\pL\pN_-]*[\pL\pN_][\pL\pN_-]*$`)

// A label, relation type, attribute name or value that brat's
// annotation.conf would read as something else is written replaced, the
// .ann and annotation.conf agreeing, and comes back so.
func TestBratExportNamesBratCanRead(t *testing.T) {
	text := "ab cd ef gh ij kl"
	d := Doc{ID: "d", Title: "T", Text: text, Spans: []Span{
		{Start: 0, End: 2, Label: "A|B", Text: "ab", Attrs: []Attr{{"x, y", "p|q"}, {"note", "yes, maybe"}}},
		{Start: 3, End: 5, Label: "#hash", Text: "cd"},
		{Start: 6, End: 8, Label: "[sec]", Text: "ef"},
		{Start: 9, End: 11, Label: "a,b", Text: "gh"},
		{Start: 12, End: 14, Label: "---", Text: "ij"},
		{Start: 15, End: 17, Label: "C++", Text: "kl"},
	}, Relations: []Relation{
		{Type: "same as", From: 0, To: 3, Attrs: []Attr{{"conf", "very high"}}},
		{Type: "a,b|c", From: 1, To: 2},
		{Type: "!x", From: 4, To: 5},
	}}
	schema := Schema{Relations: []RelationType{{Name: "same as", Args: []LabelPair{{"A|B", "a,b"}}}},
		Attributes: []AttributeDef{{Name: "x, y", Kind: AttrChoice, Choices: []string{"p|q", "r, s"}, On: []string{"A|B"}}}}
	out, files, sum := exportAll(t, "brat", []Doc{d}, Options{Schema: schema, Labels: []string{"A|B", "#hash", "[sec]", "a,b", "---", "C++"}})
	if sum.Relations != 3 || sum.RelationsLeftOut != 0 || sum.AttributesLeftOut != 0 {
		t.Errorf("summary %+v", sum)
	}
	ann := files.files["T.ann"].String()
	for _, want := range []string{
		"T1\tA_B 0 2\tab\n", "T2\t_hash 3 5\tcd\n", "T3\t_sec_ 6 8\tef\n", "T4\ta_b 9 11\tgh\n", "T5\t___ 12 14\tij\n", "T6\tC__ 15 17\tkl\n",
		"R1\tsame_as Arg1:T1 Arg2:T4\n", "R2\ta_b_c Arg1:T2 Arg2:T3\n", "R3\t_x Arg1:T5 Arg2:T6\n",
		"A1\tx__y T1 p_q\n", "A2\tnote T1 yes__maybe\n", "A3\tconf R1 very_high\n",
	} {
		if !strings.Contains(ann, want) {
			t.Errorf("no %q in\n%s", want, ann)
		}
	}
	// Every line of annotation.conf is a section, a comment Gloss wrote,
	// or a term brat stores as it is, with arguments whose lists hold
	// terms and values only.
	conf := files.files["annotation.conf"].String()
	for _, l := range strings.Split(conf, "\n") {
		if l == "" || strings.HasPrefix(l, "# Made by Gloss") || regexp.MustCompile(`^\[(entities|relations|events|attributes)\]$`).MatchString(l) {
			continue
		}
		term, args, _ := strings.Cut(l, "\t")
		if !confTerm.MatchString(term) {
			t.Errorf("annotation.conf: term %q in %q", term, l)
		}
		if args == "" {
			continue
		}
		for _, a := range strings.Split(args, ", ") {
			key, list, ok := strings.Cut(a, ":")
			if !ok {
				t.Errorf("annotation.conf: argument %q in %q", a, l)
				continue
			}
			for _, v := range strings.Split(list, "|") {
				if key == "<REL-TYPE>" || v == "<ENTITY>" || v == "<RELATION>" {
					continue
				}
				if !confTerm.MatchString(v) {
					t.Errorf("annotation.conf: %s value %q in %q", key, v, l)
				}
			}
		}
	}
	for _, want := range []string{"\nsame_as\tArg1:A_B, Arg2:a_b, <REL-TYPE>:symmetric\n", "\nx__y\tArg:A_B, Value:p_q|r__s\n", "\nnote\tArg:<ENTITY>, Value:yes__maybe\n"} {
		if !strings.Contains(conf, want) {
			t.Errorf("no %q in annotation.conf\n%s", want, conf)
		}
	}
	// Read back: the names as brat holds them.
	back, _ := readBack(t, "brat", out, files)
	s, r := described(back[0])
	wantS := []string{"A_B=ab {x__y:p_q; note:yes__maybe}", "C__=kl", "___=ij", "_hash=cd", "_sec_=ef", "a_b=gh"}
	wantR := []string{"A_B=ab -same_as-> a_b=gh {conf:very_high}", "___=ij -_x-> C__=kl", "_hash=cd -a_b_c-> _sec_=ef"}
	if !reflect.DeepEqual(s, wantS) || !reflect.DeepEqual(r, wantR) {
		t.Errorf("back:\n%q\n%q\nwant\n%q\n%q", s, r, wantS, wantR)
	}
}

// bratRead reads ann beside txt.
func bratRead(t *testing.T, txt, ann string) ([]Doc, Report, error) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "doc.txt"), []byte(txt), 0o644); err != nil {
		t.Fatal(err)
	}
	var docs []Doc
	rep, err := ReadRecords(filepath.Join(dir, "doc.ann"), strings.NewReader(ann), "brat", func(d Doc) error { docs = append(docs, d); return nil })
	return docs, rep, err
}

// brat files put their lines in any order: an R line before the T lines
// it names, an attribute of a relation before the relation, arguments in
// either order; a discontinuous T's relation is its first fragment's, its
// attribute every fragment's, after emoji and in a CRLF text whose
// offsets count without the CRs.
func TestBratLinesInAnyOrder(t *testing.T) {
	txt := "👍🏽 Ana\r\nmet\r\nBen Ruiz.\r\n"
	ann := "A1\tConfidence R1 High\n" +
		"R1\tmet Arg2:T2 Arg1:T1\n" +
		"R2\tnamed Foo:T2 Arg1:T1\n" +
		"*\tSame T2\n" +
		"T2\tPerson 11 14;15 19\tBen Ruiz\n" +
		"A2\tNew T2\n" +
		"T1\tPerson 3 6\tAna\n"
	docs, rep, err := bratRead(t, txt, ann)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"brat equivalence with one member": 1}; !reflect.DeepEqual(rep.Skipped, want) {
		t.Errorf("skipped %v, want %v", rep.Skipped, want)
	}
	d := docs[0]
	s, r := described(d)
	wantS := []string{"Person=Ana", "Person=Ben {New:true}", "Person=Ruiz {New:true}"}
	wantR := []string{"Person=Ana -met-> Person=Ben {Confidence:High}", "Person=Ana -named-> Person=Ben"}
	if !reflect.DeepEqual(s, wantS) || !reflect.DeepEqual(r, wantR) {
		t.Errorf("read\n%q\n%q\nwant\n%q\n%q", s, r, wantS, wantR)
	}
	if d.Relations[0].Line != 2 || d.Relations[1].Line != 3 || d.Relations[0].Symmetric {
		t.Errorf("relations %+v", d.Relations)
	}
	bratRoundTrip(t, d)

	// An equivalence is symmetric: a type made for it has no direction.
	docs, _, err = bratRead(t, "ab cd ef\n", "T1\tX 0 2\tab\nT2\tX 3 5\tcd\nT3\tX 6 8\tef\n*\tAlias T1 T2 T3\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range docs[0].Relations {
		if !rel.Symmetric || rel.Type != "Alias" {
			t.Errorf("equivalence %+v", rel)
		}
	}
}

// An R line brat would not read, and a * line without members, are
// refused with the file and line.
func TestBratBadLinks(t *testing.T) {
	for _, c := range []struct{ ann, want string }{
		{"T1\tX 0 2\tab\nT2\tX 3 5\tcd\nR1\tr Arg1:T1 Arg1:T2\n", "doc.ann:3: R1: both arguments are Arg1 (brat's are two roles, Arg1 and Arg2)"},
		{"T1\tX 0 2\tab\nT2\tX 3 5\tcd\nR1\tr Arg1:T1 Arg2:\n", "doc.ann:3: R1: Arg2 names no annotation"},
		{"T1\tX 0 2\tab\n*\tAlias\n", `doc.ann:2: *: want "*<TAB>TYPE T1 T2 ..." (a type and its members)`},
		{"T1\tX 0 2\tab\n*\tAlias T4\n", "doc.ann:2: *: member T4, which the file does not define"},
	} {
		_, _, err := bratRead(t, "ab cd\n", c.ann)
		if err == nil || !strings.HasSuffix(err.Error(), c.want) {
			t.Errorf("%q:\ngot  %v\nwant …%s", c.ann, err, c.want)
		}
	}
}

// Label Studio: relations listed before their regions; a region labelled
// by two <Labels> (two "labels" results, one id) is one region, whose
// attributes are on all its spans and whose relations start at its first;
// "bi" is a relation without direction, "left" the other way.
func TestLabelStudioRegionsNamedTwice(t *testing.T) {
	in := `[{"data":{"text":"👍🏽 Ana met Ben.\r\nOslo"},"annotations":[{"completed_by":"ana","result":[
{"from_id":"r2","to_id":"r1","type":"relation","direction":"left","labels":["met"]},
{"from_id":"r1","to_id":"r3","type":"relation","direction":"bi","labels":["near"]},
{"id":"r1","type":"labels","from_name":"label","to_name":"text","value":{"start":3,"end":6,"text":"Ana","labels":["Person","Agent"]}},
{"id":"r2","type":"labels","from_name":"label","to_name":"text","value":{"start":11,"end":14,"text":"Ben","labels":["Person"]}},
{"id":"r2","type":"labels","from_name":"role","to_name":"text","value":{"start":11,"end":14,"text":"Ben","labels":["Patient"]}},
{"id":"r2","type":"choices","from_name":"certainty","to_name":"text","value":{"start":11,"end":14,"choices":["High"]}},
{"id":"r3","type":"labels","from_name":"label","to_name":"text","value":{"start":17,"end":21,"text":"Oslo","labels":["Place"]}},
{"id":"doc","type":"choices","from_name":"topic","to_name":"text","value":{"choices":["news"]}}
]}]}]`
	for _, unit := range []OffsetUnit{UnitDefault, UnitUTF16} {
		data := in
		if unit == UnitUTF16 { // the emoji is four UTF-16 units, and the CRLF is kept
			data = strings.NewReplacer(`"start":3,"end":6`, `"start":5,"end":8`, `"start":11,"end":14`, `"start":13,"end":16`, `"start":17,"end":21`, `"start":19,"end":23`).Replace(in)
		}
		var docs []Doc
		rep, err := ReadRecordsWith("in", strings.NewReader(data), "labelstudio", ReadOptions{Offsets: unit}, func(d Doc) error { docs = append(docs, d); return nil })
		if err != nil {
			t.Fatalf("%s: %v", unit, err)
		}
		if want := map[string]int{"labelstudio choices result": 1}; !reflect.DeepEqual(rep.Skipped, want) {
			t.Errorf("%s: skipped %v", unit, rep.Skipped)
		}
		s, r := described(docs[0])
		wantS := []string{"Agent=Ana", "Patient=Ben {certainty:High}", "Person=Ana", "Person=Ben {certainty:High}", "Place=Oslo"}
		wantR := []string{"Person=Ana -met-> Person=Ben", "Person=Ana -near-> Place=Oslo"}
		if !reflect.DeepEqual(s, wantS) || !reflect.DeepEqual(r, wantR) {
			t.Errorf("%s:\n%q\n%q\nwant\n%q\n%q", unit, s, r, wantS, wantR)
		}
		if rels := docs[0].Relations; rels[0].Symmetric || !rels[1].Symmetric || rels[1].Path != "$[0].annotations[0].result[1]" {
			t.Errorf("%s: relations %+v", unit, rels)
		}
	}
}

// Label Studio export: a region id is one region, even when two spans
// have one ID or a span's ID is the id Gloss would make up for another.
func TestLabelStudioRegionIDsUnique(t *testing.T) {
	d := Doc{ID: "d", Title: "T", Text: "ab cd ef gh", Spans: []Span{
		{ID: "s", Start: 0, End: 2, Label: "A", Text: "ab"},
		{ID: "s", Start: 3, End: 5, Label: "B", Text: "cd"},
		{ID: "gloss-3", Start: 6, End: 8, Label: "C", Text: "ef"},
		{Start: 9, End: 11, Label: "D", Text: "gh", Attrs: []Attr{{"n", "1"}}},
	}, Relations: []Relation{{Type: "r", From: 0, To: 1}, {Type: "q", From: 2, To: 1}, {Type: "p", From: 3, To: 2}}}
	if got, want := lsRegionIDs(d), []string{"s", "gloss-1", "gloss-3", "gloss-3-2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("region ids %q, want %q", got, want)
	}
	out, _, sum := exportAll(t, "labelstudio", []Doc{d}, Options{})
	if sum.Relations != 3 {
		t.Errorf("summary %+v", sum)
	}
	back, _ := readBack(t, "labelstudio", out, nil)
	s, r := described(back[0])
	if want := []string{"A=ab -r-> B=cd", "C=ef -q-> B=cd", "D=gh -p-> C=ef"}; !reflect.DeepEqual(r, want) {
		t.Errorf("relations back %q, want %q\n%s", r, want, out)
	}
	if want := []string{"A=ab", "B=cd", "C=ef", "D=gh {n:1}"}; !reflect.DeepEqual(s, want) {
		t.Errorf("spans back %q", s)
	}
	// Without relations or attributes, ids as they were.
	d.Relations, d.Spans[3].Attrs = nil, nil
	if got, want := lsRegionIDs(d), []string{"s", "gloss-1", "gloss-3", ""}; !reflect.DeepEqual(got, want) {
		t.Errorf("region ids without relations %q, want %q", got, want)
	}
}

// doccano: an id is the same as a string and as a number; an entity
// repeated with its id is one end; two different entities with one id
// cannot be one.
func TestDoccanoEntityIDs(t *testing.T) {
	for _, c := range []struct{ data, want, err string }{
		{`{"text":"ab cd","entities":[{"id":"1","start_offset":0,"end_offset":2,"label":"X"},{"id":2,"start_offset":3,"end_offset":5,"label":"Y"}],"relations":[{"from_id":1,"to_id":"2","type":"r"}]}`, "X=ab -r-> Y=cd", ""},
		{`{"text":"ab cd","entities":[{"id":1.0,"start_offset":0,"end_offset":2,"label":"X"},{"id":2,"start_offset":3,"end_offset":5,"label":"Y"}],"relations":[{"from_id":1,"to_id":2.0,"type":"r"}]}`, "X=ab -r-> Y=cd", ""},
		{`{"text":"ab cd","entities":[{"id":1,"start_offset":0,"end_offset":2,"label":"X"},{"id":1,"start_offset":0,"end_offset":2,"label":"X"},{"id":2,"start_offset":3,"end_offset":5,"label":"Y"}],"relations":[{"from_id":2,"to_id":1,"type":"r"}]}`, "Y=cd -r-> X=ab", ""},
		{`{"text":"ab cd","entities":[{"id":1,"start_offset":0,"end_offset":2,"label":"X"},{"id":1,"start_offset":0,"end_offset":2,"label":"Z"},{"id":2,"start_offset":3,"end_offset":5,"label":"Y"}],"relations":[{"from_id":2,"to_id":1,"type":"r"}]}`, "", "in:1: $.relations[0].to_id: two entities have the id 1"},
		// CRLF and emoji before the entities, offsets in UTF-16 units.
		{"{\"text\":\"👍🏽 ab\\r\\ncd\",\"entities\":[{\"id\":7,\"start_offset\":5,\"end_offset\":7,\"label\":\"X\"},{\"id\":8,\"start_offset\":9,\"end_offset\":11,\"label\":\"Y\"}],\"relations\":[{\"from_id\":8,\"to_id\":7,\"type\":\"r\"}]}", "Y=cd -r-> X=ab", ""},
	} {
		opts := ReadOptions{}
		if strings.Contains(c.data, "👍🏽") {
			opts.Offsets = UnitUTF16
		}
		var docs []Doc
		_, err := ReadRecordsWith("in", strings.NewReader(c.data), "doccano", opts, func(d Doc) error { docs = append(docs, d); return nil })
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("%s:\ngot  %v\nwant %s", c.data, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.data, err)
			continue
		}
		if _, r := described(docs[0]); !reflect.DeepEqual(r, []string{c.want}) {
			t.Errorf("%s: relations %q, want %q", c.data, r, c.want)
		}
		sameBothWays(t, "doccano", opts, []byte(c.data))
	}
}

// Prodigy: a relation given by token indices only is the span ending on
// the token; when spans of two extents end there, only head_span could
// say which, and the relation is refused.
func TestProdigyTokenEnds(t *testing.T) {
	spans := `"spans":[{"start":0,"end":8,"token_start":0,"token_end":1,"label":"GPE"},{"start":4,"end":8,"token_start":1,"token_end":1,"label":"CITY"},{"start":12,"end":15,"token_start":3,"token_end":3,"label":"ADJ"}]`
	for _, c := range []struct{ rels, want, err string }{
		{`[{"head":3,"child":1,"label":"of"}]`, "", "in:1: $.relations[0].child: child 1 is the last token of two spans, $.spans[0] and $.spans[1]: which one is meant needs child_span"},
		{`[{"head":3,"child":1,"child_span":{"start":4,"end":8,"label":"CITY"},"label":"of"}]`, "ADJ=big -of-> CITY=York", ""},
		{`[{"head":1,"child":3,"head_span":{"start":0,"end":8,"label":"GPE"},"label":"is"}]`, "GPE=New York -is-> ADJ=big", ""},
	} {
		data := `{"text":"New York is big",` + spans + `,"relations":` + c.rels + `}`
		var docs []Doc
		_, err := ReadRecords("in", strings.NewReader(data), "spacy", func(d Doc) error { docs = append(docs, d); return nil })
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("%s:\ngot  %v\nwant %s", c.rels, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.rels, err)
			continue
		}
		if _, r := described(docs[0]); !reflect.DeepEqual(r, []string{c.want}) {
			t.Errorf("%s: relations %q, want %q", c.rels, r, c.want)
		}
	}
	// Two labels of one extent ending on the token are one end: the first.
	data := `{"text":"New York is big","spans":[{"start":0,"end":8,"token_start":0,"token_end":1,"label":"GPE"},{"start":0,"end":8,"token_start":0,"token_end":1,"label":"LOC"},{"start":12,"end":15,"token_start":3,"token_end":3,"label":"ADJ"}],"relations":[{"head":1,"child":3,"label":"is"}]}`
	var docs []Doc
	if _, err := ReadRecords("in", strings.NewReader(data), "spacy", func(d Doc) error { docs = append(docs, d); return nil }); err != nil {
		t.Fatal(err)
	}
	if _, r := described(docs[0]); !reflect.DeepEqual(r, []string{"GPE=New York -is-> ADJ=big"}) {
		t.Errorf("relations %q", r)
	}
}
