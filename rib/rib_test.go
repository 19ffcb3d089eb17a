package rib

import (
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"exago/wire"
)

func inet(p string) *wire.INET {
	pr := netip.MustParsePrefix(p)
	f := wire.IPv4Unicast
	if pr.Addr().Is6() {
		f = wire.IPv6Unicast
	}
	return &wire.INET{Fam: f, Prefix: pr}
}

var (
	nh4 = netip.MustParseAddr("10.0.1.254")
	nh6 = netip.MustParseAddr("2001:db8::1")
)

func ibgp(fams ...wire.Family) *wire.Negotiated {
	return &wire.Negotiated{ASN4: true, MaxSize: wire.MaxSize, LocalAS: 65000, PeerAS: 65000, Families: fams}
}

// encodeAll turns a batch into hex messages.
func encodeAll(t *testing.T, b *Batch, e *Encoder) []string {
	var out []string
	for {
		it, ok := b.Next()
		if !ok {
			return out
		}
		buf, n, err := e.Append(nil, it)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < n; i++ {
			m, l, err := wire.Frame(buf, wire.MaxSizeExtMsg)
			if err != nil || l == 0 {
				t.Fatalf("bad output %x", buf)
			}
			out = append(out, strings.ToUpper(hex.EncodeToString(m)))
			buf = buf[l:]
		}
	}
}

func TestAnnounceThenWithdraw(t *testing.T) {
	o := NewOut([]wire.Family{wire.IPv4Unicast}, true)
	o.Announce(inet("10.0.0.0/24"), nh4, &wire.Attributes{}, false)
	o.Withdraw(inet("10.0.0.0/24"), nh4, nil)
	e := &Encoder{Neg: ibgp(wire.IPv4Unicast), IncludeWithdraw: true}
	out := encodeAll(t, o.Take(true), e)
	// withdrawn routes 10.0.0.0/24, no attribute (ExaBGP sends none).
	want := "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001B020004180A00000000"
	if len(out) != 1 || out[0] != want {
		t.Fatalf("got %v, want only the withdrawal", out)
	}
	if o.Len() != 0 {
		t.Errorf("cache holds %d routes after the withdrawal", o.Len())
	}
}

func TestFirstDumpDropsWithdrawals(t *testing.T) {
	o := NewOut([]wire.Family{wire.IPv4Unicast}, true)
	o.Withdraw(inet("10.0.0.0/24"), nh4, nil)
	e := &Encoder{Neg: ibgp(wire.IPv4Unicast)}
	if out := encodeAll(t, o.Take(true), e); len(out) != 0 {
		t.Fatalf("first dump sent %v", out)
	}
}

func TestDuplicateSuppression(t *testing.T) {
	for _, cache := range []bool{true, false} {
		o := NewOut([]wire.Family{wire.IPv4Unicast}, cache)
		a := &wire.Attributes{HasMED: true, MED: 5}
		o.Announce(inet("10.0.0.0/24"), nh4, a, false)
		o.Take(true)
		again := o.Announce(inet("10.0.0.0/24"), nh4, &wire.Attributes{HasMED: true, MED: 5}, false)
		if again == cache {
			t.Errorf("cache %v: re-announce queued = %v", cache, again)
		}
		if changed := o.Announce(inet("10.0.0.0/24"), nh4, &wire.Attributes{HasMED: true, MED: 6}, false); !changed {
			t.Errorf("cache %v: changed route not queued", cache)
		}
	}
}

func TestRestartResendsCache(t *testing.T) {
	o := NewOut([]wire.Family{wire.IPv4Unicast}, true)
	o.Announce(inet("10.0.0.0/24"), nh4, &wire.Attributes{}, false)
	o.Announce(inet("10.0.1.0/24"), nh4, &wire.Attributes{}, false)
	o.Take(true)
	o.Reset()
	o.Restart()
	e := &Encoder{Neg: ibgp(wire.IPv4Unicast)}
	out := encodeAll(t, o.Take(true), e)
	if len(out) != 1 || !strings.HasSuffix(out[0], "180A0000180A0001") {
		t.Fatalf("got %v", out)
	}
	// without adj-rib-out nothing is re-sent
	o = NewOut([]wire.Family{wire.IPv4Unicast}, false)
	o.Announce(inet("10.0.0.0/24"), nh4, &wire.Attributes{}, false)
	o.Take(true)
	o.Restart()
	if o.Pending() {
		t.Error("re-sent without adj-rib-out")
	}
}

