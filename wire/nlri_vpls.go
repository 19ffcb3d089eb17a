package wire

// L2VPN VPLS NLRI, RFC 4761 §3.2.2: length (2 bytes, 17), RD, VE ID,
// VE block offset, VE block size, label base (20 bits + 4 bits).
//
// Deviations: as ExaBGP 5.0, a length above 17 is accepted and the bytes
// beyond the known 17 ignored; the label's low nibble is not kept and is
// re-encoded as bottom-of-stack (0x1), as ExaBGP does.

// vplsLen is the fixed body length of a VPLS NLRI.
const vplsLen = 17

// VPLS is one RFC 4761 VPLS NLRI (l2vpn vpls).
type VPLS struct {
	PathID   uint32
	RD       RD
	Endpoint uint16 // VE ID
	Offset   uint16 // VE block offset
	Size     uint16 // VE block size
	Base     uint32 // label base (20 bits)
}

// Family implements [NLRI].
func (VPLS) Family() Family { return L2VPNVPLS }

// AppendNLRI implements [NLRI].
func (v VPLS) AppendNLRI(b []byte, addPath bool) []byte {
	b = afAppendPathID(b, addPath, v.PathID)
	b = afAppendU16(b, vplsLen)
	b = append(b, v.RD[:]...)
	b = afAppendU16(afAppendU16(afAppendU16(b, v.Endpoint), v.Offset), v.Size)
	return afAppendU24(b, v.Base<<4|1)
}

func init() { registerNLRI(decodeVPLS, L2VPNVPLS) }

// decodeVPLS decodes one VPLS NLRI (RFC 4761 §3.2.2).
func decodeVPLS(_ Family, b []byte, addPath bool) (NLRI, int, error) {
	id, b, n, err := afPathID(b, addPath)
	if err != nil {
		return nil, 0, err
	}
	if len(b) < 2 {
		return nil, 0, afReset("not enough data to extract the length of the l2vpn vpls NLRI")
	}
	l := int(afU16(b))
	if l+2 > len(b) {
		return nil, 0, afReset("l2vpn vpls length is not consistent with the encoded data")
	}
	n += 2 + l
	if l < vplsLen {
		return nil, n, afWithdraw("l2vpn vpls length is shorter than 17")
	}
	b = b[2:]
	v := VPLS{
		PathID:   id,
		RD:       RD(b),
		Endpoint: afU16(b[8:]),
		Offset:   afU16(b[10:]),
		Size:     afU16(b[12:]),
		Base:     afU24(b[14:]) >> 4,
	}
	return v, n, nil
}
