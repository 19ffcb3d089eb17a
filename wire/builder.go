package wire

import (
	"errors"
	"net/netip"
)

// ErrUpdateTooLarge is returned when the attributes and one NLRI do not
// fit in the negotiated maximum message size (RFC 4271 §4.1, RFC 8654).
var ErrUpdateTooLarge = errors.New("wire: attributes size is so large we can not even pack one NLRI")

// UpdateBuilder appends the UPDATE messages announcing and withdrawing
// NLRI of one family with one set of attributes, as ExaBGP 5.0 writes
// them:
//   - IPv4 unicast goes in the classic Withdrawn Routes/NLRI fields (but
//     announcements with an IPv6 next hop in MP_REACH_NLRI, RFC 8950);
//     every other family in MP_UNREACH_NLRI then MP_REACH_NLRI, after the
//     other attributes (RFC 4760);
//   - the attributes are written in ascending type-code order with
//     ExaBGP's defaults (ORIGIN IGP; AS_PATH empty on iBGP and [local-as]
//     on eBGP; LOCAL_PREF 100 on iBGP and never on eBGP) unless NoDefaults;
//   - a NEXT_HOP attribute is written only for an IPv4 next hop, and not
//     for FlowSpec and VPLS, as ExaBGP's configuration builds routes (its
//     IPv6 routes get an IPv4-mapped next hop);
//   - a withdraw-only UPDATE has no attributes for IPv4 unicast and for
//     the MP unicast/multicast families;
//   - messages are split at the negotiated maximum size.
//
// NLRI go out in slice order (ExaBGP sorts them by packed form; sort
// before calling to match). The caller checks that Family was negotiated
// (ExaBGP skips NLRI of other families). Nothing is allocated when b has
// room.
type UpdateBuilder struct {
	Family    Family
	Attrs     *Attributes // nil: no attributes beyond the defaults
	NextHop   netip.Addr  // next hop of Announce (invalid: none, e.g. FlowSpec)
	LinkLocal netip.Addr  // optional IPv6 link-local second next hop (RFC 2545)
	Announce  []NLRI
	Withdraw  []NLRI
	// NoDefaults writes Attrs as they are.
	NoDefaults bool
}

// Append appends the UPDATE messages for session n to b.
func (u *UpdateBuilder) Append(b []byte, n *Negotiated) ([]byte, error) {
	if u.Family == IPv4Unicast && len(u.Announce) > 0 && u.NextHop.IsValid() && !u.NextHop.Is4() {
		// RFC 8950: IPv4 NLRI with an IPv6 next hop travel in
		// MP_REACH_NLRI; withdraws stay in the classic field (as ExaBGP).
		var err error
		if len(u.Withdraw) > 0 {
			w := *u
			w.Announce = nil
			if b, err = w.appendAll(b, n, false); err != nil {
				return b, err
			}
		}
		a := *u
		a.Withdraw = nil
		return a.appendAll(b, n, true)
	}
	return u.appendAll(b, n, u.Family != IPv4Unicast)
}

func (u *UpdateBuilder) appendAll(b []byte, n *Negotiated, mp bool) ([]byte, error) {
	if len(u.Announce) == 0 && len(u.Withdraw) == 0 {
		return b, nil
	}
	var a Attributes
	// As ExaBGP: no attributes at all for an MP withdraw-only UPDATE of a
	// unicast or multicast family; otherwise they are computed (and size
	// the messages) even when only messages that announce carry them.
	withAttrs := !mp || len(u.Announce) > 0 || (u.Family.SAFI != SAFIUnicast && u.Family.SAFI != SAFIMulticast)
	// The attributes are encoded once at the end of b, copied into each
	// message, and the messages moved down over them at the end.
	p0 := len(b)
	if withAttrs {
		nh := u.NextHop
		if !nextHopAttr(u.Family) {
			nh = netip.Addr{}
		}
		b = a.appendWith(b, n, nh, u.defaults(&a, n))
	}
	p1 := len(b)
	var err error
	if mp {
		b, err = u.appendMP(b, n, p0, p1)
	} else {
		b, err = u.appendClassic(b, n, p0, p1)
	}
	if err != nil {
		return b[:p0], err
	}
	copy(b[p0:], b[p1:])
	return b[:len(b)-(p1-p0)], nil
}

