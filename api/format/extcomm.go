package format

import (
	"math"
	"net/netip"

	"exago/wire"
)

// This file names extended communities (RFC 4360 and the FlowSpec, EVPN,
// MUP ones) as ExaBGP's community/extended/*.py classes print them. The
// class is chosen by (type & 0x0F, subtype), as ExaBGP's registry does.

// appendExtCommunitiesJSON appends `[ { "value": N, "string": "s" }, ... ]`.
func appendExtCommunitiesJSON(b []byte, v []byte, code uint8, d Dialect) ([]byte, bool, error) {
	if len(v)%8 != 0 {
		return b, false, attrError(code, wire.SubcodeAttrLength, "invalid extended community, expected 8 bytes")
	}
	var idx [64]int
	order := sortedChunks(v, 8, idx[:], false)
	if !d.sortExtCommunities() {
		order = wireChunks(v, 8, idx[:])
	}
	b = append(b, "[ "...)
	for k, i := range order {
		if k > 0 {
			b = append(b, ", "...)
		}
		c := v[i : i+8]
		b = append(b, `{ "value": `...)
		b = appendUint(b, uint64(be32(c))<<32|uint64(be32(c[4:])))
		b = append(b, `, "string": "`...)
		b = appendExtCommunityD(b, c, true, d)
		b = append(b, `" }`...)
	}
	return append(b, " ]"...), true, nil
}

// appendExtCommunity appends the JSON "string" of one extended community
// (see appendExtCommunityIn).
func appendExtCommunity(b []byte, c []byte) []byte { return appendExtCommunityIn(b, c, true) }

// appendExtCommunityIn appends ExaBGP's string of one 8-octet extended
// community ("target:65000:1", "rate-limit:0", "0x..."). A kind ExaBGP
// has no class for prints "" in JSON and its hex in text; link bandwidth
// is such a kind (its class is never loaded in 5.0).
func appendExtCommunityIn(b []byte, c []byte, json bool) []byte {
	return appendExtCommunityD(b, c, json, Dialect50)
}

