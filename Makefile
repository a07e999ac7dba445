# Gloss: `make run` opens the GUI, `make test` runs every test, `make dist`
# makes the Linux packages (bin/dist/). Each installs what is missing first
# (Debian/Ubuntu: apt-get; as root or with sudo).

GO       ?= go
BIN      := bin/gloss
PKGS     := gcc libgl1-mesa-dev xorg-dev xvfb xauth xdotool fonts-noto-core fonts-noto-cjk
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Short fuzz/crash runs in CI; `make test-full` runs the long ones.
TESTFLAGS ?=

# Build tags of every build, test, vet and package, comma-separated
# sqlite_fts5: the search index needs SQLite's FTS5 (go-sqlite3 builds it in only with
# this tag; a store built without it refuses to open, and storage/fts5_test.go fails).
TAGS     := sqlite_fts5
# The tags of a test run and its vet: TAGS, plus `full` for `make test-full`.
comma    := ,
TEST_TAGS = $(TAGS)

# The release is FyneApp.toml's Version; every build is told it, and
# `gloss --version` prints it with the commit that the go command records
# when git can read this checkout (some machines set -buildvcs=false in go env).
VERSION  := $(shell sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
XFLAGS   := main.version=$(VERSION)
BUILDVCS := $(shell git rev-parse HEAD >/dev/null 2>&1 && echo auto || echo false)
GOBUILD   = $(GO) build -tags '$(TAGS)' -buildvcs=$(BUILDVCS) -ldflags '$(addprefix -X ,$(XFLAGS))'

# Packages: fyne.io/tools at a pinned version, installed here when missing.
FYNE_VERSION := v1.7.4
FYNE     := bin/tools/fyne-$(FYNE_VERSION)/fyne
DIST     := bin/dist
ARCH     := $(shell $(GO) env GOARCH)
TARBALL  := $(DIST)/gloss_$(VERSION)_linux_$(ARCH).tar.xz
DEB      := $(DIST)/gloss_$(VERSION)_$(ARCH).deb
ZIP      := $(DIST)/gloss_$(VERSION)_windows_amd64.zip
DIST_PKGS := dpkg-dev xz-utils desktop-file-utils
WIN_PKGS := gcc-mingw-w64-x86-64-win32 zip
WIN_CC   := x86_64-w64-mingw32-gcc
# fyne package builds the main package in its folder and reads FyneApp.toml
# there (and writes its Build number back): it gets a copy, removed after.
# It takes ldflags from GOFLAGS, one -ldflags= word each; $(2) is more
# environment for the build.
FYNE_PACKAGE = trap 'rm -f $(CURDIR)/cmd/gloss/FyneApp.toml' EXIT; \
	sed 's|^\( *Icon *= *"\)|\1../../|' FyneApp.toml > cmd/gloss/FyneApp.toml; \
	cd $(1) && $(2) GOFLAGS='-buildvcs=$(BUILDVCS) $(addprefix -ldflags=-X=,$(XFLAGS))' \
	$(CURDIR)/$(FYNE) package --release --tags '$(TAGS)' --src $(CURDIR)/cmd/gloss

.PHONY: all deps pg-deps build run test test-full vet bench fuzz screenshot clean \
	dist dist-deps dist-check dist-windows dist-windows-check

all: build

# install-missing installs those of the Debian packages $(1) that are not.
define install-missing
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
endef

# deps installs the system packages Fyne needs (cgo, OpenGL, X11) and Xvfb for the
# real-window test, but only those that are missing.
deps:
	@command -v $(GO) >/dev/null || { echo "Go $(shell sed -n 's/^go //p' go.mod) or newer is needed: https://go.dev/dl/"; exit 1; }
	$(call install-missing,$(PKGS))

build: deps
	$(GOBUILD) -o $(BIN) ./cmd/gloss

run: build
	./$(BIN)

vet: deps
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet -tags '$(TEST_TAGS)' ./...

# PostgreSQL for storage/postgres's tests, which start a throwaway server of
# their own on 127.0.0.1 (initdb, postgres, pg_ctl; as the postgres user when
# run as root) unless GLOSS_PG_URL names one: Debian's postgresql package,
# installed when no initdb is found, whose programs are in
# /usr/lib/postgresql/N/bin, put on PATH for the tests. GLOSS_PG_REQUIRED
# makes those tests fail, not skip, when no server can be had.
PG_PKGS  := postgresql
PG_PATH   = $$PATH$$(for d in /usr/lib/postgresql/*/bin; do [ -x "$$d/initdb" ] && printf ':%s' "$$d"; done)

pg-deps:
	@[ -n "$$GLOSS_PG_URL" ] || command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
		{ echo "Installing: $(PG_PKGS)"; $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(PG_PKGS); }

# Every test, the real-window end-to-end one and the PostgreSQL ones included,
# under a private X server, then a short run of every fuzz target.
test: vet pg-deps
	PATH="$(PG_PATH)" GLOSS_PG_REQUIRED=1 \
		xvfb-run -a -s "-screen 0 1400x900x24" $(GO) test -tags '$(TEST_TAGS)' $(TESTFLAGS) ./...
	$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZTIME)

# fuzz runs every `func FuzzXxx` for FUZZTIME each. A crasher is written to
# the package's testdata/fuzz/ and from then on runs as a regression test:
# commit it with the fix.
# A count, not a duration, by default: short timed runs can end in the fuzz
# runner's own "context deadline exceeded" (golang/go#75804).
FUZZTIME ?= 3000x
fuzz:
	@set -e; for f in $$(grep -rl --include='*_test.go' '^func Fuzz' . | sort); do \
		d=$$(dirname $$f); \
		for t in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$f); do \
			echo "fuzz $$d $$t ($(FUZZTIME))"; \
			out=$$($(GO) test -tags '$(TAGS)' -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$d 2>&1) || \
				{ echo "$$out"; echo "FAIL: $$t in $$d (a crasher is kept in $$d/testdata/fuzz/$$t)"; exit 1; }; \
		done; \
	done

# The long runs, then the packages built and checked (a release build of its
# own: several minutes more, so not in `make test`).
test-full: TEST_TAGS = $(TAGS)$(if $(TAGS),$(comma))full
test-full: FUZZTIME = 60s
test-full: test
	$(MAKE) --no-print-directory dist-check

bench: deps
	$(GO) test -tags '$(TAGS)' -run '^$$' -bench . -benchmem ./...

# docs/screenshot.png: the GUI on the samples, under Xvfb.
screenshot: build
	.ci/screenshot

$(FYNE):
	GOBIN=$(CURDIR)/$(dir $(FYNE)) $(GO) install fyne.io/tools/cmd/fyne@$(FYNE_VERSION)

dist-deps:
	$(call install-missing,$(DIST_PKGS))

# dist: the release build by `fyne package`, as its tarball (with the
# .desktop file, the icon and a Makefile: `make user-install`, `sudo make
# install`) and as a .deb made from the tarball's contents (.ci/dist-deb).
dist: deps dist-deps $(FYNE)
	rm -rf $(DIST)/linux && mkdir -p $(DIST)/linux
	$(call FYNE_PACKAGE,$(DIST)/linux) --os linux
	@# fyne.io/tools v1.7.4 writes the .desktop file's Exec (`gloss %F`, as
	@# MimeTypes asks) into the tarball's Makefile as the binary's name, and
	@# its install and user-install fail: the tarball is made again with it fixed.
	cd $(DIST)/linux && mkdir t && tar -xJf Gloss.tar.xz -C t && \
		sed -i 's/^Exec := "\([^ "]*\) %F"$$/Exec := "\1"/' t/gloss/Makefile && \
		tar -cJf $(CURDIR)/$(TARBALL) --owner=0 --group=0 -C t gloss
	rm -rf $(DIST)/linux
	.ci/dist-deb $(TARBALL) $(DEB) $(VERSION)
	@ls -l $(TARBALL) $(DEB)

# dist-check unpacks and installs the packages in scratch folders and runs
# the installed binary headless (.ci/dist-check).
dist-check: dist
	.ci/dist-check $(DEB) $(TARBALL) $(VERSION)

# dist-windows: gloss.exe cross-compiled with mingw-w64 (a GUI-subsystem
# build with the icon and manifest; the same exe runs the commands in a
# terminal), zipped with the README, then checked without Windows.
# About 12 minutes on two cores the first time.
dist-windows: deps $(FYNE)
	$(call install-missing,$(WIN_PKGS))
	rm -rf $(DIST)/windows && mkdir -p $(DIST)/windows/gloss-$(VERSION)
	$(call FYNE_PACKAGE,$(DIST)/windows,CC=$(WIN_CC) GOARCH=amd64) --os windows \
		|| { rm -f $(CURDIR)/cmd/gloss/gloss.exe $(CURDIR)/cmd/gloss/Gloss.exe; exit 1; }
	mv cmd/gloss/Gloss.exe $(DIST)/windows/gloss-$(VERSION)/gloss.exe
	cp README.md $(DIST)/windows/gloss-$(VERSION)/
	rm -f $(ZIP) && cd $(DIST)/windows && zip -qr $(CURDIR)/$(ZIP) gloss-$(VERSION)
	$(MAKE) --no-print-directory dist-windows-check
	@ls -l $(ZIP)

# dist-windows-check: the PE file's subsystem, machine, resources and
# imported DLLs (only Windows' own), by cmd/gloss's TestWindowsExe.
dist-windows-check:
	GLOSS_WINDOWS_EXE=$(CURDIR)/$(DIST)/windows/gloss-$(VERSION)/gloss.exe \
		$(GO) test -tags '$(TAGS)' -count=1 -run '^TestWindowsExe$$' -v ./cmd/gloss

clean:
	rm -rf bin
