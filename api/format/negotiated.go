package format

import "exago/wire"

// NegotiatedEvent appends the "negotiated" event for n (the result of
// wire.Negotiate for the session).
func (e *Encoder) NegotiatedEvent(b []byte, nb *Neighbor, n *wire.Negotiated) []byte {
	return e.neighborEvent(b, nb, "negotiated", "", nil, func(b []byte) []byte {
		return e.appendNegotiated(b, n)
	})
}

// appendNegotiated appends `"negotiated": { ... } ` (the trailing space
// is ExaBGP's), as response/json.py's _negotiated.
func (e *Encoder) appendNegotiated(b []byte, n *wire.Negotiated) []byte {
	b = append(b, `"negotiated": { "message_size": `...)
	b = appendInt(b, int64(n.MaxMessageSize()))
	b = append(b, `, "hold_time": `...)
	b = appendInt(b, int64(n.HoldTime))
	b = append(b, `, "asn4": `...)
	b = appendBool(b, n.ASN4)
	b = append(b, `, "multisession": `...)
	b = appendBool(b, n.MultiSession)
	b = append(b, `, "operational": `...)
	b = appendBool(b, n.Operational)
	b = append(b, `, "refresh": "`...)
	b = append(b, n.Refresh.String()...)
	b = append(b, `", "families": `...)
	b = e.appendFamilyList(b, n, 0)
	b = append(b, `, "nexthop": `...)
	b = append(b, e.Dialect.familyListOpen()...)
	for i, t := range n.NextHops {
		if i > 0 {
			b = append(b, e.Dialect.familyListSep(false)...)
		}
		b = append(b, '"')
		b = appendFamilyName(b, t.Family, ' ')
		b = append(b, ' ')
		b = append(b, t.NextHopAFI.String()...)
		b = append(b, '"')
	}
	b = append(b, e.Dialect.familyListClose()...)
	b = append(b, ", "...)
	b = append(b, e.Dialect.addPathOpen()...)
	b = e.appendFamilyList(b, n, wire.AddPathSend)
	b = append(b, `, "receive": `...)
	b = e.appendFamilyList(b, n, wire.AddPathReceive)
	return append(b, e.Dialect.addPathClose()...)
}

// appendFamilyList appends a json.dumps list of "afi safi" strings: the
// negotiated families, only those with add-path bit dir when dir != 0.
func (e *Encoder) appendFamilyList(b []byte, n *wire.Negotiated, dir uint8) []byte {
	b = append(b, e.Dialect.familyListOpen()...)
	k := 0
	for _, f := range n.Families {
		if dir != 0 && n.AddPath[f]&dir == 0 {
			continue
		}
		if k > 0 {
			b = append(b, e.Dialect.familyListSep(dir != 0)...)
		}
		k++
		b = append(b, '"')
		b = appendFamilyName(b, f, ' ')
		b = append(b, '"')
	}
	return append(b, e.Dialect.familyListClose()...)
}

// appendFamilyName appends "afi<sep>safi" with ExaBGP's names.
func appendFamilyName(b []byte, f wire.Family, sep byte) []byte {
	b = append(b, f.AFI.String()...)
	b = append(b, sep)
	if f.SAFI == wire.SAFIUnicast {
		return append(b, "unicast"...) // every UPDATE of a table: no name lookup
	}
	return append(b, f.SAFI.String()...)
}
