package peer

import (
	"errors"
	"net/netip"
	"time"

	"exago/rib"
	"exago/wire"
)

// ReceivedRoute is one announced NLRI of a received UPDATE with its next
// hop (NEXT_HOP, or the MP_REACH_NLRI next hop).
type ReceivedRoute struct {
	NLRI    wire.NLRI
	NextHop netip.Addr
}

// ReceivedUpdate is the decoded form of a received UPDATE handed to
// [Events.Message]. It aliases the read buffer and the peer's reused
// slices: valid only during the call.
type ReceivedUpdate struct {
	// EOR is set for an End-of-RIB marker of EORFamily (nothing else is).
	EOR       bool
	EORFamily wire.Family
	Attrs     *wire.UpdateAttrs
	Announce  []ReceivedRoute
	Withdraw  []wire.NLRI
	// TreatAsWithdraw is the RFC 7606 error that turned every announced
	// NLRI into a withdrawal (ExaBGP's JSON "error": "treat-as-withdraw").
	TreatAsWithdraw *wire.NotifyError
	// inets holds the IP unicast and multicast NLRI of Announce and
	// Withdraw, reused from UPDATE to UPDATE (no allocation per prefix).
	inets []wire.INET
}

// onUpdate decodes a received UPDATE (when the Adj-RIB-In or an API
// consumer needs it, as ExaBGP), applies RFC 7606 outcomes, updates the
// Adj-RIB-In and reports it.
func (p *Peer) onUpdate(now time.Time, m wire.Message) error {
	p.s.updates++
	u, err := wire.DecodeUpdate(m.Body())
	if err != nil {
		return err
	}
	want, dec := p.ev.Wants(p, DirReceive, wire.TypeUpdate)
	if p.s.rx == nil {
		p.s.rx = &rxUpdate{}
	}
	ru := &p.s.rx.ru
	*ru = ReceivedUpdate{Announce: ru.Announce[:0], Withdraw: ru.Withdraw[:0], Attrs: &p.s.rx.ua, inets: ru.inets[:0]}
	if f, ok := u.EOR(); ok {
		ru.EOR, ru.EORFamily, ru.Attrs = true, f, nil
	} else if p.in.Enabled() || (want && dec) {
		if err := p.decodeUpdate(u, ru); err != nil {
			return err
		}
		p.applyIn(ru)
	}
	if want {
		var v any
		if dec {
			v = ru
		}
		p.ev.Message(p, DirReceive, wire.TypeUpdate, m[:wire.HeaderLen], m.Body(), v)
	} else if p.log.Debug().Enabled() {
		p.log.Debug().Int("number", p.s.updates).Int("announced", len(ru.Announce)).
			Int("withdrawn", len(ru.Withdraw)).Msg("received update")
	}
	return nil
}

// decodeUpdate fills ru from u.
func (p *Peer) decodeUpdate(u wire.Update, ru *ReceivedUpdate) error {
	neg, ua := p.s.neg, &p.s.rx.ua
	if err := wire.DecodeAttributes(u.PathAttrs, neg, ua); err != nil {
		return err
	}
	ap := neg.ReceiveAddPath(wire.IPv4Unicast)
	if err := p.collect(ru, wire.IPv4Unicast, u.Withdrawn, ap, true, netip.Addr{}); err != nil {
		return err
	}
	if err := p.collect(ru, wire.IPv4Unicast, u.NLRI, ap, false, ua.NextHop); err != nil {
		return err
	}
	if ua.HasUnreach {
		mu, err := wire.DecodeMPUnreach(ua.Unreach)
		if err != nil {
			return err
		}
		if err := p.collect(ru, mu.Family, mu.NLRI, neg.ReceiveAddPath(mu.Family), true, netip.Addr{}); err != nil {
			return err
		}
	}
	if ua.HasReach {
		mr, err := wire.DecodeMPReach(ua.Reach)
		if err != nil {
			return err
		}
		if err := p.collect(ru, mr.Family, mr.NLRI, neg.ReceiveAddPath(mr.Family), false, mr.NextHop); err != nil {
			return err
		}
	}
	if ua.Withdraw != nil {
		ru.TreatAsWithdraw = ua.Withdraw
		for _, a := range ru.Announce {
			ru.Withdraw = append(ru.Withdraw, a.NLRI)
		}
		ru.Announce = ru.Announce[:0]
	}
	return nil
}

// collect decodes the NLRI of family f in b into ru.
func (p *Peer) collect(ru *ReceivedUpdate, f wire.Family, b []byte, addPath, withdraw bool, nh netip.Addr) error {
	if plainPrefixes(f) {
		return p.collectPrefixes(ru, f, b, addPath, withdraw, nh)
	}
	it := wire.NLRIs(f, b, addPath)
	for it.Next() {
		if withdraw {
			ru.Withdraw = append(ru.Withdraw, it.NLRI())
		} else {
			ru.Announce = append(ru.Announce, ReceivedRoute{NLRI: it.NLRI(), NextHop: nh})
		}
	}
	return it.Err()
}

// plainPrefixes reports whether the NLRI of f are plain prefixes (IPv4 and
// IPv6 unicast and multicast, RFC 4271 §4.3, RFC 4760).
func plainPrefixes(f wire.Family) bool {
	return (f.AFI == wire.AFIIPv4 || f.AFI == wire.AFIIPv6) && (f.SAFI == wire.SAFIUnicast || f.SAFI == wire.SAFIMulticast)
}

// collectPrefixes is collect for plain prefixes: the NLRI are values in
// ru.inets. A pointer taken before ru.inets grows keeps pointing at the
// old array, whose values do not change until the next UPDATE.
func (p *Peer) collectPrefixes(ru *ReceivedUpdate, f wire.Family, b []byte, addPath, withdraw bool, nh netip.Addr) error {
	it := wire.Prefixes(b, f.AFI, addPath)
	for it.Next() {
		ru.inets = append(ru.inets, wire.INET{Fam: f, Prefix: it.Prefix(), PathID: it.PathID()})
		n := &ru.inets[len(ru.inets)-1]
		if withdraw {
			ru.Withdraw = append(ru.Withdraw, n)
		} else {
			ru.Announce = append(ru.Announce, ReceivedRoute{NLRI: n, NextHop: nh})
		}
	}
	if err := it.Err(); err != nil {
		var ne *wire.NotifyError
		if errors.As(err, &ne) {
			ne.Offset = 0 // as the generic NLRI decoder reports it
		}
		return err
	}
	return nil
}

// applyIn records the update in the Adj-RIB-In, which copies what it
// keeps: plain prefixes are kept as values, other NLRI are re-decoded from
// a private copy of their bytes. The routes of one UPDATE share their
// attributes, interned once per next hop.
func (p *Peer) applyIn(ru *ReceivedUpdate) {
	if !p.in.Enabled() {
		return
	}
	for _, n := range ru.Withdraw {
		p.in.Withdraw(n)
	}
	var x rib.AttrID
	var xnh netip.Addr
	for _, a := range ru.Announce {
		if x == 0 || a.NextHop != xnh {
			x, xnh = p.in.Intern(&ru.Attrs.Attributes, a.NextHop), a.NextHop
		}
		if n, ok := a.NLRI.(*wire.INET); ok && p.in.AnnouncePrefix(n.Fam, n.Prefix, n.PathID, x) {
			continue
		}
		f := a.NLRI.Family()
		ap := p.s.neg.ReceiveAddPath(f)
		own, _, err := wire.DecodeNLRI(f, a.NLRI.AppendNLRI(nil, ap), ap)
		if err != nil {
			continue
		}
		p.in.AnnounceWith(own, x)
	}
}
