package peer

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"exago/config"
	"exago/rib"
	"exago/wire"
)

// baseNeighborRoutes is a neighbor with configured routes in two families
// and attribute sets, one NLRI configured twice.
func baseNeighborRoutes(routes []config.Route) *config.Neighbor {
	n := baseNeighbor()
	n.Families = []wire.Family{wire.IPv4Unicast, wire.IPv6Unicast}
	n.Capability.RouteRefresh = true
	n.Routes = routes
	return n
}

func sharedRoutes() []config.Route {
	med := wire.Attributes{HasMED: true, MED: 5}
	comm := wire.Attributes{Communities: []uint32{7, 3}}
	var rs []config.Route
	add := func(p, nh string, a wire.Attributes) {
		rs = append(rs, config.Route{NLRI: inet(p), NextHop: netip.MustParseAddr(nh), Attrs: a})
	}
	add("10.0.0.0/24", "10.0.1.254", med)
	add("2001:db8:1::/48", "2001:db8::1", med)
	add("10.0.1.0/24", "10.0.1.254", comm)
	add("10.0.0.0/24", "10.0.1.254", comm)
	for i := 0; i < 300; i++ {
		add(fmt.Sprintf("10.2.%d.0/24", i%256+i/256), "10.0.1.254", med)
	}
	add("2001:db8:2::/48", "2001:db8::1", comm)
	return rs
}

// record is everything observable of a peer: messages written (with the
// events reported) and `show adj-rib out`.
func record(h *harness, out []string) string {
	var b strings.Builder
	for _, m := range out {
		b.WriteString(m + "\n")
	}
	b.WriteString(strings.Join(h.ev.msgs, ",") + "\n")
	h.ev.msgs = nil
	h.p.Out().Cached(nil, func(r *rib.Route) {
		fmt.Fprintf(&b, "%x %v %+v\n", r.Key.NLRI, r.NextHop(), r.Attrs.Attributes)
	})
	return b.String()
}

func (h *harness) reconnect(caps wire.Capabilities) []string {
	h.p.OnClosed(h.now, nil)
	h.advance(time.Second)
	h.p.OnConnected(h.now, localAP, remoteAP)
	out := h.pull()
	h.feed(peerOpen(65000, 180, caps), wire.AppendKeepalive(nil))
	return append(out, h.pull()...)
}

// TestSharedBaseMatchesPlain: peers sharing a rib.Base (Options.Bases)
// write exactly what a peer announcing its configured routes one by one
// writes, and report the same events and Adj-RIB-Out, through API
// changes, refreshes and reconnections; peers of one base negotiating
// different things (add-path, families) each get their own encoding.
func TestSharedBaseMatchesPlain(t *testing.T) {
	routes := sharedRoutes()
	caps := stdCaps(65000, wire.IPv4Unicast, wire.IPv6Unicast)
	caps.RouteRefresh, caps.EnhancedRefresh = true, true
	v4only := stdCaps(65000, wire.IPv4Unicast)
	ap := caps
	ap.HasAddPath, ap.AddPath = true, []wire.AddPathFamily{{Family: wire.IPv4Unicast, Mode: wire.AddPathBoth}}
	type act func(h *harness) []string
	announce := func(p string, a wire.Attributes) act {
		return func(h *harness) []string {
			h.p.Announce(&config.Route{NLRI: inet(p), NextHop: netip.MustParseAddr("10.0.1.254"), Attrs: a})
			return h.pull()
		}
	}
	withdraw := func(p string, a wire.Attributes) act {
		return func(h *harness) []string {
			h.p.Withdraw(&config.Route{NLRI: inet(p), NextHop: netip.MustParseAddr("10.0.1.254"), Attrs: a})
			return h.pull()
		}
	}
	clearOut := func(h *harness) []string { h.p.ClearOut(); return h.pull() }
	flush := func(h *harness) []string { h.p.FlushOut(); return h.pull() }
	refresh := func(h *harness) []string {
		h.feed(wire.RouteRefresh{Family: wire.IPv4Unicast}.Append(nil))
		return h.pull()
	}
	reconnect := func(c wire.Capabilities) act { return func(h *harness) []string { return h.reconnect(c) } }
	med := wire.Attributes{HasMED: true, MED: 5}
	cases := []struct {
		name    string
		addPath bool
		caps    wire.Capabilities
		acts    []act
	}{
		{"untouched", false, caps, []act{reconnect(caps)}},
		{"api announce", false, caps, []act{announce("10.9.0.0/24", med), reconnect(caps)}},
		{"reannounce other attributes", false, caps, []act{announce("10.2.3.0/24", wire.Attributes{}), reconnect(caps)}},
		{"withdraw base route", false, caps, []act{withdraw("10.2.4.0/24", med), reconnect(caps)}},
		{"delete then re-add", false, caps, []act{withdraw("10.2.4.0/24", med), announce("10.2.4.0/24", med), reconnect(caps)}},
		{"clear adj-rib out", false, caps, []act{clearOut, reconnect(caps)}},
		{"route refresh", false, caps, []act{refresh, flush, reconnect(caps)}},
		{"families not negotiated", false, v4only, []act{reconnect(caps), reconnect(v4only)}},
		{"add-path", true, ap, []act{announce("10.9.0.0/24", med), reconnect(ap)}},
	}
	bases := rib.NewBases()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mk := func(opts Options) *harness {
				n := baseNeighborRoutes(routes)
				if c.addPath {
					n.Capability.AddPath = 3
					n.AddPath = []wire.Family{wire.IPv4Unicast}
				}
				return newHarness(t, n, opts)
			}
			plain, shared := mk(Options{}), mk(Options{Bases: bases})
			if shared.p.Out().Base() == nil {
				t.Fatal("configured routes not shared")
			}
			want, got := record(plain, plain.establish(65000, c.caps)), record(shared, shared.establish(65000, c.caps))
			if want != got {
				t.Fatalf("first session differs\nplain\n%s\nshared\n%s", want, got)
			}
			for i, a := range c.acts {
				if want, got := record(plain, a(plain)), record(shared, a(shared)); want != got {
					t.Fatalf("step %d differs\nplain\n%s\nshared\n%s", i, want, got)
				}
			}
		})
	}
}

