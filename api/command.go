package api

import (
	"regexp"
	"strings"

	"exago/config"
)

// handler runs one command for helper p. line is the normalised command
// line (selectors included); json is set when the word `json` appears.
type handler func(s *Server, p *process, line string, json bool)

// command is one registered command string (ExaBGP's Command.register).
type command struct {
	name     string
	neighbor bool     // accepts neighbor selectors (for `help`)
	options  []string // shown by `help`
	json     bool     // has a JSON variant
	fn       handler

	suffix, prefix string // " "+name and name+" ", for matching
	// group is the first word and a space for several-word names: a line
	// that does not contain it cannot match (a shortcut, same result).
	group string
}

func cmd(name string, neighbor bool, options []string, json bool, fn handler) command {
	c := command{name: name, neighbor: neighbor, options: options, json: json, fn: fn,
		suffix: " " + name, prefix: name + " "}
	if i := strings.IndexByte(name, ' '); i > 0 {
		c.group = name[:i+1]
	}
	return c
}

// newCommands returns ExaBGP 5.0's command table in reverse alphabetical
// order, the order in which a line is matched (reactor/api/__init__.py):
// 36 strings, 33 handlers. It is built at run time (once per Server, never
// modified) because `help` reads it.
func newCommands() []command {
	return []command{
		cmd("withdraw watchdog", true, nil, false, (*Server).withdrawWatchdog),
		cmd("withdraw vpls", true, nil, false, routeHandler(ActionWithdraw, KindVPLS)),
		cmd("withdraw route", true, nil, false, routeHandler(ActionWithdraw, KindRoute)),
		cmd("withdraw ipv6", true, nil, false, routeHandler(ActionWithdraw, KindIPv6)),
		cmd("withdraw ipv4", true, nil, false, routeHandler(ActionWithdraw, KindIPv4)),
		cmd("withdraw flow", true, nil, false, routeHandler(ActionWithdraw, KindFlow)),
		cmd("withdraw attributes", true, nil, false, routeHandler(ActionWithdraw, KindAttributes)),
		cmd("withdraw attribute", true, nil, false, routeHandler(ActionWithdraw, KindAttributes)),
		cmd("version", false, nil, false, (*Server).cmdVersion),
		cmd("teardown", true, nil, false, (*Server).teardown),
		cmd("silence-ack", false, nil, false, (*Server).silenceAck),
		cmd("shutdown", false, nil, false, signalHandler(SignalShutdown, "shutdown in progress")),
		cmd("show neighbor", false, []string{"summary", "extensive", "configuration"}, true, (*Server).showNeighbor),
		cmd("show adj-rib out", false, []string{"extensive"}, true, (*Server).showAdjRIB),
		cmd("show adj-rib in", false, []string{"extensive"}, true, (*Server).showAdjRIB),
		cmd("restart", false, nil, false, signalHandler(SignalRestart, "restart in progress")),
		cmd("reset", false, nil, false, (*Server).reset),
		cmd("reload", false, nil, false, signalHandler(SignalReload, "reload in progress")),
		cmd("help", false, nil, false, (*Server).help),
		cmd("flush adj-rib out", true, nil, false, (*Server).flushAdjRIBOut),
		cmd("enable-ack", false, nil, false, (*Server).enableAck),
		cmd("disable-ack", false, nil, false, (*Server).disableAck),
		cmd("crash", true, nil, false, (*Server).crash),
		cmd("clear adj-rib", true, nil, false, (*Server).clearAdjRIB),
		cmd("announce watchdog", true, nil, false, (*Server).announceWatchdog),
		cmd("announce vpls", true, nil, false, routeHandler(ActionAnnounce, KindVPLS)),
		cmd("announce route-refresh", true, nil, false, (*Server).announceRefresh),
		cmd("announce route", true, nil, false, routeHandler(ActionAnnounce, KindRoute)),
		cmd("announce operational", true, nil, false, (*Server).announceOperational),
		cmd("announce ipv6", true, nil, false, routeHandler(ActionAnnounce, KindIPv6)),
		cmd("announce ipv4", true, nil, false, routeHandler(ActionAnnounce, KindIPv4)),
		cmd("announce flow", true, nil, false, routeHandler(ActionAnnounce, KindFlow)),
		cmd("announce eor", true, nil, false, (*Server).announceEOR),
		cmd("announce attributes", true, nil, false, routeHandler(ActionAnnounce, KindAttributes)),
		cmd("announce attribute", true, nil, false, routeHandler(ActionAnnounce, KindAttributes)),
		cmd("#", false, nil, false, (*Server).comment),
	}
}

