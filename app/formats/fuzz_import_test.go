package formats

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"gloss/app/offsets"
	"gloss/storage"
)

// The importers' fuzz targets. Whatever the bytes, ReadRecords must not
// panic; an error must start with the file's name; every record must have
// valid UTF-8 text (without CRs, but for Gloss JSONL, whose text is kept as
// it is) and spans that are in range (0 <= start < end <= code points),
// carry the covered text when they name it — or else be refused by the
// store, since the JSON readers leave range problems to the store, which
// explains them (import_records.go, spanPlacer.place). brat and CoNLL check
// their offsets themselves, and hf's spans are made from its tokens, so
// for them every span must be good.
//
// Seeds run with every `go test`; `make fuzz` runs each target briefly,
// and docs/reliability.md ("Fuzzing") has the figures of longer runs.

// fuzzSeeds are small realistic inputs of a format, with emoji, curly
// quotes and CRLF, plus the format's import fixture.
func fuzzSeeds(f *testing.F, fixture string, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	if fixture != "" {
		b, err := os.ReadFile(filepath.Join("testdata", fixture))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func FuzzReadRecordsJSONL(f *testing.F) {
	fuzzSeeds(f, "import_gloss.jsonl",
		`{"title":"T","text":"👍🏽 “We’ll” build","imported_at":"2025-03-04T14:04:05Z","spans":[{"start":0,"end":2,"label":"Figure","text":"👍🏽"},{"start":3,"end":10,"label":"Claim"}]}`+"\n",
		"{\"text\":\"a\\r\\nb\",\"statuses\":[{\"annotator\":\"ana\",\"status\":\"done\"}],\"spans\":[{\"start\":0,\"end\":3,\"label\":\"X\",\"id\":\"0190a1b2-0000-7000-8000-0000000005a1\"}]}\r\n",
		`{"text":"x","sha256":"2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881","spans":[{"start":-1,"end":9,"label":""}]}`,
		"{\"text\":\"ok\",\"spans\":[]}\n{\"text\":",
		`{"text":"Ana 👍🏽 met Ben.","spans":[{"id":"a","start":0,"end":3,"label":"P","attrs":{"age":30,"vip":true,"note":"a “b”"}},{"start":8,"end":11,"label":"P"}],"relations":[{"type":"met","from":"a","to":1,"attrs":{"w":"x"}},{"type":"x","from":1,"to":1}]}`+"\n",
		`{"text":"👍🏽 “We’ll”\r\nbuild","offsets":"utf16","spans":[],"suggestions":[{"id":"0190a1b2-0000-7000-8000-00000000e101","start":0,"end":4,"label":"Figure","text":"👍🏽","score":0.75,"source":"tagger","rule":"","model_version":"3","created":"2025-03-04T14:04:05Z"},{"start":6,"end":11,"label":"Claim","score":1e-7}]}`+"\n",
	)
	o := newOracle(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkRead(t, o, "in.jsonl", "jsonl", ReadOptions{}, data) })
}

func FuzzReadRecordsSpacy(f *testing.F) {
	for _, s := range []string{
		`{"text": "👍🏽 “We’ll build 280,000 homes,” she said.", "spans": [{"start": 16, "end": 23, "label": "MONEY", "text": "280,000"}], "answer": "accept", "_annotator_id": "ana", "_timestamp": 1700000000}` + "\n",
		"{\"text\": \"Line\\r\\nTwo 👍🏽\", \"entities\": [[6, 9, \"N\"], [10, 12, \"E\"]]}\r\n",
		`["Ana Ruiz agreed.", {"entities": [[0, 8, "PERSON"]]}]`,
		`{"text": "x", "spans": [{"start": 1, "end": 0, "label": "X"}], "answer": "reject"}`,
		"{\n  \"text\": \"pretty\",\n  \"spans\": [\n    {\"start\": 0, \"end\": 6, \"label\": \"P\"}\n  ]\n}\n{\"text\": \"two\", \"spans\": []}",
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	for _, name := range []string{"import_spacy.jsonl", "import_prodigy_relations.jsonl"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, false)
	}
	o := newOracle(f)
	f.Fuzz(func(t *testing.T, data []byte, utf16 bool) {
		opts := ReadOptions{}
		if utf16 {
			opts.Offsets = UnitUTF16
		}
		checkRead(t, o, "in.jsonl", "spacy", opts, data)
	})
}

func FuzzReadRecordsDoccano(f *testing.F) {
	fuzzSeeds(f, "import_doccano.jsonl",
		`{"text": "👍🏽 “We’ll build 280,000 homes,” she said.", "label": [[18, 25, "MONEY"], [0, 4, "EMOJI"]]}`+"\n",
		`{"id": 7, "text": "Second — “quoted” 👩‍👩‍👧 text.", "entities": [{"id": 1, "start_offset": 27, "end_offset": 31, "label": "NOUN"}], "relations": [{"id": 1, "from_id": 1, "to_id": 1, "type": "of"}]}`,
		"{\"data\": \"flair\\r\\ntext\", \"labels\": [[7, 11, \"T\"]]}\r\n",
		`{"text": "👍🏽 Google, by Larry Page.", "entities": [{"id": 0, "start_offset": 3, "end_offset": 9, "label": "ORG"}, {"id": 1, "start_offset": 14, "end_offset": 24, "label": "PER"}], "relations": [{"id": 0, "from_id": 0, "to_id": 1, "type": "by"}]}`,
		`{"text": "pair", "label": [[0, 2]]}`,
		`{"text": "ids", "annotations": [{"start_offset": 0, "end_offset": 3, "label": 4}]}`,
	)
	o := newOracle(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkRead(t, o, "in.jsonl", "doccano", ReadOptions{}, data) })
}

