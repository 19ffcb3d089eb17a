package reactor

// Socket set-up through golang.org/x/sys/unix (ExaBGP reactor/network/tcp.py):
// every socket is created non-blocking and close-on-exec; outgoing sockets
// get SO_REUSEADDR/SO_REUSEPORT, SO_BINDTODEVICE (source-interface), a bind
// to the local address (IP_BIND_ADDRESS_NO_PORT: the port comes at connect), TCP_MD5SIG (RFC 2385), IP_TTL/IPV6_UNICAST_HOPS
// (outgoing-ttl) and TCP_NODELAY before the connect; listening sockets get
// SO_REUSEADDR, IPV6_V6ONLY, TCP_MD5SIG per neighbor and IP_MINTTL
// (incoming-ttl, RFC 5082 GTSM).

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"unsafe"

	"golang.org/x/sys/unix"
)

// listenBacklog is the listen(2) backlog. ExaBGP uses 200, which is not
// observable behaviour; with thousands of peers connecting at once a
// backlog of 200 overflows, SYNs are dropped and clients wait for their
// retransmission (1 s, 3 s, ...). 4096 is Linux's SOMAXCONN since 5.4;
// the kernel caps it at net.core.somaxconn.
const listenBacklog = 4096

// SocketOptions are the per-neighbor settings applied to a socket.
type SocketOptions struct {
	Local       netip.Addr // bind address; invalid = any
	Interface   string     // SO_BINDTODEVICE
	MD5Password string
	MD5Base64   string // "true", "false", "auto" (ExaBGP md5-base64)
	OutgoingTTL int
	IncomingTTL int
}

func sockaddr(ap netip.AddrPort) unix.Sockaddr {
	a := ap.Addr()
	if a.Is4() || a.Is4In6() {
		return &unix.SockaddrInet4{Port: int(ap.Port()), Addr: a.Unmap().As4()}
	}
	return &unix.SockaddrInet6{Port: int(ap.Port()), Addr: a.As16()}
}

func addrPortOf(sa unix.Sockaddr) netip.AddrPort {
	switch s := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(s.Addr), uint16(s.Port))
	case *unix.SockaddrInet6:
		return netip.AddrPortFrom(netip.AddrFrom16(s.Addr).Unmap(), uint16(s.Port))
	}
	return netip.AddrPort{}
}

func domainOf(a netip.Addr) int {
	if a.Is4() || a.Is4In6() {
		return unix.AF_INET
	}
	return unix.AF_INET6
}

func newSocket(remote netip.Addr) (int, error) {
	fd, err := unix.Socket(domainOf(remote), unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, unix.IPPROTO_TCP)
	if err != nil {
		return -1, fmt.Errorf("could not create socket: %w", err)
	}
	return fd, nil
}

// dial starts a non-blocking connect to remote; it returns the socket, and
// done is true when the connect completed at once (loopback may).
func dial(remote netip.AddrPort, o SocketOptions) (fd int, done bool, err error) {
	fd, err = newSocket(remote.Addr())
	if err != nil {
		return -1, false, err
	}
	if err = prepareOutgoing(fd, remote.Addr(), o); err != nil {
		unix.Close(fd)
		return -1, false, err
	}
	err = unix.Connect(fd, sockaddr(remote))
	switch {
	case err == nil:
		return fd, true, nil
	case errors.Is(err, unix.EINPROGRESS), errors.Is(err, unix.EINTR):
		return fd, false, nil
	}
	unix.Close(fd)
	if o.MD5Password != "" {
		return -1, false, fmt.Errorf("could not connect to peer %s, check your MD5 password (%w)", remote, err)
	}
	return -1, false, fmt.Errorf("could not connect to peer %s (%w)", remote, err)
}

func prepareOutgoing(fd int, remote netip.Addr, o SocketOptions) error {
	_ = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1)
	_ = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEPORT, 1)
	if o.Interface != "" {
		if err := unix.SetsockoptString(fd, unix.SOL_SOCKET, unix.SO_BINDTODEVICE, o.Interface); err != nil {
			return fmt.Errorf("could not bind to device %s: %w", o.Interface, err)
		}
	}
	if o.Local.IsValid() {
		// Bind the address only: the port is picked at connect time from
		// the whole 4-tuple. Without it, bind(port 0) searches the
		// ephemeral range for a port free on the local address, which gets
		// slower with every socket already bound there (milliseconds each
		// with 10,000 peers: seconds of the loop spent in bind).
		_ = unix.SetsockoptInt(fd, unix.IPPROTO_IP, unix.IP_BIND_ADDRESS_NO_PORT, 1)
		if err := unix.Bind(fd, sockaddr(netip.AddrPortFrom(o.Local, 0))); err != nil {
			return fmt.Errorf("could not bind to local ip %s - %w", o.Local, err)
		}
	}
	if err := setMD5(fd, netip.PrefixFrom(remote, remote.BitLen()), o.MD5Password, o.MD5Base64); err != nil {
		return err
	}
	if err := setTTL(fd, remote, o.OutgoingTTL); err != nil {
		return err
	}
	_ = unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
	return nil
}

