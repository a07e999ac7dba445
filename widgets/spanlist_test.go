package widgets

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

func sampleSpans(n int) []SpanItem {
	labels := []string{"Claim", "Figure", "Proposal", "Evidence"}
	texts := []string{
		"The council will cut emissions by 40% before 2030",
		"40%",
		"Heat pumps\nin every new building,\n\nand in the old ones by 2035",
		"",
		"short",
	}
	out := make([]SpanItem, n)
	for i := range out {
		out[i] = SpanItem{
			ID:    fmt.Sprintf("s%05d", i),
			Label: labels[i%len(labels)],
			Text:  texts[i%len(texts)],
			Start: i * 37,
			End:   i*37 + 12 + i%50,
			Color: LabelColor(i % len(labels)),
		}
		if i%3 == 1 {
			out[i].Note = "check the source"
		}
	}
	return out
}

// panelObjects returns o and every visible object below it, depth first,
// without laying anything out (test.LaidOutObjects re-lays lists out, which
// rebinds their rows).
func panelObjects(o fyne.CanvasObject) []fyne.CanvasObject {
	if o == nil || !o.Visible() {
		return nil
	}
	out := []fyne.CanvasObject{o}
	var kids []fyne.CanvasObject
	switch x := o.(type) {
	case *fyne.Container:
		kids = x.Objects
	case fyne.Widget:
		kids = test.WidgetRenderer(x).Objects()
	}
	for _, k := range kids {
		out = append(out, panelObjects(k)...)
	}
	return out
}

// listRows returns the visible rows below root that show an item, in order
// of position.
func listRows[T any](root fyne.CanvasObject) []*panelRow[T] {
	var rows []*panelRow[T]
	for _, o := range panelObjects(root) {
		if r, ok := o.(*panelRow[T]); ok && r.item != nil {
			rows = append(rows, r)
		}
	}
	return rows
}

func spanRows(l *SpanList) []*spanRow { return listRows[SpanItem](l) }

// tapListRow taps the list item (the widget.List row wrapper, which
// handles taps) holding row, as a click on it would.
func tapListRow(t *testing.T, root fyne.CanvasObject, row fyne.CanvasObject) {
	t.Helper()
	for _, o := range panelObjects(root) {
		tap, ok := o.(fyne.Tappable)
		wid, isWidget := o.(fyne.Widget)
		if !ok || !isWidget || o == row {
			continue
		}
		for _, child := range test.WidgetRenderer(wid).Objects() {
			if child == row {
				test.Tap(tap)
				return
			}
		}
	}
	t.Fatal("no tappable list item holds the row")
}

// tapSpanRow taps the row showing id, which must be visible.
func tapSpanRow(t *testing.T, l *SpanList, id string) {
	t.Helper()
	for _, r := range spanRows(l) {
		if r.item.ID == id {
			tapListRow(t, l, r)
			return
		}
	}
	t.Fatalf("row %s is not visible", id)
}

func TestSpanListEmpty(t *testing.T) {
	test.NewTempApp(t)
	l := NewSpanList(nil)
	w := panelWindow(t, l, fyne.NewSize(300, 200))
	panelShot(t, w, "spanlist-empty", false)
	panelShot(t, w, "spanlist-empty-dark", true)
	if l.Len() != 0 || !l.emptyBx.Visible() || l.empty.String() != SpanListEmptyText {
		t.Fatalf("empty state not shown")
	}
	if !strings.Contains(SpanListEmptyText, "No spans yet") {
		t.Fatal(SpanListEmptyText)
	}
	l.SetItems(sampleSpans(3))
	if l.Len() != 3 || l.emptyBx.Visible() {
		t.Fatalf("empty state shown with %d items", l.Len())
	}
	l.SetItems(nil)
	if !l.emptyBx.Visible() {
		t.Fatal("empty state not back after SetItems(nil)")
	}
}

