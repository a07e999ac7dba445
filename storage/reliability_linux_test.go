package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/uuid"
	"github.com/mattn/go-sqlite3"
)

// mountTmpfs mounts a tmpfs with opts on a new temporary directory and
// unmounts it when the test ends. It needs root (and a system that lets root
// mount, as CI's does); elsewhere the test is skipped.
func mountTmpfs(t *testing.T, opts string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, opts); err != nil {
		t.Skipf("can't mount a tmpfs: %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// TestDiskFull fills a small tmpfs while editing: the edit that finds no room
// fails with an error that says so (no panic), leaves nothing behind, the
// store goes on reading, and once there is room again it writes again.
// Everything acknowledged is there after reopening.
func TestDiskFull(t *testing.T) {
	dir := mountTmpfs(t, "size=8m")
	path := filepath.Join(dir, "gloss.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { s.Close() }()
	f := &fixture{s: s, ctx: t.Context()}
	if f.ann, err = s.EnsureAnnotator(f.ctx, "ana"); err != nil {
		t.Fatal(err)
	}
	set, err := s.DefaultLabelSet(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if f.labels, err = s.Labels(f.ctx, set.ID); err != nil {
		t.Fatal(err)
	}
	if f.doc, _, err = s.ImportDocument(f.ctx, NewDocument{Title: "Doc", Text: benchText(3, 3_000)}); err != nil {
		t.Fatal(err)
	}

	// Some work before the disk fills.
	var acked []string
	for i := range 200 {
		sp := f.create(t, i%3, i, i+1)
		acked = append(acked, sp.ID)
	}

	// Fill the disk.
	filler := filepath.Join(dir, "filler")
	fw, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 16<<10)
	for {
		if _, err := fw.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	fw.Close()

	// Edit until an edit finds no room. Long notes use up space fast.
	note := strings.Repeat("a note that takes room ", 40)
	before := len(acked)
	var failedID string
	var editErr error
	for i := range 20_000 {
		id := uuid.Must(uuid.NewV7()).String()
		_, err := s.Apply(f.ctx, Edit{Kind: EditCreateSpan, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID,
			SpanID: id, LabelID: f.labels[i%3].ID, Start: i % 2_900, End: i%2_900 + 2 + i/2_900, Note: note})
		if err != nil {
			failedID, editErr = id, err
			break
		}
		acked = append(acked, id)
	}
	if editErr == nil {
		t.Fatal("20,000 edits on a full disk, no error")
	}
	var se sqlite3.Error
	if !errors.As(editErr, &se) || se.Code != sqlite3.ErrFull {
		t.Errorf("the error does not say the disk is full: %v", editErr)
	}
	t.Logf("DISK FULL: %d edits before the disk filled, %d acknowledged on the full disk, then: %v", before, len(acked)-before, editErr)

	// An import finds no room either, and says so.
	if _, _, err := s.ImportDocument(f.ctx, NewDocument{Title: "Big", Text: benchText(4, 100_000)}); err == nil {
		t.Error("import of 100,000 code points on a full disk succeeded")
	} else {
		t.Logf("import on the full disk: %v", err)
	}

	// Reading goes on.
	sps := f.spans(t)
	if len(sps) != len(acked) {
		t.Errorf("reading on the full disk: %d spans, %d acknowledged", len(sps), len(acked))
	}
	if _, err := s.DocumentSummaries(f.ctx, f.ann.ID); err != nil {
		t.Errorf("document list on the full disk: %v", err)
	}
	if _, err := s.Span(f.ctx, failedID); !errors.Is(err, ErrNotFound) {
		t.Errorf("the failed edit's span: %v", err)
	}

	// Room again: writing goes on.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	id := uuid.Must(uuid.NewV7()).String()
	if _, err := s.Apply(f.ctx, Edit{Kind: EditCreateSpan, DocumentID: f.doc.ID, AnnotatorID: f.ann.ID,
		SpanID: id, LabelID: f.labels[0].ID, Start: 0, End: 2_999}); err != nil {
		t.Fatalf("edit after making room: %v", err)
	}
	acked = append(acked, id)
	if err := s.Close(); err != nil {
		t.Errorf("close: %v", err)
	}

	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.IntegrityCheck(f.ctx); err != nil {
		t.Error(err)
	}
	for _, id := range acked {
		if _, err := s.Span(f.ctx, id); err != nil {
			t.Errorf("acknowledged span %s: %v", id, err)
		}
	}
	if _, err := s.Span(f.ctx, failedID); !errors.Is(err, ErrNotFound) {
		t.Errorf("the failed edit's span after reopening: %v", err)
	}
	t.Logf("DISK FULL: %d acknowledged spans verified after reopening, the failed one absent, integrity ok", len(acked))
}

// TestReadOnlyMount: a database on a read-only file system is refused by
// Open with the reason, and left unchanged.
func TestReadOnlyMount(t *testing.T) {
	dir := mountTmpfs(t, "size=4m")
	path := filepath.Join(dir, "gloss.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.ImportDocument(t.Context(), NewDocument{Text: "kept"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before := fileHash(t, path)
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_REMOUNT|syscall.MS_RDONLY, "size=4m"); err != nil {
		t.Skipf("can't remount read-only: %v", err)
	}
	s, err = Open(path)
	if err == nil {
		s.Close()
		t.Fatal("Open on a read-only file system succeeded")
	}
	if !errors.Is(err, syscall.EROFS) && !errors.Is(err, fs.ErrPermission) {
		t.Errorf("the error does not say why: %v", err)
	}
	t.Logf("READ-ONLY: %v", err)
	if fileHash(t, path) != before {
		t.Error("the file changed")
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Error(fmt.Sprint("files beside the database: ", ents))
	}
}
