package widgets

import (
	"image/color"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// DocItem is one document as the document list shows it. Status is one of
// "todo", "in_progress", "done", "reviewed" (anything else is shown as is).
type DocItem struct {
	ID, Title, Status string
	Spans             int
}

// StatusText returns the words the document list shows for a status: "To do",
// "In progress", "Done", "Reviewed", or the status itself if unknown.
func StatusText(status string) string {
	switch status {
	case "todo":
		return "To do"
	case "in_progress":
		return "In progress"
	case "done":
		return "Done"
	case "reviewed":
		return "Reviewed"
	}
	return status
}

// StatusColor returns the badge colour of a status (Okabe–Ito: orange for in
// progress, bluish green for done, blue for reviewed; grey for to do and
// anything unknown).
func StatusColor(status string) color.Color {
	switch status {
	case "in_progress":
		return OkabeIto[1]
	case "done":
		return OkabeIto[3]
	case "reviewed":
		return OkabeIto[5]
	}
	return color.NRGBA{0x8a, 0x8f, 0x98, 0xff}
}

// DocList is the virtualised document list. Each row shows the title (bold,
// cut with an ellipsis) and, below it, a status badge and the span count.
// SetItems does no per-row work: rows are bound only when visible, and the
// ID index used by Select and Update is built on first use.
//
// Create it with NewDocList; call its methods from the UI goroutine.
type DocList struct {
	widget.BaseWidget
	rows panelList[DocItem]
}

var _ fyne.Widget = (*DocList)(nil)

// NewDocList returns an empty document list; onSelect (may be nil) receives
// the ID of a row the user clicks.
func NewDocList(onSelect func(id string)) *DocList {
	d := &DocList{}
	d.ExtendBaseWidget(d)
	d.rows.init(func(it *DocItem) string { return it.ID }, onSelect, newDocRowRenderer)
	return d
}

// SetItems replaces the documents shown. The list keeps items and Update
// writes into it, so the caller must not modify the slice afterwards. The
// highlighted row stays highlighted if its ID is still present.
func (d *DocList) SetItems(items []DocItem) { d.rows.setItems(items) }

// DocSource gives the list its rows page by page instead of a slice, so
// that a million documents cost what is on screen: Len documents, At(i)
// the row at i (asked only for the rows being shown), Find(id) the row of
// a document, or -1.
type DocSource interface {
	Len() int
	At(i int) DocItem
	Find(id string) int
}

// SetSource shows the rows of src. Update then redraws a row from src
// (the caller updates src first). The highlighted row stays highlighted if
// src has it.
func (d *DocList) SetSource(src DocSource) { d.rows.setSource(src) }

// Len returns the number of documents shown.
func (d *DocList) Len() int { return d.rows.length() }

// Select highlights the document with the given ID and scrolls it into view,
// without calling onSelect. An unknown or empty ID clears the highlight.
func (d *DocList) Select(id string) { d.rows.selectID(id) }

// Selected returns the ID of the highlighted document, or "".
func (d *DocList) Selected() string { return d.rows.selected }

// Update replaces the document with item.ID (its title, status or span count
// changed) and redraws just that row if it is visible. Unknown IDs are
// ignored. O(1): a map look-up (the ID index is built by the first Select or
// Update after SetItems) and one row redrawn.
func (d *DocList) Update(item DocItem) {
	i, ok := d.rows.lookup(item.ID)
	if !ok {
		return
	}
	if d.rows.src == nil {
		d.rows.items[i] = item
	}
	d.rows.refreshRow(i)
}

// Resize is part of fyne.CanvasObject.
func (d *DocList) Resize(size fyne.Size) {
	d.BaseWidget.Resize(size)
	d.rows.sel.resized()
}

// CreateRenderer is part of fyne.Widget.
func (d *DocList) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(d.rows.list)
}

// docRow shows one DocItem.
type docRow = panelRow[DocItem]

