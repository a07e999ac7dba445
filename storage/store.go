package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/mattn/go-sqlite3" // also registers the "sqlite3" driver
)

// Errors returned by the store, wrapped with detail ("%w: ..."); test for them
// with errors.Is.
var (
	ErrNotFound         = errors.New("not found")
	ErrInvalidSpan      = errors.New("invalid span")
	ErrInvalidLabel     = errors.New("invalid label")
	ErrConflict         = errors.New("conflict")
	ErrInvalidDocument  = errors.New("invalid document")
	ErrInvalidAnnotator = errors.New("invalid annotator")
	ErrInvalidEdit      = errors.New("invalid edit")

	// ErrNewerSchema is Open's refusal of a database made by a newer Gloss.
	ErrNewerSchema = errors.New("database made by a newer Gloss")
)

// refusals are the errors IsRefusal knows.
var refusals = []error{
	ErrInvalidSpan, ErrInvalidLabel, ErrConflict, ErrNotFound,
	ErrInvalidDocument, ErrInvalidAnnotator, ErrInvalidEdit, ErrInvalidSearch,
}

// IsRefusal reports whether err is the store turning something down for a
// reason the user can read and act on (a bad span, a conflict, an unknown
// label...), as opposed to a failure of the database or its file (disk
// full, I/O, ErrFileGone), which the user must be warned of differently.
// It is false for nil.
func IsRefusal(err error) bool {
	if err == nil || errors.Is(err, ErrFileGone) {
		return false
	}
	for _, r := range refusals {
		if errors.Is(err, r) {
			return true
		}
	}
	return false
}

// Store is a Gloss database. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string

	mu    sync.Mutex
	stmts map[string]*sql.Stmt // prepared statements of the hot paths, by query

	dv   dataVersion // DataVersion's connection
	file os.FileInfo // the database file as opened, to notice it deleted or replaced

	server *Server     // nil on an SQLite file
	texts  serverTexts // on a server: the texts of the documents read last
}

// dsnParams are set on every connection the pool opens. synchronous=FULL
// syncs the WAL at every commit: with the driver's default (NORMAL) a power
// cut or an operating-system crash could take back every edit since the last
// checkpoint (up to 1000 pages: a few hundred edits, an hour of labelling)
// though each had been reported saved. It costs one fsync per edit (about a
// millisecond on an SSD).
const dsnParams = "_journal_mode=WAL&_synchronous=FULL&_busy_timeout=5000&_foreign_keys=on&_txlock=immediate"

// Open opens the database at path, creating it (mode 0600, parent directories
// 0700) when missing, and migrates it to the current schema. A database made
// by a newer Gloss (a user_version above the one this program knows) is refused
// and left as it is. Before migrating a database that has a schema (version
// above 0), Open copies it to NAME.before-vN.bak beside it (N: the new
// version) and migrates nothing when the copy fails. A program built without
// SQLite's FTS5 (the sqlite_fts5 build tag) opens nothing: ErrNoFTS5.
func Open(path string) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// Without FTS5 the search indexes can be neither made nor written (every
	// document import would fail): refuse before touching the file.
	if err := checkFTS5(); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}

	// Look at the version through a read-only connection first: the WAL
	// pragma of the real connections would already change the file.
	if err := checkVersion(abs); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}

	// mode=rw: the file exists now (made above, with mode 0600); a
	// connection opened after it was deleted fails instead of quietly making
	// a new, empty database at the path.
	db, err := sql.Open("sqlite3", fileURI(abs, "mode=rw&"+dsnParams))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := &Store{db: db, path: abs, stmts: map[string]*sql.Stmt{}, file: fi}
	if err := s.backupBeforeMigration(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := s.migrate(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// Take DataVersion's dedicated connection now: opened while the file is
	// surely there, it keeps it open, so a backup can still rescue what was
	// saved if the file is deleted later (a connection opened after that
	// would make a new, empty file).
	if _, err := s.DataVersion(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return s, nil
}

// fileURI makes an SQLite URI filename for path, so that '?', '#' and '%' in
// the path cannot be taken for parameters.
func fileURI(path, params string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows: C:/x -> /C:/x
	}
	u := url.URL{Scheme: "file", Path: p, RawQuery: params}
	return u.String()
}

// checkVersion refuses a database whose schema is newer than this program's.
func checkVersion(path string) error {
	db, err := sql.Open("sqlite3", fileURI(path, "mode=ro"))
	if err != nil {
		return err
	}
	defer db.Close()
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if v > len(migrations) {
		return fmt.Errorf("%w: its schema version is %d, this Gloss knows up to %d; open it with a newer Gloss", ErrNewerSchema, v, len(migrations))
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.mu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = map[string]*sql.Stmt{}
	s.mu.Unlock()
	s.dv.close()
	err := s.db.Close()
	if s.server != nil && s.server.Close != nil {
		s.server.Close()
	}
	return err
}

// stmt is a statement of one transaction: a prepared *sql.Stmt on SQLite,
// the query itself on a server (txStmt).
type stmt interface {
	ExecContext(ctx context.Context, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, args ...any) *sql.Row
}

// prepared returns query as a statement of tx, preparing it once per
// connection for the life of the store. It is for the hot paths. On a
// server it is the query as it is: the driver prepares and caches each
// statement per connection itself, and a *sql.Stmt of the pool would be
// prepared again (and closed) in every transaction on another connection,
// a round trip each.
func (s *Store) prepared(ctx context.Context, tx *sql.Tx, query string) (stmt, error) {
	if s.server != nil {
		return txStmt{tx, query}, nil
	}
	s.mu.Lock()
	st, ok := s.stmts[query]
	if !ok {
		var err error
		st, err = s.db.PrepareContext(ctx, query)
		if err != nil {
			s.mu.Unlock()
			return nil, err
		}
		s.stmts[query] = st
	}
	s.mu.Unlock()
	return tx.StmtContext(ctx, st), nil
}

// txStmt is a query of a transaction on a server, as prepared returns it.
type txStmt struct {
	tx    *sql.Tx
	query string // one of prepared's callers' constants
}

func (t txStmt) ExecContext(ctx context.Context, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.query, args...)
}

func (t txStmt) QueryContext(ctx context.Context, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, t.query, args...)
}

