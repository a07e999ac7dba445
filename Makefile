# Gloss: `make run` opens the GUI, `make test` runs every test.
# Both install what is missing first (Debian/Ubuntu: apt-get; as root or with sudo).

GO       ?= go
BIN      := bin/gloss
PKGS     := gcc libgl1-mesa-dev xorg-dev xvfb xauth xdotool fonts-noto-core fonts-noto-cjk
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Short fuzz/crash runs in CI; `make test-full` runs the long ones.
TESTFLAGS ?=

.PHONY: all deps build run test test-full vet bench fuzz screenshot clean

all: build

# deps installs the system packages Fyne needs (cgo, OpenGL, X11) and Xvfb for the
# real-window test, but only those that are missing.
deps:
	@command -v $(GO) >/dev/null || { echo "Go $(shell sed -n 's/^go //p' go.mod) or newer is needed: https://go.dev/dl/"; exit 1; }
	@missing=""; for p in $(PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(GO) build -o $(BIN) ./cmd/gloss

run: build
	./$(BIN)

vet: deps
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

# Every test, the real-window end-to-end one included, under a private X server,
# then a short run of every fuzz target.
test: vet
	xvfb-run -a -s "-screen 0 1400x900x24" $(GO) test $(TESTFLAGS) ./...
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
			out=$$($(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$d 2>&1) || \
				{ echo "$$out"; echo "FAIL: $$t in $$d (a crasher is kept in $$d/testdata/fuzz/$$t)"; exit 1; }; \
		done; \
	done

test-full: TESTFLAGS += -tags full
test-full: FUZZTIME = 60s
test-full: test

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./...

# docs/screenshot.png: the GUI on the samples, under Xvfb.
screenshot: build
	.ci/screenshot

clean:
	rm -rf bin
