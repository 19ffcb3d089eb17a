package reactor

import (
	"flag"
	"fmt"
	"net/netip"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"exago/config"
	"exago/peer"
	"exago/wire"
)

// BenchmarkIdleSession measures what an established, idle session costs
// the daemon (GitHub issue 7, sessions scenario): n neighbors shaped like
// the benchmark harness's (qa/bench exabgpConfig, passive) run package
// peer's FSM on a reactor; the other ends are bare non-blocking sockets
// that send OPEN and KEEPALIVE and never read, so nothing on the loading
// side lives on the Go heap. Reported per session, after two GCs:
// heap-B/session (HeapInuse growth from the configured-but-unconnected
// reactor to n established sessions), peer-B/session (the same from
// before the reactor existed: peers, sessions, indexes) and
// stack-B/session. Run with -benchtime=1x.
func BenchmarkIdleSession(b *testing.B) {
	for _, n := range []int{1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) { benchIdle(b, n) })
	}
}

func benchIdle(b *testing.B, n int) {
	b.ReportAllocs()
	cfg := idleConfig(b, n)
	up := make(chan string, n)
	ev := upEvents{up: up, down: make(chan string, n)}
	base := heapNow()
	var r *Reactor
	f := func(nb *config.Neighbor, d peer.Driver) Machine {
		return peer.New(nb, d, peer.Options{Events: ev})
	}
	r, err := New(f, WithSettings(Settings{Bind: []netip.Addr{loopback}}))
	if err != nil {
		b.Fatal(err)
	}
	exit := make(chan struct{})
	go func() { _, _ = r.Run(cfg); close(exit) }()
	defer func() { r.Stop(0); <-exit }()
	port := portOf(b, r)
	configured := heapNow()
	fds := make([]int, 0, n)
	defer func() {
		for _, fd := range fds {
			unix.Close(fd)
		}
	}()
	b.ResetTimer()
	for i := 0; i < n; i++ {
		fds = append(fds, idleDial(b, host(i), port, i))
	}
	deadline := time.After(time.Minute)
	for i := 0; i < n; i++ {
		select {
		case <-up:
		case <-deadline:
			b.Fatalf("%d of %d sessions established", i, n)
		}
	}
	// Let the loop finish the turn (the settle tick) before measuring.
	done := make(chan struct{})
	r.Post(func(*Reactor) { close(done) })
	<-done
	b.StopTimer()
	idle := heapNow()
	if *idleProfile != "" {
		writeHeapProfile(b, *idleProfile)
	}
	b.ReportMetric(float64(idle.heap-configured.heap)/float64(n), "heap-B/session")
	b.ReportMetric(float64(idle.heap-base.heap)/float64(n), "peer-B/session")
	b.ReportMetric(float64(idle.stack-base.stack)/float64(n), "stack-B/session")
}

// idleProfile names a file for the heap profile of the idle sessions
// (go tool pprof -sample_index=inuse_space).
var idleProfile = flag.String("idleprofile", "", "BenchmarkIdleSession: write the idle heap profile here")

func writeHeapProfile(b *testing.B, path string) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Fatal(err)
	}
}

type heapFigures struct{ heap, stack uint64 }

func heapNow() heapFigures {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return heapFigures{heap: m.HeapInuse, stack: m.StackInuse}
}

// idleConfig is the harness's configuration for n passive neighbors.
func idleConfig(b *testing.B, n int) *config.Config {
	var t strings.Builder
	t.WriteString("template {\n  neighbor bench {\n    router-id 127.0.0.1;\n    local-address 127.0.0.1;\n" +
		"    local-as 65000;\n    peer-as 65001;\n    hold-time 90;\n    passive;\n    family {\n      ipv4 unicast;\n    }\n  }\n}\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&t, "neighbor %s {\n  inherit bench;\n}\n", host(i))
	}
	cfg, err := config.LoadText("idle.conf", t.String(), config.DefaultEnv())
	if err != nil {
		b.Fatal(err)
	}
	return cfg
}

// idleDial connects from src to the reactor and sends OPEN + KEEPALIVE;
// the socket is then left alone (the kernel buffers what comes back).
func idleDial(b *testing.B, src netip.Addr, port uint16, i int) int {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		b.Fatal(err)
	}
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: src.As4()}); err != nil {
		b.Fatal(err)
	}
	if err := unix.Connect(fd, &unix.SockaddrInet4{Addr: loopback.As4(), Port: int(port)}); err != nil {
		b.Fatal(err)
	}
	o := wire.NewOpen(65001, 90, netip.AddrFrom4([4]byte{10, 9, byte(i >> 8), byte(i)}),
		wire.Capabilities{Families: []wire.Family{wire.IPv4Unicast}, HasASN4: true, ASN4: 65001})
	msg := wire.AppendKeepalive(o.Append(nil))
	if _, err := unix.Write(fd, msg); err != nil {
		b.Fatal(err)
	}
	return fd
}
