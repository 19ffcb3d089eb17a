package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"exago/wire"
)

// PeerAddr returns the loopback address of emulated peer i (0-based):
// 127.1.0.1, 127.1.0.2, ... 127.1.0.254, 127.1.1.1, ...
func PeerAddr(i int) netip.Addr {
	return netip.AddrFrom4([4]byte{127, byte(1 + i/(254*256)), byte(i / 254 % 256), byte(1 + i%254)})
}

// Session is one emulated BGP peer's view of its session with the DUT.
type Session struct {
	Index    int
	Addr     netip.Addr
	conn     net.Conn
	wmu      sync.Mutex
	hold     time.Duration
	openAt   time.Time
	Up       time.Time // when the first KEEPALIVE after the OPEN exchange arrived
	lastRx   time.Time
	WorstGap time.Duration // longest silence from the DUT once established
	Prefixes atomic.Int64  // IPv4 unicast prefixes announced by the DUT (every announcement, repeats included)
	EORs     atomic.Int64
	LastRx   atomic.Int64       // unix nanos of the last UPDATE received
	Notified *wire.Notification // the last NOTIFICATION received
	// Refused counts NOTIFICATIONs received before Established (the
	// generator connects again after them); Refusal is the last one.
	Refused atomic.Int64
	Refusal *wire.Notification
	Lost    atomic.Bool // an established connection ended before Stop
	Err     error

	// With Loadgen.Routes set, the session also keeps which of the
	// routes RoutePrefix(0..Routes-1) it holds: repeats (implicit
	// replaces) and withdrawals then cannot make the count lie.
	Distinct  atomic.Int64 // routes of the set held now
	Withdrawn atomic.Int64 // IPv4 unicast prefixes withdrawn by the DUT
	Foreign   atomic.Int64 // announced prefixes outside the set
	Dials     atomic.Int64 // TCP connections opened (DUT accepts) or accepted (DUT connects)
	held      []uint64     // bitmap of the set, owned by the session's reader
	routes    int          // size of the set
	everUp    bool
}

// Loadgen plays N peers. Its zero value is not usable: set every field
// but the results.
type Loadgen struct {
	N      int
	ASN    uint32 // the emulated peers' AS
	Hold   uint16
	DUT    netip.AddrPort // where the DUT listens (DUT accepts) ...
	Listen netip.AddrPort // ... or where we listen (DUT connects); one is valid
	Routes int            // when > 0, sessions count RoutePrefix(0..Routes-1) held (Session.Distinct)
	// OpenTimeout drops a connection on which the DUT has not completed
	// the OPEN exchange in this time (0: 30 s); when we dialled, we dial
	// again. Sooner, after 3 s, goes a connection whose OPEN the DUT's
	// kernel has not even acknowledged: a DUT whose listen backlog
	// overflows (BIRD listens with a backlog of 8) drops the handshake's
	// last ACK, which leaves our side ESTABLISHED and retransmitting an
	// OPEN that nobody reads. A real peer would give up and retry; so
	// does the generator.
	OpenTimeout time.Duration
	Sessions    []*Session

	established atomic.Int64
	done        chan struct{}
	cancel      context.CancelFunc
	ctx         context.Context
	ln          net.Listener
	wg          sync.WaitGroup
}

// Established is how many sessions have reached Established.
func (l *Loadgen) Established() int { return int(l.established.Load()) }

// Held is how many routes of the set the sessions hold, summed.
func (l *Loadgen) Held() int64 {
	var t int64
	for _, s := range l.Sessions {
		t += s.Distinct.Load()
	}
	return t
}

// Dials is how many connections the sessions have opened or accepted.
func (l *Loadgen) Dials() int64 {
	var t int64
	for _, s := range l.Sessions {
		t += s.Dials.Load()
	}
	return t
}

