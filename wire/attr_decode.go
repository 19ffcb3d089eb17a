package wire

import "net/netip"

// UpdateAttrs is the decoded path attribute section of a received UPDATE:
// the typed [Attributes], plus what belongs to the UPDATE rather than the
// route (NEXT_HOP, MP_REACH_NLRI, MP_UNREACH_NLRI) and the RFC 7606
// outcome. Reuse one value across UPDATEs: [DecodeAttributes] keeps the
// capacity of its slices, so steady-state decoding does not allocate.
// Everything aliases the message except ASNs and communities, which live
// in the UpdateAttrs' own buffers.
type UpdateAttrs struct {
	Attributes
	HasNextHop bool
	NextHop    netip.Addr // NEXT_HOP (RFC 4271 §5.1.3)
	HasReach   bool
	Reach      []byte // MP_REACH_NLRI value (RFC 4760 §3)
	HasUnreach bool
	Unreach    []byte // MP_UNREACH_NLRI value (RFC 4760 §4)
	// Withdraw is the first error whose RFC 7606 action is
	// treat-as-withdraw: every NLRI of the UPDATE is to be withdrawn. Nil
	// when none.
	Withdraw *NotifyError
	// Discarded lists the codes of attributes dropped by attribute-discard
	// (RFC 7606 §2), in order.
	Discarded []uint8

	dec     attrDecoder
	seen    [4]uint64 // attribute codes seen
	asns    []uint32
	segs    []ASSegment
	comms   []uint32
	ext     []ExtCommunity
	large   []LargeCommunity
	cluster []netip.Addr
	other   []RawAttr
	as4path []byte
	as4agg  []byte
}

// attrDecoder carries the session context of one decode.
type attrDecoder struct {
	u     *UpdateAttrs
	asn4  bool
	aigp  bool
	code  uint8
	flags uint8
	off   int
}

func (u *UpdateAttrs) reset() {
	u.Attributes = Attributes{}
	u.HasNextHop, u.NextHop = false, netip.Addr{}
	u.HasReach, u.Reach, u.HasUnreach, u.Unreach = false, nil, false, nil
	u.Withdraw, u.Discarded = nil, u.Discarded[:0]
	u.seen = [4]uint64{}
	u.asns, u.segs, u.comms, u.ext = u.asns[:0], u.segs[:0], u.comms[:0], u.ext[:0]
	u.large, u.cluster, u.other = u.large[:0], u.cluster[:0], u.other[:0]
	u.as4path, u.as4agg = nil, nil
}

