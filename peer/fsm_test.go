package peer

import (
	"encoding/hex"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"exago/config"
	"exago/wire"
)

func withRoute(n *config.Neighbor, prefix, nh string, a wire.Attributes) *config.Neighbor {
	n.Routes = append(n.Routes, config.Route{NLRI: inet(prefix), NextHop: netip.MustParseAddr(nh), Attrs: a})
	return n
}

// TestEstablishEBGP is ExaBGP's conf-ebgp: OPEN, KEEPALIVE, the UPDATE
// (LOCAL_PREF stripped, AS_PATH [local-as]) and the IPv4 EOR.
func TestEstablishEBGP(t *testing.T) {
	n := withRoute(baseNeighbor(), "10.0.0.0/24", "10.0.1.254", wire.Attributes{HasLocalPref: true, LocalPref: 200})
	h := newHarness(t, n, Options{})
	out := h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
	if len(h.d.connects) != 1 || h.d.connects[0] != netip.MustParseAddrPort("127.0.0.1:179") {
		t.Fatalf("connects %v", h.d.connects)
	}
	want := []string{
		"", // OPEN, checked below
		keepaliveHex(),
		msgHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:002F:02:000000144001010040020602010000FFFD4003040A0001FE180A0000"),
		msgHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0017:02:00000000"),
	}
	if len(out) != len(want) {
		t.Fatalf("sent %d messages, want %d:\n%s", len(out), len(want), strings.Join(out, "\n"))
	}
	if out[0][36:38] != "01" {
		t.Errorf("first message is not an OPEN: %s", out[0])
	}
	for i := 1; i < len(want); i++ {
		if out[i] != want[i] {
			t.Errorf("message %d:\n got %s\nwant %s", i, out[i], want[i])
		}
	}
	if got := strings.Join(h.ev.fsm, " "); got != "ACTIVE IDLE CONNECT OPENSENT OPENCONFIRM ESTABLISHED" {
		t.Errorf("fsm events %q", got)
	}
	if got := strings.Join(h.ev.states, ","); got != "connected,up" {
		t.Errorf("state events %q", got)
	}
	if h.ev.neg != 1 {
		t.Errorf("negotiated events %d", h.ev.neg)
	}
	st := h.p.Stats()
	if st.Sent[wire.TypeUpdate] != 2 || st.Received[wire.TypeOpen] != 1 || st.Received[wire.TypeKeepalive] != 1 {
		t.Errorf("stats %+v", st)
	}
}

// TestOpenHostname is ExaBGP's conf-hostname OPEN, byte for byte.
func TestOpenHostname(t *testing.T) {
	n := baseNeighbor()
	n.PeerAS = config.ASN{Value: 65533}
	n.HostName, n.DomainName = "my-host-name", "my-domain-name.com"
	h := newHarness(t, n, Options{})
	h.p.Start(h.now)
	h.p.OnConnected(h.now, localAP, remoteAP)
	out := h.pull()
	want := msgHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0055:01:04FFFD00B40A000002380206010400010001020641040000FFFD02020600022249200C6D792D686F73742D6E616D65126D792D646F6D61696E2D6E616D652E636F6D")
	if len(out) != 1 || out[0] != want {
		t.Fatalf("OPEN\n got %v\nwant %s", out, want)
	}
	if h.p.State() != StateOpenSent {
		t.Errorf("state %v", h.p.State())
	}
}

// TestOpenSoftwareVersion is ExaBGP's conf-cap-software-version OPEN.
func TestOpenSoftwareVersion(t *testing.T) {
	n := baseNeighbor()
	n.PeerAS = config.ASN{Value: 65533}
	n.Capability.SoftwareVersion = true
	h := newHarness(t, n, Options{SoftwareVersion: "ExaBGP/5.0.0-0+test"})
	h.p.Start(h.now)
	h.p.OnConnected(h.now, localAP, remoteAP)
	out := h.pull()
	want := msgHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0049:01:04FFFD00B40A0000022C0206010400010001020641040000FFFD0202060002164B14134578614247502F352E302E302D302B74657374")
	if len(out) != 1 || out[0] != want {
		t.Fatalf("OPEN\n got %v\nwant %s", out, want)
	}
}

