package reactor

import (
	"errors"
	"io"
	"net/netip"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/sys/unix"

	"exago/config"
	"exago/peer"
)

// timerConnect is the driver's own connect deadline, after the peer's;
// timerSettle ends the hold of writes after ESTABLISHED (see [Stater]).
const (
	timerConnect = int(peer.NumTimers)
	timerSettle  = int(peer.NumTimers) + 1
)

// session is one neighbor's transport and timers, and its peer.Driver:
// the Machine calls these methods on the loop goroutine only. The
// *peer.Peer argument is ignored — the driver is bound to its session.
type session struct {
	r *Reactor
	n *config.Neighbor
	m Machine

	fd         int
	connecting bool
	events     uint32 // epoll interest
	paused     bool   // PauseRead
	wantWrite  bool   // Pull has more
	queued     bool   // in r.work
	rxMore     bool   // rx holds unconsumed complete data for OnRead
	settling   bool   // writes held after ESTABLISHED (timerSettle)
	rx         []byte // bytes not consumed yet, in a buffer lent by r.rxPool or r.remPool (nil when none)
	tx         []byte // lent by r.txPool while it holds bytes (nil when idle)
	txOff      int

	timers   [peer.NumTimers + 2]Timer
	attempts int
	dynamic  bool
	retired  bool
	stopping bool
	closing  bool // Close requested, done after the current call
	detached bool // out of epoll after a hang-up while paused
}

func (r *Reactor) newSession(n *config.Neighbor) *session {
	s := &session{r: r, n: n, fd: -1}
	for i := range s.timers {
		s.timers[i].Owner, s.timers[i].Kind = s, i
	}
	s.m = r.factory(n, s)
	return s
}

func (r *Reactor) startSession(now time.Time, n *config.Neighbor) {
	if n.PeerAddress.Bits() < n.PeerAddress.Addr().BitLen() {
		// A passive range: peers are created per incoming connection.
		r.ranges = append(r.ranges, n)
		return
	}
	s := r.newSession(n)
	r.sessions[n.Name] = s
	r.byAddr.add(n.PeerAddress, s)
	s.m.Start(now)
}

// Connect implements peer.Driver.
func (s *session) Connect(_ *peer.Peer, local netip.Addr, remote netip.AddrPort) {
	if s.retired || s.r.stopping {
		return
	}
	if s.fd >= 0 {
		s.closeFD()
	}
	if !local.IsValid() && !s.n.LocalAuto {
		local = s.n.LocalAddress
	}
	if remote.Port() == 0 {
		remote = netip.AddrPortFrom(remote.Addr(), 179)
	}
	s.attempts++
	fd, done, err := dial(remote, s.socketOptions(local))
	now := s.r.clock.Now()
	if err != nil {
		s.debug().Err(err).Msg("connect failed")
		s.later(func(now time.Time) { s.m.OnConnectFailed(now, err); s.afterClose(now) })
		return
	}
	s.fd, s.connecting = fd, !done
	if err := s.r.register(fd, endpoint{sess: s}, unix.EPOLLOUT); err != nil {
		s.closeFD()
		s.later(func(now time.Time) { s.m.OnConnectFailed(now, err); s.afterClose(now) })
		return
	}
	s.events = unix.EPOLLOUT
	s.r.wheel.Set(&s.timers[timerConnect], now.Add(s.r.set.ConnectTimeout))
}

// debug starts a debug event about the session's peer; its field is built
// only when debug logging is on (no logger context is kept per session).
func (s *session) debug() *zerolog.Event {
	return s.r.log.Debug().Str("peer", s.n.Name)
}

// later runs fn on the loop after the current Machine call returned, so
// the Machine is never re-entered.
func (s *session) later(fn func(time.Time)) {
	s.r.deferred = append(s.r.deferred, fn)
}

func (s *session) socketOptions(local netip.Addr) SocketOptions {
	return SocketOptions{
		Local:       local,
		Interface:   s.n.SourceIface,
		MD5Password: s.n.MD5Password,
		MD5Base64:   s.n.MD5Base64,
		OutgoingTTL: s.n.OutgoingTTL,
	}
}

// Close implements peer.Driver. It takes effect once the current Machine
// call returns: if the Machine asked to write (WantWrite), Pull is called
// once more, so a NOTIFICATION queued just before Close goes out; what was
// pulled is then written as far as the socket takes it at once, and the
// socket is closed. A Connect in the same call closes at once instead.
func (s *session) Close(_ *peer.Peer) {
	if s.fd < 0 || s.closing {
		return
	}
	s.closing = true
	fd := s.fd
	s.later(func(now time.Time) { s.finishClose(now, fd) })
}

