package reactor

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"
)

func TestMD5Key(t *testing.T) {
	for _, c := range []struct {
		pw, b64 string
		want    []byte
		err     bool
	}{
		{"secret", "false", []byte("secret"), false},
		{"c2VjcmV0", "true", []byte("secret"), false},
		{"not base64!", "true", nil, true},
		{"abcd", "auto", []byte{0x69, 0xb7, 0x1d}, false}, // looks like hex: decoded as base64
		{"Secret", "auto", []byte("Secret"), false},       // not [a-f0-9]: kept
		{"", "false", nil, false},                         // no key
		{string(make([]byte, 81)), "false", nil, true},    // too long
	} {
		got, err := md5Key(c.pw, c.b64)
		if (err != nil) != c.err || !bytes.Equal(got, c.want) {
			t.Errorf("md5Key(%q, %s) = %x, %v; want %x (error %v)", c.pw, c.b64, got, err, c.want, c.err)
		}
	}
}

// TestSocketOptions: a listener with IP_MINTTL and an MD5 key, and an
// outgoing socket with IP_TTL, bind and MD5, connected over loopback.
func TestSocketOptions(t *testing.T) {
	lfd, err := listenSocket(netip.MustParseAddrPort("127.0.0.1:0"), 255)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(lfd)
	if v, _ := unix.GetsockoptInt(lfd, unix.IPPROTO_IP, unix.IP_MINTTL); v != 255 {
		t.Errorf("IP_MINTTL = %d, want 255", v)
	}
	if err := setMD5(lfd, netip.MustParsePrefix("127.0.5.1/32"), "secret", "false"); err != nil {
		if errors.Is(err, unix.ENOPROTOOPT) || errors.Is(err, unix.EPERM) {
			t.Skipf("no TCP_MD5SIG here: %v", err)
		}
		t.Fatal(err)
	}
	sa, _ := unix.Getsockname(lfd)
	remote := addrPortOf(sa)
	fd, _, err := dial(remote, SocketOptions{Local: netip.MustParseAddr("127.0.5.1"), MD5Password: "secret", MD5Base64: "false", OutgoingTTL: 255})
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	if v, _ := unix.GetsockoptInt(fd, unix.IPPROTO_IP, unix.IP_TTL); v != 255 {
		t.Errorf("IP_TTL = %d, want 255", v)
	}
	// Wait for the connect (blocking poll in the test only).
	pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLOUT}}
	if _, err := unix.Poll(pfd, 10000); err != nil {
		t.Fatal(err)
	}
	if err := connectResult(fd); err != nil {
		t.Fatalf("connect with MD5 on both ends: %v", err)
	}
	local, _, err := endpoints(fd)
	if err != nil || local.Addr() != netip.MustParseAddr("127.0.5.1") {
		t.Fatalf("local end %v (%v), want 127.0.5.1", local, err)
	}
}

func TestDialRefusedIsReported(t *testing.T) {
	lfd, err := listenSocket(netip.MustParseAddrPort("127.0.0.1:0"), 0)
	if err != nil {
		t.Fatal(err)
	}
	sa, _ := unix.Getsockname(lfd)
	unix.Close(lfd) // nothing listens there any more
	fd, done, err := dial(addrPortOf(sa), SocketOptions{})
	if err != nil {
		return // refused at once
	}
	defer unix.Close(fd)
	if !done {
		pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLOUT}}
		_, _ = unix.Poll(pfd, 10000)
	}
	if err := connectResult(fd); !errors.Is(err, unix.ECONNREFUSED) {
		t.Fatalf("connect result %v, want ECONNREFUSED", err)
	}
}
