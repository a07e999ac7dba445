package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// mdb is a store made for a merge test, with helpers that fail the test.
type mdb struct {
	t   testing.TB
	s   *Store
	ctx context.Context
	set LabelSet
}

func newMDB(t testing.TB, name string) *mdb {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), name+".db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	m := &mdb{t: t, s: s, ctx: context.Background()}
	if m.set, err = s.DefaultLabelSet(m.ctx); err != nil {
		t.Fatal(err)
	}
	return m
}

func (m *mdb) ann(name string) string {
	m.t.Helper()
	a, err := m.s.EnsureAnnotator(m.ctx, name)
	if err != nil {
		m.t.Fatal(err)
	}
	return a.ID
}

func (m *mdb) label(name string) string {
	m.t.Helper()
	l, _, err := m.s.EnsureLabel(m.ctx, m.set.ID, name)
	if err != nil {
		m.t.Fatal(err)
	}
	return l.ID
}

func (m *mdb) doc(title, text string) string {
	m.t.Helper()
	d, _, err := m.s.ImportDocument(m.ctx, NewDocument{Title: title, Text: text, Format: "txt"})
	if err != nil {
		m.t.Fatal(err)
	}
	return d.ID
}

func (m *mdb) apply(e Edit) Span {
	m.t.Helper()
	sp, err := m.s.Apply(m.ctx, e)
	if err != nil {
		m.t.Fatal(err)
	}
	return sp
}

func (m *mdb) create(doc, ann, label string, start, end int) string {
	m.t.Helper()
	return m.apply(Edit{Kind: EditCreateSpan, DocumentID: doc, AnnotatorID: ann, LabelID: label, Start: start, End: end}).ID
}

func (m *mdb) merge(other *mdb) MergeSummary {
	m.t.Helper()
	sum, err := m.s.Merge(m.ctx, other.s.Path())
	if err != nil {
		m.t.Fatal(err)
	}
	return sum
}

// copyOf is a copy of m's file, opened.
func (m *mdb) copyOf(name string) *mdb {
	m.t.Helper()
	dest := filepath.Join(m.t.TempDir(), name+".db")
	if err := m.s.Backup(m.ctx, dest); err != nil {
		m.t.Fatal(err)
	}
	s, err := Open(dest)
	if err != nil {
		m.t.Fatal(err)
	}
	m.t.Cleanup(func() { s.Close() })
	c := &mdb{t: m.t, s: s, ctx: m.ctx}
	if c.set, err = s.DefaultLabelSet(m.ctx); err != nil {
		m.t.Fatal(err)
	}
	return c
}

// dump is a canonical text of a database's content: documents by SHA-256,
// spans by ID (with when they were revived), tombstones by span ID,
// statuses, annotators and labels by name (labels ignoring case), so that
// two databases that hold the same work compare equal even where they gave
// the same text or name different IDs.
func (m *mdb) dump() string {
	m.t.Helper()
	var lines []string
	q := func(query string, n int) {
		rows, err := m.s.db.Query(query)
		if err != nil {
			m.t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			vals := make([]any, n)
			ptrs := make([]any, n)
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				m.t.Fatal(err)
			}
			lines = append(lines, fmt.Sprint(vals...))
		}
		if err := rows.Err(); err != nil {
			m.t.Fatal(err)
		}
	}
	q(`SELECT 'doc', d.sha256, d.title, d.length, t.text FROM documents d JOIN document_texts t ON t.document_id = d.id`, 5)
	q(`SELECT 'span', s.id, d.sha256, a.name, lower(l.name), s.start, s."end", s.text, s.note, s.created, s.updated, s.revived
		FROM spans s JOIN documents d ON d.id = s.document_id JOIN annotators a ON a.id = s.annotator_id
		JOIN labels l ON l.id = s.label_id`, 12)
	q(`SELECT 'tombstone', t.span_id, d.sha256, a.name, t.deleted
		FROM tombstones t JOIN documents d ON d.id = t.document_id JOIN annotators a ON a.id = t.annotator_id`, 5)
	q(`SELECT 'status', d.sha256, a.name, ds.status, ds.updated FROM document_status ds
		JOIN documents d ON d.id = ds.document_id JOIN annotators a ON a.id = ds.annotator_id`, 5)
	q(`SELECT 'relation', r.id, d.sha256, a.name, lower(t.name), r.from_span, r.to_span, r.created
		FROM relations r JOIN documents d ON d.id = r.document_id JOIN annotators a ON a.id = r.annotator_id
		JOIN relation_types t ON t.id = r.type_id`, 8)
	q(`SELECT 'relation tombstone', relation_id FROM relation_tombstones`, 2)
	q(`SELECT 'value', v.owner_id, lower(a.name), v.value FROM attribute_values v JOIN attributes a ON a.id = v.attribute_id`, 4)
	q(`SELECT 'annotator', name FROM annotators`, 2)
	q(`SELECT 'label', lower(name) FROM labels`, 2)
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func (m *mdb) count(table string) int {
	m.t.Helper()
	var n int
	if err := m.s.db.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		m.t.Fatal(err)
	}
	return n
}

