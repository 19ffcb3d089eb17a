package api

import (
	"slices"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"exago/api/format"
	"exago/config"
	"exago/peer"
	"exago/rib"
	"exago/wire"
)

// This file is ready-made glue between the API and package peer: a
// [Daemon] over the daemon's *peer.Peer values and a peer.Events that
// feeds [Server.Emit]. The server glue may use them or write its own.

// PeerEvents implements peer.Events on top of a Server.
type PeerEvents struct{ S *Server }

var _ peer.Events = PeerEvents{}

// identity is the neighbor block of p's events: the session's addresses
// when connected, the configured ones otherwise.
func identity(p *peer.Peer) Identity {
	n := p.Neighbor()
	local, remote := p.Addresses()
	id := Identity{Local: local.Addr(), Peer: remote.Addr(), LocalAS: n.LocalAS.Value, PeerAS: n.PeerAS.Value, RouterID: n.RouterID}
	if !id.Local.IsValid() {
		id.Local = n.LocalAddress
	}
	if !id.Peer.IsValid() {
		id.Peer = n.PeerAddress.Addr()
	}
	if neg := p.Negotiated(); neg != nil {
		if n.LocalAS.Auto {
			id.LocalAS = neg.LocalAS
		}
		if n.PeerAS.Auto {
			id.PeerAS = neg.PeerAS
		}
	}
	return id
}

func (e PeerEvents) event(p *peer.Peer, k EventKind) *Event {
	ev := &e.S.ev
	*ev = Event{Kind: k, Neighbor: p.Neighbor(), ID: identity(p)}
	return ev
}

// State reports connected / up / down.
func (e PeerEvents) State(p *peer.Peer, change, reason string) {
	ev := e.event(p, EventState)
	ev.Change, ev.Reason = change, reason
	e.S.Emit(ev)
}

// FSM reports a state change.
func (e PeerEvents) FSM(p *peer.Peer, _, to peer.State) {
	ev := e.event(p, EventFSM)
	ev.State = to.String()
	e.S.Emit(ev)
}

// Negotiated reports the session's negotiated data.
func (e PeerEvents) Negotiated(p *peer.Peer, n *peer.Negotiated) {
	ev := e.event(p, EventNegotiated)
	ev.Negotiated = n
	e.S.Emit(ev)
}

// Signal reports a signal the daemon received to the helpers of p's
// neighbor that asked for `signal` events (not part of peer.Events: the
// server glue calls it for every peer).
func (e PeerEvents) Signal(p *peer.Peer, sig int) {
	ev := e.event(p, EventSignal)
	ev.Signal = sig
	e.S.Emit(ev)
}

func direction(d peer.Direction) Direction {
	if d == peer.DirSend {
		return DirSend
	}
	return DirReceive
}

// Wants tells the peer which messages to report and decode.
func (e PeerEvents) Wants(p *peer.Peer, dir peer.Direction, typ uint8) (want, decode bool) {
	return e.S.Wants(p.Neighbor(), direction(dir), typ)
}

// Message reports one message; header and body are only read during the
// call.
func (e PeerEvents) Message(p *peer.Peer, dir peer.Direction, typ uint8, header, body []byte, decoded any) {
	ev := e.event(p, EventMessage)
	ev.Direction, ev.Type, ev.Header, ev.Body, ev.Decoded = direction(dir), typ, header, body, decoded
	if neg := p.Negotiated(); neg != nil {
		ev.Negotiated = neg
	}
	e.S.Emit(ev)
}

// PeerSet implements [Daemon] over the daemon's peers.
type PeerSet struct {
	// List returns the peers in configuration order (ExaBGP prints `show`
	// answers in that order). The slice is only read until the next call.
	List func() []*peer.Peer
	// Now is the reactor clock.
	Now func() time.Time
	// OnSignal handles shutdown / reload / restart requests.
	OnSignal func(Signal)
	// RoutesV2 is api.show-routes-format v2 (`show adj-rib … json`).
	RoutesV2 bool
	Log      zerolog.Logger

	peers      []Peer
	attrs      *rib.AttrTable                  // attribute sets of API routes (Routes)
	byNeighbor map[*config.Neighbor]*peer.Peer // Routes' index of List
}

var _ Daemon = (*PeerSet)(nil)

func (d *PeerSet) find(n *config.Neighbor) *peer.Peer {
	for _, p := range d.List() {
		if p.Neighbor() == n {
			return p
		}
	}
	return nil
}

