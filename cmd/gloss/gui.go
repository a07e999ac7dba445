package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"gloss/app/library"
	"gloss/app/workbench"
)

type guiOptions struct {
	DB        string
	Annotator string
	Files     []string
}

// runGUI opens the database (seeding the samples when it is new and no files
// were named), imports the files and shows the window until it is closed.
func runGUI(o guiOptions) error {
	_, statErr := os.Stat(o.DB)
	// A new SQLite file starts with the samples; a team server with what
	// its lead loads.
	fresh := errors.Is(statErr, os.ErrNotExist) && !isPostgresURL(o.DB)
	store, err := openStore(o.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	ctx := context.Background()
	if fresh && len(o.Files) == 0 {
		if _, err := library.SeedSamples(ctx, store); err != nil {
			return err
		}
	}

	a := app.NewWithID(workbench.ID)
	wb, err := workbench.New(a, store, workbench.Options{Annotator: o.Annotator})
	if err != nil {
		return err
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		fyne.Do(a.Quit)
	}()
	wb.Start(o.Files)
	a.Run()
	return nil
}

func isUnixLike() bool { return runtime.GOOS != "windows" && runtime.GOOS != "darwin" }

// hasDisplay reports whether a window can be opened: on X11/Wayland systems
// GLFW needs DISPLAY or WAYLAND_DISPLAY (without them it panics).
func hasDisplay() bool {
	return !isUnixLike() || os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}
