package qa

// API end-to-end tests (GitHub issue 5): the daemon's helper-process API
// under volume, against bin/exabgp with emulated BGP peers (qa/bench).
//
//	TestAPIE2EAnnounce100k     a helper announces 100,000 routes; all reach
//	                           the peer and the helper gets 100,000 `done`
//	TestAPIE2ENonReadingHelper a helper that never reads its stdin receives
//	                           100,000 routes as JSON while 20 other peers
//	                           idle with hold time 9 s: no session drops, the
//	                           daemon keeps serving, the Adj-RIB-In is whole
//
// The helpers are this test binary (api_e2e_helper_test.go).

import (
	"bufio"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"exago/qa/bench"
	"exago/wire"
)

const (
	apiE2ELocalAS = 65000
	apiE2EPeerAS  = 65001
)

// apiE2EDaemon starts the daemon with configuration conf (written to
// dir/exabgp.conf), listening on 127.0.0.1:port, and stops it at cleanup
// (printing its log on failure).
func apiE2EDaemon(t *testing.T, dir string, port int, conf string) *daemon {
	t.Helper()
	bin, _ := exabgpBinary(t)
	path := filepath.Join(dir, "exabgp.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	env := daemonEnv(
		"exabgp_tcp_bind=127.0.0.1",
		"exabgp_tcp_port="+strconv.Itoa(port),
		"exabgp_api_cli=false",
		"exabgp_daemon_user=root", // helpers are run from the test's temporary build directory
		"exabgp_daemon_daemonize=false",
		"exabgp_log_level=WARNING",
		apiE2EHelperEnv+"=1",
	)
	d, err := startDaemon(bin, dir, env, []string{path})
	if err != nil {
		t.Fatalf("starting the daemon: %v", err)
	}
	t.Cleanup(func() {
		d.stop(10 * time.Second)
		if t.Failed() || testing.Verbose() {
			t.Logf("daemon (%s) output, tail:\n%s", d.exitStatus(), tailFile(filepath.Join(dir, "daemon.log"), 30))
		}
	})
	return d
}

// apiE2EFreePort is a TCP port free on 127.0.0.1 now.
func apiE2EFreePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// apiE2ENeighbor is one passive neighbor block for emulated peer i.
func apiE2ENeighbor(i int, hold int, api string) string {
	return fmt.Sprintf(`neighbor %s {
  router-id 127.0.0.1;
  local-address 127.0.0.1;
  local-as %d;
  peer-as %d;
  hold-time %d;
  passive;
  family {
    ipv4 unicast;
  }
%s}
`, bench.PeerAddr(i), apiE2ELocalAS, apiE2EPeerAS, hold, api)
}

