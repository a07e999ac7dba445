package main

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strings"

	"gloss/storage/postgres"
)

const serverUsage = `usage:
  gloss server init URL
      make (or bring up to date) the Gloss schema, the roles gloss_analyst and
      gloss_lead and their rights on the PostgreSQL database of URL,
      postgres://ADMIN[:PASSWORD]@HOST[:PORT]/DATABASE, as its owner or a superuser
  gloss server add-analyst [--db URL] NAME [--lead] [--password P]
      a login role NAME on the server (a member of gloss_analyst, and of
      gloss_lead with --lead) and the annotator NAME in the database of URL
      (--db, else $GLOSS_DB), connected to as for init; without --password a
      password is made and shown once
  gloss server load [--db URL] FILE.db
      bring a Gloss SQLite file into a server without documents yet (a desk
      moving to the server), in one transaction through COPY, with its UUIDs;
      analysts added before take over their layers in it, with the file's
      history (gloss merge --db URL FILE.db merges a file into a server that
      has work, as into a file)
  gloss server backup [--db URL] [--annotator NAME] DEST.db
      write everything the server holds to a new Gloss SQLite file, with the
      same UUIDs and history (also: gloss backup --db URL DEST.db); with
      --annotator, every document and label but only NAME's layer
`

// cliServer is gloss server: the PostgreSQL backend's first commands.
func cliServer(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, "gloss server: name what to do\n"+serverUsage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	switch args[0] {
	case "init":
		return serverInit(ctx, args[1:], stdout, stderr)
	case "add-analyst":
		return serverAddAnalyst(ctx, args[1:], stdout, stderr)
	case "load":
		return serverCopy(ctx, "load", args[1:], stdout, stderr)
	case "backup":
		return serverCopy(ctx, "backup", args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, serverUsage)
		return 0
	}
	fmt.Fprintf(stderr, "gloss server: unknown command %q\n%s", args[0], serverUsage)
	return 2
}

// serverFlags is a flag set whose usage is serverUsage.
func serverFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, serverUsage) }
	return fs
}

// parseInterspersed parses flags wherever they are among the arguments
// (NAME --lead as well as --lead NAME) and returns the others.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// serverURL checks that a database named for gloss server is a PostgreSQL
// URL.
func serverURL(db string) error {
	switch {
	case db == "":
		return errors.New("name the PostgreSQL database: postgres://ADMIN@HOST/DATABASE")
	case !isPostgresURL(db):
		return fmt.Errorf("%s is not a PostgreSQL URL: gloss server works on postgres://ADMIN@HOST/DATABASE", postgres.Redact(db))
	}
	return nil
}

func serverInit(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := serverFlags("gloss server init", stderr)
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	if len(rest) != 1 {
		fmt.Fprint(stderr, "gloss server init: name one database URL\n"+serverUsage)
		return 2
	}
	db := rest[0]
	if err := serverURL(db); err != nil {
		fmt.Fprintln(stderr, "gloss server init:", err)
		return 2
	}
	if err := postgres.Init(ctx, db); err != nil {
		fmt.Fprintln(stderr, "gloss server init:", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s: Gloss schema version %d, the roles gloss_analyst and gloss_lead and their rights are in place\n"+
		"next: gloss server add-analyst --db URL NAME [--lead]\n", postgres.Redact(db), postgres.SchemaVersion())
	return 0
}

func serverAddAnalyst(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := serverFlags("gloss server add-analyst", stderr)
	db := fs.String("db", os.Getenv("GLOSS_DB"), "the PostgreSQL database, as an administrator (or $GLOSS_DB)")
	lead := fs.Bool("lead", false, "a lead: may also write documents, labels and the gold layer")
	password := fs.String("password", "", "the role's password (made and shown when not given)")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	if len(rest) != 1 {
		fmt.Fprint(stderr, "gloss server add-analyst: name one analyst\n"+serverUsage)
		return 2
	}
	name := rest[0]
	if err := serverURL(*db); err != nil {
		fmt.Fprintln(stderr, "gloss server add-analyst: --db:", err)
		return 2
	}
	made := *password == ""
	if made {
		*password = newPassword()
	}
	if err := postgres.AddAnalyst(ctx, *db, name, *password, *lead); err != nil {
		fmt.Fprintln(stderr, "gloss server add-analyst:", err)
		return 1
	}
	what := "analyst"
	if *lead {
		what = "lead"
	}
	fmt.Fprintf(stdout, "%s %s added to %s\nthey connect as %s\n", what, name, postgres.Redact(*db), analystURL(*db, name))
	if made {
		fmt.Fprintf(stdout, "password: %s (shown only now: hand it to %s)\n", *password, name)
	}
	return 0
}

// analystURL is the admin URL db as the analyst name, without a password.
func analystURL(db, name string) string {
	u, err := url.Parse(db)
	if err != nil {
		return "postgres://" + name + "@…"
	}
	u.User = url.User(name)
	if q := u.Query(); q.Has("password") || q.Has("user") {
		q.Del("password")
		q.Del("user")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// newPassword is a random password of 26 letters and digits (128 bits).
func newPassword() string {
	b := make([]byte, 16)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// serverCopy is gloss server load and gloss server backup: a SQLite file
// into an empty server, or the server into a new SQLite file.
func serverCopy(ctx context.Context, what string, args []string, stdout, stderr io.Writer) int {
	name := "gloss server " + what
	fs := serverFlags(name, stderr)
	db := fs.String("db", os.Getenv("GLOSS_DB"), "the PostgreSQL database, as its owner (or $GLOSS_DB)")
	var annotator *string
	if what == "backup" {
		annotator = fs.String("annotator", "", "only this analyst's layer")
	}
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	if len(rest) != 1 {
		fmt.Fprintf(stderr, "%s: name one SQLite file\n%s", name, serverUsage)
		return 2
	}
	if err := serverURL(*db); err != nil {
		fmt.Fprintf(stderr, "%s: --db: %v\n", name, err)
		return 2
	}
	file := rest[0]
	var sum postgres.LoadSummary
	if what == "load" {
		sum, err = postgres.LoadSQLite(ctx, *db, file)
	} else {
		sum, err = postgres.BackupAnalystToSQLite(ctx, *db, file, *annotator)
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	if what == "load" {
		fmt.Fprintf(stdout, "loaded %s into %s: %d documents, %d spans, %d relations, %d history entries\n", file, postgres.Redact(*db),
			sum.Rows["documents"], sum.Rows["spans"], sum.Rows["relations"], sum.Rows["edits"])
	} else {
		fmt.Fprintf(stdout, "wrote %s from %s: %d documents, %d spans, %d relations, %d history entries\n", file, postgres.Redact(*db),
			sum.Rows["documents"], sum.Rows["spans"], sum.Rows["relations"], sum.Rows["edits"])
	}
	return 0
}
