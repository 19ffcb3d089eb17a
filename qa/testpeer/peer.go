package testpeer

// Deliberate deviations from qa/sbin/bgp:
//   - A first message that is not an OPEN fails the test (bgp would echo it).
//   - Framing is exact (bgp may mis-frame a short read); a length field
//     below 19 fails the test with the offending bytes.
//   - Signals go to a callback (the runner knows the daemon's pid) instead
//     of a `ps` search for a python process.
//   - A clean close (EOF) by the daemon after every rule was met is still
//     not a success, as in bgp (which only succeeds after a message or on a
//     reset); the timeout message says so.

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"
)

// Mode selects what [Serve] does with the daemon's messages.
type Mode uint8

const (
	// ModeCheck runs the script (the encoding test).
	ModeCheck Mode = iota
	// ModeSink answers every message with a KEEPALIVE and checks nothing.
	ModeSink
	// ModeEcho sends every message back to the daemon.
	ModeEcho
	// ModeShow is ModeSink printing each message decoded (make demo).
	ModeShow
)

// Config tunes [Serve]. The zero value checks the script, logs nothing and
// fails on signal rules.
type Config struct {
	Mode Mode
	// Log receives the transcript (what qa/sbin/bgp prints); nil discards.
	Log io.Writer
	// Signal sends the named signal ("SIGUSR1") to the daemon under test.
	Signal func(name string) error
	// WriteTimeout bounds each write to the daemon (default 10 s).
	WriteTimeout time.Duration
	// BumpRouterID increments the router-id of the echoed OPEN even when
	// an ASN is set, which qa/sbin/bgp does not do (for --show and demos).
	BumpRouterID bool
}

// Failure is why a run failed: the reason, the message that broke it (if
// any), and what was expected instead.
type Failure struct {
	Reason    string
	Got       []byte
	Remaining [][]Rule // the pending set first, then the later sets
}

// Error renders the failure with the received message in hex and decoded,
// and every pending rule in hex and decoded.
func (f *Failure) Error() string {
	var b strings.Builder
	b.WriteString(f.Reason)
	if f.Got != nil {
		fmt.Fprintf(&b, "\n  received: %s\n  decoded:  %s\n  json:     %s", HexRule(f.Got), Describe(f.Got), DescribeJSON(f.Got))
	}
	if len(f.Remaining) == 0 {
		b.WriteString("\n  expected: nothing more (every rule was met)")
	}
	for i, set := range f.Remaining {
		if i == 0 {
			b.WriteString("\n  expected (any order):")
		} else {
			fmt.Fprintf(&b, "\n  then set %d:", i+1)
		}
		for _, r := range set {
			fmt.Fprintf(&b, "\n    %s:%s  (line %d)", r.Group, r, r.Line)
			if r.Kind == KindRaw {
				fmt.Fprintf(&b, "\n      = %s\n      json %s", Describe(r.bytes()), DescribeJSON(r.bytes()))
			}
		}
	}
	return b.String()
}

// bytes returns a raw rule's message with the marker.
func (r Rule) bytes() []byte {
	h := r.Hex
	if !r.Full {
		h = strings.Repeat("F", 32) + h
	}
	b := make([]byte, len(h)/2)
	for i := range b {
		b[i] = unhex(h[2*i])<<4 | unhex(h[2*i+1])
	}
	return b
}

func unhex(c byte) byte {
	if c >= 'A' {
		return c - 'A' + 10
	}
	return c - '0'
}

// event is one thing a session's reader saw: a whole message or the end.
type event struct {
	s   *session
	msg []byte
	err error
}

type session struct {
	id     int
	conn   net.Conn
	opened bool
	count  int
}

// runner is the state of one Serve call; only Serve's goroutine touches it.
type runner struct {
	script   *Script
	cfg      Config
	check    *Checker
	sessions []*session
	events   chan event
	done     chan struct{}
	// closedAfterCompletion notes a clean close once every rule was met.
	closedAfterCompletion bool
}

