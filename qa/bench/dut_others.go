package bench

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// GoBGP is gobgpd (Debian's gobgpd package), configured with TOML.
type GoBGP struct{ Bin string }

func (d *GoBGP) Name() string { return "gobgp" }

func (d *GoBGP) Available() error {
	b, err := findBin(d.Bin, "gobgpd")
	d.Bin = b
	return err
}

// Supports: gobgpd has no helper-process API; for inject, the table goes
// in as an MRT dump through its gRPC API (`gobgp mrt inject global`).
func (d *GoBGP) Supports(sc string) error {
	if sc == "sessions" || sc == "inject" {
		return nil
	}
	return errors.New("gobgpd has no helper-process API")
}

func (d *GoBGP) Start(s *Setup) (*Proc, error) {
	var b strings.Builder
	port := -1
	if s.DUTAccepts {
		port = s.Port
	}
	fmt.Fprintf(&b, "[global.config]\n  as = %d\n  router-id = \"127.0.0.1\"\n  port = %d\n  local-address-list = [\"127.0.0.1\"]\n\n", s.LocalAS, port)
	for i := 0; i < s.N; i++ {
		fmt.Fprintf(&b, "[[neighbors]]\n  [neighbors.config]\n    neighbor-address = %q\n    peer-as = %d\n", PeerAddr(i), s.PeerAS)
		fmt.Fprintf(&b, "  [neighbors.timers.config]\n    hold-time = %d\n    keepalive-interval = %d\n", s.Hold, s.Hold/3)
		fmt.Fprintf(&b, "  [neighbors.transport.config]\n    passive-mode = %v\n    local-address = \"127.0.0.1\"\n    remote-port = %d\n", s.DUTAccepts, s.Port)
		b.WriteString("  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = \"ipv4-unicast\"\n")
	}
	conf := filepath.Join(s.Dir, "gobgpd.toml")
	if err := os.WriteFile(conf, []byte(b.String()), 0o644); err != nil {
		return nil, err
	}
	grpc := freePort()
	p, err := start(s, d.Name(), nil, d.Bin, "-f", conf, "-l", "warn", "--api-hosts", fmt.Sprintf("127.0.0.1:%d", grpc))
	if err != nil || s.Routes == 0 {
		return p, err
	}
	table := AppendMRT(nil, s.Routes, netip.MustParseAddr("127.0.0.1"))
	cli, err := findBin("", "gobgp")
	if err != nil {
		p.Stop()
		return nil, err
	}
	api := fmt.Sprint(grpc)
	p.diag = func() string {
		out, _ := exec.Command(cli, "-p", api, "global", "rib", "summary").CombinedOutput()
		return "gobgpd's global table: " + strings.Join(strings.Fields(string(out)), " ")
	}
	written := make(chan struct{})
	go feedGoBGP(p, cli, api, s.Dir, table, written)
	// The other DUTs read their routes from configuration before any
	// peer connects; gobgpd gets its table before the generator starts
	// too. (Injected while 100 peers are up, each path goes out on its
	// own: 16,110 of 100,000 were in gobgpd's table after 3 minutes.)
	// Asking for the table's size costs gobgpd dearly (asked every 50 ms,
	// the 100,000-route load took 93 s instead of 19 s): ask only once the
	// command has read the whole file, and then every 200 ms.
	t0 := time.Now()
	for {
		select {
		case <-written:
		case <-time.After(50 * time.Millisecond):
			if err := setupFailed(p, s, t0); err != nil {
				p.Stop()
				return nil, fmt.Errorf("loading the table into gobgpd: %w", err)
			}
			continue
		}
		break
	}
	for ; ; time.Sleep(200 * time.Millisecond) {
		out, _ := exec.Command(cli, "-p", api, "global", "rib", "summary").CombinedOutput()
		n, _ := ribDestinations(string(out))
		if n >= s.Routes {
			return p, nil
		}
		if err := setupFailed(p, s, t0); err != nil {
			p.Stop()
			return nil, fmt.Errorf("loading the table into gobgpd: %d/%d routes in its table: %w", n, s.Routes, err)
		}
	}
}

// setupFailed says why a DUT that is still loading its table will not
// finish (nil while it may).
func setupFailed(p *Proc, s *Setup, t0 time.Time) error {
	if err := p.Failed(); err != nil {
		return err
	}
	if !alive(p.Pid()) {
		return fmt.Errorf("the DUT exited; log: %s", p.Tail(5))
	}
	if s.Timeout > 0 && time.Since(t0) > s.Timeout {
		return fmt.Errorf("timeout after %v", s.Timeout)
	}
	return nil
}

// ribDestinations reads the destination count from the output of
// `gobgp global rib summary` ("… Destination: 9678, Path: 9678").
func ribDestinations(out string) (int, bool) {
	_, rest, ok := strings.Cut(out, "Destination:")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.Fields(rest + " x")[0], ",")))
	return n, err == nil
}

