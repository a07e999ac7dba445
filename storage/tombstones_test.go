package storage

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// sharedPair is A (ana's machine) with two spans of ana's, x and y, in one
// document, and B, which has them from merging A.
func sharedPair(t *testing.T) (a, b *mdb, doc, ana, x, y string) {
	t.Helper()
	a = newMDB(t, "a")
	ana = a.ann("ana")
	doc = a.doc("One", text1)
	claim := a.label("Claim")
	x = a.create(doc, ana, claim, 0, 3)
	y = a.create(doc, ana, claim, 4, 12)
	b = newMDB(t, "b")
	b.merge(a)
	return a, b, doc, ana, x, y
}

// mergeChanges are the payloads of the merge_span records of span id.
func (m *mdb) mergeChanges(id string) []mergeChange {
	m.t.Helper()
	rows, err := m.s.db.Query(`SELECT payload FROM edits WHERE kind = 'merge_span' AND span_id = ? ORDER BY seq`, id)
	if err != nil {
		m.t.Fatal(err)
	}
	defer rows.Close()
	var out []mergeChange
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			m.t.Fatal(err)
		}
		var mc mergeChange
		if err := json.Unmarshal([]byte(p), &mc); err != nil {
			m.t.Fatal(err)
		}
		out = append(out, mc)
	}
	return out
}

func (m *mdb) has(id string) bool {
	m.t.Helper()
	_, err := m.s.Span(m.ctx, id)
	if err != nil && !errors.Is(err, ErrNotFound) {
		m.t.Fatal(err)
	}
	return err == nil
}

func (m *mdb) revived(id string) int64 {
	m.t.Helper()
	var r int64
	if err := m.s.db.QueryRow(`SELECT revived FROM spans WHERE id = ?`, id).Scan(&r); err != nil {
		m.t.Fatal(err)
	}
	return r
}

// mergeChangesNothing merges other into m and fails when that changes
// anything, summary, content or tables (history included).
func mergeChangesNothing(t *testing.T, m, other *mdb, what string) {
	t.Helper()
	dump, counts := m.dump(), dbCounts(t, m.s)
	sum := m.merge(other)
	if sum.SpansAdded+sum.SpansUpdated+sum.SpansDeleted+sum.StatusesUpdated != 0 || len(sum.Conflicts) != 0 {
		t.Errorf("%s: %+v", what, sum)
	}
	if m.dump() != dump || !sameCounts(counts, dbCounts(t, m.s)) {
		t.Errorf("%s changed the database:\n%s\n---\n%s", what, dump, m.dump())
	}
}

func TestDeleteLeavesTombstone(t *testing.T) {
	m := newMDB(t, "a")
	ana, doc := m.ann("ana"), m.doc("One", text1)
	x := m.create(doc, ana, m.label("Claim"), 0, 3)
	sp, err := m.s.Span(m.ctx, x)
	if err != nil {
		t.Fatal(err)
	}
	m.apply(Edit{Kind: EditDeleteSpan, DocumentID: doc, AnnotatorID: ana, SpanID: x})
	deleted := tombstoneOf(t, m.s, x)
	if deleted < sp.Updated.UnixNano() {
		t.Fatalf("tombstone at %d, span updated %d", deleted, sp.Updated.UnixNano())
	}
	if _, ok, err := m.s.Undo(m.ctx, ana, doc); err != nil || !ok {
		t.Fatal(ok, err)
	}
	back, err := m.s.Span(m.ctx, x)
	if err != nil || back != sp {
		t.Errorf("undo of the deletion: %+v, %v; want %+v", back, err, sp)
	}
	if d := tombstoneOf(t, m.s, x); d != 0 {
		t.Errorf("the span is back, its tombstone too (%d)", d)
	}
	if r := m.revived(x); r <= deleted {
		t.Errorf("revived %d, not later than the deletion %d", r, deleted)
	}
	// Undoing the creation is a deletion too.
	if _, ok, err := m.s.Undo(m.ctx, ana, doc); err != nil || !ok {
		t.Fatal(ok, err)
	}
	if d := tombstoneOf(t, m.s, x); d <= deleted {
		t.Errorf("undoing the creation: tombstone %d", d)
	}
	// And redoing it brings the span back, later than that.
	if _, ok, err := m.s.Redo(m.ctx, ana, doc); err != nil || !ok {
		t.Fatal(ok, err)
	}
	if tombstoneOf(t, m.s, x) != 0 || m.revived(x) <= deleted {
		t.Errorf("redo of the creation: tombstone %d, revived %d", tombstoneOf(t, m.s, x), m.revived(x))
	}
}

