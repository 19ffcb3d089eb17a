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

# The benchmark report in about 10 minutes here (qa/bench/preamble.md says
# what runs): every DUT present on the machine (ExaBGP, GoBGP, BIRD when
# installed); results in bench-report/results.jsonl (started afresh), the
# report in bench-report/report.md, copied with its plots to docs/bench/.
# BENCH_DUTS limits the DUTs; BENCH_BINS names binaries not on PATH, e.g.
# exabgp=/path/exabgp-5.0/sbin/exabgp (default: ExaBGP 5.0's checkout
# beside this tree when there is no exabgp on PATH).
BENCH_DUTS ?= exago,exago-sync,exabgp,gobgp,bird
BENCH_BINS ?= $(if $(shell command -v exabgp),,exabgp=$(firstword $(wildcard /work/exabgp-src/5.0/sbin/exabgp $(CURDIR)/../exabgp-src/5.0/sbin/exabgp)))
BENCH = bin/exago-bench -allow $(BENCH_DUTS) -bin '$(BENCH_BINS)' -timeout 90s -out bench-report -preamble qa/bench/preamble.md
BENCH_ALL = exago,exago-sync,exabgp,gobgp,bird
bench-report: build
	$(GO) build -o bin/exago-bench ./qa/cmd/exago-bench
	mkdir -p bench-report && rm -f bench-report/results.jsonl bench-report/*.svg
	$(BENCH) -scenario sessions -dut $(BENCH_ALL) -n 1000 -direction both -idle 5s
	$(BENCH) -scenario sessions -dut exago,exago-sync -n 10000 -direction connects -idle 5s
	$(BENCH) -scenario inject -dut $(BENCH_ALL) -n 10 -routes 10000
	$(BENCH) -scenario inject -dut exago,exago-sync,gobgp,bird -n 100 -routes 100000 -timeout 240s
	$(BENCH) -scenario inject-api -dut exago,exago-sync,exabgp -n 10 -routes 10000
	$(BENCH) -scenario inject-api -dut exago,exago-sync -n 100 -routes 10000 -timeout 60s
	$(BENCH) -scenario receive -dut exago,exago-sync,exabgp -n 1 -routes 100000
	$(BENCH) -scenario api -dut exago,exago-sync,exabgp -n 1 -commands 10000
	mkdir -p docs/bench && rm -f docs/bench/*.svg && cp bench-report/report.md bench-report/*.svg docs/bench/
