package rib

import (
	"math/bits"

	"exago/wire"
)

// ExaBGP walks the families of a re-send through Python sets of
// (afi, safi) tuples (rib/cache.py cached_changes:
// set(families).intersection(self.families); rib/outgoing.py resend's
// _refresh_families), so the order of the UPDATEs re-sent on a new
// session, on `flush adj-rib out` and on `clear adj-rib out`, and of the
// RFC 7313 BoRR/EoRR markers, is CPython's set iteration order: the order
// of the slots of the set's hash table. pySet emulates that table for
// families (CPython 3.8 to 3.13, 64-bit: Objects/setobject.c and the
// xxHash-based tuple hash of Objects/tupleobject.c), so that ExaGo
// reproduces it deterministically for any list of families.

// CPython's set table constants (Objects/setobject.c).
const (
	pySetMinSize     = 8
	pyLinearProbes   = 9
	pyPerturbShift   = 5
	pyXXPrime1       = 11400714785074694791
	pyXXPrime2       = 14029467366897019727
	pyXXPrime5       = 2870177450012600261
	pyTupleLenMangle = 3527539
)

// pyFamilyHash is CPython's hash of the tuple (afi, safi): ExaBGP's AFI and
// SAFI are int subclasses that hash as their value, and a tuple hashes its
// items with xxHash's round (tuplehash).
func pyFamilyHash(f wire.Family) uint64 {
	acc := uint64(pyXXPrime5)
	for _, lane := range [2]uint64{uint64(f.AFI), uint64(f.SAFI)} {
		acc += lane * pyXXPrime2
		acc = bits.RotateLeft64(acc, 31)
		acc *= pyXXPrime1
	}
	acc += 2 ^ (pyXXPrime5 ^ pyTupleLenMangle)
	if acc == ^uint64(0) {
		return 1546275796
	}
	return acc
}

type pySlot struct {
	f    wire.Family
	hash uint64
	used bool
}

// pySet is a CPython set of families built by insertions only (no
// deletion, so no dummy entries): set(list), set.add and the result of
// set.intersection(list), which adds the list's items in list order.
type pySet struct {
	table []pySlot
	fill  int
}

// add is set_add_entry: linear probing of up to pyLinearProbes slots, then
// perturbed jumps; the table grows once it is 3/5 full.
func (s *pySet) add(f wire.Family) {
	if s.table == nil {
		s.table = make([]pySlot, pySetMinSize)
	}
	h := pyFamilyHash(f)
	mask := uint64(len(s.table) - 1)
	i, perturb := h&mask, h
	for {
		probes := uint64(0)
		if i+pyLinearProbes <= mask {
			probes = pyLinearProbes
		}
		for j := i; j <= i+probes; j++ {
			e := &s.table[j]
			if !e.used {
				*e = pySlot{f: f, hash: h, used: true}
				s.fill++
				if uint64(s.fill)*5 >= mask*3 {
					s.resize()
				}
				return
			}
			if e.hash == h && e.f == f {
				return
			}
		}
		perturb >>= pyPerturbShift
		i = (i*5 + 1 + perturb) & mask
	}
}

// resize is set_table_resize: the smallest power of two above 4 times the
// entries (2 times past 50000), entries re-inserted in slot order.
func (s *pySet) resize() {
	minUsed := s.fill * 4
	if s.fill > 50000 {
		minUsed = s.fill * 2
	}
	size := pySetMinSize
	for size <= minUsed {
		size <<= 1
	}
	old := s.table
	s.table = make([]pySlot, size)
	mask := uint64(size - 1)
	for _, e := range old {
		if !e.used {
			continue
		}
		i, perturb := e.hash&mask, e.hash
		for placed := false; !placed; {
			probes := uint64(0)
			if i+pyLinearProbes <= mask {
				probes = pyLinearProbes
			}
			for j := i; j <= i+probes; j++ {
				if !s.table[j].used {
					s.table[j] = e
					placed = true
					break
				}
			}
			perturb >>= pyPerturbShift
			i = (i*5 + 1 + perturb) & mask
		}
	}
}

// appendOrder appends the families in iteration order.
func (s *pySet) appendOrder(dst []wire.Family) []wire.Family {
	for _, e := range s.table {
		if e.used {
			dst = append(dst, e.f)
		}
	}
	return dst
}

// pySetOrder is the iteration order of the Python set built by adding
// seq's families in order.
func pySetOrder(seq []wire.Family) []wire.Family {
	var s pySet
	for _, f := range seq {
		s.add(f)
	}
	return s.appendOrder(make([]wire.Family, 0, len(seq)))
}

// requestedFamilies is the order in which ExaBGP's cached_changes walks
// the families: set(want).intersection(families), families being the
// neighbor's list (AFI then SAFI order) and want nil for all of them.
func requestedFamilies(families, want []wire.Family) []wire.Family {
	if want == nil {
		return pySetOrder(families)
	}
	sel := make([]wire.Family, 0, len(families))
	for _, f := range families {
		if hasFamily(want, f) {
			sel = append(sel, f)
		}
	}
	return pySetOrder(sel)
}
