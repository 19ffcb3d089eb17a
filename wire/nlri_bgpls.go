package wire

// BGP-LS NLRI (bgp-ls bgp-ls, bgp-ls bgp-ls-vpn): RFC 9552 §5.2 (node,
// link, IPv4/IPv6 topology prefix) and RFC 9514 §6 (SRv6 SID). Each NLRI is
// type (2 bytes), total length (2 bytes), [RD (8 bytes), VPN only, inside
// the length], protocol-ID (1 byte), identifier (8 bytes), descriptor TLVs.
//
// The descriptors are kept as received (Descriptors) and walked with
// [LSTLVs]; decoding validates them as ExaBGP 5.0 does (protocol-ID known,
// local node descriptor present and well formed, sizes of the link and
// prefix descriptor TLVs), so walking a decoded NLRI cannot fail. NLRI
// types ExaBGP does not parse stay unparsed (Parsed false).
//
// Deviation: as ExaBGP, the IGP router-ID sub-TLV is only accepted for the
// IS-IS (1, 2), OSPF (3, 6), static (5) and 227 protocol-IDs.

import "net/netip"

// BGP-LS NLRI types (RFC 9552 §5.2, RFC 9514 §6).
const (
	LSNode     uint16 = 1
	LSLink     uint16 = 2
	LSPrefixV4 uint16 = 3
	LSPrefixV6 uint16 = 4
	LSSRv6SID  uint16 = 6
)

// BGP-LS descriptor TLV and node descriptor sub-TLV codes (RFC 9552 §5.2,
// RFC 9514 §6.1).
const (
	LSTLVLocalNode     uint16 = 256
	LSTLVRemoteNode    uint16 = 257
	LSTLVLinkID        uint16 = 258
	LSTLVIPv4Interface uint16 = 259
	LSTLVIPv4Neighbor  uint16 = 260
	LSTLVIPv6Interface uint16 = 261
	LSTLVIPv6Neighbor  uint16 = 262
	LSTLVMultiTopology uint16 = 263
	LSTLVOSPFRouteType uint16 = 264
	LSTLVIPReach       uint16 = 265
	LSTLVSRv6SIDInfo   uint16 = 518
	LSSubASN           uint16 = 512
	LSSubBGPLSID       uint16 = 513
	LSSubOSPFArea      uint16 = 514
	LSSubIGPRouterID   uint16 = 515
)

// LinkState is one BGP-LS NLRI. Raw is the NLRI value after the type, length
// and RD; Descriptors the TLVs after protocol-ID and identifier. Both alias
// the input.
type LinkState struct {
	Fam         Family
	PathID      uint32
	Type        uint16
	Parsed      bool
	RD          RD // bgp-ls-vpn only
	Raw         []byte
	Protocol    uint8
	Identifier  uint64
	Descriptors []byte
}

// Family implements [NLRI].
func (l LinkState) Family() Family { return l.Fam }

// AppendNLRI implements [NLRI].
func (l LinkState) AppendNLRI(b []byte, addPath bool) []byte {
	b = afAppendPathID(b, addPath, l.PathID)
	n := len(l.Raw)
	vpn := l.Fam.SAFI == SAFIBGPLSVPN
	if vpn {
		n += 8
	}
	b = afAppendU16(afAppendU16(b, l.Type), uint16(n))
	if vpn {
		b = append(b, l.RD[:]...)
	}
	return append(b, l.Raw...)
}

// LSName is ExaBGP's "ls-nlri-type" of a BGP-LS NLRI type.
func LSName(t uint16) string {
	switch t {
	case LSNode:
		return "bgpls-node"
	case LSLink:
		return "bgpls-link"
	case LSPrefixV4:
		return "bgpls-prefix-v4"
	case LSPrefixV6:
		return "bgpls-prefix-v6"
	case LSSRv6SID:
		return "bgpls-srv6sid"
	}
	return "Unknown"
}

// Descriptor TLVs of the NLRI, in order.
func (l LinkState) TLVs() LSTLVs { return LSTLVs{rest: l.Descriptors} }

func init() { registerNLRI(decodeBGPLS, BGPLS, BGPLSVPN) }

