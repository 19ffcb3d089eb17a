package format

import (
	"bytes"
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"exago/wire"
)

// The testdata/update vectors are ours (hex built by hand); each .json
// holds what ExaBGP 5.0.13's `exabgp decode` printed for it, with the
// arguments on the first line of the .hex file. -update is not offered:
// the expectations come from ExaBGP, not from us.

var goldenVerbose = flag.Bool("golden.v", false, "print every golden comparison")

// tail drops the volatile envelope up to "counter" (time, host, pid,
// ppid) so the rest can be compared byte for byte.
func tail(line []byte) []byte {
	if i := bytes.Index(line, []byte(`"counter": `)); i >= 0 {
		return line[i:]
	}
	if i := bytes.Index(line, []byte(`"type": `)); i >= 0 {
		return line[i:]
	}
	return line
}

// decodeArgsOf reads the families and add-path flag of a .hex file's
// argument line (`-i -f "ipv4 unicast ipv6 unicast"`).
func decodeArgsOf(line string) ([]wire.Family, bool) {
	addPath := strings.Contains(line, "-i")
	var fams []wire.Family
	if i := strings.Index(line, `-f "`); i >= 0 {
		rest := line[i+4:]
		rest = rest[:strings.IndexByte(rest, '"')]
		w := strings.Fields(rest)
		for k := 0; k+1 < len(w); k += 2 {
			afi, _ := wire.ParseAFI(w[k])
			safi, _ := wire.ParseSAFI(w[k+1])
			fams = append(fams, wire.Family{AFI: afi, SAFI: safi})
		}
	}
	return fams, addPath
}

func TestGoldenDecode(t *testing.T) {
	files, _ := filepath.Glob("testdata/update/*.hex")
	sort.Strings(files)
	if len(files) == 0 {
		t.Fatal("no testdata/update vectors")
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".hex")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(strings.TrimSuffix(f, ".hex") + ".json")
			if err != nil {
				t.Fatal(err)
			}
			want = bytes.TrimSpace(want)
			lines := strings.SplitN(string(src), "\n", 3)
			fams, addPath := decodeArgsOf(lines[0])
			raw, err := ParsePayload(lines[1])
			if err != nil {
				t.Fatal(err)
			}
			nb := DecodeNeighbor()
			enc := &Encoder{Host: "test", PID: 1, PPID: 1}
			got, err := enc.DecodePayload(nil, &nb, raw, DecodeSession(fams, addPath))
			if bytes.HasPrefix(want, []byte("invalid payload")) {
				if err == nil {
					t.Errorf("ExaBGP refuses this payload, we printed\n%s", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("decode error: %v\nwant: %s", err, want)
			}
			if ok, _ := sameJSON(t, got, want); !ok {
				t.Errorf("parsed JSON differs")
			}
			if g, w := tail(got), tail(want); !bytes.Equal(g, w) {
				t.Errorf("text differs:\n%s", firstDiff(g, w))
			} else if *goldenVerbose {
				t.Logf("%s", g)
			}
		})
	}
}

// firstDiff shows where two lines start to differ.
func firstDiff(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-60)
	return " got: ..." + string(got[from:min(len(got), i+120)]) + "\nwant: ..." + string(want[from:min(len(want), i+120)])
}

// TestGoldenText compares our text encoder with ExaBGP's Text encoder on
// the same vectors (testdata/update/*.txt, ExaBGP's output plus the
// newline `decode` adds).
func TestGoldenText(t *testing.T) {
	files, _ := filepath.Glob("testdata/update/*.txt")
	sort.Strings(files)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		t.Run(name, func(t *testing.T) {
			want, _ := os.ReadFile(f)
			want = bytes.TrimSuffix(want, []byte("\n"))
			src, err := os.ReadFile(strings.TrimSuffix(f, ".txt") + ".hex")
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.SplitN(string(src), "\n", 3)
			fams, addPath := decodeArgsOf(lines[0])
			raw, err := ParsePayload(lines[1])
			if err != nil {
				t.Fatal(err)
			}
			nb := DecodeNeighbor()
			txt := &Text{}
			var got []byte
			switch raw[18] {
			case wire.TypeUpdate:
				got, err = txt.Update(nil, &nb, In, raw, DecodeSession(fams, addPath))
			case wire.TypeOpen:
				var o wire.Open
				if o, err = wire.DecodeOpen(raw[19:]); err == nil {
					got = txt.Open(nil, &nb, In, &o, nil)
				}
			case wire.TypeNotification:
				got = txt.Notification(nil, &nb, In, wire.DecodeNotification(raw[19:]), nil)
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("\n got: %q\nwant: %q", got, want)
			}
		})
	}
}

