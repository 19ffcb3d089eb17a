package reactor

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestBufPool(t *testing.T) {
	p := bufPool{size: 64}
	a := p.get()
	if len(a) != 0 || cap(a) != 64 {
		t.Fatalf("get: len %d cap %d", len(a), cap(a))
	}
	p.put(append(a, 1, 2, 3))
	if b := p.get(); len(b) != 0 || &b[:1][0] != &a[:1][0] {
		t.Fatal("the spare buffer was not reused, empty")
	}
	p.put(make([]byte, 0, 32)) // wrong size: dropped
	for range spareBuffers + 2 {
		p.put(make([]byte, 0, 64))
	}
	if len(p.free) != spareBuffers {
		t.Fatalf("%d spares, want %d", len(p.free), spareBuffers)
	}
	tx := bufPool{}
	tx.put(make([]byte, 0, maxSpare+1)) // too big to keep
	if len(tx.free) != 0 {
		t.Fatal("an oversized transmit buffer was kept")
	}
	tx.put(make([]byte, 10, 100))
	if b := tx.get(); len(b) != 0 || cap(b) != 100 {
		t.Fatalf("tx get: len %d cap %d", len(b), cap(b))
	}
}

// TestIdleSessionsHoldNoBuffers checks the lending rule of [bufPool]
// (GitHub issue 7): once established and idle, a session keeps a receive
// or transmit buffer only while it holds unconsumed or unwritten bytes.
func TestIdleSessionsHoldNoBuffers(t *testing.T) {
	const n = 20
	stB, stA := newFakeStats(), newFakeStats()
	passive, _ := pair(n, 0)
	b := start(t, fakeFactory(stB, 9*time.Second, nil), Settings{Bind: []netip.Addr{loopback}}, passive)
	_, active := pair(n, b.port(t))
	a := start(t, fakeFactory(stA, 9*time.Second, nil), Settings{}, active)
	waitUp(t, stA, n)
	waitUp(t, stB, n)
	for _, run := range []*running{a, b} {
		run.on(t, func(r *Reactor) {
			if len(r.sessions) != n {
				t.Errorf("%d sessions, want %d", len(r.sessions), n)
			}
			for name, s := range r.sessions {
				if s.rx != nil && len(s.rx) == 0 {
					t.Errorf("%s keeps an empty receive buffer", name)
				}
				if s.tx != nil && s.txOff >= len(s.tx) {
					t.Errorf("%s keeps a written-out transmit buffer", name)
				}
			}
			if len(r.rxPool.free) > spareBuffers || len(r.txPool.free) > spareBuffers {
				t.Errorf("pools hold %d and %d spares", len(r.rxPool.free), len(r.txPool.free))
			}
		})
	}
}

// framer is a Machine that consumes complete BGP-framed messages and
// keeps copies of them.
type framer struct {
	fakePeer
	got [][]byte
}

func (f *framer) OnRead(_ time.Time, b []byte) int {
	used := 0
	for len(b)-used >= 19 {
		l := int(binary.BigEndian.Uint16(b[used+16:]))
		if len(b)-used < l {
			break
		}
		f.got = append(f.got, bytes.Clone(b[used:used+l]))
		used += l
	}
	return used
}

func framed(l int, fill byte) []byte {
	m := bytes.Repeat([]byte{fill}, l)
	binary.BigEndian.PutUint16(m[16:], uint16(l))
	return m
}

// TestPartialMessageParks checks what a session keeps between reads: a
// partial message of at most remSize bytes moves to a small buffer, a
// larger one keeps the receive buffer, and nothing is kept once the
// message is complete.
func TestPartialMessageParks(t *testing.T) {
	r, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.poll.close()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fds[1])
	f := &framer{}
	s := &session{r: r, fd: fds[0], m: f}
	defer s.closeFD()
	now := time.Now()
	send := func(b []byte) {
		t.Helper()
		if n, err := unix.Write(fds[1], b); err != nil || n != len(b) {
			t.Fatalf("write: %d, %v", n, err)
		}
		s.read(now)
	}
	small, big := framed(100, 'a'), framed(5000, 'b')
	send(small[:50])
	if len(s.rx) != 50 || cap(s.rx) != remSize {
		t.Fatalf("partial 50 bytes: len %d cap %d, want a remSize buffer", len(s.rx), cap(s.rx))
	}
	send(append(small[50:], framed(19, 'k')...))
	if s.rx != nil || len(f.got) != 2 || !bytes.Equal(f.got[0], small) {
		t.Fatalf("after completion: rx %d/%d, %d messages", len(s.rx), cap(s.rx), len(f.got))
	}
	send(big[:4500])
	if len(s.rx) != 4500 || cap(s.rx) != rxSize {
		t.Fatalf("partial 4500 bytes: len %d cap %d, want the receive buffer", len(s.rx), cap(s.rx))
	}
	send(big[4500:])
	if s.rx != nil || len(f.got) != 3 || !bytes.Equal(f.got[2], big) {
		t.Fatalf("after completion: rx %d/%d, %d messages", len(s.rx), cap(s.rx), len(f.got))
	}
	if len(r.rxPool.free) != 1 || len(r.remPool.free) != 1 {
		t.Fatalf("spares: %d receive, %d small", len(r.rxPool.free), len(r.remPool.free))
	}
}
