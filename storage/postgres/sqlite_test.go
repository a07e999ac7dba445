package postgres

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"gloss/storage"
)

// TestSQLiteToServerAndBack: a desk's SQLite file (spans after an emoji, a
// relation, an attribute, a status, undo history) goes into an empty
// server with its UUIDs; the analyst's role (made before) writes the
// layer the file holds for them; the server comes back as a SQLite file
// that holds the same work, whose undo history still undoes; a second load
// is refused.
func TestSQLiteToServerAndBack(t *testing.T) {
	ctx := context.Background()
	db := newServer(t)
	annName, pw := db.Role("ann"), "pw-ann"
	if err := AddAnalyst(ctx, db.URL, annName, pw, false); err != nil {
		t.Fatal(err)
	}

	// The desk's file.
	path := filepath.Join(t.TempDir(), "desk.db")
	src, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	set, _ := src.DefaultLabelSet(ctx)
	labels, _ := src.Labels(ctx, set.ID)
	ann, _ := src.EnsureAnnotator(ctx, annName)
	text := "👍🏽 The council approved 280,000 homes. The mayor said so."
	doc, _, err := src.ImportDocument(ctx, storage.NewDocument{Title: "Homes", Text: text, Format: "txt"})
	if err != nil {
		t.Fatal(err)
	}
	apply := func(e storage.Edit) storage.Applied {
		t.Helper()
		e.DocumentID, e.AnnotatorID = doc.ID, ann.ID
		a, err := src.ApplyEdit(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	fig := apply(storage.Edit{Kind: storage.EditCreateSpan, LabelID: labels[1].ID, Start: 24, End: 31}).Span // 280,000
	claim := apply(storage.Edit{Kind: storage.EditCreateSpan, LabelID: labels[0].ID, Start: 3, End: 38}).Span
	sup, err := src.CreateRelationType(ctx, storage.RelationType{SetID: set.ID, Name: "supports", Color: "#0072B2", Directed: true})
	if err != nil {
		t.Fatal(err)
	}
	rel := apply(storage.Edit{Kind: storage.EditCreateRelation, TypeID: sup.ID, From: fig.ID, To: claim.ID}).Relation
	cert, err := src.CreateAttribute(ctx, storage.Attribute{SetID: set.ID, Name: "Certainty", Kind: storage.AttrChoice, Choices: []string{"Low", "High"}})
	if err != nil {
		t.Fatal(err)
	}
	apply(storage.Edit{Kind: storage.EditSetAttribute, OwnerID: claim.ID, AttributeID: cert.ID, Value: "High"})
	apply(storage.Edit{Kind: storage.EditSetStatus, Status: storage.StatusDone})
	src.Close()

	sum, err := LoadSQLite(ctx, db.URL, path)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rows["spans"] != 2 || sum.Rows["relations"] != 1 || sum.Rows["attribute_values"] != 1 || sum.Rows["edits"] < 5 {
		t.Errorf("loaded %v", sum.Rows)
	}
	// Ann's role writes the file's layer of hers.
	s, err := Open(ctx, db.As(annName, pw))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Me().ID != ann.ID {
		t.Errorf("the role's annotator is %s, the file's %s", s.Me().ID, ann.ID)
	}
	spans, err := s.Spans(ctx, doc.ID)
	if err != nil || len(spans) != 2 || spans[1].ID != fig.ID && spans[0].ID != fig.ID {
		t.Fatalf("spans on the server: %+v %v", spans, err)
	}
	if _, err := s.CreateSpan(ctx, doc.ID, labels[0].ID, 43, 48); err != nil { // "mayor"
		t.Errorf("Ann's own layer after the load: %v", err)
	}
	if _, err := LoadSQLite(ctx, db.URL, path); err == nil || !strings.Contains(err.Error(), "already holds 1 documents") {
		t.Errorf("a second load: %v", err)
	}

	// And back to a file.
	dest := filepath.Join(t.TempDir(), "home.db")
	if _, err := BackupToSQLite(ctx, db.URL, dest); err != nil {
		t.Fatal(err)
	}
	if _, err := BackupToSQLite(ctx, db.URL, dest); err == nil {
		t.Error("a backup over an existing file")
	}
	back, err := storage.Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	got, err := back.Spans(ctx, doc.ID, ann.ID)
	if err != nil || len(got) != 3 {
		t.Fatalf("spans in the backup: %+v %v", got, err)
	}
	for _, sp := range got {
		if sp.Text != string([]rune(text)[sp.Start:sp.End]) {
			t.Errorf("span %q is not the text's [%d, %d)", sp.Text, sp.Start, sp.End)
		}
	}
	rels, _ := back.Relations(ctx, doc.ID, ann.ID)
	vals, _ := back.AttributeValues(ctx, doc.ID, ann.ID)
	if len(rels) != 1 || rels[0].ID != rel.ID || len(vals[claim.ID]) != 1 || vals[claim.ID][0].Value != "High" {
		t.Errorf("relations %+v, values %+v", rels, vals)
	}
	if st, _ := back.Status(ctx, doc.ID, ann.ID); st != storage.StatusDone {
		t.Errorf("status %s", st)
	}
	// The history came too: undo takes back the span made on the server,
	// then the status set in the file.
	if e, ok, err := back.Undo(ctx, ann.ID, doc.ID); err != nil || !ok || e.Kind != storage.EditDeleteSpan {
		t.Errorf("undo in the backup: %+v %v %v", e, ok, err)
	}
	if e, ok, err := back.Undo(ctx, ann.ID, doc.ID); err != nil || !ok || e.Kind != storage.EditSetStatus {
		t.Errorf("second undo in the backup: %+v %v %v", e, ok, err)
	}
	if seqs, err := back.DocumentSeqs(ctx, storage.DocFilter{Text: "homes"}); err != nil || len(seqs) != 1 {
		t.Errorf("the backup's document list: %v %v", seqs, err)
	}
	// One analyst's backup: every document, only that layer (gold's is
	// empty here).
	goldOnly := filepath.Join(t.TempDir(), "gold.db")
	if _, err := BackupAnalystToSQLite(ctx, db.URL, goldOnly, "gold"); err != nil {
		t.Fatal(err)
	}
	g, err := storage.Open(goldOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if st, err := g.Stats(ctx); err != nil || st.Documents != 1 || st.Spans != 0 || st.Relations != 0 {
		t.Errorf("gold's backup: %+v %v", st, err)
	}
	if _, err := BackupAnalystToSQLite(ctx, db.URL, filepath.Join(t.TempDir(), "x.db"), "nobody"); err == nil || !strings.Contains(err.Error(), `no annotator "nobody"`) {
		t.Errorf("an unknown analyst's backup: %v", err)
	}
}

// TestLabelMatchesOnTheServer: every match labelled in one step per
// document, skipping what is labelled and a done document; in the
// server's SQLite backup one undo takes a document's batch back, its
// status with it.
func TestLabelMatchesOnTheServer(t *testing.T) {
	ctx := context.Background()
	db := newServer(t)
	imp, err := BeginImport(ctx, db.URL, storage.ImportOptions{DefaultAnnotator: "Ana"})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"👍🏽 The harbour plan: the harbour, again the harbour.", "Another harbour.", "A done harbour."} {
		if err := imp.Add(storage.ImportRecord{Doc: storage.NewDocument{Title: text[:8], Text: text}, Spans: []storage.ImportSpan{{Label: "Place", Start: 0, End: 1}}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := imp.Commit(); err != nil {
		t.Fatal(err)
	}
	src, err := OpenSource(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	as, _ := src.Annotators(ctx)
	var ana string
	for _, a := range as {
		if a.Name == "Ana" {
			ana = a.ID
		}
	}
	var done string
	err = src.Search(ctx, storage.SearchQuery{Text: "done"}, func(m storage.SearchMatch) error { done = m.DocumentID; return nil })
	if err != nil || done == "" {
		t.Fatal(done, err)
	}
	c, err := connect(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, `INSERT INTO document_status (document_id, annotator_id, status, updated) VALUES ($1, $2, 'done', 1) ON CONFLICT (document_id, annotator_id) DO UPDATE SET status = 'done'`, done, ana); err != nil {
		t.Fatal(err)
	}
	n, sum, err := LabelMatches(ctx, db.URL, storage.SearchQuery{Text: "harbour"}, "Ana", "Place", false)
	if err != nil || n != 5 || sum.Spans != 4 || sum.Documents != 2 || sum.DoneDocuments != 1 || sum.DoneEdits != 1 {
		t.Fatalf("labelled: %d %+v %v", n, sum, err)
	}
	if _, sum, _ := LabelMatches(ctx, db.URL, storage.SearchQuery{Text: "harbour"}, "Ana", "Place", false); sum.Spans != 0 || sum.Existing != 4 {
		t.Errorf("again: %+v", sum)
	}
	dest := filepath.Join(t.TempDir(), "b.db")
	if _, err := BackupToSQLite(ctx, db.URL, dest); err != nil {
		t.Fatal(err)
	}
	back, err := storage.Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	var first string
	err = back.Search(ctx, storage.SearchQuery{Text: "again"}, func(m storage.SearchMatch) error { first = m.DocumentID; return nil })
	if err != nil || first == "" {
		t.Fatal(first, err)
	}
	before, _ := back.Spans(ctx, first, ana)
	e, ok, err := back.Undo(ctx, ana, first)
	if err != nil || !ok || e.Kind != storage.EditBatch {
		t.Fatalf("undo of the server's batch: %+v %v %v", e, ok, err)
	}
	after, _ := back.Spans(ctx, first, ana)
	if len(before) != 4 || len(after) != 1 {
		t.Errorf("spans before the undo %d, after %d; want 4 and 1", len(before), len(after))
	}
}
