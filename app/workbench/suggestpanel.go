package workbench

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"gloss/app/library"
	"gloss/app/suggest"
)

// showSuggestionsPanel is Suggestions ▸ Sources and threshold…: every
// source with what it learned from and how it scores, the threshold, and
// the switch for suggestions as a whole.
func (w *Workbench) showSuggestionsPanel() {
	if w.me.ID == "" {
		return
	}
	body := container.NewVBox()
	var fill func()
	fill = func() {
		body.RemoveAll()
		on := widget.NewCheck("Show suggestions", nil)
		on.SetChecked(!w.app.Preferences().Bool(prefSuggestOff))
		on.OnChanged = func(b bool) {
			if b == w.app.Preferences().Bool(prefSuggestOff) {
				w.toggleSuggestions()
			}
		}
		thr := widget.NewSlider(0, 1)
		thr.Step = 0.05
		thr.SetValue(w.threshold())
		thrLabel := widget.NewLabel("Shown from " + percent(w.threshold()))
		thr.OnChanged = func(v float64) { thrLabel.SetText("Shown from " + percent(v)) }
		thr.OnChangeEnded = func(v float64) {
			w.app.Preferences().SetFloat(prefSuggestThreshold, v)
			w.loadSuggestions()
			w.showSpans()
			w.say(fmt.Sprintf("Suggestions are shown from a score of %s (%s here)", percent(v), count(len(w.suggs), "suggestion")))
		}
		body.Add(on)
		body.Add(container.NewBorder(nil, nil, thrLabel, nil, thr))
		body.Add(widget.NewSeparator())
		for _, s := range w.sourceRows() {
			title := widget.NewLabelWithStyle(s.title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			if s.source != "" {
				src := s.source
				use := widget.NewCheck("On", func(on bool) {
					w.app.Preferences().SetBool(prefSuggestSourceOff+src, !on)
					w.loadSuggestions()
					w.showSpans()
				})
				use.SetChecked(!w.sourceOff(src))
				body.Add(container.NewBorder(nil, nil, nil, use, title))
			} else {
				body.Add(title)
			}
			state := widget.NewLabel(s.state)
			state.Wrapping = fyne.TextWrapWord
			body.Add(state)
			if s.scores != "" {
				sc := widget.NewLabel(s.scores)
				sc.TextStyle = fyne.TextStyle{Monospace: true}
				body.Add(sc)
			}
		}
		buttons := container.NewHBox(
			widget.NewButton("Add patterns file…", func() { w.addRules(library.ModelPatterns, fill) }),
			widget.NewButton("Add word list…", func() { w.addRules(library.ModelWordList, fill) }),
			widget.NewButton("Retrain now", func() { w.runLearner(true); w.say("Retraining in the background…") }),
		)
		body.Add(widget.NewSeparator())
		body.Add(buttons)
	}
	fill()
	d := dialog.NewCustom("Suggestions", "Close", container.NewVScroll(body), w.win)
	d.Resize(fyne.NewSize(640, 560))
	w.show(d)
}

// sourceRow is one source in the panel.
type sourceRow struct{ source, title, state, scores string }

// sourceRows describes the learner's sources.
func (w *Workbench) sourceRows() []sourceRow {
	lr := w.learn.learner
	if lr == nil {
		return []sourceRow{{title: "Learned tagger", state: "Not trained yet: label a few spans and it learns from them in the background."}}
	}
	var rows []sourceRow
	t := lr.Training
	if lr.Tagger == nil {
		rows = append(rows, sourceRow{title: "Learned tagger", state: "Not trained yet: label a few spans and it learns from them in the background."})
	} else {
		state := fmt.Sprintf("Version %d, trained %s on %s in %s (%s), in %s.",
			lr.ModelInfo.Version, lr.ModelInfo.Created.Local().Format(time.DateTime), count(t.Spans, "span"), count(t.Documents, "document"),
			whichTraining(t.Which), lr.Tagger.Summary.Duration.Round(time.Millisecond))
		row := sourceRow{source: suggest.SourceTagger, title: "Learned tagger (one per label: " + strings.Join(lr.Tagger.Labels, ", ") + ")", state: state}
		if lr.Evaluation != nil {
			row.scores = scoresText(lr.Evaluation)
		} else {
			row.state += fmt.Sprintf(" Its precision and recall are measured on held-out documents once %d are labelled.", library.EvaluationFloor)
		}
		rows = append(rows, row)
	}
	rows = append(rows, sourceRow{source: suggest.SourceDictionary, title: "Your labels as a dictionary",
		state: fmt.Sprintf("%s you labelled, proposed where they occur unlabelled, scored by how often the text got that label. It also shows where a text you labelled was left unlabelled elsewhere.",
			count(lr.Dictionary.Len(), "text"))})
	for _, r := range lr.Rules {
		what := "patterns"
		if r.Kind == library.ModelWordList {
			what = "words"
		}
		rows = append(rows, sourceRow{source: r.Kind + ":" + r.Name, title: r.Name, state: fmt.Sprintf("%d %s, run on every document.", r.Size, what)})
	}
	return rows
}

func whichTraining(which string) string {
	if which == "done" {
		return "the documents you marked done"
	}
	return "every document you labelled, as none is marked done yet"
}

// scoresText is a held-out evaluation as a small table.
func scoresText(ev *suggest.Evaluation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Held out: %s\n%-12s %9s %7s %6s\n", count(ev.Documents, "document"), "label", "precision", "recall", "F1")
	labels := make([]string, 0, len(ev.Labels))
	for l := range ev.Labels {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	for _, l := range labels {
		s := ev.Labels[l]
		fmt.Fprintf(&b, "%-12s %9.2f %7.2f %6.2f\n", l, s.Precision, s.Recall, s.F1)
	}
	return strings.TrimRight(b.String(), "\n")
}

// addRules asks for a pattern file or word list, checks it (a bad line is
// refused with its file and line) and keeps it for the analyst.
func (w *Workbench) addRules(kind string, then func()) {
	w.pickFile([]string{".jsonl", ".json", ".txt", ".tsv"}, func(path string) {
		r, err := library.AddRules(w.ctx, w.store, w.editor().ID, kind, path)
		w.markSeen()
		if err != nil {
			w.report("The file was not added", err)
			return
		}
		w.say(fmt.Sprintf("✓ Added %s (%d entries); it runs on every document", r.Name, r.Size))
		w.runLearner(false)
		then()
	})
}
