package widgets

import (
	"image/color"
	"math"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Span is an annotation drawn over the text: [Start, End) in Unicode code
// points, End exclusive.
//
// The zero values of Style, Mark and Tag give the plain look: a tint (for
// the outermost lane), an underline in the span's lane and the label as tag.
type Span struct {
	ID         string
	Start, End int
	Label      string
	Color      color.Color

	// Style, when not OutlineNone, draws a box in Color around each line
	// fragment of the span (open on the side where the span continues on
	// another line) instead of its underline; use one style per annotator
	// to tell their layers apart. The box reaches down to the span's
	// underline lane and its sides move 3 px out per lane, so a nested span
	// or the same extent from another annotator (which takes the next lane)
	// shows its own box around or below the first one. A selected boxed span
	// shows a deeper tint rather than the selection outline.
	Style OutlineStyle
	// Mark, when not nil, draws a small round badge in this colour before
	// the span's tag (e.g. the kind of a compare result).
	Mark color.Color
	// Tag, when not empty, is shown above the span instead of Label (e.g.
	// "Claim · Ann").
	Tag string
}

// OutlineStyle is the stroke of the box drawn around a span (Span.Style).
type OutlineStyle int

const (
	// OutlineNone draws no box: tint and underline only.
	OutlineNone OutlineStyle = iota
	// OutlineSolid is a continuous 2 px line.
	OutlineSolid
	// OutlineDashed is 2 px dashes, 6 px long with 4 px gaps.
	OutlineDashed
	// OutlineDotted is 2 px square dots with 2 px gaps.
	OutlineDotted
	// OutlineDouble is two 1 px lines with a 1 px gap.
	OutlineDouble
)

// String returns "none", "solid", "dashed", "dotted" or "double".
func (s OutlineStyle) String() string {
	switch s {
	case OutlineNone:
		return "none"
	case OutlineSolid:
		return "solid"
	case OutlineDashed:
		return "dashed"
	case OutlineDotted:
		return "dotted"
	case OutlineDouble:
		return "double"
	}
	return "OutlineStyle(" + strconv.Itoa(int(s)) + ")"
}

// OutlineStyles lists the styles that draw a box, in the order to hand them
// to annotators (solid first).
var OutlineStyles = []OutlineStyle{OutlineSolid, OutlineDashed, OutlineDotted, OutlineDouble}

// TextView shows a long text, wrapped to a reading column, with annotation
// spans drawn behind it. The user selects text by dragging (snapped to whole
// words by Snap unless Alt is held at mouse-down), selects a span by clicking
// it, and types keys that the app interprets (OnKey, OnDelete).
//
// Only the lines on screen have canvas objects: paragraphs are wrapped lazily
// as they come near the viewport, so a megabyte of text opens instantly.
type TextView struct {
	widget.BaseWidget

	// OnSelectionChanged is called when a drag ends, with the (snapped)
	// selection, and with start == end when a click or Escape clears the
	// selection. Programmatic changes (SetSelection...) do not call it.
	OnSelectionChanged func(start, end int)
	// OnSpanSelected is called when a click selects a span, and with "" when
	// a click on plain text (or Escape, or a new drag) clears that selection.
	OnSpanSelected func(id string)
	// OnKey receives the runes typed while the view has focus; it returns
	// whether it handled the rune.
	OnKey func(r rune) bool
	// OnDelete is called when Delete or BackSpace is pressed while focused.
	OnDelete func()
	// OnShortcut receives the shortcuts the view does not handle itself
	// (all but Copy) while it has focus, so window-wide ones still work.
	OnShortcut func(fyne.Shortcut)
	// Snap widens a raw drag selection; SnapToWords by default. nil keeps
	// character precision.
	Snap func(text []rune, start, end int) (int, int)

	readOnly bool

	str  string
	doc  document
	idx  spanIndex
	meas measurer
	m    metrics

	selStart, selEnd int
	hasSel           bool
	selSpan          string

	// The viewport is anchored to a paragraph so that correcting estimated
	// heights elsewhere never moves what is on screen.
	topPara int
	topDy   float32
	size    fyne.Size
	pending int // offset to scroll to once the size is known, or -1

	focused  bool
	pressed  bool
	pressAlt bool
	dragging bool
	anchor   int
	sbDrag   bool
	sbGrab   float32

	tags []tagHit // clickable label tags of the last frame
	rend *textViewRenderer
}

type tagHit struct {
	pos  fyne.Position
	size fyne.Size
	id   string
}

var (
	_ fyne.Widget         = (*TextView)(nil)
	_ fyne.Focusable      = (*TextView)(nil)
	_ fyne.Tappable       = (*TextView)(nil)
	_ fyne.Draggable      = (*TextView)(nil)
	_ fyne.Scrollable     = (*TextView)(nil)
	_ fyne.Shortcutable   = (*TextView)(nil)
	_ desktop.Mouseable   = (*TextView)(nil)
	_ desktop.Cursorable  = (*TextView)(nil)
	_ fyne.WidgetRenderer = (*textViewRenderer)(nil)
)

// NewTextView returns an empty view that snaps selections with SnapToWords.
func NewTextView() *TextView {
	t := &TextView{Snap: SnapToWords, pending: -1}
	t.doc.setText(nil)
	t.ExtendBaseWidget(t)
	return t
}

// SetText replaces the text; it clears the selections and scrolls to the top.
// Spans are kept (the app normally calls SetSpans next).
func (t *TextView) SetText(text string) {
	t.str = text
	t.doc.setText([]rune(text))
	t.hasSel, t.selStart, t.selEnd = false, 0, 0
	t.selSpan = ""
	t.topPara, t.topDy = 0, 0
	t.pending = -1
	t.pressed, t.dragging = false, false
	t.doc.width = 0 // force estimates for the new text at the current width
	t.relayout()
	t.Refresh()
}

// Text returns the text.
func (t *TextView) Text() string { return t.str }

// SetSpans replaces all spans. It does not re-wrap text: sorting, lanes and
// the interval index cost O(n log n), then only the visible lines redraw.
func (t *TextView) SetSpans(spans []Span) {
	t.idx.set(spans)
	t.Refresh()
}

// SetReadOnly marks the view as showing spans the user may not change (a
// colleague's layer, a comparison). It changes only the look: the text
// selection is drawn as a neutral grey wash instead of the theme's
// selection colour, so a selection reads as "to copy", not "to label".
// Everything else still works and every callback is still called —
// selecting, Copy, clicking spans, OnKey, OnDelete, OnShortcut — because the
// app decides what a key means (e.g. say "read-only" in the status line, or
// use keys to navigate). Check ReadOnly in those callbacks.
func (t *TextView) SetReadOnly(ro bool) {
	if t.readOnly == ro {
		return
	}
	t.readOnly = ro
	t.Refresh()
}

// ReadOnly reports whether SetReadOnly(true) is in effect.
func (t *TextView) ReadOnly() bool { return t.readOnly }

// Selection returns the text selection in code points.
func (t *TextView) Selection() (start, end int, ok bool) {
	if !t.hasSel {
		return 0, 0, false
	}
	return t.selStart, t.selEnd, true
}

// SetSelection selects [start, end) (clamped to the text) without calling
// OnSelectionChanged.
func (t *TextView) SetSelection(start, end int) {
	n := len(t.doc.runes)
	start, end = min(max(start, 0), n), min(max(end, 0), n)
	if start > end {
		start, end = end, start
	}
	t.selStart, t.selEnd, t.hasSel = start, end, start < end
	t.Refresh()
}

// ClearSelection removes the text selection without calling
// OnSelectionChanged.
func (t *TextView) ClearSelection() {
	t.hasSel, t.selStart, t.selEnd = false, 0, 0
	t.Refresh()
}

// SelectedText returns the selected text, "" if none.
func (t *TextView) SelectedText() string {
	if !t.hasSel {
		return ""
	}
	return string(t.doc.runes[t.selStart:t.selEnd])
}

// SelectedSpan returns the ID of the span selected by clicking it (or by
// SelectSpan), "" if none.
func (t *TextView) SelectedSpan() string { return t.selSpan }

// SelectSpan outlines the span with this ID and scrolls it into view; "" or
// an unknown ID clears the span selection. It does not call OnSpanSelected.
func (t *TextView) SelectSpan(id string) {
	i := t.idx.find(id)
	if i < 0 {
		t.selSpan = ""
		t.Refresh()
		return
	}
	t.selSpan = id
	t.ScrollToOffset(t.idx.spans[i].Start)
	t.Refresh()
}

// ScrollToOffset scrolls, if needed, so that the line holding code point off
// is on screen (about a third of the way down).
func (t *TextView) ScrollToOffset(off int) {
	off = min(max(off, 0), len(t.doc.runes))
	if t.size.Height <= 0 || t.m.colW <= 0 {
		t.pending = off
		return
	}
	t.pending = -1
	p, li := t.lineOf(off)
	y := t.lineScreenY(p, li)
	if y >= 0 && y+t.m.pitch <= t.size.Height {
		return
	}
	t.topPara = p
	t.topDy = float32(li) * t.m.pitch
	t.scrollBy(-float32(math.Round(float64(t.size.Height / 3))))
	t.Refresh()
}

// CreateRenderer implements fyne.Widget.
func (t *TextView) CreateRenderer() fyne.WidgetRenderer {
	t.ExtendBaseWidget(t)
	r := newTextViewRenderer(t)
	t.rend = r
	return r
}

// MinSize keeps the view usable when squeezed.
func (t *TextView) MinSize() fyne.Size {
	t.ExtendBaseWidget(t)
	return t.BaseWidget.MinSize()
}

// metrics are the theme-derived sizes, recomputed on refresh.
type metrics struct {
	textSize, tagSize float32
	textH, baseline   float32
	tagH              float32
	textTop           float32 // y of the text box within a line
	laneTop           float32 // y of lane 0's underline within a line
	pitch             float32 // line height, whole pixels
	blankH            float32 // height of an empty paragraph
	padX, padY        float32
	sbW               float32 // scroll bar strip width
	colX, colW        float32
	spaceW, avgW      float32
	fg, sel, focus    color.Color
	selRO             color.Color // the selection in a read-only view
	sbColor           color.Color
}

const (
	laneThick  = 2
	laneGap    = 2
	shownLanes = 3 // deeper lanes draw on the last one
	maxEms     = 80
)

func (t *TextView) themeColor(name fyne.ThemeColorName) color.Color {
	th := t.Theme()
	return th.Color(name, fyne.CurrentApp().Settings().ThemeVariant())
}

// updateMetrics reads the theme; it reports whether text geometry changed.
func (t *TextView) updateMetrics() bool {
	th := t.Theme()
	m := &t.m
	size := th.Size(theme.SizeNameText)
	changed := size != m.textSize
	m.textSize = size
	m.tagSize = max(th.Size(theme.SizeNameCaptionText)-1, 8)
	m.fg = t.themeColor(theme.ColorNameForeground)
	m.sel = t.themeColor(theme.ColorNameSelection)
	m.selRO = tvAlpha(m.fg, 0.2)
	m.focus = t.themeColor(theme.ColorNameFocus)
	m.sbColor = t.themeColor(theme.ColorNameScrollBar)
	if changed || m.pitch == 0 {
		t.meas.reset(size)
		sz, base := fyne.CurrentApp().Driver().RenderedTextSize("Mg", size, fyne.TextStyle{}, nil)
		m.textH, m.baseline = sz.Height, base
		tsz := fyne.MeasureText("Claim", m.tagSize, fyne.TextStyle{Bold: true})
		m.tagH = tsz.Height
		// The tag strip may overlap the text box's internal leading.
		m.textTop = float32(math.Round(float64(m.tagH - (m.textH-m.baseline)*0.5)))
		m.laneTop = float32(math.Round(float64(m.textTop + m.baseline + 3)))
		m.pitch = float32(math.Ceil(float64(m.laneTop + shownLanes*(laneThick+laneGap))))
		m.blankH = float32(math.Round(float64(m.pitch / 2)))
		m.spaceW = fyne.MeasureText(" ", size, fyne.TextStyle{}).Width
		sample := "The council approved the plan, with 280 votes; critics said it was rushed."
		m.avgW = fyne.MeasureText(sample, size, fyne.TextStyle{}).Width / float32(len(sample))
		m.padX = th.Size(theme.SizeNamePadding) * 3
		m.padY = th.Size(theme.SizeNamePadding) * 2
		m.sbW = 12
	}
	return changed
}

// setSize recomputes the reading column for a new widget size.
func (t *TextView) setSize(size fyne.Size) {
	t.size = size
	t.relayout()
	if t.pending >= 0 && size.Height > 0 && t.m.colW > 0 {
		t.ScrollToOffset(t.pending)
	}
}

// relayout adapts the document to the current width, keeping the anchor.
func (t *TextView) relayout() {
	if t.m.pitch == 0 {
		t.updateMetrics()
	}
	m := &t.m
	avail := t.size.Width - 2*m.padX - m.sbW
	m.colW = float32(math.Floor(float64(min(avail, maxEms*m.textSize))))
	m.colW = max(m.colW, 0)
	m.colX = float32(math.Round(float64(m.padX + (avail-m.colW)/2)))
	if m.colW <= 0 {
		return
	}
	if t.doc.width != m.colW {
		oldH := t.doc.height(t.topPara)
		t.doc.setWidth(m.colW, m)
		t.ensureLayout(t.topPara)
		if oldH > 0 {
			t.topDy *= t.doc.height(t.topPara) / oldH
		}
	}
	t.clampView()
}

func (t *TextView) ensureLayout(p int) *paraLayout {
	return t.doc.ensure(p, &t.m, &t.meas)
}

// viewTop is the document y at the top of the viewport.
func (t *TextView) viewTop() float32 {
	return float32(t.doc.fw.prefix(t.topPara)) + t.topDy
}

// lineScreenY is the widget y of line li of paragraph p.
func (t *TextView) lineScreenY(p, li int) float32 {
	return float32(t.doc.fw.prefix(p)) - t.viewTop() + t.m.padY + float32(li)*t.m.pitch
}

// lineOf returns the paragraph and line holding offset off, laid out.
func (t *TextView) lineOf(off int) (int, int) {
	p := t.doc.paraOf(off)
	lay := t.ensureLayout(p)
	return p, lineIndexAt(lay.lines, off-t.doc.paraStart[p])
}

func (t *TextView) scrollBy(dy float32) {
	t.topDy += dy
	t.clampView()
}

// clampView normalises the anchor (topDy within the top paragraph) and
// keeps the viewport inside the document, laying out paragraphs it crosses.
func (t *TextView) clampView() {
	n := t.doc.paras()
	if t.m.colW <= 0 || n == 0 {
		return
	}
	t.normalizeTop()
	// Do not scroll past the end: the paragraphs below the anchor must fill
	// the viewport.
	need := t.size.Height - 2*t.m.padY
	avail := -t.topDy
	for p := t.topPara; p < n && avail < need; p++ {
		t.ensureLayout(p)
		avail += t.doc.height(p)
	}
	if avail < need {
		t.topDy -= need - avail
		t.normalizeTop()
	}
}

func (t *TextView) normalizeTop() {
	n := t.doc.paras()
	for t.topDy < 0 && t.topPara > 0 {
		t.topPara--
		t.ensureLayout(t.topPara)
		t.topDy += t.doc.height(t.topPara)
	}
	if t.topDy < 0 {
		t.topDy = 0
	}
	for t.topPara < n-1 {
		t.ensureLayout(t.topPara)
		h := t.doc.height(t.topPara)
		if t.topDy < h {
			break
		}
		t.topDy -= h
		t.topPara++
	}
}

// jumpTo puts document y at the top of the viewport.
func (t *TextView) jumpTo(y float32) {
	y = max(y, 0)
	p := t.doc.fw.find(int64(y))
	t.topPara = p
	t.topDy = y - float32(t.doc.fw.prefix(p))
	t.clampView()
}

// scrollGeometry returns the scroll range and thumb placement.
func (t *TextView) scrollGeometry() (total, thumbY, thumbH float32, ok bool) {
	viewH := t.size.Height
	total = float32(t.doc.fw.total()) + 2*t.m.padY
	if total <= viewH+0.5 || viewH <= 0 {
		return total, 0, 0, false
	}
	thumbH = max(24, viewH*viewH/total)
	thumbH = min(thumbH, viewH)
	frac := t.viewTop() / (total - viewH)
	frac = min(max(frac, 0), 1)
	return total, frac * (viewH - thumbH), thumbH, true
}

func (t *TextView) inScrollBar(p fyne.Position) bool {
	_, _, _, ok := t.scrollGeometry()
	return ok && p.X >= t.size.Width-t.m.sbW-2
}

// locate maps a widget position to a laid-out paragraph and line; y
// outside the document clamps to its first or last line.
func (t *TextView) locate(pos fyne.Position) (p, li int, lay *paraLayout) {
	docY := t.viewTop() + pos.Y - t.m.padY
	total := float32(t.doc.fw.total())
	switch {
	case docY < 0:
		p = 0
		lay = t.ensureLayout(p)
		return p, 0, lay
	case docY >= total:
		p = t.doc.paras() - 1
		lay = t.ensureLayout(p)
		return p, len(lay.lines) - 1, lay
	}
	p = t.doc.fw.find(int64(docY))
	lay = t.ensureLayout(p)
	rel := docY - float32(t.doc.fw.prefix(p))
	li = min(max(int(rel/t.m.pitch), 0), len(lay.lines)-1)
	return p, li, lay
}

// offsetAt returns the code-point offset nearest to a widget position, for
// selecting: above the text is 0, below it the end.
func (t *TextView) offsetAt(pos fyne.Position) int {
	docY := t.viewTop() + pos.Y - t.m.padY
	if docY < 0 {
		return 0
	}
	if docY >= float32(t.doc.fw.total()) {
		return len(t.doc.runes)
	}
	p, li, lay := t.locate(pos)
	ln := &lay.lines[li]
	rel := ln.offsetAtX(pos.X-t.m.colX, true, t.m.spaceW, t.meas.prefix)
	if li+1 < len(lay.lines) && rel >= int(ln.end) {
		rel = int(ln.end) - 1 // stay on this line rather than the next one's start
		rel = max(rel, int(ln.textEnd))
	}
	return t.doc.paraStart[p] + rel
}

// charAt returns the offset of the character under a widget position, or -1
// when the position is not over text.
func (t *TextView) charAt(pos fyne.Position) int {
	docY := t.viewTop() + pos.Y - t.m.padY
	if docY < 0 || docY >= float32(t.doc.fw.total()) {
		return -1
	}
	p, li, lay := t.locate(pos)
	rel := lay.lines[li].offsetAtX(pos.X-t.m.colX, false, t.m.spaceW, t.meas.prefix)
	if rel < 0 {
		return -1
	}
	return t.doc.paraStart[p] + rel
}

// positionOf returns the widget position of the top-left of the text box of
// the character at off, and the height of that box.
// PositionOf returns where the boundary before code point off is drawn,
// relative to the view (the top of its line's text), and the text's height:
// for placing something next to a span, or for driving the view in tests of
// the windows that use it.
func (t *TextView) PositionOf(off int) (fyne.Position, float32) { return t.positionOf(off) }

func (t *TextView) positionOf(off int) (fyne.Position, float32) {
	off = min(max(off, 0), len(t.doc.runes))
	p, li := t.lineOf(off)
	lay := t.ensureLayout(p)
	ln := &lay.lines[li]
	x := t.m.colX + ln.xAt(off-t.doc.paraStart[p], t.m.spaceW, t.meas.prefix)
	return fyne.NewPos(x, t.lineScreenY(p, li)+t.textTop(p)), t.m.textH
}

// textTop is the y of the text box within a line of paragraph p: an empty
// paragraph is only blankH high, so its (empty) box is centred in it.
func (t *TextView) textTop(p int) float32 {
	if t.doc.paraStart[p+1]-1 == t.doc.paraStart[p] {
		return float32(math.Round(float64(t.m.blankH-t.m.textH) / 2))
	}
	return t.m.textTop
}

// --- events ---

// Cursor shows the text cursor.
func (t *TextView) Cursor() desktop.Cursor { return desktop.TextCursor }

// Scrolled scrolls the view by the wheel delta.
func (t *TextView) Scrolled(ev *fyne.ScrollEvent) {
	t.scrollBy(-ev.Scrolled.DY)
	t.Refresh()
}

// MouseDown takes the focus and starts a selection (or a scroll bar drag).
func (t *TextView) MouseDown(ev *desktop.MouseEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(t); c != nil && !t.focused {
		c.Focus(t)
	}
	if ev.Button != desktop.MouseButtonPrimary {
		return
	}
	if t.inScrollBar(ev.Position) {
		_, thumbY, thumbH, _ := t.scrollGeometry()
		t.sbDrag = true
		if ev.Position.Y >= thumbY && ev.Position.Y <= thumbY+thumbH {
			t.sbGrab = ev.Position.Y - thumbY
		} else { // click in the track: centre the thumb there
			t.sbGrab = thumbH / 2
			t.dragThumb(ev.Position.Y)
		}
		return
	}
	t.pressed = true
	t.dragging = false
	t.pressAlt = ev.Modifier&fyne.KeyModifierAlt != 0
	t.anchor = t.offsetAt(ev.Position)
}

// MouseUp ends a press.
func (t *TextView) MouseUp(*desktop.MouseEvent) {
	t.pressed = false
	t.sbDrag = false
}

func (t *TextView) dragThumb(y float32) {
	total, _, thumbH, ok := t.scrollGeometry()
	if !ok {
		return
	}
	frac := (y - t.sbGrab) / (t.size.Height - thumbH)
	frac = min(max(frac, 0), 1)
	t.jumpTo(frac * (total - t.size.Height))
	t.Refresh()
}

// Dragged extends the selection (snapped live) and scrolls when the pointer
// leaves the view.
func (t *TextView) Dragged(ev *fyne.DragEvent) {
	if t.sbDrag {
		t.dragThumb(ev.Position.Y)
		return
	}
	if !t.pressed { // no MouseDown seen (e.g. a touch drag)
		t.pressed = true
		t.pressAlt = false
		t.anchor = t.offsetAt(ev.Position.Subtract(ev.Dragged))
	}
	if !t.dragging {
		t.dragging = true
		if t.selSpan != "" {
			t.selSpan = ""
			if t.OnSpanSelected != nil {
				t.OnSpanSelected("")
			}
		}
	}
	if ev.Position.Y < 0 {
		t.scrollBy(min(ev.Position.Y, -t.m.pitch/2))
	} else if ev.Position.Y > t.size.Height {
		t.scrollBy(max(ev.Position.Y-t.size.Height, t.m.pitch/2))
	}
	cur := t.offsetAt(ev.Position)
	a, b := min(t.anchor, cur), max(t.anchor, cur)
	if !t.pressAlt && t.Snap != nil {
		a, b = t.Snap(t.doc.runes, a, b)
		a, b = min(max(a, 0), len(t.doc.runes)), min(max(b, 0), len(t.doc.runes))
	}
	t.selStart, t.selEnd, t.hasSel = a, b, a < b
	t.Refresh()
}

// DragEnd finishes the selection and reports it.
func (t *TextView) DragEnd() {
	if t.sbDrag {
		t.sbDrag = false
		return
	}
	wasDragging := t.dragging
	t.dragging, t.pressed = false, false
	if !wasDragging {
		return
	}
	if !t.hasSel {
		t.selStart, t.selEnd = 0, 0
	}
	if t.OnSelectionChanged != nil {
		t.OnSelectionChanged(t.selStart, t.selEnd)
	}
}

// Tapped selects the innermost span under the pointer (or the span whose
// label tag was clicked); a click on plain text clears both selections.
func (t *TextView) Tapped(ev *fyne.PointEvent) {
	if t.inScrollBar(ev.Position) {
		return
	}
	if t.hasSel {
		s := t.selStart
		t.hasSel, t.selStart, t.selEnd = false, 0, 0
		if t.OnSelectionChanged != nil {
			t.OnSelectionChanged(s, s)
		}
	}
	id := t.spanAtPos(ev.Position)
	changed := id != t.selSpan
	t.selSpan = id
	t.Refresh()
	if changed || id != "" {
		if t.OnSpanSelected != nil {
			t.OnSpanSelected(id)
		}
	}
}

func (t *TextView) spanAtPos(pos fyne.Position) string {
	for i := len(t.tags) - 1; i >= 0; i-- {
		tg := t.tags[i]
		if pos.X >= tg.pos.X && pos.X < tg.pos.X+tg.size.Width && pos.Y >= tg.pos.Y && pos.Y < tg.pos.Y+tg.size.Height {
			return tg.id
		}
	}
	off := t.charAt(pos)
	if off < 0 {
		return ""
	}
	if i := t.idx.innermostAt(off); i >= 0 {
		return t.idx.spans[i].ID
	}
	return ""
}

// FocusGained implements fyne.Focusable.
func (t *TextView) FocusGained() {
	t.focused = true
	t.Refresh()
}

// FocusLost implements fyne.Focusable.
func (t *TextView) FocusLost() {
	t.focused = false
	t.Refresh()
}

// TypedRune passes the rune to OnKey.
func (t *TextView) TypedRune(r rune) {
	if t.OnKey != nil {
		t.OnKey(r)
	}
}

// TypedKey handles Delete/BackSpace (OnDelete), Escape (clears the text
// selection, then the span selection) and the scrolling keys.
func (t *TextView) TypedKey(ev *fyne.KeyEvent) {
	page := max(t.size.Height-2*t.m.pitch, t.m.pitch)
	switch ev.Name {
	case fyne.KeyDelete, fyne.KeyBackspace:
		if t.OnDelete != nil {
			t.OnDelete()
		}
		return
	case fyne.KeyEscape:
		switch {
		case t.hasSel:
			s := t.selStart
			t.hasSel, t.selStart, t.selEnd = false, 0, 0
			if t.OnSelectionChanged != nil {
				t.OnSelectionChanged(s, s)
			}
		case t.selSpan != "":
			t.selSpan = ""
			if t.OnSpanSelected != nil {
				t.OnSpanSelected("")
			}
		}
	case fyne.KeyPageUp:
		t.scrollBy(-page)
	case fyne.KeyPageDown:
		t.scrollBy(page)
	case fyne.KeyUp:
		t.scrollBy(-t.m.pitch)
	case fyne.KeyDown:
		t.scrollBy(t.m.pitch)
	case fyne.KeyHome:
		t.topPara, t.topDy = 0, 0
		t.clampView()
	case fyne.KeyEnd:
		if n := t.doc.paras(); n > 0 && t.m.colW > 0 {
			t.topPara = n - 1
			t.ensureLayout(t.topPara)
			t.topDy = t.doc.height(t.topPara)
			t.clampView()
		}
	default:
		return
	}
	t.Refresh()
}

// TypedShortcut copies the selected text on Ctrl/Cmd+C.
func (t *TextView) TypedShortcut(s fyne.Shortcut) {
	if _, ok := s.(*fyne.ShortcutCopy); ok {
		if t.hasSel {
			fyne.CurrentApp().Clipboard().SetContent(t.SelectedText())
		}
		return
	}
	if t.OnShortcut != nil {
		t.OnShortcut(s)
	}
}

// --- document ---

// document holds the text split into paragraphs with their (lazy) layouts
// and a Fenwick tree of their heights: exact once laid out, estimated before.
type document struct {
	runes     []rune
	paraStart []int // n+1 entries; paragraph p is [paraStart[p], paraStart[p+1]-1)
	lay       []*paraLayout
	h         []int32
	fw        fenwick
	width     float32
}

func (d *document) setText(r []rune) {
	d.runes = r
	d.paraStart = d.paraStart[:0]
	d.paraStart = append(d.paraStart, 0)
	for i, c := range r {
		if c == '\n' {
			d.paraStart = append(d.paraStart, i+1)
		}
	}
	d.paraStart = append(d.paraStart, len(r)+1)
	n := len(d.paraStart) - 1
	d.lay = make([]*paraLayout, n)
	d.h = make([]int32, n)
	d.fw.build(d.h)
}

func (d *document) paras() int { return len(d.paraStart) - 1 }

func (d *document) paraRunes(p int) []rune { return d.runes[d.paraStart[p] : d.paraStart[p+1]-1] }

func (d *document) height(p int) float32 { return float32(d.h[p]) }

// paraOf returns the paragraph containing offset off (a newline belongs to
// the paragraph it ends).
func (d *document) paraOf(off int) int {
	p := sort.SearchInts(d.paraStart, off+1) - 1
	return min(max(p, 0), d.paras()-1)
}

// setWidth re-estimates every paragraph's height for a new wrap width; the
// layouts are redone lazily.
func (d *document) setWidth(w float32, m *metrics) {
	d.width = w
	perLine := max(float64(w/m.avgW), 1)
	for p := range d.h {
		n := d.paraStart[p+1] - 1 - d.paraStart[p]
		if lay := d.lay[p]; lay != nil && lay.width == w {
			d.h[p] = heightOf(lay, n, m)
			continue
		}
		if n == 0 {
			d.h[p] = int32(m.blankH)
			continue
		}
		lines := max(math.Ceil(float64(n)*1.06/perLine), 1)
		d.h[p] = int32(lines * float64(m.pitch))
	}
	d.fw.build(d.h)
}

func heightOf(lay *paraLayout, n int, m *metrics) int32 {
	if n == 0 {
		return int32(m.blankH)
	}
	return int32(len(lay.lines)) * int32(m.pitch)
}

func (d *document) ensure(p int, m *metrics, ms *measurer) *paraLayout {
	if lay := d.lay[p]; lay != nil && lay.width == d.width {
		return lay
	}
	r := d.paraRunes(p)
	lay := &paraLayout{width: d.width, lines: wrapRunes(r, max(d.width, 1), m.spaceW, ms.width)}
	d.lay[p] = lay
	if h := heightOf(lay, len(r), m); h != d.h[p] {
		d.fw.add(p, int64(h-d.h[p]))
		d.h[p] = h
	}
	return lay
}

// measurer caches text widths per word for the theme text size.
type measurer struct {
	size   float32
	widths map[string]float32
}

func (ms *measurer) reset(size float32) {
	ms.size = size
	ms.widths = make(map[string]float32, 1024)
}

func (ms *measurer) width(s string) float32 {
	if w, ok := ms.widths[s]; ok {
		return w
	}
	w := fyne.MeasureText(displayText(s), ms.size, fyne.TextStyle{}).Width
	ms.widths[strings.Clone(s)] = w
	return w
}

// prefix is the width of the first k runes of a line token.
func (ms *measurer) prefix(t *lineTok, k int) float32 {
	if k <= 0 {
		return 0
	}
	if k >= int(t.n) {
		return t.w
	}
	return ms.width(t.s[:runeByteOffset(t.s, k)])
}
