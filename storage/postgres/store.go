package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Annotator is a person who makes spans (as storage.Annotator).
type Annotator struct {
	ID      string // UUIDv7
	Name    string
	Created time.Time
}

// Document is a stored article, without its text.
type Document struct {
	ID         string
	Title      string
	SHA256     string // hex SHA-256 of the text
	Length     int    // length of the text in code points
	ImportedAt time.Time
}

// Label is one label of the default set (as storage.Label).
type Label struct {
	ID       string
	Name     string
	Color    string // "#rrggbb"
	Key      string // "1".."9", or "" for none
	Position int
}

// Span is one labelled stretch of a document (as storage.Span).
type Span struct {
	ID          string
	DocumentID  string
	AnnotatorID string
	LabelID     string
	Start, End  int    // code points, end exclusive
	Text        string // the document's code points [Start:End)
	Note        string
	Created     time.Time
	Updated     time.Time

	// Filled on read.
	Label     string // the label's name
	Annotator string // the annotator's name
}

// Store is a connection pool to a Gloss database on PostgreSQL, as the role
// of its URL. It is safe for concurrent use.
type Store struct {
	pool *pgxpool.Pool
	url  string
	me   Annotator // the role's annotator; zero when it has none
	lead bool
}

// Open connects to the database of url (postgres://ROLE[:PASSWORD]@HOST/DB)
// and reads who the role is. The database must have this program's schema
// (gloss server init): an older or missing one is ErrNoSchema, a newer one
// ErrNewerSchema. A role that is no analyst (Me is zero) may read, as far as
// the server lets it, but CreateSpan refuses it.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, serverError("open", url, err)
	}
	// The schema is in public (Init puts it there); a schema named after
	// the role ("$user", first by default) must not shadow it.
	cfg.ConnConfig.RuntimeParams["search_path"] = "public"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, serverError("open", url, err)
	}
	s := &Store{pool: pool, url: url}
	if err := s.who(ctx); err != nil {
		pool.Close()
		return nil, serverError("open", url, err)
	}
	return s, nil
}

// who checks the schema and reads the role's annotator and rights.
func (s *Store) who(ctx context.Context) error {
	v, err := schemaVersion(ctx, s.pool)
	if err != nil {
		return err
	}
	switch {
	case v > len(migrations):
		return fmt.Errorf("%w: its schema version is %d, this Gloss knows up to %d", ErrNewerSchema, v, len(migrations))
	case v < len(migrations):
		return fmt.Errorf("%w: its schema version is %d, this Gloss needs %d", ErrNoSchema, v, len(migrations))
	}
	var id *string
	if err := s.pool.QueryRow(ctx, `SELECT public.gloss_me(), public.gloss_is_lead()`).Scan(&id, &s.lead); err != nil {
		return err
	}
	if id == nil {
		return nil
	}
	var created int64
	if err := s.pool.QueryRow(ctx, `SELECT id, name, created FROM annotators WHERE id = $1`, *id).
		Scan(&s.me.ID, &s.me.Name, &created); err != nil {
		return err
	}
	s.me.Created = fromNanos(created)
	return nil
}

// retrying is the pool as pgx.BeginFunc takes it, beginning again on
// another connection when BEGIN fails because the server had ended the one
// it was given. The pool hands out a connection idle for under a second
// without pinging it, so after a quick restart of the server (pg_ctl
// restart, a failover) the first transaction on each pooled connection
// would fail although the server is up. Nothing was done on it, so
// beginning again is safe; the pool drops each dead connection, and a
// connection that cannot be made is no dead one, so this ends.
type retrying struct{ pool *pgxpool.Pool }

func (r retrying) Begin(ctx context.Context) (pgx.Tx, error) {
	tx, err := r.pool.Begin(ctx)
	for try := int32(0); err != nil && connLost(err) && ctx.Err() == nil && try < r.pool.Stat().MaxConns(); try++ {
		tx, err = r.pool.Begin(ctx)
	}
	return tx, err
}

// connLost reports whether err is a pooled connection found dead: ended by
// the server (SQLSTATE 57P…: shut down, restarting, session terminated) or
// closed under the client. An error connecting is not.
func connLost(err error) bool {
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "57P")
	}
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// Close closes the pool.
func (s *Store) Close() { s.pool.Close() }

// Me is the connected role's annotator, zero when the role is no analyst.
func (s *Store) Me() Annotator { return s.me }

// IsLead reports whether the connected role is a lead (gloss_lead).
func (s *Store) IsLead() bool { return s.lead }

