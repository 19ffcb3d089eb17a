package format

import (
	"net/netip"

	"exago/wire"
)

// This file splits an UPDATE (RFC 4271 §4.3) into what the renderers
// need: the sorted path attributes and up to four NLRI sources (IPv4
// withdrawn, IPv4 announced, MP_UNREACH_NLRI, MP_REACH_NLRI, RFC 4760),
// in ExaBGP's order. It does not allocate for UPDATEs of up to 16
// attributes.

// maxInlineAttrs is how many attributes are held without allocating.
const maxInlineAttrs = 16

// nlriSource is one run of NLRI of one family with its next hops.
type nlriSource struct {
	fam      wire.Family
	data     []byte
	base     int // offset of data in the message, for errors
	addPath  bool
	withdraw bool
	// taw: announced NLRI listed as withdrawn, as ExaBGP's reactor does
	// for a received UPDATE with a treat-as-withdraw error (RFC 7606): it
	// sets every NLRI's action to withdraw and keeps its next hop.
	taw bool
	nh  [2]netip.Addr // invalid = "no-nexthop"
	nnh int
}

// update is a parsed UPDATE.
type update struct {
	inline  [maxInlineAttrs]wire.Attr // attributes, sorted by code, first of each code kept
	nattr   int
	big     []wire.Attr // used instead of inline beyond maxInlineAttrs
	attrOff int         // offset of the path attributes in the message
	attrRaw []byte      // the path attribute section
	hasAttr bool
	src     [4]nlriSource
	nsrc    int
	codes   [4]uint64
	eor     bool
	eorFam  wire.Family
	asn4    bool
	aigp    bool
	// RFC 7606 outcomes, shown as "error" attributes (attr_policy.go)
	taw, tawCode         uint8
	discard, discardCode uint8
}

// list returns the collected attributes.
func (u *update) list() []wire.Attr {
	if u.big != nil {
		return u.big
	}
	return u.inline[:u.nattr]
}

// parseUpdate splits msg (a whole UPDATE message, header included).
func parseUpdate(u *update, msg []byte, neg *wire.Negotiated, dir Direction) error {
	*u = update{asn4: neg == nil || neg.ASN4, aigp: neg != nil && neg.AIGP}
	if len(msg) < wire.HeaderLen {
		return &wire.NotifyError{Code: wire.CodeHeader, Subcode: wire.SubcodeBadLength, Reason: "message shorter than the BGP header"}
	}
	body := msg[wire.HeaderLen:]
	if len(body) == 4 && body[0]|body[1]|body[2]|body[3] == 0 {
		u.eor, u.eorFam = true, wire.IPv4Unicast
		return nil
	}
	if len(body) == 11 && string(body[:8]) == "\x00\x00\x00\x07\x90\x0f\x00\x03" {
		u.eor, u.eorFam = true, wire.Family{AFI: wire.AFI(be16(body[8:])), SAFI: wire.SAFI(body[10])}
		return nil
	}
	if len(body) < 4 {
		return updErr(wire.SubcodeMalformedAttrList, "UPDATE too short for its length fields", wire.HeaderLen)
	}
	wlen := int(be16(body))
	if 2+wlen+2 > len(body) {
		return updErr(wire.SubcodeMalformedAttrList, "withdrawn routes length overruns the UPDATE", wire.HeaderLen)
	}
	withdrawn := body[2 : 2+wlen]
	alen := int(be16(body[2+wlen:]))
	aoff := 2 + wlen + 2
	if aoff+alen > len(body) {
		return updErr(wire.SubcodeMalformedAttrList, "path attributes length overruns the UPDATE", wire.HeaderLen+2+wlen)
	}
	u.attrOff = wire.HeaderLen + aoff
	announced := body[aoff+alen:]
	if err := u.collectAttrs(body[aoff : aoff+alen]); err != nil {
		return err
	}
	if err := u.collectNLRI(neg, dir, withdrawn, announced, wire.HeaderLen+2, wire.HeaderLen+aoff+alen); err != nil {
		return err
	}
	if dir == Receive && u.taw != markNone {
		// reactor/protocol.py: a received UPDATE carrying
		// INTERNAL_TREAT_AS_WITHDRAW has all its NLRI turned into
		// withdrawals before the API sees it (`decode` and sent
		// UPDATEs keep them announced).
		for i := 0; i < u.nsrc; i++ {
			if !u.src[i].withdraw {
				u.src[i].taw = true
			}
		}
	}
	return nil
}

