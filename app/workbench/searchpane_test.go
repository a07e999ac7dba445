package workbench

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"gloss/app/library"
	"gloss/storage"
)

// openSearch opens the search pane over open(t)'s two articles and two
// more, its searches run at once on the test's goroutine (Fyne's test
// driver runs fyne.Do where it is called), so every keystroke's results
// are there when the call returns.
func openSearch(t *testing.T) (*Workbench, *storage.Store, *searchPane, map[string]string) {
	t.Helper()
	w, store, _ := open(t)
	ctx := context.Background()
	ids := map[string]string{"council": w.doc.ID}
	for _, d := range [][2]string{
		{"third", "The council met. The council voted. The council rose."},
		{"fourth", "A council of elders."},
	} {
		name := d[0]
		res, err := library.ImportData(ctx, store, name+".txt", []byte(d[1]))
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = res.Document.ID
	}
	w.reloadDocuments()
	shortcut(w, key(ctrlShift, fyne.KeyF))
	p := w.search
	if p == nil {
		t.Fatal("Ctrl+Shift+F opened no search pane")
	}
	p.after = func(_ time.Duration, f func()) *time.Timer {
		f()
		t := time.NewTimer(time.Hour)
		t.Stop()
		return t
	}
	t.Cleanup(func() { p.win.Close() })
	return w, store, p, ids
}

func rowTexts(p *searchPane) []string {
	var out []string
	for i, r := range p.rows {
		if r.match < 0 {
			g := p.groups[r.group]
			out = append(out, g.title+" — "+countGrouped(g.total, "match"))
			continue
		}
		m, _ := p.match(i)
		out = append(out, m.Text)
	}
	return out
}

// Typing a query lists the matches grouped by document, with counts; one
// pane per window, brought back by the key.
func TestSearchPaneGroupsMatches(t *testing.T) {
	w, _, p, ids := openSearch(t)
	if w.win.Canvas() == p.win.Canvas() || p.win.Canvas().Focused() != p.entry {
		t.Fatal("the pane is not its own window with the keyboard in the query")
	}
	test.Type(p.entry, "council")
	if p.summary.Text != "5 matches in 3 documents" {
		t.Errorf("summary %q", p.summary.Text)
	}
	want := []string{
		"“Hi” — 👍🏽 the council approved 280,000 homes. — 1 match", "council",
		"The council met. The council voted. The council rose. — 3 matches", "council", "council", "council",
		"A council of elders. — 1 match", "council",
	}
	if got := rowTexts(p); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("rows\n%q\nwant\n%q", got, want)
	}
	if m, _ := p.match(3); m.DocumentID != ids["third"] || m.Before != "The " || !strings.HasPrefix(m.After, " met.") {
		t.Errorf("row 3 is %+v", m)
	}
	// A phrase, a prefix.
	p.entry.SetText(`"council voted"`)
	if p.summary.Text != "1 match in 1 document" {
		t.Errorf(`"council voted": %q`, p.summary.Text)
	}
	p.entry.SetText("vot*")
	if p.summary.Text != "1 match in 1 document" || p.res.matches[0].Text != "voted" {
		t.Errorf("vot*: %q %+v", p.summary.Text, p.res.matches)
	}
	// Only the first matches are listed; the summary counts all of them.
	p.limit = 2
	p.entry.SetText("council")
	if len(p.res.matches) != 2 || p.summary.Text != "Showing the first 2 of 5 matches in 3 documents" {
		t.Errorf("capped: %d listed, %q", len(p.res.matches), p.summary.Text)
	}
	if g := p.groups[1]; g.n != 1 || g.total != 3 {
		t.Errorf("the cut group lists %d of %d", g.n, g.total)
	}
	p.limit = searchShown
	// Filters: the status of the document.
	p.entry.SetText("council")
	p.status.SetSelected(statusChoice(storage.StatusDone))
	if p.summary.Text != "No match" {
		t.Errorf("nothing is done, yet %q", p.summary.Text)
	}
	p.status.SetSelectedIndex(0)
	// Ctrl+Shift+F again: the same pane.
	shortcut(w, key(ctrlShift, fyne.KeyF))
	if w.search != p {
		t.Error("a second pane was opened")
	}
}

