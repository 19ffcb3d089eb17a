package wire

import (
	"math/bits"
	"net/netip"
)

// UpdateAttrs is the decoded path attribute section of a received UPDATE:
// the typed [Attributes], plus what belongs to the UPDATE rather than the
// route (NEXT_HOP, MP_REACH_NLRI, MP_UNREACH_NLRI) and the RFC 7606
// outcome. Reuse one value across UPDATEs: [DecodeAttributes] keeps the
// capacity of its slices, so steady-state decoding does not allocate. Its
// fields are the decoder's: read them, do not write them (a decode clears
// only what the previous one set).
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

	dec  attrDecoder
	seen [4]uint64 // attribute codes seen
	// slow is set when the attribute table decoded something: the next
	// decode starts with a full reset. After a decode by the fast passes
	// alone, only the fields of the codes seen are set.
	slow    bool
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

// reset clears everything a decode may have set.
func (u *UpdateAttrs) reset() {
	u.slow = false
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
// The attribute table (attrDecoder.one) is the reference decoder. Two
// passes without table calls take the common attributes first: inOrder
// matches them in ascending type code order (as speakers send them) in
// straight-line code, then a loop takes the same attributes in any order.
// Both take an attribute only when it is well formed, seen for the first
// time and has the flags the RFC assigns; the loop defers the
// variable-length ones it has validated (AS_PATH, communities) and stops
// at anything else, from where the table decodes the rest.
// FuzzAttributesFastPath checks the passes and the table agree.
//
// A value decoded without the table is not reset up front: the fields of
// the codes seen this time are all overwritten, and those of the codes
// seen only the previous time are cleared at the end (clearCodes); after
// the table, the next decode resets everything. The fields of UpdateAttrs
// are therefore the decoder's: callers read them and do not write them.
func DecodeAttributes(b []byte, n *Negotiated, u *UpdateAttrs) error {
	if u.slow {
		u.reset()
	}
	prev := u.seen[0] // codes 0-63 seen by the previous decode
	// The fast loop has no calls (which would spill its registers): it
	// leaves the variable-length attributes in d, to decode after it.
	var d deferred
	asn4 := n.IsASN4()
	off, seen := u.inOrder(b, asn4, &d)
	if off == len(b) && d.pathEnd == 0 && d.extEnd == 0 { // all taken in order
		u.seen[0] = seen
		if stale := prev &^ seen; stale != 0 {
			u.clearCodes(stale)
		}
		if !asn4 {
			u.finish(asn4)
		}
		return nil
	}
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
			d.pathAt, d.pathEnd, d.pathOff = s, e, off
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
			d.commAt, d.commEnd = s, e
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
			d.extAt, d.extEnd = s, e
		case AttrLargeCommunities:
			if f&^FlagPartial != FlagOptional|FlagTransitive || e == s || (e-s)%12 != 0 {
				break fast
			}
			d.largeAt, d.largeEnd = s, e
		default:
			break fast
		}
		seen |= 1 << (code & 63)
		off = e
	}
	// The deferred attributes, validated but for AS_PATH: its error, if
	// any, is the first of the UPDATE, as nothing before failed.
	if d.commEnd != 0 {
		u.decodeCommunities(b[d.commAt:d.commEnd:d.commEnd])
	}
	if d.extEnd != 0 {
		u.decodeExtCommunities(b[d.extAt:d.extEnd:d.extEnd])
	}
	if d.largeEnd != 0 {
		u.decodeLargeCommunities(b[d.largeAt:d.largeEnd:d.largeEnd])
	}
	u.seen[0] = seen
	if d.pathEnd != 0 {
		if v := b[d.pathAt:d.pathEnd:d.pathEnd]; !u.oneSegment(v, asn4) && u.decodeASPath(v, asn4) != nil {
			u.seen[0] &^= 1 << AttrASPath
			if err := u.slowAttr(b, d.pathOff, n); err != nil {
				return u.failed(prev, err)
			}
		}
	}
	if off < len(b) {
		if err := u.slowAttrs(b, off, n); err != nil {
			return u.failed(prev, err)
		}
	}
	if stale := prev &^ u.seen[0]; stale != 0 {
		u.clearCodes(stale)
	}
	if len(u.other) != 0 || !asn4 {
		u.finish(asn4)
	}
	return nil
}

