package widgets

import (
	"image/color"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// SpanItem is one annotated span as the span list shows it. Start and End are
// the span's offsets in the document (End exclusive), shown as "start–end".
type SpanItem struct {
	ID, Label, Text string
	Start, End      int
	Color           color.Color
	Note            string
	// Who made the span, shown before its position when several
	// annotators' spans are listed together; "" shows none.
	Who string
}

// SpanListEmptyText is what an empty SpanList shows.
const SpanListEmptyText = "No spans yet — drag across words and press 1, 2, 3"

// SpanList is the virtualised list of the current document's spans. Each row
// shows a chip in the label colour with the label name, the position in a
// small muted style and, below, the covered text on one line (line breaks as
// ⏎, cut with an ellipsis). Only the visible rows are ever bound, so tens of
// thousands of spans are fine.
//
// Create it with NewSpanList; call its methods from the UI goroutine.
type SpanList struct {
	widget.BaseWidget

	rows    panelList[SpanItem]
	empty   *widget.RichText
	emptyBx *fyne.Container
	content *fyne.Container
}

var _ fyne.Widget = (*SpanList)(nil)

// NewSpanList returns an empty span list; onSelect (may be nil) receives the
// ID of a row the user clicks.
func NewSpanList(onSelect func(id string)) *SpanList {
	l := &SpanList{}
	l.ExtendBaseWidget(l)
	l.rows.init(func(it *SpanItem) string { return it.ID }, onSelect, newSpanRowRenderer)

	l.empty = widget.NewRichText(&widget.TextSegment{
		Text: SpanListEmptyText,
		Style: widget.RichTextStyle{
			Alignment: fyne.TextAlignCenter,
			ColorName: theme.ColorNamePlaceHolder,
			SizeName:  theme.SizeNameText,
			TextStyle: fyne.TextStyle{Italic: true},
		},
	})
	l.empty.Wrapping = fyne.TextWrapWord
	l.emptyBx = panelBox(&panelTopLayout{})
	l.emptyBx.Objects = []fyne.CanvasObject{l.empty}

	l.content = panelBox(&panelStackLayout{})
	l.content.Objects = []fyne.CanvasObject{l.rows.list, l.emptyBx}
	l.syncEmpty()
	return l
}

// SetItems replaces the spans shown. The list keeps the slice (a copy of
// 10,000 spans at every label key cost 1.5 ms) and InsertItem inserts into
// it: do not use it after. The
// highlighted row stays highlighted if a span with its ID is still present;
// otherwise the selection is cleared. onSelect is not called.
func (l *SpanList) SetItems(items []SpanItem) {
	l.rows.setItems(items)
	l.syncEmpty()
}

// InsertItem shows one more span at position i (0 ≤ i ≤ Len), the rows from
// i on moving down one, without the list being given every span again. It
// inserts into the slice given to SetItems.
func (l *SpanList) InsertItem(i int, it SpanItem) {
	l.rows.insert(min(max(i, 0), len(l.rows.items)), it)
	l.syncEmpty()
}

// Items returns the spans shown. The slice is the list's own: do not modify it.
func (l *SpanList) Items() []SpanItem { return l.rows.items }

// Select highlights the span with the given ID and scrolls it into view,
// without calling onSelect. An unknown or empty ID clears the highlight.
func (l *SpanList) Select(id string) { l.rows.selectID(id) }

// Selected returns the ID of the highlighted span, or "".
func (l *SpanList) Selected() string { return l.rows.selected }

// Len returns the number of spans shown.
func (l *SpanList) Len() int { return len(l.rows.items) }

// Resize is part of fyne.CanvasObject.
func (l *SpanList) Resize(size fyne.Size) {
	l.BaseWidget.Resize(size)
	l.rows.sel.resized()
}

// CreateRenderer is part of fyne.Widget.
func (l *SpanList) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(l.content)
}

func (l *SpanList) syncEmpty() {
	if len(l.rows.items) == 0 {
		l.emptyBx.Show()
	} else {
		l.emptyBx.Hide()
	}
}

// spanRow shows one SpanItem.
type spanRow = panelRow[SpanItem]

func newSpanRowRenderer(r *spanRow) fyne.WidgetRenderer {
	rr := &spanRowRenderer{
		row:      r,
		chip:     &canvas.Rectangle{},
		chipText: &canvas.Text{TextStyle: fyne.TextStyle{Bold: true}},
		pos:      &canvas.Text{Alignment: fyne.TextAlignTrailing},
		note:     canvas.NewImageFromResource(nil),
		text:     &canvas.Text{},
	}
	rr.note.FillMode = canvas.ImageFillContain
	rr.note.Resource = theme.NewDisabledResource(theme.DocumentCreateIcon())
	rr.Refresh()
	return rr
}

type spanRowRenderer struct {
	row                 *spanRow
	chip                *canvas.Rectangle
	chipText, pos, text *canvas.Text
	note                *canvas.Image

	panelMetrics // from the theme, set by Refresh
	// the untruncated strings, set by Refresh
	label, body string
	noteTheme   fyne.Theme // the theme the note icon was last drawn for
}

func (rr *spanRowRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{rr.chip, rr.chipText, rr.pos, rr.note, rr.text}
}

func (rr *spanRowRenderer) Destroy() {}

