// Package peer is the RFC 4271 finite state machine of one BGP session as an
// explicit state struct stepped by events (connect done/failed, bytes read,
// writable, timer fired, command). It never blocks and owns no goroutine:
// a [Driver] (the reactor, or a sync-mode goroutine) steps it, always from
// one goroutine at a time. Nothing here is safe for concurrent use.
//
// Data flow: the driver hands received bytes to [Peer.OnRead], which frames
// them (wire.Frame), steps the FSM and feeds the Adj-RIB-In and the
// [Events] sink. Anything to send only sets pending state (a bit, a queued
// route in the Adj-RIB-Out) and calls Driver.WantWrite; the driver then
// calls [Peer.Pull], which builds messages lazily in priority order
// NOTIFICATION > KEEPALIVE > OPEN > ROUTE-REFRESH > UPDATE within a budget.
// A slow peer therefore costs its Adj-RIB-Out, never a queue of bytes.
//
// Timers are deadlines the driver keeps in its timer wheel (Driver.SetTimer);
// the peer arms them with absolute times computed from the "now" of the
// event being handled, so tests drive time with a fake clock.
//
// Contracts:
//   - driver (reactor/, sync mode): [New], then Start, OnConnected,
//     OnConnectFailed, OnIncoming, OnRead, Pull, OnTimer, OnClosed,
//     Shutdown, Reconfigure (SIGUSR1), Stopped; it implements [Driver].
//     It passes one rib.Bases to every peer (Options.Bases): neighbors
//     with the same configured routes then share their Adj-RIB-Out start
//     state and first UPDATEs (update groups, see package rib).
//   - API (api/): an [Events] (optionally a [Backlog]) in Options, and the
//     commands Announce, Withdraw, AnnounceEOR, RouteRefresh, Teardown,
//     FlushOut, ClearOut, ClearIn, AnnounceWatchdog, WithdrawWatchdog,
//     Operational (with ParseOperational for `announce operational`),
//     Resume; `show neighbor` reads State, Stats, Opens, Negotiated,
//     Addresses; `show adj-rib` reads Out().Cached and In().Each.
//
// Deliberate deviations from ExaBGP 5.0.13 (reactor/peer.py):
//   - a failed outgoing connect is retried after Options.ConnectRetry
//     (jittered) instead of on every 10 ms reactor tick;
//   - the NOTIFICATION for shutdown is always sent (ExaBGP closes before it
//     is queued; see EXABGP-SURFACE.md §1.5);
//   - RFC 9687 send hold timer (ExaBGP has none);
//   - OPERATIONAL messages are sent when the capability was configured and
//     negotiated (ExaBGP 5.0.13 resets the session on every send,
//     EXABGP-SURFACE.md §8 item 23), dropped otherwise;
//   - changes queued before a `flush adj-rib out` go out before the
//     re-sent routes (ExaBGP sends the refresh first; its helpers rarely
//     get both applied in one pass).
package peer

import (
	"net/netip"
	"weak"

	"github.com/rs/zerolog"

	"exago/config"
	"exago/rib"
	"exago/wire"
)

// Peer is one configured neighbor's session state.
//
// The On*, Start, Pull and Shutdown methods are the contract with the
// driver (reactor/ and the sync mode). Each returns quickly and never
// blocks.
type Peer struct {
	n    *config.Neighbor
	drv  Driver
	opts Options
	log  zerolog.Logger
	ev   Events

	state    State
	backoff  backoff
	attempts int  // outgoing session attempts so far (tcp.attempts)
	stopped  bool // no new session: shutdown, or attempts used up
	// restarted is ExaBGP's _restarted: the R bit of our graceful restart
	// capability (always set unless the peer was stopped).
	restarted bool
	retry     bool   // TimerConnectRetry retries a failed connect (no new attempt)
	paused    bool   // reading paused for a Backlog
	final     []byte // handshake messages to write before the transport closes

	s session // per-TCP-session state, zeroed on every reset

	dogs      map[string]*watchdog
	selfLater []*config.Route // next-hop self routes waiting for the local address

	out *rib.Out // Adj-RIB-Out (routes to send)
	in  *rib.In  // Adj-RIB-In (kept when adj-rib-in is on)

	ops   []wire.Operational    // OPERATIONAL messages waiting for a session (outlive sessions)
	asm   []wire.Operational    // last ASM per family, queued again on every session
	opSeq map[netip.Addr]uint32 // OPERATIONAL sequence numbers per router-id

	stats Stats
}

