package workbench

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gloss/storage"
)

// relWindow is a window with a Claim and a Figure span and two relation
// types: supports (Figure → Claim, key s) and "same as" (any pair, no key).
func relWindow(t *testing.T) (w *Workbench, store *storage.Store, claim, figure storage.Span, sup, same storage.RelationType) {
	t.Helper()
	w, store, _ = open(t)
	ctx := context.Background()
	var err error
	ids := map[string]string{}
	for _, l := range w.labels {
		ids[l.Name] = l.ID
	}
	if sup, err = store.CreateRelationType(ctx, storage.RelationType{SetID: w.set.ID, Name: "supports", Color: "#0072B2", Key: "s",
		Directed: true, Args: []storage.LabelPair{{From: ids["Figure"], To: ids["Claim"]}}}); err != nil {
		t.Fatal(err)
	}
	if same, err = store.CreateRelationType(ctx, storage.RelationType{SetID: w.set.ID, Name: "same as", Color: "#999999"}); err != nil {
		t.Fatal(err)
	}
	if err := w.loadRelationSchema(); err != nil {
		t.Fatal(err)
	}
	// “Hi” is 0..4 (Claim); 280,000 is 31..38 (Figure).
	w.text.SetSelection(0, 4)
	test.Type(w.text, "1")
	w.text.SelectSpan("")
	w.text.SetSelection(31, 38)
	test.Type(w.text, "2")
	ss := spansOf(t, store, w)
	if len(ss) != 2 {
		t.Fatalf("spans: %+v", ss)
	}
	return w, store, ss[0], ss[1], sup, same
}

