package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// RecordFilter selects what an export takes. The zero filter takes every
// document with every span and status.
type RecordFilter struct {
	// AnnotatorID or Annotator (a name, matched exactly) keeps that
	// annotator's spans and status only. Giving an unknown one is an error
	// (ErrNotFound). Both may be given if they agree.
	AnnotatorID string
	Annotator   string
	// Status keeps, per document, the annotators whose status there is
	// Status (an annotator without a recorded status counts as todo), and
	// only the documents where at least one annotator is kept. Their spans
	// and statuses are the ones exported. "" keeps everything.
	Status Status
	// Labels keeps only spans with these label names (matched like label
	// names are, ignoring case); documents are not dropped for having none.
	// An unknown name is an error (ErrNotFound).
	Labels []string
	// DocumentIDs keeps only these documents ("this document only");
	// nil keeps all. An unknown ID is an error (ErrNotFound).
	DocumentIDs []string
	// Suggestions also reads the kept annotators' open suggestions.
	Suggestions bool
}

// AnnotatorStatus is one annotator's status on a document.
type AnnotatorStatus struct {
	AnnotatorID string
	Annotator   string // the annotator's name
	Status      Status
	Updated     time.Time
}

// Record is one document as an export sees it: the document with its text,
// the spans the filter keeps (in Spans order, Label and Annotator filled)
// and the recorded statuses of the annotators it keeps (by annotator name,
// then id).
type Record struct {
	Document Document
	Spans    []Span
	Statuses []AnnotatorStatus
	// Suggestions are the kept annotators' open suggestions, read only
	// when RecordFilter.Suggestions asks (formats with a place for them).
	Suggestions []Suggestion
	// Relations are the relations of the kept annotators whose two ends
	// are both kept, by creation; RelationsDropped counts those the filter
	// dropped because one end (or both) was not kept.
	Relations        []Relation
	RelationsDropped int
	// Attrs are the attribute values of the kept spans and relations, by
	// owner ID.
	Attrs map[string][]AttributeValue
}

// recordBatchText caps the code points of document text read in one
// snapshot: the walk holds one batch in memory, not the database.
const recordBatchText = 4 << 20

// recordBatchDocs caps the documents of one batch.
const recordBatchDocs = 512

// resolvedFilter is a RecordFilter turned into ids.
type resolvedFilter struct {
	annotatorID string
	all         bool // no annotator given
	status      Status
	labelIDs    map[string]bool // nil: every label
	// annotators is every annotator id, for a status filter without an
	// annotator (an annotator without a status row counts as todo).
	annotators []string
	// docs is the DocumentIDs filter as a JSON array for json_each, "[]"
	// for every document (the SQL stays constant either way).
	docs string
	// server: the store is on a server (docFilterSQL).
	server bool
	// suggestions: read them too.
	suggestions bool
}

// allDocs is resolvedFilter.docs when no document filter is given.
const allDocs = "[]"

// docFilterSQL keeps the rows of documents d that the filter's docs
// (bound twice) allows.
func docFilterSQL(server bool) string {
	return ` AND (? = '[]' OR d.id IN (` + jsonEachSQL(server, "?") + `))`
}

