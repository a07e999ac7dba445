package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
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
	// Attrs are its attribute values by attribute name; an attribute the
	// set lacks is made (a choice when the value is a word, else text).
	Attrs []ImportAttr
}

// ImportAttr is one attribute value of an imported span or relation.
type ImportAttr struct{ Name, Value string }

// ImportRelation is one relation of an ImportRecord: From and To are
// indexes into the record's Spans, which must be of one annotator.
type ImportRelation struct {
	ID       string // optional UUID
	Type     string // name, matched ignoring case; made when missing
	TypeID   string // optional; wins over Type when the set has it
	From, To int
	// Symmetric: a type made for it is symmetric (brat's equivalences).
	Symmetric bool
	Created   time.Time // zero: the time of the import
	Updated   time.Time // zero: Created
	Attrs     []ImportAttr
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
	// Suggestions are predictions made elsewhere (a Label Studio file's
	// predictions, a Gloss JSONL file's suggestions): stored as
	// suggestions, never as spans.
	Suggestions []ImportSuggestion
	// Relations link two of Spans each.
	Relations []ImportRelation
}

// ImportSuggestion is one suggestion of an ImportRecord. Offsets are code
// points into the record's text.
type ImportSuggestion struct {
	ID                     string    // optional UUID, kept (a suggestion Gloss wrote comes back as it was)
	Created                time.Time // zero: the time of the import
	Annotator, AnnotatorID string    // whose layer; "" for ImportOptions.DefaultAnnotator
	Label, LabelID         string
	Start, End             int
	Text                   string // optional: when given it must equal the covered text
	Score                  float64
	Source                 string // "" for "import"
	Rule, ModelVersion     string
}

// ImportSummary says what an import did.
type ImportSummary struct {
	Documents         int // created
	DocumentsExisting int // already stored (same text), reused
	Spans             int // created
	SpansUpdated      int // same ID stored with an older Updated time
	SpansSkipped      int // already stored: same ID, or same document, annotator, label and extent
	Statuses          int // statuses written or changed
	Suggestions       int // suggestions stored (predictions made elsewhere)
	Relations         int // relations created
	RelationsSkipped  int // already stored (same ID, or same ends and type)
	Attributes        int // attribute values written
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
	Record     int
	Span       int
	Status     int
	Suggestion int // -1 when the fault is not a suggestion's
	// Relation is the 1-based relation concerned, 0 when none.
	Relation int
	Err      error
}

