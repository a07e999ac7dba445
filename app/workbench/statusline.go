package workbench

import (
	"errors"
	"fmt"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"gloss/storage"
)

// say shows a message in the status line.
// setLabel sets l's text unless it says that already: a label lays itself
// out again (shaping its text) at every SetText, and the header and the
// position line are set at every edit.
func setLabel(l *widget.Label, text string) {
	if l.Text != text {
		l.SetText(text)
	}
}

func (w *Workbench) say(msg string) {
	w.message.Importance = widget.MediumImportance
	w.message.SetText(msg)
}

// fail is for an edit that did not happen: the status line says what and
// why. A refusal (a bad span, a clash) stays there; a database failure — a
// full or read-only disk, a file that vanished — also opens one dialog,
// because it means the analyst's work is not being saved.
func (w *Workbench) fail(what string, err error) {
	w.problem(what, err, fmt.Errorf("%s — this change was NOT saved.\n\n%w\n\nDatabase: %s", what, err, w.store.Path()), storage.IsRefusal(err))
}

// report is for anything else that failed — an import, an export, a file
// picker, a read: the status line and one dialog, which says what failed
// and nothing about unsaved changes.
func (w *Workbench) report(what string, err error) {
	w.problem(what, err, fmt.Errorf("%s:\n\n%w", what, err), false)
}

// problem shows a failure in the status line and, unless quiet, in shown:
// one dialog, or the rescue offer when the database file is gone.
func (w *Workbench) problem(what string, err, shown error, quiet bool) {
	if plain := w.store.ServerError(err); plain != err {
		err, shown = plain, fmt.Errorf("%s:\n\n%w", what, plain)
	}
	w.message.Importance = widget.DangerImportance
	w.message.SetText("✗ " + what + ": " + err.Error())
	fyne.LogError(what, err)
	switch {
	case errors.Is(err, storage.ErrFileGone):
		w.offerRescue(what, err)
	case !quiet:
		w.show(dialog.NewError(shown, w.win))
	}
}

// offerRescue is for a database file that was deleted, moved or replaced
// while open: the store refuses writes, but what was saved can still be
// copied out with the online backup.
func (w *Workbench) offerRescue(what string, err error) {
	msg := fmt.Sprintf("%s — this change was NOT saved.\n\n%v\n\nEverything saved before is still readable: save a copy now, then open it with --db.", what, err)
	w.show(dialog.NewCustomConfirm("The database file is gone", "Save a copy…", "Later", widget.NewLabel(msg), func(ok bool) {
		if ok {
			w.saveBackup("gloss-rescued.db")
		}
	}, w.win))
}

// saveBackup asks where and writes a copy of the database there through
// SQLite's online backup, which is safe while Gloss keeps working.
func (w *Workbench) saveBackup(name string) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		path := wc.URI().Path()
		wc.Close()
		os.Remove(path) // the dialog created it; Backup writes a fresh file
		if err := w.store.Backup(w.ctx, path); err != nil {
			w.show(dialog.NewError(fmt.Errorf("the copy failed: %w", err), w.win))
			return
		}
		w.say("✓ Saved a copy of the database to " + path + " — open it with gloss --db " + path)
	}, w.win)
	d.SetFileName(name)
	d.Resize(fyne.NewSize(900, 600))
	w.show(d)
}
