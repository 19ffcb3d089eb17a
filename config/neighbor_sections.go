package config

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"exago/wire"
)

// configFamilies are the pairs a family block accepts (ipv6 multicast and
// ipv4 rtc are only reachable through `all`).
var configFamilies = map[string]map[string]wire.Family{
	"ipv4": {"unicast": wire.IPv4Unicast, "multicast": wire.IPv4Multicast, "nlri-mpls": wire.IPv4MPLS, "mpls-vpn": wire.IPv4VPN,
		"mcast-vpn": wire.IPv4McastVPN, "flow": wire.IPv4Flow, "flow-vpn": wire.IPv4FlowVPN, "mup": wire.IPv4MUP},
	"ipv6": {"unicast": wire.IPv6Unicast, "nlri-mpls": wire.IPv6MPLS, "mpls-vpn": wire.IPv6VPN, "mcast-vpn": wire.IPv6McastVPN,
		"mup": wire.IPv6MUP, "flow": wire.IPv6Flow, "flow-vpn": wire.IPv6FlowVPN},
	"l2vpn":  {"vpls": wire.L2VPNVPLS, "evpn": wire.L2VPNEVPN},
	"bgp-ls": {"bgp-ls": wire.BGPLS, "bgp-ls-vpn": wire.BGPLSVPN},
}

func (l *loader) neighborSection(s *scope, c *Node) error {
	kw := c.Keyword()
	switch kw {
	case "family", "add-path", "capability", "nexthop", "api", "static", "announce", "flow", "l2vpn", "operational":
	default:
		return errAt(c.Pos, "unknown neighbor section \""+kw+"\"")
	}
	if kw != "api" && len(c.Words) > 1 {
		return errAt(c.Words[1].Pos, "unexpected \""+c.Words[1].Text+"\" after "+kw+" (expected '{')")
	}
	switch kw {
	case "family":
		fams, err := familyBlock(c, true)
		if err != nil {
			return err
		}
		s.families, s.famSet = append(s.families, fams...), true
	case "add-path":
		fams, err := familyBlock(c, false)
		if err != nil {
			return err
		}
		s.addPath = append(s.addPath, fams...)
	case "capability":
		return capabilityBlock(s, c)
	case "nexthop":
		s.nhBlock = true
		return nexthopBlock(s, c)
	case "api":
		a, err := apiBlock(c)
		if err != nil {
			return err
		}
		s.apis = append(s.apis, a)
	case "static":
		return l.staticBlock(s, c)
	case "announce":
		return l.announceBlock(s, c)
	case "flow", "l2vpn":
		name := map[string]string{"flow": "flow", "l2vpn": "vpls"}[kw]
		g, ok := grammarFor(name)
		if !ok || g.Section == nil {
			l.cfg.Unparsed = append(l.cfg.Unparsed, c.Pos)
			return nil
		}
		routes, err := g.Section(c)
		if err != nil {
			return err
		}
		s.routes = append(s.routes, routes...)
	case "operational":
		return operationalBlock(s, c)
	default:
		return errAt(c.Pos, "unknown neighbor section \""+kw+"\"")
	}
	return nil
}

// familyBlock parses `family { ipv4 unicast; ... }` or `{ all; }`.
func familyBlock(c *Node, allowAll bool) ([]wire.Family, error) {
	var out []wire.Family
	seen := map[wire.Family]bool{}
	all := false
	for _, st := range c.Children {
		if st.Block {
			return nil, errAt(st.Pos, "unexpected section in "+c.Keyword())
		}
		kw := st.Keyword()
		if kw == "all" {
			if all || len(out) > 0 {
				return nil, errAt(st.Pos, "all can not be used with any other options")
			}
			all = true
			out = append(out, wire.AllFamilies[:]...)
			continue
		}
		if kw == "minimal" {
			return nil, errAt(st.Pos, "family minimal is deprecated")
		}
		safis, ok := configFamilies[kw]
		if !ok {
			return nil, errAt(st.Pos, "unknown afi \""+kw+"\" (expected ipv4, ipv6, l2vpn, bgp-ls or all)")
		}
		if all {
			return nil, errAt(st.Pos, "can not add any family once family all is set")
		}
		w := st.Args()
		t, err := w.Value(kw, "a safi")
		if err != nil {
			return nil, err
		}
		f, ok := safis[strings.ToLower(t.Text)]
		if !ok {
			return nil, errAt(t.Pos, "invalid afi/safi pair "+kw+"/"+t.Text)
		}
		if seen[f] {
			return nil, errAt(t.Pos, "duplicate afi/safi pair "+kw+"/"+t.Text)
		}
		seen[f] = true
		out = append(out, f)
	}
	return out, nil
}

