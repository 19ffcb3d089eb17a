package rib

import (
	"hash/maphash"
	"math"
	"net/netip"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"exago/wire"
)

// tableRoutes is n IPv4 routes shaped like the receive benchmark's table
// (qa/bench TableUpdates): 2–4 prefixes per attribute set, every set
// different (AS_PATH and MED vary).
func tableRoutes(n int) (nlri []wire.NLRI, attrs []*wire.Attributes) {
	var a *wire.Attributes
	for i, k := 0, 0; i < n; i++ {
		if i == 0 || i%3 == 0 {
			a = &wire.Attributes{HasOrigin: true, HasASPath: true, HasMED: true, MED: uint32(k / 4),
				ASPath: []wire.ASSegment{{Type: wire.ASSequence, ASNs: []uint32{65001, 64512 + uint32(k/4%1000), 3356 + uint32(k%7)}}}}
			k++
		}
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(20 + i>>16), byte(i >> 8), byte(i), 0}), 16+i%9)
		nlri = append(nlri, &wire.INET{Fam: wire.IPv4Unicast, Prefix: p})
		attrs = append(attrs, a)
	}
	return nlri, attrs
}

// BenchmarkInAnnounce records one received route per iteration into an
// Adj-RIB-In of 100,000 routes (filled again from empty every 100,000).
func BenchmarkInAnnounce(b *testing.B) {
	const size = 100000
	nlri, attrs := tableRoutes(size)
	in := NewIn(true)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		j := i % size
		if j == 0 {
			in.Clear()
		}
		in.Announce(nlri[j], nh4, attrs[j])
	}
}

// BenchmarkInMemory reports the live heap an Adj-RIB-In of 100,000 such
// routes holds, per route (B/route), attribute sets included.
func BenchmarkInMemory(b *testing.B) {
	const size = 100000
	nlri, attrs := tableRoutes(size)
	b.ReportAllocs()
	var per float64
	for i := 0; i < b.N; i++ {
		before := liveHeap()
		in := NewIn(true)
		for j := range nlri {
			in.Announce(nlri[j], nh4, attrs[j])
		}
		per = float64(liveHeap()-before) / size
		runtime.KeepAlive(in)
	}
	b.ReportMetric(per, "B/route")
}

func liveHeap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

func TestAttrKeyRoundTrip(t *testing.T) {
	sets := []struct {
		a  wire.Attributes
		nh netip.Addr
	}{
		{wire.Attributes{}, netip.Addr{}},
		{wire.Attributes{HasOrigin: true, Origin: 2, HasASPath: true,
			ASPath: []wire.ASSegment{{Type: wire.ASSequence, ASNs: []uint32{1, 4200000000}}, {Type: wire.ASSet, ASNs: []uint32{7}}},
			HasMED: true, MED: 0xffffffff, HasLocalPref: true, LocalPref: 100, AtomicAggregate: true,
			HasAggregator: true, Aggregator: wire.Aggregator{ASN: 65000, Addr: netip.MustParseAddr("10.0.0.1")},
			Communities: []uint32{1, 0xffffff01}, HasOriginatorID: true, OriginatorID: netip.MustParseAddr("1.2.3.4"),
			ClusterList:      []netip.Addr{netip.MustParseAddr("5.6.7.8"), netip.MustParseAddr("255.255.255.255")},
			ExtCommunities:   []wire.ExtCommunity{{0, 2, 0xff, 0xff, 0, 0, 0, 1}},
			LargeCommunities: []wire.LargeCommunity{{Global: 1, Local1: 2, Local2: 3}}, HasAIGP: true, AIGP: 1 << 40,
			Other: []wire.RawAttr{{Flags: 0xc0, Code: 99, Value: []byte{0xff, 0}}, {Flags: 0x80, Code: 22}}},
			netip.MustParseAddr("2001:db8::ff")},
		{wire.Attributes{HasASPath: true, ASPath: []wire.ASSegment{}}, netip.MustParseAddr("255.255.255.255")},
	}
	for i, s := range sets {
		k := string(appendAttrKey(nil, &s.a, s.nh))
		a, nh, err := parseAttrKey(k)
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		if nh != s.nh || string(appendAttrKey(nil, &a, nh)) != k {
			t.Errorf("%d: round trip %+v %v, want %+v %v", i, a, nh, s.a, s.nh)
		}
		for cut := range len(k) {
			if _, _, err := parseAttrKey(k[:cut]); err == nil {
				t.Fatalf("%d: truncated at %d parsed", i, cut)
			}
		}
	}
}

