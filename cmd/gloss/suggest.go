package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"text/tabwriter"

	"gloss/app/library"
	"gloss/app/suggest"
	"gloss/storage"
)

// cliSuggest trains the annotator's tagger and dictionary, keeps the rule
// files given, prints a held-out evaluation and stores suggestions for the
// documents the annotator has not finished.
func cliSuggest(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("gloss suggest", stderr)
	db := dbFlag(fs)
	annotator := fs.String("annotator", os.Getenv("GLOSS_ANNOTATOR"), "whose spans train the tagger and whose layer gets the suggestions")
	gold := fs.Bool("gold", false, "train on the gold layer and suggest into it")
	patterns := fs.String("patterns", "", "Prodigy patterns JSONL files to keep and run, comma-separated")
	wordlists := fs.String("wordlist", "", "word lists (text<TAB>label per line) to keep and run, comma-separated")
	docs := fs.String("docs", "", "suggest for these documents only, by id, comma-separated (default: every document not marked done)")
	seed := fs.Uint64("seed", 1, "seed of the training shuffle and the held-out split")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gloss suggest: unexpected argument %q (flags only)\n", fs.Arg(0))
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintln(stderr, "gloss suggest:", err)
		return 1
	}
	if *gold == (*annotator != "") && !(*gold && *annotator == storage.GoldAnnotator) {
		fmt.Fprintln(stderr, "gloss suggest: give --annotator NAME or --gold")
		return 2
	}
	name := *annotator
	if *gold {
		name = storage.GoldAnnotator
	}
	store, err := openExisting(*db)
	if err != nil {
		return fail(err)
	}
	defer store.Close()
	ctx := context.Background()

	// Everything that can be wrong with the input is found before anything
	// is written.
	who, err := findAnnotator(ctx, store, name, store.Path())
	if err != nil {
		return fail(err)
	}
	var rules [][2]string
	for _, p := range splitList(*patterns) {
		rules = append(rules, [2]string{library.ModelPatterns, p})
	}
	for _, p := range splitList(*wordlists) {
		rules = append(rules, [2]string{library.ModelWordList, p})
	}
	for _, r := range rules {
		if err := library.CheckRules(r[0], r[1]); err != nil {
			return fail(err)
		}
	}
	targets, err := suggestTargets(ctx, store, who.ID, splitList(*docs))
	if err != nil {
		return fail(err)
	}

	for _, r := range rules {
		if _, err := library.AddRules(ctx, store, who.ID, r[0], r[1]); err != nil {
			return fail(err)
		}
	}
	l, err := library.Learn(ctx, store, who.ID, true, *seed)
	if err != nil {
		return fail(err)
	}
	printLearned(stdout, who.Name, l)
	written, err := l.SuggestFor(ctx, store, targets)
	if err != nil {
		return fail(err)
	}
	srcs := make([]string, 0, len(written))
	for s := range written {
		srcs = append(srcs, s)
	}
	sort.Strings(srcs)
	fmt.Fprintf(stdout, "\nsuggestions stored for %s:\n", library.Count(len(targets), "document"))
	if len(srcs) == 0 {
		fmt.Fprintln(stdout, "  (no source yet: label some spans, or give --patterns or --wordlist)")
	}
	for _, s := range srcs {
		fmt.Fprintf(stdout, "  %-28s %6d\n", s, written[s])
	}
	return 0
}

func findAnnotator(ctx context.Context, store library.LayerSource, name, where string) (storage.Annotator, error) {
	as, err := store.Annotators(ctx)
	if err != nil {
		return storage.Annotator{}, err
	}
	for _, a := range as {
		if a.Name == name {
			return a, nil
		}
	}
	return storage.Annotator{}, fmt.Errorf("no annotator %q in %s", name, where)
}

// whereIs names a database in a message: a SQLite file's path, else "the
// server".
func whereIs(db any) string {
	if p, ok := db.(interface{ Path() string }); ok {
		return p.Path()
	}
	return "the server"
}

// suggestTargets are the documents to suggest for: those named, else every
// document the annotator has not marked done or reviewed.
func suggestTargets(ctx context.Context, store *storage.Store, annotatorID string, ids []string) ([]storage.Document, error) {
	var out []storage.Document
	if len(ids) > 0 {
		for _, id := range ids {
			d, err := store.Document(ctx, id)
			if err != nil {
				return nil, err
			}
			out = append(out, d)
		}
		return out, nil
	}
	err := store.EachRecord(ctx, storage.RecordFilter{AnnotatorID: annotatorID}, func(r storage.Record) error {
		for _, st := range r.Statuses {
			if st.Status == storage.StatusDone || st.Status == storage.StatusReviewed {
				return nil
			}
		}
		out = append(out, r.Document)
		return nil
	})
	return out, err
}

// printLearned says what the tagger learned from and how it scored on the
// documents held out.
func printLearned(w io.Writer, who string, l *library.Learner) {
	t := l.Training
	fmt.Fprintf(w, "trained on %s's %s in %s (%s)\n", who, library.Count(t.Spans, "span"), library.Count(t.Documents, "document"), whichDocs(t.Which))
	if l.Tagger != nil {
		fmt.Fprintf(w, "tagger v%d: %s, %d features, %s\n", l.ModelInfo.Version, library.Count(len(l.Tagger.Labels), "label"),
			l.Tagger.Summary.Features, l.Tagger.Summary.Duration.Round(1e6))
	}
	fmt.Fprintf(w, "dictionary: %s\n", library.Count(l.Dictionary.Len(), "labelled text"))
	for _, r := range l.Rules {
		fmt.Fprintf(w, "%s %s: %d\n", r.Kind, filepath.Base(r.Name), r.Size)
	}
	if l.Evaluation == nil {
		fmt.Fprintf(w, "no held-out evaluation: it needs %d training documents\n", library.EvaluationFloor)
		return
	}
	printEvaluation(w, l.Evaluation)
}

func whichDocs(which string) string {
	if which == "done" {
		return "the documents marked done"
	}
	return "every document with spans, as none is marked done yet"
}

func printEvaluation(w io.Writer, ev *suggest.Evaluation) {
	fmt.Fprintf(w, "\nheld-out exact-span scores of the tagger (%s, 20%% of the training set):\n", library.Count(ev.Documents, "document"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  label\tprecision\trecall\tF1\ttp\tfp\tfn")
	labels := make([]string, 0, len(ev.Labels))
	for l := range ev.Labels {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	row := func(name string, s suggest.Scores) {
		fmt.Fprintf(tw, "  %s\t%.3f\t%.3f\t%.3f\t%d\t%d\t%d\n", name, s.Precision, s.Recall, s.F1, s.TP, s.FP, s.FN)
	}
	for _, l := range labels {
		row(l, ev.Labels[l])
	}
	row("(all)", ev.All)
	tw.Flush()
}
