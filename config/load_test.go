package config

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"exago/wire"
)

func qaConfDir(t *testing.T) string {
	dir := os.Getenv("EXAGO_QA_DIR")
	if dir == "" {
		t.Skip("EXAGO_QA_DIR is not set: the ExaBGP conformance data (../shared/exabgp-5.0-qa) is needed")
	}
	conf := filepath.Join(dir, "conf")
	if _, err := os.Stat(conf); err != nil {
		t.Skipf("no conformance configurations at %s", conf)
	}
	return conf
}

// TestLoadConformance loads every ExaBGP example configuration; each must
// be accepted (`exabgp validate -nrv` exits 0 for them in ExaBGP).
func TestLoadConformance(t *testing.T) {
	dir := qaConfDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.conf"))
	if len(files) == 0 {
		t.Fatalf("no .conf in %s", dir)
	}
	for _, f := range files {
		cfg, err := Load([]string{f}, nil)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		if len(cfg.Neighbors) == 0 {
			t.Errorf("%s: no neighbor", filepath.Base(f))
		}
		// -n output must parse back to the same neighbors.
		for _, n := range cfg.Neighbors {
			orig := NeighborText(n)
			text := orig
			// ExaBGP's layout prints None for unset values and every
			// family of `all`: put back what the grammar accepts.
			text = strings.NewReplacer("local-as None", "local-as auto", "peer-as None", "peer-as auto", "  router-id None;\n", "").Replace(text)
			text = allFamilies.ReplaceAllString(text, "family {\n    all;\n  }")
			procs := ""
			for _, p := range cfg.Processes {
				procs += "process " + p.Name + " { run /bin/true; encoder json; }\n"
			}
			back, err := LoadText("reprinted", procs+text, nil)
			if err != nil {
				t.Errorf("%s: reprinted neighbor does not parse: %v\n%s", filepath.Base(f), err, text)
				continue
			}
			if got := NeighborText(back.Neighbors[0]); got != orig {
				t.Errorf("%s: reprinted neighbor differs:\n%s\n---\n%s", filepath.Base(f), orig, got)
			}
		}
	}
}

var allFamilies = regexp.MustCompile(`family \{[^}]*ipv4 rtc;[^}]*\}`)

