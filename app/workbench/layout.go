package workbench

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gloss/storage"
	"gloss/widgets"
)

// build lays out the window: documents | article | labels and spans, with a
// status line at the bottom.
func (w *Workbench) build() {
	w.text = widgets.NewTextView()
	w.text.Segmenter = tokenSegmenter{}
	w.text.OnKey = w.typedRune
	w.text.OnDelete = w.deleteSelected
	w.text.OnSpanSelected = w.spanTapped
	w.text.OnSelectionChanged = func(start, end int) { w.showPosition() }
	w.text.OnScrolled = w.showPosition
	w.text.OnSpanClicked = func(id string) {
		if w.pick != nil {
			w.pickEnd(id)
			return
		}
		if g, ok := w.suggestionByID(id); ok {
			w.acceptSuggestion(g, nil)
		}
	}
	w.text.OnActivate = func(id string) {
		if w.pick != nil {
			w.pickEnd(id)
			return
		}
		if g, ok := w.suggestionByID(id); ok {
			w.acceptSuggestion(g, nil)
			return
		}
		w.focusNote()
	}
	w.text.OnSpanEdges = w.moveEdges
	w.text.OnRelationSelected = w.relationSelected
	w.text.OnRelationDrag = func(from, to string) {
		a, ok1 := w.spanByID(from)
		b, ok2 := w.spanByID(to)
		if ok1 && ok2 && from != to && !w.refuseReadOnly() {
			w.linkSpans(a, b, "")
		}
	}
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
	filter.SetPlaceHolder("Filter by title or file name")
	filter.OnChanged = func(s string) { w.filterText = s; w.applyFilter() }
	values := append([]storage.Status{""}, storage.Statuses...)
	var statuses []string
	for _, st := range values {
		statuses = append(statuses, statusChoice(st))
	}
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
	// The legend sits under the layer chooser, not over the article, so
	// switching layers never moves the text.
	centre := container.NewBorder(container.NewVBox(header, widget.NewSeparator(), w.buildFindBar()), nil, nil, nil, w.text)

	layerRow := container.NewBorder(nil, nil, widget.NewLabel("Layer"), nil, w.buildLayerSelect())
	right := container.NewBorder(
		container.NewVBox(
			layerRow,
			w.legend,
			container.NewBorder(nil, nil, nil, editLabels, heading("Labels")),
			w.paletteScroll,
			widget.NewSeparator(),
			w.spansTitle,
		),
		container.NewVBox(w.buildRelationPanel(), w.buildNotePanel()), nil, nil, w.spanList)

	w.who = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	w.learnInfo = widget.NewLabel("")
	w.learnInfo.Importance = widget.LowImportance
	// The message and the position share what the learner's note and the
	// analyst's name leave (statusLayout), each cut with an ellipsis.
	w.position.Truncation = fyne.TextTruncateEllipsis
	w.position.Alignment = fyne.TextAlignTrailing
	w.statusLay = &statusLayout{message: w.message, position: w.position, widths: map[textAt]float32{}}
	w.statusRow = container.New(w.statusLay, w.message, w.position)
	status := container.NewBorder(nil, nil, nil, container.NewHBox(w.learnInfo, w.who), w.statusRow)

	split := container.NewHSplit(left, container.NewHSplit(centre, right))
	w.split = split
	split.Offset = 0.2
	split.Trailing.(*container.Split).Offset = 0.74
	bg := canvas.NewRectangle(color.Transparent)
	w.win.SetContent(container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), status), nil, nil,
		container.NewStack(bg, split)))

	w.buildMenus()
	w.win.SetOnDropped(w.dropped)
	w.win.Canvas().SetOnTypedRune(func(r rune) {
		if !w.modal() { // a dialog's keys are not the article's
			w.typedRune(r)
		}
	})
	w.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if w.modal() {
			switch ev.Name {
			case fyne.KeyEscape:
				w.closeTopDialog()
			case fyne.KeyReturn, fyne.KeyEnter:
				w.confirmTopDialog()
			}
			return
		}
		switch ev.Name {
		case fyne.KeyDelete, fyne.KeyBackspace:
			w.deleteSelected()
		case fyne.KeyEscape:
			switch {
			case w.closeTopDialog():
			case w.pick != nil:
				w.cancelRelation("No relation made.")
			case w.attrKeys:
				w.attrKeys = false
				w.showPosition()
			default:
				w.text.ClearSelection()
			}
		}
	})
	w.refreshPalette()
	w.updateTitle()
	w.refreshWho()
}

func heading(s string) *widget.Label {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return l
}
