package api

import "strings"

// selectorKeys are the words ExaBGP accepts after `neighbor <ip>` to narrow
// the selection (reactor/api/command/limit.py).
func isSelectorKey(s string) bool {
	switch s {
	case "neighbor", "local-ip", "local-as", "peer-as", "router-id", "family-allowed":
		return true
	}
	return false
}

// selector is one `neighbor <ip> [key value]…` description: each term is a
// "key value" string that must appear as whole words in a peer's name.
type selector []string

// extractNeighbors splits the selectors off the front of a normalised
// command, as ExaBGP's extract_neighbors does: `neighbor A router-id X ,
// neighbor B announce …` gives two selectors and `announce …`. A line that
// does not start with `neighbor` gives no selector (every visible peer).
func extractNeighbors(line string) ([]selector, string) {
	first, rest, ok := strings.Cut(line, " ")
	if !ok || first != "neighbor" {
		return nil, line
	}
	ip, command, ok := strings.Cut(rest, " ")
	if !ok {
		return nil, rest
	}
	def := selector{"neighbor " + ip}
	if !strings.Contains(command, " ") {
		return []selector{def}, command
	}
	var out []selector
	for {
		key, after, ok := strings.Cut(command, " ")
		if !ok {
			return appendSel(out, def), command
		}
		value, remaining, _ := strings.Cut(after, " ")
		if key == "," {
			out = append(out, def)
			command = after
			def = nil
			continue
		}
		if !isSelectorKey(key) {
			return appendSel(out, def), command
		}
		def = append(def, key+" "+value)
		command = remaining
		if remaining == "" {
			// ExaBGP keeps the previous remainder here (a quirk that only
			// matters for a line made of selectors alone).
			return appendSel(out, def), command
		}
	}
}

func appendSel(out []selector, def selector) []selector {
	if len(def) > 0 {
		out = append(out, def)
	}
	return out
}

// match reports whether every term of s appears in name as whole words
// (preceded by the start or white space, followed by the end, white space
// or `,`). `neighbor *` matches every peer.
func (s selector) match(name string) bool {
	for _, term := range s {
		if strings.TrimSpace(term) == "neighbor *" {
			return true
		}
		if !containsWord(name, term) {
			return false
		}
	}
	return true
}

func containsWord(name, term string) bool {
	for off := 0; off <= len(name)-len(term); {
		i := strings.Index(name[off:], term)
		if i < 0 {
			return false
		}
		i += off
		end := i + len(term)
		before := i == 0 || isSpace(name[i-1])
		after := end == len(name) || isSpace(name[end]) || name[end] == ','
		if before && after {
			return true
		}
		off = i + 1
	}
	return false
}

// matchPeers appends to dst the peers matching any selector (all of them
// when there is no selector), in peer order, each once.
func matchPeers(dst []Peer, peers []Peer, sels []selector) []Peer {
	for _, p := range peers {
		if len(sels) == 0 {
			dst = append(dst, p)
			continue
		}
		for _, s := range sels {
			if s.match(p.Neighbor.Name) {
				dst = append(dst, p)
				break
			}
		}
	}
	return dst
}
