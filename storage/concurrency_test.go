package storage

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

func TestOddPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "we?ird #dir%20", "g l o s s.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.ImportDocument(t.Context(), NewDocument{Text: "x"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at %q: %v", path, err)
	}
	if runtime.GOOS != "windows" {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if fi, err := os.Stat(path + suffix); err == nil && fi.Mode().Perm() != 0o600 {
				t.Errorf("%s mode = %v", suffix, fi.Mode().Perm())
			}
		}
	}
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, _ := s.DocumentCount(t.Context()); n != 1 {
		t.Errorf("reopened: %d documents", n)
	}
}

// TestConcurrentWriters has several annotators write and read at once: the
// busy timeout and immediate transactions must serialise them without
// "database is locked" errors.
func TestConcurrentWriters(t *testing.T) {
	f := newFixture(t)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := f.s.EnsureAnnotator(f.ctx, fmt.Sprintf("worker %d", w))
			if err != nil {
				errs <- err
				return
			}
			for i := range 25 {
				sp, err := f.s.Apply(f.ctx, Edit{Kind: EditCreateSpan, DocumentID: f.doc.ID, AnnotatorID: a.ID,
					LabelID: f.labels[i%3].ID, Start: i, End: i + 3})
				if err != nil {
					errs <- err
					return
				}
				if i%5 == 0 {
					if _, _, err := f.s.Undo(f.ctx, a.ID, f.doc.ID); err != nil {
						errs <- err
						return
					}
					if _, _, err := f.s.Redo(f.ctx, a.ID, f.doc.ID); err != nil {
						errs <- err
						return
					}
				}
				if _, err := f.s.DocumentSummaries(f.ctx, a.ID); err != nil {
					errs <- err
					return
				}
				_ = sp
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 5 {
			if err := f.s.EachDocument(f.ctx, func(Document, []Span) error { return nil }); err != nil {
				errs <- err
				return
			}
			if _, err := f.s.Stats(f.ctx); err != nil {
				errs <- err
				return
			}
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	st, err := f.s.Stats(f.ctx)
	if err != nil || st.Spans != 100 {
		t.Errorf("spans = %d, %v", st.Spans, err)
	}
}
