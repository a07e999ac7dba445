package workbench

import (
	"context"
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
)

// formatNames describe the export formats in the chooser.
var formatNames = map[string]string{
	"jsonl":       "Gloss JSONL — everything, re-importable",
	"spacy":       "spaCy / Prodigy JSONL — tokens and spans",
	"doccano":     "doccano JSONL — text with [start, end, label]",
	"brat":        "brat standoff — a folder of .txt and .ann",
	"conll":       "CoNLL-2003 — one token per line, IOB2 tags",
	"labelstudio": "Label Studio JSON — tasks with annotations",
	"hf":          "Hugging Face token classification JSONL",
	"csv":         "CSV — one row per span",
}

var formatExt = map[string]string{"jsonl": ".jsonl", "spacy": ".jsonl", "doccano": ".jsonl", "conll": ".conll",
	"labelstudio": ".json", "hf": ".jsonl", "csv": ".csv"}

// showExportDialog asks what to export, then where, then exports with a
// progress bar that can cancel.
func (w *Workbench) showExportDialog() {
	if w.me.ID == "" {
		return
	}
	var descr []string
	for _, f := range formats.Formats {
		descr = append(descr, formatNames[f])
	}
	format := widget.NewSelect(descr, nil)
	format.SetSelectedIndex(0)

	whose := []string{"Everyone", "Gold (adjudicated)"}
	whoseName := []string{"", GoldName}
	if as, err := w.store.Annotators(w.ctx); err == nil {
		for _, a := range as {
			if !strings.EqualFold(a.Name, GoldName) {
				whose = append(whose, a.Name)
				whoseName = append(whoseName, a.Name)
			}
		}
	}
	who := widget.NewSelect(whose, nil)
	who.SetSelectedIndex(0)

	statusNames := []string{"Any status", "Done", "Reviewed", "In progress", "To do"}
	statusValues := []string{"", "done", "reviewed", "in_progress", "todo"}
	status := widget.NewSelect(statusNames, nil)
	status.SetSelectedIndex(0)

	var labelNames []string
	for _, l := range w.labels {
		labelNames = append(labelNames, l.Name)
	}
	labels := widget.NewCheckGroup(labelNames, nil)
	labels.Horizontal = true
	labels.SetSelected(labelNames)

	offsets := widget.NewRadioGroup([]string{"Code points (Python, spaCy)", "UTF-16 units (browsers, INCEpTION)"}, nil)
	offsets.SetSelected(offsets.Options[0])
	format.OnChanged = func(string) {
		f := formats.Formats[format.SelectedIndex()]
		if slices.Contains(formats.UTF16Formats, f) {
			offsets.Enable()
		} else {
			offsets.SetSelected(offsets.Options[0])
			offsets.Disable()
		}
	}

	form := dialog.NewForm("Export", "Choose where…", "Cancel", []*widget.FormItem{
		widget.NewFormItem("Format", format),
		widget.NewFormItem("Whose spans", who),
		widget.NewFormItem("Documents", status),
		widget.NewFormItem("Labels", labels),
		widget.NewFormItem("Offsets", offsets),
	}, func(ok bool) {
		if !ok {
			return
		}
		o := library.ExportOptions{
			Format: formats.Formats[format.SelectedIndex()],
			Status: statusValues[status.SelectedIndex()],
		}
		if name := whoseName[who.SelectedIndex()]; name == GoldName {
			o.Gold = true
		} else {
			o.Annotator = name
		}
		if len(labels.Selected) < len(labelNames) {
			o.Labels = labels.Selected
			if len(o.Labels) == 0 {
				w.failLoudly("Nothing to export", fmt.Errorf("choose at least one label"))
				return
			}
		}
		if offsets.Selected != offsets.Options[0] {
			o.Offsets = "utf16"
		}
		w.chooseExportPath(o)
	}, w.win)
	form.Resize(fyne.NewSize(640, 0))
	form.Show()
}

func (w *Workbench) chooseExportPath(o library.ExportOptions) {
	if o.Format == "brat" {
		d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err != nil {
				w.failLoudly("Could not open the folder", err)
				return
			}
			if u != nil {
				o.Path = filepath.Join(u.Path(), "gloss-brat")
				w.runExport(o)
			}
		}, w.win)
		d.Resize(fyne.NewSize(900, 600))
		d.Show()
		return
	}
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			w.failLoudly("Could not create the file", err)
			return
		}
		if wc == nil {
			return
		}
		o.Path = wc.URI().Path()
		wc.Close()
		w.runExport(o)
	}, w.win)
	d.SetFileName("gloss-" + o.Format + formatExt[o.Format])
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
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
	prog.Show()
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
			if err != nil {
				w.failLoudly("Export failed; no file was written", err)
				return
			}
			w.exported(o, sum)
		})
	}()
}

// exported reports an export, with what a token format could not hold.
func (w *Workbench) exported(o library.ExportOptions, s formats.Summary) {
	msg := fmt.Sprintf("✓ Exported %d documents and %d spans as %s to %s", s.Documents, s.Spans, o.Format, o.Path)
	w.say(msg)
	var notes []string
	if s.Dropped > 0 {
		notes = append(notes, fmt.Sprintf("%d overlapping spans could not be written as IOB tags and were left out (in %d documents); the longer span wins.", s.Dropped, len(s.DroppedDocs)))
	}
	if s.Misaligned > 0 {
		notes = append(notes, fmt.Sprintf("%d spans do not start or end on token boundaries (in %d documents).", s.Misaligned, len(s.MisalignedDocs)))
	}
	if s.MixedDocs > 0 {
		notes = append(notes, fmt.Sprintf("%d documents mix several annotators' spans in a format that cannot tell them apart.", s.MixedDocs))
	}
	if len(notes) > 0 {
		dialog.ShowInformation("Exported, with notes", msg+"\n\n"+strings.Join(notes, "\n"), w.win)
	}
}
