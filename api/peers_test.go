package api

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"exago/config"
	"exago/peer"
)

// nopDriver is a peer.Driver that does nothing.
type nopDriver struct{}

func (nopDriver) Connect(*peer.Peer, netip.Addr, netip.AddrPort) {}
func (nopDriver) Close(*peer.Peer)                               {}
func (nopDriver) WantWrite(*peer.Peer)                           {}
func (nopDriver) SetTimer(*peer.Peer, peer.Timer, time.Time)     {}
func (nopDriver) StopTimer(*peer.Peer, peer.Timer)               {}
func (nopDriver) PauseRead(*peer.Peer, bool)                     {}

const peersConf = `
process helper {
	run /bin/cat;
	encoder json;
}
neighbor 127.0.0.2 {
	router-id 10.0.0.1;
	local-address 127.0.0.1;
	local-as 65000;
	peer-as 65001;
	api { processes [ helper ]; neighbor-changes; }
}
neighbor 127.0.0.3 {
	router-id 10.0.0.1;
	local-address 127.0.0.1;
	local-as 65000;
	peer-as 65002;
	family { ipv6 unicast; }
}
`

// TestPeerSet runs commands through a Server whose Daemon is a PeerSet
// over real peers, built from configuration text.
func TestPeerSet(t *testing.T) {
	cfg, err := config.LoadText("test.conf", peersConf, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_700_000_000, 0)
	var peers []*peer.Peer
	for _, n := range cfg.Neighbors {
		peers = append(peers, peer.New(n, nopDriver{}, peer.Options{Now: func() time.Time { return now }}))
	}
	var signals []Signal
	d := &PeerSet{List: func() []*peer.Peer { return peers }, Now: func() time.Time { return now },
		OnSignal: func(s Signal) { signals = append(signals, s) }, Log: zerolog.Nop()}
	l := newFakeLoop()
	s := New(Options{Log: zerolog.Nop(), Loop: l, Daemon: d, Version: "5.0.13"})
	s.procs["helper"] = &process{name: "helper", ack: true, stdin: -10, stdout: -11}
	s.procs[InternalPrefix+"-1"] = &process{name: InternalPrefix + "-1", ack: true, internal: true, stdin: -12, stdout: -13}

	steps := []struct{ proc, line, out string }{
		{"helper", "announce route 10.0.0.0/24 next-hop 192.0.2.1 med 10", "done\n"},
		{"helper", "announce route 10.0.1.0/24 next-hop", "error\n"},
		{"helper", "neighbor 127.0.0.3 announce route 10.0.0.0/24 next-hop 192.0.2.1", "error\n"}, // not its peer
		{"helper", "show adj-rib out", "127.0.0.2 ipv4 unicast 10.0.0.0/24 next-hop 192.0.2.1\ndone\n"},
		{"helper", "show adj-rib out extensive",
			"neighbor 127.0.0.2 local-ip 127.0.0.1 local-as 65000 peer-as 65001 router-id 10.0.0.1 family-allowed in-open ipv4 unicast 10.0.0.0/24 next-hop 192.0.2.1 med 10\ndone\n"},
		{"helper", "show adj-rib out json", `{"127.0.0.2": {"routes": [{"prefix": "10.0.0.0/24", "family": "ipv4 unicast"}]}}` + "\ndone\n"},
		{"helper", "withdraw route 10.0.0.0/24", "done\n"},
		{"helper", "show adj-rib out", "done\n"},
		// the internal CLI helper sees every peer
		{InternalPrefix + "-1", "neighbor 127.0.0.3 announce route 2001:db8::/32 next-hop 2001:db8::1", "done\n"},
		{"helper", "show adj-rib out 127.0.0.3", "127.0.0.3 ipv6 unicast 2001:db8::/32 next-hop 2001:db8::1\ndone\n"},
		{"helper", "show neighbor 127.0.0.2 summary", SummaryHeader + "\n127.0.0.2       65001        down idle                  0          0\ndone\n"},
		{"helper", "reload", "reload in progress\ndone\n"},
		// operational: parsed once, queued on the peer (dropped there
		// unless the capability is negotiated); a malformed one is an error
		{"helper", "announce operational asm afi ipv4 safi unicast advisory \"maintenance\"", "done\n"},
		{"helper", "announce operational rpcq afi ipv4 safi unicast", "error\n"},
	}
	for _, st := range steps {
		s.Command(st.proc, st.line)
		if got := output(s, st.proc); got != st.out {
			t.Errorf("%s %q:\n got %q\nwant %q", st.proc, st.line, got, st.out)
		}
	}
	if len(signals) != 1 || signals[0] != SignalReload {
		t.Errorf("signals %v", signals)
	}
	if n := cfg.Neighbors[0].Name; !strings.HasPrefix(n, "neighbor 127.0.0.2 ") {
		t.Logf("neighbor name %q", n)
	}
}

func TestPeerSetRoutesV2(t *testing.T) {
	cfg, err := config.LoadText("test.conf", peersConf, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_700_000_000, 0)
	p := peer.New(cfg.Neighbors[0], nopDriver{}, peer.Options{Now: func() time.Time { return now }})
	d := &PeerSet{List: func() []*peer.Peer { return []*peer.Peer{p} }, Now: func() time.Time { return now }, RoutesV2: true, Log: zerolog.Nop()}
	s := New(Options{Log: zerolog.Nop(), Loop: newFakeLoop(), Daemon: d})
	s.procs["helper"] = &process{name: "helper", ack: true, stdin: -10, stdout: -11}
	s.Command("helper", "announce route 10.0.0.0/24 next-hop 192.0.2.1 med 10")
	s.Command("helper", "show adj-rib out json")
	out := output(s, "helper")
	if !strings.HasPrefix(out, "done\n"+`{"peer": {"address": "127.0.0.2"}, "route": {"nlri": {"prefix": "10.0.0.0/24"`) || !strings.HasSuffix(out, "}\ndone\n") {
		t.Errorf("v2: %q", out)
	}
}

// The reactor may list its peers in any order; `show` answers follow the
// configuration.
func TestPeerSetOrder(t *testing.T) {
	cfg, err := config.LoadText("test.conf", peersConf, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_700_000_000, 0)
	var peers []*peer.Peer
	for i := len(cfg.Neighbors) - 1; i >= 0; i-- {
		peers = append(peers, peer.New(cfg.Neighbors[i], nopDriver{}, peer.Options{Now: func() time.Time { return now }}))
	}
	d := &PeerSet{List: func() []*peer.Peer { return peers }, Now: func() time.Time { return now }, Log: zerolog.Nop()}
	s := New(Options{Log: zerolog.Nop(), Loop: newFakeLoop(), Daemon: d})
	s.procs["cli"] = &process{name: "cli", ack: true, internal: true, stdin: -10, stdout: -11}
	s.Command("cli", "show neighbor summary")
	want := SummaryHeader + "\n" +
		"127.0.0.2       65001        down idle                  0          0\n" +
		"127.0.0.3       65002        down idle                  0          0\ndone\n"
	if got := output(s, "cli"); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
