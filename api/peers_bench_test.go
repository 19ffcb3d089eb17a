package api

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"exago/config"
	"exago/peer"
)

// BenchmarkRoutesToPeers is one `announce route <prefix> next-hop
// 127.0.0.1` (no selector) applied to 100 peers that are not established
// yet, as the bench scenario inject-api does at start: the command parse,
// the per-peer Adj-RIB-Out insertions (pending set and cache), the log
// lines (disabled). Each iteration announces a new prefix.
func BenchmarkRoutesToPeers(b *testing.B) {
	const n = 100
	var conf strings.Builder
	for i := range n {
		fmt.Fprintf(&conf, "neighbor 127.0.%d.%d {\n router-id 10.0.0.1;\n local-address 127.0.0.1;\n local-as 65000;\n peer-as 65001;\n passive;\n}\n", i/250, 2+i%250)
	}
	cfg, err := config.LoadText("bench.conf", conf.String(), nil)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Unix(1_700_000_000, 0)
	peers := make([]*peer.Peer, 0, n)
	for _, nb := range cfg.Neighbors {
		peers = append(peers, peer.New(nb, nopDriver{}, peer.Options{Now: func() time.Time { return now }}))
	}
	d := &PeerSet{List: func() []*peer.Peer { return peers }, Now: func() time.Time { return now }, Log: zerolog.Nop()}
	lines := make([][]string, 1<<16)
	for i := range lines {
		lines[i] = fields(nil, fmt.Sprintf("announce route %d.%d.%d.0/24 next-hop 127.0.0.1", 10+i/65536, i/256%256, i%256))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := lines[i%len(lines)]
		if err := d.Routes(cfg.Neighbors, RouteCommand{Action: ActionAnnounce, Kind: KindRoute, Line: strings.Join(w, " "), Words: w}); err != nil {
			b.Fatal(err)
		}
	}
}
