package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// superuser is the throwaway server's administrator.
const superuser = "gloss_test"

// server is a throwaway PostgreSQL: its folder, binaries, process and URL.
type server struct {
	dir  string // the temporary folder: data/, the log and the password file
	bin  string // the folder of initdb, postgres and pg_ctl
	cred *syscall.Credential
	cmd  *exec.Cmd
	exit chan error // the postgres process's end
	url  string
}

// start makes a cluster in a new temporary folder and starts postgres on it,
// on a free port of 127.0.0.1, waiting until it takes connections.
func start() (*server, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	s := &server{bin: bin}
	base := os.TempDir()
	if os.Getuid() == 0 {
		// PostgreSQL will not run as root: as the postgres user, in a
		// folder it owns, under one it can reach.
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, errors.New("running as root, and there is no postgres user to run PostgreSQL as")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if !othersCanEnter(base) {
			base = "/tmp"
		}
	}
	sweep(base)
	if s.dir, err = os.MkdirTemp(base, "gloss-pg-"); err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			s.remove()
		}
	}()
	pw := randomPassword()
	pwFile := filepath.Join(s.dir, "pw")
	if err := os.WriteFile(pwFile, []byte(pw+"\n"), 0o600); err != nil {
		return nil, err
	}
	if s.cred != nil {
		for _, p := range []string{s.dir, pwFile} {
			if err := os.Chown(p, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
				return nil, err
			}
		}
	}
	data := filepath.Join(s.dir, "data")
	if out, err := s.run("initdb", "-D", data, "-U", superuser, "--pwfile", pwFile,
		"-A", "scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions"); err != nil {
		return nil, fmt.Errorf("initdb: %v: %s", err, lastLines(out, 10))
	}
	// A port that was free a moment ago; should another take it first,
	// postgres fails and the next port is tried.
	for try := 0; ; try++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		err = s.startOn(data, port)
		if err == nil {
			s.url = (&url.URL{Scheme: "postgres", User: url.UserPassword(superuser, pw),
				Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), Path: "/postgres",
				RawQuery: "sslmode=disable"}).String()
			break
		}
		if try == 2 {
			return nil, err
		}
	}
	if err := s.wait(); err != nil {
		s.stop()
		return nil, err
	}
	ok = true
	return s, nil
}

// startOn starts postgres on port: TCP on 127.0.0.1 only (no Unix socket),
// without fsync (a throwaway server), told to quit (SIGQUIT: at once) should
// this process die before Main stops it.
func (s *server) startOn(data string, port int) error {
	logf, err := os.OpenFile(filepath.Join(s.dir, "log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command(filepath.Join(s.bin, "postgres"), "-D", data, "-h", "127.0.0.1", "-p", strconv.Itoa(port),
		"-c", "unix_socket_directories=", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=200")
	cmd.Dir = s.dir
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred, Pdeathsig: syscall.SIGQUIT}
	if err := cmd.Start(); err != nil {
		return err
	}
	s.cmd = cmd
	s.exit = make(chan error, 1)
	go func() { s.exit <- cmd.Wait() }()
	// Up, or failed at once (a taken port)?
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.exit:
			s.cmd = nil
			log, _ := os.ReadFile(filepath.Join(s.dir, "log"))
			return fmt.Errorf("postgres ended: %v: %s", err, lastLines(string(log), 10))
		case <-time.After(100 * time.Millisecond):
		}
		if c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second); err == nil {
			c.Close()
			return nil
		}
	}
	cmd.Process.Kill()
	<-s.exit
	s.cmd = nil
	return errors.New("postgres did not listen within 30 s")
}

// wait waits until the server takes connections (it listens before it has
// finished starting).
func (s *server) wait() error {
	deadline := time.Now().Add(30 * time.Second)
	var err error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		var c *pgx.Conn
		c, err = pgx.Connect(ctx, s.url)
		if err == nil {
			c.Close(ctx)
			cancel()
			return nil
		}
		cancel()
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("the test server takes no connections: %v", err)
}

// stop stops the server (pg_ctl stop -m fast: the sessions are ended, the
// data is not needed again), killing it if that fails, and removes its
// folder.
func (s *server) stop() error {
	return errors.Join(s.down(), s.remove())
}

// down stops postgres with pg_ctl stop -m fast (every session is ended,
// every open transaction rolled back, and the data written out), killing it
// if that fails, and keeps its folder.
func (s *server) down() error {
	if s.cmd == nil {
		return nil
	}
	var err error
	if out, e := s.run("pg_ctl", "stop", "-D", filepath.Join(s.dir, "data"), "-m", "fast", "-w", "-t", "30"); e != nil {
		err = fmt.Errorf("pg_ctl stop: %v: %s", e, lastLines(out, 5))
		s.cmd.Process.Kill()
	}
	select {
	case <-s.exit:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-s.exit
	}
	s.cmd = nil
	return err
}

// up starts postgres again after down, on the same folder and port, and
// waits until it takes connections. It is started as at first, not by
// pg_ctl restart: so it stays this process's child, told to quit should the
// test binary die, and stop still finds it.
func (s *server) up() error {
	u, err := url.Parse(s.url)
	if err != nil {
		return err
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		return fmt.Errorf("the test server's URL has no port: %v", err)
	}
	if err := s.startOn(filepath.Join(s.dir, "data"), port); err != nil {
		return err
	}
	return s.wait()
}

func (s *server) remove() error {
	if s.dir == "" {
		return nil
	}
	return os.RemoveAll(s.dir)
}

// sweep removes the folders of throwaway servers whose test binary died
// before it could (the server itself quits then): older than ten minutes,
// with no postgres running on them.
func sweep(base string) {
	dirs, _ := filepath.Glob(filepath.Join(base, "gloss-pg-*"))
	for _, d := range dirs {
		fi, err := os.Stat(d)
		if err != nil || time.Since(fi.ModTime()) < 10*time.Minute {
			continue
		}
		if pid, err := os.ReadFile(filepath.Join(d, "data", "postmaster.pid")); err == nil {
			n, _ := strconv.Atoi(strings.SplitN(string(pid), "\n", 2)[0])
			if err := syscall.Kill(n, 0); n > 0 && (err == nil || err == syscall.EPERM) {
				continue // running
			}
		}
		os.RemoveAll(d)
	}
}

// run runs one of the server's programs as the server's user.
func (s *server) run(name string, args ...string) (string, error) {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	cmd.Dir = s.dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// findBin is the folder of initdb and postgres: on PATH, else Debian's
// /usr/lib/postgresql/VERSION/bin (the newest).
func findBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real // Debian's /usr/bin links go to a wrapper; the real folder has postgres too
		}
		dir := filepath.Dir(p)
		if isExec(filepath.Join(dir, "postgres")) && isExec(filepath.Join(dir, "pg_ctl")) {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if isExec(filepath.Join(d, "initdb")) && isExec(filepath.Join(d, "postgres")) && isExec(filepath.Join(d, "pg_ctl")) {
			return d, nil
		}
	}
	return "", errors.New("initdb, postgres and pg_ctl are neither on PATH nor in /usr/lib/postgresql/*/bin")
}

// version is the number of /usr/lib/postgresql/NUMBER/bin.
func version(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

func isExec(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// othersCanEnter reports whether every folder down to dir may be entered by
// another user (the postgres user, when root makes the server).
func othersCanEnter(dir string) bool {
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil || fi.Mode()&0o001 == 0 {
			return false
		}
		if d == filepath.Dir(d) {
			return true
		}
	}
}

// freePort is a TCP port of 127.0.0.1 that nothing listens on now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// lastLines is the last n lines of s, for an error message.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
