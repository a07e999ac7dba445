// Package postgres is Gloss's second backend: one PostgreSQL database
// shared by a team, each analyst connecting as their own role (issue 14).
//
//   - Init makes the schema (the tables of the SQLite schema, translated,
//     under the version table gloss_schema, migrated in order), the group
//     roles gloss_analyst and gloss_lead, the row-level security that lets
//     everyone read everything and write only their own layer and status
//     (a lead also the shared rows and the gold layer), and the triggers
//     that NOTIFY every committed change. AddAnalyst makes an analyst's
//     login role and annotator.
//   - OpenStorage is the storage.Store the window and every command use: the
//     store's own code, run on the server through a database/sql pool that
//     converts its placeholders (sqlDB), listening to the notifications
//     (live.go) so that windows hear colleagues' edits. Shared rows change
//     with optimistic checks (shared.go).
//   - Open is this package's smaller pgx Store (the rights, Listen, the
//     tests' analysts); BeginImport imports through COPY; Source reads the
//     records an export writes; LoadSQLite and BackupToSQLite move a desk
//     between a SQLite file and the server with the same UUIDs;
//     LabelMatches labels a search's matches.
//
// Offsets are Unicode code points into the stored text, end exclusive, as in
// package storage. Times are Unix nanoseconds taken from the server's clock.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gloss/storage"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Errors of this package, wrapped with detail; test for them with errors.Is.
// Those the SQLite store also returns are its own values, so that one
// errors.Is serves both backends.
var (
	// ErrForbidden is the server refusing a write that is not the connected
	// role's: another analyst's layer, or shared rows to one who is no lead.
	ErrForbidden = storage.ErrForbidden
	// ErrNotAnalyst: the connected role is no analyst of this database.
	ErrNotAnalyst = errors.New("not an analyst of this database")
	// ErrInvalidSpan: a span outside its document's text, or empty.
	ErrInvalidSpan = storage.ErrInvalidSpan
	// ErrInvalidName: an analyst's or label's name that cannot be one.
	ErrInvalidName = errors.New("invalid name")
	// ErrNotFound: no document or label of that ID.
	ErrNotFound = storage.ErrNotFound
	// ErrConflict: the same label on the same extent in the same layer twice.
	ErrConflict = storage.ErrConflict
	// ErrNewerSchema: the database was made by a newer Gloss.
	ErrNewerSchema = storage.ErrNewerSchema
	// ErrNoSchema: the database has no Gloss schema (or an older one).
	ErrNoSchema = errors.New("no current Gloss schema (run gloss server init)")
	// ErrRoleExists: AddAnalyst will not take over a role Gloss did not make.
	ErrRoleExists = errors.New("role exists already")
)

// GoldAnnotator is the annotator of the gold layer (storage's).
const GoldAnnotator = storage.GoldAnnotator

// defaultLabelSet is the label set new labels go to (storage's).
const defaultLabelSet = storage.DefaultLabelSetName

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one numbered file of migrations/.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations are the files of migrations/, numbered 0001_… from 1 without
// gaps: version N is the database after file N.
var migrations = loadMigrations()

func loadMigrations() []migration {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		panic(err)
	}
	sort.Strings(names)
	var out []migration
	for i, n := range names {
		base := n[len("migrations/"):]
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil || v != i+1 {
			panic(fmt.Sprintf("postgres: migration %s is not number %d", base, i+1))
		}
		b, err := migrationFiles.ReadFile(n)
		if err != nil {
			panic(err)
		}
		out = append(out, migration{version: v, name: base, sql: string(b)})
	}
	return out
}

// SchemaVersion is the schema version this program makes and reads.
func SchemaVersion() int { return len(migrations) }

// initLock is the advisory lock that lets one Init at a time migrate a
// database (advisory locks belong to one database).
const initLock = 0x676c6f7373 // "gloss"

// Init makes or brings up to date the Gloss schema in the database of url:
// each migration in its own transaction, recorded in gloss_schema, so
// running it again changes nothing. It makes the group roles when the server
// has none, the gold annotator and the default label set. The connected role
// must be able to create roles and own the tables (the database's owner, or
// a superuser); it is the one role the row-level security does not bind. A
// database made by a newer Gloss is refused untouched (ErrNewerSchema).
func Init(ctx context.Context, url string) error {
	conn, err := connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, initLock); err != nil {
		return serverError("init", url, err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, initLock)
	if err := migrate(ctx, conn); err != nil {
		return serverError("init", url, err)
	}
	return nil
}