// listedWithdrawn reports whether the source's NLRI are shown as
// withdrawn: withdrawn on the wire, or announced under a received
// treat-as-withdraw.
func (s *nlriSource) listedWithdrawn() bool { return s.withdraw || s.taw }

func updErr(sub uint8, reason string, off int) error {
	return &wire.NotifyError{Code: wire.CodeUpdate, Subcode: sub, Reason: reason, Offset: off}
}

// collectAttrs walks the attributes, keeps the first of each code (ExaBGP
// skips repeated ones) and sorts them by code.
func (u *update) collectAttrs(b []byte) error {
	u.attrRaw = b
	it := wire.Attrs(b)
	for it.Next() {
		a := it.Attr()
		a.Offset += u.attrOff
		if u.seen(a.Code) {
			if a.Code == wire.AttrMPReach || a.Code == wire.AttrMPUnreach {
				return &wire.NotifyError{Code: wire.CodeUpdate, Subcode: wire.SubcodeMalformedAttrList, Attr: a.Code,
					Offset: a.Offset, Reason: "multiple attribute for MP_REACH_NLRI or MP_UNREACH_NLRI"}
			}
			continue
		}
		u.see(a.Code)
		keep, err := u.admit(a)
		if err != nil {
			return err
		}
		if keep {
			u.push(a)
		}
	}
	if err := it.Err(); err != nil {
		if ne, ok := err.(*wire.NotifyError); ok {
			ne.Offset += u.attrOff
		}
		return err
	}
	// insertion sort: stable, no allocation, short lists
	l := u.list()
	for i := 1; i < len(l); i++ {
		for j := i; j > 0 && l[j-1].Code > l[j].Code; j-- {
			l[j-1], l[j] = l[j], l[j-1]
		}
	}
	return nil
}

// seen and see track the attribute codes met, kept or not (ExaBGP skips
// a repeated code even when the first was dropped).
func (u *update) seen(code uint8) bool { return u.codes[code>>6]&(1<<(code&63)) != 0 }
func (u *update) see(code uint8)       { u.codes[code>>6] |= 1 << (code & 63) }

// push appends a to the attributes.
func (u *update) push(a wire.Attr) {
	if u.big == nil && u.nattr < maxInlineAttrs {
		u.inline[u.nattr] = a
		u.nattr++
		return
	}
	if u.big == nil {
		u.big = make([]wire.Attr, u.nattr, 2*maxInlineAttrs)
		copy(u.big, u.inline[:u.nattr])
	}
	u.big = append(u.big, a)
	u.nattr++
}

// find returns the index of the attribute code, or -1.
func (u *update) find(code uint8) int {
	l := u.list()
	for i := range l {
		if l[i].Code == code {
			return i
		}
	}
	return -1
}

// addPathFor reports whether NLRI of f carry path identifiers in this
// direction (RFC 7911).
func addPathFor(neg *wire.Negotiated, f wire.Family, dir Direction) bool {
	if dir == Send {
		return neg.SendAddPath(f)
	}
	return neg.ReceiveAddPath(f)
}

// collectNLRI sets up the NLRI sources in ExaBGP's order: IPv4
// withdrawn, IPv4 announced, MP_UNREACH_NLRI, MP_REACH_NLRI.
func (u *update) collectNLRI(neg *wire.Negotiated, dir Direction, withdrawn, announced []byte, woff, aoff int) error {
	v4ap := addPathFor(neg, wire.IPv4Unicast, dir)
	if len(withdrawn) > 0 {
		u.add(nlriSource{fam: wire.IPv4Unicast, data: withdrawn, base: woff, addPath: v4ap, withdraw: true})
	}
	if len(announced) > 0 {
		s := nlriSource{fam: wire.IPv4Unicast, data: announced, base: aoff, addPath: v4ap, nnh: 1}
		if i := u.find(wire.AttrNextHop); i >= 0 {
			s.nh[0] = addrFrom(u.list()[i].Value)
		}
		u.add(s)
	}
	var unreachFam, reachFam wire.Family
	hasUnreach, hasReach := false, false
	// MP_UNREACH_NLRI (15) sorts after MP_REACH_NLRI (14) but ExaBGP lists
	// its NLRI first; the reach source is checked first (its errors come
	// first in the message walk) and added second.
	var reach nlriSource
	for _, a := range u.list() {
		switch a.Code {
		case wire.AttrMPUnreach:
			s, err := mpUnreach(a, neg, dir)
			if err != nil {
				return err
			}
			unreachFam, hasUnreach = s.fam, true
			if len(s.data) > 0 {
				u.add(s)
			}
		case wire.AttrMPReach:
			s, err := mpReach(a, neg, dir)
			if err != nil {
				return err
			}
			reachFam, hasReach, reach = s.fam, true, s
		}
	}
	if hasReach {
		u.add(reach)
	}
	u.dropEmpty()
	if u.nsrc == 0 && !u.hasAttrsBesidesMP() {
		u.eor = true
		switch {
		case hasUnreach:
			u.eorFam = unreachFam
		case hasReach:
			u.eorFam = reachFam
		default:
			u.eorFam = wire.IPv4Unicast
		}
	}
	// MP sources come after the classic ones: keep the order of add()
	return nil
}

