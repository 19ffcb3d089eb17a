package config

import (
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"exago/wire"
)

// Well-known communities (RFC 1997, RFC 3765, RFC 7999).
const (
	CommunityNoExport          uint32 = 0xFFFFFF01
	CommunityNoAdvertise       uint32 = 0xFFFFFF02
	CommunityNoExportSubconfed uint32 = 0xFFFFFF03
	CommunityNoPeer            uint32 = 0xFFFFFF04
	CommunityBlackhole         uint32 = 0xFFFF029A
)

func parseCommunities(w *Words, a *wire.Attributes) error {
	ts, err := w.List("community", "a community or [ communities ]")
	if err != nil {
		return err
	}
	a.Communities = slices.Grow(a.Communities, len(ts))
	for _, t := range ts {
		c, ok := ParseCommunity(t.Text)
		if !ok {
			return errAt(t.Pos, "invalid community \""+t.Text+"\" (expected a:b, a number, 0xHEX or a well-known name)")
		}
		a.Communities = append(a.Communities, c)
	}
	return nil
}

// ParseCommunity parses one standard community as ExaBGP:
// `a:b` (16 bits each), decimal, 0xHEX or a well-known name.
func ParseCommunity(s string) (uint32, bool) {
	if i := strings.IndexByte(s, ':'); i > 0 {
		hi, e1 := strconv.ParseUint(s[:i], 10, 16)
		lo, e2 := strconv.ParseUint(s[i+1:], 10, 16)
		if e1 != nil || e2 != nil {
			return 0, false
		}
		return uint32(hi<<16 | lo), true
	}
	if len(s) > 2 && strings.EqualFold(s[:2], "0x") {
		v, err := strconv.ParseUint(s[2:], 16, 32)
		return uint32(v), err == nil
	}
	switch strings.ToLower(s) {
	case "no-export", "no_export":
		return CommunityNoExport, true
	case "no-advertise", "no_advertise":
		return CommunityNoAdvertise, true
	case "no-export-subconfed":
		return CommunityNoExportSubconfed, true
	case "nopeer", "no-peer":
		return CommunityNoPeer, true
	case "blackhole":
		return CommunityBlackhole, true
	}
	v, err := strconv.ParseUint(s, 10, 32)
	return uint32(v), err == nil
}

func parseLargeCommunities(w *Words, a *wire.Attributes) error {
	ts, err := w.List("large-community", "a:b:c or [ a:b:c ... ]")
	if err != nil {
		return err
	}
outer:
	for _, t := range ts {
		c, ok := ParseLargeCommunity(t.Text)
		if !ok {
			return errAt(t.Pos, "invalid large-community \""+t.Text+"\" (expected a:b:c with 32-bit numbers)")
		}
		for _, have := range a.LargeCommunities {
			if have == c {
				continue outer
			}
		}
		a.LargeCommunities = append(a.LargeCommunities, c)
	}
	return nil
}

// ParseLargeCommunity parses `a:b:c` or a 96-bit number (RFC 8092).
func ParseLargeCommunity(s string) (wire.LargeCommunity, bool) {
	if strings.Contains(s, ":") {
		parts := strings.Split(s, ":")
		if len(parts) != 3 {
			return wire.LargeCommunity{}, false
		}
		var v [3]uint32
		for i, p := range parts {
			n, err := strconv.ParseUint(p, 10, 32)
			if err != nil {
				return wire.LargeCommunity{}, false
			}
			v[i] = uint32(n)
		}
		return wire.LargeCommunity{Global: v[0], Local1: v[1], Local2: v[2]}, true
	}
	n, ok := new(big.Int).SetString(s, 0)
	if !ok || n.Sign() < 0 || n.BitLen() > 96 {
		return wire.LargeCommunity{}, false
	}
	var b [12]byte
	n.FillBytes(b[:])
	return wire.LargeCommunity{Global: binary.BigEndian.Uint32(b[0:]), Local1: binary.BigEndian.Uint32(b[4:]), Local2: binary.BigEndian.Uint32(b[8:])}, true
}

