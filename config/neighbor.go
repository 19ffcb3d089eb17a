package config

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"exago/wire"
)

// scope is what one neighbor or template block says, before templates are
// applied (ExaBGP's configuration/core/scope.py dictionary).
type scope struct {
	vals     map[string]any // neighbor keyword -> parsed value
	capa     map[string]any // capability keyword -> parsed value
	families []wire.Family
	famSet   bool
	addPath  []wire.Family
	nexthops []NextHopTuple
	nhBlock  bool
	apis     []APIBinding
	routes   []Route
	ops      []Operational
	inherit  []Token
}

// localAuto marks `local-address auto` and asAuto `local-as auto`.
type autoValue struct{}

func (l *loader) neighborScope(n *Node) (*scope, error) {
	s := &scope{vals: map[string]any{}, capa: map[string]any{}}
	for _, c := range n.Children {
		if err := l.neighborStatement(s, c); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// merge applies template t to s as Scope.transfer does: lists are
// appended, scalar values from the template win (ExaBGP quirk).
func (s *scope) merge(t *scope) {
	for k, v := range t.vals {
		s.vals[k] = v
	}
	for k, v := range t.capa {
		s.capa[k] = v
	}
	s.families = append(s.families, t.families...)
	s.famSet = s.famSet || t.famSet
	s.addPath = append(s.addPath, t.addPath...)
	s.nexthops = append(s.nexthops, t.nexthops...)
	s.nhBlock = s.nhBlock || t.nhBlock
	s.apis = append(s.apis, t.apis...)
	if len(s.routes) == 0 {
		// Shared, not copied: neighbors inheriting one template's routes
		// use one read-only slice (clipped, so a later append copies).
		// finishNeighbor copies it before anything per neighbor changes it.
		s.routes = slices.Clip(t.routes)
	} else {
		s.routes = append(s.routes, t.routes...)
	}
	s.ops = append(s.ops, t.ops...)
}

// bareDefaults are the values of neighbor keywords written with no value
// (ParseNeighbor.default; several are counter-intuitive).
var bareDefaults = map[string]bool{
	"md5-base64": false, "passive": true, "group-updates": true, "auto-flush": true,
	"adj-rib-out": false, "adj-rib-in": false, "manual-eor": false,
}

// neighborStatement parses one statement of a neighbor or template block.
// It is long because it is the keyword table itself (one case per ExaBGP
// neighbor keyword, configuration/neighbor/__init__.py known).
func (l *loader) neighborStatement(s *scope, c *Node) error {
	kw := c.Keyword()
	if c.Block {
		return l.neighborSection(s, c)
	}
	w := c.Args()
	var v any
	var err error
	switch kw {
	case "inherit":
		ts, err := w.List("inherit", "a template name or [ names ]")
		if err != nil {
			return err
		}
		s.inherit = append(s.inherit, ts...)
		return nil
	case "description", "source-interface", "md5-password":
		if w.Done() {
			return errAt(c.End, "missing value after \""+kw+"\"")
		}
		var parts []string
		for _, t := range w.Rest() {
			parts = append(parts, t.Text)
		}
		v = strings.Join(parts, " ")
	case "host-name", "domain-name":
		var t Token
		if t, err = w.Value(kw, "a DNS name"); err == nil {
			if !validHostName(t.Text) {
				err = errAt(t.Pos, "bad "+kw+" \""+t.Text+"\" (expected letters, digits, '.' and '-', at most 255)")
			}
			v = t.Text
		}
	case "router-id":
		v, err = ipv4Value(w, kw)
	case "local-address":
		var t Token
		if t, err = w.Value(kw, "an IP address or auto"); err == nil {
			if t.Text == "auto" {
				v = autoValue{}
			} else if a, perr := netip.ParseAddr(t.Text); perr == nil {
				v = a
			} else {
				err = errAt(t.Pos, "\""+t.Text+"\" is an invalid IP address (expected an IP address or auto)")
			}
		}
	case "md5-ip":
		var t Token
		if t, err = w.Value(kw, "an IP address"); err == nil {
			if a, perr := netip.ParseAddr(t.Text); perr == nil {
				v = a
			} else {
				err = errAt(t.Pos, "\""+t.Text+"\" is an invalid IP address")
			}
		}
	case "peer-address":
		var t Token
		if t, err = w.Value(kw, "an IP address"); err == nil {
			v, err = peerPrefix(t)
		}
	case "local-as", "peer-as":
		var t Token
		if t, err = w.Value(kw, "an ASN or auto"); err == nil {
			if t.Text == "auto" {
				v = ASN{Auto: true}
			} else if n, ok := ParseASN(t.Text); ok {
				v = ASN{Value: n}
			} else {
				err = errAt(t.Pos, "\""+t.Text+"\" is an invalid ASN (expected 0..4294967295, H.L or auto)")
			}
		}
	case "hold-time":
		var t Token
		if t, err = w.Value(kw, "0 or 3..65535 seconds"); err == nil {
			n, perr := strconv.Atoi(t.Text)
			if perr != nil || n < 0 || (n > 0 && n < 3) || n > 65535 {
				err = errAt(t.Pos, "\""+t.Text+"\" is an invalid hold-time (expected 0 or 3..65535)")
			}
			v = n
		}
	case "rate-limit":
		var t Token
		if t, err = w.Value(kw, "a number of messages per second or disable"); err == nil {
			if l := strings.ToLower(t.Text); l == "disable" || l == "disabled" {
				v = 0
			} else if n, perr := strconv.Atoi(t.Text); perr == nil && n > 0 {
				v = n
			} else {
				err = errAt(t.Pos, "\""+t.Text+"\" is an invalid rate-limit (expected a positive number or disable)")
			}
		}
	case "listen", "connect":
		var t Token
		if t, err = w.Value(kw, "a port number"); err == nil {
			n, perr := strconv.Atoi(t.Text)
			if perr != nil || n < 0 || n > 65535 {
				err = errAt(t.Pos, "\""+t.Text+"\" is an invalid port (expected 0..65535)")
			}
			v = n
		}
	case "outgoing-ttl", "incoming-ttl":
		var t Token
		if t, err = w.Value(kw, "a TTL 1..255 or disable"); err == nil {
			if l := strings.ToLower(t.Text); l == "false" || l == "disable" || l == "disabled" {
				v = 0
			} else if n, perr := strconv.Atoi(t.Text); perr == nil && n >= 0 && n <= 255 {
				v = n
			} else {
				err = errAt(t.Pos, "invalid "+kw+" \""+t.Text+"\" (expected 0..255 or disable)")
			}
		}
	case "md5-base64":
		if !w.Done() && strings.ToLower(w.Peek()) == "auto" {
			v = "auto"
		} else {
			var b bool
			b, err = boolValue(w, kw, false)
			v = strconv.FormatBool(b)
		}
	case "passive", "group-updates", "auto-flush", "adj-rib-out", "adj-rib-in", "manual-eor":
		v, err = boolValue(w, kw, bareDefaults[kw])
	case "ttl-security", "include", "group":
		return errAt(c.Pos, "\""+kw+"\" is not supported by ExaBGP 5.0")
	default:
		return errAt(c.Pos, "unknown neighbor keyword \""+kw+"\"")
	}
	if err != nil {
		return err
	}
	if kw != "description" && kw != "source-interface" && kw != "md5-password" && !w.Done() {
		t, _ := w.Next()
		return errAt(t.Pos, "unexpected \""+t.Text+"\" after "+kw+" (expected ';')")
	}
	s.vals[kw] = v
	return nil
}

func validHostName(s string) bool {
	if s == "" || len(s) > 255 || strings.Contains(s, "..") {
		return false
	}
	alnum := func(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
	if !alnum(s[0]) || !alnum(s[len(s)-1]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !alnum(s[i]) && s[i] != '.' && s[i] != '-' {
			return false
		}
	}
	return true
}

func ipv4Value(w *Words, kw string) (netip.Addr, error) {
	t, err := w.Value(kw, "an IPv4 address")
	if err != nil {
		return netip.Addr{}, err
	}
	a, perr := netip.ParseAddr(t.Text)
	if perr != nil || !a.Is4() {
		return netip.Addr{}, errAt(t.Pos, "\""+t.Text+"\" is an invalid "+kw+" (expected an IPv4 address)")
	}
	return a, nil
}

// peerPrefix parses a peer address: IP or IP/len (a range).
func peerPrefix(t Token) (netip.Prefix, error) {
	s := t.Text
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, errAt(t.Pos, "\""+s+"\" is an invalid IP address (expected IP or IP/len)")
		}
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, errAt(t.Pos, "\""+s+"\" is an invalid IP address (expected IP or IP/len)")
	}
	return p, nil
}

// neighbor parses a `neighbor IP { ... }` block, applies its templates,
// validates it and adds it to the configuration.
func (l *loader) neighbor(n *Node) error {
	if len(n.Words) != 2 {
		return errAt(n.Pos, "invalid neighbor (expected neighbor IP { ... })")
	}
	peer, err := peerPrefix(n.Words[1])
	if err != nil {
		return err
	}
	s, err := l.neighborScope(n)
	if err != nil {
		return err
	}
	if _, ok := s.vals["peer-address"]; !ok {
		s.vals["peer-address"] = peer
	}
	for _, t := range s.inherit {
		tpl, ok := l.templates[t.Text]
		if !ok {
			return errAt(t.Pos, "unknown template \""+t.Text+"\" (templates must be defined before use)")
		}
		s.merge(tpl)
	}
	nb, err := l.finishNeighbor(n, s)
	if err != nil {
		return err
	}
	l.cfg.Neighbors = append(l.cfg.Neighbors, nb)
	return nil
}
