package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"gloss/storage"
)

// Importer writes imported records to the server in one transaction, as
// storage.Importer does to a SQLite file: documents matched by the SHA-256
// of their text (a new one made), annotators and labels by name (made when
// missing; labels in the Default set), spans checked against the text in
// code points and written unless the layer has them already (same label
// and extent), statuses where later. New documents, their texts and their
// spans go in through COPY, a batch at a time. Relations and attribute
// values are written too; suggestions are not yet (counted in Skipped).
// It connects as the database's owner (or a role that may write every
// layer): an import writes any annotator's spans.
type Importer struct {
	ctx  context.Context
	conn *pgx.Conn
	tx   pgx.Tx
	opts storage.ImportOptions
	sum  storage.ImportSummary
	err  error
	done bool
	n    int

	setID    string
	anns     map[string]string // name -> id
	labels   map[string]string // lower-cased name -> id
	relTypes map[string]string // lower-cased name -> id
	attrs    map[string]string // lower-cased name -> id
	started  int64
	lastDoc  string
	batch    []pending
	batchTxt int
}

// pending is a record waiting for its batch's COPY.
type pending struct {
	rec storage.ImportRecord
	sha string
	n   int // its 1-based place in the import, for errors
}

// importBatch is how many records, or how much text, go per COPY.
const (
	importBatch     = 2000
	importBatchText = 8 << 20
)

// BeginImport starts an import into the server at url.
func BeginImport(ctx context.Context, url string, opts storage.ImportOptions) (*Importer, error) {
	conn, err := connect(ctx, url)
	if err != nil {
		return nil, err
	}
	if _, err := schemaVersion(ctx, conn); err != nil {
		conn.Close(context.Background())
		return nil, err
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		conn.Close(context.Background())
		return nil, err
	}
	imp := &Importer{ctx: ctx, conn: conn, tx: tx, opts: opts, anns: map[string]string{}, labels: map[string]string{},
		relTypes: map[string]string{}, attrs: map[string]string{}, started: time.Now().UnixNano()}
	imp.sum.Skipped = map[string]int{}
	if err := tx.QueryRow(ctx, `SELECT id FROM label_sets WHERE name = 'Default'`).Scan(&imp.setID); err != nil {
		imp.Rollback()
		return nil, fmt.Errorf("the server has no Default label set (gloss server init): %w", err)
	}
	for _, q := range []struct {
		sql string
		m   map[string]string
	}{
		{`SELECT name, id FROM annotators`, imp.anns},
		{`SELECT lower(name), id FROM labels WHERE set_id = $1`, imp.labels},
		{`SELECT lower(name), id FROM relation_types WHERE set_id = $1`, imp.relTypes},
		{`SELECT lower(name), id FROM attributes WHERE set_id = $1`, imp.attrs},
	} {
		var args []any
		if strings.Contains(q.sql, "$1") {
			args = append(args, imp.setID)
		}
		rows, err := tx.Query(ctx, q.sql, args...)
		if err != nil {
			imp.Rollback()
			return nil, err
		}
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				rows.Close()
				imp.Rollback()
				return nil, err
			}
			q.m[k] = v
		}
		rows.Close()
	}
	return imp, nil
}

// Add queues rec; its batch is written when full, or at Commit.
func (imp *Importer) Add(rec storage.ImportRecord) error {
	if imp.err != nil {
		return imp.err
	}
	if imp.done {
		return errors.New("import: already committed or rolled back")
	}
	imp.n++
	if !utf8.ValidString(rec.Doc.Text) || rec.Doc.Text == "" {
		imp.err = &storage.ImportError{Record: imp.n, Span: -1, Status: -1, Suggestion: -1,
			Err: fmt.Errorf("%w: the text is empty or not UTF-8", storage.ErrInvalidDocument)}
		return imp.err
	}
	// The spans are checked now, not when their batch is written, so that a
	// refusal names this record (the caller knows its file and line).
	if err := checkSpans(&rec, imp.n); err != nil {
		imp.err = err
		return err
	}
	sum := sha256.Sum256([]byte(rec.Doc.Text))
	imp.batch = append(imp.batch, pending{rec: rec, sha: hex.EncodeToString(sum[:]), n: imp.n})
	imp.batchTxt += len(rec.Doc.Text)
	if len(imp.batch) >= importBatch || imp.batchTxt >= importBatchText {
		imp.err = imp.flush()
	}
	return imp.err
}

