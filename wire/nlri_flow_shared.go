package wire

// Helpers shared by the address-family files beyond inet (nlri_flow*.go,
// nlri_evpn*.go, nlri_vpls*.go, nlri_mvpn*.go, nlri_mup*.go, nlri_rtc*.go,
// nlri_bgpls*.go, attr_bgpls*.go, attr_prefixsid*.go). Their names start with
// "af" so they never clash with the core codec's helpers.
//
// Error policy for these families (RFC 7606 §5.3, RFC 8955 §4.2, RFC 9552
// §8.2.2): when an NLRI's own length field does not fit the data, the NLRI
// boundaries are lost and the error is Reset (3/10, Invalid Network Field)
// with n = 0. When the NLRI is framed correctly but its content is malformed,
// the error is TreatAsWithdraw (3/10) and the decoder still returns n, the
// number of bytes the NLRI spans, so the caller can skip it and go on.

import "net/netip"

// afSubcodeNetwork is NOTIFICATION UPDATE subcode 10, "Invalid Network
// Field" (RFC 4271 §6.3), which every NLRI decoder here reports.
const afSubcodeNetwork uint8 = 10

// afReset reports an NLRI whose framing is broken (session reset).
func afReset(reason string) *NotifyError {
	return &NotifyError{Code: CodeUpdate, Subcode: afSubcodeNetwork, Action: Reset, Reason: reason}
}

// afWithdraw reports a well-framed NLRI with malformed content.
func afWithdraw(reason string) *NotifyError {
	return &NotifyError{Code: CodeUpdate, Subcode: afSubcodeNetwork, Action: TreatAsWithdraw, Reason: reason}
}

// afPathID strips the RFC 7911 path identifier when addPath is set.
func afPathID(b []byte, addPath bool) (uint32, []byte, int, error) {
	if !addPath {
		return 0, b, 0, nil
	}
	if len(b) < 4 {
		return 0, nil, 0, afReset("not enough data for the path identifier")
	}
	return afU32(b), b[4:], 4, nil
}

// afAppendPathID appends the path identifier when addPath is set.
func afAppendPathID(b []byte, addPath bool, id uint32) []byte {
	if !addPath {
		return b
	}
	return afAppendU32(b, id)
}

// afU16 and afU32 read big-endian integers; the caller has checked the size.
func afU16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }
func afU24(b []byte) uint32 { return uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2]) }
func afU32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// afUint reads a big-endian integer of up to 8 bytes.
func afUint(b []byte) uint64 {
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v
}

func afAppendU16(b []byte, v uint16) []byte { return append(b, byte(v>>8), byte(v)) }
func afAppendU24(b []byte, v uint32) []byte { return append(b, byte(v>>16), byte(v>>8), byte(v)) }
func afAppendU32(b []byte, v uint32) []byte {
	return append(b, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

// afAddr converts 4 or 16 bytes to an address; other sizes give the zero
// Addr and false.
func afAddr(b []byte) (netip.Addr, bool) {
	switch len(b) {
	case 4:
		return netip.AddrFrom4([4]byte(b)), true
	case 16:
		return netip.AddrFrom16([16]byte(b)), true
	}
	return netip.Addr{}, false
}

// afAppendAddr appends the 4 or 16 bytes of a (nothing when invalid).
func afAppendAddr(b []byte, a netip.Addr) []byte {
	if a.Is4() {
		v := a.As4()
		return append(b, v[:]...)
	}
	if a.IsValid() {
		v := a.As16()
		return append(b, v[:]...)
	}
	return b
}

// afAddrBits is the size of the family's addresses in bits (32 for IPv4,
// 128 for anything else).
func afAddrBits(afi AFI) int {
	if afi == AFIIPv4 {
		return 32
	}
	return 128
}

// afPrefixFrom builds a prefix from the significant bytes of an address of
// family afi (zero-padded) and a length in bits. It does not mask host bits,
// so what was received is what is shown and re-encoded.
func afPrefixFrom(afi AFI, raw []byte, bits int) netip.Prefix {
	var a netip.Addr
	if afi == AFIIPv4 {
		var v [4]byte
		copy(v[:], raw)
		a = netip.AddrFrom4(v)
	} else {
		var v [16]byte
		copy(v[:], raw)
		a = netip.AddrFrom16(v)
	}
	return netip.PrefixFrom(a, bits)
}

// afAppendPrefixBytes appends the ceil(bits/8) significant bytes of p.
func afAppendPrefixBytes(b []byte, p netip.Prefix) []byte {
	n := (p.Bits() + 7) / 8
	if p.Addr().Is4() {
		v := p.Addr().As4()
		return append(b, v[:n]...)
	}
	v := p.Addr().As16()
	return append(b, v[:n]...)
}

// afRawNLRI is the common body of the NLRI kinds that keep their packed
// bytes (Raw) and re-emit them unchanged.
func afAppendRaw(b []byte, addPath bool, id uint32, raw []byte) []byte {
	b = afAppendPathID(b, addPath, id)
	return append(b, raw...)
}
