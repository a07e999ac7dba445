package library

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"gloss/app/suggest"
	"gloss/app/tokens"
	"gloss/storage"
)

// Model kinds kept in the store: the tagger, and the rule files an analyst
// loaded (their bytes, so they run again after a restart).
const (
	ModelTagger   = "tagger"
	ModelPatterns = "patterns"
	ModelWordList = "wordlist"
)

// Learner is what an analyst's suggestions come from: their trained tagger
// and dictionary, and the pattern files and word lists they loaded. It is
// rebuilt by Learn and used by SuggestFor; safe for concurrent reads.
type Learner struct {
	AnnotatorID string
	Tagger      *suggest.Model // nil until trained
	ModelInfo   storage.Model  // the stored version of Tagger (no Data)
	Dictionary  *suggest.Dictionary
	Rules       []Rules
	Training    TrainingSet
	Evaluation  *suggest.Evaluation // held out, when there was enough to hold out
}

// Rules is one loaded pattern file or word list.
type Rules struct {
	Kind, Name string // ModelPatterns or ModelWordList; the file's base name
	Source     suggest.Suggester
	Size       int // patterns or words
}

// TrainingSet says what the learned sources learned from.
type TrainingSet struct {
	Documents, Spans int
	// Which documents: "done" (the annotator's documents marked done or
	// reviewed) or "labelled" (every document with their spans, when none
	// is marked done yet).
	Which string
}

