package storage

import (
	"runtime"
	"syscall"
	"time"
)

// sleepPrecisely sleeps d in nanosleep(2) on a thread of its own. A Go timer
// is not good enough for the crash test's kill: on a busy machine it fires
// late, when the runtime next wakes up — typically on the child's next line
// of output — so nearly every kill would land just after an acknowledgement
// instead of inside a call.
func sleepPrecisely(d time.Duration) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	ts := syscall.NsecToTimespec(d.Nanoseconds())
	for syscall.Nanosleep(&ts, &ts) == syscall.EINTR {
	}
}
