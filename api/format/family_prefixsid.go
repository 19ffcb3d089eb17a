package format

import (
	"strconv"

	"exago/wire"
)

// This file renders the BGP Prefix-SID attribute (40) as ExaBGP 5.0's
// attribute/sr PrefixSid.json(): one member per TLV in wire order.
//
// Deviations: ExaBGP's SRv6 SID Information json() never fills its
// "%s"/"%d" placeholders (the line is not JSON); we print the SID and the
// behavior. Sub-TLVs ExaBGP does not know render as nothing there (leaving
// stray commas); we leave them out.

func init() {
	registerAttr(wire.AttrPrefixSID, AttrRenderer{Name: "bgp-prefix-sid", JSON: prefixSIDJSON, Text: prefixSIDText})
}

// prefixSIDJSON appends `{ member, ... }`.
func prefixSIDJSON(b []byte, v []byte, _ Dialect) ([]byte, error) {
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

// prefixSIDText appends PrefixSid.__str__(): "[ 777, [ ( 800000,4096 ) ] ]"
// when there is a Label-Index TLV, else "[ l3-service [ sid-information
// [ sid:X flags:0 endpoint_behavior:0x48  [ sid-structure [64,24,16,0,0,0] ] ] ]"
// (sic: ExaBGP never closes the sid-information bracket).
func prefixSIDText(b []byte, v []byte) ([]byte, error) {
	if err := wire.CheckPrefixSID(v); err != nil {
		return b, err
	}
	var index, srgb []byte
	for it := wire.NewSIDTLVs(v); it.Next(); {
		switch {
		case it.Type() == wire.PrefixSIDLabelIndex && index == nil:
			index = it.Value()
		case it.Type() == wire.PrefixSIDSRGB && srgb == nil:
			srgb = it.Value()
		}
	}
	if index != nil {
		b = append(b, "[ "...)
		b = appendUint(b, uint64(wire.PrefixSIDLabelIndexValue(index)))
		if srgb != nil {
			b = append(b, ", [ "...)
			for i := 0; i < wire.PrefixSIDSRGBCount(srgb); i++ {
				if i > 0 {
					b = append(b, ", "...)
				}
				r := wire.PrefixSIDSRGBRange(srgb, i)
				b = append(b, "( "...)
				b = appendUint(b, uint64(r.Base))
				b = append(b, ',')
				b = appendUint(b, uint64(r.Range))
				b = append(b, " )"...)
			}
			b = append(b, " ]"...)
		}
		return append(b, " ]"...), nil
	}
	b = append(b, "[ "...)
	it := wire.NewSIDTLVs(v)
	for n := 0; it.Next(); n++ {
		if n > 0 {
			b = append(b, ", "...)
		}
		b = prefixSIDTLVText(b, it.Type(), it.Value())
	}
	return append(b, " ]"...), nil
}

// prefixSIDTLVText appends the str() of one TLV without a Label-Index.
func prefixSIDTLVText(b []byte, t uint8, d []byte) []byte {
	switch t {
	case wire.PrefixSIDSRv6L3, wire.PrefixSIDSRv6L2:
		if t == wire.PrefixSIDSRv6L3 {
			b = append(b, "l3-service [ "...)
		} else {
			b = append(b, "l2-service [ "...)
		}
		sub := wire.SRv6ServiceSubTLVs(d)
		for n := 0; sub.Next(); n++ {
			if n > 0 {
				b = append(b, ", "...)
			}
			s, ok := wire.ParseSRv6SIDInfo(sub.Value())
			if sub.Type() != 1 || !ok {
				b = append(b, "SRv6 Service Sub-TLV type "...)
				b = appendUint(b, uint64(sub.Type()))
				b = append(b, " not implemented"...)
				continue
			}
			b = append(b, "sid-information [ sid:"...)
			b = s.SID.AppendTo(b)
			b = append(b, " flags:0 endpoint_behavior:0x"...)
			b = strconv.AppendUint(b, uint64(s.Behavior), 16)
			b = append(b, ' ')
			if s.HasStructure {
				st := s.Structure
				b = append(b, " [ sid-structure ["...)
				for i, x := range []uint8{st.LocatorBlock, st.LocatorNode, st.Function, st.Argument, st.TranspositionLen, st.TranspositionOffset} {
					if i > 0 {
						b = append(b, ',')
					}
					b = appendUint(b, uint64(x))
				}
				b = append(b, "] ]"...)
			}
		}
		return append(b, " ]"...)
	case wire.PrefixSIDSRGB:
		b = append(b, "[ "...)
		for i := 0; i < wire.PrefixSIDSRGBCount(d); i++ {
			if i > 0 {
				b = append(b, ", "...)
			}
			r := wire.PrefixSIDSRGBRange(d, i)
			b = append(b, "( "...)
			b = appendUint(b, uint64(r.Base))
			b = append(b, ',')
			b = appendUint(b, uint64(r.Range))
			b = append(b, " )"...)
		}
		return append(b, " ]"...)
	}
	b = append(b, "Attribute with code [ "...)
	b = appendUint(b, uint64(t))
	return append(b, " ] not implemented"...)
}
