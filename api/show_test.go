package api

import (
	"os"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"exago/config"
	"exago/peer"
)

// The testdata/show-neighbor-*.txt files are what ExaBGP 5.0.13 answered
// to `exabgp cli show neighbor …` for showConf (an idle passive peer),
// captured through ExaGo's `exabgp cli` client.
// testdata/show-neighbor-conf.txt is ExaBGP's `show neighbor
// configuration` for the same peer, kept for when config.NeighborText
// matches it.
const showConf = `
neighbor 127.0.0.2 {
	router-id 10.0.0.1;
	local-address 127.0.0.1;
	local-as 65000;
	peer-as 65001;
	passive;
}
`

func TestShowNeighborGolden(t *testing.T) {
	cfg, err := config.LoadText("show.conf", showConf, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_700_000_000, 0)
	p := peer.New(cfg.Neighbors[0], nopDriver{}, peer.Options{Now: func() time.Time { return now }})
	d := &PeerSet{List: func() []*peer.Peer { return []*peer.Peer{p} }, Now: func() time.Time { return now }, Log: zerolog.Nop()}
	s := New(Options{Log: zerolog.Nop(), Loop: newFakeLoop(), Daemon: d})
	s.procs["cli"] = &process{name: "cli", ack: true, internal: true, stdin: -10, stdout: -11}
	for cmd, file := range map[string]string{
		"show neighbor summary":   "testdata/show-neighbor-sum.txt",
		"show neighbor extensive": "testdata/show-neighbor-ext.txt",
		"show neighbor json":      "testdata/show-neighbor-json.txt",
		// configuration: config.NeighborText (validate -n) differs from
		// ExaBGP's str(neighbor) in a few lines; not compared yet.
	} {
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		s.Command("cli", cmd)
		got := output(s, "cli")
		if got != string(want)+"done\n" {
			t.Errorf("%s:\n got %q\nwant %q", cmd, got, string(want)+"done\n")
		}
	}
}
