package wire

// EVPN NLRI (l2vpn evpn), RFC 7432 §7 (route types 1-4) and RFC 9136 §3
// (type 5): route type (1 byte), length (1 byte), route-type-specific body.
// Decode only, as in ExaBGP 5.0's receive path: the body is kept as it was
// received (Raw) and re-encoded unchanged; route types ExaBGP does not parse
// (and any other code) stay unparsed (Parsed false), as ExaBGP's
// GenericEVPN.
//
// The size checks follow ExaBGP 5.0's unpack methods (e.g. a MAC/IP route
// is 33, 36, 37, 40, 49 or 52 bytes); only the first label of a stack is
// decoded.

import "net/netip"

// EVPN route types (RFC 7432 §7, RFC 9136 §3).
const (
	EVPNEthernetAD uint8 = 1 // Ethernet Auto-discovery
	EVPNMACIP      uint8 = 2 // MAC/IP Advertisement
	EVPNMulticast  uint8 = 3 // Inclusive Multicast Ethernet Tag
	EVPNSegment    uint8 = 4 // Ethernet Segment
	EVPNPrefix     uint8 = 5 // IP Prefix
)

// EVPN is one EVPN route. Which fields are set depends on Type:
//   - 1 Ethernet A-D: RD, ESI, EthernetTag, Label
//   - 2 MAC/IP: RD, ESI, EthernetTag, MACLen, MAC, IP (may be invalid), Label
//   - 3 Inclusive Multicast: RD, EthernetTag, IP (originating router)
//   - 4 Ethernet Segment: RD, ESI, IP (originating router)
//   - 5 IP Prefix: RD, ESI, EthernetTag, IPLen, IP, Gateway, Label
//
// Label is the 3 raw bytes of the first label (label value = Label>>4);
// HasLabel says whether there was one.
type EVPN struct {
	PathID      uint32
	Type        uint8
	Parsed      bool
	Raw         []byte // the body after type and length; aliases the input
	RD          RD
	ESI         [10]byte
	EthernetTag uint32
	MACLen      uint8
	MAC         [6]byte
	IPLen       uint8
	IP          netip.Addr
	Gateway     netip.Addr
	Label       uint32
	HasLabel    bool
}

// Family implements [NLRI].
func (EVPN) Family() Family { return L2VPNEVPN }

// AppendNLRI implements [NLRI].
func (e EVPN) AppendNLRI(b []byte, addPath bool) []byte {
	b = afAppendPathID(b, addPath, e.PathID)
	b = append(b, e.Type, byte(len(e.Raw)))
	return append(b, e.Raw...)
}

// EVPNName is ExaBGP's name of an EVPN route type ("MAC/IP advertisement").
func EVPNName(t uint8) string {
	switch t {
	case EVPNEthernetAD:
		return "Ethernet Auto-Discovery"
	case EVPNMACIP:
		return "MAC/IP advertisement"
	case EVPNMulticast:
		return "Inclusive Multicast Ethernet Tag"
	case EVPNSegment:
		return "Ethernet Segment"
	case EVPNPrefix:
		return "IP Prefix Advertisement"
	}
	return "Unknown"
}

func init() { registerNLRI(decodeEVPN, L2VPNEVPN) }

// decodeEVPN decodes one EVPN NLRI (RFC 7432 §7).
func decodeEVPN(_ Family, b []byte, addPath bool) (NLRI, int, error) {
	id, b, n, err := afPathID(b, addPath)
	if err != nil {
		return nil, 0, err
	}
	if len(b) < 2 {
		return nil, 0, afReset("EVPN NLRI too short: need at least 2 bytes")
	}
	l := int(b[1])
	if 2+l > len(b) {
		return nil, 0, afReset("EVPN NLRI truncated")
	}
	n += 2 + l
	e := EVPN{PathID: id, Type: b[0], Raw: b[2 : 2+l]}
	if err := e.parse(); err != nil {
		return nil, n, err
	}
	return e, n, nil
}

