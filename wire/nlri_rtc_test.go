package wire

import "testing"

// FuzzRTC is the round-trip property of [afFuzz] over RTC NLRI, seeded with
// the golden vectors.
func FuzzRTC(f *testing.F) {
	afSeed(f, SAFIRTC)
	f.Fuzz(func(t *testing.T, afi uint8, addPath bool, in []byte) {
		afFuzz(t, IPv4RTC, addPath, in)
	})
}
