package workbench

import (
	"fmt"
	"image/color"
	"strconv"
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

// schemaChanged reloads the relation types and attributes after the
// Labels dialog changed them, and shows err (or clears the message).
func (w *Workbench) schemaChanged(problem *widget.Label, err error) {
	w.markSeen()
	if err != nil {
		problem.SetText(err.Error())
	} else {
		problem.SetText("")
	}
	if err := w.loadRelationSchema(); err != nil {
		problem.SetText(err.Error())
	}
	w.loadRelations()
	if w.doc != nil {
		w.showSpans()
	}
	if w.relPanel != nil {
		w.relPanel.gen = ""
	}
	w.showRelationPanel()
}

// relationKeyChoices are the letters a relation type may take: none of
// the window's own keys nor a label's.
func (w *Workbench) relationKeyChoices() []string {
	out := []string{"none"}
	for k := 'a'; k <= 'z'; k++ {
		if strings.ContainsRune(reservedKeys, k) || w.labelKey(k) {
			continue
		}
		out = append(out, string(k))
	}
	return out
}

// labelNames maps label IDs to names.
func (w *Workbench) labelNames() map[string]string {
	m := make(map[string]string, len(w.labels))
	for _, l := range w.labels {
		m[l.ID] = l.Name
	}
	return m
}

// relationTypesTab is the Labels dialog's tab of relation types: name,
// colour, key, directed or symmetric, and the allowed label pairs.
func (w *Workbench) relationTypesTab() fyne.CanvasObject {
	list := container.NewVBox()
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	problem.Wrapping = fyne.TextWrapWord
	var fill func()
	fill = func() {
		list.RemoveAll()
		if len(w.relTypes) == 0 {
			list.Add(lowLabel("No relation types yet. A relation links two spans: “this Figure supports that Claim”."))
		}
		for _, t := range w.relTypes {
			t := t
			c, _ := widgets.ParseHex(t.Color)
			swatch := canvas.NewRectangle(c)
			swatch.CornerRadius = 4
			swatch.SetMinSize(fyne.NewSize(28, 28))
			colour := widget.NewButton("", func() {
				w.pickLabelColour(storage.Label{Name: t.Name}, c, func(c color.Color) {
					t.Color = widgets.Hex(c)
					w.schemaChanged(problem, w.store.UpdateRelationType(w.ctx, t))
					fill()
				})
			})
			name := widget.NewEntry()
			name.SetText(t.Name)
			name.OnChanged = func(s string) {
				t.Name = strings.TrimSpace(s)
				w.schemaChanged(problem, w.store.UpdateRelationType(w.ctx, t))
			}
			key := widget.NewSelect(w.relationKeyChoices(), nil)
			if t.Key == "" {
				key.SetSelected("none")
			} else {
				key.SetSelected(t.Key)
			}
			key.OnChanged = func(k string) {
				if k == "none" {
					k = ""
				}
				t.Key = k
				err := w.store.UpdateRelationType(w.ctx, t)
				w.schemaChanged(problem, err)
				if err != nil {
					fill()
				}
			}
			directed := widget.NewCheck("directed", func(on bool) {
				t.Directed = on
				w.schemaChanged(problem, w.store.UpdateRelationType(w.ctx, t))
			})
			directed.SetChecked(t.Directed)
			pairs := widget.NewButton(w.pairsText(t), func() {
				w.editPairs(t, func(nt storage.RelationType) {
					w.schemaChanged(problem, w.store.UpdateRelationType(w.ctx, nt))
					fill()
				})
			})
			pairs.Importance = widget.LowImportance
			pairs.Alignment = widget.ButtonAlignLeading
			del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
				w.confirmDeleteRelationType(t, func() { w.schemaChanged(problem, nil); fill() })
			})
			del.Importance = widget.LowImportance
			row := container.NewBorder(nil, nil, container.NewStack(colour, container.NewPadded(swatch)),
				container.NewHBox(key, directed, del), name)
			list.Add(container.NewVBox(row, pairs))
		}
	}
	fill()
	add := widget.NewButtonWithIcon("Add relation type", theme.ContentAddIcon(), func() {
		name := fmt.Sprintf("relation %d", len(w.relTypes)+1)
		_, err := w.store.CreateRelationType(w.ctx, storage.RelationType{SetID: w.set.ID, Name: name, Directed: true,
			Color: widgets.Hex(widgets.LabelColor(len(w.relTypes) + 4))})
		w.schemaChanged(problem, err)
		fill()
	})
	help := lowLabel("A span selected, R (or the type's key) links it to another span. Allowed pairs restrict which labels a type links (none: any).")
	return container.NewBorder(help, container.NewVBox(problem, add), nil, nil, container.NewVScroll(list))
}

