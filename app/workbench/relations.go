package workbench

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"gloss/storage"
	"gloss/widgets"
)

// reservedKeys are the plain letters the window gives a meaning; a relation
// type cannot take them (label keys are digits).
const reservedKeys = "rajkx"

// relPick is a relation being made: its first end is chosen, the analyst
// picks the other (a click, or Tab to it and Enter), then the type.
type relPick struct {
	from   string // span ID
	typeID string // chosen before the other end (its key was pressed), or ""
}

// typeChoice is the open "which relation type?" popup: a key picks one of
// types.
type typeChoice struct {
	types    []storage.RelationType
	choose   func(storage.RelationType)
	d        dialog.Dialog
	from, to storage.Span
}

// loadRelationSchema reads the set's relation types and attributes.
func (w *Workbench) loadRelationSchema() error {
	ts, err := w.store.RelationTypes(w.ctx, w.set.ID)
	if err != nil {
		return err
	}
	as, err := w.store.Attributes(w.ctx, w.set.ID)
	if err != nil {
		return err
	}
	w.relTypes, w.attrs = ts, as
	return nil
}

// layerAnnotator is whose relations and values the layer on screen shows
// ("" for everyone's).
func (w *Workbench) layerAnnotator() string {
	switch w.layer.kind {
	case layerGold:
		if w.gold.ID == "" {
			return "-" // nobody: no gold yet
		}
		return w.gold.ID
	case layerColleague:
		return w.layer.who.ID
	case layerEveryone:
		return ""
	}
	return w.me.ID
}

// loadRelations reads the current document's relations and attribute
// values of the layer on screen.
func (w *Workbench) loadRelations() {
	w.rels, w.attrVals = nil, nil
	if w.doc == nil {
		return
	}
	who := w.layerAnnotator()
	if who == "-" {
		return
	}
	rels, err := w.store.Relations(w.ctx, w.doc.ID, who)
	if err != nil {
		w.report("Could not read the relations", err)
		return
	}
	vals, err := w.store.AttributeValues(w.ctx, w.doc.ID, who)
	if err != nil {
		w.report("Could not read the attributes", err)
		return
	}
	w.rels, w.attrVals = rels, vals
}

func (w *Workbench) relTypeByID(id string) (storage.RelationType, bool) {
	for _, t := range w.relTypes {
		if t.ID == id {
			return t, true
		}
	}
	return storage.RelationType{}, false
}

func (w *Workbench) relationByID(id string) (storage.Relation, bool) {
	for _, r := range w.rels {
		if r.ID == id {
			return r, true
		}
	}
	return storage.Relation{}, false
}

// relationTypeKey is the relation type whose key r is.
func (w *Workbench) relationTypeKey(r rune) (storage.RelationType, bool) {
	for _, t := range w.relTypes {
		if t.Key != "" && strings.EqualFold(t.Key, string(r)) {
			return t, true
		}
	}
	return storage.RelationType{}, false
}

// showRelations hands the relations to the text view and refreshes the
// span panel's list.
func (w *Workbench) showRelations() {
	colors := map[string]string{}
	for _, t := range w.relTypes {
		colors[t.ID] = t.Color
	}
	styles := w.annotatorStyles()
	vs := make([]widgets.Relation, 0, len(w.rels))
	for _, r := range w.rels {
		t, _ := w.relTypeByID(r.TypeID)
		c, err := widgets.ParseHex(colors[r.TypeID])
		if err != nil {
			c, _ = widgets.ParseHex("#555555")
		}
		label := r.Type
		if w.layer.kind == layerEveryone && styles[r.AnnotatorID] != widgets.OutlineNone {
			label += " · " + r.Annotator
		}
		vs = append(vs, widgets.Relation{ID: r.ID, From: r.From, To: r.To, Label: label, Color: c, Directed: t.Directed || t.ID == "",
			Style: styles[r.AnnotatorID]})
	}
	w.text.SetRelations(vs)
	w.showRelationPanel()
}

