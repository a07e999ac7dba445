package workbench

import (
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"gloss/storage"
)

// browserPage is how many rows the span browser reads at a time: the list
// is virtual, so a corpus of a million spans costs one page per screen.
const browserPage = 200

// spanBrowser is Review ▸ Span browser: every span of the corpus, filtered
// and sorted, as a virtual list; a click opens the span in its document, a
// label key relabels it, Delete deletes it (each an undoable edit in that
// document's history).
type spanBrowser struct {
	w      *Workbench
	win    fyne.Window
	filter storage.SpanFilter
	total  int
	pages  map[int][]storage.SpanRow
	list   *widget.List
	status *widget.Label
	sel    int
}

func (w *Workbench) showSpanBrowser() {
	b := &spanBrowser{w: w, pages: map[int][]storage.SpanRow{}, sel: -1}
	b.win = w.app.NewWindow("Spans — Gloss")
	escapeCloses(b.win)

	labels := append([]string{"Every label"}, labelNames(w.labels)...)
	label := widget.NewSelect(labels, nil)
	label.SetSelectedIndex(0)
	people, _ := w.analysts()
	whoNames := []string{"Everyone"}
	for _, a := range people {
		whoNames = append(whoNames, a.Name)
	}
	who := widget.NewSelect(whoNames, nil)
	who.SetSelectedIndex(0)
	statusValues := append([]storage.Status{""}, storage.Statuses...)
	var statusNames []string
	for _, s := range statusValues {
		statusNames = append(statusNames, statusChoice(s))
	}
	status := widget.NewSelect(statusNames, nil)
	status.SetSelectedIndex(0)
	text := widget.NewEntry()
	text.SetPlaceHolder("Text of the span contains…")
	sorts := []string{"Document order", "Label", "Text", "Annotator", "Document title"}
	sortKeys := []string{"", "label", "text", "annotator", "document"}
	order := widget.NewSelect(sorts, nil)
	order.SetSelectedIndex(0)
	apply := func() {
		b.filter = storage.SpanFilter{Text: strings.TrimSpace(text.Text), Sort: sortKeys[max(order.SelectedIndex(), 0)]}
		if i := label.SelectedIndex(); i > 0 {
			b.filter.LabelID = w.labels[i-1].ID
		}
		if i := who.SelectedIndex(); i > 0 {
			b.filter.AnnotatorID = people[i-1].ID
		}
		b.filter.Status = statusValues[max(status.SelectedIndex(), 0)]
		b.reload()
	}
	for _, s := range []*widget.Select{label, who, status, order} {
		s.OnChanged = func(string) { apply() }
	}
	text.OnChanged = func(string) { apply() }

	b.status = widget.NewLabel("")
	b.list = widget.NewList(func() int { return b.total }, b.newRow, b.bindRow)
	b.list.OnSelected = func(i widget.ListItemID) { b.sel = i; b.open(i) }
	mixed := widget.NewButton("Same text, other labels…", b.showMixed)
	top := container.NewVBox(
		container.NewGridWithColumns(5, label, who, status, order, mixed),
		text)
	help := widget.NewLabel("Click a span to open it · a label key relabels the selected span · Delete deletes it · Ctrl+Z in the main window undoes")
	help.Importance = widget.LowImportance
	b.win.SetContent(container.NewBorder(top, container.NewVBox(b.status, help), nil, nil, b.list))
	b.win.Canvas().SetOnTypedRune(b.key)
	b.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		switch ev.Name {
		case fyne.KeyDelete, fyne.KeyBackspace:
			b.delete()
		case fyne.KeyEscape:
			b.win.Close()
		}
	})
	b.win.Resize(fyne.NewSize(1100, 700))
	apply()
	b.win.Show()
	w.browser = b
}

func labelNames(ls []storage.Label) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Name
	}
	return out
}

// reload counts the spans the filter picks and drops the pages read.
func (b *spanBrowser) reload() {
	n, err := b.w.store.CountSpanRows(b.w.ctx, b.filter)
	if err != nil {
		b.status.SetText("✗ " + err.Error())
		return
	}
	b.total, b.pages, b.sel = n, map[int][]storage.SpanRow{}, -1
	b.list.UnselectAll()
	b.list.Refresh()
	b.status.SetText(count(n, "span"))
}

// row is row i, reading its page when needed.
func (b *spanBrowser) row(i int) (storage.SpanRow, bool) {
	p := i / browserPage
	rows, ok := b.pages[p]
	if !ok {
		f := b.filter
		f.Offset, f.Limit = p*browserPage, browserPage
		var err error
		if rows, err = b.w.store.SpanRows(b.w.ctx, f); err != nil {
			b.status.SetText("✗ " + err.Error())
			return storage.SpanRow{}, false
		}
		b.pages[p] = rows
	}
	k := i % browserPage
	if k >= len(rows) {
		return storage.SpanRow{}, false
	}
	return rows[k], true
}

