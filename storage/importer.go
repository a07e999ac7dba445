package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/mattn/go-sqlite3"
)

// ImportOptions tune a streaming import.
type ImportOptions struct {
	// SetID is the label set that label names are looked up in (and new
	// labels made in). "" is the default set; when the database has none
	// yet, the import makes it, and at Commit adds the default labels
	// (Claim, Figure, Proposal) whose names and keys the import left free.
	SetID string
	// Strict refuses spans whose label the set does not have, instead of
	// creating the label.
	Strict bool
	// DefaultAnnotator is the name given to spans and statuses that name no
	// annotator. When it is "" such spans are refused.
	DefaultAnnotator string
}

// ImportSpan is one span of an ImportRecord. Offsets are code points into
// the record's text, end exclusive.
type ImportSpan struct {
	ID          string // optional UUID; a UUIDv7 is made when empty
	Annotator   string // name; "" for ImportOptions.DefaultAnnotator
	AnnotatorID string // optional; wins over Annotator when the database has it
	Label       string // name, matched ignoring case
	LabelID     string // optional; wins over Label when the set has it
	Start, End  int
	Text        string // optional: when given it must equal the covered text
	Note        string
	Created     time.Time // zero: the time of the import
	// Updated (zero: Created) decides between this span and a stored one
	// of the same ID: the stored one is updated only when this is after
	// it. A span given neither time is never newer, and is skipped.
	Updated time.Time
}

// ImportStatus is an annotator's status on the record's document.
type ImportStatus struct {
	Annotator   string
	AnnotatorID string
	Status      Status
	Updated     time.Time // zero: the time of the import
}

// ImportRecord is one document with what was made on it.
type ImportRecord struct {
	Doc        NewDocument
	ImportedAt time.Time // zero: the time of the import; kept only for a new document
	Spans      []ImportSpan
	Statuses   []ImportStatus
	// Annotators are made to exist even when they have no span here.
	Annotators []string
}

// ImportSummary says what an import did.
type ImportSummary struct {
	Documents         int // created
	DocumentsExisting int // already stored (same text), reused
	Spans             int // created
	SpansUpdated      int // same ID stored with an older Updated time
	SpansSkipped      int // already stored: same ID, or same document, annotator, label and extent
	Statuses          int // statuses written or changed
	LabelsCreated     []string
	Annotators        []string // every annotator the import named, by name
	AnnotatorsCreated []string
	// Skipped counts what the source held that could not be imported, by
	// kind ("brat relation": 3). The store leaves it empty; callers merge
	// their readers' counts into it.
	Skipped map[string]int
}

// ImportError is the error of Importer.Add: which record (1-based, in the
// order of Add calls) and, when it concerns one, which span or status
// (0-based index into the record's slices, else -1) was refused, and why.
type ImportError struct {
	Record int
	Span   int
	Status int
	Err    error
}

func (e *ImportError) Error() string {
	switch {
	case e.Span >= 0:
		return fmt.Sprintf("record %d, span %d: %v", e.Record, e.Span+1, e.Err)
	case e.Status >= 0:
		return fmt.Sprintf("record %d, status %d: %v", e.Record, e.Status+1, e.Err)
	}
	return fmt.Sprintf("record %d: %v", e.Record, e.Err)
}

func (e *ImportError) Unwrap() error { return e.Err }

// Importer writes records one at a time inside a single transaction, which
// holds the database's write lock until Commit or Rollback: the whole
// import is stored or nothing is. Memory stays flat whatever the number of
// records. Imports are not undo history entries. An Importer is not safe
// for concurrent use.
type Importer struct {
	s    *Store
	ctx  context.Context
	tx   *sql.Tx
	conn *sql.Conn
	opts ImportOptions
	err  error // sticky: the first failure; Commit then rolls back
	done bool

	n       int // records added
	lastDoc string
	started time.Time
	sum     ImportSummary

	setID      string
	setCreated bool
	labels     []Label          // of the set
	labelByID  map[string]Label // of the set
	labelByKey map[string]Label // lower-cased name
	labelIDs   map[string]bool  // every label ID in the database (IDs are global)

	annByID   map[string]string // id -> name
	annByName map[string]string // name -> id
	named     map[string]bool   // annotators the import named

	st importStmts

	// Reused from record to record.
	text docText
	seen map[extentKey]bool
}

type importStmts struct {
	docBySHA, insDoc, insText              *sql.Stmt
	spanByID, spanByExtent, insSpan, upSpn *sql.Stmt
	insAnn, insLabel                       *sql.Stmt
	statusIfNone, statusUpsert             *sql.Stmt
}