func (s *Store) resolveFilter(ctx context.Context, q queryer, f RecordFilter) (resolvedFilter, error) {
	r := resolvedFilter{all: true, status: f.Status, docs: allDocs, server: s.server != nil, suggestions: f.Suggestions}
	if len(f.DocumentIDs) > 0 {
		for _, id := range f.DocumentIDs {
			var one int
			err := q.QueryRowContext(ctx, `SELECT 1 FROM documents WHERE id = ?`, id).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				return r, fmt.Errorf("%w: no document %q", ErrNotFound, id)
			}
			if err != nil {
				return r, err
			}
		}
		b, err := json.Marshal(f.DocumentIDs)
		if err != nil {
			return r, err
		}
		r.docs = string(b)
	}
	if f.Status != "" && !f.Status.Valid() {
		return r, fmt.Errorf("%w: unknown status %q (known: %s)", ErrInvalidEdit, f.Status, statusNames())
	}
	if f.Annotator != "" || f.AnnotatorID != "" {
		r.all = false
		var id, name string
		var err error
		if f.AnnotatorID != "" {
			err = q.QueryRowContext(ctx, `SELECT id, name FROM annotators WHERE id = ?`, f.AnnotatorID).Scan(&id, &name)
		} else {
			err = q.QueryRowContext(ctx, `SELECT id, name FROM annotators WHERE name = ?`, f.Annotator).Scan(&id, &name)
		}
		if errors.Is(err, sql.ErrNoRows) {
			who := f.Annotator
			if who == "" {
				who = f.AnnotatorID
			}
			return r, fmt.Errorf("%w: no annotator %q", ErrNotFound, who)
		}
		if err != nil {
			return r, err
		}
		if f.Annotator != "" && f.Annotator != name {
			return r, fmt.Errorf("%w: annotator id %s is %q, not %q", ErrConflict, id, name, f.Annotator)
		}
		r.annotatorID = id
	}
	if len(f.Labels) > 0 {
		r.labelIDs = map[string]bool{}
		for _, name := range f.Labels {
			rows, err := q.QueryContext(ctx, `SELECT id FROM labels WHERE name = ? COLLATE NOCASE`, strings.TrimSpace(name))
			if err != nil {
				return r, err
			}
			n := 0
			for rows.Next() {
				var id string
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return r, err
				}
				r.labelIDs[id] = true
				n++
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return r, err
			}
			if n == 0 {
				return r, fmt.Errorf("%w: no label %q", ErrNotFound, name)
			}
		}
	}
	if r.all && r.status != "" {
		rows, err := q.QueryContext(ctx, `SELECT id FROM annotators ORDER BY id`)
		if err != nil {
			return r, err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return r, err
			}
			r.annotators = append(r.annotators, id)
		}
		if err := rows.Err(); err != nil {
			return r, err
		}
	}
	return r, nil
}

// keep reports which annotators of a document the filter keeps, given the
// document's recorded statuses (annotator id → status). nil means all.
func (r resolvedFilter) keep(statuses map[string]Status) (kept map[string]bool, any bool) {
	if r.status == "" {
		if r.all {
			return nil, true
		}
		return map[string]bool{r.annotatorID: true}, true
	}
	kept = map[string]bool{}
	check := func(id string) {
		st, ok := statuses[id]
		if !ok {
			st = StatusTodo
		}
		if st == r.status {
			kept[id] = true
		}
	}
	if r.all {
		if r.status == StatusTodo {
			for _, id := range r.annotators {
				check(id)
			}
		} else {
			for id := range statuses {
				check(id)
			}
		}
	} else {
		check(r.annotatorID)
	}
	return kept, len(kept) > 0
}

// ValidateRecordFilter checks f against the database (unknown annotator,
// label or status) without reading any document.
func (s *Store) ValidateRecordFilter(ctx context.Context, f RecordFilter) error {
	_, err := s.resolveFilter(ctx, s.db, f)
	if err != nil {
		return fmt.Errorf("export filter: %w", err)
	}
	return nil
}

// CountRecords is the number of documents EachRecord would visit now, for
// a progress bar.
func (s *Store) CountRecords(ctx context.Context, f RecordFilter) (int, error) {
	var n int
	err := s.readSnapshot(ctx, func(c *sql.Conn) error {
		r, err := s.resolveFilter(ctx, c, f)
		if err != nil {
			return err
		}
		switch {
		case r.docs != allDocs:
			// A few named documents: count them as the walk will.
			return s.eachBatch(ctx, c, r, func(recs []Record) { n += len(recs) })
		case r.status == "":
			return c.QueryRowContext(ctx, `SELECT count(*) FROM documents`).Scan(&n)
		case !r.all && r.status == StatusTodo:
			return c.QueryRowContext(ctx, `
				SELECT count(*) FROM documents d
				WHERE coalesce((SELECT status FROM document_status
					WHERE document_id = d.id AND annotator_id = ?), 'todo') = 'todo'`, r.annotatorID).Scan(&n)
		case !r.all:
			return c.QueryRowContext(ctx, `
				SELECT count(*) FROM document_status WHERE annotator_id = ? AND status = ?`,
				r.annotatorID, r.status).Scan(&n)
		case r.status == StatusTodo:
			// Some annotator has no status or an explicit todo.
			return c.QueryRowContext(ctx, `
				SELECT count(*) FROM documents d
				WHERE (SELECT count(*) FROM document_status ds
					WHERE ds.document_id = d.id AND ds.status <> 'todo') < ?`, len(r.annotators)).Scan(&n)
		default:
			return c.QueryRowContext(ctx, `
				SELECT count(DISTINCT document_id) FROM document_status WHERE status = ?`, r.status).Scan(&n)
		}
	})
	if err != nil {
		return 0, fmt.Errorf("count records: %w", err)
	}
	return n, nil
}

