package peer

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"exago/rib"
	"exago/wire"
)

// parsedEvents wants every message decoded and does nothing with it (the
// API's `receive { parsed; update; }` without the rendering).
type parsedEvents struct{ NopEvents }

func (parsedEvents) Wants(*Peer, Direction, uint8) (bool, bool) { return true, true }

// tableUpdates is r IPv4 routes as UPDATEs shaped like the receive
// benchmark's table (qa/bench TableUpdates): 2–4 prefixes per UPDATE,
// every attribute set different.
func tableUpdates(tb testing.TB, r int) []byte {
	n := &wire.Negotiated{ASN4: true, MaxSize: wire.MaxSize, LocalAS: 65000, PeerAS: 65533}
	nh := netip.MustParseAddr("10.0.1.254")
	var out []byte
	for i, k := 0, 0; i < r; k++ {
		per := min(2+k%3, r-i)
		attrs := &wire.Attributes{HasOrigin: true, HasASPath: true, HasMED: true, MED: uint32(k / 4),
			ASPath: []wire.ASSegment{{Type: wire.ASSequence, ASNs: []uint32{65000, 64512 + uint32(k/4%1000), 3356 + uint32(k%7)}}}}
		nlri := make([]wire.NLRI, per)
		for j := range nlri {
			a := netip.AddrFrom4([4]byte{byte(20 + (i+j)>>16), byte((i + j) >> 8), byte(i + j), 0})
			nlri[j] = &wire.INET{Fam: wire.IPv4Unicast, Prefix: netip.PrefixFrom(a, 16+(i+j)%9).Masked()}
		}
		ub := wire.UpdateBuilder{Family: wire.IPv4Unicast, Attrs: attrs, NextHop: nh, Announce: nlri, NoDefaults: true}
		var err error
		if out, err = ub.Append(out, n); err != nil {
			tb.Fatal(err)
		}
		i += per
	}
	return out
}

// BenchmarkReceiveTable measures the receive path without the API
// rendering: 100,000 routes in UPDATEs framed, decoded for the API and
// recorded in the Adj-RIB-In, per iteration (from an empty Adj-RIB-In).
func BenchmarkReceiveTable(b *testing.B) {
	const routes = 100000
	msgs := tableUpdates(b, routes)
	d := newFakeDriver()
	p := New(baseNeighbor(), d, Options{Events: parsedEvents{}, Now: func() time.Time { return t0 }, Rand: func() float64 { return 1 }})
	p.Start(t0)
	p.OnConnected(t0, localAP, remoteAP)
	p.Pull(t0, nil)
	p.OnRead(t0, append(peerOpen(65000, 180, stdCaps(65000, wire.IPv4Unicast)), wire.AppendKeepalive(nil)...))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		p.ClearIn()
		for off := 0; off < len(msgs); {
			end := min(off+65536, len(msgs))
			n := p.OnRead(t0, msgs[off:end])
			if n == 0 {
				end = min(off+2*65536, len(msgs))
				n = p.OnRead(t0, msgs[off:end])
			}
			off += n
		}
		if p.In().Len() == 0 || p.State() != StateEstablished {
			b.Fatalf("adj-rib-in holds %d, state %v", p.In().Len(), p.State())
		}
	}
	b.ReportMetric(float64(routes*b.N)/time.Since(start).Seconds(), "routes/s")
}

// TestReceivedIPv6InAdjRIBIn: MP_REACH_NLRI routes reach the Adj-RIB-In
// with their next hop and attributes, and MP_UNREACH_NLRI removes them;
// the decoded UPDATE handed to the events still lists them.
func TestReceivedIPv6InAdjRIBIn(t *testing.T) {
	n := baseNeighbor()
	n.Families = []wire.Family{wire.IPv4Unicast, wire.IPv6Unicast}
	h := newHarness(t, n, Options{})
	h.establish(65000, stdCaps(65000, wire.IPv4Unicast, wire.IPv6Unicast))
	neg := &wire.Negotiated{ASN4: true, MaxSize: wire.MaxSize, LocalAS: 65000, PeerAS: 65533}
	nh := netip.MustParseAddr("2001:db8::fe")
	attrs := &wire.Attributes{HasOrigin: true, HasASPath: true, HasMED: true, MED: 7, Communities: []uint32{2, 1},
		ASPath: []wire.ASSegment{{Type: wire.ASSequence, ASNs: []uint32{65000}}}}
	p1 := &wire.INET{Fam: wire.IPv6Unicast, Prefix: netip.MustParsePrefix("2001:db8:1::/48")}
	p2 := &wire.INET{Fam: wire.IPv6Unicast, Prefix: netip.MustParsePrefix("2001:db8:2::/48")}
	ub := wire.UpdateBuilder{Family: wire.IPv6Unicast, Attrs: attrs, NextHop: nh, Announce: []wire.NLRI{p1, p2}, NoDefaults: true}
	msg, err := ub.Append(nil, neg)
	if err != nil {
		t.Fatal(err)
	}
	h.feed(msg)
	ru, ok := h.ev.last.(*ReceivedUpdate)
	if !ok || len(ru.Announce) != 2 || ru.Announce[1].NextHop != nh {
		t.Fatalf("decoded %#v", h.ev.last)
	}
	var got []string
	h.p.In().Each(nil, func(r *rib.Route) {
		got = append(got, r.NLRI.(*wire.INET).Prefix.String()+" "+r.NextHop().String()+" "+
			strconv.Itoa(int(r.Attrs.MED))+" "+fmt.Sprint(r.Attrs.Communities))
	})
	if strings.Join(got, ", ") != "2001:db8:1::/48 2001:db8::fe 7 [1 2], 2001:db8:2::/48 2001:db8::fe 7 [1 2]" {
		t.Errorf("adj-rib-in: %q", got)
	}
	wb := wire.UpdateBuilder{Family: wire.IPv6Unicast, Withdraw: []wire.NLRI{p1}, NoDefaults: true}
	if msg, err = wb.Append(nil, neg); err != nil {
		t.Fatal(err)
	}
	h.feed(msg)
	if h.p.In().Len() != 1 {
		t.Errorf("after withdraw: %d routes", h.p.In().Len())
	}
}
