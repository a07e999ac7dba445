package workbench

import (
	"errors"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gloss/app/formats"
	"gloss/app/library"
	"gloss/storage"
	"gloss/widgets"
)

// say shows a message in the status line.
func (w *Workbench) say(msg string) {
	w.message.Importance = widget.MediumImportance
	w.message.SetText(msg)
}

// fail tells the analyst what did not happen and why; nothing was saved.
// A refusal (a bad span, a clash) goes to the status line; anything else —
// a full or read-only disk, a database that vanished — also opens a dialog,
// because it means the analyst's work is not being saved.
func (w *Workbench) fail(what string, err error) {
	msg := what + ": " + err.Error()
	w.message.Importance = widget.DangerImportance
	w.message.SetText("✗ " + msg)
	fyne.LogError(what, err)
	if errors.Is(err, storage.ErrFileGone) {
		w.offerRescue(what, err)
		return
	}
	if !refusal(err) {
		dialog.ShowError(fmt.Errorf("%s — this change was NOT saved.\n\n%w\n\nDatabase: %s", what, err, w.store.Path()), w.win)
	}
}

// offerRescue is for a database file that was deleted, moved or replaced
// while open: the store refuses writes, but what was saved can still be
// copied out with the online backup.
func (w *Workbench) offerRescue(what string, err error) {
	msg := fmt.Sprintf("%s — this change was NOT saved.\n\n%v\n\nEverything saved before is still readable: save a copy now, then open it with --db.", what, err)
	dialog.ShowCustomConfirm("The database file is gone", "Save a copy…", "Later", widget.NewLabel(msg), func(ok bool) {
		if ok {
			w.saveBackup("gloss-rescued.db")
		}
	}, w.win)
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
			dialog.ShowError(fmt.Errorf("the copy failed: %w", err), w.win)
			return
		}
		w.say("✓ Saved a copy of the database to " + path + " — open it with gloss --db " + path)
	}, w.win)
	d.SetFileName(name)
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// refusal reports whether err is the store turning an edit down for a reason
// the analyst can see (as opposed to the database failing).
func refusal(err error) bool {
	for _, e := range []error{storage.ErrInvalidSpan, storage.ErrInvalidLabel, storage.ErrConflict, storage.ErrNotFound,
		storage.ErrInvalidDocument, storage.ErrInvalidAnnotator, storage.ErrInvalidEdit} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// failLoudly is fail plus a dialog, for actions the analyst asked for
// explicitly (imports, exports), whose failure must not go unnoticed.
func (w *Workbench) failLoudly(what string, err error) {
	w.fail(what, err)
	dialog.ShowError(fmt.Errorf("%s:\n%w", what, err), w.win)
}

// askAnnotator asks for the analyst's name once; it is kept in preferences.
func (w *Workbench) askAnnotator(then func()) {
	name := widget.NewEntry()
	name.SetPlaceHolder("e.g. Ada Lovelace")
	name.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("a name is needed")
		}
		return nil
	}
	intro := widget.NewLabel("Gloss records who made every span. Your name is kept on this computer\nand can be given with --annotator or GLOSS_ANNOTATOR.")
	var d *dialog.FormDialog
	d = dialog.NewForm("Welcome to Gloss", "Start", "Quit",
		[]*widget.FormItem{widget.NewFormItem("", intro), widget.NewFormItem("Your name", name)},
		func(ok bool) {
			if !ok {
				w.app.Quit()
				return
			}
			if err := w.setAnnotator(name.Text); err != nil {
				w.failLoudly("Could not record your name", err)
				w.askAnnotator(then)
				return
			}
			w.updateTitle()
			then()
		}, w.win)
	name.OnSubmitted = func(string) {
		if name.Validate() == nil {
			d.Submit()
		}
	}
	d.Resize(fyne.NewSize(480, 0))
	d.Show()
	w.win.Canvas().Focus(name)
}

// importPaths imports articles or annotation files (the format guessed from
// each) in one transaction, and opens the first document.
// Files larger than this in all are imported in the background, behind a
// progress dialog, so the window keeps drawing.
const backgroundImportBytes = 4 << 20

func (w *Workbench) importPaths(paths []string) {
	w.importAs(paths, "auto")
}