// Substring finds part of a word, with code-point offsets after an emoji;
// a bad regular expression says what is wrong.
func TestSearchPaneSubstringAndBadRegex(t *testing.T) {
	w, store, p, ids := openSearch(t)
	p.mode.SetSelected("Substring")
	p.entry.SetText("ounc")
	if p.summary.Text != "5 matches in 3 documents" {
		t.Fatalf("substring: %q", p.summary.Text)
	}
	m := p.res.matches[0]
	doc, err := store.Document(context.Background(), ids["council"])
	if err != nil {
		t.Fatal(err)
	}
	// “Hi” — 👍🏽 the co|unc|il: 👍🏽 is two code points, so "ounc" is 15..19.
	if m.DocumentID != ids["council"] || m.Start != 15 || m.End != 19 || string([]rune(doc.Text)[m.Start:m.End]) != "ounc" {
		t.Errorf("match %+v", m)
	}
	p.word.SetChecked(true)
	if p.summary.Text != "No match" {
		t.Errorf("whole word: %q (ounc is inside council)", p.summary.Text)
	}
	p.word.SetChecked(false)
	p.mode.SetSelected("Regex")
	p.entry.SetText("(")
	if !strings.HasPrefix(p.summary.Text, "✗ ") || !strings.Contains(p.summary.Text, "missing closing )") || len(p.rows) != 0 {
		t.Errorf("bad regex: %q, %d rows", p.summary.Text, len(p.rows))
	}
	if strings.Contains(p.summary.Text, "(?i)") || strings.Contains(p.summary.Text, "invalid search") {
		t.Errorf("the error is not plain: %q", p.summary.Text)
	}
	p.entry.SetText(`c\w+l`)
	if p.summary.Text != "5 matches in 3 documents" {
		t.Errorf("regex: %q", p.summary.Text)
	}
	_ = w
}

// A click opens the match in the main window, selected; keys walk the
// rows; Enter gives the main window the keyboard, so 1 labels the match.
func TestSearchPaneOpensAndWalks(t *testing.T) {
	w, store, p, ids := openSearch(t)
	test.Type(p.entry, "council")
	p.list.Select(4) // the second match in the third document
	m, _ := p.match(4)
	if w.doc.ID != ids["third"] {
		t.Fatalf("the click opened %q", w.doc.Title)
	}
	if s, e, ok := w.text.Selection(); !ok || s != m.Start || e != m.End || w.text.SelectedText() != "council" {
		t.Fatalf("selection %d–%d %v, want the match %d–%d", s, e, ok, m.Start, m.End)
	}
	// j, k walk the matches (past the headers); n, p the documents.
	p.list.TypedRune('j')
	if p.cur != 5 {
		t.Errorf("j: row %d", p.cur)
	}
	p.list.TypedRune('n')
	if p.cur != 7 || p.rows[p.cur].group != 2 {
		t.Errorf("n: row %d", p.cur)
	}
	p.list.TypedRune('j') // the last: stays
	p.list.TypedRune('p')
	if p.cur != 3 {
		t.Errorf("p: row %d, want the third document's first match", p.cur)
	}
	p.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	if p.cur != 1 {
		t.Errorf("↑: row %d, want the first document's match", p.cur)
	}
	if w.doc.ID != ids["third"] {
		t.Error("walking opened a document")
	}
	p.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if w.doc.ID != ids["council"] || w.win.Canvas().Focused() != w.text {
		t.Fatalf("Enter: %q open, focus %T", w.doc.Title, w.win.Canvas().Focused())
	}
	w.typedRune('1')
	ss := spansOf(t, store, w)
	if len(ss) != 1 || ss[0].Start != 14 || ss[0].End != 21 || ss[0].Label != "Claim" {
		t.Errorf("1 after Enter made %+v", ss)
	}
	// A label key in the pane labels the current match in the main window.
	p.selectRow(5)
	p.list.TypedRune('2')
	if w.doc.ID != ids["third"] {
		t.Fatalf("the label key opened %q", w.doc.Title)
	}
	if ss = spansOf(t, store, w); len(ss) != 1 || ss[0].Text != "council" || ss[0].Start != 40 || ss[0].Label != "Figure" {
		t.Errorf("2 in the pane made %+v", ss)
	}
	// Enter in the query opens the first match when none is current.
	p.entry.SetText("elders")
	p.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if w.doc.ID != ids["fourth"] || w.text.SelectedText() != "elders" {
		t.Errorf("Enter in the query: %q, %q", w.doc.Title, w.text.SelectedText())
	}
}

