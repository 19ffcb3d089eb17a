package rib

import (
	"bufio"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"exago/wire"
)

// TestPySetOrder checks the emulation of CPython's set order against
// orders python3 printed (testdata/pyset_gen.py): subsets and
// permutations of every family ExaBGP 5.0 knows, as cached_changes
// builds them and as resend rebuilds _refresh_families from them.
func TestPySetOrder(t *testing.T) {
	f, err := os.Open("testdata/pyset.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	parse := func(s string) []wire.Family {
		var l []wire.Family
		for _, w := range strings.Fields(s) {
			a, b, _ := strings.Cut(w, "/")
			afi, err1 := strconv.Atoi(a)
			safi, err2 := strconv.Atoi(b)
			if err1 != nil || err2 != nil {
				t.Fatalf("bad family %q", w)
			}
			l = append(l, wire.Family{AFI: wire.AFI(afi), SAFI: wire.SAFI(safi)})
		}
		return l
	}
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "|")
		if len(parts) != 3 {
			t.Fatalf("bad line %q", line)
		}
		seq, want, refresh := parse(parts[0]), parse(parts[1]), parse(parts[2])
		if got := pySetOrder(seq); !slices.Equal(got, want) {
			t.Errorf("pySetOrder(%v) = %v, python: %v", seq, got, want)
		}
		if got := pySetOrder(pySetOrder(seq)); !slices.Equal(got, refresh) {
			t.Errorf("refresh order of %v = %v, python: %v", seq, got, refresh)
		}
		n++
	}
	if n < 500 {
		t.Fatalf("only %d cases", n)
	}
}
