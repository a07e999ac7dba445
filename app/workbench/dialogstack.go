package workbench

import (
	"slices"

	"fyne.io/fyne/v2"
)

// closable is what every dialog the window opens can do (Fyne's dialogs
// and file dialogs alike).
type closable interface {
	Show()
	Hide()
	SetOnClosed(func())
}

// show opens d so that Escape closes it (as its Cancel or Close button
// would: Fyne's Hide answers "no"). Focus leaves the article while d is
// open, so the keys reach the window and not the text behind the dialog.
func (w *Workbench) show(d closable) {
	w.dialogs = append(w.dialogs, d)
	d.SetOnClosed(func() {
		w.dialogs = slices.DeleteFunc(w.dialogs, func(o closable) bool { return o == d })
		if len(w.dialogs) == 0 && w.win.Canvas().Focused() == nil {
			w.win.Canvas().Focus(w.text)
		}
	})
	w.win.Canvas().Unfocus()
	d.Show()
}

// showFixed opens d without Escape: a question that must be answered (the
// analyst's name on first start) or progress that cannot be walked away from.
func (w *Workbench) showFixed(d interface{ Show() }) {
	w.win.Canvas().Unfocus()
	d.Show()
}

// closeTopDialog closes the dialog opened last, if any is open.
func (w *Workbench) closeTopDialog() bool {
	if len(w.dialogs) == 0 {
		return false
	}
	w.dialogs[len(w.dialogs)-1].Hide()
	return true
}

// modal says whether a dialog (or an open menu or list of choices) is over
// the window: the keys that no widget of it takes are then its, not the
// article's (a label key or Delete would change the span behind it).
func (w *Workbench) modal() bool { return w.win.Canvas().Overlays().Top() != nil }

// confirmTopDialog presses the confirm button of the dialog opened last,
// as Return does when no widget of the dialog has the keyboard.
func (w *Workbench) confirmTopDialog() bool {
	if len(w.dialogs) == 0 {
		return false
	}
	switch d := w.dialogs[len(w.dialogs)-1].(type) {
	case interface{ Submit() }: // a form: if it validates
		d.Submit()
	case interface{ Confirm() }:
		d.Confirm()
	default:
		return false
	}
	return true
}

// escapeCloses makes Escape and Ctrl+W close a secondary window.
func escapeCloses(win fyne.Window) {
	win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			win.Close()
		}
	})
	win.Canvas().AddShortcut(key(ctrl, fyne.KeyW), func(fyne.Shortcut) { win.Close() })
}
