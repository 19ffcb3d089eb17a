package wire

// BGP Mobile User Plane NLRI (ipv4/ipv6 mup), draft-mpmz-bess-mup-safi §3:
// architecture type (1 byte), route type (2 bytes), length (1 byte), body.
// ExaBGP 5.0 parses the 3GPP-5G architecture (1) route types ISD (1),
// DSD (2), Type 1 ST (3) and Type 2 ST (4); anything else stays unparsed.
// The body is kept as received (Raw) and re-encoded unchanged; the New*
// constructors build it as ExaBGP packs it.

import (
	"errors"
	"net/netip"
)

// MUP architecture and route types (draft-mpmz-bess-mup-safi §3).
const (
	MUPArch3GPP5G uint8  = 1
	MUPISD        uint16 = 1 // Interwork Segment Discovery
	MUPDSD        uint16 = 2 // Direct Segment Discovery
	MUPT1ST       uint16 = 3 // Type 1 Session Transformed
	MUPT2ST       uint16 = 4 // Type 2 Session Transformed
)

// MUP is one MUP route. Fields by type:
//   - ISD: RD, Prefix
//   - DSD: RD, Endpoint (the address)
//   - T1ST: RD, Prefix, TEID, QFI, Endpoint, Source (may be invalid)
//   - T2ST: RD, EndpointLen (address bits + TEID bits), Endpoint, TEID
type MUP struct {
	Fam         Family
	PathID      uint32
	Arch        uint8
	Type        uint16
	Parsed      bool
	Raw         []byte // the body after the 4-byte header; aliases the input
	RD          RD
	Prefix      netip.Prefix
	Endpoint    netip.Addr
	EndpointLen uint8
	Source      netip.Addr
	TEID        uint32
	QFI         uint8
}

// Family implements [NLRI].
func (m MUP) Family() Family { return m.Fam }

// AppendNLRI implements [NLRI].
func (m MUP) AppendNLRI(b []byte, addPath bool) []byte {
	b = afAppendPathID(b, addPath, m.PathID)
	b = append(b, m.Arch, byte(m.Type>>8), byte(m.Type), byte(len(m.Raw)))
	return append(b, m.Raw...)
}

// MUPName is ExaBGP's name of a 3GPP-5G MUP route type.
func MUPName(t uint16) string {
	switch t {
	case MUPISD:
		return "InterworkSegmentDiscoveryRoute"
	case MUPDSD:
		return "DirectSegmentDiscoveryRoute"
	case MUPT1ST:
		return "Type1SessionTransformedRoute"
	case MUPT2ST:
		return "Type2SessionTransformedRoute"
	}
	return "Unknown"
}

var errMUP = errors.New("mup: address does not match the family or TEID is too long")

// mupNew starts a parsed 3GPP-5G route with its RD in Raw.
func mupNew(fam Family, typ uint16, rd RD) MUP {
	return MUP{Fam: fam, Arch: MUPArch3GPP5G, Type: typ, Parsed: true, RD: rd, Raw: append(make([]byte, 0, 48), rd[:]...)}
}

// mupFits reports whether a is an address of fam's AFI.
func mupFits(fam Family, a netip.Addr) bool { return a.IsValid() && a.Is4() == (fam.AFI == AFIIPv4) }

// NewMUPISD builds an Interwork Segment Discovery route.
func NewMUPISD(fam Family, rd RD, p netip.Prefix) (MUP, error) {
	if !mupFits(fam, p.Addr()) {
		return MUP{}, errMUP
	}
	m := mupNew(fam, MUPISD, rd)
	m.Prefix = p
	m.Raw = afAppendPrefixBytes(append(m.Raw, byte(p.Bits())), p)
	return m, nil
}

// NewMUPDSD builds a Direct Segment Discovery route.
func NewMUPDSD(fam Family, rd RD, a netip.Addr) (MUP, error) {
	if !mupFits(fam, a) {
		return MUP{}, errMUP
	}
	m := mupNew(fam, MUPDSD, rd)
	m.Endpoint = a
	m.Raw = afAppendAddr(m.Raw, a)
	return m, nil
}

// NewMUPT1ST builds a Type 1 Session Transformed route; source may be the
// zero Addr.
func NewMUPT1ST(fam Family, rd RD, p netip.Prefix, teid uint32, qfi uint8, endpoint, source netip.Addr) (MUP, error) {
	if !mupFits(fam, p.Addr()) || !endpoint.IsValid() {
		return MUP{}, errMUP
	}
	m := mupNew(fam, MUPT1ST, rd)
	m.Prefix, m.TEID, m.QFI, m.Endpoint, m.Source = p, teid, qfi, endpoint, source
	raw := afAppendPrefixBytes(append(m.Raw, byte(p.Bits())), p)
	raw = append(afAppendU32(raw, teid), qfi, byte(endpoint.BitLen()))
	raw = afAppendAddr(raw, endpoint)
	if source.IsValid() {
		raw = afAppendAddr(append(raw, byte(source.BitLen())), source)
	}
	m.Raw = raw
	return m, nil
}

