package format

import (
	"net/netip"

	"exago/wire"
)

// This file renders FlowSpec NLRI (RFC 8955, RFC 8956) as ExaBGP 5.0's
// Flow.json() and Flow.extensive() (bgp/message/update/nlri/flow.py):
// components grouped by type in wire order, AND-ed terms joined into one
// value, names of protocols, ICMP types, TCP flags and fragment bits as
// exabgp/protocol spells them.
// An announced flow whose MP_REACH carried a next hop shows it, as
// ExaBGP does, as `"next-hop"` and " next-hop X" at the end of "string"
// (the JSONNextHop hook); withdrawn flows and `decode -n` have none.
//
// A flow NLRI that is framed but malformed (unknown component, components
// out of order, truncated value, short RD) is dropped silently and the
// UPDATE goes on, as ExaBGP's Flow.unpack_nlri returns no NLRI for it
// (DropMalformed). `decode -n` skips it too, where ExaBGP 5.0.13 crashes.

func init() {
	registerFamily(FamilyRenderer{JSON: flowJSON, Text: flowText, JSONNextHop: FlowJSONNextHop, DropMalformed: true},
		wire.IPv4Flow, wire.IPv6Flow, wire.IPv4FlowVPN, wire.IPv6FlowVPN)
}

// flowJSON appends the JSON of a flow received without a next hop.
func flowJSON(b []byte, n wire.NLRI, st Style) []byte {
	return FlowJSONNextHop(b, n, netip.Addr{}, st)
}

// FlowJSONNextHop appends `{ "name": [ "v", ... ], ..., ["rd": "x", ]
// ["next-hop": "nh", ]"string": "flow ...[ next-hop nh]" }`: nh is the
// MP_REACH next hop, invalid when there was none. It is the family's
// JSONNextHop hook.
func FlowJSONNextHop(b []byte, n wire.NLRI, nh netip.Addr, st Style) []byte {
	f, ok := n.(wire.Flow)
	if !ok {
		return append(b, "{ }"...)
	}
	b = append(b, "{ "...)
	it := f.Components()
	for it.Next() {
		c := it.Component()
		b = appendKey(b, wire.FlowName(f.Fam.AFI, c.Type))
		b = append(b, "[ "...)
		b, _ = flowGroup(b, f.Fam.AFI, c, &it, ", ", '"', '"', flowStyle{d: st.Dialect})
		b = append(b, " ], "...)
	}
	if f.Fam.SAFI == wire.SAFIFlowVPN {
		b = append(b, `"rd": "`...)
		b = appendRD(b, f.RD[:])
		b = append(b, `", `...)
	}
	if nh.IsValid() {
		b = append(b, `"next-hop": `...)
		b = appendQuotedAddr(b, nh)
		b = append(b, ", "...)
	}
	b = append(b, `"string": "`...)
	b = flowTextD(b, n, flowStyle{d: st.Dialect})
	if nh.IsValid() {
		b = append(b, " next-hop "...)
		b = nh.AppendTo(b)
	}
	return append(b, `" }`...)
}

// flowText appends ExaBGP's extensive(): "flow" then " name value" or
// " name [ v1 v2 ]" per type, then " rd X" for flow-vpn.
func flowText(b []byte, n wire.NLRI) []byte { return flowTextD(b, n, flowStyle{}) }

// flowTextNamed is flowText for a flow built from a configuration or an
// API command: ExaBGP holds its ports as Port values, which print their
// service name ("=http"), where the ports of a decoded flow are plain
// numbers ("=80").
func flowTextNamed(b []byte, n wire.NLRI) []byte { return flowTextD(b, n, flowStyle{ports: true}) }

// flowStyle is what a flow's rendering depends on: the dialect, and
// whether ports print by service name.
type flowStyle struct {
	d     Dialect
	ports bool
}

// flowTextD is flowText in style st.
func flowTextD(b []byte, n wire.NLRI, d flowStyle) []byte {
	f, ok := n.(wire.Flow)
	if !ok {
		return b
	}
	b = append(b, "flow"...)
	it := f.Components()
	for it.Next() {
		c := it.Component()
		b = append(b, ' ')
		b = append(b, wire.FlowName(f.Fam.AFI, c.Type)...)
		b = append(b, ' ')
		mark := len(b)
		b = append(b, "[ "...)
		start := len(b)
		var terms int
		b, terms = flowGroup(b, f.Fam.AFI, c, &it, " ", 0, 0, d)
		if terms <= 1 {
			b = append(b[:mark], b[start:]...)
		} else {
			b = append(b, " ]"...)
		}
	}
	if f.Fam.SAFI == wire.SAFIFlowVPN {
		b = append(b, " rd "...)
		b = appendRD(b, f.RD[:])
	}
	return b
}

// flowGroup appends the values of c and of every following component of
// the same type (advancing it past them) and returns how many terms it
// wrote. sep goes between OR-ed values; open/close quote each value when
// not 0.
func flowGroup(b []byte, afi wire.AFI, c wire.FlowComponent, it *wire.FlowIter, sep string, open, close byte, d flowStyle) ([]byte, int) {
	terms := 0
	for first := true; ; first = false {
		if !first {
			b = append(b, sep...)
		}
		if open != 0 {
			b = append(b, open)
		}
		var n int
		b, n = flowValues(b, afi, c, sep, open, close, d)
		terms += n
		if close != 0 {
			b = append(b, close)
		}
		next := *it
		if !next.Next() || next.Component().Type != c.Type {
			return b, terms
		}
		*it = next
		c = it.Component()
	}
}

