package api

import (
	"net/netip"

	"exago/config"
)

// Direction says whether a message was sent or received.
type Direction uint8

const (
	DirReceive Direction = iota
	DirSend
)

// String returns "receive" or "send", as the API prints it.
func (d Direction) String() string {
	if d == DirSend {
		return "send"
	}
	return "receive"
}

// EventKind is what an [Event] reports.
type EventKind uint8

const (
	EventState      EventKind = iota + 1 // neighbor-changes: connected, up, down
	EventFSM                             // fsm: every state change
	EventNegotiated                      // negotiated: what both OPENs agreed
	EventSignal                          // signal: a signal the daemon received
	EventMessage                         // a BGP message sent or received (parsed / consolidate)
	EventPackets                         // a raw BGP message (packets without consolidate)
)

// BGP message types as the API's `send { }` / `receive { }` flags name
// them (RFC 4271 §4.1, RFC 2918, ExaBGP's operational 6).
const (
	MsgOpen         uint8 = 1
	MsgUpdate       uint8 = 2
	MsgNotification uint8 = 3
	MsgKeepalive    uint8 = 4
	MsgRefresh      uint8 = 5
	MsgOperational  uint8 = 6
	numMsg                = 7
)

// Identity is the neighbor block every neighbor event carries.
type Identity struct {
	Local, Peer     netip.Addr
	LocalAS, PeerAS uint32
	RouterID        netip.Addr
}

// Event is one event for the helpers. The caller fills it and calls
// [Server.Emit]; the Server sets Counter, Consolidate and Negotiated (for
// messages) per the neighbor's api options before each rendering. Header,
// Body and Decoded are only read during the call.
type Event struct {
	Kind     EventKind
	Neighbor *config.Neighbor
	ID       Identity
	// Counter is the neighbor's JSON line counter (ExaBGP increments it
	// for every JSON line about the neighbor, across processes).
	Counter uint64

	Change, Reason string // EventState: "connected", "up", "down" + reason
	State          string // EventFSM: IDLE ... ESTABLISHED
	Signal         int    // EventSignal: the signal number

	Direction Direction
	Type      uint8  // message type (Msg*) of EventMessage / EventPackets
	Header    []byte // the 19-byte header
	Body      []byte
	Decoded   any // renderer-defined decoded message (nil when not decoded)
	// Negotiated is the session's negotiated data (renderer-defined,
	// *wire.Negotiated for api/format): the payload of EventNegotiated,
	// and the decoding context of messages (ASN4, add-path).
	Negotiated any
	// ShowNegotiated is set by the Server for messages when the
	// neighbor's api has `negotiated`: ExaBGP then appends the negotiated
	// block to updates and packets.
	ShowNegotiated bool
	// Consolidate asks for header and body hex in a parsed message event
	// (api consolidate + packets).
	Consolidate bool
}

// Renderer turns events into helper lines for one encoder (package
// api/format implements the JSON and text ones). Both methods append to b
// and return it; returning b unchanged means "nothing to write" (the text
// encoder has nothing for fsm, negotiated and signal events). No trailing
// newline: the Server adds one (text events end with their own, so each is
// followed by a blank line, as in ExaBGP).
type Renderer interface {
	AppendEvent(b []byte, ev *Event) []byte
	// AppendShutdown renders the event written to every helper when the
	// daemon stops (JSON `"notification": "shutdown"`, text
	// `shutdown <pid> <ppid>`).
	AppendShutdown(b []byte) []byte
}

// routing is which helpers get which events of one neighbor, flattened
// from its api blocks as ExaBGP's ParseAPI.flatten does: only processes
// named in `processes` get events (`processes-match` only scopes
// commands, as in ExaBGP).
type routing struct {
	changes, negotiated, fsm, signal []string
	msg                              [2][numMsg][]string
	packets                          [2][]string
	parsed, consolidate              [2]bool
	processes                        []string
	match                            []string
}