func FuzzReadRecordsLabelStudio(f *testing.F) {
	fuzzSeeds(f, "import_labelstudio.json",
		`[{"id":1,"data":{"text":"👍🏽 “We’ll build” 280,000"},"annotations":[{"completed_by":{"email":"a@b.c"},"result":[{"type":"labels","value":{"start":17,"end":24,"text":"280,000","labels":["Figure"]}},{"type":"choices","value":{"choices":["x"]}}]}]}]`,
		"[{\"data\":{\"body\":\"a\\r\\nb c\"},\"completions\":[{\"result\":[{\"type\":\"labels\",\"value\":{\"start\":3,\"end\":4,\"text\":\"b\",\"labels\":[\"L\"]}}]}]}]\r\n",
		`{"data":{"text":"inclusive end"},"completions":[{"result":[{"type":"labels","value":{"start":0,"end":8,"text":"inclusive","labels":["X"]}}]}]}`,
		`[{"data":{"text":"x"},"annotations":[{"was_cancelled":true,"result":[]}],"predictions":[{"result":[]}]}, 3]`,
		`[{"text":"flat","annotations":[{"result":[{"type":"labels","value":{"start":4,"end":0,"labels":["R"]}}]}]}]`,
		`[{"data":{"text":"👍🏽 Oslo\r\nBergen"},"predictions":[{"model_version":"m","score":0.5,"result":[{"id":"r","type":"labels","value":{"start":3,"end":7,"text":"Oslo","labels":["P"]},"score":0.9},{"type":"labels","value":{"start":9,"end":15,"labels":["P"],"score":1}}]}]}]`,
	)
	for _, name := range []string{"import_labelstudio_predictions.json", "import_labelstudio_relations.json"} {
		if b, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(b)
		}
	}
	o := newOracle(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRead(t, o, "in.json", "labelstudio", ReadOptions{}, data)
	})
}

func FuzzReadRecordsCoNLL(f *testing.F) {
	fuzzSeeds(f, "import_conll.txt",
		"-DOCSTART- -X- O\r\n\r\nAna\tNNP\tB-PER\r\nRuiz\tNNP\tI-PER\r\n👍🏽\tX\tO\r\n“Hi”\tX\tS-MISC\r\n",
		"Berlin B-LOC\nis O\n\nnice E-X\n# comment\n",
		"Oslo U-LOC +\nnorth L-LOC -\n",
		`{"words": ["Ana", "“Ruiz”", "👍🏽"], "ner": ["B-PER", "I-PER", "O"]}`+"\n",
		"x I-\n",
	)
	b, err := os.ReadFile("testdata/import_hf.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	o := newOracle(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkRead(t, o, "in.conll", "conll", ReadOptions{}, data) })
}

func FuzzReadRecordsHF(f *testing.F) {
	fuzzSeeds(f, "peer/huggingface/transformers_conll_sample.json",
		`{"id":"0190a000-0000-7000-8000-0000000000d1","tokens":["Ana","“Ruiz”","👍🏽"],"ner_tags":["B-PER","I-PER","O"]}`+"\n",
		"[{\"tokens\": [\"a\\r\\nb\", \" \", \"c\"], \"ner_tags\": [\"PER\", \"O\", \"S-LOC\"]},\r\n{\"words\": [], \"ner\": []}]",
		`{"data": [{"tokens": ["x"], "tags": ["U-X"]}], "v": 1}`,
		`{"tokens":["a","b"],"ner_tags":[0,1]}`,
		`{"tokens":["a"],"ner_tags":["B-"]}`,
	)
	o := newOracle(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkRead(t, o, "in.jsonl", "hf", ReadOptions{}, data) })
}