// dump lists the Adj-RIB-In as "family prefix/pathid med", in Each order.
func dump(in *In) []string {
	var out []string
	in.Each(nil, func(r *Route) {
		s := r.NLRI.Family().String() + " "
		if n, ok := r.NLRI.(*wire.INET); ok {
			s += n.Prefix.String() + "/" + strconv.Itoa(int(n.PathID))
		} else {
			s += r.Key.NLRI
		}
		s += " nh " + r.NextHop().String() + " med " + strconv.Itoa(int(r.Attrs.MED))
		if KeyOf(r.NLRI) != r.Key {
			s += " BADKEY"
		}
		out = append(out, s)
	})
	return out
}

func TestInOrderAndFamilies(t *testing.T) {
	in := NewIn(true)
	med := func(v uint32) *wire.Attributes { return &wire.Attributes{HasMED: true, MED: v} }
	v6 := &wire.INET{Fam: wire.IPv6Unicast, Prefix: netip.MustParsePrefix("2001:db8::/32")}
	mc := &wire.INET{Fam: wire.IPv4Multicast, Prefix: netip.MustParsePrefix("224.1.0.0/16")}
	lab := &wire.INET{Fam: wire.IPv4MPLS, Prefix: netip.MustParsePrefix("10.9.0.0/16"), Labels: []uint32{100}}
	in.Announce(v6, nh6, med(6))
	in.Announce(inet("10.0.0.0/24"), nh4, med(1))
	in.Announce(inet("10.0.1.0/24"), nh4, med(2))
	in.Announce(lab, nh4, med(9))
	in.Announce(mc, nh4, med(7))
	in.Announce(inet("10.0.0.0/24"), nh4, med(3)) // keeps its place
	in.Withdraw(inet("10.0.1.0/24"))
	in.Withdraw(inet("10.0.99.0/24"))
	in.Announce(inet("10.0.1.0/24"), nh4, med(4)) // goes last
	// host bits within the last octet are part of the key
	in.Announce(&wire.INET{Fam: wire.IPv4Unicast, Prefix: netip.PrefixFrom(netip.MustParseAddr("10.0.2.1"), 24)}, nh4, med(5))
	in.Announce(&wire.INET{Fam: wire.IPv4Unicast, Prefix: netip.MustParsePrefix("10.0.0.0/24"), PathID: 7}, nh4, med(8))
	got := dump(in)
	want := []string{
		"ipv4 unicast 10.0.0.0/24/0 nh 10.0.1.254 med 3",
		"ipv4 unicast 10.0.1.0/24/0 nh 10.0.1.254 med 4",
		"ipv4 unicast 10.0.2.1/24/0 nh 10.0.1.254 med 5",
		"ipv4 unicast 10.0.0.0/24/7 nh 10.0.1.254 med 8",
		"ipv4 multicast 224.1.0.0/16/0 nh 10.0.1.254 med 7",
		"ipv4 nlri-mpls 10.9.0.0/16/0 nh 10.0.1.254 med 9",
		"ipv6 unicast 2001:db8::/32/0 nh 2001:db8::1 med 6",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if in.Len() != len(want) {
		t.Errorf("Len %d", in.Len())
	}
	var only []string
	in.Each([]wire.Family{wire.IPv6Unicast}, func(r *Route) { only = append(only, r.Key.Family.String()) })
	if len(only) != 1 {
		t.Errorf("family filter: %v", only)
	}
	in.Withdraw(v6)
	in.Withdraw(lab)
	in.Withdraw(inet("10.0.1.0/24")) // kept by v4Key since path id 7 came
	if in.v4[0].long == nil || in.v4[0].short != nil {
		t.Error("a path identifier did not move IPv4 unicast to v4Key keys")
	}
	if in.Len() != len(want)-3 {
		t.Errorf("Len after withdraw %d", in.Len())
	}
	in.Clear()
	if in.Len() != 0 || len(dump(in)) != 0 {
		t.Errorf("not cleared: %v", dump(in))
	}
	off := NewIn(false)
	off.Announce(inet("10.0.0.0/24"), nh4, med(1))
	if off.Len() != 0 || off.Intern(med(1), nh4) != 0 {
		t.Error("disabled Adj-RIB-In keeps routes")
	}
}

// TestInWithdrawMany: the order survives many withdrawals.
func TestInWithdrawMany(t *testing.T) {
	in := NewIn(true)
	a := &wire.Attributes{}
	for i := range 1000 {
		in.Announce(&wire.INET{Fam: wire.IPv4Unicast, Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 0}), 24)}, nh4, a)
	}
	for i := range 1000 {
		if i%10 != 0 {
			in.Withdraw(&wire.INET{Fam: wire.IPv4Unicast, Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 0}), 24)})
		}
	}
	got := dump(in)
	if len(got) != 100 || in.Len() != 100 || !strings.HasPrefix(got[1], "ipv4 unicast 10.0.10.0/24/0 ") {
		t.Fatalf("%d routes, %v", len(got), got[:2])
	}
	// seqs running out renumber them, in order
	in.v4[0].short.next = math.MaxUint32
	in.Announce(inet("10.9.0.0/24"), nh4, a)
	in.Announce(inet("10.9.1.0/24"), nh4, a)
	got = dump(in)
	if len(got) != 102 || !strings.HasPrefix(got[1], "ipv4 unicast 10.0.10.0/24/0 ") ||
		!strings.HasPrefix(got[100], "ipv4 unicast 10.9.0.0/24/0 ") || !strings.HasPrefix(got[101], "ipv4 unicast 10.9.1.0/24/0 ") {
		t.Errorf("after renumbering: %d routes %v %v", len(got), got[1], got[100:])
	}
}