// Why sums up, for a failure report, the sessions not established and
// their last errors, the NOTIFICATIONs received, and with a route set the
// sessions that lack routes.
func (l *Loadgen) Why() string {
	var down, notified, short int
	var refusal *wire.Notification
	var held, least int64 = 0, -1
	errs := map[string]int{}
	for _, s := range l.Sessions {
		if s.Up.IsZero() {
			down++
			e := "no error"
			if s.Err != nil {
				e = s.Err.Error()
				if i := strings.LastIndex(e, ": "); i >= 0 {
					e = e[i+2:] // "dial tcp4 a->b: connect: connection refused" → the cause
				}
			}
			errs[e]++
		}
		if s.Refused.Load() > 0 {
			notified++
			refusal = s.Refusal
		}
		if l.Routes > 0 {
			h := s.Distinct.Load()
			held += h
			if h < int64(l.Routes) {
				short++
			}
			if least < 0 || h < least {
				least = h
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "generator: %d/%d sessions established, %d connections opened", l.N-down, l.N, l.Dials())
	if down > 0 {
		keys := make([]string, 0, len(errs))
		for k := range errs {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return errs[keys[i]] > errs[keys[j]] })
		b.WriteString(", last error of those not established:")
		for i, k := range keys {
			if i == 3 {
				break
			}
			fmt.Fprintf(&b, " %d× %s;", errs[k], k)
		}
	}
	if notified > 0 {
		fmt.Fprintf(&b, " %d sessions refused with a NOTIFICATION before Established (one: %d/%d %q);", notified, refusal.Code, refusal.Subcode, refusal.Data)
	}
	if l.Routes > 0 {
		fmt.Fprintf(&b, " %d sessions lack routes (fewest held: %d of %d)", short, least, l.Routes)
	}
	return strings.TrimSuffix(b.String(), ";")
}

// Start opens (or accepts) the N sessions; it returns at once.
func (l *Loadgen) Start() error {
	RaiseFDLimit()
	l.done = make(chan struct{})
	l.ctx, l.cancel = context.WithCancel(context.Background())
	l.Sessions = make([]*Session, l.N)
	if l.OpenTimeout <= 0 {
		l.OpenTimeout = 30 * time.Second
	}
	for i := range l.Sessions {
		l.Sessions[i] = &Session{Index: i, Addr: PeerAddr(i), hold: time.Duration(l.Hold) * time.Second}
		if l.Routes > 0 {
			l.Sessions[i].held = make([]uint64, (l.Routes+63)/64)
			l.Sessions[i].routes = l.Routes
		}
	}
	if l.Listen.IsValid() {
		ln, err := net.Listen("tcp4", l.Listen.String())
		if err != nil {
			return err
		}
		l.ln = ln
		go l.accept()
		return nil
	}
	for _, s := range l.Sessions {
		l.wg.Add(1)
		go l.dial(s)
	}
	return nil
}

// Stop closes every session.
func (l *Loadgen) Stop() {
	close(l.done)
	l.cancel()
	if l.ln != nil {
		l.ln.Close()
	}
	for _, s := range l.Sessions {
		s.wmu.Lock()
		if s.conn != nil {
			s.conn.Close()
		}
		s.wmu.Unlock()
	}
	l.wg.Wait()
}

func (l *Loadgen) accept() {
	byAddr := make(map[netip.Addr]*Session, l.N)
	for _, s := range l.Sessions {
		byAddr[s.Addr] = s
	}
	for {
		c, err := l.ln.Accept()
		if err != nil {
			return
		}
		// The DUT connects to 127.1.x.y: the address it dialled is ours.
		local := c.LocalAddr().(*net.TCPAddr).AddrPort().Addr().Unmap()
		s := byAddr[local]
		if s == nil {
			c.Close()
			continue
		}
		s.Dials.Add(1)
		l.wg.Add(1)
		go func() { defer l.wg.Done(); l.run(s, c) }()
	}
}

// dial connects to the DUT, and connects again after a failure or after
// a connection that closed before the session was established, as a real
// peer's ConnectRetry timer would, but sooner: 20 ms, doubling to 1 s, so
// that a DUT still starting up is reached as soon as it listens. A
// session lost once established is not reopened: the scenarios count it
// lost.
func (l *Loadgen) dial(s *Session) {
	defer l.wg.Done()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: s.Addr.AsSlice()}, Timeout: 30 * time.Second}
	wait := 20 * time.Millisecond
	for {
		c, err := d.DialContext(l.ctx, "tcp4", l.DUT.String())
		if err == nil {
			s.Dials.Add(1)
			if l.run(s, c) {
				return
			}
		} else {
			s.Err = err
		}
		select {
		case <-l.done:
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Second)
	}
}

