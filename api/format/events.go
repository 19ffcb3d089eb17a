package format

import "exago/wire"

// This file renders the events that carry no BGP message body (state,
// fsm, signal, shutdown) and the small messages (keepalive, notification,
// route-refresh, operational, packets), as ExaBGP's
// reactor/api/response/json.py writes them.

// neighborEvent appends a whole neighbor event whose content is produced
// by fn (nil for no content).
func (e *Encoder) neighborEvent(b []byte, nb *Neighbor, typ string, dir Direction, msg []byte, fn func([]byte) []byte) []byte {
	b = e.appendEnvelope(b, nb.Counter, typ, msg)
	b = e.appendNeighbor(b, nb, dir)
	if fn == nil {
		b = closeNeighbor(b, true)
	} else {
		b = contentSep(b)
		b = fn(b)
		b = closeNeighbor(b, false)
	}
	return closeEnvelope(b)
}

// Connected appends the "state": "connected" event (TCP session up).
func (e *Encoder) Connected(b []byte, nb *Neighbor) []byte {
	return e.neighborEvent(b, nb, "state", "", nil, func(b []byte) []byte {
		return append(b, `"state": "connected"`...)
	})
}

// Up appends the "state": "up" event (session established).
func (e *Encoder) Up(b []byte, nb *Neighbor) []byte {
	return e.neighborEvent(b, nb, "state", "", nil, func(b []byte) []byte {
		return append(b, `"state": "up"`...)
	})
}

// Down appends the "state": "down" event with its reason (e.g.
// "notification sent (3,1)", "closing connection", or "").
func (e *Encoder) Down(b []byte, nb *Neighbor, reason string) []byte {
	return e.neighborEvent(b, nb, "state", "", nil, func(b []byte) []byte {
		b = append(b, `"state": "down", "reason": `...)
		return e.Dialect.appendReason(b, reason)
	})
}

// FSM appends the "fsm" event; state is ExaBGP's upper-case name (IDLE,
// ACTIVE, CONNECT, OPENSENT, OPENCONFIRM, ESTABLISHED).
func (e *Encoder) FSM(b []byte, nb *Neighbor, state string) []byte {
	return e.neighborEvent(b, nb, "fsm", "", nil, func(b []byte) []byte {
		b = append(b, `"state": `...)
		return appendStr(b, state)
	})
}

// Signal appends the "signal" event: the signal number as a string and
// its name ("SIGUSR1").
func (e *Encoder) Signal(b []byte, nb *Neighbor, code int, name string) []byte {
	return e.neighborEvent(b, nb, "signal", "", nil, func(b []byte) []byte {
		b = append(b, `"code": "`...)
		b = appendInt(b, int64(code))
		b = append(b, `", "name": `...)
		return appendStr(b, name)
	})
}

// Shutdown appends the event every process gets when ExaBGP exits: an
// envelope without counter nor neighbor.
func (e *Encoder) Shutdown(b []byte) []byte {
	b = e.appendEnvelope(b, 0, "notification", nil)
	b = append(b, `"notification": "shutdown"`...)
	return closeEnvelope(b)
}

// Keepalive appends the "keepalive" event. msg is the whole message
// (header included) for the consolidate form; it may be nil.
func (e *Encoder) Keepalive(b []byte, nb *Neighbor, dir Direction, msg []byte) []byte {
	return e.neighborEvent(b, nb, "keepalive", dir, msg, nil)
}

// Notification appends the "notification" event for n. msg is the whole
// message or nil. As ExaBGP, the data of a received Cease 6/2 or 6/4 is
// shown decoded (`Shutdown Communication: "..."`, RFC 9003); a sent one
// shows the data as it is on the wire, length octet included ("data":
// "0x17...", "message": "\u0017Administrative Shutdown"), as ExaBGP's
// Notify holds it.
func (e *Encoder) Notification(b []byte, nb *Neighbor, dir Direction, n wire.Notification, msg []byte) []byte {
	var scratch [512]byte
	data := notificationData(scratch[:0], n, dir)
	return e.neighborEvent(b, nb, "notification", dir, msg, func(b []byte) []byte {
		b = append(b, `"notification": { "code": `...)
		b = appendUint(b, uint64(n.Code))
		b = append(b, `, "subcode": `...)
		b = appendUint(b, uint64(n.Subcode))
		b = append(b, `, "data": "`...)
		b = appendHexUpper(b, data)
		b = append(b, '"')
		if e.Dialect.notificationMessage() {
			b = append(b, `, "message": `...)
			b = appendStrBytes(b, data)
		}
		return append(b, " } "...)
	})
}

