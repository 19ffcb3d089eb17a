package qa

// TestEncoding runs ExaBGP's encoding conformance tests
// ($EXAGO_QA_DIR/encoding, EXABGP-SURFACE.md §6) against the daemon, once
// in each reactor mode, the way ExaBGP's qa/bin/functional does: the test
// peer listens, the daemon is started with the test's configuration and the
// QA environment, and the test passes when the peer saw every expected
// message and the daemon then exited by itself (exabgp_tcp_connections).
//
// Which tests must pass is qa/encoding_pass.txt ("MODE NAME" lines).
// Environment knobs:
//
//	EXAGO_EXABGP=/path/exabgp   test another binary (e.g. ExaBGP's sbin/exabgp)
//	EXAGO_ENCODING_ALL=1        every test must pass (use with ExaBGP)
//	EXAGO_ENCODING_RUN=REGEXP   only the tests whose "mode/name" matches
//	EXAGO_ENCODING_MODES=LIST   modes to run (default "reactor sync")
//	EXAGO_ENCODING_JOBS=N       tests run at once (default 16; 4 with EXAGO_EXABGP)
//	EXAGO_ENCODING_TIMEOUT=DUR  per-test budget (default 60s)
//	EXAGO_RATCHET_UPDATE=1      append the newly passing tests to the ratchet file
//
// EXAGO_QA_DIR may also point at an ExaBGP checkout (qa/encoding and
// etc/exabgp are found there) to run its full suite.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"exago/qa/testpeer"
)

// encodingCase is one NAME.ci + NAME.msg pair.
type encodingCase struct {
	name   string
	confs  []string // absolute configuration paths
	script *testpeer.Script
}

// encodingResult is the outcome of one case in one mode.
type encodingResult struct {
	mode, name string
	pass       bool
	reason     string // why it failed
	transcript string // the test peer's log
	daemonLog  string // the daemon's output, tail
	took       time.Duration
}

func (r encodingResult) key() string { return r.mode + " " + r.name }

// qaLayout finds the encoding and configuration folders under dir: the
// shared layout (encoding/, conf/) or an ExaBGP checkout (qa/encoding/,
// etc/exabgp/).
func qaLayout(dir string) (enc, conf string) {
	if _, err := os.Stat(filepath.Join(dir, "encoding")); err == nil {
		return filepath.Join(dir, "encoding"), filepath.Join(dir, "conf")
	}
	return filepath.Join(dir, "qa", "encoding"), filepath.Join(dir, "etc", "exabgp")
}

