package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// DocFilter chooses the documents of the document list: the annotator whose
// status and span counts it shows ("" for nobody's: every status is todo,
// spans are everyone's), a text that the title or the file name contains
// (ignoring case, Unicode-aware) and a status.
type DocFilter struct {
	AnnotatorID string
	Text        string
	Status      Status
}

// FoldKey is what the document filter compares: s in lower case. The one
// rule for the store's keys and the caller's needle.
func FoldKey(s string) string { return strings.ToLower(s) }

func documentKey(title, fileName string) string {
	return FoldKey(title) + "\x00" + FoldKey(fileName)
}

// updateDocumentKeys folds the queued documents' titles and file names into
// document_keys.
func (s *Store) updateDocumentKeys(ctx context.Context) error {
	var pending bool
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM document_keys_pending)`).Scan(&pending); err != nil || !pending {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `
			SELECT d.seq, d.title, d.file_name FROM document_keys_pending p JOIN documents d ON d.seq = p.seq`)
		if err != nil {
			return err
		}
		type key struct {
			seq int64
			key string
		}
		var keys []key
		for rows.Next() {
			var k key
			var title, file string
			if err := rows.Scan(&k.seq, &title, &file); err != nil {
				rows.Close()
				return err
			}
			k.key = documentKey(title, file)
			keys = append(keys, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO document_keys (seq, key) VALUES (?, ?) ON CONFLICT (seq) DO UPDATE SET key = excluded.key`)
		if err != nil {
			return err
		}
		defer ins.Close()
		for _, k := range keys {
			if _, err := ins.ExecContext(ctx, k.seq, k.key); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM document_keys_pending`)
		return err
	})
}

// The document list's queries: ?1 the folded needle, ?2 the status ("" for
// any), ?3 the annotator.
const (
	documentSeqsStatus = ` (?2 = '' OR coalesce((SELECT status FROM document_status ds
		WHERE ds.document_id = d.id AND ds.annotator_id = ?3), 'todo') = ?2)`
	// One row, the seqs joined by commas: a million rows through
	// database/sql cost more than the query itself. The subquery's order is
	// the order SQLite concatenates in (an ORDER BY inside group_concat
	// sorts again); parseSeqs sorts should it ever not be.
	documentSeqsSQL = `SELECT coalesce(group_concat(seq, ','), '') FROM (SELECT d.seq FROM documents d
		WHERE ?1 = '' AND` + documentSeqsStatus + ` ORDER BY d.seq)`
	documentSeqsTextSQL = `SELECT coalesce(group_concat(seq, ','), '') FROM (SELECT d.seq FROM documents d
		JOIN document_keys k ON k.seq = d.seq WHERE instr(k.key, ?1) > 0 AND` + documentSeqsStatus + ` ORDER BY d.seq)`
	// Without a status the documents table need not be read at all.
	documentSeqsAllSQL      = `SELECT coalesce(group_concat(seq, ','), '') FROM (SELECT seq FROM documents ORDER BY seq)`
	documentSeqsKeysOnlySQL = `SELECT coalesce(group_concat(seq, ','), '') FROM (SELECT seq FROM document_keys
		WHERE instr(key, ?1) > 0 AND ?2 = '' AND ?3 = ?3 ORDER BY seq)` // ?2, ?3 unused but bound alike
)

// serverDocumentSeqsSQL is the document list on a server, which has no
// document_keys (the server folds case with lower(), by its locale).
const serverDocumentSeqsSQL = `SELECT coalesce(string_agg(CAST(d.seq AS TEXT), ',' ORDER BY d.seq), '') FROM documents d
	WHERE (?1 = '' OR strpos(lower(d.title), ?1) > 0 OR strpos(lower(d.file_name), ?1) > 0) AND` + documentSeqsStatus

// DocumentSeqs returns the import-order positions (seq) of the documents f
// keeps, ascending: what the document list shows, eight bytes a document
// whatever the titles. The list reads the rows it shows with
// DocumentsBySeq.
func (s *Store) DocumentSeqs(ctx context.Context, f DocFilter) ([]int64, error) {
	if s.server == nil {
		if err := s.updateDocumentKeys(ctx); err != nil {
			return nil, fmt.Errorf("document list: %w", err)
		}
	}
	needle := FoldKey(strings.TrimSpace(f.Text))
	if f.Status != "" && f.AnnotatorID == "" && f.Status != StatusTodo {
		return nil, nil // nobody's list: every document is to do
	}
	status := string(f.Status)
	if f.AnnotatorID == "" {
		status = ""
	}
	query := documentSeqsSQL
	switch {
	case needle == "" && status == "":
		query = documentSeqsAllSQL
	case status == "":
		query = documentSeqsKeysOnlySQL
	case needle != "":
		query = documentSeqsTextSQL
	}
	if s.server != nil {
		query = serverDocumentSeqsSQL
	}
	var joined string
	var err error
	if query == documentSeqsAllSQL {
		err = s.db.QueryRowContext(ctx, query).Scan(&joined)
	} else {
		err = s.db.QueryRowContext(ctx, query, needle, status, f.AnnotatorID).Scan(&joined)
	}
	if err != nil {
		return nil, fmt.Errorf("document list: %w", err)
	}
	return parseSeqs(joined)
}

// parseSeqs reads "3,5,8" into ascending seqs.
func parseSeqs(joined string) ([]int64, error) {
	if joined == "" {
		return []int64{}, nil
	}
	out := make([]int64, 0, strings.Count(joined, ",")+1)
	var n int64
	digits := false
	for i := 0; i < len(joined); i++ {
		c := joined[i]
		switch {
		case c >= '0' && c <= '9':
			n = n*10 + int64(c-'0')
			digits = true
		case c == ',' && digits:
			out = append(out, n)
			n, digits = 0, false
		default:
			return nil, fmt.Errorf("document list: unexpected %q in the seqs", c)
		}
	}
	if digits {
		out = append(out, n)
	}
	if !slices.IsSorted(out) {
		slices.Sort(out)
	}
	return out, nil
}

// DocumentRow is a row of the document list: a summary and its seq.
type DocumentRow struct {
	Seq int64
	DocumentSummary
}

// DocumentsBySeq reads the rows of the documents at seqs (a page of what
// DocumentSeqs returned), in the order given; a seq no document has any
// more is left out.
func (s *Store) DocumentsBySeq(ctx context.Context, annotatorID string, seqs []int64) ([]DocumentRow, error) {
	if len(seqs) == 0 {
		return nil, nil
	}
	list, err := json.Marshal(seqs)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT d.seq, d.id, d.title, d.file_name, coalesce(ds.status, 'todo'),
			(SELECT count(*) FROM spans s WHERE s.document_id = d.id AND (?1 = '' OR s.annotator_id = ?1))
		FROM documents d
		LEFT JOIN document_status ds ON ds.document_id = d.id AND ds.annotator_id = ?1
		WHERE d.seq IN (`+s.jsonEachInt("?2")+`)`, annotatorID, string(list))
	if err != nil {
		return nil, fmt.Errorf("document rows: %w", err)
	}
	defer rows.Close()
	at := make(map[int64]DocumentRow, len(seqs))
	for rows.Next() {
		var r DocumentRow
		if err := rows.Scan(&r.Seq, &r.ID, &r.Title, &r.FileName, &r.Status, &r.SpanCount); err != nil {
			return nil, fmt.Errorf("document rows: %w", err)
		}
		if annotatorID == "" {
			r.Status = StatusTodo
		}
		at[r.Seq] = r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("document rows: %w", err)
	}
	out := make([]DocumentRow, 0, len(seqs))
	for _, seq := range seqs {
		if r, ok := at[seq]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// DocumentSeq is the import-order position of document id.
func (s *Store) DocumentSeq(ctx context.Context, id string) (int64, error) {
	var seq int64
	err := s.db.QueryRowContext(ctx, `SELECT seq FROM documents WHERE id = ?`, id).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("document %q: %w", id, ErrNotFound)
	}
	return seq, err
}

// NextUnfinished is the first document after seq `after` in f's list (then
// from its start, up to `after`) whose status for f.AnnotatorID is neither
// done nor reviewed, or false when every listed document is finished.
func (s *Store) NextUnfinished(ctx context.Context, f DocFilter, after int64) (string, bool, error) {
	seqs, err := s.DocumentSeqs(ctx, f)
	if err != nil {
		return "", false, err
	}
	start := 0
	for start < len(seqs) && seqs[start] <= after {
		start++
	}
	const page = 512
	for k := 0; k < len(seqs); k += page {
		var batch []int64
		for j := k; j < min(k+page, len(seqs)); j++ {
			seq := seqs[(start+j)%len(seqs)]
			if seq != after {
				batch = append(batch, seq)
			}
		}
		rows, err := s.DocumentsBySeq(ctx, f.AnnotatorID, batch)
		if err != nil {
			return "", false, err
		}
		for _, r := range rows {
			if r.Status != StatusDone && r.Status != StatusReviewed {
				return r.ID, true, nil
			}
		}
	}
	return "", false, nil
}