// FuzzReadRecordsCSV reads rows onto one stored text, whatever their
// document_id.
func FuzzReadRecordsCSV(f *testing.F) {
	const text = "Housing plan 👍🏽\n\nThe minister said “we’ll build 280,000 homes”."
	fuzzSeeds(f, "",
		"document_id,title,start,end,label,text,annotator,note\nd,T,13,15,Figure,👍🏽,ben,\nd,T,36,61,Claim,\"we’ll build 280,000 homes\",ana,\"a \"\"note\"\"\nhere\"\n",
		"\ufeffLabel;Start;End;Document_ID\r\nX;0;7;d\r\nY;14;15;e\r\n",
		"document_id,start,end,label\nd,5,2,X\nd,-1,99,\n",
		"document_id,start,end,label\nd,1,\"2\nx,3,4,Y\n",
	)
	opts := ReadOptions{Texts: func(string) (string, bool, error) { return text, true, nil }}
	o := newOracle(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRead(t, o, "in.csv", "csv", opts, data)
		opts.Offsets = UnitUTF16
		checkRead(t, o, "in.csv", "csv", opts, data)
		opts.Offsets = UnitDefault
	})
}

// FuzzReadRecordsBrat takes the .ann and the .txt as two inputs, written
// side by side into a fresh folder.
func FuzzReadRecordsBrat(f *testing.F) {
	ann, err := os.ReadFile("testdata/import_brat/homes.ann")
	if err != nil {
		f.Fatal(err)
	}
	txt, err := os.ReadFile("testdata/import_brat/homes.txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(ann, txt)
	f.Add([]byte("T1\tClaim 0 4\t👍🏽 “a\nT2\tX 7 9;10 11\tb c d\n#1\tAnnotatorNotes T1\tnote “x”\nR1\tR Arg1:T1 Arg2:T2\n"), []byte("👍🏽 “a” bb c d\n"))
	f.Add([]byte("T1\tClaim 0 3\tone\nT2\tX 5 8\ttwo\nR1\tR Arg1:T1 Arg2:T2\t\n*\tEq T1 T2\nA1\tNeg T1\nA2\tConf R1 High\nE1\tX:T2\nA3\tNeg E1\n"), []byte("one\r\ntwo\r\n"))
	f.Add([]byte("T1\tClaim 0 9\tone\r\ntwo\r\n"), []byte("one\r\ntwo\r\n"))
	f.Add([]byte("T1\tClaim 5 8\ttwo\n"), []byte("one\r\ntwo\r\n"))
	f.Add([]byte("T1\tClaim 3 4\t\r\n"), []byte("one\r\ntwo"))
	f.Add([]byte("T1\tX 2 1\tz\nE1\tY:T1\n"), []byte("\xff\xfeh\x00i\x00"))
	o := newOracle(f)
	f.Fuzz(func(t *testing.T, ann, txt []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "doc.txt"), txt, 0o644); err != nil {
			t.Fatal(err)
		}
		checkRead(t, o, filepath.Join(dir, "doc.ann"), "brat", ReadOptions{}, ann)
	})
}

func FuzzReadRecordsAuto(f *testing.F) {
	fuzzSeeds(f, "import_labelstudio_0x.json",
		`{"text": "👍🏽 “x”", "spans": [{"start": 0, "end": 2, "label": "E"}]}`,
		`{"text": "y", "label": [[0, 1, "Y"]]}`,
		"-DOCSTART-\r\nA B-X\r\n",
		`{"text":"z","imported_at":"2025-01-01T00:00:00Z","spans":[]}`,
		"\xef\xbb\xbf[]",
	)
	o := newOracle(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkRead(t, o, "in.data", "auto", ReadOptions{}, data) })
}

