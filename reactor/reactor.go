package reactor

import (
	"errors"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/sys/unix"

	"exago/config"
	"exago/peer"
)

// Reactor is the event loop: one goroutine (the one calling [Reactor.Run])
// owns every peer, socket and timer. Other goroutines talk to it only
// through [Reactor.Post] (and the helpers built on it), which queue a
// function and wake the loop through an eventfd.
type Reactor struct {
	clock   Clock
	log     zerolog.Logger
	set     Settings
	factory Factory
	started func() error
	locker  sync.Locker

	poll  *poller
	wheel *Wheel
	fds   []endpoint // by file descriptor

	rxPool  bufPool // receive buffers lent to sessions for a read
	remPool bufPool // small buffers holding a partial message between reads
	txPool  bufPool // transmit buffers lent to sessions holding bytes to write

	sessions  map[string]*session // by neighbor name
	byAddr    addrIndex[*session] // the same, by peer address
	dynamic   map[*session]struct{}
	listeners []*listener
	work      []*session         // peers with work pending this turn (writes, buffered reads)
	deferred  []func(time.Time)  // driver results delivered after the current Machine call
	ranges    []*config.Neighbor // passive range neighbors (a peer per connection)
	order     []string           // neighbor names in configuration order

	stopping  bool // peers shut down (StopPeers)
	exiting   bool // the loop ends once they closed (Stop)
	onIdle    func()
	stopTimer Timer
	exit      int
	done      bool

	mu    sync.Mutex
	posts []func(*Reactor)
	spare []func(*Reactor)
}

// Option configures a Reactor.
type Option func(*Reactor)

// WithClock injects the clock (default [SystemClock]).
func WithClock(c Clock) Option { return func(r *Reactor) { r.clock = c } }

// WithLogger sets the logger (default: nothing logged).
func WithLogger(l zerolog.Logger) Option { return func(r *Reactor) { r.log = l } }

// WithSettings sets the environment settings.
func WithSettings(s Settings) Option { return func(r *Reactor) { r.set = s } }

// WithExitHook sets what runs (on the loop) when every peer has stopped
// with tcp.attempts set, instead of ending the loop at once: the server
// shuts the helper processes down, then calls Stop.
func WithExitHook(fn func()) Option { return func(r *Reactor) { r.onIdle = fn } }

// WithStarted sets a function Run calls once the listeners are open and
// before any peer starts (the server drops privileges and writes the pid
// file there, as ExaBGP does); an error makes Run return exit code 1.
func WithStarted(fn func() error) Option { return func(r *Reactor) { r.started = fn } }

// endpoint is what a file descriptor is to the loop.
type endpoint struct {
	sess *session
	lst  *listener
	h    FDHandler // a descriptor watched for someone else (helper pipes)
}

// FDHandler receives the readiness of a descriptor registered with
// [Reactor.Watch] (package api's helper-process pipes). Both run on the
// loop goroutine and must not block.
type FDHandler interface {
	OnReadable(fd int)
	OnWritable(fd int)
}

// Watch sets the readiness reported to h for fd; read and write both
// false removes fd (call it before closing fd). Loop goroutine only.
func (r *Reactor) Watch(fd int, read, write bool, h FDHandler) error {
	var ev uint32
	if read {
		ev |= unix.EPOLLIN | unix.EPOLLRDHUP
	}
	if write {
		ev |= unix.EPOLLOUT
	}
	known := fd < len(r.fds) && r.fds[fd].h != nil
	switch {
	case ev == 0 && known:
		r.unregister(fd)
		return nil
	case ev == 0:
		return nil
	case known:
		r.fds[fd].h = h
		return r.poll.mod(fd, ev)
	}
	return r.register(fd, endpoint{h: h}, ev)
}

// At runs fn on the loop goroutine at t (a deadline in the timer wheel).
// Loop goroutine only.
func (r *Reactor) At(t time.Time, fn func()) {
	r.wheel.Set(&Timer{Owner: fn, Kind: kindFunc}, t)
	if r.locker != nil {
		r.poll.wake() // may come from another goroutine holding the lock
	}
}

// WithLock makes the loop hold l whenever it is not waiting in epoll, so
// another goroutine holding l may use the loop-only methods (Watch, At,
// Each). The sync mode uses it to host package api's helper pipes on a
// reactor while its peers run on their own goroutines under l.
func WithLock(l sync.Locker) Option { return func(r *Reactor) { r.locker = l } }

func (r *Reactor) lock() {
	if r.locker != nil {
		r.locker.Lock()
	}
}

func (r *Reactor) unlock() {
	if r.locker != nil {
		r.locker.Unlock()
	}
}

// kindFunc marks an [Reactor.At] timer; kindStop the shutdown deadline.
const (
	kindStart = -3 // sync mode: tcp.delay over
	kindFunc  = -2
	kindStop  = -1
)

