package workbench

import (
	"context"
	"fmt"
	"image/color"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gloss/storage"
)

// searchShown is how many matches the search pane lists: the rest are
// counted, not read into rows, so a common word in 100,000 documents costs
// one pass and 2,000 rows.
const searchShown = 2000

// searchDelay is how long the query must rest before it is searched.
const searchDelay = 150 * time.Millisecond

// searchPane is Edit ▸ Search the corpus (Ctrl+Shift+F): a query over
// every document, searched as the analyst types, off the UI goroutine; its
// matches in context, grouped by document, in a virtual list. A click (or
// Enter) opens the match in the main window, selected, so a label key
// labels it; Label all… labels the matches, after a preview, in one
// transaction.
type searchPane struct {
	w   *Workbench
	win fyne.Window

	entry           *searchEntry
	mode            *widget.RadioGroup
	matchCase, word *widget.Check
	status, layer   *widget.Select
	label           *widget.Select
	labelAll        *widget.Button
	summary         *widget.Label
	note            *widget.Label // what the last action did
	list            *resultList
	people          []storage.Annotator

	// What the list shows: the query searched, its matches (the first
	// limit), the rows made of them, the current row.
	q       storage.SearchQuery
	res     searchResult
	groups  []resultGroup
	rows    []resultRow
	cur     int
	walking bool // the list's selection is being moved by a key: do not open

	limit   int                                         // searchShown; tests lower it
	after   func(d time.Duration, f func()) *time.Timer // time.AfterFunc; tests run f at once
	gen     atomic.Int64                                // the latest query's number
	timer   *time.Timer                                 // the pending query (UI goroutine)
	mu      sync.Mutex                                  // guards cancel
	cancel  context.CancelFunc                          // the running search's
	dialog  dialog.Dialog                               // the open preview, if any
	preview *labelPreview                               // its state
	states  []storage.Status                            // the status choice's values
}

// searchResult is what one search found: the first matches, and the
// counts of all.
type searchResult struct {
	matches  []storage.SearchMatch
	total    int // matches
	docs     int // documents with a match
	lastMore int // matches of the last listed document beyond the limit
	counting bool
}

// resultGroup is one document's matches in the list.
type resultGroup struct {
	docID, title string
	first, n     int // its matches: res.matches[first : first+n]
	total        int // n, or more when the limit cut the group
}

// resultRow is a row of the list: a group's header (match < 0) or one of
// its matches (an index into res.matches).
type resultRow struct{ group, match int }

