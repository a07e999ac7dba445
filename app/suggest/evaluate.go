package suggest

// Evaluation: exact-span precision, recall and F1 per label (a suggestion
// counts only with the same start, end and label as a gold span), on
// held-out documents, by k-fold cross-validation, or along a learning
// curve. A ratio with nothing below the line is 0 (no suggestions:
// precision 0), as scikit-learn's zero_division=0.

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"gloss/app/tokens"
)

// Scores are the exact-span counts and measures of one label (or all).
type Scores struct {
	TP, FP, FN            int
	Precision, Recall, F1 float64
}

func (s *Scores) finish() {
	s.Precision = ratio(s.TP, s.TP+s.FP)
	s.Recall = ratio(s.TP, s.TP+s.FN)
	s.F1 = ratio(2*s.TP, 2*s.TP+s.FP+s.FN)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Evaluation is the result of Evaluate: per label, and micro-averaged over
// labels in All.
type Evaluation struct {
	Documents int
	Labels    map[string]Scores
	All       Scores
}

// add counts one document's gold spans against its suggestions.
func (e *Evaluation) add(gold []Span, sugs []Suggestion) {
	if e.Labels == nil {
		e.Labels = map[string]Scores{}
	}
	e.Documents++
	type key struct {
		s, e  int
		label string
	}
	g := map[key]bool{}
	for _, s := range gold {
		g[key{s.Start, s.End, s.Label}] = true
	}
	p := map[key]bool{}
	for _, s := range sugs {
		p[key{s.Start, s.End, s.Label}] = true
	}
	bump := func(label string, f func(*Scores)) {
		sc := e.Labels[label]
		f(&sc)
		e.Labels[label] = sc
		f(&e.All)
	}
	for k := range p {
		if g[k] {
			bump(k.label, func(s *Scores) { s.TP++ })
		} else {
			bump(k.label, func(s *Scores) { s.FP++ })
		}
	}
	for k := range g {
		if !p[k] {
			bump(k.label, func(s *Scores) { s.FN++ })
		}
	}
}

func (e *Evaluation) finish() {
	for l, s := range e.Labels {
		s.finish()
		e.Labels[l] = s
	}
	e.All.finish()
}

// String is a table, one label a line, then all labels together.
func (e Evaluation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-12s %9s %9s %9s %6s %6s %6s\n", "label", "precision", "recall", "F1", "tp", "fp", "fn")
	line := func(name string, s Scores) {
		fmt.Fprintf(&b, "%-12s %9.3f %9.3f %9.3f %6d %6d %6d\n", name, s.Precision, s.Recall, s.F1, s.TP, s.FP, s.FN)
	}
	for _, l := range sortedKeys(e.Labels) {
		line(l, e.Labels[l])
	}
	line("(all)", e.All)
	return b.String()
}

// Evaluate runs s on every gold document and scores it against the
// document's spans.
func Evaluate(gold []Doc, s Suggester) Evaluation {
	var e Evaluation
	for _, d := range gold {
		e.add(d.Spans, s.Match(d.Text, tokens.Tokenize(d.Text)))
	}
	e.finish()
	return e
}

// MinScore wraps s, keeping only suggestions scoring at least min.
func MinScore(s Suggester, min float64) Suggester { return minScore{s, min} }

type minScore struct {
	s   Suggester
	min float64
}

func (m minScore) Match(text string, toks []tokens.Token) []Suggestion {
	var out []Suggestion
	for _, s := range m.s.Match(text, toks) {
		if s.Score >= m.min {
			out = append(out, s)
		}
	}
	return out
}

// Builder makes a suggester from training documents.
type Builder func(train []Doc) (Suggester, error)

// TaggerBuilder trains a Model.
func TaggerBuilder(opt TrainOptions) Builder {
	return func(train []Doc) (Suggester, error) { return Train(train, opt) }
}

// DictionaryBuilder builds a Dictionary.
func DictionaryBuilder() Builder {
	return func(train []Doc) (Suggester, error) { return BuildDictionary(train), nil }
}

// Fixed is a Builder that learns nothing (patterns, word lists).
func Fixed(s Suggester) Builder {
	return func([]Doc) (Suggester, error) { return s, nil }
}

// shuffled returns the indices 0..n-1 in an order fixed by seed.
func shuffled(n int, seed uint64) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	rand.New(rand.NewPCG(seed, 0xda3e39cb94b95bdb)).Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	return order
}

// Split shuffles docs with seed and holds out the fraction heldOut of them
// (at least one of two or more): Split(docs, 0.2, seed) is an 80/20 split.
func Split(docs []Doc, heldOut float64, seed uint64) (train, test []Doc) {
	order := shuffled(len(docs), seed)
	nTest := int(heldOut*float64(len(docs)) + 0.5)
	if nTest == 0 && heldOut > 0 && len(docs) >= 2 {
		nTest = 1
	}
	nTest = min(nTest, len(docs))
	for k, i := range order {
		if k < nTest {
			test = append(test, docs[i])
		} else {
			train = append(train, docs[i])
		}
	}
	return train, test
}

// Fold is one fold of a cross-validation.
type Fold struct{ Train, Test []Doc }

// KFold shuffles docs with seed and deals them into k folds.
func KFold(docs []Doc, k int, seed uint64) []Fold {
	if k < 2 || k > len(docs) {
		return nil
	}
	folds := make([]Fold, k)
	for pos, i := range shuffled(len(docs), seed) {
		for f := range folds {
			if pos%k == f {
				folds[f].Test = append(folds[f].Test, docs[i])
			} else {
				folds[f].Train = append(folds[f].Train, docs[i])
			}
		}
	}
	return folds
}

// CrossValidate builds on each fold's training documents, runs on its test
// documents and pools the counts of all folds.
func CrossValidate(docs []Doc, k int, seed uint64, build Builder) (Evaluation, error) {
	folds := KFold(docs, k, seed)
	if folds == nil {
		return Evaluation{}, fmt.Errorf("cannot make %d folds of %d documents", k, len(docs))
	}
	var e Evaluation
	for _, f := range folds {
		s, err := build(f.Train)
		if err != nil {
			return Evaluation{}, err
		}
		for _, d := range f.Test {
			e.add(d.Spans, s.Match(d.Text, tokens.Tokenize(d.Text)))
		}
	}
	e.finish()
	return e, nil
}

// CurvePoint is one point of a learning curve.
type CurvePoint struct {
	Documents int // trained on
	Eval      Evaluation
}

// LearningCurve shuffles train once with seed and, for each size n, builds
// on its first n documents and evaluates on test (the same every time).
func LearningCurve(train, test []Doc, sizes []int, seed uint64, build Builder) ([]CurvePoint, error) {
	order := shuffled(len(train), seed)
	var out []CurvePoint
	for _, n := range slices.Sorted(slices.Values(sizes)) {
		if n > len(train) {
			return out, fmt.Errorf("learning curve: %d training documents asked for, %d given", n, len(train))
		}
		sub := make([]Doc, n)
		for k := range n {
			sub[k] = train[order[k]]
		}
		s, err := build(sub)
		if err != nil {
			return out, err
		}
		out = append(out, CurvePoint{Documents: n, Eval: Evaluate(test, s)})
	}
	return out, nil
}
