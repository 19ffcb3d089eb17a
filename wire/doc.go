// Package wire is ExaGo's pure BGP-4 codec: it turns []byte into values and
// values into []byte, and does nothing else (no I/O, no logging, no fmt, no
// goroutines, no global mutable state; TestNoFmt enforces the imports).
//
// Encoders are append-style: they append to the caller's buffer and do not
// allocate when it has room. Decoders are zero-copy views over the input:
// every value returned aliases the input slice and is valid until the caller
// reuses that buffer (bytes.Clone to retain). Every decoder returns a
// *NotifyError (RFC 4271 §6, RFC 7606) on malformed input.
//
// Nothing here is safe for concurrent mutation; the reactor goroutine owns
// every buffer it passes in.
//
// # Data flow
//
// Receiving: [Frame] cuts one [Message] off the read buffer and checks the
// header (RFC 4271 §6.1). By type: [DecodeOpen] gives an [Open] whose
// [Capabilities] are typed; two OPENs give the session's [Negotiated]
// ([Negotiate], then [Negotiated.Validate]). [DecodeUpdate] splits an UPDATE
// into its three fields; [DecodeAttributes] fills a reused [UpdateAttrs]
// (typed [Attributes], NEXT_HOP, raw MP_REACH/MP_UNREACH values, and the RFC
// 7606 outcome: a returned error resets the session, Withdraw means
// treat-as-withdraw, Discarded lists dropped attributes). [DecodeMPReach]
// and [DecodeMPUnreach] read the MP attributes; [Prefixes] walks unicast
// prefixes without allocating, [NLRIs]/[DecodeNLRI] walk any registered
// family. [Attrs] iterates raw attributes for a fast path. [Update.EOR]
// recognises End-of-RIB. [DecodeNotification], [DecodeRouteRefresh] do the
// rest.
//
// Sending: [AppendKeepalive], [Open.Append], [AppendNotification],
// [RouteRefresh.Append], [AppendEOR], and [UpdateBuilder.Append], which
// writes complete UPDATEs for one family and attribute set the way ExaBGP
// 5.0 does (attribute order and defaults, classic vs MP fields, splitting at
// the negotiated size). [Attributes.Append] encodes attributes alone.
//
// # Files
//
// message.go framing and types; notification.go, refresh.go; open.go and
// capability.go; negotiated.go; attr_table.go (the attribute table: names,
// flags, RFC 7606 actions, decoders), attr_iter.go, attr_decode.go,
// attr_encode.go, attr_aspath.go (AS_PATH, AS4_PATH, RFC 6793),
// attr_extcomm.go (extended community constructors and ExaBGP's names),
// attr_pmsi.go; update.go (UPDATE view, MP_REACH/MP_UNREACH, iterators);
// builder.go ([UpdateBuilder], EOR); nlri.go (the [NLRI] interface and
// registry) and one nlri_*.go per family: nlri_inet.go holds IPv4/IPv6
// unicast, multicast, nlri-mpls and mpls-vpn ([INET], [RD]).
//
// # Adding an NLRI family
//
// Write nlri_<name>.go with a type implementing [NLRI], a decoder of type
// [NLRIDecoder], and an init calling registerNLRI for its families. The
// [UpdateBuilder] and [NLRIs] then handle it.
package wire
