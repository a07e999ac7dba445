package library

import (
	"io"
	"sync"
)

// asyncWriter buffers what is written to w and writes it on a goroutine of
// its own, so that an export encodes the next megabyte while the last one
// goes to the disk (a large file is written at the disk's pace once the
// kernel's dirty pages pass its limit, and the encoding waited for it).
// It is not safe for concurrent writers; Close must be called, and
// returns the first error of w.
type asyncWriter struct {
	w    io.Writer
	buf  []byte
	full chan []byte // buffers to write
	free chan []byte // buffers written
	done chan struct{}

	mu  sync.Mutex
	err error
}

// asyncBuffers buffers of asyncSize bytes: one filled while the others are
// written. A buffer this large starts a page of Go's heap, so it is
// aligned as a write past the page cache needs (directFile;
// TestDirectFile holds it).
const (
	asyncBuffers = 3
	asyncSize    = 1 << 20
)

func newAsyncWriter(w io.Writer) *asyncWriter {
	a := &asyncWriter{w: w, full: make(chan []byte, asyncBuffers), free: make(chan []byte, asyncBuffers), done: make(chan struct{})}
	for range asyncBuffers - 1 {
		a.free <- make([]byte, 0, asyncSize)
	}
	a.buf = make([]byte, 0, asyncSize)
	go a.run()
	return a
}

func (a *asyncWriter) run() {
	defer close(a.done)
	for b := range a.full {
		if a.failed() == nil {
			if _, err := a.w.Write(b); err != nil {
				a.mu.Lock()
				a.err = err
				a.mu.Unlock()
			}
		}
		a.free <- b[:0]
	}
}

func (a *asyncWriter) failed() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.err
}

func (a *asyncWriter) Write(p []byte) (int, error) {
	if err := a.failed(); err != nil {
		return 0, err
	}
	n := len(p)
	for len(p) > 0 {
		k := copy(a.buf[len(a.buf):cap(a.buf)], p)
		a.buf, p = a.buf[:len(a.buf)+k], p[k:]
		if len(a.buf) == cap(a.buf) {
			a.full <- a.buf
			a.buf = <-a.free
		}
	}
	return n, nil
}

// Close writes what is buffered, waits for every write and returns the
// first error.
func (a *asyncWriter) Close() error {
	if len(a.buf) > 0 {
		a.full <- a.buf
		a.buf = nil
	}
	close(a.full)
	<-a.done
	return a.failed()
}
