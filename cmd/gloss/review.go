package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"gloss/app/agreement"
	"gloss/app/library"
	"gloss/storage"
)

// cliAgree prints inter-annotator agreement: span F1, Cohen's and Fleiss'
// kappa and Krippendorff's alpha, and relation F1 and agreement on
// attribute values when the database has them (docs/agreement.md).
func cliAgree(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("gloss agree", stderr)
	db := dbFlag(fs)
	annotators := fs.String("annotators", "", "comma-separated annotator names (default: everyone)")
	labels := fs.String("labels", "", "comma-separated labels (default: all)")
	docs := fs.String("docs", "", "comma-separated document ids (default: all)")
	format := fs.String("format", "text", "text, json or csv")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *format != "text" && *format != "json" && *format != "csv" {
		fmt.Fprintf(stderr, "gloss agree: unknown format %q (text, json, csv)\n", *format)
		return 2
	}
	store, closeDB, err := openReader(context.Background(), *db, true)
	if err != nil {
		fmt.Fprintln(stderr, "gloss agree:", err)
		return 1
	}
	defer closeDB()
	ds, spans, err := library.AgreementData(context.Background(), store, splitList(*docs))
	if err != nil {
		fmt.Fprintln(stderr, "gloss agree:", err)
		return 1
	}
	in, err := agreementInput(context.Background(), store, splitList(*docs), ds, spans)
	if err != nil {
		fmt.Fprintln(stderr, "gloss agree:", err)
		return 1
	}
	rep := agreement.Measure(in, agreement.Options{Annotators: splitList(*annotators), Labels: splitList(*labels)})
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(rep)
	case "csv":
		err = rep.WriteCSV(stdout)
	default:
		err = rep.WriteText(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "gloss agree:", err)
		return 1
	}
	return 0
}

// agreementInput adds to the documents and spans of library.AgreementData
// the relations between those spans and the values of the span attributes
// of the label set, on the documents docIDs (nil: all). The gold layer is
// left out, as there. A database without relation types or attributes is
// not read again.
func agreementInput(ctx context.Context, store library.RecordSource, docIDs []string, ds []agreement.Doc, spans []agreement.Span) (agreement.Input, error) {
	in := agreement.Input{Docs: ds, Spans: spans}
	set, err := store.DefaultLabelSet(ctx)
	if err != nil {
		return in, err
	}
	types, err := relationTypes(ctx, store, set.ID)
	if err != nil {
		return in, err
	}
	attrs, err := store.Attributes(ctx, set.ID)
	if err != nil {
		return in, err
	}
	if len(types) == 0 && len(attrs) == 0 {
		return in, nil
	}
	labels, err := store.Labels(ctx, set.ID)
	if err != nil {
		return in, err
	}
	labelName := map[string]string{}
	for _, l := range labels {
		labelName[l.ID] = l.Name
	}
	for _, a := range attrs {
		var on []string
		for _, id := range a.Targets {
			if name, ok := labelName[id]; ok {
				on = append(on, name)
			}
		}
		if len(a.Targets) > 0 && len(on) == 0 {
			continue // on relations only
		}
		in.Attributes = append(in.Attributes, agreement.Attribute{Name: a.Name, Kind: a.Kind, Labels: on})
	}
	err = store.EachRecord(ctx, storage.RecordFilter{DocumentIDs: docIDs}, func(r storage.Record) error {
		byID := map[string]agreement.Span{}
		for _, s := range r.Spans {
			if !storage.IsGold(s.Annotator) {
				byID[s.ID] = agreementSpan(r.Document.ID, s)
			}
		}
		for _, rel := range r.Relations {
			if ar, ok := agreementRelation(rel, byID, types); ok {
				in.Relations = append(in.Relations, ar)
			}
		}
		for owner, vs := range r.Attrs {
			s, ok := byID[owner]
			if !ok {
				continue // a relation's, or gold's
			}
			for _, v := range vs {
				in.Values = append(in.Values, agreement.AttrValue{Span: s, Attribute: v.Name, Value: v.Value})
			}
		}
		return nil
	})
	return in, err
}

// relationTypes are the relation types of set setID by ID.
func relationTypes(ctx context.Context, store library.RecordSource, setID string) (map[string]storage.RelationType, error) {
	ts, err := store.RelationTypes(ctx, setID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]storage.RelationType, len(ts))
	for _, t := range ts {
		out[t.ID] = t
	}
	return out, nil
}

func agreementSpan(docID string, s storage.Span) agreement.Span {
	return agreement.Span{ID: s.ID, Doc: docID, Annotator: s.Annotator, Label: s.Label, Start: s.Start, End: s.End}
}

// agreementRelation is rel with its ends from spans (by ID); ok is false
// when an end is not there (or the relation is gold's).
func agreementRelation(rel storage.Relation, spans map[string]agreement.Span, types map[string]storage.RelationType) (agreement.Relation, bool) {
	from, okf := spans[rel.From]
	to, okt := spans[rel.To]
	if !okf || !okt || storage.IsGold(rel.Annotator) {
		return agreement.Relation{}, false
	}
	t, known := types[rel.TypeID]
	return agreement.Relation{ID: rel.ID, Doc: rel.DocumentID, Annotator: rel.Annotator, Type: rel.Type,
		From: from, To: to, Symmetric: known && !t.Directed}, true
}

