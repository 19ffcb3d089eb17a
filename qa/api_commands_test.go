package qa

// TestAPICommands: every command family of the process API once, through a
// relay helper (api_e2e_helper_test.go), against bin/exabgp and one
// emulated peer (qa/bench); then the events two more helpers received
// about that neighbor, one `encoder json` and one `encoder text`
// (EXABGP-SURFACE.md §5.4, §5.5, §5.7, §5.8).

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"exago/qa/bench"
)

// apiCmdEvents collects every line a relay helper receives.
type apiCmdEvents struct {
	mu    sync.Mutex
	lines []string
}

func (e *apiCmdEvents) read(c net.Conn) {
	r := bufio.NewReaderSize(c, 1<<20)
	for {
		l, err := r.ReadString('\n')
		if l != "" {
			e.mu.Lock()
			e.lines = append(e.lines, strings.TrimRight(l, "\n"))
			e.mu.Unlock()
		}
		if err != nil {
			return
		}
	}
}

func (e *apiCmdEvents) snapshot() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.lines...)
}

// find is the index of the first line for which match is true, or -1.
func (e *apiCmdEvents) find(match func(string) bool) int {
	for i, l := range e.snapshot() {
		if match(l) {
			return i
		}
	}
	return -1
}

// apiCmdKeys is the keys of the JSON object raw, in order, with their values.
func apiCmdKeys(raw []byte) ([]string, map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil {
		return nil, nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, nil, fmt.Errorf("not an object")
	}
	var keys []string
	vals := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		k, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, err
		}
		keys = append(keys, k)
		vals[k] = v
	}
	return keys, vals, nil
}

