package config

import (
	"net/netip"
	"strconv"
	"strings"

	"exago/wire"
)

// ParsePrefix parses `a.b.c.d/len`, `x::/len` or a bare address (a host
// route). Host bits set is an error, as in ExaBGP.
func ParsePrefix(t Token) (netip.Prefix, error) {
	s := t.Text
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, errAt(t.Pos, "\""+s+"\" is not a valid prefix (expected ip/len)")
		}
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, errAt(t.Pos, "\""+s+"\" is not a valid prefix (expected ip/len)")
	}
	if p.Masked() != p {
		return netip.Prefix{}, errAt(t.Pos, "invalid network "+s+": host bits are set (expected "+p.Masked().String()+")")
	}
	return p, nil
}

// inetFamily is the family ExaBGP picks for a prefix: mpls-vpn with rd,
// nlri-mpls with label, multicast for IPv4 224/4, unicast otherwise.
func inetFamily(p netip.Prefix, hasRD, hasLabel bool) wire.Family {
	afi := wire.AFIIPv4
	if p.Addr().Is6() {
		afi = wire.AFIIPv6
	}
	switch {
	case hasRD:
		return wire.Family{AFI: afi, SAFI: wire.SAFIVPN}
	case hasLabel:
		return wire.Family{AFI: afi, SAFI: wire.SAFIMPLS}
	case afi == wire.AFIIPv4 && p.Addr().As4()[0] >= 224 && p.Addr().As4()[0] < 240:
		return wire.Family{AFI: afi, SAFI: wire.SAFIMulticast}
	}
	return wire.Family{AFI: afi, SAFI: wire.SAFIUnicast}
}

// routeOptions say how a route statement is read.
type routeOptions struct {
	withdraw bool         // API withdraw: next-hop optional
	family   *wire.Family // forced family (announce ipv4 unicast ...)
}

// parseRouteLine parses `PREFIX kw value ...` (after the word `route`).
func parseRouteLine(w *Words, opt routeOptions, dst []Route) ([]Route, error) {
	pt, ok := w.Next()
	if !ok {
		return nil, errAt(pt.Pos, "missing prefix after \"route\" (expected ip/len)")
	}
	p, err := ParsePrefix(pt)
	if err != nil {
		return nil, err
	}
	d := routeDraft{}
	d.route.Pos = pt.Pos
	for !w.Done() {
		kw, _ := w.Next()
		known, err := d.keyword(kw, w)
		if err != nil {
			return nil, err
		}
		if !known {
			return nil, errAt(kw.Pos, "unknown route keyword \""+kw.Text+"\"")
		}
	}
	return d.finish(pt, []netip.Prefix{p}, opt, dst)
}

// parseRouteBlock parses `route PREFIX { kw value; ... }`.
func parseRouteBlock(n *Node, opt routeOptions, dst []Route) ([]Route, error) {
	w := NewWords(n.Words[1:], n.End)
	pt, ok := w.Next()
	if !ok {
		return nil, errAt(n.Pos, "missing prefix after \"route\" (expected ip/len)")
	}
	p, err := ParsePrefix(pt)
	if err != nil {
		return nil, err
	}
	if !w.Done() {
		t, _ := w.Next()
		return nil, errAt(t.Pos, "unexpected \""+t.Text+"\" after the prefix (expected '{')")
	}
	d := routeDraft{}
	d.route.Pos = pt.Pos
	for _, c := range n.Children {
		if c.Block {
			return nil, errAt(c.Pos, "unexpected section \""+c.Keyword()+"\" in a route")
		}
		cw := Words{toks: c.Tokens(), end: c.End}
		for !cw.Done() {
			kw, _ := cw.Next()
			known, err := d.keyword(kw, &cw)
			if err != nil {
				return nil, err
			}
			if !known {
				return nil, errAt(kw.Pos, "unknown route keyword \""+kw.Text+"\"")
			}
		}
	}
	return d.finish(pt, []netip.Prefix{p}, opt, dst)
}

