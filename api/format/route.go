package format

import (
	"net/netip"

	"exago/wire"
)

// RouteText appends ExaBGP's text of a route built from a configuration
// or an API command (adj-rib-out, `validate`, `show neighbor
// configuration`): Change.extensive(), the NLRI's str() then, when attrs
// is not nil, the attribute text. For inet and VPLS routes str() ends in
// " next-hop X", for FlowSpec in " next-hop X" when it has one; the
// EVPN, MVPN, MUP, RTC and BGP-LS str() ("mvpn:shared-join::...",
// "mup:isd::...") has no next hop. FlowSpec ports print by service name
// ("=http"), as ExaBGP's parser keeps them as Port values. This is the
// form of `show adj-rib out [extensive]` and `validate -r`:
//
//	10.0.0.0/24 next-hop 1.2.3.4 origin igp as-path ( 65001 ) community 65000:1
//
// `show adj-rib` without extensive uses attrs == nil. A route decoded
// from a peer's UPDATE (adj-rib-in) is [RouteTextReceived].
func RouteText(b []byte, n wire.NLRI, nh netip.Addr, attrs *wire.Attributes) ([]byte, error) {
	return routeText(b, n, nh, attrs, true)
}

// RouteTextReceived is [RouteText] for a route decoded from a peer's
// UPDATE (`show adj-rib in [extensive]`): ExaBGP decodes FlowSpec ports
// as plain numbers ("=80").
func RouteTextReceived(b []byte, n wire.NLRI, nh netip.Addr, attrs *wire.Attributes) ([]byte, error) {
	return routeText(b, n, nh, attrs, false)
}

func routeText(b []byte, n wire.NLRI, nh netip.Addr, attrs *wire.Attributes, configured bool) ([]byte, error) {
	start := len(b)
	switch v := n.(type) {
	case *wire.INET:
		b = appendINETText(b, v, nh)
	case wire.LinkState:
		if v.Parsed && v.Type != wire.LSSRv6SID {
			b = LinkStateJSONNextHop(b, n, nh, Style{}) // str() is json(), with its "nexthop"
		} else {
			b, _ = AppendNLRIString(b, n)
		}
	case wire.EVPN, wire.MVPN, wire.MUP, wire.RTC:
		b, _ = AppendNLRIString(b, n)
	case wire.Flow:
		if configured {
			b = flowTextNamed(b, n)
		} else {
			b = flowText(b, n)
		}
		b = appendNextHopText(b, nh)
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
