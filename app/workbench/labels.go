package workbench

import (
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gloss/storage"
	"gloss/widgets"
)

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
		w.markSeen() // our own write, whatever came of it
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
				w.pickLabelColour(l, c, func(c color.Color) {
					l.Color = widgets.Hex(c)
					changed(w.store.UpdateLabel(w.ctx, l))
					fill()
				})
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
				msg, err := w.setLabelKey(l, k)
				changed(err)
				if err != nil {
					fill() // the chooser shows the key the label really has
					return
				}
				problem.SetText(msg)
				if msg != "" {
					fill() // the other label's chooser changed too
				}
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
	tabs := container.NewAppTabs(
		container.NewTabItem("Labels", content),
		container.NewTabItem("Relation types", w.relationTypesTab()),
		container.NewTabItem("Attributes", w.attributesTab()),
	)
	d := dialog.NewCustom("Labels", "Close", tabs, w.win)
	d.Resize(fyne.NewSize(640, 480))
	w.show(d)
}

// setLabelKey gives l the key k. A key another label has is swapped: that
// label takes l's old key (or none), and the message says so.
func (w *Workbench) setLabelKey(l storage.Label, k string) (string, error) {
	old := ""
	for _, o := range w.labels {
		if o.ID == l.ID {
			old = o.Key
		}
	}
	var holder *storage.Label
	for i := range w.labels {
		if k != "" && w.labels[i].Key == k && w.labels[i].ID != l.ID {
			holder = &w.labels[i]
		}
	}
	if holder == nil {
		l.Key = k
		return "", w.store.UpdateLabel(w.ctx, l)
	}
	other := *holder
	other.Key = ""
	if err := w.store.UpdateLabel(w.ctx, other); err != nil {
		return "", err
	}
	l.Key = k
	if err := w.store.UpdateLabel(w.ctx, l); err != nil {
		return "", err
	}
	other.Key = old
	if err := w.store.UpdateLabel(w.ctx, other); err != nil {
		return "", err
	}
	now := "no key"
	if old != "" {
		now = "key " + old
	}
	return fmt.Sprintf("Key %s moved from %s to %s; %s now has %s.", k, other.Name, l.Name, other.Name, now), nil
}

// pickLabelColour offers the colour-blind-safe Okabe–Ito colours first,
// and any other colour behind "Other colour…".
func (w *Workbench) pickLabelColour(l storage.Label, current color.Color, then func(color.Color)) {
	var d dialog.Dialog
	grid := container.NewGridWithColumns(4)
	for _, c := range widgets.LabelColors() {
		c := c
		sw := canvas.NewRectangle(c)
		sw.CornerRadius = 4
		sw.SetMinSize(fyne.NewSize(48, 32))
		b := widget.NewButton("", func() { d.Hide(); then(c) })
		grid.Add(container.NewStack(b, container.NewPadded(sw)))
	}
	other := widget.NewButton("Other colour…", func() {
		d.Hide()
		p := dialog.NewColorPicker("Colour of "+l.Name, "Colours outside this set may be hard to tell apart for colour-blind readers.", then, w.win)
		p.Advanced = true
		p.SetColor(current)
		w.show(p)
	})
	intro := widget.NewLabel("These seven colours stay distinct for colour-blind readers (Okabe–Ito).")
	intro.Wrapping = fyne.TextWrapWord
	d = dialog.NewCustom("Colour of "+l.Name, "Cancel", container.NewVBox(intro, grid, other), w.win)
	d.Resize(fyne.NewSize(380, 0))
	w.show(d)
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
			w.report("Could not delete the label "+l.Name, err)
			return
		}
		w.say(fmt.Sprintf("✓ Deleted the label %s and its %s", l.Name, count(n, "span")))
		w.reloadSpans()
		w.reloadDocuments()
		done()
	}
	n, err := w.store.LabelUsage(w.ctx, l.ID)
	if err != nil {
		w.report("Could not count the spans of "+l.Name, err)
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
	// Keep is the primary button (and what Escape does): the destructive
	// choice is never the highlighted one.
	var d dialog.Dialog
	keep := widget.NewButton("Keep", func() { d.Hide() })
	keep.Importance = widget.HighImportance
	drop := widget.NewButtonWithIcon("Delete label and "+count(n, "span"), theme.DeleteIcon(), func() { d.Hide(); del() })
	drop.Importance = widget.MediumImportance
	body := widget.NewLabel(fmt.Sprintf("%s the label %s.\nDeleting the label deletes them too, for every analyst.\nThis cannot be undone.", use, l.Name))
	cd := dialog.NewCustomWithoutButtons("Delete “"+l.Name+"”?", body, w.win)
	cd.SetButtons([]fyne.CanvasObject{drop, keep})
	d = cd
	w.show(d)
}