func migrate(ctx context.Context, conn *pgx.Conn) error {
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS public.gloss_schema (
		version INTEGER PRIMARY KEY,
		applied BIGINT NOT NULL)`); err != nil {
		return err
	}
	v, err := schemaVersion(ctx, conn)
	if err != nil {
		return err
	}
	if v > len(migrations) {
		return fmt.Errorf("%w: its schema version is %d, this Gloss knows up to %d", ErrNewerSchema, v, len(migrations))
	}
	for _, m := range migrations[v:] {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SET LOCAL search_path = public`); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO public.gloss_schema (version, applied) VALUES ($1, public.gloss_now())`, m.version)
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	// What every Gloss database has, as a new SQLite one: the gold layer's
	// annotator (so that a lead can write it without making annotators) and
	// the default label set.
	if _, err := conn.Exec(ctx, `INSERT INTO public.annotators (id, name, created)
		VALUES ($1, $2, public.gloss_now()) ON CONFLICT DO NOTHING`, newID(), GoldAnnotator); err != nil {
		return err
	}
	// A new set gets the default labels, as a new SQLite database does.
	setID := newID()
	tag, err := conn.Exec(ctx, `INSERT INTO public.label_sets (id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
		setID, defaultLabelSet)
	if err != nil || tag.RowsAffected() == 0 {
		return err
	}
	for i, l := range storage.DefaultLabels() {
		if _, err := conn.Exec(ctx, `INSERT INTO public.labels (id, set_id, name, color, key, position) VALUES ($1, $2, $3, $4, $5, $6)`,
			newID(), setID, l.Name, l.Color, l.Key, i+1); err != nil {
			return err
		}
	}
	return nil
}

