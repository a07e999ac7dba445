package library

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gloss/storage"
	"gloss/storage/storagetest"
)

const fixtures = "../formats/testdata/"

// contents is everything an import can change, as the program shows it.
type contents struct {
	Stats storage.Stats
	Docs  []storage.Document
	Spans [][]storage.Span
	Anns  []storage.Annotator
}

func contentsOf(t *testing.T, s *storage.Store) contents {
	t.Helper()
	ctx := context.Background()
	var c contents
	var err error
	if c.Stats, err = s.Stats(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.EachDocument(ctx, func(d storage.Document, ss []storage.Span) error {
		c.Docs = append(c.Docs, d)
		c.Spans = append(c.Spans, ss)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if c.Anns, err = s.Annotators(ctx); err != nil {
		t.Fatal(err)
	}
	return c
}

// spanTexts lists "LABEL=text" of every stored span, document by document
// (spans in Spans order), checking that each span's text is its document's
// code points.
func spanTexts(t *testing.T, c contents) []string {
	t.Helper()
	var out []string
	for i, d := range c.Docs {
		rs := []rune(d.Text)
		for _, sp := range c.Spans[i] {
			if got := string(rs[sp.Start:sp.End]); got != sp.Text {
				t.Errorf("%s: span text %q, document code points %q", d.Title, sp.Text, got)
			}
			out = append(out, sp.Label+"="+sp.Text)
		}
	}
	return out
}

func TestImportFileEveryFormat(t *testing.T) {
	cases := []struct {
		path, format string
		docs         int
		spans        []string
		skipped      map[string]int
	}{
		{"import_gloss.jsonl", "auto", 3, []string{"Figure=👍🏽", "Claim=We’ll build 280,000 homes,” she", "Figure=280,000", "Figure=👩‍👩‍👧", "Claim=with CRLF"}, nil},
		{"import_spacy.jsonl", "auto", 4, []string{"MONEY=280,000", "PERSON=Ana Ruiz", "GPE=Oslo", "GPE=Bergen", "QUOTE=“quoted”", "NOUN=text"},
			map[string]int{"prodigy reject answer": 1, "prodigy ignore answer": 1}},
		{"import_doccano.jsonl", "doccano", 3, []string{"MONEY=280,000", "PER=she", "PER=Ana Ruiz", "ORD=Second", "NOUN=text", "GPE=Bergen"},
			nil},
		{"import_labelstudio.json", "auto", 2, []string{"Claim=We’ll build 280,000 homes,” she", "Quote=We’ll build 280,000 homes,” she", "Figure=280,000", "Thing=This is  an", "Thing=annotation"},
			map[string]int{"labelstudio cancelled annotation": 1, "labelstudio choices result": 1, "labelstudio relation without a label": 1, "labelstudio prediction": 1}},
		{"import_brat", "auto", 2, []string{"Claim=We’ll", "Figure=280,000", "Claim=homes", "Person=Ana Ruiz", "Agree=agreed"},
			map[string]int{"brat event": 1, "brat attribute on an event": 2, "brat normalization": 1, "brat note on a relation, event or attribute": 1}},
		{"import_conll.txt", "conll", 2, []string{"ORG=U.N.", "PER=Ekeus Rolf", "LOC=New York", "LOC=Berlin", "PER=Ana Ruiz", "EMOJI=👍🏽", "LOC=New South Wales", "LOC=São Paulo"}, nil},
		{"import_hf.jsonl", "conll", 2, []string{"PER=Ana Ruiz", "LOC=São Paulo", "LOC=Oslo"}, nil},
	}
	ctx := context.Background()
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			s, _ := storagetest.Open(t)
			path := fixtures + c.path
			res, err := ImportFile(ctx, s, path, ImportFileOptions{Format: c.format, Annotator: "importer"})
			if err != nil {
				t.Fatal(err)
			}
			sum := res.Summary
			if sum.Documents != c.docs || sum.Spans != len(c.spans) || sum.SpansSkipped != 0 || res.FirstDocument == "" {
				t.Errorf("summary %+v", sum)
			}
			// The relations read: doccano's one, brat's R line and its
			// equivalence of two spans; none elsewhere.
			wantRels := map[string]int{"import_doccano.jsonl": 1, "import_brat": 2}[c.path]
			if sum.Relations != wantRels {
				t.Errorf("relations %d, want %d", sum.Relations, wantRels)
			}
			if len(c.skipped) == 0 {
				c.skipped = map[string]int{}
			}
			if !reflect.DeepEqual(sum.Skipped, c.skipped) {
				t.Errorf("skipped %v, want %v", sum.Skipped, c.skipped)
			}
			before := contentsOf(t, s)
			if got := spanTexts(t, before); !reflect.DeepEqual(got, c.spans) {
				t.Errorf("spans\n got %q\nwant %q", got, c.spans)
			}
			for _, d := range before.Docs {
				if strings.Contains(d.Text, "\r") && d.Format != "text" { // only Gloss JSONL keeps a CR
					t.Errorf("%s kept a CR", d.Title)
				}
			}
			// The same file again changes nothing.
			res, err = ImportFile(ctx, s, path, ImportFileOptions{Format: c.format, Annotator: "importer"})
			if err != nil {
				t.Fatal(err)
			}
			if res.Summary.Documents != 0 || res.Summary.DocumentsExisting != c.docs || res.Summary.Spans != 0 ||
				res.Summary.SpansSkipped != len(c.spans) || len(res.Summary.LabelsCreated) != 0 {
				t.Errorf("re-import summary %+v", res.Summary)
			}
			if after := contentsOf(t, s); !reflect.DeepEqual(before, after) {
				t.Errorf("re-import changed the store")
			}
		})
	}
}

