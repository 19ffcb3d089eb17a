package api

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"exago/api/format"
	"exago/config"
	"exago/wire"
)

// nopDaemon accepts everything and does nothing.
type nopDaemon struct{ peers []Peer }

func (d *nopDaemon) Peers() []Peer                                      { return d.peers }
func (d *nopDaemon) Routes([]*config.Neighbor, RouteCommand) error      { return nil }
func (d *nopDaemon) EOR([]*config.Neighbor, wire.Family) error          { return nil }
func (d *nopDaemon) RouteRefresh([]*config.Neighbor, wire.Family) error { return nil }
func (d *nopDaemon) Operational([]*config.Neighbor, []string) error     { return nil }
func (d *nopDaemon) Watchdog(string, bool)                              {}
func (d *nopDaemon) Teardown(*config.Neighbor, int)                     {}
func (d *nopDaemon) FlushAdjRIBOut(*config.Neighbor)                    {}
func (d *nopDaemon) ClearAdjRIB(*config.Neighbor, bool)                 {}
func (d *nopDaemon) Describe(*config.Neighbor) NeighborData             { return NeighborData{} }
func (d *nopDaemon) ShowAdjRIB(ShowAdjRIB, func(string))                {}
func (d *nopDaemon) Signal(Signal)                                      {}

// BenchmarkCommands feeds `announce route` lines through the whole read
// path (line split, normalise, dispatch, selectors, scoping, ack). The
// target is 200,000 commands/s.
func BenchmarkCommands(b *testing.B) {
	s, _, _ := testServer(b)
	s.daemon = &nopDaemon{peers: s.daemon.Peers()}
	var chunk []byte
	lines := 0
	for i := 0; len(chunk) < readSize-100; i++ {
		chunk = fmt.Appendf(chunk, "announce route 10.%d.%d.0/24 next-hop 192.0.2.1 med 100 community [65000:1 65000:2]\n", i/256, i%256)
		lines++
	}
	p := s.procs["p1"]
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	done := 0
	for done < b.N {
		s.consume(p, chunk)
		done += lines
		p.wbuf, p.woff = p.wbuf[:0], 0
	}
	b.ReportMetric(float64(done)/time.Since(start).Seconds(), "cmds/s")
}

// BenchmarkEventsJSON measures event lines/s to a JSON helper, rendering
// with api/format. The target is 500,000 lines/s.
func BenchmarkEventsJSON(b *testing.B) {
	s, _, _ := testServer(b)
	now := time.Unix(1_700_000_000, 0)
	s.json = &JSONRenderer{E: format.Encoder{Host: "bench", PID: 1, PPID: 1, Now: func() time.Time { return now }}}
	p := s.procs["p1"]
	p.json = true
	n := neighbor("10.0.0.9", 65009, "p1")
	s.SetNeighbors([]*config.Neighbor{n})
	ev := &Event{Kind: EventState, Neighbor: n, Change: "down", Reason: "notification received (6,2)",
		ID: Identity{Local: netip.MustParseAddr("10.0.0.254"), Peer: netip.MustParseAddr("10.0.0.9"),
			LocalAS: 65000, PeerAS: 65009, RouterID: netip.MustParseAddr("10.0.0.254")}}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		s.Emit(ev)
		if len(p.wbuf) > 1<<20 {
			p.wbuf, p.woff = p.wbuf[:0], 0
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "lines/s")
}

// BenchmarkEventsJSONUpdate measures received-UPDATE event lines/s to a
// JSON helper (one IPv4 unicast route with origin, as-path, next-hop).
func BenchmarkEventsJSONUpdate(b *testing.B) {
	s, _, _ := testServer(b)
	now := time.Unix(1_700_000_000, 0)
	s.json = &JSONRenderer{E: format.Encoder{Host: "bench", PID: 1, PPID: 1, Now: func() time.Time { return now }}}
	p := s.procs["p1"]
	p.json = true
	n := neighbor("10.0.0.9", 65009)
	n.APIs = []config.APIBinding{{Processes: []string{"p1"}, Receive: config.MessageFlags{Parsed: true, Update: true}}}
	s.SetNeighbors([]*config.Neighbor{n})
	header := []byte("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00\x2d\x02")
	body := []byte("\x00\x00\x00\x14\x40\x01\x01\x00\x40\x02\x06\x02\x01\x00\x00\xfd\xe9\x40\x03\x04\x7f\x00\x00\x01\x18\x0a\x0a\x00")
	header[17] = byte(len(header) + len(body))
	ev := &Event{Kind: EventMessage, Neighbor: n, Direction: DirReceive, Type: MsgUpdate, Header: header, Body: body,
		Negotiated: format.DecodeSession([]wire.Family{wire.IPv4Unicast}, false),
		ID: Identity{Local: netip.MustParseAddr("10.0.0.254"), Peer: netip.MustParseAddr("10.0.0.9"),
			LocalAS: 65000, PeerAS: 65009, RouterID: netip.MustParseAddr("10.0.0.254")}}
	s.Emit(ev)
	if len(p.wbuf) == 0 {
		b.Fatal("update not rendered")
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		s.Emit(ev)
		if len(p.wbuf) > 1<<20 {
			p.wbuf, p.woff = p.wbuf[:0], 0
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "lines/s")
}
