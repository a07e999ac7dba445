package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fillFixture gives f a long document (made current) with n spans
// [i, i+2).
func fillFixture(t testing.TB, f *fixture, n int) []Span {
	t.Helper()
	d, _, err := f.s.ImportDocument(f.ctx, NewDocument{Title: "Long", Text: benchText(7, 20_000)})
	if err != nil {
		t.Fatal(err)
	}
	f.doc = d
	var out []Span
	for i := range n {
		out = append(out, f.create(t, i%3, i, i+2))
	}
	return out
}

func TestBackupCopiesEverything(t *testing.T) {
	f := newFixture(t)
	spans := fillFixture(t, f, 30)
	dest := filepath.Join(t.TempDir(), "copy.db")
	if err := f.s.Backup(f.ctx, dest); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(dest)
		if err != nil {
			t.Fatal(err)
		}
		if m := fi.Mode().Perm(); m != 0o600 {
			t.Errorf("backup mode = %v, want 0600", m)
		}
	}
	// No temporary files are left beside it.
	ents, _ := os.ReadDir(filepath.Dir(dest))
	if len(ents) != 1 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("beside the backup: %v", names)
	}

	c, err := Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.IntegrityCheck(f.ctx); err != nil {
		t.Error(err)
	}
	got, err := c.Spans(f.ctx, f.doc.ID, f.ann.ID)
	if err != nil || len(got) != len(spans) {
		t.Fatalf("backup has %d spans (%v), want %d", len(got), err, len(spans))
	}
	// Undo history came along: undo works in the copy.
	if _, ok, err := c.Undo(f.ctx, f.ann.ID, f.doc.ID); !ok || err != nil {
		t.Errorf("undo in the backup: %v %v", ok, err)
	}
}

func TestBackupRefusesExistingAndOwnFiles(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	dest := filepath.Join(dir, "copy.db")
	if err := os.WriteFile(dest, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := f.s.Backup(f.ctx, dest)
	if !errors.Is(err, fs.ErrExist) {
		t.Fatalf("Backup over an existing file: %v", err)
	}
	t.Log(err)
	if b, _ := os.ReadFile(dest); string(b) != "precious" {
		t.Error("the existing file was changed")
	}
	for _, own := range []string{f.s.Path(), f.s.Path() + "-wal", f.s.Path() + "-shm"} {
		if err := f.s.BackupReplace(f.ctx, own); err == nil {
			t.Errorf("BackupReplace over %s succeeded", own)
		} else {
			t.Log(err)
		}
	}
	if err := f.s.Backup(f.ctx, dir); err == nil {
		t.Error("Backup over a directory succeeded")
	}
	if err := f.s.Backup(f.ctx, filepath.Join(dir, "no", "such", "dir", "x.db")); err == nil {
		t.Error("Backup into a missing directory succeeded")
	}
	if err := f.s.IntegrityCheck(f.ctx); err != nil {
		t.Error(err)
	}

	// Told to, it replaces the file.
	if err := f.s.BackupReplace(f.ctx, dest); err != nil {
		t.Fatal(err)
	}
	c, err := Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if n, _ := c.DocumentCount(f.ctx); n != 1 {
		t.Errorf("replaced backup has %d documents", n)
	}
}

// TestBackupWhileWriting backs up while another goroutine keeps editing: the
// copy is consistent and holds every edit acknowledged before it started.
func TestBackupWhileWriting(t *testing.T) {
	f := newFixture(t)
	fillFixture(t, f, 200)
	var acked atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if i+7 > f.doc.Length {
				return
			}
			if _, err := f.s.Apply(f.ctx, Edit{Kind: EditCreateSpan, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID,
				LabelID: f.labels[i%3].ID, Start: i, End: i + 7}); err != nil {
				t.Error(err)
				return
			}
			acked.Add(1)
		}
	}()
	time.Sleep(20 * time.Millisecond)
	before := acked.Load()
	dest := filepath.Join(t.TempDir(), "hot.db")
	if err := f.s.Backup(f.ctx, dest); err != nil {
		t.Fatal(err)
	}
	close(stop)
	wg.Wait()
	c, err := Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.IntegrityCheck(f.ctx); err != nil {
		t.Error(err)
	}
	sps, err := c.Spans(f.ctx, f.doc.ID, f.ann.ID)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(sps)) < 200+before {
		t.Errorf("backup has %d spans, at least %d were acknowledged before it", len(sps), 200+before)
	}
	t.Logf("backup during writes: %d spans in the copy, %d acknowledged before it began, %d in all", len(sps), 200+before, 200+acked.Load())
}

