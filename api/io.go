package api

import (
	"bytes"

	"golang.org/x/sys/unix"
)

// OnReadable reads what a helper wrote on its stdout, within a budget of
// a few 16 KiB reads, and executes every complete line. What is left in
// the pipe is read at the next readiness report (the reactor's epoll is
// level-triggered), so one chatty helper cannot hold the loop.
func (s *Server) OnReadable(fd int) {
	p := s.byFd[fd]
	if p == nil || p.stdout != fd || streaming(p) {
		return // (a readiness reported before a stream paused the reads)
	}
	if s.rbuf == nil {
		s.rbuf = make([]byte, readSize)
	}
	buf := s.rbuf
	for range readBudget {
		n, err := unix.Read(fd, buf)
		if err == unix.EAGAIN || err == unix.EINTR {
			return
		}
		if err != nil || n == 0 {
			// EOF or a read error: the helper went away (ExaBGP's
			// _handle_problem on POLLHUP or an empty read).
			s.problem(p)
			return
		}
		if !s.consume(p, buf[:n]) || n < len(buf) || p.paused {
			return
		}
	}
}

// drain reads and runs what is left in an exited helper's stdout (at
// most 4 MiB: a grandchild may keep the pipe open and writing).
func (s *Server) drain(p *process) {
	for range 256 {
		if p.gone || p.paused {
			return
		}
		if s.rbuf == nil {
			s.rbuf = make([]byte, readSize)
		}
		n, err := unix.Read(p.stdout, s.rbuf)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n <= 0 {
			return
		}
		if !s.consume(p, s.rbuf[:n]) {
			return
		}
	}
}

// consume splits what was read into lines and runs them. It returns false
// when the helper was stopped meanwhile.
func (s *Server) consume(p *process, b []byte) bool {
	for {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			break
		}
		var line []byte
		if len(p.rbuf) > 0 {
			p.rbuf = append(p.rbuf, b[:i]...)
			line = p.rbuf
		} else {
			line = b[:i]
		}
		b = b[i+1:]
		s.lineFrom(p, line)
		p.rbuf = p.rbuf[:0]
		if p.gone {
			return false
		}
		if streaming(p) {
			// the rest waits behind the answer being streamed (stream.go)
			p.rbuf = append(p.rbuf, b...)
			return true
		}
	}
	if len(b) > 0 {
		p.rbuf = append(p.rbuf, b...)
	}
	if len(p.rbuf) > maxLine {
		s.log.Error().Str("process", p.name).Int("size", len(p.rbuf)).
			Msgf("oversized command from process %s : %d bytes", p.name, len(p.rbuf))
		s.problem(p)
		return false
	}
	return true
}

// lineFrom handles one line (without its newline) from a helper.
func (s *Server) lineFrom(p *process, line []byte) {
	line = bytes.TrimRight(line, " \t\r\v\f")
	for _, c := range line {
		if c >= 0x80 {
			// ExaBGP decodes as ASCII and kills the helper on a non-ASCII
			// byte (a quirk); ExaGo rejects the line only.
			s.log.Error().Str("process", p.name).Msg("command from process is not ASCII, ignored")
			s.answerError(p)
			return
		}
	}
	if bytes.HasPrefix(line, []byte("debug ")) {
		s.log.Warn().Str("process", p.name).Msgf("debug info from %s : %s ", p.name, line[6:])
		return
	}
	s.line = normalise(s.line[:0], line)
	if e := s.log.Debug(); e.Enabled() {
		e.Str("process", p.name).Msgf("command from process %s : %s ", p.name, s.line)
	}
	s.run(p, string(s.line))
}

// OnWritable writes queued output to a helper's stdin.
func (s *Server) OnWritable(fd int) {
	p := s.byFd[fd]
	if p == nil || p.stdin != fd {
		return
	}
	s.flush(p)
}

// send queues line and a newline for p. A helper whose queue would pass
// the output limit is treated as dead (see the package doc).
func (s *Server) send(p *process, line []byte) {
	if p.gone || !s.admit(p, len(line)) {
		return
	}
	p.wbuf = append(p.wbuf, line...)
	s.queued(p)
}

// admit checks that a line of n bytes fits p's queue (restarting a
// helper that does not read its input) and makes room for it.
func (s *Server) admit(p *process, n int) bool {
	if len(p.wbuf)-p.woff+n+1 > s.outLimit {
		s.log.Error().Str("process", p.name).Int("queued", len(p.wbuf)-p.woff).
			Msgf("process %s is not reading its input, restarting it", p.name)
		s.problem(p)
		return false
	}
	p.compact(n + 1)
	return true
}

