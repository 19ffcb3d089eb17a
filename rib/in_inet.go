package rib

import (
	"cmp"
	"encoding/binary"
	"math"
	"net/netip"
	"slices"

	"exago/wire"
)

// The Adj-RIB-In of the IP unicast and multicast families (RFC 4271 §4.3,
// RFC 4760) is kept compact: a route is its prefix, its RFC 7911 path
// identifier and the id of its interned attribute set, in fixed-size
// values without pointers (the garbage collector never scans them). The
// wire.INET and the Key of a route are rebuilt on demand, for `show
// adj-rib in`. The packed NLRI is the length then the significant octets,
// so (address, length, path identifier) identifies it exactly as the Key
// does, host bits within the last octet included.

// v4Key is an IPv4 route: address (big-endian), path identifier, length.
type v4Key [3]uint32

// v4Short is an IPv4 route of path identifier 0: address << 8 | length
// (a map's fastest key).
type v4Short uint64

// v6Key is an IPv6 route: address (four big-endian words), path
// identifier, length.
type v6Key [6]uint32

// inetSlot is where family f is kept in In.v4/In.v6 (-1: not compact).
func inetSlot(f wire.Family) int {
	if f.SAFI != wire.SAFIUnicast && f.SAFI != wire.SAFIMulticast {
		return -1
	}
	if f.AFI != wire.AFIIPv4 && f.AFI != wire.AFIIPv6 {
		return -1
	}
	if f.SAFI == wire.SAFIMulticast {
		return 1
	}
	return 0
}

// compactINET returns n as a plain prefix of a compact family: no label,
// no route distinguisher, an address of the family's AFI.
func compactINET(n wire.NLRI) (*wire.INET, bool) {
	x, ok := n.(*wire.INET)
	if !ok || inetSlot(x.Fam) < 0 || len(x.Labels) != 0 || x.RD != (wire.RD{}) || !x.Prefix.IsValid() {
		return nil, false
	}
	return x, x.Prefix.Addr().Is4() == (x.Fam.AFI == wire.AFIIPv4)
}

func v4KeyOf(p netip.Prefix, id uint32) v4Key {
	a := p.Addr().As4()
	return v4Key{binary.BigEndian.Uint32(a[:]), id, uint32(p.Bits())}
}

func v4ShortOf(p netip.Prefix) v4Short {
	a := p.Addr().As4()
	return v4Short(binary.BigEndian.Uint32(a[:]))<<8 | v4Short(p.Bits())
}

func (k v4Short) prefix() (netip.Prefix, uint32) {
	return v4Key{uint32(k >> 8), 0, uint32(k & 0xff)}.prefix()
}

func (k v4Short) long() v4Key { return v4Key{uint32(k >> 8), 0, uint32(k & 0xff)} }

func (k v4Key) prefix() (netip.Prefix, uint32) {
	var a [4]byte
	binary.BigEndian.PutUint32(a[:], k[0])
	return netip.PrefixFrom(netip.AddrFrom4(a), int(k[2])), k[1]
}

func v6KeyOf(p netip.Prefix, id uint32) v6Key {
	a := p.Addr().As16()
	return v6Key{binary.BigEndian.Uint32(a[0:]), binary.BigEndian.Uint32(a[4:]), binary.BigEndian.Uint32(a[8:]),
		binary.BigEndian.Uint32(a[12:]), id, uint32(p.Bits())}
}

func (k v6Key) prefix() (netip.Prefix, uint32) {
	var a [16]byte
	for i := range 4 {
		binary.BigEndian.PutUint32(a[4*i:], k[i])
	}
	return netip.PrefixFrom(netip.AddrFrom16(a), int(k[5])), k[4]
}

// inetEntry is what an inetStore keeps per route: its place in arrival
// order and the id of its attribute set in the In's table.
type inetEntry struct {
	seq   uint32
	attrs AttrID
}

// inetStore is one compact family: a map from route to entry, so that a
// route costs one map slot (16 octets for a v4Short key) and nothing
// else. The order is Python dict semantics like [ordered]: announcing a
// route again keeps its place, a withdrawn route announced again goes
// last; [eachInet] sorts a snapshot by seq, which only `show adj-rib in`
// pays for.
type inetStore[K comparable] struct {
	m    map[K]inetEntry
	next uint32 // seq of the next new route
}

func (s *inetStore[K]) set(k K, attrs AttrID) {
	if s.m == nil {
		s.m = make(map[K]inetEntry) // grows with use: most peers of a route server send few routes
	}
	if e, ok := s.m[k]; ok {
		e.attrs = attrs
		s.m[k] = e
		return
	}
	if s.next == math.MaxUint32 {
		s.renumber()
	}
	s.m[k] = inetEntry{seq: s.next, attrs: attrs}
	s.next++
}

func (s *inetStore[K]) del(k K) { delete(s.m, k) }

func (s *inetStore[K]) len() int {
	if s == nil {
		return 0
	}
	return len(s.m)
}

