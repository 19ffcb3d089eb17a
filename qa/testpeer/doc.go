// Package testpeer is ExaGo's BGP test peer: a Go re-implementation of
// ExaBGP 5.0's qa/sbin/bgp, the sequence checker behind ExaBGP's
// "encoding" functional tests (EXABGP-SURFACE.md §6).
//
// A test is a .msg script (see [ParseScript]) listing the messages the
// daemon under test must send, grouped into ordered sets. The peer listens,
// the daemon connects to it, and the peer:
//
//   - answers the daemon's OPEN with the same OPEN (router-id + 1, or the
//     ASN patched by option:asn) and a KEEPALIVE;
//   - answers every later message with a KEEPALIVE and ignores KEEPALIVEs;
//   - matches every other message against the current set (any order within
//     a set; a set must be exhausted before the next one is used);
//   - runs signal: and notification: rules once the messages before them
//     were seen, replays every UPDATE seen so far on a ROUTE-REFRESH;
//   - accepts End-of-RIB markers once every rule is met, and passes when the
//     last rule is met.
//
// The split is: [Script] (parsed .msg file), [Checker] (the pure sequence
// logic, no I/O) and [Serve] (the network side). Deliberate deviations from
// qa/sbin/bgp are listed in peer.go; everything else follows it, including
// its quirks (option:asn does not change the router-id, notification text is
// lower-cased, success is only declared after a message or a reset).
package testpeer
