package reactor

import (
	"errors"
	"net/netip"
	"time"

	"golang.org/x/sys/unix"

	"exago/config"
)

// listener is one listening socket (ExaBGP reactor/listener.py).
type listener struct {
	fd   int
	addr netip.AddrPort
}

// acceptBudget bounds the connections accepted per listener per turn.
const acceptBudget = 64

// listenSpec is one listening socket to open and the MD5 keys it needs.
type listenSpec struct {
	addr   netip.AddrPort
	minTTL int
	keys   []*config.Neighbor // neighbors whose MD5 key goes on the socket
}

// listenSpecs are the listeners ExaBGP opens: each tcp.bind address at
// tcp.port (with the MD5 key of each neighbor of the same family), and
// each neighbor with `listen` at md5-ip (else local-address) with its MD5
// key and incoming-ttl. Nothing else listens.
func listenSpecs(set Settings, cfg *config.Config) []*listenSpec {
	var specs []*listenSpec
	at := func(ap netip.AddrPort) *listenSpec {
		for _, l := range specs {
			if l.addr == ap {
				return l
			}
		}
		l := &listenSpec{addr: ap}
		specs = append(specs, l)
		return l
	}
	for _, ip := range set.Bind {
		l := at(netip.AddrPortFrom(ip, set.Port))
		for _, n := range cfg.Neighbors {
			if n.PeerAddress.Addr().Is4() == ip.Unmap().Is4() && n.MD5Password != "" {
				l.keys = append(l.keys, n)
			}
		}
	}
	for _, n := range cfg.Neighbors {
		if n.Listen == 0 {
			continue
		}
		ip := n.MD5IP
		if !ip.IsValid() {
			ip = n.LocalAddress
		}
		if !ip.IsValid() {
			ip = netip.IPv4Unspecified()
			if n.PeerAddress.Addr().Is6() {
				ip = netip.IPv6Unspecified()
			}
		}
		l := at(netip.AddrPortFrom(ip, n.Listen))
		l.minTTL = max(l.minTTL, n.IncomingTTL)
		if n.MD5Password != "" {
			l.keys = append(l.keys, n)
		}
	}
	return specs
}

// configure applies the spec's MD5 keys and minimum TTL to fd.
func (l *listenSpec) configure(fd int) error {
	if err := setMinTTL(fd, l.addr.Addr().Is6() && !l.addr.Addr().Is4In6(), l.minTTL); err != nil {
		return err
	}
	for _, n := range l.keys {
		if err := setMD5(fd, n.PeerAddress, n.MD5Password, n.MD5Base64); err != nil {
			return err
		}
	}
	return nil
}

// open creates the listening socket of the spec.
func (l *listenSpec) open() (int, error) {
	fd, err := listenSocket(l.addr, l.minTTL)
	if err != nil {
		return -1, err
	}
	if err := l.configure(fd); err != nil {
		unix.Close(fd)
		return -1, err
	}
	return fd, nil
}

// listen opens the listeners of cfg not open yet; existing ones get the
// new MD5 keys (reload).
func (r *Reactor) listen(cfg *config.Config) error {
next:
	for _, spec := range listenSpecs(r.set, cfg) {
		for _, l := range r.listeners {
			if l.addr == spec.addr {
				if err := spec.configure(l.fd); err != nil {
					return err
				}
				continue next
			}
		}
		fd, err := spec.open()
		if err != nil {
			r.log.Error().Err(err).Msgf("can not bind to %s", spec.addr)
			return err
		}
		l := &listener{fd: fd, addr: spec.addr}
		if err := r.register(fd, endpoint{lst: l}, unix.EPOLLIN); err != nil {
			unix.Close(fd)
			return err
		}
		r.listeners = append(r.listeners, l)
		r.log.Debug().Msgf("listening for BGP session(s) on %s", spec.addr)
	}
	return nil
}

// Listeners returns the addresses listened on (loop goroutine, or after
// Run returned; tests use it to learn ports picked by the kernel).
func (r *Reactor) Listeners() []netip.AddrPort {
	out := make([]netip.AddrPort, 0, len(r.listeners))
	for _, l := range r.listeners {
		sa, err := unix.Getsockname(l.fd)
		if err != nil {
			continue
		}
		out = append(out, addrPortOf(sa))
	}
	return out
}

func (r *Reactor) closeListeners() {
	for _, l := range r.listeners {
		r.unregister(l.fd)
		unix.Close(l.fd)
	}
	r.listeners = nil
}