func TestImportGlossJSONLKeepsIDs(t *testing.T) {
	s, _ := storagetest.Open(t)
	ctx := context.Background()
	// Nothing names an annotator here: the file does.
	if _, err := ImportFile(ctx, s, fixtures+"import_gloss.jsonl", ImportFileOptions{}); err != nil {
		t.Fatal(err)
	}
	d, err := s.Document(ctx, "0190a1b2-0000-7000-8000-0000000000d1")
	if err != nil || d.FileName != "homes.txt" || d.Format != "text" || !d.ImportedAt.Equal(time.Date(2025, 3, 4, 14, 4, 5, 123456789, time.UTC)) {
		t.Fatalf("%+v %v", d, err)
	}
	sp, err := s.Span(ctx, "0190a1b2-0000-7000-8000-0000000005a2")
	if err != nil || sp.LabelID != "0190a1b2-0000-7000-8000-0000000001c1" || sp.AnnotatorID != "0190a1b2-0000-7000-8000-000000000a01" ||
		sp.Note != "a “note” — 👍🏽" || !sp.Created.Equal(time.Date(2025, 3, 4, 15, 1, 0, 0, time.UTC)) || !sp.Updated.Equal(time.Date(2025, 3, 4, 16, 0, 0, 0, time.UTC)) {
		t.Fatalf("%+v %v", sp, err)
	}
	if st, _ := s.Status(ctx, d.ID, "0190a1b2-0000-7000-8000-000000000a02"); st != storage.StatusInProgress {
		t.Errorf("ben's status %s", st)
	}
	// The default labels the file did not bring are there, with their keys.
	var names []string
	ls := storagetest.Labels(t, s)
	for _, l := range ls {
		names = append(names, l.Name+l.Key)
	}
	if !reflect.DeepEqual(names, []string{"Figure2", "Claim1", "Proposal3"}) {
		t.Errorf("labels %v", names)
	}
}

