package format

import (
	"net/netip"

	"exago/wire"
)

// Update appends the "update" event for msg, a whole UPDATE message
// (header included), decoded for session neg (nil: 4-octet ASNs, no
// add-path, every family, as `exabgp decode`). On a malformed message it
// returns b unchanged and a *wire.NotifyError naming the offset (from the
// start of msg) and the attribute. For dir Receive, an UPDATE with a
// treat-as-withdraw error (RFC 7606) lists its announced NLRI under
// "withdraw", as ExaBGP's reactor turns them into withdrawals.
func (e *Encoder) Update(b []byte, nb *Neighbor, dir Direction, msg []byte, neg *wire.Negotiated) ([]byte, error) {
	var u update
	if err := parseUpdate(&u, msg, neg, dir); err != nil {
		return b, err
	}
	start := len(b)
	b = e.appendEnvelope(b, nb.Counter, "update", msg)
	b = e.appendNeighbor(b, nb, dir)
	b = contentSep(b)
	b, err := e.appendUpdateMessage(b, &u)
	if err != nil {
		return b[:start], err
	}
	if e.ShowNegotiated && neg != nil {
		b = append(b, ", "...)
		b = e.appendNegotiated(b, neg)
	}
	b = closeNeighbor(b, false)
	return closeEnvelope(b), nil
}

// appendUpdateMessage appends `"message": { "update": { ... } }` or the
// End-of-RIB form `"message": { "eor": { ... } }`.
func (e *Encoder) appendUpdateMessage(b []byte, u *update) ([]byte, error) {
	b = append(b, `"message": { `...)
	if u.eor {
		b = appendEOR(b, u.eorFam)
		return append(b, " }"...), nil
	}
	b = append(b, `"update": { `...)
	var err error
	sep := false
	if u.hasAttrsBesidesMP() {
		b = append(b, `"attribute": { `...)
		if e.Cache != nil {
			b, err = e.Cache.attributes(b, u, e.Dialect)
		} else {
			b, err = appendAttributes(b, u, e.Dialect)
		}
		if err != nil {
			return b, err
		}
		b = append(b, " }"...)
		sep = true
	}
	if u.hasAnnounce() {
		if sep {
			b = append(b, ", "...)
		}
		if b, err = e.appendAnnounce(b, u); err != nil {
			return b, err
		}
		sep = true
	}
	if u.hasWithdraw() {
		if sep {
			b = append(b, ", "...)
		}
		if b, err = e.appendWithdraw(b, u); err != nil {
			return b, err
		}
	}
	return append(b, " } }"...), nil
}

// appendEOR appends ExaBGP's EOR json().
func appendEOR(b []byte, f wire.Family) []byte {
	b = append(b, `"eor": { "afi" : "`...)
	b = append(b, f.AFI.String()...)
	b = append(b, `", "safi" : "`...)
	b = append(b, f.SAFI.String()...)
	return append(b, `" }`...)
}

// appendAttributes appends the attribute members in code order.
func appendAttributes(b []byte, u *update, d Dialect) ([]byte, error) {
	ctx := attrCtx{asn4: u.asn4, aigp: u.aigp, d: d}
	n := 0
	hasAS2 := u.find(wire.AttrASPath) >= 0
	for i, a := range u.list() {
		switch a.Code {
		case wire.AttrNextHop, wire.AttrMPReach, wire.AttrMPUnreach:
			continue
		case wire.AttrAS4Path:
			if hasAS2 {
				continue // merged into AS_PATH by ExaBGP (RFC 6793 §4.2.3)
			}
		}
		mark := len(b)
		if n > 0 {
			b = append(b, ", "...)
		}
		var ok bool
		var err error
		b, ok, err = appendAttrMember(b, u, i, &ctx)
		if err != nil {
			if ne, isNE := err.(*wire.NotifyError); isNE {
				ne.Offset = a.Offset
				ne.Attr = a.Code
			}
			return b, err
		}
		if !ok {
			b = b[:mark]
			continue
		}
		n++
	}
	return u.appendMarks(b, n, true), nil
}

