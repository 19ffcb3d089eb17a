package format

import (
	"net/netip"
	"unicode/utf8"

	"exago/wire"
)

// DecodeOperational reads an OPERATIONAL message body (ExaBGP's
// draft-ietf-idr-operational-message, message type 6) into the event
// form: advisories ADM/ASM, queries RPCQ/APCQ/LPCQ, counters
// RPCP/APCP/LPCP. ok is false for a type ExaBGP ignores (no event). A
// body too short for its type is NOTIFICATION 5/0, as ExaBGP.
func DecodeOperational(body []byte) (op Operational, ok bool, err error) {
	short := func(reason string) (Operational, bool, error) {
		return Operational{}, false, &wire.NotifyError{Code: wire.CodeFSM, Subcode: 0, Offset: wire.HeaderLen, Reason: reason}
	}
	if len(body) < 4 {
		return short("invalid operational message, not enough data for the header")
	}
	typ, length := be16(body), int(be16(body[2:]))
	var kind OperationalKind
	switch typ {
	case 1, 2:
		kind = OperationalAdvisory
	case 3, 5, 7:
		kind = OperationalQuery
	case 4, 6, 8:
		kind = OperationalCounter
	default:
		return Operational{}, false, nil
	}
	op = Operational{Kind: kind, Name: operationalName(typ)}
	if len(body) < 7 {
		return short("invalid operational message, not enough data for the family")
	}
	op.Family = wire.Family{AFI: wire.AFI(be16(body[4:])), SAFI: wire.SAFI(body[6])}
	switch kind {
	case OperationalAdvisory:
		end := min(len(body), length+4)
		if end > 7 {
			op.Advisory = string(appendReplacingUTF8(nil, body[7:end]))
		}
	case OperationalQuery:
		if len(body) < 15 {
			return short("invalid operational query, not enough data")
		}
		op.RouterID = netip.AddrFrom4([4]byte(body[7:11])).String()
		op.Sequence = be32(body[11:])
	case OperationalCounter:
		if len(body) < 19 {
			return short("invalid operational counter, not enough data")
		}
		op.RouterID = netip.AddrFrom4([4]byte(body[7:11])).String()
		op.Sequence = be32(body[11:])
		op.Counter = be32(body[15:])
	}
	return op, true, nil
}

func operationalName(t uint16) string {
	names := [...]string{1: "ADM", 2: "ASM", 3: "RPCQ", 4: "RPCP", 5: "APCQ", 6: "APCP", 7: "LPCQ", 8: "LPCP"}
	if int(t) < len(names) {
		return names[t]
	}
	return ""
}

// appendReplacingUTF8 appends v with invalid UTF-8 replaced by U+FFFD, as
// Python's decode('utf-8', 'replace').
func appendReplacingUTF8(b []byte, v []byte) []byte {
	for len(v) > 0 {
		r, n := utf8.DecodeRune(v)
		b = utf8.AppendRune(b, r) // RuneError (U+FFFD) for invalid bytes
		v = v[n:]
	}
	return b
}