// DecodeAttributes decodes the path attributes b (the UPDATE's path
// attribute field) into u, for session n (nil: 2-octet ASNs). The error
// returned is one that resets the session (RFC 7606 action Reset);
// treat-as-withdraw and attribute-discard outcomes are recorded in
// u.Withdraw and u.Discarded and decoding goes on. Error offsets count
// from the start of b (see [Update.PathAttrsOffset]).
//
// The attribute table (attrDecoder.one) is the reference decoder. A fast
// loop without calls takes the common attributes first: well formed, seen
// for the first time, with the flags the RFC assigns; it defers the
// variable-length ones it has validated (AS_PATH, communities) and stops
// at anything else, from where the table decodes the rest.
// FuzzAttributesFastPath checks both paths agree.
func DecodeAttributes(b []byte, n *Negotiated, u *UpdateAttrs) error {
	u.reset()
	seen := uint64(0) // codes 0-63 seen
	// Where the deferred attributes' values start and end (end 0: none),
	// in memory to leave the registers to the loop.
	var at, end [4]int
	pathOff := 0
	const pathAt, commAt, extAt, largeAt = 0, 1, 2, 3
	off := 0
fast:
	for off+3 <= len(b) {
		h := b[off : off+3 : off+3]
		f, code := h[0], h[1]
		s, e := off+3, off+3+int(h[2])
		if f&FlagExtLen != 0 {
			if off+4 > len(b) {
				break
			}
			s, e = off+4, off+4+(int(b[off+2])<<8|int(b[off+3]))
			f &^= FlagExtLen
		}
		if e > len(b) || seen&(1<<(code&63)) != 0 { // codes from 64 go to the default case
			break
		}
		switch code {
		case AttrOrigin:
			if f != FlagTransitive || e-s != 1 || b[s] > OriginIncomplete {
				break fast
			}
			u.HasOrigin, u.Origin = true, b[s]
		case AttrASPath:
			if f != FlagTransitive {
				break fast
			}
			at[pathAt], end[pathAt], pathOff = s, e, off
		case AttrNextHop:
			if f != FlagTransitive || e-s != 4 {
				break fast
			}
			u.HasNextHop, u.NextHop = true, netip.AddrFrom4([4]byte(b[s:e]))
		case AttrMED:
			if f&^FlagPartial != FlagOptional || e-s != 4 {
				break fast
			}
			u.HasMED, u.MED = true, be.Uint32(b[s:e])
		case AttrLocalPref:
			if f != FlagTransitive || e-s != 4 {
				break fast
			}
			u.HasLocalPref, u.LocalPref = true, be.Uint32(b[s:e])
		case AttrAtomicAggregate:
			if f != FlagTransitive || e != s {
				break fast
			}
			u.AtomicAggregate = true
		case AttrCommunities:
			if f&^FlagPartial != FlagOptional|FlagTransitive || e == s || (e-s)%4 != 0 {
				break fast
			}
			at[commAt], end[commAt] = s, e
		case AttrOriginatorID:
			if f&^FlagPartial != FlagOptional || e-s != 4 {
				break fast
			}
			u.HasOriginatorID, u.OriginatorID = true, netip.AddrFrom4([4]byte(b[s:e]))
		case AttrMPReach:
			if f&^FlagPartial != FlagOptional || e == s {
				break fast
			}
			u.HasReach, u.Reach = true, b[s:e:e]
		case AttrMPUnreach:
			if f&^FlagPartial != FlagOptional || e == s {
				break fast
			}
			u.HasUnreach, u.Unreach = true, b[s:e:e]
		case AttrExtCommunities:
			if f&^FlagPartial != FlagOptional|FlagTransitive || e == s || (e-s)%8 != 0 {
				break fast
			}
			at[extAt], end[extAt] = s, e
		case AttrLargeCommunities:
			if f&^FlagPartial != FlagOptional|FlagTransitive || e == s || (e-s)%12 != 0 {
				break fast
			}
			at[largeAt], end[largeAt] = s, e
		default:
			break fast
		}
		seen |= 1 << (code & 63)
		off = e
	}
	// The deferred attributes, validated but for AS_PATH: its error, if
	// any, is the first of the UPDATE, as nothing before failed.
	asn4 := n.IsASN4()
	if end[commAt] != 0 {
		u.decodeCommunities(b[at[commAt]:end[commAt]:end[commAt]])
	}
	if end[extAt] != 0 {
		u.decodeExtCommunities(b[at[extAt]:end[extAt]:end[extAt]])
	}
	if end[largeAt] != 0 {
		u.decodeLargeCommunities(b[at[largeAt]:end[largeAt]:end[largeAt]])
	}
	u.seen[0] = seen
	if end[pathAt] != 0 {
		if v := b[at[pathAt]:end[pathAt]:end[pathAt]]; !u.oneSegment(v, asn4) && u.decodeASPath(v, asn4) != nil {
			u.seen[0] &^= 1 << AttrASPath
			if err := u.slowAttr(b, pathOff, n); err != nil {
				return err
			}
		}
	}
	if off < len(b) {
		if err := u.slowAttrs(b, off, n); err != nil {
			return err
		}
	}
	if len(u.other) != 0 || !asn4 {
		u.finish(asn4)
	}
	return nil
}

// oneSegment decodes the common AS_PATH, one segment of 4-octet ASNs, as
// parseASPath does, when u's buffers are large enough; it reports
// whether it did (saving parseASPath's general loop).
func (u *UpdateAttrs) oneSegment(v []byte, asn4 bool) bool {
	if !asn4 || len(v) < 6 || len(v) != 2+4*int(v[1]) || v[0]-ASSet > ASConfedSet-ASSet ||
		cap(u.asns) < int(v[1]) || cap(u.segs) == 0 {
		return false
	}
	u.asns, u.segs = u.asns[:v[1]], u.segs[:1] // lengths only
	asns := u.asns
	for i := range asns {
		asns[i] = be.Uint32(v[2+4*i : 6+4*i])
	}
	u.segs[0] = ASSegment{Type: v[0], ASNs: asns[:len(asns):len(asns)]}
	u.HasASPath, u.ASPath = true, u.segs
	return true
}

// attrValue is the value of the attribute at b[off:], framed already.
func attrValue(b []byte, off int) []byte {
	p := b[off:]
	if p[0]&FlagExtLen != 0 {
		l := int(p[2])<<8 | int(p[3])
		return p[4 : 4+l : 4+l]
	}
	l := int(p[2])
	return p[3 : 3+l : 3+l]
}