// defaults fills a with u.Attrs plus ExaBGP's defaults for session n. It
// returns true when AS_PATH must be the eBGP default [local-as], which
// appendWith writes itself (so nothing here escapes to the heap).
func (u *UpdateBuilder) defaults(a *Attributes, n *Negotiated) bool {
	if u.Attrs != nil {
		*a = *u.Attrs
	}
	if u.NoDefaults {
		return false
	}
	ibgp := n == nil || n.IBGP()
	if !a.HasOrigin {
		a.HasOrigin, a.Origin = true, OriginIGP
	}
	asDefault := false
	if !a.HasASPath {
		a.HasASPath, a.ASPath = true, nil
		asDefault = !ibgp
	}
	switch {
	case !ibgp:
		a.HasLocalPref = false
	case !a.HasLocalPref:
		a.HasLocalPref, a.LocalPref = true, 100
	}
	return asDefault
}

// nextHopAttr reports whether ExaBGP routes of the family carry a NEXT_HOP
// attribute for an IPv4 next hop: all but FlowSpec and VPLS.
func nextHopAttr(f Family) bool {
	return f.SAFI != SAFIFlow && f.SAFI != SAFIFlowVPN && f.AFI != AFIL2VPN
}

// appendClassic writes IPv4 unicast in the Withdrawn Routes and NLRI
// fields, the attributes (b[p0:p1]) only in messages that announce.
func (u *UpdateBuilder) appendClassic(b []byte, n *Negotiated, p0, p1 int) ([]byte, error) {
	addPath := n.SendAddPath(IPv4Unicast)
	max := n.MaxMessageSize()
	wd, an := u.Withdraw, u.Announce
	for len(wd) > 0 || len(an) > 0 {
		s := len(b)
		b, _ = BeginMessage(b, TypeUpdate)
		b = append(b, 0, 0)
		room := max - HeaderLen - 4 - (p1 - p0) // ExaBGP sizes by the attributes even to withdraw
		var k, k2 int
		b, k = packNLRI(b, wd, addPath, room)
		wd = wd[k:]
		wlen := len(b) - s - HeaderLen - 2
		putU16(b, s+HeaderLen, wlen)
		room -= wlen
		a := len(b)
		b = append(b, 0, 0)
		if len(an) > 0 && len(wd) == 0 {
			b = append(b, b[p0:p1]...)
			putU16(b, a, p1-p0)
			b, k2 = packNLRI(b, an, addPath, room)
			if k2 == 0 {
				b = b[:a+2]
				putU16(b, a, 0)
			}
			an = an[k2:]
		}
		if k == 0 && k2 == 0 {
			return b, ErrUpdateTooLarge
		}
		EndMessage(b, s)
	}
	return b, nil
}

// packNLRI appends NLRI from list while they fit in room octets and
// returns how many it wrote.
func packNLRI(b []byte, list []NLRI, addPath bool, room int) ([]byte, int) {
	start := len(b)
	for i, x := range list {
		before := len(b)
		b = x.AppendNLRI(b, addPath)
		if len(b)-start > room {
			return b[:before], i
		}
	}
	return b, len(list)
}

// appendMP writes the family's NLRI in MP_REACH_NLRI and MP_UNREACH_NLRI
// after the attributes b[p0:p1], split as ExaBGP splits them: each
// MP_REACH_NLRI but the last in a message of its own; the last one in the
// message of the first MP_UNREACH_NLRI, written after it; each further
// MP_UNREACH_NLRI in its own message, sized as if that last MP_REACH_NLRI
// were still there.
func (u *UpdateBuilder) appendMP(b []byte, n *Negotiated, p0, p1 int) ([]byte, error) {
	addPath := n.SendAddPath(u.Family)
	room := n.MaxMessageSize() - HeaderLen - 4 - (p1 - p0)
	an, wd := u.Announce, u.Withdraw
	s, reach := -1, 0 // the message holding the last MP_REACH_NLRI, and its size
	for len(an) > 0 {
		s = len(b)
		b = beginUpdate(b, p0, p1)
		var k int
		mark := len(b)
		if b, k = u.appendMPAttr(b, AttrMPReach, an, addPath, room); k == 0 {
			return b, ErrUpdateTooLarge
		}
		if an = an[k:]; len(an) == 0 {
			reach = len(b) - mark
			break
		}
		b = endUpdate(b, s)
	}
	for first := true; len(wd) > 0; first = false {
		if !first || s < 0 {
			s = len(b)
			b = beginUpdate(b, p0, p1)
		}
		var k int
		mark := len(b)
		if b, k = u.appendMPAttr(b, AttrMPUnreach, wd, addPath, room-reach); k == 0 {
			return b, ErrUpdateTooLarge
		}
		if first && reach > 0 {
			rotate(b[mark-reach:], reach) // MP_UNREACH_NLRI before MP_REACH_NLRI
		}
		wd = wd[k:]
		b = endUpdate(b, s)
		s = -1
	}
	if s >= 0 {
		b = endUpdate(b, s)
	}
	return b, nil
}