func (rr *spanRowRenderer) chipHeight() float32 {
	return fyne.MeasureText("Mg", rr.capSize, rr.chipText.TextStyle).Height + 2
}

func (rr *spanRowRenderer) textHeight() float32 {
	return fyne.MeasureText("Mg", rr.textSize, rr.text.TextStyle).Height
}

// MinSize is the same for every row (the list relies on it): the width is
// small so the panel decides it, the height is two lines.
func (rr *spanRowRenderer) MinSize() fyne.Size {
	return fyne.NewSize(120, rr.vpad()+rr.chipHeight()+rr.pad/2+rr.textHeight()+rr.vpad())
}

func (rr *spanRowRenderer) Layout(size fyne.Size) {
	left, right := rr.inner, size.Width-rr.inner
	y := rr.vpad()
	chipH := rr.chipHeight()

	// Position (and note marker) at the top right.
	posW := panelTextWidth(rr.pos.Text, rr.capSize, rr.pos.TextStyle)
	posH := fyne.MeasureText("Mg", rr.capSize, rr.pos.TextStyle).Height // the same for every row: no shaping
	rr.pos.Move(fyne.NewPos(right-posW, y+(chipH-posH)/2))
	rr.pos.Resize(fyne.NewSize(posW, posH))
	right -= posW
	if rr.note.Visible() {
		side := rr.capSize + 1
		right -= rr.pad
		rr.note.Move(fyne.NewPos(right-side, y+(chipH-side)/2))
		rr.note.Resize(fyne.NewSize(side, side))
		right -= side
	}

	// Label chip at the top left, as wide as its name (cut if need be).
	hpad := chipH / 2
	maxName := right - rr.inner - left - 2*hpad
	rr.chipText.Text = panelEllipsize(rr.label, maxName, rr.capSize, rr.chipText.TextStyle)
	nameSz := fyne.MeasureText(rr.chipText.Text, rr.capSize, rr.chipText.TextStyle)
	chipW := nameSz.Width + 2*hpad
	if rr.chipText.Text == "" {
		chipW = chipH // a plain dot
	}
	rr.chip.Move(fyne.NewPos(left, y))
	rr.chip.Resize(fyne.NewSize(chipW, chipH))
	rr.chip.CornerRadius = chipH / 2
	rr.chipText.Move(fyne.NewPos(left+hpad, y+(chipH-nameSz.Height)/2))
	rr.chipText.Resize(nameSz)

	// Covered text on the second line.
	y += chipH + rr.pad/2
	textW := size.Width - 2*rr.inner
	rr.text.Text = panelEllipsize(rr.body, textW, rr.textSize, rr.text.TextStyle)
	rr.text.Move(fyne.NewPos(left, y))
	rr.text.Resize(fyne.NewSize(textW, rr.textHeight()))

	rr.chipText.Refresh()
	rr.text.Refresh()
}

func (rr *spanRowRenderer) Refresh() {
	th := rr.row.Theme()
	rr.load(th)
	rr.chipText.TextSize = rr.capSize
	rr.pos.TextSize = rr.capSize
	rr.text.TextSize = rr.textSize
	rr.pos.Color = panelMuted(th)
	rr.text.Color = panelColor(th, theme.ColorNameForeground)

	it := rr.row.item
	if it == nil {
		it = &SpanItem{}
	}
	c := it.Color
	if c == nil {
		c = panelMuted(th)
	}
	rr.chip.FillColor = c
	rr.chipText.Color = Contrast(c)
	rr.label = it.Label
	rr.pos.Text = strconv.Itoa(it.Start) + "–" + strconv.Itoa(it.End)
	if it.Who != "" {
		rr.pos.Text = it.Who + " · " + rr.pos.Text
	}
	rr.body = panelOneLine(it.Text)
	if rr.body == "" {
		rr.body = "(empty)"
		rr.text.TextStyle.Italic = true
		rr.text.Color = panelMuted(th)
	} else {
		rr.text.TextStyle.Italic = false
	}
	if it.Note != "" {
		rr.note.Show()
	} else {
		rr.note.Hide()
	}

	rr.Layout(rr.row.Size())
	// The note icon is an SVG that is decoded again on every refresh: only
	// refresh it when the theme (and so its colour) changed.
	if th != rr.noteTheme {
		rr.noteTheme = th
		rr.note.Refresh()
	}
	for _, o := range []fyne.CanvasObject{rr.chip, rr.chipText, rr.pos, rr.text} {
		o.Refresh()
	}
}

// panelTopLayout gives its objects the full width and their minimum height,
// at the top, with a little padding all round (for empty-state messages).
type panelTopLayout struct{}

func (panelTopLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding() * 2
	w := max(size.Width-2*pad, 0)
	for _, o := range objs {
		o.Resize(fyne.NewSize(w, o.MinSize().Height))
		o.Resize(fyne.NewSize(w, o.MinSize().Height)) // again: wrapped text changes height with width
		o.Move(fyne.NewPos(pad, pad))
	}
}

func (panelTopLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(0, 0)
}

// panelStackLayout stacks its objects, each filling the whole area.
type panelStackLayout struct{}

func (panelStackLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (panelStackLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		if o.Visible() {
			s = s.Max(o.MinSize())
		}
	}
	return s
}
