package config

import (
	"net/netip"

	"exago/wire"
)

// Config is the result of loading one or more configuration files.
type Config struct {
	Files     []string
	Processes []*Process
	Neighbors []*Neighbor
	// Unparsed lists family sections and routes (flow, vpls, mup,
	// mcast-vpn) that were accepted without building routes because no
	// family grammar is registered yet (see [Grammar]).
	Unparsed []Pos
}

// Process is a `process NAME { run ...; encoder ...; }` block (ExaBGP
// configuration/process/).
type Process struct {
	Name    string
	Run     []string // argv, program resolved as ExaBGP resolves it
	Encoder string   // "text" or "json"
	Respawn bool
	Pos     Pos
}

// Pos is where something was written: file, line and column (1-based).
type Pos struct {
	File string
	Line int
	Col  int
}

// ASN is an autonomous system number; Auto is ExaBGP's `auto`.
type ASN struct {
	Value uint32
	Auto  bool
}

// Tristate is a boolean capability setting that may be left unset.
type Tristate uint8

const (
	Unset Tristate = iota
	Off
	On
)

// Capabilities is the `capability { }` block (ExaBGP configuration/capability.py).
type Capabilities struct {
	ASN4            bool // default true
	ExtendedMessage bool // default true
	RouteRefresh    bool
	GracefulRestart int   // -1 disabled, else restart time in seconds
	AddPath         uint8 // 0 disable, 1 receive, 2 send, 3 send/receive
	NextHop         Tristate
	MultiSession    bool
	Operational     bool
	SoftwareVersion bool
	AIGP            bool
}

// NextHopTuple is one `nexthop { ipv4 unicast ipv6; }` entry (RFC 8950).
type NextHopTuple struct {
	Family     wire.Family
	NextHopAFI wire.AFI
}

// APIBinding is one `api [name] { ... }` block of a neighbor.
type APIBinding struct {
	Name            string
	Processes       []string
	ProcessesMatch  []string
	NeighborChanges bool
	Negotiated      bool
	FSM             bool
	Signal          bool
	Send            MessageFlags
	Receive         MessageFlags
	Pos             Pos // the api block
}

// MessageFlags is the content of an api `send { }` or `receive { }` block.
type MessageFlags struct {
	Parsed, Packets, Consolidate                                bool
	Open, Update, Notification, Keepalive, Refresh, Operational bool
}

// Neighbor is a fully inherited, validated `neighbor` block.
type Neighbor struct {
	Name         string // ExaBGP's neighbor name string, for selectors and logs
	Description  string
	PeerAddress  netip.Prefix // a host prefix unless a passive range
	LocalAddress netip.Addr   // invalid when auto
	LocalAuto    bool
	RouterID     netip.Addr
	LocalAS      ASN
	PeerAS       ASN
	HoldTime     uint16
	Passive      bool
	Listen       uint16
	Connect      uint16
	MD5Password  string
	MD5Base64    string // "true", "false" or "auto"
	MD5IPSet     bool   // md5-ip was written (MD5IP is local-address otherwise)
	MD5IP        netip.Addr
	OutgoingTTL  int // 0 unset
	IncomingTTL  int // 0 unset
	SourceIface  string
	HostName     string
	DomainName   string
	RateLimit    int
	GroupUpdates bool
	AutoFlush    bool
	AdjRIBIn     bool
	AdjRIBOut    bool
	ManualEOR    bool

	Capability  Capabilities
	Families    []wire.Family // sorted by AFI then SAFI as ExaBGP; all 21 when no family block
	AddPath     []wire.Family
	NextHops    []NextHopTuple
	APIs        []APIBinding
	Routes      []Route // every configured route, in order (duplicates kept: ExaBGP sends them all)
	Operational []Operational

	Pos Pos
}

// Route is one configured route of any family. NLRI carries the family
// (inet routes use *wire.INET). NextHop is invalid when the route has
// none (flow without next-hop). NextHopSelf marks `next-hop self`: Load
// resolves NextHop from local-address (or router-id) when it is known and
// leaves it invalid for `local-address auto`; API routes are resolved by
// the caller with [Neighbor.ResolveSelf].
type Route struct {
	NLRI        wire.NLRI
	NextHop     netip.Addr
	NextHopSelf bool
	Attrs       wire.Attributes
	Name        string
	Watchdog    string
	Withdrawn   bool // `withdraw` flag with a watchdog
	Pos         Pos
}

// Operational is one configured `operational { }` message (ExaBGP's
// draft-ietf-idr-operational-message).
type Operational struct {
	Kind     string // asm adm rpcq rpcp apcq apcp lpcq lpcp
	Family   wire.Family
	Advisory string
	Sequence uint32
	Counter  uint64
	RouterID netip.Addr
}