func TestRouteText(t *testing.T) {
	attrs := &wire.Attributes{HasOrigin: true, Origin: wire.OriginIGP, HasASPath: true,
		ASPath: []wire.ASSegment{{Type: wire.ASSequence, ASNs: []uint32{65001, 65002}}},
		HasMED: true, MED: 10, Communities: []uint32{65000<<16 | 1, 0xFFFFFF01},
		LargeCommunities: []wire.LargeCommunity{{Global: 1, Local1: 2, Local2: 3}}}
	n := &wire.INET{Fam: wire.IPv4Unicast, Prefix: netip.MustParsePrefix("10.0.0.0/24")}
	got, err := RouteText(nil, n, netip.MustParseAddr("1.2.3.4"), attrs)
	if err != nil {
		t.Fatal(err)
	}
	// the same route as ExaBGP's text encoder prints it (attributes-all.txt style)
	want := "10.0.0.0/24 next-hop 1.2.3.4 origin igp as-path ( 65001 65002 ) med 10 community [ 65000:1 no-export ] large-community 1:2:3"
	if string(got) != want {
		t.Errorf("\n got: %s\nwant: %s", got, want)
	}
	vpn := &wire.INET{Fam: wire.IPv4VPN, Prefix: netip.MustParsePrefix("10.1.0.0/24"), Labels: []uint32{50000},
		RD: wire.RD{0, 0, 0xfd, 0xe8, 0, 0, 0, 1}, PathID: 7}
	got, _ = RouteText(nil, vpn, netip.MustParseAddr("10.0.0.1"), nil)
	if want := "10.1.0.0/24 path-information 0.0.0.7 label 50000 next-hop 10.0.0.1 rd 65000:1"; string(got) != want {
		t.Errorf("\n got: %s\nwant: %s", got, want)
	}
}

// TestCompact: api.compact prints unicast NLRI without path-id as bare
// strings (testdata/compact-on.json is ExaBGP's output with
// exabgp_api_compact=true for the compact-off vector).
func TestCompact(t *testing.T) {
	src, _ := os.ReadFile("testdata/update/compact-off.hex")
	lines := strings.SplitN(string(src), "\n", 3)
	fams, _ := decodeArgsOf(lines[0])
	raw, err := ParsePayload(lines[1])
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile("testdata/compact-on.json")
	want = bytes.TrimSpace(want)
	nb := DecodeNeighbor()
	enc := &Encoder{Host: "test", Compact: true}
	got, err := enc.DecodePayload(nil, &nb, raw, DecodeSession(fams, false))
	if err != nil {
		t.Fatal(err)
	}
	if g, w := tail(got), tail(want); !bytes.Equal(g, w) {
		t.Errorf("%s", firstDiff(g, w))
	}
}

// TestRouteV2 decodes our vectors' attributes with package wire into the
// typed form and renders `show adj-rib json` v2 routes; testdata/route
// holds ExaBGP's Change.as_dict() for the same UPDATEs.
func TestRouteV2(t *testing.T) {
	files, _ := filepath.Glob("testdata/route/*.json")
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		want, _ := os.ReadFile(f)
		src, err := os.ReadFile("testdata/update/" + name + ".hex")
		if err != nil {
			t.Fatal(err)
		}
		raw, err := ParsePayload(strings.SplitN(string(src), "\n", 3)[1])
		if err != nil {
			t.Fatal(err)
		}
		up, err := wire.DecodeUpdate(raw[19:])
		if err != nil {
			t.Fatal(err)
		}
		var ua wire.UpdateAttrs
		if err := wire.DecodeAttributes(up.PathAttrs, &wire.Negotiated{ASN4: true}, &ua); err != nil {
			t.Fatal(err)
		}
		var got []byte
		for _, sec := range [][]byte{up.Withdrawn, up.NLRI} {
			it := wire.NLRIs(wire.IPv4Unicast, sec, false)
			for it.Next() {
				nh := netip.Addr{}
				if ua.HasNextHop && len(sec) > 0 && &sec[0] == &up.NLRI[0] {
					nh = ua.NextHop
				}
				line, err := RouteV2(nil, it.NLRI(), nh, &ua.Attributes)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				got = append(append(got, line...), '\n')
			}
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s:\n got: %s\nwant: %s", name, got, want)
		}
	}
}

// TestAS4PathMerge: on a 2-octet session AS_PATH and AS4_PATH are merged
// (RFC 6793 §4.2.3) and AS4_PATH is not shown on its own.
func TestAS4PathMerge(t *testing.T) {
	// AS_PATH (2-octet) SEQ 65001 23456 23456, AS4_PATH SEQ 4200000000 4200000001
	body, _ := ParsePayload("0000 0023 40010100 40020802 03FDE95BA05BA0 C0110A 0202FA56EA00FA56EA01 400304 01020304 180A0100")
	msg := wire.AppendMessage(nil, wire.TypeUpdate, body)
	nb := DecodeNeighbor()
	got, err := (&Encoder{}).Update(nil, &nb, Receive, msg, &wire.Negotiated{})
	if err != nil {
		t.Fatal(err)
	}
	want := `"as-path": {"0": {"element": "as-sequence", "value": [65001, 4200000000, 4200000001]}}`
	if !bytes.Contains(got, []byte(want)) || bytes.Contains(got, []byte("attribute-0x11")) {
		t.Errorf("got %s", got)
	}
}

func TestAS4PathMergeText(t *testing.T) {
	body, _ := ParsePayload("0000 0023 40010100 40020802 03FDE95BA05BA0 C0110A 0202FA56EA00FA56EA01 400304 01020304 180A0100")
	msg := wire.AppendMessage(nil, wire.TypeUpdate, body)
	nb := DecodeNeighbor()
	got, err := (&Text{}).Update(nil, &nb, Receive, msg, &wire.Negotiated{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "as-path ( 65001 4200000000 4200000001 )\n"; !bytes.Contains(got, []byte(want)) {
		t.Errorf("got %q", got)
	}
}
