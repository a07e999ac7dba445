//go:build full

package storage

// -tags full runs the long versions of the crash and multi-process tests.
func init() { fullRun = true }
