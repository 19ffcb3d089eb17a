package peer

// Direction says whether a message was sent or received, as the API's
// "direction" field prints it.
type Direction uint8

const (
	DirReceive Direction = iota
	DirSend
)

// String returns "receive" or "send".
func (d Direction) String() string {
	if d == DirSend {
		return "send"
	}
	return "receive"
}

// Neighbor-change kinds passed to [Events.State] (ExaBGP's "state" event).
const (
	ChangeConnected = "connected"
	ChangeUp        = "up"
	ChangeDown      = "down"
)

// Events receives what a Peer reports for the helper-process API (package
// api consumes it). Every method is called on the driver's goroutine and
// must return at once without keeping slices: header and body alias the
// peer's read or write buffer and are only valid during the call
// (bytes.Clone to retain). The common case (no consumer interested) costs a
// method call and no allocation: a Peer only decodes a message for
// Message when [Events.Wants] says so.
type Events interface {
	// State reports a neighbor change: ChangeConnected (TCP up),
	// ChangeUp (first KEEPALIVE received) or ChangeDown with ExaBGP's reason
	// ("notification sent (6,3)", "notification received (4,0)",
	// "closing connection", "stop, message [shutting down]", ...).
	State(p *Peer, change, reason string)
	// FSM reports every state change (ExaBGP's "fsm" event), including
	// repeated states as ExaBGP emits them.
	FSM(p *Peer, from, to State)
	// Negotiated reports what both OPENs agreed, once per session, when the
	// peer's OPEN passed the checks.
	Negotiated(p *Peer, n *Negotiated)
	// Wants reports whether Message should be called for messages of type
	// typ in direction dir; decode asks for a decoded form as well (when
	// false, decoded is nil).
	Wants(p *Peer, dir Direction, typ uint8) (want, decode bool)
	// Message reports one message sent or received: its 19-byte header, its
	// body and, when asked for, its decoded form (*ReceivedUpdate for a
	// received UPDATE, wire.Notification, wire.RouteRefresh, *ReceivedOpen).
	Message(p *Peer, dir Direction, typ uint8, header, body []byte, decoded any)
}

// Backlog is implemented by an Events whose consumer can fall behind (the
// API's per-process output queues). While Backlogged reports true, a Peer
// stops consuming received messages and asks the driver to stop reading
// (Driver.PauseRead), so TCP pushes back on the peer; the consumer calls
// [Peer.Resume] once drained. Timers keep running meanwhile.
type Backlog interface {
	Backlogged(p *Peer) bool
}

// NopEvents is the Events that ignores everything.
type NopEvents struct{}

func (NopEvents) State(*Peer, string, string)                          {}
func (NopEvents) FSM(*Peer, State, State)                              {}
func (NopEvents) Negotiated(*Peer, *Negotiated)                        {}
func (NopEvents) Wants(*Peer, Direction, uint8) (bool, bool)           { return false, false }
func (NopEvents) Message(*Peer, Direction, uint8, []byte, []byte, any) {}