// TestMergeDeletionTravels: A deletes x, which B has unchanged. A into B
// deletes it there (undoably), B into A leaves A as it is, both orders give
// the same content and merging again changes nothing.
func TestMergeDeletionTravels(t *testing.T) {
	a, b, _, _, x, y := sharedPair(t)
	a.apply(Edit{Kind: EditDeleteSpan, DocumentID: a.docOf(x), AnnotatorID: a.annOf(x), SpanID: x})
	deleted := tombstoneOf(t, a.s, x)
	ab, ba := a.copyOf("ab"), b.copyOf("ba")

	sum := ba.merge(a) // A into B
	if sum.SpansDeleted != 1 || sum.SpansAdded != 0 || len(sum.Conflicts) != 0 {
		t.Errorf("A into B: %+v", sum)
	}
	if ba.has(x) || !ba.has(y) {
		t.Errorf("A into B: x there %v (want gone), y there %v", ba.has(x), ba.has(y))
	}
	if d := tombstoneOf(t, ba.s, x); d != deleted {
		t.Errorf("A into B: tombstone %d, want A's %d", d, deleted)
	}
	mcs := ba.mergeChanges(x)
	if len(mcs) != 1 || mcs[0].Before == nil || mcs[0].Before.ID != x || mcs[0].After != nil || mcs[0].OtherDeleted != deleted {
		t.Errorf("A into B: history %+v", mcs)
	}

	mergeChangesNothing(t, ab, b, "B into A") // B's x is older than A's deletion
	if ab.has(x) {
		t.Error("B into A brought x back")
	}
	if da, db := ab.dump(), ba.dump(); da != db {
		t.Errorf("A+B and B+A differ:\n--- A+B\n%s\n--- B+A\n%s", da, db)
	}
	mergeChangesNothing(t, ba, a, "A into B again")
	mergeChangesNothing(t, ab, b, "B into A again")
	mergeChangesNothing(t, ab, ba, "B+A into A+B")
}

func (m *mdb) docOf(spanID string) string {
	m.t.Helper()
	sp, err := m.s.Span(m.ctx, spanID)
	if err != nil {
		m.t.Fatal(err)
	}
	return sp.DocumentID
}

func (m *mdb) annOf(spanID string) string {
	m.t.Helper()
	sp, err := m.s.Span(m.ctx, spanID)
	if err != nil {
		m.t.Fatal(err)
	}
	return sp.AnnotatorID
}

