package wire

// Message types (RFC 4271 §4.1, RFC 2918, draft-ietf-idr-operational-message).
const (
	TypeOpen         uint8 = 1
	TypeUpdate       uint8 = 2
	TypeNotification uint8 = 3
	TypeKeepalive    uint8 = 4
	TypeRouteRefresh uint8 = 5
	TypeOperational  uint8 = 6 // ExaBGP's OPERATIONAL, not IANA assigned
)

// Message size limits (RFC 4271 §4.1, RFC 8654).
const (
	HeaderLen     = 19
	MaxSize       = 4096
	MaxSizeExtMsg = 65535
)

// Message header errors (RFC 4271 §6.1).
const (
	SubcodeNotSynchronized uint8 = 1
	SubcodeBadLength       uint8 = 2
	SubcodeBadType         uint8 = 3
)

// Message is one complete BGP message, header included: a view over the
// bytes it was framed from (valid until that buffer is reused). Frame
// validated its header, so accessors do not re-check sizes.
type Message []byte

// Type is the message type octet.
func (m Message) Type() uint8 { return m[18] }

// Len is the length field of the header.
func (m Message) Len() int { return int(m[16])<<8 | int(m[17]) }

// Body is the message without its 19-byte header.
func (m Message) Body() []byte { return m[HeaderLen:] }

// TypeName returns ExaBGP's long name of a message type ("open", "update",
// "notification", "keepalive", "route-refresh", "operational"), or
// "unknown".
func TypeName(t uint8) string {
	switch t {
	case TypeOpen:
		return "open"
	case TypeUpdate:
		return "update"
	case TypeNotification:
		return "notification"
	case TypeKeepalive:
		return "keepalive"
	case TypeRouteRefresh:
		return "route-refresh"
	case TypeOperational:
		return "operational"
	}
	return "unknown"
}

// frameLens holds, per message type, the smallest valid length less the
// header's 19 octets, with frameExact when the length is exact (RFC 4271
// §4.2-4.4, RFC 2918 §3, as ExaBGP's Message.Length); 0 for the other
// types. A 256-entry table: indexing by the type octet needs no bounds
// check.
var frameLens = [256]uint8{
	TypeOpen:         29 - HeaderLen,
	TypeUpdate:       23 - HeaderLen,
	TypeNotification: 21 - HeaderLen,
	TypeKeepalive:    frameExact,
	TypeRouteRefresh: 23 - HeaderLen | frameExact,
}

const frameExact = 0x80

// Frame returns the first complete message at the front of stream and its
// size. When stream does not hold a whole message yet it returns (nil, 0,
// nil): read more and call again. max is the negotiated maximum message
// size ([MaxSize], or [MaxSizeExtMsg] with extended messages, RFC 8654).
//
// Errors are RFC 4271 §6.1 header errors: 1/1 for a bad marker, 1/2 (Data
// = the erroneous length field) for a length below 19, above max or wrong
// for the type, and 1/3 (Data = the type octet) for an unknown type. For a
// 1/3 the message and its size are returned with the error, so the caller
// can report it.
func Frame(stream []byte, max int) (Message, int, error) {
	if len(stream) < HeaderLen {
		return nil, 0, nil
	}
	h := stream[:HeaderLen:HeaderLen]
	// The marker is all ones when the AND of its two halves is.
	if le.Uint64(h)&le.Uint64(h[8:]) != ^uint64(0) {
		return nil, 0, &NotifyError{Code: CodeHeader, Subcode: SubcodeNotSynchronized,
			Reason: "The packet received does not contain a BGP marker"}
	}
	n, t := int(h[16])<<8|int(h[17]), h[18]
	x := frameLens[t]
	want := HeaderLen + int(x&^frameExact)
	if n < want || n > max || x&frameExact != 0 && n != want {
		return nil, 0, &NotifyError{Code: CodeHeader, Subcode: SubcodeBadLength,
			Data: []byte{h[16], h[17]}, Offset: 16,
			Reason: "invalid message length"}
	}
	if len(stream) < n {
		return nil, 0, nil
	}
	m := Message(stream[:n:n])
	if t-TypeOpen > TypeOperational-TypeOpen {
		return m, n, &NotifyError{Code: CodeHeader, Subcode: SubcodeBadType,
			Data: []byte{t}, Offset: 18, Reason: "can not decode message of unknown type"}
	}
	return m, n, nil
}

// Split is [Frame] under the name bufio.SplitFunc users expect.
func Split(stream []byte, max int) (Message, int, error) { return Frame(stream, max) }

// BeginMessage appends a BGP header of type t with a zero length and
// returns the buffer and the header's offset; append the body, then call
// [EndMessage] to back-fill the length (STYLE.md §3).
func BeginMessage(b []byte, t uint8) ([]byte, int) {
	start := len(b)
	b = append(b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, t)
	return b, start
}

// EndMessage back-fills the length of the message begun at start.
func EndMessage(b []byte, start int) []byte {
	putU16(b, start+16, len(b)-start)
	return b
}

// AppendKeepalive appends a KEEPALIVE message (RFC 4271 §4.4).
func AppendKeepalive(b []byte) []byte {
	b, s := BeginMessage(b, TypeKeepalive)
	return EndMessage(b, s)
}

// AppendMessage appends a message of type t with the given body.
func AppendMessage(b []byte, t uint8, body []byte) []byte {
	b, s := BeginMessage(b, t)
	b = append(b, body...)
	return EndMessage(b, s)
}
