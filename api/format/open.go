package format

import "exago/wire"

// This file renders OPEN messages (RFC 4271 §4.2) and their capabilities
// (RFC 5492) as ExaBGP's `json()` methods of bgp/message/open/capability
// write them.

// capSendOrder is the order ExaBGP builds its own capabilities in
// (Capabilities.new): the key order of a sent OPEN's JSON.
var capSendOrder = [...]uint8{
	wire.CapMultiprotocol, wire.CapASN4, wire.CapNextHop, wire.CapAddPath,
	wire.CapGracefulRestart, wire.CapRouteRefresh, wire.CapEnhancedRefresh,
	wire.CapOperational, wire.CapExtendedMessage, wire.CapHostName,
	wire.CapSoftwareVersion, wire.CapMultiSession,
}

// capCodeName is ExaBGP's Capability.CODE name: the key of a capability
// in a sent OPEN's JSON, and the word used in multisession lists.
func capCodeName(code uint8) string {
	switch code {
	case 0:
		return "reserved"
	case wire.CapMultiprotocol:
		return "multiprotocol"
	case wire.CapRouteRefresh:
		return "route-refresh"
	case 3:
		return "outbound-route-filtering"
	case 4:
		return "multiple-routes"
	case wire.CapNextHop:
		return "nexthop"
	case wire.CapExtendedMessage:
		return "extended-message"
	case wire.CapGracefulRestart:
		return "graceful-restart"
	case wire.CapASN4:
		return "asn4"
	case 67:
		return "dynamic-capability"
	case wire.CapMultiSession:
		return "multi-session"
	case wire.CapAddPath:
		return "add-path"
	case wire.CapEnhancedRefresh:
		return "enhanced-route-refresh"
	case wire.CapOperational:
		return "operational"
	case wire.CapRouteRefreshCisco:
		return "cisco-route-refresh"
	case wire.CapMultiSessionCisco:
		return "cisco-multi-sesion" // sic, ExaBGP's spelling
	case 72:
		return "aigp"
	case wire.CapHostName:
		return "hostname"
	case wire.CapSoftwareVersion:
		return "software-version"
	}
	return ""
}

// appendCapCodeWord appends capCodeName, or ExaBGP's fallback for codes
// it has no name for ("unassigned-0x47", "reserved-0x80",
// "capability-0x42").
func appendCapCodeWord(b []byte, code uint8) []byte {
	if n := capCodeName(code); n != "" {
		return append(b, n...)
	}
	switch {
	case code >= 70 && code < 128:
		b = append(b, "unassigned-0x"...)
	case code >= 128:
		b = append(b, "reserved-0x"...)
	default:
		b = append(b, "capability-0x"...)
	}
	return appendHexNoPad(b, uint64(code))
}

// appendHexNoPad appends v in lower-case hex without leading zeros, as
// Python's hex() does (without its 0x).
func appendHexNoPad(b []byte, v uint64) []byte {
	var t [16]byte
	i := len(t)
	for {
		i--
		t[i] = hexLower[v&15]
		v >>= 4
		if v == 0 {
			break
		}
	}
	return append(b, t[i:]...)
}

// Open appends the "open" event. A received OPEN (dir Receive or In)
// keys its capabilities by numeric code in received order, a sent one by
// ExaBGP's capability name in ExaBGP's building order (with a "hostname"
// entry even when no hostname capability is on the wire). msg is the
// whole message for the consolidate form, or nil.
func (e *Encoder) Open(b []byte, nb *Neighbor, dir Direction, o *wire.Open, msg []byte) []byte {
	return e.neighborEvent(b, nb, "open", dir, msg, func(b []byte) []byte {
		b = append(b, `"open": { "version": `...)
		b = appendUint(b, uint64(o.Version))
		b = append(b, `, "asn": `...)
		b = appendUint(b, uint64(o.ASN))
		b = append(b, `, "hold_time": `...)
		b = appendUint(b, uint64(o.HoldTime))
		b = append(b, `, "router_id": `...)
		b = appendQuotedAddr(b, o.RouterID)
		b = append(b, `, "capabilities": { `...)
		b = e.appendCapabilities(b, &o.Caps, dir == Send)
		return append(b, " } }"...)
	})
}