// run speaks BGP on c until it closes or the generator stops; it says
// whether the session was ever established.
func (l *Loadgen) run(s *Session, c net.Conn) bool {
	s.wmu.Lock()
	select {
	case <-l.done: // Stop has already closed the connections it knew
		s.wmu.Unlock()
		c.Close()
		return true
	default:
	}
	s.conn = c
	s.wmu.Unlock()
	defer c.Close()
	caps := wire.Capabilities{Families: []wire.Family{wire.IPv4Unicast}, HasASN4: true, ASN4: l.ASN, RouteRefresh: true}
	o := wire.NewOpen(l.ASN, l.Hold, s.Addr, caps)
	s.openAt = time.Now()
	if err := s.write(o.Append(nil)); err != nil {
		s.Err = err
		return s.everUp
	}
	// Until Established, wake every second to look for a handshake the
	// DUT's kernel dropped (our OPEN never acknowledged) or a DUT that
	// never answers (OpenTimeout).
	c.SetReadDeadline(s.openAt.Add(time.Second))
	stopKA := make(chan struct{})
	defer close(stopKA)
	buf := make([]byte, 0, 1<<16)
	tmp := make([]byte, 1<<16)
	upSeen := false
	defer func() {
		select {
		case <-l.done:
		default:
			if upSeen {
				s.Lost.Store(true)
			}
		}
	}()
	for {
		n, err := c.Read(tmp)
		now := time.Now()
		if n > 0 {
			buf = append(buf, tmp[:n]...)
			var used int
			used, err2 := l.consume(s, buf, now, &upSeen, stopKA)
			buf = append(buf[:0], buf[used:]...)
			if err2 != nil {
				s.Err = err2
				return s.everUp
			}
			if upSeen {
				c.SetReadDeadline(time.Time{})
			}
		}
		if err != nil && !upSeen && errors.Is(err, os.ErrDeadlineExceeded) {
			waited := now.Sub(s.openAt)
			switch {
			case waited >= halfOpen && unacked(c) > 0:
				err = errHalfOpen
			case waited >= l.OpenTimeout:
				err = errNoOpen
			default:
				c.SetReadDeadline(now.Add(time.Second))
				continue
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				s.Err = err
			}
			return s.everUp
		}
	}
}

// halfOpen is how long an unacknowledged OPEN means the DUT's kernel
// dropped the handshake (its accept queue was full): loopback acknowledges
// in microseconds, and the SYN-ACK retries that could still complete the
// handshake come 1, 3, 7 … s after the SYN.
const halfOpen = 3 * time.Second

var (
	errHalfOpen = errors.New("OPEN unacknowledged at the TCP level: the DUT's listen queue dropped the handshake")
	errNoOpen   = errors.New("no OPEN from the DUT (open timeout)")
)

// unacked is how many bytes c has sent that the peer has not acknowledged
// (SIOCOUTQ), -1 when unknown.
func unacked(c net.Conn) int {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return -1
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return -1
	}
	n := -1
	rc.Control(func(fd uintptr) {
		if v, err := unix.IoctlGetInt(int(fd), unix.SIOCOUTQ); err == nil {
			n = v
		}
	})
	return n
}

