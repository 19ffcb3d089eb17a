package format

import (
	"net/netip"
	"testing"
	"time"

	"exago/wire"
)

// benchUpdate is a typical received UPDATE: ORIGIN, AS_PATH (3 ASNs),
// NEXT_HOP, MED, LOCAL_PREF, COMMUNITIES (2) and 4 IPv4 prefixes.
func benchUpdate(tb testing.TB) []byte {
	attrs, err := ParsePayload("40010100" + "4002 0E 0203 0000FDE9 0000FDEA 0000FDEB" + "400304 0A000001" +
		"80040400000005" + "40050400000064" + "C00808 FDE90001 FFFFFF01")
	if err != nil {
		tb.Fatal(err)
	}
	nlri, _ := ParsePayload("180A0100" + "180A0200" + "180A0300" + "100B00")
	body := []byte{0, 0, byte(len(attrs) >> 8), byte(len(attrs))}
	body = append(append(body, attrs...), nlri...)
	return wire.AppendMessage(nil, wire.TypeUpdate, body)
}

func benchNeighbor() *Neighbor {
	return &Neighbor{LocalAddr: netip.MustParseAddr("127.0.0.1"), PeerAddr: netip.MustParseAddr("127.0.0.2"),
		LocalAS: 65000, PeerAS: 65001, RouterID: netip.MustParseAddr("10.0.0.1"), Counter: 1}
}

func TestBenchUpdateRenders(t *testing.T) {
	enc := &Encoder{Host: "h", PID: 1, PPID: 1}
	out, err := enc.Update(nil, benchNeighbor(), Receive, benchUpdate(t), &wire.Negotiated{ASN4: true})
	if err != nil {
		t.Fatal(err)
	}
	if ok, diff := sameJSON(t, out, out); !ok {
		t.Fatal(diff)
	}
}

// BenchmarkUpdateJSON renders one received UPDATE event per iteration
// into a reused buffer (target: ≤ 2 µs per line, 500,000 lines/s).
func BenchmarkUpdateJSON(b *testing.B) {
	now := time.Unix(1700000000, 123456789)
	enc := &Encoder{Host: "bench-host", PID: 1234, PPID: 1, Now: func() time.Time { return now }}
	nb := benchNeighbor()
	msg := benchUpdate(b)
	neg := &wire.Negotiated{ASN4: true}
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var err error
		buf, err = enc.Update(buf[:0], nb, Receive, msg, neg)
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUpdateJSONCached is BenchmarkUpdateJSON with a [Cache], as
// package api renders (envelope and neighbor parts kept from line to line).
func BenchmarkUpdateJSONCached(b *testing.B) {
	now := time.Unix(1700000000, 123456789)
	enc := &Encoder{Host: "bench-host", PID: 1234, PPID: 1, Now: func() time.Time { return now }, Cache: &Cache{}}
	nb := benchNeighbor()
	msg := benchUpdate(b)
	neg := &wire.Negotiated{ASN4: true}
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var err error
		buf, err = enc.Update(buf[:0], nb, Receive, msg, neg)
		if err != nil {
			b.Fatal(err)
		}
	}
}

// TestUpdateAllocs: rendering a received inet UPDATE into a buffer with
// room allocates nothing (STYLE.md §16).
func TestUpdateAllocs(t *testing.T) {
	enc := &Encoder{Host: "h", PID: 1, PPID: 1, Now: func() time.Time { return time.Unix(1, 0) }}
	nb := benchNeighbor()
	msg := benchUpdate(t)
	neg := &wire.Negotiated{ASN4: true}
	buf := make([]byte, 0, 4096)
	allocs := testing.AllocsPerRun(100, func() {
		buf, _ = enc.Update(buf[:0], nb, Receive, msg, neg)
	})
	if allocs != 0 {
		t.Errorf("Update allocates %v times per call", allocs)
	}
}

// BenchmarkUpdateText is the text encoder on the same UPDATE.
func BenchmarkUpdateText(b *testing.B) {
	txt := &Text{}
	nb := benchNeighbor()
	msg := benchUpdate(b)
	neg := &wire.Negotiated{ASN4: true}
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf, _ = txt.Update(buf[:0], nb, Receive, msg, neg)
	}
}