func TestAPICommands(t *testing.T) {
	if testing.Short() {
		t.Skip("API command end-to-end test skipped in -short mode")
	}
	t0 := time.Now()
	defer func() { t.Logf("wall time %v", time.Since(t0).Round(time.Millisecond)) }()

	dir := t.TempDir()
	sub := func(name string) string {
		p := filepath.Join(dir, name)
		if err := os.Mkdir(p, 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cmdSock, cmdConnect := apiE2EListenRelay(t, sub("c"))
	jsonSock, jsonConnect := apiE2EListenRelay(t, sub("j"))
	textSock, textConnect := apiE2EListenRelay(t, sub("t"))

	peer := bench.PeerAddr(0).String()
	events := `    neighbor-changes;
    negotiated;
    fsm;
    signal;
    receive {
      parsed;
      open;
      update;
      keepalive;
      notification;
      refresh;
    }
    send {
      parsed;
      open;
      update;
      keepalive;
      notification;
      refresh;
    }
`
	conf := fmt.Sprintf(`process cmd {
  run %s;
  encoder text;
}

process pjson {
  run %s;
  encoder json;
}

process ptext {
  run %s;
  encoder text;
}

neighbor %s {
  router-id 127.0.0.1;
  local-address 127.0.0.1;
  local-as %d;
  peer-as %d;
  hold-time 90;
  passive;
  family {
    ipv4 unicast;
    ipv4 flow;
    l2vpn vpls;
  }
  capability {
    route-refresh;
  }
  api cmds {
    processes [ cmd ];
  }
  api events {
    processes [ pjson ptext ];
%s  }
}
`, apiE2EHelperRun(t, "relay", cmdSock), apiE2EHelperRun(t, "relay", jsonSock), apiE2EHelperRun(t, "relay", textSock),
		peer, apiE2ELocalAS, apiE2EPeerAS, events)
	port := apiE2EFreePort(t)
	d := apiE2EDaemon(t, dir, port, conf)
	api := cmdConnect(d)
	jc, tc := jsonConnect(d), textConnect(d)
	var jev, tev apiCmdEvents
	go jev.read(jc.c)
	go tev.read(tc.c)

	const long = 30 * time.Second
	waitLine := func(e *apiCmdEvents, what string, match func(string) bool) {
		t.Helper()
		apiE2EWait(t, d, long, what, func() bool { return e.find(match) >= 0 },
			func() string {
				l := e.snapshot()
				return fmt.Sprintf("%d lines received, last: %q", len(l), l[max(0, len(l)-8):])
			})
	}
	jsonHas := func(typ string, parts ...string) func(string) bool {
		return func(l string) bool {
			if !strings.Contains(l, `"type": "`+typ+`"`) {
				return false
			}
			for _, p := range parts {
				if !strings.Contains(l, p) {
					return false
				}
			}
			return true
		}
	}
	textHas := func(s string) func(string) bool {
		return func(l string) bool { return strings.HasPrefix(l, "neighbor "+peer+" "+s) }
	}
	ok := func(cmd string) []string {
		t.Helper()
		lines, err := api.command(cmd, long)
		if err != nil {
			t.Fatalf("%v (answer %q)", err, lines)
		}
		return lines
	}
	fails := func(cmd string) {
		t.Helper()
		lines, err := api.command(cmd, long)
		if err == nil || !strings.Contains(err.Error(), "answered error") {
			t.Errorf("%q: want the answer error, got %q, %v", cmd, lines, err)
		}
	}

	// Before the session: version, help, comment, errors.
	if got := ok("version"); len(got) != 1 || got[0] != "exabgp 5.0.13" {
		t.Errorf("version: got %q, want [\"exabgp 5.0.13\"]", got)
	}
	if want, err := os.ReadFile("../api/testdata/help.txt"); err != nil {
		t.Fatal(err)
	} else if got := strings.Join(ok("help"), "\n") + "\n"; got != string(want) {
		t.Errorf("help:\n%s\nwant (api/testdata/help.txt)\n%s", got, want)
	}
	if got := ok("# a comment"); len(got) != 0 {
		t.Errorf("comment: got %q before done", got)
	}
	fails("this is not a command")
	fails("neighbor 192.0.2.99 announce route 192.0.2.0/24 next-hop 127.0.0.1")

	lg, stopPeers := apiE2EStartPeers(t, 1, 90, port)
	apiE2EWait(t, d, long, "the session established",
		func() bool { return lg.Established() == 1 }, func() string { return "not established" })
	waitLine(&jev, "the JSON state up event", jsonHas("state", `"state": "up"`))
	waitLine(&tev, "the text up event", textHas("up"))
	s := lg.Sessions[0]

	// Routes, attributes, flow, vpls, eor.
	ok("announce route 192.0.2.0/24 next-hop 127.0.0.1 med 10")
	ok("neighbor " + peer + " announce attributes next-hop 127.0.0.1 local-preference 200 nlri 198.51.100.0/25 198.51.100.128/25")
	ok("announce flow route destination 10.0.0.0/24 source 10.1.0.0/24 protocol tcp destination-port =80 discard")
	ok("announce vpls endpoint 5 base 10702 offset 1 size 8 rd 192.168.201.1:123 route-distinguisher 192.168.201.1:123 next-hop 127.0.0.1")
	ok("announce eor ipv4 unicast")
	waitLine(&jev, "the JSON send update of 192.0.2.0/24", jsonHas("update", `"direction": "send"`, `"nlri": "192.0.2.0/24"`))
	waitLine(&tev, "the text send update of 192.0.2.0/24", textHas("send update announced 192.0.2.0/24 next-hop 127.0.0.1"))
	apiE2EWait(t, d, long, "3 prefixes at the peer",
		func() bool { return s.Prefixes.Load() >= 3 }, func() string { return fmt.Sprintf("%d", s.Prefixes.Load()) })

	out := ok("show adj-rib out " + peer)
	for _, p := range []string{"192.0.2.0/24", "198.51.100.0/25", "198.51.100.128/25"} {
		want := peer + " ipv4 unicast " + p + " next-hop 127.0.0.1"
		found := false
		for _, l := range out {
			found = found || strings.HasPrefix(l, want)
		}
		if !found {
			t.Errorf("show adj-rib out: no line %q in %q", want, out)
		}
	}
	if ext := strings.Join(ok("show adj-rib out extensive"), "\n"); !strings.Contains(ext, "neighbor "+peer+" local-ip 127.0.0.1") || !strings.Contains(ext, "192.0.2.0/24") {
		t.Errorf("show adj-rib out extensive: %q", ext)
	}
	outJSON := ok("show adj-rib out json")
	for _, l := range outJSON {
		var v any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Errorf("show adj-rib out json: line %q: %v", l, err)
		}
	}
	if !strings.Contains(strings.Join(outJSON, "\n"), `"192.0.2.0/24"`) {
		t.Errorf("show adj-rib out json: no 192.0.2.0/24 in %q", outJSON)
	}
	ok("withdraw route 192.0.2.0/24 next-hop 127.0.0.1")
	ok("withdraw attributes next-hop 127.0.0.1 nlri 198.51.100.0/25")
	ok("withdraw flow route destination 10.0.0.0/24 source 10.1.0.0/24 protocol tcp destination-port =80 discard")
	waitLine(&jev, "the JSON send withdraw of 192.0.2.0/24", jsonHas("update", `"withdraw"`, `"nlri": "192.0.2.0/24"`))
	waitLine(&tev, "the text send withdraw of 192.0.2.0/24", textHas("send update withdrawn 192.0.2.0/24"))

	// The peer sends a route and a ROUTE-REFRESH.
	upd, err := bench.TableUpdates(1, apiE2EPeerAS, bench.PeerAddr(0))
	if err != nil {
		t.Fatal(err)
	}
	rr := append(bytes.Repeat([]byte{0xff}, 16), 0, 23, 5, 0, 1, 0, 1)
	if err := s.Write(append(upd, rr...)); err != nil {
		t.Fatal(err)
	}
	waitLine(&jev, "the JSON receive update", jsonHas("update", `"direction": "receive"`, `"announce"`))
	waitLine(&tev, "the text receive update", textHas("receive update announced 20.0.0.0/16 next-hop "+peer+" origin igp"))
	waitLine(&jev, "the JSON receive refresh", jsonHas("refresh", `"direction": "receive"`, `"subtype": "query"`))
	waitLine(&tev, "the text receive route-refresh", textHas("receive route-refresh afi ipv4 safi unicast query"))
	in := ok("show adj-rib in " + peer)
	if len(in) != 1 || !strings.HasPrefix(in[0], peer+" ipv4 unicast ") {
		t.Errorf("show adj-rib in: %q, want one route of %s", in, peer)
	}
	if ext := ok("show adj-rib in extensive"); len(ext) != 1 || !strings.HasPrefix(ext[0], "neighbor "+peer+" ") {
		t.Errorf("show adj-rib in extensive: %q", ext)
	}
	for _, l := range ok("show adj-rib in json") {
		var v any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Errorf("show adj-rib in json: line %q: %v", l, err)
		}
	}

	ok("announce route-refresh ipv4 unicast")
	waitLine(&jev, "the JSON send refresh", jsonHas("refresh", `"direction": "send"`))
	waitLine(&tev, "the text send route-refresh", textHas("send route-refresh afi ipv4 safi unicast query"))

	// show neighbor.
	sum := ok("show neighbor summary")
	if len(sum) != 2 || !strings.HasPrefix(sum[0], "Peer            AS        up/down state       |     #sent     #recvd") ||
		!strings.HasPrefix(sum[1], fmt.Sprintf("%-15s %-7d ", peer, apiE2EPeerAS)) || !strings.Contains(sum[1], "established") {
		t.Errorf("show neighbor summary: %q", sum)
	}
	if ext := strings.Join(ok("show neighbor extensive"), "\n"); !strings.Contains(ext, "Neighbor "+peer) {
		t.Errorf("show neighbor extensive: %q", ext)
	}
	if cfg := strings.Join(ok("show neighbor configuration"), "\n"); !strings.Contains(cfg, "neighbor "+peer+" {") {
		t.Errorf("show neighbor configuration: %q", cfg)
	}
	js := ok("show neighbor json")
	var nj []map[string]any
	if err := json.Unmarshal([]byte(strings.Join(js, "\n")), &nj); err != nil || len(nj) != 1 || nj[0]["fsm"] != "ESTABLISHED" {
		// (state is "down" while duration is still 0 s: ExaBGP's as_dict)
		t.Errorf("show neighbor json: %q (%v)", js, err)
	}

	// The Adj-RIBs.
	ok("flush adj-rib out")
	ok("clear adj-rib out")
	waitLine(&jev, "the JSON withdraw of 198.51.100.128/25 (clear adj-rib out)", jsonHas("update", `"withdraw"`, `"nlri": "198.51.100.128/25"`))
	if out := ok("show adj-rib out inet"); len(out) != 0 {
		t.Errorf("show adj-rib out after clear adj-rib out: %q", out)
	}
	ok("clear adj-rib in")
	if in := ok("show adj-rib in"); len(in) != 0 {
		t.Errorf("show adj-rib in after clear adj-rib in: %q", in)
	}

	// Acknowledgements: no answer while disabled or silenced; reset has none.
	ok("enable-ack")
	ok("disable-ack")
	api.c.SetWriteDeadline(time.Now().Add(long))
	if _, err := api.c.Write([]byte("announce route 203.0.113.0/24 next-hop 127.0.0.1\nsilence-ack\nreset\n")); err != nil {
		t.Fatal(err)
	}
	if got := ok("enable-ack"); len(got) != 0 {
		t.Errorf("answers while acks were off: %q", got)
	}
	if got := ok("version"); len(got) != 1 {
		t.Errorf("version after enable-ack: %q", got)
	}
	// the route announced while acks were off was applied all the same
	waitLine(&tev, "the text send update of 203.0.113.0/24", textHas("send update announced 203.0.113.0/24 next-hop 127.0.0.1"))

	// A signal (SIGUSR1: reload of the same configuration).
	if err := d.signal("SIGUSR1"); err != nil {
		t.Fatal(err)
	}
	waitLine(&jev, "the JSON signal event", jsonHas("signal", `"code": "10", "name": "SIGUSR1"`))

	// Teardown: NOTIFICATION sent, session down.
	ok("neighbor " + peer + " teardown 2")
	waitLine(&jev, "the JSON send notification", jsonHas("notification", `"direction": "send"`, `"code": 6`, `"subcode": 2`))
	waitLine(&tev, "the text send notification", textHas("send notification code 6 subcode 2"))
	waitLine(&jev, "the JSON state down", jsonHas("state", `"state": "down", "reason": "notification sent (6,2)"`))
	waitLine(&tev, "the text down event", textHas("down - notification sent (6,2)"))
	stopPeers()

	// A second session, ended by the peer: NOTIFICATION received.
	lg2, _ := apiE2EStartPeers(t, 1, 90, port)
	apiE2EWait(t, d, long, "the second session established",
		func() bool { return lg2.Established() == 1 }, func() string { return "not established" })
	cease := append(bytes.Repeat([]byte{0xff}, 16), 0, 21, 3, 6, 4)
	if err := lg2.Sessions[0].Write(cease); err != nil {
		t.Fatal(err)
	}
	waitLine(&jev, "the JSON receive notification", jsonHas("notification", `"direction": "receive"`, `"code": 6`, `"subcode": 4`))
	waitLine(&tev, "the text receive notification", textHas("receive notification code 6 subcode 4"))
	waitLine(&jev, "the JSON state down (received)", jsonHas("state", `"state": "down", "reason": "notification received (6,4)"`))
	waitLine(&tev, "the text down event (received)", textHas("down - notification received (6,4)"))

	// Every JSON event kind, with ExaBGP's envelope and neighbor block.
	kinds := map[string]bool{}
	envelope := []string{"exabgp", "time", "host", "pid", "ppid", "counter", "type", "neighbor"}
	nbBlock := []string{"address", "asn", "router-id"}
	for _, l := range jev.snapshot() {
		if !strings.HasPrefix(l, "{") {
			continue
		}
		keys, vals, err := apiCmdKeys([]byte(l))
		if err != nil {
			t.Errorf("JSON event %q: %v", l, err)
			continue
		}
		var typ string
		json.Unmarshal(vals["type"], &typ)
		if vals["neighbor"] == nil { // the shutdown notification, not expected here
			t.Errorf("JSON event without a neighbor: %q", l)
			continue
		}
		kinds[typ] = true
		if strings.Join(keys, ",") != strings.Join(envelope, ",") {
			t.Errorf("JSON %s event keys %q, want %q: %s", typ, keys, envelope, l)
		}
		nk, nv, err := apiCmdKeys(vals["neighbor"])
		if err != nil || len(nk) < 4 || strings.Join(nk[:3], ",") != strings.Join(nbBlock, ",") {
			t.Errorf("JSON %s event neighbor keys %q (%v), want %q then the payload: %s", typ, nk, err, nbBlock, l)
			continue
		}
		var addr struct{ Local, Peer string }
		if json.Unmarshal(nv["address"], &addr); addr.Peer != peer || addr.Local != "127.0.0.1" {
			t.Errorf("JSON %s event address %s", typ, nv["address"])
		}
		switch typ {
		case "negotiated":
			k, _, err := apiCmdKeys(nv["negotiated"])
			want := "message_size,hold_time,asn4,multisession,operational,refresh,families,nexthop,add_path"
			if err != nil || strings.Join(k, ",") != want {
				t.Errorf("JSON negotiated keys %q (%v), want %s", k, err, want)
			}
		case "open":
			var o struct {
				Capabilities map[string]json.RawMessage
			}
			json.Unmarshal(nv["open"], &o)
			var way string
			json.Unmarshal(nv["direction"], &way)
			// received OPENs key capabilities by code, sent ones by name
			if key := map[string]string{"receive": "1", "send": "multiprotocol"}[way]; o.Capabilities[key] == nil {
				t.Errorf("JSON %s open: no capability %q: %s", way, key, nv["open"])
			}
		}
		switch typ {
		case "open", "update", "keepalive", "notification", "refresh":
			if nk[3] != "direction" {
				t.Errorf("JSON %s event: %q after router-id, want direction: %s", typ, nk[3], l)
			}
		}
	}
	for _, k := range []string{"state", "fsm", "negotiated", "open", "update", "keepalive", "notification", "refresh", "signal"} {
		if !kinds[k] {
			t.Errorf("no JSON %s event", k)
		}
	}
	for _, way := range []string{"send", "receive"} {
		for _, k := range []string{"open", "keepalive"} {
			if jev.find(jsonHas(k, `"direction": "`+way+`"`)) < 0 {
				t.Errorf("no JSON %s %s event", way, k)
			}
		}
	}
	if jev.find(jsonHas("state", `"state": "connected"`)) < 0 {
		t.Errorf("no JSON state connected event")
	}
	if jev.find(jsonHas("fsm", `"state": "ESTABLISHED"`)) < 0 {
		t.Errorf("no JSON fsm ESTABLISHED event")
	}

	// The text helper: the same events, each followed by a blank line;
	// fsm, negotiated and signal have no text form.
	tl := tev.snapshot()
	if os.Getenv("APICMD_DUMP") != "" { // APICMD_DUMP=1 -v: show what the text helper got
		t.Logf("text:\n%s", strings.Join(tl, "\n"))
	}
	for _, want := range []string{"connected", "up", "down", "send open version 4 asn 65000 hold_time 90 router_id 127.0.0.1 capabilities [multiprotocol(ipv4 unicast,ipv4 flow,l2vpn vpls), route refresh,",
		"receive open version 4 asn 65001 hold_time 90 router_id " + peer + " capabilities [multiprotocol(ipv4 unicast), route refresh, asn4(65001)]",
		"send keepalive", "receive keepalive", "receive update end", "send update end",
		"send notification code 6 subcode 2", "receive notification code 6 subcode 4",
		"send route-refresh", "receive route-refresh"} {
		i := tev.find(textHas(want))
		if i < 0 {
			t.Errorf("no text event %q", "neighbor "+peer+" "+want)
			continue
		}
		if i+1 >= len(tl) || tl[i+1] != "" {
			t.Errorf("text event %q is not followed by a blank line", tl[i])
		}
	}
	for _, want := range []string{"receive update start", "send update start"} {
		if tev.find(textHas(want)) < 0 {
			t.Errorf("no text event %q", "neighbor "+peer+" "+want)
		}
	}
	for _, l := range tl {
		if l != "" && !strings.HasPrefix(l, "neighbor "+peer+" ") {
			t.Errorf("unexpected text helper line %q", l)
		}
	}
}
