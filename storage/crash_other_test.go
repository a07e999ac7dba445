//go:build !linux

package storage

import (
	"runtime"
	"time"
)

// sleepPrecisely sleeps d on a thread of its own (see crash_linux_test.go).
func sleepPrecisely(d time.Duration) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	time.Sleep(d)
}
