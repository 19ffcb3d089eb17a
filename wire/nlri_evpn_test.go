package wire

import "testing"

// FuzzEVPN is the round-trip property of [afFuzz] over EVPN NLRI, seeded with
// the golden vectors.
func FuzzEVPN(f *testing.F) {
	afSeed(f, SAFIEVPN)
	f.Fuzz(func(t *testing.T, afi uint8, addPath bool, in []byte) {
		afFuzz(t, L2VPNEVPN, addPath, in)
	})
}
