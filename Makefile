# PolicyWatch build, run and test. `make run` and `make test` install what
# they need (system packages through apt-get, Go modules through the proxy).
SHELL   := /bin/bash
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
GO      ?= go
export LANG := C.UTF-8
export CGO_ENABLED := 1

.PHONY: all deps test-deps build run test vet fmt-check screenshots bench clean

all: build

deps:
	./scripts/install-deps.sh
	$(GO) mod download

test-deps:
	./scripts/install-deps.sh --test
	$(GO) mod download

## build: the desktop binary ./policywatch (real GL driver)
build: deps
	$(GO) build -tags migrated_fynedo -ldflags "$(LDFLAGS)" -o policywatch ./cmd/policywatch

## run: build and open the desktop app on the default database
run: build
	./policywatch

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [[ -n "$$out" ]]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet: test-deps
	$(GO) vet -tags ci,migrated_fynedo ./...

## test: vet, the whole suite with the race detector, and a real GL build
test: test-deps fmt-check vet
	$(GO) test -race -tags ci,migrated_fynedo -timeout 20m ./...
	$(GO) build -tags migrated_fynedo -ldflags "$(LDFLAGS)" -o policywatch ./cmd/policywatch
	@echo "make test: all checks passed"

clean:
	rm -f policywatch
