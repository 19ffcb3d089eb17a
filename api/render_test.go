package api

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"exago/api/format"
	"exago/config"
	"exago/wire"
)

// TestRenderers sends events through the Server to a JSON and a text
// helper rendering with package api/format.
func TestRenderers(t *testing.T) {
	s, _, _ := testServer(t)
	now := time.Unix(1795727752, 810000000)
	s.json = &JSONRenderer{E: format.Encoder{Host: "vm", PID: 19540, PPID: 1, Now: func() time.Time { return now }}}
	s.text = &TextRenderer{T: format.Text{PID: 19540, PPID: 1}}
	s.procs["p1"].json = true
	n := neighbor("127.0.0.1", 65000)
	n.APIs = []config.APIBinding{{Processes: []string{"p1", "p2"}, NeighborChanges: true,
		Receive: config.MessageFlags{Parsed: true, Keepalive: true}}}
	s.SetNeighbors([]*config.Neighbor{n})
	id := Identity{Local: netip.MustParseAddr("127.0.0.1"), Peer: netip.MustParseAddr("127.0.0.1"),
		LocalAS: 65000, PeerAS: 65000, RouterID: netip.MustParseAddr("10.0.0.1")}
	s.Emit(&Event{Kind: EventState, Neighbor: n, ID: id, Change: "up"})
	keepalive := []byte("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00\x13\x04")
	s.Emit(&Event{Kind: EventMessage, Neighbor: n, ID: id, Direction: DirReceive, Type: MsgKeepalive, Header: keepalive})
	s.Emit(&Event{Kind: EventState, Neighbor: n, ID: id, Change: "down", Reason: "notification sent (3,1)"})

	json := strings.Split(strings.TrimSuffix(output(s, "p1"), "\n"), "\n")
	if len(json) != 3 {
		t.Fatalf("json lines: %q", json)
	}
	for i, want := range []string{
		`"host" : "vm", "pid" : 19540, "ppid" : 1, "counter": 1, "type": "state", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.1" }, "asn": { "local": 65000, "peer": 65000 }, "router-id": "10.0.0.1" , "state": "up" } }`,
		`"counter": 2, "type": "keepalive", "neighbor": {`,
		`"counter": 3, "type": "state", `,
	} {
		if !strings.Contains(json[i], want) || !strings.HasPrefix(json[i], `{ "exabgp": "5.0.0", "time": 1795727752.81`) {
			t.Errorf("json line %d:\n%s\nlacks\n%s", i, json[i], want)
		}
	}
	text := output(s, "p2")
	want := "neighbor 127.0.0.1 up\n\nneighbor 127.0.0.1 receive keepalive\n\nneighbor 127.0.0.1 down - notification sent (3,1)\n\n"
	if text != want {
		t.Errorf("text:\n%q\nwant\n%q", text, want)
	}
}

// TestRenderersMessages checks the adapter picks the right api/format
// renderer for each message type.
func TestRenderersMessages(t *testing.T) {
	s, _, _ := testServer(t)
	now := time.Unix(1795727752, 0)
	s.json = &JSONRenderer{E: format.Encoder{Host: "vm", PID: 1, PPID: 1, Now: func() time.Time { return now }}}
	s.text = &TextRenderer{T: format.Text{PID: 1, PPID: 1}}
	s.procs["p1"].json = true
	n := neighbor("127.0.0.1", 65000)
	n.APIs = []config.APIBinding{{Processes: []string{"p1", "p2"},
		Receive: config.MessageFlags{Parsed: true, Update: true, Notification: true, Refresh: true}}}
	s.SetNeighbors([]*config.Neighbor{n})
	id := Identity{Local: netip.MustParseAddr("127.0.0.1"), Peer: netip.MustParseAddr("127.0.0.1"),
		LocalAS: 65000, PeerAS: 65000, RouterID: netip.MustParseAddr("10.0.0.1")}
	hdr := func(typ byte, body []byte) []byte {
		h := []byte("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00\x00\x00")
		h[17], h[18] = byte(19+len(body)), typ
		return h
	}
	update := []byte("\x00\x00\x00\x14\x40\x01\x01\x00\x40\x02\x06\x02\x01\x00\x00\xfd\xe9\x40\x03\x04\x7f\x00\x00\x01\x18\x0a\x0a\x00")
	notification := []byte("\x06\x02")
	refresh := []byte("\x00\x01\x00\x01")
	neg := format.DecodeSession([]wire.Family{wire.IPv4Unicast}, false)
	for _, m := range []struct {
		typ  uint8
		body []byte
	}{{MsgUpdate, update}, {MsgNotification, notification}, {MsgRefresh, refresh}} {
		s.Emit(&Event{Kind: EventMessage, Neighbor: n, ID: id, Direction: DirReceive, Type: m.typ,
			Header: hdr(m.typ, m.body), Body: m.body, Negotiated: neg})
	}
	json := output(s, "p1")
	for _, want := range []string{`"type": "update"`, `"nlri": "10.10.0.0/24"`, `"type": "notification"`, `"code": 6, "subcode": 2`, `"type": "refresh"`} {
		if !strings.Contains(json, want) {
			t.Errorf("json lacks %s:\n%s", want, json)
		}
	}
	text := output(s, "p2")
	for _, want := range []string{"neighbor 127.0.0.1 receive update start\n", "receive update announced 10.10.0.0/24 next-hop 127.0.0.1",
		"neighbor 127.0.0.1 receive notification code 6 subcode 2", "neighbor 127.0.0.1 receive route-refresh afi ipv4 safi unicast"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
}
