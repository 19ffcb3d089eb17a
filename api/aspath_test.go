package api

import (
	"testing"
	"time"

	"github.com/rs/zerolog"

	"exago/config"
	"exago/peer"
)

// TestAnnounceASPath: ExaBGP 5.0.13 answers `error` to an as-path holding
// braces (its tokeniser ends the command at '{'), and keeps sequence and
// set segments as written. ExaGo used to answer `done` and merge the set
// into the sequence.
func TestAnnounceASPath(t *testing.T) {
	cfg, err := config.LoadText("test.conf", peersConf, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_700_000_000, 0)
	p := peer.New(cfg.Neighbors[0], nopDriver{}, peer.Options{Now: func() time.Time { return now }})
	d := &PeerSet{List: func() []*peer.Peer { return []*peer.Peer{p} }, Now: func() time.Time { return now }, Log: zerolog.Nop()}
	s := New(Options{Log: zerolog.Nop(), Loop: newFakeLoop(), Daemon: d})
	s.procs["helper"] = &process{name: "helper", ack: true, stdin: -10, stdout: -11}
	steps := []struct{ line, out string }{
		{"announce route 10.0.0.0/24 next-hop 192.0.2.1 as-path [ 1 2 { 3 4 } ]", "error\n"},
		{"announce route 10.0.0.0/24 next-hop 192.0.2.1 as-path [ { 1 2 } ]", "error\n"},
		{"announce route 10.0.0.0/24 next-hop 192.0.2.1 as-path ( { 1 2 } )", "error\n"},
		{"announce route 10.0.0.0/24 next-hop 192.0.2.1 as-path 65000", "error\n"},
		{"show adj-rib out", "done\n"},
		{"announce route 10.0.0.0/24 next-hop 192.0.2.1 as-path [1 2](3 4)", "done\n"},
		// ExaBGP's text shows a sequence in ( ) and a set in [ ]
		{"show adj-rib out extensive", "neighbor 127.0.0.2 local-ip 127.0.0.1 local-as 65000 peer-as 65001 router-id 10.0.0.1 family-allowed in-open " +
			"ipv4 unicast 10.0.0.0/24 next-hop 192.0.2.1 as-path ( 1 2 ) [ 3 4 ]\ndone\n"},
	}
	for _, st := range steps {
		s.Command("helper", st.line)
		if got := output(s, "helper"); got != st.out {
			t.Errorf("%q:\n got %q\nwant %q", st.line, got, st.out)
		}
	}
}
