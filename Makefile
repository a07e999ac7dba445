# Gloss: `make run` opens the GUI, `make test` runs every test.
# Both install what is missing first (Debian/Ubuntu: apt-get; as root or with sudo).

GO       ?= go
BIN      := bin/gloss
PKGS     := gcc libgl1-mesa-dev xorg-dev xvfb xauth
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Short fuzz/crash runs in CI; `make test-full` runs the long ones.
TESTFLAGS ?=

.PHONY: all deps build run test test-full vet bench screenshot clean

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

# Every test, the real-window end-to-end one included, under a private X server.
test: vet
	xvfb-run -a -s "-screen 0 1400x900x24" $(GO) test $(TESTFLAGS) ./...

test-full: TESTFLAGS += -tags full
test-full: test

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./...

# docs/screenshot.png: the GUI on the samples, under Xvfb.
screenshot: build
	.ci/screenshot

clean:
	rm -rf bin
