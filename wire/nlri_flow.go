package wire

// FlowSpec NLRI: RFC 8955 (IPv4, flow and flow-vpn) and RFC 8956 (IPv6).
//
// Deviations, all following ExaBGP 5.0 so that ExaGo is a drop-in:
//   - components of the same type may repeat (ExaBGP accepts several
//     destinations); the order must not decrease, where RFC 8955 §4.2 asks
//     for strictly increasing types;
//   - an IPv6 prefix component carries ceil(length/8) pattern bytes whatever
//     its offset (RFC 8956 §3.1 says ceil((length-offset)/8)); with offset 0,
//     the only one ExaBGP's configuration produces, both agree;
//   - the 2-byte NLRI length is (0xF0|high nibble)<<8 | low byte as RFC 8955
//     §4.1 says (ExaBGP shifts the nibble by 16, a bug that only bites
//     above 255 bytes).

import (
	"errors"
	"net/netip"
)

// FlowSpec component types (RFC 8955 §4.2.2, RFC 8956 §3). For IPv6,
// FlowProtocol is "next-header" and FlowDSCP "traffic-class"; FlowLabel
// exists only for IPv6.
const (
	FlowDestination     uint8 = 1
	FlowSource          uint8 = 2
	FlowProtocol        uint8 = 3
	FlowPort            uint8 = 4
	FlowDestinationPort uint8 = 5
	FlowSourcePort      uint8 = 6
	FlowICMPType        uint8 = 7
	FlowICMPCode        uint8 = 8
	FlowTCPFlags        uint8 = 9
	FlowPacketLength    uint8 = 10
	FlowDSCP            uint8 = 11
	FlowFragment        uint8 = 12
	FlowLabel           uint8 = 13
)

// FlowSpec operator bits (RFC 8955 §4.2.1). The length bits (0x30) are
// never part of [FlowOp].Op: encoders choose them from the value.
const (
	FlowOpEnd   uint8 = 0x80 // end-of-list
	FlowOpAnd   uint8 = 0x40 // AND with the previous term (else OR)
	flowOpLen   uint8 = 0x30
	FlowOpLT    uint8 = 0x04 // numeric: less than
	FlowOpGT    uint8 = 0x02 // numeric: greater than
	FlowOpEQ    uint8 = 0x01 // numeric: equal
	FlowOpNot   uint8 = 0x02 // bitmask: negate
	FlowOpMatch uint8 = 0x01 // bitmask: all bits (else any bit)
)

// flowMaxLen is the largest NLRI the 2-byte length form can carry.
const flowMaxLen = 0x0FFF

// Flow is one FlowSpec rule (RFC 8955 §4): its family (ipv4/ipv6 flow or
// flow-vpn), the route distinguisher for flow-vpn, and the packed
// components, validated at decode time. Rules aliases the decoded message;
// walk it with [Flow.Components].
type Flow struct {
	Fam    Family
	PathID uint32
	RD     RD // flow-vpn only
	Rules  []byte
}

// Family implements [NLRI].
func (f Flow) Family() Family { return f.Fam }

// AppendNLRI implements [NLRI]: length (1 or 2 bytes), RD for flow-vpn,
// components.
func (f Flow) AppendNLRI(b []byte, addPath bool) []byte {
	b = afAppendPathID(b, addPath, f.PathID)
	n := len(f.Rules)
	if f.Fam.SAFI == SAFIFlowVPN {
		n += 8
	}
	if n < 0xF0 {
		b = append(b, byte(n))
	} else {
		b = append(b, 0xF0|byte(n>>8), byte(n))
	}
	if f.Fam.SAFI == SAFIFlowVPN {
		b = append(b, f.RD[:]...)
	}
	return append(b, f.Rules...)
}

func init() {
	registerNLRI(decodeFlow, IPv4Flow, IPv6Flow, IPv4FlowVPN, IPv6FlowVPN)
}

// decodeFlow decodes one FlowSpec NLRI (RFC 8955 §4.1). A length beyond the
// data resets the session; malformed components are treat-as-withdraw
// (RFC 8955 §4.2, RFC 7606 §5.3: the length still frames the NLRI).
func decodeFlow(fam Family, b []byte, addPath bool) (NLRI, int, error) {
	id, b, n, err := afPathID(b, addPath)
	if err != nil {
		return nil, 0, err
	}
	if len(b) == 0 {
		return nil, 0, afReset("not enough data to extract the length of the flow NLRI")
	}
	l, hdr := int(b[0]), 1
	if l&0xF0 == 0xF0 {
		if len(b) < 2 {
			return nil, 0, afReset("not enough data to extract the extended length of the flow NLRI")
		}
		l, hdr = (l&0x0F)<<8|int(b[1]), 2
	}
	if l > len(b)-hdr {
		return nil, 0, afReset("invalid length at the start of the flow NLRI")
	}
	body := b[hdr : hdr+l]
	n += hdr + l
	f := Flow{Fam: fam, PathID: id}
	if fam.SAFI == SAFIFlowVPN {
		if len(body) < 8 {
			return nil, n, afWithdraw("not enough data for the route distinguisher of the flow NLRI")
		}
		f.RD = RD(body)
		body = body[8:]
	}
	f.Rules = body
	if err := flowCheck(fam.AFI, body); err != nil {
		return nil, n, err
	}
	return f, n, nil
}

