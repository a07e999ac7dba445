package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
	build := exec.Command("go", "build", "-tags", buildTags, "-o", bin, ".")
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
	// Real input events through the X server: drag across the first word,
	// press 2, undo, redo — the path an analyst's hands take.
	if x, err := exec.LookPath("xdotool"); err != nil || len(wrap) > 0 {
		t.Log("the input part needs xdotool and the DISPLAY that `make test` starts (make deps installs it): skipped")
	} else {
		driveWindow(t, x, db, docs[0].ID, log)
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

// driveWindow labels the first word of the open article with real mouse and
// key events and checks the database after each step.
func driveWindow(t *testing.T, xdotool, db, docID string, log func() string) {
	t.Helper()
	x := func(args ...string) string {
		out, err := exec.Command(xdotool, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("xdotool %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	spans := func(want int) []storage.Span {
		deadline := time.Now().Add(15 * time.Second)
		for {
			s, err := storage.Open(db)
			if err == nil {
				ss, _ := s.Spans(context.Background(), docID, "")
				s.Close()
				if len(ss) == want {
					return ss
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("waited for %d spans in the database\n%s", want, log())
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	ids := strings.Fields(x("search", "--sync", "--onlyvisible", "--name", "Gloss"))
	win := ids[0]
	// The article's first line (the title line) starts near (280, 139) in
	// the 1280×800 window; "Council" is its first word.
	x("mousemove", "--window", win, "282", "139", "mousedown", "1", "sleep", "0.2",
		"mousemove", "--window", win, "292", "140", "sleep", "0.2",
		"mousemove", "--window", win, "300", "140", "sleep", "0.2", "mouseup", "1", "sleep", "0.3")
	x("key", "2")
	ss := spans(1)
	if s := ss[0]; s.Start != 0 || s.End != 7 || s.Text != "Council" || s.Label != "Figure" || s.Annotator != "E2E Analyst" {
		t.Fatalf("the drag and 2 made %+v, want Figure 0-7 \"Council\" by E2E Analyst", s)
	}
	x("key", "ctrl+z")
	spans(0)
	x("key", "ctrl+shift+z")
	if again := spans(1); again[0].ID != ss[0].ID {
		t.Fatalf("redo brought back span %s, want the same UUID %s", again[0].ID, ss[0].ID)
	}
}

// TestCLIIsQuietInACLocale: on machines with LANG=C.UTF-8 (containers, CI)
// Fyne used to log "Error parsing user locale C" before main ran, even for
// headless commands; the clocale package prevents it.
func TestCLIIsQuietInACLocale(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the real binary")
	}
	bin := filepath.Join(t.TempDir(), "gloss")
	if out, err := exec.Command("go", "build", "-tags", buildTags, "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, lang := range []string{"C.UTF-8", "C", "POSIX"} {
		cmd := exec.Command(bin, "version")
		cmd.Env = append(os.Environ(), "LANG="+lang, "LC_ALL=", "LC_MESSAGES=", "LANGUAGE=")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || !strings.HasPrefix(string(out), "gloss ") {
			t.Fatalf("LANG=%s: %v %q", lang, err, out)
		}
		if stderr.Len() > 0 {
			t.Errorf("LANG=%s: stderr %q, want nothing", lang, stderr.String())
		}
	}
}
