package format

import (
	"strings"

	"exago/wire"
)

// Dialect selects the JSON shape of one ExaBGP version. Every shape
// decision that differs between versions is a Dialect method in this
// file (the renderers ask, they do not compare dialects), so a dialect is
// a switch, not a fork of the renderers; dialect40.go holds the few 4.2
// renderers that have no 5.0 counterpart to switch inside.
//
// Dialect40 is ExaBGP 4.2's API JSON ("exabgp": "4.0.1"), as 4.2.25's
// reactor/api/response/json.py and the json() methods of its attributes,
// capabilities and NLRI print it (golden files in
// testdata/dialect40, produced by running 4.2). It differs from 5.0 in:
//   - the neighbor block has no "router-id";
//   - AS_PATH is split into "as-path", "as-set", "confederation-path",
//     "confederation-set" lists instead of 5.0's numbered segments, and
//     an AS4_PATH shown raw reads "[ 1 2 ]";
//   - extended communities keep the order of the message, and 4-octet-ASN
//     route targets and origins end in "L" (target:1L:2);
//   - NOTIFICATION has no "message"; a "down" reason has its brackets and
//     braces turned into parentheses;
//   - the negotiated block's lists are written `[ "a" ,"b" ]`;
//   - the "packets" type of a ROUTE-REFRESH is "route refresh";
//   - OPEN: a received FQDN hostname (73) or software version (75)
//     capability is "unknown" with its raw value; a sent OPEN has no
//     phantom "hostname" entry and names operational
//     "exabgp-experimental-operational"; graceful restart ends "] }";
//   - FlowSpec: an IP protocol without a name is "unknown protocol type N";
//   - BGP-LS: node descriptors are one object (designated router, or the
//     IS-IS pseudonode "psn", before "router-id"),
//     "interface-address"/"neighbor-address" are objects of
//     singular members, no "multi-topology-ids" nor "link-identifiers";
//     attribute TLVs are not gathered (one "local-te-router-ids" per TLV),
//     TLVs 4.2 did not know are "attribute-not-implemented", the IS-IS
//     area is hex, "admin-group-mask" a one-element list, and SR
//     adjacency SIDs are flat "sr-adj-flags", "sids" ([[n]]),
//     "undecoded-sids", "sr-adj-weight".
//
// Where 4.2 printed something that is not JSON, Dialect40 prints the
// valid form 4.2 meant: refresh and operational values quoted once (4.2:
// `"afi": ""ipv6""`), strings JSON-escaped (4.2 wrote them raw; 5.0.13
// escapes them for security), a 4.2 BGP-LS TE router-ID list holding its
// own TLV's address (4.2 accumulated them across TLVs). Parsing (what is
// accepted, RFC 7606 handling, dropped FlowSpec NLRI) is 5.0's in every
// dialect: only the shape of what is printed changes. The text encoder
// ([Text]) has no dialect.
type Dialect uint8

const (
	// Dialect50 is ExaBGP 5.0's JSON ("exabgp": "5.0.0").
	Dialect50 Dialect = iota
	// Dialect40 is ExaBGP 4.2's JSON ("exabgp": "4.0.1").
	Dialect40
)

// ParseDialect reads a dialect name as a user gives it: the JSON version
// ExaBGP prints ("5.0.0", "4.0.1") or the release ("5", "5.0", "4",
// "4.2"); "" is Dialect50. This is the value of a setting such as
// exabgp_api_version / a --dialect switch (wired by the configuration
// package).
func ParseDialect(s string) (Dialect, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "5", "5.0", "5.0.0", "50":
		return Dialect50, nil
	case "4", "4.0", "4.0.1", "4.2", "40", "42":
		return Dialect40, nil
	}
	return Dialect50, &dialectError{s}
}

type dialectError struct{ s string }

func (e *dialectError) Error() string {
	return "unknown API JSON dialect " + `"` + e.s + `"` + ` (expected "5.0.0" or "4.0.1")`
}

// String is the dialect's JSON version.
func (d Dialect) String() string { return d.Version() }

// Version is the "exabgp" value of the envelope.
func (d Dialect) Version() string {
	if d == Dialect40 {
		return "4.0.1"
	}
	return "5.0.0"
}

// showRouterID: 5.0 added "router-id" to the neighbor block.
func (d Dialect) showRouterID() bool { return d != Dialect40 }

// refreshKey is the key of the ROUTE-REFRESH payload: "route-refresh" in
// both json.py (the 4.2 spelling "route refresh" is the message name, see
// messageType).
func (d Dialect) refreshKey() string { return "route-refresh" }

// messageType is the "type" of a "packets" event: the message name,
// which 4.2 spells "route refresh" for ROUTE-REFRESH (5.0
// "route-refresh").
func (d Dialect) messageType(t uint8) string {
	if d == Dialect40 && t == wire.TypeRouteRefresh {
		return "route refresh"
	}
	return wire.TypeName(t)
}

