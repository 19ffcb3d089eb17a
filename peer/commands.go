package peer

import (
	"errors"
	"net/netip"
	"time"

	"exago/config"
	"exago/rib"
	"exago/wire"
)

// Errors of the command methods (the API answers `error` or logs them).
var (
	ErrFamily         = errors.New("family not configured for this neighbor")
	ErrNextHopSelf    = errors.New("next-hop self: no local address of the route's address family")
	ErrNotEstablished = errors.New("session not established")
	ErrNoRefresh      = errors.New("route-refresh capability not enabled")
)

// Announce queues route r in the Adj-RIB-Out, session up or not (ExaBGP's
// `announce route`; `done` can be answered when it returns). A route with a
// family the neighbor did not configure is refused (ErrFamily; ExaBGP logs
// it and still answers `done`). With adj-rib-out on, a route already announced with the same
// attributes and next hop is not sent again.
func (p *Peer) Announce(r *config.Route) error {
	if err := p.addRoute(r); err != nil {
		return err
	}
	p.kick()
	return nil
}

// Withdraw queues the withdrawal of r (`withdraw route`): it takes the
// place of a not yet sent announcement of the same NLRI with the same
// attributes, so that only the withdrawal goes out (rib.Out.Withdraw).
func (p *Peer) Withdraw(r *config.Route) error {
	nh, err := p.nextHop(r)
	if err != nil {
		nh = netip.Addr{}
	}
	if !p.familyOK(r.NLRI.Family()) {
		return ErrFamily
	}
	p.out.Withdraw(r.NLRI, nh, &r.Attrs)
	p.kick()
	return nil
}

// AnnouncePrepared is [Peer.Announce] for an API route prepared once for
// every selected peer (pr from rib.Prepare with r's NLRI, next hop and
// attributes): the key and attribute set are shared, not computed again.
// Routes resolved per peer (`next-hop self`) or with a watchdog take the
// ordinary path; r is then kept, so it must be the peer's own copy.
func (p *Peer) AnnouncePrepared(r *config.Route, pr *rib.Prepared) error {
	if r.NextHopSelf || r.Watchdog != "" {
		return p.Announce(r)
	}
	if !p.familyOK(r.NLRI.Family()) {
		return ErrFamily
	}
	p.out.AnnouncePrepared(pr, false)
	p.kick()
	return nil
}

// WithdrawPrepared is [Peer.Withdraw] for a prepared route (see
// [Peer.AnnouncePrepared]).
func (p *Peer) WithdrawPrepared(r *config.Route, pr *rib.Prepared) error {
	if r.NextHopSelf {
		return p.Withdraw(r)
	}
	if !p.familyOK(r.NLRI.Family()) {
		return ErrFamily
	}
	p.out.WithdrawPrepared(pr)
	p.kick()
	return nil
}

// addRoute puts a configuration or API route in the Adj-RIB-Out.
func (p *Peer) addRoute(r *config.Route) error {
	if !p.familyOK(r.NLRI.Family()) {
		return ErrFamily
	}
	nh, err := p.nextHop(r)
	if err != nil {
		if !p.n.LocalAuto || p.s.up {
			return err
		}
		p.selfLater = append(p.selfLater, r) // resolved once connected
		return nil
	}
	if r.Watchdog != "" && !p.addWatchdog(r) {
		return nil
	}
	p.out.Announce(r.NLRI, nh, &r.Attrs, false)
	return nil
}

// addSelfRoutes queues the `next-hop self` routes that waited for the
// local address of the session (local-address auto).
func (p *Peer) addSelfRoutes() {
	l := p.selfLater
	p.selfLater = nil
	for _, r := range l {
		if err := p.addRoute(r); err != nil {
			p.log.Error().Err(err).Msg("route not loaded")
		}
	}
}

// familyOK reports whether routes of f may enter the Adj-RIB-Out: only the
// neighbor's families (ExaBGP's _init_neighbor and inject_change).
func (p *Peer) familyOK(f wire.Family) bool { return hasFamily(p.n.Families, f) }

// nextHop resolves `next-hop self` (ExaBGP's ip_self): the local address
// when it has the route's address family, the router-id for IPv4 routes
// over an IPv6 session, otherwise an error.
func (p *Peer) nextHop(r *config.Route) (netip.Addr, error) {
	if !r.NextHopSelf {
		return r.NextHop, nil
	}
	local := p.n.LocalAddress
	if !local.IsValid() {
		local = p.s.local.Addr().Unmap()
	}
	v4 := r.NLRI.Family().AFI == wire.AFIIPv4
	switch {
	case !local.IsValid():
		return netip.Addr{}, ErrNextHopSelf
	case local.Is4() == v4:
		return local, nil
	case v4 && p.routerID().IsValid():
		return p.routerID(), nil
	}
	return netip.Addr{}, ErrNextHopSelf
}