// lookup finds the command a normalised line runs, as ExaBGP's
// API.response does: the first registered string (reverse alphabetical)
// that equals the line, ends it after a space, or appears followed by a
// space.
func lookup(commands []command, line string) *command {
	var skip string // a group known to be absent from the line
	for i := range commands {
		c := &commands[i]
		if c.group != "" {
			if c.group == skip {
				continue
			}
			if !strings.Contains(line, c.group) {
				skip = c.group
				continue
			}
		}
		if line == c.name || strings.HasSuffix(line, c.suffix) || strings.Contains(line, c.prefix) {
			return c
		}
	}
	return nil
}

// Command runs one command line from the named helper, exactly as if the
// helper had written it (tests, and the server glue for internal use).
func (s *Server) Command(process, line string) {
	p := s.procs[process]
	if p == nil {
		return
	}
	s.line = normalise(s.line[:0], []byte(line))
	s.run(p, string(s.line))
}

// run dispatches a normalised line.
func (s *Server) run(p *process, line string) {
	c := lookup(s.commands, line)
	if c == nil {
		s.answerError(p)
		s.log.Warn().Str("process", p.name).Msgf("command from process not understood : %s", line)
		return
	}
	json := hasWord(line, "json")
	if json && !c.json {
		// ExaBGP raises KeyError here (no JSON variant) and crashes its
		// loop; ExaGo answers error.
		s.answerError(p)
		s.log.Warn().Str("process", p.name).Msgf("command has no json variant : %s", line)
		return
	}
	c.fn(s, p, line, json)
}

// visible appends to dst the peers helper p may act on (ExaBGP's
// reactor.peers(service)): peers whose api names p or matches it with a
// `processes-match` regex; the internal CLI helper sees every peer.
func (s *Server) visible(dst []Peer, p *process) []Peer {
	for _, peer := range s.daemon.Peers() {
		if p == nil || p.internal || s.serves(peer.Neighbor, p.name) {
			dst = append(dst, peer)
		}
	}
	return dst
}

func (s *Server) serves(n *config.Neighbor, name string) bool {
	r := s.routes(n)
	for _, proc := range r.processes {
		if proc == name {
			return true
		}
	}
	for _, pat := range r.match {
		if re := s.regexp(pat); re != nil && re.MatchString(name) {
			return true
		}
	}
	return false
}

// regexp compiles a processes-match pattern anchored at the start, as
// Python's re.match is. A bad pattern matches nothing (logged once).
func (s *Server) regexp(pat string) *regexp.Regexp {
	re, seen := s.regexps[pat]
	if seen {
		return re
	}
	re, err := regexp.Compile(`^(?:` + pat + `)`)
	if err != nil {
		s.log.Error().Str("pattern", pat).Err(err).Msg("invalid processes-match regex")
		re = nil
	}
	s.regexps[pat] = re
	return re
}

// established appends to dst the established peers (ExaBGP's
// established_peers, which is not scoped to the helper).
func (s *Server) established(dst []Peer) []Peer {
	for _, peer := range s.daemon.Peers() {
		if peer.Established {
			dst = append(dst, peer)
		}
	}
	return dst
}

// selected fills s.sel with the neighbors of the peers in from that match
// the selectors.
func (s *Server) selected(from []Peer, sels []selector) []*config.Neighbor {
	s.peers = matchPeers(s.peers[:0], from, sels)
	s.sel = s.sel[:0]
	for _, peer := range s.peers {
		s.sel = append(s.sel, peer.Neighbor)
	}
	return s.sel
}

// failure logs a command failure the way ExaBGP's log_failure does, naming
// the helper.
func (s *Server) failure(p *process, msg, detail string, err error) {
	ev := s.log.Error().Str("process", p.name)
	if err != nil {
		ev = ev.Str("reason", err.Error())
	}
	ev.Msg(msg + detail)
}

// info logs a command's effect (ExaBGP's log_message).
func (s *Server) info(p *process, msg string) {
	s.log.Info().Str("process", p.name).Msg(msg)
}

// peerList is ExaBGP's ", ".join(peers) for log lines.
func peerList(ns []*config.Neighbor) string {
	if len(ns) == 0 {
		return "all peers"
	}
	var b strings.Builder
	for i, n := range ns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(n.Name)
	}
	return b.String()
}
