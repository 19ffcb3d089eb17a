package rib

import (
	"maps"
	"slices"
	"weak"

	"exago/wire"
)

// Base is the Adj-RIB-Out every peer of an update group starts from: the
// configured routes announced in order into an empty [Out] (cache and
// pending set), then frozen. Peers with the same configured routes and
// settings share one Base ([Bases]); each peer's Out ([NewOutBase]) keeps
// only its differences, so a peer that changed nothing costs O(1) memory
// whatever the number of routes, and the UPDATEs of its first batch are
// encoded once per encoding context ([Batch.NextMessage]).
//
// Nothing in a Base is written after it is built, except the lazily built
// restart set and the shared encodings, both owned by the reactor
// goroutine like the rest of the package.
type Base struct {
	table    *AttrTable
	families []wire.Family
	cache    bool
	seen     map[wire.Family]*ordered
	initial  *pendSet // pending set after the announcements
	restart  *pendSet // pending set Out.Restart builds from seen (lazily)
}

// pendSet is a frozen pending set (Out.groups and Out.pending), with the
// UPDATE streams encoded from it, per encoding context.
type pendSet struct {
	groups  []*group
	pending map[Key]pendRef
	streams map[string]*stream
}

// NewBase announces the routes add gives (through [Out.Announce] on a
// fresh Out of the families, cache being the adj-rib-out setting) and
// freezes the result.
func NewBase(families []wire.Family, cache bool, add func(o *Out)) *Base {
	o := NewOut(families, cache)
	add(o)
	b := &Base{table: o.table, families: slices.Clone(families), cache: cache,
		seen: map[wire.Family]*ordered{}, initial: &pendSet{groups: o.groups, pending: o.pending}}
	for f, v := range o.seen {
		b.seen[f] = &v.tail
	}
	return b
}

// NewOutBase returns an Adj-RIB-Out starting as b: b's cache and pending
// set, shared until the peer changes them (copy-on-write).
func NewOutBase(b *Base) *Out {
	o := NewOutShared(b.table, slices.Clone(b.families), b.cache)
	o.base = b
	for f, s := range b.seen {
		o.seen[f] = &seenView{base: s}
	}
	if len(b.initial.pending) != 0 {
		o.basePend = b.initial
	}
	return o
}

// Base is the shared start state of the Out (nil when it has none).
func (o *Out) Base() *Base { return o.base }

// own gives the Out its own copy of a shared pending set before it changes
// it: the copy has the same groups, buckets and places (holes included).
// Routes are never written once queued, so the copy shares them.
func (o *Out) own() {
	ps := o.basePend
	if ps == nil {
		return
	}
	o.basePend = nil
	for _, g := range ps.groups {
		ng := o.groupOf(g.attrs)
		for _, bk := range g.fams {
			nb := ng.bucket(bk.family)
			nb.routes = pendingList{list: slices.Clone(bk.routes.list), live: bk.routes.live}
		}
		for _, ref := range g.moved {
			ng.remember(ref)
		}
	}
	maps.Copy(o.pending, ps.pending)
}

// restartShared is Restart for an Out that changed nothing of its base:
// the pending set Restart would build is the base's restart set, shared.
// It reports false when the Out must run Restart itself.
func (o *Out) restartShared() bool {
	if o.base == nil || o.touched {
		return false
	}
	if o.basePend != nil {
		// Re-queueing the cache in place changes nothing of the pending
		// set: it already holds every cached route.
		return len(o.pending) == 0
	}
	if len(o.pending) != 0 || len(o.groups) != 0 {
		return false
	}
	b := o.base
	if b.restart == nil {
		t := NewOutShared(b.table, b.families, false)
		for _, f := range requestedFamilies(b.families, nil) {
			if s := b.seen[f]; s != nil {
				for _, r := range s.routes() {
					c := *r
					t.update(&c)
				}
			}
		}
		b.restart = &pendSet{groups: t.groups, pending: t.pending}
	}
	if len(b.restart.pending) != 0 {
		o.basePend = b.restart
	}
	return true
}

// Bases hands peers with the same configured routes and settings the same
// [Base]. Bases are held weakly: one no peer uses any more is rebuilt on
// demand. The reactor owns it (one per process, passed to every peer).
type Bases struct {
	m     map[baseKey]baseEntry
	sweep int // sweep dead entries when the map reaches this size
}

type baseEntry struct {
	b  weak.Pointer[Base]
	no bool // the list cannot be shared
}

type baseKey struct {
	id    any // identity of the route list (e.g. a weak pointer to its first element)
	n     int
	fams  string
	cache bool
}

// NewBases returns an empty registry.
func NewBases() *Bases { return &Bases{m: map[baseKey]baseEntry{}} }

// Get returns the base of the route list identified by id (comparable,
// the same for every neighbor sharing the list; n its length) for the
// families and cache setting, built with add (see [NewBase]) the first
// time. add reports false, before announcing anything, when the list
// cannot be shared; Get then returns nil (and remembers it).
func (s *Bases) Get(id any, n int, families []wire.Family, cache bool, add func(o *Out) bool) *Base {
	fams := make([]byte, 0, 3*len(families))
	for _, f := range families {
		fams = appendFamily(fams, f)
	}
	k := baseKey{id: id, n: n, fams: string(fams), cache: cache}
	e := s.m[k]
	if e.no {
		return nil
	}
	if b := e.b.Value(); b != nil {
		return b
	}
	if len(s.m) >= s.sweep {
		// Dead entries go when the map has doubled since the last sweep,
		// so that 10,000 neighbors with lists of their own cost linear time.
		for key, e := range s.m {
			if e.b.Value() == nil {
				delete(s.m, key) // no peer uses it any more (or not shareable: asked again)
			}
		}
		s.sweep = max(64, 2*len(s.m))
	}
	ok := true
	b := NewBase(families, cache, func(o *Out) { ok = add(o) })
	if !ok {
		s.m[k] = baseEntry{no: true}
		return nil
	}
	s.m[k] = baseEntry{b: weak.Make(b)}
	return b
}
