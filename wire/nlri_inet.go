package wire

import "net/netip"

// MPLS label constants (RFC 3032, RFC 8277 §2.4).
const (
	LabelWithdraw = 0x800000 // the raw 3 octets a withdraw may carry
	labelBoS      = 1
)

// INET is an IP prefix NLRI: IPv4/IPv6 unicast and multicast (RFC 4760),
// labeled unicast "nlri-mpls" (RFC 8277) with its label stack, and
// "mpls-vpn" (RFC 4364, RFC 4659) with labels and route distinguisher.
// PathID is the RFC 7911 path identifier (0 when none). Labels are the
// 20-bit label values; encoding sets the bottom-of-stack bit on the last.
// The Prefix keeps whatever host bits the wire carried.
type INET struct {
	Fam    Family
	Prefix netip.Prefix
	PathID uint32
	Labels []uint32
	RD     RD
}

func init() {
	registerNLRI(decodeINET, IPv4Unicast, IPv4Multicast, IPv6Unicast, IPv6Multicast,
		IPv4MPLS, IPv6MPLS, IPv4VPN, IPv6VPN)
}

// Family is the NLRI's AFI/SAFI.
func (n *INET) Family() Family { return n.Fam }

// hasLabels reports whether the SAFI carries a label stack.
func hasLabels(s SAFI) bool { return s == SAFIMPLS || s == SAFIVPN }

// AppendNLRI appends the NLRI as (MP_)REACH/UNREACH carry it, with the
// path identifier first when addPath.
func (n *INET) AppendNLRI(b []byte, addPath bool) []byte {
	if addPath {
		b = appendU32(b, n.PathID)
	}
	bits := n.Prefix.Bits()
	extra := 0
	if hasLabels(n.Fam.SAFI) {
		extra += 24 * len(n.Labels)
	}
	if n.Fam.SAFI == SAFIVPN {
		extra += 64
	}
	b = append(b, byte(bits+extra))
	if hasLabels(n.Fam.SAFI) {
		for i, l := range n.Labels {
			v := l << 4
			if i == len(n.Labels)-1 {
				v |= labelBoS
			}
			b = append(b, byte(v>>16), byte(v>>8), byte(v))
		}
	}
	if n.Fam.SAFI == SAFIVPN {
		b = append(b, n.RD[:]...)
	}
	return appendPrefixBytes(b, n.Prefix)
}

// AppendPrefix appends p in the RFC 4271 §4.3 NLRI encoding: length in
// bits, then the significant octets.
func AppendPrefix(b []byte, p netip.Prefix) []byte {
	return appendPrefixBytes(append(b, byte(p.Bits())), p)
}

func appendPrefixBytes(b []byte, p netip.Prefix) []byte {
	n := (p.Bits() + 7) / 8
	if p.Addr().Is4() {
		a := p.Addr().As4()
		return append(b, a[:n]...)
	}
	a := p.Addr().As16()
	return append(b, a[:n]...)
}

// decodeINET is the NLRIDecoder for the INET families.
func decodeINET(f Family, b []byte, addPath bool) (NLRI, int, error) {
	n := &INET{Fam: f}
	used, err := n.decode(b, addPath)
	if err != nil {
		return nil, 0, err
	}
	return n, used, nil
}

func nlriError(reason string) *NotifyError {
	return &NotifyError{Code: CodeUpdate, Subcode: SubcodeInvalidNetwork, Reason: reason}
}

// DecodeINET decodes one INET NLRI of family f from the front of b into n
// (reusing n.Labels' capacity) and returns the octets used. Errors are
// 3/10 Invalid Network Field (RFC 4271 §6.3).
func DecodeINET(f Family, b []byte, addPath bool, n *INET) (int, error) {
	*n = INET{Fam: f, Labels: n.Labels[:0]}
	return n.decode(b, addPath)
}

