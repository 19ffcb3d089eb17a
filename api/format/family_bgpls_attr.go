package format

import (
	"math"
	"math/big"
	"net/netip"
	"strconv"

	"exago/wire"
)

// This file renders the BGP-LS attribute (29) as ExaBGP 5.0's
// attribute/bgpls LinkState.json(): one member per TLV in wire order,
// except that TLVs ExaBGP merges (unknown codes, local TE router-IDs, SR
// LAN adjacencies, SRv6 End.X and LAN End.X) appear once, at their first
// position, with the values of all of them.

func init() {
	registerAttr(wire.AttrBGPLS, AttrRenderer{Name: "bgp-ls", JSON: lsAttrJSON, Text: lsAttrText})
}

// lsAttrJSON appends `{ member, ... }`.
func lsAttrJSON(b []byte, v []byte, d Dialect) ([]byte, error) {
	if err := wire.CheckLSAttr(v); err != nil {
		return b, err
	}
	b = append(b, "{ "...)
	n := 0
	it := wire.NewLSTLVs(v)
	for i := 0; it.Next(); i++ {
		t := it.Type()
		if !d.lsAttrMerged() {
			if n > 0 {
				b = append(b, ", "...)
			}
			n++
			b = lsTLVJSON40(b, t, it.Value(), d)
			continue
		}
		key, merged := lsMergeKey(t)
		if merged && lsMergedBefore(v, key, i) {
			continue
		}
		if n > 0 {
			b = append(b, ", "...)
		}
		n++
		if merged {
			b = lsMergedJSON(b, v, t, key)
			continue
		}
		b = lsTLVJSON(b, t, it.Value())
	}
	return append(b, " }"...), nil
}

// lsMergeKey says whether TLVs of code t merge, and under which key (the
// JSON name, or the code for those ExaBGP gives none).
func lsMergeKey(t uint16) (uint16, bool) {
	switch t {
	case wire.LSAttrLocalTERouterID4, wire.LSAttrLocalTERouterID6:
		return wire.LSAttrLocalTERouterID4, true
	case wire.LSAttrSRAdjacencyLAN, wire.LSAttrSRv6EndX, wire.LSAttrSRv6LANEndXISIS, wire.LSAttrSRv6LANEndXOSPF:
		return t, true
	}
	if lsKnownAttr(t) {
		return t, false
	}
	return t, true
}

func lsMergedBefore(v []byte, key uint16, i int) bool {
	it := wire.NewLSTLVs(v)
	for k := 0; k < i && it.Next(); k++ {
		if kk, m := lsMergeKey(it.Type()); m && kk == key {
			return true
		}
	}
	return false
}

// lsMergedJSON appends the one member of every TLV with merge key key.
func lsMergedJSON(b []byte, v []byte, t, key uint16) []byte {
	open, sep, close := "[", ", ", "]"
	switch key {
	case wire.LSAttrLocalTERouterID4:
		b = append(b, `"local-te-router-ids": `...)
	case wire.LSAttrSRAdjacencyLAN:
		b = append(b, `"sr-adj-lan-sids": `...)
	case wire.LSAttrSRv6EndX:
		b = append(b, `"srv6-endx": `...)
		open, close = "[ ", " ]"
	case wire.LSAttrSRv6LANEndXISIS:
		b = append(b, `"srv6-lan-endx-isis": `...)
		open, close = "[ ", " ]"
	case wire.LSAttrSRv6LANEndXOSPF:
		b = append(b, `"srv6-lan-endx-ospf": `...)
		open, close = "[ ", " ]"
	default:
		b = append(b, `"generic-lsid-`...)
		b = appendUint(b, uint64(t))
		b = append(b, `": `...)
	}
	b = append(b, open...)
	n := 0
	for it := wire.NewLSTLVs(v); it.Next(); {
		if k, m := lsMergeKey(it.Type()); !m || k != key {
			continue
		}
		if n > 0 {
			b = append(b, sep...)
		}
		n++
		b = lsMergedItem(b, key, it.Value())
	}
	return append(b, close...)
}

