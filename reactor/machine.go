package reactor

import (
	"net/netip"
	"time"

	"exago/config"
	"exago/peer"
)

// Machine is what a driver steps: the methods of [*peer.Peer] that the
// driver calls (peer/peer.go). Each returns at once and never blocks. Tests
// may put a small fake behind it.
type Machine interface {
	Start(now time.Time)
	OnConnected(now time.Time, local, remote netip.AddrPort)
	OnConnectFailed(now time.Time, err error)
	OnIncoming(now time.Time, local, remote netip.AddrPort) (accept bool, notify []byte)
	OnRead(now time.Time, b []byte) (consumed int)
	Pull(now time.Time, b []byte) (out []byte, more bool)
	OnTimer(now time.Time, k peer.Timer)
	OnClosed(now time.Time, err error)
	Shutdown(now time.Time)
}

var _ Machine = (*peer.Peer)(nil)

// Factory builds the Machine of a neighbor, stepped through d. The driver
// passed is bound to that one neighbor: it ignores the *peer.Peer argument
// of its methods, so a Machine that is not a *peer.Peer may pass nil.
type Factory func(n *config.Neighbor, d peer.Driver) Machine

// Stopper is implemented by Machines that can stop for good on their own
// (tcp.attempts used up). The driver asks after each transport close; a
// stopped machine is dropped, and with Settings.Attempts > 0 the driver
// returns once no machine is left (ExaBGP "exiting on peer termination").
type Stopper interface {
	Stopped() bool
}

// Reconfigurer is implemented by Machines that take a reloaded neighbor
// whose session settings are unchanged (only routes may differ): the
// machine sends the difference (ExaBGP Peer.reconfigure).
type Reconfigurer interface {
	Reconfigure(now time.Time, n *config.Neighbor)
}

// Stater is implemented by Machines that report their FSM state (as
// *peer.Peer does). When a read makes the session ESTABLISHED, the driver
// holds the session's writes until the peer's next message is read or one
// wheel tick (Settings.Tick) passed, reading meanwhile: ExaBGP reads the
// peer's next message before it sends its first UPDATE or End-of-RIB, and
// a message the peer sent right behind its KEEPALIVE (ExaBGP's qa
// `unknown-message` test) may come in a later TCP segment.
type Stater interface {
	State() peer.State
}

// becameEstablished reports whether m, ESTABLISHED now, was not before
// (was from isEstablished before the Machine call).
func becameEstablished(m Machine, was bool) bool {
	return !was && isEstablished(m)
}

func isEstablished(m Machine) bool {
	st, ok := m.(Stater)
	return ok && st.State() == peer.StateEstablished
}
