package wire

import (
	"math"
	"net/netip"
)

// Extended community helpers (RFC 4360, RFC 5668, RFC 7153, RFC 8955,
// RFC 4761, draft-ietf-bess-mup-safi ...): constructors for the kinds
// ExaBGP 5.0 builds, and its names for the kinds it decodes. ExaBGP looks a
// community up by (type & 0x0F, subtype), ignoring the IANA and transitive
// bits, and so does [ExtCommunity.Name].

// Value is the community as one 64-bit number (ExaBGP's JSON "value").
func (c ExtCommunity) Value() uint64 { return be.Uint64(c[:]) }

// Transitive reports whether the T bit says transitive (RFC 4360 §2).
func (c ExtCommunity) Transitive() bool { return c[0]&0x40 == 0 }

func extComm(t, sub uint8) ExtCommunity { return ExtCommunity{t, sub} }

// RouteTarget is target:asn:n (RFC 4360 §4): a 2-octet-AS community (type
// 0x00) when asn fits, else a 4-octet-AS one (type 0x02, n truncated to 16
// bits).
func RouteTarget(asn uint32, n uint32) ExtCommunity { return asExt(0x02, asn, n) }

// RouteOrigin is origin:asn:n (RFC 4360 §5), chosen as RouteTarget.
func RouteOrigin(asn uint32, n uint32) ExtCommunity { return asExt(0x03, asn, n) }

func asExt(sub uint8, asn, n uint32) ExtCommunity {
	if asn <= 0xffff {
		c := extComm(0x00, sub)
		be.PutUint16(c[2:], uint16(asn))
		be.PutUint32(c[4:], n)
		return c
	}
	c := extComm(0x02, sub)
	be.PutUint32(c[2:], asn)
	be.PutUint16(c[6:], uint16(n))
	return c
}

// RouteTargetIP is target:a.b.c.d:n (type 0x01).
func RouteTargetIP(a netip.Addr, n uint16) ExtCommunity { return ipExt(0x02, a, n) }

// RouteOriginIP is origin:a.b.c.d:n (type 0x01).
func RouteOriginIP(a netip.Addr, n uint16) ExtCommunity { return ipExt(0x03, a, n) }

func ipExt(sub uint8, a netip.Addr, n uint16) ExtCommunity {
	c := extComm(0x01, sub)
	copy(c[2:6], appendAddr4(nil, a))
	be.PutUint16(c[6:], n)
	return c
}

// TrafficRate is the FlowSpec traffic-rate action, bytes per second
// (RFC 8955 §7.3).
func TrafficRate(asn uint16, rate float32) ExtCommunity {
	c := extComm(0x80, 0x06)
	be.PutUint16(c[2:], asn)
	be.PutUint32(c[4:], math.Float32bits(rate))
	return c
}

// TrafficAction is the FlowSpec traffic-action (RFC 8955 §7.4).
func TrafficAction(sample, terminal bool) ExtCommunity {
	c := extComm(0x80, 0x07)
	if sample {
		c[7] |= 0x02
	}
	if terminal {
		c[7] |= 0x01
	}
	return c
}

// Redirect is the FlowSpec redirect to VRF asn:target (RFC 8955 §7.5),
// 4-octet AS form (type 0x82) when asn does not fit 2 octets.
func Redirect(asn uint32, target uint32) ExtCommunity {
	if asn <= 0xffff {
		c := extComm(0x80, 0x08)
		be.PutUint16(c[2:], uint16(asn))
		be.PutUint32(c[4:], target)
		return c
	}
	c := extComm(0x82, 0x08)
	be.PutUint32(c[2:], asn)
	be.PutUint16(c[6:], uint16(target))
	return c
}

// TrafficMark is the FlowSpec traffic-marking DSCP action (RFC 8955 §7.6).
func TrafficMark(dscp uint8) ExtCommunity {
	c := extComm(0x80, 0x09)
	c[7] = dscp
	return c
}

// RedirectToNextHop is draft-simpson-idr-flowspec-redirect's redirect (or
// copy) to the UPDATE's next hop.
func RedirectToNextHop(copyTraffic bool) ExtCommunity {
	c := extComm(0x08, 0x00)
	if copyTraffic {
		c[7] = 1
	}
	return c
}

// RedirectToNextHopIETF is draft-ietf-idr-flowspec-redirect-ip's redirect
// (or copy) to an IPv4 address.
func RedirectToNextHopIETF(a netip.Addr, copyTraffic bool) ExtCommunity {
	c := extComm(0x01, 0x0c)
	copy(c[2:6], appendAddr4(nil, a))
	if copyTraffic {
		c[7] = 1
	}
	return c
}

