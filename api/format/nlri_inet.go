package format

import (
	"net/netip"

	"exago/wire"
)

// This file decodes and renders the inet NLRI kinds (unicast, multicast,
// nlri-mpls RFC 8277, mpls-vpn RFC 4364, each with the RFC 7911 path
// identifier) straight from the message bytes, without allocating. It
// follows ExaBGP's INET.unpack_nlri checks so errors match its NOTIFICATION
// (3/10).

// inetNLRI is one decoded inet NLRI; it aliases the message.
type inetNLRI struct {
	pathID   []byte // 4 bytes when add-path, else nil
	labels   [4]uint32
	nlabels  int
	rd       []byte // 8 bytes for mpls-vpn, else nil
	prefix   netip.Prefix
	withdraw bool
}

// isInet reports whether f is rendered by this file.
func isInet(f wire.Family) bool {
	if f.AFI != wire.AFIIPv4 && f.AFI != wire.AFIIPv6 {
		return false
	}
	switch f.SAFI {
	case wire.SAFIUnicast, wire.SAFIMulticast, wire.SAFIMPLS, wire.SAFIVPN:
		return true
	}
	return false
}

// parseInet decodes one inet NLRI of family f from the front of b and
// returns it with the bytes consumed.
func parseInet(f wire.Family, b []byte, addPath, withdraw bool) (inetNLRI, int, error) {
	if !addPath && f.AFI == wire.AFIIPv4 && (f.SAFI == wire.SAFIUnicast || f.SAFI == wire.SAFIMulticast) && len(b) > 0 {
		// the common case, a well-formed IPv4 prefix (RFC 4271 §4.3);
		// anything else takes the checks below
		mask := int(b[0])
		if size := (mask + 7) / 8; mask <= 32 && size < len(b) {
			var a [4]byte
			copy(a[:], b[1:1+size])
			return inetNLRI{prefix: netip.PrefixFrom(netip.AddrFrom4(a), mask), withdraw: withdraw}, 1 + size, nil
		}
	}
	var n inetNLRI
	n.withdraw = withdraw
	off := 0
	if addPath {
		if len(b) <= 4 {
			return n, 0, nlriErr("not enough data to extract the path-information of the NLRI", off)
		}
		n.pathID = b[:4]
		off = 4
	}
	if off >= len(b) {
		return n, 0, nlriErr("not enough data to extract the mask of the NLRI", off)
	}
	mask := int(b[off])
	off++
	rdSize := 0
	if f.SAFI == wire.SAFIVPN {
		rdSize = 8
	}
	if f.SAFI == wire.SAFIMPLS || f.SAFI == wire.SAFIVPN {
		var err error
		if mask, off, err = n.parseLabels(b, off, mask, rdSize*8); err != nil {
			return n, 0, err
		}
	}
	if rdSize != 0 {
		mask -= rdSize * 8
		if len(b)-off < rdSize {
			return n, 0, nlriErr("not enough data to extract the route distinguisher of the NLRI", off)
		}
		n.rd = b[off : off+rdSize]
		off += rdSize
	}
	alen := 4
	if f.AFI == wire.AFIIPv6 {
		alen = 16
	}
	if mask < 0 {
		return n, 0, nlriErr("invalid length in NLRI prefix", off)
	}
	if mask > alen*8 {
		return n, 0, nlriErr("invalid mask in NLRI prefix", off)
	}
	size := (mask + 7) / 8
	if len(b)-off < size {
		return n, 0, nlriErr("not enough data for the mask provided to decode the NLRI", off)
	}
	var a [16]byte
	copy(a[:], b[off:off+size])
	off += size
	if alen == 4 {
		n.prefix = netip.PrefixFrom(netip.AddrFrom4([4]byte(a[:4])), mask)
	} else {
		n.prefix = netip.PrefixFrom(netip.AddrFrom16(a), mask)
	}
	return n, off, nil
}

// plainIPv4 reports whether the NLRI of s are bare IPv4 prefixes (RFC
// 4271 §4.3: unicast or multicast without path identifier), which
// appendIPv4List renders.
func (s *nlriSource) plainIPv4() bool {
	return !s.addPath && (s.fam == wire.IPv4Unicast || s.fam == wire.IPv4Multicast)
}

// appendIPv4List appends the JSON of every prefix of data (a source for
// which plainIPv4 holds), each preceded by ", " unless it is the first
// (n counts those already written), as appendJSON would for each. When a
// prefix is malformed it returns b and n unchanged and false: the caller
// then walks the source with the checking iterator, which reports it.
func appendIPv4List(b []byte, data []byte, compact bool, n int) ([]byte, int, bool) {
	mark, n0 := len(b), n
	for off := 0; off < len(data); {
		mask := int(data[off])
		size := (mask + 7) / 8
		if mask > 32 || off+1+size > len(data) {
			return b[:mark], n0, false
		}
		var a [4]byte
		copy(a[:], data[off+1:off+1+size])
		off += 1 + size
		if n > 0 {
			b = append(b, ", "...)
		}
		n++
		if compact {
			b = append(b, '"')
		} else {
			b = append(b, `{ "nlri": "`...)
		}
		b = appendIPv4(b, a)
		if mask >= 10 {
			b = append(b, '/', byte('0'+mask/10), byte('0'+mask%10))
		} else {
			b = append(b, '/', byte('0'+mask))
		}
		if compact {
			b = append(b, '"')
		} else {
			b = append(b, `" }`...)
		}
	}
	return b, n, true
}