// TestInAttrsCollision: two keys with one hash still get their own ids.
func TestInAttrsCollision(t *testing.T) {
	tab := newInAttrs()
	a, b := &wire.Attributes{HasMED: true, MED: 1}, &wire.Attributes{HasMED: true, MED: 2}
	ida := tab.intern(a, nh4)
	hb := uint32(maphash.Bytes(tab.seed, appendAttrKey(nil, b, nh4)))
	tab.ids[hb] = ida // as if b's key hashed like a's
	idb := tab.intern(b, nh4)
	if idb == ida || tab.intern(b, nh4) != idb || tab.intern(a, nh4) != ida {
		t.Fatalf("ids a %d b %d", ida, idb)
	}
	if tab.decode(idb).MED != 2 || tab.decode(ida).MED != 1 {
		t.Error("wrong sets")
	}
}

// TestInAttrsChunks: keys fill chunks, and a key longer than a chunk gets
// its own.
func TestInAttrsChunks(t *testing.T) {
	tab := newInAttrs()
	huge := &wire.Attributes{Other: []wire.RawAttr{{Flags: 0xd0, Code: 99, Value: make([]byte, 70000)}}}
	var ids []AttrID
	for i := range 3000 {
		ids = append(ids, tab.intern(&wire.Attributes{HasMED: true, MED: uint32(i)}, nh4))
		if i == 1500 {
			ids = append(ids, tab.intern(huge, nh4))
		}
	}
	if len(tab.chunks) < 3 {
		t.Errorf("%d chunks", len(tab.chunks))
	}
	for i, id := range ids {
		x := tab.decode(id)
		switch {
		case i == 1501:
			if len(x.Other) != 1 || len(x.Other[0].Value) != 70000 {
				t.Errorf("huge key: %d attributes", len(x.Other))
			}
		case i > 1501 && x.MED != uint32(i-1), i < 1501 && x.MED != uint32(i):
			t.Fatalf("id %d: MED %d", id, x.MED)
		}
	}
}
