package format

import (
	"net/netip"

	"exago/wire"
)

// RouteText appends ExaBGP's text of a route held as typed values (a
// configured or API route, an adj-rib entry): the NLRI's extensive()
// with " next-hop X" where ExaBGP prints it, then, when attrs is not nil,
// the attribute text (Change.extensive()). This is the form of `show
// adj-rib ... extensive`, of the text API and of `validate -r`:
//
//	10.0.0.0/24 next-hop 1.2.3.4 origin igp as-path ( 65001 ) community 65000:1
//
// `show adj-rib` without extensive uses attrs == nil.
func RouteText(b []byte, n wire.NLRI, nh netip.Addr, attrs *wire.Attributes) ([]byte, error) {
	start := len(b)
	switch v := n.(type) {
	case *wire.INET:
		b = appendINETText(b, v, nh)
	default:
		r, ok := familyRenderers[n.Family()]
		if !ok || r.Text == nil {
			return b, errNoRenderer(n.Family(), 0)
		}
		b = r.Text(b, n)
		b = appendNextHopText(b, nh)
	}
	if attrs == nil {
		return b, nil
	}
	var scratch [1024]byte
	packed := attrs.Append(scratch[:0], &wire.Negotiated{ASN4: true, AIGP: true})
	var u update
	u.asn4, u.aigp = true, true
	if err := u.collectAttrs(packed); err != nil {
		return b[:start], err
	}
	out, err := appendAttributesText(b, &u)
	if err != nil {
		return b[:start], err
	}
	return out, nil
}

// appendINETText renders a typed inet NLRI as nlri_inet.go renders a
// decoded one.
func appendINETText(b []byte, v *wire.INET, nh netip.Addr) []byte {
	var n inetNLRI
	n.prefix = v.Prefix
	var pid [4]byte
	if v.PathID != 0 {
		pid = [4]byte{byte(v.PathID >> 24), byte(v.PathID >> 16), byte(v.PathID >> 8), byte(v.PathID)}
		n.pathID = pid[:]
	}
	for _, l := range v.Labels {
		if n.nlabels < len(n.labels) {
			n.labels[n.nlabels] = l
			n.nlabels++
		}
	}
	if v.Fam.SAFI == wire.SAFIVPN {
		rd := v.RD
		n.rd = rd[:]
	}
	return n.appendText(b, nh)
}
