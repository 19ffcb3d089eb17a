package api

import (
	"net/netip"
	"testing"
	"time"

	"exago/api/format"
	"exago/config"
	"exago/wire"
)

// BenchmarkEventsJSONTable is the receive benchmark's rendering side: a
// received table (qa/bench TableUpdates: 2–4 IPv4 prefixes per UPDATE, a
// new AS_PATH every UPDATE) emitted as JSON update events to one helper,
// one UPDATE per iteration, with the real clock. The target is 500,000
// routes/s for the whole daemon.
func BenchmarkEventsJSONTable(b *testing.B) {
	s, _, _ := testServer(b)
	s.json = &JSONRenderer{E: format.Encoder{Host: "bench", PID: 1, PPID: 1}}
	p := s.procs["p1"]
	p.json = true
	n := neighbor("10.0.0.9", 65009)
	n.APIs = []config.APIBinding{{Processes: []string{"p1"}, Receive: config.MessageFlags{Parsed: true, Update: true}}}
	s.SetNeighbors([]*config.Neighbor{n})
	neg := &wire.Negotiated{ASN4: true, MaxSize: wire.MaxSize, LocalAS: 65009, PeerAS: 65000}
	nh := netip.MustParseAddr("10.0.0.9")
	var msgs [][]byte
	routes := 0
	for k := 0; k < 1024; k++ {
		per := 2 + k%3
		attrs := &wire.Attributes{HasOrigin: true, HasASPath: true, HasMED: true, MED: uint32(k / 4),
			ASPath: []wire.ASSegment{{Type: wire.ASSequence, ASNs: []uint32{65009, 64512 + uint32(k/4%1000), 3356 + uint32(k%7)}}}}
		nlri := make([]wire.NLRI, per)
		for j := range nlri {
			i := routes + j
			a := netip.AddrFrom4([4]byte{byte(20 + i>>16), byte(i >> 8), byte(i), 0})
			nlri[j] = &wire.INET{Fam: wire.IPv4Unicast, Prefix: netip.PrefixFrom(a, 16+i%9).Masked()}
		}
		ub := wire.UpdateBuilder{Family: wire.IPv4Unicast, Attrs: attrs, NextHop: nh, Announce: nlri, NoDefaults: true}
		msg, err := ub.Append(nil, neg)
		if err != nil {
			b.Fatal(err)
		}
		msgs = append(msgs, msg)
		routes += per
	}
	ev := &Event{Kind: EventMessage, Neighbor: n, Direction: DirReceive, Type: MsgUpdate,
		Negotiated: format.DecodeSession([]wire.Family{wire.IPv4Unicast}, false),
		ID: Identity{Local: netip.MustParseAddr("10.0.0.254"), Peer: netip.MustParseAddr("10.0.0.9"),
			LocalAS: 65000, PeerAS: 65009, RouterID: netip.MustParseAddr("10.0.0.254")}}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		m := msgs[i%len(msgs)]
		ev.Header, ev.Body = m[:wire.HeaderLen], m[wire.HeaderLen:]
		s.Emit(ev)
		if len(p.wbuf) > 1<<20 {
			p.wbuf, p.woff = p.wbuf[:0], 0
		}
	}
	if len(p.wbuf) == 0 {
		b.Fatal("nothing rendered")
	}
	b.ReportMetric(float64(b.N)*float64(routes)/float64(len(msgs))/time.Since(start).Seconds(), "routes/s")
}