func TestEnhancedRefresh(t *testing.T) {
	o := NewOut([]wire.Family{wire.IPv4Unicast}, true)
	o.Announce(inet("10.0.0.0/24"), nh4, &wire.Attributes{}, false)
	o.Take(true)
	o.Resend(true, nil)
	e := &Encoder{Neg: ibgp(wire.IPv4Unicast), IncludeWithdraw: true}
	out := encodeAll(t, o.Take(true), e)
	if len(out) != 3 || out[0] != "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00170500010101" || out[2] != "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00170500010201" {
		t.Fatalf("got %v", out)
	}
}

func TestGrouping(t *testing.T) {
	o := NewOut([]wire.Family{wire.IPv4Unicast, wire.IPv6Unicast}, true)
	for _, p := range []string{"10.0.2.0/24", "10.0.1.0/24"} {
		o.Announce(inet(p), nh4, &wire.Attributes{}, false)
	}
	for _, p := range []string{"2001:db8:2::/48", "2001:db8:1::/48"} {
		o.Announce(inet(p), nh6, &wire.Attributes{}, false)
	}
	e := &Encoder{Neg: ibgp(wire.IPv4Unicast, wire.IPv6Unicast)}
	out := encodeAll(t, o.Take(true), e)
	if len(out) != 3 {
		t.Fatalf("got %d messages, want 1 grouped IPv4 + 2 IPv6: %v", len(out), out)
	}
	if !strings.HasSuffix(out[0], "180A0001180A0002") {
		t.Errorf("IPv4 NLRIs not sorted: %s", out[0])
	}
	// without group-updates: one UPDATE per route
	o = NewOut([]wire.Family{wire.IPv4Unicast}, true)
	for _, p := range []string{"10.0.2.0/24", "10.0.1.0/24"} {
		o.Announce(inet(p), nh4, &wire.Attributes{}, false)
	}
	if out := encodeAll(t, o.Take(false), e); len(out) != 2 {
		t.Errorf("ungrouped: %d messages", len(out))
	}
}

func TestSplitAtMaxSize(t *testing.T) {
	o := NewOut([]wire.Family{wire.IPv4Unicast}, true)
	const routes = 3000
	for i := 0; i < routes; i++ {
		a := netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 0})
		o.Announce(&wire.INET{Fam: wire.IPv4Unicast, Prefix: netip.PrefixFrom(a, 24)}, nh4, &wire.Attributes{}, false)
	}
	e := &Encoder{Neg: ibgp(wire.IPv4Unicast)}
	out := encodeAll(t, o.Take(true), e)
	total := 0
	for _, m := range out {
		if len(m)/2 > wire.MaxSize {
			t.Fatalf("message of %d bytes", len(m)/2)
		}
		b, _ := hex.DecodeString(m)
		u, err := wire.DecodeUpdate(b[wire.HeaderLen:])
		if err != nil {
			t.Fatal(err)
		}
		total += len(u.NLRI) / 4
	}
	if total != routes {
		t.Errorf("%d NLRIs sent, want %d", total, routes)
	}
}

func TestMPWithdrawOnly(t *testing.T) {
	o := NewOut([]wire.Family{wire.IPv6Unicast}, true)
	o.Withdraw(inet("2001:db8::/32"), nh6, &wire.Attributes{HasMED: true, MED: 1})
	e := &Encoder{Neg: ibgp(wire.IPv6Unicast), IncludeWithdraw: true}
	out := encodeAll(t, o.Take(true), e)
	// no attribute but MP_UNREACH_NLRI (RFC 4760 §4, as ExaBGP)
	if len(out) != 1 || out[0][38:] != "0000000B800F080002012020010DB8" {
		t.Fatalf("got %v", out)
	}
}

func BenchmarkUpdateGeneration(b *testing.B) {
	const routes = 100000
	nlris := make([]*wire.INET, routes)
	for i := range nlris {
		a := netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
		nlris[i] = &wire.INET{Fam: wire.IPv4Unicast, Prefix: netip.PrefixFrom(a, 32)}
	}
	attrs := []*wire.Attributes{{HasMED: true, MED: 1}, {HasMED: true, MED: 2}, {Communities: []uint32{1, 2}}}
	neg := ibgp(wire.IPv4Unicast)
	buf := make([]byte, 0, 1<<20)
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		o := NewOut([]wire.Family{wire.IPv4Unicast}, true)
		for i, p := range nlris {
			o.Announce(p, nh4, attrs[i%len(attrs)], false)
		}
		batch := o.Take(true)
		e := &Encoder{Neg: neg}
		msgs := 0
		for {
			it, ok := batch.Next()
			if !ok {
				break
			}
			var k int
			buf, k, _ = e.Append(buf[:0], it)
			msgs += k
		}
		if n == 0 {
			b.ReportMetric(float64(msgs), "updates/op")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/routes, "ns/route")
}

