package wire

import (
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// seedHex returns the golden vectors of the wire core: inline ones and
// testdata/message/*.hex (one whole message in hex per file).
func seedHex(t testing.TB) [][]byte {
	var out [][]byte
	for _, v := range openVectors {
		out = append(out, unhex(t, v))
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "message", "*.hex"))
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, unhex(t, strings.TrimSpace(string(src))))
	}
	return out
}

// FuzzMessage frames arbitrary bytes and decodes each message by type: no
// panic, and an OPEN or UPDATE that decodes re-encodes to the same value.
func FuzzMessage(f *testing.F) {
	for _, s := range seedHex(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for len(b) > 0 {
			m, n, err := Frame(b, MaxSizeExtMsg)
			if m == nil || n == 0 {
				return
			}
			b = b[n:]
			if err != nil {
				continue
			}
			switch m.Type() {
			case TypeOpen:
				openRoundTrip(t, m.Body())
			case TypeUpdate:
				updateRoundTrip(t, m.Body())
			case TypeNotification:
				_ = DecodeNotification(m.Body()).String()
			case TypeOperational:
				o, ok, err := DecodeOperational(m.Body())
				if err != nil || !ok || len(o.Advisory) > MaxAdvisory {
					break
				}
				p, _, err := DecodeOperational(Message(o.Append(nil)).Body())
				if err != nil || !reflect.DeepEqual(o, p) {
					t.Fatalf("operational round trip: %+v %+v %v", o, p, err)
				}
			case TypeRouteRefresh:
				if r, err := DecodeRouteRefresh(m.Body()); err == nil && !bytes.Equal(r.Append(nil), m) {
					t.Fatalf("route-refresh re-encoded differently")
				}
			}
		}
	})
}

// FuzzOpen decodes an OPEN body, re-encodes it and decodes it again.
func FuzzOpen(f *testing.F) {
	for _, s := range seedHex(f) {
		if len(s) > HeaderLen && s[18] == TypeOpen {
			f.Add(s[HeaderLen:])
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) { openRoundTrip(t, b) })
}

func openRoundTrip(t *testing.T, body []byte) {
	o, err := DecodeOpen(body)
	if err != nil {
		return
	}
	raw := o.Append(nil)
	m, _, err := Frame(raw, MaxSizeExtMsg)
	if err != nil {
		t.Fatalf("re-encoded OPEN does not frame: %v", err)
	}
	p, err := DecodeOpen(m.Body())
	if err != nil {
		t.Fatalf("re-encoded OPEN does not decode: %v\n%x", err, raw)
	}
	normOpen(&o)
	normOpen(&p)
	if !reflect.DeepEqual(o, p) {
		t.Fatalf("OPEN round trip\n got %+v\nwant %+v", p, o)
	}
}

// normOpen drops what encoding does not keep: the received order and
// layout, and names longer than ExaBGP sends.
func normOpen(o *Open) {
	o.Caps.Order, o.Extended = nil, false
	if len(o.Caps.HostName) > MaxHostNameLen {
		o.Caps.HostName = o.Caps.HostName[:MaxHostNameLen]
	}
	if len(o.Caps.DomainName) > MaxHostNameLen {
		o.Caps.DomainName = o.Caps.DomainName[:MaxHostNameLen]
	}
	if s := o.Caps.SoftwareVersion; len(s) > MaxHostNameLen {
		o.Caps.SoftwareVersion = s[:MaxHostNameLen-3] + "..."
	}
	for i := range o.Caps.Unknown {
		if len(o.Caps.Unknown[i].Value) == 0 {
			o.Caps.Unknown[i].Value = nil
		}
	}
}

