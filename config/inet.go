package config

import (
	"encoding/binary"
	"net/netip"
	"strconv"

	"exago/wire"
)

// inetText is ExaBGP's text form of an inet NLRI key: the prefix, then
// `rd X`, `label [ N ]` and `path-information ID` where present.
func inetText(n *wire.INET) string {
	s := n.Prefix.String()
	if n.Fam.SAFI == wire.SAFIVPN {
		s += " rd " + n.RD.String()
	}
	if len(n.Labels) > 0 {
		s += " label [ "
		for _, l := range n.Labels {
			s += strconv.FormatUint(uint64(l), 10) + " "
		}
		s += "]"
	}
	if n.PathID != 0 {
		s += " path-information " + netip.AddrFrom4([4]byte{byte(n.PathID >> 24), byte(n.PathID >> 16), byte(n.PathID >> 8), byte(n.PathID)}).String()
	}
	return s
}

// ParseRD parses `ip:n`, `asn16:n32` or `asn32:n16`
// (configuration/static/mpls.py route_distinguisher).
func ParseRD(s string) (wire.RD, bool) {
	var rd wire.RD
	i := lastColon(s)
	if i <= 0 {
		return rd, false
	}
	left, right := s[:i], s[i+1:]
	if a, err := netip.ParseAddr(left); err == nil && a.Is4() {
		n, err := strconv.ParseUint(right, 10, 16)
		if err != nil {
			return rd, false
		}
		rd[1] = 1
		copy(rd[2:6], a.AsSlice())
		binary.BigEndian.PutUint16(rd[6:], uint16(n))
		return rd, true
	}
	asn, err1 := strconv.ParseUint(left, 10, 32)
	n, err2 := strconv.ParseUint(right, 10, 32)
	if err1 != nil || err2 != nil {
		return rd, false
	}
	switch {
	case asn < 1<<16:
		binary.BigEndian.PutUint16(rd[2:], uint16(asn))
		binary.BigEndian.PutUint32(rd[4:], uint32(n))
	case n < 1<<16:
		rd[1] = 2
		binary.BigEndian.PutUint32(rd[2:], uint32(asn))
		binary.BigEndian.PutUint16(rd[6:], uint16(n))
	default:
		return rd, false
	}
	return rd, true
}

func lastColon(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == ':' {
			return i
		}
	}
	return -1
}
