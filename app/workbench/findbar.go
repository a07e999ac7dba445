package workbench

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gloss/app/find"
	"gloss/storage"
)

// findBar is Ctrl+F: a query over the open document, its matches
// highlighted as the analyst types, Enter / Shift+Enter to the next and
// previous one (which becomes the selection, so 1–9 labels it), Escape
// back to the article.
type findBar struct {
	box                  *fyne.Container
	entry                *findEntry
	matchCase, word, rgx *widget.Check
	count                *widget.Label
	text                 *find.Text // the open document, prepared
	docID                string
	matches              [][2]int
	cur                  int
	labelAll             *widget.Button
}

// findEntry is the query field: Enter and Shift+Enter step, Escape closes.
type findEntry struct {
	widget.Entry
	shift    bool
	onStep   func(dir int)
	onEscape func()
}

func (e *findEntry) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if e.shift {
			e.onStep(-1)
		} else {
			e.onStep(1)
		}
	case fyne.KeyEscape:
		e.onEscape()
	default:
		e.Entry.TypedKey(ev)
	}
}

// KeyDown and KeyUp track Shift, which Fyne does not pass with TypedKey.
func (e *findEntry) KeyDown(ev *fyne.KeyEvent) {
	if ev.Name == "LeftShift" || ev.Name == "RightShift" {
		e.shift = true
	}
}

func (e *findEntry) KeyUp(ev *fyne.KeyEvent) {
	if ev.Name == "LeftShift" || ev.Name == "RightShift" {
		e.shift = false
	}
}

func (w *Workbench) buildFindBar() fyne.CanvasObject {
	f := &findBar{cur: -1}
	f.entry = &findEntry{onStep: w.findStep, onEscape: w.closeFind}
	f.entry.ExtendBaseWidget(f.entry)
	f.entry.SetPlaceHolder("Find in this document")
	f.entry.OnChanged = func(string) { w.runFind() }
	f.matchCase = widget.NewCheck("Aa", func(bool) { w.runFind() })
	f.word = widget.NewCheck("Word", func(bool) { w.runFind() })
	f.rgx = widget.NewCheck(".*", func(bool) { w.runFind() })
	f.count = widget.NewLabel("")
	prev := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { w.findStep(-1) })
	next := widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { w.findStep(1) })
	f.labelAll = widget.NewButton("Label all…", w.labelAllMatches)
	closeB := widget.NewButtonWithIcon("", theme.CancelIcon(), w.closeFind)
	closeB.Importance = widget.LowImportance
	f.box = container.NewBorder(nil, nil, nil,
		container.NewHBox(f.matchCase, f.word, f.rgx, f.count, prev, next, f.labelAll, closeB), f.entry)
	f.box.Hide()
	w.find = f
	return f.box
}

// openFind shows the bar with the keyboard in it.
func (w *Workbench) openFind() {
	if w.doc == nil || w.find == nil {
		return
	}
	w.find.box.Show()
	if start, end, ok := w.text.Selection(); ok && end > start && end-start < 200 && w.find.entry.Text == "" {
		w.find.entry.SetText(string([]rune(w.doc.Text)[start:end]))
	}
	w.win.Canvas().Focus(w.find.entry)
	w.runFind()
}

// closeFind hides the bar, leaves the current match selected and gives the
// keyboard back to the article.
func (w *Workbench) closeFind() {
	if w.find == nil {
		return
	}
	w.find.box.Hide()
	w.text.SetHighlights(nil, -1)
	w.win.Canvas().Focus(w.text)
}

// query is the bar's query.
func (f *findBar) query() find.Query {
	return find.Query{Text: f.entry.Text, CaseSensitive: f.matchCase.Checked, WholeWord: f.word.Checked, Regex: f.rgx.Checked}
}

// runFind matches the query against the open document (as the analyst
// types) and highlights every match.
func (w *Workbench) runFind() {
	f := w.find
	if f == nil || w.doc == nil || !f.box.Visible() {
		return
	}
	if f.docID != w.doc.ID {
		f.text, f.docID = find.New(w.doc.Text), w.doc.ID
	}
	ms, err := f.text.All(f.query())
	if err != nil {
		f.matches, f.cur = nil, -1
		f.count.SetText("bad expression")
		w.text.SetHighlights(nil, -1)
		return
	}
	f.matches = ms
	f.cur = -1
	start, _, _ := w.text.Selection()
	for i, m := range ms { // the first match at or after the caret
		if m[0] >= start {
			f.cur = i
			break
		}
	}
	if f.cur < 0 && len(ms) > 0 {
		f.cur = 0
	}
	w.showFind()
}