// beginUpdate starts an UPDATE with no withdrawn routes and the
// attributes b[p0:p1]; endUpdate back-fills its lengths.
func beginUpdate(b []byte, p0, p1 int) []byte {
	b, _ = BeginMessage(b, TypeUpdate)
	b = append(b, 0, 0, 0, 0)
	return append(b, b[p0:p1]...)
}

func endUpdate(b []byte, s int) []byte {
	putU16(b, s+HeaderLen+2, len(b)-s-HeaderLen-4)
	return EndMessage(b, s)
}

// rotate moves the first k octets of x to its end (three reversals, no
// allocation).
func rotate(x []byte, k int) {
	reverse(x[:k])
	reverse(x[k:])
	reverse(x)
}

func reverse(x []byte) {
	for i, j := 0, len(x)-1; i < j; i, j = i+1, j-1 {
		x[i], x[j] = x[j], x[i]
	}
}

// attrSize is the size of an attribute with a value of v octets.
func attrSize(v int) int {
	if v > 255 {
		return v + 4
	}
	return v + 3
}

// appendMPAttr appends one MP_REACH_NLRI or MP_UNREACH_NLRI holding as many
// of list as fit in room octets (attribute header included) and returns
// how many; none written when not even one fits.
func (u *UpdateBuilder) appendMPAttr(b []byte, code uint8, list []NLRI, addPath bool, room int) ([]byte, int) {
	before := len(b)
	b, s := beginAttr(b, FlagOptional, code)
	b = appendU16(b, uint16(u.Family.AFI))
	b = append(b, byte(u.Family.SAFI))
	if code == AttrMPReach {
		b = u.appendNextHop(b)
		b = append(b, 0) // reserved (RFC 4760 §3)
	}
	k := 0
	for _, x := range list {
		end := len(b)
		b = x.AppendNLRI(b, addPath)
		if attrSize(len(b)-s-4) > room {
			b = b[:end]
			break
		}
		k++
	}
	if k == 0 {
		return b[:before], 0
	}
	return endAttr(b, s), k
}

// appendNextHop appends the MP_REACH next hop length and value: a zero
// route distinguisher first for the VPN families (RFC 4364 §4.3.2, RFC
// 4659 §3.2), then the address as it is (4 or 16 octets), then the
// link-local address when set (RFC 2545 §3).
func (u *UpdateBuilder) appendNextHop(b []byte) []byte {
	l := len(b)
	b = append(b, 0)
	if u.NextHop.IsValid() {
		if u.Family.SAFI == SAFIVPN || u.Family.SAFI == SAFIBGPLSVPN {
			b = append(b, 0, 0, 0, 0, 0, 0, 0, 0)
		}
		b = appendAddrBytes(b, u.NextHop)
		if u.LinkLocal.IsValid() {
			b = appendAddrBytes(b, u.LinkLocal)
		}
	}
	b[l] = byte(len(b) - l - 1)
	return b
}

// appendAddrBytes appends the 4 or 16 octets of a.
func appendAddrBytes(b []byte, a netip.Addr) []byte {
	if a.Is4() {
		v := a.As4()
		return append(b, v[:]...)
	}
	v := a.As16()
	return append(b, v[:]...)
}

// AppendEOR appends the End-of-RIB marker of f (RFC 4724 §2) as ExaBGP
// writes it: an empty UPDATE for IPv4 unicast, otherwise an UPDATE with
// only an MP_UNREACH_NLRI (flags 0x90, length 3) holding AFI/SAFI.
func AppendEOR(b []byte, f Family) []byte {
	b, s := BeginMessage(b, TypeUpdate)
	if f == IPv4Unicast {
		return EndMessage(append(b, 0, 0, 0, 0), s)
	}
	b = append(b, 0, 0, 0, 7, FlagOptional|FlagExtLen, AttrMPUnreach, 0, 3)
	b = appendU16(b, uint16(f.AFI))
	return EndMessage(append(b, byte(f.SAFI)), s)
}
