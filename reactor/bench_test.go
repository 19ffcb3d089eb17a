package reactor

import (
	"net/netip"
	"testing"
	"time"

	"exago/config"
)

// BenchmarkLoopbackUpdates measures 4 KiB UPDATEs pulled, written, read
// and framed through two reactors over loopback (one op = one message).
func BenchmarkLoopbackUpdates(b *testing.B) {
	stA, stB := newFakeStats(), newFakeStats()
	got, done := 0, make(chan struct{})
	target := b.N
	stB.onUpdate = func() {
		got++
		if got == target {
			close(done)
		}
	}
	passive, _ := pair(1, 0)
	bRun := startBench(b, fakeFactory(stB, 90*time.Second, nil), Settings{Bind: []netip.Addr{loopback}}, passive)
	_, active := pair(1, portOf(b, bRun))
	b.ReportAllocs()
	b.SetBytes(4096)
	b.ResetTimer()
	startBench(b, fakeFactory(stA, 90*time.Second, func(f *fakePeer) { f.flood = true }), Settings{}, active)
	select {
	case <-done:
	case <-time.After(5 * time.Minute):
		b.Fatalf("%d of %d messages", got, target)
	}
	b.StopTimer()
}

func startBench(b *testing.B, f Factory, set Settings, ns []*config.Neighbor) *Reactor {
	r, err := New(f, WithSettings(set))
	if err != nil {
		b.Fatal(err)
	}
	exit := make(chan struct{})
	go func() { _, _ = r.Run(&config.Config{Neighbors: ns}); close(exit) }()
	b.Cleanup(func() { r.Stop(0); <-exit })
	return r
}

func portOf(b *testing.B, r *Reactor) uint16 {
	ch := make(chan uint16, 1)
	r.Post(func(r *Reactor) { ch <- r.Listeners()[0].Port() })
	return <-ch
}
