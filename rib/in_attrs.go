package rib

import (
	"encoding/binary"
	"errors"
	"hash/maphash"
	"math"
	"net/netip"

	"exago/wire"
)

// AttrID names an attribute set interned by an [In] (1-based; 0 is none).
// The routes of one UPDATE share one: the receive path interns once per
// UPDATE and next hop.
type AttrID uint32

// inAttrs interns the Adj-RIB-In's attribute sets as their canonical key
// only (appendAttrKey: some 40 octets for a typical set, against some 450
// for the decoded form), decoded again on demand for `show adj-rib in`.
// Received tables have about one attribute set per UPDATE, so this is
// most of the Adj-RIB-In's memory after the routes themselves.
//
// The keys are packed in 64 KiB chunks (a key is its uvarint length then
// its octets; a longer key gets a chunk of its own), found by the 32-bit
// place chunk<<16 | offset. The index is by a 32-bit hash of the key, not
// the key itself, so lookups and growth never touch the keys. A hash
// shared by two keys sends the later ones to a map by key.
type inAttrs struct {
	seed     maphash.Seed
	ids      map[uint32]AttrID // hash of the key -> id
	collided map[string]AttrID
	chunks   [][]byte
	places   []uint32 // by id - 1
	full     map[AttrID]*Attrs
	buf      []byte
	last     []byte // the key interned last, as id lastID
	lastID   AttrID
}

const keyChunk = 64 << 10

func newInAttrs() inAttrs { return inAttrs{seed: maphash.MakeSeed(), ids: map[uint32]AttrID{}} }

// intern returns the id of a with next hop nh. a is not retained.
// Communities, extended and large communities are kept sorted, as ExaBGP
// keeps them (see [AttrTable.Intern]).
func (t *inAttrs) intern(a *wire.Attributes, nh netip.Addr) AttrID {
	if !sortedLists(a) {
		c := cloneAttributes(a)
		sortLists(&c)
		a = &c
	}
	t.buf = appendAttrKey(t.buf[:0], a, nh)
	if t.lastID != 0 && string(t.last) == string(t.buf) {
		// a large attribute set spans consecutive UPDATEs
		return t.lastID
	}
	id := t.lookup()
	t.last, t.lastID = append(t.last[:0], t.buf...), id
	return id
}

// lookup returns the id of the key in t.buf, storing it if new.
func (t *inAttrs) lookup() AttrID {
	h := uint32(maphash.Bytes(t.seed, t.buf))
	id, ok := t.ids[h]
	if ok && string(t.key(id)) == string(t.buf) {
		return id
	}
	if ok {
		if id, ok := t.collided[string(t.buf)]; ok {
			return id
		}
	}
	id = t.store(t.buf)
	if !ok {
		t.ids[h] = id
		return id
	}
	if t.collided == nil {
		t.collided = map[string]AttrID{}
	}
	t.collided[string(t.buf)] = id
	return id
}

// store appends key k to the chunks and returns its new id.
func (t *inAttrs) store(k []byte) AttrID {
	need := binary.MaxVarintLen64 + len(k)
	n := len(t.chunks)
	if n == 0 || len(t.chunks[n-1])+need > cap(t.chunks[n-1]) {
		t.chunks = append(t.chunks, make([]byte, 0, max(keyChunk, need)))
		n++
	}
	c := t.chunks[n-1]
	t.places = append(t.places, uint32(n-1)<<16|uint32(len(c)))
	c = binary.AppendUvarint(c, uint64(len(k)))
	t.chunks[n-1] = append(c, k...)
	return AttrID(len(t.places))
}

// key returns the key of id (a view of the chunk).
func (t *inAttrs) key(id AttrID) []byte {
	p := t.places[id-1]
	c := t.chunks[p>>16][p&0xffff:]
	l, n := binary.Uvarint(c)
	return c[n : n+int(l)]
}

// decode returns a new *Attrs for id.
func (t *inAttrs) decode(id AttrID) *Attrs {
	k := string(t.key(id))
	a, nh, err := parseAttrKey(k)
	if err != nil {
		panic("rib: corrupt attribute key: " + err.Error()) // appendAttrKey wrote it
	}
	return &Attrs{Attributes: a, NextHop: nh, key: k}
}

// shared returns the one *Attrs of id kept for the routes stored as
// [Route] values (families other than IP unicast and multicast).
func (t *inAttrs) shared(id AttrID) *Attrs {
	if x, ok := t.full[id]; ok {
		return x
	}
	if t.full == nil {
		t.full = map[AttrID]*Attrs{}
	}
	x := t.decode(id)
	t.full[id] = x
	return x
}

