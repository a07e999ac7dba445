package workbench

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gloss/storage"
	"gloss/widgets"
)

// build lays out the window: documents | article | labels and spans, with a
// status line at the bottom.
func (w *Workbench) build() {
	w.text = widgets.NewTextView()
	w.text.Snap = snapToTokens
	w.text.OnKey = w.typedRune
	w.text.OnDelete = w.deleteSelected
	w.text.OnSpanSelected = w.spanTapped
	w.text.OnSelectionChanged = func(start, end int) { w.showPosition() }
	// Shortcuts typed while the article has focus still reach the window's.
	w.text.OnShortcut = func(s fyne.Shortcut) {
		if c, ok := w.win.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }); ok {
			c.TypedShortcut(s)
		}
	}

	w.palette = widgets.NewPalette(nil, w.applyLabel)
	w.paletteScroll = container.NewVScroll(w.palette)
	w.spanList = widgets.NewSpanList(w.spanListSelected)
	w.docList = widgets.NewDocList(w.openDocument)

	w.docTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	w.docTitle.Truncation = fyne.TextTruncateEllipsis
	w.docTitle.SizeName = theme.SizeNameSubHeadingText
	w.docInfo = widget.NewLabel("")
	w.docInfo.Importance = widget.LowImportance
	w.docInfo.Truncation = fyne.TextTruncateEllipsis
	w.prevButton = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), w.previousDocument)
	w.nextButton = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), w.nextDocument)
	w.doneButton = widget.NewButtonWithIcon("Mark done", theme.ConfirmIcon(), w.toggleDone)
	w.spansTitle = heading("Spans")
	w.message = widget.NewLabel("")
	w.message.Truncation = fyne.TextTruncateEllipsis
	w.position = widget.NewLabel("")
	w.position.Importance = widget.LowImportance

	editLabels := widget.NewButtonWithIcon("", theme.SettingsIcon(), w.showLabelsDialog)
	editLabels.Importance = widget.LowImportance
	importButton := widget.NewButtonWithIcon("", theme.ContentAddIcon(), w.showImportDialog)
	importButton.Importance = widget.LowImportance

	w.docsTitle = heading("Documents")
	filter := widget.NewEntry()
	filter.SetPlaceHolder("Filter by title")
	filter.OnChanged = func(s string) { w.filterText = s; w.applyFilter() }
	statuses := []string{"Every status", "To do", "In progress", "Done", "Reviewed"}
	values := []storage.Status{"", storage.StatusTodo, storage.StatusInProgress, storage.StatusDone, storage.StatusReviewed}
	statusFilter := widget.NewSelect(statuses, nil)
	statusFilter.SetSelectedIndex(0)
	statusFilter.OnChanged = func(string) {
		w.filterStatus = values[statusFilter.SelectedIndex()]
		w.applyFilter()
	}
	left := container.NewBorder(
		container.NewVBox(container.NewBorder(nil, nil, nil, importButton, w.docsTitle), filter, statusFilter),
		nil, nil, nil, w.docList)

	header := container.NewBorder(nil, nil, nil,
		container.NewCenter(container.NewHBox(w.prevButton, w.nextButton, w.doneButton)),
		container.NewVBox(w.docTitle, w.docInfo))
	w.legend = widgets.NewLegend(nil)
	w.legend.Hide()
	centre := container.NewBorder(container.NewVBox(header, w.legend, widget.NewSeparator()), nil, nil, nil, w.text)

	layerRow := container.NewBorder(nil, nil, widget.NewLabel("Layer"), nil, w.buildLayerSelect())
	right := container.NewBorder(
		container.NewVBox(
			layerRow,
			container.NewBorder(nil, nil, nil, editLabels, heading("Labels")),
			w.paletteScroll,
			widget.NewSeparator(),
			w.spansTitle,
		),
		w.buildNotePanel(), nil, nil, w.spanList)

	status := container.NewBorder(nil, nil, nil, w.position, w.message)

	split := container.NewHSplit(left, container.NewHSplit(centre, right))
	split.Offset = 0.2
	split.Trailing.(*container.Split).Offset = 0.74
	bg := canvas.NewRectangle(color.Transparent)
	w.win.SetContent(container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), status), nil, nil,
		container.NewStack(bg, split)))

	w.buildMenus()
	w.win.SetOnDropped(w.dropped)
	w.win.Canvas().SetOnTypedRune(func(r rune) { w.typedRune(r) })
	w.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		switch ev.Name {
		case fyne.KeyDelete, fyne.KeyBackspace:
			w.deleteSelected()
		case fyne.KeyEscape:
			w.text.ClearSelection()
		}
	})
	w.refreshPalette()
	w.updateTitle()
}

