package wire

import (
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// qaDir returns the ExaBGP conformance data directory or skips.
func qaDir(t testing.TB) string {
	d := os.Getenv("EXAGO_QA_DIR")
	if d == "" {
		t.Skip("EXAGO_QA_DIR is not set: ExaBGP conformance data unavailable (run via make test)")
	}
	if _, err := os.Stat(d); err != nil {
		t.Skipf("EXAGO_QA_DIR=%s is absent: %v", d, err)
	}
	return d
}

// decodeSession is the session `exabgp decode` uses: ASN4, iBGP 65533,
// every family.
func decodeSession() *Negotiated {
	return &Negotiated{ASN4: true, MaxSize: MaxSizeExtMsg, LocalAS: 65533, PeerAS: 65533,
		Families: AllFamilies[:]}
}

// TestQADecoding frames and decodes every message of ExaBGP's decoding
// vectors (attributes, MP_REACH/MP_UNREACH, the IPv4 prefixes) and checks
// the attributes survive encode → decode.
func TestQADecoding(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(qaDir(t), "decoding", "*"))
	if len(files) == 0 {
		t.Skip("no decoding vectors")
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(src), "\n")
		if len(lines) < 2 || strings.HasPrefix(lines[0], "nlri") {
			continue
		}
		raw := unhex(t, lines[1])
		if !strings.HasPrefix(strings.ToUpper(strings.ReplaceAll(lines[1], " ", "")), strings.Repeat("F", 32)) {
			raw = AppendMessage(nil, TypeUpdate, raw) // `exabgp decode` accepts a bare body
		}
		m, _, err := Frame(raw, MaxSizeExtMsg)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		switch m.Type() {
		case TypeOpen:
			o, err := DecodeOpen(m.Body())
			if err != nil {
				t.Errorf("%s: %v", f, err)
			} else if got := o.Append(nil); tohex(got) != tohex(raw) {
				t.Errorf("%s: OPEN re-encoded as %s", f, tohex(got))
			}
		case TypeUpdate:
			checkUpdate(t, filepath.Base(f), m.Body(), decodeSession())
		}
	}
}

