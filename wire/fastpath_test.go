package wire

import (
	"reflect"
	"testing"
)

// The fast paths of DecodeAttributes and PrefixIter.Next must give what
// the reference decoders give: the attribute table alone, the two-pass
// AS_PATH parser, and DecodeNLRI (FuzzPrefixes).

// refDecodeAttributes is DecodeAttributes through the attribute table
// only (no fast loop).
func refDecodeAttributes(b []byte, n *Negotiated, u *UpdateAttrs) error {
	u.reset()
	if err := u.slowAttrs(b, 0, n); err != nil {
		return err
	}
	u.finish(n.IsASN4())
	return nil
}

// refParseASPath is the two-pass AS_PATH parser the one-pass parseASPath
// replaced (validate with walkASPath, then fill).
func refParseASPath(v []byte, w int) ([]ASSegment, error) {
	ns, _, err := walkASPath(v, w)
	if err != nil {
		return nil, err
	}
	segs := make([]ASSegment, 0, ns)
	for len(v) > 0 {
		t, n := v[0], int(v[1])
		var asns []uint32
		for i := 0; i < n; i++ {
			if w == 4 {
				asns = append(asns, be.Uint32(v[2+4*i:]))
			} else {
				asns = append(asns, uint32(be.Uint16(v[2+2*i:])))
			}
		}
		segs = append(segs, ASSegment{Type: t, ASNs: asns})
		v = v[2+n*w:]
	}
	return segs, nil
}

// decoded is the exported outcome of a decode, with empty slices as nil
// (a reused UpdateAttrs keeps empty, non-nil buffers).
type decoded struct {
	Attrs      Attributes
	HasNextHop bool
	NextHop    any
	HasReach   bool
	Reach      []byte
	HasUnreach bool
	Unreach    []byte
	Withdraw   *NotifyError
	Discarded  []uint8
	Err        error
}

func outcome(u *UpdateAttrs, err error) decoded {
	a := u.Attributes
	if len(a.ASPath) == 0 {
		a.ASPath = nil
	}
	d := decoded{Attrs: a, HasNextHop: u.HasNextHop, NextHop: u.NextHop, HasReach: u.HasReach, Reach: u.Reach,
		HasUnreach: u.HasUnreach, Unreach: u.Unreach, Withdraw: u.Withdraw, Discarded: u.Discarded, Err: err}
	if len(d.Discarded) == 0 {
		d.Discarded = nil
	}
	return d
}

func checkFastPath(t *testing.T, b []byte, n *Negotiated, reused *UpdateAttrs) {
	t.Helper()
	var ref, fresh UpdateAttrs
	want := outcome(&ref, refDecodeAttributes(b, n, &ref))
	if got := outcome(&fresh, DecodeAttributes(b, n, &fresh)); !reflect.DeepEqual(got, want) {
		t.Fatalf("fast path differs from the table\n got %+v\nwant %+v\n in %x", got, want, b)
	}
	if got := outcome(reused, DecodeAttributes(b, n, reused)); !reflect.DeepEqual(got, want) {
		t.Fatalf("reused UpdateAttrs differs from the table\n got %+v\nwant %+v\n in %x", got, want, b)
	}
	for _, w := range []int{2, 4} {
		segs, _, err := parseASPath(b, w, nil, nil)
		rsegs, rerr := refParseASPath(b, w)
		if (err == nil) != (rerr == nil) || err == nil && len(segs)+len(rsegs) > 0 && !reflect.DeepEqual(segs, rsegs) {
			t.Fatalf("parseASPath(%x, %d) = %v %v, two-pass %v %v", b, w, segs, err, rsegs, rerr)
		}
	}
}

