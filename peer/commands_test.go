package peer

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"exago/config"
	"exago/wire"
)

func route(prefix, nh string) *config.Route {
	return &config.Route{NLRI: inet(prefix), NextHop: netip.MustParseAddr(nh)}
}

func updates(out []string) []string {
	var u []string
	for _, m := range out {
		if m[36:38] == "02" {
			u = append(u, m)
		}
	}
	return u
}

func TestAnnounceWithdrawEstablished(t *testing.T) {
	n := withRoute(baseNeighbor(), "10.0.5.0/24", "10.0.1.254", wire.Attributes{})
	h := newHarness(t, n, Options{})
	h.establish(65000, stdCaps(65000, wire.IPv4Unicast)) // first dump done: withdrawals go out
	if err := h.p.Announce(route("10.0.0.0/24", "10.0.1.254")); err != nil {
		t.Fatal(err)
	}
	if err := h.p.Withdraw(route("10.0.0.0/24", "10.0.1.254")); err != nil {
		t.Fatal(err)
	}
	out := updates(h.pull())
	// announce then withdraw before the flush: only the withdrawal
	if len(out) != 1 || out[0] != "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001B020004180A00000000" {
		t.Fatalf("got %v", out)
	}
	// adj-rib-out: a duplicate announce is suppressed
	h.p.Announce(route("10.0.1.0/24", "10.0.1.254"))
	if n := len(updates(h.pull())); n != 1 {
		t.Fatalf("%d updates", n)
	}
	h.p.Announce(route("10.0.1.0/24", "10.0.1.254"))
	if n := len(updates(h.pull())); n != 0 {
		t.Fatalf("duplicate sent: %d updates", n)
	}
	if err := h.p.Announce(&config.Route{NLRI: inet("2001:db8::/32"), NextHop: netip.MustParseAddr("::1")}); err != ErrFamily {
		t.Errorf("unconfigured family: %v", err)
	}
}

func TestReconnectResendsAndEOR(t *testing.T) {
	n := withRoute(baseNeighbor(), "10.0.0.0/24", "10.0.1.254", wire.Attributes{})
	h := newHarness(t, n, Options{})
	out := h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
	if u := updates(out); len(u) != 2 {
		t.Fatalf("first session: %v", u)
	}
	h.p.Announce(route("10.0.9.0/24", "10.0.1.254")) // API route, kept in adj-rib-out
	h.pull()
	h.p.OnClosed(h.now, nil)
	h.advance(time.Second)
	h.p.OnConnected(h.now, localAP, remoteAP)
	h.pull()
	h.feed(peerOpen(65000, 180, stdCaps(65000, wire.IPv4Unicast)), wire.AppendKeepalive(nil))
	u := updates(h.pull())
	if len(u) != 2 || !strings.HasSuffix(u[0], "180A0000180A0009") || u[1] != "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00170200000000" {
		t.Fatalf("second session: %v", u)
	}
}

func TestManualEOR(t *testing.T) {
	n := baseNeighbor()
	n.ManualEOR = true
	h := newHarness(t, n, Options{})
	if u := updates(h.establish(65000, stdCaps(65000, wire.IPv4Unicast))); len(u) != 0 {
		t.Fatalf("manual-eor sent %v", u)
	}
	if err := h.p.AnnounceEOR(wire.IPv6Unicast); err != nil {
		t.Fatal(err)
	}
	if u := updates(h.pull()); len(u) != 1 || u[0] != "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001E0200000007900F0003000201" {
		t.Fatalf("EOR %v", u)
	}
}

func TestNoFamilyEORIsKeepalive(t *testing.T) {
	h := newHarness(t, baseNeighbor(), Options{})
	out := h.establish(65000, stdCaps(65000, wire.IPv6Unicast))
	if n := strings.Count(strings.Join(out, " "), keepaliveHex()); n != 2 {
		t.Errorf("want OPENCONFIRM keepalive + EOR keepalive, got %v", out)
	}
}

