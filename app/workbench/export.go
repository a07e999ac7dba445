package workbench

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"gloss/app/formats"
	"gloss/app/library"
	"gloss/storage"
)

// exportChoice is what the export dialog was last set to, so the next
// export starts from it instead of silently covering everything again.
type exportChoice struct {
	thisDoc bool // only the open document
	format  string
	whose   string // "" everyone, storage.GoldAnnotator, or an annotator's name
	status  storage.Status
	labels  []string // nil: every label
	offsets formats.OffsetUnit
}

// showExportDialog asks what to export, then where, then exports with a
// progress bar that can cancel.
func (w *Workbench) showExportDialog() {
	if w.me.ID == "" {
		return
	}
	c := &w.lastExport
	names := formats.ExportFormats()
	var titles []string
	for _, n := range names {
		f, _ := formats.Lookup(n)
		titles = append(titles, f.Title)
	}
	format := widget.NewSelect(titles, nil)

	whose := []string{"Everyone", "Gold (adjudicated)"}
	whoseName := []string{"", storage.GoldAnnotator}
	if as, err := w.analysts(); err == nil {
		for _, a := range as {
			whose = append(whose, a.Name)
			whoseName = append(whoseName, a.Name)
		}
	}
	who := widget.NewSelect(whose, nil)
	who.SetSelectedIndex(max(slices.Index(whoseName, c.whose), 0))

	statusValues := append([]storage.Status{""}, storage.Statuses...)
	var statusNames []string
	for _, st := range statusValues {
		statusNames = append(statusNames, statusChoice(st))
	}
	status := widget.NewSelect(statusNames, nil)
	status.SetSelectedIndex(max(slices.Index(statusValues, c.status), 0))
	thisDoc := widget.NewCheck("Only this document", nil)
	thisDoc.SetChecked(c.thisDoc && w.doc != nil)
	if w.doc == nil {
		thisDoc.Disable()
	} else {
		thisDoc.Text = "Only “" + clip(w.doc.Title) + "”"
	}

	var labelNames []string
	for _, l := range w.labels {
		labelNames = append(labelNames, l.Name)
	}
	labels := widget.NewCheckGroup(labelNames, nil)
	labels.Horizontal = true
	if c.labels == nil {
		labels.SetSelected(labelNames)
	} else {
		labels.SetSelected(c.labels)
	}

	unitTitles := map[formats.OffsetUnit]string{
		formats.UnitCodePoints: "Code points (Python, spaCy)",
		formats.UnitUTF16:      "UTF-16 units (browsers, INCEpTION)",
	}
	offsets := widget.NewRadioGroup(nil, nil)
	var units []formats.OffsetUnit
	format.OnChanged = func(string) {
		f, _ := formats.Lookup(names[format.SelectedIndex()])
		units = f.Units
		offsets.Options = nil
		for _, u := range units {
			offsets.Options = append(offsets.Options, unitTitles[u])
		}
		if len(units) == 0 {
			offsets.Options = []string{"none: this format has no character offsets"}
		}
		sel := 0
		if i := slices.Index(units, c.offsets); i >= 0 {
			sel = i
		}
		offsets.SetSelected(offsets.Options[sel])
		offsets.Refresh()
		setEnabled(offsets, len(units) > 1)
	}
	format.SetSelectedIndex(max(slices.Index(names, c.format), 0))

	form := dialog.NewForm("Export", "Choose where…", "Cancel", []*widget.FormItem{
		widget.NewFormItem("Format", format),
		widget.NewFormItem("Whose spans", who),
		widget.NewFormItem("Documents", container.NewVBox(status, thisDoc)),
		widget.NewFormItem("Labels", labels),
		widget.NewFormItem("Offsets", offsets),
	}, func(ok bool) {
		if !ok {
			return
		}
		*c = exportChoice{format: names[format.SelectedIndex()], whose: whoseName[who.SelectedIndex()],
			status: statusValues[status.SelectedIndex()], thisDoc: thisDoc.Checked}
		o := library.ExportOptions{Format: c.format, Status: string(c.status)}
		if c.thisDoc && w.doc != nil {
			o.DocumentIDs = []string{w.doc.ID}
		}
		if c.whose == storage.GoldAnnotator {
			o.Gold = true
		} else {
			o.Annotator = c.whose
		}
		if len(labels.Selected) < len(labelNames) {
			c.labels = slices.Clone(labels.Selected)
			o.Labels = c.labels
			if len(o.Labels) == 0 {
				w.report("Nothing to export", fmt.Errorf("choose at least one label"))
				return
			}
		}
		if i := slices.Index(offsets.Options, offsets.Selected); i >= 0 && i < len(units) {
			c.offsets = units[i]
			o.Offsets = c.offsets
		}
		w.chooseExportPath(o)
	}, w.win)
	form.Resize(fyne.NewSize(640, 0))
	w.show(form)
}

