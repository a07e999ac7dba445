package workbench

import (
	"strings"

	"gloss/app/library"
)

// count says "1 span", "3 spans" (library.Count).
func count(n int, noun string) string { return library.Count(n, noun) }

// clip shortens span text for a status message.
func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return s
}