// slowAttrs decodes the attributes from b[off:] through the table.
func (u *UpdateAttrs) slowAttrs(b []byte, off int, n *Negotiated) error {
	for off < len(b) {
		// The framing of AttrIter.Next.
		rest := b[off:]
		if len(rest) < 3 || rest[0]&FlagExtLen != 0 && len(rest) < 4 {
			u.withdraw(attrListError(off, 0, "attribute header overruns the path attributes"))
			break
		}
		l, h := int(rest[2]), 3
		if rest[0]&FlagExtLen != 0 {
			l, h = l<<8|int(rest[3]), 4
		}
		if h+l > len(rest) {
			u.withdraw(attrListError(off, rest[1], "attribute length overruns the path attributes"))
			break
		}
		if err := u.slowAttr(b, off, n); err != nil {
			return err
		}
		off += h + l
	}
	return nil
}

// slowAttr decodes the attribute at b[off:], framed already, through the
// table.
func (u *UpdateAttrs) slowAttr(b []byte, off int, n *Negotiated) error {
	p := b[off:]
	u.dec = attrDecoder{u: u, asn4: n.IsASN4(), aigp: n != nil && n.AIGP}
	return u.dec.one(p[0], p[1], attrValue(b, off), off)
}

func attrListError(off int, code uint8, reason string) *NotifyError {
	return &NotifyError{Code: CodeUpdate, Subcode: SubcodeMalformedAttrList, Action: TreatAsWithdraw,
		Attr: code, Offset: off, Reason: reason}
}

func (u *UpdateAttrs) withdraw(e *NotifyError) {
	if u.Withdraw == nil {
		u.Withdraw = e
	}
}

func (u *UpdateAttrs) has(code uint8) bool { return u.seen[code>>6]&(1<<(code&63)) != 0 }

// one decodes a single attribute (flags, code, value, starting at off)
// following the attribute table.
func (d *attrDecoder) one(flags, code uint8, value []byte, off int) error {
	u, row := d.u, &attrTable[code]
	d.code, d.off = code, off
	if u.has(code) {
		if code == AttrMPReach || code == AttrMPUnreach {
			return d.err(SubcodeMalformedAttrList, Reset, "multiple MP_REACH_NLRI or MP_UNREACH_NLRI")
		}
		return nil // RFC 7606 §3(g): keep the first
	}
	u.seen[code>>6] |= 1 << (code & 63)
	if row.decode == nil { // unknown to ExaBGP (RFC 4271 §5)
		if flags&FlagTransitive != 0 {
			u.other = append(u.other, RawAttr{Flags: flags | FlagPartial, Code: code, Value: value})
		}
		return nil
	}
	d.flags = flags &^ FlagExtLen
	check := d.flags
	if row.flags&FlagOptional != 0 {
		check &^= FlagPartial
	}
	if check != row.flags {
		return d.fail(SubcodeAttrFlags, row.onError, "attribute flags error")
	}
	if len(value) == 0 && !row.zeroOK {
		return d.fail(SubcodeAttrLength, TreatAsWithdraw, "attribute with a zero length")
	}
	if err := row.decode(d, value); err != nil {
		ne := err.(*NotifyError)
		return d.fail(ne.Subcode, row.onError, ne.Reason)
	}
	return nil
}

// fail applies an RFC 7606 action: a Reset is returned, the others are
// recorded.
func (d *attrDecoder) fail(sub uint8, h Handling, reason string) error {
	switch h {
	case Reset:
		return d.err(sub, Reset, reason)
	case TreatAsWithdraw:
		d.u.withdraw(d.err(sub, TreatAsWithdraw, reason))
	default:
		d.u.Discarded = append(d.u.Discarded, d.code)
	}
	return nil
}

func (d *attrDecoder) err(sub uint8, h Handling, reason string) *NotifyError {
	return &NotifyError{Code: CodeUpdate, Subcode: sub, Action: h, Attr: d.code, Offset: d.off, Reason: reason}
}

// bad is what a value decoder returns; one applies the row's action.
func bad(sub uint8, reason string) error { return &NotifyError{Subcode: sub, Reason: reason} }

func decodeRaw(d *attrDecoder, v []byte) error {
	d.u.other = append(d.u.other, RawAttr{Flags: d.flags, Code: d.code, Value: v})
	return nil
}

