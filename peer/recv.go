package peer

import (
	"errors"
	"strconv"
	"time"

	"exago/wire"
)

// OnRead hands the peer the bytes received so far; it consumes every
// complete message and returns how many bytes it used. The driver keeps the
// rest and calls again when more arrive. Once a NOTIFICATION is queued the
// session is closing and everything is consumed unread.
func (p *Peer) OnRead(now time.Time, b []byte) (consumed int) {
	for p.s.up && !p.s.closing {
		if p.backlogged() {
			return consumed
		}
		m, n, err := wire.Frame(b[consumed:], p.maxSize())
		if err != nil {
			p.fail(now, headerError(b[consumed:], err))
			break
		}
		if n == 0 {
			return consumed
		}
		consumed += n
		if err := p.onMessage(now, m); err != nil {
			p.fail(now, err)
		}
	}
	return len(b)
}

// backlogged pauses reading while the events consumer is behind.
func (p *Peer) backlogged() bool {
	bl, ok := p.ev.(Backlog)
	if !ok || !bl.Backlogged(p) {
		return false
	}
	if !p.paused {
		p.paused = true
		p.drv.PauseRead(p, true)
	}
	return true
}

// Resume restarts reading after a [Backlog] drained: the driver calls
// OnRead again with the bytes it holds.
func (p *Peer) Resume() {
	if p.paused {
		p.paused = false
		p.drv.PauseRead(p, false)
	}
}

// maxSize is the largest message accepted: 4096 until both OPENs agreed on
// extended messages (RFC 8654).
func (p *Peer) maxSize() int {
	if p.s.neg != nil {
		return p.s.neg.MaxMessageSize()
	}
	return wire.MaxSize
}

// fail handles every protocol error in one place: a *wire.NotifyError
// becomes its NOTIFICATION (Data as is, else Reason as ExaBGP's text);
// anything else is an internal error (6/0). Only this session resets.
func (p *Peer) fail(now time.Time, err error) {
	var ne *wire.NotifyError
	if !errors.As(err, &ne) {
		p.log.Error().Err(err).Msg("internal error")
		p.failText(now, wire.CodeCease, 0, "")
		return
	}
	p.log.Warn().Err(err).Msg("protocol error")
	if ne.Data != nil {
		p.failNotify(now, ne.Code, ne.Subcode, ne.Data)
		return
	}
	p.failText(now, ne.Code, ne.Subcode, ne.Reason)
}

// failText sends NOTIFICATION code/subcode with ExaBGP's text data (the
// subcode name when text is empty; length-prefixed for 6/2 and 6/4).
func (p *Peer) failText(now time.Time, code, subcode uint8, text string) {
	p.queueNotify(now, wire.AppendNotification(nil, code, subcode, text), code, subcode)
}

// failNotify sends NOTIFICATION code/subcode with exactly data.
func (p *Peer) failNotify(now time.Time, code, subcode uint8, data []byte) {
	p.queueNotify(now, wire.Notification{Code: code, Subcode: subcode, Data: data}.Append(nil), code, subcode)
}

// queueNotify makes msg the next (and last) message of the session; Pull
// writes it and closes. Without a transport the session just resets.
func (p *Peer) queueNotify(now time.Time, msg []byte, code, subcode uint8) {
	reason := "notification sent (" + strconv.Itoa(int(code)) + "," + strconv.Itoa(int(subcode)) + ")"
	if !p.s.up {
		if p.s.connecting {
			p.drv.Close(p)
		}
		p.closeSession(now, reason)
		return
	}
	if p.s.closing {
		return
	}
	p.s.closing, p.s.notify, p.s.downReason = true, msg, reason
	for _, k := range [...]Timer{TimerHold, TimerKeepalive} {
		p.drv.StopTimer(p, k)
	}
	// a peer that does not read would keep the session closing forever:
	// the send hold timer bounds it, whatever the hold time.
	p.s.sendHoldArm = true
	p.drv.SetTimer(p, TimerSendHold, now.Add(p.sendHoldTime()))
	p.drv.WantWrite(p)
}

