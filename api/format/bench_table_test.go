package format

import (
	"net/netip"
	"testing"
	"time"

	"exago/wire"
)

// tableUpdates builds the received table of the receive benchmark
// (qa/bench TableUpdates): IPv4 prefixes from /16 to /24, 2–4 per UPDATE,
// ORIGIN, a 3-ASN AS_PATH and MED, the AS_PATH changing every UPDATE. It
// returns the messages and the number of routes.
func tableUpdates(tb testing.TB, updates int) ([][]byte, int) {
	n := &wire.Negotiated{ASN4: true, MaxSize: wire.MaxSize, LocalAS: 65001, PeerAS: 65000}
	nh := netip.MustParseAddr("127.0.0.2")
	var msgs [][]byte
	i := 0
	for k := 0; k < updates; k++ {
		per := 2 + k%3
		attrs := &wire.Attributes{
			HasOrigin: true, Origin: wire.OriginIGP,
			HasASPath: true, ASPath: []wire.ASSegment{{Type: wire.ASSequence, ASNs: []uint32{65001, 64512 + uint32(k/4%1000), 3356 + uint32(k%7)}}},
			HasMED: true, MED: uint32(k / 4),
		}
		nlri := make([]wire.NLRI, per)
		for j := range nlri {
			bits := 16 + (i+j)%9
			a := netip.AddrFrom4([4]byte{byte(20 + (i+j)>>16), byte((i + j) >> 8), byte(i + j), 0})
			nlri[j] = &wire.INET{Fam: wire.IPv4Unicast, Prefix: netip.PrefixFrom(a, bits).Masked()}
		}
		ub := wire.UpdateBuilder{Family: wire.IPv4Unicast, Attrs: attrs, NextHop: nh, Announce: nlri, NoDefaults: true}
		msg, err := ub.Append(nil, n)
		if err != nil {
			tb.Fatal(err)
		}
		msgs = append(msgs, msg)
		i += per
	}
	return msgs, i
}

// BenchmarkUpdateJSONTable renders the receive benchmark's table, one
// UPDATE per iteration, with a Cache as package api does (every UPDATE
// has a new attribute set, so only the envelope and neighbor parts are
// reused). The target is 500,000 routes/s for the whole daemon.
func BenchmarkUpdateJSONTable(b *testing.B) {
	msgs, routes := tableUpdates(b, 1024)
	enc := &Encoder{Host: "bench-host", PID: 1234, PPID: 1, Cache: &Cache{}}
	nb := benchNeighbor()
	neg := &wire.Negotiated{ASN4: true}
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		var err error
		nb.Counter++
		buf, err = enc.Update(buf[:0], nb, Receive, msgs[i%len(msgs)], neg)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*float64(routes)/float64(len(msgs))/time.Since(start).Seconds(), "routes/s")
}