func (n *INET) decode(b []byte, addPath bool) (int, error) {
	off := 0
	if addPath {
		if len(b) < 5 {
			return 0, nlriError("not enough data to extract the path-information of the NLRI")
		}
		n.PathID, off = be.Uint32(b), 4
	}
	if off >= len(b) {
		return 0, nlriError("not enough data to extract the mask of the NLRI")
	}
	bits := int(b[off])
	off++
	if hasLabels(n.Fam.SAFI) {
		var err error
		if bits, off, err = n.decodeLabels(b, off, bits); err != nil {
			return 0, err
		}
	}
	if n.Fam.SAFI == SAFIVPN {
		if bits < 64 || off+8 > len(b) {
			return 0, nlriError("not enough data to extract the route distinguisher of the NLRI")
		}
		n.RD, off, bits = RD(b[off:off+8]), off+8, bits-64
	}
	p, used, err := readPrefix(b[off:], n.Fam.AFI, bits)
	if err != nil {
		return 0, err
	}
	n.Prefix = p
	return off + used, nil
}

// decodeLabels reads a label stack: it ends at the bottom-of-stack bit, or
// at a first label of value 0x80000 (raw 0x800000, the RFC 8277 §2.4
// withdraw label) or 0. ExaBGP compares the raw 3 octets and honours
// 0x800000 only in withdrawals; the NLRIDecoder has no such context, so
// it is honoured everywhere (a first label 524288 in a multi-label stack
// is then misread).
func (n *INET) decodeLabels(b []byte, off, bits int) (int, int, error) {
	rd := 0
	if n.Fam.SAFI == SAFIVPN {
		rd = 64
	}
	for bits-rd >= 24 {
		if off+3 > len(b) {
			return 0, 0, nlriError("not enough data to extract the label stack of the NLRI")
		}
		raw := uint32(b[off])<<16 | uint32(b[off+1])<<8 | uint32(b[off+2])
		off, bits = off+3, bits-24
		n.Labels = append(n.Labels, raw>>4)
		if raw&labelBoS != 0 {
			return bits, off, nil
		}
		if len(n.Labels) == 1 && (raw>>4 == 0 || raw>>4 == LabelWithdraw>>4) {
			return bits, off, nil
		}
	}
	if len(n.Labels) > 0 {
		return 0, 0, nlriError("invalid label stack in the NLRI, no bottom of stack bit")
	}
	return bits, off, nil
}

// readPrefix reads the significant octets of a prefix of the given bit
// length: 3/10 when the length exceeds the AFI's or overruns b.
func readPrefix(b []byte, afi AFI, bits int) (netip.Prefix, int, error) {
	max := 32
	if afi == AFIIPv6 {
		max = 128
	}
	if bits < 0 || bits > max {
		return netip.Prefix{}, 0, nlriError("invalid prefix length in NLRI")
	}
	n := (bits + 7) / 8
	if n > len(b) {
		return netip.Prefix{}, 0, nlriError("NLRI prefix overruns its field")
	}
	if max == 32 {
		var a [4]byte
		copy(a[:], b[:n])
		return netip.PrefixFrom(netip.AddrFrom4(a), bits), n, nil
	}
	var a [16]byte
	copy(a[:], b[:n])
	return netip.PrefixFrom(netip.AddrFrom16(a), bits), n, nil
}

// readPrefix4 is readPrefix for IPv4, the hot path.
func readPrefix4(b []byte, bits int) (netip.Prefix, int, error) {
	n := (bits + 7) >> 3
	if bits > 32 || n > len(b) {
		return readPrefix(b, AFIIPv4, bits)
	}
	var a [4]byte
	switch n {
	case 4:
		a[3] = b[3]
		fallthrough
	case 3:
		a[2] = b[2]
		fallthrough
	case 2:
		a[1] = b[1]
		fallthrough
	case 1:
		a[0] = b[0]
	}
	return netip.PrefixFrom(netip.AddrFrom4(a), bits), n, nil
}

// PrefixIter walks IPv4/IPv6 unicast or multicast prefixes (the UPDATE's
// withdrawn routes and NLRI fields, or an MP_(UN)REACH NLRI list) without
// allocating. It is kept small (80 bytes): callers copy the value
// [Prefixes] returns.
type PrefixIter struct {
	b       []byte
	off     int
	afi     AFI
	addPath bool
	v4      bool // IPv4 without path identifiers: Next's fast path
	id      uint32
	p       netip.Prefix
	err     *NotifyError
}