// sorted returns the routes in arrival order.
func (s *inetStore[K]) sorted() []inetRoute[K] {
	rs := make([]inetRoute[K], 0, len(s.m))
	for k, e := range s.m {
		rs = append(rs, inetRoute[K]{k, e})
	}
	slices.SortFunc(rs, func(a, b inetRoute[K]) int { return cmp.Compare(a.e.seq, b.e.seq) })
	return rs
}

// renumber makes the seqs 0..n-1 again, in order, when they ran out
// (after four billion new routes in one session).
func (s *inetStore[K]) renumber() {
	for i, r := range s.sorted() {
		s.m[r.k] = inetEntry{seq: uint32(i), attrs: r.e.attrs}
	}
	s.next = uint32(len(s.m))
}

type inetRoute[K comparable] struct {
	k K
	e inetEntry
}

// routeMaker rebuilds the Routes of compact entries, decoding each
// attribute set once for consecutive routes that share it.
type routeMaker struct {
	t    *inAttrs
	id   AttrID
	last *Attrs
}

func (m *routeMaker) route(f wire.Family, p netip.Prefix, pathID uint32, id AttrID) *Route {
	if id != m.id {
		m.id, m.last = id, m.t.decode(id)
	}
	n := &wire.INET{Fam: f, Prefix: p, PathID: pathID}
	return &Route{Key: KeyOf(n), NLRI: n, Attrs: m.last}
}

// inetKey is the key of a compact family's routes.
type inetKey interface {
	comparable
	prefix() (netip.Prefix, uint32)
}

// eachInet calls f for every route of s, of family fam, in order.
func eachInet[K inetKey](m *routeMaker, fam wire.Family, s *inetStore[K], f func(*Route)) {
	for _, r := range s.sorted() {
		p, id := r.k.prefix()
		f(m.route(fam, p, id, r.e.attrs))
	}
}

// v4Store is one IPv4 family. While every path identifier is 0 (without
// add-path, always) routes are keyed by v4Short; the first other
// identifier moves them, order kept, to v4Key keys.
type v4Store struct {
	short *inetStore[v4Short]
	long  *inetStore[v4Key]
}

func (s *v4Store) present() bool { return s.short != nil || s.long != nil }

func (s *v4Store) len() int { return s.short.len() + s.long.len() }

func (s *v4Store) set(p netip.Prefix, id uint32, x AttrID) {
	if s.long == nil && id == 0 {
		if s.short == nil {
			s.short = &inetStore[v4Short]{}
		}
		s.short.set(v4ShortOf(p), x)
		return
	}
	if s.long == nil {
		s.long = &inetStore[v4Key]{}
		if s.short != nil {
			s.long.m = make(map[v4Key]inetEntry, len(s.short.m))
			for k, e := range s.short.m {
				s.long.m[k.long()] = e
			}
			s.long.next, s.short = s.short.next, nil
		}
	}
	s.long.set(v4KeyOf(p, id), x)
}

func (s *v4Store) del(p netip.Prefix, id uint32) {
	switch {
	case s.long != nil:
		s.long.del(v4KeyOf(p, id))
	case s.short != nil && id == 0:
		s.short.del(v4ShortOf(p))
	}
}

func (s *v4Store) each(m *routeMaker, fam wire.Family, f func(*Route)) {
	if s.long != nil {
		eachInet(m, fam, s.long, f)
	} else if s.short != nil {
		eachInet(m, fam, s.short, f)
	}
}

// AnnouncePrefix records prefix p with path identifier id (0 without
// add-path) of the IP unicast or multicast family f, with the attribute
// set x, which must come from [In.Intern] since the last [In.Clear]. It
// keeps no reference to p's source: the receive path calls it straight
// from the UPDATE's bytes. It reports false, recording nothing, when f is not such a family (or p's
// address is not of f's AFI): use [In.Announce].
func (in *In) AnnouncePrefix(f wire.Family, p netip.Prefix, id uint32, x AttrID) bool {
	slot := inetSlot(f)
	if slot < 0 || p.Addr().Is4() != (f.AFI == wire.AFIIPv4) {
		return false
	}
	if !in.enabled {
		return true
	}
	if f.AFI == wire.AFIIPv4 {
		in.v4[slot].set(p, id, x)
		return true
	}
	s := in.v6[slot]
	if s == nil {
		s = &inetStore[v6Key]{}
		in.v6[slot] = s
	}
	s.set(v6KeyOf(p, id), x)
	return true
}

// WithdrawPrefix forgets prefix p with path identifier id of the IP
// unicast or multicast family f; it reports false when f is not such a
// family.
func (in *In) WithdrawPrefix(f wire.Family, p netip.Prefix, id uint32) bool {
	slot := inetSlot(f)
	if slot < 0 || p.Addr().Is4() != (f.AFI == wire.AFIIPv4) {
		return false
	}
	if f.AFI == wire.AFIIPv4 {
		in.v4[slot].del(p, id)
		return true
	}
	if s := in.v6[slot]; s != nil {
		s.del(v6KeyOf(p, id))
	}
	return true
}