// lsMergedItem appends one value of a merged member.
func lsMergedItem(b []byte, key uint16, v []byte) []byte {
	switch key {
	case wire.LSAttrLocalTERouterID4:
		a, _ := netip.AddrFromSlice(v)
		return appendQuotedAddr(b, a)
	case wire.LSAttrSRAdjacencyLAN:
		return lsSRAdjLAN(b, v)
	case wire.LSAttrSRv6EndX:
		return lsSRv6EndX(b, v, 0)
	case wire.LSAttrSRv6LANEndXISIS:
		return lsSRv6EndX(b, v, 6)
	case wire.LSAttrSRv6LANEndXOSPF:
		return lsSRv6EndX(b, v, 4)
	}
	b = append(b, '"')
	b = appendHexUpper(b, v)
	return append(b, '"')
}

// lsKnownAttr reports whether ExaBGP registers a class for TLV code t.
func lsKnownAttr(t uint16) bool {
	switch {
	case t >= 1024 && t <= 1031, t == 1034, t == 1035, t == 1038, t >= 1088 && t <= 1100,
		t >= 1106 && t <= 1108, t >= 1152 && t <= 1158, t == 1162, t == 1170, t == 1171,
		t == 1250, t == 1252:
		return true
	}
	return false
}

var (
	lsNodeFlags   = []string{"O", "T", "E", "B", "R", "V", "RSV", "RSV"}
	lsSRCapFlags  = []string{"I", "V", "RSV", "RSV", "RSV", "RSV", "RSV", "RSV"}
	lsProtFlags   = []string{"ExtraTrafic", "Unprotected", "Shared", "Dedicated 1:1", "Dedicated 1+1", "Enhanced", "RSV", "RSV"}
	lsMPLSFlags   = []string{"LDP", "RSVP-TE", "RSV", "RSV", "RSV", "RSV", "RSV", "RSV"}
	lsAdjFlags    = []string{"F", "B", "V", "L", "S", "P", "RSV", "RSV"}
	lsEndXFlags   = []string{"B", "S", "P", "RSV", "RSV", "RSV", "RSV", "RSV"}
	lsIGPFlags    = []string{"D", "N", "L", "P", "RSV", "RSV", "RSV", "RSV"}
	lsPrefixFlags = []string{"R", "N", "P", "E", "V", "L", "RSV", "RSV"}
	lsLocFlags    = []string{"D", "RSV", "RSV", "RSV", "RSV", "RSV", "RSV", "RSV"}
	lsAttrFlags   = []string{"X", "R", "N", "RSV", "RSV", "RSV", "RSV", "RSV"}
)

// lsTLVJSON appends the member of one TLV ExaBGP does not merge.
// lsTLVJSON40 appends one TLV as 4.2 did, each TLV on its own: the TLVs
// 4.2 has no class for as "attribute-not-implemented", a TE router-ID as
// a one-element "local-te-router-ids", the IS-IS area in hex.
func lsTLVJSON40(b []byte, t uint16, v []byte, d Dialect) []byte {
	switch {
	case !d.lsAttrKnown(t):
		b = append(b, `"attribute-not-implemented": "`...)
		b = appendUint(b, uint64(t))
		return append(b, '"')
	case t == wire.LSAttrLocalTERouterID4 || t == wire.LSAttrLocalTERouterID6:
		b = append(b, `"local-te-router-ids": [`...)
		b = lsMergedItem(b, wire.LSAttrLocalTERouterID4, v)
		return append(b, ']')
	case t == wire.LSAttrAdminGroup && len(v) == 4:
		b = appendKey(b, "admin-group-mask")
		b = append(b, '[')
		b = appendUint(b, uint64(be32(v)))
		return append(b, ']')
	case t == wire.LSAttrSRAdjacency && len(v) >= 4:
		return lsSRAdj40(b, v)
	case t == wire.LSAttrISISArea:
		b = append(appendKey(b, "area-id"), '"')
		for _, c := range v {
			b = append(b, hexLower[c>>4], hexLower[c&15])
		}
		return append(b, '"')
	}
	return lsTLVJSON(b, t, v)
}

