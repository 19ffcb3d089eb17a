package config

// The "mup" grammar (draft-mpmz-bess-mup-safi) and the "mcast-vpn" grammar
// (RFC 6514): `announce { ipv4|ipv6 { mup ...; mcast-vpn ...; } }` and the
// API's `announce|withdraw ipv4|ipv6 mup|mcast-vpn ...` (ExaBGP
// configuration/announce/mup.py, mvpn.py, static/mpls.py):
//
//	mup-isd PREFIX rd RD
//	mup-dsd IP rd RD
//	mup-t1st PREFIX rd RD teid N qfi N endpoint IP [source IP]
//	mup-t2st IP rd RD teid N/BITS
//	source-ad source IP group IP rd RD
//	source-join source IP group IP rd RD source-as N
//	shared-join rp IP group IP rd RD source-as N
//
// followed by next-hop and the attributes of static routes.

import (
	"net/netip"
	"strconv"
	"strings"

	"exago/wire"
)

func init() {
	RegisterGrammar("mup", Grammar{Line: mupLine})
	RegisterGrammar("mcast-vpn", Grammar{Line: mvpnLine})
}

// famWords is a cursor helper for the fixed-order route specs.
type famWords struct {
	w   *Words
	afi wire.AFI
}

// expect consumes keyword kw.
func (f famWords) expect(kw string) error {
	t, ok := f.w.Next()
	if !ok || t.Text != kw {
		return errAt(t.Pos, "expected \""+kw+"\", found \""+t.Text+"\"")
	}
	return nil
}

// addr consumes an address of the family.
func (f famWords) addr(kw string) (netip.Addr, error) {
	t, err := f.w.Value(kw, "an IP address")
	if err != nil {
		return netip.Addr{}, err
	}
	a, perr := netip.ParseAddr(t.Text)
	if perr != nil || a.Is4() != (f.afi == wire.AFIIPv4) {
		return a, errAt(t.Pos, "\""+t.Text+"\" is not an "+f.afi.String()+" address")
	}
	return a, nil
}

// prefix consumes an ip/len prefix.
func (f famWords) prefix(kw string) (netip.Prefix, error) {
	t, err := f.w.Value(kw, "a prefix")
	if err != nil {
		return netip.Prefix{}, err
	}
	return ParsePrefix(t)
}

// rd consumes `rd RD`.
func (f famWords) rd() (wire.RD, error) {
	if err := f.expect("rd"); err != nil {
		return wire.RD{}, err
	}
	t, err := f.w.Value("rd", "a route distinguisher")
	if err != nil {
		return wire.RD{}, err
	}
	rd, ok := ParseRD(t.Text)
	if !ok {
		return rd, errAt(t.Pos, "\""+t.Text+"\" is not a valid route distinguisher")
	}
	return rd, nil
}

// number consumes `kw N` with N of at most bits bits.
func (f famWords) number(kw string, bits int) (uint64, error) {
	if err := f.expect(kw); err != nil {
		return 0, err
	}
	return uintValue(f.w, kw, bits)
}

// famTail parses the attributes after the spec and checks the next hop.
func famTail(r *Route, w *Words, withdraw bool, what string) error {
	for !w.Done() {
		kw, _ := w.Next()
		known, err := ParseAttribute(kw, w, r)
		if err != nil {
			return err
		}
		if !known {
			return errAt(kw.Pos, "unknown "+what+" keyword \""+kw.Text+"\"")
		}
	}
	if !withdraw && !r.NextHop.IsValid() && !r.NextHopSelf {
		return errAt(r.Pos, "invalid announcement (missing next-hop ?)")
	}
	return nil
}

// famNextHop maps an IPv4 next hop of an IPv6 MUP route to IPv4-mapped
// IPv6 (::ffff:a.b.c.d, RFC 4291 §2.5.5.2), as ExaBGP sends it in MP_REACH
// for MUP (for mcast-vpn it sends the 4 bytes).
func famNextHop(fam wire.Family, nh netip.Addr) netip.Addr {
	if fam.AFI == wire.AFIIPv6 && nh.Is4() {
		return netip.AddrFrom16(nh.As16())
	}
	return nh
}

// mupLine parses one MUP route.
func mupLine(fam wire.Family, w *Words, withdraw bool) ([]Route, error) {
	r := Route{Pos: w.Pos()}
	f := famWords{w: w, afi: fam.AFI}
	kind, _ := w.Next()
	var nl wire.MUP
	var err error
	switch kind.Text {
	case "mup-isd":
		nl, err = mupISD(fam, f)
	case "mup-dsd":
		nl, err = mupDSD(fam, f)
	case "mup-t1st":
		nl, err = mupT1ST(fam, f)
	case "mup-t2st":
		nl, err = mupT2ST(fam, f)
	default:
		return nil, errAt(kind.Pos, "unknown mup route type \""+kind.Text+"\" (expected mup-isd, mup-dsd, mup-t1st or mup-t2st)")
	}
	if err != nil {
		if _, ok := err.(*Error); !ok {
			err = errAt(kind.Pos, err.Error())
		}
		return nil, err
	}
	r.NLRI = nl
	if err := famTail(&r, w, withdraw, "mup"); err != nil {
		return nil, err
	}
	r.NextHop = famNextHop(fam, r.NextHop)
	return []Route{r}, nil
}

