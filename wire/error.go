package wire

// Handling is the RFC 7606 action a receiver takes for a malformed message.
type Handling uint8

const (
	// Reset: send the NOTIFICATION and close the session (RFC 4271 §6).
	Reset Handling = iota
	// TreatAsWithdraw: withdraw every NLRI of the UPDATE (RFC 7606 §2).
	TreatAsWithdraw
	// AttrDiscard: drop the attribute and go on (RFC 7606 §2).
	AttrDiscard
)

// String names the action as ExaBGP's JSON does for received UPDATEs
// ("treat-as-withdraw", "discard"), or "reset".
func (h Handling) String() string {
	switch h {
	case TreatAsWithdraw:
		return "treat-as-withdraw"
	case AttrDiscard:
		return "discard"
	}
	return "reset"
}

// NOTIFICATION error codes (RFC 4271 §4.5, RFC 7313, RFC 9687).
const (
	CodeHeader       uint8 = 1
	CodeOpen         uint8 = 2
	CodeUpdate       uint8 = 3
	CodeHoldTimer    uint8 = 4
	CodeFSM          uint8 = 5
	CodeCease        uint8 = 6
	CodeRouteRefresh uint8 = 7
	CodeSendHold     uint8 = 8
)

// NotifyError is the one protocol error type: every decoder returns it.
// Code/Subcode/Data are what goes in the NOTIFICATION; Action says what
// RFC 7606 prescribes; Attr names the attribute type code concerned (0 if
// none) and Offset the byte offset in the message where decoding failed.
// Reason is a short static description for logs and `exabgp decode`.
type NotifyError struct {
	Code    uint8
	Subcode uint8
	Data    []byte
	Action  Handling
	Attr    uint8
	Offset  int
	Reason  string
}

// Error renders the error for logs: "notification 3/1: reason (attribute
// 14) at byte 23".
func (e *NotifyError) Error() string {
	s := "notification " + itoa(int(e.Code)) + "/" + itoa(int(e.Subcode))
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	if e.Attr != 0 {
		s += " (attribute " + itoa(int(e.Attr)) + ")"
	}
	s += " at byte " + itoa(e.Offset)
	return s
}

func itoa(v int) string {
	if v == 0 {
		return "0"
	}
	neg := v < 0
	if neg {
		v = -v
	}
	var b [20]byte
	i := len(b)
	for v > 0 {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