// lsSRAdj40 appends 4.2's sradj.py members: "sr-adj-flags", "sids" as a
// list of one-element lists, "undecoded-sids", "sr-adj-weight".
func lsSRAdj40(b []byte, v []byte) []byte {
	f := v[0]
	b = append(b, `"sr-adj-flags": `...)
	b = lsFlags(b, lsAdjFlags, f)
	b = append(b, `, "sids": [`...)
	vl, l := lsFlagSet(lsAdjFlags, f, "V"), lsFlagSet(lsAdjFlags, f, "L")
	size := 0
	switch {
	case vl && l:
		size = 3
	case !vl && !l:
		size = 4
	}
	rest := v[4:]
	for n := 0; len(rest) > 0 && size > 0 && len(rest) >= size; n++ {
		if n > 0 {
			b = append(b, ", "...)
		}
		var x uint64
		for _, c := range rest[:size] {
			x = x<<8 | uint64(c)
		}
		b = append(b, '[')
		b = appendUint(b, x)
		b = append(b, ']')
		rest = rest[size:]
	}
	b = append(b, `], "undecoded-sids": `...)
	if len(rest) == 0 {
		rest = nil
	}
	b = lsUndecoded(b, rest)
	b = append(b, `, "sr-adj-weight": `...)
	return appendUint(b, uint64(v[1]))
}

func lsTLVJSON(b []byte, t uint16, v []byte) []byte {
	switch t {
	case wire.LSAttrNodeFlags:
		return lsFlagsMember(b, "node-flags", lsNodeFlags, v)
	case wire.LSAttrNodeOpaque:
		return appendStrBytes(appendKey(b, "opaque"), v)
	case wire.LSAttrNodeName:
		return appendStrBytes(appendKey(b, "node-name"), v)
	case wire.LSAttrISISArea:
		b = append(appendKey(b, "area-id"), '"')
		b = new(big.Int).SetBytes(v).Append(b, 10)
		return append(b, '"')
	case wire.LSAttrRemoteTERouterID4, wire.LSAttrRemoteTERouterID6:
		return lsAddrMember(b, "remote-te-router-id", v)
	case wire.LSAttrSRCapabilities:
		return lsSRCap(b, v)
	case wire.LSAttrSRAlgorithm:
		b = appendKey(b, "sr-algorithms")
		if len(v) == 0 {
			return append(b, "[0]"...)
		}
		return lsUintList(b, v, 1)
	case wire.LSAttrSRv6Capabilities:
		o := 0
		if len(v) >= 2 && v[1]&0x40 != 0 {
			o = 64
		}
		b = append(b, `"srv6-capabilities": {"flags": {"O": `...)
		b = appendUint(b, uint64(o))
		return append(b, "}}"...)
	}
	return lsTLVJSONLink(b, t, v)
}

// lsTLVJSONLink appends the link attribute TLVs' members.
func lsTLVJSONLink(b []byte, t uint16, v []byte) []byte {
	switch t {
	case wire.LSAttrAdminGroup:
		return appendUint(appendKey(b, "admin-group-mask"), uint64(be32(v)))
	case wire.LSAttrMaxBandwidth:
		return pyFloat(appendKey(b, "maximum-link-bandwidth"), v)
	case wire.LSAttrMaxRsvBandwidth:
		return pyFloat(appendKey(b, "maximum-reservable-link-bandwidth"), v)
	case wire.LSAttrUnrsvBandwidth:
		b = append(appendKey(b, "unreserved-bandwidth"), '[')
		for i := 0; i < 32; i += 4 {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = pyFloat(b, v[i:i+4])
		}
		return append(b, ']')
	case wire.LSAttrTEMetric:
		return appendUint(appendKey(b, "te-metric"), uint64(be32(v)))
	case wire.LSAttrLinkProtection:
		return lsFlagsMember(b, "link-protection-flags", lsProtFlags, v)
	case wire.LSAttrMPLSMask:
		return lsFlagsMember(b, "mpls-mask", lsMPLSFlags, v)
	case wire.LSAttrIGPMetric:
		var m uint64
		for _, c := range v {
			m = m<<8 | uint64(c)
		}
		return appendUint(appendKey(b, "igp-metric"), m)
	case wire.LSAttrSRLG:
		return lsUintList(appendKey(b, "shared-risk-link-groups"), v, 4)
	case wire.LSAttrLinkOpaque:
		return appendStrBytes(appendKey(b, "opaque-link"), v)
	case wire.LSAttrLinkName:
		return appendStrBytes(appendKey(b, "link-name"), v)
	case wire.LSAttrSRAdjacency:
		return lsSRAdj(b, v)
	}
	return lsTLVJSONPrefix(b, t, v)
}

