package library

import (
	"bytes"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
)

// TestDirectFile: an export's file written past the page cache holds every
// byte in order: whole megabytes, a tail that is not a whole block, a
// write after such a tail, and a buffer the kernel refuses for its
// alignment (the rest then goes through the cache).
func TestDirectFile(t *testing.T) {
	dirs := []string{t.TempDir()}
	if wd, err := os.MkdirTemp(".", ".direct-test-"); err == nil { // the checkout's disk, when /tmp is tmpfs
		defer os.RemoveAll(wd)
		dirs = append(dirs, wd)
	}
	rng := rand.New(rand.NewSource(3))
	chunk := func(n int) []byte {
		b := make([]byte, n)
		rng.Read(b)
		return b
	}
	direct := false
	for _, dir := range dirs {
		for _, c := range []struct {
			name   string
			writes [][]byte
		}{
			{"megabytes and a tail", [][]byte{chunk(asyncSize), chunk(asyncSize), chunk(12345)}},
			{"a tail, then more", [][]byte{chunk(asyncSize), chunk(5000), chunk(asyncSize), chunk(3)}},
			{"misaligned", [][]byte{chunk(asyncSize), chunk(asyncSize + 1)[1:], chunk(asyncSize)}},
			{"only a tail", [][]byte{chunk(100)}},
			{"nothing", nil},
		} {
			f, err := os.Create(filepath.Join(dir, "out.jsonl"))
			if err != nil {
				t.Fatal(err)
			}
			d := openDirect(f)
			opened := d.direct != nil
			var want []byte
			for _, w := range c.writes {
				want = append(want, w...)
				if n, err := d.Write(w); err != nil || n != len(w) {
					t.Fatalf("%s, %s: wrote %d of %d: %v", dir, c.name, n, len(w), err)
				}
			}
			d.Close()
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(f.Name())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s, %s: the file has %d bytes, not the %d written (equal: %v)", dir, c.name, len(got), len(want), bytes.Equal(got, want))
			}
			if opened && len(c.writes) > 0 && len(c.writes[0]) >= directBlock && !d.used {
				t.Logf("%s, %s: O_DIRECT opened but every block refused (the cache took them)", dir, c.name)
			}
			direct = direct || d.used
		}
	}
	if !direct {
		t.Skipf("no block was written past the page cache in %v (their file systems refused O_DIRECT): only the cache path was tried", dirs)
	}
}