// L2Info is the Layer2 Info community of VPLS (RFC 4761 §3.2.4).
func L2Info(encaps, control uint8, mtu, reserved uint16) ExtCommunity {
	c := extComm(0x80, 0x0a)
	c[2], c[3] = encaps, control
	be.PutUint16(c[4:], mtu)
	be.PutUint16(c[6:], reserved)
	return c
}

// Bandwidth is the link bandwidth community (draft-ietf-idr-link-bandwidth),
// bytes per second.
func Bandwidth(asn uint16, speed float32) ExtCommunity {
	c := extComm(0x40, 0x04)
	be.PutUint16(c[2:], asn)
	be.PutUint32(c[4:], math.Float32bits(speed))
	return c
}

// Tunnel encapsulation types (RFC 9012) ExaBGP names.
var encapNames = map[uint16]string{0: "Default", 1: "L2TPv3", 2: "GRE", 7: "IP-in-IP", 8: "VXLAN",
	9: "NVGRE", 10: "MPLS", 12: "VXLAN-GPE", 13: "MPLS-in-UDP"}

// Encapsulation is the encapsulation community (RFC 9012 §4.1).
func Encapsulation(tunnel uint16) ExtCommunity {
	c := extComm(0x03, 0x0c)
	be.PutUint16(c[6:], tunnel)
	return c
}

// MUPCommunity is the BGP MUP Direct-Type Segment Identifier community
// (draft-ietf-bess-mup-safi), mup:sgid2:sgid4.
func MUPCommunity(sgid2 uint16, sgid4 uint32) ExtCommunity {
	c := extComm(0x0c, 0x00)
	be.PutUint16(c[2:], sgid2)
	be.PutUint32(c[4:], sgid4)
	return c
}

// InterfaceSet is the FlowSpec interface-set community
// (draft-ietf-idr-flowspec-interfaceset); direction 1 input, 2 output, 3
// both.
func InterfaceSet(transitive bool, asn uint32, target uint16, direction uint8) ExtCommunity {
	c := extComm(0x07, 0x02)
	if !transitive {
		c[0] |= 0x40
	}
	be.PutUint32(c[2:], asn)
	be.PutUint16(c[6:], uint16(direction)<<14|target&0x1fff)
	return c
}

// MacMobility is the EVPN MAC mobility community (RFC 7432 §7.7).
func MacMobility(sequence uint32, sticky bool) ExtCommunity {
	c := extComm(0x06, 0x00)
	if sticky {
		c[2] = 1
	}
	be.PutUint32(c[4:], sequence)
	return c
}

// ConsistentHashSortOrder is the EVPN consistent hash sort order community.
func ConsistentHashSortOrder(order uint32) ExtCommunity {
	c := extComm(0x03, 0x14)
	be.PutUint32(c[2:], order)
	return c
}

// String is ExaBGP's text of the community: its Name when it has one,
// otherwise "0x" and 16 upper-case hex digits.
func (c ExtCommunity) String() string {
	if s, ok := c.Name(); ok {
		return s
	}
	return string(appendHexString(nil, c[:]))
}

// Name is ExaBGP's name of a community it decodes ("target:65000:1",
// "rate-limit:1000", "redirect:65000:1", ...) and true, or "" and false
// when ExaBGP prints it as a bare value (its JSON "string" is then ""). As
// ExaBGP 5.0.13 (checked with `exabgp decode`): a 4-octet-AS redirect is
// named by its hex value, an IPv4-specific route origin as
// "origin:<n>:<ip>", and link bandwidth is not named (its module is never
// imported).
func (c ExtCommunity) Name() (string, bool) {
	b := c.appendName(nil)
	return string(b), b != nil
}