// lsTLVJSONPrefix appends the prefix and SRv6 attribute TLVs' members.
func lsTLVJSONPrefix(b []byte, t uint16, v []byte) []byte {
	switch t {
	case wire.LSAttrIGPFlags:
		return lsFlagsMember(b, "igp-flags", lsIGPFlags, v)
	case wire.LSAttrIGPRouteTags:
		return lsUintList(appendKey(b, "igp-route-tags"), v, 4)
	case wire.LSAttrIGPExtRouteTags:
		return lsUintList(appendKey(b, "igp-extended-route-tags"), v, 8)
	case wire.LSAttrPrefixMetric:
		return appendUint(appendKey(b, "prefix-metric"), uint64(be32(v)))
	case wire.LSAttrOSPFFwdAddr:
		return lsAddrMember(b, "ospf-forwarding-address", v)
	case wire.LSAttrPrefixOpaque:
		return appendStrBytes(appendKey(b, "opaque-prefix"), v)
	case wire.LSAttrSRPrefix:
		return lsSRPrefix(b, v)
	case wire.LSAttrSRv6Locator:
		b = append(b, `"srv6-locator": {"flags": `...)
		b = lsFlags(b, lsLocFlags, v[0])
		b = append(b, `, "algorithm": `...)
		b = appendUint(b, uint64(v[1]))
		b = append(b, `, "metric": `...)
		b = appendUint(b, uint64(be32(v[4:])))
		return append(b, '}')
	case wire.LSAttrSRPrefixAttrFlags:
		return lsFlagsMember(b, "sr-prefix-attribute-flags", lsAttrFlags, v)
	case wire.LSAttrSRSourceRouterID:
		return lsAddrMember(b, "sr-source-router-id", v)
	case wire.LSAttrSRv6EndpointBehavior:
		b = append(b, `"srv6-endpoint-behavior": {"endpoint-behavior": `...)
		b = appendUint(b, uint64(be16(v)))
		b = append(b, `, "flags": [], "algorithm": `...)
		b = appendUint(b, uint64(v[3]))
		return append(b, '}')
	case wire.LSAttrSRv6SIDStructure:
		return lsSIDStructure(b, v)
	}
	return b
}

// lsFlagsMember appends `"key": {flags of the first byte}`.
func lsFlagsMember(b []byte, key string, names []string, v []byte) []byte {
	return lsFlags(appendKey(b, key), names, v[0])
}

// lsFlags appends FlagLS.unpack_flags as json.dumps prints it: one key per
// distinct name in order of first appearance, bit values, RSV always 0.
func lsFlags(b []byte, names []string, f byte) []byte {
	b = append(b, '{')
	for i, name := range names {
		dup := false
		for _, prev := range names[:i] {
			dup = dup || prev == name
		}
		if dup {
			continue
		}
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendStr(b, name)
		b = append(b, ": "...)
		if name != "RSV" && f&(0x80>>i) != 0 {
			b = append(b, '1')
		} else {
			b = append(b, '0')
		}
	}
	return append(b, '}')
}

// lsFlagSet reports whether flag name is set in f.
func lsFlagSet(names []string, f byte, name string) bool {
	for i, n := range names {
		if n == name {
			return f&(0x80>>i) != 0
		}
	}
	return false
}

// lsAddrMember appends `"key": "address"`.
func lsAddrMember(b []byte, key string, v []byte) []byte {
	a, _ := netip.AddrFromSlice(v)
	return appendQuotedAddr(appendKey(b, key), a)
}

// lsUintList appends a JSON list of big-endian integers of size w.
func lsUintList(b []byte, v []byte, w int) []byte {
	b = append(b, '[')
	for i := 0; i+w <= len(v); i += w {
		if i > 0 {
			b = append(b, ", "...)
		}
		var x uint64
		for _, c := range v[i : i+w] {
			x = x<<8 | uint64(c)
		}
		b = appendUint(b, x)
	}
	return append(b, ']')
}

