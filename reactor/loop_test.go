package reactor

import (
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"

	"exago/config"
)

const waitLong = 60 * time.Second

type running struct {
	r    *Reactor
	exit chan struct{} // closed when Run returned
	code *int          // set when exit is closed
}

func start(t *testing.T, f Factory, set Settings, ns []*config.Neighbor) *running {
	t.Helper()
	r, err := New(f, WithSettings(set))
	if err != nil {
		t.Fatal(err)
	}
	run := &running{r: r}
	run.exit, run.code = drive(t, r, ns)
	return run
}

// drive runs rn (either driver) on ns in the background and stops it at
// the end of the test; exit is closed when Run returned, *code is then set.
func drive(t *testing.T, rn Runner, ns []*config.Neighbor) (exit chan struct{}, code *int) {
	exit, code = make(chan struct{}), new(int)
	go func() {
		c, err := rn.Run(&config.Config{Neighbors: ns})
		if err != nil {
			t.Errorf("Run: %v", err)
		}
		*code = c
		close(exit)
	}()
	t.Cleanup(func() {
		rn.Stop(0)
		select {
		case <-exit:
		case <-time.After(waitLong):
			t.Errorf("%T did not stop", rn)
		}
	})
	return exit, code
}

// on runs fn on the loop and waits for it.
func (run *running) on(t *testing.T, fn func(r *Reactor)) {
	t.Helper()
	done := make(chan struct{})
	run.r.Post(func(r *Reactor) { fn(r); close(done) })
	select {
	case <-done:
	case <-time.After(waitLong):
		t.Fatal("loop did not run the posted function")
	}
}

func (run *running) port(t *testing.T) uint16 {
	var ls []netip.AddrPort
	run.on(t, func(r *Reactor) { ls = r.Listeners() })
	if len(ls) == 0 {
		t.Fatal("no listener")
	}
	return ls[0].Port()
}

func host(i int) netip.Addr {
	return netip.AddrFrom4([4]byte{127, 0, byte(1 + i/250), byte(1 + i%250)})
}

var loopback = netip.MustParseAddr("127.0.0.1")

// pair builds n passive neighbors on the listening side and the n active
// ones that connect to them from 127.0.x.y.
func pair(n int, port uint16) (passive, active []*config.Neighbor) {
	for i := 0; i < n; i++ {
		h := host(i)
		passive = append(passive, &config.Neighbor{
			Name: "neighbor " + h.String(), PeerAddress: netip.PrefixFrom(h, 32),
			LocalAddress: loopback, Passive: true, HoldTime: 9,
		})
		active = append(active, &config.Neighbor{
			Name: "neighbor " + loopback.String() + " from " + h.String(), PeerAddress: netip.PrefixFrom(loopback, 32),
			LocalAddress: h, Connect: port, HoldTime: 9,
		})
	}
	return passive, active
}

func waitUp(t *testing.T, st *fakeStats, n int) {
	t.Helper()
	deadline := time.After(waitLong)
	for i := 0; i < n; i++ {
		select {
		case <-st.up:
		case <-deadline:
			t.Fatalf("%d of %d sessions established", i, n)
		}
	}
}

func TestSessionsEstablishAndShutdown(t *testing.T) {
	const n = 20
	stB, stA := newFakeStats(), newFakeStats()
	passive, _ := pair(n, 0)
	b := start(t, fakeFactory(stB, 9*time.Second, nil), Settings{Bind: []netip.Addr{loopback}}, passive)
	_, active := pair(n, b.port(t))
	a := start(t, fakeFactory(stA, 9*time.Second, nil), Settings{}, active)
	waitUp(t, stA, n)
	waitUp(t, stB, n)
	a.r.Stop(0)
	select {
	case <-a.exit:
		if *a.code != 0 {
			t.Fatalf("exit %d", *a.code)
		}
	case <-time.After(waitLong):
		t.Fatal("no exit after Stop")
	}
	// Every passive side sees its transport close.
	deadline := time.After(waitLong)
	for i := 0; i < n; i++ {
		select {
		case <-stB.down:
		case <-deadline:
			t.Fatalf("passive side saw %d closes of %d", i, n)
		}
	}
}

