package wire

import "net/netip"

// ASTrans is the 2-octet AS placed in OPEN and AS_PATH for a 4-octet AS
// (RFC 6793 §9).
const ASTrans = 23456

// MinHoldTime is the smallest non-zero hold time (RFC 4271 §4.2).
const MinHoldTime = 3

// Open is an OPEN message (RFC 4271 §4.2) with its capabilities (RFC 5492).
type Open struct {
	Version  uint8  // 4
	ASN      uint16 // "My Autonomous System": the 2-octet field as sent
	HoldTime uint16
	RouterID netip.Addr // BGP Identifier, an IPv4 address
	Caps     Capabilities
	// Extended says the optional parameters used the RFC 9072 format.
	// Append decides by size and ignores it.
	Extended bool
}

// NewOpen returns an OPEN for local AS asn: the "My AS" field is asn, or
// AS_TRANS when asn does not fit in 2 octets (RFC 6793 §4.1).
func NewOpen(asn uint32, hold uint16, routerID netip.Addr, caps Capabilities) Open {
	my := uint16(ASTrans)
	if asn <= 0xffff {
		my = uint16(asn)
	}
	return Open{Version: 4, ASN: my, HoldTime: hold, RouterID: routerID, Caps: caps}
}

// PeerAS is the AS the OPEN speaks for: the ASN4 capability value when
// present and My AS is AS_TRANS, else My AS (RFC 6793 §4.1).
func (o *Open) PeerAS() uint32 {
	if o.Caps.HasASN4 && o.ASN == ASTrans {
		return o.Caps.ASN4
	}
	return uint32(o.ASN)
}

// DecodeOpen decodes an OPEN body (without the 19-byte header). Errors:
// 1/2 for a body shorter than 10 octets, 2/1 for a version other than 4,
// 2/5 for an authentication parameter, 2/0 for other malformed parameters
// or capabilities, as ExaBGP. The result aliases body (unknown capability
// values); strings are copied.
func DecodeOpen(body []byte) (Open, error) {
	var o Open
	if len(body) < 10 {
		n := HeaderLen + len(body)
		return o, &NotifyError{Code: CodeHeader, Subcode: SubcodeBadLength,
			Data: []byte{byte(n >> 8), byte(n)}, Reason: "OPEN too short"}
	}
	if body[0] != 4 {
		return o, &NotifyError{Code: CodeOpen, Subcode: SubcodeUnsupportedVersion,
			Data: []byte{0, 4}, Reason: "unsupported version number"}
	}
	o.Version = 4
	o.ASN = be.Uint16(body[1:])
	o.HoldTime = be.Uint16(body[3:])
	o.RouterID = netip.AddrFrom4([4]byte(body[5:9]))
	err := o.decodeParams(body[9:])
	if ne, ok := err.(*NotifyError); ok && ne.Offset != 0 {
		ne.Offset += HeaderLen + 9
	}
	return o, err
}

// decodeParams walks the optional parameters, in the RFC 4271 or the
// RFC 9072 extended layout.
func (o *Open) decodeParams(p []byte) error {
	n := int(p[0])
	if n == 0 {
		return nil
	}
	if n == 255 && len(p) >= 4 && p[1] == 255 {
		o.Extended = true
		n = int(be.Uint16(p[2:]))
		p = p[4:]
	} else {
		p = p[1:]
	}
	if len(p) < n {
		return &NotifyError{Code: CodeOpen, Subcode: SubcodeUnspecific, Offset: 1,
			Reason: "optional parameters overrun the OPEN"}
	}
	p = p[:n]
	hl := 2
	if o.Extended {
		hl = 3
	}
	for len(p) > 0 {
		if len(p) < hl {
			return capError("bad length for OPEN parameter")
		}
		typ, l := p[0], int(p[1])
		if o.Extended {
			l = int(be.Uint16(p[1:]))
		}
		if len(p) < hl+l {
			return capError("bad length for OPEN parameter (buffer underrun)")
		}
		v := p[hl : hl+l]
		p = p[hl+l:]
		switch typ {
		case 1:
			return &NotifyError{Code: CodeOpen, Subcode: 5, Reason: "authentication parameter"}
		case 2:
			if err := o.decodeCaps(v); err != nil {
				return err
			}
		default:
			return &NotifyError{Code: CodeOpen, Subcode: SubcodeUnspecific, Reason: "unknown OPEN parameter"}
		}
	}
	return nil
}

func (o *Open) decodeCaps(v []byte) error {
	for len(v) > 0 {
		if len(v) < 2 || len(v) < 2+int(v[1]) {
			return capError("bad length for OPEN capability")
		}
		code, val := v[0], v[2:2+int(v[1])]
		v = v[2+int(v[1]):]
		if err := o.Caps.decodeCapability(code, val); err != nil {
			return err
		}
	}
	return nil
}

// Append appends o as a complete OPEN message. Capabilities go one per
// optional parameter in ExaBGP's order; when the parameters reach 255
// octets the RFC 9072 extended layout is used, as ExaBGP does.
func (o *Open) Append(b []byte) []byte {
	b, s := BeginMessage(b, TypeOpen)
	v := o.Version
	if v == 0 {
		v = 4
	}
	b = append(b, v)
	b = appendU16(b, o.ASN)
	b = appendU16(b, o.HoldTime)
	var rid [4]byte
	if o.RouterID.Is4() {
		rid = o.RouterID.As4()
	}
	b = append(b, rid[:]...)
	plen := len(b)
	b = append(b, 0)
	w := capWriter{b: b}
	o.Caps.append(&w)
	b = w.b
	if n := len(b) - plen - 1; n < 255 {
		b[plen] = byte(n)
		return EndMessage(b, s)
	}
	w = capWriter{b: append(b[:plen], 255, 255, 0, 0), extended: true}
	o.Caps.append(&w)
	b = w.b
	putU16(b, plen+2, len(b)-plen-4)
	return EndMessage(b, s)
}
