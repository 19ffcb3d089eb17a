package api

import (
	"iter"
	"time"
)

// This file streams the answer of `show adj-rib in|out` to the helper
// that asked, as ExaBGP's command/rib.py does (a generator writing
// api.chunk routes per scheduler turn, then `done`).
//
// The answer is pulled line by line from [Daemon.ShowAdjRIB] through a
// coroutine (iter.Pull): the daemon's walk of the RIB runs only while the
// reactor goroutine waits for its next line, so it never runs
// concurrently with the reactor and needs no change to the Daemon
// interface. A [stream] writes at most streamBudget lines per reactor
// turn and only while the helper's queue is under streamHigh; it resumes
// on the next turn (Loop.Post) or when the pipe drained (flush, from
// OnWritable). The helper's other commands wait behind the answer: its
// stdout is not read meanwhile (p.paused) and the lines already read are
// kept in p.rbuf, run once the answer ended with its `done`. Memory stays
// bounded by streamHigh plus one line, whatever the table size.
//
// Routes that change while the answer is being written may or may not
// be shown (ExaBGP snapshots each peer's RIB before writing it).

const (
	streamBudget = 1024        // lines written per reactor turn
	streamHigh   = 256 << 10   // queued bytes above which a stream waits for the pipe
	streamCheck  = time.Second // between checks for a helper stopped mid-answer
)

// stream is an answer being written to one helper.
type stream struct {
	p       *process
	next    func() (string, bool)
	stop    func()
	paused  bool // the stream stopped reading the helper's commands
	posted  bool // a pump is posted for the next turn
	watched bool // the stopped-helper check is armed
}

func streamOf(p *process) *stream { return p.stream }

func setStream(p *process, st *stream) { p.stream = st }

// streaming reports whether p's commands wait behind an answer. A stream
// in progress always has p.paused set, so the common case costs nothing.
func streaming(p *process) bool { return p.paused && streamOf(p) != nil }

// streamAbort unwinds the daemon's walk when the stream is stopped early.
type streamAbort struct{}

// streamAdjRIB starts writing the answer to req for p, then `done`. A
// small answer is written at once; a larger one goes on in later turns.
func (s *Server) streamAdjRIB(p *process, req ShowAdjRIB) {
	if old := streamOf(p); old != nil {
		// cannot happen (commands wait behind a stream); be safe anyway
		s.endStream(old, false)
	}
	seq := func(yield func(string) bool) {
		defer func() {
			if r := recover(); r != nil && r != any(streamAbort{}) {
				panic(r)
			}
		}()
		s.daemon.ShowAdjRIB(req, func(l string) {
			if !yield(l) {
				panic(streamAbort{})
			}
		})
	}
	next, stop := iter.Pull(seq)
	st := &stream{p: p, next: next, stop: stop}
	setStream(p, st)
	if !s.pump(st) {
		return
	}
	// More to write: stop reading the helper's commands until `done`.
	st.paused = true
	if !p.paused {
		p.paused = true
		s.loop.Interest(p.stdout, false, false)
	}
	s.watch(st)
}

// streamHigh is the queue size a stream fills up to.
func (s *Server) streamHigh() int { return min(streamHigh, s.outLimit/4) }

// pump writes up to streamBudget lines while p's queue has room. It
// returns true while the stream goes on.
func (s *Server) pump(st *stream) bool {
	p := st.p
	if streamOf(p) != st {
		return false
	}
	high := s.streamHigh()
	for range streamBudget {
		if p.gone {
			s.endStream(st, false)
			return false
		}
		if len(p.wbuf)-p.woff >= high {
			return true // flush pumps again once the pipe took some
		}
		l, ok := st.next()
		if !ok {
			s.endStream(st, true)
			return false
		}
		s.sendString(p, l)
	}
	if p.gone {
		s.endStream(st, false)
		return false
	}
	if !st.posted {
		st.posted = true
		s.loop.Post(func() {
			st.posted = false
			s.pump(st)
		})
	}
	return true
}

// pumpAfterFlush goes on with p's answer once its queue drained to half
// the stream's high mark.
func (s *Server) pumpAfterFlush(p *process) {
	if !p.paused || p.gone {
		return
	}
	st := streamOf(p)
	if st == nil || st.posted || len(p.wbuf)-p.woff > s.streamHigh()/2 {
		return
	}
	s.pump(st)
}

// watch ends the stream of a helper stopped while its answer waited for
// the pipe (stop drops the pipe's interest, so nothing else would).
func (s *Server) watch(st *stream) {
	if st.watched {
		return
	}
	st.watched = true
	s.loop.At(s.loop.Now().Add(streamCheck), func() {
		st.watched = false
		if streamOf(st.p) != st {
			return
		}
		if st.p.gone {
			s.endStream(st, false)
			return
		}
		s.watch(st)
	})
}

// endStream forgets the stream; with done it writes the ack and runs the
// helper's commands that waited behind the answer.
func (s *Server) endStream(st *stream, done bool) {
	p := st.p
	if streamOf(p) == st {
		setStream(p, nil)
	}
	st.stop() // unwinds the daemon's walk when it did not finish
	if p.gone {
		return
	}
	if done {
		s.answerDone(p, false)
	}
	if !st.paused || p.gone {
		return
	}
	if p.paused && len(p.wbuf)-p.woff < s.outLimit/4 {
		p.paused = false
		s.loop.Interest(p.stdout, true, false)
	} // else back-pressure: flush resumes reading once the queue drained
	if pending := p.rbuf; len(pending) > 0 {
		p.rbuf = nil
		s.consume(p, pending)
	}
}
