package peer

import (
	"encoding/hex"
	"net/netip"
	"strings"
	"testing"
	"time"

	"exago/config"
	"exago/wire"
)

// fakeDriver records what a Peer asks of its driver.
type fakeDriver struct {
	connects []netip.AddrPort
	locals   []netip.Addr
	closes   int
	wants    int
	timers   map[Timer]time.Time
	paused   bool
}

func newFakeDriver() *fakeDriver { return &fakeDriver{timers: map[Timer]time.Time{}} }

func (d *fakeDriver) Connect(p *Peer, local netip.Addr, remote netip.AddrPort) {
	d.connects = append(d.connects, remote)
	d.locals = append(d.locals, local)
}
func (d *fakeDriver) Close(p *Peer)                           { d.closes++ }
func (d *fakeDriver) WantWrite(p *Peer)                       { d.wants++ }
func (d *fakeDriver) SetTimer(p *Peer, k Timer, at time.Time) { d.timers[k] = at }
func (d *fakeDriver) StopTimer(p *Peer, k Timer)              { delete(d.timers, k) }
func (d *fakeDriver) PauseRead(p *Peer, paused bool)          { d.paused = paused }

// recEvents records events.
type recEvents struct {
	states []string
	fsm    []string
	neg    int
	msgs   []string // "send update", "receive open", ...
	last   any
}

func (e *recEvents) State(p *Peer, change, reason string) {
	s := change
	if reason != "" {
		s += " " + reason
	}
	e.states = append(e.states, s)
}
func (e *recEvents) FSM(p *Peer, from, to State)       { e.fsm = append(e.fsm, to.String()) }
func (e *recEvents) Negotiated(p *Peer, n *Negotiated) { e.neg++ }
func (e *recEvents) Wants(p *Peer, dir Direction, typ uint8) (bool, bool) {
	return true, true
}
func (e *recEvents) Message(p *Peer, dir Direction, typ uint8, header, body []byte, decoded any) {
	e.msgs = append(e.msgs, dir.String()+" "+wire.TypeName(typ))
	e.last = decoded
}

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// harness is a Peer with a fake driver, events and clock.
type harness struct {
	t   *testing.T
	p   *Peer
	d   *fakeDriver
	ev  *recEvents
	now time.Time
}

func newHarness(t *testing.T, n *config.Neighbor, opts Options) *harness {
	h := &harness{t: t, d: newFakeDriver(), ev: &recEvents{}, now: t0}
	opts.Events = h.ev
	opts.Now = func() time.Time { return h.now }
	opts.Rand = func() float64 { return 1 } // no jitter: factor 1.0
	h.p = New(n, h.d, opts)
	return h
}

// advance moves the clock and fires every timer due, earliest first.
func (h *harness) advance(d time.Duration) {
	end := h.now.Add(d)
	for {
		k, at, ok := h.next()
		if !ok || at.After(end) {
			break
		}
		delete(h.d.timers, k)
		h.now = at
		h.p.OnTimer(at, k)
	}
	h.now = end
}

func (h *harness) next() (Timer, time.Time, bool) {
	var best Timer
	var at time.Time
	ok := false
	for k, t := range h.d.timers {
		if !ok || t.Before(at) {
			best, at, ok = k, t, true
		}
	}
	return best, at, ok
}

// pull returns every message Pull produces, as hex strings.
func (h *harness) pull() []string {
	var out []string
	for i := 0; i < 100; i++ {
		b, more := h.p.Pull(h.now, nil)
		out = append(out, splitHex(h.t, b)...)
		if !more {
			break
		}
	}
	return out
}

func splitHex(t *testing.T, b []byte) []string {
	var out []string
	for len(b) > 0 {
		m, n, err := wire.Frame(b, wire.MaxSizeExtMsg)
		if err != nil || n == 0 {
			t.Fatalf("bad message in output %x: %v", b, err)
		}
		out = append(out, strings.ToUpper(hex.EncodeToString(m)))
		b = b[n:]
	}
	return out
}

// feed hands the peer the given messages.
func (h *harness) feed(msgs ...[]byte) {
	var b []byte
	for _, m := range msgs {
		b = append(b, m...)
	}
	if n := h.p.OnRead(h.now, b); n != len(b) {
		h.t.Fatalf("OnRead consumed %d of %d", n, len(b))
	}
}

var (
	localAP  = netip.MustParseAddrPort("127.0.0.1:40000")
	remoteAP = netip.MustParseAddrPort("127.0.0.1:179")
)

// baseNeighbor is ExaBGP's conf-ebgp.conf neighbor without routes.
func baseNeighbor() *config.Neighbor {
	return &config.Neighbor{
		PeerAddress:  netip.MustParsePrefix("127.0.0.1/32"),
		LocalAddress: netip.MustParseAddr("127.0.0.1"),
		RouterID:     netip.MustParseAddr("10.0.0.2"),
		LocalAS:      config.ASN{Value: 65533},
		PeerAS:       config.ASN{Value: 65000},
		HoldTime:     180,
		GroupUpdates: true,
		AdjRIBIn:     true,
		AdjRIBOut:    true,
		Capability:   config.Capabilities{ASN4: true, ExtendedMessage: true, GracefulRestart: -1},
		Families:     []wire.Family{wire.IPv4Unicast},
	}
}

// peerOpen is the OPEN the test peer answers with (ExaBGP's qa/sbin/bgp
// echoes ExaBGP's OPEN with its own ASN and router-id).
func peerOpen(asn uint32, hold uint16, caps wire.Capabilities) []byte {
	o := wire.NewOpen(asn, hold, netip.MustParseAddr("10.0.0.3"), caps)
	return o.Append(nil)
}

func stdCaps(asn uint32, fams ...wire.Family) wire.Capabilities {
	return wire.Capabilities{Families: fams, HasASN4: true, ASN4: asn, ExtendedMessage: true}
}

// establish drives the harness to ESTABLISHED and returns what was sent.
func (h *harness) establish(asn uint32, caps wire.Capabilities) []string {
	h.p.Start(h.now)
	h.p.OnConnected(h.now, localAP, remoteAP)
	out := h.pull()
	h.feed(peerOpen(asn, 180, caps), wire.AppendKeepalive(nil))
	out = append(out, h.pull()...)
	if h.p.State() != StateEstablished {
		h.t.Fatalf("state %v, want ESTABLISHED", h.p.State())
	}
	return out
}

func inet(p string) *wire.INET {
	pr := netip.MustParsePrefix(p)
	f := wire.IPv4Unicast
	if pr.Addr().Is6() {
		f = wire.IPv6Unicast
	}
	return &wire.INET{Fam: f, Prefix: pr}
}

func keepaliveHex() string { return strings.ToUpper(hex.EncodeToString(wire.AppendKeepalive(nil))) }

// msgHex turns an ExaBGP .msg raw rule into plain upper-case hex.
func msgHex(rule string) string {
	return strings.ToUpper(strings.ReplaceAll(rule, ":", ""))
}
