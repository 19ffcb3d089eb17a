// Package peer is the RFC 4271 finite state machine of one BGP session as an
// explicit state struct stepped by events (connect done/failed, bytes read,
// writable, timer fired, command). It never blocks and owns no goroutine:
// a Driver (the reactor, or a sync-mode goroutine) steps it.
package peer

// Peer is one configured neighbor's session state.
type Peer struct{}
