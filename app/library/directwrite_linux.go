package library

import (
	"errors"
	"io"
	"os"
	"syscall"
)

// directBlock is the size and alignment a write to a file opened with
// O_DIRECT keeps: 4096 serves the disks of today (512 and 4096 sectors).
const directBlock = 4096

// directFile writes an export's file past the page cache (O_DIRECT), its
// whole blocks through a second descriptor of the file and what is left
// at the end through the first. An export is synced to the disk before
// it is renamed into place, so caching its pages buys nothing; and on
// some systems (virtual machines most) putting a few hundred megabytes
// into fresh pages of the cache costs more CPU than making the text did.
// When the file system refuses O_DIRECT (tmpfs), or a write is refused
// for its alignment, the rest goes through the first descriptor as usual.
type directFile struct {
	plain  *os.File // the file
	direct *os.File // the same, with O_DIRECT; nil once it is not used
	off    int64    // bytes written
	used   bool     // a block was written past the cache
}

// openDirect gives f's writer for an export: f past the page cache when
// its file system allows (see directFile). Close closes the second
// descriptor, not f.
func openDirect(f *os.File) *directFile {
	d := &directFile{plain: f}
	if g, err := os.OpenFile(f.Name(), os.O_WRONLY|syscall.O_DIRECT, 0); err == nil {
		d.direct = g
	}
	return d
}

func (d *directFile) Write(p []byte) (int, error) {
	written := 0
	if d.direct != nil {
		if whole := len(p) &^ (directBlock - 1); whole > 0 {
			n, err := d.direct.WriteAt(p[:whole], d.off)
			d.off += int64(n)
			written, p = n, p[n:]
			if n > 0 {
				d.used = true
			}
			if err != nil && !errors.Is(err, syscall.EINVAL) {
				return written, err
			}
			if err != nil || n < whole {
				d.stopDirect() // refused (alignment): the page cache from here on
			}
		}
		if len(p) > 0 {
			d.stopDirect() // not a whole block: the file's end, after which offsets are not aligned
		}
	}
	if len(p) == 0 {
		return written, nil
	}
	n, err := d.plain.WriteAt(p, d.off)
	d.off += int64(n)
	return written + n, err
}

func (d *directFile) stopDirect() {
	if d.direct != nil {
		d.direct.Close()
		d.direct = nil
	}
}

// Close closes the O_DIRECT descriptor (the file stays open).
func (d *directFile) Close() error {
	d.stopDirect()
	return nil
}

var _ io.WriteCloser = (*directFile)(nil)
