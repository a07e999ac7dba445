package workbench

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// Ctrl+F: matches highlighted as the analyst types, Enter walks them and
// selects the current one, Escape gives the keyboard back with the match
// selected so a label key labels it.
func TestFindBar(t *testing.T) {
	w, store, _ := open(t)
	shortcut(w, key(ctrl, fyne.KeyF))
	if !w.find.box.Visible() || w.win.Canvas().Focused() != w.find.entry {
		t.Fatal("Ctrl+F did not open the find bar with the keyboard in it")
	}
	test.Type(w.find.entry, "the")
	hl, cur := w.text.Highlights()
	if len(hl) != 2 || cur != 0 || w.find.count.Text != "1 of 2" {
		t.Fatalf("matches %v, current %d, count %q", hl, cur, w.find.count.Text)
	}
	// "the" after the emoji is at code point 10 (👍🏽 is two code points).
	if hl[0] != [2]int{10, 13} {
		t.Errorf("first match %v, want [10 13]", hl[0])
	}
	w.find.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if s, e, ok := w.text.Selection(); !ok || s != hl[1][0] || e != hl[1][1] {
		t.Fatalf("Enter did not select the next match: %d %d %v", s, e, ok)
	}
	w.find.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if w.find.box.Visible() || w.win.Canvas().Focused() != w.text {
		t.Error("Escape did not close the bar and go back to the article")
	}
	w.typedRune('1')
	if ss := spansOf(t, store, w); len(ss) != 1 || !strings.EqualFold(ss[0].Text, "the") {
		t.Errorf("the selected match was not labelled: %+v", ss)
	}
	// Whole words and regular expressions.
	w.openFind()
	w.find.entry.SetText("counc")
	if hl, _ = w.text.Highlights(); len(hl) != 1 {
		t.Errorf("part of a word: %v", hl)
	}
	w.find.word.SetChecked(true)
	if hl, _ = w.text.Highlights(); len(hl) != 0 {
		t.Errorf("whole word: %v (counc is part of council)", hl)
	}
	w.find.word.SetChecked(false)
	w.find.rgx.SetChecked(true)
	w.find.entry.SetText(`\d+`)
	if hl, _ = w.text.Highlights(); len(hl) != 2 {
		t.Errorf("regex \\d+: %v", hl)
	}
	w.find.entry.SetText(`(`)
	if w.find.count.Text != "bad expression" {
		t.Errorf("a bad expression: %q", w.find.count.Text)
	}
}

// Label all: a preview with a box per match, applied as one undoable step.
func TestLabelEveryOccurrence(t *testing.T) {
	w, store, _ := open(t)
	w.openFind()
	w.find.entry.SetText("the")
	w.labelAllMatches()
	var checks []*widget.Check
	collect(t, w.win.Canvas().Overlays().Top(), &checks)
	if len(checks) != 2 {
		t.Fatalf("%d boxes in the preview, want 2", len(checks))
	}
	var buttons []*widget.Button
	collect(t, w.win.Canvas().Overlays().Top(), &buttons)
	for _, b := range buttons {
		if b.Text == "Label the checked ones" {
			b.OnTapped()
		}
	}
	if ss := spansOf(t, store, w); len(ss) != 2 {
		t.Fatalf("label all made %d spans", len(ss))
	}
	w.undo()
	if ss := spansOf(t, store, w); len(ss) != 0 {
		t.Errorf("one undo left %d spans", len(ss))
	}
}

// The span browser lists every span, filters and pages them, opens one in
// its document, and relabels and deletes from the list (undoable).
func TestSpanBrowser(t *testing.T) {
	w, store, _ := open(t)
	w.text.SetSelection(31, 38)
	w.typedRune('2')
	w.text.SelectSpan("")
	w.text.SetSelection(14, 21)
	w.typedRune('1')
	w.showSpanBrowser()
	b := w.browser
	if b.total != 2 || b.status.Text != "2 spans" {
		t.Fatalf("browser: %d, %q", b.total, b.status.Text)
	}
	b.filter.Text = "280"
	b.reload()
	if b.total != 1 {
		t.Fatalf("text filter: %d", b.total)
	}
	b.sel = 0
	b.open(0)
	if w.text.SelectedSpan() == "" {
		t.Error("opening a row did not select its span")
	}
	b.key('3') // relabel as Proposal
	if ss := spansOf(t, store, w); ss[1].Label != "Proposal" && ss[0].Label != "Proposal" {
		t.Errorf("relabel from the browser: %+v", ss)
	}
	b.filter.Text = ""
	b.reload()
	b.sel = 0
	b.delete()
	if n := len(spansOf(t, store, w)); n != 1 {
		t.Errorf("after delete from the browser: %d spans", n)
	}
	w.undo()
	if n := len(spansOf(t, store, w)); n != 2 {
		t.Errorf("undo after a delete from the browser: %d spans", n)
	}
	b.win.Close()
}

// From a selected span: label every other occurrence of its text with its
// label, the one already labelled off in the preview.
func TestLabelOtherOccurrencesOfASpan(t *testing.T) {
	w, store, _ := open(t)
	w.text.SetSelection(10, 13) // "the"
	w.typedRune('2')
	w.labelOtherOccurrences()
	var checks []*widget.Check
	collect(t, w.win.Canvas().Overlays().Top(), &checks)
	on := 0
	for _, c := range checks {
		if c.Checked {
			on++
		}
	}
	if len(checks) != 2 || on != 1 {
		t.Fatalf("%d boxes, %d on; want 2 with the labelled one off", len(checks), on)
	}
	var buttons []*widget.Button
	collect(t, w.win.Canvas().Overlays().Top(), &buttons)
	for _, b := range buttons {
		if b.Text == "Label the checked ones" {
			b.OnTapped()
		}
	}
	ss := spansOf(t, store, w)
	if len(ss) != 2 || ss[0].Label != "Figure" || ss[1].Label != "Figure" {
		t.Errorf("spans %+v", ss)
	}
}
