package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"unicode"
	"unicode/utf8"

	"gloss/app/library"
	"gloss/storage"
	"gloss/storage/postgres"
)

// cliSearch finds text across the corpus (storage.Store.Search) and prints
// one match per line, offsets in code points; with --apply it labels every
// match instead, in one transaction. Flags may come before or after the
// query (after "--" everything is the query). It exits 0 when nothing
// matches (saying so on standard error), 1 on errors, 2 on bad usage.
func cliSearch(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("gloss search", stderr)
	db := dbFlag(fs)
	regex := fs.Bool("regex", false, "QUERY is a Go regular expression (RE2 syntax)")
	substring := fs.Bool("substring", false, "QUERY is a substring, found inside words too (and in text without spaces)")
	exact := fs.Bool("case", false, "match case and accents exactly")
	word := fs.Bool("word", false, "substring or regex: keep only matches that neither start nor end inside a word")
	label := fs.String("label", "", "search within the spans of this label (of --annotator, or of anyone)")
	annotator := fs.String("annotator", "", "whose status --status and whose spans --label mean; with --apply, who labels (default $GLOSS_ANNOTATOR)")
	status := fs.String("status", "", "only documents with this status: "+statusList())
	format := fs.String("format", "text", "text or jsonl")
	limit := fs.Int("limit", 0, "stop after N matches (0: all)")
	apply := fs.String("apply", "", "label every match with this label, as --annotator, in one transaction")
	includeDone := fs.Bool("include-done", false, "with --apply, label in documents the annotator marked done or reviewed too")

	var query []string
	rest := args
	for {
		var after []string
		if i := indexOf(rest, "--"); i >= 0 {
			rest, after = rest[:i], rest[i+1:]
		}
		if err := fs.Parse(rest); err != nil {
			return 2
		}
		if fs.NArg() == 0 {
			query = append(query, after...)
			break
		}
		query = append(query, fs.Arg(0))
		rest = append(fs.Args()[1:], prepend("--", after)...)
	}
	if len(query) != 1 || query[0] == "" {
		fmt.Fprintln(stderr, `gloss search: give one QUERY (quote it: gloss search "european union")`)
		return 2
	}
	q := storage.SearchQuery{Text: query[0], CaseSensitive: *exact, WholeWord: *word, Label: *label,
		Status: storage.Status(*status), Limit: *limit}
	switch {
	case *regex && *substring:
		fmt.Fprintln(stderr, "gloss search: --regex or --substring, not both")
		return 2
	case *regex:
		q.Mode = storage.SearchRegex
	case *substring:
		q.Mode = storage.SearchSubstring
	}
	if *format != "text" && *format != "jsonl" {
		fmt.Fprintf(stderr, "gloss search: unknown format %q (text, jsonl)\n", *format)
		return 2
	}
	if q.Status != "" && !q.Status.Valid() {
		fmt.Fprintf(stderr, "gloss search: unknown status %q (%s)\n", *status, statusList())
		return 2
	}
	if *limit < 0 {
		fmt.Fprintln(stderr, "gloss search: --limit is a count (0: all)")
		return 2
	}
	if *includeDone && *apply == "" {
		fmt.Fprintln(stderr, "gloss search: --include-done goes with --apply")
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintln(stderr, "gloss search:", err)
		return 1
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if *apply != "" {
		if isPostgresURL(*db) {
			return serverApply(ctx, *db, q, *apply, *annotator, *includeDone, stdout, stderr)
		}
		st, err := openExisting(*db)
		if err != nil {
			return fail(err)
		}
		defer st.Close()
		return searchApply(ctx, st, q, *apply, *annotator, *includeDone, stdout, stderr)
	}
	store, closeDB, err := openReader(ctx, *db, true)
	if err != nil {
		return fail(err)
	}
	defer closeDB()
	if *annotator != "" {
		a, err := findAnnotator(ctx, store, *annotator, whereIs(store))
		if err != nil {
			return fail(err)
		}
		q.AnnotatorID = a.ID
	}

	w := bufio.NewWriter(stdout)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	n := 0
	err = store.Search(ctx, q, func(m storage.SearchMatch) error {
		n++
		if *format == "jsonl" {
			return enc.Encode(jsonMatch{DocumentID: m.DocumentID, Title: m.Title, Start: m.Start, End: m.End, Text: m.Text,
				Context: m.Before + "[" + m.Text + "]" + m.After, Before: m.Before, After: m.After, SpanID: m.SpanID})
		}
		_, err := fmt.Fprintf(w, "%s:%d-%d: %s\n", m.Title, m.Start, m.End, contextLine(m))
		return err
	})
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return fail(err)
	}
	switch {
	case n == 0:
		fmt.Fprintln(stderr, "no matches"+noMatchHint(q))
	case q.Limit > 0 && n == q.Limit:
		fmt.Fprintf(stderr, "stopped after %s (--limit %d)\n", countMatches(n), q.Limit)
	}
	return 0
}

