package rib

import (
	"cmp"
	"net/netip"
	"slices"

	"exago/wire"
)

// In is a peer's Adj-RIB-In: the routes the peer announced, kept when
// adj-rib-in is on (ExaBGP's IncomingRIB), for `show adj-rib in`. The IP
// unicast and multicast families are kept compact (in_inet.go); the
// others as [Route] values.
type In struct {
	enabled bool
	attrs   inAttrs
	routes  map[wire.Family]*ordered
	v4      [2]v4Store           // IPv4 unicast, multicast
	v6      [2]*inetStore[v6Key] // IPv6 unicast, multicast
}

// NewIn returns an Adj-RIB-In; when enabled is false it keeps nothing.
func NewIn(enabled bool) *In {
	return &In{enabled: enabled, attrs: newInAttrs(), routes: map[wire.Family]*ordered{}}
}

// Enabled reports whether routes are kept.
func (in *In) Enabled() bool { return in.enabled }

// Intern returns the id of the attribute set a with next hop nh, for
// [In.AnnounceWith] and [In.AnnouncePrefix]: the routes of one UPDATE
// share it, so the receive path interns once per UPDATE and next hop, not
// once per route. a is not retained.
func (in *In) Intern(a *wire.Attributes, nh netip.Addr) AttrID {
	if !in.enabled {
		return 0
	}
	return in.attrs.intern(a, nh)
}

// Announce records n as announced with attributes a and next hop nh. The
// NLRI must not alias a read buffer (the caller clones it) unless it is a
// plain prefix of an IP unicast or multicast family, of which only the
// value is kept.
func (in *In) Announce(n wire.NLRI, nh netip.Addr, a *wire.Attributes) {
	if !in.enabled {
		return
	}
	in.AnnounceWith(n, in.attrs.intern(a, nh))
}

// AnnounceWith records n as announced with the attribute set x, which
// must come from [In.Intern] since the last [In.Clear]; n as for
// [In.Announce].
func (in *In) AnnounceWith(n wire.NLRI, x AttrID) {
	if !in.enabled {
		return
	}
	if c, ok := compactINET(n); ok && in.AnnouncePrefix(c.Fam, c.Prefix, c.PathID, x) {
		return
	}
	r := &Route{Key: KeyOf(n), NLRI: n, Attrs: in.attrs.shared(x)}
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
	if c, ok := compactINET(n); ok && in.WithdrawPrefix(c.Fam, c.Prefix, c.PathID) {
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
	in.v4, in.v6 = [2]v4Store{}, [2]*inetStore[v6Key]{}
	in.attrs = newInAttrs()
}

// compactFamilies are the families of In.v4 and In.v6, by slot.
var compactFamilies = [2][2]wire.Family{
	{wire.IPv4Unicast, wire.IPv4Multicast},
	{wire.IPv6Unicast, wire.IPv6Multicast},
}

// Each calls f for every route of the given families (all when nil),
// family by family in AFI/SAFI order, routes in arrival order.
func (in *In) Each(families []wire.Family, f func(*Route)) {
	fams := make([]wire.Family, 0, len(in.routes)+4)
	want := func(fam wire.Family) bool { return families == nil || hasFamily(families, fam) }
	for fam := range in.routes {
		if want(fam) {
			fams = append(fams, fam)
		}
	}
	for slot := range 2 {
		for afi, present := range [2]bool{in.v4[slot].present(), in.v6[slot] != nil} {
			if fam := compactFamilies[afi][slot]; present && want(fam) && !slices.Contains(fams, fam) {
				fams = append(fams, fam)
			}
		}
	}
	slices.SortFunc(fams, func(a, b wire.Family) int {
		return cmp.Or(cmp.Compare(a.AFI, b.AFI), cmp.Compare(a.SAFI, b.SAFI))
	})
	for _, fam := range fams {
		if slot := inetSlot(fam); slot >= 0 {
			m := routeMaker{t: &in.attrs}
			if fam.AFI == wire.AFIIPv4 {
				in.v4[slot].each(&m, fam, f)
			} else if in.v6[slot] != nil {
				eachInet(&m, fam, in.v6[slot], f)
			}
		}
		if s := in.routes[fam]; s != nil {
			s.each(f)
		}
	}
}

// Len is the number of routes kept.
func (in *In) Len() int {
	n := 0
	for _, s := range in.routes {
		n += s.len()
	}
	for slot := range 2 {
		n += in.v4[slot].len() + in.v6[slot].len()
	}
	return n
}
