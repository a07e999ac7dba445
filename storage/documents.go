package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
)

// ImportDocument stores d. A document with the same text (same SHA-256) is
// not imported again: the stored one is returned with created = false and
// nothing is written. Empty or whitespace-only text and invalid UTF-8 are
// refused with ErrInvalidDocument; a given ID that is taken by another text
// with ErrConflict.
//
// The title is stored on one line (runs of white space become one space);
// when it is empty the file name is used, else the text's first line.
func (s *Store) ImportDocument(ctx context.Context, d NewDocument) (Document, bool, error) {
	docs, created, err := s.ImportDocuments(ctx, []NewDocument{d})
	if err != nil {
		return Document{}, false, err
	}
	return docs[0], created[0], nil
}

// ImportDocuments imports docs in one transaction: all of them or, when one
// is refused, none. It returns, for each of docs, the stored document and
// whether it was created (false for a text already stored, including one
// earlier in the same batch).
func (s *Store) ImportDocuments(ctx context.Context, docs []NewDocument) ([]Document, []bool, error) {
	for i, d := range docs {
		if err := checkNewDocument(d); err != nil {
			return nil, nil, fmt.Errorf("import document %d%s: %w", i+1, fileNote(d), err)
		}
	}
	out := make([]Document, len(docs))
	created := make([]bool, len(docs))
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		bySHA, err := tx.PrepareContext(ctx, `SELECT id FROM documents WHERE sha256 = ?`)
		if err != nil {
			return err
		}
		defer bySHA.Close()
		byID, err := tx.PrepareContext(ctx, `SELECT 1 FROM documents WHERE id = ?`)
		if err != nil {
			return err
		}
		defer byID.Close()
		insDoc, err := tx.PrepareContext(ctx, `
			INSERT INTO documents (id, title, file_name, format, sha256, length, imported_at, byline, published, site)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer insDoc.Close()
		insText, err := tx.PrepareContext(ctx, `INSERT INTO document_texts (document_id, text) VALUES (?, ?)`)
		if err != nil {
			return err
		}
		defer insText.Close()

		importedAt := now()
		for i, nd := range docs {
			sum := sha256.Sum256([]byte(nd.Text))
			sha := hex.EncodeToString(sum[:])

			var id string
			err := bySHA.QueryRowContext(ctx, sha).Scan(&id)
			if err == nil {
				d, err := documentMeta(ctx, tx, id)
				if err != nil {
					return err
				}
				d.Text = nd.Text // same hash, same text; no need to read it
				out[i] = d
				continue
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}

			d := Document{
				ID:         nd.ID,
				Title:      makeTitle(nd),
				Text:       nd.Text,
				FileName:   nd.FileName,
				Format:     nd.Format,
				SHA256:     sha,
				Length:     runeLen(nd.Text),
				ImportedAt: importedAt,
				Byline:     nd.Byline, Published: nd.Published, Site: nd.Site,
			}
			if d.ID == "" {
				d.ID = newID()
			} else {
				var one int
				err := byID.QueryRowContext(ctx, d.ID).Scan(&one)
				if err == nil {
					return fmt.Errorf("import document %d%s: %w: id %s is taken by a document with another text", i+1, fileNote(nd), ErrConflict, d.ID)
				}
				if !errors.Is(err, sql.ErrNoRows) {
					return err
				}
			}
			if _, err := insDoc.ExecContext(ctx, d.ID, d.Title, d.FileName, d.Format, d.SHA256, d.Length, d.ImportedAt.UnixNano(),
				d.Byline, d.Published, d.Site); err != nil {
				return fmt.Errorf("import document %d%s: %w", i+1, fileNote(nd), err)
			}
			if _, err := insText.ExecContext(ctx, d.ID, d.Text); err != nil {
				return fmt.Errorf("import document %d%s: %w", i+1, fileNote(nd), err)
			}
			out[i] = d
			created[i] = true
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return out, created, nil
}

// checkNewDocument refuses what can't be imported.
func checkNewDocument(d NewDocument) error {
	switch {
	case !utf8.ValidString(d.Text):
		return fmt.Errorf("%w: text is not valid UTF-8", ErrInvalidDocument)
	case strings.TrimSpace(d.Text) == "":
		return fmt.Errorf("%w: text is empty", ErrInvalidDocument)
	case !utf8.ValidString(d.Title) || !utf8.ValidString(d.FileName) || !utf8.ValidString(d.Format):
		return fmt.Errorf("%w: title, file name or format is not valid UTF-8", ErrInvalidDocument)
	}
	if d.ID != "" {
		if _, err := uuid.Parse(d.ID); err != nil {
			return fmt.Errorf("%w: id %q is not a UUID", ErrInvalidDocument, d.ID)
		}
	}
	return nil
}

func fileNote(d NewDocument) string {
	if d.FileName == "" {
		return ""
	}
	return " (" + d.FileName + ")"
}

// makeTitle is d's title on one line, or a stand-in when it has none.
func makeTitle(d NewDocument) string {
	t := strings.Join(strings.Fields(d.Title), " ")
	if t == "" {
		t = strings.Join(strings.Fields(d.FileName), " ")
	}
	if t == "" {
		for line := range strings.Lines(d.Text) {
			if t = strings.Join(strings.Fields(line), " "); t != "" {
				break
			}
		}
		if r := []rune(t); len(r) > 80 {
			t = string(r[:79]) + "…"
		}
	}
	return t
}

const documentColumns = `d.id, d.title, d.file_name, d.format, d.sha256, d.length, d.imported_at, d.byline, d.published, d.site`

func scanDocument(sc interface{ Scan(...any) error }, d *Document, extra ...any) error {
	var importedAt int64
	dest := append([]any{&d.ID, &d.Title, &d.FileName, &d.Format, &d.SHA256, &d.Length, &importedAt, &d.Byline, &d.Published, &d.Site}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return err
	}
	d.ImportedAt = fromNanos(importedAt)
	return nil
}

// documentMeta reads a document without its text.
func documentMeta(ctx context.Context, q queryer, id string) (Document, error) {
	var d Document
	err := scanDocument(q.QueryRowContext(ctx, `SELECT `+documentColumns+` FROM documents d WHERE d.id = ?`, id), &d)
	if errors.Is(err, sql.ErrNoRows) {
		return Document{}, fmt.Errorf("%w: document %q", ErrNotFound, id)
	}
	return d, err
}

// Document returns the document id with its text.
func (s *Store) Document(ctx context.Context, id string) (Document, error) {
	return s.documentWhere(ctx, `d.id = ?`, id)
}

// DocumentBySHA returns the document whose text has the hex SHA-256 sha.
func (s *Store) DocumentBySHA(ctx context.Context, sha string) (Document, error) {
	return s.documentWhere(ctx, `d.sha256 = ?`, strings.ToLower(sha))
}

func (s *Store) documentWhere(ctx context.Context, where string, arg string) (Document, error) {
	var d Document
	err := scanDocument(s.db.QueryRowContext(ctx, `
		SELECT `+documentColumns+`, t.text
		FROM documents d JOIN document_texts t ON t.document_id = d.id
		WHERE `+where, arg), &d, &d.Text)
	if errors.Is(err, sql.ErrNoRows) {
		return Document{}, fmt.Errorf("%w: document %q", ErrNotFound, arg)
	}
	if err != nil {
		return Document{}, fmt.Errorf("document %q: %w", arg, err)
	}
	s.keepText(d.ID, d.Text)
	return d, nil
}

// DocumentSummaries lists every document in import order with the status
// and span count of annotatorID. With annotatorID "" it counts every
// annotator's spans and reports StatusTodo. It reads no texts.
func (s *Store) DocumentSummaries(ctx context.Context, annotatorID string) ([]DocumentSummary, error) {
	var rows *sql.Rows
	var err error
	if annotatorID == "" {
		rows, err = s.db.QueryContext(ctx, `
			SELECT d.id, d.title, d.file_name, 'todo',
				(SELECT count(*) FROM spans s WHERE s.document_id = d.id)
			FROM documents d
			ORDER BY d.seq`)
	} else {
		rows, err = s.db.QueryContext(ctx, `
			SELECT d.id, d.title, d.file_name, coalesce(ds.status, 'todo'),
				(SELECT count(*) FROM spans s WHERE s.document_id = d.id AND s.annotator_id = ?1)
			FROM documents d
			LEFT JOIN document_status ds ON ds.document_id = d.id AND ds.annotator_id = ?1
			ORDER BY d.seq`, annotatorID)
	}
	if err != nil {
		return nil, fmt.Errorf("document summaries: %w", err)
	}
	defer rows.Close()
	var out []DocumentSummary
	for rows.Next() {
		var ds DocumentSummary
		if err := rows.Scan(&ds.ID, &ds.Title, &ds.FileName, &ds.Status, &ds.SpanCount); err != nil {
			return nil, fmt.Errorf("document summaries: %w", err)
		}
		out = append(out, ds)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("document summaries: %w", err)
	}
	return out, nil
}

// DocumentCount is the number of documents.
func (s *Store) DocumentCount(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM documents`).Scan(&n); err != nil {
		return 0, fmt.Errorf("document count: %w", err)
	}
	return n, nil
}