// Serve accepts the daemon's sessions on ln and runs the script. It returns
// nil when the script passed (or, in the sink, echo and show modes, when
// ctx ends), a *Failure otherwise. It closes ln and every session before
// returning.
func Serve(ctx context.Context, ln net.Listener, s *Script, cfg Config) error {
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 10 * time.Second
	}
	r := &runner{script: s, cfg: cfg, check: NewChecker(s), events: make(chan event), done: make(chan struct{})}
	if cfg.Mode == ModeCheck && len(s.Sets) == 0 {
		ln.Close()
		return r.fail("the script "+s.Name+" has no rule to check", nil)
	}
	conns := make(chan net.Conn)
	go r.accept(ln, conns)
	defer func() {
		close(r.done)
		ln.Close()
		for _, s := range r.sessions {
			s.conn.Close()
		}
	}()
	for {
		var err error
		finished := false
		select {
		case <-ctx.Done():
			return r.timeout(ctx.Err())
		case c := <-conns:
			r.newSession(c)
		case ev := <-r.events:
			finished, err = r.handle(ev)
		}
		if finished || err != nil {
			return err
		}
	}
}

func (r *runner) accept(ln net.Listener, out chan<- net.Conn) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		select {
		case out <- c:
		case <-r.done:
			c.Close()
			return
		}
	}
}

func (r *runner) newSession(c net.Conn) {
	s := &session{id: len(r.sessions) + 1, conn: c}
	r.sessions = append(r.sessions, s)
	fmt.Fprintf(r.cfg.Log, "\nnew session #%d from %s:\n", s.id, c.RemoteAddr())
	if r.cfg.Mode == ModeCheck && !r.check.Session() {
		fmt.Fprintln(r.cfg.Log, "some messages are from previous session:")
	}
	go r.read(s)
}

// read frames the session's messages (RFC 4271 §4.1) and hands them over.
func (r *runner) read(s *session) {
	hdr := make([]byte, headerLen)
	for {
		ev := event{s: s}
		if _, err := io.ReadFull(s.conn, hdr); err != nil {
			ev.err = err
		} else if n := int(binary.BigEndian.Uint16(hdr[16:18])); n < headerLen {
			ev.msg, ev.err = append([]byte(nil), hdr...), errBadLength
		} else {
			ev.msg = make([]byte, n)
			copy(ev.msg, hdr)
			_, ev.err = io.ReadFull(s.conn, ev.msg[headerLen:])
		}
		select {
		case r.events <- ev:
		case <-r.done:
			return
		}
		if ev.err != nil {
			return
		}
	}
}

var errBadLength = errors.New("message length below 19")

// handle processes one event; finished is true when the run is over.
func (r *runner) handle(ev event) (finished bool, err error) {
	s := ev.s
	if ev.err == errBadLength {
		return true, r.fail("invalid BGP message length from the daemon", ev.msg)
	}
	if ev.err != nil {
		return r.closed(s, ev.err)
	}
	if !s.opened {
		s.opened = true
		r.logMsg("open recv", ev.msg)
		return r.onOpen(s, ev.msg)
	}
	return r.onMessage(s, ev.msg)
}

// closed handles the end of a session. Like qa/sbin/bgp, a reset or broken
// pipe once every rule is met is a success; anything else waits for the
// next session.
func (r *runner) closed(s *session, err error) (bool, error) {
	fmt.Fprintf(r.cfg.Log, "session #%d closed: %v\n", s.id, err)
	if r.cfg.Mode != ModeCheck || !r.check.Completed() {
		return false, nil
	}
	if errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true, r.succeed()
	}
	r.closedAfterCompletion = true
	return false, nil
}

func (r *runner) onOpen(s *session, msg []byte) (bool, error) {
	if msgType(msg) != typeOpen {
		return true, r.fail("the daemon's first message on a session is not an OPEN", msg)
	}
	o := r.script.Options
	reply, err := OpenReply(msg, o.ASN, o.UnknownCapability)
	if err != nil {
		return true, r.fail("cannot echo the daemon's OPEN: "+err.Error(), msg)
	}
	if r.cfg.BumpRouterID && o.ASN != 0 {
		reply[headerLen+8]++
	}
	r.logMsg("open sent", reply)
	r.write(s, reply, Keepalive())
	if o.UnknownMessage {
		r.write(s, UnknownMessage())
	}
	if r.cfg.Mode != ModeCheck {
		return false, nil
	}
	if o.InspectOpen {
		return r.checkMessage(s, msg)
	}
	if err := r.apply(s, r.check.AfterOpen()); err != nil {
		return true, err
	}
	if o.DefaultRoute {
		fmt.Fprintln(r.cfg.Log, "sending default-route")
		r.write(s, DefaultRoute())
	}
	return false, nil
}

