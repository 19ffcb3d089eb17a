package wire

// Deliberate deviations from ExaBGP 5.0 in attribute handling (RFC 7606
// is followed where ExaBGP would reset the session):
//   - a malformed COMMUNITIES, EXTENDED_COMMUNITIES, ORIGINATOR_ID,
//     CLUSTER_LIST or PMSI_TUNNEL is treat-as-withdraw (RFC 7606 §7),
//     ExaBGP sends a NOTIFICATION;
//   - a malformed AS4_PATH, AS4_AGGREGATOR or AIGP is discarded (RFC 6793
//     §6, RFC 7311 §3.2), ExaBGP sends a NOTIFICATION;
//   - MP_REACH_NLRI/MP_UNREACH_NLRI with wrong flags is a 3/4 reset
//     (RFC 7606 §5.3); ExaBGP silently ignores the attribute;
//   - an AS_PATH segment of length 0 is 3/11 treat-as-withdraw (RFC 7606
//     §7.2); ExaBGP accepts it;
//   - an empty AS_PATH decodes as HasASPath with no segments; ExaBGP drops
//     it (its JSON then has no "as-path").
//   - a known attribute with wrong Optional/Transitive flags gets its row's
//     action (RFC 7606 §3(c)); ExaBGP ignores it unless it is one of the
//     treat-as-withdraw or discard attributes below.
// As ExaBGP: ORIGIN, AS_PATH, NEXT_HOP, MED, LOCAL_PREF and
// LARGE_COMMUNITY errors are treat-as-withdraw; ATOMIC_AGGREGATE,
// AGGREGATOR and BGP-LS errors are attribute-discard; a zero-length known
// attribute other than AS_PATH and ATOMIC_AGGREGATE is treat-as-withdraw;
// a repeated attribute keeps the first one, except a repeated
// MP_(UN)REACH_NLRI which is 3/1; a received AIGP is ignored without
// Negotiated.AIGP, and AIGP is sent on iBGP or with Negotiated.AIGP.

// More attribute codes ExaBGP knows.
const (
	AttrIPv6ExtCommunities uint8 = 25 // RFC 5701
)

// attrDesc is one row of the attribute table: it drives flag checks,
// RFC 7606 handling, names and decoding. Encoding (attr_encode.go) is
// written out in ascending code order instead of called through the
// table: an indirect call would move the caller's Attributes to the heap
// and break the zero-allocation rule of the UpdateBuilder.
type attrDesc struct {
	name    string   // ExaBGP's JSON key
	flags   uint8    // FlagOptional|FlagTransitive as assigned
	onError Handling // RFC 7606 action for a malformed value or bad flags
	zeroOK  bool     // a zero length is valid
	decode  func(d *attrDecoder, v []byte) error
}

// attrTable is indexed by attribute type code. A row with an empty name is
// an attribute ExaBGP does not know: kept with the Partial bit when
// transitive, dropped otherwise (RFC 4271 §5).
var attrTable = [256]attrDesc{
	AttrOrigin:             {"origin", FlagTransitive, TreatAsWithdraw, false, decodeOrigin},
	AttrASPath:             {"as-path", FlagTransitive, TreatAsWithdraw, true, decodeASPath},
	AttrNextHop:            {"next-hop", FlagTransitive, TreatAsWithdraw, false, decodeNextHop},
	AttrMED:                {"med", FlagOptional, TreatAsWithdraw, false, decodeMED},
	AttrLocalPref:          {"local-preference", FlagTransitive, TreatAsWithdraw, false, decodeLocalPref},
	AttrAtomicAggregate:    {"atomic-aggregate", FlagTransitive, AttrDiscard, true, decodeAtomic},
	AttrAggregator:         {"aggregator", FlagOptional | FlagTransitive, AttrDiscard, false, decodeAggregator},
	AttrCommunities:        {"community", FlagOptional | FlagTransitive, TreatAsWithdraw, false, decodeCommunities},
	AttrOriginatorID:       {"originator-id", FlagOptional, TreatAsWithdraw, false, decodeOriginatorID},
	AttrClusterList:        {"cluster-list", FlagOptional, TreatAsWithdraw, false, decodeClusterList},
	AttrMPReach:            {"mp-reach-nlri", FlagOptional, Reset, false, decodeMPReach},
	AttrMPUnreach:          {"mp-unreach-nlri", FlagOptional, Reset, false, decodeMPUnreach},
	AttrExtCommunities:     {"extended-community", FlagOptional | FlagTransitive, TreatAsWithdraw, false, decodeExtCommunities},
	AttrAS4Path:            {"as4-path", FlagOptional | FlagTransitive, AttrDiscard, false, decodeAS4Path},
	AttrAS4Aggregator:      {"aggregator", FlagOptional | FlagTransitive, AttrDiscard, false, decodeAS4Aggregator},
	AttrPMSI:               {"pmsi", FlagOptional | FlagTransitive, TreatAsWithdraw, false, decodeRaw},
	AttrIPv6ExtCommunities: {"extended-community-ipv6", FlagOptional | FlagTransitive, TreatAsWithdraw, false, decodeRaw},
	AttrAIGP:               {"aigp", FlagOptional, AttrDiscard, false, decodeAIGP},
	AttrBGPLS:              {"bgp-ls", FlagOptional, AttrDiscard, false, decodeRaw},
	AttrLargeCommunities:   {"large-community", FlagOptional | FlagTransitive, TreatAsWithdraw, false, decodeLargeCommunities},
	AttrPrefixSID:          {"bgp-prefix-sid", FlagOptional | FlagTransitive, TreatAsWithdraw, false, decodeRaw},
}

// AttrName is ExaBGP's JSON key for an attribute: "origin", "as-path",
// ..., or "attribute-0xCC-0xFF" (code, flags) for one it does not know.
func AttrName(code, flags uint8) string {
	if n := attrTable[code].name; n != "" {
		return n
	}
	b := make([]byte, 0, 19)
	b = append(b, "attribute-0x"...)
	b = appendHexUpper(b, code)
	b = append(b, "-0x"...)
	b = appendHexUpper(b, flags)
	return string(b)
}

// AttrKnown reports whether ExaBGP 5.0 knows attribute code.
func AttrKnown(code uint8) bool { return attrTable[code].name != "" }

// AttrFlags returns the Optional/Transitive flags the RFC assigns to a
// known attribute.
func AttrFlags(code uint8) uint8 { return attrTable[code].flags }

func appendHexUpper(b []byte, v byte) []byte {
	const digits = "0123456789ABCDEF"
	return append(b, digits[v>>4], digits[v&15])
}