// importAs imports paths read as format ("auto" guesses). When the guess
// fails, it asks which format the files are and tries again.
func (w *Workbench) importAs(paths []string, format string) {
	opts := library.ImportFileOptions{Format: format, Annotator: w.me.Name}
	done := func(res library.Result, err error) {
		if errors.Is(err, formats.ErrUnknownFormat) && format == "auto" {
			w.askFormat(paths, err)
			return
		}
		if err != nil {
			w.failLoudly("Nothing was imported", err)
			return
		}
		w.imported(res)
	}
	if totalSize(paths) < backgroundImportBytes {
		done(library.ImportPaths(w.ctx, w.store, paths, opts))
		return
	}
	what := widget.NewLabel("Importing " + strings.Join(paths, ", ") + " in one transaction: all of it or nothing.")
	what.Wrapping = fyne.TextWrapWord
	prog := dialog.NewCustomWithoutButtons("Importing", container.NewVBox(what, widget.NewProgressBarInfinite()), w.win)
	prog.Resize(fyne.NewSize(520, 0))
	prog.Show()
	go func() {
		res, err := library.ImportPaths(w.ctx, w.store, paths, opts)
		fyne.Do(func() {
			prog.Hide()
			done(res, err)
		})
	}()
}

// askFormat lets the analyst name the format Gloss could not guess.
func (w *Workbench) askFormat(paths []string, err error) {
	pick := widget.NewSelect(formats.ImportFormats, nil)
	pick.SetSelectedIndex(0)
	why := widget.NewLabel(err.Error())
	why.Wrapping = fyne.TextWrapWord
	d := dialog.NewForm("Which format is it?", "Import", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("", why), widget.NewFormItem("Format", pick)},
		func(ok bool) {
			if ok {
				w.importAs(paths, pick.Selected)
			}
		}, w.win)
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
}

// totalSize adds up the sizes of files and of the files directly in folders.
func totalSize(paths []string) int64 {
	var n int64
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			continue
		}
		if !fi.IsDir() {
			n += fi.Size()
			continue
		}
		entries, _ := os.ReadDir(p)
		for _, e := range entries {
			if info, err := e.Info(); err == nil {
				n += info.Size()
			}
		}
	}
	return n
}

func (w *Workbench) imported(res library.Result) {
	s := res.Summary
	if err := w.loadLabels(); err == nil {
		w.refreshPalette()
	}
	w.reloadDocuments()
	w.refreshLayerChoices()
	if res.FirstDocument != "" {
		if w.doc != nil && w.doc.ID == res.FirstDocument {
			w.reloadSpans()
		} else {
			w.openDocument(res.FirstDocument)
		}
	}
	msg := fmt.Sprintf("✓ Imported %s (%d already here), %s", count(s.Documents, "new document"), s.DocumentsExisting, count(s.Spans, "span"))
	if s.SpansSkipped > 0 {
		msg += fmt.Sprintf(" (%d already here)", s.SpansSkipped)
	}
	w.say(msg)
	var notes []string
	if len(s.LabelsCreated) > 0 {
		notes = append(notes, "New labels: "+strings.Join(s.LabelsCreated, ", "))
	}
	if len(s.AnnotatorsCreated) > 0 {
		notes = append(notes, "New annotators: "+strings.Join(s.AnnotatorsCreated, ", "))
	}
	for what, n := range s.Skipped {
		notes = append(notes, fmt.Sprintf("Not imported (Gloss cannot hold it yet): %d × %s", n, what))
	}
	for what, n := range res.Corrected {
		notes = append(notes, fmt.Sprintf("Corrected: %d × %s", n, what))
	}
	if len(notes) > 0 {
		sort.Strings(notes)
		dialog.ShowInformation("Imported", msg+"\n\n"+strings.Join(notes, "\n"), w.win)
	}
}

// importExts are the files the import dialog lists.
var importExts = []string{".txt", ".md", ".markdown", ".html", ".htm", ".jsonl", ".json", ".ann", ".conll", ".iob", ".bio", ".tsv"}

func (w *Workbench) showImportDialog() {
	w.pickFile(importExts, func(path string) { w.importPaths([]string{path}) })
}

// pickFile asks for a file with one of exts and hands its path to then.
func (w *Workbench) pickFile(exts []string, then func(path string)) {
	if w.me.ID == "" {
		return
	}
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			w.failLoudly("Could not open the file", err)
			return
		}
		if r == nil {
			return
		}
		r.Close()
		then(r.URI().Path())
	}, w.win)
	d.SetFilter(&extFilter{exts: exts})
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// showImportFolderDialog imports a brat folder (.txt and .ann pairs).
func (w *Workbench) showImportFolderDialog() {
	if w.me.ID == "" {
		return
	}
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			w.failLoudly("Could not open the folder", err)
			return
		}
		if u != nil {
			w.importPaths([]string{u.Path()})
		}
	}, w.win)
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// showMergeDialog brings a colleague's database (or Gloss JSONL export) in:
// documents matched by text, spans and annotators by UUID.
func (w *Workbench) showMergeDialog() {
	w.pickFile([]string{".db", ".sqlite", ".sqlite3", ".gloss", ".jsonl"}, w.mergePath)
}

