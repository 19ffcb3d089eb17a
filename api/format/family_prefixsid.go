package format

import "exago/wire"

// This file renders the BGP Prefix-SID attribute (40) as ExaBGP 5.0's
// attribute/sr PrefixSid.json(): one member per TLV in wire order.
//
// Deviations: ExaBGP's SRv6 SID Information json() never fills its
// "%s"/"%d" placeholders (the line is not JSON); we print the SID and the
// behavior. Sub-TLVs ExaBGP does not know render as nothing there (leaving
// stray commas); we leave them out.

func init() {
	registerAttr(wire.AttrPrefixSID, AttrRenderer{Name: "bgp-prefix-sid", JSON: prefixSIDJSON})
}

// prefixSIDJSON appends `{ member, ... }`.
func prefixSIDJSON(b []byte, v []byte) ([]byte, error) {
	if err := wire.CheckPrefixSID(v); err != nil {
		return b, err
	}
	b = append(b, "{ "...)
	it := wire.NewSIDTLVs(v)
	for n := 0; it.Next(); n++ {
		if n > 0 {
			b = append(b, ", "...)
		}
		d := it.Value()
		switch it.Type() {
		case wire.PrefixSIDLabelIndex:
			b = append(b, `"sr-label-index": `...)
			b = appendUint(b, uint64(wire.PrefixSIDLabelIndexValue(d)))
		case wire.PrefixSIDSRGB:
			b = append(b, `"sr-srgbs": [`...)
			for i := 0; i < wire.PrefixSIDSRGBCount(d); i++ {
				if i > 0 {
					b = append(b, ", "...)
				}
				r := wire.PrefixSIDSRGBRange(d, i)
				b = append(b, '[')
				b = appendUint(b, uint64(r.Base))
				b = append(b, ", "...)
				b = appendUint(b, uint64(r.Range))
				b = append(b, ']')
			}
			b = append(b, ']')
		case wire.PrefixSIDSRv6L3, wire.PrefixSIDSRv6L2:
			b = srv6ServiceJSON(b, it.Type(), d)
		default:
			b = append(b, `"attribute-not-implemented-`...)
			b = appendUint(b, uint64(it.Type()))
			b = append(b, `": "`...)
			b = appendHexUpper(b, d)
			b = append(b, '"')
		}
	}
	return append(b, " }"...), nil
}

// srv6ServiceJSON appends `"l3-service": [ { "sid": ... }, ... ]`.
func srv6ServiceJSON(b []byte, t uint8, d []byte) []byte {
	if t == wire.PrefixSIDSRv6L3 {
		b = append(b, `"l3-service": [ `...)
	} else {
		b = append(b, `"l2-service": [ `...)
	}
	n := 0
	for it := wire.SRv6ServiceSubTLVs(d); it.Next(); {
		s, ok := wire.ParseSRv6SIDInfo(it.Value())
		if it.Type() != 1 || !ok {
			continue
		}
		if n > 0 {
			b = append(b, ", "...)
		}
		n++
		b = append(b, `{ "sid": `...)
		b = appendQuotedAddr(b, s.SID)
		b = append(b, `, "flags": 0, "endpoint_behavior": `...)
		b = appendUint(b, uint64(s.Behavior))
		if s.HasStructure {
			st := s.Structure
			b = append(b, `, "structure": {"locator-block-length": `...)
			b = appendUint(b, uint64(st.LocatorBlock))
			b = append(b, `, "locator-node-length": `...)
			b = appendUint(b, uint64(st.LocatorNode))
			b = append(b, `, "function-length": `...)
			b = appendUint(b, uint64(st.Function))
			b = append(b, `, "argument-length": `...)
			b = appendUint(b, uint64(st.Argument))
			b = append(b, `, "transposition-length": `...)
			b = appendUint(b, uint64(st.TranspositionLen))
			b = append(b, `, "transposition-offset": `...)
			b = appendUint(b, uint64(st.TranspositionOffset))
			b = append(b, '}')
		}
		b = append(b, " }"...)
	}
	return append(b, " ]"...)
}