// TestMergeChangeAfterDeletionWins: A deletes x, then B changes it. B's
// change wins both ways, and the conflict is in each history.
func TestMergeChangeAfterDeletionWins(t *testing.T) {
	a, b, doc, ana, x, _ := sharedPair(t)
	a.apply(Edit{Kind: EditDeleteSpan, DocumentID: doc, AnnotatorID: ana, SpanID: x})
	deleted := tombstoneOf(t, a.s, x)
	b.apply(Edit{Kind: EditSetNote, DocumentID: doc, AnnotatorID: ana, SpanID: x, Note: "kept on B"})
	ab, ba := a.copyOf("ab"), b.copyOf("ba")

	sum := ba.merge(a) // A into B: B's note is later than A's deletion
	if sum.SpansDeleted != 0 || len(sum.Conflicts) != 1 || !strings.Contains(sum.Conflicts[0], "after their deletion") {
		t.Errorf("A into B: %+v", sum)
	}
	if sp, err := ba.s.Span(ba.ctx, x); err != nil || sp.Note != "kept on B" {
		t.Errorf("A into B: x %+v, %v", sp, err)
	}
	if tombstoneOf(t, ba.s, x) != 0 {
		t.Error("A into B: x is there and has a tombstone")
	}
	mcs := ba.mergeChanges(x)
	if len(mcs) != 1 || mcs[0].OtherDeleted != deleted || mcs[0].Before == nil || mcs[0].After == nil ||
		*mcs[0].Before != *mcs[0].After || mcs[0].After.Note != "kept on B" {
		t.Errorf("A into B: the deletion should be in the history as the loser: %+v", mcs)
	}

	sum = ab.merge(b) // B into A: B's x comes back
	if sum.SpansAdded != 1 || len(sum.Conflicts) != 1 || !strings.Contains(sum.Conflicts[0], "after our deletion") {
		t.Errorf("B into A: %+v", sum)
	}
	if sp, err := ab.s.Span(ab.ctx, x); err != nil || sp.Note != "kept on B" {
		t.Errorf("B into A: x %+v, %v", sp, err)
	}
	if tombstoneOf(t, ab.s, x) != 0 {
		t.Error("B into A: x is back and A's tombstone stays")
	}
	if da, db := ab.dump(), ba.dump(); da != db {
		t.Errorf("A+B and B+A differ:\n--- A+B\n%s\n--- B+A\n%s", da, db)
	}
	mergeChangesNothing(t, ba, a, "A into B again")
	mergeChangesNothing(t, ab, b, "B into A again")

	// On A, Undo takes the merge back (x deleted again), then A's own
	// deletion (x as it was before it).
	if e, ok, err := ab.s.Undo(ab.ctx, ana, doc); err != nil || !ok || e.Kind != EditDeleteSpan || e.SpanID != x {
		t.Fatalf("undo of the merge on A: %+v %v %v", e, ok, err)
	}
	if ab.has(x) || tombstoneOf(t, ab.s, x) == 0 {
		t.Errorf("after undoing the merge x should be deleted, with a tombstone")
	}
	if e, ok, err := ab.s.Undo(ab.ctx, ana, doc); err != nil || !ok || e.Kind != EditCreateSpan {
		t.Fatalf("undo of A's deletion: %+v %v %v", e, ok, err)
	}
	if sp, err := ab.s.Span(ab.ctx, x); err != nil || sp.Note != "" {
		t.Errorf("x before A's deletion: %+v, %v", sp, err)
	}
}

// TestMergeUndoBringsDeletedBack: a merge that deleted x is undone on B:
// x is back as it was, the same merge again leaves it, and A takes it back.
func TestMergeUndoBringsDeletedBack(t *testing.T) {
	a, b, doc, ana, x, _ := sharedPair(t)
	orig, err := b.s.Span(b.ctx, x)
	if err != nil {
		t.Fatal(err)
	}
	a.apply(Edit{Kind: EditDeleteSpan, DocumentID: doc, AnnotatorID: ana, SpanID: x})
	deleted := tombstoneOf(t, a.s, x)
	if sum := b.merge(a); sum.SpansDeleted != 1 || b.has(x) {
		t.Fatalf("the merge should delete x: %+v", sum)
	}
	e, ok, err := b.s.Undo(b.ctx, ana, doc)
	if err != nil || !ok || e.Kind != EditCreateSpan || e.SpanID != x {
		t.Fatalf("undo of the merge: %+v %v %v", e, ok, err)
	}
	back, err := b.s.Span(b.ctx, x)
	if err != nil || back != orig {
		t.Errorf("x after undoing the merge: %+v, %v; want %+v", back, err, orig)
	}
	if tombstoneOf(t, b.s, x) != 0 || b.revived(x) <= deleted {
		t.Errorf("x is back: tombstone %d, revived %d (deleted on A at %d)", tombstoneOf(t, b.s, x), b.revived(x), deleted)
	}
	// The return is later than A's deletion: merging A again keeps x, and
	// the deletion is in the history already.
	mergeChangesNothing(t, b, a, "A into B after the undo")
	if !b.has(x) {
		t.Fatal("merging A again deleted x again")
	}
	// A takes the return.
	if sum := a.merge(b); sum.SpansAdded != 1 || !a.has(x) || tombstoneOf(t, a.s, x) != 0 {
		t.Errorf("B into A: %+v, x there %v", sum, a.has(x))
	}
	if a.revived(x) != b.revived(x) {
		t.Errorf("revived: A %d, B %d", a.revived(x), b.revived(x))
	}
	if a.dump() != b.dump() {
		t.Errorf("A and B differ:\n--- A\n%s\n--- B\n%s", a.dump(), b.dump())
	}
	// Redo on B makes the merge's deletion again.
	if e, ok, err := b.s.Redo(b.ctx, ana, doc); err != nil || !ok || e.Kind != EditDeleteSpan || b.has(x) || tombstoneOf(t, b.s, x) == 0 {
		t.Errorf("redo of the merge: %+v %v %v, x there %v", e, ok, err, b.has(x))
	}
}