func (c ExtCommunity) appendName(b []byte) []byte {
	t, sub := c[0]&0x0f, c[1]
	switch sub {
	case 0x02, 0x03, 0x13:
		if t <= 2 {
			return c.appendTargetOrigin(b, t, sub)
		}
	}
	switch [2]uint8{t, sub} {
	case [2]uint8{0, 0x06}:
		return appendUint(append(b, "rate-limit:"...), uint64(math.Trunc(float64(c.float()))))
	case [2]uint8{0, 0x07}:
		return c.appendAction(append(b, "action "...))
	case [2]uint8{0, 0x08}:
		return c.appendPair(append(b, "redirect:"...), uint64(be.Uint16(c[2:])), uint64(be.Uint32(c[4:])))
	case [2]uint8{2, 0x08}:
		return appendHexString(b, c[:])
	case [2]uint8{0, 0x09}:
		return appendUint(append(b, "mark "...), uint64(c[7]))
	case [2]uint8{1, 0x0c}:
		return c.appendRedirectIETF(b)
	case [2]uint8{8, 0x00}:
		if c[7]&1 != 0 {
			return append(b, "copy-to-nexthop"...)
		}
		return append(b, "redirect-to-nexthop"...)
	case [2]uint8{0, 0x0a}:
		b = c.appendPair(append(b, "l2info:"...), uint64(c[2]), uint64(c[3]))
		return c.appendPair(append(b, ':'), uint64(be.Uint16(c[4:])), uint64(be.Uint16(c[6:])))
	case [2]uint8{3, 0x0c}:
		return c.appendEncap(b)
	case [2]uint8{0x0c, 0x00}:
		return c.appendPair(append(b, "mup:"...), uint64(be.Uint16(c[2:])), uint64(be.Uint32(c[4:])))
	case [2]uint8{7, 0x02}:
		return c.appendInterfaceSet(b)
	case [2]uint8{6, 0x00}:
		b = appendUint(append(b, "mac-mobility:"...), uint64(be.Uint32(c[4:])))
		if c[2] == 1 {
			b = append(b, ":sticky"...)
		}
		return b
	case [2]uint8{3, 0x14}:
		return appendUint(append(b, "consistentHashSortOrder:"...), uint64(be.Uint32(c[2:])))
	}
	return nil
}

func (c ExtCommunity) float() float32 { return math.Float32frombits(be.Uint32(c[4:])) }

func (c ExtCommunity) appendPair(b []byte, x, y uint64) []byte {
	return appendUint(append(appendUint(b, x), ':'), y)
}

// appendTargetOrigin names route targets, route origins and RT records.
func (c ExtCommunity) appendTargetOrigin(b []byte, t, sub uint8) []byte {
	switch sub {
	case 0x02:
		b = append(b, "target:"...)
	case 0x03:
		b = append(b, "origin:"...)
	default:
		b = append(b, "rtrecord:"...)
	}
	switch {
	case t == 0 && sub == 0x03: // origin ASN:IPv4 (ExaBGP's OriginASNIP)
		b = appendUint(b, uint64(be.Uint16(c[2:])))
		return netip.AddrFrom4([4]byte(c[4:8])).AppendTo(append(b, ':'))
	case t == 0:
		return c.appendPair(b, uint64(be.Uint16(c[2:])), uint64(be.Uint32(c[4:])))
	case t == 1 && sub == 0x03: // ExaBGP swaps the fields of OriginIPASN
		b = appendUint(b, uint64(be.Uint16(c[6:])))
		return netip.AddrFrom4([4]byte(c[2:6])).AppendTo(append(b, ':'))
	case t == 1:
		b = netip.AddrFrom4([4]byte(c[2:6])).AppendTo(b)
		return appendUint(append(b, ':'), uint64(be.Uint16(c[6:])))
	}
	return c.appendPair(b, uint64(be.Uint32(c[2:])), uint64(be.Uint16(c[6:])))
}

func (c ExtCommunity) appendAction(b []byte) []byte {
	switch c[7] & 3 {
	case 3:
		return append(b, "sample-terminal"...)
	case 2:
		return append(b, "sample"...)
	case 1:
		return append(b, "terminal"...)
	}
	return b
}

func (c ExtCommunity) appendRedirectIETF(b []byte) []byte {
	ip := netip.AddrFrom4([4]byte(c[2:6]))
	if c[7]&1 != 0 {
		return append(ip.AppendTo(append(b, "copy-to-nexthop-ietf "...)), " (with copy)"...)
	}
	return ip.AppendTo(append(b, "redirect-to-nexthop-ietf "...))
}

func (c ExtCommunity) appendEncap(b []byte) []byte {
	t := be.Uint16(c[6:])
	b = append(b, "encap:"...)
	if n, ok := encapNames[t]; ok {
		return append(b, n...)
	}
	return appendUint(append(b, "encap:UNKNOWN-"...), uint64(t))
}

var interfaceSetNames = [...]string{1: "input", 2: "output", 3: "input-output"}

func (c ExtCommunity) appendInterfaceSet(b []byte) []byte {
	v := be.Uint16(c[6:])
	b = append(b, "interface-set:"...)
	if d := v >> 14; d != 0 {
		b = append(b, interfaceSetNames[d]...)
	} else {
		b = append(b, '0')
	}
	return c.appendPair(append(b, ':'), uint64(be.Uint32(c[2:])), uint64(v&0x1fff))
}
