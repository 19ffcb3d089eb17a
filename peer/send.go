package peer

import (
	"time"

	"exago/rib"
	"exago/wire"
)

// Pull appends the next messages to send to b, within a budget, and reports
// whether more are pending (the driver calls again when writable).
//
// Messages are built now, from state, in priority order: the NOTIFICATION
// (then the transport is closed: Driver.Close is called from inside Pull
// and the driver writes what this Pull returned first), OPEN (before
// anything else of the session: with local-as auto it is queued together
// with the KEEPALIVE), KEEPALIVE, OPERATIONAL, ROUTE-REFRESH, then UPDATEs
// from the Adj-RIB-Out, then End-of-RIB markers. The budget is Options.MaxMessages
// UPDATEs (1 with rate-limit) and Options.MaxBytes.
func (p *Peer) Pull(now time.Time, b []byte) (out []byte, more bool) {
	if len(p.final) != 0 {
		b = append(b, p.final...)
		p.final = p.final[:0]
	}
	if p.s.notify != nil {
		return p.pullNotify(now, b), false
	}
	if !p.s.up || p.s.closing {
		return b, false
	}
	start := len(b)
	if p.s.tx&txOpen != 0 {
		p.s.tx &^= txOpen
		b = p.sent(p.s.sentOpen.Append(b), len(b))
	}
	if p.s.tx&txKeepalive != 0 {
		p.s.tx &^= txKeepalive
		b = p.sent(wire.AppendKeepalive(b), len(b))
	}
	if p.state == StateEstablished {
		b = p.pullEstablished(now, b, start)
	}
	more = p.pendingTx()
	p.s.lastWrite = now
	if p.s.sendHoldArm {
		if more {
			p.drv.SetTimer(p, TimerSendHold, now.Add(p.sendHoldTime()))
		} else {
			p.s.sendHoldArm = false
			p.drv.StopTimer(p, TimerSendHold)
		}
	}
	if more && p.n.RateLimit > 0 && p.s.tx&(txOpen|txKeepalive) == 0 {
		p.drv.SetTimer(p, TimerRate, p.s.rateUntil)
		return b, false
	}
	return b, more
}

// pullNotify writes the NOTIFICATION, closes the transport and resets the
// session.
func (p *Peer) pullNotify(now time.Time, b []byte) []byte {
	msg, reason := p.s.notify, p.s.downReason
	p.s.notify = nil
	b = p.sent(append(b, msg...), len(b))
	p.drv.Close(p)
	p.closeSession(now, reason)
	return b
}

// sent accounts for the message appended at b[off:] and reports it.
func (p *Peer) sent(b []byte, off int) []byte {
	m := wire.Message(b[off:])
	p.stats.count(true, m.Type())
	if want, _ := p.ev.Wants(p, DirSend, m.Type()); want {
		p.ev.Message(p, DirSend, m.Type(), m[:wire.HeaderLen], m.Body(), nil)
	}
	return b
}

// pendingTx reports whether Pull has more to write now.
func (p *Peer) pendingTx() bool {
	if p.s.notify != nil || p.s.tx&(txOpen|txKeepalive) != 0 {
		return true
	}
	if p.state != StateEstablished {
		return false
	}
	if p.s.flushArmed {
		return len(p.ops) != 0 || len(p.s.refreshQ) != 0 || p.s.batch != nil
	}
	return len(p.ops) != 0 || len(p.s.refreshQ) != 0 || p.s.batch != nil || p.out.Pending() ||
		p.s.tx&txEOR != 0 || len(p.s.eorQ) != 0
}

