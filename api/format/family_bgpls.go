package format

import (
	"net/netip"

	"exago/wire"
)

// This file renders BGP-LS NLRI (RFC 9552, RFC 9514) as ExaBGP 5.0's
// nlri/bgpls/*.py json().
// Node and prefix NLRI show the MP_REACH next hop as "nexthop" (the
// JSONNextHop hook), "None" when there is none (withdrawn, decode -n).

func init() {
	registerFamily(FamilyRenderer{JSON: lsJSON, Text: familyExtensive, TextNextHop: familyExtensiveNH, JSONNextHop: LinkStateJSONNextHop}, wire.BGPLS, wire.BGPLSVPN)
}

// lsJSON appends the NLRI's json() without a next hop ("nexthop": "None").
func lsJSON(b []byte, n wire.NLRI, st Style) []byte {
	return LinkStateJSONNextHop(b, n, netip.Addr{}, st)
}

// LinkStateJSONNextHop appends the NLRI's json() with nh, the MP_REACH
// next hop, as the node and prefix NLRI's "nexthop" ("None" when invalid).
// It is the family's JSONNextHop hook.
func LinkStateJSONNextHop(b []byte, n wire.NLRI, nh netip.Addr, st Style) []byte {
	d := st.Dialect
	l, ok := n.(wire.LinkState)
	if !ok {
		return append(b, "{ }"...)
	}
	if !l.Parsed {
		b = append(b, `{ "code": `...)
		b = appendUint(b, uint64(l.Type))
		b = append(b, `, "parsed": false, "raw": "`...)
		b = appendRawHexUpper(b, l.AppendNLRI(nil, false))
		return append(b, `" }`...)
	}
	b = append(b, `{ "ls-nlri-type": "`...)
	b = append(b, wire.LSName(l.Type)...)
	b = append(b, `", "l3-routing-topology": `...)
	b = appendUint(b, l.Identifier)
	b = append(b, `, "protocol-id": `...)
	b = appendUint(b, uint64(l.Protocol))
	switch l.Type {
	case wire.LSLink:
		b = lsLinkJSON(b, l, d)
	case wire.LSSRv6SID:
		return lsSRv6JSON(b, l)
	default:
		b = lsNodeOrPrefixJSON(b, l, nh, d)
	}
	if l.Fam.SAFI == wire.SAFIBGPLSVPN {
		b = append(b, `, "rd": "`...)
		b = appendRD(b, l.RD[:])
		b = append(b, '"')
	}
	return append(b, " }"...)
}

// lsNodeOrPrefixJSON appends node-descriptors, the prefix members and
// nexthop (node.py, prefixv4.py, prefixv6.py).
func lsNodeOrPrefixJSON(b []byte, l wire.LinkState, nh netip.Addr, d Dialect) []byte {
	open, close := lsDescriptorBrackets(d)
	b = append(b, `, "node-descriptors": `...)
	b = append(b, open...)
	var reach, ospf []byte
	hasOSPF := false
	n := 0
	for it := l.TLVs(); it.Next(); {
		switch it.Type() {
		case wire.LSTLVLocalNode:
			b = lsNodeDescriptors(b, l.Protocol, it.Value(), &n, d)
		case wire.LSTLVIPReach:
			reach = it.Value()
		case wire.LSTLVOSPFRouteType:
			ospf, hasOSPF = it.Value(), true
		}
	}
	b = append(b, close...)
	if l.Type != wire.LSNode {
		b = append(b, ", "...)
		b = lsIPReach(b, l.Type == wire.LSPrefixV6, reach)
	}
	b = append(b, `, "nexthop": "`...)
	if nh.IsValid() {
		b = nh.AppendTo(b)
	} else {
		b = append(b, "None"...)
	}
	b = append(b, '"')
	if hasOSPF && len(ospf) == 1 {
		b = append(b, `, "ospf-route-type": `...)
		b = appendUint(b, uint64(ospf[0]))
	}
	return b
}

