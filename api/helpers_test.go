package api

import (
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"exago/config"
	"exago/wire"
)

// fakeLoop is a Loop for tests that never polls: interest is recorded,
// timers fire when the test advances the clock, posted functions queue.
type fakeLoop struct {
	now      time.Time
	interest map[int][2]bool
	timers   []fakeTimer
	mu       sync.Mutex
	posted   chan func()
	fatal    []string
	broken   []string
}

type fakeTimer struct {
	at time.Time
	fn func()
}

func newFakeLoop() *fakeLoop {
	return &fakeLoop{now: time.Unix(1_700_000_000, 0), interest: map[int][2]bool{}, posted: make(chan func(), 64)}
}

func (l *fakeLoop) Now() time.Time { return l.now }
func (l *fakeLoop) Interest(fd int, r, w bool) {
	if !r && !w {
		delete(l.interest, fd)
		return
	}
	l.interest[fd] = [2]bool{r, w}
}
func (l *fakeLoop) At(t time.Time, fn func()) { l.timers = append(l.timers, fakeTimer{t, fn}) }
func (l *fakeLoop) Post(fn func())            { l.posted <- fn }
func (l *fakeLoop) Fatal(code int, reason string) {
	l.fatal = append(l.fatal, fmt.Sprintf("%d %s", code, reason))
}
func (l *fakeLoop) Broken(p string) { l.broken = append(l.broken, p) }

// advance moves the clock and runs due timers.
func (l *fakeLoop) advance(d time.Duration) {
	l.now = l.now.Add(d)
	for {
		ran := false
		for i, t := range l.timers {
			if !t.at.After(l.now) {
				l.timers = append(l.timers[:i], l.timers[i+1:]...)
				t.fn()
				ran = true
				break
			}
		}
		if !ran {
			return
		}
	}
}

// fakeDaemon records every call as a line.
type fakeDaemon struct {
	peers    []Peer
	calls    []string
	routeErr error
}

func (d *fakeDaemon) Peers() []Peer { return d.peers }
func names(ns []*config.Neighbor) string {
	var s []string
	for _, n := range ns {
		s = append(s, n.PeerAddress.Addr().String())
	}
	return strings.Join(s, ",")
}
func (d *fakeDaemon) Routes(ns []*config.Neighbor, c RouteCommand) error {
	d.calls = append(d.calls, fmt.Sprintf("routes %s %s %s [%s]", names(ns), c.Action, c.Kind, strings.Join(c.Words, "|")))
	return d.routeErr
}
func (d *fakeDaemon) EOR(ns []*config.Neighbor, f wire.Family) error {
	d.calls = append(d.calls, fmt.Sprintf("eor %s %s", names(ns), f))
	return nil
}
func (d *fakeDaemon) RouteRefresh(ns []*config.Neighbor, f wire.Family) error {
	d.calls = append(d.calls, fmt.Sprintf("refresh %s %s", names(ns), f))
	return nil
}
func (d *fakeDaemon) Operational(ns []*config.Neighbor, w []string) error {
	d.calls = append(d.calls, fmt.Sprintf("operational %s %s", names(ns), strings.Join(w, " ")))
	return nil
}
func (d *fakeDaemon) Watchdog(name string, announce bool) {
	d.calls = append(d.calls, fmt.Sprintf("watchdog %s %v", name, announce))
}
func (d *fakeDaemon) Teardown(n *config.Neighbor, code int) {
	d.calls = append(d.calls, fmt.Sprintf("teardown %s %d", n.PeerAddress.Addr(), code))
}
func (d *fakeDaemon) FlushAdjRIBOut(n *config.Neighbor) {
	d.calls = append(d.calls, "flush "+n.PeerAddress.Addr().String())
}
func (d *fakeDaemon) ClearAdjRIB(n *config.Neighbor, in bool) {
	d.calls = append(d.calls, fmt.Sprintf("clear %s in=%v", n.PeerAddress.Addr(), in))
}
func (d *fakeDaemon) Describe(n *config.Neighbor) NeighborData {
	return NeighborData{PeerAddress: n.PeerAddress.Addr().String(), PeerAS: 65001, State: "IDLE", Duration: 0,
		LocalAddress: "10.0.0.254", LocalID: "10.0.0.254", LocalAS: 65000, LocalHold: 180, PeerHold: -1,
		Messages: []MessageCount{{"update", 3, 4}}}
}
func (d *fakeDaemon) ShowAdjRIB(r ShowAdjRIB, emit func(string)) {
	d.calls = append(d.calls, fmt.Sprintf("show-adj-rib %+v", r))
	emit("rib line")
}
func (d *fakeDaemon) Signal(s Signal) { d.calls = append(d.calls, fmt.Sprintf("signal %d", s)) }

// neighbor builds a neighbor whose api lists procs.
func neighbor(ip string, asn int, procs ...string) *config.Neighbor {
	a := netip.MustParseAddr(ip)
	return &config.Neighbor{
		Name: fmt.Sprintf("neighbor %s local-ip 10.0.0.254 local-as 65000 peer-as %d router-id 10.0.0.254 family-allowed in-open",
			ip, asn),
		PeerAddress: netip.PrefixFrom(a, a.BitLen()),
		APIs:        []config.APIBinding{{Processes: procs, NeighborChanges: true}},
	}
}

// testServer returns a Server with two fake (unspawned) helpers p1 and p2
// and three peers: 10.0.0.1 (p1, established), 10.0.0.2 (p1, p2), 10.0.0.3
// (p2, established).
func testServer(t testing.TB) (*Server, *fakeLoop, *fakeDaemon) {
	l := newFakeLoop()
	d := &fakeDaemon{peers: []Peer{
		{neighbor("10.0.0.1", 65001, "p1"), true},
		{neighbor("10.0.0.2", 65002, "p1", "p2"), false},
		{neighbor("10.0.0.3", 65003, "p2"), true},
	}}
	s := New(Options{Log: zerolog.Nop(), Loop: l, Daemon: d, Version: "5.0.13"})
	for i, name := range []string{"p1", "p2"} {
		p := &process{name: name, ack: true, stdin: -10 - 2*i, stdout: -11 - 2*i}
		s.procs[name] = p
		s.confOrder = append(s.confOrder, name)
	}
	return s, l, d
}

// output returns and clears what was queued for helper name.
func output(s *Server, name string) string {
	p := s.procs[name]
	out := string(p.wbuf[p.woff:])
	p.wbuf, p.woff = p.wbuf[:0], 0
	return out
}

type configNeighbor = config.Neighbor

func configBinding(match string) config.APIBinding {
	return config.APIBinding{ProcessesMatch: []string{match}}
}