func (l *Loadgen) consume(s *Session, buf []byte, now time.Time, upSeen *bool, stopKA chan struct{}) (int, error) {
	off := 0
	for {
		m, n, err := wire.Frame(buf[off:], 65535)
		if err != nil {
			return off, err
		}
		if n == 0 {
			return off, nil
		}
		off += n
		if *upSeen {
			if gap := now.Sub(s.lastRx); gap > s.WorstGap {
				s.WorstGap = gap
			}
		}
		s.lastRx = now
		switch m.Type() {
		case wire.TypeOpen:
			if err := s.write(wire.AppendKeepalive(nil)); err != nil {
				return off, err
			}
		case wire.TypeKeepalive:
			if !*upSeen {
				*upSeen = true
				if !s.everUp {
					s.everUp = true
					s.Up = now
					l.established.Add(1)
				}
				go s.keepalives(stopKA)
			}
		case wire.TypeUpdate:
			s.countUpdate(m.Body(), now)
		case wire.TypeNotification:
			nt := wire.DecodeNotification(m.Body())
			s.Notified = &nt
			if !*upSeen {
				s.Refusal = &nt
				s.Refused.Add(1)
			}
		}
	}
}

func (s *Session) countUpdate(body []byte, now time.Time) {
	u, err := wire.DecodeUpdate(body)
	if err != nil {
		return
	}
	if len(u.NLRI) == 0 && len(u.Withdrawn) == 0 && len(u.PathAttrs) == 0 {
		s.EORs.Add(1)
		return
	}
	if s.held == nil {
		it := wire.Prefixes(u.NLRI, wire.AFIIPv4, false)
		var k int64
		for it.Next() {
			k++
		}
		s.Prefixes.Add(k)
		s.Withdrawn.Add(count(u.Withdrawn))
		s.LastRx.Store(now.UnixNano())
		return
	}
	var k, w, dist, foreign int64
	for it := wire.Prefixes(u.Withdrawn, wire.AFIIPv4, false); it.Next(); {
		w++
		if i, ok := routeIndex(it.Prefix(), s.routes); ok && s.held[i/64]&(1<<(i%64)) != 0 {
			s.held[i/64] &^= 1 << (i % 64)
			dist--
		}
	}
	for it := wire.Prefixes(u.NLRI, wire.AFIIPv4, false); it.Next(); {
		k++
		i, ok := routeIndex(it.Prefix(), s.routes)
		if !ok {
			foreign++
		} else if s.held[i/64]&(1<<(i%64)) == 0 {
			s.held[i/64] |= 1 << (i % 64)
			dist++
		}
	}
	s.Withdrawn.Add(w)
	s.Foreign.Add(foreign)
	s.Distinct.Add(dist)
	s.Prefixes.Add(k)
	s.LastRx.Store(now.UnixNano())
}

func count(nlri []byte) int64 {
	var k int64
	for it := wire.Prefixes(nlri, wire.AFIIPv4, false); it.Next(); {
		k++
	}
	return k
}

// routeIndex inverts RoutePrefix: the i of a /24 in 10/8, 11/8, ...
// (ok is false for any other prefix, or when i ≥ limit).
func routeIndex(p netip.Prefix, limit int) (int, bool) {
	if p.Bits() != 24 || !p.Addr().Is4() {
		return 0, false
	}
	a := p.Addr().As4()
	if a[0] < 10 || a[3] != 0 {
		return 0, false
	}
	i := int(a[0]-10)<<16 | int(a[1])<<8 | int(a[2])
	return i, i < limit
}

func (s *Session) keepalives(stop chan struct{}) {
	every := s.hold / 3
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	ka := wire.AppendKeepalive(nil)
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			if s.write(ka) != nil {
				return
			}
		}
	}
}

// Write sends raw bytes on the session (used by scenarios that inject
// UPDATEs).
func (s *Session) Write(b []byte) error { return s.write(b) }

func (s *Session) write(b []byte) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.conn == nil {
		return net.ErrClosed
	}
	_, err := s.conn.Write(b)
	return err
}

// RaiseFDLimit lifts RLIMIT_NOFILE to its hard limit (and the hard limit
// to 1,048,576 when allowed) and returns the new soft limit.
func RaiseFDLimit() uint64 {
	var r syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r) != nil {
		return 0
	}
	want := syscall.Rlimit{Cur: 1 << 20, Max: 1 << 20}
	if syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want) == nil {
		return want.Cur
	}
	r.Cur = r.Max
	syscall.Setrlimit(syscall.RLIMIT_NOFILE, &r)
	return r.Cur
}