// pyFloat appends a big-endian IEEE float32 as Python's repr of the
// double it converts to ("125000000.0", "1e+16", "Infinity").
func pyFloat(b []byte, v []byte) []byte {
	f := float64(math.Float32frombits(be32(v)))
	switch {
	case math.IsInf(f, 1):
		return append(b, "Infinity"...)
	case math.IsInf(f, -1):
		return append(b, "-Infinity"...)
	case math.IsNaN(f):
		return append(b, "NaN"...)
	}
	if a := math.Abs(f); a != 0 && (a >= 1e16 || a < 1e-4) {
		return strconv.AppendFloat(b, f, 'e', -1, 64)
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, 'f', -1, 64)
	for _, c := range b[start:] {
		if c == '.' {
			return b
		}
	}
	return append(b, ".0"...)
}

// lsSRCap appends sr-capability-flags and sids (node/srcap.py).
func lsSRCap(b []byte, v []byte) []byte {
	b = lsFlagsMember(b, "sr-capability-flags", lsSRCapFlags, v)
	b = append(b, `, "sids": [`...)
	n := 0
	for v = v[min(2, len(v)):]; len(v) >= 7; {
		l := int(be16(v[5:]))
		end := min(len(v), 7+l)
		if l == 3 || l == 4 {
			if n > 0 {
				b = append(b, ", "...)
			}
			n++
			b = append(b, '[')
			b = appendUint(b, uint64(v[0])<<16|uint64(v[1])<<8|uint64(v[2]))
			b = append(b, ", "...)
			var x uint64
			for _, c := range v[7:end] {
				x = x<<8 | uint64(c)
			}
			if l == 3 {
				x &= 0xFFFFF
			}
			b = appendUint(b, x)
			b = append(b, ']')
		}
		v = v[end:]
	}
	return append(b, ']')
}

// lsSIDs appends the SIDs of an SR adjacency or prefix TLV: 3-byte labels
// when V and L are set, 4-byte indexes when neither is, else the rest as
// one undecoded hex string. It returns the undecoded part (nil if none).
func lsSIDs(b []byte, v []byte, labels, indexes bool, exact bool) ([]byte, []byte) {
	b = append(b, '[')
	n := 0
	for len(v) > 0 {
		size := 0
		switch {
		case labels:
			size = 3
		case indexes:
			size = 4
		default:
			return append(b, ']'), v
		}
		if len(v) < size || (exact && !labels && len(v) != size) {
			break
		}
		if n > 0 {
			b = append(b, ", "...)
		}
		n++
		var x uint64
		for _, c := range v[:size] {
			x = x<<8 | uint64(c)
		}
		b = appendUint(b, x)
		v = v[size:]
	}
	return append(b, ']'), nil
}

// lsUndecoded appends the undecoded-SIDs list.
func lsUndecoded(b []byte, rest []byte) []byte {
	if rest == nil {
		return append(b, "[]"...)
	}
	b = append(b, `["`...)
	b = appendHexUpper(b, rest)
	return append(b, `"]`...)
}

// lsSRAdj appends "sr-adj" (link/sradj.py).
func lsSRAdj(b []byte, v []byte) []byte {
	f := v[0]
	b = append(b, `"sr-adj": {"flags": `...)
	b = lsFlags(b, lsAdjFlags, f)
	b = append(b, `, "sids": `...)
	vl, l := lsFlagSet(lsAdjFlags, f, "V"), lsFlagSet(lsAdjFlags, f, "L")
	var rest []byte
	b, rest = lsSIDs(b, v[min(4, len(v)):], vl && l, !vl && !l, false)
	b = append(b, `, "weight": `...)
	b = appendUint(b, uint64(v[1]))
	b = append(b, `, "undecoded-sids": `...)
	b = lsUndecoded(b, rest)
	return append(b, '}')
}

// lsSRAdjLAN appends one "sr-adj-lan-sids" element (link/sradjlan.py).
func lsSRAdjLAN(b []byte, v []byte) []byte {
	f := v[0]
	b = append(b, `{"flags": `...)
	b = lsFlags(b, lsAdjFlags, f)
	b = append(b, `, "weight": `...)
	b = appendUint(b, uint64(v[1]))
	b = append(b, `, "system-id": "`...)
	for _, c := range v[4:10] {
		b = append(b, hexLower[c>>4], hexLower[c&15])
	}
	b = append(b, `", "sids": `...)
	vl, l := lsFlagSet(lsAdjFlags, f, "V"), lsFlagSet(lsAdjFlags, f, "L")
	var rest []byte
	b, rest = lsSIDs(b, v[10:], vl && l, !vl && !l, false)
	b = append(b, `, "undecoded": `...)
	b = lsUndecoded(b, rest)
	return append(b, '}')
}