func parseExtCommunities(w *Words, a *wire.Attributes) error {
	ts, err := w.List("extended-community", "an extended community or [ communities ]")
	if err != nil {
		return err
	}
	a.ExtCommunities = slices.Grow(a.ExtCommunities, len(ts))
	for _, t := range ts {
		c, msg := ParseExtCommunity(t.Text)
		if msg != "" {
			return errAt(t.Pos, "invalid extended-community \""+t.Text+"\" ("+msg+")")
		}
		a.ExtCommunities = append(a.ExtCommunities, c)
	}
	return nil
}

// ParseExtCommunity parses one extended community as ExaBGP's
// static/parser.py: target:A:B (or bare A:B), origin:A:B, redirect:A:B,
// l2info:a:b:c:d, bandwidth:asn:n, mup:A:B, redirect-to-nexthop, 0xHEX.
// The message is empty on success, else it says what was expected.
func ParseExtCommunity(s string) (wire.ExtCommunity, string) {
	var c wire.ExtCommunity
	if !strings.Contains(s, ":") {
		if len(s) > 2 && strings.EqualFold(s[:2], "0x") {
			b, err := hex.DecodeString(s[2:])
			if err != nil || len(b) != 8 {
				return c, "expected 0x and 16 hexadecimal digits"
			}
			copy(c[:], b)
			return c, ""
		}
		if s == "redirect-to-nexthop" {
			c[0] = 0x08
			return c, ""
		}
		return c, "expected type:value:value"
	}
	parts := strings.Split(s, ":")
	kind := "target"
	if len(parts) != 2 {
		kind, parts = parts[0], parts[1:]
	}
	vals := make([]uint64, len(parts))
	for i, p := range parts {
		v, ok := extComponent(p)
		if !ok {
			return c, "\"" + p + "\" is neither a number nor an IPv4 address"
		}
		vals[i] = v
	}
	type layout struct {
		t0, t1 byte
		sizes  string
	}
	layouts := map[string]layout{
		"target": {0x00, 0x02, "HL"}, "target4": {0x01, 0x02, "LH"},
		"origin": {0x00, 0x03, "HL"}, "origin4": {0x01, 0x03, "LH"},
		"redirect": {0x80, 0x08, "HL"}, "l2info": {0x80, 0x0A, "BBHH"},
		"bandwidth": {0x40, 0x04, "Hf"}, "mup": {0x0C, 0x00, "HL"},
	}
	if kind == "target" || kind == "origin" {
		if vals[0] > 0xFFFF || strings.Contains(parts[0], ".") || strings.HasSuffix(parts[0], "L") {
			kind += "4"
		}
	}
	l, ok := layouts[kind]
	if !ok {
		return c, "unknown type " + kind
	}
	if len(vals) != len(l.sizes) {
		return c, kind + " expects " + strconv.Itoa(len(l.sizes)) + " fields"
	}
	c[0], c[1] = l.t0, l.t1
	off := 2
	for i, size := range l.sizes {
		v := vals[i]
		switch size {
		case 'B':
			if v > 0xFF {
				return c, "value too large"
			}
			c[off] = byte(v)
			off++
		case 'H':
			if v > 0xFFFF {
				return c, "value too large"
			}
			binary.BigEndian.PutUint16(c[off:], uint16(v))
			off += 2
		case 'L':
			if v > 0xFFFFFFFF {
				return c, "value too large"
			}
			binary.BigEndian.PutUint32(c[off:], uint32(v))
			off += 4
		case 'f':
			if v > 0xFFFFFFFF {
				return c, "value too large"
			}
			binary.BigEndian.PutUint32(c[off:], math.Float32bits(float32(v)))
			off += 4
		}
	}
	return c, ""
}

// extComponent reads a number (decimal, 0xHEX, optional L suffix) or a
// dotted IPv4 address as a 32-bit value.
func extComponent(p string) (uint64, bool) {
	q := strings.TrimSuffix(p, "L")
	if len(q) > 2 && strings.EqualFold(q[:2], "0x") {
		v, err := strconv.ParseUint(q[2:], 16, 64)
		return v, err == nil
	}
	if v, err := strconv.ParseUint(q, 10, 64); err == nil {
		return v, true
	}
	parts := strings.Split(p, ".")
	if len(parts) != 4 {
		return 0, false
	}
	var v uint64
	for _, x := range parts {
		n, err := strconv.ParseUint(x, 10, 8)
		if err != nil {
			return 0, false
		}
		v = v<<8 | n
	}
	return v, true
}
