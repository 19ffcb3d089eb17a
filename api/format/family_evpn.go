package format

import (
	"net/netip"

	"exago/wire"
)

// This file renders EVPN NLRI (RFC 7432, RFC 9136) as ExaBGP 5.0's
// bgp/message/update/nlri/evpn/*.py json() and __str__().

func init() {
	registerFamily(FamilyRenderer{JSON: evpnJSON, Text: familyExtensive, TextNextHop: familyExtensiveNH}, wire.L2VPNEVPN)
}

// appendRawNLRI appends `"raw": "HEX"` for a route-type header and body.
func appendRawNLRI(b []byte, hdr []byte, body []byte) []byte {
	b = append(b, `"raw": "`...)
	b = appendRawHexUpper(b, hdr)
	b = appendRawHexUpper(b, body)
	return append(b, '"')
}

// evpnJSON appends EVPN.json(): code, parsed, raw, name, then the route
// type's fields in ExaBGP's order.
func evpnJSON(b []byte, n wire.NLRI, _ Style) []byte {
	e, ok := n.(wire.EVPN)
	if !ok {
		return append(b, "{ }"...)
	}
	b = append(b, `{ "code": `...)
	b = appendUint(b, uint64(e.Type))
	if !e.Parsed {
		b = append(b, `, "parsed": false, `...)
		b = appendRawNLRI(b, []byte{e.Type, byte(len(e.Raw))}, e.Raw)
		return append(b, " }"...)
	}
	b = append(b, `, "parsed": true, `...)
	b = appendRawNLRI(b, []byte{e.Type, byte(len(e.Raw))}, e.Raw)
	b = append(b, `, "name": "`...)
	b = append(b, wire.EVPNName(e.Type)...)
	b = append(b, `", "rd": "`...)
	b = appendRD(b, e.RD[:])
	b = append(b, '"')
	if e.Type != wire.EVPNMulticast {
		b = append(b, `, "esi": "`...)
		b = appendESI(b, e.ESI)
		b = append(b, '"')
	}
	if e.Type != wire.EVPNSegment {
		b = append(b, `, "ethernet-tag": `...)
		b = appendUint(b, uint64(e.EthernetTag))
	}
	if e.Type == wire.EVPNMACIP {
		b = append(b, `, "mac": "`...)
		b = appendMAC(b, e.MAC)
		b = append(b, '"')
	}
	if e.HasLabel {
		b = append(b, `, "label": [ [`...)
		b = appendUint(b, uint64(e.Label>>4))
		if e.Label != 0 {
			b = append(b, ", "...)
			b = appendUint(b, uint64(e.Label))
		}
		b = append(b, "] ]"...)
	}
	if e.IP.IsValid() {
		b = append(b, `, "ip": `...)
		b = appendQuotedAddr(b, e.IP)
	}
	if e.Type == wire.EVPNPrefix {
		b = append(b, `, "iplen": `...)
		b = appendUint(b, uint64(e.IPLen))
		b = append(b, `, "gateway": `...)
		b = appendQuotedAddr(b, e.Gateway)
	}
	return append(b, " }"...)
}

// appendESI appends an Ethernet Segment Identifier: "-" when all zero,
// else lower-case colon-separated hex (qualifier/esi.py).
func appendESI(b []byte, esi [10]byte) []byte {
	if esi == [10]byte{} {
		return append(b, '-')
	}
	for i, c := range esi {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, hexLower[c>>4], hexLower[c&15])
	}
	return b
}

// appendMAC appends a MAC address in upper-case colon-separated hex.
func appendMAC(b []byte, mac [6]byte) []byte {
	for i, c := range mac {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, hexUpper[c>>4], hexUpper[c&15])
	}
	return b
}

var evpnShort = [...]string{1: "ethernetad", 2: "macadv", 3: "multicast", 4: "segment", 5: "prfxadv"}

// evpnString appends EVPN.__str__() (what `show adj-rib` prints), e.g.
// "evpn:macadv::1.2.3.4:1:-:100:00:11:22:33:44:55/48:10.0.0.1: label 100 (1601)".
func evpnString(b []byte, n wire.NLRI) []byte {
	e, ok := n.(wire.EVPN)
	if !ok {
		return b
	}
	b = append(b, "evpn:"...)
	if !e.Parsed || int(e.Type) >= len(evpnShort) {
		b = append(b, "unknown:"...)
		return appendHexLower(b, e.Raw)
	}
	b = append(b, evpnShort[e.Type]...)
	b = append(b, "::"...) // _prefix() ends in ':' and __str__ adds one
	b = appendRD(b, e.RD[:])
	b = append(b, ':')
	switch e.Type {
	case wire.EVPNEthernetAD:
		b = appendESI(b, e.ESI)
		b = append(b, ':')
		b = appendUint(b, uint64(e.EthernetTag))
		b = append(b, ':')
		return evpnLabelText(b, e)
	case wire.EVPNMACIP:
		b = appendESI(b, e.ESI)
		b = append(b, ':')
		b = appendUint(b, uint64(e.EthernetTag))
		b = append(b, ':')
		b = appendMAC(b, e.MAC)
		// sic: mac.py compares len(self.mac), 6 bytes, with 48 bits, so
		// the length is always shown
		b = append(b, '/')
		b = appendUint(b, uint64(e.MACLen))
		b = append(b, ':')
		b = evpnAddrText(b, e.IP)
		b = append(b, ':')
		return evpnLabelText(b, e)
	case wire.EVPNMulticast:
		b = appendUint(b, uint64(e.EthernetTag))
		b = append(b, ':')
		return evpnAddrText(b, e.IP)
	case wire.EVPNSegment:
		b = appendESI(b, e.ESI)
		b = append(b, ':')
		return evpnAddrText(b, e.IP)
	}
	b = appendESI(b, e.ESI)
	b = append(b, ':')
	b = appendUint(b, uint64(e.EthernetTag))
	b = append(b, ':')
	b = evpnAddrText(b, e.IP)
	b = append(b, '/')
	b = appendUint(b, uint64(e.IPLen))
	b = append(b, ':')
	b = evpnAddrText(b, e.Gateway)
	b = append(b, ':')
	return evpnLabelText(b, e)
}

func evpnAddrText(b []byte, a netip.Addr) []byte {
	if a.IsValid() {
		return a.AppendTo(b)
	}
	return b
}

// evpnLabelText appends Labels.__str__ for one label: " label N[ (raw)]".
func evpnLabelText(b []byte, e wire.EVPN) []byte {
	if !e.HasLabel {
		return b
	}
	b = append(b, " label "...)
	b = appendUint(b, uint64(e.Label>>4))
	if e.Label != 0 {
		b = append(b, " ("...)
		b = appendUint(b, uint64(e.Label))
		b = append(b, ')')
	}
	return b
}
