package library

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

// The async writer writes every byte in order, across buffers and with
// writes larger than one; an error of the file is returned by the writes
// after it and by Close.
func TestAsyncWriter(t *testing.T) {
	var want, got bytes.Buffer
	a := newAsyncWriter(&got)
	for i := range 200_000 {
		line := fmt.Sprintf("{\"n\": %d, \"text\": \"👍🏽 — “quoted” %d\"}\n", i, i*7)
		want.WriteString(line)
		if _, err := a.Write([]byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	big := bytes.Repeat([]byte("x"), 3*asyncSize+17)
	want.Write(big)
	if n, err := a.Write(big); err != nil || n != len(big) {
		t.Fatal(n, err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatalf("wrote %d bytes, want %d (equal: %v)", got.Len(), want.Len(), bytes.Equal(got.Bytes(), want.Bytes()))
	}

	full := errors.New("no space left on device")
	b := newAsyncWriter(failing{full})
	var err error
	for i := 0; i < 10*asyncSize/64 && err == nil; i++ {
		_, err = b.Write(bytes.Repeat([]byte("y"), 64))
	}
	if cerr := b.Close(); !errors.Is(cerr, full) || err != nil && !errors.Is(err, full) {
		t.Errorf("a full disk: write %v, close %v", err, cerr)
	}
}

// failing is a file that takes nothing.
type failing struct{ err error }

func (f failing) Write([]byte) (int, error) { return 0, f.err }