// Peers lists the peers with their session state, in configuration
// order (by position in the configuration, whatever order List has).
func (d *PeerSet) Peers() []Peer {
	d.peers = d.peers[:0]
	for _, p := range d.List() {
		d.peers = append(d.peers, Peer{Neighbor: p.Neighbor(), Established: p.Established()})
	}
	slices.SortStableFunc(d.peers, func(a, b Peer) int { return comparePos(a.Neighbor.Pos, b.Neighbor.Pos) })
	return d.peers
}

// comparePos orders configuration positions by file, line and column.
func comparePos(a, b config.Pos) int {
	if c := strings.Compare(a.File, b.File); c != 0 {
		return c
	}
	if a.Line != b.Line {
		return a.Line - b.Line
	}
	return a.Col - b.Col
}

// Routes parses the command with the configuration grammar and queues it
// on each peer. Per-peer failures (family not configured, next-hop self
// without a local address) are only logged, as in ExaBGP.
//
// The command is parsed once, and each route's key and attribute set are
// computed once for all the peers (rib.Prepare): announcing one route to
// N peers costs N pending-set insertions, not N parses and N interning
// passes.
func (d *PeerSet) Routes(ns []*config.Neighbor, cmd RouteCommand) error {
	if len(cmd.Words) < 2 {
		return errMissingRoute
	}
	var routes []config.Route
	var err error
	withdraw := cmd.Action == ActionWithdraw
	if withdraw {
		routes, err = config.ParseWithdraw(cmd.Words[1:])
	} else {
		routes, err = config.ParseAnnounce(cmd.Words[1:])
	}
	if err != nil {
		return err
	}
	if len(routes) == 0 {
		return errMissingRoute
	}
	if d.attrs == nil {
		d.attrs = rib.NewAttrTable()
	}
	d.index()
	prep := make([]rib.Prepared, len(routes))
	for i := range routes {
		r := &routes[i]
		prep[i] = rib.Prepare(d.attrs, r.NLRI, r.NextHop, &r.Attrs)
	}
	texts := make([]string, len(routes)) // RouteText, only when logged
	for _, n := range ns {
		p := d.byNeighbor[n]
		if p == nil {
			continue
		}
		for i := range routes {
			r := &routes[i]
			if r.NextHopSelf || r.Watchdog != "" {
				c := *r // each peer keeps its own copy
				r = &c
			}
			if withdraw {
				err = p.WithdrawPrepared(r, &prep[i])
			} else {
				err = p.AnnouncePrepared(r, &prep[i])
			}
			if err != nil {
				if e := d.Log.Error(); e.Enabled() {
					e.Str("peer", n.Name).Err(err).Msg("invalid route for " + n.Name + " : " + routeText(texts, routes, i))
				}
				continue
			}
			if e := d.Log.Info(); e.Enabled() {
				what := "added to "
				if withdraw {
					what = "removed from "
				}
				e.Msg("route " + what + n.Name + " : " + routeText(texts, routes, i))
			}
		}
	}
	return nil
}

// routeText is config.RouteText of routes[i], computed once per command.
func routeText(texts []string, routes []config.Route, i int) string {
	if texts[i] == "" {
		texts[i] = config.RouteText(&routes[i])
	}
	return texts[i]
}

// index maps the neighbors to their peers (rebuilt on every command: the
// peers change with reloads).
func (d *PeerSet) index() {
	if d.byNeighbor == nil {
		d.byNeighbor = map[*config.Neighbor]*peer.Peer{}
	}
	clear(d.byNeighbor)
	for _, p := range d.List() {
		if _, dup := d.byNeighbor[p.Neighbor()]; !dup {
			d.byNeighbor[p.Neighbor()] = p // find's answer: the first
		}
	}
}

type apiError string

func (e apiError) Error() string { return string(e) }

const errMissingRoute = apiError("no route in the command")

// EOR queues an End-of-RIB on each established peer.
func (d *PeerSet) EOR(ns []*config.Neighbor, f wire.Family) error {
	d.each(ns, func(p *peer.Peer) error { return p.AnnounceEOR(f) })
	return nil
}

// RouteRefresh sends a ROUTE-REFRESH on each peer.
func (d *PeerSet) RouteRefresh(ns []*config.Neighbor, f wire.Family) error {
	d.each(ns, func(p *peer.Peer) error { return p.RouteRefresh(f) })
	return nil
}

func (d *PeerSet) each(ns []*config.Neighbor, fn func(*peer.Peer) error) {
	for _, n := range ns {
		if p := d.find(n); p != nil {
			if err := fn(p); err != nil {
				d.Log.Error().Str("peer", n.Name).Err(err).Msg("command not applied")
			}
		}
	}
}