func TestUnknownPeerGetsCease(t *testing.T) {
	st := newFakeStats()
	passive, _ := pair(1, 0)
	b := start(t, fakeFactory(st, 9*time.Second, nil), Settings{Bind: []netip.Addr{loopback}}, passive)
	port := b.port(t)
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 9, 9)}, Timeout: waitLong}
	c, err := d.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(waitLong))
	buf := make([]byte, 4096)
	var got []byte
	for {
		k, err := c.Read(buf)
		got = append(got, buf[:k]...)
		if err != nil {
			break
		}
	}
	want := notification(6, 3, "no session configured for the peer")
	if string(got) != string(want) {
		t.Fatalf("got % x\nwant % x", got, want)
	}
}

func TestRangeNeighborMakesPeerPerConnection(t *testing.T) {
	st := newFakeStats()
	rng := &config.Neighbor{Name: "neighbor 127.0.3.0/24", PeerAddress: netip.MustParsePrefix("127.0.3.0/24"),
		LocalAddress: loopback, Passive: true, HoldTime: 9}
	b := start(t, fakeFactory(st, 9*time.Second, nil), Settings{Bind: []netip.Addr{loopback}}, []*config.Neighbor{rng})
	port := b.port(t)
	var active []*config.Neighbor
	for i := 1; i <= 5; i++ {
		h := netip.AddrFrom4([4]byte{127, 0, 3, byte(i)})
		active = append(active, &config.Neighbor{Name: "to b from " + h.String(),
			PeerAddress: netip.PrefixFrom(loopback, 32), LocalAddress: h, Connect: port, HoldTime: 9})
	}
	stA := newFakeStats()
	start(t, fakeFactory(stA, 9*time.Second, nil), Settings{}, active)
	waitUp(t, stA, 5)
	waitUp(t, st, 5)
	var peers int
	b.on(t, func(r *Reactor) { peers = r.Len() })
	if peers != 5 {
		t.Fatalf("range neighbor made %d peers, want 5", peers)
	}
}