// flowValues appends one component's terms: a prefix, or the terms with
// sep (and quotes) before every OR-ed term, and returns the term count.
func flowValues(b []byte, afi wire.AFI, c wire.FlowComponent, sep string, open, close byte, d flowStyle) ([]byte, int) {
	if wire.FlowIsPrefix(c.Type) {
		b = appendPrefix(b, c.Prefix)
		if afi == wire.AFIIPv6 {
			b = append(b, '/')
			b = appendUint(b, uint64(c.Offset))
		}
		return b, 1
	}
	ops := c.Ops()
	n := 0
	for first := true; ops.Next(); first = false {
		n++
		op := ops.Op()
		if !first && op.Op&wire.FlowOpAnd == 0 {
			if close != 0 {
				b = append(b, close)
			}
			b = append(b, sep...)
			if open != 0 {
				b = append(b, open)
			}
		}
		b = flowTerm(b, afi, c.Type, op, d)
	}
	return b, n
}

// flowTerm appends one term as NumericString/BinaryString.short() do.
func flowTerm(b []byte, afi wire.AFI, t uint8, op wire.FlowOp, d flowStyle) []byte {
	o := op.Op &^ wire.FlowOpEnd
	if wire.FlowIsBitmask(t) {
		if o&^(wire.FlowOpAnd|wire.FlowOpNot|wire.FlowOpMatch) != 0 {
			b = flowHexOp(b, o)
		} else {
			if o&wire.FlowOpAnd != 0 {
				b = append(b, '&')
			}
			if o&wire.FlowOpNot != 0 {
				b = append(b, '!')
			}
			if o&wire.FlowOpMatch != 0 {
				b = append(b, '=')
			}
		}
		return flowBits(b, t, op.Value)
	}
	if o == 7 || o == 0 {
		return append(b, flowNumericName(o)...)
	}
	if o&^(wire.FlowOpAnd|7) != 0 {
		b = flowHexOp(b, o)
	} else {
		if o&wire.FlowOpAnd != 0 {
			b = append(b, '&')
		}
		b = append(b, flowNumericName(o&7)...)
	}
	return flowNumber(b, afi, t, op.Value, d)
}

// flowNumericName spells the comparison bits (lt 4, gt 2, eq 1).
func flowNumericName(o uint8) string {
	switch o {
	case 0:
		return "false"
	case 1:
		return "="
	case 2:
		return ">"
	case 3:
		return ">="
	case 4:
		return "<"
	case 5:
		return "<="
	case 6:
		return "!="
	}
	return "true"
}

// flowHexOp appends an operator ExaBGP has no name for as two hex digits.
func flowHexOp(b []byte, o uint8) []byte {
	return append(b, hexUpper[o>>4], hexUpper[o&15])
}

// flowNumber appends a numeric value: protocol and ICMP type names where
// ExaBGP knows them (and port names in the ports style), else the number.
func flowNumber(b []byte, afi wire.AFI, t uint8, v uint64, d flowStyle) []byte {
	var name string
	switch t {
	case wire.FlowProtocol:
		name = protocolName(v)
	case wire.FlowICMPType:
		name = icmpTypeName(v)
	case wire.FlowPort, wire.FlowDestinationPort, wire.FlowSourcePort:
		if d.ports {
			name = portName(v)
		}
	}
	if name != "" {
		return append(b, name...)
	}
	if t == wire.FlowProtocol {
		b = append(b, d.d.unknownProtocolPrefix()...)
	}
	return appendUint(b, v)
}

var tcpFlagNames = [...]string{"fin", "syn", "rst", "push", "ack", "urg", "ece", "cwr", "ns"}
var fragmentNames = [...]string{"dont-fragment", "is-fragment", "first-fragment", "last-fragment"}

// flowBits appends a bitmask value as BitResource.__str__: known bits
// joined by '+', then "unknown NAME type V" for what is left.
func flowBits(b []byte, t uint8, v uint64) []byte {
	names, what := tcpFlagNames[:], "tcp flag"
	if t == wire.FlowFragment {
		names, what = fragmentNames[:], "fragment"
	}
	rest, n := v, 0
	for i, name := range names {
		if rest&(1<<i) == 0 {
			continue
		}
		if n > 0 {
			b = append(b, '+')
		}
		n++
		b = append(b, name...)
		rest &^= 1 << i
	}
	if rest != 0 {
		if n > 0 {
			b = append(b, '+')
		}
		b = append(b, "unknown "...)
		b = append(b, what...)
		b = append(b, " type "...)
		b = appendUint(b, v)
	}
	return b
}

// protocolName is exabgp.protocol.Protocol's name of an IP protocol.
func protocolName(v uint64) string {
	switch v {
	case 0x01:
		return "icmp"
	case 0x02:
		return "igmp"
	case 0x06:
		return "tcp"
	case 0x08:
		return "egp"
	case 0x11:
		return "udp"
	case 0x2E:
		return "rsvp"
	case 0x2F:
		return "gre"
	case 0x32:
		return "esp"
	case 0x33:
		return "ah"
	case 0x59:
		return "ospf"
	case 0x5E:
		return "ipip"
	case 0x67:
		return "pim"
	case 0x84:
		return "sctp"
	}
	return ""
}

var icmpTypeNames = map[uint64]string{
	0x00: "echo-reply", 0x03: "unreachable", 0x05: "redirect", 0x08: "echo-request",
	0x09: "router-advertisement", 0x0A: "router-solicit", 0x0B: "time-exceeded",
	0x0C: "parameter-problem", 0x0D: "timestamp", 0x0E: "timestamp-reply", 0x28: "photuris",
	0x29: "experimental-mobility", 0x2A: "extended-echo-request", 0x2B: "extended-echo-reply",
	0xFD: "experimental-one", 0xFE: "experimental-two",
}

// icmpTypeName is exabgp.protocol.ip.icmp.ICMPType's name of a type.
func icmpTypeName(v uint64) string { return icmpTypeNames[v] }
