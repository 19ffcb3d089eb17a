package reactor

import (
	"errors"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/sys/unix"

	"exago/config"
	"exago/peer"
)

// Runner is what the server asks of a driver: the reactor ([Reactor]) or
// the sync mode ([Sync]), chosen by reactor.mode.
type Runner interface {
	// Run drives the neighbors of cfg until Stop (or, with tcp.attempts,
	// until every peer stopped) and returns the exit code.
	Run(cfg *config.Config) (int, error)
	// Stop shuts every peer down (Cease) and makes Run return code.
	Stop(code int)
	// Reload applies a new configuration (see [Reactor.Reload]).
	Reload(cfg *config.Config)
	// Restart applies cfg and re-establishes every session.
	Restart(cfg *config.Config)
}

var (
	_ Runner = (*Reactor)(nil)
	_ Runner = (*Sync)(nil)
)

// Sync is the sync mode (exabgp_reactor_mode=sync): blocking sockets, a
// reader and a writer goroutine per connected peer, one goroutine for the
// timer wheel and one per listener. The Machines are the same and are
// stepped through the same methods, always with mu held, so only one
// runs at a time; mu is never held across socket I/O.
type Sync struct {
	clock   Clock
	log     zerolog.Logger
	set     Settings
	factory Factory
	started func() error

	mu         sync.Mutex
	wheel      *Wheel
	sessions   map[string]*syncSession
	byAddr     addrIndex[*syncSession]   // the same, by peer address
	others     map[*syncSession]struct{} // per-connection range peers, leaving peers
	ranges     []*config.Neighbor
	listeners  []net.Listener
	opened     map[netip.AddrPort]bool
	stopping   bool // peers shut down
	holding    bool // peers created, not started (helpers starting): connections refused
	exiting    bool // Run returns once they closed
	onIdle     func()
	order      []string
	stopTimer  Timer
	startTimer Timer
	exit       int
	finished   bool

	tick  chan struct{} // wakes the timer goroutine
	done  chan struct{} // closed when Run may return
	ready chan struct{} // closed once listening and started
}

// NewSync returns a sync-mode driver; options as for [New].
func NewSync(f Factory, opts ...Option) *Sync {
	r := &Reactor{clock: SystemClock{}, log: zerolog.Nop()}
	for _, o := range opts {
		o(r)
	}
	r.set.setDefaults()
	y := &Sync{
		clock: r.clock, log: r.log, set: r.set, factory: f, started: r.started, onIdle: r.onIdle,
		sessions: map[string]*syncSession{}, byAddr: addrIndex[*syncSession]{}, others: map[*syncSession]struct{}{},
		tick: make(chan struct{}, 1), done: make(chan struct{}), opened: map[netip.AddrPort]bool{},
		ready: make(chan struct{}),
	}
	y.wheel = NewWheel(y.clock.Now(), y.set.Tick, 1024)
	y.stopTimer.Kind = kindStop
	y.startTimer.Kind = kindStart
	return y
}

// syncSession is one neighbor in sync mode and its peer.Driver.
type syncSession struct {
	y        *Sync
	n        *config.Neighbor
	m        Machine
	timers   [peer.NumTimers + 2]Timer // + timerConnect (unused), timerSettle
	conn     *syncConn
	dialGen  int
	paused   bool
	cond     *sync.Cond
	attempts int
	dynamic  bool
	retired  bool
	stopping bool
}

// syncConn is one connection: its reader and writer goroutines quit once
// the session no longer points at it.
type syncConn struct {
	c         net.Conn
	wake      chan struct{}
	wantWrite bool
	settling  bool // writes held after ESTABLISHED (see Stater)
	closing   bool
	dead      bool
	rxPending atomic.Bool // the reader holds bytes it read, waiting for mu to deliver them
}

func (y *Sync) newSession(n *config.Neighbor) *syncSession {
	s := &syncSession{y: y, n: n, cond: sync.NewCond(&y.mu)}
	for i := range s.timers {
		s.timers[i].Owner, s.timers[i].Kind = s, i
	}
	s.m = y.factory(n, s)
	return s
}

func (y *Sync) startSession(now time.Time, n *config.Neighbor) {
	if n.PeerAddress.Bits() < n.PeerAddress.Addr().BitLen() {
		y.ranges = append(y.ranges, n)
		return
	}
	y.addSession(n).m.Start(now)
}

