package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gloss/storage/postgres"
	"gloss/storage/postgres/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// dbCommands are every subcommand that opens --db, with the arguments it
// needs besides.
func dbCommands(dir string) map[string][]string {
	return map[string][]string{
		"suggest": {"--annotator", "ann"},
	}
}

// A postgres:// --db is understood by every command: it connects to the
// server (here nobody listens on the port), says which one it could not
// reach without its password, and makes nothing: before, it became a folder
// tree postgres:/alice@host/ with a new SQLite file in it.
func TestDBPostgresURLIsUnderstood(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	write(t, dir, "a.txt", "The council approved 280,000 homes.\n")
	for cmd, rest := range dbCommands(dir) {
		for _, db := range []string{"postgres://alice@127.0.0.1:1/gloss", "postgresql://alice:s3cret@127.0.0.1:1/gloss?sslmode=disable"} {
			code, _, errs := gloss(t, append([]string{cmd, "--db", db}, rest...)...)
			if code == 0 || !strings.Contains(errs, "gloss "+cmd+": ") || !strings.Contains(errs, "127.0.0.1") {
				t.Errorf("%s --db %s: exit %d, %q", cmd, db, code, errs)
			}
			if strings.Contains(errs, "s3cret") {
				t.Errorf("%s: the password is shown: %q", cmd, errs)
			}
		}
	}
	// The same from $GLOSS_DB.
	t.Setenv("GLOSS_DB", "postgres://alice:s3cret@127.0.0.1:1/gloss")
	if code, _, errs := gloss(t, "suggest", "--annotator", "ann"); code != 1 || !strings.Contains(errs, "gloss suggest: ") || strings.Contains(errs, "s3cret") {
		t.Errorf("suggest with GLOSS_DB a URL: %d %q", code, errs)
	}
	// The window without a display says so before connecting.
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	if code, _, errs := gloss(t); code != 1 || !strings.Contains(errs, "no display") {
		t.Errorf("the window without a display on a postgres URL: %d %q", code, errs)
	}
	assertNothingMade(t, dir, "a.txt")
}

// Any other URL is refused, naming its scheme.
func TestDBOtherURLsAreRefused(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	write(t, dir, "a.txt", "The council approved 280,000 homes.\n")
	for _, c := range []struct{ db, scheme string }{
		{"mysql://alice@host/gloss", "mysql"},
		{"file:///tmp/g.db", "file"},
		{"https://example.org/g.db", "https"},
		{"sqlite3://g.db", "sqlite3"},
	} {
		for cmd, rest := range dbCommands(dir) {
			code, _, errs := gloss(t, append([]string{cmd, "--db", c.db}, rest...)...)
			if code == 0 || !strings.Contains(errs, `the scheme "`+c.scheme+`"`) {
				t.Errorf("%s --db %s: %d %q", cmd, c.db, code, errs)
			}
		}
		t.Setenv("DISPLAY", "")
		if code, _, errs := gloss(t, "--db", c.db); code != 1 || !strings.Contains(errs, `the scheme "`+c.scheme+`"`) {
			t.Errorf("the window on %s: %d %q", c.db, code, errs)
		}
	}
	assertNothingMade(t, dir, "a.txt")
}

// A path in a folder that does not exist is refused, unless it is the
// default database, whose folders are made.
func TestDBPathFolderMustExist(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	a := write(t, dir, "a.txt", "The council approved 280,000 homes.\n")
	for _, db := range []string{filepath.Join(dir, "no", "such", "g.db"), "postgres:/alice@host/gloss", filepath.Join("rel", "g.db")} {
		for cmd, rest := range dbCommands(dir) {
			code, _, errs := gloss(t, append([]string{cmd, "--db", db}, rest...)...)
			if code == 0 || !strings.Contains(errs, "folder "+filepath.Dir(db)+" does not exist") {
				t.Errorf("%s --db %s: %d %q", cmd, db, code, errs)
			}
		}
		t.Setenv("DISPLAY", "")
		if code, _, errs := gloss(t, "--db", db); code != 1 || !strings.Contains(errs, "does not exist") {
			t.Errorf("the window on %s: %d %q", db, code, errs)
		}
	}
	// A file where the folder should be.
	if code, _, errs := gloss(t, "import", "--db", filepath.Join(a, "g.db"), a); code == 0 || !strings.Contains(errs, "is not a folder") {
		t.Errorf("--db under a file: %d %q", code, errs)
	}
	assertNothingMade(t, dir, "a.txt")

	// The default database's folders are made, as always.
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	t.Setenv("GLOSS_DB", "")
	if code, _, errs := gloss(t, "import", a); code != 0 {
		t.Fatalf("import into the default database: %d %q", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "gloss", "gloss.db")); err != nil {
		t.Errorf("the default database was not made: %v", err)
	}
	// Named explicitly, it is still the default.
	if code, _, errs := gloss(t, "stats", "--db", filepath.Join(dir, "data", "gloss", "gloss.db")); code != 0 {
		t.Errorf("stats on the default database: %d %q", code, errs)
	}
}

