package reactor

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"exago/config"
	"exago/qa/testpeer"
)

// TestHoldTimerReadsFirst is the inject-api bench failure (100 peers, a
// helper announcing 10,000 routes to all of them): while the driver was
// busy applying the helper's commands, the peers' KEEPALIVEs waited in the
// sockets (or, in sync mode, in the reader goroutines waiting for the
// lock), the hold timers came due first, and sessions that were alive got
// a NOTIFICATION 4/0 "Hold timer expired" halfway through the routes.
//
// Here the driver is held (its lock) while the peer's KEEPALIVE arrives
// and the clock passes the hold time; the due timers then run before the
// driver reads. The session must survive: the answer to the next message,
// an unknown type, is the NOTIFICATION 1/3, not 4/0. The clock is fake:
// nothing depends on timing.
func TestHoldTimerReadsFirst(t *testing.T) {
	for _, mode := range []string{"reactor", "sync"} {
		t.Run(mode, func(t *testing.T) { testHoldReadsFirst(t, mode) })
	}
}

func testHoldReadsFirst(t *testing.T, mode string) {
	ln, n, ev := onePeer(t)
	clock := newFakeClock()
	var (
		run     Runner
		lock    sync.Locker
		pending func() bool // the driver's side holds the KEEPALIVE unread
		timers  func()      // run the due timers as the driver does (lock held)
	)
	if mode == "sync" {
		y := NewSync(realFactory(ev), WithClock(clock))
		run, lock = y, y.Locker()
		pending = func() bool { return y.sessions[n.Name].unreadInput() }
		timers = func() { y.fireDue(clock.Now()) }
	} else {
		mu := &sync.Mutex{}
		r, err := New(realFactory(ev), WithClock(clock), WithLock(mu))
		if err != nil {
			t.Fatal(err)
		}
		run, lock = r, mu
		pending = func() bool {
			v, err := unix.IoctlGetInt(r.sessions[n.Name].fd, unix.SIOCINQ)
			return err == nil && v > 0
		}
		timers = r.runTimers
	}
	drive(t, run, []*config.Neighbor{n})
	c := establishOn(t, ln, ev)

	lock.Lock()
	if _, err := c.Write(testpeer.Keepalive()); err != nil {
		lock.Unlock()
		t.Fatal(err)
	}
	// Wait (a condition, not a delay) until the KEEPALIVE is on the
	// driver's side of the connection.
	for deadline := time.Now().Add(waitLong); !pending(); runtime.Gosched() {
		if time.Now().After(deadline) {
			lock.Unlock()
			t.Fatal("the KEEPALIVE never reached the driver's socket")
		}
	}
	clock.Advance(10 * time.Second) // past the 9 s hold time
	timers()
	lock.Unlock()

	if _, err := c.Write(testpeer.UnknownMessage()); err != nil {
		t.Fatal(err)
	}
	for {
		m := readMessage(t, c)
		switch m[18] {
		case 2, 4: // End-of-RIB, KEEPALIVE
			continue
		case 3:
			if m[19] != 1 || m[20] != 3 {
				t.Fatalf("NOTIFICATION %d/%d, want 1/3 (the session must have survived its hold timer)", m[19], m[20])
			}
			return
		default:
			t.Fatalf("unexpected message type %d: % x", m[18], m)
		}
	}
}
