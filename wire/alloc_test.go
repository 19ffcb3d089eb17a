package wire

import (
	"net/netip"
	"testing"
	"time"
)

// sampleUpdate builds an iBGP IPv4 UPDATE with common attributes and n
// /24 prefixes.
func sampleUpdate(tb testing.TB, n int) ([]byte, *Negotiated) {
	neg := negotiated(65000, 65000)
	an := make([]NLRI, n)
	for i := range an {
		an[i] = &INET{Fam: IPv4Unicast, Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 0}), 24)}
	}
	u := UpdateBuilder{Family: IPv4Unicast, NextHop: netip.MustParseAddr("192.0.2.1"), Announce: an,
		Attrs: &Attributes{HasASPath: true, ASPath: []ASSegment{{ASSequence, []uint32{65001, 65002, 4200000000}}},
			HasMED: true, MED: 10, Communities: []uint32{0xfde80001, 0xfde80002},
			LargeCommunities: []LargeCommunity{{65000, 1, 2}}}}
	b, err := u.Append(nil, neg)
	if err != nil {
		tb.Fatal(err)
	}
	return b, neg
}

// decodeAll is what the daemon's receive path (peer.onUpdate) does with
// one UPDATE message: frame it, split it, test for End-of-RIB, decode the
// path attributes into the typed UpdateAttrs, and walk the withdrawn
// routes, the NLRI and the MP_UNREACH_NLRI/MP_REACH_NLRI prefixes. Every
// prefix is read (into prefixSink) so that nothing is optimised away. It
// returns the number of prefixes.
func decodeAll(b []byte, n *Negotiated, ua *UpdateAttrs) (int, error) {
	m, _, err := Frame(b, n.MaxMessageSize())
	if err != nil {
		return 0, err
	}
	u, err := DecodeUpdate(m.Body())
	if err != nil {
		return 0, err
	}
	if _, eor := u.EOR(); eor {
		return 0, nil
	}
	if err := DecodeAttributes(u.PathAttrs, n, ua); err != nil {
		return 0, err
	}
	ap := n.ReceiveAddPath(IPv4Unicast)
	count, err := walkPrefixes(u.Withdrawn, AFIIPv4, ap, 0)
	if err != nil {
		return 0, err
	}
	if count, err = walkPrefixes(u.NLRI, AFIIPv4, ap, count); err != nil {
		return 0, err
	}
	if ua.HasUnreach {
		mu, err := DecodeMPUnreach(ua.Unreach)
		if err != nil {
			return 0, err
		}
		if count, err = walkPrefixes(mu.NLRI, mu.Family.AFI, n.ReceiveAddPath(mu.Family), count); err != nil {
			return 0, err
		}
	}
	if ua.HasReach {
		mr, err := DecodeMPReach(ua.Reach)
		if err != nil {
			return 0, err
		}
		if count, err = walkPrefixes(mr.NLRI, mr.Family.AFI, n.ReceiveAddPath(mr.Family), count); err != nil {
			return 0, err
		}
	}
	return count, nil
}

var prefixSink netip.Prefix

func walkPrefixes(b []byte, afi AFI, addPath bool, count int) (int, error) {
	if len(b) == 0 {
		return count, nil
	}
	var last netip.Prefix
	it := Prefixes(b, afi, addPath)
	for it.Next() {
		last = it.Prefix()
		count++
	}
	prefixSink = last
	return count, it.Err()
}

func TestDecodeUpdateAllocs(t *testing.T) {
	b, n := sampleUpdate(t, 50)
	var ua UpdateAttrs
	if c, err := decodeAll(b, n, &ua); err != nil || c != 50 {
		t.Fatalf("%d %v", c, err)
	}
	if a := testing.AllocsPerRun(100, func() { decodeAll(b, n, &ua) }); a != 0 {
		t.Errorf("decode+iterate allocates %v times", a)
	}
}

func TestAppendUpdateAllocs(t *testing.T) {
	_, n := sampleUpdate(t, 1)
	an := []NLRI{prefixNLRI(IPv4Unicast, "10.0.0.0/24"), prefixNLRI(IPv4Unicast, "10.0.1.0/24")}
	attrs := &Attributes{HasMED: true, MED: 5, Communities: []uint32{1, 2}}
	buf := make([]byte, 0, 8192)
	for _, tt := range []struct {
		name string
		n    *Negotiated
		u    UpdateBuilder
	}{
		{"ipv4 ibgp", n, UpdateBuilder{Family: IPv4Unicast, NextHop: netip.MustParseAddr("192.0.2.1"), Announce: an, Withdraw: an, Attrs: attrs}},
		{"ipv4 ebgp default as-path", negotiated(65000, 65001), UpdateBuilder{Family: IPv4Unicast, NextHop: netip.MustParseAddr("192.0.2.1"), Announce: an, Attrs: attrs}},
		{"ipv6 mp", n, UpdateBuilder{Family: IPv6Unicast, NextHop: netip.MustParseAddr("2001:db8::1"),
			Announce: []NLRI{prefixNLRI(IPv6Unicast, "2001:db8::/32")}, Withdraw: []NLRI{prefixNLRI(IPv6Unicast, "2001:db9::/32")}, Attrs: attrs}},
	} {
		if a := testing.AllocsPerRun(100, func() { tt.u.Append(buf[:0], tt.n) }); a != 0 {
			t.Errorf("%s: Append allocates %v times", tt.name, a)
		}
	}
	if a := testing.AllocsPerRun(100, func() {
		AppendKeepalive(buf[:0])
		AppendEOR(buf[:0], IPv6Unicast)
	}); a != 0 {
		t.Errorf("keepalive/EOR allocate %v times", a)
	}
}