// TrainingDocs reads annotatorID's training documents: those marked done
// or reviewed, or — while none is — every document with their spans.
func TrainingDocs(ctx context.Context, store *storage.Store, annotatorID string) ([]suggest.Doc, TrainingSet, error) {
	var done, labelled []suggest.Doc
	err := store.EachRecord(ctx, storage.RecordFilter{AnnotatorID: annotatorID}, func(r storage.Record) error {
		if len(r.Spans) == 0 {
			return nil
		}
		d := suggest.Doc{ID: r.Document.ID, Text: r.Document.Text}
		for _, s := range r.Spans {
			d.Spans = append(d.Spans, suggest.Span{Start: s.Start, End: s.End, Label: s.Label})
		}
		labelled = append(labelled, d)
		for _, st := range r.Statuses {
			if st.Status == storage.StatusDone || st.Status == storage.StatusReviewed {
				done = append(done, d)
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, TrainingSet{}, err
	}
	set := TrainingSet{Which: "done"}
	docs := done
	if len(done) == 0 {
		docs, set.Which = labelled, "labelled"
	}
	set.Documents = len(docs)
	for _, d := range docs {
		set.Spans += len(d.Spans)
	}
	return docs, set, nil
}

// EvaluationFloor is how many training documents it takes to hold some
// out for an honest evaluation.
const EvaluationFloor = 5

// Learn trains annotatorID's tagger and dictionary from their training
// documents, stores the tagger as a new model version, and loads their
// rule files. With train false it loads the stored tagger instead.
func Learn(ctx context.Context, store *storage.Store, annotatorID string, train bool, seed uint64) (*Learner, error) {
	l := &Learner{AnnotatorID: annotatorID}
	docs, set, err := TrainingDocs(ctx, store, annotatorID)
	if err != nil {
		return nil, err
	}
	l.Training = set
	l.Dictionary = suggest.BuildDictionary(docs)
	if err := l.loadRules(ctx, store); err != nil {
		return nil, err
	}
	if !train {
		m, ok, err := store.LatestModel(ctx, annotatorID, ModelTagger)
		if err != nil || !ok {
			return l, err
		}
		if l.Tagger, err = suggest.LoadModel(m.Data); err != nil {
			return nil, fmt.Errorf("tagger v%d: %w", m.Version, err)
		}
		m.Data = nil
		l.ModelInfo = m
		var sum modelSummary
		if json.Unmarshal([]byte(m.Summary), &sum) == nil {
			l.Evaluation, l.Training = sum.Evaluation, sum.Training
		}
		return l, nil
	}
	if set.Spans == 0 {
		return l, nil
	}
	opts := suggest.TrainOptions{Seed: seed}
	if len(docs) >= EvaluationFloor {
		trainDocs, test := suggest.Split(docs, 0.2, seed)
		m, err := suggest.Train(trainDocs, opts)
		if err != nil {
			return nil, err
		}
		ev := suggest.Evaluate(test, m)
		l.Evaluation = &ev
	}
	if l.Tagger, err = suggest.Train(docs, opts); err != nil {
		return nil, err
	}
	data, err := l.Tagger.MarshalBinary()
	if err != nil {
		return nil, err
	}
	sum, _ := json.Marshal(modelSummary{Training: set, Evaluation: l.Evaluation})
	if l.ModelInfo, err = store.SaveModel(ctx, annotatorID, ModelTagger, data, string(sum)); err != nil {
		return nil, err
	}
	l.Tagger.Version = l.ModelInfo.Version
	l.ModelInfo.Data = nil
	return l, nil
}

// modelSummary is what a stored tagger says of itself.
type modelSummary struct {
	Training   TrainingSet         `json:"training"`
	Evaluation *suggest.Evaluation `json:"evaluation,omitempty"`
}

// AddRules checks a pattern file or word list and keeps it for
// annotatorID, so it runs on every document from now on (also after a
// restart). A bad line is refused with its file and line, and nothing is
// kept.
func AddRules(ctx context.Context, store *storage.Store, annotatorID, kind, path string) (Rules, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Rules{}, err
	}
	r, err := parseRules(kind, filepath.Base(path), data)
	if err != nil {
		return Rules{}, err
	}
	sum, _ := json.Marshal(map[string]string{"name": r.Name})
	if _, err := store.SaveModel(ctx, annotatorID, kind+":"+r.Name, data, string(sum)); err != nil {
		return Rules{}, err
	}
	return r, nil
}

// CheckRules reads a pattern file or word list and says what is wrong with
// it, writing nothing.
func CheckRules(kind, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	_, err = parseRules(kind, filepath.Base(path), data)
	return err
}

func parseRules(kind, name string, data []byte) (Rules, error) {
	r := Rules{Kind: kind, Name: name}
	switch kind {
	case ModelPatterns:
		p, err := suggest.ParsePatterns(name, bytes.NewReader(data))
		if err != nil {
			return r, err
		}
		r.Source, r.Size = p, p.Len()
	case ModelWordList:
		wl, err := suggest.ParseWordList(name, bytes.NewReader(data))
		if err != nil {
			return r, err
		}
		r.Source, r.Size = wl, wl.Len()
	default:
		return r, fmt.Errorf("unknown kind of rules %q", kind)
	}
	return r, nil
}

// loadRules reads the rule files annotatorID loaded.
func (l *Learner) loadRules(ctx context.Context, store *storage.Store) error {
	kinds, err := store.ModelKinds(ctx, l.AnnotatorID)
	if err != nil {
		return err
	}
	for _, k := range kinds {
		kind, name, ok := strings.Cut(k, ":")
		if !ok || (kind != ModelPatterns && kind != ModelWordList) {
			continue
		}
		m, ok, err := store.LatestModel(ctx, l.AnnotatorID, k)
		if err != nil || !ok {
			return err
		}
		r, err := parseRules(kind, name, m.Data)
		if err != nil {
			return err
		}
		l.Rules = append(l.Rules, r)
	}
	return nil
}

// Sources are the learner's suggesters by the storage source name each
// one's suggestions are kept under.
func (l *Learner) Sources() map[string]suggest.Suggester {
	out := map[string]suggest.Suggester{}
	if l.Tagger != nil {
		out[suggest.SourceTagger] = l.Tagger
	}
	if l.Dictionary != nil && l.Dictionary.Len() > 0 {
		out[suggest.SourceDictionary] = l.Dictionary
	}
	for _, r := range l.Rules {
		out[r.Kind+":"+r.Name] = r.Source
	}
	return out
}

// SuggestFor computes the learner's suggestions for documents docs and
// stores them, replacing each source's earlier ones there. Suggestions
// overlapping a span of the same label the annotator already has are left
// out. It returns how many it stored per source.
func (l *Learner) SuggestFor(ctx context.Context, store *storage.Store, docs []storage.Document) (map[string]int, error) {
	labels, err := labelIDs(ctx, store)
	if err != nil {
		return nil, err
	}
	rejected, err := rejectedTexts(ctx, store, l.AnnotatorID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(docs))
	per := map[string][]storage.Suggestion{}
	for i, d := range docs {
		ids[i] = d.ID
		spans, err := store.Spans(ctx, d.ID, l.AnnotatorID)
		if err != nil {
			return nil, err
		}
		have := make([]suggest.Span, len(spans))
		for k, s := range spans {
			have[k] = suggest.Span{Start: s.Start, End: s.End, Label: s.Label}
		}
		toks := tokens.Tokenize(d.Text)
		rs := []rune(d.Text)
		for src, s := range l.Sources() {
			learned := src == suggest.SourceTagger || src == suggest.SourceDictionary
			for _, g := range suggest.Unseen(s.Match(d.Text, toks), have) {
				if learned {
					// Rejections are negative evidence: a text turned down
					// with a label twice is not proposed with it again, once
					// halves its score.
					switch rejected[rejectKey(g.Label, string(rs[g.Start:g.End]))] {
					case 0:
					case 1:
						g.Score /= 2
					default:
						continue
					}
				}
				id, err := labels.id(ctx, store, g.Label)
				if err != nil {
					return nil, err
				}
				per[src] = append(per[src], storage.Suggestion{DocumentID: d.ID, LabelID: id, Start: g.Start, End: g.End,
					Score: min(max(g.Score, 0), 1), Rule: g.Rule, ModelVersion: l.version(src)})
			}
		}
	}
	written := map[string]int{}
	srcs := l.Sources()
	names := make([]string, 0, len(srcs))
	for src := range srcs {
		names = append(names, src)
	}
	slices.Sort(names)
	for _, src := range names {
		n, err := store.ReplaceSuggestions(ctx, l.AnnotatorID, src, ids, per[src])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src, err)
		}
		written[src] = n
	}
	return written, nil
}