func newRouting(n *config.Neighbor) *routing {
	r := &routing{}
	for i := range n.APIs {
		a := &n.APIs[i]
		r.processes = append(r.processes, a.Processes...)
		r.match = append(r.match, a.ProcessesMatch...)
		procs := a.Processes
		add := func(dst *[]string, on bool) {
			if on {
				*dst = append(*dst, procs...)
			}
		}
		add(&r.changes, a.NeighborChanges)
		add(&r.negotiated, a.Negotiated)
		add(&r.fsm, a.FSM)
		add(&r.signal, a.Signal)
		for d, f := range [2]*config.MessageFlags{&a.Receive, &a.Send} {
			add(&r.packets[d], f.Packets)
			r.parsed[d] = r.parsed[d] || (f.Parsed && len(procs) > 0)
			r.consolidate[d] = r.consolidate[d] || (f.Consolidate && len(procs) > 0)
			add(&r.msg[d][MsgOpen], f.Open)
			add(&r.msg[d][MsgUpdate], f.Update)
			add(&r.msg[d][MsgNotification], f.Notification)
			add(&r.msg[d][MsgKeepalive], f.Keepalive)
			add(&r.msg[d][MsgRefresh], f.Refresh)
			add(&r.msg[d][MsgOperational], f.Operational)
		}
	}
	return r
}

// SetNeighbors replaces the neighbors events are routed for (after a
// configuration load or reload). Counters of neighbors kept are kept.
func (s *Server) SetNeighbors(ns []*config.Neighbor) {
	keep := make(map[*config.Neighbor]bool, len(ns))
	routes := make(map[*config.Neighbor]*routing, len(ns))
	for _, n := range ns {
		keep[n] = true
		routes[n] = newRouting(n)
	}
	for n := range s.counters {
		if !keep[n] {
			delete(s.counters, n)
		}
	}
	s.routing = routes
}

func (s *Server) routes(n *config.Neighbor) *routing {
	r := s.routing[n]
	if r == nil {
		r = newRouting(n)
		s.routing[n] = r
	}
	return r
}

// Wants reports whether a message of type typ in direction dir of
// neighbor n interests any helper, and whether it must be decoded (the
// peer only decodes when asked).
func (s *Server) Wants(n *config.Neighbor, dir Direction, typ uint8) (want, decode bool) {
	if s.silence || typ == 0 || typ >= numMsg {
		return false, false
	}
	r := s.routes(n)
	d := dir & 1
	if len(r.msg[d][typ]) == 0 {
		return false, false
	}
	packets := len(r.packets[d]) > 0
	decode = r.parsed[d] || r.consolidate[d]
	return decode || packets, decode
}

// Emit writes ev to every helper the neighbor's api options select.
func (s *Server) Emit(ev *Event) {
	if s.silence || ev.Neighbor == nil {
		return
	}
	r := s.routes(ev.Neighbor)
	switch ev.Kind {
	case EventState:
		s.deliver(ev, r.changes)
	case EventFSM:
		s.deliver(ev, r.fsm)
	case EventNegotiated:
		s.deliver(ev, r.negotiated)
	case EventSignal:
		s.deliver(ev, r.signal)
	case EventPackets:
		s.deliver(ev, r.packets[ev.Direction&1])
	case EventMessage:
		s.message(ev, r)
	}
}

// message applies ExaBGP's protocol.py _to_api: consolidate gives one
// parsed event (with header and body when packets is on too); otherwise
// packets and parsed each give their own event.
func (s *Server) message(ev *Event, r *routing) {
	d := ev.Direction & 1
	if ev.Type == 0 || ev.Type >= numMsg || len(r.msg[d][ev.Type]) == 0 {
		return
	}
	ev.ShowNegotiated = len(r.negotiated) > 0
	packets := len(r.packets[d]) > 0
	if r.consolidate[d] {
		ev.Consolidate = packets
		s.deliver(ev, r.msg[d][ev.Type])
		return
	}
	if packets {
		ev.Kind = EventPackets
		s.deliver(ev, r.packets[d])
		ev.Kind = EventMessage
	}
	if r.parsed[d] {
		ev.Consolidate = false
		s.deliver(ev, r.msg[d][ev.Type])
	}
}

// deliver renders ev for each named running helper and queues it.
func (s *Server) deliver(ev *Event, names []string) {
	for _, name := range names {
		p := s.procs[name]
		if p == nil {
			continue
		}
		rd := s.renderer(p)
		if rd.r == nil {
			continue
		}
		if p.json {
			c := s.counters[ev.Neighbor] + 1
			s.counters[ev.Neighbor] = c
			ev.Counter = c
		} else {
			ev.Counter = 0
		}
		s.sendEvent(p, rd.r, ev)
	}
}

// procRenderer is the renderer of one helper.
type procRenderer struct{ r Renderer }

func (s *Server) renderer(p *process) procRenderer {
	if p.json {
		return procRenderer{s.json}
	}
	return procRenderer{s.text}
}

func (r procRenderer) appendShutdown(b []byte, _ *process) []byte {
	if r.r == nil {
		return b
	}
	return r.r.AppendShutdown(b)
}
