package workbench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"gloss/app/formats"
	"gloss/app/library"
	"gloss/storage"
)

// firstOf returns the first object of type T in o's tree.
func firstOf[T fyne.CanvasObject](t *testing.T, o fyne.CanvasObject) (T, bool) {
	var all []T
	collect(t, o, &all)
	if len(all) == 0 {
		var zero T
		return zero, false
	}
	return all[0], true
}

// overlays counts the dialogs open on w's window.
func overlays(w *Workbench) int { return len(w.win.Canvas().Overlays().List()) }

// First start: the name prompt is answered, and the Layer chooser then
// offers the layers (it used to show "(Select one)" until a restart).
func TestFirstStartFillsTheLayerChooser(t *testing.T) {
	store, err := storage.Open(filepath.Join(t.TempDir(), "gloss.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := library.SeedSamples(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	w, err := New(test.NewTempApp(t), store, Options{})
	if err != nil {
		t.Fatal(err)
	}
	synchronous(w)
	w.Start(nil)
	t.Cleanup(func() { w.win.Close() })
	top := w.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no name prompt on first start")
	}
	entry, ok := firstOf[*widget.Entry](t, top)
	if !ok {
		t.Fatal("the prompt has no entry")
	}
	test.Type(entry, "Ada")
	entry.OnSubmitted(entry.Text)
	if w.me.Name != "Ada" {
		t.Fatalf("analyst %q", w.me.Name)
	}
	if len(w.layerSelect.Options) < 3 || w.layerSelect.Selected != "My labels (Ada)" {
		t.Errorf("layer chooser: options %q, selected %q", w.layerSelect.Options, w.layerSelect.Selected)
	}
	if w.doc == nil {
		t.Error("no document opened after the prompt")
	}
}

// One failure, one dialog; only an edit's failure says a change was not
// saved; a cancelled export says so and nothing else.
func TestOneFailureOneDialog(t *testing.T) {
	w, store, _ := open(t)
	before := overlays(w)
	w.text.SetSelection(31, 38)
	store.Close()
	w.typedRune('2')
	if got := overlays(w) - before; got != 1 {
		t.Fatalf("a failed edit opened %d dialogs, want 1", got)
	}
	w.win.Canvas().Overlays().Top().Hide()
	w.win.Canvas().Overlays().Remove(w.win.Canvas().Overlays().Top())

	before = overlays(w)
	w.report("Could not open the file", errors.New("permission denied"))
	if got := overlays(w) - before; got != 1 {
		t.Fatalf("a failed file picker opened %d dialogs, want 1", got)
	}
	if d, ok := firstOf[*widget.Label](t, w.win.Canvas().Overlays().Top()); ok && strings.Contains(d.Text, "NOT saved") {
		t.Errorf("a file picker's failure claims a change was not saved: %q", d.Text)
	}

	before = overlays(w)
	w.exportDone(library.ExportOptions{Format: "jsonl"}, formats.Summary{}, fmt.Errorf("export: %w", context.Canceled))
	if overlays(w) != before {
		t.Error("a cancelled export opened a dialog")
	}
	if w.message.Text != "Export cancelled; no file was written" {
		t.Errorf("status line %q", w.message.Text)
	}
}

// A cancelled export really returns context.Canceled, which exportDone
// tells from a failure.
func TestCancelledExportIsCanceled(t *testing.T) {
	_, store, _ := open(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out := filepath.Join(t.TempDir(), "out.jsonl")
	_, err := library.Export(ctx, store, library.ExportOptions{Format: "jsonl", Path: out}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Error("a cancelled export left a file")
	}
}

// Help ▸ Keyboard shortcuts lists every key of every menu item, so it
// cannot say one thing while the menus do another.
func TestShortcutsComeFromTheActionTable(t *testing.T) {
	w, _, _ := open(t)
	table := map[string]string{}
	for _, r := range KeyTable() {
		table[r[0]] = r[1]
	}
	for _, m := range w.menu.Items {
		for _, it := range m.Items {
			if it.Shortcut == nil {
				continue
			}
			found := false
			for k := range table {
				if strings.Contains(k, keyText(it.Shortcut)) {
					found = true
				}
			}
			if !found {
				t.Errorf("menu item %q (%s) is missing from the key table", it.Label, keyText(it.Shortcut))
			}
		}
	}
	for _, want := range []string{"Ctrl+M", "Ctrl+R", "Ctrl+E"} {
		if _, ok := table[want]; !ok {
			t.Errorf("no %s in the key table", want)
		}
	}
	if strings.Contains(table["Ctrl+E"], "JSONL") {
		t.Errorf("Ctrl+E still says %q", table["Ctrl+E"])
	}
	w.showShortcuts()
	if top := w.win.Canvas().Overlays().Top(); top == nil {
		t.Fatal("no shortcuts dialog")
	}
}

// The README's key table is KeyTable, row for row. GLOSS_UPDATE_README=1
// rewrites it.
func TestREADMEKeyTableIsKeyTable(t *testing.T) {
	const path = "../../README.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("| Keys | What they do |\n|---|---|\n")
	for _, r := range KeyTable() {
		fmt.Fprintf(&b, "| %s | %s |\n", r[0], r[1])
	}
	const begin, end = "<!-- keys: made from app/workbench KeyTable -->\n", "<!-- /keys -->"
	s := string(data)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("README has no %q … %q block", begin, end)
	}
	if got := s[i+len(begin) : j]; got != b.String() {
		if os.Getenv("GLOSS_UPDATE_README") != "" {
			if err := os.WriteFile(path, []byte(s[:i+len(begin)]+b.String()+s[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("README's key table differs from KeyTable (run with GLOSS_UPDATE_README=1):\n%s", b.String())
	}
}

// The first start's name prompt is answered before the background
// learner is started (Start starts it after the prompt): naming the analyst
// must not run a learner that does not exist yet. It crashed the program.
// (The learner's real goroutine cannot run in Fyne's test driver, whose
// fyne.Do runs on the calling goroutine: this checks the order itself.)
func TestNamingTheAnalystBeforeTheLearnerStarts(t *testing.T) {
	store, err := storage.Open(filepath.Join(t.TempDir(), "gloss.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	w, err := New(test.NewTempApp(t), store, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.win.Close() })
	if w.learn.run != nil {
		t.Fatal("the learner runs before Start")
	}
	if err := w.setAnnotator("Tomás", true); err != nil {
		t.Fatal(err)
	}
	w.analystChanged() // what the prompt does; it used to panic here
	if w.learn.running {
		t.Error("a learner run is marked running, but none was started")
	}
}
