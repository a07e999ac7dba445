package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// cliBackup copies the database, consistently even while Gloss is open on it,
// to a new file: gloss backup [--db PATH] [--force] DEST.
func cliBackup(args []string, stdout, stderr io.Writer) int {
	flags := newFlags("gloss backup", stderr)
	db := dbFlag(flags)
	force := flags.Bool("force", false, "replace DEST if it exists")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: gloss backup [--db PATH] [--force] DEST")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() != 1 {
		for _, a := range flags.Args() {
			if strings.HasPrefix(a, "-") {
				fmt.Fprintf(stderr, "gloss backup: flags go before the file name: %s\n", a)
				return 2
			}
		}
		fmt.Fprintln(stderr, "gloss backup: name one file to write the copy to: gloss backup [--db PATH] [--force] DEST")
		return 2
	}
	dest := flags.Arg(0)
	if isPostgresURL(*db) {
		if *force {
			fmt.Fprintln(stderr, "gloss backup: --force is for a SQLite database; a server's backup goes to a new file")
			return 2
		}
		return serverCopy(context.Background(), "backup", []string{"--db", *db, dest}, stdout, stderr)
	}
	store, err := openExisting(*db)
	if err != nil {
		fmt.Fprintln(stderr, "gloss backup:", err)
		return 1
	}
	defer store.Close()
	ctx := context.Background()
	if *force {
		err = store.BackupReplace(ctx, dest)
	} else {
		err = store.Backup(ctx, dest)
	}
	if err != nil {
		fmt.Fprintln(stderr, "gloss backup:", err)
		if errors.Is(err, fs.ErrExist) {
			fmt.Fprintln(stderr, "gloss backup: give --force to replace it")
		}
		return 1
	}
	size := int64(0)
	if fi, err := os.Stat(dest); err == nil {
		size = fi.Size()
	}
	fmt.Fprintf(stdout, "backed up %s to %s (%s)\n", store.Path(), dest, byteSize(size))
	return 0
}

// byteSize writes n bytes for people: 512 B, 3.4 MB.
func byteSize(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, i := float64(n)/unit, 0
	for v >= unit && i < 3 {
		v /= unit
		i++
	}
	return fmt.Sprintf("%.1f %cB", v, "kMGT"[i])
}
