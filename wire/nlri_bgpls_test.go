package wire

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// afQAVector is one ExaBGP decoding vector's NLRI set for our families.
type afQAVector struct {
	name string
	fam  Family
	nlri []byte // concatenated NLRI of one MP_REACH / MP_UNREACH
}

// afQANLRI reads ExaBGP's decoding vectors ($EXAGO_QA_DIR/decoding) and
// returns the NLRI fields of the families beyond inet.
func afQANLRI(t testing.TB) []afQAVector {
	dir := os.Getenv("EXAGO_QA_DIR")
	if dir == "" {
		t.Skip("EXAGO_QA_DIR not set: ExaBGP conformance data absent (make test sets it)")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "decoding", "*"))
	if len(files) == 0 {
		t.Skip("no decoding vectors under " + dir)
	}
	var out []afQAVector
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		if len(lines) < 2 {
			continue
		}
		kind := strings.Fields(lines[0])
		raw, err := hex.DecodeString(strings.NewReplacer(" ", "", ":", "", "\r", "").Replace(lines[1]))
		if err != nil || len(kind) < 3 {
			continue
		}
		name := filepath.Base(f)
		if kind[0] == "nlri" {
			afi, _ := ParseAFI(kind[1])
			safi, _ := ParseSAFI(kind[2])
			out = append(out, afQAVector{name, Family{afi, safi}, raw})
			continue
		}
		if kind[0] != "update" {
			continue
		}
		if len(raw) >= 19 && bytes.Equal(raw[:16], bytes.Repeat([]byte{0xff}, 16)) {
			raw = raw[19:]
		}
		out = append(out, afMPNLRI(name, raw)...)
	}
	return out
}

// afMPNLRI extracts the MP_REACH/MP_UNREACH NLRI of an UPDATE body.
func afMPNLRI(name string, body []byte) []afQAVector {
	if len(body) < 4 {
		return nil
	}
	wl := int(afU16(body))
	if 2+wl+2 > len(body) {
		return nil
	}
	al := int(afU16(body[2+wl:]))
	attrs := body[4+wl:]
	if al > len(attrs) {
		return nil
	}
	attrs = attrs[:al]
	var out []afQAVector
	for len(attrs) >= 3 {
		flags, code, hdr := attrs[0], attrs[1], 3
		l := int(attrs[2])
		if flags&FlagExtLen != 0 {
			if len(attrs) < 4 {
				break
			}
			l, hdr = int(afU16(attrs[2:])), 4
		}
		if hdr+l > len(attrs) {
			break
		}
		v := attrs[hdr : hdr+l]
		attrs = attrs[hdr+l:]
		switch {
		case code == AttrMPReach && len(v) >= 5 && len(v) >= 5+int(v[3]):
			fam := Family{AFI(afU16(v)), SAFI(v[2])}
			out = append(out, afQAVector{name, fam, v[5+int(v[3]):]})
		case code == AttrMPUnreach && len(v) >= 3:
			out = append(out, afQAVector{name, Family{AFI(afU16(v)), SAFI(v[2])}, v[3:]})
		}
	}
	return out
}

// TestAFExaBGPVectors: every NLRI of our families in ExaBGP's decoding
// vectors decodes and re-encodes to the same bytes.
func TestAFExaBGPVectors(t *testing.T) {
	seen := 0
	for _, v := range afQANLRI(t) {
		if v.fam.AFI == AFIIPv4 && (v.fam.SAFI == SAFIUnicast || v.fam.SAFI == SAFIMulticast) {
			continue
		}
		b := v.nlri
		for len(b) > 0 {
			nl, n, err := DecodeNLRI(v.fam, b, false)
			if err != nil {
				t.Errorf("%s (%v): %v on %x", v.name, v.fam, err, b)
				break
			}
			if out := nl.AppendNLRI(nil, false); !bytes.Equal(out, b[:n]) {
				t.Errorf("%s: re-encoded %x want %x", v.name, out, b[:n])
			}
			b = b[n:]
			seen++
		}
	}
	t.Logf("%d NLRI checked", seen)
}

// FuzzBGPLS is the round-trip property of [afFuzz] over BGP-LS NLRI.
func FuzzBGPLS(f *testing.F) {
	afSeed(f, SAFIBGPLS, SAFIBGPLSVPN)
	f.Fuzz(func(t *testing.T, afi uint8, addPath bool, in []byte) {
		fam := BGPLS
		if afi&1 != 0 {
			fam = BGPLSVPN
		}
		afFuzz(t, fam, addPath, in)
	})
}

func TestLinkStateMalformed(t *testing.T) {
	for _, c := range []struct{ name, hex string }{
		{"bad protocol", "0001 001d 09 0000000000000000 0100 0010 0200 0004 0000fde8 0203 0004 0a0a0a0a"},
		{"node without local node", "0001 001d 03 0000000000000000 0101 0010 0200 0004 0000fde8 0203 0004 0a0a0a0a"},
		{"bad router-id size", "0001 001c 03 0000000000000000 0100 000f 0200 0004 0000fde8 0203 0003 0a0a0a"},
		{"prefix without reach", "0003 001d 03 0000000000000000 0100 0010 0200 0004 0000fde8 0203 0004 0a0a0a0a"},
		{"TLV past the end", "0001 000d 03 0000000000000000 0100 0010"},
		{"short header", "0001 0004 03 000000"},
	} {
		in := afHex(t, c.hex)
		_, n, err := DecodeNLRI(BGPLS, in, false)
		var ne *NotifyError
		if !errors.As(err, &ne) || ne.Action != TreatAsWithdraw || n != len(in) {
			t.Errorf("%s: %v (n=%d)", c.name, err, n)
		}
	}
}

// TestLinkStateIterAllocs: walking a decoded NLRI's descriptors does not
// allocate.
func TestLinkStateIterAllocs(t *testing.T) {
	nl, _, err := DecodeNLRI(BGPLS, afHex(t, "0003 0025 03 0000000000000000 0100 0010 0200 0004 0000fde8 0203 0004 0a0a0a0a 0109 0004 18 0a0001"), false)
	if err != nil {
		t.Fatal(err)
	}
	l := nl.(LinkState)
	allocs := testing.AllocsPerRun(100, func() {
		for it := l.TLVs(); it.Next(); {
			if it.Type() == LSTLVLocalNode {
				for s := NewLSTLVs(it.Value()); s.Next(); {
					_, _ = ParseLSNodeDescriptor(l.Protocol, s.Type(), s.Value())
				}
			}
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations", allocs)
	}
}

func BenchmarkLinkStateDecode(b *testing.B) {
	in := afHex(b, "0002 0051 02 0000000000000001 0100 0012 0200 0004 0000fde8 0203 0006 000000000001 0101 0012 0200 0004 0000fde8 0203 0006 000000000002 0102 0008 00000001 00000002 0103 0004 0a000001 0104 0004 0a000002")
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := DecodeNLRI(BGPLS, in, false); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEVPNDecode(b *testing.B) {
	in := afHex(b, "0225 00010a000001000a 00000000000000000000 000003e8 30 0011223344ff 20 0a000001 000641")
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := DecodeNLRI(L2VPNEVPN, in, false); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFlowAppend(b *testing.B) {
	nl, _, _ := DecodeNLRI(IPv4Flow, afHex(b, "11 01180a0001 038106 04011913 1f90 d51f98"), false)
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		buf = nl.AppendNLRI(buf[:0], false)
	}
}