func TestLoadTemplateQuirk(t *testing.T) {
	cfg, err := LoadText("t.conf", `
template {
	neighbor base {
		hold-time 180;
		family { ipv4 unicast; }
		static { route 10.0.0.0/8 next-hop 1.1.1.1; }
	}
}
neighbor 10.0.0.1 {
	inherit base;
	hold-time 90;
	local-address 10.0.0.2;
	local-as 1;
	peer-as auto;
	static { route 10.1.0.0/16 next-hop 2.2.2.2; }
}
`, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := cfg.Neighbors[0]
	if n.HoldTime != 180 {
		t.Errorf("template scalars override the neighbor's (ExaBGP quirk): hold-time %d", n.HoldTime)
	}
	if !n.PeerAS.Auto || n.RouterID.String() != "10.0.0.2" {
		t.Errorf("peer-as %+v router-id %v", n.PeerAS, n.RouterID)
	}
	if len(n.Routes) != 2 || n.Routes[0].NLRI.(*wire.INET).Prefix.String() != "10.1.0.0/16" {
		t.Errorf("routes: %+v", n.Routes)
	}
	if len(n.Families) != 1 || n.Families[0] != wire.IPv4Unicast {
		t.Errorf("families %v", n.Families)
	}
}

func TestLoadDefaults(t *testing.T) {
	cfg, err := LoadText("d.conf", "neighbor 127.0.0.1 {\n local-address 127.0.0.1; local-as 1; peer-as 2;\n passive;\n adj-rib-out;\n capability { route-refresh; graceful-restart; }\n}\n", nil)
	if err != nil {
		t.Fatal(err)
	}
	n := cfg.Neighbors[0]
	if len(n.Families) != 21 {
		t.Errorf("no family block: %d families, want 21", len(n.Families))
	}
	if !n.Passive || !n.AdjRIBOut || n.HoldTime != 180 || !n.GroupUpdates || n.ManualEOR {
		t.Errorf("bare keywords: %+v", n)
	}
	if n.Capability.GracefulRestart != 180 || !n.Capability.RouteRefresh || !n.Capability.ASN4 {
		t.Errorf("capability: %+v", n.Capability)
	}
	if !strings.HasPrefix(n.Name, "neighbor 127.0.0.1 local-ip 127.0.0.1 local-as 1 peer-as 2 router-id 127.0.0.1 family-allowed in-open") {
		t.Errorf("name %q", n.Name)
	}
}

func TestLoadRoutes(t *testing.T) {
	cfg, err := LoadText("r.conf", `neighbor 127.0.0.1 {
	local-address 127.0.0.1; local-as 1; peer-as 1;
	static {
		route 10.0.0.0/24 next-hop 1.2.3.4 origin egp as-path [ 1 2 ] ( 3 4 ) med 5 local-preference 6 atomic-aggregate aggregator ( 65000:1.1.1.1 ) community [ 1:2 no-export ] large-community 1:2:3 extended-community [ target:1:2 origin:1.2.3.4:5 ] originator-id 9.9.9.9 cluster-list [ 1.1.1.1 2.2.2.2 ] path-information 1.2.3.4;
		route 10.1.0.0/24 rd 65000:1 label 100 next-hop self;
		route 224.0.0.0/8 next-hop 1.1.1.1;
		attributes next-hop 3.3.3.3 med 7 nlri 10.2.0.0/24 10.3.0.0/24;
		route 2001:db8::/32 next-hop 2001:db8::1 split /34;
	}
}`, nil)
	if err != nil {
		t.Fatal(err)
	}
	rs := cfg.Neighbors[0].Routes
	if len(rs) != 9 {
		t.Fatalf("%d routes, want 9", len(rs))
	}
	r := rs[0]
	a := r.Attrs
	if !a.HasOrigin || a.Origin != wire.OriginEGP || a.MED != 5 || a.LocalPref != 6 || !a.AtomicAggregate ||
		a.Aggregator.ASN != 65000 || len(a.Communities) != 2 || a.Communities[1] != CommunityNoExport ||
		len(a.LargeCommunities) != 1 || len(a.ExtCommunities) != 2 || len(a.ClusterList) != 2 {
		t.Errorf("attributes: %+v", a)
	}
	if len(a.ASPath) != 2 || a.ASPath[1].Type != wire.ASSet {
		t.Errorf("as-path %+v", a.ASPath)
	}
	if n := r.NLRI.(*wire.INET); n.PathID != 0x01020304 {
		t.Errorf("path-id %+v", n)
	}
	if f := rs[1].NLRI.Family(); f != wire.IPv4VPN || !rs[1].NextHopSelf {
		t.Errorf("vpn route %v %+v", f, rs[1])
	}
	if f := rs[2].NLRI.Family(); f != wire.IPv4Multicast {
		t.Errorf("224/8 family %v", f)
	}
	if rs[4].NLRI.(*wire.INET).Prefix.String() != "10.3.0.0/24" || rs[4].Attrs.MED != 7 {
		t.Errorf("attributes nlri: %+v", rs[4])
	}
	if rs[8].NLRI.(*wire.INET).Prefix.String() != "2001:db8:c000::/34" {
		t.Errorf("split: %v", rs[8].NLRI)
	}
	var b []byte
	b = rs[1].NLRI.AppendNLRI(b, false)
	want := []byte{24 + 24 + 64, 0x00, 0x06, 0x41, 0, 0, 0xfd, 0xe8, 0, 0, 0, 1, 10, 1, 0}
	if string(b) != string(want) {
		t.Errorf("vpn NLRI % x, want % x", b, want)
	}
}

// TestLoadErrors is the table of broken configurations: each gives one
// line `FILE:LINE:COL: message` naming the problem.
func TestLoadErrors(t *testing.T) {
	const head = "neighbor 127.0.0.1 {\n local-address 127.0.0.1;\n local-as 1;\n peer-as 1;\n"
	cases := []struct {
		name, text, want string
	}{
		{"unknown keyword", head + " bogus 1;\n}\n", "b.conf:5:2: unknown neighbor keyword \"bogus\""},
		{"missing semicolon", head + " hold-time 90\n}\n", "b.conf:5:14: missing ';'"},
		{"missing brace", head + " family { ipv4 unicast;\n}\nneighbor 127.0.0.2 {\n}\n", "b.conf:7:1: unknown neighbor section \"neighbor\""},
		{"bad address", "neighbor 127.0.0.300 {\n}\n", "b.conf:1:10: \"127.0.0.300\" is an invalid IP address"},
		{"bad local address", head + " local-address 1.2.3;\n}\n", "b.conf:5:16: \"1.2.3\" is an invalid IP address"},
		{"bad asn", "neighbor 127.0.0.1 {\n local-as 4294967296;\n}\n", "b.conf:2:11: \"4294967296\" is an invalid ASN"},
		{"bad hold-time", head + " hold-time 2;\n}\n", "b.conf:5:12: \"2\" is an invalid hold-time"},
		{"bad community", head + " static { route 10.0.0.0/8 next-hop 1.1.1.1 community [ 1:2 70000:1 ]; }\n}\n", "b.conf:5:61: invalid community \"70000:1\""},
		{"bad extended community", head + " static { route 10.0.0.0/8 next-hop 1.1.1.1 extended-community foo:1:2; }\n}\n", "b.conf:5:64: invalid extended-community \"foo:1:2\""},
		{"route without next-hop", head + " static { route 10.0.0.0/8 med 1; }\n}\n", "b.conf:5:17: invalid route 10.0.0.0/8 (missing next-hop)"},
		{"host bits", head + " static { route 10.0.0.1/8 next-hop 1.1.1.1; }\n}\n", "b.conf:5:17: invalid network 10.0.0.1/8: host bits are set"},
		{"unknown template", head + " inherit nothere;\n}\n", "b.conf:5:10: unknown template \"nothere\""},
		{"duplicate neighbor", head + "}\n" + head + "}\n", "b.conf:10:1: duplicate peer definition 127.0.0.1 (first at b.conf:1:1)"},
		{"missing peer-as", "neighbor 127.0.0.1 {\n local-address 127.0.0.1;\n local-as 1;\n}\n", "b.conf:4:1: incomplete neighbor, missing peer-as"},
		{"missing local-address", "neighbor 127.0.0.1 {\n local-as 1;\n peer-as 1;\n}\n", "b.conf:4:1: incomplete neighbor, missing router-id"},
		// errors about a whole section point at its closing brace, as ExaBGP's
		// "line N: }" does
		{"missing local-as", "neighbor 127.0.0.1 {\n\trouter-id 10.0.0.1;\n\tlocal-address 127.0.0.1;\n\tpeer-as 65002;\n}\n", "b.conf:5:1: incomplete neighbor, missing local-as"},
		{"process without run", "process foo {\n\tencoder json;\n  }\n", "b.conf:3:3: process foo: unset process sections: run"},
		{"process left open", "process foo {\n\tencoder json;\n", "b.conf:1:1: process foo: unset process sections: run"},
		{"process without encoder", "process p {\n run /bin/cat;\n}\n", "b.conf:3:1: process p: unset process sections: encoder"},
		{"unknown process", head + " api { processes [ nope ]; }\n}\n", "b.conf:5:2: neighbor 127.0.0.1: api uses the undefined process \"nope\""},
		{"unknown section", "group x {\n}\n", "b.conf:1:1: unknown section \"group\""},
		{"ttl-security", head + " ttl-security 1;\n}\n", "b.conf:5:2: \"ttl-security\" is not supported"},
		{"bad family", head + " family { ipv6 multicast; }\n}\n", "b.conf:5:16: invalid afi/safi pair ipv6/multicast"},
		{"unterminated string", head + " description \"abc;\n}\n", "b.conf:5:14: unterminated string"},
		{"range not passive", "neighbor 10.0.0.0/24 {\n local-address 10.0.0.1;\n local-as 1;\n peer-as 1;\n}\n", "b.conf:5:1: can only use ip ranges for the peer address with passive neighbors"},
		{"family mismatch", head + " family { ipv4 unicast; }\n static { route 2001:db8::/32 next-hop ::1; }\n}\n", "b.conf:6:17: route of family ipv6 unicast"},
		{"bad as-path", head + " static { route 10.0.0.0/8 next-hop 1.1.1.1 as-path [ 1 x ]; }\n}\n", "b.conf:5:57: invalid ASN \"x\" in as-path"},
	}
	for _, c := range cases {
		_, err := LoadText("b.conf", c.text, nil)
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, c.want) || strings.Contains(msg, "\n") {
			t.Errorf("%s:\n got  %s\n want %s...", c.name, msg, c.want)
		}
	}
	if _, err := Load([]string{filepath.Join(t.TempDir(), "absent.conf")}, nil); err == nil || !strings.Contains(err.Error(), "absent.conf: can not read the configuration") {
		t.Errorf("unreadable file: %v", err)
	}
}