func heading(s string) *widget.Label {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return l
}

// action is one command with its keyboard shortcut, shared by the menu and the
// canvas so that both the real window and headless tests reach it.
type action struct {
	label    string
	shortcut fyne.Shortcut
	run      func()
}

func (w *Workbench) buildMenus() {
	ctrl := fyne.KeyModifierShortcutDefault
	item := func(a action) *fyne.MenuItem {
		m := fyne.NewMenuItem(a.label, a.run)
		m.Shortcut = a.shortcut
		if a.shortcut != nil {
			run := a.run
			w.win.Canvas().AddShortcut(a.shortcut, func(fyne.Shortcut) { run() })
		}
		return m
	}
	w.undoItem = item(action{"Undo", &fyne.ShortcutUndo{}, w.undo})
	w.redoItem = item(action{"Redo", &desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: ctrl | fyne.KeyModifierShift}, w.redo})
	// Ctrl+Y is redo too, as on Windows.
	w.win.Canvas().AddShortcut(&fyne.ShortcutRedo{}, func(fyne.Shortcut) { w.redo() })

	file := fyne.NewMenu("File",
		item(action{"Import…", &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: ctrl}, w.showImportDialog}),
		fyne.NewMenuItem("Import a brat folder…", w.showImportFolderDialog),
		item(action{"Merge colleague's work…", &desktop.CustomShortcut{KeyName: fyne.KeyM, Modifier: ctrl}, w.showMergeDialog}),
		fyne.NewMenuItemSeparator(),
		item(action{"Export…", &desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: ctrl}, w.showExportDialog}),
		fyne.NewMenuItem("Save a backup copy…", func() { w.saveBackup("gloss-backup.db") }),
	)
	edit := fyne.NewMenu("Edit",
		w.undoItem, w.redoItem,
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Delete span", w.deleteSelected),
		item(action{"Labels…", &desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: ctrl}, w.showLabelsDialog}),
	)
	doc := fyne.NewMenu("Document",
		item(action{"Next document", &desktop.CustomShortcut{KeyName: fyne.KeyRight, Modifier: fyne.KeyModifierAlt}, w.nextDocument}),
		item(action{"Previous document", &desktop.CustomShortcut{KeyName: fyne.KeyLeft, Modifier: fyne.KeyModifierAlt}, w.previousDocument}),
		fyne.NewMenuItemSeparator(),
		item(action{"Mark done / not done", &desktop.CustomShortcut{KeyName: fyne.KeyD, Modifier: ctrl}, w.toggleDone}),
	)
	reviewMenu := fyne.NewMenu("Review",
		item(action{"Compare and adjudicate…", &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: ctrl}, w.showReview}),
		fyne.NewMenuItem("Agreement report…", w.showAgreement),
		fyne.NewMenuItem("Progress…", w.showProgress),
	)
	help := fyne.NewMenu("Help",
		fyne.NewMenuItem("Keyboard shortcuts", w.showShortcuts),
		fyne.NewMenuItem("About Gloss", w.showAbout),
	)
	w.menu = fyne.NewMainMenu(file, edit, doc, reviewMenu, help)
	w.win.SetMainMenu(w.menu)
}