// loadEncodingCases reads every NAME.ci and NAME.msg, sorted by name.
func loadEncodingCases(enc, conf string) ([]encodingCase, error) {
	cis, err := filepath.Glob(filepath.Join(enc, "*.ci"))
	if err != nil || len(cis) == 0 {
		return nil, fmt.Errorf("no *.ci file in %s", enc)
	}
	sort.Strings(cis)
	var cases []encodingCase
	for _, ci := range cis {
		name := strings.TrimSuffix(filepath.Base(ci), ".ci")
		b, err := os.ReadFile(ci)
		if err != nil {
			return nil, err
		}
		line, _, _ := strings.Cut(string(b), "\n") // qa/bin/functional reads the first line only
		c := encodingCase{name: name}
		for _, f := range strings.Fields(line) {
			c.confs = append(c.confs, filepath.Join(conf, f))
		}
		if len(c.confs) == 0 {
			return nil, fmt.Errorf("%s: no configuration file named", ci)
		}
		if c.script, err = testpeer.ReadScript(filepath.Join(enc, name+".msg")); err != nil {
			return nil, err
		}
		cases = append(cases, c)
	}
	return cases, nil
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func TestEncoding(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end encoding conformance skipped in -short mode")
	}
	enc, conf := qaLayout(qaDir(t))
	cases, err := loadEncodingCases(enc, conf)
	if err != nil {
		t.Skipf("ExaBGP encoding tests not found: %v", err)
	}
	bin, external := exabgpBinary(t)
	ratchet, err := LoadRatchet("encoding_pass.txt")
	if err != nil {
		t.Fatal(err)
	}
	all := os.Getenv("EXAGO_ENCODING_ALL") != ""
	modes := strings.Fields(os.Getenv("EXAGO_ENCODING_MODES"))
	if len(modes) == 0 {
		modes = []string{"reactor", "sync"}
	}
	filter, err := regexp.Compile(os.Getenv("EXAGO_ENCODING_RUN"))
	if err != nil {
		t.Fatalf("EXAGO_ENCODING_RUN: %v", err)
	}
	timeout := 60 * time.Second
	if d, err := time.ParseDuration(os.Getenv("EXAGO_ENCODING_TIMEOUT")); err == nil && d > 0 {
		timeout = d
	}
	known := map[string]bool{}
	for _, m := range []string{"reactor", "sync"} {
		for _, c := range cases {
			known[m+" "+c.name] = true
		}
	}
	if unknown := ratchet.Unknown(known); len(unknown) > 0 {
		t.Errorf("%s lists tests that do not exist: %v", ratchet.Path, unknown)
	}
	t.Logf("daemon %s, %d tests from %s, modes %v", bin, len(cases), enc, modes)

	jobs := 16 // our daemon mostly waits: run many at once
	if external {
		jobs = 4 // ExaBGP is a CPU-hungry Python start-up
	}
	results := runEncodingCases(t, bin, cases, modes, filter, timeout, envInt("EXAGO_ENCODING_JOBS", jobs))
	var newlyPassing []string
	for _, r := range results {
		must := all || ratchet.Must(r.key())
		if r.pass && !must && !external {
			newlyPassing = append(newlyPassing, r.key())
		}
		t.Run(r.mode+"/"+r.name, func(t *testing.T) {
			reportEncoding(t, r, must, external)
		})
	}
	t.Log("\n" + encodingTable(results, ratchet, all))
	updateRatchet(t, ratchet, newlyPassing)
}

// updateRatchet appends the newly passing tests to the ratchet file when
// EXAGO_RATCHET_UPDATE=1 (the lead's call, never done by default).
func updateRatchet(t *testing.T, r *Ratchet, keys []string) {
	if os.Getenv("EXAGO_RATCHET_UPDATE") != "1" || len(keys) == 0 {
		return
	}
	if err := r.Append(keys); err != nil {
		t.Errorf("updating %s: %v", r.Path, err)
		return
	}
	t.Logf("added %d test(s) to %s", len(keys), r.Path)
}

// runEncodingCases runs every selected case in every mode, jobs at a time,
// and returns the results in (mode, name) order.
func runEncodingCases(t *testing.T, bin string, cases []encodingCase, modes []string, filter *regexp.Regexp, timeout time.Duration, jobs int) []encodingResult {
	var results []encodingResult
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, jobs)
	for _, mode := range modes {
		for _, c := range cases {
			if !filter.MatchString(mode + "/" + c.name) {
				continue
			}
			dir := t.TempDir()
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				r := runEncodingCase(t.Context(), bin, dir, c, mode, timeout)
				mu.Lock()
				results = append(results, r)
				mu.Unlock()
			}()
		}
	}
	wg.Wait()
	sort.Slice(results, func(i, j int) bool { return results[i].key() < results[j].key() })
	return results
}

