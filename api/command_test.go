package api

import (
	"errors"
	"os"
	"sort"
	"strings"
	"testing"
)

func TestCommandTableOrder(t *testing.T) {
	c := newCommands()
	if len(c) != 36 {
		t.Fatalf("%d registered commands, want 36", len(c))
	}
	names := make([]string, len(c))
	for i := range c {
		names[i] = c[i].name
	}
	if !sort.IsSorted(sort.Reverse(sort.StringSlice(names))) {
		t.Fatalf("commands not in reverse alphabetical order: %v", names)
	}
}

func TestNormalise(t *testing.T) {
	for in, want := range map[string]string{
		"  announce\troute 1.0.0.0/24   next-hop 1.1.1.1 ":      "announce route 1.0.0.0/24 next-hop 1.1.1.1",
		"announce route 1.0.0.0/24 community [65000:1 65000:2]": "announce route 1.0.0.0/24 community [ 65000:1 65000:2 ]",
		"neighbor 1.1.1.1,neighbor 2.2.2.2 teardown 4":          "neighbor 1.1.1.1 , neighbor 2.2.2.2 teardown 4",
		"as-path (1 2)": "as-path ( 1 2 )",
		",x":            " , x",
		"":              "",
	} {
		if got := string(normalise(nil, []byte(in))); got != want {
			t.Errorf("normalise(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCommands(t *testing.T) {
	routeErr := errors.New("bad route")
	tests := []struct {
		proc, line string
		routeErr   error
		calls      string // daemon calls joined by ";"
		out        string // what the helper reads
	}{
		{"p1", "announce route 1.0.0.0/24 next-hop 1.1.1.1", nil,
			"routes 10.0.0.1,10.0.0.2 announce route [announce|route|1.0.0.0/24|next-hop|1.1.1.1]", "done\n"},
		{"p2", "withdraw route 1.0.0.0/24", nil,
			"routes 10.0.0.2,10.0.0.3 withdraw route [withdraw|route|1.0.0.0/24]", "done\n"},
		{"p1", "announce route 1.0.0.0/24 next-hop", routeErr,
			"routes 10.0.0.1,10.0.0.2 announce route [announce|route|1.0.0.0/24|next-hop]", "error\n"},
		{"p1", "neighbor 10.0.0.2 announce ipv4 unicast 1.0.0.0/24 next-hop 1.1.1.1", nil,
			"routes 10.0.0.2 announce ipv4 [announce|ipv4|unicast|1.0.0.0/24|next-hop|1.1.1.1]", "done\n"},
		{"p1", "neighbor 10.0.0.3 announce route 1.0.0.0/24 next-hop 1.1.1.1", nil, "", "error\n"}, // not in p1's scope
		{"p1", "neighbor 10.0.0.1 peer-as 65001 , neighbor 10.0.0.2 announce ipv6 unicast ::/0 next-hop ::1", nil,
			"routes 10.0.0.1,10.0.0.2 announce ipv6 [announce|ipv6|unicast|::/0|next-hop|::1]", "done\n"},
		{"p1", "neighbor 10.0.0.1 peer-as 65009 announce route 1.0.0.0/24 next-hop 1.1.1.1", nil, "", "error\n"},
		{"p1", "neighbor * announce attributes next-hop 1.1.1.1 nlri 1.0.0.0/24 2.0.0.0/24", nil,
			"routes 10.0.0.1,10.0.0.2 announce attributes [announce|attributes|next-hop|1.1.1.1|nlri|1.0.0.0/24|2.0.0.0/24]", "done\n"},
		{"p1", "withdraw attribute next-hop 1.1.1.1 nlri 1.0.0.0/24", nil,
			"routes 10.0.0.1,10.0.0.2 withdraw attributes [withdraw|attribute|next-hop|1.1.1.1|nlri|1.0.0.0/24]", "done\n"},
		{"p1", "announce flow route { match { source 10.0.0.1/32; } then { discard; } }", nil,
			"routes 10.0.0.1,10.0.0.2 announce flow [announce|flow|route|{|match|{|source|10.0.0.1/32;|}|then|{|discard;|}|}]", "done\n"},
		{"p1", "withdraw vpls endpoint 5", nil, "routes 10.0.0.1,10.0.0.2 withdraw vpls [withdraw|vpls|endpoint|5]", "done\n"},
		{"p1", "announce eor", nil, "eor 10.0.0.1,10.0.0.3 ipv4 unicast", "done\n"},
		{"p1", "neighbor 10.0.0.3 announce eor ipv6 flow", nil, "eor 10.0.0.3 ipv6 flow", "done\n"},
		{"p1", "neighbor 10.0.0.2 announce eor", nil, "", "error\n"}, // not established
		{"p1", "announce eor ipv4", nil, "", "error\n"},
		{"p1", "announce route-refresh ipv4 unicast", nil, "refresh 10.0.0.1,10.0.0.3 ipv4 unicast", "done\n"},
		{"p1", "announce route-refresh", nil, "", "error\n"},
		{"p1", "announce operational asm afi ipv4 safi unicast advisory x", nil,
			"operational 10.0.0.1,10.0.0.2 asm afi ipv4 safi unicast advisory x", "done\n"},
		{"p1", "announce operational bogus", nil, "", "done\n"},
		{"p1", "announce watchdog dog", nil, "watchdog dog true", "done\n"},
		{"p1", "withdraw watchdog", nil, "watchdog p1 false", "done\n"},
		{"p1", "neighbor 10.0.0.3 teardown 4", nil, "teardown 10.0.0.3 4", "done\n"},
		{"p1", "neighbor 10.0.0.2 teardown 4", nil, "", "done\n"}, // not established
		{"p1", "teardown x", nil, "", "error\n"},
		{"p1", "flush adj-rib out", nil, "flush 10.0.0.1;flush 10.0.0.3", "done\n"},
		{"p1", "neighbor 10.0.0.2 clear adj-rib in", nil, "clear 10.0.0.2 in=true", "done\n"},
		{"p1", "clear adj-rib", nil, "clear 10.0.0.1 in=false;clear 10.0.0.2 in=false;clear 10.0.0.3 in=false", "done\n"},
		{"p1", "show neighbor summary", nil, "",
			"Peer            AS        up/down state       |     #sent     #recvd\n" +
				"10.0.0.1        65001        down idle                  3          4\n" +
				"10.0.0.2        65001        down idle                  3          4\n" +
				"10.0.0.3        65001        down idle                  3          4\ndone\n"},
		{"p1", "show neighbor 10.0.0.2 summary", nil, "",
			"Peer            AS        up/down state       |     #sent     #recvd\n" +
				"10.0.0.2        65001        down idle                  3          4\ndone\n"},
		{"p1", "show neighbor 10.0.0.1 extensive", nil, "",
			"Neighbor 10.0.0.1\n\n    Session                       Local\n" +
				"   local                     10.0.0.254                                \n" +
				"   state                           IDLE                                \n" +
				"   down for                     0:00:00                                \n\n" +
				"    Setup                         Local          Remote\n" +
				"   AS                             65000           65001                \n" +
				"   ID                        10.0.0.254             n/a                \n" +
				"   hold-time                        180             n/a                \n\n" +
				"    Capability                    Local          Remote\n\n" +
				"    Families                      Local          Remote        Add-Path\n\n" +
				"    Message Statistic              Sent        Received\n" +
				"   update:                            3               4                \n\ndone\n"},
		{"p1", "show neighbor", nil, "",
			"please specify summary, extensive or configuration\nyou can filter by peer ip address adding it after the word neighbor\ndone\n"},
		{"p1", "show adj-rib out extensive", nil,
			"show-adj-rib {In:false Extensive:true JSON:false Class: Filter:}", "rib line\ndone\n"},
		{"p1", "show adj-rib in 10.0.0.1 json", nil,
			"show-adj-rib {In:true Extensive:false JSON:true Class: Filter:10.0.0.1}", "rib line\ndone\n"},
		// ExaBGP takes the first word left as the filter: a class word
		// before the address means every peer.
		{"p1", "show adj-rib in inet 10.0.0.1", nil,
			"show-adj-rib {In:true Extensive:false JSON:false Class:inet Filter:}", "rib line\ndone\n"},
		{"p1", "shutdown", nil, "signal 1", "shutdown in progress\ndone\n"},
		{"p1", "reload", nil, "signal 2", "reload in progress\ndone\n"},
		{"p1", "restart", nil, "signal 3", "restart in progress\ndone\n"},
		{"p1", "version", nil, "", "exabgp 5.0.13\ndone\n"},
		{"p1", "# a comment", nil, "", "done\n"},
		{"p1", "reset", nil, "", ""},
		{"p1", "crash", nil, "", "error\n"},
		{"p1", "bogus", nil, "", "error\n"},
		{"p1", "", nil, "", "error\n"},
		{"p1", "announce route 1.0.0.0/24 next-hop 1.1.1.1 json", nil, "", "error\n"},
	}
	for _, tt := range tests {
		s, _, d := testServer(t)
		d.routeErr = tt.routeErr
		s.Command(tt.proc, tt.line)
		if got := strings.Join(d.calls, ";"); got != tt.calls {
			t.Errorf("%s %q: calls\n got %q\nwant %q", tt.proc, tt.line, got, tt.calls)
		}
		if got := output(s, tt.proc); got != tt.out {
			t.Errorf("%s %q: output\n got %q\nwant %q", tt.proc, tt.line, got, tt.out)
		}
	}
}

func TestAcks(t *testing.T) {
	s, _, _ := testServer(t)
	steps := []struct{ line, out string }{
		{"version", "exabgp 5.0.13\ndone\n"},
		{"disable-ack", "done\n"},
		{"version", "exabgp 5.0.13\n"},
		{"bogus", ""},
		{"enable-ack", "done\n"},
		{"bogus", "error\n"},
		{"silence-ack", ""},
		{"announce eor", ""},
		{"enable-ack", "done\n"},
	}
	for _, st := range steps {
		s.Command("p1", st.line)
		if got := output(s, "p1"); got != st.out {
			t.Errorf("%q: got %q, want %q", st.line, got, st.out)
		}
	}
}

// testdata/help.txt is ExaBGP 5.0.13's answer to `help` (captured with
// `exabgp cli help`).
func TestHelp(t *testing.T) {
	s, _, _ := testServer(t)
	s.Command("p1", "help")
	want, err := os.ReadFile("testdata/help.txt")
	if err != nil {
		t.Fatal(err)
	}
	if got := output(s, "p1"); got != string(want)+"done\n" {
		t.Errorf("help:\n%s\nwant\n%s", got, want)
	}
}

func TestSelectors(t *testing.T) {
	tests := []struct {
		line, rest string
		sels       [][]string
	}{
		{"announce route x", "announce route x", nil},
		{"neighbor 1.1.1.1 announce route x", "announce route x", [][]string{{"neighbor 1.1.1.1"}}},
		{"neighbor 1.1.1.1 local-as 1 peer-as 2 teardown 4", "teardown 4",
			[][]string{{"neighbor 1.1.1.1", "local-as 1", "peer-as 2"}}},
		{"neighbor 1.1.1.1 router-id 9.9.9.9 , neighbor 2.2.2.2 announce eor", "announce eor",
			[][]string{{"neighbor 1.1.1.1", "router-id 9.9.9.9"}, {"neighbor 2.2.2.2"}}},
	}
	for _, tt := range tests {
		sels, rest := extractNeighbors(tt.line)
		if rest != tt.rest || len(sels) != len(tt.sels) {
			t.Errorf("%q: got %q %v", tt.line, rest, sels)
			continue
		}
		for i := range sels {
			if strings.Join(sels[i], "|") != strings.Join(tt.sels[i], "|") {
				t.Errorf("%q: selector %d = %v, want %v", tt.line, i, sels[i], tt.sels[i])
			}
		}
	}
	name := "neighbor 10.0.0.1 local-ip 10.0.0.254 local-as 65000 peer-as 65001 router-id 10.0.0.254 family-allowed in-open"
	for sel, want := range map[string]bool{
		"neighbor 10.0.0.1":      true,
		"neighbor 10.0.0.10":     false,
		"neighbor 10.0.0":        false,
		"neighbor *":             true,
		"peer-as 65001":          true,
		"peer-as 6500":           false,
		"family-allowed in-open": true,
		"local-ip 10.0.0.254":    true,
		"router-id 10.0.0.25":    false,
	} {
		if got := (selector{sel}).match(name); got != want {
			t.Errorf("match(%q) = %v, want %v", sel, got, want)
		}
	}
}

func TestProcessesMatchScope(t *testing.T) {
	s, _, d := testServer(t)
	d.peers[2].Neighbor.APIs = append(d.peers[2].Neighbor.APIs, configBinding("p[0-9]"))
	s.SetNeighbors([]*configNeighbor{d.peers[0].Neighbor, d.peers[1].Neighbor, d.peers[2].Neighbor})
	s.Command("p1", "announce route 1.0.0.0/24 next-hop 1.1.1.1")
	if got := strings.Join(d.calls, ";"); !strings.HasPrefix(got, "routes 10.0.0.1,10.0.0.2,10.0.0.3 ") {
		t.Errorf("processes-match not honoured: %q", got)
	}
}

func TestShowNeighborJSON(t *testing.T) {
	s, _, d := testServer(t)
	d.peers = d.peers[:1]
	s.Command("p1", "show neighbor json")
	want := `[{"state": "down", "duration": 0, "fsm": "IDLE", "local": {"capabilities": {}, "families": {}, "add-path": {}, ` +
		`"address": "10.0.0.254", "as": 65000, "id": "10.0.0.254", "hold": 180}, "peer": {"capabilities": {}, "families": {}, ` +
		`"add-path": {}, "address": "10.0.0.1", "as": 65001, "id": null, "hold": null}, "messages": {"sent": {"update": 3}, ` +
		`"received": {"update": 4}}, "capabilities": [], "families": [], "add-path": {}}]` + "\ndone\n"
	if got := output(s, "p1"); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestTimedelta(t *testing.T) {
	for n, want := range map[int64]string{0: "0:00:00", 6: "0:00:06", 3725: "1:02:05", 86400 + 61: "1 day, 0:01:01", 3*86400 + 1: "3 days, 0:00:01"} {
		if got := timedelta(n); got != want {
			t.Errorf("timedelta(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestConsumeSplitLines(t *testing.T) {
	s, _, d := testServer(t)
	p := s.procs["p1"]
	for _, part := range []string{"annou", "nce e", "or\nvers", "ion\r\n", "debug x\n\n"} {
		s.consume(p, []byte(part))
	}
	if got := strings.Join(d.calls, ";"); got != "eor 10.0.0.1,10.0.0.3 ipv4 unicast" {
		t.Errorf("calls %q", got)
	}
	if got := output(s, "p1"); got != "done\nexabgp 5.0.13\ndone\nerror\n" {
		t.Errorf("output %q", got)
	}
	s.consume(p, []byte("version \xc3\xa9\n"))
	if got := output(s, "p1"); got != "error\n" {
		t.Errorf("non-ASCII line: %q", got)
	}
}
