package peer

import (
	"net/netip"
	"time"
)

// Timer names the deadlines a Peer keeps. Each is one slot in the driver's
// timer wheel; setting a timer replaces its previous deadline.
type Timer uint8

const (
	TimerConnectRetry Timer = iota // RFC 4271 §8.2.1 ConnectRetryTimer / ExaBGP's back-off between sessions
	TimerHold                      // RFC 4271 HoldTimer (also ExaBGP's bgp.openwait while in OpenSent)
	TimerKeepalive                 // RFC 4271 KeepaliveTimer
	TimerSendHold                  // RFC 9687 SendHoldTimer
	TimerConnect                   // deadline for a non-blocking connect to complete
	TimerRate                      // rate-limit / deferred work (transmit pacing)
	NumTimers
)

// Driver is what a Peer asks of whoever drives it: the reactor (one
// goroutine, epoll readiness, timer wheel) or the sync-mode goroutine
// (blocking sockets). A Peer never blocks, sleeps or starts goroutines; it
// only calls these methods, each of which returns at once. Completion of
// what they start comes back as calls to the Peer's On* methods on the
// driver's goroutine.
type Driver interface {
	// Connect starts a connection to remote (from local when valid). Its
	// completion arrives as OnConnected or OnConnectFailed.
	Connect(p *Peer, local netip.Addr, remote netip.AddrPort)
	// Close closes the peer's transport (after what Pull returned so far has
	// been written, as far as the socket accepts it without blocking). A
	// Peer may call it from inside Pull (after appending a NOTIFICATION):
	// the bytes that Pull returns are then written before the close. The
	// Peer has already reset its session when Close returns, so a later
	// OnClosed for that transport is ignored.
	Close(p *Peer)
	// WantWrite tells the driver the peer has messages to send: it calls
	// p.Pull when the socket is writable.
	WantWrite(p *Peer)
	// SetTimer arms timer k to fire at the given time (OnTimer(k)).
	SetTimer(p *Peer, k Timer, at time.Time)
	// StopTimer disarms timer k.
	StopTimer(p *Peer, k Timer)
	// PauseRead stops (true) or resumes (false) reading from the peer's
	// socket, so TCP pushes back while downstream is full. On resume the
	// driver calls OnRead again with the bytes it still holds (a paused
	// Peer may leave complete messages unconsumed).
	PauseRead(p *Peer, paused bool)
}
