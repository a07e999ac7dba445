package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
)

// ErrForbidden is the server refusing a write the connected role has no
// right to (another analyst's layer, the shared rows without the lead role).
var ErrForbidden = errors.New("not allowed")

// Server is what a store on a database server (PostgreSQL: package
// storage/postgres) gets from the package that connected it. The store runs
// the same code on it as on an SQLite file: the SQL is written once, with ?
// or ?N placeholders, which DB's driver converts; the few statements that
// differ ask s.server.
type Server struct {
	// DB is the pool. Its driver takes SQLite's placeholders (?, ?N).
	DB *sql.DB
	// Name is how the database is shown: its URL without a password.
	Name string
	// Version changes whenever a transaction is committed to the database
	// by anyone (as DataVersion); the connecting package feeds it from the
	// server's notifications.
	Version func(ctx context.Context) (int64, error)
	// Me is the annotator of the connected role (zero when it has none):
	// the one layer it may write, with the gold layer when Lead.
	Me   Annotator
	Lead bool
	// News returns what the server told since the last call.
	News func() []News
	// Search runs a search on the server (the SQLite store's search
	// tables are SQLite's own).
	Search func(ctx context.Context, q SearchQuery, fn func(SearchMatch) error) error
	// Backup writes everything to a new SQLite file at dest (replacing
	// one there when replace), as Store.Backup does on SQLite.
	Backup func(ctx context.Context, dest string, replace bool) error
	// CopyIn copies rows into columns of table (COPY) on conn, inside the
	// transaction open there; next gives one row each call, nil at the end.
	// A merge stages the other file's rows with it.
	CopyIn func(ctx context.Context, conn *sql.Conn, table string, columns []string, next func() ([]any, error)) (int64, error)
	// Close is called after the pool is closed.
	Close func()
}

// News is one thing the server told: a change another connection committed
// (Text: "Ann added 3 spans"), or the connection to it lost or back
// (Connection).
type News struct {
	Table       string // "spans", "labels", ... ("" for Connection)
	DocumentID  string // "" for the shared tables
	AnnotatorID string // the layer's annotator, or who changed a shared row
	ByID        string // the annotator of the role that made the change ("" for the owner)
	Op          string // "insert", "update" or "delete"
	Count       int    // rows
	Documents   int    // a change of many documents at once: how many (DocumentID is "")
	Connection  bool
	Up          bool // Connection: back (true) or lost (false)
	Text        string
}

// ServerNews returns what the server told since the last call (nil on an
// SQLite file).
func (s *Store) ServerNews() []News {
	if s.server == nil || s.server.News == nil {
		return nil
	}
	return s.server.News()
}

// ServerRole returns the annotator of the connected role and whether it is a
// lead; ok is false on an SQLite file, where anyone writes anything.
func (s *Store) ServerRole() (me Annotator, lead, ok bool) {
	if s.server == nil {
		return Annotator{}, false, false
	}
	return s.server.Me, s.server.Lead, true
}

// OpenServer makes a store on a server database whose schema the caller has
// checked. It migrates nothing: the server's schema is its owner's (gloss
// server init).
func OpenServer(srv Server) *Store {
	return &Store{db: srv.DB, path: srv.Name, stmts: map[string]*sql.Stmt{}, server: &srv}
}

// OnServer reports whether the store is on a database server rather than an
// SQLite file.
func (s *Store) OnServer() bool { return s.server != nil }

// sqlState is how a server's driver error says its SQLSTATE code
// (pgconn.PgError has it).
type sqlState interface{ SQLState() string }

// serverCode returns err's SQLSTATE code, "" when it has none.
func serverCode(err error) string {
	var se sqlState
	if errors.As(err, &se) {
		return se.SQLState()
	}
	return ""
}

// ErrServerUnreachable is a write the server could not be asked to make:
// it is down, restarting, or the network is. Nothing was saved.
var ErrServerUnreachable = errors.New("the server cannot be reached")

// forbidden turns the server's refusal of a write the role may not do into
// ErrForbidden, and a connection that failed into ErrServerUnreachable,
// with words an analyst reads; other errors are returned as they are.
func forbidden(err error) error {
	switch code := serverCode(err); {
	case unreachable(err):
		return fmt.Errorf("%w: this change was NOT saved; try again when it is back (%s)", ErrServerUnreachable, why(err))
	case code == "42501":
		msg := err.Error()
		if strings.Contains(msg, "row-level security") {
			return fmt.Errorf("%w: the server lets you write only your own layer (the gold layer needs the lead role): %v", ErrForbidden, err)
		}
		return fmt.Errorf("%w: the server keeps labels, documents and the schema for the lead role: %v", ErrForbidden, err)
	}
	return err
}

// The few pieces of SQL the two engines write differently. SQLite's JSON
// functions read JSON kept as TEXT; the server keeps JSONB (payloads) and
// takes a JSON parameter as text cast to jsonb.