// spanTag is what a span's tag says: its label and the attribute values
// set on it ("Claim · High, disputed").
func (w *Workbench) spanTag(s storage.Span) string {
	vals := w.attrVals[s.ID]
	if len(vals) == 0 {
		return ""
	}
	return s.Label + " · " + w.valuesText(vals)
}

// valuesText writes attribute values as a tag or a list shows them.
func (w *Workbench) valuesText(vals []storage.AttributeValue) string {
	var parts []string
	for _, v := range vals {
		a, _ := w.attributeByID(v.AttributeID)
		switch a.Kind {
		case storage.AttrFlag:
			parts = append(parts, strings.ToLower(v.Name))
		case storage.AttrChoice:
			parts = append(parts, v.Value)
		default:
			parts = append(parts, v.Name+" "+clip(v.Value))
		}
	}
	return strings.Join(parts, ", ")
}

func (w *Workbench) attributeByID(id string) (storage.Attribute, bool) {
	for _, a := range w.attrs {
		if a.ID == id {
			return a, true
		}
	}
	return storage.Attribute{}, false
}

// startRelation begins a relation from the selected span (R, or a relation
// type's key with a span selected: that type is taken).
func (w *Workbench) startRelation(typeID string) {
	if w.doc == nil || w.refuseReadOnly() {
		return
	}
	s, ok := w.spanByID(w.text.SelectedSpan())
	if !ok {
		w.say("Select a span first (click it, or Tab to it), then press R to link it to another.")
		return
	}
	if len(w.relTypes) == 0 {
		w.say("There are no relation types yet: add one in Edit ▸ Labels (Ctrl+L).")
		return
	}
	w.pick = &relPick{from: s.ID, typeID: typeID}
	w.text.SetPendingRelation(s.ID)
	what := "a relation"
	if t, ok := w.relTypeByID(typeID); ok {
		what = "“" + t.Name + "”"
	}
	w.setStatusText(w.position, fmt.Sprintf("Linking %s from %s “%s”: click the other span, or Tab to it and press Enter  ·  Escape cancels",
		what, s.Label, clip(s.Text)), w.position.Importance)
}

// cancelRelation ends the picking without a relation.
func (w *Workbench) cancelRelation(msg string) {
	if w.pick == nil {
		return
	}
	w.pick = nil
	w.text.SetPendingRelation("")
	if msg != "" {
		w.say(msg)
	}
	w.showPosition()
}

// pickEnd takes span id as the other end of the relation being made.
func (w *Workbench) pickEnd(id string) {
	p := w.pick
	if p == nil {
		return
	}
	if id == p.from {
		w.say("A relation from a span to itself is not allowed: pick another span (Escape cancels).")
		return
	}
	if _, ok := w.suggestionByID(id); ok {
		w.say("That is a suggestion, not a span yet: Tab on to a span, or Escape and accept the suggestion first.")
		return
	}
	from, ok1 := w.spanByID(p.from)
	to, ok2 := w.spanByID(id)
	w.pick = nil
	w.text.SetPendingRelation("")
	if !ok1 || !ok2 {
		w.showPosition()
		return
	}
	w.linkSpans(from, to, p.typeID)
}

// linkSpans makes a relation from one span to another: of type typeID when
// given, else the one type allowed between their labels, else the analyst
// chooses in a popup.
func (w *Workbench) linkSpans(from, to storage.Span, typeID string) {
	if t, ok := w.relTypeByID(typeID); ok {
		w.createRelation(t, from, to)
		return
	}
	var allowed []storage.RelationType
	for _, t := range w.relTypes {
		if t.Allows(from.LabelID, to.LabelID) {
			allowed = append(allowed, t)
		}
	}
	switch len(allowed) {
	case 0:
		w.say(fmt.Sprintf("No relation type goes from %s to %s: %s. Edit the types in Edit ▸ Labels (Ctrl+L).",
			from.Label, to.Label, w.allowedText()))
		w.showPosition()
		return
	case 1:
		w.createRelation(allowed[0], from, to)
		return
	}
	w.chooseType(allowed, from, to, func(t storage.RelationType) { w.createRelation(t, from, to) })
}

