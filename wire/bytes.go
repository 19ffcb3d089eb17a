package wire

import "encoding/binary"

// be is the byte order of every BGP field (RFC 4271 §4).
var be = binary.BigEndian

// le serves fast paths that mask octets in a register (PrefixIter.Next).
var le = binary.LittleEndian

// appendU16 appends v big-endian.
func appendU16(b []byte, v uint16) []byte { return append(b, byte(v>>8), byte(v)) }

// appendU32 appends v big-endian.
func appendU32(b []byte, v uint32) []byte {
	return append(b, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

// appendU64 appends v big-endian.
func appendU64(b []byte, v uint64) []byte {
	return appendU32(appendU32(b, uint32(v>>32)), uint32(v))
}

// putU16 back-fills a length reserved at off (STYLE.md §3).
func putU16(b []byte, off int, v int) { b[off] = byte(v >> 8); b[off+1] = byte(v) }

// hexByte appends the two lower-case hex digits of v.
func hexByte(b []byte, v byte) []byte {
	const digits = "0123456789abcdef"
	return append(b, digits[v>>4], digits[v&15])
}

// appendHex appends the lower-case hex of v.
func appendHex(b []byte, v []byte) []byte {
	for _, c := range v {
		b = hexByte(b, c)
	}
	return b
}

// appendUint appends the decimal form of v.
func appendUint(b []byte, v uint64) []byte {
	var t [20]byte
	i := len(t)
	for {
		i--
		t[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return append(b, t[i:]...)
}

// utoa is the decimal string of v.
func utoa(v uint64) string { return string(appendUint(nil, v)) }

// errorf builds a NotifyError; reason must be a static string or built
// without fmt.
func notify(code, sub uint8, reason string) *NotifyError {
	return &NotifyError{Code: code, Subcode: sub, Reason: reason}
}
