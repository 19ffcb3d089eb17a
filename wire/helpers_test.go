package wire

import (
	"encoding/hex"
	"strings"
	"testing"
)

// unhex decodes hex with optional ':' and space separators.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	s = strings.NewReplacer(":", "", " ", "", "\n", "", "\t", "").Replace(s)
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func tohex(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }
