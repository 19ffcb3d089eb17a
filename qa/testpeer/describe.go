package testpeer

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"

	"exago/wire"
)

// Describe renders a whole BGP message (marker included) as one line of
// text for humans: type, then the fields a test failure is usually about.
// It never fails: what it cannot decode it shows in hex.
func Describe(msg []byte) string {
	if len(msg) < headerLen {
		return "truncated message " + hex.EncodeToString(msg)
	}
	body := msg[headerLen:]
	switch msgType(msg) {
	case typeOpen:
		return describeOpen(body)
	case typeUpdate:
		return describeUpdate(body)
	case typeNotification:
		return describeNotification(body)
	case typeKeepalive:
		return "KEEPALIVE"
	case typeRouteRefresh:
		if len(body) == 4 {
			f := wire.Family{AFI: wire.AFI(binary.BigEndian.Uint16(body)), SAFI: wire.SAFI(body[3])}
			return fmt.Sprintf("ROUTE-REFRESH %s subtype %d", f, body[2])
		}
	}
	return fmt.Sprintf("message type %d body %X", msgType(msg), body)
}

// HexRule renders a message as a .msg raw rule would write it.
func HexRule(msg []byte) string {
	return ruleHex(strings.ToUpper(hex.EncodeToString(msg)), true)
}

var capNames = map[uint8]string{
	1: "multiprotocol", 2: "route-refresh", 5: "extended-nexthop", 6: "extended-message",
	64: "graceful-restart", 65: "asn4", 69: "add-path", 70: "enhanced-route-refresh",
	71: "long-lived-gr", 73: "hostname", 75: "software-version", 128: "route-refresh-cisco",
}

func describeOpen(b []byte) string {
	if len(b) < 10 || len(b) < 10+int(b[9]) {
		return fmt.Sprintf("OPEN (malformed) %X", b)
	}
	id := netip.AddrFrom4([4]byte(b[5:9]))
	s := fmt.Sprintf("OPEN version %d asn %d hold %d router-id %s", b[0],
		binary.BigEndian.Uint16(b[1:3]), binary.BigEndian.Uint16(b[3:5]), id)
	var caps []string
	params := b[10 : 10+int(b[9])]
	for len(params) >= 2 && len(params) >= 2+int(params[1]) {
		p := params[2 : 2+int(params[1])]
		if params[0] != 2 {
			caps = append(caps, fmt.Sprintf("param-%d=%X", params[0], p))
		}
		for params[0] == 2 && len(p) >= 2 && len(p) >= 2+int(p[1]) {
			caps = append(caps, describeCap(p[0], p[2:2+int(p[1])]))
			p = p[2+int(p[1]):]
		}
		params = params[2+int(params[1]):]
	}
	return s + " capabilities [" + strings.Join(caps, ", ") + "]"
}

func describeCap(code uint8, v []byte) string {
	name, ok := capNames[code]
	if !ok {
		name = fmt.Sprintf("capability-%d", code)
	}
	switch {
	case code == 1 && len(v) == 4:
		return name + " " + wire.Family{AFI: wire.AFI(binary.BigEndian.Uint16(v)), SAFI: wire.SAFI(v[3])}.String()
	case code == 65 && len(v) == 4:
		return fmt.Sprintf("%s %d", name, binary.BigEndian.Uint32(v))
	case len(v) == 0:
		return name
	}
	return fmt.Sprintf("%s %X", name, v)
}

func describeNotification(b []byte) string {
	if len(b) < 2 {
		return fmt.Sprintf("NOTIFICATION (malformed) %X", b)
	}
	s := fmt.Sprintf("NOTIFICATION %d/%d", b[0], b[1])
	if len(b) > 2 {
		s += fmt.Sprintf(" data %X %q", b[2:], b[2:])
	}
	return s
}

