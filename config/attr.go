package config

import (
	"encoding/binary"
	"encoding/hex"
	"net/netip"
	"strconv"
	"strings"

	"exago/wire"
)

// routeDraft collects what the keywords of one route set before the NLRI
// objects are built.
type routeDraft struct {
	route     Route
	labels    []uint32
	hasLabels bool
	rd        wire.RD
	hasRD     bool
	pathID    uint32
	hasPathID bool
	split     int // 0: no split
}

// ParseAttribute consumes one route keyword (`next-hop`, `origin`,
// `community`, `label`, `rd`, ...) and its value from w into r. It returns
// false (and consumes nothing) when kw is not a route keyword. afi is the
// family of the prefix, for `next-hop self` and IPv4-mapped next hops.
// Family grammars use it for the attributes they share with inet routes.
func ParseAttribute(kw Token, w *Words, r *Route) (bool, error) {
	var d routeDraft
	d.route = *r
	ok, err := d.keyword(kw, w)
	*r = d.route
	return ok, err
}

// keyword parses one keyword of the static route grammar
// (configuration/static/route.py ParseStaticRoute.known). It is long
// because it is the keyword table: one short case per keyword.
func (d *routeDraft) keyword(kw Token, w *Words) (bool, error) {
	a := &d.route.Attrs
	switch kw.Text {
	case "next-hop":
		t, err := w.Value("next-hop", "an IP address or self")
		if err != nil {
			return true, err
		}
		if strings.ToLower(t.Text) == "self" {
			d.route.NextHopSelf, d.route.NextHop = true, netip.Addr{}
			return true, nil
		}
		ip, err := netip.ParseAddr(t.Text)
		if err != nil {
			return true, errAt(t.Pos, "\""+t.Text+"\" is an invalid next-hop (expected an IP address or self)")
		}
		d.route.NextHop, d.route.NextHopSelf = ip, false
	case "origin":
		t, err := w.Value("origin", "igp, egp or incomplete")
		if err != nil {
			return true, err
		}
		switch strings.ToLower(t.Text) {
		case "igp":
			a.Origin = wire.OriginIGP
		case "egp":
			a.Origin = wire.OriginEGP
		case "incomplete":
			a.Origin = wire.OriginIncomplete
		default:
			return true, errAt(t.Pos, "unknown origin \""+t.Text+"\" (expected igp, egp or incomplete)")
		}
		a.HasOrigin = true
	case "med":
		v, err := uintValue(w, "med", 32)
		if err != nil {
			return true, err
		}
		a.HasMED, a.MED = true, uint32(v)
	case "local-preference":
		v, err := uintValue(w, "local-preference", 32)
		if err != nil {
			return true, err
		}
		a.HasLocalPref, a.LocalPref = true, uint32(v)
	case "as-path":
		segs, err := parseASPath(w)
		if err != nil {
			return true, err
		}
		a.HasASPath, a.ASPath = true, segs
	case "atomic-aggregate":
		a.AtomicAggregate = true
	case "aggregator":
		agg, err := parseAggregator(w)
		if err != nil {
			return true, err
		}
		a.HasAggregator, a.Aggregator = true, agg
	case "originator-id":
		t, err := w.Value("originator-id", "an IPv4 address")
		if err != nil {
			return true, err
		}
		ip, err := netip.ParseAddr(t.Text)
		if err != nil || !ip.Is4() {
			return true, errAt(t.Pos, "invalid originator-id \""+t.Text+"\" (expected an IPv4 address)")
		}
		a.HasOriginatorID, a.OriginatorID = true, ip
	case "cluster-list":
		ts, err := w.List("cluster-list", "an IPv4 address or [ addresses ]")
		if err != nil {
			return true, err
		}
		if len(ts) == 0 {
			return true, errAt(kw.Pos, "no cluster-id in the cluster list")
		}
		for _, t := range ts {
			ip, err := netip.ParseAddr(t.Text)
			if err != nil || !ip.Is4() {
				return true, errAt(t.Pos, "invalid cluster-id \""+t.Text+"\" (expected an IPv4 address)")
			}
			a.ClusterList = append(a.ClusterList, ip)
		}
	case "community":
		return true, parseCommunities(w, a)
	case "large-community":
		return true, parseLargeCommunities(w, a)
	case "extended-community":
		return true, parseExtCommunities(w, a)
	case "aigp":
		t, err := w.Value("aigp", "a decimal or 0x hexadecimal number")
		if err != nil {
			return true, err
		}
		v, err := strconv.ParseUint(t.Text, 0, 64)
		if err != nil {
			return true, errAt(t.Pos, "invalid aigp \""+t.Text+"\" (expected a decimal or 0x hexadecimal number)")
		}
		a.HasAIGP, a.AIGP = true, v
	case "attribute":
		raw, err := parseGenericAttribute(w)
		if err != nil {
			return true, err
		}
		a.Other = append(a.Other, raw)
	case "bgp-prefix-sid":
		raw, err := parsePrefixSID(w)
		if err != nil {
			return true, err
		}
		a.Other = append(a.Other, raw)
	case "bgp-prefix-sid-srv6":
		raw, err := parsePrefixSIDSRv6(w)
		if err != nil {
			return true, err
		}
		a.Other = append(a.Other, raw)
	case "label":
		ts, err := w.List("label", "a label or [ labels ]")
		if err != nil {
			return true, err
		}
		d.labels = d.labels[:0]
		for _, t := range ts {
			v, err := strconv.ParseUint(t.Text, 10, 20)
			if err != nil {
				return true, errAt(t.Pos, "invalid label \""+t.Text+"\" (expected a number below 1048576)")
			}
			d.labels = append(d.labels, uint32(v))
		}
		d.hasLabels = true
	case "rd", "route-distinguisher":
		t, err := w.Value(kw.Text, "a route distinguisher (ip:n, asn:n)")
		if err != nil {
			return true, err
		}
		rd, ok := ParseRD(t.Text)
		if !ok {
			return true, errAt(t.Pos, "invalid route-distinguisher \""+t.Text+"\" (expected ip:n, asn16:n32 or asn32:n16)")
		}
		d.rd, d.hasRD = rd, true
	case "path-information":
		t, err := w.Value("path-information", "a number or an IPv4-formatted id")
		if err != nil {
			return true, err
		}
		v, ok := parsePathID(t.Text)
		if !ok {
			return true, errAt(t.Pos, "invalid path-information \""+t.Text+"\" (expected a number or an IPv4-formatted id)")
		}
		d.pathID, d.hasPathID = v, true
	case "name":
		t, err := w.Value("name", "a name")
		if err != nil {
			return true, err
		}
		d.route.Name = t.Text
	case "split":
		t, err := w.Value("split", "/<length>")
		if err != nil {
			return true, err
		}
		n, err := strconv.Atoi(strings.TrimPrefix(t.Text, "/"))
		if !strings.HasPrefix(t.Text, "/") || err != nil || n < 0 || n > 128 {
			return true, errAt(t.Pos, "invalid split \""+t.Text+"\" (expected /<length>)")
		}
		d.split = n
	case "watchdog":
		t, err := w.Value("watchdog", "a watchdog name")
		if err != nil {
			return true, err
		}
		if l := strings.ToLower(t.Text); l == "announce" || l == "withdraw" {
			return true, errAt(t.Pos, "invalid watchdog name \""+t.Text+"\" (announce and withdraw are reserved)")
		}
		d.route.Watchdog = t.Text
	case "withdraw":
		d.route.Withdrawn = true
	default:
		return false, nil
	}
	return true, nil
}

