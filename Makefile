# PolicyWatch build, run and test. `make run` and `make test` install what
# they need (system packages through apt-get, Go modules through the proxy).
SHELL   := /bin/bash
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
GO      ?= go
export LANG := C.UTF-8
export CGO_ENABLED := 1

.PHONY: all deps test-deps build run test vet fmt-check screenshots bench clean install-desktop

all: build

deps:
	./scripts/install-deps.sh
	$(GO) mod download

test-deps:
	./scripts/install-deps.sh --test
	$(GO) mod download

## build: the desktop binary ./policywatch (real GL driver)
build: deps
	@if [[ ! -x policywatch ]]; then echo "build: the first build compiles GLFW (Fyne's window library) and SQLite from C sources with cgo: about 3 minutes on 2 cores; later builds take seconds"; fi
	$(GO) build -tags migrated_fynedo -ldflags "$(LDFLAGS)" -o policywatch ./cmd/policywatch

## install-desktop: add the app to the desktop menu and register policywatch:// links
install-desktop: build
	./scripts/install-desktop.sh ./policywatch

## run: build and open the desktop app on the default database
run: build
	./policywatch

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [[ -n "$$out" ]]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet: test-deps
	$(GO) vet -tags ci,migrated_fynedo ./...

## test: vet, the whole suite with the race detector, and a real GL build.
## Tests that need ../shared (corpus, reference, eval set) skip when it is
## absent; the last line says how many did.
test: test-deps fmt-check vet
	@skiplog=$$(mktemp); \
	echo "$(GO) test -race -tags ci,migrated_fynedo -timeout 20m ./..."; \
	POLICYWATCH_SKIP_LOG=$$skiplog $(GO) test -race -tags ci,migrated_fynedo -timeout 20m ./...; status=$$?; \
	skipped=$$(sort -u $$skiplog | wc -l); rm -f $$skiplog; \
	if [[ $$status -ne 0 ]]; then exit $$status; fi; \
	echo "$(GO) build -tags migrated_fynedo -o policywatch ./cmd/policywatch"; \
	$(GO) build -tags migrated_fynedo -ldflags "$(LDFLAGS)" -o policywatch ./cmd/policywatch || exit 1; \
	if [[ $$skipped -eq 0 ]]; then echo "make test: all checks passed; no test skipped for lack of ../shared"; \
	else echo "make test: all checks passed; $$skipped tests skipped because ../shared (corpus, reference, eval set) is not beside the checkout"; fi

clean:
	rm -f policywatch