// pullEstablished writes OPERATIONAL messages, ROUTE-REFRESH requests,
// UPDATEs and EORs.
func (p *Peer) pullEstablished(now time.Time, b []byte, start int) []byte {
	b = p.appendOperational(b)
	for _, rr := range p.s.refreshQ {
		b = p.sent(rr.Append(b), len(b))
	}
	p.s.refreshQ = p.s.refreshQ[:0]
	budget := p.opts.MaxMessages
	if p.n.RateLimit > 0 {
		budget = 1
		if now.Before(p.s.rateUntil) {
			return b
		}
		p.s.rateUntil = now.Add(time.Second / time.Duration(p.n.RateLimit))
	}
	b = p.pullUpdates(b, start, budget)
	if p.s.batch != nil || p.out.Pending() || p.s.flushArmed {
		return b
	}
	if p.s.tx&txEOR != 0 {
		p.s.tx &^= txEOR
		b = p.appendEORs(b)
	}
	for _, f := range p.s.eorQ {
		b = p.sent(appendEOR(b, f), len(b))
	}
	p.s.eorQ = p.s.eorQ[:0]
	return b
}

// pullUpdates writes UPDATEs from the current batch, taking a new batch
// from the Adj-RIB-Out when it is exhausted (ExaBGP's new_update), until
// budget messages or Options.MaxBytes. The first batch of a session leaves
// withdrawals out (ExaBGP's include_withdraw). A shared batch (rib.Base)
// is copied message by message from its shared encoding.
func (p *Peer) pullUpdates(b []byte, start, budget int) []byte {
	for budget > 0 && len(b)-start < p.opts.MaxBytes {
		if p.s.batch == nil {
			if !p.out.Pending() || p.s.flushArmed {
				break
			}
			p.s.batch = p.out.Take(p.n.GroupUpdates)
			p.s.enc = rib.Encoder{Neg: p.s.neg, IncludeWithdraw: p.s.dumped}
		}
		if p.s.batch.Shared() {
			// A base's untouched pending set: its UPDATEs are encoded once
			// for every peer of the same encoding context (rib.Base).
			msg, err, ok := p.s.batch.NextMessage(&p.s.enc)
			if !ok {
				p.s.batch = nil
				p.s.dumped = true
				continue
			}
			if err != nil {
				p.log.Error().Err(err).Msg("could not encode update")
			}
			if msg != nil {
				off := len(b)
				b = p.sent(append(b, msg...), off)
				budget--
			}
			continue
		}
		it, ok := p.s.batch.Next()
		if !ok {
			p.s.batch = nil
			p.s.dumped = true
			continue
		}
		off := len(b)
		var n int
		var err error
		b, n, err = p.s.enc.Append(b, it)
		if err != nil {
			p.log.Error().Err(err).Msg("could not encode update")
		}
		for ; n > 0; n-- {
			l := int(b[off+16])<<8 | int(b[off+17])
			p.sent(b[:off+l], off)
			off += l
			budget--
		}
	}
	return b
}

// appendEORs writes one End-of-RIB per negotiated family in the peer's
// order, or a KEEPALIVE when no family was negotiated (ExaBGP's new_eors).
func (p *Peer) appendEORs(b []byte) []byte {
	if len(p.s.neg.Families) == 0 {
		return p.sent(wire.AppendKeepalive(b), len(b))
	}
	for _, f := range p.s.neg.Families {
		b = p.sent(appendEOR(b, f), len(b))
	}
	return b
}

// appendEOR appends the End-of-RIB marker of f (RFC 4724 §2): an empty
// UPDATE for IPv4 unicast, else an MP_UNREACH_NLRI with only the family,
// written as ExaBGP does (flags 0x90, 2-byte length 3).
func appendEOR(b []byte, f wire.Family) []byte {
	b, s := wire.BeginMessage(b, wire.TypeUpdate)
	if f == wire.IPv4Unicast {
		b = append(b, 0, 0, 0, 0)
		return wire.EndMessage(b, s)
	}
	b = append(b, 0, 0, 0, 7, wire.FlagOptional|wire.FlagExtLen, wire.AttrMPUnreach, 0, 3,
		byte(f.AFI>>8), byte(f.AFI), byte(f.SAFI))
	return wire.EndMessage(b, s)
}