// lsIPReach appends ipreach.py's two members: the prefix as ExaBGP spells
// it (the bytes given, zero-padded) and "prefix/len".
func lsIPReach(b []byte, v6 bool, v []byte) []byte {
	plen := v[0]
	v = v[1:]
	b = append(b, `"ip-reachability-tlv": "`...)
	start := len(b)
	if v6 {
		var a [16]byte
		copy(a[:], v)
		b = netip.AddrFrom16(a).AppendTo(b)
	} else {
		for i := 0; i < max(len(v), 4); i++ {
			if i > 0 {
				b = append(b, '.')
			}
			if i < len(v) {
				b = appendUint(b, uint64(v[i]))
			} else {
				b = append(b, '0')
			}
		}
	}
	prefix := string(b[start:])
	b = append(b, `", "ip-reach-prefix": "`...)
	b = append(b, prefix...)
	b = append(b, '/')
	b = appendUint(b, uint64(plen))
	return append(b, '"')
}

// lsLinkJSON appends link.py's members.
func lsLinkJSON(b []byte, l wire.LinkState, d Dialect) []byte {
	if d.lsDescriptorObject() {
		return lsLinkJSON40(b, l)
	}
	var local, remote, linkID []byte
	for it := l.TLVs(); it.Next(); {
		switch it.Type() {
		case wire.LSTLVLocalNode:
			local = it.Value()
		case wire.LSTLVRemoteNode:
			remote = it.Value()
		case wire.LSTLVLinkID:
			linkID = it.Value()
		}
	}
	n := 0
	b = append(b, `, "local-node-descriptors": [ `...)
	b = lsNodeDescriptors(b, l.Protocol, local, &n, d)
	n = 0
	b = append(b, ` ], "remote-node-descriptors": [ `...)
	b = lsNodeDescriptors(b, l.Protocol, remote, &n, d)
	b = append(b, ` ], "interface-addresses": [ `...)
	b = lsAddrList(b, l, wire.LSTLVIPv4Interface, wire.LSTLVIPv6Interface)
	b = append(b, ` ], "neighbor-addresses": [ `...)
	b = lsAddrList(b, l, wire.LSTLVIPv4Neighbor, wire.LSTLVIPv6Neighbor)
	b = append(b, ` ], "multi-topology-ids": [ `...)
	n = 0
	for it := l.TLVs(); it.Next(); {
		if it.Type() == wire.LSTLVMultiTopology {
			if n > 0 {
				b = append(b, ", "...)
			}
			n++
			b = appendUint(b, uint64(uint16(it.Value()[0])<<8|uint16(it.Value()[1]))&0x0FFF)
		}
	}
	b = append(b, ` ], "link-identifiers": [ `...)
	if len(linkID) >= 8 {
		b = append(b, `{ "link-local-id": `...)
		b = appendUint(b, uint64(be32(linkID)))
		b = append(b, `, "link-remote-id": `...)
		b = appendUint(b, uint64(be32(linkID[4:])))
		b = append(b, " }"...)
	}
	return append(b, " ]"...)
}

// lsDescriptorBrackets are the brackets around node descriptors.
func lsDescriptorBrackets(d Dialect) (string, string) {
	if d.lsDescriptorObject() {
		return "{ ", " }"
	}
	return "[ ", " ]"
}

// lsLinkJSON40 appends 4.2's link.py members: descriptors as objects and
// `"interface-address": { "interface-address": "a", ... }`, the same for
// neighbor addresses. 4.2 never shows the link identifiers (its decoder
// does not keep them) nor the multi-topology IDs.
func lsLinkJSON40(b []byte, l wire.LinkState) []byte {
	var local, remote []byte
	for it := l.TLVs(); it.Next(); {
		switch it.Type() {
		case wire.LSTLVLocalNode:
			local = it.Value()
		case wire.LSTLVRemoteNode:
			remote = it.Value()
		}
	}
	n := 0
	b = append(b, `, "local-node-descriptors": { `...)
	b = lsNodeDescriptors(b, l.Protocol, local, &n, Dialect40)
	n = 0
	b = append(b, ` }, "remote-node-descriptors": { `...)
	b = lsNodeDescriptors(b, l.Protocol, remote, &n, Dialect40)
	b = append(b, ` }, "interface-address": { `...)
	b = lsAddrMembers(b, l, wire.LSTLVIPv4Interface, wire.LSTLVIPv6Interface, "interface-address")
	b = append(b, ` }, "neighbor-address": { `...)
	b = lsAddrMembers(b, l, wire.LSTLVIPv4Neighbor, wire.LSTLVIPv6Neighbor, "neighbor-address")
	return append(b, " }"...)
}

