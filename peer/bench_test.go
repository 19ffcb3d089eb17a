package peer

import (
	"net/netip"
	"testing"
	"time"

	"exago/config"
	"exago/wire"
)

// nopHarness is a harness without the recording events (NopEvents).
func nopHarness(t testing.TB, n *config.Neighbor) (*Peer, *fakeDriver) {
	d := newFakeDriver()
	p := New(n, d, Options{Now: func() time.Time { return t0 }, Rand: func() float64 { return 1 }})
	p.Start(t0)
	p.OnConnected(t0, localAP, remoteAP)
	p.Pull(t0, nil)
	b := append(peerOpen(65000, 180, stdCaps(65000, wire.IPv4Unicast)), wire.AppendKeepalive(nil)...)
	p.OnRead(t0, b)
	return p, d
}

// TestSteadyStateAllocs: a KEEPALIVE received and one sent allocate
// nothing.
func TestSteadyStateAllocs(t *testing.T) {
	p, _ := nopHarness(t, baseNeighbor())
	buf := make([]byte, 0, 4096)
	for more := true; more; {
		buf, more = p.Pull(t0, buf[:0])
	}
	ka := wire.AppendKeepalive(nil)
	if n := testing.AllocsPerRun(100, func() { p.OnRead(t0, ka) }); n != 0 {
		t.Errorf("OnRead(KEEPALIVE) allocates %v", n)
	}
	if n := testing.AllocsPerRun(100, func() {
		p.s.tx |= txKeepalive
		buf, _ = p.Pull(t0, buf[:0])
	}); n != 0 {
		t.Errorf("Pull(KEEPALIVE) allocates %v", n)
	}
}

// BenchmarkPull100k measures the whole transmit path: 100,000 IPv4 routes
// in three attribute sets, from the Adj-RIB-Out to UPDATE bytes via Pull.
func BenchmarkPull100k(b *testing.B) {
	const routes = 100000
	n := baseNeighbor()
	for i := 0; i < routes; i++ {
		a := netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
		n.Routes = append(n.Routes, config.Route{NLRI: &wire.INET{Fam: wire.IPv4Unicast, Prefix: netip.PrefixFrom(a, 32)},
			NextHop: netip.MustParseAddr("10.0.1.254"), Attrs: wire.Attributes{HasMED: true, MED: uint32(i % 3)}})
	}
	buf := make([]byte, 0, 1<<20)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, _ := nopHarness(b, n)
		msgs := 0
		for more := true; more; {
			buf, more = p.Pull(t0, buf[:0])
			msgs++
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/routes, "ns/route")
}