// assertNothingMade checks dir holds only the files named.
func assertNothingMade(t *testing.T, dir string, files ...string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(files, ",") {
		t.Errorf("%s holds %v, want only %v", dir, got, files)
	}
}

func TestServerInitAndAddAnalyst(t *testing.T) {
	db := pgtest.New(t)
	for i := 0; i < 2; i++ {
		code, out, errs := gloss(t, "server", "init", db.URL)
		if code != 0 || !strings.Contains(out, "Gloss schema version") || errs != "" {
			t.Fatalf("server init #%d: %d %q %q", i+1, code, out, errs)
		}
		if strings.Contains(out, ":"+passwordOf(db.URL)+"@") {
			t.Errorf("server init shows the password: %q", out)
		}
	}
	ctx := context.Background()
	lea := db.Role("lea")
	// Flags after the name, as the usage writes them.
	code, out, errs := gloss(t, "server", "add-analyst", "--db", db.URL, lea, "--lead", "--password", "pw-lea")
	if code != 0 || !strings.Contains(out, "lead "+lea+" added") || strings.Contains(out, "password:") {
		t.Fatalf("add-analyst --lead: %d %q %q", code, out, errs)
	}
	s, err := postgres.Open(ctx, db.As(lea, "pw-lea"))
	if err != nil {
		t.Fatalf("log in as the lead: %v", err)
	}
	if s.Me().Name != lea || !s.IsLead() {
		t.Errorf("the lead is %+v, lead %v", s.Me(), s.IsLead())
	}
	s.Close()

	// Without --password one is made and shown; --db from $GLOSS_DB.
	t.Setenv("GLOSS_DB", db.URL)
	ann := db.Role("ann")
	code, out, errs = gloss(t, "server", "add-analyst", ann)
	m := regexp.MustCompile(`(?m)^password: ([a-z0-9]{26}) `).FindStringSubmatch(out)
	if code != 0 || m == nil || !strings.Contains(out, "they connect as postgres://"+ann+"@") {
		t.Fatalf("add-analyst without a password: %d %q %q", code, out, errs)
	}
	s, err = postgres.Open(ctx, db.As(ann, m[1]))
	if err != nil {
		t.Fatalf("log in with the password made: %v", err)
	}
	if s.Me().Name != ann || s.IsLead() {
		t.Errorf("the analyst is %+v, lead %v", s.Me(), s.IsLead())
	}
	s.Close()

	// The server refuses, and says why.
	if code, _, errs := gloss(t, "server", "add-analyst", "gold"); code != 1 || !strings.Contains(errs, "gloss server add-analyst: ") || !strings.Contains(errs, "gold layer") {
		t.Errorf("add-analyst gold: %d %q", code, errs)
	}
}

func passwordOf(u string) string {
	if i, j := strings.Index(u, "://"), strings.Index(u, "@"); i >= 0 && j > i {
		if k := strings.Index(u[i+3:j], ":"); k >= 0 {
			return u[i+3+k+1 : j]
		}
	}
	return "\x00"
}