// flowCheck walks every component once so iteration cannot fail later.
func flowCheck(afi AFI, b []byte) error {
	last := uint8(0)
	for len(b) > 0 {
		c, rest, err := flowNext(afi, b)
		if err != nil {
			return err
		}
		if c.Type < last {
			return afWithdraw("flow components are not sent in the right order")
		}
		last = c.Type
		b = rest
	}
	return nil
}

// FlowKnown reports whether t is a component type of family afi.
func FlowKnown(afi AFI, t uint8) bool {
	if afi == AFIIPv6 {
		return t >= FlowDestination && t <= FlowLabel
	}
	return t >= FlowDestination && t <= FlowFragment
}

// FlowIsPrefix reports whether components of type t carry a prefix.
func FlowIsPrefix(t uint8) bool { return t == FlowDestination || t == FlowSource }

// FlowIsBitmask reports whether components of type t use bitmask operators
// (tcp-flags, fragment; RFC 8955 §4.2.1.2), not numeric ones.
func FlowIsBitmask(t uint8) bool { return t == FlowTCPFlags || t == FlowFragment }

// flowNext decodes the component at the front of b.
func flowNext(afi AFI, b []byte) (FlowComponent, []byte, error) {
	c := FlowComponent{Type: b[0]}
	if !FlowKnown(afi, c.Type) {
		return c, nil, afWithdraw("unknown flowspec component received for the address family")
	}
	b = b[1:]
	if FlowIsPrefix(c.Type) {
		return flowPrefix(afi, c, b)
	}
	for i := 0; ; {
		if i >= len(b) {
			return c, nil, afWithdraw("flow component operator list is not terminated")
		}
		op := b[i]
		size := 1 << ((op & flowOpLen) >> 4)
		i += 1 + size
		if i > len(b) {
			return c, nil, afWithdraw("flow component value is longer than the data left")
		}
		if op&FlowOpEnd != 0 {
			c.ops = b[:i]
			return c, b[i:], nil
		}
	}
}

// flowPrefix decodes a destination/source prefix: length, [offset (IPv6)],
// pattern bytes.
func flowPrefix(afi AFI, c FlowComponent, b []byte) (FlowComponent, []byte, error) {
	hdr := 1
	if afi == AFIIPv6 {
		hdr = 2
	}
	if len(b) < hdr {
		return c, nil, afWithdraw("flow prefix component is truncated")
	}
	bits := int(b[0])
	if bits > afAddrBits(afi) {
		return c, nil, afWithdraw("flow prefix component has an invalid mask")
	}
	if afi == AFIIPv6 {
		c.Offset = b[1]
	}
	size := (bits + 7) / 8
	if len(b) < hdr+size {
		return c, nil, afWithdraw("flow prefix component is truncated")
	}
	c.Prefix = afPrefixFrom(afi, b[hdr:hdr+size], bits)
	return c, b[hdr+size:], nil
}

// FlowComponent is one decoded component: a prefix (Type 1 or 2, with the
// IPv6 Offset) or a list of operator/value terms walked with Ops.
type FlowComponent struct {
	Type   uint8
	Prefix netip.Prefix
	Offset uint8
	ops    []byte
}

// Ops iterates over the component's operator/value terms.
func (c FlowComponent) Ops() FlowOps { return FlowOps{rest: c.ops} }

// FlowOp is one operator/value term. Op holds the operator byte without its
// length bits (FlowOpEnd, FlowOpAnd and the comparison bits).
type FlowOp struct {
	Op    uint8
	Value uint64
}

// FlowOps iterates over a component's terms without allocating.
type FlowOps struct {
	rest []byte
	cur  FlowOp
}

// Next advances to the next term and reports whether there is one.
func (o *FlowOps) Next() bool {
	if len(o.rest) == 0 {
		return false
	}
	op := o.rest[0]
	size := 1 << ((op & flowOpLen) >> 4)
	if 1+size > len(o.rest) {
		o.rest = nil
		return false
	}
	o.cur = FlowOp{Op: op &^ flowOpLen, Value: afUint(o.rest[1 : 1+size])}
	o.rest = o.rest[1+size:]
	return true
}

// Op returns the current term.
func (o *FlowOps) Op() FlowOp { return o.cur }

// FlowIter iterates over a rule's components without allocating.
type FlowIter struct {
	afi  AFI
	rest []byte
	cur  FlowComponent
}

// Components iterates over f's components in wire order.
func (f Flow) Components() FlowIter { return FlowIter{afi: f.Fam.AFI, rest: f.Rules} }

// Next advances to the next component and reports whether there is one.
func (it *FlowIter) Next() bool {
	if len(it.rest) == 0 {
		return false
	}
	c, rest, err := flowNext(it.afi, it.rest)
	if err != nil {
		it.rest = nil
		return false
	}
	it.cur, it.rest = c, rest
	return true
}