func decodeOrigin(d *attrDecoder, v []byte) error {
	if len(v) != 1 {
		return bad(SubcodeAttrLength, "ORIGIN length is not 1")
	}
	if v[0] > OriginIncomplete {
		return bad(SubcodeInvalidOrigin, "invalid ORIGIN value")
	}
	d.u.HasOrigin, d.u.Origin = true, v[0]
	return nil
}

func decodeNextHop(d *attrDecoder, v []byte) error {
	switch len(v) {
	case 4:
		d.u.NextHop = netip.AddrFrom4([4]byte(v))
	case 16: // accepted by ExaBGP
		d.u.NextHop = netip.AddrFrom16([16]byte(v))
	default:
		return bad(SubcodeAttrLength, "NEXT_HOP length is not 4")
	}
	d.u.HasNextHop = true
	return nil
}

func decodeMED(d *attrDecoder, v []byte) error {
	if len(v) != 4 {
		return bad(SubcodeAttrLength, "MULTI_EXIT_DISC length is not 4")
	}
	d.u.HasMED, d.u.MED = true, be.Uint32(v)
	return nil
}

func decodeLocalPref(d *attrDecoder, v []byte) error {
	if len(v) != 4 {
		return bad(SubcodeAttrLength, "LOCAL_PREF length is not 4")
	}
	d.u.HasLocalPref, d.u.LocalPref = true, be.Uint32(v)
	return nil
}

func decodeAtomic(d *attrDecoder, v []byte) error {
	if len(v) != 0 {
		return bad(SubcodeAttrLength, "ATOMIC_AGGREGATE length is not 0")
	}
	d.u.AtomicAggregate = true
	return nil
}

func decodeAggregator(d *attrDecoder, v []byte) error {
	switch {
	case d.asn4 && len(v) == 8:
		d.u.Aggregator = Aggregator{be.Uint32(v), netip.AddrFrom4([4]byte(v[4:]))}
	case !d.asn4 && len(v) == 6:
		d.u.Aggregator = Aggregator{uint32(be.Uint16(v)), netip.AddrFrom4([4]byte(v[2:]))}
	default:
		return bad(SubcodeAttrLength, "AGGREGATOR length is wrong")
	}
	d.u.HasAggregator = true
	return nil
}

func decodeAS4Aggregator(d *attrDecoder, v []byte) error {
	if len(v) != 8 {
		return bad(SubcodeAttrLength, "AS4_AGGREGATOR length is not 8")
	}
	d.u.as4agg = v
	return nil
}

func decodeCommunities(d *attrDecoder, v []byte) error {
	if len(v)%4 != 0 {
		return bad(SubcodeAttrLength, "COMMUNITIES length is not a multiple of 4")
	}
	d.u.decodeCommunities(v)
	return nil
}

// decodeCommunities fills Communities from a valid value (u.comms is
// empty: an attribute is decoded once per UPDATE).
func (u *UpdateAttrs) decodeCommunities(v []byte) {
	if cap(u.comms) < len(v)/4 {
		u.comms = make([]uint32, 0, len(v)/4)
	}
	u.comms = u.comms[:len(v)/4] // the length only
	c := u.comms
	for i := range c {
		c[i] = be.Uint32(v[4*i:])
	}
	u.Communities = c
}

func decodeOriginatorID(d *attrDecoder, v []byte) error {
	if len(v) != 4 {
		return bad(SubcodeAttrLength, "ORIGINATOR_ID length is not 4")
	}
	d.u.HasOriginatorID, d.u.OriginatorID = true, netip.AddrFrom4([4]byte(v))
	return nil
}

func decodeClusterList(d *attrDecoder, v []byte) error {
	if len(v)%4 != 0 {
		return bad(SubcodeAttrLength, "CLUSTER_LIST length is not a multiple of 4")
	}
	for ; len(v) > 0; v = v[4:] {
		d.u.cluster = append(d.u.cluster, netip.AddrFrom4([4]byte(v)))
	}
	d.u.ClusterList = d.u.cluster
	return nil
}

func decodeExtCommunities(d *attrDecoder, v []byte) error {
	if len(v)%8 != 0 {
		return bad(SubcodeAttrLength, "EXTENDED_COMMUNITIES length is not a multiple of 8")
	}
	d.u.decodeExtCommunities(v)
	return nil
}