func TestServerCommandErrors(t *testing.T) {
	t.Setenv("GLOSS_DB", "")
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"server"}, 2, "name what to do"},
		{[]string{"server", "frob"}, 2, `unknown command "frob"`},
		{[]string{"server", "init"}, 2, "name one database URL"},
		{[]string{"server", "init", "a", "b"}, 2, "name one database URL"},
		{[]string{"server", "init", "g.db"}, 2, "g.db is not a PostgreSQL URL"},
		{[]string{"server", "init", "mysql://u:secret@h/d"}, 2, "mysql://u:xxxxx@h/d is not a PostgreSQL URL"},
		{[]string{"server", "add-analyst", "ann"}, 2, "name the PostgreSQL database"},
		{[]string{"server", "add-analyst", "--db", "postgres://a@h/d"}, 2, "name one analyst"},
		{[]string{"server", "add-analyst", "--db", "postgres://a@h/d", "--nope", "ann"}, 2, "flag provided but not defined"},
		{[]string{"server", "init", "postgres://nobody:secret@127.0.0.1:1/gloss?connect_timeout=5"}, 1, "gloss server init: connect to postgres://nobody:xxxxx@127.0.0.1:1/gloss"},
		{[]string{"server", "add-analyst", "--db", "postgres://nobody@127.0.0.1:1/gloss?connect_timeout=5", "ann"}, 1, "gloss server add-analyst: connect to"},
		{[]string{"server", "add-analyst", "--db", "postgres://nobody@127.0.0.1:1/gloss", "pg_ann"}, 1, "begins with pg_"},
	} {
		code, _, errs := gloss(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.says) || strings.Contains(errs, "secret") {
			t.Errorf("%v: exit %d, %q; want %d saying %q", c.args, code, errs, c.code, c.says)
		}
	}
	if code, out, _ := gloss(t, "help"); code != 0 || !strings.Contains(out, "gloss server init URL") || !strings.Contains(out, "gloss server add-analyst") {
		t.Errorf("help does not list gloss server: %q", out)
	}
}

// A desk's SQLite file goes into a server with gloss merge, a copy worked on
// offline merges back, and the server comes back with gloss backup, its
// spans and their UUIDs intact.
func TestServerMergeAndBackup(t *testing.T) {
	db := pgtest.New(t)
	if code, _, errs := gloss(t, "server", "init", db.URL); code != 0 {
		t.Fatalf("init: %s", errs)
	}
	dir := t.TempDir()
	desk := filepath.Join(dir, "desk.db")
	write(t, dir, "a.txt", "👍🏽 The council approved 280,000 homes.\n")
	if code, _, errs := gloss(t, "import", "--db", desk, filepath.Join(dir, "a.txt")); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	code, out, errs := gloss(t, "merge", "--db", db.URL, desk)
	if code != 0 || !strings.Contains(out, desk+": documents 1 added, 0 matched") {
		t.Fatalf("merge into the server: %d %q %q", code, out, errs)
	}
	// Offline work on a copy merges back into the server that has it.
	back := filepath.Join(dir, "back.db")
	if code, _, errs := gloss(t, "backup", "--db", db.URL, back); code != 0 {
		t.Fatalf("backup: %s", errs)
	}
	write(t, dir, "b.txt", "Rents rose 5% — “a record”.\n")
	if code, _, errs := gloss(t, "import", "--db", back, filepath.Join(dir, "b.txt")); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	code, out, errs = gloss(t, "merge", "--db", db.URL, desk, back)
	if code != 0 || !strings.Contains(out, desk+": documents 0 added, 1 matched") || !strings.Contains(out, back+": documents 1 added, 1 matched") {
		t.Errorf("merging the desk again and the offline copy: %d %q %q", code, out, errs)
	}
	if code, _, errs := gloss(t, "merge", "--db", db.URL, filepath.Join(dir, "a.txt")); code != 1 || !strings.Contains(errs, "a.txt") || !strings.Contains(errs, "not a Gloss database") {
		t.Errorf("merging a text file into the server: %d %q", code, errs)
	}
	home := filepath.Join(dir, "home.db")
	code, out, errs = gloss(t, "backup", "--db", db.URL, home)
	if code != 0 || !strings.Contains(out, "wrote "+home) {
		t.Fatalf("backup of the server: %d %q %q", code, out, errs)
	}
	code, out, _ = gloss(t, "stats", "--db", home)
	if code != 0 || !strings.Contains(out, "documents   2") {
		t.Errorf("stats of the backup: %d %q", code, out)
	}
	if code, _, errs := gloss(t, "backup", "--db", db.URL, "--force", home); code != 2 || !strings.Contains(errs, "new file") {
		t.Errorf("backup --force of a server: %d %q", code, errs)
	}
}

