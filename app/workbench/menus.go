package workbench

import (
	"fmt"
	"strings"

	"gloss/app/library"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// action is one command: where it sits in the menus, its keys and what it
// does. The menus, the canvas shortcuts, Help ▸ Keyboard shortcuts and the
// README's key table are all made from the one table, so they cannot drift.
type action struct {
	menu  string          // the menu it is in; "" for a key that no menu shows
	label string          // the menu item
	what  string          // what it does, for the key table ("" : label)
	keys  []fyne.Shortcut // the first is shown in the menu; each is registered
	run   func(*Workbench)
	sep   bool // a separator goes before it in its menu
}

var (
	ctrl      = fyne.KeyModifierShortcutDefault
	ctrlShift = ctrl | fyne.KeyModifierShift
)

func key(mod fyne.KeyModifier, k fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: mod}
}

// menuOrder is the order of the main menu.
var menuOrder = []string{"File", "Edit", "View", "Document", "Suggestions", "Review", "Help"}

// actions is every command of the window, in menu order. (A function, not
// a variable: Help ▸ Keyboard shortcuts is one of them and reads them.)
func actions() []action {
	return []action{
		{menu: "File", label: "Import…", what: "import articles or annotation files (or drop them onto the window)",
			keys: []fyne.Shortcut{key(ctrl, fyne.KeyO)}, run: (*Workbench).showImportDialog},
		{menu: "File", label: "Import a brat folder…", run: (*Workbench).showImportFolderDialog},
		{menu: "File", label: "Import whole web pages", run: (*Workbench).toggleWholePages},
		{menu: "File", label: "Merge colleague's work…", what: "merge a colleague's database (or Gloss JSONL)",
			keys: []fyne.Shortcut{key(ctrl, fyne.KeyM)}, run: (*Workbench).showMergeDialog},
		{menu: "File", label: "Export…", what: "export training data in any of the export formats",
			keys: []fyne.Shortcut{key(ctrl, fyne.KeyE)}, run: (*Workbench).showExportDialog, sep: true},
		{menu: "File", label: "Save a backup copy…", run: func(w *Workbench) { w.saveBackup("gloss-backup.db") }},
		{menu: "File", label: "Switch analyst…", run: (*Workbench).switchAnalyst, sep: true},
		{menu: "File", label: "Quit", keys: []fyne.Shortcut{key(ctrl, fyne.KeyQ)}, run: func(w *Workbench) { w.quit() }, sep: true},

		{menu: "Edit", label: "Undo", what: "undo — the history is in the database and survives a restart",
			keys: []fyne.Shortcut{&fyne.ShortcutUndo{}}, run: (*Workbench).undo},
		{menu: "Edit", label: "Redo", keys: []fyne.Shortcut{key(ctrlShift, fyne.KeyZ), &fyne.ShortcutRedo{}}, run: (*Workbench).redo},
		{menu: "Edit", label: "Delete span", run: (*Workbench).deleteSelected, sep: true},
		{menu: "Edit", label: "Find in the document…", what: "find in the document (Enter, Shift+Enter: next, previous; Escape: back to the text with the match selected)",
			keys: []fyne.Shortcut{key(ctrl, fyne.KeyF)}, run: (*Workbench).openFind, sep: true},
		{menu: "Edit", label: "Search the corpus…", what: "search every document: words, phrases, prefix*, substring, regex; open a match, label them all",
			keys: []fyne.Shortcut{key(ctrlShift, fyne.KeyF)}, run: (*Workbench).showSearchPane},
		{menu: "Edit", label: "Label every occurrence of this span…", what: "label the selected span's text wherever else it occurs in the document (a preview first; one undo)",
			keys: []fyne.Shortcut{key(ctrlShift, fyne.KeyL)}, run: (*Workbench).labelOtherOccurrences},
		{menu: "Edit", label: "Labels…", what: "edit labels: add, rename, recolour, re-key, delete",
			keys: []fyne.Shortcut{key(ctrl, fyne.KeyL)}, run: (*Workbench).showLabelsDialog},

		{menu: "View", label: "Follow the system", run: func(w *Workbench) { w.setTheme("system") }},
		{menu: "View", label: "Light", run: func(w *Workbench) { w.setTheme("light") }},
		{menu: "View", label: "Dark", run: func(w *Workbench) { w.setTheme("dark") }},
		{menu: "View", label: "Bigger text", what: "bigger text (Ctrl+0: back to normal)", keys: []fyne.Shortcut{key(ctrl, fyne.KeyEqual), key(ctrl, fyne.KeyPlus)}, run: func(w *Workbench) { w.zoom(1) }, sep: true},
		{menu: "View", label: "Smaller text", keys: []fyne.Shortcut{key(ctrl, fyne.KeyMinus)}, run: func(w *Workbench) { w.zoom(-1) }},
		{menu: "View", label: "Normal text size", keys: []fyne.Shortcut{key(ctrl, fyne.Key0)}, run: func(w *Workbench) { w.zoom(0) }},
		{menu: "View", label: "Show every relation / the selected span's", what: "draw every relation, or only the selected span's",
			keys: []fyne.Shortcut{key(ctrlShift, fyne.KeyK)}, run: (*Workbench).toggleAllRelations, sep: true},
		{menu: "View", label: "Denser lines", run: func(w *Workbench) { w.setDensity("dense") }, sep: true},
		{menu: "View", label: "Normal lines", run: func(w *Workbench) { w.setDensity("normal") }},
		{menu: "View", label: "Roomier lines", run: func(w *Workbench) { w.setDensity("roomy") }},

		{menu: "Document", label: "Rename…", what: "rename the document (undoable)",
			keys: []fyne.Shortcut{key(ctrlShift, fyne.KeyR)}, run: (*Workbench).renameDocument},
		{menu: "Document", label: "Next document", keys: []fyne.Shortcut{key(fyne.KeyModifierAlt, fyne.KeyRight)}, run: (*Workbench).nextDocument},
		{menu: "Document", label: "Previous document", keys: []fyne.Shortcut{key(fyne.KeyModifierAlt, fyne.KeyLeft)}, run: (*Workbench).previousDocument},
		{menu: "Document", label: "Mark done / not done", what: "mark the document done (again: back to in progress)",
			keys: []fyne.Shortcut{key(ctrl, fyne.KeyD)}, run: (*Workbench).toggleDone, sep: true},
		{menu: "Document", label: "Done, next to do", what: "mark the document done and open the next one still to do",
			keys: []fyne.Shortcut{key(ctrl, fyne.KeyReturn)}, run: (*Workbench).doneAndNext},

		{menu: "Suggestions", label: "Accept every suggestion shown", what: "accept every suggestion above the threshold in this document (one undoable step)",
			keys: []fyne.Shortcut{key(ctrlShift, fyne.KeyA)}, run: (*Workbench).acceptAllSuggestions},
		{menu: "Suggestions", label: "Show suggestions / hide them", keys: []fyne.Shortcut{key(ctrlShift, fyne.KeyG)}, run: (*Workbench).toggleSuggestions},
		{menu: "Suggestions", label: "Sources and threshold…", run: (*Workbench).showSuggestionsPanel, sep: true},
		{menu: "Suggestions", label: "Add patterns file…", run: func(w *Workbench) { w.addRules(library.ModelPatterns, func() {}) }},
		{menu: "Suggestions", label: "Add word list…", run: func(w *Workbench) { w.addRules(library.ModelWordList, func() {}) }},

		{menu: "Review", label: "Compare and adjudicate…", what: "compare two annotators on this document and adjudicate a gold layer",
			keys: []fyne.Shortcut{key(ctrl, fyne.KeyR)}, run: (*Workbench).showReview},
		{menu: "Review", label: "Span browser…", what: "every span of the corpus: filter, sort, open, relabel, delete",
			keys: []fyne.Shortcut{key(ctrlShift, fyne.KeyS)}, run: (*Workbench).showSpanBrowser},
		{menu: "Review", label: "Agreement report…", run: (*Workbench).showAgreement},
		{menu: "Review", label: "Progress…", run: (*Workbench).showProgress},

		{menu: "Help", label: "Keyboard shortcuts", run: (*Workbench).showShortcuts},
		{menu: "Help", label: "About Gloss", run: (*Workbench).showAbout},
	}
}