// addSession creates and registers the session of n without starting it.
func (y *Sync) addSession(n *config.Neighbor) *syncSession {
	s := y.newSession(n)
	y.sessions[n.Name] = s
	y.byAddr.add(n.PeerAddress, s)
	return s
}

// Run implements [Runner].
func (y *Sync) Run(cfg *config.Config) (int, error) {
	if err := y.listen(cfg); err != nil {
		y.closeAll()
		return 1, err
	}
	// The peers exist before the helpers start, as in reactor mode (one
	// goroutine: peers are created before the loop reads a helper), so that
	// a helper's first commands find them and wait in their Adj-RIB-Out;
	// they start (and emit events) once the helpers run.
	y.mu.Lock()
	y.setOrder(cfg)
	at := y.set.StartAt
	delayed := at.After(y.clock.Now())
	var created []*syncSession
	if !delayed {
		for _, n := range cfg.Neighbors {
			if n.PeerAddress.Bits() < n.PeerAddress.Addr().BitLen() {
				y.ranges = append(y.ranges, n)
				continue
			}
			created = append(created, y.addSession(n))
		}
		y.holding = true
	}
	y.mu.Unlock()
	if y.started != nil {
		if err := y.started(); err != nil {
			y.closeAll()
			return 1, err
		}
	}
	y.mu.Lock()
	if delayed {
		y.startTimer.Owner = cfg
		y.wheel.Set(&y.startTimer, at) // tcp.delay
	} else {
		y.holding = false
		now := y.clock.Now()
		for _, s := range created {
			s.m.Start(now)
		}
		y.checkDone()
	}
	y.mu.Unlock()
	close(y.ready)
	go y.timers()
	<-y.done
	y.closeAll()
	return y.exit, nil
}

func (y *Sync) startAll(cfg *config.Config) {
	now := y.clock.Now()
	for _, n := range cfg.Neighbors {
		y.startSession(now, n)
	}
	y.checkDone()
}

// Ready is closed once Run has opened its listeners and started the
// peers.
func (y *Sync) Ready() <-chan struct{} { return y.ready }

// Listeners returns the addresses listened on.
func (y *Sync) Listeners() []netip.AddrPort {
	y.mu.Lock()
	defer y.mu.Unlock()
	var out []netip.AddrPort
	for _, l := range y.listeners {
		if ap, err := netip.ParseAddrPort(l.Addr().String()); err == nil {
			out = append(out, unmap(ap))
		}
	}
	return out
}

// Stop implements [Runner].
func (y *Sync) Stop(code int) {
	y.mu.Lock()
	defer y.mu.Unlock()
	y.StopLocked(code)
}

// Locker is the mutex held while any Machine runs; hold it to call the
// *Locked methods and Each (and to share it with a [WithLock] reactor).
func (y *Sync) Locker() sync.Locker { return &y.mu }

// StopPeersLocked shuts every peer down (Cease) and closes the listeners
// without ending Run (see [Reactor.StopPeers]). Lock held.
func (y *Sync) StopPeersLocked() {
	if y.stopping {
		return
	}
	y.stopping = true
	for _, l := range y.listeners {
		l.Close()
	}
	now := y.clock.Now()
	for _, s := range y.sessions {
		s.shutdown(now)
	}
	for s := range y.others {
		s.shutdown(now)
	}
}

// StopLocked is Stop with the lock held.
func (y *Sync) StopLocked(code int) {
	if y.exiting {
		return
	}
	y.StopPeersLocked()
	y.exiting, y.exit = true, code
	y.wheel.Set(&y.stopTimer, y.clock.Now().Add(y.set.ShutdownGrace))
	y.kick()
	y.checkDone()
}

// Each calls fn for every peer, configured ones in configuration order;
// lock held.
func (y *Sync) Each(fn func(n *config.Neighbor, m Machine)) {
	for _, name := range y.order {
		if s := y.sessions[name]; s != nil {
			fn(s.n, s.m)
		}
	}
	for s := range y.others {
		if s.dynamic && !s.stopping {
			fn(s.n, s.m)
		}
	}
}

// Reload implements [Runner].
func (y *Sync) Reload(cfg *config.Config) { y.reload(cfg, false) }