// pairsText says which label pairs type t allows.
func (w *Workbench) pairsText(t storage.RelationType) string {
	if len(t.Args) == 0 {
		return "Allowed: any labels  (edit…)"
	}
	return "Allowed: " + strings.Join(t.Pairs(w.labelNames()), ", ") + "  (edit…)"
}

// editPairs edits the allowed (from, to) label pairs of type t.
func (w *Workbench) editPairs(t storage.RelationType, save func(storage.RelationType)) {
	names := w.labelNames()
	var labelList []string
	ids := map[string]string{}
	for _, l := range w.labels {
		labelList = append(labelList, l.Name)
		ids[l.Name] = l.ID
	}
	pairs := append([]storage.LabelPair{}, t.Args...)
	list := container.NewVBox()
	var fill func()
	fill = func() {
		list.RemoveAll()
		if len(pairs) == 0 {
			list.Add(lowLabel("Any labels (no pair given)"))
		}
		for i, p := range pairs {
			i := i
			del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
				pairs = append(pairs[:i], pairs[i+1:]...)
				fill()
			})
			del.Importance = widget.LowImportance
			list.Add(container.NewBorder(nil, nil, nil, del, widget.NewLabel(names[p.From]+" → "+names[p.To])))
		}
	}
	fill()
	from, to := widget.NewSelect(labelList, nil), widget.NewSelect(labelList, nil)
	from.PlaceHolder, to.PlaceHolder = "from label", "to label"
	add := widget.NewButtonWithIcon("Add pair", theme.ContentAddIcon(), func() {
		if from.Selected == "" || to.Selected == "" {
			return
		}
		pairs = append(pairs, storage.LabelPair{From: ids[from.Selected], To: ids[to.Selected]})
		fill()
	})
	body := container.NewBorder(nil, container.NewHBox(from, widget.NewLabel("→"), to, add), nil, nil, container.NewVScroll(list))
	d := dialog.NewCustomConfirm("Labels that “"+t.Name+"” links", "Save", "Cancel", body, func(ok bool) {
		if ok {
			t.Args = pairs
			save(t)
		}
	}, w.win)
	d.Resize(fyne.NewSize(460, 320))
	w.show(d)
}

// confirmDeleteRelationType deletes a relation type, asking first when
// relations use it.
func (w *Workbench) confirmDeleteRelationType(t storage.RelationType, done func()) {
	del := func() {
		n, err := w.store.DeleteRelationType(w.ctx, t.ID)
		if err != nil {
			w.report("Could not delete the relation type "+t.Name, err)
			return
		}
		w.say(fmt.Sprintf("✓ Deleted the relation type %s and its %s", t.Name, count(n, "relation")))
		done()
	}
	n, err := w.store.RelationTypeUsage(w.ctx, t.ID)
	if err != nil {
		w.report("Could not count the relations of "+t.Name, err)
		return
	}
	if n == 0 {
		del()
		return
	}
	var d dialog.Dialog
	keep := widget.NewButton("Keep", func() { d.Hide() })
	keep.Importance = widget.HighImportance
	drop := widget.NewButtonWithIcon("Delete type and "+count(n, "relation"), theme.DeleteIcon(), func() { d.Hide(); del() })
	body := widget.NewLabel(fmt.Sprintf("%s of every analyst use the type %s.\nDeleting the type deletes them too. This cannot be undone.", count(n, "relation"), t.Name))
	cd := dialog.NewCustomWithoutButtons("Delete “"+t.Name+"”?", body, w.win)
	cd.SetButtons([]fyne.CanvasObject{drop, keep})
	d = cd
	w.show(d)
}