// BeginImport starts an import. Call Add for each record, then Commit, or
// Rollback to abandon it (Rollback after Commit is a no-op, so it may be
// deferred).
func (s *Store) BeginImport(ctx context.Context, opts ImportOptions) (*Importer, error) {
	opts.DefaultAnnotator = strings.TrimSpace(opts.DefaultAnnotator)
	if opts.DefaultAnnotator != "" {
		if reason := checkName(opts.DefaultAnnotator); reason != "" {
			return nil, fmt.Errorf("begin import: %w: %s", ErrInvalidAnnotator, reason)
		}
	}
	// A connection of its own, with a bigger page cache for the length of
	// the import: a large import's indexes then stay in memory instead of
	// being spilled and read back.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin import: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA cache_size = -65536`); err != nil { // 64 MiB
		conn.Close()
		return nil, fmt.Errorf("begin import: %w", err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		restoreCache(conn)
		return nil, fmt.Errorf("begin import: %w", err)
	}
	imp := &Importer{
		s: s, ctx: ctx, conn: conn, tx: tx, opts: opts, started: now(),
		labelByID: map[string]Label{}, labelByKey: map[string]Label{}, labelIDs: map[string]bool{},
		annByID: map[string]string{}, annByName: map[string]string{}, named: map[string]bool{},
		sum: ImportSummary{Skipped: map[string]int{}},
	}
	if err := imp.begin(); err != nil {
		imp.closeStmts()
		tx.Rollback()
		restoreCache(conn)
		return nil, fmt.Errorf("begin import: %w", err)
	}
	return imp, nil
}

// restoreCache gives the connection SQLite's default page cache (2 MB),
// which the store's connections have, and returns it to the pool.
func restoreCache(conn *sql.Conn) {
	conn.ExecContext(context.Background(), `PRAGMA cache_size = -2000`)
	conn.Close()
}

