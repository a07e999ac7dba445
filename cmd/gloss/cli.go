package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/tabwriter"

	"gloss/app/formats"
	"gloss/app/library"
	"gloss/storage"
	"gloss/storage/postgres"
)

// usage is made with the format names of formats.Table.
var usage = fmt.Sprintf(usageText, strings.Join(formats.ArticleFormats(), " "), strings.Join(formats.ImportFormats(), " "),
	strings.Join(formats.ExportFormats(), " "))

const usageText = `Gloss — a desktop workbench for labelling text.

Usage:
  gloss [--db PATH] [--annotator NAME] [FILE...]   open the window (importing FILEs)
  gloss import [--db PATH] [--format F] [--strict] [--annotator NAME] FILE...
                                                   import articles (%s) or annotations
                                                   (%s; auto)
  gloss export [--db PATH] --format F [--annotator NAME | --gold] [--status S] [--labels A,B]
               [--docs ID,...] [--offsets codepoints|utf16] -o PATH
                                                   %s
  gloss stats  [--db PATH]                         documents, spans per label and annotator, statuses
  gloss suggest [--db PATH] (--annotator NAME | --gold) [--patterns FILE,...] [--wordlist FILE,...]
               [--docs ID,...]                     train on NAME's spans, evaluate, store suggestions
  gloss search [--db PATH] QUERY [--substring | --regex] [--case] [--word] [--label L] [--annotator NAME]
               [--status S] [--format text|jsonl] [--limit N] [--apply LABEL [--include-done]]
                                                   find in every document (FTS5), or label every match
  gloss backup [--db PATH] [--force] DEST          copy the database to DEST (safe while Gloss runs)
  gloss merge  [--db PATH] OTHER.db|OTHER.jsonl...  merge colleagues' work into the database
  gloss agree  [--db PATH] [--annotators a,b,c] [--labels A,B] [--docs ID,...] [--format text|json|csv]
                                                   inter-annotator agreement (F1, kappas, alpha)
  gloss diff   [--db PATH] --doc ID --annotators a,b [--json]
                                                   two annotators' spans on a document, lined up
  gloss server init URL                            a team's shared PostgreSQL database:
  gloss server add-analyst [--db URL] NAME [--lead] [--password P]
                                                   its schema, roles and rights; an analyst's role
  gloss server load [--db URL] FILE.db             a desk's SQLite file into an empty server
  gloss help | version

The database is --db, else $GLOSS_DB, else %%s.
It is a SQLite file, or a team server's database: postgres://ROLE@HOST/DB.
The analyst's name is --annotator, else $GLOSS_ANNOTATOR, else asked on first start.
`

// run is the whole program but the window; it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "import":
			return cliImport(args[1:], stdout, stderr)
		case "export":
			return cliExport(args[1:], stdout, stderr)
		case "stats":
			return cliStats(args[1:], stdout, stderr)
		case "backup":
			return cliBackup(args[1:], stdout, stderr)
		case "merge":
			return cliMerge(args[1:], stdout, stderr)
		case "agree":
			return cliAgree(args[1:], stdout, stderr)
		case "diff":
			return cliDiff(args[1:], stdout, stderr)
		case "suggest":
			return cliSuggest(args[1:], stdout, stderr)
		case "search":
			return cliSearch(args[1:], stdout, stderr)
		case "server":
			return cliServer(args[1:], stdout, stderr)
		case "help", "-h", "-help", "--help":
			fmt.Fprintf(stdout, usage, defaultDBPath())
			return 0
		case "version", "--version":
			fmt.Fprintln(stdout, versionLine())
			return 0
		}
	}
	fs := newFlags("gloss", stderr)
	db := dbFlag(fs)
	annotator := fs.String("annotator", os.Getenv("GLOSS_ANNOTATOR"), "the analyst's name")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if !flagsFirst(fs, stderr) {
		return 2
	}
	for i, f := range fs.Args() {
		if _, err := os.Stat(f); err != nil {
			if i == 0 && !strings.ContainsAny(f, "./\\") {
				fmt.Fprintf(stderr, "gloss: unknown command %q (gloss help lists them)\n", f)
				return 2
			}
			fmt.Fprintln(stderr, "gloss:", err)
			return 1
		}
	}
	// Before the display: a database the window cannot open is refused the
	// same way with or without one.
	if err := checkDB(*db); err != nil {
		fmt.Fprintln(stderr, "gloss:", err)
		return 1
	}
	if !hasDisplay() {
		fmt.Fprintln(stderr, "gloss: no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset); the headless commands work anywhere: gloss help")
		return 1
	}
	if err := runGUI(guiOptions{DB: *db, Annotator: *annotator, Files: fs.Args()}); err != nil {
		fmt.Fprintln(stderr, "gloss:", err)
		return 1
	}
	return 0
}