// TestJSONLRoundTrip: export, import into an empty database, export again:
// the same bytes.
func TestJSONLRoundTrip(t *testing.T) {
	ctx := context.Background()
	src, _ := storagetest.Open(t)
	for _, f := range []string{"import_gloss.jsonl", "import_spacy.jsonl", "import_brat", "import_labelstudio.json"} {
		if _, err := ImportFile(ctx, src, fixtures+f, ImportFileOptions{Annotator: "importer"}); err != nil {
			t.Fatal(err)
		}
	}
	// Work done in the window after the import: a span, a note, a status.
	me := storagetest.Analysts(t, src, "ana")[0]
	docs, _ := src.DocumentSummaries(ctx, "")
	ls := storagetest.Labels(t, src)
	if _, err := src.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: docs[3].ID, AnnotatorID: me.ID, LabelID: ls[0].ID, Start: 0, End: 4, Note: "mine"}); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Apply(ctx, storage.Edit{Kind: storage.EditSetStatus, DocumentID: docs[4].ID, AnnotatorID: me.ID, Status: storage.StatusReviewed}); err != nil {
		t.Fatal(err)
	}
	export := func(s *storage.Store) []byte {
		var b bytes.Buffer
		if _, err := Export(ctx, s, ExportOptions{Format: "jsonl", W: &b}, nil); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	first := export(src)
	path := filepath.Join(t.TempDir(), "export.jsonl")
	if err := os.WriteFile(path, first, 0o644); err != nil {
		t.Fatal(err)
	}
	dst, _ := storagetest.Open(t)
	res, err := ImportFile(ctx, dst, path, ImportFileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Formats[0] != "jsonl" {
		t.Errorf("read as %s", res.Formats[0])
	}
	second := export(dst)
	if !bytes.Equal(first, second) {
		a, b := strings.Split(string(first), "\n"), strings.Split(string(second), "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("line %d differs:\n%s\n%s", i+1, a[i], b[i])
			}
		}
		t.Fatalf("%d and %d lines", len(a), len(b))
	}
	// And importing it into the source changes nothing there.
	before := contentsOf(t, src)
	if _, err := ImportFile(ctx, src, path, ImportFileOptions{}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, contentsOf(t, src)) {
		t.Error("importing the export back changed the source")
	}
}

// TestImportFileErrors: bad files are refused with the file and line (and
// JSON path), and the database is exactly as before.
func TestImportFileErrors(t *testing.T) {
	ctx := context.Background()
	s, _ := storagetest.Open(t)
	if _, err := ImportFile(ctx, s, fixtures+"import_spacy.jsonl", ImportFileOptions{Annotator: "ana"}); err != nil {
		t.Fatal(err)
	}
	before := contentsOf(t, s)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := `{"text":"A new document — 👍🏽 fine.","spans":[{"start":0,"end":5,"label":"NEW"}]}` + "\n"
	write("ok.txt", "Hello “world” 👍🏽.\r\n")
	cases := []struct {
		name, content string
		opts          ImportFileOptions
		want          string
	}{
		{"json.jsonl", good + "{\"text\": \"b\",\n\"spans\": [}\n", ImportFileOptions{Format: "spacy", Annotator: "ana"}, "json.jsonl:3: invalid JSON"},
		{"types.jsonl", good + `{"text":"b","spans":[{"start":"0","end":1,"label":"X"}]}`, ImportFileOptions{Format: "spacy", Annotator: "ana"}, `types.jsonl:2: $.spans[0].start: want a whole number, got a string`},
		{"negative.jsonl", good + good[:0] + `{"text":"abc","spans":[{"start":-1,"end":1,"label":"X"}]}`, ImportFileOptions{Format: "spacy", Annotator: "ana"}, "negative.jsonl:2: $.spans[0]: invalid span: start -1 is negative"},
		{"reversed.jsonl", good + `{"text":"abc","label":[[2,1,"X"]]}`, ImportFileOptions{Format: "doccano", Annotator: "ana"}, "reversed.jsonl:2: $.label[0]: invalid span: start 2 > end 1"},
		{"past.jsonl", good + `{"text":"abc 👍🏽","label":[[0,9,"X"]]}`, ImportFileOptions{Format: "doccano", Annotator: "ana"}, "past.jsonl:2: $.label[0]: invalid span: end 7 past document length 6"},
		{"mismatch.jsonl", good + `{"text":"“abc”","spans":[{"start":1,"end":3,"label":"X","text":"abc"}]}`, ImportFileOptions{Format: "spacy", Annotator: "ana"}, `mismatch.jsonl:2: $.spans[0]: invalid span: text "abc" does not match the document's code points [1, 3), which are "ab"`},
		{"strict.jsonl", good, ImportFileOptions{Format: "spacy", Annotator: "ana", Strict: true}, `strict.jsonl:1: $.spans[0]: invalid label: unknown label "NEW" (strict import`},
		{"noannotator.jsonl", good, ImportFileOptions{Format: "spacy"}, "noannotator.jsonl:1: $.spans[0]: invalid annotator: no annotator is named"},
		{"gloss.jsonl", `{"text":"x y","spans":[{"start":0,"end":1,"label":"X","annotator":"a\tb"}]}`, ImportFileOptions{Format: "jsonl"}, `gloss.jsonl:1: $.spans[0]: invalid annotator: "a\tb": name contains a tab`},
		{"gloss2.jsonl", `{"text":"x y","statuses":[{"annotator":"a","status":"great"}]}`, ImportFileOptions{Format: "jsonl"}, `gloss2.jsonl:1: $.statuses[0]: invalid edit: unknown status "great"`},
		{"ok.ann", "T1\tX 0 5\tHello\nT2\tX 9 7\tworld\n", ImportFileOptions{Annotator: "ana"}, "ok.ann:2: T2: offsets 9 7: want 0 <= start < end"},
		{"orphan.ann", "T1\tX 0 5\tHello\n", ImportFileOptions{Annotator: "ana"}, "orphan.ann: no text file orphan.txt beside it"},
		{"tasks.json", `[{"data":{"text":"abc"},"annotations":[{"result":[{"type":"labels","value":{"start":0,"end":9,"labels":["X"]}}]}]}]`, ImportFileOptions{Format: "labelstudio", Annotator: "ana"}, "tasks.json:1: $[0].annotations[0].result[0].value: invalid span: end 9 past document length 3"},
		{"tags.conll", "-DOCSTART- O\n\nA\tB-X\nB\tNNP\n", ImportFileOptions{Format: "conll", Annotator: "ana"}, "tags.conll:4: no tag in"},
		{"bad.txt", "ok\n\xff\n", ImportFileOptions{}, "bad.txt: not valid UTF-8 at line 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := write(c.name, c.content)
			_, err := ImportFile(ctx, s, p, c.opts)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), p) {
				t.Fatalf("\n got %v\nwant %s…%s…", err, p, c.want)
			}
			if after := contentsOf(t, s); !reflect.DeepEqual(before, after) {
				t.Error("the store changed")
			}
		})
	}
	// Strict import with known labels passes.
	p := write("known.jsonl", `{"text":"Known labels — 👍🏽","spans":[{"start":0,"end":5,"label":"money"}]}`)
	if _, err := ImportFile(ctx, s, p, ImportFileOptions{Format: "spacy", Annotator: "ana", Strict: true}); err != nil {
		t.Errorf("strict with a known label: %v", err)
	}
}

func TestImportPathsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s, _ := storagetest.Open(t)
	dir := t.TempDir()
	a := filepath.Join(dir, "a.txt")
	os.WriteFile(a, []byte("An “article” — 👍🏽\r\nsecond line\r\n"), 0o644)
	bad := filepath.Join(dir, "b.jsonl")
	os.WriteFile(bad, []byte(`{"text":"x","spans":[{"start":0,"end":2,"label":"X"}]}`), 0o644)
	if _, err := ImportPaths(ctx, s, []string{a, fixtures + "import_conll.txt", bad}, ImportFileOptions{Annotator: "ana"}); err == nil {
		t.Fatal("bad file accepted")
	}
	if n, _ := s.DocumentCount(ctx); n != 0 {
		t.Fatalf("%d documents after a failed import", n)
	}
	res, err := ImportPaths(ctx, s, []string{a, fixtures + "import_conll.txt"}, ImportFileOptions{Annotator: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res.Formats, []string{"text", "conll"}) || res.Summary.Documents != 3 || res.Summary.Spans != 8 {
		t.Errorf("%+v", res)
	}
	d, _ := s.Document(ctx, res.FirstDocument)
	if d.Text != "An “article” — 👍🏽\nsecond line\n" || d.Format != "text" {
		t.Errorf("article %q", d.Text)
	}
}

func TestCountReadsRight(t *testing.T) {
	for _, c := range []struct {
		n          int
		noun, want string
	}{{1, "document", "1 document"}, {0, "document", "0 documents"}, {3, "span", "3 spans"}, {2, "status", "2 statuses"}, {3, "match", "3 matches"}} {
		if got := Count(c.n, c.noun); got != c.want {
			t.Errorf("Count(%d, %q) = %q, want %q", c.n, c.noun, got, c.want)
		}
	}
}
