package reactor

import (
	"net/netip"
	"testing"
	"time"

	"exago/config"
	"exago/peer"
)

// upEvents reports each session coming up or going down.
type upEvents struct {
	peer.NopEvents
	up, down chan string
}

func (e upEvents) State(p *peer.Peer, change, reason string) {
	switch change {
	case peer.ChangeUp:
		e.up <- p.Neighbor().Name
	case peer.ChangeDown:
		e.down <- reason
	}
}

func realFactory(ev upEvents) Factory {
	return func(n *config.Neighbor, d peer.Driver) Machine {
		return peer.New(n, d, peer.Options{Events: ev})
	}
}

func realNeighbors(ns []*config.Neighbor, id byte) {
	for i, n := range ns {
		n.LocalAS = config.ASN{Value: 65000}
		n.PeerAS = config.ASN{Value: 65000}
		n.RouterID = netip.AddrFrom4([4]byte{10, id, byte(i >> 8), byte(i + 1)})
		n.Capability.ASN4 = true
		n.Capability.GracefulRestart = -1
	}
}

// TestRealPeersEstablish drives package peer's FSM on both ends.
func TestRealPeersEstablish(t *testing.T) {
	const n = 10
	evA := upEvents{up: make(chan string, 4*n), down: make(chan string, 4*n)}
	evB := upEvents{up: make(chan string, 4*n), down: make(chan string, 4*n)}
	passive, _ := pair(n, 0)
	realNeighbors(passive, 1)
	b := start(t, realFactory(evB), Settings{Bind: []netip.Addr{loopback}}, passive)
	_, active := pair(n, b.port(t))
	realNeighbors(active, 2)
	a := start(t, realFactory(evA), Settings{}, active)
	deadline := time.After(waitLong)
	for i := 0; i < 2*n; i++ {
		select {
		case <-evA.up:
		case <-evB.up:
		case r := <-evA.down:
			t.Fatalf("active session down: %s", r)
		case r := <-evB.down:
			t.Fatalf("passive session down: %s", r)
		case <-deadline:
			t.Fatalf("%d of %d session ends up", i, 2*n)
		}
	}
	a.r.Stop(0)
	<-a.exit
	for i := 0; i < n; i++ {
		select {
		case r := <-evB.down:
			if r != "notification received (6,3)" {
				t.Errorf("passive side down reason %q, want the Cease", r)
			}
		case <-time.After(waitLong):
			t.Fatalf("%d of %d passive sessions saw the shutdown", i, n)
		}
	}
}
