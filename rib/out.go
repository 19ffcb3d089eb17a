package rib

import (
	"net/netip"

	"exago/wire"
)

// Route is one entry of an Adj-RIB: an NLRI with its interned attributes
// and next hop, announced or withdrawn. A Route is never written once
// queued, so one Route can be shared by the RIBs of many peers (an API
// command to all of them, [Out.AnnouncePrepared]): its place in a pending
// bucket is kept by the RIB ([pendRef]).
type Route struct {
	Key      Key
	NLRI     wire.NLRI
	Attrs    *Attrs
	Withdraw bool
}

// pendRef is a queued route and its place in its pending bucket.
type pendRef struct {
	r   *Route
	pos int
}

// NextHop is the route's next hop (invalid when it has none, e.g. flow).
func (r *Route) NextHop() netip.Addr { return r.Attrs.NextHop }

// group is the pending changes sharing one attribute set, per family, in
// first-use order (ExaBGP's _new_attr_af_nlri[attr-index][family]).
type group struct {
	attrs *Attrs
	fams  []*bucket
	moved map[Key]pendRef // entries whose NLRI was queued again in another group
}

func (g *group) remember(ref pendRef) {
	if g.moved == nil {
		g.moved = map[Key]pendRef{}
	}
	g.moved[ref.r.Key] = ref
}

// bucket is one family of a group: routes in first-queued order. A route
// queued again with the same attributes keeps its place (Python dict
// semantics, found through Out.pending or group.moved, pendRef.pos); a
// withdrawn one leaves a hole.
type bucket struct {
	family wire.Family
	routes pendingList
}

type pendingList struct {
	list []*Route
	live int
}

func (l *pendingList) len() int { return l.live }

func (l *pendingList) routes() []*Route {
	s := make([]*Route, 0, l.live)
	for _, r := range l.list {
		if r != nil {
			s = append(s, r)
		}
	}
	return s
}

// set queues r, in place of prev when prev is this list's entry, and
// returns r's place.
func (l *pendingList) set(r *Route, prev pendRef) pendRef {
	if prev.r != nil && prev.pos < len(l.list) && l.list[prev.pos] == prev.r {
		l.list[prev.pos] = r
		return pendRef{r, prev.pos}
	}
	l.list = append(l.list, r)
	l.live++
	return pendRef{r, len(l.list) - 1}
}

// del removes ref's route when it is this list's entry.
func (l *pendingList) del(ref pendRef) {
	if ref.pos < len(l.list) && l.list[ref.pos] == ref.r {
		l.list[ref.pos] = nil
		l.live--
	}
}

func (g *group) bucket(f wire.Family) *bucket {
	for _, b := range g.fams {
		if b.family == f {
			return b
		}
	}
	b := &bucket{family: f}
	g.fams = append(g.fams, b)
	return b
}

// Out is one peer's Adj-RIB-Out: the cache of what the peer should have
// (when adj-rib-out is on) and the changes not sent yet.
type Out struct {
	table    *AttrTable
	families []wire.Family
	cache    bool

	seen map[wire.Family]*seenView // announced routes per family (ExaBGP's _seen)

	// base, when set, is the shared start state of the peer's update group
	// (base.go): seen views start from it, and basePend, when set, is the
	// whole pending set (nothing pending of this peer's own yet).
	base     *Base
	basePend *pendSet
	touched  bool // the cache or the families differ from the base's

	pending map[Key]pendRef // ExaBGP's _new_nlri
	groups  []*group
	byAttrs map[*Attrs]*group

	adoptFrom, adoptTo *Attrs // adopt's last answer

	sealed      []*group      // changes queued before a flush (Seal): sent first
	refreshFams []wire.Family // BoRR/EoRR to wrap the refresh with, in the order added (Take orders them as ExaBGP's set)
	refresh     []*Route      // routes to re-send (route refresh, flush)
}

// NewOut returns an empty Adj-RIB-Out for the neighbor's families with
// its own attribute table. cache is the neighbor's adj-rib-out setting.
func NewOut(families []wire.Family, cache bool) *Out {
	return NewOutShared(NewAttrTable(), families, cache)
}