func parsePathID(s string) (uint32, bool) {
	if v, err := strconv.ParseUint(s, 10, 32); err == nil {
		return uint32(v), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return 0, false
	}
	return binary.BigEndian.Uint32(a.AsSlice()), true
}

func uintValue(w *Words, kw string, bits int) (uint64, error) {
	t, err := w.Value(kw, "a number")
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseUint(t.Text, 10, bits)
	if err != nil {
		return 0, errAt(t.Pos, "invalid "+kw+" \""+t.Text+"\" (expected a number below 2^"+strconv.Itoa(bits)+")")
	}
	return v, nil
}

// ParseASN parses a 4-octet ASN written as N or asdot H.L.
func ParseASN(s string) (uint32, bool) {
	s = strings.TrimSuffix(strings.ToLower(s), "as")
	if h, l, ok := strings.Cut(s, "."); ok {
		hv, e1 := strconv.ParseUint(h, 10, 16)
		lv, e2 := strconv.ParseUint(l, 10, 16)
		if e1 != nil || e2 != nil {
			return 0, false
		}
		return uint32(hv<<16 | lv), true
	}
	v, err := strconv.ParseUint(s, 10, 32)
	return uint32(v), err == nil
}

// parseASPath parses an as-path value with the grammar ExaBGP 5.0 really
// accepts (static/parser.py as_path, fed by its tokeniser):
//
//   - one or more segments, concatenated: `[ a b ]` is an AS_SEQUENCE,
//     `( a b )` an AS_SET, e.g. `[ 1 2 ] ( 3 4 ) [ 5 ]`;
//   - a segment is closed by `]` or `)` whichever it was opened with
//     (ExaBGP does not match them), commas inside are ignored, an empty
//     segment is allowed (it encodes to nothing);
//   - an ASN is plain (0..4294967295) or dotted (0..65535.0..65535).
//
// Rejected as ExaBGP rejects them: any `{` or `}` (ExaBGP's tokeniser ends
// the statement there, so the `[ { a b } ]` / `( { a } )` confederation
// forms its parser has code for can never be written, nor a set nested in
// a sequence such as `[ 1 2 { 3 4 } ]`), a nested `[` or `(`, and a bare
// ASN without brackets (ExaBGP builds an AS_PATH it can neither print nor
// encode: the configuration fails to load, the API answers error).
func parseASPath(w *Words) ([]wire.ASSegment, error) {
	t, ok := w.Next()
	if !ok {
		return nil, errAt(t.Pos, "missing value after \"as-path\" (expected [ ASNs ] or ( ASNs ))")
	}
	if t.Quoted || (t.Text != "[" && t.Text != "(") {
		if _, ok := asPathASN(t); ok {
			return nil, errAt(t.Pos, "as-path "+t.Text+" is not supported, write it as a sequence: as-path [ "+t.Text+" ]")
		}
		return nil, errAt(t.Pos, "could not parse as-path: \""+t.Text+"\" (expected [ ASNs ] or ( ASNs ))")
	}
	segs := []wire.ASSegment{}
	for {
		seg := wire.ASSegment{Type: wire.ASSequence, ASNs: []uint32{}}
		if t.Text == "(" {
			seg.Type = wire.ASSet
		}
	segment:
		for {
			v, ok := w.Next()
			if !ok {
				return nil, errAt(v.Pos, "as-path is not closed (expected ']' or ')')")
			}
			if !v.Quoted {
				switch v.Text {
				case ",":
					continue
				case "]", ")":
					break segment
				case "{", "}":
					return nil, errAt(v.Pos, "could not parse as-path: '"+v.Text+"' is not allowed in an as-path (confederation and nested segments can not be written)")
				default:
					if i := strings.IndexAny(v.Text, "{}"); i >= 0 {
						return nil, errAt(v.Pos, "could not parse as-path: '"+v.Text[i:i+1]+"' is not allowed in an as-path (confederation and nested segments can not be written)")
					}
				case "[", "(":
					return nil, errAt(v.Pos, "could not parse as-path: segments can not be nested")
				}
			}
			asn, ok := asPathASN(v)
			if !ok {
				return nil, errAt(v.Pos, "invalid ASN \""+v.Text+"\" in as-path")
			}
			seg.ASNs = append(seg.ASNs, asn)
		}
		segs = append(segs, seg)
		if p := w.Peek(); p != "[" && p != "(" {
			return segs, nil
		}
		t, _ = w.Next()
	}
}

