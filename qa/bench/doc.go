// Package bench is ExaGo's benchmark harness: a load generator that plays
// N BGP peers, each from its own loopback address (127.x.y.z), against a
// device under test (ExaGo in reactor or sync mode, ExaBGP, GoBGP, BIRD),
// and the scenarios and report built on it (GitHub issue 7).
//
// The load generator is a client of the wire package. It runs one
// goroutine per emulated session: it is a measuring instrument, not the
// system under test, and its CPU time is reported apart from the DUT's.
// Like a real peer it connects again when a connection fails before the
// session is established (RFC 4271 §8.2.2's ConnectRetry, shortened), and
// it counts, per peer, which of the announced routes it holds, so that
// repeats, implicit replaces and withdrawals cannot make a count lie.
//
// Scenarios: sessions (establish N sessions and hold them idle), inject
// (the DUT announces R routes from its configuration to N peers),
// inject-api (the same routes written by a helper process as API
// commands), receive (one peer sends R routes, the DUT hands them to a
// helper as JSON), api (a helper's commands for one peer). Each run is one
// Record; the report puts ExaGo beside the other DUTs and marks the
// issue's targets met or NOT MET next to the figures.
package bench