// jsonMatch is a line of --format jsonl.
type jsonMatch struct {
	DocumentID string `json:"document_id"`
	Title      string `json:"title"`
	Start      int    `json:"start"`
	End        int    `json:"end"`
	Text       string `json:"text"`
	Context    string `json:"context"`
	Before     string `json:"before"`
	After      string `json:"after"`
	SpanID     string `json:"span_id,omitempty"`
}

// searchApply labels every match of q as label in the layer of the
// annotator called name (made when new), and says what it did.
func searchApply(ctx context.Context, store *storage.Store, q storage.SearchQuery, label, name string, includeDone bool, stdout, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintln(stderr, "gloss search:", err)
		return 1
	}
	if name == "" {
		name = os.Getenv("GLOSS_ANNOTATOR")
	}
	if name == "" {
		fmt.Fprintln(stderr, "gloss search: --apply needs --annotator NAME (or $GLOSS_ANNOTATOR): whose spans they are")
		return 2
	}
	l, err := library.FindLabel(ctx, store, label)
	if err != nil {
		return fail(err)
	}
	a, err := store.EnsureAnnotator(ctx, name)
	if err != nil {
		return fail(err)
	}
	q.AnnotatorID = a.ID
	res, err := library.LabelMatches(ctx, store, q, a.ID, l.ID, includeDone)
	if err != nil {
		return fail(err)
	}
	if res.Matches == 0 {
		fmt.Fprintln(stderr, "no matches"+noMatchHint(q))
		return 0
	}
	printApplied(stdout, a.Name, l.Name, res.Matches, res.BatchesSummary)
	return 0
}

// printApplied says what --apply did.
func printApplied(stdout io.Writer, who, label string, matches int, res storage.BatchesSummary) {
	fmt.Fprintf(stdout, "%s labelled %s as %s: %s made in %s, %s skipped (labelled already)",
		who, countMatches(matches), label, library.Count(res.Spans, "span"),
		library.Count(res.Documents, "document"), countMatches(res.Existing))
	if res.DoneDocuments > 0 {
		fmt.Fprintf(stdout, ", %s skipped in %s marked done (--include-done labels them)",
			countMatches(res.DoneEdits), library.Count(res.DoneDocuments, "document"))
	}
	fmt.Fprintln(stdout)
}

// contextLine is a match in its context on one line: "…before[match]after…",
// line breaks and tabs shown as spaces.
func contextLine(m storage.SearchMatch) string {
	var b strings.Builder
	if m.Start > utf8.RuneCountInString(m.Before) {
		b.WriteString("…")
	}
	b.WriteString(m.Before)
	b.WriteString("[")
	b.WriteString(m.Text)
	b.WriteString("]")
	b.WriteString(m.After)
	if utf8.RuneCountInString(m.After) == storage.SearchContext {
		b.WriteString("…")
	}
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == '\t' || r == '\v' || r == '\f' || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, b.String())
}

// noMatchHint suggests the substring mode for a words query in a script
// written without spaces, where a "word" is a whole run of text.
func noMatchHint(q storage.SearchQuery) string {
	if q.Mode != "" && q.Mode != storage.SearchWords {
		return ""
	}
	for _, r := range q.Text {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar) {
			return " (in text written without spaces a word runs to the next punctuation: try --substring)"
		}
	}
	return ""
}

// countMatches is "1 match", "3 matches" (library.Count knows regular
// plurals only).
func countMatches(n int) string {
	if n == 1 {
		return "1 match"
	}
	return fmt.Sprintf("%d matches", n)
}

func statusList() string {
	names := make([]string, len(storage.Statuses))
	for i, s := range storage.Statuses {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

func indexOf(args []string, s string) int {
	for i, a := range args {
		if a == s {
			return i
		}
	}
	return -1
}

// prepend is ["--", after...] when after is not empty, so that a later
// parse still knows where the query began.
func prepend(sep string, after []string) []string {
	if len(after) == 0 {
		return nil
	}
	return append([]string{sep}, after...)
}

// serverApply is searchApply on the team server.
func serverApply(ctx context.Context, db string, q storage.SearchQuery, label, name string, includeDone bool, stdout, stderr io.Writer) int {
	if name == "" {
		name = os.Getenv("GLOSS_ANNOTATOR")
	}
	if name == "" {
		fmt.Fprintln(stderr, "gloss search: --apply needs --annotator NAME (or $GLOSS_ANNOTATOR): whose spans they are")
		return 2
	}
	n, res, err := postgres.LabelMatches(ctx, db, q, name, label, includeDone)
	if err != nil {
		fmt.Fprintln(stderr, "gloss search:", err)
		return 1
	}
	if n == 0 {
		fmt.Fprintln(stderr, "no matches"+noMatchHint(q))
		return 0
	}
	printApplied(stdout, name, label, n, res)
	return 0
}
