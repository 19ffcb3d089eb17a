package wire

import "net/netip"

// Append appends the attributes in ascending type-code order (ExaBGP's
// order), each with its RFC flags, for session n (nil: 2-octet ASNs): a
// 2-octet session gets AS_TRANS in AS_PATH/AGGREGATOR followed by
// AS4_PATH/AS4_AGGREGATOR when needed (RFC 6793 §4.2.2). AIGP is written
// on iBGP or with n.AIGP only (as ExaBGP). No defaults are
// added and NEXT_HOP is not written: the [UpdateBuilder] does both. Other
// attributes are merged in by code with their own flags.
func (a *Attributes) Append(b []byte, n *Negotiated) []byte {
	return a.appendWith(b, n, netip.Addr{}, false)
}

// appendWith is Append with a NEXT_HOP attribute for nh when nh is an IPv4
// address, and with AS_PATH [n.LocalAS] when asDefault.
func (a *Attributes) appendWith(b []byte, n *Negotiated, nh netip.Addr, asDefault bool) []byte {
	asn4 := n.IsASN4()
	last := 0
	flush := func(b []byte, upto int) []byte {
		for i := range a.Other {
			if c := int(a.Other[i].Code); c >= last && c < upto {
				b = AppendAttr(b, a.Other[i].Flags, a.Other[i].Code, a.Other[i].Value)
			}
		}
		last = upto
		return b
	}
	if a.HasOrigin {
		b = append(b, FlagTransitive, AttrOrigin, 1, a.Origin)
	}
	b = flush(b, int(AttrASPath))
	switch {
	case asDefault:
		b = appendDefaultASPath(b, n.LocalAS, asn4)
	case a.HasASPath:
		b = appendASPath(b, a.ASPath, asn4)
	}
	b = flush(b, int(AttrNextHop))
	if nh.Is4() {
		v := nh.As4()
		b = append(b, FlagTransitive, AttrNextHop, 4, v[0], v[1], v[2], v[3])
	}
	b = flush(b, int(AttrMED))
	if a.HasMED {
		b = appendU32(append(b, FlagOptional, AttrMED, 4), a.MED)
	}
	b = flush(b, int(AttrLocalPref))
	if a.HasLocalPref {
		b = appendU32(append(b, FlagTransitive, AttrLocalPref, 4), a.LocalPref)
	}
	b = flush(b, int(AttrAtomicAggregate))
	if a.AtomicAggregate {
		b = append(b, FlagTransitive, AttrAtomicAggregate, 0)
	}
	b = flush(b, int(AttrAggregator))
	if a.HasAggregator {
		b = appendAggregator(b, a.Aggregator, asn4)
	}
	b = flush(b, int(AttrCommunities))
	b = a.appendLists(b, flush, n == nil || n.AIGP || n.IBGP())
	b = flush(b, 256)
	return b
}

// appendLists appends COMMUNITIES .. LARGE_COMMUNITY, AIGP and what lies
// between them in Other.
func (a *Attributes) appendLists(b []byte, flush func([]byte, int) []byte, aigp bool) []byte {
	var s int
	if len(a.Communities) > 0 {
		b, s = beginAttr(b, FlagOptional|FlagTransitive, AttrCommunities)
		for _, c := range a.Communities {
			b = appendU32(b, c)
		}
		b = endAttr(b, s)
	}
	b = flush(b, int(AttrOriginatorID))
	if a.HasOriginatorID {
		b = appendAddr4(append(b, FlagOptional, AttrOriginatorID, 4), a.OriginatorID)
	}
	b = flush(b, int(AttrClusterList))
	if len(a.ClusterList) > 0 {
		b, s = beginAttr(b, FlagOptional, AttrClusterList)
		for _, c := range a.ClusterList {
			b = appendAddr4(b, c)
		}
		b = endAttr(b, s)
	}
	b = flush(b, int(AttrExtCommunities))
	if len(a.ExtCommunities) > 0 {
		b, s = beginAttr(b, FlagOptional|FlagTransitive, AttrExtCommunities)
		for i := range a.ExtCommunities {
			b = append(b, a.ExtCommunities[i][:]...)
		}
		b = endAttr(b, s)
	}
	b = flush(b, int(AttrAIGP))
	if a.HasAIGP && aigp { // RFC 7311 §3: iBGP, or eBGP when configured
		b = append(b, FlagOptional, AttrAIGP, 11, 1, 0, 11)
		b = appendU64(b, a.AIGP)
	}
	b = flush(b, int(AttrLargeCommunities))
	if len(a.LargeCommunities) > 0 {
		b, s = beginAttr(b, FlagOptional|FlagTransitive, AttrLargeCommunities)
		for _, c := range a.LargeCommunities {
			b = appendU32(appendU32(appendU32(b, c.Global), c.Local1), c.Local2)
		}
		b = endAttr(b, s)
	}
	return b
}

// appendAggregator writes AGGREGATOR, and AS4_AGGREGATOR after it when a
// 2-octet session carries a 4-octet ASN (RFC 6793 §4.2.2, as ExaBGP).
func appendAggregator(b []byte, g Aggregator, asn4 bool) []byte {
	if asn4 {
		return appendAddr4(appendU32(append(b, FlagOptional|FlagTransitive, AttrAggregator, 8), g.ASN), g.Addr)
	}
	as := uint16(g.ASN)
	if g.ASN > 0xffff {
		as = ASTrans
	}
	b = appendAddr4(appendU16(append(b, FlagOptional|FlagTransitive, AttrAggregator, 6), as), g.Addr)
	if g.ASN > 0xffff {
		b = appendAddr4(appendU32(append(b, FlagOptional|FlagTransitive, AttrAS4Aggregator, 8), g.ASN), g.Addr)
	}
	return b
}

// appendAddr4 appends an IPv4 address (zeros when a is not IPv4).
func appendAddr4(b []byte, a netip.Addr) []byte {
	if !a.Is4() {
		return append(b, 0, 0, 0, 0)
	}
	v := a.As4()
	return append(b, v[:]...)
}