func mupISD(fam wire.Family, f famWords) (wire.MUP, error) {
	p, err := f.prefix("mup-isd")
	if err != nil {
		return wire.MUP{}, err
	}
	rd, err := f.rd()
	if err != nil {
		return wire.MUP{}, err
	}
	return wire.NewMUPISD(fam, rd, p)
}

func mupDSD(fam wire.Family, f famWords) (wire.MUP, error) {
	a, err := f.addr("mup-dsd")
	if err != nil {
		return wire.MUP{}, err
	}
	rd, err := f.rd()
	if err != nil {
		return wire.MUP{}, err
	}
	return wire.NewMUPDSD(fam, rd, a)
}

func mupT1ST(fam wire.Family, f famWords) (wire.MUP, error) {
	p, err := f.prefix("mup-t1st")
	if err != nil {
		return wire.MUP{}, err
	}
	rd, err := f.rd()
	if err != nil {
		return wire.MUP{}, err
	}
	teid, err := f.number("teid", 32)
	if err != nil {
		return wire.MUP{}, err
	}
	qfi, err := f.number("qfi", 8)
	if err != nil {
		return wire.MUP{}, err
	}
	if err := f.expect("endpoint"); err != nil {
		return wire.MUP{}, err
	}
	ep, err := f.addr("endpoint")
	if err != nil {
		return wire.MUP{}, err
	}
	var src netip.Addr
	if f.w.Peek() == "source" {
		f.w.Next()
		if src, err = f.addr("source"); err != nil {
			return wire.MUP{}, err
		}
	}
	return wire.NewMUPT1ST(fam, rd, p, uint32(teid), uint8(qfi), ep, src)
}

func mupT2ST(fam wire.Family, f famWords) (wire.MUP, error) {
	ep, err := f.addr("mup-t2st")
	if err != nil {
		return wire.MUP{}, err
	}
	rd, err := f.rd()
	if err != nil {
		return wire.MUP{}, err
	}
	if err := f.expect("teid"); err != nil {
		return wire.MUP{}, err
	}
	t, err := f.w.Value("teid", "TEID/BITS")
	if err != nil {
		return wire.MUP{}, err
	}
	parts := strings.Split(t.Text, "/")
	bad := errAt(t.Pos, "unexpected teid format \""+t.Text+"\" (expected <teid>/<length 0 ~ 32>)")
	if len(parts) != 2 {
		return wire.MUP{}, bad
	}
	teid, err1 := strconv.ParseUint(parts[0], 10, 32)
	bits, err2 := strconv.ParseUint(parts[1], 10, 8)
	if err1 != nil || err2 != nil || bits > 32 || (bits < 32 && teid >= 1<<bits) {
		return wire.MUP{}, bad
	}
	return wire.NewMUPT2ST(fam, rd, ep, uint8(bits), uint32(teid))
}

// mvpnLine parses one MCAST-VPN route.
func mvpnLine(fam wire.Family, w *Words, withdraw bool) ([]Route, error) {
	r := Route{Pos: w.Pos()}
	f := famWords{w: w, afi: fam.AFI}
	kind, _ := w.Next()
	var typ uint8
	src := "source"
	switch kind.Text {
	case "source-ad":
		typ = wire.MVPNSourceAD
	case "source-join":
		typ = wire.MVPNSourceJoin
	case "shared-join":
		typ, src = wire.MVPNSharedJoin, "rp"
	default:
		return nil, errAt(kind.Pos, "unknown mcast-vpn route type \""+kind.Text+"\" (expected source-ad, source-join or shared-join)")
	}
	if err := f.expect(src); err != nil {
		return nil, err
	}
	s, err := f.addr(src)
	if err != nil {
		return nil, err
	}
	if err := f.expect("group"); err != nil {
		return nil, err
	}
	g, err := f.addr("group")
	if err != nil {
		return nil, err
	}
	rd, err := f.rd()
	if err != nil {
		return nil, err
	}
	var as uint64
	if typ != wire.MVPNSourceAD {
		if as, err = f.number("source-as", 32); err != nil {
			return nil, err
		}
	}
	nl, err := wire.NewMVPN(fam, typ, rd, uint32(as), s, g)
	if err != nil {
		return nil, errAt(kind.Pos, err.Error())
	}
	r.NLRI = nl
	if err := famTail(&r, w, withdraw, "mcast-vpn"); err != nil {
		return nil, err
	}
	return []Route{r}, nil
}