func (w *Workbench) mergePath(path string) {
	s, err := library.Merge(w.ctx, w.store, path)
	if err != nil {
		w.failLoudly("Nothing was merged", err)
		return
	}
	if err := w.loadLabels(); err == nil {
		w.refreshPalette()
	}
	w.reloadDocuments()
	w.refreshLayerChoices()
	w.reloadSpans()
	msg := fmt.Sprintf("✓ Merged %s: %d documents added, %d matched; %d spans added, %d updated, %d unchanged; %d statuses, %d annotators, %d labels added",
		filepath.Base(path), s.DocumentsAdded, s.DocumentsMatched, s.SpansAdded, s.SpansUpdated, s.SpansSkipped,
		s.StatusesUpdated, s.AnnotatorsAdded, s.LabelsAdded)
	w.say(msg)
	body := msg
	if len(s.Conflicts) > 0 {
		body += "\n\nEdited on both sides (the later edit won; the other is in the history):\n" + strings.Join(s.Conflicts[:min(len(s.Conflicts), 12)], "\n")
	}
	body += "\n\nChoose a colleague in Layer to see their labels, or Review ▸ Compare and adjudicate."
	dialog.ShowInformation("Merged", body, w.win)
}

// extFilter matches file names case-insensitively by extension.
type extFilter struct{ exts []string }

func (f *extFilter) Matches(u fyne.URI) bool {
	ext := strings.ToLower(u.Extension())
	for _, e := range f.exts {
		if ext == e {
			return true
		}
	}
	return false
}

// dropped imports files dropped onto the window.
func (w *Workbench) dropped(_ fyne.Position, uris []fyne.URI) {
	var paths []string
	for _, u := range uris {
		if u.Scheme() == "file" {
			paths = append(paths, u.Path())
		}
	}
	if len(paths) > 0 {
		w.importPaths(paths)
	}
}

