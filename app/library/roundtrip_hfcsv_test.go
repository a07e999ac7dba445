package library

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"gloss/app/formats"
	"gloss/storage"
	"gloss/storage/storagetest"
)

// Issue 13: hf and csv, which only went out, come back in.

// hfTagged is an hf export read back with its labels file: each line's
// tokens with the names of their tags ("Housing/B-Proposal plan/I-Proposal …").
func hfTagged(t *testing.T, path string) []string {
	t.Helper()
	var names []string
	b, err := os.ReadFile(strings.TrimSuffix(path, ".jsonl") + ".labels.json")
	if err == nil {
		err = json.Unmarshal(b, &names)
	}
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var row struct {
			ID      string   `json:"id"`
			Tokens  []string `json:"tokens"`
			NERTags []int    `json:"ner_tags"`
		}
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatal(err)
		}
		words := []string{row.ID}
		for i, tk := range row.Tokens {
			words = append(words, tk+"/"+names[row.NERTags[i]])
		}
		out = append(out, strings.Join(words, " "))
	}
	return out
}

// Hugging Face token classification: export A → import into B → export B
// gives the same tokens and tags (the document ids, UUIDs, are kept too).
// Into a database with A's label set (the default one, here) the tag
// numbers and the labels file are the same bytes; into an empty one the
// labels are made in the order the file's spans meet them, so the numbers
// follow that order and only the tags' names are the same
// (docs/formats.md). The text is rebuilt from the tokens, joined by one
// space, so the spans are the same tokens with the same labels, not the
// same offsets.
func TestRoundTripHF(t *testing.T) {
	c := newRTCorpus(t, false) // 👍🏽 before the spans
	dir := t.TempDir()
	o := ExportOptions{Format: "hf"}
	firstPath := filepath.Join(dir, "first.jsonl")
	first := rtExport(t, c.store, o, firstPath)
	labels, err := os.ReadFile(filepath.Join(dir, "first.labels.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(first, []byte(`"👍🏽"`)) || !bytes.Contains(first, []byte(`"id":"`+c.docs[0].ID+`"`)) {
		t.Fatalf("export:\n%s", first)
	}
	for _, format := range []string{"hf", "auto"} {
		imp := ImportFileOptions{Format: format, Annotator: "importer"}
		b, _ := storagetest.WithAnalysts(t) // the default label set, as A's
		if _, err := ImportFile(context.Background(), b, firstPath, imp); err != nil {
			t.Fatal(err)
		}
		second := rtExport(t, b, o, filepath.Join(dir, "second.jsonl"))
		rtSameBytes(t, "hf "+format, first, second)
		if got, _ := os.ReadFile(filepath.Join(dir, "second.labels.json")); !bytes.Equal(got, labels) {
			t.Errorf("hf %s: labels file %s, then %s", format, labels, got)
		}
		got, want := rtTokenSpans(t, b), rtTokenSpans(t, c.store)
		if len(want) != 6 || strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("hf %s: spans differ\n got %q\nwant %q", format, got, want)
		}
		// Every document is B's already: the file again changes nothing.
		rtReimport(t, "hf into B", b, firstPath, imp, false)

		// An empty database: the same tokens and tag names.
		e := rtImport(t, firstPath, imp)
		rtExport(t, e, o, filepath.Join(dir, "empty.jsonl"))
		if got, want := hfTagged(t, filepath.Join(dir, "empty.jsonl")), hfTagged(t, firstPath); !reflect.DeepEqual(got, want) {
			t.Errorf("hf %s into an empty database:\n got %q\nwant %q", format, got, want)
		}
	}
}

