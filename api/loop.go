package api

import "time"

// Loop is what the API needs from the reactor's event loop. Every method
// except Post is called on the reactor goroutine.
type Loop interface {
	// Now is the injected clock.
	Now() time.Time
	// Interest sets the readiness the reactor reports for fd: readable
	// calls [Server.OnReadable], writable calls [Server.OnWritable]. Both
	// false removes fd from the poller (called before the fd is closed).
	Interest(fd int, read, write bool)
	// At runs fn on the reactor goroutine at t (a timer-wheel deadline).
	At(t time.Time, fn func())
	// Post runs fn on the reactor goroutine as soon as possible. It is the
	// only method safe to call from another goroutine.
	Post(fn func())
	// Fatal stops the daemon with the exit code (ExaBGP's Reactor.Exit).
	// The API itself no longer calls it: the respawn limit requests an
	// ordinary shutdown through the Daemon, as ExaBGP does.
	Fatal(code int, reason string)
	// Broken reports a helper that could not be started or written to:
	// with api.terminate false ExaBGP stops the peers (every peer, as
	// processes.broken() ignores its argument); the API itself requests a
	// shutdown when api.terminate is true.
	Broken(process string)
}