// gestures are what the mouse and plain keys do in the article, which no
// menu holds; they come first in the key table.
var gestures = [][2]string{
	{"drag", "select words (Alt + drag: exact characters)"},
	{"double click, triple click", "select a word, a sentence"},
	{"←, →, ↑, ↓, Home, End", "move the caret (Ctrl+←/→: a word; Ctrl+Home/End: the ends)"},
	{"Shift + a caret key or a click", "extend the selection, snapped to words (with Alt: characters)"},
	{"Ctrl+A", "select the whole text"},
	{"1 … 9", "label the selection, or relabel the selected span"},
	{"click on a span", "select it (the innermost one under the pointer)"},
	{"Tab, Shift+Tab (or j, k)", "select the next, previous span"},
	{"drag a selected span's handle", "move its start or end (one undoable edit, the same span)"},
	{"Ctrl+Alt+←/→, Ctrl+Alt+Shift+←/→", "move the selected span's start, end by a word"},
	{"Enter, Space", "write the selected span's note (Escape goes back to the article); on a suggestion: accept it"},
	{"x, Delete on a suggestion", "reject it (it does not come back on this document)"},
	{"Delete, Backspace", "delete the selected span (or relation)"},
	{"R (or a relation type's key) on a span", "link it to another span: click that one, or Tab to it and Enter; a key picks the type; Escape cancels"},
	{"Ctrl + drag from a span to another", "link the two spans"},
	{"click on a relation's arc", "select it: Delete removes it, a type's key changes its type"},
	{"A, then a digit", "set a choice or flag attribute of the selected span (or relation)"},
	{"Escape", "close the open dialog, else clear the selection"},
	{"Page Up, Page Down, mouse wheel", "scroll the article"},
}

