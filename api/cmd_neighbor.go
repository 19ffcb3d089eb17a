package api

import "strconv"

// This file holds the per-neighbor and reactor commands (ExaBGP's
// reactor/api/command/neighbor.py and reactor.py).

// teardown is `[neighbor <ip> [filters]] teardown <code>`: Cease 6/<code>
// to the matching established peers (not scoped to the helper). Without a
// selector nothing is torn down, but the answer is still done.
func (s *Server) teardown(p *process, line string, _ bool) {
	sels, command := extractNeighbors(line)
	_, code, ok := cutSpace(command)
	if !ok || code == "" || !isDigits(code) {
		s.answerError(p)
		return
	}
	n, err := strconv.Atoi(code)
	if err != nil || n > 255 {
		s.answerError(p)
		return
	}
	for _, peer := range s.established(s.peers[:0]) {
		for _, sel := range sels {
			if sel.match(peer.Neighbor.Name) {
				s.daemon.Teardown(peer.Neighbor, n)
				s.info(p, "teardown scheduled for "+joinSel(sel))
				break
			}
		}
	}
	s.answerDone(p, false)
}

func cutSpace(s string) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

func joinSel(sel selector) string {
	out := ""
	for i, t := range sel {
		if i > 0 {
			out += " "
		}
		out += t
	}
	return out
}

// showNeighbor is `show neighbor [summary|extensive|configuration] [<ip>]
// [json]`. Without an option it prints a usage hint.
func (s *Server) showNeighbor(p *process, line string, json bool) {
	words := fields(nil, line)
	req := ShowNeighbor{JSON: json}
	kept := words[:0]
	for _, w := range words {
		switch w {
		case "summary":
			req.Summary = true
		case "extensive":
			req.Extensive = true
		case "configuration":
			req.Configuration = true
		case "json", "text":
		default:
			kept = append(kept, w)
		}
	}
	if len(kept) > 0 && kept[len(kept)-1] != "neighbor" {
		req.Filter = kept[len(kept)-1]
	}
	if !req.JSON && !req.Summary && !req.Extensive && !req.Configuration {
		s.sendString(p, "please specify summary, extensive or configuration")
		s.sendString(p, "you can filter by peer ip address adding it after the word neighbor")
		s.answerDone(p, false)
		return
	}
	s.showNeighborLines(p, req)
	s.answerDone(p, false)
}

// help lists every command, then done.
func (s *Server) help(p *process, _ string, json bool) {
	lines := make([]string, 0, len(s.commands))
	for _, c := range s.commands {
		if json && !c.json {
			continue
		}
		if c.neighbor {
			lines = append(lines, "[neighbor <ip> [filters]] "+c.name)
			continue
		}
		ext := c.name
		if len(c.options) > 0 {
			ext += " [ "
			for i, o := range c.options {
				if i > 0 {
					ext += " | "
				}
				ext += o
			}
			ext += " ]"
		}
		lines = append(lines, ext+" ")
	}
	sortStrings(lines)
	for _, l := range [...]string{"", "available API commands are listed here:",
		"=======================================", "",
		"filter can be: [local-ip <ip>][local-as <asn>][peer-as <asn>][router-id <router-id>]", "",
		"command are:", "------------", ""} {
		s.sendString(p, l)
	}
	for _, l := range lines {
		s.sendString(p, l)
	}
	s.sendString(p, "")
	s.answerDone(p, false)
}

// sortStrings is an insertion sort (the help list is 36 lines), in byte
// order as Python's sorted().
func sortStrings(a []string) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// signalHandler returns the handler of shutdown, reload and restart. The
// answer is queued before the request is made: ExaBGP only flags the
// signal and acts on it later, while a daemon may act at once (and
// restart this very helper).
func signalHandler(sig Signal, text string) handler {
	return func(s *Server, p *process, _ string, _ bool) {
		s.sendString(p, text)
		s.answerDone(p, false)
		s.daemon.Signal(sig) // a helper stopped now still gets its queued answer (stop writes it)
	}
}

// cmdVersion prints `exabgp <release>`.
func (s *Server) cmdVersion(p *process, _ string, _ bool) {
	s.sendString(p, "exabgp "+s.version)
	s.answerDone(p, false)
}

// comment is `# <text>`: logged, answered done.
func (s *Server) comment(p *process, line string, _ bool) {
	text := line
	for len(text) > 0 && (text[0] == '#' || text[0] == ' ') {
		text = text[1:]
	}
	s.log.Debug().Str("process", p.name).Msg(text)
	s.answerDone(p, false)
}

// reset drops the helper's queued asynchronous work in ExaBGP; commands
// run synchronously here, so there is nothing to drop. No answer.
func (s *Server) reset(_ *process, _ string, _ bool) {}

// crash is ExaBGP's test hook: its scheduled task raises, and the helper
// gets error.
func (s *Server) crash(p *process, _ string, _ bool) {
	s.log.Error().Str("process", p.name).Msg("async | " + p.name + " | crash test of the API")
	s.answerError(p)
}

// disableAck answers done, then turns acks off for the helper.
func (s *Server) disableAck(p *process, _ string, _ bool) {
	p.ack = false
	s.answerDone(p, true)
}

// enableAck turns acks on and answers done.
func (s *Server) enableAck(p *process, _ string, _ bool) {
	p.ack = true
	s.answerDone(p, false)
}

// silenceAck turns acks off without answering.
func (s *Server) silenceAck(p *process, _ string, _ bool) {
	p.ack = false
}