// parseLabels reads the RFC 8277 label stack (ExaBGP's rules: stop at the
// bottom-of-stack bit, or at a sole 0x800000 withdraw / 0x000000 label).
func (n *inetNLRI) parseLabels(b []byte, off, mask, rdBits int) (int, int, error) {
	terminated := false
	count := 0
	for mask-rdBits >= 24 {
		if len(b)-off < 3 {
			return 0, 0, nlriErr("not enough data to extract the label stack of the NLRI", off)
		}
		raw := uint32(b[off])<<16 | uint32(b[off+1])<<8 | uint32(b[off+2])
		off += 3
		mask -= 24
		if n.nlabels < len(n.labels) {
			n.labels[n.nlabels] = raw >> 4
			n.nlabels++
		}
		count++
		if raw&1 != 0 {
			terminated = true
			break
		}
		if count > 1 {
			continue
		}
		if (raw == 0x800000 && n.withdraw) || raw == 0 {
			terminated = true
			break
		}
	}
	if count > 0 && !terminated {
		return 0, 0, nlriErr("invalid label stack in the NLRI, no bottom of stack bit and no terminator", off)
	}
	return mask, off, nil
}

func nlriErr(reason string, off int) error {
	return &wire.NotifyError{Code: wire.CodeUpdate, Subcode: wire.SubcodeInvalidNetwork, Action: wire.TreatAsWithdraw,
		Reason: reason, Offset: off}
}

// appendJSON appends ExaBGP's INET/Label/IPVPN json(): `{ "nlri": "p",
// "path-information": "a.b.c.d", "label": [ [l] ], "rd": "x:y" }`, or the
// bare `"p"` when compact and nothing else is to be shown.
func (n *inetNLRI) appendJSON(b []byte, compact bool) []byte {
	if n.pathID == nil && n.nlabels == 0 && n.rd == nil {
		if compact {
			b = append(b, '"')
			b = appendPrefix(b, n.prefix)
			return append(b, '"')
		}
		b = append(b, `{ "nlri": "`...)
		b = appendPrefix(b, n.prefix)
		return append(b, `" }`...)
	}
	b = append(b, `{ "nlri": "`...)
	b = appendPrefix(b, n.prefix)
	b = append(b, '"')
	if n.pathID != nil {
		b = append(b, `, "path-information": "`...)
		b = appendDotted(b, n.pathID)
		b = append(b, '"')
	}
	if n.nlabels > 0 {
		b = append(b, `, "label": [ `...)
		for i := 0; i < n.nlabels; i++ {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = append(b, '[')
			b = appendUint(b, uint64(n.labels[i]))
			b = append(b, ']')
		}
		b = append(b, " ]"...)
	}
	if n.rd != nil {
		b = append(b, `, "rd": "`...)
		b = appendRD(b, n.rd)
		b = append(b, '"')
	}
	return append(b, " }"...)
}

// appendText appends ExaBGP's extensive() of the NLRI: `prefix[
// path-information x][ label l| label [ a b ]][ next-hop nh][ rd x]` (the
// route distinguisher comes after the next hop, as IPVPN.extensive()
// writes it). nh invalid: no next-hop.
func (n *inetNLRI) appendText(b []byte, nh netip.Addr) []byte {
	b = appendPrefix(b, n.prefix)
	if n.pathID != nil {
		b = append(b, " path-information "...)
		b = appendDotted(b, n.pathID)
	}
	switch {
	case n.nlabels == 1:
		b = append(b, " label "...)
		b = appendUint(b, uint64(n.labels[0]))
	case n.nlabels > 1:
		b = append(b, " label [ "...)
		for i := 0; i < n.nlabels; i++ {
			if i > 0 {
				b = append(b, ' ')
			}
			b = appendUint(b, uint64(n.labels[i]))
		}
		b = append(b, " ]"...)
	}
	b = appendNextHopText(b, nh)
	if n.rd != nil {
		b = append(b, " rd "...)
		b = appendRD(b, n.rd)
	}
	return b
}

// appendDotted appends bytes as dotted decimal (path identifiers).
func appendDotted(b []byte, v []byte) []byte {
	for i, c := range v {
		if i > 0 {
			b = append(b, '.')
		}
		b = appendUint(b, uint64(c))
	}
	return b
}

// appendRD appends a route distinguisher as ExaBGP prints it (RFC 4364
// §4.2): type 0 "asn2:n32", type 1 "a.b.c.d:n16", type 2 "asn4:n16",
// otherwise 0x-hex.
func appendRD(b []byte, rd []byte) []byte {
	if len(rd) != 8 {
		return appendHexUpper(b, rd)
	}
	t := uint16(rd[0])<<8 | uint16(rd[1])
	switch t {
	case 0:
		b = appendUint(b, uint64(rd[2])<<8|uint64(rd[3]))
		b = append(b, ':')
		return appendUint(b, uint64(rd[4])<<24|uint64(rd[5])<<16|uint64(rd[6])<<8|uint64(rd[7]))
	case 1:
		b = appendDotted(b, rd[2:6])
		b = append(b, ':')
		return appendUint(b, uint64(rd[6])<<8|uint64(rd[7]))
	case 2:
		b = appendUint(b, uint64(rd[2])<<24|uint64(rd[3])<<16|uint64(rd[4])<<8|uint64(rd[5]))
		b = append(b, ':')
		return appendUint(b, uint64(rd[6])<<8|uint64(rd[7]))
	}
	return appendHexUpper(b, rd)
}