// asPathASN parses one as-path ASN as ExaBGP's ASN.from_string: ASCII
// decimal digits only, plain 0..4294967295 or dotted 0..65535.0..65535.
func asPathASN(t Token) (uint32, bool) {
	digits := func(s string) bool {
		if s == "" {
			return false
		}
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return true
	}
	s := t.Text
	if h, l, ok := strings.Cut(s, "."); ok {
		if !digits(h) || !digits(l) {
			return 0, false
		}
		hv, e1 := strconv.ParseUint(h, 10, 16)
		lv, e2 := strconv.ParseUint(l, 10, 16)
		if e1 != nil || e2 != nil {
			return 0, false
		}
		return uint32(hv<<16 | lv), true
	}
	if !digits(s) {
		return 0, false
	}
	v, err := strconv.ParseUint(s, 10, 32)
	return uint32(v), err == nil
}

// parseAggregator parses `( asn:ip )` or `asn:ip`.
func parseAggregator(w *Words) (wire.Aggregator, error) {
	t, err := w.Value("aggregator", "( asn:ipv4 )")
	paren := false
	if err != nil && t.Text == "(" {
		paren = true
		t, err = w.Value("aggregator", "asn:ipv4")
	}
	if err != nil {
		return wire.Aggregator{}, err
	}
	asn, ip, ok := strings.Cut(t.Text, ":")
	n, ok2 := ParseASN(asn)
	addr, err := netip.ParseAddr(ip)
	if !ok || !ok2 || err != nil || !addr.Is4() {
		return wire.Aggregator{}, errAt(t.Pos, "invalid aggregator \""+t.Text+"\" (expected asn:ipv4)")
	}
	if paren {
		if c, _ := w.Next(); c.Text != ")" {
			return wire.Aggregator{}, errAt(c.Pos, "invalid aggregator (expected ')')")
		}
	}
	return wire.Aggregator{ASN: n, Addr: addr}, nil
}

