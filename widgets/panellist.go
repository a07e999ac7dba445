package widgets

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// panelList is what DocList and SpanList share: a widget.List over a slice of
// items whose rows are made and bound only when visible, and one highlighted
// row that the app can set without the callback firing. Call init once; the owner keeps it by value and must not
// be copied afterwards (the list's callbacks point into it).
type panelList[T any] struct {
	items    []T
	src      panelSource[T] // when set, the rows come from it, not items
	id       func(*T) string
	onSelect func(id string)

	selected string // ID of the highlighted row, "" for none
	sel      panelSel

	// bound maps a row index to the row last bound to it, so that one row
	// can be redrawn without List.RefreshItem (which, in Fyne 2.7, refreshes
	// every visible row). Reset by setItems.
	bound map[int]*panelRow[T]
	list  *widget.List
}

func (p *panelList[T]) init(id func(*T) string, onSelect func(id string), render func(*panelRow[T]) fyne.WidgetRenderer) {
	p.id, p.onSelect = id, onSelect
	p.bound = map[int]*panelRow[T]{}
	p.list = widget.NewList(
		p.length,
		func() fyne.CanvasObject { return newPanelRow(render) },
		p.bind)
	p.list.OnSelected = p.listSelected
	p.sel = panelSel{list: p.list, idx: -1, pending: -1}
}

// panelSource gives a panelList its rows from elsewhere (the database,
// page by page): Len rows, At(i) the row at i (asked only for rows being
// bound), Find(id) the position of the row with id, or -1.
type panelSource[T any] interface {
	Len() int
	At(i int) T
	Find(id string) int
}

func (p *panelList[T]) length() int {
	if p.src != nil {
		return p.src.Len()
	}
	return len(p.items)
}

func (p *panelList[T]) bind(i widget.ListItemID, o fyne.CanvasObject) {
	if i < 0 || i >= p.length() {
		return
	}
	r := o.(*panelRow[T])
	if old, ok := p.bound[r.idx]; ok && old == r {
		delete(p.bound, r.idx)
	}
	r.idx = i
	p.bound[i] = r
	if p.src != nil {
		r.own = p.src.At(i)
		r.item = &r.own
	} else {
		r.item = &p.items[i]
	}
	r.Refresh()
}

// setSource shows the rows of src instead of items; the highlighted row
// stays highlighted if src still has it.
func (p *panelList[T]) setSource(src panelSource[T]) {
	p.src, p.items = src, nil
	clear(p.bound)
	if i, ok := p.lookup(p.selected); ok {
		p.sel.move(i)
	} else {
		p.selected = ""
		p.sel.clear()
	}
	p.list.Refresh()
}

// setItems shows items (kept, not copied). The highlighted row stays
// highlighted if its ID is still present; onSelect is not called.
func (p *panelList[T]) setItems(items []T) {
	p.items, p.src = items, nil
	clear(p.bound) // the Refresh below binds the visible rows again
	if i, ok := p.lookup(p.selected); ok {
		p.sel.move(i)
	} else {
		p.selected = ""
		p.sel.clear()
	}
	p.list.Refresh()
}

// insert shows it at position i of the items, the rows from i on moving
// down one; the highlighted row stays highlighted.
func (p *panelList[T]) insert(i int, it T) {
	p.items = slices.Insert(p.items, i, it)
	clear(p.bound) // the Refresh below binds the visible rows again
	if i <= p.sel.idx {
		p.sel.move(p.sel.idx + 1)
	}
	p.list.Refresh()
}

// lookup finds id's position. It reads the items in order: it is asked once
// per setItems or click, where a map of 10,000 IDs built at every setItems
// cost ten times the read.
func (p *panelList[T]) lookup(id string) (int, bool) {
	if id == "" {
		return 0, false
	}
	if p.src != nil {
		i := p.src.Find(id)
		return i, i >= 0
	}
	for i := range p.items {
		if p.id(&p.items[i]) == id {
			return i, true
		}
	}
	return 0, false
}

// selectID highlights the row with id and scrolls it into view; an unknown
// or empty ID clears the highlight. onSelect is not called.
func (p *panelList[T]) selectID(id string) {
	i, ok := p.lookup(id)
	if !ok {
		p.selected = ""
		p.sel.clear()
		return
	}
	p.selected = id
	p.sel.set(i)
}

// refreshRow redraws row i if a row shows it (visible, or pooled: then
// harmless).
func (p *panelList[T]) refreshRow(i int) {
	r, ok := p.bound[i]
	switch {
	case !ok:
	case p.src != nil:
		r.own = p.src.At(i)
		r.item = &r.own
		r.Refresh()
	case r.item == &p.items[i]:
		r.Refresh()
	}
}

func (p *panelList[T]) listSelected(i widget.ListItemID) {
	if i < 0 || i >= p.length() {
		return
	}
	if p.src != nil {
		it := p.src.At(i)
		p.selected = p.id(&it)
	} else {
		p.selected = p.id(&p.items[i])
	}
	if p.sel.selected(i) && p.onSelect != nil {
		p.onSelect(p.selected)
	}
}

// panelRow is one row of a panelList, showing *item; the list re-binds it as
// it scrolls.
type panelRow[T any] struct {
	widget.BaseWidget
	item   *T
	own    T   // the row's copy of its item, for a panelSource
	idx    int // the index item was bound at
	render func(*panelRow[T]) fyne.WidgetRenderer
}

func newPanelRow[T any](render func(*panelRow[T]) fyne.WidgetRenderer) *panelRow[T] {
	r := &panelRow[T]{render: render}
	r.ExtendBaseWidget(r)
	return r
}

func (r *panelRow[T]) CreateRenderer() fyne.WidgetRenderer { return r.render(r) }

// panelSel drives a widget.List's single selection: programmatic selection
// without the callback, and scrolling that waits until the list has a size
// (widget.List scrolls wrongly before).
type panelSel struct {
	list    *widget.List
	idx     int  // the selected row, -1 for none
	pending int  // row to scroll to once the list is laid out, -1 for none
	quiet   bool // true while selecting programmatically
}

// set selects row i and scrolls it into view.
func (s *panelSel) set(i int) {
	if i != s.idx {
		s.quiet = true
		s.list.Select(i) // scrolls only if the row is out of view
		s.quiet = false
		s.idx = i
	} else {
		s.list.ScrollTo(i)
	}
	if s.list.Size().Height <= 0 {
		s.list.ScrollToOffset(0) // undo the scroll computed for a zero height
		s.pending = i
	}
}

// move moves the selection to row i after the rows changed, scrolling only if
// the selected row moved.
func (s *panelSel) move(i int) {
	if i == s.idx {
		return
	}
	s.quiet = true
	s.list.UnselectAll()
	s.quiet = false
	s.idx = -1
	s.set(i)
}

// clear removes the selection.
func (s *panelSel) clear() {
	s.idx, s.pending = -1, -1
	s.quiet = true
	s.list.UnselectAll()
	s.quiet = false
}

// selected records a selection made by the list and reports whether it came
// from the user (and so should reach the callback).
func (s *panelSel) selected(i int) bool {
	s.idx = i
	return !s.quiet
}

// resized performs a scroll postponed by set.
func (s *panelSel) resized() {
	if s.pending >= 0 && s.list.Size().Height > 0 {
		i := s.pending
		s.pending = -1
		s.list.ScrollTo(i)
	}
}