const (
	text1 = "The minister said inflation would fall to 3% by spring. “We are confident,” she added. 👍🏽 東京"
	text2 = "A second article about the harbour, the bridge and the five-year-old ferry."
	text3 = "Bob's own article: the council proposes a new tram line by 2030."
)

// twoMachines builds A (ana's machine) and B (bob's) with shared and
// conflicting work, as in the description of TestMergeCommutes.
func twoMachines(t *testing.T) (a, b *mdb, ids map[string]string) {
	ids = map[string]string{}
	a = newMDB(t, "a")
	ana := a.ann("ana")
	caraA := a.ann("cara")
	d1 := a.doc("One", text1)
	d2 := a.doc("Two", text2)
	claim, figure := a.label("Claim"), a.label("Figure")
	s1 := a.create(d1, ana, claim, 0, 3)
	s2 := a.create(d1, ana, figure, 42, 44)
	s3 := a.create(d1, ana, claim, 4, 12)
	a.create(d2, caraA, claim, 2, 8)
	ids["d1"], ids["s1"], ids["s2"], ids["s3"], ids["ana"] = d1, s1, s2, s3, ana

	// B starts from A's work (the lead merged it earlier), then each goes on.
	b = newMDB(t, "b")
	b.ann("bob")
	b.ann("cara") // same name, another UUID
	b.doc("One", text1)
	b.merge(a)

	// Ana, on A: a note on s2 (earlier than bob's on B), s3 deleted.
	a.apply(Edit{Kind: EditSetNote, DocumentID: d1, AnnotatorID: ana, SpanID: s2, Note: "from A"})
	// On B (ana's work, edited there): s1 relabelled to Figure.
	bd1, err := b.s.DocumentBySHA(b.ctx, a.sha(d1))
	if err != nil {
		t.Fatal(err)
	}
	b.apply(Edit{Kind: EditRelabelSpan, DocumentID: bd1.ID, AnnotatorID: ana, SpanID: s1, LabelID: b.label("figure")})
	// Later on A: s1 relabelled to Proposal (wins), s3 deleted (stays
	// deleted: B has not changed it since it had it from A).
	a.apply(Edit{Kind: EditRelabelSpan, DocumentID: d1, AnnotatorID: ana, SpanID: s1, LabelID: a.label("Proposal")})
	a.apply(Edit{Kind: EditDeleteSpan, DocumentID: d1, AnnotatorID: ana, SpanID: s3})
	a.apply(Edit{Kind: EditSetStatus, DocumentID: d1, AnnotatorID: ana, Status: StatusDone})
	// Later on B: a note on s2 (wins), ana's status reviewed (wins).
	b.apply(Edit{Kind: EditSetNote, DocumentID: bd1.ID, AnnotatorID: ana, SpanID: s2, Note: "from B"})
	b.apply(Edit{Kind: EditSetStatus, DocumentID: bd1.ID, AnnotatorID: ana, Status: StatusReviewed})

	// New labels on both sides, one the same but for case.
	a.label("Person")
	b.label("PERSON")
	place := b.label("Place")
	bob := b.ann("bob")
	d3 := b.doc("Three", text3)
	b.create(d3, bob, place, 0, 5)
	b.create(bd1.ID, bob, b.label("person"), 4, 12)
	b.create(bd1.ID, b.ann("cara"), place, 13, 22)
	// Cara on A, too.
	a.create(d1, caraA, a.label("person"), 13, 22)
	ids["d3"] = d3
	return a, b, ids
}