// showSearchPane opens the search pane, or brings it back to the front.
func (w *Workbench) showSearchPane() {
	if p := w.search; p != nil {
		p.win.Show()
		p.win.RequestFocus()
		p.prefill()
		p.win.Canvas().Focus(p.entry)
		return
	}
	p := &searchPane{w: w, cur: -1, limit: searchShown, after: time.AfterFunc}
	p.win = w.app.NewWindow("Search — Gloss")
	escapeCloses(p.win)

	p.entry = &searchEntry{pane: p}
	p.entry.ExtendBaseWidget(p.entry)
	p.entry.SetPlaceHolder(`Search every document: words, "a phrase", prefix*`)
	p.entry.OnChanged = func(string) { p.changed() }
	p.mode = widget.NewRadioGroup([]string{"Words", "Substring", "Regex"}, func(string) { p.changed() })
	p.mode.Horizontal, p.mode.Required = true, true
	p.mode.SetSelected("Words")
	p.matchCase = widget.NewCheck("Aa", func(bool) { p.changed() })
	p.word = widget.NewCheck("Word", func(bool) { p.changed() })

	p.states = append([]storage.Status{""}, storage.Statuses...)
	var statusNames []string
	for _, s := range p.states {
		statusNames = append(statusNames, statusChoice(s))
	}
	p.status = widget.NewSelect(statusNames, func(string) { p.changed() })
	p.people, _ = w.analysts()
	whoNames := []string{"Everyone"}
	for _, a := range p.people {
		whoNames = append(whoNames, a.Name)
	}
	p.layer = widget.NewSelect(whoNames, func(string) { p.changed() })
	p.label = widget.NewSelect(append([]string{"Any label"}, labelNames(w.labels)...), func(string) { p.changed() })
	p.labelAll = widget.NewButton("Label all…", p.showLabelAll)
	p.labelAll.Disable()

	p.summary = widget.NewLabel("")
	p.summary.Truncation = fyne.TextTruncateEllipsis
	p.note = widget.NewLabel("")
	p.note.Truncation = fyne.TextTruncateEllipsis
	p.list = newResultList(p)
	help := widget.NewLabel("↑/↓ or j/k: next, previous match · n/p: next, previous document · Enter or click: open it in the main window · 1–9: label it · other keys: the query · Esc: close")
	help.Importance = widget.LowImportance
	help.Wrapping = fyne.TextWrapWord // the whole of it, on two lines in a narrow pane

	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewHBox(p.mode, p.matchCase, p.word), p.entry),
		container.NewGridWithColumns(4, p.status, p.layer, p.label, p.labelAll),
		p.summary)
	p.win.SetContent(container.NewBorder(top, container.NewVBox(p.note, help), nil, nil, p.list))
	p.win.Canvas().SetOnTypedKey(p.typedKey)
	p.win.Canvas().SetOnTypedRune(func(r rune) { p.typedRune(r) })
	for _, k := range []fyne.Shortcut{key(ctrl, fyne.KeyF), key(ctrlShift, fyne.KeyF)} {
		p.win.Canvas().AddShortcut(k, func(fyne.Shortcut) { p.win.Canvas().Focus(p.entry) })
	}
	p.win.SetOnClosed(p.closed)
	p.win.Resize(fyne.NewSize(1000, 700))
	w.search = p
	// The choices' first values, set without searching yet.
	p.status.SetSelectedIndex(0)
	p.layer.SetSelectedIndex(0)
	p.label.SetSelectedIndex(0)
	p.prefill()
	p.changed()
	p.win.Show()
	p.win.Canvas().Focus(p.entry)
}

// prefill puts the main window's selection, when it is a few words, into
// an empty query (as Ctrl+F does).
func (p *searchPane) prefill() {
	if p.entry.Text != "" || p.w.doc == nil {
		return
	}
	if start, end, ok := p.w.text.Selection(); ok && end > start && end-start < 200 {
		p.entry.SetText(p.w.text.SelectedText())
	}
}

// closed stops the search in flight and forgets the pane.
func (p *searchPane) closed() {
	p.gen.Add(1)
	if p.timer != nil {
		p.timer.Stop()
	}
	p.mu.Lock()
	if p.cancel != nil {
		p.cancel()
	}
	p.mu.Unlock()
	if p.w.search == p {
		p.w.search = nil
	}
}

// query is the pane's query as the choices stand.
func (p *searchPane) query() storage.SearchQuery {
	q := storage.SearchQuery{Text: p.entry.Text, CaseSensitive: p.matchCase.Checked}
	switch p.mode.Selected {
	case "Substring":
		q.Mode = storage.SearchSubstring
	case "Regex":
		q.Mode = storage.SearchRegex
	default:
		q.Mode = storage.SearchWords
	}
	q.WholeWord = p.word.Checked && q.Mode != storage.SearchWords
	if i := p.status.SelectedIndex(); i > 0 {
		q.Status = p.states[i]
	}
	if i := p.layer.SelectedIndex(); i > 0 {
		q.AnnotatorID = p.people[i-1].ID
	}
	if i := p.label.SelectedIndex(); i > 0 {
		q.Label = p.label.Options[i]
	}
	return q
}

// changed searches again once the query rests: the pending query is
// dropped and the running one cancelled.
func (p *searchPane) changed() {
	if p.word == nil || p.label == nil || p.list == nil {
		return // still being built
	}
	setEnabled(p.word, p.mode.Selected != "Words") // words are always whole
	g := p.gen.Add(1)
	if p.timer != nil {
		p.timer.Stop()
	}
	p.mu.Lock()
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
	p.mu.Unlock()
	q := p.query()
	if strings.TrimSpace(q.Text) == "" {
		p.show(g, q, searchResult{}, nil)
		return
	}
	p.timer = p.after(searchDelay, func() { p.search(g, q) })
}

