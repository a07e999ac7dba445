package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
)

// ErrDamaged is IntegrityCheck's finding that the database file is damaged.
var ErrDamaged = errors.New("database is damaged")

// Backup writes a consistent copy of the database to dest through SQLite's
// online backup API: edits made meanwhile, by this process or another, are
// either wholly in the copy or not at all. The copy is written beside dest
// under a temporary name, checked (PRAGMA quick_check), synced to disk and
// only then given its name, so a failed backup never leaves half a file;
// dest is created with mode 0600. Backup refuses a dest that exists (the
// error wraps fs.ErrExist) and the database's own files; BackupReplace
// replaces an existing dest.
func (s *Store) Backup(ctx context.Context, dest string) error {
	return s.backup(ctx, dest, false)
}

// BackupReplace is Backup that replaces dest when it exists. The old file
// stays as it was until the new copy is complete.
func (s *Store) BackupReplace(ctx context.Context, dest string) error {
	return s.backup(ctx, dest, true)
}

func (s *Store) backup(ctx context.Context, dest string, replace bool) error {
	if s.server != nil {
		if err := s.server.Backup(ctx, dest, replace); err != nil {
			return fmt.Errorf("backup to %s: %w", dest, err)
		}
		return nil
	}
	if err := s.backupTo(ctx, dest, replace); err != nil {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	return nil
}

func (s *Store) backupTo(ctx context.Context, dest string, replace bool) (err error) {
	if dest == "" {
		return errors.New("no file name given")
	}
	abs, err := filepath.Abs(dest)
	if err != nil {
		return err
	}
	if err := s.refuseOwnFile(abs); err != nil {
		return err
	}
	if fi, err := os.Lstat(abs); err == nil {
		if fi.IsDir() {
			return errors.New("it is a directory")
		}
		if !replace {
			return fmt.Errorf("%w; choose another name or replace it", fs.ErrExist)
		}
	}

	// CreateTemp makes the file with mode 0600.
	tmp, err := os.CreateTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".*.tmp")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	tmp.Close()
	defer func() {
		// The temporary file (and a rollback journal SQLite may have left
		// beside it) go whatever happened; after the rename or link there is
		// nothing left at tmpName but the link, which is removed too.
		os.Remove(tmpName + "-journal")
		os.Remove(tmpName)
	}()

	if err := s.copyTo(ctx, tmpName); err != nil {
		return err
	}
	if err := syncFile(tmpName); err != nil {
		return err
	}
	if replace {
		if err := os.Rename(tmpName, abs); err != nil {
			return err
		}
	} else if err := os.Link(tmpName, abs); err != nil {
		// Link refuses to replace dest: no window between the check and the
		// naming. On a file system without hard links, check and rename.
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%w; choose another name or replace it", fs.ErrExist)
		}
		if _, serr := os.Lstat(abs); serr == nil {
			return fmt.Errorf("%w; choose another name or replace it", fs.ErrExist)
		}
		if err := os.Rename(tmpName, abs); err != nil {
			return err
		}
	}
	syncDir(filepath.Dir(abs))
	return nil
}

// refuseOwnFile refuses path when it is the database file or one of its
// companions (WAL, shared memory, journal): a backup there would destroy the
// original.
func (s *Store) refuseOwnFile(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return nil // does not exist (or can't be seen): not ours
	}
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		if own, err := os.Stat(s.path + suffix); err == nil && os.SameFile(fi, own) {
			return errors.New("that is the database itself (or one of its files)")
		}
	}
	return nil
}

