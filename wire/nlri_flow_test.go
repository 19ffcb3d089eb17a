package wire

import (
	"bytes"
	"encoding/hex"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// afVector is one golden NLRI: family, add-path, hex of the packed NLRI.
type afVector struct {
	name    string
	fam     Family
	addPath bool
	hex     string
}

// afGolden are hand-built vectors (RFC 8955 §4 layouts, RFC 4761, RFC 4684,
// RFC 7432, RFC 6514, draft-mpmz-bess-mup-safi) that must decode and
// re-encode to the same bytes.
var afGolden = []afVector{
	{"flow4-dest-proto-port", IPv4Flow, false, "11 01180a0001 038106 04011913 1f90 d51f98"},
	{"flow4-tcpflags", IPv4Flow, false, "05 0901048109"},
	{"flow4-fragment", IPv4Flow, false, "03 0c8102"},
	{"flow4-addpath", IPv4Flow, true, "00000007 05 01180a0001"},
	{"flow6-dest-nh-label", IPv6Flow, false, "0d 01200020010db8 038106 0d8105"},
	{"flow4-vpn", IPv4FlowVPN, false, "0d 0000fde800000064 01180a0001"},
	{"flow6-vpn", IPv6FlowVPN, false, "13 00010a0000010064 02400020010db800000001"},
	{"vpls", L2VPNVPLS, false, "0011 0000fde80000000a 0001 0002 0003 001001"},
	{"rtc-full", IPv4RTC, false, "60 0000fde8 0002fde800000064"},
	{"rtc-default", IPv4RTC, false, "00"},
	{"rtc-64", IPv4RTC, false, "40 0000fde8 0002fde8"},
	{"evpn-mac", L2VPNEVPN, false, "0221 00010a000001000a 00000000000000000000 000003e8 30 0011223344ff 00 000641"},
	{"evpn-mac-ip", L2VPNEVPN, false, "0225 00010a000001000a 00000000000000000000 000003e8 30 0011223344ff 20 0a000001 000641"},
	{"evpn-ad", L2VPNEVPN, false, "0119 00010a000001000a 0102030405060708090a 00000000 000641"},
	{"evpn-imet", L2VPNEVPN, false, "0311 00010a000001000a 00000064 20 0a000001"},
	{"evpn-es", L2VPNEVPN, false, "0417 00010a000001000a 0102030405060708090a 20 0a000001"},
	{"evpn-prefix4", L2VPNEVPN, false, "0522 00010a000001000a 00000000000000000000 00000000 18 0a000100 00000000 000641"},
	{"evpn-unknown", L2VPNEVPN, false, "0802 aabb"},
	{"mvpn-sourcead", IPv4McastVPN, false, "0512 0000fde800000064 20 0a000001 20 e0000001"},
	{"mvpn-sharedjoin", IPv4McastVPN, false, "0616 0000fde800000064 0000fde8 20 0a000001 20 e0000001"},
	{"mvpn-sourcejoin6", IPv6McastVPN, false, "072e 0000fde800000064 0000fde8 80 20010db8000000000000000000000001 80 ff0e0000000000000000000000000001"},
	{"mvpn-unknown", IPv4McastVPN, false, "0103 010203"},
	{"mup-isd", IPv4MUP, false, "01 0001 0c 0000fde800000064 18 0a0001"},
	{"mup-dsd", IPv4MUP, false, "01 0002 0c 0000fde800000064 0a000001"},
	{"mup-t1st", IPv4MUP, false, "01 0003 1b 0000fde800000064 18 0a0001 00003039 09 20 0a000002 20 0a000003"},
	{"mup-t2st", IPv4MUP, false, "01 0004 0f 0000fde800000064 30 0a000001 3039"},
	{"mup-t2st6", IPv6MUP, false, "01 0004 19 0000fde800000064 80 20010db8000000000000000000000001"},
	{"mup-unknown", IPv4MUP, false, "02 0009 01 ff"},
	{"ls-node", BGPLS, false, "0001 001d 03 0000000000000000 0100 0010 0200 0004 0000fde8 0203 0004 0a0a0a0a"},
	{"ls-prefix4", BGPLS, false, "0003 0025 03 0000000000000000 0100 0010 0200 0004 0000fde8 0203 0004 0a0a0a0a 0109 0004 18 0a0001"},
	{"ls-link-isis", BGPLS, false, "0002 0051 02 0000000000000001 0100 0012 0200 0004 0000fde8 0203 0006 000000000001 0101 0012 0200 0004 0000fde8 0203 0006 000000000002 0102 0008 00000001 00000002 0103 0004 0a000001 0104 0004 0a000002"},
	{"ls-node-vpn", BGPLSVPN, false, "0001 0025 0000fde800000064 03 0000000000000000 0100 0010 0200 0004 0000fde8 0203 0004 0a0a0a0a"},
	{"ls-unknown", BGPLS, false, "0009 0002 abcd"},
}

func afHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// afVectors is afGolden plus every "nlri AFI SAFI" vector of
// testdata/<family>/*.hex (whose .json is ExaBGP's rendering, checked by
// api/format's TestFamilyGolden).
func afVectors(t testing.TB) []afVector {
	out := append([]afVector(nil), afGolden...)
	for _, d := range []string{"flow", "evpn", "vpls", "mvpn", "mup", "rtc", "bgpls"} {
		files, _ := filepath.Glob(filepath.Join("testdata", d, "*.hex"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(string(data), "\n")
			w := strings.Fields(lines[0])
			if len(lines) < 2 || len(w) != 3 || w[0] != "nlri" {
				continue
			}
			afi, _ := ParseAFI(w[1])
			safi, _ := ParseSAFI(w[2])
			out = append(out, afVector{filepath.Base(f), Family{afi, safi}, false, lines[1]})
		}
	}
	return out
}

func TestAFGoldenRoundTrip(t *testing.T) {
	for _, v := range afVectors(t) {
		t.Run(v.name, func(t *testing.T) {
			in := afHex(t, v.hex)
			nl, n, err := DecodeNLRI(v.fam, in, v.addPath)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if n != len(in) {
				t.Fatalf("consumed %d of %d", n, len(in))
			}
			if nl.Family() != v.fam {
				t.Fatalf("family %v, want %v", nl.Family(), v.fam)
			}
			out := nl.AppendNLRI(nil, v.addPath)
			if !bytes.Equal(out, in) {
				t.Fatalf("re-encoded\n %x\nwant\n %x", out, in)
			}
		})
	}
}

// TestAFTruncated checks every prefix of every vector: no panic, and a
// *NotifyError whenever decoding fails.
func TestAFTruncated(t *testing.T) {
	for _, v := range afGolden {
		in := afHex(t, v.hex)
		for i := 0; i < len(in); i++ {
			_, _, err := DecodeNLRI(v.fam, in[:i], v.addPath)
			var ne *NotifyError
			if err != nil && !errors.As(err, &ne) {
				t.Errorf("%s[:%d]: %T is not a NotifyError", v.name, i, err)
			}
			if err == nil && i < len(in) && v.fam.SAFI != SAFIRTC {
				t.Errorf("%s[:%d]: truncated NLRI decoded", v.name, i)
			}
		}
	}
}

func TestFlowComponents(t *testing.T) {
	nl, _, err := DecodeNLRI(IPv4Flow, afHex(t, "11 01180a0001 038106 04011913 1f90 d51f98"), false)
	if err != nil {
		t.Fatal(err)
	}
	it := nl.(Flow).Components()
	var got []FlowMatch
	for it.Next() {
		c := it.Component()
		m := FlowMatch{Type: c.Type, Prefix: c.Prefix, Offset: c.Offset}
		ops := c.Ops()
		for ops.Next() {
			m.Ops = append(m.Ops, ops.Op())
		}
		got = append(got, m)
	}
	want := []FlowMatch{
		{Type: FlowDestination, Prefix: netip.MustParsePrefix("10.0.1.0/24")},
		{Type: FlowProtocol, Ops: []FlowOp{{FlowOpEnd | FlowOpEQ, 6}}},
		{Type: FlowPort, Ops: []FlowOp{{FlowOpEQ, 25}, {FlowOpGT | FlowOpEQ, 8080}, {FlowOpEnd | FlowOpAnd | FlowOpLT | FlowOpEQ, 8088}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	// Building the same matches (any order) gives the same bytes.
	f, err := NewFlow(IPv4Flow, RD{}, []FlowMatch{want[2], want[0], want[1]})
	if err != nil {
		t.Fatal(err)
	}
	if out := f.AppendNLRI(nil, false); !bytes.Equal(out, nl.AppendNLRI(nil, false)) {
		t.Fatalf("NewFlow %x", out)
	}
}

func TestFlowExtendedLength(t *testing.T) {
	var m []FlowMatch
	for i := 0; i < 100; i++ {
		m = append(m, FlowMatch{Type: FlowDestinationPort, Ops: []FlowOp{{FlowOpEQ, uint64(1000 + i)}}})
	}
	f, err := NewFlow(IPv4Flow, RD{}, m)
	if err != nil {
		t.Fatal(err)
	}
	b := f.AppendNLRI(nil, false)
	if b[0]&0xF0 != 0xF0 || int(b[0]&0x0F)<<8|int(b[1]) != len(b)-2 {
		t.Fatalf("length header %x for %d bytes", b[:2], len(b))
	}
	nl, n, err := DecodeNLRI(IPv4Flow, b, false)
	if err != nil || n != len(b) || !reflect.DeepEqual(nl, f) {
		t.Fatalf("decode: %v %d", err, n)
	}
}

func TestFlowMalformed(t *testing.T) {
	for _, c := range []struct{ name, hex string }{
		{"unknown component", "02 0e01"},
		{"wrong order", "06 048106 038106"},
		{"unterminated ops", "03 040106"},
		{"value overrun", "03 041106"},
		{"bad mask", "03 01210a"},
	} {
		_, n, err := DecodeNLRI(IPv4Flow, afHex(t, c.hex), false)
		var ne *NotifyError
		if !errors.As(err, &ne) || ne.Action != TreatAsWithdraw || ne.Subcode != 10 {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if n != len(afHex(t, c.hex)) {
			t.Errorf("%s: consumed %d", c.name, n)
		}
	}
	_, _, err := DecodeNLRI(IPv4Flow, afHex(t, "09 0101"), false)
	var ne *NotifyError
	if !errors.As(err, &ne) || ne.Action != Reset {
		t.Errorf("overlong: %v", err)
	}
}

func TestAFConstructors(t *testing.T) {
	rd := RD{0, 0, 0xfd, 0xe8, 0, 0, 0, 0x64}
	a := netip.MustParseAddr
	mv, err := NewMVPN(IPv4McastVPN, MVPNSharedJoin, rd, 65000, a("10.0.0.1"), a("224.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	isd, _ := NewMUPISD(IPv4MUP, rd, netip.MustParsePrefix("10.0.1.0/24"))
	dsd, _ := NewMUPDSD(IPv4MUP, rd, a("10.0.0.1"))
	t1, _ := NewMUPT1ST(IPv4MUP, rd, netip.MustParsePrefix("10.0.1.0/24"), 12345, 9, a("10.0.0.2"), a("10.0.0.3"))
	t2, _ := NewMUPT2ST(IPv4MUP, rd, a("10.0.0.1"), 16, 12345)
	want := map[string]NLRI{"mvpn-sharedjoin": mv, "mup-isd": isd, "mup-dsd": dsd, "mup-t1st": t1, "mup-t2st": t2}
	for _, v := range afGolden {
		nl, ok := want[v.name]
		if !ok {
			continue
		}
		in := afHex(t, v.hex)
		if out := nl.AppendNLRI(nil, false); !bytes.Equal(out, in) {
			t.Errorf("%s: built %x want %x", v.name, out, in)
		}
		dec, _, err := DecodeNLRI(v.fam, in, false)
		if err != nil || !reflect.DeepEqual(dec, nl) {
			t.Errorf("%s: decoded %+v\nbuilt %+v", v.name, dec, nl)
		}
	}
}

// TestFlowIterAllocs: walking a decoded rule does not allocate.
func TestFlowIterAllocs(t *testing.T) {
	f := Flow{Fam: IPv4Flow, Rules: afHex(t, "01180a0001 038106 04011913 1f90 d51f98")}
	allocs := testing.AllocsPerRun(100, func() {
		it := f.Components()
		for it.Next() {
			ops := it.Component().Ops()
			for ops.Next() {
			}
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations", allocs)
	}
}

func BenchmarkFlowDecode(b *testing.B) {
	in := afHex(b, "11 01180a0001 038106 04011913 1f90 d51f98")
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := decodeFlow(IPv4Flow, in, false); err != nil {
			b.Fatal(err)
		}
	}
}

// afFuzz is the shared round-trip property: decode, re-encode, decode again
// to an equal value, re-encode to the same bytes.
func afFuzz(t *testing.T, fam Family, addPath bool, in []byte) {
	nl, n, err := DecodeNLRI(fam, in, addPath)
	if err != nil {
		var ne *NotifyError
		if !errors.As(err, &ne) {
			t.Fatalf("%T is not a NotifyError", err)
		}
		return
	}
	if n > len(in) {
		t.Fatalf("consumed %d of %d", n, len(in))
	}
	out := nl.AppendNLRI(nil, addPath)
	nl2, n2, err := DecodeNLRI(fam, out, addPath)
	if err != nil || n2 != len(out) {
		t.Fatalf("re-decode of %x: %v (%d of %d)", out, err, n2, len(out))
	}
	if !reflect.DeepEqual(nl, nl2) {
		t.Fatalf("round trip differs:\n%+v\n%+v", nl, nl2)
	}
	if out2 := nl2.AppendNLRI(nil, addPath); !bytes.Equal(out, out2) {
		t.Fatalf("re-encode differs: %x %x", out, out2)
	}
}

// afSeed adds the golden vectors of the given SAFIs to a fuzz corpus.
func afSeed(f *testing.F, safis ...SAFI) {
	for _, v := range afVectors(f) {
		for _, s := range safis {
			if v.fam.SAFI == s {
				f.Add(uint8(v.fam.AFI), v.addPath, afHex(f, v.hex))
			}
		}
	}
}

func afFuzzFamily(afi uint8, safi SAFI) Family {
	if afi&1 == 0 {
		return Family{AFIIPv6, safi}
	}
	return Family{AFIIPv4, safi}
}

func FuzzFlow(f *testing.F) {
	afSeed(f, SAFIFlow, SAFIFlowVPN)
	f.Fuzz(func(t *testing.T, afi uint8, addPath bool, in []byte) {
		safi := SAFIFlow
		if afi&2 != 0 {
			safi = SAFIFlowVPN
		}
		afFuzz(t, afFuzzFamily(afi, safi), addPath, in)
	})
}
