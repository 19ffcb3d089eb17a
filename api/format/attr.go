package format

import (
	"net/netip"

	"exago/wire"
)

// This file renders path attributes (RFC 4271 §5, and the optional ones
// ExaBGP knows) from their value bytes, as ExaBGP's Attributes.json()
// does: one `"name": value` member per attribute, in ascending type code
// order, NEXT_HOP and MP_(UN)REACH left out (they belong to the NLRI).

// attrJSON renders the JSON value of one attribute. ok false means the
// attribute is not shown (ExaBGP drops it, e.g. an empty AS_PATH).
type attrJSON func(b []byte, v []byte, ctx *attrCtx) (out []byte, ok bool, err error)

// attrCtx is what attribute renderers need from the session.
type attrCtx struct {
	asn4 bool
	aigp bool // AIGP is accepted on this session (ExaBGP's negotiated.aigp)
	d    Dialect
}

// AttrRenderer renders one attribute code. Families code (BGP-LS 29,
// prefix-SID 40) registers theirs with registerAttr from its own
// family_*.go file.
type AttrRenderer struct {
	// Name is the JSON key ("bgp-ls").
	Name string
	// JSON appends the JSON value for the attribute value v in dialect d.
	JSON func(b []byte, v []byte, d Dialect) ([]byte, error)
	// Text appends the text value (after "name "), or nil for none.
	Text func(b []byte, v []byte) ([]byte, error)
}

// attrRenderers holds the renderers registered by family_*.go files. It
// is filled by init functions and never changed afterwards.
var attrRenderers = map[uint8]AttrRenderer{}

// registerAttr plugs a renderer for attribute code in (call it from an
// init function).
func registerAttr(code uint8, r AttrRenderer) { attrRenderers[code] = r }

// attrName is the JSON key of each attribute ExaBGP names.
func attrName(code uint8) string {
	switch code {
	case wire.AttrOrigin:
		return "origin"
	case wire.AttrASPath:
		return "as-path"
	case wire.AttrNextHop:
		return "next-hop"
	case wire.AttrMED:
		return "med"
	case wire.AttrLocalPref:
		return "local-preference"
	case wire.AttrAtomicAggregate:
		return "atomic-aggregate"
	case wire.AttrAggregator, wire.AttrAS4Aggregator:
		return "aggregator"
	case wire.AttrCommunities:
		return "community"
	case wire.AttrOriginatorID:
		return "originator-id"
	case wire.AttrClusterList:
		return "cluster-list"
	case wire.AttrExtCommunities:
		return "extended-community"
	case 25:
		return "extended-community-ipv6"
	case wire.AttrLargeCommunities:
		return "large-community"
	case wire.AttrPMSI:
		return "pmsi"
	case wire.AttrAIGP:
		return "aigp"
	case wire.AttrBGPLS:
		return "bgp-ls"
	case wire.AttrPrefixSID:
		return "bgp-prefix-sid"
	}
	return ""
}

// knownAttr reports whether ExaBGP decodes code itself (as opposed to
// carrying it as a generic attribute).
func knownAttr(code uint8) bool {
	switch code {
	case wire.AttrOrigin, wire.AttrASPath, wire.AttrNextHop, wire.AttrMED, wire.AttrLocalPref,
		wire.AttrAtomicAggregate, wire.AttrAggregator, wire.AttrCommunities, wire.AttrOriginatorID,
		wire.AttrClusterList, wire.AttrMPReach, wire.AttrMPUnreach, wire.AttrExtCommunities,
		wire.AttrAS4Path, wire.AttrAS4Aggregator, wire.AttrPMSI, wire.AttrAIGP, wire.AttrBGPLS,
		wire.AttrLargeCommunities, wire.AttrPrefixSID, 25:
		return true
	}
	return false
}

// attrError is a malformed attribute, named.
func attrError(code, sub uint8, reason string) error {
	return &wire.NotifyError{Code: wire.CodeUpdate, Subcode: sub, Attr: code, Reason: reason}
}

