package storage

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"
)

// EditMergeSpan is the kind of the history records that Merge writes when a
// span with the same ID differs between the two files, when a span that
// this database had deleted comes back, and when the other file's deletion
// of a span deletes it here or loses to a later change here. Its payload is
// a change like the others (before/after, so Undo reverts it and Redo makes
// it again) plus "other": the version from the merged file, or
// "other_deleted": when the merged file deleted the span, so that the losing
// version stays in the history even when this database's version won.
const EditMergeSpan EditKind = "merge_span"

// ErrNotGloss is Merge's refusal of a file that is not a Gloss database.
var ErrNotGloss = errors.New("not a Gloss database")

// MergeSummary says what Merge did.
type MergeSummary struct {
	DocumentsAdded   int // documents whose text was new here
	DocumentsMatched int // documents whose text (SHA-256) was here already
	SpansAdded       int
	SpansUpdated     int // same span ID, the other file's version was later
	SpansDeleted     int // deleted in the other file and not changed here since
	SpansSkipped     int // identical, this version was later, or a duplicate
	StatusesUpdated  int // statuses added or replaced by a later one
	AnnotatorsAdded  int
	LabelsAdded      int
	// Relations: added (both ends here), updated (a later retype there),
	// deleted (there, not changed here since), skipped (here already,
	// deleted here later, an end missing, or a repeat).
	RelationsAdded, RelationsUpdated, RelationsDeleted, RelationsSkipped int
	RelationTypesAdded                                                   int
	AttributesMerged                                                     int      // values added or replaced by later ones
	Conflicts                                                            []string // short descriptions of the differences resolved
	// On a team server an analyst's merge writes their own layer (a
	// lead's, also gold): the other layers' spans in the file are left
	// out, LeftOut of them, of the annotators named in LeftOutOf.
	LeftOut   int
	LeftOutOf []string
}

// maxConflicts caps MergeSummary.Conflicts; a last line counts the rest.
const maxConflicts = 200

// mergeChange is the payload of a merge_span history record: change's
// fields (which Undo reads) and the merged file's version of the span.
type mergeChange struct {
	change
	Other *spanState `json:"other,omitempty"`
	// OtherDeleted is when the merged file deleted the span (Unix ns): its
	// tombstone, which deleted ours (before set, after nil) or lost to a
	// later change here (before = after).
	OtherDeleted int64  `json:"other_deleted,omitempty"`
	Merge        bool   `json:"merge,omitempty"` // a set_status record written by Merge
	File         string `json:"file,omitempty"`
}

// Merge merges the Gloss database at otherPath into this one, in one
// transaction: all of it or, on any error, nothing. The other file is
// attached read-only and never written.
//
//   - Documents are matched by the SHA-256 of their text; a new document
//     keeps its ID unless that ID is taken here (then it gets a new one).
//     A matched document keeps this database's ID, title and file name.
//   - Annotators are matched by ID, else by name (names are unique here: two
//     people with the same name on two machines become one annotator); new
//     ones are added with their ID.
//   - Labels are matched by ID, else by name (ignoring case) within the
//     default set; new ones are added to the default set (their key only
//     when it is free).
//   - Spans are matched by ID. A new span is added. When both files have a
//     span with the same ID and different content, the later Updated wins
//     (on a tie, the greater label name, then note); the change is written
//     to the span's annotator's history of that document as a merge_span
//     record holding both versions. A new span that this database's history
//     knows but that has no tombstone here (it was deleted before this
//     database had tombstones) comes back, also with a record, so that
//     the local undo history stays consistent. A new span with the same
//     annotator, label and extent as an existing one is skipped.
//   - Deletions: a span deleted (by an edit, undo, a merge or the deletion
//     of its label) leaves a tombstone, its ID and when it went. The other
//     file's tombstone deletes our span of that ID when the span was not
//     updated or revived after the deletion (Updated and revived <= the
//     deletion), with a merge_span record so that Undo brings the span
//     back; else ours is kept, with a record of the conflict. Their span
//     of an ID that we hold a tombstone of is not taken unless it was
//     updated or revived after our deletion; then it is, with a record,
//     and our tombstone goes. Tombstones on both sides keep the later time;
//     theirs that we lack are copied, so that deletions travel on. A file
//     of schema version 2 or older has no tombstones: its spans are weighed
//     against ours, as above, and it deletes nothing.
//   - Statuses: the later Updated wins (on a tie, the further status).
//   - The other file's undo history is not merged.
//
// Merging the same file twice changes nothing the second time. A file that
// is not a Gloss database, or one made by a newer Gloss, is refused with
// ErrNotGloss or ErrNewerSchema.
func (s *Store) Merge(ctx context.Context, otherPath string) (MergeSummary, error) {
	sum, err := s.merge(ctx, otherPath)
	if err != nil {
		if s.server != nil {
			err = forbidden(err)
		}
		return MergeSummary{}, fmt.Errorf("merge %s: %w", otherPath, err)
	}
	return sum, nil
}

