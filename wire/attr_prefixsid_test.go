package wire

import (
	"errors"
	"net/netip"
	"testing"
)

func TestPrefixSID(t *testing.T) {
	v := afHex(t, "01 0007 00 0000 00000309 03 000e 0000 0c3500 001000 0f4240 001388"+
		" 05 0022 00 01 001e 00 fc000000000000000000000000000001 00 0048 00 01 0006 401810000000")
	if err := CheckPrefixSID(v); err != nil {
		t.Fatal(err)
	}
	it := NewSIDTLVs(v)
	var types []uint8
	for it.Next() {
		types = append(types, it.Type())
		switch it.Type() {
		case PrefixSIDLabelIndex:
			if PrefixSIDLabelIndexValue(it.Value()) != 777 {
				t.Errorf("label index %d", PrefixSIDLabelIndexValue(it.Value()))
			}
		case PrefixSIDSRGB:
			if PrefixSIDSRGBCount(it.Value()) != 2 || PrefixSIDSRGBRange(it.Value(), 1) != (SRGBRange{1000000, 5000}) {
				t.Errorf("srgb %x", it.Value())
			}
		case PrefixSIDSRv6L3:
			sub := SRv6ServiceSubTLVs(it.Value())
			if !sub.Next() {
				t.Fatal("no sub-TLV")
			}
			s, ok := ParseSRv6SIDInfo(sub.Value())
			want := SRv6SIDInfo{SID: netip.MustParseAddr("fc00::1"), Behavior: 0x48, HasStructure: true,
				Structure: SRv6SIDStructure{64, 24, 16, 0, 0, 0}}
			if !ok || s != want {
				t.Errorf("sid info %+v", s)
			}
		}
	}
	if len(types) != 3 {
		t.Fatalf("types %v", types)
	}
}

func TestPrefixSIDMalformed(t *testing.T) {
	for _, h := range []string{
		"01 0006 00 0000 000003", // label index not 7
		"01 0007 00 0000 0000",   // TLV runs past the end
		"03 0005 0000 0c3500",    // srgb not 2+6n
		"05 0005 00 01 0002 00",  // sid information shorter than 21
		"05 0001",                // truncated
		"06 0019 00 01 0016 00 fc000000000000000000000000000001 00 0048 00 01", // bad sub-sub-TLV
	} {
		err := CheckPrefixSID(afHex(t, h))
		var ne *NotifyError
		if !errors.As(err, &ne) || ne.Action != AttrDiscard || ne.Attr != AttrPrefixSID {
			t.Errorf("%s: %v", h, err)
		}
	}
}

// FuzzPrefixSID: CheckPrefixSID and the iterators never panic, and what
// CheckPrefixSID accepts can be walked fully.
func FuzzPrefixSID(f *testing.F) {
	f.Add(afHex(f, "01 0007 00 0000 00000309 03 0008 0000 0c3500 001000"))
	f.Add(afHex(f, "05 0022 00 01 001e 00 fc000000000000000000000000000001 00 0048 00 01 0006 401810000000"))
	f.Fuzz(func(t *testing.T, v []byte) {
		if CheckPrefixSID(v) != nil {
			return
		}
		for it := NewSIDTLVs(v); it.Next(); {
			switch it.Type() {
			case PrefixSIDLabelIndex:
				PrefixSIDLabelIndexValue(it.Value())
			case PrefixSIDSRGB:
				for i := 0; i < PrefixSIDSRGBCount(it.Value()); i++ {
					PrefixSIDSRGBRange(it.Value(), i)
				}
			case PrefixSIDSRv6L3, PrefixSIDSRv6L2:
				for s := SRv6ServiceSubTLVs(it.Value()); s.Next(); {
					ParseSRv6SIDInfo(s.Value())
				}
			}
		}
	})
}