// notificationMessage: 5.0 added "message", the data as text.
func (d Dialect) notificationMessage() bool { return d != Dialect40 }

// appendReason appends the "down" reason string. 4.2 turned brackets and
// braces into parentheses (its writer would otherwise take the string for
// JSON) and escaped only quotes; both dialects JSON-escape here, which is
// the same text for every reason ExaBGP produces and keeps a peer's text
// from breaking the line.
func (d Dialect) appendReason(b []byte, reason string) []byte {
	if d == Dialect40 && strings.ContainsAny(reason, "[]{}") {
		reason = strings.NewReplacer("[", "(", "]", ")", "{", "(", "}", ")").Replace(reason)
	}
	return appendStr(b, reason)
}

// familyListSep and familyListEmpty shape the negotiated block's lists:
// 5.0 json.dumps ["a", "b"] / []; 4.2 [ "a" ,"b" ] / [  ] (add_path's
// lists [ "a", "b" ]: addPathSep).
func (d Dialect) familyListOpen() string {
	if d == Dialect40 {
		return "[ "
	}
	return "["
}

func (d Dialect) familyListClose() string {
	if d == Dialect40 {
		return " ]"
	}
	return "]"
}

func (d Dialect) familyListSep(addPath bool) string {
	if d == Dialect40 && !addPath {
		return " ,"
	}
	return ", "
}

// addPathOpen/addPathClose wrap the negotiated add_path object.
func (d Dialect) addPathOpen() string {
	if d == Dialect40 {
		return `"add_path": { "send": `
	}
	return `"add_path": {"send": `
}

func (d Dialect) addPathClose() string {
	if d == Dialect40 {
		return " } } "
	}
	return "} } "
}

// asPathSplit: 4.2 prints AS_PATH as "as-path", "as-set",
// "confederation-path" and "confederation-set" lists (aspath.py json()).
func (d Dialect) asPathSplit() bool { return d == Dialect40 }

// sortExtCommunities: 5.0 sorts extended communities; 4.2 keeps the
// order of the message.
func (d Dialect) sortExtCommunities() bool { return d != Dialect40 }

// asn4Suffix follows the 4-octet ASN of a route target or origin
// extended community: "L" in 4.2 (target:1L:2), nothing in 5.0.
func (d Dialect) asn4Suffix() string {
	if d == Dialect40 {
		return "L"
	}
	return ""
}

// lsAttrMerged: 5.0 gathers BGP-LS attribute TLVs of one kind under one
// key (local-te-router-ids, generic-lsid-N lists); 4.2 prints every TLV
// on its own.
func (d Dialect) lsAttrMerged() bool { return d != Dialect40 }

// lsAttrKnown reports whether dialect d has a class for BGP-LS attribute
// TLV t; 4.2 prints the others as "attribute-not-implemented".
func (d Dialect) lsAttrKnown(t uint16) bool {
	if d != Dialect40 {
		return true
	}
	switch {
	case t >= 1024 && t <= 1031, t == 1034, t == 1035, t >= 1088 && t <= 1100,
		t >= 1152 && t <= 1158, t == 1170, t == 1171:
		return true
	}
	return false
}

// lsDescriptorObject: 4.2 prints node descriptors as one object
// `{ "autonomous-system": 1, "router-id": "x" }` (5.0: a list of one
// object per descriptor), with a designated router before the router-id,
// and link addresses as `"interface-address": { "interface-address": "a" }`
// (5.0: "interface-addresses": [ "a" ], and "multi-topology-ids").
func (d Dialect) lsDescriptorObject() bool { return d == Dialect40 }

// capKnown reports whether a received capability has a decoder in dialect
// d: 4.2 had none for the FQDN hostname (73, its own hostname was the
// experimental 184) and the software version (75), and shows them as
// unknown with their raw value.
func (d Dialect) capKnown(code uint8) bool {
	return d != Dialect40 || (code != wire.CapHostName && code != wire.CapSoftwareVersion)
}

// gracefulClose ends the graceful restart capability: 5.0 writes two
// spaces before the brace, 4.2 one.
func (d Dialect) gracefulClose() string {
	if d == Dialect40 {
		return "] }"
	}
	return "]  }"
}

// unknownProtocolPrefix comes before an IP protocol number FlowSpec has
// no name for: 4.2 printed "unknown protocol type 58", 5.0 "58".
func (d Dialect) unknownProtocolPrefix() string {
	if d == Dialect40 {
		return "unknown protocol type "
	}
	return ""
}

// sentHostName: 5.0 lists a "hostname" entry in every sent OPEN, even
// without the capability on the wire; 4.2 does not.
func (d Dialect) sentHostName() bool { return d != Dialect40 }

// capName overrides the key of a capability in a sent OPEN ("" keeps the
// common name): 4.2 named operational "exabgp-experimental-operational".
func (d Dialect) capName(code uint8) string {
	if d == Dialect40 && code == wire.CapOperational {
		return "exabgp-experimental-operational"
	}
	return ""
}