// checkRead reads data as the file name in format and checks every record.
func checkRead(t *testing.T, o *oracle, name, format string, opts ReadOptions, data []byte) {
	rep, err := ReadRecordsWith(name, bytes.NewReader(data), format, opts, func(r Doc) error {
		checkRecord(t, o, name, format, r)
		return nil
	})
	if err != nil {
		msg := err.Error()
		txt := strings.TrimSuffix(name, filepath.Ext(name)) + ".txt"
		if !strings.HasPrefix(msg, name+":") && !(format == "brat" && strings.HasPrefix(msg, txt+":")) {
			t.Fatalf("error does not start with the file's name: %v", err)
		}
		return
	}
	if format != "auto" && rep.Format != format {
		t.Fatalf("report format %q, want %q", rep.Format, format)
	}
}

func checkRecord(t *testing.T, o *oracle, name, format string, r Doc) {
	t.Helper()
	if r.Name != name || r.Line < 1 {
		t.Fatalf("record at %q line %d, want %q", r.Name, r.Line, name)
	}
	if !utf8.ValidString(r.Text) {
		t.Fatalf("%s: text is not valid UTF-8: %q", r.Where(nil), r.Text)
	}
	if format != "jsonl" && format != "auto" && strings.Contains(r.Text, "\r") {
		t.Fatalf("%s: text keeps a CR: %q", r.Where(nil), r.Text)
	}
	tx := offsets.New(r.Text)
	bad := ""
	for i := range r.Spans {
		s := &r.Spans[i]
		switch {
		case s.Start < 0 || s.End > tx.Len():
			bad = "out of range"
		case s.Start >= s.End:
			bad = "start >= end"
		case s.Text != "" && s.Text != tx.Slice(s.Start, s.End):
			bad = "text not matching"
		default:
			continue
		}
		if format == "brat" || format == "conll" || format == "hf" {
			t.Fatalf("%s: span [%d, %d) %q: %s (text has %d code points)", r.Where(s), s.Start, s.End, s.Text, bad, tx.Len())
		}
		break
	}
	// Suggestions are checked by the readers themselves (there are none
	// but where a format has a place for them): every one is good.
	for i := range r.Suggestions {
		s := &r.Suggestions[i]
		if format != "jsonl" && format != "labelstudio" && format != "auto" {
			t.Fatalf("%s: a suggestion from %s, which has no place for them", r.WhereSuggestion(s), format)
		}
		if s.Start < 0 || s.End > tx.Len() || s.Start >= s.End || s.Text != tx.Slice(s.Start, s.End) || s.Label == "" || !validScore(s.Score) {
			t.Fatalf("%s: bad suggestion %+v (text has %d code points)", r.WhereSuggestion(s), *s, tx.Len())
		}
	}
	// Relations too are checked by the readers: both ends spans of the
	// record, not the same one, and a type; attributes named, each once.
	for i := range r.Relations {
		rel := &r.Relations[i]
		if rel.From < 0 || rel.From >= len(r.Spans) || rel.To < 0 || rel.To >= len(r.Spans) || rel.From == rel.To || rel.Type == "" {
			t.Fatalf("%s: bad relation %+v (%d spans)", r.WhereRelation(rel), *rel, len(r.Spans))
		}
		if err := checkAttrs(rel.Attrs); err != nil {
			t.Fatalf("%s: %v", r.WhereRelation(rel), err)
		}
	}
	for i := range r.Spans {
		if err := checkAttrs(r.Spans[i].Attrs); err != nil {
			t.Fatalf("%s: %v", r.Where(&r.Spans[i]), err)
		}
	}
	if bad != "" {
		if err := o.add(t, r); err == nil {
			t.Fatalf("%s: the store accepted a record with a span %s: %+v", r.Where(nil), bad, r.Spans)
		}
	}
}

// ToImportRecord is library.ImportRecordOf, set by oracle_test.go.
var ToImportRecord func(Doc) storage.ImportRecord

// oracle is a store the records with a bad span are offered to (in a
// transaction that is always rolled back): it must refuse them.
type oracle struct {
	s *storage.Store
}

// newOracle opens the oracle of a fuzz target; the inputs run one after
// another in each process, so they share it.
func newOracle(f *testing.F) *oracle {
	if ToImportRecord == nil {
		f.Fatal("ToImportRecord is not set (oracle_test.go)")
	}
	s, err := storage.Open(filepath.Join(f.TempDir(), "oracle.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	return &oracle{s: s}
}

func (o *oracle) add(t *testing.T, r Doc) error {
	imp, err := o.s.BeginImport(context.Background(), storage.ImportOptions{DefaultAnnotator: "fuzz"})
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Rollback()
	return imp.Add(ToImportRecord(r))
}
