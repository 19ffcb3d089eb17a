# ExaGo build and test entry points. `make test` is what CI runs.
GO        ?= go
QA_DIR    ?= $(abspath ../shared/exabgp-5.0-qa)
FUZZTIME  ?= 10s
export EXAGO_QA_DIR := $(QA_DIR)

.PHONY: all build test test-short bench fuzz demo bench-report vet clean

all: build

build:
	$(GO) build -o bin/exabgp ./cmd/exabgp

vet:
	$(GO) vet ./...

# Unit tests, golden vectors, the ExaBGP conformance data (decoding, conf,
# encoding against bin/exabgp) and interop tests that skip when a peer
# daemon is absent.
test: build
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 40m ./...

test-short: build
	$(GO) test -short -count=1 ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Each fuzz target runs for FUZZTIME.
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$t"; \
	    $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

demo: build
	./qa/demo.sh

clean:
	rm -rf bin
