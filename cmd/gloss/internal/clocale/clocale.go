// Package clocale keeps Fyne from logging "Error parsing user locale C" on
// machines whose locale is C or C.UTF-8 (containers, CI, ssh sessions):
// Fyne reads the locale while its packages initialise, before main runs, and
// "C" is not a language tag. When the locale is C-like and LANGUAGE is
// unset, this sets LANGUAGE=en, which only chooses the language of messages.
//
// It works because it is initialised first: the Go specification initialises
// packages in import-path order as soon as their dependencies are, and this
// package (depending on os alone) sorts before golang.org/x/text, which
// Fyne's lang package needs. cmd/gloss imports it before anything else.
package clocale

import (
	"os"
	"strings"
)

func init() {
	if os.Getenv("LANGUAGE") != "" {
		return
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if l := os.Getenv(v); l != "" {
			if l == "C" || l == "POSIX" || strings.HasPrefix(l, "C.") {
				os.Setenv("LANGUAGE", "en")
			}
			return
		}
	}
}