// search runs query number g off the UI goroutine and hands what it finds
// to show: the listed matches as soon as there are limit of them, then the
// counts.
func (p *searchPane) search(g int64, q storage.SearchQuery) {
	if p.gen.Load() != g {
		return
	}
	ctx, cancel := context.WithCancel(p.w.ctx)
	defer cancel()
	p.mu.Lock()
	if p.cancel != nil {
		p.cancel()
	}
	p.cancel = cancel
	p.mu.Unlock()
	// Search may index the documents imported since the last search: the
	// window's own write, which the watcher must not take for another
	// program's.
	w := p.w
	w.learn.writing.Add(1)
	defer w.learn.writing.Add(-1)
	var r searchResult
	last := ""
	err := w.store.Search(ctx, q, func(m storage.SearchMatch) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if m.DocumentID != last {
			r.docs++
			last = m.DocumentID
		}
		r.total++
		switch n := len(r.matches); {
		case n < p.limit:
			r.matches = append(r.matches, m)
			if n+1 == p.limit {
				first := r
				first.counting = true
				fyne.Do(func() { p.show(g, q, first, nil) })
			}
		case m.DocumentID == r.matches[n-1].DocumentID:
			r.lastMore++
		}
		return nil
	})
	if ctx.Err() != nil {
		return // a newer query took over, or the pane closed
	}
	fyne.Do(func() {
		w.markSeen()
		p.show(g, q, r, err)
	})
}

// show puts what query number g found into the list, unless a newer
// query was typed meanwhile.
func (p *searchPane) show(g int64, q storage.SearchQuery, r searchResult, err error) {
	if g != p.gen.Load() {
		return
	}
	p.summary.Importance = widget.MediumImportance
	if err != nil {
		r = searchResult{}
	}
	// The counts of the matches listed already: the rows stay as they are.
	same := len(r.matches) > 0 && len(r.matches) == len(p.res.matches) && &r.matches[0] == &p.res.matches[0]
	p.q, p.res = q, r
	if !same {
		p.groups, p.rows = groupMatches(r.matches), nil
		for gi, gr := range p.groups {
			p.rows = append(p.rows, resultRow{group: gi, match: -1})
			for k := range gr.n {
				p.rows = append(p.rows, resultRow{group: gi, match: gr.first + k})
			}
		}
		p.cur = -1
		p.list.UnselectAll()
		p.list.ScrollToTop()
	}
	if n := len(p.groups); n > 0 {
		p.groups[n-1].total = p.groups[n-1].n + r.lastMore
	}
	p.list.Refresh()
	setEnabled(p.labelAll, len(r.matches) > 0)
	switch {
	case err != nil:
		p.summary.Importance = widget.DangerImportance
		p.summary.SetText("✗ " + searchError(err))
	case strings.TrimSpace(q.Text) == "":
		p.summary.SetText("")
	case r.total == 0:
		p.summary.SetText("No match")
	case r.counting:
		p.summary.SetText(fmt.Sprintf("Showing the first %s; counting the rest…", countGrouped(len(r.matches), "match")))
	case r.total > len(r.matches):
		p.summary.SetText(fmt.Sprintf("Showing the first %s of %s in %s", grouped(len(r.matches)), countGrouped(r.total, "match"), countGrouped(r.docs, "document")))
	default:
		p.summary.SetText(fmt.Sprintf("%s in %s", countGrouped(r.total, "match"), countGrouped(r.docs, "document")))
	}
}

// groupMatches makes a group of each document's matches (they come by
// document).
func groupMatches(ms []storage.SearchMatch) []resultGroup {
	var out []resultGroup
	for i, m := range ms {
		if len(out) == 0 || out[len(out)-1].docID != m.DocumentID {
			out = append(out, resultGroup{docID: m.DocumentID, title: m.Title, first: i})
		}
		g := &out[len(out)-1]
		g.n++
		g.total++
	}
	return out
}

// searchError is a refused query as the analyst should read it: without
// the layers of wrapping, and without the (?i) the store puts before a
// regular expression that ignores case.
func searchError(err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "search: ")
	msg = strings.TrimPrefix(msg, storage.ErrInvalidSearch.Error()+": ")
	return strings.Replace(msg, "`(?i)", "`", 1)
}