var attrKinds = []string{"choice", "yes/no", "number", "text"}

func kindOfChoice(s string) string {
	switch s {
	case "yes/no":
		return storage.AttrFlag
	case "choice":
		return storage.AttrChoice
	case "number":
		return storage.AttrNumber
	}
	return storage.AttrText
}

func kindName(k string) string {
	if k == storage.AttrFlag {
		return "yes/no"
	}
	return k
}

// attributesTab is the Labels dialog's tab of attributes: name, kind,
// choices or bounds, what they are on, and whether a new span gets the
// last value set.
func (w *Workbench) attributesTab() fyne.CanvasObject {
	list := container.NewVBox()
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	problem.Wrapping = fyne.TextWrapWord
	var fill func()
	update := func(a storage.Attribute) { w.schemaChanged(problem, w.store.UpdateAttribute(w.ctx, a)) }
	fill = func() {
		list.RemoveAll()
		if len(w.attrs) == 0 {
			list.Add(lowLabel("No attributes yet: a claim's certainty (a choice), whether a figure is disputed (yes/no), a score (a number), a source (text)."))
		}
		for _, a := range w.attrs {
			a := a
			name := widget.NewEntry()
			name.SetText(a.Name)
			name.OnChanged = func(s string) { a.Name = strings.TrimSpace(s); update(a) }
			kind := widget.NewLabel(kindName(a.Kind))
			kind.Importance = widget.LowImportance
			remember := widget.NewCheck("remember last", func(on bool) { a.Remember = on; update(a) })
			remember.SetChecked(a.Remember)
			del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
				n, err := w.store.DeleteAttribute(w.ctx, a.ID)
				w.schemaChanged(problem, err)
				if err == nil {
					w.say(fmt.Sprintf("✓ Deleted the attribute %s and its %s", a.Name, count(n, "value")))
				}
				fill()
			})
			del.Importance = widget.LowImportance
			row := container.NewBorder(nil, nil, nil, container.NewHBox(kind, remember, del), name)
			box := container.NewVBox(row)
			switch a.Kind {
			case storage.AttrChoice:
				choices := newSavingEntry(strings.Join(a.Choices, ", "), func(s string) {
					a.Choices = splitChoices(s)
					update(a)
				})
				choices.SetPlaceHolder("choices, separated by commas (saved on Enter or leaving the field)")
				box.Add(container.NewBorder(nil, nil, widget.NewLabel("Choices"), nil, choices))
			case storage.AttrNumber:
				bText := func(p *float64) string {
					if p == nil {
						return ""
					}
					return strconv.FormatFloat(*p, 'g', -1, 64)
				}
				lo, hi := newSavingEntry(bText(a.Min), nil), newSavingEntry(bText(a.Max), nil)
				lo.SetPlaceHolder("no minimum")
				hi.SetPlaceHolder("no maximum")
				bound := func(s string) (*float64, bool) {
					s = strings.TrimSpace(s)
					if s == "" {
						return nil, true
					}
					f, err := strconv.ParseFloat(s, 64)
					return &f, err == nil
				}
				save := func(string) {
					mn, ok1 := bound(lo.Text)
					mx, ok2 := bound(hi.Text)
					if !ok1 || !ok2 {
						problem.SetText("A bound is a number, or empty for none.")
						return
					}
					a.Min, a.Max = mn, mx
					update(a)
				}
				for _, e := range []*savingEntry{lo, hi} {
					e := e
					e.OnSubmitted = func(s string) {
						if s == e.saved {
							return
						}
						e.saved = s
						save(s)
					}
				}
				box.Add(container.NewGridWithColumns(4, widget.NewLabel("From"), lo, widget.NewLabel("to"), hi))
			}
			on := widget.NewButton(w.targetsText(a), func() {
				w.editTargets(a, func(na storage.Attribute) { update(na); fill() })
			})
			on.Importance = widget.LowImportance
			on.Alignment = widget.ButtonAlignLeading
			box.Add(on)
			list.Add(box)
			list.Add(widget.NewSeparator())
		}
	}
	fill()
	kind := widget.NewSelect(attrKinds, nil)
	kind.SetSelected("choice")
	add := widget.NewButtonWithIcon("Add attribute", theme.ContentAddIcon(), func() {
		a := storage.Attribute{SetID: w.set.ID, Name: fmt.Sprintf("Attribute %d", len(w.attrs)+1), Kind: kindOfChoice(kind.Selected)}
		if a.Kind == storage.AttrChoice {
			a.Choices = []string{"Low", "Medium", "High"}
		}
		_, err := w.store.CreateAttribute(w.ctx, a)
		w.schemaChanged(problem, err)
		fill()
	})
	help := lowLabel("Attributes are set on a selected span (or relation) in the panel under the spans list, or by key: A, then a digit.")
	return container.NewBorder(help, container.NewVBox(problem, container.NewHBox(kind, add)), nil, nil, container.NewVScroll(list))
}

