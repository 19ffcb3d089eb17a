package peer

import (
	"fmt"
	"net/netip"
	"slices"
	"testing"
	"time"

	"exago/config"
	"exago/wire"
)

func host(i int) *config.Route {
	return &config.Route{
		NLRI:    &wire.INET{Fam: wire.IPv4Unicast, Prefix: netip.MustParsePrefix(fmt.Sprintf("192.168.0.%d/32", i))},
		NextHop: netip.MustParseAddr(fmt.Sprintf("10.0.0.%d", i)),
	}
}

func announceHex(i int) string {
	return fmt.Sprintf("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00310200000015400101004002004003040A0000%02X4005040000006420C0A800%02X", i, i)
}

func withdrawHex(i int) string {
	return fmt.Sprintf("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001C02000520C0A800%02X0000", i)
}

// TestScriptAPIRRRib replays ExaBGP's api-rr-rib (the helper's commands,
// each group of them followed by a transmit turn) and checks every turn
// against the expected messages of api-rr-rib.msg.
func TestScriptAPIRRRib(t *testing.T) {
	n := baseNeighbor()
	n.LocalAS, n.PeerAS, n.RouterID = config.ASN{Value: 1}, config.ASN{Value: 1}, netip.MustParseAddr("1.2.3.4")
	n.GroupUpdates = false
	n.Capability.RouteRefresh = true
	h := newHarness(t, n, Options{})
	caps := stdCaps(1, wire.IPv4Unicast)
	caps.RouteRefresh, caps.EnhancedRefresh = true, true
	eor := "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00170200000000"
	borr, eorr := "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00170500010101", "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00170500010201"
	if u := updates(h.establish(1, caps)); !slices.Equal(u, []string{eor}) {
		t.Fatalf("10: %v", u)
	}
	steps := []struct {
		name string
		do   func()
		want []string
	}{
		{"0", func() { h.p.Announce(host(0)); h.p.ClearOut() }, nil},
		{"20", func() { h.p.Announce(host(1)) }, []string{announceHex(1)}},
		{"21", func() { h.p.ClearOut() }, []string{withdrawHex(1)}},
		{"30", func() { h.p.Announce(host(2)); h.p.Announce(host(3)) }, []string{announceHex(2), announceHex(3)}},
		{"31-33", func() { h.p.FlushOut() }, []string{borr, announceHex(2), announceHex(3), eorr}},
		{"40", func() { h.p.Announce(host(4)) }, []string{announceHex(4)}},
		{"42-48", func() { h.p.FlushOut() }, []string{borr, announceHex(2), announceHex(3), announceHex(4), eorr}},
		{"50", func() { h.p.ClearOut() }, []string{withdrawHex(2), withdrawHex(3), withdrawHex(4)}},
		{"60", func() { h.p.Announce(host(5)) }, []string{announceHex(5)}},
	}
	for _, s := range steps {
		s.do()
		var got []string
		for _, m := range h.pull() {
			if m != keepaliveHex() {
				got = append(got, m)
			}
		}
		if !slices.Equal(got, s.want) {
			t.Errorf("step %s:\n got %v\nwant %v", s.name, got, s.want)
		}
	}
}

// TestScriptAPITeardown replays ExaBGP's api-teardown: each teardown 4
// closes with 6/4 "Administrative Reset", the peer reconnects at once and
// re-sends its Adj-RIB-Out.
func TestScriptAPITeardown(t *testing.T) {
	n := baseNeighbor()
	n.LocalAS, n.PeerAS, n.RouterID = config.ASN{Value: 1}, config.ASN{Value: 1}, netip.MustParseAddr("1.2.3.4")
	n.GroupUpdates = false
	h := newHarness(t, n, Options{})
	rt := func(p, nh string) *config.Route {
		return &config.Route{NLRI: &wire.INET{Fam: wire.IPv4Unicast, Prefix: netip.MustParsePrefix(p)}, NextHop: netip.MustParseAddr(nh)}
	}
	upd := func(nh, nlri string) string {
		return "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF002F0200000015400101004002004003040" + nh + "40050400000064" + nlri
	}
	r1 := upd("1010101", "100101")
	r2 := upd("2020202", "100202")
	r3 := upd("3030303", "100303")
	eor := "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00170200000000"
	reset := "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF002A03" + "06041441646D696E697374726174697665205265736574"
	caps := stdCaps(1, wire.IPv4Unicast)
	var got []string
	got = append(got, updates(h.establish(1, caps))...)
	h.p.Announce(rt("1.1.0.0/16", "1.1.1.1"))
	got = append(got, h.pull()...)
	h.p.Teardown(4, "")
	got = append(got, h.pull()...)
	for i, next := range []*config.Route{rt("2.2.0.0/16", "2.2.2.2"), rt("3.3.0.0/16", "3.3.3.3")} {
		h.advance(10 * time.Millisecond) // the reconnect timer (back-off 0)
		if len(h.d.connects) != i+2 {
			t.Fatalf("no reconnect after teardown %d", i+1)
		}
		h.p.OnConnected(h.now, localAP, remoteAP)
		h.pull()
		h.feed(peerOpen(1, 180, caps), wire.AppendKeepalive(nil))
		got = append(got, updates(h.pull())...)
		h.p.Announce(next)
		got = append(got, h.pull()...)
		if i == 0 {
			h.p.Teardown(4, "")
			got = append(got, h.pull()...)
		}
	}
	want := []string{eor, r1, reset, r1, eor, r2, reset, r1, r2, eor, r3}
	if !slices.Equal(got, want) {
		t.Errorf("\n got %v\nwant %v", got, want)
	}
}

// TestScriptAPIFast replays ExaBGP's api-fast: API withdrawals take the
// place of the announcements they cancel (ExaBGP's add_to_rib), and the
// first batch drops withdrawals.
func TestScriptAPIFast(t *testing.T) {
	n := baseNeighbor()
	n.LocalAS, n.PeerAS, n.RouterID = config.ASN{Value: 1}, config.ASN{Value: 1}, netip.MustParseAddr("1.2.3.4")
	n.GroupUpdates = false
	h := newHarness(t, n, Options{})
	rt := func(p, nh string) *config.Route {
		return &config.Route{NLRI: &wire.INET{Fam: wire.IPv4Unicast, Prefix: netip.MustParsePrefix(p)}, NextHop: netip.MustParseAddr(nh)}
	}
	h.establish(1, stdCaps(1, wire.IPv4Unicast))
	h.p.Announce(rt("1.1.0.0/24", "101.1.101.1"))
	h.p.Announce(rt("1.1.0.0/25", "101.1.101.1"))
	h.p.Withdraw(rt("1.1.0.0/24", "101.1.101.1"))
	h.p.Announce(rt("1.1.0.0/25", "101.1.101.1"))
	got := updates(h.pull())
	h.p.Announce(rt("2.2.0.0/25", "101.1.101.1"))
	h.p.Announce(rt("2.2.0.0/24", "101.1.101.1"))
	h.p.Withdraw(rt("2.2.0.0/25", "101.1.101.1"))
	got = append(got, updates(h.pull())...)
	want := []string{
		"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0031020000001540010100400200400304650165014005040000006419010100" + "00",
		"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001C02000519020200000000",
		"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0030020000001540010100400200400304650165014005040000006418020200",
	}
	if !slices.Equal(got, want) {
		t.Errorf("\n got %v\nwant %v", got, want)
	}
}