// schemaVersion is the database's version: 0 without gloss_schema.
func schemaVersion(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}) (int, error) {
	var there bool
	if err := q.QueryRow(ctx, `SELECT to_regclass('public.gloss_schema') IS NOT NULL`).Scan(&there); err != nil || !there {
		return 0, err
	}
	var v int
	err := q.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM public.gloss_schema`).Scan(&v)
	return v, err
}

// AddAnalyst makes name an analyst of the database of url (connected to as
// an administrator, as for Init): a login role called name (with password,
// when not ""), a member of gloss_analyst (and gloss_lead when lead), and
// an annotator called name (a UUIDv7; an annotator of that name already
// there, from a merge say, is taken) mapped to the role in gloss_roles. All
// in one transaction. A role that exists already is taken only when Gloss
// made it (it is in gloss_analyst: the same analyst on another database of
// the server, never a superuser); its password is then set when one is
// given. Running it again changes nothing; without lead it does not take a
// lead's rights away.
func AddAnalyst(ctx context.Context, url, name, password string, lead bool) error {
	if err := checkRoleName(name); err != nil {
		return err
	}
	conn, err := connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if v, err := schemaVersion(ctx, conn); err != nil {
		return fmt.Errorf("add analyst %s: %w", name, err)
	} else if v != len(migrations) {
		return fmt.Errorf("add analyst %s: %w (schema version %d, this Gloss makes %d)", name, ErrNoSchema, v, len(migrations))
	}
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		// Membership is read from pg_auth_members itself: pg_has_role is
		// true of a superuser for every role, and a superuser must not be
		// taken for an analyst (nor get its password changed here).
		var exists, gloss bool
		if err := tx.QueryRow(ctx, `SELECT count(*) > 0, coalesce(bool_or(NOT r.rolsuper AND EXISTS (
				SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
				WHERE m.member = r.oid AND g.rolname = 'gloss_analyst')), false)
			FROM pg_roles r WHERE r.rolname = $1`, name).Scan(&exists, &gloss); err != nil {
			return err
		}
		// Role statements take no parameters: the server quotes the name
		// and the password itself (format's %I and %L).
		var stmts []string
		switch {
		case !exists:
			stmts = append(stmts, `CREATE ROLE %1$I LOGIN`)
		case !gloss:
			return fmt.Errorf("%w: the server has a role named %q that is no Gloss analyst; Gloss will not take it over", ErrRoleExists, name)
		}
		if password != "" {
			stmts = append(stmts, `ALTER ROLE %1$I PASSWORD %2$L`)
		}
		stmts = append(stmts, `GRANT gloss_analyst TO %1$I`)
		if lead {
			stmts = append(stmts, `GRANT gloss_lead TO %1$I`)
		}
		for _, f := range stmts {
			var stmt string
			if err := tx.QueryRow(ctx, `SELECT format($1::text, $2::text, $3::text)`, f, name, password).Scan(&stmt); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, stmt); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO public.annotators (id, name, created)
			VALUES ($1, $2, public.gloss_now()) ON CONFLICT (name) DO NOTHING`, newID(), name); err != nil {
			return err
		}
		var id string
		if err := tx.QueryRow(ctx, `SELECT id FROM public.annotators WHERE name = $1`, name).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO public.gloss_roles (role, annotator_id) VALUES ($1, $2)
			ON CONFLICT (role) DO NOTHING`, name, id); err != nil {
			return err
		}
		var mapped string
		if err := tx.QueryRow(ctx, `SELECT annotator_id FROM public.gloss_roles WHERE role = $1`, name).Scan(&mapped); err != nil {
			return err
		}
		if mapped != id {
			return fmt.Errorf("%w: role %q is mapped to another annotator in this database", ErrRoleExists, name)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("add analyst %s: %w", name, refusal(err))
	}
	return nil
}

// checkRoleName refuses a name that cannot be both an annotator's and a
// PostgreSQL role's: empty, padded, with control characters, longer than a
// role name may be (63 bytes), the gold layer's, or one PostgreSQL keeps
// for itself (pg_…).
func checkRoleName(name string) error {
	bad := func(why string) error { return fmt.Errorf("%w: %q %s", ErrInvalidName, name, why) }
	switch {
	case name == "":
		return fmt.Errorf("%w: the name is empty", ErrInvalidName)
	case strings.TrimSpace(name) != name:
		return bad("has leading or trailing spaces")
	case len(name) > 63:
		return bad(fmt.Sprintf("is %d bytes long; a PostgreSQL role name is at most 63", len(name)))
	case !utf8.ValidString(name):
		return bad("is not valid UTF-8")
	case strings.ContainsFunc(name, unicode.IsControl):
		return bad("contains a tab, newline or other control character")
	case strings.EqualFold(name, GoldAnnotator):
		return bad("is the gold layer's; a lead writes it (add-analyst --lead)")
	case strings.HasPrefix(strings.ToLower(name), "pg_"), strings.HasPrefix(strings.ToLower(name), "gloss_"):
		return bad("begins with pg_ or gloss_, which the server and Gloss keep for their own roles")
	}
	return nil
}

// connect opens one connection to url, saying which server failed.
func connect(ctx context.Context, url string) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, serverError("connect to", url, err)
	}
	return conn, nil
}

// serverError is err of what was done to the server at url (its password
// left out), each line of it once: pgx lists a failed connection per
// address and TLS mode tried, often the same line twice.
func serverError(what, url string, err error) error {
	return &onceError{what + " " + Redact(url), err}
}

type onceError struct {
	what string
	err  error
}

func (e *onceError) Error() string {
	var lines []string
	for _, l := range strings.Split(e.err.Error(), "\n") {
		if !slices.Contains(lines, l) {
			lines = append(lines, l)
		}
	}
	return e.what + ": " + strings.Join(lines, "\n")
}

func (e *onceError) Unwrap() error { return e.err }

// Redact is url as it may be shown: without its password.
func Redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		if i := strings.Index(s, "://"); i >= 0 {
			return s[:i+3] + "…"
		}
		return "…"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// refusal turns the server's refusals into this package's errors: a
// permission or row-level security error (SQLSTATE 42501) is ErrForbidden, a
// unique violation ErrConflict, a reserved or taken role name
// ErrInvalidName.
func refusal(err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err
	}
	switch pe.Code {
	case "42501":
		return fmt.Errorf("%w: the server refused: %s", ErrForbidden, pe.Message)
	case "23505":
		return fmt.Errorf("%w: %s", ErrConflict, pe.Message)
	case "42939", "42710":
		return fmt.Errorf("%w: %s", ErrInvalidName, pe.Message)
	}
	return err
}

// newID makes a UUIDv7.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// fromNanos is a stored time.
func fromNanos(n int64) time.Time { return time.Unix(0, n).UTC() }