func describeUpdate(b []byte) string {
	if len(b) == 4 && binary.BigEndian.Uint32(b) == 0 {
		return "UPDATE End-of-RIB ipv4 unicast"
	}
	if len(b) < 4 {
		return fmt.Sprintf("UPDATE (malformed) %X", b)
	}
	wl := int(binary.BigEndian.Uint16(b))
	if 2+wl+2 > len(b) {
		return fmt.Sprintf("UPDATE (withdrawn length %d overruns) %X", wl, b)
	}
	al := int(binary.BigEndian.Uint16(b[2+wl:]))
	if 4+wl+al > len(b) {
		return fmt.Sprintf("UPDATE (attribute length %d overruns) %X", al, b)
	}
	var parts []string
	if wl > 0 {
		parts = append(parts, "withdraw "+prefixes(b[2:2+wl], wire.IPv4Unicast))
	}
	attrs := b[4+wl : 4+wl+al]
	if len(attrs) > 0 {
		parts = append(parts, "attributes ["+describeAttrs(attrs)+"]")
	}
	if nlri := b[4+wl+al:]; len(nlri) > 0 {
		parts = append(parts, "announce "+prefixes(nlri, wire.IPv4Unicast))
	}
	if wl == 0 && len(b) == 4+al && (al == 7 && attrs[0]&0x10 != 0 || al == 6) && attrs[1] == 15 {
		return "UPDATE End-of-RIB " + mpFamily(attrs[al-3:]).String() // RFC 4724 §2
	}
	return "UPDATE " + strings.Join(parts, " ")
}

func mpFamily(v []byte) wire.Family {
	if len(v) < 3 {
		return wire.Family{}
	}
	return wire.Family{AFI: wire.AFI(binary.BigEndian.Uint16(v)), SAFI: wire.SAFI(v[2])}
}

// describeAttrs walks the path attributes (RFC 4271 §4.3).
func describeAttrs(b []byte) string {
	var out []string
	for len(b) >= 3 {
		flags, code := b[0], b[1]
		hl, vl := 3, int(b[2])
		if flags&0x10 != 0 {
			if len(b) < 4 {
				break
			}
			hl, vl = 4, int(binary.BigEndian.Uint16(b[2:]))
		}
		if hl+vl > len(b) {
			out = append(out, fmt.Sprintf("attribute %d length %d overruns", code, vl))
			return strings.Join(out, ", ")
		}
		out = append(out, describeAttr(flags, code, b[hl:hl+vl]))
		b = b[hl+vl:]
	}
	if len(b) > 0 {
		out = append(out, fmt.Sprintf("trailing %X", b))
	}
	return strings.Join(out, ", ")
}

func describeAttr(flags, code uint8, v []byte) string {
	switch {
	case code == 1 && len(v) == 1:
		return [...]string{"origin igp", "origin egp", "origin incomplete", "origin ?"}[min(int(v[0]), 3)]
	case code == 2:
		return "as-path " + asPath(v)
	case code == 3 && len(v) == 4:
		return "next-hop " + netip.AddrFrom4([4]byte(v)).String()
	case code == 4 && len(v) == 4:
		return fmt.Sprintf("med %d", binary.BigEndian.Uint32(v))
	case code == 5 && len(v) == 4:
		return fmt.Sprintf("local-preference %d", binary.BigEndian.Uint32(v))
	case code == 6 && len(v) == 0:
		return "atomic-aggregate"
	case code == 8 && len(v)%4 == 0:
		var cs []string
		for i := 0; i < len(v); i += 4 {
			cs = append(cs, fmt.Sprintf("%d:%d", binary.BigEndian.Uint16(v[i:]), binary.BigEndian.Uint16(v[i+2:])))
		}
		return "community [" + strings.Join(cs, " ") + "]"
	case code == 14:
		return describeMP(v, true)
	case code == 15:
		return describeMP(v, false)
	}
	return fmt.Sprintf("attribute-%d flags 0x%02X %X", code, flags, v)
}