// match is row i's match: a match row's, or a header's first match.
func (p *searchPane) match(i int) (storage.SearchMatch, bool) {
	if i < 0 || i >= len(p.rows) {
		return storage.SearchMatch{}, false
	}
	r := p.rows[i]
	if r.match < 0 {
		r.match = p.groups[r.group].first
	}
	return p.res.matches[r.match], true
}

// step makes the next (dir 1) or previous (-1) match row the current one.
func (p *searchPane) step(dir int) {
	i := p.cur
	if i < 0 && dir < 0 {
		i = len(p.rows)
	}
	for i += dir; i >= 0 && i < len(p.rows); i += dir {
		if p.rows[i].match >= 0 {
			p.selectRow(i)
			return
		}
	}
}

// jump makes the first match of the next (1) or previous (-1) document
// the current row.
func (p *searchPane) jump(dir int) {
	if len(p.rows) == 0 {
		return
	}
	g := -1
	if p.cur >= 0 {
		g = p.rows[p.cur].group
	} else if dir < 0 {
		g = len(p.groups)
	}
	g += dir
	if g < 0 || g >= len(p.groups) {
		return
	}
	for i, r := range p.rows {
		if r.group == g && r.match >= 0 {
			p.selectRow(i)
			return
		}
	}
}

// selectRow makes row i the current one without opening it.
func (p *searchPane) selectRow(i int) {
	p.cur = i
	p.walking = true
	p.list.Select(i)
	p.walking = false
	if m, ok := p.match(i); ok {
		p.note.SetText(fmt.Sprintf("“%s” in “%s”, %d–%d — Enter opens it", clip(m.Text), clip(m.Title), m.Start, m.End))
	}
}

// open shows row i's match in the main window, opening its document, with
// the match selected (so a label key labels it); main gives that window
// the keyboard.
func (p *searchPane) open(i int, main bool) bool {
	m, ok := p.match(i)
	if !ok {
		return false
	}
	w := p.w
	w.openDocument(m.DocumentID)
	if w.doc == nil || w.doc.ID != m.DocumentID {
		return false
	}
	w.text.SelectSpan("")
	w.text.SetSelection(m.Start, m.End)
	w.text.ScrollToOffset(m.Start)
	w.selectionChanged()
	w.say(fmt.Sprintf("Match “%s” at %d–%d of “%s” — a label key labels it", clip(m.Text), m.Start, m.End, clip(m.Title)))
	p.note.SetText(fmt.Sprintf("Opened “%s” at %d–%d", clip(m.Title), m.Start, m.End))
	if main {
		w.win.RequestFocus()
		w.win.Canvas().Focus(w.text)
	}
	return true
}

// typedKey is a key typed in the pane outside the query field.
func (p *searchPane) typedKey(ev *fyne.KeyEvent) {
	if p.dialog != nil && ev.Name != fyne.KeyEscape {
		return // the preview's
	}
	switch ev.Name {
	case fyne.KeyDown:
		p.step(1)
	case fyne.KeyUp:
		p.step(-1)
	case fyne.KeyReturn, fyne.KeyEnter:
		p.open(p.cur, true)
	case fyne.KeyEscape:
		if p.dialog != nil {
			p.dialog.Hide()
			return
		}
		p.win.Close()
	}
}

// typedRune is a character typed in the pane outside the query field: a
// label key labels the current match in the main window; j, k, n, p walk.
// It reports whether r was one of those keys.
func (p *searchPane) typedRune(r rune) bool {
	if p.dialog != nil {
		return true
	}
	for i, l := range p.w.labels {
		if l.Key != "" && l.Key == string(r) {
			if p.open(p.cur, false) {
				p.w.applyLabel(i)
				p.note.SetText(p.w.message.Text)
			}
			return true
		}
	}
	switch r {
	case 'j':
		p.step(1)
	case 'k':
		p.step(-1)
	case 'n':
		p.jump(1)
	case 'p':
		p.jump(-1)
	default:
		return false
	}
	return true
}