func (w *Workbench) chooseExportPath(o library.ExportOptions) {
	if o.Format == "brat" {
		d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err != nil {
				w.report("Could not open the folder", err)
				return
			}
			if u != nil {
				o.Path = filepath.Join(u.Path(), "gloss-brat")
				w.runExport(o)
			}
		}, w.win)
		d.Resize(fyne.NewSize(900, 600))
		w.show(d)
		return
	}
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			w.report("Could not create the file", err)
			return
		}
		if wc == nil {
			return
		}
		o.Path = wc.URI().Path()
		wc.Close()
		w.runExport(o)
	}, w.win)
	f, _ := formats.Lookup(o.Format)
	d.SetFileName("gloss-" + o.Format + f.Exts[0])
	d.Resize(fyne.NewSize(900, 600))
	w.show(d)
}

// runExport exports in the background with a progress bar; Cancel stops it
// and leaves no file.
func (w *Workbench) runExport(o library.ExportOptions) {
	ctx, cancel := context.WithCancel(w.ctx)
	bar := widget.NewProgressBar()
	what := widget.NewLabel("Exporting " + o.Format + " to " + o.Path)
	what.Wrapping = fyne.TextWrapWord
	prog := dialog.NewCustomWithoutButtons("Exporting", container.NewVBox(what, bar,
		widget.NewButton("Cancel", cancel)), w.win)
	prog.Resize(fyne.NewSize(520, 0))
	w.showFixed(prog)
	go func() {
		sum, err := library.Export(ctx, w.store, o, func(done, total int) {
			fyne.Do(func() {
				if total > 0 {
					bar.SetValue(float64(done) / float64(total))
				}
			})
		})
		cancel()
		fyne.Do(func() {
			prog.Hide()
			w.exportDone(o, sum, err)
		})
	}()
}

// exportDone says how an export ended: cancelled is not a failure.
func (w *Workbench) exportDone(o library.ExportOptions, sum formats.Summary, err error) {
	switch {
	case errors.Is(err, context.Canceled):
		w.say("Export cancelled; no file was written")
	case err != nil:
		w.report("Export failed; no file was written", err)
	default:
		w.exported(o, sum)
	}
}

// exported reports an export, with what a token format could not hold.
func (w *Workbench) exported(o library.ExportOptions, s formats.Summary) {
	msg := fmt.Sprintf("✓ Exported %s and %s as %s to %s", count(s.Documents, "document"), count(s.Spans, "span"), o.Format, o.Path)
	w.say(msg)
	var notes []string
	if s.Dropped > 0 {
		notes = append(notes, fmt.Sprintf("Left out, as IOB tags cannot overlap: %s (in %s); the longer span wins.", count(s.Dropped, "overlapping span"), count(len(s.DroppedDocs), "document")))
	}
	if s.Misaligned > 0 {
		notes = append(notes, fmt.Sprintf("Not on token boundaries: %s (in %s).", count(s.Misaligned, "span"), count(len(s.MisalignedDocs), "document")))
	}
	if s.MixedDocs > 0 {
		notes = append(notes, fmt.Sprintf("Several annotators' spans merged, in a format that cannot tell them apart: %s.", count(s.MixedDocs, "document")))
	}
	notes = append(notes, library.RelationNotes(s)...)
	if len(notes) > 0 {
		w.show(dialog.NewInformation("Exported, with notes", msg+"\n\n"+strings.Join(notes, "\n"), w.win))
	}
}
