package main

import (
	"runtime/debug"
	"strings"
)

// version is the release, FyneApp.toml's Version. The Makefile passes it with
// -ldflags "-X main.version=…" (so a release says what its package says); a
// plain go build keeps this default, which TestVersionIsFyneAppVersion keeps
// equal to FyneApp.toml.
var version = "0.1.0"

// versionLine is what `gloss version` and `gloss --version` print: the
// release and the commit the binary was built from, as the go command
// recorded it (vcs.revision, vcs.time, vcs.modified), e.g.
//
//	gloss 0.1.0 (commit 53b66cc6ec07, 2025-12-01)
//	gloss 0.1.0 (commit 53b66cc6ec07, 2025-12-01, modified)
//	gloss 0.1.0 (commit unknown)
//
// "modified" means the work tree had uncommitted changes. The commit is
// unknown when the binary was not built in a git checkout, or with
// -buildvcs=false.
func versionLine() string {
	var settings []debug.BuildSetting
	if info, ok := debug.ReadBuildInfo(); ok {
		settings = info.Settings
	}
	return formatVersion(version, settings)
}

func formatVersion(version string, settings []debug.BuildSetting) string {
	var revision, date string
	modified := false
	for _, s := range settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.time":
			date, _, _ = strings.Cut(s.Value, "T")
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if revision == "" {
		return "gloss " + version + " (commit unknown)"
	}
	if len(revision) > 12 {
		revision = revision[:12]
	}
	out := "gloss " + version + " (commit " + revision
	if date != "" {
		out += ", " + date
	}
	if modified {
		out += ", modified"
	}
	return out + ")"
}