// compact reuses the written head of the queue instead of growing it when
// n more bytes would not fit: a copy of at most half the buffer, no new
// allocation.
func (p *process) compact(n int) {
	if p.woff > 0 && (p.woff == len(p.wbuf) ||
		len(p.wbuf)+n > cap(p.wbuf) && p.woff >= len(p.wbuf)/2) {
		k := copy(p.wbuf, p.wbuf[p.woff:])
		p.wbuf, p.woff = p.wbuf[:k], 0
	}
}

// sendEvent renders ev with r straight into p's queue (no copy of the
// line), as send would queue it.
func (s *Server) sendEvent(p *process, r Renderer, ev *Event) {
	if p.gone {
		return
	}
	p.compact(1024) // room for a typical event line, as send's admit makes for a line
	mark := len(p.wbuf)
	p.wbuf = r.AppendEvent(p.wbuf, ev)
	n := len(p.wbuf) - mark
	if n == 0 {
		return
	}
	if mark-p.woff+n+1 > s.outLimit {
		p.wbuf = p.wbuf[:mark]
		s.admit(p, n) // reports and restarts the helper
		return
	}
	s.queued(p)
}

// queued ends the line just appended to p's queue and arms the writer.
func (s *Server) queued(p *process) {
	p.wbuf = append(p.wbuf, '\n')
	if !p.paused && len(p.wbuf)-p.woff > s.outLimit/2 {
		// Back-pressure: a helper that does not read its answers stops
		// being read, so it blocks on its own writes (ExaBGP blocks the
		// whole daemon there). Events still queue, up to the limit.
		p.paused = true
		s.loop.Interest(p.stdout, false, false)
		s.log.Warn().Str("process", p.name).Int("queued", len(p.wbuf)-p.woff).
			Msgf("process %s is slow to read its input, pausing its commands", p.name)
	}
	if !p.write {
		p.write = true
		s.loop.Interest(p.stdin, false, true)
	}
}

// sendString is send for a string.
func (s *Server) sendString(p *process, line string) {
	s.out = append(s.out[:0], line...)
	s.send(p, s.out)
}

// flush writes as much queued output as the pipe takes without blocking
// and drops write interest once the queue is empty.
func (s *Server) flush(p *process) {
	for p.woff < len(p.wbuf) && !p.gone {
		n, err := unix.Write(p.stdin, p.wbuf[p.woff:])
		if err == unix.EINTR {
			continue
		}
		if err == unix.EAGAIN {
			// Peers held for this queue resume once it is under
			// backlogLow, not only once it is empty, so the helper
			// keeps reading while they refill it.
			s.release()
			s.pumpAfterFlush(p)
			return
		}
		if err != nil {
			// EPIPE and friends: the helper is gone. ExaBGP raises
			// ProcessError (resetting a peer or exiting); ExaGo handles it
			// as a dead helper, respawned when allowed.
			s.log.Error().Str("process", p.name).Err(err).Msg("issue while sending data to our helper program")
			s.problem(p)
			return
		}
		p.woff += n
		p.written += int64(n)
		p.stalled = false
		if p.paused && len(p.wbuf)-p.woff < s.outLimit/4 && !streaming(p) {
			p.paused = false
			s.loop.Interest(p.stdout, true, false)
		}
	}
	if p.gone {
		return
	}
	p.wbuf, p.woff = p.wbuf[:0], 0
	if cap(p.wbuf) > max(1<<20, 2*s.backlogHigh()) {
		// Give a burst's memory back; a queue the back-pressure bounds
		// keeps its buffer, so steady traffic does not regrow it.
		p.wbuf = nil
	}
	if p.write {
		p.write = false
		s.loop.Interest(p.stdin, false, false)
	}
	s.release()
	s.pumpAfterFlush(p)
}

// Flush writes every helper's queued output now (optional: the reactor
// may call it at the end of a loop turn to save a poll round trip).
func (s *Server) Flush() {
	for _, p := range s.procs {
		if p.woff < len(p.wbuf) {
			s.flush(p)
		}
	}
}

// answerDone writes `done` when acks are on for p (or force).
func (s *Server) answerDone(p *process, force bool) {
	if force || p.ack {
		s.sendString(p, "done")
	}
}

// answerError writes `error` when acks are on for p.
func (s *Server) answerError(p *process) {
	if p.ack {
		s.sendString(p, "error")
	}
}