// checkSpans refuses a record whose spans do not fit its text (record n of
// the import).
func checkSpans(rec *storage.ImportRecord, n int) error {
	length := utf8.RuneCountInString(rec.Doc.Text)
	var runes []rune
	for i, sp := range rec.Spans {
		if sp.Start < 0 || sp.End <= sp.Start || sp.End > length {
			return &storage.ImportError{Record: n, Span: i, Status: -1, Suggestion: -1,
				Err: fmt.Errorf("%w: [%d, %d) is empty, reversed or past the end of the text (%d code points)", storage.ErrInvalidSpan, sp.Start, sp.End, length)}
		}
		if sp.Text != "" {
			if runes == nil {
				runes = []rune(rec.Doc.Text)
			}
			if covered := string(runes[sp.Start:sp.End]); covered != sp.Text {
				return &storage.ImportError{Record: n, Span: i, Status: -1, Suggestion: -1,
					Err: fmt.Errorf("%w: the span's text %q is not the document's %q at [%d, %d)", storage.ErrInvalidSpan, sp.Text, covered, sp.Start, sp.End)}
			}
		}
	}
	return nil
}

// annotator is the ID of the annotator called name (the default one for
// ""), made when missing.
func (imp *Importer) annotator(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = imp.opts.DefaultAnnotator
	}
	if name == "" {
		return "", fmt.Errorf("%w: a span names no annotator (give one)", storage.ErrInvalidAnnotator)
	}
	if id, ok := imp.anns[name]; ok {
		return id, nil
	}
	id := newID()
	if _, err := imp.tx.Exec(imp.ctx, `INSERT INTO annotators (id, name, created) VALUES ($1, $2, $3)`, id, name, imp.started); err != nil {
		return "", err
	}
	imp.anns[name] = id
	imp.sum.AnnotatorsCreated = append(imp.sum.AnnotatorsCreated, name)
	return id, nil
}

// label is the ID of the Default set's label called name, made when
// missing (unless the import is strict).
func (imp *Importer) label(name string) (string, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	if id, ok := imp.labels[key]; ok {
		return id, nil
	}
	if imp.opts.Strict {
		return "", fmt.Errorf("%w: unknown label %q", storage.ErrInvalidLabel, name)
	}
	if key == "" {
		return "", fmt.Errorf("%w: a span without a label", storage.ErrInvalidLabel)
	}
	id := newID()
	colors := []string{"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"}
	if _, err := imp.tx.Exec(imp.ctx, `INSERT INTO labels (id, set_id, name, color, position)
		VALUES ($1, $2, $3, $4, (SELECT coalesce(max(position), 0) + 1 FROM labels WHERE set_id = $2))`,
		id, imp.setID, strings.TrimSpace(name), colors[len(imp.labels)%len(colors)]); err != nil {
		return "", err
	}
	imp.labels[key] = id
	imp.sum.LabelsCreated = append(imp.sum.LabelsCreated, strings.TrimSpace(name))
	return id, nil
}

// named finds or makes a relation type or attribute of the Default set.
func (imp *Importer) named(m map[string]string, table, name string, extra func(id string) error) (string, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	if id, ok := m[key]; ok {
		return id, nil
	}
	id := newID()
	if err := extra(id); err != nil {
		return "", fmt.Errorf("%s %q: %w", table, name, err)
	}
	m[key] = id
	return id, nil
}

