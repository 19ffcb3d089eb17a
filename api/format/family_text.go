package format

import (
	"net/netip"

	"exago/wire"
)

// ExaBGP has two text forms of an NLRI: extensive(), which the text API
// encoder prints ("announced <extensive> <attributes>"), and str(), which
// `show adj-rib` prints. They are the same for FlowSpec and VPLS; for the
// other families beyond inet, extensive() is Family.extensive(), "afi AFI
// safi SAFI", and str() their own form.

// familyExtensive appends Family.extensive(): "afi l2vpn safi evpn".
func familyExtensive(b []byte, n wire.NLRI) []byte {
	f := n.Family()
	b = append(b, "afi "...)
	b = append(b, f.AFI.String()...)
	b = append(b, " safi "...)
	return append(b, f.SAFI.String()...)
}

// familyExtensiveNH is the TextNextHop hook of those families: the text
// encoder prints "announced afi bgp-ls safi bgp-ls origin igp ..." with no
// next hop, as text.py puts extensive() and the attributes side by side.
func familyExtensiveNH(b []byte, n wire.NLRI, _ netip.Addr) []byte {
	return familyExtensive(b, n)
}

// AppendNLRIText appends ExaBGP's extensive() of an NLRI of a family
// rendered by a family_*.go file, without the next hop ("flow
// destination-ipv4 10.0.0.1/32", "vpls rd 1:1 endpoint 5 ...", "afi l2vpn
// safi evpn"). ok is false for the families rendered elsewhere (inet).
func AppendNLRIText(b []byte, n wire.NLRI) ([]byte, bool) {
	r, ok := familyRenderers[n.Family()]
	if !ok || r.Text == nil {
		return b, false
	}
	return r.Text(b, n), true
}

// AppendNLRIString appends ExaBGP's str() of an NLRI of a family rendered
// by a family_*.go file (what `show adj-rib` lists): "evpn:macadv::...",
// "mvpn:sourcead::...", "mup:isd::...", "rtc 65000:target:...", the JSON of a
// BGP-LS node/link/prefix, the extensive() of FlowSpec and VPLS. ok is
// false for the families rendered elsewhere (inet).
func AppendNLRIString(b []byte, n wire.NLRI) ([]byte, bool) {
	switch n.(type) {
	case wire.EVPN:
		return evpnString(b, n), true
	case wire.MVPN:
		return mvpnString(b, n), true
	case wire.MUP:
		return mupString(b, n), true
	case wire.RTC:
		return rtcString(b, n), true
	case wire.LinkState:
		return lsString(b, n), true
	}
	return AppendNLRIText(b, n)
}
