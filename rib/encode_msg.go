package rib

import "exago/wire"

// updateState is one item's walk through ExaBGP's messages(): classic
// withdrawn/NLRI bytes carried over between messages, then MP attributes
// per family. It reproduces ExaBGP's quirks on purpose (leftover classic
// NLRI ride along with the first MP message; a family whose withdrawals
// are all dropped still yields one UPDATE with the attributes only).
type updateState struct {
	e         *Encoder
	b         []byte
	n         int
	attr      []byte
	room      int // bytes left for NLRI and MP attributes
	withdraws []byte
	announced []byte
}

// emit appends one UPDATE: withdrawn, attributes (attr then extra MP
// attributes when withAttr), NLRI.
func (s *updateState) emit(withAttr bool, mp ...[]byte) {
	b, start := wire.BeginMessage(s.b, wire.TypeUpdate)
	b = append(b, byte(len(s.withdraws)>>8), byte(len(s.withdraws)))
	b = append(b, s.withdraws...)
	l := 0
	if withAttr {
		l = len(s.attr)
		for _, m := range mp {
			l += len(m)
		}
	}
	b = append(b, byte(l>>8), byte(l))
	if withAttr {
		b = append(b, s.attr...)
		for _, m := range mp {
			b = append(b, m...)
		}
	}
	b = append(b, s.announced...)
	s.b = wire.EndMessage(b, start)
	s.n++
}

// classic packs IPv4 unicast/multicast NLRIs into the classic fields.
func (s *updateState) classic(routes []*Route) bool {
	e := s.e
	for _, r := range routes {
		packed := r.NLRI.AppendNLRI(e.nlriBuf[:0], e.Neg.SendAddPath(r.Key.Family))
		e.nlriBuf = packed
		if len(s.announced)+len(s.withdraws)+len(packed) <= s.room {
			if !r.Withdraw {
				s.announced = append(s.announced, packed...)
			} else if e.IncludeWithdraw {
				s.withdraws = append(s.withdraws, packed...)
			}
			continue
		}
		if len(s.withdraws) == 0 && len(s.announced) == 0 {
			return false
		}
		s.emit(len(s.announced) != 0)
		s.withdraws, s.announced = s.withdraws[:0:0], s.announced[:0:0]
		switch {
		case !r.Withdraw:
			s.announced = append(s.announced, packed...)
		case e.IncludeWithdraw:
			s.withdraws = append(s.withdraws, packed...)
		}
	}
	if len(s.announced) != 0 || len(s.withdraws) != 0 {
		s.emit(len(s.announced) != 0)
	}
	return true
}

// mp packs one family into MP_REACH_NLRI / MP_UNREACH_NLRI attributes.
func (s *updateState) mp(fr famRoutes) bool {
	var reach, unreach []byte
	ok := true
	s.e.mpReach(fr, s.room-len(s.withdraws)-len(s.announced), func(a []byte) {
		if reach != nil {
			s.emit(true, reach)
			s.withdraws, s.announced = nil, nil
		}
		reach = a
	}, &ok)
	if s.e.IncludeWithdraw && ok {
		s.e.mpUnreach(fr, s.room-len(s.withdraws)-len(s.announced)-len(reach), func(a []byte) {
			if unreach != nil {
				s.emit(true, unreach, reach)
				reach, s.withdraws, s.announced = nil, nil, nil
			}
			unreach = a
		}, &ok)
	}
	if !ok {
		return false
	}
	s.emit(true, unreach, reach)
	s.withdraws, s.announced = nil, nil
	return true
}

// attrLen is the size of a path attribute with a value of n bytes.
func attrLen(n int) int {
	if n > 255 {
		return n + 4
	}
	return n + 3
}

// appendMPAttr returns the MP attribute code with value v (optional,
// extended length above 255 bytes).
func appendMPAttr(code uint8, v []byte) []byte {
	if len(v) > 255 {
		return append([]byte{wire.FlagOptional | wire.FlagExtLen, code, byte(len(v) >> 8), byte(len(v))}, v...)
	}
	return append([]byte{wire.FlagOptional, code, byte(len(v))}, v...)
}

// nextHopBytes is the MP_REACH next hop of r: the RD-sized zeros of VPN
// families, then the address (nothing for a route without next hop).
func nextHopBytes(r *Route) []byte {
	nh := r.NextHop()
	if !nh.IsValid() {
		return nil
	}
	var b []byte
	if r.Key.Family.SAFI == wire.SAFIVPN {
		b = make([]byte, 8, 24)
	}
	if nh.Is4() || nh.Is4In6() && r.Key.Family.AFI == wire.AFIIPv4 {
		v := nh.Unmap().As4()
		return append(b, v[:]...)
	}
	v := nh.As16()
	return append(b, v[:]...)
}

// mpReach yields the MP_REACH_NLRI attributes of fr's announcements, per
// next hop (first seen first), each at most max bytes (RFC 4760 §3).
func (e *Encoder) mpReach(fr famRoutes, max int, yield func([]byte), ok *bool) {
	type hop struct {
		nh    []byte
		nlris [][]byte
	}
	var hops []hop
	for _, r := range fr.announce {
		nh := nextHopBytes(r)
		i := 0
		for i < len(hops) && string(hops[i].nh) != string(nh) {
			i++
		}
		if i == len(hops) {
			hops = append(hops, hop{nh: nh})
		}
		hops[i].nlris = append(hops[i].nlris, r.NLRI.AppendNLRI(nil, e.Neg.SendAddPath(fr.family)))
	}
	for _, h := range hops {
		head := appendFamily(nil, fr.family)
		head = append(append(append(head, byte(len(h.nh))), h.nh...), 0)
		e.packMP(wire.AttrMPReach, head, h.nlris, max, yield, ok)
	}
}

// mpUnreach yields the MP_UNREACH_NLRI attributes of fr's withdrawals
// (RFC 4760 §4).
func (e *Encoder) mpUnreach(fr famRoutes, max int, yield func([]byte), ok *bool) {
	if len(fr.withdraw) == 0 {
		return
	}
	nlris := make([][]byte, 0, len(fr.withdraw))
	for _, r := range fr.withdraw {
		nlris = append(nlris, r.NLRI.AppendNLRI(nil, e.Neg.SendAddPath(fr.family)))
	}
	e.packMP(wire.AttrMPUnreach, appendFamily(nil, fr.family), nlris, max, yield, ok)
}

// packMP fills attributes of code with head then as many NLRIs as fit in
// max bytes, as ExaBGP's packed_attributes.
func (e *Encoder) packMP(code uint8, head []byte, nlris [][]byte, max int, yield func([]byte), ok *bool) {
	payload := append([]byte(nil), head...)
	for _, n := range nlris {
		if attrLen(len(payload)+len(n)) > max {
			if len(payload) == len(head) || len(payload) > max {
				*ok = false
				return
			}
			yield(appendMPAttr(code, payload))
			payload = append(append([]byte(nil), head...), n...)
			continue
		}
		payload = append(payload, n...)
	}
	if len(payload) == len(head) || len(payload) > max {
		*ok = false
		return
	}
	yield(appendMPAttr(code, payload))
}

func appendFamily(b []byte, f wire.Family) []byte {
	return append(b, byte(f.AFI>>8), byte(f.AFI), byte(f.SAFI))
}
