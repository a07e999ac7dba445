package workbench

import (
	"errors"
	"fmt"
	"math"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
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
	w.setStatusText(w.message, msg, widget.MediumImportance)
}

// setStatusText gives the status line's message or position its text (and
// importance) and lays the line out again when the share of its width
// changes (statusLayout).
func (w *Workbench) setStatusText(l *widget.Label, text string, imp widget.Importance) {
	if l.Text == text && l.Importance == imp {
		return
	}
	l.Importance = imp
	l.SetText(text)
	if w.statusRow != nil && w.statusLay.moved(w.statusRow.Size()) {
		w.statusRow.Refresh()
	}
}

// statusLayout lays the message and the position out side by side. When
// both texts fit, the position is as wide as its text (rounded up to a
// step, so that the line is not laid out again at every key) and the
// message has the rest; when they do not, the message (what just happened,
// an error) keeps what it needs up to two thirds of the line and the
// position the rest, each cut with an ellipsis. A long hint never widens
// the window.
type statusLayout struct {
	message, position *widget.Label
	widths            map[textAt]float32 // the texts' widths, uncut (the last few)
}

// textAt is a text at a text size (View ▸ Bigger text changes it).
type textAt struct {
	text string
	size float32
}

const statusStep = 48 // the position's width is a multiple of it

// natural is the width label's text needs, uncut.
func (s *statusLayout) natural(l *widget.Label) float32 {
	if l.Text == "" {
		return 0
	}
	k := textAt{l.Text, theme.TextSize()}
	if v, ok := s.widths[k]; ok {
		return v
	}
	if len(s.widths) > 64 {
		clear(s.widths)
	}
	v := fyne.MeasureText(l.Text, k.size, l.TextStyle).Width + 2*theme.InnerPadding() + 1
	s.widths[k] = v
	return v
}

// messageWidth is the message's share of a line total wide.
func (s *statusLayout) messageWidth(total float32) float32 {
	m, p := s.natural(s.message), s.natural(s.position)
	p = float32(math.Ceil(float64(p)/statusStep)) * statusStep
	if m+p > total {
		return min(max(total-p, min(m, total*2/3)), total)
	}
	// Both fit: the position keeps its width while its text fits it and it
	// is not three steps too wide, so that a key's new position is no new
	// layout (which cuts both texts again).
	if cur := s.position.Size().Width; cur >= p && cur <= p+3*statusStep && cur+m <= total &&
		math.Abs(float64(s.message.Size().Width+cur-total)) <= 0.5 {
		return total - cur
	}
	return max(total-p, 0)
}

// moved says whether the texts now share a line of size otherwise than
// the labels are laid out.
func (s *statusLayout) moved(size fyne.Size) bool {
	mw := s.messageWidth(size.Width)
	return math.Abs(float64(mw-s.message.Size().Width)) > 0.5 || s.message.Size().Height != size.Height
}

func (s *statusLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	a, b := s.message.MinSize(), s.position.MinSize()
	return fyne.NewSize(a.Width+b.Width, max(a.Height, b.Height))
}

func (s *statusLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	mw := s.messageWidth(size.Width)
	s.message.Move(fyne.NewPos(0, 0))
	s.message.Resize(fyne.NewSize(mw, size.Height))
	s.position.Move(fyne.NewPos(mw, 0))
	s.position.Resize(fyne.NewSize(size.Width-mw, size.Height))
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
	w.setStatusText(w.message, "✗ "+what+": "+err.Error(), widget.DangerImportance)
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