// Operational parses `<kind> afi … safi …` once and queues the message on
// each selected peer; a peer without the operational capability
// negotiated drops it (ExaBGP 5.0.13 breaks the session instead, §8 of
// EXABGP-SURFACE.md).
func (d *PeerSet) Operational(ns []*config.Neighbor, words []string) error {
	o, err := peer.ParseOperational(words)
	if err != nil {
		return err
	}
	d.each(ns, func(p *peer.Peer) error { return p.Operational(&o) })
	return nil
}

// Watchdog announces or withdraws a watchdog group on every peer.
func (d *PeerSet) Watchdog(name string, announce bool) {
	for _, p := range d.List() {
		if announce {
			p.AnnounceWatchdog(name)
		} else {
			p.WithdrawWatchdog(name)
		}
	}
}

// Teardown sends Cease 6/code.
func (d *PeerSet) Teardown(n *config.Neighbor, code int) {
	if p := d.find(n); p != nil {
		p.Teardown(uint8(code), "")
	}
}

// FlushAdjRIBOut re-sends the Adj-RIB-Out.
func (d *PeerSet) FlushAdjRIBOut(n *config.Neighbor) {
	d.each([]*config.Neighbor{n}, (*peer.Peer).FlushOut)
}

// ClearAdjRIB withdraws the Adj-RIB-Out or empties the Adj-RIB-In.
func (d *PeerSet) ClearAdjRIB(n *config.Neighbor, in bool) {
	if p := d.find(n); p != nil {
		if in {
			p.ClearIn()
		} else {
			p.ClearOut()
		}
	}
}

// Signal forwards shutdown / reload / restart.
func (d *PeerSet) Signal(s Signal) {
	if d.OnSignal != nil {
		d.OnSignal(s)
	}
}

var capabilityNames = [...]string{"asn4", "route-refresh", "multi-session", "operational", "add-path", "extended-message", "graceful-restart"}

// Describe builds the `show neighbor` data of a peer.
func (d *PeerSet) Describe(n *config.Neighbor) NeighborData {
	p := d.find(n)
	data := NeighborData{
		PeerAddress: n.PeerAddress.Addr().String(), LocalAS: n.LocalAS.Value, PeerAS: n.PeerAS.Value,
		LocalID: n.RouterID.String(), LocalHold: int(n.HoldTime), PeerHold: -1, State: "IDLE",
		LocalAddress: "None",
	}
	if n.LocalAddress.IsValid() {
		data.LocalAddress = n.LocalAddress.String()
	}
	if p == nil {
		return data
	}
	st := p.Stats()
	now := d.Now()
	data.State = st.FSM.String()
	data.Down = int64(st.Reset.Sub(st.Creation) / time.Second)
	data.Duration = int64(st.Uptime(now) / time.Second)
	neg := p.Negotiated()
	c := &n.Capability
	local := [...]Tri{TriOf(c.ASN4), TriOf(c.RouteRefresh), TriOf(c.MultiSession), TriOf(c.Operational),
		TriOf(c.AddPath != 0), TriOf(c.ExtendedMessage), TriOf(c.GracefulRestart >= 0)}
	var remote [7]Tri
	if neg != nil && neg.Received != nil {
		rc := &neg.Received.Caps
		data.PeerID = neg.Received.RouterID.String()
		data.PeerHold = int(neg.Received.HoldTime)
		remote = [...]Tri{TriOf(neg.ASN4), TriOf(neg.Refresh != wire.RefreshAbsent), TriOf(neg.MultiSession),
			TriOf(neg.Operational), TriOf(len(neg.AddPath) > 0),
			TriOf(neg.MaxMessageSize() > 4096), TriOf(rc.HasGracefulRestart)}
	}
	for i, name := range capabilityNames {
		data.Capabilities = append(data.Capabilities, CapabilityData{name, local[i], remote[i]})
	}
	for _, f := range n.Families {
		fd := FamilyData{Family: f, Local: TriTrue}
		if neg != nil {
			fd.Common = TriOf(hasFamily(neg.Families, f))
			fd.AddPathSend = TriOf(neg.SendAddPath(f))
			fd.AddPathRx = TriOf(neg.ReceiveAddPath(f))
		} else if !hasFamily(n.AddPath, f) {
			fd.AddPathSend, fd.AddPathRx = TriFalse, TriFalse
		}
		data.Families = append(data.Families, fd)
	}
	var ts, tr uint64
	for _, m := range [...]struct {
		name string
		typ  uint8
	}{{"open", MsgOpen}, {"notification", MsgNotification}, {"keepalive", MsgKeepalive}, {"update", MsgUpdate}, {"refresh", MsgRefresh}} {
		data.Messages = append(data.Messages, MessageCount{m.name, st.Sent[m.typ], st.Received[m.typ]})
		ts += st.Sent[m.typ]
		tr += st.Received[m.typ]
	}
	data.Messages = append(data.Messages, MessageCount{"total", ts, tr})
	return data
}

