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

	want    map[int][2]bool // read/write interest the Server asked for, per pipe
	delayed map[int]bool    // pipes whose read is deferred to a wheel deadline
}

// helperReadDelay batches a helper's commands as ExaBGP's loop does: it
// reads helpers once per scheduler turn, so lines a helper writes back to
// back ("announce route X" then "clear adj-rib out") are applied together
// before any UPDATE is built (ExaBGP's api-rib and api-rr-rib tests depend
// on it). A command sent after waiting for the previous ack stays apart.
// The wait is a wheel deadline, never a sleep.
const helperReadDelay = 2 * time.Millisecond

// delayH is the FDHandler for helper pipes: writability goes straight to
// the Server; readability drops read interest and re-arms it, then reads,
// helperReadDelay later.
type delayH struct{ l *ReactorLoop }

func (h delayH) OnWritable(fd int) { h.l.S.OnWritable(fd) }
func (h delayH) OnReadable(fd int) {
	l := h.l
	if l.delayed[fd] {
		return
	}
	l.delayed[fd] = true
	w := l.want[fd]
	l.R.Watch(fd, false, w[1], h)
	l.R.At(l.R.Now().Add(helperReadDelay), func() {
		delete(l.delayed, fd)
		w, ok := l.want[fd]
		if !ok {
			return
		}
		l.R.Watch(fd, w[0], w[1], h)
		if w[0] {
			l.S.OnReadable(fd)
		}
	})
}

var _ reactor.FDHandler = (*Server)(nil)

// Now is the reactor clock.
func (l *ReactorLoop) Now() time.Time { return l.R.Now() }

// Interest registers, changes or removes a helper pipe in the poller.
func (l *ReactorLoop) Interest(fd int, read, write bool) {
	if l.want == nil {
		l.want = map[int][2]bool{}
		l.delayed = map[int]bool{}
	}
	l.want[fd] = [2]bool{read, write}
	if !read && !write {
		delete(l.want, fd)
	}
	if l.delayed[fd] {
		read = false
	}
	if err := l.R.Watch(fd, read, write, delayH{l}); err != nil && l.S != nil {
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
