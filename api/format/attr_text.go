package format

import (
	"net/netip"

	"exago/wire"
)

// This file renders path attributes as ExaBGP's text form (Attributes
// __repr__, attribute/attributes.py _generate_text): ` name value` for
// each attribute in code order, which the text encoder, `show adj-rib
// extensive` and `validate -r` append after the NLRI.

// appendAttributesText appends the text of every attribute of u.
func appendAttributesText(b []byte, u *update) ([]byte, error) {
	ctx := attrCtx{asn4: u.asn4, aigp: u.aigp}
	hasAS2 := u.find(wire.AttrASPath) >= 0
	for _, a := range u.list() {
		switch a.Code {
		case wire.AttrNextHop, wire.AttrMPReach, wire.AttrMPUnreach:
			continue
		case wire.AttrAS4Path:
			if hasAS2 {
				continue
			}
		}
		var err error
		if a.Code == wire.AttrASPath && !u.asn4 && u.seen(wire.AttrAS4Path) {
			b = appendMergedASPathText(b, u)
			continue
		}
		if b, err = appendAttrText(b, a, &ctx); err != nil {
			if ne, ok := err.(*wire.NotifyError); ok {
				ne.Offset, ne.Attr = a.Offset, a.Code
			}
			return b, err
		}
	}
	return u.appendMarks(b, 0, false), nil
}

// appendAttrText appends ` name value` for one attribute (nothing for the
// ones ExaBGP drops). Long for the same reason as appendAttrValue: one
// case per attribute code.
func appendAttrText(b []byte, a wire.Attr, ctx *attrCtx) ([]byte, error) {
	v := a.Value
	name := attrName(a.Code)
	if a.Code == wire.AttrAS4Path || (name == "" && !knownAttr(a.Code)) {
		if a.Flags&wire.FlagTransitive == 0 && a.Code != wire.AttrAS4Path {
			return b, nil
		}
		f := a.Flags | wire.FlagPartial
		b = append(b, " attribute [ 0x"...)
		b = append(b, hexUpper[a.Code>>4], hexUpper[a.Code&15])
		b = append(b, " 0x"...)
		if a.Code == wire.AttrAS4Path {
			f = wire.FlagOptional | wire.FlagTransitive
		}
		b = append(b, hexUpper[f>>4], hexUpper[f&15])
		b = append(b, ' ')
		if a.Code == wire.AttrAS4Path {
			b = appendASPathText(b, v, true)
		} else {
			b = appendHexLower(b, v)
		}
		return append(b, " ]"...), nil
	}
	if name == "" {
		return b, nil
	}
	mark := len(b)
	b = append(b, ' ')
	b = append(b, name...)
	b = append(b, ' ')
	switch a.Code {
	case wire.AttrOrigin:
		if len(v) == 0 {
			return b[:mark], attrError(a.Code, wire.SubcodeAttrLength, "invalid ORIGIN length")
		}
		return append(b, originName(v[0])...), nil
	case wire.AttrASPath:
		if len(v) == 0 {
			return b[:mark], nil
		}
		if err := walkASPath(v, ctx.asn4, a.Code, func(uint8, []byte) {}); err != nil {
			return b[:mark], err
		}
		return appendASPathText(b, v, ctx.asn4), nil
	case wire.AttrMED, wire.AttrLocalPref:
		if len(v) != 4 {
			return b[:mark], attrError(a.Code, wire.SubcodeAttrLength, "invalid length, expected 4 bytes")
		}
		return appendUint(b, uint64(be32(v))), nil
	case wire.AttrAtomicAggregate:
		return b[:len(b)-1], nil
	case wire.AttrAggregator, wire.AttrAS4Aggregator:
		asn, ip, err := aggregator(v, ctx.asn4 || a.Code == wire.AttrAS4Aggregator, a.Code)
		if err != nil {
			return b[:mark], err
		}
		b = append(b, "( "...)
		b = appendUint(b, uint64(asn))
		b = append(b, ':')
		b = appendAddr(b, ip)
		return append(b, " )"...), nil
	case wire.AttrCommunities:
		if len(v)%4 != 0 || len(v) == 0 {
			return b[:mark], attrError(a.Code, wire.SubcodeMalformedAttrList, "could not decode community")
		}
		var idx [64]int
		return appendTextList(b, sortedChunks(v, 4, idx[:], false), func(b []byte, i int) []byte {
			return appendCommunityText(b, be32(v[i:]))
		}), nil
	case wire.AttrOriginatorID:
		if len(v) != 4 {
			return b[:mark], attrError(a.Code, wire.SubcodeAttrLength, "invalid ORIGINATOR_ID length")
		}
		return netip.AddrFrom4([4]byte(v)).AppendTo(b), nil
	case wire.AttrClusterList:
		if len(v)%4 != 0 {
			return b[:mark], attrError(a.Code, wire.SubcodeAttrLength, "CLUSTER_LIST is not a whole number of clusters")
		}
		var idx [64]int
		n := 0
		for i := 0; i < len(v) && n < len(idx); i += 4 {
			idx[n] = i
			n++
		}
		// ClusterList.__repr__ tests its byte length (4 per cluster)
		// against 1, so even a single cluster is bracketed
		if n == 0 {
			return append(b, "[  ]"...), nil
		}
		b = append(b, '[')
		for _, i := range idx[:n] {
			b = append(b, ' ')
			b = netip.AddrFrom4([4]byte(v[i : i+4])).AppendTo(b)
		}
		return append(b, " ]"...), nil
	case wire.AttrExtCommunities:
		if len(v)%8 != 0 || len(v) == 0 {
			return b[:mark], attrError(a.Code, wire.SubcodeAttrLength, "invalid extended community, expected 8 bytes")
		}
		var idx [64]int
		return appendTextList(b, sortedChunks(v, 8, idx[:], false), func(b []byte, i int) []byte {
			return appendExtCommunityIn(b, v[i:i+8], false)
		}), nil
	case 25:
		if len(v)%ext6Size != 0 || len(v) == 0 {
			return b[:mark], attrError(a.Code, wire.SubcodeMalformedAttrList, "could not decode ipv6 extended community")
		}
		var idx [32]int
		return appendTextList(b, sortedChunks(v, ext6Size, idx[:], false), func(b []byte, i int) []byte {
			return appendExt6(b, v[i:i+ext6Size], false)
		}), nil
	case wire.AttrLargeCommunities:
		if len(v)%12 != 0 || len(v) == 0 {
			return b[:mark], attrError(a.Code, wire.SubcodeOptionalAttr, "could not decode large community")
		}
		var idx [32]int
		return appendTextList(b, sortedChunks(v, 12, idx[:], true), func(b []byte, i int) []byte {
			b = appendUint(b, uint64(be32(v[i:])))
			b = append(b, ':')
			b = appendUint(b, uint64(be32(v[i+4:])))
			b = append(b, ':')
			return appendUint(b, uint64(be32(v[i+8:])))
		}), nil
	case wire.AttrAIGP:
		if !ctx.aigp {
			return b[:mark], nil
		}
		out, _, err := appendAIGP(b, v, a.Code)
		if err != nil {
			return b[:mark], err
		}
		// appendAIGP quotes for JSON; the text form is bare
		q := out[len(b):]
		copy(q, q[1:len(q)-1])
		return out[:len(out)-2], nil
	case wire.AttrPMSI:
		if len(v) < 5 {
			return b[:mark], attrError(a.Code, wire.SubcodeOptionalAttr, "PMSI tunnel attribute too short")
		}
		return appendPMSIText(b, v), nil
	}
	if r, ok := attrRenderers[a.Code]; ok && r.Text != nil {
		if r.Name != "" {
			b = append(b[:mark+1], r.Name...)
			b = append(b, ' ')
		}
		out, err := r.Text(b, v)
		if err != nil {
			return b[:mark], err
		}
		return out, nil
	}
	return b[:mark], nil
}