// allowedText lists what each relation type allows, for a refusal.
func (w *Workbench) allowedText() string {
	names := w.labelNames()
	var parts []string
	for _, t := range w.relTypes {
		if len(t.Args) == 0 {
			parts = append(parts, t.Name+" any pair")
			continue
		}
		parts = append(parts, t.Name+" "+strings.Join(t.Pairs(names), " or "))
	}
	return strings.Join(parts, "; ")
}

// chooseType opens the small popup that picks a relation type by key.
func (w *Workbench) chooseType(types []storage.RelationType, from, to storage.Span, choose func(storage.RelationType)) {
	c := &typeChoice{types: types, from: from, to: to}
	c.choose = func(t storage.RelationType) {
		w.typePopup = nil
		c.d.Hide()
		choose(t)
	}
	box := container.NewVBox(widget.NewLabel(fmt.Sprintf("%s “%s” → %s “%s”", from.Label, short(from.Text), to.Label, short(to.Text))))
	for i, t := range types {
		t := t
		k := typeKey(t, i)
		b := widget.NewButton(k+"   "+t.Name, func() { c.choose(t) })
		b.Alignment = widget.ButtonAlignLeading
		box.Add(b)
	}
	hint := widget.NewLabel("Press a type's key · Escape cancels")
	hint.Importance = widget.LowImportance
	box.Add(hint)
	d := dialog.NewCustom("Relation type", "Cancel", box, w.win)
	c.d = d
	d.SetOnClosed(func() {
		if w.typePopup == c {
			w.typePopup = nil
			w.say("No relation made.")
		}
	})
	w.typePopup = c
	w.show(d)
}

// typeKey is the key that picks type t (its own, else its place 1…9 in
// the popup).
func typeKey(t storage.RelationType, i int) string {
	if t.Key != "" {
		return t.Key
	}
	if i < 9 {
		return fmt.Sprint(i + 1)
	}
	return " "
}

// typedInPopup picks the type whose key r is, when the popup is open.
func (w *Workbench) typedInPopup(r rune) bool {
	c := w.typePopup
	if c == nil {
		return false
	}
	for i, t := range c.types {
		if strings.EqualFold(typeKey(t, i), string(r)) {
			c.choose(t)
			return true
		}
	}
	w.say(fmt.Sprintf("%q is not one of the keys shown.", r))
	return true
}

// createRelation saves a relation of type t from one span to another.
func (w *Workbench) createRelation(t storage.RelationType, from, to storage.Span) {
	a, err := w.store.ApplyEdit(w.ctx, storage.Edit{Kind: storage.EditCreateRelation, DocumentID: w.doc.ID,
		AnnotatorID: w.editor().ID, TypeID: t.ID, From: from.ID, To: to.ID})
	if err != nil {
		w.fail("Could not link the spans", err)
		w.showPosition()
		return
	}
	w.afterEdit(fmt.Sprintf("Linked %s “%s” %s %s “%s”", from.Label, short(from.Text), t.Name, to.Label, short(to.Text)))
	w.text.SelectSpan(from.ID)
	w.text.SelectRelation(a.Relation.ID)
	w.selectionChanged()
}

// relationSelected is a click on an arc.
func (w *Workbench) relationSelected(id string) {
	w.showPosition()
	w.showRelationPanel()
}

// deleteRelation removes the selected relation.
func (w *Workbench) deleteRelation(id string) {
	r, ok := w.relationByID(id)
	if !ok || w.refuseReadOnly() {
		return
	}
	if _, err := w.store.Apply(w.ctx, storage.Edit{Kind: storage.EditDeleteRelation, DocumentID: w.doc.ID,
		AnnotatorID: w.editor().ID, RelationID: id}); err != nil {
		w.fail("Could not delete the relation", err)
		return
	}
	w.text.SelectRelation("")
	w.afterEdit(fmt.Sprintf("Deleted the relation %s — Ctrl+Z brings it back", r.Type))
	w.selectionChanged()
}

