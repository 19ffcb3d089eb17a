package format

import (
	"net/netip"

	"exago/wire"
)

// This file renders `show adj-rib ... json` routes (ExaBGP's
// command/rib.py, api.show-routes-format): v1 objects
// {"prefix": "p", "family": "afi safi"} and v2 Change.as_dict()
// {"nlri": {...}, "attributes": {...}}, both as Python's json.dumps writes
// them (", " and ": " separators).

// RouteV1 appends the v1 route object of n: `{"prefix": "10.0.0.0/24",
// "family": "ipv4 unicast"}`. ok is false for NLRI without a prefix
// (ExaBGP skips them in v1).
func RouteV1(b []byte, n wire.NLRI) ([]byte, bool) {
	in, isInet := n.(*wire.INET)
	if !isInet {
		return b, false
	}
	b = append(b, `{"prefix": "`...)
	b = appendPrefix(b, in.Prefix)
	b = append(b, `", "family": "`...)
	b = appendFamilyName(b, in.Fam, ' ')
	return append(b, `"}`...), true
}

// RouteV2 appends the v2 route object (Change.as_dict()) of an inet route:
// `{"nlri": {"prefix": "p", "nexthop": "nh"|null, "family": {"afi": "ipv4",
// "safi": "unicast"}}, "attributes": {"origin": "igp", ...}}`.
func RouteV2(b []byte, n wire.NLRI, nh netip.Addr, attrs *wire.Attributes) ([]byte, error) {
	in, isInet := n.(*wire.INET)
	if !isInet {
		return b, errNoRenderer(n.Family(), 0)
	}
	start := len(b)
	b = append(b, `{"nlri": {"prefix": "`...)
	b = appendPrefix(b, in.Prefix)
	b = append(b, `", "nexthop": `...)
	if nh.IsValid() {
		b = appendQuotedAddr(b, nh)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `, "family": {"afi": "`...)
	b = append(b, in.Fam.AFI.String()...)
	b = append(b, `", "safi": "`...)
	b = append(b, in.Fam.SAFI.String()...)
	b = append(b, `"}}, "attributes": {`...)
	if attrs != nil {
		var scratch [1024]byte
		packed := attrs.Append(scratch[:0], &wire.Negotiated{ASN4: true, AIGP: true})
		var u update
		u.asn4, u.aigp = true, true
		if err := u.collectAttrs(packed); err != nil {
			return b[:start], err
		}
		var err error
		if b, err = appendAttributesDict(b, &u); err != nil {
			return b[:start], err
		}
	}
	return append(b, "}}"...), nil
}

// appendAttributesDict appends the members of ExaBGP's
// Attributes.as_dict(): lists of communities as their text forms,
// integers as numbers, the rest as strings.
func appendAttributesDict(b []byte, u *update) ([]byte, error) {
	n := 0
	for _, a := range u.list() {
		if a.Code == wire.AttrNextHop || a.Code == wire.AttrMPReach || a.Code == wire.AttrMPUnreach {
			continue
		}
		mark := len(b)
		if n > 0 {
			b = append(b, ", "...)
		}
		var ok bool
		var err error
		if b, ok, err = appendAttrDictMember(b, a, u); err != nil {
			return b, err
		}
		if !ok {
			b = b[:mark]
			continue
		}
		n++
	}
	return b, nil
}

// appendAttrDictMember appends `"name": value` for one attribute.
func appendAttrDictMember(b []byte, a wire.Attr, u *update) ([]byte, bool, error) {
	name := attrName(a.Code)
	if name == "" || a.Code == wire.AttrAS4Path {
		// generic: "attribute-0xCC-0xFF": "<str(attribute)>"
		if a.Flags&wire.FlagTransitive == 0 && a.Code != wire.AttrAS4Path {
			return b, false, nil
		}
		var t [1024]byte
		txt, err := appendAttrText(t[:0], a, &attrCtx{asn4: u.asn4, aigp: u.aigp})
		if err != nil || len(txt) < len(" attribute [ 0xCC 0xFF  ]") {
			return b, false, err
		}
		// the text form is " attribute [ 0xCC 0xFF value ]": keep the value
		key := txt[len(" attribute [ "):]
		val := key[len("0xCC 0xFF ") : len(key)-2]
		b = append(b, `"attribute-`...)
		b = append(b, key[:4]...)
		b = append(b, '-')
		b = append(b, key[5:9]...)
		b = append(b, `": `...)
		return appendStrBytes(b, val), true, nil
	}
	b = appendKey(b, name)
	v := a.Value
	switch a.Code {
	case wire.AttrAtomicAggregate:
		return append(b, "true"...), true, nil
	case wire.AttrMED, wire.AttrLocalPref, wire.AttrASPath:
		return appendAttrValue(b, a.Code, v, &attrCtx{asn4: u.asn4})
	case wire.AttrCommunities, wire.AttrExtCommunities, wire.AttrLargeCommunities, wire.AttrClusterList, 25:
		return appendTextItemsJSON(b, a, u)
	case wire.AttrAIGP:
		return b, false, nil // int("0x...") fails in ExaBGP's as_dict: left out
	}
	// strings: str(attribute)
	var t [1024]byte
	txt, err := appendAttrText(t[:0], a, &attrCtx{asn4: u.asn4, aigp: u.aigp})
	if err != nil || len(txt) < len(name)+2 {
		return b, false, err
	}
	val := txt[len(name)+2:]
	if (a.Code == wire.AttrAggregator || a.Code == wire.AttrAS4Aggregator) && len(val) >= 4 {
		val = val[2 : len(val)-2] // "( x )" is the text presentation only
	}
	return appendStrBytes(b, val), true, nil
}

// appendTextItemsJSON appends a list attribute as a JSON list of the text
// form of each element (Communities.as_dict()).
func appendTextItemsJSON(b []byte, a wire.Attr, u *update) ([]byte, bool, error) {
	size := 4
	switch a.Code {
	case wire.AttrExtCommunities:
		size = 8
	case wire.AttrLargeCommunities:
		size = 12
	case 25:
		size = ext6Size
	}
	if len(a.Value)%size != 0 {
		return b, false, attrError(a.Code, wire.SubcodeAttrLength, "invalid length")
	}
	var idx [64]int
	var offs []int
	if a.Code == wire.AttrClusterList {
		for i := 0; i < len(a.Value) && len(offs) < len(idx); i += 4 {
			offs = append(idx[:len(offs)], i)
		}
	} else {
		offs = sortedChunks(a.Value, size, idx[:], a.Code == wire.AttrLargeCommunities)
	}
	b = append(b, '[')
	for k, i := range offs {
		if k > 0 {
			b = append(b, ", "...)
		}
		c := a.Value[i : i+size]
		b = append(b, '"')
		switch a.Code {
		case wire.AttrCommunities:
			b = appendCommunityText(b, be32(c))
		case wire.AttrExtCommunities:
			b = appendExtCommunityIn(b, c, false)
		case 25:
			b = appendExt6(b, c, false)
		case wire.AttrLargeCommunities:
			b = appendUint(b, uint64(be32(c)))
			b = append(b, ':')
			b = appendUint(b, uint64(be32(c[4:])))
			b = append(b, ':')
			b = appendUint(b, uint64(be32(c[8:])))
		case wire.AttrClusterList:
			b = netip.AddrFrom4([4]byte(c)).AppendTo(b)
		}
		b = append(b, '"')
	}
	return append(b, ']'), true, nil
}