// appendTextList appends ExaBGP's list form: the single element alone,
// several as "[ a b c ]".
func appendTextList(b []byte, idx []int, one func([]byte, int) []byte) []byte {
	if len(idx) == 1 {
		return one(b, idx[0])
	}
	b = append(b, "[ "...)
	for k, i := range idx {
		if k > 0 {
			b = append(b, ' ')
		}
		b = one(b, i)
	}
	return append(b, " ]"...)
}

// appendCommunityText appends a community with ExaBGP's names for the
// well-known ones (RFC 1997, RFC 3765, RFC 7999).
func appendCommunityText(b []byte, c uint32) []byte {
	switch c {
	case 0xFFFFFF01:
		return append(b, "no-export"...)
	case 0xFFFFFF02:
		return append(b, "no-advertise"...)
	case 0xFFFFFF03:
		return append(b, "no-export-subconfed"...)
	case 0xFFFFFF04:
		return append(b, "no-peer"...)
	case 0xFFFF029A:
		return append(b, "blackhole"...)
	}
	b = appendUint(b, uint64(c>>16))
	b = append(b, ':')
	return appendUint(b, uint64(c&0xffff))
}

// appendMergedASPathText is the text form of appendMergedASPath.
func appendMergedASPathText(b []byte, u *update) []byte {
	var ua wire.UpdateAttrs
	if err := wire.DecodeAttributes(u.attrRaw, &wire.Negotiated{}, &ua); err != nil || !ua.HasASPath {
		return b
	}
	b = append(b, " as-path"...)
	for _, s := range ua.ASPath {
		head, tail := "(", ")"
		switch s.Type {
		case wire.ASSet:
			head, tail = "[", "]"
		case wire.ASConfedSequence:
			head, tail = "{(", ")}"
		case wire.ASConfedSet:
			head, tail = "{[", "]}"
		}
		b = append(b, ' ')
		b = append(b, head...)
		for _, asn := range s.ASNs {
			b = append(b, ' ')
			b = appendUint(b, uint64(asn))
		}
		b = append(b, ' ')
		b = append(b, tail...)
	}
	return b
}
