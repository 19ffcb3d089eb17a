package wire

// AS_PATH and AS4_PATH (RFC 4271 §5.1.2, RFC 6793, RFC 5065).

// maxSegment is the most ASNs one segment holds; longer ones are split.
const maxSegment = 255

// walkASPath validates an AS_PATH value of ASNs of width w and returns the
// number of segments and ASNs: 3/11 for an unknown segment type or a
// truncated segment.
func walkASPath(v []byte, w int) (segs, asns int, err error) {
	for len(v) > 0 {
		if len(v) < 2 {
			return 0, 0, bad(SubcodeMalformedASPath, "AS_PATH segment header truncated")
		}
		t, n := v[0], int(v[1])
		if t < ASSet || t > ASConfedSet {
			return 0, 0, bad(SubcodeMalformedASPath, "invalid AS_PATH segment type")
		}
		if n == 0 { // RFC 7606 §7.2 (ExaBGP accepts it)
			return 0, 0, bad(SubcodeMalformedASPath, "empty AS_PATH segment")
		}
		if len(v) < 2+n*w {
			return 0, 0, bad(SubcodeMalformedASPath, "AS_PATH segment overruns the attribute")
		}
		segs, asns, v = segs+1, asns+n, v[2+n*w:]
	}
	return segs, asns, nil
}

// parseASPath decodes v, an AS_PATH value of ASNs of width w, into
// segments backed by the asns buffer, in one pass: 3/11 for an unknown
// segment type or an empty or truncated segment (as walkASPath). The
// buffers are grown once, up front, to what len(v) can hold (each segment
// has at least one ASN), so the segments do not alias each other's
// storage.
func parseASPath(v []byte, w int, segs []ASSegment, asns []uint32) ([]ASSegment, []uint32, error) {
	shift := uint(1) // log2(w)
	if w == 4 {
		shift = 2
	}
	if cap(asns) < len(v)>>shift {
		asns = make([]uint32, 0, len(v)>>shift)
	}
	if cap(segs) < len(v)>>2 { // a segment takes 4 octets or more
		segs = make([]ASSegment, 0, len(v)>>2)
	}
	asns, segs = asns[:0], segs[:0]
	for len(v) > 0 {
		if len(v) < 2 {
			return segs, asns, bad(SubcodeMalformedASPath, "AS_PATH segment header truncated")
		}
		t, n := v[0], int(v[1])
		if t < ASSet || t > ASConfedSet {
			return segs, asns, bad(SubcodeMalformedASPath, "invalid AS_PATH segment type")
		}
		if n == 0 { // RFC 7606 §7.2 (ExaBGP accepts it)
			return segs, asns, bad(SubcodeMalformedASPath, "empty AS_PATH segment")
		}
		end := 2 + n<<shift
		if len(v) < end {
			return segs, asns, bad(SubcodeMalformedASPath, "AS_PATH segment overruns the attribute")
		}
		start := len(asns)
		asns = asns[:start+n]
		seg := asns[start : start+n : start+n]
		if p := v[2:end]; shift == 2 {
			for i := range seg {
				seg[i] = be.Uint32(p[4*i:])
			}
		} else {
			for i := range seg {
				seg[i] = uint32(be.Uint16(p[2*i:]))
			}
		}
		segs = append(segs, ASSegment{Type: t, ASNs: seg})
		v = v[end:]
	}
	return segs, asns, nil
}

func decodeASPath(d *attrDecoder, v []byte) error { return d.u.decodeASPath(v, d.asn4) }

func (u *UpdateAttrs) decodeASPath(v []byte, asn4 bool) error {
	w := 2
	if asn4 {
		w = 4
	}
	segs, asns, err := parseASPath(v, w, u.segs, u.asns)
	u.segs, u.asns = segs, asns // keep grown buffers
	if err != nil {
		return err
	}
	u.HasASPath, u.ASPath = true, segs
	return nil
}

func decodeAS4Path(d *attrDecoder, v []byte) error {
	if _, _, err := walkASPath(v, 4); err != nil {
		return err
	}
	d.u.as4path = v
	return nil
}

