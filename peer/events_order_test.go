package peer

import (
	"strings"
	"testing"
	"time"

	"exago/config"
	"exago/wire"
)

// seqEvents records every event in one sequence, as a helper process
// sees them ("fsm OPENSENT", "send open", "state up", ...).
type seqEvents struct{ log []string }

func (e *seqEvents) State(p *Peer, change, reason string) {
	s := "state " + change
	if reason != "" {
		s += " - " + reason
	}
	e.log = append(e.log, s)
}
func (e *seqEvents) FSM(p *Peer, from, to State)       { e.log = append(e.log, "fsm "+to.String()) }
func (e *seqEvents) Negotiated(p *Peer, n *Negotiated) { e.log = append(e.log, "negotiated") }
func (e *seqEvents) Wants(p *Peer, dir Direction, typ uint8) (bool, bool) {
	return true, false
}
func (e *seqEvents) Message(p *Peer, dir Direction, typ uint8, header, body []byte, decoded any) {
	e.log = append(e.log, dir.String()+" "+wire.TypeName(typ))
}

func newSeqHarness(t *testing.T, n *config.Neighbor) (*harness, *seqEvents) {
	h := &harness{t: t, d: newFakeDriver(), ev: &recEvents{}, now: t0}
	ev := &seqEvents{}
	h.p = New(n, h.d, Options{
		Events: ev,
		Now:    func() time.Time { return h.now },
		Rand:   func() float64 { return 1 },
	})
	return h, ev
}

func checkSeq(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if g, w := strings.Join(got, ", "), strings.Join(want, ", "); g != w {
		t.Errorf("%s events\n got %s\nwant %s", what, g, w)
	}
}

// TestEventOrderEstablish is ExaBGP's Peer._establish order: the OPEN is
// reported sent before OPENSENT, and the KEEPALIVE answering the peer's
// OPEN before the peer's KEEPALIVE, ESTABLISHED and up, whatever the
// driver's write timing (the peer's OPEN and KEEPALIVE come in one read).
func TestEventOrderEstablish(t *testing.T) {
	h, ev := newSeqHarness(t, baseNeighbor())
	h.p.Start(h.now)
	h.p.OnConnected(h.now, localAP, remoteAP)
	h.feed(peerOpen(65000, 180, stdCaps(65000, wire.IPv4Unicast)), wire.AppendKeepalive(nil))
	out := h.pull()
	checkSeq(t, "set-up", ev.log,
		"fsm ACTIVE", "fsm IDLE", "state connected", "fsm CONNECT",
		"send open", "fsm OPENSENT", "receive open", "negotiated", "fsm OPENCONFIRM",
		"send keepalive", "receive keepalive", "fsm ESTABLISHED", "state up",
		"send update") // the IPv4 End-of-RIB, on the first write
	if len(out) != 3 || out[0][36:38] != "01" || out[1] != keepaliveHex() || out[2][36:38] != "02" {
		t.Errorf("wire order %v", out)
	}
	if st := h.p.Stats(); st.Sent[wire.TypeOpen] != 1 || st.Sent[wire.TypeKeepalive] != 1 {
		t.Errorf("stats %+v", st)
	}
}

// TestEventOrderLocalASAuto: with local-as auto ExaBGP reads the peer's
// OPEN first, then sends its own and goes OPENSENT.
func TestEventOrderLocalASAuto(t *testing.T) {
	n := baseNeighbor()
	n.LocalAS = config.ASN{Auto: true}
	h, ev := newSeqHarness(t, n)
	h.p.Start(h.now)
	h.p.OnConnected(h.now, localAP, remoteAP)
	if out := h.pull(); len(out) != 0 {
		t.Fatalf("sent before the peer's OPEN: %v", out)
	}
	h.feed(peerOpen(65000, 180, stdCaps(65000, wire.IPv4Unicast)))
	out := h.pull()
	checkSeq(t, "local-as auto", ev.log,
		"fsm ACTIVE", "fsm IDLE", "state connected", "fsm CONNECT",
		"receive open", "send open", "fsm OPENSENT", "negotiated", "fsm OPENCONFIRM", "send keepalive")
	if len(out) != 2 || out[0][36:38] != "01" || out[1] != keepaliveHex() {
		t.Errorf("wire order %v", out)
	}
}

