// Package bench is ExaGo's benchmark harness: a load generator that plays
// N BGP peers, each from its own loopback address (127.x.y.z), against a
// device under test (ExaGo in reactor or sync mode, ExaBGP, GoBGP, BIRD),
// and the scenarios and report built on it (GitHub issue 7).
//
// The load generator is a client of the wire package. It runs one
// goroutine per emulated session: it is a measuring instrument, not the
// system under test, and its CPU time is reported apart from the DUT's.
package bench
