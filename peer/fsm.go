package peer

import (
	"net/netip"
	"time"

	"exago/wire"
)

// Start begins the FSM (ManualStart / AutomaticStart, RFC 4271 §8.1.2) as
// ExaBGP does: ACTIVE, then (unless passive) IDLE and a connection attempt.
// A passive peer stays in ACTIVE waiting for OnIncoming.
func (p *Peer) Start(now time.Time) {
	if p.stopped {
		return
	}
	p.setState(StateActive)
	if p.passive() {
		return
	}
	p.setState(StateIdle)
	p.tryConnect(now)
}

// passive reports whether the peer never connects out (neighbor `passive`
// or bgp.passive).
func (p *Peer) passive() bool { return p.n.Passive || p.opts.Passive }

// tryConnect starts a new session attempt unless the back-off forbids it
// yet (then TimerConnectRetry fires when it is over).
func (p *Peer) tryConnect(now time.Time) {
	if p.stopped || p.s.up || p.s.connecting {
		return
	}
	if at := p.backoff.wait(now); at.After(now) {
		p.drv.SetTimer(p, TimerConnectRetry, at)
		return
	}
	if p.opts.Attempts > 0 && p.attempts >= p.opts.Attempts {
		p.stop()
		return
	}
	p.attempts++
	p.connect()
}

// connect asks the driver for an outgoing connection (no attempt counted:
// ExaBGP retries a refused connect within one attempt).
func (p *Peer) connect() {
	p.s.connecting = true
	remote := netip.AddrPortFrom(p.n.PeerAddress.Addr(), p.remotePort())
	local := p.n.MD5IP
	if !local.IsValid() && !p.n.LocalAuto {
		local = p.n.LocalAddress
	}
	p.log.Debug().Stringer("remote", remote).Msg("attempting connection")
	p.drv.Connect(p, local, remote)
}

// OnConnected reports that the outgoing connection completed.
func (p *Peer) OnConnected(now time.Time, local, remote netip.AddrPort) {
	if !p.s.connecting {
		return
	}
	p.s.connecting = false
	p.sessionUp(now, local, remote, true)
}

// OnConnectFailed reports that the outgoing connection failed or timed out;
// the peer tries again after Options.ConnectRetry (jittered), within the
// same session attempt.
func (p *Peer) OnConnectFailed(now time.Time, err error) {
	if !p.s.connecting {
		return
	}
	p.s.connecting = false
	p.log.Debug().Err(err).Msg("connection failed")
	if p.stopped {
		return
	}
	p.retry = true
	p.drv.SetTimer(p, TimerConnectRetry, now.Add(p.opts.jitter(p.opts.ConnectRetry)))
}

// OnIncoming offers an accepted connection from this peer's address. It
// returns true when the peer takes it (RFC 4271 §6.8 collision handling as
// ExaBGP's Peer.handle_connection): refused while ESTABLISHED (6/7), and in
// OPENCONFIRM when the peer's router-id is lower than ours (6/7); in any
// other state the incoming connection wins and the driver closes the
// outgoing one. When false, the driver writes notify (a complete
// NOTIFICATION message, may be nil) and closes the new socket.
func (p *Peer) OnIncoming(now time.Time, local, remote netip.AddrPort) (accept bool, notify []byte) {
	switch {
	case p.stopped:
		return false, wire.AppendNotification(nil, wire.CodeCease, wire.SubcodePeerDeconfigured,
			"no session configured for the peer")
	case p.state == StateEstablished:
		return false, wire.AppendNotification(nil, wire.CodeCease, wire.SubcodeCollision,
			"could not accept the connection, already established")
	case p.state == StateOpenConfirm && p.s.recvOpen != nil &&
		p.s.recvOpen.RouterID.Less(p.routerID()):
		return false, wire.AppendNotification(nil, wire.CodeCease, wire.SubcodeCollision,
			"could not accept the connection, as another connection is already in open-confirm and will go through")
	}
	if p.s.up || p.s.connecting {
		p.dropConnection("closing outgoing connection as we have another incoming on with higher router-id")
	}
	p.drv.StopTimer(p, TimerConnectRetry)
	p.backoff.reset(now)
	p.sessionUp(now, local, remote, false)
	return true, nil
}

// routerID is our BGP identifier: the configured router-id, else the local
// IPv4 address of the session (ExaBGP's fallback).
func (p *Peer) routerID() netip.Addr {
	if p.n.RouterID.IsValid() {
		return p.n.RouterID.Unmap()
	}
	if a := p.s.local.Addr().Unmap(); a.Is4() {
		return a
	}
	return p.n.LocalAddress.Unmap()
}

