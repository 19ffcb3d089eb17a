package format

import (
	"bufio"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"exago/wire"
)

// testdata/routetext/*.txt: one static route of an ExaBGP example
// configuration per line, as ExaBGP 5.0.13 itself holds it:
//
//	family|NLRI hex|next hop|attributes hex|Change.extensive()|the same with the NLRI decoded from the wire
//
// produced by loading the configuration with ExaBGP and printing, for each
// queued change, nlri.pack_nlri(), the packed attributes, change.extensive()
// (what `validate`, `show neighbor configuration` and `show adj-rib out
// extensive` print) and str() of the NLRI unpacked again from its bytes
// (what `show adj-rib in extensive` prints for the same route received).
func TestRouteTextGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/routetext/*.txt")
	if len(files) == 0 {
		t.Fatal("no testdata/routetext")
	}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(nil, 1<<20)
		line := 0
		for sc.Scan() {
			line++
			col := strings.Split(sc.Text(), "|")
			if len(col) != 6 {
				t.Fatalf("%s:%d: %d columns", f, line, len(col))
			}
			w := strings.Fields(col[0])
			afi, _ := wire.ParseAFI(w[0])
			safi, _ := wire.ParseSAFI(w[1])
			fam := wire.Family{AFI: afi, SAFI: safi}
			raw, err := ParsePayload(col[1])
			if err != nil {
				t.Fatal(err)
			}
			n, used, err := wire.DecodeNLRI(fam, raw, false)
			if err != nil || used != len(raw) {
				t.Fatalf("%s:%d: NLRI %s: %v (%d of %d bytes)", f, line, col[1], err, used, len(raw))
			}
			var nh netip.Addr
			if col[2] != "" {
				nh = netip.MustParseAddr(col[2])
			}
			packed, err := ParsePayload(col[3])
			if err != nil {
				t.Fatal(err)
			}
			var ua wire.UpdateAttrs
			if err := wire.DecodeAttributes(packed, &wire.Negotiated{ASN4: true}, &ua); err != nil {
				t.Fatalf("%s:%d: attributes: %v", f, line, err)
			}
			got, err := RouteText(nil, n, nh, &ua.Attributes)
			if err != nil {
				t.Fatalf("%s:%d: %v", f, line, err)
			}
			if string(got) != col[4] {
				t.Errorf("%s:%d configured:\n got: %s\nwant: %s", f, line, got, col[4])
			}
			got, err = RouteTextReceived(nil, n, nh, &ua.Attributes)
			if err != nil {
				t.Fatalf("%s:%d: %v", f, line, err)
			}
			if string(got) != col[5] {
				t.Errorf("%s:%d received:\n got: %s\nwant: %s", f, line, got, col[5])
			}
		}
		fh.Close()
	}
}

// testdata/routetext/*.strs: family|NLRI hex|str() of the NLRI as
// ExaBGP 5.0.13 unpacks it (NLRI.unpack_nlri, then str()), what `show
// adj-rib in` lists for it; flow-values.strs has a flow per IP protocol,
// ICMP type and code value (names), and some ports (numbers, as decoded).
func TestNLRIStringGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/routetext/*.strs")
	for _, f := range files {
		testNLRIStrings(t, f)
	}
}

func testNLRIStrings(t *testing.T, f string) {
	src, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(strings.TrimSpace(string(src)), "\n") {
		col := strings.SplitN(line, "|", 3)
		w := strings.Fields(col[0])
		afi, _ := wire.ParseAFI(w[0])
		safi, _ := wire.ParseSAFI(w[1])
		raw, err := ParsePayload(col[1])
		if err != nil {
			t.Fatal(err)
		}
		n, _, err := wire.DecodeNLRI(wire.Family{AFI: afi, SAFI: safi}, raw, false)
		if err != nil {
			t.Fatalf("%s:%d: %v", f, i+1, err)
		}
		if got, _ := AppendNLRIString(nil, n); string(got) != col[2] {
			t.Errorf("%s:%d AppendNLRIString:\n got: %s\nwant: %s", f, i+1, got, col[2])
		}
		if got, err := RouteTextReceived(nil, n, netip.Addr{}, nil); err != nil || string(got) != col[2] {
			t.Errorf("%s:%d RouteTextReceived:\n got: %s %v\nwant: %s", f, i+1, got, err, col[2])
		}
	}
}