// BenchmarkSharedPeer is one more neighbor of an update group: New, the
// session's first dump from the shared encoding. Allocations and bytes
// per peer do not grow with the number of configured routes.
func BenchmarkSharedPeer(b *testing.B) {
	for _, size := range []int{1000, 100000} {
		b.Run(fmt.Sprintf("routes=%d", size), func(b *testing.B) {
			routes := make([]config.Route, size)
			for i := range routes {
				a := netip.AddrFrom4([4]byte{10 + byte(i>>16), byte(i >> 8), byte(i), 0})
				routes[i] = config.Route{NLRI: &wire.INET{Fam: wire.IPv4Unicast, Prefix: netip.PrefixFrom(a, 24)},
					NextHop: netip.MustParseAddr("10.0.1.254")}
			}
			bases := rib.NewBases()
			n := baseNeighbor()
			n.Routes = routes
			d := newFakeDriver()
			opts := Options{Bases: bases, Now: func() time.Time { return t0 }}
			p := New(n, d, opts)
			buf := make([]byte, 0, 1<<20)
			drain := func(p *Peer) {
				p.out.Restart()
				bt := p.out.Take(true)
				e := rib.Encoder{Neg: &wire.Negotiated{ASN4: true, LocalAS: 65533, PeerAS: 65000, Families: n.Families}}
				for {
					msg, _, ok := bt.NextMessage(&e)
					if !ok {
						return
					}
					buf = append(buf[:0], msg...)
				}
			}
			drain(p)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				drain(New(n, d, opts))
			}
		})
	}
}

// TestSharedBaseReload: a neighbor restarted on reload keeps its previous
// Adj-RIB-Out (Options.Out) whether or not that Out was sharing a base, and
// writes the same as without sharing.
func TestSharedBaseReload(t *testing.T) {
	caps := stdCaps(65000, wire.IPv4Unicast, wire.IPv6Unicast)
	run := func(bases *rib.Bases) string {
		h := newHarness(t, baseNeighborRoutes(sharedRoutes()), Options{Bases: bases})
		h.establish(65000, caps)
		h.p.Announce(route("10.9.0.0/24", "10.0.1.254")) // API route
		h.pull()
		h.p.Shutdown(h.now)
		n := baseNeighborRoutes(sharedRoutes()[1:])
		n.HoldTime = 90
		h2 := newHarness(t, n, Options{Out: h.p.Out(), Bases: bases})
		return record(h2, h2.establish(65000, caps))
	}
	if want, got := run(nil), run(rib.NewBases()); want != got {
		t.Fatalf("reload differs\nplain\n%s\nshared\n%s", want, got)
	}
}
