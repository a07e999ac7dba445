// Command gloss is the Gloss workbench. With no subcommand it opens the
// window; `gloss import`, `gloss export` and `gloss stats` run headless.
package main

import (
	"os"

	_ "gloss/cmd/gloss/internal/clocale" // before Fyne reads the locale
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