// TestRequeueKeepsPlace: ExaBGP's pending changes are Python dicts: an
// NLRI queued again in the same attribute set keeps its first place; one
// queued with other attributes stays queued in the first set too.
func TestRequeueKeepsPlace(t *testing.T) {
	o := NewOut([]wire.Family{wire.IPv4Unicast}, false)
	a := &wire.Attributes{HasMED: true, MED: 1}
	b := &wire.Attributes{HasMED: true, MED: 2}
	o.Announce(inet("10.0.1.0/24"), nh4, a, false)
	o.Announce(inet("10.0.2.0/24"), nh4, a, false)
	o.Announce(inet("10.0.1.0/24"), nh4, b, false)
	o.Announce(inet("10.0.1.0/24"), nh4, a, false)
	var got []string
	batch := o.Take(false)
	for {
		it, ok := batch.Next()
		if !ok {
			break
		}
		for _, r := range it.Routes {
			got = append(got, r.NLRI.(*wire.INET).Prefix.String()+"/"+string(rune('0'+r.Attrs.MED)))
		}
	}
	if want := "[10.0.1.0/24/1 10.0.2.0/24/1 10.0.1.0/24/2]"; fmt.Sprint(got) != want {
		t.Errorf("got %v, want %s", got, want)
	}
}

// TestSeal: changes sealed before a refresh go out first, and a later
// change of the same NLRI does not replace a sealed one.
func TestSeal(t *testing.T) {
	o := NewOut([]wire.Family{wire.IPv4Unicast}, true)
	o.Announce(inet("10.0.0.0/24"), nh4, &wire.Attributes{}, false)
	o.Take(true) // sent
	o.Announce(inet("10.0.1.0/24"), nh4, &wire.Attributes{}, false)
	o.Seal()
	o.Resend(false, nil)
	o.Withdraw(inet("10.0.1.0/24"), nh4, nil)
	if !o.Pending() || o.PendingLen() != 4 {
		t.Fatalf("pending %v %d", o.Pending(), o.PendingLen())
	}
	out := encodeAll(t, o.Take(true), &Encoder{Neg: ibgp(wire.IPv4Unicast), IncludeWithdraw: true})
	var got []string
	for _, m := range out {
		got = append(got, m[len(m)-8:])
	}
	// sealed announce, refresh of the cache (both routes), then the withdrawal
	want := "[180A0001 180A0000 180A0001 00010000]"
	if fmt.Sprint(got) != want {
		t.Fatalf("got %v, want %s", got, want)
	}
	if o.Pending() {
		t.Fatal("still pending after Take")
	}
}

// TestCommunitiesSorted: communities, extended and large communities go on
// the wire sorted (ExaBGP's Communities.add sorts), duplicates kept, and
// the caller's slices are left alone.
func TestCommunitiesSorted(t *testing.T) {
	a := &wire.Attributes{
		Communities:      []uint32{0xFFFFFF01, 3<<16 | 3, 1<<16 | 1, 3<<16 | 3},
		ExtCommunities:   []wire.ExtCommunity{{0, 2, 0, 0, 0, 0, 0, 9}, {0, 2, 0, 0, 0, 0, 0, 1}},
		LargeCommunities: []wire.LargeCommunity{{Global: 2, Local1: 1, Local2: 1}, {Global: 1, Local1: 2, Local2: 3}, {Global: 1, Local1: 2, Local2: 2}},
	}
	o := NewOut([]wire.Family{wire.IPv4Unicast}, true)
	o.Announce(inet("10.0.0.0/24"), nh4, a, false)
	out := encodeAll(t, o.Take(true), &Encoder{Neg: ibgp(wire.IPv4Unicast)})
	if len(out) != 1 {
		t.Fatalf("got %v", out)
	}
	for _, want := range []string{
		"C00810" + "00010001" + "00030003" + "00030003" + "FFFFFF01",
		"C01010" + "0002000000000001" + "0002000000000009",
		"C02024" + "000000010000000200000002" + "000000010000000200000003" + "000000020000000100000001",
	} {
		if !strings.Contains(out[0], want) {
			t.Errorf("%s lacks %s", out[0], want)
		}
	}
	if a.Communities[0] != 0xFFFFFF01 || a.LargeCommunities[0].Global != 2 {
		t.Error("the caller's attributes were sorted in place")
	}
}
