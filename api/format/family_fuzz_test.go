package format

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"exago/wire"
)

// familyFuzzFams are the families rendered by the family_*.go files.
var familyFuzzFams = []wire.Family{
	wire.IPv4Flow, wire.IPv6Flow, wire.IPv4FlowVPN, wire.IPv6FlowVPN, wire.L2VPNVPLS, wire.L2VPNEVPN,
	wire.IPv4McastVPN, wire.IPv6McastVPN, wire.IPv4MUP, wire.IPv6MUP, wire.IPv4RTC, wire.BGPLS, wire.BGPLSVPN,
}

// familySeeds adds the NLRI of wire/testdata's family vectors.
func familySeeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "wire", "testdata", "*", "*.hex"))
	for _, p := range files {
		data, _ := os.ReadFile(p)
		lines := strings.Split(string(data), "\n")
		if len(lines) < 2 || !strings.HasPrefix(lines[0], "nlri ") {
			continue
		}
		if raw, err := ParsePayload(lines[1]); err == nil {
			f.Add(uint8(0), raw)
		}
	}
}

// FuzzFamilyRender: rendering any decodable NLRI of our families, in JSON
// and text, never panics.
func FuzzFamilyRender(f *testing.F) {
	familySeeds(f)
	f.Fuzz(func(t *testing.T, which uint8, in []byte) {
		fam := familyFuzzFams[int(which)%len(familyFuzzFams)]
		for b := in; len(b) > 0; {
			n, used, err := wire.DecodeNLRI(fam, b, false)
			if err != nil || used <= 0 {
				return
			}
			r := familyRenderers[fam]
			r.JSON(nil, n, Style{})
			r.JSON(nil, n, Style{Dialect: Dialect40})
			r.Text(nil, n)
			AppendNLRIString(nil, n)
			b = b[used:]
		}
	})
}

// FuzzAttrRender: the BGP-LS and Prefix-SID attribute renderers never
// panic, whatever the value.
func FuzzAttrRender(f *testing.F) {
	f.Add(false, []byte{0x04, 0x00, 0x00, 0x01, 0x80})
	f.Add(true, []byte{0x01, 0x00, 0x07, 0, 0, 0, 0, 0, 3, 9})
	f.Fuzz(func(t *testing.T, sid bool, v []byte) {
		if sid {
			prefixSIDJSON(nil, v, Dialect50)
			prefixSIDText(nil, v)
			return
		}
		lsAttrJSON(nil, v, Dialect50)
		lsAttrJSON(nil, v, Dialect40)
		lsAttrText(nil, v)
	})
}