// Restart implements [Runner].
func (y *Sync) Restart(cfg *config.Config) { y.reload(cfg, true) }

func (y *Sync) reload(cfg *config.Config, restart bool) {
	if err := y.listen(cfg); err != nil {
		y.log.Error().Err(err).Msg("reload: listener")
	}
	y.mu.Lock()
	defer y.mu.Unlock()
	if y.stopping {
		return
	}
	now := y.clock.Now()
	old := make(map[string]*config.Neighbor, len(y.sessions))
	for name, s := range y.sessions {
		old[name] = s.n
	}
	plan := diffNeighbors(old, cfg.Neighbors, restart)
	y.setOrder(cfg)
	for _, name := range plan.remove {
		y.log.Debug().Msgf("removing peer: %s", name)
		y.leave(now, y.sessions[name])
	}
	for _, n := range plan.same {
		if rc, ok := y.sessions[n.Name].m.(Reconfigurer); ok {
			rc.Reconfigure(now, n)
		}
	}
	for _, n := range plan.changed {
		y.log.Debug().Msgf("peer definition change, establishing a new connection for %s", n.Name)
		y.leave(now, y.sessions[n.Name])
		y.startSession(now, n)
	}
	y.ranges = y.ranges[:0]
	for _, n := range plan.add {
		y.log.Debug().Msgf("new peer: %s", n.Name)
		y.startSession(now, n)
	}
	y.log.Info().Msg("loaded new configuration successfully")
}

func (y *Sync) setOrder(cfg *config.Config) {
	y.order = y.order[:0]
	for _, n := range cfg.Neighbors {
		y.order = append(y.order, n.Name)
	}
}

// forget takes s out of the configured sessions (name and address).
func (y *Sync) forget(s *syncSession) {
	if y.sessions[s.n.Name] == s {
		delete(y.sessions, s.n.Name)
	}
	y.byAddr.del(s.n.PeerAddress, s)
}

func (y *Sync) leave(now time.Time, s *syncSession) {
	y.forget(s)
	s.dynamic = true
	y.others[s] = struct{}{}
	s.shutdown(now)
}

// kick wakes the timer goroutine (after a Set that may be earlier).
func (y *Sync) kick() {
	select {
	case y.tick <- struct{}{}:
	default:
	}
}

// timers is the timer goroutine: it fires due timers under mu and waits
// for the next deadline or a kick.
func (y *Sync) timers() {
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for {
		y.mu.Lock()
		if y.finished {
			y.mu.Unlock()
			return
		}
		y.fireDue(y.clock.Now())
		wait := time.Hour
		if at, ok := y.wheel.Next(); ok {
			wait = max(at.Sub(y.clock.Now()), 0)
		}
		y.mu.Unlock()
		t.Reset(wait)
		select {
		case <-t.C:
		case <-y.tick:
			if !t.Stop() {
				<-t.C
			}
		case <-y.done:
			return
		}
	}
}

// fireDue runs the timers due at now (mu held).
func (y *Sync) fireDue(now time.Time) {
	y.wheel.Advance(now, func(tm *Timer) {
		switch tm.Kind {
		case kindStop:
			y.finish()
			return
		case kindStart:
			y.startAll(tm.Owner.(*config.Config))
			return
		}
		s := tm.Owner.(*syncSession)
		if tm.Kind == timerSettle {
			if c := s.conn; c != nil && c.settling {
				c.settling = false
				c.signal()
			}
			return
		}
		if peer.Timer(tm.Kind) == peer.TimerHold && s.unreadInput() {
			// What the peer sent is read first (RFC 4271 §6.5: the hold
			// timer restarts on every message received; ExaBGP reads
			// before it checks the timer): the reader delivers it as
			// soon as it gets mu, which other sessions or a helper's
			// burst of commands may hold for a while.
			y.wheel.Set(tm, now.Add(y.set.Tick))
			return
		}
		s.m.OnTimer(now, peer.Timer(tm.Kind))
		if s.conn == nil {
			s.afterClose(now)
		}
	})
}