// Prefixes returns an iterator over the prefixes of afi in b, each
// preceded by a path identifier when addPath (RFC 7911).
func Prefixes(b []byte, afi AFI, addPath bool) PrefixIter {
	return PrefixIter{b: b, afi: afi, addPath: addPath, v4: afi == AFIIPv4 && !addPath}
}

// Next decodes the next prefix. It returns false at the end or on error:
// a bad length or an overrun is 3/10 Invalid Network Field; RFC 7606 §5.3
// makes that a session reset.
//
// The fast path, IPv4 without path identifiers, reads the address with
// one 4-octet load masked to the octets the length covers (those after
// them belong to the next prefix).
func (it *PrefixIter) Next() bool {
	b, off := it.b, uint(it.off)
	if off >= uint(len(b)) { // the end (an error leaves off at its prefix)
		return false
	}
	if !it.v4 {
		return it.next()
	}
	bits := uint(b[off])
	n := (bits + 7) >> 3
	var x uint32 // the address octets, little-endian: one byte swap, in AddrFrom4
	if off+5 <= uint(len(b)) {
		x = le.Uint32(b[off+1 : off+5])
	} else if r := uint(len(b)) - off - 1; n <= r && len(b) >= 4 {
		// The last prefix of the field: its r octets end the last 4.
		x = uint32(uint64(le.Uint32(b[len(b)-4:])) >> (8 * (4 - r) & 63))
	} else {
		return it.next()
	}
	x &= uint32(uint64(1)<<(8*n&63) - 1)
	if bits > 32 {
		return it.next()
	}
	var a [4]byte
	le.PutUint32(a[:], x)
	it.p = netip.PrefixFrom(netip.AddrFrom4(a), int(bits))
	it.off = int(off + 1 + n)
	return true
}

// next is Next's general case: IPv6, path identifiers, an IPv4 field
// shorter than 4 octets, errors.
func (it *PrefixIter) next() bool {
	if it.err != nil || it.off >= len(it.b) {
		return false
	}
	b := it.b[it.off:]
	if it.addPath {
		if len(b) < 5 {
			it.err = it.fail("not enough data to extract the path-information of the NLRI")
			it.v4 = false
			return false
		}
		it.id, b = be.Uint32(b), b[4:]
	}
	var p netip.Prefix
	var n int
	var err error
	if it.afi == AFIIPv4 {
		p, n, err = readPrefix4(b[1:], int(b[0]))
	} else {
		p, n, err = readPrefix(b[1:], it.afi, int(b[0]))
	}
	if err != nil {
		it.err = it.fail(err.(*NotifyError).Reason)
		it.v4 = false
		return false
	}
	it.p = p
	it.off += 1 + n
	if it.addPath {
		it.off += 4
	}
	return true
}

func (it *PrefixIter) fail(reason string) *NotifyError {
	return &NotifyError{Code: CodeUpdate, Subcode: SubcodeInvalidNetwork, Offset: it.off, Reason: reason}
}

// Prefix is the current prefix.
func (it *PrefixIter) Prefix() netip.Prefix { return it.p }

// PathID is the current path identifier (0 without add-path).
func (it *PrefixIter) PathID() uint32 { return it.id }

// Err is the error that stopped the iteration.
func (it *PrefixIter) Err() error {
	if it.err == nil {
		return nil
	}
	return it.err
}

// CheckPrefix returns 3/10 Invalid Network Field when p has bits set
// beyond its length (ExaBGP's configuration refuses "invalid network
// 10.0.0.1 for netmask 24"); received prefixes keep their host bits, which
// RFC 4271 §4.3 calls irrelevant.
func CheckPrefix(p netip.Prefix) error {
	if !p.IsValid() {
		return nlriError("invalid prefix")
	}
	if p.Masked() != p {
		return nlriError("invalid network for netmask")
	}
	return nil
}
