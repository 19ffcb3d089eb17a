package wire

import "testing"

// FuzzMVPN is the round-trip property of [afFuzz] over MVPN NLRI, seeded with
// the golden vectors.
func FuzzMVPN(f *testing.F) {
	afSeed(f, SAFIMcastVPN)
	f.Fuzz(func(t *testing.T, afi uint8, addPath bool, in []byte) {
		afFuzz(t, afFuzzFamily(afi, SAFIMcastVPN), addPath, in)
	})
}