func (r *runner) onMessage(s *session, msg []byte) (bool, error) {
	s.count++
	switch r.cfg.Mode {
	case ModeEcho:
		fmt.Fprintf(r.cfg.Log, "echo'd  #%d %s\n", s.count, HexRule(msg))
		r.write(s, msg)
		return false, nil
	case ModeSink:
		fmt.Fprintf(r.cfg.Log, "sank     #%d %s\n", s.count, HexRule(msg))
		r.write(s, Keepalive())
		return false, nil
	case ModeShow:
		fmt.Fprintf(r.cfg.Log, "#%-4d %s\n", s.count, Describe(msg))
		r.write(s, Keepalive())
		return false, nil
	}
	fmt.Fprintf(r.cfg.Log, "%-12s%s\n", "msg  recv", HexRule(msg))
	r.write(s, Keepalive())
	return r.checkMessage(s, msg)
}

// checkMessage matches msg against the script and runs what follows.
func (r *runner) checkMessage(s *session, msg []byte) (bool, error) {
	completed := r.check.Completed()
	ok, acts := r.check.Check(msg)
	if !ok {
		if completed {
			return true, r.fail("received extra message after every rule was met", msg)
		}
		return true, r.fail("unexpected message", msg)
	}
	if err := r.apply(s, acts); err != nil {
		return true, err
	}
	if r.check.Completed() {
		return true, r.succeed()
	}
	return false, nil
}

func (r *runner) apply(s *session, acts []Action) error {
	for _, a := range acts {
		switch a.Kind {
		case ActionSignal:
			fmt.Fprintf(r.cfg.Log, "\nsending signal %s to the daemon\n", a.Text)
			if r.cfg.Signal == nil {
				return r.fail("the script sends signal "+a.Text+" but no daemon to signal was configured", nil)
			}
			if err := r.cfg.Signal(a.Text); err != nil {
				return r.fail("sending signal "+a.Text+": "+err.Error(), nil)
			}
		case ActionNotify:
			fmt.Fprintf(r.cfg.Log, "\nsending closing notification: %q\n", a.Text)
			r.write(s, Cease(a.Text))
		case ActionReplay:
			for _, m := range a.Msgs {
				fmt.Fprintf(r.cfg.Log, "%-12s%s\n", "rr   sent", HexRule(m))
			}
			r.write(s, append(a.Msgs, Keepalive())...)
		}
	}
	return nil
}

// write sends msgs; a failed write is logged, not fatal, as in bgp (the
// session's reader reports the close).
func (r *runner) write(s *session, msgs ...[]byte) {
	var buf []byte
	for _, m := range msgs {
		buf = append(buf, m...)
	}
	s.conn.SetWriteDeadline(time.Now().Add(r.cfg.WriteTimeout))
	if _, err := s.conn.Write(buf); err != nil {
		fmt.Fprintf(r.cfg.Log, "session #%d write: %v\n", s.id, err)
	}
}

// logMsg logs a message in hex, or decoded in ModeShow.
func (r *runner) logMsg(what string, msg []byte) {
	if r.cfg.Mode == ModeShow {
		fmt.Fprintf(r.cfg.Log, "%-12s%s\n", what, Describe(msg))
		return
	}
	fmt.Fprintf(r.cfg.Log, "%-12s%s\n", what, HexRule(msg))
}

func (r *runner) fail(reason string, got []byte) error {
	f := &Failure{Reason: reason, Got: got, Remaining: r.check.Remaining()}
	fmt.Fprintf(r.cfg.Log, "\n%v\nfailed\n", f)
	return f
}

func (r *runner) succeed() error {
	fmt.Fprintln(r.cfg.Log, "\nsuccessful")
	return nil
}

func (r *runner) timeout(err error) error {
	if r.cfg.Mode != ModeCheck {
		return nil
	}
	reason := fmt.Sprintf("%v after %d session(s) waiting for the daemon", err, len(r.sessions))
	if r.closedAfterCompletion {
		reason += "; every rule was met but the daemon closed the session cleanly without sending" +
			" another message (ExaBGP's harness only declares success after a message or a reset)"
	}
	return r.fail(reason, nil)
}