// retypeRelation gives the selected relation type t (its key pressed).
func (w *Workbench) retypeRelation(id string, t storage.RelationType) {
	r, ok := w.relationByID(id)
	if !ok || w.refuseReadOnly() || r.TypeID == t.ID {
		return
	}
	if _, err := w.store.Apply(w.ctx, storage.Edit{Kind: storage.EditRetypeRelation, DocumentID: w.doc.ID,
		AnnotatorID: w.editor().ID, RelationID: id, TypeID: t.ID}); err != nil {
		w.fail("Could not change the relation's type", err)
		return
	}
	w.afterEdit(fmt.Sprintf("The relation is now %s", t.Name))
	w.text.SelectRelation(id)
	w.selectionChanged()
}

// relationText describes relation r ("Figure “3 %” supports Claim “Growth…”").
func (w *Workbench) relationText(r storage.Relation) string {
	from, _ := w.spanByID(r.From)
	to, _ := w.spanByID(r.To)
	return fmt.Sprintf("%s “%s” %s %s “%s”", from.Label, short(from.Text), r.Type, to.Label, short(to.Text))
}

// toggleAllRelations shows every relation, or only the selected span's.
func (w *Workbench) toggleAllRelations() {
	w.showAllRels = !w.showAllRels
	w.text.SetShowAllRelations(w.showAllRels)
	w.app.Preferences().SetBool(prefAllRelations, w.showAllRels)
	if w.showAllRels {
		w.say("Showing every relation, the selected span's strongly (Ctrl+Shift+K: only the selected span's)")
	} else {
		w.say("Showing the selected span's relations only (Ctrl+Shift+K: every relation)")
	}
}

const prefAllRelations = "showAllRelations"

// relationsOf are span id's relations: outgoing first, then incoming.
func (w *Workbench) relationsOf(id string) []storage.Relation {
	var out, in []storage.Relation
	for _, r := range w.rels {
		switch id {
		case r.From:
			out = append(out, r)
		case r.To:
			in = append(in, r)
		}
	}
	return append(out, in...)
}

// relationPanel is the part of the span panel under the spans list: the
// selected span's relations (a click jumps to the other end) and its
// attributes (or the selected relation's).
type relationPanel struct {
	box   *fyne.Container
	rels  *fyne.Container
	attrs *fyne.Container
	title *widget.Label
	// shownFor is the span or relation the panel was last filled for, so
	// that a refresh does not rebuild entries being typed in.
	shownFor string
	gen      string
}

func (w *Workbench) buildRelationPanel() fyne.CanvasObject {
	p := &relationPanel{rels: container.NewVBox(), attrs: container.NewVBox(), title: heading("Relations")}
	p.title.Truncation = fyne.TextTruncateEllipsis
	p.box = container.NewVBox(widget.NewSeparator(), p.title, p.rels, p.attrs)
	p.box.Hide()
	w.relPanel = p
	return p.box
}