// parseGenericAttribute parses `[ 0xCODE 0xFLAG 0xDATA ]`.
func parseGenericAttribute(w *Words) (wire.RawAttr, error) {
	ts, err := w.List("attribute", "[ 0xCODE 0xFLAGS 0xDATA ]")
	if err != nil {
		return wire.RawAttr{}, err
	}
	if len(ts) != 3 {
		p := w.Pos()
		if len(ts) > 0 {
			p = ts[0].Pos
		}
		return wire.RawAttr{}, errAt(p, "invalid attribute (expected [ 0xCODE 0xFLAGS 0xDATA ])")
	}
	hexByte := func(t Token, what string) (uint8, error) {
		if !strings.HasPrefix(strings.ToLower(t.Text), "0x") {
			return 0, errAt(t.Pos, "invalid attribute, "+what+" is not 0x hexadecimal")
		}
		v, err := strconv.ParseUint(t.Text[2:], 16, 8)
		if err != nil {
			return 0, errAt(t.Pos, "invalid attribute, "+what+" is not 0x hexadecimal")
		}
		return uint8(v), nil
	}
	code, err := hexByte(ts[0], "code")
	if err != nil {
		return wire.RawAttr{}, err
	}
	flag, err := hexByte(ts[1], "flag")
	if err != nil {
		return wire.RawAttr{}, err
	}
	d := ts[2].Text
	if !strings.HasPrefix(strings.ToLower(d), "0x") {
		return wire.RawAttr{}, errAt(ts[2].Pos, "invalid attribute, data is not 0x hexadecimal")
	}
	data, err := hex.DecodeString(d[2:])
	if err != nil {
		return wire.RawAttr{}, errAt(ts[2].Pos, "invalid attribute, data is not 0x hexadecimal")
	}
	return wire.RawAttr{Flags: flag, Code: code, Value: data}, nil
}
