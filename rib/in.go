package rib

import (
	"cmp"
	"net/netip"
	"slices"

	"exago/wire"
)

// In is a peer's Adj-RIB-In: the routes the peer announced, kept when
// adj-rib-in is on (ExaBGP's IncomingRIB), for `show adj-rib in`.
type In struct {
	enabled bool
	table   *AttrTable
	routes  map[wire.Family]*ordered
}

// NewIn returns an Adj-RIB-In; when enabled is false it keeps nothing.
func NewIn(enabled bool) *In {
	return &In{enabled: enabled, table: NewAttrTable(), routes: map[wire.Family]*ordered{}}
}

// Enabled reports whether routes are kept.
func (in *In) Enabled() bool { return in.enabled }

// Announce records n as announced with attributes a and next hop nh. The
// NLRI must not alias a read buffer (the caller clones it).
func (in *In) Announce(n wire.NLRI, nh netip.Addr, a *wire.Attributes) {
	if !in.enabled {
		return
	}
	r := &Route{Key: KeyOf(n), NLRI: n, Attrs: in.table.Intern(a, nh)}
	s := in.routes[r.Key.Family]
	if s == nil {
		s = &ordered{}
		in.routes[r.Key.Family] = s
	}
	s.set(r)
}

// Withdraw forgets n.
func (in *In) Withdraw(n wire.NLRI) {
	if !in.enabled {
		return
	}
	k := KeyOf(n)
	if s := in.routes[k.Family]; s != nil {
		s.del(k)
	}
}

// Clear forgets everything (`clear adj-rib in`, session reset).
func (in *In) Clear() {
	in.routes = map[wire.Family]*ordered{}
	in.table = NewAttrTable()
}

// Each calls f for every route of the given families (all when nil),
// family by family in AFI/SAFI order, routes in arrival order.
func (in *In) Each(families []wire.Family, f func(*Route)) {
	fams := make([]wire.Family, 0, len(in.routes))
	for fam := range in.routes {
		if families == nil || hasFamily(families, fam) {
			fams = append(fams, fam)
		}
	}
	slices.SortFunc(fams, func(a, b wire.Family) int {
		return cmp.Or(cmp.Compare(a.AFI, b.AFI), cmp.Compare(a.SAFI, b.SAFI))
	})
	for _, fam := range fams {
		in.routes[fam].each(f)
	}
}

// Len is the number of routes kept.
func (in *In) Len() int {
	n := 0
	for _, s := range in.routes {
		n += s.len()
	}
	return n
}
