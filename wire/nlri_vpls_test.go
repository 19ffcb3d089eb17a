package wire

import "testing"

// FuzzVPLS is the round-trip property of [afFuzz] over VPLS NLRI, seeded with
// the golden vectors.
func FuzzVPLS(f *testing.F) {
	afSeed(f, SAFIVPLS)
	f.Fuzz(func(t *testing.T, afi uint8, addPath bool, in []byte) {
		afFuzz(t, L2VPNVPLS, addPath, in)
	})
}
