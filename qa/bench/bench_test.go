package bench

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"exago/wire"
)

func TestPeerAddr(t *testing.T) {
	for i, want := range map[int]string{0: "127.1.0.1", 253: "127.1.0.254", 254: "127.1.1.1", 9999: "127.1.39.94"} {
		if got := PeerAddr(i).String(); got != want {
			t.Errorf("PeerAddr(%d) = %s, want %s", i, got, want)
		}
	}
}

// TestTableUpdates decodes what the receive scenario sends: every route is
// there, 2–4 per UPDATE.
func TestTableUpdates(t *testing.T) {
	raw, err := TableUpdates(1000, 65001, netip.MustParseAddr("127.1.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	total, msgs := 0, 0
	for off := 0; off < len(raw); {
		m, n, err := wire.Frame(raw[off:], wire.MaxSize)
		if err != nil || n == 0 {
			t.Fatalf("frame at %d: %v", off, err)
		}
		off += n
		u, err := wire.DecodeUpdate(m.Body())
		if err != nil {
			t.Fatal(err)
		}
		it := wire.Prefixes(u.NLRI, wire.AFIIPv4, false)
		k := 0
		for it.Next() {
			k++
		}
		if k < 1 || k > 4 {
			t.Fatalf("UPDATE %d carries %d prefixes", msgs, k)
		}
		total += k
		msgs++
	}
	if total != 1000 {
		t.Fatalf("%d routes, want 1000", total)
	}
}

// TestLoadgenPair runs one generator against another: both speak BGP, so
// the session comes up on each side and keepalives flow.
func TestLoadgenPair(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.1.0.1:0")
	if err != nil {
		t.Skip("cannot listen on 127.1.0.1:", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	ap := netip.AddrPortFrom(PeerAddr(0), uint16(port))
	a := &Loadgen{N: 1, ASN: 65001, Hold: 3, Listen: ap}
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	defer a.Stop()
	b := &Loadgen{N: 1, ASN: 65002, Hold: 3, DUT: ap}
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	defer b.Stop()
	deadline := time.Now().Add(20 * time.Second)
	for a.Established() < 1 || b.Established() < 1 {
		if time.Now().After(deadline) {
			t.Fatalf("not established: a=%d b=%d (%v %v)", a.Established(), b.Established(), a.Sessions[0].Err, b.Sessions[0].Err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestReport(t *testing.T) {
	rs := []*Record{
		{Scenario: "sessions", DUT: "exago", N: 100, Mode: "dut-accepts", OK: true, Metrics: map[string]float64{"establish_s": 0.5, "dut_rss_mb": 10}},
		{Scenario: "sessions", DUT: "exago", N: 1000, Mode: "dut-accepts", OK: true, Metrics: map[string]float64{"establish_s": 2, "dut_rss_mb": 20}},
		{Scenario: "sessions", DUT: "exabgp", N: 1000, Mode: "dut-accepts", Error: "timeout after 2m0s waiting for established: reached 400/1000"},
		{Scenario: "inject", DUT: "exago", N: 10, Routes: 10000, OK: true, Metrics: map[string]float64{"routes_per_s": 1e6, "dut_rss_mb": 20, "dut_anon_mb": 10}},
	}
	md := Markdown(rs)
	for _, want := range []string{"### sessions", "| exago | dut-accepts | 1000 | 2 |", "FAILED: timeout after 2m0s",
		"DUT VmRSS (MB) | DUT RssAnon (MB)", "| exago |  | 10 | 10000 |", "**RssAnon**"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	svg, ok := LinePlot(rs, "sessions", "establish_s", "t")
	if !ok || !strings.Contains(svg, "<polyline") || strings.Contains(svg, "exabgp") {
		t.Errorf("plot: ok=%v\n%s", ok, svg)
	}
	if l := rs[2].Line(); !strings.Contains(l, `ok=false`) || !strings.Contains(l, `error="timeout`) {
		t.Errorf("line: %s", l)
	}
}

// TestCompare: ratios are ExaGo's advantage, pairs only form at the same
// scenario and size, and each of the targets is checked.
func TestCompare(t *testing.T) {
	m := func(kv ...float64) map[string]float64 {
		out := map[string]float64{}
		names := []string{"routes_per_s", "dut_rss_mb", "dut_anon_mb"}
		for i, v := range kv {
			out[names[i]] = v
		}
		return out
	}
	rs := []*Record{
		{Scenario: "inject", DUT: "exago", N: 10, Routes: 10000, OK: true, Metrics: m(1e6, 20, 10)},
		{Scenario: "inject", DUT: "exabgp", N: 10, Routes: 10000, OK: true, Metrics: m(1e4, 400, 90)},
		{Scenario: "inject", DUT: "exago", N: 100, Routes: 100000, OK: true, Metrics: m(4e6, 120, 110)},
		{Scenario: "inject", DUT: "gobgp", N: 100, Routes: 100000, OK: true, Metrics: m(8e4, 300, 290)},
		{Scenario: "inject", DUT: "bird", N: 100, Routes: 100000, OK: true, Metrics: m(8e6, 30, 28)},
		{Scenario: "inject", DUT: "bird", N: 10, Routes: 99, OK: true, Metrics: m(1, 1, 1)}, // no ExaGo at this size
		{Scenario: "sessions", Mode: "dut-connects", DUT: "exago", N: 10000, OK: true, Metrics: map[string]float64{"establish_s": 2, "dut_rss_mb": 120, "dut_threads": 7}},
		{Scenario: "sessions", Mode: "dut-connects", DUT: "exago-sync", N: 10000, OK: true, Metrics: map[string]float64{"establish_s": 3, "dut_rss_mb": 200, "dut_threads": 13}},
	}
	cs := Compare(rs)
	got := map[string]Comparison{}
	for _, c := range cs {
		got[fmt.Sprintf("%s/%d/%s", c.Scenario, c.N, c.Other)] = c
	}
	if len(cs) != 4 {
		t.Fatalf("%d comparisons, want 4: %+v", len(cs), cs)
	}
	e := got["inject/10/exabgp"]
	if e.Speed != 100 || e.RSS != 20 || e.Anon != 9 {
		t.Errorf("vs exabgp: %+v", e)
	}
	if n := strings.Join(e.Notes, "; "); n != "≥ 50× faster: met; ≥ 10× less VmRSS: met; ≥ 10× less RssAnon: target NOT MET" {
		t.Errorf("vs exabgp notes: %s", n)
	}
	if n := strings.Join(got["inject/100/gobgp"].Notes, ""); n != "faster than gobgp: met" {
		t.Errorf("vs gobgp: %s", n)
	}
	if n := strings.Join(got["inject/100/bird"].Notes, ""); n != "faster than bird: target NOT MET" {
		t.Errorf("vs bird: %s", n)
	}
	sy := got["sessions/10000/exago-sync"]
	if sy.Speed != 1.5 || !strings.Contains(strings.Join(sy.Notes, ";"), "reactor VmRSS ≤ ½ sync (1.67×): target NOT MET;fewer threads (7 vs 13): met") {
		t.Errorf("vs sync: %+v", sy)
	}
	md := Markdown(rs)
	if !strings.Contains(md, "| 100 | 100000 | bird | 0.50× | 0.25× | 0.25× | faster than bird: target NOT MET |") {
		t.Errorf("comparison table:\n%s", md)
	}
}

func TestParseStatus(t *testing.T) {
	var st ProcStat
	parseStatus(&st, "Name:\texabgp\nVmRSS:\t   21140 kB\nRssAnon:\t   14320 kB\nRssFile:\t    6820 kB\nThreads:\t7\n")
	if st.RSS != 21140*1024 || st.Anon != 14320*1024 || st.Threads != 7 {
		t.Errorf("%+v", st)
	}
	if self, err := ReadProc(0); err != nil || self.RSS == 0 || self.Anon == 0 || self.Anon > self.RSS {
		t.Errorf("ReadProc(0) = %+v, %v", self, err)
	}
}

func TestRibDestinations(t *testing.T) {
	n, ok := ribDestinations("Table afi:AFI_IP safi:SAFI_UNICAST\nDestination: 9678, Path: 9678\n")
	if !ok || n != 9678 {
		t.Errorf("got %d %v", n, ok)
	}
	if _, ok := ribDestinations("context deadline exceeded\n"); ok {
		t.Error("parsed an error message")
	}
}

func TestRouteIndex(t *testing.T) {
	for _, i := range []int{0, 255, 256, 65535, 65536, 99999} {
		got, ok := routeIndex(netip.MustParsePrefix(RoutePrefix(i)), 100000)
		if !ok || got != i {
			t.Errorf("routeIndex(%s) = %d %v, want %d", RoutePrefix(i), got, ok, i)
		}
	}
	for _, p := range []string{"10.0.0.0/25", "9.0.0.0/24", "10.0.0.1/32", RoutePrefix(100000)} {
		if i, ok := routeIndex(netip.MustParsePrefix(p), 100000); ok {
			t.Errorf("routeIndex(%s) = %d, want none", p, i)
		}
	}
}

// TestCountUpdate: with a route set, a repeated announcement counts once,
// a withdrawal uncounts, and prefixes outside the set are foreign.
func TestCountUpdate(t *testing.T) {
	s := &Session{held: make([]uint64, 2), routes: 100}
	upd := func(withdraw []int, announce ...string) []byte {
		n := &wire.Negotiated{ASN4: true, MaxSize: wire.MaxSize, LocalAS: 65000, PeerAS: 65001}
		var w []byte
		for _, i := range withdraw {
			w = wire.AppendPrefix(w, netip.MustParsePrefix(RoutePrefix(i)))
		}
		if len(announce) == 0 {
			body := append([]byte{byte(len(w) >> 8), byte(len(w))}, w...)
			return append(body, 0, 0)
		}
		nlri := make([]wire.NLRI, len(announce))
		for i, p := range announce {
			nlri[i] = &wire.INET{Fam: wire.IPv4Unicast, Prefix: netip.MustParsePrefix(p)}
		}
		attrs := &wire.Attributes{HasOrigin: true, HasASPath: true, ASPath: []wire.ASSegment{{Type: wire.ASSequence, ASNs: []uint32{65000}}}}
		ub := wire.UpdateBuilder{Family: wire.IPv4Unicast, Attrs: attrs, NextHop: netip.MustParseAddr("127.0.0.1"), Announce: nlri, NoDefaults: true}
		raw, err := ub.Append(nil, n)
		if err != nil {
			t.Fatal(err)
		}
		m, _, err := wire.Frame(raw, wire.MaxSize)
		if err != nil {
			t.Fatal(err)
		}
		return m.Body()
	}
	now := time.Now()
	s.countUpdate(upd(nil, RoutePrefix(0), RoutePrefix(1), RoutePrefix(99)), now)
	s.countUpdate(upd(nil, RoutePrefix(1), RoutePrefix(100), "192.0.2.0/24"), now)
	s.countUpdate(upd([]int{0, 50}), now)
	if d, p, w, f := s.Distinct.Load(), s.Prefixes.Load(), s.Withdrawn.Load(), s.Foreign.Load(); d != 2 || p != 6 || w != 2 || f != 2 {
		t.Errorf("distinct=%d prefixes=%d withdrawn=%d foreign=%d, want 2 6 2 2", d, p, w, f)
	}
}

// TestMRT: the table is a PEER_INDEX_TABLE then one RIB_IPV4_UNICAST
// record per route, in order (RFC 6396 §4.3).
func TestMRT(t *testing.T) {
	raw := AppendMRT(nil, 300, netip.MustParseAddr("127.0.0.1"))
	var subtypes []int
	for off := 0; off < len(raw); {
		if off+12 > len(raw) {
			t.Fatalf("short header at %d", off)
		}
		subtypes = append(subtypes, int(raw[off+6])<<8|int(raw[off+7]))
		body := raw[off+12 : off+12+(int(raw[off+8])<<24|int(raw[off+9])<<16|int(raw[off+10])<<8|int(raw[off+11]))]
		if len(subtypes) == 300 { // the last route: sequence 298, 10.0.1.42/24
			if seq := int(body[3]) | int(body[2])<<8; seq != 298 || body[4] != 24 || body[5] != 10 || body[6] != 1 || body[7] != 42 {
				t.Errorf("record 300: % x", body[:8])
			}
		}
		off += 12 + len(body)
	}
	if len(subtypes) != 301 || subtypes[0] != 1 || subtypes[1] != 2 || subtypes[300] != 2 {
		t.Errorf("%d records, subtypes %v…", len(subtypes), subtypes[:2])
	}
}

// BenchmarkCountUpdate is the generator's cost per received prefix (one
// core): UPDATEs of 500 routes each, as a DUT packs them, tracked in the
// route set. Its rate bounds what the generator can measure.
func BenchmarkCountUpdate(b *testing.B) {
	const per = 500
	nlri := make([]wire.NLRI, per)
	for i := range nlri {
		nlri[i] = &wire.INET{Fam: wire.IPv4Unicast, Prefix: netip.MustParsePrefix(RoutePrefix(i))}
	}
	attrs := &wire.Attributes{HasOrigin: true, HasASPath: true, ASPath: []wire.ASSegment{{Type: wire.ASSequence, ASNs: []uint32{65000}}}}
	ub := wire.UpdateBuilder{Family: wire.IPv4Unicast, Attrs: attrs, NextHop: netip.MustParseAddr("127.0.0.1"), Announce: nlri, NoDefaults: true}
	raw, err := ub.Append(nil, &wire.Negotiated{ASN4: true, MaxSize: wire.MaxSize, LocalAS: 65000, PeerAS: 65001})
	if err != nil {
		b.Fatal(err)
	}
	m, _, err := wire.Frame(raw, wire.MaxSize)
	if err != nil {
		b.Fatal(err)
	}
	s := &Session{held: make([]uint64, (per+63)/64), routes: per}
	now := time.Now()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.countUpdate(m.Body(), now)
	}
	b.ReportMetric(float64(b.N)*per/b.Elapsed().Seconds(), "prefixes/s")
}

// TestLoadgenRedials: a DUT that accepts the connection but never answers
// the OPEN (or closes it) is dialled again, as a real peer would.
func TestLoadgenRedials(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		var held []net.Conn // silent: neither OPEN nor close
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for k := 0; ; k++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if k%2 == 0 {
				held = append(held, c)
			} else {
				c.Close()
			}
		}
	}()
	lg := &Loadgen{N: 1, ASN: 65001, Hold: 9, OpenTimeout: time.Second,
		DUT: netip.MustParseAddrPort(ln.Addr().String())}
	if err := lg.Start(); err != nil {
		t.Fatal(err)
	}
	defer lg.Stop()
	deadline := time.Now().Add(20 * time.Second)
	for lg.Dials() < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections opened, want 3 (%v)", lg.Dials(), lg.Sessions[0].Err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if lg.Established() != 0 {
		t.Errorf("established %d", lg.Established())
	}
	if why := lg.Why(); !strings.Contains(why, "0/1 sessions established") {
		t.Errorf("Why: %s", why)
	}
}