// TestUndoneDeletionBeatsTombstoneElsewhere: A deletes x (T1), B takes the
// deletion, A undoes it (T2 > T1): B takes x back. The same for the undo of
// a creation, which deletes.
func TestUndoneDeletionBeatsTombstoneElsewhere(t *testing.T) {
	a, b, doc, ana, x, _ := sharedPair(t)
	a.apply(Edit{Kind: EditDeleteSpan, DocumentID: doc, AnnotatorID: ana, SpanID: x})
	b.merge(a)
	if b.has(x) {
		t.Fatal("B still has x")
	}
	if _, ok, err := a.s.Undo(a.ctx, ana, doc); err != nil || !ok {
		t.Fatal(ok, err)
	}
	if sum := b.merge(a); sum.SpansAdded != 1 || !b.has(x) || tombstoneOf(t, b.s, x) != 0 {
		t.Errorf("A's undo should bring x back on B: %+v", sum)
	}
	mergeChangesNothing(t, a, b, "B into A")
	if a.dump() != b.dump() {
		t.Errorf("A and B differ:\n--- A\n%s\n--- B\n%s", a.dump(), b.dump())
	}

	z := a.create(doc, ana, a.label("Figure"), 13, 22)
	b.merge(a)
	if !b.has(z) {
		t.Fatal("B did not get z")
	}
	if e, ok, err := a.s.Undo(a.ctx, ana, doc); err != nil || !ok || e.Kind != EditDeleteSpan || e.SpanID != z {
		t.Fatal(e, ok, err)
	}
	if sum := b.merge(a); sum.SpansDeleted != 1 || b.has(z) {
		t.Errorf("undoing z's creation on A should delete it on B: %+v", sum)
	}
}

// TestMergeClockAhead: a tombstone from a machine whose clock is ahead
// still loses to an undo here: the return is marked later than it.
func TestMergeClockAhead(t *testing.T) {
	a, b, doc, ana, x, _ := sharedPair(t)
	a.apply(Edit{Kind: EditDeleteSpan, DocumentID: doc, AnnotatorID: ana, SpanID: x})
	future := now().UnixNano() + int64(3600e9)
	if _, err := a.s.db.Exec(`UPDATE tombstones SET deleted = ? WHERE span_id = ?`, future, x); err != nil {
		t.Fatal(err)
	}
	b.merge(a)
	if _, ok, err := b.s.Undo(b.ctx, ana, doc); err != nil || !ok {
		t.Fatal(ok, err)
	}
	if r := b.revived(x); r <= future {
		t.Errorf("revived %d, not later than the tombstone it ends (%d)", r, future)
	}
	mergeChangesNothing(t, b, a, "A into B after the undo")
	if !b.has(x) {
		t.Error("x deleted again")
	}
}

// TestMergeTombstonesKeepLaterAndTravel: both delete x, at different times:
// both keep the later. A lead who never had x passes the deletion on.
func TestMergeTombstonesKeepLaterAndTravel(t *testing.T) {
	a, b, doc, ana, x, y := sharedPair(t)
	c := newMDB(t, "c")
	c.merge(a) // cara's machine has x too
	a.apply(Edit{Kind: EditDeleteSpan, DocumentID: doc, AnnotatorID: ana, SpanID: x})
	b.apply(Edit{Kind: EditDeleteSpan, DocumentID: doc, AnnotatorID: ana, SpanID: x})
	later := tombstoneOf(t, b.s, x)
	if later <= tombstoneOf(t, a.s, x) {
		t.Fatal("B's deletion should be later")
	}
	ab, ba := a.copyOf("ab"), b.copyOf("ba")
	ab.merge(b)
	mergeChangesNothing(t, ba, a, "A into B")
	if tombstoneOf(t, ab.s, x) != later || tombstoneOf(t, ba.s, x) != later {
		t.Errorf("tombstones: A+B %d, B+A %d, want %d", tombstoneOf(t, ab.s, x), tombstoneOf(t, ba.s, x), later)
	}
	if ab.dump() != ba.dump() {
		t.Errorf("A+B and B+A differ:\n--- A+B\n%s\n--- B+A\n%s", ab.dump(), ba.dump())
	}
	mergeChangesNothing(t, ab, b, "B into A again")

	lead := newMDB(t, "lead")
	lead.merge(ab)
	if lead.has(x) || !lead.has(y) || tombstoneOf(t, lead.s, x) != later {
		t.Errorf("the lead: x %v, y %v, tombstone %d", lead.has(x), lead.has(y), tombstoneOf(t, lead.s, x))
	}
	if sum := c.merge(lead); sum.SpansDeleted != 1 || c.has(x) {
		t.Errorf("the lead's file should delete x on C: %+v", sum)
	}
}

