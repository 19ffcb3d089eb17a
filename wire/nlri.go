package wire

// NLRI is one route key of any family (RFC 4760 §5): a prefix, a FlowSpec
// rule, a VPLS block, an EVPN route... Each NLRI kind lives in its own file
// (nlri_inet.go, nlri_flow.go, ...) and registers its decoder in
// nlriDecoders, so a new family plugs in as one file.
//
// Values returned by decoders alias the message buffer unless the kind's doc
// says otherwise.
type NLRI interface {
	// Family is the AFI/SAFI the NLRI belongs to.
	Family() Family
	// AppendNLRI appends the packed NLRI as it goes in (MP_)REACH/UNREACH,
	// preceded by its 4-byte path identifier when addPath is true
	// (RFC 7911 §3).
	AppendNLRI(b []byte, addPath bool) []byte
}

// NLRIDecoder decodes one NLRI of its family from the front of b and returns
// it with the number of bytes consumed. addPath says whether a 4-byte path
// identifier precedes it (RFC 7911).
type NLRIDecoder func(f Family, b []byte, addPath bool) (NLRI, int, error)

// nlriDecoders is filled once by each nlri_*.go file's init and never
// changed afterwards.
var nlriDecoders = map[Family]NLRIDecoder{}

func registerNLRI(d NLRIDecoder, fams ...Family) {
	for _, f := range fams {
		nlriDecoders[f] = d
	}
}

// DecodeNLRI decodes one NLRI of family f from the front of b.
// A family no file registered gives NOTIFICATION 3/0
// ("trying to decode unknown family", as ExaBGP).
func DecodeNLRI(f Family, b []byte, addPath bool) (NLRI, int, error) {
	d, ok := nlriDecoders[f]
	if !ok {
		return nil, 0, &NotifyError{Code: CodeUpdate, Subcode: 0, Reason: "trying to decode unknown family"}
	}
	return d(f, b, addPath)
}
