package postgres

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"gloss/storage"
)

// Source reads the server's documents for an export, as storage.Store does
// for a SQLite file (library.Export takes either): any role can, since
// everyone reads everything.
type Source struct {
	pool   *pgxpool.Pool
	perDoc atomic.Int64 // spans per 1,000 documents in the last batch read (see spansHint)
}

// OpenSource connects to the server at url for reading.
func OpenSource(ctx context.Context, url string) (*Source, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, serverError("connect to", url, err)
	}
	c, err := pool.Acquire(ctx)
	if err != nil {
		pool.Close()
		return nil, serverError("connect to", url, err)
	}
	_, err = schemaVersion(ctx, c.Conn())
	c.Release()
	if err != nil {
		pool.Close()
		return nil, err
	}
	return &Source{pool: pool}, nil
}

// Close closes the connections.
func (s *Source) Close() { s.pool.Close() }

// DefaultLabelSet is the Default label set.
func (s *Source) DefaultLabelSet(ctx context.Context) (storage.LabelSet, error) {
	set := storage.LabelSet{Name: storage.DefaultLabelSetName}
	err := s.pool.QueryRow(ctx, `SELECT id FROM label_sets WHERE name = $1`, set.Name).Scan(&set.ID)
	return set, err
}

// Labels are the set's labels by position.
func (s *Source) Labels(ctx context.Context, setID string) ([]storage.Label, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, set_id, name, color, key, position FROM labels WHERE set_id = $1 ORDER BY position, name`, setID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (storage.Label, error) {
		var l storage.Label
		err := r.Scan(&l.ID, &l.SetID, &l.Name, &l.Color, &l.Key, &l.Position)
		return l, err
	})
}

// RelationTypes are the set's relation types by position.
func (s *Source) RelationTypes(ctx context.Context, setID string) ([]storage.RelationType, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, set_id, name, color, key, directed, args::text, position FROM relation_types WHERE set_id = $1 ORDER BY position, name`, setID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (storage.RelationType, error) {
		var t storage.RelationType
		var args string
		if err := r.Scan(&t.ID, &t.SetID, &t.Name, &t.Color, &t.Key, &t.Directed, &args, &t.Position); err != nil {
			return t, err
		}
		var pairs [][2]string
		if err := json.Unmarshal([]byte(args), &pairs); err != nil {
			return t, err
		}
		for _, p := range pairs {
			t.Args = append(t.Args, storage.LabelPair{From: p[0], To: p[1]})
		}
		return t, nil
	})
}

// Attributes are the set's attributes by position.
func (s *Source) Attributes(ctx context.Context, setID string) ([]storage.Attribute, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, set_id, name, kind, choices::text, min, max, targets::text, remember, position
		FROM attributes WHERE set_id = $1 ORDER BY position, name`, setID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (storage.Attribute, error) {
		var a storage.Attribute
		var choices, targets string
		if err := r.Scan(&a.ID, &a.SetID, &a.Name, &a.Kind, &choices, &a.Min, &a.Max, &targets, &a.Remember, &a.Position); err != nil {
			return a, err
		}
		if err := json.Unmarshal([]byte(choices), &a.Choices); err != nil {
			return a, err
		}
		return a, json.Unmarshal([]byte(targets), &a.Targets)
	})
}

// filter is a RecordFilter in IDs.
type filter struct {
	annotator string          // "" for everyone
	status    storage.Status  // "" for any
	labels    map[string]bool // label IDs kept; nil for every label
	docs      []string        // document IDs; nil for all
	sugs      bool            // the kept annotators' open suggestions too
}

func (s *Source) resolve(ctx context.Context, f storage.RecordFilter) (filter, error) {
	var r filter
	switch {
	case f.AnnotatorID != "":
		var name string
		if err := s.pool.QueryRow(ctx, `SELECT name FROM annotators WHERE id = $1`, f.AnnotatorID).Scan(&name); err != nil {
			return r, fmt.Errorf("%w: annotator %q", storage.ErrNotFound, f.AnnotatorID)
		}
		if f.Annotator != "" && f.Annotator != name {
			return r, fmt.Errorf("annotator %q is not %q", f.AnnotatorID, f.Annotator)
		}
		r.annotator = f.AnnotatorID
	case f.Annotator != "":
		if err := s.pool.QueryRow(ctx, `SELECT id FROM annotators WHERE name = $1`, f.Annotator).Scan(&r.annotator); err != nil {
			return r, fmt.Errorf("%w: annotator %q", storage.ErrNotFound, f.Annotator)
		}
	}
	if f.Status != "" && !f.Status.Valid() {
		return r, fmt.Errorf("unknown status %q", f.Status)
	}
	r.status, r.sugs = f.Status, f.Suggestions
	if len(f.Labels) > 0 {
		r.labels = map[string]bool{}
		for _, n := range f.Labels {
			rows, err := s.pool.Query(ctx, `SELECT id FROM labels WHERE lower(name) = lower($1)`, strings.TrimSpace(n))
			if err != nil {
				return r, err
			}
			ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return r, err
			}
			if len(ids) == 0 {
				return r, fmt.Errorf("%w: label %q", storage.ErrNotFound, n)
			}
			for _, id := range ids {
				r.labels[id] = true
			}
		}
	}
	for _, id := range f.DocumentIDs {
		var one int
		if err := s.pool.QueryRow(ctx, `SELECT 1 FROM documents WHERE id = $1`, id).Scan(&one); err != nil {
			return r, fmt.Errorf("%w: document %q", storage.ErrNotFound, id)
		}
		r.docs = append(r.docs, id)
	}
	if f.DocumentIDs != nil && r.docs == nil {
		r.docs = []string{}
	}
	return r, nil
}

// ValidateRecordFilter refuses a filter naming what the server lacks.
func (s *Source) ValidateRecordFilter(ctx context.Context, f storage.RecordFilter) error {
	if _, err := s.resolve(ctx, f); err != nil {
		return fmt.Errorf("export filter: %w", err)
	}
	return nil
}

// ExportLabels are the label names, the Default set's first, in palette
// order; with a label filter only those.
func (s *Source) ExportLabels(ctx context.Context, f storage.RecordFilter) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT l.name FROM labels l JOIN label_sets ls ON ls.id = l.set_id
		ORDER BY ls.name <> $1, ls.name, l.position, l.name`, storage.DefaultLabelSetName)
	if err != nil {
		return nil, err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(f.Labels) == 0 {
		return names, err
	}
	return slices.DeleteFunc(names, func(n string) bool {
		return !slices.ContainsFunc(f.Labels, func(w string) bool { return strings.EqualFold(strings.TrimSpace(w), n) })
	}), nil
}

