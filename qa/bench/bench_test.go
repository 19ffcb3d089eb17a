package bench

import (
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
	}
	md := Markdown(rs)
	for _, want := range []string{"### sessions", "| exago | dut-accepts | 1000 | 2 |", "FAILED: timeout after 2m0s"} {
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