func (w *Workbench) showShortcuts() {
	rows := [][2]string{
		{"Drag across words", "select (snaps to whole words; hold Alt for exact characters)"},
		{"1 … 9", "label the selection, or relabel the selected span"},
		{"Click a span", "select it"},
		{"Delete / Backspace", "delete the selected span"},
		{"Escape", "clear the selection"},
		{"Ctrl+Z", "undo (history survives restarts)"},
		{"Ctrl+Shift+Z, Ctrl+Y", "redo"},
		{"Alt+→ / Alt+←", "next / previous document"},
		{"Page Up / Page Down, wheel", "scroll the article"},
		{"Ctrl+D", "mark the document done / not done"},
		{"Ctrl+O", "import articles (or drop files on the window)"},
		{"Ctrl+E", "export JSONL"},
		{"Ctrl+L", "edit labels"},
	}
	grid := container.NewGridWithColumns(2)
	for _, r := range rows {
		grid.Add(widget.NewLabelWithStyle(r[0], fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		grid.Add(widget.NewLabel(r[1]))
	}
	dialog.ShowCustom("Keyboard shortcuts", "Close", grid, w.win)
}

func (w *Workbench) showAbout() {
	dialog.ShowInformation("About Gloss",
		"Gloss — a desktop workbench for labelling text.\n\nDatabase: "+w.store.Path()+
			"\nAnalyst: "+w.me.Name+"\n\nEvery edit is saved the moment you make it.", w.win)
}

// showLabelsDialog edits the label set: add, rename, recolour, re-key, delete.
// Every change is saved at once.
func (w *Workbench) showLabelsDialog() {
	if w.me.ID == "" {
		return
	}
	list := container.NewVBox()
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	problem.Wrapping = fyne.TextWrapWord
	var fill func()
	changed := func(err error) {
		if err != nil {
			problem.SetText(err.Error())
			return
		}
		problem.SetText("")
		if err := w.loadLabels(); err != nil {
			problem.SetText(err.Error())
			return
		}
		w.refreshPalette()
		w.relabelLocally()
	}
	keys := []string{"none", "1", "2", "3", "4", "5", "6", "7", "8", "9"}
	fill = func() {
		list.RemoveAll()
		for _, l := range w.labels {
			l := l
			c, _ := widgets.ParseHex(l.Color)
			swatch := canvas.NewRectangle(c)
			swatch.CornerRadius = 4
			swatch.SetMinSize(fyne.NewSize(28, 28))
			colour := widget.NewButton("", func() {
				p := dialog.NewColorPicker("Colour of "+l.Name, "Pick a colour that stays distinct for colour-blind readers.", func(c color.Color) {
					l.Color = widgets.Hex(c)
					changed(w.store.UpdateLabel(w.ctx, l))
					fill()
				}, w.win)
				p.Advanced = true
				p.SetColor(c)
				p.Show()
			})
			name := widget.NewEntry()
			name.SetText(l.Name)
			name.OnChanged = func(s string) {
				l.Name = strings.TrimSpace(s)
				changed(w.store.UpdateLabel(w.ctx, l))
			}
			key := widget.NewSelect(keys, nil)
			if l.Key == "" {
				key.SetSelected("none")
			} else {
				key.SetSelected(l.Key)
			}
			key.OnChanged = func(k string) {
				if k == "none" {
					k = ""
				}
				l.Key = k
				changed(w.store.UpdateLabel(w.ctx, l))
			}
			del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { w.confirmDeleteLabel(l, func() { changed(nil); fill() }) })
			del.Importance = widget.LowImportance
			row := container.NewBorder(nil, nil, container.NewStack(colour, container.NewPadded(swatch)),
				container.NewHBox(key, del), name)
			list.Add(row)
		}
	}
	fill()
	add := widget.NewButtonWithIcon("Add label", theme.ContentAddIcon(), func() {
		name := fmt.Sprintf("Label %d", len(w.labels)+1)
		_, err := w.store.CreateLabel(w.ctx, storage.Label{SetID: w.set.ID, Name: name,
			Color: widgets.Hex(widgets.LabelColor(len(w.labels))), Key: w.freeKey()})
		changed(err)
		fill()
	})
	help := widget.NewLabel("Changes are saved as you make them. Keys 1–9 apply a label in the article.")
	help.Importance = widget.LowImportance
	content := container.NewBorder(help, container.NewVBox(problem, add), nil, nil, container.NewVScroll(list))
	d := dialog.NewCustom("Labels", "Close", content, w.win)
	d.Resize(fyne.NewSize(520, 440))
	d.Show()
}

func (w *Workbench) freeKey() string {
	used := map[string]bool{}
	for _, l := range w.labels {
		used[l.Key] = true
	}
	for k := '1'; k <= '9'; k++ {
		if !used[string(k)] {
			return string(k)
		}
	}
	return ""
}

// confirmDeleteLabel deletes a label, asking first when spans use it.
func (w *Workbench) confirmDeleteLabel(l storage.Label, done func()) {
	del := func() {
		n, err := w.store.DeleteLabel(w.ctx, l.ID)
		if err != nil {
			w.failLoudly("Could not delete the label "+l.Name, err)
			return
		}
		w.say(fmt.Sprintf("✓ Deleted the label %s and its %s", l.Name, count(n, "span")))
		w.reloadSpans()
		w.reloadDocuments()
		done()
	}
	n, err := w.store.LabelUsage(w.ctx, l.ID)
	if err != nil {
		w.failLoudly("Could not count the spans of "+l.Name, err)
		return
	}
	if n == 0 {
		del()
		return
	}
	use := count(n, "span") + " in all documents use"
	if n == 1 {
		use = "1 span in all documents uses"
	}
	dialog.ShowCustomConfirm("Delete “"+l.Name+"”?", "Delete label and "+count(n, "span"), "Keep",
		widget.NewLabel(fmt.Sprintf("%s the label %s.\nDeleting the label deletes them too, for every analyst.\nThis cannot be undone.", use, l.Name)),
		func(ok bool) {
			if ok {
				del()
			}
		}, w.win)
}

// relabelLocally refreshes label names and colours of the shown spans after
// the label set changed.
func (w *Workbench) relabelLocally() {
	names := make(map[string]string, len(w.labels))
	for _, l := range w.labels {
		names[l.ID] = l.Name
	}
	for i := range w.spans {
		if n, ok := names[w.spans[i].LabelID]; ok {
			w.spans[i].Label = n
		}
	}
	if w.doc != nil {
		w.showSpans()
	}
}

func (w *Workbench) reloadSpans() {
	if w.doc == nil {
		return
	}
	spans, err := w.layerSpans(w.doc.ID)
	if err != nil {
		w.fail("Could not read the spans", err)
		return
	}
	w.spans = spans
	w.showSpans()
}
