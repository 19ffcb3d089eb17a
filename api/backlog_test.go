package api

import (
	"testing"
	"time"

	"github.com/rs/zerolog"

	"exago/config"
)

// TestBacklogHoldsPeers: a neighbor whose helper is behind is held; it is
// resumed once the helper's queue drains; a helper that reads nothing for
// stuckAfter stops holding peers.
func TestBacklogHoldsPeers(t *testing.T) {
	l := newFakeLoop()
	s := New(Options{Log: zerolog.Nop(), Loop: l, Daemon: &fakeDaemon{}, OutputLimit: 1 << 20})
	p := &process{name: "slow", stdin: -10, stdout: -11}
	s.procs["slow"] = p
	n := &config.Neighbor{Name: "neighbor 127.0.0.2", APIs: []config.APIBinding{{Processes: []string{"slow"}}}}

	if s.behind(n, s.backlogHigh()) {
		t.Fatal("an empty queue holds peers back")
	}
	p.wbuf = make([]byte, s.backlogHigh()+1)
	if !s.behind(n, s.backlogHigh()) {
		t.Fatal("a queue over the high watermark does not hold peers back")
	}
	resumed := 0
	s.hold(n, func() { resumed++ })
	s.hold(n, func() { resumed++ }) // held once
	s.release()
	if resumed != 0 {
		t.Fatal("resumed while the helper is still behind")
	}
	p.woff = len(p.wbuf) // the helper read everything
	p.written += int64(len(p.wbuf))
	s.release()
	if resumed != 1 {
		t.Fatalf("resumed %d times after the queue drained, want 1", resumed)
	}

	// A helper that never reads: after stuckAfter its peers go on.
	p.wbuf, p.woff = make([]byte, s.backlogHigh()+1), 0
	s.hold(n, func() { resumed++ })
	l.advance(stuckAfter + time.Millisecond) // it read during this window
	if p.stalled || resumed != 1 {
		t.Fatalf("a helper that read meanwhile: stalled=%v resumed=%d", p.stalled, resumed)
	}
	l.advance(stuckAfter + time.Millisecond) // nothing read in this one
	if !p.stalled || resumed != 2 || s.behind(n, s.backlogHigh()) {
		t.Fatalf("stuck helper: stalled=%v resumed=%d behind=%v", p.stalled, resumed, s.behind(n, s.backlogHigh()))
	}
}
