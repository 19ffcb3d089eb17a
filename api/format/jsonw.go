package format

import (
	"net/netip"
	"strconv"
	"unicode/utf8"
)

// This file holds the low-level append helpers every renderer uses. They
// never allocate when the destination has room.

const hexUpper = "0123456789ABCDEF"
const hexLower = "0123456789abcdef"

// appendUint appends the decimal form of v.
func appendUint(b []byte, v uint64) []byte { return strconv.AppendUint(b, v, 10) }

// appendInt appends the decimal form of v.
func appendInt(b []byte, v int64) []byte { return strconv.AppendInt(b, v, 10) }

// appendBool appends true or false.
func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "true"...)
	}
	return append(b, "false"...)
}

// appendHexUpper appends "0x" and the upper-case hex of v, as ExaBGP's
// util.hexstring does ("0x" alone for an empty slice is avoided by callers
// that need "").
func appendHexUpper(b []byte, v []byte) []byte {
	b = append(b, '0', 'x')
	for _, c := range v {
		b = append(b, hexUpper[c>>4], hexUpper[c&15])
	}
	return b
}

// appendHexLower appends "0x" and the lower-case hex of v.
func appendHexLower(b []byte, v []byte) []byte {
	b = append(b, '0', 'x')
	for _, c := range v {
		b = append(b, hexLower[c>>4], hexLower[c&15])
	}
	return b
}

// appendRawHexUpper appends the upper-case hex of v without a prefix.
func appendRawHexUpper(b []byte, v []byte) []byte {
	for _, c := range v {
		b = append(b, hexUpper[c>>4], hexUpper[c&15])
	}
	return b
}

// appendAddr appends the text form of a (IPv4 dotted quad, IPv6 RFC 5952).
func appendAddr(b []byte, a netip.Addr) []byte { return a.AppendTo(b) }

// appendQuotedAddr appends a as a JSON string.
func appendQuotedAddr(b []byte, a netip.Addr) []byte {
	b = append(b, '"')
	b = a.AppendTo(b)
	return append(b, '"')
}

// appendPrefix appends p as "addr/len".
func appendPrefix(b []byte, p netip.Prefix) []byte { return p.AppendTo(b) }

// appendKey appends `"k": ` (ExaBGP's usual key spacing).
func appendKey(b []byte, k string) []byte {
	b = append(b, '"')
	b = append(b, k...)
	return append(b, '"', ':', ' ')
}

// appendStr appends s as a JSON string exactly as Python's json.dumps
// (ensure_ascii) writes it: ASCII kept, `"` `\` and control characters
// escaped, everything else as \uXXXX (UTF-16 surrogate pairs above the
// BMP). Invalid UTF-8 becomes \ufffd, as Python's decode('utf-8',
// 'replace') would.
func appendStr(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendStrBody(b, s)
	return append(b, '"')
}

// appendStrBytes is appendStr for a byte slice.
func appendStrBytes(b []byte, s []byte) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			b = appendASCII(b, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		b = appendRuneEscape(b, r)
		i += n
	}
	return append(b, '"')
}

func appendStrBody(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			b = appendASCII(b, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		b = appendRuneEscape(b, r)
		i += n
	}
	return b
}

func appendASCII(b []byte, c byte) []byte {
	switch c {
	case '"':
		return append(b, '\\', '"')
	case '\\':
		return append(b, '\\', '\\')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	}
	if c < 0x20 || c == 0x7f {
		if c == 0x7f {
			return append(b, c)
		}
		return append(b, '\\', 'u', '0', '0', hexLower[c>>4], hexLower[c&15])
	}
	return append(b, c)
}

func appendRuneEscape(b []byte, r rune) []byte {
	if r > 0xffff {
		r -= 0x10000
		b = appendU4(b, uint16(0xd800+(r>>10)))
		return appendU4(b, uint16(0xdc00+(r&0x3ff)))
	}
	return appendU4(b, uint16(r))
}

func appendU4(b []byte, v uint16) []byte {
	return append(b, '\\', 'u', hexLower[v>>12], hexLower[(v>>8)&15], hexLower[(v>>4)&15], hexLower[v&15])
}

// appendFloatTime appends sec (seconds since the epoch) as Python's repr
// of time.time() does: the shortest decimal that round-trips, always with
// a fractional part.
func appendFloatTime(b []byte, sec float64) []byte {
	start := len(b)
	b = strconv.AppendFloat(b, sec, 'f', -1, 64)
	for _, c := range b[start:] {
		if c == '.' {
			return b
		}
	}
	return append(b, '.', '0')
}
