package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"gloss/storage"
	"gloss/storage/storagetest"
)

// searchCLI runs "gloss search ARGS...".
func searchCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = cliSearch(args, &out, &errb)
	return code, out.String(), errb.String()
}

// searchDB is a database with three articles, ana's Figure on the first
// and her status done on the third.
func searchDB(t *testing.T) (path string, docs []storage.Document) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "g.db")
	s := storagetest.OpenAt(t, path)
	ctx := context.Background()
	ana := storagetest.Analysts(t, s, "ana")[0]
	ids := storagetest.LabelIDs(t, s)
	docs, _, err := s.ImportDocuments(ctx, []storage.NewDocument{
		{Title: "Budget", Text: "The budget — 👍🏽 £4bn for the\r\nEuropean Union; “the union” says more."},
		{Title: "Costs", Text: "Costs of £2bn and £3bn in the EU."},
		{Title: "Done", Text: "Finished: £1bn, 東京都の人口."},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: docs[0].ID, AnnotatorID: ana.ID,
		LabelID: ids["Figure"], Start: 16, End: 20}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, storage.Edit{Kind: storage.EditSetStatus, DocumentID: docs[2].ID, AnnotatorID: ana.ID,
		Status: storage.StatusDone}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	return path, docs
}

func TestSearchCLI(t *testing.T) {
	db, docs := searchDB(t)

	code, out, errs := searchCLI(t, "--db", db, "european union")
	if code != 0 || errs != "" {
		t.Fatalf("words: %d %q", code, errs)
	}
	want := "Budget:30-38: The budget — 👍🏽 £4bn for the  [European] Union; “the union” says more.\n" +
		"Budget:39-44: The budget — 👍🏽 £4bn for the  European [Union]; “the union” says more.\n" +
		"Budget:51-56: …— 👍🏽 £4bn for the  European Union; “the [union]” says more.\n"
	if out != want {
		t.Errorf("text output:\n%s\nwant:\n%s", out, want)
	}

	// Flags after the query; a phrase; JSON lines with code-point offsets.
	code, out, _ = searchCLI(t, "--db", db, `"european union"`, "--format", "jsonl")
	var m jsonMatch
	if err := json.Unmarshal([]byte(out), &m); code != 0 || err != nil {
		t.Fatalf("jsonl: %d %q %v", code, out, err)
	}
	if m.DocumentID != docs[0].ID || m.Title != "Budget" || m.Start != 30 || m.End != 44 || m.Text != "European Union" ||
		!strings.HasSuffix(m.Context, "[European Union]; “the union” says more.") || !strings.HasSuffix(m.Before, "the\r\n") {
		t.Errorf("jsonl match %+v", m)
	}
	if []rune(docs[0].Text)[m.Start] != 'E' {
		t.Error("start is not a code-point offset")
	}

	for _, c := range []struct {
		args []string
		want []string // the lines' "TITLE:START-END" heads
	}{
		{[]string{"--substring", "bn"}, []string{"Budget:18-20", "Costs:11-13", "Costs:20-22", "Done:12-14"}},
		{[]string{"--substring", "東京"}, []string{"Done:16-18"}},
		{[]string{"--regex", `£\d+bn`, "--limit", "2"}, []string{"Budget:16-20", "Costs:9-13"}},
		{[]string{"--regex", `(?-i)EU\b`}, []string{"Costs:30-32"}},
		{[]string{"--substring", "eu", "--word"}, []string{"Costs:30-32"}},
		{[]string{"--substring", "The", "--case"}, []string{"Budget:0-3"}},
		{[]string{"--substring", "bn", "--label", "figure"}, []string{"Budget:18-20"}},
		{[]string{"--substring", "bn", "--annotator", "ana", "--status", "done"}, []string{"Done:12-14"}},
		{[]string{"--substring", "bn", "--annotator", "ana", "--status", "todo"}, []string{"Costs:11-13", "Costs:20-22"}},
		{[]string{"--regex", "--", "-?£2bn"}, []string{"Costs:9-13"}}, // a query that looks like a flag
	} {
		code, out, errs := searchCLI(t, append([]string{"--db", db}, c.args...)...)
		var heads []string
		for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if h, _, ok := strings.Cut(line, ": "); ok {
				heads = append(heads, h)
			}
		}
		if code != 0 || strings.Join(heads, " ") != strings.Join(c.want, " ") {
			t.Errorf("%v: %d %q %q, want %v", c.args, code, heads, errs, c.want)
		}
	}

	// Nothing found: exit 0, said on stderr; for CJK words, a hint.
	code, out, errs = searchCLI(t, "--db", db, "zebra")
	if code != 0 || out != "" || errs != "no matches\n" {
		t.Errorf("no matches: %d %q %q", code, out, errs)
	}
	code, _, errs = searchCLI(t, "--db", db, "東京")
	if code != 0 || !strings.Contains(errs, "no matches") || !strings.Contains(errs, "--substring") {
		t.Errorf("CJK words: %d %q", code, errs)
	}
	code, _, errs = searchCLI(t, "--db", db, "--regex", "bn", "--limit", "1")
	if code != 0 || !strings.Contains(errs, "stopped after 1 match") {
		t.Errorf("limit note: %d %q", code, errs)
	}

	// Errors: 1; bad usage: 2.
	for _, c := range []struct {
		args []string
		code int
		say  string
	}{
		{[]string{"--regex", "("}, 1, "invalid search"},
		{[]string{"— …"}, 1, "no word to search for"},
		{[]string{"x", "--label", "Nope"}, 1, `no label "Nope"`},
		{[]string{"x", "--annotator", "nobody"}, 1, `no annotator "nobody"`},
		{[]string{"x", "--status", "finished"}, 2, "unknown status"},
		{[]string{"x", "--format", "xml"}, 2, "unknown format"},
		{[]string{"x", "y"}, 2, "one QUERY"},
		{[]string{}, 2, "one QUERY"},
		{[]string{"x", "--regex", "--substring"}, 2, "not both"},
		{[]string{"x", "--include-done"}, 2, "goes with --apply"},
	} {
		code, _, errs := searchCLI(t, append([]string{"--db", db}, c.args...)...)
		if code != c.code || !strings.Contains(errs, c.say) {
			t.Errorf("%v: %d %q, want %d and %q", c.args, code, errs, c.code, c.say)
		}
	}
	if code, _, errs := searchCLI(t, "--db", filepath.Join(t.TempDir(), "none.db"), "x"); code != 1 || !strings.Contains(errs, "no database") {
		t.Errorf("no database: %d %q", code, errs)
	}
}