// TestDeleteLabelLeavesTombstones: deleting a label deletes its spans with
// tombstones, so a colleague's file does not bring them back and the
// deletion travels; the label itself comes back, empty.
func TestDeleteLabelLeavesTombstones(t *testing.T) {
	a, b, doc, ana, x, y := sharedPair(t)
	fig := a.label("Quote") // not a default label: B gets it with its ID
	z := a.create(doc, ana, fig, 13, 22)
	b.merge(a)
	if n, err := a.s.DeleteLabel(a.ctx, fig); err != nil || n != 1 {
		t.Fatal(n, err)
	}
	if tombstoneOf(t, a.s, z) == 0 {
		t.Fatal("no tombstone for the label's span")
	}
	if sum := b.merge(a); sum.SpansDeleted != 1 || b.has(z) || !b.has(x) || !b.has(y) {
		t.Errorf("A into B: %+v; z there %v", sum, b.has(z))
	}
	if _, err := label(b.ctx, b.s.db, fig); err != nil {
		t.Errorf("B keeps the label: %v", err)
	}
	a.merge(b)
	if a.has(z) {
		t.Error("B into A brought the deleted label's span back")
	}
	if n, err := a.s.LabelUsage(a.ctx, fig); err != nil || n != 0 {
		t.Errorf("the label should come back to A empty: %d, %v", n, err)
	}
	if a.dump() != b.dump() {
		t.Errorf("A and B differ:\n--- A\n%s\n--- B\n%s", a.dump(), b.dump())
	}
}