func TestSpanListTapSelects(t *testing.T) {
	test.NewTempApp(t)
	var got []string
	l := NewSpanList(func(id string) { got = append(got, id) })
	l.SetItems(sampleSpans(20))
	w := panelWindow(t, l, fyne.NewSize(320, 420))
	panelShot(t, w, "spanlist", false)

	rows := spanRows(l)
	if len(rows) < 5 || len(rows) > 12 {
		t.Fatalf("%d rows laid out in 420 units", len(rows))
	}
	tapSpanRow(t, l, "s00002")
	if len(got) != 1 || got[0] != "s00002" || l.Selected() != "s00002" {
		t.Fatalf("tap: onSelect got %v, Selected %q", got, l.Selected())
	}

	// Select highlights without a callback, and scrolls.
	l.Select("s00019")
	if len(got) != 1 || l.Selected() != "s00019" {
		t.Fatalf("Select called onSelect: %v", got)
	}
	found := false
	for _, r := range spanRows(l) {
		found = found || r.item.ID == "s00019"
	}
	if !found {
		t.Fatal("Select did not scroll to the row")
	}
	panelShot(t, w, "spanlist-selected", false)
	panelShot(t, w, "spanlist-selected-dark", true)
	tapSpanRow(t, l, "s00018")
	if len(got) != 2 || got[1] != "s00018" {
		t.Fatalf("second tap: %v", got)
	}
	l.Select("nope")
	if l.Selected() != "" {
		t.Fatalf("unknown ID left a selection: %q", l.Selected())
	}
	// The list's own selection was cleared too: tapping the row again fires.
	tapSpanRow(t, l, "s00018")
	if len(got) != 3 || got[2] != "s00018" {
		t.Fatalf("tap after clearing: %v", got)
	}
}

func TestSpanListSetItemsKeepsSelection(t *testing.T) {
	test.NewTempApp(t)
	calls := 0
	l := NewSpanList(func(string) { calls++ })
	items := sampleSpans(50)
	l.SetItems(items)
	panelWindow(t, l, fyne.NewSize(320, 420))
	l.Select("s00010")

	// s00010 moves from index 10 to index 5.
	l.SetItems(append(items[:3:3], items[8:]...))
	if l.Selected() != "s00010" || l.rows.sel.idx != 5 {
		t.Fatalf("after SetItems: selected %q at %d", l.Selected(), l.rows.sel.idx)
	}
	// and disappears.
	l.SetItems(items[:5])
	if l.Selected() != "" || l.rows.sel.idx != -1 {
		t.Fatalf("selection of a removed span kept: %q", l.Selected())
	}
	if calls != 0 {
		t.Fatalf("SetItems/Select called onSelect %d times", calls)
	}
	// The list keeps the slice it is given (no copy of 10,000 spans at
	// every label key): the caller makes a new one each time.
	if &l.Items()[0] != &items[0] {
		t.Fatal("SetItems copied the items")
	}
}

// TestSpanListInsertItem: a span inserted before, at and after the
// highlighted one keeps the highlight on it, and the rows show the new order.
func TestSpanListInsertItem(t *testing.T) {
	test.NewTempApp(t)
	calls := 0
	l := NewSpanList(func(string) { calls++ })
	items := sampleSpans(20)
	l.SetItems(slices.Clone(items[1:19])) // s00001 … s00018
	panelWindow(t, l, fyne.NewSize(320, 420))
	l.Select("s00005")
	l.InsertItem(0, items[0])
	l.InsertItem(l.Len(), items[19])
	l.InsertItem(3, SpanItem{ID: "new", Label: "Claim", Text: "inserted", Start: 1, End: 2})
	var ids []string
	for _, it := range l.Items() {
		ids = append(ids, it.ID)
	}
	if want := "s00000 s00001 s00002 new s00003"; strings.Join(ids[:5], " ") != want || ids[len(ids)-1] != "s00019" || len(ids) != 21 {
		t.Fatalf("items %v", ids)
	}
	if l.Selected() != "s00005" || l.rows.sel.idx != 6 || calls != 0 {
		t.Fatalf("selected %q at %d, %d callbacks", l.Selected(), l.rows.sel.idx, calls)
	}
	for _, r := range spanRows(l) {
		if r.item.ID != ids[r.idx] {
			t.Errorf("row %d shows %s, want %s", r.idx, r.item.ID, ids[r.idx])
		}
	}
	l.Select("new")
	if l.rows.sel.idx != 3 {
		t.Fatalf("new span at %d", l.rows.sel.idx)
	}
	e := NewSpanList(nil)
	e.InsertItem(5, items[0]) // past the end of an empty list: appended
	if e.Len() != 1 || e.emptyBx.Visible() {
		t.Fatalf("empty list after insert: %d items, empty text shown %v", e.Len(), e.emptyBx.Visible())
	}
}