func (u *UpdateAttrs) decodeExtCommunities(v []byte) {
	if cap(u.ext) < len(v)/8 {
		u.ext = make([]ExtCommunity, 0, len(v)/8)
	}
	u.ext = u.ext[:len(v)/8] // the length only
	c := u.ext
	for i := range c {
		c[i] = ExtCommunity(v[8*i:])
	}
	u.ExtCommunities = c
}

func decodeLargeCommunities(d *attrDecoder, v []byte) error {
	if len(v)%12 != 0 {
		return bad(SubcodeAttrLength, "LARGE_COMMUNITY length is not a multiple of 12")
	}
	d.u.decodeLargeCommunities(v)
	return nil
}

func (u *UpdateAttrs) decodeLargeCommunities(v []byte) {
	if cap(u.large) < len(v)/12 {
		u.large = make([]LargeCommunity, 0, len(v)/12)
	}
	u.large = u.large[:len(v)/12] // the length only
	c := u.large
	for i := range c {
		w := v[12*i : 12*i+12]
		c[i] = LargeCommunity{be.Uint32(w), be.Uint32(w[4:]), be.Uint32(w[8:])}
	}
	u.LargeCommunities = c
}

// decodeAIGP reads the AIGP TLV (RFC 7311 §3); as ExaBGP, it is ignored
// unless the session has ExaBGP's `capability aigp` (Negotiated.AIGP).
func decodeAIGP(d *attrDecoder, v []byte) error {
	if !d.aigp {
		return nil
	}
	var metric uint64
	found := false
	for len(v) > 0 {
		if len(v) < 3 {
			return bad(SubcodeOptionalAttr, "AIGP TLV header truncated")
		}
		l := int(be.Uint16(v[1:]))
		if l < 3 || l > len(v) {
			return bad(SubcodeOptionalAttr, "AIGP TLV length is wrong")
		}
		if v[0] == 1 {
			if l != 11 || found {
				return bad(SubcodeOptionalAttr, "AIGP metric TLV is malformed")
			}
			metric, found = be.Uint64(v[3:]), true
		}
		v = v[l:]
	}
	if !found {
		return bad(SubcodeOptionalAttr, "AIGP without a metric TLV")
	}
	d.u.HasAIGP, d.u.AIGP = true, metric
	return nil
}

func decodeMPReach(d *attrDecoder, v []byte) error {
	d.u.HasReach, d.u.Reach = true, v
	return nil
}

func decodeMPUnreach(d *attrDecoder, v []byte) error {
	d.u.HasUnreach, d.u.Unreach = true, v
	return nil
}

// finish applies RFC 6793 §4.2.3 on a 2-octet session: AS4_AGGREGATOR
// replaces an AGGREGATOR of AS_TRANS, AS4_PATH is merged into AS_PATH.
// On a 4-octet session both are ignored (RFC 6793 §4.1). It also exposes
// the unknown attributes in Other.
func (u *UpdateAttrs) finish(asn4 bool) {
	if len(u.other) > 0 {
		u.Other = u.other
	}
	if asn4 {
		return
	}
	if u.as4agg != nil && u.HasAggregator && u.Aggregator.ASN == ASTrans {
		u.Aggregator = Aggregator{be.Uint32(u.as4agg), netip.AddrFrom4([4]byte(u.as4agg[4:]))}
	}
	if u.as4path != nil && u.HasASPath {
		u.mergeAS4Path()
	}
}

// CheckMandatory applies RFC 7606 §3(d) to a decoded UPDATE that announces
// (classic NLRI or MP_REACH_NLRI NLRI): a missing ORIGIN or AS_PATH, a
// missing NEXT_HOP when the classic NLRI field is used, and a missing
// LOCAL_PREF on iBGP (RFC 4271 §5.1.5) give 3/3 Missing Well-known
// Attribute with action treat-as-withdraw (Data = the missing type code).
// ExaBGP does not check this; the reactor decides whether to call it.
func (u *UpdateAttrs) CheckMandatory(classicNLRI, ibgp bool) *NotifyError {
	missing := func(code uint8) *NotifyError {
		return &NotifyError{Code: CodeUpdate, Subcode: SubcodeMissingWK, Data: []byte{code},
			Action: TreatAsWithdraw, Attr: code, Reason: "missing well-known attribute"}
	}
	switch {
	case !u.HasOrigin:
		return missing(AttrOrigin)
	case !u.HasASPath:
		return missing(AttrASPath)
	case classicNLRI && !u.HasNextHop:
		return missing(AttrNextHop)
	case ibgp && !u.HasLocalPref:
		return missing(AttrLocalPref)
	}
	return nil
}
