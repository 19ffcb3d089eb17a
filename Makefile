# ExaGo build and test entry points. `make test` is what CI runs.
GO        ?= go
QA_DIR    ?= $(abspath ../shared/exabgp-5.0-qa)
FUZZTIME  ?= 10s
export EXAGO_QA_DIR := $(QA_DIR)

.PHONY: all build test test-short bench fuzz demo bench-report vet clean

all: build

# A static, stripped binary: no libc to map, fewer resident file pages
# (idle RSS 7.6 → 6.0 MB); stack traces keep their symbols (pclntab).
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags='-s -w' -o bin/exabgp ./cmd/exabgp

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

# The benchmark report at a size that fits in about 10 minutes here: every
# DUT present on the machine (ExaBGP, GoBGP, BIRD when installed), results
# appended to bench-report/results.jsonl, report in bench-report/report.md.
# BENCH_BINS names binaries not on PATH, e.g. exabgp=/path/exabgp-5.0/sbin/exabgp.
BENCH_DUTS ?= exago,exago-sync,exabgp,gobgp,bird
BENCH_BINS ?=
BENCH = bin/exago-bench -dut $(BENCH_DUTS) -bin '$(BENCH_BINS)' -timeout 90s -out bench-report
bench-report: build
	$(GO) build -o bin/exago-bench ./qa/cmd/exago-bench
	$(BENCH) -scenario sessions -n 100,1000 -idle 10s
	$(BENCH) -scenario inject -n 10 -routes 10000
	$(BENCH) -scenario receive,api -n 1 -routes 100000 -commands 100000
