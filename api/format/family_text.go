package format

import "exago/wire"

// AppendNLRIText appends ExaBGP's extensive() text of an NLRI of a family
// rendered by a family_*.go file ("flow destination-ipv4 10.0.0.1/32",
// "vpls rd 1:1 endpoint 5 ...", "evpn:macadv:..."), without the next hop.
// ok is false for a family with no registered renderer (the inet ones).
// Configuration printing (config.RouteText) can use it for family routes.
func AppendNLRIText(b []byte, n wire.NLRI) ([]byte, bool) {
	r, ok := familyRenderers[n.Family()]
	if !ok || r.Text == nil {
		return b, false
	}
	return r.Text(b, n), true
}
