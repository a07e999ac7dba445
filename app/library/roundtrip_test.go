package library

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"gloss/app/formats"
	"gloss/app/tokens"
	"gloss/storage"
	"gloss/storage/storagetest"
)

// Round trips for every format that can hold the data: export A as F,
// import that into an empty database B, export B as F again — the same
// bytes — and B's spans are A's spans. (Gloss JSONL has its own:
// TestExportJSONLRoundTrip and TestJSONLRoundTrip.)

// rtArticle is the CRLF source of the main document; it is imported
// through the article reader, so the stored text has LF line ends.
const rtArticle = "Housing plan 👍🏽\r\n\r\nThe minister said “we’ll build 280,000 homes” — a 12% rise.\r\nCritics doubt it — “not by 2030” 👍🏽"

// rtCorpus is database A of a round trip.
type rtCorpus struct {
	store    *storage.Store
	docs     []storage.Document // in import order
	ana, ben storage.Annotator
}

// newRTCorpus builds A through the store API: three articles (the CRLF one
// with emoji, curly quotes and em dashes; a second one ana labelled; a
// third nobody touched), spans of two annotators, one with a note, one
// ending at the very end of the text and, when overlaps is set, nested
// and crossing spans.
func newRTCorpus(t *testing.T, overlaps bool) *rtCorpus {
	t.Helper()
	ctx := context.Background()
	st, _ := storagetest.Open(t)
	dir := t.TempDir()
	c := &rtCorpus{store: st}
	for i, src := range []string{
		rtArticle,
		"Second report — “fine” 👍🏽\nRents rose 5% in 2024.",
		"Untouched — nobody read this “yet”.",
	} {
		p := filepath.Join(dir, fmt.Sprintf("article%d.txt", i+1))
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := ImportFile(ctx, st, p, ImportFileOptions{})
		if err != nil {
			t.Fatal(err)
		}
		d, err := st.Document(ctx, res.FirstDocument)
		if err != nil {
			t.Fatal(err)
		}
		c.docs = append(c.docs, d)
	}
	if h := c.docs[0].Text; strings.Contains(h, "\r") || h != strings.ReplaceAll(rtArticle, "\r\n", "\n") {
		t.Fatalf("stored text %q", h)
	}
	as := storagetest.Analysts(t, st, "ana", "ben")
	c.ana, c.ben = as[0], as[1]
	labels := storagetest.LabelIDs(t, st)
	span := func(doc storage.Document, who storage.Annotator, label, sub string, nth int, note string) {
		t.Helper()
		s, e := cp(t, doc.Text, sub, nth)
		if _, err := st.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: doc.ID, AnnotatorID: who.ID,
			LabelID: labels[label], Start: s, End: e, Note: note}); err != nil {
			t.Fatalf("span %q: %v", sub, err)
		}
	}
	h := c.docs[0]
	span(h, c.ben, "Proposal", "Housing plan 👍🏽", 0, "")
	span(h, c.ana, "Claim", "we’ll build 280,000 homes", 0, "")
	span(h, c.ana, "Figure", "12%", 0, "a “note” — 👍🏽\tsee\r\nthe source")
	span(h, c.ana, "Claim", "Critics doubt it", 0, "")
	span(h, c.ben, "Figure", "👍🏽", 1, "") // the very end of the text
	if overlaps {
		span(h, c.ana, "Figure", "280,000", 0, "")                      // nested in ana's Claim
		span(h, c.ben, "Claim", "280,000 homes” — a 12%", 0, "")        // crosses it
		span(h, c.ben, "Proposal", "Critics doubt it — “not by", 0, "") // ana's Claim nested
	}
	s2 := c.docs[1]
	span(s2, c.ana, "Claim", "Rents rose 5% in 2024", 0, "")
	if overlaps {
		span(s2, c.ana, "Figure", "5%", 0, "") // nested
	}
	return c
}

// rtSpan is a span as every format sees it.
type rtSpan struct {
	Doc        string // the document's text
	Start, End int
	Label      string
	Annotator  string // "" when the format keeps no annotators
	Note       string // only compared for brat
}

func (s rtSpan) String() string {
	return fmt.Sprintf("%q[%d:%d] %s by %q note %q", firstWords(s.Doc), s.Start, s.End, s.Label, s.Annotator, s.Note)
}

func firstWords(s string) string {
	r := []rune(s)
	return string(r[:min(len(r), 12)])
}