func (e *ImportError) Error() string {
	switch {
	case e.Relation > 0:
		return fmt.Sprintf("record %d, relation %d: %v", e.Record, e.Relation, e.Err)
	case e.Suggestion >= 0:
		return fmt.Sprintf("record %d, suggestion %d: %v", e.Record, e.Suggestion+1, e.Err)
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
	seen map[extentKey]string
	ids  []importedSpan // each span of the record as stored

	relTypes map[string]RelationType // by ID and lower-cased name, read when first needed
	attrs    map[string]Attribute    // by lower-cased name
}

type importStmts struct {
	docBySHA, insDoc, insText              *sql.Stmt
	spanByID, spanByExtent, insSpan, upSpn *sql.Stmt
	insAnn, insLabel                       *sql.Stmt
	startWork, statusUpsert                *sql.Stmt
	insSuggestion                          *sql.Stmt
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
	if s.server == nil {
		if _, err := conn.ExecContext(ctx, `PRAGMA cache_size = -65536`); err != nil { // 64 MiB
			conn.Close()
			return nil, fmt.Errorf("begin import: %w", err)
		}
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		s.restoreCache(conn)
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
		s.restoreCache(conn)
		return nil, fmt.Errorf("begin import: %w", err)
	}
	return imp, nil
}

// restoreCache gives the connection SQLite's default page cache (2 MB),
// which the store's connections have, and returns it to the pool.
func (s *Store) restoreCache(conn *sql.Conn) {
	if s.server == nil {
		conn.ExecContext(context.Background(), `PRAGMA cache_size = -2000`)
	}
	conn.Close()
}

func (imp *Importer) begin() error {
	ctx, tx := imp.ctx, imp.tx
	if err := imp.openSet(); err != nil {
		return err
	}
	// Annotators: few, so all of them.
	var err error
	if imp.annByID, err = loadNames(ctx, tx, "annotators"); err != nil {
		return err
	}
	for id, name := range imp.annByID {
		imp.annByName[name] = id
	}

	prep := func(dst **sql.Stmt, q string) {
		if err != nil {
			return
		}
		*dst, err = tx.PrepareContext(ctx, q)
	}
	st := &imp.st
	prep(&st.docBySHA, `SELECT id FROM documents WHERE sha256 = ?`)
	prep(&st.insDoc, `INSERT INTO documents (id, title, file_name, format, sha256, length, imported_at, byline, published, site) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
	prep(&st.insText, `INSERT INTO document_texts (document_id, text) VALUES (?, ?)`)
	prep(&st.spanByID, `SELECT document_id, annotator_id, label_id, start, "end", note, created, updated FROM spans WHERE id = ?`)
	prep(&st.spanByExtent, `SELECT id FROM spans WHERE document_id = ? AND annotator_id = ? AND start = ? AND "end" = ? AND label_id = ?`)
	prep(&st.insSpan, `INSERT INTO spans (id, document_id, annotator_id, label_id, start, "end", text, note, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	prep(&st.upSpn, `UPDATE spans SET annotator_id = ?, label_id = ?, start = ?, "end" = ?, text = ?, note = ?, created = ?, updated = ? WHERE id = ?`)
	prep(&st.insAnn, `INSERT INTO annotators (id, name, created) VALUES (?, ?, ?)`)
	prep(&st.insLabel, `INSERT INTO labels (id, set_id, name, color, key, position) VALUES (?, ?, ?, ?, ?, ?)`)
	prep(&st.startWork, startWorkSQL)
	prep(&st.insSuggestion, `
		INSERT INTO suggestions (id, document_id, annotator_id, label_id, start, "end", text, score, source, rule, model_version, created)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
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

// openSet finds (or, for the default set, makes) the import's label set and
// reads its labels and every label ID.
func (imp *Importer) openSet() error {
	ctx, tx := imp.ctx, imp.tx
	imp.setID = imp.opts.SetID
	if imp.setID == "" {
		var err error
		if imp.setID, imp.setCreated, err = ensureDefaultSet(ctx, tx); err != nil {
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
	all, err := loadNames(ctx, tx, "labels")
	for id := range all {
		imp.labelIDs[id] = true
	}
	return err
}

func (imp *Importer) closeStmts() {
	for _, st := range []*sql.Stmt{imp.st.docBySHA, imp.st.insDoc, imp.st.insText,
		imp.st.spanByID, imp.st.spanByExtent, imp.st.insSpan, imp.st.upSpn, imp.st.insAnn,
		imp.st.insLabel, imp.st.startWork, imp.st.statusUpsert} {
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
		if imp.s.server != nil {
			err = forbidden(err) // the server's refusal, in an analyst's words
		}
		var ie *ImportError
		if !errors.As(err, &ie) {
			err = &ImportError{Record: imp.n, Span: -1, Status: -1, Suggestion: -1, Err: err}
		}
		imp.err = err
		return err
	}
	return nil
}

func (imp *Importer) recErr(span, status int, err error) error {
	return &ImportError{Record: imp.n, Span: span, Status: status, Suggestion: -1, Err: err}
}

type extentKey struct {
	ann, label string
	start, end int
}

func (imp *Importer) add(rec *ImportRecord) error {
	docID, created, err := imp.addDocument(rec)
	if err != nil {
		return err
	}
	imp.lastDoc = docID
	for _, name := range rec.Annotators {
		if _, err := imp.annotator(name, ""); err != nil {
			return err
		}
	}
	working, err := imp.addSpans(rec.Spans, docID, created)
	if err != nil {
		return err
	}
	if err := imp.addRelations(rec, docID); err != nil {
		return err
	}
	given, err := imp.addStatuses(rec.Statuses, docID)
	if err != nil {
		return err
	}
	if err := imp.addSuggestions(rec.Suggestions, docID); err != nil {
		return err
	}
	// Annotators who got a span here and were given no status start work,
	// as after Apply.
	for annID := range working {
		if given[annID] {
			continue
		}
		if _, err := imp.st.startWork.ExecContext(imp.ctx, docID, annID, imp.started.UnixNano()); err != nil {
			return err
		}
	}
	return nil
}

// addSuggestions stores the record's suggestions; the same one imported
// again (same annotator, source, label and extent) is skipped.
func (imp *Importer) addSuggestions(ss []ImportSuggestion, docID string) error {
	for i, sg := range ss {
		fail := func(err error) error {
			return &ImportError{Record: imp.n, Span: -1, Status: -1, Suggestion: i, Err: err}
		}
		annID, err := imp.annotator(sg.Annotator, sg.AnnotatorID)
		if err != nil {
			return fail(err)
		}
		l, err := imp.label(sg.Label, sg.LabelID)
		if err != nil {
			return fail(err)
		}
		covered, err := checkSpan(spanFields{start: sg.Start, end: sg.End, text: sg.Text, checkText: sg.Text != ""}, &imp.text)
		if err != nil {
			return fail(err)
		}
		if math.IsNaN(sg.Score) || sg.Score < 0 || sg.Score > 1 {
			return fail(fmt.Errorf("%w: score %v is not between 0 and 1", ErrInvalidSpan, sg.Score))
		}
		source := sg.Source
		if source == "" {
			source = "import"
		}
		id, created := sg.ID, sg.Created
		if id == "" {
			id = newID()
		} else if _, err := uuid.Parse(id); err != nil {
			return fail(fmt.Errorf("%w: suggestion id %q is not a UUID", ErrInvalidSpan, id))
		}
		if created.IsZero() {
			created = imp.started
		}
		res, err := imp.st.insSuggestion.ExecContext(imp.ctx, id, docID, annID, l.ID, sg.Start, sg.End, covered,
			sg.Score, source, sg.Rule, sg.ModelVersion, created.UnixNano())
		if err != nil {
			return fail(err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			imp.sum.Suggestions++
		}
	}
	return nil
}

// addDocument stores the record's document, or finds the stored one with
// the same text, and points imp.text at the text.
func (imp *Importer) addDocument(rec *ImportRecord) (docID string, created bool, err error) {
	ctx, st := imp.ctx, &imp.st
	nd := rec.Doc
	if err := checkNewDocument(nd); err != nil {
		return "", false, err
	}
	sum := sha256.Sum256([]byte(nd.Text))
	sha := hex.EncodeToString(sum[:])
	text := imp.text.reset(nd.Text)

	// Insert first: a new text is the common case, and the unique indexes on
	// id and sha256 turn a stored one into "no row inserted", after which it
	// is looked up.
	docID = nd.ID
	if docID == "" {
		docID = newID()
	}
	at := rec.ImportedAt
	if at.IsZero() {
		at = imp.started
	}
	res, err := st.insDoc.ExecContext(ctx, docID, makeTitle(nd), nd.FileName, nd.Format, sha, text.len(), at.UnixNano(), nd.Byline, nd.Published, nd.Site)
	if err != nil {
		return "", false, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return "", false, err
	} else if n == 1 {
		if _, err := st.insText.ExecContext(ctx, docID, nd.Text); err != nil {
			return "", false, err
		}
		imp.sum.Documents++
		return docID, true, nil
	}
	err = st.docBySHA.QueryRowContext(ctx, sha).Scan(&docID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, fmt.Errorf("%w: document id %s is taken by a document with another text", ErrConflict, docID)
	}
	if err != nil {
		return "", false, err
	}
	imp.sum.DocumentsExisting++
	return docID, false, nil
}

// addSpans stores the record's spans on docID (created: a document new in
// this import) and returns the annotators who got a new span.
func (imp *Importer) addSpans(spans []ImportSpan, docID string, created bool) (working map[string]bool, err error) {
	var seen map[extentKey]string
	if created && len(spans) > 0 {
		if imp.seen == nil || len(imp.seen) > 1024 { // not a big map to clear each time
			imp.seen = map[extentKey]string{}
		}
		seen = imp.seen
		clear(seen)
	}
	imp.ids = imp.ids[:0]
	for i := range spans {
		annID, added, err := imp.addSpan(i, &spans[i], docID, seen)
		if err != nil {
			return nil, err
		}
		if added {
			if working == nil {
				working = map[string]bool{}
			}
			working[annID] = true
		}
	}
	return working, nil
}

// addSpan stores span i of the record, unless it is stored already. seen
// is non-nil for a document new in this import: no stored span can be on
// it, so only the record's own repeats (in seen) are duplicates.
//
// It appends the ID the span has in the database (its own, or the stored
// one it repeats) to imp.ids.
func (imp *Importer) addSpan(i int, sp *ImportSpan, docID string, seen map[extentKey]string) (annID string, added bool, err error) {
	annID, err = imp.annotator(sp.Annotator, sp.AnnotatorID)
	if err != nil {
		return "", false, imp.recErr(i, -1, err)
	}
	l, err := imp.label(sp.Label, sp.LabelID)
	if err != nil {
		return "", false, imp.recErr(i, -1, err)
	}
	covered, err := checkSpan(spanFields{id: sp.ID, start: sp.Start, end: sp.End,
		text: sp.Text, checkText: sp.Text != "", note: sp.Note}, &imp.text)
	if err != nil {
		return "", false, imp.recErr(i, -1, err)
	}
	createdAt, updatedAt := sp.Created, sp.Updated
	if createdAt.IsZero() {
		createdAt = imp.started
	}
	if updatedAt.IsZero() {
		updatedAt = createdAt
	}
	ss := spanState{ID: sp.ID, DocumentID: docID, AnnotatorID: annID, LabelID: l.ID, Start: sp.Start, End: sp.End,
		Text: covered, Note: sp.Note, Created: createdAt.UnixNano(), Updated: updatedAt.UnixNano()}
	if seen != nil {
		key := extentKey{annID, l.ID, sp.Start, sp.End}
		if id, ok := seen[key]; ok {
			imp.sum.SpansSkipped++
			imp.ids = append(imp.ids, importedSpan{id, annID, l.ID})
			return annID, false, nil
		}
		if ss.ID == "" {
			ss.ID = newID()
		}
		seen[key] = ss.ID
	} else {
		// A span the file gives no time for (a Label Studio task Gloss
		// wrote) is no newer than a stored one.
		untimed := sp.Created.IsZero() && sp.Updated.IsZero()
		if done, err := imp.matchStored(i, &ss, untimed); err != nil || done {
			imp.ids = append(imp.ids, importedSpan{ss.ID, annID, l.ID})
			return annID, false, err
		}
	}
	if ss.ID == "" {
		ss.ID = newID()
	}
	if err := imp.writeSpan(i, &ss, false); err != nil {
		return "", false, err
	}
	imp.ids = append(imp.ids, importedSpan{ss.ID, annID, l.ID})
	imp.sum.Spans++
	return annID, true, nil
}

// matchStored settles span i against the stored spans of its document:
// the same ID (skipped, or updated when this one is later) or the same
// annotator, label and extent (skipped). done is false for a new span.
func (imp *Importer) matchStored(i int, ss *spanState, untimed bool) (done bool, err error) {
	ctx, st := imp.ctx, &imp.st
	if ss.ID != "" {
		var cur spanState
		err := st.spanByID.QueryRowContext(ctx, ss.ID).Scan(&cur.DocumentID, &cur.AnnotatorID, &cur.LabelID,
			&cur.Start, &cur.End, &cur.Note, &cur.Created, &cur.Updated)
		switch {
		case err == nil:
			if cur.DocumentID != ss.DocumentID {
				return true, imp.recErr(i, -1, fmt.Errorf("%w: span id %s belongs to another document", ErrConflict, ss.ID))
			}
			same := cur.AnnotatorID == ss.AnnotatorID && cur.LabelID == ss.LabelID && cur.Start == ss.Start &&
				cur.End == ss.End && cur.Note == ss.Note && cur.Created == ss.Created && cur.Updated == ss.Updated
			if same || untimed || ss.Updated <= cur.Updated {
				imp.sum.SpansSkipped++
				return true, nil
			}
			if err := imp.writeSpan(i, ss, true); err != nil {
				return true, err
			}
			imp.sum.SpansUpdated++
			return true, nil
		case !errors.Is(err, sql.ErrNoRows):
			return true, err
		}
	}
	var stored string
	err = st.spanByExtent.QueryRowContext(ctx, ss.DocumentID, ss.AnnotatorID, ss.Start, ss.End, ss.LabelID).Scan(&stored)
	if err == nil {
		ss.ID = stored
		imp.sum.SpansSkipped++
		return true, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return true, err
	}
	return false, nil
}

// writeSpan inserts span i (or, with update, updates the stored span of its
// ID); a unique index refusing it is a conflict.
func (imp *Importer) writeSpan(i int, ss *spanState, update bool) error {
	var err error
	if update {
		_, err = imp.st.upSpn.ExecContext(imp.ctx, ss.AnnotatorID, ss.LabelID, ss.Start, ss.End, ss.Text, ss.Note, ss.Created, ss.Updated, ss.ID)
	} else {
		_, err = imp.st.insSpan.ExecContext(imp.ctx, ss.ID, ss.DocumentID, ss.AnnotatorID, ss.LabelID, ss.Start, ss.End, ss.Text, ss.Note, ss.Created, ss.Updated)
	}
	if !isConstraint(err) {
		return err
	}
	if update {
		return imp.recErr(i, -1, fmt.Errorf("%w: updating span %s would repeat another span with the same label and extent", ErrConflict, ss.ID))
	}
	return imp.recErr(i, -1, fmt.Errorf("%w: span id %s is already used by another span", ErrConflict, ss.ID))
}

// addStatuses stores the record's statuses on docID and returns the
// annotators they were given for.
func (imp *Importer) addStatuses(statuses []ImportStatus, docID string) (given map[string]bool, err error) {
	for i, rs := range statuses {
		annID, err := imp.annotator(rs.Annotator, rs.AnnotatorID)
		if err != nil {
			return nil, imp.recErr(-1, i, err)
		}
		if !rs.Status.Valid() {
			return nil, imp.recErr(-1, i, fmt.Errorf("%w: unknown status %q", ErrInvalidEdit, rs.Status))
		}
		if given == nil {
			given = map[string]bool{}
		}
		given[annID] = true
		at := rs.Updated
		if at.IsZero() {
			at = imp.started
		}
		res, err := imp.st.statusUpsert.ExecContext(imp.ctx, docID, annID, rs.Status, at.UnixNano())
		if err != nil {
			return nil, err
		}
		if n, err := res.RowsAffected(); err == nil && n > 0 {
			imp.sum.Statuses++
		}
	}
	return given, nil
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

// createLabel adds a label to the import's set, with a default label's own
// colour and key when name is one and they are free.
func (imp *Importer) createLabel(name, id string) (Label, error) {
	if _, err := uuid.Parse(id); id == "" || err != nil || imp.labelIDs[id] {
		id = newID()
	}
	l := lookOfNew(Label{ID: id, SetID: imp.setID, Name: name}, imp.labels, true)
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
	imp.s.restoreCache(imp.conn)
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
	imp.s.restoreCache(imp.conn)
}

// LastDocumentID is the ID of the document of the last record added
// (created or found), "" before the first.
func (imp *Importer) LastDocumentID() string { return imp.lastDoc }

// Records returns how many records have been added.
func (imp *Importer) Records() int { return imp.n }

// DocumentText is the stored text of document id as the import's own
// transaction sees it, so documents added earlier in the same import count;
// ok is false for an ID the database does not have. (A CSV of spans finds
// its documents' texts with it.)
func (imp *Importer) DocumentText(id string) (text string, ok bool, err error) {
	err = imp.tx.QueryRowContext(imp.ctx, `SELECT text FROM document_texts WHERE document_id = ?`, id).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return text, err == nil, err
}
