package postgres

import (
	"context"
	"testing"
	"time"

	"gloss/storage"
)

// TestPostgresNotifiesTheOtherChanges: a status, a relation and an
// attribute value of an analyst's layer, and a lead's new label, reach a
// listener, each saying who did it; Text says it as a window would.
func TestPostgresNotifiesTheOtherChanges(t *testing.T) {
	ctx := context.Background()
	tm := newTeam(t)
	doc, err := tm.lead.EnsureDocument(ctx, "Rents", "Rents rose 5% in 2024 👍🏽.\n")
	if err != nil {
		t.Fatal(err)
	}
	l, err := tm.lead.EnsureLabel(ctx, "Figure", "#e69f00", "2")
	if err != nil {
		t.Fatal(err)
	}
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	changes := make(chan Change, 32)
	if _, err := tm.bo.Listen(lctx, func(c Change) { changes <- c }); err != nil {
		t.Fatal(err)
	}
	next := func(what string) Change {
		t.Helper()
		select {
		case c := <-changes:
			return c
		case <-time.After(2 * time.Second):
			t.Fatalf("no notification for %s within two seconds", what)
		}
		return Change{}
	}
	a, err := tm.ann.CreateSpan(ctx, doc.ID, l.ID, 11, 13)
	if err != nil {
		t.Fatal(err)
	}
	b, err := tm.ann.CreateSpan(ctx, doc.ID, l.ID, 17, 21)
	if err != nil {
		t.Fatal(err)
	}
	next("the first span")
	next("the second span")
	ann := tm.conn(t, tm.ann)
	me := tm.ann.Me()
	if _, err := ann.Exec(ctx, `INSERT INTO document_status (document_id, annotator_id, status, updated) VALUES ($1, $2, 'done', 1)`, doc.ID, me.ID); err != nil {
		t.Fatal(err)
	}
	if c := next("the status"); c.Table != "document_status" || c.Op != "insert" || c.AnnotatorID != me.ID || c.Text() != me.Name+" set a status" {
		t.Errorf("status: %+v %q", c, c.Text())
	}
	lead := tm.conn(t, tm.lead)
	var set, typeID, attrID string
	if err := lead.QueryRow(ctx, `SELECT set_id FROM labels WHERE id = $1`, l.ID).Scan(&set); err != nil {
		t.Fatal(err)
	}
	typeID, attrID = newID(), newID()
	if _, err := lead.Exec(ctx, `INSERT INTO relation_types (id, set_id, name, color, position) VALUES ($1, $2, 'supports', '#0072B2', 1)`, typeID, set); err != nil {
		t.Fatal(err)
	}
	if c := next("the relation type"); c.Table != "relation_types" || c.DocumentID != "" || c.Annotator != tm.lead.Me().Name ||
		c.Text() != tm.lead.Me().Name+" added 1 relation type" {
		t.Errorf("relation type: %+v %q", c, c.Text())
	}
	if _, err := lead.Exec(ctx, `INSERT INTO attributes (id, set_id, name, kind, position) VALUES ($1, $2, 'Disputed', 'flag', 1)`, attrID, set); err != nil {
		t.Fatal(err)
	}
	next("the attribute")
	if _, err := ann.Exec(ctx, `INSERT INTO relations (id, document_id, annotator_id, type_id, from_span, to_span, created, updated)
		VALUES ($1, $2, $3, $4, $5, $6, 1, 1)`, newID(), doc.ID, me.ID, typeID, a.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	if c := next("the relation"); c.Table != "relations" || c.AnnotatorID != me.ID || c.DocumentID != doc.ID {
		t.Errorf("relation: %+v", c)
	}
	if _, err := ann.Exec(ctx, `INSERT INTO attribute_values (owner_id, attribute_id, document_id, value, updated) VALUES ($1, $2, $3, 'true', 1)`,
		a.ID, attrID, doc.ID); err != nil {
		t.Fatal(err)
	}
	if c := next("the value"); c.Table != "attribute_values" || c.AnnotatorID != me.ID || c.Text() != me.Name+" added 1 attribute value" {
		t.Errorf("value: %+v %q", c, c.Text())
	}
	if got := (Change{Table: "spans", Op: "delete", Count: 3}).Text(); got != "someone deleted 3 spans" {
		t.Errorf("Text: %q", got)
	}
}

// TestNotifyManyDocuments: a statement that adds spans to many documents
// at once (a merge) is told once per layer, with the number of documents,
// not once a document; a few documents are still told one by one.
func TestNotifyManyDocuments(t *testing.T) {
	ctx := context.Background()
	db := newServer(t)
	owner := openOwner(t, db)
	file := deskFile(t, 120)
	owner.ServerNews()
	if _, err := owner.Merge(ctx, file); err != nil {
		t.Fatal(err)
	}
	var spans []storage.News
	waitFor(t, "the merge's news", func() bool {
		for _, n := range owner.ServerNews() {
			if n.Table == "spans" {
				spans = append(spans, n)
			}
		}
		return len(spans) > 0
	})
	if len(spans) != 1 || spans[0].DocumentID != "" || spans[0].Count != 1200 || spans[0].Documents != 120 ||
		spans[0].Text != "Ana added 1,200 spans to 120 documents" {
		t.Errorf("news of the merge: %+v", spans)
	}
	if got := (Change{Table: "document_status", Op: "insert", By: "Lea", Count: 1200, Documents: 1200}).Text(); got != "Lea set 1,200 statuses in 1,200 documents" {
		t.Errorf("statuses: %q", got)
	}
}
