package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"gloss/storage"
)

// TestRealWindow starts the real binary in a real window (under the X server
// that `make test` starts with xvfb-run, or its own xvfb-run when there is no
// DISPLAY), lets it import a file through the command line, and checks the
// database while the window is open and after it was closed.
func TestRealWindow(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	var wrap []string
	if os.Getenv("DISPLAY") == "" {
		x, err := exec.LookPath("xvfb-run")
		if err != nil {
			t.Skip("no DISPLAY and no xvfb-run: run `make test`, which starts Xvfb")
		}
		wrap = []string{x, "-a"}
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "gloss")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	article := filepath.Join(dir, "council.txt")
	text := "Council “approves” plan — 👍🏽\r\n\r\nThe council approved 280,000 homes.\r\n"
	if err := os.WriteFile(article, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "e2e.db")
	args := append(wrap, bin, "--db", db, "--annotator", "E2E Analyst", article)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, "config"),
		"XDG_DATA_HOME="+filepath.Join(dir, "data"), "GLOSS_DB=", "GLOSS_ANNOTATOR=")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	logFile, _ := os.Create(filepath.Join(dir, "gloss.log"))
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	log := func() string { b, _ := os.ReadFile(logFile.Name()); return string(b) }

	// The window imports the file and opens it; wait for both to reach the
	// database (the status row is written when the analyst is recorded).
	deadline := time.Now().Add(60 * time.Second)
	var docs []storage.DocumentSummary
	for {
		select {
		case err := <-exited:
			t.Fatalf("gloss exited early: %v\n%s", err, log())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the file did not reach the database within 60 s\n%s", log())
		}
		if _, err := os.Stat(db); err == nil {
			if s, err := storage.Open(db); err == nil {
				docs, _ = s.DocumentSummaries(context.Background(), "")
				as, _ := s.Annotators(context.Background())
				s.Close()
				if len(docs) == 1 && len(as) == 1 {
					break
				}
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	// Still running a moment later: the window came up and did not crash.
	select {
	case err := <-exited:
		t.Fatalf("gloss exited after importing: %v\n%s", err, log())
	case <-time.After(2 * time.Second):
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(20 * time.Second):
		t.Fatalf("gloss did not quit on SIGTERM\n%s", log())
	}

	s, err := storage.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d, err := s.Document(context.Background(), docs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	want := "Council “approves” plan — 👍🏽\n\nThe council approved 280,000 homes.\n"
	if d.Text != want {
		t.Errorf("stored text %q, want %q (CRLF becomes LF once, at import)", d.Text, want)
	}
	if d.Title != "Council “approves” plan — 👍🏽" || d.FileName != "council.txt" {
		t.Errorf("title %q, file %q", d.Title, d.FileName)
	}
	as, _ := s.Annotators(context.Background())
	if len(as) != 1 || as[0].Name != "E2E Analyst" {
		t.Errorf("annotators %+v, want the one named on the command line", as)
	}
}