func (b *spanBrowser) newRow() fyne.CanvasObject {
	cells := make([]fyne.CanvasObject, 5)
	for i := range cells {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		cells[i] = l
	}
	cells[0].(*widget.Label).TextStyle = fyne.TextStyle{Bold: true}
	return container.New(&columns{widths: []float32{0.12, 0.38, 0.13, 0.25, 0.12}}, cells...)
}

func (b *spanBrowser) bindRow(i widget.ListItemID, o fyne.CanvasObject) {
	r, ok := b.row(i)
	cells := o.(*fyne.Container).Objects
	set := func(k int, s string) { cells[k].(*widget.Label).SetText(s) }
	if !ok {
		for k := range cells {
			set(k, "")
		}
		return
	}
	set(0, r.Label)
	set(1, oneLine(r.Span.Text))
	set(2, r.Annotator)
	set(3, r.Title)
	set(4, oneLine(r.Note))
}

// open shows row i's span in its document in the main window.
func (b *spanBrowser) open(i int) {
	r, ok := b.row(i)
	if !ok {
		return
	}
	w := b.w
	if r.AnnotatorID != w.editor().ID && w.layer.kind != layerEveryone {
		w.layerSelect.SetSelectedIndex(2) // everyone's, so the span is on screen
	}
	w.openDocument(r.DocumentID)
	w.text.SelectSpan(r.ID)
	w.text.ScrollToOffset(r.Start)
	w.spanList.Select(r.ID)
	w.selectionChanged()
	b.status.SetText(fmt.Sprintf("%s “%s” in “%s”, %d–%d, by %s", r.Label, clip(r.Span.Text), clip(r.Title), r.Start, r.End, r.Annotator))
}

// key relabels the selected span with the label of key c.
func (b *spanBrowser) key(c rune) {
	r, ok := b.row(b.sel)
	if b.sel < 0 || !ok {
		return
	}
	for _, l := range b.w.labels {
		if l.Key == string(c) && l.ID != r.LabelID {
			b.edit(r, storage.Edit{Kind: storage.EditRelabelSpan, LabelID: l.ID}, "Relabelled as "+l.Name)
			return
		}
	}
}

// delete deletes the selected span.
func (b *spanBrowser) delete() {
	r, ok := b.row(b.sel)
	if b.sel < 0 || !ok {
		return
	}
	b.edit(r, storage.Edit{Kind: storage.EditDeleteSpan}, "Deleted")
}

// edit applies e to row r's span as its annotator's edit in that
// document's history; only the analyst's own (or gold, on that layer) may
// be changed.
func (b *spanBrowser) edit(r storage.SpanRow, e storage.Edit, done string) {
	w := b.w
	if r.AnnotatorID != w.me.ID && !(storage.IsGold(r.Annotator) && w.layer.kind == layerGold) {
		b.status.SetText(fmt.Sprintf("✗ This span is %s's: only their own spans can be changed (Layer: Gold to edit gold).", r.Annotator))
		return
	}
	e.DocumentID, e.AnnotatorID, e.SpanID = r.DocumentID, r.AnnotatorID, r.ID
	if _, err := w.store.Apply(w.ctx, e); err != nil {
		b.status.SetText("✗ " + err.Error())
		return
	}
	w.markSeen()
	if w.doc != nil && w.doc.ID == r.DocumentID {
		w.reloadSpans()
		w.afterEdit(done + " “" + clip(r.Span.Text) + "” from the span browser")
	} else {
		w.reloadDocuments()
	}
	b.reload()
	b.status.SetText("✓ " + done + " “" + clip(r.Span.Text) + "” — Ctrl+Z in its document undoes it")
}

// showMixed lists the texts labelled in more than one way.
func (b *spanBrowser) showMixed() {
	ms, err := b.w.store.MixedLabels(b.w.ctx, b.filter.AnnotatorID)
	if err != nil {
		b.status.SetText("✗ " + err.Error())
		return
	}
	var lines []string
	for _, m := range ms {
		var parts []string
		for l, n := range m.Labels {
			parts = append(parts, fmt.Sprintf("%s ×%d", l, n))
		}
		sort.Strings(parts)
		lines = append(lines, fmt.Sprintf("“%s”: %s", clip(m.Text), strings.Join(parts, ", ")))
	}
	if len(lines) == 0 {
		lines = []string{"Every labelled text has one label."}
	}
	l := widget.NewLabel(strings.Join(lines, "\n"))
	win := b.w.app.NewWindow("Same text, other labels")
	escapeCloses(win)
	win.SetContent(container.NewVScroll(container.NewPadded(l)))
	win.Resize(fyne.NewSize(640, 480))
	win.Show()
}

// columns lays its objects side by side in fractions of the width.
type columns struct{ widths []float32 }

func (c *columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(200, h)
}

func (c *columns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x := float32(0)
	for i, o := range objs {
		w := size.Width * c.widths[i]
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}