// decodeBGPLS decodes one BGP-LS NLRI (RFC 9552 §5.2).
func decodeBGPLS(fam Family, b []byte, addPath bool) (NLRI, int, error) {
	id, b, n, err := afPathID(b, addPath)
	if err != nil {
		return nil, 0, err
	}
	if len(b) < 4 {
		return nil, 0, afReset("BGP-LS NLRI too short: need at least 4 bytes")
	}
	l := int(afU16(b[2:]))
	if 4+l > len(b) {
		return nil, 0, afReset("BGP-LS NLRI truncated")
	}
	n += 4 + l
	ls := LinkState{Fam: fam, PathID: id, Type: afU16(b), Raw: b[4 : 4+l]}
	if fam.SAFI == SAFIBGPLSVPN {
		if len(ls.Raw) < 8 {
			return nil, n, afWithdraw("BGP-LS VPN NLRI too short for its route distinguisher")
		}
		ls.RD, ls.Raw = RD(ls.Raw), ls.Raw[8:]
	}
	switch ls.Type {
	case LSNode, LSLink, LSPrefixV4, LSPrefixV6, LSSRv6SID:
	default:
		return ls, n, nil
	}
	if err := ls.parse(); err != nil {
		return nil, n, err
	}
	return ls, n, nil
}

// parse checks the header and descriptors of a known NLRI type.
func (l *LinkState) parse() error {
	if len(l.Raw) < 9 {
		return afWithdraw("BGP-LS NLRI is too short for protocol-ID and identifier")
	}
	l.Protocol, l.Identifier, l.Descriptors = l.Raw[0], afUint(l.Raw[1:9]), l.Raw[9:]
	switch l.Protocol {
	case 1, 2, 3, 4, 5, 6, 227:
	default:
		return afWithdraw("BGP-LS Protocol-ID is not valid")
	}
	if err := lsCheckTLVs(l.Descriptors); err != nil {
		return err
	}
	var err error
	switch l.Type {
	case LSNode, LSSRv6SID:
		err = l.checkNode()
	case LSLink:
		err = l.checkLink()
	default:
		err = l.checkPrefix()
	}
	l.Parsed = err == nil
	return err
}

// checkNode: the first TLV is the local node descriptor (node, SRv6 SID).
func (l *LinkState) checkNode() error {
	it := l.TLVs()
	if !it.Next() || it.Type() != LSTLVLocalNode {
		return afWithdraw("BGP-LS NLRI does not start with a Local Node descriptor")
	}
	return LSCheckNodeDescriptors(l.Protocol, it.Value())
}

// checkLink checks the node descriptors and sized link descriptor TLVs.
func (l *LinkState) checkLink() error {
	for it := l.TLVs(); it.Next(); {
		v := it.Value()
		ok := true
		switch it.Type() {
		case LSTLVLocalNode, LSTLVRemoteNode:
			if err := LSCheckNodeDescriptors(l.Protocol, v); err != nil {
				return err
			}
		case LSTLVLinkID:
			ok = len(v) >= 8
		case LSTLVIPv4Interface, LSTLVIPv6Interface, LSTLVIPv4Neighbor, LSTLVIPv6Neighbor:
			ok = len(v) == 4 || len(v) == 16
		case LSTLVMultiTopology:
			ok = len(v) >= 2
		}
		if !ok {
			return afWithdraw("invalid BGP-LS link descriptor TLV size")
		}
	}
	return nil
}

// checkPrefix: local node and IP reachability are mandatory (RFC 9552 §5.2).
func (l *LinkState) checkPrefix() error {
	var node, reach bool
	for it := l.TLVs(); it.Next(); {
		v := it.Value()
		switch it.Type() {
		case LSTLVLocalNode:
			node = true
			if err := LSCheckNodeDescriptors(l.Protocol, v); err != nil {
				return err
			}
		case LSTLVOSPFRouteType:
			if len(v) != 1 {
				return afWithdraw("invalid BGP-LS OSPF route type TLV size")
			}
		case LSTLVIPReach:
			reach = len(v) >= 1
			if !reach {
				return afWithdraw("invalid BGP-LS IP reachability TLV, no prefix length")
			}
		}
	}
	if !node || !reach {
		return afWithdraw("BGP-LS prefix NLRI is missing the Local Node or IP Reachability TLV")
	}
	return nil
}

