package config

// The "flow" grammar: `flow { route NAME { rd; next-hop; match {} then {}
// scope {} } }`, the one-line `route kw ...;`, and the API's `flow route
// ...` / `announce ipv4|ipv6 flow|flow-vpn ...` (ExaBGP configuration/flow/
// and announce/flow.py; RFC 8955, RFC 8956, RFC 5575 traffic actions).
//
// Ports take ExaBGP's service names (wire.PortNumber, the table the route
// text is printed with) or numbers.

import (
	"math"
	"net/netip"
	"strconv"
	"strings"

	"exago/wire"
)

func init() {
	RegisterGrammar("flow", Grammar{Section: flowSection, Line: flowLine})
}

// flowDraft collects one flow route.
type flowDraft struct {
	route   Route
	matches []wire.FlowMatch
	v6      bool
	hasV4   bool
	rd      wire.RD
	hasRD   bool
}

// flowSection parses a neighbor's `flow { ... }` section.
func flowSection(n *Node) ([]Route, error) {
	var out []Route
	for _, c := range n.Children {
		if c.Keyword() != "route" {
			return nil, errAt(c.Pos, "unknown flow statement \""+c.Keyword()+"\" (expected route)")
		}
		var d flowDraft
		d.route.Pos = c.Pos
		if !c.Block {
			w := c.Args()
			if err := d.words(w); err != nil {
				return nil, err
			}
		} else {
			if len(c.Words) > 1 {
				d.route.Name = c.Words[1].Text
			}
			if err := d.block(c); err != nil {
				return nil, err
			}
		}
		r, err := d.finish(c.Pos)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// flowLine parses the words of a one-line flow route (API and announce).
func flowLine(fam wire.Family, w *Words, withdraw bool) ([]Route, error) {
	w = flowAPIWords(w)
	var d flowDraft
	d.route.Pos = w.Pos()
	d.v6 = fam.AFI == wire.AFIIPv6
	if err := d.words(w); err != nil {
		return nil, err
	}
	r, err := d.finish(d.route.Pos)
	if err != nil {
		return nil, err
	}
	if fam.SAFI == wire.SAFIFlowVPN && !d.hasRD {
		return nil, errAt(d.route.Pos, "flow-vpn route without rd")
	}
	return []Route{r}, nil
}

// flowAPIWords drops literal "\n" and splits the ';' glued to API words (`announce flow route {
// match { source 10.0.0.1/32; } then { discard; } }`) into tokens of their
// own, which words() skips like the braces.
func flowAPIWords(w *Words) *Words {
	end := w.end
	rest := w.Rest()
	toks := make([]Token, 0, len(rest)+4)
	for _, t := range rest {
		if !t.Quoted && strings.Contains(t.Text, `\n`) {
			// etc/exabgp/run/dynamic-1.sh sends `{\n match {\n ...`.
			t.Text = strings.ReplaceAll(strings.ReplaceAll(t.Text, `\\n`, ""), `\n`, "")
			if t.Text == "" {
				continue
			}
		}
		if !t.Quoted && len(t.Text) > 1 && strings.HasSuffix(t.Text, ";") {
			semi := Token{Text: ";", Pos: t.Pos}
			t.Text = strings.TrimRight(t.Text, ";")
			toks = append(toks, t, semi)
			continue
		}
		toks = append(toks, t)
	}
	return NewWords(toks, end)
}

// block parses `route NAME { ... }`.
func (d *flowDraft) block(c *Node) error {
	for _, st := range c.Children {
		if st.Block {
			switch st.Keyword() {
			case "match", "then", "scope":
			default:
				return errAt(st.Pos, "unknown flow route section \""+st.Keyword()+"\" (expected match, then or scope)")
			}
			for _, s := range st.Children {
				if s.Block {
					return errAt(s.Pos, "unexpected section in flow "+st.Keyword())
				}
				if err := d.words(NewWords(s.Tokens(), s.End)); err != nil {
					return err
				}
			}
			continue
		}
		if err := d.words(NewWords(st.Tokens(), st.End)); err != nil {
			return err
		}
	}
	return nil
}

// words parses keyword/value pairs until w is exhausted. The words
// "match", "then", "scope" and braces (API forms) are ignored.
func (d *flowDraft) words(w *Words) error {
	for !w.Done() {
		kw, _ := w.Next()
		switch kw.Text {
		case "match", "then", "scope", "{", "}", ";":
			continue
		}
		known, err := d.keyword(kw, w)
		if err != nil {
			return err
		}
		if !known {
			return errAt(kw.Pos, "unknown flow keyword \""+kw.Text+"\"")
		}
	}
	return nil
}

// keyword parses one route, match, then or scope keyword.
func (d *flowDraft) keyword(kw Token, w *Words) (bool, error) {
	switch kw.Text {
	case "rd", "route-distinguisher":
		t, err := w.Value(kw.Text, "a route distinguisher")
		if err != nil {
			return true, err
		}
		rd, ok := ParseRD(t.Text)
		if !ok {
			return true, errAt(t.Pos, "\""+t.Text+"\" is not a valid route distinguisher")
		}
		d.rd, d.hasRD = rd, true
		return true, nil
	case "next-hop":
		return ParseAttribute(kw, w, &d.route)
	case "source", "source-ipv4", "source-ipv6":
		return true, d.prefix(wire.FlowSource, w, kw.Text)
	case "destination", "destination-ipv4", "destination-ipv6":
		return true, d.prefix(wire.FlowDestination, w, kw.Text)
	}
	if t, ok := flowMatchTypes[kw.Text]; ok {
		return true, d.condition(t, kw, w)
	}
	return d.then(kw, w)
}

// flowMatchTypes maps the operator keywords to component types.
var flowMatchTypes = map[string]uint8{
	"protocol": wire.FlowProtocol, "next-header": wire.FlowProtocol, "port": wire.FlowPort,
	"destination-port": wire.FlowDestinationPort, "source-port": wire.FlowSourcePort,
	"icmp-type": wire.FlowICMPType, "icmp-code": wire.FlowICMPCode, "tcp-flags": wire.FlowTCPFlags,
	"packet-length": wire.FlowPacketLength, "dscp": wire.FlowDSCP, "traffic-class": wire.FlowDSCP,
	"fragment": wire.FlowFragment, "flow-label": wire.FlowLabel,
}

// prefix parses `a.b.c.d/len` or `x::/len[/offset]`.
func (d *flowDraft) prefix(t uint8, w *Words, kw string) error {
	tok, err := w.Value(kw, "a prefix")
	if err != nil {
		return err
	}
	parts := strings.Split(tok.Text, "/")
	bad := errAt(tok.Pos, "\""+tok.Text+"\" is not a valid flow prefix (expected ip/len or ipv6/len/offset)")
	if len(parts) < 2 || len(parts) > 3 {
		return bad
	}
	a, err1 := netip.ParseAddr(parts[0])
	bits, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || bits < 0 || bits > a.BitLen() || (len(parts) == 3 && a.Is4()) {
		return bad
	}
	m := wire.FlowMatch{Type: t, Prefix: netip.PrefixFrom(a, bits)}
	if len(parts) == 3 {
		off, err := strconv.ParseUint(parts[2], 10, 8)
		if err != nil {
			return bad
		}
		m.Offset = uint8(off)
	}
	if a.Is6() {
		d.v6 = true
	} else {
		d.hasV4 = true
	}
	if d.v6 && d.hasV4 {
		return errAt(tok.Pos, "flow components are incompatible (mix of IPv4 and IPv6 prefixes)")
	}
	d.matches = append(d.matches, m)
	return nil
}

// condition parses `value`, `v1&v2` or `[ v1 v2&v3 ... ]` for component t:
// terms in one word are ANDed, words are ORed (flow/parser.py
// _generic_condition).
func (d *flowDraft) condition(t uint8, kw Token, w *Words) error {
	toks, err := w.List(kw.Text, "a value or [ values ]")
	if err != nil {
		return err
	}
	m := wire.FlowMatch{Type: t}
	for _, tok := range toks {
		terms := strings.Split(tok.Text, "&")
		for i, term := range terms {
			op, err := flowTerm(t, kw.Text, term, tok.Pos)
			if err != nil {
				return err
			}
			if i > 0 {
				op.Op |= wire.FlowOpAnd
			}
			m.Ops = append(m.Ops, op)
		}
	}
	if len(m.Ops) == 0 {
		return errAt(kw.Pos, "\""+kw.Text+"\" without any value")
	}
	d.matches = append(d.matches, m)
	return nil
}

// flowTerm parses one `[op]value` term.
func flowTerm(t uint8, kw, s string, p Pos) (wire.FlowOp, error) {
	var op uint8
	rest := s
	if wire.FlowIsBitmask(t) {
		switch {
		case strings.HasPrefix(s, "!="):
			op, rest = wire.FlowOpNot|wire.FlowOpMatch, s[2:]
		case strings.HasPrefix(s, "!"):
			op, rest = wire.FlowOpNot, s[1:]
		case strings.HasPrefix(s, "="):
			op, rest = wire.FlowOpMatch, s[1:]
		}
	} else {
		op, rest = flowNumericOp(s)
		if op == 7 || op == 0 {
			return wire.FlowOp{Op: op}, nil
		}
	}
	if rest == "" {
		return wire.FlowOp{}, errAt(p, "invalid "+kw+" expression \""+s+"\" (too short)")
	}
	v, msg := flowValue(t, rest)
	if msg != "" {
		return wire.FlowOp{}, errAt(p, "invalid "+kw+" value \""+rest+"\" ("+msg+")")
	}
	return wire.FlowOp{Op: op, Value: v}, nil
}

// flowNumericOp splits a numeric operator off s (bare means =).
func flowNumericOp(s string) (uint8, string) {
	l := strings.ToLower(s)
	switch {
	case strings.HasPrefix(l, "true"):
		return 7, s[4:]
	case strings.HasPrefix(l, "false"):
		return 0, s[5:]
	case strings.HasPrefix(s, ">="):
		return wire.FlowOpGT | wire.FlowOpEQ, s[2:]
	case strings.HasPrefix(s, "<="):
		return wire.FlowOpLT | wire.FlowOpEQ, s[2:]
	case strings.HasPrefix(s, "!="):
		return wire.FlowOpLT | wire.FlowOpGT, s[2:]
	case strings.HasPrefix(s, ">"):
		return wire.FlowOpGT, s[1:]
	case strings.HasPrefix(s, "<"):
		return wire.FlowOpLT, s[1:]
	case strings.HasPrefix(s, "="):
		return wire.FlowOpEQ, s[1:]
	}
	return wire.FlowOpEQ, s
}

// flowValue converts a value as the component's ExaBGP converter does:
// numbers, or names (protocols, ports, ICMP, TCP flags and fragments,
// '+'-joined for the bitmasks). The message is empty on success.
func flowValue(t uint8, s string) (uint64, string) {
	var max uint64
	switch t {
	case wire.FlowPacketLength, wire.FlowPort, wire.FlowDestinationPort, wire.FlowSourcePort:
		max = 0xFFFF
	case wire.FlowDSCP:
		max = 0xFFFF // traffic-class; dscp is checked below
	case wire.FlowLabel:
		max = 0xFFFFF
	default:
		max = 0xFFFF
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err == nil {
		if v > max {
			return 0, "value too large"
		}
		return v, ""
	}
	if isFlowPort(t) {
		// ExaBGP's whole service-name table, shared with what it prints.
		var sum uint64
		for _, part := range strings.Split(strings.ToLower(s), "+") {
			p, ok := wire.PortNumber(part)
			if !ok {
				return 0, "unknown name"
			}
			sum += uint64(p)
		}
		return sum, ""
	}
	names := flowNames(t)
	if names == nil {
		return 0, "expected a number"
	}
	var sum uint64
	for _, part := range strings.Split(strings.ToLower(s), "+") {
		x, ok := names[part]
		if !ok {
			n, err := strconv.ParseUint(part, 0, 16)
			if err != nil {
				return 0, "unknown name"
			}
			x = n
		}
		sum += x
	}
	return sum, ""
}

func isFlowPort(t uint8) bool {
	return t == wire.FlowPort || t == wire.FlowDestinationPort || t == wire.FlowSourcePort
}

// flowNames returns the names a component's values may take.
func flowNames(t uint8) map[string]uint64 {
	switch t {
	case wire.FlowProtocol:
		return flowProtocolNames
	case wire.FlowICMPType:
		return flowICMPTypeNames
	case wire.FlowICMPCode:
		return flowICMPCodeNames
	case wire.FlowTCPFlags:
		return flowTCPFlagNames
	case wire.FlowFragment:
		return flowFragmentNames
	}
	return nil
}

var flowProtocolNames = map[string]uint64{"icmp": 1, "igmp": 2, "tcp": 6, "egp": 8, "udp": 17, "rsvp": 46,
	"gre": 47, "esp": 50, "ah": 51, "ospf": 89, "ipip": 94, "pim": 103, "sctp": 132}

var flowTCPFlagNames = map[string]uint64{"fin": 1, "syn": 2, "rst": 4, "push": 8, "ack": 16, "urg": 32,
	"urgent": 32, "ece": 64, "cwr": 128, "ns": 256}

var flowFragmentNames = map[string]uint64{"dont-fragment": 1, "is-fragment": 2, "first-fragment": 4, "last-fragment": 8}

var flowICMPTypeNames = map[string]uint64{"echo-reply": 0, "unreachable": 3, "redirect": 5, "echo-request": 8,
	"router-advertisement": 9, "router-solicit": 10, "time-exceeded": 11, "parameter-problem": 12,
	"timestamp": 13, "timestamp-reply": 14, "photuris": 40, "experimental-mobility": 41,
	"extended-echo-request": 42, "extended-echo-reply": 43, "experimental-one": 253, "experimental-two": 254}

var flowICMPCodeNames = map[string]uint64{"network-unreachable": 0, "host-unreachable": 1,
	"protocol-unreachable": 2, "port-unreachable": 3, "fragmentation-needed": 4, "source-route-failed": 5,
	"destination-network-unknown": 6, "destination-host-unknown": 7, "source-host-isolated": 8,
	"destination-network-prohibited": 9, "destination-host-prohibited": 10, "network-unreachable-for-tos": 11,
	"host-unreachable-for-tos": 12, "communication-prohibited-by-filtering": 13,
	"host-precedence-violation": 14, "precedence-cutoff-in-effect": 15, "redirect-for-network": 0,
	"redirect-for-host": 1, "redirect-for-tos-and-net": 2, "redirect-for-tos-and-host": 3,
	"ttl-eq-zero-during-transit": 0, "ttl-eq-zero-during-reassembly": 1, "required-option-missing": 1,
	"ip-header-bad": 2}

// finish builds the route.
func (d *flowDraft) finish(p Pos) (Route, error) {
	fam := wire.IPv4Flow
	if d.v6 {
		fam = wire.IPv6Flow
	}
	if d.hasRD {
		fam.SAFI = wire.SAFIFlowVPN
	}
	for _, m := range d.matches {
		if m.Type == wire.FlowDSCP && !d.v6 && len(m.Ops) > 0 {
			for _, op := range m.Ops {
				if op.Value > 63 {
					return Route{}, errAt(p, "you tried to filter a flow using an invalid dscp for a component")
				}
			}
		}
		if (m.Type == wire.FlowLabel) && !d.v6 {
			return Route{}, errAt(p, "flow-label is an IPv6 component")
		}
	}
	f, err := wire.NewFlow(fam, d.rd, d.matches)
	if err != nil {
		return Route{}, errAt(p, err.Error())
	}
	d.route.NLRI = f
	return d.route, nil
}

// then parses the `then` and `scope` keywords (flow/parser.py).
func (d *flowDraft) then(kw Token, w *Words) (bool, error) {
	a := &d.route.Attrs
	switch kw.Text {
	case "accept":
		return true, nil
	case "discard":
		a.ExtCommunities = append(a.ExtCommunities, flowRate(0))
		return true, nil
	case "rate-limit":
		v, err := uintValue(w, "rate-limit", 64)
		if err != nil {
			return true, err
		}
		a.ExtCommunities = append(a.ExtCommunities, flowRate(min(v, 1000000000000)))
		return true, nil
	case "redirect":
		return true, d.redirect(w)
	case "redirect-to-nexthop":
		a.ExtCommunities = append(a.ExtCommunities, wire.ExtCommunity{0x08, 0x00})
		return true, nil
	case "redirect-to-nexthop-ietf":
		return true, d.nexthopIETF(kw, w)
	case "copy":
		t, err := w.Value(kw.Text, "an IP address")
		if err != nil {
			return true, err
		}
		ip, perr := netip.ParseAddr(t.Text)
		if perr != nil {
			return true, errAt(t.Pos, "\""+t.Text+"\" is not an IP address")
		}
		d.route.NextHop = ip
		a.ExtCommunities = append(a.ExtCommunities, wire.ExtCommunity{0x08, 0x00, 0, 0, 0, 0, 0, 1})
		return true, nil
	case "mark":
		v, err := uintValue(w, "mark", 8)
		if err != nil || v > 63 {
			return true, errAt(kw.Pos, "mark expects a dscp from 0 to 63")
		}
		a.ExtCommunities = append(a.ExtCommunities, wire.ExtCommunity{0x80, 0x09, 0, 0, 0, 0, 0, byte(v)})
		return true, nil
	case "action":
		t, err := w.Value(kw.Text, "sample, terminal or sample-terminal")
		if err != nil {
			return true, err
		}
		var bits byte
		if strings.Contains(t.Text, "sample") {
			bits |= 2
		}
		if strings.Contains(t.Text, "terminal") {
			bits |= 1
		}
		if bits == 0 {
			return true, errAt(t.Pos, "invalid flow action \""+t.Text+"\"")
		}
		a.ExtCommunities = append(a.ExtCommunities, wire.ExtCommunity{0x80, 0x07, 0, 0, 0, 0, 0, bits})
		return true, nil
	case "interface-set":
		return true, d.interfaceSet(w)
	case "community", "large-community", "extended-community":
		return ParseAttribute(kw, w, &d.route)
	}
	return false, nil
}

// nexthopIETF parses `redirect-to-nexthop-ietf IP`
// (draft-ietf-idr-flowspec-redirect-ip): an IPv4 address specific
// extended community, or for IPv6 an RFC 5701 one (attribute 25).
func (d *flowDraft) nexthopIETF(kw Token, w *Words) error {
	a := &d.route.Attrs
	t, err := w.Value(kw.Text, "an IP address")
	if err != nil {
		return err
	}
	ip, perr := netip.ParseAddr(t.Text)
	if perr != nil {
		return errAt(t.Pos, "\""+t.Text+"\" is not an IP address")
	}
	if ip.Is4() {
		v := ip.As4()
		a.ExtCommunities = append(a.ExtCommunities, wire.ExtCommunity{0x01, 0x0C, v[0], v[1], v[2], v[3]})
		return nil
	}
	// RFC 5701 IPv6 address specific extended community (attribute 25).
	v := ip.As16()
	c := append(append([]byte{0x00, 0x0C}, v[:]...), 0, 0)
	for i := range a.Other {
		if a.Other[i].Code == 25 {
			a.Other[i].Value = append(a.Other[i].Value, c...)
			return nil
		}
	}
	a.Other = append(a.Other, wire.RawAttr{Flags: wire.FlagOptional | wire.FlagTransitive, Code: 25, Value: c})
	return nil
}

// flowRate is the traffic-rate extended community (RFC 8955 §7.3).
func flowRate(bytes uint64) wire.ExtCommunity {
	f := math.Float32bits(float32(bytes))
	return wire.ExtCommunity{0x80, 0x06, 0, 0, byte(f >> 24), byte(f >> 16), byte(f >> 8), byte(f)}
}

// redirect parses `redirect ASN:NN | IP | [IPv6] | [IPv6]:NN`.
func (d *flowDraft) redirect(w *Words) error {
	t, err := w.Value("redirect", "asn:nn or an IP address")
	if err != nil {
		return err
	}
	s := t.Text
	simpson := wire.ExtCommunity{0x08, 0x00}
	if ip, err := netip.ParseAddr(strings.Trim(s, "[]")); err == nil {
		d.route.NextHop = ip
		d.route.Attrs.ExtCommunities = append(d.route.Attrs.ExtCommunities, simpson)
		return nil
	}
	i := strings.LastIndexByte(s, ':')
	if i <= 0 || strings.Contains(s[:i], ":") || strings.Contains(s[:i], ".") {
		return errAt(t.Pos, "\""+s+"\" is not a valid redirect (expected asn:nn or an IP address)")
	}
	asn, err1 := strconv.ParseUint(s[:i], 10, 32)
	nn, err2 := strconv.ParseUint(s[i+1:], 10, 32)
	if err1 != nil || err2 != nil {
		return errAt(t.Pos, "\""+s+"\" is not a valid redirect (expected asn:nn)")
	}
	var c wire.ExtCommunity
	if asn > 0xFFFF {
		if nn > 0xFFFF {
			return errAt(t.Pos, "asn is a 32 bits number, local administrator field can only be 16 bit")
		}
		c = wire.ExtCommunity{0x82, 0x08, byte(asn >> 24), byte(asn >> 16), byte(asn >> 8), byte(asn), byte(nn >> 8), byte(nn)}
	} else {
		c = wire.ExtCommunity{0x80, 0x08, byte(asn >> 8), byte(asn), byte(nn >> 24), byte(nn >> 16), byte(nn >> 8), byte(nn)}
	}
	d.route.Attrs.ExtCommunities = append(d.route.Attrs.ExtCommunities, c)
	return nil
}

// interfaceSet parses `interface-set trans:dir:asn:group` (single or list),
// draft-ietf-idr-flowspec-interfaceset.
func (d *flowDraft) interfaceSet(w *Words) error {
	toks, err := w.List("interface-set", "transitive|non-transitive:input|output|input-output:asn:group")
	if err != nil {
		return err
	}
	for _, t := range toks {
		p := strings.Split(t.Text, ":")
		bad := errAt(t.Pos, "\""+t.Text+"\" is not a valid interface-set")
		if len(p) != 4 {
			return bad
		}
		typ := byte(0x07)
		switch p[0] {
		case "transitive":
		case "non-transitive":
			typ |= 0x40
		default:
			return bad
		}
		dir := map[string]uint64{"input": 1, "output": 2, "input-output": 3}[p[1]]
		asn, err1 := strconv.ParseUint(p[2], 10, 32)
		group, err2 := strconv.ParseUint(p[3], 10, 14)
		if dir == 0 || err1 != nil || err2 != nil {
			return bad
		}
		v := dir<<14 | group
		d.route.Attrs.ExtCommunities = append(d.route.Attrs.ExtCommunities,
			wire.ExtCommunity{typ, 0x02, byte(asn >> 24), byte(asn >> 16), byte(asn >> 8), byte(asn), byte(v >> 8), byte(v)})
	}
	return nil
}