func TestAttemptsExit(t *testing.T) {
	// Nothing listens there: each connect fails, the fallback counts
	// attempts, the reactor exits 0 once the peer used its one attempt.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := uint16(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	_, active := pair(1, port)
	r, err := New(fakeFactory(newFakeStats(), 9*time.Second, nil), WithSettings(Settings{Attempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	exit := make(chan int, 1)
	go func() { code, _ := r.Run(&config.Config{Neighbors: active}); exit <- code }()
	select {
	case code := <-exit:
		if code != 0 {
			t.Fatalf("exit %d", code)
		}
	case <-time.After(waitLong):
		r.Stop(1)
		t.Fatal("reactor did not exit after the attempts")
	}
}

// TestPauseRead: a paused peer gets no bytes; once resumed it gets them
// all.
func TestPauseRead(t *testing.T) {
	stA, stB := newFakeStats(), newFakeStats()
	var updates int
	all := make(chan struct{})
	const want = 4 * 16
	stB.onUpdate = func() {
		if updates++; updates == want {
			close(all)
		}
	}
	var paused *fakePeer
	passive, _ := pair(1, 0)
	b := start(t, fakeFactory(stB, 90*time.Second, func(f *fakePeer) { f.pauseUp, paused = true, f }), Settings{Bind: []netip.Addr{loopback}}, passive)
	_, active := pair(1, b.port(t))
	a := start(t, fakeFactory(stA, 90*time.Second, func(f *fakePeer) { f.flood, f.limit = true, 4 }), Settings{}, active)
	waitUp(t, stA, 1)
	waitUp(t, stB, 1)
	a.on(t, func(*Reactor) {}) // A's writes of that turn are done
	b.on(t, func(*Reactor) {
		if updates != 0 {
			t.Errorf("paused peer read %d UPDATEs", updates)
		}
		paused.paused = false
		paused.d.PauseRead(nil, false)
	})
	select {
	case <-all:
	case <-time.After(waitLong):
		t.Fatalf("after resume %d of %d UPDATEs", updates, want)
	}
}

// TestStartDelay: with tcp.delay the peers start at the deadline of the
// injected clock, not before.
func TestStartDelay(t *testing.T) {
	stA, stB := newFakeStats(), newFakeStats()
	passive, _ := pair(1, 0)
	b := start(t, fakeFactory(stB, 9*time.Second, nil), Settings{Bind: []netip.Addr{loopback}}, passive)
	_, active := pair(1, b.port(t))
	clock := newFakeClock()
	r, err := New(fakeFactory(stA, 9*time.Second, nil), WithClock(clock),
		WithSettings(Settings{StartAt: clock.Now().Add(time.Minute)}))
	if err != nil {
		t.Fatal(err)
	}
	run := &running{r: r}
	run.exit, run.code = drive(t, r, active)
	run.on(t, func(r *Reactor) {
		if r.Len() != 0 {
			t.Errorf("%d peers started before tcp.delay", r.Len())
		}
	})
	clock.Advance(61 * time.Second)
	r.Wake()
	waitUp(t, stA, 1)
}

// TestHangupWhilePaused: the sender closes while the receiver is paused;
// once resumed the receiver still gets every message, then the close.
func TestHangupWhilePaused(t *testing.T) {
	stA, stB := newFakeStats(), newFakeStats()
	var updates int
	all := make(chan struct{})
	const want = 4 * 16
	stB.onUpdate = func() {
		if updates++; updates == want {
			close(all)
		}
	}
	var paused *fakePeer
	passive, _ := pair(1, 0)
	b := start(t, fakeFactory(stB, 90*time.Second, func(f *fakePeer) { f.pauseUp, paused = true, f }), Settings{Bind: []netip.Addr{loopback}}, passive)
	_, active := pair(1, b.port(t))
	a := start(t, fakeFactory(stA, 90*time.Second, func(f *fakePeer) { f.flood, f.limit = true, 4 }), Settings{}, active)
	waitUp(t, stA, 1)
	waitUp(t, stB, 1)
	a.r.Stop(0)
	<-a.exit
	b.on(t, func(*Reactor) {
		paused.paused = false
		paused.d.PauseRead(nil, false)
	})
	select {
	case <-all:
	case <-time.After(waitLong):
		t.Fatalf("after resume %d of %d UPDATEs", updates, want)
	}
	select {
	case <-stB.down:
	case <-time.After(waitLong):
		t.Fatal("the close was not reported after the data")
	}
}

// TestListenersOnlyWhereConfigured: no tcp.bind and no `listen` means no
// listening socket at all (ExaBGP's default); a neighbor's `listen` opens
// one at its local address.
func TestListenersOnlyWhereConfigured(t *testing.T) {
	none := start(t, fakeFactory(newFakeStats(), 9*time.Second, nil), Settings{}, []*config.Neighbor{{
		Name: "n", PeerAddress: netip.MustParsePrefix("127.0.6.1/32"), LocalAddress: loopback, Passive: true}})
	none.on(t, func(r *Reactor) {
		if ls := r.Listeners(); len(ls) != 0 {
			t.Errorf("listening on %v without tcp.bind or listen", ls)
		}
	})
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := uint16(free.Addr().(*net.TCPAddr).Port)
	free.Close()
	one := start(t, fakeFactory(newFakeStats(), 9*time.Second, nil), Settings{}, []*config.Neighbor{{
		Name: "n", PeerAddress: netip.MustParsePrefix("127.0.6.1/32"), LocalAddress: loopback, Passive: true, Listen: port}})
	one.on(t, func(r *Reactor) {
		ls := r.Listeners()
		if len(ls) != 1 || ls[0] != netip.AddrPortFrom(loopback, port) {
			t.Errorf("listeners %v, want 127.0.0.1:%d", ls, port)
		}
	})
}
