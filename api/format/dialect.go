package format

import (
	"strings"

	"exago/wire"
)

// Dialect selects the JSON shape of one ExaBGP version. Every shape
// decision that differs between versions is a Dialect method in this
// file, so a dialect is a switch, not a fork of the renderers.
//
// Dialect40 is ExaBGP 4.2's API JSON ("exabgp": "4.0.1"), as
// lib/exabgp/reactor/api/response/json.py and the json() methods of 4.2's
// attributes and NLRI print it. It differs from 5.0 (doc/CHANGELOG.rst,
// 5.0.0 "Compatibility" entries) in:
//   - the neighbor block has no "router-id";
//   - AS_PATH is split into "as-path", "as-set", "confederation-path",
//     "confederation-set" lists instead of 5.0's numbered segments;
//   - 4-octet-ASN route targets and origins end in "L" (target:1L:2);
//   - NOTIFICATION has no "message" (text of the data);
//   - strings are printed as they are, not JSON-escaped; a "down" reason
//     has its brackets and braces turned into parentheses;
//   - the negotiated block's family lists are written "[ "a" ,"b" ]";
//   - BGP-LS: node descriptors are one object (not a list of objects),
//     "interface-address"/"neighbor-address" are singular,
//     "multi-topology-ids" and "link-identifiers" are absent, and
//     unknown TLVs are "attribute-not-implemented".
//
// Parsing (RFC 7606 handling, what is accepted) is 5.0's in every
// dialect: only the shape of what is printed changes.
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
