package wire

import "net/netip"

// PMSI tunnel types (RFC 6514 §5) ExaBGP names.
const (
	PMSINoTunnel           uint8 = 0
	PMSIIngressReplication uint8 = 6
)

var pmsiNames = [...]string{"No tunnel", "RSVP-TE P2MP LSP", "mLDP P2MP LSP", "PIM-SSM Tree",
	"PIM-SM Tree", "BIDIR-PIM Tree", "Ingress Replication", "mLDP MP2MP LSP"}

// PMSI is the PMSI_TUNNEL attribute (RFC 6514 §5), carried in
// [Attributes].Other as a [RawAttr]; DecodePMSI and Append convert.
// RawLabel is the 3-octet MPLS label field as sent; Label its 20-bit value.
// TunnelID aliases the attribute.
type PMSI struct {
	Flags      uint8
	TunnelType uint8
	RawLabel   uint32
	TunnelID   []byte
}

// Label is the MPLS label value (RFC 6514 §5: the high-order 20 bits).
func (p PMSI) Label() uint32 { return p.RawLabel >> 4 }

// DecodePMSI decodes a PMSI_TUNNEL value: 3/5 when shorter than 5 octets.
func DecodePMSI(v []byte) (PMSI, error) {
	if len(v) < 5 {
		return PMSI{}, &NotifyError{Code: CodeUpdate, Subcode: SubcodeAttrLength, Attr: AttrPMSI,
			Reason: "could not decode PMSI tunnel, not enough data for the header"}
	}
	return PMSI{Flags: v[0], TunnelType: v[1], RawLabel: uint32(v[2])<<16 | uint32(v[3])<<8 | uint32(v[4]),
		TunnelID: v[5:]}, nil
}

// NewPMSIIngressReplication is ExaBGP's `pmsi ingress-replication`: tunnel
// type 6 with an IPv4 tunnel endpoint and the label shifted into place.
func NewPMSIIngressReplication(ip netip.Addr, label uint32, flags uint8) PMSI {
	return PMSI{Flags: flags, TunnelType: PMSIIngressReplication, RawLabel: label << 4 & 0xffffff,
		TunnelID: appendAddr4(nil, ip)}
}

// AppendValue appends the attribute value (without the attribute header).
func (p PMSI) AppendValue(b []byte) []byte {
	b = append(b, p.Flags, p.TunnelType, byte(p.RawLabel>>16), byte(p.RawLabel>>8), byte(p.RawLabel))
	return append(b, p.TunnelID...)
}

// Raw returns the attribute as it goes in [Attributes].Other (allocates).
func (p PMSI) Raw() RawAttr {
	return RawAttr{Flags: FlagOptional | FlagTransitive, Code: AttrPMSI, Value: p.AppendValue(nil)}
}

// TunnelName is ExaBGP's name of the tunnel type, or "unknown".
func (p PMSI) TunnelName() string {
	if int(p.TunnelType) < len(pmsiNames) {
		return pmsiNames[p.TunnelType]
	}
	return "unknown"
}

// String is ExaBGP's text of a received PMSI,
// "pmsi:<type>:<flags>:<label>:<tunnel>": the type name lower-cased without
// spaces; for ingress replication the label as "label(raw)" and the tunnel
// an IPv4 address; otherwise the tunnel as 0x and hex.
func (p PMSI) String() string {
	b := append([]byte(nil), "pmsi:"...)
	for _, c := range []byte(p.TunnelName()) {
		if c == ' ' {
			continue
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	b = appendUint(append(b, ':'), uint64(p.Flags))
	b = appendUint(append(b, ':'), uint64(p.Label()))
	if p.TunnelType == PMSIIngressReplication && len(p.TunnelID) == 4 && p.RawLabel != 0 {
		b = append(appendUint(append(b, '('), uint64(p.RawLabel)), ')')
	}
	b = append(b, ':')
	switch {
	case p.TunnelType == PMSIIngressReplication && len(p.TunnelID) == 4:
		b = netip.AddrFrom4([4]byte(p.TunnelID)).AppendTo(b)
	case p.TunnelType == PMSINoTunnel && len(p.TunnelID) == 0:
	case len(p.TunnelID) > 0:
		b = appendHexString(b, p.TunnelID)
	}
	return string(b)
}
