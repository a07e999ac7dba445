package workbench

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"gloss/app/formats"
	"gloss/app/library"
)

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
	opts := library.ImportFileOptions{Format: format, Annotator: w.me.Name, HTML: formats.HTMLArticle}
	if w.app.Preferences().Bool(prefWholePages) {
		opts.HTML = formats.HTMLPage
	}
	done := func(res library.Result, err error) {
		if errors.Is(err, formats.ErrUnknownFormat) && format == "auto" {
			w.askFormat(paths, err)
			return
		}
		if err != nil {
			w.report("Nothing was imported", err)
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
	w.showFixed(prog)
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
	pick := widget.NewSelect(formats.ImportFormats(), nil)
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
	w.show(d)
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
	if s.Relations > 0 {
		msg += ", " + count(s.Relations, "relation")
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
	notes = append(notes, res.Notes...)
	if len(notes) > 0 {
		sort.Strings(notes)
		w.show(dialog.NewInformation("Imported", msg+"\n\n"+strings.Join(notes, "\n"), w.win))
	}
}

func (w *Workbench) showImportDialog() {
	w.pickFile(formats.ImportExts(), func(path string) { w.importPaths([]string{path}) })
}

// pickFile asks for a file with one of exts and hands its path to then.
func (w *Workbench) pickFile(exts []string, then func(path string)) {
	if w.me.ID == "" {
		return
	}
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			w.report("Could not open the file", err)
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
	w.show(d)
}

// showImportFolderDialog imports a brat folder (.txt and .ann pairs).
func (w *Workbench) showImportFolderDialog() {
	if w.me.ID == "" {
		return
	}
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			w.report("Could not open the folder", err)
			return
		}
		if u != nil {
			w.importPaths([]string{u.Path()})
		}
	}, w.win)
	d.Resize(fyne.NewSize(900, 600))
	w.show(d)
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

// prefWholePages keeps whole web pages on import instead of their article.
const prefWholePages = "importWholePages"

// toggleWholePages is File ▸ Keep whole web pages.
func (w *Workbench) toggleWholePages() {
	on := !w.app.Preferences().Bool(prefWholePages)
	w.app.Preferences().SetBool(prefWholePages, on)
	if it := w.menuItems["Import whole web pages"]; it != nil {
		it.Checked = on
		w.menu.Refresh()
	}
	if on {
		w.say("Web pages are imported whole: menus, footers and all")
	} else {
		w.say("Web pages are imported as their article, as a reader view shows it")
	}
}