func (s *session) finishClose(now time.Time, fd int) {
	if !s.closing || s.fd != fd {
		return
	}
	if !s.connecting {
		if s.wantWrite {
			if s.tx == nil {
				s.tx = s.r.txPool.get()
			}
			s.tx, _ = s.m.Pull(now, s.tx)
		}
		if s.txOff < len(s.tx) {
			_, _ = unix.Write(s.fd, s.tx[s.txOff:])
		}
	}
	s.closeFD()
	s.afterClose(now)
}

// WantWrite implements peer.Driver.
func (s *session) WantWrite(_ *peer.Peer) {
	s.wantWrite = true
	if s.fd >= 0 && !s.connecting {
		s.r.queue(s)
	}
}

// SetTimer implements peer.Driver.
func (s *session) SetTimer(_ *peer.Peer, k peer.Timer, at time.Time) {
	if k < peer.NumTimers && !s.retired {
		s.r.wheel.Set(&s.timers[k], at)
	}
}

// StopTimer implements peer.Driver.
func (s *session) StopTimer(_ *peer.Peer, k peer.Timer) {
	if k < peer.NumTimers {
		s.r.wheel.Stop(&s.timers[k])
	}
}

// PauseRead implements peer.Driver.
func (s *session) PauseRead(_ *peer.Peer, paused bool) {
	if s.paused == paused {
		return
	}
	s.paused = paused
	s.interest()
	if !paused && len(s.rx) > 0 {
		s.rxMore = true // offer what was buffered while paused
		s.r.queue(s)
	}
}

// fire handles a timer of this session.
func (s *session) fire(now time.Time, k int) {
	if k == timerSettle {
		s.endSettle()
		return
	}
	if k == timerConnect {
		if s.fd >= 0 && s.connecting {
			s.closeFD()
			s.m.OnConnectFailed(now, errConnectTimeout)
			s.afterClose(now)
		}
		return
	}
	if peer.Timer(k) == peer.TimerHold && s.readBeforeHold(now) {
		return
	}
	s.m.OnTimer(now, peer.Timer(k))
	if s.fd < 0 {
		s.afterClose(now) // the peer may have given up (tcp.attempts)
	}
}

// readBeforeHold reads what the socket holds before the hold timer is
// checked (RFC 4271 §6.5: the timer restarts on every KEEPALIVE or UPDATE
// received): timers run first in a turn, so a KEEPALIVE that arrived while
// the loop was busy (a helper's burst of commands to many peers) would
// otherwise expire a live session. ExaBGP, too, reads the connection
// before it checks the hold timer. It reports whether the transport
// closed meanwhile.
func (s *session) readBeforeHold(now time.Time) bool {
	if s.fd < 0 || s.connecting || s.closing || s.paused {
		return false
	}
	s.read(now)
	return s.fd < 0
}

// ready handles epoll readiness of the session's socket.
func (s *session) ready(now time.Time, ev uint32) {
	if s.closing {
		return
	}
	if s.connecting {
		s.connected(now)
		return
	}
	if s.paused && ev&(unix.EPOLLHUP|unix.EPOLLERR) != 0 {
		s.hangupWhilePaused(now, ev)
		return
	}
	if ev&(unix.EPOLLIN|unix.EPOLLHUP|unix.EPOLLERR) != 0 && !s.paused {
		s.read(now)
	}
	if s.fd >= 0 && ev&unix.EPOLLOUT != 0 && !s.settling {
		s.write(now)
	}
}

// hangupWhilePaused handles HUP/ERR, which epoll reports even without
// EPOLLIN: an error closes the transport; a hang-up takes the socket out
// of epoll (level-triggered HUP would wake every turn) until reading
// resumes and drains what the peer sent before it closed.
func (s *session) hangupWhilePaused(now time.Time, ev uint32) {
	if ev&unix.EPOLLERR != 0 {
		err := connectResult(s.fd)
		if err == nil {
			err = unix.EPIPE
		}
		s.transportLost(now, err)
		return
	}
	s.r.poll.del(s.fd)
	s.detached, s.events = true, 0
}