func (m *mdb) sha(docID string) string {
	m.t.Helper()
	d, err := m.s.Document(m.ctx, docID)
	if err != nil {
		m.t.Fatal(err)
	}
	return d.SHA256
}

func TestMergeCommutes(t *testing.T) {
	a, b, ids := twoMachines(t)
	ab := a.copyOf("ab")
	sumAB := ab.merge(b)
	ba := b.copyOf("ba")
	sumBA := ba.merge(a)
	t.Logf("B into A: %+v", sumAB)
	t.Logf("A into B: %+v", sumBA)

	if da, db := ab.dump(), ba.dump(); da != db {
		t.Fatalf("A+B and B+A differ:\n--- A+B\n%s\n--- B+A\n%s", da, db)
	}

	// The rules, checked on A+B.
	s1, err := ab.s.Span(ab.ctx, ids["s1"])
	if err != nil || s1.Label != "Proposal" {
		t.Errorf("s1: the later relabel (A's Proposal) should win, got %q, %v", s1.Label, err)
	}
	s2, err := ab.s.Span(ab.ctx, ids["s2"])
	if err != nil || s2.Note != "from B" {
		t.Errorf("s2: the later note (B's) should win, got %q, %v", s2.Note, err)
	}
	for _, m := range []*mdb{ab, ba} {
		if _, err := m.s.Span(m.ctx, ids["s3"]); !errors.Is(err, ErrNotFound) {
			t.Errorf("s3, deleted on A and unchanged on B, should stay deleted: %v", err)
		}
	}
	if st, err := ab.s.Status(ab.ctx, ids["d1"], ids["ana"]); err != nil || st != StatusReviewed {
		t.Errorf("ana's status on d1: want the later reviewed, got %s, %v", st, err)
	}
	if d3, err := ab.s.Document(ab.ctx, ids["d3"]); err != nil || d3.Title != "Three" {
		t.Errorf("B's new document should keep its id: %v", err)
	}
	anns, _ := ab.s.Annotators(ab.ctx)
	if len(anns) != 3 {
		t.Errorf("annotators: want ana, bob, cara (matched by name), got %v", anns)
	}
	ls, _ := ab.s.Labels(ab.ctx, ab.set.ID)
	var names []string
	for _, l := range ls {
		names = append(names, l.Name)
	}
	if got := strings.Join(names, ","); got != "Claim,Figure,Proposal,Person,Place" {
		t.Errorf("labels: %s", got)
	}
	if sumAB.DocumentsAdded != 1 || sumAB.DocumentsMatched != 2 || sumAB.AnnotatorsAdded != 1 ||
		sumAB.LabelsAdded != 1 || sumAB.SpansAdded != 3 || sumAB.SpansUpdated != 1 || sumAB.StatusesUpdated < 1 ||
		len(sumAB.Conflicts) != 2 {
		t.Errorf("summary of B into A: %+v", sumAB)
	}
	if sumBA.SpansDeleted != 1 || sumAB.SpansDeleted != 0 {
		t.Errorf("s3's deletion: A into B deleted %d, B into A %d; want 1 and 0", sumBA.SpansDeleted, sumAB.SpansDeleted)
	}
}

func TestMergeTwiceChangesNothing(t *testing.T) {
	a, b, _ := twoMachines(t)
	a.merge(b)
	before, counts := a.dump(), dbCounts(t, a.s)
	sum := a.merge(b)
	want := MergeSummary{DocumentsMatched: 3, SpansSkipped: sum.SpansSkipped}
	if !reflect.DeepEqual(sum, want) || sum.SpansSkipped == 0 {
		t.Errorf("second merge: %+v", sum)
	}
	if after := a.dump(); after != before {
		t.Errorf("the second merge changed the content:\n%s\n---\n%s", before, after)
	}
	if !sameCounts(counts, dbCounts(t, a.s)) {
		t.Errorf("the second merge changed the tables: %v -> %v", counts, dbCounts(t, a.s))
	}
	// And merging back the other way converges too.
	b.merge(a)
	if a.dump() != b.dump() {
		t.Errorf("after merging both ways the two differ")
	}
}