// notificationData is the data ExaBGP holds for n: see Notification.
func notificationData(b []byte, n wire.Notification, dir Direction) []byte {
	if dir == Send {
		return n.Data
	}
	return n.AppendText(b)
}

// Refresh appends the "refresh" event for a ROUTE-REFRESH message.
func (e *Encoder) Refresh(b []byte, nb *Neighbor, dir Direction, r wire.RouteRefresh, msg []byte) []byte {
	return e.neighborEvent(b, nb, "refresh", dir, msg, func(b []byte) []byte {
		b = append(b, '"')
		b = append(b, e.Dialect.refreshKey()...)
		b = append(b, `": { "afi": "`...)
		b = append(b, r.Family.AFI.String()...)
		b = append(b, `", "safi": "`...)
		b = append(b, r.Family.SAFI.String()...)
		b = append(b, `", "subtype": "`...)
		b = append(b, r.SubtypeName()...)
		return append(b, `" }`...)
	})
}

// Packets appends the raw "packets" event (api packets without
// consolidate): typed by the message name, the message as hex, and the
// negotiated block when neg is not nil. msg is the whole message.
func (e *Encoder) Packets(b []byte, nb *Neighbor, dir Direction, msg []byte, neg *wire.Negotiated) []byte {
	if len(msg) < 19 {
		return b
	}
	typ := e.Dialect.messageType(msg[18])
	plain := *e
	plain.Consolidate = false
	return plain.neighborEvent(b, nb, typ, dir, nil, func(b []byte) []byte {
		b = append(b, `"message": { "category": `...)
		b = appendUint(b, uint64(msg[18]))
		b = append(b, `, "header": "`...)
		b = appendHexUpper(b, msg[:19])
		b = append(b, `", "body": "`...)
		b = appendHexUpper(b, msg[19:])
		b = append(b, `" } `...)
		if neg != nil {
			b = append(b, ", "...)
			b = e.appendNegotiated(b, neg)
		}
		return b
	})
}

// Operational is an OPERATIONAL message as ExaBGP's API shows it
// (draft-ietf-idr-operational-message): Kind selects the shape.
type Operational struct {
	Kind     OperationalKind
	Name     string // "ASM", "ADM", "RPCQ", "RPCP", "APCQ", "APCP", "LPCQ", "LPCP"
	Family   wire.Family
	Advisory string // advisory kinds
	RouterID string // counter kinds
	Sequence uint32
	Counter  uint32
}

// OperationalKind is the shape of an OPERATIONAL event.
type OperationalKind uint8

// Operational shapes.
const (
	OperationalAdvisory OperationalKind = iota
	OperationalQuery
	OperationalCounter
)

// OperationalEvent appends the "operational" event.
func (e *Encoder) OperationalEvent(b []byte, nb *Neighbor, dir Direction, op *Operational, msg []byte) []byte {
	return e.neighborEvent(b, nb, "operational", dir, msg, func(b []byte) []byte {
		b = append(b, `"operational": { "name": `...)
		b = appendStr(b, op.Name)
		b = append(b, `, "afi": "`...)
		b = append(b, op.Family.AFI.String()...)
		b = append(b, `", "safi": "`...)
		b = append(b, op.Family.SAFI.String()...)
		b = append(b, '"')
		switch op.Kind {
		case OperationalAdvisory:
			b = append(b, `, "advisory": `...)
			b = appendStr(b, op.Advisory)
		case OperationalCounter:
			b = append(b, `, "router-id": `...)
			b = appendStr(b, op.RouterID)
			b = append(b, `, "sequence": `...)
			b = appendUint(b, uint64(op.Sequence))
			b = append(b, `, "counter": `...)
			b = appendUint(b, uint64(op.Counter))
		}
		return append(b, " }"...)
	})
}
