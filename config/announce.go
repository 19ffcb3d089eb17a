package config

import "exago/wire"

// ParseAnnounce parses the words of an API `announce` command after the
// word "announce" (and after any `neighbor ...` selector) into routes:
//
//	route 10.0.0.0/24 next-hop 1.2.3.4 community [ 1:2 ] ...
//	attribute[s] next-hop 1.2.3.4 med 10 nlri 10.0.0.0/24 10.0.1.0/24
//	ipv4|ipv6 unicast|multicast|nlri-mpls|mpls-vpn PREFIX ...
//	ipv4|ipv6 flow|flow-vpn|mup|mcast-vpn ...   (family grammars)
//	flow route ...                              (the "flow" grammar)
//	vpls ...                                    (the "vpls" grammar)
//
// The grammar is the one of the configuration's one-line routes
// (EXABGP-SURFACE.md §3.9-3.12). Words are what the API line splits into
// on spaces; `[ ] ( ) ,` glued to other characters are split off here.
// `next-hop self` is left for the caller to resolve (Route.NextHopSelf).
// Errors name the word index as column: `command:1:COL: ...`.
func ParseAnnounce(words []string) ([]Route, error) { return parseAPIRoutes(words, false) }

// ParseWithdraw is [ParseAnnounce] for `withdraw`: next-hop is optional
// and labels are not required.
func ParseWithdraw(words []string) ([]Route, error) { return parseAPIRoutes(words, true) }

func parseAPIRoutes(words []string, withdraw bool) ([]Route, error) {
	w := apiWords(words)
	kw, ok := w.Next()
	if !ok {
		return nil, errAt(kw.Pos, "missing route (expected route, attributes, ipv4, ipv6, flow or vpls)")
	}
	opt := routeOptions{withdraw: withdraw}
	switch kw.Text {
	case "route":
		return parseRouteLine(w, opt, nil)
	case "attribute", "attributes":
		return parseAttributesLine(w, opt, nil)
	case "ipv4", "ipv6", "l2vpn":
		afi, _ := wire.ParseAFI(kw.Text)
		rest := w.Remaining()
		return (*loader)(nil).familyRoute(afi, rest, w.end, withdraw)
	case "flow":
		if r, _ := w.Next(); r.Text != "route" {
			return nil, errAt(r.Pos, "expected \"flow route\"")
		}
		return grammarLine("flow", wire.IPv4Flow, w, withdraw)
	case "vpls":
		return grammarLine("vpls", wire.L2VPNVPLS, w, withdraw)
	}
	return nil, errAt(kw.Pos, "\""+kw.Text+"\" is not a route (expected route, attributes, ipv4, ipv6, flow or vpls)")
}

func grammarLine(name string, fam wire.Family, w *Words, withdraw bool) ([]Route, error) {
	g, ok := grammarFor(name)
	if !ok || g.Line == nil {
		return nil, errAt(w.Pos(), name+" routes are not supported yet")
	}
	return g.Line(fam, w, withdraw)
}

// apiWords turns API words into tokens, splitting `[ ] ( ) ,` off words
// they are glued to and removing quotes around a whole word.
func apiWords(words []string) *Words {
	toks := make([]Token, 0, len(words)+4)
	add := func(s string, i int) {
		toks = append(toks, Token{Text: s, Pos: Pos{File: "command", Line: 1, Col: i + 1}})
	}
	for i, s := range words {
		if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
			toks = append(toks, Token{Text: s[1 : len(s)-1], Quoted: true, Pos: Pos{File: "command", Line: 1, Col: i + 1}})
			continue
		}
		if !hasPunct(s) {
			add(s, i)
			continue
		}
		start := 0
		for j := 0; j < len(s); j++ {
			switch s[j] {
			case '[', ']', '(', ')', ',':
				if j > start {
					add(s[start:j], i)
				}
				add(s[j:j+1], i)
				start = j + 1
			}
		}
		if start < len(s) {
			add(s[start:], i)
		}
	}
	return &Words{toks: toks, end: Pos{File: "command", Line: 1, Col: len(words) + 1}}
}

func hasPunct(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[', ']', '(', ')', ',':
			return true
		}
	}
	return false
}