func TestParseAnnounce(t *testing.T) {
	rs, err := ParseAnnounce(strings.Fields("route 10.0.0.0/24 next-hop 1.2.3.4 community [1:2] as-path [ 1 2 ]"))
	if err != nil || len(rs) != 1 || rs[0].Attrs.Communities[0] != 1<<16|2 || rs[0].NextHop.String() != "1.2.3.4" {
		t.Fatalf("route: %v %+v", err, rs)
	}
	rs, err = ParseAnnounce(strings.Fields("attributes next-hop 1.2.3.4 med 3 nlri 10.0.0.0/24 10.0.1.0/24"))
	if err != nil || len(rs) != 2 {
		t.Fatalf("attributes: %v %+v", err, rs)
	}
	rs, err = ParseAnnounce(strings.Fields("ipv6 unicast 2001:db8::/32 next-hop ::1"))
	if err != nil || len(rs) != 1 || rs[0].NLRI.Family() != wire.IPv6Unicast {
		t.Fatalf("ipv6 unicast: %v %+v", err, rs)
	}
	rs, err = ParseAnnounce(strings.Fields("ipv4 mpls-vpn 10.0.0.0/24 rd 1:1 label 5 next-hop 1.1.1.1"))
	if err != nil || len(rs) != 1 || rs[0].NLRI.Family() != wire.IPv4VPN {
		t.Fatalf("mpls-vpn: %v %+v", err, rs)
	}
	if _, err = ParseAnnounce(strings.Fields("route 10.0.0.0/24")); err == nil {
		t.Errorf("announce without next-hop accepted")
	}
	if _, err = ParseWithdraw(strings.Fields("route 10.0.0.0/24")); err != nil {
		t.Errorf("withdraw without next-hop: %v", err)
	}
	if _, err = ParseAnnounce(strings.Fields("route 10.0.0.0/24 next-hop 1.1.1.1 bogus 3")); err == nil || err.Error() != "command:1:5: unknown route keyword \"bogus\"" {
		t.Errorf("bad keyword: %v", err)
	}
}