// onMessage steps the FSM with one received message.
func (p *Peer) onMessage(now time.Time, m wire.Message) error {
	typ := m.Type()
	p.stats.count(false, typ)
	p.s.lastRead = now
	if typ == wire.TypeNotification {
		return p.onNotification(now, m)
	}
	switch p.state {
	case StateConnect, StateOpenSent:
		if typ != wire.TypeOpen {
			p.report(DirReceive, m, nil)
			return &wire.NotifyError{Code: wire.CodeFSM, Subcode: 1,
				Reason: "The first packet received is not an open message (" + messageName(typ) + ")"}
		}
		return p.onOpen(now, m)
	case StateOpenConfirm:
		p.report(DirReceive, m, nil)
		if typ != wire.TypeKeepalive {
			return &wire.NotifyError{Code: wire.CodeFSM, Subcode: 2}
		}
		p.established(now)
		return nil
	case StateEstablished:
		return p.onEstablished(now, m)
	}
	return nil
}

// report passes a message to the events sink when it wants it; decode
// builds the decoded form only then.
func (p *Peer) report(dir Direction, m wire.Message, decode func() any) {
	want, dec := p.ev.Wants(p, dir, m.Type())
	if !want {
		return
	}
	var v any
	if dec && decode != nil {
		v = decode()
	}
	p.ev.Message(p, dir, m.Type(), m[:wire.HeaderLen], m.Body(), v)
}

// onNotification closes the session the peer ended (RFC 4271 §6.5: no
// answer).
func (p *Peer) onNotification(now time.Time, m wire.Message) error {
	n := wire.DecodeNotification(m.Body())
	p.report(DirReceive, m, func() any { return n })
	p.log.Warn().Stringer("notification", n).Msg("received notification")
	p.flushHandshake()
	p.drv.Close(p)
	p.closeSession(now, "notification received ("+strconv.Itoa(int(n.Code))+","+strconv.Itoa(int(n.Subcode))+")")
	return nil
}

// flushHandshake keeps the OPEN and KEEPALIVE the FSM already answered
// with but Pull has not written yet, for the Pull the driver makes while
// closing: ExaBGP writes them before it reads on, so a peer whose
// NOTIFICATION arrived in the same read still gets them (and ExaBGP's test
// harness sees the reset it expects).
func (p *Peer) flushHandshake() {
	if p.s.tx&txOpen != 0 && p.s.sentOpen != nil {
		p.final = p.sent(p.s.sentOpen.Append(p.final), len(p.final))
	}
	if p.s.tx&txKeepalive != 0 {
		p.final = p.sent(wire.AppendKeepalive(p.final), len(p.final))
	}
	p.s.tx &^= txOpen | txKeepalive
}

// onOpen checks the peer's OPEN, negotiates, and answers with a KEEPALIVE
// (OPENCONFIRM). With local-as auto our OPEN goes out first, mirroring the
// peer's AS.
func (p *Peer) onOpen(now time.Time, m wire.Message) error {
	o, err := wire.DecodeOpen(m.Body())
	p.report(DirReceive, m, func() any { return &o })
	if err != nil {
		return err
	}
	p.s.recvOpen = &o
	if p.s.sentOpen == nil {
		p.queueOpen()
	}
	neg, msErr := wire.Negotiate(p.s.sentOpen, &o)
	neg.AIGP = p.n.Capability.AIGP
	if err := p.validateOpen(neg, msErr); err != nil {
		return err
	}
	p.s.neg = neg
	for _, f := range neg.Mismatch {
		p.log.Warn().Stringer("family", f).Msg("the connection can not carry this family")
	}
	p.ev.Negotiated(p, neg)
	p.setState(StateOpenConfirm)
	p.armSessionTimers(now, neg.HoldTime)
	// reported now, before the peer's KEEPALIVE is read (ExaBGP's
	// _send_ka precedes _read_ka and ESTABLISHED)
	p.final = p.sent(wire.AppendKeepalive(p.final), len(p.final))
	p.wantWrite(now)
	return nil
}

