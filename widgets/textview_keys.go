package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// Keyboard: the caret, selecting from the keyboard, span navigation. Fyne
// delivers a key with Shift alone as TypedKey (Shift is tracked through
// KeyDown and KeyUp) and with Ctrl or Alt as a desktop.CustomShortcut.

// KeyDown tracks the Shift keys.
func (t *TextView) KeyDown(ev *fyne.KeyEvent) {
	if ev.Name == desktop.KeyShiftLeft || ev.Name == desktop.KeyShiftRight {
		t.shift = true
	}
}

// KeyUp tracks the Shift keys.
func (t *TextView) KeyUp(ev *fyne.KeyEvent) {
	if ev.Name == desktop.KeyShiftLeft || ev.Name == desktop.KeyShiftRight {
		t.shift = false
	}
}

// TypedRune passes the rune to OnKey unless the view is read-only. A space
// with a span selected was Space's OnActivate (TypedKey) and goes nowhere.
func (t *TextView) TypedRune(r rune) {
	if r == ' ' && t.selSpan != "" {
		return
	}
	if t.OnKey != nil && !t.readOnly {
		t.OnKey(r)
	}
}

// TypedKey handles Delete/BackSpace (OnDelete, unless read-only), Escape,
// Tab, Enter and Space, and the caret keys (see TextView).
func (t *TextView) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyDelete, fyne.KeyBackspace:
		if t.OnDelete != nil && !t.readOnly {
			t.OnDelete()
		}
	case fyne.KeyEscape:
		t.escape()
	case fyne.KeyTab:
		dir := 1
		if t.shift {
			dir = -1
		}
		t.SelectNextSpan(dir)
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeySpace:
		if t.selSpan != "" && t.idx.find(t.selSpan) >= 0 && t.OnActivate != nil {
			t.OnActivate(t.selSpan)
		}
	default:
		var mods fyne.KeyModifier
		if t.shift {
			mods = fyne.KeyModifierShift
		}
		t.navigate(ev.Name, mods)
	}
}

// TypedShortcut copies the selected text on Ctrl/Cmd+C, selects all on
// Ctrl/Cmd+A, handles the caret keys with Ctrl or Alt, and passes the rest
// to OnShortcut.
func (t *TextView) TypedShortcut(s fyne.Shortcut) {
	switch s := s.(type) {
	case *fyne.ShortcutCopy:
		if t.hasSel {
			fyne.CurrentApp().Clipboard().SetContent(t.SelectedText())
		}
		return
	case *fyne.ShortcutSelectAll:
		t.selectAll()
		return
	case *desktop.CustomShortcut:
		if t.navigate(s.KeyName, s.Modifier) {
			return
		}
	}
	if t.OnShortcut != nil {
		t.OnShortcut(s)
	}
}

// escape cancels an edge or relation drag, else clears the selection, the
// selected span and the selected relation.
func (t *TextView) escape() {
	if t.edge.which != 0 {
		t.edge = edgeDrag{}
		t.skipTap = true
		t.Refresh()
		return
	}
	if t.relDrag.moved {
		t.relDrag = relDrag{}
		t.inertPress = 2 // the rest of the drag selects no text
		t.Refresh()
		return
	}
	t.clearRelationByUser()
	hadSel, hadSpan := t.hasSel, t.selSpan != ""
	s := t.caret
	if hadSel {
		s = t.selStart
	}
	t.hasSel, t.selStart, t.selEnd = false, 0, 0
	t.selSpan = ""
	t.kbAnchor = t.caret
	t.Refresh()
	if hadSpan && t.OnSpanSelected != nil {
		t.OnSpanSelected("")
	}
	if (hadSel || hadSpan) && t.OnSelectionChanged != nil {
		t.OnSelectionChanged(s, s)
	}
}

// selectAll selects the whole text but white space at either end.
func (t *TextView) selectAll() {
	rs := t.doc.runes
	a, b := 0, len(rs)
	for a < b && isSpaceRune(rs[a]) {
		a++
	}
	for b > a && isSpaceRune(rs[b-1]) {
		b--
	}
	t.kbAnchor, t.caret, t.hasGoal = a, b, false
	t.setSelectionByUser(a, b)
	t.Refresh()
}

// setSelectionByUser sets the selection, replacing a selected span, and
// reports what changed.
func (t *TextView) setSelectionByUser(a, b int) {
	before := [3]int{t.selStart, t.selEnd, 0}
	if t.hasSel {
		before[2] = 1
	}
	t.selStart, t.selEnd, t.hasSel = a, b, a < b
	if !t.hasSel {
		t.selStart, t.selEnd = 0, 0
	}
	if a < b && t.selSpan != "" {
		t.selSpan = ""
		if t.OnSpanSelected != nil {
			t.OnSpanSelected("")
		}
	}
	after := [3]int{t.selStart, t.selEnd, 0}
	if t.hasSel {
		after[2] = 1
	}
	if before != after && t.OnSelectionChanged != nil {
		if t.hasSel {
			t.OnSelectionChanged(a, b)
		} else {
			t.OnSelectionChanged(t.caret, t.caret)
		}
	}
}

