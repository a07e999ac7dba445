package widgets

import (
	"image/color"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

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
// tokens by the Segmenter unless Alt is held at mouse-down), by double-click
// (a word), triple-click (a sentence) or from the keyboard, selects a span by
// clicking it or with Tab, and types keys that the app interprets (OnKey,
// OnDelete, OnActivate). Shift+click extends the selection. The selected
// span of an editable view has a handle at each end: dragging one moves that
// edge (OnSpanEdges).
//
// Keys, while the view has focus:
//
//	← →                 caret by one character (a whole emoji or accented letter)
//	Ctrl+← →            caret by one token
//	↑ ↓                 caret by one visual line, keeping its x
//	Home End            start, end of the visual line
//	Ctrl+Home Ctrl+End  start, end of the text
//	Page Up, Page Down  one screen, less a line (the caret keeps its place on screen)
//	Shift + any of them extend the selection from its anchor, snapped to
//	                    tokens (so Shift+← → step a token at a time); with
//	                    Alt too, by exact characters
//	Ctrl+A              select the whole text
//	Tab, Shift+Tab      select the next, previous span (SelectNextSpan)
//	Enter, Space        OnActivate on the selected span
//	Escape              clear the selection and the selected span
//	Ctrl+Alt+← →        move the selected span's start edge one token (OnSpanEdges)
//	Ctrl+Alt+Shift+← →  move its end edge one token (OnSpanEdges)
//
// Alt+← → (without Shift or Ctrl) and every other shortcut go to OnShortcut.
//
// A paragraph holding right-to-left text (Arabic, Hebrew, …) is laid out by
// the Unicode bidirectional algorithm: wrapped in logical order, each line
// drawn in visual order, right-aligned when the paragraph's first strong
// character runs right to left. Offsets stay logical; hit-testing, the
// caret, ↑ ↓, the selection and the spans follow what is drawn, so one
// logical range may show as several rectangles on a line; ← → move in
// logical order (→ goes on to the next character, wherever it is drawn).
//
// Relations between spans (SetRelations) are drawn as arcs above the lines:
// a bracket from one span to the other with the relation's label on it
// (and an arrow head at To when it is directed), or, when the other end is
// on another line, a run from the span to the column's edge towards it.
// Arcs sharing a line are stacked in levels so that none overlaps another,
// shorter ones lower. By default only the relations of the selected span
// (and the selected relation) are drawn (SetShowAllRelations). A click on an
// arc's bar or label selects the relation (OnRelationSelected); Ctrl+drag
// from one span to another proposes one (OnRelationDrag).
//
// Only the lines on screen have canvas objects: paragraphs are wrapped lazily
// as they come near the viewport, so a megabyte of text opens instantly.
// Lines are drawn at the text's own line height; a line gets room above it
// only when a tagged span starts on it (and more for the levels of the arcs
// ending on it), and below it only for the underline lanes it has.
type TextView struct {
	widget.BaseWidget

	// OnSelectionChanged is called whenever the user changes the text
	// selection: at the end of a drag, on a double or triple click, on each
	// keyboard move that changes it, and with start == end when a click, a
	// caret move or Escape clears it. Programmatic changes (SetSelection...)
	// do not call it.
	OnSelectionChanged func(start, end int)
	// OnSpanSelected is called when a click or Tab selects a span, and with ""
	// when a click on plain text, a caret move, a new selection or Escape
	// clears that selection. SelectSpan does not call it.
	OnSpanSelected func(id string)
	// OnSpanClicked is called after OnSpanSelected when the span was
	// selected by a click (not by Tab or a key): a click on a suggestion
	// accepts it.
	OnSpanClicked func(id string)

	spacing float32 // added between lines (SetLineSpacing)

	hl    [][2]int // find matches, by start
	hlCur int      // the current one, or -1
	// OnKey receives the runes typed while the view has focus and is not
	// read-only (except the Space that activates a selected span); it
	// returns whether it handled the rune.
	OnKey func(r rune) bool
	// OnDelete is called when Delete or BackSpace is pressed while the view
	// has focus and is not read-only.
	OnDelete func()
	// OnActivate is called with the selected span's ID when Enter or Space
	// is pressed (e.g. to open its note); read-only views call it too.
	OnActivate func(spanID string)
	// OnSpanEdges is called when the user moves an edge of the selected span,
	// by dragging one of its handles (on release) or with Ctrl+Alt(+Shift)
	// +←/→ (once per press), with the new extent: start < end, snapped to
	// tokens unless Alt was held at the start of the drag. The view does not
	// change the span itself: the app applies the edit and calls SetSpans.
	// Read-only views never call it.
	OnSpanEdges func(spanID string, start, end int)
	// OnScrolled is called after the user or a method scrolled the view, so
	// the app can show ScrollFraction.
	OnScrolled func()
	// OnShortcut receives the shortcuts the view does not handle itself
	// (all but Copy, Select all and the caret keys above) while it has
	// focus, so window-wide ones still work.
	OnShortcut func(fyne.Shortcut)
	// Segmenter gives the view its tokens (snapping, word and sentence
	// bounds); nil keeps character precision and treats runs of non-space
	// as words and lines as sentences.
	Segmenter Segmenter
	// OnRelationSelected is called when a click on an arc (or its label)
	// selects a relation, and with "" when a click elsewhere, Tab or Escape
	// clears that selection. The selected span stays selected.
	// SelectRelation does not call it.
	OnRelationSelected func(id string)
	// OnRelationDrag is called when the user drags with Ctrl held from one
	// span to another span (from, to span IDs); the app makes the relation
	// (and calls SetRelations). Read-only views never call it, and without
	// it a Ctrl+drag selects text as a plain one does.
	OnRelationDrag func(fromSpan, toSpan string)

	readOnly bool

	str     string
	doc     document
	idx     spanIndex
	spanGen uint64 // bumped by SetSpans: line heights depend on the spans (and the arcs drawn)
	// spansVer is bumped by SetSpans only (the relations resolve against it).
	spansVer uint64
	meas     measurer
	m        metrics

	selStart, selEnd int
	hasSel           bool
	selSpan          string

	// The caret and the keyboard selection's fixed end, in code points.
	caret, kbAnchor int
	goalX           float32 // column x kept by ↑ ↓, when hasGoal
	hasGoal         bool
	shift           bool // a Shift key is down (plain Shift+key arrives as TypedKey)

	// The viewport is anchored to a paragraph so that correcting estimated
	// heights elsewhere never moves what is on screen.
	topPara  int
	topDy    float32
	size     fyne.Size
	pending  int // offset to scroll to once the size is known, or -1
	lastFrac float64

	focused  bool
	pressed  bool
	pressAlt bool
	dragging bool
	// A drag selects from [anchorLo, anchorHi) (one point for a plain press,
	// the clicked word or sentence after a double or triple click) to the
	// pointer.
	anchorLo, anchorHi int
	sbDrag             bool
	sbGrab             float32

	// Multiple clicks are counted from the presses (a DoubleTappable widget
	// gets every single tap only after the double-tap delay).
	clicks    int
	lastClick time.Time
	clickPos  fyne.Position
	skipTap   bool // this press did its work; ignore the tap that follows
	now       func() time.Time

	edge edgeDrag

	rel        relIndex
	selRel     string
	showAllRel bool
	pendRel    string    // SetPendingRelation
	arcIn      arcInputs // what arcKey was derived from
	arcKey     arcKey    // which arcs the lines were measured for
	arcVer     [2]uint64 // the relations and spans arcKey was derived for
	relHits    []relHit  // clickable arcs of the last frame
	relDrag    relDrag   // a Ctrl+drag from a span
	// inertPress is 1 when a drag of this press must do nothing (it
	// picked an arc, or Escape cancelled its relation drag), 2 once dragged.
	inertPress int8
	hover      fyne.Position
	hoverOn    bool   // the pointer is over the view (hover is where)
	fr         []frag // frags scratch (arc anchors)

	tags    []tagHit  // clickable label tags of the last frame
	handles [2]tagHit // the selected span's edge handles of the last frame
	hits    []int     // span indexes scratch
}

type tagHit struct {
	pos  fyne.Position
	size fyne.Size
	id   string
}

func (h *tagHit) contains(p fyne.Position) bool {
	return h.id != "" && p.X >= h.pos.X && p.X < h.pos.X+h.size.Width && p.Y >= h.pos.Y && p.Y < h.pos.Y+h.size.Height
}

var (
	_ fyne.Widget         = (*TextView)(nil)
	_ fyne.Focusable      = (*TextView)(nil)
	_ fyne.Tabbable       = (*TextView)(nil)
	_ fyne.Tappable       = (*TextView)(nil)
	_ fyne.Draggable      = (*TextView)(nil)
	_ fyne.Scrollable     = (*TextView)(nil)
	_ fyne.Shortcutable   = (*TextView)(nil)
	_ desktop.Mouseable   = (*TextView)(nil)
	_ desktop.Keyable     = (*TextView)(nil)
	_ desktop.Cursorable  = (*TextView)(nil)
	_ desktop.Hoverable   = (*TextView)(nil)
	_ fyne.WidgetRenderer = (*textViewRenderer)(nil)
)

// NewTextView returns an empty view; set its Segmenter to snap selections to
// tokens.
func NewTextView() *TextView {
	t := &TextView{pending: -1, spanGen: 1, now: time.Now}
	t.doc.setText(nil)
	t.ExtendBaseWidget(t)
	return t
}

// SetText replaces the text; it clears the selections (of text, span and
// relation), puts the caret at the start and scrolls to the top. Spans and
// relations are kept (the app normally calls SetSpans and SetRelations
// next).
func (t *TextView) SetText(text string) {
	t.str = text
	t.doc.setText([]rune(text))
	t.hasSel, t.selStart, t.selEnd = false, 0, 0
	t.selSpan, t.selRel = "", ""
	t.relDrag = relDrag{}
	t.caret, t.kbAnchor, t.hasGoal = 0, 0, false
	t.topPara, t.topDy = 0, 0
	t.pending = -1
	t.pressed, t.dragging = false, false
	t.edge = edgeDrag{}
	t.doc.width = 0 // force estimates for the new text at the current width
	t.relayout()
	t.Refresh()
	t.notifyScroll()
}

// Text returns the text.
func (t *TextView) Text() string { return t.str }

// SetSpans replaces all spans. It does not re-wrap text: sorting, lanes and
// the interval index cost O(n log n), then only the visible lines are
// measured again (their room for tags and lanes) and redrawn.
func (t *TextView) SetSpans(spans []Span) {
	t.idx.set(spans)
	t.spansChanged()
}

// AddSpan adds one span to those shown, as SetSpans with sp among them
// would, without sorting the others again: for a new span, at a label key.
func (t *TextView) AddSpan(sp Span) {
	t.idx.add(sp)
	t.spansChanged()
}

// spansChanged redraws the view after its spans changed: the visible lines'
// heights (their room for tags and lanes) and the relations depend on them.
func (t *TextView) spansChanged() {
	t.spanGen++
	t.spansVer++
	t.Refresh()
	t.notifyScroll()
}

// Spans returns a copy of the spans shown (those not empty), by start, the
// longer first.
func (t *TextView) Spans() []Span { return slices.Clone(t.idx.spans) }

// SetReadOnly marks the view as showing spans the user may not change (a
// colleague's layer). A read-only view still scrolls, moves its caret,
// selects text and spans (OnSelectionChanged, OnSpanSelected, OnActivate),
// copies and passes shortcuts to OnShortcut, but typed runes no longer reach
// OnKey nor Delete and BackSpace OnDelete, and it shows no edge handles, so
// no key or drag can edit through it; and its text selection is drawn as a
// neutral grey wash instead of the theme's selection colour, so it reads as
// "to copy", not "to label".
func (t *TextView) SetReadOnly(ro bool) {
	if t.readOnly == ro {
		return
	}
	t.readOnly = ro
	t.edge = edgeDrag{}
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
// OnSelectionChanged; the caret goes to its end.
func (t *TextView) SetSelection(start, end int) {
	n := len(t.doc.runes)
	start, end = min(max(start, 0), n), min(max(end, 0), n)
	if start > end {
		start, end = end, start
	}
	t.selStart, t.selEnd, t.hasSel = start, end, start < end
	t.kbAnchor, t.caret, t.hasGoal = start, end, false
	t.Refresh()
}

// ClearSelection removes the text selection without calling
// OnSelectionChanged.
func (t *TextView) ClearSelection() {
	t.hasSel, t.selStart, t.selEnd = false, 0, 0
	t.kbAnchor = t.caret
	t.Refresh()
}

// SelectedText returns the selected text, "" if none.
func (t *TextView) SelectedText() string {
	if !t.hasSel {
		return ""
	}
	return string(t.doc.runes[t.selStart:t.selEnd])
}

// Caret returns the caret's offset in code points.
func (t *TextView) Caret() int { return t.caret }

// SelectedSpan returns the ID of the span selected by clicking it (or by
// SelectSpan), "" if none.
func (t *TextView) SelectedSpan() string { return t.selSpan }

// SelectSpan outlines the span with this ID, puts the caret at its start and
// scrolls it into view; "" or an unknown ID clears the span selection. It
// does not call OnSpanSelected.
func (t *TextView) SelectSpan(id string) {
	i := t.idx.find(id)
	if i < 0 {
		t.selSpan = ""
		t.edge = edgeDrag{}
		t.Refresh()
		return
	}
	t.selSpan = id
	t.caret, t.kbAnchor, t.hasGoal = t.idx.spans[i].Start, t.idx.spans[i].Start, false
	t.ScrollToOffset(t.idx.spans[i].Start)
	t.Refresh()
}

// SelectNextSpan selects the span after (dir > 0) or before (dir < 0) the
// selected span, or if none is selected the first span starting at or after
// the caret (the last one starting before it), in document order (by start,
// then longest first). It clears the text selection (and the selected
// relation, calling OnRelationSelected("")), puts the caret at the span's
// start, scrolls it into view and calls OnSpanSelected. It returns
// false, changing nothing, when there is no such span. Tab and Shift+Tab
// call it; the app may bind other keys to it.
func (t *TextView) SelectNextSpan(dir int) bool {
	n := len(t.idx.spans)
	if n == 0 || dir == 0 {
		return false
	}
	var i int
	if cur := t.idx.find(t.selSpan); cur >= 0 {
		i = cur + 1
		if dir < 0 {
			i = cur - 1
		}
	} else {
		i = sort.Search(n, func(i int) bool { return t.idx.spans[i].Start >= t.caret })
		if dir < 0 {
			i--
		}
	}
	if i < 0 || i >= n {
		return false
	}
	sp := &t.idx.spans[i]
	had, s := t.hasSel, t.selStart
	t.hasSel, t.selStart, t.selEnd = false, 0, 0
	t.selSpan = sp.ID
	t.caret, t.kbAnchor, t.hasGoal = sp.Start, sp.Start, false
	t.ScrollToOffset(sp.Start)
	t.Refresh()
	if had && t.OnSelectionChanged != nil {
		t.OnSelectionChanged(s, s)
	}
	if t.OnSpanSelected != nil {
		t.OnSpanSelected(sp.ID)
	}
	t.clearRelationByUser()
	t.notifyScroll()
	return true
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
	ln := &t.doc.lay[p].lines[li]
	y := t.lineScreenY(p, li)
	if y >= 0 && y+ln.h <= t.size.Height {
		return
	}
	t.topPara = p
	t.topDy = ln.y
	t.scrollBy(-float32(math.Round(float64(t.size.Height / 3))))
	t.Refresh()
	t.notifyScroll()
}

// revealOffset scrolls as little as needed to show the line holding off
// whole (the caret after a key).
func (t *TextView) revealOffset(off int) {
	if t.size.Height <= 0 || t.m.colW <= 0 {
		t.pending = off
		return
	}
	p, li := t.lineOf(off)
	ln := &t.doc.lay[p].lines[li]
	y := t.lineScreenY(p, li)
	switch {
	case y < 0:
		t.topPara, t.topDy = p, ln.y
	case y+ln.h > t.size.Height:
		t.topPara, t.topDy = p, ln.y+ln.h-(t.size.Height-2*t.m.padY)
	default:
		return
	}
	t.clampView()
}

// ScrollFraction tells how far down the text the view is: 0 at the top (or
// when the whole text fits), 1 at the bottom. Heights of paragraphs not yet
// shown are estimated, so the value may shift slightly as they are laid out.
func (t *TextView) ScrollFraction() float64 {
	total := float64(t.doc.fw.total()) + 2*float64(t.m.padY)
	viewH := float64(t.size.Height)
	if viewH <= 0 || total <= viewH+0.5 {
		return 0
	}
	return min(max(float64(t.viewTop())/(total-viewH), 0), 1)
}

// notifyScroll calls OnScrolled when the fraction changed since last time.
func (t *TextView) notifyScroll() {
	f := t.ScrollFraction()
	if f == t.lastFrac {
		return
	}
	t.lastFrac = f
	if t.OnScrolled != nil {
		t.OnScrolled()
	}
}

// CreateRenderer implements fyne.Widget.
func (t *TextView) CreateRenderer() fyne.WidgetRenderer {
	t.ExtendBaseWidget(t)
	return newTextViewRenderer(t)
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
	lineH             float32                 // a plain line's height, whole pixels
	tagRoom           float32                 // added above a line where a tagged span starts
	arcLevelH         float32                 // the room of one level of arcs above a line
	laneOff           float32                 // y of lane 0's underline below the text box top
	laneRoom          [shownLanes + 1]float32 // line body height with k lanes
	blankH            float32                 // height of an empty paragraph
	padX, padY        float32
	sbW               float32 // scroll bar strip width
	colX, colW        float32
	spaceW, avgW      float32
	fg, sel, focus    color.Color
	primary           color.Color // caret, focus ring
	bg                color.Color
	selRO             color.Color // the selection in a read-only view
	spacing           float32     // SizeNameLineSpacing when measured
	sbColor           color.Color
}

const (
	laneThick  = 2
	laneGap    = 2
	shownLanes = 3 // deeper lanes draw on the last one
	maxEms     = 80
)

// updateMetrics reads the theme; it reports whether text geometry changed.
func (t *TextView) updateMetrics() bool {
	th := t.Theme()
	m := &t.m
	size := th.Size(theme.SizeNameText)
	changed := size != m.textSize || t.spacing != m.spacing
	m.spacing = t.spacing
	m.textSize = size
	m.tagSize = max(th.Size(theme.SizeNameCaptionText)-1, 8)
	m.fg = panelColor(th, theme.ColorNameForeground)
	m.sel = panelColor(th, theme.ColorNameSelection)
	m.selRO = tvAlpha(m.fg, 0.2)
	m.focus = panelColor(th, theme.ColorNameFocus)
	m.primary = panelColor(th, theme.ColorNamePrimary)
	m.bg = panelColor(th, theme.ColorNameBackground)
	m.sbColor = panelColor(th, theme.ColorNameScrollBar)
	if changed || m.lineH == 0 {
		t.meas.reset(size)
		sz, base := fyne.CurrentApp().Driver().RenderedTextSize("Mg", size, fyne.TextStyle{}, nil)
		m.textH, m.baseline = sz.Height, base
		tsz := fyne.MeasureText("Claim", m.tagSize, fyne.TextStyle{Bold: true})
		m.tagH = tsz.Height
		m.lineH = float32(math.Ceil(float64(m.textH + t.spacing)))
		// The tag strip may overlap the text box's internal leading.
		m.tagRoom = float32(math.Round(float64(m.tagH - (m.textH-m.baseline)*0.5)))
		m.arcLevelH = float32(math.Ceil(float64(m.tagH))) + 1
		m.laneOff = float32(math.Round(float64(m.baseline + 3)))
		m.laneRoom[0] = m.lineH
		for k := 1; k <= shownLanes; k++ {
			m.laneRoom[k] = max(m.lineH, float32(math.Ceil(float64(m.laneOff+float32(k*(laneThick+laneGap))))))
		}
		m.blankH = float32(math.Round(float64(m.lineH / 2)))
		m.spaceW = fyne.MeasureText(" ", size, fyne.TextStyle{}).Width
		sample := "The council approved the plan, with 280 votes; critics said it was rushed."
		m.avgW = fyne.MeasureText(sample, size, fyne.TextStyle{}).Width / float32(len(sample))
		m.padX = th.Size(theme.SizeNamePadding) * 3
		m.padY = th.Size(theme.SizeNamePadding) * 2
		m.sbW = 12
	}
	return changed
}

// maxLineH is the tallest a line can be.
func (m *metrics) maxLineH() float32 { return m.tagRoom + m.laneRoom[shownLanes] }

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
	if t.m.lineH == 0 {
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

// ensureLayout returns paragraph p wrapped at the current width, with its
// lines measured for the current spans; its height in the tree is then
// exact.
func (t *TextView) ensureLayout(p int) *paraLayout {
	t.syncArcs()
	lay := t.doc.ensure(p, &t.m, &t.meas)
	if lay.gen != t.spanGen {
		t.measureLines(p, lay)
		lay.gen = t.spanGen
		t.doc.setHeight(p, int32(lay.height))
	}
	return lay
}

// measureLines gives each line of paragraph p its height and the y of its
// text box: a plain line is lineH high; a line where a span with a tag or
// mark starts gets tagRoom above its text (and above that the room of the
// levels of arcs ending on it, measureArcs), and a line with underlines (or
// boxes) the room of its deepest lane below the baseline.
func (t *TextView) measureLines(p int, lay *paraLayout) {
	m := &t.m
	lines := lay.lines
	ps := t.doc.paraStart[p]
	n := t.doc.paraStart[p+1] - 1 - ps
	if n == 0 {
		ln := &lines[0]
		ln.y, ln.h = 0, m.blankH
		ln.textTop = float32(math.Round(float64(m.blankH-m.textH) / 2))
		lay.height = m.blankH
		return
	}
	for i := range lines {
		lines[i].tag, lines[i].lanes = false, 0
	}
	t.hits = t.idx.overlapping(ps, ps+n, t.hits[:0])
	for _, si := range t.hits {
		sp := &t.idx.spans[si]
		lanes := int8(min(t.idx.lanes[si], shownLanes-1) + 1)
		tagged := sp.tagText() != "" || sp.Mark != nil
		s0, e0 := max(sp.Start, ps)-ps, min(sp.End, ps+n)-ps
		for li := lineIndexAt(lines, s0); li < len(lines) && int(lines[li].start) < e0; li++ {
			ln := &lines[li]
			if max(s0, int(ln.start)) >= min(e0, int(ln.textEnd)) {
				continue // nothing visible of it here
			}
			ln.lanes = max(ln.lanes, lanes)
			if tagged && sp.Start >= ps+int(ln.start) {
				ln.tag = true
			}
		}
	}
	t.measureArcs(p, lines, ps, n)
	var y float32
	for i := range lines {
		ln := &lines[i]
		ln.textTop = ln.arcH
		if ln.tag {
			ln.textTop += m.tagRoom
		}
		ln.y, ln.h = y, ln.textTop+m.laneRoom[ln.lanes]
		y += ln.h
	}
	lay.height = y
}

// viewTop is the document y at the top of the viewport.
func (t *TextView) viewTop() float32 {
	return float32(t.doc.fw.prefix(t.topPara)) + t.topDy
}

// lineScreenY is the widget y of the top of line li of paragraph p.
func (t *TextView) lineScreenY(p, li int) float32 {
	lay := t.ensureLayout(p)
	return float32(t.doc.fw.prefix(p)) - t.viewTop() + t.m.padY + lay.lines[li].y
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

// --- hit-testing and positions: every mapping between offsets and widget
// coordinates goes through the functions below, lineX and lineOffsetAtX
// (lineLayout's xAt and offsetAtX, or a mixed-direction line's bidiLine)
// and the renderer's frags. ---

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
	li = sort.Search(len(lay.lines), func(i int) bool { return lay.lines[i].y > rel }) - 1
	li = min(max(li, 0), len(lay.lines)-1)
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
	return t.offsetOnLine(p, li, lay, pos.X)
}

// offsetOnLine returns the boundary nearest to widget x on line li of
// paragraph p, staying on that line (a wrapped line's end is the next
// line's start).
func (t *TextView) offsetOnLine(p, li int, lay *paraLayout, x float32) int {
	ln := &lay.lines[li]
	rel := t.lineOffsetAtX(ln, x-t.m.colX, true)
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
	rel := t.lineOffsetAtX(&lay.lines[li], pos.X-t.m.colX, false)
	if rel < 0 {
		return -1
	}
	return t.doc.paraStart[p] + rel
}

// PositionOf returns where the boundary before code point off is drawn,
// relative to the view (the top of its line's text), and the text's height
// (the leading edge of the character at off: its right edge when it runs
// right to left; at the end of a paragraph, the trailing edge of the last):
// for placing something next to a span, or for driving the view in tests of
// the windows that use it.
func (t *TextView) PositionOf(off int) (fyne.Position, float32) { return t.positionOf(off) }

func (t *TextView) positionOf(off int) (fyne.Position, float32) {
	off = min(max(off, 0), len(t.doc.runes))
	p, li := t.lineOf(off)
	lay := t.ensureLayout(p)
	ln := &lay.lines[li]
	x, _ := t.lineX(ln, off-t.doc.paraStart[p])
	return fyne.NewPos(t.m.colX+x, t.lineScreenY(p, li)+ln.textTop), t.m.textH
}

// edgePos is where a span edge at off is drawn, like positionOf; an end
// edge stays at the end of the line it ends (positionOf would put a
// wrapped line's end at the next line's start) and, on a mixed-direction
// line, at the trailing edge of the span's last character. rtl tells that
// the edge's character runs right to left; ok is false when it is off
// screen.
func (t *TextView) edgePos(off int, end bool) (pos fyne.Position, rtl, ok bool) {
	off = min(max(off, 0), len(t.doc.runes))
	look := off
	if end && off > 0 {
		look = off - 1
	}
	p, li := t.lineOf(look)
	lay := t.ensureLayout(p)
	ln := &lay.lines[li]
	y := t.lineScreenY(p, li) + ln.textTop
	if y+t.m.textH < 0 || y > t.size.Height {
		return fyne.Position{}, false, false
	}
	rel := off - t.doc.paraStart[p]
	var x float32
	switch {
	case ln.bidi != nil && end && off > 0:
		x, rtl = ln.bidi.endX(rel, &t.meas)
	default:
		x, rtl = t.lineX(ln, rel)
	}
	return fyne.NewPos(t.m.colX+x, y), rtl, true
}

// FocusGained implements fyne.Focusable.
func (t *TextView) FocusGained() {
	t.focused = true
	t.Refresh()
}

// FocusLost implements fyne.Focusable.
func (t *TextView) FocusLost() {
	t.focused = false
	t.shift = false
	t.Refresh()
}

// AcceptsTab implements fyne.Tabbable: Tab walks the spans instead of
// moving the focus.
func (t *TextView) AcceptsTab() bool { return true }

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

// setWidth re-estimates every paragraph's height for a new wrap width (as
// plain lines); the layouts are redone lazily.
func (d *document) setWidth(w float32, m *metrics) {
	d.width = w
	perLine := max(float64(w/m.avgW), 1)
	for p := range d.h {
		n := d.paraStart[p+1] - 1 - d.paraStart[p]
		if lay := d.lay[p]; lay != nil && lay.width == w {
			d.h[p] = int32(lay.height)
			continue
		}
		if n == 0 {
			d.h[p] = int32(m.blankH)
			continue
		}
		lines := max(math.Ceil(float64(n)*1.06/perLine), 1)
		d.h[p] = int32(lines * float64(m.lineH))
	}
	d.fw.build(d.h)
}

// setHeight records paragraph p's exact height.
func (d *document) setHeight(p int, h int32) {
	if h != d.h[p] {
		d.fw.add(p, int64(h-d.h[p]))
		d.h[p] = h
	}
}

// ensure returns paragraph p wrapped at the current width; a new wrap has
// no line heights yet (gen 0).
func (d *document) ensure(p int, m *metrics, ms *measurer) *paraLayout {
	if lay := d.lay[p]; lay != nil && lay.width == d.width {
		return lay
	}
	r := d.paraRunes(p)
	lay := &paraLayout{width: d.width, lines: wrapRunes(r, max(d.width, 1), m.spaceW, ms.width)}
	layoutBidi(r, lay.lines, max(d.width, 1), m.spaceW, ms)
	d.lay[p] = lay
	return lay
}

// measurer caches text widths per word for the theme text size.
type measurer struct {
	size   float32
	widths map[string]float32
	buf    []byte // scratch key for joined
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

// SetHighlights marks the find matches (code point ranges, sorted by start,
// not overlapping) and which one is current (-1: none); the current one is
// scrolled into view. They are drawn under the spans, and are no spans.
func (t *TextView) SetHighlights(ranges [][2]int, current int) {
	t.hl = append(t.hl[:0], ranges...)
	t.hlCur = current
	if current >= 0 && current < len(ranges) {
		t.ScrollToOffset(ranges[current][0])
	}
	t.Refresh()
}

// Highlights returns the find matches and the current one.
func (t *TextView) Highlights() ([][2]int, int) { return t.hl, t.hlCur }

// SetLineSpacing adds px between lines (negative for denser lines).
func (t *TextView) SetLineSpacing(px float32) {
	if px == t.spacing {
		return
	}
	t.spacing = px
	t.Refresh()
}

// LineSpacing is what SetLineSpacing set.
func (t *TextView) LineSpacing() float32 { return t.spacing }