// unreadInput reports whether the session's connection has received bytes
// not handed to the Machine yet: queued in the kernel, or read by the
// reader goroutine, which is waiting for mu (mu held).
func (s *syncSession) unreadInput() bool {
	c := s.conn
	if c == nil || c.closing || s.paused {
		return false
	}
	return c.rxPending.Load() || inQueue(c.c) > 0
}

// inQueue is how many received bytes c's socket holds unread (SIOCINQ),
// 0 when unknown.
func inQueue(c net.Conn) int {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return 0
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return 0
	}
	n := 0
	_ = rc.Control(func(fd uintptr) {
		if v, err := unix.IoctlGetInt(int(fd), unix.SIOCINQ); err == nil {
			n = v
		}
	})
	return n
}

// finish lets Run return (mu held).
func (y *Sync) finish() {
	if !y.finished {
		y.finished = true
		close(y.done)
	}
}

func (y *Sync) checkDone() {
	if y.finished {
		return
	}
	if y.exiting {
		for _, s := range y.sessions {
			if s.conn != nil {
				return
			}
		}
		for s := range y.others {
			if s.conn != nil {
				return
			}
		}
		y.finish()
		return
	}
	if y.set.Attempts > 0 && len(y.sessions)+len(y.others) == 0 && !y.stopping {
		y.log.Info().Msg("exiting on peer termination")
		if y.onIdle != nil {
			y.stopping = true
			y.onIdle()
			return
		}
		y.finish()
	}
}

func (y *Sync) closeAll() {
	y.mu.Lock()
	defer y.mu.Unlock()
	for _, l := range y.listeners {
		l.Close()
	}
	for _, s := range y.sessions {
		s.drop()
	}
	for s := range y.others {
		s.drop()
	}
}

// Connect implements peer.Driver: a goroutine dials (blocking).
func (s *syncSession) Connect(_ *peer.Peer, local netip.Addr, remote netip.AddrPort) {
	if s.retired || s.y.stopping {
		return
	}
	s.drop()
	if !local.IsValid() && !s.n.LocalAuto {
		local = s.n.LocalAddress
	}
	if remote.Port() == 0 {
		remote = netip.AddrPortFrom(remote.Addr(), 179)
	}
	s.attempts++
	s.dialGen++
	go s.dial(s.dialGen, remote, s.socketOptions(local))
}

func (s *syncSession) socketOptions(local netip.Addr) SocketOptions {
	return SocketOptions{Local: local, Interface: s.n.SourceIface, MD5Password: s.n.MD5Password,
		MD5Base64: s.n.MD5Base64, OutgoingTTL: s.n.OutgoingTTL}
}

func (s *syncSession) dial(gen int, remote netip.AddrPort, o SocketOptions) {
	var serr error
	d := net.Dialer{Timeout: s.y.set.ConnectTimeout, Control: func(_, _ string, rc syscall.RawConn) error {
		if err := rc.Control(func(fd uintptr) { serr = prepareOutgoing(int(fd), remote.Addr(), o) }); err != nil {
			return err
		}
		return serr
	}}
	c, err := d.Dial("tcp", remote.String())
	y := s.y
	y.mu.Lock()
	defer y.mu.Unlock()
	if gen != s.dialGen || s.retired || s.conn != nil {
		if c != nil {
			c.Close()
		}
		return
	}
	now := y.clock.Now()
	if err != nil {
		s.m.OnConnectFailed(now, err)
		s.afterClose(now)
		return
	}
	local, _ := netip.ParseAddrPort(c.LocalAddr().String())
	s.attach(c)
	s.m.OnConnected(now, unmap(local), remote)
}

func unmap(ap netip.AddrPort) netip.AddrPort {
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
}

// attach makes c the session's connection and starts its goroutines.
func (s *syncSession) attach(c net.Conn) {
	sc := &syncConn{c: c, wake: make(chan struct{}, 1)}
	s.conn, s.paused = sc, false
	go s.reader(sc)
	go s.writer(sc)
}

// drop forgets the current connection or dial without telling the Machine.
func (s *syncSession) drop() {
	s.dialGen++
	if c := s.conn; c != nil {
		s.conn = nil
		c.dead = true
		c.c.Close()
		c.signal()
	}
	s.cond.Broadcast()
}

func (c *syncConn) signal() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// Close implements peer.Driver (see [session.Close] for the contract).
func (s *syncSession) Close(_ *peer.Peer) {
	s.dialGen++
	c := s.conn
	if c == nil {
		return
	}
	s.conn = nil
	c.closing = true
	c.signal()
	s.cond.Broadcast()
}

