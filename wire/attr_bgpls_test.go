package wire

import (
	"errors"
	"testing"
)

func TestLSAttr(t *testing.T) {
	good := afHex(t, "0440 0004 00000001 0447 0003 00000a 044b 0007 30000000 0493e0 2710 0002 abcd")
	if err := CheckLSAttr(good); err != nil {
		t.Fatal(err)
	}
	n := 0
	for it := NewLSTLVs(good); it.Next(); n++ {
	}
	if n != 4 {
		t.Fatalf("%d TLVs", n)
	}
	for _, h := range []string{
		"0440 0003 000001",                      // admin group not 4
		"0447 0004 0000000a",                    // igp metric of 4
		"0452 0004 00300000",                    // End.X shorter than 22
		"0404 0003 0a0000",                      // TE router-ID not 4/16
		"0448 0005 0000000100",                  // SRLG not 4n
		"0440 0008 00000001",                    // runs past the end
		"04",                                    // truncated header
		"040a 000a 00 00 000010 0480 0003 0000", // SR capabilities bad sub-TLV
	} {
		err := CheckLSAttr(afHex(t, h))
		var ne *NotifyError
		if !errors.As(err, &ne) || ne.Action != AttrDiscard || ne.Attr != AttrBGPLS {
			t.Errorf("%s: %v", h, err)
		}
	}
}

// FuzzLSAttr: CheckLSAttr never panics.
func FuzzLSAttr(f *testing.F) {
	f.Add(afHex(f, "0440 0004 00000001 0447 0003 00000a"))
	f.Fuzz(func(t *testing.T, v []byte) {
		if CheckLSAttr(v) == nil {
			for it := NewLSTLVs(v); it.Next(); {
			}
		}
	})
}