func relationsOf(t *testing.T, store *storage.Store, w *Workbench) []storage.Relation {
	t.Helper()
	rs, err := store.Relations(context.Background(), w.doc.ID, w.me.ID)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestRelationByKeyboard(t *testing.T) {
	w, store, claim, figure, sup, _ := relWindow(t)
	// The Figure is selected (just made). R, then Tab to the Claim (the
	// previous span: Shift+Tab), Enter: two types allow Figure → Claim
	// (supports and same as), so the popup asks; s picks supports.
	w.text.SelectSpan(figure.ID)
	test.Type(w.text, "r")
	if w.pick == nil || !strings.Contains(w.position.Text, "Linking") {
		t.Fatalf("R did not start a relation: %q", w.position.Text)
	}
	w.text.SelectSpan(claim.ID) // what Tab does
	w.text.OnActivate(claim.ID) // Enter
	if w.typePopup == nil {
		t.Fatal("no type popup for two allowed types")
	}
	w.typedRune('s')
	rs := relationsOf(t, store, w)
	if len(rs) != 1 || rs[0].TypeID != sup.ID || rs[0].From != figure.ID || rs[0].To != claim.ID {
		t.Fatalf("relations: %+v", rs)
	}
	if w.text.SelectedRelation() != rs[0].ID || !strings.Contains(w.message.Text, "supports") {
		t.Errorf("the new relation is not selected (%q) or not announced: %q", w.text.SelectedRelation(), w.message.Text)
	}
	// The span panel lists it on both ends.
	w.text.SelectRelation("")
	w.text.SelectSpan(claim.ID)
	w.selectionChanged()
	if !w.relPanel.box.Visible() || !strings.Contains(w.relPanel.title.Text, "(1)") {
		t.Errorf("span panel: visible %v, title %q", w.relPanel.box.Visible(), w.relPanel.title.Text)
	}
	// Delete on the selected relation removes it; undo brings it back with its UUID.
	w.text.SelectRelation(rs[0].ID)
	w.deleteSelected()
	if got := relationsOf(t, store, w); len(got) != 0 {
		t.Fatalf("after Delete: %+v", got)
	}
	if len(spansOf(t, store, w)) != 2 {
		t.Error("Delete on a relation deleted a span")
	}
	shortcut(w, &fyne.ShortcutUndo{})
	if got := relationsOf(t, store, w); len(got) != 1 || got[0].ID != rs[0].ID {
		t.Fatalf("after undo: %+v", got)
	}
	// Deleting the Claim takes the relation; undo brings both back.
	w.text.SelectRelation("")
	w.text.SelectSpan(claim.ID)
	w.deleteSelected()
	if got := relationsOf(t, store, w); len(got) != 0 || len(w.rels) != 0 {
		t.Fatalf("after deleting an end: %+v (window %d)", got, len(w.rels))
	}
	shortcut(w, &fyne.ShortcutUndo{})
	if got := relationsOf(t, store, w); len(got) != 1 || got[0].ID != rs[0].ID || len(w.rels) != 1 {
		t.Fatalf("undo of the span's deletion: %+v", got)
	}
}

func TestRelationRefusalsAndEscape(t *testing.T) {
	w, store, claim, figure, _, same := relWindow(t)
	// Escape cancels.
	w.text.SelectSpan(claim.ID)
	test.Type(w.text, "r")
	w.win.Canvas().Unfocus()
	w.win.Canvas().(interface{ OnTypedKey() func(*fyne.KeyEvent) }).OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if w.pick != nil || !strings.Contains(w.message.Text, "No relation") {
		t.Errorf("Escape: pick %v, message %q", w.pick, w.message.Text)
	}
	// A relation to itself is refused with a message, the pick goes on.
	w.text.SelectSpan(claim.ID)
	test.Type(w.text, "r")
	w.text.OnSpanClicked(claim.ID)
	if w.pick == nil || !strings.Contains(w.message.Text, "itself") {
		t.Errorf("self link: pick %v, message %q", w.pick, w.message.Text)
	}
	// Claim → Figure: only "same as" allows it (supports is Figure → Claim),
	// so it is taken without a popup.
	w.text.OnSpanClicked(figure.ID)
	rs := relationsOf(t, store, w)
	if w.typePopup != nil || len(rs) != 1 || rs[0].TypeID != same.ID {
		t.Fatalf("one allowed type: popup %v, relations %+v", w.typePopup != nil, rs)
	}
	// The supports key on a selected relation retypes it — refused here
	// (Claim → Figure is not a supports), saying what is allowed.
	w.text.SelectRelation(rs[0].ID)
	w.typedRune('s')
	if got := relationsOf(t, store, w); got[0].TypeID != same.ID || !strings.Contains(w.message.Text, "supports goes Figure → Claim") {
		t.Errorf("retype refused: %+v, %q", got, w.message.Text)
	}
	// A colleague's layer is read-only: R says so.
	w.layer = layer{kind: layerEveryone}
	w.text.SelectSpan(claim.ID)
	w.typedRune('r')
	if w.pick != nil || !strings.Contains(w.message.Text, "read-only") {
		t.Errorf("R on everyone's layer: %v %q", w.pick, w.message.Text)
	}
}

func TestAttributesInThePanelAndByKey(t *testing.T) {
	w, store, claim, figure, _, _ := relWindow(t)
	ctx := context.Background()
	cert, err := store.CreateAttribute(ctx, storage.Attribute{SetID: w.set.ID, Name: "Certainty", Kind: storage.AttrChoice,
		Choices: []string{"Low", "High"}, Targets: []string{claim.LabelID}, Remember: true})
	if err != nil {
		t.Fatal(err)
	}
	disp, err := store.CreateAttribute(ctx, storage.Attribute{SetID: w.set.ID, Name: "Disputed", Kind: storage.AttrFlag})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.loadRelationSchema(); err != nil {
		t.Fatal(err)
	}
	// A, 2: the Claim's second key is Certainty High (1 Low, 2 High, 3 Disputed).
	w.text.SelectSpan(claim.ID)
	w.selectionChanged()
	test.Type(w.text, "a")
	if !strings.Contains(w.position.Text, "2 Certainty High") || !strings.Contains(w.position.Text, "3 Disputed") {
		t.Errorf("A lists %q", w.position.Text)
	}
	test.Type(w.text, "2")
	vals, _ := store.AttributeValues(ctx, w.doc.ID, w.me.ID)
	if len(vals[claim.ID]) != 1 || vals[claim.ID][0].Value != "High" {
		t.Fatalf("after A 2: %+v", vals)
	}
	if len(spansOf(t, store, w)) != 2 || spansOf(t, store, w)[0].LabelID != claim.LabelID {
		t.Error("the digit after A relabelled the span")
	}
	// The tag says it.
	if tag := w.spanTag(spansOf(t, store, w)[0]); tag != "Claim · High" {
		t.Errorf("tag %q", tag)
	}
	// A, 3 toggles Disputed on; the Figure has only Disputed (1).
	test.Type(w.text, "a")
	test.Type(w.text, "3")
	w.text.SelectSpan(figure.ID)
	w.selectionChanged()
	test.Type(w.text, "a")
	test.Type(w.text, "1")
	vals, _ = store.AttributeValues(ctx, w.doc.ID, w.me.ID)
	if len(vals[claim.ID]) != 2 || len(vals[figure.ID]) != 1 || vals[figure.ID][0].AttributeID != disp.ID {
		t.Fatalf("flags: %+v", vals)
	}
	// Undo takes the last value back.
	shortcut(w, &fyne.ShortcutUndo{})
	vals, _ = store.AttributeValues(ctx, w.doc.ID, w.me.ID)
	if len(vals[figure.ID]) != 0 {
		t.Errorf("undo of the flag: %+v", vals)
	}
	// Certainty remembers: a new Claim gets High.
	w.text.SelectSpan("")
	w.text.SetSelection(14, 21) // "council"
	test.Type(w.text, "1")
	ss := spansOf(t, store, w)
	vals, _ = store.AttributeValues(ctx, w.doc.ID, w.me.ID)
	var fresh storage.Span
	for _, s := range ss {
		if s.Text == "council" {
			fresh = s
		}
	}
	if fresh.ID == "" || len(vals[fresh.ID]) != 1 || vals[fresh.ID][0].AttributeID != cert.ID || vals[fresh.ID][0].Value != "High" {
		t.Errorf("remembered value on the new Claim: %+v %+v", fresh, vals[fresh.ID])
	}
}

// objectsIn lists every canvas object under o, AppTabs' hidden tabs
// included.
func objectsIn(o fyne.CanvasObject) []fyne.CanvasObject {
	out := []fyne.CanvasObject{o}
	switch c := o.(type) {
	case *fyne.Container:
		for _, k := range c.Objects {
			out = append(out, objectsIn(k)...)
		}
	case *container.AppTabs:
		for _, it := range c.Items {
			out = append(out, objectsIn(it.Content)...)
		}
	case *container.Scroll:
		out = append(out, objectsIn(c.Content)...)
	case fyne.Widget:
		r := test.WidgetRenderer(c)
		for _, k := range r.Objects() {
			out = append(out, objectsIn(k)...)
		}
	}
	return out
}

func buttonNamed(t *testing.T, w *Workbench, text string) *widget.Button {
	t.Helper()
	top := w.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog open")
	}
	for _, o := range objectsIn(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	t.Fatalf("no button %q in the dialog", text)
	return nil
}

// TestLabelsDialogEditsRelationTypesAndAttributes: the Labels dialog's
// tabs add a relation type and an attribute, saved at once.
func TestLabelsDialogEditsRelationTypesAndAttributes(t *testing.T) {
	w, store, _ := open(t)
	ctx := context.Background()
	w.showLabelsDialog()
	test.Tap(buttonNamed(t, w, "Add relation type"))
	ts, _ := store.RelationTypes(ctx, w.set.ID)
	if len(ts) != 1 || len(w.relTypes) != 1 || !ts[0].Directed {
		t.Fatalf("after Add relation type: %+v (window %d)", ts, len(w.relTypes))
	}
	test.Tap(buttonNamed(t, w, "Add attribute"))
	as, _ := store.Attributes(ctx, w.set.ID)
	if len(as) != 1 || as[0].Kind != storage.AttrChoice || len(as[0].Choices) != 3 || len(w.attrs) != 1 {
		t.Fatalf("after Add attribute: %+v", as)
	}
	// Deleting the unused type needs no question.
	var del *widget.Button
	for _, o := range objectsIn(w.win.Canvas().Overlays().Top()) {
		if b, ok := o.(*widget.Button); ok && b.Icon == theme.DeleteIcon() && b.Text == "" {
			del = b // the labels tab's come first; the type's is the last but the attribute's
		}
	}
	if del == nil {
		t.Fatal("no delete buttons")
	}
	test.Tap(del) // the attribute's (the last tab's)
	if as, _ := store.Attributes(ctx, w.set.ID); len(as) != 0 {
		t.Errorf("after deleting the attribute: %+v", as)
	}
}

// TestAttributeTypedAndLeftIsSaved: a number typed in the span panel and
// left (the focus moves on, no Enter) is saved, not lost.
func TestAttributeTypedAndLeftIsSaved(t *testing.T) {
	w, store, claim, _, _, _ := relWindow(t)
	ctx := context.Background()
	lo := 0.0
	score, err := store.CreateAttribute(ctx, storage.Attribute{SetID: w.set.ID, Name: "Score", Kind: storage.AttrNumber, Min: &lo,
		Targets: []string{claim.LabelID}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.loadRelationSchema(); err != nil {
		t.Fatal(err)
	}
	w.text.SelectSpan(claim.ID)
	w.selectionChanged()
	var entries []*savingEntry
	for _, o := range objectsIn(w.relPanel.attrs) {
		if e, ok := o.(*savingEntry); ok {
			entries = append(entries, e)
		}
	}
	if len(entries) != 1 {
		t.Fatalf("%d entries in the panel, want the Score's", len(entries))
	}
	test.Type(entries[0], "2,5")
	entries[0].FocusLost()
	vals, _ := store.AttributeValues(ctx, w.doc.ID, w.me.ID)
	if len(vals[claim.ID]) != 1 || vals[claim.ID][0].AttributeID != score.ID || vals[claim.ID][0].Value != "2.5" {
		t.Errorf("after typing 2,5 and leaving: %+v", vals[claim.ID])
	}
}

// TestRelabelSaysWhichRelationsNoLongerFit: relabelling a relation's end
// keeps the relation and says it no longer fits its type.
func TestRelabelSaysWhichRelationsNoLongerFit(t *testing.T) {
	w, store, claim, figure, sup, _ := relWindow(t)
	if _, err := store.Apply(context.Background(), storage.Edit{Kind: storage.EditCreateRelation, DocumentID: w.doc.ID,
		AnnotatorID: w.me.ID, TypeID: sup.ID, From: figure.ID, To: claim.ID}); err != nil {
		t.Fatal(err)
	}
	w.reloadSpans()
	w.text.SelectSpan(figure.ID)
	test.Type(w.text, "3") // the Figure becomes a Proposal
	if !strings.Contains(w.message.Text, "supports (Proposal → Claim) no longer fits") {
		t.Errorf("message %q", w.message.Text)
	}
	if len(relationsOf(t, store, w)) != 1 {
		t.Error("the relation went with the relabel")
	}
}