// flush writes the queued records.
func (imp *Importer) flush() error {
	if len(imp.batch) == 0 {
		return nil
	}
	ctx, tx := imp.ctx, imp.tx
	shas := make([]string, len(imp.batch))
	for i, p := range imp.batch {
		shas[i] = p.sha
	}
	stored := map[string]string{}
	rows, err := tx.Query(ctx, `SELECT sha256, id FROM documents WHERE sha256 = ANY($1)`, shas)
	if err != nil {
		return err
	}
	for rows.Next() {
		var sha, id string
		if err := rows.Scan(&sha, &id); err != nil {
			rows.Close()
			return err
		}
		stored[sha] = id
	}
	rows.Close()
	var docRows, textRows, spanRows [][]any
	type later struct {
		p       *pending
		doc     string
		ids     []string
		working map[string]bool // annotators who got a new span on it
	}
	var old []later // records on documents stored already
	var fresh []later
	seen := map[string]string{} // sha -> id, within the batch
	for i := range imp.batch {
		p := &imp.batch[i]
		d := p.rec.Doc
		if id, ok := stored[p.sha]; ok {
			imp.sum.DocumentsExisting++
			old = append(old, later{p: p, doc: id})
			continue
		}
		if id, ok := seen[p.sha]; ok { // the same text twice in the batch
			imp.sum.DocumentsExisting++
			old = append(old, later{p: p, doc: id})
			continue
		}
		id := d.ID
		if id == "" {
			id = newID()
		}
		seen[p.sha] = id
		at := p.rec.ImportedAt.UnixNano()
		if p.rec.ImportedAt.IsZero() {
			at = imp.started
		}
		title := strings.TrimSpace(d.Title)
		if title == "" {
			title = firstLine(d.Text)
		}
		docRows = append(docRows, []any{id, title, d.FileName, d.Format, p.sha, int64(utf8.RuneCountInString(d.Text)), at, d.Byline, d.Published, d.Site})
		textRows = append(textRows, []any{id, d.Text})
		imp.sum.Documents++
		fresh = append(fresh, later{p: p, doc: id})
	}
	if len(docRows) > 0 {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"documents"},
			[]string{"id", "title", "file_name", "format", "sha256", "length", "imported_at", "byline", "published", "site"}, pgx.CopyFromRows(docRows)); err != nil {
			return refusal(err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"document_texts"}, []string{"document_id", "text"}, pgx.CopyFromRows(textRows)); err != nil {
			return refusal(err)
		}
	}
	// The spans of new documents cannot meet a stored one: COPY, after
	// dropping the record's own repeats.
	for k := range fresh {
		f := &fresh[k]
		rs, ids, err := imp.spanRows(f.p, f.doc, true)
		if err != nil {
			return err
		}
		f.ids = ids
		for _, r := range rs {
			if f.working == nil {
				f.working = map[string]bool{}
			}
			f.working[r[2].(string)] = true
		}
		spanRows = append(spanRows, rs...)
	}
	if len(spanRows) > 0 {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"spans"},
			[]string{"id", "document_id", "annotator_id", "label_id", "start", "end", "text", "note", "created", "updated"}, pgx.CopyFromRows(spanRows)); err != nil {
			return refusal(err)
		}
		imp.sum.Spans += len(spanRows)
	}
	// Those of stored documents one by one, skipping what the layer has.
	for k := range old {
		o := &old[k]
		rs, ids, err := imp.spanRows(o.p, o.doc, false)
		if err != nil {
			return err
		}
		for i, r := range rs {
			var got string
			err := tx.QueryRow(ctx, `INSERT INTO spans (id, document_id, annotator_id, label_id, start, "end", text, note, created, updated)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING id`, r...).Scan(&got)
			switch {
			case errors.Is(err, pgx.ErrNoRows):
				imp.sum.SpansSkipped++
				// The layer's own span of that extent is the relation's end.
				if err := tx.QueryRow(ctx, `SELECT id FROM spans WHERE document_id = $1 AND annotator_id = $2 AND label_id = $3 AND start = $4 AND "end" = $5`,
					r[1], r[2], r[3], r[4], r[5]).Scan(&ids[i]); err != nil && !errors.Is(err, pgx.ErrNoRows) {
					return err
				}
			case err != nil:
				return refusal(err)
			default:
				imp.sum.Spans++
				if o.working == nil {
					o.working = map[string]bool{}
				}
				o.working[r[2].(string)] = true
			}
		}
		o.ids = ids
	}
	for _, group := range [][]later{fresh, old} {
		for _, l := range group {
			if err := imp.rest(l.p, l.doc, l.ids, l.working); err != nil {
				return err
			}
			imp.lastDoc = l.doc
		}
	}
	imp.batch, imp.batchTxt = imp.batch[:0], 0
	return nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\n\r"); i >= 0 {
		s = s[:i]
	}
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200])
	}
	return s
}