// inOrder is the first pass of DecodeAttributes: the common attributes in
// ascending type code order, as RFC 4271 §5 recommends and speakers send
// them, each matched on its first 4 octets (flags, code, length and the
// first value octet) in straight-line code. It takes the attributes the
// fast loop takes, with the same checks, and returns where it stopped and
// the codes it took; the fast loop goes on from there. It is one block per
// code and longer than 80 lines on purpose: helpers would be calls, which
// cost more than the block they hold.
func (u *UpdateAttrs) inOrder(b []byte, asn4 bool, d *deferred) (off int, seen uint64) {
	// Header words, with Partial cleared on optional attributes.
	const (
		origin    = uint32(FlagTransitive)<<24 | uint32(AttrOrigin)<<16 | 1<<8
		nextHop   = uint32(FlagTransitive)<<24 | uint32(AttrNextHop)<<16 | 4<<8
		med       = uint32(FlagOptional)<<24 | uint32(AttrMED)<<16 | 4<<8
		localPref = uint32(FlagTransitive)<<24 | uint32(AttrLocalPref)<<16 | 4<<8
		atomic    = uint32(FlagTransitive)<<24 | uint32(AttrAtomicAggregate)<<16
		origID    = uint32(FlagOptional)<<24 | uint32(AttrOriginatorID)<<16 | 4<<8
		partial   = uint32(FlagPartial) << 24
		ext       = uint32(FlagExtLen) << 24
	)
	w := peek4(b, 0)
	if w&^0xff == origin && uint8(w) <= OriginIncomplete {
		u.HasOrigin, u.Origin = true, uint8(w)
		seen, off = 1<<AttrOrigin, 4
		w = peek4(b, off)
	}
	if w>>16&^(ext>>16) == uint32(FlagTransitive)<<8|uint32(AttrASPath) {
		if s, e := span(w, off); e <= len(b) {
			if v := b[s:e:e]; !u.oneSegment(v, asn4) {
				d.pathAt, d.pathEnd, d.pathOff = s, e, off
			}
			seen |= 1 << AttrASPath
			off, w = e, peek4(b, e)
		}
	}
	if w&^0xff == nextHop && off+7 <= len(b) {
		u.HasNextHop, u.NextHop = true, netip.AddrFrom4([4]byte(b[off+3:off+7]))
		seen |= 1 << AttrNextHop
		off += 7
		w = peek4(b, off)
	}
	if w&^(0xff|partial) == med && off+7 <= len(b) {
		u.HasMED, u.MED = true, be.Uint32(b[off+3:off+7])
		seen |= 1 << AttrMED
		off += 7
		w = peek4(b, off)
	}
	if w&^0xff == localPref && off+7 <= len(b) {
		u.HasLocalPref, u.LocalPref = true, be.Uint32(b[off+3:off+7])
		seen |= 1 << AttrLocalPref
		off += 7
		w = peek4(b, off)
	}
	if w&^0xff == atomic {
		u.AtomicAggregate = true
		seen |= 1 << AttrAtomicAggregate
		off += 3
		w = peek4(b, off)
	}
	if w>>16&^((partial|ext)>>16) == uint32(FlagOptional|FlagTransitive)<<8|uint32(AttrCommunities) {
		if s, e := span(w, off); e <= len(b) && e != s && (e-s)%4 == 0 {
			u.decodeCommunities(b[s:e:e])
			seen |= 1 << AttrCommunities
			off, w = e, peek4(b, e)
		}
	}
	if w&^(0xff|partial) == origID && off+7 <= len(b) {
		u.HasOriginatorID, u.OriginatorID = true, netip.AddrFrom4([4]byte(b[off+3:off+7]))
		seen |= 1 << AttrOriginatorID
		off += 7
		w = peek4(b, off)
	}
	if w>>16&^((partial|ext)>>16) == uint32(FlagOptional)<<8|uint32(AttrMPReach) {
		if s, e := span(w, off); e <= len(b) && e != s {
			u.HasReach, u.Reach = true, b[s:e:e]
			seen |= 1 << AttrMPReach
			off, w = e, peek4(b, e)
		}
	}
	if w>>16&^((partial|ext)>>16) == uint32(FlagOptional)<<8|uint32(AttrMPUnreach) {
		if s, e := span(w, off); e <= len(b) && e != s {
			u.HasUnreach, u.Unreach = true, b[s:e:e]
			seen |= 1 << AttrMPUnreach
			off, w = e, peek4(b, e)
		}
	}
	if w>>16&^((partial|ext)>>16) == uint32(FlagOptional|FlagTransitive)<<8|uint32(AttrExtCommunities) {
		if s, e := span(w, off); e <= len(b) && e != s && (e-s)%8 == 0 {
			d.extAt, d.extEnd = s, e
			seen |= 1 << AttrExtCommunities
			off, w = e, peek4(b, e)
		}
	}
	if w>>16&^((partial|ext)>>16) == uint32(FlagOptional|FlagTransitive)<<8|uint32(AttrLargeCommunities) {
		if s, e := span(w, off); e <= len(b) && e != s && (e-s)%12 == 0 {
			u.decodeLargeCommunities(b[s:e:e])
			seen |= 1 << AttrLargeCommunities
			off = e
		}
	}
	return off, seen
}