// findStep goes to the next (1) or previous (-1) match, wrapping, and makes
// it the selection.
func (w *Workbench) findStep(dir int) {
	f := w.find
	if f == nil || len(f.matches) == 0 {
		return
	}
	f.cur = (f.cur + dir + len(f.matches)) % len(f.matches)
	w.showFind()
	m := f.matches[f.cur]
	w.text.SelectSpan("")
	w.text.SetSelection(m[0], m[1])
	w.selectionChanged()
}

func (w *Workbench) showFind() {
	f := w.find
	switch {
	case f.entry.Text == "":
		f.count.SetText("")
	case len(f.matches) == 0:
		f.count.SetText("no match")
	default:
		f.count.SetText(fmt.Sprintf("%d of %d", f.cur+1, len(f.matches)))
	}
	setEnabled(f.labelAll, len(f.matches) > 0 && !w.readOnly())
	w.text.SetHighlights(f.matches, f.cur)
}

// labelOtherOccurrences is Edit ▸ Label every occurrence of this span: the
// find bar on the selected span's text, and the preview with its label.
func (w *Workbench) labelOtherOccurrences() {
	s, ok := w.spanByID(w.text.SelectedSpan())
	if !ok {
		w.say("Select a span first: its text is then found and labelled wherever it occurs in this document.")
		return
	}
	w.openFind()
	w.find.rgx.SetChecked(false)
	w.find.entry.SetText(s.Text)
	for i, l := range w.labels {
		if l.ID == s.LabelID {
			w.labelAllMatchesAs(i)
			return
		}
	}
	w.labelAllMatches()
}

// labelAllMatches labels every match in the document, after a preview with
// a box per match (those the label covers already are off), as one
// undoable step.
func (w *Workbench) labelAllMatches() { w.labelAllMatchesAs(0) }

func (w *Workbench) labelAllMatchesAs(labelIndex int) {
	f := w.find
	if f == nil || len(f.matches) == 0 || w.refuseReadOnly() || len(w.labels) == 0 {
		return
	}
	var names []string
	for _, l := range w.labels {
		names = append(names, l.Name)
	}
	pick := widget.NewSelect(names, nil)
	pick.SetSelectedIndex(labelIndex)
	list := container.NewVBox()
	checks := make([]*widget.Check, len(f.matches))
	fill := func() {
		list.RemoveAll()
		l := w.labels[max(pick.SelectedIndex(), 0)]
		for i, m := range f.matches {
			before := f.text.Slice(max(m[0]-30, 0), m[0])
			after := f.text.Slice(m[1], min(m[1]+30, f.text.Len()))
			c := widget.NewCheck(fmt.Sprintf("%d–%d  …%s[%s]%s…", m[0], m[1], oneLine(before), f.text.Slice(m[0], m[1]), oneLine(after)), nil)
			c.SetChecked(!w.hasSpan(l.ID, m[0], m[1]))
			checks[i] = c
			list.Add(c)
		}
	}
	pick.OnChanged = func(string) { fill() }
	fill()
	content := container.NewBorder(container.NewHBox(widget.NewLabel("Label"), pick), nil, nil, nil, container.NewVScroll(list))
	d := dialog.NewCustomConfirm(fmt.Sprintf("Label every “%s”", clip(f.entry.Text)), "Label the checked ones", "Cancel", content, func(ok bool) {
		if !ok {
			return
		}
		l := w.labels[max(pick.SelectedIndex(), 0)]
		var edits []storage.Edit
		for i, m := range f.matches {
			if checks[i].Checked {
				edits = append(edits, storage.Edit{Kind: storage.EditCreateSpan, LabelID: l.ID, Start: m[0], End: m[1]})
			}
		}
		w.applyMany(l, edits)
	}, w.win)
	d.Resize(fyne.NewSize(720, 480))
	w.show(d)
}

// hasSpan says whether the layer has a span of label on [a, b).
func (w *Workbench) hasSpan(labelID string, a, b int) bool {
	for _, s := range w.spans {
		if s.LabelID == labelID && s.Start == a && s.End == b {
			return true
		}
	}
	return false
}

// applyMany makes spans in the open document as one undoable step.
func (w *Workbench) applyMany(l storage.Label, edits []storage.Edit) {
	if len(edits) == 0 {
		w.say("Nothing to label: every box was off.")
		return
	}
	made, st, err := w.store.ApplyBatch(w.ctx, w.doc.ID, w.editor().ID, edits)
	if err != nil {
		w.fail("Could not label the matches", err)
		return
	}
	for _, s := range made {
		w.putSpan(s)
	}
	w.afterEdit(fmt.Sprintf("Labelled %s as %s (%d already were) — one Ctrl+Z takes them back",
		count(len(made), "occurrence"), l.Name, len(edits)-len(made)), st)
	w.runFind()
}

func oneLine(s string) string {
	out := []rune(s)
	for i, r := range out {
		if r == '\n' || r == '\r' || r == '\t' {
			out[i] = ' '
		}
	}
	return string(out)
}
