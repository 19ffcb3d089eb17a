package config

import (
	"encoding/binary"
	"net/netip"
	"strconv"
	"strings"

	"exago/wire"
)

// parsePrefixSID parses `bgp-prefix-sid [ INDEX ]` or
// `[ INDEX, [ ( base,range ), ... ] ]` into the BGP Prefix-SID attribute
// (RFC 8669 §3: Label-Index TLV 1, Originator SRGB TLV 3).
func parsePrefixSID(w *Words) (wire.RawAttr, error) {
	start := w.Pos()
	fail := func(p Pos) (wire.RawAttr, error) {
		return wire.RawAttr{}, errAt(p, "could not parse bgp-prefix-sid (expected INDEX or [ INDEX, [ ( base,range ) ... ] ])")
	}
	var index string
	var srgb [][2]uint64
	t, ok := w.Next()
	if !ok {
		return fail(start)
	}
	if t.Text != "[" {
		index = t.Text
	} else {
		it, ok := w.Next()
		if !ok {
			return fail(it.Pos)
		}
		index = it.Text
		depth := 1
		for depth > 0 {
			v, ok := w.Next()
			if !ok {
				return fail(v.Pos)
			}
			switch v.Text {
			case "[":
				depth++
			case "]":
				depth--
			case ",":
			case "(":
				b, _ := w.Next()
				if c, _ := w.Next(); c.Text != "," {
					return fail(c.Pos)
				}
				r, _ := w.Next()
				if c, _ := w.Next(); c.Text != ")" {
					return fail(c.Pos)
				}
				bv, e1 := strconv.ParseUint(b.Text, 10, 24)
				rv, e2 := strconv.ParseUint(r.Text, 10, 24)
				if e1 != nil || e2 != nil {
					return wire.RawAttr{}, errAt(b.Pos, "could not parse SRGB tuple (expected ( base,range ) below 2^24)")
				}
				srgb = append(srgb, [2]uint64{bv, rv})
			default:
				return fail(v.Pos)
			}
		}
	}
	idx, err := strconv.ParseUint(index, 10, 32)
	if err != nil {
		return fail(t.Pos)
	}
	b := []byte{1, 0, 7, 0, 0, 0}
	b = binary.BigEndian.AppendUint32(b, uint32(idx))
	if len(srgb) > 0 {
		b = append(b, 3)
		b = binary.BigEndian.AppendUint16(b, uint16(2+6*len(srgb)))
		b = append(b, 0, 0)
		for _, s := range srgb {
			b = append(b, byte(s[0]>>16), byte(s[0]>>8), byte(s[0]), byte(s[1]>>16), byte(s[1]>>8), byte(s[1]))
		}
	}
	return wire.RawAttr{Flags: wire.FlagOptional | wire.FlagTransitive, Code: wire.AttrPrefixSID, Value: b}, nil
}

// parsePrefixSIDSRv6 parses `( l3-service|l2-service SID [BEHAVIOR
// [ LBL,LNL,FL,AL,TL,TO ]] )` into a Prefix-SID attribute carrying an SRv6
// L3 (TLV 5) or L2 (TLV 6) Service TLV (RFC 9252 §2, §3.1, §3.2.1).
func parsePrefixSIDSRv6(w *Words) (wire.RawAttr, error) {
	fail := func(p Pos, what string) (wire.RawAttr, error) {
		return wire.RawAttr{}, errAt(p, "invalid bgp-prefix-sid-srv6 (expected "+what+")")
	}
	if t, _ := w.Next(); t.Text != "(" {
		return fail(t.Pos, "'('")
	}
	svc, _ := w.Next()
	var tlv byte
	switch svc.Text {
	case "l3-service":
		tlv = 5
	case "l2-service":
		tlv = 6
	default:
		return fail(svc.Pos, "l3-service or l2-service")
	}
	st, _ := w.Next()
	sid, err := netip.ParseAddr(st.Text)
	if err != nil || !sid.Is6() {
		return fail(st.Pos, "an IPv6 SID")
	}
	behavior := uint64(0xFFFF)
	var structure []byte
	t, _ := w.Next()
	if t.Text != ")" {
		behavior, err = strconv.ParseUint(t.Text, 0, 16)
		if err != nil {
			return fail(t.Pos, "an endpoint behavior number")
		}
		t, _ = w.Next()
		if t.Text == "[" {
			for i := 0; i < 6; i++ {
				if i > 0 {
					if c, _ := w.Next(); c.Text != "," {
						return fail(c.Pos, "','")
					}
				}
				v, _ := w.Next()
				n, err := strconv.ParseUint(v.Text, 0, 8)
				if err != nil {
					return fail(v.Pos, "a structure length")
				}
				structure = append(structure, byte(n))
			}
			if c, _ := w.Next(); c.Text != "]" {
				return fail(c.Pos, "']'")
			}
			t, _ = w.Next()
		}
	}
	if t.Text != ")" {
		return fail(t.Pos, "')'")
	}
	var subsub []byte
	if structure != nil {
		subsub = append([]byte{1, 0, 6}, structure...)
	}
	info := []byte{0}
	info = append(info, sid.AsSlice()...)
	info = append(info, 0)
	info = binary.BigEndian.AppendUint16(info, uint16(behavior))
	info = append(info, 0)
	info = append(info, subsub...)
	sub := append([]byte{1}, byte(len(info)>>8), byte(len(info)))
	sub = append(sub, info...)
	body := append([]byte{0}, sub...)
	out := append([]byte{tlv}, byte(len(body)>>8), byte(len(body)))
	out = append(out, body...)
	return wire.RawAttr{Flags: wire.FlagOptional | wire.FlagTransitive, Code: wire.AttrPrefixSID, Value: out}, nil
}

var _ = strings.TrimSpace