// Component returns the current component.
func (it *FlowIter) Component() FlowComponent { return it.cur }

// FlowMatch is one component to build a rule from (configuration, API):
// a prefix for FlowDestination/FlowSource, else its terms in order.
type FlowMatch struct {
	Type   uint8
	Prefix netip.Prefix
	Offset uint8
	Ops    []FlowOp
}

var (
	errFlowType   = errors.New("flow: component type not valid for the address family")
	errFlowPrefix = errors.New("flow: prefix does not match the address family")
	errFlowEmpty  = errors.New("flow: component without any term")
	errFlowLong   = errors.New("flow: rule larger than the NLRI encoding allows")
)

// NewFlow builds a rule of family fam from matches, emitting the components
// in ascending type order (RFC 8955 §4.2) and, within a type, in the order
// given; terms of one type share one type byte and end-of-list goes on the
// last, as ExaBGP does. rd is used for flow-vpn only.
func NewFlow(fam Family, rd RD, m []FlowMatch) (Flow, error) {
	f := Flow{Fam: fam, RD: rd}
	var err error
	f.Rules, err = AppendFlowRules(nil, fam.AFI, m)
	if err != nil {
		return Flow{}, err
	}
	n := len(f.Rules)
	if fam.SAFI == SAFIFlowVPN {
		n += 8
	}
	if n > flowMaxLen {
		return Flow{}, errFlowLong
	}
	return f, nil
}

// AppendFlowRules appends the packed components of m to b (see [NewFlow]).
func AppendFlowRules(b []byte, afi AFI, m []FlowMatch) ([]byte, error) {
	for i := range m {
		if !FlowKnown(afi, m[i].Type) {
			return b, errFlowType
		}
	}
	for t := FlowDestination; t <= FlowLabel; t++ {
		var err error
		if b, err = flowAppendType(b, afi, t, m); err != nil {
			return b, err
		}
	}
	return b, nil
}

// flowAppendType appends every match of type t.
func flowAppendType(b []byte, afi AFI, t uint8, m []FlowMatch) ([]byte, error) {
	if FlowIsPrefix(t) {
		for i := range m {
			if m[i].Type != t {
				continue
			}
			p := m[i].Prefix
			if !p.IsValid() || p.Addr().Is4() != (afi == AFIIPv4) {
				return b, errFlowPrefix
			}
			b = append(b, t, byte(p.Bits()))
			if afi == AFIIPv6 {
				b = append(b, m[i].Offset)
			}
			b = afAppendPrefixBytes(b, p)
		}
		return b, nil
	}
	start, last := len(b), -1
	for i := range m {
		if m[i].Type != t {
			continue
		}
		if len(m[i].Ops) == 0 {
			return b, errFlowEmpty
		}
		if last < 0 {
			b = append(b, t)
		}
		for _, op := range m[i].Ops {
			last = len(b)
			b = flowAppendOp(b, op)
		}
	}
	if last >= start && last >= 0 {
		b[last] |= FlowOpEnd
	}
	return b, nil
}

// flowAppendOp appends one term with the smallest length holding its
// value, end-of-list cleared (the caller sets it on the last term).
func flowAppendOp(b []byte, op FlowOp) []byte {
	o := op.Op &^ (FlowOpEnd | flowOpLen)
	v := op.Value
	switch {
	case v < 1<<8:
		return append(b, o, byte(v))
	case v < 1<<16:
		return append(b, o|0x10, byte(v>>8), byte(v))
	case v < 1<<32:
		return afAppendU32(append(b, o|0x20), uint32(v))
	}
	b = append(b, o|0x30)
	return afAppendU32(afAppendU32(b, uint32(v>>32)), uint32(v))
}

var flowNames4 = [...]string{"", "destination-ipv4", "source-ipv4", "protocol", "port",
	"destination-port", "source-port", "icmp-type", "icmp-code", "tcp-flags",
	"packet-length", "dscp", "fragment"}

var flowNames6 = [...]string{"", "destination-ipv6", "source-ipv6", "next-header", "port",
	"destination-port", "source-port", "icmp-type", "icmp-code", "tcp-flags",
	"packet-length", "traffic-class", "fragment", "flow-label"}

// FlowName is ExaBGP's keyword for component type t of family afi
// ("destination-ipv4", "next-header", ...), or "" when t is unknown.
func FlowName(afi AFI, t uint8) string {
	if afi == AFIIPv6 {
		if int(t) < len(flowNames6) {
			return flowNames6[t]
		}
		return ""
	}
	if int(t) < len(flowNames4) {
		return flowNames4[t]
	}
	return ""
}

// FlowType maps ExaBGP's keyword back to the component type for afi.
func FlowType(afi AFI, name string) (uint8, bool) {
	names := flowNames4[:]
	if afi == AFIIPv6 {
		names = flowNames6[:]
	}
	for i := 1; i < len(names); i++ {
		if names[i] == name {
			return uint8(i), true
		}
	}
	return 0, false
}
