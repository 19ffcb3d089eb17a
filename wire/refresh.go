package wire

// ROUTE-REFRESH subtypes, the "Reserved" octet (RFC 2918 §3, RFC 7313 §3.2).
const (
	RefreshRequest uint8 = 0 // normal request ("query")
	RefreshBegin   uint8 = 1 // BoRR
	RefreshEnd     uint8 = 2 // EoRR
)

// RouteRefresh is a ROUTE-REFRESH message (RFC 2918, RFC 7313).
type RouteRefresh struct {
	Family  Family
	Subtype uint8
}

// DecodeRouteRefresh decodes a ROUTE-REFRESH body: 7/1 when it is not 4
// octets, 7/2 for a subtype other than 0, 1, 2 (RFC 7313 §5).
func DecodeRouteRefresh(body []byte) (RouteRefresh, error) {
	if len(body) != 4 {
		return RouteRefresh{}, &NotifyError{Code: CodeRouteRefresh, Subcode: SubcodeInvalidRefreshLen,
			Reason: "invalid route-refresh message"}
	}
	r := RouteRefresh{Family: Family{AFI(be.Uint16(body)), SAFI(body[3])}, Subtype: body[2]}
	if r.Subtype > RefreshEnd {
		return r, &NotifyError{Code: CodeRouteRefresh, Subcode: SubcodeMalformedRefreshSub, Offset: 2,
			Reason: "invalid route-refresh message subtype"}
	}
	return r, nil
}

// Append appends r as a complete ROUTE-REFRESH message.
func (r RouteRefresh) Append(b []byte) []byte {
	b, s := BeginMessage(b, TypeRouteRefresh)
	b = appendU16(b, uint16(r.Family.AFI))
	b = append(b, r.Subtype, byte(r.Family.SAFI))
	return EndMessage(b, s)
}

// SubtypeName is ExaBGP's name of the subtype: "query", "begin", "end" or
// "invalid".
func (r RouteRefresh) SubtypeName() string {
	switch r.Subtype {
	case RefreshRequest:
		return "query"
	case RefreshBegin:
		return "begin"
	case RefreshEnd:
		return "end"
	}
	return "invalid"
}
