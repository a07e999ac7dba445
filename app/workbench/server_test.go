package workbench

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"gloss/app/library"
	"gloss/app/tokens"
	"gloss/assets"
	"gloss/storage"
	"gloss/storage/postgres"
	"gloss/storage/postgres/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// serverDesk is a team server with an article, and analysts' URLs.
type serverDesk struct {
	db  *pgtest.Database
	url map[string]string // analyst -> URL as their role
	doc storage.Document
}

func newServerDesk(t *testing.T, names ...string) *serverDesk {
	t.Helper()
	ctx := context.Background()
	db := pgtest.New(t)
	if err := postgres.Init(ctx, db.URL); err != nil {
		t.Fatal(err)
	}
	d := &serverDesk{db: db, url: map[string]string{}}
	for _, n := range names {
		role := db.Role(n)
		if err := postgres.AddAnalyst(ctx, db.URL, role, "pw-"+n, n == "lea"); err != nil {
			t.Fatal(err)
		}
		d.url[n] = db.As(role, "pw-"+n)
	}
	owner, err := postgres.OpenStorage(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close()
	if _, err := library.ImportData(ctx, owner, "council.txt", []byte(article)); err != nil {
		t.Fatal(err)
	}
	seqs, err := owner.DocumentSeqs(ctx, storage.DocFilter{})
	if err != nil || len(seqs) != 1 {
		t.Fatalf("documents on the server: %v %v", seqs, err)
	}
	rows, err := owner.DocumentsBySeq(ctx, "", seqs)
	if err != nil {
		t.Fatal(err)
	}
	if d.doc, err = owner.Document(ctx, rows[0].ID); err != nil {
		t.Fatal(err)
	}
	return d
}

func (d *serverDesk) open(t *testing.T, who string) *storage.Store {
	t.Helper()
	s, err := postgres.OpenStorage(context.Background(), d.url[who])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// window opens a window on the server as who (synchronous, started, closed
// when the test ends) and returns it with its store.
func (d *serverDesk) window(t *testing.T, who string) (*Workbench, *storage.Store) {
	t.Helper()
	s := d.open(t, who)
	w, err := New(test.NewTempApp(t), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	synchronous(w)
	w.Start(nil)
	t.Cleanup(func() { w.win.Close() })
	return w, s
}

// waitFor polls the window's watch by hand (as its ticker does) until cond
// holds or five seconds pass.
func waitFor(t *testing.T, w *Workbench, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after 5 s; the window says %q", what, w.message.Text)
		}
		time.Sleep(20 * time.Millisecond)
		if v, err := w.store.DataVersion(w.ctx); err == nil {
			w.noticeVersion(v)
		}
	}
}

// The window on a team server: the analyst is the role connected (no
// name asked, another --annotator refused); labelling, undo and statuses
// are saved to the server; a colleague's spans appear, and the window says
// who added them; its own edits are not reported back as someone else's;
// another analyst's layer cannot be written, by the server's rule.
func TestWindowOnServer(t *testing.T) {
	d := newServerDesk(t, "ann", "bob")
	ctx := context.Background()
	annStore := d.open(t, "ann")
	if _, err := New(test.NewTempApp(t), annStore, Options{Annotator: "someone"}); err == nil || !strings.Contains(err.Error(), "layer only") {
		t.Errorf("another --annotator on the server: %v", err)
	}
	a := test.NewTempApp(t)
	w, err := New(a, annStore, Options{})
	if err != nil {
		t.Fatal(err)
	}
	synchronous(w)
	w.Start(nil)
	t.Cleanup(func() { w.win.Close() })
	if !strings.HasPrefix(w.me.Name, "ann_") {
		t.Fatalf("the analyst is %q, want the role's annotator", w.me.Name)
	}
	if w.doc == nil || w.doc.ID != d.doc.ID {
		t.Fatalf("opened %+v", w.doc)
	}
	if !strings.Contains(w.who.Text, "Labelling as "+w.me.Name+" on 127.0.0.1") || !strings.Contains(w.win.Title(), "@ 127.0.0.1") {
		t.Errorf("who %q, title %q: the window does not say it is on the server", w.who.Text, w.win.Title())
	}
	// "280,000" is code points 31..38 (the emoji is two code points).
	w.text.SetSelection(31, 38)
	test.Type(w.text, "2")
	ss, err := annStore.Spans(ctx, d.doc.ID, w.me.ID)
	if err != nil || len(ss) != 1 || ss[0].Text != "280,000" || ss[0].Label != "Figure" {
		t.Fatalf("after pressing 2 on the server: %+v %v", ss, err)
	}
	// Its own span, told back by the server, is no colleague's news.
	time.Sleep(300 * time.Millisecond)
	if v, err := w.store.DataVersion(ctx); err == nil {
		w.noticeVersion(v)
	}
	if strings.Contains(w.message.Text, "↻") {
		t.Errorf("the window's own span was reported as a change: %q", w.message.Text)
	}
	shortcut(w, &fyne.ShortcutUndo{})
	if ss, _ := annStore.Spans(ctx, d.doc.ID, w.me.ID); len(ss) != 0 {
		t.Errorf("after undo the server has %v", ss)
	}
	shortcut(w, &desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift})
	if ss, _ := annStore.Spans(ctx, d.doc.ID, w.me.ID); len(ss) != 1 {
		t.Errorf("after redo the server has %v", ss)
	}

	// Bob labels the same article in his own window's store.
	bobStore := d.open(t, "bob")
	bob, _, _ := bobStore.ServerRole()
	labels, err := bobStore.Labels(ctx, w.set.ID)
	if err != nil {
		t.Fatal(err)
	}
	var edits []storage.Edit
	for _, r := range [][2]int{{0, 4}, {10, 17}, {22, 30}} {
		edits = append(edits, storage.Edit{Kind: storage.EditCreateSpan, LabelID: labels[0].ID, Start: r[0], End: r[1]})
	}
	if _, _, err := bobStore.ApplyBatch(ctx, d.doc.ID, bob.ID, edits); err != nil {
		t.Fatal(err)
	}
	waitFor(t, w, "bob's spans said", func() bool {
		return w.message.Text == "↻ "+bob.Name+" added 3 spans to this document"
	})
	// The layer picker shows bob's layer now; his spans read back.
	if ss, _ := annStore.Spans(ctx, d.doc.ID, bob.ID); len(ss) != 3 {
		t.Errorf("bob's spans from ann's store: %d", len(ss))
	}
	// The server keeps ann out of bob's layer.
	_, err = annStore.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: d.doc.ID, AnnotatorID: bob.ID, LabelID: labels[0].ID, Start: 40, End: 45})
	if !errors.Is(err, storage.ErrForbidden) || !strings.Contains(err.Error(), "only your own layer") {
		t.Errorf("ann writing bob's layer: %v", err)
	}
	if ss, _ := bobStore.Spans(ctx, d.doc.ID, bob.ID); len(ss) != 3 {
		t.Errorf("bob's layer after ann's refused write: %d spans", len(ss))
	}
	// File ▸ Import as the lead brings an article with a span of hers onto
	// the server; as an analyst, a new document is the lead's to add.
	dir := t.TempDir()
	art := filepath.Join(dir, "rents.jsonl")
	if err := os.WriteFile(art, []byte(`{"text":"Rents rose 5% 👍🏽 in Lyon.\n","spans":[{"start":11,"end":16,"label":"Figure"}]}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	w.importPaths([]string{art})
	t.Logf("import refused: %q", w.message.Text)
	if !strings.Contains(w.message.Text, "lead") {
		t.Errorf("an analyst importing a new document: the window says %q", w.message.Text)
	}
	w.closeTopDialog()
	if n := w.list.Len(); n != 1 {
		t.Errorf("after the refused import the list has %d documents", n)
	}
	// Backup from the window's store writes a SQLite file of the server.
	dest := filepath.Join(t.TempDir(), "desk.db")
	if err := annStore.Backup(ctx, dest); err != nil {
		t.Fatal(err)
	}
	local, err := storage.Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	if ss, err := local.Spans(ctx, d.doc.ID, bob.ID); err != nil || len(ss) != 3 {
		t.Errorf("bob's spans in the backup: %v %v", ss, err)
	}
}

// The server restarted under a window (pg_ctl stop -m fast, then start): a
// span made while it is down is refused, said, and not shown; the window
// says when the connection is lost and when it is back; every span it
// acknowledged before is there after, and labelling goes on.
func TestWindowServerRestart(t *testing.T) {
	pgtest.Restartable(t)
	d := newServerDesk(t, "ann")
	ctx := context.Background()
	w, annStore := d.window(t, "ann")
	w.text.SetSelection(31, 38)
	test.Type(w.text, "2")
	if len(w.spans) != 1 {
		t.Fatalf("before the restart: %d spans shown", len(w.spans))
	}
	pgtest.Restart(t, func() {
		waitFor(t, w, "the lost connection said", func() bool { return strings.Contains(w.message.Text, "connection to the server is lost") })
		if top := w.win.Canvas().Overlays().Top(); top != nil {
			t.Errorf("the lost connection opened a dialog (a reload that cannot read): %T", top)
		}
		if len(w.spans) != 1 {
			t.Errorf("the lost connection emptied the view: %d spans shown", len(w.spans))
		}
		w.text.SelectSpan("")
		w.text.SetSelection(0, 4)
		test.Type(w.text, "1")
		t.Logf("while down the window says %q", w.message.Text)
		if !strings.Contains(w.message.Text, "NOT saved") {
			t.Errorf("a span while the server is down: the window says %q", w.message.Text)
		}
		if len(w.spans) != 1 {
			t.Errorf("while down: %d spans shown, want the one saved", len(w.spans))
		}
		w.closeTopDialog()
		// Reading while it is down says so in the same words.
		w.reloadSpans()
		if !strings.Contains(w.message.Text, "✗") || !strings.Contains(w.message.Text, "the server cannot be reached; try again when it is back") {
			t.Errorf("a read while the server is down: the window says %q", w.message.Text)
		}
		w.closeTopDialog()
	})
	waitFor(t, w, "the connection back said", func() bool { return strings.Contains(w.message.Text, "Connected to the server again") })
	w.text.SelectSpan("")
	w.text.SetSelection(0, 4)
	test.Type(w.text, "1")
	ss, err := annStore.Spans(ctx, d.doc.ID, w.me.ID)
	if err != nil || len(ss) != 2 || len(w.spans) != 2 {
		t.Fatalf("after the restart: stored %v (%v), %d shown", ss, err, len(w.spans))
	}
}

func TestServerPlace(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://ann:xxxxx@db.example.org:5433/desk?sslmode=require": "db.example.org:5433/desk",
		"postgresql://ann@127.0.0.1/desk":                               "127.0.0.1/desk",
	} {
		if got := serverPlace(in); got != want {
			t.Errorf("serverPlace(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkLabelActionOnServer is BenchmarkLabelAction on a team server of
// localhost: one label key press in the 1 MB document with 10,000 spans of
// the analyst's, the span saved on the server in its own transaction (with
// its undo record) and the article, span list and document list updated
// from it. Run it with BenchmarkLabelAction for the SQLite figure of the
// same run.
func BenchmarkLabelActionOnServer(b *testing.B) {
	ctx := context.Background()
	db := pgtest.New(b)
	if err := postgres.Init(ctx, db.URL); err != nil {
		b.Fatal(err)
	}
	role := db.Role("bench")
	if err := postgres.AddAnalyst(ctx, db.URL, role, "pw-bench", false); err != nil {
		b.Fatal(err)
	}
	owner, err := postgres.OpenStorage(ctx, db.URL)
	if err != nil {
		b.Fatal(err)
	}
	defer owner.Close()
	s, err := postgres.OpenStorage(ctx, db.As(role, "pw-bench"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	me, _, _ := s.ServerRole()
	// The same article and spans as bigStore's, written by the owner into
	// the analyst's layer in one batch.
	local, docID := bigStore(b)
	doc, err := local.Document(ctx, docID)
	if err != nil {
		b.Fatal(err)
	}
	docs, _, err := owner.ImportDocuments(ctx, []storage.NewDocument{{Title: doc.Title, Text: doc.Text, FileName: "big.txt"}})
	if err != nil {
		b.Fatal(err)
	}
	spans, err := local.Spans(ctx, docID, "")
	if err != nil {
		b.Fatal(err)
	}
	set, _ := owner.DefaultLabelSet(ctx)
	labels, _ := owner.Labels(ctx, set.ID)
	byName := map[string]string{}
	for _, l := range labels {
		byName[l.Name] = l.ID
	}
	var edits []storage.Edit
	for _, sp := range spans {
		edits = append(edits, storage.Edit{Kind: storage.EditCreateSpan, LabelID: byName[sp.Label], Start: sp.Start, End: sp.End})
	}
	if _, _, err := owner.ApplyBatch(ctx, docs[0].ID, me.ID, edits); err != nil {
		b.Fatal(err)
	}
	w := benchWindowAs(b, test.NewTempApp(b), s, "")
	w.openDocument(docs[0].ID)
	if len(w.spans) != 10000 {
		b.Fatalf("%d spans", len(w.spans))
	}
	pressLabelKeys(b, w)
}

// File ▸ Merge colleague's work on a team server: ann's offline copy of
// the server (a backup she labelled on the train) merges back into it from
// the window, which shows the spans and says what came; of a copy that
// touched bob's layer, bob's spans are left out (the server would refuse
// them), nothing of his changes, and the window says why.
func TestWindowMergeOnServer(t *testing.T) {
	d := newServerDesk(t, "ann", "bob")
	ctx := context.Background()
	w, annStore := d.window(t, "ann")
	bob := d.open(t, "bob")
	bobMe, _, _ := bob.ServerRole()

	dir := t.TempDir()
	offline := func(name string, layer storage.Annotator) string {
		path := filepath.Join(dir, name)
		if err := annStore.Backup(ctx, path); err != nil {
			t.Fatal(err)
		}
		s, err := storage.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		set, _ := s.DefaultLabelSet(ctx)
		labels, _ := s.Labels(ctx, set.ID)
		for _, r := range [][2]int{{4, 11}, {12, 20}} {
			if _, err := s.Apply(ctx, storage.Edit{Kind: storage.EditCreateSpan, DocumentID: d.doc.ID, AnnotatorID: layer.ID,
				LabelID: labels[0].ID, Start: r[0], End: r[1]}); err != nil {
				t.Fatal(err)
			}
		}
		return path
	}
	mine := offline("train.db", w.me)
	bobs := offline("bobs.db", bobMe)

	w.mergePath(bobs)
	if !strings.Contains(w.message.Text, "✓ Merged bobs.db") || !strings.Contains(w.message.Text, "left out 2 spans of "+bobMe.Name) ||
		!strings.Contains(w.message.Text, "only your own layer") {
		t.Errorf("merging bob's layer says %q", w.message.Text)
	}
	if got, _ := bob.Spans(ctx, d.doc.ID, bobMe.ID); len(got) != 0 {
		t.Errorf("the refused merge wrote bob's layer: %d spans", len(got))
	}
	w.mergePath(mine)
	if !strings.Contains(w.message.Text, "✓ Merged train.db") || !strings.Contains(w.message.Text, "2 spans added") {
		t.Errorf("the merge says %q", w.message.Text)
	}
	if len(w.spans) != 2 {
		t.Errorf("%d spans shown after the merge, want 2", len(w.spans))
	}
	if got, _ := bob.Spans(ctx, d.doc.ID, w.me.ID); len(got) != 2 {
		t.Errorf("bob reads %d of ann's spans after her merge", len(got))
	}
}

// BenchmarkLabelActionArticle: the label key in an article of an ordinary
// size (harbour-housing.txt, with 100 spans of the analyst's), on a SQLite
// file and on a team server as the analyst's role, in the same run: the
// window's whole action, as BenchmarkLabelAction on the 1 MB article.
func BenchmarkLabelActionArticle(b *testing.B) {
	ctx := context.Background()
	var text []byte
	for _, s := range assets.Samples() {
		if s.Name == "harbour-housing.txt" {
			text = s.Data
		}
	}
	run := func(b *testing.B, s *storage.Store, me storage.Annotator) {
		res, err := library.ImportData(ctx, s, "harbour-housing.txt", text)
		if err != nil {
			b.Fatal(err)
		}
		doc, err := s.Document(ctx, res.Document.ID)
		if err != nil {
			b.Fatal(err)
		}
		set, _ := s.DefaultLabelSet(ctx)
		labels, _ := s.Labels(ctx, set.ID)
		toks := tokens.Tokenize(doc.Text)
		var edits []storage.Edit
		for i := 0; i < len(toks) && len(edits) < 100; i += 4 {
			edits = append(edits, storage.Edit{Kind: storage.EditCreateSpan, LabelID: labels[i%3].ID, Start: toks[i].Start, End: toks[i].End})
		}
		if _, _, err := s.ApplyBatch(ctx, doc.ID, me.ID, edits); err != nil {
			b.Fatal(err)
		}
		w := benchWindowAs(b, test.NewTempApp(b), s, me.Name)
		w.openDocument(doc.ID)
		if len(w.spans) != 100 {
			b.Fatalf("%d spans", len(w.spans))
		}
		pressLabelKeys(b, w)
	}
	b.Run("sqlite", func(b *testing.B) {
		s, err := storage.Open(filepath.Join(b.TempDir(), "article.db"))
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		me, err := s.EnsureAnnotator(ctx, "bench")
		if err != nil {
			b.Fatal(err)
		}
		run(b, s, me)
	})
	b.Run("server", func(b *testing.B) {
		db := pgtest.New(b)
		if err := postgres.Init(ctx, db.URL); err != nil {
			b.Fatal(err)
		}
		role := db.Role("bench")
		if err := postgres.AddAnalyst(ctx, db.URL, role, "pw-bench", true); err != nil {
			b.Fatal(err)
		}
		s, err := postgres.OpenStorage(ctx, db.As(role, "pw-bench"))
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		me, _, _ := s.ServerRole()
		run(b, s, me)
	})
}