// parse fills the typed fields from Raw.
func (e *EVPN) parse() error {
	var err error
	switch e.Type {
	case EVPNEthernetAD:
		err = e.parseEthernetAD(e.Raw)
	case EVPNMACIP:
		err = e.parseMACIP(e.Raw)
	case EVPNMulticast:
		err = e.parseMulticast(e.Raw)
	case EVPNSegment:
		err = e.parseSegment(e.Raw)
	case EVPNPrefix:
		err = e.parsePrefix(e.Raw)
	default:
		return nil
	}
	e.Parsed = err == nil
	return err
}

// parseEthernetAD: RD(8) ESI(10) ETag(4) label stack (RFC 7432 §7.1).
func (e *EVPN) parseEthernetAD(d []byte) error {
	if len(d) < 22 || (len(d)-22)%3 != 0 {
		return afWithdraw("Ethernet A-D EVPN NLRI has an invalid length")
	}
	e.RD, e.ESI, e.EthernetTag = RD(d), [10]byte(d[8:]), afU32(d[18:])
	e.label(d[22:])
	return nil
}

// parseMACIP: RD ESI ETag MAClen MAC IPlen IP label1 [label2] (RFC 7432 §7.2).
func (e *EVPN) parseMACIP(d []byte) error {
	if len(d) < 30 {
		return afWithdraw("MAC/IP advertisement EVPN NLRI is too short")
	}
	e.RD, e.ESI, e.EthernetTag = RD(d), [10]byte(d[8:]), afU32(d[18:])
	e.MACLen, e.MAC = d[22], [6]byte(d[23:])
	if e.MACLen > 48 {
		return afWithdraw("invalid MAC Address length in MAC/IP advertisement")
	}
	e.IPLen = d[29]
	size := int(e.IPLen) / 8
	if (e.IPLen != 0 && e.IPLen != 32 && e.IPLen != 128) || (len(d) != 33+size && len(d) != 36+size) {
		return afWithdraw("MAC/IP advertisement EVPN NLRI has an invalid IP or data length")
	}
	e.IP, _ = afAddr(d[30 : 30+size])
	e.label(d[30+size:])
	return nil
}

// parseMulticast: RD ETag IPlen IP (RFC 7432 §7.3).
func (e *EVPN) parseMulticast(d []byte) error {
	if len(d) < 13 || (d[12] != 32 && d[12] != 128) || len(d) != 13+int(d[12])/8 {
		return afWithdraw("Inclusive Multicast EVPN NLRI has an invalid IP or data length")
	}
	e.RD, e.EthernetTag, e.IPLen = RD(d), afU32(d[8:]), d[12]
	e.IP, _ = afAddr(d[13:])
	return nil
}

// parseSegment: RD ESI IPlen IP (RFC 7432 §7.4).
func (e *EVPN) parseSegment(d []byte) error {
	if len(d) < 19 || (d[18] != 32 && d[18] != 128) || len(d) != 19+int(d[18])/8 {
		return afWithdraw("Ethernet Segment EVPN NLRI has an invalid IP or data length")
	}
	e.RD, e.ESI, e.IPLen = RD(d), [10]byte(d[8:]), d[18]
	e.IP, _ = afAddr(d[19:])
	return nil
}

// parsePrefix: RD ESI ETag IPlen IP GW label, 34 or 58 bytes (RFC 9136 §3.1).
func (e *EVPN) parsePrefix(d []byte) error {
	size := 4
	switch len(d) {
	case 34:
	case 58:
		size = 16
	default:
		return afWithdraw("IP Prefix EVPN NLRI length is neither 34 (IPv4) nor 58 (IPv6)")
	}
	e.RD, e.ESI, e.EthernetTag, e.IPLen = RD(d), [10]byte(d[8:]), afU32(d[18:]), d[22]
	e.IP, _ = afAddr(d[23 : 23+size])
	e.Gateway, _ = afAddr(d[23+size : 23+2*size])
	e.label(d[23+2*size:])
	return nil
}

// label records the first label of a stack, if any.
func (e *EVPN) label(d []byte) {
	if len(d) >= 3 {
		e.Label, e.HasLabel = afU24(d), true
	}
}
