package testpeer

import (
	"encoding/binary"
	"errors"
)

// BGP message types (RFC 4271 §4.1, RFC 2918).
const (
	typeOpen         = 1
	typeUpdate       = 2
	typeNotification = 3
	typeKeepalive    = 4
	typeRouteRefresh = 5
)

const headerLen = 19

// msgType returns the type octet of a whole message, 0 if it is too short.
func msgType(msg []byte) uint8 {
	if len(msg) < headerLen {
		return 0
	}
	return msg[18]
}

// isEOR reports whether msg is an End-of-RIB marker as qa/sbin/bgp sees it
// (RFC 4724 §2): an UPDATE whose body is 4 bytes (IPv4 unicast) or 11 bytes
// (an empty MP_UNREACH_NLRI).
func isEOR(msg []byte) bool {
	body := len(msg) - headerLen
	return msgType(msg) == typeUpdate && (body == 4 || body == 11)
}

// header appends a BGP header for a message of the given body length.
func header(b []byte, typ uint8, bodyLen int) []byte {
	for range 16 {
		b = append(b, 0xFF)
	}
	b = binary.BigEndian.AppendUint16(b, uint16(headerLen+bodyLen))
	return append(b, typ)
}

// Keepalive returns a KEEPALIVE message (RFC 4271 §4.4).
func Keepalive() []byte { return header(nil, typeKeepalive, 0) }

// Cease returns the NOTIFICATION qa/sbin/bgp sends for a notification rule:
// Cease (6), subcode 0, the text as data (RFC 4271 §4.5).
func Cease(text string) []byte {
	b := header(nil, typeNotification, 2+len(text))
	b = append(b, 6, 0)
	return append(b, text...)
}

// UnknownMessage returns a header-only message of type 255.
func UnknownMessage() []byte { return header(nil, 255, 0) }

// DefaultRoute returns the UPDATE option:update:send-default-route sends:
// 0.0.0.0/32 (what qa/sbin/bgp's bytes carry, although its option is
// called "default route"), ORIGIN IGP, empty AS_PATH, NEXT_HOP 127.0.0.1,
// LOCAL_PREF 100.
func DefaultRoute() []byte {
	attrs := []byte{
		0x40, 1, 1, 0, // ORIGIN IGP
		0x40, 2, 0, // AS_PATH empty
		0x40, 3, 4, 127, 0, 0, 1, // NEXT_HOP
		0x40, 5, 4, 0, 0, 0, 100, // LOCAL_PREF
	}
	body := []byte{0, 0, 0, byte(len(attrs))}
	body = append(body, attrs...)
	body = append(body, 32, 0, 0, 0, 0) // NLRI 0.0.0.0/32
	return append(header(nil, typeUpdate, len(body)), body...)
}

var (
	errOpen  = errors.New("not a well-formed OPEN message")
	errPanic = errors.New("the decoder panicked")
)

// OpenReply builds the OPEN qa/sbin/bgp answers with, from the daemon's
// OPEN (marker included). Without asn the router-id's last byte is
// incremented. With asn (option:asn) the 2-byte ASN is replaced and, when
// the first capability of an optional parameter is 4-octet ASN (RFC 6793),
// its value too; the router-id is then left unchanged, as in qa/sbin/bgp.
// With unknownCap a capability 66 "loremipsum" is appended in its own
// parameter (RFC 5492).
func OpenReply(open []byte, asn uint32, unknownCap bool) ([]byte, error) {
	if msgType(open) != typeOpen || len(open) < headerLen+10 || int(open[headerLen+9]) > len(open)-headerLen-10 {
		return nil, errOpen
	}
	out := append([]byte(nil), open...)
	body := out[headerLen:]
	if asn == 0 {
		body[8]++
	} else {
		binary.BigEndian.PutUint16(body[1:3], uint16(asn))
		patchASN4(body[10:10+int(body[9])], asn)
	}
	if !unknownCap {
		return out, nil
	}
	content := "loremipsum"
	param := []byte{2, byte(2 + len(content)), 66, byte(len(content))}
	param = append(param, content...)
	if int(body[9])+len(param) > 255 {
		return nil, errOpen
	}
	body[9] += byte(len(param))
	out = append(out, param...)
	binary.BigEndian.PutUint16(out[16:18], uint16(len(out)))
	return out, nil
}

// patchASN4 writes asn into the first 4-octet ASN capability that opens an
// optional parameter, as qa/sbin/bgp does.
func patchASN4(params []byte, asn uint32) {
	for off := 0; off+2 <= len(params); off += 2 + int(params[off+1]) {
		if params[off] == 2 && off+8 <= len(params) && params[off+2] == 65 {
			binary.BigEndian.PutUint32(params[off+4:off+8], asn)
			return
		}
	}
}
