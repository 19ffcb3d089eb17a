package format

import (
	"net/netip"
	"slices"
	"strconv"
	"unicode/utf8"
)

// This file holds the low-level append helpers every renderer uses. They
// never allocate when the destination has room.

const hexUpper = "0123456789ABCDEF"
const hexLower = "0123456789abcdef"

// appendUint appends the decimal form of v, as strconv.AppendUint (the
// values of events, ASNs and counters up to 2^32 are written straight
// into b, two digits at a time in 32-bit arithmetic).
func appendUint(b []byte, v64 uint64) []byte {
	if v64 < 10 {
		return append(b, byte('0'+v64))
	}
	if v64 > 1<<32-1 {
		return strconv.AppendUint(b, v64, 10)
	}
	v := uint32(v64)
	n := decLen32(v)
	l := len(b)
	if cap(b)-l < n {
		b = append(b, "0000000000"[:n]...)
	} else {
		b = b[:l+n]
	}
	d := b[l : l+n]
	i := n
	for v >= 100 {
		q := v / 100
		r := (v - q*100) * 2
		i -= 2
		d[i], d[i+1] = digits2[r], digits2[r+1]
		v = q
	}
	if v >= 10 {
		d[i-2], d[i-1] = digits2[v*2], digits2[v*2+1]
	} else {
		d[i-1] = byte('0' + v)
	}
	return b
}

// decLen32 is the number of decimal digits of v.
func decLen32(v uint32) int {
	switch {
	case v < 10:
		return 1
	case v < 100:
		return 2
	case v < 1000:
		return 3
	case v < 10000:
		return 4
	case v < 100000:
		return 5
	case v < 1000000:
		return 6
	case v < 10000000:
		return 7
	case v < 100000000:
		return 8
	case v < 1000000000:
		return 9
	}
	return 10
}

// digits2 holds "00" to "99".
const digits2 = "00010203040506070809" + "10111213141516171819" + "20212223242526272829" +
	"30313233343536373839" + "40414243444546474849" + "50515253545556575859" +
	"60616263646566676869" + "70717273747576777879" + "80818283848586878889" + "90919293949596979899"

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

// appendAddr appends the text form of a (IPv4 dotted quad, IPv6 RFC
// 5952), as a.AppendTo does; IPv4 is written with one capacity check.
func appendAddr(b []byte, a netip.Addr) []byte {
	if !a.Is4() {
		return a.AppendTo(b)
	}
	return appendIPv4(b, a.As4())
}

// appendIPv4 appends v as a dotted quad.
func appendIPv4(b []byte, v [4]byte) []byte {
	n := len(b)
	b = slices.Grow(b, 15)[:n+15]
	i := n
	for k, x := range v {
		if k > 0 {
			b[i] = '.'
			i++
		}
		if x >= 100 {
			b[i] = '0' + x/100
			x %= 100
			b[i+1] = '0' + x/10
			b[i+2] = '0' + x%10
			i += 3
		} else if x >= 10 {
			b[i] = '0' + x/10
			b[i+1] = '0' + x%10
			i += 2
		} else {
			b[i] = '0' + x
			i++
		}
	}
	return b[:i]
}

// appendQuotedAddr appends a as a JSON string.
func appendQuotedAddr(b []byte, a netip.Addr) []byte {
	b = append(b, '"')
	b = appendAddr(b, a)
	return append(b, '"')
}

// appendPrefix appends p as "addr/len", as p.AppendTo does.
func appendPrefix(b []byte, p netip.Prefix) []byte {
	a := p.Addr()
	if !a.Is4() || !p.IsValid() {
		return p.AppendTo(b)
	}
	b = appendIPv4(b, a.As4())
	bits := byte(p.Bits())
	if bits >= 10 {
		return append(b, '/', '0'+bits/10, '0'+bits%10)
	}
	return append(b, '/', '0'+bits)
}

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
	if sec >= 1<<30 && sec < 1<<31 {
		return appendFloatTime31(b, sec)
	}
	return appendFloatShortest(b, sec)
}

// appendFloatShortest is strconv's shortest round-trip form of sec, with
// ".0" added to an integral value as Python's repr writes it.
func appendFloatShortest(b []byte, sec float64) []byte {
	start := len(b)
	b = strconv.AppendFloat(b, sec, 'f', -1, 64)
	for _, c := range b[start:] {
		if c == '.' {
			return b
		}
	}
	return append(b, '.', '0')
}

// appendFloatTime31 is appendFloatTime for 2^30 <= sec < 2^31 (the years
// 2004 to 2038), byte for byte what strconv's shortest form gives, in a
// fraction of its time. In that binade a float64 is I + m/2^22 exactly
// (I the integer part, m < 2^22), so the shortest decimal is the first
// k-digit rounding d of m/2^22 (k <= 7, as 10^-7 < 2^-22) that lies
// within half a unit in the last place: 2|d*2^22 - m*10^k| < 10^k.
// Equality cannot happen (10^k has fewer factors of two than 2^23), and
// a rounding tie between two k-digit candidates goes to the even one,
// as strconv does (TestAppendFloatTime31 checks every m).
func appendFloatTime31(b []byte, sec float64) []byte {
	ip := uint64(sec)
	return appendTimeFraction(appendUint(b, ip), sec, ip)
}

// appendTimeFraction appends the '.' and fraction digits of
// appendFloatTime31 for sec, whose integer part ip is already written.
func appendTimeFraction(b []byte, sec float64, ip uint64) []byte {
	m := uint64((sec - float64(ip)) * (1 << timeFracBits))
	b = append(b, '.')
	if m == 0 {
		return append(b, '0')
	}
	// A k-digit decimal that round-trips is also one with k+1 digits, so
	// the shortest is found walking down from 7 digits (which always
	// round-trip) while the next shorter still does.
	k, d := 7, nearestDecimal(m, 1e7)
	for p := uint64(1e6); p >= 10; p /= 10 {
		dk, ok := roundTrips(m, p)
		if !ok {
			break
		}
		k, d = k-1, dk
	}
	var digits [7]byte
	for i := k - 1; i >= 0; i-- {
		digits[i] = byte('0' + d%10)
		d /= 10
	}
	return append(b, digits[:k]...)
}

// timeFracBits is the number of fraction bits of a float64 in [2^30, 2^31).
const timeFracBits = 22

// nearestDecimal returns the integer nearest to m*p/2^22, a tie going to
// the even one (as strconv picks between two candidates).
func nearestDecimal(m, p uint64) uint64 {
	x := m * p
	d, r := x>>timeFracBits, x&(1<<timeFracBits-1)
	if r > 1<<(timeFracBits-1) || (r == 1<<(timeFracBits-1) && d&1 == 1) {
		d++
	}
	return d
}

// roundTrips returns the decimal nearest to m/2^22 with p = 10^k as
// denominator, and whether it reads back as the same float64: it lies
// within half a unit in the last place (2^-23).
func roundTrips(m, p uint64) (uint64, bool) {
	d := nearestDecimal(m, p)
	x, y := d<<timeFracBits, m*p
	diff := x - y
	if y > x {
		diff = y - x
	}
	return d, 2*diff < p
}