// capabilityBlock parses `capability { ... }` (configuration/capability.py).
func capabilityBlock(s *scope, c *Node) error {
	bare := map[string]bool{"nexthop": true, "asn4": true, "multi-session": true, "operational": true,
		"route-refresh": true, "aigp": true, "extended-message": true, "software-version": false}
	for _, st := range c.Children {
		if st.Block {
			return errAt(st.Pos, "unexpected section in capability")
		}
		kw := st.Keyword()
		w := st.Args()
		switch kw {
		case "add-path":
			t, err := w.Value(kw, "send, receive, send/receive or disable")
			if err != nil {
				return err
			}
			v, ok := map[string]uint8{"disable": 0, "disabled": 0, "receive": 1, "send": 2, "send/receive": 3}[strings.ToLower(t.Text)]
			if !ok {
				return errAt(t.Pos, "\""+t.Text+"\" is an invalid add-path (expected send, receive, send/receive or disable)")
			}
			s.capa[kw] = v
		case "graceful-restart":
			if w.Done() {
				s.capa[kw] = 0
				continue
			}
			t, _ := w.Next()
			if l := strings.ToLower(t.Text); l == "disable" || l == "disabled" || l == "false" {
				s.capa[kw] = -1
				continue
			}
			n, err := strconv.Atoi(t.Text)
			if err != nil || n < 0 || n > 65535 {
				return errAt(t.Pos, "\""+t.Text+"\" is an invalid graceful-restart time (expected 0..65535 or disable)")
			}
			s.capa[kw] = n
		default:
			def, ok := bare[kw]
			if !ok {
				return errAt(st.Pos, "unknown capability \""+kw+"\"")
			}
			b, err := boolValue(w, kw, def)
			if err != nil {
				return err
			}
			s.capa[kw] = b
		}
	}
	return nil
}

// nexthopBlock parses `nexthop { ipv4 unicast ipv6; }` (RFC 8950).
func nexthopBlock(s *scope, c *Node) error {
	safis := map[string]wire.SAFI{"unicast": wire.SAFIUnicast, "multicast": wire.SAFIMulticast, "nlri-mpls": wire.SAFIMPLS, "mpls-vpn": wire.SAFIVPN}
	for _, st := range c.Children {
		toks := st.Tokens()
		if st.Block || len(toks) != 3 {
			return errAt(st.Pos, "invalid nexthop entry (expected AFI SAFI NEXTHOP-AFI)")
		}
		afi, ok1 := wire.ParseAFI(toks[0].Text)
		safi, ok2 := safis[toks[1].Text]
		nh, ok3 := wire.ParseAFI(toks[2].Text)
		if !ok1 || !ok2 || !ok3 || (afi != wire.AFIIPv4 && afi != wire.AFIIPv6) || (nh != wire.AFIIPv4 && nh != wire.AFIIPv6) {
			return errAt(st.Pos, "invalid nexthop entry \""+tokensText(toks)+"\" (expected ipv4|ipv6 unicast|multicast|nlri-mpls|mpls-vpn ipv4|ipv6)")
		}
		s.nexthops = append(s.nexthops, NextHopTuple{Family: wire.Family{AFI: afi, SAFI: safi}, NextHopAFI: nh})
	}
	return nil
}

