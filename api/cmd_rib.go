package api

// This file holds the adj-rib commands (ExaBGP's
// reactor/api/command/rib.py).

// showAdjRIB is `show adj-rib in|out [extensive] [inet|flow|l2vpn] [<ip>]
// [json]`.
func (s *Server) showAdjRIB(p *process, line string, json bool) {
	words := fields(nil, line)
	if len(words) < 3 || (words[2] != "in" && words[2] != "out") {
		s.answerError(p)
		return
	}
	req := ShowAdjRIB{In: words[2] == "in", Extensive: hasSuffixWord(line, "extensive"), JSON: json}
	for _, w := range words {
		if w == "inet" || w == "flow" || w == "l2vpn" {
			req.Class = w
			break
		}
	}
	for _, drop := range [...]string{"json", "show", "adj-rib", "adj-rib-in", "adj-rib-out", "in", "out", "extensive"} {
		words = removeFirst(words, drop)
	}
	if len(words) > 0 {
		switch last := words[0]; last {
		case "routes", "extensive", "static", "inet", "flow", "l2vpn":
		default:
			req.Filter = last
		}
	}
	// Streamed (stream.go): the answer can be larger than the helper's
	// output limit.
	s.streamAdjRIB(p, req)
}

func hasSuffixWord(line, w string) bool {
	return len(line) > len(w) && line[len(line)-len(w):] == w && line[len(line)-len(w)-1] == ' '
}

func removeFirst(words []string, w string) []string {
	for i, x := range words {
		if x == w {
			return append(words[:i], words[i+1:]...)
		}
	}
	return words
}

// flushAdjRIBOut is `[neighbor …] flush adj-rib out`: established peers
// (not scoped to the helper) re-send their adj-rib-out.
func (s *Server) flushAdjRIBOut(p *process, line string, _ bool) {
	sels, command := extractNeighbors(line)
	peers := s.selected(s.established(s.peers[:0]), sels)
	if len(peers) == 0 {
		s.log.Warn().Str("process", p.name).Msg("no neighbor matching the command : " + command)
		s.answerError(p)
		return
	}
	s.info(p, "flushing adjb-rib out for "+peerList(peers))
	for _, n := range peers {
		s.daemon.FlushAdjRIBOut(n)
	}
	s.answerDone(p, false)
}

// clearAdjRIB is `[neighbor …] clear adj-rib [in|out]`: every peer (not
// scoped to the helper); out withdraws everything, in empties adj-rib-in.
func (s *Server) clearAdjRIB(p *process, line string, _ bool) {
	sels, command := extractNeighbors(line)
	peers := s.selected(s.daemon.Peers(), sels)
	if len(peers) == 0 {
		s.log.Warn().Str("process", p.name).Msg("no neighbor matching the command : " + command)
		s.answerError(p)
		return
	}
	in := hasWord(command, "in") || hasWord(command, "adj-rib-in")
	dir := "out"
	if in {
		dir = "in"
	}
	s.info(p, "clearing adjb-rib-"+dir+" for "+peerList(peers))
	for _, n := range peers {
		s.daemon.ClearAdjRIB(n, in)
	}
	s.answerDone(p, false)
}