// spanRows checks record p's spans against its text and returns their
// rows (dropping the record's own repeats when dedupe) and the ID of each
// span by its index (the kept one's for a repeat).
func (imp *Importer) spanRows(p *pending, docID string, dedupe bool) ([][]any, []string, error) {
	runes := []rune(p.rec.Doc.Text)
	var out [][]any
	ids := make([]string, len(p.rec.Spans))
	key := map[string]string{}
	for i, sp := range p.rec.Spans {
		fail := func(err error) error {
			return &storage.ImportError{Record: p.n, Span: i, Status: -1, Suggestion: -1, Err: err}
		}
		if sp.Start < 0 || sp.End <= sp.Start || sp.End > len(runes) {
			return nil, nil, fail(fmt.Errorf("%w: [%d, %d) is empty, reversed or past the end of the text (%d code points)", storage.ErrInvalidSpan, sp.Start, sp.End, len(runes)))
		}
		covered := string(runes[sp.Start:sp.End])
		if sp.Text != "" && sp.Text != covered {
			return nil, nil, fail(fmt.Errorf("%w: the span's text %q is not the document's %q at [%d, %d)", storage.ErrInvalidSpan, sp.Text, covered, sp.Start, sp.End))
		}
		ann, err := imp.annotator(sp.Annotator)
		if err != nil {
			return nil, nil, fail(err)
		}
		lab, err := imp.label(sp.Label)
		if err != nil {
			return nil, nil, fail(err)
		}
		k := fmt.Sprint(ann, lab, sp.Start, sp.End)
		if id, ok := key[k]; ok && dedupe {
			ids[i] = id
			imp.sum.SpansSkipped++
			continue
		}
		id := sp.ID
		if id == "" {
			id = newID()
		}
		created, updated := sp.Created.UnixNano(), sp.Updated.UnixNano()
		if sp.Created.IsZero() {
			created = imp.started
		}
		if sp.Updated.IsZero() {
			updated = created
		}
		key[k], ids[i] = id, id
		out = append(out, []any{id, docID, ann, lab, int64(sp.Start), int64(sp.End), covered, sp.Note, created, updated})
	}
	return out, ids, nil
}

// rest writes record p's statuses, relations and attribute values.
func (imp *Importer) rest(p *pending, docID string, ids []string, working map[string]bool) error {
	ctx, tx := imp.ctx, imp.tx
	given := map[string]bool{}
	for i, st := range p.rec.Statuses {
		ann, err := imp.annotator(st.Annotator)
		if err != nil {
			return &storage.ImportError{Record: p.n, Span: -1, Status: i, Suggestion: -1, Err: err}
		}
		given[ann] = true
		at := st.Updated.UnixNano()
		if st.Updated.IsZero() {
			at = imp.started
		}
		tag, err := tx.Exec(ctx, `INSERT INTO document_status (document_id, annotator_id, status, updated) VALUES ($1, $2, $3, $4)
			ON CONFLICT (document_id, annotator_id) DO UPDATE SET status = excluded.status, updated = excluded.updated
			WHERE excluded.updated > document_status.updated`, docID, ann, string(st.Status), at)
		if err != nil {
			return &storage.ImportError{Record: p.n, Span: -1, Status: i, Suggestion: -1, Err: refusal(err)}
		}
		imp.sum.Statuses += int(tag.RowsAffected())
	}
	// Who got a span here and was given no status starts work, as after
	// an edit (and as the SQLite importer does).
	for ann := range working {
		if given[ann] {
			continue
		}
		if _, err := tx.Exec(ctx, `INSERT INTO document_status (document_id, annotator_id, status, updated) VALUES ($1, $2, 'in_progress', $3)
			ON CONFLICT (document_id, annotator_id) DO UPDATE SET status = 'in_progress', updated = excluded.updated
			WHERE document_status.status = 'todo'`, docID, ann, imp.started); err != nil {
			return refusal(err)
		}
	}
	for k, r := range p.rec.Relations {
		fail := func(err error) error {
			return &storage.ImportError{Record: p.n, Span: -1, Status: -1, Suggestion: -1, Relation: k + 1, Err: err}
		}
		if r.From < 0 || r.From >= len(ids) || r.To < 0 || r.To >= len(ids) || ids[r.From] == "" || ids[r.To] == "" || ids[r.From] == ids[r.To] {
			return fail(fmt.Errorf("%w: its ends are not two of the record's spans", storage.ErrInvalidEdit))
		}
		typ, err := imp.named(imp.relTypes, "relation type", r.Type, func(id string) error {
			_, err := tx.Exec(ctx, `INSERT INTO relation_types (id, set_id, name, color, directed, position)
				VALUES ($1, $2, $3, '#0072B2', $4, (SELECT coalesce(max(position), 0) + 1 FROM relation_types WHERE set_id = $2))`,
				id, imp.setID, strings.TrimSpace(r.Type), !r.Symmetric)
			return err
		})
		if err != nil {
			return fail(err)
		}
		var ann string
		if err := tx.QueryRow(ctx, `SELECT annotator_id FROM spans WHERE id = $1`, ids[r.From]).Scan(&ann); err != nil {
			return fail(err)
		}
		id := r.ID
		if id == "" {
			id = newID()
		}
		tag, err := tx.Exec(ctx, `INSERT INTO relations (id, document_id, annotator_id, type_id, from_span, to_span, created, updated)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT DO NOTHING`, id, docID, ann, typ, ids[r.From], ids[r.To], imp.started)
		if err != nil {
			return fail(refusal(err))
		}
		if tag.RowsAffected() == 0 {
			imp.sum.RelationsSkipped++
		} else {
			imp.sum.Relations++
		}
	}
	for i, sp := range p.rec.Spans {
		for _, a := range sp.Attrs {
			if err := imp.value(ids[i], docID, a); err != nil {
				return &storage.ImportError{Record: p.n, Span: i, Status: -1, Suggestion: -1, Err: err}
			}
		}
	}
	if n := len(p.rec.Suggestions); n > 0 {
		imp.sum.Skipped["suggestion (not on the server yet)"] += n
	}
	return nil
}

