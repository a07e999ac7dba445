package postgres

import (
	"context"
	"errors"
	"net"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"gloss/storage/postgres/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// team is a database made by Init with a lead and two analysts, each with a
// store connected as their own role.
type team struct {
	db            *pgtest.Database
	lead, ann, bo *Store
	pw            map[*Store]string
}

func newTeam(t *testing.T) *team {
	t.Helper()
	ctx := context.Background()
	db := newServer(t)
	tm := &team{db: db, pw: map[*Store]string{}}
	for _, who := range []struct {
		s    **Store
		name string
		lead bool
	}{{&tm.lead, "lea", true}, {&tm.ann, "ann", false}, {&tm.bo, "bo", false}} {
		name, pw := db.Role(who.name), "pw-"+who.name+"-'\\\"x"
		if err := AddAnalyst(ctx, db.URL, name, pw, who.lead); err != nil {
			t.Fatal(err)
		}
		s, err := Open(ctx, db.As(name, pw))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		*who.s = s
		tm.pw[s] = pw
	}
	return tm
}

// conn is a plain connection as s's role, for SQL the store does not write.
func (tm *team) conn(t *testing.T, s *Store) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(context.Background(), tm.db.As(s.Me().Name, tm.pw[s]))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

func TestPostgresInitIsIdempotent(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	for i := 0; i < 2; i++ {
		if err := Init(ctx, db.URL); err != nil {
			t.Fatalf("Init #%d: %v", i+1, err)
		}
	}
	c, err := pgx.Connect(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var versions []int
	rows, _ := c.Query(ctx, `SELECT version FROM gloss_schema ORDER BY version`)
	if versions, err = pgx.CollectRows(rows, pgx.RowTo[int]); err != nil {
		t.Fatal(err)
	}
	if len(versions) != SchemaVersion() || versions[len(versions)-1] != SchemaVersion() {
		t.Errorf("gloss_schema holds %v, want 1..%d once each", versions, SchemaVersion())
	}
	var golds, sets int
	c.QueryRow(ctx, `SELECT (SELECT count(*) FROM annotators WHERE name = 'gold'), (SELECT count(*) FROM label_sets)`).Scan(&golds, &sets)
	if golds != 1 || sets != 1 {
		t.Errorf("after two Inits: %d gold annotators, %d label sets; want 1 and 1", golds, sets)
	}
	// Every table of the SQLite schema but its SQLite-only ones.
	for _, table := range []string{"annotators", "label_sets", "labels", "documents", "document_texts", "spans",
		"document_status", "edits", "suggestions", "rejections", "models", "tombstones", "relation_types",
		"relations", "relation_tombstones", "attributes", "attribute_values", "gloss_roles"} {
		var ok bool
		if err := c.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, "public."+table).Scan(&ok); err != nil || !ok {
			t.Errorf("no table %s (%v)", table, err)
		}
	}

	// A database from a newer Gloss is refused, by Init and by Open.
	if _, err := c.Exec(ctx, `INSERT INTO gloss_schema (version, applied) VALUES ($1, 0)`, SchemaVersion()+1); err != nil {
		t.Fatal(err)
	}
	if err := Init(ctx, db.URL); !errors.Is(err, ErrNewerSchema) {
		t.Errorf("Init of a newer database: %v, want ErrNewerSchema", err)
	}
	if _, err := Open(ctx, db.URL); !errors.Is(err, ErrNewerSchema) {
		t.Errorf("Open of a newer database: %v, want ErrNewerSchema", err)
	}
}

func TestPostgresOpenWithoutInit(t *testing.T) {
	db := pgtest.New(t)
	if _, err := Open(context.Background(), db.URL); !errors.Is(err, ErrNoSchema) {
		t.Errorf("Open before Init: %v, want ErrNoSchema", err)
	}
	if err := AddAnalyst(context.Background(), db.URL, db.Role("ann"), "pw", false); !errors.Is(err, ErrNoSchema) {
		t.Errorf("AddAnalyst before Init: %v, want ErrNoSchema", err)
	}
}

func TestPostgresAddAnalystMakesARoleThatLogsIn(t *testing.T) {
	ctx := context.Background()
	db := newServer(t)
	ann := db.Role("Ann Lee") // a space, as annotator names have
	if err := AddAnalyst(ctx, db.URL, ann, "s3cret", false); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, db.As(ann, "s3cret"))
	if err != nil {
		t.Fatalf("log in as the new analyst: %v", err)
	}
	defer s.Close()
	me := s.Me()
	if me.Name != ann || len(me.ID) != 36 || me.ID[14] != '7' || s.IsLead() {
		t.Errorf("Me = %+v (lead %v), want %s with a UUIDv7, no lead", me, s.IsLead(), ann)
	}
	if _, err := Open(ctx, db.As(ann, "wrong")); err == nil {
		if db.ChecksPasswords {
			t.Error("logged in with a wrong password")
		} else {
			t.Log("the server let a wrong password in (it trusts its clients): passwords not checked")
		}
	}
	// Again (and now as a lead): the same annotator, the new rights.
	if err := AddAnalyst(ctx, db.URL, ann, "", true); err != nil {
		t.Fatalf("AddAnalyst again: %v", err)
	}
	s2, err := Open(ctx, db.As(ann, "s3cret"))
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if s2.Me().ID != me.ID || !s2.IsLead() {
		t.Errorf("after AddAnalyst --lead: %+v lead %v; want the same annotator, a lead", s2.Me(), s2.IsLead())
	}

	for _, bad := range []string{"", " ann", "gold", "Gold", "pg_ann", "gloss_lead", "a\tb", strings.Repeat("x", 64)} {
		if err := AddAnalyst(ctx, db.URL, bad, "pw", false); !errors.Is(err, ErrInvalidName) {
			t.Errorf("AddAnalyst(%q): %v, want ErrInvalidName", bad, err)
		}
	}
	// A role Gloss did not make is not taken over.
	c, err := pgx.Connect(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	dba := db.Role("dba")
	if _, err := c.Exec(ctx, `CREATE ROLE `+pgx.Identifier{dba}.Sanitize()+` LOGIN`); err != nil {
		t.Fatal(err)
	}
	root := db.Role("root")
	if _, err := c.Exec(ctx, `CREATE ROLE `+pgx.Identifier{root}.Sanitize()+` SUPERUSER LOGIN PASSWORD 'keep'`); err != nil {
		t.Fatal(err)
	}
	for _, r := range []string{dba, root} {
		if err := AddAnalyst(ctx, db.URL, r, "pw", true); !errors.Is(err, ErrRoleExists) {
			t.Errorf("AddAnalyst of %s, a role Gloss did not make: %v, want ErrRoleExists", r, err)
		}
	}
	if s, err := Open(ctx, db.As(root, "keep")); err != nil {
		t.Errorf("the superuser's password was changed: %v", err)
	} else {
		s.Close()
	}
}

// The server, not the program, keeps each analyst to their own layer: the
// forbidden writes are tried in plain SQL over the analyst's own connection.
func TestPostgresRowLevelSecurity(t *testing.T) {
	ctx := context.Background()
	tm := newTeam(t)

	// Shared rows: the lead's.
	doc, err := tm.lead.EnsureDocument(ctx, "Rents", "Rents rose 5% in 2024, the council said.\n")
	if err != nil {
		t.Fatal(err)
	}
	figure, err := tm.lead.EnsureLabel(ctx, "Figure", "#e69f00", "2")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tm.ann.EnsureLabel(ctx, "Claim", "#0072b2", "1"); !errors.Is(err, ErrForbidden) {
		t.Errorf("an analyst made a label: %v, want ErrForbidden", err)
	}
	if _, err := tm.ann.EnsureDocument(ctx, "Mine", "An analyst's own article.\n"); !errors.Is(err, ErrForbidden) {
		t.Errorf("an analyst added a document: %v, want ErrForbidden", err)
	}

	// Each writes their own layer.
	annSpan, err := tm.ann.CreateSpan(ctx, doc.ID, figure.ID, 11, 13)
	if err != nil {
		t.Fatalf("ann's span in ann's layer: %v", err)
	}
	boSpan, err := tm.bo.CreateSpan(ctx, doc.ID, figure.ID, 17, 21)
	if err != nil {
		t.Fatalf("bo's span in bo's layer: %v", err)
	}
	if annSpan.Text != "5%" || boSpan.Text != "2024" || annSpan.AnnotatorID != tm.ann.Me().ID {
		t.Errorf("spans %+v, %+v", annSpan, boSpan)
	}

	ann := tm.conn(t, tm.ann)
	bo := tm.bo.Me().ID
	forbidden := func(what string, err error) {
		t.Helper()
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "42501" {
			t.Errorf("%s: %v, want the server's refusal (42501)", what, err)
		}
	}
	changed := func(what string, tag pgconn.CommandTag, err error, want int64) {
		t.Helper()
		if err != nil || tag.RowsAffected() != want {
			t.Errorf("%s: %d rows (%v), want %d", what, tag.RowsAffected(), err, want)
		}
	}

	// Into bo's layer, as ann: refused.
	_, err = ann.Exec(ctx, `INSERT INTO spans (id, document_id, annotator_id, label_id, start, "end", text, created, updated)
		VALUES ($1, $2, $3, $4, 0, 5, 'Rents', 1, 1)`, newID(), doc.ID, bo, figure.ID)
	forbidden("ann inserts a span into bo's layer", err)
	_, err = ann.Exec(ctx, `INSERT INTO edits (annotator_id, document_id, kind, payload, created) VALUES ($1, $2, 'create_span', '{}', 1)`, bo, doc.ID)
	forbidden("ann writes bo's history", err)
	_, err = ann.Exec(ctx, `INSERT INTO document_status (document_id, annotator_id, status, updated) VALUES ($1, $2, 'done', 1)`, doc.ID, bo)
	forbidden("ann sets bo's status", err)
	gold := annotatorID(t, ann, GoldAnnotator)
	_, err = ann.Exec(ctx, `INSERT INTO spans (id, document_id, annotator_id, label_id, start, "end", text, created, updated)
		VALUES ($1, $2, $3, $4, 0, 5, 'Rents', 1, 1)`, newID(), doc.ID, gold, figure.ID)
	forbidden("ann writes the gold layer", err)
	_, err = ann.Exec(ctx, `INSERT INTO labels (id, set_id, name, color, position) SELECT $1, id, 'Claim', '#000000', 9 FROM label_sets`, newID())
	forbidden("ann inserts a label", err)
	_, err = ann.Exec(ctx, `UPDATE documents SET title = 'Mine'`)
	forbidden("ann renames a document", err)
	_, err = ann.Exec(ctx, `INSERT INTO gloss_roles (role, annotator_id) VALUES ('x', $1)`, bo)
	forbidden("ann maps a role", err)
	// No temporary table can stand in for gloss_roles.
	_, err = ann.Exec(ctx, `CREATE TEMP TABLE gloss_roles (role TEXT, annotator_id TEXT)`)
	forbidden("ann makes a temporary table", err)

	// bo's span, as ann: nothing to change (row-level security hides it
	// from UPDATE and DELETE), and it is as it was.
	tag, err := ann.Exec(ctx, `UPDATE spans SET note = 'mine now' WHERE id = $1`, boSpan.ID)
	changed("ann updates bo's span", tag, err, 0)
	tag, err = ann.Exec(ctx, `DELETE FROM spans WHERE id = $1`, boSpan.ID)
	changed("ann deletes bo's span", tag, err, 0)
	tag, err = ann.Exec(ctx, `DELETE FROM edits WHERE annotator_id = $1`, bo)
	changed("ann deletes bo's history", tag, err, 0)
	// Her own span she may change, but not give away.
	tag, err = ann.Exec(ctx, `UPDATE spans SET note = 'checked' WHERE id = $1`, annSpan.ID)
	changed("ann notes her own span", tag, err, 1)
	_, err = ann.Exec(ctx, `UPDATE spans SET annotator_id = $1 WHERE id = $2`, bo, annSpan.ID)
	forbidden("ann moves her span into bo's layer", err)
	tag, err = ann.Exec(ctx, `INSERT INTO document_status (document_id, annotator_id, status, updated) VALUES ($1, $2, 'done', 1)`, doc.ID, tm.ann.Me().ID)
	changed("ann sets her own status", tag, err, 1)

	// Attribute values belong to their span's layer.
	leadConn := tm.conn(t, tm.lead)
	attr := newID()
	if _, err := leadConn.Exec(ctx, `INSERT INTO attributes (id, set_id, name, kind, position) SELECT $1, id, 'Disputed', 'flag', 0 FROM label_sets`, attr); err != nil {
		t.Fatalf("the lead adds an attribute: %v", err)
	}
	tag, err = ann.Exec(ctx, `INSERT INTO attribute_values (owner_id, attribute_id, document_id, value, updated) VALUES ($1, $2, $3, 'true', 1)`, annSpan.ID, attr, doc.ID)
	changed("ann flags her span", tag, err, 1)
	_, err = ann.Exec(ctx, `INSERT INTO attribute_values (owner_id, attribute_id, document_id, value, updated) VALUES ($1, $2, $3, 'true', 1)`, boSpan.ID, attr, doc.ID)
	forbidden("ann flags bo's span", err)

	// The lead writes the gold layer, and not ann's.
	tag, err = leadConn.Exec(ctx, `INSERT INTO spans (id, document_id, annotator_id, label_id, start, "end", text, created, updated)
		VALUES ($1, $2, $3, $4, 11, 13, '5%', 1, 1)`, newID(), doc.ID, gold, figure.ID)
	changed("the lead writes gold", tag, err, 1)
	tag, err = leadConn.Exec(ctx, `DELETE FROM spans WHERE id = $1`, annSpan.ID)
	changed("the lead deletes ann's span", tag, err, 0)

	// Everyone reads everything.
	for _, s := range []*Store{tm.ann, tm.bo, tm.lead} {
		spans, err := s.Spans(ctx, doc.ID)
		if err != nil {
			t.Fatal(err)
		}
		var who []string
		for _, sp := range spans {
			who = append(who, sp.Annotator+":"+sp.Text)
		}
		want := tm.ann.Me().Name + ":5%," + GoldAnnotator + ":5%," + tm.bo.Me().Name + ":2024"
		if strings.Join(who, ",") != want {
			t.Errorf("%s reads %v, want %s", s.Me().Name, who, want)
		}
	}
	var edits, statuses, values int
	if err := tm.conn(t, tm.bo).QueryRow(ctx, `SELECT (SELECT count(*) FROM edits), (SELECT count(*) FROM document_status),
		(SELECT count(*) FROM attribute_values)`).Scan(&edits, &statuses, &values); err != nil {
		t.Fatal(err)
	}
	if edits != 2 || statuses != 1 || values != 1 {
		t.Errorf("bo reads %d edits, %d statuses, %d values; want 2, 1, 1", edits, statuses, values)
	}
	if n := rowCount(t, ann, `SELECT count(*) FROM spans WHERE note = 'mine now'`); n != 0 {
		t.Errorf("bo's span was changed by ann")
	}
}

func annotatorID(t *testing.T, c *pgx.Conn, name string) string {
	t.Helper()
	var id string
	if err := c.QueryRow(context.Background(), `SELECT id FROM annotators WHERE name = $1`, name).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func rowCount(t *testing.T, c *pgx.Conn, q string) int {
	t.Helper()
	var n int
	if err := c.QueryRow(context.Background(), q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPostgresCodePointOffsets(t *testing.T) {
	ctx := context.Background()
	tm := newTeam(t)
	text := "Rents rose 👍🏽 5% in 2024.\n"
	doc, err := tm.lead.EnsureDocument(ctx, "Rents", text)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Length != 26 {
		t.Errorf("length %d code points, want 26", doc.Length)
	}
	again, err := tm.lead.EnsureDocument(ctx, "Rents again", text)
	if err != nil || again.ID != doc.ID || again.Title != "Rents" {
		t.Errorf("the same text again: %+v %v, want document %s", again, err, doc.ID)
	}
	l, err := tm.lead.EnsureLabel(ctx, "Figure", "#e69f00", "2")
	if err != nil {
		t.Fatal(err)
	}
	sp, err := tm.ann.CreateSpan(ctx, doc.ID, l.ID, 14, 16)
	if err != nil {
		t.Fatal(err)
	}
	if sp.Text != "5%" {
		t.Errorf("span [14:16) after an emoji covers %q, want 5%%", sp.Text)
	}
	// The server counts the same code points (substring is 1-based).
	var server string
	if err := tm.conn(t, tm.ann).QueryRow(ctx, `SELECT substring(t.text FROM (s.start + 1)::int FOR (s."end" - s.start)::int)
		FROM spans s JOIN document_texts t ON t.document_id = s.document_id WHERE s.id = $1`, sp.ID).Scan(&server); err != nil || server != "5%" {
		t.Errorf("the server reads the span as %q (%v)", server, err)
	}
	if _, err := tm.ann.CreateSpan(ctx, doc.ID, l.ID, 25, 26); err != nil {
		t.Errorf("a span of the last code point: %v", err)
	}
	for _, bad := range [][2]int{{-1, 2}, {3, 3}, {5, 2}, {25, 27}, {26, 27}} {
		if _, err := tm.ann.CreateSpan(ctx, doc.ID, l.ID, bad[0], bad[1]); !errors.Is(err, ErrInvalidSpan) {
			t.Errorf("span %v: %v, want ErrInvalidSpan", bad, err)
		}
	}
	if _, err := tm.ann.CreateSpan(ctx, doc.ID, l.ID, 14, 16); !errors.Is(err, ErrConflict) {
		t.Errorf("the same span twice: %v, want ErrConflict", err)
	}
	if _, err := tm.ann.CreateSpan(ctx, "no-such-doc", l.ID, 0, 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("a span on no document: %v, want ErrNotFound", err)
	}
}

func TestPostgresListenHearsOtherConnections(t *testing.T) {
	ctx := context.Background()
	tm := newTeam(t)
	doc, err := tm.lead.EnsureDocument(ctx, "Rents", "Rents rose 5% in 2024.\n")
	if err != nil {
		t.Fatal(err)
	}
	l, err := tm.lead.EnsureLabel(ctx, "Figure", "#e69f00", "2")
	if err != nil {
		t.Fatal(err)
	}
	lctx, cancel := context.WithCancel(ctx)
	changes := make(chan Change, 16)
	done, err := tm.bo.Listen(lctx, func(c Change) { changes <- c })
	if err != nil {
		t.Fatal(err)
	}

	// A refused write tells nobody.
	ann := tm.conn(t, tm.ann)
	if _, err := ann.Exec(ctx, `INSERT INTO spans (id, document_id, annotator_id, label_id, start, "end", text, created, updated)
		VALUES ($1, $2, $3, $4, 0, 5, 'Rents', 1, 1)`, newID(), doc.ID, tm.bo.Me().ID, l.ID); err == nil {
		t.Fatal("ann wrote bo's layer")
	}
	start := time.Now()
	sp, err := tm.ann.CreateSpan(ctx, doc.ID, l.ID, 11, 13)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-changes:
		want := Change{Table: "spans", Op: "insert", DocumentID: doc.ID, AnnotatorID: tm.ann.Me().ID, Annotator: tm.ann.Me().Name, Count: 1,
			ByID: tm.ann.Me().ID, By: tm.ann.Me().Name}
		if c != want {
			t.Errorf("heard %+v, want %+v", c, want)
		}
		t.Logf("heard ann's span %v after CreateSpan began", time.Since(start))
	case <-time.After(time.Second):
		t.Fatal("no notification within a second of ann's span")
	}
	// A statement of two rows is one notification; a delete is told too.
	if _, err := ann.Exec(ctx, `UPDATE spans SET note = 'x' WHERE annotator_id = $1`, tm.ann.Me().ID); err != nil {
		t.Fatal(err)
	}
	if _, err := ann.Exec(ctx, `DELETE FROM spans WHERE id = $1`, sp.ID); err != nil {
		t.Fatal(err)
	}
	for _, op := range []string{"update", "delete"} {
		select {
		case c := <-changes:
			if c.Op != op || c.Count != 1 || c.Annotator != tm.ann.Me().Name {
				t.Errorf("heard %+v, want one %s of ann's", c, op)
			}
		case <-time.After(time.Second):
			t.Fatalf("no %s notification within a second", op)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Listen ended with %v, want nil after cancel", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Listen did not end after its context was cancelled")
	}
}

// A server that cannot be reached is said once, with the URL's password
// left out (pgx lists the same failed attempt for each TLS mode it tries),
// and the error is still the driver's underneath.
func TestUnreachableServerSaidOnce(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	url := "postgres://ann:secret@" + addr + "/desk?connect_timeout=5"
	_, err = Open(context.Background(), url)
	if err == nil {
		t.Fatal("opened a server that is not there")
	}
	msg := err.Error()
	if strings.Contains(msg, "secret") || !strings.Contains(msg, addr) || !strings.Contains(msg, "refused") {
		t.Errorf("message %q", msg)
	}
	lines := strings.Split(msg, "\n")
	for i, l := range lines {
		if slices.Contains(lines[:i], l) {
			t.Errorf("line %q said twice in %q", l, msg)
		}
	}
	var pgErr *pgconn.ConnectError
	if !errors.As(err, &pgErr) {
		t.Errorf("not the driver's error underneath: %T", errors.Unwrap(err))
	}
}
