package main

import (
	"bytes"
	"debug/buildinfo"
	"debug/pe"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
)

// fyneApp is FyneApp.toml, what the packages are made from.
func fyneApp(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// fyneAppVersion is FyneApp.toml's [Details] Version.
func fyneAppVersion(t *testing.T) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^\s*Version\s*=\s*"([^"]+)"`).FindStringSubmatch(fyneApp(t))
	if m == nil {
		t.Fatal("FyneApp.toml has no Version")
	}
	return m[1]
}

// A plain `go build` (no -ldflags) says the same version as the packages,
// which the Makefile builds with FyneApp.toml's Version.
func TestVersionIsFyneAppVersion(t *testing.T) {
	if v := fyneAppVersion(t); version != v {
		t.Errorf("version = %q in cmd/gloss/version.go, FyneApp.toml says %q: change both", version, v)
	}
}

func TestFormatVersion(t *testing.T) {
	const rev = "53b66cc6ec07a08ee7514123996abb7ccfd5b22f"
	s := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	for _, c := range []struct {
		settings []debug.BuildSetting
		want     string
	}{
		{s("vcs", "git", "vcs.revision", rev, "vcs.time", "2025-12-01T17:02:11Z", "vcs.modified", "false"),
			"gloss 0.1.0 (commit 53b66cc6ec07, 2025-12-01)"},
		{s("vcs.revision", rev, "vcs.time", "2025-12-01T17:02:11Z", "vcs.modified", "true"),
			"gloss 0.1.0 (commit 53b66cc6ec07, 2025-12-01, modified)"},
		{s("vcs.revision", "53b66cc"), "gloss 0.1.0 (commit 53b66cc)"},
		{s("-tags", "release", "CGO_ENABLED", "1"), "gloss 0.1.0 (commit unknown)"},
		{nil, "gloss 0.1.0 (commit unknown)"},
	} {
		if got := formatVersion("0.1.0", c.settings); got != c.want {
			t.Errorf("formatVersion(%v) = %q, want %q", c.settings, got, c.want)
		}
	}
}

// TestVersionCommand builds the binary as the Makefile does (the version
// from FyneApp.toml by -ldflags -X, the commit stamped by the go command)
// and runs `gloss --version` and `gloss version`.
func TestVersionCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the real binary")
	}
	v := fyneAppVersion(t)
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	inGit := err == nil
	vcs := "-buildvcs=false"
	if inGit {
		vcs = "-buildvcs=auto" // some machines set -buildvcs=false in go env
	}
	bin := filepath.Join(t.TempDir(), "gloss")
	build := exec.Command("go", "build", vcs, "-tags", buildTags, "-ldflags", "-X main.version="+v, "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	want := regexp.MustCompile(`^gloss ` + regexp.QuoteMeta(v) + ` \(commit unknown\)$`)
	if inGit {
		want = regexp.MustCompile(`^gloss ` + regexp.QuoteMeta(v) + ` \(commit ` + string(head[:12]) +
			`, \d{4}-\d\d-\d\d(, modified)?\)$`)
	}
	var first string
	for _, arg := range []string{"--version", "version"} {
		cmd := exec.Command(bin, arg)
		cmd.Env = append(os.Environ(), "DISPLAY=", "WAYLAND_DISPLAY=")
		out, err := cmd.Output()
		line := strings.TrimSuffix(string(out), "\n")
		if err != nil || !want.MatchString(line) {
			t.Fatalf("gloss %s: %v %q, want %s", arg, err, out, want)
		}
		if first == "" {
			first = line
		} else if line != first {
			t.Errorf("gloss version %q, gloss --version %q", line, first)
		}
	}
}

// The .desktop file and the packages are made of FyneApp.toml: real
// metadata, the file types Gloss opens, no placeholder site.
func TestFyneAppMetadataForPackages(t *testing.T) {
	s := fyneApp(t)
	for _, want := range []string{
		`(?m)^Description = "[^"]{40,}"`,
		`(?m)^\[LinuxAndBSD\]`,
		`(?m)^\s*GenericName = "[^"]+"`,
		`(?m)^\s*Comment = "[^"]+"`,
		`(?m)^\s*Categories = \["Office"\]`,
		`(?m)^\s*Keywords = \[.*"annotation"`,
		`(?m)^\[CanOpen\]`,
		`(?m)^\s*MimeTypes = "text/plain;text/markdown;text/html;application/x-ndjson;application/jsonl;"`,
	} {
		if !regexp.MustCompile(want).MatchString(s) {
			t.Errorf("FyneApp.toml does not match %s", want)
		}
	}
	if regexp.MustCompile(`(?m)^\s*Website\s*=`).MatchString(s) {
		t.Error("FyneApp.toml names a Website: Gloss has none")
	}
}

// Every build, test, vet and package in the Makefile takes its tags from
// TAGS, so that a build tag the project comes to need is one line.
func TestMakefileTagsEverywhere(t *testing.T) {
	data, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	goCmd := regexp.MustCompile(`\$\(GO\) (build|test|vet)\b|(?i:fyne)[^ ]*\)? package\b`)
	tags := regexp.MustCompile(`-tags '\$\((TAGS|TEST_TAGS)\)'`)
	n := 0
	for i, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") || !goCmd.MatchString(line) {
			continue
		}
		n++
		if !tags.MatchString(line) {
			t.Errorf("Makefile:%d builds without -tags '$(TAGS)': %s", i+1, strings.TrimSpace(line))
		}
	}
	if n < 5 {
		t.Errorf("found %d go build/test/vet and fyne package commands in the Makefile, want them all", n)
	}
}