// lsAddrMembers appends `"key": "addr"` for the TLVs of either type.
func lsAddrMembers(b []byte, l wire.LinkState, t4, t6 uint16, key string) []byte {
	n := 0
	for it := l.TLVs(); it.Next(); {
		if it.Type() != t4 && it.Type() != t6 {
			continue
		}
		if a, ok := netip.AddrFromSlice(it.Value()); ok {
			if n > 0 {
				b = append(b, ", "...)
			}
			n++
			b = appendKey(b, key)
			b = appendQuotedAddr(b, a)
		}
	}
	return b
}

// lsAddrList appends the quoted addresses of the TLVs of either type.
func lsAddrList(b []byte, l wire.LinkState, t4, t6 uint16) []byte {
	n := 0
	for it := l.TLVs(); it.Next(); {
		if it.Type() != t4 && it.Type() != t6 {
			continue
		}
		if a, ok := netip.AddrFromSlice(it.Value()); ok {
			if n > 0 {
				b = append(b, ", "...)
			}
			n++
			b = appendQuotedAddr(b, a)
		}
	}
	return b
}

// lsNodeDescriptors appends one JSON object per node descriptor sub-TLV
// (tlvs/node.py json()), counting them in *n for the separators.
func lsNodeDescriptors(b []byte, proto uint8, v []byte, n *int, dl Dialect) []byte {
	obj := dl.lsDescriptorObject()
	for it := wire.NewLSTLVs(v); it.Next(); {
		d, err := wire.ParseLSNodeDescriptor(proto, it.Type(), it.Value())
		if err != nil {
			continue
		}
		if *n > 0 {
			b = append(b, ", "...)
		}
		*n++
		if !obj {
			b = append(b, "{ "...)
		}
		switch d.Type {
		case wire.LSSubASN:
			b = append(b, `"autonomous-system": `...)
			b = appendUint(b, uint64(d.Number))
		case wire.LSSubBGPLSID:
			b = append(b, `"bgp-ls-identifier": "`...)
			b = appendUint(b, uint64(d.Number))
			b = append(b, '"')
		case wire.LSSubOSPFArea:
			b = append(b, `"ospf-area-id": `...)
			b = appendQuotedAddr(b, d.Addr)
		default:
			b = lsRouterIDJSON(b, d, it.Value(), obj)
		}
		if !obj {
			b = append(b, " }"...)
		}
	}
	return b
}

// lsRouterIDJSON appends the IGP router-ID members: IS-IS as the hex of
// the whole value (with the PSN also apart when not 0), OSPF as an address
// with the designated router.
func lsRouterIDJSON(b []byte, d wire.LSNodeDescriptor, v []byte, drFirst bool) []byte {
	if drFirst && d.IsISIS && len(v) == 7 { // 4.2: "psn" first, router-id without it
		b = append(b, `"psn": "`...)
		b = appendUint(b, uint64(v[6]))
		b = append(b, `", "router-id": "`...)
		for _, c := range v[:6] {
			b = append(b, hexLower[c>>4], hexLower[c&15])
		}
		return append(b, '"')
	}
	if drFirst && !d.IsISIS && d.DR.IsValid() {
		b = append(b, `"designated-router-id": `...)
		b = appendQuotedAddr(b, d.DR)
		b = append(b, `, "router-id": `...)
		return appendQuotedAddr(b, d.Addr)
	}
	b = append(b, `"router-id": "`...)
	if d.IsISIS {
		for _, c := range v {
			b = append(b, hexLower[c>>4], hexLower[c&15])
		}
		b = append(b, '"')
		if d.PSN != 0 {
			b = append(b, `, "psn": "`...)
			b = appendUint(b, uint64(d.PSN))
			b = append(b, '"')
		}
		return b
	}
	b = d.Addr.AppendTo(b)
	b = append(b, '"')
	if d.DR.IsValid() {
		b = append(b, `, "designated-router-id": `...)
		b = appendQuotedAddr(b, d.DR)
	}
	return b
}

