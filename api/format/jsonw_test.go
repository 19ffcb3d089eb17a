package format

import (
	"net/netip"
	"strconv"
	"testing"

	"exago/wire"
)

// TestAppendFloatTime31: the fast "time" form is strconv's shortest form
// for every float64 of the binade [2^30, 2^31) (each of its 2^22
// fractions at one integer part, a sample at another), and the slow path keeps ".0".
func TestAppendFloatTime31(t *testing.T) {
	var got, want []byte
	for _, ip := range []float64{1700000000, 1 << 30} {
		step := 1
		if testing.Short() || ip == 1<<30 {
			step = 97
		}
		for m := 0; m < 1<<22; m += step {
			f := ip + float64(m)/(1<<22)
			got = appendFloatTime(got[:0], f)
			want = appendFloatShortest(want[:0], f)
			if string(got) != string(want) {
				t.Fatalf("m=%d: %s, strconv %s", m, got, want)
			}
		}
	}
	for _, f := range []float64{1<<31 - 1e-6, 1<<31 - 1, 1 << 31, 1.5, 1, 1700000000} {
		want := strconv.FormatFloat(f, 'f', -1, 64)
		if f == float64(int64(f)) {
			want += ".0"
		}
		if got := string(appendFloatTime(nil, f)); got != want {
			t.Errorf("%v: %s, want %s", f, got, want)
		}
	}
}

// TestAppendAddrPrefix: the IPv4 fast paths print what netip prints.
func TestAppendAddrPrefix(t *testing.T) {
	var got []byte
	for x := 0; x < 256; x++ {
		for k := 0; k < 4; k++ {
			v := [4]byte{1, 22, 233, 4}
			v[k] = byte(x)
			a := netip.AddrFrom4(v)
			if got = appendAddr(got[:0], a); string(got) != a.String() {
				t.Fatalf("%s: %s", a, got)
			}
			p := netip.PrefixFrom(a, x%33)
			if got = appendPrefix(got[:0], p); string(got) != p.String() {
				t.Fatalf("%s: %s", p, got)
			}
		}
	}
	for _, s := range []string{"::", "2001:db8::1", "::ffff:10.0.0.1", "fe80::1%eth0"} {
		a := netip.MustParseAddr(s)
		if got = appendAddr(got[:0], a); string(got) != a.String() {
			t.Errorf("%s: %s", a, got)
		}
		p := netip.PrefixFrom(a.WithZone(""), 64)
		if got = appendPrefix(got[:0], p); string(got) != p.String() {
			t.Errorf("%s: %s", p, got)
		}
	}
	for _, p := range []netip.Prefix{{}, netip.PrefixFrom(netip.AddrFrom4([4]byte{1, 2, 3, 4}), 33)} {
		if got = appendPrefix(got[:0], p); string(got) != string(p.AppendTo(nil)) {
			t.Errorf("%s: %s", p, got)
		}
	}
	if got = appendAddr(got[:0], netip.Addr{}); string(got) != string(netip.Addr{}.AppendTo(nil)) {
		t.Errorf("zero: %s", got)
	}
}

// TestAppendUint: the digit-pair form is strconv's.
func TestAppendUint(t *testing.T) {
	got := []byte("ab")
	check := func(v uint64) {
		if got = appendUint(got[:2], v); string(got[:2]) != "ab" || string(got[2:]) != strconv.FormatUint(v, 10) {
			t.Fatalf("%d: %s", v, got)
		}
		if full := appendUint(make([]byte, 1, 1), v); string(full[1:]) != strconv.FormatUint(v, 10) {
			t.Fatalf("%d (growing): %s", v, full)
		}
	}
	for v := uint64(0); v < 100000; v++ {
		check(v)
	}
	for v := uint64(100000); v < 1<<32; v = v*3 + 7 {
		check(v)
	}
	for p := uint64(1); p < 1e19; p *= 10 {
		for _, d := range []uint64{p - 1, p, p + 1, 2*p - 1, 9 * p} {
			check(d)
		}
	}
	for _, v := range []uint64{1<<32 - 1, 1 << 32, 1<<64 - 1, 4200000000, 65535, 65536} {
		check(v)
	}
}

// TestAppendFamilyName: the unicast shortcut is SAFI.String's name.
func TestAppendFamilyName(t *testing.T) {
	for _, f := range wire.AllFamilies {
		if got := string(appendFamilyName(nil, f, ' ')); got != f.String() {
			t.Errorf("%v: %s", f, got)
		}
	}
}