// jsonEach is a subquery of the text values of the JSON array param (a
// placeholder: "?", "?2"), for "x IN (...)".
func (s *Store) jsonEach(param string) string { return jsonEachSQL(s.server != nil, param) }

func jsonEachSQL(server bool, param string) string {
	if server {
		return `SELECT value FROM jsonb_array_elements_text(CAST(` + param + ` AS jsonb))`
	}
	return `SELECT value FROM json_each(` + param + `)`
}

// jsonEachInt is jsonEach of an array of integers.
func (s *Store) jsonEachInt(param string) string {
	if s.server != nil {
		return `SELECT CAST(value AS BIGINT) FROM jsonb_array_elements_text(CAST(` + param + ` AS jsonb))`
	}
	return `SELECT value FROM json_each(` + param + `)`
}

// jsonField is the text at key.field ("before", "label_id") of the JSON
// column col.
func (s *Store) jsonField(col, key, field string) string {
	if s.server != nil {
		return `(` + col + ` #>> '{` + key + `,` + field + `}')`
	}
	return `json_extract(` + col + `, '$.` + key + `.` + field + `')`
}

// jsonAnyField is whether any element of the JSON array at key of col has
// the text param at field.
func (s *Store) jsonAnyField(col, key, field, param string) string {
	if s.server != nil {
		return `EXISTS (SELECT 1 FROM jsonb_array_elements(CASE jsonb_typeof(` + col + ` -> '` + key + `') WHEN 'array' THEN ` + col + ` -> '` + key + `' ELSE '[]' END) v WHERE v ->> '` + field + `' = ` + param + `)`
	}
	return `EXISTS (SELECT 1 FROM json_each(` + col + `, '$.` + key + `') WHERE json_extract(value, '$.` + field + `') = ` + param + `)`
}

// contains is whether text haystack contains text needle (both SQL).
func (s *Store) contains(haystack, needle string) string {
	if s.server != nil {
		return `strpos(` + haystack + `, ` + needle + `) > 0`
	}
	return `instr(` + haystack + `, ` + needle + `) > 0`
}

// unreachable reports whether err is the server going away (shutting down,
// SQLSTATE class 57P; a connection exception, class 08) or the connection
// to it failing.
func unreachable(err error) bool {
	code := serverCode(err)
	return strings.HasPrefix(code, "57P") || strings.HasPrefix(code, "08") || code == "" && connectionFailed(err)
}

// connectionFailed reports whether err, which carries no SQLSTATE, is the
// connection to the server failing rather than a refusal of the store's.
func connectionFailed(err error) bool {
	if IsRefusal(err) || errors.Is(err, context.Canceled) {
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "failed to connect") || strings.Contains(msg, "conn closed") || strings.Contains(msg, "connection refused")
}

// why is the gist of a connection error: pgx's says every address it tried,
// a line each, each ending in the same cause.
func why(err error) string {
	msg, _, _ := strings.Cut(err.Error(), "\n")
	if _, after, ok := strings.Cut(msg, "dial error: "); ok {
		return after
	}
	return msg
}

// ServerError is err as an analyst reads it when the store is on a server
// and err is the connection failing (a read while the server is down):
// ErrServerUnreachable with the gist of why. Any other error is returned
// as it is.
func (s *Store) ServerError(err error) error {
	if s.server == nil || err == nil || errors.Is(err, ErrServerUnreachable) || errors.Is(err, ErrForbidden) {
		return err
	}
	if unreachable(err) {
		return fmt.Errorf("%w; try again when it is back (%s)", ErrServerUnreachable, why(err))
	}
	return err
}

// serverTexts keeps the texts of the last documents a store on a server
// read whole (Document): texts never change once stored, and a window
// labels the document it has open, so a new span's text is cut out here
// rather than by the server.
type serverTexts struct {
	mu   sync.Mutex
	docs []cachedText // the most recent last
}

type cachedText struct {
	id string
	t  *docText
}

// keptTexts is how many texts a store on a server keeps.
const keptTexts = 4

// keepText keeps text as document id's, on a server.
func (s *Store) keepText(id, text string) {
	if s.server == nil {
		return
	}
	c := &s.texts
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, d := range c.docs {
		if d.id == id {
			c.docs = append(c.docs[:i], c.docs[i+1:]...)
			break
		}
	}
	if len(c.docs) == keptTexts {
		c.docs = c.docs[1:]
	}
	c.docs = append(c.docs, cachedText{id, newDocText(text)})
}

// serverText is document id's text when a store on a server keeps it: a
// copy of its cursor, so that callers on several goroutines may slice it.
func (s *Store) serverText(id string) *docText {
	if s.server == nil {
		return nil
	}
	c := &s.texts
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, d := range c.docs {
		if d.id == id {
			t := *d.t
			return &t
		}
	}
	return nil
}
