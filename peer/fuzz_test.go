package peer

import (
	"testing"

	"exago/wire"
)

// FuzzOnRead feeds arbitrary bytes to an established session (IPv4 and
// IPv6 unicast, add-path, adj-rib-in on): whatever arrives, the peer
// answers with a NOTIFICATION or goes on, and never panics.
func FuzzOnRead(f *testing.F) {
	f.Add(wire.AppendKeepalive(nil))
	f.Add(msgBytesF("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF002F02000000144001010040020602010000FDE84003040A0001FE180A0000"))
	f.Add(msgBytesF("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001E0200000007900F0003000201"))
	f.Add(wire.RouteRefresh{Family: wire.IPv4Unicast}.Append(nil))
	f.Add(wire.AppendNotification(nil, 6, 2, "x"))
	f.Fuzz(func(t *testing.T, b []byte) {
		n := baseNeighbor()
		n.Families = append(n.Families, wire.IPv6Unicast)
		h := newHarness(t, n, Options{})
		caps := stdCaps(65000, wire.IPv4Unicast, wire.IPv6Unicast)
		h.establish(65000, caps)
		h.p.OnRead(h.now, b)
		h.p.Pull(h.now, nil)
	})
}

func msgBytesF(s string) []byte {
	b := make([]byte, len(s)/2)
	for i := range b {
		b[i] = unhex(s[2*i])<<4 | unhex(s[2*i+1])
	}
	return b
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// FuzzUpdate wraps arbitrary bytes as the body of an UPDATE (or, with a
// leading 0xFE, of a ROUTE-REFRESH) so that the decoding paths behind the
// framing are reached.
func FuzzUpdate(f *testing.F) {
	f.Add(msgBytesF("000000144001010040020602010000FDE84003040A0001FE180A0000"))
	f.Add(msgBytesF("0000001A800E1600020110200100000000000000000000000000000120200100"))
	f.Add(msgBytesF("0000000B800F080002012020010DB8"))
	f.Add(msgBytesF("00000007900F0003000201"))
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > 4000 {
			return
		}
		n := baseNeighbor()
		n.Families = append(n.Families, wire.IPv6Unicast, wire.IPv4Flow, wire.IPv4VPN)
		n.AddPath = []wire.Family{wire.IPv4Unicast}
		n.Capability.AddPath = wire.AddPathBoth
		h := newHarness(t, n, Options{})
		caps := stdCaps(65000, wire.IPv4Unicast, wire.IPv6Unicast, wire.IPv4Flow, wire.IPv4VPN)
		caps.HasAddPath = true
		caps.AddPath = []wire.AddPathFamily{{Family: wire.IPv4Unicast, Mode: wire.AddPathBoth}}
		h.establish(65000, caps)
		typ := wire.TypeUpdate
		if len(body) > 0 && body[0] == 0xfe {
			typ, body = wire.TypeRouteRefresh, body[1:]
		}
		h.p.OnRead(h.now, wire.AppendMessage(nil, typ, body))
		h.p.Pull(h.now, nil)
	})
}