// lsCheckTLVs checks the framing of a TLV sequence.
func lsCheckTLVs(b []byte) error {
	for len(b) > 0 {
		if len(b) < 4 {
			return afWithdraw("BGP-LS data ends with a truncated TLV header")
		}
		l := 4 + int(afU16(b[2:]))
		if l > len(b) {
			return afWithdraw("BGP-LS TLV runs past the end of its data")
		}
		b = b[l:]
	}
	return nil
}

// LSTLVs iterates over a BGP-LS TLV sequence (type and length 2 bytes
// each, RFC 9552 §5.1) without allocating. It stops at the first TLV that
// does not fit.
type LSTLVs struct {
	rest []byte
	typ  uint16
	val  []byte
}

// NewLSTLVs iterates over the TLVs in b.
func NewLSTLVs(b []byte) LSTLVs { return LSTLVs{rest: b} }

// Next advances to the next TLV and reports whether there is one.
func (it *LSTLVs) Next() bool {
	if len(it.rest) < 4 {
		return false
	}
	l := 4 + int(afU16(it.rest[2:]))
	if l > len(it.rest) {
		it.rest = nil
		return false
	}
	it.typ, it.val, it.rest = afU16(it.rest), it.rest[4:l], it.rest[l:]
	return true
}

// Type is the current TLV's type.
func (it *LSTLVs) Type() uint16 { return it.typ }

// Value is the current TLV's value.
func (it *LSTLVs) Value() []byte { return it.val }

// LSNodeDescriptor is one node descriptor sub-TLV (RFC 9552 §5.2.1.4):
// AS number or BGP-LS identifier (Number), OSPF area (Addr), or IGP router-
// ID: an IS-IS system ID (SysID, with PSN when HasPSN) or an OSPF router-ID
// (Addr, with the DR address in DR for a pseudonode).
type LSNodeDescriptor struct {
	Type   uint16
	Number uint32
	Addr   netip.Addr
	DR     netip.Addr
	SysID  [6]byte
	IsISIS bool
	PSN    uint8
	HasPSN bool
}

// LSCheckNodeDescriptors validates the sub-TLVs of a node descriptor TLV.
func LSCheckNodeDescriptors(proto uint8, b []byte) error {
	if len(b) == 0 {
		return nil
	}
	for it := NewLSTLVs(b); it.Next(); {
		if _, err := ParseLSNodeDescriptor(proto, it.Type(), it.Value()); err != nil {
			return err
		}
	}
	return lsCheckTLVs(b)
}

// ParseLSNodeDescriptor decodes one node descriptor sub-TLV of a node
// descriptor of protocol proto.
func ParseLSNodeDescriptor(proto uint8, typ uint16, v []byte) (LSNodeDescriptor, error) {
	d := LSNodeDescriptor{Type: typ}
	switch typ {
	case LSSubASN, LSSubBGPLSID:
		if len(v) != 4 {
			return d, afWithdraw("invalid autonomous-system or bgp-ls-identifier sub-tlv")
		}
		d.Number = afU32(v)
		return d, nil
	case LSSubOSPFArea:
		a, ok := afAddr(v)
		if !ok {
			return d, afWithdraw("invalid ospf-area-id sub-tlv")
		}
		d.Addr = a
		return d, nil
	case LSSubIGPRouterID:
		return lsRouterID(proto, d, v)
	}
	return d, afWithdraw("unknown node descriptor sub-tlv")
}

// lsRouterID decodes the IGP router-ID by protocol and size (RFC 9552
// §5.2.1.4).
func lsRouterID(proto uint8, d LSNodeDescriptor, v []byte) (LSNodeDescriptor, error) {
	switch proto {
	case 1, 2:
		if len(v) != 6 && len(v) != 7 {
			return d, afWithdraw("invalid router-id sub-tlv")
		}
		d.IsISIS, d.SysID = true, [6]byte(v)
		if len(v) == 7 {
			d.PSN, d.HasPSN = v[6], true
		}
		return d, nil
	case 3, 5, 6, 227:
		if len(v) != 4 && len(v) != 8 {
			return d, afWithdraw("invalid router-id sub-tlv")
		}
		d.Addr = netip.AddrFrom4([4]byte(v))
		if len(v) == 8 {
			d.DR = netip.AddrFrom4([4]byte(v[4:]))
		}
		return d, nil
	}
	return d, afWithdraw("unknown node descriptor sub-tlv for the protocol")
}