// notification returns the code, subcode and data of a hex message.
func notification(t *testing.T, m string) (uint8, uint8, string) {
	b, _ := hex.DecodeString(m)
	if len(b) < 21 || b[18] != wire.TypeNotification {
		t.Fatalf("not a NOTIFICATION: %s", m)
	}
	return b[19], b[20], string(b[21:])
}

func lastMsg(t *testing.T, out []string) string {
	if len(out) == 0 {
		t.Fatal("nothing sent")
	}
	return out[len(out)-1]
}

func TestOpenWait(t *testing.T) {
	h := newHarness(t, baseNeighbor(), Options{OpenWait: 60 * time.Second})
	h.p.Start(h.now)
	h.p.OnConnected(h.now, localAP, remoteAP)
	h.pull()
	h.advance(59 * time.Second)
	if h.p.s.notify != nil {
		t.Fatal("openwait fired early")
	}
	h.advance(time.Second)
	c, s, d := notification(t, lastMsg(t, h.pull()))
	if c != 1 || s != 1 || d != "waited for open too long, we do not like stuck in active" {
		t.Errorf("got %d/%d %q", c, s, d)
	}
	if h.d.closes != 1 || h.p.State() != StateIdle {
		t.Errorf("closes %d state %v", h.d.closes, h.p.State())
	}
	if got := h.ev.states[len(h.ev.states)-1]; got != "down notification sent (1,1)" {
		t.Errorf("down event %q", got)
	}
}

func TestHoldAndKeepalive(t *testing.T) {
	h := newHarness(t, baseNeighbor(), Options{})
	h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
	for i := 0; i < 2; i++ {
		h.advance(60 * time.Second)
		if out := h.pull(); len(out) != 1 || out[0] != keepaliveHex() {
			t.Fatalf("keepalive %d: %v", i, out)
		}
	}
	h.feed(wire.AppendKeepalive(nil)) // at 120 s: hold restarts
	h.advance(179 * time.Second)
	h.pull()
	if h.p.State() != StateEstablished {
		t.Fatal("hold timer expired early")
	}
	h.advance(time.Second)
	c, s, d := notification(t, lastMsg(t, h.pull()))
	if c != 4 || s != 0 || d != "" {
		t.Errorf("got %d/%d %q", c, s, d)
	}
	if h.p.State() != StateIdle {
		t.Errorf("state %v", h.p.State())
	}
}

func TestOpenErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		asn      uint32
		hold     uint16
		peerAS   uint32
		code     uint8
		sub      uint8
		text     string
		routerID string
	}{
		{"bad peer AS", 65001, 180, 65000, 2, 2, "ASN in OPEN (65001) did not match ASN expected (65000)", ""},
		{"hold 2", 65000, 2, 65000, 2, 6, "Hold Time is invalid (2)", ""},
		{"router-id collision", 65533, 180, 65533, 2, 3, "BGP Identifier collision, same router-id (10.0.0.2) on both sides of this IBGP session", "10.0.0.2"},
		{"router-id zero", 65000, 180, 65000, 2, 3, "0.0.0.0 is an invalid router_id", "0.0.0.0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := baseNeighbor()
			n.PeerAS = config.ASN{Value: tc.peerAS}
			h := newHarness(t, n, Options{})
			h.p.Start(h.now)
			h.p.OnConnected(h.now, localAP, remoteAP)
			h.pull()
			rid := "10.0.0.3"
			if tc.routerID != "" {
				rid = tc.routerID
			}
			o := wire.NewOpen(tc.asn, tc.hold, netip.MustParseAddr(rid), stdCaps(tc.asn, wire.IPv4Unicast))
			h.feed(o.Append(nil))
			c, s, d := notification(t, lastMsg(t, h.pull()))
			if c != tc.code || s != tc.sub || d != tc.text {
				t.Errorf("got %d/%d %q", c, s, d)
			}
		})
	}
}