// peek4 returns the 4 octets at b[off:] as a big-endian word, 0 (no
// attribute header) when fewer are left.
func peek4(b []byte, off int) uint32 {
	if uint(off)+4 <= uint(len(b)) {
		return be.Uint32(b[off : off+4])
	}
	return 0
}

// span returns where the value of the attribute at off, whose first 4
// octets are w, starts and ends (extended length or not).
func span(w uint32, off int) (s, e int) {
	if w&(uint32(FlagExtLen)<<24) != 0 {
		return off + 4, off + 4 + int(uint16(w))
	}
	return off + 3, off + 3 + int(uint8(w>>8))
}

// deferred holds where the values of the attributes the fast passes
// validated but left to decode start and end in the path attributes (end
// 0: none), and where the AS_PATH attribute starts.
type deferred struct {
	pathAt, pathEnd, pathOff int
	commAt, commEnd          int
	extAt, extEnd            int
	largeAt, largeEnd        int
}

// failed clears what the previous decode left (its codes in prev) and
// returns err.
func (u *UpdateAttrs) failed(prev uint64, err error) error {
	u.clearCodes(prev &^ u.seen[0])
	return err
}

// clearCodes clears the fields of the attribute codes in m (codes 0-63).
func (u *UpdateAttrs) clearCodes(m uint64) {
	for ; m != 0; m &= m - 1 {
		u.clearCode(uint8(bits.TrailingZeros64(m)))
	}
}

// clearCode clears the fields one attribute code sets; attributes kept
// raw in Other are cleared by reset, as the table decodes them.
func (u *UpdateAttrs) clearCode(code uint8) {
	switch code {
	case AttrOrigin:
		u.HasOrigin, u.Origin = false, 0
	case AttrASPath:
		u.HasASPath, u.ASPath = false, nil
	case AttrNextHop:
		u.HasNextHop, u.NextHop = false, netip.Addr{}
	case AttrMED:
		u.HasMED, u.MED = false, 0
	case AttrLocalPref:
		u.HasLocalPref, u.LocalPref = false, 0
	case AttrAtomicAggregate:
		u.AtomicAggregate = false
	case AttrAggregator:
		u.HasAggregator, u.Aggregator = false, Aggregator{}
	case AttrCommunities:
		u.Communities = nil
	case AttrOriginatorID:
		u.HasOriginatorID, u.OriginatorID = false, netip.Addr{}
	case AttrClusterList:
		u.ClusterList, u.cluster = nil, u.cluster[:0]
	case AttrMPReach:
		u.HasReach, u.Reach = false, nil
	case AttrMPUnreach:
		u.HasUnreach, u.Unreach = false, nil
	case AttrExtCommunities:
		u.ExtCommunities = nil
	case AttrAS4Path:
		u.as4path = nil
	case AttrAS4Aggregator:
		u.as4agg = nil
	case AttrAIGP:
		u.HasAIGP, u.AIGP = false, 0
	case AttrLargeCommunities:
		u.LargeCommunities = nil
	}
}

// oneSegment decodes the common AS_PATH, one segment of 4-octet ASNs, as
// parseASPath does, when u's buffers are large enough; it reports
// whether it did (saving parseASPath's general loop).
func (u *UpdateAttrs) oneSegment(v []byte, asn4 bool) bool {
	if !asn4 || len(v) < 6 {
		return false
	}
	k := int(v[1])
	if len(v) != 2+4*k || v[0]-ASSet > ASConfedSet-ASSet || cap(u.asns) < k || cap(u.segs) == 0 {
		return false
	}
	u.asns = u.asns[:k] // the lengths only
	u.segs = u.segs[:1]
	asns, p := u.asns, v[2:2+4*k]
	for i := range asns {
		asns[i] = be.Uint32(p[4*i : 4*i+4])
	}
	u.segs[0] = ASSegment{Type: v[0], ASNs: asns[:k:k]}
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
	u.slow = true
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
	u.slow = true
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
	u.clearCode(code)      // the previous decode's, when the fast loop set it
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
	v = v[:4*len(c)]
	for i := range c {
		c[i] = be.Uint32(v[4*i : 4*i+4])
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
		w := (*[12]byte)(v[12*i:])
		c[i] = LargeCommunity{be.Uint32(w[0:4]), be.Uint32(w[4:8]), be.Uint32(w[8:12])}
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
