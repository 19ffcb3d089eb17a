package wire

// Route Target Constraint NLRI, RFC 4684 §4: a prefix of 0 or 32 to 96 bits
// over origin AS (4 bytes) + route target (8 bytes).
//
// Deviation: ExaBGP 5.0 always reads 13 bytes when the length is not 0; we
// read ceil(length/8) bytes as RFC 4684 says, which is the same for the
// full-length (96) routes ExaBGP understands. The route target is kept as
// received; ExaBGP clears its two high flag bits when it prints it.

// RTC is one route-target membership NLRI (ipv4 rtc). Bits 0 is the
// default route-target (RFC 4684 §4, "wildcard").
type RTC struct {
	PathID   uint32
	Bits     uint8 // prefix length: 0, or 32 to 96
	OriginAS uint32
	RT       [8]byte // route target, zero past Bits-32
}

// Family implements [NLRI].
func (RTC) Family() Family { return IPv4RTC }

// AppendNLRI implements [NLRI].
func (r RTC) AppendNLRI(b []byte, addPath bool) []byte {
	b = afAppendPathID(b, addPath, r.PathID)
	b = append(b, r.Bits)
	if r.Bits == 0 {
		return b
	}
	b = afAppendU32(b, r.OriginAS)
	return append(b, r.RT[:(int(r.Bits)-32+7)/8]...)
}

func init() { registerNLRI(decodeRTC, IPv4RTC) }

// decodeRTC decodes one RTC NLRI (RFC 4684 §4).
func decodeRTC(_ Family, b []byte, addPath bool) (NLRI, int, error) {
	id, b, n, err := afPathID(b, addPath)
	if err != nil {
		return nil, 0, err
	}
	if len(b) == 0 {
		return nil, 0, afReset("not enough data to extract the length of the RTC NLRI")
	}
	r := RTC{PathID: id, Bits: b[0]}
	size := (int(r.Bits) + 7) / 8
	if 1+size > len(b) {
		return nil, 0, afReset("RTC NLRI truncated")
	}
	n += 1 + size
	if r.Bits == 0 {
		return r, n, nil
	}
	if r.Bits < 32 || r.Bits > 96 {
		return nil, n, afWithdraw("incorrect RTC length (should be 0 or >=32,<=96)")
	}
	r.OriginAS = afU32(b[1:])
	copy(r.RT[:], b[5:1+size])
	return r, n, nil
}
