package wire

import "testing"

// FuzzMUP is the round-trip property of [afFuzz] over MUP NLRI, seeded with
// the golden vectors.
func FuzzMUP(f *testing.F) {
	afSeed(f, SAFIMUP)
	f.Fuzz(func(t *testing.T, afi uint8, addPath bool, in []byte) {
		afFuzz(t, afFuzzFamily(afi, SAFIMUP), addPath, in)
	})
}