// FuzzAttributes decodes path attributes, re-encodes them and decodes
// them again, on a 4-octet and a 2-octet session.
func FuzzAttributes(f *testing.F) {
	for _, s := range seedHex(f) {
		if len(s) > HeaderLen && s[18] == TypeUpdate {
			if u, err := DecodeUpdate(s[HeaderLen:]); err == nil {
				f.Add(u.PathAttrs, true)
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte, asn4 bool) {
		n := decodeSession()
		n.ASN4 = asn4
		attrsRoundTrip(t, b, n)
	})
}

func attrsRoundTrip(t *testing.T, b []byte, n *Negotiated) {
	var u UpdateAttrs
	if err := DecodeAttributes(b, n, &u); err != nil || u.Withdraw != nil {
		return
	}
	nh := u.NextHop
	if !nh.Is4() {
		nh = netip.Addr{}
	}
	again := u.Attributes.appendWith(nil, n, nh, false)
	var v UpdateAttrs
	if err := DecodeAttributes(again, n, &v); err != nil || v.Withdraw != nil {
		t.Fatalf("re-encoded attributes fail: %v %v\n in %x\nout %x", err, v.Withdraw, b, again)
	}
	x, y := u.Attributes, v.Attributes
	sortOther(&x)
	sortOther(&y)
	if !reflect.DeepEqual(x, y) || v.NextHop != nh {
		t.Fatalf("attributes round trip\n got %+v\nwant %+v\n in %x\nout %x", y, x, b, again)
	}
}

func sortOther(a *Attributes) {
	a.Other = append([]RawAttr(nil), a.Other...)
	sort.SliceStable(a.Other, func(i, j int) bool { return a.Other[i].Code < a.Other[j].Code })
	if len(a.Other) == 0 {
		a.Other = nil
	}
	for i := range a.Other {
		if len(a.Other[i].Value) == 0 {
			a.Other[i].Value = nil
		}
	}
}

func updateRoundTrip(t *testing.T, body []byte) {
	u, err := DecodeUpdate(body)
	if err != nil {
		return
	}
	attrsRoundTrip(t, u.PathAttrs, decodeSession())
	for _, b := range [][]byte{u.Withdrawn, u.NLRI} {
		it := Prefixes(b, AFIIPv4, false)
		for it.Next() {
		}
	}
	var ua UpdateAttrs
	if DecodeAttributes(u.PathAttrs, decodeSession(), &ua) == nil && ua.HasReach {
		if r, err := DecodeMPReach(ua.Reach); err == nil {
			it := NLRIs(r.Family, r.NLRI, false)
			for it.Next() {
			}
		}
	}
}

var inetFamilies = []Family{IPv4Unicast, IPv4Multicast, IPv6Unicast, IPv6Multicast, IPv4MPLS, IPv6MPLS, IPv4VPN, IPv6VPN}

// FuzzINET decodes one INET NLRI of the family picked by fam, re-encodes
// it and decodes it again.
func FuzzINET(f *testing.F) {
	f.Add(uint8(0), false, []byte{0x18, 10, 0, 0})
	f.Add(uint8(0), true, []byte{0, 0, 0, 7, 0x18, 10, 0, 0})
	f.Add(uint8(2), false, []byte{0x20, 0x20, 0x01, 0x0d, 0xb8})
	f.Add(uint8(4), false, []byte{0x30, 0, 6, 0x41, 10, 0, 0})
	f.Add(uint8(6), false, unhex(f, "71003E810000FDE8000000010A000000"))
	f.Add(uint8(7), false, unhex(f, "78000641000101020300000420010DB8"))
	f.Fuzz(func(t *testing.T, fam uint8, addPath bool, b []byte) {
		fm := inetFamilies[int(fam)%len(inetFamilies)]
		n, used, err := DecodeNLRI(fm, b, addPath)
		if err != nil {
			return
		}
		if used <= 0 || used > len(b) {
			t.Fatalf("used %d of %d", used, len(b))
		}
		again := n.AppendNLRI(nil, addPath)
		m, used2, err := DecodeNLRI(fm, again, addPath)
		if err != nil || used2 != len(again) {
			t.Fatalf("re-decode: %v %d/%d", err, used2, len(again))
		}
		if !reflect.DeepEqual(n, m) {
			t.Fatalf("INET round trip\n got %+v\nwant %+v", m, n)
		}
	})
}

// FuzzPrefixes checks the zero-allocation iterator agrees with DecodeNLRI.
func FuzzPrefixes(f *testing.F) {
	f.Add(false, []byte{0x18, 10, 0, 0, 0x20, 1, 2, 3, 4})
	f.Add(true, []byte{0x40, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, v6 bool, b []byte) {
		fam := IPv4Unicast
		if v6 {
			fam = IPv6Unicast
		}
		it := Prefixes(b, fam.AFI, false)
		rest := b
		for it.Next() {
			n, used, err := DecodeNLRI(fam, rest, false)
			if err != nil || n.(*INET).Prefix != it.Prefix() {
				t.Fatalf("iterator %v, DecodeNLRI %v %v", it.Prefix(), n, err)
			}
			rest = rest[used:]
		}
		if (it.Err() != nil) != (len(rest) > 0) {
			t.Fatalf("iterator stopped with %v and %d bytes left", it.Err(), len(rest))
		}
	})
}

// FuzzBuilder builds UPDATEs from fuzzed attributes and prefixes with a
// fuzzed maximum message size, then decodes them: every message must frame
// within the limit, carry the same attributes, and together announce and
// withdraw exactly the prefixes given.
func FuzzBuilder(f *testing.F) {
	f.Add([]byte{0x40, 1, 1, 0, 0x80, 4, 4, 0, 0, 0, 9}, []byte{24, 10, 0, 0, 16, 10, 1, 32, 1, 2, 3, 4}, uint16(200), false, uint8(1))
	f.Add([]byte{}, []byte{48, 0x20, 1, 0xd, 0xb8, 0, 1}, uint16(4096), true, uint8(2))
	f.Fuzz(func(t *testing.T, attrs, prefixes []byte, max uint16, v6 bool, split uint8) {
		fam, nh := IPv4Unicast, netip.MustParseAddr("192.0.2.1")
		if v6 {
			fam, nh = IPv6Unicast, netip.MustParseAddr("2001:db8::1")
		}
		n := decodeSession()
		n.MaxSize = int(max)
		var ua UpdateAttrs
		if DecodeAttributes(attrs, n, &ua) != nil || ua.Withdraw != nil || ua.HasReach || ua.HasUnreach {
			return
		}
		ua.HasOrigin = true // countUpdate wants it on announcements
		var list []NLRI
		it := Prefixes(prefixes, fam.AFI, false)
		for it.Next() {
			list = append(list, &INET{Fam: fam, Prefix: it.Prefix()})
		}
		k := min(int(split), len(list))
		u := UpdateBuilder{Family: fam, NextHop: nh, Attrs: &ua.Attributes, Announce: list[k:], Withdraw: list[:k], NoDefaults: true}
		out, err := u.Append(nil, n)
		if err != nil {
			return // attributes too large for max
		}
		var an, wd int
		for len(out) > 0 {
			m, size, err := Frame(out, MaxSizeExtMsg)
			if err != nil || m == nil || size > n.MaxMessageSize() {
				t.Fatalf("message of %d octets (max %d): %v", size, max, err)
			}
			out = out[size:]
			a, w := countUpdate(t, m, n)
			an, wd = an+a, wd+w
		}
		if an != len(list)-k || wd != k {
			t.Fatalf("announced %d of %d, withdrew %d of %d", an, len(list)-k, wd, k)
		}
	})
}