func TestRouteRefresh(t *testing.T) {
	n := withRoute(baseNeighbor(), "10.0.0.0/24", "10.0.1.254", wire.Attributes{})
	n.Capability.RouteRefresh = true
	h := newHarness(t, n, Options{})
	caps := stdCaps(65000, wire.IPv4Unicast)
	caps.RouteRefresh, caps.EnhancedRefresh = true, true
	h.establish(65000, caps)
	h.feed(wire.RouteRefresh{Family: wire.IPv4Unicast}.Append(nil))
	out := h.pull()
	want := []string{"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00170500010101", "", "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00170500010201"}
	if len(out) != 3 || out[0] != want[0] || out[2] != want[2] || !strings.HasSuffix(out[1], "180A0000") {
		t.Fatalf("refresh answer %v", out)
	}
	if err := h.p.RouteRefresh(wire.IPv4Unicast); err != nil {
		t.Fatal(err)
	}
	if out := h.pull(); len(out) != 1 || out[0] != "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00170500010001" {
		t.Fatalf("refresh request %v", out)
	}
	if err := h.p.FlushOut(); err != nil {
		t.Fatal(err)
	}
	if out := h.pull(); len(out) != 3 {
		t.Fatalf("flush %v", out)
	}
}

func TestClearAdjRibOut(t *testing.T) {
	n := withRoute(baseNeighbor(), "10.0.0.0/24", "10.0.1.254", wire.Attributes{})
	h := newHarness(t, n, Options{})
	h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
	h.p.ClearOut()
	if u := updates(h.pull()); len(u) != 1 || u[0] != "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001B020004180A00000000" {
		t.Fatalf("clear %v", u)
	}
	if h.p.Out().Len() != 0 {
		t.Error("adj-rib-out not empty")
	}
}

func TestPullBudget(t *testing.T) {
	n := baseNeighbor()
	n.Families = []wire.Family{wire.IPv4Unicast, wire.IPv6Unicast}
	for i := 0; i < 60; i++ {
		n.Routes = append(n.Routes, config.Route{NLRI: inet(fmt.Sprintf("2001:db8:%x::/48", i)), NextHop: netip.MustParseAddr("2001:db8::1")})
	}
	h := newHarness(t, n, Options{MaxMessages: 25})
	h.p.Start(h.now)
	h.p.OnConnected(h.now, localAP, remoteAP)
	h.pull()
	h.feed(peerOpen(65000, 180, stdCaps(65000, wire.IPv4Unicast, wire.IPv6Unicast)), wire.AppendKeepalive(nil))
	var sizes []int
	for {
		b, more := h.p.Pull(h.now, nil)
		sizes = append(sizes, len(updates(splitHex(t, b))))
		if !more {
			break
		}
	}
	// 60 IPv6 updates (one per NLRI) by 25, with the two EORs at the end
	if fmt.Sprint(sizes) != "[25 25 12]" {
		t.Errorf("updates per Pull %v", sizes)
	}
}

func TestRateLimit(t *testing.T) {
	n := baseNeighbor()
	n.RateLimit = 2
	n.GroupUpdates = false
	for i := 0; i < 4; i++ {
		n.Routes = append(n.Routes, config.Route{NLRI: inet(fmt.Sprintf("10.0.%d.0/24", i)), NextHop: netip.MustParseAddr("10.0.1.254")})
	}
	h := newHarness(t, n, Options{})
	h.p.Start(h.now)
	h.p.OnConnected(h.now, localAP, remoteAP)
	h.pull()
	h.feed(peerOpen(65000, 180, stdCaps(65000, wire.IPv4Unicast)), wire.AppendKeepalive(nil))
	sent := 0
	for i := 0; i < 10 && sent < 4; i++ {
		b, _ := h.p.Pull(h.now, nil)
		sent += len(updates(splitHex(t, b)))
		if sent > i+1 {
			t.Fatalf("%d updates after %d turns", sent, i+1)
		}
		h.advance(500 * time.Millisecond)
	}
	if sent != 4 {
		t.Errorf("sent %d", sent)
	}
}