// lsSRPrefix appends sr-prefix-flags, sids, undecoded-sids, sr-algorithm
// (prefix/srprefix.py).
func lsSRPrefix(b []byte, v []byte) []byte {
	f := v[0]
	b = append(b, `"sr-prefix-flags": `...)
	b = lsFlags(b, lsPrefixFlags, f)
	b = append(b, `, "sids": `...)
	vl, l := lsFlagSet(lsPrefixFlags, f, "V"), lsFlagSet(lsPrefixFlags, f, "L")
	var rest []byte
	b, rest = lsSIDs(b, v[min(4, len(v)):], vl && l, !vl && !l, true)
	b = append(b, `, "undecoded-sids": `...)
	b = lsUndecoded(b, rest)
	b = append(b, `, "sr-algorithm": `...)
	return appendUint(b, uint64(v[1]))
}

// lsSIDStructure appends "srv6-sid-structure" (link/srv6sidstructure.py).
func lsSIDStructure(b []byte, v []byte) []byte {
	b = append(b, `"srv6-sid-structure": {"loc_block_len": `...)
	b = appendUint(b, uint64(v[0]))
	b = append(b, `, "loc_node_len": `...)
	b = appendUint(b, uint64(v[1]))
	b = append(b, `, "func_len": `...)
	b = appendUint(b, uint64(v[2]))
	b = append(b, `, "arg_len": `...)
	b = appendUint(b, uint64(v[3]))
	return append(b, '}')
}

// lsSRv6EndX appends one SRv6 End.X (nid 0), IS-IS LAN End.X (nid 6) or
// OSPF LAN End.X (nid 4) element (link/srv6endx.py, srv6lanendx.py).
func lsSRv6EndX(b []byte, v []byte, nid int) []byte {
	b = append(b, `{"flags": `...)
	b = lsFlags(b, lsEndXFlags, v[2])
	if nid == 6 {
		b = append(b, `, "neighbor-id": "`...)
		for _, c := range v[6:12] {
			b = append(b, hexLower[c>>4], hexLower[c&15])
		}
		b = append(b, '"')
	} else if nid == 4 {
		b = append(b, `, "neighbor-id": `...)
		b = appendQuotedAddr(b, netip.AddrFrom4([4]byte(v[6:10])))
	}
	b = append(b, `, "behavior": `...)
	b = appendUint(b, uint64(be16(v)))
	b = append(b, `, "algorithm": `...)
	b = appendUint(b, uint64(v[3]))
	b = append(b, `, "weight": `...)
	b = appendUint(b, uint64(v[4]))
	off := 6 + nid
	if nid == 4 {
		off = 6 // sic: srv6lanendx.py reads the OSPF SID from byte 6, over the neighbor ID
	}
	b = append(b, `, "sid": `...)
	b = appendQuotedAddr(b, netip.AddrFrom16([16]byte(v[off:off+16])))
	for sub := v[off+16:]; len(sub) >= 4; {
		code, l := be16(sub), int(be16(sub[2:]))
		val := sub[4:min(len(sub), 4+l)]
		b = append(b, ", "...)
		switch {
		case code == wire.LSAttrSRv6SIDStructure && len(val) >= 4:
			b = lsSIDStructure(b, val)
		case nid == 0:
			b = append(b, `"subtlv-not-implemented-`...)
			b = appendUint(b, uint64(code))
			b = append(b, `": "`...)
			b = appendHexUpper(b, val)
			b = append(b, '"')
		default:
			b = append(b, '"')
			b = appendUint(b, uint64(code))
			b = append(b, `-undecoded": "`...)
			b = appendHexUpper(b, val)
			b = append(b, '"')
		}
		sub = sub[min(len(sub), 4+l):]
	}
	return append(b, '}')
}
