package config

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"exago/wire"
)

// famQAUpdate is what one UPDATE of an encoding test carries that the
// family grammars decide: the MP_REACH NLRI and the extended communities.
type famQAUpdate struct {
	fam  wire.Family
	nlri []byte
	ext  []wire.ExtCommunity
}

// famQA loads $EXAGO_QA_DIR/conf/<test>.conf and the UPDATEs of
// encoding/<test>.msg.
func famQA(t *testing.T, test string) (*Config, []famQAUpdate) {
	dir := os.Getenv("EXAGO_QA_DIR")
	if dir == "" {
		t.Skip("EXAGO_QA_DIR not set: ExaBGP conformance data absent (make test sets it)")
	}
	if _, err := os.Stat(filepath.Join(dir, "conf")); err != nil {
		t.Skipf("ExaBGP conformance data absent at %s: %v", dir, err)
	}
	cfg, err := Load([]string{filepath.Join(dir, "conf", test+".conf")}, DefaultEnv())
	if err != nil {
		t.Fatalf("%s: %v", test, err)
	}
	src, err := os.ReadFile(filepath.Join(dir, "encoding", test+".msg"))
	if err != nil {
		t.Fatal(err)
	}
	var ups []famQAUpdate
	for _, line := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		parts := strings.SplitN(line, ":raw:", 2)
		if len(parts) != 2 {
			continue
		}
		raw, err := hex.DecodeString(strings.ReplaceAll(strings.TrimSpace(parts[1]), ":", ""))
		if err != nil || len(raw) < 23 || raw[18] != 2 {
			continue
		}
		if u, ok := famUpdate(raw[19:]); ok {
			ups = append(ups, u)
		}
	}
	return cfg, ups
}

// famUpdate extracts the MP_REACH NLRI and extended communities of an
// UPDATE body.
func famUpdate(body []byte) (famQAUpdate, bool) {
	var u famQAUpdate
	wl := int(body[0])<<8 | int(body[1])
	attrs := body[4+wl:]
	attrs = attrs[:int(body[2+wl])<<8|int(body[3+wl])]
	for len(attrs) >= 3 {
		flags, code, hdr, l := attrs[0], attrs[1], 3, int(attrs[2])
		if flags&wire.FlagExtLen != 0 {
			hdr, l = 4, int(attrs[2])<<8|int(attrs[3])
		}
		v := attrs[hdr : hdr+l]
		attrs = attrs[hdr+l:]
		switch code {
		case wire.AttrMPReach:
			u.fam = wire.Family{AFI: wire.AFI(int(v[0])<<8 | int(v[1])), SAFI: wire.SAFI(v[2])}
			u.nlri = v[5+int(v[3]):]
		case wire.AttrExtCommunities:
			for i := 0; i+8 <= len(v); i += 8 {
				u.ext = append(u.ext, wire.ExtCommunity(v[i:i+8]))
			}
		}
	}
	return u, u.nlri != nil
}

// famCheck requires every MP_REACH NLRI of the test's UPDATEs to be the
// NLRI of one configured route, with the same extended communities.
func famCheck(t *testing.T, test string) {
	cfg, ups := famQA(t, test)
	byNLRI := map[string][][]wire.ExtCommunity{}
	for _, n := range cfg.Neighbors {
		for _, r := range n.Routes {
			if r.NLRI == nil {
				continue
			}
			k := string(r.NLRI.AppendNLRI(nil, false))
			byNLRI[k] = append(byNLRI[k], r.Attrs.ExtCommunities)
		}
	}
	if len(ups) == 0 {
		t.Fatalf("%s: no UPDATE with MP_REACH", test)
	}
	for _, u := range ups {
		for b := u.nlri; len(b) > 0; {
			_, n, err := wire.DecodeNLRI(u.fam, b, false)
			if err != nil {
				t.Fatalf("%s: %v", test, err)
			}
			one := b[:n]
			b = b[n:]
			exts, ok := byNLRI[string(one)]
			if !ok {
				t.Errorf("%s: no configured route packs to %x", test, one)
				continue
			}
			found := false
			for _, ext := range exts {
				found = found || sameExt(ext, u.ext)
			}
			if !found {
				t.Errorf("%s: NLRI %x: extended communities %v, want %v", test, one, exts, u.ext)
			}
		}
	}
}

func sameExt(a, b []wire.ExtCommunity) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = append([]wire.ExtCommunity(nil), a...), append([]wire.ExtCommunity(nil), b...)
	less := func(s []wire.ExtCommunity) func(i, j int) bool {
		return func(i, j int) bool { return bytes.Compare(s[i][:], s[j][:]) < 0 }
	}
	sort.Slice(a, less(a))
	sort.Slice(b, less(b))
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFlowGrammarQA(t *testing.T) {
	famCheck(t, "conf-flow")
	famCheck(t, "conf-flow-redirect")
}

func TestFlowAPILine(t *testing.T) {
	rs, err := ParseAnnounce(strings.Fields("flow route destination 10.0.0.2/32 source 10.0.0.1/32 protocol tcp destination-port [ >8080&<8088 =3128 ] tcp-flags [ syn rst&fin&!=push ] discard"))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := hex.DecodeString("2201200a00000202200a00000103810605121f90541f98910c3809000200044001c308")
	if got := rs[0].NLRI.AppendNLRI(nil, false); !bytes.Equal(got, want) {
		t.Fatalf("got %x\nwant %x", got, want)
	}
	if len(rs[0].Attrs.ExtCommunities) != 1 || rs[0].Attrs.ExtCommunities[0] != (wire.ExtCommunity{0x80, 0x06}) {
		t.Fatalf("ext %x", rs[0].Attrs.ExtCommunities)
	}
	for _, bad := range []string{
		"flow route destination 10.0.0.2 discard",
		"flow route source 10.0.0.1/32 source 2001::/64 discard",
		"flow route protocol bogus",
		"flow route port >",
		"flow route mark 99",
		"flow route redirect 1.2.3.4:5",
	} {
		if _, err := ParseAnnounce(strings.Fields(bad)); err == nil {
			t.Errorf("%q: accepted", bad)
		}
	}
}