// The peer fixture (transformers' test sample, words and string tags)
// imports as hf under auto.
func TestImportHFPeerFixture(t *testing.T) {
	s, _ := storagetest.Open(t)
	res, err := ImportFile(context.Background(), s, fixtures+"peer/huggingface/transformers_conll_sample.json", ImportFileOptions{Annotator: "importer"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Formats[0] != "hf" || res.Summary.Documents != 10 || res.Summary.Spans != 25 ||
		!reflect.DeepEqual(res.Summary.LabelsCreated, []string{"ORG", "LOC", "PER"}) {
		t.Errorf("result %+v", res)
	}
	// Numbered tags named by dataset_info.json beside the file.
	res, err = ImportFile(context.Background(), s, fixtures+"hf_datasets/train.jsonl", ImportFileOptions{Annotator: "importer"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.Documents != 3 || res.Summary.Spans != 5 || res.Summary.Skipped["hf column pos_tags"] != 3 {
		t.Errorf("result %+v", res)
	}
}

// csvTexts finds a stored document's text by its ID, for the csv reader.
func csvTexts(ctx context.Context, s *storage.Store) func(string) (string, bool, error) {
	return func(id string) (string, bool, error) {
		d, err := s.Document(ctx, id)
		if errors.Is(err, storage.ErrNotFound) {
			return "", false, nil
		}
		if err != nil {
			return "", false, err
		}
		return d.Text, true, nil
	}
}

// csvImport imports a CSV into s in one transaction. ImportFile is used
// when it gives the csv reader the store's texts (formats.ReadOptions.
// Texts); until it does, the same is done here through the store.
func csvImport(t *testing.T, s *storage.Store, path string, o ImportFileOptions) (Result, error) {
	t.Helper()
	ctx := context.Background()
	res, err := ImportFile(ctx, s, path, o)
	if err == nil || !strings.Contains(err.Error(), "this import has no database to look in") {
		return res, err
	}
	t.Log("ImportFile does not give the csv reader the store's texts yet: importing through the store")
	imp, err := s.BeginImport(ctx, storage.ImportOptions{Strict: o.Strict, DefaultAnnotator: o.Annotator})
	if err != nil {
		return Result{}, err
	}
	defer imp.Rollback()
	rep, err := formats.ReadFile(path, o.Format, formats.ReadOptions{Offsets: o.Offsets, Texts: csvTexts(ctx, s)}, func(d formats.Doc) error {
		if err := imp.Add(ImportRecordOf(d)); err != nil {
			return recordError(&d, err)
		}
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	sum, err := imp.Commit()
	if err != nil {
		return Result{}, err
	}
	sum.Skipped = rep.Skipped
	return Result{Paths: []string{path}, Formats: []string{rep.Format}, Records: rep.Records, Summary: sum}, nil
}

// rtDocsOnly is a new database holding A's documents (same IDs, titles and
// texts) and no spans: where a CSV of A's spans goes, since a CSV has no
// document texts.
func rtDocsOnly(t *testing.T, c *rtCorpus) *storage.Store {
	t.Helper()
	var b bytes.Buffer
	for _, d := range c.docs {
		line, _ := json.Marshal(map[string]string{"id": d.ID, "title": d.Title, "text": d.Text, "file_name": d.FileName, "format": d.Format})
		b.Write(append(line, '\n'))
	}
	path := filepath.Join(t.TempDir(), "docs.jsonl")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return rtImport(t, path, ImportFileOptions{Format: "jsonl"})
}

// CSV: export A → import into a database with A's documents → export gives
// the same bytes, but for a line break in a note written as CRLF, which
// comes back as LF (encoding/csv reads it so; docs/formats.md). In both
// units, with 👍🏽 (two code points, four UTF-16 units) before the spans.
func TestRoundTripCSV(t *testing.T) {
	for _, off := range []formats.OffsetUnit{"", formats.UnitUTF16} {
		t.Run("offsets="+string(off), func(t *testing.T) {
			c := newRTCorpus(t, true)
			dir := t.TempDir()
			o := ExportOptions{Format: "csv", Offsets: off}
			first := rtExport(t, c.store, o, filepath.Join(dir, "first.csv"))
			if !bytes.Contains(first, []byte("\r\n")) {
				t.Fatal("the corpus has no note with CRLF any more: the test below proves less")
			}
			b := rtDocsOnly(t, c)
			imp := ImportFileOptions{Format: "auto", Offsets: off}
			res, err := csvImport(t, b, filepath.Join(dir, "first.csv"), imp)
			if err != nil {
				t.Fatal(err)
			}
			if res.Formats[0] != "csv" || res.Summary.Documents != 0 || res.Summary.DocumentsExisting != 2 || res.Summary.Spans != 10 {
				t.Errorf("summary %+v", res)
			}
			second := rtExport(t, b, o, filepath.Join(dir, "second.csv"))
			rtSameBytes(t, "csv", bytes.ReplaceAll(first, []byte("\r\n"), []byte("\n")), second)
			want := rtSpans(t, c.store, true, true)
			for i := range want {
				want[i].Note = strings.ReplaceAll(want[i].Note, "\r\n", "\n")
			}
			rtSameSpans(t, "csv", rtSpans(t, b, true, true), want)
			// Once through, the bytes are exactly the same.
			b2 := rtDocsOnly(t, c)
			if _, err := csvImport(t, b2, filepath.Join(dir, "second.csv"), imp); err != nil {
				t.Fatal(err)
			}
			rtSameBytes(t, "csv again", second, rtExport(t, b2, o, filepath.Join(dir, "third.csv")))
			// Into A, where it came from, and into B again: nothing changes.
			for _, s := range []*storage.Store{c.store, b} {
				before := contentsOf(t, s)
				res, err := csvImport(t, s, filepath.Join(dir, "first.csv"), imp)
				if err != nil {
					t.Fatal(err)
				}
				if res.Summary.Spans != 0 || res.Summary.SpansSkipped != 10 || res.Summary.Documents != 0 {
					t.Errorf("again: summary %+v", res.Summary)
				}
				if after := contentsOf(t, s); !reflect.DeepEqual(before, after) {
					t.Error("importing the CSV again changed the store")
				}
			}
		})
	}
}

// Bad input is refused with the file and line, and the database is as it
// was: not even the rows or lines before the bad one are kept.
func TestImportHFCSVRefused(t *testing.T) {
	c := newRTCorpus(t, false)
	dir := t.TempDir()
	rtExport(t, c.store, ExportOptions{Format: "hf"}, filepath.Join(dir, "good.jsonl"))
	rtExport(t, c.store, ExportOptions{Format: "csv"}, filepath.Join(dir, "good.csv"))
	hfLines := func() []string {
		b, _ := os.ReadFile(filepath.Join(dir, "good.jsonl"))
		return strings.SplitAfter(strings.TrimSuffix(string(b), "\n"), "\n")
	}
	csvLines := func() []string {
		b, _ := os.ReadFile(filepath.Join(dir, "good.csv"))
		return strings.SplitAfter(strings.TrimSuffix(string(b), "\n"), "\n")
	}
	labels, _ := os.ReadFile(filepath.Join(dir, "good.labels.json"))
	write := func(name, content string, withLabels bool) string {
		p := filepath.Join(t.TempDir(), name)
		os.WriteFile(p, []byte(content), 0o644)
		if withLabels {
			os.WriteFile(strings.TrimSuffix(p, filepath.Ext(p))+".labels.json", labels, 0o644)
		}
		return p
	}
	l := hfLines()
	ragged := l[0] + strings.Replace(l[1], `"ner_tags":[`, `"ner_tags":[0,`, 1) + l[2]
	badIndex := l[0] + regexp.MustCompile(`"ner_tags":\[\d+`).ReplaceAllString(l[1], `"ner_tags":[99`) + l[2]
	h := csvLines()
	noColumn := strings.Replace(h[0], ",label,", ",kind,", 1) + strings.Join(h[1:], "")
	unknownDoc := strings.Join(h[:3], "") + strings.Replace(h[3], c.docs[0].ID, "0190a000-0000-7000-8000-00000000ffff", 1) + strings.Join(h[4:], "")
	cases := []struct {
		name, content string
		labels        bool
		format, want  string
	}{
		{"ragged.jsonl", ragged, true, "hf", "ragged.jsonl:2: $.ner_tags: "},
		{"index.jsonl", badIndex, true, "hf", "index.jsonl:2: $.ner_tags[0]: tag number 99 has no name"},
		{"nolabels.jsonl", strings.Join(l, ""), false, "auto", "nolabels.jsonl:1: $.ner_tags[0]: numbered tags need their names"},
		{"nocolumn.csv", noColumn, false, "auto", `nocolumn.csv:1: no column "label"`},
		{"unknown.csv", unknownDoc, false, "csv", "unknown.csv:4: column document_id: no document 0190a000-0000-7000-8000-00000000ffff in the database"},
	}
	for _, tc := range cases {
		p := write(tc.name, tc.content, tc.labels)
		s, _ := storagetest.Open(t)
		if strings.HasSuffix(tc.name, ".csv") {
			s = rtDocsOnly(t, c)
		}
		before := contentsOf(t, s)
		var err error
		if strings.HasSuffix(tc.name, ".csv") {
			_, err = csvImport(t, s, p, ImportFileOptions{Format: tc.format, Annotator: "importer"})
		} else {
			_, err = ImportFile(context.Background(), s, p, ImportFileOptions{Format: tc.format, Annotator: "importer"})
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), p) {
			t.Errorf("%s:\n got %v\nwant %s…%s…", tc.name, err, p, tc.want)
		}
		if after := contentsOf(t, s); !reflect.DeepEqual(before, after) {
			t.Errorf("%s: a refused import changed the store", tc.name)
		}
	}
}
