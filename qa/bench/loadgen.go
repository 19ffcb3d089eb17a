package bench

import (
	"errors"
	"io"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

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
	Prefixes atomic.Int64  // IPv4 unicast prefixes announced by the DUT
	EORs     atomic.Int64
	LastRx   atomic.Int64 // unix nanos of the last UPDATE received
	Notified *wire.Notification
	Err      error
}

// Loadgen plays N peers. Its zero value is not usable: set every field
// but the results.
type Loadgen struct {
	N        int
	ASN      uint32 // the emulated peers' AS
	Hold     uint16
	DUT      netip.AddrPort // where the DUT listens (DUT accepts) ...
	Listen   netip.AddrPort // ... or where we listen (DUT connects); one is valid
	Sessions []*Session

	established atomic.Int64
	done        chan struct{}
	ln          net.Listener
	wg          sync.WaitGroup
}

// Established is how many sessions have reached Established.
func (l *Loadgen) Established() int { return int(l.established.Load()) }

// Start opens (or accepts) the N sessions; it returns at once.
func (l *Loadgen) Start() error {
	RaiseFDLimit()
	l.done = make(chan struct{})
	l.Sessions = make([]*Session, l.N)
	for i := range l.Sessions {
		l.Sessions[i] = &Session{Index: i, Addr: PeerAddr(i), hold: time.Duration(l.Hold) * time.Second}
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
		l.wg.Add(1)
		go l.run(s, c)
	}
}

func (l *Loadgen) dial(s *Session) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: s.Addr.AsSlice()}, Timeout: 30 * time.Second}
	for {
		c, err := d.Dial("tcp4", l.DUT.String())
		if err == nil {
			l.run(s, c)
			return
		}
		s.Err = err
		select {
		case <-l.done:
			l.wg.Done()
			return
		case <-time.After(time.Second):
		}
	}
}

// run speaks BGP on c until it closes or the generator stops.
func (l *Loadgen) run(s *Session, c net.Conn) {
	defer l.wg.Done()
	s.wmu.Lock()
	s.conn = c
	s.wmu.Unlock()
	caps := wire.Capabilities{Families: []wire.Family{wire.IPv4Unicast}, HasASN4: true, ASN4: l.ASN, RouteRefresh: true}
	o := wire.NewOpen(l.ASN, l.Hold, s.Addr, caps)
	s.openAt = time.Now()
	if err := s.write(o.Append(nil)); err != nil {
		s.Err = err
		return
	}
	stopKA := make(chan struct{})
	defer close(stopKA)
	buf := make([]byte, 0, 1<<16)
	tmp := make([]byte, 1<<16)
	upSeen := false
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
				return
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				s.Err = err
			}
			return
		}
	}
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
				s.Up = now
				l.established.Add(1)
				go s.keepalives(stopKA)
			}
		case wire.TypeUpdate:
			s.countUpdate(m.Body(), now)
		case wire.TypeNotification:
			nt := wire.DecodeNotification(m.Body())
			s.Notified = &nt
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
	it := wire.Prefixes(u.NLRI, wire.AFIIPv4, false)
	var k int64
	for it.Next() {
		k++
	}
	s.Prefixes.Add(k)
	s.LastRx.Store(now.UnixNano())
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