// searchEntry is the query field: ↑ and ↓ walk the matches, Enter opens
// the current one (the first, if none is), Escape closes the pane.
type searchEntry struct {
	widget.Entry
	pane *searchPane
}

func (e *searchEntry) TypedKey(ev *fyne.KeyEvent) {
	p := e.pane
	switch ev.Name {
	case fyne.KeyDown, fyne.KeyUp:
		// Into the results: the keys are the pane's there (1–9 label the
		// match, j/k walk), where in the query they would be typed.
		if ev.Name == fyne.KeyDown {
			p.step(1)
		} else {
			p.step(-1)
		}
		if p.cur >= 0 {
			p.win.Canvas().Focus(p.list)
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		if p.cur < 0 {
			p.step(1)
		}
		p.open(p.cur, true)
	case fyne.KeyEscape:
		p.win.Close()
	default:
		e.Entry.TypedKey(ev)
	}
}

// resultList is the virtual list of the results, its keys the pane's
// (widget.List's own ↑/↓ move a focus ring, not the selection).
type resultList struct {
	widget.List
	pane *searchPane
}

func newResultList(p *searchPane) *resultList {
	l := &resultList{pane: p}
	l.Length = func() int { return len(p.rows) }
	l.CreateItem = func() fyne.CanvasObject {
		head := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		head.Truncation = fyne.TextTruncateEllipsis
		return container.NewStack(head, newKWICLine())
	}
	l.UpdateItem = p.bindRow
	l.OnSelected = func(i widget.ListItemID) {
		p.cur = i
		if !p.walking {
			p.open(i, false)
		}
	}
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey walks and opens; Backspace goes back to the query with it.
func (l *resultList) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyBackspace {
		l.pane.backToQuery()
		l.pane.entry.TypedKey(ev)
		return
	}
	l.pane.typedKey(ev)
}

// TypedRune is the pane's key; a character that is none goes back to the
// query, typed there (the analyst goes on writing it).
func (l *resultList) TypedRune(r rune) {
	if !l.pane.typedRune(r) {
		l.pane.backToQuery()
		l.pane.entry.TypedRune(r)
	}
}

// backToQuery gives the query field the keyboard, its cursor at the end.
func (p *searchPane) backToQuery() {
	p.win.Canvas().Focus(p.entry)
	p.entry.CursorRow, p.entry.CursorColumn = 0, len([]rune(p.entry.Text))
	p.entry.Refresh()
}

// FocusGained and FocusLost draw no focus ring: the selection is the
// current row.
func (l *resultList) FocusGained() {}
func (l *resultList) FocusLost()   {}

func (p *searchPane) bindRow(i widget.ListItemID, o fyne.CanvasObject) {
	objs := o.(*fyne.Container).Objects
	head, line := objs[0].(*widget.Label), objs[1].(*kwicLine)
	if i < 0 || i >= len(p.rows) {
		return
	}
	r := p.rows[i]
	g := p.groups[r.group]
	if r.match < 0 {
		text := fmt.Sprintf("%s — %s", oneLine(g.title), countGrouped(g.total, "match"))
		if g.total > g.n {
			text += fmt.Sprintf(" (the first %s listed)", grouped(g.n))
		}
		head.SetText(text)
		head.Show()
		line.Hide()
		return
	}
	m := p.res.matches[r.match]
	head.Hide()
	line.set(fmt.Sprintf("%d–%d", m.Start, m.End), oneLine(m.Before), oneLine(m.Text), oneLine(m.After))
	line.Show()
}

// Label all.

// labelPreview is the Label all… dialog: the label, where (every document
// or the one open in the main window), whether documents marked done are
// edited, and a box per match.
type labelPreview struct {
	p           *searchPane
	pick        *widget.Select
	scope       *widget.RadioGroup
	includeDone *widget.Check
	count       *widget.Label
	list        *widget.List

	matches []storage.SearchMatch
	inScope []int  // indexes into matches that the scope keeps
	checked []bool // by index into matches
	covered []bool // the chosen label covers the match already
	spans   map[string][]storage.Span
	done    map[string]bool // documents the editor marked done or reviewed
	onlyDoc string          // the main window's document, for the second scope
}

// showLabelAll opens the preview of labelling every listed match.
func (p *searchPane) showLabelAll() {
	w := p.w
	if len(p.res.matches) == 0 || len(w.labels) == 0 {
		return
	}
	if w.refuseReadOnly() {
		p.note.SetText(w.message.Text)
		return
	}
	pv := &labelPreview{p: p, matches: p.res.matches, spans: map[string][]storage.Span{}, done: map[string]bool{}}
	pv.checked = make([]bool, len(pv.matches))
	pv.covered = make([]bool, len(pv.matches))
	ed := w.editor().ID
	for _, g := range p.groups {
		ss, err := w.store.Spans(w.ctx, g.docID, ed)
		if err != nil {
			w.report("Could not read the spans", err)
			return
		}
		st, err := w.store.Status(w.ctx, g.docID, ed)
		if err != nil {
			w.report("Could not read the status", err)
			return
		}
		pv.spans[g.docID], pv.done[g.docID] = ss, finished(st)
	}
	scopes := []string{"Every document listed (" + countGrouped(len(pv.matches), "match") + ")"}
	if w.doc != nil {
		if _, ok := pv.spans[w.doc.ID]; ok {
			pv.onlyDoc = w.doc.ID
			scopes = append(scopes, "Only “"+clip(w.doc.Title)+"”, open in the main window")
		}
	}
	pv.scope = widget.NewRadioGroup(scopes, func(string) { pv.fill() })
	pv.scope.Required = true
	pv.pick = widget.NewSelect(labelNames(w.labels), func(string) { pv.recheck() })
	pv.includeDone = widget.NewCheck("Include documents marked done", func(bool) { pv.showCount() })
	pv.count = widget.NewLabel("")
	pv.list = widget.NewList(func() int { return len(pv.inScope) },
		func() fyne.CanvasObject { return widget.NewCheck("", nil) }, pv.bind)
	pv.scope.SetSelected(scopes[0])
	first := 0
	if i := p.label.SelectedIndex(); i > 0 && len(w.labels) > 1 && w.labels[0].Name == p.label.Options[i] {
		first = 1 // searching within spans of the first label: offer another
	}
	pv.pick.SetSelectedIndex(first)
	top := container.NewVBox(
		container.NewBorder(nil, nil, widget.NewLabel("Label"), nil, pv.pick),
		pv.scope, pv.includeDone, pv.count)
	if p.res.total > len(pv.matches) {
		top.Add(widget.NewLabel(fmt.Sprintf("Only the first %s listed are offered (of %s).", grouped(len(pv.matches)), grouped(p.res.total))))
	}
	content := container.NewBorder(top, nil, nil, nil, pv.list)
	d := dialog.NewCustomConfirm(fmt.Sprintf("Label every “%s”", clip(p.q.Text)), "Label the checked ones", "Cancel", content, func(ok bool) {
		if ok {
			pv.apply()
		}
	}, p.win)
	d.SetOnClosed(func() {
		if p.dialog == d {
			p.dialog, p.preview = nil, nil
		}
	})
	d.Resize(fyne.NewSize(760, 520))
	p.dialog, p.preview = d, pv
	d.Show()
}

// label is the label chosen.
func (pv *labelPreview) label() storage.Label {
	return pv.p.w.labels[max(pv.pick.SelectedIndex(), 0)]
}

// recheck turns every box on but those of matches the chosen label covers
// already.
func (pv *labelPreview) recheck() {
	if pv.list == nil {
		return
	}
	l := pv.label()
	for i, m := range pv.matches {
		pv.covered[i] = false
		for _, s := range pv.spans[m.DocumentID] {
			if s.LabelID == l.ID && s.Start == m.Start && s.End == m.End {
				pv.covered[i] = true
				break
			}
		}
		pv.checked[i] = !pv.covered[i]
	}
	pv.fill()
}

// fill lists the matches of the scope chosen.
func (pv *labelPreview) fill() {
	if pv.list == nil {
		return
	}
	pv.inScope = pv.inScope[:0]
	only := pv.scope.Selected != pv.scope.Options[0]
	for i, m := range pv.matches {
		if !only || m.DocumentID == pv.onlyDoc {
			pv.inScope = append(pv.inScope, i)
		}
	}
	pv.list.Refresh()
	pv.showCount()
}

func (pv *labelPreview) bind(i widget.ListItemID, o fyne.CanvasObject) {
	c := o.(*widget.Check)
	if i < 0 || i >= len(pv.inScope) {
		return
	}
	k := pv.inScope[i]
	m := pv.matches[k]
	text := fmt.Sprintf("%s · %d–%d  …%s[%s]%s…", clip(m.Title), m.Start, m.End, oneLine(m.Before), oneLine(m.Text), oneLine(m.After))
	if pv.covered[k] {
		text = "(labelled already) " + text
	}
	if pv.done[m.DocumentID] {
		text = "(done) " + text
	}
	c.OnChanged = nil
	c.Text = text
	c.SetChecked(pv.checked[k])
	c.OnChanged = func(on bool) {
		pv.checked[k] = on
		pv.showCount()
	}
}

// showCount says how many boxes are on, and how many of those the
// done documents hold.
func (pv *labelPreview) showCount() {
	if pv.count == nil {
		return
	}
	on, inDone := 0, 0
	for _, k := range pv.inScope {
		if pv.checked[k] {
			on++
			if pv.done[pv.matches[k].DocumentID] {
				inDone++
			}
		}
	}
	s := fmt.Sprintf("%s of %s checked", grouped(on), grouped(len(pv.inScope)))
	if inDone > 0 && !pv.includeDone.Checked {
		s += fmt.Sprintf(" · %d in documents marked done, left alone unless included", inDone)
	}
	pv.count.SetText(s)
}

// apply labels the checked matches in one transaction: one undo step in
// each document's history.
func (pv *labelPreview) apply() {
	p, w := pv.p, pv.p.w
	l := pv.label()
	var docs []storage.DocumentEdits
	covered := 0
	for _, k := range pv.inScope {
		m := pv.matches[k]
		if !pv.checked[k] {
			if pv.covered[k] {
				covered++
			}
			continue
		}
		if len(docs) == 0 || docs[len(docs)-1].DocumentID != m.DocumentID {
			docs = append(docs, storage.DocumentEdits{DocumentID: m.DocumentID})
		}
		d := &docs[len(docs)-1]
		d.Edits = append(d.Edits, storage.Edit{Kind: storage.EditCreateSpan, LabelID: l.ID, Start: m.Start, End: m.End})
	}
	if len(docs) == 0 {
		p.note.SetText("Nothing to label: every box was off.")
		w.say("Nothing to label: every box was off.")
		return
	}
	sum, err := w.store.ApplyBatches(w.ctx, w.editor().ID, docs, storage.BatchesOptions{IncludeDone: pv.includeDone.Checked})
	if err != nil {
		w.fail("Could not label the matches", err)
		p.note.SetText(w.message.Text)
		return
	}
	msg := fmt.Sprintf("Made %s in %s (%d already labelled, %d in done documents skipped) as %s — Ctrl+Z in a document takes back its share",
		countGrouped(sum.Spans, "span"), countGrouped(sum.Documents, "document"), covered+sum.Existing, sum.DoneEdits, l.Name)
	w.markSeen()
	w.reloadDocuments()
	if w.doc != nil {
		w.reloadSpans()
		w.afterEdit(msg)
		w.refreshUndo()
	} else {
		w.say("✓ " + msg)
	}
	p.note.SetText("✓ " + msg)
}

// kwicLine is one match in context on one line: its offsets, the text
// before it (cut at the left), the match in bold and the text after it
// (cut at the right), the match starting at the same place on every row.
type kwicLine struct {
	widget.BaseWidget
	offsets, before, match, after string
}

func newKWICLine() *kwicLine {
	k := &kwicLine{}
	k.ExtendBaseWidget(k)
	return k
}

func (k *kwicLine) set(offsets, before, match, after string) {
	if k.offsets == offsets && k.before == before && k.match == match && k.after == after {
		return
	}
	k.offsets, k.before, k.match, k.after = offsets, before, match, after
	k.Refresh()
}

func (k *kwicLine) CreateRenderer() fyne.WidgetRenderer {
	r := &kwicRenderer{k: k}
	for i := range r.texts {
		r.texts[i] = canvas.NewText("", color.Black)
	}
	r.texts[2].TextStyle = fyne.TextStyle{Bold: true}
	r.Refresh()
	return r
}

type kwicRenderer struct {
	k     *kwicLine
	texts [4]*canvas.Text // offsets, before, match, after
	size  fyne.Size
}

func (r *kwicRenderer) Destroy() {}

func (r *kwicRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.texts[0], r.texts[1], r.texts[2], r.texts[3]}
}

