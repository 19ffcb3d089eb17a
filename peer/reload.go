package peer

import (
	"time"

	"exago/config"
	"exago/rib"
)

// Reconfigure takes a reloaded definition of the neighbor whose session
// settings are unchanged (SIGUSR1): only the difference between the old
// and the new configuration routes is queued (ExaBGP's replace_reload);
// routes injected by the API stay. Deliberate deviations from ExaBGP
// 5.0.13:
//   - ExaBGP compares routes by NLRI only, so a route whose attributes
//     changed is not re-sent; here it is.
//   - ExaBGP sends nothing when a reload removes routes (it keeps listing
//     them in show adj-rib out and sends empty UPDATEs on the next
//     session, a bug); here they are withdrawn at once
//     (qa TestGroupsReloadRemove, testdata/groups/ReloadRemove.golden).
func (p *Peer) Reconfigure(now time.Time, n *config.Neighbor) {
	old := p.n
	p.n = n
	prev := make(map[rib.Key]*config.Route, len(old.Routes))
	for i := range old.Routes {
		prev[rib.KeyOf(old.Routes[i].NLRI)] = &old.Routes[i]
	}
	for i := range n.Routes {
		r := &n.Routes[i]
		k := rib.KeyOf(r.NLRI)
		o := prev[k]
		delete(prev, k)
		if o != nil && sameRoute(o, r) {
			continue
		}
		if err := p.addRoute(r); err != nil {
			p.log.Error().Err(err).Msg("route not loaded")
		}
	}
	// Withdrawals go out in the old configuration's order (ExaBGP walks
	// its insertion-ordered index of the previous routes).
	for i := range old.Routes {
		k := rib.KeyOf(old.Routes[i].NLRI)
		r, ok := prev[k]
		if !ok {
			continue
		}
		delete(prev, k)
		if nh, err := p.nextHop(r); err == nil && p.familyOK(r.NLRI.Family()) {
			p.out.Remove(r.NLRI, nh, &r.Attrs)
		}
	}
	p.kick()
}

// sameRoute reports whether two configuration routes announce the same
// thing (attributes compared through the Adj-RIB-Out's interning).
func sameRoute(a, b *config.Route) bool {
	if a.NextHop != b.NextHop || a.NextHopSelf != b.NextHopSelf || a.Withdrawn != b.Withdrawn {
		return false
	}
	t := rib.NewAttrTable()
	return t.Intern(&a.Attrs, a.NextHop) == t.Intern(&b.Attrs, b.NextHop)
}
