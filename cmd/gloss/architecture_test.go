package main

import (
	"go/build"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// outside names the modules the table may name, by their short names.
var outside = map[string]string{
	"Fyne":        "fyne.io/fyne/v2",
	"go-sqlite3":  "github.com/mattn/go-sqlite3",
	"uuid":        "github.com/google/uuid",
	"x/net":       "golang.org/x/net",
	"x/text":      "golang.org/x/text",
	"go-text":     "github.com/go-text/typesetting",
	"pgx":         "github.com/jackc/pgx/v5",
	"readability": "codeberg.org/readeck/go-readability/v2",
}

// TestArchitectureTableIsTheImportGraph reads the room table of
// docs/architecture.md and compares each row with what the package really
// imports (go/build, without tests): no arrow the table does not name, no
// name the code does not use, and a row for every package.
func TestArchitectureTableIsTheImportGraph(t *testing.T) {
	root := "../.."
	doc, err := os.ReadFile(filepath.Join(root, "docs/architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z/]+)` \\| [^|]+ \\| ([^|]+) \\|$")
	tick := regexp.MustCompile("`([a-z/]+)`")
	table := map[string][]string{}
	for _, m := range row.FindAllStringSubmatch(string(doc), -1) {
		var want []string
		for _, n := range tick.FindAllStringSubmatch(m[2], -1) {
			want = append(want, "gloss/"+n[1])
		}
		for _, part := range strings.Split(m[2], ",") {
			if mod, ok := outside[strings.TrimSpace(part)]; ok {
				want = append(want, mod)
			}
		}
		sort.Strings(want)
		table["gloss/"+m[1]] = want
	}
	if len(table) == 0 {
		t.Fatal("no room table found in docs/architecture.md")
	}
	var dirs []string
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if n := d.Name(); n == "testdata" || n == "bin" || (strings.HasPrefix(n, ".") && path != root) {
			return filepath.SkipDir
		}
		dirs = append(dirs, path)
		return nil
	})
	seen := map[string]bool{}
	for _, dir := range dirs {
		pkg, err := build.ImportDir(dir, 0)
		if err != nil {
			continue // no Go files
		}
		rel, _ := filepath.Rel(root, dir)
		name := "gloss/" + filepath.ToSlash(rel)
		seen[name] = true
		got := map[string]bool{}
		for _, imp := range pkg.Imports {
			switch {
			case strings.HasPrefix(imp, "gloss/"):
				got[imp] = true
			case strings.Contains(strings.SplitN(imp, "/", 2)[0], "."):
				mod, ok := moduleOf(imp)
				if !ok {
					t.Errorf("%s imports %s, a module the table has no name for", name, imp)
				}
				got[mod] = true
			}
		}
		var have []string
		for k := range got {
			have = append(have, k)
		}
		sort.Strings(have)
		want, ok := table[name]
		if !ok {
			t.Errorf("docs/architecture.md has no row for %s (it imports %v)", name, have)
			continue
		}
		if !slices.Equal(have, want) {
			t.Errorf("%s imports %v; its row in docs/architecture.md says %v", name, have, want)
		}
	}
	for name := range table {
		if !seen[name] {
			t.Errorf("docs/architecture.md has a row for %s, which is not a package", name)
		}
	}
}

// moduleOf is the module of outside that imp belongs to.
func moduleOf(imp string) (string, bool) {
	for _, m := range outside {
		if imp == m || strings.HasPrefix(imp, m+"/") {
			return m, true
		}
	}
	return "", false
}
