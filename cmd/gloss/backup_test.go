package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"gloss/storage"
)

func TestBackupCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "g.db")
	a := write(t, dir, "a.txt", "An article worth keeping.\n")
	if code, _, errs := gloss(t, "import", "--db", db, a); code != 0 {
		t.Fatalf("import: %d %s", code, errs)
	}

	dest := filepath.Join(dir, "copy.db")
	code, out, errs := gloss(t, "backup", "--db", db, dest)
	if code != 0 || errs != "" || !strings.Contains(out, "backed up") {
		t.Fatalf("backup: %d %q %q", code, out, errs)
	}
	t.Log(strings.TrimSpace(out))
	if runtime.GOOS != "windows" {
		if fi, err := os.Stat(dest); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("backup file: %v %v", fi, err)
		}
	}
	s, err := storage.Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.DocumentCount(t.Context()); err != nil || n != 1 {
		t.Errorf("the copy has %d documents, %v", n, err)
	}
	if err := s.IntegrityCheck(t.Context()); err != nil {
		t.Error(err)
	}
	s.Close()

	// An existing file is kept unless --force.
	if err := os.WriteFile(dest, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs = gloss(t, "backup", "--db", db, dest)
	if code != 1 || !strings.Contains(errs, "exists") || !strings.Contains(errs, "--force") {
		t.Errorf("backup over an existing file: %d %q", code, errs)
	}
	if b, _ := os.ReadFile(dest); string(b) != "keep me" {
		t.Error("the existing file was changed")
	}
	if code, _, errs = gloss(t, "backup", "--db", db, "--force", dest); code != 0 {
		t.Errorf("backup --force: %d %q", code, errs)
	}
	if b, _ := os.ReadFile(dest); string(b) == "keep me" {
		t.Error("--force did not replace the file")
	}
}

func TestBackupCommandErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "g.db")
	for _, tc := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"backup", "--db", db}, 2, "name one file"},
		{[]string{"backup", "--db", db, "a.db", "b.db"}, 2, "name one file"},
		{[]string{"backup", "--db", db, "a.db", "--force"}, 2, "flags go before"},
		{[]string{"backup", "--db", filepath.Join(dir, "missing.db"), filepath.Join(dir, "x.db")}, 1, "no database"},
	} {
		code, out, errs := gloss(t, tc.args...)
		if code != tc.code || out != "" || !strings.Contains(errs, tc.says) {
			t.Errorf("%v: %d %q %q", tc.args, code, out, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Error("backup of a missing database created it")
	}

	// The database itself, or a directory, is refused.
	a := write(t, dir, "a.txt", "Text.\n")
	if code, _, errs := gloss(t, "import", "--db", db, a); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	before, _ := os.ReadFile(db)
	for _, dest := range []string{db, dir} {
		code, _, errs := gloss(t, "backup", "--db", db, "--force", dest)
		if code != 1 || errs == "" {
			t.Errorf("backup --force to %s: %d %q", dest, code, errs)
		}
	}
	if after, _ := os.ReadFile(db); string(after) != string(before) {
		t.Error("the database changed")
	}
}
