package suggest

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gloss/app/tokens"
)

func TestWordList(t *testing.T) {
	const list = "\ufeff# terms\n" +
		"european commission\tORG\r\n" +
		"\n" +
		"  # indented comment\n" +
		"Commission\tORG\n" +
		"EU\tORG\n" +
		"EU\tGPE\n" +
		"eu\tORG\n" + // same as line 6 once case is ignored: the share stays 1/2
		"per cent\tFigure\n"
	w, err := ParseWordList("terms.tsv", strings.NewReader(list))
	if err != nil {
		t.Fatal(err)
	}
	const text = "The European Commission and the EU (not EUR) said 5 per cent; the commission agreed."
	sugs := w.Match(text, tokens.Tokenize(text))
	got := texts(text, sugs)
	want := []string{"ORG:European Commission", "GPE:EU", "ORG:EU", "Figure:per cent", "ORG:commission"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	if sugs[0].Rule != "terms.tsv:2" || sugs[0].Score != 1 || sugs[0].Source != SourceWordList {
		t.Errorf("first: %+v", sugs[0])
	}
	if sugs[1].Score != 0.5 || sugs[2].Score != 0.5 {
		t.Errorf("EU with two labels: scores %v %v, want 0.5 each", sugs[1].Score, sugs[2].Score)
	}
	w.SetCaseSensitive(true)
	got = texts(text, w.Match(text, tokens.Tokenize(text)))
	want = []string{"ORG:Commission", "GPE:EU", "ORG:EU", "Figure:per cent"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("case-sensitive: got %q\nwant %q", got, want)
	}
	if w.Len() != 6 || !reflect.DeepEqual(w.Labels(), []string{"Figure", "GPE", "ORG"}) {
		t.Errorf("Len %d Labels %v", w.Len(), w.Labels())
	}
}

func TestBadWordLists(t *testing.T) {
	cases := []struct{ file, want string }{
		{"a\tX\nno tab here\n", "w.tsv:2: no tab: want text<TAB>label"},
		{"a\tX\tY\n", "w.tsv:1: 2 tabs: want text<TAB>label"},
		{"# c\n\n \tX\n", "w.tsv:3: empty text before the tab"},
		{"a\t \n", "w.tsv:1: empty label after the tab"},
	}
	for _, c := range cases {
		_, err := ParseWordList("w.tsv", strings.NewReader(c.file))
		var le *LineError
		if err == nil || err.Error() != c.want || !errors.As(err, &le) {
			t.Errorf("%q: got %v, want %s", c.file, err, c.want)
		}
	}
}

func TestDictionary(t *testing.T) {
	mk := func(text string, spans ...string) Doc {
		d := Doc{ID: fmt.Sprint(len(text)), Text: text}
		for _, s := range spans {
			label, sub, _ := strings.Cut(s, ":")
			b := strings.Index(text, sub)
			start := len([]rune(text[:b]))
			d.Spans = append(d.Spans, Span{start, start + len([]rune(sub)), label})
		}
		return d
	}
	docs := []Doc{
		mk("Rents rose by three per cent.", "Figure:three per cent"),
		mk("Three per cent of homes are empty.", "Figure:Three per cent"),
		mk("Another three per cent, she claimed.", "Claim:three per cent"),
		mk("It rose 2%, said the City Council.", "Figure:2%", "Org:City Council", "Body:City Council"),
		mk("Ends mid-wo", "Figure:mid-w"), // not on token boundaries: skipped
	}
	d := BuildDictionary(docs)
	if d.Len() != 3 || d.Skipped != 1 {
		t.Fatalf("Len %d Skipped %d", d.Len(), d.Skipped)
	}
	e := d.Entries()[2]
	if e.Text != "three per cent" || e.Labelled != 3 || e.Labels["Figure"] != 2 || e.Labels["Claim"] != 1 {
		t.Errorf("entry %+v", e)
	}
	text := "Only THREE  per cent and the city council (2%)."
	sugs := d.Match(text, tokens.Tokenize(text))
	got := texts(text, sugs)
	want := []string{"Claim:THREE  per cent", "Figure:THREE  per cent", "Body:city council", "Org:city council", "Figure:2%"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	if math.Abs(sugs[1].Score-2.0/3) > 1e-9 || math.Abs(sugs[0].Score-1.0/3) > 1e-9 {
		t.Errorf("scores %v %v, want 0.67 (2 of 3) and 0.33", sugs[1].Score, sugs[0].Score)
	}
	if sugs[2].Score != 1 || sugs[3].Score != 1 || sugs[1].Source != SourceDictionary {
		t.Errorf("one place with two labels counts once: %+v %+v", sugs[2], sugs[3])
	}
}

func TestUnlabelled(t *testing.T) {
	docs := []Doc{
		{ID: "a", Text: "Rents rose 12% and wages 12%.", Spans: []Span{{11, 14, "Figure"}}},
		{ID: "b", Text: "About 12% of the council said so.", Spans: []Span{{0, 9, "Figure"}}},
		{ID: "c", Text: "A 12% rise.", Spans: []Span{{0, 11, "Claim"}}},
	}
	got := Unlabelled(docs)
	want := []Occurrence{
		{DocID: "a", Start: 25, End: 28, Label: "Figure", Text: "12%", Labelled: 1, Score: 1},
		{DocID: "c", Start: 2, End: 5, Label: "Figure", Text: "12%", Labelled: 1, Score: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestMergeAndUnseen(t *testing.T) {
	in := []Suggestion{
		{Start: 5, End: 9, Label: "A", Score: 0.4, Source: SourceTagger},
		{Start: 0, End: 3, Label: "B", Score: 1, Source: SourcePattern},
		{Start: 5, End: 9, Label: "A", Score: 0.9, Source: SourceDictionary},
		{Start: 5, End: 9, Label: "B", Score: 0.2, Source: SourceTagger},
	}
	got := Merge(in)
	if len(got) != 3 || got[0].Label != "B" || got[1].Source != SourceDictionary || got[2].Label != "B" {
		t.Errorf("Merge: %+v", got)
	}
	left := Unseen(got, []Span{{Start: 6, End: 7, Label: "A"}, {Start: 0, End: 3, Label: "C"}})
	if len(left) != 2 || left[0].Start != 0 || left[1].Label != "B" {
		t.Errorf("Unseen: %+v", left)
	}
}

// synthetic makes n small news-like documents where every percentage and
// every amount in euros is a Figure, and what follows "plans" is a
// Proposal up to the full stop.
func synthetic(n int, seed int) []Doc {
	subjects := []string{"The council", "The ministry", "A spokesman", "The agency", "Ms Ruiz", "The union"}
	nouns := []string{"rents", "fares", "wages", "prices", "taxes", "costs"}
	acts := []string{"to cap rents", "to freeze fares", "to build homes", "to cut taxes", "to open a school", "to close the ward"}
	var docs []Doc
	for i := range n {
		var b strings.Builder
		var spans []Span
		mark := func(label, s string) {
			start := len([]rune(b.String()))
			b.WriteString(s)
			spans = append(spans, Span{start, start + len([]rune(s)), label})
		}
		for k := range 6 {
			r := (i*7 + k*13 + seed) % 97
			b.WriteString(subjects[r%len(subjects)] + " said " + nouns[(r/3)%len(nouns)] + " rose ")
			if r%2 == 0 {
				mark("Figure", fmt.Sprintf("%d%%", r%40+1))
			} else {
				mark("Figure", fmt.Sprintf("%d.%d per cent", r%9+1, r%10))
			}
			b.WriteString(fmt.Sprintf(" in %d, and it plans ", 2000+r%25))
			mark("Proposal", acts[(r/5)%len(acts)]+" by "+fmt.Sprint(2026+r%5))
			b.WriteString(". It will cost ")
			mark("Figure", fmt.Sprintf("€%dm", r+3))
			b.WriteString(fmt.Sprintf(" over %d months.", r%5+2))
			if k%2 == 1 {
				b.WriteString("\n\n")
			} else {
				b.WriteString(" ")
			}
		}
		docs = append(docs, Doc{ID: fmt.Sprint(i), Text: b.String(), Spans: spans})
	}
	return docs
}

func TestTaggerLearnsPercentages(t *testing.T) {
	train := synthetic(30, 0)
	test := synthetic(10, 50)
	m, err := Train(train, TrainOptions{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(m.Labels, []string{"Figure", "Proposal"}) || m.Version != ModelVersion {
		t.Fatalf("labels %v version %d", m.Labels, m.Version)
	}
	s := m.Summary
	if s.Documents != 30 || s.Spans["Figure"] != 360 || s.Spans["Proposal"] != 180 || s.Features == 0 || s.Tokens == 0 || s.Seed != 7 {
		t.Errorf("summary %+v", s)
	}
	e := Evaluate(test, m)
	for _, l := range m.Labels {
		if f := e.Labels[l].F1; f < 0.95 {
			t.Errorf("%s F1 %.3f on held-out synthetic documents: %+v", l, f, e.Labels[l])
		}
	}
	// An unseen percentage in a new sentence.
	text := "The board said costs rose 17% in 2021, and it plans to cut taxes by 2027. It will cost €77m over 3 months."
	got := texts(text, m.Match(text, tokens.Tokenize(text)))
	want := []string{"Figure:17%", "Proposal:to cut taxes by 2027", "Figure:€77m"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	for _, sg := range m.Match(text, tokens.Tokenize(text)) {
		if sg.Score <= 0 || sg.Score > 1 || sg.Source != SourceTagger {
			t.Errorf("suggestion %+v", sg)
		}
	}
	// Same seed, same model.
	m2, _ := Train(train, TrainOptions{Seed: 7})
	if !reflect.DeepEqual(m.Match(test[0].Text, tokens.Tokenize(test[0].Text)), m2.Match(test[0].Text, tokens.Tokenize(test[0].Text))) {
		t.Error("two trainings with one seed differ")
	}
}

func TestModelRoundTrip(t *testing.T) {
	m, err := Train(synthetic(12, 3), TrainOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	m2, err := LoadModel(b)
	if err != nil {
		t.Fatal(err)
	}
	if m2.Version != m.Version || !reflect.DeepEqual(m2.Labels, m.Labels) || !reflect.DeepEqual(m2.Summary, m.Summary) {
		t.Errorf("header: %+v\nvs %+v", m2.Summary, m.Summary)
	}
	for _, d := range synthetic(3, 70) {
		toks := tokens.Tokenize(d.Text)
		if a, b := m.Match(d.Text, toks), m2.Match(d.Text, toks); !reflect.DeepEqual(a, b) || len(a) == 0 {
			t.Fatalf("loaded model predicts differently:\n%+v\n%+v", a, b)
		}
	}
	b2, _ := m2.MarshalBinary()
	if !bytes.Equal(b, b2) {
		t.Error("re-encoding the loaded model changes its bytes")
	}
	t.Logf("model: %d bytes, %d features", len(b), m.Summary.Features)
	// Damage is refused, not crashed on.
	for _, bad := range [][]byte{nil, []byte("GLOSSTAG"), b[:len(b)/2], append(slices.Clone(b), 0), []byte("GLOSSTAG\x63")} {
		if _, err := LoadModel(bad); err == nil {
			t.Errorf("LoadModel accepted %d damaged bytes", len(bad))
		}
	}
	if _, err := LoadModel([]byte("GLOSSTAG\x02")); err == nil || !strings.Contains(err.Error(), "version 2") {
		t.Errorf("other version: %v", err)
	}
}

func TestTrainRefusesNothing(t *testing.T) {
	if _, err := Train([]Doc{{Text: "No spans."}}, TrainOptions{}); err == nil {
		t.Error("trained on no spans")
	}
}

// Evaluation maths on a hand-made case.
func TestEvaluate(t *testing.T) {
	gold := []Doc{
		{Text: "a b c d e f", Spans: []Span{{0, 1, "X"}, {2, 5, "X"}, {6, 7, "Y"}}},
		{Text: "g h", Spans: []Span{{0, 1, "X"}}},
	}
	pred := fixedSuggester{
		"a b c d e f": {{Start: 0, End: 1, Label: "X"}, {Start: 2, End: 3, Label: "X"}, {Start: 6, End: 7, Label: "Y"},
			{Start: 6, End: 7, Label: "Y"}, {Start: 8, End: 9, Label: "Z"}},
		"g h": {},
	}
	e := Evaluate(gold, pred)
	x, y, z := e.Labels["X"], e.Labels["Y"], e.Labels["Z"]
	// X: tp 1 (a), fp 1 (c), fn 2 (c-e partial, g).
	if x.TP != 1 || x.FP != 1 || x.FN != 2 || x.Precision != 0.5 || math.Abs(x.Recall-1.0/3) > 1e-12 || math.Abs(x.F1-0.4) > 1e-12 {
		t.Errorf("X %+v", x)
	}
	if y.TP != 1 || y.FP != 0 || y.FN != 0 || y.F1 != 1 {
		t.Errorf("Y %+v (a duplicate suggestion counts once)", y)
	}
	if z.TP != 0 || z.FP != 1 || z.Precision != 0 || z.Recall != 0 || z.F1 != 0 {
		t.Errorf("Z %+v", z)
	}
	if a := e.All; a.TP != 2 || a.FP != 2 || a.FN != 2 || a.F1 != 0.5 || e.Documents != 2 {
		t.Errorf("All %+v docs %d", a, e.Documents)
	}
	if !strings.Contains(e.String(), "X                0.500     0.333     0.400      1      1      2\n") {
		t.Errorf("table:\n%s", e)
	}
	if e := Evaluate(gold, MinScore(pred, 0.5)); e.All.TP != 0 {
		t.Errorf("MinScore kept zero-score suggestions: %+v", e.All)
	}
}

type fixedSuggester map[string][]Suggestion

func (f fixedSuggester) Match(text string, _ []tokens.Token) []Suggestion { return f[text] }

func TestSplitsAndFolds(t *testing.T) {
	var docs []Doc
	for i := range 10 {
		docs = append(docs, Doc{ID: fmt.Sprint(i)})
	}
	ids := func(ds []Doc) []string {
		var out []string
		for _, d := range ds {
			out = append(out, d.ID)
		}
		return out
	}
	train, test := Split(docs, 0.2, 42)
	train2, test2 := Split(docs, 0.2, 42)
	if len(train) != 8 || len(test) != 2 || !reflect.DeepEqual(ids(test), ids(test2)) || !reflect.DeepEqual(ids(train), ids(train2)) {
		t.Errorf("Split: %v / %v", ids(train), ids(test))
	}
	if _, t3 := Split(docs, 0.2, 43); reflect.DeepEqual(ids(t3), ids(test)) {
		t.Logf("seeds 42 and 43 hold out the same documents (possible, unlikely)")
	}
	folds := KFold(docs, 3, 1)
	seen := map[string]int{}
	for _, f := range folds {
		if len(f.Train)+len(f.Test) != 10 {
			t.Errorf("fold sizes %d+%d", len(f.Train), len(f.Test))
		}
		for _, d := range f.Test {
			seen[d.ID]++
		}
	}
	if len(folds) != 3 || len(seen) != 10 {
		t.Errorf("every document is tested once: %v", seen)
	}
	if KFold(docs, 11, 1) != nil || KFold(docs, 1, 1) != nil {
		t.Error("impossible folds made")
	}
	// A learning curve trains on growing prefixes of one shuffled order.
	var got [][]string
	build := func(tr []Doc) (Suggester, error) {
		got = append(got, ids(tr))
		return fixedSuggester{}, nil
	}
	pts, err := LearningCurve(train, test, []int{4, 2, 8}, 5, build)
	if err != nil || len(pts) != 3 || pts[0].Documents != 2 || pts[2].Eval.Documents != 2 {
		t.Fatalf("LearningCurve: %v %+v", err, pts)
	}
	if len(got[0]) != 2 || !reflect.DeepEqual(got[0], got[1][:2]) || !reflect.DeepEqual(got[1], got[2][:4]) {
		t.Errorf("not prefixes of one order: %v", got)
	}
	if _, err := LearningCurve(train, test, []int{9}, 5, build); err == nil {
		t.Error("curve beyond the training set")
	}
}

// Gold tags: BILOU per label, adjacent spans kept apart, a span across a
// line break cut in two, overlapping spans of one label dropped.
func TestGoldTags(t *testing.T) {
	d := Doc{Text: "a b c d e\nf g", Spans: []Span{
		{0, 3, "X"}, {4, 5, "X"}, // "a b", "c": adjacent
		{6, 13, "X"}, // "d e\nf g": across the line
		{2, 5, "X"},  // overlaps "a b": dropped
		{2, 3, "Y"},  // "b"
	}}
	toks := tokens.Tokenize(d.Text)
	m := &Model{feats: map[uint64]int32{}}
	var sum TrainSummary
	sum.Spans = map[string]int{}
	td := m.prepare(&d, toks, extract(d.Text, toks), []string{"X", "Y"}, &sum)
	name := map[uint8]string{tagO: "O", tagB: "B", tagI: "I", tagL: "L", tagU: "U"}
	str := func(g []uint8) string {
		var b strings.Builder
		for _, x := range g {
			b.WriteString(name[x])
		}
		return b.String()
	}
	if got := str(td.gold[0]); got != "BLUBLBL" {
		t.Errorf("X tags %s, want BLUBLBL", got)
	}
	if got := str(td.gold[1]); got != "OUOOOOO" {
		t.Errorf("Y tags %s, want OUOOOOO", got)
	}
	if sum.Dropped != 1 || sum.Spans["X"] != 3 || sum.Spans["Y"] != 1 {
		t.Errorf("summary %+v", sum)
	}
}