func TestWatchdog(t *testing.T) {
	n := baseNeighbor()
	n.Routes = []config.Route{
		{NLRI: inet("10.0.0.0/24"), NextHop: netip.MustParseAddr("10.0.1.254"), Watchdog: "dog"},
		{NLRI: inet("10.0.1.0/24"), NextHop: netip.MustParseAddr("10.0.1.254"), Watchdog: "dog", Withdrawn: true},
	}
	h := newHarness(t, n, Options{})
	if u := updates(h.establish(65000, stdCaps(65000, wire.IPv4Unicast))); len(u) != 2 || !strings.HasSuffix(u[0], "180A0000") {
		t.Fatalf("initial %v", u)
	}
	h.p.AnnounceWatchdog("dog")
	if u := updates(h.pull()); len(u) != 1 || !strings.HasSuffix(u[0], "180A0001") {
		t.Fatalf("announce watchdog %v", u)
	}
	h.p.WithdrawWatchdog("dog")
	if u := updates(h.pull()); len(u) != 1 || !strings.Contains(u[0], "0008180A0000180A0001") {
		t.Fatalf("withdraw watchdog %v", u)
	}
}

func TestNextHopSelf(t *testing.T) {
	n := baseNeighbor()
	n.LocalAddress, n.LocalAuto = netip.Addr{}, true
	n.Routes = []config.Route{{NLRI: inet("10.0.0.0/24"), NextHopSelf: true}}
	h := newHarness(t, n, Options{})
	u := updates(h.establish(65000, stdCaps(65000, wire.IPv4Unicast)))
	if len(u) != 2 || !strings.Contains(u[0], "4003047F000001") {
		t.Fatalf("next-hop self %v", u)
	}
}

