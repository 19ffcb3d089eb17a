package format

import (
	"net/netip"

	"exago/wire"
)

// Update appends the text form of an UPDATE, one line per NLRI between a
// start and an end line, as text.py's update():
//
//	neighbor P receive update start
//	neighbor P receive update announced 10.0.0.0/24 next-hop 1.2.3.4 origin igp ...
//	neighbor P receive update withdrawn 10.2.0.0/24
//	neighbor P receive update end
//
// An End-of-RIB gives "... update route eor 1/1 (ipv4 unicast)". msg is
// the whole message; errors are as [Encoder.Update]. For dir Receive, an
// UPDATE with a treat-as-withdraw error shows its announced NLRI as
// "withdrawn <nlri> next-hop X" lines, without attributes, as ExaBGP.
func (t *Text) Update(b []byte, nb *Neighbor, dir Direction, msg []byte, neg *wire.Negotiated) ([]byte, error) {
	var u update
	if err := parseUpdate(&u, msg, neg, dir); err != nil {
		return b, err
	}
	start := len(b)
	pstart := len(b)
	b = textPrefix(b, nb)
	b = append(b, ' ')
	b = append(b, dir...)
	b = append(b, " update"...)
	plen := len(b) - pstart
	b = append(b, " start\n"...)
	line := func(b []byte) []byte { return append(b, b[pstart:pstart+plen]...) }
	if u.eor {
		b = line(b)
		b = append(b, " route "...)
		b = appendEORText(b, u.eorFam)
		b = append(b, '\n')
	} else {
		// The attribute text is rendered once, parked at the end of b, copied
		// after each announced NLRI, and cut out at the end (no scratch
		// buffer to allocate).
		aStart := len(b)
		var err error
		if b, err = appendAttributesText(b, &u); err != nil {
			return b[:start], err
		}
		aEnd := len(b)
		for i := 0; i < u.nsrc; i++ {
			s := &u.src[i]
			it := newNLRIIter(s)
			for it.next() {
				if s.withdraw {
					b = line(b)
					b = append(b, " withdrawn "...)
					b = it.appendText(b, netip.Addr{})
					b = append(b, '\n')
					continue
				}
				if s.taw { // received treat-as-withdraw: next hop, no attributes
					for k := 0; k < max(s.nnh, 1); k++ {
						b = line(b)
						b = append(b, " withdrawn "...)
						b = it.appendText(b, s.nh[k])
						b = append(b, '\n')
					}
					continue
				}
				for k := 0; k < max(s.nnh, 1); k++ {
					b = line(b)
					b = append(b, " announced "...)
					b = it.appendText(b, s.nh[k])
					b = append(b, b[aStart:aEnd]...)
					b = append(b, '\n')
				}
			}
			if it.err != nil {
				return b[:start], it.err
			}
		}
		b = b[:aStart+copy(b[aStart:], b[aEnd:])]
	}
	if t.Consolidate {
		b = appendHeaderBody(b, msg)
		b = append(b, '\n')
	}
	b = line(b)
	return append(b, " end\n"...), nil
}

// appendNextHopText appends " next-hop X" (nothing without a next hop).
func appendNextHopText(b []byte, nh netip.Addr) []byte {
	if !nh.IsValid() {
		return b
	}
	b = append(b, " next-hop "...)
	return appendAddr(b, nh)
}

// appendEORText appends ExaBGP's EOR extensive(): "eor 1/1 (ipv4 unicast)".
func appendEORText(b []byte, f wire.Family) []byte {
	b = append(b, "eor "...)
	b = appendUint(b, uint64(f.AFI))
	b = append(b, '/')
	b = appendUint(b, uint64(f.SAFI))
	b = append(b, " ("...)
	b = appendFamilyName(b, f, ' ')
	return append(b, ')')
}