// reviewKeys are the compare window's keys.
var reviewKeys = [][2]string{
	{"in the compare window: a, b, o, x", "accept A's span, B's, both, or reject, into the gold layer"},
	{"in the compare window: n, p", "next, previous disagreement"},
	{"Escape, Ctrl+W in the compare, agreement and progress windows", "close the window"},
}

// KeyTable is every key of the window and what it does: the gestures, then
// each action that has keys, then the compare window's. Help ▸ Keyboard
// shortcuts shows it and the README's table is checked against it.
func KeyTable() [][2]string {
	rows := append([][2]string{}, gestures...)
	for _, a := range actions() {
		if len(a.keys) == 0 {
			continue
		}
		var ks []string
		for _, k := range a.keys {
			ks = append(ks, keyText(k))
		}
		what := a.what
		if what == "" {
			what = strings.ToLower(a.label[:1]) + a.label[1:]
		}
		rows = append(rows, [2]string{strings.Join(ks, ", "), what})
	}
	return append(rows, reviewKeys...)
}

// keyText writes a shortcut as the key table and the menus say it.
func keyText(s fyne.Shortcut) string {
	switch s := s.(type) {
	case *desktop.CustomShortcut:
		var b strings.Builder
		for _, m := range []struct {
			m    fyne.KeyModifier
			name string
		}{{fyne.KeyModifierControl, "Ctrl+"}, {fyne.KeyModifierSuper, "Super+"}, {fyne.KeyModifierAlt, "Alt+"}, {fyne.KeyModifierShift, "Shift+"}} {
			if s.Modifier&m.m != 0 {
				b.WriteString(m.name)
			}
		}
		b.WriteString(keyName(s.KeyName))
		return b.String()
	case *fyne.ShortcutUndo:
		return "Ctrl+Z"
	case *fyne.ShortcutRedo:
		return "Ctrl+Y"
	}
	return s.ShortcutName()
}

func keyName(k fyne.KeyName) string {
	switch k {
	case fyne.KeyRight:
		return "→"
	case fyne.KeyLeft:
		return "←"
	case fyne.KeyUp:
		return "↑"
	case fyne.KeyDown:
		return "↓"
	}
	return string(k)
}

// buildMenus makes the main menu from actions and registers every key of
// every action on the canvas.
func (w *Workbench) buildMenus() {
	items := map[string][]*fyne.MenuItem{}
	w.menuItems = map[string]*fyne.MenuItem{}
	for _, a := range actions() {
		run := a.run
		quit := a.label == "Quit"
		for _, k := range a.keys {
			w.win.Canvas().AddShortcut(k, func(fyne.Shortcut) {
				if !w.modal() || quit { // not behind a dialog (Undo, Delete…), but Quit
					run(w)
				}
			})
		}
		if a.menu == "" {
			continue
		}
		m := fyne.NewMenuItem(a.label, func() { run(w) })
		m.IsQuit = a.label == "Quit" // Fyne adds no second Quit item then
		if len(a.keys) > 0 {
			m.Shortcut = a.keys[0]
		}
		if a.sep && len(items[a.menu]) > 0 {
			items[a.menu] = append(items[a.menu], fyne.NewMenuItemSeparator())
		}
		items[a.menu] = append(items[a.menu], m)
		w.menuItems[a.label] = m
	}
	var menus []*fyne.Menu
	for _, name := range menuOrder {
		menus = append(menus, fyne.NewMenu(name, items[name]...))
	}
	if len(menus) != len(items) {
		panic(fmt.Sprintf("workbench: an action names a menu outside %v", menuOrder))
	}
	w.menu = fyne.NewMainMenu(menus...)
	w.win.SetMainMenu(w.menu)
}