// apiE2EWait polls cond every 20 ms until it returns true, the daemon
// exits, or timeout passes; progress describes the state for the failure
// message.
func apiE2EWait(t *testing.T, d *daemon, timeout time.Duration, what string, cond func() bool, progress func() string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		select {
		case <-d.exited:
			t.Fatalf("the daemon exited (%s) while waiting for %s: %s", d.exitStatus(), what, progress())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("timeout after %v waiting for %s: %s", timeout, what, progress())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func apiE2EStartPeers(t *testing.T, n int, hold uint16, port int) (*bench.Loadgen, func()) {
	t.Helper()
	lg := &bench.Loadgen{N: n, ASN: apiE2EPeerAS, Hold: hold,
		DUT: netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(port))}
	if err := lg.Start(); err != nil {
		t.Fatalf("starting the emulated peers: %v", err)
	}
	stop := sync.OnceFunc(lg.Stop)
	t.Cleanup(stop)
	return lg, stop
}

// TestAPIE2EAnnounce100k: once the session is up (neighbor-changes event),
// a helper writes 100,000 `announce route` commands as fast as it can; the
// peer must receive every prefix exactly once, and the helper exactly
// 100,000 `done` (api.ack is on by default) and nothing else.
func TestAPIE2EAnnounce100k(t *testing.T) {
	if testing.Short() {
		t.Skip("API end-to-end test (100,000 routes through a helper) skipped in -short mode")
	}
	const routes = 100_000
	t0 := time.Now()
	defer func() { t.Logf("wall time %v", time.Since(t0).Round(time.Millisecond)) }()
	dir := t.TempDir()
	acks := filepath.Join(dir, "acks")
	port := apiE2EFreePort(t)
	conf := fmt.Sprintf("process announcer {\n  run %s;\n  encoder json;\n}\n\n",
		apiE2EHelperRun(t, "announce", strconv.Itoa(routes), acks)) +
		apiE2ENeighbor(0, 90, "  api {\n    processes [ announcer ];\n    neighbor-changes;\n  }\n")
	d := apiE2EDaemon(t, dir, port, conf)
	lg, stopPeers := apiE2EStartPeers(t, 1, 90, port)
	s := lg.Sessions[0]

	readAcks := func() string {
		b, _ := os.ReadFile(acks)
		return strings.TrimSpace(string(b))
	}
	apiE2EWait(t, d, 50*time.Second, "100,000 prefixes at the peer and 100,000 answers at the helper",
		func() bool { return s.Prefixes.Load() >= routes && readAcks() != "" },
		func() string {
			a := readAcks()
			if a == "" {
				a = "fewer than 100,000"
			}
			return fmt.Sprintf("peer established=%v prefixes=%d; helper answers: %s", lg.Established() == 1, s.Prefixes.Load(), a)
		})
	took := time.Since(t0)
	if got, want := readAcks(), fmt.Sprintf("done=%d error=0 other=0", routes); got != want {
		t.Errorf("helper answers: got %q, want %q", got, want)
	}
	if got := s.Prefixes.Load(); got != routes {
		t.Errorf("the peer received %d prefixes, want exactly %d", got, routes)
	}
	stopPeers()
	if s.Notified != nil {
		t.Errorf("the peer got a NOTIFICATION: %v", s.Notified)
	}
	t.Logf("%d routes announced by the helper, on the wire and acknowledged in %v (%.0f routes/s)",
		routes, took.Round(time.Millisecond), routes/took.Seconds())
}

// apiE2EClient talks to the daemon's API through the relay helper.
type apiE2EClient struct {
	c net.Conn
	r *bufio.Reader
}

// command sends cmd and returns the answer's lines up to `done`; an
// `error` answer is an error.
func (c *apiE2EClient) command(cmd string, timeout time.Duration) ([]string, error) {
	c.c.SetDeadline(time.Now().Add(timeout))
	if _, err := c.c.Write([]byte(cmd + "\n")); err != nil {
		return nil, fmt.Errorf("%q: %w", cmd, err)
	}
	var lines []string
	for {
		l, err := c.r.ReadString('\n')
		if err != nil {
			return lines, fmt.Errorf("%q: after %d lines: %w", cmd, len(lines), err)
		}
		l = strings.TrimRight(l, "\n")
		switch l {
		case "done":
			return lines, nil
		case "error":
			return lines, fmt.Errorf("%q: the daemon answered error", cmd)
		}
		lines = append(lines, l)
	}
}

// apiE2ETable is the table peer 0 sends: the UPDATEs, how many there
// are, and the distinct prefixes they announce.
func apiE2ETable(t *testing.T, routes int) ([]byte, int, map[netip.Prefix]bool) {
	t.Helper()
	msgs, err := bench.TableUpdates(routes, apiE2EPeerAS, bench.PeerAddr(0))
	if err != nil {
		t.Fatal(err)
	}
	prefixes := map[netip.Prefix]bool{}
	updates, nlri := 0, 0
	for off := 0; off < len(msgs); {
		m, n, err := wire.Frame(msgs[off:], 65535)
		if err != nil || n == 0 {
			t.Fatalf("bench.TableUpdates: bad message at %d: %v", off, err)
		}
		off += n
		u, err := wire.DecodeUpdate(m.Body())
		if err != nil {
			t.Fatal(err)
		}
		updates++
		it := wire.Prefixes(u.NLRI, wire.AFIIPv4, false)
		for it.Next() {
			prefixes[it.Prefix()] = true
			nlri++
		}
	}
	if nlri != routes {
		t.Fatalf("bench.TableUpdates(%d) announces %d prefixes", routes, nlri)
	}
	return msgs, updates, prefixes
}

// TestAPIE2ENonReadingHelper: peer 0 sends 100,000 routes to the daemon,
// which writes them as JSON to a helper that never reads its stdin, while
// 20 other peers are established with hold time 9 s.
//
// ExaBGP writes to helpers with blocking writes: its whole reactor would
// stall, and the 20 sessions would expire. ExaGo (api package doc,
// api/io.go) queues a helper's output up to 8 MiB, stops reading the
// helper's commands past 4 MiB, and terminates and respawns a helper whose
// queue is full. What must hold:
//
//	(a) no session drops, and the worst keepalive gap stays below 9 s;
//	(b) the daemon stays alive and serves the API and its peers: a second,
//	    reading helper gets answers, and a route it announces reaches the
//	    20 peers;
//	(c) nothing ExaBGP keeps is lost: the sender's session stays up and
//	    every one of its routes is in the Adj-RIB-In (`show adj-rib in`);
//	    the non-reading helper is restarted when its queue fills, as
//	    documented, and never more often than ExaBGP's respawn limit.
func TestAPIE2ENonReadingHelper(t *testing.T) {
	if testing.Short() {
		t.Skip("API end-to-end test (non-reading helper under 100,000 routes, 21 peers) skipped in -short mode")
	}
	const (
		routes = 100_000
		idle   = 20 // peers that only keep their session up
		hold   = 9
	)
	t0 := time.Now()
	defer func() { t.Logf("wall time %v", time.Since(t0).Round(time.Millisecond)) }()
	msgs, updates, prefixes := apiE2ETable(t, routes)

	dir := t.TempDir()
	starts := filepath.Join(dir, "silent-starts")
	if err := os.Mkdir(starts, 0o755); err != nil {
		t.Fatal(err)
	}
	sock, connect := apiE2EListenRelay(t, dir)

	var conf strings.Builder
	fmt.Fprintf(&conf, "process silent {\n  run %s;\n  encoder json;\n}\n\n", apiE2EHelperRun(t, "silent", starts))
	fmt.Fprintf(&conf, "process relay {\n  run %s;\n  encoder text;\n}\n\n", apiE2EHelperRun(t, "relay", sock))
	conf.WriteString(apiE2ENeighbor(0, hold, "  api {\n    processes [ silent ];\n    receive {\n      parsed;\n      update;\n    }\n  }\n"))
	for i := 1; i <= idle; i++ {
		conf.WriteString(apiE2ENeighbor(i, hold, "  api {\n    processes [ relay ];\n  }\n"))
	}
	port := apiE2EFreePort(t)
	d := apiE2EDaemon(t, dir, port, conf.String())

	api := connect(d) // the relay helper connects back to us

	lg, stopPeers := apiE2EStartPeers(t, 1+idle, hold, port)
	apiE2EWait(t, d, 30*time.Second, "every session established",
		func() bool { return lg.Established() == 1+idle },
		func() string { return fmt.Sprintf("%d/%d established", lg.Established(), 1+idle) })
	tUp := time.Now()

	// Peer 0 sends its table; the daemon has to read it all.
	sent := make(chan error, 1)
	go func() { sent <- lg.Sessions[0].Write(msgs) }()

	// The daemon's own count of UPDATEs received from peer 0 (`show
	// neighbor summary`, last column) tells when it has read them all.
	var lastSummary []string
	recvd := func() int {
		lines, err := api.command("show neighbor "+bench.PeerAddr(0).String()+" summary", 20*time.Second)
		if err != nil {
			t.Fatalf("the daemon stopped serving the API: %v", err)
		}
		lastSummary = lines
		for _, l := range lines {
			f := strings.Fields(l)
			if len(f) > 2 && f[0] == bench.PeerAddr(0).String() {
				n, _ := strconv.Atoi(f[len(f)-1])
				return n
			}
		}
		return -1
	}
	apiE2EWait(t, d, 45*time.Second, fmt.Sprintf("the daemon to receive the %d UPDATEs of peer 0", updates),
		func() bool { time.Sleep(250 * time.Millisecond); return recvd() >= updates },
		func() string { return fmt.Sprintf("show neighbor summary: %q", lastSummary) })
	select {
	case err := <-sent:
		if err != nil {
			t.Fatalf("peer 0 could not send its table: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("peer 0 is still writing its table after the daemon counted every UPDATE")
	}
	tRecv := time.Since(tUp)

	// (c) the Adj-RIB-In holds every route of peer 0, with its next hop.
	// (Polled: the UPDATE counter may run ahead of the RIB by a little.)
	var got map[netip.Prefix]bool
	var bad, missing []string
	var lines []string
	adjRIBIn := func() bool {
		var err error
		lines, err = api.command("show adj-rib in "+bench.PeerAddr(0).String(), 30*time.Second)
		if err != nil {
			t.Fatalf("show adj-rib in: %v", err)
		}
		got, bad, missing = make(map[netip.Prefix]bool, len(lines)), nil, nil
		for _, l := range lines {
			// 127.1.0.1 ipv4 unicast 20.0.0.0/16 next-hop 127.1.0.1
			f := strings.Fields(l)
			var p netip.Prefix
			if len(f) >= 6 && f[0] == bench.PeerAddr(0).String() && f[4] == "next-hop" && f[5] == bench.PeerAddr(0).String() {
				p, _ = netip.ParsePrefix(f[3])
			}
			if !p.IsValid() || got[p] {
				if len(bad) < 5 {
					bad = append(bad, l)
				}
				continue
			}
			got[p] = true
		}
		for p := range prefixes {
			if !got[p] && len(missing) < 5 {
				missing = append(missing, p.String())
			}
		}
		return len(bad) == 0 && len(missing) == 0 && len(got) == len(prefixes)
	}
	apiE2EWait(t, d, 30*time.Second, "every route of "+bench.PeerAddr(0).String()+" in the Adj-RIB-In",
		func() bool {
			if adjRIBIn() {
				return true
			}
			time.Sleep(time.Second)
			return false
		},
		func() string {
			return fmt.Sprintf("%d lines, %d distinct prefixes, want the %d sent; unexpected lines (e.g.) %q; missing (e.g.) %v",
				len(lines), len(got), len(prefixes), bad, missing)
		})

	// (b) the daemon still serves: a route announced through the API
	// reaches the 20 idle peers.
	if _, err := api.command("announce route 192.0.2.0/24 next-hop 127.0.0.1", 20*time.Second); err != nil {
		t.Fatalf("announce through the reading helper: %v", err)
	}
	apiE2EWait(t, d, 20*time.Second, "the API route at the 20 idle peers",
		func() bool {
			for _, s := range lg.Sessions[1:] {
				if s.Prefixes.Load() < 1 {
					return false
				}
			}
			return true
		},
		func() string {
			n := 0
			for _, s := range lg.Sessions[1:] {
				if s.Prefixes.Load() >= 1 {
					n++
				}
			}
			return fmt.Sprintf("%d/%d peers have it", n, idle)
		})

	// Keep the sessions under watch for at least one hold time after they
	// came up, so that a stall of the reactor shows as a keepalive gap.
	for time.Since(tUp) < hold*time.Second+time.Second {
		time.Sleep(100 * time.Millisecond)
	}
	select {
	case <-d.exited:
		t.Fatalf("the daemon exited: %s", d.exitStatus())
	default:
	}
	if _, err := api.command("show neighbor summary", 20*time.Second); err != nil {
		t.Fatalf("the daemon stopped serving the API: %v", err)
	}
	stopPeers()

	// (a) no session dropped, keepalives kept coming.
	var worst time.Duration
	for _, s := range lg.Sessions {
		if s.Notified != nil {
			t.Errorf("peer %s got a NOTIFICATION: %v", s.Addr, s.Notified)
		}
		if s.Err != nil {
			t.Errorf("peer %s: session error: %v", s.Addr, s.Err)
		}
		if s.WorstGap >= hold*time.Second {
			t.Errorf("peer %s: %v without a message from the daemon (hold time %ds)", s.Addr, s.WorstGap.Round(time.Millisecond), hold)
		}
		worst = max(worst, s.WorstGap)
	}

	// (c) the non-reading helper: restarted when its queue filled, within
	// the respawn limit (the daemon is still alive, checked above).
	ents, _ := os.ReadDir(starts)
	log, _ := os.ReadFile(filepath.Join(dir, "daemon.log"))
	restarts := strings.Count(string(log), "is not reading its input, restarting it")
	paused := strings.Count(string(log), "is slow to read its input, pausing its commands")
	if len(ents) != 1+restarts {
		t.Errorf("the non-reading helper started %d times, but the daemon logged %d restarts for it", len(ents), restarts)
	}
	if restarts == 0 {
		t.Errorf("the non-reading helper was never restarted, yet the JSON of %d UPDATEs is far more than the 8 MiB output limit: are events lost?", updates)
	}
	if restarts > 0 && paused == 0 {
		t.Errorf("the daemon restarted the non-reading helper without pausing it first")
	}
	t.Logf("%d UPDATEs (%d routes, %d distinct prefixes) received in %v; Adj-RIB-In %d routes; worst keepalive gap %v over %d peers; non-reading helper started %d times (%d restarts, %d pauses logged)",
		updates, routes, len(prefixes), tRecv.Round(time.Millisecond), len(got), worst.Round(time.Millisecond), 1+idle, len(ents), restarts, paused)
}

// apiE2EListenRelay starts the unix socket the relay helper connects to and
// returns its path and a function that waits for the connection.
func apiE2EListenRelay(t *testing.T, dir string) (string, func(d *daemon) *apiE2EClient) {
	t.Helper()
	sock := filepath.Join(dir, "relay.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- c
		}
	}()
	return sock, func(d *daemon) *apiE2EClient {
		t.Helper()
		select {
		case c := <-accepted:
			t.Cleanup(func() { c.Close() })
			return &apiE2EClient{c: c, r: bufio.NewReaderSize(c, 1<<20)}
		case <-d.exited:
			t.Fatalf("the daemon exited (%s) before starting its helpers", d.exitStatus())
		case <-time.After(30 * time.Second):
			t.Fatal("the relay helper did not connect within 30 s")
		}
		return nil
	}
}

// TestAPIE2EShowAdjRIBLarge: `show adj-rib in` of a table whose text is
// larger than a helper's 8 MiB output limit (169,661 routes, ~9.5 MB)
// must reach the helper that asked, as ExaBGP streams it (command/rib.py
// yields per route, processes.write blocks); ExaGo streams it too
// (api/stream.go), within the limit.
func TestAPIE2EShowAdjRIBLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("API end-to-end test (show adj-rib in of 169,661 routes) skipped in -short mode")
	}
	const routes = 300_000
	t0 := time.Now()
	defer func() { t.Logf("wall time %v", time.Since(t0).Round(time.Millisecond)) }()
	msgs, updates, prefixes := apiE2ETable(t, routes)
	dir := t.TempDir()
	sock, connect := apiE2EListenRelay(t, dir)
	conf := fmt.Sprintf("process relay {\n  run %s;\n  encoder text;\n}\n\n", apiE2EHelperRun(t, "relay", sock)) +
		apiE2ENeighbor(0, 90, "  api {\n    processes [ relay ];\n  }\n")
	port := apiE2EFreePort(t)
	d := apiE2EDaemon(t, dir, port, conf)
	api := connect(d)
	lg, _ := apiE2EStartPeers(t, 1, 90, port)
	apiE2EWait(t, d, 30*time.Second, "the session established",
		func() bool { return lg.Established() == 1 }, func() string { return "not established" })
	sent := make(chan error, 1)
	go func() { sent <- lg.Sessions[0].Write(msgs) }()
	var last []string
	apiE2EWait(t, d, 45*time.Second, fmt.Sprintf("the daemon to receive the %d UPDATEs", updates),
		func() bool {
			time.Sleep(250 * time.Millisecond)
			var err error
			if last, err = api.command("show neighbor summary", 20*time.Second); err != nil {
				t.Fatalf("the daemon stopped serving the API: %v", err)
			}
			for _, l := range last {
				if f := strings.Fields(l); len(f) > 2 && f[0] == bench.PeerAddr(0).String() {
					n, _ := strconv.Atoi(f[len(f)-1])
					return n >= updates
				}
			}
			return false
		},
		func() string { return fmt.Sprintf("show neighbor summary: %q", last) })
	if err := <-sent; err != nil {
		t.Fatalf("peer 0 could not send its table: %v", err)
	}

	lines, err := api.command("show adj-rib in", 30*time.Second)
	size := 0
	got := make(map[string]bool, len(lines))
	for _, l := range lines {
		size += len(l) + 1
		if f := strings.Fields(l); len(f) >= 4 {
			got[f[3]] = true
		}
	}
	var missing []string
	for p := range prefixes {
		if !got[p.String()] && len(missing) < 5 {
			missing = append(missing, p.String())
		}
	}
	t.Logf("show adj-rib in: %d lines (%d bytes) for %d routes in the Adj-RIB-In; err %v", len(lines), size, len(prefixes), err)
	if err == nil && len(missing) == 0 {
		return
	}
	t.Fatalf("show adj-rib in: %d of %d routes (%v); missing e.g. %v", len(got), len(prefixes), err, missing)
}
