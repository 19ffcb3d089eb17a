package format

import (
	"net/netip"

	"exago/wire"
)

// FamilyRenderer renders the NLRI of one family that package wire decodes
// into its own type (FlowSpec, EVPN, VPLS, MVPN, MUP, RTC, BGP-LS). The
// families engineer registers one per family from an init function in an
// api/format/family_*.go file:
//
//	func init() {
//		registerFamily(FamilyRenderer{JSON: flowJSON, Text: flowText}, wire.IPv4Flow, wire.IPv6Flow)
//	}
//
// The inet families (unicast, multicast, nlri-mpls, mpls-vpn) are rendered
// by nlri_inet.go and need no registration.
type FamilyRenderer struct {
	// JSON appends ExaBGP's nlri.json(compact) for n: usually an object
	// `{ ... }`, as it appears in an "announce"/"withdraw" list.
	JSON func(b []byte, n wire.NLRI, st Style) []byte
	// Text appends ExaBGP's nlri.extensive() without the next-hop part
	// (the text encoder and `show adj-rib` add it), e.g.
	// "flow destination-ipv4 10.0.0.1/32".
	Text func(b []byte, n wire.NLRI) []byte
	// JSONNextHop, when set, is used instead of JSON for announced NLRI:
	// it also gets the next hop the NLRI is announced with (invalid for
	// none), for kinds whose json() shows it (FlowSpec: "next-hop" and
	// "... next-hop X" in "string").
	JSONNextHop func(b []byte, n wire.NLRI, nh netip.Addr, st Style) []byte
	// TextNextHop, when set, is used instead of Text and the generic
	// " next-hop X" suffix for announced NLRI.
	TextNextHop func(b []byte, n wire.NLRI, nh netip.Addr) []byte
	// NLRIOnly, when set, appends what `exabgp decode -n` prints for one
	// NLRI (ExaBGP's nlri.json() with no compact argument); nil uses JSON.
	NLRIOnly func(b []byte, n wire.NLRI) []byte
	// DropMalformed: an NLRI the decoder reports as TreatAsWithdraw with
	// its length (well framed, malformed content) is dropped silently and
	// the next one decoded, as ExaBGP's Flow.unpack_nlri does (it returns
	// no NLRI); an UPDATE left with none is shown without that family,
	// or as an End-of-RIB when nothing else is left. Without it such an
	// NLRI is an error, as ExaBGP raises for the other families.
	DropMalformed bool
}

// Style is what an NLRI's JSON depends on besides the NLRI: api.compact
// and the [Dialect].
type Style struct {
	Compact bool
	Dialect Dialect
}

// familyRenderers is filled by init functions of family_*.go files and
// never changed afterwards (an immutable table, STYLE.md §13).
var familyRenderers = map[wire.Family]FamilyRenderer{}

// registerFamily plugs r in for the families fams.
func registerFamily(r FamilyRenderer, fams ...wire.Family) {
	for _, f := range fams {
		familyRenderers[f] = r
	}
}

// errNoRenderer is returned for a family no file renders yet.
func errNoRenderer(f wire.Family, off int) error {
	return &wire.NotifyError{Code: wire.CodeUpdate, Subcode: 0, Offset: off,
		Reason: "no renderer for family " + f.String() + " yet"}
}

// nlriIter walks the NLRI of one source.
type nlriIter struct {
	src  nlriSource // a copy: the iterator must not keep the update alive
	off  int
	inet bool
	cur  inetNLRI
	gen  wire.NLRI
	err  error
}

func newNLRIIter(s *nlriSource) nlriIter {
	return nlriIter{src: *s, inet: isInet(s.fam)}
}

// next decodes the next NLRI; false at the end or on error (see err).
// NLRI of a DropMalformed family that are malformed but framed are
// skipped.
func (it *nlriIter) next() bool {
	for {
		if it.err != nil || it.off >= len(it.src.data) {
			return false
		}
		rest := it.src.data[it.off:]
		var n int
		if it.inet {
			it.cur, n, it.err = parseInet(it.src.fam, rest, it.src.addPath, it.src.withdraw)
		} else {
			r, ok := familyRenderers[it.src.fam]
			if !ok {
				it.err = errNoRenderer(it.src.fam, it.src.base+it.off)
				return false
			}
			it.gen, n, it.err = wire.DecodeNLRI(it.src.fam, rest, it.src.addPath)
			if ne, isNE := it.err.(*wire.NotifyError); isNE && r.DropMalformed && ne.Action == wire.TreatAsWithdraw && n > 0 && n <= len(rest) {
				it.err = nil
				it.off += n
				continue // dropped silently, as ExaBGP
			}
		}
		if it.err != nil {
			if ne, ok := it.err.(*wire.NotifyError); ok {
				ne.Offset += it.src.base + it.off
			}
			return false
		}
		if n <= 0 {
			it.err = nlriErr("NLRI decoder consumed nothing", it.src.base+it.off)
			return false
		}
		it.off += n
		return true
	}
}

// empty reports whether the source holds no NLRI once the malformed ones
// of a DropMalformed family are dropped (false on a decoding error, which
// the renderers then report).
func (s *nlriSource) empty() bool {
	if isInet(s.fam) || !familyRenderers[s.fam].DropMalformed {
		return len(s.data) == 0
	}
	it := newNLRIIter(s)
	return !it.next() && it.err == nil
}

// appendJSON appends the current NLRI's JSON; nh is the next hop of an
// announced NLRI (invalid for withdrawn or none).
func (it *nlriIter) appendJSON(b []byte, st Style, nh netip.Addr) []byte {
	if it.inet {
		return it.cur.appendJSON(b, st.Compact)
	}
	r := familyRenderers[it.src.fam]
	if r.JSONNextHop != nil && !it.src.withdraw {
		return r.JSONNextHop(b, it.gen, nh, st)
	}
	return r.JSON(b, it.gen, st)
}

// appendText appends the current NLRI's extensive() text with next hop
// nh (invalid: none).
func (it *nlriIter) appendText(b []byte, nh netip.Addr) []byte {
	if it.inet {
		return it.cur.appendText(b, nh)
	}
	r := familyRenderers[it.src.fam]
	if r.TextNextHop != nil && !it.src.withdraw {
		return r.TextNextHop(b, it.gen, nh)
	}
	if r.Text == nil {
		b = r.JSON(b, it.gen, Style{})
	} else {
		b = r.Text(b, it.gen)
	}
	return appendNextHopText(b, nh)
}