// flagsFirst refuses a flag written after the files (the flag package would
// take it for a file name), saying so on stderr.
func flagsFirst(fs *flag.FlagSet, stderr io.Writer) bool {
	for _, f := range fs.Args() {
		if strings.HasPrefix(f, "-") {
			fmt.Fprintf(stderr, "%s: flags go before files: %s\n", fs.Name(), f)
			return false
		}
	}
	return true
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage of %s:\n", name)
		fs.PrintDefaults()
	}
	return fs
}

func dbFlag(fs *flag.FlagSet) *string {
	def := os.Getenv("GLOSS_DB")
	if def == "" {
		def = defaultDBPath()
	}
	return fs.String("db", def, "the database file (or $GLOSS_DB)")
}

// defaultDBPath is gloss.db in the user's data directory:
// $XDG_DATA_HOME/gloss (~/.local/share/gloss) on Linux, the application
// support or AppData folder elsewhere.
func defaultDBPath() string {
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		if home, err := os.UserHomeDir(); err == nil && isUnixLike() {
			dir = filepath.Join(home, ".local", "share")
		} else if cfg, err := os.UserConfigDir(); err == nil {
			dir = cfg
		} else {
			dir = "."
		}
	}
	return filepath.Join(dir, "gloss", "gloss.db")
}

// openStore opens the database of a --db value: the server's for a
// postgres:// URL (as its role), else the SQLite file, made when it is
// missing (checkDB first: another URL or a path in no folder is refused).
func openStore(path string) (*storage.Store, error) {
	if err := checkDB(path); err != nil {
		return nil, err
	}
	if isPostgresURL(path) {
		return postgres.OpenStorage(context.Background(), path)
	}
	s, err := storage.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return s, nil
}

// openExisting opens a database that must exist already (for commands that
// only read).
func openExisting(path string) (*storage.Store, error) {
	if err := checkDB(path); err != nil {
		return nil, err
	}
	if isPostgresURL(path) {
		return openStore(path)
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no database at %s", path)
	}
	return openStore(path)
}

// urlScheme matches a --db value written as a URL (scheme://…) and
// captures its scheme. A one-letter scheme is a Windows drive (C://x), not
// a URL.
var urlScheme = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]+)://`)

// isPostgresURL reports whether a --db value is a postgres:// or
// postgresql:// URL.
func isPostgresURL(db string) bool {
	m := urlScheme.FindStringSubmatch(db)
	return m != nil && (strings.EqualFold(m[1], "postgres") || strings.EqualFold(m[1], "postgresql"))
}

