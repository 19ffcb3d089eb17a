package format

import "exago/wire"

// This file applies ExaBGP's handling of received path attributes
// (attribute/attributes.py parse, RFC 7606): flag checks, zero-length
// attributes, duplicates, and the treat-as-withdraw / attribute-discard
// outcomes, which ExaBGP shows as an "error" attribute ("treat-as-withdraw",
// "treat-as-withdraw due to <name>", "discard") while still listing the
// NLRI.

// Outcome markers recorded on the update.
const (
	markNone    uint8 = iota
	markTAW           // "treat-as-withdraw"
	markTAWDue        // "treat-as-withdraw due to <name>"
	markDiscard       // "discard"
)

// exaFlags is the FLAG ExaBGP registers each attribute it knows with (the
// ext-length bit ignored); ok false for codes it does not know.
func exaFlags(code uint8) (uint8, bool) {
	const o, t = wire.FlagOptional, wire.FlagTransitive
	switch code {
	case wire.AttrOrigin, wire.AttrASPath, wire.AttrNextHop, wire.AttrLocalPref, wire.AttrAtomicAggregate:
		return t, true
	case wire.AttrMED, wire.AttrOriginatorID, wire.AttrClusterList, wire.AttrMPReach, wire.AttrMPUnreach,
		wire.AttrAIGP, wire.AttrBGPLS:
		return o, true
	case wire.AttrAggregator, wire.AttrCommunities, wire.AttrExtCommunities, 25, wire.AttrAS4Path,
		wire.AttrAS4Aggregator, wire.AttrPMSI, wire.AttrLargeCommunities, wire.AttrPrefixSID:
		return o | t, true
	}
	return 0, false
}

// tawCode reports the attributes whose errors are treat-as-withdraw.
func tawCode(code uint8) bool {
	switch code {
	case wire.AttrOrigin, wire.AttrASPath, wire.AttrNextHop, wire.AttrMED, wire.AttrLocalPref, wire.AttrLargeCommunities:
		return true
	}
	return false
}

// discardCode reports the attributes whose errors are attribute-discard.
func discardCode(code uint8) bool {
	return code == wire.AttrAtomicAggregate || code == wire.AttrAggregator || code == wire.AttrBGPLS
}

// attrMarkName is ExaBGP's Attribute.CODE name for "due to" messages.
func attrMarkName(code uint8) string {
	switch code {
	case wire.AttrMPReach:
		return "mp-reach-nlri"
	case wire.AttrMPUnreach:
		return "mp-unreach-nlri"
	case wire.AttrAS4Path:
		return "as4-path"
	case wire.AttrAS4Aggregator:
		return "as4-aggregator"
	case wire.AttrPMSI:
		return "pmsi-tunnel"
	}
	if n := attrName(code); n != "" {
		return n
	}
	return "unknown-attribute-0x" + string(appendHexNoPad(nil, uint64(code)))
}