// EachDocument calls fn for every document in import order with all its
// spans (of every annotator, in Spans order). It reads one document at a
// time, each with its spans from one snapshot, and holds no transaction
// while fn runs, so fn may write to the store. Documents imported meanwhile
// are visited too when they come after the current one. An error from fn
// stops the walk and is returned as it is.
func (s *Store) EachDocument(ctx context.Context, fn func(Document, []Span) error) error {
	var last int64
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var d Document
		var spans []Span
		done := false
		err := s.readSnapshot(ctx, func(c *sql.Conn) error {
			var seq int64
			err := scanDocument(c.QueryRowContext(ctx, `
				SELECT `+documentColumns+`, t.text, d.seq
				FROM documents d JOIN document_texts t ON t.document_id = d.id
				WHERE d.seq > ? ORDER BY d.seq LIMIT 1`, last), &d, &d.Text, &seq)
			if errors.Is(err, sql.ErrNoRows) {
				done = true
				return nil
			}
			if err != nil {
				return err
			}
			last = seq
			rows, err := c.QueryContext(ctx, spanSelect+` WHERE s.document_id = ?`+spanOrder, d.ID)
			if err != nil {
				return err
			}
			spans, err = collectSpans(rows)
			return err
		})
		if err != nil {
			return fmt.Errorf("each document: %w", err)
		}
		if done {
			return nil
		}
		if err := fn(d, spans); err != nil {
			return err
		}
	}
}