// feedGoBGP gives gobgpd its table with `gobgp mrt inject global FILE`.
// That command (gobgp 3.x) returns once it has queued the last path on
// its gRPC stream, without waiting for gobgpd to read it: the client
// exits, the stream is reset, and whatever gobgpd had not read yet is
// lost (of 10,000 routes, gobgpd's table held 9,317 to 9,678, always
// missing the tail of the file). So FILE is a FIFO that the harness holds
// open, read end included, until the run ends: the command waits for more
// input, its stream stays up, and gobgpd reads every path. Closing the
// FIFO at Stop gives the command its EOF.
func feedGoBGP(p *Proc, cli, port, dir string, table []byte, written chan struct{}) {
	// The harness, not the DUT, waits: gobgpd serves gRPC before it has
	// read its configuration, and refuses paths (the stream ends with
	// EOF) until its global AS is set.
	for i := 0; ; i++ {
		out, err := exec.Command(cli, "-p", port, "global").CombinedOutput()
		if err == nil && strings.Contains(string(out), "AS:") {
			break
		}
		if i == 200 || !alive(p.Pid()) {
			p.fail(fmt.Errorf("gobgpd's global configuration never came up (%v): %s", err, strings.TrimSpace(string(out))))
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	var errs []string
	for attempt := 1; attempt <= 3; attempt++ {
		err := injectOnce(p, cli, port, filepath.Join(dir, fmt.Sprintf("table-%d.mrt", attempt)), table, written)
		if err == nil {
			return
		}
		errs = append(errs, fmt.Sprintf("attempt %d: %v", attempt, err))
		os.WriteFile(filepath.Join(dir, "inject.err"), []byte(strings.Join(errs, "\n")+"\n"), 0o644)
		if !alive(p.Pid()) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	p.fail(fmt.Errorf("`gobgp mrt inject global` failed: %s", strings.Join(errs, "; ")))
}

// injectOnce runs the command on a new FIFO holding table. It returns nil
// once the command has read the whole table (closing written), or the
// command's failure.
func injectOnce(p *Proc, cli, port, fifo string, table []byte, written chan struct{}) error {
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		return err
	}
	// O_RDWR: the open does not wait for a reader, and a writer stays.
	f, err := os.OpenFile(fifo, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	cmd := exec.Command(cli, "-p", port, "mrt", "inject", "global", fifo)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		f.Close()
		return err
	}
	var stopping atomic.Bool
	exited := make(chan struct{})
	var waitErr error
	go func() {
		waitErr = cmd.Wait()
		f.Close() // unblocks the Write below
		close(exited)
	}()
	// Write returns once the command has read the table, or the FIFO is
	// closed because it exited.
	if _, err := f.Write(table); err != nil {
		<-exited
		return fmt.Errorf("exited before reading the table (%v): %s", waitErr, strings.TrimSpace(out.String()))
	}
	close(written)
	p.onStop(func() {
		stopping.Store(true)
		f.Close()
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	})
	go func() {
		<-exited
		if !stopping.Load() {
			p.fail(fmt.Errorf("`gobgp mrt inject global` exited before the run ended (%v): %s", waitErr, strings.TrimSpace(out.String())))
		}
	}()
	return nil
}

// BIRD is BIRD 2 (Debian's bird2 package).
type BIRD struct{ Bin string }

func (d *BIRD) Name() string { return "bird" }

func (d *BIRD) Available() error {
	b, err := findBin(d.Bin, "bird")
	d.Bin = b
	return err
}

// Supports: BIRD has no helper-process API.
func (d *BIRD) Supports(sc string) error {
	if sc == "receive" || sc == "api" || sc == "inject-api" {
		return errors.New("BIRD has no helper-process API")
	}
	return nil
}

func (d *BIRD) Start(s *Setup) (*Proc, error) {
	var b strings.Builder
	b.WriteString("router id 127.0.0.1;\nlog stderr { warning, error, fatal };\nprotocol device {}\n")
	if s.Routes > 0 {
		b.WriteString("protocol static bench_routes {\n  ipv4;\n")
		for i := 0; i < s.Routes; i++ {
			fmt.Fprintf(&b, "  route %s blackhole;\n", RoutePrefix(i))
		}
		b.WriteString("}\n")
	}
	// BIRD always listens; when it connects out, keep its listener off
	// the port our generator listens on.
	listen := s.Port
	if !s.DUTAccepts {
		listen = s.Port + 1
	}
	for i := 0; i < s.N; i++ {
		fmt.Fprintf(&b, "protocol bgp p%d {\n  local 127.0.0.1 port %d as %d;\n  neighbor %s port %d as %d;\n  multihop;\n  hold time %d;\n  connect delay time 1;\n  error wait time 1, 5;\n",
			i, listen, s.LocalAS, PeerAddr(i), s.Port, s.PeerAS, s.Hold)
		if s.DUTAccepts {
			b.WriteString("  passive on;\n")
		}
		b.WriteString("  ipv4 { import all; export all; next hop self; };\n}\n")
	}
	conf := filepath.Join(s.Dir, "bird.conf")
	if err := os.WriteFile(conf, []byte(b.String()), 0o644); err != nil {
		return nil, err
	}
	sock := filepath.Join(s.Dir, "bird.ctl")
	return start(s, d.Name(), nil, d.Bin, "-f", "-c", conf, "-s", sock)
}
