package format

import (
	"net/netip"

	"exago/wire"
)

// DecodeNeighbor is the synthetic neighbor `exabgp decode` reports
// messages from: 127.0.0.1, router-id 10.0.0.2, AS 65533 both sides
// (application/decode.py's conf_template).
func DecodeNeighbor() Neighbor {
	lo := netip.AddrFrom4([4]byte{127, 0, 0, 1})
	return Neighbor{LocalAddr: lo, PeerAddr: lo, LocalAS: 65533, PeerAS: 65533,
		RouterID: netip.AddrFrom4([4]byte{10, 0, 0, 2}), Counter: 1}
}

// DecodeSession is the session `exabgp decode` negotiates with itself
// for families fams (nil: all 21), with add-path send/receive on every
// family when addPath (-i): 4-octet ASNs, 4096-byte messages, hold time
// 180, route refresh absent.
func DecodeSession(fams []wire.Family, addPath bool) *wire.Negotiated {
	if len(fams) == 0 {
		fams = wire.AllFamilies[:]
	}
	n := &wire.Negotiated{ASN4: true, MaxSize: wire.MaxSize, HoldTime: 180, LocalAS: 65533, PeerAS: 65533,
		Families: fams, AddPath: map[wire.Family]uint8{}}
	if addPath {
		for _, f := range fams {
			n.AddPath[f] = wire.AddPathBoth
		}
	}
	return n
}

// DecodeMessage renders msg, a whole BGP message (header included), as
// the one JSON line `exabgp decode` prints (direction "in"): an OPEN, an
// UPDATE or a NOTIFICATION. Errors name what is wrong and where.
func (e *Encoder) DecodeMessage(b []byte, nb *Neighbor, msg []byte, neg *wire.Negotiated) ([]byte, error) {
	if len(msg) < wire.HeaderLen {
		return b, &wire.NotifyError{Code: wire.CodeHeader, Subcode: wire.SubcodeBadLength,
			Reason: "message shorter than the 19-byte BGP header"}
	}
	switch msg[18] {
	case wire.TypeOpen:
		o, err := wire.DecodeOpen(msg[wire.HeaderLen:])
		if err != nil {
			return b, err
		}
		return e.Open(b, nb, In, &o, msg), nil
	case wire.TypeUpdate:
		return e.Update(b, nb, In, msg, neg)
	case wire.TypeNotification:
		return e.Notification(b, nb, In, wire.DecodeNotification(msg[wire.HeaderLen:]), msg), nil
	}
	return b, &wire.NotifyError{Code: wire.CodeHeader, Subcode: wire.SubcodeBadType, Offset: 18,
		Reason: "unknown type " + itoa(int(msg[18]))}
}

// NLRI renders every NLRI of family f in b (ExaBGP's `decode -n`), one
// JSON value per element of the returned lines, appended to dst.
func NLRI(dst []byte, f wire.Family, data []byte, addPath bool) ([]byte, error) {
	s := nlriSource{fam: f, data: data, addPath: addPath}
	it := newNLRIIter(&s)
	n := 0
	for it.next() {
		if n > 0 {
			dst = append(dst, '\n')
		}
		n++
		if !it.inet {
			if r := familyRenderers[f]; r.NLRIOnly != nil {
				dst = r.NLRIOnly(dst, it.gen)
				continue
			}
		}
		dst = it.appendJSON(dst, Style{}, netip.Addr{})
	}
	return dst, it.err
}

func itoa(v int) string { return string(appendInt(nil, int64(v))) }

// DecodePayload renders raw as `exabgp decode` does: with the 16-byte
// marker, the message the header frames (type from byte 18); without it,
// raw is one UPDATE body. Errors say what is wrong and at which byte.
func (e *Encoder) DecodePayload(b []byte, nb *Neighbor, raw []byte, neg *wire.Negotiated) ([]byte, error) {
	if !hasMarker(raw) {
		if len(raw)+wire.HeaderLen > 0xffff {
			return b, &wire.NotifyError{Code: wire.CodeHeader, Subcode: wire.SubcodeBadLength,
				Reason: "UPDATE body too long for one message"}
		}
		msg := wire.AppendMessage(nil, wire.TypeUpdate, raw)
		b, err := e.DecodeMessage(b, nb, msg, neg)
		if ne, ok := err.(*wire.NotifyError); ok && ne.Offset >= wire.HeaderLen {
			ne.Offset -= wire.HeaderLen // report offsets in what the user gave
		}
		return b, err
	}
	if len(raw) < wire.HeaderLen {
		return b, &wire.NotifyError{Code: wire.CodeHeader, Subcode: wire.SubcodeBadLength, Offset: len(raw),
			Reason: "message shorter than the 19-byte BGP header"}
	}
	size := int(raw[16])<<8 | int(raw[17])
	if size < wire.HeaderLen || size > len(raw) {
		return b, &wire.NotifyError{Code: wire.CodeHeader, Subcode: wire.SubcodeBadLength, Offset: 16,
			Reason: "header length " + itoa(size) + " does not match the " + itoa(len(raw)) + " bytes given"}
	}
	return e.DecodeMessage(b, nb, raw[:size], neg)
}

func hasMarker(raw []byte) bool {
	if len(raw) < 16 {
		return false
	}
	for _, c := range raw[:16] {
		if c != 0xff {
			return false
		}
	}
	return true
}

// ParsePayload turns decode's payload argument into bytes: colons and
// white space are ignored, the rest must be an even number of hex digits.
// The error names the first offending character and its position.
func ParsePayload(s string) ([]byte, error) {
	out := make([]byte, 0, len(s)/2)
	var hi byte
	half := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		var v byte
		switch {
		case c == ':' || c == ' ' || c == '\t' || c == '\n' || c == '\r':
			continue
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			return nil, &PayloadError{Pos: i, Reason: "not a hexadecimal digit: " + string(appendStr(nil, s[i:i+1]))}
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		return nil, &PayloadError{Pos: len(s), Reason: "odd number of hexadecimal digits"}
	}
	return out, nil
}

// PayloadError is a payload that is not hexadecimal.
type PayloadError struct {
	Pos    int // character position in the argument
	Reason string
}

func (e *PayloadError) Error() string {
	return "payload character " + itoa(e.Pos) + ": " + e.Reason
}