func TestUnexpectedMessages(t *testing.T) {
	h := newHarness(t, baseNeighbor(), Options{})
	h.p.Start(h.now)
	h.p.OnConnected(h.now, localAP, remoteAP)
	h.pull()
	h.feed(wire.AppendKeepalive(nil))
	c, s, _ := notification(t, lastMsg(t, h.pull()))
	if c != 5 || s != 1 {
		t.Errorf("KEEPALIVE in OPENSENT: %d/%d", c, s)
	}

	h = newHarness(t, baseNeighbor(), Options{})
	h.p.Start(h.now)
	h.p.OnConnected(h.now, localAP, remoteAP)
	h.feed(peerOpen(65000, 180, stdCaps(65000, wire.IPv4Unicast)))
	h.pull()
	h.feed(peerOpen(65000, 180, stdCaps(65000, wire.IPv4Unicast)))
	c, s, d := notification(t, lastMsg(t, h.pull()))
	if c != 5 || s != 2 || d != "Receive Unexpected Message in OpenConfirm State" {
		t.Errorf("OPEN in OPENCONFIRM: %d/%d %q", c, s, d)
	}
}

func TestMalformedHeader(t *testing.T) {
	h := newHarness(t, baseNeighbor(), Options{})
	h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
	bad := wire.AppendKeepalive(nil)
	bad[0] = 0
	h.p.OnRead(h.now, bad)
	c, s, _ := notification(t, lastMsg(t, h.pull()))
	if c != 1 || s != 1 {
		t.Errorf("got %d/%d", c, s)
	}
	if h.p.State() != StateIdle || h.p.Stopped() {
		t.Errorf("state %v stopped %v", h.p.State(), h.p.Stopped())
	}
}

func TestNotificationReceived(t *testing.T) {
	h := newHarness(t, baseNeighbor(), Options{})
	h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
	h.feed(wire.AppendNotification(nil, 6, 2, "bye"))
	if h.p.State() != StateIdle || h.d.closes != 1 {
		t.Fatalf("state %v closes %d", h.p.State(), h.d.closes)
	}
	if got := h.ev.states[len(h.ev.states)-1]; got != "down notification received (6,2)" {
		t.Errorf("down event %q", got)
	}
	if _, ok := h.ev.last.(wire.Notification); !ok {
		t.Errorf("decoded %T", h.ev.last)
	}
}

// TestBackoff checks ExaBGP's delays between sessions: 0, 1, 2, 3, 4, 5, 7, 9 s.
func TestBackoff(t *testing.T) {
	h := newHarness(t, baseNeighbor(), Options{})
	h.p.Start(h.now)
	var delays []int
	for i := 0; i < 8; i++ {
		if len(h.d.connects) != i+1 {
			t.Fatalf("attempt %d: %d connects", i, len(h.d.connects))
		}
		h.p.OnConnected(h.now, localAP, remoteAP)
		h.p.OnClosed(h.now, nil)
		start := h.now
		for len(h.d.connects) == i+1 {
			h.advance(time.Second / 2)
		}
		delays = append(delays, int(h.now.Sub(start)/time.Second))
	}
	if want := []int{0, 1, 2, 3, 4, 5, 7, 9}; !slices.Equal(delays, want) {
		t.Errorf("delays %v, want %v", delays, want)
	}
}

func TestConnectRetryIsNotAnAttempt(t *testing.T) {
	h := newHarness(t, baseNeighbor(), Options{Attempts: 1, ConnectRetry: time.Second})
	h.p.Start(h.now)
	h.p.OnConnectFailed(h.now, nil)
	h.advance(time.Second)
	if len(h.d.connects) != 2 || h.p.Stopped() {
		t.Fatalf("connects %d stopped %v", len(h.d.connects), h.p.Stopped())
	}
	h.p.OnConnected(h.now, localAP, remoteAP)
	h.p.OnClosed(h.now, nil)
	h.advance(time.Minute)
	if len(h.d.connects) != 2 || !h.p.Stopped() {
		t.Fatalf("after the only attempt: connects %d stopped %v", len(h.d.connects), h.p.Stopped())
	}
}

