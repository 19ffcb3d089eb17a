package format

import (
	"net/netip"

	"exago/wire"
)

// IPv6 address specific extended communities (RFC 5701, attribute 25),
// as ExaBGP's ExtendedCommunitiesIPv6: 20 octets each, sorted.

const ext6Size = 20

// appendExt6JSON appends `[ { "value": N, "string": "s" }, ... ]`; N is
// the 160-bit integer of the community, as Python prints it.
func appendExt6JSON(b []byte, v []byte, code uint8) ([]byte, bool, error) {
	if len(v)%ext6Size != 0 {
		return b, false, attrError(code, wire.SubcodeMalformedAttrList, "could not decode ipv6 extended community")
	}
	var idx [32]int
	b = append(b, "[ "...)
	for k, i := range sortedChunks(v, ext6Size, idx[:], false) {
		if k > 0 {
			b = append(b, ", "...)
		}
		c := v[i : i+ext6Size]
		b = append(b, `{ "value": `...)
		b = appendBigDecimal(b, c)
		b = append(b, `, "string": "`...)
		b = appendExt6(b, c, true)
		b = append(b, `" }`...)
	}
	return append(b, " ]"...), true, nil
}

// appendExt6 appends ExaBGP's string of one IPv6 extended community: the
// redirect-to-nexthop-ietf kind has a name; others print "" in JSON and
// their hex in text (the redirect kind is registered without its own
// repr, so it prints hex in both).
func appendExt6(b []byte, c []byte, json bool) []byte {
	t, st := c[0]&0x0f, c[1]
	switch {
	case t == 0 && st == 0x0c:
		ip := netip.AddrFrom16([16]byte(c[2:18]))
		if c[19]&1 != 0 {
			b = append(b, "copy-to-nexthop-ietf "...)
			b = ip.AppendTo(b)
			return append(b, " (with copy)"...)
		}
		b = append(b, "redirect-to-nexthop-ietf "...)
		return ip.AppendTo(b)
	case t == 0 && st == 0x0b:
	default:
		if json {
			return b
		}
	}
	b = append(b, '0', 'x')
	return appendRawHexUpper(b, c)
}

// appendBigDecimal appends the unsigned big-endian integer v in decimal.
func appendBigDecimal(b []byte, v []byte) []byte {
	var n [32]byte
	w := copy(n[:], v)
	num := n[:w]
	var digits [64]byte
	d := len(digits)
	for {
		zero := true
		var rem uint32
		for i := range num {
			cur := rem<<8 | uint32(num[i])
			num[i] = byte(cur / 10)
			rem = cur % 10
			if num[i] != 0 {
				zero = false
			}
		}
		d--
		digits[d] = byte('0' + rem)
		if zero {
			break
		}
	}
	return append(b, digits[d:]...)
}