func (t txStmt) QueryRowContext(ctx context.Context, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.query, args...)
}

// Path returns the absolute path of the database file (on a server, its
// URL without the password).
func (s *Store) Path() string { return s.path }

// inTx runs fn in a transaction (BEGIN IMMEDIATE, so it holds the write lock
// from the start) and commits it, or rolls it back when fn fails or panics or
// the database file is no longer at its path (ErrFileGone).
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		if s.server != nil {
			return forbidden(err)
		}
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
			if s.server != nil {
				err = forbidden(err)
			}
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = s.checkFile(); err != nil {
		return err
	}
	return tx.Commit()
}

// readSnapshot runs fn on one connection inside a deferred (read)
// transaction, so that everything fn reads comes from one snapshot of the
// database. Unlike inTx it takes no write lock; under WAL, writers carry on.
func (s *Store) readSnapshot(ctx context.Context, fn func(*sql.Conn) error) (err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	begin := `BEGIN DEFERRED`
	if s.server != nil {
		begin = `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`
	}
	if _, err := conn.ExecContext(ctx, begin); err != nil {
		return err
	}
	defer func() {
		// A read transaction has nothing to commit; end it either way,
		// and on panic too, before the connection goes back to the pool.
		if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`); rerr != nil && err == nil {
			err = rerr
		}
	}()
	return fn(conn)
}

// newID makes a UUIDv7.
func newID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// now is the current time as the store keeps it: UTC, nanoseconds, no
// monotonic reading, so that it compares equal to what is read back.
func now() time.Time {
	return fromNanos(time.Now().UnixNano())
}

// Times are stored as Unix nanoseconds.
func fromNanos(n int64) time.Time { return time.Unix(0, n).UTC() }

// queryer is what *sql.DB and *sql.Tx share, for helpers used both in and
// out of transactions.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// isConstraint reports whether err is SQLite refusing a write for a
// constraint (a unique index, mostly): for the store, a conflict.
func isConstraint(err error) bool {
	if err == nil {
		return false // before se, which errors.As moves to the heap: no allocation per write
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.Code == sqlite3.ErrConstraint
	}
	// The server's integrity constraint violations (class 23).
	return strings.HasPrefix(serverCode(err), "23")
}

// loadNames reads a small table's id → name map (annotators, labels), which
// the importer, Merge and EachRecord hold instead of joining.
func loadNames(ctx context.Context, q queryer, table string) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name FROM `+table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names := map[string]string{}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		names[id] = name
	}
	return names, rows.Err()
}