// TestMergeUndo: after a merge, ana can undo her whole history in the
// document on A, merge records included, without a conflict.
func TestMergeUndo(t *testing.T) {
	a, b, ids := twoMachines(t)
	a.merge(b)
	var kinds []string
	for {
		e, ok, err := a.s.Undo(a.ctx, ids["ana"], ids["d1"])
		if err != nil {
			t.Fatalf("undo after %v: %v", kinds, err)
		}
		if !ok {
			break
		}
		if e.Kind != EditSetStatus && e.SpanID == "" {
			t.Errorf("undo of %s returned no span", e.Kind)
		}
		kinds = append(kinds, string(e.Kind))
	}
	t.Log(kinds)
	if n := a.count(`spans WHERE annotator_id = '` + ids["ana"] + `' AND document_id = '` + ids["d1"] + `'`); n != 0 {
		t.Errorf("after undoing everything ana has %d spans left in d1", n)
	}
	// Redo all of it again.
	for {
		_, ok, err := a.s.Redo(a.ctx, ids["ana"], ids["d1"])
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
	}
	if s2, err := a.s.Span(a.ctx, ids["s2"]); err != nil || s2.Note != "from B" {
		t.Errorf("after redo s2 should be B's again: %q %v", s2.Note, err)
	}
	// The losing version (A's note on s2) stays in the history.
	var n int
	if err := a.s.db.QueryRow(`SELECT count(*) FROM edits WHERE kind = 'merge_span' AND span_id = ?
		AND json_extract(payload, '$.before.note') = 'from A'`, ids["s2"]).Scan(&n); err != nil || n != 1 {
		t.Errorf("A's version of s2 in the history: %d, %v", n, err)
	}
}

func TestMergeIntoEmptyAndMatchByText(t *testing.T) {
	a := newMDB(t, "a")
	ana := a.ann("ana")
	d1 := a.doc("One", text1)
	d2 := a.doc("Two", text2)
	s := a.create(d1, ana, a.label("Claim"), 0, 3)
	a.create(d2, ana, a.label("Figure"), 2, 8)

	b := newMDB(t, "b")
	bd1 := b.doc("Mine", text1) // same text, another id
	sum := b.merge(a)
	if sum.DocumentsAdded != 1 || sum.DocumentsMatched != 1 || sum.SpansAdded != 2 || sum.AnnotatorsAdded != 1 ||
		sum.LabelsAdded != 0 || sum.StatusesUpdated != 2 || len(sum.Conflicts) != 0 {
		t.Errorf("summary: %+v", sum)
	}
	sp, err := b.s.Span(b.ctx, s)
	if err != nil || sp.DocumentID != bd1 || sp.Label != "Claim" || sp.Annotator != "ana" {
		t.Errorf("span on the matched document: %+v, %v", sp, err)
	}
	if d, err := b.s.Document(b.ctx, d2); err != nil || d.Title != "Two" || d.Text != text2 {
		t.Errorf("new document keeps its id: %+v %v", d, err)
	}
	if d, _ := b.s.Document(b.ctx, bd1); d.Title != "Mine" {
		t.Errorf("a matched document keeps our title, got %q", d.Title)
	}
	if st, _ := b.s.Status(b.ctx, bd1, a.ann("ana")); st != StatusInProgress {
		t.Errorf("status: %s", st)
	}
}

func TestMergeLabelsByName(t *testing.T) {
	a := newMDB(t, "a")
	ana := a.ann("ana")
	d := a.doc("One", text1)
	// A's labels: the default set's names in other case, plus a new one
	// whose key B uses already.
	if _, err := a.s.db.Exec(`UPDATE labels SET name = lower(name)`); err != nil {
		t.Fatal(err)
	}
	s1 := a.create(d, ana, a.label("claim"), 0, 3)
	org := a.label("Org")
	s2 := a.create(d, ana, org, 4, 12)

	b := newMDB(t, "b")
	b.label("Person") // takes key 4, as Org has on A
	sum := b.merge(a)
	if sum.LabelsAdded != 1 {
		t.Errorf("labels added: %+v", sum)
	}
	sp, _ := b.s.Span(b.ctx, s1)
	if sp.Label != "Claim" {
		t.Errorf("claim should map to Claim, got %q", sp.Label)
	}
	sp, _ = b.s.Span(b.ctx, s2)
	l, err := label(b.ctx, b.s.db, sp.LabelID)
	if err != nil || l.Name != "Org" || l.ID != org || l.Key != "" {
		t.Errorf("Org should be added with its id and no key (4 is taken): %+v %v", l, err)
	}
}

