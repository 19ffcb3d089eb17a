// Package format holds every JSON and text rendering choice of ExaBGP 5.0
// in one place: the API events a helper process reads (ExaBGP's
// reactor/api/response/json.py and text.py), the JSON line `exabgp
// decode` prints, and the route text form of `show adj-rib` and
// `validate -r` (ExaBGP's extensive() strings).
//
// # Rendering
//
// Every renderer appends to a caller's []byte and returns it (no
// encoding/json, no reflection, no fmt): reuse one buffer per process
// with buf = enc.Update(buf[:0], ...). Renderers allocate nothing for the
// common messages when the buffer has room; the only allocations are in
// families rendered through package wire's NLRI values (flow, evpn, ...).
// Output is one line without its trailing newline: the caller frames it.
//
// An [Encoder] is one helper process's view: its [Dialect] (Dialect50, or
// Dialect40 for ExaBGP 4.2's "4.0.1" JSON: a switch in dialect.go, not a
// fork; [ParseDialect] reads a setting such as exabgp_api_version),
// host/pid/ppid,
// clock (Now, injectable), and the api options that change the shape:
// Compact (api.compact), Consolidate (header/body hex), ShowNegotiated
// (the "negotiated" block on updates). Encoder has no mutable state,
// except through an optional [Cache] (one per goroutine): the parts of
// the lines that repeat (envelope host/pid/ppid and second of "time",
// neighbor block, the attribute members of a run of UPDATEs with the same
// path attribute bytes) are then rendered once and copied, byte for byte
// the same.
//
// Events take a *[Neighbor] (addresses, ASNs, router-id, and Counter:
// ExaBGP's per-neighbor counter, which the caller increments for every
// JSON line written about that neighbor, across processes):
//
//	enc.Connected(b, nb)                     // "state": "connected"
//	enc.Up(b, nb) / enc.Down(b, nb, reason)  // "state": "up" / "down"
//	enc.FSM(b, nb, "ESTABLISHED")
//	enc.Signal(b, nb, 10, "SIGUSR1")
//	enc.Shutdown(b)                          // "notification": "shutdown"
//	enc.NegotiatedEvent(b, nb, neg)          // neg *wire.Negotiated
//	enc.Open(b, nb, dir, &open, msg)         // open wire.Open, msg = whole message or nil
//	enc.Update(b, nb, dir, msg, neg)         // msg = whole UPDATE; returns an error if malformed
//	enc.Notification(b, nb, dir, n, msg)     // n wire.Notification
//	enc.Keepalive(b, nb, dir, msg)
//	enc.Refresh(b, nb, dir, rr, msg)         // rr wire.RouteRefresh
//	enc.OperationalEvent(b, nb, dir, &op, msg)
//	enc.Packets(b, nb, dir, msg, neg)        // api "packets" without consolidate
//
// dir is [Send], [Receive] (the live API) or [In] (`exabgp decode`).
// A received OPEN keys its capabilities by numeric code, a sent one by
// ExaBGP's capability name, as ExaBGP does.
//
// The text encoder ([Text]) has the same methods and ExaBGP's text.py
// strings; each returns the event with ExaBGP's own trailing "\n" (none
// for operational); ExaBGP's writer then adds one more "\n", which is the
// caller's job. fsm, negotiated and signal have no text form.
//
// Received attributes follow ExaBGP's RFC 7606 handling (attr_policy.go):
// a malformed ORIGIN, AS_PATH, NEXT_HOP, MED, LOCAL_PREF or
// LARGE_COMMUNITY, or a known attribute with wrong flags, is dropped and
// shown as "error": "treat-as-withdraw"; a malformed ATOMIC_AGGREGATE,
// AGGREGATOR or BGP-LS as "error": "discard"; the NLRI are still listed.
// Under treat-as-withdraw a received UPDATE (direction Receive) lists its
// announced NLRI under "withdraw" (text: "withdrawn ... next-hop X"), as
// ExaBGP's reactor turns them into withdrawals before the API sees them;
// `decode` (In) and sent UPDATEs keep them under "announce" with the
// error, as ExaBGP does. Framing errors and other malformed attributes make
// Update return a *wire.NotifyError (Offset from the start of the
// message, Attr the type code) and render nothing.
//
// [RouteText] renders a route held as typed values (wire.NLRI, next hop,
// *wire.Attributes) as ExaBGP's Change.extensive() text (str() of the
// NLRI, then the attributes): `show adj-rib out`, `validate -r`, `show
// neighbor configuration`; [RouteTextReceived] is the same for a route
// decoded from a peer (`show adj-rib in`), where ExaBGP prints FlowSpec
// ports as numbers instead of service names. [RouteV1] and [RouteV2] are
// the `show adj-rib ... json` route objects (api.show-routes-format
// v1/v2).
//
// [DecodeOperational] turns an OPERATIONAL body into the [Operational]
// value [Encoder.OperationalEvent] and [Text.OperationalEvent] print.
//
// `exabgp decode` uses [DecodeNeighbor], [DecodeSession],
// [Encoder.DecodePayload] and [NLRI].
//
// # Adding a family
//
// IPv4/IPv6 unicast, multicast, nlri-mpls and mpls-vpn NLRI are rendered
// from the message bytes by nlri_inet.go. Every other family is decoded by
// package wire (wire.DecodeNLRI, registered in wire/nlri_*.go) and
// rendered by a [FamilyRenderer] that a file api/format/family_<name>.go
// registers from its init function:
//
//	func init() {
//		registerFamily(FamilyRenderer{JSON: flowJSON, Text: flowText}, wire.IPv4Flow, wire.IPv6Flow)
//	}
//
// JSON appends ExaBGP's nlri.json(compact) for one NLRI (the element of an
// announce/withdraw list), Text its extensive() string without the
// next-hop, NLRIOnly (optional) what `decode -n` prints; JSONNextHop and
// TextNextHop (optional) replace JSON/Text for announced NLRI and get
// their next hop (FlowSpec's "next-hop", BGP-LS's "nexthop"; the families
// whose extensive() is "afi X safi Y" print none in text). DropMalformed
// drops a framed but malformed NLRI silently, as ExaBGP does for
// FlowSpec. Path attributes
// carried opaquely by wire (BGP-LS 29, prefix-SID 40) plug in the same way
// with registerAttr(code, [AttrRenderer]{...}). Until a family is
// registered, updates of that family render to a clear error ("no
// renderer for family ... yet"). Both tables are filled by init functions
// and never changed afterwards.
//
// Nothing here touches the network, files or global mutable state; an
// Encoder may be shared by goroutines.
package format