func setTTL(fd int, remote netip.Addr, ttl int) error {
	if ttl <= 0 {
		return nil
	}
	var err error
	if domainOf(remote) == unix.AF_INET {
		err = unix.SetsockoptInt(fd, unix.IPPROTO_IP, unix.IP_TTL, ttl)
	} else {
		err = unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_UNICAST_HOPS, ttl)
	}
	if err != nil {
		return fmt.Errorf("could not set TTL %d towards %s: %w", ttl, remote, err)
	}
	return nil
}

// setMinTTL applies incoming-ttl (RFC 5082 GTSM) on a listening socket:
// IP_MINTTL plus IP_TTL as ExaBGP does, IPV6_MINHOPCOUNT for IPv6.
func setMinTTL(fd int, v6 bool, ttl int) error {
	if ttl <= 0 {
		return nil
	}
	var err error
	if v6 {
		err = unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_MINHOPCOUNT, ttl)
	} else if err = unix.SetsockoptInt(fd, unix.IPPROTO_IP, unix.IP_MINTTL, ttl); err == nil {
		err = unix.SetsockoptInt(fd, unix.IPPROTO_IP, unix.IP_TTL, ttl)
	}
	if err != nil {
		return fmt.Errorf("this OS does not support IP_MINTTL (ttl-security) (%w)", err)
	}
	return nil
}

// hexOnly matches what ExaBGP's md5-base64 auto mode may decode.
var hexOnly = regexp.MustCompile(`^[a-f0-9]*$`)

// md5Key returns the TCP_MD5SIG key bytes for an md5-password.
func md5Key(password, b64 string) ([]byte, error) {
	if password == "" {
		return nil, nil
	}
	var key []byte
	switch b64 {
	case "true":
		k, err := base64.StdEncoding.DecodeString(password)
		if err != nil {
			return nil, fmt.Errorf("failed to decode base 64 encoded PSK: %w", err)
		}
		key = k
	case "auto":
		if hexOnly.MatchString(password) {
			for _, c := range []string{password + "==", password + "=", password} {
				if k, err := base64.StdEncoding.DecodeString(c); err == nil {
					key = k
					break
				}
			}
		}
	}
	if key == nil {
		key = []byte(password)
	}
	if len(key) > unix.TCP_MD5SIG_MAXKEYLEN {
		return nil, fmt.Errorf("md5 key is %d bytes, at most %d allowed", len(key), unix.TCP_MD5SIG_MAXKEYLEN)
	}
	return key, nil
}

// setMD5 installs an RFC 2385 key for the peers in pfx (a host prefix, or
// a range on a listening socket through TCP_MD5SIG_EXT).
func setMD5(fd int, pfx netip.Prefix, password, b64 string) error {
	key, err := md5Key(password, b64)
	if err != nil || key == nil {
		return err
	}
	var sig unix.TCPMD5Sig
	putSockaddrStorage(&sig.Addr, pfx.Addr())
	sig.Keylen = uint16(len(key))
	copy(sig.Key[:], key)
	opt := unix.TCP_MD5SIG
	if pfx.Bits() < pfx.Addr().BitLen() {
		opt = unix.TCP_MD5SIG_EXT
		sig.Flags = unix.TCP_MD5SIG_FLAG_PREFIX
		sig.Prefixlen = uint8(pfx.Bits())
	}
	if err := unix.SetsockoptTCPMD5Sig(fd, unix.IPPROTO_TCP, opt, &sig); err != nil {
		return fmt.Errorf("this linux machine does not support TCP_MD5SIG, you can not use MD5 (%w)", err)
	}
	return nil
}

func putSockaddrStorage(ss *unix.SockaddrStorage, a netip.Addr) {
	if a.Is4() || a.Is4In6() {
		sa := (*unix.RawSockaddrInet4)(unsafe.Pointer(ss))
		sa.Family = unix.AF_INET
		sa.Addr = a.Unmap().As4()
		return
	}
	sa := (*unix.RawSockaddrInet6)(unsafe.Pointer(ss))
	sa.Family = unix.AF_INET6
	sa.Addr = a.As16()
}

// listenSocket binds a listening socket at local (ExaBGP reactor/listener.py).
func listenSocket(local netip.AddrPort, minTTL int) (int, error) {
	fd, err := newSocket(local.Addr())
	if err != nil {
		return -1, err
	}
	v6 := domainOf(local.Addr()) == unix.AF_INET6
	_ = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1)
	if v6 {
		_ = unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, 1)
	}
	if err = setMinTTL(fd, v6, minTTL); err == nil {
		if err = unix.Bind(fd, sockaddr(local)); err == nil {
			err = unix.Listen(fd, listenBacklog)
		}
	}
	if err != nil {
		unix.Close(fd)
		return -1, fmt.Errorf("could not listen on %s: %w", local, err)
	}
	return fd, nil
}

// connectResult reads the outcome of a non-blocking connect (SO_ERROR).
func connectResult(fd int) error {
	v, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
	if err != nil {
		return err
	}
	if v != 0 {
		return unix.Errno(v)
	}
	return nil
}

// endpoints returns the local and remote address of a connected socket.
func endpoints(fd int) (local, remote netip.AddrPort, err error) {
	ls, err := unix.Getsockname(fd)
	if err != nil {
		return local, remote, err
	}
	rs, err := unix.Getpeername(fd)
	if err != nil {
		return local, remote, err
	}
	return addrPortOf(ls), addrPortOf(rs), nil
}