func benchmarkDecode(b *testing.B, prefixes int) {
	msg, n := sampleUpdate(b, prefixes)
	var ua UpdateAttrs
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		if _, err := decodeAll(msg, n, &ua); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeUpdate measures the receive path of one UPDATE (see
// decodeAll): framing, path attributes (ORIGIN, AS_PATH, NEXT_HOP, MED,
// LOCAL_PREF, COMMUNITIES, LARGE_COMMUNITY) into the typed UpdateAttrs,
// and prefix iteration. ns/op is per UPDATE. The "cost" case reports the
// two terms of the criterion of GitHub issue 2 (at most 100 ns per UPDATE
// plus 8 ns per prefix, 0 allocations): it times b.N UPDATEs of 1 prefix,
// then b.N identical UPDATEs of 101 prefixes; ns/prefix is the difference
// over the 100 extra prefixes and ns/UPDATE the 1-prefix time less one
// prefix. (Its ns/op covers both loops and is not meaningful.)
//
// On a loaded machine count instructions instead, which do not vary:
//
//	go test -c -o wire.test ./wire
//	GODEBUG=asyncpreemptoff=1 GOMAXPROCS=1 valgrind --tool=callgrind \
//	  ./wire.test -test.run '^$' -test.bench 'DecodeUpdate/1prefix$' -test.benchtime=20000x
//	callgrind_annotate --inclusive=yes callgrind.out.* | grep wire.decodeAll
//
// and divide by 20000 (then the same with 100prefixes).
func BenchmarkDecodeUpdate(b *testing.B) {
	b.Run("1prefix", func(b *testing.B) { benchmarkDecode(b, 1) })
	b.Run("100prefixes", func(b *testing.B) { benchmarkDecode(b, 100) })
	b.Run("cost", func(b *testing.B) {
		const extra = 100
		small, n := sampleUpdate(b, 1)
		big, _ := sampleUpdate(b, 1+extra)
		var ua UpdateAttrs
		b.ReportAllocs()
		b.ResetTimer()
		start := time.Now()
		for i := 0; i < b.N; i++ {
			if _, err := decodeAll(small, n, &ua); err != nil {
				b.Fatal(err)
			}
		}
		mid := time.Now()
		for i := 0; i < b.N; i++ {
			if _, err := decodeAll(big, n, &ua); err != nil {
				b.Fatal(err)
			}
		}
		t1, t2 := float64(mid.Sub(start).Nanoseconds()), float64(time.Since(mid).Nanoseconds())
		perPrefix := (t2 - t1) / float64(b.N) / extra
		b.ReportMetric(t1/float64(b.N)-perPrefix, "ns/UPDATE")
		b.ReportMetric(perPrefix, "ns/prefix")
	})
}

func BenchmarkAppendUpdate(b *testing.B) {
	n := negotiated(65000, 65001)
	an := make([]NLRI, 100)
	for i := range an {
		an[i] = &INET{Fam: IPv4Unicast, Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, byte(i), 0}), 24)}
	}
	for _, k := range []int{1, 100} {
		u := UpdateBuilder{Family: IPv4Unicast, NextHop: netip.MustParseAddr("192.0.2.1"), Announce: an[:k],
			Attrs: &Attributes{HasMED: true, MED: 10, Communities: []uint32{1, 2}}}
		buf := make([]byte, 0, 8192)
		b.Run(itoa(k)+"prefixes", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				buf, _ = u.Append(buf[:0], n)
			}
		})
	}
}

// BenchmarkDecodeUpdateBest is BenchmarkDecodeUpdate's "cost" case timed
// as the best of many short rounds (200 UPDATEs of 1 prefix, then 20 of
// 101), which other load on the machine can only slow down: it reports
// ns/UPDATE and ns/prefix as "cost" defines them, close to what an idle
// machine gives. The criterion of GitHub issue 2 stays "cost"'s.
func BenchmarkDecodeUpdateBest(b *testing.B) {
	small, n := sampleUpdate(b, 1)
	big, _ := sampleUpdate(b, 101)
	var ua UpdateAttrs
	round := func(msg []byte, k int) time.Duration {
		start := time.Now()
		for range k {
			if _, err := decodeAll(msg, n, &ua); err != nil {
				b.Fatal(err)
			}
		}
		return time.Since(start)
	}
	b.ReportAllocs()
	t1, t2 := time.Duration(1<<62), time.Duration(1<<62)
	for b.Loop() {
		t1, t2 = min(t1, round(small, 200)), min(t2, round(big, 20))
	}
	one, perPrefix := float64(t1.Nanoseconds())/200, (float64(t2.Nanoseconds())/20-float64(t1.Nanoseconds())/200)/100
	b.ReportMetric(one-perPrefix, "ns/UPDATE")
	b.ReportMetric(perPrefix, "ns/prefix")
}