// NewMUPT2ST builds a Type 2 Session Transformed route whose endpoint is
// followed by the teidBits (0 to 32) low bits of teid.
func NewMUPT2ST(fam Family, rd RD, endpoint netip.Addr, teidBits uint8, teid uint32) (MUP, error) {
	if !mupFits(fam, endpoint) || teidBits > 32 {
		return MUP{}, errMUP
	}
	m := mupNew(fam, MUPT2ST, rd)
	m.Endpoint, m.TEID = endpoint, teid
	m.EndpointLen = byte(endpoint.BitLen()) + teidBits
	raw := afAppendAddr(append(m.Raw, m.EndpointLen), endpoint)
	var t [4]byte
	afAppendU32(t[:0], teid)
	m.Raw = append(raw, t[4-(int(teidBits)+7)/8:]...)
	return m, nil
}

func init() { registerNLRI(decodeMUP, IPv4MUP, IPv6MUP) }

// decodeMUP decodes one MUP NLRI (draft-mpmz-bess-mup-safi §3).
func decodeMUP(fam Family, b []byte, addPath bool) (NLRI, int, error) {
	id, b, n, err := afPathID(b, addPath)
	if err != nil {
		return nil, 0, err
	}
	if len(b) < 4 {
		return nil, 0, afReset("MUP NLRI too short: need at least 4 bytes")
	}
	l := int(b[3])
	if 4+l > len(b) {
		return nil, 0, afReset("MUP NLRI truncated")
	}
	n += 4 + l
	m := MUP{Fam: fam, PathID: id, Arch: b[0], Type: afU16(b[1:]), Raw: b[4 : 4+l]}
	if m.Arch != MUPArch3GPP5G || m.Type < MUPISD || m.Type > MUPT2ST {
		return m, n, nil
	}
	if len(m.Raw) < 9 {
		return nil, n, afWithdraw("MUP route is too short")
	}
	m.RD = RD(m.Raw)
	if err := m.parse(m.Raw[8:]); err != nil {
		return nil, n, err
	}
	m.Parsed = true
	return m, n, nil
}

// parse reads the body after the RD.
func (m *MUP) parse(d []byte) error {
	switch m.Type {
	case MUPISD:
		rest, err := m.prefix(d)
		if err == nil && len(rest) != 0 {
			err = afWithdraw("mup isd has trailing data")
		}
		return err
	case MUPDSD:
		var ok bool
		if m.Endpoint, ok = afAddr(d); !ok {
			return afWithdraw("mup dsd address is not 4 or 16 octets")
		}
		return nil
	case MUPT1ST:
		return m.parseT1ST(d)
	}
	return m.parseT2ST(d)
}

// prefix reads a length-in-bits prefixed prefix of the family.
func (m *MUP) prefix(d []byte) ([]byte, error) {
	bits := int(d[0])
	size := (bits + 7) / 8
	if bits > afAddrBits(m.Fam.AFI) || len(d) < 1+size {
		return nil, afWithdraw("mup prefix length is invalid")
	}
	m.Prefix = afPrefixFrom(m.Fam.AFI, d[1:1+size], bits)
	return d[1+size:], nil
}

// parseT1ST: prefix, TEID(4), QFI(1), endpoint, [source].
func (m *MUP) parseT1ST(d []byte) error {
	d, err := m.prefix(d)
	if err != nil {
		return err
	}
	if len(d) < 5 {
		return afWithdraw("mup t1st is too short")
	}
	m.TEID, m.QFI = afU32(d), d[4]
	var ok bool
	if m.Endpoint, d, ok = afLenAddr(d[5:]); !ok {
		return afWithdraw("mup t1st endpoint ip length is not 32bit or 128bit")
	}
	if len(d) == 0 {
		return nil
	}
	if m.Source, d, ok = afLenAddr(d); !ok || len(d) != 0 {
		return afWithdraw("mup t1st source ip is invalid")
	}
	return nil
}

// parseT2ST: endpoint length, endpoint, TEID bits.
func (m *MUP) parseT2ST(d []byte) error {
	m.EndpointLen = d[0]
	abits := afAddrBits(m.Fam.AFI)
	tbits := int(m.EndpointLen) - abits
	if tbits < 0 || tbits > 32 || len(d) != 1+abits/8+(tbits+7)/8 {
		return afWithdraw("mup t2st endpoint length is invalid")
	}
	m.Endpoint, _ = afAddr(d[1 : 1+abits/8])
	m.TEID = uint32(afUint(d[1+abits/8:]))
	return nil
}