// CountRecords is how many documents EachRecord visits.
func (s *Source) CountRecords(ctx context.Context, f storage.RecordFilter) (int, error) {
	if f.Status == "" && f.DocumentIDs == nil {
		// Every document is visited: count them, not read them.
		if err := s.ValidateRecordFilter(ctx, f); err != nil {
			return 0, err
		}
		var n int
		err := s.pool.QueryRow(ctx, `SELECT count(*) FROM documents`).Scan(&n)
		return n, err
	}
	n := 0
	err := s.EachRecord(ctx, f, func(storage.Record) error { n++; return nil })
	return n, err
}

// recordBatch is how many documents a read takes at most, and
// recordBatchText how much text (code points; a longer document's all):
// up to recordReaders+1 batches are in memory at a time.
// (Variables, for the tests.)
var (
	recordBatch           = 2000
	recordBatchText int64 = 8 << 20
)

// EachRecord calls fn for each document the filter keeps, in import
// order, from one snapshot of the server: its text, the kept annotators'
// spans (by start, longer first), statuses, relations between kept spans
// and their values, and, when the filter asks, the kept annotators' open
// suggestions (as storage.Store reads them).
func (s *Source) EachRecord(ctx context.Context, f storage.RecordFilter, fn func(storage.Record) error) error {
	r, err := s.resolve(ctx, f)
	if err != nil {
		return fmt.Errorf("each record: %w", err)
	}
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return err
	}
	defer tx.Rollback(context.Background())
	if r.sugs { // a query a batch saved when the server holds none (most)
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM suggestions)`).Scan(&r.sugs); err != nil {
			return err
		}
	}
	names := map[string]string{}
	for _, q := range []string{`SELECT id, name FROM annotators`, `SELECT id, name FROM labels`} {
		rows, err := tx.Query(ctx, q)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, n string
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return err
			}
			names[id] = n
		}
		rows.Close()
	}
	// The batches are planned first (by count and text), then read by
	// recordReaders connections of their own, each in a transaction of
	// the same snapshot, while fn has the earlier ones: reading (the
	// server's work and the rows' decoding) and what fn does (an
	// exporter's encoding and writing) take turns otherwise, and one
	// reader keeps the server to one query at a time.
	plan, err := planBatches(ctx, tx, r)
	if err != nil {
		return err
	}
	if len(plan) == 0 {
		return nil
	}
	var snapshot string
	if err := tx.QueryRow(ctx, `SELECT pg_export_snapshot()`).Scan(&snapshot); err != nil {
		return err
	}
	type batch struct {
		recs []storage.Record
		err  error
	}
	// Batch i may be read once batch i-window is used: what is in memory
	// is bounded, and the batch used next is always let through.
	const window = recordReaders + 1
	results := make([]chan batch, len(plan))
	permit := make([]chan struct{}, len(plan))
	for i := range results {
		results[i], permit[i] = make(chan batch, 1), make(chan struct{}, 1)
		if i < window {
			permit[i] <- struct{}{}
		}
	}
	rctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for w := range min(recordReaders, len(plan)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rtx, err := s.pool.BeginTx(rctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
			if err == nil {
				defer rtx.Rollback(context.Background())
				_, err = rtx.Exec(rctx, `SET TRANSACTION SNAPSHOT '`+snapshot+`'`)
			}
			for i := w; i < len(plan); i += recordReaders {
				select {
				case <-permit[i]:
				case <-rctx.Done():
					return
				}
				var recs []storage.Record
				if err == nil {
					recs, err = s.batch(rctx, rtx, r, names, plan[i])
				}
				results[i] <- batch{recs, err}
				if err != nil {
					return
				}
			}
		}()
	}
	defer func() { // before the rollback: the readers are done
		cancel()
		wg.Wait()
	}()
	for i := range plan {
		var b batch
		select {
		case b = <-results[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		if b.err != nil {
			return b.err
		}
		for _, rec := range b.recs {
			if err := ctx.Err(); err != nil {
				return err // a batch and the select above may both be ready
			}
			if rec.Document.ID == "" {
				continue // dropped by the status filter
			}
			if err := fn(rec); err != nil {
				return err
			}
		}
		if i+window < len(plan) {
			permit[i+window] <- struct{}{}
		}
	}
	return ctx.Err()
}

// recordReaders is how many connections read records at a time.
const recordReaders = 2

// seqRange is a batch of documents: seq in [from, to]. When lo is set, the
// documents whose IDs are in [lo, hi] are the batch's and at most a
// quarter more: its statuses, spans, relations and values are then read by
// that range of their tables' document_id indexes, which costs the server
// less than a look-up a document (= ANY of the batch's IDs), and the rows
// of documents not in the batch are dropped. Documents imported in one go
// have IDs in import order (UUIDv7), so a batch's IDs are usually such a
// range; merged or moved ones may not be.
type seqRange struct {
	from, to int64
	lo, hi   string
}

// rangeSlack is how many documents of other batches, per 4 of its own, a
// batch's ID range may hold.
const rangeSlack = 1

// planBatches cuts the documents the filter keeps into batches of at most
// recordBatch documents and recordBatchText code points of text (a longer
// document is a batch of its own), each with its ID range when it is
// tight (see seqRange).
func planBatches(ctx context.Context, tx pgx.Tx, r filter) ([]seqRange, error) {
	// Each document's place in ID order, among all documents: how many a
	// batch's ID range holds. Not with a list of documents (a few, usually).
	q, args := `SELECT seq, length, id, row_number() OVER (ORDER BY id) FROM documents ORDER BY seq`, []any(nil)
	if r.docs != nil {
		q, args = `SELECT d.seq, d.length, '', 0::bigint FROM documents d WHERE d.id = ANY($1) ORDER BY d.seq`, []any{r.docs}
	}
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var plan []seqRange
	n, text := 0, int64(0)
	var id pgtype.DriverBytes
	var lo, hi []byte    // the batch's least and greatest ID
	var loAt, hiAt int64 // their places in ID order
	end := func() {      // the batch's range, if tight
		if len(plan) > 0 && hiAt > 0 && hiAt-loAt+1 <= int64(n+n*rangeSlack/4) {
			plan[len(plan)-1].lo, plan[len(plan)-1].hi = string(lo), string(hi)
		}
	}
	for rows.Next() {
		var seq, length, at int64
		if err := rows.Scan(&seq, &length, &id, &at); err != nil {
			return nil, err
		}
		if len(plan) == 0 || n == recordBatch || n > 0 && text+length > recordBatchText {
			end()
			plan = append(plan, seqRange{from: seq, to: seq})
			n, text = 0, 0
			lo, hi, loAt, hiAt = append(lo[:0], id...), append(hi[:0], id...), at, at
		}
		plan[len(plan)-1].to = seq
		n++
		text += length
		if at < loAt {
			lo, loAt = append(lo[:0], id...), at
		}
		if at > hiAt {
			hi, hiAt = append(hi[:0], id...), at
		}
	}
	end()
	return plan, rows.Err()
}

// docsIn is the condition on column col (of document IDs) that keeps the
// batch's documents, with its arguments as $1 and on (see seqRange): the
// caller drops the rows of documents not in ids.
func (b seqRange) docsIn(col string, ids []string) (string, []any) {
	if b.lo != "" {
		return col + ` BETWEEN $1 AND $2`, []any{b.lo, b.hi}
	}
	return col + ` = ANY($1)`, []any{ids}
}

// batch reads the documents of one planned batch, filled.
func (s *Source) batch(ctx context.Context, tx pgx.Tx, r filter, names map[string]string, in seqRange) ([]storage.Record, error) {
	// The texts by the batch's ID range when it is tight (a hash join of
	// two index ranges), else by a look-up a document. Joined plainly, the
	// server's plan reads every text of the table for each batch.
	text, from := `(SELECT t.text FROM document_texts t WHERE t.document_id = d.id)`, `documents d`
	args := []any{in.from, in.to, r.docs}
	if in.lo != "" {
		text, from = `t.text`, `documents d JOIN document_texts t ON t.document_id = d.id AND t.document_id BETWEEN $4 AND $5`
		args = append(args, in.lo, in.hi)
	}
	rows, err := tx.Query(ctx, `SELECT d.seq, d.id, d.title, d.file_name, d.format, d.sha256, d.length, d.imported_at,
			d.byline, d.published, d.site, `+text+`
		FROM `+from+`
		WHERE d.seq BETWEEN $1 AND $2 AND ($3::text[] IS NULL OR d.id = ANY($3))
		ORDER BY d.seq`, args...)
	if err != nil {
		return nil, err
	}
	var recs []storage.Record
	var at, seq int64
	var body *string
	for rows.Next() {
		var rec storage.Record
		d := &rec.Document
		if err := rows.Scan(&seq, &d.ID, &d.Title, &d.FileName, &d.Format, &d.SHA256, &d.Length, &at,
			&d.Byline, &d.Published, &d.Site, &body); err != nil {
			rows.Close()
			return nil, err
		}
		if body == nil {
			continue // no text: not a document yet (as a join has it)
		}
		d.Text, d.ImportedAt = *body, fromNanos(at)
		recs = append(recs, rec)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, nil
	}
	if err := s.fill(ctx, tx, r, names, in, recs); err != nil {
		return nil, err
	}
	return recs, nil
}

// spansHint is how many spans a batch of n documents is likely to hold: a
// little more than the last batch had per document, at least 8.
func (s *Source) spansHint(n int) int {
	per := s.perDoc.Load() // spans per 1,000 documents
	if per < 8000 {
		per = 8000
	}
	return int(int64(n)*per/1000) + 16
}

// spansRead keeps a batch's spans per document for the next spansHint.
func (s *Source) spansRead(docs, spans int) {
	if docs > 0 {
		s.perDoc.Store(int64(spans) * 1000 * 9 / 8 / int64(docs))
	}
}

// idNames gives the IDs that repeat in a batch's rows (annotators, labels)
// as one string each, with their names, from the driver's bytes.
type idNames struct {
	names map[string]string    // ID -> name
	seen  map[string][2]string // ID -> the ID, its name
	last  [4][2]string         // the last IDs new to seen, tried first
	next  int                  // where the next goes in last
}

func (n *idNames) get(b []byte) (id, name string) {
	for _, v := range n.last {
		if v[0] == string(b) {
			return v[0], v[1]
		}
	}
	if v, ok := n.seen[string(b)]; ok {
		return v[0], v[1]
	}
	id = string(b)
	name = n.names[id]
	n.seen[id] = [2]string{id, name}
	n.last[n.next] = [2]string{id, name}
	n.next = (n.next + 1) % len(n.last)
	return id, name
}

// rawRows reads rows' columns from the driver's bytes, without Scan's plan
// a column: text as it comes, bigint in the binary format or the text one.
// A column that is NULL reads as "" (text) or an error (bigint).
type rawRows struct {
	rows    pgx.Rows
	vals    [][]byte
	formats []int16
	bad     error
}

func (r *rawRows) next() bool {
	if r.bad != nil || !r.rows.Next() {
		return false
	}
	if r.formats == nil {
		for _, fd := range r.rows.FieldDescriptions() {
			r.formats = append(r.formats, fd.Format)
		}
	}
	r.vals = r.rows.RawValues()
	return true
}

func (r *rawRows) bytes(i int) []byte { return r.vals[i] }

func (r *rawRows) int64(i int) int64 {
	b := r.vals[i]
	if r.formats[i] == pgx.BinaryFormatCode && len(b) == 8 {
		return int64(binary.BigEndian.Uint64(b))
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil || b == nil || r.formats[i] != pgx.TextFormatCode {
		if r.bad == nil {
			r.bad = fmt.Errorf("column %d: not a bigint: %q", i, b)
		}
		return 0
	}
	return n
}

// err is the rows' error, or a column's that did not read.
func (r *rawRows) err() error {
	if err := r.rows.Err(); err != nil {
		return err
	}
	return r.bad
}

// fill gives a batch of records their statuses, spans, relations and
// values; a record the status filter drops gets an empty ID.
func (s *Source) fill(ctx context.Context, tx pgx.Tx, f filter, names map[string]string, in seqRange, recs []storage.Record) error {
	index := make(map[string]int, len(recs))
	ids := make([]string, len(recs))
	for i, rec := range recs {
		index[rec.Document.ID] = i
		ids[i] = rec.Document.ID
	}
	// Statuses, and who is kept where.
	kept := make([]map[string]bool, len(recs)) // nil: everyone
	cond, args := in.docsIn("document_id", ids)
	rows, err := tx.Query(ctx, `SELECT document_id, annotator_id, status, updated FROM document_status
		WHERE `+cond+` ORDER BY annotator_id`, args...)
	if err != nil {
		return err
	}
	statuses := make([][]storage.AnnotatorStatus, len(recs))
	for rows.Next() {
		var doc string
		var st storage.AnnotatorStatus
		var at int64
		if err := rows.Scan(&doc, &st.AnnotatorID, &st.Status, &at); err != nil {
			rows.Close()
			return err
		}
		st.Annotator, st.Updated = names[st.AnnotatorID], fromNanos(at)
		k, ok := index[doc]
		if !ok {
			continue // another batch's (docsIn)
		}
		statuses[k] = append(statuses[k], st)
	}
	rows.Close()
	for k := range recs {
		var keep map[string]bool
		if f.annotator != "" {
			keep = map[string]bool{f.annotator: true}
		}
		if f.status != "" {
			keep = map[string]bool{}
			for _, a := range statuses[k] {
				if (f.annotator == "" || a.AnnotatorID == f.annotator) && a.Status == f.status {
					keep[a.AnnotatorID] = true
				}
			}
			if f.annotator != "" && f.status == storage.StatusTodo && !slices.ContainsFunc(statuses[k], func(a storage.AnnotatorStatus) bool { return a.AnnotatorID == f.annotator }) {
				keep[f.annotator] = true
			}
			if len(keep) == 0 {
				recs[k].Document.ID = "" // nobody kept: the document is not exported
				continue
			}
		}
		kept[k] = keep
		for _, a := range statuses[k] {
			if keep == nil || keep[a.AnnotatorID] {
				recs[k].Statuses = append(recs[k].Statuses, a)
			}
		}
		slices.SortStableFunc(recs[k].Statuses, func(a, b storage.AnnotatorStatus) int {
			return strings.Compare(a.Annotator+"\x00"+a.AnnotatorID, b.Annotator+"\x00"+b.AnnotatorID)
		})
	}
	// Spans. The IDs that repeat (document, annotator, label) are read as the
	// driver's bytes and looked up, not made into strings a span each. The
	// spans are read into one slice, sized from the last batch; the server
	// sends a document's spans together (in the order they were stored, or
	// the index's), and then each record's spans are a piece of it. When
	// they come mixed, they are placed in a second array, a document's
	// together.
	cond, args = in.docsIn("document_id", ids)
	rows, err = tx.Query(ctx, `SELECT id, document_id, annotator_id, label_id, start, "end", text, note, created, updated, suggestion
		FROM spans WHERE `+cond, args...)
	if err != nil {
		return err
	}
	all := make([]storage.Span, 0, s.spansHint(len(recs)))
	of := make([]int32, 0, cap(all)) // all[i] is recs[of[i]]'s
	counts := make([]int, len(recs))
	grouped, last := true, -1
	seen := idNames{names: names, seen: map[string][2]string{}}
	k, ok := -1, false // the last row's document
	raw := rawRows{rows: rows}
	var strs []byte // the row's own strings, made one string
	for raw.next() {
		doc, ann, lab := raw.bytes(1), raw.bytes(2), raw.bytes(3)
		if !ok || recs[k].Document.ID != string(doc) {
			k, ok = index[string(doc)]
		}
		if !ok || recs[k].Document.ID == "" { // another batch's (docsIn), or dropped
			continue
		}
		annID, annName := seen.get(ann)
		labID, labName := seen.get(lab)
		if kept[k] != nil && !kept[k][annID] || f.labels != nil && !f.labels[labID] {
			continue
		}
		id, text, note, sugg := raw.bytes(0), raw.bytes(6), raw.bytes(7), raw.bytes(10)
		strs = append(append(append(append(strs[:0], id...), text...), note...), sugg...)
		one := string(strs)
		n0, n1, n2 := len(id), len(id)+len(text), len(id)+len(text)+len(note)
		all = append(all, storage.Span{ID: one[:n0], DocumentID: recs[k].Document.ID, AnnotatorID: annID, Annotator: annName,
			LabelID: labID, Label: labName, Start: int(raw.int64(4)), End: int(raw.int64(5)),
			Text: one[n0:n1], Note: one[n1:n2], Suggestion: one[n2:],
			Created: fromNanos(raw.int64(8)), Updated: fromNanos(raw.int64(9))})
		if k != last && counts[k] > 0 {
			grouped = false
		}
		last = k
		of = append(of, int32(k))
		counts[k]++
	}
	rows.Close()
	if err := raw.err(); err != nil {
		return err
	}
	s.spansRead(len(recs), len(all))
	if grouped {
		for k, n := range counts {
			if n == 0 {
				recs[k].Spans = []storage.Span{} // as SQLite gives it
			}
		}
		for i := 0; i < len(all); {
			k := int(of[i])
			recs[k].Spans = all[i : i+counts[k] : i+counts[k]]
			i += counts[k]
		}
	} else {
		storage.PlaceSpans(recs, all, of, counts)
	}
	spanSet := make([]map[string]bool, len(recs)) // built for a document when asked
	hasSpan := func(k int, id string) bool {
		if spanSet[k] == nil {
			spanSet[k] = make(map[string]bool, len(recs[k].Spans))
			for _, sp := range recs[k].Spans {
				spanSet[k][sp.ID] = true
			}
		}
		return spanSet[k][id]
	}
	for k := range recs {
		slices.SortFunc(recs[k].Spans, storage.CompareSpans)
	}
	// Relations between kept spans, and the values of what is kept.
	cond, args = in.docsIn("r.document_id", ids)
	rows, err = tx.Query(ctx, `SELECT r.id, r.document_id, r.annotator_id, r.type_id, r.from_span, r.to_span, r.created, r.updated, t.name
		FROM relations r JOIN relation_types t ON t.id = r.type_id WHERE `+cond+` ORDER BY r.created, r.id`, args...)
	if err != nil {
		return err
	}
	keptRel := map[string]bool{}
	for rows.Next() {
		var rel storage.Relation
		var created, updated int64
		if err := rows.Scan(&rel.ID, &rel.DocumentID, &rel.AnnotatorID, &rel.TypeID, &rel.From, &rel.To, &created, &updated, &rel.Type); err != nil {
			rows.Close()
			return err
		}
		k, ok := index[rel.DocumentID]
		if !ok || recs[k].Document.ID == "" || kept[k] != nil && !kept[k][rel.AnnotatorID] {
			continue
		}
		if !hasSpan(k, rel.From) || !hasSpan(k, rel.To) {
			recs[k].RelationsDropped++
			continue
		}
		rel.Created, rel.Updated, rel.Annotator = fromNanos(created), fromNanos(updated), names[rel.AnnotatorID]
		recs[k].Relations = append(recs[k].Relations, rel)
		keptRel[rel.ID] = true
	}
	rows.Close()
	cond, args = in.docsIn("v.document_id", ids)
	rows, err = tx.Query(ctx, `SELECT v.document_id, v.owner_id, v.attribute_id, v.value, v.updated, a.name
		FROM attribute_values v JOIN attributes a ON a.id = v.attribute_id WHERE `+cond+`
		ORDER BY v.owner_id, a.position, a.name`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var doc string
		var v storage.AttributeValue
		var updated int64
		if err := rows.Scan(&doc, &v.OwnerID, &v.AttributeID, &v.Value, &updated, &v.Name); err != nil {
			return err
		}
		k, ok := index[doc]
		if !ok || recs[k].Document.ID == "" || !hasSpan(k, v.OwnerID) && !keptRel[v.OwnerID] {
			continue
		}
		v.Updated = fromNanos(updated)
		if recs[k].Attrs == nil {
			recs[k].Attrs = map[string][]storage.AttributeValue{}
		}
		recs[k].Attrs[v.OwnerID] = append(recs[k].Attrs[v.OwnerID], v)
	}
	if err := rows.Err(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	rows.Close()
	if f.sugs {
		return fillSuggestions(ctx, tx, f, in, ids, index, kept, recs)
	}
	return nil
}

// fillSuggestions gives the batch's records the open suggestions of the
// annotators kept (not rejected, not a span of theirs yet), in
// storage.Store's order: by start, longer first, label, higher score,
// source, annotator, ID.
func fillSuggestions(ctx context.Context, tx pgx.Tx, f filter, in seqRange, ids []string, index map[string]int, kept []map[string]bool, recs []storage.Record) error {
	cond, args := in.docsIn("g.document_id", ids)
	args = append(args, f.annotator)
	rows, err := tx.Query(ctx, storage.SuggestionSelect+`
		WHERE `+cond+fmt.Sprintf(` AND ($%d = '' OR g.annotator_id = $%d)`, len(args), len(args))+storage.OpenSuggestionSQL+`
		ORDER BY g.start, g."end" DESC, g.label_id COLLATE "C", g.score DESC, g.source COLLATE "C", g.annotator_id COLLATE "C", g.id COLLATE "C"`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		g, err := storage.ScanSuggestion(rows)
		if err != nil {
			return err
		}
		k, ok := index[g.DocumentID]
		if !ok || recs[k].Document.ID == "" || kept[k] != nil && !kept[k][g.AnnotatorID] || f.labels != nil && !f.labels[g.LabelID] {
			continue
		}
		recs[k].Suggestions = append(recs[k].Suggestions, g)
	}
	return rows.Err()
}

// Stats summarises the server as storage.Store.Stats does a SQLite file.
func (s *Source) Stats(ctx context.Context) (storage.Stats, error) {
	var st storage.Stats
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return st, err
	}
	defer tx.Rollback(context.Background())
	if err := tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM spans),
		(SELECT count(*) FROM annotators), (SELECT count(*) FROM relations)`).Scan(&st.Documents, &st.Spans, &st.Annotators, &st.Relations); err != nil {
		return st, err
	}
	counts := func(q string) ([]storage.NameCount, error) {
		rows, err := tx.Query(ctx, q)
		if err != nil {
			return nil, err
		}
		return pgx.CollectRows(rows, func(r pgx.CollectableRow) (storage.NameCount, error) {
			var nc storage.NameCount
			err := r.Scan(&nc.Name, &nc.Count)
			return nc, err
		})
	}
	if st.PerLabel, err = counts(`SELECT l.name, count(s.id) AS n FROM labels l LEFT JOIN spans s ON s.label_id = l.id
		GROUP BY l.id, l.name ORDER BY n DESC, l.name`); err != nil {
		return st, err
	}
	if st.PerRelationType, err = counts(`SELECT t.name, count(r.id) AS n FROM relation_types t LEFT JOIN relations r ON r.type_id = t.id
		GROUP BY t.id, t.name ORDER BY n DESC, t.name`); err != nil {
		return st, err
	}
	if st.PerAnnotator, err = counts(`SELECT a.name, count(s.id) AS n FROM annotators a LEFT JOIN spans s ON s.annotator_id = a.id
		GROUP BY a.id, a.name ORDER BY n DESC, a.name`); err != nil {
		return st, err
	}
	set, err := counts(`SELECT status, count(*) FROM document_status WHERE status <> 'todo' GROUP BY status`)
	if err != nil {
		return st, err
	}
	byStatus := map[string]int{}
	todo := st.Documents * st.Annotators
	for _, nc := range set {
		byStatus[nc.Name] = nc.Count
		todo -= nc.Count
	}
	byStatus[string(storage.StatusTodo)] = todo
	for _, status := range storage.Statuses {
		st.PerStatus = append(st.PerStatus, storage.NameCount{Name: string(status), Count: byStatus[string(status)]})
	}
	per, err := tx.Query(ctx, `SELECT a.name, coalesce(ds.status, ''), count(ds.document_id)
		FROM annotators a LEFT JOIN document_status ds ON ds.annotator_id = a.id AND ds.status <> 'todo'
		GROUP BY a.id, a.name, ds.status ORDER BY a.name, a.id`)
	if err != nil {
		return st, err
	}
	defer per.Close()
	by := map[string]map[string]int{}
	for per.Next() {
		var name, status string
		var n int
		if err := per.Scan(&name, &status, &n); err != nil {
			return st, err
		}
		if by[name] == nil {
			by[name] = map[string]int{}
			st.StatusByAnnotator = append(st.StatusByAnnotator, storage.AnnotatorStatuses{Annotator: name})
		}
		if status != "" {
			by[name][status] = n
		}
	}
	for i := range st.StatusByAnnotator {
		m := by[st.StatusByAnnotator[i].Annotator]
		left := st.Documents
		for _, n := range m {
			left -= n
		}
		m[string(storage.StatusTodo)] = left
		for _, status := range storage.Statuses {
			st.StatusByAnnotator[i].Counts = append(st.StatusByAnnotator[i].Counts, storage.NameCount{Name: string(status), Count: m[string(status)]})
		}
	}
	return st, per.Err()
}