func hasFamily(list []wire.Family, f wire.Family) bool {
	for _, x := range list {
		if x == f {
			return true
		}
	}
	return false
}

// ShowAdjRIB prints the routes of the peers' Adj-RIB-In or Adj-RIB-Out
// as ExaBGP's command/rib.py does with api.chunk 1: text lines
// `<peer-ip> <afi> <safi> <route>` (extensive: the neighbor's name and
// every attribute), or one JSON line per route in the v1 shape
// `{"<ip>": {"routes": [{"prefix": …, "family": …}]}}` (extensive adds
// the neighbor's `show neighbor json` keys) or, with RoutesV2
// (api.show-routes-format v2), `{"peer": {"address": ip}, "route":
// {"nlri": …, "attributes": …}}`. Routes are rendered by api/format.
func (d *PeerSet) ShowAdjRIB(req ShowAdjRIB, emit func(string)) {
	var b []byte
	// a copy (Describe below calls List again, which may reuse its
	// slice), in configuration order
	list := append([]*peer.Peer(nil), d.List()...)
	slices.SortStableFunc(list, func(a, b *peer.Peer) int { return comparePos(a.Neighbor().Pos, b.Neighbor().Pos) })
	for _, p := range list {
		n := p.Neighbor()
		ip := n.PeerAddress.Addr().String()
		if !strings.Contains(n.Name, "neighbor "+req.Filter) {
			continue
		}
		var extra []byte // the neighbor's as_dict keys, for v1 extensive
		if req.JSON && req.Extensive && !d.RoutesV2 {
			data := d.Describe(n)
			extra = data.appendJSON(nil)
			extra = extra[1 : len(extra)-1]
		}
		visit := func(r *rib.Route) {
			if r.Withdraw || !classMatch(req.Class, r.NLRI.Family()) {
				return
			}
			if line, ok := d.routeLine(b[:0], req, n, ip, r, extra); ok {
				b = line
				emit(string(b))
			}
		}
		if req.In {
			p.In().Each(nil, visit)
		} else {
			p.Out().Cached(nil, visit)
		}
	}
}

// routeLine renders one `show adj-rib` line; ok is false when the route
// has no form in the requested output (v1 JSON shows prefixes only).
func (d *PeerSet) routeLine(b []byte, req ShowAdjRIB, n *config.Neighbor, ip string, r *rib.Route, extra []byte) ([]byte, bool) {
	var err error
	switch {
	case req.JSON && d.RoutesV2:
		b = append(b, `{"peer": {"address": "`...)
		b = append(b, ip...)
		b = append(b, `"}, "route": `...)
		if b, err = format.RouteV2(b, r.NLRI, r.NextHop(), &r.Attrs.Attributes); err != nil {
			return b, false
		}
		return append(b, '}'), true
	case req.JSON:
		b = append(b, `{"`...)
		b = append(b, ip...)
		b = append(b, `": {"routes": [`...)
		var ok bool
		if b, ok = format.RouteV1(b, r.NLRI); !ok {
			return b, false
		}
		b = append(b, ']')
		if len(extra) > 0 {
			b = append(b, ", "...)
			b = append(b, extra...)
		}
		return append(b, "}}"...), true
	}
	var attrs *wire.Attributes
	if req.Extensive {
		b = append(b, n.Name...)
		attrs = &r.Attrs.Attributes
	} else {
		b = append(b, ip...)
	}
	b = append(b, ' ')
	b = append(b, r.NLRI.Family().String()...)
	b = append(b, ' ')
	text := format.RouteText
	if req.In {
		text = format.RouteTextReceived // ExaBGP prints received flow ports as numbers
	}
	if b, err = text(b, r.NLRI, r.NextHop(), attrs); err != nil {
		return b, false
	}
	return b, true
}

func classMatch(class string, f wire.Family) bool {
	switch class {
	case "inet":
		return f.SAFI == wire.SAFIUnicast || f.SAFI == wire.SAFIMulticast || f.SAFI == wire.SAFIMPLS || f.SAFI == wire.SAFIVPN
	case "flow":
		return f.SAFI == wire.SAFIFlow || f.SAFI == wire.SAFIFlowVPN
	case "l2vpn":
		return f.AFI == wire.AFIL2VPN
	}
	return true
}
