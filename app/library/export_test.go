package library

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"gloss/app/formats"
	"gloss/storage"
	"gloss/storage/storagetest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// The corpus every export test runs on: CRLF source (stored as LF), emoji
// with a skin tone (two code points, four UTF-16 units), curly quotes, em
// dashes, overlapping and nested spans, a span across a line break, a span
// ending at the very end of the text, two annotators, a note, a span off
// token boundaries, titles that try to leave the folder and clash.
const (
	housingSrc = "Housing plan 👍🏽\r\n\r\nThe minister said “we’ll build 280,000 homes” — a 12% rise.\r\nCritics doubt it."
	// As stored (LF), with code point offsets (Python: len(text[:i])):
	//   "Housing plan 👍🏽\n\nThe minister said “we’ll build 280,000 homes” — a 12% rise.\nCritics doubt it."
	//    0       8    13 15 16   18..
	// 👍🏽 is U+1F44D U+1F3FD: code points 13 and 14, UTF-16 units 13..16.
)

type corpus struct {
	store    *storage.Store
	dir      string
	housing  storage.Document
	passwd1  storage.Document
	passwd2  storage.Document
	cafe     storage.Document
	ana, ben storage.Annotator
	labels   map[string]string // name → id
}

// cp returns the code point offsets of the n-th (from 0) occurrence of sub
// in text.
func cp(t testing.TB, text, sub string, n int) (int, int) {
	t.Helper()
	from := 0
	for ; ; n-- {
		i := strings.Index(text[from:], sub)
		if i < 0 {
			t.Fatalf("%q not in text", sub)
		}
		if n == 0 {
			s := utf8.RuneCountInString(text[:from+i])
			return s, s + utf8.RuneCountInString(sub)
		}
		from += i + len(sub)
	}
}