// Label all: a box per match, those labelled so already off; the checked
// ones only are made, a done document is left alone unless asked, and each
// document's share is one Ctrl+Z in that document.
func TestSearchPaneLabelAll(t *testing.T) {
	w, store, p, ids := openSearch(t)
	ctx := context.Background()
	if _, err := store.Apply(ctx, storage.Edit{Kind: storage.EditSetStatus, DocumentID: ids["fourth"], AnnotatorID: w.me.ID, Status: storage.StatusDone}); err != nil {
		t.Fatal(err)
	}
	// The council article's "council" is a Claim already.
	w.text.SetSelection(14, 21)
	w.typedRune('1')
	spans := func(name string) []storage.Span {
		t.Helper()
		ss, err := store.Spans(ctx, ids[name], w.me.ID)
		if err != nil {
			t.Fatal(err)
		}
		return ss
	}
	test.Type(p.entry, "council")
	p.labelAll.OnTapped()
	pv := p.preview
	if pv == nil || p.win.Canvas().Overlays().Top() == nil {
		t.Fatal("no preview")
	}
	if pv.label().Name != "Claim" || len(pv.inScope) != 5 {
		t.Fatalf("preview: label %q, %d matches", pv.label().Name, len(pv.inScope))
	}
	on := []bool{false, true, true, true, true} // the labelled one is off
	for i, k := range pv.inScope {
		if pv.checked[k] != on[i] {
			t.Errorf("box %d is %v", i, pv.checked[k])
		}
	}
	if !strings.Contains(pv.count.Text, "4 of 5 checked") || !strings.Contains(pv.count.Text, "1 in documents marked done") {
		t.Errorf("count %q", pv.count.Text)
	}
	pv.checked[pv.inScope[2]] = false // "The council voted": not that one
	pv.apply()
	p.dialog.Hide()
	if n := len(spans("third")); n != 2 {
		t.Errorf("third: %d spans, want the 2 checked", n)
	}
	if n := len(spans("fourth")); n != 0 {
		t.Errorf("the done document got %d spans", n)
	}
	if n := len(spans("council")); n != 1 {
		t.Errorf("council: %d spans, want the one it had", n)
	}
	want := "Made 2 spans in 1 document (1 already labelled, 1 in done documents skipped)"
	if !strings.Contains(p.note.Text, want) || !strings.Contains(w.message.Text, want) {
		t.Errorf("report %q / %q, want %q", p.note.Text, w.message.Text, want)
	}
	if d, _ := w.list.summary(ids["third"]); d.SpanCount != 2 {
		t.Errorf("the document list says %d spans for third", d.SpanCount)
	}

	// Again, including done documents: the spans made are off now.
	p.labelAll.OnTapped()
	pv = p.preview
	pv.includeDone.SetChecked(true)
	off := 0
	for _, k := range pv.inScope {
		if !pv.checked[k] {
			off++
		}
	}
	if off != 3 {
		t.Errorf("%d boxes off, want the 3 labelled", off)
	}
	pv.apply()
	p.dialog.Hide()
	if n, m := len(spans("third")), len(spans("fourth")); n != 3 || m != 1 {
		t.Errorf("with done documents: third %d, fourth %d spans", n, m)
	}

	// One Ctrl+Z in a document takes back that document's batch.
	w.openDocument(ids["fourth"])
	shortcut(w, &fyne.ShortcutUndo{})
	if n := len(spans("fourth")); n != 0 {
		t.Errorf("fourth after one undo: %d spans", n)
	}
	w.openDocument(ids["third"])
	shortcut(w, &fyne.ShortcutUndo{})
	if n := len(spans("third")); n != 2 {
		t.Errorf("third after one undo: %d spans, want the first batch's 2", n)
	}
	shortcut(w, &fyne.ShortcutUndo{})
	if n := len(spans("third")); n != 0 {
		t.Errorf("third after two undos: %d spans", n)
	}
	if n := len(spans("council")); n != 1 {
		t.Errorf("undo in third touched council: %d spans", n)
	}

	// Only the document open in the main window.
	p.labelAll.OnTapped()
	pv = p.preview
	pv.scope.SetSelected(pv.scope.Options[1])
	if len(pv.inScope) != 3 {
		t.Fatalf("this document only: %d matches", len(pv.inScope))
	}
	pv.apply()
	p.dialog.Hide()
	if n, m := len(spans("third")), len(spans("fourth")); n != 3 || m != 0 {
		t.Errorf("this document only: third %d, fourth %d spans", n, m)
	}
}