// dropEmpty removes the sources left without NLRI once malformed FlowSpec
// NLRI are dropped (FamilyRenderer.DropMalformed): ExaBGP then shows
// neither their family nor their next hop.
func (u *update) dropEmpty() {
	k := 0
	for i := 0; i < u.nsrc; i++ {
		if !u.src[i].empty() {
			u.src[k] = u.src[i]
			k++
		}
	}
	u.nsrc = k
}

func (u *update) add(s nlriSource) {
	u.src[u.nsrc] = s
	u.nsrc++
}

// hasAttrsBesidesMP reports whether ExaBGP's attribute dict is non-empty
// once MP_REACH/MP_UNREACH are popped (and attributes it drops are gone).
func (u *update) hasAttrsBesidesMP() bool {
	if u.taw != markNone || u.discard != markNone {
		return true
	}
	for _, a := range u.list() {
		if a.Code != wire.AttrMPReach && a.Code != wire.AttrMPUnreach && u.shown(a) {
			return true
		}
	}
	return false
}

// shown reports whether ExaBGP keeps attribute a in its attribute dict.
func (u *update) shown(a wire.Attr) bool {
	switch {
	case a.Code == wire.AttrASPath || a.Code == wire.AttrAS4Path:
		return len(a.Value) > 0
	case knownAttr(a.Code):
		return true
	}
	return a.Flags&wire.FlagTransitive != 0
}

// mpFamily reads AFI/SAFI at the front of an MP attribute.
func mpFamily(a wire.Attr, neg *wire.Negotiated) (wire.Family, error) {
	v := a.Value
	if len(v) < 3 {
		return wire.Family{}, &wire.NotifyError{Code: wire.CodeUpdate, Subcode: 0, Attr: a.Code, Offset: a.Offset,
			Reason: "not enough data for the family"}
	}
	f := wire.Family{AFI: wire.AFI(be16(v)), SAFI: wire.SAFI(v[2])}
	if neg != nil && len(neg.Families) > 0 && !neg.HasFamily(f) {
		return f, &wire.NotifyError{Code: wire.CodeUpdate, Subcode: 0, Attr: a.Code, Offset: a.Offset,
			Reason: "presented a non-negotiated family " + f.String()}
	}
	return f, nil
}

// mpUnreach reads MP_UNREACH_NLRI (RFC 4760 §4).
func mpUnreach(a wire.Attr, neg *wire.Negotiated, dir Direction) (nlriSource, error) {
	f, err := mpFamily(a, neg)
	if err != nil {
		return nlriSource{}, err
	}
	return nlriSource{fam: f, data: a.Value[3:], base: a.Offset + 3, addPath: addPathFor(neg, f, dir), withdraw: true}, nil
}

// nhSizes is ExaBGP's Family.size: the next-hop lengths accepted for a
// family and the size of the RD prefixed to them.
type nhSizes struct {
	sizes [3]int
	n     int
	rd    int
}

func (s nhSizes) has(v int) bool {
	for _, x := range s.sizes[:s.n] {
		if x == v {
			return true
		}
	}
	return false
}

