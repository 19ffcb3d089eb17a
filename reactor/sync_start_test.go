package reactor

import (
	"net"
	"net/netip"
	"testing"
	"time"
)

// TestSyncIncomingBeforeStart: while the helpers start (the started hook)
// the peers exist but have not started; a connection the peer opens then
// is refused with Cease 6/3, as before the peers existed (and as during
// tcp.delay), instead of being handed to a peer that Start then resets
// (its FSM back to Active with a transport already in OpenSent).
func TestSyncIncomingBeforeStart(t *testing.T) {
	st := newFakeStats()
	passive, _ := pair(1, 0)
	var y *Sync
	var got []byte
	var dialErr error
	y = NewSync(fakeFactory(st, 9*time.Second, nil), WithSettings(Settings{Bind: []netip.Addr{loopback}}),
		WithStarted(func() error {
			got, dialErr = dialAndDrain(y.Listeners()[0], host(0))
			return nil
		}))
	exit, _ := drive(t, y, passive)
	select {
	case <-y.Ready():
	case <-exit:
		t.Fatal("Run returned early")
	}
	if dialErr != nil {
		t.Fatal(dialErr)
	}
	if want := notification(6, 3, "no session configured for the peer"); string(got) != string(want) {
		t.Fatalf("got % x\nwant % x", got, want)
	}
	if n := st.snapshot().accepted; n != 0 {
		t.Fatalf("a peer not started yet accepted %d connections", n)
	}
}

// dialAndDrain connects to l from local and returns what it reads until
// the other side closes (a read deadline only guards against a hang: the
// peer answers either way).
func dialAndDrain(l netip.AddrPort, local netip.Addr) ([]byte, error) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: local.AsSlice()}, Timeout: waitLong}
	c, err := d.Dial("tcp", l.String())
	if err != nil {
		return nil, err
	}
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(waitLong))
	buf := make([]byte, 4096)
	var got []byte
	for {
		k, err := c.Read(buf)
		got = append(got, buf[:k]...)
		if err != nil {
			return got, nil
		}
		if len(got) >= 19 && got[18] != 3 {
			return got, nil // not a NOTIFICATION: the peer took the connection
		}
	}
}