// appendCapabilities appends the members of the "capabilities" object.
func (e *Encoder) appendCapabilities(b []byte, c *wire.Capabilities, sent bool) []byte {
	order := c.Order
	if sent || len(order) == 0 {
		order = nil
		for _, code := range capSendOrder {
			if c.Has(code) || (sent && code == wire.CapHostName && e.Dialect.sentHostName()) {
				order = append(order, code)
			}
		}
		for _, u := range c.Unknown {
			order = append(order, u.Code)
		}
	}
	// ExaBGP's capability classes are shared by the RFC and Cisco codes and
	// the decoder sets the class's ID to the code it last saw, so within a
	// received OPEN both route-refresh (and both multisession) entries show
	// the variant of the last one; a received multisession's list is never
	// parsed, so it shows empty.
	q := capQuirks{rr: wire.CapRouteRefresh, ms: wire.CapMultiSession, sent: sent, d: e.Dialect}
	if !sent {
		for _, code := range order {
			switch code {
			case wire.CapRouteRefresh, wire.CapRouteRefreshCisco:
				q.rr = code
			case wire.CapMultiSession, wire.CapMultiSessionCisco:
				q.ms = code
			}
		}
	}
	for i, code := range order {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '"')
		if sent && e.Dialect.capName(code) != "" {
			b = append(b, e.Dialect.capName(code)...)
		} else if sent {
			b = appendCapCodeWord(b, code)
		} else {
			b = appendUint(b, uint64(code))
		}
		b = append(b, `": `...)
		b = appendCapability(b, c, code, &q)
	}
	return b
}

// capQuirks carries ExaBGP's shared-class quirks (see appendCapabilities).
type capQuirks struct {
	rr, ms uint8
	sent   bool
	d      Dialect
}

// appendCapability appends the JSON value of capability code: one short
// case per capability (a table in code form, hence the length).
func appendCapability(b []byte, c *wire.Capabilities, code uint8, q *capQuirks) []byte {
	if !q.d.capKnown(code) && !q.sent {
		return appendUnknownCap(b, wire.RawCapability{Code: code, Value: capRaw(c, code)})
	}
	switch code {
	case wire.CapMultiprotocol:
		b = append(b, `{ "name": "multiprotocol", "families": [`...)
		for i, f := range c.Families {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, ` "`...)
			b = appendFamilyName(b, f, '/')
			b = append(b, '"')
		}
		return append(b, " ] }"...)
	case wire.CapRouteRefresh, wire.CapRouteRefreshCisco:
		if q.rr == wire.CapRouteRefresh {
			return append(b, `{ "name": "route-refresh", "variant": "RFC" }`...)
		}
		return append(b, `{ "name": "route-refresh", "variant": "Cisco" }`...)
	case wire.CapEnhancedRefresh:
		return append(b, `{ "name": "enhanced-route-refresh" }`...)
	case wire.CapExtendedMessage:
		return append(b, `{ "name": "extended-message", "size": 65535 }`...)
	case wire.CapOperational:
		return append(b, `{ "name": "operational" }`...)
	case wire.CapASN4:
		b = append(b, `{ "name": "asn4", "asn4": `...)
		b = appendUint(b, uint64(c.ASN4))
		return append(b, " }"...)
	case wire.CapNextHop:
		b = append(b, `{ "name": "nexthop", "conversion": [`...)
		for i, t := range c.NextHops {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, ` "`...)
			b = appendFamilyName(b, t.Family, '/')
			b = append(b, '/')
			b = append(b, t.NextHopAFI.String()...)
			b = append(b, '"')
		}
		return append(b, " ] }"...)
	case wire.CapAddPath:
		b = append(b, `{ "name": "addpath"`...)
		for i, a := range c.AddPath {
			if i == 0 {
				b = append(b, ", "...)
			} else {
				b = append(b, ',')
			}
			b = append(b, '"')
			b = appendFamilyName(b, a.Family, '/')
			b = append(b, `": "`...)
			b = append(b, wire.AddPathModeName(a.Mode)...)
			b = append(b, '"')
		}
		return append(b, " }"...)
	case wire.CapGracefulRestart:
		return appendGraceful(b, &c.GracefulRestart, q.d)
	case wire.CapHostName:
		b = append(b, `{ "host-name": `...)
		b = appendStrOrNull(b, c.HostName, c.HasHostName)
		b = append(b, `, "domain-name": `...)
		b = appendStrOrNull(b, c.DomainName, c.HasHostName)
		return append(b, " }"...)
	case wire.CapSoftwareVersion:
		b = append(b, `{ "software": `...)
		b = appendStr(b, c.SoftwareVersion)
		return append(b, " }"...)
	case wire.CapMultiSession, wire.CapMultiSessionCisco:
		b = append(b, `{ "name": "multisession", "variant": "`...)
		if q.ms == wire.CapMultiSession {
			b = append(b, "RFC"...)
		} else {
			b = append(b, "Cisco"...)
		}
		b = append(b, `", "capabilities": [`...)
		codes := c.MultiSessionCodes
		if !q.sent {
			codes = nil
		}
		for i, m := range codes {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, ` "`...)
			b = appendCapCodeWord(b, m)
			b = append(b, '"')
		}
		return append(b, " ] }"...)
	}
	for _, u := range c.Unknown {
		if u.Code == code {
			return appendUnknownCap(b, u)
		}
	}
	return append(b, "null"...)
}

