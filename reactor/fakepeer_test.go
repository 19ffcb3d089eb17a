package reactor

import (
	"encoding/binary"
	"net/netip"
	"sync"
	"time"

	"exago/config"
	"exago/peer"
)

// fakePeer is a minimal BGP speaker behind the Machine methods: OPEN,
// KEEPALIVE, hold and keepalive timers. It records how late each
// keepalive left compared with its deadline.
type fakePeer struct {
	d       peer.Driver
	n       *config.Neighbor
	stats   *fakeStats
	active  bool
	hold    time.Duration
	flood   bool // Pull returns filler UPDATEs for ever once established
	silent  bool // never sends anything (a peer that never sends OPEN)
	state   int  // 0 idle, 1 open sent, 2 open confirm, 3 established
	out     [][]byte
	kaDue   time.Time
	stopped bool
	pauseUp bool // PauseRead(true) once established
	limit   int  // with flood: stop after this many Pulls (0 = never)
	pulls   int
	paused  bool
}

type fakeStats struct {
	mu          sync.Mutex
	established int
	closed      int
	accepted    int
	worstKA     time.Duration
	kaSent      int
	holdExpired int
	flooded     int
	up          chan struct{} // one token per establishment
	down        chan struct{} // one token per OnClosed
	ka          chan struct{} // one token per keepalive sent
	closedBy    map[string]int
	onUpdate    func() // called on the receiving loop for each UPDATE
}

func newFakeStats() *fakeStats {
	return &fakeStats{up: make(chan struct{}, 100000), down: make(chan struct{}, 100000), ka: make(chan struct{}, 100000)}
}

func (st *fakeStats) closes(name string) int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.closedBy[name]
}

func (st *fakeStats) snapshot() fakeStats {
	st.mu.Lock()
	defer st.mu.Unlock()
	return fakeStats{established: st.established, closed: st.closed, accepted: st.accepted,
		worstKA: st.worstKA, kaSent: st.kaSent, holdExpired: st.holdExpired, flooded: st.flooded}
}

func fakeFactory(st *fakeStats, hold time.Duration, tweak func(*fakePeer)) Factory {
	return func(n *config.Neighbor, d peer.Driver) Machine {
		f := &fakePeer{d: d, n: n, stats: st, active: !n.Passive, hold: hold}
		if tweak != nil {
			tweak(f)
		}
		return f
	}
}

func (f *fakePeer) remote() netip.AddrPort {
	port := f.n.Connect
	if port == 0 {
		port = 179
	}
	return netip.AddrPortFrom(f.n.PeerAddress.Addr(), port)
}

func (f *fakePeer) Start(now time.Time) {
	if f.active {
		f.d.Connect(nil, f.n.LocalAddress, f.remote())
	}
}

func (f *fakePeer) begin(now time.Time) {
	f.state = 1
	f.send(fakeOpen(uint16(f.hold / time.Second)))
	f.d.SetTimer(nil, peer.TimerHold, now.Add(f.hold))
}

func (f *fakePeer) OnConnected(now time.Time, local, remote netip.AddrPort) { f.begin(now) }

func (f *fakePeer) OnConnectFailed(now time.Time, err error) {
	f.d.SetTimer(nil, peer.TimerConnectRetry, now.Add(100*time.Millisecond))
}

func (f *fakePeer) OnIncoming(now time.Time, local, remote netip.AddrPort) (bool, []byte) {
	if f.state != 0 {
		return false, nil
	}
	f.stats.mu.Lock()
	f.stats.accepted++
	f.stats.mu.Unlock()
	f.begin(now)
	return true, nil
}

func (f *fakePeer) send(m []byte) {
	if f.silent {
		return
	}
	f.out = append(f.out, m)
	f.d.WantWrite(nil)
}

func (f *fakePeer) OnRead(now time.Time, b []byte) int {
	used := 0
	for len(b)-used >= 19 && !f.paused {
		l := int(binary.BigEndian.Uint16(b[used+16:]))
		if l < 19 || len(b)-used < l {
			break
		}
		f.message(now, b[used+18])
		used += l
	}
	return used
}