func TestSpanListRowText(t *testing.T) {
	test.NewTempApp(t)
	l := NewSpanList(nil)
	items := sampleSpans(5)
	items[0].Text = strings.Repeat("a long covered text ", 40)
	l.SetItems(items)
	w := panelWindow(t, l, fyne.NewSize(260, 300))
	panelShot(t, w, "spanlist-narrow", false)
	for _, r := range spanRows(l) {
		rr := test.WidgetRenderer(r).(*spanRowRenderer)
		if strings.ContainsAny(rr.text.Text, "\n\r") {
			t.Errorf("row %s text has a line break: %q", r.item.ID, rr.text.Text)
		}
		if w := fyne.MeasureText(rr.text.Text, rr.text.TextSize, rr.text.TextStyle).Width; w > r.Size().Width {
			t.Errorf("row %s text %q wider (%v) than the row (%v)", r.item.ID, rr.text.Text, w, r.Size().Width)
		}
		want := fmt.Sprintf("%d–%d", r.item.Start, r.item.End)
		if rr.pos.Text != want {
			t.Errorf("row %s position %q, want %q", r.item.ID, rr.pos.Text, want)
		}
		switch r.item.ID {
		case "s00000":
			if !strings.HasSuffix(rr.text.Text, "…") {
				t.Errorf("long text not cut: %q", rr.text.Text)
			}
		case "s00002":
			if !strings.Contains(rr.text.Text, "⏎") {
				t.Errorf("line break not shown: %q", rr.text.Text)
			}
		}
	}
}

func TestSpanList10k(t *testing.T) {
	test.NewTempApp(t)
	l := NewSpanList(nil)
	w := panelWindow(t, l, fyne.NewSize(320, 600))
	l.SetItems(sampleSpans(10000))
	l.Select("s09999")
	panelShot(t, w, "spanlist-10k-end", false)
	rows := spanRows(l)
	if len(rows) > 20 {
		t.Fatalf("%d rows bound for 10,000 spans", len(rows))
	}
	if rows[len(rows)-1].item.ID != "s09999" {
		t.Fatalf("last visible row %s", rows[len(rows)-1].item.ID)
	}
}

func BenchmarkSpanListSetItems10k(b *testing.B) {
	test.NewTempApp(b)
	l := NewSpanList(nil)
	w := test.NewTempWindow(b, l)
	w.Resize(fyne.NewSize(320, 800))
	spans := sampleSpans(10_000)
	l.SetItems(spans)
	l.Select("s05000")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l.SetItems(spans)
	}
}

// In a list of several annotators' spans each row says whose it is.
func TestSpanListSaysWhose(t *testing.T) {
	l := NewSpanList(nil)
	w := test.NewWindow(l)
	defer w.Close()
	w.Resize(fyne.NewSize(300, 200))
	l.SetItems([]SpanItem{{ID: "a", Label: "Claim", Text: "three hours", Start: 3, End: 14, Who: "Ann"}})
	found := false
	for _, o := range test.LaidOutObjects(l) {
		if tx, ok := o.(*canvas.Text); ok && tx.Text == "Ann · 3–14" {
			found = true
		}
	}
	if !found {
		t.Error("the row does not name the annotator")
	}
}