var errAttrKey = errors.New("truncated")

// keyReader reads what appendAttrKey wrote.
type keyReader struct {
	s   string
	err error
}

func (r *keyReader) byte() byte {
	if r.err != nil || len(r.s) < 1 {
		r.err = errAttrKey
		return 0
	}
	c := r.s[0]
	r.s = r.s[1:]
	return c
}

func (r *keyReader) flag() bool { return r.byte() != 0 }

func (r *keyReader) bytes(n int) string {
	if r.err != nil || n < 0 || len(r.s) < n {
		r.err = errAttrKey
		return ""
	}
	v := r.s[:n]
	r.s = r.s[n:]
	return v
}

func (r *keyReader) u32() uint32 {
	if v := r.bytes(4); len(v) == 4 {
		return binary.BigEndian.Uint32([]byte(v))
	}
	return 0
}

// uvarint reads a uvarint of at most max.
func (r *keyReader) uvarint(max uint64) uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint([]byte(r.s))
	if n <= 0 || v > max {
		r.err = errAttrKey
		return 0
	}
	r.s = r.s[n:]
	return v
}

func (r *keyReader) uv32() uint32 { return uint32(r.uvarint(math.MaxUint32)) }

// count reads a list length; each element takes at least min octets, so
// a corrupt key cannot ask for a huge allocation.
func (r *keyReader) count(min int) int {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint([]byte(r.s))
	if n <= 0 || v > uint64(len(r.s)-n)/uint64(max(min, 1)) {
		r.err = errAttrKey
		return 0
	}
	r.s = r.s[n:]
	return int(v)
}

func (r *keyReader) addr() netip.Addr {
	v := r.bytes(int(r.byte()))
	var a netip.Addr
	if r.err == nil && len(v) > 0 {
		if err := a.UnmarshalBinary([]byte(v)); err != nil {
			r.err = err
		}
	}
	return a
}

func (r *keyReader) u32s() []uint32 {
	n := r.count(4)
	if n == 0 {
		return nil
	}
	v := make([]uint32, n)
	for i := range v {
		v[i] = r.u32()
	}
	return v
}

// parseAttrKey is the inverse of appendAttrKey (empty lists come back nil).
func parseAttrKey(k string) (wire.Attributes, netip.Addr, error) {
	r := &keyReader{s: k}
	var a wire.Attributes
	nh := r.addr()
	if r.byte() != 0xff && r.err == nil {
		r.err = errAttrKey
	}
	a.HasOrigin, a.Origin, a.HasASPath = r.flag(), r.byte(), r.flag()
	if n := r.count(2); n > 0 {
		a.ASPath = make([]wire.ASSegment, n)
		for i := range a.ASPath {
			a.ASPath[i].Type = r.byte()
			if n := r.count(1); n > 0 {
				asns := make([]uint32, n)
				for j := range asns {
					asns[j] = r.uv32()
				}
				a.ASPath[i].ASNs = asns
			}
		}
	}
	a.HasMED, a.MED = r.flag(), r.uv32()
	a.HasLocalPref, a.LocalPref = r.flag(), r.uv32()
	a.AtomicAggregate, a.HasAggregator = r.flag(), r.flag()
	a.Aggregator.ASN = r.uv32()
	a.Aggregator.Addr = r.addr()
	a.Communities = r.u32s()
	a.HasOriginatorID = r.flag()
	a.OriginatorID = r.addr()
	if n := r.count(1); n > 0 {
		a.ClusterList = make([]netip.Addr, n)
		for i := range a.ClusterList {
			a.ClusterList[i] = r.addr()
		}
	}
	if n := r.count(8); n > 0 {
		a.ExtCommunities = make([]wire.ExtCommunity, n)
		for i := range a.ExtCommunities {
			copy(a.ExtCommunities[i][:], r.bytes(8))
		}
	}
	if n := r.count(12); n > 0 {
		a.LargeCommunities = make([]wire.LargeCommunity, n)
		for i := range a.LargeCommunities {
			a.LargeCommunities[i] = wire.LargeCommunity{Global: r.u32(), Local1: r.u32(), Local2: r.u32()}
		}
	}
	a.HasAIGP, a.AIGP = r.flag(), r.uvarint(math.MaxUint64)
	if n := r.count(3); n > 0 {
		a.Other = make([]wire.RawAttr, n)
		for i := range a.Other {
			o := &a.Other[i]
			o.Flags, o.Code = r.byte(), r.byte()
			o.Value = []byte(r.bytes(r.count(1)))
		}
	}
	if r.err == nil && len(r.s) != 0 {
		r.err = errAttrKey
	}
	return a, nh, r.err
}