// New returns a reactor that builds each neighbor's Machine with f. It
// opens the epoll instance; [Reactor.Run] does the rest.
func New(f Factory, opts ...Option) (*Reactor, error) {
	r := &Reactor{
		clock:    SystemClock{},
		log:      zerolog.Nop(),
		factory:  f,
		sessions: map[string]*session{},
		byAddr:   addrIndex[*session]{},
		dynamic:  map[*session]struct{}{},
		rxPool:   bufPool{size: rxSize},
		remPool:  bufPool{size: remSize},
	}
	for _, o := range opts {
		o(r)
	}
	r.set.setDefaults()
	p, err := newPoller()
	if err != nil {
		return nil, err
	}
	r.poll = p
	r.wheel = NewWheel(r.clock.Now(), r.set.Tick, 1024)
	r.stopTimer.Kind = kindStop
	return r, nil
}

// Post runs fn on the loop goroutine at its next turn. Safe from any
// goroutine; it never blocks on the loop.
func (r *Reactor) Post(fn func(*Reactor)) {
	r.mu.Lock()
	r.posts = append(r.posts, fn)
	r.mu.Unlock()
	r.poll.wake()
}

// Wake makes the loop run a turn now (tests call it after moving a fake
// clock).
func (r *Reactor) Wake() { r.poll.wake() }

// Stop asks the loop to shut every peer down (Cease, ExaBGP's SIGTERM
// handling) and return code from Run once they closed.
func (r *Reactor) Stop(code int) {
	r.Post(func(r *Reactor) { r.shutdown(code) })
}

// Now returns the reactor clock's time.
func (r *Reactor) Now() time.Time { return r.clock.Now() }

// Each calls fn for every peer, configured ones in configuration order,
// then the per-connection ones; loop goroutine only (from a Post, a
// Machine or an FDHandler).
func (r *Reactor) Each(fn func(n *config.Neighbor, m Machine)) {
	for _, name := range r.order {
		if s := r.sessions[name]; s != nil {
			fn(s.n, s.m)
		}
	}
	for s := range r.dynamic {
		if !s.stopping { // not a peer leaving after a reload
			fn(s.n, s.m)
		}
	}
}

func (r *Reactor) setOrder(cfg *config.Config) {
	r.order = r.order[:0]
	for _, n := range cfg.Neighbors {
		r.order = append(r.order, n.Name)
	}
}

// Len reports how many peers the reactor drives; loop goroutine only.
func (r *Reactor) Len() int { return len(r.sessions) + len(r.dynamic) }

// Run loads the neighbors of cfg, opens the listeners and runs the loop
// until Stop, or until every peer stopped when tcp.attempts > 0. It
// returns the exit code (0 normal). Listening failures are returned as an
// error before the loop starts.
func (r *Reactor) Run(cfg *config.Config) (int, error) {
	r.lock()
	defer r.unlock()
	defer r.closeAll()
	if err := r.listen(cfg); err != nil {
		return 1, err
	}
	if r.started != nil {
		if err := r.started(); err != nil {
			return 1, err
		}
	}
	r.setOrder(cfg)
	start := func() {
		now := r.clock.Now()
		for _, n := range cfg.Neighbors {
			r.startSession(now, n)
		}
	}
	if at := r.set.StartAt; at.After(r.clock.Now()) {
		r.log.Info().Msgf("waiting for %d seconds before connecting", int(at.Sub(r.clock.Now()).Seconds()))
		r.At(at, start) // tcp.delay: a deadline, not a sleep
	} else {
		start()
	}
	for !r.done {
		if err := r.turn(); err != nil {
			r.log.Error().Err(err).Msg("problem using epoll, stopping")
			return 1, err
		}
	}
	return r.exit, nil
}

// turn is one iteration: timers, queued work, I/O readiness, queued work.
// Timers always come before bulk work, so a keepalive never waits behind
// another peer's reads.
func (r *Reactor) turn() error {
	r.runTimers()
	r.runPosts()
	r.runWork()
	if r.done {
		return nil
	}
	ms := r.waitMillis()
	r.unlock()
	evs, err := r.poll.wait(ms)
	r.lock()
	if err != nil {
		return err
	}
	r.runTimers()
	for i, ev := range evs {
		if i&63 == 63 {
			r.runTimers()
			r.runWork()
		}
		r.dispatch(ev)
	}
	r.runWork()
	r.checkDone()
	return nil
}

