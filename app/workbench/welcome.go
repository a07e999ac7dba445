package workbench

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// askAnnotator asks for the analyst's name on first start; it is kept on
// this computer for the next one.
func (w *Workbench) askAnnotator(then func()) {
	intro := "Gloss records who made every span. Your name is kept on this computer, for every\ndatabase you open; --annotator NAME names someone else for one run."
	w.askName("Welcome to Gloss", intro, "Start", "Quit", "", func(ok bool) {
		if !ok {
			w.app.Quit()
			return
		}
		then()
	})
}

// switchAnalyst is File ▸ Switch analyst…: another person takes over this
// computer, and from now on "My labels" are theirs.
func (w *Workbench) switchAnalyst() {
	if w.store.OnServer() {
		w.show(dialog.NewInformation("Switch analyst", "On a team server you label as the role you connect as ("+w.me.Name+
			"); the server lets it write its own layer only.\nTo label as someone else, open Gloss with their role: gloss --db postgres://NAME@"+serverPlace(w.store.Path()), w.win))
		return
	}
	intro := "Spans you make from now on are credited to this name, here and in every database\nyou open on this computer. Nobody's spans change."
	w.askName("Switch analyst", intro, "Switch", "Cancel", w.me.Name, func(ok bool) {
		if ok {
			w.say("✓ You are now labelling as " + w.me.Name)
		}
	})
}

// askName asks who is at the computer; on a valid answer the analyst is
// set and remembered, and the window shows their layer.
func (w *Workbench) askName(title, intro, confirm, dismiss, current string, then func(ok bool)) {
	name := widget.NewEntry()
	name.SetPlaceHolder("e.g. Ada Lovelace")
	name.SetText(current)
	name.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("a name is needed")
		}
		return nil
	}
	var d *dialog.FormDialog
	d = dialog.NewForm(title, confirm, dismiss,
		[]*widget.FormItem{widget.NewFormItem("", widget.NewLabel(intro)), widget.NewFormItem("Your name", name)},
		func(ok bool) {
			if !ok {
				then(false)
				return
			}
			if err := w.setAnnotator(name.Text, true); err != nil {
				w.report("Could not record your name", err)
				w.askName(title, intro, confirm, dismiss, name.Text, then)
				return
			}
			w.forRun = false
			w.analystChanged()
			then(true)
		}, w.win)
	name.OnSubmitted = func(string) {
		if name.Validate() == nil {
			d.Submit()
		}
	}
	d.Resize(fyne.NewSize(560, 0))
	w.showFixed(d)
	w.win.Canvas().Focus(name)
}

// analystChanged shows the new analyst's own layer.
func (w *Workbench) analystChanged() {
	w.updateTitle()
	w.refreshLayerChoices()
	if w.layerSelect != nil && w.layerSelect.SelectedIndex() != 0 {
		w.layerSelect.SetSelectedIndex(0) // setLayer(mine) reloads
	} else if w.doc != nil {
		w.setLayer(layer{kind: layerMine})
	}
	w.refreshWho()
	w.runLearner(false)
}

// refreshWho shows who is labelling, at all times.
func (w *Workbench) refreshWho() {
	if w.who == nil {
		return
	}
	switch {
	case w.me.Name == "":
		w.who.SetText("")
	case w.store.OnServer():
		w.who.SetText("Labelling as " + w.me.Name + " on " + serverPlace(w.store.Path()))
	case w.forRun:
		w.who.SetText("Labelling as " + w.me.Name + " (this run only)")
	default:
		w.who.SetText("Labelling as " + w.me.Name)
	}
}

// serverPlace is a server database's URL as the window shows it: host and
// database, without the scheme, role or parameters.
func serverPlace(url string) string {
	if i := strings.Index(url, "://"); i >= 0 {
		url = url[i+3:]
	}
	if i := strings.LastIndex(url, "@"); i >= 0 {
		url = url[i+1:]
	}
	if i := strings.Index(url, "?"); i >= 0 {
		url = url[:i]
	}
	return url
}