// rtSpans lists a store's spans, sorted; annotators and notes only when
// asked for.
func rtSpans(t *testing.T, s *storage.Store, annotators, notes bool) []rtSpan {
	t.Helper()
	var out []rtSpan
	err := s.EachRecord(context.Background(), storage.RecordFilter{}, func(r storage.Record) error {
		rs := []rune(r.Document.Text)
		for _, sp := range r.Spans {
			if string(rs[sp.Start:sp.End]) != sp.Text {
				t.Errorf("span text %q is not the document's [%d, %d)", sp.Text, sp.Start, sp.End)
			}
			x := rtSpan{Doc: r.Document.Text, Start: sp.Start, End: sp.End, Label: sp.Label}
			if annotators {
				x.Annotator = sp.Annotator
			}
			if notes {
				x.Note = sp.Note
			}
			out = append(out, x)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

func rtSameSpans(t *testing.T, what string, got, want []rtSpan) {
	t.Helper()
	if len(want) == 0 {
		t.Fatalf("%s: no spans to compare", what)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: spans differ\n got %v\nwant %v", what, got, want)
	}
}

// rtExport exports s as o and returns the output's bytes (a brat folder's
// files concatenated by name).
func rtExport(t *testing.T, s *storage.Store, o ExportOptions, path string) []byte {
	t.Helper()
	o.Path = path
	if _, err := Export(context.Background(), s, o, nil); err != nil {
		t.Fatalf("export %s: %v", o.Format, err)
	}
	if o.Format == "brat" {
		return readDir(t, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rtImport imports path into a new, empty database.
func rtImport(t *testing.T, path string, o ImportFileOptions) *storage.Store {
	t.Helper()
	dst, _ := storagetest.Open(t)
	if _, err := ImportFile(context.Background(), dst, path, o); err != nil {
		t.Fatalf("import %s: %v", o.Format, err)
	}
	return dst
}

// rtSameBytes fails with the first differing line.
func rtSameBytes(t *testing.T, what string, first, second []byte) {
	t.Helper()
	if bytes.Equal(first, second) {
		return
	}
	a, b := strings.Split(string(first), "\n"), strings.Split(string(second), "\n")
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			t.Errorf("%s: second export differs at line %d:\n first %s\nsecond %s", what, i+1, a[i], b[i])
			return
		}
	}
	t.Errorf("%s: second export has %d lines, the first %d", what, len(b), len(a))
}

func TestRoundTripSpacy(t *testing.T) {
	for _, off := range []formats.OffsetUnit{"", formats.UnitUTF16} {
		t.Run("offsets="+string(off), func(t *testing.T) {
			c := newRTCorpus(t, true)
			dir := t.TempDir()
			o := ExportOptions{Format: "spacy", Offsets: off}
			first := rtExport(t, c.store, o, filepath.Join(dir, "first.jsonl"))
			// spaCy keeps annotators (_annotator_id): no --annotator.
			b := rtImport(t, filepath.Join(dir, "first.jsonl"), ImportFileOptions{Format: "spacy", Offsets: off})
			second := rtExport(t, b, o, filepath.Join(dir, "second.jsonl"))
			// meta.id is Gloss's document id, which the spaCy reader keeps:
			// the same bytes, ids included.
			rtSameBytes(t, "spacy", first, second)
			rtSameSpans(t, "spacy", rtSpans(t, b, true, false), rtSpans(t, c.store, true, false))
			// The file again, into B and into A where it came from.
			rtReimport(t, "spacy into B", b, filepath.Join(dir, "first.jsonl"), ImportFileOptions{Format: "spacy", Offsets: off}, false)
			rtReimport(t, "spacy into A", c.store, filepath.Join(dir, "first.jsonl"), ImportFileOptions{Format: "spacy", Offsets: off}, true)
			// The untouched document's line says "_annotator_id":"": an
			// annotator named for the import must not become done there.
			b2 := rtImport(t, filepath.Join(dir, "first.jsonl"), ImportFileOptions{Format: "spacy", Offsets: off, Annotator: "importer"})
			third := rtExport(t, b2, o, filepath.Join(dir, "third.jsonl"))
			rtSameBytes(t, "spacy with --annotator", first, third)
		})
	}
}

func TestRoundTripDoccano(t *testing.T) {
	for _, off := range []formats.OffsetUnit{formats.UnitCodePoints, formats.UnitUTF16} {
		t.Run("offsets="+string(off), func(t *testing.T) {
			c := newRTCorpus(t, true)
			dir := t.TempDir()
			o := ExportOptions{Format: "doccano", Offsets: off}
			first := rtExport(t, c.store, o, filepath.Join(dir, "first.jsonl"))
			// doccano has no annotators: the import names one, and the
			// export merges A's two layers (no two of them are the same
			// span, so nothing is lost).
			b := rtImport(t, filepath.Join(dir, "first.jsonl"), ImportFileOptions{Format: "doccano", Annotator: "importer", Offsets: off})
			second := rtExport(t, b, o, filepath.Join(dir, "second.jsonl"))
			// "id" is Gloss's document id, a UUID, which the doccano reader
			// keeps (doccano's own ids, numbers, it ignores): the same bytes.
			rtSameBytes(t, "doccano", first, second)
			rtSameSpans(t, "doccano", rtSpans(t, b, false, false), rtSpans(t, c.store, false, false))
			rtReimport(t, "doccano into B", b, filepath.Join(dir, "first.jsonl"), ImportFileOptions{Format: "doccano", Annotator: "importer", Offsets: off}, false)
		})
	}
}

func TestRoundTripLabelStudio(t *testing.T) {
	for _, off := range []formats.OffsetUnit{"", formats.UnitUTF16} {
		t.Run("offsets="+string(off), func(t *testing.T) {
			c := newRTCorpus(t, true)
			dir := t.TempDir()
			o := ExportOptions{Format: "labelstudio", Offsets: off}
			first := rtExport(t, c.store, o, filepath.Join(dir, "first.json"))
			b := rtImport(t, filepath.Join(dir, "first.json"), ImportFileOptions{Format: "labelstudio", Offsets: off})
			second := rtExport(t, b, o, filepath.Join(dir, "second.json"))
			// meta.id (the document) and each result's id (the span) are
			// Gloss's ids, UUIDs, which the Label Studio reader keeps
			// (Label Studio's own, which are not UUIDs, it ignores): the
			// same bytes, ids and completed_by included.
			rtSameBytes(t, "labelstudio", first, second)
			rtSameSpans(t, "labelstudio", rtSpans(t, b, true, false), rtSpans(t, c.store, true, false))
			rtReimport(t, "labelstudio into B", b, filepath.Join(dir, "first.json"), ImportFileOptions{Format: "labelstudio", Offsets: off}, false)
			rtReimport(t, "labelstudio into A", c.store, filepath.Join(dir, "first.json"), ImportFileOptions{Format: "labelstudio", Offsets: off}, true)
		})
	}
}

func TestRoundTripBrat(t *testing.T) {
	c := newRTCorpus(t, true)
	dir := t.TempDir()
	o := ExportOptions{Format: "brat"}
	first := rtExport(t, c.store, o, filepath.Join(dir, "first"))
	b := rtImport(t, filepath.Join(dir, "first"), ImportFileOptions{Format: "brat", Annotator: "importer"})
	second := rtExport(t, b, o, filepath.Join(dir, "second"))
	// annotation.conf lists the label set in palette order, and B's
	// palette is made from the files in the order their labels are met
	// (docs/formats.md: "In an empty database the label set is made from
	// the file ... and completed with the default labels"; brat has no
	// label order to give). So its [entities] are the same labels, in B's
	// order; every other file is the same bytes.
	conf := func(b []byte) (rest []byte, entities []string) {
		i := bytes.Index(b, []byte("=== annotation.conf\n"))
		if i < 0 {
			t.Fatalf("no annotation.conf in\n%s", b)
		}
		j := bytes.Index(b[i+1:], []byte("=== "))
		if j < 0 {
			j = len(b) - i - 1
		}
		part := string(b[i : i+1+j])
		head, tail, _ := strings.Cut(part, "[entities]\n")
		list, tail, _ := strings.Cut(tail, "\n\n")
		entities = strings.Split(list, "\n")
		rest = append(append(append([]byte{}, b[:i]...), head+tail...), b[i+1+j:]...)
		return rest, entities
	}
	restA, entA := conf(first)
	restB, entB := conf(second)
	rtSameBytes(t, "brat", restA, restB)
	labelsB, err := b.ExportLabels(context.Background(), storage.RecordFilter{})
	if err != nil {
		t.Fatal(err)
	}
	sorted := func(s []string) string { s = append([]string{}, s...); sort.Strings(s); return strings.Join(s, " ") }
	if strings.Join(entB, " ") != strings.Join(labelsB, " ") || sorted(entA) != sorted(entB) {
		t.Errorf("annotation.conf entities %q, then %q (B's palette %q)", entA, entB, labelsB)
	}
	// Notes come back as brat holds them: on one line (docs/formats.md:
	// "tabs and line breaks in the note become spaces").
	want := rtSpans(t, c.store, false, true)
	for i := range want {
		want[i].Note = strings.Join(strings.Fields(strings.NewReplacer("\t", " ", "\n", " ").Replace(want[i].Note)), " ")
	}
	rtSameSpans(t, "brat", rtSpans(t, b, false, true), want)
}

// rtTokenSpans lists a store's spans as the tokens they cover (text and
// label), document by document: CoNLL keeps tokens, not characters.
func rtTokenSpans(t *testing.T, s *storage.Store) []string {
	t.Helper()
	var out []string
	err := s.EachRecord(context.Background(), storage.RecordFilter{}, func(r storage.Record) error {
		toks := tokens.Tokenize(r.Document.Text)
		var words []string
		for _, tk := range toks {
			words = append(words, tk.Text)
		}
		for _, sp := range r.Spans {
			var covered []string
			for _, tk := range toks {
				if tk.Start >= sp.Start && tk.End <= sp.End {
					covered = append(covered, tk.Text)
				}
			}
			out = append(out, fmt.Sprintf("%s | %s=%s", strings.Join(words, " "), sp.Label, strings.Join(covered, " ")))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func TestRoundTripCoNLL(t *testing.T) {
	c := newRTCorpus(t, false)
	dir := t.TempDir()
	o := ExportOptions{Format: "conll"}
	sum, err := Export(context.Background(), c.store, ExportOptions{Format: "conll", Path: filepath.Join(dir, "first.conll")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Dropped != 0 || sum.Misaligned != 0 {
		t.Fatalf("summary %+v", sum)
	}
	first, _ := os.ReadFile(filepath.Join(dir, "first.conll"))
	b := rtImport(t, filepath.Join(dir, "first.conll"), ImportFileOptions{Format: "conll", Annotator: "importer"})
	second := rtExport(t, b, o, filepath.Join(dir, "second.conll"))
	rtSameBytes(t, "conll", first, second)
	// CoNLL has tokens, not the text: the import rebuilds it, tokens joined
	// by one space and sentences by "\n" (docs/formats.md), so the spans
	// are the same tokens with the same labels, not the same offsets.
	got, want := rtTokenSpans(t, b), rtTokenSpans(t, c.store)
	if len(want) != 6 || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("conll: spans differ\n got %q\nwant %q", got, want)
	}
	// B's text is the rebuilt one: importing B's export again changes
	// nothing, offsets included.
	c2 := rtImport(t, filepath.Join(dir, "second.conll"), ImportFileOptions{Format: "conll", Annotator: "importer"})
	rtSameSpans(t, "conll again", rtSpans(t, c2, false, false), rtSpans(t, b, false, false))
}

// With overlaps, CoNLL keeps one tag per token: the longer span wins and
// the others are dropped and counted (docs/formats.md), and what was
// written round-trips.
func TestRoundTripCoNLLOverlaps(t *testing.T) {
	c := newRTCorpus(t, true)
	dir := t.TempDir()
	path := filepath.Join(dir, "first.conll")
	sum, err := Export(context.Background(), c.store, ExportOptions{Format: "conll", Path: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// ben's "280,000 homes” — a 12%" (22 code points) loses to ana's
	// "we’ll build 280,000 homes" (25), which also takes the tokens of
	// ana's nested "280,000"; ana's "12%" lay only inside ben's lost span,
	// so it stays. ben's Proposal "Critics doubt it — “not by" (26) wins
	// over ana's nested "Critics doubt it". In the second document ana's
	// "5%" is nested in her Claim. Dropped: 4 of 10, in both documents.
	if sum.Dropped != 4 || sum.Spans != 10-4 || !equal(sum.DroppedDocs, []string{c.docs[0].ID, c.docs[1].ID}) {
		t.Errorf("conll summary %+v", sum)
	}
	first, _ := os.ReadFile(path)
	b := rtImport(t, path, ImportFileOptions{Format: "conll", Annotator: "importer"})
	rtSameBytes(t, "conll overlaps", first, rtExport(t, b, ExportOptions{Format: "conll"}, filepath.Join(dir, "second.conll")))
	if n := len(rtSpans(t, b, false, false)); n != 10-4 {
		t.Errorf("B has %d spans, want %d", n, 10-4)
	}
}

// rtReimport imports path into s again, which must change no document and
// no span: every document is already there and every span is skipped, ids
// and times kept. Into the database the file was made from, statuses may
// change (docs/formats.md: a Prodigy accept and a submitted Label Studio
// annotation mark the annotator done); into the one it was imported into,
// nothing does.
func rtReimport(t *testing.T, what string, s *storage.Store, path string, o ImportFileOptions, source bool) {
	t.Helper()
	before := contentsOf(t, s)
	res, err := ImportFile(context.Background(), s, path, o)
	if err != nil {
		t.Fatalf("%s: import again: %v", what, err)
	}
	sum := res.Summary
	if sum.Documents != 0 || sum.Spans != 0 || sum.SpansUpdated != 0 || sum.DocumentsExisting < len(before.Docs) ||
		!source && sum.Statuses != 0 {
		t.Errorf("%s: import again: summary %+v", what, sum)
	}
	after := contentsOf(t, s)
	if source {
		before.Stats, after.Stats = storage.Stats{}, storage.Stats{} // status counts
	}
	if !reflect.DeepEqual(before, after) {
		t.Errorf("%s: import again changed the store", what)
	}
}

// Every format with character offsets comes back with no --offsets on
// either side: the unit an export writes by default is the one the import
// reads by default (the corpus has 👍🏽, two code points and four UTF-16
// units, before its spans). doccano used to be written in code points and
// read in UTF-16 units. And a Gloss JSONL file written in UTF-16 units
// says so on each line, so it comes back too.
func TestEveryFormatComesBackWithItsDefaults(t *testing.T) {
	cases := []struct {
		o   ExportOptions
		ext string
	}{
		{ExportOptions{Format: "jsonl"}, ".jsonl"},
		{ExportOptions{Format: "jsonl", Offsets: formats.UnitUTF16}, ".jsonl"},
		{ExportOptions{Format: "spacy"}, ".jsonl"},
		{ExportOptions{Format: "doccano"}, ".jsonl"},
		{ExportOptions{Format: "labelstudio"}, ".json"},
		{ExportOptions{Format: "brat"}, ""},
	}
	for _, c := range cases {
		t.Run(c.o.Format+"_"+string(c.o.Offsets), func(t *testing.T) {
			a := newRTCorpus(t, true)
			path := filepath.Join(t.TempDir(), "out"+c.ext)
			rtExport(t, a.store, c.o, path)
			b := rtImport(t, path, ImportFileOptions{Format: c.o.Format, Annotator: "importer"})
			keepsAnnotators := c.o.Format == "jsonl" || c.o.Format == "spacy" || c.o.Format == "labelstudio"
			rtSameSpans(t, c.o.Format, rtSpans(t, b, keepsAnnotators, false), rtSpans(t, a.store, keepsAnnotators, false))
		})
	}
}

// Suggestions travel in Gloss JSONL (never as spans): export → import into
// an empty database → export gives the same bytes, IDs and scores kept.
func TestRoundTripSuggestionsJSONL(t *testing.T) {
	c := newRTCorpus(t, false)
	ctx := context.Background()
	set, _ := c.store.DefaultLabelSet(ctx)
	labels, _ := c.store.Labels(ctx, set.ID)
	d := c.docs[0] // emoji before the spans
	if _, err := c.store.ReplaceSuggestions(ctx, c.ana.ID, "tagger", []string{d.ID}, []storage.Suggestion{
		{DocumentID: d.ID, LabelID: labels[1].ID, Start: 48, End: 55, Score: 0.875, ModelVersion: "4"},
		{DocumentID: d.ID, LabelID: labels[0].ID, Start: 15, End: 18, Score: 0.25, ModelVersion: "4"},
	}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	first := rtExport(t, c.store, ExportOptions{Format: "jsonl"}, filepath.Join(dir, "first.jsonl"))
	if !bytes.Contains(first, []byte(`"suggestions":[`)) {
		t.Fatal("no suggestions in the export")
	}
	b := rtImport(t, filepath.Join(dir, "first.jsonl"), ImportFileOptions{Format: "jsonl"})
	second := rtExport(t, b, ExportOptions{Format: "jsonl"}, filepath.Join(dir, "second.jsonl"))
	rtSameBytes(t, "jsonl with suggestions", first, second)
	if n := len(rtSpans(t, b, true, false)); n != len(rtSpans(t, c.store, true, false)) {
		t.Errorf("suggestions became spans: %d spans", n)
	}
	// A format without a place for them has none of them.
	sp := rtExport(t, c.store, ExportOptions{Format: "spacy"}, filepath.Join(dir, "s.jsonl"))
	if bytes.Contains(sp, []byte("0.875")) {
		t.Error("a suggestion went into the spaCy export")
	}
}