func (l *Learner) version(src string) string {
	if src == suggest.SourceTagger && l.ModelInfo.Version > 0 {
		return fmt.Sprint(l.ModelInfo.Version)
	}
	return ""
}

// rejectedTexts counts, per label and text (ignoring case), how often
// annotatorID rejected a suggestion of that label on that text.
func rejectedTexts(ctx context.Context, store *storage.Store, annotatorID string) (map[string]int, error) {
	rs, err := store.Rejections(ctx, annotatorID)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	texts := map[string][]rune{}
	for _, r := range rs {
		t, ok := texts[r.DocumentID]
		if !ok {
			d, err := store.Document(ctx, r.DocumentID)
			if err != nil {
				return nil, err
			}
			t = []rune(d.Text)
			texts[r.DocumentID] = t
		}
		if r.Start >= 0 && r.End <= len(t) && r.Start < r.End {
			out[rejectKey(r.Label, string(t[r.Start:r.End]))]++
		}
	}
	return out, nil
}

func rejectKey(label, text string) string {
	return strings.ToLower(label) + "\x00" + strings.ToLower(strings.Join(strings.Fields(text), " "))
}

// labelIndex finds label IDs by name, making a label a rule file names
// that the set lacks (as a non-strict import does).
type labelIndex struct {
	set    storage.LabelSet
	byName map[string]string
}

func labelIDs(ctx context.Context, store *storage.Store) (*labelIndex, error) {
	set, err := store.DefaultLabelSet(ctx)
	if err != nil {
		return nil, err
	}
	ls, err := store.Labels(ctx, set.ID)
	if err != nil {
		return nil, err
	}
	ix := &labelIndex{set: set, byName: map[string]string{}}
	for _, l := range ls {
		ix.byName[strings.ToLower(l.Name)] = l.ID
	}
	return ix, nil
}

func (ix *labelIndex) id(ctx context.Context, store *storage.Store, name string) (string, error) {
	if id, ok := ix.byName[strings.ToLower(name)]; ok {
		return id, nil
	}
	l, _, err := store.EnsureLabel(ctx, ix.set.ID, name)
	if err != nil {
		return "", err
	}
	ix.byName[strings.ToLower(name)] = l.ID
	return l.ID, nil
}

// Trained says when the tagger was trained, for the window.
func (l *Learner) Trained() time.Time { return l.ModelInfo.Created }