func TestReceivedUpdate(t *testing.T) {
	h := newHarness(t, baseNeighbor(), Options{})
	h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
	upd := msgBytes(t, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF002F02000000144001010040020602010000FDE84003040A0001FE180A0000")
	h.feed(upd)
	ru, ok := h.ev.last.(*ReceivedUpdate)
	if !ok || len(ru.Announce) != 1 || ru.Announce[0].NextHop != netip.MustParseAddr("10.0.1.254") {
		t.Fatalf("decoded %#v", h.ev.last)
	}
	if h.p.In().Len() != 1 {
		t.Errorf("adj-rib-in holds %d", h.p.In().Len())
	}
	h.feed(msgBytes(t, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001B020004180A00000000"))
	if h.p.In().Len() != 0 {
		t.Errorf("withdraw: adj-rib-in holds %d", h.p.In().Len())
	}
	// RFC 7606: a bad ORIGIN value is treat-as-withdraw, the session stays
	bad := msgBytes(t, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF002F02000000144001010940020602010000FDE84003040A0001FE180A0000")
	h.feed(bad)
	if h.p.State() != StateEstablished {
		t.Fatalf("session reset on treat-as-withdraw: %v", h.p.State())
	}
	if ru := h.ev.last.(*ReceivedUpdate); ru.TreatAsWithdraw == nil || len(ru.Withdraw) != 1 {
		t.Errorf("treat-as-withdraw not applied: %+v", ru)
	}
}

func msgBytes(t *testing.T, h string) []byte {
	var b []byte
	if _, err := fmt.Sscanf(h, "%X", &b); err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFirstDumpDropsWithdrawals: until the first batch of updates is out,
// withdrawals are not sent (ExaBGP's include_withdraw).
func TestFirstDumpDropsWithdrawals(t *testing.T) {
	h := newHarness(t, baseNeighbor(), Options{})
	h.p.Withdraw(route("10.0.7.0/24", "10.0.1.254"))
	u := updates(h.establish(65000, stdCaps(65000, wire.IPv4Unicast)))
	if len(u) != 1 || u[0] != "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00170200000000" {
		t.Fatalf("first dump %v", u)
	}
}

type backlogEvents struct {
	recEvents
	full bool
}

func (e *backlogEvents) Backlogged(*Peer) bool { return e.full }

func TestBacklogPausesReading(t *testing.T) {
	h := newHarness(t, baseNeighbor(), Options{})
	ev := &backlogEvents{}
	h.p.ev = ev
	h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
	ev.full = true
	ka := wire.AppendKeepalive(nil)
	if n := h.p.OnRead(h.now, append(ka, ka...)); n != 0 || !h.d.paused {
		t.Fatalf("consumed %d paused %v", n, h.d.paused)
	}
	ev.full = false
	h.p.Resume()
	if h.d.paused {
		t.Fatal("still paused")
	}
	if n := h.p.OnRead(h.now, append(ka, ka...)); n != 2*len(ka) {
		t.Fatalf("consumed %d after resume", n)
	}
}

// TestReconfigure is ExaBGP's api-reload: only the difference between the
// old and the new configuration routes goes out.
func TestReconfigure(t *testing.T) {
	old := baseNeighbor()
	old.Routes = []config.Route{*route("1.0.0.0/24", "4.0.0.0"), *route("2.0.0.0/24", "4.0.0.0")}
	h := newHarness(t, old, Options{})
	h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
	next := baseNeighbor()
	next.Routes = []config.Route{*route("1.0.0.0/24", "4.0.0.0"), *route("3.0.0.0/24", "4.0.0.0")}
	h.p.Reconfigure(h.now, next)
	u := updates(h.pull())
	// same attributes: the withdrawal of 2.0.0.0/24 and the announce of
	// 3.0.0.0/24 share one UPDATE, as in ExaBGP
	want := "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00330200041802000000144001010040020602010000FFFD4003040400000018030000"
	if len(u) != 1 || u[0] != want {
		t.Fatalf("reload sent %v", u)
	}
	if h.p.Neighbor() != next {
		t.Error("neighbor not replaced")
	}
}

// TestReconfigureWithdrawOrder: routes gone from the configuration are
// withdrawn in the old configuration's order (ExaBGP's replace_reload walks
// an insertion-ordered dict), every time.
func TestReconfigureWithdrawOrder(t *testing.T) {
	for range 20 {
		old := baseNeighbor()
		old.Routes = []config.Route{*route("3.0.0.0/24", "4.0.0.3"), *route("1.0.0.0/24", "4.0.0.1"),
			*route("2.0.0.0/24", "4.0.0.2"), *route("5.0.0.0/24", "4.0.0.5")}
		h := newHarness(t, old, Options{})
		h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
		h.p.Reconfigure(h.now, baseNeighbor())
		u := updates(h.pull())
		if len(u) != 4 {
			t.Fatalf("reload sent %d updates: %v", len(u), u)
		}
		for i, p := range []string{"180300", "180100", "180200", "180500"} {
			if !strings.Contains(u[i], "0004"+p) {
				t.Fatalf("withdrawal %d is %s, want prefix %s first", i, u[i], p)
			}
		}
	}
}

func TestReceivedFlowKept(t *testing.T) {
	n := baseNeighbor()
	n.PeerAS = config.ASN{Value: 65533}
	n.Families = []wire.Family{wire.IPv4Flow}
	h := newHarness(t, n, Options{})
	h.establish(65533, stdCaps(65533, wire.IPv4Flow))
	// an ExaBGP conf-flow UPDATE: destination 10.0.0.3/32 ... discard
	h.feed(msgBytes(t, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0045020000002E4001010040020040050400000064C010088006000046160000800E1200018500000C02180A000003810605910C38"))
	if h.p.State() != StateEstablished || h.p.In().Len() != 1 {
		t.Fatalf("state %v adj-rib-in %d", h.p.State(), h.p.In().Len())
	}
}

func TestOutSurvivesReload(t *testing.T) {
	h := newHarness(t, baseNeighbor(), Options{})
	h.p.Announce(route("10.0.9.0/24", "10.0.1.254")) // API route
	h2 := newHarness(t, baseNeighbor(), Options{Out: h.p.Out()})
	u := updates(h2.establish(65000, stdCaps(65000, wire.IPv4Unicast)))
	if len(u) != 2 || !strings.HasSuffix(u[0], "180A0009") {
		t.Fatalf("API route lost on reload: %v", u)
	}
}

// TestFlushDelay: commands written together are applied together; the
// UPDATEs wait for the flush tick.
func TestFlushDelay(t *testing.T) {
	n := withRoute(baseNeighbor(), "10.0.5.0/24", "10.0.1.254", wire.Attributes{})
	h := newHarness(t, n, Options{FlushDelay: 10 * time.Millisecond})
	h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
	h.p.Announce(route("10.0.0.0/24", "10.0.1.254"))
	if u := updates(h.pull()); len(u) != 0 {
		t.Fatalf("sent before the tick: %v", u)
	}
	h.p.Withdraw(route("10.0.0.0/24", "10.0.1.254"))
	h.advance(10 * time.Millisecond)
	if u := updates(h.pull()); len(u) != 1 || u[0] != "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001B020004180A00000000" {
		t.Fatalf("after the tick: %v", u)
	}
}

// TestAnnounceThenFlushKeepsOrder: an announce and a `flush adj-rib out`
// applied before the next write go out in command order (the announce,
// then the whole Adj-RIB-Out), as ExaBGP's api-rib test expects of a
// helper writing them one after the other.
func TestAnnounceThenFlushKeepsOrder(t *testing.T) {
	n := withRoute(baseNeighbor(), "10.0.5.0/24", "10.0.1.254", wire.Attributes{})
	n.AdjRIBOut = true
	h := newHarness(t, n, Options{})
	h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
	h.p.Announce(route("10.0.6.0/24", "10.0.1.254"))
	if err := h.p.FlushOut(); err != nil {
		t.Fatal(err)
	}
	h.p.Announce(route("10.0.7.0/24", "10.0.1.254"))
	var got []string
	for _, u := range updates(h.pull()) {
		got = append(got, u[len(u)-6:])
	}
	want := "[0A0006 0A0005 0A0006 0A0007]"
	if fmt.Sprint(got) != want {
		t.Fatalf("order %v, want %s", got, want)
	}
}

// TestAPICommunitiesSorted: an API route's communities go out in
// ExaBGP's sorted order whatever the order of the command.
func TestAPICommunitiesSorted(t *testing.T) {
	h := newHarness(t, baseNeighbor(), Options{})
	h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
	rs, err := config.ParseAnnounce(strings.Fields("route 10.0.0.0/24 next-hop 10.0.1.254 community [ 3:3 1:1 65535:65281 2:2 ] large-community [ 2:1:1 1:2:3 ]"))
	if err != nil || len(rs) != 1 {
		t.Fatal(rs, err)
	}
	if err := h.p.Announce(&rs[0]); err != nil {
		t.Fatal(err)
	}
	u := updates(h.pull())
	if len(u) != 1 || !strings.Contains(u[0], "C00810000100010002000200030003FFFFFF01") ||
		!strings.Contains(u[0], "C02018000000010000000200000003000000020000000100000001") {
		t.Fatalf("update %v", u)
	}
}

// TestFlushDelayNotExtended: the flush tick counts from the first
// command; a stream of commands does not push it back.
func TestFlushDelayNotExtended(t *testing.T) {
	h := newHarness(t, baseNeighbor(), Options{FlushDelay: 10 * time.Millisecond})
	h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
	for i := range 9 {
		h.p.Announce(route(fmt.Sprintf("10.0.%d.0/24", i), "10.0.1.254"))
		h.advance(time.Millisecond)
		if u := updates(h.pull()); len(u) != 0 {
			t.Fatalf("sent before the tick: %v", u)
		}
	}
	h.p.Announce(route("10.0.9.0/24", "10.0.1.254"))
	h.advance(time.Millisecond) // 10 ms after the first command
	if u := updates(h.pull()); len(u) != 1 || !strings.Contains(u[0], "180A0009") {
		t.Fatalf("after the tick: %v", u)
	}
}

// TestFlushOutMarkers: `flush adj-rib out` wraps the re-send in BoRR/EoRR
// whenever route-refresh is configured, even when the peer offered no
// enhanced refresh (ExaBGP's neighbor_rib_resend passes the configured
// capability), and sends none when it is not configured.
func TestFlushOutMarkers(t *testing.T) {
	for _, configured := range []bool{true, false} {
		n := withRoute(baseNeighbor(), "10.0.0.0/24", "10.0.1.254", wire.Attributes{})
		n.Capability.RouteRefresh = configured
		h := newHarness(t, n, Options{})
		caps := stdCaps(65000, wire.IPv4Unicast)
		caps.RouteRefresh = true
		h.establish(65000, caps)
		if err := h.p.FlushOut(); err != nil {
			t.Fatal(err)
		}
		out := h.pull()
		if !configured {
			if len(out) != 1 || !strings.HasSuffix(out[0], "180A0000") {
				t.Errorf("flush without route-refresh configured: %v", out)
			}
			continue
		}
		want := []string{"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00170500010101", "", "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00170500010201"}
		if len(out) != 3 || out[0] != want[0] || out[2] != want[2] || !strings.HasSuffix(out[1], "180A0000") {
			t.Errorf("flush with route-refresh configured: %v", out)
		}
	}
}
