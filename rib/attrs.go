package rib

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"net/netip"
	"slices"

	"exago/wire"
)

// Attrs is one interned attribute set with its next hop: the unit ExaBGP
// groups UPDATEs by (its Attributes.index() includes the next hop). Two
// routes with equal attributes and next hop share one *Attrs, so pointer
// equality is attribute equality.
type Attrs struct {
	wire.Attributes
	NextHop netip.Addr
	key     string
}

// AttrTable interns attribute sets. It holds no session state and can be
// shared by every peer of an update group.
type AttrTable struct {
	m   map[string]*Attrs
	buf []byte
}

// NewAttrTable returns an empty table.
func NewAttrTable() *AttrTable { return &AttrTable{m: map[string]*Attrs{}} }

// Intern returns the shared *Attrs equal to a with next hop nh. a is
// copied (slices included) the first time, so the caller may reuse it.
//
// Communities, extended and large communities are kept sorted, as ExaBGP
// keeps them (Communities.add sorts): that is the order they go on the wire.
func (t *AttrTable) Intern(a *wire.Attributes, nh netip.Addr) *Attrs {
	if !sortedLists(a) {
		c := cloneAttributes(a)
		sortLists(&c)
		a = &c
	}
	t.buf = appendAttrKey(t.buf[:0], a, nh)
	if x, ok := t.m[string(t.buf)]; ok {
		return x
	}
	x := &Attrs{Attributes: cloneAttributes(a), NextHop: nh, key: string(t.buf)}
	t.m[x.key] = x
	return x
}

func extLess(a, b wire.ExtCommunity) int { return bytes.Compare(a[:], b[:]) }

func largeLess(a, b wire.LargeCommunity) int {
	return cmp.Or(cmp.Compare(a.Global, b.Global), cmp.Compare(a.Local1, b.Local1), cmp.Compare(a.Local2, b.Local2))
}

func sortedLists(a *wire.Attributes) bool {
	return slices.IsSorted(a.Communities) && slices.IsSortedFunc(a.ExtCommunities, extLess) &&
		slices.IsSortedFunc(a.LargeCommunities, largeLess)
}

func sortLists(a *wire.Attributes) {
	slices.Sort(a.Communities)
	slices.SortFunc(a.ExtCommunities, extLess)
	slices.SortFunc(a.LargeCommunities, largeLess)
}

// Len is the number of distinct attribute sets.
func (t *AttrTable) Len() int { return len(t.m) }

// appendAttrKey appends a canonical, unambiguous serialisation of a and
// nh (not the wire format: a map key, which [parseAttrKey] reads back).
// Addresses are length-prefixed, lists counted; ASNs, MED, LOCAL_PREF
// and AIGP are uvarints (a typical key is some 40 octets).
func appendAttrKey(b []byte, a *wire.Attributes, nh netip.Addr) []byte {
	b = appendAddr(b, nh)
	b = append(b, 0xff, flag(a.HasOrigin), a.Origin, flag(a.HasASPath))
	b = binary.AppendUvarint(b, uint64(len(a.ASPath)))
	for _, s := range a.ASPath {
		b = append(b, s.Type)
		b = binary.AppendUvarint(b, uint64(len(s.ASNs)))
		for _, x := range s.ASNs {
			b = binary.AppendUvarint(b, uint64(x))
		}
	}
	b = append(b, flag(a.HasMED))
	b = binary.AppendUvarint(b, uint64(a.MED))
	b = append(b, flag(a.HasLocalPref))
	b = binary.AppendUvarint(b, uint64(a.LocalPref))
	b = append(b, flag(a.AtomicAggregate), flag(a.HasAggregator))
	b = binary.AppendUvarint(b, uint64(a.Aggregator.ASN))
	b = appendAddr(b, a.Aggregator.Addr)
	b = u32s(b, a.Communities)
	b = append(b, flag(a.HasOriginatorID))
	b = appendAddr(b, a.OriginatorID)
	b = binary.AppendUvarint(b, uint64(len(a.ClusterList)))
	for _, c := range a.ClusterList {
		b = appendAddr(b, c)
	}
	b = binary.AppendUvarint(b, uint64(len(a.ExtCommunities)))
	for _, c := range a.ExtCommunities {
		b = append(b, c[:]...)
	}
	b = binary.AppendUvarint(b, uint64(len(a.LargeCommunities)))
	for _, c := range a.LargeCommunities {
		b = binary.BigEndian.AppendUint32(b, c.Global)
		b = binary.BigEndian.AppendUint32(b, c.Local1)
		b = binary.BigEndian.AppendUint32(b, c.Local2)
	}
	b = append(b, flag(a.HasAIGP))
	b = binary.AppendUvarint(b, a.AIGP)
	b = binary.AppendUvarint(b, uint64(len(a.Other)))
	for _, o := range a.Other {
		b = append(b, o.Flags, o.Code)
		b = binary.AppendUvarint(b, uint64(len(o.Value)))
		b = append(b, o.Value...)
	}
	return b
}

// appendAddr appends a's binary form (none for the zero Addr, 4 or 16
// octets, then any zone) after its length.
func appendAddr(b []byte, a netip.Addr) []byte {
	start := len(b)
	b, _ = a.AppendBinary(append(b, 0))
	b[start] = byte(len(b) - start - 1)
	return b
}

func u32s(b []byte, v []uint32) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	for _, x := range v {
		b = binary.BigEndian.AppendUint32(b, x)
	}
	return b
}

func flag(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// cloneAttributes deep-copies the slices of a.
func cloneAttributes(a *wire.Attributes) wire.Attributes {
	c := *a
	if a.ASPath != nil {
		c.ASPath = make([]wire.ASSegment, len(a.ASPath))
		for i, s := range a.ASPath {
			c.ASPath[i] = wire.ASSegment{Type: s.Type, ASNs: append([]uint32(nil), s.ASNs...)}
		}
	}
	c.Communities = clone(a.Communities)
	c.ClusterList = clone(a.ClusterList)
	c.ExtCommunities = clone(a.ExtCommunities)
	c.LargeCommunities = clone(a.LargeCommunities)
	if a.Other != nil {
		c.Other = make([]wire.RawAttr, len(a.Other))
		for i, o := range a.Other {
			c.Other[i] = wire.RawAttr{Flags: o.Flags, Code: o.Code, Value: append([]byte(nil), o.Value...)}
		}
	}
	return c
}

func clone[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}