// appendAttrMember appends `"name": value` for u.attrs[i].
func appendAttrMember(b []byte, u *update, i int, ctx *attrCtx) ([]byte, bool, error) {
	a := u.list()[i]
	name := attrName(a.Code)
	if a.Code == wire.AttrAS4Path || (name == "" && !knownAttr(a.Code)) {
		if a.Flags&wire.FlagTransitive == 0 && a.Code != wire.AttrAS4Path {
			return b, false, nil // unknown non-transitive: ignored
		}
		return appendGenericAttr(b, a, ctx.d), true, nil
	}
	if name == "" {
		return b, false, nil
	}
	if a.Code == wire.AttrBGPLS || a.Code == wire.AttrPrefixSID {
		if r, ok := attrRenderers[a.Code]; ok && r.Name != "" {
			name = r.Name
		}
	}
	mark := len(b)
	if a.Code == wire.AttrASPath && ctx.d.asPathSplit() {
		return appendASPathSplit(b, u, a.Value, ctx.asn4)
	}
	b = appendKey(b, name)
	if a.Code == wire.AttrASPath && !u.asn4 && u.seen(wire.AttrAS4Path) {
		return appendMergedASPath(b, u)
	}
	out, ok, err := appendAttrValue(b, a.Code, a.Value, ctx)
	if !ok || err != nil {
		return b[:mark], ok, err
	}
	return out, true, nil
}

// appendGenericAttr appends an attribute ExaBGP does not decode:
// `"attribute-0xCC-0xFF": "0x<hex>"`, with the Partial bit set as ExaBGP
// sets it on unknown transitive attributes it passes on (RFC 4271 §5).
func appendGenericAttr(b []byte, a wire.Attr, d Dialect) []byte {
	b = append(b, `"attribute-0x`...)
	b = append(b, hexUpper[a.Code>>4], hexUpper[a.Code&15])
	b = append(b, `-0x`...)
	f := a.Flags | wire.FlagPartial
	if a.Code == wire.AttrAS4Path {
		f = wire.FlagOptional | wire.FlagTransitive // AS4Path.FLAG
	}
	b = append(b, hexUpper[f>>4], hexUpper[f&15])
	b = append(b, `": "`...)
	if a.Code == wire.AttrAS4Path && d.asPathSplit() {
		b = appendASPathText40(b, a.Value, true)
	} else if a.Code == wire.AttrAS4Path {
		b = appendASPathText(b, a.Value, true)
	} else {
		b = appendHexLower(b, a.Value)
	}
	return append(b, '"')
}

func (u *update) hasAnnounce() bool {
	for i := 0; i < u.nsrc; i++ {
		if !u.src[i].listedWithdrawn() {
			return true
		}
	}
	return false
}

func (u *update) hasWithdraw() bool {
	for i := 0; i < u.nsrc; i++ {
		if u.src[i].listedWithdrawn() {
			return true
		}
	}
	return false
}

// famSeen reports whether a source before i (of the same kind) has fam.
func (u *update) famSeen(i int) bool {
	for j := 0; j < i; j++ {
		if u.src[j].listedWithdrawn() == u.src[i].listedWithdrawn() && u.src[j].fam == u.src[i].fam {
			return true
		}
	}
	return false
}

// appendAnnounce appends `"announce": { "fam": { "nh": [ ... ], ... }, ... }`:
// families in order of first appearance, then next hops in order of
// first appearance, as response/json.py groups them.
func (e *Encoder) appendAnnounce(b []byte, u *update) ([]byte, error) {
	b = append(b, `"announce": { `...)
	nf := 0
	for i := 0; i < u.nsrc; i++ {
		s := &u.src[i]
		if s.listedWithdrawn() || u.famSeen(i) {
			continue
		}
		if nf > 0 {
			b = append(b, ", "...)
		}
		nf++
		b = append(b, '"')
		b = appendFamilyName(b, s.fam, ' ')
		b = append(b, `": { `...)
		var nhs [8]netip.Addr
		nn := 0
		for j := i; j < u.nsrc; j++ {
			t := &u.src[j]
			if t.listedWithdrawn() || t.fam != s.fam {
				continue
			}
			for k := 0; k < max(t.nnh, 1); k++ {
				if !containsAddr(nhs[:nn], t.nh[k]) && nn < len(nhs) {
					nhs[nn] = t.nh[k]
					nn++
				}
			}
		}
		for k := 0; k < nn; k++ {
			if k > 0 {
				b = append(b, ", "...)
			}
			b = append(b, '"')
			if nhs[k].IsValid() {
				b = appendAddr(b, nhs[k])
			} else {
				b = append(b, "no-nexthop"...)
			}
			b = append(b, `": [ `...)
			var err error
			if b, err = e.appendGroup(b, u, i, nhs[k]); err != nil {
				return b, err
			}
			b = append(b, " ]"...)
		}
		b = append(b, " }"...)
	}
	return append(b, " }"...), nil
}