func TestVPLSGrammarQA(t *testing.T) { famCheck(t, "conf-l2vpn") }

func TestMUPGrammarQA(t *testing.T)  { famCheck(t, "conf-srv6-mup") }
func TestMVPNGrammarQA(t *testing.T) { famCheck(t, "conf-mvpn") }

func TestFamilyAPILines(t *testing.T) {
	for _, c := range []struct {
		line string
		fam  wire.Family
		hex  string
	}{
		{"vpls endpoint 5 base 10702 offset 1 size 8 rd 192.168.201.1:123 next-hop 192.168.201.1", wire.L2VPNVPLS,
			"0011 0001c0a8c901007b 0005 0001 0008 029ce1"},
		{"ipv4 mup mup-isd 10.0.1.0/24 rd 100:100 next-hop 10.0.0.1", wire.IPv4MUP, "0100010c00000064000000641 80a0001"},
		{"ipv4 mup mup-t2st 10.0.0.1 rd 100:100 teid 12345/16 next-hop 10.0.0.1", wire.IPv4MUP, "0100040f0000006400000064300a0000013039"},
		{"ipv4 mcast-vpn source-ad source 10.0.0.1 group 224.0.0.1 rd 65000:100 next-hop 10.0.0.2", wire.IPv4McastVPN,
			"05120000fde800000064200a00000120e0000001"},
		{"ipv6 flow destination 2001:db8::/32 next-header udp", wire.IPv6Flow, "0a 01200020010db8 038111"},
		{"ipv4 flow-vpn rd 65000:100 source 10.0.0.1/32 discard", wire.IPv4FlowVPN, "0e 0000fde800000064 02200a000001"},
	} {
		rs, err := ParseAnnounce(strings.Fields(c.line))
		if err != nil {
			t.Errorf("%q: %v", c.line, err)
			continue
		}
		want, _ := hex.DecodeString(strings.ReplaceAll(c.hex, " ", ""))
		if len(rs) != 1 || rs[0].NLRI.Family() != c.fam {
			t.Errorf("%q: %d routes", c.line, len(rs))
			continue
		}
		if got := rs[0].NLRI.AppendNLRI(nil, false); !bytes.Equal(got, want) {
			t.Errorf("%q: got %x want %x", c.line, got, want)
		}
	}
	for _, bad := range []string{
		"vpls endpoint 5 base 10702 offset 1 size 8 next-hop 1.2.3.4",          // no rd
		"vpls endpoint 5 base 10702 offset 1 rd 1:1 next-hop 1.2.3.4",          // no size
		"ipv4 mup mup-isd 10.0.1.0/24 rd 100:100",                              // no next-hop
		"ipv4 mup mup-t2st 10.0.0.1 rd 100:100 teid 70000/16 next-hop 1.1.1.1", // teid too big
		"ipv4 mup mup-xyz 10.0.0.1",
		"ipv4 mcast-vpn source-join source 10.0.0.1 group 224.0.0.1 rd 1:1 next-hop 1.1.1.1", // no source-as
		"ipv6 mcast-vpn source-ad source 10.0.0.1 group 224.0.0.1 rd 1:1 next-hop 1.1.1.1",   // v4 in ipv6
		"ipv4 flow-vpn source 10.0.0.1/32",                                                   // flow-vpn without rd
	} {
		if _, err := ParseAnnounce(strings.Fields(bad)); err == nil {
			t.Errorf("%q: accepted", bad)
		}
	}
	if _, err := ParseWithdraw(strings.Fields("ipv4 mup mup-isd 10.0.1.0/24 rd 100:100")); err != nil {
		t.Errorf("withdraw without next-hop: %v", err)
	}
}

func TestFlowAPIBlockForm(t *testing.T) {
	for _, line := range []string{
		"flow route { match { source 10.10.10.10/32; } scope { interface-set [ transitive:input-output:1234:10 transitive:input:1234:10 transitive:output:0:0]; } then { discard; } }",
		"flow route { match { source 0.0.0.0/32; destination 0.0.0.0/32; destination-port =3128; protocol tcp; } then { rate-limit 0; } }",
		"flow route destination 133.130.1.219/32 discard interface-set [ transitive:input:1234:10]",
	} {
		rs, err := ParseAnnounce(strings.Fields(line))
		if err != nil || len(rs) != 1 {
			t.Errorf("%q: %v", line, err)
			continue
		}
		if len(rs[0].Attrs.ExtCommunities) == 0 {
			t.Errorf("%q: no extended community", line)
		}
	}
	rs, err := ParseWithdraw(strings.Fields("flow route { match { source 0.0.0.0/32; destination 0.0.0.0/32; destination-port =3128; protocol tcp; } }"))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := hex.DecodeString("1301200000000002200000000003810605910c38")
	if got := rs[0].NLRI.AppendNLRI(nil, false); !bytes.Equal(got, want) {
		t.Fatalf("got %x want %x", got, want)
	}
}

func TestFlowAPIEscapedNewlines(t *testing.T) {
	line := `flow route {\\n match {\\n source 10.0.0.1/32;\\n destination 1.2.3.4/32;\\n }\\n then {\\n discard;\\n }\\n }\\n`
	rs, err := ParseAnnounce(strings.Fields(line))
	if err != nil || len(rs) != 1 || len(rs[0].Attrs.ExtCommunities) != 1 {
		t.Fatalf("%v %v", rs, err)
	}
}
