package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ExaGo is this project's daemon, in reactor mode or sync mode.
type ExaGo struct {
	Bin  string
	Sync bool
}

func (d *ExaGo) Name() string {
	if d.Sync {
		return "exago-sync"
	}
	return "exago"
}

func (d *ExaGo) Available() error {
	if d.Bin == "" {
		d.Bin = "bin/exabgp"
	}
	_, err := os.Stat(d.Bin)
	return err
}

func (d *ExaGo) Supports(string) error { return nil }

func (d *ExaGo) Start(s *Setup) (*Proc, error) {
	conf := filepath.Join(s.Dir, "exago.conf")
	if err := os.WriteFile(conf, exabgpConfig(s, true), 0o644); err != nil {
		return nil, err
	}
	env := exabgpEnv(s)
	if d.Sync {
		env = append(env, "exabgp_reactor_mode=sync")
	}
	bin, _ := filepath.Abs(d.Bin)
	return start(s, d.Name(), env, bin, "server", conf)
}

// ExaBGP is the Python daemon (Debian's exabgp 4.2, or a 5.0 checkout's
// sbin/exabgp given with -bin).
type ExaBGP struct{ Bin string }

func (d *ExaBGP) Name() string { return "exabgp" }

func (d *ExaBGP) Available() error {
	b, err := findBin(d.Bin, "exabgp")
	d.Bin = b
	return err
}

func (d *ExaBGP) Supports(string) error { return nil }

func (d *ExaBGP) Start(s *Setup) (*Proc, error) {
	conf := filepath.Join(s.Dir, "exabgp.conf")
	if err := os.WriteFile(conf, exabgpConfig(s, false), 0o644); err != nil {
		return nil, err
	}
	return start(s, d.Name(), exabgpEnv(s), d.Bin, conf)
}

func exabgpEnv(s *Setup) []string {
	env := []string{
		fmt.Sprintf("exabgp_tcp_port=%d", s.Port),
		"exabgp_api_cli=false", "exabgp_log_level=WARNING", "exabgp_daemon_daemonize=false",
		"exabgp_api_ack=false",
	}
	if s.DUTAccepts {
		env = append(env, "exabgp_tcp_bind=127.0.0.1")
	} else {
		env = append(env, "exabgp_tcp_bind=")
	}
	return env
}

// exabgpConfig writes ExaBGP's grammar (5.0; the subset 4.2 also takes).
// Routes are shared through a template so the file stays small.
func exabgpConfig(s *Setup, v5 bool) []byte {
	var b strings.Builder
	if s.Helper != "" {
		fmt.Fprintf(&b, "process bench {\n  run %s;\n  encoder json;\n}\n\n", s.Helper)
	}
	b.WriteString("template {\n  neighbor bench {\n")
	fmt.Fprintf(&b, "    router-id 127.0.0.1;\n    local-address 127.0.0.1;\n    local-as %d;\n    peer-as %d;\n    hold-time %d;\n", s.LocalAS, s.PeerAS, s.Hold)
	if s.DUTAccepts {
		b.WriteString("    passive;\n")
	}
	b.WriteString("    family {\n      ipv4 unicast;\n    }\n")
	if s.Helper != "" {
		b.WriteString("    api {\n      processes [ bench ];\n")
		if s.HelperRecv {
			b.WriteString("      receive {\n        parsed;\n        update;\n      }\n")
		}
		b.WriteString("    }\n")
	}
	if s.Routes > 0 {
		b.WriteString("    static {\n")
		for i := 0; i < s.Routes; i++ {
			fmt.Fprintf(&b, "      route %s next-hop 127.0.0.1;\n", RoutePrefix(i))
		}
		b.WriteString("    }\n")
	}
	b.WriteString("  }\n}\n\n")
	for i := 0; i < s.N; i++ {
		fmt.Fprintf(&b, "neighbor %s {\n  inherit bench;\n}\n", PeerAddr(i))
	}
	return []byte(b.String())
}

// RoutePrefix is the i-th route of the inject scenario: a /24 in 10/8,
// then 11/8, ...
func RoutePrefix(i int) string {
	return fmt.Sprintf("%d.%d.%d.0/24", 10+i/65536, i/256%256, i%256)
}

// StaticConfig is one neighbor with n static routes (each with MED,
// AS path and two communities): the configuration the 100,000-route
// parse figures in README are measured on, for ExaGo and ExaBGP alike.
func StaticConfig(n int) []byte {
	var b strings.Builder
	b.WriteString("neighbor 127.0.0.1 {\n router-id 10.0.0.1;\n local-address 127.0.0.1;\n local-as 65000;\n peer-as 65001;\n family { ipv4 unicast; }\n static {\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  route 10.%d.%d.%d/32 next-hop 192.0.2.1 med 100 as-path [ 65001 65002 ] community [ 65000:1 65000:2 ];\n", i>>16&255, i>>8&255, i&255)
	}
	b.WriteString(" }\n}\n")
	return []byte(b.String())
}