func TestIntegrityCheckFindsDamage(t *testing.T) {
	f := newFixture(t)
	fillFixture(t, f, 500)
	if err := f.s.IntegrityCheck(f.ctx); err != nil {
		t.Fatal(err)
	}
	path := f.s.Path()
	f.s.Close()

	// Scribble over every page but the first (the header and the schema).
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	if len(b) < 4*page {
		t.Fatalf("database is only %d bytes", len(b))
	}
	for i := page; i < len(b); i += page {
		copy(b[i+8:i+40], "scribble scribble scribble scrib")
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Logf("Open refused the damaged file: %v", err)
		return
	}
	defer s.Close()
	err = s.IntegrityCheck(f.ctx)
	if !errors.Is(err, ErrDamaged) {
		t.Fatalf("IntegrityCheck of a damaged file: %v", err)
	}
	t.Log(err)
}

func TestIntegrityCheckFindsBrokenReference(t *testing.T) {
	f := newFixture(t)
	f.create(t, 0, 0, 3)
	// A span whose document is gone, written behind the foreign keys' back.
	if _, err := f.s.db.Exec(`PRAGMA foreign_keys = off`); err != nil {
		t.Fatal(err)
	}
	conn, err := f.s.db.Conn(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(f.ctx, `PRAGMA foreign_keys = off`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(f.ctx, `UPDATE spans SET document_id = 'gone'`); err != nil {
		t.Fatal(err)
	}
	conn.ExecContext(f.ctx, `PRAGMA foreign_keys = on`)
	conn.Close()
	err = f.s.IntegrityCheck(f.ctx)
	if !errors.Is(err, ErrDamaged) {
		t.Fatalf("IntegrityCheck with a dangling span: %v", err)
	}
	t.Log(err)
}

func TestDataVersion(t *testing.T) {
	f := newFixture(t)
	ctx := f.ctx
	v1, err := f.s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Reads change nothing.
	if _, err := f.s.Spans(ctx, f.doc.ID, f.ann.ID); err != nil {
		t.Fatal(err)
	}
	if v, _ := f.s.DataVersion(ctx); v != v1 {
		t.Errorf("a read changed the data version: %d -> %d", v1, v)
	}
	// A write through another store (another connection, as another
	// process would make) changes it.
	other, err := Open(f.s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Apply(ctx, Edit{Kind: EditSetStatus, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID, Status: StatusDone}); err != nil {
		t.Fatal(err)
	}
	v2, err := f.s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v2 == v1 {
		t.Errorf("another connection's write left the data version at %d", v1)
	}
	// So does a write of this store's own.
	f.create(t, 0, 0, 3)
	if v3, _ := f.s.DataVersion(ctx); v3 == v2 {
		t.Errorf("this store's own write left the data version at %d", v2)
	}
}

// TestDataVersionManyCallers calls DataVersion from several goroutines while
// writing: one connection serves them all, no error, and the pool keeps
// working.
func TestDataVersionManyCallers(t *testing.T) {
	f := newFixture(t)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if _, err := f.s.DataVersion(f.ctx); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	fillFixture(t, f, 20)
	wg.Wait()
	// A canceled context fails the call but not the next one.
	ctx, cancel := context.WithCancel(f.ctx)
	cancel()
	if _, err := f.s.DataVersion(ctx); err == nil {
		t.Log("DataVersion with a canceled context succeeded")
	}
	if _, err := f.s.DataVersion(f.ctx); err != nil {
		t.Error(err)
	}
	if err := f.s.Close(); err != nil {
		t.Error(err)
	}
}

// TestManyBackups makes sure repeated backups don't leak connections or
// files.
func TestManyBackups(t *testing.T) {
	f := newFixture(t)
	fillFixture(t, f, 10)
	dir := t.TempDir()
	for i := range 20 {
		if err := f.s.Backup(f.ctx, filepath.Join(dir, fmt.Sprintf("b%d.db", i))); err != nil {
			t.Fatal(err)
		}
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 20 {
		t.Errorf("%d files after 20 backups", len(ents))
	}
}

// TestDeletedWhileOpen: SQLite goes on writing to a database file that was
// deleted while open (the data then vanishes when the store closes), so the
// store refuses to write once the file is gone or replaced, says so
// (ErrFileGone), and still reads and backs up what it holds.
func TestDeletedWhileOpen(t *testing.T) {
	for _, how := range []string{"database file", "all three files", "replaced by another file"} {
		t.Run(how, func(t *testing.T) {
			f := newFixture(t)
			kept := f.create(t, 0, 0, 3)
			path := f.s.Path()
			switch how {
			case "database file":
				if err := os.Remove(path); err != nil {
					t.Fatal(err)
				}
			case "all three files":
				for _, suffix := range []string{"", "-wal", "-shm"} {
					if err := os.Remove(path + suffix); err != nil {
						t.Fatal(err)
					}
				}
			case "replaced by another file":
				other := filepath.Join(t.TempDir(), "other.db")
				if err := f.s.Backup(f.ctx, other); err != nil {
					t.Fatal(err)
				}
				if err := os.Rename(other, path); err != nil {
					t.Fatal(err)
				}
			}
			_, err := f.s.Apply(f.ctx, Edit{Kind: EditCreateSpan, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID,
				LabelID: f.labels[1].ID, Start: 4, End: 9})
			if !errors.Is(err, ErrFileGone) {
				t.Fatalf("Apply after the file went: %v", err)
			}
			t.Log(err)
			if _, err := f.s.DataVersion(f.ctx); !errors.Is(err, ErrFileGone) {
				t.Errorf("DataVersion after the file went: %v", err)
			}
			if _, _, err := f.s.ImportDocument(f.ctx, NewDocument{Text: "late"}); !errors.Is(err, ErrFileGone) {
				t.Errorf("import after the file went: %v", err)
			}
			// Reads still work, and a backup rescues what was saved.
			sps := f.spans(t)
			if len(sps) != 1 || sps[0].ID != kept.ID {
				t.Errorf("spans after the file went: %v", sps)
			}
			rescue := filepath.Join(t.TempDir(), "rescue.db")
			if err := f.s.Backup(f.ctx, rescue); err != nil {
				t.Fatal(err)
			}
			r, err := Open(rescue)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if sp, err := r.Span(f.ctx, kept.ID); err != nil || sp.Text != kept.Text {
				t.Errorf("rescued span: %+v, %v", sp, err)
			}
			if err := r.IntegrityCheck(f.ctx); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestReadOnlyFileChmod: a database that is not writable (file 0444 in a
// 0555 directory) is refused by Open with the reason, and left unchanged.
// Root writes through modes, so this runs for other users only; the
// read-only mount test covers root (reliability_linux_test.go).
func TestReadOnlyFileChmod(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("needs Unix modes and a user other than root")
	}
	f := newFixture(t)
	f.create(t, 0, 0, 3)
	path := f.s.Path()
	f.s.Close()
	dir := filepath.Dir(path)
	before := fileHash(t, path)
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755); os.Chmod(path, 0o644) })
	s, err := Open(path)
	if err == nil {
		s.Close()
		t.Fatal("Open of a read-only database succeeded")
	}
	if !errors.Is(err, fs.ErrPermission) {
		t.Errorf("error does not say why: %v", err)
	}
	t.Log(err)
	if fileHash(t, path) != before {
		t.Error("the read-only file changed")
	}
}

// TestSyncEveryCommit: every connection syncs the WAL at each commit
// (synchronous=FULL), so an edit reported saved survives a power cut too.
func TestSyncEveryCommit(t *testing.T) {
	f := newFixture(t)
	var wg sync.WaitGroup
	for range 3 { // several connections of the pool
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mode, journal string
			conn, err := f.s.db.Conn(f.ctx)
			if err != nil {
				t.Error(err)
				return
			}
			defer conn.Close()
			if err := conn.QueryRowContext(f.ctx, `PRAGMA synchronous`).Scan(&mode); err != nil {
				t.Error(err)
			}
			if err := conn.QueryRowContext(f.ctx, `PRAGMA journal_mode`).Scan(&journal); err != nil {
				t.Error(err)
			}
			if mode != "2" || journal != "wal" {
				t.Errorf("synchronous = %s (want 2, FULL), journal_mode = %s", mode, journal)
			}
		}()
	}
	wg.Wait()
}

// TestBackupIsOneFile: a backup is a rollback-journal database (no WAL flag
// in its header), one self-contained file that opens even read-only.
func TestBackupIsOneFile(t *testing.T) {
	f := newFixture(t)
	fillFixture(t, f, 5)
	dir := t.TempDir()
	dest := filepath.Join(dir, "b.db")
	if err := f.s.Backup(f.ctx, dest); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(dest)
	if err != nil {
		t.Fatal(err)
	}
	if b[18] != 1 || b[19] != 1 {
		t.Errorf("header read/write versions %d %d, want 1 1 (rollback journal)", b[18], b[19])
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("%d files for one backup", len(ents))
	}
	db, err := sql.Open("sqlite3", fileURI(dest, "mode=ro"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM spans`).Scan(&n); err != nil || n != 5 {
		t.Errorf("read-only open of the backup: %d spans, %v", n, err)
	}
}
