package wire

// MCAST-VPN NLRI (ipv4/ipv6 mcast-vpn), RFC 6514 §4: route type (1 byte),
// length (1 byte), body. ExaBGP 5.0 parses route types 5 (Source Active
// A-D), 6 (C-multicast Shared Tree Join) and 7 (C-multicast Source Tree
// Join); any other type is kept unparsed (Parsed false). The body is kept
// as received (Raw) and re-encoded unchanged.

import (
	"errors"
	"net/netip"
)

// MCAST-VPN route types ExaBGP parses (RFC 6514 §4.5, §4.6).
const (
	MVPNSourceAD   uint8 = 5 // Source Active A-D route
	MVPNSharedJoin uint8 = 6 // C-multicast Shared Tree Join route
	MVPNSourceJoin uint8 = 7 // C-multicast Source Tree Join route
)

// MVPN is one MCAST-VPN route. Types 6 and 7 carry SourceAS (RFC 6514
// §4.6); for type 6 Source is the C-RP address.
type MVPN struct {
	Fam      Family
	PathID   uint32
	Type     uint8
	Parsed   bool
	Raw      []byte // the body after type and length; aliases the input
	RD       RD
	SourceAS uint32
	Source   netip.Addr
	Group    netip.Addr
}

// Family implements [NLRI].
func (m MVPN) Family() Family { return m.Fam }

// AppendNLRI implements [NLRI].
func (m MVPN) AppendNLRI(b []byte, addPath bool) []byte {
	b = afAppendPathID(b, addPath, m.PathID)
	b = append(b, m.Type, byte(len(m.Raw)))
	return append(b, m.Raw...)
}

// MVPNName is ExaBGP's name of an MCAST-VPN route type.
func MVPNName(t uint8) string {
	switch t {
	case MVPNSourceAD:
		return "Source Active A-D Route"
	case MVPNSharedJoin:
		return "C-Multicast Shared Tree Join route"
	case MVPNSourceJoin:
		return "C-Multicast Source Tree Join route"
	}
	return "Unknown"
}

var errMVPN = errors.New("mcast-vpn: route type must be 5, 6 or 7 with valid source and group")

// NewMVPN builds a route of type 5, 6 or 7 (sourceAS is ignored for 5).
func NewMVPN(fam Family, typ uint8, rd RD, sourceAS uint32, source, group netip.Addr) (MVPN, error) {
	if typ < MVPNSourceAD || typ > MVPNSourceJoin || !source.IsValid() || !group.IsValid() {
		return MVPN{}, errMVPN
	}
	m := MVPN{Fam: fam, Type: typ, Parsed: true, RD: rd, SourceAS: sourceAS, Source: source, Group: group}
	raw := append(make([]byte, 0, 46), rd[:]...)
	if typ != MVPNSourceAD {
		raw = afAppendU32(raw, sourceAS)
	}
	raw = afAppendAddr(append(raw, byte(source.BitLen())), source)
	m.Raw = afAppendAddr(append(raw, byte(group.BitLen())), group)
	return m, nil
}

func init() { registerNLRI(decodeMVPN, IPv4McastVPN, IPv6McastVPN) }

// decodeMVPN decodes one MCAST-VPN NLRI (RFC 6514 §4).
func decodeMVPN(fam Family, b []byte, addPath bool) (NLRI, int, error) {
	id, b, n, err := afPathID(b, addPath)
	if err != nil {
		return nil, 0, err
	}
	if len(b) < 2 {
		return nil, 0, afReset("not enough data to extract the header of the mvpn NLRI")
	}
	l := int(b[1])
	if 2+l > len(b) {
		return nil, 0, afReset("the mvpn NLRI announces more data than it carries")
	}
	n += 2 + l
	m := MVPN{Fam: fam, PathID: id, Type: b[0], Raw: b[2 : 2+l]}
	if m.Type < MVPNSourceAD || m.Type > MVPNSourceJoin {
		return m, n, nil
	}
	if err := m.parse(); err != nil {
		return nil, n, err
	}
	return m, n, nil
}

// parse reads RD, [source AS], source and group from Raw.
func (m *MVPN) parse() error {
	d := m.Raw
	hdr := 8
	if m.Type != MVPNSourceAD {
		hdr = 12
	}
	if len(d) < hdr+1 {
		return afWithdraw("mvpn route is too short")
	}
	m.RD = RD(d)
	if hdr == 12 {
		m.SourceAS = afU32(d[8:])
	}
	var ok bool
	d = d[hdr:]
	if m.Source, d, ok = afLenAddr(d); !ok {
		return afWithdraw("mvpn route source is not a 32 or 128 bit address")
	}
	if m.Group, d, ok = afLenAddr(d); !ok || len(d) != 0 {
		return afWithdraw("mvpn route group is not a 32 or 128 bit address")
	}
	m.Parsed = true
	return nil
}

// afLenAddr reads a length-in-bits (32 or 128) prefixed address.
func afLenAddr(d []byte) (netip.Addr, []byte, bool) {
	if len(d) < 1 || (d[0] != 32 && d[0] != 128) || len(d) < 1+int(d[0])/8 {
		return netip.Addr{}, nil, false
	}
	size := int(d[0]) / 8
	a, _ := afAddr(d[1 : 1+size])
	return a, d[1+size:], true
}
