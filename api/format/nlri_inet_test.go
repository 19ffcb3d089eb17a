package format

import (
	"math/rand/v2"
	"testing"

	"exago/wire"
)

// TestAppendIPv4List: the bare-IPv4 fast path prints what the checking
// iterator prints, and gives way on every malformed run.
func TestAppendIPv4List(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		data := make([]byte, r.IntN(24))
		for k := range data {
			data[k] = byte(r.IntN(256))
			if r.IntN(3) > 0 {
				data[k] = byte(r.IntN(34))
			}
		}
		for _, compact := range []bool{false, true} {
			src := nlriSource{fam: wire.IPv4Unicast, data: data}
			var want []byte
			n := 0
			it := newNLRIIter(&src)
			for it.next() {
				if n > 0 {
					want = append(want, ", "...)
				}
				n++
				want = it.appendJSON(want, Style{Compact: compact}, src.nh[0])
			}
			got, gn, ok := appendIPv4List([]byte("x"), data, compact, 0)
			if ok != (it.err == nil) {
				t.Fatalf("% x: ok %v, iterator error %v", data, ok, it.err)
			}
			if ok && (string(got) != "x"+string(want) || gn != n) {
				t.Fatalf("% x: %s (%d), want %s (%d)", data, got, gn, want, n)
			}
			if !ok && (string(got) != "x" || gn != 0) {
				t.Fatalf("% x: left %q %d", data, got, gn)
			}
		}
	}
}
