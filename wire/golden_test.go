package wire

import (
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var sampleNH = netip.MustParseAddr("192.0.2.1")

var update = flag.Bool("update", false, "rewrite testdata/message/*.hex from the typed values")

// goldenMessages are typed values whose encodings are kept in
// testdata/message/<name>.hex: value → hex is checked against the file,
// and hex → value → hex by decoding the file and re-encoding.
func goldenMessages(t testing.TB) map[string][]byte {
	ibgp := negotiated(65000, 65000)
	ebgp2 := &Negotiated{MaxSize: MaxSize, LocalAS: 65000, PeerAS: 65001}
	nh4 := netip.MustParseAddr("192.0.2.1")
	attrs := &Attributes{HasMED: true, MED: 20, Communities: []uint32{0xfde80064, 0xfde800c8},
		ExtCommunities:   []ExtCommunity{RouteTarget(65000, 100)},
		LargeCommunities: []LargeCommunity{{4200000000, 1, 2}}, HasAIGP: true, AIGP: 1000,
		HasOriginatorID: true, OriginatorID: netip.MustParseAddr("10.0.0.1"),
		ClusterList: []netip.Addr{netip.MustParseAddr("10.0.0.2")}}
	build := func(n *Negotiated, u UpdateBuilder) []byte {
		b, err := u.Append(nil, n)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	full := NewOpen(4200000000, 90, netip.MustParseAddr("192.0.2.9"), Capabilities{
		Families: []Family{IPv4Unicast, IPv6Unicast, IPv4VPN}, HasASN4: true, ASN4: 4200000000,
		HasNextHop: true, NextHops: []NextHopTuple{{IPv4Unicast, AFIIPv6}},
		HasAddPath: true, AddPath: []AddPathFamily{{IPv4Unicast, AddPathBoth}},
		HasGracefulRestart: true, GracefulRestart: GracefulRestart{Time: 120,
			Families: []GRFamily{{IPv4Unicast, GRForwarding}}},
		RouteRefresh: true, EnhancedRefresh: true, Operational: true, ExtendedMessage: true,
		HasHostName: true, HostName: "router", DomainName: "example.net",
		HasSoftwareVersion: true, SoftwareVersion: "ExaBGP/5.0.0-0+test", MultiSession: true,
		MultiSessionCodes: []uint8{CapMultiprotocol}})
	return map[string][]byte{
		"open-full":          full.Append(nil),
		"keepalive":          AppendKeepalive(nil),
		"notification-reset": AppendNotification(nil, CodeCease, SubcodeAdminReset, "maintenance"),
		"refresh-borr":       RouteRefresh{IPv6Unicast, RefreshBegin}.Append(nil),
		"eor-ipv4":           AppendEOR(nil, IPv4Unicast),
		"eor-vpnv4":          AppendEOR(nil, IPv4VPN),
		"update-ipv4-ibgp": build(ibgp, UpdateBuilder{Family: IPv4Unicast, NextHop: nh4, Attrs: attrs,
			Announce: []NLRI{prefixNLRI(IPv4Unicast, "10.1.0.0/16"), prefixNLRI(IPv4Unicast, "10.2.3.0/24")},
			Withdraw: []NLRI{prefixNLRI(IPv4Unicast, "10.9.0.0/16")}}),
		"update-ipv4-withdraw": build(ibgp, UpdateBuilder{Family: IPv4Unicast,
			Withdraw: []NLRI{prefixNLRI(IPv4Unicast, "10.9.0.0/16")}}),
		"update-ipv4-as4path": build(ebgp2, UpdateBuilder{Family: IPv4Unicast, NextHop: nh4,
			Attrs: &Attributes{HasASPath: true, ASPath: []ASSegment{{ASSequence, []uint32{65000, 4200000000}}},
				HasAggregator: true, Aggregator: Aggregator{4200000000, nh4}},
			Announce: []NLRI{prefixNLRI(IPv4Unicast, "10.1.0.0/16")}}),
		"update-ipv6-linklocal": build(ibgp, UpdateBuilder{Family: IPv6Unicast,
			NextHop: netip.MustParseAddr("2001:db8::1"), LinkLocal: netip.MustParseAddr("fe80::1"),
			Announce: []NLRI{prefixNLRI(IPv6Unicast, "2001:db8:1::/48")},
			Withdraw: []NLRI{prefixNLRI(IPv6Unicast, "2001:db8:2::/48")}}),
		"update-ipv4-mpls": build(ibgp, UpdateBuilder{Family: IPv4MPLS, NextHop: nh4,
			Announce: []NLRI{&INET{Fam: IPv4MPLS, Prefix: netip.MustParsePrefix("10.1.0.0/16"), Labels: []uint32{100, 200}}}}),
		"update-ipv6-vpn": build(ibgp, UpdateBuilder{Family: IPv6VPN, NextHop: netip.MustParseAddr("2001:db8::1"),
			Attrs:    &Attributes{ExtCommunities: []ExtCommunity{RouteTarget(65000, 1)}},
			Announce: []NLRI{&INET{Fam: IPv6VPN, Prefix: netip.MustParsePrefix("2001:db8:5::/48"), Labels: []uint32{16}, RD: RDFromIPv4(nh4, 7)}}}),
	}
}

func TestGoldenMessages(t *testing.T) {
	dir := filepath.Join("testdata", "message")
	for name, raw := range goldenMessages(t) {
		file := filepath.Join(dir, name+".hex")
		if *update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, []byte(tohex(raw)+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%v (run go test ./wire -run Golden -update)", err)
		}
		want := unhex(t, strings.TrimSpace(string(src)))
		if tohex(raw) != tohex(want) {
			t.Errorf("%s: value encodes as\n%s\nfile has\n%s", name, tohex(raw), tohex(want))
		}
		m, _, err := Frame(want, MaxSizeExtMsg)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		switch m.Type() {
		case TypeOpen:
			o, err := DecodeOpen(m.Body())
			if err != nil || tohex(o.Append(nil)) != tohex(want) {
				t.Errorf("%s: hex → value → hex differs (%v)", name, err)
			}
		case TypeUpdate:
			ok := false
			for _, c := range [][2]bool{{false, true}, {false, false}} {
				if ok, _ = rebuild(want, c[0], c[1]); ok {
					break
				}
			}
			if !ok && !strings.HasPrefix(name, "eor") {
				t.Errorf("%s: hex → value → hex differs", name)
			}
		}
	}
}