// established is the first KEEPALIVE in OPENCONFIRM: the session is up,
// the Adj-RIB-Out cache is queued again (ExaBGP's replace_restart) and the
// first dump starts (without withdrawals), followed by the End-of-RIB
// markers unless manual-eor.
func (p *Peer) established(now time.Time) {
	p.setState(StateEstablished)
	p.stats.Complete = now
	p.stats.Up++
	p.backoff.reset(now)
	p.in.Clear()
	p.ev.State(p, ChangeUp, "")
	p.log.Info().Msg("session established")
	p.out.Restart()
	p.requeueASM()
	if !p.n.ManualEOR {
		p.s.tx |= txEOR
	}
	p.wantWrite(now)
}

// onEstablished handles a message in ESTABLISHED.
func (p *Peer) onEstablished(now time.Time, m wire.Message) error {
	switch m.Type() {
	case wire.TypeKeepalive:
		p.report(DirReceive, m, nil)
		if p.s.hold == 0 {
			if p.s.kaSeen {
				return &wire.NotifyError{Code: wire.CodeOpen, Subcode: wire.SubcodeUnacceptableHold,
					Reason: "Negotiated holdtime was zero, it was invalid to send us a keepalive messages"}
			}
			p.s.kaSeen = true
		}
	case wire.TypeUpdate:
		return p.onUpdate(now, m)
	case wire.TypeRouteRefresh:
		return p.onRefresh(now, m)
	default:
		// ExaBGP ignores OPEN and OPERATIONAL here.
		p.report(DirReceive, m, nil)
	}
	return nil
}

// onRefresh answers a ROUTE-REFRESH request from the Adj-RIB-Out (RFC
// 2918), inside BoRR/EoRR when enhanced refresh was negotiated (RFC 7313).
func (p *Peer) onRefresh(now time.Time, m wire.Message) error {
	rr, err := wire.DecodeRouteRefresh(m.Body())
	p.report(DirReceive, m, func() any { return rr })
	if err != nil {
		return err
	}
	if rr.Subtype != wire.RefreshRequest {
		return nil
	}
	p.resend(now, &rr.Family)
	return nil
}

// resend queues the Adj-RIB-Out of family f (all when nil) again.
func (p *Peer) resend(now time.Time, f *wire.Family) {
	enhanced := p.s.neg != nil && p.s.neg.Refresh == wire.RefreshEnhanced
	p.out.Resend(enhanced, f)
	p.backoff.reset(now)
	p.wantWrite(now)
}

// headerError gives a framing error ExaBGP's NOTIFICATION text
// (reactor/network/connection.py reader, protocol.py read_message): the
// length and type errors carry text, not the RFC 4271 §6.1 octets.
func headerError(b []byte, err error) error {
	var ne *wire.NotifyError
	if !errors.As(err, &ne) || ne.Code != wire.CodeHeader || len(b) < wire.HeaderLen {
		return err
	}
	switch ne.Subcode {
	case wire.SubcodeBadLength:
		l := int(b[16])<<8 | int(b[17])
		return &wire.NotifyError{Code: wire.CodeHeader, Subcode: wire.SubcodeBadLength,
			Reason: messageName(b[18]) + " has an invalid message length of " + strconv.Itoa(l)}
	case wire.SubcodeBadType:
		return &wire.NotifyError{Code: wire.CodeHeader, Subcode: wire.SubcodeBadType,
			Reason: "can not decode message of type \"" + strconv.Itoa(int(b[18])) + "\""}
	}
	return err
}

// messageName is ExaBGP's Message.CODE.name.
func messageName(t uint8) string {
	switch t {
	case wire.TypeOpen:
		return "OPEN"
	case wire.TypeUpdate:
		return "UPDATE"
	case wire.TypeNotification:
		return "NOTIFICATION"
	case wire.TypeKeepalive:
		return "KEEPALIVE"
	case wire.TypeRouteRefresh:
		return "ROUTE_REFRESH"
	case wire.TypeOperational:
		return "OPERATIONAL"
	}
	return "unknown message 0x" + strconv.FormatUint(uint64(t), 16)
}