// NewOutShared returns an Adj-RIB-Out interning attributes in t (shared by
// an update group).
func NewOutShared(t *AttrTable, families []wire.Family, cache bool) *Out {
	return &Out{table: t, families: families, cache: cache,
		seen: map[wire.Family]*seenView{}, pending: map[Key]pendRef{}, byAttrs: map[*Attrs]*group{}}
}

// SetFamilies changes the families the RIB accepts (a reloaded
// neighbor), dropping cached routes of the others (ExaBGP's
// delete_cached_family).
func (o *Out) SetFamilies(families []wire.Family) {
	o.families = families
	o.touched = true
	for f := range o.seen {
		if !hasFamily(families, f) {
			delete(o.seen, f)
		}
	}
}

// Table is the attribute table routes are interned in.
func (o *Out) Table() *AttrTable { return o.table }

// Families are the families the RIB accepts (the neighbor's).
func (o *Out) Families() []wire.Family { return o.families }

// Caching reports whether adj-rib-out is on.
func (o *Out) Caching() bool { return o.cache }

// Announce queues n with attributes a and next hop nh (ExaBGP's
// add_to_rib). Unless force is set, a route the cache already holds with
// the same attributes and next hop is not queued again and Announce
// returns false. n is kept as is (a is copied), so n must not
// alias a buffer the caller reuses.
func (o *Out) Announce(n wire.NLRI, nh netip.Addr, a *wire.Attributes, force bool) bool {
	r := &Route{Key: KeyOf(n), NLRI: n, Attrs: o.table.Intern(a, nh)}
	if !force && o.inCache(r) {
		return false
	}
	o.update(r)
	return true
}

// Prepared is one route made ready once for many Adj-RIB-Outs (an API
// command applied to every selected peer): its Key and its interned
// attribute set are computed once, and the peers' entries share them: one
// Route (Key, NLRI, *Attrs) for all.
type Prepared struct {
	Key   Key
	NLRI  wire.NLRI
	Attrs *Attrs

	ann, wd *Route // the Route the Outs share, made on first use
}

// route is the Route of p with attributes a (p.Attrs or an equal set of
// another table), shared by every Out whose table adopted p.Attrs.
func (p *Prepared) route(a *Attrs, withdraw bool) *Route {
	if a != p.Attrs {
		return &Route{Key: p.Key, NLRI: p.NLRI, Attrs: a, Withdraw: withdraw}
	}
	c := &p.ann
	if withdraw {
		c = &p.wd
	}
	if *c == nil {
		*c = &Route{Key: p.Key, NLRI: p.NLRI, Attrs: a, Withdraw: withdraw}
	}
	return *c
}

// Prepare computes n's key and interns a with next hop nh in t, once for
// every Out it is then given to ([Out.AnnouncePrepared]). a may be nil (a
// withdrawal without attributes). n is kept as is; a is copied.
func Prepare(t *AttrTable, n wire.NLRI, nh netip.Addr, a *wire.Attributes) Prepared {
	if a == nil {
		a = &wire.Attributes{}
	}
	return Prepared{Key: KeyOf(n), NLRI: n, Attrs: t.Intern(a, nh)}
}

// adopt returns the attribute set of o's table equal to x (interned in
// another table): x itself when the table has none yet. Interned sets are
// never written, so tables can share them; the last answer is remembered,
// since one command gives the same set to every peer.
func (o *Out) adopt(x *Attrs) *Attrs {
	if x == o.adoptFrom && x != nil {
		return o.adoptTo
	}
	y := o.table.m[x.key]
	if y == nil {
		y = x
		o.table.m[x.key] = x
	}
	o.adoptFrom, o.adoptTo = x, y
	return y
}

// AnnouncePrepared is [Out.Announce] for a prepared route: the same
// result, without computing the key or interning the attributes again.
func (o *Out) AnnouncePrepared(p *Prepared, force bool) bool {
	r := p.route(o.adopt(p.Attrs), false)
	if !force && o.inCache(r) {
		return false
	}
	o.update(r)
	return true
}

