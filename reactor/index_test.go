package reactor

import (
	"net/netip"
	"testing"
)

func TestAddrIndex(t *testing.T) {
	x := addrIndex[int]{}
	a := netip.MustParsePrefix("127.0.0.1/32")
	b := netip.MustParsePrefix("::ffff:127.0.0.2/128")
	x.add(a, 1)
	x.add(a, 2) // two neighbors, one peer address (different local addresses)
	x.add(b, 3)
	if got := x.at(netip.MustParseAddr("127.0.0.1")); len(got) != 2 || got[0] != 1 || got[1] != 2 {
		t.Fatalf("at 127.0.0.1: %v", got)
	}
	if got := x.at(netip.MustParseAddr("127.0.0.2")); len(got) != 1 || got[0] != 3 {
		t.Fatalf("at 127.0.0.2 (mapped key): %v", got)
	}
	x.del(a, 1)
	if got := x.at(netip.MustParseAddr("127.0.0.1")); len(got) != 1 || got[0] != 2 {
		t.Fatalf("after del: %v", got)
	}
	x.del(a, 2)
	x.del(b, 3)
	x.del(b, 3) // absent: no-op
	if len(x) != 0 {
		t.Fatalf("index not empty: %v", x)
	}
}

// BenchmarkAddrIndex is the per-connection lookup of an incoming
// connection among 10,000 configured peers.
func BenchmarkAddrIndex(b *testing.B) {
	x := addrIndex[int]{}
	for i := range 10000 {
		x.add(netip.PrefixFrom(host(i), 32), i)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if len(x.at(host(i%10000))) != 1 {
			b.Fatal("miss")
		}
	}
}
