package api

import (
	"fmt"
	"strings"
	"testing"

	"exago/config"
)

// stubRenderer renders events as short key=value lines.
type stubRenderer struct{ name string }

func (r stubRenderer) AppendEvent(b []byte, ev *Event) []byte {
	if r.name == "text" && (ev.Kind == EventFSM || ev.Kind == EventNegotiated) {
		return b
	}
	s := fmt.Sprintf("%s kind=%d peer=%s", r.name, ev.Kind, ev.Neighbor.PeerAddress.Addr())
	switch ev.Kind {
	case EventState:
		s += " state=" + ev.Change + ev.Reason
	case EventMessage, EventPackets:
		s += fmt.Sprintf(" %s type=%d cons=%v neg=%v", ev.Direction, ev.Type, ev.Consolidate, ev.ShowNegotiated)
	}
	if ev.Counter != 0 {
		s += fmt.Sprintf(" counter=%d", ev.Counter)
	}
	return append(b, s...)
}

func (r stubRenderer) AppendShutdown(b []byte) []byte { return append(b, r.name+" shutdown"...) }

func eventServer(t *testing.T) (*Server, *config.Neighbor) {
	s, _, _ := testServer(t)
	s.json, s.text = stubRenderer{"json"}, stubRenderer{"text"}
	s.procs["p1"].json = true
	s.procs["p2"].json = true
	p3 := &process{name: "p3", ack: true, stdin: -20, stdout: -21}
	s.procs["p3"] = p3
	s.confOrder = append(s.confOrder, "p3")
	n := neighbor("10.0.0.9", 65009)
	n.APIs = []config.APIBinding{
		{Processes: []string{"p1", "p3"}, NeighborChanges: true, FSM: true,
			Receive: config.MessageFlags{Parsed: true, Update: true, Keepalive: true}},
		{Processes: []string{"p2"}, Negotiated: true,
			Send:    config.MessageFlags{Packets: true, Consolidate: true, Update: true},
			Receive: config.MessageFlags{Packets: true, Update: true}},
	}
	s.SetNeighbors([]*config.Neighbor{n})
	return s, n
}

func TestEventRouting(t *testing.T) {
	s, n := eventServer(t)
	s.Emit(&Event{Kind: EventState, Neighbor: n, Change: "up"})
	s.Emit(&Event{Kind: EventFSM, Neighbor: n, State: "ESTABLISHED"})
	s.Emit(&Event{Kind: EventNegotiated, Neighbor: n, Negotiated: 1})
	s.Emit(&Event{Kind: EventMessage, Neighbor: n, Direction: DirReceive, Type: MsgUpdate, Negotiated: 1})
	s.Emit(&Event{Kind: EventMessage, Neighbor: n, Direction: DirReceive, Type: MsgKeepalive})
	s.Emit(&Event{Kind: EventMessage, Neighbor: n, Direction: DirSend, Type: MsgUpdate, Negotiated: 1})
	s.Emit(&Event{Kind: EventMessage, Neighbor: n, Direction: DirSend, Type: MsgKeepalive})

	// receive keepalive: p1 and p3 want it parsed; p2 has receive packets,
	// so it gets the raw packet too (ExaBGP sends packets events to every
	// process with packets, whatever the message type).
	want := map[string]string{
		"p1": "json kind=1 peer=10.0.0.9 state=up counter=1\n" +
			"json kind=2 peer=10.0.0.9 counter=2\n" +
			"json kind=5 peer=10.0.0.9 receive type=2 cons=false neg=true counter=5\n" +
			"json kind=5 peer=10.0.0.9 receive type=4 cons=false neg=true counter=8\n",
		"p2": "json kind=3 peer=10.0.0.9 counter=3\n" +
			"json kind=6 peer=10.0.0.9 receive type=2 cons=false neg=true counter=4\n" +
			// parsed is per neighbor (p1's binding), so p2 gets it too
			"json kind=5 peer=10.0.0.9 receive type=2 cons=false neg=true counter=6\n" +
			"json kind=6 peer=10.0.0.9 receive type=4 cons=false neg=true counter=7\n" +
			"json kind=5 peer=10.0.0.9 send type=2 cons=true neg=true counter=9\n",
		// a text helper: fsm renders nothing
		"p3": "text kind=1 peer=10.0.0.9 state=up\n" +
			"text kind=5 peer=10.0.0.9 receive type=2 cons=false neg=true\n" +
			"text kind=5 peer=10.0.0.9 receive type=4 cons=false neg=true\n",
	}
	for _, name := range []string{"p1", "p2", "p3"} {
		if got := output(s, name); got != want[name] {
			t.Errorf("%s got\n%s\nwant\n%s", name, got, want[name])
		}
	}
}

func TestWants(t *testing.T) {
	s, n := eventServer(t)
	for _, tt := range []struct {
		dir          Direction
		typ          uint8
		want, decode bool
	}{
		{DirReceive, MsgUpdate, true, true},
		{DirReceive, MsgOpen, false, false},
		{DirSend, MsgUpdate, true, true},
		{DirSend, MsgKeepalive, false, false},
		{DirReceive, 0, false, false},
		{DirReceive, 200, false, false},
	} {
		w, d := s.Wants(n, tt.dir, tt.typ)
		if w != tt.want || d != tt.decode {
			t.Errorf("Wants(%s,%d) = %v,%v want %v,%v", tt.dir, tt.typ, w, d, tt.want, tt.decode)
		}
	}
}

func TestEventsSilencedAfterShutdown(t *testing.T) {
	s, n := eventServer(t)
	s.Shutdown(nil)
	for _, name := range []string{"p1", "p2", "p3"} {
		out := output(s, name)
		if !strings.HasSuffix(out, "shutdown\n") {
			t.Errorf("%s: no shutdown event: %q", name, out)
		}
	}
	s.Emit(&Event{Kind: EventState, Neighbor: n, Change: "down"})
	if got := output(s, "p1"); got != "" {
		t.Errorf("event after shutdown: %q", got)
	}
}