func splitChoices(s string) []string {
	var out []string
	for _, c := range strings.Split(s, ",") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// targetsText says what attribute a is on.
func (w *Workbench) targetsText(a storage.Attribute) string {
	if len(a.Targets) == 0 {
		return "On: every span  (edit…)"
	}
	names := w.labelNames()
	for _, t := range w.relTypes {
		names[t.ID] = "relation " + t.Name
	}
	var ns []string
	for _, t := range a.Targets {
		if n := names[t]; n != "" {
			ns = append(ns, n)
		}
	}
	return "On: " + strings.Join(ns, ", ") + "  (edit…)"
}

// editTargets chooses the labels and relation types attribute a is on.
func (w *Workbench) editTargets(a storage.Attribute, save func(storage.Attribute)) {
	chosen := map[string]bool{}
	for _, t := range a.Targets {
		chosen[t] = true
	}
	box := container.NewVBox(lowLabel("None chosen: every span."))
	add := func(id, name string) {
		c := widget.NewCheck(name, func(on bool) { chosen[id] = on })
		c.SetChecked(chosen[id])
		box.Add(c)
	}
	for _, l := range w.labels {
		add(l.ID, l.Name)
	}
	for _, t := range w.relTypes {
		add(t.ID, "relation "+t.Name)
	}
	d := dialog.NewCustomConfirm("What “"+a.Name+"” is on", "Save", "Cancel", container.NewVScroll(box), func(ok bool) {
		if !ok {
			return
		}
		a.Targets = nil
		for _, l := range w.labels {
			if chosen[l.ID] {
				a.Targets = append(a.Targets, l.ID)
			}
		}
		for _, t := range w.relTypes {
			if chosen[t.ID] {
				a.Targets = append(a.Targets, t.ID)
			}
		}
		save(a)
	}, w.win)
	d.Resize(fyne.NewSize(360, 360))
	w.show(d)
}

// savingEntry is a one-line entry that saves (OnSubmitted) on Enter and
// when it loses the focus: a value typed and left is not lost.
type savingEntry struct {
	widget.Entry
	saved string
}

func newSavingEntry(text string, save func(string)) *savingEntry {
	e := &savingEntry{saved: text}
	e.ExtendBaseWidget(e)
	e.SetText(text)
	e.OnSubmitted = func(s string) {
		if s == e.saved {
			return
		}
		e.saved = s
		save(s)
	}
	return e
}

// FocusLost saves what was typed.
func (e *savingEntry) FocusLost() {
	e.Entry.FocusLost()
	if e.OnSubmitted != nil {
		e.OnSubmitted(e.Text)
	}
}
