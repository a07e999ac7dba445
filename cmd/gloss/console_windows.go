//go:build windows

package main

import (
	"os"
	"syscall"
)

// gloss.exe is a GUI-subsystem program (fyne package links it with
// -H=windowsgui), so Windows gives it no console: typed in cmd or PowerShell,
// `gloss.exe help` would print nowhere. Before main runs, the standard output
// and error that are not redirected are pointed at the console of the
// terminal that started Gloss, when there is one (AttachConsole with
// ATTACH_PARENT_PROCESS); started from Explorer there is none and nothing
// changes. Redirected output (`gloss.exe export ... -o - > out.jsonl`, or a
// pipe) already has a handle and is left alone.
func init() {
	attachParentConsole()
}

const attachParentProcess = ^uint32(0) // ATTACH_PARENT_PROCESS, (DWORD)-1

func attachParentConsole() {
	outOK, errOK := hasStdHandle(syscall.STD_OUTPUT_HANDLE), hasStdHandle(syscall.STD_ERROR_HANDLE)
	if outOK && errOK {
		return
	}
	attach := syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole")
	if attach.Find() != nil {
		return
	}
	if r, _, _ := attach.Call(uintptr(attachParentProcess)); r == 0 {
		return // no parent console (started from Explorer or a shortcut)
	}
	if !outOK {
		if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
			os.Stdout = f
		}
	}
	if !errOK {
		if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
			os.Stderr = f
		}
	}
}

func hasStdHandle(which int) bool {
	h, err := syscall.GetStdHandle(which)
	return err == nil && h != 0 && h != syscall.InvalidHandle
}
