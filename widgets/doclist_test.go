package widgets

import (
	"fmt"
	"strconv"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

var docStatuses = []string{"todo", "in_progress", "done", "reviewed"}

func sampleDocs(n int) []DocItem {
	titles := []string{
		"Council minutes, March",
		"Heat pump subsidy: a very long title that will not fit in the panel at all",
		"Interview — mayor",
		"",
	}
	out := make([]DocItem, n)
	for i := range out {
		out[i] = DocItem{
			ID:     "d" + strconv.Itoa(i),
			Title:  fmt.Sprintf("%s #%d", titles[i%len(titles)], i),
			Status: docStatuses[i%len(docStatuses)],
			Spans:  i % 7,
		}
	}
	return out
}

func docRows(d *DocList) []*docRow { return listRows[DocItem](d) }

func docRowFor(t *testing.T, d *DocList, id string) (*docRow, *docRowRenderer) {
	t.Helper()
	for _, r := range docRows(d) {
		if r.item.ID == id {
			return r, test.WidgetRenderer(r).(*docRowRenderer)
		}
	}
	t.Fatalf("row %s is not visible", id)
	return nil, nil
}

func TestDocList100k(t *testing.T) {
	test.NewTempApp(t)
	var got []string
	d := NewDocList(func(id string) { got = append(got, id) })
	w := panelWindow(t, d, fyne.NewSize(280, 600))
	d.SetItems(sampleDocs(100_000))
	panelShot(t, w, "doclist", false)
	panelShot(t, w, "doclist-dark", true)
	if d.Len() != 100_000 {
		t.Fatalf("Len %d", d.Len())
	}
	rows := docRows(d)
	if len(rows) == 0 || len(rows) > 20 {
		t.Fatalf("%d rows bound for 100,000 documents", len(rows))
	}

	// Click a row.
	r, _ := docRowFor(t, d, "d3")
	tapListRow(t, d, r)
	if len(got) != 1 || got[0] != "d3" || d.Selected() != "d3" {
		t.Fatalf("tap: %v, selected %q", got, d.Selected())
	}

	// Select far down: no callback, scrolled there, still few rows.
	d.Select("d99990")
	if len(got) != 1 || d.Selected() != "d99990" {
		t.Fatalf("Select: %v, %q", got, d.Selected())
	}
	docRowFor(t, d, "d99990")
	if n := len(docRows(d)); n > 20 {
		t.Fatalf("%d rows bound after scrolling", n)
	}
	panelShot(t, w, "doclist-end", false)

	// Update a visible row: its renderer shows the new count and status.
	d.Update(DocItem{ID: "d99990", Title: "Renamed", Status: "reviewed", Spans: 1234})
	_, rr := docRowFor(t, d, "d99990")
	if rr.spans.Text != "1234 spans" || rr.status.Text != "Reviewed" || rr.fullTitle != "Renamed" {
		t.Fatalf("after Update: %q %q %q", rr.spans.Text, rr.status.Text, rr.fullTitle)
	}
	d.Update(DocItem{ID: "d99990", Title: "Renamed", Status: "done", Spans: 1})
	if rr.spans.Text != "1 span" || rr.status.Text != "Done" {
		t.Fatalf("after 2nd Update: %q %q", rr.spans.Text, rr.status.Text)
	}
	// Update an off-screen row: it shows the new values once scrolled to.
	d.Update(DocItem{ID: "d7", Title: "Seven", Status: "in_progress", Spans: 77})
	d.Select("d7")
	_, rr = docRowFor(t, d, "d7")
	if rr.spans.Text != "77 spans" || rr.status.Text != "In progress" || rr.fullTitle != "Seven" {
		t.Fatalf("off-screen Update: %q %q %q", rr.spans.Text, rr.status.Text, rr.fullTitle)
	}
	d.Update(DocItem{ID: "nope", Spans: 3}) // ignored
	if len(got) != 1 {
		t.Fatalf("Update called onSelect: %v", got)
	}
	panelShot(t, w, "doclist-updated", false)
}

func TestDocListSetItemsKeepsSelection(t *testing.T) {
	test.NewTempApp(t)
	calls := 0
	d := NewDocList(func(string) { calls++ })
	panelWindow(t, d, fyne.NewSize(280, 400))
	docs := sampleDocs(100)
	d.SetItems(docs)
	d.Select("d50")
	d.SetItems(docs[40:])
	if d.Selected() != "d50" || d.rows.sel.idx != 10 {
		t.Fatalf("selection %q at %d", d.Selected(), d.rows.sel.idx)
	}
	d.SetItems(docs[:10])
	if d.Selected() != "" || d.rows.sel.idx != -1 {
		t.Fatalf("selection of a removed document kept: %q", d.Selected())
	}
	d.Select("")
	if calls != 0 {
		t.Fatalf("onSelect called %d times", calls)
	}
}

func TestDocListRows(t *testing.T) {
	test.NewTempApp(t)
	d := NewDocList(nil)
	w := panelWindow(t, d, fyne.NewSize(220, 300))
	docs := sampleDocs(4)
	docs = append(docs, DocItem{ID: "odd", Title: "Odd status", Status: "archived", Spans: 2})
	d.SetItems(docs)
	panelShot(t, w, "doclist-narrow", false)
	for _, r := range docRows(d) {
		rr := test.WidgetRenderer(r).(*docRowRenderer)
		if w := fyne.MeasureText(rr.title.Text, rr.title.TextSize, rr.title.TextStyle).Width; w > r.Size().Width {
			t.Errorf("%s: title %q wider than the row", r.item.ID, rr.title.Text)
		}
		if want := StatusText(r.item.Status); rr.status.Text != want {
			t.Errorf("%s: status %q, want %q", r.item.ID, rr.status.Text, want)
		}
	}
	_, rr := docRowFor(t, d, "d1")
	if rr.title.Text == docs[1].Title || rr.title.Text[len(rr.title.Text)-3:] != "…" {
		t.Errorf("long title not cut: %q", rr.title.Text)
	}
	_, rr = docRowFor(t, d, "odd")
	if rr.status.Text != "archived" {
		t.Errorf("unknown status shown as %q", rr.status.Text)
	}
	// Every row has the same minimum size, whatever it shows.
	a, b := test.WidgetRenderer(docRows(d)[0]).MinSize(), test.WidgetRenderer(docRows(d)[1]).MinSize()
	if empty := newPanelRow(newDocRowRenderer).MinSize(); a != b || empty != a {
		t.Errorf("row min sizes differ: %v %v %v", a, b, empty)
	}
}

func TestStatusText(t *testing.T) {
	for s, want := range map[string]string{"todo": "To do", "in_progress": "In progress", "done": "Done", "reviewed": "Reviewed", "x": "x"} {
		if got := StatusText(s); got != want {
			t.Errorf("StatusText(%q) = %q", s, got)
		}
	}
}

// benchDocList returns an empty list in a 280×800 window.
func benchDocList(b *testing.B) *DocList {
	test.NewTempApp(b)
	d := NewDocList(nil)
	w := test.NewTempWindow(b, d)
	w.Resize(fyne.NewSize(280, 800))
	return d
}

func BenchmarkDocListSetItems100k(b *testing.B) {
	d := benchDocList(b)
	docs := sampleDocs(100_000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.SetItems(docs)
	}
}

// The same, then a Select: what showing a project and highlighting its current
// document costs, the ID index included.
func BenchmarkDocListSetItemsSelect100k(b *testing.B) {
	d := benchDocList(b)
	docs := sampleDocs(100_000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.SetItems(docs)
		d.Select("d50000")
	}
}

func BenchmarkDocListUpdate(b *testing.B) {
	d := benchDocList(b)
	d.SetItems(sampleDocs(100_000))
	d.Select("d5")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.Update(DocItem{ID: "d5", Title: "x", Status: "done", Spans: i})
	}
}