func TestCollision(t *testing.T) {
	h := newHarness(t, baseNeighbor(), Options{})
	h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
	ok, nb := h.p.OnIncoming(h.now, localAP, remoteAP)
	if ok {
		t.Fatal("accepted while established")
	}
	if c, s, d := notification(t, strings.ToUpper(hex.EncodeToString(nb))); c != 6 || s != 7 ||
		d != "could not accept the connection, already established" {
		t.Errorf("got %d/%d %q", c, s, d)
	}

	// OPENCONFIRM: the peer's router-id (10.0.0.3) is higher than ours
	// (10.0.0.2): the incoming connection wins.
	h = newHarness(t, baseNeighbor(), Options{})
	h.p.Start(h.now)
	h.p.OnConnected(h.now, localAP, remoteAP)
	h.feed(peerOpen(65000, 180, stdCaps(65000, wire.IPv4Unicast)))
	if ok, _ := h.p.OnIncoming(h.now, localAP, remoteAP); !ok {
		t.Fatal("refused a peer with a higher router-id")
	}
	if h.p.State() != StateOpenSent {
		t.Errorf("state after accepting %v", h.p.State())
	}

	// OPENCONFIRM with a lower peer router-id: refused.
	n := baseNeighbor()
	n.RouterID = netip.MustParseAddr("10.0.0.9")
	h = newHarness(t, n, Options{})
	h.p.Start(h.now)
	h.p.OnConnected(h.now, localAP, remoteAP)
	h.feed(peerOpen(65000, 180, stdCaps(65000, wire.IPv4Unicast)))
	if ok, _ := h.p.OnIncoming(h.now, localAP, remoteAP); ok {
		t.Fatal("accepted a peer with a lower router-id in OPENCONFIRM")
	}

	// Before OPENCONFIRM the incoming connection always wins.
	h = newHarness(t, baseNeighbor(), Options{})
	h.p.Start(h.now)
	if ok, _ := h.p.OnIncoming(h.now, localAP, remoteAP); !ok || h.p.State() != StateOpenSent {
		t.Fatalf("incoming while connecting: %v %v", ok, h.p.State())
	}
	h.p.OnConnected(h.now, localAP, remoteAP) // the dropped outgoing attempt: ignored
}

func TestShutdownAndTeardown(t *testing.T) {
	h := newHarness(t, baseNeighbor(), Options{})
	h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
	h.p.Teardown(4, "")
	m := lastMsg(t, h.pull())
	if want := "06041441646D696E69737472617469766520526573657400"; !strings.Contains(m+"00", want[:len(want)-2]) {
		t.Errorf("teardown 4: %s", m)
	}
	h.advance(time.Second)
	if len(h.d.connects) != 2 {
		t.Errorf("no reconnect after teardown: %d", len(h.d.connects))
	}

	h = newHarness(t, baseNeighbor(), Options{})
	h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
	h.p.Shutdown(h.now)
	c, s, d := notification(t, lastMsg(t, h.pull()))
	if c != 6 || s != 3 || d != "Peer De-configured" {
		t.Errorf("shutdown: %d/%d %q", c, s, d)
	}
	h.advance(time.Hour)
	if len(h.d.connects) != 1 || !h.p.Stopped() {
		t.Errorf("reconnected after shutdown")
	}
}

func TestShutdownGracefulRestart(t *testing.T) {
	n := baseNeighbor()
	n.Capability.GracefulRestart = 120
	h := newHarness(t, n, Options{})
	caps := stdCaps(65000, wire.IPv4Unicast)
	caps.HasGracefulRestart = true
	h.establish(65000, caps)
	h.p.Shutdown(h.now)
	if out := h.pull(); len(out) != 0 || h.d.closes != 1 {
		t.Errorf("graceful restart shutdown sent %v, closes %d", out, h.d.closes)
	}
}