func newCorpus(t testing.TB) *corpus {
	t.Helper()
	ctx := context.Background()
	st, as := storagetest.WithAnalysts(t, "ana", "ben")
	c := &corpus{store: st, dir: filepath.Dir(st.Path()), labels: storagetest.LabelIDs(t, st), ana: as[0], ben: as[1]}
	a, err := formats.ParseArticle("housing.txt", []byte(housingSrc))
	if err != nil {
		t.Fatal(err)
	}
	docs, _, err := st.ImportDocuments(ctx, []storage.NewDocument{
		{ID: "0190a000-0000-7000-8000-000000000001", Title: a.Title, Text: a.Text, FileName: a.FileName, Format: a.Format},
		{ID: "0190a000-0000-7000-8000-000000000002", Title: "../../etc/passwd", Text: "Root access was granted.", FileName: "p.txt", Format: "txt"},
		{ID: "0190a000-0000-7000-8000-000000000003", Title: "../../ETC/passwd", Text: "No access was granted.", FileName: "q.txt", Format: "txt"},
		{ID: "0190a000-0000-7000-8000-000000000004", Title: "Café — “Ünïcode” 👍🏽", Text: "👍🏽 “Café” costs €5 — 👩‍👩‍👧 agree.", FileName: "cafe.md", Format: "md"},
	})
	if err != nil {
		t.Fatal(err)
	}
	c.housing, c.passwd1, c.passwd2, c.cafe = docs[0], docs[1], docs[2], docs[3]
	if strings.Contains(c.housing.Text, "\r") {
		t.Fatal("CRLF was stored")
	}
	n := 0
	span := func(doc storage.Document, who storage.Annotator, label, sub string, nth int, note string) {
		t.Helper()
		n++
		s, e := cp(t, doc.Text, sub, nth)
		_, err := st.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: doc.ID, AnnotatorID: who.ID,
			SpanID:  "0190b000-0000-7000-8000-" + strconv.FormatInt(int64(100000000000+n), 10),
			LabelID: c.labels[label], Start: s, End: e, Note: note})
		if err != nil {
			t.Fatalf("span %q: %v", sub, err)
		}
	}
	h := c.housing
	span(h, c.ana, "Claim", "we’ll build 280,000 homes", 0, "")
	span(h, c.ana, "Figure", "280,000", 0, "check the “official” figure\tagain\nplease")
	span(h, c.ana, "Figure", "12%", 0, "")
	span(h, c.ana, "Proposal", "a 12% rise.\nCritics", 0, "")
	span(h, c.ana, "Claim", "doubt it.", 0, "")
	span(h, c.ben, "Claim", "280,000 homes” — a 12%", 0, "")
	span(h, c.ben, "Figure", "👍🏽", 0, "")
	span(h, c.ben, "Claim", "ousing plan", 0, "") // off token boundaries
	span(c.passwd1, c.ana, "Claim", "Root access", 0, "")
	span(c.cafe, c.ana, "Figure", "€5", 0, "")
	span(c.cafe, c.ana, "Claim", "👩‍👩‍👧 agree.", 0, "")
	for _, d := range []storage.Document{c.housing, c.passwd1} {
		if _, err := st.Apply(ctx, storage.Edit{Kind: storage.EditSetStatus, DocumentID: d.ID, AnnotatorID: c.ana.ID, Status: storage.StatusDone}); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

var (
	reTime = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z`)
	reUUID = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
)

// normalize replaces what differs between runs (times, generated ids of
// annotators and labels, the SHA-256 stays) with stable placeholders.
func normalize(c *corpus, b []byte) []byte {
	s := reTime.ReplaceAllString(string(b), "<time>")
	names := map[string]string{c.ana.ID: "<ana-id>", c.ben.ID: "<ben-id>"}
	for n, id := range c.labels {
		names[id] = "<" + n + "-id>"
	}
	s = reUUID.ReplaceAllStringFunc(s, func(u string) string {
		if r, ok := names[u]; ok {
			return r
		}
		return u
	})
	return []byte(s)
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "export_"+name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./app/library -run Golden -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s:\n got:\n%s\nwant:\n%s", name, path, got, want)
	}
}

// readDir concatenates a folder's files by name, each under a header line.
func readDir(t *testing.T, dir string) []byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	var b bytes.Buffer
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("=== " + n + "\n")
		b.Write(data)
		if len(data) > 0 && data[len(data)-1] != '\n' {
			b.WriteString("\n=== (no newline at end)\n")
		}
	}
	return b.Bytes()
}

func TestExportGolden(t *testing.T) {
	c := newCorpus(t)
	ctx := context.Background()
	cases := []struct {
		name string
		o    ExportOptions
	}{
		{"jsonl", ExportOptions{Format: "jsonl"}},
		{"jsonl_utf16", ExportOptions{Format: "jsonl", Offsets: "utf16"}},
		{"spacy", ExportOptions{Format: "spacy"}},
		{"spacy_utf16", ExportOptions{Format: "spacy", Offsets: "utf16"}},
		{"doccano", ExportOptions{Format: "doccano"}},
		{"doccano_utf16", ExportOptions{Format: "doccano", Offsets: "utf16"}},
		{"brat", ExportOptions{Format: "brat"}},
		{"conll", ExportOptions{Format: "conll"}},
		{"labelstudio", ExportOptions{Format: "labelstudio"}},
		{"labelstudio_utf16", ExportOptions{Format: "labelstudio", Offsets: "utf16"}},
		{"hf", ExportOptions{Format: "hf"}},
		{"csv", ExportOptions{Format: "csv"}},
		{"csv_utf16", ExportOptions{Format: "csv", Offsets: "utf16"}},
		{"jsonl_ana_done", ExportOptions{Format: "jsonl", Annotator: "ana", Status: "done"}},
		{"conll_ben_claims", ExportOptions{Format: "conll", Annotator: "ben", Labels: []string{"claim"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.data")
			if tc.o.Format == "brat" {
				out = filepath.Join(t.TempDir(), "brat")
			}
			o := tc.o
			o.Path = out
			var calls [][2]int
			sum, err := Export(ctx, c.store, o, func(done, total int) { calls = append(calls, [2]int{done, total}) })
			if err != nil {
				t.Fatal(err)
			}
			var got []byte
			if o.Format == "brat" {
				got = readDir(t, out)
			} else if got, err = os.ReadFile(out); err != nil {
				t.Fatal(err)
			}
			if o.Format == "hf" {
				labels, err := os.ReadFile(filepath.Join(filepath.Dir(out), "out.labels.json"))
				if err != nil {
					t.Fatal(err)
				}
				got = append(append(got, "=== out.labels.json\n"...), labels...)
			}
			checkGolden(t, tc.name, normalize(c, got))
			if len(calls) < 2 || calls[0][0] != 0 || calls[len(calls)-1] != [2]int{sum.Documents, sum.Documents} {
				t.Errorf("progress calls %v for %d documents", calls, sum.Documents)
			}
			entries, _ := os.ReadDir(filepath.Dir(out))
			for _, e := range entries {
				if strings.HasSuffix(e.Name(), ".tmp") {
					t.Errorf("temporary %s left", e.Name())
				}
			}
		})
	}
}

func TestExportSummaries(t *testing.T) {
	c := newCorpus(t)
	ctx := context.Background()
	dir := t.TempDir()
	run := func(o ExportOptions) formats.Summary {
		t.Helper()
		if o.Path == "" {
			o.Path = filepath.Join(dir, o.Format+".out")
		}
		sum, err := Export(ctx, c.store, o, nil)
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	h := c.housing.ID

	// CoNLL: ana's Claim "we’ll build 280,000 homes" (25 code points) and
	// ben's "280,000 homes” — a 12%" (22) overlap: the longer one wins;
	// ana's Figure "280,000" nested in it and her "12%" inside ben's span
	// lose too; ana's Proposal "a 12% rise.\nCritics" (19) overlaps ben's
	// span (which has already lost to the Claim, so it stays).
	// Dropped: ben's Claim, ana's 280,000, ana's 12% = 3. ben's
	// "ousing plan" is widened to "Housing plan".
	sum := run(ExportOptions{Format: "conll"})
	if sum.Dropped != 3 || !equal(sum.DroppedDocs, []string{h}) {
		t.Errorf("conll dropped %d in %v, want 3 in [%s]", sum.Dropped, sum.DroppedDocs, h)
	}
	if sum.Misaligned != 1 || !equal(sum.MisalignedDocs, []string{h}) {
		t.Errorf("conll misaligned %d in %v", sum.Misaligned, sum.MisalignedDocs)
	}
	if sum.Spans != 11-3 || sum.Documents != 4 || sum.MixedDocs != 1 {
		t.Errorf("conll summary %+v", sum)
	}
	hf := run(ExportOptions{Format: "hf", Path: filepath.Join(dir, "hf.jsonl")})
	if hf.Dropped != 3 || hf.Misaligned != 1 || !equal(hf.Labels, []string{"Claim", "Figure", "Proposal"}) {
		t.Errorf("hf summary %+v", hf)
	}
	if !equal(hf.Files, []string{filepath.Join(dir, "hf.jsonl"), filepath.Join(dir, "hf.labels.json")}) {
		t.Errorf("hf files %v", hf.Files)
	}
	sp := run(ExportOptions{Format: "spacy"})
	if sp.Misaligned != 1 || sp.Dropped != 0 || sp.Spans != 11 || sp.Records != 5 {
		t.Errorf("spacy summary %+v (lines: housing ana, housing ben, passwd1 ana, passwd2 nobody, cafe ana)", sp)
	}
	// Status and annotator filters.
	done := run(ExportOptions{Format: "csv", Status: "done"})
	if done.Documents != 2 || done.Spans != 6 {
		t.Errorf("status done: %+v", done)
	}
	gold, err := Export(ctx, c.store, ExportOptions{Format: "jsonl", Gold: true, Path: filepath.Join(dir, "g")}, nil)
	if err == nil || !strings.Contains(err.Error(), `"gold"`) || !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("gold without a gold annotator: %+v, %v", gold, err)
	}
	if _, err := c.store.EnsureGold(ctx); err != nil {
		t.Fatal(err)
	}
	if g := run(ExportOptions{Format: "jsonl", Gold: true}); g.Documents != 4 || g.Spans != 0 {
		t.Errorf("gold: %+v", g)
	}
	todo, err := c.store.CountRecords(ctx, storage.RecordFilter{Annotator: "ben", Status: storage.StatusTodo})
	if err != nil || todo != 3 {
		t.Errorf("ben's todo documents: %d, %v", todo, err)
	}
	if n := run(ExportOptions{Format: "jsonl", Annotator: "ben", Status: "todo"}).Documents; n != 3 {
		t.Errorf("ben todo exported %d", n)
	}
	for _, bad := range []ExportOptions{
		{Format: "jsonl", Annotator: "nobody"},
		{Format: "jsonl", Labels: []string{"Nope"}},
		{Format: "jsonl", Status: "finished"},
		{Format: "brat", Offsets: "utf16"},
		{Format: "conll", Offsets: "utf16"},
		{Format: "hf", Offsets: "utf16"},
		{Format: "xml"},
		{Format: "jsonl", Offsets: "bytes"},
	} {
		bad.Path = filepath.Join(dir, "bad")
		if _, err := Export(ctx, c.store, bad, nil); err == nil {
			t.Errorf("%+v: no error", bad)
		}
		if _, err := os.Stat(bad.Path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%+v: left %s", bad, bad.Path)
		}
	}
}

func equal(a, b []string) bool { return strings.Join(a, "\x00") == strings.Join(b, "\x00") }

// UTF-16 offsets, worked out by hand: in "👍🏽 “Café” costs €5 — 👩‍👩‍👧 agree."
// 👍🏽 is 2 code points / 4 units, so “ is at code point 3 / unit 5;
// €5 is at code points 16-18 (Python: text.index("€5") == 16), units 18-20;
// 👩‍👩‍👧 (5 code points, 8 units) starts at code point 21 / unit 23, and
// "👩‍👩‍👧 agree." ends at code point 33 / unit 38, the end of the text
// (Python: len(text) == 33, len(text.encode("utf-16-le")) // 2 == 38: the
// three astral emoji add one unit each, 👍🏽's two add two).
func TestExportUTF16ByHand(t *testing.T) {
	c := newCorpus(t)
	text := c.cafe.Text
	if s, e := cp(t, text, "€5", 0); s != 16 || e != 18 {
		t.Fatalf("€5 at %d-%d", s, e)
	}
	if n := utf8.RuneCountInString(text); n != 33 {
		t.Fatalf("len %d", n)
	}
	ctx := context.Background()
	for _, off := range []formats.OffsetUnit{formats.UnitCodePoints, formats.UnitUTF16} {
		path := filepath.Join(t.TempDir(), "d.jsonl")
		if _, err := Export(ctx, c.store, ExportOptions{Format: "doccano", Offsets: off, Path: path}, nil); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(path)
		var line struct {
			ID    string
			Label [][3]any
		}
		for l := range strings.SplitSeq(strings.TrimSpace(string(data)), "\n") {
			if err := json.Unmarshal([]byte(l), &line); err != nil {
				t.Fatal(err)
			}
			if line.ID == c.cafe.ID {
				break
			}
		}
		want := `[[16 18 Figure] [21 33 Claim]]`
		if off == "utf16" {
			want = `[[18 20 Figure] [23 38 Claim]]`
		}
		if got := strings.ReplaceAll(strings.ReplaceAll(toString(line.Label), "[", "["), "  ", " "); got != want {
			t.Errorf("%s: %s, want %s", off, got, want)
		}
	}
}

func toString(v [][3]any) string {
	var parts []string
	for _, t := range v {
		parts = append(parts, "["+strconv.Itoa(int(t[0].(float64)))+" "+strconv.Itoa(int(t[1].(float64)))+" "+t[2].(string)+"]")
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func TestExportBratNamesAndFragments(t *testing.T) {
	c := newCorpus(t)
	out := filepath.Join(t.TempDir(), "brat")
	sum, err := Export(context.Background(), c.store, ExportOptions{Format: "brat", Path: out}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	// Titles "../../etc/passwd" and "../../ETC/passwd" clash (ignoring case,
	// as macOS and Windows do); "Café — “Ünïcode” 👍🏽" folds to ASCII.
	want := []string{"Cafe-Unicode.ann", "Cafe-Unicode.txt", "ETC-passwd-2.ann", "ETC-passwd-2.txt",
		"Housing-plan.ann", "Housing-plan.txt", "annotation.conf", "etc-passwd.ann", "etc-passwd.txt"}
	if !equal(names, want) {
		t.Errorf("files %v, want %v", names, want)
	}
	ann, _ := os.ReadFile(filepath.Join(out, "Housing-plan.ann"))
	// Python: text.index("a 12% rise.\nCritics") == 65, the span ends at
	// 84 and the line break is at 76.
	if !strings.Contains(string(ann), "\tProposal 65 76;77 84\ta 12% rise. Critics\n") {
		t.Errorf("no discontinuous fragment in\n%s", ann)
	}
	if !strings.Contains(string(ann), "\tAnnotatorNotes T") || !strings.Contains(string(ann), "check the “official” figure again please\n") {
		t.Errorf("note not on one line:\n%s", ann)
	}
	txt, _ := os.ReadFile(filepath.Join(out, "Housing-plan.txt"))
	if string(txt) != c.housing.Text {
		t.Error("text file differs from the stored text")
	}
	if sum.Documents != 4 || sum.Spans != 11 || !equal(sum.Files, []string{out}) {
		t.Errorf("summary %+v", sum)
	}
	// Again over the earlier export: replaced whole.
	if _, err := Export(context.Background(), c.store, ExportOptions{Format: "brat", Path: out}, nil); err != nil {
		t.Fatalf("re-export: %v", err)
	}
	// A folder with other files is refused and left alone.
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "thesis.docx"), []byte("x"), 0o644)
	if _, err := Export(context.Background(), c.store, ExportOptions{Format: "brat", Path: other}, nil); err == nil {
		t.Error("exported over a folder of other files")
	}
	if e, _ := os.ReadDir(other); len(e) != 1 {
		t.Errorf("folder changed: %v", e)
	}
}

func TestExportAtomic(t *testing.T) {
	c := newCorpus(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "out.jsonl")
	os.WriteFile(path, []byte("earlier export\n"), 0o644)
	for _, format := range formats.ExportFormats() {
		ctx, cancel := context.WithCancel(context.Background())
		p := path
		if format == "brat" {
			p = filepath.Join(dir, "bratdir")
		}
		// Cancel after the first document: the export fails midway.
		_, err := Export(ctx, c.store, ExportOptions{Format: format, Path: p}, func(done, total int) {
			if done >= 1 {
				cancel()
			}
		})
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: err = %v", format, err)
		}
		if data, _ := os.ReadFile(path); string(data) != "earlier export\n" {
			t.Errorf("%s: earlier file changed: %q", format, data)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			t.Errorf("%s: left %v", format, names)
		}
	}
	// A directory that does not exist: an error and nothing made.
	if _, err := Export(context.Background(), c.store, ExportOptions{Format: "jsonl", Path: filepath.Join(dir, "no", "x.jsonl")}, nil); err == nil {
		t.Error("no error for a missing folder")
	}
}

// An export is readable by others as any file the user makes (0644, not a
// temporary file's 0600), and one written over an earlier file keeps that
// file's permissions.
func TestExportPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	c := newCorpus(t)
	dir := t.TempDir()
	fresh, kept := filepath.Join(dir, "fresh.jsonl"), filepath.Join(dir, "kept.jsonl")
	if err := os.WriteFile(kept, []byte("earlier\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(kept, 0o640); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{fresh: 0o644, kept: 0o640} {
		sum, err := Export(context.Background(), c.store, ExportOptions{Format: "hf", Path: path}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range sum.Files {
			if fi, err := os.Stat(f); err != nil || f == path && fi.Mode().Perm() != want || f != path && fi.Mode().Perm() != 0o644 {
				t.Errorf("%s: mode %v (%v), want %v", f, fi.Mode().Perm(), err, want)
			}
		}
		if len(sum.Files) < 2 {
			t.Errorf("%s: no side file to check: %v", path, sum.Files)
		}
	}
}

// ExportJSONL (the window's Ctrl+E) writes the same bytes as Export.
func TestExportJSONLWrapper(t *testing.T) {
	c := newCorpus(t)
	var buf bytes.Buffer
	docs, spans, err := ExportJSONL(context.Background(), c.store, &buf)
	if err != nil || docs != 4 || spans != 11 {
		t.Fatalf("%d %d %v", docs, spans, err)
	}
	path := filepath.Join(t.TempDir(), "x.jsonl")
	if _, err := Export(context.Background(), c.store, ExportOptions{Format: "jsonl", Path: path}, nil); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); !bytes.Equal(data, buf.Bytes()) {
		t.Error("ExportJSONL and Export differ")
	}
}

// Gloss JSONL is full fidelity: exported, imported into an empty database
// (the import side's ImportFile) and exported again, it is the same bytes,
// ids, times, notes and statuses included.
func TestExportJSONLRoundTrip(t *testing.T) {
	c := newCorpus(t)
	ctx := context.Background()
	dir := t.TempDir()
	first := filepath.Join(dir, "first.jsonl")
	if _, err := Export(ctx, c.store, ExportOptions{Format: "jsonl", Path: first}, nil); err != nil {
		t.Fatal(err)
	}
	dst, _ := storagetest.Open(t)
	if _, err := ImportFile(ctx, dst, first, ImportFileOptions{Format: "jsonl"}); err != nil {
		t.Fatal(err)
	}
	second := filepath.Join(dir, "second.jsonl")
	if _, err := Export(ctx, dst, ExportOptions{Format: "jsonl", Path: second}, nil); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(first)
	b, _ := os.ReadFile(second)
	if !bytes.Equal(a, b) {
		t.Errorf("round trip differs:\n%s\n%s", a, b)
	}
}