// validAttr checks the value of a known attribute as ExaBGP's decoders
// do; nil when it decodes.
func validAttr(a wire.Attr, asn4 bool) error {
	v, code := a.Value, a.Code
	bad := func(reason string) error { return attrError(code, wire.SubcodeAttrLength, reason) }
	switch code {
	case wire.AttrNextHop:
		if len(v) != 4 && len(v) != 16 {
			return bad("invalid NEXT_HOP, expected 4 or 16 bytes")
		}
	case wire.AttrMED, wire.AttrLocalPref:
		if len(v) != 4 {
			return bad("invalid length, expected 4 bytes")
		}
	case wire.AttrASPath, wire.AttrAS4Path:
		return walkASPath(v, asn4 || code == wire.AttrAS4Path, code, func(uint8, []byte) {})
	case wire.AttrAggregator, wire.AttrAS4Aggregator:
		_, _, err := aggregator(v, asn4 || code == wire.AttrAS4Aggregator, code)
		return err
	case wire.AttrCommunities:
		if len(v)%4 != 0 {
			return bad("could not decode community")
		}
	case wire.AttrOriginatorID:
		if len(v) != 4 {
			return bad("invalid ORIGINATOR_ID")
		}
	case wire.AttrClusterList:
		if len(v)%4 != 0 {
			return bad("invalid CLUSTER_LIST")
		}
	case wire.AttrExtCommunities:
		if len(v)%8 != 0 {
			return bad("invalid extended community")
		}
	case wire.AttrLargeCommunities:
		if len(v)%12 != 0 {
			return bad("could not decode large community")
		}
	case 25:
		if len(v)%ext6Size != 0 {
			return bad("could not decode ipv6 extended community")
		}
	case wire.AttrPMSI:
		if len(v) < 5 {
			return bad("could not decode PMSI tunnel")
		}
	case wire.AttrAIGP:
		_, _, err := appendAIGP(nil, v, code)
		return err
	case wire.AttrBGPLS:
		return wire.CheckLSAttr(v) // malformed: attribute-discard, as ExaBGP
	}
	return nil
}

// admit applies ExaBGP's policy to one received attribute: keep reports
// whether it goes into the attribute list; a non-nil error is one ExaBGP
// raises (the message cannot be decoded).
func (u *update) admit(a wire.Attr) (keep bool, err error) {
	want, known := exaFlags(a.Code)
	if !known {
		// unknown: transitive ones are passed on (shown), others ignored
		return a.Flags&wire.FlagTransitive != 0, nil
	}
	flags := a.Flags &^ wire.FlagExtLen
	if want&wire.FlagOptional != 0 {
		flags &^= wire.FlagPartial
	}
	if flags != want {
		if tawCode(a.Code) {
			u.mark(markTAW, a.Code)
		}
		return false, nil // known attribute with wrong flags: dropped
	}
	if len(a.Value) == 0 && a.Code != wire.AttrAtomicAggregate && a.Code != wire.AttrASPath {
		u.mark(markTAWDue, a.Code)
		return false, nil
	}
	if a.Code == wire.AttrAtomicAggregate || a.Code == wire.AttrMPReach || a.Code == wire.AttrMPUnreach {
		return true, nil
	}
	if err := validAttr(a, u.asn4); err != nil {
		switch {
		case tawCode(a.Code):
			u.mark(markTAW, a.Code)
			return false, nil
		case discardCode(a.Code):
			u.mark(markDiscard, a.Code)
			return false, nil
		}
		if ne, ok := err.(*wire.NotifyError); ok {
			ne.Offset, ne.Attr = a.Offset, a.Code
		}
		return false, err
	}
	return true, nil
}

// mark records an outcome; the first of each kind wins, as ExaBGP's
// attribute dict keeps the first value of a key.
func (u *update) mark(m uint8, code uint8) {
	if m == markDiscard {
		if u.discard == markNone {
			u.discard, u.discardCode = m, code
		}
		return
	}
	if u.taw == markNone {
		u.taw, u.tawCode = m, code
	}
}

// appendMarks appends the "error" members (JSON when json, else text).
func (u *update) appendMarks(b []byte, n int, json bool) []byte {
	emit := func(b []byte, text string, code uint8, due bool) []byte {
		if json {
			if n > 0 {
				b = append(b, ", "...)
			}
			b = append(b, `"error": "`...)
		} else {
			b = append(b, " error "...)
		}
		b = append(b, text...)
		if due {
			b = append(b, " due to "...)
			b = append(b, attrMarkName(code)...)
		}
		if json {
			b = append(b, '"')
		}
		n++
		return b
	}
	if u.discard != markNone {
		b = emit(b, "discard", u.discardCode, false)
	}
	if u.taw != markNone {
		b = emit(b, "treat-as-withdraw", u.tawCode, u.taw == markTAWDue)
	}
	return b
}
