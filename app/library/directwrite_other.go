//go:build !linux

package library

import "os"

// directFile is the file itself where O_DIRECT is not used (see the Linux
// version).
type directFile struct{ *os.File }

func openDirect(f *os.File) *directFile { return &directFile{File: f} }

// Close leaves the file open, as the Linux version does.
func (d *directFile) Close() error { return nil }