func fastPathSeeds(tb testing.TB) [][]byte {
	out := [][]byte{
		{0x40, 1, 1, 0},                              // ORIGIN
		{0x40, 1, 1, 3},                              // bad ORIGIN value
		{0x50, 1, 0, 1, 0},                           // extended length ORIGIN
		{0x60, 1, 1, 0},                              // Partial on a well-known
		{0x40, 2, 0, 0x40, 2, 4, 2, 1, 0, 1},         // empty then repeated AS_PATH
		{0x40, 2, 4, 2, 0, 0, 1},                     // empty segment
		{0x40, 2, 6, 2, 1, 0, 0, 0xfd, 0xe8},         // 4-octet AS_PATH
		{0xa0, 4, 4, 0, 0, 0, 1},                     // MED with Partial
		{0xc0, 8, 3, 1, 2, 3},                        // bad COMMUNITIES length
		{0xc0, 32, 0},                                // empty LARGE_COMMUNITY
		{0x80, 14, 0},                                // empty MP_REACH_NLRI
		{0x80, 15, 3, 0, 1, 1, 0x80, 15, 3, 0, 2, 1}, // repeated MP_UNREACH_NLRI
		{0x40, 6, 0, 0xc0, 7, 6, 0, 1, 10, 0, 0, 1},  // ATOMIC_AGGREGATE, AGGREGATOR
		{0xc0, 99, 2, 1, 2, 0x40, 1, 1, 0},           // unknown transitive first
		{0x40, 1},                                    // truncated header
		{0x40, 1, 1, 0, 0x50, 2, 0, 6, 2, 1, 0, 0, 0xfd, 0xe8, 0x90, 4, 0, 4, 0, 0, 0, 1}, // extended lengths
		{0x40, 1, 1, 0, 0xd0, 8, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8, 0x40, 5, 4, 0, 0, 0, 100},
		{0x40, 1, 1, 0, 0x90, 14, 0, 5, 0, 1, 1, 0, 0, 0x50, 3, 0, 4, 10, 0, 0, 1}, // more
	}
	for _, s := range seedHex(tb) {
		if len(s) > HeaderLen && s[18] == TypeUpdate {
			if u, err := DecodeUpdate(s[HeaderLen:]); err == nil {
				out = append(out, u.PathAttrs)
			}
		}
	}
	b, _ := sampleUpdate(tb, 1)
	u, _ := DecodeUpdate(b[HeaderLen:])
	return append(out, u.PathAttrs)
}

func TestAttributesFastPath(t *testing.T) {
	var reused UpdateAttrs
	for _, asn4 := range []bool{true, false} {
		n := decodeSession()
		n.ASN4 = asn4
		for _, b := range fastPathSeeds(t) {
			checkFastPath(t, b, n, &reused)
			for i := range b { // every truncation
				checkFastPath(t, b[:i], n, &reused)
			}
		}
	}
}

// FuzzAttributesFastPath checks DecodeAttributes' fast loop against the
// attribute table, on a 4-octet and a 2-octet session, into fresh and
// reused UpdateAttrs.
func FuzzAttributesFastPath(f *testing.F) {
	for _, b := range fastPathSeeds(f) {
		f.Add(b, true)
	}
	var reused UpdateAttrs
	f.Fuzz(func(t *testing.T, b []byte, asn4 bool) {
		n := decodeSession()
		n.ASN4 = asn4
		checkFastPath(t, b, n, &reused)
	})
}

// TestDecodeAttributesReuse decodes UPDATEs with different attributes in
// turn into one UpdateAttrs: what the previous decode set and this one
// does not must be cleared, by the fast passes and after the table.
func TestDecodeAttributesReuse(t *testing.T) {
	full, _ := sampleUpdate(t, 1)
	fu, _ := DecodeUpdate(full[HeaderLen:])
	seq := [][]byte{
		fu.PathAttrs,
		{0x40, 1, 1, 0}, // ORIGIN only
		fu.PathAttrs,
		{0x40, 1, 1, 2, 0x80, 9, 4, 10, 0, 0, 1, 0x80, 10, 4, 10, 0, 0, 2}, // ORIGINATOR_ID, CLUSTER_LIST (table)
		{0xc0, 8, 4, 0, 0, 0, 1, 0x40, 1, 1, 0},                            // out of order
		{0x40, 1, 1, 3},                                                    // treat-as-withdraw
		fu.PathAttrs,
		{0xc0, 99, 1, 0, 0x80, 15, 3, 0, 2, 1}, // unknown, MP_UNREACH_NLRI
		{},
		fu.PathAttrs,
	}
	n := decodeSession()
	var reused UpdateAttrs
	for i, b := range seq {
		var fresh UpdateAttrs
		want := outcome(&fresh, DecodeAttributes(b, n, &fresh))
		if got := outcome(&reused, DecodeAttributes(b, n, &reused)); !reflect.DeepEqual(got, want) {
			t.Fatalf("%d: reused\n got %+v\nwant %+v", i, got, want)
		}
	}
}