// parseAttributesLine parses `kw value ... nlri P1 P2 ...` (after the word
// `attributes`/`attribute`).
func parseAttributesLine(w *Words, opt routeOptions, dst []Route) ([]Route, error) {
	d := routeDraft{}
	d.route.Pos = w.Pos()
	sawNLRI := false
	for !w.Done() {
		kw, _ := w.Next()
		if kw.Text == "nlri" {
			sawNLRI = true
			break
		}
		known, err := d.keyword(kw, w)
		if err != nil {
			return nil, err
		}
		if !known {
			return nil, errAt(kw.Pos, "unknown attribute keyword \""+kw.Text+"\"")
		}
	}
	if !sawNLRI {
		return nil, errAt(w.Pos(), "missing \"nlri\" (expected attributes ... nlri PREFIX ...)")
	}
	var prefixes []netip.Prefix
	first := w.Pos()
	for !w.Done() {
		t, _ := w.Next()
		p, err := ParsePrefix(t)
		if err != nil {
			return nil, err
		}
		prefixes = append(prefixes, p)
	}
	if len(prefixes) == 0 {
		return nil, errAt(first, "no prefix after \"nlri\"")
	}
	return d.finish(Token{Pos: d.route.Pos}, prefixes, opt, dst)
}

// finish builds one Route per prefix (and per split sub-prefix) and
// checks ExaBGP's requirements (next-hop for unicast/multicast announces).
func (d *routeDraft) finish(at Token, prefixes []netip.Prefix, opt routeOptions, out []Route) ([]Route, error) {
	for _, p := range prefixes {
		fam := inetFamily(p, d.hasRD, d.hasLabels)
		if opt.family != nil {
			if opt.family.AFI != fam.AFI {
				return nil, errAt(at.Pos, "prefix "+p.String()+" is not of family "+opt.family.String())
			}
			fam = *opt.family
		}
		// ExaBGP only checks unicast/multicast here and then fails while
		// encoding a labeled or VPN route without next hop: reject those too.
		if !opt.withdraw && !d.route.NextHop.IsValid() && !d.route.NextHopSelf {
			return nil, errAt(at.Pos, "invalid route "+p.String()+" (missing next-hop)")
		}
		if (fam.SAFI == wire.SAFIMPLS || fam.SAFI == wire.SAFIVPN) && !d.hasLabels && !opt.withdraw {
			return nil, errAt(at.Pos, "invalid route "+p.String()+" (missing label)")
		}
		if fam.SAFI == wire.SAFIVPN && !d.hasRD {
			return nil, errAt(at.Pos, "invalid route "+p.String()+" (missing rd)")
		}
		if d.split > p.Bits() && d.split-p.Bits() > 20 {
			return nil, errAt(at.Pos, "split /"+strconv.Itoa(d.split)+" of "+p.String()+" would create more than 2^20 routes")
		}
		for _, sp := range splitPrefix(p, d.split) {
			r := d.route
			n := &wire.INET{Fam: fam, Prefix: sp, PathID: d.pathID, RD: d.rd}
			if d.hasLabels {
				n.Labels = append([]uint32(nil), d.labels...)
			}
			r.NLRI = n
			out = append(out, r)
		}
	}
	return out, nil
}

// splitPrefix expands p into its more-specifics of length bits (`split
// /bits`); p itself when bits is 0 or not longer than p.
func splitPrefix(p netip.Prefix, bits int) []netip.Prefix {
	if bits == 0 || bits <= p.Bits() || bits > p.Addr().BitLen() || bits-p.Bits() > 20 {
		return []netip.Prefix{p}
	}
	count := 1 << (bits - p.Bits())
	out := make([]netip.Prefix, 0, count)
	a := p.Addr()
	for i := 0; i < count; i++ {
		out = append(out, netip.PrefixFrom(a, bits))
		a = addPow2(a, a.BitLen()-bits)
	}
	return out
}

// addPow2 adds 2^shift to a.
func addPow2(a netip.Addr, shift int) netip.Addr {
	b := a.AsSlice()
	i := len(b) - 1 - shift/8
	carry := uint(1) << (shift % 8)
	for ; i >= 0 && carry > 0; i-- {
		v := uint(b[i]) + carry
		b[i] = byte(v)
		carry = v >> 8
	}
	r, _ := netip.AddrFromSlice(b)
	return r
}
