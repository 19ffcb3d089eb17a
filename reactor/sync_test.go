package reactor

import (
	"net/netip"
	"testing"
	"time"

	"exago/config"
)

type syncRunning struct {
	y    *Sync
	exit chan struct{}
	code *int
}

func startSync(t *testing.T, f Factory, set Settings, ns []*config.Neighbor) *syncRunning {
	t.Helper()
	y := NewSync(f, WithSettings(set))
	run := &syncRunning{y: y}
	run.exit, run.code = drive(t, y, ns)
	select {
	case <-y.Ready():
	case <-run.exit:
		t.Fatal("Run returned early")
	}
	return run
}

func TestSyncFakePeers(t *testing.T) {
	const n = 20
	stA, stB := newFakeStats(), newFakeStats()
	passive, _ := pair(n, 0)
	b := startSync(t, fakeFactory(stB, 9*time.Second, nil), Settings{Bind: []netip.Addr{loopback}}, passive)
	_, active := pair(n, b.y.Listeners()[0].Port())
	a := startSync(t, fakeFactory(stA, 9*time.Second, nil), Settings{}, active)
	waitUp(t, stA, n)
	waitUp(t, stB, n)
	a.y.Stop(0)
	<-a.exit
	deadline := time.After(waitLong)
	for i := 0; i < n; i++ {
		select {
		case <-stB.down:
		case <-deadline:
			t.Fatalf("passive side saw %d closes of %d", i, n)
		}
	}
}

// TestSyncAgainstReactor runs package peer in sync mode against the
// reactor: same sessions, same Cease on shutdown.
func TestSyncAgainstReactor(t *testing.T) {
	const n = 10
	evA := upEvents{up: make(chan string, 4*n), down: make(chan string, 4*n)}
	evB := upEvents{up: make(chan string, 4*n), down: make(chan string, 4*n)}
	passive, _ := pair(n, 0)
	realNeighbors(passive, 1)
	b := start(t, realFactory(evB), Settings{Bind: []netip.Addr{loopback}}, passive)
	_, active := pair(n, b.port(t))
	realNeighbors(active, 2)
	a := startSync(t, realFactory(evA), Settings{}, active)
	deadline := time.After(waitLong)
	for i := 0; i < 2*n; i++ {
		select {
		case <-evA.up:
		case <-evB.up:
		case r := <-evA.down:
			t.Fatalf("sync session down: %s", r)
		case r := <-evB.down:
			t.Fatalf("reactor session down: %s", r)
		case <-deadline:
			t.Fatalf("%d of %d session ends up", i, 2*n)
		}
	}
	a.y.Stop(0)
	<-a.exit
	for i := 0; i < n; i++ {
		select {
		case r := <-evB.down:
			if r != "notification received (6,3)" {
				t.Errorf("reactor side down reason %q, want the Cease", r)
			}
		case <-time.After(waitLong):
			t.Fatalf("%d of %d sessions saw the shutdown", i, n)
		}
	}
}

// TestSyncPauseRead: in sync mode a paused peer's reader waits; once
// resumed the peer gets every message, buffered ones included.
func TestSyncPauseRead(t *testing.T) {
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
	b := startSync(t, fakeFactory(stB, 90*time.Second, func(f *fakePeer) { f.pauseUp, paused = true, f }), Settings{Bind: []netip.Addr{loopback}}, passive)
	_, active := pair(1, b.y.Listeners()[0].Port())
	startSync(t, fakeFactory(stA, 90*time.Second, func(f *fakePeer) { f.flood, f.limit = true, 4 }), Settings{}, active)
	waitUp(t, stA, 1)
	waitUp(t, stB, 1)
	l := b.y.Locker()
	l.Lock()
	paused.paused = false
	paused.d.PauseRead(nil, false)
	l.Unlock()
	select {
	case <-all:
	case <-time.After(waitLong):
		l.Lock()
		defer l.Unlock()
		t.Fatalf("after resume %d of %d UPDATEs", updates, want)
	}
}

// TestSyncPeersBeforeHelpers: when the helpers start (the started hook),
// every configured peer already exists, so a helper's first commands find
// it; no peer has started yet (as in reactor mode, where the loop reads no
// helper before the peers are created).
func TestSyncPeersBeforeHelpers(t *testing.T) {
	const n = 5
	st := newFakeStats()
	_, active := pair(n, 1) // nobody listens on port 1: the peers only try
	var y *Sync
	seen, startedCh := -1, make(chan struct{})
	y = NewSync(fakeFactory(st, 9*time.Second, nil), WithStarted(func() error {
		y.Locker().Lock()
		defer y.Locker().Unlock()
		seen = 0
		y.Each(func(*config.Neighbor, Machine) { seen++ })
		close(startedCh)
		return nil
	}))
	exit, _ := drive(t, y, active)
	select {
	case <-startedCh:
	case <-exit:
		t.Fatal("Run returned early")
	}
	if seen != n {
		t.Fatalf("started hook saw %d peers, want %d", seen, n)
	}
	y.Stop(0)
	<-exit
}
