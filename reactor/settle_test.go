package reactor

import (
	"encoding/binary"
	"io"
	"net"
	"net/netip"
	"testing"
	"time"

	"exago/config"
	"exago/qa/testpeer"
	"exago/wire"
)

// readMessage reads one BGP message (header included) from c.
func readMessage(t *testing.T, c net.Conn) []byte {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(waitLong))
	h := make([]byte, 19)
	if _, err := io.ReadFull(c, h); err != nil {
		t.Fatalf("reading a message: %v", err)
	}
	m := make([]byte, binary.BigEndian.Uint16(h[16:18]))
	copy(m, h)
	if _, err := io.ReadFull(c, m[19:]); err != nil {
		t.Fatalf("reading a message: %v", err)
	}
	return m
}

// onePeer listens where a single real neighbor (hold time 9 s) connects to.
func onePeer(t *testing.T) (net.Listener, *config.Neighbor, upEvents) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	port := uint16(ln.Addr().(*net.TCPAddr).Port)
	n := &config.Neighbor{Name: "neighbor 127.0.0.1", PeerAddress: netip.PrefixFrom(loopback, 32),
		LocalAddress: loopback, Connect: port, HoldTime: 9, Families: []wire.Family{wire.IPv4Unicast}}
	realNeighbors([]*config.Neighbor{n}, 1)
	return ln, n, upEvents{up: make(chan string, 4), down: make(chan string, 4)}
}

// establishOn accepts the neighbor's connection on ln, answers its OPEN
// with an OPEN and a KEEPALIVE and waits until the session is up.
func establishOn(t *testing.T, ln net.Listener, ev upEvents) net.Conn {
	t.Helper()
	_ = ln.(*net.TCPListener).SetDeadline(time.Now().Add(waitLong))
	c, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	reply, err := testpeer.OpenReply(readMessage(t, c), 0, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write(append(reply, testpeer.Keepalive()...)); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ev.up:
	case r := <-ev.down:
		t.Fatalf("session down: %s", r)
	case <-time.After(waitLong):
		t.Fatal("session not established")
	}
	return c
}

// TestSettleAfterEstablished: a message the peer sends right behind its
// KEEPALIVE, but in a later segment (here: only once the session is up),
// is read before the first UPDATE goes out, as ExaBGP's qa
// `unknown-message` test expects: the answer to a type-255 message is the
// NOTIFICATION 1/3, with no End-of-RIB before it. The clock is fake and
// never moves, so the settle never ends on its own.
func TestSettleAfterEstablished(t *testing.T) {
	for _, mode := range []string{"reactor", "sync"} {
		t.Run(mode, func(t *testing.T) { testSettle(t, mode) })
	}
}

func testSettle(t *testing.T, mode string) {
	ln, n, ev := onePeer(t)
	opts := []Option{WithClock(newFakeClock())}
	var run Runner
	if mode == "sync" {
		run = NewSync(realFactory(ev), opts...)
	} else {
		r, err := New(realFactory(ev), opts...)
		if err != nil {
			t.Fatal(err)
		}
		run = r
	}
	drive(t, run, []*config.Neighbor{n})
	c := establishOn(t, ln, ev)
	if _, err := c.Write(testpeer.UnknownMessage()); err != nil {
		t.Fatal(err)
	}
	for {
		m := readMessage(t, c)
		switch m[18] {
		case 4: // KEEPALIVE
			continue
		case 3:
			if m[19] != 1 || m[20] != 3 {
				t.Fatalf("NOTIFICATION %d/%d, want 1/3", m[19], m[20])
			}
			return
		default:
			t.Fatalf("message type %d sent before the NOTIFICATION: % x", m[18], m)
		}
	}
}