func (imp *Importer) begin() error {
	ctx, tx := imp.ctx, imp.tx
	// The label set.
	imp.setID = imp.opts.SetID
	if imp.setID == "" {
		err := tx.QueryRowContext(ctx, `SELECT id FROM label_sets WHERE name = ?`, DefaultLabelSetName).Scan(&imp.setID)
		if errors.Is(err, sql.ErrNoRows) {
			imp.setID = newID()
			imp.setCreated = true
			if _, err := tx.ExecContext(ctx, `INSERT INTO label_sets (id, name) VALUES (?, ?)`, imp.setID, DefaultLabelSetName); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
	} else if err := labelSetExists(ctx, tx, imp.setID); err != nil {
		return err
	}
	ls, err := labels(ctx, tx, imp.setID)
	if err != nil {
		return err
	}
	for _, l := range ls {
		imp.addLabel(l)
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM labels`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		imp.labelIDs[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// Annotators: few, so all of them.
	rows, err = tx.QueryContext(ctx, `SELECT id, name FROM annotators`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return err
		}
		imp.annByID[id], imp.annByName[name] = name, id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	prep := func(dst **sql.Stmt, q string) {
		if err != nil {
			return
		}
		*dst, err = tx.PrepareContext(ctx, q)
	}
	st := &imp.st
	prep(&st.docBySHA, `SELECT id FROM documents WHERE sha256 = ?`)
	prep(&st.insDoc, `INSERT INTO documents (id, title, file_name, format, sha256, length, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
	prep(&st.insText, `INSERT INTO document_texts (document_id, text) VALUES (?, ?)`)
	prep(&st.spanByID, `SELECT document_id, annotator_id, label_id, start, "end", note, created, updated FROM spans WHERE id = ?`)
	prep(&st.spanByExtent, `SELECT 1 FROM spans WHERE document_id = ? AND annotator_id = ? AND start = ? AND "end" = ? AND label_id = ?`)
	prep(&st.insSpan, `INSERT INTO spans (id, document_id, annotator_id, label_id, start, "end", text, note, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	prep(&st.upSpn, `UPDATE spans SET annotator_id = ?, label_id = ?, start = ?, "end" = ?, text = ?, note = ?, created = ?, updated = ? WHERE id = ?`)
	prep(&st.insAnn, `INSERT INTO annotators (id, name, created) VALUES (?, ?, ?)`)
	prep(&st.insLabel, `INSERT INTO labels (id, set_id, name, color, key, position) VALUES (?, ?, ?, ?, ?, ?)`)
	prep(&st.statusIfNone, `INSERT INTO document_status (document_id, annotator_id, status, updated) VALUES (?, ?, 'in_progress', ?) ON CONFLICT (document_id, annotator_id) DO NOTHING`)
	prep(&st.statusUpsert, `
		INSERT INTO document_status (document_id, annotator_id, status, updated) VALUES (?, ?, ?, ?)
		ON CONFLICT (document_id, annotator_id) DO UPDATE SET status = excluded.status, updated = excluded.updated
		WHERE excluded.updated > document_status.updated AND excluded.status <> document_status.status`)
	if err != nil {
		return err
	}
	if imp.setCreated && imp.opts.Strict {
		// A strict import into a new set knows the default labels.
		for _, d := range defaultLabels {
			if _, err := imp.createLabel(d.Name, ""); err != nil {
				return err
			}
		}
	}
	return nil
}

func (imp *Importer) closeStmts() {
	for _, st := range []*sql.Stmt{imp.st.docBySHA, imp.st.insDoc, imp.st.insText,
		imp.st.spanByID, imp.st.spanByExtent, imp.st.insSpan, imp.st.upSpn, imp.st.insAnn,
		imp.st.insLabel, imp.st.statusIfNone, imp.st.statusUpsert} {
		if st != nil {
			st.Close()
		}
	}
}

func (imp *Importer) addLabel(l Label) {
	imp.labels = append(imp.labels, l)
	imp.labelByID[l.ID] = l
	imp.labelByKey[strings.ToLower(l.Name)] = l
	imp.labelIDs[l.ID] = true
}

// Add writes one record. A refused record is an *ImportError; after it the
// import can only be rolled back (Commit returns the same error).
func (imp *Importer) Add(rec ImportRecord) error {
	if imp.err != nil {
		return imp.err
	}
	if imp.done {
		return errors.New("import: already committed or rolled back")
	}
	imp.n++
	if err := imp.ctx.Err(); err != nil {
		imp.err = err
		return err
	}
	if err := imp.add(&rec); err != nil {
		var ie *ImportError
		if !errors.As(err, &ie) {
			err = &ImportError{Record: imp.n, Span: -1, Status: -1, Err: err}
		}
		imp.err = err
		return err
	}
	return nil
}

func (imp *Importer) recErr(span, status int, err error) error {
	return &ImportError{Record: imp.n, Span: span, Status: status, Err: err}
}

// docText answers code point questions about one record's text: its length
// and the text of [start, end). It walks the text with a cursor that moves
// forward or back from the last position asked about, so spans in order
// (the usual case) cost one pass over the text, without a table.
type docText struct {
	s      string
	ascii  bool
	n      int // length in code points
	cp, by int // the cursor: code point cp starts at byte by
}

func newDocText(s string) *docText {
	return (&docText{}).reset(s)
}

// reset makes t describe s.
func (t *docText) reset(s string) *docText {
	t.s, t.ascii, t.cp, t.by = s, true, 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			t.ascii = false
			break
		}
	}
	if t.ascii {
		t.n = len(s)
	} else {
		t.n = utf8.RuneCountInString(s)
	}
	return t
}

func (t *docText) len() int { return t.n }

// byteAt is the byte offset of code point cp (0 <= cp <= len).
func (t *docText) byteAt(cp int) int {
	if t.ascii {
		return cp
	}
	if cp < t.cp-cp { // nearer the start than the cursor
		t.cp, t.by = 0, 0
	}
	for t.cp < cp {
		_, size := utf8.DecodeRuneInString(t.s[t.by:])
		t.by += size
		t.cp++
	}
	for t.cp > cp {
		_, size := utf8.DecodeLastRuneInString(t.s[:t.by])
		t.by -= size
		t.cp--
	}
	return t.by
}

// slice is the code points [start, end), 0 <= start <= end <= len.
func (t *docText) slice(start, end int) string {
	if t.ascii {
		return t.s[start:end]
	}
	from := t.byteAt(start)
	return t.s[from:t.byteAt(end)]
}

type extentKey struct {
	ann, label string
	start, end int
}

func (imp *Importer) add(rec *ImportRecord) error {
	ctx, st := imp.ctx, &imp.st
	nd := rec.Doc
	if err := checkNewDocument(nd); err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(nd.Text))
	sha := hex.EncodeToString(sum[:])
	text := imp.text.reset(nd.Text)

	// Insert first: a new text is the common case, and the unique indexes on
	// id and sha256 turn a stored one into "no row inserted", after which it
	// is looked up.
	docID := nd.ID
	if docID == "" {
		docID = newID()
	}
	at := rec.ImportedAt
	if at.IsZero() {
		at = imp.started
	}
	created := false
	res, err := st.insDoc.ExecContext(ctx, docID, makeTitle(nd), nd.FileName, nd.Format, sha, text.len(), at.UnixNano())
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 1 {
		if _, err := st.insText.ExecContext(ctx, docID, nd.Text); err != nil {
			return err
		}
		created = true
		imp.sum.Documents++
	} else {
		err := st.docBySHA.QueryRowContext(ctx, sha).Scan(&docID)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: document id %s is taken by a document with another text", ErrConflict, docID)
		}
		if err != nil {
			return err
		}
		imp.sum.DocumentsExisting++
	}

	imp.lastDoc = docID

	for _, name := range rec.Annotators {
		if _, err := imp.annotator(name, ""); err != nil {
			return err
		}
	}

	// Annotators who got a span here and have no status given: they are
	// in progress, as after Apply, unless they already have a status.
	var working map[string]bool
	var statusGiven map[string]bool
	var seen map[extentKey]bool
	if created && len(rec.Spans) > 0 {
		if imp.seen == nil || len(imp.seen) > 1024 { // not a big map to clear each time
			imp.seen = map[extentKey]bool{}
		}
		seen = imp.seen
		clear(seen)
	}
	for i := range rec.Spans {
		sp := &rec.Spans[i]
		annID, err := imp.annotator(sp.Annotator, sp.AnnotatorID)
		if err != nil {
			return imp.recErr(i, -1, err)
		}
		l, err := imp.label(sp.Label, sp.LabelID)
		if err != nil {
			return imp.recErr(i, -1, err)
		}
		if err := checkExtent(sp.Start, sp.End, text.len()); err != nil {
			return imp.recErr(i, -1, err)
		}
		covered := text.slice(sp.Start, sp.End)
		if sp.Text != "" && sp.Text != covered {
			return imp.recErr(i, -1, fmt.Errorf("%w: text %q does not match the document's code points [%d, %d), which are %q",
				ErrInvalidSpan, sp.Text, sp.Start, sp.End, covered))
		}
		if !utf8.ValidString(sp.Note) {
			return imp.recErr(i, -1, fmt.Errorf("%w: note is not valid UTF-8", ErrInvalidSpan))
		}
		id := sp.ID
		if id != "" {
			if _, err := uuid.Parse(id); err != nil {
				return imp.recErr(i, -1, fmt.Errorf("%w: span id %q is not a UUID", ErrInvalidSpan, id))
			}
		}
		createdAt, updatedAt := sp.Created, sp.Updated
		if createdAt.IsZero() {
			createdAt = imp.started
		}
		if updatedAt.IsZero() {
			updatedAt = createdAt
		}
		key := extentKey{annID, l.ID, sp.Start, sp.End}
		added := false
		if created {
			// A new document: no stored span can be on it, so only this
			// record's own repeats are duplicates.
			if seen[key] {
				imp.sum.SpansSkipped++
				continue
			}
			seen[key] = true
			if id == "" {
				id = newID()
			}
			_, err := st.insSpan.ExecContext(ctx, id, docID, annID, l.ID, sp.Start, sp.End, covered, sp.Note, createdAt.UnixNano(), updatedAt.UnixNano())
			if err != nil {
				var se sqlite3.Error
				if errors.As(err, &se) && se.Code == sqlite3.ErrConstraint {
					return imp.recErr(i, -1, fmt.Errorf("%w: span id %s is already used by another span", ErrConflict, id))
				}
				return err
			}
			added = true
		} else {
			var cur struct {
				doc, ann, label  string
				start, end       int
				note             string
				created, updated int64
			}
			found := false
			if id != "" {
				err := st.spanByID.QueryRowContext(ctx, id).Scan(&cur.doc, &cur.ann, &cur.label, &cur.start, &cur.end, &cur.note, &cur.created, &cur.updated)
				if err == nil {
					found = true
				} else if !errors.Is(err, sql.ErrNoRows) {
					return err
				}
			}
			if found {
				if cur.doc != docID {
					return imp.recErr(i, -1, fmt.Errorf("%w: span id %s belongs to another document", ErrConflict, id))
				}
				same := cur.ann == annID && cur.label == l.ID && cur.start == sp.Start && cur.end == sp.End &&
					cur.note == sp.Note && cur.created == createdAt.UnixNano() && cur.updated == updatedAt.UnixNano()
				// A span the file gives no time for (a Label Studio task
				// Gloss wrote) is no newer than the stored one.
				untimed := sp.Created.IsZero() && sp.Updated.IsZero()
				if same || untimed || updatedAt.UnixNano() <= cur.updated {
					imp.sum.SpansSkipped++
					continue
				}
				_, err := st.upSpn.ExecContext(ctx, annID, l.ID, sp.Start, sp.End, covered, sp.Note, createdAt.UnixNano(), updatedAt.UnixNano(), id)
				if err != nil {
					var se sqlite3.Error
					if errors.As(err, &se) && se.Code == sqlite3.ErrConstraint {
						return imp.recErr(i, -1, fmt.Errorf("%w: updating span %s would repeat another span with the same label and extent", ErrConflict, id))
					}
					return err
				}
				imp.sum.SpansUpdated++
				continue
			}
			var one int
			err := st.spanByExtent.QueryRowContext(ctx, docID, annID, sp.Start, sp.End, l.ID).Scan(&one)
			if err == nil {
				imp.sum.SpansSkipped++
				continue
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if id == "" {
				id = newID()
			}
			_, err = st.insSpan.ExecContext(ctx, id, docID, annID, l.ID, sp.Start, sp.End, covered, sp.Note, createdAt.UnixNano(), updatedAt.UnixNano())
			if err != nil {
				var se sqlite3.Error
				if errors.As(err, &se) && se.Code == sqlite3.ErrConstraint {
					return imp.recErr(i, -1, fmt.Errorf("%w: span id %s is already used by another span", ErrConflict, id))
				}
				return err
			}
			added = true
		}
		if added {
			imp.sum.Spans++
			if working == nil {
				working = map[string]bool{}
			}
			working[annID] = true
		}
	}

	for i, rs := range rec.Statuses {
		annID, err := imp.annotator(rs.Annotator, rs.AnnotatorID)
		if err != nil {
			return imp.recErr(-1, i, err)
		}
		if !validStatus(rs.Status) {
			return imp.recErr(-1, i, fmt.Errorf("%w: unknown status %q", ErrInvalidEdit, rs.Status))
		}
		if statusGiven == nil {
			statusGiven = map[string]bool{}
		}
		statusGiven[annID] = true
		at := rs.Updated
		if at.IsZero() {
			at = imp.started
		}
		res, err := st.statusUpsert.ExecContext(ctx, docID, annID, rs.Status, at.UnixNano())
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err == nil && n > 0 {
			imp.sum.Statuses++
		}
	}
	for annID := range working {
		if statusGiven[annID] {
			continue
		}
		if _, err := st.statusIfNone.ExecContext(ctx, docID, annID, imp.started.UnixNano()); err != nil {
			return err
		}
	}
	return nil
}

// annotator resolves an annotator by ID (when stored) or name, creating it
// by name (with the given ID when that is a free UUID).
func (imp *Importer) annotator(name, id string) (string, error) {
	if id != "" {
		if n, ok := imp.annByID[id]; ok {
			imp.name(n)
			return id, nil
		}
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = imp.opts.DefaultAnnotator
	}
	if name == "" {
		if id != "" {
			return "", fmt.Errorf("%w: annotator id %s is unknown and no name is given", ErrInvalidAnnotator, id)
		}
		return "", fmt.Errorf("%w: no annotator is named and the import has no default annotator", ErrInvalidAnnotator)
	}
	if got, ok := imp.annByName[name]; ok {
		imp.name(name)
		return got, nil
	}
	if reason := checkName(name); reason != "" {
		return "", fmt.Errorf("%w: %q: %s", ErrInvalidAnnotator, name, reason)
	}
	if _, err := uuid.Parse(id); id == "" || err != nil {
		id = newID()
	}
	if _, err := imp.st.insAnn.ExecContext(imp.ctx, id, name, imp.started.UnixNano()); err != nil {
		return "", err
	}
	imp.annByID[id], imp.annByName[name] = name, id
	imp.sum.AnnotatorsCreated = append(imp.sum.AnnotatorsCreated, name)
	imp.name(name)
	return id, nil
}

func (imp *Importer) name(n string) {
	if !imp.named[n] {
		imp.named[n] = true
		imp.sum.Annotators = append(imp.sum.Annotators, n)
	}
}

// label resolves a label of the import's set by ID or name (ignoring case),
// creating it like EnsureLabel unless the import is strict. A label named
// like a default label (Claim, Figure, Proposal) gets that label's colour and
// key when they are free.
func (imp *Importer) label(name, id string) (Label, error) {
	if id != "" {
		if l, ok := imp.labelByID[id]; ok {
			return l, nil
		}
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return Label{}, fmt.Errorf("%w: the span has no label", ErrInvalidLabel)
	}
	if l, ok := imp.labelByKey[strings.ToLower(name)]; ok {
		return l, nil
	}
	if imp.opts.Strict {
		return Label{}, fmt.Errorf("%w: unknown label %q (strict import: create it first, or import without strict)", ErrInvalidLabel, name)
	}
	l, err := imp.createLabel(name, id)
	if err != nil {
		return Label{}, err
	}
	imp.sum.LabelsCreated = append(imp.sum.LabelsCreated, l.Name)
	return l, nil
}

// createLabel adds a label to the import's set with EnsureLabel's choice of
// colour and key, preferring a default label's own when name is one.
func (imp *Importer) createLabel(name, id string) (Label, error) {
	l := Label{ID: id, SetID: imp.setID, Name: name}
	if _, err := uuid.Parse(l.ID); l.ID == "" || err != nil || imp.labelIDs[l.ID] {
		l.ID = newID()
	}
	usedColor := map[string]bool{}
	usedKey := map[string]bool{}
	for _, o := range imp.labels {
		usedColor[strings.ToUpper(o.Color)] = true
		usedKey[strings.ToLower(o.Key)] = true
		l.Position = max(l.Position, o.Position)
	}
	l.Position++
	for _, d := range defaultLabels {
		if strings.EqualFold(d.Name, name) {
			if !usedColor[d.Color] {
				l.Color = d.Color
			}
			if !usedKey[d.Key] {
				l.Key = d.Key
			}
		}
	}
	if l.Color == "" {
		l.Color = palette[len(imp.labels)%len(palette)]
		for _, c := range palette {
			if !usedColor[c] {
				l.Color = c
				break
			}
		}
	}
	if l.Key == "" {
		for k := '1'; k <= '9'; k++ {
			if !usedKey[string(k)] {
				l.Key = string(k)
				break
			}
		}
	}
	if err := checkLabel(l, imp.labels); err != nil {
		return Label{}, fmt.Errorf("label %q: %w", name, err)
	}
	if _, err := imp.st.insLabel.ExecContext(imp.ctx, l.ID, l.SetID, l.Name, l.Color, l.Key, l.Position); err != nil {
		return Label{}, err
	}
	imp.addLabel(l)
	return l, nil
}

// Commit stores everything added and returns the summary. After a failed
// Add it rolls back and returns that failure.
func (imp *Importer) Commit() (ImportSummary, error) {
	if imp.done {
		return ImportSummary{}, errors.New("import: already committed or rolled back")
	}
	if imp.err != nil {
		imp.Rollback()
		return ImportSummary{}, imp.err
	}
	if imp.setCreated {
		// A new default set: complete it with the default labels the import
		// did not bring, where their names and keys are free.
		for _, d := range defaultLabels {
			if _, ok := imp.labelByKey[strings.ToLower(d.Name)]; ok {
				continue
			}
			if _, err := imp.createLabel(d.Name, ""); err != nil {
				imp.Rollback()
				return ImportSummary{}, fmt.Errorf("import: %w", err)
			}
		}
	}
	imp.closeStmts()
	imp.done = true
	err := imp.tx.Commit()
	if err != nil {
		imp.tx.Rollback()
	}
	restoreCache(imp.conn)
	if err != nil {
		return ImportSummary{}, fmt.Errorf("import: commit: %w", err)
	}
	slices.Sort(imp.sum.Annotators)
	slices.Sort(imp.sum.AnnotatorsCreated)
	return imp.sum, nil
}

// Rollback abandons the import; the database is as it was before
// BeginImport. It is a no-op after Commit or a previous Rollback.
func (imp *Importer) Rollback() {
	if imp.done {
		return
	}
	imp.done = true
	imp.closeStmts()
	imp.tx.Rollback()
	restoreCache(imp.conn)
}

// LastDocumentID is the ID of the document of the last record added
// (created or found), "" before the first.
func (imp *Importer) LastDocumentID() string { return imp.lastDoc }

// Records returns how many records have been added.
func (imp *Importer) Records() int { return imp.n }