// gloss import --db URL: annotation files and articles into the server
// through COPY; the same file again adds nothing; a bad span is refused,
// naming the file and line, and nothing of the import stays.
func TestServerImport(t *testing.T) {
	db := pgtest.New(t)
	if code, _, errs := gloss(t, "server", "init", db.URL); code != 0 {
		t.Fatalf("init: %s", errs)
	}
	dir := t.TempDir()
	fixtures := filepath.Join("..", "..", "app", "formats", "testdata")
	peer := filepath.Join(fixtures, "peer", "brat", "news-tutorial")
	code, out, errs := gloss(t, "import", "--db", db.URL, "--annotator", "Ana", peer, filepath.Join(fixtures, "import_spacy.jsonl"))
	if code != 0 || !strings.Contains(out, "spans: ") || !strings.Contains(out, "relations: ") {
		t.Fatalf("import into the server: %d %q %q", code, out, errs)
	}
	code, out, errs = gloss(t, "import", "--db", db.URL, "--annotator", "Ana", peer)
	if code != 0 || !strings.Contains(out, "0 imported, 2 already present") || !strings.Contains(out, "spans: 0 added") {
		t.Errorf("the same files again: %d %q %q", code, out, errs)
	}
	bad := write(t, dir, "bad.jsonl", `{"text":"New text 👍🏽 here","spans":[{"start":0,"end":3,"label":"Claim"}]}`+"\n"+`{"text":"x y","spans":[{"start":0,"end":9,"label":"Claim"}]}`+"\n")
	code, _, errs = gloss(t, "import", "--db", db.URL, "--annotator", "Ana", "--format", "spacy", bad)
	if code != 1 || !strings.Contains(errs, "bad.jsonl:2") {
		t.Errorf("a bad span: %d %q", code, errs)
	}
	home := filepath.Join(dir, "home.db")
	if code, _, errs := gloss(t, "backup", "--db", db.URL, home); code != 0 {
		t.Fatalf("backup: %s", errs)
	}
	code, out, _ = gloss(t, "stats", "--db", home)
	if code != 0 || strings.Contains(out, "New text") || !strings.Contains(out, "relations per type:") {
		t.Errorf("the server after the refused import: %q", out)
	}
	if !strings.Contains(out, "documents   6") {
		t.Errorf("documents on the server: %q", out)
	}
	// Stats of the server are its backup's.
	_, serverStats, _ := gloss(t, "stats", "--db", db.URL)
	if i, j := strings.Index(serverStats, "documents"), strings.Index(out, "documents"); i < 0 || j < 0 || serverStats[i:] != out[j:] {
		t.Errorf("stats of the server:\n%s\nof its backup:\n%s", serverStats, out)
	}
	// Agreement on the server is its backup's.
	_, agreeServer, errs := gloss(t, "agree", "--db", db.URL)
	_, agreeBackup, _ := gloss(t, "agree", "--db", home)
	if agreeServer != agreeBackup || agreeServer == "" {
		t.Errorf("agree on the server:\n%s (%s)\non its backup:\n%s", agreeServer, errs, agreeBackup)
	}
	// And a search: words, a substring after an emoji, a regex.
	for _, args := range [][]string{{"Rowling"}, {"--substring", "ling"}, {"--regex", "J\\. ?K"}, {"--format", "jsonl", "England"},
		{"--label", "Person", "--format", "jsonl", "Rowling"}, {"--label", "Person", "--annotator", "Ana", "J"}} {
		_, sServer, errs := gloss(t, append([]string{"search", "--db", db.URL}, args...)...)
		_, sBackup, _ := gloss(t, append([]string{"search", "--db", home}, args...)...)
		if sServer != sBackup || sServer == "" {
			t.Errorf("search %v on the server:\n%s (%s)\non its backup:\n%s", args, sServer, errs, sBackup)
		}
	}
	// So is a diff of two layers of one document.
	code, js, _ := gloss(t, "export", "--db", home, "--format", "jsonl")
	first := js[strings.Index(js, `"id":"`)+6:]
	first = first[:strings.Index(first, `"`)]
	_, diffServer, errs := gloss(t, "diff", "--db", db.URL, "--doc", first, "--annotators", "Ana,news-ana")
	_, diffBackup, _ := gloss(t, "diff", "--db", home, "--doc", first, "--annotators", "Ana,news-ana")
	if code != 0 || diffServer != diffBackup || diffServer == "" {
		t.Errorf("diff on the server:\n%s (%s)\non its backup:\n%s", diffServer, errs, diffBackup)
	}
	// Export from the server gives what an export of its backup gives.
	for _, f := range []string{"jsonl", "brat", "conll"} {
		a, b := filepath.Join(dir, "server."+f), filepath.Join(dir, "backup."+f)
		if code, _, errs := gloss(t, "export", "--db", db.URL, "--format", f, "-o", a); code != 0 {
			t.Fatalf("export %s from the server: %s", f, errs)
		}
		if code, _, errs := gloss(t, "export", "--db", home, "--format", f, "-o", b); code != 0 {
			t.Fatalf("export %s from the backup: %s", f, errs)
		}
		if sa, sb := dirOrFile(t, a), dirOrFile(t, b); sa != sb || sa == "" {
			t.Errorf("%s: the server's export differs from its backup's (%d and %d bytes)", f, len(sa), len(sb))
		}
	}
	code, _, errs = gloss(t, "export", "--db", db.URL, "--format", "jsonl", "--labels", "Person", "--annotator", "Ana", "-o", filepath.Join(dir, "p.jsonl"))
	if code != 0 || !strings.Contains(errs, "dropped by the filter") {
		t.Errorf("a filtered export from the server: %d %q", code, errs)
	}
	// Labelling every match on the server: the same report as on a copy
	// of its backup, and the same spans afterwards.
	copyOf := filepath.Join(dir, "copy.db")
	if code, _, errs := gloss(t, "backup", "--db", home, copyOf); code != 0 {
		t.Fatalf("copy: %s", errs)
	}
	_, applyServer, errs := gloss(t, "search", "--db", db.URL, "--apply", "Person", "--annotator", "Bea", "Rowling")
	_, applyCopy, _ := gloss(t, "search", "--db", copyOf, "--apply", "Person", "--annotator", "Bea", "Rowling")
	if applyServer != applyCopy || !strings.Contains(applyServer, "Bea labelled") {
		t.Errorf("search --apply on the server:\n%s (%s)\non a copy:\n%s", applyServer, errs, applyCopy)
	}
	_, again, _ := gloss(t, "search", "--db", db.URL, "--apply", "Person", "--annotator", "Bea", "Rowling")
	if !strings.Contains(again, "0 spans made") {
		t.Errorf("the same --apply again: %q", again)
	}
}