func TestMergeStatusLaterWins(t *testing.T) {
	a := newMDB(t, "a")
	ana := a.ann("ana")
	d := a.doc("One", text1)
	a.apply(Edit{Kind: EditSetStatus, DocumentID: d, AnnotatorID: ana, Status: StatusDone})
	b := a.copyOf("b")
	b.apply(Edit{Kind: EditSetStatus, DocumentID: d, AnnotatorID: ana, Status: StatusInProgress}) // later
	if sum := a.merge(b); sum.StatusesUpdated != 1 {
		t.Errorf("summary: %+v", sum)
	}
	if st, _ := a.s.Status(a.ctx, d, ana); st != StatusInProgress {
		t.Errorf("A: %s", st)
	}
	if sum := b.merge(a); sum.StatusesUpdated != 0 {
		t.Errorf("summary: %+v", sum)
	}
	if st, _ := b.s.Status(b.ctx, d, ana); st != StatusInProgress {
		t.Errorf("B: %s", st)
	}
}

func TestMergeRefusals(t *testing.T) {
	a := newMDB(t, "a")
	ana := a.ann("ana")
	d := a.doc("One", text1)
	a.create(d, ana, a.label("Claim"), 0, 3)
	counts, dump := dbCounts(t, a.s), a.dump()
	unchanged := func(what string) {
		t.Helper()
		if !sameCounts(counts, dbCounts(t, a.s)) || a.dump() != dump {
			t.Errorf("%s: the database changed", what)
		}
	}
	dir := t.TempDir()

	text := filepath.Join(dir, "notes.db")
	os.WriteFile(text, []byte(strings.Repeat("not a database at all\n", 400)), 0o600)
	if _, err := a.s.Merge(a.ctx, text); !errors.Is(err, ErrNotGloss) || !strings.Contains(err.Error(), "notes.db") {
		t.Errorf("a text file: %v", err)
	}
	unchanged("text file")

	foreign := filepath.Join(dir, "foreign.sqlite")
	db, err := sql.Open("sqlite3", foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE documents (x); PRAGMA user_version = 1`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := a.s.Merge(a.ctx, foreign); !errors.Is(err, ErrNotGloss) {
		t.Errorf("another SQLite database: %v", err)
	}
	unchanged("foreign database")

	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o600)
	if _, err := a.s.Merge(a.ctx, empty); !errors.Is(err, ErrNotGloss) {
		t.Errorf("an empty file: %v", err)
	}

	if _, err := a.s.Merge(a.ctx, filepath.Join(dir, "missing.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
	if _, err := a.s.Merge(a.ctx, a.s.Path()); err == nil {
		t.Errorf("merging the database into itself should be refused")
	}

	newer := a.copyOf("newer")
	newer.s.Close()
	db, err = sql.Open("sqlite3", newer.s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := a.s.Merge(a.ctx, newer.s.Path()); !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), "newer.db") {
		t.Errorf("a newer database: %v", err)
	}
	unchanged("newer database")

	// The store still works (the connection was not left attached).
	a.create(d, ana, a.label("Figure"), 4, 12)
}

// TestMergeDamagedRollsBack: a file that fails half-way (after annotators
// and labels were added) leaves the database as it was.
func TestMergeDamagedRollsBack(t *testing.T) {
	a := newMDB(t, "a")
	a.doc("One", text1)
	counts, dump := dbCounts(t, a.s), a.dump()

	for _, damage := range []string{
		`UPDATE documents SET sha256 = 'ffff' || substr(sha256, 5) WHERE title = 'Two'`,
		`UPDATE spans SET text = 'nope'`,
	} {
		b := newMDB(t, "b")
		bob := b.ann("bob")
		b.label("Place")
		d2 := b.doc("Two", text2)
		b.create(d2, bob, b.label("Claim"), 0, 3)
		if _, err := b.s.db.Exec(damage); err != nil {
			t.Fatal(err)
		}
		if _, err := a.s.Merge(a.ctx, b.s.Path()); err == nil {
			t.Errorf("%s: merged", damage)
		} else {
			t.Log(err)
		}
		if !sameCounts(counts, dbCounts(t, a.s)) || a.dump() != dump {
			t.Errorf("%s: the database changed", damage)
		}
	}
}

func TestMergeIDTakenAndDuplicates(t *testing.T) {
	a := newMDB(t, "a")
	ana := a.ann("ana")
	d := a.doc("One", text1)
	claim := a.label("Claim")
	a.create(d, ana, claim, 0, 3)

	// B: the same analyst's name, the same extent and label with another
	// span id (a duplicate), and a document whose id A uses for another text.
	b := newMDB(t, "b")
	bana := b.ann("ana")
	bd := b.doc("One", text1)
	b.create(bd, bana, b.label("Claim"), 0, 3)
	b.create(bd, bana, b.label("Claim"), 4, 12)
	other, _, err := b.s.ImportDocument(b.ctx, NewDocument{ID: d, Title: "Clash", Text: text2})
	if err != nil {
		t.Fatal(err)
	}
	_ = other
	sum := a.merge(b)
	if sum.SpansAdded != 1 || sum.SpansSkipped != 1 || sum.DocumentsAdded != 1 || len(sum.Conflicts) != 1 {
		t.Errorf("summary: %+v", sum)
	}
	if _, err := a.s.DocumentBySHA(a.ctx, b.sha(d)); err != nil {
		t.Errorf("the clashing document should be added under a new id: %v", err)
	}
}

// BenchmarkMerge10k merges a colleague's database of 10,000 documents with
// 10 spans each into a database that shares none of them.
func BenchmarkMerge10k(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	other, err := Open(filepath.Join(dir, "other.db"))
	if err != nil {
		b.Fatal(err)
	}
	ann, err := other.EnsureAnnotator(ctx, "bob")
	if err != nil {
		b.Fatal(err)
	}
	set, err := other.DefaultLabelSet(ctx)
	if err != nil {
		b.Fatal(err)
	}
	ls, err := other.Labels(ctx, set.ID)
	if err != nil {
		b.Fatal(err)
	}
	const total, batch, perDoc = 10_000, 1000, 10
	docs := make([]NewDocument, batch)
	for i := 0; i < total; i += batch {
		for j := range docs {
			docs[j] = NewDocument{Title: fmt.Sprintf("Document %d", i+j), Text: benchText(i+j, 1500), Format: "txt"}
		}
		stored, _, err := other.ImportDocuments(ctx, docs)
		if err != nil {
			b.Fatal(err)
		}
		// Spans in raw SQL: Apply per span would make the setup the benchmark.
		tx, err := other.db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range stored {
			for k := range perDoc {
				start := k * 20
				st := &spanState{ID: newID(), DocumentID: d.ID, AnnotatorID: ann.ID, LabelID: ls[k%3].ID,
					Start: start, End: start + 8, Note: "", Created: now().UnixNano()}
				st.Updated = st.Created
				st.Text, _ = sliceRunes(d.Text, st.Start, st.End)
				if err := other.insertSpan(ctx, tx, st); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := tx.Exec(`INSERT INTO document_status VALUES (?, ?, 'done', ?)`, d.ID, ann.ID, now().UnixNano()); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	other.Close()
	otherPath := filepath.Join(dir, "other.db")

	var again time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := Open(filepath.Join(dir, fmt.Sprintf("lead%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.DefaultLabelSet(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		sum, err := s.Merge(ctx, otherPath)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if sum.DocumentsAdded != total || sum.SpansAdded != total*perDoc || sum.StatusesUpdated != total {
			b.Fatalf("summary: %+v", sum)
		}
		// Merging again: nothing to do (reported as s/remerge).
		t0 := time.Now()
		sum, err = s.Merge(ctx, otherPath)
		if err != nil {
			b.Fatal(err)
		}
		again += time.Since(t0)
		if sum.DocumentsMatched != total || sum.SpansSkipped != total*perDoc {
			b.Fatalf("second summary: %+v", sum)
		}
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(again.Seconds()/float64(b.N), "s/remerge")
}