// millionDocs is a DocSource of a million rows made on demand, counting
// the rows asked for.
type millionDocs struct {
	asked  int
	status map[int]string
}

func (m *millionDocs) Len() int { return 1_000_000 }

func (m *millionDocs) At(i int) DocItem {
	m.asked++
	st := "todo"
	if s, ok := m.status[i]; ok {
		st = s
	}
	return DocItem{ID: "d" + strconv.Itoa(i), Title: fmt.Sprintf("Report %d", i), Status: st}
}

func (m *millionDocs) Find(id string) int {
	i, err := strconv.Atoi(id[1:])
	if err != nil || i < 0 || i >= m.Len() {
		return -1
	}
	return i
}

// TestDocListSource: a million rows from a source cost the rows on
// screen; Select scrolls to a row far down and Update redraws it from the
// source.
func TestDocListSource(t *testing.T) {
	src := &millionDocs{status: map[int]string{}}
	var picked string
	d := NewDocList(func(id string) { picked = id })
	w := test.NewWindow(d)
	defer w.Close()
	w.Resize(fyne.NewSize(260, 400))
	d.SetSource(src)
	if d.Len() != 1_000_000 {
		t.Fatalf("Len %d", d.Len())
	}
	if src.asked == 0 || src.asked > 40 {
		t.Errorf("showing the list asked for %d rows, want only the visible ones", src.asked)
	}
	src.asked = 0
	d.Select("d765432")
	if d.Selected() != "d765432" {
		t.Fatalf("selected %q", d.Selected())
	}
	if _, r := docRowFor(t, d, "d765432"); r == nil {
		t.Fatal("the selected row is not on screen")
	}
	src.status[765432] = "done"
	d.Update(DocItem{ID: "d765432"})
	row, _ := docRowFor(t, d, "d765432")
	if row.item.Status != "done" {
		t.Errorf("after Update the row shows %q", row.item.Status)
	}
	if src.asked > 80 {
		t.Errorf("scrolling to a row and updating it asked for %d rows", src.asked)
	}
	d.rows.listSelected(765433)
	if picked != "d765433" {
		t.Errorf("a click on a row gave %q", picked)
	}
}
