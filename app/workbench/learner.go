package workbench

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"gloss/app/library"
	"gloss/storage"
)

// retrainDelay is how long the analyst's edits must pause before the
// tagger retrains: one run after a burst of labelling, not one per key.
const retrainDelay = 1500 * time.Millisecond

// learning runs the suggestion sources off the UI thread: at most one
// training at a time and at most one more queued behind it.
type learning struct {
	// run starts work off the UI thread and after runs f once the edits
	// pause; tests make both synchronous, since Fyne's test driver runs
	// fyne.Do on the calling goroutine.
	run   func(f func())
	after func(d time.Duration, f func()) *time.Timer

	mu      sync.Mutex
	timer   *time.Timer
	running bool
	again   bool
	// writing counts the background writes in flight, so that the watcher
	// does not take them for another program's.
	writing atomic.Int32
	learner *library.Learner // the latest, read and replaced on the UI thread
}

// startLearning loads the analyst's stored tagger and rule files, then
// suggests for the open document.
func (w *Workbench) startLearning() {
	if w.learn.run == nil {
		w.learn.run = func(f func()) { go f() }
		w.learn.after = time.AfterFunc
	}
	w.onTrained = w.scheduleRetrain
	w.runLearner(false)
}

// scheduleRetrain retrains after the edits pause.
func (w *Workbench) scheduleRetrain() {
	l := &w.learn
	l.mu.Lock()
	if l.timer != nil {
		l.timer.Stop()
	}
	l.mu.Unlock()
	t := l.after(retrainDelay, func() { w.runLearner(true) }) // (may run at once, in tests)
	l.mu.Lock()
	l.timer = t
	l.mu.Unlock()
}

// runLearner trains (or loads) in the background and then suggests for
// the document open at that moment. A request while one runs is queued;
// more requests fold into that one.
func (w *Workbench) runLearner(train bool) {
	l := &w.learn
	if l.run == nil {
		// Not started yet (the first start's name prompt is answered
		// before startLearning): startLearning runs it.
		return
	}
	l.mu.Lock()
	if l.running {
		l.again = l.again || train
		l.mu.Unlock()
		return
	}
	l.running = true
	l.mu.Unlock()
	annotator := w.editor()
	l.run(func() {
		for {
			w.learnOnce(annotator, train)
			l.mu.Lock()
			if !l.again {
				l.running = false
				l.mu.Unlock()
				return
			}
			l.again, train = false, true
			l.mu.Unlock()
		}
	})
}

// learnOnce is one background run.
func (w *Workbench) learnOnce(who storage.Annotator, train bool) {
	if who.ID == "" {
		return
	}
	w.learn.writing.Add(1)
	defer w.learn.writing.Add(-1)
	started := time.Now()
	lr, err := library.Learn(w.ctx, w.store, who.ID, train, 1)
	if err != nil {
		// Nobody asked for this run: the status line says it, no dialog.
		fyne.Do(func() { w.problem("The suggestions could not learn", err, nil, true) })
		return
	}
	took := time.Since(started)
	fyne.Do(func() {
		if w.editor().ID != who.ID {
			return // the layer changed meanwhile
		}
		w.learn.learner = lr
		w.suggestForOpen()
		w.showLearner(lr, took)
	})
}

// suggestForOpen runs the learner on the open document (in the
// background: the tagger and a write) and shows what it proposes.
func (w *Workbench) suggestForOpen() {
	lr := w.learn.learner
	if lr == nil || w.doc == nil || !w.suggestionsShown() || lr.AnnotatorID != w.editor().ID {
		return
	}
	doc := *w.doc
	w.learn.writing.Add(1)
	w.learn.run(func() {
		defer w.learn.writing.Add(-1)
		_, err := lr.SuggestFor(w.ctx, w.store, []storage.Document{doc})
		fyne.Do(func() {
			w.markSeen()
			if err != nil {
				w.problem("Could not store the suggestions", err, nil, true)
				return
			}
			if w.doc != nil && w.doc.ID == doc.ID {
				w.loadSuggestions()
				w.showSpans()
			}
		})
	})
}

// showLearner says in the status bar what the suggestions learned from
// (without taking the status line, which says what was just saved).
func (w *Workbench) showLearner(lr *library.Learner, took time.Duration) {
	if w.learnInfo == nil {
		return
	}
	if lr.Tagger == nil {
		w.learnInfo.SetText("")
		return
	}
	w.learnInfo.SetText(fmt.Sprintf("suggestions: tagger v%d, %s (%s)", lr.ModelInfo.Version,
		count(lr.Training.Spans, "span"), took.Round(time.Millisecond)))
}