// oldFile is a Gloss database at schema version k (< 3: no tombstones) made
// by the migrations of that version, holding ana's spans s1 [0,3) and
// s2 [4,12) of text1, in raw SQL of that version.
func oldFile(t *testing.T, k int) (path, s1, s2 string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "old.db")
	migrateTo(t, path, k)
	db, err := sql.Open("sqlite3", fileURI(path, dsnParams))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ann, set, lab, doc := newID(), newID(), newID(), newID()
	s1, s2 = newID(), newID()
	h := sha256.Sum256([]byte(text1))
	at := now().UnixNano()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO annotators (id, name, created) VALUES (?, 'ana', ?)`, []any{ann, at}},
		{`INSERT INTO label_sets (id, name) VALUES (?, 'Default')`, []any{set}},
		{`INSERT INTO labels (id, set_id, name, color, key, position) VALUES (?, ?, 'Claim', '#E69F00', '1', 1)`, []any{lab, set}},
		{`INSERT INTO documents (id, title, file_name, format, sha256, length, imported_at) VALUES (?, 'Old', '', 'txt', ?, ?, ?)`,
			[]any{doc, hex.EncodeToString(h[:]), runeLen(text1), at}},
		{`INSERT INTO document_texts (document_id, text) VALUES (?, ?)`, []any{doc, text1}},
		{`INSERT INTO spans (id, document_id, annotator_id, label_id, start, "end", text, note, created, updated) VALUES (?, ?, ?, ?, 0, 3, 'The', '', ?, ?)`,
			[]any{s1, doc, ann, lab, at, at}},
		{`INSERT INTO spans (id, document_id, annotator_id, label_id, start, "end", text, note, created, updated) VALUES (?, ?, ?, ?, 4, 12, 'minister', '', ?, ?)`,
			[]any{s2, doc, ann, lab, at, at}},
	} {
		if _, err := db.Exec(q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	return path, s1, s2
}

// TestMergeOlderSchemaFile: a file of schema version 1 or 2 merges as
// before: it has no tombstones and deletes nothing, and the deletions made
// here still hold against its spans.
func TestMergeOlderSchemaFile(t *testing.T) {
	for _, k := range []int{1, 2} {
		path, s1, s2 := oldFile(t, k)
		m := newMDB(t, "lead")
		sum, err := m.s.Merge(m.ctx, path)
		if err != nil {
			t.Fatalf("v%d: %v", k, err)
		}
		if sum.SpansAdded != 2 || sum.SpansDeleted != 0 || m.count("tombstones") != 0 {
			t.Errorf("v%d: %+v", k, sum)
		}
		ana := m.annOf(s1)
		mine := m.create(m.docOf(s1), ana, m.label("Figure"), 13, 22)
		m.apply(Edit{Kind: EditDeleteSpan, DocumentID: m.docOf(s1), AnnotatorID: ana, SpanID: s1})
		dump, counts := m.dump(), dbCounts(t, m.s)
		sum, err = m.s.Merge(m.ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if sum.SpansAdded != 0 || sum.SpansSkipped != 2 || len(sum.Conflicts) != 0 {
			t.Errorf("v%d again: %+v", k, sum)
		}
		if m.has(s1) || !m.has(s2) || !m.has(mine) {
			t.Errorf("v%d again: s1 %v (want deleted), s2 %v, ours %v", k, m.has(s1), m.has(s2), m.has(mine))
		}
		if m.dump() != dump || !sameCounts(counts, dbCounts(t, m.s)) {
			t.Errorf("v%d: merging the old file again changed the database", k)
		}
	}
}

// TestMergeDamagedTombstone: a file whose deletion names no span ID is
// refused, and nothing changes.
func TestMergeDamagedTombstone(t *testing.T) {
	a, b, doc, ana, _, _ := sharedPair(t)
	if _, err := a.s.db.Exec(`INSERT INTO tombstones (span_id, document_id, annotator_id, deleted) VALUES ('nope', ?, ?, 1)`, doc, ana); err != nil {
		t.Fatal(err)
	}
	dump, counts := b.dump(), dbCounts(t, b.s)
	if _, err := b.s.Merge(b.ctx, a.s.Path()); !errors.Is(err, ErrInvalidSpan) || !strings.Contains(err.Error(), "nope") {
		t.Errorf("merge: %v", err)
	}
	if b.dump() != dump || !sameCounts(counts, dbCounts(t, b.s)) {
		t.Error("the refused merge changed the database")
	}
}

// TestMergeDeletionBeatsEarlierChange: B changed x before A deleted it (or
// at the same nanosecond: a tie goes to the deletion). A into B deletes
// B's version, which Undo gives back; B into A does not take it.
func TestMergeDeletionBeatsEarlierChange(t *testing.T) {
	for _, tie := range []bool{false, true} {
		a, b, doc, ana, x, _ := sharedPair(t)
		b.apply(Edit{Kind: EditSetNote, DocumentID: doc, AnnotatorID: ana, SpanID: x, Note: "earlier on B"})
		a.apply(Edit{Kind: EditDeleteSpan, DocumentID: doc, AnnotatorID: ana, SpanID: x})
		deleted := tombstoneOf(t, a.s, x)
		if tie {
			if _, err := b.s.db.Exec(`UPDATE spans SET updated = ? WHERE id = ?`, deleted, x); err != nil {
				t.Fatal(err)
			}
		}
		mine, err := b.s.Span(b.ctx, x)
		if err != nil {
			t.Fatal(err)
		}
		ab, ba := a.copyOf("ab"), b.copyOf("ba")
		if sum := ba.merge(a); sum.SpansDeleted != 1 || ba.has(x) {
			t.Errorf("tie %v: A into B should delete x: %+v", tie, sum)
		}
		mergeChangesNothing(t, ab, b, "B into A")
		if ab.dump() != ba.dump() {
			t.Errorf("tie %v: A+B and B+A differ:\n--- A+B\n%s\n--- B+A\n%s", tie, ab.dump(), ba.dump())
		}
		if !tie { // the tie's updated was set behind the history's back
			if _, ok, err := ba.s.Undo(ba.ctx, ana, doc); err != nil || !ok {
				t.Fatal(ok, err)
			}
			if back, err := ba.s.Span(ba.ctx, x); err != nil || back != mine {
				t.Errorf("undo on B: %+v, %v; want B's %+v", back, err, mine)
			}
		}
	}
}