// TestEventOrderShutdown is ExaBGP's Peer.shutdown (_stop, _close, stop):
// state down "stop, message [shutting down]", fsm IDLE twice, before
// anything else; ExaGo's Cease 6/3 follows on the wire, with no second
// down event.
func TestEventOrderShutdown(t *testing.T) {
	h, ev := newSeqHarness(t, baseNeighbor())
	h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
	ev.log = nil
	h.p.Shutdown(h.now)
	checkSeq(t, "shutdown", ev.log, "state down - stop, message [shutting down]", "fsm IDLE", "fsm IDLE")
	c, s, d := notification(t, lastMsg(t, h.pull()))
	if c != 6 || s != 3 || d != "Peer De-configured" {
		t.Errorf("shutdown: %d/%d %q", c, s, d)
	}
	checkSeq(t, "shutdown", ev.log,
		"state down - stop, message [shutting down]", "fsm IDLE", "fsm IDLE", "send notification")
	h.advance(time.Hour)
	if len(h.d.connects) != 1 || !h.p.Stopped() || h.p.State() != StateIdle || h.d.closes != 1 {
		t.Errorf("after shutdown: connects %d stopped %v state %v closes %d",
			len(h.d.connects), h.p.Stopped(), h.p.State(), h.d.closes)
	}
	if len(ev.log) != 4 {
		t.Errorf("events after the NOTIFICATION: %v", ev.log[4:])
	}

	// graceful restart negotiated: same events, no NOTIFICATION
	n := baseNeighbor()
	n.Capability.GracefulRestart = 120
	h, ev = newSeqHarness(t, n)
	caps := stdCaps(65000, wire.IPv4Unicast)
	caps.HasGracefulRestart = true
	h.establish(65000, caps)
	ev.log = nil
	h.p.Shutdown(h.now)
	if out := h.pull(); len(out) != 0 || h.d.closes != 1 {
		t.Errorf("graceful restart shutdown sent %v, closes %d", out, h.d.closes)
	}
	checkSeq(t, "graceful shutdown", ev.log, "state down - stop, message [shutting down]", "fsm IDLE", "fsm IDLE")

	// a NOTIFICATION already queued (teardown) still goes out, with the stop reason
	h, ev = newSeqHarness(t, baseNeighbor())
	h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
	h.p.Teardown(2, "")
	ev.log = nil
	h.p.Shutdown(h.now)
	if c, s, _ := notification(t, lastMsg(t, h.pull())); c != 6 || s != 2 {
		t.Errorf("teardown then shutdown: %d/%d", c, s)
	}
	checkSeq(t, "teardown then shutdown", ev.log,
		"state down - stop, message [shutting down]", "fsm IDLE", "fsm IDLE", "send notification")
}

// TestEventOrderDownReasons are ExaBGP's other down reasons (Peer._run).
func TestEventOrderDownReasons(t *testing.T) {
	h, ev := newSeqHarness(t, baseNeighbor())
	h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
	ev.log = nil
	h.p.OnClosed(h.now, nil)
	checkSeq(t, "closed", ev.log, "state down - closing connection", "fsm IDLE")

	h, ev = newSeqHarness(t, baseNeighbor())
	h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
	ev.log = nil
	h.feed(wire.AppendNotification(nil, 4, 0, ""))
	checkSeq(t, "notification received", ev.log,
		"receive notification", "state down - notification received (4,0)", "fsm IDLE")

	h, ev = newSeqHarness(t, baseNeighbor())
	h.establish(65000, stdCaps(65000, wire.IPv4Unicast))
	ev.log = nil
	h.p.Teardown(3, "")
	h.pull()
	checkSeq(t, "notification sent", ev.log,
		"send notification", "state down - notification sent (6,3)", "fsm IDLE")
}
