package format

import "net/netip"

// Cache keeps the parts of JSON event lines that repeat from line to line
// of one helper, so that a received table costs one rendering of them, not
// one per UPDATE: the envelope's host/pid/ppid and the neighbor block
// (addresses, ASNs, router-id, direction) of the last neighbor seen. The
// bytes are the same as rendering them afresh.
//
// An [Encoder] with a Cache is for one goroutine at a time (package api's
// JSONRenderer sets its own Cache on the Encoder it renders with); an
// Encoder without one keeps no state.
type Cache struct {
	nbKey neighborKey
	nb    []byte // `"neighbor": { ... "direction": "d"` for nbKey
	hpKey hostKey
	hp    []byte // `, "host" : "h", "pid" : N, "ppid" : N, ` for hpKey
	// the attribute members of the last UPDATE (its path attribute
	// section attrRaw, read with attrKey), kept once a second UPDATE in a
	// row carries the same section: senders pack a table's prefixes by
	// attribute set, and a run of UPDATEs then shares one rendering.
	attrRaw  []byte
	attrKey  attrKey
	attrs    []byte
	hasAttrs bool // attrs is the rendering of attrRaw
	// the integer part of the last "time" (it changes once a second)
	sec    uint64
	secBuf []byte
}

// attrKey is what the rendering of a path attribute section depends on
// besides its bytes.
type attrKey struct {
	asn4, aigp bool
	d          Dialect
}

// neighborKey is what the neighbor block depends on.
type neighborKey struct {
	local, peer, routerID netip.Addr
	localAS, peerAS       uint32
	d                     Dialect
	dir                   Direction
	valid                 bool
}

// hostKey is what the envelope's host part depends on.
type hostKey struct {
	host      string
	pid, ppid int
	valid     bool
}

// neighbor appends the neighbor block of nb, from the cache when the last
// one rendered had the same identity.
func (c *Cache) neighbor(b []byte, d Dialect, nb *Neighbor, dir Direction) []byte {
	k := neighborKey{local: nb.LocalAddr, peer: nb.PeerAddr, routerID: nb.RouterID,
		localAS: nb.LocalAS, peerAS: nb.PeerAS, d: d, dir: dir, valid: true}
	if k != c.nbKey {
		c.nb = appendNeighborOpen(c.nb[:0], d, nb, dir)
		c.nbKey = k
	}
	return append(b, c.nb...)
}

// hostPart appends the envelope from the host to the space after "ppid".
func (c *Cache) hostPart(b []byte, e *Encoder) []byte {
	k := hostKey{host: e.Host, pid: e.PID, ppid: e.PPID, valid: true}
	if k != c.hpKey {
		c.hp = appendHostPart(c.hp[:0], e)
		c.hpKey = k
	}
	return append(b, c.hp...)
}

// attributes appends the attribute members of u as appendAttributes does,
// from the cache when the previous UPDATE had the same section.
func (c *Cache) attributes(b []byte, u *update, d Dialect) ([]byte, error) {
	k := attrKey{asn4: u.asn4, aigp: u.aigp, d: d}
	if k != c.attrKey || string(u.attrRaw) != string(c.attrRaw) {
		c.attrKey, c.attrRaw, c.hasAttrs = k, append(c.attrRaw[:0], u.attrRaw...), false
		return appendAttributes(b, u, d)
	}
	if c.hasAttrs {
		return append(b, c.attrs...), nil
	}
	mark := len(b)
	b, err := appendAttributes(b, u, d)
	if err == nil {
		c.attrs, c.hasAttrs = append(c.attrs[:0], b[mark:]...), true
	}
	return b, err
}

// time appends sec as appendFloatTime does, the integer part from the
// cache while it stays the same.
func (c *Cache) time(b []byte, sec float64) []byte {
	if !(sec >= 1<<30 && sec < 1<<31) {
		return appendFloatTime(b, sec)
	}
	ip := uint64(sec)
	if ip != c.sec || len(c.secBuf) == 0 {
		c.sec, c.secBuf = ip, appendUint(c.secBuf[:0], ip)
	}
	return appendTimeFraction(append(b, c.secBuf...), sec, ip)
}