// dirOrFile is a file's content, or a folder's files' contents by name.
func dirOrFile(t *testing.T, p string) string {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if !fi.IsDir() {
		b, _ := os.ReadFile(p)
		return string(b)
	}
	var out strings.Builder
	es, _ := os.ReadDir(p)
	for _, e := range es {
		b, _ := os.ReadFile(filepath.Join(p, e.Name()))
		out.WriteString(e.Name() + "\n" + string(b))
	}
	return out.String()
}

// gloss suggest on a team server: as the gold layer's lead it trains on
// gold, stores its tagger and suggestions on the server, and a second run
// finds the tagger it stored; a plain analyst may not write gold's
// suggestions, by the server's rule.
func TestServerSuggest(t *testing.T) {
	db := pgtest.New(t)
	if code, _, errs := gloss(t, "server", "init", db.URL); code != 0 {
		t.Fatalf("init: %s", errs)
	}
	if code, _, errs := gloss(t, "import", "--db", db.URL, "--annotator", "gold", "../../app/suggest/testdata/corpus/corpus.jsonl"); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	lea, ann := db.Role("lea"), db.Role("ann")
	for _, r := range []struct {
		name string
		lead []string
	}{{lea, []string{"--lead"}}, {ann, nil}} {
		args := append([]string{"server", "add-analyst", "--db", db.URL, "--password", "pw-" + r.name, r.name}, r.lead...)
		if code, _, errs := gloss(t, args...); code != 0 {
			t.Fatalf("add-analyst: %s", errs)
		}
	}
	leaURL := db.As(lea, "pw-"+lea)
	code, out, errs := gloss(t, "suggest", "--db", leaURL, "--gold")
	if code != 0 || !strings.Contains(out, "trained on gold's") || !strings.Contains(out, "tagger v1") {
		t.Fatalf("suggest on the server: %d %q %q", code, out, errs)
	}
	code, out, errs = gloss(t, "suggest", "--db", leaURL, "--gold")
	if code != 0 || !strings.Contains(out, "tagger v2") {
		t.Errorf("the second run: %d %q %q", code, out, errs)
	}
	code, _, errs = gloss(t, "suggest", "--db", db.As(ann, "pw-"+ann), "--gold")
	if code != 1 || !strings.Contains(errs, "only your own layer") {
		t.Errorf("an analyst writing gold's suggestions: %d %q", code, errs)
	}
}