// showRelationPanel fills the panel for the selected relation, else the
// selected span.
func (w *Workbench) showRelationPanel() {
	p := w.relPanel
	if p == nil {
		return
	}
	relID := w.text.SelectedRelation()
	spanID := w.text.SelectedSpan()
	owner := spanID
	if relID != "" {
		owner = relID
	}
	s, isSpan := w.spanByID(spanID)
	r, isRel := w.relationByID(relID)
	if !isSpan && !isRel {
		p.box.Hide()
		p.shownFor = ""
		return
	}
	gen := owner + "|" + w.relationsKey(spanID) + "|" + w.valuesKey(owner)
	if p.gen == gen && p.box.Visible() {
		return
	}
	p.gen, p.shownFor = gen, owner
	p.rels.RemoveAll()
	p.attrs.RemoveAll()
	if isRel {
		p.title.SetText("Relation " + r.Type)
		p.rels.Add(wrapLabel(w.relationText(r)))
		hint := "Delete removes it"
		if k := w.typeKeys(); k != "" {
			hint += ", " + k + " changes its type"
		}
		p.rels.Add(lowLabel(hint))
		w.fillAttributes(p.attrs, r.ID, r.TypeID, true)
	} else {
		rs := w.relationsOf(s.ID)
		p.title.SetText(fmt.Sprintf("Relations of %s (%d)", s.Label, len(rs)))
		for _, r := range rs {
			r := r
			other, arrow := r.To, "→ "
			if r.To == s.ID {
				other, arrow = r.From, "← "
			}
			o, _ := w.spanByID(other)
			p.rels.Add(linkRow(arrow+r.Type+"  "+o.Label+" “"+short(o.Text)+"”", func() {
				w.text.SelectSpan(other)
				w.spanList.Select(other)
				w.text.SelectRelation(r.ID)
				w.selectionChanged()
			}))
		}
		if len(rs) == 0 && !w.readOnly() {
			p.rels.Add(lowLabel("R links it to another span"))
		}
		w.fillAttributes(p.attrs, s.ID, s.LabelID, false)
	}
	p.box.Show()
}

func (w *Workbench) relationsKey(spanID string) string {
	var b strings.Builder
	for _, r := range w.relationsOf(spanID) {
		b.WriteString(r.ID + r.TypeID)
	}
	return b.String()
}

func (w *Workbench) valuesKey(owner string) string {
	var b strings.Builder
	for _, v := range w.attrVals[owner] {
		b.WriteString(v.AttributeID + "=" + v.Value + ";")
	}
	return b.String()
}

// typeKeys lists the relation types' keys ("s, c").
func (w *Workbench) typeKeys() string {
	var ks []string
	for _, t := range w.relTypes {
		if t.Key != "" {
			ks = append(ks, t.Key)
		}
	}
	return strings.Join(ks, ", ")
}

// short is a span's text cut for a narrow row (clip cuts longer).
func short(s string) string {
	s = strings.Trim(s, "“”\"' ")
	if r := []rune(s); len(r) > 24 {
		return strings.TrimSpace(string(r[:23])) + "…"
	}
	return s
}

// linkRow is a clickable row whose text is cut with an ellipsis: a long
// quote never widens the panel (a button is as wide as its text).
func linkRow(text string, tapped func()) fyne.CanvasObject {
	b := widget.NewButton("", tapped)
	b.Importance = widget.LowImportance
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Truncation = fyne.TextTruncateEllipsis
	return container.NewStack(b, l)
}