func (r *kwicRenderer) MinSize() fyne.Size {
	pad := r.k.Theme().Size(theme.SizeNameInnerPadding)
	h := fyne.MeasureText("Mg", r.texts[0].TextSize, fyne.TextStyle{}).Height
	return fyne.NewSize(200, h+2*pad)
}

func (r *kwicRenderer) Layout(size fyne.Size) {
	r.size = size
	th := r.k.Theme()
	pad := th.Size(theme.SizeNameInnerPadding)
	ts := r.texts[0].TextSize
	plain, bold := fyne.TextStyle{}, fyne.TextStyle{Bold: true}
	offW := fyne.MeasureText("000000–000000", ts, plain).Width
	gap := fyne.MeasureText(" ", ts, plain).Width
	avail := max(size.Width-2*pad-offW-gap, 0)
	beforeW := avail * 0.42
	m := fitRight(r.k.match, avail*0.3, ts, bold)
	mw := fyne.MeasureText(m, ts, bold).Width
	b := fitLeft(r.k.before, beforeW-gap, ts, plain)
	bw := fyne.MeasureText(b, ts, plain).Width
	a := fitRight(r.k.after, avail-beforeW-mw-gap, ts, plain)
	x0 := pad + offW + gap
	r.texts[0].Text = fitRight(r.k.offsets, offW, ts, plain)
	r.texts[1].Text, r.texts[2].Text, r.texts[3].Text = b, m, a
	xs := [4]float32{pad, x0 + beforeW - gap - bw, x0 + beforeW, x0 + beforeW + mw + gap}
	for i, t := range r.texts {
		ms := t.MinSize()
		t.Move(fyne.NewPos(xs[i], (size.Height-ms.Height)/2))
		t.Resize(ms)
	}
}

