package rib

import "exago/wire"

// Item is one step of a [Batch]: a ROUTE-REFRESH marker (BoRR/EoRR,
// RFC 7313) or an update, i.e. routes sharing one attribute set that
// become one or more UPDATE messages.
type Item struct {
	Refresh *wire.RouteRefresh // non-nil for a BoRR/EoRR
	Attrs   *Attrs
	Routes  []*Route
}

// Batch is a snapshot of pending changes (ExaBGP's updates() generator),
// walked in ExaBGP's order: the changes sealed before a `flush adj-rib
// out` ([Out.Seal]), then BoRR per refreshed family, each refreshed route
// alone, EoRR per family (families in ExaBGP's set order, pyset.go); then
// per attribute set (first use first) and per
// family: with group-updates, IPv4 unicast and IPv4/IPv6 mcast-vpn routes
// share one update, every other family gets one update per route.
type Batch struct {
	grouped     bool
	sealed      []*group
	refreshFams []wire.Family
	refresh     []*Route
	groups      []*group

	// shared is set when the batch is exactly a Base's pending set: its
	// UPDATEs are encoded once per encoding context (NextMessage).
	shared *pendSet
	stream *stream
	msg    int // NextMessage cursor in stream
	errAt  int // next stream error to report

	phase, i, j, k int // cursor
	one            [1]*Route
}

const (
	phaseSealed = iota
	phaseBoRR
	phaseRefresh
	phaseEoRR
	phaseGroups
	phaseDone
)

// Next returns the next item, or false when the batch is exhausted. The
// returned Routes slice is only valid until the next call.
func (b *Batch) Next() (Item, bool) {
	for {
		switch b.phase {
		case phaseBoRR, phaseEoRR:
			if b.i < len(b.refreshFams) {
				sub := wire.RefreshBegin
				if b.phase == phaseEoRR {
					sub = wire.RefreshEnd
				}
				rr := &wire.RouteRefresh{Family: b.refreshFams[b.i], Subtype: sub}
				b.i++
				return Item{Refresh: rr}, true
			}
		case phaseRefresh:
			if b.i < len(b.refresh) {
				r := b.refresh[b.i]
				b.i++
				b.one[0] = r
				return Item{Attrs: r.Attrs, Routes: b.one[:]}, true
			}
		case phaseSealed:
			if it, ok := b.nextGroup(b.sealed); ok {
				return it, true
			}
		case phaseGroups:
			if it, ok := b.nextGroup(b.groups); ok {
				return it, true
			}
		default:
			return Item{}, false
		}
		b.phase++
		b.i, b.j, b.k = 0, 0, 0
	}
}

// nextGroup walks groups (i), their families (j) and, for ungrouped
// families, their routes (k).
func (b *Batch) nextGroup(groups []*group) (Item, bool) {
	for b.i < len(groups) {
		g := groups[b.i]
		for b.j < len(g.fams) {
			bk := g.fams[b.j]
			if bk.routes.len() == 0 {
				b.j++
				continue
			}
			if b.grouped && sharesUpdate(bk.family) {
				b.j++
				return Item{Attrs: g.attrs, Routes: bk.routes.routes()}, true
			}
			for b.k < len(bk.routes.list) {
				r := bk.routes.list[b.k]
				b.k++
				if r != nil {
					b.one[0] = r
					return Item{Attrs: g.attrs, Routes: b.one[:]}, true
				}
			}
			b.j++
			b.k = 0
		}
		b.i++
		b.j = 0
	}
	return Item{}, false
}

// sharesUpdate reports the families ExaBGP packs several NLRIs of into one
// UPDATE (rib/outgoing.py updates()).
func sharesUpdate(f wire.Family) bool {
	return f == wire.IPv4Unicast || f == wire.IPv4McastVPN || f == wire.IPv6McastVPN
}

// Done reports whether the batch is exhausted.
func (b *Batch) Done() bool { return b.phase == phaseDone }