// sessionUp binds a new transport: ExaBGP's CONNECT, then OPEN first
// (except local-as auto, which reads the peer's OPEN first), and
// bgp.openwait for the peer's OPEN.
func (p *Peer) sessionUp(now time.Time, local, remote netip.AddrPort, outgoing bool) {
	p.final = p.final[:0] // never carried into a new transport
	p.s.up, p.s.outgoing, p.s.local, p.s.remote = true, outgoing, local, remote
	p.s.lastRead, p.s.lastWrite = now, now
	p.stats.Connected = now
	p.ev.State(p, ChangeConnected, "")
	if p.state != StateIdle {
		p.setState(StateActive)
		p.setState(StateIdle)
	}
	p.setState(StateConnect)
	p.addSelfRoutes()
	p.drv.SetTimer(p, TimerHold, now.Add(p.opts.OpenWait))
	if !p.n.LocalAS.Auto {
		p.queueOpen()
	}
}

// queueOpen builds our OPEN now (negotiation needs it) and queues it
// ahead of everything else (p.final), reporting it sent before OPENSENT
// as ExaBGP does (Peer._establish: _send_open, then fsm OPENSENT).
func (p *Peer) queueOpen() {
	o := p.buildOpen()
	p.s.sentOpen = &o
	p.final = p.sent(o.Append(p.final), len(p.final))
	p.setState(StateOpenSent)
	p.drv.WantWrite(p)
}

// OnClosed reports that the transport closed (EOF, reset, write error).
func (p *Peer) OnClosed(now time.Time, err error) {
	if !p.s.up && !p.s.connecting {
		return
	}
	reason := "closing connection"
	if p.s.closing && p.s.downReason != "" {
		reason = p.s.downReason
	}
	p.log.Debug().Err(err).Msg("connection closed")
	p.closeSession(now, reason)
}

// closeSession ends the current session (ExaBGP's Peer._reset): down event
// when the session had gone past ACTIVE, timers stopped, unsent routes
// dropped (the Adj-RIB-Out cache is re-sent next time), back-off increased,
// and the next attempt scheduled unless the peer stopped. It does not
// touch the transport: callers Close it, or the driver already did.
func (p *Peer) closeSession(now time.Time, reason string) {
	reported := p.s.shutdown
	if !reported && p.state != StateIdle && p.state != StateActive {
		p.ev.State(p, ChangeDown, reason)
	}
	p.log.Info().Str("reason", reason).Msg("session closed")
	for _, k := range [...]Timer{TimerHold, TimerKeepalive, TimerSendHold, TimerRate} {
		p.drv.StopTimer(p, k)
	}
	if p.s.up {
		p.stats.Down++
	}
	p.stats.resetCounters(now)
	p.out.Reset()
	p.s.reset()
	if !reported {
		p.setState(StateIdle)
	}
	p.backoff.increase(now)
	if p.opts.Attempts > 0 && p.attempts >= p.opts.Attempts && !p.passive() {
		p.log.Debug().Msg("maximum connection attempts reached, stopping the peer")
		p.stop()
	}
	if !p.stopped {
		p.retry = false
		p.drv.SetTimer(p, TimerConnectRetry, p.backoff.wait(now))
	}
}

// dropConnection forgets the current connection for an incoming one
// (ExaBGP's Peer._close from handle_connection): unlike closeSession the
// Adj-RIB-Out keeps its pending routes and no new attempt is scheduled.
// The driver closes the old socket itself.
func (p *Peer) dropConnection(reason string) {
	if p.state != StateIdle && p.state != StateActive {
		p.ev.State(p, ChangeDown, reason)
	}
	for _, k := range [...]Timer{TimerHold, TimerKeepalive, TimerSendHold, TimerRate} {
		p.drv.StopTimer(p, k)
	}
	if p.s.up {
		p.stats.Down++
	}
	p.s.reset()
	p.setState(StateIdle)
}

// stop makes the peer stop for good (ExaBGP's Peer.stop).
func (p *Peer) stop() {
	p.stopped = true
	p.restarted = false
	p.drv.StopTimer(p, TimerConnectRetry)
}

// restart begins the next session attempt once the back-off is over:
// ACTIVE, and for an active peer IDLE and a connection attempt.
func (p *Peer) restart(now time.Time) {
	if p.stopped || p.s.up || p.s.connecting {
		return
	}
	p.setState(StateActive)
	if p.passive() {
		return
	}
	p.setState(StateIdle)
	p.tryConnect(now)
}
