package reactor

import (
	"net/netip"
	"testing"
	"time"

	"exago/config"
)

func TestDiffNeighbors(t *testing.T) {
	a := &config.Neighbor{Name: "a", HoldTime: 90}
	b := &config.Neighbor{Name: "b", HoldTime: 90}
	c := &config.Neighbor{Name: "c", HoldTime: 90}
	old := map[string]*config.Neighbor{"a": a, "b": b, "c": c}
	a.APIs = []config.APIBinding{{Processes: []string{"p"}, Pos: config.Pos{File: "1.conf", Line: 3}}}
	a.PeerAddress = netip.MustParsePrefix("10.0.0.1/32")
	a2 := *a
	a2.Routes = []config.Route{{Name: "new route"}}
	a2.APIs = []config.APIBinding{{Processes: []string{"p"}, Pos: config.Pos{File: "2.conf", Line: 3}}}
	a2.PeerAddress = netip.MustParsePrefix("10.0.0.1/32")
	b2 := *b
	b2.HoldTime = 30
	d := &config.Neighbor{Name: "d"}
	p := diffNeighbors(old, []*config.Neighbor{&a2, &b2, d}, false)
	if len(p.same) != 1 || p.same[0] != &a2 {
		t.Errorf("same = %v, want a (routes only changed)", p.same)
	}
	if len(p.changed) != 1 || p.changed[0] != &b2 {
		t.Errorf("changed = %v, want b", p.changed)
	}
	if len(p.add) != 1 || p.add[0] != d {
		t.Errorf("add = %v, want d", p.add)
	}
	if len(p.remove) != 1 || p.remove[0] != "c" {
		t.Errorf("remove = %v, want c", p.remove)
	}
	if r := diffNeighbors(old, []*config.Neighbor{&a2}, true); len(r.changed) != 1 || len(r.same) != 0 {
		t.Errorf("restart: every kept neighbor must be re-established: %+v", r)
	}
}

// TestReloadKeepsUnchangedSessions: a reload that removes one neighbor and
// changes another leaves the third session alone.
func TestReloadKeepsUnchangedSessions(t *testing.T) {
	stA, stB := newFakeStats(), newFakeStats()
	passive, _ := pair(3, 0)
	b := start(t, fakeFactory(stB, 9*time.Second, nil), Settings{Bind: []netip.Addr{loopback}}, passive)
	_, active := pair(3, b.port(t))
	a := start(t, fakeFactory(stA, 9*time.Second, nil), Settings{}, active)
	waitUp(t, stA, 3)
	waitUp(t, stB, 3)

	changed := *active[1]
	changed.HoldTime = 30
	a.r.Reload(&config.Config{Neighbors: []*config.Neighbor{active[0], &changed}})
	// Removed and changed sessions close on the passive side; the changed
	// one comes back.
	deadline := time.After(waitLong)
	for i := 0; i < 2; i++ {
		select {
		case <-stB.down:
		case <-deadline:
			t.Fatalf("%d of 2 sessions closed", i)
		}
	}
	waitUp(t, stA, 1)
	var names []string
	a.on(t, func(r *Reactor) {
		r.Each(func(n *config.Neighbor, _ Machine) { names = append(names, n.Name) })
	})
	if len(names) != 2 {
		t.Fatalf("peers after reload: %v", names)
	}
	if got := stA.closes(active[0].Name) + stB.closes(passive[0].Name); got != 0 {
		t.Fatalf("the unchanged session closed %d times", got)
	}
}