func (f *fakePeer) message(now time.Time, t byte) {
	f.d.SetTimer(nil, peer.TimerHold, now.Add(f.hold))
	if t == 2 && f.stats.onUpdate != nil {
		f.stats.onUpdate()
	}
	switch {
	case t == 1 && f.state == 1:
		f.state = 2
		f.send(fakeKeepalive())
	case t == 4 && f.state == 2:
		f.state = 3
		f.kaDue = now.Add(f.hold / 3)
		f.d.SetTimer(nil, peer.TimerKeepalive, f.kaDue)
		f.stats.mu.Lock()
		f.stats.established++
		f.stats.mu.Unlock()
		f.stats.up <- struct{}{}
		if f.pauseUp {
			f.paused = true
			f.d.PauseRead(nil, true)
		}
		if f.flood {
			f.d.WantWrite(nil)
		}
	}
}

func (f *fakePeer) Pull(now time.Time, b []byte) ([]byte, bool) {
	for _, m := range f.out {
		b = append(b, m...)
	}
	f.out = f.out[:0]
	if f.flood && f.state == 3 && (f.limit == 0 || f.pulls < f.limit) {
		f.pulls++
		for i := 0; i < 16; i++ {
			b = append(b, fakeFiller()...)
		}
		f.stats.mu.Lock()
		f.stats.flooded++
		f.stats.mu.Unlock()
		return b, f.limit == 0 || f.pulls < f.limit
	}
	return b, false
}

func (f *fakePeer) OnTimer(now time.Time, k peer.Timer) {
	switch k {
	case peer.TimerKeepalive:
		late := now.Sub(f.kaDue)
		f.stats.mu.Lock()
		if late > f.stats.worstKA {
			f.stats.worstKA = late
		}
		f.stats.kaSent++
		f.stats.mu.Unlock()
		f.stats.ka <- struct{}{}
		f.send(fakeKeepalive())
		f.kaDue = now.Add(f.hold / 3)
		f.d.SetTimer(nil, peer.TimerKeepalive, f.kaDue)
	case peer.TimerHold:
		f.stats.mu.Lock()
		f.stats.holdExpired++
		f.stats.mu.Unlock()
		f.reset()
	case peer.TimerConnectRetry:
		f.Start(now)
	}
}

func (f *fakePeer) reset() {
	f.d.Close(nil)
	f.d.StopTimer(nil, peer.TimerHold)
	f.d.StopTimer(nil, peer.TimerKeepalive)
	f.state = 0
	f.out = f.out[:0]
}

func (f *fakePeer) OnClosed(now time.Time, err error) {
	f.stats.mu.Lock()
	f.stats.closed++
	if f.stats.closedBy == nil {
		f.stats.closedBy = map[string]int{}
	}
	f.stats.closedBy[f.n.Name]++
	f.stats.mu.Unlock()
	f.stats.down <- struct{}{}
	f.reset()
	if f.active && !f.stopped {
		f.d.SetTimer(nil, peer.TimerConnectRetry, now.Add(100*time.Millisecond))
	}
}

func (f *fakePeer) Shutdown(now time.Time) {
	f.stopped = true
	f.out = append(f.out[:0], fakeNotification(6, 3))
	f.d.WantWrite(nil)
	f.d.Close(nil)
}

func fakeHeader(t byte, body []byte) []byte {
	m := make([]byte, 19, 19+len(body))
	for i := 0; i < 16; i++ {
		m[i] = 0xff
	}
	binary.BigEndian.PutUint16(m[16:], uint16(19+len(body)))
	m[18] = t
	return append(m, body...)
}

func fakeOpen(hold uint16) []byte {
	body := []byte{4, 0xfd, 0xe8, byte(hold >> 8), byte(hold), 10, 0, 0, 1, 0}
	return fakeHeader(1, body)
}

func fakeKeepalive() []byte { return fakeHeader(4, nil) }

func fakeNotification(code, sub byte) []byte { return fakeHeader(3, []byte{code, sub}) }

// fakeFiller is a 4 KiB message the counterpart never parses.
func fakeFiller() []byte { return fakeHeader(2, make([]byte, 4096-19)) }
