package api

import (
	"exago/config"
	"exago/wire"
)

// Peer is one configured peer as the command handlers see it.
type Peer struct {
	Neighbor    *config.Neighbor
	Established bool
}

// Action says whether a route command announces or withdraws.
type Action uint8

const (
	ActionAnnounce Action = iota + 1
	ActionWithdraw
)

func (a Action) String() string {
	if a == ActionWithdraw {
		return "withdraw"
	}
	return "announce"
}

// RouteKind is the grammar a route command uses (ExaBGP's api_route,
// api_announce_v4/v6, api_attributes, api_flow, api_vpls).
type RouteKind uint8

const (
	KindRoute      RouteKind = iota + 1 // `announce route <prefix> <attr…>` (static route grammar)
	KindIPv4                            // `announce ipv4 <safi> <spec…>`
	KindIPv6                            // `announce ipv6 <safi> <spec…>`
	KindAttributes                      // `announce attribute[s] <attr…> nlri <p>…`
	KindFlow                            // `announce flow route …`
	KindVPLS                            // `announce vpls …`
)

var kindNames = [...]string{KindRoute: "route", KindIPv4: "ipv4", KindIPv6: "ipv6",
	KindAttributes: "attributes", KindFlow: "flow", KindVPLS: "vpls"}

func (k RouteKind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "unknown"
}

// RouteCommand is an announce or withdraw command with its neighbor
// selectors removed. Words are the normalised words of Line, starting with
// the action (`announce`/`withdraw`); they alias the command buffer and are
// only valid during the [Daemon.Routes] call.
type RouteCommand struct {
	Action Action
	Kind   RouteKind
	Line   string
	Words  []string
}

// ShowNeighbor is a `show neighbor` request.
type ShowNeighbor struct {
	Summary, Extensive, Configuration, JSON bool
	Filter                                  string // peer IP (or part of the name) after `neighbor`, "" for all
}

// ShowAdjRIB is a `show adj-rib in|out` request.
type ShowAdjRIB struct {
	In        bool   // adj-rib-in; false is adj-rib-out
	Extensive bool   // full neighbor name and attributes
	JSON      bool   // api.show-routes-format decides v1 or v2
	Class     string // "" (all), "inet", "flow" or "l2vpn"
	Filter    string // peer IP, "" for all peers
}

// Signal is a reactor-wide request from a command.
type Signal uint8

const (
	SignalShutdown Signal = iota + 1
	SignalReload
	SignalRestart
)

// Daemon is what the API asks of the daemon. The server glue implements it
// by calling peers, the RIB and the configuration parser. Every method runs
// on the reactor goroutine and must return quickly (queue work, never
// block). Peers passed in come from the latest [Daemon.Peers] result.
type Daemon interface {
	// Peers lists every configured peer in configuration order. The slice
	// is owned by the daemon and only read until the next call.
	Peers() []Peer

	// Routes parses cmd (config's route grammar) and queues the
	// announcement or withdrawal for each peer. An error means the command
	// could not be parsed: the helper gets `error`. A route the peer cannot
	// carry, or a withdraw of an unknown route, is only logged (nil).
	Routes(peers []*config.Neighbor, cmd RouteCommand) error
	// EOR queues an End-of-RIB marker for family f (RFC 4724 §2).
	EOR(peers []*config.Neighbor, f wire.Family) error
	// RouteRefresh sends a ROUTE-REFRESH for f (RFC 2918).
	RouteRefresh(peers []*config.Neighbor, f wire.Family) error
	// Operational queues an operational message; words start at its kind
	// (`asm`, `rpcq`, …).
	Operational(peers []*config.Neighbor, words []string) error
	// Watchdog announces (or withdraws) every route of the watchdog group
	// name, on all neighbors.
	Watchdog(name string, announce bool)
	// Teardown sends Cease 6/code to an established peer, then reconnects.
	Teardown(peer *config.Neighbor, code int)
	// FlushAdjRIBOut re-sends the peer's whole adj-rib-out.
	FlushAdjRIBOut(peer *config.Neighbor)
	// ClearAdjRIB withdraws everything in adj-rib-out, or empties
	// adj-rib-in when in is true.
	ClearAdjRIB(peer *config.Neighbor, in bool)
	// Describe returns what `show neighbor` prints about a peer.
	Describe(n *config.Neighbor) NeighborData
	// ShowAdjRIB writes the routes of an adj-rib, one line per emit call.
	ShowAdjRIB(req ShowAdjRIB, emit func(line string))
	// Signal requests a shutdown, reload or restart.
	Signal(s Signal)
}