// WantWrite implements peer.Driver.
func (s *syncSession) WantWrite(_ *peer.Peer) {
	if c := s.conn; c != nil {
		c.wantWrite = true
		c.signal()
	}
}

// SetTimer implements peer.Driver.
func (s *syncSession) SetTimer(_ *peer.Peer, k peer.Timer, at time.Time) {
	if k < peer.NumTimers && !s.retired {
		s.y.wheel.Set(&s.timers[k], at)
		s.y.kick()
	}
}

// StopTimer implements peer.Driver.
func (s *syncSession) StopTimer(_ *peer.Peer, k peer.Timer) {
	if k < peer.NumTimers {
		s.y.wheel.Stop(&s.timers[k])
	}
}

// PauseRead implements peer.Driver.
func (s *syncSession) PauseRead(_ *peer.Peer, paused bool) {
	s.paused = paused
	s.cond.Broadcast()
}

// reader reads (blocking, mu released) and steps the Machine (mu held).
func (s *syncSession) reader(c *syncConn) {
	y := s.y
	rx := make([]byte, 0, rxSize)
	for {
		y.mu.Lock()
		for s.paused && s.conn == c {
			s.cond.Wait()
		}
		rx = s.deliver(c, rx) // what was left while paused
		live := s.conn == c
		y.mu.Unlock()
		if !live || len(rx) == cap(rx) {
			return
		}
		n, err := c.c.Read(rx[len(rx):cap(rx)])
		if n > 0 {
			c.rxPending.Store(true)
		}
		y.mu.Lock()
		if s.conn != c {
			y.mu.Unlock()
			return
		}
		rx = s.deliver(c, rx[:len(rx)+n])
		c.rxPending.Store(false)
		if err != nil && s.conn == c {
			now := y.clock.Now()
			s.conn = nil
			c.dead = true
			c.c.Close()
			c.signal()
			s.m.OnClosed(now, err)
			s.afterClose(now)
		}
		y.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// deliver offers rx to the Machine until it stops consuming (mu held).
func (s *syncSession) deliver(c *syncConn, rx []byte) []byte {
	now := s.y.clock.Now()
	for len(rx) > 0 && s.conn == c && !s.paused {
		was := isEstablished(s.m)
		used := min(s.m.OnRead(now, rx), len(rx))
		switch {
		case s.conn != c:
		case becameEstablished(s.m, was):
			c.settling = true
			s.y.wheel.Set(&s.timers[timerSettle], now.Add(s.y.set.Tick))
			s.y.kick()
		case c.settling && used > 0: // the peer's next message was read
			c.settling = false
			s.y.wheel.Stop(&s.timers[timerSettle])
			c.signal()
		}
		rx = rx[:copy(rx, rx[used:])]
		if used == 0 {
			break
		}
	}
	return rx
}

// writer pulls (mu held) and writes (blocking, mu released).
func (s *syncSession) writer(c *syncConn) {
	y := s.y
	var tx []byte
	for range c.wake {
		y.mu.Lock()
		if c.dead {
			y.mu.Unlock()
			return
		}
		tx = tx[:0]
		if c.settling && !c.closing {
			y.mu.Unlock()
			continue // the settle timer signals
		}
		if c.wantWrite {
			var more bool
			tx, more = s.m.Pull(y.clock.Now(), tx)
			c.wantWrite = more && len(tx) > 0 // nothing now: wait for WantWrite
			if c.wantWrite {
				c.signal()
			}
		}
		closing := c.closing
		y.mu.Unlock()
		if closing {
			_ = c.c.SetWriteDeadline(time.Now().Add(time.Second))
		}
		var err error
		if len(tx) > 0 {
			_, err = c.c.Write(tx)
		}
		if closing || err != nil {
			s.closed(c, err, closing)
			return
		}
	}
}

// closed ends a connection after Close (closing) or a write error.
func (s *syncSession) closed(c *syncConn, err error, closing bool) {
	c.c.Close()
	y := s.y
	y.mu.Lock()
	defer y.mu.Unlock()
	c.dead = true
	now := y.clock.Now()
	if !closing && s.conn == c {
		s.conn = nil
		s.m.OnClosed(now, err)
	}
	s.cond.Broadcast()
	s.afterClose(now)
}

// afterClose is [session.afterClose] for sync mode (mu held).
func (s *syncSession) afterClose(now time.Time) {
	y := s.y
	if s.conn != nil || s.retired {
		y.checkDone()
		return
	}
	stopped := s.dynamic || s.stopping
	if st, ok := s.m.(Stopper); ok {
		stopped = stopped || st.Stopped()
	} else if a := y.set.Attempts; a > 0 && s.attempts >= a {
		stopped = true
	}
	if stopped {
		s.retired = true
		for i := range s.timers {
			y.wheel.Stop(&s.timers[i])
		}
		if s.dynamic {
			delete(y.others, s)
		} else {
			y.forget(s)
		}
	}
	y.checkDone()
}

func (s *syncSession) shutdown(now time.Time) {
	s.stopping = true
	s.m.Shutdown(now)
	if s.conn == nil {
		s.dialGen++
		s.afterClose(now)
	}
}

// listen opens the same listeners as [Reactor.listen], as net.Listeners
// (a reload only opens new ones).
func (y *Sync) listen(cfg *config.Config) error {
	for _, spec := range listenSpecs(y.set, cfg) {
		if y.opened[spec.addr] {
			continue
		}
		fd, err := spec.open()
		if err != nil {
			y.log.Error().Err(err).Msgf("can not bind to %s", spec.addr)
			return err
		}
		y.opened[spec.addr] = true
		f := os.NewFile(uintptr(fd), "listener")
		ln, err := net.FileListener(f)
		f.Close()
		if err != nil {
			return err
		}
		y.mu.Lock()
		y.listeners = append(y.listeners, ln)
		y.mu.Unlock()
		go y.accept(ln)
	}
	return nil
}

func (y *Sync) accept(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		local, _ := netip.ParseAddrPort(c.LocalAddr().String())
		remote, _ := netip.ParseAddrPort(c.RemoteAddr().String())
		y.mu.Lock()
		y.incoming(c, unmap(local), unmap(remote))
		y.mu.Unlock()
	}
}

// incoming is [Reactor.incoming] for sync mode (mu held).
func (y *Sync) incoming(c net.Conn, local, remote netip.AddrPort) {
	now := y.clock.Now()
	if y.stopping {
		c.Close()
		return
	}
	if y.holding {
		// The peers exist but start once the helpers run: refused as
		// before they existed (as during tcp.delay), not handed to a
		// peer that Start would then reset.
		go refuseConn(c, notification(codeCease, 3, "no session configured for the peer"))
		return
	}
	for _, s := range y.byAddr.at(remote.Addr()) {
		if matches(s.n, local, remote) {
			s.incoming(now, c, local, remote)
			return
		}
	}
	var hits []*config.Neighbor
	for _, n := range y.ranges {
		if matches(n, local, remote) {
			hits = append(hits, n)
		}
	}
	switch len(hits) {
	case 0:
		go refuseConn(c, notification(codeCease, 3, "no session configured for the peer"))
		return
	case 1:
	default:
		go refuseConn(c, notification(codeCease, 5, "could not accept the connection (more than one neighbor match)"))
		return
	}
	s := y.newSession(rangePeer(hits[0], local, remote))
	s.dynamic = true
	y.others[s] = struct{}{}
	s.m.Start(now)
	s.incoming(now, c, local, remote)
	if s.conn == nil {
		delete(y.others, s)
	}
}

func (s *syncSession) incoming(now time.Time, c net.Conn, local, remote netip.AddrPort) {
	ok, notify := s.m.OnIncoming(now, local, remote)
	if !ok {
		go refuseConn(c, notify)
		return
	}
	s.drop()
	s.attempts++
	s.attach(c)
	s.conn.wantWrite = true // what OnIncoming queued (a Pull with nothing is harmless)
	s.conn.signal()
}

// refuseConn writes notify (bounded wait) and closes; its own goroutine.
func refuseConn(c net.Conn, notify []byte) {
	if len(notify) > 0 {
		_ = c.SetWriteDeadline(time.Now().Add(time.Second))
		_, _ = c.Write(notify)
	}
	c.Close()
}