func appendStrOrNull(b []byte, s string, ok bool) []byte {
	if !ok {
		return append(b, "null"...)
	}
	return appendStr(b, s)
}

// appendGraceful appends the graceful restart capability (RFC 4724 §3).
// ExaBGP labels the per-family F bit "restart" and the R bit
// "forwarding"; we print what ExaBGP prints.
func appendGraceful(b []byte, g *wire.GracefulRestart, d Dialect) []byte {
	b = append(b, `{ "name": "graceful restart", "time": `...)
	b = appendUint(b, uint64(g.Time))
	b = append(b, `, "address-family-flags": { `...)
	for i, f := range g.Families {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '"')
		b = appendFamilyName(b, f.Family, '/')
		b = append(b, `": [`...)
		if f.Flags&0x80 != 0 {
			b = append(b, ` "restart"`...)
		}
		b = append(b, " ] "...)
	}
	b = append(b, `}, "restart-flags": [`...)
	if g.Flags&0x8 != 0 {
		b = append(b, ` "forwarding" `...)
	} else {
		b = append(b, ' ')
	}
	return append(b, d.gracefulClose()...)
}

// capRaw rebuilds the value of a capability package wire decoded, for a
// dialect that shows it as unknown (hostname, software version in 4.2).
func capRaw(c *wire.Capabilities, code uint8) []byte {
	var v []byte
	switch code {
	case wire.CapHostName:
		v = append(v, byte(len(c.HostName)))
		v = append(v, c.HostName...)
		v = append(v, byte(len(c.DomainName)))
		v = append(v, c.DomainName...)
	case wire.CapSoftwareVersion:
		v = append(v, byte(len(c.SoftwareVersion)))
		v = append(v, c.SoftwareVersion...)
	}
	return v
}

// appendUnknownCap appends an unknown capability kept opaque.
func appendUnknownCap(b []byte, u wire.RawCapability) []byte {
	iana := "unknown"
	switch {
	case u.Code >= 70 && u.Code < 128:
		iana = "unassigned"
	case u.Code >= 128:
		iana = "reserved"
	}
	b = append(b, `{ "name": "unknown", "iana": "`...)
	b = append(b, iana...)
	b = append(b, `", "value": `...)
	b = appendUint(b, uint64(u.Code))
	b = append(b, `, "raw": "`...)
	b = appendRawHexUpper(b, u.Value)
	return append(b, `" }`...)
}

