package testpeer

import (
	"encoding/hex"
	"strings"
)

// ActionKind is something the peer must do after a message was accepted.
type ActionKind uint8

const (
	// ActionSignal: send the signal named by Action.Text to the daemon.
	ActionSignal ActionKind = iota
	// ActionNotify: send a Cease NOTIFICATION carrying Action.Text.
	ActionNotify
	// ActionReplay: send Action.Msgs (every UPDATE seen so far) and then a
	// KEEPALIVE, the answer to a ROUTE-REFRESH.
	ActionReplay
)

// Action is one step [Checker.Check] or [Checker.AfterOpen] asks for, in
// the order returned.
type Action struct {
	Kind ActionKind
	Text string
	Msgs [][]byte
}

// Checker is qa/sbin/bgp's sequence logic without any I/O: it consumes the
// daemon's messages and says whether each was expected and what to do
// next. It is not safe for concurrent use.
type Checker struct {
	sets    [][]Rule
	cur     []Rule
	updates [][]byte // UPDATEs matched so far (End-of-RIB excluded), replayed on ROUTE-REFRESH
}

// NewChecker returns a checker positioned before the script's first set.
func NewChecker(s *Script) *Checker {
	c := &Checker{}
	for _, set := range s.Sets {
		c.sets = append(c.sets, append([]Rule(nil), set...))
	}
	return c
}

// Session is called when a new TCP session starts. It moves to the next set
// when the current one is exhausted and reports false when the session
// continues a set left unfinished by the previous one.
func (c *Checker) Session() bool {
	if len(c.cur) > 0 {
		return false
	}
	c.advance()
	return true
}

// Completed reports whether every rule has been met.
func (c *Checker) Completed() bool { return len(c.cur) == 0 && len(c.sets) == 0 }

// Pending returns the rules of the current set that are still expected.
func (c *Checker) Pending() []Rule { return append([]Rule(nil), c.cur...) }

// Remaining returns the current set followed by every later set.
func (c *Checker) Remaining() [][]Rule {
	var out [][]Rule
	if len(c.cur) > 0 {
		out = append(out, c.Pending())
	}
	return append(out, c.sets...)
}

// AfterOpen returns the actions due once the daemon's OPEN was answered
// (when the OPEN itself is not inspected): a script may start with a
// notification or a signal.
func (c *Checker) AfterOpen() []Action { return c.actions(nil) }

// Check takes one message from the daemon (marker included). It returns
// ok=false when no pending rule matches it; otherwise the actions due.
// KEEPALIVEs are always accepted, End-of-RIB markers once every rule is met.
func (c *Checker) Check(msg []byte) (ok bool, acts []Action) {
	if msgType(msg) == typeKeepalive {
		return true, nil
	}
	if c.Completed() {
		return isEOR(msg), nil
	}
	full := strings.ToUpper(hex.EncodeToString(msg))
	for i, r := range c.cur {
		if r.Kind != KindRaw {
			continue
		}
		got := full
		if !r.Full && len(got) >= 32 {
			got = got[32:]
		}
		if got != r.Hex {
			continue
		}
		c.cur = append(c.cur[:i:i], c.cur[i+1:]...)
		if msgType(msg) == typeUpdate && !isEOR(msg) {
			c.updates = append(c.updates, append([]byte(nil), msg...))
		}
		return true, c.actions(msg)
	}
	return false, nil
}

// advance moves to the next set when the current one is exhausted.
func (c *Checker) advance() {
	if len(c.cur) == 0 && len(c.sets) > 0 {
		c.cur, c.sets = c.sets[0], c.sets[1:]
	}
}

// actions mirrors qa/sbin/bgp's perform_actions_if_required: at most one
// signal, then at most one notification, each only when it heads the
// current set; then the ROUTE-REFRESH replay when msg is one.
func (c *Checker) actions(msg []byte) []Action {
	var acts []Action
	c.advance()
	if len(c.cur) > 0 && c.cur[0].Kind == KindSignal {
		acts = append(acts, Action{Kind: ActionSignal, Text: c.cur[0].Text})
		c.cur = c.cur[1:]
		c.advance()
	}
	c.advance()
	if len(c.cur) > 0 && c.cur[0].Kind == KindNotification {
		acts = append(acts, Action{Kind: ActionNotify, Text: c.cur[0].Text})
		c.cur = c.cur[1:]
		c.advance()
	}
	if msg != nil && msgType(msg) == typeRouteRefresh {
		acts = append(acts, Action{Kind: ActionReplay, Msgs: append([][]byte(nil), c.updates...)})
	}
	return acts
}
