package wire

import "net/netip"

// OPERATIONAL message types (draft-ietf-idr-operational-message-00, as
// ExaBGP 5.0 implements them: advisories, prefix count queries and their
// counter replies).
const (
	OpADM  uint16 = 0x01 // Advisory Demand Message
	OpASM  uint16 = 0x02 // Advisory Static Message
	OpRPCQ uint16 = 0x03 // Reachable Prefix Count Request
	OpRPCP uint16 = 0x04 // Reachable Prefix Count Reply
	OpAPCQ uint16 = 0x05 // Adj-Rib-Out Prefix Count Request
	OpAPCP uint16 = 0x06 // Adj-Rib-Out Prefix Count Reply
	OpLPCQ uint16 = 0x07 // BGP Loc-Rib Prefix Count Request
	OpLPCP uint16 = 0x08 // BGP Loc-Rib Prefix Count Reply
	OpNS   uint16 = 0xffff
)

// MaxAdvisory is the longest advisory ExaBGP sends; longer ones are cut
// to MaxAdvisory-3 octets and "...".
const MaxAdvisory = 2048

// Operational is an OPERATIONAL message (type 6): TLV type, AFI/SAFI, then
// per category an advisory text, or a router id and sequence number, plus
// a counter for replies. Advisory aliases the message.
type Operational struct {
	Type     uint16
	Family   Family
	RouterID netip.Addr // queries and counters
	Sequence uint32     // queries and counters
	Counter  uint32     // counters (RPCP, APCP, LPCP)
	Advisory []byte     // ADM, ASM
}

var opNames = [...]string{OpADM: "ADM", OpASM: "ASM", OpRPCQ: "RPCQ", OpRPCP: "RPCP",
	OpAPCQ: "APCQ", OpAPCP: "APCP", OpLPCQ: "LPCQ", OpLPCP: "LPCP"}

// OperationalName is ExaBGP's name of a type ("ASM", "RPCQ", ...) or "".
func OperationalName(t uint16) string {
	if int(t) < len(opNames) {
		return opNames[t]
	}
	return ""
}

// OperationalType maps an ExaBGP name (any case) to its type.
func OperationalType(name string) (uint16, bool) {
	for t, n := range opNames {
		if n != "" && len(n) == len(name) && upperEq(n, name) {
			return uint16(t), true
		}
	}
	return 0, false
}

func upperEq(upper, s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != upper[i] {
			return false
		}
	}
	return true
}

// Category is ExaBGP's category of the type: "advisory", "query",
// "counter", or "" for a type it ignores.
func (o *Operational) Category() string {
	switch o.Type {
	case OpADM, OpASM:
		return "advisory"
	case OpRPCQ, OpAPCQ, OpLPCQ:
		return "query"
	case OpRPCP, OpAPCP, OpLPCP:
		return "counter"
	}
	return ""
}

func opError(reason string) error {
	return &NotifyError{Code: CodeFSM, Subcode: SubcodeUnspecific, Reason: reason}
}

// DecodeOperational decodes an OPERATIONAL body. ok is false for a type
// ExaBGP ignores. A body too short for its category is 5/0, as ExaBGP.
func DecodeOperational(body []byte) (o Operational, ok bool, err error) {
	if len(body) < 4 {
		return o, false, opError("invalid operational message, not enough data for the header")
	}
	o.Type = be.Uint16(body)
	l := int(be.Uint16(body[2:]))
	cat, need := o.Category(), 7
	switch cat {
	case "":
		return o, false, nil
	case "query":
		need = 15
	case "counter":
		need = 19
	}
	if len(body) < need {
		return o, false, opError("invalid operational " + cat + ", not enough data")
	}
	o.Family = Family{AFI(be.Uint16(body[4:])), SAFI(body[6])}
	if cat == "advisory" {
		end := min(4+l, len(body))
		if end < 7 {
			end = 7
		}
		o.Advisory = body[7:end]
		return o, true, nil
	}
	o.RouterID = netip.AddrFrom4([4]byte(body[7:11]))
	o.Sequence = be.Uint32(body[11:])
	if cat == "counter" {
		o.Counter = be.Uint32(body[15:])
	}
	return o, true, nil
}

// Append appends o as a complete OPERATIONAL message.
func (o *Operational) Append(b []byte) []byte {
	b, s := BeginMessage(b, TypeOperational)
	b = appendU16(b, o.Type)
	l := len(b)
	b = append(b, 0, 0)
	b = appendU16(b, uint16(o.Family.AFI))
	b = append(b, byte(o.Family.SAFI))
	switch o.Category() {
	case "advisory":
		if len(o.Advisory) > MaxAdvisory {
			b = append(append(b, o.Advisory[:MaxAdvisory-3]...), "..."...)
		} else {
			b = append(b, o.Advisory...)
		}
	case "query", "counter":
		b = appendAddr4(b, o.RouterID)
		b = appendU32(b, o.Sequence)
		if o.Category() == "counter" {
			b = appendU32(b, o.Counter)
		}
	}
	putU16(b, l, len(b)-l-2)
	return EndMessage(b, s)
}