// systemDLLs are the DLLs every Windows has; gloss.exe imports no others
// (no libwinpthread-1.dll or libgcc_s_seh-1.dll beside it).
var systemDLLs = map[string]bool{
	"kernel32.dll": true, "user32.dll": true, "gdi32.dll": true, "opengl32.dll": true,
	"shell32.dll": true, "ole32.dll": true, "oleaut32.dll": true, "advapi32.dll": true,
	"winmm.dll": true, "ws2_32.dll": true, "msvcrt.dll": true, "ntdll.dll": true,
	"dwmapi.dll": true, "imm32.dll": true, "comdlg32.dll": true, "comctl32.dll": true,
	"shlwapi.dll": true, "setupapi.dll": true, "version.dll": true, "bcrypt.dll": true,
	"crypt32.dll": true, "secur32.dll": true, "userenv.dll": true, "uxtheme.dll": true,
	"ucrtbase.dll": true, "mswsock.dll": true, "iphlpapi.dll": true, "dbghelp.dll": true,
	"powrprof.dll": true, "winspool.drv": true,
}

// TestWindowsExe checks the gloss.exe that `make dist-windows` made (it runs
// this test with GLOSS_WINDOWS_EXE set; skipped otherwise): what can be
// checked without Windows.
func TestWindowsExe(t *testing.T) {
	exe := os.Getenv("GLOSS_WINDOWS_EXE")
	if exe == "" {
		t.Skip("GLOSS_WINDOWS_EXE is not set: make dist-windows runs this test on the exe it made")
	}
	f, err := pe.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		t.Errorf("machine %#x, want amd64", f.Machine)
	}
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if !ok {
		t.Fatalf("optional header %T, want a PE32+ one", f.OptionalHeader)
	}
	if oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		t.Errorf("subsystem %d, want %d (Windows GUI: no console window behind Gloss)", oh.Subsystem, pe.IMAGE_SUBSYSTEM_WINDOWS_GUI)
	}
	// ImportedLibraries is not implemented for PE files; each imported
	// symbol is "name:dll".
	syms, err := f.ImportedSymbols()
	if err != nil {
		t.Fatal(err)
	}
	var libs []string
	seen := map[string]bool{}
	for _, s := range syms {
		if _, dll, ok := strings.Cut(s, ":"); ok && !seen[strings.ToLower(dll)] {
			seen[strings.ToLower(dll)] = true
			libs = append(libs, dll)
		}
	}
	for _, l := range libs {
		if name := strings.ToLower(l); !systemDLLs[name] && !strings.HasPrefix(name, "api-ms-win-") {
			t.Errorf("gloss.exe imports %s, which is not Windows' own: it would have to ship beside it", l)
		}
	}
	t.Logf("imports %s", strings.Join(libs, " "))
	if len(libs) == 0 {
		t.Error("no imported DLLs: not a cgo build?")
	}

	// The resources fyne package links in: the icon, its group, the version
	// information and the manifest.
	rsrc := f.Section(".rsrc")
	if rsrc == nil {
		t.Fatal("no .rsrc section: no icon, version or manifest")
	}
	data, err := rsrc.Data()
	if err != nil || len(data) < 16 {
		t.Fatalf(".rsrc: %v (%d bytes)", err, len(data))
	}
	named, ids := binary.LittleEndian.Uint16(data[12:]), binary.LittleEndian.Uint16(data[14:])
	types := map[uint32]bool{}
	for i := 0; i < int(named)+int(ids); i++ {
		off := 16 + 8*i
		if off+8 > len(data) {
			t.Fatal(".rsrc: the resource directory is cut short")
		}
		types[binary.LittleEndian.Uint32(data[off:])] = true
	}
	for id, what := range map[uint32]string{3: "RT_ICON", 14: "RT_GROUP_ICON", 16: "RT_VERSION", 24: "RT_MANIFEST"} {
		if !types[id] {
			t.Errorf("no %s resource", what)
		}
	}
	if !bytes.Contains(data, []byte(`name="Gloss"`)) {
		t.Error("the manifest does not name Gloss")
	}

	// console_windows.go is linked in: typed in a terminal, the commands print there.
	if raw, err := os.ReadFile(exe); err != nil || !bytes.Contains(raw, []byte("AttachConsole")) || !bytes.Contains(raw, []byte("CONOUT$")) {
		t.Errorf("gloss.exe does not attach to its terminal's console (console_windows.go): %v", err)
	}

	// The build itself, as the go command recorded it in the exe.
	info, err := buildinfo.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	set := map[string]string{}
	for _, s := range info.Settings {
		set[s.Key] = s.Value
	}
	// (-trimpath leaves -ldflags, and so main.version, out of the record.)
	if set["GOOS"] != "windows" || set["CGO_ENABLED"] != "1" || set["-trimpath"] != "true" ||
		!regexp.MustCompile(`(^|,)release(,|$)`).MatchString(set["-tags"]) {
		t.Errorf("GOOS=%s CGO_ENABLED=%s -trimpath=%s -tags=%s, want a windows cgo release build",
			set["GOOS"], set["CGO_ENABLED"], set["-trimpath"], set["-tags"])
	}
	if _, err := exec.Command("git", "rev-parse", "HEAD").Output(); err == nil && len(set["vcs.revision"]) < 12 {
		t.Errorf("no commit recorded (vcs.revision %q): gloss --version would say \"commit unknown\"", set["vcs.revision"])
	}
}
