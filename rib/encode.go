package rib

import (
	"slices"
	"strings"

	"exago/wire"
)

// Encoder turns the items of a [Batch] into UPDATE messages for one
// session, with ExaBGP 5.0's rules (bgp/message/update/__init__.py
// messages(), attribute/attributes.py pack()):
//
//   - NLRIs of an item are sorted by their packed form; families the
//     session did not negotiate are skipped;
//   - IPv4 unicast/multicast withdrawals, and announcements with an IPv4
//     next hop, use the classic fields; everything else MP_REACH_NLRI /
//     MP_UNREACH_NLRI (RFC 4760), one attribute per family and next hop;
//   - attributes are written in ascending type-code order with the
//     defaults ORIGIN IGP, AS_PATH (empty on iBGP, [local-as] on eBGP) and
//     LOCAL_PREF 100 on iBGP; LOCAL_PREF is stripped on eBGP; NEXT_HOP is
//     written only for an IPv4 next hop; an UPDATE carrying only
//     unicast/multicast MP withdrawals carries no attribute at all;
//   - messages are split at the negotiated size (4096, or 65535 with
//     extended messages);
//   - withdrawals are left out when IncludeWithdraw is false (the first
//     dump after a (re)connection).
type Encoder struct {
	Neg             *wire.Negotiated
	IncludeWithdraw bool

	attrs   *Attrs // attribute bytes cache: last set encoded
	attrDef bool
	attrNH  bool
	attrBuf []byte
	nlriBuf []byte
	sorted  []*Route
}

// Append appends the UPDATE messages of item it to b and returns the
// number of messages added. A BoRR/EoRR item becomes a ROUTE-REFRESH.
// Routes that cannot be encoded (attributes too large for one message) are
// skipped, as ExaBGP does after logging; err reports them.
func (e *Encoder) Append(b []byte, it Item) (out []byte, n int, err error) {
	if it.Refresh != nil {
		return it.Refresh.Append(b), 1, nil
	}
	var classic []*Route
	mp := e.split(it.Routes, &classic)
	if len(classic) == 0 && len(mp) == 0 {
		return b, 0, nil
	}
	attr := e.packAttrs(it.Attrs, includeDefaults(classic, mp), nextHopAttr(it.Routes[0].Key.Family))
	room := e.Neg.MaxMessageSize() - wire.HeaderLen - 2 - 2 - len(attr)
	if room <= 0 {
		return b, 0, errTooLarge
	}
	st := updateState{e: e, b: b, attr: attr, room: room}
	if !st.classic(classic) {
		return st.b, st.n, errTooLarge
	}
	for _, fr := range mp {
		if !st.mp(fr) {
			return st.b, st.n, errTooLarge
		}
	}
	return st.b, st.n, nil
}

type encodeError string

func (e encodeError) Error() string { return string(e) }

const errTooLarge = encodeError("attributes size is so large we can not even pack one NLRI")

// famRoutes are one family's MP routes of an item, announces and withdraws.
type famRoutes struct {
	family    wire.Family
	announce  []*Route
	withdraw  []*Route
	announced bool // family had announces (for includeDefaults)
}

// split sorts the routes and sorts them into the classic fields and MP
// families (in first-seen order).
func (e *Encoder) split(routes []*Route, classic *[]*Route) []famRoutes {
	e.sorted = append(e.sorted[:0], routes...)
	slices.SortFunc(e.sorted, func(a, b *Route) int { return strings.Compare(a.Key.NLRI, b.Key.NLRI) })
	var mp []famRoutes
	for _, r := range e.sorted {
		f := r.Key.Family
		if !e.Neg.HasFamily(f) {
			continue
		}
		v4 := f.AFI == wire.AFIIPv4 && (f.SAFI == wire.SAFIUnicast || f.SAFI == wire.SAFIMulticast)
		if v4 && (r.Withdraw || r.NextHop().Is4()) {
			*classic = append(*classic, r)
			continue
		}
		if !r.NextHop().IsValid() && f.SAFI != wire.SAFIFlow && f.SAFI != wire.SAFIFlowVPN {
			continue // ExaBGP: "unexpected nlri definition"
		}
		i := slices.IndexFunc(mp, func(x famRoutes) bool { return x.family == f })
		if i < 0 {
			mp = append(mp, famRoutes{family: f})
			i = len(mp) - 1
		}
		if r.Withdraw {
			mp[i].withdraw = append(mp[i].withdraw, r)
		} else {
			mp[i].announce = append(mp[i].announce, r)
		}
	}
	return mp
}

// includeDefaults is false when the update holds only MP withdrawals of
// unicast/multicast families (RFC 4760 §4: no other attribute needed).
func includeDefaults(classic []*Route, mp []famRoutes) bool {
	if len(classic) != 0 || len(mp) == 0 {
		return true
	}
	for _, f := range mp {
		if f.family.SAFI != wire.SAFIUnicast && f.family.SAFI != wire.SAFIMulticast {
			return true
		}
		if len(f.announce) != 0 {
			return true
		}
	}
	return false
}

// nextHopAttr reports whether routes of f carry their IPv4 next hop as a
// NEXT_HOP attribute too: ExaBGP's configuration stores it as an
// attribute for the families of the route grammar, not for flow (the
// redirect-to-nexthop address) nor VPLS.
func nextHopAttr(f wire.Family) bool {
	return f.SAFI != wire.SAFIFlow && f.SAFI != wire.SAFIFlowVPN && f.SAFI != wire.SAFIVPLS
}

// packAttrs encodes a with ExaBGP's defaults for the session.
func (e *Encoder) packAttrs(a *Attrs, defaults, withNH bool) []byte {
	if e.attrs == a && e.attrDef == defaults && e.attrNH == withNH {
		return e.attrBuf
	}
	e.attrs, e.attrDef, e.attrNH = a, defaults, withNH
	e.attrBuf = e.attrBuf[:0]
	if !defaults {
		return e.attrBuf
	}
	c := a.Attributes
	if !c.HasOrigin {
		c.HasOrigin, c.Origin = true, wire.OriginIGP
	}
	ibgp := e.Neg.IBGP()
	if !c.HasASPath {
		c.HasASPath = true
		if !ibgp {
			c.ASPath = []wire.ASSegment{{Type: wire.ASSequence, ASNs: []uint32{e.Neg.LocalAS}}}
		}
	}
	switch {
	case !ibgp:
		c.HasLocalPref = false
	case !c.HasLocalPref:
		c.HasLocalPref, c.LocalPref = true, 100
	}
	if nh := a.NextHop; nh.Is4() && withNH {
		v := nh.As4()
		c.Other = append(slices.Clip(c.Other), wire.RawAttr{Flags: wire.FlagTransitive, Code: wire.AttrNextHop, Value: v[:]})
	}
	e.attrBuf = c.Append(e.attrBuf, e.Neg)
	return e.attrBuf
}