func (r *kwicRenderer) Refresh() {
	th := r.k.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	size := th.Size(theme.SizeNameText)
	colours := [4]fyne.ThemeColorName{theme.ColorNamePlaceHolder, theme.ColorNameForeground, theme.ColorNamePrimary, theme.ColorNameForeground}
	for i, t := range r.texts {
		t.TextSize = size
		t.Color = th.Color(colours[i], v)
	}
	r.Layout(r.size)
	for _, t := range r.texts {
		t.Refresh()
	}
}

// fitRight is s, cut at the right with an ellipsis to fit width.
func fitRight(s string, width, size float32, style fyne.TextStyle) string {
	if fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	rs := []rune(s)
	lo, hi := 0, len(rs) // the longest prefix that fits, with "…"
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText(string(rs[:mid])+"…", size, style).Width <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 && fyne.MeasureText("…", size, style).Width > width {
		return ""
	}
	return string(rs[:lo]) + "…"
}

// fitLeft is s, cut at the left with an ellipsis to fit width.
func fitLeft(s string, width, size float32, style fyne.TextStyle) string {
	if fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	rs := []rune(s)
	lo, hi := 0, len(rs) // the longest suffix that fits, after "…"
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText("…"+string(rs[len(rs)-mid:]), size, style).Width <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 && fyne.MeasureText("…", size, style).Width > width {
		return ""
	}
	return "…" + string(rs[len(rs)-lo:])
}

// grouped writes n with thousands separators: 12,345.
func grouped(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + grouped(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// countGrouped is count with thousands separators: "12,345 matches".
func countGrouped(n int, noun string) string {
	return grouped(n) + strings.TrimPrefix(count(n, noun), strconv.Itoa(n))
}