func reportEncoding(t *testing.T, r encodingResult, must, external bool) {
	if r.pass {
		if !must && !external {
			t.Logf("now passes: add it to qa/encoding_pass.txt as %q", r.key())
		}
		return
	}
	msg := fmt.Sprintf("%s\n--- test peer transcript:\n%s\n--- daemon output (tail):\n%s", firstLine(r.reason), r.transcript, r.daemonLog)
	if must {
		t.Error(msg)
		return
	}
	if testing.Verbose() {
		t.Logf("not yet passing (not in qa/encoding_pass.txt): %s", msg)
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// encodingTable renders every result, one line each.
func encodingTable(results []encodingResult, ratchet *Ratchet, all bool) string {
	var b strings.Builder
	pass := 0
	fmt.Fprintf(&b, "%-8s %-32s %-6s %-9s %6s  %s\n", "MODE", "TEST", "RESULT", "REQUIRED", "TIME", "REASON")
	for _, r := range results {
		res, req := "FAIL", ""
		if r.pass {
			res = "pass"
			pass++
		}
		if all || ratchet.Must(r.key()) {
			req = "yes"
		} else if r.pass {
			req = "ADD ME"
		}
		reason := ""
		if !r.pass {
			reason = firstLine(r.reason)
			if len(reason) > 100 {
				reason = reason[:100] + "..."
			}
		}
		fmt.Fprintf(&b, "%-8s %-32s %-6s %-9s %5.1fs  %s\n", r.mode, r.name, res, req, r.took.Seconds(), reason)
	}
	fmt.Fprintf(&b, "%d/%d passed", pass, len(results))
	return b.String()
}

// runEncodingCase runs one case the way qa/bin/functional does.
func runEncodingCase(parent context.Context, bin, dir string, c encodingCase, mode string, timeout time.Duration) (r encodingResult) {
	r = encodingResult{mode: mode, name: c.name}
	start := time.Now()
	defer func() { r.took = time.Since(start) }()
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()

	network, addr := "tcp4", "127.0.0.1:0"
	if c.script.Options.IPv6 {
		network, addr = "tcp6", "[::1]:0"
	}
	ln, err := net.Listen(network, addr)
	if err != nil {
		r.reason = "test peer cannot listen: " + err.Error()
		return r
	}
	port := ln.Addr().(*net.TCPAddr).Port
	env := daemonEnv(
		"exabgp_tcp_port="+strconv.Itoa(port),
		"exabgp_tcp_bind=",
		"exabgp_tcp_connections="+strconv.Itoa(c.script.Options.Connections()),
		"exabgp_api_cli=false",
		"exabgp_debug_rotate=true",
		"exabgp_debug_configuration=true",
		"exabgp_version=5.0.0-0+test",
		"exabgp_reactor_mode="+mode,
	)
	d, err := startDaemon(bin, dir, env, append([]string{"-d", "-p"}, c.confs...))
	if err != nil {
		ln.Close()
		r.reason = "cannot start the daemon: " + err.Error()
		return r
	}
	defer func() {
		d.stop(10 * time.Second)
		r.daemonLog = tailFile(filepath.Join(dir, "daemon.log"), 60)
	}()

	var transcript lockedBuffer
	defer func() { r.transcript = transcript.String() }()
	served := make(chan error, 1)
	serveCtx, stopServe := context.WithCancel(ctx)
	defer stopServe()
	go func() {
		served <- testpeer.Serve(serveCtx, ln, c.script, testpeer.Config{Log: &transcript, Signal: d.signal})
	}()

	err = waitServe(ctx, served, d, stopServe)
	if err != nil {
		r.reason = err.Error()
		return r
	}
	// qa/bin/functional also waits for the daemon to exit on its own: after
	// exabgp_tcp_connections sessions it has nothing left to do.
	select {
	case <-d.exited:
		r.pass = true
	case <-ctx.Done():
		r.reason = fmt.Sprintf("the test peer saw every message, but the daemon did not exit by itself within %v after its %d session(s) (exabgp_tcp_connections)",
			timeout, c.script.Options.Connections())
	}
	return r
}

// daemonGrace is how long the test peer may still take, after the daemon
// exited, to process what the daemon sent before it went.
const daemonGrace = 5 * time.Second

// waitServe waits for the test peer's verdict. When the daemon exits first,
// the peer gets daemonGrace to finish with what is already received.
func waitServe(ctx context.Context, served <-chan error, d *daemon, stopServe context.CancelFunc) error {
	select {
	case err := <-served:
		return err
	case <-d.exited:
	}
	select {
	case err := <-served:
		return err
	case <-time.After(daemonGrace):
	case <-ctx.Done():
	}
	stopServe()
	err := <-served
	var f *testpeer.Failure
	if errors.As(err, &f) {
		f.Reason = "the daemon exited (" + d.exitStatus() + ") before the test completed; " + f.Reason
	}
	return err
}

// lockedBuffer is a strings.Builder safe for the peer's and our goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
