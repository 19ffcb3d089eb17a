package api

import (
	"time"

	"exago/reactor"
)

// ReactorLoop adapts *reactor.Reactor to [Loop]. Set S to the Server
// once it is built (the Server is the reactor's FDHandler for the helper
// pipes):
//
//	loop := &api.ReactorLoop{R: r}
//	srv := api.New(api.Options{Loop: loop, ...})
//	loop.S = srv
type ReactorLoop struct {
	R *reactor.Reactor
	S *Server
	// OnFatal handles a fatal helper problem (respawn limit); nil stops
	// the reactor with the code.
	OnFatal func(code int, reason string)
	// OnBroken handles a helper that could not be started (api.terminate
	// false: ExaBGP stops the peers); nil ignores it.
	OnBroken func(process string)
}

var _ reactor.FDHandler = (*Server)(nil)

// Now is the reactor clock.
func (l *ReactorLoop) Now() time.Time { return l.R.Now() }

// Interest registers, changes or removes a helper pipe in the poller.
func (l *ReactorLoop) Interest(fd int, read, write bool) {
	if err := l.R.Watch(fd, read, write, l.S); err != nil && l.S != nil {
		l.S.log.Error().Int("fd", fd).Err(err).Msg("could not watch helper pipe")
	}
}

// At is a timer-wheel deadline.
func (l *ReactorLoop) At(t time.Time, fn func()) { l.R.At(t, fn) }

// Post runs fn on the loop goroutine.
func (l *ReactorLoop) Post(fn func()) { l.R.Post(func(*reactor.Reactor) { fn() }) }

// Fatal stops the daemon.
func (l *ReactorLoop) Fatal(code int, reason string) {
	if l.OnFatal != nil {
		l.OnFatal(code, reason)
		return
	}
	l.R.Stop(code)
}

// Broken reports a helper that could not be started.
func (l *ReactorLoop) Broken(process string) {
	if l.OnBroken != nil {
		l.OnBroken(process)
	}
}
