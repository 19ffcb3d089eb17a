package peer

import (
	"time"

	"exago/wire"
)

// OnTimer reports that timer k fired.
func (p *Peer) OnTimer(now time.Time, k Timer) {
	switch k {
	case TimerConnectRetry:
		if p.retry {
			p.retry = false
			if !p.stopped && !p.s.up && !p.s.connecting {
				p.connect()
			}
			return
		}
		p.restart(now)
	case TimerConnect:
		if p.s.connecting {
			p.drv.Close(p)
			p.OnConnectFailed(now, errConnectTimeout)
		}
	case TimerHold:
		p.holdExpired(now)
	case TimerKeepalive:
		p.keepaliveDue(now)
	case TimerSendHold:
		p.sendHoldExpired(now)
	case TimerRate:
		p.s.flushArmed = false
		if p.s.up {
			p.wantWrite(now)
		}
	}
}

type timeoutError string

func (e timeoutError) Error() string { return string(e) }

const errConnectTimeout = timeoutError("connection timed out")

// holdExpired is bgp.openwait before the peer's OPEN (NOTIFICATION 1/1 with
// ExaBGP's text) and the RFC 4271 §6.5 hold timer after it (4/0, no data,
// as ExaBGP). The deadline moves lazily: reads only record their time.
func (p *Peer) holdExpired(now time.Time) {
	if !p.s.up || p.s.closing {
		return
	}
	if p.s.recvOpen == nil {
		p.failNotify(now, wire.CodeHeader, 1, []byte("waited for open too long, we do not like stuck in active"))
		return
	}
	if p.s.hold == 0 {
		return
	}
	if due := p.s.lastRead.Add(p.s.hold); due.After(now) {
		p.drv.SetTimer(p, TimerHold, due)
		return
	}
	p.failNotify(now, wire.CodeHoldTimer, 0, []byte{})
}

// keepaliveDue queues a KEEPALIVE every hold/3 seconds (integer seconds,
// as ExaBGP's HoldTime.keepalive), jittered per RFC 4271 §10.
func (p *Peer) keepaliveDue(now time.Time) {
	if !p.s.up || p.s.closing || p.s.keepalive == 0 {
		return
	}
	p.s.tx |= txKeepalive
	p.wantWrite(now)
	p.drv.SetTimer(p, TimerKeepalive, now.Add(p.opts.jitter(p.s.keepalive)))
}

// armSessionTimers starts the hold and keepalive timers once the peer's
// OPEN is accepted.
func (p *Peer) armSessionTimers(now time.Time, hold uint16) {
	p.s.hold = time.Duration(hold) * time.Second
	p.s.keepalive = time.Duration(hold/3) * time.Second
	if p.s.hold == 0 {
		p.drv.StopTimer(p, TimerHold)
		return
	}
	p.drv.SetTimer(p, TimerHold, now.Add(p.s.hold))
	if p.s.keepalive > 0 {
		p.drv.SetTimer(p, TimerKeepalive, now.Add(p.opts.jitter(p.s.keepalive)))
	}
}

// sendHoldTime is the RFC 9687 §4 send hold time: max(8 minutes, twice
// the hold time) by default.
func (p *Peer) sendHoldTime() time.Duration {
	return max(p.opts.SendHold, 2*p.s.hold)
}

// wantWrite asks the driver for writability and arms the RFC 9687 send
// hold timer if it is not running.
func (p *Peer) wantWrite(now time.Time) {
	if !p.s.up {
		return
	}
	if !p.s.sendHoldArm && p.s.hold > 0 {
		p.s.sendHoldArm = true
		p.drv.SetTimer(p, TimerSendHold, now.Add(p.sendHoldTime()))
	}
	p.drv.WantWrite(p)
}

// sendHoldExpired closes a session whose peer has not accepted data for
// the send hold time (RFC 9687 §3): the NOTIFICATION 8/0 cannot be written
// (that is the problem), so the transport is closed.
func (p *Peer) sendHoldExpired(now time.Time) {
	if !p.s.up || !p.s.sendHoldArm {
		return
	}
	p.log.Warn().Msg("send hold timer expired, the peer does not read")
	p.drv.Close(p)
	p.closeSession(now, "send hold timer expired")
}
