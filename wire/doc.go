// Package wire is ExaGo's pure BGP-4 codec: it turns []byte into values and
// values into []byte, and does nothing else (no I/O, no logging, no fmt, no
// goroutines, no global mutable state; TestNoFmt enforces the imports).
//
// Encoders are append-style: they append to the caller's buffer and do not
// allocate when it has room. Decoders are zero-copy views over the input:
// every value returned aliases the input slice and is valid until the caller
// reuses that buffer (bytes.Clone to retain). Every decoder returns a
// *NotifyError (RFC 4271 §6, RFC 7606) on malformed input.
//
// Nothing here is safe for concurrent mutation; the reactor goroutine owns
// every buffer it passes in.
package wire
