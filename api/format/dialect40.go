package format

import "exago/wire"

// This file holds the renderers of ExaBGP 4.2 shapes that have no 5.0
// counterpart to switch inside; dialect.go decides when they are used.

// appendASPathSplit appends 4.2's AS_PATH members (aspath.py json()):
// `"as-path": [ 1, 2 ]` (sequences, "[]" when none), `"as-set": [ .. ]`
// (only when there is one), `"confederation-path": [ .. ]` ("[]" when
// none), `"confederation-set": [ .. ]` (only when there is one). Segments
// of one kind are concatenated, as 4.2 kept one list per kind.
func appendASPathSplit(b []byte, u *update, v []byte, asn4 bool) ([]byte, bool, error) {
	if len(v) == 0 {
		return b, false, nil // an empty AS_PATH is not shown (as in 5.0)
	}
	if !u.asn4 && u.seen(wire.AttrAS4Path) {
		var ua wire.UpdateAttrs
		if err := wire.DecodeAttributes(u.attrRaw, &wire.Negotiated{}, &ua); err != nil || !ua.HasASPath {
			return b, false, err
		}
		var merged []byte
		for _, seg := range ua.ASPath {
			merged = append(merged, seg.Type, byte(len(seg.ASNs)))
			for _, asn := range seg.ASNs {
				merged = append(merged, byte(asn>>24), byte(asn>>16), byte(asn>>8), byte(asn))
			}
		}
		v, asn4 = merged, true
	}
	if err := walkASPath(v, asn4, wire.AttrASPath, func(uint8, []byte) {}); err != nil {
		return b, false, err
	}
	kinds := [...]struct {
		t     uint8
		name  string
		empty string
	}{
		{wire.ASSequence, "as-path", "[]"},
		{wire.ASSet, "as-set", ""},
		{wire.ASConfedSequence, "confederation-path", "[]"},
		{wire.ASConfedSet, "confederation-set", ""},
	}
	n := 0
	for _, k := range kinds {
		has := false
		_ = walkASPath(v, asn4, wire.AttrASPath, func(t uint8, asns []byte) { has = has || (t == k.t && len(asns) > 0) })
		if !has && k.empty == "" {
			continue
		}
		if n > 0 {
			b = append(b, ", "...)
		}
		n++
		b = appendKey(b, k.name)
		if !has {
			b = append(b, k.empty...)
			continue
		}
		b = append(b, "[ "...)
		b = appendASNsOf(b, v, asn4, k.t, ", ")
		b = append(b, " ]"...)
	}
	return b, true, nil
}

// appendASNsOf appends the ASNs of every segment of type t, joined by sep.
func appendASNsOf(b []byte, v []byte, asn4 bool, t uint8, sep string) []byte {
	w := 2
	if asn4 {
		w = 4
	}
	k := 0
	_ = walkASPath(v, asn4, wire.AttrASPath, func(st uint8, asns []byte) {
		if st != t {
			return
		}
		for i := 0; i < len(asns); i += w {
			if k > 0 {
				b = append(b, sep...)
			}
			k++
			b = appendUint(b, asnAt(asns[i:], w))
		}
	})
	return b
}

// appendASPathText40 appends 4.2's str() of an AS path (aspath.py
// string()): "[ 1 2 ]", "[ 1 ( 3 4 ) ]" with a set, "[ ]" when empty, and
// the confederation part the same way right after.
func appendASPathText40(b []byte, v []byte, asn4 bool) []byte {
	b = appendSeqSet40(b, v, asn4, wire.ASSequence, wire.ASSet)
	has := false
	_ = walkASPath(v, asn4, wire.AttrASPath, func(t uint8, asns []byte) {
		has = has || ((t == wire.ASConfedSequence || t == wire.ASConfedSet) && len(asns) > 0)
	})
	if has {
		b = appendSeqSet40(b, v, asn4, wire.ASConfedSequence, wire.ASConfedSet)
	}
	return b
}

// appendSeqSet40 is aspath.py string(aseq, aset).
func appendSeqSet40(b []byte, v []byte, asn4 bool, seq, set uint8) []byte {
	nseq, nset := countASNs(v, asn4, seq), countASNs(v, asn4, set)
	b = append(b, "[ "...)
	if nseq > 0 {
		b = appendASNsOf(b, v, asn4, seq, " ")
		b = append(b, ' ')
	}
	if nset > 0 {
		b = append(b, "( "...)
		b = appendASNsOf(b, v, asn4, set, " ")
		b = append(b, " ) "...)
		if nseq == 0 {
			b = b[:len(b)-1] // "[ ( 1 2 )]"
		}
	}
	if nseq == 0 && nset == 0 {
		return append(b, ']')
	}
	return append(b, ']')
}

// countASNs counts the ASNs in segments of type t.
func countASNs(v []byte, asn4 bool, t uint8) int {
	w := 2
	if asn4 {
		w = 4
	}
	n := 0
	_ = walkASPath(v, asn4, wire.AttrASPath, func(st uint8, asns []byte) {
		if st == t {
			n += len(asns) / w
		}
	})
	return n
}