func (s *session) connected(now time.Time) {
	err := connectResult(s.fd)
	var local, remote netip.AddrPort
	if err == nil {
		local, remote, err = endpoints(s.fd)
		if errors.Is(err, unix.ENOTCONN) {
			return // a stale event: still in progress
		}
	}
	s.connecting = false
	s.r.wheel.Stop(&s.timers[timerConnect])
	if err != nil {
		s.closeFD()
		s.m.OnConnectFailed(now, err)
		s.afterClose(now)
		return
	}
	s.resetBuffers()
	s.interest()
	s.m.OnConnected(now, local, remote)
	if s.wantWrite {
		s.r.queue(s)
	}
}

// step is the queued work of a turn: buffered reads, then writes.
func (s *session) step(now time.Time) {
	if s.fd < 0 || s.connecting || s.closing {
		return
	}
	if s.rxMore && !s.paused {
		s.deliver(now)
		s.parkRx()
	}
	if s.fd >= 0 && !s.settling && (s.wantWrite || s.txOff < len(s.tx)) {
		s.write(now)
	}
}

// read takes at most ReadBudget bytes from the socket and hands them on.
// It reads into a receive buffer borrowed for the call, behind what was
// left from the last one (see parkRx).
func (s *session) read(now time.Time) {
	if cap(s.rx) != rxSize {
		rem := s.rx
		s.rx = append(s.r.rxPool.get(), rem...)
		s.r.remPool.put(rem)
	}
	defer s.parkRx()
	budget := s.r.set.ReadBudget
	for budget > 0 && s.fd >= 0 && !s.closing {
		if len(s.rx) == cap(s.rx) {
			break // the peer must consume first
		}
		n, err := unix.Read(s.fd, s.rx[len(s.rx):cap(s.rx)])
		if errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EINTR) {
			break
		}
		if err != nil || n == 0 {
			if err == nil {
				err = io.EOF
			}
			if len(s.rx) > 0 {
				s.deliver(now)
			}
			s.transportLost(now, err)
			return
		}
		s.rx = s.rx[:len(s.rx)+n]
		budget -= n
		s.deliver(now)
		if s.paused {
			break
		}
	}
}

// deliver offers the buffered bytes to the Machine and compacts.
func (s *session) deliver(now time.Time) {
	was := isEstablished(s.m)
	c := s.m.OnRead(now, s.rx)
	if s.fd < 0 || s.closing { // closed from OnRead
		return
	}
	switch {
	case becameEstablished(s.m, was):
		s.settle(now)
	case s.settling && c > 0:
		s.endSettle() // the peer's next message was read
	}
	if c > len(s.rx) {
		c = len(s.rx)
	}
	rest := copy(s.rx, s.rx[c:])
	s.rx = s.rx[:rest]
	// Bytes left after progress may hold complete messages the Machine
	// left for its next budget: come back this turn.
	s.rxMore = rest > 0 && c > 0
	if s.rxMore && !s.paused {
		s.r.queue(s)
	}
}

// settle holds the writes of a session that just became ESTABLISHED until
// the peer's next message is read or one wheel tick passed (see [Stater]).
func (s *session) settle(now time.Time) {
	s.settling = true
	s.r.wheel.Set(&s.timers[timerSettle], now.Add(s.r.set.Tick))
	s.interest()
}

// endSettle releases the writes held by settle.
func (s *session) endSettle() {
	s.settling = false
	s.r.wheel.Stop(&s.timers[timerSettle])
	if s.fd >= 0 && !s.connecting {
		s.interest()
		s.r.queue(s)
	}
}

// write pulls and writes within WriteBudget; what the socket refuses stays
// in tx and EPOLLOUT brings us back.
func (s *session) write(now time.Time) {
	budget := s.r.set.WriteBudget
	for budget > 0 && s.fd >= 0 && !s.closing {
		if s.txOff == len(s.tx) {
			if !s.wantWrite {
				break
			}
			buf := s.tx
			if buf == nil {
				buf = s.r.txPool.get()
			}
			s.tx = nil // not lent twice should Pull close the transport
			buf, more := s.m.Pull(now, buf[:0])
			s.tx, s.txOff, s.wantWrite = buf, 0, more
			if s.fd < 0 {
				s.txOff = len(s.tx)
				s.releaseTx()
				return
			}
			if len(s.tx) == 0 {
				// Nothing now despite "more": wait for the next WantWrite
				// rather than spin on writability.
				s.wantWrite = false
				break
			}
		}
		n, err := unix.Write(s.fd, s.tx[s.txOff:])
		if errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EINTR) {
			break
		}
		if err != nil {
			s.transportLost(now, err)
			return
		}
		s.txOff += n
		budget -= n
	}
	if s.fd >= 0 {
		s.interest()
		s.releaseTx()
	}
}