// appendAttrValue appends the JSON value of attribute code with value v.
// It is long because it is a table in code form: one short case per
// attribute code ExaBGP renders itself.
func appendAttrValue(b []byte, code uint8, v []byte, ctx *attrCtx) ([]byte, bool, error) {
	switch code {
	case wire.AttrOrigin:
		if len(v) == 0 {
			return b, false, attrError(code, wire.SubcodeAttrLength, "invalid ORIGIN length")
		}
		b = append(b, '"')
		b = append(b, originName(v[0])...)
		return append(b, '"'), true, nil
	case wire.AttrASPath:
		if len(v) == 0 {
			return b, false, nil
		}
		return appendASPathJSON(b, v, ctx.asn4, code)
	case wire.AttrMED, wire.AttrLocalPref:
		if len(v) != 4 {
			return b, false, attrError(code, wire.SubcodeAttrLength, "invalid length, expected 4 bytes")
		}
		return appendUint(b, uint64(be32(v))), true, nil
	case wire.AttrAtomicAggregate:
		return append(b, "true"...), true, nil
	case wire.AttrAggregator, wire.AttrAS4Aggregator:
		asn, ip, err := aggregator(v, ctx.asn4 || code == wire.AttrAS4Aggregator, code)
		if err != nil {
			return b, false, err
		}
		b = append(b, '"')
		b = appendUint(b, uint64(asn))
		b = append(b, ':')
		b = appendAddr(b, ip)
		return append(b, '"'), true, nil
	case wire.AttrCommunities:
		if len(v)%4 != 0 {
			return b, false, attrError(code, wire.SubcodeMalformedAttrList, "could not decode community")
		}
		var idx [64]int
		b = append(b, "[ "...)
		for k, i := range sortedChunks(v, 4, idx[:], false) {
			if k > 0 {
				b = append(b, ", "...)
			}
			b = append(b, "[ "...)
			b = appendUint(b, uint64(be16(v[i:])))
			b = append(b, ", "...)
			b = appendUint(b, uint64(be16(v[i+2:])))
			b = append(b, " ]"...)
		}
		return append(b, " ]"...), true, nil
	case wire.AttrOriginatorID:
		if len(v) != 4 {
			return b, false, attrError(code, wire.SubcodeAttrLength, "invalid ORIGINATOR_ID length")
		}
		return appendQuotedAddr(b, netip.AddrFrom4([4]byte(v))), true, nil
	case wire.AttrClusterList:
		if len(v)%4 != 0 {
			return b, false, attrError(code, wire.SubcodeAttrLength, "CLUSTER_LIST is not a whole number of clusters")
		}
		b = append(b, "[ "...)
		for i := 0; i < len(v); i += 4 {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendQuotedAddr(b, netip.AddrFrom4([4]byte(v[i:i+4])))
		}
		return append(b, " ]"...), true, nil
	case wire.AttrExtCommunities:
		return appendExtCommunitiesJSON(b, v, code, ctx.d)
	case 25:
		return appendExt6JSON(b, v, code)
	case wire.AttrLargeCommunities:
		if len(v)%12 != 0 {
			return b, false, attrError(code, wire.SubcodeOptionalAttr, "could not decode large community")
		}
		var idx [32]int
		b = append(b, "[ "...)
		for k, i := range sortedChunks(v, 12, idx[:], true) {
			if k > 0 {
				b = append(b, ", "...)
			}
			b = append(b, "[ "...)
			b = appendUint(b, uint64(be32(v[i:])))
			b = append(b, ", "...)
			b = appendUint(b, uint64(be32(v[i+4:])))
			b = append(b, " , "...)
			b = appendUint(b, uint64(be32(v[i+8:])))
			b = append(b, " ]"...)
		}
		return append(b, " ]"...), true, nil
	case wire.AttrAIGP:
		if !ctx.aigp {
			return b, false, nil // ExaBGP ignores AIGP unless negotiated
		}
		return appendAIGP(b, v, code)
	case wire.AttrPMSI:
		return appendPMSI(b, v, code)
	}
	if r, ok := attrRenderers[code]; ok && r.JSON != nil {
		out, err := r.JSON(b, v, ctx.d)
		return out, err == nil, err
	}
	return b, false, nil
}

func originName(o uint8) string {
	switch o {
	case wire.OriginIGP:
		return "igp"
	case wire.OriginEGP:
		return "egp"
	case wire.OriginIncomplete:
		return "incomplete"
	}
	return "invalid"
}

func be16(v []byte) uint16 { return uint16(v[0])<<8 | uint16(v[1]) }
func be32(v []byte) uint32 {
	return uint32(v[0])<<24 | uint32(v[1])<<16 | uint32(v[2])<<8 | uint32(v[3])
}

// aggregator decodes AGGREGATOR (RFC 4271 §5.1.7, 6 or 8 octets per
// RFC 6793).
func aggregator(v []byte, asn4 bool, code uint8) (uint32, netip.Addr, error) {
	want := 6
	if asn4 {
		want = 8
	}
	if len(v) != want {
		return 0, netip.Addr{}, attrError(code, wire.SubcodeAttrLength, "invalid AGGREGATOR length")
	}
	var asn uint32
	if asn4 {
		asn = be32(v)
	} else {
		asn = uint32(be16(v))
	}
	return asn, netip.AddrFrom4([4]byte(v[want-4:])), nil
}

// asSegmentName is ExaBGP's JSON "element" name of an AS_PATH segment
// type: confederation segments print as "as-sequence" in 5.0 (sic).
func asSegmentName(t uint8) string {
	if t == wire.ASSet {
		return "as-set"
	}
	return "as-sequence"
}