func TestSearchCLIApply(t *testing.T) {
	db, docs := searchDB(t)
	t.Setenv("GLOSS_ANNOTATOR", "")

	code, _, errs := searchCLI(t, "--db", db, "--regex", `£\d+bn`, "--apply", "Figure")
	if code != 2 || !strings.Contains(errs, "--annotator") {
		t.Errorf("no annotator: %d %q", code, errs)
	}
	code, _, errs = searchCLI(t, "--db", db, "--regex", `£\d+bn`, "--apply", "Money", "--annotator", "ana")
	if code != 1 || !strings.Contains(errs, `no label "Money"`) || !strings.Contains(errs, "Figure") {
		t.Errorf("unknown label: %d %q", code, errs)
	}

	code, out, errs := searchCLI(t, "--db", db, "--regex", `£\d+bn`, "--apply", "figure", "--annotator", "ana")
	want := "ana labelled 4 matches as Figure: 2 spans made in 1 document, 1 match skipped (labelled already), " +
		"1 match skipped in 1 document marked done (--include-done labels them)\n"
	if code != 0 || out != want {
		t.Errorf("apply: %d %q %q\nwant %q", code, out, errs, want)
	}
	code, out, _ = searchCLI(t, "--db", db, "--regex", `£\d+bn`, "--apply", "Figure", "--annotator", "ana", "--include-done")
	if want := "ana labelled 4 matches as Figure: 1 span made in 1 document, 3 matches skipped (labelled already)\n"; code != 0 || out != want {
		t.Errorf("apply with --include-done: %d %q", code, out)
	}
	// A new analyst by $GLOSS_ANNOTATOR; none of her documents is done.
	t.Setenv("GLOSS_ANNOTATOR", "bob")
	code, out, _ = searchCLI(t, "--db", db, "--substring", "union", "--apply", "Claim")
	if want := "bob labelled 2 matches as Claim: 2 spans made in 1 document, 0 matches skipped (labelled already)\n"; code != 0 || out != want {
		t.Errorf("apply as bob: %d %q", code, out)
	}
	code, _, errs = searchCLI(t, "--db", db, "zebra", "--apply", "Claim")
	if code != 0 || errs != "no matches\n" {
		t.Errorf("apply, no matches: %d %q", code, errs)
	}

	s := storagetest.OpenAt(t, db)
	ctx := context.Background()
	as, _ := s.Annotators(ctx)
	spans := map[string]int{}
	for _, d := range docs {
		for _, a := range as {
			sps, err := s.Spans(ctx, d.ID, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, sp := range sps {
				spans[a.Name+" "+sp.Label+" "+sp.Text]++
			}
		}
	}
	if spans["ana Figure £4bn"] != 1 || spans["ana Figure £2bn"] != 1 || spans["ana Figure £3bn"] != 1 ||
		spans["ana Figure £1bn"] != 1 || spans["bob Claim Union"] != 1 || spans["bob Claim union"] != 1 || len(spans) != 6 {
		t.Errorf("spans %v", spans)
	}
}