func checkUpdate(t *testing.T, name string, body []byte, n *Negotiated) {
	t.Helper()
	u, err := DecodeUpdate(body)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	var ua UpdateAttrs
	if err := DecodeAttributes(u.PathAttrs, n, &ua); err != nil || ua.Withdraw != nil {
		t.Errorf("%s: attributes: %v %v", name, err, ua.Withdraw)
		return
	}
	if ua.HasReach {
		if _, err := DecodeMPReach(ua.Reach); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, b := range [][]byte{u.Withdrawn, u.NLRI} {
		it := Prefixes(b, AFIIPv4, false)
		for it.Next() {
		}
		if it.Err() != nil {
			t.Errorf("%s: %v", name, it.Err())
		}
	}
	again := ua.Attributes.appendWith(nil, n, ua.NextHop, false)
	var ub UpdateAttrs
	if err := DecodeAttributes(again, n, &ub); err != nil {
		t.Errorf("%s: re-decode: %v", name, err)
		return
	}
	if !reflect.DeepEqual(ua.Attributes, ub.Attributes) || ua.NextHop != ub.NextHop {
		t.Errorf("%s: round trip\n got %+v\nwant %+v", name, ub.Attributes, ua.Attributes)
	}
}

func TestDecodeAttributes(t *testing.T) {
	// ipv4-unicast-2 of ExaBGP's decoding vectors, attributes only.
	b := unhex(t, "4001010040020E02030000AAAA0000AAAA0000AAAAC0070800AA00AA0A0A0A0A4006004003040A0A0A0A8004040000000040050400000064")
	var u UpdateAttrs
	if err := DecodeAttributes(b, decodeSession(), &u); err != nil {
		t.Fatal(err)
	}
	want := Attributes{HasOrigin: true, HasASPath: true,
		ASPath: []ASSegment{{ASSequence, []uint32{43690, 43690, 43690}}}, HasMED: true,
		HasLocalPref: true, LocalPref: 100, AtomicAggregate: true, HasAggregator: true,
		Aggregator: Aggregator{11141290, netip.MustParseAddr("10.10.10.10")}}
	if !reflect.DeepEqual(u.Attributes, want) || u.NextHop != netip.MustParseAddr("10.10.10.10") {
		t.Errorf("got %+v", u.Attributes)
	}
	if got := tohex(u.Attributes.appendWith(nil, decodeSession(), u.NextHop, false)); got != "4001010040020E02030000AAAA0000AAAA0000AAAA4003040A0A0A0A8004040000000040050400000064400600C0070800AA00AA0A0A0A0A" {
		t.Errorf("encode %s", got)
	}
}

// TestAS4Path checks RFC 6793: a 2-octet session encodes AS_TRANS plus
// AS4_PATH/AS4_AGGREGATOR and decodes them back into 4-octet values.
func TestAS4Path(t *testing.T) {
	n2 := &Negotiated{MaxSize: MaxSize, LocalAS: 65000, PeerAS: 65001}
	a := Attributes{HasOrigin: true, HasASPath: true,
		ASPath:        []ASSegment{{ASSequence, []uint32{65000, 4200000000, 65001}}, {ASSet, []uint32{1, 4200000001}}},
		HasAggregator: true, Aggregator: Aggregator{4200000002, netip.MustParseAddr("192.0.2.9")}}
	b := a.Append(nil, n2)
	it := Attrs(b)
	var codes []uint8
	for it.Next() {
		codes = append(codes, it.Attr().Code)
	}
	if !reflect.DeepEqual(codes, []uint8{AttrOrigin, AttrASPath, AttrAS4Path, AttrAggregator, AttrAS4Aggregator}) {
		t.Fatalf("codes %v", codes)
	}
	var u UpdateAttrs
	if err := DecodeAttributes(b, n2, &u); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(u.ASPath, a.ASPath) || u.Aggregator != a.Aggregator {
		t.Errorf("got %v %v", u.ASPath, u.Aggregator)
	}
	// A 4-octet session ignores AS4_PATH.
	var u4 UpdateAttrs
	if err := DecodeAttributes(a.Append(nil, decodeSession()), decodeSession(), &u4); err != nil ||
		!reflect.DeepEqual(u4.ASPath, a.ASPath) {
		t.Errorf("asn4: %v %v", err, u4.ASPath)
	}
}

func TestMPReach(t *testing.T) {
	// IPv6 unicast, global + link-local next hop, one /64.
	v := unhex(t, "0002 01 20 20010db8000000000000000000000001 fe800000000000000000000000000001 00 40 20010db800010000")
	r, err := DecodeMPReach(v)
	if err != nil {
		t.Fatal(err)
	}
	if r.Family != IPv6Unicast || r.NextHop != netip.MustParseAddr("2001:db8::1") || r.LinkLocal != netip.MustParseAddr("fe80::1") {
		t.Errorf("%+v", r)
	}
	it := Prefixes(r.NLRI, AFIIPv6, false)
	if !it.Next() || it.Prefix() != netip.MustParsePrefix("2001:db8:1::/64") || it.Next() || it.Err() != nil {
		t.Errorf("prefix %v %v", it.Prefix(), it.Err())
	}
	// VPN next hop: RD then IPv4.
	r, err = DecodeMPReach(unhex(t, "0001 80 0C 0000000000000000 C80A0065 00"))
	if err != nil || r.NextHop != netip.MustParseAddr("200.10.0.101") {
		t.Errorf("%+v %v", r, err)
	}
}

func TestINET(t *testing.T) {
	tests := []struct {
		f       Family
		hex     string
		addPath bool
		want    INET
	}{
		{IPv4Unicast, "180A0000", false, INET{Fam: IPv4Unicast, Prefix: netip.MustParsePrefix("10.0.0.0/24")}},
		{IPv4Unicast, "00000007180A0000", true, INET{Fam: IPv4Unicast, Prefix: netip.MustParsePrefix("10.0.0.0/24"), PathID: 7}},
		{IPv6Unicast, "2020010DB8", false, INET{Fam: IPv6Unicast, Prefix: netip.MustParsePrefix("2001:db8::/32")}},
		{IPv4MPLS, "300006410A0000", false, INET{Fam: IPv4MPLS, Prefix: netip.MustParsePrefix("10.0.0.0/24"), Labels: []uint32{100}}},
		{IPv4VPN, "71003E810000FDE8000000010A000000", false, INET{Fam: IPv4VPN,
			Prefix: netip.MustParsePrefix("10.0.0.0/25"), Labels: []uint32{1000}, RD: RDFromAS2(65000, 1)}},
		{IPv6VPN, "78000641000101020300000420010DB8", false, INET{Fam: IPv6VPN,
			Prefix: netip.MustParsePrefix("2001:db8::/32"), Labels: []uint32{100}, RD: RDFromIPv4(netip.MustParseAddr("1.2.3.0"), 4)}},
	}
	for _, tt := range tests {
		b := unhex(t, tt.hex)
		n, used, err := DecodeNLRI(tt.f, b, tt.addPath)
		if err != nil || used != len(b) {
			t.Errorf("%s: %v used %d", tt.hex, err, used)
			continue
		}
		if !reflect.DeepEqual(*n.(*INET), tt.want) {
			t.Errorf("%s: got %+v", tt.hex, n)
		}
		if got := tohex(n.AppendNLRI(nil, tt.addPath)); got != tohex(b) {
			t.Errorf("%s: re-encoded %s", tt.hex, got)
		}
	}
	if got := RDFromIPv4(netip.MustParseAddr("1.2.3.0"), 4).String(); got != "1.2.3.0:4" {
		t.Error(got)
	}
	if got := RDFromAS4(4200000000, 7).String(); got != "4200000000:7" {
		t.Error(got)
	}
	// Withdraw label 0x800000 ends the stack (RFC 8277 §2.4).
	var n INET
	if used, err := DecodeINET(IPv4MPLS, unhex(t, "308000000A0000"), false, &n); err != nil || used != 7 ||
		n.Prefix != netip.MustParsePrefix("10.0.0.0/24") {
		t.Errorf("withdraw label: %v %d %v", err, used, n.Prefix)
	}
}