// appendExtCommunityD is appendExtCommunityIn in dialect d (4.2 marks
// 4-octet ASNs of targets and origins with "L").
func appendExtCommunityD(b []byte, c []byte, json bool, d Dialect) []byte {
	t, st := c[0]&0x0f, c[1]
	switch {
	case (st == 0x02 || st == 0x13) && t <= 2: // route target, RT record
		word := "target:"
		if st == 0x13 {
			word = "rtrecord:"
		}
		switch t {
		case 0:
			b = append(b, word...)
			b = appendUint(b, uint64(be16(c[2:])))
			b = append(b, ':')
			return appendUint(b, uint64(be32(c[4:])))
		case 1:
			b = append(b, word...)
			b = netip.AddrFrom4([4]byte(c[2:6])).AppendTo(b)
			b = append(b, ':')
			return appendUint(b, uint64(be16(c[6:])))
		case 2:
			b = append(b, word...)
			b = appendUint(b, uint64(be32(c[2:])))
			b = append(b, d.asn4Suffix()...)
			b = append(b, ':')
			return appendUint(b, uint64(be16(c[6:])))
		}
	case st == 0x03 && t <= 2: // route origin
		b = append(b, "origin:"...)
		switch t {
		case 0:
			b = appendUint(b, uint64(be16(c[2:])))
			b = append(b, ':')
			return netip.AddrFrom4([4]byte(c[4:8])).AppendTo(b)
		case 1: // ExaBGP swaps the fields when it prints this kind
			b = appendUint(b, uint64(be16(c[6:])))
			b = append(b, ':')
			return netip.AddrFrom4([4]byte(c[2:6])).AppendTo(b)
		default:
			b = appendUint(b, uint64(be32(c[2:])))
			b = append(b, d.asn4Suffix()...)
			b = append(b, ':')
			return appendUint(b, uint64(be16(c[6:])))
		}
	case t == 0 && st == 0x06: // FlowSpec traffic-rate
		b = append(b, "rate-limit:"...)
		f := float64(math.Float32frombits(be32(c[4:])))
		return appendInt(b, int64(math.Trunc(f)))
	case t == 0 && st == 0x07: // FlowSpec traffic-action
		b = append(b, "action "...)
		switch c[7] & 3 {
		case 3:
			return append(b, "sample-terminal"...)
		case 2:
			return append(b, "sample"...)
		case 1:
			return append(b, "terminal"...)
		}
		return b
	case t == 0 && st == 0x08: // FlowSpec redirect AS-2
		b = append(b, "redirect:"...)
		b = appendUint(b, uint64(be16(c[2:])))
		b = append(b, ':')
		return appendUint(b, uint64(be32(c[4:])))
	case t == 0 && st == 0x09: // FlowSpec traffic-marking
		b = append(b, "mark "...)
		return appendUint(b, uint64(c[7]))
	case t == 0 && st == 0x0a: // L2 info (RFC 4761)
		b = append(b, "l2info:"...)
		b = appendUint(b, uint64(c[2]))
		b = append(b, ':')
		b = appendUint(b, uint64(c[3]))
		b = append(b, ':')
		b = appendUint(b, uint64(be16(c[4:])))
		b = append(b, ':')
		return appendUint(b, uint64(be16(c[6:])))
	case t == 1 && st == 0x0c: // redirect to IP next-hop (IETF)
		if c[7]&1 != 0 {
			b = append(b, "copy-to-nexthop-ietf "...)
			b = netip.AddrFrom4([4]byte(c[2:6])).AppendTo(b)
			return append(b, " (with copy)"...)
		}
		b = append(b, "redirect-to-nexthop-ietf "...)
		return netip.AddrFrom4([4]byte(c[2:6])).AppendTo(b)
	case t == 8 && st == 0x00: // redirect to next-hop (Simpson draft)
		if c[7]&1 != 0 {
			return append(b, "copy-to-nexthop"...)
		}
		return append(b, "redirect-to-nexthop"...)
	case t == 3 && st == 0x0c: // encapsulation (RFC 9012)
		b = append(b, "encap:"...)
		return appendEncapName(b, be16(c[6:]))
	case t == 3 && st == 0x14:
		b = append(b, "consistentHashSortOrder:"...)
		return appendUint(b, uint64(be32(c[2:])))
	case t == 6 && st == 0x00: // EVPN MAC mobility (RFC 7432 §7.7)
		b = append(b, "mac-mobility:"...)
		b = appendUint(b, uint64(be32(c[4:])))
		if c[2] == 1 {
			b = append(b, ":sticky"...)
		}
		return b
	case t == 0x0c && st == 0x00: // MUP direct segment
		b = append(b, "mup:"...)
		b = appendUint(b, uint64(be16(c[2:])))
		b = append(b, ':')
		return appendUint(b, uint64(be32(c[4:])))
	case t == 7 && st == 0x02: // FlowSpec interface-set
		return appendInterfaceSet(b, c)
	case t == 2 && st == 0x08: // redirect AS-4: registered, printed as hex
	default:
		if json {
			return b
		}
	}
	b = append(b, '0', 'x')
	return appendRawHexUpper(b, c)
}

func appendEncapName(b []byte, t uint16) []byte {
	switch t {
	case 0:
		return append(b, "Default"...)
	case 1:
		return append(b, "L2TPv3"...)
	case 2:
		return append(b, "GRE"...)
	case 7:
		return append(b, "IP-in-IP"...)
	case 8:
		return append(b, "VXLAN"...)
	case 9:
		return append(b, "NVGRE"...)
	case 10:
		return append(b, "MPLS"...)
	case 12:
		return append(b, "VXLAN-GPE"...)
	case 13:
		return append(b, "MPLS-in-UDP"...)
	}
	b = append(b, "encap:UNKNOWN-"...)
	return appendUint(b, uint64(t))
}

// appendInterfaceSet: draft-ietf-idr-flowspec-interfaceset, ExaBGP's
// "interface-set:<input|output|input-output>:<asn>:<group>".
func appendInterfaceSet(b []byte, c []byte) []byte {
	b = append(b, "interface-set:"...)
	dir := c[6] >> 6
	switch dir {
	case 1:
		b = append(b, "input"...)
	case 2:
		b = append(b, "output"...)
	case 3:
		b = append(b, "input-output"...)
	default:
		b = appendUint(b, uint64(dir))
	}
	b = append(b, ':')
	b = appendUint(b, uint64(be32(c[2:])))
	b = append(b, ':')
	return appendUint(b, uint64(be16(c[6:])&0x1fff))
}