func TestHoldTimeZero(t *testing.T) {
	n := baseNeighbor()
	n.HoldTime = 0
	h := newHarness(t, n, Options{})
	h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
	h.advance(time.Hour)
	if out := h.pull(); len(out) != 0 {
		t.Fatalf("sent %v with hold time 0", out)
	}
	h.feed(wire.AppendKeepalive(nil))
	if h.p.State() != StateEstablished {
		t.Fatal("one keepalive is tolerated")
	}
	h.feed(wire.AppendKeepalive(nil))
	c, s, _ := notification(t, lastMsg(t, h.pull()))
	if c != 2 || s != 6 {
		t.Errorf("got %d/%d", c, s)
	}
}

func TestLocalASAuto(t *testing.T) {
	n := baseNeighbor()
	n.LocalAS = config.ASN{Auto: true}
	n.PeerAS = config.ASN{Auto: true}
	h := newHarness(t, n, Options{})
	h.p.Start(h.now)
	h.p.OnConnected(h.now, localAP, remoteAP)
	if out := h.pull(); len(out) != 0 {
		t.Fatalf("sent before the peer's OPEN: %v", out)
	}
	h.feed(peerOpen(65010, 180, stdCaps(65010, wire.IPv4Unicast)))
	out := h.pull()
	if len(out) != 2 || out[0][36:38] != "01" || out[1] != keepaliveHex() {
		t.Fatalf("sent %v", out)
	}
	if !strings.HasPrefix(out[0][38:], "04FDF2") { // version 4, AS 65010
		t.Errorf("OPEN does not mirror the AS: %s", out[0])
	}
}

func TestPassiveWaits(t *testing.T) {
	n := baseNeighbor()
	n.Passive = true
	h := newHarness(t, n, Options{})
	h.p.Start(h.now)
	h.advance(time.Hour)
	if len(h.d.connects) != 0 || h.p.State() != StateActive {
		t.Fatalf("passive peer connected: %v %v", h.d.connects, h.p.State())
	}
	if ok, _ := h.p.OnIncoming(h.now, localAP, remoteAP); !ok {
		t.Fatal("passive peer refused")
	}
}

func TestSendHold(t *testing.T) {
	h := newHarness(t, baseNeighbor(), Options{SendHold: 8 * time.Minute})
	h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
	// the peer keeps sending but never reads: keepalives stay queued.
	for i := 0; i < 9; i++ {
		h.advance(time.Minute)
		h.feed(wire.AppendKeepalive(nil))
	}
	if h.p.State() != StateIdle || h.d.closes != 1 {
		t.Fatalf("send hold: state %v closes %d", h.p.State(), h.d.closes)
	}
}

func TestMultiSession(t *testing.T) {
	n := baseNeighbor()
	n.Capability.MultiSession = true
	h := newHarness(t, n, Options{})
	h.p.Start(h.now)
	h.p.OnConnected(h.now, localAP, remoteAP)
	h.pull()
	h.feed(peerOpen(65000, 180, stdCaps(65000, wire.IPv4Unicast)))
	c, s, _ := notification(t, lastMsg(t, h.pull()))
	if c != 2 || s != 9 {
		t.Errorf("peer without multisession: %d/%d, want 2/9", c, s)
	}
}

func TestConnectTimeoutAndClosedStates(t *testing.T) {
	h := newHarness(t, baseNeighbor(), Options{ConnectRetry: time.Second})
	h.p.Start(h.now)
	h.d.timers[TimerConnect] = h.now.Add(5 * time.Second) // the driver's connect deadline
	h.advance(5 * time.Second)
	if h.d.closes != 1 {
		t.Fatalf("connect timeout did not close: %d", h.d.closes)
	}
	h.advance(time.Second)
	if len(h.d.connects) != 2 {
		t.Fatalf("no retry after the timeout: %d connects", len(h.d.connects))
	}
	h.p.OnConnected(h.now, localAP, remoteAP)
	h.pull()
	h.p.OnClosed(h.now, nil) // in OPENSENT
	if got := h.ev.states[len(h.ev.states)-1]; got != "down closing connection" {
		t.Errorf("down event %q", got)
	}
	if h.p.State() != StateIdle {
		t.Errorf("state %v", h.p.State())
	}
	h.p.OnClosed(h.now, nil) // a second close is ignored
	if n := strings.Count(strings.Join(h.ev.states, ","), "down"); n != 1 {
		t.Errorf("%d down events", n)
	}
}

