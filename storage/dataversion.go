package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
)

// ErrFileGone is the refusal to write (or to report a data version) once the
// database file was deleted, moved or replaced by another file while the
// store had it open. SQLite would go on writing to the open file, deleted or
// not, and everything written after that would be lost when the store
// closes. What the store holds can still be read and copied with Backup.
var ErrFileGone = errors.New("the database file was deleted, moved or replaced while open")

// checkFile returns ErrFileGone when the path no longer leads to the file
// that Open opened. A path that can't be looked at for another reason
// (a network file system's hiccup) is let be.
func (s *Store) checkFile() error {
	if s.file == nil {
		return nil
	}
	fi, err := os.Stat(s.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil
	case os.SameFile(fi, s.file):
		return nil
	}
	return fmt.Errorf("%w: %s; nothing more can be saved to it — save a copy of this session's work with Backup", ErrFileGone, s.path)
}

// dataVersion holds the one connection DataVersion asks: SQLite's
// data_version is per connection, so only answers from the same connection
// can be compared.
type dataVersion struct {
	mu   sync.Mutex
	conn *sql.Conn
}

// DataVersion returns a number that changes whenever a transaction is
// committed to the database by any other connection — another process, or
// another connection of this store's pool (so this store's own writes change
// it too). Compare two answers for equality only: the number itself means
// nothing. It is PRAGMA data_version asked on one dedicated connection, held
// from the first call until Close; if that connection is lost a new one is
// taken and the number may change once without a write.
//
// The window polls it (it costs a few microseconds and takes no lock) and
// reloads what it shows when it changes. It also returns ErrFileGone once the
// database file was deleted or replaced, so that polling notices that too.
func (s *Store) DataVersion(ctx context.Context) (int64, error) {
	if err := s.checkFile(); err != nil {
		return 0, fmt.Errorf("data version: %w", err)
	}
	if s.server != nil {
		return s.server.Version(ctx)
	}
	s.dv.mu.Lock()
	defer s.dv.mu.Unlock()
	if s.dv.conn == nil {
		c, err := s.db.Conn(ctx)
		if err != nil {
			return 0, fmt.Errorf("data version: %w", err)
		}
		s.dv.conn = c
	}
	var v int64
	if err := s.dv.conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err != nil {
		// Give the connection back; the next call takes a fresh one.
		s.dv.conn.Close()
		s.dv.conn = nil
		return 0, fmt.Errorf("data version: %w", err)
	}
	return v, nil
}

// close returns the dedicated connection to the pool (Close calls it before
// closing the pool).
func (d *dataVersion) close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn != nil {
		d.conn.Close()
		d.conn = nil
	}
}