// copyTo copies the database into the empty file path and checks the copy.
func (s *Store) copyTo(ctx context.Context, path string) error {
	ddb, err := sql.Open("sqlite3", fileURI(path, "_journal_mode=DELETE&_synchronous=FULL"))
	if err != nil {
		return err
	}
	defer ddb.Close()
	dconn, err := ddb.Conn(ctx)
	if err != nil {
		return err
	}
	defer dconn.Close()
	var sconn *sql.Conn
	if s.checkFile() != nil {
		// The file is gone: only a connection opened before holds it; a new
		// one would open (and create) an empty file at the path.
		s.dv.mu.Lock()
		defer s.dv.mu.Unlock()
		if s.dv.conn == nil {
			return fmt.Errorf("%w: no connection to the old file is left", ErrFileGone)
		}
		sconn = s.dv.conn
	} else {
		if sconn, err = s.db.Conn(ctx); err != nil {
			return err
		}
		defer sconn.Close()
	}

	err = dconn.Raw(func(d any) error {
		dc, ok := d.(*sqlite3.SQLiteConn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", d)
		}
		return sconn.Raw(func(sv any) error {
			sc, ok := sv.(*sqlite3.SQLiteConn)
			if !ok {
				return fmt.Errorf("unexpected driver connection %T", sv)
			}
			b, err := dc.Backup("main", sc, "main")
			if err != nil {
				return err
			}
			for {
				// -1: every page in one step, under one read transaction
				// of the source (under WAL, writers carry on meanwhile).
				done, err := b.Step(-1)
				if err != nil {
					b.Close()
					return err
				}
				if done {
					return b.Close()
				}
				// SQLITE_BUSY or SQLITE_LOCKED: try again shortly.
				select {
				case <-ctx.Done():
					b.Close()
					return ctx.Err()
				case <-time.After(20 * time.Millisecond):
				}
			}
		})
	})
	if err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	// The copy carries the source's WAL flag; a rollback-journal file is
	// one self-contained file that opens even from read-only media. Open
	// turns WAL on again when the copy is used.
	var mode string
	if err := dconn.QueryRowContext(ctx, `PRAGMA journal_mode = DELETE`).Scan(&mode); err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	if err := quickCheck(ctx, dconn); err != nil {
		return fmt.Errorf("the copy: %w", err)
	}
	return nil
}

// quickCheck runs PRAGMA quick_check on c.
func quickCheck(ctx context.Context, c *sql.Conn) error {
	rows, err := c.QueryContext(ctx, `PRAGMA quick_check`)
	if err != nil {
		return err
	}
	problems, err := collectProblems(rows)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrDamaged, strings.Join(problems, "; "))
	}
	return nil
}

// collectProblems reads the one-column result of an integrity or quick check
// and returns its lines other than a lone "ok" (at most 20).
func collectProblems(rows *sql.Rows) ([]string, error) {
	defer rows.Close()
	var out []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, err
		}
		if line != "ok" && len(out) < 20 {
			out = append(out, line)
		}
	}
	return out, rows.Err()
}

// IntegrityCheck runs SQLite's PRAGMA integrity_check (every page, every
// index against its table) and PRAGMA foreign_key_check. It returns nil when
// both find nothing, an error wrapping ErrDamaged that lists (up to 20 of)
// the problems otherwise, or the error that stopped the check.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	if err := s.integrityCheck(ctx); err != nil {
		var se sqlite3.Error
		if errors.As(err, &se) && (se.Code == sqlite3.ErrCorrupt || se.Code == sqlite3.ErrNotADB) {
			err = fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		return fmt.Errorf("integrity check of %s: %w", s.path, err)
	}
	return nil
}

func (s *Store) integrityCheck(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return err
	}
	problems, err := collectProblems(rows)
	if err != nil {
		return err
	}
	rows, err = conn.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return err
		}
		if len(problems) < 20 {
			problems = append(problems, fmt.Sprintf("%s row %d refers to a missing %s row", table, rowid.Int64, parent))
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrDamaged, strings.Join(problems, "; "))
	}
	return nil
}

// backupBeforeMigration copies a database that is about to be migrated (one
// with a schema version above 0 and below this program's) to
// NAME.before-vN.bak beside it, N being the version the migration brings it
// to; when that name is taken, NAME.before-vN.2.bak and so on. Without a copy
// there is no migration: a failed copy is Open's error and the database stays
// as it was.
func (s *Store) backupBeforeMigration(ctx context.Context) error {
	var v int
	if err := s.db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if v == 0 || v >= len(migrations) {
		return nil
	}
	for i := 1; ; i++ {
		name := preMigrationName(s.path, len(migrations))
		if i > 1 {
			name = fmt.Sprintf("%s.before-v%d.%d.bak", s.path, len(migrations), i)
		}
		err := s.Backup(ctx, name)
		if err == nil {
			return nil
		}
		if !errors.Is(err, fs.ErrExist) || i >= 100 {
			return fmt.Errorf("no migration from schema version %d without a backup: %w", v, err)
		}
	}
}

// preMigrationName is the file Open copies the database at path to before
// migrating it to schema version n (its first choice).
func preMigrationName(path string, n int) string {
	return fmt.Sprintf("%s.before-v%d.bak", path, n)
}

// syncFile flushes path's contents to disk.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir flushes a directory's entries to disk, so that a new name survives
// a power cut. Systems that can't sync a directory are let be.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