// appendGroup appends the NLRI of every announce source of u.src[i]'s
// family that has next hop nh.
func (e *Encoder) appendGroup(b []byte, u *update, i int, nh netip.Addr) ([]byte, error) {
	fam := u.src[i].fam
	n := 0
	for j := i; j < u.nsrc; j++ {
		t := &u.src[j]
		if t.listedWithdrawn() || t.fam != fam || !containsAddr(t.nh[:max(t.nnh, 1)], nh) {
			continue
		}
		if t.plainIPv4() {
			var ok bool
			if b, n, ok = appendIPv4List(b, t.data, e.Compact, n); ok {
				continue
			}
		}
		it := newNLRIIter(t)
		for it.next() {
			if n > 0 {
				b = append(b, ", "...)
			}
			n++
			b = it.appendJSON(b, Style{e.Compact, e.Dialect}, nh)
		}
		if it.err != nil {
			return b, it.err
		}
	}
	return b, nil
}

// appendWithdraw appends `"withdraw": { "fam": [ ... ], ... }`.
func (e *Encoder) appendWithdraw(b []byte, u *update) ([]byte, error) {
	b = append(b, `"withdraw": { `...)
	nf := 0
	for i := 0; i < u.nsrc; i++ {
		s := &u.src[i]
		if !s.listedWithdrawn() || u.famSeen(i) {
			continue
		}
		if nf > 0 {
			b = append(b, ", "...)
		}
		nf++
		b = append(b, '"')
		b = appendFamilyName(b, s.fam, ' ')
		b = append(b, `": [ `...)
		n := 0
		for j := i; j < u.nsrc; j++ {
			t := &u.src[j]
			if !t.listedWithdrawn() || t.fam != s.fam {
				continue
			}
			if !t.taw && t.plainIPv4() {
				var ok bool
				if b, n, ok = appendIPv4List(b, t.data, e.Compact, n); ok {
					continue
				}
			}
			it := newNLRIIter(t)
			for it.next() {
				if !t.taw {
					if n > 0 {
						b = append(b, ", "...)
					}
					n++
					b = it.appendJSON(b, Style{e.Compact, e.Dialect}, netip.Addr{})
					continue
				}
				// an announced NLRI keeps its next hop, and MP_REACH
				// makes one NLRI per next hop (global, link-local)
				for k := 0; k < max(t.nnh, 1); k++ {
					if n > 0 {
						b = append(b, ", "...)
					}
					n++
					b = it.appendJSON(b, Style{e.Compact, e.Dialect}, t.nh[k])
				}
			}
			if it.err != nil {
				return b, it.err
			}
		}
		b = append(b, " ]"...)
	}
	return append(b, " }"...), nil
}

func containsAddr(l []netip.Addr, a netip.Addr) bool {
	for _, x := range l {
		if x == a {
			return true
		}
	}
	return false
}

// appendASPathText appends ExaBGP's str() of an AS path: "( 1 2 ) [ 3 ]",
// confederations "{( 1 )}" and "{[ 1 ]}".
func appendASPathText(b []byte, v []byte, asn4 bool) []byte {
	w := 2
	if asn4 {
		w = 4
	}
	n := 0
	_ = walkASPath(v, asn4, wire.AttrASPath, func(t uint8, asns []byte) {
		if n > 0 {
			b = append(b, ' ')
		}
		n++
		head, tail := "(", ")"
		switch t {
		case wire.ASSet:
			head, tail = "[", "]"
		case wire.ASConfedSequence:
			head, tail = "{(", ")}"
		case wire.ASConfedSet:
			head, tail = "{[", "]}"
		}
		b = append(b, head...)
		b = append(b, ' ')
		for k := 0; k < len(asns); k += w {
			if k > 0 {
				b = append(b, ' ')
			}
			b = appendUint(b, asnAt(asns[k:], w))
		}
		b = append(b, ' ')
		b = append(b, tail...)
	})
	return b
}

// appendMergedASPath renders AS_PATH merged with AS4_PATH on a 2-octet
// session (RFC 6793 §4.2.3, merged by package wire). Deliberate deviation:
// ExaBGP 5.0.13 fails on this case (its merge code uses attributes its
// ASPath no longer has) and prints "invalid payload".
func appendMergedASPath(b []byte, u *update) ([]byte, bool, error) {
	var ua wire.UpdateAttrs
	if err := wire.DecodeAttributes(u.attrRaw, &wire.Negotiated{}, &ua); err != nil || !ua.HasASPath {
		return b, false, err
	}
	b = append(b, '{')
	for i, s := range ua.ASPath {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '"')
		b = appendUint(b, uint64(i))
		b = append(b, `": {"element": "`...)
		b = append(b, asSegmentName(s.Type)...)
		b = append(b, `", "value": [`...)
		for k, asn := range s.ASNs {
			if k > 0 {
				b = append(b, ", "...)
			}
			b = appendUint(b, uint64(asn))
		}
		b = append(b, "]}"...)
	}
	return append(b, '}'), true, nil
}
