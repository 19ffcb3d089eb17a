package wire

// BGP Prefix-SID attribute (type 40): RFC 8669 §3 (Label-Index TLV 1,
// Originator SRGB TLV 3) and RFC 9252 §2-3 (SRv6 L3 Service TLV 5, SRv6 L2
// Service TLV 6, each holding SRv6 SID Information sub-TLVs (1) that may
// carry an SRv6 SID Structure sub-sub-TLV (1)). TLVs have a 1-byte type and
// a 2-byte length at every level.
//
// The attribute is carried as bytes (RawAttr); CheckPrefixSID validates it
// as ExaBGP 5.0 does and the iterators below walk it without allocating.
// A malformed attribute is discarded (RFC 8669 §6, RFC 9252 §5:
// attribute-discard); CheckPrefixSID's error says so.

import "net/netip"

// Prefix-SID TLV types (RFC 8669 §3, RFC 9252 §2).
const (
	PrefixSIDLabelIndex uint8 = 1
	PrefixSIDSRGB       uint8 = 3
	PrefixSIDSRv6L3     uint8 = 5
	PrefixSIDSRv6L2     uint8 = 6
)

// SIDTLVs iterates over TLVs with a 1-byte type and a 2-byte length (the
// Prefix-SID attribute, its service TLVs and sub-TLVs). It stops at the
// first TLV that does not fit.
type SIDTLVs struct {
	rest []byte
	typ  uint8
	val  []byte
}

// NewSIDTLVs iterates over the TLVs in b.
func NewSIDTLVs(b []byte) SIDTLVs { return SIDTLVs{rest: b} }

// Next advances to the next TLV and reports whether there is one.
func (it *SIDTLVs) Next() bool {
	if len(it.rest) < 3 {
		return false
	}
	l := 3 + int(afU16(it.rest[1:]))
	if l > len(it.rest) {
		it.rest = nil
		return false
	}
	it.typ, it.val, it.rest = it.rest[0], it.rest[3:l], it.rest[l:]
	return true
}

// Type is the current TLV's type.
func (it *SIDTLVs) Type() uint8 { return it.typ }

// Value is the current TLV's value.
func (it *SIDTLVs) Value() []byte { return it.val }

// SRGBRange is one Originator SRGB range (RFC 8669 §3.2).
type SRGBRange struct{ Base, Range uint32 }

// SRv6SIDStructure is the SRv6 SID Structure sub-sub-TLV (RFC 9252 §3.2.1).
type SRv6SIDStructure struct {
	LocatorBlock, LocatorNode, Function, Argument, TranspositionLen, TranspositionOffset uint8
}

// SRv6SIDInfo is one SRv6 SID Information sub-TLV (RFC 9252 §3.1).
type SRv6SIDInfo struct {
	SID          netip.Addr
	Flags        uint8
	Behavior     uint16
	HasStructure bool
	Structure    SRv6SIDStructure
}

// PrefixSIDLabelIndexValue returns the label index of a Label-Index TLV
// value (RFC 8669 §3.1: reserved 1, flags 2, index 4).
func PrefixSIDLabelIndexValue(v []byte) uint32 { return afU32(v[3:]) }

// PrefixSIDSRGBRange returns range i of an Originator SRGB TLV value (flags
// 2 bytes, then base 3 + range 3 per range); n is the number of ranges.
func PrefixSIDSRGBRange(v []byte, i int) SRGBRange {
	o := 2 + 6*i
	return SRGBRange{Base: afU24(v[o:]), Range: afU24(v[o+3:])}
}

// PrefixSIDSRGBCount is the number of ranges of an SRGB TLV value.
func PrefixSIDSRGBCount(v []byte) int { return (len(v) - 2) / 6 }

// SRv6ServiceSubTLVs iterates over the sub-TLVs of an SRv6 L3/L2 Service
// TLV value (after its reserved byte).
func SRv6ServiceSubTLVs(v []byte) SIDTLVs {
	if len(v) == 0 {
		return SIDTLVs{}
	}
	return SIDTLVs{rest: v[1:]}
}

// ParseSRv6SIDInfo decodes an SRv6 SID Information sub-TLV value
// (reserved 1, SID 16, flags 1, behavior 2, reserved 1, sub-sub-TLVs).
func ParseSRv6SIDInfo(v []byte) (SRv6SIDInfo, bool) {
	if len(v) < 21 {
		return SRv6SIDInfo{}, false
	}
	s := SRv6SIDInfo{SID: netip.AddrFrom16([16]byte(v[1:])), Flags: v[17], Behavior: afU16(v[18:])}
	for it := NewSIDTLVs(v[21:]); it.Next(); {
		if it.Type() == 1 && len(it.Value()) >= 6 {
			d := it.Value()
			s.HasStructure = true
			s.Structure = SRv6SIDStructure{d[0], d[1], d[2], d[3], d[4], d[5]}
		}
	}
	return s, true
}

func prefixSIDErr(reason string) *NotifyError {
	return &NotifyError{Code: CodeUpdate, Subcode: 5, Action: AttrDiscard, Attr: AttrPrefixSID, Reason: reason}
}

// CheckPrefixSID validates a Prefix-SID attribute value: framing at every
// level, Label-Index length 7, SRGB ranges of 6 bytes, SID Information
// sub-TLVs of at least 21 bytes and structures of 6.
func CheckPrefixSID(v []byte) error {
	if err := sidFraming(v, "invalid BGP prefix SID attribute, truncated TLV"); err != nil {
		return err
	}
	for it := NewSIDTLVs(v); it.Next(); {
		d := it.Value()
		switch it.Type() {
		case PrefixSIDLabelIndex:
			if len(d) != 7 {
				return prefixSIDErr("invalid Label-Index TLV size, should be 7")
			}
		case PrefixSIDSRGB:
			if len(d) < 2 || (len(d)-2)%6 != 0 {
				return prefixSIDErr("invalid Originator SRGB TLV size")
			}
		case PrefixSIDSRv6L3, PrefixSIDSRv6L2:
			if err := checkSRv6Service(d); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkSRv6Service validates an SRv6 Service TLV value.
func checkSRv6Service(d []byte) error {
	if len(d) < 1 {
		return prefixSIDErr("SRv6 Service TLV without its reserved byte")
	}
	if err := sidFraming(d[1:], "SRv6 Service sub-TLV is truncated"); err != nil {
		return err
	}
	for it := SRv6ServiceSubTLVs(d); it.Next(); {
		if it.Type() != 1 {
			continue
		}
		s := it.Value()
		if len(s) < 21 {
			return prefixSIDErr("SRv6 SID Information sub-TLV is shorter than 21 bytes")
		}
		if err := sidFraming(s[21:], "SRv6 SID Information sub-sub-TLV is truncated"); err != nil {
			return err
		}
		for sub := NewSIDTLVs(s[21:]); sub.Next(); {
			if sub.Type() == 1 && len(sub.Value()) != 6 {
				return prefixSIDErr("SRv6 SID Structure sub-sub-TLV is not 6 bytes")
			}
		}
	}
	return nil
}

// sidFraming checks that b is exactly a sequence of SID TLVs.
func sidFraming(b []byte, reason string) error {
	for len(b) > 0 {
		if len(b) < 3 || 3+int(afU16(b[1:])) > len(b) {
			return prefixSIDErr(reason)
		}
		b = b[3+int(afU16(b[1:])):]
	}
	return nil
}