// pathLen counts a path as RFC 4271 §9.1.2.2 does: an AS_SET counts one,
// confederation segments count zero.
func pathLen(p []ASSegment) int {
	n := 0
	for _, s := range p {
		switch s.Type {
		case ASSequence:
			n += len(s.ASNs)
		case ASSet:
			n++
		}
	}
	return n
}

// mergeAS4Path rebuilds the path per RFC 6793 §4.2.3: when AS_PATH is at
// least as long as AS4_PATH, keep its leading ASNs that AS4_PATH does not
// cover and append AS4_PATH; otherwise ignore AS4_PATH. This allocates (a
// rare, 2-octet-session-only path).
func (u *UpdateAttrs) mergeAS4Path() {
	as4, _, err := parseASPath(u.as4path, 4, nil, nil)
	if err != nil {
		return
	}
	keep := pathLen(u.ASPath) - pathLen(as4)
	if keep < 0 {
		return
	}
	var merged []ASSegment
	for _, s := range u.ASPath {
		if keep == 0 && s.Type != ASConfedSequence && s.Type != ASConfedSet {
			break
		}
		switch s.Type {
		case ASSequence:
			n := min(keep, len(s.ASNs))
			merged = append(merged, ASSegment{ASSequence, append([]uint32(nil), s.ASNs[:n]...)})
			keep -= n
		case ASSet:
			merged = append(merged, ASSegment{ASSet, append([]uint32(nil), s.ASNs...)})
			keep--
		default:
			merged = append(merged, ASSegment{s.Type, append([]uint32(nil), s.ASNs...)})
		}
	}
	if n := len(merged); n > 0 && len(as4) > 0 && merged[n-1].Type == ASSequence && as4[0].Type == ASSequence {
		merged[n-1].ASNs = append(merged[n-1].ASNs, as4[0].ASNs...)
		as4 = as4[1:]
	}
	u.ASPath = append(merged, as4...)
}

// appendSegments appends path as AS_PATH segments of ASN width w, mapping
// ASNs above 65535 to AS_TRANS when w is 2; segments longer than 255 are
// split, empty ones skipped (as ExaBGP).
func appendSegments(b []byte, path []ASSegment, w int) []byte {
	for _, s := range path {
		for asns := s.ASNs; len(asns) > 0; {
			n := min(len(asns), maxSegment)
			b = append(b, s.Type, byte(n))
			for _, a := range asns[:n] {
				if w == 4 {
					b = appendU32(b, a)
				} else if a > 0xffff {
					b = appendU16(b, ASTrans)
				} else {
					b = appendU16(b, uint16(a))
				}
			}
			asns = asns[n:]
		}
	}
	return b
}

// needsAS4 reports whether a path has an ASN that does not fit 2 octets.
func needsAS4(path []ASSegment) bool {
	for _, s := range path {
		for _, a := range s.ASNs {
			if a > 0xffff {
				return true
			}
		}
	}
	return false
}

// appendASPath appends AS_PATH for the session, plus AS4_PATH when the
// session uses 2-octet ASNs and the path needs them (RFC 6793 §4.2.2).
func appendASPath(b []byte, path []ASSegment, asn4 bool) []byte {
	w := 2
	if asn4 {
		w = 4
	}
	b, s := beginAttr(b, FlagTransitive, AttrASPath)
	b = endAttr(appendSegments(b, path, w), s)
	if !asn4 && needsAS4(path) {
		b, s = beginAttr(b, FlagOptional|FlagTransitive, AttrAS4Path)
		b = endAttr(appendSegments(b, path, 4), s)
	}
	return b
}

// appendDefaultASPath appends AS_PATH [asn], ExaBGP's eBGP default, with
// AS4_PATH on a 2-octet session when asn needs 4 octets.
func appendDefaultASPath(b []byte, asn uint32, asn4 bool) []byte {
	if asn4 {
		return appendU32(append(b, FlagTransitive, AttrASPath, 6, ASSequence, 1), asn)
	}
	if asn <= 0xffff {
		return appendU16(append(b, FlagTransitive, AttrASPath, 4, ASSequence, 1), uint16(asn))
	}
	b = appendU16(append(b, FlagTransitive, AttrASPath, 4, ASSequence, 1), ASTrans)
	return appendU32(append(b, FlagOptional|FlagTransitive, AttrAS4Path, 6, ASSequence, 1), asn)
}
