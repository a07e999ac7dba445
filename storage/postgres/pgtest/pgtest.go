// Package pgtest gives tests a PostgreSQL database of their own (tests
// only).
//
// When $GLOSS_PG_URL is set, it is the server: a URL as a role that may
// create databases and roles (postgres://postgres:pw@127.0.0.1/postgres).
// Otherwise, on Linux, the first test that asks starts a throwaway server:
// initdb and postgres (found on PATH, else in /usr/lib/postgresql/*/bin, as
// Debian installs them) on a temporary folder, listening on a free port of
// 127.0.0.1 only, with password (SCRAM) authentication; as root they run as
// the postgres user, since PostgreSQL refuses to run as root. Main stops it
// (pg_ctl stop -m fast) when the tests end, and the server is told to quit
// should the test binary die first. When there is neither, the tests that
// ask skip, saying why — or fail, when $GLOSS_PG_REQUIRED is set (as
// `make test` sets it), so that a server that did not start cannot pass for
// tests that passed.
//
// Each test gets a new database (New), dropped at its end with the roles
// named for it (Database.Role). Restart stops and starts the throwaway
// server under a test, for the tests of what a restart does to a session.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

const (
	// EnvURL names an existing server to use instead of starting one.
	EnvURL = "GLOSS_PG_URL"
	// EnvRequired makes a missing server fail the tests instead of
	// skipping them.
	EnvRequired = "GLOSS_PG_REQUIRED"
)

var (
	once    sync.Once
	adminDB string  // admin URL of the server, "" when there is none
	why     string  // why there is none
	srv     *server // the server started here, nil when none
)

// Main runs a package's tests and then stops the server if one was
// started: func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }.
func Main(m *testing.M) int {
	code := m.Run()
	if srv != nil {
		if err := srv.stop(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
		}
	}
	return code
}

// server is the admin URL, starting the server on the first call.
func serverURL() (string, string) {
	once.Do(func() {
		if u := os.Getenv(EnvURL); u != "" {
			adminDB = u
			return
		}
		s, err := start()
		if err != nil {
			why = err.Error()
			return
		}
		srv, adminDB = s, s.url
	})
	return adminDB, why
}

// Database is a test's own database on the server.
type Database struct {
	// URL is the database as the server's administrator, who owns it (the
	// throwaway server's superuser, or $GLOSS_PG_URL's role).
	URL  string
	Name string // the database's name
	// ChecksPasswords: the server refuses a wrong password (the throwaway
	// one does; $GLOSS_PG_URL's may trust its clients).
	ChecksPasswords bool
	suffix          string
}

// New makes an empty database for t, dropped when t ends with the roles
// Role named. Without a server it skips t, or fails it when
// $GLOSS_PG_REQUIRED is set.
func New(t testing.TB) *Database {
	t.Helper()
	admin, why := serverURL()
	if admin == "" {
		msg := "no PostgreSQL for this test: " + why + " (set " + EnvURL + " to a server's URL, or install PostgreSQL: apt-get install postgresql)"
		if os.Getenv(EnvRequired) != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	b := make([]byte, 4)
	rand.Read(b)
	d := &Database{suffix: hex.EncodeToString(b), ChecksPasswords: srv != nil}
	d.Name = "gloss_test_" + d.suffix
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connect to the test server: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{d.Name}.Sanitize()); err != nil {
		t.Fatalf("create a test database: %v", err)
	}
	d.URL = withDatabase(admin, d.Name)
	t.Cleanup(func() { d.drop(t, admin) })
	return d
}

// Restart stops the throwaway server as an administrator restarting
// PostgreSQL would (pg_ctl stop -m fast: every session of every database is
// ended, every open transaction rolled back), calls whileDown (when not nil)
// while nothing listens on its port, and starts it again on the same data
// and port, returning once it takes connections. The server is the whole
// test binary's: no test may use it meanwhile (none runs in parallel). A
// server named by $GLOSS_PG_URL is not this package's to restart: t is
// skipped, saying so — as it is without a server (or failed, under
// $GLOSS_PG_REQUIRED).
func Restart(t testing.TB, whileDown func()) {
	t.Helper()
	Restartable(t)
	if err := srv.down(); err != nil {
		t.Fatalf("stop the test server: %v", err)
	}
	// Up again even when whileDown fails the test (t.Fatal's
	// runtime.Goexit), for the tests after it.
	defer func() {
		if err := srv.up(); err != nil {
			t.Fatalf("start the test server again: %v", err)
		}
	}()
	if whileDown != nil {
		whileDown()
	}
}

// Restartable skips t unless Restart can restart the server: when
// $GLOSS_PG_URL names one, or there is none (then it fails t under
// $GLOSS_PG_REQUIRED). A test calls it first, before its setup.
func Restartable(t testing.TB) {
	t.Helper()
	if os.Getenv(EnvURL) != "" {
		t.Skip("not restarting the server of " + EnvURL + ", which these tests did not start: the restart tests run on the throwaway server only")
	}
	if admin, why := serverURL(); admin == "" || srv == nil {
		msg := "no PostgreSQL to restart: " + why
		if os.Getenv(EnvRequired) != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
}

// drop drops the database and then the roles named for it.
func (d *Database) drop(t testing.TB, admin string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Errorf("drop test database %s: %v", d.Name, err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+pgx.Identifier{d.Name}.Sanitize()+` WITH (FORCE)`); err != nil {
		t.Errorf("drop test database %s: %v", d.Name, err)
		return
	}
	roles, err := conn.Query(ctx, `SELECT rolname FROM pg_roles WHERE right(rolname, $1) = $2`,
		len(d.suffix)+1, "_"+d.suffix)
	if err != nil {
		t.Errorf("drop the roles of %s: %v", d.Name, err)
		return
	}
	names, err := pgx.CollectRows(roles, pgx.RowTo[string])
	if err != nil {
		t.Errorf("drop the roles of %s: %v", d.Name, err)
		return
	}
	for _, n := range names {
		if _, err := conn.Exec(ctx, `DROP ROLE `+pgx.Identifier{n}.Sanitize()); err != nil {
			t.Errorf("drop role %s: %v", n, err)
		}
	}
}

// Role makes a role (and annotator) name unique to this database, from
// base: "ann" becomes "ann_1f2e3d4c". Roles belong to the whole server, so
// tests name theirs this way; the database's cleanup drops them.
func (d *Database) Role(base string) string { return base + "_" + d.suffix }

// As is the database's URL as another role.
func (d *Database) As(role, password string) string {
	u, err := url.Parse(d.URL)
	if err != nil {
		panic(err)
	}
	u.User = url.UserPassword(role, password)
	return u.String()
}

// withDatabase is u naming another database.
func withDatabase(u, name string) string {
	p, err := url.Parse(u)
	if err != nil {
		panic(err)
	}
	p.Path = "/" + name
	return p.String()
}

// randomPassword is a password for the throwaway server's superuser.
func randomPassword() string {
	b := make([]byte, 16)
	rand.Read(b)
	return strings.ToLower(hex.EncodeToString(b))
}
