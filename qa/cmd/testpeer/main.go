// Command testpeer is ExaGo's BGP test peer (package exago/qa/testpeer), a
// Go stand-in for ExaBGP's qa/sbin/bgp.
//
//	go run ./qa/cmd/testpeer [--port N] [--ipv6] [--pid PID] [--timeout D] FILE.msg
//	go run ./qa/cmd/testpeer --sink|--echo|--show [--port N] [--ipv6] [--asn N]
//
// With a .msg file it waits for the daemon to connect and runs the script;
// it prints "successful" and exits 0 when every rule was met, and exits 1
// with what it expected and what it got otherwise. signal: rules go to
// --pid. --sink answers every message with a KEEPALIVE, --echo sends it
// back, --show is --sink printing each message decoded. The port defaults
// to $exabgp_tcp_port, as qa/sbin/bgp's does.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"exago/qa/testpeer"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	fs := flag.NewFlagSet("testpeer", flag.ContinueOnError)
	port := fs.Int("port", defaultPort(), "TCP port to listen on (default $exabgp_tcp_port, else 179)")
	ipv6 := fs.Bool("ipv6", false, "listen on ::1 instead of 127.0.0.1")
	addr := fs.String("listen", "", "address to listen on (overrides --ipv6)")
	pid := fs.Int("pid", 0, "process to send signal: rules to")
	asn := fs.Uint("asn", 0, "ASN to answer with (default: echo the daemon's)")
	timeout := fs.Duration("timeout", 0, "give up after this long (0: never; --show/--sink/--echo stop cleanly)")
	sink := fs.Bool("sink", false, "accept anything, answer with KEEPALIVEs")
	echo := fs.Bool("echo", false, "send every message back")
	show := fs.Bool("show", false, "like --sink, printing each message decoded")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	script, mode, err := loadScript(fs.Args(), *sink, *echo, *show)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testpeer:", err)
		return 2
	}
	if *asn > 0xFFFF {
		fmt.Fprintln(os.Stderr, "testpeer: --asn must be 0 to 65535 (the OPEN's 2-byte field)")
		return 2
	}
	if *asn != 0 {
		script.Options.ASN = uint32(*asn)
	}
	host := "127.0.0.1"
	if *ipv6 || script.Options.IPv6 {
		host = "::1"
	}
	if *addr != "" {
		host = *addr
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(*port)))
	if err != nil {
		fmt.Fprintln(os.Stderr, "testpeer:", err)
		return 1
	}
	fmt.Printf("testpeer listening on %s\n", ln.Addr())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *timeout)
		defer cancel()
	}
	cfg := testpeer.Config{Mode: mode, Log: os.Stdout, Signal: signaller(*pid), BumpRouterID: mode != testpeer.ModeCheck}
	if err := testpeer.Serve(ctx, ln, script, cfg); err != nil {
		return 1 // Serve printed the failure and "failed"
	}
	return 0 // in ModeCheck Serve printed "successful"
}

func loadScript(args []string, sink, echo, show bool) (*testpeer.Script, testpeer.Mode, error) {
	modes := 0
	mode := testpeer.ModeCheck
	for _, m := range []struct {
		on   bool
		mode testpeer.Mode
	}{{sink, testpeer.ModeSink}, {echo, testpeer.ModeEcho}, {show, testpeer.ModeShow}} {
		if m.on {
			modes++
			mode = m.mode
		}
	}
	switch {
	case modes > 1:
		return nil, 0, fmt.Errorf("choose one of --sink, --echo and --show")
	case modes == 1 && len(args) == 0:
		return &testpeer.Script{Name: "(none)"}, mode, nil
	case len(args) != 1:
		return nil, 0, fmt.Errorf("want one .msg file (or --sink, --echo, --show)")
	}
	s, err := testpeer.ReadScript(args[0])
	return s, mode, err
}

func defaultPort() int {
	for _, k := range []string{"exabgp.tcp.port", "exabgp_tcp_port"} {
		if p, err := strconv.Atoi(os.Getenv(k)); err == nil {
			return p
		}
	}
	return 179
}

// signaller sends signal: rules to pid.
func signaller(pid int) func(string) error {
	return func(name string) error {
		if pid <= 0 {
			return fmt.Errorf("no --pid given to send %s to", name)
		}
		sig := unix.SignalNum(strings.ToUpper(name))
		if sig == 0 {
			return fmt.Errorf("unknown signal %q", name)
		}
		fmt.Printf("sending signal %s to pid %d at %s\n", name, pid, time.Now().Format(time.TimeOnly))
		return syscall.Kill(pid, sig)
	}
}