// walkASPath calls fn for every segment of an AS_PATH value; asns holds
// the raw ASNs (2 or 4 octets each).
func walkASPath(v []byte, asn4 bool, code uint8, fn func(t uint8, asns []byte)) error {
	w := 2
	if asn4 {
		w = 4
	}
	for len(v) > 0 {
		if len(v) < 2 {
			return attrError(code, wire.SubcodeMalformedASPath, "not enough data to decode AS_PATH or AS4_PATH")
		}
		t, n := v[0], int(v[1])
		if t < wire.ASSet || t > wire.ASConfedSet {
			return attrError(code, wire.SubcodeMalformedASPath, "invalid AS Path type")
		}
		if len(v) < 2+n*w {
			return attrError(code, wire.SubcodeMalformedASPath, "not enough data to decode AS_PATH or AS4_PATH")
		}
		fn(t, v[2:2+n*w])
		v = v[2+n*w:]
	}
	return nil
}

// appendASPathJSON appends ExaBGP 5.0's as-path object (json.dumps of a
// dict): {"0": {"element": "as-sequence", "value": [1, 2]}, "1": ...}.
func appendASPathJSON(b []byte, v []byte, asn4 bool, code uint8) ([]byte, bool, error) {
	w := 2
	if asn4 {
		w = 4
	}
	mark := len(b)
	b = append(b, '{')
	i := 0
	err := walkASPath(v, asn4, code, func(t uint8, asns []byte) {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '"')
		b = appendUint(b, uint64(i))
		b = append(b, `": {"element": "`...)
		b = append(b, asSegmentName(t)...)
		b = append(b, `", "value": [`...)
		for k := 0; k < len(asns); k += w {
			if k > 0 {
				b = append(b, ", "...)
			}
			b = appendUint(b, asnAt(asns[k:], w))
		}
		b = append(b, "]}"...)
		i++
	})
	if err != nil {
		return b[:mark], false, err
	}
	return append(b, '}'), true, nil
}

func asnAt(v []byte, w int) uint64 {
	if w == 4 {
		return uint64(be32(v))
	}
	return uint64(be16(v))
}

// appendAIGP appends the AIGP metric (RFC 7311) as ExaBGP does: the
// quoted lower-case 0x hex of the last 8 octets of the AIGP TLV.
func appendAIGP(b []byte, v []byte, code uint8) ([]byte, bool, error) {
	var metric []byte
	for off := 0; off < len(v); {
		if len(v)-off < 3 {
			return b, false, attrError(code, wire.SubcodeOptionalAttr, "AIGP TLV header truncated")
		}
		l := int(be16(v[off+1:]))
		if l < 3 || len(v)-off < l {
			return b, false, attrError(code, wire.SubcodeOptionalAttr, "AIGP TLV truncated")
		}
		if v[off] == 1 {
			if l != 11 {
				return b, false, attrError(code, wire.SubcodeOptionalAttr, "invalid AIGP TLV length")
			}
			if metric == nil {
				metric = v[off+3 : off+11]
			}
		}
		off += l
	}
	if metric == nil {
		return b, false, attrError(code, wire.SubcodeOptionalAttr, "AIGP attribute has no AIGP TLV")
	}
	b = append(b, '"')
	b = appendHexLower(b, metric)
	return append(b, '"'), true, nil
}

// appendPMSI appends the PMSI tunnel attribute (RFC 6514 §5) as ExaBGP's
// str(): "pmsi:<type name>:<flags>:<label>:<tunnel>".
func appendPMSI(b []byte, v []byte, code uint8) ([]byte, bool, error) {
	if len(v) < 5 {
		return b, false, attrError(code, wire.SubcodeOptionalAttr, "PMSI tunnel attribute too short")
	}
	b = append(b, '"')
	b = appendPMSIText(b, v)
	return append(b, '"'), true, nil
}

func appendPMSIText(b []byte, v []byte) []byte {
	flags, typ := v[0], v[1]
	raw := uint32(v[2])<<16 | uint32(v[3])<<8 | uint32(v[4])
	tunnel := v[5:]
	b = append(b, "pmsi:"...)
	switch typ {
	case 6:
		b = append(b, "ingressreplication"...)
	default:
		b = append(b, "unknown"...)
	}
	b = append(b, ':')
	b = appendUint(b, uint64(flags))
	b = append(b, ':')
	b = appendUint(b, uint64(raw>>4))
	if raw != 0 {
		b = append(b, '(')
		b = appendUint(b, uint64(raw))
		b = append(b, ')')
	}
	b = append(b, ':')
	if typ == 6 && len(tunnel) == 4 {
		return netip.AddrFrom4([4]byte(tunnel)).AppendTo(b)
	}
	if len(tunnel) > 0 {
		b = append(b, '0', 'x')
		b = appendRawHexUpper(b, tunnel)
	}
	return b
}