// apiBlock parses `api [NAME] { processes [ ... ]; neighbor-changes; send { ... } receive { ... } }`.
func apiBlock(c *Node) (APIBinding, error) {
	a := APIBinding{Pos: c.Pos}
	if len(c.Words) > 1 {
		a.Name = c.Words[1].Text
	}
	for _, st := range c.Children {
		kw := st.Keyword()
		w := st.Args()
		if st.Block {
			var m *MessageFlags
			switch kw {
			case "send":
				m = &a.Send
			case "receive":
				m = &a.Receive
			default:
				return a, errAt(st.Pos, "unknown api section \""+kw+"\" (expected send or receive)")
			}
			for _, f := range st.Children {
				b, err := boolValue(f.Args(), f.Keyword(), true)
				if err != nil {
					return a, err
				}
				p := map[string]*bool{"parsed": &m.Parsed, "packets": &m.Packets, "consolidate": &m.Consolidate,
					"open": &m.Open, "update": &m.Update, "notification": &m.Notification, "keepalive": &m.Keepalive,
					"refresh": &m.Refresh, "operational": &m.Operational}[f.Keyword()]
				if p == nil || f.Block {
					return a, errAt(f.Pos, "unknown api "+kw+" keyword \""+f.Keyword()+"\"")
				}
				*p = b
			}
			continue
		}
		switch kw {
		case "processes", "processes-match":
			ts, err := w.List(kw, "[ names ]")
			if err != nil {
				return a, err
			}
			for _, t := range ts {
				if kw == "processes" {
					a.Processes = append(a.Processes, t.Text)
					continue
				}
				if _, err := regexp.Compile(t.Text); err != nil {
					return a, errAt(t.Pos, "\""+t.Text+"\" is not a valid regex")
				}
				a.ProcessesMatch = append(a.ProcessesMatch, t.Text)
			}
		case "neighbor-changes", "negotiated", "fsm", "signal":
			b, err := boolValue(w, kw, true)
			if err != nil {
				return a, err
			}
			*map[string]*bool{"neighbor-changes": &a.NeighborChanges, "negotiated": &a.Negotiated, "fsm": &a.FSM, "signal": &a.Signal}[kw] = b
		default:
			return a, errAt(st.Pos, "unknown api keyword \""+kw+"\"")
		}
	}
	if len(a.Processes) > 0 && len(a.ProcessesMatch) > 0 {
		return a, errAt(c.Pos, "processes and processes-match are mutually exclusive")
	}
	return a, nil
}