// New returns the peer for neighbor n driven by drv. It does nothing until
// Start.
func New(n *config.Neighbor, drv Driver, opts Options) *Peer {
	opts.setDefaults()
	p := &Peer{n: n, drv: drv, opts: opts, log: opts.Log, ev: opts.Events, restarted: true}
	cache := n.AdjRIBOut || n.Capability.RouteRefresh
	shared := false // the configured routes come from a shared rib.Base
	if opts.Out != nil && cache && opts.Out.Caching() {
		p.out = opts.Out
		p.out.Reset()
		p.out.SetFamilies(n.Families)
	} else if opts.Bases != nil && len(n.Routes) != 0 {
		b := opts.Bases.Get(weak.Make(&n.Routes[0]), len(n.Routes), n.Families, cache,
			func(o *rib.Out) bool {
				if !shareable(n) {
					return false
				}
				for i := range n.Routes {
					r := &n.Routes[i]
					o.Announce(r.NLRI, r.NextHop, &r.Attrs, false)
				}
				return true
			})
		if b != nil {
			p.out, shared = rib.NewOutBase(b), true
		}
	}
	if p.out == nil {
		p.out = rib.NewOut(n.Families, cache)
	}
	p.in = rib.NewIn(n.AdjRIBIn)
	p.loadOperational()
	now := opts.Now()
	if !shared {
		for i := range n.Routes {
			if err := p.addRoute(&n.Routes[i]); err != nil {
				p.log.Error().Err(err).Msg("route not loaded")
			}
		}
	}
	p.stats.Creation, p.stats.Reset = now, now
	p.s.reset()
	return p
}

// shareable reports whether n's configured routes enter the Adj-RIB-Out
// the same way for every neighbor with the same route list, families and
// cache setting, as addRoute would put them: no `next-hop self` (resolved
// per session), no watchdog (per-peer state), every family configured.
// Such neighbors share a rib.Base.
func shareable(n *config.Neighbor) bool {
	for i := range n.Routes {
		r := &n.Routes[i]
		if r.NextHopSelf || r.Watchdog != "" || r.NLRI == nil || !hasFamily(n.Families, r.NLRI.Family()) {
			return false
		}
	}
	return true
}

// Neighbor is the configuration the peer runs.
func (p *Peer) Neighbor() *config.Neighbor { return p.n }

// State is the current FSM state.
func (p *Peer) State() State { return p.state }

// Established reports whether the session is up.
func (p *Peer) Established() bool { return p.state == StateEstablished }

// Stopped reports that the peer will not start another session (shut down,
// or tcp.attempts used up): the driver may forget it.
func (p *Peer) Stopped() bool { return p.stopped && !p.s.up }

// Negotiated is what the current session's OPENs agreed, nil before the
// peer's OPEN was accepted.
func (p *Peer) Negotiated() *Negotiated { return p.s.neg }

// Opens are the OPEN we sent and the one the peer sent in the current
// session (nil until sent / received), for `show neighbor`.
func (p *Peer) Opens() (sent, received *wire.Open) { return p.s.sentOpen, p.s.recvOpen }

// Addresses are the local and remote ends of the current connection
// (invalid when there is none).
func (p *Peer) Addresses() (local, remote netip.AddrPort) { return p.s.local, p.s.remote }

// Out is the peer's Adj-RIB-Out.
func (p *Peer) Out() *rib.Out { return p.out }

// In is the peer's Adj-RIB-In.
func (p *Peer) In() *rib.In { return p.in }

// Log is the peer's logger.
func (p *Peer) Log() *zerolog.Logger { return &p.log }

// setState moves the FSM and reports it (ExaBGP's FSM.change reports every
// change, even to the same state).
func (p *Peer) setState(s State) {
	from := p.state
	p.state = s
	p.stats.FSM = s
	p.ev.FSM(p, from, s)
}

// remotePort is where outgoing connections go: the neighbor's `connect`,
// else the exabgp_tcp_port environment variable, else 179.
func (p *Peer) remotePort() uint16 {
	if p.n.Connect != 0 {
		return p.n.Connect
	}
	return p.opts.ConnectPort
}