// checkDB refuses a --db (or $GLOSS_DB) value that names neither a
// PostgreSQL database (postgres://…) nor a SQLite file Gloss may open or
// make: a URL of another scheme (naming it), or a path
// whose folder does not exist — unless it is the default database, whose
// folder Open makes. Without it a URL became a tree of folders with a new,
// empty database inside.
func checkDB(db string) error {
	if m := urlScheme.FindStringSubmatch(db); m != nil {
		if isPostgresURL(db) {
			return nil
		}
		return fmt.Errorf("--db %s: Gloss does not know the scheme %q: --db is a SQLite file or a postgres:// URL", postgres.Redact(db), m[1])
	}
	if db == "" {
		return errors.New("--db is empty: name a SQLite file")
	}
	abs, err := filepath.Abs(db)
	if err != nil {
		return fmt.Errorf("--db %s: %w", db, err)
	}
	if def, err := filepath.Abs(defaultDBPath()); err == nil && abs == def {
		return nil // its folder is made as needed
	}
	dir := filepath.Dir(abs)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("--db %s: folder %s does not exist (make it first, or name a file in a folder that does)", db, filepath.Dir(db))
	case err != nil:
		return fmt.Errorf("--db %s: %w", db, err)
	case !fi.IsDir():
		return fmt.Errorf("--db %s: %s is not a folder", db, filepath.Dir(db))
	}
	return nil
}

// reader is what the reading commands (export, stats, search, agree,
// diff) use of a database: a SQLite store or the team server.
type reader interface {
	library.RecordSource
	library.LayerSource
	Relations(ctx context.Context, docID, annotatorID string) ([]storage.Relation, error)
	Stats(ctx context.Context) (storage.Stats, error)
	Search(ctx context.Context, q storage.SearchQuery, fn func(storage.SearchMatch) error) error
}

// openReader opens --db for reading: the team server for a postgres://
// URL, else a SQLite file (one that must exist already when mustExist).
// Close it with the function it returns.
func openReader(ctx context.Context, db string, mustExist bool) (reader, func(), error) {
	if isPostgresURL(db) {
		src, err := postgres.OpenSource(ctx, db)
		if err != nil {
			return nil, nil, err
		}
		return src, src.Close, nil
	}
	open := openStore
	if mustExist {
		open = openExisting
	}
	st, err := open(db)
	if err != nil {
		return nil, nil, err
	}
	return st, func() { st.Close() }, nil
}

func cliStats(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("gloss stats", stderr)
	db := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	store, closeDB, err := openReader(context.Background(), *db, true)
	if err != nil {
		fmt.Fprintln(stderr, "gloss stats:", err)
		return 1
	}
	defer closeDB()
	st, err := store.Stats(context.Background())
	if err != nil {
		fmt.Fprintln(stderr, "gloss stats:", err)
		return 1
	}
	fmt.Fprintf(stdout, "database    %s\ndocuments   %d\nspans       %d\nrelations   %d\nannotators  %d\n", postgres.Redact(*db), st.Documents, st.Spans, st.Relations, st.Annotators)
	printCounts(stdout, "spans per label", st.PerLabel)
	if len(st.PerRelationType) > 0 {
		printCounts(stdout, "relations per type", st.PerRelationType)
	}
	printCounts(stdout, "spans per annotator", st.PerAnnotator)
	printStatuses(stdout, st)
	return 0
}

func printCounts(w io.Writer, title string, rows []storage.NameCount) {
	fmt.Fprintf(w, "\n%s:\n", title)
	if len(rows) == 0 {
		fmt.Fprintln(w, "  (none)")
		return
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Count > rows[j].Count })
	width := 0
	for _, r := range rows {
		width = max(width, len([]rune(r.Name)))
	}
	for _, r := range rows {
		fmt.Fprintf(w, "  %-*s %6d\n", width, r.Name, r.Count)
	}
}

// printStatuses shows each annotator's documents by status: a document
// counts once for every annotator, so the rows do not add up to the
// number of documents.
func printStatuses(w io.Writer, st storage.Stats) {
	fmt.Fprintf(w, "\ndocuments by status, per annotator (each row counts all %s):\n", library.Count(st.Documents, "document"))
	if len(st.StatusByAnnotator) == 0 {
		fmt.Fprintln(w, "  (no annotators)")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "  annotator\t")
	for _, s := range storage.Statuses {
		fmt.Fprintf(tw, "%s\t", s)
	}
	fmt.Fprintln(tw)
	for _, a := range st.StatusByAnnotator {
		fmt.Fprintf(tw, "  %s\t", a.Annotator)
		for _, c := range a.Counts {
			fmt.Fprintf(tw, "%d\t", c.Count)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}