// appendCapabilitiesText appends ExaBGP's str(Capabilities): each
// capability's str(), by code, joined with ", " (the caller lower-cases).
func appendCapabilitiesText(b []byte, c *wire.Capabilities, sent bool) []byte {
	q := capQuirks{rr: wire.CapRouteRefresh, ms: wire.CapMultiSession, sent: sent}
	if !sent {
		for _, code := range c.Order {
			switch code {
			case wire.CapRouteRefresh, wire.CapRouteRefreshCisco:
				q.rr = code
			case wire.CapMultiSession, wire.CapMultiSessionCisco:
				q.ms = code
			}
		}
	}
	n := 0
	for code := 0; code < 256; code++ {
		if !c.Has(uint8(code)) && !(sent && uint8(code) == wire.CapHostName) {
			continue
		}
		if n > 0 {
			b = append(b, ", "...)
		}
		n++
		b = appendCapabilityText(b, c, uint8(code), &q)
	}
	return b
}

// appendCapabilityText appends ExaBGP's str() of one capability: one
// short case per capability (a table in code form, hence the length).
func appendCapabilityText(b []byte, c *wire.Capabilities, code uint8, q *capQuirks) []byte {
	switch code {
	case wire.CapMultiprotocol:
		b = append(b, "Multiprotocol("...)
		for i, f := range c.Families {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendFamilyName(b, f, ' ')
		}
		return append(b, ')')
	case wire.CapRouteRefresh, wire.CapRouteRefreshCisco:
		if q.rr == wire.CapRouteRefresh {
			return append(b, "Route Refresh"...)
		}
		return append(b, "Cisco Route Refresh"...)
	case wire.CapEnhancedRefresh:
		return append(b, "Enhanced Route Refresh"...)
	case wire.CapExtendedMessage:
		return append(b, "Extended Message(65535)"...)
	case wire.CapOperational:
		return append(b, "Operational"...)
	case wire.CapASN4:
		b = append(b, "ASN4("...)
		b = appendUint(b, uint64(c.ASN4))
		return append(b, ')')
	case wire.CapNextHop:
		b = append(b, "NextHop("...)
		for i, t := range c.NextHops {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendFamilyName(b, t.Family, ' ')
			b = append(b, ' ')
			b = append(b, t.NextHopAFI.String()...)
		}
		return append(b, ')')
	case wire.CapAddPath:
		b = append(b, "AddPath("...)
		for i, a := range c.AddPath {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, wire.AddPathModeName(a.Mode)...)
			b = append(b, ' ')
			b = appendFamilyName(b, a.Family, ' ')
		}
		return append(b, ')')
	case wire.CapGracefulRestart:
		g := &c.GracefulRestart
		b = append(b, "Graceful Restart Flags 0x"...)
		b = appendHexNoPad(b, uint64(g.Flags))
		b = append(b, " Time "...)
		b = appendUint(b, uint64(g.Time))
		b = append(b, ' ')
		for i, f := range g.Families {
			if i > 0 {
				b = append(b, ' ')
			}
			b = appendFamilyName(b, f.Family, '/')
			b = append(b, "=0x"...)
			b = appendHexNoPad(b, uint64(f.Flags))
		}
		return b
	case wire.CapHostName:
		b = append(b, "Hostname("...)
		if c.HasHostName {
			b = append(b, c.HostName...)
			b = append(b, ' ')
			b = append(b, c.DomainName...)
		} else {
			b = append(b, "None None"...)
		}
		return append(b, ')')
	case wire.CapSoftwareVersion:
		b = append(b, "Software("...)
		b = append(b, c.SoftwareVersion...)
		return append(b, ')')
	case wire.CapMultiSession, wire.CapMultiSessionCisco:
		b = append(b, "Multisession"...)
		if q.ms == wire.CapMultiSession {
			b = append(b, " (RFC)"...)
		}
		b = append(b, ' ')
		if q.sent {
			for i, m := range c.MultiSessionCodes {
				if i > 0 {
					b = append(b, ' ')
				}
				b = appendCapCodeWord(b, m)
			}
		}
		return b
	}
	switch {
	case code >= 128:
		b = append(b, "Reserved "...)
	case code >= 70:
		b = append(b, "Unassigned "...)
	default:
		b = append(b, "Unknown "...)
	}
	return appendUint(b, uint64(code))
}