func newDocRowRenderer(r *docRow) fyne.WidgetRenderer {
	rr := &docRowRenderer{
		row:    r,
		title:  &canvas.Text{TextStyle: fyne.TextStyle{Bold: true}},
		badge:  &canvas.Rectangle{},
		dot:    &canvas.Circle{},
		status: &canvas.Text{},
		spans:  &canvas.Text{Alignment: fyne.TextAlignTrailing},
	}
	rr.Refresh()
	return rr
}

type docRowRenderer struct {
	row                  *docRow
	title, status, spans *canvas.Text
	badge                *canvas.Rectangle
	dot                  *canvas.Circle

	panelMetrics
	fullTitle string
}

func (rr *docRowRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{rr.title, rr.badge, rr.dot, rr.status, rr.spans}
}

func (rr *docRowRenderer) Destroy() {}

func (rr *docRowRenderer) titleHeight() float32 {
	return fyne.MeasureText("Mg", rr.textSize, rr.title.TextStyle).Height
}

func (rr *docRowRenderer) badgeHeight() float32 {
	return fyne.MeasureText("Mg", rr.capSize, rr.status.TextStyle).Height + 2
}

// MinSize is the same for every row, whatever the content.
func (rr *docRowRenderer) MinSize() fyne.Size {
	return fyne.NewSize(120, rr.vpad()+rr.titleHeight()+rr.pad/2+rr.badgeHeight()+rr.vpad())
}

func (rr *docRowRenderer) Layout(size fyne.Size) {
	left, right := rr.inner, size.Width-rr.inner
	y := rr.vpad()
	titleH := rr.titleHeight()
	rr.title.Text = panelEllipsize(rr.fullTitle, right-left, rr.textSize, rr.title.TextStyle)
	rr.title.Move(fyne.NewPos(left, y))
	rr.title.Resize(fyne.NewSize(max(right-left, 0), titleH))
	y += titleH + rr.pad/2

	// Badge: a pill holding a dot and the status word.
	bh := rr.badgeHeight()
	dot := bh * 0.45
	hpad := bh / 2
	st := fyne.MeasureText(rr.status.Text, rr.capSize, rr.status.TextStyle)
	bw := hpad*0.8 + dot + rr.pad + st.Width + hpad
	rr.badge.Move(fyne.NewPos(left, y))
	rr.badge.Resize(fyne.NewSize(bw, bh))
	rr.badge.CornerRadius = bh / 2
	rr.dot.Move(fyne.NewPos(left+hpad*0.8, y+(bh-dot)/2))
	rr.dot.Resize(fyne.NewSize(dot, dot))
	rr.status.Move(fyne.NewPos(left+hpad*0.8+dot+rr.pad, y+(bh-st.Height)/2))
	rr.status.Resize(st)

	sp := fyne.MeasureText(rr.spans.Text, rr.capSize, rr.spans.TextStyle)
	rr.spans.Move(fyne.NewPos(right-sp.Width, y+(bh-sp.Height)/2))
	rr.spans.Resize(sp)
	if right-sp.Width < left+bw+rr.pad { // too narrow for both
		rr.spans.Hide()
	} else {
		rr.spans.Show()
	}
	rr.title.Refresh()
}

func (rr *docRowRenderer) Refresh() {
	th := rr.row.Theme()
	rr.load(th)
	rr.title.TextSize = rr.textSize
	rr.status.TextSize = rr.capSize
	rr.spans.TextSize = rr.capSize
	fg := panelColor(th, theme.ColorNameForeground)
	rr.title.Color = fg
	rr.status.Color = fg
	rr.spans.Color = panelMuted(th)

	it := rr.row.item
	if it == nil {
		it = &DocItem{}
	}
	rr.fullTitle = panelOneLine(it.Title)
	if rr.fullTitle == "" {
		rr.fullTitle = "Untitled"
	}
	c := StatusColor(it.Status)
	rr.dot.FillColor = c
	rr.badge.FillColor = Tint(c, 0x38)
	rr.status.Text = StatusText(it.Status)
	switch it.Spans {
	case 1:
		rr.spans.Text = "1 span"
	default:
		rr.spans.Text = strconv.Itoa(it.Spans) + " spans"
	}

	rr.Layout(rr.row.Size())
	for _, o := range rr.Objects() {
		o.Refresh()
	}
}