// waitMillis is the epoll timeout: 0 with work pending, else until the
// next timer (capped so a jump of the clock is noticed), else for ever.
func (r *Reactor) waitMillis() int {
	if len(r.work) > 0 || len(r.deferred) > 0 {
		return 0
	}
	at, ok := r.wheel.Next()
	if !ok {
		return -1
	}
	d := at.Sub(r.clock.Now())
	if d <= 0 {
		return 0
	}
	if d > 10*time.Second {
		d = 10 * time.Second
	}
	return int((d + time.Millisecond - 1) / time.Millisecond)
}

func (r *Reactor) runTimers() {
	now := r.clock.Now()
	r.wheel.Advance(now, func(t *Timer) {
		switch t.Kind {
		case kindStop:
			r.done = true
			return
		case kindFunc:
			t.Owner.(func())()
			return
		}
		s := t.Owner.(*session)
		s.fire(now, t.Kind)
	})
}

func (r *Reactor) runPosts() {
	r.mu.Lock()
	posts := r.posts
	r.posts = r.spare[:0]
	r.mu.Unlock()
	for i, fn := range posts {
		posts[i] = nil
		fn(r)
	}
	r.spare = posts[:0]
}

func (r *Reactor) runWork() {
	for len(r.deferred) > 0 {
		d := r.deferred
		r.deferred = nil
		for _, fn := range d {
			fn(r.clock.Now())
		}
	}
	now := r.clock.Now()
	work := r.work
	r.work = nil
	for _, s := range work {
		s.queued = false
		s.step(now)
	}
	if r.work == nil {
		r.work = work[:0]
	}
}

func (r *Reactor) queue(s *session) {
	if !s.queued {
		s.queued = true
		r.work = append(r.work, s)
	}
}

func (r *Reactor) dispatch(ev unix.EpollEvent) {
	fd := int(ev.Fd)
	if fd == r.poll.wakefd {
		r.poll.drainWake()
		r.runPosts()
		return
	}
	if fd >= len(r.fds) {
		return
	}
	e := r.fds[fd]
	switch {
	case e.sess != nil:
		e.sess.ready(r.clock.Now(), ev.Events)
	case e.lst != nil:
		r.accept(e.lst)
	case e.h != nil:
		if ev.Events&(unix.EPOLLIN|unix.EPOLLRDHUP|unix.EPOLLHUP|unix.EPOLLERR) != 0 {
			e.h.OnReadable(fd)
		}
		if ev.Events&unix.EPOLLOUT != 0 && fd < len(r.fds) && r.fds[fd].h != nil {
			e.h.OnWritable(fd)
		}
	}
}

func (r *Reactor) register(fd int, e endpoint, ev uint32) error {
	for fd >= len(r.fds) {
		r.fds = append(r.fds, endpoint{})
	}
	r.fds[fd] = e
	return r.poll.add(fd, ev)
}

func (r *Reactor) unregister(fd int) {
	r.poll.del(fd)
	if fd < len(r.fds) {
		r.fds[fd] = endpoint{}
	}
}

// StopPeers shuts every peer down (each sends its Cease and closes) and
// closes the listeners, but keeps the loop running (helper processes
// still get their shutdown event). Loop goroutine only; Stop ends the loop.
func (r *Reactor) StopPeers() {
	if r.stopping {
		return
	}
	r.stopping = true
	r.closeListeners()
	now := r.clock.Now()
	for _, s := range r.sessions {
		s.shutdown(now)
	}
	for s := range r.dynamic {
		s.shutdown(now)
	}
}

// shutdown stops every peer and ends the loop once all transports are
// closed, or after ShutdownGrace.
func (r *Reactor) shutdown(code int) {
	if r.exiting {
		return
	}
	r.StopPeers()
	r.exiting, r.exit = true, code
	r.wheel.Set(&r.stopTimer, r.clock.Now().Add(r.set.ShutdownGrace))
	r.checkDone()
}

// checkDone ends the loop when exiting and every transport closed, or
// when tcp.attempts is set and no peer is left (then the exit hook, when
// set, decides when to Stop).
func (r *Reactor) checkDone() {
	if r.done {
		return
	}
	if r.exiting {
		for _, s := range r.sessions {
			if s.fd >= 0 && !s.retired {
				return
			}
		}
		for s := range r.dynamic {
			if s.fd >= 0 {
				return
			}
		}
		r.done = true
		return
	}
	if r.set.Attempts > 0 && r.Len() == 0 && !r.stopping {
		r.log.Info().Msg("exiting on peer termination")
		if r.onIdle != nil {
			r.stopping = true
			r.onIdle()
			return
		}
		r.done = true
	}
}

func (r *Reactor) closeAll() {
	r.closeListeners()
	for _, s := range r.sessions {
		s.closeFD()
	}
	for s := range r.dynamic {
		s.closeFD()
	}
	r.poll.close()
}

// errConnectTimeout is reported when a connect does not complete in time.
var errConnectTimeout = errors.New("connection timed out")

var _ peer.Driver = (*session)(nil)