// EnsureDocument stores an article, or finds the one with the same text
// (by SHA-256), and returns it. The text is stored exactly as given (the
// caller has normalised line ends, as package formats does for SQLite). Only
// a lead may add documents: for anyone else the server refuses
// (ErrForbidden).
func (s *Store) EnsureDocument(ctx context.Context, title, text string) (Document, error) {
	switch {
	case !utf8.ValidString(text) || !utf8.ValidString(title):
		return Document{}, fmt.Errorf("add document %q: the text or title is not valid UTF-8", title)
	case text == "":
		return Document{}, fmt.Errorf("add document %q: the text is empty", title)
	case strings.TrimSpace(title) == "":
		return Document{}, errors.New("add document: the title is empty")
	}
	sum := sha256.Sum256([]byte(text))
	d := Document{ID: newID(), Title: title, SHA256: hex.EncodeToString(sum[:]), Length: utf8.RuneCountInString(text)}
	err := pgx.BeginFunc(ctx, retrying{s.pool}, func(tx pgx.Tx) error {
		var imported int64
		err := tx.QueryRow(ctx, `INSERT INTO documents (id, title, sha256, length, imported_at)
			VALUES ($1, $2, $3, $4, gloss_now()) ON CONFLICT (sha256) DO NOTHING RETURNING imported_at`,
			d.ID, d.Title, d.SHA256, d.Length).Scan(&imported)
		if errors.Is(err, pgx.ErrNoRows) { // the same text is there
			err = tx.QueryRow(ctx, `SELECT id, title, imported_at FROM documents WHERE sha256 = $1`, d.SHA256).
				Scan(&d.ID, &d.Title, &imported)
			d.ImportedAt = fromNanos(imported)
			return err
		}
		if err != nil {
			return err
		}
		d.ImportedAt = fromNanos(imported)
		_, err = tx.Exec(ctx, `INSERT INTO document_texts (document_id, text) VALUES ($1, $2)`, d.ID, text)
		return err
	})
	if err != nil {
		return Document{}, fmt.Errorf("add document %q: %w", title, refusal(err))
	}
	return d, nil
}

// EnsureLabel adds a label to the default set, or finds the one of that name
// (ignoring case), and returns it. Only a lead may add labels: for anyone
// else the server refuses (ErrForbidden).
func (s *Store) EnsureLabel(ctx context.Context, name, color, key string) (Label, error) {
	if strings.TrimSpace(name) != name || name == "" || !utf8.ValidString(name) {
		return Label{}, fmt.Errorf("add label: %w: %q", ErrInvalidName, name)
	}
	l := Label{ID: newID(), Name: name, Color: color, Key: key}
	err := pgx.BeginFunc(ctx, retrying{s.pool}, func(tx pgx.Tx) error {
		var set string
		if err := tx.QueryRow(ctx, `SELECT id FROM label_sets WHERE name = $1`, defaultLabelSet).Scan(&set); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO labels (id, set_id, name, color, key, position)
			VALUES ($1, $2, $3, $4, $5, (SELECT coalesce(max(position), -1) + 1 FROM labels WHERE set_id = $2))
			ON CONFLICT (set_id, lower(name)) DO NOTHING RETURNING position`,
			l.ID, set, l.Name, l.Color, l.Key).Scan(&l.Position)
		if errors.Is(err, pgx.ErrNoRows) {
			return tx.QueryRow(ctx, `SELECT id, name, color, key, position FROM labels
				WHERE set_id = $1 AND lower(name) = lower($2)`, set, name).
				Scan(&l.ID, &l.Name, &l.Color, &l.Key, &l.Position)
		}
		return err
	})
	if err != nil {
		return Label{}, fmt.Errorf("add label %q: %w", name, refusal(err))
	}
	return l, nil
}

// spanState is a span in an edit's payload, as package storage writes it,
// so that the history reads the same on both backends.
type spanState struct {
	ID          string `json:"id"`
	DocumentID  string `json:"document_id"`
	AnnotatorID string `json:"annotator_id"`
	LabelID     string `json:"label_id"`
	Start       int    `json:"start"`
	End         int    `json:"end"`
	Text        string `json:"text"`
	Note        string `json:"note"`
	Created     int64  `json:"created"` // Unix nanoseconds
	Updated     int64  `json:"updated"`
}

// CreateSpan labels [start, end) of a document (code points) in the
// connected role's own layer, with its create_span history record, in one
// transaction, and returns the span. The text is the document's own code
// points: a span that is empty or outside the text is ErrInvalidSpan, the
// same label on the same extent twice ErrConflict.
func (s *Store) CreateSpan(ctx context.Context, docID, labelID string, start, end int) (Span, error) {
	if s.me.ID == "" {
		return Span{}, fmt.Errorf("create span: %w: the role has no annotator (gloss server add-analyst)", ErrNotAnalyst)
	}
	sp := Span{ID: newID(), DocumentID: docID, AnnotatorID: s.me.ID, LabelID: labelID,
		Start: start, End: end, Annotator: s.me.Name}
	err := pgx.BeginFunc(ctx, retrying{s.pool}, func(tx pgx.Tx) error {
		var text string
		err := tx.QueryRow(ctx, `SELECT text FROM document_texts WHERE document_id = $1`, docID).Scan(&text)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("%w: no document %s", ErrNotFound, docID)
		} else if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `SELECT name FROM labels WHERE id = $1`, labelID).Scan(&sp.Label)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("%w: no label %s", ErrNotFound, labelID)
		} else if err != nil {
			return err
		}
		if sp.Text, err = sliceRunes(text, start, end); err != nil {
			return err
		}
		// One time for created, updated and the history entry: two calls
		// of the clock differ, and undo compares the span with its entry.
		var now int64
		if err := tx.QueryRow(ctx, `SELECT gloss_now()`).Scan(&now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO spans (id, document_id, annotator_id, label_id, start, "end", text, created, updated)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
			sp.ID, docID, sp.AnnotatorID, labelID, start, end, sp.Text, now); err != nil {
			return err
		}
		sp.Created, sp.Updated = fromNanos(now), fromNanos(now)
		payload, err := json.Marshal(map[string]spanState{"after": {ID: sp.ID, DocumentID: docID,
			AnnotatorID: sp.AnnotatorID, LabelID: labelID, Start: start, End: end, Text: sp.Text,
			Created: now, Updated: now}})
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO edits (annotator_id, document_id, kind, span_id, payload, created)
			VALUES ($1, $2, 'create_span', $3, $4, $5)`, sp.AnnotatorID, docID, sp.ID, payload, now)
		return err
	})
	if err != nil {
		return Span{}, fmt.Errorf("create span [%d:%d) on %s: %w", start, end, docID, refusal(err))
	}
	return sp, nil
}

