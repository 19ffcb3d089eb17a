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
// Update groups (base*.go): neighbors with the same configured routes and
// settings (families, adj-rib-out) share one immutable [Base], the Out
// those routes build when announced in order, handed out by a [Bases]
// registry the driver owns. A peer's Out made with [NewOutBase] starts as
// the base: its cache is the base's plus a per-peer overlay with Python
// dict semantics (a replaced key keeps its place, a deleted key is hidden,
// a key deleted then added goes last), and its pending set IS the base's
// until the peer changes it: the first change copies the pending part for
// that peer only (copy-on-write), so UPDATE order stays ExaBGP's. Restart
// of an untouched Out queues the base's shared restart set. A batch taken
// from an untouched base ([Batch.Shared]) is encoded once per encoding
// context (everything the [Encoder] reads of wire.Negotiated) and walked by
// each peer with its own cursor ([Batch.NextMessage]). A peer that changed
// nothing costs O(1) memory whatever the number of routes.
//
// Family order: where ExaBGP walks a Python set of (AFI, SAFI) pairs
// (re-sending on a new session, route refresh and `flush adj-rib out`,
// `clear adj-rib out`, the BoRR/EoRR markers), the walk follows CPython's
// set table order, reproduced in pyset.go and checked against python3
// (testdata/pyset.txt, written by testdata/pyset_gen.py).
//
// Adj-RIB-In (in*.go): IPv4/IPv6 unicast and multicast routes are kept as
// fixed-size, pointer-free map entries keyed by the prefix, attribute sets
// interned once per UPDATE in a compact form and decoded only for `show
// adj-rib in`; other families keep [Route] values.
//
// Nothing here is safe for concurrent use: the reactor goroutine owns it.
package rib
