package format

import (
	"net/netip"
	"time"
)

// Direction is the "direction" of a message event: [Send], [Receive], or
// [In] (what `exabgp decode` prints).
type Direction string

// Directions ExaBGP prints.
const (
	Send    Direction = "send"
	Receive Direction = "receive"
	In      Direction = "in"
)

// Neighbor is the identity block of every neighbor event. Counter is the
// value printed as "counter" (ExaBGP increments it per neighbor for every
// JSON line written about it, across processes: the caller owns and bumps
// it; 0 omits the key).
type Neighbor struct {
	LocalAddr netip.Addr
	PeerAddr  netip.Addr
	LocalAS   uint32
	PeerAS    uint32
	RouterID  netip.Addr // zero value omits "router-id"
	Counter   uint64
}

// Encoder renders ExaBGP's JSON events. One Encoder per helper process
// (its options differ per process); it holds no mutable state, so the
// same value may be used from several goroutines, unless its Cache is set.
type Encoder struct {
	Dialect Dialect
	// Host, PID and PPID fill the envelope ("host" : ..., "pid" : ...).
	Host      string
	PID, PPID int
	// Now is the clock of the "time" field; nil means time.Now.
	Now func() time.Time
	// Compact is api.compact: unicast NLRI without path-id print as bare
	// strings.
	Compact bool
	// Consolidate adds "header"/"body" hex to message events (api
	// consolidate + packets).
	Consolidate bool
	// ShowNegotiated appends the "negotiated" block to update events
	// (api negotiated flag).
	ShowNegotiated bool
	// Cache, when set, keeps the envelope and neighbor parts that repeat
	// from line to line; the Encoder is then for one goroutine at a time.
	Cache *Cache
}

func (e *Encoder) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// appendEnvelope appends the envelope up to (and including) the space
// before the payload: `{ "exabgp": "5.0.0", "time": T, "host" : "h",
// "pid" : N, "ppid" : N, "counter": N, "type": "t", `. counter 0 omits it.
func (e *Encoder) appendEnvelope(b []byte, counter uint64, typ string, msg []byte) []byte {
	b = append(b, `{ "exabgp": "`...)
	b = append(b, e.Dialect.Version()...)
	b = append(b, `", "time": `...)
	t := e.now()
	sec := float64(t.Unix()) + float64(t.Nanosecond())/1e9
	if e.Cache != nil {
		b = e.Cache.time(b, sec)
		b = e.Cache.hostPart(b, e)
	} else {
		b = appendFloatTime(b, sec)
		b = appendHostPart(b, e)
	}
	if counter != 0 {
		b = append(b, `"counter": `...)
		b = appendUint(b, counter)
		b = append(b, ", "...)
	}
	b = append(b, `"type": "`...)
	b = append(b, typ...)
	b = append(b, `", `...)
	if e.Consolidate && len(msg) >= 19 {
		b = append(b, `"header": "`...)
		b = appendHexUpper(b, msg[:19])
		b = append(b, `", `...)
		if len(msg) > 19 {
			b = append(b, `"body": "`...)
			b = appendHexUpper(b, msg[19:])
			b = append(b, `", `...)
		}
	}
	return b
}

// appendHostPart appends `, "host" : "h", "pid" : N, "ppid" : N, `.
func appendHostPart(b []byte, e *Encoder) []byte {
	b = append(b, `, "host" : `...)
	b = appendStr(b, e.Host)
	b = append(b, `, "pid" : `...)
	b = appendInt(b, int64(e.PID))
	b = append(b, `, "ppid" : `...)
	b = appendInt(b, int64(e.PPID))
	return append(b, ", "...)
}

// appendNeighbor is appendNeighborOpen through e's Cache when it has one.
func (e *Encoder) appendNeighbor(b []byte, nb *Neighbor, dir Direction) []byte {
	if e.Cache != nil {
		return e.Cache.neighbor(b, e.Dialect, nb, dir)
	}
	return appendNeighborOpen(b, e.Dialect, nb, dir)
}

// closeEnvelope ends the line (no newline: the caller adds framing).
func closeEnvelope(b []byte) []byte { return append(b, " }"...) }

// appendNeighborOpen appends `"neighbor": { "address": {...}, "asn": {...},
// "router-id": "r" ` then, when dir is set, `, "direction": "d"`. The
// caller then calls withContent or noContent.
func appendNeighborOpen(b []byte, d Dialect, nb *Neighbor, dir Direction) []byte {
	b = append(b, `"neighbor": { "address": { "local": "`...)
	b = appendAddrOrNone(b, nb.LocalAddr)
	b = append(b, `", "peer": "`...)
	b = appendAddrOrNone(b, nb.PeerAddr)
	b = append(b, `" }, "asn": { "local": `...)
	b = appendUint(b, uint64(nb.LocalAS))
	b = append(b, `, "peer": `...)
	b = appendUint(b, uint64(nb.PeerAS))
	b = append(b, ` }`...)
	if nb.RouterID.IsValid() && d.showRouterID() {
		b = append(b, `, "router-id": "`...)
		b = appendAddr(b, nb.RouterID)
		b = append(b, '"')
	}
	b = append(b, ' ')
	if dir != "" {
		b = append(b, `, "direction": "`...)
		b = append(b, dir...)
		b = append(b, '"')
	}
	return b
}

// appendAddrOrNone appends a, or "None" as Python prints a missing address.
func appendAddrOrNone(b []byte, a netip.Addr) []byte {
	if !a.IsValid() {
		return append(b, "None"...)
	}
	return appendAddr(b, a)
}

// contentSep appends the separator before the neighbor content.
func contentSep(b []byte) []byte { return append(b, ", "...) }

// closeNeighbor closes the neighbor object (empty content adds the space
// ExaBGP writes).
func closeNeighbor(b []byte, empty bool) []byte {
	if empty {
		return append(b, "  }"...)
	}
	return append(b, " }"...)
}