// asPath renders AS_PATH segments, assuming 4-octet ASNs when the length
// allows it (ExaBGP always negotiates ASN4 in the QA configurations).
func asPath(v []byte) string {
	if len(v) == 0 {
		return "[]"
	}
	var segs []string
	for len(v) >= 2 {
		typ, n := v[0], int(v[1])
		if 2+4*n > len(v) {
			return fmt.Sprintf("%s %X", strings.Join(segs, " "), v)
		}
		var asns []string
		for i := range n {
			asns = append(asns, fmt.Sprint(binary.BigEndian.Uint32(v[2+4*i:])))
		}
		open, closing := "[", "]"
		if typ == 1 || typ == 4 {
			open, closing = "{", "}"
		}
		segs = append(segs, open+strings.Join(asns, " ")+closing)
		v = v[2+4*n:]
	}
	return strings.Join(segs, " ")
}

// describeMP renders MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760 §3, §4).
func describeMP(v []byte, reach bool) string {
	if len(v) < 3 {
		return fmt.Sprintf("mp (malformed) %X", v)
	}
	f := mpFamily(v)
	if !reach {
		return "mp-unreach " + f.String() + " " + prefixes(v[3:], f)
	}
	if len(v) < 4 || len(v) < 5+int(v[3]) {
		return fmt.Sprintf("mp-reach %s (malformed) %X", f, v)
	}
	nh := v[4 : 4+int(v[3])]
	return fmt.Sprintf("mp-reach %s next-hop %s %s", f, nextHops(nh), prefixes(v[5+int(v[3]):], f))
}

func nextHops(nh []byte) string {
	switch len(nh) {
	case 12, 24: // route distinguisher + address (RFC 4364 §4.3.2)
		return "rd:" + fmt.Sprintf("%X", nh[:8]) + " " + nextHops(nh[8:])
	case 4, 16:
		a, _ := netip.AddrFromSlice(nh)
		return a.String()
	case 32: // global + link-local (RFC 2545 §3)
		return nextHops(nh[:16]) + " " + nextHops(nh[16:])
	}
	return fmt.Sprintf("%X", nh)
}

// prefixes renders packed NLRI: IPv4/IPv6 unicast and multicast here, other
// families through wire.DecodeNLRI when it knows them, hex otherwise.
func prefixes(b []byte, f wire.Family) string {
	if len(b) == 0 {
		return "[]"
	}
	if f.SAFI != wire.SAFIUnicast && f.SAFI != wire.SAFIMulticast || f.AFI != wire.AFIIPv4 && f.AFI != wire.AFIIPv6 {
		return otherNLRI(b, f)
	}
	size := 4
	if f.AFI == wire.AFIIPv6 {
		size = 16
	}
	var out []string
	for len(b) > 0 {
		bits := int(b[0])
		n := (bits + 7) / 8
		if bits > size*8 || 1+n > len(b) {
			return fmt.Sprintf("[%s] %X", strings.Join(out, " "), b)
		}
		var a [16]byte
		copy(a[:], b[1:1+n])
		addr := netip.AddrFrom16(a)
		if size == 4 {
			addr = netip.AddrFrom4([4]byte(a[:4]))
		}
		out = append(out, netip.PrefixFrom(addr, bits).String())
		b = b[1+n:]
	}
	return "[" + strings.Join(out, " ") + "]"
}

func otherNLRI(b []byte, f wire.Family) (s string) {
	defer func() {
		if recover() != nil { // a decoder under construction must not take the test peer down
			s = fmt.Sprintf("[%X]", b)
		}
	}()
	var out []string
	for len(b) > 0 {
		n, used, err := wire.DecodeNLRI(f, b, false)
		if err != nil || used <= 0 || used > len(b) {
			break
		}
		if s, ok := n.(fmt.Stringer); ok {
			out = append(out, s.String())
		} else {
			out = append(out, fmt.Sprintf("%X", b[:used]))
		}
		b = b[used:]
	}
	if len(b) > 0 {
		out = append(out, fmt.Sprintf("%X", b))
	}
	return "[" + strings.Join(out, " ") + "]"
}