// A query overtaken by the next keystroke never shows: only the latest
// one's results reach the list, whatever order the searches end in.
func TestSearchPaneDropsOvertakenQueries(t *testing.T) {
	_, _, p, _ := openSearch(t)
	var queued []func()
	p.after = func(_ time.Duration, f func()) *time.Timer {
		queued = append(queued, f)
		t := time.NewTimer(time.Hour)
		t.Stop()
		return t
	}
	p.entry.SetText("council")
	p.entry.SetText("elders")
	if len(queued) != 2 {
		t.Fatalf("%d searches queued", len(queued))
	}
	queued[1]()
	queued[0]() // late: dropped
	if p.summary.Text != "1 match in 1 document" || p.res.matches[0].Text != "elders" {
		t.Errorf("after both ended: %q, %+v", p.summary.Text, p.res.matches)
	}
	p.entry.SetText("")
	if p.summary.Text != "" || len(p.rows) != 0 || len(queued) != 2 {
		t.Errorf("an empty query: %q, %d rows, %d searches", p.summary.Text, len(p.rows), len(queued))
	}
}

// From the query, ↓ goes into the results, so that a label key labels the
// match instead of being typed into the query; a character that is no key
// of the pane goes back to the query, typed at its end.
func TestSearchPaneKeyboardIntoResults(t *testing.T) {
	w, store, p, _ := openSearch(t)
	test.Type(p.entry, "council")
	p.win.Canvas().Focus(p.entry)
	p.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if p.cur < 0 || p.win.Canvas().Focused() != fyne.Focusable(p.list) {
		t.Fatalf("↓ in the query: row %d, focus %T", p.cur, p.win.Canvas().Focused())
	}
	p.list.TypedRune('1')
	if p.entry.Text != "council" {
		t.Errorf("the label key was typed into the query: %q", p.entry.Text)
	}
	if ss := spansOf(t, store, w); len(ss) != 1 || ss[0].Text != "council" || ss[0].Label != "Claim" {
		t.Errorf("1 after ↓ made %+v", ss)
	}
	p.list.TypedRune(' ')
	p.list.TypedRune('s')
	if p.entry.Text != "council s" || p.win.Canvas().Focused() != fyne.Focusable(p.entry) {
		t.Errorf("typing in the results: query %q, focus %T", p.entry.Text, p.win.Canvas().Focused())
	}
}