// accept takes the pending connections of l.
func (r *Reactor) accept(l *listener) {
	for i := 0; i < acceptBudget; i++ {
		fd, sa, err := unix.Accept4(l.fd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
		if err != nil {
			if !errors.Is(err, unix.EAGAIN) && !errors.Is(err, unix.EINTR) && !errors.Is(err, unix.ECONNABORTED) {
				r.log.Error().Err(err).Msgf("accept on %s", l.addr)
			}
			return
		}
		remote := addrPortOf(sa)
		ls, err := unix.Getsockname(fd)
		if err != nil {
			unix.Close(fd)
			continue
		}
		_ = unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
		r.incoming(r.clock.Now(), fd, addrPortOf(ls), remote)
	}
}

// incoming hands an accepted connection to the neighbor it comes from
// (ExaBGP Listener.new_connections): a configured peer first, else a new
// per-connection peer of the one matching passive range; none → Cease 6/3,
// several ranges → Cease 6/5.
func (r *Reactor) incoming(now time.Time, fd int, local, remote netip.AddrPort) {
	if r.stopping {
		unix.Close(fd)
		return
	}
	for _, s := range r.byAddr.at(remote.Addr()) {
		if matches(s.n, local, remote) {
			s.incoming(now, fd, local, remote)
			return
		}
	}
	var hits []*config.Neighbor
	for _, n := range r.ranges {
		if matches(n, local, remote) {
			hits = append(hits, n)
		}
	}
	switch len(hits) {
	case 0:
		r.log.Debug().Stringer("connection", remote).Msg("no session configured for the peer")
		refuse(fd, codeCease, 3, "no session configured for the peer")
		return
	case 1:
	default:
		r.log.Debug().Stringer("connection", remote).Msg("could not accept connection (more than one neighbor match)")
		refuse(fd, codeCease, 5, "could not accept the connection (more than one neighbor match)")
		return
	}
	s := r.newSession(rangePeer(hits[0], local, remote))
	s.dynamic = true
	r.dynamic[s] = struct{}{}
	s.m.Start(now)
	s.incoming(now, fd, local, remote)
	if s.fd != fd {
		s.retire()
	}
}

// rangePeer is the neighbor of one connection to a passive range
// neighbor (ExaBGP copies the neighbor with the connection's addresses).
func rangePeer(rng *config.Neighbor, local, remote netip.AddrPort) *config.Neighbor {
	n := *rng
	n.PeerAddress = netip.PrefixFrom(remote.Addr(), remote.Addr().BitLen())
	n.LocalAddress, n.LocalAuto = local.Addr(), false
	if !n.RouterID.IsValid() && local.Addr().Is4() {
		n.RouterID = local.Addr()
	}
	n.Name = rng.Name + " " + remote.Addr().String()
	return &n
}

// matches tells whether a connection from remote to local belongs to n:
// the remote address is n's peer address (or in its range) and local is
// n's local-address unless that is auto.
func matches(n *config.Neighbor, local, remote netip.AddrPort) bool {
	if !n.PeerAddress.Contains(remote.Addr()) {
		return false
	}
	return !n.LocalAddress.IsValid() || n.LocalAuto || n.LocalAddress == local.Addr()
}

// incoming offers an accepted socket to the session's Machine.
func (s *session) incoming(now time.Time, fd int, local, remote netip.AddrPort) {
	ok, notify := s.m.OnIncoming(now, local, remote)
	if !ok {
		if len(notify) > 0 {
			_, _ = unix.Write(fd, notify)
		}
		unix.Close(fd)
		return
	}
	if s.fd >= 0 {
		s.closeFD() // RFC 4271 §6.8: the incoming connection wins
	}
	if err := s.r.register(fd, endpoint{sess: s}, unix.EPOLLIN|unix.EPOLLRDHUP); err != nil {
		unix.Close(fd)
		s.m.OnClosed(now, err)
		return
	}
	s.fd, s.connecting, s.events = fd, false, unix.EPOLLIN|unix.EPOLLRDHUP
	s.attempts++
	s.resetBuffers()
	s.wantWrite = true // what OnIncoming queued (a Pull with nothing is harmless)
	s.interest()
	s.r.queue(s)
}

// refuse sends a NOTIFICATION (best effort, never waiting) and closes.
func refuse(fd int, code, subcode uint8, text string) {
	_, _ = unix.Write(fd, notification(code, subcode, text))
	unix.Close(fd)
}

// codeCease is NOTIFICATION error code 6 (RFC 4486).
const codeCease = 6

// notification builds a NOTIFICATION message (RFC 4271 §4.5) with text
// data, as ExaBGP sends when refusing a connection.
func notification(code, subcode uint8, text string) []byte {
	l := 19 + 2 + len(text)
	m := make([]byte, 0, l)
	for range 16 {
		m = append(m, 0xff)
	}
	m = append(m, byte(l>>8), byte(l), 3, code, subcode)
	return append(m, text...)
}
