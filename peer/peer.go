// Package peer is the RFC 4271 finite state machine of one BGP session as an
// explicit state struct stepped by events (connect done/failed, bytes read,
// writable, timer fired, command). It never blocks and owns no goroutine:
// a Driver (the reactor, or a sync-mode goroutine) steps it, always from one
// goroutine at a time.
package peer

import (
	"net/netip"
	"time"
)

// Peer is one configured neighbor's session state.
//
// The methods below are the contract with the driver (reactor/ and the
// sync mode). Each returns quickly and never blocks.
type Peer struct{}

// Start begins the FSM (ManualStart / AutomaticStart, RFC 4271 §8.1.2):
// an active peer asks the driver to Connect, a passive one waits.
func (p *Peer) Start(now time.Time) {}

// OnConnected reports that the outgoing connection completed.
func (p *Peer) OnConnected(now time.Time, local, remote netip.AddrPort) {}

// OnConnectFailed reports that the outgoing connection failed or timed out.
func (p *Peer) OnConnectFailed(now time.Time, err error) {}

// OnIncoming offers an accepted connection from this peer's address. It
// returns true when the peer takes it (RFC 4271 §6.8 collision handling as
// ExaBGP does it): the driver then closes any outgoing connection and binds
// the new socket to the peer. When false, the driver writes notify (a
// complete NOTIFICATION message, may be nil) and closes the new socket.
func (p *Peer) OnIncoming(now time.Time, local, remote netip.AddrPort) (accept bool, notify []byte) {
	return false, nil
}

// OnRead hands the peer the bytes received so far; it consumes every
// complete message (up to its budget) and returns how many bytes it used.
// The driver keeps the rest and calls again when more arrive.
func (p *Peer) OnRead(now time.Time, b []byte) (consumed int) { return 0 }

// Pull appends the next messages to send to b, within a budget, and reports
// whether more are pending (the driver calls again when writable).
func (p *Peer) Pull(now time.Time, b []byte) (out []byte, more bool) { return b, false }

// OnTimer reports that timer k fired.
func (p *Peer) OnTimer(now time.Time, k Timer) {}

// OnClosed reports that the transport closed (EOF, reset, write error).
func (p *Peer) OnClosed(now time.Time, err error) {}

// Shutdown stops the peer for good (SIGTERM): Cease 6/3 unless graceful
// restart was negotiated, then Close.
func (p *Peer) Shutdown(now time.Time) {}