// interest sets the epoll events wanted: EPOLLIN unless paused, EPOLLOUT
// while there is something to write.
func (s *session) interest() {
	if s.fd < 0 || s.connecting {
		return
	}
	var ev uint32
	if !s.paused {
		ev |= unix.EPOLLIN | unix.EPOLLRDHUP
	}
	if (s.wantWrite || s.txOff < len(s.tx)) && !s.settling {
		ev |= unix.EPOLLOUT
	}
	if s.detached {
		if s.paused {
			if ev&unix.EPOLLOUT != 0 {
				s.r.queue(s) // the write fails and closes the transport
			}
			return
		}
		s.detached, s.events = false, ev
		_ = s.r.poll.add(s.fd, ev)
		return
	}
	if ev != s.events {
		s.events = ev
		_ = s.r.poll.mod(s.fd, ev)
	}
}

// resetBuffers empties the buffers of a new transport: the session holds
// none until it reads or writes.
func (s *session) resetBuffers() {
	if s.rx != nil {
		s.rx = s.rx[:0]
	}
	s.txOff, s.rxMore = len(s.tx), false
	s.parkRx()
	s.releaseTx()
}

// parkRx gives the receive buffer back once the Machine had its turn: an
// empty one goes back to its pool; the remainder of a partial message of
// at most remSize bytes moves to a small buffer from r.remPool. Only a
// session holding more (a larger message in progress, or messages left
// while paused or over budget) keeps a receive buffer, so an idle or
// trickling peer costs at most remSize bytes (GitHub issue 7).
func (s *session) parkRx() {
	switch n := len(s.rx); {
	case s.rx == nil:
	case n == 0:
		s.r.rxPool.put(s.rx) // each pool keeps only its own size
		s.r.remPool.put(s.rx)
		s.rx = nil
	case n <= remSize && cap(s.rx) == rxSize:
		big := s.rx
		s.rx = append(s.r.remPool.get(), big...)
		s.r.rxPool.put(big)
	}
}

// releaseTx returns the transmit buffer to the pool once written out.
func (s *session) releaseTx() {
	if s.tx != nil && s.txOff >= len(s.tx) {
		s.r.txPool.put(s.tx)
		s.tx, s.txOff = nil, 0
	}
}

// transportLost closes the socket after EOF or an error and tells the
// Machine.
func (s *session) transportLost(now time.Time, err error) {
	s.closeFD()
	s.m.OnClosed(now, err)
	s.afterClose(now)
}

// closeFD releases the socket (no callback).
func (s *session) closeFD() {
	if s.fd < 0 {
		return
	}
	s.r.unregister(s.fd)
	unix.Close(s.fd)
	s.fd, s.connecting, s.events, s.closing, s.detached = -1, false, 0, false, false
	s.r.wheel.Stop(&s.timers[timerConnect])
	s.r.wheel.Stop(&s.timers[timerSettle])
	s.settling = false
	s.txOff, s.wantWrite = len(s.tx), false
	s.releaseTx()
	if s.rx != nil {
		s.rx = s.rx[:0]
	}
	s.rxMore, s.paused = false, false
	s.parkRx()
}

// afterClose retires the session when its peer is done for good: it
// stopped (tcp.attempts), it was a per-connection range peer, or it was
// removed or shut down.
func (s *session) afterClose(now time.Time) {
	if s.fd >= 0 || s.retired {
		s.r.checkDone()
		return
	}
	stopped := s.dynamic || s.stopping
	if st, ok := s.m.(Stopper); ok {
		stopped = stopped || st.Stopped()
	} else if a := s.r.set.Attempts; a > 0 && s.attempts >= a {
		stopped = true
	}
	if stopped {
		s.retire()
	}
	s.r.checkDone()
}

// retire drops the session: timers stopped, no further driving.
func (s *session) retire() {
	s.retired = true
	for i := range s.timers {
		s.r.wheel.Stop(&s.timers[i])
	}
	if s.dynamic {
		delete(s.r.dynamic, s)
	} else if s.r.sessions[s.n.Name] == s {
		s.r.forget(s)
	}
}

// forget takes s out of the configured sessions (name and address).
func (r *Reactor) forget(s *session) {
	if r.sessions[s.n.Name] == s {
		delete(r.sessions, s.n.Name)
	}
	r.byAddr.del(s.n.PeerAddress, s)
}

// shutdown stops the peer (Cease 6/3); it retires once closed.
func (s *session) shutdown(now time.Time) {
	s.stopping = true
	s.m.Shutdown(now)
	if s.fd < 0 {
		s.retire()
	}
}