// value writes attribute value a on owner, the attribute made (as text,
// on every span) when missing.
func (imp *Importer) value(owner, docID string, a storage.ImportAttr) error {
	ctx, tx := imp.ctx, imp.tx
	attr, err := imp.named(imp.attrs, "attribute", a.Name, func(id string) error {
		_, err := tx.Exec(ctx, `INSERT INTO attributes (id, set_id, name, kind, position)
			VALUES ($1, $2, $3, 'text', (SELECT coalesce(max(position), 0) + 1 FROM attributes WHERE set_id = $2))`,
			id, imp.setID, strings.TrimSpace(a.Name))
		return err
	})
	if err != nil {
		return err
	}
	tag, err := tx.Exec(ctx, `INSERT INTO attribute_values (owner_id, attribute_id, document_id, value, updated) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (owner_id, attribute_id) DO NOTHING`, owner, attr, docID, a.Value, imp.started)
	if err != nil {
		return refusal(err)
	}
	imp.sum.Attributes += int(tag.RowsAffected())
	return nil
}

// Commit writes what is queued and commits the import.
func (imp *Importer) Commit() (storage.ImportSummary, error) {
	if imp.err == nil {
		imp.err = imp.flush()
	}
	if imp.err != nil {
		err := imp.err
		imp.Rollback()
		return storage.ImportSummary{}, err
	}
	if err := imp.tx.Commit(imp.ctx); err != nil {
		imp.Rollback()
		return storage.ImportSummary{}, err
	}
	imp.done = true
	imp.conn.Close(context.Background())
	return imp.sum, nil
}

// Rollback abandons the import (after Commit it does nothing).
func (imp *Importer) Rollback() {
	if imp.done {
		return
	}
	imp.done = true
	imp.tx.Rollback(context.Background())
	imp.conn.Close(context.Background())
}

// LastDocumentID is the document of the last record written.
func (imp *Importer) LastDocumentID() string { return imp.lastDoc }

// DocumentText finds a stored document's text by ID, within the import's
// transaction.
func (imp *Importer) DocumentText(id string) (string, bool, error) {
	var text string
	err := imp.tx.QueryRow(imp.ctx, `SELECT text FROM document_texts WHERE document_id = $1`, id).Scan(&text)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	return text, err == nil, err
}