// staticBlock parses `static { route ...; route P { ... } attributes ... nlri ...; }`.
func (l *loader) staticBlock(s *scope, c *Node) error {
	s.routes = slices.Grow(s.routes, len(c.Children))
	for _, st := range c.Children {
		var err error
		w := Words{end: st.End}
		toks := st.Tokens()
		kw := ""
		if len(toks) > 0 {
			w.toks, kw = toks[1:], toks[0].Text
		}
		switch {
		case kw == "route" && st.Block:
			s.routes, err = parseRouteBlock(st, routeOptions{}, s.routes)
		case kw == "route":
			s.routes, err = parseRouteLine(&w, routeOptions{}, s.routes)
		case (kw == "attributes" || kw == "attribute") && !st.Block:
			s.routes, err = parseAttributesLine(&w, routeOptions{}, s.routes)
		default:
			return errAt(st.Pos, "unknown static keyword \""+kw+"\" (expected route or attributes)")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// announceBlock parses `announce { ipv4 { unicast P ...; } ipv6 { ... } l2vpn { vpls ...; } }`.
func (l *loader) announceBlock(s *scope, c *Node) error {
	for _, afiNode := range c.Children {
		afiName := afiNode.Keyword()
		if !afiNode.Block {
			return errAt(afiNode.Pos, "unexpected \""+afiName+"\" in announce (expected ipv4 { }, ipv6 { } or l2vpn { })")
		}
		afi, ok := wire.ParseAFI(afiName)
		if !ok || afi == wire.AFIBGPLS {
			return errAt(afiNode.Pos, "unknown announce section \""+afiName+"\" (expected ipv4, ipv6 or l2vpn)")
		}
		for _, st := range afiNode.Children {
			if st.Block {
				return errAt(st.Pos, "unexpected section in announce "+afiName)
			}
			routes, err := l.familyRoute(afi, st.Tokens(), st.End, false)
			if err != nil {
				return err
			}
			s.routes = append(s.routes, routes...)
		}
	}
	return nil
}

// familyRoute parses `SAFI spec ...` for afi (announce blocks and the API's
// `announce ipv4 unicast ...`).
func (l *loader) familyRoute(afi wire.AFI, words []Token, end Pos, withdraw bool) ([]Route, error) {
	w := NewWords(words, end)
	st, ok := w.Next()
	if !ok {
		return nil, errAt(end, "missing safi")
	}
	safi, ok := wire.ParseSAFI(st.Text)
	fam := wire.Family{AFI: afi, SAFI: safi}
	if !ok || !fam.Known() || fam == wire.IPv4RTC || safi == wire.SAFIEVPN || afi == wire.AFIBGPLS {
		return nil, errAt(st.Pos, "unknown family \""+afi.String()+" "+st.Text+"\" for announce")
	}
	if name := grammarOfSAFI(safi); name != "" {
		g, ok := grammarFor(name)
		if !ok || g.Line == nil {
			if l != nil {
				l.cfg.Unparsed = append(l.cfg.Unparsed, st.Pos)
			}
			return nil, nil
		}
		return g.Line(fam, w, withdraw)
	}
	return parseRouteLine(w, routeOptions{family: &fam, withdraw: withdraw}, nil)
}

// operationalBlock parses `operational { asm afi ipv4 safi unicast advisory "..."; ... }`.
func operationalBlock(s *scope, c *Node) error {
	for _, st := range c.Children {
		kw := strings.ToLower(st.Keyword())
		switch kw {
		case "asm", "adm", "rpcq", "rpcp", "apcq", "apcp", "lpcq", "lpcp":
		default:
			return errAt(st.Pos, "unknown operational message \""+st.Keyword()+"\"")
		}
		o := Operational{Kind: kw}
		w := st.Args()
		var afi wire.AFI
		var safi wire.SAFI
		for !w.Done() {
			k, _ := w.Next()
			v, err := w.Value(k.Text, "a value")
			if err != nil {
				return err
			}
			switch k.Text {
			case "afi":
				a, ok := wire.ParseAFI(v.Text)
				if !ok {
					return errAt(v.Pos, "unknown afi \""+v.Text+"\"")
				}
				afi = a
			case "safi":
				sf, ok := wire.ParseSAFI(v.Text)
				if !ok {
					return errAt(v.Pos, "unknown safi \""+v.Text+"\"")
				}
				safi = sf
			case "advisory":
				o.Advisory = v.Text
			case "sequence":
				n, err := strconv.ParseUint(v.Text, 10, 32)
				if err != nil {
					return errAt(v.Pos, "invalid sequence \""+v.Text+"\"")
				}
				o.Sequence = uint32(n)
			case "counter":
				n, err := strconv.ParseUint(v.Text, 10, 64)
				if err != nil {
					return errAt(v.Pos, "invalid counter \""+v.Text+"\"")
				}
				o.Counter = n
			case "router-id":
				a, err := ipv4Value(NewWords([]Token{v}, v.Pos), "router-id")
				if err != nil {
					return err
				}
				o.RouterID = a
			default:
				return errAt(k.Pos, "unknown operational keyword \""+k.Text+"\"")
			}
		}
		o.Family = wire.Family{AFI: afi, SAFI: safi}
		s.ops = append(s.ops, o)
	}
	return nil
}