// lsSRv6JSON appends srv6sid.py's members and closes the object.
func lsSRv6JSON(b []byte, l wire.LinkState) []byte {
	b = append(b, `, "node-descriptors": [ `...)
	n, first := 0, true
	for it := l.TLVs(); it.Next(); {
		if first && it.Type() == wire.LSTLVLocalNode {
			b = lsNodeDescriptors(b, l.Protocol, it.Value(), &n, Dialect50)
		}
		first = false
	}
	b = append(b, ` ], "srv6-sid-descriptors": {"multi-topology-ids": [`...)
	n = 0
	for it := l.TLVs(); it.Next(); {
		if it.Type() == wire.LSTLVMultiTopology && len(it.Value()) >= 2 {
			if n > 0 {
				b = append(b, ", "...)
			}
			n++
			b = append(b, '"')
			b = appendUint(b, uint64(be16(it.Value()))&0x0FFF)
			b = append(b, '"')
		}
	}
	b = append(b, ']')
	for it := l.TLVs(); it.Next(); {
		if it.Type() == wire.LSTLVSRv6SIDInfo {
			var a [16]byte
			copy(a[:], it.Value())
			b = append(b, `, "srv6-sid": "`...)
			b = netip.AddrFrom16(a).AppendTo(b)
			b = append(b, '"')
		}
	}
	b = lsGenericTLVs(b, l)
	return append(b, "} }"...)
}

// lsGenericTLVs appends "generic-tlv-N": ["0x.."] for the SRv6 SID NLRI's
// other TLVs, grouped by type in order of first appearance.
func lsGenericTLVs(b []byte, l wire.LinkState) []byte {
	it := l.TLVs()
	it.Next() // the local node descriptor
	for i := 0; it.Next(); i++ {
		t := it.Type()
		if t == wire.LSTLVMultiTopology || t == wire.LSTLVSRv6SIDInfo || lsSeenBefore(l, t, i) {
			continue
		}
		b = append(b, `, "generic-tlv-`...)
		b = appendUint(b, uint64(t))
		b = append(b, `": [`...)
		j, n := l.TLVs(), 0
		j.Next()
		for j.Next() {
			if j.Type() == t {
				if n > 0 {
					b = append(b, ", "...)
				}
				n++
				b = append(b, '"')
				b = appendHexUpper(b, j.Value())
				b = append(b, '"')
			}
		}
		b = append(b, ']')
	}
	return b
}

// lsSeenBefore reports whether a TLV of type t comes before index i (after
// the local node descriptor).
func lsSeenBefore(l wire.LinkState, t uint16, i int) bool {
	it := l.TLVs()
	it.Next()
	for k := 0; k < i && it.Next(); k++ {
		if it.Type() == t {
			return true
		}
	}
	return false
}

// lsString appends BGPLS.__str__(): the JSON for node, link and prefix
// NLRI, else "bgp-ls:<short>:0x<hex>".
func lsString(b []byte, n wire.NLRI) []byte {
	l, ok := n.(wire.LinkState)
	if !ok {
		return b
	}
	if l.Parsed && l.Type != wire.LSSRv6SID {
		return lsJSON(b, n, Style{})
	}
	b = append(b, "bgp-ls:"...)
	switch l.Type {
	case wire.LSNode:
		b = append(b, "node"...)
	case wire.LSLink:
		b = append(b, "link"...)
	case wire.LSPrefixV4:
		b = append(b, "prefix_v4"...)
	case wire.LSPrefixV6:
		b = append(b, "prefix_v6"...)
	case wire.LSSRv6SID:
		b = append(b, "srv6_sid"...)
	default:
		b = append(b, "unknown"...)
	}
	b = append(b, ':')
	return appendHexLower(b, l.Raw)
}
