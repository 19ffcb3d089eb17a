// Package rib holds a peer's routes: the Adj-RIB-Out (what we announce,
// with ExaBGP 5.0's pending-change semantics, rib/outgoing.py and
// rib/cache.py) and the Adj-RIB-In (what the peer announced, kept when
// adj-rib-in is on).
//
// Data flow (Adj-RIB-Out): configuration and API routes enter as
// [Change] values through [Out.Announce] and [Out.Withdraw]. Each change is
// recorded twice: in the cache (the table of what the peer should have,
// used for duplicate suppression, re-sending on reconnect and route
// refresh) and in the pending set, grouped by attribute set (in first-use
// order), then by family, then by NLRI. [Out.Take] snapshots and empties
// the pending set as a [Batch]; the peer's transmit path turns a batch into
// UPDATE messages lazily ([Batch.Append]) with the session's
// wire.Negotiated, so a slow peer holds route state, never encoded bytes.
// [Out.Seal] (`flush adj-rib out`) closes the pending changes so far, so
// that they go out before the re-sent routes: commands applied together
// keep their order.
//
// Update groups: attribute sets are interned in an [AttrTable], which is
// independent of any session, so peers with the same outbound routes and
// policy share one table ([NewOutShared]); everything per peer (pending
// set, cache) is in [Out]. The path to full sharing: a group owns one Out
// (the routes every member gets) and the batches Take returns; a batch is
// immutable once taken, so members walk it with their own cursor and an
// [Encoder] per distinct wire.Negotiated (members negotiating the same
// ASN4/add-path/size share encoded bytes); a small per-peer Out on top
// carries what only that peer gets (API routes for one neighbor), and a
// member that reconnects walks the group cache (Restart) on its own.
//
// Nothing here is safe for concurrent use: the reactor goroutine owns it.
package rib