func wrapLabel(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

func lowLabel(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Importance = widget.LowImportance
	l.Wrapping = fyne.TextWrapWord
	return l
}

// attributesFor are the attributes of a span labelled (or a relation
// typed) target.
func (w *Workbench) attributesFor(target string, relation bool) []storage.Attribute {
	var out []storage.Attribute
	for _, a := range w.attrs {
		if a.On(target, relation) {
			out = append(out, a)
		}
	}
	return out
}

func (w *Workbench) valueOf(owner, attrID string) string {
	for _, v := range w.attrVals[owner] {
		if v.AttributeID == attrID {
			return v.Value
		}
	}
	return ""
}

// fillAttributes adds an editor for each attribute of owner: choices as a
// row of toggles (with their keys, A then the digit), a flag as a check, a
// number or text as an entry saved on Enter or when it loses focus.
func (w *Workbench) fillAttributes(box *fyne.Container, owner, target string, relation bool) {
	as := w.attributesFor(target, relation)
	if len(as) == 0 {
		return
	}
	ro := w.readOnly()
	for _, a := range as {
		a := a
		cur := w.valueOf(owner, a.ID)
		switch a.Kind {
		case storage.AttrFlag:
			c := widget.NewCheck(a.Name, nil)
			c.SetChecked(cur == "true")
			c.OnChanged = func(on bool) {
				v := ""
				if on {
					v = "true"
				}
				w.setAttribute(owner, a, v)
			}
			if ro {
				c.Disable()
			}
			box.Add(c)
		case storage.AttrChoice:
			// A drop-down, not a row of radio buttons: the panel keeps its
			// width whatever the choices.
			choices := append([]string{"—"}, a.Choices...)
			r := widget.NewSelect(choices, nil)
			if cur == "" {
				r.SetSelected("—")
			} else {
				r.SetSelected(cur)
			}
			r.OnChanged = func(v string) {
				if v == "—" {
					v = ""
				}
				w.setAttribute(owner, a, v)
			}
			if ro {
				r.Disable()
			}
			box.Add(container.NewBorder(nil, nil, widget.NewLabel(a.Name), nil, r))
		default:
			var e *savingEntry
			e = newSavingEntry(cur, func(v string) { w.setAttribute(owner, a, v) })
			hint := "text"
			if a.Kind == storage.AttrNumber {
				hint = "a number"
				if b := a.Bounds(); b != "" {
					hint += " " + b
				}
			}
			e.SetPlaceHolder(hint + " (saved on Enter or leaving the field)")
			if ro {
				e.Disable()
			}
			box.Add(container.NewBorder(nil, nil, widget.NewLabel(a.Name), nil, e))
		}
	}
	if !ro {
		box.Add(lowLabel("A, then a digit: set a choice by key"))
	}
}

// setAttribute saves attribute a of owner (a span or relation) as v.
func (w *Workbench) setAttribute(owner string, a storage.Attribute, v string) {
	if w.doc == nil || w.refuseReadOnly() || w.valueOf(owner, a.ID) == v {
		return
	}
	if _, err := w.store.Apply(w.ctx, storage.Edit{Kind: storage.EditSetAttribute, DocumentID: w.doc.ID,
		AnnotatorID: w.editor().ID, OwnerID: owner, AttributeID: a.ID, Value: v}); err != nil {
		w.fail("Could not set "+a.Name, err)
		w.relPanel.gen = "" // show the value as stored
		w.showRelationPanel()
		return
	}
	if a.Remember {
		w.lastValues[a.ID] = v
	}
	msg := a.Name + " cleared"
	if v != "" {
		msg = a.Name + ": " + v
		if a.Kind == storage.AttrFlag {
			msg = a.Name + " set"
		}
	}
	w.afterEdit(msg)
}

// attributeKeys are the keys of the A popup: each choice of the selected
// owner's choice attributes and each flag, numbered 1…9 in panel order.
type attrKey struct {
	attr  storage.Attribute
	value string // "" for a flag: toggle
}

func (w *Workbench) attributeKeys() (owner string, keys []attrKey) {
	owner, target, relation := w.text.SelectedSpan(), "", false
	if s, ok := w.spanByID(owner); ok {
		target = s.LabelID
	}
	if id := w.text.SelectedRelation(); id != "" {
		if r, ok := w.relationByID(id); ok {
			owner, target, relation = r.ID, r.TypeID, true
		}
	}
	if target == "" {
		return "", nil
	}
	for _, a := range w.attributesFor(target, relation) {
		switch a.Kind {
		case storage.AttrFlag:
			keys = append(keys, attrKey{attr: a})
		case storage.AttrChoice:
			for _, c := range a.Choices {
				keys = append(keys, attrKey{attr: a, value: c})
			}
		}
	}
	return owner, keys
}

// startAttributeKeys is A: the next digit sets a choice or toggles a flag
// of the selected span (or relation); the status line lists the keys.
func (w *Workbench) startAttributeKeys() {
	owner, keys := w.attributeKeys()
	if owner == "" || w.refuseReadOnly() {
		w.say("Select a span (or a relation) first, then press A to set its attributes by key.")
		return
	}
	if len(keys) == 0 {
		w.say("This label has no choice or yes/no attributes: add them in Edit ▸ Labels (Ctrl+L).")
		return
	}
	var parts []string
	for i, k := range keys {
		if i == 9 {
			break
		}
		what := k.attr.Name
		if k.value != "" {
			what = k.attr.Name + " " + k.value
		}
		parts = append(parts, fmt.Sprintf("%d %s", i+1, what))
	}
	w.attrKeys = true
	w.setStatusText(w.position, strings.Join(parts, " · ")+"  ·  Escape cancels", w.position.Importance)
}

// typedAttributeKey takes the digit after A.
func (w *Workbench) typedAttributeKey(r rune) bool {
	if !w.attrKeys {
		return false
	}
	w.attrKeys = false
	owner, keys := w.attributeKeys()
	i := int(r - '1')
	if r < '1' || r > '9' || i >= len(keys) {
		w.showPosition()
		return r != 'a'
	}
	k := keys[i]
	v := k.value
	if k.attr.Kind == storage.AttrFlag {
		if w.valueOf(owner, k.attr.ID) == "" {
			v = "true"
		}
	} else if w.valueOf(owner, k.attr.ID) == v {
		v = "" // the same choice again clears it
	}
	w.setAttribute(owner, k.attr, v)
	return true
}

// rememberedValues gives a new span the values its label's attributes
// remember (each its own undoable edit, as if set by hand).
func (w *Workbench) rememberedValues(s storage.Span) {
	for _, a := range w.attributesFor(s.LabelID, false) {
		if v := w.lastValues[a.ID]; a.Remember && v != "" {
			w.setAttribute(s.ID, a, v)
		}
	}
}

// relationTyped handles a plain key when a relation is selected (its
// type's key retypes it) or a span is (a type's key starts a relation of
// that type). It reports whether it used the key.
func (w *Workbench) relationTyped(r rune) bool {
	if w.typedInPopup(r) || w.typedAttributeKey(r) {
		return true
	}
	if w.labelKey(r) {
		return false
	}
	if id := w.text.SelectedRelation(); id != "" {
		if t, ok := w.relationTypeKey(r); ok {
			w.retypeRelation(id, t)
			return true
		}
	}
	if _, ok := w.spanByID(w.text.SelectedSpan()); !ok {
		return false
	}
	switch {
	case r == 'r' || r == 'R':
		if w.pick != nil {
			w.cancelRelation("")
		}
		w.startRelation("")
		return true
	case r == 'a' || r == 'A':
		w.startAttributeKeys()
		return true
	}
	if t, ok := w.relationTypeKey(r); ok {
		if w.pick != nil {
			w.pick.typeID = t.ID
			w.say("Type " + t.Name + ": now pick the other span")
			return true
		}
		w.startRelation(t.ID)
		return true
	}
	return false
}

// sortRelations keeps the relations in the order they were made.
func sortRelations(rs []storage.Relation) {
	slices.SortFunc(rs, func(a, b storage.Relation) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// relationEditText says what an undone or redone relation edit did.
func relationEditText(e storage.Edit) string {
	switch e.Kind {
	case storage.EditCreateRelation:
		return "relation back"
	case storage.EditDeleteRelation:
		return "relation removed"
	}
	return "relation type as it was"
}

// misfits says which relations of span id no longer fit their types'
// allowed label pairs (after a relabel), or "". They stay: the analyst
// decides (relabel back, retype or delete the relation).
func (w *Workbench) misfits(id string) string {
	var bad []string
	for _, r := range w.relationsOf(id) {
		t, ok := w.relTypeByID(r.TypeID)
		from, ok1 := w.spanByID(r.From)
		to, ok2 := w.spanByID(r.To)
		if ok && ok1 && ok2 && !t.Allows(from.LabelID, to.LabelID) {
			bad = append(bad, fmt.Sprintf("%s (%s → %s)", t.Name, from.Label, to.Label))
		}
	}
	switch len(bad) {
	case 0:
		return ""
	case 1:
		return "its relation " + bad[0] + " no longer fits the type's labels"
	}
	return fmt.Sprintf("%d of its relations no longer fit their types' labels: %s", len(bad), strings.Join(bad, ", "))
}