// ExportLabels returns the label names an export should declare: those of
// the filter's Labels when given, else every label of every set, the
// default set first, each set in palette order, each name once.
func (s *Store) ExportLabels(ctx context.Context, f RecordFilter) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT l.id, l.name FROM labels l JOIN label_sets ls ON ls.id = l.set_id
		ORDER BY ls.name <> ?, ls.name, l.position, l.name`, DefaultLabelSetName)
	if err != nil {
		return nil, fmt.Errorf("export labels: %w", err)
	}
	defer rows.Close()
	var want map[string]bool
	if len(f.Labels) > 0 {
		want = map[string]bool{}
		for _, n := range f.Labels {
			want[strings.ToLower(strings.TrimSpace(n))] = true
		}
	}
	seen := map[string]bool{}
	var out []string
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("export labels: %w", err)
		}
		if want != nil && !want[strings.ToLower(name)] || seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, name)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("export labels: %w", err)
	}
	return out, nil
}

// EachRecord calls fn for every document the filter keeps, in import order,
// with its spans and statuses. It reads the documents in batches (at most
// recordBatchDocs documents or about recordBatchText code points of text),
// each batch from one snapshot, and holds no transaction while fn runs, so
// fn may take its time or write to the store. The next batch is read on
// another goroutine while fn works through the current one (so at most two
// batches are in memory); fn itself is called on the caller's goroutine,
// one record at a time. Documents imported meanwhile are visited when they
// come after the batches already read. An error from fn stops the walk and
// is returned as it is; so does a cancelled ctx.
func (s *Store) EachRecord(ctx context.Context, f RecordFilter, fn func(Record) error) error {
	var r resolvedFilter
	err := s.readSnapshot(ctx, func(c *sql.Conn) error {
		var err error
		r, err = s.resolveFilter(ctx, c, f)
		return err
	})
	if err != nil {
		return fmt.Errorf("each record: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	rctx, stop := context.WithCancel(ctx)
	type batch struct {
		records []Record
		err     error
	}
	batches := make(chan batch, 1)
	go func() {
		defer close(batches)
		var last int64
		var sc batchScratch
		for last >= 0 {
			var records []Record
			err := s.readSnapshot(rctx, func(c *sql.Conn) error {
				var err error
				records, last, err = s.readBatch(rctx, c, r, last, make([]Record, 0, 64), &sc)
				return err
			})
			select {
			case batches <- batch{records, err}:
			case <-rctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	defer func() {
		stop()
		for range batches { // let the reader finish before returning
		}
	}()
	for b := range batches {
		if b.err != nil {
			if err := ctx.Err(); err != nil {
				return err
			}
			return fmt.Errorf("each record: %w", b.err)
		}
		for i := range b.records {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(b.records[i]); err != nil {
				return err
			}
			b.records[i] = Record{} // let the text go
		}
	}
	return ctx.Err()
}

// batchScratch is memory readBatch reuses from one batch to the next.
type batchScratch struct {
	spans []Span
	owner []int32
}

// readBatch reads the documents after seq `after` into out: the next batch
// by seq, with their statuses and spans, dropping those the filter does not
// keep. It returns the last seq looked at, or -1 when there are no more.
func (s *Store) readBatch(ctx context.Context, c *sql.Conn, r resolvedFilter, after int64, out []Record, sc *batchScratch) ([]Record, int64, error) {
	hi, err := batchEnd(ctx, c, r, after)
	if err != nil || hi < 0 {
		return out, hi, err
	}
	statuses, err := batchStatuses(ctx, c, after, hi)
	if err != nil {
		return out, 0, err
	}
	out, keeps, err := batchDocuments(ctx, c, r, after, hi, statuses, out)
	if err != nil {
		return out, 0, err
	}
	if len(out) == 0 {
		return out, hi, nil
	}
	if err := batchSpans(ctx, c, r, after, hi, out, keeps, sc); err != nil {
		return out, 0, err
	}
	if r.suggestions {
		if err := batchSuggestions(ctx, c, r, after, hi, out, keeps); err != nil {
			return out, 0, err
		}
	}
	if err := batchRelations(ctx, c, r, after, hi, out, keeps); err != nil {
		return out, 0, err
	}
	return out, hi, nil
}

// batchEnd chooses the batch after seq `after` from the documents' lengths,
// without reading texts, and returns its last seq, or -1 when there are no
// more documents.
func batchEnd(ctx context.Context, c *sql.Conn, r resolvedFilter, after int64) (int64, error) {
	rows, err := c.QueryContext(ctx, `SELECT d.seq, d.length FROM documents d WHERE d.seq > ?`+docFilterSQL(r.server)+` ORDER BY d.seq LIMIT ?`,
		after, r.docs, r.docs, recordBatchDocs)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	hi, total, n := after, 0, 0
	for rows.Next() {
		var seq int64
		var length int
		if err := rows.Scan(&seq, &length); err != nil {
			return 0, err
		}
		if n > 0 && total+length > recordBatchText {
			break
		}
		hi, total, n = seq, total+length, n+1
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if n == 0 {
		return -1, nil
	}
	return hi, nil
}

// batchStatuses reads the statuses of the batch (after, hi], by document
// seq.
func batchStatuses(ctx context.Context, c *sql.Conn, after, hi int64) (map[int64][]AnnotatorStatus, error) {
	rows, err := c.QueryContext(ctx, `
		SELECT d.seq, ds.annotator_id, a.name, ds.status, ds.updated
		FROM documents d
		JOIN document_status ds ON ds.document_id = d.id
		JOIN annotators a ON a.id = ds.annotator_id
		WHERE d.seq > ? AND d.seq <= ?
		ORDER BY d.seq, a.name, a.id`, after, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	statuses := map[int64][]AnnotatorStatus{}
	for rows.Next() {
		var seq, updated int64
		var st AnnotatorStatus
		if err := rows.Scan(&seq, &st.AnnotatorID, &st.Annotator, &st.Status, &updated); err != nil {
			return nil, err
		}
		st.Updated = fromNanos(updated)
		statuses[seq] = append(statuses[seq], st)
	}
	return statuses, rows.Err()
}

// batchDocuments appends to out the documents of the batch (after, hi]
// that the filter keeps, with their texts and kept statuses; keeps[i] is
// the annotators kept of out[i] (nil: all).
func batchDocuments(ctx context.Context, c *sql.Conn, r resolvedFilter, after, hi int64,
	statuses map[int64][]AnnotatorStatus, out []Record) ([]Record, []map[string]bool, error) {
	rows, err := c.QueryContext(ctx, `
		SELECT `+documentColumns+`, t.text, d.seq
		FROM documents d JOIN document_texts t ON t.document_id = d.id
		WHERE d.seq > ? AND d.seq <= ?`+docFilterSQL(r.server)+` ORDER BY d.seq`, after, hi, r.docs, r.docs)
	if err != nil {
		return out, nil, err
	}
	defer rows.Close()
	var keeps []map[string]bool
	for rows.Next() {
		var rec Record
		var seq int64
		if err := scanDocument(rows, &rec.Document, &rec.Document.Text, &seq); err != nil {
			return out, nil, err
		}
		byID := map[string]Status{}
		for _, st := range statuses[seq] {
			byID[st.AnnotatorID] = st.Status
		}
		annotators, ok := r.keep(byID)
		if !ok {
			continue
		}
		for _, st := range statuses[seq] {
			if annotators == nil || annotators[st.AnnotatorID] {
				rec.Statuses = append(rec.Statuses, st)
			}
		}
		out = append(out, rec)
		keeps = append(keeps, annotators)
	}
	return out, keeps, rows.Err()
}

// batchSpans gives the records of the batch (after, hi] the spans the
// filter keeps, in Spans order, Label and Annotator filled.
func batchSpans(ctx context.Context, c *sql.Conn, r resolvedFilter, after, hi int64, out []Record, keeps []map[string]bool, sc *batchScratch) error {
	// Names of labels and annotators: small tables, read once per batch so
	// the span rows need no joins and their names no allocations.
	names, err := loadNames(ctx, c, "labels")
	if err != nil {
		return err
	}
	annotators, err := loadNames(ctx, c, "annotators")
	if err != nil {
		return err
	}
	ids := make(map[string]string, len(names)+len(annotators))
	for id := range names {
		ids[id] = id
	}
	for id, name := range annotators {
		names[id], ids[id] = name, id
	}
	index := make(map[string]int, len(out))
	for i := range out {
		index[out[i].Document.ID] = i
	}

	// Spans of the batch in one pass over the spans index, no sorting in
	// SQLite; each document's spans are put in Spans order below.
	q := `SELECT s.document_id, s.id, s.annotator_id, s.label_id, s.start, s."end", s.text, s.note, s.created, s.updated
		FROM spans s WHERE s.document_id IN (SELECT id FROM documents WHERE seq > ? AND seq <= ?)`
	args := []any{after, hi}
	if !r.all {
		q += ` AND s.annotator_id = ?`
		args = append(args, r.annotatorID)
	}
	rows, err := c.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	// Collect the batch's spans in one slice, then give each document an
	// exactly sized piece of one array: far fewer allocations than growing
	// every document's slice.
	var docID, annID, labelID sql.RawBytes
	var id, text, note string
	var start, end int
	var created, updated int64
	all, owner := sc.spans[:0], sc.owner[:0]
	defer func() {
		clear(all) // drop the strings; keep the arrays for the next batch
		sc.spans, sc.owner = all[:0], owner[:0]
	}()
	counts := make([]int, len(out))
	for rows.Next() {
		if err := rows.Scan(&docID, &id, &annID, &labelID, &start, &end, &text, &note, &created, &updated); err != nil {
			return err
		}
		k, ok := index[string(docID)]
		if !ok {
			continue // a document the filter dropped
		}
		if a := keeps[k]; a != nil && !a[string(annID)] {
			continue
		}
		if r.labelIDs != nil && !r.labelIDs[string(labelID)] {
			continue
		}
		sp := Span{ID: id, DocumentID: out[k].Document.ID, AnnotatorID: internID(ids, annID), LabelID: internID(ids, labelID),
			Start: start, End: end, Text: text, Note: note, Created: fromNanos(created), Updated: fromNanos(updated)}
		sp.Annotator, sp.Label = names[sp.AnnotatorID], names[sp.LabelID]
		all = append(all, sp)
		owner = append(owner, int32(k))
		counts[k]++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	PlaceSpans(out, all, owner, counts)
	for i := range out {
		slices.SortFunc(out[i].Spans, CompareSpans)
	}
	return nil
}

// internID returns id as the string kept in ids (no allocation) when it
// is there.
func internID(ids map[string]string, id []byte) string {
	if v, ok := ids[string(id)]; ok {
		return v
	}
	return string(id)
}

// eachBatch reads every batch of r on c, in one snapshot, and hands each
// to fn.
func (s *Store) eachBatch(ctx context.Context, c *sql.Conn, r resolvedFilter, fn func([]Record)) error {
	var sc batchScratch
	for last := int64(0); last >= 0; {
		var recs []Record
		var err error
		if recs, last, err = s.readBatch(ctx, c, r, last, nil, &sc); err != nil {
			return err
		}
		fn(recs)
	}
	return nil
}

// batchSuggestions gives the records of the batch (after, hi] the open
// suggestions of the annotators the filter keeps, in span order (then
// label, higher score, source, annotator and ID: the same on every engine).
func batchSuggestions(ctx context.Context, c *sql.Conn, r resolvedFilter, after, hi int64, out []Record, keeps []map[string]bool) error {
	index := make(map[string]int, len(out))
	for i := range out {
		index[out[i].Document.ID] = i
	}
	rows, err := c.QueryContext(ctx, SuggestionSelect+`
		JOIN documents d ON d.id = g.document_id
		WHERE d.seq > ? AND d.seq <= ? AND (? = '' OR g.annotator_id = ?)`+OpenSuggestionSQL+`
		ORDER BY d.seq, g.start, g."end" DESC, g.label_id, g.score DESC, g.source, g.annotator_id, g.id`, after, hi, r.annotatorID, r.annotatorID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		g, err := ScanSuggestion(rows)
		if err != nil {
			return err
		}
		k, ok := index[g.DocumentID]
		if !ok || keeps[k] != nil && !keeps[k][g.AnnotatorID] || r.labelIDs != nil && !r.labelIDs[g.LabelID] {
			continue
		}
		out[k].Suggestions = append(out[k].Suggestions, g)
	}
	return rows.Err()
}

// batchRelations gives the records of the batch (after, hi] the relations
// of the kept annotators between kept spans, and the attribute values of
// what is kept. Few databases have any: a batch without relations or
// values costs two index probes.
func batchRelations(ctx context.Context, c *sql.Conn, r resolvedFilter, after, hi int64, out []Record, keeps []map[string]bool) error {
	index := make(map[string]int, len(out))
	for i := range out {
		index[out[i].Document.ID] = i
	}
	kept := map[string]bool{}
	rows, err := c.QueryContext(ctx, relationSelect+`
		JOIN documents d ON d.id = r.document_id
		WHERE d.seq > ? AND d.seq <= ? AND (? = '' OR r.annotator_id = ?)
		ORDER BY d.seq, r.created, r.id`, after, hi, r.annotatorID, r.annotatorID)
	if err != nil {
		return err
	}
	defer rows.Close()
	spanSets := make([]map[string]bool, len(out))
	for rows.Next() {
		rel, err := scanRelation(rows)
		if err != nil {
			return err
		}
		k, ok := index[rel.DocumentID]
		if !ok || keeps[k] != nil && !keeps[k][rel.AnnotatorID] {
			continue
		}
		if spanSets[k] == nil {
			spanSets[k] = make(map[string]bool, len(out[k].Spans))
			for _, sp := range out[k].Spans {
				spanSets[k][sp.ID] = true
			}
		}
		if !spanSets[k][rel.From] || !spanSets[k][rel.To] {
			out[k].RelationsDropped++
			continue
		}
		out[k].Relations = append(out[k].Relations, rel)
		kept[rel.ID] = true
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	vals, err := c.QueryContext(ctx, `
		SELECT v.document_id, v.owner_id, v.attribute_id, v.value, v.updated, a.name
		FROM attribute_values v JOIN attributes a ON a.id = v.attribute_id
		WHERE v.document_id IN (SELECT id FROM documents WHERE seq > ? AND seq <= ?)
		ORDER BY v.owner_id, a.position, a.name`, after, hi)
	if err != nil {
		return err
	}
	defer vals.Close()
	for vals.Next() {
		var docID string
		var v AttributeValue
		var updated int64
		if err := vals.Scan(&docID, &v.OwnerID, &v.AttributeID, &v.Value, &updated, &v.Name); err != nil {
			return err
		}
		k, ok := index[docID]
		if !ok {
			continue
		}
		if !kept[v.OwnerID] {
			if spanSets[k] == nil {
				spanSets[k] = make(map[string]bool, len(out[k].Spans))
				for _, sp := range out[k].Spans {
					spanSets[k][sp.ID] = true
				}
			}
			if !spanSets[k][v.OwnerID] {
				continue
			}
		}
		v.Updated = fromNanos(updated)
		if out[k].Attrs == nil {
			out[k].Attrs = map[string][]AttributeValue{}
		}
		out[k].Attrs[v.OwnerID] = append(out[k].Attrs[v.OwnerID], v)
	}
	return vals.Err()
}

// PlaceSpans gives each record its spans, a copy of them: all[i] is
// recs[owner[i]]'s, and counts[k] of them are recs[k]'s. They go into one
// array, a record's together, each record an exactly sized piece (empty,
// not nil, for none): far fewer allocations than growing every record's
// slice, and all may be reused after.
func PlaceSpans(recs []Record, all []Span, owner []int32, counts []int) {
	backing := make([]Span, len(all))
	at := 0
	for k, n := range counts {
		recs[k].Spans = backing[at : at : at+n]
		at += n
	}
	for i := range all {
		k := owner[i]
		recs[k].Spans = append(recs[k].Spans, all[i])
	}
}