// navigate handles a caret key with modifiers; it reports whether the key
// was one of the view's.
func (t *TextView) navigate(key fyne.KeyName, mods fyne.KeyModifier) bool {
	shift := mods&fyne.KeyModifierShift != 0
	ctrl := mods&fyne.KeyModifierControl != 0
	alt := mods&fyne.KeyModifierAlt != 0
	switch {
	case mods&fyne.KeyModifierSuper != 0:
		return false
	case ctrl && alt:
		return t.edgeKey(key, shift)
	case alt && !shift:
		return false // Alt+←/→ are the window's (documents)
	}
	rs := t.doc.runes
	c := t.caret
	keepGoal := false
	// With snapping on, a character step would mostly not change the
	// snapped selection: step a token instead.
	byToken := ctrl || shift && !alt && t.Segmenter != nil
	switch key {
	case fyne.KeyLeft:
		switch {
		case !shift && t.hasSel && !ctrl:
			c = t.selStart
		case byToken:
			c = t.prevTokenStart(c)
		default:
			c = prevBoundary(rs, c)
		}
	case fyne.KeyRight:
		switch {
		case !shift && t.hasSel && !ctrl:
			c = t.selEnd
		case byToken:
			c = t.nextTokenEnd(c)
		default:
			c = nextBoundary(rs, c)
		}
	case fyne.KeyUp, fyne.KeyDown:
		if ctrl {
			return false
		}
		dir := 1
		if key == fyne.KeyUp {
			dir = -1
		}
		c = t.lineMove(c, dir)
		keepGoal = true
	case fyne.KeyHome, fyne.KeyEnd:
		switch {
		case ctrl && key == fyne.KeyHome:
			c = 0
		case ctrl:
			c = len(rs)
		default:
			c = t.lineEdge(c, key == fyne.KeyEnd)
		}
	case fyne.KeyPageUp, fyne.KeyPageDown:
		if ctrl {
			return false
		}
		dir := 1
		if key == fyne.KeyPageUp {
			dir = -1
		}
		c = t.pageMove(c, dir)
		keepGoal = true
	default:
		return false
	}
	if !keepGoal {
		t.hasGoal = false
	}
	t.moveCaret(c, shift, alt, key == fyne.KeyLeft || key == fyne.KeyRight)
	return true
}

// moveCaret puts the caret at c; extend selects from the anchor to it
// (snapped unless exact), else the selection and the selected span are
// cleared. It scrolls the caret into view and reports the changes.
func (t *TextView) moveCaret(c int, extend, exact, follow bool) {
	t.caret = min(max(c, 0), len(t.doc.runes))
	if extend {
		a, b := min(t.kbAnchor, t.caret), max(t.kbAnchor, t.caret)
		if !exact {
			a, b = t.snap(a, b)
		}
		// After a step sideways the caret follows the moving edge, so
		// that the next step starts from what is shown (not after a line
		// step: the snapped edge may lie on the line it came from).
		if follow && a < b && t.caret >= t.kbAnchor {
			t.caret = b
		} else if follow && a < b {
			t.caret = a
		}
		t.setSelectionByUser(a, b)
	} else {
		t.kbAnchor = t.caret
		if t.selSpan != "" {
			t.selSpan = ""
			if t.OnSpanSelected != nil {
				t.OnSpanSelected("")
			}
		}
		t.setSelectionByUser(0, 0)
	}
	t.revealOffset(t.caret)
	t.Refresh()
	t.notifyScroll()
}

// caretX is the column x of offset c, for ↑ ↓ to keep.
func (t *TextView) caretX(c int) float32 {
	p, _ := t.positionOf(c)
	return p.X - t.m.colX
}

// lineMove returns the offset one visual line up (dir < 0) or down from c,
// nearest to the remembered x; past the first or last line, the start or
// end of the text.
func (t *TextView) lineMove(c, dir int) int {
	if t.m.colW <= 0 {
		return c
	}
	if !t.hasGoal {
		t.goalX, t.hasGoal = t.caretX(c), true
	}
	p, li := t.lineOf(c)
	li += dir
	if li < 0 {
		if p == 0 {
			return 0
		}
		p--
		li = len(t.ensureLayout(p).lines) - 1
	} else if li >= len(t.doc.lay[p].lines) {
		if p == t.doc.paras()-1 {
			return len(t.doc.runes)
		}
		p, li = p+1, 0
	}
	return t.offsetOnLine(p, li, t.ensureLayout(p), t.m.colX+t.goalX)
}

// lineEdge returns the start or end of c's visual line (a wrapped line
// ends before the spaces it hangs).
func (t *TextView) lineEdge(c int, end bool) int {
	if t.m.colW <= 0 {
		return c
	}
	p, li := t.lineOf(c)
	lay := t.doc.lay[p]
	ln := &lay.lines[li]
	ps := t.doc.paraStart[p]
	switch {
	case !end:
		return ps + int(ln.start)
	case li == len(lay.lines)-1:
		return ps + int(ln.end)
	}
	return ps + int(ln.textEnd)
}

// pageMove scrolls a screen less a line and returns the offset that keeps
// the caret's place on screen; where the view cannot scroll that far, the
// caret moves the rest of the way.
func (t *TextView) pageMove(c, dir int) int {
	if t.m.colW <= 0 || t.size.Height <= 0 {
		return c
	}
	page := max(t.size.Height-2*t.m.padY-t.m.lineH, t.m.lineH)
	if !t.hasGoal {
		t.goalX, t.hasGoal = t.caretX(c), true
	}
	pos, h := t.positionOf(c)
	before := t.viewTop()
	t.scrollBy(float32(dir) * page)
	moved := t.viewTop() - before
	y := pos.Y + h/2 + float32(dir)*page - moved
	return t.offsetAt(fyne.NewPos(t.m.colX+t.goalX, y))
}