// sliceRunes is s's code points [start:end), or ErrInvalidSpan.
func sliceRunes(s string, start, end int) (string, error) {
	if start < 0 || end <= start {
		return "", fmt.Errorf("%w: [%d:%d) is empty or reversed", ErrInvalidSpan, start, end)
	}
	from, n := -1, 0
	for i := range s {
		if n == start {
			from = i
		}
		if n == end {
			return s[from:i], nil
		}
		n++
	}
	if n == end && from >= 0 {
		return s[from:], nil
	}
	return "", fmt.Errorf("%w: [%d:%d) is past the end of the text (%d code points)", ErrInvalidSpan, start, end, n)
}

// Spans is every annotator's spans of a document, by start, end, annotator
// and label.
func (s *Store) Spans(ctx context.Context, docID string) ([]Span, error) {
	out, err := s.spans(ctx, docID)
	// Read again on another connection when the pool's was found dead (as
	// retrying does for a transaction).
	for try := int32(0); err != nil && connLost(err) && ctx.Err() == nil && try < s.pool.Stat().MaxConns(); try++ {
		out, err = s.spans(ctx, docID)
	}
	return out, err
}

func (s *Store) spans(ctx context.Context, docID string) ([]Span, error) {
	rows, err := s.pool.Query(ctx, `SELECT s.id, s.document_id, s.annotator_id, s.label_id, s.start, s."end",
			s.text, s.note, s.created, s.updated, l.name, a.name
		FROM spans s JOIN labels l ON l.id = s.label_id JOIN annotators a ON a.id = s.annotator_id
		WHERE s.document_id = $1 ORDER BY s.start, s."end", a.name, l.name`, docID)
	if err != nil {
		return nil, fmt.Errorf("spans of %s: %w", docID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Span, error) {
		var sp Span
		var created, updated int64
		err := r.Scan(&sp.ID, &sp.DocumentID, &sp.AnnotatorID, &sp.LabelID, &sp.Start, &sp.End,
			&sp.Text, &sp.Note, &created, &updated, &sp.Label, &sp.Annotator)
		sp.Created, sp.Updated = fromNanos(created), fromNanos(updated)
		return sp, err
	})
	if err != nil {
		return nil, fmt.Errorf("spans of %s: %w", docID, err)
	}
	return out, nil
}
