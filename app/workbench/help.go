package workbench

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// showShortcuts lists KeyTable, the same table the menus are made from.
func (w *Workbench) showShortcuts() {
	rows := KeyTable()
	grid := container.NewGridWithColumns(2)
	for _, r := range rows {
		grid.Add(widget.NewLabelWithStyle(r[0], fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		grid.Add(widget.NewLabel(r[1]))
	}
	w.show(dialog.NewCustom("Keyboard shortcuts", "Close", grid, w.win))
}

func (w *Workbench) showAbout() {
	w.show(dialog.NewInformation("About Gloss",
		"Gloss — a desktop workbench for labelling text.\n\nDatabase: "+w.store.Path()+
			"\nAnalyst: "+w.me.Name+"\n\nEvery edit is saved the moment you make it.", w.win))
}
