package format

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"exago/wire"
)

// Text renders ExaBGP's text encoder events (reactor/api/response/text.py).
// Each method returns the event as ExaBGP builds it, ending in "\n" except
// the operational ones; ExaBGP's writer then adds one more "\n", which is
// the caller's job (so every text event is followed by a blank line).
// fsm, negotiated and signal events have no text form.
type Text struct {
	PID, PPID int // for the shutdown line
	// Consolidate adds the header/body hex line to update events (and
	// " header .. body .." to the others when msg is given).
	Consolidate bool
}

func textPrefix(b []byte, nb *Neighbor) []byte {
	b = append(b, "neighbor "...)
	return appendAddrOrNone(b, nb.PeerAddr)
}

// appendHeaderBody appends ExaBGP's _header_body: " header 0x..." and
// " body 0x..." for the consolidate form (msg nil: nothing).
func appendHeaderBody(b []byte, msg []byte) []byte {
	if len(msg) < wire.HeaderLen {
		return b
	}
	b = append(b, " header "...)
	b = appendHexUpper(b, msg[:wire.HeaderLen])
	if len(msg) > wire.HeaderLen {
		b = append(b, " body "...)
		b = appendHexUpper(b, msg[wire.HeaderLen:])
	}
	return b
}

// Connected appends "neighbor P connected\n".
func (t *Text) Connected(b []byte, nb *Neighbor) []byte {
	return append(textPrefix(b, nb), " connected\n"...)
}

// Up appends "neighbor P up\n".
func (t *Text) Up(b []byte, nb *Neighbor) []byte { return append(textPrefix(b, nb), " up\n"...) }

// Down appends "neighbor P down - reason\n" (reason on one line).
func (t *Text) Down(b []byte, nb *Neighbor, reason string) []byte {
	b = append(textPrefix(b, nb), " down - "...)
	b = appendOneLine(b, reason)
	return append(b, '\n')
}

// Shutdown appends "shutdown PID PPID\n".
func (t *Text) Shutdown(b []byte) []byte {
	b = append(b, "shutdown "...)
	b = appendInt(b, int64(t.PID))
	b = append(b, ' ')
	b = appendInt(b, int64(t.PPID))
	return append(b, '\n')
}

// Keepalive appends "neighbor P DIR keepalive[ header ..]\n". msg is the
// whole message for the consolidate form, or nil.
func (t *Text) Keepalive(b []byte, nb *Neighbor, dir Direction, msg []byte) []byte {
	b = textPrefix(b, nb)
	b = append(b, ' ')
	b = append(b, dir...)
	b = append(b, " keepalive"...)
	return append(appendHeaderBody(b, msg), '\n')
}

// Notification appends "neighbor P DIR notification code C subcode S
// data 0x...\n".
func (t *Text) Notification(b []byte, nb *Neighbor, dir Direction, n wire.Notification, msg []byte) []byte {
	var scratch [512]byte
	data := notificationData(scratch[:0], n, dir)
	b = textPrefix(b, nb)
	b = append(b, ' ')
	b = append(b, dir...)
	b = append(b, " notification code "...)
	b = appendUint(b, uint64(n.Code))
	b = append(b, " subcode "...)
	b = appendUint(b, uint64(n.Subcode))
	b = append(b, " data "...)
	b = appendHexUpper(b, data)
	return append(appendHeaderBody(b, msg), '\n')
}

// Packets appends the raw form "neighbor P DIR CATEGORY header 0x.. body
// 0x..\n" (the message type number, as ExaBGP).
func (t *Text) Packets(b []byte, nb *Neighbor, dir Direction, msg []byte) []byte {
	if len(msg) < wire.HeaderLen {
		return b
	}
	b = textPrefix(b, nb)
	b = append(b, ' ')
	b = append(b, dir...)
	b = append(b, ' ')
	b = appendUint(b, uint64(msg[18]))
	return append(appendHeaderBody(b, msg), '\n')
}

// Refresh appends "neighbor P DIR route-refresh afi A safi S SUBTYPE\n".
func (t *Text) Refresh(b []byte, nb *Neighbor, dir Direction, r wire.RouteRefresh, msg []byte) []byte {
	b = textPrefix(b, nb)
	b = append(b, ' ')
	b = append(b, dir...)
	b = append(b, " route-refresh afi "...)
	b = append(b, r.Family.AFI.String()...)
	b = append(b, " safi "...)
	b = append(b, r.Family.SAFI.String()...)
	b = append(b, ' ')
	b = append(b, r.SubtypeName()...)
	return append(appendHeaderBody(b, msg), '\n')
}

// OperationalEvent appends the operational line (no trailing newline, as
// ExaBGP).
func (t *Text) OperationalEvent(b []byte, nb *Neighbor, dir Direction, op *Operational, msg []byte) []byte {
	b = textPrefix(b, nb)
	b = append(b, ' ')
	b = append(b, dir...)
	b = append(b, " operational "...)
	b = append(b, op.Name...)
	b = append(b, " afi "...)
	b = append(b, op.Family.AFI.String()...)
	b = append(b, " safi "...)
	b = append(b, op.Family.SAFI.String()...)
	switch op.Kind {
	case OperationalAdvisory:
		b = append(b, ` advisory "`...)
		b = append(b, op.Advisory...)
		b = append(b, '"')
	case OperationalCounter:
		b = append(b, " router-id "...)
		b = append(b, op.RouterID...)
		b = append(b, " sequence "...)
		b = appendUint(b, uint64(op.Sequence))
		b = append(b, " counter "...)
		b = appendUint(b, uint64(op.Counter))
	}
	return appendHeaderBody(b, msg)
}

// Open appends "neighbor P DIR open version 4 asn A hold_time H router_id
// R capabilities [c1, c2]\n", the capabilities as ExaBGP's str() of each,
// by code, lower-cased.
func (t *Text) Open(b []byte, nb *Neighbor, dir Direction, o *wire.Open, msg []byte) []byte {
	b = textPrefix(b, nb)
	b = append(b, ' ')
	b = append(b, dir...)
	b = append(b, " open version "...)
	b = appendUint(b, uint64(o.Version))
	b = append(b, " asn "...)
	b = appendUint(b, uint64(o.ASN))
	b = append(b, " hold_time "...)
	b = appendUint(b, uint64(o.HoldTime))
	b = append(b, " router_id "...)
	b = o.RouterID.AppendTo(b)
	b = append(b, " capabilities ["...)
	var caps []byte
	caps = appendCapabilitiesText(caps, &o.Caps, dir == Send)
	b = appendOneLine(b, strings.ToLower(string(caps)))
	b = append(b, ']')
	return append(appendHeaderBody(b, msg), '\n')
}

// appendOneLine appends s with non-printable characters escaped as \xNN
// (Text.oneline: one event per line, whatever the peer sent).
func appendOneLine(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = append(b, '\\', 'x', hexLower[s[i]>>4], hexLower[s[i]&15])
			i++
			continue
		}
		if !unicode.IsPrint(r) || r == 0x7f {
			// Python's '\\x%02x' % ord(c): at least two digits
			b = append(b, '\\', 'x')
			if r < 0x10 {
				b = append(b, '0')
			}
			b = appendHexNoPad(b, uint64(r))
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return b
}
