package api

import (
	"strings"

	"exago/config"
	"exago/wire"
)

// This file holds the announce/withdraw commands (ExaBGP's
// reactor/api/command/announce.py and watchdog.py).

// routeHandler returns the handler of one announce/withdraw command: the
// selected peers come from those whose api lists the helper; the route
// text goes to [Daemon.Routes], which parses it with the configuration
// grammar.
func routeHandler(action Action, kind RouteKind) handler {
	what := kind.String()
	if kind == KindAttributes {
		what = "route"
	}
	return func(s *Server, p *process, line string, _ bool) {
		sels, command := extractNeighbors(line)
		s.peers = s.visible(s.peers[:0], p)
		peers := s.selected(s.peers, sels)
		if len(peers) == 0 {
			s.failure(p, "no neighbor matching the command : ", command, nil)
			s.answerError(p)
			return
		}
		s.words = fields(s.words, command)
		err := s.daemon.Routes(peers, RouteCommand{Action: action, Kind: kind, Line: command, Words: s.words})
		if err != nil {
			s.failure(p, "command could not parse "+what+" in : ", command, err)
			s.answerError(p)
			return
		}
		s.answerDone(p, false)
	}
}

// announceEOR is `announce eor [<afi> <safi>]`: established peers only
// (not scoped to the helper), ipv4 unicast by default.
func (s *Server) announceEOR(p *process, line string, _ bool) {
	s.familyCommand(p, line, true, "eor", s.daemon.EOR,
		func(f wire.Family) string { return f.String() + " eor" })
}

// announceRefresh is `announce route-refresh <afi> <safi>` (RFC 2918):
// established peers only.
func (s *Server) announceRefresh(p *process, line string, _ bool) {
	s.familyCommand(p, line, false, "route-refresh command", s.daemon.RouteRefresh,
		func(f wire.Family) string { return "route-refresh " + f.String() })
}

// familyCommand runs a command that takes an optional (withDefault) or
// mandatory `<afi> <safi>` on the established peers it selects, with
// ExaBGP's log lines and acks.
func (s *Server) familyCommand(p *process, line string, withDefault bool, what string,
	apply func([]*config.Neighbor, wire.Family) error, sent func(wire.Family) string) {
	sels, command := extractNeighbors(line)
	peers := s.selected(s.established(s.peers[:0]), sels)
	if len(peers) == 0 {
		s.failure(p, "no neighbor matching the command : ", command, nil)
		s.answerError(p)
		return
	}
	f, ok := familyArgs(command, withDefault)
	var err error
	if ok {
		err = apply(peers, f)
	}
	if !ok || err != nil {
		s.failure(p, "Command could not parse "+what+" : ", command, err)
		s.answerError(p)
		return
	}
	s.info(p, "Sent to "+peerList(peers)+" : "+sent(f))
	s.answerDone(p, false)
}

// familyArgs parses the words after the two command words: none (when
// optional, ipv4 unicast) or exactly `<afi> <safi>`.
func familyArgs(command string, optional bool) (wire.Family, bool) {
	var buf [8]string
	w := fields(buf[:0], command)
	if len(w) < 2 {
		return wire.Family{}, false
	}
	w = w[2:]
	if len(w) == 0 && optional {
		return wire.IPv4Unicast, true
	}
	if len(w) != 2 {
		return wire.Family{}, false
	}
	afi, ok1 := wire.ParseAFI(w[0])
	safi, ok2 := wire.ParseSAFI(w[1])
	if !ok1 || !ok2 {
		return wire.Family{}, false
	}
	return wire.Family{AFI: afi, SAFI: safi}, true
}

// operationalKinds are the message kinds `announce operational` accepts.
func operationalKind(w string) bool {
	switch strings.ToLower(w) {
	case "asm", "adm", "rpcq", "rpcp", "apcq", "apcp", "lpcq", "lpcp":
		return true
	}
	return false
}

// announceOperational is `announce operational <kind> …`. An unknown kind
// answers done and does nothing, as in ExaBGP. (ExaBGP reads the kind
// from the 3rd word of the whole line, so with a `neighbor` prefix every
// command is a no-op; ExaGo reads it after the selectors.)
func (s *Server) announceOperational(p *process, line string, _ bool) {
	sels, command := extractNeighbors(line)
	s.words = fields(s.words, command)
	if len(s.words) < 3 || !operationalKind(s.words[2]) {
		s.answerDone(p, false)
		return
	}
	s.peers = s.visible(s.peers[:0], p)
	peers := s.selected(s.peers, sels)
	if len(peers) == 0 {
		s.failure(p, "no neighbor matching the command : ", command, nil)
		s.answerError(p)
		return
	}
	if err := s.daemon.Operational(peers, s.words[2:]); err != nil {
		s.failure(p, "Command could not parse operational command : ", command, err)
		s.answerError(p)
		return
	}
	s.info(p, "operational message sent to "+peerList(peers)+" : "+command)
	s.answerDone(p, false)
}

// announceWatchdog is `announce watchdog [<name>]`: every route of the
// group, on all neighbors. The name is the 3rd word of the line (so a
// `neighbor` prefix breaks it, as in ExaBGP) and defaults to the helper's
// name.
func (s *Server) announceWatchdog(p *process, line string, _ bool) {
	s.daemon.Watchdog(watchdogName(p, line), true)
	s.answerDone(p, false)
}

// withdrawWatchdog is `withdraw watchdog [<name>]`.
func (s *Server) withdrawWatchdog(p *process, line string, _ bool) {
	s.daemon.Watchdog(watchdogName(p, line), false)
	s.answerDone(p, false)
}

func watchdogName(p *process, line string) string {
	w := strings.SplitN(line, " ", 4)
	if len(w) >= 3 {
		return w[2]
	}
	return p.name
}