// diffRelations pairs the two annotators' relations on document docID
// (agreement.CompareRelations); nil when neither has any.
// diffSource is what gloss diff reads: a SQLite store or the team server.
type diffSource interface {
	library.LayerSource
	library.RecordSource
	Relations(ctx context.Context, docID, annotatorID string) ([]storage.Relation, error)
}

func diffRelations(ctx context.Context, store diffSource, docID, a, b string) ([]agreement.RelPair, error) {
	as, err := store.Annotators(ctx)
	if err != nil {
		return nil, err
	}
	set, err := store.DefaultLabelSet(ctx)
	if err != nil {
		return nil, err
	}
	types, err := relationTypes(ctx, store, set.ID)
	if err != nil || len(types) == 0 {
		return nil, err
	}
	layer := func(name string) ([]agreement.Relation, error) {
		id := ""
		for _, an := range as {
			if strings.EqualFold(an.Name, strings.TrimSpace(name)) {
				id = an.ID
				break
			}
		}
		if id == "" {
			return nil, fmt.Errorf("no annotator %q", name)
		}
		rels, err := store.Relations(ctx, docID, id)
		if err != nil || len(rels) == 0 {
			return nil, err
		}
		ss, err := store.Spans(ctx, docID, id)
		if err != nil {
			return nil, err
		}
		byID := make(map[string]agreement.Span, len(ss))
		for _, s := range ss {
			byID[s.ID] = agreementSpan(docID, s)
		}
		var out []agreement.Relation
		for _, rel := range rels {
			if ar, ok := agreementRelation(rel, byID, types); ok {
				out = append(out, ar)
			}
		}
		return out, nil
	}
	ra, err := layer(a)
	if err != nil {
		return nil, err
	}
	rb, err := layer(b)
	if err != nil || len(ra)+len(rb) == 0 {
		return nil, err
	}
	return agreement.CompareRelations(ra, rb), nil
}

// cliDiff lines up two annotators' spans on one document, and their
// relations when they have any.
func cliDiff(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("gloss diff", stderr)
	db := dbFlag(fs)
	doc := fs.String("doc", "", "document id")
	pair := fs.String("annotators", "", "two annotator names: a,b")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	names := splitList(*pair)
	if *doc == "" || len(names) != 2 {
		fmt.Fprintln(stderr, "gloss diff: give --doc ID and --annotators a,b")
		return 2
	}
	store, closeDB, err := openReader(context.Background(), *db, true)
	if err != nil {
		fmt.Fprintln(stderr, "gloss diff:", err)
		return 1
	}
	defer closeDB()
	d, pairs, err := library.Diff(context.Background(), store, *doc, names[0], names[1])
	if err != nil {
		fmt.Fprintln(stderr, "gloss diff:", err)
		return 1
	}
	rels, err := diffRelations(context.Background(), store, *doc, names[0], names[1])
	if err != nil {
		fmt.Fprintln(stderr, "gloss diff:", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		// The span pairs alone, as before relations, when there are none.
		var v any = pairs
		if rels != nil {
			v = struct {
				Spans     []agreement.Pair    `json:"spans"`
				Relations []agreement.RelPair `json:"relations"`
			}{pairs, rels}
		}
		if err := enc.Encode(v); err != nil {
			fmt.Fprintln(stderr, "gloss diff:", err)
			return 1
		}
		return 0
	}
	rs := []rune(d.Text)
	show := func(s *agreement.Span) string {
		if s == nil {
			return "-"
		}
		return fmt.Sprintf("%s %d-%d %q", s.Label, s.Start, s.End, string(rs[s.Start:s.End]))
	}
	counts := map[agreement.Kind]int{}
	fmt.Fprintf(stdout, "%s\n%-8s  %-40s  %s\n", d.Title, "kind", names[0], names[1])
	for _, p := range pairs {
		counts[p.Kind]++
		fmt.Fprintf(stdout, "%-8s  %-40s  %s\n", p.Kind, show(p.A), show(p.B))
	}
	fmt.Fprintf(stdout, "\n%d agree, %d other label, %d overlap, %d only %s, %d only %s\n",
		counts[agreement.Agree], counts[agreement.Relabel], counts[agreement.Overlap],
		counts[agreement.OnlyA], names[0], counts[agreement.OnlyB], names[1])
	if rels == nil {
		return 0
	}
	end := func(s agreement.Span) string { return fmt.Sprintf("%s %d-%d", s.Label, s.Start, s.End) }
	showRel := func(r *agreement.Relation) string {
		if r == nil {
			return "-"
		}
		arrow := "→"
		if r.Symmetric {
			arrow = "↔"
		}
		return fmt.Sprintf("%s: %s %s %s", r.Type, end(r.From), arrow, end(r.To))
	}
	clear(counts)
	fmt.Fprintf(stdout, "\nRelations\n%-8s  %-40s  %s\n", "kind", names[0], names[1])
	for _, p := range rels {
		counts[p.Kind]++
		fmt.Fprintf(stdout, "%-8s  %-40s  %s\n", p.Kind, showRel(p.A), showRel(p.B))
	}
	fmt.Fprintf(stdout, "\n%d agree, %d other type, %d reversed, %d overlap, %d only %s, %d only %s\n",
		counts[agreement.Agree], counts[agreement.Retype], counts[agreement.Reversed], counts[agreement.Overlap],
		counts[agreement.OnlyA], names[0], counts[agreement.OnlyB], names[1])
	return 0
}