// nhSizesOf returns the next-hop lengths ExaBGP accepts for f.
func nhSizesOf(f wire.Family) (nhSizes, bool) {
	v4, v6 := f.AFI == wire.AFIIPv4, f.AFI == wire.AFIIPv6
	switch {
	case f == wire.IPv4Unicast, f == wire.IPv4Multicast, f == wire.IPv4MPLS, f == wire.IPv4McastVPN,
		f == wire.L2VPNVPLS, f == wire.L2VPNEVPN:
		return nhSizes{[3]int{4}, 1, 0}, true
	case v4 && (f.SAFI == wire.SAFIMUP || f.SAFI == wire.SAFIRTC), f == wire.BGPLS,
		v6 && (f.SAFI == wire.SAFIMUP || f.SAFI == wire.SAFIMcastVPN):
		return nhSizes{[3]int{4, 16}, 2, 0}, true
	case f == wire.IPv4VPN:
		return nhSizes{[3]int{12}, 1, 8}, true
	case v4 && (f.SAFI == wire.SAFIFlow || f.SAFI == wire.SAFIFlowVPN):
		return nhSizes{[3]int{0, 4}, 2, 0}, true
	case v6 && (f.SAFI == wire.SAFIUnicast || f.SAFI == wire.SAFIMulticast || f.SAFI == wire.SAFIMPLS):
		return nhSizes{[3]int{16, 32}, 2, 0}, true
	case f == wire.IPv6VPN:
		return nhSizes{[3]int{24, 40}, 2, 8}, true
	case v6 && (f.SAFI == wire.SAFIFlow || f.SAFI == wire.SAFIFlowVPN):
		return nhSizes{[3]int{0, 16, 32}, 3, 0}, true
	case f == wire.BGPLSVPN:
		return nhSizes{[3]int{12, 24}, 2, 8}, true
	}
	return nhSizes{}, false
}

// mpReach reads MP_REACH_NLRI (RFC 4760 §3): family, next hop(s) — a
// 32-byte IPv6 next hop is global + link-local, and ExaBGP lists every
// NLRI under each — reserved octet, NLRI.
func mpReach(a wire.Attr, neg *wire.Negotiated, dir Direction) (nlriSource, error) {
	f, err := mpFamily(a, neg)
	if err != nil {
		return nlriSource{}, err
	}
	v := a.Value
	fail := func(reason string) (nlriSource, error) {
		return nlriSource{}, &wire.NotifyError{Code: wire.CodeUpdate, Subcode: 0, Attr: a.Code, Offset: a.Offset, Reason: reason}
	}
	if len(v) < 4 {
		return fail("not enough data for the next-hop length")
	}
	nhl := int(v[3])
	sz, ok := nhSizesOf(f)
	if !ok {
		return fail("unsupported family " + f.String())
	}
	if neg != nil && len(neg.NextHops) > 0 {
		switch nhl {
		case 16, 32, 24:
			sz, _ = nhSizesOf(wire.Family{AFI: wire.AFIIPv6, SAFI: f.SAFI})
		case 4, 12:
			sz, _ = nhSizesOf(wire.Family{AFI: wire.AFIIPv4, SAFI: f.SAFI})
		default:
			return fail("unsupported family " + f.String() + " with extended next-hop capability enabled")
		}
	}
	rd := sz.rd
	if !sz.has(nhl) {
		return fail("invalid " + f.String() + " next-hop length")
	}
	if len(v) < 4+nhl+1 {
		return fail("next-hop overruns MP_REACH_NLRI")
	}
	for _, c := range v[4 : 4+rd] {
		if c != 0 {
			return fail("MP_REACH_NLRI next-hop's route-distinguisher must be zero")
		}
	}
	s := nlriSource{fam: f, addPath: addPathFor(neg, f, dir)}
	nh := v[4+rd : 4+nhl]
	for len(nh) > 0 && s.nnh < 2 {
		k := min(16, len(nh))
		s.nh[s.nnh] = addrFrom(nh[:k])
		s.nnh++
		nh = nh[k:]
	}
	if v[4+nhl] != 0 {
		return fail("the reserved bit of MP_REACH_NLRI is not zero")
	}
	s.data = v[4+nhl+1:]
	s.base = a.Offset + 4 + nhl + 1
	if len(s.data) == 0 {
		return fail("no data to decode in an MP_REACH_NLRI but it is not an EOR")
	}
	return s, nil
}

// addrFrom makes an address from 4 or 16 bytes (anything else: invalid).
func addrFrom(b []byte) netip.Addr {
	switch len(b) {
	case 4:
		return netip.AddrFrom4([4]byte(b))
	case 16:
		return netip.AddrFrom16([16]byte(b))
	}
	return netip.Addr{}
}
