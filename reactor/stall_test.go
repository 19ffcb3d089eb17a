package reactor

import (
	"fmt"
	"net"
	"net/netip"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"exago/config"
)

// TestNoStall is GitHub issue 4: 200 established sessions (hold 9 s) keep
// their keepalives on time while, on the same loop, one peer's listener
// never accepts, one accepts and never sends OPEN, and one stops reading
// while we flood it.
func TestNoStall(t *testing.T) {
	if testing.Short() {
		t.Skip("runs three keepalive intervals (about 10 s)")
	}
	const n = 200
	stA, stB := newFakeStats(), newFakeStats()
	passive, _ := pair(n, 0)
	b := start(t, fakeFactory(stB, 9*time.Second, nil), Settings{Bind: []netip.Addr{loopback}}, passive)
	_, active := pair(n, b.port(t))

	never := neverAccepting(t)
	silent := acceptingSilent(t)
	deaf := acceptingDeaf(t)
	bad := map[uint16]string{never: "never-accepts", silent: "never-opens", deaf: "stops-reading"}
	for port, name := range bad {
		active = append(active, &config.Neighbor{Name: name, PeerAddress: netip.PrefixFrom(loopback, 32),
			LocalAddress: netip.MustParseAddr("127.0.2.1"), Connect: port, HoldTime: 9})
	}
	flood := func(f *fakePeer) { f.flood = f.n.Name == "stops-reading" }
	start(t, fakeFactory(stA, 9*time.Second, flood), Settings{}, active)

	waitUp(t, stA, n+1) // the deaf peer establishes too
	waitUp(t, stB, n)
	// Three keepalive rounds of every session.
	deadline := time.After(waitLong)
	for i := 0; i < 3*n; i++ {
		select {
		case <-stA.ka:
		case <-deadline:
			t.Fatalf("only %d keepalives sent", i)
		}
	}
	a, bs := stA.snapshot(), stB.snapshot()
	t.Logf("worst keepalive delay %v over %d keepalives; flood pulls %d", a.worstKA, a.kaSent, a.flooded)
	// A blocked loop delays keepalives without bound; a busy machine (the
	// test shares 2 cores with other packages) by a second or two. The
	// bound is the keepalive interval of the 9 s hold time: below it no
	// session is ever at risk.
	if a.worstKA > 3*time.Second {
		t.Errorf("worst keepalive delay %v, want < 3s", a.worstKA)
	}
	if bs.holdExpired != 0 {
		t.Errorf("%d passive sessions hit their hold timer", bs.holdExpired)
	}
	if a.flooded == 0 {
		t.Errorf("the flood towards the deaf peer never ran")
	}
}

// neverAccepting listens with a backlog and never accepts.
func neverAccepting(t *testing.T) uint16 {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := unix.Listen(fd, 1); err != nil {
		t.Fatal(err)
	}
	sa, _ := unix.Getsockname(fd)
	return uint16(sa.(*unix.SockaddrInet4).Port)
}

// serve accepts on 127.0.0.1 and runs fn per connection.
func serve(t *testing.T, fn func(c net.Conn)) uint16 {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				fn(c)
				<-done
			}()
		}
	}()
	return uint16(ln.Addr().(*net.TCPAddr).Port)
}

// acceptingSilent reads and discards, never sends OPEN.
func acceptingSilent(t *testing.T) uint16 {
	return serve(t, func(c net.Conn) {
		buf := make([]byte, 4096)
		for {
			if _, err := c.Read(buf); err != nil {
				return
			}
		}
	})
}

// acceptingDeaf sends OPEN and KEEPALIVE, then never reads again.
func acceptingDeaf(t *testing.T) uint16 {
	return serve(t, func(c net.Conn) {
		_, _ = c.Write(append(fakeOpen(9), fakeKeepalive()...))
	})
}

// TestGoroutinesDoNotGrow: in reactor mode the goroutine count is the
// same with 10 and 1,000 established peers.
func TestGoroutinesDoNotGrow(t *testing.T) {
	if testing.Short() {
		t.Skip("opens 2,000 sockets")
	}
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err == nil && lim.Cur < 2500 {
		lim.Cur = min(lim.Max, 4096)
		_ = unix.Setrlimit(unix.RLIMIT_NOFILE, &lim)
		if _ = unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); lim.Cur < 2500 {
			t.Skipf("needs 2,500 file descriptors, the limit is %d", lim.Cur)
		}
	}
	count := func(n int) int {
		var g int
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			stA, stB := newFakeStats(), newFakeStats()
			passive, _ := pair(n, 0)
			b := start(t, fakeFactory(stB, 90*time.Second, nil), Settings{Bind: []netip.Addr{loopback}}, passive)
			_, active := pair(n, b.port(t))
			start(t, fakeFactory(stA, 90*time.Second, nil), Settings{}, active)
			waitUp(t, stA, n)
			waitUp(t, stB, n)
			g = runtime.NumGoroutine()
		})
		return g
	}
	g10, g1000 := count(10), count(1000)
	t.Logf("goroutines: %d with 10 peers, %d with 1000", g10, g1000)
	// A little slack for runtime housekeeping; a goroutine per peer would
	// add 990.
	if g1000 > g10+2 {
		var buf [1 << 16]byte
		t.Fatalf("goroutines grew from %d to %d\n%s", g10, g1000, strings.TrimSpace(string(buf[:runtime.Stack(buf[:], true)])))
	}
}