// Document is document id with its text.
func (s *Source) Document(ctx context.Context, id string) (storage.Document, error) {
	var d storage.Document
	var at int64
	err := s.pool.QueryRow(ctx, `SELECT d.id, d.title, d.file_name, d.format, d.sha256, d.length, d.imported_at,
			d.byline, d.published, d.site, t.text
		FROM documents d JOIN document_texts t ON t.document_id = d.id WHERE d.id = $1`, id).
		Scan(&d.ID, &d.Title, &d.FileName, &d.Format, &d.SHA256, &d.Length, &at, &d.Byline, &d.Published, &d.Site, &d.Text)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, fmt.Errorf("%w: document %q", storage.ErrNotFound, id)
	}
	d.ImportedAt = fromNanos(at)
	return d, err
}

// Annotators are every annotator by name.
func (s *Source) Annotators(ctx context.Context) ([]storage.Annotator, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, name, created FROM annotators ORDER BY name, id`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (storage.Annotator, error) {
		var a storage.Annotator
		var created int64
		err := r.Scan(&a.ID, &a.Name, &created)
		a.Created = fromNanos(created)
		return a, err
	})
}

// Spans are document docID's spans of annotatorID ("" for everyone's), by
// start, longer first, with their label and annotator names.
func (s *Source) Spans(ctx context.Context, docID, annotatorID string) ([]storage.Span, error) {
	rows, err := s.pool.Query(ctx, `SELECT s.id, s.document_id, s.annotator_id, s.label_id, s.start, s."end", s.text, s.note,
			s.created, s.updated, s.suggestion, l.name, a.name
		FROM spans s JOIN labels l ON l.id = s.label_id JOIN annotators a ON a.id = s.annotator_id
		WHERE s.document_id = $1 AND ($2 = '' OR s.annotator_id = $2)`, docID, annotatorID)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (storage.Span, error) {
		var sp storage.Span
		var start, end, created, updated int64
		err := r.Scan(&sp.ID, &sp.DocumentID, &sp.AnnotatorID, &sp.LabelID, &start, &end, &sp.Text, &sp.Note,
			&created, &updated, &sp.Suggestion, &sp.Label, &sp.Annotator)
		sp.Start, sp.End, sp.Created, sp.Updated = int(start), int(end), fromNanos(created), fromNanos(updated)
		return sp, err
	})
	slices.SortFunc(out, storage.CompareSpans)
	return out, err
}

// Relations are document docID's relations of annotatorID ("" for
// everyone's), in the order they were made.
func (s *Source) Relations(ctx context.Context, docID, annotatorID string) ([]storage.Relation, error) {
	rows, err := s.pool.Query(ctx, `SELECT r.id, r.document_id, r.annotator_id, r.type_id, r.from_span, r.to_span, r.created, r.updated, t.name, a.name
		FROM relations r JOIN relation_types t ON t.id = r.type_id JOIN annotators a ON a.id = r.annotator_id
		WHERE r.document_id = $1 AND ($2 = '' OR r.annotator_id = $2) ORDER BY r.created, r.id`, docID, annotatorID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (storage.Relation, error) {
		var rel storage.Relation
		var created, updated int64
		err := r.Scan(&rel.ID, &rel.DocumentID, &rel.AnnotatorID, &rel.TypeID, &rel.From, &rel.To, &created, &updated, &rel.Type, &rel.Annotator)
		rel.Created, rel.Updated = fromNanos(created), fromNanos(updated)
		return rel, err
	})
}

// Search calls fn with each match of q in the server's documents, in
// import order and then by offset, with Search's rules and exact
// code-point offsets (storage.TextMatcher); with q.Label, within the spans
// of that label (of q.AnnotatorID's, when given), each on its own. The
// server has no search index yet: every text the filters keep is read and
// searched.
func (s *Source) Search(ctx context.Context, q storage.SearchQuery, fn func(storage.SearchMatch) error) error {
	m, err := storage.NewTextMatcher(q)
	if err != nil {
		return err
	}
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return err
	}
	defer tx.Rollback(context.Background())
	var labelIDs []string
	if q.Label != "" {
		lr, err := tx.Query(ctx, `SELECT id FROM labels WHERE lower(name) = lower($1)`, strings.TrimSpace(q.Label))
		if err != nil {
			return err
		}
		if labelIDs, err = pgx.CollectRows(lr, pgx.RowTo[string]); err != nil {
			return err
		}
		if len(labelIDs) == 0 {
			return fmt.Errorf("%w: label %q", storage.ErrNotFound, q.Label)
		}
	}
	rows, err := tx.Query(ctx, `SELECT d.id, d.title, t.text,
			CASE WHEN $4::text[] IS NULL THEN NULL ELSE (SELECT json_agg(json_build_array(s.id, s.start, s."end") ORDER BY s.start, s."end" DESC)::text
				FROM spans s WHERE s.document_id = d.id AND s.label_id = ANY($4) AND ($3 = '' OR s.annotator_id = $3)) END
		FROM documents d JOIN document_texts t ON t.document_id = d.id
		WHERE ($1::text[] IS NULL OR d.id = ANY($1))
			AND ($2 = '' OR ($3 <> '' AND coalesce((SELECT status FROM document_status ds
					WHERE ds.document_id = d.id AND ds.annotator_id = $3), 'todo') = $2)
				OR ($3 = '' AND (EXISTS (SELECT 1 FROM document_status ds WHERE ds.document_id = d.id AND ds.status = $2)
					OR $2 = 'todo' AND NOT EXISTS (SELECT 1 FROM document_status ds WHERE ds.document_id = d.id AND ds.status <> 'todo'))))
		ORDER BY d.seq`, nilIfEmpty(q.DocumentIDs), string(q.Status), q.AnnotatorID, nilIfEmpty(labelIDs))
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, title, text string
		var spansJSON *string
		if err := rows.Scan(&id, &title, &text, &spansJSON); err != nil {
			return err
		}
		var found []storage.SearchMatch
		if labelIDs == nil {
			found = m.Find(id, title, text)
		} else if spansJSON != nil {
			var raw [][3]any
			if err := json.Unmarshal([]byte(*spansJSON), &raw); err != nil {
				return err
			}
			spans := make([]storage.Span, 0, len(raw))
			for _, r := range raw {
				sid, _ := r[0].(string)
				start, _ := r[1].(float64)
				end, _ := r[2].(float64)
				spans = append(spans, storage.Span{ID: sid, Start: int(start), End: int(end)})
			}
			found = m.FindInSpans(id, title, text, spans)
		}
		for _, match := range found {
			if err := fn(match); err != nil {
				return err
			}
			if n++; q.Limit > 0 && n >= q.Limit {
				return nil
			}
		}
	}
	return rows.Err()
}

func nilIfEmpty(ids []string) []string {
	if len(ids) == 0 {
		return nil
	}
	return ids
}