// WithdrawPrepared is [Out.Withdraw] for a prepared route.
func (o *Out) WithdrawPrepared(p *Prepared) {
	o.update(p.route(o.adopt(p.Attrs), true))
}

// Withdraw queues the withdrawal of n as an API `withdraw route` does
// (ExaBGP's inject_change, i.e. add_to_rib with a withdrawn NLRI): queued
// with the same attributes as a not yet sent announcement of n, it takes
// that announcement's place, so only the withdrawal goes out. a may be nil.
func (o *Out) Withdraw(n wire.NLRI, nh netip.Addr, a *wire.Attributes) {
	if a == nil {
		a = &wire.Attributes{}
	}
	o.update(&Route{Key: KeyOf(n), NLRI: n, Attrs: o.table.Intern(a, nh), Withdraw: true})
}

// Remove queues the withdrawal of n as ExaBGP's del_from_rib does (`clear
// adj-rib out`, `withdraw watchdog`, a route gone on reload): a not yet
// sent announcement of n is dropped from its place and the withdrawal is
// queued last. a may be nil.
func (o *Out) Remove(n wire.NLRI, nh netip.Addr, a *wire.Attributes) {
	if a == nil {
		a = &wire.Attributes{}
	}
	o.withdraw(&Route{Key: KeyOf(n), NLRI: n, Attrs: o.table.Intern(a, nh), Withdraw: true})
}

func (o *Out) withdraw(r *Route) {
	o.own()
	if prev, ok := o.pending[r.Key]; ok {
		o.groupOf(prev.r.Attrs).bucket(r.Key.Family).routes.del(prev)
	}
	o.update(r)
}

func (o *Out) groupOf(a *Attrs) *group {
	g := o.byAttrs[a]
	if g == nil {
		g = &group{attrs: a}
		o.byAttrs[a] = g
		o.groups = append(o.groups, g)
	}
	return g
}

func (o *Out) update(r *Route) {
	o.own()
	g, same := o.groupOf(r.Attrs), o.pending[r.Key]
	if same.r != nil && same.r.Attrs != r.Attrs {
		// ExaBGP leaves the previous change queued in its own group; if it
		// comes back to this group it takes its old place here.
		o.groupOf(same.r.Attrs).remember(same)
		same = g.moved[r.Key]
		delete(g.moved, r.Key)
	}
	o.pending[r.Key] = g.bucket(r.Key.Family).routes.set(r, same)
	o.updateCache(r)
}

func (o *Out) inCache(r *Route) bool {
	if !o.cache || r.Withdraw {
		return false
	}
	s := o.seen[r.Key.Family]
	if s == nil {
		return false
	}
	c := s.get(r.Key)
	return c != nil && c.Attrs == r.Attrs
}

func (o *Out) updateCache(r *Route) {
	if !o.cache {
		return
	}
	s := o.seen[r.Key.Family]
	if r.Withdraw {
		if s != nil {
			o.touched = o.touched || o.base != nil
			s.del(r.Key)
		}
		return
	}
	if s == nil {
		s = &seenView{}
		o.seen[r.Key.Family] = s
	}
	o.touched = o.touched || o.base != nil
	s.set(r)
}

// Pending reports whether changes or a refresh wait to be sent.
func (o *Out) Pending() bool {
	return o.basePend != nil || len(o.pending) != 0 || len(o.sealed) != 0 || len(o.refresh) != 0 || len(o.refreshFams) != 0
}

// PendingLen is the number of queued changes (for statistics).
func (o *Out) PendingLen() int {
	n := len(o.pending) + len(o.refresh)
	if o.basePend != nil {
		n += len(o.basePend.pending)
	}
	for _, g := range o.sealed {
		for _, b := range g.fams {
			n += b.routes.len()
		}
	}
	return n
}