func (s *Store) merge(ctx context.Context, otherPath string) (sum MergeSummary, err error) {
	abs, err := filepath.Abs(otherPath)
	if err != nil {
		return sum, err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return sum, err
	}
	if fi.IsDir() {
		return sum, fmt.Errorf("%w: it is a directory", ErrNotGloss)
	}
	if err := s.refuseOwnFile(abs); err != nil {
		return sum, fmt.Errorf("cannot merge a database into itself: %v", err)
	}

	// The other file is attached as "other": to this database on SQLite,
	// to an empty one in memory when this store is on a server (which
	// then gets the rows it joins with its own, see mergeOnServer).
	db := s.db
	if s.server != nil {
		if db, err = sql.Open("sqlite3", ":memory:"); err != nil {
			return sum, err
		}
		defer db.Close()
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return sum, err
	}
	attached := false
	defer func() {
		clean := !attached
		if attached {
			_, derr := conn.ExecContext(context.Background(), `DETACH DATABASE other`)
			clean = derr == nil
		}
		if !clean {
			// Don't hand a connection with the file still attached back
			// to the pool: close it.
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}()
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS other`, fileURI(abs, "mode=ro")); err != nil {
		return sum, notGloss(err)
	}
	attached = true
	tombstones, relations, err := checkOther(ctx, conn)
	if err != nil {
		return sum, err
	}
	m := &merger{s: s, ctx: ctx, sum: &sum, file: filepath.Base(abs), tombstones: tombstones, relations: relations}
	if s.server != nil {
		err = m.onServer(conn)
	} else {
		err = m.onSQLite(conn)
	}
	if err != nil {
		return MergeSummary{}, err
	}
	if n := m.conflicts - maxConflicts; n > 0 {
		sum.Conflicts = append(sum.Conflicts, fmt.Sprintf("… and %d more", n))
	}
	return sum, nil
}

// onSQLite runs the merge in one transaction of conn, to which the other
// file is attached.
func (m *merger) onSQLite(conn *sql.Conn) error {
	tx, err := conn.BeginTx(m.ctx, nil)
	if err != nil {
		return err
	}
	m.tx, m.otx = tx, tx
	if err := m.run(); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

func notGloss(err error) error {
	if strings.Contains(err.Error(), "not a database") {
		return fmt.Errorf("%w: %v", ErrNotGloss, err)
	}
	return err
}

// mergeTables are the tables (and their columns) that Merge reads from the
// other file; they are those of schema version 1, which later versions keep.
var mergeTables = map[string][]string{
	"annotators":      {"id", "name", "created"},
	"label_sets":      {"id", "name"},
	"labels":          {"id", "set_id", "name", "color", "key", "position"},
	"documents":       {"seq", "id", "title", "file_name", "format", "sha256", "length", "imported_at"},
	"document_texts":  {"document_id", "text"},
	"spans":           {"id", "document_id", "annotator_id", "label_id", "start", "end", "text", "note", "created", "updated"},
	"document_status": {"document_id", "annotator_id", "status", "updated"},
}

// tombstoneTables are the tables and columns that Merge also reads from a
// file of schema version 3 or later: its deletions.
var tombstoneTables = map[string][]string{
	"spans":      {"revived"},
	"tombstones": {"span_id", "document_id", "annotator_id", "deleted"},
}

// checkOther refuses an attached file that is not a Gloss database or is
// newer than this program. tombstones reports whether it has deletions to
// merge (schema version 3 or later).
func checkOther(ctx context.Context, conn *sql.Conn) (tombstones, relations bool, err error) {
	var v int
	if err := conn.QueryRowContext(ctx, `PRAGMA other.user_version`).Scan(&v); err != nil {
		return false, false, notGloss(err)
	}
	if v > len(migrations) {
		return false, false, fmt.Errorf("%w: its schema version is %d, this Gloss knows up to %d", ErrNewerSchema, v, len(migrations))
	}
	if err := checkColumns(ctx, conn, mergeTables); err != nil {
		return false, false, err
	}
	if v < 1 {
		return false, false, fmt.Errorf("%w: it has no schema version", ErrNotGloss)
	}
	if v < 3 {
		return false, false, nil
	}
	if err := checkColumns(ctx, conn, tombstoneTables); err != nil {
		return false, false, err
	}
	if v < 6 {
		return true, false, nil
	}
	return true, true, checkColumns(ctx, conn, relationTables)
}

// checkColumns refuses an attached file that lacks one of tables' columns.
func checkColumns(ctx context.Context, conn *sql.Conn, tables map[string][]string) error {
	for table, cols := range tables {
		rows, err := conn.QueryContext(ctx, `SELECT name FROM pragma_table_info(?, 'other')`, table)
		if err != nil {
			return notGloss(err)
		}
		have := map[string]bool{}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return err
			}
			have[c] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return notGloss(err)
		}
		for _, c := range cols {
			if !have[c] {
				if len(have) == 0 {
					return fmt.Errorf("%w: it has no table %s", ErrNotGloss, table)
				}
				return fmt.Errorf("%w: its table %s has no column %s", ErrNotGloss, table, c)
			}
		}
	}
	return nil
}

// merger is one Merge in progress.
type merger struct {
	s   *Store
	ctx context.Context
	// tx writes this database; otx reads the other file alone (tx itself
	// on SQLite, where the file is attached to this database).
	tx, otx *sql.Tx
	// server: this database is a server's (see mergeOnServer), whose SQL
	// m.q translates.
	server    bool
	conn      *sql.Conn         // the server connection of tx, for COPY
	leftOut   map[string]string // the other file's annotators whose layers this role may not write: ID -> name
	sum       *MergeSummary
	file      string
	conflicts int
	// tombstones: the other file has deletions (schema version 3 or later).
	tombstones bool
	// relations: it has relations and attributes (version 6 or later).
	relations bool
	relTypes  map[string]string // other's relation type ID -> ours

	docs       map[string]string // other's document ID -> ours
	docTitles  map[string]string // our document ID -> title, for messages
	annotators map[string]string // other's annotator ID -> ours
	labels     map[string]string // other's label ID -> ours
	labelNames map[string]string // our label ID -> name
}

func (m *merger) conflict(format string, args ...any) {
	m.conflicts++
	if m.conflicts <= maxConflicts {
		m.sum.Conflicts = append(m.sum.Conflicts, fmt.Sprintf(format, args...))
	}
}

func (m *merger) run() error {
	steps := []func() error{
		m.checkSpans, m.checkTombstones, m.mergeAnnotators, m.mergeLabels, m.mergeDocuments,
		m.writeMaps, m.tellLeftOut, m.mergeTombstones, m.mergeSpans, m.mergeRevived, m.mergeRelations, m.mergeStatuses, m.dropMaps,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// checkSpans refuses a file whose spans don't fit their documents, with
// checkSpan's errors, as Apply and the importer would refuse them. SQL picks
// the suspects, so that the good spans never travel to Go: a bad extent,
// text or reference, a note (checkSpan decides whether it is UTF-8) and an
// ID that is not 36 characters long (checkSpan decides whether it is a
// UUID; a GLOB of the whole form made merging 100,000 spans 6 % slower).
func (m *merger) checkSpans() error {
	rows, err := m.otx.QueryContext(m.ctx, `
		SELECT s.id, s.start, s."end", s.text, s.note, coalesce(d.length, 0),
			CASE WHEN s.start >= 0 AND s."end" > s.start AND s."end" <= d.length
				THEN substr(t.text, s.start + 1, s."end" - s.start) END,
			d.id IS NOT NULL AND t.document_id IS NOT NULL
				AND EXISTS (SELECT 1 FROM other.annotators a WHERE a.id = s.annotator_id)
				AND EXISTS (SELECT 1 FROM other.labels l WHERE l.id = s.label_id)
		FROM other.spans s
		LEFT JOIN other.documents d ON d.id = s.document_id
		LEFT JOIN other.document_texts t ON t.document_id = s.document_id
		WHERE d.id IS NULL OR t.document_id IS NULL
			OR s.start < 0 OR s."end" <= s.start OR s."end" > d.length
			OR substr(t.text, s.start + 1, s."end" - s.start) <> s.text
			OR NOT EXISTS (SELECT 1 FROM other.annotators a WHERE a.id = s.annotator_id)
			OR NOT EXISTS (SELECT 1 FROM other.labels l WHERE l.id = s.label_id)
			OR s.note <> ''
			OR length(s.id) <> 36`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		sp := spanFields{checkText: true}
		var doc sqlExtent
		var covered sql.NullString
		var fits bool
		if err := rows.Scan(&sp.id, &sp.start, &sp.end, &sp.text, &sp.note, &doc.length, &covered, &fits); err != nil {
			return err
		}
		if !fits {
			return fmt.Errorf("%w: its span %s [%d, %d) does not fit its document, annotator or label (damaged file?)", ErrInvalidSpan, sp.id, sp.start, sp.end)
		}
		doc.covered = covered.String
		if _, err := checkSpan(sp, doc); err != nil {
			return fmt.Errorf("its span %s: %w (damaged file?)", sp.id, err)
		}
	}
	return rows.Err()
}

// sqlExtent is a document of the other file for checkSpan: its length and
// the text of the one extent asked about, cut out in SQL.
type sqlExtent struct {
	length  int
	covered string
}

func (d sqlExtent) len() int { return d.length }

func (d sqlExtent) slice(int, int) string { return d.covered }

// checkTombstones refuses a file whose deletions name no span ID, or a
// document or annotator that the file does not have.
func (m *merger) checkTombstones() error {
	if !m.tombstones {
		return nil
	}
	var id string
	err := m.otx.QueryRowContext(m.ctx, `
		SELECT t.span_id FROM other.tombstones t
		WHERE length(t.span_id) <> 36 OR t.deleted <= 0
			OR NOT EXISTS (SELECT 1 FROM other.documents d WHERE d.id = t.document_id)
			OR NOT EXISTS (SELECT 1 FROM other.annotators a WHERE a.id = t.annotator_id)
		LIMIT 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("%w: its deletion of span %q names no span, time, document or annotator of its own (damaged file?)", ErrInvalidSpan, id)
}

func (m *merger) mergeAnnotators() error {
	type ann struct {
		id, name string
		created  int64
	}
	rows, err := m.otx.QueryContext(m.ctx, `SELECT id, name, created FROM other.annotators ORDER BY created, id`)
	if err != nil {
		return err
	}
	var theirs []ann
	for rows.Next() {
		var a ann
		if err := rows.Scan(&a.id, &a.name, &a.created); err != nil {
			rows.Close()
			return err
		}
		theirs = append(theirs, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	ours, err := loadNames(m.ctx, m.tx, m.q("main.annotators"))
	if err != nil {
		return err
	}
	byName := map[string]string{}
	for id, name := range ours {
		byName[name] = id
	}
	m.annotators = map[string]string{}
	// On a server an analyst's role writes their own layer (a lead's, also
	// the gold layer): the file's other layers are left out, told in the
	// summary, rather than refused by the server.
	mayWrite := func(id string) bool {
		me, lead, ok := m.s.ServerRole()
		return !ok || me.ID == "" || id == me.ID || lead && IsGold(ours[id])
	}
	leftOut := map[string]string{}
	for _, a := range theirs {
		id, ok := a.id, false
		if _, ok = ours[a.id]; !ok {
			id, ok = byName[a.name]
		}
		if ok && !mayWrite(id) || !ok && !mayWrite("") {
			leftOut[a.id] = a.name
			continue
		}
		if ok {
			m.annotators[a.id] = id
			continue
		}
		if reason := checkName(a.name); reason != "" {
			return fmt.Errorf("%w: annotator %q: %s", ErrInvalidAnnotator, a.name, reason)
		}
		if _, err := m.tx.ExecContext(m.ctx, m.q(`INSERT INTO main.annotators (id, name, created) VALUES (?, ?, ?)`),
			a.id, a.name, a.created); err != nil {
			return fmt.Errorf("annotator %q: %w", a.name, err)
		}
		ours[a.id], byName[a.name] = a.name, a.id
		m.annotators[a.id] = a.id
		m.sum.AnnotatorsAdded++
	}
	m.leftOut = leftOut
	return nil
}

// tellLeftOut counts the other file's spans that were left out, as this
// role may not write their layers (see mergeAnnotators), and whose: those
// that would have changed something.
func (m *merger) tellLeftOut() error {
	if len(m.leftOut) == 0 {
		return nil
	}
	// Not counted: spans the server has as they are or changed since, or
	// deleted since (a copy's stale layers of colleagues).
	rows, err := m.tx.QueryContext(m.ctx, m.q(`
		SELECT o.annotator_id, count(*) FROM other.spans o
		WHERE NOT EXISTS (SELECT 1 FROM temp.merge_annotators a WHERE a.other_id = o.annotator_id)
			AND NOT EXISTS (SELECT 1 FROM main.spans s WHERE s.id = o.id AND s.updated >= o.updated)
			AND NOT EXISTS (SELECT 1 FROM main.tombstones t WHERE t.span_id = o.id AND t.deleted >= o.updated)
		GROUP BY o.annotator_id`))
	if err != nil {
		return err
	}
	defer rows.Close()
	var names []string
	total := 0
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		names = append(names, m.leftOut[id])
		total += n
	}
	if err := rows.Err(); err != nil || total == 0 {
		return err
	}
	slices.Sort(names)
	m.sum.LeftOut, m.sum.LeftOutOf = total, names
	return nil
}

func (m *merger) mergeLabels() error {
	setID, _, err := ensureDefaultSet(m.ctx, m.tx)
	if err != nil {
		return err
	}
	ours, err := labels(m.ctx, m.tx, setID)
	if err != nil {
		return err
	}
	all, err := loadNames(m.ctx, m.tx, m.q("main.labels")) // every label of ours, any set
	if err != nil {
		return err
	}
	rows, err := m.otx.QueryContext(m.ctx, `
		SELECT l.id, l.name, l.color, l.key
		FROM other.labels l LEFT JOIN other.label_sets s ON s.id = l.set_id
		ORDER BY s.name <> ?, s.name, l.position, l.name`, DefaultLabelSetName)
	if err != nil {
		return err
	}
	var theirs []Label
	for rows.Next() {
		var l Label
		if err := rows.Scan(&l.ID, &l.Name, &l.Color, &l.Key); err != nil {
			rows.Close()
			return err
		}
		theirs = append(theirs, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	m.labels = map[string]string{}
	m.labelNames = all
next:
	for _, l := range theirs {
		if _, ok := all[l.ID]; ok {
			m.labels[l.ID] = l.ID
			continue
		}
		for _, o := range ours {
			if strings.EqualFold(o.Name, strings.TrimSpace(l.Name)) {
				m.labels[l.ID] = o.ID
				continue next
			}
		}
		nl := Label{ID: l.ID, SetID: setID, Name: strings.TrimSpace(l.Name), Color: l.Color, Key: l.Key}
		if !validColor(nl.Color) {
			nl.Color = palette[len(ours)%len(palette)]
		}
		for _, o := range ours {
			if nl.Key != "" && strings.EqualFold(o.Key, nl.Key) {
				nl.Key = ""
			}
			nl.Position = max(nl.Position, o.Position)
		}
		nl.Position++
		if err := checkLabel(nl, ours); err != nil {
			return fmt.Errorf("label %q: %w", l.Name, err)
		}
		if err := insertLabel(m.ctx, m.tx, nl); err != nil {
			return fmt.Errorf("label %q: %w", l.Name, err)
		}
		ours = append(ours, nl)
		all[nl.ID] = nl.Name
		m.labels[l.ID] = nl.ID
		m.sum.LabelsAdded++
	}
	return nil
}

// otherDoc is one of the other file's documents: its ID, checksum and
// length, and ours (the matching document's ID, "" for a new one).
type otherDoc struct {
	id, sha, ourID string
	length         int
}

func (m *merger) mergeDocuments() error {
	type doc = otherDoc
	rows, err := m.tx.QueryContext(m.ctx, m.q(`
		SELECT o.id, o.sha256, o.length, coalesce(d.id, '')
		FROM other.documents o LEFT JOIN main.documents d ON d.sha256 = o.sha256
		ORDER BY o.seq`))
	if err != nil {
		return err
	}
	var docs []doc
	for rows.Next() {
		var d doc
		if err := rows.Scan(&d.id, &d.sha, &d.length, &d.ourID); err != nil {
			rows.Close()
			return err
		}
		docs = append(docs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	m.docs = make(map[string]string, len(docs))
	var added []doc
	for _, d := range docs {
		if d.ourID != "" {
			m.docs[d.id] = d.ourID
			m.sum.DocumentsMatched++
		} else {
			added = append(added, d)
		}
	}
	if len(added) == 0 {
		return nil
	}
	if m.server {
		return m.copyDocuments(added)
	}
	read, err := m.otx.PrepareContext(m.ctx, `
		SELECT o.title, o.file_name, o.format, o.imported_at, t.text
		FROM other.documents o JOIN other.document_texts t ON t.document_id = o.id
		WHERE o.id = ?`)
	if err != nil {
		return err
	}
	defer read.Close()
	taken, err := m.tx.PrepareContext(m.ctx, m.q(`SELECT 1 FROM main.documents WHERE id = ?`))
	if err != nil {
		return err
	}
	defer taken.Close()
	insDoc, err := m.tx.PrepareContext(m.ctx, m.q(`
		INSERT INTO main.documents (id, title, file_name, format, sha256, length, imported_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`))
	if err != nil {
		return err
	}
	defer insDoc.Close()
	insText, err := m.tx.PrepareContext(m.ctx, m.q(`INSERT INTO main.document_texts (document_id, text) VALUES (?, ?)`))
	if err != nil {
		return err
	}
	defer insText.Close()
	for _, d := range added {
		var title, fileName, format, text string
		var importedAt int64
		if err := read.QueryRowContext(m.ctx, d.id).Scan(&title, &fileName, &format, &importedAt, &text); err != nil {
			return fmt.Errorf("document %s: %w", d.id, err)
		}
		h := sha256.Sum256([]byte(text))
		if hex.EncodeToString(h[:]) != d.sha || !utf8.ValidString(text) || runeLen(text) != d.length {
			return fmt.Errorf("%w: document %s (%q): its text does not match its checksum or length (damaged file?)", ErrInvalidDocument, d.id, title)
		}
		id := d.id
		var one int
		err := taken.QueryRowContext(m.ctx, id).Scan(&one)
		if err == nil {
			id = newID()
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := insDoc.ExecContext(m.ctx, id, title, fileName, format, d.sha, d.length, importedAt); err != nil {
			return fmt.Errorf("document %s (%q): %w", d.id, title, err)
		}
		if _, err := insText.ExecContext(m.ctx, id, text); err != nil {
			return fmt.Errorf("document %s (%q): %w", d.id, title, err)
		}
		m.docs[d.id] = id
		m.sum.DocumentsAdded++
	}
	return nil
}

// writeMaps puts the ID maps into temporary tables for the set-based steps,
// and with them the other file's deletions (their IDs mapped to ours) and
// its revived spans: both empty for a file of schema version 2 or older,
// so that the same queries serve every version.
func (m *merger) writeMaps() error {
	for _, t := range []struct {
		name string
		ids  map[string]string
	}{{"merge_docs", m.docs}, {"merge_annotators", m.annotators}, {"merge_labels", m.labels}} {
		if err := m.idMap(t.name, t.ids); err != nil {
			return err
		}
	}
	if !m.server {
		for _, q := range []string{
			`DROP TABLE IF EXISTS temp.merge_tombstones`,
			`CREATE TEMP TABLE merge_tombstones (span_id TEXT PRIMARY KEY, document_id TEXT NOT NULL,
			annotator_id TEXT NOT NULL, deleted INTEGER NOT NULL) WITHOUT ROWID`,
			`DROP TABLE IF EXISTS temp.merge_revived`,
			`CREATE TEMP TABLE merge_revived (span_id TEXT PRIMARY KEY, revived INTEGER NOT NULL) WITHOUT ROWID`,
		} {
			if _, err := m.tx.ExecContext(m.ctx, q); err != nil {
				return err
			}
		}
	}
	if !m.tombstones {
		return nil
	}
	// A tombstone beside a span of the same ID (which Gloss never leaves)
	// is left out: the span counts.
	for _, q := range []string{
		`INSERT INTO temp.merge_tombstones (span_id, document_id, annotator_id, deleted)
		SELECT t.span_id, d.our_id, a.our_id, t.deleted
		FROM other.tombstones t
		JOIN temp.merge_docs d ON d.other_id = t.document_id
		JOIN temp.merge_annotators a ON a.other_id = t.annotator_id
		WHERE NOT EXISTS (SELECT 1 FROM other.spans s WHERE s.id = t.span_id)`,
		`INSERT INTO temp.merge_revived (span_id, revived) SELECT id, revived FROM other.spans WHERE revived > 0`,
	} {
		if _, err := m.tx.ExecContext(m.ctx, m.q(q)); err != nil {
			return err
		}
	}
	return nil
}

// dropMaps drops the temporary tables (on a server: empties its merge
// tables, the other file's rows with them).
func (m *merger) dropMaps() error {
	if m.server {
		_, err := m.tx.ExecContext(m.ctx, `TRUNCATE `+serverMergeTables)
		return err
	}
	for _, t := range []string{"merge_docs", "merge_annotators", "merge_labels", "merge_tombstones", "merge_revived"} {
		if _, err := m.tx.ExecContext(m.ctx, `DROP TABLE temp.`+t); err != nil {
			return err
		}
	}
	return nil
}

// otherSpans selects the other file's spans with their IDs mapped to ours.
const otherSpans = `
	SELECT o.id, d.our_id AS document_id, a.our_id AS annotator_id, l.our_id AS label_id,
		o.start, o."end", o.text, o.note, o.created, o.updated
	FROM other.spans o
	JOIN temp.merge_docs d ON d.other_id = o.document_id
	JOIN temp.merge_annotators a ON a.other_id = o.annotator_id
	JOIN temp.merge_labels l ON l.other_id = o.label_id`

// mergeTombstones weighs the other file's deletions against this
// database's spans of the same IDs (see Merge), then keeps every deletion
// of theirs that this database has no span for, at the later time where
// both files have one.
func (m *merger) mergeTombstones() error {
	if !m.tombstones {
		return nil
	}
	rows, err := m.tx.QueryContext(m.ctx, m.q(`
		SELECT t.span_id, t.document_id, t.annotator_id, t.deleted, s.revived
		FROM temp.merge_tombstones t JOIN main.spans s ON s.id = t.span_id`))
	if err != nil {
		return err
	}
	type item struct {
		id, doc, ann     string
		deleted, revived int64
	}
	var items []item
	for rows.Next() {
		var it item
		if err := rows.Scan(&it.id, &it.doc, &it.ann, &it.deleted, &it.revived); err != nil {
			rows.Close()
			return err
		}
		items = append(items, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, it := range items {
		if err := m.deleteOne(it.id, it.doc, it.ann, it.deleted, it.revived); err != nil {
			return fmt.Errorf("span %s: %w", it.id, err)
		}
	}
	_, err = m.tx.ExecContext(m.ctx, m.q(`
		INSERT INTO main.tombstones (span_id, document_id, annotator_id, deleted)
		SELECT t.span_id, t.document_id, t.annotator_id, t.deleted FROM temp.merge_tombstones t
		WHERE NOT EXISTS (SELECT 1 FROM main.spans s WHERE s.id = t.span_id)
		ON CONFLICT (span_id) DO UPDATE SET deleted = excluded.deleted WHERE excluded.deleted > tombstones.deleted`))
	return err
}

// deleteOne settles the other file's deletion (at time deleted) of span id,
// which this database has (revived at time revived, 0 for never).
func (m *merger) deleteOne(id, doc, ann string, deleted, revived int64) error {
	cur, err := m.s.spanState(m.ctx, m.tx, id)
	if err != nil || cur == nil {
		return err
	}
	where := fmt.Sprintf("span %s (%q in %q)", id, clipText(cur.Text), m.title(cur.DocumentID))
	if cur.DocumentID != doc || cur.AnnotatorID != ann {
		m.conflict("%s: their deletion names another document or annotator; kept ours", where)
		return nil
	}
	if max(cur.Updated, revived) <= deleted {
		// Its relations go with it, recorded so that Undo brings them back.
		c := change{Before: cur}
		if err := m.s.takeDependents(m.ctx, m.tx, &c, id); err != nil {
			return err
		}
		if err := m.s.deleteSpan(m.ctx, m.tx, cur, deleted); err != nil {
			return err
		}
		m.sum.SpansDeleted++
		return m.record(cur.AnnotatorID, cur.DocumentID, id, EditMergeSpan,
			mergeChange{change: c, OtherDeleted: deleted, File: m.file})
	}
	// Ours was changed (or brought back) after their deletion: it wins.
	// Keep the deletion in the history, once.
	known, err := m.knownMerge(id, func(mc *mergeChange) bool { return mc.OtherDeleted == deleted })
	if err != nil || known {
		return err
	}
	m.conflict("%s: kept ours (%s), changed after their deletion", where, m.labelNames[cur.LabelID])
	return m.record(cur.AnnotatorID, cur.DocumentID, id, EditMergeSpan,
		mergeChange{change: change{Before: cur, After: cur}, OtherDeleted: deleted, File: m.file})
}

// theirTime is, in the queries of mergeSpans, the time of the latest change
// of the other file's span o: its Updated, or when it was revived.
func theirTime(server bool) string {
	return greatest(server, `o.updated`, `coalesce((SELECT r.revived FROM temp.merge_revived r WHERE r.span_id = o.id), 0)`)
}

func (m *merger) mergeSpans() error {
	// 1. Spans on both sides that differ, and new spans that need care:
	// this database's history knows them (they were deleted here) or they
	// duplicate another span. These go one by one, but for those that this
	// database holds a tombstone of (tomb), which step 2 settles.
	rows, err := m.tx.QueryContext(m.ctx, m.q(`
		WITH o AS (`+otherSpans+`)
		SELECT o.id, o.document_id, o.annotator_id, o.label_id, o.start, o."end", o.text, o.note, o.created, o.updated,
			s.id IS NOT NULL, EXISTS (SELECT 1 FROM main.tombstones t WHERE t.span_id = o.id)
		FROM o LEFT JOIN main.spans s ON s.id = o.id
		WHERE (s.id IS NOT NULL AND NOT (s.document_id = o.document_id AND s.annotator_id = o.annotator_id
				AND s.label_id = o.label_id AND s.start = o.start AND s."end" = o."end" AND s.text = o.text
				AND s.note = o.note AND s.created = o.created AND s.updated = o.updated))
			OR (s.id IS NULL AND (
				EXISTS (SELECT 1 FROM main.edits e WHERE e.span_id = o.id)
				OR EXISTS (SELECT 1 FROM main.spans x WHERE x.document_id = o.document_id
					AND x.annotator_id = o.annotator_id AND x.start = o.start AND x."end" = o."end"
					AND x.label_id = o.label_id)))`))
	if err != nil {
		return err
	}
	type item struct {
		theirs        spanState
		exists, later bool
	}
	var items []item
	var inGo int // new spans handled one by one, tombstoned ones aside
	for rows.Next() {
		var it item
		o := &it.theirs
		var tomb bool
		if err := rows.Scan(&o.ID, &o.DocumentID, &o.AnnotatorID, &o.LabelID, &o.Start, &o.End,
			&o.Text, &o.Note, &o.Created, &o.Updated, &it.exists, &tomb); err != nil {
			rows.Close()
			return err
		}
		if !it.exists && tomb {
			continue // step 2's
		}
		if !it.exists {
			inGo++
		}
		items = append(items, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	// 2. Their spans that this database deleted (driven by our tombstones,
	// so that a merge pays nothing for them when there are none): taken
	// back when changed after our deletion, else not taken.
	rows, err = m.tx.QueryContext(m.ctx, m.q(`
		SELECT o.id, d.our_id, a.our_id, l.our_id, o.start, o."end", o.text, o.note, o.created, o.updated,
			`+theirTime(m.server)+` > t.deleted
		FROM main.tombstones t CROSS JOIN other.spans o
		JOIN temp.merge_docs d ON d.other_id = o.document_id
		JOIN temp.merge_annotators a ON a.other_id = o.annotator_id
		JOIN temp.merge_labels l ON l.other_id = o.label_id
		WHERE o.id = t.span_id AND NOT EXISTS (SELECT 1 FROM main.spans s WHERE s.id = t.span_id)`))
	if err != nil {
		return err
	}
	var buried, tombed int // not taken (deleted here, not changed there since); all of step 2's
	for rows.Next() {
		var it item
		o := &it.theirs
		if err := rows.Scan(&o.ID, &o.DocumentID, &o.AnnotatorID, &o.LabelID, &o.Start, &o.End,
			&o.Text, &o.Note, &o.Created, &o.Updated, &it.later); err != nil {
			rows.Close()
			return err
		}
		tombed++
		if it.later {
			items = append(items, it)
			inGo++
		} else {
			buried++
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	m.sum.SpansSkipped += buried

	var candidates int // new spans, less those handled above
	if err := m.tx.QueryRowContext(m.ctx, m.q(`
		WITH o AS (`+otherSpans+`)
		SELECT count(*) FROM o WHERE NOT EXISTS (SELECT 1 FROM main.spans s WHERE s.id = o.id)`)).Scan(&candidates); err != nil {
		return err
	}
	candidates -= inGo + buried
	for _, it := range items {
		var err error
		if it.exists {
			err = m.resolve(&it.theirs)
		} else {
			err = m.addOne(&it.theirs, it.later)
		}
		if err != nil {
			return fmt.Errorf("span %s: %w", it.theirs.ID, err)
		}
	}

	// 2. Identical spans.
	var identical int
	if err := m.tx.QueryRowContext(m.ctx, m.q(`
		WITH o AS (`+otherSpans+`)
		SELECT count(*) FROM o JOIN main.spans s ON s.id = o.id
		WHERE s.document_id = o.document_id AND s.annotator_id = o.annotator_id
			AND s.label_id = o.label_id AND s.start = o.start AND s."end" = o."end" AND s.text = o.text
			AND s.note = o.note AND s.created = o.created AND s.updated = o.updated`)).Scan(&identical); err != nil {
		return err
	}
	m.sum.SpansSkipped += identical

	// 3. The other new spans, set-based. ON CONFLICT DO NOTHING leaves out a
	// span that duplicates another new one (two of the other file's labels
	// that became one here). Those of step 2 stay out; when there are none,
	// the query does not look for them.
	insert := insertNewSpans + `ON CONFLICT DO NOTHING`
	if tombed > 0 {
		insert = insertNewSpans + `AND NOT EXISTS (SELECT 1 FROM main.tombstones t WHERE t.span_id = o.id)
		ON CONFLICT DO NOTHING`
	}
	res, err := m.tx.ExecContext(m.ctx, m.q(insert))
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	m.sum.SpansAdded += int(n)
	if dup := candidates - int(n); dup > 0 {
		m.sum.SpansSkipped += dup
		m.conflict("%d spans duplicated another span of theirs (same annotator, label and extent): one kept", dup)
	}
	return nil
}

// insertNewSpans inserts the other file's spans that this database has not.
const insertNewSpans = `
	INSERT INTO main.spans (id, document_id, annotator_id, label_id, start, "end", text, note, created, updated)
	SELECT o.id, d.our_id, a.our_id, l.our_id, o.start, o."end", o.text, o.note, o.created, o.updated
	FROM other.spans o
	JOIN temp.merge_docs d ON d.other_id = o.document_id
	JOIN temp.merge_annotators a ON a.other_id = o.annotator_id
	JOIN temp.merge_labels l ON l.other_id = o.label_id
	WHERE NOT EXISTS (SELECT 1 FROM main.spans s WHERE s.id = o.id)
	`

// mergeRevived keeps, for every span on both sides, the later of the two
// times it was revived.
func (m *merger) mergeRevived() error {
	if !m.tombstones {
		return nil
	}
	// Driven by their (few) revived spans, not by our spans.
	_, err := m.tx.ExecContext(m.ctx, m.q(`
		UPDATE main.spans SET revived = (SELECT r.revived FROM temp.merge_revived r WHERE r.span_id = main.spans.id)
		WHERE id IN (SELECT r.span_id FROM temp.merge_revived r JOIN main.spans s ON s.id = r.span_id
			WHERE r.revived > s.revived)`))
	return err
}

// addOne adds a new span that needs care (see mergeSpans); revives: this
// database deleted it, before the other file's last change of it.
func (m *merger) addOne(o *spanState, revives bool) error {
	var dupID string
	err := m.tx.QueryRowContext(m.ctx, m.q(`
		SELECT id FROM main.spans
		WHERE document_id = ? AND annotator_id = ? AND start = ? AND "end" = ? AND label_id = ?`),
		o.DocumentID, o.AnnotatorID, o.Start, o.End, o.LabelID).Scan(&dupID)
	if err == nil {
		m.sum.SpansSkipped++
		m.conflict("span %s (%s %q in %q) duplicates span %s, which was kept", o.ID, m.labelNames[o.LabelID],
			clipText(o.Text), m.title(o.DocumentID), dupID)
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if err := m.s.insertSpan(m.ctx, m.tx, o); err != nil { // its tombstone goes (spans_alive)
		return err
	}
	m.sum.SpansAdded++
	if revives {
		m.conflict("span %s (%s %q in %q): took theirs, changed after our deletion", o.ID, m.labelNames[o.LabelID],
			clipText(o.Text), m.title(o.DocumentID))
	}
	// This database deleted the span. Record its return so that undo
	// (which would bring it back) stays consistent and takes it back.
	return m.record(o.AnnotatorID, o.DocumentID, o.ID, EditMergeSpan, mergeChange{change: change{After: o}, Other: o, File: m.file})
}

// resolve settles a span that both sides have with different content.
func (m *merger) resolve(o *spanState) error {
	cur, err := m.s.spanState(m.ctx, m.tx, o.ID)
	if err != nil {
		return err
	}
	where := fmt.Sprintf("span %s (%q in %q)", o.ID, clipText(cur.Text), m.title(cur.DocumentID))
	if cur.DocumentID != o.DocumentID || cur.AnnotatorID != o.AnnotatorID || cur.Start != o.Start ||
		cur.End != o.End || cur.Text != o.Text {
		m.sum.SpansSkipped++
		m.conflict("%s: theirs has another document, annotator or extent; kept ours", where)
		return nil
	}
	if m.later(o, cur) {
		// Theirs wins. Created is the span's birth and never differs in
		// practice; keep ours so that Undo (which restores label, note and
		// Updated) gives back exactly what was here.
		o.Created = cur.Created
		var dupID string
		err := m.tx.QueryRowContext(m.ctx, m.q(`
			SELECT id FROM main.spans
			WHERE document_id = ? AND annotator_id = ? AND start = ? AND "end" = ? AND label_id = ? AND id <> ?`),
			o.DocumentID, o.AnnotatorID, o.Start, o.End, o.LabelID, o.ID).Scan(&dupID)
		if err == nil {
			m.sum.SpansSkipped++
			m.conflict("%s: their later version (%s) duplicates span %s; kept ours", where, m.labelNames[o.LabelID], dupID)
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := m.tx.ExecContext(m.ctx, m.q(`UPDATE main.spans SET label_id = ?, note = ?, updated = ? WHERE id = ?`),
			o.LabelID, o.Note, o.Updated, o.ID); err != nil {
			return err
		}
		m.sum.SpansUpdated++
		m.conflict("%s: took theirs (%s), later than ours (%s)", where, m.describe(o, cur), m.describe(cur, o))
		return m.record(o.AnnotatorID, o.DocumentID, o.ID, EditMergeSpan, mergeChange{change: change{Before: cur, After: o}, Other: o, File: m.file})
	}
	// Ours wins; keep theirs in the history, once.
	m.sum.SpansSkipped++
	known, err := m.knownMerge(o.ID, func(mc *mergeChange) bool { return mc.Other != nil && *mc.Other == *o })
	if err != nil || known {
		return err
	}
	m.conflict("%s: kept ours (%s), later than theirs (%s)", where, m.describe(cur, o), m.describe(o, cur))
	return m.record(o.AnnotatorID, o.DocumentID, o.ID, EditMergeSpan, mergeChange{change: change{Before: cur, After: cur}, Other: o, File: m.file})
}

// later reports whether version a of a span wins over version b: the later
// Updated, on a tie the greater label name (ignoring case), then note.
func (m *merger) later(a, b *spanState) bool {
	if c := cmp.Compare(a.Updated, b.Updated); c != 0 {
		return c > 0
	}
	if c := cmp.Compare(strings.ToLower(m.labelNames[a.LabelID]), strings.ToLower(m.labelNames[b.LabelID])); c != 0 {
		return c > 0
	}
	return a.Note > b.Note
}

// describe says how version a differs from b, briefly.
func (m *merger) describe(a, b *spanState) string {
	var parts []string
	if a.LabelID != b.LabelID {
		parts = append(parts, m.labelNames[a.LabelID])
	}
	if a.Note != b.Note {
		parts = append(parts, fmt.Sprintf("note %q", clipText(a.Note)))
	}
	if len(parts) == 0 {
		parts = append(parts, "times only")
	}
	return strings.Join(parts, ", ")
}

// knownMerge reports whether the history already holds a merge record of
// span id that is (so that merging the same file again adds nothing): one
// that keeps the losing version, or one of the other file's deletion.
func (m *merger) knownMerge(id string, is func(*mergeChange) bool) (bool, error) {
	rows, err := m.tx.QueryContext(m.ctx, m.q(`SELECT payload FROM main.edits WHERE span_id = ? AND kind = ?`), id, EditMergeSpan)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	for rows.Next() {
		var payload string
		if err := rows.Scan(&payload); err != nil {
			return false, err
		}
		var mc mergeChange
		if json.Unmarshal([]byte(payload), &mc) == nil && is(&mc) {
			return true, nil
		}
	}
	return false, rows.Err()
}

// record appends a merge record (kind merge_span or set_status) to
// annotatorID's history of docID, like every new edit.
func (m *merger) record(annotatorID, docID, spanID string, kind EditKind, c mergeChange) error {
	return m.s.appendHistory(m.ctx, m.tx, annotatorID, docID, kind, spanID, c)
}

func (m *merger) title(docID string) string {
	if m.docTitles == nil {
		m.docTitles = map[string]string{}
	}
	if t, ok := m.docTitles[docID]; ok {
		return t
	}
	var t string
	if err := m.tx.QueryRowContext(m.ctx, m.q(`SELECT title FROM main.documents WHERE id = ?`), docID).Scan(&t); err != nil {
		t = docID
	}
	t = clipText(t)
	m.docTitles[docID] = t
	return t
}

// mergeStatuses takes each of the other file's statuses that is later than
// ours (on a tie, the further one). When the annotator's history of that
// document has status edits, the change is recorded as one more (a
// set_status record marked "merge"), so that undoing them stays consistent.
func (m *merger) mergeStatuses() error {
	rows, err := m.tx.QueryContext(m.ctx, m.q(`
		SELECT d.our_id, a.our_id, o.status, o.updated, coalesce(s.status, ''), coalesce(s.updated, 0),
			EXISTS (SELECT 1 FROM main.edits e WHERE e.annotator_id = a.our_id AND e.document_id = d.our_id
				AND e.kind = 'set_status')
		FROM other.document_status o
		JOIN temp.merge_docs d ON d.other_id = o.document_id
		JOIN temp.merge_annotators a ON a.other_id = o.annotator_id
		LEFT JOIN main.document_status s ON s.document_id = d.our_id AND s.annotator_id = a.our_id`))
	if err != nil {
		return fmt.Errorf("statuses: %w", err)
	}
	type row struct {
		doc, ann         string
		theirs, ours     Status
		theirsAt, oursAt int64
		history          bool
	}
	var todo []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.doc, &r.ann, &r.theirs, &r.theirsAt, &r.ours, &r.oursAt, &r.history); err != nil {
			rows.Close()
			return err
		}
		if !r.theirs.Valid() {
			rows.Close()
			return fmt.Errorf("%w: unknown status %q", ErrInvalidEdit, r.theirs)
		}
		if r.ours == "" || r.theirsAt > r.oursAt || (r.theirsAt == r.oursAt && statusRank(r.theirs) > statusRank(r.ours)) {
			todo = append(todo, r)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	writes := make([]statusRow, len(todo))
	for i, r := range todo {
		writes[i] = statusRow{r.doc, r.ann, r.theirs, r.theirsAt}
	}
	if err := m.writeStatuses(writes); err != nil {
		return fmt.Errorf("statuses: %w", err)
	}
	for _, r := range todo {
		m.sum.StatusesUpdated++
		before := r.ours
		if before == "" {
			before = StatusTodo
		}
		if r.history && before != r.theirs {
			c := mergeChange{change: change{StatusBefore: before, StatusAfter: r.theirs}, Merge: true, File: m.file}
			if err := m.record(r.ann, r.doc, "", EditSetStatus, c); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeStatuses writes the merged statuses: on a server one statement a
// few thousand rows (upsertStatuses), on SQLite one prepared insert a row.
func (m *merger) writeStatuses(rows []statusRow) error {
	if m.server {
		for len(rows) > 0 {
			n := min(len(rows), statusBatch)
			if err := m.upsertStatuses(rows[:n]); err != nil {
				return err
			}
			rows = rows[n:]
		}
		return nil
	}
	up, err := m.tx.PrepareContext(m.ctx, `
		INSERT INTO main.document_status (document_id, annotator_id, status, updated) VALUES (?, ?, ?, ?)
		ON CONFLICT (document_id, annotator_id) DO UPDATE SET status = excluded.status, updated = excluded.updated`)
	if err != nil {
		return err
	}
	defer up.Close()
	for _, r := range rows {
		if _, err := up.ExecContext(m.ctx, r.Doc, r.Ann, r.Status, r.Updated); err != nil {
			return err
		}
	}
	return nil
}

func clipText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return s
}
