package peer

import (
	"net/netip"
	"time"

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
	ru := &p.s.ru
	*ru = ReceivedUpdate{Announce: ru.Announce[:0], Withdraw: ru.Withdraw[:0], Attrs: &p.s.ua}
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
	neg, ua := p.s.neg, &p.s.ua
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

// applyIn records the update in the Adj-RIB-In (which copies what it
// keeps: NLRI are re-decoded from a private copy of their bytes).
func (p *Peer) applyIn(ru *ReceivedUpdate) {
	if !p.in.Enabled() {
		return
	}
	for _, n := range ru.Withdraw {
		p.in.Withdraw(n)
	}
	for _, a := range ru.Announce {
		f := a.NLRI.Family()
		ap := p.s.neg.ReceiveAddPath(f)
		own, _, err := wire.DecodeNLRI(f, a.NLRI.AppendNLRI(nil, ap), ap)
		if err != nil {
			continue
		}
		p.in.Announce(own, a.NextHop, &ru.Attrs.Attributes)
	}
}