// kick asks for writability when the session can send updates.
//
// With Options.FlushDelay the UPDATEs wait for a flush tick instead, so
// that a route announced and withdrawn in quick succession never reaches
// the wire.
func (p *Peer) kick() {
	if p.state != StateEstablished || !p.out.Pending() {
		return
	}
	now := p.opts.Now()
	if p.opts.FlushDelay <= 0 {
		p.wantWrite(now)
		return
	}
	if !p.s.flushArmed {
		p.s.flushArmed = true
		p.drv.SetTimer(p, TimerRate, now.Add(p.opts.FlushDelay))
	}
}

// AnnounceEOR queues an End-of-RIB for f (`announce eor`); established
// sessions only.
func (p *Peer) AnnounceEOR(f wire.Family) error {
	if p.state != StateEstablished {
		return ErrNotEstablished
	}
	p.s.eorQ = append(p.s.eorQ, f)
	p.wantWrite(p.opts.Now())
	return nil
}

// RouteRefresh sends a ROUTE-REFRESH request for f (`announce
// route-refresh`): established sessions with the capability configured and
// f among the neighbor's families.
func (p *Peer) RouteRefresh(f wire.Family) error {
	switch {
	case p.state != StateEstablished:
		return ErrNotEstablished
	case !p.n.Capability.RouteRefresh:
		return ErrNoRefresh
	case !hasFamily(p.n.Families, f):
		return ErrFamily
	}
	p.s.refreshQ = append(p.s.refreshQ, wire.RouteRefresh{Family: f, Subtype: wire.RefreshRequest})
	p.wantWrite(p.opts.Now())
	return nil
}

// Teardown closes the session with Cease 6/subcode (`teardown N`), text
// being ExaBGP's (the subcode name when empty; a length-prefixed RFC 9003
// communication for 6/2 and 6/4). The peer reconnects afterwards, without
// back-off.
func (p *Peer) Teardown(subcode uint8, text string) {
	now := p.opts.Now()
	p.backoff.reset(now)
	if !p.s.up {
		return
	}
	p.failText(now, wire.CodeCease, subcode, text)
	p.backoff.reset(now)
}

// FlushOut re-sends the whole Adj-RIB-Out (`flush adj-rib out`), inside
// BoRR/EoRR (RFC 7313) for every family whenever the route-refresh
// capability is configured, whatever the peer offered: ExaBGP's
// neighbor_rib_resend (reactor/loop.py) passes the configured capability
// as enhanced_refresh. Established only. Changes queued before it and not
// sent yet go out first (rib.Out.Seal).
func (p *Peer) FlushOut() error {
	if p.state != StateEstablished {
		return ErrNotEstablished
	}
	now := p.opts.Now()
	p.out.Seal()
	p.out.Resend(p.n.Capability.RouteRefresh, nil)
	p.backoff.reset(now)
	p.wantWrite(now)
	return nil
}

// ClearOut withdraws every route of the Adj-RIB-Out (`clear adj-rib out`).
func (p *Peer) ClearOut() {
	p.out.WithdrawAll(nil)
	p.kick()
}

// ClearIn empties the Adj-RIB-In (`clear adj-rib in`).
func (p *Peer) ClearIn() { p.in.Clear() }

// Shutdown stops the peer for good (SIGTERM, `shutdown`, neighbor
// removed). Events as ExaBGP's Peer.shutdown (_stop, _close, stop): state
// down "stop, message [shutting down]" when the session was past ACTIVE,
// then fsm IDLE twice. On the wire ExaGo still sends Cease 6/3 "Peer
// De-configured" (ExaBGP closes silently), or closes silently when
// graceful restart was negotiated (our OPEN carried it). No new session
// starts.
func (p *Peer) Shutdown(now time.Time) {
	const reason = "stop, message [shutting down]"
	p.stop()
	p.backoff.reset(now)
	switch {
	case p.s.connecting:
		p.drv.Close(p)
		p.closeSession(now, reason)
		return
	case !p.s.up:
		p.drv.StopTimer(p, TimerConnectRetry)
		if p.state != StateIdle {
			p.setState(StateIdle)
		}
		return
	}
	if p.state != StateIdle && p.state != StateActive {
		p.ev.State(p, ChangeDown, reason)
	}
	p.setState(StateIdle) // ExaBGP's _close
	p.setState(StateIdle) // and stop
	p.s.shutdown = true   // closeSession reports nothing more
	switch {
	case p.s.closing:
		// a NOTIFICATION is already on its way
	case p.grEnabled() && p.s.sentOpen != nil && p.s.sentOpen.Caps.HasGracefulRestart:
		p.drv.Close(p)
		p.closeSession(now, reason)
	default:
		p.failText(now, wire.CodeCease, wire.SubcodePeerDeconfigured, "")
		p.s.downReason = reason
	}
}