// Seal closes the pending changes so far: the next batch sends them before
// any refresh queued afterwards, and a later change of the same NLRI is
// sent after them instead of replacing them. `flush adj-rib out` seals
// first, so that commands applied together keep their order on the wire
// (ExaBGP sends a refresh first, but runs its peers between two reads of
// its helpers, so a helper's announce-then-flush is applied in that order).
func (o *Out) Seal() {
	if o.basePend != nil {
		o.sealed = append(o.sealed, o.basePend.groups...) // read-only from now on
		o.basePend = nil
		return
	}
	if len(o.pending) == 0 {
		return
	}
	o.sealed = append(o.sealed, o.groups...)
	o.pending = map[Key]pendRef{}
	o.groups = nil
	o.byAttrs = map[*Attrs]*group{}
}

// Take snapshots and empties the pending changes (ExaBGP's updates()):
// the batch is sent while new changes queue up for the next one.
func (o *Out) Take(grouped bool) *Batch {
	b := &Batch{grouped: grouped, sealed: o.sealed, refresh: o.refresh, groups: o.groups}
	if len(o.refreshFams) != 0 {
		b.refreshFams = pySetOrder(o.refreshFams) // ExaBGP's _refresh_families
	}
	if o.basePend != nil {
		b.groups, b.shared = o.basePend.groups, o.basePend
		if len(b.sealed) != 0 || len(b.refresh) != 0 || len(b.refreshFams) != 0 {
			b.shared = nil
		}
		o.basePend = nil
	}
	o.sealed = nil
	o.pending = map[Key]pendRef{}
	o.groups = nil
	o.byAttrs = map[*Attrs]*group{}
	o.refreshFams, o.refresh = nil, nil
	return b
}

// Reset drops what was not sent (the session went down); the cache stays
// and [Out.Restart] re-queues it on the next session.
func (o *Out) Reset() { o.Take(true) }

// Restart queues every cached route again (ExaBGP's replace_restart on a
// new session): with adj-rib-out on, everything is re-sent on reconnect,
// family by family in ExaBGP's set order (pyset.go).
func (o *Out) Restart() {
	if o.restartShared() {
		return
	}
	for _, f := range requestedFamilies(o.families, nil) {
		if s := o.seen[f]; s != nil {
			for _, r := range s.routes() {
				o.update(r) // routes are never written: shared with the cache (and the base)
			}
		}
	}
}

// Resend queues the cached routes of family f (all families when nil)
// for re-sending, wrapped in BoRR/EoRR when enhanced (RFC 7313):
// ROUTE-REFRESH received, or `flush adj-rib out`. As ExaBGP's resend, the
// families are walked in set order (pyset.go), and the markers of the
// families asked for until the next [Out.Take] in the order of the set
// they are added to.
func (o *Out) Resend(enhanced bool, f *wire.Family) {
	var want []wire.Family
	if f != nil {
		want = []wire.Family{*f}
	}
	for _, fam := range requestedFamilies(o.families, want) {
		if enhanced && !hasFamily(o.refreshFams, fam) {
			o.refreshFams = append(o.refreshFams, fam)
		}
		if s := o.seen[fam]; s != nil {
			o.refresh = append(o.refresh, s.routes()...)
		}
	}
}

// WithdrawAll queues the withdrawal of every cached route of the given
// families (all when empty), family by family in ExaBGP's set order
// (pyset.go): `clear adj-rib out`.
func (o *Out) WithdrawAll(families []wire.Family) {
	if len(families) == 0 {
		families = nil
	}
	for _, fam := range requestedFamilies(o.families, families) {
		if s := o.seen[fam]; s != nil {
			for _, r := range s.routes() {
				o.withdraw(&Route{Key: r.Key, NLRI: r.NLRI, Attrs: r.Attrs, Withdraw: true})
			}
		}
	}
}

// Cached calls f for every route in the cache of the given families (all
// when nil), in insertion order: `show adj-rib out`.
func (o *Out) Cached(families []wire.Family, f func(*Route)) {
	for _, fam := range o.families {
		if families != nil && !hasFamily(families, fam) {
			continue
		}
		if s := o.seen[fam]; s != nil {
			s.each(f)
		}
	}
}

// Len is the number of cached routes.
func (o *Out) Len() int {
	n := 0
	for _, s := range o.seen {
		n += s.len()
	}
	return n
}

func hasFamily(l []wire.Family, f wire.Family) bool {
	for _, g := range l {
		if g == f {
			return true
		}
	}
	return false
}
