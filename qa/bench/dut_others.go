package bench

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
	mrt := filepath.Join(s.Dir, "table.mrt")
	if err := WriteMRT(mrt, s.Routes, netip.MustParseAddr("127.0.0.1")); err != nil {
		p.Stop()
		return nil, err
	}
	cli, err := findBin("", "gobgp")
	if err != nil {
		p.Stop()
		return nil, err
	}
	// The harness, not the DUT, retries until gobgpd's gRPC port is up.
	go func() {
		for i := 0; i < 100; i++ {
			out, err := exec.Command(cli, "-p", fmt.Sprint(grpc), "mrt", "inject", "global", mrt).CombinedOutput()
			if err == nil {
				return
			}
			if i == 99 {
				os.WriteFile(filepath.Join(s.Dir, "inject.err"), out, 0o644)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	return p, nil
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
	if sc == "receive" || sc == "api" {
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