func TestAllTransitions(t *testing.T) {
	// IDLE -> ACTIVE -> IDLE -> CONNECT -> OPENSENT -> OPENCONFIRM ->
	// ESTABLISHED -> IDLE (notification) -> ACTIVE -> IDLE -> CONNECT ...
	h := newHarness(t, baseNeighbor(), Options{})
	h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
	h.feed(wire.AppendNotification(nil, 6, 4, ""))
	h.advance(time.Second)
	h.p.OnConnected(h.now, localAP, remoteAP)
	want := "ACTIVE IDLE CONNECT OPENSENT OPENCONFIRM ESTABLISHED IDLE ACTIVE IDLE CONNECT OPENSENT"
	if got := strings.Join(h.ev.fsm, " "); got != want {
		t.Errorf("fsm\n got %s\nwant %s", got, want)
	}
}

func TestClosingPeerThatDoesNotRead(t *testing.T) {
	h := newHarness(t, baseNeighbor(), Options{SendHold: time.Minute})
	h.p.Start(h.now)
	h.p.OnConnected(h.now, localAP, remoteAP)
	h.advance(time.Minute) // openwait: NOTIFICATION queued, never pulled
	if h.p.State() == StateIdle {
		t.Fatal("closed before the notification went out")
	}
	h.advance(time.Minute)
	if h.p.State() != StateIdle || h.d.closes != 1 {
		t.Fatalf("state %v closes %d", h.p.State(), h.d.closes)
	}
}

func TestRouterIDFromLocalAddress(t *testing.T) {
	n := baseNeighbor()
	n.RouterID = netip.Addr{}
	h := newHarness(t, n, Options{})
	h.p.Start(h.now)
	h.p.OnConnected(h.now, localAP, remoteAP)
	out := h.pull()
	if len(out) != 1 || out[0][38+10:38+18] != "7F000001" {
		t.Fatalf("OPEN %v, want router-id 127.0.0.1", out)
	}
	n = baseNeighbor()
	n.RouterID, n.LocalAddress = netip.Addr{}, netip.MustParseAddr("::1")
	h = newHarness(t, n, Options{})
	h.p.Start(h.now)
	h.p.OnConnected(h.now, netip.MustParseAddrPort("[::1]:4000"), netip.MustParseAddrPort("[::1]:179"))
	if out := h.pull(); len(out) != 1 { // no panic, 0.0.0.0
		t.Fatalf("OPEN %v", out)
	}
}

// TestNotificationAfterOpenSameRead: the KEEPALIVE answering the peer's
// OPEN still goes out when its NOTIFICATION came in the same read.
func TestNotificationAfterOpenSameRead(t *testing.T) {
	h := newHarness(t, baseNeighbor(), Options{})
	h.p.Start(h.now)
	h.p.OnConnected(h.now, localAP, remoteAP)
	h.pull()
	h.feed(peerOpen(65000, 180, stdCaps(65000, wire.IPv4Unicast)), wire.AppendKeepalive(nil),
		wire.AppendNotification(nil, 6, 0, "closing session because we can"))
	if h.d.closes != 1 || h.p.State() != StateIdle {
		t.Fatalf("closes %d state %v", h.d.closes, h.p.State())
	}
	if out := h.pull(); len(out) != 1 || out[0] != keepaliveHex() {
		t.Fatalf("final pull %v", out)
	}
	if out := h.pull(); len(out) != 0 {
		t.Fatalf("second pull %v", out)
	}
}
