package wire

import "net/netip"

// RD is a route distinguisher (RFC 4364 §4.2), kept as its 8 octets.
type RD [8]byte

// RD types (RFC 4364 §4.2).
const (
	RDTypeAS2  = 0 // 2-octet ASN : 4-octet number
	RDTypeIPv4 = 1 // IPv4 address : 2-octet number
	RDTypeAS4  = 2 // 4-octet ASN : 2-octet number
)

// RDFromAS2 builds a type 0 RD.
func RDFromAS2(asn uint16, n uint32) RD {
	var r RD
	be.PutUint16(r[2:], asn)
	be.PutUint32(r[4:], n)
	return r
}

// RDFromIPv4 builds a type 1 RD.
func RDFromIPv4(a netip.Addr, n uint16) RD {
	r := RD{0, RDTypeIPv4}
	copy(r[2:6], appendAddr4(nil, a))
	be.PutUint16(r[6:], n)
	return r
}

// RDFromAS4 builds a type 2 RD.
func RDFromAS4(asn uint32, n uint16) RD {
	r := RD{0, RDTypeAS4}
	be.PutUint32(r[2:], asn)
	be.PutUint16(r[6:], n)
	return r
}

// Type is the RD type field.
func (r RD) Type() uint16 { return be.Uint16(r[:]) }

// IsZero reports whether the RD is all zeros (also "no RD").
func (r RD) IsZero() bool { return r == RD{} }

// AppendText appends the RD as ExaBGP prints it: "asn:n" for types 0
// and 2, "a.b.c.d:n" for type 1, "0x" and hex for others.
func (r RD) AppendText(b []byte) []byte {
	switch r.Type() {
	case RDTypeAS2:
		b = appendUint(b, uint64(be.Uint16(r[2:])))
		return appendUint(append(b, ':'), uint64(be.Uint32(r[4:])))
	case RDTypeIPv4:
		b = netip.AddrFrom4([4]byte(r[2:6])).AppendTo(b)
		return appendUint(append(b, ':'), uint64(be.Uint16(r[6:])))
	case RDTypeAS4:
		b = appendUint(b, uint64(be.Uint32(r[2:])))
		return appendUint(append(b, ':'), uint64(be.Uint16(r[6:])))
	}
	return appendHexString(b, r[:])
}

// String returns AppendText as a string.
func (r RD) String() string { return string(r.AppendText(nil)) }
