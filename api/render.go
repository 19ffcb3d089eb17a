package api

import (
	"exago/api/format"
	"exago/wire"
)

// This file adapts package api/format's encoders to [Renderer].

// JSONRenderer renders events with a format.Encoder. Set E's Host, PID,
// PPID, Now and Compact (api.compact); Consolidate and ShowNegotiated are
// set per event from the neighbor's api options.
type JSONRenderer struct {
	E   format.Encoder
	msg []byte
	// cache keeps the envelope and neighbor parts repeated from line to
	// line (E.Cache when that is nil).
	cache format.Cache
}

// TextRenderer renders events with a format.Text.
type TextRenderer struct {
	T   format.Text
	msg []byte
}

var (
	_ Renderer = (*JSONRenderer)(nil)
	_ Renderer = (*TextRenderer)(nil)
)

func neighborOf(ev *Event) format.Neighbor {
	return format.Neighbor{LocalAddr: ev.ID.Local, PeerAddr: ev.ID.Peer, LocalAS: ev.ID.LocalAS,
		PeerAS: ev.ID.PeerAS, RouterID: ev.ID.RouterID, Counter: ev.Counter}
}

func formatDir(d Direction) format.Direction {
	if d == DirSend {
		return format.Send
	}
	return format.Receive
}

// whole joins header and body into scratch (the format renderers take
// the whole message).
func whole(scratch []byte, ev *Event) []byte {
	scratch = append(scratch[:0], ev.Header...)
	return append(scratch, ev.Body...)
}

func negotiatedOf(ev *Event) *wire.Negotiated {
	n, _ := ev.Negotiated.(*wire.Negotiated)
	return n
}

// signalNames are the signals ExaBGP reports to helpers.
var signalNames = map[int]string{1: "SIGHUP", 2: "SIGINT", 10: "SIGUSR1", 12: "SIGUSR2", 14: "SIGALRM", 15: "SIGTERM"}

// AppendEvent renders ev as one JSON line (nothing for an event the
// encoder cannot render, e.g. a malformed UPDATE).
func (r *JSONRenderer) AppendEvent(b []byte, ev *Event) []byte {
	nb := neighborOf(ev)
	e := r.E
	if e.Cache == nil {
		e.Cache = &r.cache
	}
	switch ev.Kind {
	case EventState:
		switch ev.Change {
		case "connected":
			return e.Connected(b, &nb)
		case "up":
			return e.Up(b, &nb)
		}
		return e.Down(b, &nb, ev.Reason)
	case EventFSM:
		return e.FSM(b, &nb, ev.State)
	case EventNegotiated:
		if n := negotiatedOf(ev); n != nil {
			return e.NegotiatedEvent(b, &nb, n)
		}
		return b
	case EventSignal:
		return e.Signal(b, &nb, ev.Signal, signalNames[ev.Signal])
	case EventPackets:
		r.msg = whole(r.msg, ev)
		var neg *wire.Negotiated
		if ev.ShowNegotiated {
			neg = negotiatedOf(ev)
		}
		return e.Packets(b, &nb, formatDir(ev.Direction), r.msg, neg)
	case EventMessage:
		r.msg = whole(r.msg, ev)
		e.Consolidate = ev.Consolidate
		e.ShowNegotiated = ev.ShowNegotiated
		return r.message(b, &e, &nb, ev, negotiatedOf(ev))
	}
	return b
}

func (r *JSONRenderer) message(b []byte, e *format.Encoder, nb *format.Neighbor, ev *Event, neg *wire.Negotiated) []byte {
	dir := formatDir(ev.Direction)
	switch ev.Type {
	case MsgOpen:
		o, err := wire.DecodeOpen(ev.Body)
		if err != nil {
			return b
		}
		return e.Open(b, nb, dir, &o, r.msg)
	case MsgUpdate:
		out, err := e.Update(b, nb, dir, r.msg, neg)
		if err != nil {
			return b
		}
		return out
	case MsgNotification:
		return e.Notification(b, nb, dir, wire.DecodeNotification(ev.Body), r.msg)
	case MsgKeepalive:
		return e.Keepalive(b, nb, dir, r.msg)
	case MsgRefresh:
		rr, err := wire.DecodeRouteRefresh(ev.Body)
		if err != nil {
			return b
		}
		return e.Refresh(b, nb, dir, rr, r.msg)
	case MsgOperational:
		op, ok, err := format.DecodeOperational(ev.Body)
		if !ok || err != nil {
			return b
		}
		return e.OperationalEvent(b, nb, dir, &op, r.msg)
	}
	return b
}

// AppendShutdown renders the shutdown notification.
func (r *JSONRenderer) AppendShutdown(b []byte) []byte { return r.E.Shutdown(b) }

// AppendEvent renders ev as ExaBGP's text encoder does (nothing for fsm,
// negotiated and signal).
func (r *TextRenderer) AppendEvent(b []byte, ev *Event) []byte {
	nb := neighborOf(ev)
	t := r.T
	switch ev.Kind {
	case EventState:
		switch ev.Change {
		case "connected":
			return t.Connected(b, &nb)
		case "up":
			return t.Up(b, &nb)
		}
		return t.Down(b, &nb, ev.Reason)
	case EventPackets:
		r.msg = whole(r.msg, ev)
		return t.Packets(b, &nb, formatDir(ev.Direction), r.msg)
	case EventMessage:
		r.msg = whole(r.msg, ev)
		t.Consolidate = ev.Consolidate
		return r.message(b, &t, &nb, ev)
	}
	return b
}

func (r *TextRenderer) message(b []byte, t *format.Text, nb *format.Neighbor, ev *Event) []byte {
	dir := formatDir(ev.Direction)
	msg := r.msg
	if !ev.Consolidate {
		msg = nil
	}
	switch ev.Type {
	case MsgOpen:
		o, err := wire.DecodeOpen(ev.Body)
		if err != nil {
			return b
		}
		return t.Open(b, nb, dir, &o, msg)
	case MsgUpdate:
		out, err := t.Update(b, nb, dir, r.msg, negotiatedOf(ev))
		if err != nil {
			return b
		}
		return out
	case MsgNotification:
		return t.Notification(b, nb, dir, wire.DecodeNotification(ev.Body), msg)
	case MsgKeepalive:
		return t.Keepalive(b, nb, dir, msg)
	case MsgRefresh:
		rr, err := wire.DecodeRouteRefresh(ev.Body)
		if err != nil {
			return b
		}
		return t.Refresh(b, nb, dir, rr, msg)
	case MsgOperational:
		op, ok, err := format.DecodeOperational(ev.Body)
		if !ok || err != nil {
			return b
		}
		return t.OperationalEvent(b, nb, dir, &op, msg)
	}
	return b
}

// AppendShutdown renders `shutdown <pid> <ppid>`.
func (r *TextRenderer) AppendShutdown(b []byte) []byte { return r.T.Shutdown(b) }
